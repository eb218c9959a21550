"""ENN, RENN, AllKNN and NCR against imbalanced-learn 0.14 (the oracle) and NumPy references."""
import numpy as np
import pytest
from conftest import skewed_classes
from imblearn.under_sampling import AllKNN, EditedNearestNeighbours, NeighbourhoodCleaningRule
from imblearn.under_sampling import RepeatedEditedNearestNeighbours

from resamplekit.cleaning import (
    all_knn,
    edited_nearest_neighbours,
    neighbourhood_cleaning_rule,
    repeated_edited_nearest_neighbours,
)


def _check_rows(X, y, out, expected):
    X_res, y_res, idx = out[:3]
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])


RATIOS = {
    2: ["auto", "majority", "not minority", "not majority", "all", [0], [0, 1]],
    3: ["auto", "majority", "not minority", "not majority", "all", [2], [0, 2], [1]],
}


# --- ENN ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_enn_matches_imblearn(n_classes, kind_sel, k):
    X, y = skewed_classes(n_classes, seed=k)
    s = EditedNearestNeighbours(n_neighbors=k, kind_sel=kind_sel)
    s.fit_resample(X, y)
    out = edited_nearest_neighbours(X, y, k=k, kind_sel=kind_sel, return_indices=True)
    _check_rows(X, y, out, s.sample_indices_)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_enn_every_ratio(n_classes):
    X, y = skewed_classes(n_classes, seed=11)
    for ratio in RATIOS[n_classes]:
        for kind_sel in ("all", "mode"):
            s = EditedNearestNeighbours(sampling_strategy=ratio, kind_sel=kind_sel)
            s.fit_resample(X, y)
            idx = edited_nearest_neighbours(
                X, y, ratio=ratio, kind_sel=kind_sel, return_indices=True
            )[2]
            np.testing.assert_array_equal(idx, s.sample_indices_, err_msg=f"{ratio!r}")


def test_enn_mode_tie_goes_to_smallest_label():
    # imblearn's docs example (semantics 2.2.1): symmetric 4-point line, k=2.
    X = np.array([[0.0], [1.0], [2.0], [3.0]]) + np.array([[0.0], [0.01], [0.03], [0.06]])
    for y in (np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0])):
        s = EditedNearestNeighbours(n_neighbors=2, kind_sel="mode", sampling_strategy="all")
        s.fit_resample(X, y)
        idx = edited_nearest_neighbours(
            X, y, k=2, kind_sel="mode", ratio="all", return_indices=True
        )[2]
        np.testing.assert_array_equal(idx, s.sample_indices_)


def test_enn_duplicates_self_excluded_by_index():
    # Rows 0 and 1 are the same point with different labels. Each must see the other as its
    # nearest neighbour; imblearn drops column 0 of its search, so one of them sees itself.
    X = np.array([[0.0], [0.0], [0.3], [0.5], [0.7], [5.0], [5.2], [5.4], [5.6]])
    y = np.array([0, 1, 0, 0, 0, 1, 1, 1, 1])
    idx = edited_nearest_neighbours(X, y, k=1, ratio="all", return_indices=True)[2]
    assert 0 not in idx and 1 not in idx
    s = EditedNearestNeighbours(n_neighbors=1, sampling_strategy="all")
    s.fit_resample(X, y)
    assert {0, 1} & set(s.sample_indices_)  # imblearn counts a row as its own neighbour


def test_enn_string_labels_mode():
    X, y = skewed_classes(3, seed=2)
    labels = np.array(["bee", "cat", "dog"])[y]
    a = edited_nearest_neighbours(X, labels, kind_sel="mode", return_indices=True)
    b = edited_nearest_neighbours(X, y, kind_sel="mode", return_indices=True)
    np.testing.assert_array_equal(a[2], b[2])
    np.testing.assert_array_equal(a[1], labels[a[2]])


