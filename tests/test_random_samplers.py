"""random_under and random_over against imbalanced-learn's RandomUnderSampler/RandomOverSampler."""
import numpy as np
import pandas as pd
import pytest
from conftest import noise_classes, readonly, traced_peak
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from scipy import sparse

from resamplekit.over_sampling import random_over
from resamplekit.under_sampling import random_under


X_MULTI, Y_MULTI = noise_classes()
X_BIN, Y_BIN = noise_classes(weights=(0.8, 0.2), seed=1)

UNDER_RATIOS = ["auto", "majority", "not minority", "not majority", "all"]
OVER_RATIOS = ["auto", "minority", "not minority", "not majority", "all"]


def under_dict(y):
    counts = np.bincount(y)
    return {0: counts[0] // 2, 2: counts[2] - 1}


def over_dict(y):
    counts = np.bincount(y)
    return {1: counts[1] + 7, 2: 2 * counts[2], 0: counts[0]}


# ---------------------------------------------------------------- same rows as imbalanced-learn


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("ratio", UNDER_RATIOS + ["dict", "callable", "float"])
@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_random_under_equals_imblearn(seed, ratio, replacement):
    X, y = (X_BIN, Y_BIN) if ratio == "float" else (X_MULTI, Y_MULTI)
    ratio = {"dict": under_dict(y) if ratio == "dict" else None, "callable": under_dict,
             "float": 0.7}.get(ratio, ratio)
    ref = RandomUnderSampler(sampling_strategy=ratio, replacement=replacement, random_state=seed)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res, idx = random_under(
        X, y, ratio=ratio, replacement=replacement, random_state=seed, return_indices=True
    )
    np.testing.assert_array_equal(idx, ref.sample_indices_)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert y_res.dtype == y_ref.dtype


@pytest.mark.parametrize("shrinkage", [None, 0.0, 1.5, "dict"])
@pytest.mark.parametrize("ratio", OVER_RATIOS + ["dict", "callable", "float"])
@pytest.mark.parametrize("seed", [0, 3, 2**31])
def test_random_over_equals_imblearn(seed, ratio, shrinkage):
    X, y = (X_BIN, Y_BIN) if ratio == "float" else (X_MULTI, Y_MULTI)
    ratio = {"dict": over_dict(y) if ratio == "dict" else None, "callable": over_dict,
             "float": 0.9}.get(ratio, ratio)
    if shrinkage == "dict":
        shrinkage = {c: 0.5 + c for c in np.unique(y).tolist()}
    ref = RandomOverSampler(sampling_strategy=ratio, shrinkage=shrinkage, random_state=seed)
    X_ref, y_ref = ref.fit_resample(X, y)
    X_res, y_res, idx = random_over(
        X, y, ratio=ratio, shrinkage=shrinkage, random_state=seed, return_indices=True
    )
    np.testing.assert_array_equal(idx, ref.sample_indices_)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-15, atol=0)
    assert X_res.dtype == X_ref.dtype


@pytest.mark.parametrize("shrinkage", [None, 0.8])
def test_random_over_float32(shrinkage):
    X, y = noise_classes(dtype=np.float32, seed=5)
    ref = RandomOverSampler(shrinkage=shrinkage, random_state=9)
    X_ref, _ = ref.fit_resample(X, y)
    X_res, _ = random_over(X, y, shrinkage=shrinkage, random_state=9)
    # float32 stays float32; imbalanced-learn gives float64 with shrinkage
    assert X_res.dtype == np.float32
    np.testing.assert_array_equal(X_res, X_ref.astype(np.float32))


def test_random_over_shrinkage_integer_X_gives_float64():
    X = np.random.default_rng(0).integers(0, 50, size=(300, 3))
    ref = RandomOverSampler(shrinkage=1.0, random_state=0)
    X_ref, _ = ref.fit_resample(X, Y_MULTI)
    X_res, _ = random_over(X, Y_MULTI, shrinkage=1.0, random_state=0)
    assert X_res.dtype == np.float64
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-14)
    assert (X_res[300:] != np.round(X_res[300:])).any()


