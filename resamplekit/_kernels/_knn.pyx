# Exact k-nearest (or k-farthest) neighbours by brute force, and the exact re-ranking of the
# candidate lists of a KD-tree.
#
# knn_brute: for each query row q of Q, the k rows r of R that minimise (or, farthest, maximise)
#   the euclidean distance, excluding r == exclude[q], ordered by (exact distance, row index).
#   - Candidates come from the GEMM trick on centred rows in the scan precision (`floating`,
#     float32 by default even for float64 data): key(q, r) = ||r||^2 - 2 q.r (||q||^2 is
#     constant per query and dropped), the cross term by BLAS ?gemm on a (chunk_q x chunk_r)
#     tile, one tile per thread; or, for float32 on a CPU with AVX-512F (or AVX2 and FMA), by
#     rk_fused_scan in registers (8 queries x 16 rows at a time, R packed in blocks of 16
#     rows), no tile.
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
#   chunk of R when pruning, all in one workspace per thread (_ws_new). Never an n x n matrix.
#   Structure: per query chunk, plan (_plan_chunk), scan (_scan_fused or _scan_gemm over the
#   chunks of R each query needs, _active_queries) and finalise (_finalise: compaction, exact
#   re-ranking, output), the last shared with knn_brute_sym.
#
# All three kernels stop at their next chunk on Ctrl-C (the calling thread polls the signal
# handlers between chunks; see _common.pxd) and raise KeyboardInterrupt with every buffer freed.
#
# rerank_candidates: exact (distance, index) re-ranking of a KD-tree's k + m candidates per
#   query, with a flag telling whether the list provably holds the exact top k.
#   O(n_q * (k + m) * d) time, O(k + m) memory per thread.
from cython.parallel cimport parallel, prange, threadid
from libc.math cimport sqrt, INFINITY
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy, memset
from scipy.linalg.cython_blas cimport sgemm, dgemm

import numpy as np
cimport numpy as cnp
from ._common cimport (KeyIndex, data_floating, exact_sqdist, floating, heap_replace_top,
                       intp_t, poll_signals, raise_pending, sort_key_index, RK_DEBUG)

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


# The filter loops (AVX2 clones where the toolchain supports them) and the fused scan (AVX-512F,
# or AVX2 with FMA) of knn_brute's float32 pass, in plain C: see knn_scan.h.
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
    int rk_fused_scan_isa()
    int rk_ctz(unsigned int x)


def fused_scan_available():
    """Whether this CPU runs knn_brute's fused float32 scan (AVX-512F, or AVX2 with FMA)."""
    return bool(rk_fused_scan_available())


def fused_scan_isa():
    """The fused scan this CPU runs: 'avx512f', 'avx2-fma' or None (GEMM tiles only). Both
    compute the same keys bit for bit."""
    return {2: "avx512f", 1: "avx2-fma"}.get(rk_fused_scan_isa())


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


# ---------------------------------------------------------------------------------------------
# The shared machinery of knn_brute and knn_brute_sym.
#
# A call's constants live in a ScanSpec; each thread owns one Workspace (one allocation, made by
# _ws_new and released by _ws_free) holding its candidate lists (CandLists) and every scratch
# buffer. A query chunk of knn_brute is planned (_plan_chunk: lists emptied, chunks of R
# ordered when pruning), scanned (_active_queries, then _scan_fused or _scan_gemm per chunk of
# R) and finalised (_finalise, per query); knn_brute_sym scans its tiles (_sym_tile), merges
# its slots' lists and finalises through the same _finalise. Structs cannot hold fused types:
# arrays in the scan precision (floating) or the data precision (data_floating) are stored as
# void pointers and cast back by the fused functions.

ctypedef struct ScanSpec:
    Py_ssize_t n_r            # rows of R
    Py_ssize_t d              # features
    Py_ssize_t k              # neighbours per query
    Py_ssize_t cap0           # initial entries of a candidate list
    Py_ssize_t limit          # entries beyond which a list is abandoned (overflow)
    Py_ssize_t chunk_r        # rows of R per chunk (knn_brute)
    Py_ssize_t n_rc           # chunks of R
    bint scan_overflow        # answer an abandoned list by an exact scan (else flag it)
    double sign               # +1 nearest, -1 farthest
    const void* Q             # centred queries, scan precision, row-major
    const void* R             # centred rows, scan precision, row-major
    const void* lkey          # per row of R: the row's part of the lower bound of a key
    const void* ukey          # per row of R: the row's part of the upper bound of a key
    const void* qbound        # per query: the query's part of the bounds
    const intp_t* exclude     # per query, a position in R to skip (-1: none); NULL: none
    const intp_t* q_orig      # row of Q -> row of Qo and of the outputs; NULL: identity
    const intp_t* r_orig      # row of R -> row of Ro; NULL: identity
    cnp.uint8_t* overflowed   # outputs (rows in Qo's order)
    double* dist
    intp_t* ind
    Py_ssize_t m              # pruning: projections per row (q_proj NULL: no pruning)
    const double* q_proj
    const double* q_norm
    const double* r_lo
    const double* r_hi
    const double* r_err
    double err_max
    const float* Rp           # fused scan: R in blocks of 16 rows (NULL: GEMM tiles)
    const float* lkp          # fused scan: lkey padded with NaN
    int* flags                # shared: [_NO_MEMORY], [_ABORTED] (Ctrl-C), [_BAD_INDEX] (debug)


