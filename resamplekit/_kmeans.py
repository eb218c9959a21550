"""cluster_centroids' default clusterer: the centres of scikit-learn's
``KMeans(n_clusters=k, random_state=random_state)`` (its defaults: k-means++ seeding with
2 + int(log k) local trials, one run, Lloyd's algorithm, max_iter=300, tol=1e-4), Lloyd's
steps computed with bounds that skip distances which cannot change the answer.

The same draws as scikit-learn, from the same RandomState calls in the same order: one
``choice(n, p=w / w.sum())`` for the first seed, then ``uniform(size=L)`` per further seed
(drawn here at once: the same stream). The same data as scikit-learn: dense X centred by its
mean in X's dtype, the tolerance ``tol * mean(var(X, axis=0))``. The same iterations: labels
(ties to the lower centre), means, scikit-learn's relocation of empty clusters, stop when no
label changes or when the centres' squared shift sums to at most the tolerance, and
scikit-learn's ConvergenceWarning when fewer centres than asked are some row's nearest after
the last assignment (duplicated rows). The arithmetic is float64 with exact distances
(scikit-learn uses the GEMM expansion, in float32 for float32 X), so centres agree to
rounding; a draw or a label that sits on a tie to the last bits may go the other way.

cluster_centroids' default clusterer on dense X. The seeding's cost is k passes over the rows
(each row against the 2 + log k candidates of a step: a float32 screen in SIMD lanes rules out
the pairs that cannot lower a row, the rest are computed exactly; _kernels/kmeans_scan.h); no
bound prunes it on data of many features, where distances concentrate.
"""
import numbers

import numpy as np

from ._kernels import _kmeans
from ._neighbors import kneighbors
from ._public import warn_caller

__all__ = ["kmeans_centers"]

# Distances from kneighbors (GEMM expansion) are shrunk by this relative margin before they
# serve as lower bounds, so rounding can never make a bound invalid.
_BOUND_MARGIN = 1e-7


def _random_state(random_state):
    """scikit-learn's check_random_state: None -> NumPy's global RandomState, an int -> a new
    RandomState(int), a RandomState -> itself (its draws carry on)."""
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, numbers.Integral):
        return np.random.RandomState(random_state)
    if isinstance(random_state, np.random.RandomState):
        return random_state
    raise ValueError(
        f"random_state must be None, an integer or a numpy.random.RandomState, got {random_state!r}"
    )


def kmeans_centers(X, n_clusters, *, random_state=None, max_iter=300, tol=1e-4, n_jobs=None):
    """Cluster centres of scikit-learn's ``KMeans(n_clusters, random_state=random_state)``
    fitted on dense ``X``, to rounding.

    Parameters
    ----------
    X : ndarray of shape (n, d), float32 or float64, C-contiguous
        The rows to cluster (not modified).
    n_clusters : int
        Number of clusters, 1 <= n_clusters <= n.
    random_state : None, int or numpy.random.RandomState
        As scikit-learn's KMeans takes it (a RandomState is advanced as KMeans advances it).
    max_iter, tol : scikit-learn's KMeans parameters.
    n_jobs : int or None
        Threads of the assignment steps (None: all cores); the result does not depend on it.

    Returns
    -------
    centers : ndarray of shape (n_clusters, d), X's dtype

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._kmeans import kmeans_centers
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> np.sort(kmeans_centers(X, 2, random_state=0), axis=0)
    array([[ 0. ,  0.5],
           [10. ,  0.5]])
    """
    X = np.asarray(X)
    n, d = X.shape
    k = int(n_clusters)
    if not 1 <= k <= n:
        raise ValueError(f"n_clusters must be an integer in 1..{n} (the rows), got {n_clusters!r}")
    rs = _random_state(random_state)
    n_threads = 0 if n_jobs is None else int(n_jobs)
    tol = float(np.mean(np.var(X, axis=0)) * tol) if tol else 0.0
    mean = X.mean(axis=0)
    Xc = np.ascontiguousarray(X - mean, dtype=np.float64)

    seeds, label, closest = _kmeanspp(Xc, k, rs, X.dtype, n_threads)
    centers, distinct = _lloyd(Xc, Xc[seeds], label, closest, max_iter, tol, n_jobs)
    if distinct < k:
        from sklearn.exceptions import ConvergenceWarning  # scikit-learn's warning, as KMeans

        warn_caller(f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                    f"({k}). Possibly due to duplicate points in X.", ConvergenceWarning)
    return (centers.astype(X.dtype) + mean).astype(X.dtype, copy=False)


def _second_distance(Xc, centers, label, n_jobs):
    """A lower bound on each row's distance to the seeds other than its own."""
    k = centers.shape[0]
    if k == 1:
        return np.full(Xc.shape[0], np.inf)
    dist, ind = kneighbors(centers, 2, Y=Xc, n_jobs=n_jobs)
    other = np.where(ind[:, 0] == label, dist[:, 1], dist[:, 0])
    return np.maximum(other * (1 - _BOUND_MARGIN) - _BOUND_MARGIN, 0.0)