# --- RENN -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_renn_matches_imblearn(n_classes, kind_sel, k):
    X, y = skewed_classes(n_classes, seed=20 + k, sep=0.6)
    s = RepeatedEditedNearestNeighbours(n_neighbors=k, kind_sel=kind_sel)
    s.fit_resample(X, y)
    out = repeated_edited_nearest_neighbours(
        X, y, k=k, kind_sel=kind_sel, return_indices=True, return_n_iter=True
    )
    _check_rows(X, y, out, s.sample_indices_)
    assert out[3] == s.n_iter_


@pytest.mark.parametrize("n_classes", [2, 3])
def test_renn_every_ratio_and_max_iter(n_classes):
    X, y = skewed_classes(n_classes, seed=31, sep=0.6)
    for ratio in RATIOS[n_classes]:
        for max_iter in (1, 3):
            s = RepeatedEditedNearestNeighbours(sampling_strategy=ratio, max_iter=max_iter)
            s.fit_resample(X, y)
            out = repeated_edited_nearest_neighbours(
                X, y, ratio=ratio, max_iter=max_iter, return_indices=True, return_n_iter=True
            )
            if s.n_iter_ == 1 and len(out[2]) == len(y):
                continue  # imblearn's index bug (see test_renn_indices_match_rows)
            np.testing.assert_array_equal(out[2], s.sample_indices_, err_msg=f"{ratio!r}")
            assert out[3] == s.n_iter_


def test_renn_several_rounds_are_exercised():
    X, y = skewed_classes(2, seed=21, sep=0.6)
    out = repeated_edited_nearest_neighbours(X, y, return_n_iter=True)
    assert out[2] >= 3


def test_renn_indices_match_rows_where_imblearn_does_not():
    # Two far-apart clusters, labels interleaved in row order: the first ENN round removes
    # nothing, and imblearn applies its class-grouping permutation twice (semantics 2.2.2).
    rng = np.random.default_rng(0)
    y = np.array([0, 1] * 20 + [1] * 10)
    X = rng.normal(size=(len(y), 2)) + 100.0 * y[:, None]
    s = RepeatedEditedNearestNeighbours()
    X_im, y_im = s.fit_resample(X, y)
    assert not np.array_equal(X[s.sample_indices_], X_im)  # imblearn inconsistent
    X_res, y_res, idx, n_iter = repeated_edited_nearest_neighbours(
        X, y, return_indices=True, return_n_iter=True
    )
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(X_res, X_im)  # same rows as imblearn's actual output
    assert n_iter == s.n_iter_ == 1


def _naive_rounds(X, y, ks, kind_sel, stop_on_same, allow_minority=False, ratio="auto"):
    """RENN/AllKNN by definition: a fresh ENN on the surviving rows every round."""
    alive = np.arange(len(y))
    counts0 = np.bincount(y)
    minority = int(np.argmin(counts0))
    n_iter = 0
    for n_iter, k in enumerate(ks, start=1):
        keep = edited_nearest_neighbours(
            X[alive], y[alive], k=k, kind_sel=kind_sel, ratio=ratio, return_indices=True
        )[2]
        new = np.sort(alive[keep])
        same = len(new) == len(alive)
        alive = new
        counts = np.bincount(y[alive], minlength=len(counts0))
        below = (np.delete(counts, minority) < counts0[minority]).any() and not allow_minority
        if (stop_on_same and same) or below or (counts == 0).any():
            break
    return alive, n_iter


