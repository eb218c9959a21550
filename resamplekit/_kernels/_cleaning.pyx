"""Neighbour rules of the cleaning and condensing methods, as typed loops over neighbour lists.

Neighbour *searches* are not done here: the lists come from ``resamplekit._neighbors.kneighbors``
(self already excluded by index). Indices are global row numbers of the caller's X, labels are
class codes 0..K-1 in sorted label order, so "smallest code" is "smallest label". Only CNN's
store update computes distances: the distance of every remaining candidate to ONE new store row
is a different computation from a k-NN search (O(n d) per addition), so it has its own loop;
those distances are exact squared Euclidean distances accumulated in float64, ties broken by the
lower row index. m is the number of rows a call visits, k the neighbour count, d the features.

- ``enn_keep``: ENN's vote ('all' or 'mode', mode ties to the smallest label as
  scipy.stats.mode). Time O(m k) ('all') or O(m k^2) ('mode'); memory: the (m,) result.
- ``ncr_a2_mark``: NCR's second step (kNN prediction of the minority rows, each voting for
  itself, and the marking of the neighbours of the misclassified ones). Time O(m k^2); no
  allocation.
- ``compact_lists``: the repair support of RENN and AllKNN (drop removed rows from neighbour
  lists). Time O(m k); in place.
- ``tomek_link_mask``: Tomek links (mutual 1-NN pairs of different classes). Time O(n); no
  allocation.
- ``store_init``: CNN/OSS store heaps from the initial store's neighbour lists. Time O(n k d);
  memory: the caller's (n, k) heaps.
- ``cnn_scan``: one pass of the condensed nearest neighbour rule, updating the store heaps.
  Time O(n d) per addition; memory: the caller's (n, k) heaps. Stops on Ctrl-C between blocks
  of candidates (KeyboardInterrupt).
- ``store_init_csr``, ``cnn_scan_csr``: the same two on CSR rows (sparse X): the same
  distances (each a merge of two rows' sorted columns, accumulated in float64 in column order:
  the terms of the dense sum that are not 0), hence the same store, order and ties. Time
  O(nnz of the two rows) per distance; memory: the caller's heaps.
- ``claim_nearest_unique``: cluster centroids' hard voting, one distinct nearest real row per
  centroid. Time O(m k); no allocation.
"""
from cython.parallel cimport prange

import numpy as np

from ._common cimport (exact_sqdist, floating, intp_t, poll_signals, raise_pending,
                      sorted_insert)

cdef extern from "Python.h":
    const Py_ssize_t PY_SSIZE_T_MAX

ctypedef unsigned char uint8_t

# Below this many multiply-adds an OpenMP region costs more than it saves.
cdef intp_t _PARALLEL_WORK = 131072
# Candidates scanned between two sweeps of the store update, and per parallel task of a sweep.
cdef intp_t _BLOCK = 256
cdef intp_t _CHUNK = 256


cdef inline bint _mode_is(const intp_t* nbr, intp_t m, const intp_t* y, intp_t own,
                          intp_t self_votes) noexcept nogil:
    # True iff `own` is the mode of the labels of nbr[0..m-1] plus `self_votes` votes for `own`;
    # a tie goes to the smallest label. O(m^2) without a buffer: m is a neighbour count (small).
    cdef intp_t own_count = self_votes, j, jj, lab, count
    for j in range(m):
        if y[nbr[j]] == own:
            own_count += 1
    for j in range(m):
        lab = y[nbr[j]]
        if lab == own:
            continue
        count = 0
        for jj in range(m):
            if y[nbr[jj]] == lab:
                count += 1
        if count > own_count or (count == own_count and lab < own):
            return False
    return own_count > 0


