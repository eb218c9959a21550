"""SMOTE family: synthesis kernel, and smote / borderline_smote / svm_smote / adasyn against
imbalanced-learn (the oracle) and plain NumPy references."""
import numpy as np
import pytest
from conftest import classification, traced_peak
from numpy.testing import assert_allclose, assert_array_equal

from resamplekit._kernels._smote import interpolate


# --------------------------------------------------------------------------------------------
# Kernel
# --------------------------------------------------------------------------------------------
@pytest.mark.kernel
@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_interpolate_equals_numpy_bit_for_bit(n_threads):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 7))
    Xn = rng.normal(size=(30, 7)) * 100
    rows = rng.integers(0, 50, 1001).astype(np.intp)
    nbrs = rng.integers(0, 30, 1001).astype(np.intp)
    gaps = rng.uniform(-0.5, 1, 1001)
    out = np.empty((1001, 7))
    interpolate(X, rows, Xn, nbrs, gaps, out, n_threads)
    # imbalanced-learn's expression, in its order of operations
    assert_array_equal(out, X[rows] + gaps[:, None] * (Xn[nbrs] - X[rows]))

    scales = rng.uniform(0, 0.5, 1001)
    interpolate(X, rows, Xn, nbrs, gaps, out, n_threads, scales)
    diffs = Xn[nbrs] - X[rows]
    diffs *= scales[:, None]
    assert_array_equal(out, X[rows] + gaps[:, None] * diffs)


@pytest.mark.kernel
def test_interpolate_float32_and_empty():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 3)).astype(np.float32)
    rows = rng.integers(0, 20, 100).astype(np.intp)
    nbrs = rng.integers(0, 20, 100).astype(np.intp)
    gaps = rng.uniform(size=100)
    out = np.empty((100, 3), np.float32)
    interpolate(X, rows, X, nbrs, gaps, out, 2)
    X64 = X.astype(np.float64)
    ref = (X64[rows] + gaps[:, None] * (X64[nbrs] - X64[rows])).astype(np.float32)
    assert_array_equal(out, ref)  # computed in float64, rounded once

    empty = np.empty((0, 3), np.float32)
    interpolate(X, rows[:0], X, nbrs[:0], gaps[:0], empty, 1)


@pytest.mark.kernel
def test_interpolate_read_only_inputs():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 2))
    rows = np.arange(10, dtype=np.intp)
    nbrs = rows[::-1].copy()
    gaps = np.full(10, 0.5)
    for a in (X, rows, nbrs, gaps):
        a.flags.writeable = False
    out = np.empty((10, 2))
    interpolate(X, rows, X, nbrs, gaps, out, 1)
    assert_allclose(out, (X + X[::-1]) / 2)


# --------------------------------------------------------------------------------------------
# Samplers against imbalanced-learn
# --------------------------------------------------------------------------------------------
imblearn_over = pytest.importorskip("imblearn.over_sampling")
from sklearn.svm import SVC  # noqa: E402

from resamplekit._neighbors import kneighbors  # noqa: E402
from resamplekit.over_sampling import (  # noqa: E402
    adasyn,
    borderline_smote,
    smote,
    svm_smote,
)


WEIGHTS = {2: [0.85], 3: [0.6, 0.3]}
BINARY = classification(2, weights=WEIGHTS, n=300, d=5, redundant=1, clusters=1, flip_y=0.02)
MULTI = classification(3, weights=WEIGHTS, n=300, d=5, redundant=1, clusters=1, flip_y=0.02)
RATIOS = {
    2: ["auto", "minority", 0.6, {1: 200}],
    3: ["auto", "minority", "all", {1: 150, 2: 100}],
}
CASES = [
    (nc, k, ratio, seed)
    for nc in (2, 3)
    for k in (1, 3, 5)
    for i, ratio in enumerate(RATIOS[nc])
    for seed in ((0, 42) if i == 0 else (k + i,))
]


def _ids(case):
    nc, k, ratio, seed = case
    return f"{nc}cls-k{k}-{ratio}-s{seed}"


