"""resamplekit._neighbors.kneighbors against a plain NumPy reference.

The reference computes every distance exactly in float64 and sorts each row by
(distance, index), with self excluded by index when Y is None.
"""
import doctest

import numpy as np
import pytest

import resamplekit._neighbors as nb
from resamplekit._neighbors import kneighbors

pytestmark = pytest.mark.kernel


@pytest.fixture(autouse=True)
def _threads_even_for_small_searches(monkeypatch):
    # kneighbors runs small searches on one thread; the tests use small data, so lift that
    # limit here to exercise the threaded code paths (n_jobs=2 must give identical results).
    from resamplekit import _neighbors

    monkeypatch.setattr(_neighbors, "_WORK_PER_THREAD", 1)


def reference(X, k, Y=None, farthest=False):
    X = np.asarray(X, dtype=np.float64)
    Q = X if Y is None else np.asarray(Y, dtype=np.float64)
    n = X.shape[0]
    dist = np.empty((len(Q), k))
    ind = np.empty((len(Q), k), dtype=np.intp)
    for q in range(len(Q)):
        d2 = ((X - Q[q]) ** 2).sum(axis=1)
        key = -d2 if farthest else d2.copy()
        if Y is None:
            key[q] = np.inf
        order = np.lexsort((np.arange(n), key))[:k]
        ind[q] = order
        dist[q] = np.sqrt(d2[order])
    return dist, ind


def assert_same(got, expected):
    dist, ind = got
    assert dist.dtype == np.float64 and ind.dtype == np.intp
    assert dist.shape == expected[0].shape and ind.shape == expected[1].shape
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


def data(rng, n, d, kind="normal", dtype=np.float64):
    if kind == "normal":
        X = rng.normal(size=(n, d)) * 3.0 + 2.0
    elif kind == "ties":  # integer-valued: many exactly equal distances
        X = rng.integers(0, 3, size=(n, d)).astype(np.float64)
    elif kind == "offset":  # far from the origin: cancellation in the GEMM trick
        X = rng.normal(size=(n, d)) + 1e4
    return X.astype(dtype)


SHAPES = [
    # (n, d, k)
    (2, 1, 1),
    (3, 2, 2),
    (7, 3, 6),
    (50, 1, 7),
    (97, 7, 5),
    (100, 20, 99),
    (101, 300, 10),
    (257, 64, 1),
    (600, 5, 30),
    (1500, 16, 6),
]


@pytest.mark.parametrize("n, d, k", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["normal", "ties"])
def test_self_query_matches_reference(rng, n, d, k, dtype, kind):
    X = data(rng, n, d, kind, dtype)
    assert_same(kneighbors(X, k, algorithm="brute"), reference(X, k))