def enn_keep(const intp_t[:, ::1] nbr, const intp_t[::1] rows, const intp_t[::1] y,
             intp_t k, bint mode, bint by_row=False, int n_threads=1):
    """ENN vote for the rows ``rows``: 1 keeps the row, 0 removes it.

    ``nbr[r, :k]`` (``nbr[rows[r], :k]`` when ``by_row``) are the k nearest other rows of row
    ``rows[r]`` (global indices; nbr may be wider than k: AllKNN reads prefixes). 'all' keeps
    a row iff every neighbour shares its label; 'mode' iff its label is the mode of the
    neighbours' labels (ties: smallest label).
    Time O(m k) ('all') or O(m k^2) ('mode'); memory: the (m,) result.
    """
    cdef intp_t m = rows.shape[0], r, j, own, i
    cdef const intp_t* yp = &y[0]
    keep_arr = np.ones(m, dtype=np.uint8)
    cdef uint8_t[::1] keep = keep_arr
    if m == 0:
        return keep_arr
    with nogil:
        for r in prange(m, num_threads=n_threads, schedule="static"):
            own = yp[rows[r]]
            i = rows[r] if by_row else r
            if mode:
                keep[r] = _mode_is(&nbr[i, 0], k, yp, own, 0)
            else:
                for j in range(k):
                    if yp[nbr[i, j]] != own:
                        keep[r] = 0
                        break
    return keep_arr


def ncr_a2_mark(const intp_t[:, ::1] nbr, const intp_t[::1] rows, const intp_t[::1] y,
                intp_t k, const uint8_t[::1] clean_class, uint8_t[::1] removed):
    """NCR step A2: mark in ``removed`` the neighbours of misclassified minority rows.

    Row ``rows[r]`` (a minority row) is predicted as a k-NN classifier fitted on all rows
    predicts a training row: itself plus its k-1 nearest other rows ``nbr[r, :k-1]`` vote, ties
    to the smallest label. When the prediction is not its label, each of its k nearest other
    rows ``nbr[r, :k]`` whose class has ``clean_class`` set is marked. Time O(m k^2); no
    allocation.
    """
    cdef intp_t m = rows.shape[0], r, j, g
    cdef const intp_t* yp
    if m == 0:
        return
    yp = &y[0]
    with nogil:
        for r in range(m):
            if _mode_is(&nbr[r, 0], k - 1, yp, yp[rows[r]], 1):
                continue
            for j in range(k):
                g = nbr[r, j]
                if clean_class[yp[g]]:
                    removed[g] = 1


def compact_lists(intp_t[:, ::1] nbr, intp_t[::1] valid_len, const intp_t[::1] rows,
                  const uint8_t[::1] alive, int n_threads=1):
    """Drop removed rows from the neighbour lists of ``rows``, keeping the order, in place.

    Invariant (RENN/AllKNN repair): ``nbr[i, :valid_len[i]]`` are exactly the valid_len[i]
    nearest alive rows other than i, in (distance, index) order. Removing rows keeps it: the
    surviving members are still the nearest, since any closer alive row was already listed.
    Time O(m K); in place.
    """
    cdef intp_t m = rows.shape[0], r, i, j, w, g
    with nogil:
        for r in prange(m, num_threads=n_threads, schedule="static"):
            i = rows[r]
            w = 0
            for j in range(valid_len[i]):
                g = nbr[i, j]
                if alive[g]:
                    nbr[i, w] = g
                    w = w + 1
            valid_len[i] = w


def tomek_link_mask(
    const intp_t[::1] nn,
    const intp_t[::1] y,
    const uint8_t[::1] targeted,
    uint8_t[::1] remove,
):
    """Mark the Tomek links: ``remove[i] = 1`` when i and ``nn[i]`` are each other's nearest
    neighbour, their labels differ and the class of i is targeted.

    ``nn[i]`` is the nearest other row of row i. Time O(n); no allocation.
    """
    cdef intp_t i, j, n = nn.shape[0]
    with nogil:
        for i in range(n):
            j = nn[i]
            remove[i] = (targeted[y[i]] != 0 and y[j] != y[i] and nn[j] == i)


def store_init(
    const floating[:, ::1] X_cand,
    const floating[:, ::1] X_store,
    const intp_t[:, ::1] nbr,
    const intp_t[::1] store_ids,
    double[:, ::1] heap_d2,
    intp_t[:, ::1] heap_id,
):
    """Fill CNN's store heaps from the initial store's neighbour lists.

    ``nbr[i]`` are the positions (in the store) of the k nearest store rows of candidate i;
    ``heap_d2[i]``/``heap_id[i]`` receive their exact squared distances and global row ids,
    sorted by (distance, id). Time O(n * k * d); memory: the caller's (n, k) heaps.
    """
    cdef intp_t n = nbr.shape[0], k = nbr.shape[1], d = X_cand.shape[1]
    cdef intp_t i, t, p
    with nogil:
        for i in range(n):
            for t in range(k):
                heap_d2[i, t] = 1.0 / 0.0
                heap_id[i, t] = PY_SSIZE_T_MAX
            for t in range(k):
                p = nbr[i, t]
                sorted_insert(&heap_d2[i, 0], &heap_id[i, 0], k,
                              exact_sqdist(&X_cand[i, 0], &X_store[p, 0], d), store_ids[p])


