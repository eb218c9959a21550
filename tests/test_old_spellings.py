"""Names from imbalanced-learn (current and older releases) that resamplekit spells otherwise
raise a TypeError that says what to write instead, for every public function and class."""
import inspect

import numpy as np
import pytest

import resamplekit as rk
from resamplekit._validation import IMBLEARN_KEYWORDS

X = np.random.default_rng(0).normal(size=(60, 3))
Y = np.r_[np.zeros(45, int), np.ones(15, int)]


def _keywords(func):
    return set(inspect.signature(func).parameters)


# ------------------------------------------------------------------------------ functions
@pytest.mark.parametrize("name", rk.__all__)
def test_every_function_names_its_own_keyword_for_imblearn_names(name):
    func = getattr(rk, name)
    keywords = _keywords(func)
    checked = 0
    for old, new in IMBLEARN_KEYWORDS.items():
        if new not in keywords or old in keywords:
            continue
        if name == "smote" and old == "m_neighbors":
            continue  # smote has no m (see the SMOTE-variant test)
        with pytest.raises(TypeError) as info:
            func(X, Y, **{old: 3})
        message = str(info.value)
        if name == "smote_enn" and old == "n_neighbors":
            assert "k= (the SMOTE step's neighbours) and enn_k=" in message
        else:
            assert message == (
                f"{name}() got an unexpected keyword argument {old!r}; resamplekit's name for "
                f"it is {new}: {name}(X, y, {new}=...)"
            )
        checked += 1
    assert checked >= 1  # every function takes ratio at least


@pytest.mark.parametrize("name", rk.__all__)
def test_functions_keep_their_signatures_and_plain_errors(name):
    func = getattr(rk, name)
    assert not hasattr(func, "__wrapped__") or inspect.signature(func) == inspect.signature(
        func.__wrapped__)
    params = inspect.signature(func).parameters
    assert list(params)[:2] == ["X", "y"]
    assert not any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert func.__doc__ and "Examples" in func.__doc__
    # a name with no known meaning keeps Python's own message
    with pytest.raises(TypeError,
                       match=rf"^{name}\(\) got an unexpected keyword argument 'bogus'$"):
        func(X, Y, bogus=1)


def test_deterministic_functions_say_they_take_no_random_state():
    for name in ["tomek_links", "edited_nearest_neighbours", "near_miss", "all_knn"]:
        with pytest.raises(TypeError, match=f"{name} is deterministic and takes no random_state"):
            getattr(rk, name)(X, Y, random_state=0)


@pytest.mark.parametrize("kw, fragment", [
    ({"kind": "borderline1"}, "borderline_smote(X, y, kind='borderline-1'/'borderline-2')"),
    ({"kind": "svm"}, "kind='svm' is svm_smote(X, y)"),
    ({"kind": "regular"}, "SMOTE(kind='regular') is smote itself (drop kind)"),
    ({"m_neighbors": 10}, "belongs to borderline_smote and svm_smote, as m="),
    ({"m": 10}, "belongs to borderline_smote and svm_smote, as m="),
    ({"svm_estimator": None}, "belongs to svm_smote"),
    ({"out_step": 0.5}, "belongs to svm_smote"),
])
def test_smote_points_old_kind_spellings_to_the_variants(kw, fragment):
    with pytest.raises(TypeError) as info:
        rk.smote(X, Y, **kw)
    assert str(info.value).startswith(f"smote() got an unexpected keyword argument "
                                      f"{next(iter(kw))!r}: ")
    assert fragment in str(info.value)


def test_errors_raised_inside_a_function_are_untouched():
    with pytest.raises(TypeError, match=r"^k must be an integer >= 1, got 2.5"):
        rk.smote(X, Y, k=2.5)
    with pytest.raises(ValueError, match="^ratio must be one of"):
        rk.smote(X, Y, ratio="bogus")
    # the variants still take their own kind
    assert len(rk.borderline_smote(X, Y, kind="borderline-2", random_state=0)[1]) == 90


# ------------------------------------------------------------------------------ classes
E = pytest.importorskip("resamplekit.estimators")


def _init_params(cls):
    return set(inspect.signature(cls).parameters)