def _assert_same(ours, theirs):
    Xa, ya = theirs
    Xb, yb = ours
    assert_array_equal(yb, ya)
    assert Xb.dtype == Xa.dtype
    assert_allclose(Xb, Xa, rtol=1e-12, atol=0)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_smote_equals_imblearn(case):
    nc, k, ratio, seed = case
    X, y = {2: BINARY, 3: MULTI}[nc]
    theirs = imblearn_over.SMOTE(sampling_strategy=ratio, k_neighbors=k, random_state=seed)
    _assert_same(smote(X, y, k=k, ratio=ratio, random_state=seed), theirs.fit_resample(X, y))


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_borderline_smote_equals_imblearn(case, kind):
    nc, k, ratio, seed = case
    X, y = {2: BINARY, 3: MULTI}[nc]
    for m in (3, 10):  # m=3 < k=5 makes borderline-2 search its k neighbours separately
        theirs = imblearn_over.BorderlineSMOTE(
            sampling_strategy=ratio, k_neighbors=k, m_neighbors=m, kind=kind, random_state=seed
        ).fit_resample(X, y)
        ours = borderline_smote(X, y, k=k, m=m, kind=kind, ratio=ratio, random_state=seed)
        _assert_same(ours, theirs)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_adasyn_equals_imblearn(case):
    nc, k, ratio, seed = case
    X, y = {2: BINARY, 3: MULTI}[nc]
    theirs = imblearn_over.ADASYN(sampling_strategy=ratio, n_neighbors=k, random_state=seed)
    _assert_same(adasyn(X, y, k=k, ratio=ratio, random_state=seed), theirs.fit_resample(X, y))


def test_adasyn_keeps_imblearns_rounded_counts():
    X, y = MULTI
    X_res, y_res = adasyn(X, y, random_state=0)
    counts = np.bincount(y_res)
    assert counts[0] == np.bincount(y)[0]
    # per-row np.rint: close to, not exactly, the majority count (here it differs)
    assert np.all(np.abs(counts[1:] - counts[0]) <= 10)
    assert np.any(counts[1:] != counts[0])


@pytest.mark.parametrize("method", ["smote", "borderline-1", "borderline-2", "adasyn"])
def test_shared_random_state_instance_and_global_stream_equal_imblearn(method):
    X, y = MULTI
    ours_f, theirs_f = {
        "smote": (smote, lambda rs: imblearn_over.SMOTE(random_state=rs)),
        "borderline-1": (
            lambda X, y, random_state: borderline_smote(X, y, random_state=random_state),
            lambda rs: imblearn_over.BorderlineSMOTE(random_state=rs),
        ),
        "borderline-2": (
            lambda X, y, random_state: borderline_smote(
                X, y, kind="borderline-2", random_state=random_state
            ),
            lambda rs: imblearn_over.BorderlineSMOTE(kind="borderline-2", random_state=rs),
        ),
        "adasyn": (adasyn, lambda rs: imblearn_over.ADASYN(random_state=rs)),
    }[method]
    # one RandomState instance: one stream shared by all classes
    _assert_same(
        ours_f(X, y, random_state=np.random.RandomState(3)),
        theirs_f(np.random.RandomState(3)).fit_resample(X, y),
    )
    # None: NumPy's global stream
    np.random.seed(11)
    theirs = theirs_f(None).fit_resample(X, y)
    np.random.seed(11)
    _assert_same(ours_f(X, y, random_state=None), theirs)


def test_int_seed_restarts_the_stream_per_class():
    X, y = MULTI
    a = smote(X, y, random_state=3)[0]
    b = smote(X, y, random_state=np.random.RandomState(3))[0]
    assert a.shape == b.shape and not np.array_equal(a, b)
    # the first class's rows are the same, the second class's differ
    n, n1 = len(X), np.bincount(y).max() - np.bincount(y)[1]
    assert_array_equal(a[: n + n1], b[: n + n1])


def test_generator_random_state_is_deterministic():
    X, y = MULTI
    for f in (smote, borderline_smote, adasyn):
        a = f(X, y, random_state=np.random.default_rng(5))[0]
        b = f(X, y, random_state=np.random.default_rng(5))[0]
        assert_array_equal(a, b)


# --------------------------------------------------------------------------------------------
# SVM-SMOTE
# --------------------------------------------------------------------------------------------
class CountingSVC(SVC):
    """An SVC that counts its fits over all its clones."""

    n_fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def _segment_gaps(X_new, X, pairs):
    """For each new row, the gap g with new = b + g (nb - b) over the candidate (b, nb) pairs
    on whose line it lies (NaN when it lies on none)."""
    b, nb = X[pairs[:, 0]], X[pairs[:, 1]]
    v = nb - b
    diff = X_new[:, None, :] - b[None]
    g = (diff * v[None]).sum(-1) / (v * v).sum(-1)[None]
    resid = np.linalg.norm(diff - g[..., None] * v[None], axis=-1)
    scale = np.linalg.norm(X, axis=1).max()
    on = resid <= 1e-9 * scale
    gaps = np.where(on, g, np.nan)
    return gaps


