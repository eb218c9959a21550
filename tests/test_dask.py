"""resamplekit.dask against the in-memory functions, on the default scheduler and on a
dask.distributed LocalCluster of two worker processes.

- random_under / random_over: exactly the in-memory class counts for every kind of ratio;
  uniform draws (rows of the right class, no repeats without replacement); results depend on
  the seed and the chunking only (schedulers and worker counts give the same rows).
- smote, borderline_smote, adasyn: the new rows equal the in-memory function's for the same
  integer seed (borderline_smote's and adasyn's searches over all of X block-wise), with the
  classes gathered or not (max_gather_bytes=0, or a budget that gathers one class of two:
  then no row of X comes to this process).
- near_miss (1-3): exactly the in-memory rows in the same order (minority gathered, the other
  classes scored block by block).
- kneighbors, edited_nearest_neighbours, tomek_links: exactly the in-memory neighbours and rows,
  in the same order, with ties and duplicated rows; several chunkings (uneven, one chunk,
  chunked columns).
- neighbourhood_cleaning_rule, repeated_edited_nearest_neighbours, all_knn: the in-memory rows in
  the same order (RENN on data where it runs several rounds).
- The methods that gather: the in-memory result within the budget, a ValueError beyond it.
- Weights and provenance on a LocalCluster (smote_enn); the rest in tests/test_dask_weights.py.
- Bad input is refused as in memory (lazily for values, at once for dtypes and shapes).
- Out of core: tests/test_dask_out_of_core.py (its own cluster, in its own module).
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
from numpy.testing import assert_array_equal
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import resamplekit as rk  # noqa: E402
from resamplekit import dask as rkd  # noqa: E402
from resamplekit._neighbors import kneighbors as kneighbors_in_memory  # noqa: E402

CHUNKINGS = {
    "uneven": ((37, 150, 13, 100), (2, 1)),
    "single": -1,
    "even": 60,
}


def _data(n=300, seed=0, ties=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = rng.choice([0, 1, 2], p=[0.65, 0.25, 0.1], size=n)
    if ties:
        X = np.round(X * 2) / 2  # many equal distances
        X[5] = X[200]  # duplicated rows of different classes
        y[5], y[200] = 0, 2
    return X, y


def _dask(X, chunking):
    return da.from_array(X, chunks=CHUNKINGS[chunking])


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_import_resamplekit_does_not_import_dask():
    code = textwrap.dedent("""
        import sys
        import resamplekit
        resamplekit.smote
        print(sorted(m for m in sys.modules if m == "dask" or m.startswith("dask.")
                     or m == "distributed"))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ}, check=True)
    assert out.stdout.strip() == "[]"


def test_dask_extra_is_declared_and_tested_in_ci():
    import tomllib

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "pyproject.toml"), "rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]
    assert {"dask[array,dataframe]>=2024.1", "distributed>=2024.1"} <= set(extras["dask"])
    assert set(extras["dask"]) <= set(extras["test"])


def test_api_page_lists_every_dask_function():
    sys.path.insert(0, os.path.dirname(__file__))
    from test_docs import autosummary_entries

    listed = autosummary_entries("api.rst").get("resamplekit.dask", [])
    assert sorted(listed) == sorted(rkd.__all__)


# ---- random_under, random_over -------------------------------------------------------------

