"""The estimator classes speak their own parameter names in every error.

The functions name their keywords (``k``, ``m``, ``k_ver3``, ``ratio``, ``enn_k``); a class
renames those to its parameters (``k_neighbors``, ``m_neighbors``, ``n_neighbors_ver3``,
``sampling_strategy``, ``smote.k_neighbors``, ...). Each case below provokes one error that a
function raises about one of those parameters, through the class, and checks that the message
names the class parameter and none of the function keywords. A coverage test checks that every
class of ``resamplekit.estimators`` and each of its renamed parameters has a case.
"""
import re

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.neighbors import NearestNeighbors  # noqa: E402

from resamplekit import estimators as E  # noqa: E402

RNG = np.random.default_rng(0)
# binary 100/10, Gaussian
X = RNG.normal(size=(110, 3))
Y = np.r_[np.zeros(100, int), np.ones(10, int)]
# three classes, for a float strategy
Y3 = np.r_[np.zeros(60, int), np.ones(30, int), np.full(20, 2)]
# a categorical third column (SMOTE-NC), all-categorical (SMOTE-N)
X_NC = np.c_[X[:, :2], RNG.integers(0, 3, 110)]
X_N = RNG.integers(0, 3, (110, 3))
# the minority far from the majority: no minority row has another class among its neighbours
X_FAR = X + np.r_[np.zeros((100, 1)), np.full((10, 1), 100.0)]
# isolated minority rows inside a grid of majority rows: their support vectors are noise
_GRID = np.stack(np.meshgrid(np.arange(15.0), np.arange(15.0)), -1).reshape(-1, 2)
_LONELY = np.array([[2.5, 2.5], [2.5, 11.5], [11.5, 2.5], [11.5, 11.5], [7.5, 7.5]])
X_NOISE = np.vstack([_GRID, _LONELY + 0.01])
Y_NOISE = np.array([0] * len(_GRID) + [1] * len(_LONELY))

OVER = ["RandomOverSampler", "SMOTE", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "ADASYN",
        "SMOTENC", "SMOTEN", "SMOTETomek", "SMOTEENN"]
UNDER = ["RandomUnderSampler", "NearMiss", "ClusterCentroids", "InstanceHardnessThreshold"]
CLEAN = ["TomekLinks", "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN",
         "NeighbourhoodCleaningRule", "CondensedNearestNeighbour", "OneSidedSelection"]


def _make(name, **params):
    """The class with the parameters a case needs (and what the class itself requires)."""
    cls = getattr(E, name)
    if name == "SMOTENC":
        params.setdefault("categorical_features", [2])
    if name == "KMeansSMOTE":
        params.setdefault("kmeans_estimator", 2)
    if name == "InstanceHardnessThreshold":
        params.setdefault("cv", 3)
    return cls(**params)


def _data(name):
    return {"SMOTENC": X_NC, "SMOTEN": X_N}.get(name, X)


# (class, parameter the error is about, parameters, X, y, fragment of the message)
CASES = []
for _name in OVER:
    CASES += [
        (_name, "sampling_strategy", {"sampling_strategy": 0.01}, None, Y,
         "asks an over-sampler to remove"),
        (_name, "sampling_strategy", {"sampling_strategy": {1: 5}}, None, Y,
         "asks an over-sampler for 5 rows"),
        (_name, "sampling_strategy", {"sampling_strategy": {7: 50}}, None, Y,
         "names classes that are not in y"),
        (_name, "sampling_strategy", {"sampling_strategy": {1: -1}}, None, Y,
         "negative counts"),
        (_name, "sampling_strategy", {"sampling_strategy": {1: 20.5}}, None, Y,
         "counts must be integers"),
        (_name, "sampling_strategy", {"sampling_strategy": lambda y: 5}, None, Y,
         "as a callable must return a dict"),
        (_name, "sampling_strategy", {"sampling_strategy": 0.5}, None, Y3,
         "can be a float only for binary targets"),
    ]