@pytest.mark.parametrize("name", E.__all__)
def test_every_class_explains_ratio_return_indices_and_function_keywords(name):
    cls = getattr(E, name)
    required = {"categorical_features": [0]} if name == "SMOTENC" else {}
    params = _init_params(cls)
    # signature and get_params as documented: no **kwargs, nothing added
    assert not any(p.kind is p.VAR_KEYWORD for p in inspect.signature(cls).parameters.values())
    assert set(cls(**required).get_params(deep=False)) == params

    with pytest.raises(TypeError) as info:
        cls(**required, ratio=0.5)
    assert str(info.value).startswith(
        f"{name}() got an unexpected keyword argument 'ratio': use sampling_strategy=...")

    with pytest.raises(TypeError) as info:
        cls(**required, return_indices=True)
    assert "sample_indices_" in str(info.value)

    # resamplekit's function keywords name the class's parameter (or the step holding it)
    for keyword, param in cls(**required)._class_terms().items():
        if keyword in params or keyword == "ratio":
            continue
        with pytest.raises(TypeError) as info:
            cls(**required, **{keyword: 3})
        expected = param.split(".")[-1] if "." in param else f"use {param}=..."
        assert expected in str(info.value), str(info.value)


@pytest.mark.parametrize("name, old, new", [
    ("NearMiss", "size_ngh", "n_neighbors"),
    ("NearMiss", "ver3_samp_ngh", "n_neighbors_ver3"),
    ("EditedNearestNeighbours", "size_ngh", "n_neighbors"),
    ("CondensedNearestNeighbour", "size_ngh", "n_neighbors"),
])
def test_classes_explain_the_oldest_neighbour_names(name, old, new):
    with pytest.raises(TypeError, match=rf"'{old}': use {new}=\.\.\. \({old} is "
                                        "imbalanced-learn's old name\\)"):
        getattr(E, name)(**{old: 3})


@pytest.mark.parametrize("kw, fragment", [
    ({"kind": "borderline1"}, "BorderlineSMOTE(kind='borderline-1'/'borderline-2')"),
    ({"kind": "svm"}, "kind='svm' is SVMSMOTE()"),
    ({"kind": "regular"}, "SMOTE(kind='regular') is SMOTE() (drop kind)"),
    ({"m_neighbors": 10}, "belongs to BorderlineSMOTE and SVMSMOTE, as m_neighbors="),
    ({"svm_estimator": None}, "belongs to SVMSMOTE"),
    ({"out_step": 0.5}, "belongs to SVMSMOTE"),
])
def test_SMOTE_points_old_kind_spellings_to_the_variants(kw, fragment):
    with pytest.raises(TypeError) as info:
        E.SMOTE(**kw)
    assert fragment in str(info.value)


def test_deterministic_classes_and_removed_parameters():
    with pytest.raises(TypeError, match="TomekLinks is deterministic and takes no random_state"):
        E.TomekLinks(random_state=0)
    with pytest.raises(TypeError, match="NeighbourhoodCleaningRule's kind_sel"):
        E.NeighbourhoodCleaningRule(kind_sel="mode")
    with pytest.raises(TypeError, match=r"smote=SMOTE\(k_neighbors=\.\.\.\)"):
        E.SMOTETomek(k_neighbors=3)
    with pytest.raises(TypeError, match=r"enn=EditedNearestNeighbours\("):
        E.SMOTEENN(n_neighbors=3)
    # unknown names keep Python's message
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        E.SMOTE(bogus=1)


def test_wrapped_constructors_still_clone_set_params_and_search():
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from imblearn.pipeline import make_pipeline

    smote = E.BorderlineSMOTE(kind="borderline-2", k_neighbors=3, random_state=0)
    twin = clone(smote)
    assert twin.get_params() == smote.get_params() and twin.kind == "borderline-2"
    assert twin.set_params(kind="borderline-1").kind == "borderline-1"
    with pytest.raises(ValueError, match="Invalid parameter 'ratio'"):
        twin.set_params(ratio=0.5)
    pipe = make_pipeline(E.SMOTE(random_state=0), LogisticRegression())
    search = GridSearchCV(pipe, {"smote__k_neighbors": [3, 5]}, cv=2).fit(X, Y)
    assert search.best_params_["smote__k_neighbors"] in (3, 5)
    # fit_sample, imbalanced-learn's name before 0.8, stays an alias
    X1, y1 = E.SMOTE(random_state=0).fit_sample(X, Y)
    X2, y2 = E.SMOTE(random_state=0).fit_resample(X, Y)
    np.testing.assert_array_equal(X1, X2)
