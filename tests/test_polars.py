"""polars DataFrame and Series in, polars out: every method and every estimator class.

The polars result of a call equals the pandas result and the NumPy result of the same call
(values, row order, indices), with the same column names and the same dtype rules: float
columns keep their dtype, integer columns of synthetic output become Float64, categorical,
Enum and text columns of smotenc/smoten keep theirs, and y comes back a Series with its name
and dtype. polars is optional: ``import resamplekit`` never imports it, and polars input works
without pandas installed.
"""
import inspect
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import resamplekit as rk

pl = pytest.importorskip("polars")

ROOT = pathlib.Path(__file__).resolve().parent.parent
N_MAJ, N_MIN = 90, 30

# pandas dtype name of each polars dtype of the test frames (how the pandas call sees it)
PANDAS_DTYPE = {pl.Float64: "float64", pl.Float32: "float32", pl.Int64: "int64"}


def _labels():
    return np.array(["maj"] * N_MAJ + ["min"] * N_MIN)


def _numeric_frame(seed=0):
    """Two Gaussian blobs per class (k-means finds clusters), Float64, Float32, Int64."""
    rng = np.random.default_rng(seed)
    n = N_MAJ + N_MIN
    centers = np.r_[np.zeros(N_MAJ), np.full(N_MIN, 1.5)]
    return pl.DataFrame({
        "a": centers + rng.normal(size=n),
        "b": (centers + rng.normal(size=n)).astype(np.float32),
        "i": rng.integers(0, 5, n),
    })


def _mixed_frame(seed=0):
    rng = np.random.default_rng(seed)
    n = N_MAJ + N_MIN
    return _numeric_frame(seed).with_columns(
        pl.Series("c", rng.choice(["u", "v", "w"], n)).cast(pl.Categorical),
        pl.Series("e", rng.choice(["u", "v"], n)).cast(pl.Enum(["v", "u", "z"])),
        pl.Series("s", rng.choice(["p", "q"], n)),
    )


def _categorical_frame(seed=0):
    rng = np.random.default_rng(seed)
    n = N_MAJ + N_MIN
    return pl.DataFrame({
        "c": pl.Series(rng.choice(["u", "v", "w"], n)).cast(pl.Categorical),
        "e": pl.Series(rng.choice(["u", "v"], n)).cast(pl.Enum(["v", "u", "z"])),
        "s": rng.choice(["p", "q", "r"], n),
    })


def _case(name):
    """(polars X, kwargs) for the method ``name``."""
    params = inspect.signature(getattr(rk, name)).parameters
    kwargs = {"random_state": 0} if "random_state" in params else {}
    if name == "smotenc":
        return _mixed_frame(), {**kwargs, "categorical_features": [3, 4, 5]}
    if name == "smoten":
        return _categorical_frame(), kwargs
    if name == "kmeans_smote":
        kwargs.update(kmeans_estimator=3, cluster_balance_threshold=0.1)
    return _numeric_frame(), kwargs


def _to_pandas(X):
    pd = pytest.importorskip("pandas")
    cols = {}
    for name, dt in X.schema.items():
        values = X.get_column(name).to_numpy()
        if isinstance(dt, (pl.Categorical, pl.Enum)):
            cats = dt.categories.to_list() if isinstance(dt, pl.Enum) else None
            cols[name] = pd.Categorical(values, categories=cats)
        else:
            cols[name] = values
    return pd.DataFrame(cols)


def _to_numpy(X):
    """What the NumPy call gets: floats for numeric frames, objects for mixed ones."""
    if all(dt.is_numeric() for dt in X.dtypes):
        return X.to_numpy().astype(np.float64)
    return np.column_stack([X.get_column(c).to_numpy().astype(object) for c in X.columns])


def _column_values(col):
    return col.to_numpy().astype(object).tolist() if not col.dtype.is_numeric() else col.to_numpy()


def _assert_same_rows(X_pl, other):
    """polars result X_pl holds the values of ``other`` (pandas frame or ndarray), column by
    column (floats exactly)."""
    assert X_pl.shape == other.shape
    for j, name in enumerate(X_pl.columns):
        got = X_pl.get_column(name)
        ref = other.iloc[:, j].to_numpy() if hasattr(other, "iloc") else other[:, j]
        if got.dtype.is_numeric():
            # an ndarray result is float64 throughout; a frame's column keeps its dtype
            values = got.to_numpy()
            np.testing.assert_array_equal(values, np.asarray(ref).astype(values.dtype),
                                          err_msg=name)
        else:
            assert got.to_list() == [str(v) for v in ref], name


