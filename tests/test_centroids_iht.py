"""cluster_centroids and instance_hardness_threshold against imbalanced-learn 0.14."""
import functools
import subprocess
import sys

import conftest
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import resamplekit as rk

from resamplekit.under_sampling import cluster_centroids, instance_hardness_threshold

pytest.importorskip("imblearn")
from imblearn.under_sampling import ClusterCentroids, InstanceHardnessThreshold  # noqa: E402
from sklearn.base import BaseEstimator  # noqa: E402
from sklearn.cluster import MiniBatchKMeans  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold, cross_val_predict  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402


# Gaussian classes 1.5 apart unless a test says otherwise.
mixture = functools.partial(conftest.mixture, spread=1.5)


def test_importing_resamplekit_does_not_import_sklearn():
    code = (
        "import sys, resamplekit.under_sampling, resamplekit.cleaning; "
        "assert 'sklearn' not in sys.modules, 'sklearn imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("func", [cluster_centroids, instance_hardness_threshold,
                                  rk.svm_smote, rk.kmeans_smote])
def test_missing_sklearn_says_how_to_install(func, monkeypatch):
    # scikit-learn is a dependency: missing, it means a broken install, which the error says.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    X, y = mixture((10, 20))
    with pytest.raises(ImportError, match=r"needs scikit-learn.*reinstall it: pip install"):
        func(X, y)


# ---------------------------------------------------------------- cluster centroids


@pytest.mark.parametrize("counts", [(30, 80), (20, 45, 70)])
@pytest.mark.parametrize("ratio", ["auto", "all", "not majority", "dict"])
def test_cluster_centroids_soft_matches_imblearn(counts, ratio):
    X, y = mixture(counts, seed=len(counts))
    if ratio == "dict":
        ratio = {0: 15, 1: 25} if len(counts) == 2 else {2: 30, 1: 10}
    X_res, y_res = cluster_centroids(X, y, ratio=ratio, random_state=0)
    X_imb, y_imb = ClusterCentroids(sampling_strategy=ratio, random_state=0).fit_resample(X, y)
    assert_array_equal(y_res, y_imb)
    if ratio == {0: 15, 1: 25}:
        # class 0: two k-means++ candidates of exactly equal potential (an isolated pair of
        # rows, see tests/test_kmeans.py::test_exact_tie_of_two_candidates), which rounding
        # orders differently in the two libraries: the same centres, two of them swapped
        order_res, order_imb = np.lexsort(X_res.T[::-1]), np.lexsort(X_imb.T[::-1])
        assert_allclose(X_res[order_res], X_imb[order_imb], rtol=1e-10, atol=1e-12)
        assert np.count_nonzero(np.abs(X_res - X_imb).max(axis=1) > 1e-9) == 2
    else:
        assert_allclose(X_res, X_imb, rtol=1e-10, atol=1e-12)


def test_cluster_centroids_float_ratio_and_labels():
    X, y = mixture((30, 90), seed=2)
    labels = np.array([-3, 10])[y]
    X_res, y_res = cluster_centroids(X, labels, ratio=0.5, random_state=3)
    X_imb, y_imb = ClusterCentroids(sampling_strategy=0.5, random_state=3).fit_resample(
        X, labels
    )
    assert_array_equal(y_res, y_imb)
    assert_allclose(X_res, X_imb, rtol=1e-10, atol=1e-12)
    assert np.count_nonzero(y_res == 10) == 60


def test_cluster_centroids_custom_clusterer_and_random_state_object():
    X, y = mixture((25, 60, 90), seed=4)
    est = MiniBatchKMeans(n_init=1, random_state=1, batch_size=32, max_iter=5)
    X_res, y_res = cluster_centroids(X, y, estimator=est)
    X_imb, y_imb = ClusterCentroids(estimator=est).fit_resample(X, y)
    assert_allclose(X_res, X_imb)
    # a RandomState carries on from class to class, as in imblearn
    X_res, _ = cluster_centroids(X, y, random_state=np.random.RandomState(5))
    X_imb, _ = ClusterCentroids(random_state=np.random.RandomState(5)).fit_resample(X, y)
    assert_allclose(X_res, X_imb)


def test_cluster_centroids_hard_matches_imblearn_when_rows_are_distinct():
    X, y = mixture((20, 70, 100), seed=6)
    X_res, y_res = cluster_centroids(X, y, voting="hard", random_state=0)
    X_imb, y_imb = ClusterCentroids(voting="hard", random_state=0).fit_resample(X, y)
    assert len(np.unique(X_imb, axis=0)) == len(X_imb)  # imblearn right on this data
    assert_array_equal(X_res, X_imb)
    assert_array_equal(y_res, y_imb)