for _name in UNDER:
    CASES += [
        (_name, "sampling_strategy", {"sampling_strategy": 0.01}, None, Y,
         "asks an under-sampler to add"),
        (_name, "sampling_strategy", {"sampling_strategy": {0: 200}}, None, Y,
         "asks an under-sampler for 200 rows"),
        (_name, "sampling_strategy", {"sampling_strategy": {7: 5}}, None, Y,
         "names classes that are not in y"),
        (_name, "sampling_strategy", {"sampling_strategy": {0: -1}}, None, Y,
         "negative counts"),
        (_name, "sampling_strategy", {"sampling_strategy": {0: 20.5}}, None, Y,
         "counts must be integers"),
        (_name, "sampling_strategy", {"sampling_strategy": lambda y: 5}, None, Y,
         "as a callable must return a dict"),
        (_name, "sampling_strategy", {"sampling_strategy": 0.5}, None, Y3,
         "can be a float only for binary targets"),
    ]
for _name in CLEAN:
    CASES += [
        (_name, "sampling_strategy", {"sampling_strategy": 0.5}, None, Y,
         "cannot be a float for cleaning methods"),
        (_name, "sampling_strategy", {"sampling_strategy": lambda y: [0]}, None, Y,
         "cannot be a callable for cleaning methods"),
        (_name, "sampling_strategy", {"sampling_strategy": [5]}, None, Y,
         "names classes that are not in y"),
        (_name, "sampling_strategy", {"sampling_strategy": {0: 5}}, None, Y,
         "must be a float"),  # scikit-learn's constraint check: dicts do not clean
    ]
CASES += [
    ("RandomOverSampler", "sampling_strategy", {"shrinkage": {0: 1.0}}, None, Y,
     "factor for every class to over-sample"),
    # a class too small for its k nearest neighbours in the class
    *[(_name, "k_neighbors", {"k_neighbors": 50}, None, Y, "needs at least 51")
      for _name in ["SMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTENC", "SMOTEN"]],
    ("BorderlineSMOTE", "k_neighbors", {"k_neighbors": 50, "kind": "borderline-1"}, None, Y,
     "use k_neighbors=9 or less"),
    ("ADASYN", "n_neighbors", {"n_neighbors": 50}, None, Y, "use n_neighbors=9 or less"),
    ("SMOTE", "k_neighbors", {"k_neighbors": NearestNeighbors(n_neighbors=51)}, None, Y,
     "k_neighbors=NearestNeighbors(n_neighbors=51) (50 neighbours)"),
    # neighbours searched in all of X
    ("BorderlineSMOTE", "k_neighbors", {"k_neighbors": 200, "kind": "borderline-2"}, None, Y,
     "use k_neighbors=109 or less"),
    ("BorderlineSMOTE", "m_neighbors", {"m_neighbors": 200}, None, Y,
     "use m_neighbors=109 or less"),
    ("SVMSMOTE", "m_neighbors", {"m_neighbors": 200}, None, Y, "use m_neighbors=109 or less"),
    ("SVMSMOTE", "m_neighbors", {"m_neighbors": 10, "k_neighbors": 3, "random_state": 0},
     X_NOISE, Y_NOISE, "m_neighbors=10 nearest neighbours"),
    ("ADASYN", "n_neighbors", {"n_neighbors": 3}, X_FAR, Y, "n_neighbors=4 or more"),
    ("ADASYN", "sampling_strategy", {"sampling_strategy": {1: 11}}, None, Y,
     "more rows of this class with sampling_strategy="),
    ("KMeansSMOTE", "k_neighbors", {"cluster_balance_threshold": 0.99, "kmeans_estimator": 3},
     None, Y, "or k_neighbors=1 or less"),
    ("NearMiss", "n_neighbors", {"n_neighbors": 200}, None, Y, "(class 1: 10 rows)"),
    ("NearMiss", "n_neighbors_ver3", {"version": 3, "n_neighbors_ver3": 200}, None, Y,
     "(class 0 has 100)"),
    *[(_name, "n_neighbors", {"n_neighbors": 200}, None, Y, "each row needs 200 other rows")
      for _name in ["EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN",
                    "NeighbourhoodCleaningRule"]],
    *[(_name, "n_neighbors", {"n_neighbors": 200}, None, Y, "must be at most 11")
      for _name in ["CondensedNearestNeighbour", "OneSidedSelection"]],
    # the steps of the combinations
    *[(_name, "smote.k_neighbors", {"smote": E.SMOTE(k_neighbors=50)}, None, Y,
       "use smote.k_neighbors=9 or less") for _name in ["SMOTETomek", "SMOTEENN"]],
    ("SMOTEENN", "enn.n_neighbors",
     {"enn": E.EditedNearestNeighbours(sampling_strategy="all", n_neighbors=500)}, None, Y,
     "Use enn.n_neighbors=199 or less"),
]