cdef enum:
    _NO_MEMORY = 0
    _ABORTED = 1
    _BAD_INDEX = 2
    _QCHUNK = 256             # queries between two signal checks of rerank_candidates


# The candidate lists of n queries: window values (lower bounds of keys) and rows, counts,
# capacities (-1: abandoned), thresholds, and per list a max-heap of the k smallest upper
# bounds seen. A list starts in its slot of the slab (cap0 entries) and grows into blocks of
# its own (freed when emptied, abandoned or released).
ctypedef struct CandLists:
    Py_ssize_t n, k, cap0, limit
    size_t fsize              # sizeof(floating)
    void* slab_v
    intp_t* slab_i
    void** vals
    intp_t** idxs
    Py_ssize_t* cnt
    Py_ssize_t* cap
    void* thr
    void* heap
    void* scratch             # compaction (and merge) scratch
    const void* lkey
    const void* ukey


ctypedef struct Workspace:
    CandLists lists
    void* tile                # GEMM tile (scan precision)
    void* qbuf                # copies of the active queries (scan precision)
    intp_t* act               # active queries of a chunk of R
    KeyIndex* items           # exact re-ranking
    KeyIndex* visit           # pruning: chunks of R in visit order
    double* lb_rest           # pruning: suffix minima of the chunks' lower bounds
    float* q8                 # fused scan: 8 queries, thresholds, values, masks
    float* thr8
    float* vals8
    unsigned int* masks8
    void* merge_v             # knn_brute_sym: a query's lists merged over the slots
    intp_t* merge_i
    KeyIndex* scan_items      # exact scan of all rows; allocated on first use
    Py_ssize_t n_r


# Sizes, in entries, of a Workspace's buffers.
ctypedef struct WorkspaceSize:
    Py_ssize_t n_lists, k, cap0, limit
    Py_ssize_t n_scratch, n_tile, n_qbuf, n_act, n_items, n_visit, d_fused, n_merge, n_r


cdef int _raise_flags(const int* flags, str where) except -1:
    if flags[_ABORTED]:
        raise_pending()
    if flags[_NO_MEMORY]:
        raise MemoryError(f"{where}: could not allocate the per-thread work buffers")
    if flags[_BAD_INDEX]:
        raise RuntimeError(f"{where}: a row index out of range (debug check)")
    return 0


cdef inline size_t _carve(size_t* off, size_t nbytes) noexcept nogil:
    """Reserve nbytes at the next 64-byte boundary of a block being laid out; its offset."""
    cdef size_t at = (off[0] + 63) & ~(<size_t>63)
    off[0] = at + nbytes
    return at


cdef Workspace* _ws_new(const WorkspaceSize* z, size_t fsize, const ScanSpec* sp) noexcept nogil:
    """A thread's workspace in one allocation (NULL: failed); its lists in their slab slots."""
    cdef size_t off = sizeof(Workspace)
    cdef size_t o_sv = _carve(&off, z.n_lists * z.cap0 * fsize)
    cdef size_t o_si = _carve(&off, z.n_lists * z.cap0 * sizeof(intp_t))
    cdef size_t o_vals = _carve(&off, z.n_lists * sizeof(void*))
    cdef size_t o_idxs = _carve(&off, z.n_lists * sizeof(intp_t*))
    cdef size_t o_cnt = _carve(&off, z.n_lists * sizeof(Py_ssize_t))
    cdef size_t o_cap = _carve(&off, z.n_lists * sizeof(Py_ssize_t))
    cdef size_t o_thr = _carve(&off, z.n_lists * fsize)
    cdef size_t o_heap = _carve(&off, z.n_lists * z.k * fsize)
    cdef size_t o_scr = _carve(&off, z.n_scratch * fsize)
    cdef size_t o_tile = _carve(&off, z.n_tile * fsize)
    cdef size_t o_qbuf = _carve(&off, z.n_qbuf * fsize)
    cdef size_t o_act = _carve(&off, z.n_act * sizeof(intp_t))
    cdef size_t o_items = _carve(&off, z.n_items * sizeof(KeyIndex))
    cdef size_t o_visit = _carve(&off, z.n_visit * sizeof(KeyIndex))
    cdef size_t o_lb = _carve(&off, z.n_visit * sizeof(double))
    cdef size_t o_q8 = _carve(&off, 8 * z.d_fused * sizeof(float) + 8)
    cdef size_t o_thr8 = _carve(&off, 8 * sizeof(float))
    cdef size_t o_vals8 = _carve(&off, 128 * sizeof(float))
    cdef size_t o_masks8 = _carve(&off, 8 * sizeof(unsigned int))
    cdef size_t o_mv = _carve(&off, z.n_merge * fsize)
    cdef size_t o_mi = _carve(&off, z.n_merge * sizeof(intp_t))
    cdef char* block = <char*>malloc(off)
    cdef Workspace* ws = <Workspace*>block
    cdef CandLists* L
    cdef Py_ssize_t i
    if block == NULL:
        return NULL
    memset(ws, 0, sizeof(Workspace))
    L = &ws.lists
    L.n = z.n_lists
    L.k = z.k
    L.cap0 = z.cap0
    L.limit = z.limit
    L.fsize = fsize
    L.slab_v = block + o_sv
    L.slab_i = <intp_t*>(block + o_si)
    L.vals = <void**>(block + o_vals)
    L.idxs = <intp_t**>(block + o_idxs)
    L.cnt = <Py_ssize_t*>(block + o_cnt)
    L.cap = <Py_ssize_t*>(block + o_cap)
    L.thr = block + o_thr
    L.heap = block + o_heap
    L.scratch = block + o_scr
    L.lkey = sp.lkey
    L.ukey = sp.ukey
    for i in range(L.n):
        L.vals[i] = <char*>L.slab_v + i * L.cap0 * fsize
        L.idxs[i] = L.slab_i + i * L.cap0
    ws.tile = block + o_tile
    ws.qbuf = block + o_qbuf
    ws.act = <intp_t*>(block + o_act)
    ws.items = <KeyIndex*>(block + o_items)
    ws.visit = <KeyIndex*>(block + o_visit)
    ws.lb_rest = <double*>(block + o_lb)
    ws.q8 = <float*>(block + o_q8)
    ws.thr8 = <float*>(block + o_thr8)
    ws.vals8 = <float*>(block + o_vals8)
    ws.masks8 = <unsigned int*>(block + o_masks8)
    ws.merge_v = block + o_mv
    ws.merge_i = <intp_t*>(block + o_mi)
    ws.scan_items = NULL
    ws.n_r = z.n_r
    return ws


