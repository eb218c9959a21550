"""Provenance of output rows (``return_provenance=True``, estimators' ``provenance_``).

- Every public function returns one record per output row, last, of dtype PROVENANCE_DTYPE.
- Kept rows (step 'input') are the rows of ``return_indices`` and equal ``X[row]``.
- SMOTE-family rows recompute exactly from their record and X (float32 and float64), in the
  kernel's arithmetic; smotenc's continuous columns too; smoten's rows are votes.
- The flag combines with ``return_indices`` (and RENN's ``return_n_iter``), is validated,
  works for pandas input, and the estimators' ``provenance_`` is the function's record.
"""
import inspect

import numpy as np
import pytest

import resamplekit as rk
from resamplekit._provenance import PROVENANCE_DTYPE, STEPS

from conftest import method_data

FUNCTIONS = sorted(rk.__all__)
SMOTE_FAMILY = ["smote", "borderline_smote", "svm_smote", "kmeans_smote", "adasyn",
                "smote_tomek", "smote_enn"]
_data = method_data


def _call(name, X, y, kwargs, **flags):
    return getattr(rk, name)(X, y, **kwargs, **flags)


def _recompute(X, rec):
    """The kernel's formula: float64 arithmetic, rounded once to X's dtype."""
    x = X[rec["row"]].astype(np.float64)
    xn = X[rec["neighbor"]].astype(np.float64)
    diff = rec["scale"][:, None] * (xn - x)
    return (x + rec["gap"][:, None] * diff).astype(X.dtype)


# ---------------------------------------------------------------------------- every function


def test_every_public_function_takes_the_flag_keyword_only_after_the_others():
    for name in FUNCTIONS:
        params = inspect.signature(getattr(rk, name)).parameters
        p = params["return_provenance"]
        assert p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is False, name
        assert list(params)[-1] == "return_provenance", name


@pytest.mark.parametrize("name", FUNCTIONS)
def test_one_record_per_output_row_and_kept_rows_are_the_indices(name):
    X, y, kwargs = _data(name)
    X_res, y_res, idx, rec = _call(name, X, y, kwargs, return_indices=True,
                                   return_provenance=True)
    assert isinstance(rec, np.ndarray) and rec.dtype == PROVENANCE_DTYPE
    assert len(rec) == len(y_res) == len(X_res) == len(idx)
    assert set(np.unique(rec["step"])) <= set(STEPS)
    kept = rec["step"] == "input"
    assert np.array_equal(rec["row"][kept], idx[kept])
    assert (rec["neighbor"][kept] == -1).all() and (rec["gap"][kept] == 0).all()
    X_res = np.asarray(X_res)
    assert np.array_equal(X_res[kept], X[rec["row"][kept]])
    assert np.array_equal(np.asarray(y_res)[kept], y[rec["row"][kept]])
    # rows made by a method are the -1 rows of return_indices (a smoothed row names its draw)
    made = np.isin(rec["step"], ["synthetic", "vote", "over-sampling"])
    assert (idx[made] == -1).all()
    assert ((rec["step"] == "input") | made | np.isin(rec["step"], ["smoothed", "centroid"])).all()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_flag_combinations_and_default_results_unchanged(name):
    X, y, kwargs = _data(name)
    plain = _call(name, X, y, kwargs)
    assert len(plain) == 2
    only = _call(name, X, y, kwargs, return_provenance=True)
    both = _call(name, X, y, kwargs, return_provenance=True, return_indices=True)
    other_order = _call(name, X, y, kwargs, return_indices=True, return_provenance=True)
    indexed = _call(name, X, y, kwargs, return_indices=True)
    assert len(only) == 3 and len(both) == 4
    for out in (only, both, other_order):
        assert np.array_equal(np.asarray(out[0]), np.asarray(plain[0]))
        assert np.array_equal(np.asarray(out[1]), np.asarray(plain[1]))
    for field in ("row", "neighbor", "gap", "scale", "step"):
        a, b, c = only[2][field], both[3][field], other_order[3][field]
        nan = field in ("gap", "scale")
        assert np.array_equal(a, b, equal_nan=nan) and np.array_equal(b, c, equal_nan=nan)
    assert np.array_equal(both[2], indexed[2])


