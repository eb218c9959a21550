"""Sample weights: every public function takes ``sample_weight`` and returns the output's weights.

With ``sample_weight=None`` (the default) nothing here runs and the outputs are unchanged. With
a 1-d array of one non-negative weight per row of X, the function returns one more output, right
after ``y_res``: ``sample_weight_res``, a float64 ndarray with the weight of each output row::

    X_res, y_res, w_res = resamplekit.smote(X, y, sample_weight=w)
    X_res, y_res, w_res, indices, provenance = resamplekit.smote(
        X, y, sample_weight=w, return_indices=True, return_provenance=True)

The rule, one for every method, read from the output's provenance
(:mod:`resamplekit._provenance`):

- A row of the input (kept by under-sampling or cleaning, or one of the original rows of an
  over-sampling, or a copy made by random_over) keeps its weight ``w[row]``.
- A synthetic row ``X[row] + gap * (scale * (X[neighbor] - X[row]))`` (the SMOTE family,
  smote_tomek and smote_enn's over-sampling step, smotenc) gets its parents' weights mixed with
  the same step, ``w[row] + t * (w[neighbor] - w[row])`` with ``t = |gap * scale|``: the
  interpolation of the weights at the point where the row was made, so a row made next to its
  base row carries about the base row's weight, and equal parent weights pass on unchanged.
  SVM-SMOTE's extrapolated rows (negative gap) use ``|gap|``: their weight stays between the
  parents' weights (a linear extrapolation of weights could turn negative).
- A random_over row with shrinkage (``X[row]`` plus noise) and a smoten row (a vote among
  ``row`` and its neighbours) keep the weight of ``row``.
- A cluster_centroids centroid (soft voting) gets the mean weight of the rows of its class
  whose nearest centroid it is (the rows it stands for; ties to the lower centroid), or the
  class's mean weight if it is nobody's nearest.

Which rows are kept, drawn or made does not depend on the weights: the same rows come back as
without them (the methods count rows, as imbalanced-learn's do); the weights ride along, so that
a classifier fitted on the output gets them (see ``resamplekit.pipeline``). The one exception is
a weight of 0: such a row is left out before resampling, exactly as if it were not in X
(scikit-learn's meaning of a zero weight): it is not counted, is nobody's neighbour, is never
kept and never a parent. ``indices`` and ``provenance`` still number the rows of the whole X.
A class whose rows all weigh 0 is left out with them.

Weights must be finite and >= 0 with a positive sum (ValueError otherwise); integer weights are
read as float64.
"""
from __future__ import annotations

import functools
import numbers

import numpy as np

from ._validation import _describe, _is_series, check_X_y, is_polars_series

__all__ = ["check_sample_weight", "resampled_weights", "weighted"]


def check_sample_weight(sample_weight, n_rows, name="sample_weight"):
    """``sample_weight`` as a float64 ndarray of ``n_rows`` finite weights >= 0, sum > 0.

    Examples
    --------
    >>> from resamplekit._weights import check_sample_weight
    >>> check_sample_weight([1, 0.5, 2], 3)
    array([1. , 0.5, 2. ])
    >>> check_sample_weight([1.0, -1.0], 2)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight must be >= 0, got -1.0 at row 1; a weight of 0 leaves a row out
    """
    if is_polars_series(sample_weight) or _is_series(sample_weight):
        sample_weight = sample_weight.to_numpy()
    if isinstance(sample_weight, (numbers.Number, str, bytes)):
        raise TypeError(
            f"{name} must be a 1-d array with one weight per row of X ({n_rows}), got "
            f"{sample_weight!r}; for equal weights pass {name}=None"
        )
    try:
        w = np.asarray(sample_weight)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a 1-d array of numbers, got {_describe(sample_weight)}: {exc}"
        ) from exc
    if w.ndim != 1:
        raise ValueError(
            f"{name} must be 1-d, one weight per row of X, got an array of shape {w.shape}"
        )
    if w.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold numbers (integers or floats), got dtype {w.dtype}"
            + (" (bool weights are refused: give 0.0 and 1.0)" if w.dtype.kind == "b" else "")
        )
    if w.shape[0] != n_rows:
        raise ValueError(
            f"{name} must have one weight per row of X, got {w.shape[0]} weights for "
            f"{n_rows} rows"
        )
    w = w.astype(np.float64, copy=True)
    bad = ~np.isfinite(w)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must be finite, got {float(w[i])!r} at row {i} ({int(bad.sum())} non-finite "
            "weights)"
        )
    negative = w < 0
    if negative.any():
        i = int(np.flatnonzero(negative)[0])
        raise ValueError(
            f"{name} must be >= 0, got {float(w[i])!r} at row {i}; a weight of 0 leaves a row out"
        )
    if n_rows and not w.any():
        raise ValueError(f"{name} must have a positive sum, got {n_rows} weights of 0")
    return w