@pytest.mark.parametrize("nc", [2, 3])
@pytest.mark.parametrize("k,m,out_step", [(3, 10, 0.5), (5, 6, 0.3)])
def test_svm_smote_rows_lie_on_segments_and_counts_are_exact(nc, k, m, out_step):
    X, y = {2: BINARY, 3: MULTI}[nc]
    CountingSVC.n_fits = 0
    X_res, y_res = svm_smote(
        X, y, k=k, m=m, out_step=out_step, svm_estimator=CountingSVC(gamma="scale"),
        random_state=1,
    )
    assert CountingSVC.n_fits == 1  # one fit, whatever the number of classes
    counts = np.bincount(y)
    assert_array_equal(np.bincount(y_res), np.full(nc, counts.max()))
    assert_array_equal(X_res[: len(X)], X)
    support = SVC(gamma="scale").fit(X, y).support_
    n_other = np.array([np.count_nonzero(y[nb] != y[i]) for i, nb in
                        zip(range(len(X)), kneighbors(X, m)[1])])
    start = len(X)
    for c in range(1, nc):
        members = np.flatnonzero(y == c)
        bases = support[(y[support] == c) & (n_other[support] < m)]
        nn = members[kneighbors(X[members], k)[1]]  # within-class neighbours, global indices
        pos = np.searchsorted(members, bases)
        pairs = np.array([(b, j) for b, row in zip(bases, nn[pos]) for j in row])
        n_new = counts.max() - counts[c]
        X_new = X_res[start:start + n_new]
        assert np.all(y_res[start:start + n_new] == c)
        start += n_new
        gaps = _segment_gaps(X_new, X, pairs)
        found = ~np.isnan(gaps)
        assert found.any(axis=1).all()
        danger = (n_other[pairs[:, 0]] >= m / 2)[None, :]
        ok = found & np.where(danger, (gaps >= 0) & (gaps <= 1), (gaps <= 0) & (gaps >= -out_step))
        assert ok.any(axis=1).all()


def test_svm_smote_exact_counts_where_imblearn_under_generates():
    rng = np.random.default_rng(0)
    # separated classes: no danger support vectors, only safe ones
    X = np.vstack(
        [rng.normal(0, 1, (80, 2)), rng.normal(8, 1, (20, 2)), rng.normal(-8, 1, (30, 2))]
    )
    y = np.array([0] * 80 + [1] * 20 + [2] * 30)
    X_res, y_res = svm_smote(X, y, k=3, m=5, random_state=0)
    assert_array_equal(np.bincount(y_res), [80, 80, 80])
    theirs = imblearn_over.SVMSMOTE(k_neighbors=3, m_neighbors=5, random_state=0)
    y_theirs = theirs.fit_resample(X, y)[1]
    assert np.bincount(y_theirs)[1] < 80  # imbalanced-learn's under-generation
    new = X_res[len(X):]
    assert (new[y_res[len(X):] == 1] > 3).all() and (new[y_res[len(X):] == 2] < -3).all()


@pytest.mark.parametrize("nc", [2, 3])
def test_svm_smote_equals_imblearn_when_both_groups_exist(nc):
    # data where every class has danger and safe support vectors (imbalanced-learn's counts
    # are then exact, and an int seed gives its rows)
    X, y = classification(nc, weights=WEIGHTS, n=300, d=5, redundant=2, clusters=1)
    theirs = imblearn_over.SVMSMOTE(k_neighbors=3, random_state=4).fit_resample(X, y)
    assert len(set(np.bincount(theirs[1]))) == 1
    _assert_same(svm_smote(X, y, k=3, random_state=4), theirs)


def test_svm_smote_errors():
    X, y = BINARY

    class NoSupport(SVC):
        def fit(self, X, y, sample_weight=None):
            return self

    with pytest.raises(TypeError, match="support_"):
        svm_smote(X, y, svm_estimator=NoSupport())
    with pytest.raises(ValueError, match="out_step must be a real number in \\[0, 1\\], got 2"):
        svm_smote(X, y, out_step=2)
    # isolated minority rows inside a grid of majority rows: all their support vectors are noise
    grid = np.stack(np.meshgrid(np.arange(15.0), np.arange(15.0)), -1).reshape(-1, 2)
    lonely = np.array([[2.5, 2.5], [2.5, 11.5], [11.5, 2.5], [11.5, 11.5], [7.5, 7.5]])
    jitter = [[0.01, 0.02], [0.03, 0.0], [0.0, 0.04], [0.05, 0.01], [0.02, 0.0]]
    Xn = np.vstack([grid, lonely + jitter])
    yn = np.array([0] * len(grid) + [1] * len(lonely))
    with pytest.raises(ValueError, match="support vectors of class 1 are noise"):
        svm_smote(Xn, yn, k=3, m=10, random_state=0)