@pytest.mark.parametrize("value", ["yes", 1, None, 1.0])
@pytest.mark.parametrize("name", ["smote", "random_under", "tomek_links", "smote_enn"])
def test_non_bool_flag_is_rejected_naming_it(name, value):
    X, y, kwargs = _data(name)
    with pytest.raises(TypeError, match=r"return_provenance must be True or False, got"):
        _call(name, X, y, kwargs, return_provenance=value)


def test_numpy_bool_flag_is_accepted():
    X, y, kwargs = _data("smote")
    assert len(_call("smote", X, y, kwargs, return_provenance=np.True_)) == 3
    assert len(_call("smote", X, y, kwargs, return_provenance=np.False_)) == 2


def test_renn_puts_the_record_after_n_iter():
    X, y, _ = _data("repeated_edited_nearest_neighbours")
    out = rk.repeated_edited_nearest_neighbours(X, y, return_indices=True, return_n_iter=True,
                                                return_provenance=True)
    assert len(out) == 5 and isinstance(out[3], int)
    assert np.array_equal(out[4]["row"], out[2])
    out = rk.repeated_edited_nearest_neighbours(X, y, return_n_iter=True,
                                                return_provenance=True)
    assert len(out) == 4 and isinstance(out[2], int) and out[3].dtype == PROVENANCE_DTYPE


# ------------------------------------------------------------------------- SMOTE family


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,extra", [(n, {}) for n in SMOTE_FAMILY]
                         + [("borderline_smote", {"kind": "borderline-2"})])
def test_synthetic_rows_recompute_exactly(name, extra, dtype):
    X, y, kwargs = _data(name, dtype)
    X_res, y_res, rec = _call(name, X, y, {**kwargs, **extra}, return_provenance=True)
    step = "over-sampling" if name in ("smote_tomek", "smote_enn") else "synthetic"
    new = rec["step"] == step
    assert new.any()
    assert set(np.unique(rec["step"])) == {"input", step}
    sub = rec[new]
    assert (sub["row"] >= 0).all() and (sub["neighbor"] >= 0).all()
    assert X_res.dtype == dtype
    assert np.array_equal(X_res[new], _recompute(X, sub))
    # every synthetic row is of its base row's class
    assert np.array_equal(y_res[new], y[sub["row"]])


def test_recompute_fails_for_a_wrong_gap():
    """The exact check can fail: a gap off by one ulp changes rows."""
    X, y, kwargs = _data("smote")
    X_res, _, rec = rk.smote(X, y, **kwargs, return_provenance=True)
    sub = rec[rec["step"] == "synthetic"].copy()
    sub["gap"] = np.nextafter(sub["gap"], 2.0) * 1.001
    assert not np.array_equal(X_res[rec["step"] == "synthetic"], _recompute(X, sub))


def test_gaps_per_variant():
    X, y, kwargs = _data("smote")
    rec = rk.smote(X, y, **kwargs, return_provenance=True)[-1]
    new = rec[rec["step"] == "synthetic"]
    assert ((new["gap"] >= 0) & (new["gap"] < 1)).all() and (new["scale"] == 1).all()
    # SMOTE's neighbours are of the base row's class
    assert np.array_equal(y[new["row"]], y[new["neighbor"]])
    rec = rk.borderline_smote(X, y, kind="borderline-2", **kwargs, return_provenance=True)[-1]
    new = rec[rec["step"] == "synthetic"]
    other = y[new["neighbor"]] != y[new["row"]]
    assert other.any() and (~other).any()
    assert ((new["scale"][other] >= 0) & (new["scale"][other] < 0.5)).all()
    assert (new["scale"][~other] == 1).all()
    rec = rk.svm_smote(X, y, out_step=0.5, **kwargs, return_provenance=True)[-1]
    new = rec[rec["step"] == "synthetic"]
    assert ((new["gap"] > -0.5) & (new["gap"] < 1)).all()
    assert (new["gap"] < 0).any(), "safe support vectors extrapolate: negative gaps"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_smotenc_continuous_columns_recompute_exactly(dtype):
    X, y, kwargs = _data("smotenc", dtype)
    X_res, y_res, rec = rk.smotenc(X, y, **kwargs, return_provenance=True)
    new = rec["step"] == "synthetic"
    assert new.sum() == 40
    cont = [1, 2]
    expected = _recompute(np.ascontiguousarray(X[:, cont]), rec[new])
    assert np.array_equal(np.asarray(X_res, dtype=dtype)[new][:, cont], expected)
    assert np.isin(X_res[new][:, 0], [0.0, 1.0]).all()  # categorical: a vote, not recorded