UNDER_RATIOS = ["auto", "majority", "not minority", "not majority", "all", {0: 50, 1: 30},
                lambda y: {0: int((y == 0).sum()) // 2}]
OVER_RATIOS = ["auto", "minority", "not minority", "not majority", "all", {1: 120, 2: 90},
               lambda y: {2: int((y == 2).sum()) * 3}]


def _check_selection(X, y, X_res, y_res, idx, *, unique):
    assert (X_res == X[idx]).all() and (y_res == y[idx]).all()
    if unique:
        assert len(np.unique(idx)) == len(idx)


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ratio", UNDER_RATIOS, ids=lambda r: str(r)[:12])
def test_random_under_counts_and_rows(chunking, ratio):
    X, y = _data()
    X_res, y_res, idx = dask.compute(*rkd.random_under(_dask(X, chunking), y, ratio=ratio,
                                                       random_state=0, return_indices=True))
    expected = rk.random_under(X, y, ratio=ratio, random_state=0)[1]
    assert np.bincount(y_res).tolist() == np.bincount(expected).tolist()
    assert (np.diff(y_res) >= 0).all()  # class by class, as in memory
    _check_selection(X, y, X_res, y_res, idx, unique=True)


def test_random_under_float_ratio_and_replacement():
    X, y = _data()
    y = (y > 0).astype(int)
    for kwargs in ({"ratio": 0.7}, {"replacement": True}):
        got = rkd.random_under(_dask(X, "uneven"), y, random_state=3, return_indices=True,
                               **kwargs)
        X_res, y_res, idx = dask.compute(*got)
        expected = rk.random_under(X, y, random_state=3, **kwargs)[1]
        assert np.bincount(y_res).tolist() == np.bincount(expected).tolist()
        _check_selection(X, y, X_res, y_res, idx, unique=False)


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ratio", OVER_RATIOS, ids=lambda r: str(r)[:12])
def test_random_over_counts_and_rows(chunking, ratio):
    X, y = _data()
    X_res, y_res, idx = dask.compute(*rkd.random_over(_dask(X, chunking), y, ratio=ratio,
                                                      random_state=0, return_indices=True))
    expected = rk.random_over(X, y, ratio=ratio, random_state=0)[1]
    assert np.bincount(y_res).tolist() == np.bincount(expected).tolist()
    assert (idx[:len(y)] == np.arange(len(y))).all()
    _check_selection(X, y, X_res, y_res, idx, unique=False)


def test_random_over_shrinkage():
    X, y = _data()
    X32 = X.astype(np.float32)
    X_res, y_res, idx = dask.compute(*rkd.random_over(_dask(X32, "uneven"), y, shrinkage=0.5,
                                                      random_state=0, return_indices=True))
    X_mem, y_mem = rk.random_over(X32, y, shrinkage=0.5, random_state=0)
    assert X_res.dtype == np.float32 and X_res.shape == X_mem.shape
    assert np.bincount(y_res).tolist() == np.bincount(y_mem).tolist()
    assert (X_res[:len(y)] == X32).all() and (y_res[len(y):] == y[idx[len(y):]]).all()
    assert not (X_res[len(y):] == X32[idx[len(y):]]).all(axis=1).any()  # noise added


def test_random_samplers_depend_on_seed_and_chunking_only():
    X, y = _data()
    a = dask.compute(*rkd.random_under(_dask(X, "uneven"), y, random_state=7,
                                       return_indices=True))[2]
    b = dask.compute(*rkd.random_under(_dask(X, "uneven"), y, random_state=7,
                                       return_indices=True), scheduler="sync")[2]
    c = dask.compute(*rkd.random_under(_dask(X, "uneven"), y, random_state=8,
                                       return_indices=True))[2]
    assert (a == b).all() and not np.array_equal(a, c)


@pytest.mark.parametrize("method", ["random_under", "random_over"])
def test_random_samplers_same_rows_for_numpy_and_dask_labels(method):
    # NumPy labels are read in this process (draws made here), dask labels on the workers:
    # the same rows, labels and order for the same seed and chunking.
    X, y = _data()
    fn = getattr(rkd, method)
    y_dask = da.from_array(y, chunks=50)  # not X's chunking: rechunked to it
    a = dask.compute(*fn(_dask(X, "uneven"), y, random_state=3, return_indices=True))
    b = dask.compute(*fn(_dask(X, "uneven"), y_dask, random_state=3, return_indices=True))
    for u, v in zip(a, b):
        assert_array_equal(u, v)
    assert_array_equal(a[0], X[a[2]])
    assert_array_equal(a[1], y[a[2]])


def test_random_under_keeps_any_values():
    X = np.array([["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5]], dtype=object)
    y = np.array([0, 0, 0, 1, 1])
    X_res, y_res = dask.compute(*rkd.random_under(da.from_array(X, chunks=2), y,
                                                  random_state=0))
    assert X_res.dtype == object and np.bincount(y_res).tolist() == [2, 2]


# ---- smote ---------------------------------------------------------------------------------


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("seed", [0, 11])
def test_smote_equals_in_memory(chunking, seed):
    X, y = _data()
    got = dask.compute(*rkd.smote(_dask(X, chunking), y, random_state=seed,
                                  return_indices=True, rows_per_block=53))
    expected = rk.smote(X, y, random_state=seed, return_indices=True)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def test_smote_float32_ratio_and_random_state_objects():
    X, y = _data(seed=1)
    X = X.astype(np.float32)
    got = rkd.smote(_dask(X, "uneven"), y, k=3, ratio={2: 100},
                    random_state=np.random.RandomState(4))[0].compute()
    expected = rk.smote(X, y, k=3, ratio={2: 100}, random_state=np.random.RandomState(4))[0]
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("budget", [0, 2_000])
@pytest.mark.parametrize("ties", [False, True])
def test_smote_blockwise_equals_in_memory(chunking, budget, ties, monkeypatch):
    # budget 0: every class searched block-wise; 2,000 bytes: the smaller class (21 rows x
    # (24 + 48) bytes = 1,512) gathered, class 1 (85 rows) block-wise. The same rows as in
    # memory either way.
    X, y = _data(ties=ties)
    searched = []
    real = rkd._smote_blockwise_pieces
    monkeypatch.setattr(rkd, "_smote_blockwise_pieces",
                        lambda data, c, *a, **kw: searched.append(c) or real(data, c, *a, **kw))
    got = dask.compute(*rkd.smote(_dask(X, chunking), y, random_state=5,
                                  return_indices=True, rows_per_block=41,
                                  max_gather_bytes=budget))
    expected = rk.smote(X, y, random_state=5, return_indices=True)
    assert searched == ([1, 2] if budget == 0 else [1])
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def test_smote_blockwise_float32_and_random_state_object():
    X, y = _data(seed=2)
    X = X.astype(np.float32)
    got = rkd.smote(_dask(X, "uneven"), y, k=4, ratio={1: 150, 2: 120}, max_gather_bytes=0,
                    random_state=np.random.RandomState(9))[0].compute()
    expected = rk.smote(X, y, k=4, ratio={1: 150, 2: 120},
                        random_state=np.random.RandomState(9))[0]
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


def test_smote_checks_class_size_and_rows_per_block():
    X, y = _data()
    with pytest.raises(ValueError, match="class 1 has 85 rows"):
        rkd.smote(_dask(X, "even"), y, k=1000)
    for name in ("smote", "borderline_smote", "adasyn"):
        with pytest.raises(ValueError, match="rows_per_block must be .*, got 0"):
            getattr(rkd, name)(_dask(X, "even"), y, rows_per_block=0)
        with pytest.raises(TypeError, match="rows_per_block must be an integer >= 1, got 2.5"):
            getattr(rkd, name)(_dask(X, "even"), y, rows_per_block=2.5)


OVER_SEARCHED = [
    ("borderline_smote", {}),
    ("borderline_smote", {"kind": "borderline-2"}),  # neighbours of other classes fetched
    ("borderline_smote", {"kind": "borderline-2", "k": 7, "m": 4, "ratio": "all"}),
    ("adasyn", {}),
    ("adasyn", {"k": 7, "ratio": {2: 100}}),
]


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("name, kwargs", OVER_SEARCHED,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(OVER_SEARCHED)])
def test_searched_over_samplers_equal_in_memory(chunking, ties, name, kwargs):
    X, y = _data(ties=ties)
    got = dask.compute(*getattr(rkd, name)(_dask(X, chunking), y, random_state=5,
                                           return_indices=True, rows_per_block=41, **kwargs))
    expected = getattr(rk, name)(X, y, random_state=5, return_indices=True, **kwargs)
    assert len(got[0]) > len(X)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def test_searched_over_samplers_float32_and_random_state_object():
    X, y = _data(seed=1)
    X = X.astype(np.float32)
    for name in ("borderline_smote", "adasyn"):
        got = getattr(rkd, name)(_dask(X, "uneven"), y, k=3,
                                 random_state=np.random.RandomState(4))[0].compute()
        expected = getattr(rk, name)(X, y, k=3, random_state=np.random.RandomState(4))[0]
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, expected)


def test_searched_over_samplers_errors_as_in_memory():
    X, y = _data()
    for name, kwargs in [("borderline_smote", {"m": 300}), ("adasyn", {"k": 40}),
                         ("borderline_smote", {"kind": "borderline-3"})]:
        with pytest.raises(ValueError) as expected:
            getattr(rk, name)(X, y, **kwargs)
        with pytest.raises(ValueError) as got:
            getattr(rkd, name)(_dask(X, "even"), y, **kwargs)
        assert str(got.value) == str(expected.value)


def _spy_blockwise(monkeypatch):
    """The classes that run block-wise (not gathered), in the order they run."""
    searched = []
    for name in ("_borderline_blockwise_pieces", "_adasyn_blockwise_pieces"):
        real = getattr(rkd, name)
        monkeypatch.setattr(rkd, name, lambda data, c, *a, _real=real, **kw:
                            searched.append(c) or _real(data, c, *a, **kw))
    return searched


def _with_provenance(monkeypatch):
    """The dask functions' results with their provenance records last (the block-wise
    pieces carry them; ``return_provenance`` is not a keyword of these functions yet)."""
    real = rkd._Data.output
    monkeypatch.setattr(rkd._Data, "output", lambda self, pieces, **kw: real(
        self, pieces, **{**kw, "return_provenance": True}))


# 20,000 bytes gathers class 2 (21 rows) but not class 1 (85 rows): the classes run in
# label order, class 1 block-wise, then class 2 gathered (ADASYN's one stream goes on).
@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("budget", [0, 20_000])
@pytest.mark.parametrize("name, kwargs", OVER_SEARCHED,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(OVER_SEARCHED)])
def test_searched_over_samplers_blockwise_equal_in_memory(chunking, budget, name, kwargs,
                                                          monkeypatch):
    X, y = _data(ties=chunking == "uneven")
    searched = _spy_blockwise(monkeypatch)
    if budget == 0:
        _with_provenance(monkeypatch)
    got = dask.compute(*getattr(rkd, name)(_dask(X, chunking), y, random_state=5,
                                           return_indices=True, rows_per_block=41,
                                           max_gather_bytes=budget, **kwargs))
    expected = getattr(rk, name)(X, y, random_state=5, return_indices=True,
                                 return_provenance=budget == 0, **kwargs)
    over = [2] if kwargs.get("ratio") == {2: 100} else [1, 2]  # the classes over-sampled
    assert searched == (over if budget == 0 else [c for c in over if c == 1])
    assert len(got) == len(expected) and len(got[0]) > len(X)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)
    if budget == 0 and kwargs.get("kind") == "borderline-2":
        assert (got[-1]["scale"] < 0.5).any()  # draws towards other classes were scaled


@pytest.mark.parametrize("name, kwargs", OVER_SEARCHED[:2] + OVER_SEARCHED[3:4],
                         ids=["borderline-1", "borderline-2", "adasyn"])
def test_searched_over_samplers_blockwise_float32_and_random_state_objects(name, kwargs,
                                                                           monkeypatch):
    X, y = _data(seed=1)
    X = X.astype(np.float32)
    searched = _spy_blockwise(monkeypatch)
    for make in (lambda: np.random.RandomState(4), lambda: np.random.default_rng(7)):
        for budget in (0, 17_000):  # nothing gathered; class 2 gathered, class 1 not
            searched.clear()
            got = getattr(rkd, name)(_dask(X, "uneven"), y, k=3, random_state=make(),
                                     max_gather_bytes=budget, rows_per_block=29,
                                     **kwargs)[0].compute()
            expected = getattr(rk, name)(X, y, k=3, random_state=make(), **kwargs)[0]
            assert searched == ([1, 2] if budget == 0 else [1])
            assert got.dtype == np.float32
            np.testing.assert_array_equal(got, expected)


def test_searched_over_samplers_blockwise_bring_no_rows_to_this_process(monkeypatch):
    # Everything the functions compute into this process while building the graph: small
    # per-row results (counts, flags, row numbers) and the search's bounds, never rows of X.
    X, y = _data()
    computed = []
    real_compute = dask.compute

    def spy(*args, **kwargs):
        out = real_compute(*args, **kwargs)
        computed.append(out)
        return out

    def arrays(obj):
        if isinstance(obj, np.ndarray):
            yield obj
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                yield from arrays(item)

    monkeypatch.setattr(rkd, "_fetch_rows", lambda *a: pytest.fail("rows fetched"))
    for name, kwargs in [("borderline_smote", {}),
                         ("borderline_smote", {"kind": "borderline-2"}), ("adasyn", {})]:
        with monkeypatch.context() as patched:
            patched.setattr(rkd.dask, "compute", spy)
            out = getattr(rkd, name)(_dask(X, "even"), y, random_state=0, max_gather_bytes=0,
                                     **kwargs)
        assert computed and all(isinstance(o, da.Array) for o in out)
        for a in arrays(computed):
            assert not (a.dtype.kind == "f" and a.ndim == 2), (name, a.shape)
            assert a.size <= max(len(X), X.shape[1] * 2), (name, a.shape)
        np.testing.assert_array_equal(out[0].compute(),
                                      getattr(rk, name)(X, y, random_state=0, **kwargs)[0])
        computed.clear()
    # and a budget too small for anything is no longer refused
    assert rkd.adasyn(_dask(X, "even"), y, max_gather_bytes=1000)[0].shape[0] > len(X)


def test_searched_over_samplers_blockwise_errors_as_in_memory():
    X, y = _data()
    X_apart = X + 20.0 * (y == 1)[:, None]  # class 1 far from the others
    for name, X_, kwargs in [("borderline_smote", X, {"k": 40, "m": 6}),
                             ("adasyn", X_apart, {"ratio": {1: 200}})]:
        with pytest.raises(ValueError) as expected:
            getattr(rk, name)(X_, y, **kwargs)
        with pytest.raises(ValueError) as got:
            getattr(rkd, name)(_dask(X_, "even"), y, max_gather_bytes=0, **kwargs)
        assert str(got.value) == str(expected.value)


NEAR_MISS = [{}, {"ratio": "all"}, {"ratio": {0: 40, 1: 70}, "k": 5, "k_ver3": 2}]


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("kwargs", NEAR_MISS, ids=range(len(NEAR_MISS)))
@pytest.mark.filterwarnings("ignore:The number of the samples to be selected")
def test_near_miss_equals_in_memory(chunking, ties, version, kwargs):
    X, y = _data(ties=ties)
    got = dask.compute(*rkd.near_miss(_dask(X, chunking), y, version=version,
                                      return_indices=True, **kwargs))
    expected = rk.near_miss(X, y, version=version, return_indices=True, **kwargs)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def test_near_miss_short_warning_errors_and_budget():
    X, y = _data()
    with pytest.warns(UserWarning, match="balancing ratio cannot be ensure"):
        idx = rkd.near_miss(_dask(X, "uneven"), y, version=3, k_ver3=1, ratio={0: 100},
                            return_indices=True)[2]
    with pytest.warns(UserWarning, match="balancing ratio cannot be ensure"):
        expected = rk.near_miss(X, y, version=3, k_ver3=1, ratio={0: 100},
                                return_indices=True)[2]
    np.testing.assert_array_equal(idx.compute(), expected)
    for kwargs in ({"k": 40}, {"version": 3, "k_ver3": 80, "ratio": "all"}, {"version": 4}):
        with pytest.raises(ValueError) as want:
            rk.near_miss(X, y, **kwargs)
        with pytest.raises(ValueError) as got:
            rkd.near_miss(_dask(X, "even"), y, **kwargs)
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError, match="^near_miss: gathering the minority class needs"):
        rkd.near_miss(_dask(X, "even"), y, max_gather_bytes=100)