def test_importing_resamplekit_does_not_import_sklearn():
    import subprocess
    import sys

    code = (
        "import sys, resamplekit, resamplekit.over_sampling; "
        "assert 'sklearn' not in sys.modules, 'sklearn imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(_repo_root()))


def _repo_root():
    import pathlib

    return pathlib.Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# Contract: errors, indices, containers, dtypes, threads
# --------------------------------------------------------------------------------------------
ALL = {
    "smote": smote,
    "borderline-1": lambda X, y, **kw: borderline_smote(X, y, m=5, **kw),
    "borderline-2": lambda X, y, **kw: borderline_smote(X, y, m=5, kind="borderline-2", **kw),
    "svm_smote": svm_smote,
    "adasyn": adasyn,
}


def _small_class_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = np.array(["a"] * 40 + ["b"] * 20 + ["c"] * 4)
    return X, y


@pytest.mark.parametrize("name", ["smote", "borderline-1", "svm_smote", "adasyn"])
def test_class_with_k_or_fewer_rows_is_a_clear_error(name):
    X, y = _small_class_data()
    # the rows of class c sit among class a's: they are in danger
    X[60:] = X[:4] + 0.01
    with pytest.raises(ValueError) as err:
        ALL[name](X, y, k=5, random_state=0)
    msg = str(err.value)
    for part in ("class 'c'", "4 rows", "k=5", "use k=3 or less", "leave class 'c' out",
                 "ratio={label: count}"):
        assert part in msg
    # leaving the class out of ratio works
    X_res, y_res = ALL[name](X, y, k=5, ratio={"b": 40}, random_state=0)
    assert (y_res == "c").sum() == 4 and (y_res == "b").sum() == 40


@pytest.mark.parametrize("name", list(ALL))
def test_parameter_errors(name):
    X, y = BINARY
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        ALL[name](X, y, k=0)
    with pytest.raises(TypeError, match="k must be an integer"):
        ALL[name](X, y, k=2.0)


def test_borderline_parameter_errors():
    X, y = BINARY
    with pytest.raises(ValueError, match="kind must be 'borderline-1' or 'borderline-2', got 'b"):
        borderline_smote(X, y, kind="b3")
    with pytest.raises(ValueError, match="m must be an integer >= 1, got 0"):
        borderline_smote(X, y, m=0)
    with pytest.raises(ValueError, match=r"m=400 needs at least 401 rows in X .*use m=\d+ or less"):
        borderline_smote(X, y, m=400)


@pytest.mark.parametrize("name", list(ALL))
def test_return_indices_and_originals_first(name):
    X, y = MULTI
    X_res, y_res, idx = ALL[name](X, y, k=3, random_state=0, return_indices=True)
    n = len(X)
    assert_array_equal(idx[:n], np.arange(n))
    assert (idx[n:] == -1).all() and len(idx) == len(X_res) == len(y_res)
    assert_array_equal(X_res[:n], X)
    assert_array_equal(y_res[:n], y)
    assert np.all(np.diff(y_res[n:]) >= 0)  # new rows class by class, ascending label


@pytest.mark.parametrize("name", list(ALL))
def test_pandas_in_pandas_out(name):
    pd = pytest.importorskip("pandas")
    X, y = BINARY
    Xdf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(np.where(y == 1, "pos", "neg"), name="target")
    X_res, y_res = ALL[name](Xdf, ys, k=3, random_state=0)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(Xdf.columns)
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    X_np, y_np = ALL[name](X, np.asarray(ys), k=3, random_state=0)
    assert_array_equal(X_res.to_numpy(), X_np)
    assert_array_equal(y_res.to_numpy(), y_np)


@pytest.mark.parametrize("name", list(ALL))
def test_pandas_input_values(name):
    pd = pytest.importorskip("pandas")
    X, y = BINARY
    Xdf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_res, y_res = ALL[name](Xdf, pd.Series(y, name="t"), k=3, random_state=0)
    X_np, y_np = ALL[name](X, y, k=3, random_state=0)
    assert_array_equal(np.asarray(X_res), X_np)
    assert_array_equal(np.asarray(y_res), y_np)


@pytest.mark.parametrize("name", list(ALL))
def test_float32_is_kept(name):
    X, y = BINARY
    X32 = X.astype(np.float32)
    X_res, y_res = ALL[name](X32, y, k=3, random_state=0)
    assert X_res.dtype == np.float32
    assert_array_equal(X_res[: len(X)], X32)


def test_float32_close_to_imblearn():
    X, y = BINARY
    X32 = X.astype(np.float32)
    Xa, ya = imblearn_over.SMOTE(k_neighbors=3, random_state=0).fit_resample(X32, y)
    Xb, yb = smote(X32, y, k=3, random_state=0)
    assert Xa.dtype == Xb.dtype == np.float32
    assert_array_equal(yb, ya)
    assert_allclose(Xb, Xa, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(ALL))
def test_integer_features_give_float64_never_truncated(name):
    X, y = BINARY
    Xi = np.round(X * 10).astype(np.int64)
    X_res, _ = ALL[name](Xi, y, k=3, random_state=0)
    assert X_res.dtype == np.float64
    assert_array_equal(X_res[: len(X)], Xi)
    new = X_res[len(X):]
    assert np.any(new != np.round(new))  # interpolated values, not truncated
    # same rows as the float64 input
    assert_array_equal(X_res, ALL[name](Xi.astype(np.float64), y, k=3, random_state=0)[0])


@pytest.mark.kernel
@pytest.mark.parametrize("name", list(ALL))
def test_same_output_for_any_n_jobs(name):
    X, y = MULTI
    ref = ALL[name](X, y, k=3, random_state=0, n_jobs=1)
    for n_jobs in (2, 3, -1, None):
        out = ALL[name](X, y, k=3, random_state=0, n_jobs=n_jobs)
        assert_array_equal(out[0], ref[0])
        assert_array_equal(out[1], ref[1])


@pytest.mark.parametrize("name", list(ALL))
def test_nothing_to_generate(name):
    X, y = BINARY
    counts = np.bincount(y)
    X_res, y_res = ALL[name](X, y, ratio={0: counts[0], 1: counts[1]}, random_state=0)
    assert_array_equal(X_res, X)
    assert_array_equal(y_res, y)


@pytest.mark.parametrize("name", list(ALL))
def test_inputs_untouched_and_read_only_inputs_work(name):
    X, y = BINARY
    X = X.copy()
    y = y.copy()
    X.flags.writeable = False
    y.flags.writeable = False
    X_before = X.copy()
    X_res, y_res = ALL[name](X, y, k=3, random_state=0)
    assert_array_equal(X, X_before)
    assert_array_equal(X_res, ALL[name](X.copy(), y.copy(), k=3, random_state=0)[0])


def test_smote_writes_new_rows_into_the_output_once():
    # Dense X: the new rows are written straight into the output array, not made apart and
    # copied in (which would add their size again to the peak). Wide float64 rows make the
    # draws (about 48 bytes a new row) small beside the rows (512 bytes).
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6_000, 64))
    y = np.array([0] * 5_000 + [1] * 1_000)
    smote(X[:200], (np.arange(200) >= 150).astype(int), random_state=0)  # warm up
    (X_res, _), peak = traced_peak(lambda: smote(X, y, random_state=0))
    new_bytes = (X_res.shape[0] - X.shape[0]) * X.shape[1] * 8
    assert X_res.shape == (10_000, 64)
    assert peak < X_res.nbytes + 0.5 * new_bytes, (peak, X_res.nbytes, new_bytes)