cdef inline bint _grown(const CandLists* L, Py_ssize_t q) noexcept nogil:
    """Whether list q lives in a block of its own (not in its slot of the slab)."""
    return L.vals[q] != <void*>(<char*>L.slab_v + q * L.cap0 * L.fsize)


cdef void _ws_free(Workspace* ws) noexcept nogil:
    """Release a workspace, its grown lists and its exact-scan buffer (NULL: nothing)."""
    cdef Py_ssize_t q
    if ws == NULL:
        return
    for q in range(ws.lists.n):
        if _grown(&ws.lists, q):
            free(ws.lists.vals[q])
            free(ws.lists.idxs[q])
    free(ws.scan_items)
    free(ws)


cdef void _lists_reset(CandLists* L, Py_ssize_t n, floating* thr) noexcept nogil:
    """Empty lists 0 .. n-1 (back to their slab slots), thresholds and heaps +inf."""
    cdef Py_ssize_t q, e
    cdef floating* heap = <floating*>L.heap
    for q in range(n):
        if _grown(L, q):
            free(L.vals[q])
            free(L.idxs[q])
            L.vals[q] = <floating*>L.slab_v + q * L.cap0
            L.idxs[q] = L.slab_i + q * L.cap0
        L.cnt[q] = 0
        L.cap[q] = L.cap0
        thr[q] = INFINITY
    for e in range(n * L.k):
        heap[e] = INFINITY


cdef KeyIndex* _scan_buffer(Workspace* ws) noexcept nogil:
    """The thread's buffer for exact scans of all rows, allocated on first use (NULL: failed)."""
    if ws.scan_items == NULL:
        ws.scan_items = <KeyIndex*>malloc(ws.n_r * sizeof(KeyIndex))
    return ws.scan_items


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




cdef inline void _sym_push(CandLists* L, Py_ssize_t q, floating v, floating u, intp_t r,
                           floating b) noexcept nogil:
    """Append row r (lower bound v, upper bound u without the query part b) to the list of q.

    L.heap[q*k : q*k+k] is a max-heap of the k smallest upper bounds (u + b) of the rows
    appended so far (+inf until k rows came), and the threshold follows its top (for k = 1:
    the running minimum). A full list is compacted, grown when still more than half full, and
    abandoned (cap = -1, threshold -inf: nothing passes any more) beyond L.limit.
    """
    cdef Py_ssize_t c = L.cnt[q], ncap, k = L.k
    cdef floating* vv = <floating*>L.vals[q]
    cdef intp_t* ii = L.idxs[q]
    cdef floating* thr = <floating*>L.thr
    cdef floating* heap = <floating*>L.heap
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
    if c == L.cap[q]:
        c = _compact(vv, ii, c, k, b, &thr[q], <floating*>L.scratch, <const floating*>L.lkey,
                     <const floating*>L.ukey)
        if 2 * c > L.cap[q]:
            ncap = 2 * L.cap[q]
            nv = NULL
            ni = NULL
            if ncap <= L.limit:
                nv = <floating*>malloc(ncap * sizeof(floating))
                ni = <intp_t*>malloc(ncap * sizeof(intp_t))
            if nv == NULL or ni == NULL:
                free(nv)
                free(ni)
                if _grown(L, q):
                    free(vv)
                    free(ii)
                L.vals[q] = <floating*>L.slab_v + q * L.cap0
                L.idxs[q] = L.slab_i + q * L.cap0
                L.cnt[q] = 0
                L.cap[q] = -1
                thr[q] = -INFINITY
                return
            memcpy(nv, vv, c * sizeof(floating))
            memcpy(ni, ii, c * sizeof(intp_t))
            if _grown(L, q):
                free(vv)
                free(ii)
            L.vals[q] = nv
            L.idxs[q] = ni
            L.cap[q] = ncap
    L.cnt[q] = c


