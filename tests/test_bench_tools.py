"""The benchmark tooling in asv_bench/: data generators, skips and grid limits of the asv suite,
and the pure parts of compare.py (its subprocess plumbing is checked by
``python asv_bench/compare.py --self-test``)."""
import argparse
import importlib.util
import os
import sys

import numpy as np
import pytest

ASV_BENCH = os.path.join(os.path.dirname(__file__), os.pardir, "asv_bench")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


common = _load("_rk_bench_common", os.path.join(ASV_BENCH, "benchmarks", "common.py"))
compare = _load("_rk_compare", os.path.join(ASV_BENCH, "compare.py"))


@pytest.mark.parametrize("kind", sorted(common.DATASET_WEIGHTS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_make_dataset_shapes_counts_and_seed(kind, dtype):
    n, d = 70_001, 3  # more than one generation chunk
    X, y = common.make_dataset(kind, n, d, dtype=dtype, seed=3)
    weights = common.DATASET_WEIGHTS[kind]
    assert X.shape == (n, d) and X.dtype == dtype and X.flags.c_contiguous
    assert y.dtype == np.intp
    counts = np.bincount(y, minlength=len(weights))
    assert counts.sum() == n
    np.testing.assert_array_equal(counts[1:], np.floor(np.asarray(weights[1:]) * n))
    assert np.isfinite(X).all() and len(np.unique(X, axis=0)) == n
    X2, y2 = common.make_dataset(kind, n, d, dtype=dtype, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = common.make_dataset(kind, n, d, dtype=dtype, seed=4)
    assert not np.array_equal(X, X3)


def test_cache_and_load_dataset_roundtrip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = common.cache_datasets([("binary_95_5", 500, 4, "float32")])
    X, y = common.load_dataset(files, "binary_95_5", 500, 4, "float32")
    X0, y0 = common.make_dataset("binary_95_5", 500, 4, dtype="float32")
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_make_dataset_categorical_columns(dtype):
    n, d, levels = 5_000, 8, 5
    n_cat = d if dtype == "int64" else 2
    X, y = common.make_dataset("five_class", n, d, dtype=dtype, n_categorical=n_cat,
                               levels=levels)
    assert X.dtype == dtype
    for j in range(d - n_cat, d):  # quantile levels: about n / levels rows each
        counts = np.bincount(X[:, j].astype(np.int64), minlength=levels)
        assert len(counts) == levels and counts.min() > 0.9 * n / levels
    X0, y0 = common.make_dataset("five_class", n, d)
    np.testing.assert_array_equal(y, y0)
    if n_cat < d:  # the numeric columns are those of the plain data set
        np.testing.assert_array_equal(X[:, :d - n_cat], X0[:, :d - n_cat])
    with pytest.raises(ValueError, match="every column categorical"):
        common.make_dataset("five_class", n, d, dtype="int64", n_categorical=1)


def test_module_datasets_and_resampler_benchmark(tmp_path, monkeypatch):
    import abc
    import types

    module = types.ModuleType("_rk_bench_fake")
    monkeypatch.setitem(sys.modules, module.__name__, module)

    class Base(common.ResamplerBenchmark):  # what a benchmark file's private base does
        def setup_cache(self):
            return common.cache_datasets(common.module_datasets(module.__name__))

    class Method(Base):
        function_name = "sqrt"
        num_param_combinations = 2
        always_run = [(1_000, 4, "binary_95_5")]

    class Float32(Method):
        @classmethod
        def dataset(cls, n, d, balance):
            return common.Dataset(balance, n, d, "float32")

    for cls in (Base, Method, Float32):
        cls.__module__ = module.__name__
    module._Base, module.Method, module.Float32 = Base, Method, Float32
    module.ResamplerBenchmark = common.ResamplerBenchmark  # imported: not this module's
    monkeypatch.delenv("RESAMPLEKIT_BENCH_FULL", raising=False)
    specs = common.module_datasets(module.__name__)
    assert len(specs) == len(set(specs)) == 4
    assert {s.dtype for s in specs} == {"float64", "float32"}
    assert common.Dataset("binary_95_5", 1_000, 4) in specs
    # asv skips abstract classes: the shared base is one until a file adds setup_cache
    assert isinstance(common.ResamplerBenchmark, abc.ABCMeta)
    with pytest.raises(TypeError):
        common.ResamplerBenchmark()
    monkeypatch.chdir(tmp_path)
    files = Method().setup_cache()
    bench = Method()
    with pytest.raises(NotImplementedError, match="resamplekit"):
        bench.setup(files, 1_000, 4, "binary_95_5")
    unselected = next(p for p in common._grid(Method) if p not in Method.selected_params())
    with pytest.raises(NotImplementedError, match="selected parameter subset"):
        bench.setup(files, *unselected)


def test_get_function_skips_what_does_not_exist():
    with pytest.raises(NotImplementedError, match="does not exist"):
        common.get_function("no_such_sampler")
    with pytest.raises(NotImplementedError, match="cannot be imported"):
        common.get_function("x", module="no_such_package_for_resamplekit_benchmarks")
    assert common.get_function("sqrt", module="math")(4.0) == 2.0


def test_thread_limit_caps_and_restores():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [p["num_threads"] for p in threadpoolctl.threadpool_info()]
    with common.thread_limit(1):
        assert all(p["num_threads"] == 1 for p in threadpoolctl.threadpool_info())
    assert [p["num_threads"] for p in threadpoolctl.threadpool_info()] == before
    with common.thread_limit(None):
        pass


def test_limited_param_benchmark_subset(monkeypatch):
    class Grid(common.LimitedParamBenchmark):
        params = [[1, 2, 3], [10, 20], ["a", "b"]]
        num_param_combinations = 4
        always_run = [(3, 20, "b")]

    monkeypatch.delenv("RESAMPLEKIT_BENCH_FULL", raising=False)
    chosen = Grid.selected_params()
    assert len(chosen) == 4 and chosen[0] == (3, 20, "b")
    assert chosen == Grid.selected_params()  # the same subset every time
    bench = Grid()
    bench.skip_unselected(3, 20, "b")
    skipped = [p for p in [(a, b, c) for a in (1, 2, 3) for b in (10, 20) for c in "ab"]
               if p not in chosen][0]
    with pytest.raises(NotImplementedError):
        bench.skip_unselected(*skipped)
    monkeypatch.setenv("RESAMPLEKIT_BENCH_FULL", "1")
    assert len(Grid.selected_params()) == 12
    bench.skip_unselected(*skipped)


def test_compare_method_map_covers_every_method():
    names = {m.rk_name for m in compare.METHODS}
    assert names == {
        "random_under", "random_over", "near_miss", "tomek_links", "edited_nearest_neighbours",
        "repeated_edited_nearest_neighbours", "all_knn", "neighbourhood_cleaning_rule",
        "condensed_nearest_neighbour", "one_sided_selection", "cluster_centroids",
        "instance_hardness_threshold", "smote", "borderline_smote", "svm_smote",
        "kmeans_smote", "adasyn", "smotenc", "smoten", "smote_tomek", "smote_enn"}
    rows = {m.rk_name for m in compare.METHODS if m.check == "rows"}
    assert rows == {"random_under", "random_over", "near_miss", "tomek_links",
                    "edited_nearest_neighbours", "repeated_edited_nearest_neighbours",
                    "all_knn", "neighbourhood_cleaning_rule", "cluster_centroids", "smote",
                    "borderline_smote", "adasyn"}
    for m in compare.METHODS:  # every imblearn class named exists
        module, cls = m.imb_class.split(":")
        assert hasattr(pytest.importorskip(module), cls)


def test_compare_workloads_and_applicability():
    w = compare.WORKLOADS_BY_ID
    assert [x.id for x in compare.WORKLOADS if x.default] == [
        "10k_x_20", "100k_x_20", "100k_x_100", "50k_x_20_5cls", "200k_x_4", "40k_x_10_cat"]
    cnn = next(m for m in compare.METHODS if m.rk_name == "condensed_nearest_neighbour")
    smoten = next(m for m in compare.METHODS if m.rk_name == "smoten")
    assert compare.applies(cnn, w["10k_x_20"]) is None
    assert "10,000" in compare.applies(cnn, w["100k_x_20"])
    assert compare.applies(smoten, w["40k_x_10_cat"]) is None
    assert compare.applies(smoten, w["10k_x_20"]) is not None


def test_compare_small_workloads():
    pytest.importorskip("sklearn")
    X, y = compare.make_workload(compare.WORKLOADS_BY_ID["5k_x_20_5cls"])
    assert X.shape == (5_000, 20) and len(np.unique(X, axis=0)) == 5_000
    np.testing.assert_array_equal(np.bincount(y), [2500, 1000, 750, 500, 250])
    Xc, yc = compare.make_workload(compare.WORKLOADS_BY_ID["4k_x_10_cat"])
    assert Xc.dtype == np.int64 and np.bincount(yc).tolist() == [3200, 800]
    assert [len(np.unique(Xc[:, j])) for j in range(4)] == [3, 4, 5, 6]
    Xm = compare.mixed_variant(X, len(compare.mixed_columns(20)))
    assert compare.mixed_columns(20) == [15, 16, 17, 18, 19]
    assert all(len(np.unique(Xm[:, j])) == 4 for j in compare.mixed_columns(20))
    np.testing.assert_array_equal(Xm[:, :15], X[:, :15])


def test_compare_agreement(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 2, 50)
    rows = next(m for m in compare.METHODS if m.rk_name == "smote")
    counts = next(m for m in compare.METHODS if m.rk_name == "svm_smote")

    def save(stem, X_, y_):
        np.save(str(tmp_path / stem) + "_X.npy", X_)
        np.save(str(tmp_path / stem) + "_y.npy", y_)
        return str(tmp_path / stem)

    ok = compare.Outcome(counts={"0": 25, "1": 25})
    a = save("a", X, y)
    assert compare.agreement(rows, ok, ok, a, save("b", X * (1 + 1e-14), y)) == "identical rows"
    assert compare.agreement(rows, ok, ok, a, save("c", X + 1e-6, y)).startswith("rows differ")
    assert compare.agreement(rows, ok, ok, a, save("d", X[:-1], y[:-1])).startswith(
        "rows differ (shape")
    assert compare.agreement(rows, ok, ok, a, save("e", X, 1 - y)).startswith("rows differ")
    other = compare.Outcome(counts={"0": 25, "1": 24})
    assert compare.agreement(counts, ok, ok, None, None) == "counts equal"
    assert compare.agreement(counts, ok, other, None, None) == (
        "counts differ (imblearn may under-generate)")
    assert compare.agreement(counts, ok, compare.Outcome(status="timeout"), None, None) == "-"


def test_compare_kept_share_and_the_approximate_rows(tmp_path):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, 40)
    kept = next(m for m in compare.METHODS if m.check == "kept")
    assert kept.rk_kwargs["neighbors"] == "approximate" and not kept.default

    def save(stem, rows):
        np.save(str(tmp_path / stem) + "_X.npy", X[rows])
        np.save(str(tmp_path / stem) + "_y.npy", y[rows])
        return str(tmp_path / stem)

    ok = compare.Outcome()
    imb = save("imb", np.arange(20))
    assert compare.agreement(kept, ok, ok, save("same", np.arange(20)[::-1]), imb) == (
        "100.00% of imblearn's rows (20 vs 20)")
    assert compare.agreement(kept, ok, ok, save("part", np.arange(5, 30)), imb) == (
        "75.00% of imblearn's rows (25 vs 20)")
    # a row with another label is not the same row
    np.save(str(tmp_path / "lab") + "_X.npy", X[:20])
    np.save(str(tmp_path / "lab") + "_y.npy", np.r_[1 - y[:1], y[1:20]])
    assert compare.agreement(kept, ok, ok, str(tmp_path / "lab"), imb).startswith("95.00%")
    # named by label only: the default set and the name alone leave them out
    def chosen(methods):
        args = argparse.Namespace(workloads=None, quick=False, methods=methods)
        return [m.label for m in compare.select(args)[0]]

    assert not any("approximate" in label for label in chosen(None))
    assert chosen("edited_nearest_neighbours") == ["edited_nearest_neighbours"]
    assert chosen("edited_nearest_neighbours(neighbors='approximate')") == [
        "edited_nearest_neighbours(neighbors='approximate')"]
    assert chosen("smote,near_miss(version=1, neighbors='approximate')") == [
        "smote", "near_miss(version=1, neighbors='approximate')"]


def test_make_sparse_dataset_is_text_like_and_seeded():
    sp = pytest.importorskip("scipy.sparse")
    sparse_data = _load("_rk_bench_sparse_data",
                        os.path.join(ASV_BENCH, "benchmarks", "sparse_data.py"))
    X, y = sparse_data.make_sparse_dataset(3_000, 40_000, nnz_per_row=30, seed=2)
    assert sp.issparse(X) and X.format == "csr" and X.shape == (3_000, 40_000)
    assert X.has_sorted_indices and X.dtype == np.float64
    np.testing.assert_array_equal(np.bincount(y), [2700, 300])
    lengths = np.diff(X.indptr)
    assert lengths.min() >= 1 and 20 <= lengths.mean() <= 40 and lengths.max() > 3 * 30
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).A1, 1.0)  # unit rows
    df = np.bincount(X.indices, minlength=X.shape[1])
    assert df.max() > 0.2 * X.shape[0] and np.median(df) <= 2  # Zipf: few common columns
    X2, y2 = sparse_data.make_sparse_dataset(3_000, 40_000, nnz_per_row=30, seed=2)
    assert (X != X2).nnz == 0 and np.array_equal(y, y2)


