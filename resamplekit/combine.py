"""Over-sampling followed by cleaning: SMOTE + Tomek links and SMOTE + ENN.

Both compose the public functions (imbalanced-learn's defaults: the cleaning step targets every
class, synthetic rows included), so they inherit their validation, containers and speed.
"""
import numpy as np

from ._validation import check_int

__all__ = ["smote_tomek", "smote_enn"]


def _compose(first, second, return_indices):
    X_mid, y_mid, idx_mid = first
    X_res, y_res, idx_res = second(X_mid, y_mid)
    if not return_indices:
        return X_res, y_res
    # Rows kept by the cleaning step map back through the over-sampling step's indices.
    return X_res, y_res, np.asarray(idx_mid)[idx_res]


def smote_tomek(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None,
                return_indices=False):
    """Over-sample with SMOTE, then remove Tomek links from every class.

    As imbalanced-learn's ``SMOTETomek`` with its defaults: ``smote(X, y, k=k, ratio=ratio,
    random_state=random_state)`` followed by ``tomek_links(..., ratio="all")``.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours used by SMOTE to synthesise rows.
    ratio : str, float, dict or callable, default="auto"
        The over-sampling strategy (imbalanced-learn's ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Seed of the SMOTE draws; an integer gives imbalanced-learn's draws.
    n_jobs : int, default=None
        Threads for the neighbour searches (None: all cores). Results never depend on it.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (-1 for synthetic rows).

    Returns
    -------
    X_res, y_res[, indices]
        The resampled data, in the containers of ``X`` and ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> import resamplekit as rk
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = rk.smote_tomek(X, y, random_state=0)
    >>> bool((np.bincount(y_res) <= 90).all())
    True
    """
    from .cleaning import tomek_links
    from .over_sampling import smote

    first = smote(X, y, k=k, ratio=ratio, random_state=random_state, n_jobs=n_jobs,
                  return_indices=True)
    return _compose(
        first,
        lambda Xm, ym: tomek_links(Xm, ym, ratio="all", n_jobs=n_jobs, return_indices=True),
        return_indices,
    )


def smote_enn(X, y, *, k=5, enn_k=3, ratio="auto", random_state=None, n_jobs=None,
              return_indices=False):
    """Over-sample with SMOTE, then clean every class with Edited Nearest Neighbours.

    As imbalanced-learn's ``SMOTEENN`` with its defaults: ``smote(X, y, k=k, ratio=ratio,
    random_state=random_state)`` followed by ``edited_nearest_neighbours(..., k=enn_k,
    kind_sel="all", ratio="all")``.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours used by SMOTE to synthesise rows.
    enn_k : int, default=3
        Neighbours used by the ENN vote.
    ratio : str, float, dict or callable, default="auto"
        The over-sampling strategy (imbalanced-learn's ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Seed of the SMOTE draws; an integer gives imbalanced-learn's draws.
    n_jobs : int, default=None
        Threads for the neighbour searches (None: all cores). Results never depend on it.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (-1 for synthetic rows).

    Returns
    -------
    X_res, y_res[, indices]
        The resampled data, in the containers of ``X`` and ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> import resamplekit as rk
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res, idx = rk.smote_enn(X, y, random_state=0, return_indices=True)
    >>> bool(((idx == -1) | (idx < 100)).all())
    True
    """
    from .cleaning import edited_nearest_neighbours
    from .over_sampling import smote

    # enn_k is checked here, before the work, so that its errors name it (the step calls it k)
    enn_k = check_int(enn_k, "enn_k")
    first = smote(X, y, k=k, ratio=ratio, random_state=random_state, n_jobs=n_jobs,
                  return_indices=True)
    n_res = len(first[1])
    if enn_k >= n_res:
        raise ValueError(
            f"enn_k must be smaller than the number of rows after SMOTE ({n_res}), since each "
            f"row needs enn_k other rows as neighbours; got enn_k={enn_k}"
        )
    return _compose(
        first,
        lambda Xm, ym: edited_nearest_neighbours(
            Xm, ym, k=enn_k, kind_sel="all", ratio="all", n_jobs=n_jobs, return_indices=True
        ),
        return_indices,
    )
