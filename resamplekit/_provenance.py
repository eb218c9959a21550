"""Provenance of output rows: where each row of a resampling result comes from.

Every public function takes ``return_provenance=False``; with ``True`` it also returns, as its
last output, a NumPy structured array with one record per output row, of dtype
:data:`PROVENANCE_DTYPE`. This module is the one definition of that record; every docstring
points here and to the "Provenance" section of the user guide.

Fields
------
row : intp
    The input row (position in X) the output row is, or the base row it was made from;
    -1 for a cluster_centroids soft-voting centroid (made from a whole cluster).
neighbor : intp
    The row the new row was interpolated towards (SMOTE family); -1 for every other row.
gap : float64
    The interpolation gap; 0 for a kept or copied row. NaN for a smoten row (no
    interpolation: every column is a vote).
scale : float64
    A factor on the difference, 1 except for Borderline-2 rows made towards a neighbour of
    another class, where it is the draw in [0, 0.5) that halves the way.
step : str (``<U13``)
    What made the row:

    - ``'input'``: a row of the input, kept (under-sampling, cleaning, the input part of an
      over-sampling) or repeated exactly (random_over without shrinkage);
    - ``'synthetic'``: a SMOTE-family row, ``X[row] + gap * (scale * (X[neighbor] - X[row]))``
      (smotenc: its continuous columns; its categorical values are the most common values
      among the base row's k neighbours, not recorded);
    - ``'smoothed'``: a random_over row with ``shrinkage``: ``X[row]`` plus Gaussian noise
      (not recorded), so not a copy;
    - ``'vote'``: a smoten row: each value is the most common one among ``row`` and its k
      neighbours (``neighbor`` -1, ``gap`` NaN);
    - ``'centroid'``: a cluster_centroids soft-voting centroid (``row`` -1);
    - ``'over-sampling'``: smote_tomek/smote_enn, a row made by the SMOTE step (its fields as
      for ``'synthetic'``); their ``'input'`` rows are input rows that the cleaning step kept
      (the cleaning step only removes rows, so it is what selected the survivors).

The exact formula of a synthetic row, in the arithmetic of the kernel (float64, rounded once
to X's dtype, so ``numpy.array_equal`` holds for float32 and float64 X)::

    x = X[row].astype(np.float64)
    xn = X[neighbor].astype(np.float64)
    new = (x + gap * (scale * (xn - x))).astype(X.dtype)

SMOTE, Borderline-1, ADASYN and KMeans-SMOTE have gaps in [0, 1) and scale 1; Borderline-2
has scale in [0, 0.5) towards neighbours of another class; SVM-SMOTE's extrapolation (safe
support vectors) moves away from the neighbour: its gaps are negative, in (-out_step, 0].

Cost: nothing when not asked for; when asked, one record (8 + 8 + 8 + 8 + 52 bytes) per
output row, built from the indices and draws the method has already made.
"""
import numpy as np

__all__ = ["PROVENANCE_DTYPE", "STEPS", "check_flag", "kept", "made", "concat", "select",
           "after_inputs"]

#: The dtype of a provenance record (see the module docstring for each field).
PROVENANCE_DTYPE = np.dtype([
    ("row", np.intp),
    ("neighbor", np.intp),
    ("gap", np.float64),
    ("scale", np.float64),
    ("step", "<U13"),
])

#: Every value of the ``step`` field.
STEPS = ("input", "synthetic", "smoothed", "vote", "centroid", "over-sampling")


def check_flag(value, name="return_provenance"):
    """``value`` as a bool, or raise TypeError naming ``name`` (True/False only).

    Examples
    --------
    >>> from resamplekit._provenance import check_flag
    >>> check_flag(True)
    True
    >>> check_flag("yes")
    Traceback (most recent call last):
    ...
    TypeError: return_provenance must be True or False, got 'yes' (str)
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def kept(rows, step="input"):
    """Records of rows that are input rows ``rows`` (neighbor -1, gap 0, scale 1).

    Examples
    --------
    >>> from resamplekit._provenance import kept
    >>> kept([2, 0])[["row", "neighbor", "gap"]].tolist()
    [(2, -1, 0.0), (0, -1, 0.0)]
    """
    rows = np.asarray(rows, dtype=np.intp)
    out = np.empty(rows.shape[0], dtype=PROVENANCE_DTYPE)
    out["row"] = rows
    out["neighbor"] = -1
    out["gap"] = 0.0
    out["scale"] = 1.0
    out["step"] = step
    return out


def made(rows, nbrs=None, gaps=None, scales=None, step="synthetic"):
    """Records of new rows made from base rows ``rows`` (and neighbours, gaps, scales).

    ``nbrs`` None gives -1, ``gaps`` None gives 0 and ``scales`` None gives 1.

    Examples
    --------
    >>> from resamplekit._provenance import made
    >>> made([1], [3], [0.25])[["row", "neighbor", "gap", "scale", "step"]].tolist()
    [(1, 3, 0.25, 1.0, 'synthetic')]
    """
    out = kept(rows, step)
    if nbrs is not None:
        out["neighbor"] = nbrs
    if gaps is not None:
        out["gap"] = gaps
    if scales is not None:
        out["scale"] = scales
    return out


def concat(parts):
    """One record array from a list of them (an empty one for an empty list)."""
    parts = list(parts)
    if not parts:
        return np.empty(0, dtype=PROVENANCE_DTYPE)
    return np.concatenate(parts).astype(PROVENANCE_DTYPE, copy=False)


def select(ds, indices, return_indices, return_provenance, **kwargs):
    """``ds.select(indices, ...)`` with the kept rows' records last when asked for."""
    indices = np.asarray(indices, dtype=np.intp)
    out = ds.select(indices, return_indices=return_indices, **kwargs)
    return out + (kept(indices),) if return_provenance else out


def after_inputs(n, new):
    """Records of an over-sampling result: input rows ``0..n-1``, then the records ``new``
    (one allocation, filled in place)."""
    out = np.empty(n + len(new), dtype=PROVENANCE_DTYPE)
    head = out[:n]
    head["row"] = np.arange(n, dtype=np.intp)
    head["neighbor"] = -1
    head["gap"] = 0.0
    head["scale"] = 1.0
    head["step"] = "input"
    out[n:] = new
    return out
