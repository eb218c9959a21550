"""Over-sampling followed by cleaning: SMOTE + Tomek links and SMOTE + ENN.

Both compose the public functions (imbalanced-learn's defaults: the cleaning step targets every
class, synthetic rows included), so they inherit their validation, containers and speed.
"""
from __future__ import annotations

from typing import Literal, overload

import numpy as np

from ._public import public
from ._provenance import check_flag as check_provenance_flag
from ._typing import (
    ArrayLike,
    MatrixLike,
    OverRatio,
    RandomStateLike,
    Resampled,
    ResampledAny,
    ResampledIndexed,
    ResampledIndexedProvenance,
    ResampledProvenance,
    ResampledWeighted,
)
from ._validation import check_int

__all__ = ["smote_tomek", "smote_enn"]


_STEP_HINTS = {
    "smote": "give the SMOTE step's settings as keywords: k=, ratio=, random_state=.",
    "tomek": "the Tomek-links step always cleans all classes and takes no settings.",
}
_ENN_STEP_HINTS = {
    **_STEP_HINTS,
    "n_neighbors": "resamplekit's names are k= (the SMOTE step's neighbours) and enn_k= (the "
                   "editing step's).",
    "enn": "give the editing step's neighbour count as enn_k=; it always cleans all classes.",
}


def _compose(first, second, return_indices, return_provenance=False):
    X_mid, y_mid, idx_mid = first[:3]
    X_res, y_res, idx_res = second(X_mid, y_mid)
    out = (X_res, y_res)
    if return_indices:
        # Rows kept by the cleaning step map back through the over-sampling step's indices.
        out += (np.asarray(idx_mid)[idx_res],)
    if return_provenance:
        # The cleaning step only removes rows: the survivors keep the SMOTE step's records,
        # its synthetic rows named as made by the over-sampling step.
        record = first[3][idx_res]
        record["step"][record["step"] == "synthetic"] = "over-sampling"
        out += (record,)
    return out


@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public(_STEP_HINTS)
def smote_tomek(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with SMOTE, then remove Tomek links from every class.

    As imbalanced-learn's ``SMOTETomek`` with its defaults: ``smote(X, y, k=k, ratio=ratio,
    random_state=random_state)`` followed by ``tomek_links(..., ratio="all")``.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
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
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (-1 for synthetic rows).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices]
        The resampled data, in the containers of ``X`` and ``y``.
        With ``sample_weight``, ``sample_weight_res`` (float64 ndarray, the weight of each
        output row) follows ``y_res``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    TypeError, ValueError
        From the SMOTE step, naming the parameter: ``k`` not an integer >= 1, or a class to
        over-sample with ``k`` rows or fewer; an invalid ``ratio``, ``random_state`` or
        ``n_jobs``; X not numeric or not finite.

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
    return_provenance = check_provenance_flag(return_provenance)
    from .cleaning import tomek_links
    from .over_sampling import smote

    first = smote(X, y, k=k, ratio=ratio, random_state=random_state, n_jobs=n_jobs,
                  return_indices=True, return_provenance=return_provenance)
    return _compose(
        first,
        lambda Xm, ym: tomek_links(Xm, ym, ratio="all", n_jobs=n_jobs, return_indices=True),
        return_indices,
        return_provenance,
    )


@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., enn_k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public(_ENN_STEP_HINTS)
def smote_enn(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, enn_k: int = 3, ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with SMOTE, then clean every class with Edited Nearest Neighbours.

    As imbalanced-learn's ``SMOTEENN`` with its defaults: ``smote(X, y, k=k, ratio=ratio,
    random_state=random_state)`` followed by ``edited_nearest_neighbours(..., k=enn_k,
    kind_sel="all", ratio="all")``.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours used by SMOTE to synthesise rows.
    enn_k : int, default=3
        Neighbours used by the ENN vote (imbalanced-learn: ``EditedNearestNeighbours``'s
        ``n_neighbors``); smaller than the number of rows after over-sampling.
    ratio : str, float, dict or callable, default="auto"
        The over-sampling strategy (imbalanced-learn's ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Seed of the SMOTE draws; an integer gives imbalanced-learn's draws.
    n_jobs : int, default=None
        Threads for the neighbour searches (None: all cores). Results never depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (-1 for synthetic rows).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices]
        The resampled data, in the containers of ``X`` and ``y``.
        With ``sample_weight``, ``sample_weight_res`` (float64 ndarray, the weight of each
        output row) follows ``y_res``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    TypeError, ValueError
        ``enn_k`` not an integer >= 1, or not smaller than the number of rows after
        over-sampling; otherwise as :func:`smote_tomek` (``k``, ``ratio``, ``random_state``,
        ``n_jobs``, X).

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
    return_provenance = check_provenance_flag(return_provenance)
    from .cleaning import edited_nearest_neighbours
    from .over_sampling import smote

    enn_k = check_int(enn_k, "enn_k", minimum=1)
    first = smote(X, y, k=k, ratio=ratio, random_state=random_state, n_jobs=n_jobs,
                  return_indices=True, return_provenance=return_provenance)
    n_mid = len(first[1])
    if enn_k >= n_mid:
        raise ValueError(
            f"smote_enn: enn_k must be smaller than the number of rows after over-sampling "
            f"({n_mid}), since each row needs {enn_k} other rows as neighbours; got "
            f"enn_k={enn_k}. Use enn_k={n_mid - 1} or less."
        )
    return _compose(
        first,
        lambda Xm, ym: edited_nearest_neighbours(
            Xm, ym, k=enn_k, kind_sel="all", ratio="all", n_jobs=n_jobs, return_indices=True
        ),
        return_indices,
        return_provenance,
    )
