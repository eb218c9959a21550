"""Exact k nearest (or farthest) rows of sparse data (CSR), for _neighbors.kneighbors.

What it computes. For each query q (a CSR row) the k rows r of X (CSR) with the smallest
(largest: ``farthest``) exact squared distance, ties by the lower row index, the query's own row
(``own``) excluded by index. The exact squared distance is the float64 sum over the union of the
two rows' columns, in column order, of the squared differences: the dense kernels'
``exact_sqdist`` (whose zero terms do not change a sum), so the answer is bit for bit the dense
search's on the densified rows.

How. X is also held as column posting lists (``column_lists``: the CSC of X over the columns X
uses). Per query, the dot products q.r are accumulated over the posting lists of q's columns
into a per-thread length-n float64 accumulator; the rows touched are listed (and only they are
reset). A row sharing no column with q has the key |q|^2 + |r|^2, so among the untouched rows
only those with the smallest (farthest: largest) norms can be neighbours: they are walked in
norm order (``norm_order``, precomputed once), skipping touched rows ("sparse mode").
The h heavy columns (those most rows and queries use, chosen by the caller; h may be 0) are
multiplied instead as a dense float32 n x h block by one SGEMM per chunk of queries, into a
chunk x n float32 tile; a query with a heavy column goes to "dense mode": the products of its
light columns are added to its row of the tile over their posting lists (each rounded to
float32, no touched list), and every row is scanned once.
The keys |q|^2 + |r|^2 - 2 q.r are within c (|q|^2 + |r|^2) + slack of the exact squared
distance in sparse mode, and within c (|q|^2 + |r|^2) + c32 |q| |r| + slack in dense mode:
c = (4 (nnz(q) + max_nnz + h) + 16) eps for the float64 parts (norms, products, the exact sum
itself), c32 = (4 (nnz(q) + h) + 16) eps32 for the float32 dot product (the GEMM's h terms and
the light columns' rounded products added after them; Cauchy-Schwarz: the heavy and light parts'
|q_H| |r_H| + |q_L| |r_L| <= |q| |r|), slack = 2**-1000 in sparse mode and, in dense mode, the
caller's bound per term for float32's tiny values (at most 2**-150 lost by each rounding below
float32's normal range) times nnz(q) + h + 2: each at least twice the worst case. T is the k-th
smallest upper bound (key + bound), every row whose lower bound is at most T is a candidate, and
the candidates' exact distances (a merge of the two sorted rows) sorted by (distance, index)
give the answer (any candidate set holding every row whose lower bound is at most T gives the
same answer: the bounds decide the work, never the result).

Complexity per query: sparse mode, the posting lists of its columns (sum of their lengths);
dense mode, its share of the chunk's SGEMM (2 n h flops, and the packing of the n x h block
once per chunk), the posting lists of its light columns and one pass over the n rows (the k-th
smallest upper bound so far only falls: rows whose lower bound is above it are dropped on the
way, the others kept, then filtered by the final T); plus O(nnz(q) + nnz(r)) per candidate and
a sort of the candidates (k plus the near-ties of the k-th).

Memory. Peak extra memory of kneighbors_csr: per thread 33 n + 8 k bytes (float64 accumulator,
touched flags and list, candidate (key, row) pairs, also dense mode's kept rows, a k-heap) and,
with heavy columns, a chunk x n float32 tile and 4 chunk h + chunk bytes (the chunk's heavy
values, its flags), allocated once per thread; nothing of size n_features, no dense block of
queries or rows beyond the tile (the caller bounds chunk n at 2**21: 8 MB).
``column_lists``: 16 nnz(X) + 8 (u + 1) bytes for the u columns X uses. The caller
(_neighbors._sparse_kneighbors) passes X a block of rows at a time (at most 2**21 stored values,
so the column lists stay below 32 MB and n below 2**21 rows) and merges the blocks' k-lists.
"""
from cython.parallel cimport parallel, prange

from libc.stdlib cimport calloc, free, malloc
from libc.math cimport sqrt
from scipy.linalg.cython_blas cimport sgemm

import numpy as np

from ._common cimport KeyIndex, intp_t, poll_signals, raise_pending, sort_key_index

cdef double EPS = 2.220446049250313e-16
cdef double TINY = 9.332636185032189e-302  # 2**-1000: slack for sums that underflow
cdef double EPS32 = 1.1920928955078125e-07
cdef double INF = float('inf')


