"""resamplekit._neighbors.kneighbors against a plain NumPy reference.

The reference computes every distance exactly in float64 and sorts each row by
(distance, index), with self excluded by index when Y is None.
"""
import doctest
import inspect

import numpy as np
import pytest

import resamplekit._neighbors as nb

pytestmark = pytest.mark.kernel

# kneighbors runs small searches on one thread; the tests use small data, so they plan with a
# tuning that lifts that limit, to exercise the threaded code paths (n_jobs=2 must give
# identical results).
THREADED = {"work_per_thread": 1}
# Prune every search the tiled kernel runs, whatever its size or estimated benefit (estimated
# shares are at most 1).
PRUNED = {"prune": True, "prune_limit": 2.0}
UNPRUNED = {"prune": False}


def _with_threads(plan):
    if plan is None or isinstance(plan, dict):
        plan = dict(plan or {})
        plan["tuning"] = {**THREADED, **plan.get("tuning", {})}
    return plan


def kneighbors(X, k, *, plan=None, **kwargs):
    """resamplekit._neighbors.kneighbors, planned with THREADED (and plan's overrides)."""
    return nb.kneighbors(X, k, plan=_with_threads(plan), **kwargs)


def plan_for(X, k, *, plan=None, **kwargs):
    """The plan kneighbors above follows."""
    return nb.plan_for(X, k, plan=_with_threads(plan), **kwargs)


def spy_passes(monkeypatch):
    """Record (scan dtype, self-query, symmetric block) of every brute-force kernel pass (the
    redo of overflowed queries is decided at run time, so no plan shows it)."""
    passes = []
    real = nb._brute_pass
    signature = inspect.signature(real)

    def spy(*args, **kwargs):
        a = signature.bind(*args, **kwargs)
        a.apply_defaults()
        a = a.arguments
        passes.append((np.dtype(a["dtype"]), a["Yo"] is None, a["block"], len(a["exclude"])))
        return real(*args, **kwargs)

    monkeypatch.setattr(nb, "_brute_pass", spy)
    return passes


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


def test_auto_uses_kd_tree_for_low_dimension(rng):
    X = data(rng, 12_000, 2, "ties")
    assert plan_for(X[:11_000], 3, Y=X[11_000:]).kernel == "kd_tree"
    got = kneighbors(X[:11_000], 3, Y=X[11_000:])
    assert_same(got, reference(X[:11_000], 3, Y=X[11_000:]))
    # At 3-4 features the tree is used from k = 5 on only (brute force wins at small k).
    X = data(rng, 12_000, 4, "normal")
    assert plan_for(X[:11_000], 4, Y=X[11_000:]).kernel != "kd_tree"
    assert plan_for(X[:11_000], 5, Y=X[11_000:]).kernel == "kd_tree"
    got = kneighbors(X[:11_000], 5, Y=X[11_000:])
    assert_same(got, reference(X[:11_000], 5, Y=X[11_000:]))
    # The rules, from the shapes alone: few rows, few queries or more features: brute force.
    assert nb.plan_search(10_000, 1_000, 2, 1, 1, self_query=False).kernel == "kd_tree"
    assert nb.plan_search(9_999, 1_000, 2, 1, 1, self_query=False).kernel != "kd_tree"
    assert nb.plan_search(10_000, 999, 2, 1, 1, self_query=False).kernel != "kd_tree"
    assert nb.plan_search(10_000, 1_000, 5, 5, 1, self_query=False).kernel != "kd_tree"
    assert nb.plan_search(10_000, 10_000, 2, 1, 1, self_query=True,
                          farthest=True).kernel != "kd_tree"


def test_float64_candidates(rng):
    f64 = {"tuning": {"float64_candidates": True}}
    assert plan_for(data(rng, 30, 7), 5, plan=f64).scan_dtype == "float64"
    assert plan_for(data(rng, 30, 7, dtype=np.float32), 5, plan=f64).scan_dtype == "float32"
    for kind in ("normal", "ties", "offset"):
        X = data(rng, 300, 7, kind)
        assert_same(kneighbors(X, 5, chunk_size=41, plan=f64), reference(X, 5))
        assert_same(kneighbors(X, 5, farthest=True, plan=f64), reference(X, 5, farthest=True))


