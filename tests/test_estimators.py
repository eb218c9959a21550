"""The imbalanced-learn compatible classes (resamplekit.estimators).

Every class is checked with imbalanced-learn's own sampler checks and parameter-validation
check, in scikit-learn and imbalanced-learn pipelines, grid searches and pickles, and against
imbalanced-learn's class (same sampling_strategy_, same pipeline predictions for the methods
whose functions promise identical output). A class whose function is not in this build of
resamplekit is skipped.

Checks expected to fail, and why: EXPECTED_FAILED below (run as non-strict xfail).
"""
import doctest
import functools
import inspect
import pickle
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from conftest import classification

pytest.importorskip("imblearn")

import imblearn  # noqa: E402
from imblearn.over_sampling.base import BaseOverSampler  # noqa: E402
from imblearn.pipeline import Pipeline as ImbPipeline  # noqa: E402
from imblearn.pipeline import make_pipeline as imb_make_pipeline  # noqa: E402
from imblearn.under_sampling.base import BaseCleaningSampler, BaseUnderSampler  # noqa: E402
from imblearn.utils import estimator_checks as imb_checks  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_validate  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402

from resamplekit import estimators as rke  # noqa: E402

ALL = rke.__all__


def _available(name):
    module, function, _, _ = rke._PARAMETERS[name]
    try:
        rke._public_function(module, function)
    except NotImplementedError:
        return False
    return True


def _require(name):
    if not _available(name):
        pytest.skip(f"resamplekit.{rke._PARAMETERS[name][1]} is not in this build yet")


def _make(name, **params):
    """An instance as imbalanced-learn's test suite builds it (its INIT_PARAMS)."""
    cls = getattr(rke, name)
    defaults = {"SMOTENC": {"categorical_features": [0], "random_state": 42},
                "KMeansSMOTE": {"random_state": 0},
                # 5 trees instead of 100, as imbalanced-learn's checks cap n_estimators at 5.
                "InstanceHardnessThreshold": {"random_state": 42, "estimator":
                                              RandomForestClassifier(5, random_state=0)},
                }.get(name, {})
    if not defaults and "random_state" in inspect.signature(cls).parameters:
        defaults = {"random_state": 42}
    return cls(**{**defaults, **params})


def _checking_instances():
    """(id, instance) pairs for the check suite, NearMiss in its three versions."""
    out = []
    for name in ALL:
        if name == "NearMiss":
            out += [(f"NearMiss-v{v}", _make(name, version=v)) for v in (1, 2, 3)]
        else:
            out.append((name, _make(name)))
    for _, est in out:
        # As imbalanced-learn's _set_checking_parameters.
        if type(est).__name__ == "ClusterCentroids":
            est.set_params(voting="soft",
                           estimator=KMeans(random_state=0, algorithm="lloyd", n_init=1))
        if type(est).__name__ == "KMeansSMOTE":
            est.set_params(kmeans_estimator=12)
    return out


# imbalanced-learn's checks choose their assertions with isinstance(sampler, BaseOverSampler /
# BaseUnderSampler / BaseCleaningSampler). Our classes do not inherit from imbalanced-learn
# (it is not a runtime dependency), so register them as virtual subclasses, here in the tests
# only, so that the count assertions of check_samplers_fit_resample and
# check_samplers_sampling_strategy_fit_resample run for them too (as for imbalanced-learn's
# classes; the combinations are plain BaseSampler there, so they are not registered).
_ABC = {"over": BaseOverSampler, "under": BaseUnderSampler, "clean": BaseCleaningSampler}
for _name in ALL:
    if _name not in ("SMOTETomek", "SMOTEENN"):
        _ABC[rke._PARAMETERS[_name][2]].register(getattr(rke, _name))

