"""k-means kernels of cluster_centroids' default clusterer (scikit-learn KMeans' answer, faster).

The random draws are made by the caller (``resamplekit._kmeans``) with scikit-learn's
RandomState calls, in its order, and handed in as arrays; these loops only compute. X is the
class's rows, centred by their mean, in float64; n rows, d features, k clusters. Distances are
exact squared Euclidean distances accumulated in float64 in feature order (no GEMM trick).

- ``kmeanspp``: k-means++ seeding with scikit-learn's local trials (candidates by searchsorted
  on the cumulative sum of the closest squared distances, the candidate of least potential
  wins, first on ties). Each step scans every row against its L candidates at once
  (kmeans_scan.h): a float32 screen (rows in SIMD lanes, from a copy of X scaled by a power
  of two and packed by blocks of 8 rows) rules out the (row, candidate) pairs whose distance is
  certainly no less than the row's closest, with a margin four times the rounding's bound; the
  pairs left are computed exactly in float64, so gains, seeds, labels and distances are bit for
  bit those of the exact scan of every pair. The rows each candidate would take are listed, and
  the winner's list updates the rows' closest centres. No triangle bound prunes rows: on data
  of many features d(candidate, centre) < 2 d(row, centre) holds for most rows. The
  candidates' gains are summed per block of 2048 rows, blocks in order, so the result does
  not depend on the thread count. Time O(k n L d) (the screen's float32 products and sums, 8 rows
  per instruction); memory: the packed float32 copy of X (4 n d bytes), the lists of lowered
  rows (48 bytes per row), the running sums, scaled norms and screen thresholds (20 bytes per
  row) and O(L n / 2048) beyond the caller's arrays.
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


cdef enum:
    CHUNK = 2048  # rows per partial sum: fixed, so the sums do not depend on the threads
    HITS_PER_ROW = 2  # capacity of a chunk's list of lowered rows, per row


cdef extern from "kmeans_scan.h" nogil:
    # the exact squared distance of every k-means kernel, the screen's exact stage included
    double rk_kmpp_sqdist(const double* a, const double* b, Py_ssize_t d)
    Py_ssize_t rk_kmpp_gains(const float* XS, const float* thr, const double* X,
                             Py_ssize_t start, Py_ssize_t stop, Py_ssize_t d,
                             const float* CS, const float* cn, const double* C,
                             Py_ssize_t Lp, Py_ssize_t L, const double* closest,
                             double* gains, Py_ssize_t* hit_row, Py_ssize_t* hit_t,
                             double* hit_d, Py_ssize_t cap)


cdef inline float _screen(double closest, double scale2, double nx, double margin_rel,
                          double margin_abs) noexcept nogil:
    """The screen's threshold of a row (kmeans_scan.h): closest - |x|^2 + margin, scaled."""
    return <float>(closest * scale2 - nx + margin_rel * nx + margin_abs)