@pytest.mark.kernel
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_repair_equals_fresh_search_with_ties_and_duplicates(kind_sel):
    # Integer grid: many tied distances and duplicated rows. The repaired lists must give
    # exactly what a fresh search on the surviving rows gives (ties by row index).
    rng = np.random.default_rng(1)
    X = rng.integers(0, 6, size=(200, 2)).astype(float)
    y = (rng.random(200) < 0.25).astype(int) ^ (X[:, 0] > 2)
    y = np.where(rng.random(200) < 0.1, 2, y)
    assert len(set(np.bincount(y))) == 3
    for k in (1, 3, 4):
        ref, ref_iter = _naive_rounds(X, y, [k] * 100, kind_sel, True)
        out = repeated_edited_nearest_neighbours(
            X, y, k=k, kind_sel=kind_sel, return_indices=True, return_n_iter=True
        )
        np.testing.assert_array_equal(np.sort(out[2]), ref)
        assert out[3] == ref_iter
        for allow in (False, True):
            ref, _ = _naive_rounds(X, y, range(1, k + 1), kind_sel, False, allow)
            idx = all_knn(X, y, k=k, kind_sel=kind_sel, allow_minority=allow,
                          return_indices=True)[2]
            np.testing.assert_array_equal(np.sort(idx), ref)


# --- AllKNN ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("allow_minority", [False, True])
def test_allknn_matches_imblearn(n_classes, kind_sel, k, allow_minority):
    X, y = skewed_classes(n_classes, seed=40 + k, sep=0.6)
    s = AllKNN(n_neighbors=k, kind_sel=kind_sel, allow_minority=allow_minority)
    s.fit_resample(X, y)
    out = all_knn(X, y, k=k, kind_sel=kind_sel, allow_minority=allow_minority,
                  return_indices=True)
    _check_rows(X, y, out, s.sample_indices_)


def test_allknn_every_ratio():
    X, y = skewed_classes(3, seed=41, sep=0.6)
    for ratio in RATIOS[3]:
        s = AllKNN(sampling_strategy=ratio, n_neighbors=4)
        s.fit_resample(X, y)
        idx = all_knn(X, y, k=4, ratio=ratio, return_indices=True)[2]
        np.testing.assert_array_equal(idx, s.sample_indices_, err_msg=f"{ratio!r}")


def test_allknn_allow_minority_changes_the_result():
    # A majority class that falls below the minority count stops AllKNN unless allowed.
    X, y = skewed_classes(3, n=200, seed=3, sep=0.3)
    a = all_knn(X, y, k=5, return_indices=True)[2]
    b = all_knn(X, y, k=5, allow_minority=True, return_indices=True)[2]
    for allow, idx in ((False, a), (True, b)):
        s = AllKNN(n_neighbors=5, allow_minority=allow)
        s.fit_resample(X, y)
        np.testing.assert_array_equal(idx, s.sample_indices_)


# --- NCR ------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("threshold", [0.1, 0.5, 1.0])
def test_ncr_matches_imblearn(n_classes, k, threshold):
    X, y = skewed_classes(n_classes, seed=50 + k, sep=0.6)
    s = NeighbourhoodCleaningRule(n_neighbors=k, threshold_cleaning=threshold)
    s.fit_resample(X, y)
    out = neighbourhood_cleaning_rule(X, y, k=k, threshold_cleaning=threshold,
                                      return_indices=True)
    _check_rows(X, y, out, s.sample_indices_)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_ncr_every_ratio(n_classes):
    X, y = skewed_classes(n_classes, seed=51, sep=0.6)
    for ratio in RATIOS[n_classes]:
        s = NeighbourhoodCleaningRule(sampling_strategy=ratio)
        s.fit_resample(X, y)
        idx = neighbourhood_cleaning_rule(X, y, ratio=ratio, return_indices=True)[2]
        np.testing.assert_array_equal(idx, s.sample_indices_, err_msg=f"{ratio!r}")


@pytest.mark.parametrize("ratio", ["all", "auto", [0, 1]])
def test_ncr_threshold_selects_classes(ratio):
    # counts 36/72/132: thresholds >= 1 spare the minority (when targeted), > 2 spare class 1,
    # > 3.67 spare every class from A2.
    X, y = skewed_classes(3, seed=52, sep=0.5)
    results = set()
    for threshold in (0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 4.0, 1e300):
        s = NeighbourhoodCleaningRule(sampling_strategy=ratio, threshold_cleaning=threshold)
        s.fit_resample(X, y)
        idx = neighbourhood_cleaning_rule(
            X, y, ratio=ratio, threshold_cleaning=threshold, return_indices=True
        )[2]
        np.testing.assert_array_equal(idx, s.sample_indices_, err_msg=f"{threshold}")
        results.add(tuple(idx))
    assert len(results) >= 2


