"""Under-sampling methods: keep a chosen number of rows of each targeted class.

``ratio`` (imblearn: ``sampling_strategy``) gives the number of rows to keep: 'auto'
(= 'not minority'), 'majority', 'not minority', 'not majority', 'all' (each targeted class is cut
to the minority count), a float in (0, 1] (binary only: minority / kept majority), a dict
``{label: count}`` or a callable returning one.
"""
from __future__ import annotations

import numbers
from typing import Literal, overload

import numpy as np
from scipy import sparse

from ._kernels import _cleaning, _nearmiss
from ._kmeans import kmeans_centers
from ._neighbors import check_neighbors, kneighbors
from ._progress import start as _start_phase
from ._public import public, warn_caller
from ._strategy import target_counts
from ._provenance import (
    check_flag as check_provenance_flag,
    kept as kept_records,
    select as select_recorded,
)
from ._typing import (
    ArrayLike,
    Estimator,
    MatrixLike,
    Neighbors,
    RandomStateLike,
    Resampled,
    ResampledAny,
    ResampledIndexed,
    ResampledIndexedProvenance,
    ResampledProvenance,
    ResampledWeighted,
    UnderRatio,
)
from ._validation import (
    check_int,
    check_n_jobs,
    check_random_state,
    check_X_y,
    for_sklearn,
    require_sklearn,
    threads_for,
    unit_scaled,
)

__all__ = [
    "random_under",
    "near_miss",
    "cluster_centroids",
    "instance_hardness_threshold",
]



@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., replacement: bool = ...,
    random_state: RandomStateLike = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def random_under(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = "auto", replacement: bool = False,
    random_state: RandomStateLike = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Randomly keep a subset of the rows of each targeted class.

    The same draws as imbalanced-learn 0.14's ``RandomUnderSampler``: with an integer
    ``random_state`` the same rows come back, in the same order.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Any values: rows are only picked, so NaN, inf, strings, datetimes and object columns
        pass through unchanged.
    y : array-like of shape (n_samples,)
        Class labels (ints, strings, bools, categoricals, ...).
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy`` for under-samplers: the number of rows to
        keep per class. 'auto' (= 'not minority'), 'majority', 'not minority', 'not majority',
        'all': the targeted classes are cut to the minority count. A float ``a`` in (0, 1]
        (two classes only): the majority keeps ``int(n_minority / a)`` rows. A dict
        ``{label: n}``: class ``label`` keeps ``n`` rows (classes not named are kept whole). A
        callable ``f(y) -> dict``.
    replacement : bool, default=False
        Draw with replacement (rows may repeat).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed; an int gives imbalanced-learn's result for that seed.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : same container as X
        The kept rows, class by class in sorted label order; within a targeted class in draw
        order, within other classes in input order. A DataFrame keeps the index labels of the
        rows kept (as imbalanced-learn's RandomUnderSampler), and a Series y gets the same
        index.
    y_res : same container as y
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of intp, optional
        ``X_res`` is ``X[indices]``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    One draw per targeted class, in label order, from one ``RandomState``:
    ``choice(n_c, size=n_keep, replace=replacement)``. The index vector is built first and X is
    gathered once, so memory is the output plus one index per row.

    Differences from imbalanced-learn: ``len(X) != len(y)`` raises (imbalanced-learn silently
    returns mismatched output).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit import under_sampling as us
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0] * 7 + [1] * 3)
    >>> X_res, y_res, idx = us.random_under(X, y, random_state=0, return_indices=True)
    >>> np.bincount(y_res).tolist()
    [3, 3]
    >>> bool((X_res == X[idx]).all())
    True
    >>> us.random_under(X, y, ratio={0: 5}, random_state=0)[1].tolist()
    [0, 0, 0, 0, 0, 1, 1, 1]
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y, numeric=False)
    if not isinstance(replacement, (bool, np.bool_)):
        raise TypeError(f"replacement must be True or False, got {replacement!r}")
    targets = target_counts(ratio, ds.y, ds.classes, "under")
    rs = check_random_state(random_state)
    per_class = ds.class_indices()
    parts = []
    for code in range(ds.n_classes):
        rows = per_class[code]
        if code in targets:
            rows = rows[rs.choice(len(rows), size=targets[code], replace=bool(replacement))]
        parts.append(rows)
    indices = np.concatenate(parts)
    return select_recorded(ds, indices, return_indices, return_provenance, keep_index=True)


# --- NearMiss ---

