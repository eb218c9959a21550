"""Cleaning methods: remove the rows that a neighbour rule finds noisy or redundant.

Each function takes ``X, y`` and keyword-only options and returns ``(X_res, y_res)`` (plus the
input row of every output row with ``return_indices=True``). ``ratio`` names the classes to
clean, with imbalanced-learn's meaning of ``sampling_strategy`` for cleaning samplers.
"""
import numpy as np

from ._kernels import _condensing
from ._neighbors import kneighbors
from ._strategy import target_counts
from ._validation import check_int, check_n_jobs, check_random_state, check_X_y

__all__ = [
    "tomek_links",
    "condensed_nearest_neighbour",
    "one_sided_selection",
]


# --- Tomek links, CNN, OSS ---


def _tomek_keep(X, y, n_classes, targeted, n_jobs):
    """Positions of the rows of ``X`` that Tomek links keep, ascending.

    A row is removed when its class is in ``targeted`` and it and its nearest neighbour
    (itself excluded by index, so a duplicated row is its twin's neighbour) are each other's
    nearest neighbour with different labels.
    """
    n = X.shape[0]
    if n < 2:
        return np.arange(n, dtype=np.intp)
    _, nn = kneighbors(X, 1, n_jobs=n_jobs)
    is_targeted = np.zeros(n_classes, dtype=np.uint8)
    is_targeted[list(targeted)] = 1
    remove = np.zeros(n, dtype=np.uint8)
    _condensing.tomek_link_mask(
        np.ascontiguousarray(nn[:, 0], dtype=np.intp),
        np.ascontiguousarray(y, dtype=np.intp),
        is_targeted,
        remove,
    )
    return np.flatnonzero(remove == 0)


def tomek_links(X, y, *, ratio="auto", n_jobs=None, return_indices=False):
    """Remove the targeted members of Tomek links.

    Two rows of different classes form a Tomek link when each is the other's nearest
    neighbour (Euclidean distance). Every link member whose class is targeted by ``ratio`` is
    removed; with the default ``'auto'`` (all classes but the minority) only the non-minority
    member of a link goes, with ``'all'`` both members go. The rows kept are those of
    imbalanced-learn's ``TomekLinks``, in ascending row order.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric, finite features.
    y : array-like of shape (n_samples,)
        Class labels (any hashable, sortable values).
    ratio : str or list, default="auto"
        Classes to clean: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    n_jobs : int, default=None
        Threads for the neighbour search; None means all cores.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.

    Returns
    -------
    X_res, y_res : the kept rows, in the caller's containers.
    indices : ndarray of int, only with ``return_indices=True``.

    Notes
    -----
    Differences from imbalanced-learn: a row is excluded from its own neighbours by index, so
    two identical rows with different labels form a link (imbalanced-learn drops the first
    neighbour column, which is not always the row itself, and misses such links). Ties in
    distance go to the lower row index.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import tomek_links
    >>> X = np.array([[0.0], [1.0], [2.0], [2.4], [5.0], [6.0], [7.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1])
    >>> X_res, y_res, idx = tomek_links(X, y, return_indices=True)
    >>> idx  # rows 2 and 3 form a link; 'auto' removes its non-minority member, row 3
    array([0, 1, 2, 4, 5, 6])
    >>> tomek_links(X, y, ratio="all", return_indices=True)[2]
    array([0, 1, 4, 5, 6])
    """
    ds = check_X_y(X, y)
    n_jobs = check_n_jobs(n_jobs)
    targeted = target_counts(ratio, ds.y, ds.classes, "clean")
    keep = _tomek_keep(ds.X, ds.y, ds.n_classes, targeted, n_jobs)
    return ds.select(keep, return_indices=return_indices)


def _check_store_size(k, n_minority, n_seeds):
    size = n_minority + n_seeds
    if k > size:
        raise ValueError(
            f"k must be at most {size}, the rows the classifier starts from (the "
            f"{n_minority} rows of the minority class plus n_seeds_S={n_seeds} seeds), "
            f"got k={k}"
        )


