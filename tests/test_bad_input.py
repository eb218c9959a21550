"""Bad-input matrix: every public function and every estimator class against ~35 kinds of bad
input.

Each (target, case) must either raise a ValueError/TypeError whose message names the parameter
and the value given, or give the correct result: layouts and dtypes that only change how X is
stored (read-only memmap, non-contiguous, Fortran order, big-endian, float16) give the result of
the plain array; X scaled by 1e300, 1e-300 or 2**-1000 gives the unscaled result, scaled; one
far outlier cell (1e39) gives the result of the same data with that cell at 1e9, where the
answer provably does not change (see ``_data``). random_under and random_over accept NaN, inf
and non-numeric X by design (they only pick rows).

Crashes are caught: the cases of one target run in one child interpreter, which writes one JSON
line per case; when a child dies, its remaining cases run one per child, so the crashing case
is named. Parameter names come from the signatures (functions: k, enn_k, k_ver3, m, ratio;
estimators: imbalanced-learn's k_neighbors, n_neighbors, m_neighbors, n_neighbors_ver3,
sampling_strategy).
"""
import concurrent.futures
import inspect
import json
import os
import re
import tempfile
import time

import numpy as np
import pytest
from conftest import run_child, sorted_by_first_column


NEIGHBOUR_PARAMS = ("k", "enn_k", "k_ver3", "m", "k_neighbors", "n_neighbors", "m_neighbors",
                    "n_neighbors_ver3")
ROW_PICKERS = {"random_under", "random_over", "RandomUnderSampler", "RandomOverSampler"}
CATEGORICAL = {"smoten", "SMOTEN"}
MIXED = {"smotenc", "SMOTENC"}
# Fitted with scikit-learn estimators whose fit depends on every value of X (SVM, k-means), or
# computed in float32 (the forest of instance_hardness_threshold, where 1e39 overflows or the
# other rows underflow): with a far outlier there is no exact answer to ask for, only a sane
# result or an error naming X.
ESTIMATOR_FITTED = {"svm_smote", "kmeans_smote", "cluster_centroids",
                    "instance_hardness_threshold", "SVMSMOTE", "KMeansSMOTE", "ClusterCentroids",
                    "InstanceHardnessThreshold"}
N_ROWS, OUTLIER, OUTLIER_REF = 60, 1e39, 1e9


def _targets():
    import resamplekit as rk
    from resamplekit import estimators

    return list(rk.__all__) + list(estimators.__all__)


def _is_class(name):
    return name[0].isupper()


def _callable(name):
    import resamplekit as rk

    if _is_class(name):
        from resamplekit import estimators

        return getattr(estimators, name)
    return getattr(rk, name)


def _param_names(name):
    return list(inspect.signature(_callable(name)).parameters)


def _base_params(name):
    params = _param_names(name)
    base = {}
    if "random_state" in params:
        base["random_state"] = 0
    if "categorical_features" in params:
        base["categorical_features"] = [3]
    return base


# --------------------------------------------------------------------------------------------
# Data


def _data(name):
    """~60 rows, 3 classes (30/20/10), no tied distances; rows sorted by column 0, descending.

    The sort makes the far-outlier case decidable: the outlier (the first row of the majority
    class, column 0 pushed to +L) has, for any L >= 1e9, the other rows as neighbours in
    increasing index order (largest column 0 first; 2 * L * the smallest gap in column 0 exceeds
    every difference of the other columns' squared distances), which is also the order float64
    gives at L = 1e39 where those distances tie (ties break by the lower index). So the result
    at 1e39 must equal the result at 1e9.
    """
    rng = np.random.default_rng(12345)
    X, y = sorted_by_first_column(rng, (30, 20, 10))
    if name in MIXED:
        X = np.column_stack([X, rng.integers(0, 3, N_ROWS).astype(float)])
    elif name in CATEGORICAL:
        X = rng.integers(0, 4, size=(N_ROWS, 3)).astype(float)
    return X, y


def _outlier_row(y):
    return int(np.flatnonzero(y == 0)[0])


