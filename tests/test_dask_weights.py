"""resamplekit.dask's ``sample_weight`` and ``return_provenance`` against the in-memory
functions: every block-wise function takes the in-memory function's keywords, and returns the
same weights, indices and provenance records (global row numbers), rows of weight 0 left out
first. (The distributed scheduler's check is in tests/test_dask.py.)
"""
import inspect

import numpy as np
from numpy.testing import assert_array_equal
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import resamplekit as rk  # noqa: E402
from resamplekit import dask as rkd  # noqa: E402
from resamplekit._provenance import PROVENANCE_DTYPE  # noqa: E402

CHUNKS = {"uneven": (37, 150, 13, 100), "single": -1}

# Every function whose dask version runs block-wise, with keywords that exercise it.
BLOCKWISE = {
    "smote": {"random_state": 0},
    "smote_beyond_budget": {"random_state": 0, "max_gather_bytes": 0},
    "borderline_smote": {"kind": "borderline-2", "random_state": 0},
    "adasyn": {"random_state": 0},
    "borderline_smote_beyond_budget": {"kind": "borderline-2", "random_state": 0,
                                       "max_gather_bytes": 0},
    "adasyn_beyond_budget": {"random_state": 0, "max_gather_bytes": 0},
    "edited_nearest_neighbours": {},
    "tomek_links": {},
    "near_miss": {"version": 3},
    "neighbourhood_cleaning_rule": {},
    "repeated_edited_nearest_neighbours": {"return_n_iter": True},
    "all_knn": {},
    "smote_tomek": {"random_state": 0},
    "smote_enn": {"random_state": 0},
}


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(size=(240, 3)), rng.normal(0.7, 1.0, size=(n - 240, 3))])
    y = np.array([0] * 200 + [1] * 40 + [2] * (n - 240))
    w = rng.uniform(0.5, 2.0, n)
    w_zero = w.copy()
    w_zero[::7] = 0.0  # rows of every class left out
    return X, y, w, w_zero


def _assert_same(got, expected, name):
    assert len(got) == len(expected), name
    for i, (g, e) in enumerate(zip(got, expected)):
        if isinstance(e, np.ndarray) and e.dtype.names:
            assert g.dtype == PROVENANCE_DTYPE, name
            for field in e.dtype.names:
                assert_array_equal(g[field], e[field], err_msg=f"{name}: {field}")
        elif isinstance(e, np.ndarray):
            assert_array_equal(np.asarray(g), e, err_msg=f"{name}: output {i}")
        else:
            assert g == e, name


def test_blockwise_functions_take_the_in_memory_keywords():
    for name in rkd.__all__:
        params = inspect.signature(getattr(rkd, name)).parameters
        if name in ("kneighbors", "default_gather_bytes") or "kwargs" in params:
            continue
        missing = set(inspect.signature(getattr(rk, name)).parameters) - set(params)
        assert not missing, f"resamplekit.dask.{name} lacks {sorted(missing)}"
        assert params["sample_weight"].default is None
        assert params["return_provenance"].default is False


@pytest.mark.parametrize("chunking", list(CHUNKS))
@pytest.mark.parametrize("weights", ["none", "positive", "with zeros"])
@pytest.mark.parametrize("label", list(BLOCKWISE))
def test_weights_indices_and_provenance_equal_in_memory(label, weights, chunking):
    X, y, w, w_zero = _data()
    name = label.replace("_beyond_budget", "")
    kwargs = BLOCKWISE[label]
    in_memory = {k: v for k, v in kwargs.items() if k != "max_gather_bytes"}
    extra = {"none": {}, "positive": {"sample_weight": w},
             "with zeros": {"sample_weight": w_zero}}[weights]
    expected = getattr(rk, name)(X, y, **in_memory, **extra, return_indices=True,
                                 return_provenance=True)
    lazy = getattr(rkd, name)(da.from_array(X, chunks=(CHUNKS[chunking], -1)), y, **kwargs,
                              **extra, return_indices=True, return_provenance=True)
    assert isinstance(lazy[-1], da.Array) and lazy[-1].dtype == PROVENANCE_DTYPE
    if weights != "none":
        assert isinstance(lazy[2], da.Array) and lazy[2].dtype == np.float64
    _assert_same(dask.compute(*lazy), expected, label)


@pytest.mark.parametrize("name, kwargs", [("random_under", {}), ("random_over", {}),
                                          ("random_over", {"shrinkage": 0.5})])