def column_lists(const intp_t[::1] cols, const intp_t[::1] indptr, const double[::1] data,
                 intp_t n_cols):
    """The CSC of the CSR rows (indptr, cols, data) whose column ids are in [0, n_cols):
    (col_ptr, col_rows, col_vals), rows ascending in each column. Counting sort, O(nnz +
    n_cols) time; memory: the outputs."""
    cdef intp_t n = indptr.shape[0] - 1, nnz = cols.shape[0], r, p, c, pos
    col_ptr_arr = np.zeros(n_cols + 1, dtype=np.intp)
    col_rows_arr = np.empty(nnz, dtype=np.intp)
    col_vals_arr = np.empty(nnz, dtype=np.float64)
    cdef intp_t[::1] col_ptr = col_ptr_arr
    cdef intp_t[::1] col_rows = col_rows_arr
    cdef double[::1] col_vals = col_vals_arr
    with nogil:
        for p in range(nnz):
            col_ptr[cols[p] + 1] += 1
        for c in range(n_cols):
            col_ptr[c + 1] += col_ptr[c]
        for r in range(n):
            for p in range(indptr[r], indptr[r + 1]):
                c = cols[p]
                pos = col_ptr[c]
                col_rows[pos] = r
                col_vals[pos] = data[p]
                col_ptr[c] = pos + 1
        for c in range(n_cols, 0, -1):  # shift back: col_ptr[c] was the end of column c
            col_ptr[c] = col_ptr[c - 1]
        col_ptr[0] = 0
    return col_ptr_arr, col_rows_arr, col_vals_arr


cdef inline double _merge_sqdist(const intp_t* ai, const double* av, intp_t na,
                                 const intp_t* bi, const double* bv, intp_t nb) noexcept nogil:
    """Exact squared distance of two sorted sparse rows: in column order, float64."""
    cdef intp_t i = 0, j = 0
    cdef double s = 0.0, t
    while i < na and j < nb:
        if ai[i] == bi[j]:
            t = av[i] - bv[j]
            i += 1
            j += 1
        elif ai[i] < bi[j]:
            t = av[i]
            i += 1
        else:
            t = -bv[j]
            j += 1
        s += t * t
    while i < na:
        t = av[i]
        s += t * t
        i += 1
    while j < nb:
        t = bv[j]
        s += t * t
        j += 1
    return s


cdef inline void _heap_offer(double* h, intp_t* size, intp_t k, double x) noexcept nogil:
    """Keep in h (a max-heap) the k smallest values offered."""
    cdef intp_t i, parent, child, m
    if size[0] < k:
        i = size[0]
        size[0] += 1
        while i > 0:
            parent = (i - 1) // 2
            if h[parent] >= x:
                break
            h[i] = h[parent]
            i = parent
        h[i] = x
    elif x < h[0]:
        i = 0
        while True:
            child = 2 * i + 1
            if child >= k:
                break
            m = child
            if child + 1 < k and h[child + 1] > h[child]:
                m = child + 1
            if h[m] <= x:
                break
            h[i] = h[m]
            i = m
        h[i] = x


ctypedef struct Rows:
    const double* data
    const intp_t* indices
    const intp_t* indptr
    const double* norms


ctypedef struct Columns:
    const intp_t* ptr
    const intp_t* rows
    const double* vals
    const intp_t* norm_order


ctypedef struct Work:
    double* acc
    unsigned char* mark
    intp_t* touched
    KeyIndex* cand
    double* heap
    float* tile  # chunk x n: the queries' dot products over the heavy columns (GEMM)
    float* qh  # chunk x h: the queries' values in the heavy columns


cdef inline void _offer_untouched(double* heap, intp_t* n_heap, intp_t k, double s, double c,
                                  bint farthest) noexcept nogil:
    if farthest:
        _heap_offer(heap, n_heap, k, -(s * (1.0 - c)) + TINY)
    else:
        _heap_offer(heap, n_heap, k, s * (1.0 + c) + TINY)


cdef inline intp_t _add_candidate(const Rows* X, const Rows* Q, intp_t q0, intp_t m_q,
                                  intp_t r, double sign, KeyIndex* cand,
                                  intp_t n_cand) noexcept nogil:
    cdef double e = _merge_sqdist(Q.indices + q0, Q.data + q0, m_q, X.indices + X.indptr[r],
                                  X.data + X.indptr[r], X.indptr[r + 1] - X.indptr[r])
    cand[n_cand].key = sign * e
    cand[n_cand].index = r
    return n_cand + 1