class CentersNearRowZero(BaseEstimator):
    """A clusterer whose centers all sit next to the first row, at growing distances."""

    def __init__(self, n_clusters=2):
        self.n_clusters = n_clusters

    def fit(self, X, y=None):
        steps = 1e-3 * np.arange(1, self.n_clusters + 1)[:, None]
        self.cluster_centers_ = X[0] + steps
        return self

    def predict(self, X):
        d2 = ((X[:, None, :] - self.cluster_centers_[None]) ** 2).sum(-1)
        return d2.argmin(1)


@pytest.mark.kernel
def test_cluster_centroids_hard_never_picks_a_row_twice():
    X, y = mixture((6, 40), seed=7)
    rows1 = np.flatnonzero(y == 1)
    X_imb, _ = ClusterCentroids(estimator=CentersNearRowZero(), voting="hard").fit_resample(
        X, y
    )
    assert len(np.unique(X_imb[y[y == 0].size :], axis=0)) == 1  # imblearn: one row 6 times
    X_res, y_res = cluster_centroids(X, y, estimator=CentersNearRowZero(), voting="hard")
    assert np.count_nonzero(y_res == 1) == 6
    picked = X_res[y_res == 1]
    assert len(np.unique(picked, axis=0)) == 6
    # Reference: the nearest center keeps row 0 of the class; each next center (farther from
    # it) takes its nearest row not yet taken.
    X1 = X[rows1]
    centers = CentersNearRowZero(6).fit(X1).cluster_centers_
    taken, expected = set(), []
    for center in centers:
        order = np.argsort(((X1 - center) ** 2).sum(1), kind="stable")
        row = next(r for r in order if r not in taken)
        taken.add(row)
        expected.append(row)
    assert_array_equal(picked, X1[expected])


@pytest.mark.kernel
def test_cluster_centroids_hard_many_collisions():
    # Every center near the same row and more centers than the first short list: the
    # widening path is used; counts stay exact and rows distinct.
    X, y = mixture((20, 30), seed=8)
    X_res, y_res = cluster_centroids(
        X, y, estimator=CentersNearRowZero(), voting="hard", ratio={1: 25}
    )
    rows = X_res[y_res == 1]
    assert len(rows) == 25 and len(np.unique(rows, axis=0)) == 25
    assert all(any((r == x).all() for x in X[y == 1]) for r in rows)


def test_cluster_centroids_voting_and_dtypes():
    pd = pytest.importorskip("pandas")
    X, y = mixture((15, 40), seed=9)
    auto = cluster_centroids(X, y, random_state=0)
    soft = cluster_centroids(X, y, voting="soft", random_state=0)
    assert_array_equal(auto[0], soft[0])  # 'auto' is soft for dense input
    X32 = X.astype(np.float32)
    assert cluster_centroids(X32, y, random_state=0)[0].dtype == np.float32
    Xi = np.round(X * 10).astype(np.int64)
    soft_i = cluster_centroids(Xi, y, random_state=0)[0]
    assert soft_i.dtype == np.float64
    assert_allclose(soft_i, ClusterCentroids(random_state=0).fit_resample(Xi, y)[0])
    hard_i = cluster_centroids(Xi, y, voting="hard", random_state=0)[0]
    assert hard_i.dtype == np.int64
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res = cluster_centroids(df, y, voting="hard", random_state=0)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]


def test_cluster_centroids_soft_pandas_out():
    pd = pytest.importorskip("pandas")
    X, y = mixture((15, 40), seed=9)
    X_res, _ = cluster_centroids(pd.DataFrame(X, columns=["a", "b", "c"]), y, random_state=0)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]


def _check_centroid_indices(X, y, X_res, y_res, idx, targets, voting):
    """idx against X and the output: exact counts, -1 exactly for centers, real rows match."""
    X, X_res, y, y_res = (np.asarray(a) for a in (X, X_res, y, y_res))
    assert idx.dtype == np.intp and idx.shape == (len(y_res),)
    for c in np.unique(y):
        out_c = idx[y_res == c]
        if c in targets:
            assert len(out_c) == targets[c]
            if voting == "soft":
                assert_array_equal(out_c, -1)
            else:
                # distinct real rows of class c
                assert (out_c >= 0).all() and len(np.unique(out_c)) == len(out_c)
                assert_array_equal(y[out_c], c)
        else:  # a class left as it is keeps its input rows, in order
            assert_array_equal(out_c, np.flatnonzero(y == c))
    real = idx >= 0
    assert np.count_nonzero(~real) == (sum(targets.values()) if voting == "soft" else 0)
    assert_array_equal(X_res[real], X[idx[real]])
    assert_array_equal(y_res[real], y[idx[real]])