cdef void _plan_chunk(const ScanSpec* sp, Workspace* ws, Py_ssize_t q0, Py_ssize_t mq,
                      floating* thr) noexcept nogil:
    """Plan of a query chunk: its lists emptied; when pruning, the chunks of R in visit order
    (ws.visit: by the distance between the centres of their boxes of projections and the
    chunk's) and ws.lb_rest[step], the smallest box-to-box lower bound from step on."""
    cdef Py_ssize_t i, ax, rc, step, m = sp.m, n_rc = sp.n_rc
    cdef double qlo[8]
    cdef double qhi[8]
    cdef double gap, g, lb
    cdef const double* pq
    _lists_reset(&ws.lists, mq, thr)
    if sp.q_proj == NULL:
        return
    for ax in range(m):
        qlo[ax] = INFINITY
        qhi[ax] = -INFINITY
    for i in range(mq):
        pq = sp.q_proj + (q0 + i) * m
        for ax in range(m):
            if pq[ax] < qlo[ax]:
                qlo[ax] = pq[ax]
            if pq[ax] > qhi[ax]:
                qhi[ax] = pq[ax]
    # The nearest rows first, so thresholds tighten early.
    for rc in range(n_rc):
        g = 0.0
        for ax in range(m):
            gap = 0.5 * (sp.r_lo[rc * m + ax] + sp.r_hi[rc * m + ax] - qlo[ax] - qhi[ax])
            g += gap * gap
        ws.visit[rc].key = g
        ws.visit[rc].index = rc
    sort_key_index(ws.visit, n_rc)
    for step in range(n_rc - 1, -1, -1):
        rc = ws.visit[step].index
        lb = _box_gap2(sp.r_lo + rc * m, sp.r_hi + rc * m, qlo, qhi, m)
        if step < n_rc - 1 and ws.lb_rest[step + 1] < lb:
            lb = ws.lb_rest[step + 1]
        ws.lb_rest[step] = lb


cdef Py_ssize_t _active_queries(const ScanSpec* sp, Workspace* ws, Py_ssize_t q0,
                                Py_ssize_t mq, Py_ssize_t step, const floating* thr,
                                Py_ssize_t* rc_out) noexcept nogil:
    """The chunk of R of this step (rc_out) and the queries that need it (ws.act); their
    number, or -1 when no query needs any chunk left (pruning)."""
    cdef Py_ssize_t i, qi, rc, n_act = 0, m = sp.m
    cdef double lb, reach, g, gap
    cdef const double* pq
    cdef const floating* bound = <const floating*>sp.qbound
    if sp.q_proj == NULL:
        rc_out[0] = step
        for i in range(mq):
            ws.act[i] = i
        return mq
    # A row r can enter the list of query q only if its lower bound key, which is >=
    # ||q - r||^2 - ||q||^2 - c(||q||^2 + 2 ||r||^2), is <= the list's threshold t; and
    # ||q - r||^2 >= the squared distance g^2 between q's projections and the chunk's box (the
    # axes are orthonormal). So q skips the chunk when g^2 > t + (1 + c)||q||^2 + 2c max
    # ||r||^2 (r_err), with a relative margin for the rounding of g; the scan runs over the
    # remaining queries only. Once the smallest bound of the chunks left exceeds every query's
    # reach, nothing is left to do.
    rc = ws.visit[step].index
    rc_out[0] = rc
    lb = ws.lb_rest[step]
    if lb > 0:
        # (the bound of each query below, made uniform: g^2 >= lb, err_max >= r_err)
        reach = -INFINITY
        for i in range(mq):
            g = (<double>thr[i] + sp.q_norm[q0 + i] * (1.0 + 1e-6)
                 + 0.5 * <double>bound[q0 + i])
            if g > reach:
                reach = g
        if lb * (1.0 - 2e-6) > reach + sp.err_max:
            return -1
    for i in range(mq):
        qi = q0 + i
        pq = sp.q_proj + qi * m
        gap = _box_gap2(sp.r_lo + rc * m, sp.r_hi + rc * m, pq, pq, m)
        if gap > 0 and gap * (1.0 - 1e-6) > (
                <double>thr[i] + sp.q_norm[qi] + 0.5 * <double>bound[qi] + sp.r_err[rc]
                + 1e-6 * (sp.q_norm[qi] + gap)):
            continue
        ws.act[n_act] = i
        n_act += 1
    return n_act


