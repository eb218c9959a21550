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
# - vdm_kneighbors_csr, mode_vote_csr: the same two for sparse X, over CSR codes (a stored
#   code per stored value, a per-column zero code for the rest), never densified.
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


# ---------------------------------------------------------------- SMOTE-N on CSR codes
#
# Sparse X stays sparse: its codes are a CSR matrix with X's structure (indptr, indices sorted
# within each row, no duplicates; one int32 code per stored value), and an entry that is not
# stored has its column's zero code (zero_code[f], the code of the value 0). Both kernels
# equal their dense counterparts on the dense codes exactly (same neighbours, same distances
# bit for bit, same votes).

ctypedef fused index_t:
    int
    long long


cdef inline double _delta(const double[::1] proba, intp_t off, intp_t n_classes, intp_t a,
                          intp_t b) noexcept nogil:
    """delta_f(a, b) of vdm_kneighbors, with vdm_kneighbors' arithmetic (off: feature f's
    table in proba)."""
    cdef double s = 0.0
    cdef intp_t c
    for c in range(n_classes):
        s = s + fabs(proba[off + a * n_classes + c] - proba[off + b * n_classes + c])
    return s * s


# vdm_kneighbors_csr
# What: vdm_kneighbors on CSR codes: for each query row q = queries[i], the k rows j != q with
# the smallest sum_f delta_f(a_qf, b_jf), a non-stored entry taking its column's zero code.
# Feature f's table of P(class | category) is proba[cat_offsets[f] * n_classes:], row-major
# (n_categories[f], n_classes). delta_f(z, z) = 0 and adding an exact 0.0 leaves a sum of
# non-negative terms unchanged, so summing delta_f over the union of the two rows' stored
# columns, in increasing column order, gives vdm_kneighbors' sums bit for bit (it adds every
# feature in order). delta_f(z_f, code) of every stored entry (the term when the other row
# does not store f; |x - y| = |y - x| exactly) is computed once; a pair stored in both rows is
# computed from the tables. The partial sums only grow, so a row is dropped as soon as its
# partial sum reaches the current k-th distance (it could not enter: rows come in ascending
# index and only a strictly smaller distance enters).
# Complexity: O(n_queries * (n * mean_nnz + nnz) ) merge steps, n_classes operations for a
# column stored in both rows; nothing of size n x n_features.
# Memory: the outputs (n_queries x k) and one double per stored entry (the zero deltas).
def vdm_kneighbors_csr(const index_t[::1] indptr, const index_t[::1] indices,
                       const int32_t[::1] codes, const int32_t[::1] zero_code,
                       const intp_t[::1] cat_offsets, const double[::1] proba,
                       intp_t n_classes, const intp_t[::1] queries, intp_t k,
                       double[:, ::1] out_dist, intp_t[:, ::1] out_ind, int n_threads):
    cdef intp_t n = indptr.shape[0] - 1, n_q = queries.shape[0]
    cdef intp_t nnz = indptr[n]
    cdef intp_t i, j, q, p, f, pa, ea, pb, eb, fa, fb, a, b, ch
    cdef intp_t n_chunks = (n_q + _QCHUNK - 1) // _QCHUNK
    cdef double d, kth
    cdef double* zdelta = <double*> malloc((nnz if nnz > 0 else 1) * sizeof(double))
    cdef int flags[1]  # Ctrl-C
    flags[0] = 0
    if zdelta == NULL:
        raise MemoryError("vdm_kneighbors_csr: could not allocate the zero deltas")
    try:
        with nogil:
            for p in prange(nnz, num_threads=n_threads, schedule="static"):
                f = indices[p]
                zdelta[p] = _delta(proba, cat_offsets[f] * n_classes, n_classes, zero_code[f],
                                   codes[p]) if codes[p] != zero_code[f] else 0.0
            for ch in prange(n_chunks, num_threads=n_threads, schedule="dynamic"):
                poll_signals(&flags[0])
                if flags[0]:
                    continue
                for i in range(ch * _QCHUNK, min(n_q, (ch + 1) * _QCHUNK)):
                    q = queries[i]
                    for j in range(k):
                        out_dist[i, j] = INFINITY
                        out_ind[i, j] = -1
                    for j in range(n):
                        if j == q:
                            continue
                        kth = out_dist[i, k - 1]
                        d = 0.0
                        pa = indptr[q]
                        ea = indptr[q + 1]
                        pb = indptr[j]
                        eb = indptr[j + 1]
                        while pa < ea and pb < eb and d < kth:
                            fa = indices[pa]
                            fb = indices[pb]
                            if fa < fb:
                                d = d + zdelta[pa]
                                pa = pa + 1
                            elif fb < fa:
                                d = d + zdelta[pb]
                                pb = pb + 1
                            else:
                                a = codes[pa]
                                b = codes[pb]
                                if a != b:
                                    d = d + _delta(proba, cat_offsets[fa] * n_classes,
                                                   n_classes, a, b)
                                pa = pa + 1
                                pb = pb + 1
                        while pa < ea and d < kth:
                            d = d + zdelta[pa]
                            pa = pa + 1
                        while pb < eb and d < kth:
                            d = d + zdelta[pb]
                            pb = pb + 1
                        # Rows come in ascending index: strictly closer than the k-th enters.
                        if d < kth:
                            sorted_insert(&out_dist[i, 0], &out_ind[i, 0], k, d, j)
    finally:
        free(zdelta)
    if flags[0]:
        raise_pending()
    if RK_DEBUG:
        check_rows(out_ind, n, "vdm_kneighbors_csr")