# ---- the block-wise neighbour search and the cleaning rules --------------------------------


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
def test_kneighbors_equals_in_memory(chunking, ties):
    X, _ = _data(ties=ties)
    dist, ind = dask.compute(*rkd.kneighbors(_dask(X, chunking), 5))
    expected = kneighbors_in_memory(X, 5)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_array_equal(dist, expected[0])


def test_kneighbors_prunes_sorted_blocks():
    rng = np.random.default_rng(0)
    X = np.sort(rng.uniform(0, 100, size=(1000, 1)), axis=0) @ np.ones((1, 2))
    X += rng.normal(scale=0.01, size=X.shape)
    data = rkd._Data(da.from_array(X, chunks=100), None, "kneighbors", labels=False)
    lists, _, n_pairs = rkd._block_search(data, 3)
    assert n_pairs < 3 * data.n_blocks  # itself and its two neighbours at most
    got = np.concatenate([r[1] for r in dask.compute(*lists)])
    np.testing.assert_array_equal(got, kneighbors_in_memory(X, 3)[1])


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("kwargs", [{}, {"kind_sel": "mode"}, {"k": 5, "ratio": "all"},
                                    {"ratio": [2]}])
def test_edited_nearest_neighbours_equals_in_memory(chunking, ties, kwargs):
    X, y = _data(ties=ties)
    got = dask.compute(*rkd.edited_nearest_neighbours(_dask(X, chunking), y,
                                                      return_indices=True, **kwargs))
    expected = rk.edited_nearest_neighbours(X, y, return_indices=True, **kwargs)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("ratio", ["auto", "all", [0]])