def test_tight_clusters_far_apart_are_redone_in_float64(rng, monkeypatch):
    # Norms ~1e10 against distances ~1: float32 cannot separate the candidates, so their lists
    # overflow and those queries are redone with a float64 scan (still exact).
    X = rng.normal(size=(6000, 3)) * 0.01
    X[::2] += 1e5
    passes = spy_passes(monkeypatch)
    sub = X[:6000:7]
    assert plan_for(X, 3, Y=sub, n_jobs=2).scan_dtype == "float32"
    assert_same(kneighbors(X, 3, Y=sub, n_jobs=2), reference(X, 3, Y=sub))
    # (other, smaller passes may come first: the sample that decides on pruning)
    assert [(p[0], p[3]) for p in passes[-2:]] == [(np.float32, len(sub)),
                                                   (np.float64, len(sub))]


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
    assert plan_for(X, 9, Y=Y, farthest=farthest, n_jobs=2, algorithm="brute").kernel \
        == "split_rows"
    assert plan_for(X, 9, Y=Y, farthest=farthest, n_jobs=1).kernel == "brute"
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


TILED = {"kernel": "brute", "prune": False}  # one tile per query chunk x row chunk
SYMMETRIC = {"kernel": "symmetric", "prune": False}


def _without_symmetric(X, k, **kwargs):
    """kneighbors through the non-symmetric kernel (one tile per query chunk x row chunk)."""
    assert plan_for(X, k, algorithm="brute", plan=TILED, **kwargs).kernel == "brute"
    return kneighbors(X, k, algorithm="brute", plan=TILED, **kwargs)


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
def test_symmetric_self_query(rng, n, d, k, kind, chunk_size, dtype, farthest):
    X = data(rng, n, d, kind, dtype)
    expected = reference(X, k, farthest=farthest)
    for n_jobs in (1, 2):
        opts = dict(farthest=farthest, chunk_size=chunk_size, n_jobs=n_jobs, algorithm="brute")
        plan = plan_for(X, k, plan=SYMMETRIC, **opts)
        assert plan.kernel == "symmetric" and not plan.prune
        assert plan.symmetric_block == (nb.TUNING.chunk_symmetric if chunk_size is None
                                        else chunk_size)
        got = kneighbors(X, k, plan=SYMMETRIC, **opts)
        assert_same(got, expected)
    old = _without_symmetric(X, k, farthest=farthest, chunk_size=chunk_size)
    np.testing.assert_array_equal(old[1], got[1])
    np.testing.assert_array_equal(old[0], got[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_symmetric_self_query_duplicates(rng, dtype):
    base = data(rng, 300, 6, "normal", dtype)
    X = np.concatenate([base, base[::-1], base[:50], base[:50]])  # 2 to 4 copies of each row
    for chunk_size in (None, 37, 300):
        dist, ind = kneighbors(X, 3, chunk_size=chunk_size, n_jobs=2, plan=SYMMETRIC)
        assert_same((dist, ind), reference(X, 3))
        assert not (ind == np.arange(len(X))[:, None]).any()  # never itself, always a copy
        assert np.all(dist[:, 0] == 0)


@pytest.mark.parametrize("fused", [False, True])
def test_symmetric_is_the_default_for_large_self_queries(rng, fused):
    # With GEMM tiles at any d; with the fused scan from symmetric_min_features_fused on.
    if fused and not nb.fused_scan_enabled():
        pytest.skip("no fused scan on this CPU (AVX-512F, or AVX2 and FMA), "
                    "or RESAMPLEKIT_FUSED_SCAN=0")
    t = nb.TUNING
    scan = {"tuning": {"fused_scan": fused}}
    d = t.symmetric_min_features_fused if fused else 10
    X = data(rng, t.symmetric_min_rows + 3, d, "normal", np.float32)
    assert plan_for(X[:200], 2, plan=scan).kernel == "brute"  # small: the other kernel
    # separate queries, a subset of the rows: the other kernel
    assert plan_for(X, 2, Y=X[:100], plan=scan).kernel == "brute"
    assert plan_for(X, 2, rows=np.arange(50), plan=scan).kernel == "brute"
    plan = plan_for(X, 2, algorithm="brute", plan=scan)
    assert (plan.kernel, plan.symmetric_block, plan.fused) == ("symmetric", t.chunk_symmetric,
                                                               fused)
    got = kneighbors(X, 2, algorithm="brute", plan=scan)
    rows = rng.choice(len(X), 300, replace=False)
    assert_same((got[0][rows], got[1][rows]), tuple(a[rows] for a in reference(X, 2)))
    # Over the memory budget: the other kernel, same answer.
    budget = {"tuning": {"fused_scan": fused, "symmetric_max_bytes": 1000}}
    assert plan_for(X, 2, algorithm="brute", plan=budget).kernel == "brute"
    again = kneighbors(X, 2, algorithm="brute", plan=budget)
    np.testing.assert_array_equal(again[1], got[1])
    np.testing.assert_array_equal(again[0], got[0])
    if fused:  # fewer features: the tiled kernel (fused scan) for every row
        plan = plan_for(X[:, :d - 1], 2, algorithm="brute", plan=scan)
        assert (plan.kernel, plan.fused) == ("brute", True)


def test_symmetric_memory_cap_at_a_million_rows():
    # The per-thread lists of the symmetric kernel (184 bytes per row and thread at k = 3,
    # float32 scan) fit the 1 GiB cap for a million rows on two threads, not on eight.
    assert nb._symmetric_bytes(1_000_000, 3, 2, np.float32) == 368_000_000
    plan = nb.plan_search(1_000_000, 1_000_000, 20, 3, 2, self_query=True, dtype="float32",
                          fused_available=False)
    assert plan.kernel == "symmetric"
    plan = nb.plan_search(1_000_000, 1_000_000, 20, 3, 8, self_query=True, dtype="float32",
                          fused_available=False)
    assert plan.kernel == "brute"


def test_symmetric_overflow_is_redone(rng, monkeypatch):
    # Tight clusters far apart: float32 lists overflow in the symmetric pass too and those
    # queries are redone by a float64 scan.
    X = rng.normal(size=(6000, 3)) * 0.01
    X[::2] += 1e5
    passes = spy_passes(monkeypatch)  # (dtype, self-query, block, queries)
    got = kneighbors(X, 3, n_jobs=1, chunk_size=500, plan=SYMMETRIC)
    assert passes[0][:3] == (np.float32, True, 500) and passes[1][:2] == (np.float64, False)
    two = kneighbors(X, 3, n_jobs=2, chunk_size=500, plan=SYMMETRIC)
    np.testing.assert_array_equal(two[1], got[1])
    np.testing.assert_array_equal(two[0], got[0])
    sub = np.arange(0, 6000, 37)
    ref_d, ref_i = reference(X, 4, Y=X[sub])
    assert (ref_i[:, 0] == sub).all()  # no duplicates: a query is its own first neighbour
    assert_same((got[0][sub], got[1][sub]), (ref_d[:, 1:], ref_i[:, 1:]))
    old = _without_symmetric(X, 3, chunk_size=500)
    np.testing.assert_array_equal(old[1], got[1])
    np.testing.assert_array_equal(old[0], got[0])
    # Massive exact ties overflow the float64 scan too: an exact scan of all rows (done by the
    # symmetric kernel itself when it scans in float64).
    f64 = {"tuning": {"float64_candidates": True}}
    Z = np.zeros((4500, 1))  # 3,000 zeros (their lists overflow), 1,500 ones
    Z[::3] = 1.0
    passes.clear()
    dist, ind = kneighbors(Z, 2, n_jobs=1, plan=f64)
    assert passes == [(np.float64, True, nb.TUNING.chunk_symmetric, 4500)]
    two = kneighbors(Z, 2, n_jobs=2, plan=f64)
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


def assert_pruned(X, k, plan=PRUNED, **kwargs):
    """kneighbors with plan, after checking the plan prunes its tiled scan."""
    p = plan_for(X, k, plan=plan, **kwargs)
    assert p.kernel in ("brute", "symmetric") and p.prune and p.prune_limit >= 1.0
    return kneighbors(X, k, plan=plan, **kwargs)


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
def test_pruned_search_matches_reference(rng, kind, d, k, dtype):
    X = pruning_data(rng, 400, d, kind, dtype)
    Y = pruning_data(rng, 90, d, kind, dtype)
    rows = np.arange(3, 400, 5)
    expected_self = reference(X, k)
    expected_y = reference(X, k, Y=Y)
    # every search below is pruned (its estimate is at most 1, the limit 2)
    for n_jobs, chunk_size in ((1, None), (2, 41), (2, 1)):
        opts = dict(n_jobs=n_jobs, chunk_size=chunk_size)
        assert_same(assert_pruned(X, k, **opts), expected_self)
        assert_same(assert_pruned(X, k, Y=Y, **opts), expected_y)
        got = assert_pruned(X, k, rows=rows, **opts)
        assert_same(got, (expected_self[0][rows], expected_self[1][rows]))


def test_pruned_search_is_bit_identical_to_unpruned(rng):
    X = pruning_data(rng, 5000, 12, "line", np.float32)
    rows = np.arange(0, 5000, 3)
    unpruned = [_without_symmetric(X, 6), kneighbors(X, 6, Y=X[:900] + 0.5, plan=UNPRUNED),
                kneighbors(X, 6, rows=rows, plan=UNPRUNED)]
    assert not plan_for(X, 6, rows=rows, plan=UNPRUNED).prune
    pruned = [assert_pruned(X, 6), assert_pruned(X, 6, Y=X[:900] + 0.5),
              assert_pruned(X, 6, rows=rows)]
    for (d1, i1), (d2, i2) in zip(pruned, unpruned):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(d1, d2)


def _pruned_by_estimate(X, k, plan, Y=None):
    """Whether the run of plan prunes: the estimate from the data sample within its limit."""
    n_q = len(X) if Y is None else len(Y)
    exclude = np.arange(n_q, dtype=np.intp) if Y is None else np.full(n_q, -1, np.intp)
    fraction = nb._pruning_axis(np.ascontiguousarray(X), Y, exclude, k)[1]
    return plan.prune and fraction <= plan.prune_limit


@pytest.mark.parametrize("fused", [False, True])
def test_pruning_is_chosen_only_where_it_pays(rng, fused):
    if fused and not nb.fused_scan_enabled():
        pytest.skip("no fused scan on this CPU (AVX-512F, or AVX2 and FMA), "
                    "or RESAMPLEKIT_FUSED_SCAN=0")
    scan = {"tuning": {"fused_scan": fused}}  # and the default work per thread

    def plan(X, k, **kwargs):
        return nb.plan_for(X, k, plan=kwargs.pop("plan", scan), **kwargs)

    # Spread along one axis, but a small search: the fixed cost of pruning does not pay.
    X = pruning_data(rng, 6000, 10, "line", np.float64)
    Y = X[:600] * 1.01
    p = plan(X, 4, Y=Y)
    assert (p.kernel, p.prune) == ("brute", False)
    # 36 million pairs: no pruning for the self-query either; the symmetric kernel with GEMM
    # tiles, the tiled one with the fused scan (10 features).
    p = plan(X, 4)
    assert (p.kernel, p.prune) == ("brute" if fused else "symmetric", False)
    # Large enough (as if): the self-query is pruned (not symmetric), and so are queries.
    big = {"tuning": {"fused_scan": fused, "prune_min_pairs": 0, "prune_min_pairs_self": 0}}
    p = plan(X, 4, plan=big)
    assert p.prune and p.prune_limit == (nb.TUNING.prune_max_fraction_self_fused if fused
                                         else nb.TUNING.prune_max_fraction_self)
    assert _pruned_by_estimate(X, 4, p)
    p = plan(X, 4, Y=Y, plan=big)
    assert p.prune_limit == (nb.TUNING.prune_max_fraction_fused if fused
                             else nb.TUNING.prune_max_fraction)
    assert _pruned_by_estimate(X, 4, p, Y)
    # Isotropic data in 40 dimensions: no axis helps; symmetric self-query, unpruned queries.
    X = rng.normal(size=(6000, 40))
    p = plan(X, 4, plan=big)
    assert p.kernel == "symmetric" and not _pruned_by_estimate(X, 4, p)
    p = plan(X, 4, Y=X[:600] * 1.01, plan=big)
    assert p.kernel == "brute" and not _pruned_by_estimate(X, 4, p, X[:600] * 1.01)
    # Never for the farthest rows.
    p = plan(pruning_data(rng, 6000, 10, "line", np.float64), 3, Y=X[:300, :10],
             farthest=True, plan=big)
    assert not p.prune
    # The gates, from the shapes alone.
    t = nb.TUNING
    assert nb.plan_search(t.prune_min_rows, 10**6, 10, 4, 1, self_query=False).prune
    assert not nb.plan_search(t.prune_min_rows - 1, 10**6, 10, 4, 1, self_query=False).prune
    assert not nb.plan_search(10**6, t.prune_min_queries - 1, 10, 4, 1,
                              self_query=False).prune
    assert not nb.plan_search(10**6, 10**6, 10, 4, 1, self_query=False, rescaled=True).prune


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


# --- The two float32 scans of the tiled kernel: fused (AVX-512F, or AVX2 and FMA), GEMM tiles ---


@pytest.mark.parametrize("fused", [False, True])
@pytest.mark.parametrize("prune", [False, True])
@pytest.mark.parametrize("kind", ["normal", "ties", "duplicates", "clusters", "outliers"])
@pytest.mark.parametrize("d", [1, 5, 20, 33])
def test_fused_scan_and_gemm_tiles_give_the_reference(rng, fused, prune, kind, d):
    if fused and not nb.fused_scan_enabled():
        pytest.skip("no fused scan on this CPU (AVX-512F, or AVX2 and FMA), "
                    "or RESAMPLEKIT_FUSED_SCAN=0")
    forced = {"kernel": "brute", "fused": fused, **(PRUNED if prune else UNPRUNED)}

    def kneighbors(X, k, **kwargs):  # the forced plan, checked
        p = plan_for(X, k, plan=forced, **kwargs)
        assert (p.kernel, p.fused, p.prune) == ("brute", fused, prune)
        return globals()["kneighbors"](X, k, plan=forced, **kwargs)

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


# --- Scale: powers of two, far outliers, float64's resolution; the safety net; sparse ---

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MODES = ["self", "Y", "rows", "farthest"]


def _search(X, k, mode, Y, rows):
    if mode == "Y":
        return nb.kneighbors(X, k, Y=Y)
    if mode == "rows":
        return nb.kneighbors(X, k, rows=rows)
    return nb.kneighbors(X, k, farthest=mode == "farthest")


def _scaled_exactly(A, e):
    """A * 2**e in A's dtype, or None when that is not exact (overflow, subnormals)."""
    with np.errstate(over="ignore"):
        B = np.ldexp(A, e).astype(A.dtype)
    if not np.isfinite(B).all() or not np.array_equal(np.ldexp(B, -e).astype(A.dtype), A):
        return None
    return B


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), dtype=st.sampled_from([np.float32, np.float64]),
       n=st.integers(3, 80), d=st.integers(1, 12), mode=st.sampled_from(MODES),
       data=st.data())
