"""Sample weights (``sample_weight=``, estimators' ``sample_weight_``, resamplekit.pipeline).

- Every public function takes ``sample_weight``; the output's weights come right after y_res,
  and the rows, labels, indices and provenance are those of the call without weights.
- Kept rows keep their weight; a synthetic row's weight is its parents' weights mixed with the
  row's own step, checked against an oracle that does not read the provenance: with weights an
  affine function of one feature, an interpolated row's weight is that function at the row.
- Rows of weight 0 are exactly absent: the result equals the call on the other rows, with
  indices and provenance numbered in the whole X.
- Bad weights are refused with errors that name sample_weight and the value.
- The estimator classes set ``sample_weight_``; resamplekit.pipeline's Pipeline gives the steps
  after a sampler the resampled weights, with metadata routing (also through GridSearchCV) and
  without it; imbalanced-learn's own Pipeline cannot.
"""
import inspect
import subprocess
import sys

import numpy as np
import pytest

import resamplekit as rk
from resamplekit._weights import check_sample_weight

from conftest import method_data

FUNCTIONS = sorted(rk.__all__)
INTERPOLATING = ["smote", "borderline_smote", "kmeans_smote", "adasyn", "smote_tomek",
                 "smote_enn", "smotenc"]


def _data(name, n_major=60, n_minor=20):
    return method_data(name, n_major=n_major, n_minor=n_minor)


def _call(name, X, y, kwargs, **flags):
    return getattr(rk, name)(X, y, **kwargs, **flags)


def _weights(n, seed=1):
    return np.random.default_rng(seed).uniform(0.25, 4.0, n)


def _assert_same_rows(a, b):
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


# ------------------------------------------------------------------- the rows do not change


@pytest.mark.parametrize("name", FUNCTIONS)
def test_weights_follow_y_and_leave_the_rows_as_they_are(name):
    X, y, kwargs = _data(name)
    w = _weights(len(y))
    w_before = w.copy()
    X_before = X.copy()
    plain = _call(name, X, y, kwargs, return_indices=True, return_provenance=True)
    out = _call(name, X, y, kwargs, sample_weight=w, return_indices=True,
                return_provenance=True)
    assert len(out) == len(plain) + 1
    X_res, y_res, w_res, idx, rec = out
    _assert_same_rows(X_res, plain[0])
    _assert_same_rows(y_res, plain[1])
    _assert_same_rows(idx, plain[2])
    assert rec.tobytes() == plain[3].tobytes()
    assert isinstance(w_res, np.ndarray) and w_res.dtype == np.float64
    assert w_res.shape == (len(y_res),)
    assert np.isfinite(w_res).all() and (w_res > 0).all()
    # kept rows keep their weight
    kept = rec["step"] == "input"
    np.testing.assert_array_equal(w_res[kept], w[rec["row"][kept]])
    # the inputs are not modified
    np.testing.assert_array_equal(w, w_before)
    np.testing.assert_array_equal(X, X_before)
    # the shortest call: three outputs
    assert len(_call(name, X, y, kwargs, sample_weight=w)) == 3


@pytest.mark.parametrize("name", FUNCTIONS)
def test_equal_weights_pass_on_unchanged(name):
    X, y, kwargs = _data(name)
    X_res, y_res, w_res = _call(name, X, y, kwargs, sample_weight=np.full(len(y), 2.5))
    np.testing.assert_array_equal(w_res, np.full(len(y_res), 2.5))


def test_renn_rounds_come_after_the_indices():
    X, y, _ = _data("repeated_edited_nearest_neighbours")
    w = _weights(len(y))
    X_res, y_res, w_res, idx, n_iter, rec = rk.repeated_edited_nearest_neighbours(
        X, y, sample_weight=w, return_indices=True, return_n_iter=True, return_provenance=True)
    assert isinstance(n_iter, int) and n_iter >= 1
    np.testing.assert_array_equal(w_res, w[idx])


# ------------------------------------------------------------------ the weight of a new row


@pytest.mark.parametrize("name", INTERPOLATING)
def test_interpolated_weight_is_the_parents_weights_at_the_new_row(name):
    """Weights affine in a continuous feature: each new row's weight is that affine function
    at the new row (an oracle independent of the provenance records)."""
    X, y, kwargs = _data(name)
    col = 1  # continuous for every method here (smotenc's column 0 is categorical)
    w = 3.0 + 0.5 * (X[:, col] - X[:, col].min())
    X_res, y_res, w_res, idx = _call(name, X, y, kwargs, sample_weight=w, return_indices=True)
    X_res = np.asarray(X_res, dtype=np.float64)
    new = idx < 0
    assert new.any()
    expected = 3.0 + 0.5 * (X_res[new, col] - X[:, col].min())
    np.testing.assert_allclose(w_res[new], expected, rtol=1e-12, atol=1e-12)