# {(class name or instance id, check name): reason}: checks expected to fail, run as non-strict
# xfail (an XPASS in the report means the entry can go).
EXPECTED_FAILED = {
    # imbalanced-learn marks this one FIXME for its own NearMiss too.
    ("NearMiss-v3", "check_samplers_fit_resample"):
        "NearMiss-3 may keep fewer rows than asked (imbalanced-learn xfails it as well)",
    # The check's X is one categorical column; SMOTE-NC needs numeric columns too
    # (imbalanced-learn leaves SMOTENC out of its check suite altogether).
    ("SMOTENC", "check_samplers_string"): "SMOTE-NC needs at least one numeric column",
}


def _check_cases():
    for est_id, est in _checking_instances():
        for check in imb_checks._yield_sampler_checks(est):
            yield pytest.param(est_id, est, check, id=f"{est_id}-{check.__name__}")


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("est_id, estimator, check", list(_check_cases()))
def test_imblearn_sampler_checks(est_id, estimator, check, request):
    _require(type(estimator).__name__)
    reason = EXPECTED_FAILED.get((est_id, check.__name__)) or EXPECTED_FAILED.get(
        (type(estimator).__name__, check.__name__))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=False))
    check(type(estimator).__name__, clone(estimator))


@pytest.mark.parametrize("est_id, estimator", _checking_instances(), ids=lambda v: (
    v if isinstance(v, str) else ""))
def test_imblearn_param_validation(est_id, estimator):
    _require(type(estimator).__name__)
    imb_checks.check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("name", ALL)
def test_dataframe_column_names_and_docs(name):
    _require(name)
    est = _make(name)
    imb_checks.check_dataframe_column_names_consistency(name, est)
    assert "feature_names_in_" in type(est).__doc__


# ---------------------------------------------------------------------------------------------
# scikit-learn estimator behaviour
# ---------------------------------------------------------------------------------------------
# scikit-learn's own checks (imbalanced-learn runs them on its samplers too), with the checks
# expected to fail and why.
SKLEARN_EXPECTED_FAILED = {
    "check_dtype_object": (
        "distance-based methods reject object X, even of numbers (DESIGN.md: only "
        "random_under/random_over take non-numeric columns); scikit-learn expects a conversion"),
    # fit only validates, as imbalanced-learn's fit; for the categorical methods, whose
    # functions take X as it is, missing values are rejected by fit_resample, not by fit.
    ("SMOTENC", "check_estimators_nan_inf"): "missing values are rejected in fit_resample",
    ("SMOTEN", "check_estimators_nan_inf"): "missing values are rejected in fit_resample",
    "check_estimators_empty_data_messages": (
        "resamplekit._validation words the zero-feature error its own way: 'X must have at "
        "least 1 row and 1 column, got shape (12, 0)'"),
}


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("name", ALL)
def test_sklearn_estimator_checks(name):
    from sklearn.utils.estimator_checks import check_estimator

    _require(name)
    results = check_estimator(_make(name), on_fail=None)
    failed = {r["check_name"]: r["exception"] for r in results if r["status"] == "failed"}
    unexpected = {k: v for k, v in failed.items()
                  if k not in SKLEARN_EXPECTED_FAILED and (name, k) not in SKLEARN_EXPECTED_FAILED}
    assert not unexpected, unexpected


@pytest.mark.parametrize("name", ALL)
def test_base_estimator_behaviour(name):
    est = _make(name)
    params = est.get_params(deep=False)
    assert set(params) == set(type(est)._parameter_constraints)
    twin = clone(est)
    assert twin.get_params(deep=False).keys() == params.keys() and twin is not est
    assert repr(twin) == repr(est)
    est.set_params(sampling_strategy="all")
    assert est.sampling_strategy == "all" and twin.sampling_strategy == "auto"
    est.set_params(sampling_strategy="auto")
    assert repr(est).startswith(name + "(")
    # imbalanced-learn's parameters and defaults, plus n_jobs where the function has threads.
    imb_cls = _imblearn_class(name)
    ours = inspect.signature(type(est)).parameters
    theirs = inspect.signature(imb_cls).parameters
    for p, value in theirs.items():
        assert p in ours, p
        assert ours[p].default == value.default or p in ("smote", "tomek", "enn"), p
    assert set(ours) - set(theirs) <= {"n_jobs", "neighbors"}
    # Invalid values are accepted by __init__ and rejected by fit_resample, sklearn-style.
    bad = type(est)(**{**params, "sampling_strategy": "nonsense"}) if name != "SMOTENC" else (
        type(est)([0], sampling_strategy="nonsense"))
    with pytest.raises(InvalidParameterError,
                       match=f"The 'sampling_strategy' parameter of {name} must be .* "
                             "Got 'nonsense' instead."):
        bad.fit_resample(np.zeros((4, 2)), [0, 0, 1, 1])


