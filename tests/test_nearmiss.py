"""near_miss against imbalanced-learn 0.14's NearMiss (the oracle) and plain NumPy."""
import warnings

import numpy as np
import pytest
from conftest import skewed_classes
from imblearn.under_sampling import NearMiss

from resamplekit.under_sampling import near_miss


def _oracle(X, y, **params):
    s = NearMiss(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        s.fit_resample(X, y)
    return s.sample_indices_


def _ours(X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return near_miss(X, y, return_indices=True, **kw)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_matches_imblearn_rows_and_order(n_classes, version, k):
    X, y = skewed_classes(n_classes, seed=version + 10 * k)
    expected = _oracle(X, y, version=version, n_neighbors=k, n_neighbors_ver3=k)
    X_res, y_res, idx = _ours(X, y, version=version, k=k, k_ver3=k)
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])


_RATIOS = {
    2: ["auto", "majority", "not minority", "not majority", "all", 0.5, 0.9, {1: 70},
        {0: 20, 1: 100}, lambda y: {1: int((y == 0).sum()) + 5}],
    3: ["auto", "majority", "not minority", "not majority", "all", {2: 50, 1: 40},
        {0: 10}],
}


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("version", [1, 2, 3])
def test_every_ratio_matches_imblearn(n_classes, version):
    X, y = skewed_classes(n_classes, seed=3)
    for ratio in _RATIOS[n_classes]:
        expected = _oracle(X, y, version=version, sampling_strategy=ratio)
        idx = _ours(X, y, version=version, ratio=ratio)[2]
        np.testing.assert_array_equal(idx, expected, err_msg=f"ratio={ratio!r}")


def test_k_ver3_matches_imblearn():
    X, y = skewed_classes(3, seed=5)
    for k3 in (1, 2, 6):
        expected = _oracle(X, y, version=3, n_neighbors=2, n_neighbors_ver3=k3)
        np.testing.assert_array_equal(_ours(X, y, version=3, k=2, k_ver3=k3)[2], expected)


def test_version3_short_warns_like_imblearn():
    X, y = skewed_classes(2, seed=1)
    with pytest.warns(UserWarning, match="balancing ratio cannot be ensure"):
        NearMiss(version=3, n_neighbors_ver3=1).fit_resample(X, y)
    with pytest.warns(UserWarning, match="balancing ratio cannot be ensure") as caught:
        X_res, y_res = near_miss(X, y, version=3, k_ver3=1)
    assert (y_res == 1).sum() < (y == 0).sum()
    # attributed to the line that called near_miss, not to resamplekit's wrappers
    assert [w.filename for w in caught] == [__file__]


@pytest.mark.kernel
def test_scores_against_numpy_reference():
    # Version 2 by brute force: sum of the k largest distances to the minority rows.
    X, y = skewed_classes(2, seed=7)
    k = 3
    X_min, X_maj = X[y == 0], X[y == 1]
    D = np.sqrt(((X_maj[:, None, :] - X_min[None, :, :]) ** 2).sum(-1))
    score = np.sort(D, axis=1)[:, -k:].sum(1)
    expected = np.flatnonzero(y == 1)[np.argsort(score, kind="stable")[: (y == 0).sum()]]
    idx = near_miss(X, y, version=2, k=k, return_indices=True)[2]
    np.testing.assert_array_equal(idx[(y == 0).sum():], expected)


def test_string_labels_and_pandas():
    pd = pytest.importorskip("pandas")
    X, y = skewed_classes(3, seed=2)
    labels = np.array(["a", "b", "c"])[y]
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_res, y_res, idx = near_miss(df, pd.Series(labels, name="t"), return_indices=True)
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == list(df.columns)
    np.testing.assert_array_equal(X_res.to_numpy(), X[idx])
    np.testing.assert_array_equal(np.asarray(y_res), labels[idx])
    np.testing.assert_array_equal(idx, near_miss(X, y, return_indices=True)[2])


def test_float32_kept():
    X, y = skewed_classes(2, seed=4)
    X_res, _ = near_miss(X.astype(np.float32), y, version=2)
    assert X_res.dtype == np.float32


def test_errors():
    X, y = skewed_classes(2, seed=0)
    n_min = int((y == 0).sum())
    with pytest.raises(ValueError, match="version must be 1, 2 or 3, got 4"):
        near_miss(X, y, version=4)
    with pytest.raises(ValueError, match=f"k must be at most .* {n_min} rows"):
        near_miss(X, y, k=n_min + 1)
    with pytest.raises(ValueError, match="k_ver3 must be at most"):
        near_miss(X, y, version=3, k_ver3=len(y))
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        near_miss(X, y, k=0)
    with pytest.raises(TypeError, match="k_ver3"):
        near_miss(X, y, k_ver3=2.5)
    with pytest.raises(ValueError, match="ratio"):
        near_miss(X, y, ratio="minority")
    with pytest.raises(ValueError, match="ratio"):
        near_miss(X, y, ratio=[1])
    # k equal to the minority size is allowed (no row excluded: the minority is another class)
    near_miss(X, y, k=n_min, version=1)


@pytest.mark.kernel
@pytest.mark.parametrize("version", [1, 2, 3])
def test_thread_count_and_read_only_inputs_do_not_change_results(version):
    X, y = skewed_classes(3, seed=8)
    expected = _ours(X, y, version=version, n_jobs=1)[2]
    X_ro, y_ro = X.copy(), y.copy()
    X_ro.setflags(write=False)
    y_ro.setflags(write=False)
    np.testing.assert_array_equal(_ours(X_ro, y_ro, version=version, n_jobs=2)[2], expected)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_tied_scores_keep_row_order_like_imblearn(version):
    # Integer points on a line: exact distances, many equal scores. imblearn's stable sort
    # (reverse=True for version 3) keeps equal scores in row order; so must we.
    X = np.array([[7.0], [3.0], [13.0], [-3.0], [5.0], [8.0], [2.0], [0.0], [10.0], [20.0]])
    y = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for ratio in ("auto", {1: 5}):
            s = NearMiss(version=version, n_neighbors=2, n_neighbors_ver3=3,
                         sampling_strategy=ratio)
            s.fit_resample(X, y)
            idx = near_miss(X, y, version=version, k=2, k_ver3=3, ratio=ratio,
                            return_indices=True)[2]
            np.testing.assert_array_equal(idx, s.sample_indices_)