# --------------------------------------------------------------------------------------------
# Cases: name -> function(target name) -> (X, y, params, expectation) or None (not applicable)
#
# expectations: ("error", names, tokens): ValueError/TypeError naming one of `names` and one
# of `tokens`; ("same", X_ref): the result on X_ref; ("scaled", s): the plain result times s;
# ("outlier", None); ("sane", None): a result with consistent shapes; ("error_or_sane", ...).


def _err(names, *tokens):
    return ("error", list(names), [str(t) for t in tokens])


def _x_case(transform, expect):
    def build(name):
        X, y = _data(name)
        return transform(X, y) + ({}, expect(name))
    return build


def _nan(X, y):
    X = X.copy()
    X[5, 1] = np.nan
    return X, y


def _inf(X, y):
    X = X.copy()
    X[5, 1] = np.inf
    return X, y


def _numeric_only(*tokens, picker="same_rows"):
    """Distance-based methods reject; row pickers accept (the same rows as the plain data)."""
    def expect(name):
        if name in ROW_PICKERS:
            return (picker, None)
        return _err(["X"], *tokens)
    return expect


def _categorical_ok(*tokens, mixed_ok=False):
    """Rejected by numeric methods; smoten takes any category values, and smotenc an object
    table (``mixed_ok``) whose continuous columns hold numbers."""
    def expect(name):
        if name in ROW_PICKERS:
            return ("same_rows", None)
        if name in CATEGORICAL or (mixed_ok and name in MIXED):
            return ("sane", None)
        return _err(["X"], *tokens)
    return expect


def _always(expectation):
    return lambda name: expectation


def _as(dtype):
    return lambda X, y: (X.astype(dtype), y)


CASES = {
    "x_nan": _x_case(_nan, _numeric_only("nan")),
    "x_inf": _x_case(_inf, _categorical_ok("inf")),
    "y_nan": _x_case(lambda X, y: (X, np.where(np.arange(len(y)) == 7, np.nan, y.astype(float))),
                     _always(_err(["y"], "NaN", "nan"))),
    "y_none": _x_case(lambda X, y: (X, np.array([None if i == 7 else v for i, v in enumerate(y)],
                                                 dtype=object)),
                      _always(_err(["y"], "None"))),
    "x_empty": _x_case(lambda X, y: (X[:0], y[:0]), _always(_err(["X", "y"], "(0, ", "0 "))),
    "one_row": _x_case(lambda X, y: (X[:1], y[:1]), _always(_err(["X", "y"], "1 class", "(1, "))),
    "one_class": _x_case(lambda X, y: (X, np.zeros_like(y)), _always(_err(["y"], "1 class"))),
    "x_1d": _x_case(lambda X, y: (X[:, 0], y), _always(_err(["X"], f"({N_ROWS},)"))),
    "x_3d": _x_case(lambda X, y: (np.stack([X, X], axis=2), y),
                    _always(_err(["X"], f"({N_ROWS}, "))),
    "length_mismatch": _x_case(lambda X, y: (X, y[:-1]),
                               _always(_err(["X", "y"], f"{N_ROWS - 1}"))),
    "x_object": _x_case(lambda X, y: (X.astype(object), y),
                        _categorical_ok("object", mixed_ok=True)),
    "x_string": _x_case(lambda X, y: (X.astype(str), y), _categorical_ok("<U", "str")),
    "x_complex": _x_case(lambda X, y: (X.astype(complex), y), _categorical_ok("complex")),
    "x_datetime": _x_case(
        lambda X, y: ((X * 1e3).astype(np.int64).astype("datetime64[s]"), y),
        _categorical_ok("datetime64")),
    "y_2d": _x_case(lambda X, y: (X, np.column_stack([y, y])),
                    _always(_err(["y"], f"({N_ROWS}, 2)"))),
    "x_memmap_readonly": None,  # built in the child (needs a file)
    "x_noncontiguous": _x_case(lambda X, y: (np.repeat(X, 2, axis=1)[:, ::2], y),
                               lambda name: ("same", None)),
    "x_fortran": _x_case(lambda X, y: (np.asfortranarray(X), y), lambda name: ("same", None)),
    "x_reversed_view": _x_case(lambda X, y: (X[::-1][::-1], y), lambda name: ("same", None)),
    "x_bigendian": _x_case(lambda X, y: (X.astype(">f8"), y), lambda name: ("same", None)),
    "x_float16": _x_case(lambda X, y: (X.astype(np.float16), y),
                         lambda name: ("same_as", "float16")),
    "x_times_1e300": _x_case(lambda X, y: (X * 1e300, y), lambda name: ("scaled", 1e300)),
    "x_times_1e-300": _x_case(lambda X, y: (X * 1e-300, y), lambda name: ("scaled", 1e-300)),
    "x_times_2**-1000": _x_case(lambda X, y: (X * 2.0**-1000, y),
                                lambda name: ("scaled", 2.0**-1000)),
    "x_far_outlier": None,  # built below (needs y)
}


