"""kmeans_smote, smotenc and smoten against imbalanced-learn (the oracle) and NumPy references."""
import dataclasses

import numpy as np
import pytest
from conftest import blobs, mixed_data, nominal_data

from resamplekit import _neighbors, over_sampling
from resamplekit.over_sampling import kmeans_smote, smoten, smotenc

imblearn_os = pytest.importorskip("imblearn.over_sampling")
pd = pytest.importorskip("pandas")
from sklearn.cluster import KMeans, MiniBatchKMeans  # noqa: E402


def on_segment(new, bases, nbrs, tol=1e-7):
    """For each new row: is it on a segment bases[r] -> nbrs[r, j] for some r, j?"""
    ok = np.zeros(new.shape[0], dtype=bool)
    for j in range(nbrs.shape[1]):
        a = bases[:, None, :]
        b = nbrs[:, j][:, None, :]
        diff = b - a  # (n_base, 1, d)
        v = new[None, :, :] - a  # (n_base, n_new, d)
        denom = (diff ** 2).sum(-1)
        t = np.where(denom > 0, (v * diff).sum(-1) / np.where(denom > 0, denom, 1), 0.0)
        resid = np.abs(v - t[..., None] * diff).max(-1)
        hit = (resid <= tol * (1 + np.abs(a).max(-1))) & (t >= -tol) & (t <= 1 + tol)
        ok |= hit.any(0)
    return ok


def brute_knn(D, k):
    """k nearest of each row of a distance matrix, self excluded, ties to lower index."""
    n = D.shape[0]
    D = D.copy()
    D[np.arange(n), np.arange(n)] = np.inf
    return np.array([np.lexsort((np.arange(n), D[i]))[:k] for i in range(n)])


# ----------------------------------------------------------------------------- SMOTE-NC

@pytest.mark.parametrize("n_per_class", [(120, 40), (120, 40, 25)])
@pytest.mark.parametrize("k", [3, 5])
@pytest.mark.parametrize("seed", [0, 7])
def test_smotenc_equals_imblearn(n_per_class, k, seed):
    X, y, cont, cat = mixed_data(n_per_class, seed=seed)
    ref_X, ref_y = imblearn_os.SMOTENC(
        categorical_features=cat, k_neighbors=k, random_state=seed
    ).fit_resample(X, y)
    X_res, y_res = smotenc(X, y, categorical_features=cat, k=k, random_state=seed)
    np.testing.assert_array_equal(y_res, ref_y)
    np.testing.assert_allclose(X_res[:, cont].astype(float), ref_X[:, cont].astype(float),
                               rtol=1e-12)
    np.testing.assert_array_equal(X_res[:, cat], ref_X[:, cat])


def test_smotenc_categorical_order_and_ratio_dict_equal_imblearn():
    X, y, cont, cat = mixed_data((100, 50, 30), n_cat=3, n_levels=2, seed=3)
    order = cat[::-1]  # the tie-break permutations follow the caller's order
    ratio = {1: 80, 2: 90}
    ref_X, ref_y = imblearn_os.SMOTENC(
        categorical_features=order, sampling_strategy=ratio, random_state=5
    ).fit_resample(X, y)
    X_res, y_res = smotenc(X, y, categorical_features=order, ratio=ratio, random_state=5)
    np.testing.assert_array_equal(y_res, ref_y)
    np.testing.assert_array_equal(X_res[:, cat], ref_X[:, cat])


def test_smotenc_properties():
    X, y, cont, cat = mixed_data((100, 30), n_cat=2, n_levels=4, seed=1)
    k = 4
    X_res, y_res, idx = smotenc(X, y, categorical_features=cat, k=k, random_state=0,
                                return_indices=True)
    n = len(y)
    np.testing.assert_array_equal(idx, np.r_[np.arange(n), np.full(len(y_res) - n, -1)])
    assert (X_res[:n] == X).all()
    rows = np.flatnonzero(y == 1)
    Xc = X[rows][:, cont].astype(float)
    codes = X[rows][:, cat]
    # NumPy reference of the mixed metric: median-std rule
    m = np.median(Xc.std(axis=0))
    D = ((Xc[:, None] - Xc[None]) ** 2).sum(-1) + m * m * (codes[:, None] != codes[None]).sum(-1)
    nn = brute_knn(D, k)
    new = X_res[n:]
    ok = on_segment(new[:, cont].astype(float), Xc, Xc[nn])
    assert ok.all()
    # categorical values only among some base row's neighbours' values, for the base rows whose
    # segment holds the new row
    for i in range(new.shape[0]):
        cands = [r for r in range(len(rows))
                 if on_segment(new[i:i + 1, cont].astype(float), Xc[r:r + 1], Xc[nn[r:r + 1]])[0]]
        assert cands
        assert any(all(new[i, c] in set(codes[nn[r], j]) for j, c in enumerate(cat))
                   for r in cands)