def test_borderline_2_towards_another_class_uses_the_halved_step():
    X, y, kwargs = _data("borderline_smote")
    w = 3.0 + 0.5 * (X[:, 2] - X[:, 2].min())
    X_res, y_res, w_res, rec = rk.borderline_smote(
        X, y, kind="borderline-2", sample_weight=w, return_provenance=True, **kwargs)
    halved = (rec["step"] == "synthetic") & (rec["scale"] != 1.0)
    assert halved.any()
    expected = 3.0 + 0.5 * (X_res[halved, 2] - X[:, 2].min())
    np.testing.assert_allclose(w_res[halved], expected, rtol=1e-12)


def test_svm_smote_extrapolated_rows_stay_between_their_parents_weights():
    X, y, kwargs = _data("svm_smote", n_major=120, n_minor=40)
    w = _weights(len(y))
    X_res, y_res, w_res, rec = rk.svm_smote(X, y, sample_weight=w, return_provenance=True,
                                            **kwargs)
    made = rec["step"] == "synthetic"
    a, b = w[rec["row"][made]], w[rec["neighbor"][made]]
    assert (w_res[made] >= np.minimum(a, b) - 1e-12).all()
    assert (w_res[made] <= np.maximum(a, b) + 1e-12).all()
    out = made & (rec["gap"] < 0)
    if out.any():  # |gap| of the way towards the neighbour's weight
        t = np.abs(rec["gap"][out])
        base = w[rec["row"][out]]
        np.testing.assert_allclose(w_res[out], base + t * (w[rec["neighbor"][out]] - base))


@pytest.mark.parametrize("name, step", [("smoten", "vote"), ("random_over", "smoothed")])
def test_rows_made_from_one_row_keep_its_weight(name, step):
    X, y, kwargs = _data(name)
    if name == "random_over":
        kwargs["shrinkage"] = 1.0
    w = _weights(len(y))
    X_res, y_res, w_res, rec = _call(name, X, y, kwargs, sample_weight=w,
                                     return_provenance=True)
    made = rec["step"] == step
    assert made.any()
    np.testing.assert_array_equal(w_res[made], w[rec["row"][made]])


def test_centroid_weight_is_the_mean_weight_of_its_cluster():
    pytest.importorskip("sklearn")
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(3)
    centers = rng.normal(0, 20, (6, 2))
    X0 = np.vstack([c + rng.normal(0, 0.5, (30, 2)) for c in centers])
    X = np.vstack([X0, rng.normal(0, 0.5, (6, 2)) + 100])
    y = np.array([0] * len(X0) + [1] * 6)
    w = _weights(len(y))
    X_res, y_res, w_res, rec = rk.cluster_centroids(X, y, random_state=0, sample_weight=w,
                                                    return_provenance=True)
    cent = rec["step"] == "centroid"
    assert cent.sum() == 6
    km = KMeans(n_clusters=6, random_state=0).fit(X0)
    for i in np.flatnonzero(cent):
        j = np.argmin(((km.cluster_centers_ - X_res[i]) ** 2).sum(1))
        np.testing.assert_allclose(w_res[i], w[:len(X0)][km.labels_ == j].mean())
    # the minority class (not targeted) keeps its rows and weights
    np.testing.assert_array_equal(w_res[~cent], w[rec["row"][~cent]])


# -------------------------------------------------------------------------- weight 0 = absent


@pytest.mark.parametrize("name", FUNCTIONS)
def test_rows_of_weight_zero_are_left_out(name):
    X, y, kwargs = _data(name, n_major=70, n_minor=24)
    w = _weights(len(y))
    w[::7] = 0.0
    keep = np.flatnonzero(w)
    X_res, y_res, w_res, idx, rec = _call(name, X, y, kwargs, sample_weight=w,
                                          return_indices=True, return_provenance=True)
    sub = _call(name, X[keep], y[keep], kwargs, sample_weight=w[keep], return_indices=True,
                return_provenance=True)
    _assert_same_rows(X_res, sub[0])
    _assert_same_rows(y_res, sub[1])
    np.testing.assert_array_equal(w_res, sub[2])
    np.testing.assert_array_equal(idx, np.where(sub[3] >= 0, keep[np.maximum(sub[3], 0)], -1))
    for field in ("row", "neighbor"):
        np.testing.assert_array_equal(
            rec[field], np.where(sub[4][field] >= 0, keep[np.maximum(sub[4][field], 0)], -1))
    assert not np.isin(idx, np.flatnonzero(w == 0)).any()
    assert not np.isin(rec["neighbor"], np.flatnonzero(w == 0)).any()


