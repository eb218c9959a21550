# Exact k-nearest (or k-farthest) neighbours by brute force, and the exact re-ranking of the
# candidate lists of a KD-tree.
#
# knn_brute: for each query row q of Q, the k rows r of R that minimise (or, farthest, maximise)
#   the euclidean distance, excluding r == exclude[q], ordered by (exact distance, row index).
#   - Candidates come from the GEMM trick on centred rows in the scan precision (`floating`,
#     float32 by default even for float64 data): key(q, r) = ||r||^2 - 2 q.r (||q||^2 is
#     constant per query and dropped), the cross term by BLAS ?gemm on a (chunk_q x chunk_r)
#     tile, one tile per thread.
#   - Selection is fused into the tile pass. With a rigorous bound e(q, r) = c (||q||^2 +
#     ||r||^2) of the rounding error of a key (c = (2d + 16) eps, set by the caller), a query
#     keeps every row whose lower bound (key - e) is <= the k-th smallest upper bound (key + e)
#     seen so far, so every row among the exact k best (ties included) stays in its list,
#     whatever the rounding. lkey/ukey hold the per-row parts of the two bounds, qbound the
#     per-query part (2 c ||q||^2). The threshold is cached per query; a vectorised pass over
#     blocks of 64 rows skips blocks without a candidate, so a rejected row costs an add and a
#     compare. A full list is compacted with a quickselect (a reservoir of 2k + 32); for k = 1
#     the threshold follows the running minimum (an argmin).
#   - The list is then re-ranked with squared distances computed exactly in float64 from the
#     original rows (`data_floating`), and sorted by (distance, index). A list that outgrows its
#     limit (massive near-ties at the scan precision) is flagged for the caller to redo in
#     float64, or, when asked, answered by an exact scan of all rows.
#   - So results do not depend on the GEMM's rounding, the chunk sizes or the thread count.
#   Complexity: O(n_q * n_r * d) flops in BLAS, O(n_q * n_r) adds and compares, and
#   O(n_q * (k + 32) * d) for the re-ranking. Peak extra memory: per thread one tile
#   (chunk_q * chunk_r scan values, 512 KiB by default) and chunk_q lists of 2k + 32 candidates,
#   plus O(n_r) for a query whose ties overflow its list. Never an n x n matrix.
#
# rerank_candidates: exact (distance, index) re-ranking of a KD-tree's k + m candidates per
#   query, with a flag telling whether the list provably holds the exact top k.
#   O(n_q * (k + m) * d) time, O(k + m) memory per thread.
from cython.parallel cimport parallel, prange
from libc.math cimport sqrt, INFINITY
from libc.stdlib cimport malloc, free, qsort
from libc.string cimport memcpy
from scipy.linalg.cython_blas cimport sgemm, dgemm

import numpy as np
cimport numpy as cnp
from resamplekit._kernels._typedefs cimport floating

cnp.import_array()


cdef double exact_sqdist(const data_floating* a, const data_floating* b,
                         Py_ssize_t d) noexcept nogil:
    """Squared euclidean distance, accumulated in float64 in index order."""
    cdef double s = 0.0, t
    cdef Py_ssize_t j
    for j in range(d):
        t = <double>a[j] - <double>b[j]
        s += t * t
    return s


cdef int _cmp_key_index(const void* pa, const void* pb) noexcept nogil:
    cdef const KeyIndex* a = <const KeyIndex*>pa
    cdef const KeyIndex* b = <const KeyIndex*>pb
    if a.key < b.key:
        return -1
    if a.key > b.key:
        return 1
    if a.index < b.index:
        return -1
    if a.index > b.index:
        return 1
    return 0


cdef void sort_key_index(KeyIndex* items, Py_ssize_t n) noexcept nogil:
    """Sort by (key, index): the total order of the whole library's neighbour lists."""
    if n > 1:
        qsort(items, n, sizeof(KeyIndex), _cmp_key_index)


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


cdef inline int _count_at_most(const floating* a, const floating* b, Py_ssize_t n,
                               floating t) noexcept nogil:
    """Number of j < n with a[j] + b[j] <= t (a loop the compiler vectorises)."""
    cdef int hits = 0
    cdef Py_ssize_t j
    for j in range(n):
        hits += (a[j] + b[j]) <= t
    return hits


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