def _outlier_case(name):
    X, y = _data(name)
    X = X.copy()
    X[_outlier_row(y), 0] = OUTLIER
    if name in ESTIMATOR_FITTED:
        return X, y, {}, ("error_or_sane", ["X"])
    return X, y, {}, ("outlier", None)


CASES["x_far_outlier"] = _outlier_case


def _param_case(role, value, tokens, lenient=()):
    """A bad value for every parameter of one role; returns a list of cases. Parameters in
    ``lenient`` may also give a sane result."""
    def build(name):
        params = _param_names(name)
        if role == "neighbours":
            names = [p for p in params if p in NEIGHBOUR_PARAMS]
        elif role == "ratio":
            names = [p for p in params if p in ("ratio", "sampling_strategy")]
        else:
            names = [p for p in params if p == role]
        out = []
        for p in names:
            X, y = _data(name)
            if tokens and p not in lenient:
                expect = _err([p], *tokens)
            else:
                expect = ("error_or_sane", [p], [str(value)])
            out.append((p, X, y, {p: value}, expect))
        return out
    return build


PARAM_CASES = {
    "k_0": _param_case("neighbours", 0, ["got 0", "Got 0"]),
    "k_-1": _param_case("neighbours", -1, ["-1"]),
    "k_2.5": _param_case("neighbours", 2.5, ["2.5"]),
    "k_str": _param_case("neighbours", "3", ["'3'"]),
    "k_True": _param_case("neighbours", True, ["True"]),
    # larger than the two smaller classes (20 and 10 rows), smaller than the data set
    "k_25_larger_than_a_class": _param_case("neighbours", 25, None),
    # k_ver3 / n_neighbors_ver3 serve version 3 only (ignored at the default version 1)
    "k_1000_larger_than_data": _param_case("neighbours", 1000, ["1000"],
                                           lenient=("k_ver3", "n_neighbors_ver3")),
    "ratio_unknown_string": _param_case("ratio", "bogus", ["'bogus'"]),
    "ratio_float_multiclass": _param_case("ratio", 0.5, ["0.5"]),
    "ratio_dict_unknown_label": _param_case("ratio", {99: 5}, ["99"]),
    "ratio_negative_count": _param_case("ratio", {2: -5}, ["-5"]),
    "random_state_str": _param_case("random_state", "seed", ["'seed'"]),
    "random_state_negative": _param_case("random_state", -1, ["-1"]),
    "random_state_float": _param_case("random_state", 2.5, ["2.5"]),
    "n_jobs_0": _param_case("n_jobs", 0, ["0"]),
    "n_jobs_float": _param_case("n_jobs", 1.5, ["1.5"]),
}


def case_ids(name):
    """Every case id of one target, in order."""
    ids = []
    for case, build in CASES.items():
        ids.append(case)
    for case, build in PARAM_CASES.items():
        ids.extend(f"{case}[{p}]" for p, *_ in build(name))
    return ids


# --------------------------------------------------------------------------------------------
# Child: run the cases of one target, one JSON line per case


_REF_CACHE = {}


def _ref(name, X, y, params, key):
    """``_run`` of a reference input, cached per child by (key, params)."""
    k = (name, key, repr(sorted(params.items())))
    if k not in _REF_CACHE:
        _REF_CACHE[k] = _run(name, X, y, params)
    return _REF_CACHE[k]


