"""SMOTE family: synthesis kernel, and smote / borderline_smote / svm_smote / adasyn against
imbalanced-learn (the oracle) and plain NumPy references."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from resamplekit._kernels._smote import interpolate


# --------------------------------------------------------------------------------------------
# Kernel
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_interpolate_equals_numpy_bit_for_bit(n_threads):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 7))
    Xn = rng.normal(size=(30, 7)) * 100
    rows = rng.integers(0, 50, 1001).astype(np.intp)
    nbrs = rng.integers(0, 30, 1001).astype(np.intp)
    gaps = rng.uniform(-0.5, 1, 1001)
    out = np.empty((1001, 7))
    interpolate(X, rows, Xn, nbrs, gaps, out, n_threads)
    # imbalanced-learn's expression, in its order of operations
    assert_array_equal(out, X[rows] + gaps[:, None] * (Xn[nbrs] - X[rows]))

    scales = rng.uniform(0, 0.5, 1001)
    interpolate(X, rows, Xn, nbrs, gaps, out, n_threads, scales)
    diffs = Xn[nbrs] - X[rows]
    diffs *= scales[:, None]
    assert_array_equal(out, X[rows] + gaps[:, None] * diffs)


def test_interpolate_float32_and_empty():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 3)).astype(np.float32)
    rows = rng.integers(0, 20, 100).astype(np.intp)
    nbrs = rng.integers(0, 20, 100).astype(np.intp)
    gaps = rng.uniform(size=100)
    out = np.empty((100, 3), np.float32)
    interpolate(X, rows, X, nbrs, gaps, out, 2)
    X64 = X.astype(np.float64)
    ref = (X64[rows] + gaps[:, None] * (X64[nbrs] - X64[rows])).astype(np.float32)
    assert_array_equal(out, ref)  # computed in float64, rounded once

    empty = np.empty((0, 3), np.float32)
    interpolate(X, rows[:0], X, nbrs[:0], gaps[:0], empty, 1)


def test_interpolate_read_only_inputs():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 2))
    rows = np.arange(10, dtype=np.intp)
    nbrs = rows[::-1].copy()
    gaps = np.full(10, 0.5)
    for a in (X, rows, nbrs, gaps):
        a.flags.writeable = False
    out = np.empty((10, 2))
    interpolate(X, rows, X, nbrs, gaps, out, 1)
    assert_allclose(out, (X + X[::-1]) / 2)