cdef int _query_chunk(
    const floating* Q, const floating* R, const data_floating* Qo, const data_floating* Ro,
    const floating* lkey, const floating* ukey, const floating* bound, const intp_t* exclude,
    Py_ssize_t q0, Py_ssize_t mq, Py_ssize_t n_r, Py_ssize_t d, Py_ssize_t k,
    bint farthest, Py_ssize_t chunk_r, Py_ssize_t cap0, Py_ssize_t limit,
    floating* tile, floating* slab_v, intp_t* slab_i, floating** vals, intp_t** idxs,
    Py_ssize_t* cnt, Py_ssize_t* cap, floating* thr, floating* scratch, KeyIndex* items,
    KeyIndex** scan_items, bint scan_overflow, cnp.uint8_t* overflowed, double* dist,
    intp_t* ind,
) noexcept nogil:
    """Process queries q0 .. q0+mq-1 against all rows of R. Returns -1 on allocation failure."""
    cdef Py_ssize_t i, j, jb, j0, j1, rc, r0, mr, c, e, ncap
    cdef bint break_all
    cdef floating t, v, b, tt
    cdef floating alpha = 2 if farthest else -2
    cdef double sign = -1.0 if farthest else 1.0
    cdef const floating* row
    cdef const floating* lk
    cdef const floating* uk
    cdef floating* vv
    cdef intp_t* ii
    cdef floating* nv
    cdef intp_t* ni
    cdef intp_t ex
    cdef KeyIndex* row_items
    cdef bint one = k == 1
    cdef int status = 0

    for i in range(mq):
        cnt[i] = 0
        cap[i] = cap0
        vals[i] = slab_v + i * cap0
        idxs[i] = slab_i + i * cap0
        thr[i] = INFINITY

    for rc in range((n_r + chunk_r - 1) // chunk_r):
        r0 = rc * chunk_r
        mr = min(chunk_r, n_r - r0)
        _gemm_nt(<int>mr, <int>mq, <int>d, alpha, R + r0 * d, Q + q0 * d, tile)
        lk = lkey + r0
        uk = ukey + r0
        for i in range(mq):
            row = tile + i * mr
            t = thr[i]
            b = bound[q0 + i]
            ex = exclude[q0 + i] - r0
            c = cnt[i]
            vv = vals[i]
            ii = idxs[i]
            break_all = False
            for jb in range((mr + _BLOCK - 1) // _BLOCK):
                j0 = jb * _BLOCK
                j1 = min(j0 + _BLOCK, mr)
                # Vectorised pre-filter: most blocks hold no candidate at all.
                if _count_at_most(row + j0, lk + j0, j1 - j0, t) == 0:
                    continue
                for j in range(j0, j1):
                    v = row[j] + lk[j]
                    if v <= t:
                        if j == ex:
                            continue
                        vv[c] = v
                        ii[c] = r0 + j
                        c += 1
                        if one:
                            tt = row[j] + uk[j] + b
                            if tt < t:
                                t = tt
                        if c == cap[i]:
                            c = _compact(vv, ii, c, k, b, &t, scratch, lkey, ukey)
                            if 2 * c > cap[i]:
                                # Many near-ties: grow the list, or give up (exact scan later).
                                ncap = 2 * cap[i]
                                if ncap > limit:
                                    c = 0
                                    cap[i] = -1
                                    t = -INFINITY
                                    break_all = True
                                    break
                                nv = <floating*>malloc(ncap * sizeof(floating))
                                ni = <intp_t*>malloc(ncap * sizeof(intp_t))
                                if nv == NULL or ni == NULL:
                                    free(nv)
                                    free(ni)
                                    c = 0
                                    cap[i] = -1
                                    t = -INFINITY
                                    break_all = True
                                    break
                                memcpy(nv, vv, c * sizeof(floating))
                                memcpy(ni, ii, c * sizeof(intp_t))
                                if vv != slab_v + i * cap0:
                                    free(vv)
                                    free(ii)
                                vv = nv
                                ii = ni
                                vals[i] = vv
                                idxs[i] = ii
                                cap[i] = ncap
                if break_all:
                    break
            cnt[i] = c
            thr[i] = t

    for i in range(mq):
        row_items = NULL
        if cap[i] < 0:
            if not scan_overflow:
                overflowed[q0 + i] = 1  # the caller redoes it in a finer precision
            else:
                if scan_items[0] == NULL:
                    scan_items[0] = <KeyIndex*>malloc(n_r * sizeof(KeyIndex))
                if scan_items[0] == NULL:
                    status = -1
                else:
                    _finish_exact_scan(Qo + (q0 + i) * d, Ro, n_r, d, exclude[q0 + i], sign,
                                       scan_items[0])
                    row_items = scan_items[0]
        else:
            c = cnt[i]
            vv = vals[i]
            ii = idxs[i]
            if c > k:  # the threshold may be stale since the last compaction: tighten it
                t = thr[i]
                c = _compact(vv, ii, c, k, bound[q0 + i], &t, scratch, lkey, ukey)
            for e in range(c):
                items[e].key = sign * exact_sqdist(Qo + (q0 + i) * d, Ro + ii[e] * d, d)
                items[e].index = ii[e]
            sort_key_index(items, c)
            row_items = items
        if vals[i] != slab_v + i * cap0:
            free(vals[i])
            free(idxs[i])
        if row_items != NULL:
            for e in range(k):
                dist[(q0 + i) * k + e] = sqrt(sign * row_items[e].key)
                ind[(q0 + i) * k + e] = row_items[e].index
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
):
    """Fill dist/ind with the exact k nearest (farthest) rows of R for each row of Q.

    Q, R: centred data for the GEMM; Qo, Ro: the original rows (exact re-ranking). With
    s = +1 (nearest) or -1 (farthest), n_r = ||r||^2 of the centred rows and c the relative
    error bound: lkey = s n_r - c n_r, ukey = s n_r + c n_r, qbound = 2 c ||q||^2. exclude: per
    query, a row of R to skip (-1 for none). A query whose candidate list overflows (massive
    near-ties at the scan precision) is answered by an exact scan of all rows if scan_overflow,
    else flagged in overflowed (and its output rows left unwritten). Inputs are trusted
    (validated by resamplekit._neighbors).
    """
    cdef Py_ssize_t n_q = Q.shape[0], n_r = R.shape[0], d = Q.shape[1]
    cdef Py_ssize_t n_chunks = (n_q + chunk_q - 1) // chunk_q
    cdef Py_ssize_t cap0 = 2 * k + 32
    cdef Py_ssize_t limit = max(8 * cap0, 4096)
    cdef Py_ssize_t ch, mq
    cdef int failed = 0
    cdef floating* tile
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
    if n_q == 0:
        return
    chunk_r = min(chunk_r, n_r)
    chunk_q = min(chunk_q, n_q)

    with nogil, parallel(num_threads=n_threads):
        tile = <floating*>malloc(chunk_q * chunk_r * sizeof(floating))
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
            if (tile == NULL or slab_v == NULL or slab_i == NULL or vals == NULL
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
                ) != 0:
                    errors[0] = 1
        free(tile)
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