@pytest.mark.parametrize("seed", range(3))
def test_string_labels_and_many_classes_equal_imblearn(seed):
    rng = np.random.default_rng(seed)
    y = np.array([f"class-{c:02d}" for c in rng.choice(20, size=400, p=np.arange(1, 21) / 210)])
    X = rng.normal(size=(400, 2))
    for sampler, fn in [(RandomUnderSampler, random_under), (RandomOverSampler, random_over)]:
        ref = sampler(random_state=seed)
        X_ref, y_ref = ref.fit_resample(X, y)
        X_res, y_res, idx = fn(X, y, random_state=seed, return_indices=True)
        np.testing.assert_array_equal(idx, ref.sample_indices_)
        np.testing.assert_array_equal(y_res, y_ref)
        assert y_res.dtype == y_ref.dtype


# ------------------------------------------------------------------------------- containers


def mixed_frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": rng.integers(0, 5, size=n).astype(np.int16),
            "s": rng.choice(["a", "b", "c"], size=n),
            "t": pd.date_range("2020-01-01", periods=n, freq="D"),
            "nan": np.where(rng.random(n) < 0.3, np.nan, 1.0),
        },
        index=np.arange(100, 100 + n),
    )


@pytest.mark.parametrize("fn, sampler", [(random_under, RandomUnderSampler),
                                         (random_over, RandomOverSampler)])
def test_dataframe_with_strings_and_datetimes(fn, sampler):
    X = mixed_frame()
    y = pd.Series(np.array(["maj"] * 30 + ["min"] * 10), index=X.index, name="label")
    X_ref, y_ref = sampler(random_state=4).fit_resample(X, y)
    X_res, y_res = fn(X, y, random_state=4)
    pd.testing.assert_frame_equal(X_res, X_ref)
    pd.testing.assert_series_equal(y_res, y_ref)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)