def test_a_class_of_weight_zero_is_absent():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    y = np.repeat([0, 1, 2], 30)
    y[:50] = 0
    w = np.where(y == 2, 0.0, 1.0)
    X_res, y_res, w_res = rk.random_under(X, y, random_state=0, sample_weight=w)
    assert set(np.unique(y_res)) == {0, 1}


def test_weights_leaving_one_class_are_refused():
    X, y, _ = _data("tomek_links")
    with pytest.raises(ValueError, match=r"sample_weight leaves fewer than 2 classes.*\[1\]"):
        rk.tomek_links(X, y, sample_weight=np.where(y == 1, 0.0, 1.0))


def test_pandas_rows_keep_their_labels_and_polars_works():
    pd = pytest.importorskip("pandas")
    X, y, _ = _data("random_under")
    w = _weights(len(y))
    w[:5] = 0
    frame = pd.DataFrame(X, columns=["a", "b", "c"], index=np.arange(100, 100 + len(y)))
    X_res, y_res, w_res, idx = rk.random_under(
        frame, pd.Series(y, index=frame.index, name="t"), random_state=0,
        sample_weight=pd.Series(w), return_indices=True)
    np.testing.assert_array_equal(X_res.index, 100 + idx)
    np.testing.assert_array_equal(w_res, w[idx])
    pl = pytest.importorskip("polars")
    P_res, py_res, pw_res = rk.smote(pl.DataFrame(X, schema=["a", "b", "c"]), pl.Series("t", y),
                                     random_state=0, sample_weight=pl.Series(w))
    N_res, ny_res, nw_res = rk.smote(X, y, random_state=0, sample_weight=list(w))
    np.testing.assert_array_equal(P_res.to_numpy(), N_res)
    np.testing.assert_array_equal(pw_res, nw_res)


# ------------------------------------------------------------------------------ bad weights


@pytest.mark.parametrize("weights, error, message", [
    (-np.ones(80), ValueError, r"sample_weight must be >= 0, got -1\.0 at row 0"),
    (np.r_[np.ones(79), np.nan], ValueError, r"sample_weight must be finite, got nan at row 79"),
    (np.r_[np.inf, np.ones(79)], ValueError, r"must be finite, got inf at row 0"),
    (np.ones(79), ValueError, r"one weight per row of X, got 79 weights for 80 rows"),
    (np.ones((80, 1)), ValueError, r"must be 1-d.*shape \(80, 1\)"),
    (2.0, TypeError, r"1-d array with one weight per row of X \(80\), got 2\.0"),
    (np.zeros(80), ValueError, r"positive sum, got 80 weights of 0"),
    (np.array(["1"] * 80), TypeError, r"must hold numbers.*dtype <U1"),
    (np.ones(80, dtype=bool), TypeError, r"bool weights are refused"),
])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_bad_weights_are_refused(name, weights, error, message):
    X, y, kwargs = _data(name)
    with pytest.raises(error, match=message):
        _call(name, X, y, kwargs, sample_weight=weights)


def test_check_sample_weight_copies_and_converts():
    w = np.array([1, 2, 3], dtype=np.int32)
    out = check_sample_weight(w, 3)
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]
    out[0] = 9
    assert w[0] == 1


# ----------------------------------------------------------------------------- the classes


def _estimators():
    pytest.importorskip("sklearn")
    from resamplekit import estimators

    return estimators


CLASS_ARGS = {"SMOTENC": dict(categorical_features=[0]), "SMOTEN": {}}


@pytest.mark.parametrize("name", ["RandomUnderSampler", "NearMiss", "TomekLinks",
                                  "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours",
                                  "AllKNN", "NeighbourhoodCleaningRule",
                                  "CondensedNearestNeighbour", "OneSidedSelection",
                                  "ClusterCentroids", "InstanceHardnessThreshold",
                                  "RandomOverSampler", "SMOTE", "BorderlineSMOTE", "SVMSMOTE",
                                  "KMeansSMOTE", "ADASYN", "SMOTENC", "SMOTEN", "SMOTETomek",
                                  "SMOTEENN"])
