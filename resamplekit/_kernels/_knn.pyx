# Exact k-nearest (or k-farthest) neighbours by brute force, and the exact re-ranking of the
# candidate lists of a KD-tree.
#
# knn_brute: for each query row q of Q, the k rows r of R that minimise (or, farthest, maximise)
#   the euclidean distance, excluding r == exclude[q], ordered by (exact distance, row index).
#   - Candidates come from the GEMM trick on centred rows in the scan precision (`floating`,
#     float32 by default even for float64 data): key(q, r) = ||r||^2 - 2 q.r (||q||^2 is
#     constant per query and dropped), the cross term by BLAS ?gemm on a (chunk_q x chunk_r)
#     tile, one tile per thread; or, for float32 on a CPU with AVX-512F, by rk_fused_scan in
#     registers (8 queries x 16 rows at a time, R packed in blocks of 16 rows), no tile.
#   - Selection is fused into the tile pass. With a rigorous bound e(q, r) = c (||q||^2 +
#     ||r||^2) of the rounding error of a key (c = (2d + 16) eps, set by the caller), a query
#     keeps every row whose lower bound (key - e) is <= the k-th smallest upper bound (key + e)
#     seen so far, so every row among the exact k best (ties included) stays in its list,
#     whatever the rounding. lkey/ukey hold the per-row parts of the two bounds, qbound the
#     per-query part (2 c ||q||^2). The threshold follows the top of a max-heap of the k
#     smallest upper bounds seen (k floats per query; for k = 1 the running minimum); a
#     vectorised pass over blocks of 64 rows (then 16) skips blocks without a candidate, so a
#     rejected row costs an add and a compare. A full list (2k + 32 entries) is compacted with
#     a quickselect (the same appending logic as knn_brute_sym's, _sym_push).
#   - The list is then re-ranked with squared distances computed exactly in float64 from the
#     original rows (`data_floating`), and sorted by (distance, index). A list that outgrows its
#     limit (massive near-ties at the scan precision) is flagged for the caller to redo in
#     float64, or, when asked, answered by an exact scan of all rows.
#   - Pruning (nearest neighbours, when the caller gives the projections of Q and R on m <= 8
#     orthonormal axes, rows ordered so that chunks are compact boxes in them): the chunks of R
#     are visited nearest first (box centres), and a query takes part in a chunk's GEMM only if
#     the squared distance from its projections to the chunk's box, a lower bound of
#     ||q - r||^2, can still be within its list's threshold (with the rounding bounds above).
#     A query chunk stops when the smallest box-to-box bound left exceeds every query's reach.
#     Skipped rows could never have entered a list, so the result is the same; on data with a
#     few dominant directions most of the GEMM work is skipped.
#   - So results do not depend on the GEMM's rounding, the chunk sizes, the order of the rows
#     or the thread count.
#   Complexity: O(n_q * n_r * d) flops in BLAS or the fused scan at worst (the share pruning
#   leaves), O(n_q * n_r) adds and compares, and O(n_q * (k + 32) * d) for the re-ranking. Peak
#   extra memory (besides the packed copy of R the fused scan reads, made by the caller): per
#   thread one tile (chunk_q * chunk_r scan values, 512 KiB by default; none when fused), a
#   chunk_q * d copy of the queries that need a chunk, chunk_q lists of 2k + 32 candidates and
#   heaps of k, plus O(n_r) for a query whose ties overflow its list, and three doubles per
#   chunk of R when pruning. Never an n x n matrix.
#
# rerank_candidates: exact (distance, index) re-ranking of a KD-tree's k + m candidates per
#   query, with a flag telling whether the list provably holds the exact top k.
#   O(n_q * (k + m) * d) time, O(k + m) memory per thread.
from cython.parallel cimport parallel, prange
from libc.math cimport sqrt, INFINITY
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy
from scipy.linalg.cython_blas cimport sgemm, dgemm

import numpy as np
cimport numpy as cnp
from ._common cimport (KeyIndex, data_floating, exact_sqdist, floating, heap_replace_top,
                       intp_t, sort_key_index)

cnp.import_array()


