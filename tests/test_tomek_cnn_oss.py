"""Tomek links, condensed nearest neighbour (CNN) and one-sided selection (OSS).

imbalanced-learn 0.14 is the oracle on data without duplicated rows or tied distances
(continuous Gaussian data); where resamplekit differs on purpose (self excluded by index,
CNN's class-local indices) an independent slow reference gives the answer.
"""
import numpy as np
import pytest
import threadpoolctl
from conftest import classification, mixture
from numpy.testing import assert_array_equal

from resamplekit.cleaning import condensed_nearest_neighbour, one_sided_selection, tomek_links

imblearn = pytest.importorskip("imblearn")
from imblearn.under_sampling import (  # noqa: E402
    CondensedNearestNeighbour,
    OneSidedSelection,
    TomekLinks,
)
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402


def class_first(X, y, c):
    """The same data with class c's rows first (imblearn's CNN index bug does not trigger)."""
    order = np.argsort(y != c, kind="stable")
    return X[order], y[order], order


def imblearn_indices(sampler, X, y):
    sampler.fit_resample(X, y)
    return sampler.sample_indices_


def check_output(out, X, y):
    X_res, y_res, idx = out
    assert_array_equal(np.asarray(X_res), np.asarray(X)[idx])
    assert_array_equal(np.asarray(y_res), np.asarray(y)[idx])
    return idx


# ---------------------------------------------------------------- Tomek links

TOMEK_RATIOS = ["auto", "majority", "not minority", "not majority", "all"]


@pytest.mark.parametrize("counts", [(60, 140), (40, 70, 110)])
@pytest.mark.parametrize("ratio", TOMEK_RATIOS + ["list"])
def test_tomek_matches_imblearn(counts, ratio):
    X, y = mixture(counts, seed=len(counts))
    if ratio == "list":
        ratio = [1] if len(counts) == 2 else [0, 2]
    idx = check_output(tomek_links(X, y, ratio=ratio, return_indices=True), X, y)
    expected = imblearn_indices(TomekLinks(sampling_strategy=ratio), X, y)
    assert_array_equal(idx, expected)
    assert len(idx) < len(y)  # the data has links


def test_tomek_any_labels_and_no_indices():
    X, y = mixture((50, 90), seed=3)
    labels = np.array(["neg", "pos"])[y]
    X_res, y_res = tomek_links(X, labels)
    expected = imblearn_indices(TomekLinks(), X, y)
    assert_array_equal(X_res, X[expected])
    assert_array_equal(y_res, labels[expected])
    idx = tomek_links(X, y + 5, ratio=[6], return_indices=True)[2]
    assert_array_equal(idx, imblearn_indices(TomekLinks(sampling_strategy=[1]), X, y))


def slow_tomek(X, y, targeted):
    """Brute-force reference: nearest other row by index (ties: lower index)."""
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    nn = np.argmin(d2, axis=1)  # first minimum: lower index
    link = (y[nn] != y) & (nn[nn] == np.arange(len(y))) & np.isin(y, targeted)
    return np.flatnonzero(~link)


@pytest.mark.kernel
def test_tomek_duplicated_rows_of_different_labels():
    X, y = mixture((30, 60), seed=4)
    # Row 60 duplicates row 5 with the other label: the two form a link.
    X = np.concatenate([X, X[5:6]])
    y = np.concatenate([y, 1 - y[5:6]])
    for ratio in ("auto", "all"):
        targeted = [0, 1] if ratio == "all" else [1]
        idx = tomek_links(X, y, ratio=ratio, return_indices=True)[2]
        assert_array_equal(idx, slow_tomek(X, y, targeted))
    idx = tomek_links(X, y, ratio="all", return_indices=True)[2]
    assert 5 not in idx and len(y) - 1 not in idx
    # imblearn drops the first neighbour column (the twin, not the row) and misses the link.
    imb = imblearn_indices(TomekLinks(sampling_strategy="all"), X, y)
    assert 5 in imb and len(y) - 1 in imb