cdef intp_t _dense_scan(const double* norms, const double* rnorms, const float* dot, intp_t n,
                       intp_t own, intp_t k, double qn, double sign, double c, double c32,
                       double slack, double* heap, KeyIndex* kept, double* T_out) noexcept nogil:
    """Dense mode's pass over the rows (see _query): keeps in kept (returns their count) the
    rows whose lower bound is at most the k-th smallest upper bound so far, with their lower
    bounds; T_out: the k-th smallest upper bound of all rows (own excluded)."""
    cdef intp_t r, n_kept = 0, n_heap = 0
    cdef double s, key, b, lower, T = INF
    for r in range(n):
        s = qn + norms[r]
        key = sign * (s - 2.0 * <double>dot[r])
        b = c * s + c32 * rnorms[r] + slack
        lower = key - b
        if lower <= T and r != own:
            _heap_offer(heap, &n_heap, k, key + b)
            if n_heap == k:
                T = heap[0]
            kept[n_kept].key = lower
            kept[n_kept].index = r
            n_kept += 1
    T_out[0] = T
    return n_kept


cdef void _query(const Rows* X, const Columns* C, intp_t n, const Rows* Q,
                 const intp_t* q_cols, const intp_t* heavy_slot, intp_t h, intp_t qi,
                 intp_t own, intp_t k, intp_t max_nnz, bint farthest, float* heavy_dot,
                 const double* x_rnorms, double slack_unit, Work* w,
                 double* out_sq, intp_t* out_ind) noexcept nogil:
    """One query. heavy_dot NULL: sparse mode (the query has no heavy column): dot products
    over the posting lists into w.acc, touched rows listed, untouched ones walked in norm
    order. Otherwise heavy_dot holds its float32 dot products with every row over the heavy
    columns (GEMM); the light columns' products are added to it over their posting lists
    (float32), with an error of at most c32 |q| |r| + slack in all, and every row is scanned
    (x_rnorms: the rows' norms |r|; slack_unit: the caller's bound, per term, for float32's
    tiny values)."""
    cdef intp_t q0 = Q.indptr[qi], q1 = Q.indptr[qi + 1], m_q = q1 - q0
    cdef double qn = Q.norms[qi], sign = -1.0 if farthest else 1.0
    # dot products of at most m_q + h terms (heavy columns in the GEMM, zeros included)
    cdef double c = (4.0 * <double>(m_q + max_nnz + h) + 16.0) * EPS
    cdef intp_t n_touched = 0, n_heap = 0, n_cand = 0, n_kept, p, j, col, r, t, walked
    cdef intp_t w_step, w_pos
    cdef double v, s, key, T, lower, b, c32, slack
    cdef double* acc = w.acc
    cdef bint dense = heavy_dot != NULL
    if dense:
        # 1. the light columns' products, added to the heavy ones over their posting lists
        #    (float32: products rounded, then summed; a sum of at most m_q + h terms)
        for j in range(q0, q1):
            col = q_cols[j]
            if col < 0 or heavy_slot[col] >= 0:  # a column no row of X uses; in the GEMM
                continue
            v = Q.data[j]
            for p in range(C.ptr[col], C.ptr[col + 1]):
                heavy_dot[C.rows[p]] += <float>(v * C.vals[p])
        c32 = (4.0 * <double>(m_q + h) + 16.0) * EPS32 * sqrt(qn)
        slack = slack_unit * <double>(m_q + h + 2)
        # 2. one pass over the rows: T, the k-th smallest upper bound so far (INF until k rows
        #    are offered), only falls; a row whose lower bound exceeds it can neither enter the
        #    heap (its upper bound is larger still) nor be a candidate for the final T, so only
        #    the other rows are offered and kept, with their lower bounds, in w.cand
        n_kept = _dense_scan(X.norms, x_rnorms, heavy_dot, n, own, k, qn, sign, c, c32, slack,
                             w.heap, w.cand, &T)
        # 3. candidates: the kept rows whose lower bound is at most the final T (in row order)
        for t in range(n_kept):
            if w.cand[t].key <= T:
                r = w.cand[t].index  # (read before n_cand <= t is written)
                n_cand = _add_candidate(X, Q, q0, m_q, r, sign, w.cand, n_cand)
    else:
        # 1. dot products over the posting lists of the query's columns
        for j in range(q0, q1):
            col = q_cols[j]
            if col < 0:  # a column no row of X uses
                continue
            v = Q.data[j]
            for p in range(C.ptr[col], C.ptr[col + 1]):
                r = C.rows[p]
                if not w.mark[r]:
                    w.mark[r] = 1
                    w.touched[n_touched] = r
                    n_touched += 1
                acc[r] += v * C.vals[p]  # (acc is 0 outside the touched rows)
        # 2. T: the k-th smallest upper bound, over the touched rows and the first k untouched
        #    ones in norm order (their upper bounds are the smallest of the untouched rows')
        for t in range(n_touched):
            r = w.touched[t]
            if r == own:
                continue
            s = qn + X.norms[r]
            key = sign * (s - 2.0 * acc[r])
            _heap_offer(w.heap, &n_heap, k, key + (c * s + TINY))
        if farthest:
            w_step, w_pos = -1, n - 1
        else:
            w_step, w_pos = 1, 0
        walked = 0
        while walked < k and 0 <= w_pos < n:
            r = C.norm_order[w_pos]
            w_pos += w_step
            if w.mark[r] or r == own:
                continue
            _offer_untouched(w.heap, &n_heap, k, qn + X.norms[r], c, farthest)
            walked += 1
        T = w.heap[0]
        # 3. candidates: every row whose lower bound is at most T
        for t in range(n_touched):
            r = w.touched[t]
            if r == own:
                continue
            s = qn + X.norms[r]
            key = sign * (s - 2.0 * acc[r])
            if key - (c * s + TINY) <= T:
                n_cand = _add_candidate(X, Q, q0, m_q, r, sign, w.cand, n_cand)
        w_pos = n - 1 if farthest else 0
        while 0 <= w_pos < n:
            r = C.norm_order[w_pos]
            w_pos += w_step
            if w.mark[r] or r == own:
                continue
            s = qn + X.norms[r]
            if farthest:
                lower = -(s * (1.0 + c)) - TINY
            else:
                lower = s * (1.0 - c) - TINY
            if lower > T:  # lower bounds rise along the walk: no further row can qualify
                break
            n_cand = _add_candidate(X, Q, q0, m_q, r, sign, w.cand, n_cand)
    for t in range(n_touched):
        r = w.touched[t]
        w.mark[r] = 0
        acc[r] = 0.0
    # 4. the k first by (exact key, index)
    sort_key_index(w.cand, n_cand)
    for j in range(k):
        out_sq[j] = sign * w.cand[j].key
        out_ind[j] = w.cand[j].index


