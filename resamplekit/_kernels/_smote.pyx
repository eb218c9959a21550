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