def test_smotenc_pandas_in_out():
    X, y, cont, cat = mixed_data((90, 30), seed=2)
    df = pd.DataFrame({
        "a": X[:, 0].astype(float),
        "color": pd.Categorical(X[:, 1]),
        "b": X[:, 2].astype(np.float32),
        "shape": X[:, 3].astype(str),
        "c": (X[:, 4].astype(float) * 10).astype(int),
    })
    ys = pd.Series(np.where(y == 1, "pos", "neg"), name="target")
    X_res, y_res = smotenc(df, ys, categorical_features=["color", "shape"],
                           random_state=0)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(df.columns)
    assert isinstance(X_res["color"].dtype, pd.CategoricalDtype)
    assert X_res["color"].dtype == df["color"].dtype
    assert X_res["b"].dtype == np.float32 and X_res["a"].dtype == np.float64
    assert X_res["c"].dtype == np.float64  # integer continuous column -> float64
    assert X_res["shape"].dtype == df["shape"].dtype
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert y_res.value_counts().to_dict() == {"neg": 90, "pos": 90}
    pd.testing.assert_frame_equal(X_res.iloc[:120].drop(columns="c"), df.drop(columns="c"))
    np.testing.assert_array_equal(X_res["c"].iloc[:120], df["c"])
    assert set(X_res["shape"]) <= set(df["shape"])
    # 'auto' picks the categorical dtype columns
    X_auto, _ = smotenc(df.drop(columns="shape"), ys, categorical_features="auto", random_state=0)
    assert isinstance(X_auto["color"].dtype, pd.CategoricalDtype)


def test_smotenc_float32_kept_and_bool_mask():
    X, y, cont, cat = mixed_data((60, 20), as_str=False, seed=4)
    Xf = X.astype(np.float32)
    mask = np.zeros(Xf.shape[1], dtype=bool)
    mask[cat] = True
    X_res, y_res = smotenc(Xf, y, categorical_features=mask, random_state=0)
    assert X_res.dtype == np.float32
    assert set(np.unique(X_res[:, cat])) <= set(np.unique(Xf[:, cat]))
    Xi = X.astype(np.int64)
    assert smotenc(Xi, y, categorical_features=cat, random_state=0)[0].dtype == np.float64


def test_smotenc_n_jobs_invariant():
    X, y, cont, cat = mixed_data((100, 30, 20), seed=5)
    a = smotenc(X, y, categorical_features=cat, random_state=1, n_jobs=1)[0]
    b = smotenc(X, y, categorical_features=cat, random_state=1, n_jobs=2)[0]
    assert (a == b).all()


def test_smotenc_one_hot_encoder_with_given_categories():
    from sklearn.preprocessing import OneHotEncoder

    X, y, cont, cat = mixed_data((100, 40), seed=6)
    cats = [["2", "1", "0"], ["0", "2", "1"]]  # a category order that is not sorted
    enc = OneHotEncoder(categories=cats, handle_unknown="ignore")
    ref_X, _ = imblearn_os.SMOTENC(categorical_features=cat, categorical_encoder=enc,
                                   random_state=0).fit_resample(X, y)
    X_res, _ = smotenc(X, y, categorical_features=cat, categorical_encoder=enc, random_state=0)
    np.testing.assert_array_equal(X_res[:, cat], ref_X[:, cat])
    with pytest.raises(ValueError, match="one column per category"):
        smotenc(X, y, categorical_features=cat, categorical_encoder=OneHotEncoder(drop="first"))