@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_cluster_centroids_return_indices(voting):
    X, y = mixture((15, 40, 60), seed=12)
    ratio = {2: 20, 0: 9}  # class 1 left as it is
    X_res, y_res, idx = cluster_centroids(
        X, y, ratio=ratio, voting=voting, random_state=0, return_indices=True
    )
    _check_centroid_indices(X, y, X_res, y_res, idx, ratio, voting)
    # same rows as without indices, and (soft) the same centers as imbalanced-learn
    X_plain, y_plain = cluster_centroids(X, y, ratio=ratio, voting=voting, random_state=0)
    assert_array_equal(X_res, X_plain)
    assert_array_equal(y_res, y_plain)
    X_imb, y_imb = ClusterCentroids(
        sampling_strategy=ratio, voting=voting, random_state=0
    ).fit_resample(X, y)
    assert_array_equal(y_res, y_imb)
    assert_allclose(X_res, X_imb, rtol=1e-10, atol=1e-12)


@pytest.mark.kernel
def test_cluster_centroids_return_indices_after_collisions():
    # The widening path (every center near one row) still gives distinct, matching indices.
    X, y = mixture((20, 30), seed=8)
    X_res, y_res, idx = cluster_centroids(
        X, y, estimator=CentersNearRowZero(), voting="hard", ratio={1: 25},
        return_indices=True,
    )
    _check_centroid_indices(X, y, X_res, y_res, idx, {1: 25}, "hard")


@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_cluster_centroids_return_indices_pandas(voting):
    pd = pytest.importorskip("pandas")
    X, y = mixture((15, 40), seed=9)
    Xi = np.round(X * 10).astype(np.int64)
    df = pd.DataFrame({"a": X[:, 0], "b": Xi[:, 1], "c": X[:, 2].astype(np.float32)})
    labels = pd.Series(np.array(["neg", "pos"])[y], name="target")
    X_res, y_res, idx = cluster_centroids(
        df, labels, voting=voting, random_state=0, return_indices=True
    )
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert_array_equal(X_res.index, np.arange(len(X_res)))
    _check_centroid_indices(df.to_numpy(), labels.to_numpy(), X_res.to_numpy(),
                            y_res.to_numpy(), idx, {"pos": 15}, voting)
    # rows picked keep every column dtype; the centers of soft voting are float
    expected_b = np.int64 if voting == "hard" else np.float64
    assert X_res.dtypes.tolist() == [np.float64, expected_b, np.float32]
    if voting == "hard":
        pd.testing.assert_frame_equal(X_res, df.take(idx).reset_index(drop=True))


def test_cluster_centroids_return_indices_sparse():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = mixture((15, 40), seed=13)
    X[np.abs(X) < 0.8] = 0.0
    Xs = sparse.csr_matrix(X)
    X_res, y_res, idx = cluster_centroids(Xs, y, random_state=0, return_indices=True)  # hard
    assert sparse.issparse(X_res) and X_res.format == "csr"
    _check_centroid_indices(X, y, X_res.toarray(), y_res, idx, {1: 15}, "hard")


def test_cluster_centroids_errors():
    X, y = mixture((15, 40), seed=10)
    with pytest.raises(ValueError, match="voting must be one of 'auto', 'hard', 'soft', got 'x'"):
        cluster_centroids(X, y, voting="x")
    with pytest.raises(TypeError, match="n_clusters"):
        cluster_centroids(X, y, estimator=LogisticRegression())
    with pytest.raises(ValueError, match="ratio"):
        cluster_centroids(X, y, ratio={1: 50})


# ---------------------------------------------------------------- instance hardness


def test_iht_default_forest_matches_imblearn():
    X, y = mixture((40, 110), seed=11, spread=1.0)
    idx = instance_hardness_threshold(X, y, random_state=0, return_indices=True)[2]
    imb = InstanceHardnessThreshold(random_state=0)
    imb.fit_resample(X, y)
    assert_array_equal(idx, imb.sample_indices_)