def test_random_under_keeps_index_labels():
    X = mixed_frame()
    y = np.array([0] * 30 + [1] * 10)
    X_res, y_res, idx = random_under(X, pd.Series(y, name="y"), random_state=0, return_indices=True)
    np.testing.assert_array_equal(X_res.index, X.index[idx])
    np.testing.assert_array_equal(y_res.index, X.index[idx])
    X_res, _ = random_over(X, y, random_state=0)
    assert list(X_res.index) == list(range(len(X_res)))


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_matrix", "csr_array", "csc_array"])
@pytest.mark.parametrize("fn, sampler, kw", [
    (random_under, RandomUnderSampler, {}),
    (random_over, RandomOverSampler, {}),
    (random_over, RandomOverSampler, {"shrinkage": 0.5}),
])
def test_sparse_same_format(fmt, fn, sampler, kw):
    dense = np.where(X_MULTI > 0.5, X_MULTI, 0.0)
    Xs = getattr(sparse, fmt)(dense)
    ref = sampler(random_state=1, **kw)
    X_ref, y_ref = ref.fit_resample(Xs, Y_MULTI)
    X_res, y_res, idx = fn(Xs, Y_MULTI, random_state=1, return_indices=True, **kw)
    assert type(X_res) is type(Xs) and X_res.format == Xs.format
    np.testing.assert_array_equal(idx, ref.sample_indices_)
    np.testing.assert_allclose(X_res.toarray(), X_ref.toarray(), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("fn, sampler", [(random_under, RandomUnderSampler),
                                         (random_over, RandomOverSampler)])
def test_lists_come_back_as_lists(fn, sampler):
    X, y = X_MULTI[:60].tolist(), Y_MULTI[:60].tolist()
    X_ref, y_ref = sampler(random_state=2).fit_resample(X, y)
    X_res, y_res = fn(X, y, random_state=2)
    assert X_res == X_ref and y_res == y_ref


@pytest.mark.parametrize("fn", [random_under, random_over])
def test_label_kinds(fn):
    base = Y_MULTI
    kinds = [
        np.array([-3, -1, 5, 9])[base],
        base == 0,
        pd.Series(pd.Categorical(np.array(["d", "c", "b", "a"])[base]), name="cat"),
        np.array([1.0, 2.0, 3.0, 4.0])[base],
    ]
    for y in kinds:
        _, y_res, idx = fn(X_MULTI, y, random_state=0, return_indices=True)
        y_arr = np.asarray(y)
        np.testing.assert_array_equal(np.asarray(y_res), y_arr[idx])
        if isinstance(y, pd.Series):
            assert y_res.dtype == y.dtype and y_res.name == "cat"
        else:
            assert y_res.dtype == y_arr.dtype


# ------------------------------------------------------------------------------- properties


def test_random_under_subset_and_counts():
    X, y = readonly(X_MULTI), readonly(Y_MULTI)
    counts = np.bincount(y)
    X_res, y_res, idx = random_under(X, y, ratio={0: 50, 1: 20}, random_state=0,
                                     return_indices=True)
    assert np.bincount(y_res).tolist() == [50, 20, counts[2], counts[3]]
    assert len(np.unique(idx)) == len(idx)
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    # class by class in label order; untouched classes whole and in input order
    assert (np.diff(y_res) >= 0).all()
    np.testing.assert_array_equal(idx[y_res == 3], np.flatnonzero(y == 3))
    _, y_rep, idx_rep = random_under(X, y, ratio="all", replacement=True, random_state=0,
                                     return_indices=True)
    assert np.bincount(y_rep).tolist() == [counts.min()] * 4
    assert (y[idx_rep] == y_rep).all()


def test_random_over_keeps_originals_then_new_rows():
    X, y = readonly(X_MULTI), readonly(Y_MULTI)
    X_res, y_res, idx = random_over(X, y, random_state=0, return_indices=True)
    n = len(y)
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(idx[:n], np.arange(n))
    assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 4
    new = y_res[n:]
    assert (np.diff(new) >= 0).all() and (y[idx[n:]] == new).all()
    np.testing.assert_array_equal(X_res, X[idx])


def test_smoothed_rows_stay_near_their_source():
    X, y = X_MULTI, Y_MULTI
    X_res, y_res, idx = random_over(X, y, shrinkage=0.0, random_state=0, return_indices=True)
    np.testing.assert_array_equal(X_res, X[idx])  # zero shrinkage: a plain bootstrap
    X_res, _, idx = random_over(X, y, shrinkage=1.0, random_state=0, return_indices=True)
    n = len(y)
    assert not np.array_equal(X_res[n:], X[idx[n:]])
    assert np.abs(X_res[n:] - X[idx[n:]]).max() < 5


@pytest.mark.parametrize("fn", [random_under, random_over])
def test_determinism_and_seeds(fn):
    a = fn(X_MULTI, Y_MULTI, random_state=11, return_indices=True)[2]
    b = fn(X_MULTI, Y_MULTI, random_state=11, return_indices=True)[2]
    c = fn(X_MULTI, Y_MULTI, random_state=12, return_indices=True)[2]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    g = fn(X_MULTI, Y_MULTI, random_state=np.random.default_rng(5), return_indices=True)[2]
    h = fn(X_MULTI, Y_MULTI, random_state=np.random.default_rng(5), return_indices=True)[2]
    np.testing.assert_array_equal(g, h)
    rs = np.random.RandomState(11)
    np.testing.assert_array_equal(fn(X_MULTI, Y_MULTI, random_state=rs, return_indices=True)[2], a)
    assert not np.array_equal(fn(X_MULTI, Y_MULTI, random_state=rs, return_indices=True)[2], a)
    fn(X_MULTI, Y_MULTI)  # None: the global RandomState


@pytest.mark.parametrize("fn", [random_under, random_over])
def test_inputs_not_modified(fn):
    X = readonly(X_MULTI)
    y = readonly(Y_MULTI)
    df = mixed_frame()
    df0 = df.copy()
    fn(X, y, random_state=0)
    fn(df, Y_MULTI[:40], random_state=0)
    pd.testing.assert_frame_equal(df, df0)
    np.testing.assert_array_equal(X, X_MULTI)


def test_nan_and_objects_pass_through():
    X = np.array([[np.nan, "a"], [np.inf, "b"], [1.0, None], [2, 3]] * 3, dtype=object)
    y = np.array([0, 0, 0, 1] * 3)
    X_res, y_res, idx = random_under(X, y, random_state=0, return_indices=True)
    assert X_res.dtype == object and X_res.shape == (6, 2)
    X_res, y_res, idx = random_over(X, y, random_state=0, return_indices=True)
    assert X_res.shape == (18, 2)
    assert all(a is b for a, b in zip(X_res[:, 1], X[idx, 1]))


# ----------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("fn", [random_under, random_over])
def test_length_mismatch_raises(fn):
    with pytest.raises(ValueError, match="same number of rows, got 300 rows in X and 299"):
        fn(X_MULTI, Y_MULTI[:-1])


def test_replacement_must_be_bool():
    with pytest.raises(TypeError, match="replacement must be True or False, got 'yes'"):
        random_under(X_MULTI, Y_MULTI, replacement="yes")


@pytest.mark.parametrize(
    "shrinkage, X, exc, match",
    [
        ({0: 1.0, 1: 1.0}, X_MULTI, ValueError,
         r"factor for every class to over-sample \(the classes ratio= selects\); missing: \[2, 3\]"),
        (-0.5, X_MULTI, ValueError, "shrinkage factors must be >= 0, got -0.5"),
        ({1: 1.0, 2: 1.0, 3: -1.0}, X_MULTI, ValueError, "got -1.0 for class 3"),
        ({1: 1.0, 2: 1.0, 3: 1.0, 7: -1.0}, X_MULTI, ValueError, "got -1.0 for class 7"),
        ("big", X_MULTI, TypeError, "shrinkage must be None, a float >= 0 or a dict"),
        (True, X_MULTI, TypeError, "shrinkage must be None"),
        ({1: "x", 2: 1.0, 3: 1.0}, X_MULTI, TypeError, "shrinkage factors must be real numbers"),
        (1.0, np.where(X_MULTI > 2, np.nan, X_MULTI), ValueError, "NaN or infinity"),
        (1.0, X_MULTI.astype(str), TypeError, "distance-based methods need numeric X"),
    ],
)
def test_shrinkage_errors(shrinkage, X, exc, match):
    with pytest.raises(exc, match=match):
        random_over(X, Y_MULTI, shrinkage=shrinkage)
    if shrinkage is True:  # imbalanced-learn reads True as 1.0; we ask for a number
        return
    with pytest.raises(Exception):  # imbalanced-learn rejects every one of these too
        RandomOverSampler(shrinkage=shrinkage).fit_resample(X, Y_MULTI)


def test_shrinkage_dict_extra_classes_ignored():
    shrink = {1: 1.0, 2: 1.0, 3: 1.0, "other": 2.0}
    X_res, _ = random_over(X_MULTI, Y_MULTI, shrinkage=shrink, random_state=0)
    X_ref, _ = RandomOverSampler(shrinkage=shrink, random_state=0).fit_resample(X_MULTI, Y_MULTI)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-15)


