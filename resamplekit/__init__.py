"""resamplekit: fast, exact resampling of class-imbalanced data.

Map of the package (data flows down, never back up):

- ``over_sampling``, ``under_sampling``, ``cleaning``, ``combine``: the public functions, one
  per method, each ``f(X, y, *, k=..., ratio=..., ...) -> (X_res, y_res[, indices])``.
- ``estimators``: imbalanced-learn compatible classes (``fit_resample``) over those functions.
- ``_validation``: the one validation path: X and y in, contiguous arrays and integer class
  codes out, and the wrapper that puts results back into the caller's containers.
- ``_strategy``: the one ``ratio`` resolver (imbalanced-learn's ``sampling_strategy``).
- ``_neighbors``: the one neighbour search, ``kneighbors``, which picks a kernel.
- ``_kernels``: typed Cython kernels (no validation, no Python objects in loops).
"""

__version__ = "0.1.0.dev0"

__all__ = []
