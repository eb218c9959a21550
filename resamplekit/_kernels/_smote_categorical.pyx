# Kernels of the categorical SMOTE variants (SMOTE-NC, SMOTE-N).
#
# Categorical values arrive as int32 codes (0..n_categories-1 per feature, codes ordered like
# the sorted categories); nothing here ever builds a one-hot matrix or an n x n matrix.
#
# - vdm_kneighbors: SMOTE-N's k nearest rows under the value difference metric, streamed
#   query by query from the per-feature class-probability tables.
# - mixed_kneighbors: SMOTE-NC's k nearest rows under its mixed metric (squared Euclidean on
#   the continuous part plus a constant per differing categorical feature).
# - mode_vote: SMOTE-N's per-feature most frequent code over a neighbour set (smallest wins).
# - count_max_ties / pick_max_tie: SMOTE-NC's per-feature most frequent code over the k
#   neighbours, ties broken by imbalanced-learn's permutation rule (see pick_max_tie).
#
# Neighbour lists are kept sorted by (distance, index): rows are scanned in ascending index
# and a candidate enters only when strictly closer than the current k-th, so ties go to the
# lower index and results never depend on the number of threads.

cimport numpy as cnp
from cython.parallel cimport parallel, prange
from libc.stdlib cimport free, malloc
from libc.math cimport INFINITY, fabs

from ._common cimport (RK_DEBUG, check_rows, floating, intp_t, poll_signals, raise_pending,
                       sorted_insert)

cnp.import_array()

ctypedef cnp.int32_t int32_t

cdef enum:
    _QCHUNK = 64   # queries between two checks for Ctrl-C


# vdm_kneighbors
# What: for each query row q = queries[i], the k rows j != q with the smallest VDM distance
# sum_f delta_f(codes_t[f, q], codes_t[f, j]), with
# delta_f(a, b) = (sum_c |proba[proba_offsets[f] + a*n_classes + c]
#                        - proba[proba_offsets[f] + b*n_classes + c]|)^2
# (imbalanced-learn's ValueDifferenceMetric, k=1, r=2). codes_t is feature-major
# (n_features, n) so the per-query pass streams each feature's codes contiguously: for each
# feature the row delta_f(a_q, .) is computed once (n_categories[f] * n_classes), then
# gathered for all n rows into a per-thread distance buffer, summed feature by feature in
# order (so the float sums equal imbalanced-learn's), then the k smallest are kept.
# Complexity: O(n_queries * n_features * (n + n_categories * n_classes)).
# Memory: outputs (n_queries x k) + per thread n + max(n_categories) doubles.
def vdm_kneighbors(const int32_t[:, ::1] codes_t, const intp_t[::1] queries,
                   const double[::1] proba, const intp_t[::1] proba_offsets,
                   const intp_t[::1] n_categories, intp_t n_classes, intp_t k,
                   double[:, ::1] out_dist, intp_t[:, ::1] out_ind, int n_threads):
    cdef intp_t n_features = codes_t.shape[0], n = codes_t.shape[1]
    cdef intp_t n_q = queries.shape[0]
    cdef intp_t i, j, f, c, q, a, b, poff, m, max_m = 1, ch
    cdef intp_t n_chunks = (n_q + _QCHUNK - 1) // _QCHUNK
    cdef double s
    cdef double* buf
    cdef double* row
    cdef int flags[2]  # [0]: Ctrl-C, [1]: out of memory
    flags[0] = flags[1] = 0
    for f in range(n_features):
        if n_categories[f] > max_m:
            max_m = n_categories[f]
    with nogil, parallel(num_threads=n_threads):
        buf = <double*> malloc(n * sizeof(double))
        row = <double*> malloc(max_m * sizeof(double))
        for ch in prange(n_chunks, schedule="static"):
            if buf == NULL or row == NULL:
                flags[1] = 1
                continue
            poll_signals(&flags[0])
            if flags[0]:
                continue
            for i in range(ch * _QCHUNK, min(n_q, (ch + 1) * _QCHUNK)):
                q = queries[i]
                for j in range(n):
                    buf[j] = 0.0
                for f in range(n_features):
                    a = codes_t[f, q]
                    poff = proba_offsets[f]
                    m = n_categories[f]
                    for b in range(m):
                        s = 0.0
                        for c in range(n_classes):
                            s = s + fabs(proba[poff + a * n_classes + c]
                                         - proba[poff + b * n_classes + c])
                        row[b] = s * s
                    for j in range(n):
                        buf[j] = buf[j] + row[codes_t[f, j]]
                for j in range(k):
                    out_dist[i, j] = INFINITY
                    out_ind[i, j] = -1
                for j in range(n):
                    # Rows come in ascending index: strictly closer than the k-th enters.
                    if j != q and buf[j] < out_dist[i, k - 1]:
                        sorted_insert(&out_dist[i, 0], &out_ind[i, 0], k, buf[j], j)
        free(buf)
        free(row)
    if flags[0]:
        raise_pending()
    if flags[1]:
        raise MemoryError("vdm_kneighbors: could not allocate the per-thread work buffers")
    if RK_DEBUG:
        check_rows(out_ind, n, "vdm_kneighbors")