cdef floating _kth_smallest(floating* a, Py_ssize_t n, Py_ssize_t kth) noexcept nogil:
    """Value of rank kth (0-based) among a[0:n]; reorders a. Hoare quickselect."""
    cdef Py_ssize_t lo = 0, hi = n - 1, i, j
    cdef floating pivot, tmp
    while hi > lo:
        pivot = a[lo + (hi - lo) // 2]
        i = lo
        j = hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while a[j] > pivot:
                j -= 1
            if i <= j:
                tmp = a[i]
                a[i] = a[j]
                a[j] = tmp
                i += 1
                j -= 1
        if kth <= j:
            hi = j
        elif kth >= i:
            lo = i
        else:
            return a[kth]
    return a[kth]


cdef enum:
    _BLOCK = 64


# The filter loops (AVX2 clones where the toolchain supports them) and the AVX-512F fused scan
# of knn_brute's float32 pass, in plain C: see knn_scan.h.
cdef extern from "knn_scan.h" nogil:
    int rk_count_at_most_f(const float* a, const float* b, Py_ssize_t n, float t)
    int rk_count_at_most_d(const double* a, const double* b, Py_ssize_t n, double t)
    int rk_count_both_f(const float* g, const float* lk, float t, float lki, const float* tc,
                        Py_ssize_t n, int* hc)
    int rk_count_both_d(const double* g, const double* lk, double t, double lki,
                        const double* tc, Py_ssize_t n, int* hc)
    Py_ssize_t rk_fused_scan(const float* Q8, const float* Rp, const float* lk,
                             const float* thr8, float alpha, Py_ssize_t b0, Py_ssize_t b_end,
                             Py_ssize_t d, float* vals, unsigned int* masks)
    int rk_fused_scan_available()


def fused_scan_available():
    """Whether this CPU runs knn_brute's fused float32 scan (AVX-512F)."""
    return bool(rk_fused_scan_available())


cdef inline int _count_at_most(const floating* a, const floating* b, Py_ssize_t n,
                               floating t) noexcept nogil:
    """Number of j < n with a[j] + b[j] <= t."""
    if floating is float:
        return rk_count_at_most_f(a, b, n, t)
    else:
        return rk_count_at_most_d(a, b, n, t)


cdef inline void _gemm_nt(int m, int n, int kdim, floating alpha, const floating* a,
                          const floating* b, floating* c) noexcept nogil:
    """c (n x m, row-major) = alpha * b (n x kdim) . a (m x kdim)^T, all row-major."""
    cdef char ta = b'T'
    cdef char tb = b'N'
    cdef floating beta = 0
    cdef int ld = kdim
    if floating is float:
        sgemm(&ta, &tb, &m, &n, &kdim, &alpha, <float*>a, &ld, <float*>b, &ld, &beta, c, &m)
    else:
        dgemm(&ta, &tb, &m, &n, &kdim, &alpha, <double*>a, &ld, <double*>b, &ld, &beta, c, &m)


cdef Py_ssize_t _finish_exact_scan(const data_floating* q, const data_floating* R,
                                   Py_ssize_t n_r, Py_ssize_t d, intp_t exclude, double sign,
                                   KeyIndex* items) noexcept nogil:
    """Exact keys of every row of R (but exclude), sorted; fallback for massive ties."""
    cdef Py_ssize_t r, c = 0
    for r in range(n_r):
        if r == exclude:
            continue
        items[c].key = sign * exact_sqdist(q, R + r * d, d)
        items[c].index = r
        c += 1
    sort_key_index(items, c)
    return c


cdef Py_ssize_t _compact(floating* vals, intp_t* idxs, Py_ssize_t count, Py_ssize_t k,
                         floating bound, floating* thr, floating* scratch,
                         const floating* lkey, const floating* ukey) noexcept nogil:
    """Lower the threshold to (k-th smallest upper bound) + bound; drop the rows above it.

    vals holds lower bounds (key + lkey); the upper bound of a row is its lower bound plus
    ukey - lkey.
    """
    cdef Py_ssize_t e, c = 0
    cdef floating t
    for e in range(count):
        scratch[e] = vals[e] + (ukey[idxs[e]] - lkey[idxs[e]])
    t = _kth_smallest(scratch, count, k - 1) + bound
    if t < thr[0]:
        thr[0] = t
    t = thr[0]
    for e in range(count):
        if vals[e] <= t:
            vals[c] = vals[e]
            idxs[c] = idxs[e]
            c += 1
    return c


cdef inline double _box_gap2(const double* lo, const double* hi, const double* qlo,
                             const double* qhi, Py_ssize_t m) noexcept nogil:
    """Squared distance between the boxes [lo, hi] and [qlo, qhi] in m dimensions (a point:
    qlo = qhi); 0 when they overlap."""
    cdef double s = 0.0, g
    cdef Py_ssize_t ax
    for ax in range(m):
        g = lo[ax] - qhi[ax]
        if qlo[ax] - hi[ax] > g:
            g = qlo[ax] - hi[ax]
        if g > 0:
            s += g * g
    return s


cdef int _query_chunk(
    const floating* Q, const floating* R, const data_floating* Qo, const data_floating* Ro,
    const floating* lkey, const floating* ukey, const floating* bound, const intp_t* exclude,
    Py_ssize_t q0, Py_ssize_t mq, Py_ssize_t n_r, Py_ssize_t d, Py_ssize_t k,
    bint farthest, Py_ssize_t chunk_r, Py_ssize_t cap0, Py_ssize_t limit,
    floating* tile, floating* slab_v, intp_t* slab_i, floating** vals, intp_t** idxs,
    Py_ssize_t* cnt, Py_ssize_t* cap, floating* thr, floating* scratch, KeyIndex* items,
    KeyIndex** scan_items, bint scan_overflow, cnp.uint8_t* overflowed, double* dist,
    intp_t* ind, const intp_t* q_orig, const intp_t* r_orig, Py_ssize_t m,
    const double* q_proj, const double* q_norm, const double* r_lo, const double* r_hi,
    const double* r_err, double err_max, intp_t* act, floating* qbuf, floating* heap,
    KeyIndex* visit, double* lb_rest, const float* Rp, const float* lkp, float* q8,
    float* thr8, float* vals8, unsigned int* masks8,
) noexcept nogil:
    """Process queries q0 .. q0+mq-1 against all rows of R. Returns -1 on allocation failure.

    With q_proj given (not NULL; m projections per query, row-major), the chunks of R are
    visited nearest first (by the distance between the centres of their boxes of projections,
    r_lo/r_hi, m per chunk, and the query chunk's), each query skipping the chunks whose box
    proves that none of their rows can enter its list, until no query needs any chunk left.
    act (chunk_q), qbuf (chunk_q x d), visit and lb_rest (one per chunk of R) are scratch.
    With Rp given (float32 only: R packed in blocks of 16 rows, lkp its lkey padded with NaN;
    chunk_r a multiple of 16), the distances come from rk_fused_scan in groups of 8 queries
    instead of GEMM tiles (q8, thr8, vals8, masks8: its scratch); the same candidates pass.
    """
    cdef Py_ssize_t i, j, jb, j0, j1, rc, r0, mr, c, e
    cdef Py_ssize_t n_rc = (n_r + chunk_r - 1) // chunk_r, step, ax
    cdef Py_ssize_t a, n_act, s0, s1
    cdef bint prune = q_proj != NULL
    cdef double qlo[8]
    cdef double qhi[8]
    cdef double gap, g, lb, reach
    cdef const double* pq
    cdef Py_ssize_t qi, ex_o
    cdef floating t, v, b
    cdef floating alpha = 2 if farthest else -2
    cdef double sign = -1.0 if farthest else 1.0
    cdef const floating* row
    cdef const floating* lk
    cdef const floating* uk
    cdef floating* vv
    cdef intp_t* ii
    cdef intp_t ex
    cdef KeyIndex* row_items
    cdef int status = 0
    cdef Py_ssize_t g0, ng, blk, b_end, pos
    cdef unsigned int mask
    cdef float falpha = alpha

    for i in range(mq):
        cnt[i] = 0
        cap[i] = cap0
        vals[i] = slab_v + i * cap0
        idxs[i] = slab_i + i * cap0
        thr[i] = INFINITY
        for e in range(k):
            heap[i * k + e] = INFINITY

    if prune:
        # The query chunk's box, then the chunks of R by the lower bound of their squared
        # distance to it.
        for ax in range(m):
            qlo[ax] = INFINITY
            qhi[ax] = -INFINITY
        for i in range(mq):
            pq = q_proj + (q0 + i) * m
            for ax in range(m):
                if pq[ax] < qlo[ax]:
                    qlo[ax] = pq[ax]
                if pq[ax] > qhi[ax]:
                    qhi[ax] = pq[ax]
        # Visit order: by the distance between the box centres (the nearest rows first, so
        # thresholds tighten early); lb_rest[step]: the smallest box-to-box bound from step on.
        for rc in range(n_rc):
            g = 0.0
            for ax in range(m):
                gap = 0.5 * (r_lo[rc * m + ax] + r_hi[rc * m + ax] - qlo[ax] - qhi[ax])
                g += gap * gap
            visit[rc].key = g
            visit[rc].index = rc
        sort_key_index(visit, n_rc)
        for step in range(n_rc - 1, -1, -1):
            rc = visit[step].index
            lb = _box_gap2(r_lo + rc * m, r_hi + rc * m, qlo, qhi, m)
            if step < n_rc - 1 and lb_rest[step + 1] < lb:
                lb = lb_rest[step + 1]
            lb_rest[step] = lb
    for step in range(n_rc):
        if prune:
            # A row r can enter the list of query q only if its lower bound key, which is >=
            # ||q - r||^2 - ||q||^2 - c(||q||^2 + 2 ||r||^2), is <= the list's threshold t; and
            # ||q - r||^2 >= the squared distance g^2 between q's projections and the chunk's
            # box (the axes are orthonormal). So q skips the chunk when g^2 > t + (1 + c)||q||^2
            # + 2c max ||r||^2 (r_err), with a relative margin for the rounding of g; the GEMM
            # runs over the remaining queries only. Once the smallest bound of the chunks left
            # exceeds every query's reach, nothing is left to do.
            rc = visit[step].index
            lb = lb_rest[step]
            if lb > 0:
                # (the bound of each query below, made uniform: g^2 >= lb, err_max >= r_err)
                reach = -INFINITY
                for i in range(mq):
                    g = (<double>thr[i] + q_norm[q0 + i] * (1.0 + 1e-6)
                         + 0.5 * <double>bound[q0 + i])
                    if g > reach:
                        reach = g
                if lb * (1.0 - 2e-6) > reach + err_max:
                    break
            n_act = 0
            for i in range(mq):
                qi = q0 + i
                pq = q_proj + qi * m
                gap = _box_gap2(r_lo + rc * m, r_hi + rc * m, pq, pq, m)
                if gap > 0 and gap * (1.0 - 1e-6) > (
                        <double>thr[i] + q_norm[qi] + 0.5 * <double>bound[qi] + r_err[rc]
                        + 1e-6 * (q_norm[qi] + gap)):
                    continue
                act[n_act] = i
                n_act += 1
            if n_act == 0:
                continue
        else:
            rc = step
            n_act = mq
            for i in range(mq):
                act[i] = i
        r0 = rc * chunk_r
        mr = min(chunk_r, n_r - r0)
        if floating is float:
            if Rp != NULL:
                # Fused scan: groups of 8 active queries (the last padded with a copy of its
                # first query, threshold -inf) against the chunk's blocks of 16 rows; each
                # block with a passing key comes back to push its candidates, with the
                # same lower bound (key + lkey, one rounding) as the GEMM path.
                b_end = (r0 + mr + 15) // 16
                for g0 in range(0, n_act, 8):
                    ng = min(8, n_act - g0)
                    for a in range(8):
                        i = act[g0 + a] if a < ng else act[g0]
                        memcpy(q8 + a * d, Q + (q0 + i) * d, d * sizeof(float))
                        thr8[a] = thr[i] if a < ng else -INFINITY
                    blk = r0 // 16
                    while True:
                        blk = rk_fused_scan(q8, Rp, lkp, thr8, falpha, blk, b_end, d, vals8,
                                            masks8)
                        if blk >= b_end:
                            break
                        for a in range(ng):
                            mask = masks8[a]
                            if mask == 0:
                                continue
                            i = act[g0 + a]
                            b = bound[q0 + i]
                            for e in range(16):
                                if (mask >> e) & 1:
                                    pos = blk * 16 + e
                                    if pos == exclude[q0 + i]:
                                        continue
                                    v = vals8[a * 16 + e] + lkey[pos]
                                    if v <= thr[i]:
                                        _sym_push(i, v, vals8[a * 16 + e] + ukey[pos], pos, k,
                                                  b, vals, idxs, cnt, cap, thr, heap, slab_v,
                                                  slab_i, cap0, limit, scratch, lkey, ukey)
                            thr8[a] = thr[i]
                        blk += 1
                continue
        if n_act == mq:
            _gemm_nt(<int>mr, <int>mq, <int>d, alpha, R + r0 * d, Q + q0 * d, tile)
        else:
            for a in range(n_act):
                memcpy(qbuf + a * d, Q + (q0 + act[a]) * d, d * sizeof(floating))
            _gemm_nt(<int>mr, <int>n_act, <int>d, alpha, R + r0 * d, qbuf, tile)
        lk = lkey + r0
        uk = ukey + r0
        for a in range(n_act):
            i = act[a]
            row = tile + a * mr
            b = bound[q0 + i]
            ex = exclude[q0 + i] - r0
            for jb in range((mr + _BLOCK - 1) // _BLOCK):
                j0 = jb * _BLOCK
                j1 = min(j0 + _BLOCK, mr)
                # Vectorised pre-filter: most blocks hold no candidate at all.
                t = thr[i]
                if _count_at_most(row + j0, lk + j0, j1 - j0, t) == 0:
                    continue
                # Hits are rare: find them by sub-blocks of 16 rows before the scalar loop.
                for s0 in range(j0, j1, 16):
                    s1 = min(s0 + 16, j1)
                    if _count_at_most(row + s0, lk + s0, s1 - s0, t) == 0:
                        continue
                    for j in range(s0, s1):
                        v = row[j] + lk[j]
                        if v <= t and j != ex:
                            # Appends, keeps the threshold at the k-th smallest upper bound
                            # seen (a heap), compacts, grows or abandons (cap -1) the list.
                            _sym_push(i, v, row[j] + uk[j], r0 + j, k, b, vals, idxs, cnt,
                                      cap, thr, heap, slab_v, slab_i, cap0, limit, scratch,
                                      lkey, ukey)
                            t = thr[i]

    for i in range(mq):
        row_items = NULL
        qi = q_orig[q0 + i]  # the query's row in Qo and in the output
        if cap[i] < 0:
            if not scan_overflow:
                overflowed[qi] = 1  # the caller redoes it in a finer precision
            else:
                if scan_items[0] == NULL:
                    scan_items[0] = <KeyIndex*>malloc(n_r * sizeof(KeyIndex))
                if scan_items[0] == NULL:
                    status = -1
                else:
                    ex_o = r_orig[exclude[q0 + i]] if exclude[q0 + i] >= 0 else -1
                    _finish_exact_scan(Qo + qi * d, Ro, n_r, d, ex_o, sign, scan_items[0])
                    row_items = scan_items[0]
        else:
            c = cnt[i]
            vv = vals[i]
            ii = idxs[i]
            if c > k:  # the threshold may be stale since the last compaction: tighten it
                t = thr[i]
                c = _compact(vv, ii, c, k, bound[q0 + i], &t, scratch, lkey, ukey)
            for e in range(c):
                items[e].key = sign * exact_sqdist(Qo + qi * d, Ro + r_orig[ii[e]] * d, d)
                items[e].index = r_orig[ii[e]]
            sort_key_index(items, c)
            row_items = items
        if vals[i] != slab_v + i * cap0:
            free(vals[i])
            free(idxs[i])
        if row_items != NULL:
            for e in range(k):
                dist[qi * k + e] = sqrt(sign * row_items[e].key)
                ind[qi * k + e] = row_items[e].index
    return status


def knn_brute(
    const floating[:, ::1] Q,
    const floating[:, ::1] R,
    const data_floating[:, ::1] Qo,
    const data_floating[:, ::1] Ro,
    const floating[::1] lkey,
    const floating[::1] ukey,
    const floating[::1] qbound,
    const intp_t[::1] exclude,
    Py_ssize_t k,
    bint farthest,
    Py_ssize_t chunk_q,
    Py_ssize_t chunk_r,
    int n_threads,
    bint scan_overflow,
    cnp.uint8_t[::1] overflowed,
    double[:, ::1] dist,
    intp_t[:, ::1] ind,
    const intp_t[::1] q_orig,
    const intp_t[::1] r_orig,
    const double[:, ::1] q_proj=None,
    const double[:, ::1] r_proj=None,
    const double[::1] q_norm=None,
    const float[:, :, ::1] Rp=None,
    const float[::1] lkp=None,
):
    """Fill dist/ind with the exact k nearest (farthest) rows of R for each row of Q.

    Q, R: centred data for the GEMM; Qo, Ro: the original rows (exact re-ranking). With
    s = +1 (nearest) or -1 (farthest), n_r = ||r||^2 of the centred rows and c the relative
    error bound: lkey = s n_r - c n_r, ukey = s n_r + c n_r, qbound = 2 c ||q||^2. exclude: per
    query, a row of R to skip (-1 for none). A query whose candidate list overflows (massive
    near-ties at the scan precision) is answered by an exact scan of all rows if scan_overflow,
    else flagged in overflowed (and its output rows left unwritten). Inputs are trusted
    (validated by resamplekit._neighbors).

    Q and R may be permutations of the original rows: row i of Q is row q_orig[i] of Qo (and of
    dist, ind, overflowed), row j of R is row r_orig[j] of Ro, and the output indices and their
    tie order are those of Ro; exclude holds positions in R. For nearest-neighbour queries,
    q_proj and r_proj (the projections of the rows of Q and R on m <= 8 orthonormal axes,
    computed in float64 from the original rows; the rows best ordered so that chunks are
    compact in them) and q_norm (||q||^2 of the centred rows) let the kernel skip the chunks of
    R that cannot hold a candidate; the result is the same.

    Rp and lkp (float32 scans on a CPU where fused_scan_available(); chunk_r a multiple of 16):
    R packed in blocks of 16 rows, Rp[b, j, e] = R[16 b + e, j] (zeros past n_r), and lkey
    padded to 16 * len(Rp) with NaN. The kernel then computes the keys in registers
    (rk_fused_scan) instead of GEMM tiles; the result is the same.
    """
    cdef Py_ssize_t n_q = Q.shape[0], n_r = R.shape[0], d = Q.shape[1]
    cdef Py_ssize_t n_chunks = (n_q + chunk_q - 1) // chunk_q
    cdef Py_ssize_t cap0 = 2 * k + 32
    cdef Py_ssize_t limit = max(8 * cap0, 4096)
    cdef Py_ssize_t ch, mq
    cdef int failed = 0
    cdef floating* tile
    cdef intp_t* act
    cdef floating* qbuf
    cdef floating* heap
    cdef floating* slab_v
    cdef intp_t* slab_i
    cdef floating** vals
    cdef intp_t** idxs
    cdef Py_ssize_t* cnt
    cdef Py_ssize_t* cap
    cdef floating* thr
    cdef floating* scratch
    cdef KeyIndex* items
    cdef KeyIndex* scan_items
    cdef int[::1] errors = np.zeros(1, dtype=np.intc)
    cdef Py_ssize_t n_rc, rc, j, ax, m = 0
    cdef double[:, ::1] r_lo, r_hi
    cdef double[::1] r_err
    cdef double err_max = 0.0, e
    cdef const double* qp = NULL
    cdef const double* qn = NULL
    cdef const double* rlo = NULL
    cdef const double* rhi = NULL
    cdef const double* rerr = NULL
    cdef KeyIndex* visit
    cdef double* lb_rest
    cdef const float* rp = NULL
    cdef const float* lp = NULL
    cdef float* q8
    cdef float* thr8
    cdef float* vals8
    cdef unsigned int* masks8
    cdef Py_ssize_t tile_size
    if n_q == 0:
        return
    if Rp is not None:
        if sizeof(floating) != sizeof(float) or not rk_fused_scan_available():
            raise ValueError("knn_brute: the fused scan needs float32 rows and AVX-512F")
        if (Rp.shape[0] != (n_r + 15) // 16 or Rp.shape[1] != d or Rp.shape[2] != 16
                or lkp is None or lkp.shape[0] != 16 * Rp.shape[0]
                or (chunk_r % 16 != 0 and chunk_r < n_r)):
            raise ValueError("knn_brute: Rp must be R in blocks of 16 rows, lkp lkey padded "
                             "to match, chunk_r a multiple of 16")
        if n_r > 0:
            rp = &Rp[0, 0, 0]
            lp = &lkp[0]
    chunk_r = min(chunk_r, n_r)
    chunk_q = min(chunk_q, n_q)
    n_rc = (n_r + chunk_r - 1) // chunk_r
    if q_proj is not None and not farthest:
        # Per chunk of R: the box of its projections and 2c max ||r||^2 (= max(ukey - lkey)).
        m = q_proj.shape[1]
        if m < 1 or m > 8 or r_proj.shape[1] != m:
            raise ValueError("knn_brute: 1 to 8 projections per row, the same for Q and R")
        r_lo = np.full((n_rc, m), np.inf)
        r_hi = np.full((n_rc, m), -np.inf)
        r_err = np.zeros(n_rc)
        for rc in range(n_rc):
            for j in range(rc * chunk_r, min(n_r, (rc + 1) * chunk_r)):
                for ax in range(m):
                    r_lo[rc, ax] = min(r_lo[rc, ax], r_proj[j, ax])
                    r_hi[rc, ax] = max(r_hi[rc, ax], r_proj[j, ax])
                e = <double>ukey[j] - <double>lkey[j]
                if e > r_err[rc]:
                    r_err[rc] = e
            err_max = max(err_max, r_err[rc])
        qp = &q_proj[0, 0]
        qn = &q_norm[0]
        rlo = &r_lo[0, 0]
        rhi = &r_hi[0, 0]
        rerr = &r_err[0]

    tile_size = 1 if rp != NULL else chunk_q * chunk_r
    with nogil, parallel(num_threads=n_threads):
        tile = <floating*>malloc(tile_size * sizeof(floating))
        q8 = <float*>malloc(8 * d * sizeof(float) + 8)
        thr8 = <float*>malloc(8 * sizeof(float))
        vals8 = <float*>malloc(128 * sizeof(float))
        masks8 = <unsigned int*>malloc(8 * sizeof(unsigned int))
        act = <intp_t*>malloc(chunk_q * sizeof(intp_t))
        qbuf = <floating*>malloc(chunk_q * d * sizeof(floating))
        heap = <floating*>malloc(chunk_q * k * sizeof(floating))
        visit = <KeyIndex*>malloc(n_rc * sizeof(KeyIndex))
        lb_rest = <double*>malloc(n_rc * sizeof(double))
        slab_v = <floating*>malloc(chunk_q * cap0 * sizeof(floating))
        slab_i = <intp_t*>malloc(chunk_q * cap0 * sizeof(intp_t))
        vals = <floating**>malloc(chunk_q * sizeof(floating*))
        idxs = <intp_t**>malloc(chunk_q * sizeof(intp_t*))
        cnt = <Py_ssize_t*>malloc(chunk_q * sizeof(Py_ssize_t))
        cap = <Py_ssize_t*>malloc(chunk_q * sizeof(Py_ssize_t))
        thr = <floating*>malloc(chunk_q * sizeof(floating))
        scratch = <floating*>malloc(limit * sizeof(floating))
        items = <KeyIndex*>malloc(limit * sizeof(KeyIndex))
        scan_items = NULL
        for ch in prange(n_chunks, schedule='dynamic'):
            if (tile == NULL or q8 == NULL or thr8 == NULL or vals8 == NULL or masks8 == NULL
                    or act == NULL or qbuf == NULL or heap == NULL or visit == NULL
                    or lb_rest == NULL
                    or slab_v == NULL
                    or slab_i == NULL
                    or vals == NULL
                    or idxs == NULL or cnt == NULL or cap == NULL or thr == NULL
                    or scratch == NULL or items == NULL):
                errors[0] = 1
            else:
                mq = min(chunk_q, n_q - ch * chunk_q)
                if _query_chunk(
                    &Q[0, 0], &R[0, 0], &Qo[0, 0], &Ro[0, 0], &lkey[0], &ukey[0],
                    &qbound[0],
                    &exclude[0], ch * chunk_q, mq, n_r, d, k, farthest, chunk_r, cap0,
                    limit, tile, slab_v, slab_i, vals, idxs, cnt, cap, thr, scratch, items,
                    &scan_items, scan_overflow, &overflowed[0], &dist[0, 0], &ind[0, 0],
                    &q_orig[0], &r_orig[0], m, qp, qn, rlo, rhi, rerr, err_max, act, qbuf,
                    heap, visit, lb_rest, rp, lp, q8, thr8, vals8, masks8,
                ) != 0:
                    errors[0] = 1
        free(tile)
        free(q8)
        free(thr8)
        free(vals8)
        free(masks8)
        free(act)
        free(qbuf)
        free(heap)
        free(visit)
        free(lb_rest)
        free(slab_v)
        free(slab_i)
        free(vals)
        free(idxs)
        free(cnt)
        free(cap)
        free(thr)
        free(scratch)
        free(items)
        free(scan_items)
    if errors[0]:
        raise MemoryError("kneighbors: could not allocate the per-thread work buffers")


cdef cnp.uint8_t _rerank_one(const data_floating* q, const data_floating* R, const intp_t* cand,
                            double last, intp_t exclude, Py_ssize_t n_r, Py_ssize_t d,
                            Py_ssize_t m, Py_ssize_t k, KeyIndex* items, double* dist,
                            intp_t* ind) noexcept nogil:
    cdef Py_ssize_t e, c = 0
    cdef intp_t r
    for e in range(m):
        r = cand[e]
        if r >= n_r or r == exclude:
            continue
        items[c].key = exact_sqdist(q, R + r * d, d)
        items[c].index = r
        c += 1
    sort_key_index(items, c)
    if c < k:
        return 0
    if m < n_r and cand[m - 1] < n_r and not items[k - 1].key < last * last * (1.0 - 1e-9):
        return 0
    for e in range(k):
        dist[e] = sqrt(items[e].key)
        ind[e] = items[e].index
    return 1


def rerank_candidates(
    const data_floating[:, ::1] Qo,
    const data_floating[:, ::1] Ro,
    const intp_t[:, ::1] cand,
    const double[:, ::1] cand_dist,
    const intp_t[::1] exclude,
    Py_ssize_t k,
    int n_threads,
    double[:, ::1] dist,
    intp_t[:, ::1] ind,
    cnp.uint8_t[::1] ok,
):
    """Exact re-ranking of KD-tree candidate lists (nearest only).

    cand/cand_dist: per query, the m candidates of a KD-tree (index n_r and distance inf mark
    missing ones), sorted by the tree's distance. Writes the k best by (exact distance, index)
    and ok[q] = 1 when that provably is the exact answer: the list held every row, or the k-th
    exact squared distance is clearly below the squared distance of the last candidate (so no
    row outside the list can reach or tie it).
    """
    cdef Py_ssize_t n_q = Qo.shape[0], n_r = Ro.shape[0], d = Qo.shape[1]
    cdef Py_ssize_t m = cand.shape[1]
    cdef Py_ssize_t q
    cdef KeyIndex* items
    cdef int[::1] errors = np.zeros(1, dtype=np.intc)
    if n_q == 0:
        return
    with nogil, parallel(num_threads=n_threads):
        items = <KeyIndex*>malloc(m * sizeof(KeyIndex))
        for q in prange(n_q, schedule='static'):
            if items == NULL:
                errors[0] = 1
            else:
                ok[q] = _rerank_one(&Qo[q, 0], &Ro[0, 0], &cand[q, 0], cand_dist[q, m - 1],
                                    exclude[q], n_r, d, m, k, items, &dist[q, 0], &ind[q, 0])
        free(items)
    if errors[0]:
        raise MemoryError("kneighbors: could not allocate the per-thread work buffers")


cdef inline void _sym_push(
    Py_ssize_t q, floating v, floating u, intp_t r, Py_ssize_t k, floating b,
    floating** vals, intp_t** idxs, Py_ssize_t* cnt, Py_ssize_t* cap, floating* thr,
    floating* heap, floating* slab_v, intp_t* slab_i, Py_ssize_t cap0, Py_ssize_t limit,
    floating* scratch, const floating* lkey, const floating* ukey,
) noexcept nogil:
    """Append row r (lower bound v, upper bound u without the query part b) to the list of q.

    The window logic of _query_chunk, with the threshold kept tight: heap[q*k : q*k+k] is a
    max-heap of the k smallest upper bounds (u + b) of the rows appended so far (+inf until k
    rows came), and the threshold follows its top (for k = 1: the running minimum, as in
    _query_chunk). A full list is compacted, grown when still more than half full, and
    abandoned (cap = -1, threshold -inf: nothing passes any more) beyond limit.
    """
    cdef Py_ssize_t c = cnt[q], ncap
    cdef floating* vv = vals[q]
    cdef intp_t* ii = idxs[q]
    cdef floating* nv
    cdef intp_t* ni
    cdef floating tt
    vv[c] = v
    ii[c] = r
    c += 1
    tt = u + b
    if tt < heap[q * k]:
        tt = heap_replace_top(heap + q * k, k, tt)
        if tt < thr[q]:
            thr[q] = tt
    if c == cap[q]:
        c = _compact(vv, ii, c, k, b, &thr[q], scratch, lkey, ukey)
        if 2 * c > cap[q]:
            ncap = 2 * cap[q]
            nv = NULL
            ni = NULL
            if ncap <= limit:
                nv = <floating*>malloc(ncap * sizeof(floating))
                ni = <intp_t*>malloc(ncap * sizeof(intp_t))
            if nv == NULL or ni == NULL:
                free(nv)
                free(ni)
                if vv != slab_v + q * cap0:
                    free(vv)
                    free(ii)
                vals[q] = slab_v + q * cap0
                idxs[q] = slab_i + q * cap0
                cnt[q] = 0
                cap[q] = -1
                thr[q] = -INFINITY
                return
            memcpy(nv, vv, c * sizeof(floating))
            memcpy(ni, ii, c * sizeof(intp_t))
            if vv != slab_v + q * cap0:
                free(vv)
                free(ii)
            vals[q] = nv
            idxs[q] = ni
            cap[q] = ncap
    cnt[q] = c


cdef KeyIndex* _scan_buffer(KeyIndex** buf, Py_ssize_t n) noexcept nogil:
    """The thread's buffer for exact scans of n rows, allocated on first use (NULL: failed)."""
    if buf[0] == NULL:
        buf[0] = <KeyIndex*>malloc(n * sizeof(KeyIndex))
    return buf[0]


cdef inline int _count_col(const floating* g, floating lki, const floating* tc,
                           Py_ssize_t n) noexcept nogil:
    """Number of j < n with g[j] + lki <= tc[j]."""
    cdef int c = 0
    cdef Py_ssize_t j
    for j in range(n):
        c += (g[j] + lki) <= tc[j]
    return c


cdef inline void _count_both(const floating* g, const floating* lk, floating t, floating lki,
                             const floating* tc, Py_ssize_t n, int* hr, int* hc) noexcept nogil:
    """Row side: #j with g[j] + lk[j] <= t; column side: #j with g[j] + lki <= tc[j]."""
    if floating is float:
        hr[0] = rk_count_both_f(g, lk, t, lki, tc, n, hc)
    else:
        hr[0] = rk_count_both_d(g, lk, t, lki, tc, n, hc)


cdef void _sym_tile(
    const floating* X, const floating* lkey, const floating* ukey, const floating* qbound,
    Py_ssize_t I0, Py_ssize_t mI, Py_ssize_t J0, Py_ssize_t mJ, Py_ssize_t d, Py_ssize_t k,
    floating alpha, floating* tile, floating** vals, intp_t** idxs, Py_ssize_t* cnt,
    Py_ssize_t* cap, floating* thr, floating* heap, floating* slab_v, intp_t* slab_i,
    Py_ssize_t cap0, Py_ssize_t limit, floating* scratch,
) noexcept nogil:
    """One tile of the self-query: rows I0.. against rows J0.. (J0 >= I0, same blocking).

    Every value feeds the row side (query I0 + i, row J0 + j); off the diagonal it also feeds
    the column side (query J0 + j, row I0 + i). On the diagonal only the row side is used (the
    tile holds both orders of every pair) and a query skips itself by index.
    """
    cdef Py_ssize_t i, j, jb, j0, j1, q, s0, s1
    cdef bint diag = I0 == J0
    cdef const floating* row
    cdef const floating* lk = lkey + J0
    cdef const floating* uk = ukey + J0
    cdef floating* tc = thr + J0
    cdef floating v, lki, uki, b, t
    cdef int hr, hc
    _gemm_nt(<int>mJ, <int>mI, <int>d, alpha, X + J0 * d, X + I0 * d, tile)
    for i in range(mI):
        row = tile + i * mJ
        q = I0 + i
        b = qbound[q]
        lki = lkey[q]
        uki = ukey[q]
        for jb in range((mJ + _BLOCK - 1) // _BLOCK):
            j0 = jb * _BLOCK
            j1 = min(j0 + _BLOCK, mJ)
            if diag:
                hr = _count_at_most(row + j0, lk + j0, j1 - j0, thr[q])
                hc = 0
            else:
                _count_both(row + j0, lk + j0, thr[q], lki, tc + j0, j1 - j0, &hr, &hc)
            # Hits are rare: find them by sub-blocks of 16 rows before the scalar loop.
            if hr:
                t = thr[q]
                for s0 in range(j0, j1, 16):
                    s1 = min(s0 + 16, j1)
                    if _count_at_most(row + s0, lk + s0, s1 - s0, t) == 0:
                        continue
                    for j in range(s0, s1):
                        v = row[j] + lk[j]
                        if v <= t and not (diag and j == i):
                            _sym_push(q, v, row[j] + uk[j], J0 + j, k, b, vals, idxs, cnt, cap,
                                      thr, heap, slab_v, slab_i, cap0, limit, scratch, lkey,
                                      ukey)
                            t = thr[q]
            if hc:
                for s0 in range(j0, j1, 16):
                    s1 = min(s0 + 16, j1)
                    if _count_col(row + s0, lki, tc + s0, s1 - s0) == 0:
                        continue
                    for j in range(s0, s1):
                        v = row[j] + lki
                        if v <= tc[j]:
                            _sym_push(J0 + j, v, row[j] + uki, q, k, qbound[J0 + j], vals,
                                      idxs, cnt, cap, thr, heap, slab_v, slab_i, cap0, limit,
                                      scratch, lkey, ukey)


# knn_brute_sym: the self-query of knn_brute (every row of X a query, self excluded by index)
#   computing each tile of the symmetric key matrix once. The rows are cut in nb blocks of
#   `block` rows; tile (I, J) is computed for J >= I only and its values feed the candidate
#   lists of the rows of I (row side) and, transposed, those of the rows of J (column side),
#   with the same window logic as knn_brute. The window test only needs the threshold of a list
#   to stay >= the k-th smallest upper bound over all rows (it is the k-th smallest over the
#   rows seen), whatever order the rows come in, and the error bound of a key is symmetric in
#   its two rows (and holds for any GEMM blocking), so the final lists hold the exact top k and
#   the results are bit-identical to knn_brute's (same exact re-ranking).
#   Threads: n_threads work slots; slot s takes the block pairs (p, nb - 1 - p) for p = s,
#   s + n_threads, ... (nb + 1 tiles each: balanced), and keeps its own candidate lists for
#   ALL n queries (no races). A list's threshold follows the top of a max-heap of the k
#   smallest upper bounds it has seen (tighter than knn_brute's, which only moves at a
#   compaction; the candidates differ, the answer does not). Afterwards the lists of a query
#   are merged (union; threshold = the smallest of the slots', each being valid), compacted and
#   re-ranked exactly; a query whose merged window still holds more than limit / 2 rows is
#   flagged (or, with scan_overflow, re-ranked whole), like an overflowing list.
#   Complexity: half the GEMM flops of knn_brute (n^2 d / 2 multiply-adds), O(n^2) adds and
#   compares (one fused row/column pass per tile, AVX2 where available), O(n (k + 8) d)
#   re-ranking.
#   Peak extra memory: per slot and query, a list of cap0 = k + max(k, 8) entries
#   (sizeof(floating) + 8 bytes each), a heap of k values and 40 bytes of list headers; per
#   slot one block x block tile; per thread 4 merge arrays of n_threads * limit entries. In all
#   O(n * (3k + 8) * n_threads): e.g. 40 MB at n = 100,000, k = 4, float32, 2 threads (the
#   caller takes this path only within a memory budget).
def knn_brute_sym(
    const floating[:, ::1] X,
    const data_floating[:, ::1] Xo,
    const floating[::1] lkey,
    const floating[::1] ukey,
    const floating[::1] qbound,
    Py_ssize_t k,
    bint farthest,
    Py_ssize_t block,
    int n_threads,
    bint scan_overflow,
    cnp.uint8_t[::1] overflowed,
    double[:, ::1] dist,
    intp_t[:, ::1] ind,
):
    """Self-query of knn_brute (queries = rows of X, each excluding itself), symmetric tiles.

    Same arguments and results as knn_brute(X, X, Xo, Xo, ..., exclude=arange(n)) with
    chunk_q = chunk_r = block.
    """
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1]
    cdef Py_ssize_t cap0 = k + max(k, 8)
    cdef Py_ssize_t limit = max(8 * (2 * k + 32), 4096)
    cdef Py_ssize_t nb, n_pairs, s, p, pi, I, J, I0, mI, J0, q, e, c, tot, ts, u, r
    cdef floating alpha = 2 if farthest else -2
    cdef double sign = -1.0 if farthest else 1.0
    cdef floating t
    cdef bint over
    cdef int failed = 0
    cdef floating* tile
    cdef floating* scratch
    cdef floating* mv
    cdef intp_t* mi
    cdef KeyIndex* items
    cdef KeyIndex* scan_items
    cdef KeyIndex* row_items
    if n == 0:
        return
    block = max(1, min(block, n))
    nb = (n + block - 1) // block
    n_pairs = (nb + 1) // 2
    n_threads = max(1, n_threads)
    # Per slot: the candidate lists of all n queries.
    cdef floating** s_slab_v = <floating**>calloc(n_threads, sizeof(floating*))
    cdef intp_t** s_slab_i = <intp_t**>calloc(n_threads, sizeof(intp_t*))
    cdef floating*** s_vals = <floating***>calloc(n_threads, sizeof(floating**))
    cdef intp_t*** s_idxs = <intp_t***>calloc(n_threads, sizeof(intp_t**))
    cdef Py_ssize_t** s_cnt = <Py_ssize_t**>calloc(n_threads, sizeof(Py_ssize_t*))
    cdef Py_ssize_t** s_cap = <Py_ssize_t**>calloc(n_threads, sizeof(Py_ssize_t*))
    cdef floating** s_thr = <floating**>calloc(n_threads, sizeof(floating*))
    cdef floating** s_heap = <floating**>calloc(n_threads, sizeof(floating*))
    cdef int[::1] errors = np.zeros(1, dtype=np.intc)
    if (s_slab_v == NULL or s_slab_i == NULL or s_vals == NULL or s_idxs == NULL
            or s_cnt == NULL or s_cap == NULL or s_thr == NULL or s_heap == NULL):
        errors[0] = 1
    try:
        if not errors[0]:
            with nogil, parallel(num_threads=n_threads):
                for s in prange(n_threads, schedule='static', chunksize=1):
                    s_slab_v[s] = <floating*>malloc(n * cap0 * sizeof(floating))
                    s_slab_i[s] = <intp_t*>malloc(n * cap0 * sizeof(intp_t))
                    # Zeroed: a list pointer is either NULL, in the slab, or its own block.
                    s_vals[s] = <floating**>calloc(n, sizeof(floating*))
                    s_idxs[s] = <intp_t**>calloc(n, sizeof(intp_t*))
                    s_cnt[s] = <Py_ssize_t*>malloc(n * sizeof(Py_ssize_t))
                    s_cap[s] = <Py_ssize_t*>malloc(n * sizeof(Py_ssize_t))
                    s_thr[s] = <floating*>malloc(n * sizeof(floating))
                    s_heap[s] = <floating*>malloc(n * k * sizeof(floating))
                    tile = <floating*>malloc(block * block * sizeof(floating))
                    scratch = <floating*>malloc(limit * sizeof(floating))
                    if (s_slab_v[s] == NULL or s_slab_i[s] == NULL or s_vals[s] == NULL
                            or s_idxs[s] == NULL or s_cnt[s] == NULL or s_cap[s] == NULL
                            or s_thr[s] == NULL or s_heap[s] == NULL or tile == NULL
                            or scratch == NULL):
                        errors[0] = 1
                    else:
                        for q in range(n):
                            s_vals[s][q] = s_slab_v[s] + q * cap0
                            s_idxs[s][q] = s_slab_i[s] + q * cap0
                            s_cnt[s][q] = 0
                            s_cap[s][q] = cap0
                            s_thr[s][q] = INFINITY
                        for q in range(n * k):
                            s_heap[s][q] = INFINITY
                        p = s
                        while p < n_pairs:
                            for pi in range(2):
                                I = p if pi == 0 else nb - 1 - p
                                if pi == 1 and I == p:
                                    break
                                I0 = I * block
                                mI = min(block, n - I0)
                                for J in range(I, nb):
                                    J0 = J * block
                                    _sym_tile(&X[0, 0], &lkey[0], &ukey[0], &qbound[0], I0, mI,
                                              J0, min(block, n - J0), d, k, alpha, tile,
                                              s_vals[s], s_idxs[s], s_cnt[s], s_cap[s],
                                              s_thr[s], s_heap[s], s_slab_v[s], s_slab_i[s],
                                              cap0, limit, scratch)
                            p = p + n_threads
                    free(tile)
                    free(scratch)
        if errors[0]:
            raise MemoryError("kneighbors: could not allocate the per-thread candidate lists")

        # Merge the slots' lists of each query, compact, re-rank exactly.
        with nogil, parallel(num_threads=n_threads):
            mv = <floating*>malloc(n_threads * limit * sizeof(floating))
            mi = <intp_t*>malloc(n_threads * limit * sizeof(intp_t))
            scratch = <floating*>malloc(n_threads * limit * sizeof(floating))
            items = <KeyIndex*>malloc(n_threads * limit * sizeof(KeyIndex))
            scan_items = NULL
            for q in prange(n, schedule='static'):
                if mv == NULL or mi == NULL or scratch == NULL or items == NULL:
                    errors[0] = 1
                    continue
                over = False
                tot = 0
                t = INFINITY
                for ts in range(n_threads):
                    if s_cap[ts][q] < 0:
                        over = True
                        break
                    c = s_cnt[ts][q]
                    memcpy(mv + tot, s_vals[ts][q], c * sizeof(floating))
                    memcpy(mi + tot, s_idxs[ts][q], c * sizeof(intp_t))
                    tot = tot + c
                    if s_thr[ts][q] < t:
                        t = s_thr[ts][q]
                row_items = NULL
                if over:
                    if not scan_overflow:
                        overflowed[q] = 1  # the caller redoes it in a finer precision
                    else:
                        row_items = _scan_buffer(&scan_items, n)
                        if row_items == NULL:
                            errors[0] = 1
                        else:
                            _finish_exact_scan(&Xo[q, 0], &Xo[0, 0], n, d, q, sign, row_items)
                else:
                    c = tot
                    if c > k:
                        c = _compact(mv, mi, c, k, qbound[q], &t, scratch, &lkey[0], &ukey[0])
                    if 2 * c > limit and not scan_overflow:
                        # As many near-ties as make a single list overflow: a finer scan is
                        # cheaper than re-ranking them all.
                        overflowed[q] = 1
                        continue
                    for e in range(c):
                        items[e].key = sign * exact_sqdist(&Xo[q, 0], &Xo[mi[e], 0], d)
                        items[e].index = mi[e]
                    sort_key_index(items, c)
                    row_items = items
                if row_items != NULL:
                    for e in range(k):
                        dist[q, e] = sqrt(sign * row_items[e].key)
                        ind[q, e] = row_items[e].index
            free(mv)
            free(mi)
            free(scratch)
            free(items)
            free(scan_items)
        if errors[0]:
            raise MemoryError("kneighbors: could not allocate the per-thread work buffers")
    finally:
        for u in range(n_threads):
            if (s_vals != NULL and s_idxs != NULL and s_slab_v != NULL and s_vals[u] != NULL
                    and s_idxs[u] != NULL and s_slab_v[u] != NULL):
                for r in range(n):
                    if s_vals[u][r] != s_slab_v[u] + r * cap0:
                        free(s_vals[u][r])
                        free(s_idxs[u][r])
            if s_slab_v != NULL:
                free(s_slab_v[u])
            if s_slab_i != NULL:
                free(s_slab_i[u])
            if s_vals != NULL:
                free(s_vals[u])
            if s_idxs != NULL:
                free(s_idxs[u])
            if s_cnt != NULL:
                free(s_cnt[u])
            if s_cap != NULL:
                free(s_cap[u])
            if s_thr != NULL:
                free(s_thr[u])
            if s_heap != NULL:
                free(s_heap[u])
        free(s_slab_v)
        free(s_slab_i)
        free(s_vals)
        free(s_idxs)
        free(s_cnt)
        free(s_cap)
        free(s_thr)
        free(s_heap)


# sum_pairwise_distances: the sum of the Euclidean distances over all ordered pairs of rows of X
#   (i != j), for KMeans-SMOTE's cluster density. Square blocks of `block` rows; each block pair
#   (I <= J) is one GEMM tile (-2 x_i . x_j) turned into sqrt(max(0, |x_i|^2 + |x_j|^2 -
#   2 x_i . x_j)) and summed, only the pairs j > i inside a diagonal block. Block row I is summed
#   by one thread in a fixed order and the block-row totals are added in order, so the result
#   does not depend on the number of threads.
#   Time O(n^2 d / 2) flops in BLAS and n^2 / 2 square roots; memory: one block x block tile of
#   float64 per thread (512 KiB for 256 rows) and one double per block row. Never n x n.
def sum_pairwise_distances(const double[:, ::1] X, const double[::1] sq, Py_ssize_t block,
                           int n_threads):
    """Sum of ||x_i - x_j|| over all ordered pairs i != j (see the comment above).

    sq: the squared norms of the rows of X (X is best centred). Inputs are trusted.
    """
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1]
    cdef Py_ssize_t n_blocks, bi, bj, i0, j0, mi, mj, i, j, jstart
    cdef double s, acc, v
    cdef double* tile
    cdef double[::1] partial
    cdef int[::1] errors = np.zeros(1, dtype=np.intc)
    if n < 2:
        return 0.0
    if d == 0:
        return 0.0
    block = max(1, min(block, n))
    n_blocks = (n + block - 1) // block
    partial = np.zeros(n_blocks)
    with nogil, parallel(num_threads=n_threads):
        tile = <double*>malloc(block * block * sizeof(double))
        for bi in prange(n_blocks, schedule='dynamic'):
            if tile == NULL:
                errors[0] = 1
            else:
                i0 = bi * block
                mi = min(block, n - i0)
                acc = 0.0
                for bj in range(bi, n_blocks):
                    j0 = bj * block
                    mj = min(block, n - j0)
                    # tile[i * mj + j] = -2 x_{i0+i} . x_{j0+j}
                    _gemm_nt(<int>mj, <int>mi, <int>d, <double>-2.0, &X[j0, 0], &X[i0, 0], tile)
                    s = 0.0
                    for i in range(mi):
                        jstart = i + 1 if bj == bi else 0
                        for j in range(jstart, mj):
                            v = tile[i * mj + j] + sq[i0 + i] + sq[j0 + j]
                            if v > 0:
                                s = s + sqrt(v)
                    acc = acc + 2.0 * s
                partial[bi] = acc
        free(tile)
    if errors[0]:
        raise MemoryError("sum_pairwise_distances: could not allocate the work buffers")
    acc = 0.0
    for bi in range(n_blocks):
        acc += partial[bi]
    return acc


# Preparation of the rows for knn_brute: the GEMM copy and its norms in one parallel pass. O(n d)
# time, no memory beyond the outputs.
def centre_rows(const data_floating[:, ::1] A, const data_floating[::1] mean,
                const intp_t[::1] order, floating[:, ::1] out, double[::1] norms,
                int n_threads):
    """out[i] = A[order[i]] - mean, subtracted in A's precision and stored in out's; norms[i] =
    ||out[i]||^2 accumulated in float64 in index order. order None: the rows in place."""
    cdef Py_ssize_t n = out.shape[0], d = out.shape[1], i, j, src
    cdef floating v
    cdef double s
    cdef bint permuted = order is not None
    if n == 0:
        return
    for i in prange(n, nogil=True, num_threads=n_threads, schedule='static'):
        src = order[i] if permuted else i
        s = 0.0
        for j in range(d):
            v = <floating>(A[src, j] - mean[j])
            out[i, j] = v
            s = s + <double>v * <double>v
        norms[i] = s