cdef inline void _push_additions(const floating* x, const floating* Xc, intp_t d,
                                const intp_t* added, intp_t m,
                                const intp_t* cand_ids, double* hd, intp_t* hi,
                                intp_t k) noexcept nogil:
    # Push the candidates added[0..m-1] (new store rows) into the heap (hd, hi) of row x.
    # Four new rows at a time, each distance summed in feature order as exact_sqdist does.
    cdef intp_t a = 0, f
    cdef double s0, s1, s2, s3, t, xf
    cdef const floating* r0
    cdef const floating* r1
    cdef const floating* r2
    cdef const floating* r3
    while a + 4 <= m:
        r0 = Xc + added[a] * d
        r1 = Xc + added[a + 1] * d
        r2 = Xc + added[a + 2] * d
        r3 = Xc + added[a + 3] * d
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        for f in range(d):
            xf = <double>x[f]
            t = xf - <double>r0[f]
            s0 += t * t
            t = xf - <double>r1[f]
            s1 += t * t
            t = xf - <double>r2[f]
            s2 += t * t
            t = xf - <double>r3[f]
            s3 += t * t
        sorted_insert(hd, hi, k, s0, cand_ids[added[a]])
        sorted_insert(hd, hi, k, s1, cand_ids[added[a + 1]])
        sorted_insert(hd, hi, k, s2, cand_ids[added[a + 2]])
        sorted_insert(hd, hi, k, s3, cand_ids[added[a + 3]])
        a += 4
    while a < m:
        sorted_insert(hd, hi, k, exact_sqdist(x, Xc + added[a] * d, d), cand_ids[added[a]])
        a += 1


cdef inline void _push_block(const floating* Xc, intp_t d, intp_t start,
                             intp_t stop, const intp_t* added, intp_t m,
                             const intp_t* cand_ids, const uint8_t* skip,
                             double* heap_d2, intp_t* heap_id, intp_t k) noexcept nogil:
    cdef intp_t i
    for i in range(start, stop):
        if not skip[i]:
            _push_additions(Xc + i * d, Xc, d, added, m, cand_ids, heap_d2 + i * k,
                            heap_id + i * k, k)