# mixed_kneighbors
# What: for every row q of (Xc, codes), the k rows j != q with the smallest
# sum_l (Xc[q, l] - Xc[j, l])^2 + cat_weight * #{f : codes[q, f] != codes[j, f]}
# (SMOTE-NC's squared distance on [continuous, one-hot * median_std / sqrt(2)], with
# cat_weight = median_std^2), accumulated in double. out_dist gets squared distances.
# Complexity: O(n^2 * (n_continuous + n_categorical)). Memory: the outputs only (n x k).
def mixed_kneighbors(const floating[:, ::1] Xc, const int32_t[:, ::1] codes, double cat_weight,
                     intp_t k, double[:, ::1] out_dist, intp_t[:, ::1] out_ind, int n_threads):
    cdef intp_t n = Xc.shape[0], dc = Xc.shape[1], n_cat = codes.shape[1]
    cdef intp_t q, j, l, f, n_diff, ch
    cdef intp_t n_chunks = (n + _QCHUNK - 1) // _QCHUNK
    cdef double d, t
    cdef int aborted[1]
    aborted[0] = 0
    for ch in prange(n_chunks, nogil=True, num_threads=n_threads, schedule="static"):
        poll_signals(&aborted[0])
        if aborted[0]:
            continue
        for q in range(ch * _QCHUNK, min(n, (ch + 1) * _QCHUNK)):
            for j in range(k):
                out_dist[q, j] = INFINITY
                out_ind[q, j] = -1
            for j in range(n):
                if j == q:
                    continue
                d = 0.0
                for l in range(dc):
                    t = <double>Xc[q, l] - <double>Xc[j, l]
                    d = d + t * t
                if d >= out_dist[q, k - 1]:
                    continue
                n_diff = 0
                for f in range(n_cat):
                    if codes[q, f] != codes[j, f]:
                        n_diff = n_diff + 1
                d = d + cat_weight * n_diff
                if d < out_dist[q, k - 1]:
                    sorted_insert(&out_dist[q, 0], &out_ind[q, 0], k, d, j)
    if aborted[0]:
        raise_pending()
    if RK_DEBUG:
        check_rows(out_ind, n, "mixed_kneighbors")


cdef inline int32_t _mode_smallest(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs,
                                   intp_t i, intp_t f) noexcept nogil:
    """Most frequent codes[nbrs[i, :], f]; the smallest code wins ties. O(m^2), m small."""
    cdef intp_t m = nbrs.shape[1], a, b, cnt, best_cnt = 0
    cdef int32_t v, best = 0
    for a in range(m):
        v = codes[nbrs[i, a], f]
        cnt = 0
        for b in range(m):
            if codes[nbrs[i, b], f] == v:
                cnt = cnt + 1
        if cnt > best_cnt or (cnt == best_cnt and v < best):
            best_cnt = cnt
            best = v
    return best


