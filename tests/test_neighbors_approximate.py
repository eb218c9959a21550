"""kneighbors(neighbors="approximate") against the exact search.

- Recall: at least 0.97 of the exact k neighbours on isotropic Gaussian data (no
  low-dimensional structure: the hard case), self-query, rows= and Y=, float32 and float64.
- Every list: the query's own row never in it, sorted by (exact distance, index), with the
  exact float64 distances of the rows it holds (NumPy reference).
- Deterministic: the same answer twice and on 1 or 2 threads; scaling X by a power of two
  changes no index.
- Duplicated rows (queries whose graph candidates are all ties) get exact distances.
- Errors name the parameter (bad value, farthest, sparse), and the extra when faiss is absent.
The timings and the recall at 100,000 and 1,000,000 rows: asv_bench/ann_eval.py.
"""
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import sparse

from resamplekit._neighbors import kneighbors

try:
    import faiss  # noqa: F401

    HAVE_FAISS = True
except ImportError:
    HAVE_FAISS = False

needs_faiss = pytest.mark.skipif(not HAVE_FAISS, reason="the ann extra (faiss-cpu) is absent")
RECALL_TARGET = 0.97


def _gaussian(n=4000, d=20, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(dtype)


def _recall(approx, exact):
    return np.mean([np.isin(e, a).mean() for a, e in zip(approx, exact)])


def _check_lists(X, Q, dist, ind, own=None):
    """Own row absent; distances exact (float64) for the rows listed; sorted by (dist, index)."""
    if own is not None:
        assert not (ind == own[:, None]).any()
    X64, Q64 = X.astype(np.float64), Q.astype(np.float64)
    ref = np.sqrt(((Q64[:, None, :] - X64[ind]) ** 2).sum(axis=2))
    np.testing.assert_allclose(dist, ref, rtol=1e-12, atol=0)
    for r in range(len(ind)):
        keys = list(zip(dist[r], ind[r]))
        assert keys == sorted(keys)


@needs_faiss
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_self_query_recall(dtype, k):
    X = _gaussian(dtype=dtype)
    dist, ind = kneighbors(X, k, neighbors="approximate")
    exact = kneighbors(X, k)[1]
    assert _recall(ind, exact) >= RECALL_TARGET
    _check_lists(X, X, dist, ind, own=np.arange(len(X)))


@needs_faiss
def test_rows_and_y_recall():
    X = _gaussian()
    rows = np.random.default_rng(1).choice(len(X), 500, replace=False)
    dist, ind = kneighbors(X, 4, rows=rows, neighbors="approximate")
    assert _recall(ind, kneighbors(X, 4, rows=rows)[1]) >= RECALL_TARGET
    _check_lists(X, X[rows], dist, ind, own=rows)
    Y = _gaussian(300, seed=2)
    dist, ind = kneighbors(X, 4, Y=Y, neighbors="approximate")
    assert _recall(ind, kneighbors(X, 4, Y=Y)[1]) >= RECALL_TARGET
    _check_lists(X, Y, dist, ind)


@needs_faiss
def test_recall_can_fail():
    """The recall check sees a poor answer: the approximate lists of other data score ~0."""
    X = _gaussian()
    other = kneighbors(_gaussian(seed=5), 3, neighbors="approximate")[1]
    assert _recall(other, kneighbors(X, 3)[1]) < 0.1


@needs_faiss
def test_deterministic_across_threads_and_runs():
    X = _gaussian(6000)
    d1, i1 = kneighbors(X, 3, neighbors="approximate", n_jobs=1)
    d2, i2 = kneighbors(X, 3, neighbors="approximate", n_jobs=2)
    d3, i3 = kneighbors(X, 3, neighbors="approximate", n_jobs=2)
    assert np.array_equal(i1, i2) and np.array_equal(i1, i3)
    assert np.array_equal(d1, d2) and np.array_equal(d1, d3)


@needs_faiss
def test_power_of_two_scale_changes_no_index():
    X = _gaussian(3000, dtype=np.float64)
    d, i = kneighbors(X, 3, neighbors="approximate")
    for e in (-80, 80, 600):
        ds, i_s = kneighbors(X * 2.0**e, 3, neighbors="approximate")
        assert np.array_equal(i, i_s)
        np.testing.assert_allclose(ds, d * 2.0**e, rtol=1e-12)


@needs_faiss
def test_duplicated_rows_get_exact_distances():
    base = _gaussian(30, 5, dtype=np.float64)
    X = np.repeat(base, 40, axis=0)  # every row has 39 copies at distance 0
    dist, ind = kneighbors(X, 5, neighbors="approximate")
    assert np.array_equal(dist, kneighbors(X, 5)[0])
    _check_lists(X, X, dist, ind, own=np.arange(len(X)))


def test_exact_is_the_default():
    X = _gaussian(500)
    d0, i0 = kneighbors(X, 3)
    d1, i1 = kneighbors(X, 3, neighbors="exact")
    assert np.array_equal(i0, i1) and np.array_equal(d0, d1)


def test_errors_name_the_parameter():
    X = _gaussian(200)
    with pytest.raises(ValueError, match=r"neighbors must be one of \('exact', 'approximate'\), "
                                         r"got 'fast'"):
        kneighbors(X, 3, neighbors="fast")
    with pytest.raises(ValueError, match="neighbors='approximate' cannot search the farthest"):
        kneighbors(X, 3, farthest=True, neighbors="approximate")
    with pytest.raises(ValueError, match="neighbors='approximate' cannot search sparse"):
        kneighbors(sparse.csr_matrix(X), 3, neighbors="approximate")


def test_missing_faiss_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)  # import faiss raises ImportError
    with pytest.raises(ImportError, match=r"faiss-cpu \(the 'ann' extra\).*resamplekit\[ann\]"):
        kneighbors(_gaussian(200), 3, neighbors="approximate")


def test_import_does_not_load_faiss():
    code = ("import sys, resamplekit, resamplekit._neighbors\n"
            "assert 'faiss' not in sys.modules, 'import resamplekit loaded faiss'\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})


def test_ann_extra_is_declared_and_tested():
    import tomllib

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "pyproject.toml"), "rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]
    assert extras["ann"] == ["faiss-cpu>=1.15"]
    assert set(extras["ann"]) <= set(extras["test"])


@needs_faiss
def test_slabs_of_queries_change_nothing():
    import dataclasses

    import resamplekit._neighbors as nb

    X = _gaussian(3000)
    rows = np.arange(0, 3000, 3)
    for kw in ({}, {"rows": rows}, {"Y": X[:500] + 0.5}):
        whole = nb.kneighbors(X, 3, neighbors="approximate", **kw)
        s = nb._validate(X, 3, kw.get("Y"), kw.get("rows"), False, None, None, "auto")
        slabs = nb._approximate_kneighbors(s, dataclasses.replace(nb.APPROXIMATE_TUNING,
                                                                  slab=97))
        assert np.array_equal(whole[1], slabs[1]) and np.array_equal(whole[0], slabs[0])