# --- containers, dtypes, errors ------------------------------------------------------------

FUNCS = [
    edited_nearest_neighbours,
    repeated_edited_nearest_neighbours,
    all_knn,
    neighbourhood_cleaning_rule,
]


@pytest.mark.parametrize("func", FUNCS)
def test_pandas_in_pandas_out_and_float32(func):
    pd = pytest.importorskip("pandas")
    X, y = skewed_classes(2, seed=60, sep=0.6)
    df = pd.DataFrame(X.astype(np.float32), columns=list("abcd"))
    X_res, y_res, idx = func(df, pd.Series(y, name="target"), return_indices=True)
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == list("abcd")
    assert (X_res.dtypes == np.float32).all()
    np.testing.assert_array_equal(X_res.to_numpy(), X.astype(np.float32)[idx])
    np.testing.assert_array_equal(np.asarray(y_res), y[idx])
    X32, _ = func(X.astype(np.float32), y)
    assert X32.dtype == np.float32


@pytest.mark.parametrize("func", FUNCS)
def test_errors(func):
    X, y = skewed_classes(2, n=60, seed=61)
    with pytest.raises(ValueError, match=r"k must be smaller than the number of rows \(60\)"):
        func(X, y, k=60)
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        func(X, y, k=0)
    for bad in (0.5, {0: 3}, lambda y: {0: 3}):
        with pytest.raises(ValueError, match="ratio cannot be a"):
            func(X, y, ratio=bad)
    with pytest.raises(ValueError, match="ratio must be one of"):
        func(X, y, ratio="minority")
    if func is not neighbourhood_cleaning_rule:
        with pytest.raises(ValueError, match="kind_sel must be one of .* got 'any'"):
            func(X, y, kind_sel="any")


def test_ncr_threshold_errors():
    X, y = skewed_classes(2, n=60, seed=61)
    for bad in (-0.1, 0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="threshold_cleaning must be a finite number > 0"):
            neighbourhood_cleaning_rule(X, y, threshold_cleaning=bad)
    with pytest.raises(TypeError, match="threshold_cleaning"):
        neighbourhood_cleaning_rule(X, y, threshold_cleaning="0.5")


def test_renn_max_iter_error():
    X, y = skewed_classes(2, n=60, seed=61)
    with pytest.raises(ValueError, match="max_iter must be an integer >= 1, got 0"):
        repeated_edited_nearest_neighbours(X, y, max_iter=0)


@pytest.mark.kernel
@pytest.mark.parametrize("func", FUNCS)
def test_thread_count_and_read_only_inputs_do_not_change_results(func):
    X, y = skewed_classes(3, seed=70, sep=0.6)
    expected = func(X, y, n_jobs=1, return_indices=True)[2]
    X_ro, y_ro = X.copy(), y.copy()
    X_ro.setflags(write=False)
    y_ro.setflags(write=False)
    np.testing.assert_array_equal(func(X_ro, y_ro, n_jobs=2, return_indices=True)[2], expected)


def test_string_labels_everywhere():
    # imblearn's NCR (and ENN 'mode') fail on string labels (scipy.stats.mode); ours work and
    # give the same rows as with integer labels.
    X, y = skewed_classes(3, seed=80, sep=0.6)
    labels = np.array(["bee", "cat", "dog"])[y]
    for func in FUNCS:
        a = func(X, labels, ratio=["cat", "dog"], return_indices=True)
        b = func(X, y, ratio=[1, 2], return_indices=True)
        np.testing.assert_array_equal(a[2], b[2])
        np.testing.assert_array_equal(a[1], labels[a[2]])
