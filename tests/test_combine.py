"""smote_tomek and smote_enn against imbalanced-learn's SMOTETomek and SMOTEENN."""
import numpy as np
import pytest

import resamplekit as rk

imblearn_combine = pytest.importorskip("imblearn.combine")
datasets = pytest.importorskip("sklearn.datasets")


def _data(n_classes=2, n=300, seed=0):
    weights = [0.8, 0.2] if n_classes == 2 else [0.6, 0.3, 0.1]
    X, y = datasets.make_classification(
        n_samples=n, n_features=5, n_informative=3, n_redundant=0, n_classes=n_classes,
        weights=weights, flip_y=0, class_sep=0.8, random_state=seed,
    )
    return X, y


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