def test_scaling_by_a_power_of_two_changes_nothing(seed, dtype, n, d, mode, data):
    # float64 from 2**-1000 to 2**1000; float32 over its own range (where the scaling is exact)
    e = data.draw(st.integers(-1000, 1000) if dtype == np.float64 else st.integers(-100, 120))
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, d)) * rng.uniform(0.5, 8.0)).astype(dtype)  # no ties
    Y = (rng.normal(size=(7, d)) * 3.0).astype(dtype)
    rows = np.arange(0, n, 3)
    Xs, Ys = _scaled_exactly(X, e), _scaled_exactly(Y, e)
    assume(Xs is not None and Ys is not None)
    k = min(n - 1, 4)
    dist, ind = _search(X, k, mode, Y, rows)
    dist_s, ind_s = _search(Xs, k, mode, Ys, rows)
    np.testing.assert_array_equal(ind_s, ind)
    np.testing.assert_array_equal(dist_s, np.ldexp(dist, e))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), dtype=st.sampled_from([np.float32, np.float64]),
       outlier=st.sampled_from([1e21, -1e21, 1e30, 1e39, -1e39, 1e154, 1e200, 1e300, -1e300]),
       e=st.integers(-1000, 1000), mode=st.sampled_from(MODES))
def test_one_far_outlier_swamps_nothing(seed, dtype, outlier, e, mode):
    rng = np.random.default_rng(seed)
    n, d = 60, 4
    X = (rng.normal(size=(n, d)) * 2.0).astype(dtype)
    if abs(outlier) > float(np.finfo(dtype).max):  # beyond float32: float64 data
        X = X.astype(np.float64)
    X[17, 2] = outlier
    Y = (rng.normal(size=(7, d)) * 2.0).astype(X.dtype)
    rows = np.arange(0, n, 3)
    k = 4
    dist, ind = _search(X, k, mode, Y, rows)
    assert ((ind >= 0) & (ind < n)).all()
    # The other rows' nearest neighbours are those of the data without the outlier row.
    if mode in ("self", "Y"):
        Z = np.delete(X, 17, axis=0)
        dz, iz = nb.kneighbors(Z, k, Y=Y if mode == "Y" else None)
        keep = np.arange(len(ind)) != 17 if mode == "self" else slice(None)
        np.testing.assert_array_equal(ind[keep], np.where(iz >= 17, iz + 1, iz))
        np.testing.assert_array_equal(dist[keep], dz)
    if mode == "farthest":  # every other row's farthest is the outlier
        assert (np.delete(ind[:, 0], 17) == 17).all()
    # Scaled by a power of two: the same indices, the distances scaled (where they are finite).
    Xs, Ys = _scaled_exactly(X, e), _scaled_exactly(Y, e)
    if Xs is not None and Ys is not None:
        dist_s, ind_s = _search(Xs, k, mode, Ys, rows)
        np.testing.assert_array_equal(ind_s, ind)
        finite = np.isfinite(np.ldexp(dist, e))
        np.testing.assert_array_equal(dist_s[finite], np.ldexp(dist, e)[finite])