@pytest.mark.parametrize("counts", [(40, 110), (30, 60, 90)])
@pytest.mark.parametrize("ratio", ["auto", "majority", "dict"])
def test_iht_estimator_matches_imblearn(counts, ratio):
    X, y = mixture(counts, seed=len(counts), spread=1.0)
    if ratio == "dict":
        ratio = {1: 35} if len(counts) == 2 else {1: 40, 2: 31}
    est = DecisionTreeClassifier(max_depth=3)  # its random_state is set from random_state
    X_res, y_res, idx = instance_hardness_threshold(
        X, y, estimator=est, ratio=ratio, cv=4, random_state=2, return_indices=True
    )
    assert_array_equal(X_res, X[idx])
    assert_array_equal(y_res, y[idx])
    imb = InstanceHardnessThreshold(estimator=est, sampling_strategy=ratio, cv=4,
                                    random_state=2)
    imb.fit_resample(X, y)
    assert_array_equal(idx, imb.sample_indices_)


@pytest.mark.parametrize("labels", [np.array(["no", "yes"]), np.array([5, 6])])
def test_iht_any_labels(labels):
    X, y = mixture((40, 110), seed=12, spread=1.0)
    est = LogisticRegression()
    idx = instance_hardness_threshold(
        X, labels[y], estimator=est, random_state=0, return_indices=True
    )[2]
    imb = InstanceHardnessThreshold(estimator=est, random_state=0)
    imb.fit_resample(X, y)  # imblearn needs 0..K-1 labels
    assert_array_equal(idx, imb.sample_indices_)
    with pytest.raises(IndexError):
        InstanceHardnessThreshold(estimator=est, random_state=0).fit_resample(X, labels[y])


def test_iht_cv_splitter_and_pipeline():
    X, y = mixture((40, 110), seed=13, spread=1.0)
    est = make_pipeline(StandardScaler(), LogisticRegression())
    cv = KFold(3, shuffle=True, random_state=0)
    idx = instance_hardness_threshold(X, y, estimator=est, cv=cv, return_indices=True)[2]
    p = cross_val_predict(est, X, y, cv=cv, method="predict_proba")[np.arange(len(y)), y]
    thr = np.percentile(p[y == 1], (1 - 40 / 110) * 100)
    expected = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero((y == 1) & (p >= thr))])
    assert_array_equal(idx, expected)


def test_iht_containers_and_errors():
    pd = pytest.importorskip("pandas")
    X, y = mixture((30, 70), seed=14, spread=1.0)
    est = LogisticRegression()
    X_res, _, idx = instance_hardness_threshold(
        X.astype(np.float32), y, estimator=est, random_state=0, return_indices=True
    )
    assert X_res.dtype == np.float32
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res, idx = instance_hardness_threshold(
        df, pd.Series(y), estimator=est, random_state=0, return_indices=True
    )
    assert isinstance(X_res, pd.DataFrame)
    assert_array_equal(X_res.to_numpy(), X[idx])
    with pytest.raises(TypeError, match="predict_proba"):
        instance_hardness_threshold(X, y, estimator=SVC())
    with pytest.raises(ValueError, match="cv must be an integer >= 2, got 1"):
        instance_hardness_threshold(X, y, estimator=est, cv=1)
    with pytest.raises(TypeError, match="cv must be"):
        instance_hardness_threshold(X, y, estimator=est, cv=2.5)
    with pytest.raises(ValueError, match="ratio"):
        instance_hardness_threshold(X, y, estimator=est, ratio=["a"])


def test_cluster_centroids_warns_as_imblearn_on_duplicated_rows():
    # scikit-learn's KMeans warns when it finds fewer distinct clusters than asked for
    # (duplicated rows): imbalanced-learn passes the warning on, and so does the default
    # clusterer of cluster_centroids, attributed to the caller's line.
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    rng = np.random.default_rng(0)
    X = np.vstack([np.repeat(rng.normal(size=(3, 4)), 14, axis=0)[:40],
                   rng.normal(size=(10, 4)) + 3])
    y = np.r_[np.zeros(40, int), np.ones(10, int)]

    def caught(fit):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = fit()
        return out, [(x.category, str(x.message), x.filename) for x in w]

    (Xi, yi), expected = caught(lambda: ClusterCentroids(random_state=0).fit_resample(X, y))
    (Xr, yr), got = caught(lambda: cluster_centroids(X, y, random_state=0))
    assert [(c, m) for c, m, _ in got] == [(c, m) for c, m, _ in expected]
    assert [m for _, m, _ in got] == ["Number of distinct clusters (3) found smaller than "
                                      "n_clusters (10). Possibly due to duplicate points in X."]
    assert got[0][0] is ConvergenceWarning and got[0][2] == __file__
    assert_allclose(Xr[np.lexsort(Xr.T)], Xi[np.lexsort(Xi.T)], rtol=0, atol=1e-12)
    assert_array_equal(np.sort(yr), np.sort(yi))