def test_smotenc_errors():
    X, y, cont, cat = mixed_data((60, 5), seed=0)
    with pytest.raises(ValueError, match=r"class 1 has 5 rows, but k=5"):
        smotenc(X, y, categorical_features=cat)
    with pytest.raises(ValueError, match="only with categorical"):
        smotenc(X, y, categorical_features=list(range(X.shape[1])), k=2)
    with pytest.raises(ValueError, match="only with numerical"):
        smotenc(X, y, categorical_features=[], k=2)
    with pytest.raises(ValueError, match="should be a pandas.DataFrame"):
        smotenc(X, y, categorical_features="auto", k=2)
    with pytest.raises(ValueError, match="out of range"):
        smotenc(X, y, categorical_features=[9], k=2)
    with pytest.raises(ValueError, match="boolean mask"):
        smotenc(X, y, categorical_features=[True, False], k=2)
    with pytest.raises(ValueError, match="column names needs X to be a pandas"):
        smotenc(X, y, categorical_features=["a"], k=2)
    Xbad = X.copy()
    Xbad[3, 0] = np.nan
    with pytest.raises(ValueError, match="continuous column 0 contains NaN"):
        smotenc(Xbad, y, categorical_features=cat, k=2)
    Xbad = X.copy()
    Xbad[3, 2] = "x"
    with pytest.raises(ValueError, match="continuous column 2 must be numeric"):
        smotenc(Xbad, y, categorical_features=cat, k=2)
    Xbad = X.copy()
    Xbad[3, 1] = None
    with pytest.raises(ValueError, match="categorical column 1 contains missing"):
        smotenc(Xbad, y, categorical_features=cat, k=2)
    with pytest.raises(TypeError, match="k must be an integer"):
        smotenc(X, y, categorical_features=cat, k=2.0)


# ----------------------------------------------------------------------------- SMOTE-N

def vdm_reference(codes, y, n_classes):
    """Brute-force NumPy VDM matrix (imbalanced-learn's definition: k=1, r=2)."""
    n, d = codes.shape
    D = np.zeros((n, n))
    for f in range(d):
        n_cat = codes[:, f].max() + 1
        counts = np.zeros((n_cat, n_classes))
        for c in range(n_classes):
            counts[:, c] = np.bincount(codes[y == c, f], minlength=n_cat)
        P = counts / counts.sum(1, keepdims=True)
        Pi = P[codes[:, f]]
        D += np.abs(Pi[:, None, :] - Pi[None, :, :]).sum(-1) ** 2
    return D


@pytest.mark.kernel
def test_vdm_distances_against_numpy_and_imblearn():
    from imblearn.metrics.pairwise import ValueDifferenceMetric

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 5, size=(80, 4)).astype(np.int32)
    y = rng.integers(0, 3, size=80)
    D = vdm_reference(codes, y, 3)
    vdm = ValueDifferenceMetric(n_categories=[5] * 4).fit(codes, y)
    np.testing.assert_allclose(D, vdm.pairwise(codes), rtol=1e-12, atol=1e-15)
    proba = _neighbors.vdm_class_probabilities(codes, y, [5] * 4, 3)
    rows = np.flatnonzero(y == 1)
    codes_c = np.ascontiguousarray(codes[rows])
    queries = np.arange(len(rows))[::2]
    dist, ind = _neighbors.kneighbors_vdm(codes_c, 6, proba=proba, rows=queries, n_jobs=2)
    Dc = D[np.ix_(rows, rows)]
    nn = brute_knn(Dc, 6)[queries]
    np.testing.assert_allclose(dist, np.take_along_axis(Dc[queries], nn, 1), rtol=1e-12,
                               atol=1e-15)
    # (distance, index) order; distances tie often with categories, compare as sorted pairs
    np.testing.assert_allclose(np.take_along_axis(Dc[queries], ind, 1), dist, atol=1e-12)
    np.testing.assert_array_equal(ind, nn)


@pytest.mark.parametrize("n_per_class", [(120, 40), (120, 40, 30)])
def test_smoten_counts_and_rows_equal_imblearn(n_per_class):
    X, y = nominal_data(n_per_class, seed=1)
    ref_X, ref_y = imblearn_os.SMOTEN(random_state=0).fit_resample(X, y)
    X_res, y_res = smoten(X, y, random_state=0)
    np.testing.assert_array_equal(y_res, ref_y)
    # Rows may differ only where tied distances change imbalanced-learn's neighbour sets.
    assert (X_res == ref_X).all(axis=1).mean() > 0.9