def _knn_vote_wrong(labels, target, minority):
    """Rows whose k-NN majority vote (over class codes ``labels``, shape (n, k)) is not
    ``target``. The store holds two classes at most (``minority`` and ``target``); a tied vote
    goes to the smaller code, as scikit-learn's KNeighborsClassifier does."""
    k = labels.shape[1]
    votes = 2 * np.count_nonzero(labels == target, axis=1)
    return (votes < k) | ((votes == k) & (minority < target))


def _seeds(rs, n_c, n_seeds):
    # imbalanced-learn's exact call, once per targeted class in label order: positions drawn
    # with replacement, so a seed can repeat (and then appears twice in the output).
    return rs.randint(low=0, high=n_c, size=n_seeds)


def condensed_nearest_neighbour(
    X,
    y,
    *,
    k=1,
    n_seeds_S=1,
    ratio="auto",
    random_state=None,
    n_jobs=None,
    return_indices=False,
):
    """Condensed nearest neighbour rule (imbalanced-learn's one-pass variant).

    For each targeted class c, a store starts with all the minority rows and ``n_seeds_S``
    randomly drawn rows of c. The rows of c are then scanned once, in their order in ``X``;
    a row that is not a seed is classified by a majority vote of its ``k`` nearest store rows
    and joins the store when the vote is wrong. Class c is replaced by the seeds followed by
    the rows that joined, in scan order. Classes that are not targeted are kept whole.

    Each row's ``k`` nearest store rows are kept and updated when a row joins the store (the
    distance of every later row to the new one), instead of refitting and re-predicting a
    classifier: a pass costs O(n_c * d * additions).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric, finite features.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=1
        Neighbours in the vote (imbalanced-learn: ``n_neighbors``); at most the number of
        minority rows plus ``n_seeds_S``. A tied vote goes to the smaller label.
    n_seeds_S : int, default=1
        Rows of each targeted class that seed the store, drawn with replacement.
    ratio : str or list, default="auto"
        Classes to condense: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seeds of the draw. An integer draws the same seeds as imbalanced-learn.
    n_jobs : int, default=None
        Threads; None means all cores.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.

    Returns
    -------
    X_res, y_res : the kept rows, class by class in label order, in the caller's containers.
    indices : ndarray of int, only with ``return_indices=True``.

    Notes
    -----
    Differences from imbalanced-learn: imbalanced-learn compares the position of a row within
    its class with a list of row numbers in ``X``, so it skips the wrong rows of the scan
    unless the targeted class's rows come first in ``X``; resamplekit skips exactly the
    seeds. When the targeted class comes first in ``X`` both give the same rows. The minority
    class is the smallest count, ties going to the smallest label (imbalanced-learn: the
    label seen first in ``y``). Ties in distance go to the lower row index.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import condensed_nearest_neighbour
    >>> X = np.array([[0.0], [0.2], [0.4], [3.0], [3.2], [3.4], [3.6], [1.0], [1.2]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1])
    >>> X_res, y_res, idx = condensed_nearest_neighbour(X, y, random_state=0,
    ...                                                 return_indices=True)
    >>> idx  # seed 4, then row 0 (its nearest store row, 7, is a minority row)
    array([4, 0, 7, 8])
    """
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    n_seeds = check_int(n_seeds_S, "n_seeds_S")
    n_threads = check_n_jobs(n_jobs)
    targeted = target_counts(ratio, ds.y, ds.classes, "clean")
    rs = check_random_state(random_state)
    minority = int(np.argmin(ds.counts))
    _check_store_size(k, int(ds.counts[minority]), n_seeds)
    minority_rows = np.flatnonzero(ds.y == minority)

    parts = []
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c not in targeted:
            parts.append(rows_c)
            continue
        pos = _seeds(rs, len(rows_c), n_seeds)
        seeds = rows_c[pos]
        # Store rows in row order, so that ties in distance go to the lower row index.
        store = np.sort(np.concatenate([minority_rows, seeds]), kind="stable")
        X_c = ds.X[rows_c]
        X_store = ds.X[store]
        _, nbr = kneighbors(X_store, k, Y=X_c, n_jobs=n_threads)
        heap_d2 = np.empty((len(rows_c), k), dtype=np.float64)
        heap_id = np.empty((len(rows_c), k), dtype=np.intp)
        _condensing.store_init(
            X_c, X_store, np.ascontiguousarray(nbr, dtype=np.intp), store, heap_d2, heap_id
        )
        skip = np.zeros(len(rows_c), dtype=np.uint8)
        skip[pos] = 1
        added = np.empty(len(rows_c), dtype=np.intp)
        n_added = _condensing.cnn_scan(
            X_c, rows_c, skip, ds.y, c, minority, heap_d2, heap_id, added, n_threads
        )
        parts.append(np.concatenate([seeds, rows_c[added[:n_added]]]))

    return ds.select(np.concatenate(parts), return_indices=return_indices)