def _run(name, X, y, params):
    """(X_res, y_res, indices or None)."""
    kwargs = {**_base_params(name), **params}
    if _is_class(name):
        cls = _callable(name)
        args = {}
        if "categorical_features" in kwargs:
            args["categorical_features"] = kwargs.pop("categorical_features")
        est = cls(**args, **kwargs)
        X_res, y_res = est.fit_resample(X, y)
        return X_res, y_res, getattr(est, "sample_indices_", None)
    X_res, y_res, idx = _callable(name)(X, y, return_indices=True, **kwargs)
    return X_res, y_res, idx


def _sane(X, y, out):
    X_res, y_res, idx = out
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)
    assert X_res.ndim == 2 and X_res.shape[1] == np.asarray(X).shape[1], X_res.shape
    assert len(X_res) == len(y_res), "X_res and y_res lengths differ"
    assert set(y_res.tolist()) <= set(np.asarray(y).tolist()), "labels not in y"
    if X_res.dtype.kind == "f" and np.asarray(X).dtype.kind == "f":
        assert np.isfinite(X_res).all() or not np.isfinite(X).all(), "non-finite rows"
    if idx is not None:
        assert len(idx) == len(y_res), "indices and y_res lengths differ"


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def _equal(out, ref, *, scale=1.0, mask_value=None, ref_mask_value=None):
    X_res, y_res, idx = out
    X_ref, y_ref, idx_ref = ref
    assert np.array_equal(np.asarray(y_res), np.asarray(y_ref)), "labels differ"
    if idx is not None or idx_ref is not None:
        assert np.array_equal(np.asarray(idx), np.asarray(idx_ref)), "selected indices differ"
    a, b = np.asarray(X_res), np.asarray(X_ref)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    if a.dtype.kind not in "fiub" or b.dtype.kind not in "fiub":
        assert np.array_equal(a, b), "rows differ"
        return
    a, b = _f64(a), _f64(b) * scale
    if mask_value is not None:
        a = np.where(a == mask_value, 0.0, a)
        b = np.where(b == ref_mask_value, 0.0, b)
    atol = 1e-12 * np.abs(b).max()
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=atol, err_msg="rows differ")


def _check(name, case, X, y, params, expect, tmpdir):
    X_copy = X.copy() if isinstance(X, np.ndarray) else X
    try:
        out = _run(name, X, y, params)
    except (ValueError, TypeError) as exc:
        out = exc
    except Exception as exc:  # any other exception is a failure
        return f"FAIL: {type(exc).__name__}: {exc}"
    kind = expect[0]
    if isinstance(out, Exception):
        msg = str(out)
        if kind not in ("error", "error_or_sane"):
            return f"FAIL: expected a result, got {type(out).__name__}: {msg}"
        names = expect[1]
        tokens = expect[2] if len(expect) > 2 else None
        if not any(re.search(rf"(?<![A-Za-z_]){re.escape(n)}(?![A-Za-z_])", msg)
                   for n in names):
            return f"FAIL: message does not name {names}: {msg}"
        if tokens and not any(t.lower() in msg.lower() for t in tokens):
            return f"FAIL: message does not show the value (one of {tokens}): {msg}"
        return "ok"
    if kind == "error":
        return f"FAIL: expected an error naming {expect[1]}, got a result"
    if isinstance(X, np.ndarray) and X.dtype.kind != "O" and not np.array_equal(
            X, X_copy, equal_nan=X.dtype.kind in "fc"):
        return "FAIL: input X was modified"
    try:
        _sane(X, y, out)
        X0, y0 = _data(name)
        if kind in ("same", "same_rows"):
            ref = _ref(name, X0, y0, params, "plain")
            if kind == "same":
                _equal(out, ref)
            else:  # row pickers on non-numeric X: the same rows, taken from this X
                assert np.array_equal(np.asarray(out[1]), np.asarray(ref[1])), "labels differ"
                if out[2] is not None:
                    assert np.array_equal(out[2], ref[2]), "selected indices differ"
        elif kind == "same_as":
            ref = _ref(name, X0.astype(expect[1]).astype(np.float64), y0, params, expect[1])
            _equal(out, ref)
        elif kind == "scaled":
            ref = _ref(name, X0, y0, params, "plain")
            _equal(out, ref, scale=expect[1])
        elif kind == "outlier":
            X_ref = X0.copy()
            X_ref[_outlier_row(y0), 0] = OUTLIER_REF
            ref = _run(name, X_ref, y0, params)
            _equal(out, ref, mask_value=OUTLIER, ref_mask_value=OUTLIER_REF)
    except AssertionError as exc:
        return f"FAIL: {str(exc).strip()[:600]}"
    return "ok"