def test_tomek_containers_and_dtype():
    pd = pytest.importorskip("pandas")
    X, y = mixture((40, 80), seed=5)
    X32 = X.astype(np.float32)
    X_res, y_res, idx = tomek_links(X32, y, return_indices=True)
    assert X_res.dtype == np.float32
    assert_array_equal(X_res, X32[idx])
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res, idx = tomek_links(df, pd.Series(y, name="t"), return_indices=True)
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == ["a", "b", "c"]
    assert_array_equal(X_res.to_numpy(), X[idx])
    assert_array_equal(np.asarray(y_res), y[idx])


@pytest.mark.parametrize(
    "ratio, match", [(0.5, "float"), ({0: 10}, "dict"), ("minority", "ratio"), ([7], "7")]
)
def test_tomek_ratio_errors(ratio, match):
    X, y = mixture((20, 30))
    with pytest.raises(ValueError, match=match):
        tomek_links(X, y, ratio=ratio)


# ---------------------------------------------------------------- CNN


def slow_cnn(X, y, c, minority, seeds_pos, k):
    # One thread: scikit-learn's OpenMP search of tiny batches only waits on a busy machine.
    with threadpoolctl.threadpool_limits(1):
        return _slow_cnn(X, y, c, minority, seeds_pos, k)


def _slow_cnn(X, y, c, minority, seeds_pos, k):
    """imbalanced-learn's CNN loop with its index bug fixed (class-local positions
    throughout): scikit-learn's KNeighborsClassifier refitted on each addition, all of the
    class re-predicted to mark the well-classified rows."""
    rows_c = np.flatnonzero(y == c)
    store = list(np.flatnonzero(y == minority)) + list(rows_c[seeds_pos])
    selected = list(seeds_pos)
    clf = KNeighborsClassifier(n_neighbors=k).fit(X[store], y[store])
    good = set(selected) | set(np.flatnonzero(clf.predict(X[rows_c]) == c))
    for j, row in enumerate(rows_c):
        if j in good:
            continue
        if clf.predict(X[row : row + 1])[0] != c:
            selected.append(j)
            store.append(row)
            clf = KNeighborsClassifier(n_neighbors=k).fit(X[store], y[store])
            good = set(selected) | set(np.flatnonzero(clf.predict(X[rows_c]) == c))
    return rows_c[selected]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k, n_seeds", [(1, 1), (3, 1), (1, 4), (4, 3)])
def test_cnn_matches_imblearn_when_class_comes_first(seed, k, n_seeds):
    X, y = mixture((50, 150), seed=seed)
    X, y, _ = class_first(X, y, 1)
    idx = check_output(
        condensed_nearest_neighbour(
            X, y, k=k, n_seeds_S=n_seeds, random_state=seed, return_indices=True
        ),
        X,
        y,
    )
    sampler = CondensedNearestNeighbour(n_neighbors=k, n_seeds_S=n_seeds, random_state=seed)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))


@pytest.mark.parametrize("k", [2, 4])
def test_cnn_even_k_vote_ties_with_minority_label_above(k):
    # The minority has the larger label here, so a tied vote goes to the targeted class.
    X, y = mixture((150, 50), seed=k)
    X, y, _ = class_first(X, y, 0)
    idx = condensed_nearest_neighbour(X, y, k=k, random_state=k, return_indices=True)[2]
    sampler = CondensedNearestNeighbour(n_neighbors=k, random_state=k)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))
    idx = one_sided_selection(X, y, k=k, random_state=k, return_indices=True)[2]
    sampler = OneSidedSelection(n_neighbors=k, random_state=k)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))


@pytest.mark.kernel
def test_cnn_duplicate_seeds_like_imblearn():
    X, y = mixture((12, 20), seed=7)
    X, y, _ = class_first(X, y, 1)
    idx = condensed_nearest_neighbour(X, y, n_seeds_S=15, random_state=3, return_indices=True)[2]
    seeds = np.flatnonzero(y == 1)[np.random.RandomState(3).randint(0, 20, size=15)]
    assert len(np.unique(seeds)) < 15  # the draw repeats rows
    assert_array_equal(idx[12:27], seeds)  # class 0 (12 rows, kept whole), then the seeds
    sampler = CondensedNearestNeighbour(n_seeds_S=15, random_state=3)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))


