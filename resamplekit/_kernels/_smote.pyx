# SMOTE synthesis: new rows on the segments between base rows and chosen neighbour rows.
#
# interpolate: out[i] = X[rows[i]] + gaps[i] * (scales[i] * (Xn[nbrs[i]] - X[rows[i]]))
#   (scales omitted = 1). The indices and gaps are drawn in Python as whole arrays, so the result
#   does not depend on the number of threads. Every SMOTE variant uses this one kernel:
#   SMOTE, Borderline-1, ADASYN and KMeans-SMOTE interpolate (gaps in [0, 1)), SVM-SMOTE
#   extrapolates away from the neighbour (negative gaps), Borderline-2 halves the way towards a
#   neighbour of another class (scales in [0, 0.5) for those rows).
#   Arithmetic is float64 in imbalanced-learn's order -- diff = xn - x, t = gap * diff,
#   out = x + t -- so float64 results equal imbalanced-learn's bit for bit; float32 rows are
#   computed in float64 and rounded once.
#   Time O(n_new * d), parallel over new rows; memory: the output only.

from cython.parallel cimport prange
from ._common cimport floating, intp_t


def interpolate(
    const floating[:, ::1] X,
    const intp_t[::1] rows,
    const floating[:, ::1] Xn,
    const intp_t[::1] nbrs,
    const double[::1] gaps,
    floating[:, ::1] out,
    int n_threads,
    const double[::1] scales=None,
):
    """Write ``out[i] = X[rows[i]] + gaps[i] * (Xn[nbrs[i]] - X[rows[i]])`` for every i.

    Parameters
    ----------
    X : (n_base, d) float32 or float64, C-contiguous
        Base rows.
    rows : (n_new,) intp
        Base row of each new row (index into ``X``).
    Xn : (n_nbr, d) same dtype as X, C-contiguous
        Neighbour rows (may be ``X`` itself).
    nbrs : (n_new,) intp
        Neighbour row of each new row (index into ``Xn``).
    gaps : (n_new,) float64
        Position along the segment: 0 is the base row, 1 the neighbour; negative values
        extrapolate away from the neighbour.
    out : (n_new, d) same dtype as X, C-contiguous
        Written in place.
    n_threads : int
        OpenMP threads (the result does not depend on it).
    scales : (n_new,) float64, optional
        A factor applied to the difference before the gap, ``gaps[i] * (scales[i] * diff)``
        (Borderline-2's random half-gap towards neighbours of another class). Kept apart from
        ``gaps`` so that the float64 rounding equals imbalanced-learn's.

    Indices are trusted (no bounds checks): validation happens in the caller.
    """
    cdef Py_ssize_t n_new = rows.shape[0]
    cdef Py_ssize_t d = X.shape[1]
    cdef Py_ssize_t i, j, r, c
    cdef double g, s, x, diff
    cdef bint scaled = scales is not None
    if n_threads < 1:
        n_threads = 1
    with nogil:
        if scaled:
            for i in prange(n_new, num_threads=n_threads, schedule="static"):
                r = rows[i]
                c = nbrs[i]
                g = gaps[i]
                s = scales[i]
                for j in range(d):
                    x = X[r, j]
                    diff = s * (<double>Xn[c, j] - x)
                    out[i, j] = <floating>(x + g * diff)
        else:
            for i in prange(n_new, num_threads=n_threads, schedule="static"):
                r = rows[i]
                c = nbrs[i]
                g = gaps[i]
                for j in range(d):
                    x = X[r, j]
                    diff = <double>Xn[c, j] - x
                    out[i, j] = <floating>(x + g * diff)


# --- The same synthesis on CSR rows (sparse X), never through dense rows.
#
# A new row's stored entries are the union of its two parents' columns, each value computed
# exactly as in interpolate (float64: x + gap * (scale * (xn - x)), rounded once to X's dtype,
# a column missing from a parent counting as 0.0), and an entry that comes out 0 is not
# stored. Since zeros add nothing to the dense arithmetic, every row equals interpolate's on
# the densified parents, bit for bit. Two passes over the new rows, both parallel over them
# and deterministic: interpolate_csr_counts counts each new row's stored entries (the caller
# turns the counts into indptr and allocates the output), interpolate_csr fills the entries.
# X's index arrays may be int32 or int64 (as scipy gives them), the output's too.
# Time O(sum over new rows of the parents' nnz), twice; memory: the output only (counts: one
# int64 per new row).