cdef void _scan_gemm(const ScanSpec* sp, Workspace* ws, Py_ssize_t q0, Py_ssize_t mq,
                     Py_ssize_t n_act, Py_ssize_t rc, floating alpha) noexcept nogil:
    """Scan of chunk rc of R for the active queries: keys by one GEMM tile, then the window
    filter (vectorised pre-filter by blocks of 64 rows, then 16) and _sym_push for the rows
    that pass."""
    cdef Py_ssize_t a, i, j, jb, j0, j1, s0, s1, d = sp.d
    cdef Py_ssize_t r0 = rc * sp.chunk_r
    cdef Py_ssize_t mr = min(sp.chunk_r, sp.n_r - r0)
    cdef const floating* Q = <const floating*>sp.Q
    cdef const floating* lk = <const floating*>sp.lkey + r0
    cdef const floating* uk = <const floating*>sp.ukey + r0
    cdef const floating* bound = <const floating*>sp.qbound
    cdef floating* tile = <floating*>ws.tile
    cdef floating* qbuf = <floating*>ws.qbuf
    cdef floating* thr = <floating*>ws.lists.thr
    cdef const floating* row
    cdef floating t, v, b
    cdef intp_t ex
    if n_act == mq:
        _gemm_nt(<int>mr, <int>mq, <int>d, alpha, <const floating*>sp.R + r0 * d, Q + q0 * d,
                 tile)
    else:
        for a in range(n_act):
            memcpy(qbuf + a * d, Q + (q0 + ws.act[a]) * d, d * sizeof(floating))
        _gemm_nt(<int>mr, <int>n_act, <int>d, alpha, <const floating*>sp.R + r0 * d, qbuf,
                 tile)
    for a in range(n_act):
        i = ws.act[a]
        row = tile + a * mr
        b = bound[q0 + i]
        ex = sp.exclude[q0 + i] - r0
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
                        _sym_push(&ws.lists, i, v, row[j] + uk[j], r0 + j, b)
                        t = thr[i]


cdef void _scan_fused(const ScanSpec* sp, Workspace* ws, Py_ssize_t q0, Py_ssize_t n_act,
                      Py_ssize_t rc, float alpha) noexcept nogil:
    """Scan of chunk rc of R by rk_fused_scan (float32): groups of 8 active queries (the last
    padded with a copy of its first query, threshold -inf) against the chunk's blocks of 16
    rows; each block with a passing key comes back to push its candidates, with the same lower
    bound (key + lkey, one rounding) as the GEMM path."""
    cdef Py_ssize_t g0, ng, a, i, e, blk, b_end, pos, d = sp.d
    cdef Py_ssize_t r0 = rc * sp.chunk_r
    cdef Py_ssize_t mr = min(sp.chunk_r, sp.n_r - r0)
    cdef const float* Q = <const float*>sp.Q
    cdef const float* lkey = <const float*>sp.lkey
    cdef const float* ukey = <const float*>sp.ukey
    cdef const float* bound = <const float*>sp.qbound
    cdef float* thr = <float*>ws.lists.thr
    cdef float* thr8 = ws.thr8
    cdef float* vals8 = ws.vals8
    cdef unsigned int mask
    cdef float v, b
    b_end = (r0 + mr + 15) // 16
    for g0 in range(0, n_act, 8):
        ng = min(8, n_act - g0)
        for a in range(8):
            i = ws.act[g0 + a] if a < ng else ws.act[g0]
            memcpy(ws.q8 + a * d, Q + (q0 + i) * d, d * sizeof(float))
            thr8[a] = thr[i] if a < ng else -INFINITY
        blk = r0 // 16
        while True:
            blk = rk_fused_scan(ws.q8, sp.Rp, sp.lkp, thr8, alpha, blk, b_end, d, vals8,
                                ws.masks8)
            if blk >= b_end:
                break
            for a in range(ng):
                mask = ws.masks8[a]
                if mask == 0:
                    continue
                i = ws.act[g0 + a]
                b = bound[q0 + i]
                while mask:  # the passing rows, in increasing order
                    e = rk_ctz(mask)
                    mask &= mask - 1
                    pos = blk * 16 + e
                    if pos == sp.exclude[q0 + i]:
                        continue
                    v = vals8[a * 16 + e] + lkey[pos]
                    if v <= thr[i]:
                        _sym_push(&ws.lists, i, v, vals8[a * 16 + e] + ukey[pos], pos, b)
                thr8[a] = thr[i]
            blk += 1


