"""The cost of the caller's containers: ``smote`` and ``random_under`` on the same data as a
NumPy array, a pandas DataFrame and a polars DataFrame (y as an ndarray, a pandas Series, a
polars Series).

The container only changes the conversion at the boundary (numeric columns into one float
array, results back into the caller's frame; random_under gathers its rows in the caller's
frame), so the three times should stay within about 10 % of each other. 100,000 x 20, 90/10:
small enough for ``asv run --quick``. A container whose library is not installed is skipped.
"""
import importlib

import numpy as np

from .common import get_function, make_dataset

N, D = 100_000, 20


def _containers(container, X, y):
    if container == "numpy":
        return X, y
    try:
        lib = importlib.import_module(container)
    except ImportError:
        raise NotImplementedError(f"{container} is not installed") from None
    columns = [f"f{j}" for j in range(X.shape[1])]
    if container == "pandas":
        return lib.DataFrame(X, columns=columns), lib.Series(y, name="y")
    return lib.DataFrame({c: X[:, j] for j, c in enumerate(columns)}), lib.Series("y", y)


class Containers:
    """``time_smote`` and ``time_random_under`` per container."""

    params = ["numpy", "pandas", "polars"]
    param_names = ["container"]
    timeout = 120

    def setup(self, container):
        X, y = make_dataset("binary_90_10", N, D, dtype=np.float64)
        self.X, self.y = _containers(container, X, np.asarray(y, dtype=np.int64))
        self.smote = get_function("smote")
        self.random_under = get_function("random_under")

    def time_smote(self, container):
        self.smote(self.X, self.y, random_state=0)

    def time_random_under(self, container):
        self.random_under(self.X, self.y, random_state=0)
