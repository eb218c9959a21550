"""smote_tomek and smote_enn against imbalanced-learn's SMOTETomek and SMOTEENN."""
import functools

import numpy as np
import pytest
from conftest import classification

import resamplekit as rk

imblearn_combine = pytest.importorskip("imblearn.combine")
pytest.importorskip("sklearn.datasets")

# 300 rows, 5 features, two clusters per class, no flipped labels.
_data = functools.partial(classification, weights={2: [0.8, 0.2], 3: [0.6, 0.3, 0.1]}, n=300,
                          d=5, sep=0.8, flip_y=0)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 7])
def test_smote_tomek_matches_imblearn(n_classes, seed):
    X, y = _data(n_classes, seed=seed)
    X_ref, y_ref = imblearn_combine.SMOTETomek(random_state=seed).fit_resample(X, y)
    X_res, y_res = rk.smote_tomek(X, y, random_state=seed)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", [0, 7])
def test_smote_enn_matches_imblearn(n_classes, seed):
    X, y = _data(n_classes, seed=seed)
    X_ref, y_ref = imblearn_combine.SMOTEENN(random_state=seed).fit_resample(X, y)
    X_res, y_res = rk.smote_enn(X, y, random_state=seed)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-12)


@pytest.mark.parametrize("func", ["smote_tomek", "smote_enn"])
def test_indices_point_at_input_rows(func):
    X, y = _data(2)
    X_res, y_res, idx = getattr(rk, func)(X, y, random_state=0, return_indices=True)
    assert len(idx) == len(y_res)
    real = idx >= 0
    np.testing.assert_array_equal(X_res[real], X[idx[real]])
    np.testing.assert_array_equal(y_res[real], y[idx[real]])
    # Synthetic rows are not copies of input rows.
    assert (~real).any()


def test_enn_k_is_used():
    X, y = _data(2)
    a = rk.smote_enn(X, y, random_state=0, enn_k=3)[1]
    b = rk.smote_enn(X, y, random_state=0, enn_k=7)[1]
    assert len(a) != len(b)


# ----------------------------------------------------------------------------- parameter errors

@pytest.mark.parametrize("enn_k, error", [(0, ValueError), (-2, ValueError), (1.5, TypeError),
                                          (True, TypeError), ("3", TypeError)])
def test_smote_enn_names_enn_k_in_its_errors(enn_k, error):
    X, y = _data()
    with pytest.raises(error, match=rf"^enn_k must be an integer >= 1, got {enn_k!r}"):
        rk.smote_enn(X, y, enn_k=enn_k, random_state=0)


def test_smote_enn_checks_enn_k_against_the_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.array([0] * 20 + [1] * 10)  # 40 rows after over-sampling
    rk.smote_enn(X, y, enn_k=39, random_state=0)  # the largest allowed: no error
    for enn_k in (40, 100):
        with pytest.raises(ValueError, match=rf"enn_k=.*{enn_k}.*enn_k=39 or less") as info:
            rk.smote_enn(X, y, enn_k=enn_k, random_state=0)
        assert "(40)" in str(info.value) and not str(info.value).startswith("k ")


@pytest.mark.parametrize("func", ["smote_tomek", "smote_enn"])
def test_combined_methods_name_their_own_parameters(func):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.array([0] * 20 + [1] * 10)
    f = getattr(rk, func)
    with pytest.raises(ValueError, match=r"^k must be an integer >= 1, got 0"):
        f(X, y, k=0)
    with pytest.raises(TypeError, match=r"^k must be an integer >= 1, got 2.5"):
        f(X, y, k=2.5)
    with pytest.raises(ValueError, match=r"class 1 has 10 rows, but k=10"):
        f(X, y, k=10)
    with pytest.raises(ValueError, match=r"^ratio must be"):
        f(X, y, ratio="bad")
    with pytest.raises(ValueError, match=r"^n_jobs must be"):
        f(X, y, n_jobs=0)
    with pytest.raises(TypeError, match=r"^random_state must be"):
        f(X, y, random_state="x")