@pytest.mark.parametrize("name", rk.__all__)
def test_polars_result_equals_pandas_and_numpy(name):
    pd = pytest.importorskip("pandas")
    X, kwargs = _case(name)
    y = pl.Series("label", _labels())
    X_before, y_before = X.clone(), y.clone()
    fn = getattr(rk, name)
    X_pl, y_pl, idx_pl = fn(X, y, return_indices=True, **kwargs)[:3]
    X_pd, y_pd, idx_pd = fn(_to_pandas(X), pd.Series(_labels(), name="label"),
                            return_indices=True, **kwargs)[:3]
    X_np, y_np, idx_np = fn(_to_numpy(X), _labels(), return_indices=True, **kwargs)[:3]

    assert isinstance(X_pl, pl.DataFrame) and isinstance(y_pl, pl.Series)
    assert X_pl.columns == X.columns
    assert y_pl.name == "label" and y_pl.dtype == pl.String
    np.testing.assert_array_equal(idx_pl, idx_pd)
    np.testing.assert_array_equal(idx_pl, idx_np)
    assert y_pl.to_list() == y_pd.tolist() == y_np.tolist()
    _assert_same_rows(X_pl, X_pd)
    _assert_same_rows(X_pl, X_np)
    # dtypes: those of the pandas result, column for column
    for (col, dt), pd_dt in zip(X_pl.schema.items(), X_pd.dtypes):
        if dt in PANDAS_DTYPE:
            assert PANDAS_DTYPE[dt] == str(pd_dt), (col, dt, pd_dt)
        else:
            assert dt == X.schema[col], (col, dt)  # categorical, Enum, text: as given
    # row pickers keep every dtype; synthetic rows make the integer column Float64
    synthetic = bool((idx_pl < 0).any())
    assert X_pl.schema["a" if "a" in X.columns else "c"] == X.schema[X.columns[0]]
    if "i" in X.columns:
        assert X_pl.schema["i"] == (pl.Float64 if synthetic or name == "cluster_centroids"
                                    else pl.Int64)
        assert X_pl.schema["b"] == pl.Float32
    assert X.equals(X_before) and y.equals(y_before)  # inputs unmodified


@pytest.mark.parametrize("name", ["smote", "adasyn", "tomek_links", "cluster_centroids",
                                  "random_over"])
def test_float32_frame_stays_float32(name):
    X = _numeric_frame().select("b", (pl.col("a") * 2).cast(pl.Float32).alias("a2"))
    y = _labels()
    kwargs = {"random_state": 0} if name != "tomek_links" else {}
    if name == "random_over":
        kwargs["shrinkage"] = 0.5
    X_res, y_res = getattr(rk, name)(X, y, **kwargs)
    X_ref, y_ref = getattr(rk, name)(X.to_numpy(), y, **kwargs)
    assert X_ref.dtype == np.float32
    assert X_res.schema == X.schema
    np.testing.assert_array_equal(X_res.to_numpy(), X_ref)
    assert isinstance(y_res, np.ndarray)  # y in NumPy comes back in NumPy
    np.testing.assert_array_equal(y_res, y_ref)


def test_single_column_frame():
    # polars hands out a single column without a copy (read-only): the kernels only read it
    X = _numeric_frame().select("a")
    X_res, _ = rk.smote(X, _labels(), random_state=0)
    X_ref, _ = rk.smote(X.to_numpy(), _labels(), random_state=0)
    np.testing.assert_array_equal(X_res.to_numpy(), X_ref)


def test_container_mixes_follow_the_pandas_rules():
    pd = pytest.importorskip("pandas")
    X = _numeric_frame()
    labels = _labels()
    X_res, y_res = rk.smote(X, labels, random_state=0)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, np.ndarray)
    X_res, y_res = rk.smote(X.to_numpy(), pl.Series("t", labels), random_state=0)
    assert isinstance(X_res, np.ndarray) and isinstance(y_res, pl.Series) and y_res.name == "t"
    X_res, y_res = rk.random_under(X, pd.Series(labels, name="t"), random_state=0)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pd.Series)
    assert y_res.index.equals(pd.RangeIndex(len(y_res)))
    X_res, y_res = rk.random_under(_to_pandas(X), pl.Series("t", labels), random_state=0)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pl.Series)
    X_res, y_res = rk.random_over(X, labels.tolist(), random_state=0)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, list)