def test_tomek_links_equals_in_memory(chunking, ties, ratio):
    X, y = _data(ties=ties)
    got = dask.compute(*rkd.tomek_links(_dask(X, chunking), y, ratio=ratio,
                                        return_indices=True))
    expected = rk.tomek_links(X, y, ratio=ratio, return_indices=True)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("chunking", ["uneven", "single"])
@pytest.mark.parametrize("name", ["smote_tomek", "smote_enn"])
def test_combinations_equal_in_memory(chunking, name):
    X, y = _data(ties=True)
    got = dask.compute(*getattr(rkd, name)(_dask(X, chunking), y, random_state=2,
                                           return_indices=True))
    expected = getattr(rk, name)(X, y, random_state=2, return_indices=True)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def _overlapping(seed=0, ties=False):
    """Two overlapping classes: RENN runs several rounds (3 to 6) on them."""
    rng = np.random.default_rng(seed)
    y = (rng.random(300) < 0.3).astype(int)
    X = rng.normal(size=(300, 3)) + y[:, None] * 1.2
    return (np.round(X * 2) / 2 if ties else X), y


CLEANING_ROUNDS = [
    ("neighbourhood_cleaning_rule", {}),
    ("neighbourhood_cleaning_rule", {"k": 5, "ratio": "all", "threshold_cleaning": 0.1}),
    ("repeated_edited_nearest_neighbours", {"return_n_iter": True}),
    ("repeated_edited_nearest_neighbours", {"kind_sel": "mode", "ratio": "all", "k": 4,
                                            "return_n_iter": True}),
    ("all_knn", {}),
    ("all_knn", {"k": 5, "kind_sel": "mode", "allow_minority": True, "ratio": "all"}),
]


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("name, kwargs", CLEANING_ROUNDS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CLEANING_ROUNDS)])
def test_ncr_renn_all_knn_equal_in_memory(chunking, ties, name, kwargs):
    X, y = _overlapping(ties=ties) if name != "neighbourhood_cleaning_rule" else _data(ties=ties)
    got = getattr(rkd, name)(_dask(X, chunking), y, return_indices=True, **kwargs)
    expected = getattr(rk, name)(X, y, return_indices=True, **kwargs)
    if kwargs.get("return_n_iter"):
        assert got[3] == expected[3] and expected[3] >= 2
        got, expected = got[:3], expected[:3]
    assert len(expected[2]) < len(y)
    for g, e in zip(dask.compute(*got), expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def test_ncr_renn_all_knn_errors_as_in_memory():
    X, y = _data()
    for name, kwargs in [("neighbourhood_cleaning_rule", {"threshold_cleaning": 0}),
                         ("repeated_edited_nearest_neighbours", {"k": 300}),
                         ("all_knn", {"kind_sel": "any"})]:
        with pytest.raises(ValueError) as want:
            getattr(rk, name)(X, y, **kwargs)
        with pytest.raises(ValueError) as got:
            getattr(rkd, name)(_dask(X, "even"), y, **kwargs)
        assert str(got.value) == str(want.value)


def test_cleaning_keeps_the_input_dtype():
    X, y = _data()
    Xi = np.round(X * 10).astype(np.int32)
    got = rkd.edited_nearest_neighbours(_dask(Xi, "uneven"), y)[0].compute()
    expected = rk.edited_nearest_neighbours(Xi, y)[0]
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, expected)