def test_smoten_categories_among_neighbours():
    X, y = nominal_data((100, 35), n_features=4, n_levels=5, seed=2)
    k = 4
    X_res, y_res = smoten(X, y, k=k, random_state=3)
    n = len(y)
    rows = np.flatnonzero(y == 1)
    codes = np.stack([np.unique(X[:, f], return_inverse=True)[1] for f in range(X.shape[1])], 1)
    D = vdm_reference(codes, y, 2)[np.ix_(rows, rows)]
    nn = brute_knn(D, k)
    sets = np.hstack([np.arange(len(rows))[:, None], nn])
    Xc = X[rows]
    for new in X_res[n:]:
        assert any(all(new[f] in set(Xc[sets[r], f]) for f in range(X.shape[1]))
                   for r in range(len(rows)))
    # a new row is a function of its base row: at most n_c distinct new rows
    assert len({tuple(r) for r in X_res[n:]}) <= len(rows)


def test_smoten_pandas_sparse_and_indices():
    X, y = nominal_data((80, 30), seed=4)
    df = pd.DataFrame({"a": pd.Categorical(X[:, 0]), "b": X[:, 1].astype(str),
                       "c": X[:, 2].astype(int)})
    X_res, y_res, idx = smoten(df, pd.Series(y, name="t"), random_state=0, return_indices=True)
    assert list(X_res.columns) == ["a", "b", "c"]
    assert X_res["a"].dtype == df["a"].dtype and X_res["c"].dtype == df["c"].dtype
    assert y_res.name == "t" and (idx[:110] == np.arange(110)).all() and (idx[110:] == -1).all()
    from scipy import sparse

    Xs = sparse.csr_matrix(X.astype(int))
    Xs_res, _ = smoten(Xs, y, random_state=0)
    assert sparse.issparse(Xs_res) and Xs_res.format == "csr"
    np.testing.assert_array_equal(Xs_res.toarray(), smoten(X.astype(int), y, random_state=0)[0])


def test_smoten_n_jobs_invariant_and_errors():
    X, y = nominal_data((100, 40, 20), seed=5)
    a = smoten(X, y, random_state=2, n_jobs=1)[0]
    b = smoten(X, y, random_state=2, n_jobs=2)[0]
    assert (a == b).all()
    with pytest.raises(ValueError, match=r"class 2 has 20 rows, but k=20"):
        smoten(X, y, k=20)
    Xbad = X.copy()
    Xbad[0, 0] = None
    with pytest.raises(ValueError, match="missing"):
        smoten(Xbad, y)


def test_smoten_ordinal_encoder():
    from sklearn.preprocessing import OrdinalEncoder

    X, y = nominal_data((90, 30), seed=6)
    a = smoten(X, y, categorical_encoder=OrdinalEncoder(), random_state=0)[0]
    b = smoten(X, y, random_state=0)[0]
    assert (a == b).all()


# ----------------------------------------------------------------------------- KMeans-SMOTE

class CountingKMeans(MiniBatchKMeans):
    fits = 0

    def fit(self, X, y=None, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_kmeans_smote_one_clustering_per_call():
    X, y = blobs((150, 40, 30, 20))
    CountingKMeans.fits = 0
    X_res, y_res = kmeans_smote(
        X, y, kmeans_estimator=CountingKMeans(n_clusters=4, n_init=1, random_state=0),
        random_state=0,
    )
    assert CountingKMeans.fits == 1
    assert np.bincount(y_res).tolist() == [150] * 4


@pytest.mark.parametrize("n_per_class", [(150, 40), (150, 40, 30)])
def test_kmeans_smote_counts_vs_imblearn(n_per_class):
    X, y = blobs(n_per_class)
    for ratio in ["auto", "all"]:
        ref = imblearn_os.KMeansSMOTE(sampling_strategy=ratio, random_state=0,
                                      kmeans_estimator=4, cluster_balance_threshold=0.1)
        ref_X, ref_y = ref.fit_resample(X, y)
        X_res, y_res = kmeans_smote(X, y, ratio=ratio, random_state=0, kmeans_estimator=4,
                                    cluster_balance_threshold=0.1)
        target = np.bincount(y) + np.array([ref.sampling_strategy_.get(c, 0)
                                            for c in range(len(n_per_class))])
        np.testing.assert_array_equal(np.bincount(y_res), target)
        # imbalanced-learn over-generates (ceil per cluster), never under-generates
        assert (np.bincount(ref_y) >= target).all()


def test_kmeans_smote_equals_imblearn_with_one_qualifying_cluster():
    # well separated blobs, one per class: one cluster qualifies, so imblearn's ceil is exact
    X, y = blobs((150, 40, 30))
    ref_X, ref_y = imblearn_os.KMeansSMOTE(random_state=0, kmeans_estimator=3).fit_resample(X, y)
    X_res, y_res = kmeans_smote(X, y, random_state=0, kmeans_estimator=3)
    np.testing.assert_array_equal(y_res, ref_y)
    np.testing.assert_allclose(X_res, ref_X, rtol=1e-12)


def test_kmeans_smote_rows_on_segments_within_clusters():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(0, 1, (60, 2)) + [3, 0],
                   rng.normal(0, 1, (40, 2)) + [0, 3]])
    y = np.repeat([0, 1, 2], [200, 60, 40])
    k = 3
    est = KMeans(n_clusters=6, n_init=1, random_state=0)
    X_res, y_res = kmeans_smote(X, y, k=k, kmeans_estimator=est, cluster_balance_threshold=0.05,
                                random_state=1)
    clusters = KMeans(n_clusters=6, n_init=1, random_state=0).fit_predict(X)
    n = len(y)
    assert np.bincount(y_res).tolist() == [200, 200, 200]
    for code in (1, 2):
        new = X_res[n:][y_res[n:] == code]
        ok = np.zeros(len(new), dtype=bool)
        for cl in range(6):
            rows = np.flatnonzero((clusters == cl) & (y == code))
            if len(rows) <= k:
                continue
            Xc = X[rows]
            D = ((Xc[:, None] - Xc[None]) ** 2).sum(-1)
            nn = brute_knn(D, k)
            ok |= on_segment(new, Xc, Xc[nn])
        assert ok.all()