cdef int _finalise(const ScanSpec* sp, Workspace* ws, floating* vv, intp_t* ii, Py_ssize_t c,
                   bint abandoned, floating t, floating b, Py_ssize_t max_c, intp_t exclude,
                   const data_floating* q, const data_floating* Ro,
                   Py_ssize_t out) noexcept nogil:
    """Finalise one query (row `out` of the outputs, original row q): its window (vv: lower
    bounds, ii: positions in R; t its threshold, b the query's part of the bounds) compacted
    to the final threshold, re-ranked by (exact distance, index) in float64, the k best
    written. An abandoned list, or one still holding more than max_c rows, is flagged in
    overflowed (the caller redoes it in a finer precision) or, with scan_overflow, answered by
    an exact scan of all rows but `exclude` (a row of Ro). Returns 0, or -1 when the scan
    buffer cannot be allocated, -2 (debug builds) for an index out of range."""
    cdef Py_ssize_t e, k = sp.k, d = sp.d
    cdef intp_t r
    cdef KeyIndex* row_items
    if abandoned:
        if not sp.scan_overflow:
            sp.overflowed[out] = 1
            return 0
        row_items = _scan_buffer(ws)
        if row_items == NULL:
            return -1
        _finish_exact_scan(q, Ro, sp.n_r, d, exclude, sp.sign, row_items)
    else:
        if c > k:  # the threshold may be stale since the last compaction: tighten it
            c = _compact(vv, ii, c, k, b, &t, <floating*>ws.lists.scratch,
                         <const floating*>sp.lkey, <const floating*>sp.ukey)
        if c > max_c and not sp.scan_overflow:
            # As many near-ties as make a list overflow: a finer scan is cheaper than
            # re-ranking them all.
            sp.overflowed[out] = 1
            return 0
        for e in range(c):
            r = ii[e] if sp.r_orig == NULL else sp.r_orig[ii[e]]
            ws.items[e].key = sp.sign * exact_sqdist(q, Ro + r * d, d)
            ws.items[e].index = r
        sort_key_index(ws.items, c)
        row_items = ws.items
    if RK_DEBUG:
        for e in range(k):
            if row_items[e].index < 0 or row_items[e].index >= sp.n_r:
                return -2
    for e in range(k):
        sp.dist[out * k + e] = sqrt(sp.sign * row_items[e].key)
        sp.ind[out * k + e] = row_items[e].index
    return 0


cdef int _query_chunk(const ScanSpec* sp, Workspace* ws, Py_ssize_t q0, Py_ssize_t mq,
                      floating alpha, const data_floating* Qo,
                      const data_floating* Ro) noexcept nogil:
    """knn_brute on queries q0 .. q0+mq-1: plan, scan every chunk of R (fused or GEMM tiles,
    pruned), finalise. Returns 0, or _finalise's first error."""
    cdef Py_ssize_t step, rc, n_act, i, qi, out
    cdef intp_t ex
    cdef int status = 0, st
    cdef CandLists* L = &ws.lists
    cdef floating* thr = <floating*>L.thr
    cdef const floating* bound = <const floating*>sp.qbound
    _plan_chunk(sp, ws, q0, mq, thr)
    for step in range(sp.n_rc):
        n_act = _active_queries(sp, ws, q0, mq, step, thr, &rc)
        if n_act < 0:
            break
        if n_act == 0:
            continue
        if floating is float:
            if sp.Rp != NULL:
                _scan_fused(sp, ws, q0, n_act, rc, alpha)
                continue
        _scan_gemm(sp, ws, q0, mq, n_act, rc, alpha)
    for i in range(mq):
        qi = q0 + i
        out = sp.q_orig[qi]  # the query's row in Qo and in the outputs
        ex = sp.exclude[qi]
        if ex >= 0:
            ex = sp.r_orig[ex]
        st = _finalise(sp, ws, <floating*>L.vals[i], L.idxs[i], L.cnt[i], L.cap[i] < 0, thr[i],
                       bound[qi], sp.limit, ex, Qo + out * sp.d, Ro, out)
        if st != 0 and status == 0:
            status = st
    return status


cdef inline void _note_status(int* flags, int st) noexcept nogil:
    if st == -1:
        flags[_NO_MEMORY] = 1
    elif st == -2:
        flags[_BAD_INDEX] = 1


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
    cdef Py_ssize_t n_chunks, ch, mq, n_rc, rc, j, ax, m = 0
    cdef floating alpha = 2 if farthest else -2
    cdef double e
    cdef double[:, ::1] r_lo, r_hi
    cdef double[::1] r_err
    cdef int flags[3]
    cdef ScanSpec sp
    cdef WorkspaceSize z
    cdef Workspace* ws
    if n_q == 0:
        return
    memset(&sp, 0, sizeof(ScanSpec))
    memset(&z, 0, sizeof(WorkspaceSize))
    memset(flags, 0, sizeof(flags))
    if Rp is not None:
        if sizeof(floating) != sizeof(float) or not rk_fused_scan_available():
            raise ValueError("knn_brute: the fused scan needs float32 rows and AVX-512F or "
                             "AVX2 with FMA")
        if (Rp.shape[0] != (n_r + 15) // 16 or Rp.shape[1] != d or Rp.shape[2] != 16
                or lkp is None or lkp.shape[0] != 16 * Rp.shape[0]
                or (chunk_r % 16 != 0 and chunk_r < n_r)):
            raise ValueError("knn_brute: Rp must be R in blocks of 16 rows, lkp lkey padded "
                             "to match, chunk_r a multiple of 16")
        if n_r > 0:
            sp.Rp = &Rp[0, 0, 0]
            sp.lkp = &lkp[0]
    chunk_r = min(chunk_r, n_r)
    chunk_q = min(chunk_q, n_q)
    n_chunks = (n_q + chunk_q - 1) // chunk_q
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
            sp.err_max = max(sp.err_max, r_err[rc])
        sp.m = m
        sp.q_proj = &q_proj[0, 0]
        sp.q_norm = &q_norm[0]
        sp.r_lo = &r_lo[0, 0]
        sp.r_hi = &r_hi[0, 0]
        sp.r_err = &r_err[0]

    sp.n_r = n_r
    sp.d = d
    sp.k = k
    sp.cap0 = 2 * k + 32
    sp.limit = max(8 * sp.cap0, 4096)
    sp.chunk_r = chunk_r
    sp.n_rc = n_rc
    sp.scan_overflow = scan_overflow
    sp.sign = -1.0 if farthest else 1.0
    sp.Q = &Q[0, 0]
    sp.R = &R[0, 0]
    sp.lkey = &lkey[0]
    sp.ukey = &ukey[0]
    sp.qbound = &qbound[0]
    sp.exclude = &exclude[0]
    sp.q_orig = &q_orig[0]
    sp.r_orig = &r_orig[0]
    sp.overflowed = &overflowed[0]
    sp.dist = &dist[0, 0]
    sp.ind = &ind[0, 0]
    sp.flags = flags

    z.n_lists = chunk_q
    z.k = k
    z.cap0 = sp.cap0
    z.limit = sp.limit
    z.n_scratch = sp.limit
    z.n_tile = 0 if sp.Rp != NULL else chunk_q * chunk_r
    z.n_qbuf = chunk_q * d
    z.n_act = chunk_q
    z.n_items = sp.limit
    z.n_visit = n_rc
    z.d_fused = d if sp.Rp != NULL else 0
    z.n_r = n_r

    with nogil, parallel(num_threads=n_threads):
        ws = _ws_new(&z, sizeof(floating), &sp)
        for ch in prange(n_chunks, schedule='dynamic'):
            if ws == NULL:
                flags[_NO_MEMORY] = 1
                continue
            poll_signals(&flags[_ABORTED])
            if flags[_ABORTED]:
                continue
            mq = min(chunk_q, n_q - ch * chunk_q)
            _note_status(flags, _query_chunk(&sp, ws, ch * chunk_q, mq, alpha, &Qo[0, 0],
                                             &Ro[0, 0]))
        _ws_free(ws)
    _raise_flags(flags, "kneighbors")