def _keyword_pattern(keywords):
    """A function keyword standing alone (not part of a longer name, a path or a quote)."""
    return re.compile(r"(?<![\w.'\"])(" + "|".join(map(re.escape, keywords)) + r")(?![\w'\"])")


# phrases of the functions' messages that must never reach a class's caller
_FUNCTION_PHRASES = ["k + 1", "m + 1", "lower k", "lower m", "out of ratio", "np.int64",
                     "np.float64", "np.str_"]


def _assert_in_class_terms(sampler, message, param):
    keywords = set(sampler._class_terms()) - set(sampler.get_params())
    found = _keyword_pattern(keywords).findall(message)
    assert not found, f"function keyword(s) {found} in: {message}"
    for phrase in _FUNCTION_PHRASES:
        assert phrase not in message, f"{phrase!r} in: {message}"
    assert param in message, f"{param} not named in: {message}"


def _case_id(case):
    return f"{case[0]}-{case[1]}-{case[5][:24]}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_errors_name_the_class_parameters(case):
    name, param, params, X_case, y, fragment = case
    sampler = _make(name, **params)
    X_case = _data(name) if X_case is None else X_case
    with pytest.raises((ValueError, TypeError)) as info:
        sampler.fit_resample(X_case, y)
    message = str(info.value)
    assert fragment in message, message
    _assert_in_class_terms(sampler, message, param)


def test_fit_speaks_class_terms_too():
    with pytest.raises(ValueError) as info:
        E.SMOTE(sampling_strategy=0.01).fit(X, Y)
    _assert_in_class_terms(E.SMOTE(), str(info.value), "sampling_strategy")


def test_every_class_and_renamed_parameter_has_a_case():
    covered = {(name, param) for name, param, *_ in CASES}
    for name in E.__all__:
        sampler = _make(name)
        renamed = set(sampler._class_terms().values())
        assert renamed, name
        for param in renamed:
            assert (name, param) in covered, f"no case for {name}'s {param}"


def test_the_check_would_catch_a_leak():
    # the assertion fails on an untranslated message (the test can fail)
    with pytest.raises(AssertionError):
        _assert_in_class_terms(
            E.SMOTE(), "class 1 has 10 rows, but k_neighbors=50 needs at least k + 1 = 51; "
            "lower k", "k_neighbors")
    with pytest.raises(AssertionError):
        _assert_in_class_terms(E.NearMiss(), "n_neighbors must be at most (np.int64(1): 10 "
                               "rows)", "n_neighbors")


@pytest.mark.parametrize("call, fragment", [
    (lambda: __import__("resamplekit").smote(X, Y, k=50), "use k=9 or less"),
    (lambda: __import__("resamplekit").near_miss(X, Y, k=200), "got k=200"),
    (lambda: __import__("resamplekit").borderline_smote(X, Y, m=200), "use m=109 or less"),
    (lambda: __import__("resamplekit").smote(X, Y, ratio={1: 5}), "ratio asks"),
])
def test_functions_keep_their_own_keywords(call, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        call()