@pytest.mark.parametrize("fn, bad", [(random_under, "minority"), (random_over, "majority")])
def test_ratio_errors_reach_the_user(fn, bad):
    with pytest.raises(ValueError, match=f"got '{bad}'"):
        fn(X_MULTI, Y_MULTI, ratio=bad)
    with pytest.raises(ValueError, match="at least 2 classes"):
        fn(X_MULTI, np.zeros(300))


def test_shrinkage_noise_in_blocks_is_one_stream(monkeypatch):
    import resamplekit.over_sampling as over_sampling

    monkeypatch.setattr(over_sampling, "_BLOCK_ROWS", 7)  # odd blocks: randn's cached value
    X, y = noise_classes(d=5, seed=8)
    X_ref, _ = RandomOverSampler(shrinkage=1.3, random_state=3).fit_resample(X, y)
    X_res, _ = over_sampling.random_over(X, y, shrinkage=1.3, random_state=3)
    np.testing.assert_array_equal(X_res, X_ref)


def test_random_over_shrinkage_writes_new_rows_into_the_output_once(monkeypatch):
    # Dense X with shrinkage: the smoothed rows go straight into the output array (no second
    # copy of them at the peak). The noise is drawn in blocks of rows: small blocks here, so
    # that their temporaries do not hide the copy.
    from resamplekit import over_sampling, random_over

    monkeypatch.setattr(over_sampling, "_BLOCK_ROWS", 256)

    rng = np.random.default_rng(0)
    X = rng.normal(size=(6_000, 64))
    y = np.array([0] * 5_000 + [1] * 1_000)
    random_over(X[:100], (np.arange(100) >= 80).astype(int), shrinkage=1.0, random_state=0)
    (X_res, _), peak = traced_peak(lambda: random_over(X, y, shrinkage=1.0, random_state=0))
    new_bytes = (X_res.shape[0] - X.shape[0]) * X.shape[1] * 8
    assert X_res.shape == (10_000, 64)
    # (the rest: the draws, the class's rows for its std, the labels: about 1 MB here)
    assert peak < X_res.nbytes + 0.8 * new_bytes, (peak, X_res.nbytes, new_bytes)
