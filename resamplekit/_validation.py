"""The one validation path at the public boundary of resamplekit.

``check_X_y`` turns the caller's ``X`` and ``y`` into what the algorithms need (a float32 or
float64 array for distance-based methods, the rows untouched for row-picking methods, and
integer class codes ``0..K-1`` in sorted label order) and returns a ``Dataset`` that knows how to
put results back into the caller's containers.
(Basic placeholder; hardened by the validation work.)
"""
import numbers

import numpy as np

__all__ = ["check_X_y", "Dataset", "check_random_state", "check_n_jobs", "check_int"]


def check_int(value, name, *, minimum=1):
    """Return ``value`` as an int, or raise naming ``name``, the value and what is allowed."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_n_jobs(n_jobs):
    """Number of threads: None means all cores, -1 all cores, -2 all but one, etc."""
    import os

    n_cpu = os.cpu_count() or 1
    if n_jobs is None:
        return n_cpu
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValueError(
            f"n_jobs must be None, a positive integer or a negative integer (-1 = all cores), "
            f"got {n_jobs!r}"
        )
    if n_jobs < 0:
        return max(1, n_cpu + 1 + int(n_jobs))
    return int(n_jobs)


def check_random_state(random_state):
    """Return a ``numpy.random.RandomState`` (imbalanced-learn's draws) for ``random_state``.

    None gives NumPy's global RandomState, an int a fresh RandomState(seed), a RandomState is
    used as it is, and a ``numpy.random.Generator`` seeds a RandomState from its stream.
    """
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, (numbers.Integral, np.integer)) and not isinstance(
        random_state, (bool, np.bool_)
    ):
        if not 0 <= random_state < 2**32:
            raise ValueError(
                f"random_state as an integer must be in [0, 2**32 - 1], got {random_state!r}"
            )
        return np.random.RandomState(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(random_state.integers(2**32, dtype=np.uint64))
    raise TypeError(
        "random_state must be None, an integer, a numpy.random.Generator or a "
        f"numpy.random.RandomState, got {random_state!r}"
    )


class Dataset:
    """Validated inputs and the way back to the caller's containers."""

    def __init__(self, X, y, classes, X_orig, y_orig):
        self.X = X
        self.y = y
        self.classes = classes
        self.counts = np.bincount(y, minlength=len(classes))
        self._X_orig = X_orig
        self._y_orig = y_orig

    @property
    def n_classes(self):
        return len(self.classes)

    def _rows(self, indices):
        import sys

        X = self._X_orig
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(X, pd.DataFrame):
            return X.iloc[indices]
        return np.asarray(X)[indices]

    def labels(self, codes):
        """Original labels of class codes."""
        return self.classes[codes]

    def select(self, indices, *, return_indices=False):
        """Rows ``indices`` of the caller's X (in its container) and their labels."""
        indices = np.asarray(indices, dtype=np.intp)
        out = (self._rows(indices), self.labels(self.y[indices]))
        return out + (indices,) if return_indices else out

    def append(self, X_new, y_new, *, return_indices=False):
        """All original rows, then the synthetic rows ``X_new`` with class codes ``y_new``."""
        X_res = np.concatenate([self.X, np.asarray(X_new, dtype=self.X.dtype)])
        y_res = np.concatenate([self.y, np.asarray(y_new, dtype=np.intp)])
        out = (X_res, self.labels(y_res))
        if return_indices:
            idx = np.concatenate([np.arange(len(self.y)), np.full(len(y_new), -1)]).astype(np.intp)
            out = out + (idx,)
        return out

    def wrap(self, X_res, y_res):
        """New data (no link to input rows, e.g. centroids) in the caller's containers."""
        return X_res, self.labels(np.asarray(y_res, dtype=np.intp))


def check_X_y(X, y, *, numeric=True):
    """Validate ``X`` and ``y`` for a sampler.

    numeric=True (distance-based methods): X becomes a C-contiguous float32 (kept) or float64
    array, finite. numeric=False (row-picking methods): X is kept as it is.
    """
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-dimensional, got an array of shape {y_arr.shape}")
    classes, codes = np.unique(y_arr, return_inverse=True)
    X_orig = X
    if numeric:
        X = np.asarray(X)
        if X.dtype != np.float32:
            X = X.astype(np.float64)
        X = np.ascontiguousarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-dimensional, got an array of shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinity; distance-based methods need finite values")
    n = X.shape[0]
    if n != len(codes):
        raise ValueError(f"X and y must have the same number of rows, got {n} and {len(codes)}")
    return Dataset(X, codes.astype(np.intp), classes, X_orig, y)