def _centroid_weights(X_sub, y_sub, w_sub, X_res, y_res, positions):
    """Weights of the centroids at output rows ``positions`` (see the module docstring)."""
    from ._neighbors import kneighbors

    data = check_X_y(X_sub, y_sub)
    out_labels = np.asarray(check_X_y(X_res, y_res, numeric=False)._label_array)
    res = check_X_y(X_res, y_res).X  # an ndarray, or a CSR matrix for sparse X (rows taken)
    weights = np.empty(len(positions), dtype=np.float64)
    for code, members in enumerate(data.class_indices()):
        mine = np.flatnonzero(out_labels[positions] == data.classes[code])
        if not len(mine):
            continue
        centers = res[positions[mine]]
        w_c = w_sub[members]
        if len(mine) == 1:
            weights[mine] = w_c.mean()
            continue
        nearest = kneighbors(centers, 1, Y=data.X[members])[1][:, 0]
        total = np.bincount(nearest, weights=w_c, minlength=len(mine))
        count = np.bincount(nearest, minlength=len(mine))
        weights[mine] = np.where(count > 0, total / np.maximum(count, 1), w_c.mean())
    return weights


def resampled_weights(w, provenance):
    """The weight of each output row from the input weights ``w`` and the output's provenance
    records (the rule of the module docstring; centroids, ``row`` -1, are left NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._provenance import kept, made, concat
    >>> from resamplekit._weights import resampled_weights
    >>> records = concat([kept([0, 1]), made([0], [1], [0.25])])
    >>> resampled_weights(np.array([1.0, 3.0]), records)
    array([1. , 3. , 1.5])
    """
    # contiguous copies of the fields first: gathers through the 84-byte records are slow
    row = np.ascontiguousarray(provenance["row"])
    out = w.take(np.maximum(row, 0))
    if len(row) and row.min() < 0:
        out[row < 0] = np.nan
    nbr = np.ascontiguousarray(provenance["neighbor"])
    made = np.flatnonzero(nbr >= 0)
    if len(made):
        t = np.abs(provenance["gap"][made] * provenance["scale"][made])
        base = out[made]
        out[made] = base + t * (w.take(nbr[made]) - base)
    return out


def _renumber(values, keep):
    """Row numbers of a subset (``-1`` stays) as row numbers of the whole input."""
    values = np.asarray(values, dtype=np.intp)
    return np.where(values >= 0, keep[np.maximum(values, 0)], -1)


def _call_weighted(function, X, y, sample_weight, args, kwargs):
    name = function.__name__
    want_provenance = kwargs.pop("return_provenance", False)
    if not isinstance(want_provenance, (bool, np.bool_)):
        raise TypeError(f"return_provenance must be True or False, got {want_provenance!r} "
                        f"({type(want_provenance).__name__})")
    with_indices = bool(kwargs.get("return_indices", False))
    data = check_X_y(X, y, numeric=False)  # the shapes and labels, as every method checks them
    w = check_sample_weight(sample_weight, data.n_samples)
    keep = None
    if not w.all():
        keep = np.flatnonzero(w)
        left = np.unique(data.y[keep])
        if len(left) < 2:
            gone = [data.label(c) for c in range(data.n_classes) if c not in set(left)]
            raise ValueError(
                f"{name}: sample_weight leaves fewer than 2 classes: every row of class(es) "
                f"{gone} has weight 0, and rows of weight 0 are left out before resampling"
            )
        X, y = data.select(keep, keep_index=True)
        w = w[keep]
    out = function(X, y, *args, **kwargs, return_provenance=True)
    X_res, y_res, extras, provenance = out[0], out[1], list(out[2:-1]), out[-1]
    w_res = resampled_weights(w, provenance)
    centroids = np.flatnonzero(provenance["row"] < 0)
    if len(centroids):
        w_res[centroids] = _centroid_weights(X, y, w, X_res, y_res, centroids)
    if keep is not None:
        if with_indices:
            extras[0] = _renumber(extras[0], keep)
        if want_provenance:
            provenance = provenance.copy()
            provenance["row"] = _renumber(provenance["row"], keep)
            provenance["neighbor"] = _renumber(provenance["neighbor"], keep)
    result = (X_res, y_res, w_res, *extras)
    return result + (provenance,) if want_provenance else result


def weighted(function):
    """Decorator giving a public resampling function its ``sample_weight`` keyword.

    The decorated function declares ``sample_weight=None`` (for its signature and docs) and
    never sees a value: with None the call goes straight through (one dict lookup); with weights
    this wrapper validates them, leaves out rows of weight 0, calls the function for its
    provenance and returns the weights of the output after ``y_res`` (module docstring).
    """
    @functools.wraps(function)
    def wrapper(X, y, *args, sample_weight=None, **kwargs):
        if sample_weight is None:
            return function(X, y, *args, **kwargs)
        return _call_weighted(function, X, y, sample_weight, args, kwargs)

    return wrapper