def test_scale_paths():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(500, 6))
    d0, i0 = nb.kneighbors(X, 3)
    # Data in the float32 scan's range take it as they are; others are scanned in float64.
    for e, scan in [(-55, "float32"), (0, "float32"), (55, "float32"), (70, "float64"),
                    (-70, "float64"), (19 * 3.33, "float64")]:
        Xs = X * 2.0**int(e)
        assert nb.plan_for(Xs, 3).scan_dtype == scan
        dist, ind = nb.kneighbors(Xs, 3)
        np.testing.assert_array_equal(ind, i0)
        np.testing.assert_array_equal(dist, d0 * 2.0**int(e))
    # Many features: the squared norms decide, not only the largest magnitude.
    assert nb.plan_for(np.full((3, 64), 2.0**59), 1).scan_dtype == "float64"
    assert nb.plan_for(np.full((3, 1), 2.0**59), 1).scan_dtype == "float32"
    # The input is never modified.
    Xs = X * 1e200
    before = Xs.copy()
    nb.kneighbors(Xs, 3)
    np.testing.assert_array_equal(Xs, before)


def test_distances_float64_cannot_resolve_are_rescaled_or_refused():
    # Rows 1e-170 apart near 1: their squared distances underflow at this scale; the search is
    # redone on rescaled data and orders them exactly.
    X = np.array([[1.0, 0.0], [1.0, 1e-170], [1.0, 3e-170], [1.0, 7e-170], [0.0, 0.0]])
    dist, ind = nb.kneighbors(X, 2)
    np.testing.assert_array_equal(ind[:4], [[1, 2], [0, 2], [1, 0], [2, 1]])
    np.testing.assert_allclose(dist[:4], [[1e-170, 3e-170], [1e-170, 2e-170],
                                          [2e-170, 3e-170], [4e-170, 6e-170]], rtol=1e-12)
    # 1e300 beside rows 1e-300 apart: no float64 scale holds both.
    X = np.array([[1e300, 0.0], [0.0, 1e-300], [0.0, 2e-300], [0.0, 5e-300], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"X spans a range of magnitudes float64 cannot hold"):
        nb.kneighbors(X, 2)
    with pytest.raises(ValueError, match=r"X \(with Y\) spans a range"):
        nb.kneighbors(X, 2, Y=X[1:2])
    # Duplicates at distance 0 are not that: exact.
    X = np.array([[1e300, 0.0], [0.0, 1e-300], [0.0, 1e-300], [0.0, 3e-300]])
    assert nb.kneighbors(X, 1, rows=[1, 2])[1].ravel().tolist() == [2, 1]


def test_safety_net_refuses_indices_out_of_range(rng, monkeypatch):
    X = rng.normal(size=(50, 3))
    real = nb._run

    def corrupt(*args, **kwargs):  # a kernel that writes past the rows (fault injection)
        dist, ind = real(*args, **kwargs)
        ind[3, 1] = len(X)
        return dist, ind

    monkeypatch.setattr(nb, "_run", corrupt)
    with pytest.raises(RuntimeError, match=r"'brute' kernel returned row indices outside "
                                           r"\[0, 50\).*X of shape \(50, 3\)"):
        nb.kneighbors(X, 2)


def test_an_unwritten_output_row_is_caught(rng, monkeypatch):
    # Outputs start at -1: a kernel that skips a query cannot hand back stale memory.
    X = rng.normal(size=(50, 3))
    monkeypatch.setattr(nb, "_brute", lambda *a, **kw: None)
    with pytest.raises(RuntimeError, match=r"min -1"):
        nb.kneighbors(X, 2, plan={"kernel": "brute"})


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_input_gets_the_dense_answer(rng, fmt):
    # sparse input has its own search (tests/test_neighbors_sparse.py); same answer
    sparse = pytest.importorskip("scipy.sparse")
    X = rng.normal(size=(20, 3))
    S = sparse.random(20, 3, density=0.5, format=fmt, random_state=0)
    assert_same(nb.kneighbors(S, 2), reference(S.toarray(), 2))
    assert_same(nb.kneighbors(X, 2, Y=S), reference(X, 2, Y=S.toarray()))


def test_forced_plans_are_checked(rng):
    X = rng.normal(size=(50, 3))
    with pytest.raises(ValueError, match=r"kernel 'symmetric' needs the self-query"):
        nb.kneighbors(X, 2, Y=X[:4], plan={"kernel": "symmetric"})
    with pytest.raises(ValueError, match=r"kernel must be one of"):
        nb.kneighbors(X, 2, plan={"kernel": "ball_tree"})
    with pytest.raises(ValueError, match=r"kd_tree' cannot search the farthest"):
        nb.kneighbors(X, 2, farthest=True, plan={"kernel": "kd_tree"})
    with pytest.raises(ValueError, match=r"split_rows' needs k < n_rows // n_threads - 1"):
        nb.kneighbors(X, 30, plan={"kernel": "split_rows", "n_threads": 2})
    with pytest.raises(ValueError, match=r"plan has unknown keys \['colour'\]"):
        nb.kneighbors(X, 2, plan={"colour": "red"})
    with pytest.raises(ValueError, match=r"plan\['tuning'\] has unknown keys"):
        nb.kneighbors(X, 2, plan={"tuning": {"colour": "red"}})
    with pytest.raises(TypeError, match=r"plan must be None, a SearchPlan, a Tuning or a dict"):
        nb.kneighbors(X, 2, plan="brute")
    # Every kernel, forced, gives the reference.
    expected = reference(X, 3)
    for plan in (nb.SearchPlan("kd_tree"), nb.SearchPlan("brute", chunk_refs=7),
                 nb.SearchPlan("symmetric", symmetric_block=5),
                 nb.SearchPlan("split_rows", n_threads=2), nb.Tuning(chunk_queries=3),
                 {"kernel": "brute", "scan_dtype": "float64"}):
        assert_same(nb.kneighbors(X, 3, plan=plan), expected)


def test_fused_scan_environment_switch(monkeypatch):
    monkeypatch.setenv("RESAMPLEKIT_FUSED_SCAN", "0")
    assert not nb.fused_scan_enabled()
    assert not nb.plan_search(5000, 5000, 8, 3, 1, self_query=True).fused
    # a forced plan's fused=True runs the GEMM tiles too, same answer
    X = np.random.default_rng(0).normal(size=(300, 5)).astype(np.float32)
    forced = {"kernel": "brute", "fused": nb._knn.fused_scan_available()}
    assert_same(nb.kneighbors(X, 3, plan=forced), reference(X, 3))
    monkeypatch.setenv("RESAMPLEKIT_FUSED_SCAN", "1")
    assert nb.fused_scan_enabled() is nb._knn.fused_scan_available()
    assert nb.plan_search(5000, 5000, 8, 3, 1, self_query=True).fused \
        is nb._knn.fused_scan_available()
    assert not nb.plan_search(5000, 5000, 8, 3, 1, self_query=True,
                              fused_available=False).fused


def test_avx2_fused_scan_stops_at_its_feature_limit(monkeypatch):
    # The AVX2 scan is planned up to Tuning.fused_max_features_avx2 features (GEMM tiles were
    # faster beyond); the AVX-512F scan at any width.
    monkeypatch.setenv("RESAMPLEKIT_FUSED_SCAN", "1")
    isa = nb._knn.fused_scan_isa()
    assert isa in (None, "avx2-fma", "avx512f")
    assert (isa is not None) is nb._knn.fused_scan_available()
    if isa is None:
        pytest.skip("no fused scan on this CPU")
    limit = nb.TUNING.fused_max_features_avx2
    below = nb.plan_search(20000, 2000, limit, 3, 2, self_query=False, dtype="float32")
    above = nb.plan_search(20000, 2000, limit + 1, 3, 2, self_query=False, dtype="float32")
    assert below.fused
    assert above.fused is (isa == "avx512f")
    # either way, the same neighbours
    X = np.random.default_rng(3).normal(size=(700, limit + 1)).astype(np.float32)
    for fused in (True, False):
        assert_same(nb.kneighbors(X, 3, plan={"kernel": "brute", "fused": fused}),
                    reference(X, 3))


@pytest.mark.parametrize("kind", ["normal", "ties"])
@pytest.mark.parametrize("mode", MODES)
def test_search_in_row_blocks_is_the_same_search(rng, kind, mode):
    # Far rows are searched as a block of their own (else they swamp the others' centring):
    # the merged k-lists are the single search's, ties and duplicates included.
    X = np.concatenate([data(rng, 150, 3, kind), data(rng, 30, 3, kind)[:5]])
    Y = data(rng, 9, 3, kind)
    rows = np.arange(0, len(X), 4)
    expected = _search(X, 6, mode, Y, rows)
    s = nb._validate(X, 6, Y if mode == "Y" else None, rows if mode == "rows" else None,
                     mode == "farthest", None, None, "auto")
    for blocks in ([np.arange(0, 150), np.arange(150, 155)],
                   [np.arange(1, 155, 2), np.arange(0, 155, 2)],
                   [np.array([7]), np.delete(np.arange(155), 7)]):
        got = nb._search_blocks(s, None, blocks)
        np.testing.assert_array_equal(got[1], expected[1])
        np.testing.assert_array_equal(got[0], expected[0])


def test_far_rows_are_found():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(1000, 5))
    assert nb._far_rows(X, 3) is None
    X[[10, 500], 1] = [1e21, -3e9]
    np.testing.assert_array_equal(np.flatnonzero(nb._far_rows(X, 3)), [10, 500])
    assert nb._far_rows(np.zeros((10, 2)), 3) is None  # every row the median row