cdef void _heavy_chunk(const Rows* Q, const intp_t* q_cols, const intp_t* heavy_slot,
                       intp_t h, intp_t q_start, intp_t q_end, const float* xh, intp_t n,
                       Work* w, unsigned char* has_heavy) noexcept nogil:
    """w.tile[b, :] = the float32 dot products of query q_start + b with every row over the
    heavy columns (one SGEMM for the chunk); has_heavy[b]: whether the query has a heavy
    column."""
    cdef intp_t b, j, col, slot, m = q_end - q_start, any_heavy = 0
    cdef int gm = <int>n, gn, gk = <int>h, lda = <int>h, ldc = <int>n
    cdef float one = 1.0, zero = 0.0
    cdef char ta = b'T'
    cdef char tb = b'N'
    for b in range(m * h):
        w.qh[b] = 0.0
    for b in range(m):
        has_heavy[b] = 0
        for j in range(Q.indptr[q_start + b], Q.indptr[q_start + b + 1]):
            col = q_cols[j]
            if col >= 0:
                slot = heavy_slot[col]
                if slot >= 0:
                    w.qh[b * h + slot] = <float>Q.data[j]
                    has_heavy[b] = 1
                    any_heavy = 1
    if any_heavy:
        # tile (m x n, row-major) = qh (m x h) . xh (n x h)^T: in BLAS' column-major terms,
        # tile^T (n x m) = xh^T (n x h, stored h x n) . qh^T (h x m)
        gn = <int>m
        sgemm(&ta, &tb, &gm, &gn, &gk, &one, <float*>xh, &lda, w.qh, &lda, &zero, w.tile,
              &ldc)