# ---- gathered methods ----------------------------------------------------------------------

GATHERED = {
    "condensed_nearest_neighbour": {"random_state": 0},
    "one_sided_selection": {"random_state": 0},
    "cluster_centroids": {"random_state": 0},
    "svm_smote": {"random_state": 0},
}


@pytest.mark.parametrize("name", list(GATHERED))
def test_gathered_methods_equal_in_memory(name):
    X, y = _data()
    kwargs = dict(GATHERED[name], return_indices=True) if name not in (
        "cluster_centroids",) else GATHERED[name]
    got = getattr(rkd, name)(_dask(X, "uneven"), y, **kwargs)
    expected = getattr(rk, name)(X, y, **kwargs)
    assert all(isinstance(g, da.Array) for g in got)
    for g, e in zip(dask.compute(*got), expected):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("name", sorted(set(GATHERED) | {"kmeans_smote", "smotenc", "smoten",
                                                         "instance_hardness_threshold"}))
def test_gathered_methods_refuse_beyond_budget(name):
    X, y = _data()
    with pytest.raises(ValueError, match=f"^{name}: .*max_gather_bytes=1,000; .* or "):
        getattr(rkd, name)(_dask(X, "even"), y, max_gather_bytes=1000)


# ---- containers and bad input --------------------------------------------------------------