def kmeanspp(const double[:, ::1] X, Py_ssize_t first, const double[:, ::1] u,
             Py_ssize_t[::1] centers, Py_ssize_t[::1] label, double[::1] closest,
             int n_threads):
    """Fill ``centers`` (row numbers of the k seeds), ``label`` (each row's closest seed,
    the earlier one on ties) and ``closest`` (its squared distance). ``u`` holds the
    (k - 1, L) uniform draws of the local trials, ``first`` the first seed's row."""
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1], k = centers.shape[0], L = u.shape[1]
    cdef Py_ssize_t Lp = L if L <= 16 else ((L + 3) // 4) * 4  # kmeans_scan.h's widths
    cdef Py_ssize_t n_chunks = (n + CHUNK - 1) // CHUNK
    cdef Py_ssize_t i, j, c, t, lo, hi, mid, best, ch, start, stop, row
    cdef double pot, r, g, best_pot
    if n == 0 or k == 0:
        return
    if Lp > 32:
        raise ValueError(f"kmeanspp: at most 32 local trials, got {L}")
    cdef double[::1] cum = np.empty(n)
    cdef double[::1] cand_pot = np.empty(L)
    cdef Py_ssize_t[::1] cand = np.empty(L, dtype=np.intp)
    cdef double[:, ::1] C = np.empty((L, max(d, 1)))  # the candidate rows
    # The screen (kmeans_scan.h): X scaled by a power of two so that every |value| <= 1,
    # in float32, packed by blocks of 8 rows; each row's squared norm (scaled, float64) and
    # threshold (float32, -inf on the padding rows).
    Xa = np.asarray(X)
    top = float(np.max(np.abs(Xa))) if Xa.size else 0.0
    cdef double scale = 1.0 if top == 0.0 else float(np.ldexp(1.0, -int(np.frexp(top)[1])))
    cdef double scale2 = scale * scale
    cdef Py_ssize_t nb = (n + 7) // 8, full_blocks = n // 8
    packed = np.zeros((nb, max(d, 1), 8), dtype=np.float32)
    rows_view = packed.transpose(0, 2, 1)  # (block, row, feature)
    # (scaled straight into the float32 copy: no transient float64 copy of X)
    np.multiply(Xa[:full_blocks * 8].reshape(full_blocks, 8, d), scale,
                out=rows_view[:full_blocks, :, :d], casting="same_kind")
    if nb > full_blocks:
        np.multiply(Xa[full_blocks * 8:], scale,
                    out=rows_view[full_blocks, :n - full_blocks * 8, :d], casting="same_kind")
    cdef float[:, :, ::1] XS = packed
    cdef double[::1] nx = np.empty(n)
    cdef double nmax = 0.0, v
    with nogil:
        for i in range(n):
            r = 0.0
            for j in range(d):
                v = X[i, j] * scale
                r = r + v * v
            nx[i] = r
            if r > nmax:
                nmax = r
    cdef double margin_rel = (d + 8) * 2.0 ** -22, margin_abs
    margin_abs = margin_rel * nmax + (d + 1) * 2.0 ** -100
    cdef float[::1] thr = np.full(nb * 8, -np.inf, dtype=np.float32)
    cdef float[:, ::1] CS = np.zeros((max(d, 1), Lp), dtype=np.float32)
    cdef float[::1] cn = np.full(Lp, np.inf, dtype=np.float32)
    cdef double[:, ::1] gains = np.zeros((n_chunks, Lp))
    # per chunk, the (row, candidate, distance) triples where a candidate lowers a row
    cdef Py_ssize_t cap = HITS_PER_ROW * CHUNK, h
    cdef Py_ssize_t[:, ::1] hit_row = np.empty((n_chunks, cap), dtype=np.intp)
    cdef Py_ssize_t[:, ::1] hit_t = np.empty((n_chunks, cap), dtype=np.intp)
    cdef double[:, ::1] hit_d = np.empty((n_chunks, cap))
    cdef Py_ssize_t[::1] n_hits = np.empty(n_chunks, dtype=np.intp)
    with nogil:
        centers[0] = first
        for i in range(n):
            closest[i] = rk_kmpp_sqdist(&X[i, 0], &X[first, 0], d)
            label[i] = 0
            thr[i] = _screen(closest[i], scale2, nx[i], margin_rel, margin_abs)
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
                for j in range(d):
                    C[t, j] = X[cand[t], j]
                    CS[j, t] = <float>(X[cand[t], j] * scale)
                cn[t] = <float>nx[cand[t]]
            # each candidate's gain: sum over rows of max(closest - d(row, candidate), 0),
            # per fixed chunk of rows, chunks added in order (thread-count independent)
            for ch in prange(n_chunks, num_threads=n_threads, schedule="dynamic"):
                start = ch * CHUNK
                stop = min(n, start + CHUNK)
                for t in range(Lp):
                    gains[ch, t] = 0.0
                n_hits[ch] = rk_kmpp_gains(&XS[0, 0, 0], &thr[0], &X[0, 0], start, stop, d,
                                           &CS[0, 0], &cn[0], &C[0, 0], Lp, L, &closest[0],
                                           &gains[ch, 0], &hit_row[ch, 0], &hit_t[ch, 0],
                                           &hit_d[ch, 0], cap)
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
            # the rows the winner takes: its listed entries (a chunk whose list was full:
            # a pass over its rows)
            for ch in prange(n_chunks, num_threads=n_threads, schedule="static"):
                if n_hits[ch] >= 0:
                    for h in range(n_hits[ch]):
                        if hit_t[ch, h] == best:
                            row = hit_row[ch, h]
                            closest[row] = hit_d[ch, h]
                            label[row] = c
                            thr[row] = _screen(closest[row], scale2, nx[row], margin_rel,
                                               margin_abs)
                else:
                    for i in range(ch * CHUNK, min(n, ch * CHUNK + CHUNK)):
                        r = rk_kmpp_sqdist(&X[cand[best], 0], &X[i, 0], d)
                        if r < closest[i]:
                            closest[i] = r
                            label[i] = c
                            thr[i] = _screen(r, scale2, nx[i], margin_rel, margin_abs)


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
        upper[i] = sqrt(rk_kmpp_sqdist(&X[i, 0], &C[a, 0], d))
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