@pytest.mark.parametrize("y_dtype", [pl.Int8, pl.UInt32, pl.Boolean, pl.Categorical,
                                     pl.Enum(["min", "maj", "other"]), pl.String])
def test_label_dtypes_kept(y_dtype):
    labels = _labels()
    if y_dtype in (pl.Int8, pl.UInt32, pl.Boolean):
        y = pl.Series("lab", labels == "min").cast(y_dtype)
    else:
        y = pl.Series("lab", labels).cast(y_dtype)
    y_before = y.clone()
    X = _numeric_frame()
    for fn in (rk.smote, rk.random_under, rk.tomek_links):
        kwargs = {} if fn is rk.tomek_links else {"random_state": 0}
        _, y_res, idx = fn(X, y, return_indices=True, **kwargs)
        assert y_res.dtype == y.dtype and y_res.name == "lab"
        kept = idx >= 0
        assert y_res.filter(pl.Series(kept)).to_list() == y.gather(idx[kept]).to_list()
    assert y.equals(y_before)


def test_row_pickers_take_any_column():
    rng = np.random.default_rng(0)
    n = N_MAJ + N_MIN
    X = pl.DataFrame({
        "x": rng.normal(size=n),
        "k": pl.Series(rng.integers(0, 5, n)).cast(pl.Int16),
        "s": rng.choice(["a", "b", None], n),
        "t": pl.datetime_range(pl.datetime(2020, 1, 1), pl.datetime(2020, 1, 1) +
                               pl.duration(days=n - 1), "1d", eager=True),
        "null": pl.Series(np.where(rng.random(n) < 0.3, None, 1.0).tolist(), dtype=pl.Float64),
        "l": [[i, i + 1] for i in range(n)],
        "cat": pl.Series(rng.choice(["u", "v"], n)).cast(pl.Categorical),
    })
    y = pl.Series("label", _labels())
    for fn in (rk.random_under, rk.random_over):
        X_res, y_res, idx = fn(X, y, random_state=4, return_indices=True)
        assert X_res.schema == X.schema
        assert X_res.equals(X[idx])
        assert y_res.to_list() == y.gather(idx).to_list()
        X_res2, _ = fn(X, y, random_state=4, replacement=True) if fn is rk.random_under \
            else (X_res, None)
        assert X_res2.schema == X.schema


def test_smotenc_auto_finds_categorical_and_enum_columns():
    X = _mixed_frame().drop("s")
    y = pl.Series("label", _labels())
    X_auto, y_auto = rk.smotenc(X, y, categorical_features="auto", random_state=0)
    X_named, _ = rk.smotenc(X, y, categorical_features=["c", "e"], random_state=0)
    assert X_auto.equals(X_named)
    assert X_auto.schema["e"] == pl.Enum(["v", "u", "z"])  # the categories, unused one kept
    assert set(X_auto.get_column("c").to_list()) <= {"u", "v", "w"}
    assert X_auto.schema["i"] == pl.Float64 and X_auto.schema["b"] == pl.Float32


def test_bad_numeric_input_names_the_column_as_for_pandas():
    pd = pytest.importorskip("pandas")
    X = _numeric_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("b")).alias("b"))
    y = _labels()
    with pytest.raises(ValueError) as pl_err:
        rk.smote(X, y)
    with pytest.raises(ValueError) as pd_err:
        rk.smote(_to_pandas(X), y)
    assert str(pl_err.value) == str(pd_err.value)
    assert "first at row 7, column 1 'b'" in str(pl_err.value)

    X = _numeric_frame().with_columns(pl.Series("s", ["x"] * len(y)))
    with pytest.raises(TypeError, match=r"X has non-numeric columns: 's' \(String\)") as pl_err:
        rk.tomek_links(X, y)
    with pytest.raises(TypeError) as pd_err:
        rk.tomek_links(_to_pandas(X), y)
    assert str(pl_err.value).split("'s'")[0] == str(pd_err.value).split("'s'")[0]

    X = _numeric_frame().with_columns(pl.Series("d", [1] * len(y)).cast(pl.Date))
    with pytest.raises(TypeError, match=r"non-numeric columns: 'd' \(Date\)"):
        rk.smote(X, y)


