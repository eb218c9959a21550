"""k-means kernels of cluster_centroids' default clusterer (scikit-learn KMeans' answer, faster).

The random draws are made by the caller (``resamplekit._kmeans``) with scikit-learn's
RandomState calls, in its order, and handed in as arrays; these loops only compute. X is the
class's rows, centred by their mean, in float64; n rows, d features, k clusters. Distances are
exact squared Euclidean distances accumulated in float64 in feature order (no GEMM trick).

- ``kmeanspp``: k-means++ seeding with scikit-learn's local trials (candidates by searchsorted
  on the cumulative sum of the closest squared distances, the candidate of least potential
  wins, first on ties). Each row keeps its closest centre a; a candidate can only take the
  row when d(candidate, a) < 2 d(row, a), so the row's distance to the candidate is computed
  only then. The candidates' gains are summed per block of 2048 rows, blocks in order, so
  the result does not depend on the thread count. Time O(k n L) compares, O(L k^2 d) for the
  candidate-to-centre distances (L local trials), O(d) per row that passes; memory
  O(n + L k + L n / 2048) beyond the caller's arrays.
- ``hamerly_filter``: the bound test of Lloyd's assignment step with Hamerly's bounds (one
  upper bound per row on the distance to its centre, one lower bound on the distance to any
  other centre): marks the rows whose bounds cannot rule out a change; the caller searches
  those against all centres with ``resamplekit._neighbors.kneighbors``. Time O(n) plus O(d)
  per row whose upper bound is tightened; no allocation. Rows are independent.
- ``cluster_sums``: per-cluster sums and counts of the rows, in row order (deterministic).
  Time O(n d); no allocation.
"""
import numpy as np
from cython.parallel cimport prange
from libc.math cimport sqrt, INFINITY


cdef inline double _sqdist(const double* a, const double* b, Py_ssize_t d) noexcept nogil:
    cdef double s = 0.0, t
    cdef Py_ssize_t j
    for j in range(d):
        t = a[j] - b[j]
        s += t * t
    return s


cdef enum:
    CHUNK = 2048  # rows per partial sum: fixed, so the sums do not depend on the threads


def kmeanspp(const double[:, ::1] X, Py_ssize_t first, const double[:, ::1] u,
             Py_ssize_t[::1] centers, Py_ssize_t[::1] label, double[::1] closest,
             int n_threads):
    """Fill ``centers`` (row numbers of the k seeds), ``label`` (each row's closest seed,
    the earlier one on ties) and ``closest`` (its squared distance). ``u`` holds the
    (k - 1, L) uniform draws of the local trials, ``first`` the first seed's row."""
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1], k = centers.shape[0], L = u.shape[1]
    cdef Py_ssize_t n_chunks = (n + CHUNK - 1) // CHUNK
    cdef Py_ssize_t i, a, c, t, lo, hi, mid, best, ch, start, stop
    cdef double pot, r, dd, g, best_pot, thr
    cdef double[::1] cum = np.empty(n)
    cdef double[::1] cand_pot = np.empty(L)
    cdef Py_ssize_t[::1] cand = np.empty(L, dtype=np.intp)
    cdef double[:, ::1] dcen = np.empty((L, k))      # candidate-to-centre squared distances
    cdef double[:, ::1] gains = np.zeros((n_chunks, L))
    with nogil:
        centers[0] = first
        for i in range(n):
            closest[i] = _sqdist(&X[i, 0], &X[first, 0], d)
            label[i] = 0
        for c in range(1, k):
            pot = 0.0
            for i in range(n):
                pot += closest[i]
                cum[i] = pot
            for t in range(L):
                r = u[c - 1, t] * pot
                lo = 0
                hi = n
                while lo < hi:  # first i with cum[i] >= r (numpy searchsorted, side='left')
                    mid = (lo + hi) // 2
                    if cum[mid] < r:
                        lo = mid + 1
                    else:
                        hi = mid
                cand[t] = lo if lo < n else n - 1
            for a in prange(c, num_threads=n_threads, schedule="static"):
                for t in range(L):
                    dcen[t, a] = _sqdist(&X[cand[t], 0], &X[centers[a], 0], d)
            # a candidate takes row i from its centre a only if d(cand, a) < 2 d(i, a)
            for ch in prange(n_chunks, num_threads=n_threads, schedule="dynamic"):
                _chunk_gains(X, cand, dcen, label, closest, ch * CHUNK,
                             min(n, ch * CHUNK + CHUNK), &gains[ch, 0])
            best = 0
            best_pot = INFINITY
            for t in range(L):
                g = 0.0
                for ch in range(n_chunks):
                    g = g + gains[ch, t]
                cand_pot[t] = pot - g
                if cand_pot[t] < best_pot:
                    best_pot = cand_pot[t]
                    best = t
            centers[c] = cand[best]
            for i in prange(n, num_threads=n_threads, schedule="static"):
                if dcen[best, label[i]] < 4.0 * closest[i]:
                    dd = _sqdist(&X[cand[best], 0], &X[i, 0], d)
                    if dd < closest[i]:
                        closest[i] = dd
                        label[i] = c


cdef void _chunk_gains(const double[:, ::1] X, const Py_ssize_t[::1] cand,
                       const double[:, ::1] dcen, const Py_ssize_t[::1] label,
                       const double[::1] closest, Py_ssize_t start, Py_ssize_t stop,
                       double* out) noexcept nogil:
    cdef Py_ssize_t L = cand.shape[0], d = X.shape[1], i, t, a
    cdef double thr, dd
    for t in range(L):
        out[t] = 0.0
    for i in range(start, stop):
        a = label[i]
        thr = 4.0 * closest[i]
        for t in range(L):
            if dcen[t, a] < thr:
                dd = _sqdist(&X[cand[t], 0], &X[i, 0], d)
                if dd < closest[i]:
                    out[t] += closest[i] - dd


def hamerly_filter(const double[:, ::1] X, const double[:, ::1] C, const double[::1] half_gap,
                   const Py_ssize_t[::1] label, double[::1] upper, const double[::1] lower,
                   unsigned char[::1] rescan, int n_threads):
    """Mark in ``rescan`` the rows whose nearest centre of ``C`` may differ from ``label``,
    given valid bounds (``upper`` >= distance to its centre, ``lower`` <= distance to any
    other, ``half_gap[j]`` <= half the distance from centre j to its nearest other centre);
    ``upper`` is tightened to the exact distance where that was needed. Returns the number
    of marked rows."""
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1], i, a
    cdef double m
    cdef Py_ssize_t marked = 0
    for i in prange(n, nogil=True, num_threads=n_threads, schedule="static"):
        rescan[i] = 0
        a = label[i]
        m = half_gap[a]
        if lower[i] > m:
            m = lower[i]
        if upper[i] < m:
            continue
        upper[i] = sqrt(_sqdist(&X[i, 0], &C[a, 0], d))
        if upper[i] < m:
            continue
        rescan[i] = 1
        marked += 1
    return marked


def cluster_sums(const double[:, ::1] X, const Py_ssize_t[::1] label, double[:, ::1] sums,
                 double[::1] counts):
    """``sums[j]`` = sum of the rows labelled j, ``counts[j]`` their number (both zeroed here)."""
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1], k = sums.shape[0], i, j, a
    with nogil:
        for a in range(k):
            counts[a] = 0.0
            for j in range(d):
                sums[a, j] = 0.0
        for i in range(n):
            a = label[i]
            counts[a] += 1.0
            for j in range(d):
                sums[a, j] += X[i, j]