def test_cnn_ratio_all_keeps_seeds_of_the_minority():
    X, y = mixture((30, 80), seed=8)
    X, y, _ = class_first(X, y, 1)
    idx = condensed_nearest_neighbour(X, y, ratio="all", random_state=1, return_indices=True)[2]
    sampler = CondensedNearestNeighbour(sampling_strategy="all", random_state=1)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))
    assert np.count_nonzero(y[idx] == 0) == 1  # the minority is all in the store: only the seed


def test_cnn_multiclass_matches_imblearn_class_by_class():
    # Two targeted classes; imblearn is right for a class whose rows come first, so each
    # class is compared on data reordered for it, with imblearn's RandomState advanced past
    # the draws of the classes before it.
    X, y = mixture((40, 90, 120), seed=9)
    seed = 5
    idx = condensed_nearest_neighbour(X, y, random_state=seed, return_indices=True)[2]
    assert_array_equal(idx[y[idx] == 0], np.flatnonzero(y == 0))
    rs = np.random.RandomState(seed)
    for c in (1, 2):
        Xc, yc, order = class_first(X, y, c)
        state = np.random.RandomState()
        state.set_state(rs.get_state())
        sampler = CondensedNearestNeighbour(sampling_strategy=[c], random_state=state)
        imb = order[imblearn_indices(sampler, Xc, yc)]
        assert_array_equal(idx[y[idx] == c], imb[y[imb] == c])
        rs.randint(0, np.count_nonzero(y == c), size=1)


@pytest.mark.parametrize("k", [1, 3])
def test_cnn_is_right_where_imblearn_mixes_indices(k):
    # Minority rows first: imblearn compares class-local positions with global row numbers.
    differs = 0
    for seed in range(3):
        X, y = mixture((30, 80), seed=seed)
        X, y, _ = class_first(X, y, 0)
        idx = condensed_nearest_neighbour(X, y, k=k, random_state=seed, return_indices=True)[2]
        pos = np.random.RandomState(seed).randint(0, 80, size=1)
        assert_array_equal(idx[y[idx] == 1], slow_cnn(X, y, 1, 0, pos, k))
        imb = imblearn_indices(CondensedNearestNeighbour(n_neighbors=k, random_state=seed), X, y)
        differs += not np.array_equal(idx, imb)
    assert differs > 0  # the bug triggers on this data; resamplekit follows the reference


@pytest.mark.kernel
def test_cnn_slow_reference_multiclass_any_order():
    X, y = mixture((30, 60, 70), seed=11)
    idx = condensed_nearest_neighbour(X, y, k=3, n_seeds_S=2, random_state=4,
                                      return_indices=True)[2]
    rs = np.random.RandomState(4)
    parts = [np.flatnonzero(y == 0)]
    for c in (1, 2):
        pos = rs.randint(0, np.count_nonzero(y == c), size=2)
        parts.append(slow_cnn(X, y, c, 0, pos, 3))
    assert_array_equal(idx, np.concatenate(parts))


@pytest.mark.kernel
def test_cnn_threads_do_not_change_results():
    X, y = mixture((200, 1500), d=8, seed=12, spread=0.6)
    one = condensed_nearest_neighbour(X, y, k=3, random_state=0, n_jobs=1, return_indices=True)
    two = condensed_nearest_neighbour(X, y, k=3, random_state=0, n_jobs=2, return_indices=True)
    assert_array_equal(one[2], two[2])
    assert len(one[2]) > 400  # many additions: several blocks and parallel sweeps


# ---------------------------------------------------------------- OSS


@pytest.mark.parametrize("counts", [(50, 150), (40, 80, 120)])
@pytest.mark.parametrize("k, n_seeds", [(1, 1), (3, 1), (2, 5)])
@pytest.mark.parametrize("ratio", ["auto", "all", "not majority"])
def test_oss_matches_imblearn(counts, k, n_seeds, ratio):
    X, y = mixture(counts, seed=k + n_seeds)
    idx = check_output(
        one_sided_selection(
            X, y, k=k, n_seeds_S=n_seeds, ratio=ratio, random_state=7, return_indices=True
        ),
        X,
        y,
    )
    sampler = OneSidedSelection(
        n_neighbors=k, n_seeds_S=n_seeds, sampling_strategy=ratio, random_state=7
    )
    assert_array_equal(idx, imblearn_indices(sampler, X, y))