def test_kmeans_smote_float32_n_jobs_indices():
    X, y = blobs((150, 40), dtype=np.float32)
    a, ya, idx = kmeans_smote(X, y, kmeans_estimator=2, random_state=0, n_jobs=1,
                              return_indices=True)
    b, yb = kmeans_smote(X, y, kmeans_estimator=2, random_state=0, n_jobs=2)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert (idx[:190] == np.arange(190)).all() and (idx[190:] == -1).all()


def test_kmeans_smote_duplicates_and_errors():
    X, y = blobs((150, 40))
    X[150:] = X[150]  # all minority rows equal: imbalanced-learn divides 0 by 0 here
    X_res, y_res = kmeans_smote(X, y, kmeans_estimator=2, random_state=0)
    assert np.bincount(y_res).tolist() == [150, 150]
    np.testing.assert_array_equal(X_res[190:], np.broadcast_to(X[150], (110, 2)))
    X, y = blobs((150, 2))
    with pytest.raises(ValueError, match=r"class 1 has 2 rows, but k=2"):
        kmeans_smote(X, y)
    X, y = blobs((150, 40))
    with pytest.raises(ValueError, match="no cluster"):
        kmeans_smote(X, y, kmeans_estimator=2, cluster_balance_threshold=1.5)
    with pytest.raises(ValueError, match="cluster_balance_threshold must be 'auto'"):
        kmeans_smote(X, y, cluster_balance_threshold="x")
    with pytest.raises(TypeError, match="kmeans_estimator must be"):
        kmeans_smote(X, y, kmeans_estimator="kmeans")


def test_split_exactly():
    share = over_sampling._split_exactly(10, np.log([1.0, 1.0, 1.0]))
    assert share.tolist() == [4, 3, 3]
    assert over_sampling._split_exactly(7, [-np.inf, -np.inf]).sum() == 7
    assert over_sampling._split_exactly(5, np.log([0.5, 0.3, 0.2])).tolist() == [3, 1, 1]


def test_sum_pairwise_distances_matches_numpy():
    rng = np.random.default_rng(0)
    threads_even_on_small_data = dataclasses.replace(_neighbors.TUNING, work_per_thread=1)
    for n in (1, 2, 255, 256, 300, 1100):  # 1100 rows: 5 blocks of 256, the last partial
        for dtype in (np.float64, np.float32):
            X = (rng.normal(size=(n, 3)) + 50.0).astype(dtype)
            X[-1] = X[0]  # a duplicated row: distance 0
            D = np.sqrt(((X[:, None].astype(float) - X[None]) ** 2).sum(-1))
            one = _neighbors.sum_pairwise_distances(X, n_jobs=1)
            np.testing.assert_allclose(one, D.sum(), rtol=1e-10)
            two = _neighbors.sum_pairwise_distances(X, n_jobs=2,
                                                    tuning=threads_even_on_small_data)
            assert two == one  # same for any threads
    assert _neighbors.sum_pairwise_distances(np.zeros((0, 4))) == 0.0