def test_estimators_store_the_resampled_weights(name):
    estimators = _estimators()
    cls = getattr(estimators, name)
    function = {"SMOTENC": "smotenc", "SMOTEN": "smoten"}.get(name, "smote")
    X, y, _ = _data(function)
    params = dict(CLASS_ARGS.get(name, {}))
    if "random_state" in inspect.signature(cls).parameters:
        params["random_state"] = 0
    w = _weights(len(y))
    w[3] = 0.0
    sampler = cls(**params)
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=w)
    assert sampler.sample_weight_.shape == (len(y_res),)
    ref = cls(**params)
    keep = w > 0
    ref.fit_resample(X[keep], y[keep], sample_weight=w[keep])
    np.testing.assert_array_equal(sampler.sample_weight_, ref.sample_weight_)
    kept = sampler.sample_indices_ >= 0
    np.testing.assert_array_equal(sampler.sample_weight_[kept], w[sampler.sample_indices_[kept]])
    assert 3 not in sampler.sample_indices_
    assert sum(sampler.sampling_strategy_.values()) == sum(ref.sampling_strategy_.values())
    sampler.fit_resample(X, y)
    assert sampler.sample_weight_ is None


def test_estimator_errors_name_sample_weight():
    estimators = _estimators()
    X, y, _ = _data("smote")
    with pytest.raises(ValueError, match="sample_weight must be >= 0"):
        estimators.SMOTE().fit_resample(X, y, sample_weight=-np.ones(len(y)))


# ------------------------------------------------------------------------------- pipelines


class _Recorder:
    """A classifier that records the weights it was fitted with."""

    @staticmethod
    def make():
        from sklearn.linear_model import LogisticRegression

        class Recorder(LogisticRegression):
            def fit(self, X, y, sample_weight=None):
                self.seen_ = None if sample_weight is None else np.array(sample_weight)
                self.rows_ = len(y)
                return super().fit(X, y, sample_weight=sample_weight)

        return Recorder


@pytest.fixture
def routing():
    sklearn = pytest.importorskip("sklearn")
    pytest.importorskip("imblearn")
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _pipeline_data():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    return X, y, _weights(len(y), seed=5)


def test_pipeline_gives_the_classifier_the_resampled_weights(routing):
    from sklearn.preprocessing import StandardScaler

    from resamplekit.estimators import SMOTE
    from resamplekit.pipeline import make_pipeline

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    pipe = make_pipeline(
        StandardScaler().set_fit_request(sample_weight=True),
        SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
        Recorder().set_fit_request(sample_weight=True),
    ).fit(X, y, sample_weight=w)
    Xs = StandardScaler().fit(X, sample_weight=w).transform(X)
    _, y_res, w_res = rk.smote(Xs, y, random_state=0, sample_weight=w)
    np.testing.assert_array_equal(pipe[-1].seen_, w_res)
    assert pipe[-1].rows_ == len(y_res)
    pipe.predict(X)


def test_pipeline_passes_weights_through_two_samplers_and_a_transformer(routing):
    from sklearn.preprocessing import StandardScaler

    from resamplekit.estimators import RandomUnderSampler, TomekLinks
    from resamplekit.pipeline import make_pipeline

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    pipe = make_pipeline(
        TomekLinks().set_fit_resample_request(sample_weight=True),
        StandardScaler().set_fit_request(sample_weight=True),
        RandomUnderSampler(random_state=0).set_fit_resample_request(sample_weight=True),
        Recorder().set_fit_request(sample_weight=True),
    ).fit(X, y, sample_weight=w)
    X1, y1, w1 = rk.tomek_links(X, y, sample_weight=w)
    X2 = StandardScaler().fit(X1, sample_weight=w1).transform(X1)
    _, _, w3 = rk.random_under(X2, y1, random_state=0, sample_weight=w1)
    np.testing.assert_array_equal(pipe[-1].seen_, w3)