def test_random_samplers_weights_follow_their_rows(name, kwargs):
    X, y, w, w_zero = _data()
    Xd = da.from_array(X, chunks=70)
    plain = dask.compute(*getattr(rkd, name)(Xd, y, **kwargs, random_state=0,
                                             return_indices=True, return_provenance=True))
    X_res, y_res, idx, records = plain
    assert_array_equal(records["row"], idx)
    assert set(records["step"]) == ({"input", "smoothed"} if kwargs else {"input"})
    weighted = dask.compute(*getattr(rkd, name)(Xd, y, **kwargs, random_state=0,
                                                sample_weight=w, return_indices=True,
                                                return_provenance=True))
    # weights never change the rows drawn
    _assert_same(weighted[:2] + weighted[3:], plain, name)
    assert_array_equal(weighted[2], w[idx])
    # weight 0: those rows are absent, the class counts those of the other rows
    X_z, y_z, w_z, idx_z, rec_z = dask.compute(*getattr(rkd, name)(
        Xd, y, **kwargs, random_state=0, sample_weight=w_zero, return_indices=True,
        return_provenance=True))
    assert (w_zero[idx_z] > 0).all() and (w_zero[rec_z["row"]] > 0).all()
    assert_array_equal(w_z, w_zero[idx_z])
    expected_counts = np.bincount(getattr(rk, name)(X[w_zero > 0], y[w_zero > 0],
                                                    **kwargs, random_state=0)[1])
    assert_array_equal(np.bincount(y_z), expected_counts)
    if not kwargs:
        assert_array_equal(X_z, X[idx_z])


def test_dask_weights_dataframe_and_series():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y, _, w_zero = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    ys = pd.Series(y, name="label")
    ddf, dys = dd.from_pandas(df, npartitions=4), dd.from_pandas(ys, npartitions=3)
    dw = dd.from_pandas(pd.Series(w_zero), npartitions=5)
    for name, kwargs in [("smote", {"random_state": 0}), ("edited_nearest_neighbours", {}),
                         ("near_miss", {})]:
        got = dask.compute(*getattr(rkd, name)(ddf, dys, sample_weight=dw, **kwargs,
                                               return_indices=True))
        expected = getattr(rk, name)(df, ys, sample_weight=w_zero, **kwargs,
                                     return_indices=True)
        np.testing.assert_array_equal(got[0].to_numpy(), expected[0].to_numpy())
        np.testing.assert_array_equal(got[1].to_numpy(), expected[1].to_numpy())
        np.testing.assert_array_equal(got[2], expected[2])
        np.testing.assert_array_equal(got[3], expected[3])


def test_dask_array_weights_and_labels():
    X, y, _, w_zero = _data()
    got = dask.compute(*rkd.tomek_links(da.from_array(X, chunks=90), da.from_array(y, chunks=40),
                                        sample_weight=da.from_array(w_zero, chunks=64),
                                        return_provenance=True))
    expected = rk.tomek_links(X, y, sample_weight=w_zero, return_provenance=True)
    _assert_same(got, expected, "tomek_links")


def test_gathered_methods_pass_weights_and_provenance_through():
    X, y, _, w_zero = _data()
    got = rkd.cluster_centroids(da.from_array(X, chunks=70), y, random_state=0,
                                sample_weight=da.from_array(w_zero, chunks=70),
                                return_provenance=True)
    assert all(isinstance(part, da.Array) for part in got)
    expected = rk.cluster_centroids(X, y, random_state=0, sample_weight=w_zero,
                                    return_provenance=True)
    _assert_same(dask.compute(*got), expected, "cluster_centroids")


def test_bad_weights_raise_the_in_memory_errors():
    X, y, w, _ = _data()
    Xd = da.from_array(X, chunks=70)
    bad = [w[:-1], -w, np.zeros_like(w), np.where(np.arange(len(w)) == 3, np.nan, w)]
    for value in bad:
        with pytest.raises(ValueError) as expected:
            rk.smote(X, y, sample_weight=value)
        for name in ("smote", "random_under", "edited_nearest_neighbours"):
            with pytest.raises(ValueError) as got:
                getattr(rkd, name)(Xd, y, sample_weight=value)
            assert str(got.value) == str(expected.value)
    only_one = np.where(y == 0, 1.0, 0.0)
    with pytest.raises(ValueError, match="^smote: sample_weight leaves fewer than 2 classes"):
        rkd.smote(Xd, y, sample_weight=only_one)
    with pytest.raises(TypeError, match="return_provenance"):
        rkd.tomek_links(Xd, y, return_provenance="yes")
    with pytest.raises(TypeError, match="return_provenance"):
        rkd.tomek_links(Xd, y, sample_weight=w, return_provenance="yes")