def test_dataframe_and_series():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"], index=np.arange(len(y)) * 3)
    ys = pd.Series(np.array(["p", "q", "r"])[y], name="label", index=df.index)
    ddf, dys = dd.from_pandas(df, npartitions=4), dd.from_pandas(ys, npartitions=3)
    X_res, y_res, idx = dask.compute(*rkd.random_under(ddf, dys, random_state=0,
                                                       return_indices=True))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert X_res.index.equals(df.index[idx]) and y_res.index.equals(X_res.index)
    assert y_res.name == "label" and (y_res.to_numpy() == ys.to_numpy()[idx]).all()
    for name, kwargs in [("smote", {"random_state": 0}), ("edited_nearest_neighbours", {}),
                         ("tomek_links", {}), ("adasyn", {"random_state": 0}),
                         ("near_miss", {}), ("repeated_edited_nearest_neighbours", {})]:
        got = dask.compute(*getattr(rkd, name)(ddf, dys, **kwargs))
        expected = getattr(rk, name)(df, dys.compute(), **kwargs)  # dask's string dtype
        pd.testing.assert_frame_equal(got[0], expected[0])
        pd.testing.assert_series_equal(got[1], expected[1])


def test_nan_found_lazily_raises_the_in_memory_error():
    X, y = _data()
    X[150, 1] = np.nan
    with pytest.raises(ValueError) as expected:
        rk.smote(X, y)
    for name in ("smote", "edited_nearest_neighbours", "tomek_links", "borderline_smote",
                 "near_miss", "all_knn"):
        with pytest.raises(ValueError) as got:  # raised when the blocks are computed
            getattr(rkd, name)(_dask(X, "even"), y)
        assert str(got.value) == str(expected.value)
    # random_over without shrinkage never looks at the values: NaN passes through lazily
    assert np.isnan(rkd.random_over(_dask(X, "even"), y)[0].compute()).sum() >= 1


