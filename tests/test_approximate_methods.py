"""The neighbour rules with ``neighbors="approximate"`` against ``neighbors="exact"``.

- edited_nearest_neighbours, tomek_links, neighbourhood_cleaning_rule and near_miss (versions 1
  and 3) keep at least 99% of the rows the exact rule keeps, and not 1% more, on isotropic
  Gaussian data (no low-dimensional structure: the hard case for a graph index).
- Deterministic: the same rows on 1 and 2 threads.
- The exact default is unchanged (it is what every other test runs).
- Errors name the parameter: a bad value, sparse X, near_miss version 2 (farthest rows), and
  resamplekit.dask (its block-wise search is exact).
The timings and agreement at 100,000 and 1,000,000 rows: asv_bench/ann_eval.py.
"""
import numpy as np
import pytest
from scipy import sparse

import resamplekit as rk

pytest.importorskip("faiss", reason="the ann extra (faiss-cpu) is absent")

AGREEMENT = 0.99

METHODS = [
    ("edited_nearest_neighbours", {}),
    ("tomek_links", {}),
    ("neighbourhood_cleaning_rule", {}),
    ("near_miss", {"version": 1}),
    ("near_miss", {"version": 3}),
]


def _data(n=12_000, d=12, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(np.int64)
    X = rng.standard_normal((n, d)).astype(np.float32)
    X[y == 1] += np.float32(0.4)
    return X, y


@pytest.mark.parametrize("name, kwargs", METHODS, ids=lambda v: str(v))
def test_approximate_rules_agree_with_exact(name, kwargs):
    X, y = _data()
    exact = getattr(rk, name)(X, y, **kwargs, return_indices=True)[2]
    approx = getattr(rk, name)(X, y, **kwargs, neighbors="approximate",
                               return_indices=True)[2]
    common = np.intersect1d(exact, approx).size
    assert common >= AGREEMENT * exact.size, (name, common, exact.size)
    assert approx.size <= exact.size / AGREEMENT, (name, approx.size, exact.size)
    if name == "near_miss":  # the same number of rows per class, whatever the search
        np.testing.assert_array_equal(np.bincount(y[approx]), np.bincount(y[exact]))


def test_approximate_rules_do_not_depend_on_threads():
    X, y = _data(n=6000)
    for name, kwargs in METHODS[:3]:
        one = getattr(rk, name)(X, y, **kwargs, neighbors="approximate", n_jobs=1,
                                return_indices=True)[2]
        two = getattr(rk, name)(X, y, **kwargs, neighbors="approximate", n_jobs=2,
                                return_indices=True)[2]
        np.testing.assert_array_equal(one, two, err_msg=name)


def test_approximate_errors():
    X, y = _data(n=500)
    with pytest.raises(ValueError, match="^edited_nearest_neighbours: neighbors must be "
                                         "'exact' or 'approximate', got 'fast'"):
        rk.edited_nearest_neighbours(X, y, neighbors="fast")
    with pytest.raises(ValueError, match="neighbors='approximate' cannot search sparse data"):
        rk.tomek_links(sparse.csr_matrix(X), y, neighbors="approximate")
    with pytest.raises(ValueError, match="^near_miss: neighbors='approximate' .* version 2"):
        rk.near_miss(X, y, version=2, neighbors="approximate")
    da = pytest.importorskip("dask.array")
    from resamplekit import dask as rkd

    for name in ("edited_nearest_neighbours", "tomek_links", "neighbourhood_cleaning_rule",
                 "near_miss"):
        with pytest.raises(ValueError, match=f"^{name}: neighbors='approximate' is not "
                                             "available over dask"):
            getattr(rkd, name)(da.from_array(X, chunks=200), y, neighbors="approximate")


ESTIMATORS = [
    ("EditedNearestNeighbours", "edited_nearest_neighbours", {}),
    ("TomekLinks", "tomek_links", {}),
    ("NeighbourhoodCleaningRule", "neighbourhood_cleaning_rule", {}),
    ("NearMiss", "near_miss", {"version": 3}),
]


@pytest.mark.parametrize("cls_name, function, kwargs", ESTIMATORS, ids=lambda v: str(v))
def test_estimators_pass_neighbors_to_the_function(cls_name, function, kwargs):
    pytest.importorskip("sklearn")
    from sklearn.base import clone

    import resamplekit.estimators as rke

    X, y = _data(n=4000)
    est = getattr(rke, cls_name)(**kwargs)
    assert est.get_params()["neighbors"] == "exact"
    est.set_params(neighbors="approximate")
    assert clone(est).get_params()["neighbors"] == "approximate"
    X_res, y_res = est.fit_resample(X, y)
    idx = getattr(rk, function)(X, y, **kwargs, neighbors="approximate",
                                return_indices=True)[2]
    np.testing.assert_array_equal(est.sample_indices_, idx)
    np.testing.assert_array_equal(X_res, X[idx])
    exact = getattr(rke, cls_name)(**kwargs).fit(X, y)
    exact_idx = getattr(rk, function)(X, y, **kwargs, return_indices=True)[2]
    np.testing.assert_array_equal(exact.fit_resample(X, y)[1], y[exact_idx])


def test_estimator_neighbors_is_validated():
    pytest.importorskip("sklearn")
    from sklearn.utils._param_validation import InvalidParameterError

    import resamplekit.estimators as rke

    X, y = _data(n=300)
    with pytest.raises(InvalidParameterError,
                       match="The 'neighbors' parameter of TomekLinks must be a str among "
                             ".*'approximate'.*Got 'fast' instead"):
        rke.TomekLinks(neighbors="fast").fit_resample(X, y)
    with pytest.raises(ValueError, match="version 2"):
        rke.NearMiss(version=2, neighbors="approximate").fit_resample(X, y)