def test_smote_on_sparse_x_builds_the_output_once():
    # Sparse X: the output CSR is allocated once, the original rows copied in and the new
    # rows' entries written after them (not built apart and stacked, which would add their
    # size again to the peak). Long rows (200 stored values) make the draws and the search's
    # buffers small beside the new rows.
    from scipy import sparse

    rng = np.random.default_rng(0)
    n, d, per_row = 3_000, 100_000, 200
    cols = np.sort(rng.choice(d, size=(n, per_row)), axis=1)
    indptr = np.arange(0, n * per_row + 1, per_row)
    X = sparse.csr_matrix((rng.normal(size=n * per_row), cols.ravel(), indptr), shape=(n, d))
    X.sum_duplicates()
    y = np.array([0] * 2_500 + [1] * 500)
    smote(X[:200], (np.arange(200) >= 150).astype(int), random_state=0)  # warm up
    (X_res, _), peak = traced_peak(lambda: smote(X, y, random_state=0))
    out_bytes = X_res.data.nbytes + X_res.indices.nbytes + X_res.indptr.nbytes
    new_values = X_res.nnz - X.nnz
    new_bytes = new_values * (X_res.data.itemsize + X_res.indices.itemsize)
    assert X_res.shape == (5_000, d) and new_values > 300_000
    # beside the output: the search's buffers for the 500 minority rows (100,000 values) and
    # the draws, well below the new rows' size
    assert peak < out_bytes + 0.6 * new_bytes, (peak, out_bytes, new_bytes)
    assert (X_res[:n] != X).nnz == 0