# mode_vote
# What: out[i, f] = the most frequent value of codes[nbrs[i, :], f], smallest code on ties
# (scipy.stats.mode's rule, as SMOTE-N uses it).
# Complexity: O(n_rows * n_features * m^2) with m = nbrs.shape[1]. Memory: none beyond out.
def mode_vote(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs, int32_t[:, ::1] out,
              int n_threads):
    cdef intp_t n_rows = nbrs.shape[0], n_features = codes.shape[1], i, f
    for i in prange(n_rows, nogil=True, num_threads=n_threads, schedule="static"):
        for f in range(n_features):
            out[i, f] = _mode_smallest(codes, nbrs, i, f)


cdef inline intp_t _max_count(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs,
                              intp_t r, intp_t f) noexcept nogil:
    """Highest number of occurrences of one value among codes[nbrs[r, :], f]."""
    cdef intp_t m = nbrs.shape[1], a, b, cnt, best = 0
    cdef int32_t v
    for a in range(m):
        v = codes[nbrs[r, a], f]
        cnt = 0
        for b in range(m):
            if codes[nbrs[r, b], f] == v:
                cnt = cnt + 1
        if cnt > best:
            best = cnt
    return best


cdef inline int32_t _next_max_value(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs,
                                    intp_t r, intp_t f, intp_t best, int32_t after) noexcept nogil:
    """Smallest value > after occurring `best` times among codes[nbrs[r, :], f], or -1."""
    cdef intp_t m = nbrs.shape[1], a, b, cnt
    cdef int32_t v, found = -1
    for a in range(m):
        v = codes[nbrs[r, a], f]
        if v <= after or (found >= 0 and v >= found):
            continue
        cnt = 0
        for b in range(m):
            if codes[nbrs[r, b], f] == v:
                cnt = cnt + 1
        if cnt == best:
            found = v
    return found


# count_max_ties
# What: out[i] = how many values share the highest count among codes[nbrs[rows[i], :], f]
# (1 when the vote has a clear winner).
# Complexity: O(n_new * k^2). Memory: none beyond out.
def count_max_ties(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs,
                   const intp_t[::1] rows, intp_t f, intp_t[::1] out, int n_threads):
    cdef intp_t n_new = rows.shape[0], i, r, best, n_max
    cdef int32_t v
    for i in prange(n_new, nogil=True, num_threads=n_threads, schedule="static"):
        r = rows[i]
        best = _max_count(codes, nbrs, r, f)
        n_max = 0
        v = _next_max_value(codes, nbrs, r, f, best, -1)
        while v >= 0:
            n_max = n_max + 1
            v = _next_max_value(codes, nbrs, r, f, best, v)
        out[i] = n_max


# pick_max_tie
# What: imbalanced-learn's SMOTE-NC tie-break without its dense tensor. imblearn lists every
# (new row i, value v) with a maximal count, row-major with v ascending (np.argwhere), permutes
# that list with its RandomState and keeps, per row, the first pair of the permuted list. Here
# the list is implicit: the t-th maximal value of row i (ascending) is list entry
# offsets[i] + t, and position[e] is where entry e landed in the permutation; the value with
# the smallest position wins. out[i] = that value.
# Complexity: O(n_new * k^2 * ties). Memory: none beyond out (position is the caller's, O(n_new k)).
def pick_max_tie(const int32_t[:, ::1] codes, const intp_t[:, ::1] nbrs,
                 const intp_t[::1] rows, intp_t f, const intp_t[::1] offsets,
                 const intp_t[::1] position, int32_t[::1] out, int n_threads):
    cdef intp_t n_new = rows.shape[0], i, r, best, e, best_pos
    cdef int32_t v, chosen
    for i in prange(n_new, nogil=True, num_threads=n_threads, schedule="static"):
        r = rows[i]
        best = _max_count(codes, nbrs, r, f)
        e = offsets[i]
        v = _next_max_value(codes, nbrs, r, f, best, -1)
        chosen = v
        best_pos = position[e]
        while v >= 0:
            if position[e] < best_pos:
                best_pos = position[e]
                chosen = v
            e = e + 1
            v = _next_max_value(codes, nbrs, r, f, best, v)
        out[i] = chosen