def _imblearn_class(name):
    for module in (imblearn.under_sampling, imblearn.over_sampling, imblearn.combine):
        if hasattr(module, name):
            return getattr(module, name)
    raise AssertionError(name)


@pytest.mark.parametrize("name", ALL)
def test_parameter_table_matches_the_function(name):
    """Every keyword the table passes exists in the function's signature."""
    _require(name)
    module, function, kind, table = rke._PARAMETERS[name]
    accepted = inspect.signature(rke._public_function(module, function)).parameters
    keywords = {v[0] if isinstance(v, tuple) else v for v in table.values() if v is not None}
    keywords |= set(_make(name)._special_kwargs())
    assert keywords <= set(accepted), keywords - set(accepted)
    assert kind in ("over", "under", "clean")


def test_tags_do_not_need_imblearn_and_match_it():
    for name in ALL:
        ours = _make(name).__sklearn_tags__()
        imb = (_imblearn_class(name)([0]) if name == "SMOTENC" else _imblearn_class(name)())
        theirs = imb.__sklearn_tags__()
        assert ours.estimator_type == "sampler"
        assert ours.sampler_tags.sample_indices  # set by every class here
        for key in ("sparse", "dataframe", "string", "allow_nan", "two_d_array"):
            if (name, key) == ("SMOTENC", "sparse"):
                # imbalanced-learn's SMOTENC takes CSR/CSC X (and returns CSR) but its tag
                # says sparse=False; ours says what fit_resample does (scikit-learn's
                # check_estimator_sparse_tag holds it to that).
                assert ours.input_tags.sparse and not theirs.input_tags.sparse
                continue
            assert getattr(ours.input_tags, key) == getattr(theirs.input_tags, key), (name, key)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
# 240 rows, 5 features, two clusters per class, well separated.
_data = functools.partial(classification, weights={2: [0.75, 0.25], 3: [0.6, 0.25, 0.15]}, d=5,
                          sep=1.5)