def test_compare_sparse_workloads_and_agreement(tmp_path):
    sp = pytest.importorskip("scipy.sparse")
    w = compare.WORKLOADS_BY_ID
    assert w["100k_x_200k_sparse"].label == "100,000 x 200,000 sparse CSR (90/10)"
    smote = next(m for m in compare.METHODS if m.label == "smote")
    cnn = next(m for m in compare.METHODS if m.rk_name == "condensed_nearest_neighbour")
    assert compare.applies(smote, w["20k_x_1m_sparse"]) is None
    assert compare.applies(cnn, w["20k_x_1m_sparse"]) == "not run: other data kind"
    X = sp.random(40, 30, density=0.2, format="csr", random_state=0)
    y = np.arange(40) % 2
    ok = compare.Outcome(counts={"0": 20, "1": 20})

    def save(stem, X_, y_):
        compare._save_matrix(str(tmp_path / stem) + "_X", X_)
        np.save(str(tmp_path / stem) + "_y.npy", y_)
        return str(tmp_path / stem)

    a = save("a", X, y)
    assert compare.agreement(smote, ok, ok, a, save("b", X.tocsc(), y)) == "identical rows"
    bumped = X.copy()
    bumped.data[0] += 1e-6
    assert compare.agreement(smote, ok, ok, a, save("c", bumped, y)).startswith("rows differ")
    assert compare.agreement(smote, ok, ok, a, save("d", X.toarray(), y)) == (
        "rows differ (one result is sparse, the other dense)")


def test_compare_formatting():
    fast = compare.Outcome(times=[0.002, 0.001, 0.003], peak_mb=0.05)
    slow = compare.Outcome(times=[12.0], peak_mb=1234.0)
    assert compare.fmt_time(fast, 300) == "2.0 ms" and compare.fmt_mem(fast) == "< 0.1 MB"
    assert compare.fmt_time(slow, 300) == "12.00 s" and compare.fmt_mem(slow) == "1234 MB"
    assert compare.fmt_ratio(fast, slow, 300) == "6000.0x"
    timeout = compare.Outcome(status="timeout")
    assert compare.fmt_time(timeout, 300) == "> 300 s (timeout)"
    assert compare.fmt_ratio(fast, timeout, 300) == "> 150000x"
    assert compare.fmt_time(compare.Outcome(status="not available"), 300) == "not available"