# ----------------------------------------------------------------------------- kernels

@pytest.mark.kernel
@pytest.mark.parametrize("n", [1, 97, 101])
def test_mixed_kneighbors_kernel(n):
    from resamplekit._kernels._smote_categorical import mixed_kneighbors

    rng = np.random.default_rng(n)
    X = rng.normal(size=(n + 1, 3))
    codes = rng.integers(0, 3, size=(n + 1, 2)).astype(np.int32)
    k = min(4, n)
    ref_D = ((X[:, None] - X[None]) ** 2).sum(-1) + 0.7 * (codes[:, None] != codes[None]).sum(-1)
    ref = brute_knn(ref_D, k)
    X.setflags(write=False)  # read-only inputs work (const memoryviews)
    codes.setflags(write=False)
    for dtype in (np.float64, np.float32):
        for n_threads in (1, 2):
            dist = np.empty((n + 1, k))
            ind = np.empty((n + 1, k), dtype=np.intp)
            mixed_kneighbors(X.astype(dtype), codes, 0.7, k, dist, ind, n_threads)
            if dtype == np.float64:
                np.testing.assert_array_equal(ind, ref)
            np.testing.assert_allclose(dist, np.take_along_axis(ref_D, ind, 1), rtol=1e-6)


@pytest.mark.kernel
def test_mode_vote_kernel_matches_scipy_mode():
    from scipy.stats import mode

    from resamplekit._kernels._smote_categorical import mode_vote

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, size=(50, 3)).astype(np.int32)
    nbrs = rng.integers(0, 50, size=(40, 6)).astype(np.intp)
    out = np.empty((40, 3), dtype=np.int32)
    mode_vote(codes, nbrs, out, 2)
    np.testing.assert_array_equal(out, mode(codes[nbrs], axis=1).mode)


@pytest.mark.kernel
def test_vote_ties_replay_imblearn_permutation():
    """The tied (row, category) list permuted as imbalanced-learn does, first pair per row."""
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 3, size=(30, 2)).astype(np.int32)
    nns = rng.integers(0, 30, size=(30, 4)).astype(np.intp)
    base = rng.integers(0, 30, size=25).astype(np.intp)
    out = over_sampling._vote_with_imblearn_ties(codes, nns, base, np.random.RandomState(3), 2)
    rs = np.random.RandomState(3)
    for f in range(2):
        counts = np.stack([np.bincount(codes[nns[b], f], minlength=3) for b in base])
        is_max = counts == counts.max(1, keepdims=True)
        pairs = rs.permutation(np.argwhere(is_max))
        rows, first = np.unique(pairs[:, 0], return_index=True)
        np.testing.assert_array_equal(out[rows, f], pairs[first, 1])


def test_smotenc_dataframe_auto_equals_imblearn():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({
        "a": rng.normal(size=n),
        "c1": pd.Categorical(rng.choice(list("xyz"), n)),
        "b": rng.normal(size=n).astype(np.float32),
        "c2": pd.Categorical(rng.choice(list("pq"), n)),
    })
    y = pd.Series(np.r_[np.zeros(150, int), np.ones(50, int)], name="t")
    ref_X, ref_y = imblearn_os.SMOTENC(categorical_features="auto",
                                       random_state=0).fit_resample(df, y)
    X_res, y_res = smotenc(df, y, categorical_features="auto", random_state=0)
    assert X_res.dtypes.tolist() == ref_X.dtypes.tolist()
    pd.testing.assert_series_equal(y_res, ref_y)
    pd.testing.assert_frame_equal(X_res[["c1", "c2"]], ref_X[["c1", "c2"]])
    np.testing.assert_allclose(X_res[["a", "b"]].to_numpy(float), ref_X[["a", "b"]].to_numpy(float),
                               rtol=1e-6)


