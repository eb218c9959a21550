"""Under-sampling methods: keep a chosen number of rows of each targeted class.

``ratio`` (imblearn: ``sampling_strategy``) gives the number of rows to keep: 'auto'
(= 'not minority'), 'majority', 'not minority', 'not majority', 'all' (each targeted class is cut
to the minority count), a float in (0, 1] (binary only: minority / kept majority), a dict
``{label: count}`` or a callable returning one.
"""
import warnings

import numpy as np

from ._kernels import _nearmiss
from ._neighbors import kneighbors
from ._strategy import target_counts
from ._validation import check_int, check_n_jobs, check_random_state, check_X_y

__all__ = ["random_under", "near_miss"]



def random_under(X, y, *, ratio="auto", replacement=False, random_state=None,
                 return_indices=False):
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
    return_indices : bool, default=False
        Also return, for each output row, the input row it is.

    Returns
    -------
    X_res : same container as X
        The kept rows, class by class in sorted label order; within a targeted class in draw
        order, within other classes in input order. A DataFrame keeps the index labels of the
        rows kept (as imbalanced-learn's RandomUnderSampler), and a Series y gets the same
        index.
    y_res : same container as y
    indices : ndarray of intp, optional
        ``X_res`` is ``X[indices]``.

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
    return ds.select(indices, return_indices=return_indices, keep_index=True)


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


def near_miss(
    X, y, *, version=1, k=3, k_ver3=3, ratio="auto", n_jobs=None, return_indices=False
):
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
    X : array-like of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
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
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.

    Returns
    -------
    X_res : ndarray or DataFrame
        Class by class in label order. Inside a targeted class the rows come in score order
        (best first, ties in row order); untargeted classes keep all rows in row order. This is
        imbalanced-learn's ``sample_indices_`` order.
    y_res : ndarray
        Their labels.
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]``.

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
    ds = check_X_y(X, y)
    version = _check_version(version)
    k = check_int(k, "k")
    k_ver3 = check_int(k_ver3, "k_ver3")
    n_threads = check_n_jobs(n_jobs)
    targets = target_counts(ratio, ds.y, ds.classes, "under")

    minority = int(np.argmin(ds.counts))
    min_rows = np.flatnonzero(ds.y == minority)
    if k > len(min_rows):
        raise ValueError(
            f"k must be at most the number of rows of the minority class "
            f"({ds.classes[minority]!r}: {len(min_rows)} rows), got k={k}"
        )
    X_min = ds.X[min_rows]
    if version == 3:
        for c in targets:
            if k_ver3 > ds.counts[c]:
                raise ValueError(
                    f"k_ver3 must be at most the number of rows of each targeted class "
                    f"(class {ds.classes[c]!r} has {int(ds.counts[c])}), got k_ver3={k_ver3}"
                )

    pieces = []
    for c in range(ds.n_classes):
        rows = np.flatnonzero(ds.y == c)
        if c not in targets:
            pieces.append(rows)
            continue
        n_keep = targets[c]
        X_c = ds.X[rows]
        if version == 1:
            dist = kneighbors(X_min, k, Y=X_c, n_jobs=n_threads)[0]
            score = _nearmiss.distance_sums(np.ascontiguousarray(dist), False, n_threads)
            picked = _first_by_score(score, n_keep)
        elif version == 2:
            dist = kneighbors(X_min, k, Y=X_c, farthest=True, n_jobs=n_threads)[0]
            score = _nearmiss.distance_sums(np.ascontiguousarray(dist), True, n_threads)
            picked = _first_by_score(score, n_keep)
        else:
            ind = kneighbors(X_c, k_ver3, Y=X_min, n_jobs=n_threads)[1]
            cand = _nearmiss.candidate_rows(np.ascontiguousarray(ind, dtype=np.intp), len(rows))
            dist = kneighbors(X_min, k, Y=X_c[cand], n_jobs=n_threads)[0]
            score = _nearmiss.distance_sums(np.ascontiguousarray(dist), False, n_threads)
            if len(cand) < n_keep:
                warnings.warn(_NEAR_MISS_SHORT, UserWarning, stacklevel=2)
            picked = cand[_first_by_score(score, n_keep, largest=True)]
        pieces.append(rows[picked])

    indices = np.concatenate(pieces).astype(np.intp, copy=False)
    return ds.select(indices, return_indices=return_indices)
