"""Under-sampling: keep fewer rows of the larger classes."""
import numpy as np

from ._strategy import target_counts
from ._validation import check_random_state, check_X_y

__all__ = ["random_under"]


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