def test_inputs_untouched_and_read_only_accepted():
    Xm, ym, _, cat = mixed_data((80, 30), as_str=False, seed=8)
    Xm = Xm.astype(np.float64)
    Xn, yn = nominal_data((80, 30), seed=8)
    Xb, yb = blobs((120, 40))
    for func, X, y, kw in [
        (smotenc, Xm, ym, {"categorical_features": cat}),
        (smoten, Xn, yn, {}),
        (kmeans_smote, Xb, yb, {"kmeans_estimator": 2}),
    ]:
        X0, y0 = X.copy(), y.copy()
        X.setflags(write=False)
        y.setflags(write=False)
        X_res, y_res = func(X, y, random_state=0, **kw)
        assert (X == X0).all() and (y == y0).all()
        assert (X_res[: len(y)] == X0).all()


# ----------------------------------------------------------------------------- complex X

@pytest.mark.parametrize("container", ["complex ndarray", "object ndarray", "DataFrame"])
def test_smotenc_rejects_complex_continuous_columns(container):
    rng = np.random.default_rng(0)
    real = rng.normal(size=40)
    cats = rng.choice(["a", "b"], size=40)
    y = np.array([0] * 30 + [1] * 10)
    if container == "complex ndarray":
        X = np.c_[real + 1j, rng.integers(0, 2, 40)]
        name, dtype = "0", "complex128"
    elif container == "object ndarray":
        X = np.empty((40, 2), dtype=object)
        X[:, 0] = real
        X[5, 0] = 1 + 2j
        X[:, 1] = cats
        name, dtype = "0", "object, holding complex numbers"
    else:
        X = pd.DataFrame({"x": real + 0j, "c": pd.Categorical(cats)})
        name, dtype = "'x'", "complex128"
    with _no_complex_warning():  # refused, not cast with a ComplexWarning
        with pytest.raises(TypeError) as info:
            smotenc(X, y, categorical_features=[1], random_state=0)
    msg = str(info.value)
    assert f"X has complex values in continuous column {name} (dtype {dtype})" in msg
    assert "must be real numbers (float, integer or bool)" in msg


def _no_complex_warning():
    import contextlib
    import warnings

    @contextlib.contextmanager
    def check():
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            yield

    return check()


# ----------------------------------------------------------------------------- _neighbors entry
# points of the categorical metrics: NumPy references, (distance, index) order, self by index

def _sorted_reference(D, k):
    """k smallest of each row of D (diagonal excluded), ties to the lower index."""
    D = D.copy()
    np.fill_diagonal(D, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(D.shape[1]), D.shape), D), axis=1)[:, :k]
    return np.take_along_axis(D, order, 1), order


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kneighbors_mixed_against_numpy(dtype):
    rng = np.random.default_rng(5)
    X = rng.integers(-4, 5, size=(120, 3)) / 2  # halves: exact sums, many exactly tied distances
    codes = rng.integers(0, 3, size=(120, 2))
    X[7], codes[7] = X[3], codes[3]  # a duplicated row: distance 0, each the other's neighbour
    Xd = X.astype(dtype)
    Xq = Xd.astype(np.float64)
    sq = ((Xq[:, None] - Xq[None]) ** 2).sum(-1) + 0.25 * (codes[:, None] != codes[None]).sum(-1)
    ref_d, ref_i = _sorted_reference(sq, 6)
    for n_jobs in (1, 2):
        dist, ind = _neighbors.kneighbors_mixed(Xd, codes, 6, cat_distance=0.5, n_jobs=n_jobs)
        assert dist.dtype == np.float64 and ind.dtype == np.intp
        np.testing.assert_allclose(dist, np.sqrt(ref_d), rtol=1e-12)
        np.testing.assert_array_equal(ind, ref_i)
        assert ind[3, 0] == 7 and ind[7, 0] == 3 and dist[3, 0] == 0.0
        assert not (ind == np.arange(120)[:, None]).any()


def test_kneighbors_mixed_validates_its_arguments():
    X = np.zeros((5, 2))
    codes = np.zeros((5, 1), dtype=int)
    with pytest.raises(ValueError, match="k must be <= 4"):
        _neighbors.kneighbors_mixed(X, codes, 5, cat_distance=1.0)
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        _neighbors.kneighbors_mixed(X, codes, 0, cat_distance=1.0)
    with pytest.raises(ValueError, match="cat_distance must be a finite real number >= 0"):
        _neighbors.kneighbors_mixed(X, codes, 2, cat_distance=-1.0)
    with pytest.raises(ValueError, match="same number of rows"):
        _neighbors.kneighbors_mixed(X, codes[:4], 2, cat_distance=1.0)
    with pytest.raises(TypeError, match="integer category codes"):
        _neighbors.kneighbors_mixed(X, codes.astype(float), 2, cat_distance=1.0)
    with pytest.raises(ValueError, match="finite"):
        _neighbors.kneighbors_mixed(np.full((5, 2), np.nan), codes, 2, cat_distance=1.0)