_NEAR_MISS_SHORT = (
    "The number of the samples to be selected is larger than the number of samples available. "
    "The balancing ratio cannot be ensure and all samples will be returned."
)


def _check_version(version):
    if isinstance(version, (bool, np.bool_)) or version not in (1, 2, 3):
        raise ValueError(f"version must be 1, 2 or 3, got {version!r}")
    return int(version)


def _first_by_score(score, n_keep, largest=False):
    """Positions of the ``n_keep`` smallest (or largest) scores, in score order.

    A stable sort, so equal scores keep ascending position, in both directions: exactly
    imbalanced-learn's ``sorted(range(n), key=score.__getitem__, reverse=largest)``.
    """
    order = np.argsort(-score if largest else score, kind="stable")
    return order[:n_keep]


def _near_miss_minority(ds, targets, version, k, k_ver3):
    """The minority class code (the fewest rows, the smallest label on ties), once ``k`` and
    ``k_ver3`` are checked against the class sizes. ``ds`` gives ``counts`` and ``label``
    (shared with ``resamplekit.dask.near_miss``)."""
    minority = int(np.argmin(ds.counts))
    n_min = int(ds.counts[minority])
    if k > n_min:
        raise ValueError(
            f"k must be at most the number of rows of the minority class "
            f"(class {ds.label(minority)!r}: {n_min} rows), got k={k}"
        )
    if version == 3:
        for c in targets:
            if k_ver3 > ds.counts[c]:
                raise ValueError(
                    f"k_ver3 must be at most the number of rows of each targeted class "
                    f"(class {ds.label(c)!r} has {int(ds.counts[c])}), "
                    f"got k_ver3={k_ver3}"
                )
    return minority


def _minority_distance_sums(X_min, Q, k, farthest, n_threads, neighbors="exact"):
    """NearMiss's score of each row of ``Q``: the sum of its distances to its ``k`` nearest
    (``farthest``: farthest) rows of ``X_min``. One row's score depends on that row only."""
    dist = kneighbors(X_min, k, Y=Q, farthest=farthest, n_jobs=n_threads,
                      neighbors=neighbors)[0]
    return _nearmiss.distance_sums(
        np.ascontiguousarray(dist), farthest, threads_for(n_threads, dist.size)
    )


def _best_candidates(cand, score, n_keep):
    """Version 3's pick: the ``n_keep`` candidates (ascending class positions) with the largest
    scores, in score order; all of them, with imbalanced-learn's warning, when fewer."""
    if len(cand) < n_keep:
        warn_caller(_NEAR_MISS_SHORT)
    return cand[_first_by_score(score, n_keep, largest=True)]