def test_oss_list_ratio_and_string_labels():
    X, y = mixture((40, 80, 120), seed=13)
    labels = np.array(["a", "b", "c"])[y]
    idx = one_sided_selection(X, labels, ratio=["c"], random_state=2, return_indices=True)[2]
    sampler = OneSidedSelection(sampling_strategy=[2], random_state=2)
    assert_array_equal(idx, imblearn_indices(sampler, X, y))


# ---------------------------------------------------------------- common


@pytest.mark.kernel
@pytest.mark.parametrize("func", [condensed_nearest_neighbour, one_sided_selection])
def test_containers_dtype_and_indices(func):
    pd = pytest.importorskip("pandas")
    X, y = mixture((30, 70), seed=14)
    X_res, y_res, idx = func(X.astype(np.float32), y, random_state=0, return_indices=True)
    assert X_res.dtype == np.float32
    assert_array_equal(X_res, X.astype(np.float32)[idx])
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res, idx2 = func(df, pd.Series(y), random_state=0, return_indices=True)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert_array_equal(X_res.to_numpy(), X[idx2])
    X_res, y_res = func(X, y, random_state=0)
    assert_array_equal(X_res, X[idx2])
    assert_array_equal(y_res, y[idx2])


@pytest.mark.parametrize("func", [condensed_nearest_neighbour, one_sided_selection])
def test_errors(func):
    X, y = mixture((5, 30))
    with pytest.raises(ValueError, match=r"k must be at most 7.*got k=8"):
        func(X, y, k=8, n_seeds_S=2)
    func(X, y, k=7, n_seeds_S=2, random_state=0)  # the whole store votes
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        func(X, y, k=0)
    with pytest.raises(TypeError, match="k must be an integer"):
        func(X, y, k=1.0)
    with pytest.raises(ValueError, match="n_seeds_S must be an integer >= 1"):
        func(X, y, n_seeds_S=0)
    with pytest.raises(ValueError, match="float"):
        func(X, y, ratio=0.5)
    with pytest.raises(TypeError, match="random_state"):
        func(X, y, random_state="a")
    with pytest.raises(ValueError, match="same number of rows"):
        func(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        func(np.where(X > 1, np.nan, X), y)


def test_global_random_state_when_none():
    X, y = mixture((30, 70), seed=15)
    np.random.seed(3)
    a = condensed_nearest_neighbour(X, y, return_indices=True)[2]
    b = condensed_nearest_neighbour(X, y, random_state=np.random.RandomState(3),
                                    return_indices=True)[2]
    assert_array_equal(a, b)


@pytest.mark.kernel
@pytest.mark.parametrize("func", [tomek_links, condensed_nearest_neighbour, one_sided_selection])
def test_read_only_input_is_not_modified(func):
    X, y = mixture((30, 70), seed=16)
    X_ro, y_ro = X.copy(), y.copy()
    X_ro.setflags(write=False)
    y_ro.setflags(write=False)
    kwargs = {} if func is tomek_links else {"random_state": 0}
    idx = func(X_ro, y_ro, return_indices=True, **kwargs)[2]
    assert_array_equal(X_ro, X)
    assert_array_equal(y_ro, y)
    assert_array_equal(idx, func(X, y, return_indices=True, **kwargs)[2])


def test_cnn_on_imblearn_docstring_dataset():
    # imblearn's docstring data (rows of both classes interleaved): imblearn keeps 44
    # majority rows because of its index mix-up; the class-local reference keeps 43.
    X, y = classification(2, weights=[0.1, 0.9], n=1000, d=20, seed=10, sep=2, redundant=1,
                          clusters=1, flip_y=0)
    idx = condensed_nearest_neighbour(X, y, random_state=42, return_indices=True)[2]
    pos = np.random.RandomState(42).randint(0, 900, size=1)
    assert_array_equal(idx[y[idx] == 1], slow_cnn(X, y, 1, 0, pos, 1))
    assert np.count_nonzero(y[idx] == 1) == 43