def test_smoten_rows_are_votes_of_their_base_row():
    X, y, kwargs = _data("smoten")
    X_res, y_res, rec = rk.smoten(X, y, **kwargs, return_provenance=True)
    new = rec[rec["step"] == "vote"]
    assert len(new) == 40
    assert (new["neighbor"] == -1).all() and np.isnan(new["gap"]).all()
    assert np.array_equal(y_res[rec["step"] == "vote"], y[new["row"]])


def test_random_over_copies_and_smoothed_rows():
    X, y, _ = _data("random_over")
    X_res, _, idx, rec = rk.random_over(X, y, random_state=0, return_indices=True,
                                        return_provenance=True)
    assert (rec["step"] == "input").all() and np.array_equal(rec["row"], idx)
    assert np.array_equal(X_res, X[rec["row"]])
    X_res, _, idx, rec = rk.random_over(X, y, shrinkage=0.5, random_state=0,
                                        return_indices=True, return_provenance=True)
    smoothed = rec["step"] == "smoothed"
    assert smoothed.sum() == 40 and (rec["step"][:80] == "input").all()
    assert np.array_equal(rec["row"], idx)
    assert not np.array_equal(X_res[smoothed], X[rec["row"][smoothed]])  # row + noise


def test_cluster_centroids_soft_and_hard_voting():
    X, y, _ = _data("cluster_centroids")
    X_res, _, idx, rec = rk.cluster_centroids(X, y, random_state=0, return_indices=True,
                                              return_provenance=True)
    centroid = rec["step"] == "centroid"
    assert centroid.sum() == 20 and (rec["row"][centroid] == -1).all()
    assert (rec["neighbor"] == -1).all() and np.array_equal(rec["row"], idx)
    # the class left as it is (the minority) keeps its input rows
    assert np.array_equal(X_res[~centroid], X[rec["row"][~centroid]])
    X_res, _, idx, rec = rk.cluster_centroids(X, y, voting="hard", random_state=0,
                                              return_indices=True, return_provenance=True)
    assert (rec["step"] == "input").all() and np.array_equal(rec["row"], idx)
    assert np.array_equal(X_res, X[rec["row"]])


@pytest.mark.parametrize("name", ["smote_tomek", "smote_enn"])
def test_combined_methods_name_the_step_and_survivors(name):
    X, y, kwargs = _data(name)
    X_res, y_res, idx, rec = _call(name, X, y, kwargs, return_indices=True,
                                   return_provenance=True)
    full = rk.smote(X, y, random_state=0, return_provenance=True)[-1]
    made = rec["step"] == "over-sampling"
    assert made.any() and (idx[made] == -1).all()
    # every record is one of the SMOTE step's records (the cleaning step only removes rows)
    pairs = {tuple(r) for r in full[["row", "neighbor", "gap"]].tolist()}
    assert all(tuple(r) in pairs for r in rec[["row", "neighbor", "gap"]].tolist())
    assert len(rec) < len(full)


# ------------------------------------------------------------------- containers, estimators


@pytest.mark.parametrize("name", ["smote", "random_under", "random_over", "smotenc",
                                  "edited_nearest_neighbours", "smote_tomek"])