def one_sided_selection(
    X,
    y,
    *,
    k=1,
    n_seeds_S=1,
    ratio="auto",
    random_state=None,
    n_jobs=None,
    return_indices=False,
):
    """One-sided selection: keep the rows a seeded k-NN gets wrong, then remove Tomek links.

    For each targeted class c, ``n_seeds_S`` rows of c are drawn; every other row of c is
    classified by a majority vote of its ``k`` nearest rows among the minority rows and the
    seeds, and kept only when the vote is wrong. Class c becomes the seeds followed by the
    kept rows in row order; other classes are kept whole. Tomek links whose targeted members
    are then removed from that reduced set (:func:`tomek_links`, same targeted classes).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric, finite features.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=1
        Neighbours in the vote (imbalanced-learn: ``n_neighbors``); at most the number of
        minority rows plus ``n_seeds_S``. A tied vote goes to the smaller label.
    n_seeds_S : int, default=1
        Rows of each targeted class drawn (with replacement) as seeds.
    ratio : str or list, default="auto"
        Classes to select from: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seeds of the draw. An integer draws the same seeds as imbalanced-learn.
    n_jobs : int, default=None
        Threads; None means all cores.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.

    Returns
    -------
    X_res, y_res : the kept rows, class by class in label order, in the caller's containers.
    indices : ndarray of int, only with ``return_indices=True``.

    Notes
    -----
    The same rows as imbalanced-learn's ``OneSidedSelection`` for an integer
    ``random_state``, except that the minority class is the smallest count with ties going to
    the smallest label, and that duplicated rows are handled as in :func:`tomek_links`.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import one_sided_selection
    >>> X = np.array([[0.0], [0.2], [0.4], [3.0], [3.2], [3.4], [3.6], [1.0], [1.2]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1])
    >>> one_sided_selection(X, y, random_state=0, return_indices=True)[2]
    array([4, 0, 1, 2, 7, 8])
    """
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    n_seeds = check_int(n_seeds_S, "n_seeds_S")
    n_threads = check_n_jobs(n_jobs)
    targeted = target_counts(ratio, ds.y, ds.classes, "clean")
    rs = check_random_state(random_state)
    minority = int(np.argmin(ds.counts))
    _check_store_size(k, int(ds.counts[minority]), n_seeds)
    minority_rows = np.flatnonzero(ds.y == minority)

    parts = []
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c not in targeted:
            parts.append(rows_c)
            continue
        pos = _seeds(rs, len(rows_c), n_seeds)
        seeds = rows_c[pos]
        rest = np.delete(rows_c, pos)
        parts.append(seeds)
        if len(rest):
            store = np.sort(np.concatenate([minority_rows, seeds]), kind="stable")
            _, nbr = kneighbors(ds.X[store], k, Y=ds.X[rest], n_jobs=n_threads)
            wrong = _knn_vote_wrong(ds.y[store][nbr], c, minority)
            parts.append(rest[wrong])
    selected = np.concatenate(parts)

    keep = _tomek_keep(ds.X[selected], ds.y[selected], ds.n_classes, targeted, n_threads)
    return ds.select(selected[keep], return_indices=return_indices)