@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = ..., k: int = ...,
    k_ver3: int = ..., ratio: UnderRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def near_miss(
    X: MatrixLike, y: ArrayLike, *, version: Literal[1, 2, 3] = 1, k: int = 3, k_ver3: int = 3,
    ratio: UnderRatio = "auto", n_jobs: int | None = None,
    neighbors: Neighbors = "exact",
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """NearMiss: keep the rows of each targeted class that are closest to the minority class.

    For each targeted class c, with ``t`` rows to keep (from ``ratio``), and the minority class
    (the class with the fewest rows) as reference:

    - version 1 keeps the ``t`` rows of c with the smallest sum of distances to their ``k``
      nearest minority rows;
    - version 2 keeps the ``t`` rows with the smallest sum of distances to their ``k``
      farthest minority rows;
    - version 3 takes as candidates the ``k_ver3`` nearest rows of c of every minority row,
      then keeps the ``t`` candidates with the largest sum of distances to their ``k``
      nearest minority rows. There may be fewer than ``t`` candidates: all are then kept and
      a ``UserWarning`` says so (as in imbalanced-learn).

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    version : {1, 2, 3}, default=1
        NearMiss variant.
    k : int, default=3
        Number of minority rows in each sum (imblearn: ``n_neighbors``); at most the number
        of minority rows.
    k_ver3 : int, default=3
        Version 3: number of candidates each minority row nominates (imblearn:
        ``n_neighbors_ver3``); at most the number of rows of each targeted class.
    ratio : str, float, dict or callable, default='auto'
        Rows to keep per class, see the module docstring.
    n_jobs : int or None, default=None
        Threads for the neighbour search (None: all cores).
    neighbors : {'exact', 'approximate'}, default='exact'
        'exact': the exact search. 'approximate': each row's candidates come from an
        HNSW graph (faiss-cpu, the ``ann`` extra) and are re-ranked by their exact
        distances, so only a missed neighbour can differ from the exact answer (recall
        target 0.97; see the performance page's "Approximate neighbours"). It pays
        from about a million rows; dense X only; deterministic. Versions 1 and 3
        (version 2 scores the farthest rows: 'exact' only).
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray or DataFrame
        Class by class in label order. Inside a targeted class the rows come in score order
        (best first, ties in row order); untargeted classes keep all rows in row order. This is
        imbalanced-learn's ``sample_indices_`` order.
    y_res : ndarray
        Their labels.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Every distance comes from one k-nearest (version 2: k-farthest) search of the minority
    rows, so memory is O(n k). imbalanced-learn's version 2 sorts the full n_c x n_minority
    distance matrix (gigabytes at 100,000 rows). The minority is the smallest label when class
    counts tie (imbalanced-learn: the first to appear in y). Unlike imbalanced-learn's version
    2, ``k`` larger than the minority class is an error.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.under_sampling import near_miss
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [10.0], [0.5], [1.5]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    >>> X_res, y_res, idx = near_miss(X, y, version=1, k=2, return_indices=True)
    >>> idx
    array([1, 0, 6, 7])
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    version = _check_version(version)
    k = check_int(k, "k")
    k_ver3 = check_int(k_ver3, "k_ver3")
    n_threads = check_n_jobs(n_jobs)
    neighbors = check_neighbors(neighbors, "near_miss")
    if neighbors == "approximate" and version == 2:
        raise ValueError("near_miss: neighbors='approximate' finds nearest rows; version 2 "
                         "scores the farthest minority rows: use neighbors='exact'")
    targets = target_counts(ratio, ds.y, ds.classes, "under")

    minority = _near_miss_minority(ds, targets, version, k, k_ver3)
    X_min = ds.X[np.flatnonzero(ds.y == minority)]

    pieces = []
    for c in range(ds.n_classes):
        rows = np.flatnonzero(ds.y == c)
        if c not in targets:
            pieces.append(rows)
            continue
        n_keep = targets[c]
        X_c = ds.X[rows]
        if version in (1, 2):
            score = _minority_distance_sums(X_min, X_c, k, version == 2, n_threads,
                                            neighbors)
            picked = _first_by_score(score, n_keep)
        else:
            ind = kneighbors(X_c, k_ver3, Y=X_min, n_jobs=n_threads, neighbors=neighbors)[1]
            cand = _nearmiss.candidate_rows(np.ascontiguousarray(ind, dtype=np.intp), len(rows))
            score = _minority_distance_sums(X_min, X_c[cand], k, False, n_threads, neighbors)
            picked = _best_candidates(cand, score, n_keep)
        pieces.append(rows[picked])

    indices = np.concatenate(pieces).astype(np.intp, copy=False)
    return select_recorded(ds, indices, return_indices, return_provenance)


# --- cluster centroids, instance hardness ---


def _sklearn_random_state(random_state, rs):
    """What imbalanced-learn hands to scikit-learn estimators as their random_state: the
    user's value itself (an int gives every fit a fresh RandomState(int)), or for a
    numpy.random.Generator, which scikit-learn does not take, the RandomState seeded from it."""
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    return rs


def _nearest_unique_rows(X_c, centers, n_jobs):
    """For each center, a row of ``X_c``, no row twice: centers in increasing order of the
    distance to their nearest row (ties: lower center number) each take their nearest row
    that no earlier center took (ties: lower row). When the nearest rows are all different,
    every center gets its nearest row, as imbalanced-learn's hard voting does."""
    n, m = X_c.shape[0], centers.shape[0]
    dist, ind = kneighbors(X_c, min(n, 8), Y=centers, n_jobs=n_jobs)
    ind = np.ascontiguousarray(ind, dtype=np.intp)
    order = np.lexsort((np.arange(m), dist[:, 0])).astype(np.intp)
    claimed = np.zeros(n, dtype=np.uint8)
    assigned = np.full(m, -1, dtype=np.intp)
    start = 0
    while True:
        start = _cleaning.claim_nearest_unique(ind, order, start, claimed, assigned)
        if start == m:
            return assigned
        # Every row in this center's short list is taken: widen it to one more row than are
        # taken, which must contain a free row (m <= n).
        q = order[start]
        _, wide = kneighbors(
            X_c, min(n, int(claimed.sum()) + 1), Y=centers[q : q + 1], n_jobs=n_jobs
        )
        free = wide[0][claimed[wide[0]] == 0][0]
        claimed[free] = 1
        assigned[q] = free
        start += 1


@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = ..., estimator: Estimator | None = ...,
    voting: Literal["auto", "hard", "soft"] = ..., random_state: RandomStateLike = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def cluster_centroids(
    X: MatrixLike, y: ArrayLike, *, ratio: UnderRatio = "auto", estimator: Estimator | None = None,
    voting: Literal["auto", "hard", "soft"] = "auto", random_state: RandomStateLike = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Replace each targeted class by the centroids of a clustering of its rows.

    Each targeted class c with a target of t rows is clustered into t clusters (KMeans by
    default). With ``voting='soft'`` the t cluster centers are the new rows of c; with
    ``voting='hard'`` the t real rows of c nearest to the centers are, each row at most once
    (imbalanced-learn can return one row twice). Classes that are not targeted are kept whole;
    the output is class by class in label order.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    ratio : str, float, dict or callable, default="auto"
        Rows to keep per targeted class: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` (each down to the minority count),
        a float (binary only: minority / majority after resampling), a dict
        ``{label: count}`` or a callable returning one.
    estimator : clusterer, default=None
        A scikit-learn style clusterer with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_`` attribute; it is cloned. None means
        ``sklearn.cluster.KMeans(random_state=random_state)`` (scikit-learn's defaults
        otherwise, as imbalanced-learn). On dense X resamplekit computes that KMeans itself
        (the same k-means++ draws and Lloyd iterations, the centres equal to scikit-learn's
        to rounding, 5-7x as fast at 100,000 x 20); on sparse X scikit-learn's KMeans runs.
    voting : {'auto', 'hard', 'soft'}, default='auto'
        'soft' returns the centers, 'hard' the nearest real rows; 'auto' is 'hard' for sparse
        X and 'soft' otherwise. On sparse X, KMeans fits the CSR rows (scikit-learn's sparse
        code, whose centers equal the dense ones to rounding, so hard voting may pick the
        other row of an exact tie); scikit-learn holds the centers as a dense
        n_clusters x n_features array (as in imbalanced-learn), the one dense block of this
        method; soft voting returns them in X's sparse format.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed of the default KMeans (a user ``estimator`` keeps its own). An integer gives the
        same centers as imbalanced-learn.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is: with hard voting every output
        row is a real row; with soft voting a center is new data, -1.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows and the new rows, in the caller's containers. With soft
        voting X_res is float (float32 input stays float32).
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of intp, only with ``return_indices=True``
        The input row of each output row (``X[indices[i]]`` is ``X_res[i]``), or -1 for a
        cluster center (soft voting). Rows of classes that are not targeted keep their input
        row numbers under both votings.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Warns
    -----
    sklearn.exceptions.ConvergenceWarning
        As scikit-learn's KMeans (and so imbalanced-learn) when the default clusterer ends with
        fewer distinct clusters than rows to keep (duplicated rows): "Number of distinct
        clusters (m) found smaller than n_clusters (t). Possibly due to duplicate points in
        X." Some of the returned centres then coincide.

    Notes
    -----
    Fits a scikit-learn estimator. Differences from imbalanced-learn: hard voting never picks
    a row twice, so the counts are exact. When two centers share a nearest row, the center
    nearer to it keeps it and the other takes its nearest free row.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.under_sampling import cluster_centroids
    >>> X = np.array([[0.0], [0.1], [5.0], [5.2], [9.0], [9.1]])
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> X_res, y_res = cluster_centroids(X, y, random_state=0)
    >>> np.sort(X_res[:2, 0]).round(2), y_res
    (array([0.05, 5.1 ]), array([0, 0, 1, 1]))
    >>> cluster_centroids(X, y, voting="hard", random_state=0)[1]
    array([0, 0, 1, 1])
    >>> cluster_centroids(X, y, random_state=0, return_indices=True)[2]
    array([-1, -1,  4,  5])
    """
    return_provenance = check_provenance_flag(return_provenance)
    require_sklearn("cluster_centroids")
    from sklearn.base import clone
    from sklearn.cluster import KMeans

    if not isinstance(voting, str) or voting not in ("auto", "hard", "soft"):
        raise ValueError(f"voting must be one of 'auto', 'hard', 'soft', got {voting!r}")
    if voting == "auto":
        voting = "hard" if sparse.issparse(X) else "soft"
    ds = check_X_y(X, y)
    targets = target_counts(ratio, ds.y, ds.classes, "under")
    rs = check_random_state(random_state)
    if estimator is None:
        clusterer = KMeans(random_state=_sklearn_random_state(random_state, rs))
    else:
        if not hasattr(estimator, "get_params") or "n_clusters" not in estimator.get_params():
            raise TypeError(
                "estimator must be a clustering estimator with an n_clusters parameter and a "
                f"fitted cluster_centers_ attribute, got {estimator!r}"
            )
        clusterer = clone(estimator)

    X_parts, rows, codes = [], [], []
    progress = _start_phase("estimator fit", sum(1 for t in targets.values() if t > 0))
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c not in targets:
            X_parts.append(ds.X[rows_c])
            rows.append(rows_c)
            codes.append(np.full(len(rows_c), c, dtype=np.intp))
            continue
        t = targets[c]
        if t == 0:
            continue
        X_c = ds.X[rows_c]
        # The default KMeans is scale-equivariant: fit at unit scale (squared distances
        # neither overflow nor underflow), centres scaled back exactly by the power of two.
        X_fit, e = unit_scaled(X_c) if estimator is None else (X_c, 0)
        # One clusterer refitted per class, as imbalanced-learn (a RandomState random_state
        # carries on from class to class). The default KMeans on dense rows is computed by
        # resamplekit._kmeans: scikit-learn's draws and iterations, its centres to rounding.
        if estimator is None and not ds.is_sparse:
            X_km = np.asarray(X_fit)
            if X_km.dtype not in (np.float32, np.float64):  # as scikit-learn's check_array
                X_km = X_km.astype(np.float64)
            centers = kmeans_centers(X_km, t, random_state=clusterer.random_state)
        else:
            clusterer.set_params(n_clusters=t)
            clusterer.fit(for_sklearn(X_fit))
            if not hasattr(clusterer, "cluster_centers_"):
                raise TypeError(
                    "estimator must be a clustering estimator with an n_clusters parameter "
                    f"and a fitted cluster_centers_ attribute; {estimator!r} has no "
                    "cluster_centers_ after fit"
                )
            centers = np.asarray(clusterer.cluster_centers_)
        if progress is not None:
            progress.update(progress.done + 1)
        if centers.ndim != 2 or centers.shape != (t, ds.X.shape[1]):
            raise ValueError(
                f"estimator gave cluster_centers_ of shape {centers.shape} for "
                f"n_clusters={t} on {ds.X.shape[1]} features; expected ({t}, {ds.X.shape[1]})"
            )
        centers = np.ascontiguousarray(np.ldexp(centers, e) if e else centers, dtype=ds.X.dtype)
        if voting == "soft":
            X_parts.append(centers)
            rows.append(np.full(t, -1, dtype=np.intp))
        else:
            rows.append(rows_c[_nearest_unique_rows(X_c, centers, None)])
        codes.append(np.full(t, c, dtype=np.intp))

    if progress is not None:
        progress.finish()
    if voting == "hard":
        return select_recorded(ds, np.concatenate(rows), return_indices, return_provenance)
    if ds.is_sparse:  # kept classes' rows stay sparse; the centres are KMeans' dense rows
        X_all = sparse.vstack(
            [p if sparse.issparse(p) else sparse.csr_matrix(p) for p in X_parts], format="csr"
        )
    else:
        X_all = np.concatenate(X_parts)
    out = ds.wrap(X_all, np.concatenate(codes))
    out = out + (np.concatenate(rows),) if return_indices else out
    if return_provenance:
        # centroids (-1) and the rows of classes left as they are
        record = kept_records(np.concatenate(rows))
        record["step"][record["row"] == -1] = "centroid"
        out += (record,)
    return out


def _set_random_states(estimator, rs):
    # imbalanced-learn (through scikit-learn's ensemble helper): every parameter named
    # random_state or ending in __random_state, in sorted name order, gets rs.randint(2**31-1).
    to_set = {}
    for key in sorted(estimator.get_params(deep=True)):
        if key == "random_state" or key.endswith("__random_state"):
            to_set[key] = rs.randint(np.iinfo(np.int32).max)
    if to_set:
        estimator.set_params(**to_set)


@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = ..., ratio: UnderRatio = ...,
    cv: int | Estimator = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def instance_hardness_threshold(
    X: MatrixLike, y: ArrayLike, *, estimator: Estimator | None = None, ratio: UnderRatio = "auto",
    cv: int | Estimator = 5, random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Keep the rows of each targeted class that a classifier finds easiest.

    Out-of-fold class probabilities come from ``cross_val_predict(method='predict_proba')``;
    p_i is the probability of row i's own class. For a targeted class c with n_c rows and a
    target of t rows, the rows with p_i at or above the ``(1 - t / n_c) * 100`` percentile of
    the class's p values are kept (in row order). As in imbalanced-learn, ties in p (common
    with random-forest probabilities) keep more than t rows.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels, any values (the classifier sees the codes 0..K-1 of the sorted labels).
    estimator : classifier, default=None
        Any scikit-learn style classifier with ``predict_proba``; it is cloned and every
        ``random_state`` parameter in it is set from ``random_state``, as imbalanced-learn
        does. None means ``RandomForestClassifier(n_estimators=100)``.
    ratio : str, float, dict or callable, default="auto"
        Rows to keep per targeted class, as for :func:`cluster_centroids`.
    cv : int or cross-validation splitter, default=5
        An int gives ``StratifiedKFold(cv, shuffle=True)`` seeded from ``random_state``; a
        splitter (an object with ``split``) or an iterable of (train, test) splits is used as
        it is. The test folds must cover every row once.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed of the classifier and the folds. An integer gives the same rows as
        imbalanced-learn on labels 0..K-1.
    n_jobs : int, default=None
        Threads of the default random forest (None means all cores); with a user
        ``estimator``, the number of folds fitted in parallel (None: one at a time).
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows, class by class in label order, in the caller's containers.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only with ``return_indices=True``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Fits a scikit-learn estimator. Differences from imbalanced-learn: any labels work
    (imbalanced-learn indexes the probability columns with the labels, so it fails on strings
    and on labels that are not 0..K-1), and ``cv`` may be a splitter (imbalanced-learn only
    takes an int).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.under_sampling import instance_hardness_threshold
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [0.5], [1.0], [1.5], [2.0], [2.5], [8.0], [9.0], [8.5]])
    >>> y = np.array(["a", "a", "a", "a", "a", "a", "b", "b", "b"])
    >>> X_res, y_res = instance_hardness_threshold(X, y, estimator=LogisticRegression(),
    ...                                            cv=3, random_state=0)
    >>> y_res
    array(['a', 'a', 'a', 'b', 'b', 'b'], dtype='<U1')
    """
    return_provenance = check_provenance_flag(return_provenance)
    require_sklearn("instance_hardness_threshold")
    from sklearn.base import clone
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    ds = check_X_y(X, y)
    targets = target_counts(ratio, ds.y, ds.classes, "under")
    n_threads = check_n_jobs(n_jobs)
    rs = check_random_state(random_state)

    if estimator is None:
        model = RandomForestClassifier(
            n_estimators=100,
            random_state=_sklearn_random_state(random_state, rs),
            n_jobs=n_threads,
        )
        cv_jobs = None
    else:
        if not (hasattr(estimator, "fit") and hasattr(estimator, "predict_proba")):
            raise TypeError(
                "estimator must be a classifier with fit and predict_proba methods, got "
                f"{estimator!r}"
            )
        model = clone(estimator)
        _set_random_states(model, rs)
        cv_jobs = n_jobs

    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        cv = check_int(cv, "cv", minimum=2)
        splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=rs)
    elif hasattr(cv, "split") or (hasattr(cv, "__iter__") and not isinstance(cv, str)):
        splitter = cv
    else:
        raise TypeError(
            "cv must be an integer >= 2, a cross-validation splitter (an object with a split "
            f"method) or an iterable of (train, test) index arrays, got {cv!r}"
        )

    # The default forest is invariant to the scale of X but computes in float32: it gets X at
    # unit scale, so that no value overflows or underflows float32 (a user's model gets X).
    X_fit = for_sklearn(unit_scaled(ds.X)[0] if estimator is None else ds.X)
    progress = _start_phase("estimator fit", 1)  # all folds: one cross_val_predict call
    proba = cross_val_predict(
        model, X_fit, ds.y, cv=splitter, n_jobs=cv_jobs, method="predict_proba"
    )
    if progress is not None:
        progress.finish()
    p = proba[np.arange(len(ds.y)), ds.y]

    parts = []
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c in targets:
            p_c = p[rows_c]
            threshold = np.percentile(p_c, (1.0 - targets[c] / len(rows_c)) * 100.0)
            rows_c = rows_c[p_c >= threshold]
        parts.append(rows_c)
    return select_recorded(ds, np.concatenate(parts), return_indices, return_provenance)