def cnn_scan(
    const floating[:, ::1] X_cand,
    const intp_t[::1] cand_ids,
    const uint8_t[::1] skip,
    const intp_t[::1] y,
    intp_t target,
    intp_t other,
    double[:, ::1] heap_d2,
    intp_t[:, ::1] heap_id,
    intp_t[::1] added,
    int n_threads,
):
    """One pass of the condensed nearest neighbour rule over the candidates, in order.

    A candidate that is not skipped is classified by a majority vote of its k nearest store rows
    (a tied vote goes to the smaller class code, as scikit-learn's KNeighborsClassifier); when
    the vote is not `target`, the candidate joins the store. The heaps must hold each
    candidate's k nearest rows of the initial store (store_init); a new store row is pushed into
    the heap of every later candidate, so each candidate's vote sees exactly the store of its
    turn. The scan runs in blocks of _BLOCK candidates: inside a block a new row is pushed at
    once to the rest of the block; at the end of the block all of the block's new rows are
    pushed to all later candidates in one parallel sweep (same heaps, as the k smallest
    (distance, row) keys do not depend on the order of the pushes).
    Time O(n * d) per addition, O(n * d * n_added) in all, against scikit-learn's refit and
    re-predict of every candidate on each addition; memory: the (n, k) heaps only. Returns the
    number of additions, whose positions are added[:n_added] in scan order. Ctrl-C is polled
    between blocks (the heaps are then partly updated; the caller discards them).
    """
    cdef intp_t n = X_cand.shape[0], d = X_cand.shape[1], k = heap_d2.shape[1]
    cdef intp_t j, j0, j1, i, c, t, votes, g, m0, m, n_chunks, n_added = 0
    cdef bint wrong
    cdef int aborted = 0
    cdef const floating* Xc
    if n == 0:
        return 0
    Xc = &X_cand[0, 0]
    with nogil:
        j0 = 0
        while j0 < n:
            poll_signals(&aborted)  # Ctrl-C between blocks
            if aborted:
                break
            j1 = min(n, j0 + _BLOCK)
            m0 = n_added
            for j in range(j0, j1):
                if skip[j]:
                    continue
                votes = 0
                for t in range(k):
                    votes += (y[heap_id[j, t]] == target)
                wrong = 2 * votes < k or (2 * votes == k and other < target)
                if not wrong:
                    continue
                added[n_added] = j
                n_added += 1
                g = cand_ids[j]
                for i in range(j + 1, j1):
                    if not skip[i]:
                        sorted_insert(&heap_d2[i, 0], &heap_id[i, 0], k,
                                      exact_sqdist(Xc + i * d, Xc + j * d, d), g)
            m = n_added - m0
            if m == 0 or j1 == n:
                j0 = j1
                continue
            if n_threads > 1 and (n - j1) * m * d >= _PARALLEL_WORK:
                n_chunks = (n - j1 + _CHUNK - 1) // _CHUNK
                for c in prange(n_chunks, schedule="dynamic", num_threads=n_threads):
                    _push_block(Xc, d, j1 + c * _CHUNK, min(n, j1 + (c + 1) * _CHUNK),
                                &added[m0], m, &cand_ids[0], &skip[0],
                                &heap_d2[0, 0], &heap_id[0, 0], k)
            else:
                _push_block(Xc, d, j1, n, &added[m0], m, &cand_ids[0], &skip[0],
                            &heap_d2[0, 0], &heap_id[0, 0], k)
            j0 = j1
    if aborted:
        raise_pending()
    return n_added


def claim_nearest_unique(
    const intp_t[:, ::1] ind,
    const intp_t[::1] order,
    intp_t start,
    uint8_t[::1] claimed,
    intp_t[::1] assigned,
):
    """Give each centroid (query) its own nearest real row: cluster centroids' hard voting.

    Visits the queries in ``order`` from position ``start``; each takes the first row of its
    candidate list ``ind[q]`` (nearest first) that no earlier query took. Stops at the first
    query whose whole list is taken and returns its position in ``order`` (the caller widens
    that query's list and resumes after it), or len(order) when every query has a row.
    Time O(m * k); no allocation.
    """
    cdef intp_t m = order.shape[0], k = ind.shape[1], a, q, t, r, stop = m
    cdef bint found
    with nogil:
        for a in range(start, m):
            q = order[a]
            found = False
            for t in range(k):
                r = ind[q, t]
                if not claimed[r]:
                    claimed[r] = 1
                    assigned[q] = r
                    found = True
                    break
            if not found:
                stop = a
                break
    return stop


# --- CNN's store on CSR rows (sparse X).

ctypedef fused index_t:
    int
    long long


cdef inline double _csr_sqdist(const floating* data, const index_t* indices,
                               const index_t* indptr, intp_t a, const floating* data_b,
                               const index_t* indices_b, const index_t* indptr_b,
                               intp_t b) noexcept nogil:
    # Squared distance of row a (first matrix) and row b (second), summed in column order
    # over the union of their columns: exact_sqdist's sum without its zero terms.
    cdef index_t pa = indptr[a], ea = indptr[a + 1], pb = indptr_b[b], eb = indptr_b[b + 1]
    cdef double s = 0.0, t
    while pa < ea and pb < eb:
        if indices[pa] < indices_b[pb]:
            t = <double>data[pa]
            pa += 1
        elif indices_b[pb] < indices[pa]:
            t = <double>data_b[pb]
            pb += 1
        else:
            t = <double>data[pa] - <double>data_b[pb]
            pa += 1
            pb += 1
        s += t * t
    while pa < ea:
        t = <double>data[pa]
        s += t * t
        pa += 1
    while pb < eb:
        t = <double>data_b[pb]
        s += t * t
        pb += 1
    return s