# rerank_candidates: exact (distance, index) re-ranking of a KD-tree's m candidates per query.
#   O(n_q * m * d) time; one list of m (key, index) pairs per thread.
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
    if RK_DEBUG:
        for e in range(k):
            if items[e].index < 0 or items[e].index >= n_r:
                return 2
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
    cdef Py_ssize_t n_chunks = (n_q + _QCHUNK - 1) // _QCHUNK
    cdef Py_ssize_t ch, q
    cdef KeyIndex* items
    cdef cnp.uint8_t res
    cdef int flags[3]
    if n_q == 0:
        return
    memset(flags, 0, sizeof(flags))
    with nogil, parallel(num_threads=n_threads):
        items = <KeyIndex*>malloc(m * sizeof(KeyIndex))
        for ch in prange(n_chunks, schedule='static'):
            if items == NULL:
                flags[_NO_MEMORY] = 1
                continue
            poll_signals(&flags[_ABORTED])
            if flags[_ABORTED]:
                continue
            for q in range(ch * _QCHUNK, min(n_q, (ch + 1) * _QCHUNK)):
                res = _rerank_one(&Qo[q, 0], &Ro[0, 0], &cand[q, 0], cand_dist[q, m - 1],
                                  exclude[q], n_r, d, m, k, items, &dist[q, 0], &ind[q, 0])
                if res == 2:
                    flags[_BAD_INDEX] = 1
                    res = 0
                ok[q] = res
        free(items)
    _raise_flags(flags, "kneighbors")


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