def _assign(Xc, centers, label, upper, lower, rescan, n_jobs, n_threads):
    """Lloyd's assignment step with Hamerly's bounds: only the rows whose bounds allow a change
    are searched (exact nearest two centres, ties to the lower centre); bounds updated.
    Returns the number of rows whose label changed."""
    n_marked = _kmeans.hamerly_filter(
        Xc, centers, _half_gaps(centers, n_jobs), label, upper, lower, rescan, n_threads
    )
    if n_marked == 0:
        return 0
    rows = np.flatnonzero(rescan)
    dist, ind = kneighbors(centers, 2, Y=Xc[rows], n_jobs=n_jobs)
    changed = int(np.count_nonzero(ind[:, 0] != label[rows]))
    label[rows] = ind[:, 0]
    upper[rows] = dist[:, 0] * (1 + _BOUND_MARGIN) + _BOUND_MARGIN
    lower[rows] = np.maximum(dist[:, 1] * (1 - _BOUND_MARGIN) - _BOUND_MARGIN, 0.0)
    return changed


def _half_gaps(centers, n_jobs):
    """A lower bound on half the distance from each centre to its nearest other centre."""
    if centers.shape[0] == 1:
        return np.full(1, np.inf)
    dist, _ = kneighbors(centers, 1, n_jobs=n_jobs)
    return np.maximum(0.5 * dist[:, 0] * (1 - _BOUND_MARGIN) - _BOUND_MARGIN, 0.0)


def _relocate_empty(Xc, centers, sums, counts, label):
    """scikit-learn's relocation: the empty clusters take, in order, the rows farthest from
    their centres (argpartition's pick), each row leaving its cluster's sum; nothing moves
    when every row sits on its centre."""
    empty = np.flatnonzero(counts == 0)
    dist = ((Xc - centers[label]) ** 2).sum(axis=1)
    if np.max(dist) == 0:
        return
    far = np.argpartition(dist, -len(empty))[: -len(empty) - 1 : -1]
    for new_id, row in zip(empty, far):
        old_id = label[row]
        sums[old_id] -= Xc[row]
        sums[new_id] = Xc[row]
        counts[new_id] = 1.0
        counts[old_id] -= 1.0


def _average(sums, counts):
    """Means of the clusters; a cluster still empty sits on the largest cluster's mean."""
    new = np.empty_like(sums)
    full = counts > 0
    new[full] = sums[full] * (1.0 / counts[full])[:, None]  # as scikit-learn: times 1 / count
    new[~full] = new[np.argmax(counts)]
    return new


def _kmeanspp(Xc, k, rs, dtype, n_threads):
    """scikit-learn's k-means++ seeds of centred float64 ``Xc`` (its draws: weights of one in
    X's dtype): the seeds' rows, each row's closest seed and squared distance to it."""
    n = Xc.shape[0]
    w = np.ones(n, dtype=dtype)
    first = rs.choice(n, p=w / w.sum())
    n_trials = 2 + int(np.log(k))
    u = rs.uniform(size=(k - 1, n_trials)) if k > 1 else np.empty((0, n_trials))
    seeds = np.empty(k, dtype=np.intp)
    label = np.empty(n, dtype=np.intp)
    closest = np.empty(n, dtype=np.float64)
    _kmeans.kmeanspp(Xc, int(first), np.ascontiguousarray(u), seeds, label, closest, n_threads)
    return seeds, label, closest


def _lloyd(Xc, centers, label, closest, max_iter, tol, n_jobs):
    """scikit-learn's Lloyd iterations from ``centers``, whose nearest centre for each row is
    ``label`` at squared distance ``closest``: the final centres, and how many of them are
    the nearest centre of some row (scikit-learn's "distinct clusters", counted on the labels
    of a final assignment step unless the last step changed no label)."""
    n_threads = 0 if n_jobs is None else int(n_jobs)
    k = centers.shape[0]
    label = label.copy()
    upper = np.sqrt(closest)
    lower = _second_distance(Xc, centers, label, n_jobs)
    sums = np.empty_like(centers)
    counts = np.empty(k, dtype=np.float64)
    rescan = np.empty(Xc.shape[0], dtype=np.uint8)
    changed = Xc.shape[0]
    strict = False
    for it in range(max_iter):
        if it > 0:
            changed = _assign(Xc, centers, label, upper, lower, rescan, n_jobs, n_threads)
        _kmeans.cluster_sums(Xc, label, sums, counts)
        if not counts.all():
            _relocate_empty(Xc, centers, sums, counts, label)
        new = _average(sums, counts)
        shift = np.sqrt(((new - centers) ** 2).sum(axis=1))
        centers = new
        if it > 0 and changed == 0:
            strict = True
            break
        # the bounds follow the centres: an upper bound grows by its centre's shift, a lower
        # bound shrinks by the largest shift of another centre
        upper += shift[label]
        top = np.argmax(shift)
        second_max = np.max(np.delete(shift, top)) if k > 1 else 0.0
        lower -= np.where(label == top, second_max, shift[top])
        np.maximum(lower, 0.0, out=lower)
        if (shift**2).sum() <= tol:
            break
    if not strict and not np.bincount(label[upper < lower], minlength=k).all():
        # scikit-learn's final assignment step, needed only where some centre has no row
        # that its bounds keep there for sure
        _assign(Xc, centers, label, upper, lower, rescan, n_jobs, n_threads)
    return centers, int(np.count_nonzero(np.bincount(label, minlength=k)))