def test_kneighbors_vdm_against_imblearn_metric():
    from imblearn.metrics.pairwise import ValueDifferenceMetric

    rng = np.random.default_rng(2)
    codes = rng.integers(0, 4, size=(90, 3))
    y = rng.integers(0, 3, size=90)
    proba = _neighbors.vdm_class_probabilities(codes, y, [4] * 3, 3)
    vdm = ValueDifferenceMetric(n_categories=[4] * 3).fit(codes, y)
    for P, ref in zip(proba, vdm.proba_per_class_):
        np.testing.assert_allclose(P, ref, rtol=1e-15)
    D = vdm.pairwise(codes)
    ref_d, ref_i = _sorted_reference(D, 5)
    for n_jobs in (1, 2):
        dist, ind = _neighbors.kneighbors_vdm(codes, 5, proba=proba, n_jobs=n_jobs)
        np.testing.assert_allclose(dist, ref_d, rtol=1e-12, atol=1e-15)
        # categorical data ties often: the order is (distance, index) of the kernel's sums
        np.testing.assert_array_equal(np.take_along_axis(D, ind, 1).round(12), dist.round(12))
        assert (np.diff(dist, axis=1) >= 0).all()
        tied = np.isclose(dist[:, 1:], dist[:, :-1], rtol=0, atol=0)
        assert (np.diff(ind, axis=1)[tied] > 0).all()
        assert not (ind == np.arange(90)[:, None]).any()
    rows = np.array([4, 0, 88])
    sub_d, sub_i = _neighbors.kneighbors_vdm(codes, 5, proba=proba, rows=rows)
    np.testing.assert_array_equal(sub_i, _neighbors.kneighbors_vdm(codes, 5, proba=proba)[1][rows])


def test_kneighbors_vdm_validates_its_arguments():
    codes = np.array([[0, 1], [1, 1], [2, 0]])
    proba = _neighbors.vdm_class_probabilities(codes, np.array([0, 1, 1]), [3, 2], 2)
    with pytest.raises(ValueError, match="k must be <= 2"):
        _neighbors.kneighbors_vdm(codes, 3, proba=proba)
    with pytest.raises(ValueError, match="one table per feature"):
        _neighbors.kneighbors_vdm(codes, 1, proba=proba[:1])
    with pytest.raises(ValueError, match=r"proba\[1\] must be"):
        _neighbors.kneighbors_vdm(codes, 1, proba=[proba[0], proba[1][:1]])
    with pytest.raises(ValueError, match=r"rows must be indices in \[0, 2\]"):
        _neighbors.kneighbors_vdm(codes, 1, proba=proba, rows=[3])
    with pytest.raises(ValueError, match="category codes in"):
        _neighbors.kneighbors_vdm(codes - 1, 1, proba=proba)
    with pytest.raises(ValueError, match="n_categories must give one count per feature"):
        _neighbors.vdm_class_probabilities(codes, np.array([0, 1, 1]), [3], 2)
    with pytest.raises(ValueError, match=r"codes of feature 0 must be < n_categories\[0\] = 2"):
        _neighbors.vdm_class_probabilities(codes, np.array([0, 1, 1]), [2, 2], 2)


# ----------------------------------------------------------------------------- architecture

def test_public_modules_reach_neighbours_only_through_neighbors():
    """No public module imports an underscore name of another resamplekit module, nor the
    neighbour kernel _knn (kernel modules for other work, such as _kernels._smote, are fine)."""
    import ast
    import pathlib

    import resamplekit

    root = pathlib.Path(resamplekit.__file__).parent
    public = ["over_sampling", "under_sampling", "cleaning", "combine", "estimators", "__main__"]
    for name in public:
        tree = ast.parse((root / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or "resamplekit" in
                                                     (node.module or "")):
                module = node.module or ""
                assert "_knn" not in module.split("."), (name, module)
                for alias in node.names:
                    if module.split(".")[-1] == "_kernels":  # kernel modules themselves
                        assert alias.name != "_knn", (name, module)
                    else:
                        assert not alias.name.startswith("_"), (name, module, alias.name)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert node.value.id != "_knn", name