@pytest.mark.parametrize("n, d, k", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_farthest_matches_reference(rng, n, d, k, dtype):
    X = data(rng, n, d, "ties" if d < 8 else "normal", dtype)
    assert_same(kneighbors(X, k, farthest=True), reference(X, k, farthest=True))


@pytest.mark.parametrize("n, d, k", [(1, 3, 1), (5, 2, 5), (300, 12, 8), (1000, 40, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("farthest", [False, True])
@pytest.mark.parametrize("kind", ["normal", "ties"])
def test_separate_queries_match_reference(rng, n, d, k, dtype, farthest, kind):
    X = data(rng, n, d, kind, dtype)
    Y = np.concatenate([data(rng, 77, d, kind, dtype), X[:5]])  # some queries equal rows of X
    got = kneighbors(X, k, Y=Y, farthest=farthest)
    assert_same(got, reference(X, k, Y=Y, farthest=farthest))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_far_from_origin(rng, dtype):
    # Large norms against small distances: the float32 candidates need their full window.
    X = data(rng, 400, 6, "offset", dtype)
    assert_same(kneighbors(X, 5), reference(X, 5))
    assert_same(kneighbors(X, 3, farthest=True), reference(X, 3, farthest=True))


def test_heavy_outlier(rng):
    X = rng.normal(size=(500, 10))
    X[17] = 1e6
    assert_same(kneighbors(X, 4), reference(X, 4))


@pytest.mark.parametrize("chunk_size", [1, 25, 41, 97, 100, 101])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_chunk_size_does_not_change_results(rng, chunk_size, dtype):
    X = data(rng, 503, 9, "ties", dtype)
    Y = data(rng, 211, 9, "normal", dtype)
    expected = reference(X, 6)
    assert_same(kneighbors(X, 6, chunk_size=chunk_size), expected)
    assert_same(kneighbors(X, 6, Y=Y, chunk_size=chunk_size), reference(X, 6, Y=Y))
    assert_same(
        kneighbors(X, 4, farthest=True, chunk_size=chunk_size), reference(X, 4, farthest=True)
    )


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
@pytest.mark.parametrize("kind", ["normal", "ties"])
def test_n_jobs_does_not_change_results(rng, algorithm, kind):
    X = data(rng, 2000, 4, kind)
    one = kneighbors(X, 5, n_jobs=1, algorithm=algorithm)
    two = kneighbors(X, 5, n_jobs=2, algorithm=algorithm)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])
    assert_same(one, reference(X, 5))


@pytest.mark.parametrize("kind", ["normal", "ties"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("k", [1, 4, 12])
def test_kd_tree_matches_reference(rng, kind, dtype, k):
    X = data(rng, 1200, 3, kind, dtype)
    Y = data(rng, 150, 3, kind, dtype)
    assert_same(kneighbors(X, k, algorithm="kd_tree"), reference(X, k))
    assert_same(kneighbors(X, k, Y=Y, algorithm="kd_tree"), reference(X, k, Y=Y))


def test_auto_uses_kd_tree_for_low_dimension(rng, monkeypatch):
    X = data(rng, 12_000, 2, "ties")
    calls = []
    real = nb._kd_tree
    monkeypatch.setattr(nb, "_kd_tree", lambda *a: calls.append(1) or real(*a))
    got = kneighbors(X[:11_000], 3, Y=X[11_000:])
    assert calls
    assert_same(got, reference(X[:11_000], 3, Y=X[11_000:]))
    # At 3-4 features the tree is used from k = 5 on only (brute force wins at small k).
    X = data(rng, 12_000, 4, "normal")
    calls.clear()
    kneighbors(X[:11_000], 4, Y=X[11_000:])
    assert not calls
    got = kneighbors(X[:11_000], 5, Y=X[11_000:])
    assert calls
    assert_same(got, reference(X[:11_000], 5, Y=X[11_000:]))


def test_float64_candidates(rng, monkeypatch):
    monkeypatch.setattr(nb, "_FLOAT64_CANDIDATES", True)
    for kind in ("normal", "ties", "offset"):
        X = data(rng, 300, 7, kind)
        assert_same(kneighbors(X, 5, chunk_size=41), reference(X, 5))
        assert_same(kneighbors(X, 5, farthest=True), reference(X, 5, farthest=True))


def test_tight_clusters_far_apart_are_redone_in_float64(rng, monkeypatch):
    # Norms ~1e10 against distances ~1: float32 cannot separate the candidates, so their lists
    # overflow and those queries are redone with a float64 scan (still exact).
    X = rng.normal(size=(6000, 3)) * 0.01
    X[::2] += 1e5
    passes = []
    real = nb._brute_pass
    monkeypatch.setattr(
        nb, "_brute_pass", lambda *a: passes.append((a[8], len(a[2]))) or real(*a)
    )
    sub = X[:6000:7]
    assert_same(kneighbors(X, 3, Y=sub, n_jobs=2), reference(X, 3, Y=sub))
    # (other, smaller passes may come first: the sample that decides on pruning)
    assert passes[-2] == (np.float32, len(sub)) and passes[-1] == (np.float64, len(sub))


def test_duplicates_are_neighbours_at_distance_zero(rng):
    base = rng.normal(size=(40, 5))
    X = np.concatenate([base, base, base[:3]])
    dist, ind = kneighbors(X, 2)
    assert_same((dist, ind), reference(X, 2))
    for i in range(40):
        assert dist[i, 0] == 0 and ind[i, 0] == i + 40  # its copy, never itself
    assert list(ind[0]) == [40, 80]
    assert list(ind[80]) == [0, 40]


def test_massive_ties_overflow_and_growth(rng):
    # All rows equal: every candidate list overflows and falls back to an exact scan.
    X = np.zeros((5000, 1))
    dist, ind = kneighbors(X, 3, n_jobs=2)
    assert np.all(dist == 0)
    np.testing.assert_array_equal(ind[0], [1, 2, 3])
    np.testing.assert_array_equal(ind[1], [0, 2, 3])
    np.testing.assert_array_equal(ind[4999], [0, 1, 2])
    # Hundreds of ties per query: the candidate lists grow.
    X = rng.integers(0, 2, size=(3000, 3)).astype(np.float32)
    assert_same(kneighbors(X, 7, chunk_size=97), reference(X[:], 7))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layouts_and_dtypes(rng, dtype):
    base = data(rng, 300, 12, "normal", dtype)
    expected = reference(base, 4)
    F = np.asfortranarray(base)
    ro = base.copy()
    ro.flags.writeable = False
    big = np.zeros((600, 24), dtype=dtype)
    big[::2, ::2] = base
    strided = big[::2, ::2]
    assert not strided.flags.c_contiguous
    for X in (F, ro, strided, base.tolist()):
        assert_same(kneighbors(X, 4), expected)
    # Y read-only and Fortran-ordered
    Y = np.asfortranarray(base[:50])
    Y.flags.writeable = False
    assert_same(kneighbors(ro, 4, Y=Y), reference(base, 4, Y=base[:50]))
    assert not ro.flags.writeable and np.array_equal(ro, base)  # input untouched


def test_integer_bool_and_float16_inputs(rng):
    X = rng.integers(-5, 5, size=(200, 4))
    expected = reference(X, 3)
    for A in (X, X.astype(np.int8), X.astype(np.uint64) + 7, X.astype(np.float16)):
        assert_same(kneighbors(A, 3), reference(A, 3))
    B = X > 0
    assert_same(kneighbors(B, 3), reference(B.astype(float), 3))
    assert_same(kneighbors(X.astype(np.float32), 3, Y=X[:10]), reference(X, 3, Y=X[:10]))
    assert expected is not None


def test_empty_queries(rng):
    X = rng.normal(size=(10, 3))
    dist, ind = kneighbors(X, 2, Y=np.empty((0, 3)))
    assert dist.shape == (0, 2) and ind.shape == (0, 2)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(k=0), ValueError, r"k must be an integer >= 1, got 0"),
        (dict(k=-2), ValueError, r"k must be an integer >= 1, got -2"),
        (dict(k=2.5), TypeError, r"k must be an integer >= 1, got 2.5"),
        (dict(k=True), TypeError, r"k must be an integer >= 1, got True"),
        (dict(k="3"), TypeError, r"k must be an integer >= 1, got '3'"),
        (dict(k=10), ValueError, r"k must be <= 9, the number of rows of X minus one .*got 10"),
        (
            dict(k=11, Y=np.zeros((2, 3))),
            ValueError,
            r"k must be <= 10, the number of rows of X, got 11",
        ),
        (
            dict(k=1, Y=np.zeros((2, 4))),
            ValueError,
            r"Y must have the same number of features as X \(3\), got 4",
        ),
        (dict(k=1, Y=np.zeros(3)), ValueError, r"Y must be a 2-D array .*shape \(3,\)"),
        (dict(k=1, Y=[[np.nan, 0, 0]]), ValueError, r"Y must contain only finite values"),
        (dict(k=1, farthest="yes"), TypeError, r"farthest must be True or False, got 'yes'"),
        (dict(k=1, n_jobs=0), ValueError, r"n_jobs must be None, a positive integer.*got 0"),
        (dict(k=1, chunk_size=0), ValueError, r"chunk_size must be None or an integer >= 1, got 0"),
        (dict(k=1, algorithm="ball"), ValueError, r"algorithm must be one of .*got 'ball'"),
        (dict(k=1, algorithm="kd_tree", farthest=True), ValueError, r"kd_tree.*farthest"),
    ],
)
def test_bad_arguments(rng, kwargs, exc, match):
    X = rng.normal(size=(10, 3))
    k = kwargs.pop("k")
    with pytest.raises(exc, match=match):
        kneighbors(X, k, **kwargs)


@pytest.mark.parametrize(
    "X, exc, match",
    [
        (np.empty((0, 3)), ValueError, r"X must have at least one row, got .*shape \(0, 3\)"),
        (np.empty((4, 0)), ValueError, r"X must have at least one feature"),
        (
            np.array([[0.0, np.inf], [1.0, 2.0]]),
            ValueError,
            r"X must contain only finite values, got NaN or infinity",
        ),
        (np.array([[0.0, np.nan], [1.0, 2.0]]), ValueError, r"X must contain only finite values"),
        (np.zeros(5), ValueError, r"X must be a 2-D array \(rows x features\), got .*\(5,\)"),
        (
            np.array([["a", "b"], ["c", "d"]]),
            TypeError,
            r"X must be a 2-D array of integers or floats, got dtype <U1",
        ),
        (np.zeros((3, 2), dtype=complex), TypeError, r"got dtype complex128"),
    ],
)
def test_bad_X(X, exc, match):
    with pytest.raises(exc, match=match):
        kneighbors(X, 1)


def test_docstring_example():
    result = doctest.testmod(nb, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_random_configurations(rng):
    # A seeded sweep over shapes, k, dtypes, data kinds, directions, queries and chunk sizes.
    for trial in range(60):
        n = int(rng.integers(2, 300))
        d = int(rng.integers(1, 50))
        k = int(rng.integers(1, n))
        dtype = (np.float32, np.float64)[trial % 2]
        kind = ("normal", "ties", "offset")[trial % 3]
        X = data(rng, n, d, kind, dtype)
        farthest = bool(trial % 5 == 0)
        Y = None if trial % 4 else data(rng, int(rng.integers(1, 50)), d, kind, dtype)
        chunk_size = (None, 25, 41, 97)[trial % 4 if trial % 7 else 0]
        got = kneighbors(X, min(k, n - 1) if Y is None else k, Y=Y, farthest=farthest,
                         chunk_size=chunk_size, n_jobs=1 + trial % 2)
        expected = reference(X, min(k, n - 1) if Y is None else k, Y=Y, farthest=farthest)
        assert_same(got, expected)


@pytest.mark.parametrize("farthest", [False, True])
@pytest.mark.parametrize("kind", ["normal", "ties"])
def test_few_queries_split_rows_among_threads(rng, farthest, kind):
    X = data(rng, 5000, 6, kind, np.float32)
    Y = np.concatenate([data(rng, 7, 6, kind, np.float32), X[2497:2503]])
    one = kneighbors(X, 9, Y=Y, farthest=farthest, n_jobs=1)
    two = kneighbors(X, 9, Y=Y, farthest=farthest, n_jobs=2, algorithm="brute")
    np.testing.assert_array_equal(one[1], two[1])
    np.testing.assert_array_equal(one[0], two[0])
    assert_same(two, reference(X, 9, Y=Y, farthest=farthest))


@pytest.mark.parametrize("farthest", [False, True])
def test_distances_closer_than_float32_resolution(rng, farthest):
    # Rows on a sphere around the query with radii 1 + i * 1e-10 (in shuffled order): float32
    # cannot tell them apart, the float64 answer orders them by i.
    n, d = 700, 8
    directions = rng.normal(size=(n, d))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    order = rng.permutation(n)
    X = directions * (1.0 + order[:, None] * 1e-10) + 3.0
    Y = np.full((2, d), 3.0)
    dist, ind = kneighbors(X, 20, Y=Y, farthest=farthest)
    expected = np.argsort(-order if farthest else order)[:20]
    np.testing.assert_array_equal(ind[0], expected)
    np.testing.assert_array_equal(ind[1], expected)
    assert_same((dist, ind), reference(X, 20, Y=Y, farthest=farthest))


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_rows_query_a_subset_excluding_self_by_index(algorithm):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    X[10] = X[3]
    X[11] = X[3]
    X[20] = X[5]
    full_d, full_i = kneighbors(X, 4, algorithm=algorithm)
    rows = np.array([3, 5, 10, 11, 20, 0, 39], dtype=np.intp)
    d, i = kneighbors(X, 4, rows=rows, algorithm=algorithm)
    np.testing.assert_array_equal(i, full_i[rows])
    np.testing.assert_array_equal(d, full_d[rows])
    assert not (i == rows[:, None]).any()
    # Every row, in order, is the self-query.
    np.testing.assert_array_equal(kneighbors(X, 4, rows=np.arange(40))[1], full_i)
    assert kneighbors(X, 4, rows=np.array([], dtype=np.intp))[1].shape == (0, 4)


def test_rows_bad_arguments():
    X = np.arange(10.0).reshape(5, 2)
    with pytest.raises(ValueError, match="rows and Y cannot both be given"):
        kneighbors(X, 1, Y=X, rows=[0])
    with pytest.raises(ValueError, match=r"rows must be indices in \[0, 4\]"):
        kneighbors(X, 1, rows=[5])
    with pytest.raises(TypeError, match="rows must be a 1-d array of row indices"):
        kneighbors(X, 1, rows=[0.5])
    with pytest.raises(ValueError, match="k must be <= 4"):
        kneighbors(X, 5, rows=[0])


def _without_symmetric(monkeypatch, X, k, **kwargs):
    """kneighbors through the non-symmetric kernel (one tile per query chunk x row chunk)."""
    with monkeypatch.context() as m:
        m.setattr(nb, "_SYMMETRIC_MIN_ROWS", 10**12)
        m.setattr(nb, "_PRUNE_MIN_ROWS", 10**12)
        return kneighbors(X, k, algorithm="brute", **kwargs)


def _spy_symmetric(monkeypatch):
    calls = []
    real = nb._knn.knn_brute_sym
    monkeypatch.setattr(nb._knn, "knn_brute_sym", lambda *a: calls.append(a[7]) or real(*a))
    return calls


@pytest.mark.parametrize(
    "n, d, k, kind, chunk_size",
    [
        (1000, 20, 1, "normal", None),  # 4 blocks of 256, the last one partial
        (1000, 20, 4, "normal", 97),  # n not divisible by the block, odd block count
        (777, 5, 3, "ties", 41),
        (1300, 3, 250, "ties", None),  # k in the hundreds, lists that grow
        (1500, 8, 7, "ties", 100),
        (900, 30, 2, "offset", 64),
        (300, 4, 1, "ties", 1),  # blocks of one row
        (5, 2, 4, "normal", None),  # a single (diagonal) tile
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("farthest", [False, True])
def test_symmetric_self_query(rng, monkeypatch, n, d, k, kind, chunk_size, dtype, farthest):
    X = data(rng, n, d, kind, dtype)
    expected = reference(X, k, farthest=farthest)
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_ROWS", 0)
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_FEATURES_FUSED", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_ROWS", 10**12)  # the symmetric kernel, not pruning
    calls = _spy_symmetric(monkeypatch)
    for n_jobs in (1, 2):
        got = kneighbors(X, k, farthest=farthest, chunk_size=chunk_size, n_jobs=n_jobs,
                         algorithm="brute")
        assert_same(got, expected)
    assert len(calls) == 2
    assert calls[0] == (nb._CHUNK_SYMMETRIC if chunk_size is None else chunk_size)
    old = _without_symmetric(monkeypatch, X, k, farthest=farthest, chunk_size=chunk_size)
    np.testing.assert_array_equal(old[1], got[1])
    np.testing.assert_array_equal(old[0], got[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_symmetric_self_query_duplicates(rng, monkeypatch, dtype):
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_ROWS", 0)
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_FEATURES_FUSED", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_ROWS", 10**12)  # the symmetric kernel, not pruning
    base = data(rng, 300, 6, "normal", dtype)
    X = np.concatenate([base, base[::-1], base[:50], base[:50]])  # 2 to 4 copies of each row
    for chunk_size in (None, 37, 300):
        dist, ind = kneighbors(X, 3, chunk_size=chunk_size, n_jobs=2)
        assert_same((dist, ind), reference(X, 3))
        assert not (ind == np.arange(len(X))[:, None]).any()  # never itself, always a copy
        assert np.all(dist[:, 0] == 0)


@pytest.mark.parametrize("fused", [False, True])
def test_symmetric_is_the_default_for_large_self_queries(rng, monkeypatch, fused):
    # With GEMM tiles at any d; with the fused scan from _SYMMETRIC_MIN_FEATURES_FUSED on.
    if fused and not nb._knn.fused_scan_available():
        pytest.skip("this CPU has no AVX-512F: the fused scan is never used")
    monkeypatch.setattr(nb, "_FUSED_SCAN", fused)
    d = nb._SYMMETRIC_MIN_FEATURES_FUSED if fused else 10
    X = data(rng, nb._SYMMETRIC_MIN_ROWS + 3, d, "normal", np.float32)
    calls = _spy_symmetric(monkeypatch)
    kneighbors(X[:200], 2)  # small: the other kernel
    kneighbors(X, 2, Y=X[:100])  # separate queries: the other kernel
    kneighbors(X, 2, rows=np.arange(50))  # a subset of the rows: the other kernel
    assert calls == []
    got = kneighbors(X, 2, algorithm="brute")
    assert calls == [nb._CHUNK_SYMMETRIC]
    rows = rng.choice(len(X), 300, replace=False)
    assert_same((got[0][rows], got[1][rows]), tuple(a[rows] for a in reference(X, 2)))
    # Over the memory budget: the other kernel, same answer.
    monkeypatch.setattr(nb, "_SYMMETRIC_MAX_BYTES", 1000)
    again = kneighbors(X, 2, algorithm="brute")
    assert calls == [nb._CHUNK_SYMMETRIC]
    np.testing.assert_array_equal(again[1], got[1])
    np.testing.assert_array_equal(again[0], got[0])
    if fused:  # fewer features: the tiled kernel (fused scan) for every row
        monkeypatch.setattr(nb, "_SYMMETRIC_MAX_BYTES", 256 * 2**20)
        kneighbors(X[:, :d - 1], 2, algorithm="brute")
        assert calls == [nb._CHUNK_SYMMETRIC]


def test_symmetric_overflow_is_redone(rng, monkeypatch):
    # Tight clusters far apart: float32 lists overflow in the symmetric pass too and those
    # queries are redone by a float64 scan.
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_ROWS", 0)
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_FEATURES_FUSED", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_ROWS", 10**12)  # the symmetric kernel, not pruning
    X = rng.normal(size=(6000, 3)) * 0.01
    X[::2] += 1e5
    passes = []
    real = nb._brute_pass
    monkeypatch.setattr(  # (dtype, self-query, block)
        nb, "_brute_pass",
        lambda *a: passes.append((a[8], a[1] is None, (a + (None,) * 2)[12])) or real(*a),
    )
    got = kneighbors(X, 3, n_jobs=1, chunk_size=500)
    assert passes[0] == (np.float32, True, 500) and passes[1][:2] == (np.float64, False)
    two = kneighbors(X, 3, n_jobs=2, chunk_size=500)
    np.testing.assert_array_equal(two[1], got[1])
    np.testing.assert_array_equal(two[0], got[0])
    sub = np.arange(0, 6000, 37)
    ref_d, ref_i = reference(X, 4, Y=X[sub])
    assert (ref_i[:, 0] == sub).all()  # no duplicates: a query is its own first neighbour
    assert_same((got[0][sub], got[1][sub]), (ref_d[:, 1:], ref_i[:, 1:]))
    old = _without_symmetric(monkeypatch, X, 3, chunk_size=500)
    np.testing.assert_array_equal(old[1], got[1])
    np.testing.assert_array_equal(old[0], got[0])
    # Massive exact ties overflow the float64 scan too: an exact scan of all rows (done by the
    # symmetric kernel itself when it scans in float64).
    monkeypatch.setattr(nb, "_FLOAT64_CANDIDATES", True)
    Z = np.zeros((4500, 1))  # 3,000 zeros (their lists overflow), 1,500 ones
    Z[::3] = 1.0
    passes.clear()
    dist, ind = kneighbors(Z, 2, n_jobs=1)
    assert passes == [(np.float64, True, nb._CHUNK_SYMMETRIC)]
    two = kneighbors(Z, 2, n_jobs=2)
    np.testing.assert_array_equal(two[1], ind)
    np.testing.assert_array_equal(two[0], dist)
    assert np.all(dist == 0)
    np.testing.assert_array_equal(ind[:4], [[3, 6], [2, 4], [1, 4], [0, 6]])
    np.testing.assert_array_equal(ind[[4497, 4499]], [[0, 3], [1, 2]])  # a one, a zero


def test_rows_covering_most_of_x_give_the_subset_of_the_self_query():
    rng = np.random.default_rng(3)
    X = rng.integers(0, 4, size=(2600, 3)).astype(np.float64)  # many ties and duplicates
    rows = np.sort(rng.choice(2600, size=2000, replace=False))
    full = kneighbors(X, 5)
    sub = kneighbors(X, 5, rows=rows)
    np.testing.assert_array_equal(sub[1], full[1][rows])
    np.testing.assert_array_equal(sub[0], full[0][rows])
    few = kneighbors(X, 5, rows=rows[:100])
    np.testing.assert_array_equal(few[1], full[1][rows[:100]])


# --- Pruning by projection on the principal axis (sorted rows, chunks skipped) ---


def _force_pruning(monkeypatch):
    """Prune every search (whatever its size or estimated benefit); spy on the kernel."""
    monkeypatch.setattr(nb, "_PRUNE_MIN_ROWS", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_QUERIES", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_PAIRS", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_PAIRS_SELF", 0)
    monkeypatch.setattr(nb, "_PRUNE_MAX_FRACTION", 2.0)
    monkeypatch.setattr(nb, "_PRUNE_MAX_FRACTION_SELF", 2.0)
    monkeypatch.setattr(nb, "_PRUNE_MAX_FRACTION_FUSED", 2.0)
    monkeypatch.setattr(nb, "_PRUNE_MAX_FRACTION_SELF_FUSED", 2.0)
    calls = []
    real = nb._knn.knn_brute
    monkeypatch.setattr(
        nb._knn, "knn_brute", lambda *a: calls.append(len(a) > 19 and a[19] is not None)
        or real(*a)
    )
    return calls


def pruning_data(rng, n, d, kind, dtype):
    if kind == "line":  # spread along one axis: most chunks are skipped
        X = rng.normal(size=(n, d))
        X[:, 0] *= 50.0
    elif kind == "clusters":  # tight clusters far apart, away from the origin
        X = rng.normal(size=(n, d)) * 0.05 + rng.integers(0, 4, size=(n, 1)) * 10.0 + 100.0
    elif kind == "outliers":  # a few rows with huge norms: the error margins of their chunks
        X = rng.normal(size=(n, d))
        X[::97] *= 1e4
    elif kind == "ties":  # integer grid: projections and distances tie exactly
        X = rng.integers(0, 4, size=(n, d)).astype(np.float64)
    elif kind == "duplicates":
        base = rng.normal(size=(n // 3 + 1, d))
        base[:, 0] *= 20.0
        X = np.concatenate([base, base, base])[:n]
    else:
        X = data(rng, n, d, kind)
    return X.astype(dtype)


@pytest.mark.parametrize("kind", ["line", "clusters", "outliers", "ties", "duplicates", "normal"])
@pytest.mark.parametrize("d", [1, 2, 7, 20])
@pytest.mark.parametrize("k", [1, 4, 11])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pruned_search_matches_reference(rng, monkeypatch, kind, d, k, dtype):
    calls = _force_pruning(monkeypatch)
    X = pruning_data(rng, 400, d, kind, dtype)
    Y = pruning_data(rng, 90, d, kind, dtype)
    rows = np.arange(3, 400, 5)
    expected_self = reference(X, k)
    expected_y = reference(X, k, Y=Y)
    for n_jobs, chunk_size in ((1, None), (2, 41), (2, 1)):
        assert_same(kneighbors(X, k, n_jobs=n_jobs, chunk_size=chunk_size), expected_self)
        assert_same(kneighbors(X, k, Y=Y, n_jobs=n_jobs, chunk_size=chunk_size), expected_y)
        got = kneighbors(X, k, rows=rows, n_jobs=n_jobs, chunk_size=chunk_size)
        assert_same(got, (expected_self[0][rows], expected_self[1][rows]))
    assert calls.count(True) == 9  # every search above was pruned (after its unpruned sample)


def test_pruned_search_is_bit_identical_to_unpruned(rng, monkeypatch):
    X = pruning_data(rng, 5000, 12, "line", np.float32)
    rows = np.arange(0, 5000, 3)
    unpruned = [_without_symmetric(monkeypatch, X, 6), kneighbors(X, 6, Y=X[:900] + 0.5),
                kneighbors(X, 6, rows=rows)]
    with monkeypatch.context() as m:
        m.setattr(nb, "_PRUNE_MIN_ROWS", 10**12)
        unpruned[1:] = [kneighbors(X, 6, Y=X[:900] + 0.5), kneighbors(X, 6, rows=rows)]
    calls = _force_pruning(monkeypatch)
    pruned = [kneighbors(X, 6), kneighbors(X, 6, Y=X[:900] + 0.5), kneighbors(X, 6, rows=rows)]
    assert calls.count(True) == 3
    for (d1, i1), (d2, i2) in zip(pruned, unpruned):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(d1, d2)


@pytest.mark.parametrize("fused", [False, True])
def test_pruning_is_chosen_only_where_it_pays(rng, monkeypatch, fused):
    if fused and not nb._knn.fused_scan_available():
        pytest.skip("this CPU has no AVX-512F: the fused scan is never used")
    monkeypatch.setattr(nb, "_FUSED_SCAN", fused)
    monkeypatch.setattr(nb, "_WORK_PER_THREAD", nb._WORK_PER_THREAD)
    calls = []
    real = nb._knn.knn_brute
    monkeypatch.setattr(
        nb._knn, "knn_brute", lambda *a: calls.append(len(a) > 19 and a[19] is not None)
        or real(*a)
    )
    sym = _spy_symmetric(monkeypatch)
    # Spread along one axis, but a small search: the fixed cost of pruning does not pay.
    X = pruning_data(rng, 6000, 10, "line", np.float64)
    kneighbors(X, 4, Y=X[:600] * 1.01)
    assert calls[-1] is False
    # 36 million pairs: no pruning for the self-query either; the symmetric kernel with GEMM
    # tiles, the tiled one with the fused scan (10 features).
    calls.clear()
    kneighbors(X, 4)
    assert (sym, calls) == (([], [False]) if fused else ([nb._CHUNK_SYMMETRIC], []))
    sym.clear()
    # Large enough (as if): the self-query is pruned (not symmetric), and so are queries.
    monkeypatch.setattr(nb, "_PRUNE_MIN_PAIRS", 0)
    monkeypatch.setattr(nb, "_PRUNE_MIN_PAIRS_SELF", 0)
    kneighbors(X, 4)
    assert calls[-1] is True and sym == []
    kneighbors(X, 4, Y=X[:600] * 1.01)
    assert calls[-1] is True
    # Isotropic data in 40 dimensions: no axis helps; symmetric self-query, unpruned queries.
    calls.clear()
    X = rng.normal(size=(6000, 40))
    kneighbors(X, 4)
    assert sym == [nb._CHUNK_SYMMETRIC] and not any(calls)
    kneighbors(X, 4, Y=X[:600] * 1.01)
    assert calls[-1] is False
    # Never for the farthest rows.
    calls.clear()
    kneighbors(pruning_data(rng, 6000, 10, "line", np.float64), 3, Y=X[:300, :10],
               farthest=True)
    assert calls and not any(calls)


@pytest.mark.parametrize("n, m, chunk", [(0, 3, 8), (5, 3, 8), (1000, 1, 64), (1000, 3, 64),
                                         (1001, 3, 7), (4096, 2, 256), (333, 8, 16)])
def test_box_order_makes_compact_chunks(rng, n, m, chunk):
    P = rng.normal(size=(n, m))
    order = nb._box_order(P, chunk)
    assert order.dtype == np.intp
    np.testing.assert_array_equal(np.sort(order), np.arange(n))
    if n <= chunk:
        return
    # The chunks on the first axis are slabs: each spans a range of projections no other
    # slab reaches into (whole chunks per slab, so slab boundaries fall between chunks).
    per_axis = max(1, int(np.ceil((-(-n // chunk)) ** (1.0 / m))))
    width = chunk * max(1, -(-(-(-n // chunk)) // per_axis))
    first = P[order, 0]
    slabs = [first[s:s + width] for s in range(0, n, width)]
    for left, right in zip(slabs, slabs[1:]):
        assert left.max() <= right.min()
    # And together the boxes are much smaller than the whole range (random order: about as
    # large): the mean extent of a chunk along each axis.
    spans = np.array([np.ptp(P[order[s:s + chunk]], axis=0) for s in range(0, n, chunk)])
    shuffled = np.array([np.ptp(P[s:s + chunk], axis=0) for s in range(0, n, chunk)])
    assert spans.mean() < 0.8 * shuffled.mean()


@pytest.mark.parametrize("data_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scan_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("permuted", [False, True])
def test_centre_rows_matches_numpy(rng, data_dtype, scan_dtype, permuted):
    A = (rng.normal(size=(301, 13)) * 10 + 5).astype(data_dtype)
    mean = A.mean(axis=0, dtype=np.float64).astype(data_dtype)
    order = rng.permutation(301).astype(np.intp) if permuted else None
    for n_threads in (1, 2):
        out, norms = nb._centred(A, mean, scan_dtype, order, n_threads)
        expected = (A if order is None else A[order]) - mean  # in A's precision
        assert out.dtype == scan_dtype
        np.testing.assert_array_equal(out, expected.astype(scan_dtype))
        np.testing.assert_allclose(
            norms, np.einsum("ij,ij->i", out, out, dtype=np.float64), rtol=1e-14)


# --- The two float32 scans of the tiled kernel: fused (AVX-512F) and GEMM tiles ---


@pytest.mark.parametrize("fused", [False, True])
@pytest.mark.parametrize("prune", [False, True])
@pytest.mark.parametrize("kind", ["normal", "ties", "duplicates", "clusters", "outliers"])
@pytest.mark.parametrize("d", [1, 5, 20, 33])
def test_fused_scan_and_gemm_tiles_give_the_reference(rng, monkeypatch, fused, prune, kind, d):
    if fused and not nb._knn.fused_scan_available():
        pytest.skip("this CPU has no AVX-512F: the fused scan is never used")
    if prune:
        _force_pruning(monkeypatch)
    monkeypatch.setattr(nb, "_FUSED_SCAN", fused)
    monkeypatch.setattr(nb, "_SYMMETRIC_MIN_ROWS", 10**12)
    used = []  # (fused scan, pruned) per kernel call
    real = nb._knn.knn_brute
    monkeypatch.setattr(nb._knn, "knn_brute", lambda *a: used.append(
        (a[22] is not None, a[19] is not None)) or real(*a))
    for dtype in (np.float32, np.float64):
        X = pruning_data(rng, 300, d, kind, dtype)
        Y = pruning_data(rng, 70, d, kind, dtype)
        rows = np.arange(1, 300, 4)
        for k in (1, 12):
            expected = reference(X, k)
            for n_jobs, chunk_size in ((1, None), (2, 1)):  # 1: chunks of one block of 16
                opts = dict(n_jobs=n_jobs, chunk_size=chunk_size)
                assert_same(kneighbors(X, k, **opts), expected)
                assert_same(kneighbors(X, k, rows=rows, **opts),
                            (expected[0][rows], expected[1][rows]))
                assert_same(kneighbors(X, k, Y=Y, **opts), reference(X, k, Y=Y))
                assert_same(kneighbors(X, k, Y=Y, farthest=True, **opts),
                            reference(X, k, Y=Y, farthest=True))
    assert any(f for f, _ in used) is fused
    assert any(p for _, p in used) is prune


def test_pack_blocks_layout(rng):
    Xc = rng.normal(size=(37, 3)).astype(np.float32)
    lkey = rng.normal(size=37).astype(np.float32)
    Rp, lkp = nb._pack_blocks(Xc, lkey)
    assert Rp.shape == (3, 3, 16) and lkp.shape == (48,)
    for r in range(37):
        np.testing.assert_array_equal(Rp[r // 16, :, r % 16], Xc[r])
    assert not Rp[2, :, 5:].any()
    np.testing.assert_array_equal(lkp[:37], lkey)
    assert np.isnan(lkp[37:]).all()
