"""Neighbour rules of the cleaning methods, as typed loops over neighbour-index arrays.

The lists come from ``resamplekit._neighbors.kneighbors`` (self already excluded by index); these
kernels never compute a distance. Indices are global row numbers of the caller's X, labels are
class codes 0..K-1 in sorted label order, so "smallest code" is "smallest label".

- ``enn_keep``: ENN's vote ('all' or 'mode', mode ties to the smallest label as scipy.stats.mode).
- ``ncr_a2_mark``: NCR's second step (kNN prediction of the minority rows, each voting for itself,
  and the marking of the neighbours of the misclassified ones).
- ``compact_lists``: the repair support of RENN and AllKNN.
"""
from cython.parallel cimport prange

import numpy as np

ctypedef Py_ssize_t intp_t
ctypedef unsigned char uint8_t


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
