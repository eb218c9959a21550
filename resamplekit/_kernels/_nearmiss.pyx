"""NearMiss statistics, streamed from the k-NN search (never an n_c x n_min matrix).

- ``distance_sums``: per-row sum of the k distances of a (m, k) kNN result: NearMiss-1/3
  (k nearest minority rows) and NearMiss-2 (k farthest, from ``kneighbors(farthest=True)``).
  Summed in ascending distance order, as imbalanced-learn sums its sorted columns.
- ``candidate_rows``: NearMiss-3's candidate set, the sorted union of (m, k) index lists.
Selection (a stable sort of the scores) is done by the caller with ``np.argsort(kind="stable")``.
"""
from cython.parallel cimport prange

import numpy as np

from ._common cimport intp_t

ctypedef unsigned char uint8_t


def distance_sums(const double[:, ::1] dist, bint descending, int n_threads=1):
    """Sum of each row of ``dist`` in ascending distance order.

    ``descending`` says the columns are sorted farthest first (summed right to left).
    Time O(m k); memory: the (m,) result.
    """
    cdef intp_t m = dist.shape[0], k = dist.shape[1], r, j
    cdef double s
    out_arr = np.empty(m, dtype=np.float64)
    cdef double[::1] out = out_arr
    with nogil:
        for r in prange(m, num_threads=n_threads, schedule="static"):
            s = 0.0
            if descending:
                for j in range(k - 1, -1, -1):
                    s = s + dist[r, j]
            else:
                for j in range(k):
                    s = s + dist[r, j]
            out[r] = s
    return out_arr


def candidate_rows(const intp_t[:, ::1] ind, intp_t n):
    """Sorted distinct values of ``ind`` (all in 0..n-1). Time O(m k + n); memory O(n) bytes."""
    cdef intp_t m = ind.shape[0], k = ind.shape[1], r, j, c = 0, i
    seen_arr = np.zeros(n, dtype=np.uint8)
    cdef uint8_t[::1] seen = seen_arr
    with nogil:
        for r in range(m):
            for j in range(k):
                seen[ind[r, j]] = 1
        for i in range(n):
            c = c + seen[i]
    out_arr = np.empty(c, dtype=np.intp)
    cdef intp_t[::1] out = out_arr
    c = 0
    with nogil:
        for i in range(n):
            if seen[i]:
                out[c] = i
                c = c + 1
    return out_arr