ctypedef fused index_t:
    int
    long long

ctypedef fused out_index_t:
    int
    long long


def interpolate_csr_counts(
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    const intp_t[::1] rows,
    const intp_t[::1] nbrs,
    const double[::1] gaps,
    const double[::1] scales,
    long long[::1] counts,
    int n_threads,
):
    """Write into ``counts[i]`` how many entries of new row i are non-zero.

    ``data, indices, indptr``: a CSR matrix with sorted indices and no duplicates; ``rows``
    and ``nbrs`` index its rows; ``scales`` as in :func:`interpolate` (all ones when the
    difference is not scaled: ``1.0 * diff`` is ``diff`` exactly).
    """
    cdef Py_ssize_t n_new = rows.shape[0]
    cdef Py_ssize_t i, pa, ea, pb, eb
    cdef long long ja, jb, cnt
    cdef double g, s, x, xn
    cdef floating v
    cdef long long big = 1LL << 62
    if n_threads < 1:
        n_threads = 1
    with nogil:
        for i in prange(n_new, num_threads=n_threads, schedule="dynamic", chunksize=256):
            g = gaps[i]
            s = scales[i]
            pa = indptr[rows[i]]
            ea = indptr[rows[i] + 1]
            pb = indptr[nbrs[i]]
            eb = indptr[nbrs[i] + 1]
            cnt = 0
            while pa < ea or pb < eb:
                ja = indices[pa] if pa < ea else big
                jb = indices[pb] if pb < eb else big
                x = 0.0
                xn = 0.0
                if ja <= jb:
                    x = data[pa]
                    pa = pa + 1
                if jb <= ja:
                    xn = data[pb]
                    pb = pb + 1
                v = <floating>(x + g * (s * (xn - x)))
                if v != 0:
                    cnt = cnt + 1
            counts[i] = cnt


def interpolate_csr(
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    const intp_t[::1] rows,
    const intp_t[::1] nbrs,
    const double[::1] gaps,
    const double[::1] scales,
    const out_index_t[::1] out_indptr,
    floating[::1] out_data,
    out_index_t[::1] out_indices,
    int n_threads,
):
    """Fill the new rows' entries: ``out_indptr`` comes from interpolate_csr_counts' counts
    (its cumulative sum, from 0); ``out_data`` and ``out_indices`` get ``out_indptr[-1]``
    entries, sorted by column within each row."""
    cdef Py_ssize_t n_new = rows.shape[0]
    cdef Py_ssize_t i, pa, ea, pb, eb, q
    cdef long long ja, jb, j
    cdef double g, s, x, xn
    cdef floating v
    cdef long long big = 1LL << 62
    if n_threads < 1:
        n_threads = 1
    with nogil:
        for i in prange(n_new, num_threads=n_threads, schedule="dynamic", chunksize=256):
            g = gaps[i]
            s = scales[i]
            pa = indptr[rows[i]]
            ea = indptr[rows[i] + 1]
            pb = indptr[nbrs[i]]
            eb = indptr[nbrs[i] + 1]
            q = out_indptr[i]
            while pa < ea or pb < eb:
                ja = indices[pa] if pa < ea else big
                jb = indices[pb] if pb < eb else big
                x = 0.0
                xn = 0.0
                j = ja if ja < jb else jb
                if ja <= jb:
                    x = data[pa]
                    pa = pa + 1
                if jb <= ja:
                    xn = data[pb]
                    pb = pb + 1
                v = <floating>(x + g * (s * (xn - x)))
                if v != 0:
                    out_data[q] = v
                    out_indices[q] = <out_index_t>j
                    q = q + 1