def test_smotenc_null_in_categorical_column_is_named():
    X = _mixed_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("s")).alias("s"))
    with pytest.raises(ValueError, match=r"categorical column 's' contains missing values"):
        rk.smotenc(X, _labels(), categorical_features=["c", "e", "s"])


def test_polars_y_frame_is_rejected_by_functions_with_a_hint():
    with pytest.raises(ValueError, match=r"y.to_series\(0\)"):
        rk.smote(_numeric_frame(), pl.DataFrame({"y": _labels()}))


# ------------------------------------------------------------------------------ estimators
E = pytest.importorskip("resamplekit.estimators")


def _estimator(name):
    cls = getattr(E, name)
    params = inspect.signature(cls).parameters
    kwargs = {"random_state": 0} if "random_state" in params else {}
    if name == "SMOTENC":
        kwargs["categorical_features"] = [3, 4, 5]
    if name == "KMeansSMOTE":
        kwargs.update(kmeans_estimator=3, cluster_balance_threshold=0.1)
    return cls(**kwargs)


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("name", E.__all__)
def test_estimators_fit_resample_polars(name):
    X = {"SMOTENC": _mixed_frame(), "SMOTEN": _categorical_frame()}.get(name, _numeric_frame())
    y = pl.Series("label", _labels())
    est = _estimator(name)
    X_res, y_res = est.fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and X_res.columns == X.columns
    assert isinstance(y_res, pl.Series) and y_res.name == "label"
    assert est.feature_names_in_.tolist() == X.columns
    ref = _estimator(name)
    X_ref, y_ref = ref.fit_resample(_to_numpy(X), _labels())
    np.testing.assert_array_equal(est.sample_indices_, ref.sample_indices_)
    assert y_res.to_list() == y_ref.tolist()
    _assert_same_rows(X_res, X_ref)


def test_estimator_y_as_one_column_polars_frame():
    X = _numeric_frame()
    y = pl.DataFrame({"label": _labels()})
    X_res, y_res = E.RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert isinstance(y_res, pl.DataFrame) and y_res.schema == y.schema
    assert y_res.shape == (2 * N_MIN, 1)


def test_imblearn_pipeline_with_polars_frame():
    pipeline = pytest.importorskip("imblearn.pipeline")
    from sklearn.linear_model import LogisticRegression

    X, y = _numeric_frame(), pl.Series("label", _labels())
    pipe = pipeline.make_pipeline(E.SMOTE(random_state=0), LogisticRegression())
    pipe.fit(X, y)
    pred = pipe.predict(X)
    ref = pipeline.make_pipeline(E.SMOTE(random_state=0), LogisticRegression())
    ref.fit(X.to_numpy(), _labels())
    assert np.asarray(pred).tolist() == ref.predict(X.to_numpy()).tolist()
    assert pipe[0].feature_names_in_.tolist() == X.columns


# ----------------------------------------------------------------------- optional imports
def _run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_resamplekit_does_not_import_polars():
    code = """
import sys
import numpy as np
import resamplekit as rk
rng = np.random.default_rng(0)
rk.smote(rng.normal(size=(40, 2)), np.r_[np.zeros(30, int), np.ones(10, int)])
print(sorted(m for m in sys.modules if m.split(".")[0] == "polars"))
"""
    assert _run(code) == "[]"


def test_polars_works_without_pandas():
    code = """
import sys
sys.modules["pandas"] = None  # `import pandas` fails, as when it is not installed
import numpy as np
import polars as pl
import resamplekit as rk
rng = np.random.default_rng(0)
X = pl.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60).astype(np.float32),
                  "c": pl.Series(rng.choice(["u", "v"], 60)).cast(pl.Categorical)})
y = pl.Series("label", ["maj"] * 45 + ["min"] * 15)
num = X.select("a", "b")
out = [rk.smote(num, y, random_state=0), rk.random_under(X, y, random_state=0),
       rk.tomek_links(num, y), rk.smotenc(X, y, categorical_features="auto", random_state=0),
       rk.smoten(X.select("c"), y, random_state=0)]
from resamplekit.estimators import SMOTE
out.append(SMOTE(random_state=0).fit_resample(num, y))
for X_res, y_res in out:
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series), type(X_res)
assert out[0][0].schema["b"] == pl.Float32 and out[3][0].schema["c"] == pl.Categorical
assert sys.modules["pandas"] is None
print("ok")
"""
    assert _run(code) == "ok"