def test_pandas_input_gives_a_numpy_record(name):
    pd = pytest.importorskip("pandas")
    X, y, kwargs = _data(name)
    Xf = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
    ys = pd.Series(y, name="target")
    X_res, y_res, rec = _call(name, Xf, ys, kwargs, return_provenance=True)
    assert type(rec) is np.ndarray and rec.dtype == PROVENANCE_DTYPE
    assert isinstance(X_res, pd.DataFrame) and len(rec) == len(X_res)
    expected = _call(name, X, y, kwargs, return_provenance=True)[-1]
    assert np.array_equal(rec[["row", "neighbor", "step"]], expected[["row", "neighbor", "step"]])


def _estimator_cases():
    try:
        from resamplekit import estimators
    except ImportError:
        return []
    return sorted(estimators.__all__)


@pytest.mark.parametrize("cls_name", _estimator_cases())
def test_estimator_provenance_is_the_function_record(cls_name):
    from resamplekit import estimators

    cls = getattr(estimators, cls_name)
    params = {}
    if "random_state" in inspect.signature(cls).parameters:
        params["random_state"] = 0
    if cls_name == "SMOTENC":
        params["categorical_features"] = [0]
    name = cls(**params)._spec()[1]
    X, y, _ = _data(name)
    est = cls(**params)
    X_res, y_res = est.fit_resample(X, y)
    rec = est.provenance_
    assert rec.dtype == PROVENANCE_DTYPE and len(rec) == len(y_res)
    kept = rec["step"] == "input"
    assert np.array_equal(rec["row"][kept], est.sample_indices_[kept])
    expected = getattr(rk, name)(X, y, **est._function_kwargs(), return_provenance=True)[-1]
    assert np.array_equal(rec[["row", "neighbor", "step"]], expected[["row", "neighbor", "step"]])
    assert np.array_equal(rec["gap"], expected["gap"], equal_nan=True)


@pytest.mark.parametrize("name", ["smote", "random_under", "tomek_links"])
def test_polars_input_gives_a_numpy_record(name):
    pl = pytest.importorskip("polars")
    X, y, kwargs = _data(name)
    Xf = pl.DataFrame({f"c{j}": X[:, j] for j in range(X.shape[1])})
    X_res, y_res, rec = _call(name, Xf, pl.Series("target", y), kwargs, return_provenance=True)
    assert type(rec) is np.ndarray and rec.dtype == PROVENANCE_DTYPE
    assert isinstance(X_res, pl.DataFrame) and len(rec) == X_res.height
    expected = _call(name, X, y, kwargs, return_provenance=True)[-1]
    assert np.array_equal(rec, expected)


@pytest.mark.parametrize("name", ["smote", "borderline_smote", "adasyn", "kmeans_smote",
                                  "smotenc", "smoten", "random_over"])
def test_nothing_to_add_gives_the_input_records(name):
    X, y, kwargs = _data(name)
    X_res, y_res, rec = _call(name, X, y, {**kwargs, "ratio": {1: 20}}, return_provenance=True)
    assert len(rec) == len(y) == len(y_res)
    assert (rec["step"] == "input").all() and np.array_equal(rec["row"], np.arange(len(y)))


# ------------------------------------------------------------------------- sparse X


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,extra", [(n, {}) for n in SMOTE_FAMILY]
                         + [("borderline_smote", {"kind": "borderline-2"})])
def test_sparse_synthetic_rows_recompute_exactly(name, extra, dtype):
    from scipy import sparse

    X, y, kwargs = _data(name, dtype)
    X = np.where(np.abs(X) < 0.5, 0, X).astype(dtype)  # zeros: CSR rows of different columns
    X_res, y_res, idx, rec = _call(name, sparse.csr_matrix(X), y, {**kwargs, **extra},
                                   return_indices=True, return_provenance=True)
    assert sparse.issparse(X_res) and X_res.format == "csr" and X_res.dtype == dtype
    dense = _call(name, X, y, {**kwargs, **extra}, return_indices=True, return_provenance=True)
    assert np.array_equal(rec, dense[-1]) and np.array_equal(idx, dense[2])
    new = rec["step"] != "input"
    assert np.array_equal(X_res.toarray()[new], _recompute(X, rec[new]))
    kept = ~new
    assert np.array_equal(X_res.toarray()[kept], X[rec["row"][kept]])