cdef intp_t _vote_csr_row(const index_t[::1] indptr, const index_t[::1] indices,
                          const int32_t[::1] codes, const int32_t[::1] zero_code,
                          const intp_t[:, ::1] voters, intp_t i, intp_t* pos, int32_t* vals,
                          long long* out_cols, int32_t* out_codes) noexcept nogil:
    """mode_vote's row i over the union of the voters' stored columns; writes the columns
    whose vote is not the zero code (unless out_cols is NULL) and returns how many."""
    cdef intp_t m = voters.shape[1], a, b, f, cnt, best_cnt, n_out = 0
    cdef intp_t big = <intp_t>1 << 62
    cdef int32_t v, best
    for a in range(m):
        pos[a] = indptr[voters[i, a]]
    while True:
        f = big
        for a in range(m):
            if pos[a] < indptr[voters[i, a] + 1] and indices[pos[a]] < f:
                f = indices[pos[a]]
        if f == big:
            break
        for a in range(m):
            if pos[a] < indptr[voters[i, a] + 1] and indices[pos[a]] == f:
                vals[a] = codes[pos[a]]
                pos[a] = pos[a] + 1
            else:
                vals[a] = zero_code[f]
        # _mode_smallest's rule: the most frequent code, the smallest on ties.
        best_cnt = 0
        best = 0
        for a in range(m):
            v = vals[a]
            cnt = 0
            for b in range(m):
                if vals[b] == v:
                    cnt = cnt + 1
            if cnt > best_cnt or (cnt == best_cnt and v < best):
                best_cnt = cnt
                best = v
        if best != zero_code[f]:
            if out_cols != NULL:
                out_cols[n_out] = f
                out_codes[n_out] = best
            n_out = n_out + 1
    return n_out


# mode_vote_csr
# What: mode_vote on CSR codes: row i of the result is, per feature, the most frequent code
# among the voters' rows voters[i, :] (smallest code on ties), a non-stored entry taking its
# column's zero code. Outside the union of the voters' stored columns every voter has the zero
# code, and so has the vote: only the union is scanned (a k-way merge of the voters' rows),
# and only the columns whose vote is not the zero code are written (the value 0 is not
# stored). Two passes: fill=False writes row i's number of entries into out_indptr[i + 1];
# after the caller's cumulative sum (out_indptr[0] = 0), fill=True writes the columns and codes
# of row i at out_cols/out_codes[out_indptr[i]:], sorted by column.
# Complexity: O(n_rows * m * (m + union)) with m = voters.shape[1]; union <= the voters' nnz.
# Memory: the outputs and 2 m values per thread.
def mode_vote_csr(const index_t[::1] indptr, const index_t[::1] indices,
                  const int32_t[::1] codes, const int32_t[::1] zero_code,
                  const intp_t[:, ::1] voters, long long[::1] out_indptr,
                  long long[::1] out_cols, int32_t[::1] out_codes, bint fill, int n_threads):
    cdef intp_t n_rows = voters.shape[0], m = voters.shape[1], i
    cdef intp_t* pos
    cdef int32_t* vals
    cdef int flags[1]  # out of memory
    flags[0] = 0
    with nogil, parallel(num_threads=n_threads):
        pos = <intp_t*> malloc(m * sizeof(intp_t))
        vals = <int32_t*> malloc(m * sizeof(int32_t))
        for i in prange(n_rows, schedule="dynamic", chunksize=64):
            if pos == NULL or vals == NULL:
                flags[0] = 1
                continue
            if fill:
                if out_indptr[i + 1] > out_indptr[i]:  # (no address of an empty output)
                    _vote_csr_row(indptr, indices, codes, zero_code, voters, i, pos, vals,
                                  &out_cols[out_indptr[i]], &out_codes[out_indptr[i]])
            else:
                out_indptr[i + 1] = _vote_csr_row(indptr, indices, codes, zero_code, voters,
                                                  i, pos, vals, NULL, NULL)
        free(pos)
        free(vals)
    if flags[0]:
        raise MemoryError("mode_vote_csr: could not allocate the per-thread work buffers")