def _build(name, case, tmpdir):
    """(X, y, params, expectation) of one case id."""
    if case == "x_memmap_readonly":
        X, y = _data(name)
        path = os.path.join(tmpdir, f"{name}.npy")
        np.save(path, X)
        return np.load(path, mmap_mode="r"), y, {}, ("same", None)
    if case in CASES:
        return CASES[case](name)
    base, p = re.fullmatch(r"(.*)\[(.*)\]", case).groups()
    for q, X, y, params, expect in PARAM_CASES[base](name):
        if q == p:
            return X, y, params, expect
    raise KeyError(case)


def child_main(todo_path, out_path):
    import warnings

    warnings.simplefilter("ignore")
    with open(todo_path) as f:
        pairs = json.load(f)
    with tempfile.TemporaryDirectory() as tmpdir, open(out_path, "a") as out:
        for name, case in pairs:
            X, y, params, expect = _build(name, case, tmpdir)
            start = time.perf_counter()
            verdict = _check(name, case, X, y, params, expect, tmpdir)
            seconds = round(time.perf_counter() - start, 3)
            out.write(json.dumps({"target": name, "case": case, "verdict": verdict,
                                  "seconds": seconds}) + "\n")
            out.flush()


# --------------------------------------------------------------------------------------------
# Parent: two children share the cases; a crashed child's first unfinished case runs alone


def _spawn(pairs, tmpdir, tag):
    proc, records = run_child("test_bad_input", pairs, tmpdir, tag)
    return proc, {(r["target"], r["case"]): r["verdict"] for r in records}


def run_pairs(pairs, tmpdir, tag):
    """Verdicts of (target, case) pairs. A child that dies leaves the pairs after the last
    one written: the first of them runs alone (named as the crash if it dies again), the rest
    go on in a new child."""
    results = {}
    for attempt in range(len(pairs)):
        todo = [p for p in pairs if p not in results]
        if not todo:
            break
        proc, got = _spawn(todo, tmpdir, f"{tag}.{attempt}")
        results.update(got)
        if proc.returncode != 0:
            first = next((p for p in todo if p not in results), None)
            if first is None:
                break
            alone, got = _spawn([first], tmpdir, f"{tag}.{attempt}.alone")
            results[first] = got.get(first) or (
                f"FAIL: crashed (child return code {alone.returncode}): "
                f"{alone.stderr.strip()[-300:]}")
    return results


@pytest.fixture(scope="module")
def matrix():
    pairs = _all_ids()
    halves = [pairs[0::2], pairs[1::2]]
    with tempfile.TemporaryDirectory() as tmpdir:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(lambda i: run_pairs(halves[i], tmpdir, f"part{i}"), [0, 1]))
    return {**parts[0], **parts[1]}


def _all_ids():
    return [(t, c) for t in _targets() for c in case_ids(t)]


_IDS = None


def test_matrix_is_complete():
    kinds = set(CASES) | set(PARAM_CASES)
    assert len(kinds) >= 30
    import resamplekit as rk
    from resamplekit import estimators

    assert set(_targets()) == set(rk.__all__) | set(estimators.__all__)


@pytest.mark.parametrize("target,case", _all_ids(), ids=[f"{t}-{c}" for t, c in _all_ids()])
def test_bad_input(matrix, target, case):
    verdict = matrix.get((target, case), "FAIL: no result")
    assert verdict == "ok", verdict