cdef void _sym_tile(const ScanSpec* sp, CandLists* L, floating* tile, Py_ssize_t I0,
                    Py_ssize_t mI, Py_ssize_t J0, Py_ssize_t mJ, floating alpha) noexcept nogil:
    """One tile of the self-query: rows I0.. against rows J0.. (J0 >= I0, same blocking).

    Every value feeds the row side (query I0 + i, row J0 + j); off the diagonal it also feeds
    the column side (query J0 + j, row I0 + i). On the diagonal only the row side is used (the
    tile holds both orders of every pair) and a query skips itself by index.
    """
    cdef Py_ssize_t i, j, jb, j0, j1, q, s0, s1, d = sp.d
    cdef bint diag = I0 == J0
    cdef const floating* X = <const floating*>sp.R
    cdef const floating* lkey = <const floating*>sp.lkey
    cdef const floating* ukey = <const floating*>sp.ukey
    cdef const floating* qbound = <const floating*>sp.qbound
    cdef floating* thr = <floating*>L.thr
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
                            _sym_push(L, q, v, row[j] + uk[j], J0 + j, b)
                            t = thr[q]
            if hc:
                for s0 in range(j0, j1, 16):
                    s1 = min(s0 + 16, j1)
                    if _count_col(row + s0, lki, tc + s0, s1 - s0) == 0:
                        continue
                    for j in range(s0, s1):
                        v = row[j] + lki
                        if v <= tc[j]:
                            _sym_push(L, J0 + j, v, row[j] + uki, q, qbound[J0 + j])


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
    cdef Py_ssize_t nb, n_pairs, s, p, pi, I, J, I0, q, c, tot, ts, u
    cdef floating alpha = 2 if farthest else -2
    cdef floating t
    cdef bint over
    cdef int flags[3]
    cdef ScanSpec sp
    cdef WorkspaceSize z
    cdef Workspace* ws
    cdef Workspace* other
    cdef Workspace** slots
    cdef floating* mv
    if n == 0:
        return
    block = max(1, min(block, n))
    nb = (n + block - 1) // block
    n_pairs = (nb + 1) // 2
    n_threads = max(1, n_threads)
    memset(&sp, 0, sizeof(ScanSpec))
    memset(&z, 0, sizeof(WorkspaceSize))
    memset(flags, 0, sizeof(flags))
    sp.n_r = n
    sp.d = d
    sp.k = k
    sp.cap0 = k + max(k, 8)
    sp.limit = max(8 * (2 * k + 32), 4096)
    sp.scan_overflow = scan_overflow
    sp.sign = -1.0 if farthest else 1.0
    sp.Q = &X[0, 0]
    sp.R = &X[0, 0]
    sp.lkey = &lkey[0]
    sp.ukey = &ukey[0]
    sp.qbound = &qbound[0]
    sp.overflowed = &overflowed[0]
    sp.dist = &dist[0, 0]
    sp.ind = &ind[0, 0]
    sp.flags = flags
    # Per slot: the candidate lists of all n queries, one tile, and the merge buffers.
    z.n_lists = n
    z.k = k
    z.cap0 = sp.cap0
    z.limit = sp.limit
    z.n_scratch = n_threads * sp.limit
    z.n_tile = block * block
    z.n_items = n_threads * sp.limit
    z.n_merge = n_threads * sp.limit
    z.n_r = n
    slots = <Workspace**>calloc(n_threads, sizeof(Workspace*))
    if slots == NULL:
        raise MemoryError("kneighbors: could not allocate the per-thread candidate lists")
    try:
        with nogil, parallel(num_threads=n_threads):
            for s in prange(n_threads, schedule='static', chunksize=1):
                ws = _ws_new(&z, sizeof(floating), &sp)
                slots[s] = ws
                if ws == NULL:
                    flags[_NO_MEMORY] = 1
                    continue
                _lists_reset(&ws.lists, n, <floating*>ws.lists.thr)
                p = s
                while p < n_pairs and not flags[_ABORTED]:
                    for pi in range(2):
                        I = p if pi == 0 else nb - 1 - p
                        if pi == 1 and I == p:
                            break
                        I0 = I * block
                        for J in range(I, nb):
                            poll_signals(&flags[_ABORTED])
                            if flags[_ABORTED]:
                                break
                            _sym_tile(&sp, &ws.lists, <floating*>ws.tile, I0,
                                      min(block, n - I0), J * block,
                                      min(block, n - J * block), alpha)
                    p = p + n_threads
        _raise_flags(flags, "kneighbors")

        # Merge the slots' lists of each query (union; threshold: the smallest of the slots',
        # each being valid), then finalise it like a list of knn_brute.
        with nogil, parallel(num_threads=n_threads):
            ws = slots[threadid()]
            mv = <floating*>ws.merge_v
            for q in prange(n, schedule='static'):
                over = False
                tot = 0
                t = INFINITY
                for ts in range(n_threads):
                    other = slots[ts]
                    if other.lists.cap[q] < 0:
                        over = True
                        break
                    c = other.lists.cnt[q]
                    memcpy(mv + tot, other.lists.vals[q], c * sizeof(floating))
                    memcpy(ws.merge_i + tot, other.lists.idxs[q], c * sizeof(intp_t))
                    tot = tot + c
                    if (<floating*>other.lists.thr)[q] < t:
                        t = (<floating*>other.lists.thr)[q]
                _note_status(flags, _finalise(&sp, ws, mv, ws.merge_i, tot, over, t,
                                              qbound[q], sp.limit // 2, q, &Xo[q, 0],
                                              &Xo[0, 0], q))
        _raise_flags(flags, "kneighbors")
    finally:
        for u in range(n_threads):
            _ws_free(slots[u])
        free(slots)


# sum_pairwise_distances: the sum of the Euclidean distances over all ordered pairs of rows of X
#   (i != j), for KMeans-SMOTE's cluster density. Square blocks of `block` rows; each block pair
#   (I <= J) is one GEMM tile (-2 x_i . x_j) turned into sqrt(max(0, |x_i|^2 + |x_j|^2 -
#   2 x_i . x_j)) and summed, only the pairs j > i inside a diagonal block. Block row I is summed
#   by one thread in a fixed order and the block-row totals are added in order, so the result
#   does not depend on the number of threads.
#   Time O(n^2 d / 2) flops in BLAS and n^2 / 2 square roots; memory: one block x block tile of
#   float64 per thread (512 KiB for 256 rows) and one double per block row. Never n x n.
#   Ctrl-C is polled before each block row.
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
    cdef int[::1] errors = np.zeros(2, dtype=np.intc)  # no memory, Ctrl-C
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
            poll_signals(&errors[1])
            if errors[1]:
                continue
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
    if errors[1]:
        raise_pending()
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