def test_grid_search_routes_each_folds_weights(routing):
    from sklearn.metrics import balanced_accuracy_score, make_scorer
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from resamplekit.estimators import SMOTE
    from resamplekit.pipeline import make_pipeline

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    pipe = make_pipeline(SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
                         Recorder().set_fit_request(sample_weight=True))
    cv = StratifiedKFold(3)
    search = GridSearchCV(pipe, {"smote__k_neighbors": [3, 5]}, cv=cv,
                          scoring=make_scorer(balanced_accuracy_score).set_score_request(sample_weight=True),
                          error_score="raise")
    search.fit(X, y, sample_weight=w)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    k = search.best_params_["smote__k_neighbors"]
    _, _, w_res = rk.smote(X, y, k=k, random_state=0, sample_weight=w)
    np.testing.assert_array_equal(search.best_estimator_[-1].seen_, w_res)


def test_pipeline_without_routing_uses_step_parameters():
    sklearn = pytest.importorskip("sklearn")
    pytest.importorskip("imblearn")
    from resamplekit.estimators import SMOTE
    from resamplekit.pipeline import make_pipeline

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    with sklearn.config_context(enable_metadata_routing=False):
        pipe = make_pipeline(SMOTE(random_state=0), Recorder())
        pipe.fit(X, y, smote__sample_weight=w, recorder__sample_weight=w)
    np.testing.assert_array_equal(pipe[-1].seen_, rk.smote(X, y, random_state=0,
                                                           sample_weight=w)[2])


def test_pipeline_says_which_step_lacks_the_weights(routing):
    from resamplekit.estimators import SMOTE
    from resamplekit.pipeline import make_pipeline

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    pipe = make_pipeline(SMOTE(random_state=0).set_fit_resample_request(sample_weight=False),
                         Recorder().set_fit_request(sample_weight=True))
    with pytest.raises(ValueError, match=r"step 'recorder' is given sample_weight for fit "
                                         r"with 400 weights, but step 'smote' \(SMOTE\) "
                                         r"resampled the data to \d+ rows without them"):
        pipe.fit(X, y, sample_weight=w)


def test_imblearn_pipeline_gives_the_classifier_the_callers_weights(routing):
    """Why resamplekit.pipeline exists: imbalanced-learn's Pipeline routes the caller's weights
    to the classifier, whose rows the sampler has changed."""
    from imblearn.pipeline import make_pipeline

    from resamplekit.estimators import SMOTE

    Recorder = _Recorder.make()
    X, y, w = _pipeline_data()
    pipe = make_pipeline(SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
                         Recorder().set_fit_request(sample_weight=True))
    with pytest.raises(ValueError):
        pipe.fit(X, y, sample_weight=w)


@pytest.mark.parametrize("first", ["resamplekit.estimators", "imblearn"])
def test_routing_works_whichever_is_imported_first(first):
    pytest.importorskip("imblearn")
    code = f"""
import importlib
importlib.import_module({first!r})
import numpy as np, sklearn
from sklearn.linear_model import LogisticRegression
from resamplekit.estimators import SMOTE
from resamplekit.pipeline import make_pipeline
sklearn.set_config(enable_metadata_routing=True)
rng = np.random.default_rng(0)
X = rng.normal(size=(60, 2)); y = np.r_[np.zeros(50, int), np.ones(10, int)]
pipe = make_pipeline(SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
                     LogisticRegression().set_fit_request(sample_weight=True))
pipe.fit(X, y, sample_weight=np.ones(60))
print(pipe[0].sample_weight_.shape[0])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "100"


def test_import_resamplekit_does_not_import_imblearn():
    code = ("import sys, numpy as np, resamplekit as rk; "
            "rk.smote(np.random.rand(30, 2), [0] * 24 + [1] * 6, sample_weight=np.ones(30)); "
            "print('imblearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_sparse_x_gives_the_dense_weights(name):
    from scipy import sparse

    X, y, kwargs = _data(name)
    if name != "smoten":
        X = np.where(np.abs(X) < 0.5, 0, X)
    if name == "cluster_centroids":
        kwargs = {**kwargs, "voting": "soft"}
    w = _weights(len(y))
    w[3] = 0.0
    dense = _call(name, X, y, kwargs, sample_weight=w, return_indices=True)
    out = _call(name, sparse.csc_matrix(X), y, kwargs, sample_weight=w, return_indices=True)
    assert sparse.issparse(out[0])
    if name == "cluster_centroids":  # KMeans on CSR: the same centres to rounding
        np.testing.assert_allclose(out[0].toarray(), dense[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(out[2], dense[2], rtol=1e-12)
    else:
        np.testing.assert_array_equal(out[0].toarray(), dense[0])
        np.testing.assert_array_equal(out[2], dense[2])
    np.testing.assert_array_equal(out[1], dense[1])
    np.testing.assert_array_equal(out[3], dense[3])