def test_bad_input():
    X, y = _data()
    with pytest.raises(TypeError, match="dtype <U"):
        rkd.smote(_dask(X.astype(str), "even"), y)
    with pytest.raises(ValueError, match="same number of rows"):
        rkd.random_under(_dask(X, "even"), y[:-1])
    with pytest.raises(TypeError, match="for data in memory use resamplekit.smote"):
        rkd.smote(X, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        rkd.random_under(_dask(X, "even"), np.zeros(len(y)))
    with pytest.raises(ValueError, match="missing labels"):
        rkd.random_under(_dask(X, "even"), np.where(y == 1, np.nan, y))


def test_unknown_chunk_sizes_and_misaligned_y():
    X, y = _data()
    Xd = _dask(X, "even")
    keep = Xd[:, 0] > -100  # all rows, unknown chunk sizes
    X_unknown = Xd[keep]
    y_misaligned = da.from_array(y, chunks=47)
    got = dask.compute(*rkd.edited_nearest_neighbours(X_unknown, y_misaligned,
                                                      return_indices=True))
    np.testing.assert_array_equal(got[2], rk.edited_nearest_neighbours(
        X, y, return_indices=True)[2])
    a = rkd.random_under(X_unknown, y_misaligned, random_state=0)[1].compute()
    b = rkd.random_under(Xd, y, random_state=0)[1].compute()
    np.testing.assert_array_equal(a, b)


# ---- distributed ---------------------------------------------------------------------------


def _all_results(X, y):
    Xd = _dask(X, "uneven")
    return {
        "under": rkd.random_under(Xd, y, random_state=0, return_indices=True),
        "over": rkd.random_over(Xd, y, random_state=0, return_indices=True),
        "smote": rkd.smote(Xd, y, random_state=0, return_indices=True),
        "enn": rkd.edited_nearest_neighbours(Xd, y, return_indices=True),
        "tomek": rkd.tomek_links(Xd, y, return_indices=True),
        "knn": rkd.kneighbors(Xd, 3),
        "borderline": rkd.borderline_smote(Xd, y, kind="borderline-2", random_state=0,
                                           return_indices=True),
        "borderline_blockwise": rkd.borderline_smote(Xd, y, random_state=0,
                                                     max_gather_bytes=0, return_indices=True),
        "adasyn_blockwise": rkd.adasyn(Xd, y, random_state=0, max_gather_bytes=0,
                                       return_indices=True),
        "near_miss": rkd.near_miss(Xd, y, version=3, return_indices=True),
        "renn": rkd.repeated_edited_nearest_neighbours(Xd, y, return_indices=True),
        "weighted": rkd.smote_enn(Xd, y, random_state=0, sample_weight=_weights(len(y)),
                                  return_indices=True, return_provenance=True),
    }


def _weights(n):
    w = np.linspace(0.5, 2.0, n)
    w[::9] = 0.0
    return w


def test_distributed_results_equal_the_default_schedulers_for_1_and_2_workers(client):
    X, y = _data(ties=True)
    with dask.config.set(scheduler="threads"):
        local = dask.compute(_all_results(X, y))[0]
    two = client.compute(_all_results(X, y), sync=True)
    assert len(client.scheduler_info()["workers"]) == 2
    client.cluster.scale(1)
    while len(client.scheduler_info()["workers"]) > 1:
        client.sync(lambda: __import__("asyncio").sleep(0.1))
    try:
        one = client.compute(_all_results(X, y), sync=True)
    finally:
        client.cluster.scale(2)
        client.wait_for_workers(2)
    for name, parts in local.items():
        for a, b, c in zip(parts, two[name], one[name]):
            np.testing.assert_array_equal(a, b, err_msg=name)
            np.testing.assert_array_equal(a, c, err_msg=name)
    assert (two["smote"][0] == rk.smote(X, y, random_state=0)[0]).all()
    assert (two["borderline"][0] == rk.borderline_smote(X, y, kind="borderline-2",
                                                        random_state=0)[0]).all()
    for name in ("borderline_smote", "adasyn"):
        np.testing.assert_array_equal(two[name.split("_")[0] + "_blockwise"][0],
                                      getattr(rk, name)(X, y, random_state=0)[0])
    assert (two["near_miss"][2] == rk.near_miss(X, y, version=3, return_indices=True)[2]).all()
    assert (two["renn"][2] == rk.repeated_edited_nearest_neighbours(
        X, y, return_indices=True)[2]).all()
    expected = rk.smote_enn(X, y, random_state=0, sample_weight=_weights(len(y)),
                            return_indices=True, return_provenance=True)
    for got, e in zip(two["weighted"], expected):
        np.testing.assert_array_equal(got, e)