# Methods whose functions promise imbalanced-learn's exact output for an integer random_state.
IDENTICAL = ["RandomUnderSampler", "RandomOverSampler", "NearMiss", "TomekLinks",
             "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN",
             "NeighbourhoodCleaningRule", "SMOTE", "BorderlineSMOTE", "ADASYN"]


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", IDENTICAL)
def test_pipeline_predictions_equal_imblearn(name, n_classes):
    _require(name)
    X, y = _data(n_classes=n_classes)
    X_test, _ = _data(n=100, n_classes=n_classes, seed=1)
    params = {"random_state": 3} if "random_state" in inspect.signature(
        getattr(rke, name)).parameters else {}
    predictions = []
    for sampler in (getattr(rke, name)(**params), _imblearn_class(name)(**params)):
        pipe = ImbPipeline([("scale", StandardScaler()), ("sampler", sampler),
                            ("clf", LogisticRegression())])
        predictions.append(pipe.fit(X, y).predict_proba(X_test))
    np.testing.assert_allclose(predictions[0], predictions[1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", IDENTICAL)
def test_same_resample_and_fitted_attributes_as_imblearn(name):
    _require(name)
    X, y = _data(n_classes=3)
    params = {"random_state": 5} if "random_state" in inspect.signature(
        getattr(rke, name)).parameters else {}
    ours, theirs = getattr(rke, name)(**params), _imblearn_class(name)(**params)
    X_a, y_a = ours.fit_resample(X, y)
    X_b, y_b = theirs.fit_resample(X, y)
    np.testing.assert_allclose(X_a, X_b, rtol=1e-12)
    np.testing.assert_array_equal(y_a, y_b)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    assert list(ours.sampling_strategy_) == list(theirs.sampling_strategy_)
    assert ours.n_features_in_ == theirs.n_features_in_ == X.shape[1]
    if hasattr(theirs, "sample_indices_") and name != "RepeatedEditedNearestNeighbours":
        # (imblearn's RENN permutes its indices twice; DESIGN.md)
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    if name == "RepeatedEditedNearestNeighbours":
        assert ours.n_iter_ == theirs.n_iter_
    # fit alone sets the same strategy.
    assert clone(ours).fit(X, y).sampling_strategy_ == theirs.sampling_strategy_


@pytest.mark.parametrize("name", ALL)
def test_sample_indices_and_alias(name):
    _require(name)
    X, y = _data()
    est = _make(name)
    X_res, y_res = est.fit_sample(X, y)  # imbalanced-learn's name before 0.8
    X_again, _ = clone(est).fit_resample(X, y)
    idx = est.sample_indices_
    assert idx.shape == (len(y_res),) and idx.dtype == np.intp
    real = idx >= 0
    np.testing.assert_array_equal(y_res[real], y[idx[real]])
    if name != "RandomOverSampler" or est.shrinkage is None:
        np.testing.assert_array_equal(X_res[real], X[idx[real]])
    if "random_state" in est.get_params():
        np.testing.assert_array_equal(X_res, X_again)


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_cluster_centroids_sample_indices(voting):
    # imbalanced-learn's ClusterCentroids has no sample_indices_; ours gives the input row of
    # each output row: the chosen real rows (hard), -1 exactly for the centers (soft), and the
    # rows of the classes left as they are.
    _require("ClusterCentroids")
    X, y = _data(n_classes=3)
    ratio = {0: 40, 1: 30}  # class 2 (36 rows) left as it is
    est = rke.ClusterCentroids(sampling_strategy=ratio, voting=voting, random_state=0)
    X_res, y_res = est.fit_resample(X, y)
    idx = est.sample_indices_
    assert idx.shape == (len(y_res),) and idx.dtype == np.intp
    assert Counter(y_res.tolist()) == {0: 40, 1: 30, 2: int(np.sum(y == 2))}
    np.testing.assert_array_equal(idx[y_res == 2], np.flatnonzero(y == 2))
    centers = idx == -1
    if voting == "soft":
        np.testing.assert_array_equal(centers, y_res != 2)
    else:
        assert not centers.any() and len(np.unique(idx)) == len(idx)
    np.testing.assert_array_equal(X_res[~centers], X[idx[~centers]])
    np.testing.assert_array_equal(y_res[~centers], y[idx[~centers]])


@pytest.mark.parametrize("name", ALL)
def test_in_pipelines_grid_search_cross_validate_and_pickle(name):
    _require(name)
    X, y = _data(n=200)
    pipe = imb_make_pipeline(StandardScaler(), _make(name), LogisticRegression())
    assert pipe.fit(X, y).predict(X).shape == (len(y),)
    scores = cross_validate(pipe, X, y, cv=2)
    assert len(scores["test_score"]) == 2
    est = _make(name)
    est.fit_resample(X, y)
    twin = pickle.loads(pickle.dumps(est))
    assert twin.get_params().keys() == est.get_params().keys()
    np.testing.assert_array_equal(twin.sample_indices_, est.sample_indices_)


@pytest.mark.parametrize("name, grid", [
    ("SMOTE", {"k_neighbors": [3, 5], "sampling_strategy": ["auto", 0.8]}),
    ("EditedNearestNeighbours", {"n_neighbors": [2, 3], "kind_sel": ["all", "mode"]}),
    ("RandomUnderSampler", {"sampling_strategy": ["auto", 0.5]}),
])
def test_grid_search_over_sampler_parameters(name, grid):
    _require(name)
    X, y = _data()
    pipe = ImbPipeline([("sampler", _make(name)), ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {f"sampler__{k}": v for k, v in grid.items()}, cv=2).fit(X, y)
    assert type(search.best_estimator_.named_steps["sampler"]).__name__ == name
    assert len(search.cv_results_["params"]) == np.prod([len(v) for v in grid.values()])


def test_renn_n_iter_and_feature_names():
    _require("RepeatedEditedNearestNeighbours")
    pd = pytest.importorskip("pandas")
    X, y = _data(n_classes=3)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = rke.RepeatedEditedNearestNeighbours()
    X_res, y_res = est.fit_resample(df, pd.Series(y, name="target"))
    assert isinstance(X_res, pd.DataFrame) and y_res.name == "target"
    assert 1 <= est.n_iter_ <= est.max_iter
    np.testing.assert_array_equal(est.feature_names_in_, df.columns)
    np.testing.assert_array_equal(est.get_feature_names_out(), df.columns)


def test_one_hot_and_column_targets():
    _require("SMOTE")
    X, y = _data(n_classes=3)
    one_hot = np.eye(3, dtype=int)[y]
    a = rke.SMOTE(random_state=0).fit_resample(X, y)
    b = rke.SMOTE(random_state=0).fit_resample(X, one_hot)
    np.testing.assert_array_equal(a[0], b[0])
    assert b[1].shape == (len(a[1]), 3)
    np.testing.assert_array_equal(b[1].argmax(axis=1), a[1])
    c = rke.SMOTE(random_state=0).fit_resample(X, y.reshape(-1, 1))
    np.testing.assert_array_equal(c[1], a[1])
    with pytest.raises(ValueError, match="Multilabel and multioutput"):
        rke.SMOTE().fit_resample(X, np.ones((len(y), 3), dtype=int))
    with pytest.raises(ValueError, match="Unknown label type"):
        rke.SMOTE().fit_resample(X, np.linspace(0, 1, len(y)))


# ---------------------------------------------------------------------------------------------
# Parameter translation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, param, n", [
    ("SMOTE", "k_neighbors", 4), ("ADASYN", "n_neighbors", 6),
    ("BorderlineSMOTE", "m_neighbors", 8), ("NearMiss", "n_neighbors", 4),
    ("EditedNearestNeighbours", "n_neighbors", 4),
    ("RepeatedEditedNearestNeighbours", "n_neighbors", 4), ("AllKNN", "n_neighbors", 4),
    ("NeighbourhoodCleaningRule", "n_neighbors", 4),
])
def test_nearest_neighbours_objects_read_as_imblearn_reads_them(name, param, n):
    _require(name)
    X, y = _data(n_classes=3)
    seed = {"random_state": 0} if "random_state" in inspect.signature(
        getattr(rke, name)).parameters else {}
    ours = getattr(rke, name)(**{param: NearestNeighbors(n_neighbors=n)}, **seed)
    theirs = _imblearn_class(name)(**{param: NearestNeighbors(n_neighbors=n)}, **seed)
    X_a, X_b = ours.fit_resample(X, y)[0], theirs.fit_resample(X, y)[0]
    assert X_a.shape == X_b.shape
    np.testing.assert_allclose(X_a, X_b, rtol=1e-12)
    # The same as the integer imbalanced-learn reads from the object.
    self_included = dict(rke._PARAMETERS[name][3])[param][1]
    as_int = getattr(rke, name)(**{param: n - self_included}, **seed)
    np.testing.assert_array_equal(as_int.fit_resample(X, y)[0], X_a)


def test_nearest_neighbours_objects_rejected_with_a_message():
    _require("SMOTE")
    X, y = _data()
    with pytest.raises(ValueError, match="Euclidean"):
        rke.SMOTE(k_neighbors=NearestNeighbors(n_neighbors=4, metric="manhattan")).fit(X, y)
    with pytest.raises(ValueError, match="n_neighbors must be at least 2"):
        rke.SMOTE(k_neighbors=NearestNeighbors(n_neighbors=1)).fit(X, y)


def test_neighbourhood_cleaning_rule_step_object():
    _require("NeighbourhoodCleaningRule")
    X, y = _data()
    same = rke.NeighbourhoodCleaningRule(
        edited_nearest_neighbours=rke.EditedNearestNeighbours(kind_sel="mode"))
    np.testing.assert_array_equal(same.fit_resample(X, y)[0],
                                  rke.NeighbourhoodCleaningRule().fit_resample(X, y)[0])
    with pytest.raises(ValueError, match="Pass None"):
        rke.NeighbourhoodCleaningRule(
            edited_nearest_neighbours=rke.EditedNearestNeighbours()).fit_resample(X, y)


def test_combination_step_objects():
    for name, step in (("SMOTETomek", {"tomek": rke.TomekLinks()}),
                       ("SMOTEENN", {"enn": rke.EditedNearestNeighbours(kind_sel="mode")})):
        if not _available(name):
            continue
        X, y = _data()
        with pytest.raises(ValueError, match="Pass None"):
            getattr(rke, name)(**step).fit_resample(X, y)
        custom = getattr(rke, name)(smote=rke.SMOTE(sampling_strategy=0.8, random_state=1))
        custom.fit_resample(X, y)
        assert set(custom.sampling_strategy_) == {1}


def test_strategy_as_ordered_dict():
    from collections import OrderedDict

    for name in ("RandomOverSampler", "RandomUnderSampler"):
        _require(name)
        X, y = np.random.RandomState(42).randn(30, 2), np.array([0] * 10 + [1] * 20)
        est = getattr(rke, name)(random_state=42, sampling_strategy=OrderedDict({0: 10, 1: 10} if
                                 name == "RandomUnderSampler" else {0: 20, 1: 20}))
        _, y_res = est.fit_resample(X, y)
        assert Counter(y_res.tolist()) == Counter(
            {0: 10, 1: 10} if name == "RandomUnderSampler" else {0: 20, 1: 20})


# ---------------------------------------------------------------------------------------------
# Docstrings and imports
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_docstring_example_runs(name):
    _require(name)
    cls = getattr(rke, name)
    for section in ("Parameters", "Attributes", "Examples", "sample_indices_"):
        assert section in cls.__doc__
    for p in inspect.signature(cls).parameters:
        assert f"\n    {p} :" in cls.__doc__, p
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(cls, name, globs={}):
        runner.run(test)
    assert runner.failures == 0


def test_import_resamplekit_does_not_import_sklearn():
    _require("RandomUnderSampler")
    code = (
        "import importlib, sys, numpy as np, resamplekit\n"
        "for m in ('over_sampling', 'under_sampling', 'cleaning', 'combine'):\n"
        "    try: importlib.import_module('resamplekit.' + m)\n"
        "    except ModuleNotFoundError: pass\n"
        "X = np.arange(40.0).reshape(20, 2); y = np.array([0] * 14 + [1] * 6)\n"
        "f = (getattr(resamplekit, 'random_under', None)\n"
        "     or resamplekit.under_sampling.random_under)\n"
        "f(X, y, random_state=0)\n"
        "for name in ('smote', 'edited_nearest_neighbours', 'near_miss'):\n"
        "    for m in ('over_sampling', 'cleaning', 'under_sampling'):\n"
        "        g = getattr(sys.modules.get('resamplekit.' + m), name, None)\n"
        "        if g is not None: g(X, y, k=2)\n"
        "bad = sorted(m for m in sys.modules if m == 'sklearn' or m.startswith('sklearn.')\n"
        "             or m.startswith('imblearn'))\n"
        "assert not bad, bad\n"
        "import resamplekit.estimators\n"
        "assert 'sklearn' in sys.modules and 'imblearn' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=_repo_root())


def _repo_root():
    import os

    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