def kneighbors_csr(const double[::1] x_data, const intp_t[::1] x_indices,
                   const intp_t[::1] x_indptr, const double[::1] x_norms,
                   const intp_t[::1] col_ptr, const intp_t[::1] col_rows,
                   const double[::1] col_vals, const intp_t[::1] norm_order,
                   const float[:, ::1] xh, const double[::1] x_rnorms,
                   const intp_t[::1] heavy_slot, double slack_unit,
                   const double[::1] q_data, const intp_t[::1] q_indices,
                   const intp_t[::1] q_cols, const intp_t[::1] q_indptr,
                   const double[::1] q_norms, const intp_t[::1] own, intp_t k, intp_t max_nnz,
                   bint farthest, double[:, ::1] sqdist, intp_t[:, ::1] ind, int n_threads=1,
                   intp_t chunk=64):
    """Exact squared distances and indices of the k nearest (farthest) rows of X for each
    query (see the module docstring). X: CSR (x_*; canonical: sorted, distinct columns) with
    squared row norms, its column lists (column_lists over compressed column ids), its rows
    sorted by norm, and its values in the h heavy columns as a dense float32 n x h block xh
    with the rows' norms |r| (x_rnorms; heavy_slot: per compressed column id, its column in xh,
    or -1; h may be 0; slack_unit: the absolute error, per term, that float32's tiny values can
    add to a float32 dot product, see _neighbors); queries: CSR
    (q_*, original column indices) with, per entry, the compressed column id (-1: a column X
    does not use), squared norms and own row (-1: none). Requires k <= the rows of X other
    than a query's own. Writes sqdist, ind (n_queries x k). Results do not depend on n_threads
    or chunk (queries per scheduled chunk; with h > 0 each thread holds a chunk x n tile)."""
    cdef intp_t n = x_indptr.shape[0] - 1, n_q = q_indptr.shape[0] - 1, h = xh.shape[1]
    cdef intp_t n_chunks = (n_q + chunk - 1) // chunk, ch, qi, q_start, q_end
    # status[0]: a thread could not allocate its buffers; status[1]: interrupted (shared: only
    # written through the pointer inside the parallel block)
    cdef int status[2]
    cdef Rows X, Q
    cdef Columns C
    cdef Work* w = NULL
    cdef unsigned char* has_heavy = NULL
    cdef const intp_t* qc = NULL
    cdef const intp_t* hs = NULL
    cdef const float* xhp = NULL
    cdef const double* xrn = NULL
    cdef float* heavy_dot
    if n_q == 0:
        return
    status[0] = status[1] = 0
    X.data = &x_data[0] if x_data.shape[0] else NULL
    X.indices = &x_indices[0] if x_indices.shape[0] else NULL
    X.indptr = &x_indptr[0]
    X.norms = &x_norms[0]
    Q.data = &q_data[0] if q_data.shape[0] else NULL
    Q.indices = &q_indices[0] if q_indices.shape[0] else NULL
    Q.indptr = &q_indptr[0]
    Q.norms = &q_norms[0]
    C.ptr = &col_ptr[0]
    C.rows = &col_rows[0] if col_rows.shape[0] else NULL
    C.vals = &col_vals[0] if col_vals.shape[0] else NULL
    C.norm_order = &norm_order[0]
    if q_cols.shape[0]:
        qc = &q_cols[0]
    if heavy_slot.shape[0]:
        hs = &heavy_slot[0]
    if h:
        xhp = &xh[0, 0]
        xrn = &x_rnorms[0]
    with nogil, parallel(num_threads=n_threads):
        w = <Work*>calloc(1, sizeof(Work))
        has_heavy = <unsigned char*>calloc(chunk, 1)
        if w != NULL:
            w.acc = <double*>calloc(n, sizeof(double))
            w.mark = <unsigned char*>calloc(n, 1)
            w.touched = <intp_t*>malloc(n * sizeof(intp_t))
            w.cand = <KeyIndex*>malloc(n * sizeof(KeyIndex))
            w.heap = <double*>malloc(k * sizeof(double))
            if h:
                w.tile = <float*>malloc(chunk * n * sizeof(float))
                w.qh = <float*>malloc(chunk * h * sizeof(float))
        if w == NULL or has_heavy == NULL or w.acc == NULL or w.mark == NULL \
                or w.touched == NULL or w.cand == NULL or w.heap == NULL \
                or (h and (w.tile == NULL or w.qh == NULL)):
            status[0] = 1
        for ch in prange(n_chunks, schedule="dynamic"):
            poll_signals(&status[1])
            if status[0] or status[1]:
                continue
            q_start = ch * chunk
            q_end = min(q_start + chunk, n_q)
            if h:
                _heavy_chunk(&Q, qc, hs, h, q_start, q_end, xhp, n, w, has_heavy)
            for qi in range(q_start, q_end):
                heavy_dot = NULL
                if h and has_heavy[qi - q_start]:
                    heavy_dot = w.tile + (qi - q_start) * n
                _query(&X, &C, n, &Q, qc, hs, h, qi, own[qi], k, max_nnz, farthest,
                       heavy_dot, xrn, slack_unit, w,
                       &sqdist[qi, 0], &ind[qi, 0])
        if w != NULL:
            free(w.acc)
            free(w.mark)
            free(w.touched)
            free(w.cand)
            free(w.heap)
            free(w.tile)
            free(w.qh)
            free(w)
        free(has_heavy)
    if status[1]:
        raise_pending()
    if status[0]:
        raise MemoryError(f"kneighbors_csr: cannot allocate the per-thread buffers "
                          f"({33 * n + 8 * k + chunk + 4 * chunk * (n + h)} bytes per thread)")