def store_init_csr(
    const floating[::1] c_data, const index_t[::1] c_indices, const index_t[::1] c_indptr,
    const floating[::1] s_data, const index_t[::1] s_indices, const index_t[::1] s_indptr,
    const intp_t[:, ::1] nbr,
    const intp_t[::1] store_ids,
    double[:, ::1] heap_d2,
    intp_t[:, ::1] heap_id,
):
    """store_init for CSR candidates (c_*) and store rows (s_*), both canonical CSR."""
    cdef intp_t n = nbr.shape[0], k = nbr.shape[1]
    cdef intp_t i, t, p
    if n == 0:
        return
    with nogil:
        for i in range(n):
            for t in range(k):
                heap_d2[i, t] = 1.0 / 0.0
                heap_id[i, t] = PY_SSIZE_T_MAX
            for t in range(k):
                p = nbr[i, t]
                sorted_insert(&heap_d2[i, 0], &heap_id[i, 0], k,
                              _csr_sqdist(&c_data[0] if c_data.shape[0] else NULL,
                                          &c_indices[0] if c_indices.shape[0] else NULL,
                                          &c_indptr[0], i,
                                          &s_data[0] if s_data.shape[0] else NULL,
                                          &s_indices[0] if s_indices.shape[0] else NULL,
                                          &s_indptr[0], p),
                              store_ids[p])


def cnn_scan_csr(
    const floating[::1] data, const index_t[::1] indices, const index_t[::1] indptr,
    const intp_t[::1] cand_ids,
    const uint8_t[::1] skip,
    const intp_t[::1] y,
    intp_t target,
    intp_t other,
    double[:, ::1] heap_d2,
    intp_t[:, ::1] heap_id,
    intp_t[::1] added,
    int n_threads,
):
    """cnn_scan for CSR candidate rows (canonical CSR): the same pass, the same result.

    After each block of _BLOCK candidates, its new store rows are pushed to all later
    candidates in parallel over chunks of candidates (each heap is written by one thread).
    """
    cdef intp_t n = cand_ids.shape[0], k = heap_d2.shape[1]
    cdef intp_t j, j0, j1, i, c, t, a, votes, g, m0, m, n_chunks, lo, hi, n_added = 0
    cdef bint wrong
    cdef int aborted = 0
    cdef const floating* D
    cdef const index_t* I
    cdef const index_t* P
    if n == 0:
        return 0
    D = &data[0] if data.shape[0] else NULL
    I = &indices[0] if indices.shape[0] else NULL
    P = &indptr[0]
    with nogil:
        j0 = 0
        while j0 < n:
            poll_signals(&aborted)  # Ctrl-C between blocks
            if aborted:
                break
            j1 = min(n, j0 + _BLOCK)
            m0 = n_added
            for j in range(j0, j1):
                if skip[j]:
                    continue
                votes = 0
                for t in range(k):
                    votes += (y[heap_id[j, t]] == target)
                wrong = 2 * votes < k or (2 * votes == k and other < target)
                if not wrong:
                    continue
                added[n_added] = j
                n_added += 1
                g = cand_ids[j]
                for i in range(j + 1, j1):
                    if not skip[i]:
                        sorted_insert(&heap_d2[i, 0], &heap_id[i, 0], k,
                                      _csr_sqdist(D, I, P, i, D, I, P, j), g)
            m = n_added - m0
            if m == 0 or j1 == n:
                j0 = j1
                continue
            n_chunks = (n - j1 + _CHUNK - 1) // _CHUNK
            for c in prange(n_chunks, schedule="dynamic",
                            num_threads=n_threads if n_threads > 1 else 1):
                lo = j1 + c * _CHUNK
                hi = min(n, lo + _CHUNK)
                for i in range(lo, hi):
                    if skip[i]:
                        continue
                    for a in range(m0, m0 + m):
                        sorted_insert(&heap_d2[i, 0], &heap_id[i, 0], k,
                                      _csr_sqdist(D, I, P, i, D, I, P, added[a]),
                                      cand_ids[added[a]])
            j0 = j1
    if aborted:
        raise_pending()
    return n_added
