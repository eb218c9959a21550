"""resamplekit._kmeans (cluster_centroids' default clusterer) against scikit-learn's KMeans."""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from resamplekit._kmeans import _kmeanspp, kmeans_centers

pytest.importorskip("sklearn")
from sklearn.cluster import KMeans  # noqa: E402

# the seeding's scan (kmeans_scan.h) and Lloyd's bound test: run again under the debug and
# serial builds in CI
pytestmark = pytest.mark.kernel


def _data(kind, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        X = rng.normal(size=(1500, 6))
    elif kind == "blobs":
        X = rng.normal(size=(800, 4)) * 0.3 + rng.integers(0, 4, size=(800, 1)) * 3.0
    else:  # duplicated rows, some many times
        X = np.repeat(rng.normal(size=(150, 3)), rng.integers(1, 6, size=150), axis=0)
    return np.ascontiguousarray(X, dtype=dtype)


def _sklearn_kmeanspp_exact(X, k, rs):
    """scikit-learn's k-means++ (its draws, in its order) in plain NumPy with exact squared
    distances: the reference for the seeding."""
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    w = np.ones(n, dtype=X.dtype)
    Xc = Xc.astype(np.float64)
    first = rs.choice(n, p=w / w.sum())
    n_trials = 2 + int(np.log(k))
    seeds = [first]
    closest = ((Xc - Xc[first]) ** 2).sum(axis=1)
    pot = closest.sum()
    for _ in range(1, k):
        cand = np.searchsorted(np.cumsum(closest), rs.uniform(size=n_trials) * pot)
        cand = np.minimum(cand, n - 1)
        dist = ((Xc[cand][:, None, :] - Xc[None, :, :]) ** 2).sum(axis=2)
        np.minimum(closest, dist, out=dist)
        pots = dist.sum(axis=1)
        best = np.argmin(pots)
        pot, closest = pots[best], dist[best]
        seeds.append(cand[best])
    return np.array(seeds)


@pytest.mark.parametrize("kind,k", [("normal", 40), ("normal", 300), ("blobs", 8),
                                    ("blobs", 150), ("dup", 30), ("dup", 140)])
@pytest.mark.parametrize("seed", [0, 3])
def test_seeding_draws_as_scikit_learn(kind, k, seed):
    X = _data(kind, seed)
    Xc = np.ascontiguousarray(X - X.mean(axis=0))
    seeds, label, closest = _kmeanspp(Xc, k, np.random.RandomState(seed), X.dtype, 0)
    ref = _sklearn_kmeanspp_exact(X, k, np.random.RandomState(seed))
    # duplicated rows: the same seed values, possibly another copy's row number
    assert_array_equal(Xc[seeds], Xc[ref])
    dist = ((Xc[:, None, :] - Xc[seeds][None, :, :]) ** 2).sum(axis=2)
    assert_array_equal(label, np.argmin(dist, axis=1))
    assert_allclose(closest, dist.min(axis=1), rtol=0, atol=1e-12)


def _kmeanspp_bitwise(Xc, k, rs):
    """The seeding's arithmetic, every (row, candidate) pair computed: squared distances summed
    in feature order (one subtraction, multiplication and addition each), each candidate's gain
    summed row by row in chunks of 2048 rows, the chunks added in order; the same draws. The
    screened scan of kmeans_scan.h must give these seeds, labels and distances bit for bit."""
    n, d = Xc.shape
    first = rs.choice(n, p=np.full(n, 1.0 / n))
    n_trials = 2 + int(np.log(k))
    u = rs.uniform(size=(k - 1, n_trials))

    def sqdist(c):
        s = np.zeros(n)
        for j in range(d):
            t = Xc[:, j] - Xc[c, j]
            s = s + t * t
        return s

    seeds, closest, label = [first], sqdist(first), np.zeros(n, dtype=np.intp)
    for step in range(1, k):
        cum = np.cumsum(closest)  # sequential, as the kernel's running sum
        pot = cum[-1]
        cand = np.minimum(np.searchsorted(cum, u[step - 1] * pot, side="left"), n - 1)
        best, best_pot, best_dist = 0, np.inf, None
        for t, c in enumerate(cand):
            dist = sqdist(c)
            g = np.maximum(closest - dist, 0.0)
            total = 0.0
            for lo in range(0, n, 2048):
                total = total + np.cumsum(g[lo:lo + 2048])[-1]
            if pot - total < best_pot:
                best, best_pot, best_dist = t, pot - total, dist
        seeds.append(cand[best])
        lower = best_dist < closest
        closest = np.where(lower, best_dist, closest)
        label[lower] = step
    return np.array(seeds), label, closest


def _screen_data(kind, seed):
    """Data on which a float32 screen could err: ties on a lattice, a large offset against a
    small spread, values far from 1 (huge, tiny), duplicated rows, one outlier."""
    rng = np.random.default_rng(seed)
    if kind == "lattice":  # many exactly equal distances
        return rng.integers(-3, 4, size=(2500, 5)).astype(np.float64)
    if kind == "offset":  # two clusters far apart: norms 1e12 times the distances
        X = rng.normal(size=(2500, 6)) * 1e-3
        X[::2] += 1e3
        return X
    if kind == "huge":
        return rng.normal(size=(2500, 4)) * 1e150  # squares near 1e300
    if kind == "tiny":
        return rng.normal(size=(2500, 4)) * 1e-150  # squares near 1e-300
    if kind == "dup_outlier":
        X = np.repeat(rng.normal(size=(400, 3)), rng.integers(1, 8, size=400), axis=0)
        X[7] = 1e6
        return X
    return rng.normal(size=(4500, 20))  # isotropic, past two chunks, 20 features


@pytest.mark.parametrize("kind,k", [("lattice", 60), ("offset", 60), ("huge", 60), ("tiny", 60),
                                    ("dup_outlier", 60), ("normal", 2), ("normal", 60),
                                    ("normal", 1100)])
def test_screened_seeding_is_the_exact_seeding_bit_for_bit(kind, k):
    # k = 2, 60, 1100: 2, 6 and 9 candidates a step (the scan is specialised per count)
    X = _screen_data(kind, 5)
    Xc = np.ascontiguousarray(X - X.mean(axis=0))
    ref_seeds, ref_label, ref_closest = _kmeanspp_bitwise(Xc, k, np.random.RandomState(11))
    for n_threads in (1, 2):
        seeds, label, closest = _kmeanspp(Xc, k, np.random.RandomState(11), Xc.dtype, n_threads)
        assert_array_equal(seeds, ref_seeds)
        assert_array_equal(label, ref_label)
        assert_array_equal(closest.view(np.int64), ref_closest.view(np.int64))


@pytest.mark.parametrize("kind,k", [("normal", 40), ("normal", 300), ("blobs", 150),
                                    ("dup", 30), ("dup", 140)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lloyd_iterates_as_scikit_learn(kind, k, dtype):
    # scikit-learn started from the same seeds: the same iterations, stops and relocations
    X = _data(kind, 1, dtype)
    Xc = np.ascontiguousarray(X - X.mean(axis=0), dtype=np.float64)
    seeds, _, _ = _kmeanspp(Xc, k, np.random.RandomState(1), X.dtype, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = KMeans(n_clusters=k, init=X[seeds], n_init=1).fit(X).cluster_centers_
    got = kmeans_centers(X, k, random_state=1)
    assert got.dtype == X.dtype
    if dtype == np.float64:
        assert_allclose(got, expected, rtol=0, atol=1e-12)
    else:  # scikit-learn works in float32, this module in float64
        assert_allclose(got, expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("n,d,k", [(200, 3, 5), (1000, 5, 50), (3000, 8, 300), (500, 2, 100)])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_same_centres_as_kmeans(n, d, k, seed):
    X = np.random.default_rng(n + d + seed).normal(size=(n, d))
    expected = KMeans(n_clusters=k, random_state=seed).fit(X).cluster_centers_
    assert_allclose(kmeans_centers(X, k, random_state=seed), expected, rtol=0, atol=1e-12)


def test_random_state_object_carries_on_as_kmeans():
    X = _data("normal", 5)
    rs_a, rs_b = np.random.RandomState(9), np.random.RandomState(9)
    km = KMeans(n_clusters=20, random_state=rs_b)
    for k in (20, 35):
        expected = km.set_params(n_clusters=k).fit(X).cluster_centers_
        assert_allclose(kmeans_centers(X, k, random_state=rs_a), expected, atol=1e-12)
    assert rs_a.randint(1 << 30) == rs_b.randint(1 << 30)


@pytest.mark.parametrize("kind", ["normal", "dup"])
def test_thread_count_does_not_change_the_centres(kind):
    X = _data(kind, 2)
    one = kmeans_centers(X, 60, random_state=4, n_jobs=1)
    two = kmeans_centers(X, 60, random_state=4, n_jobs=2)
    assert_array_equal(one, two)


def test_input_not_modified_and_errors():
    X = _data("normal", 0)
    before = X.copy()
    kmeans_centers(X, 3, random_state=0)
    assert_array_equal(X, before)
    with pytest.raises(ValueError, match=r"n_clusters must be an integer in 1\.\.1500"):
        kmeans_centers(X, 0)
    with pytest.raises(ValueError, match="random_state must be"):
        kmeans_centers(X, 2, random_state="x")


def test_exact_tie_of_two_candidates():
    # Rows 18 and 29 of this class form an isolated pair at the 11th seed: either one lowers
    # the potential by exactly the same amount (checked in rational arithmetic), so which one
    # wins is decided by rounding, here not as scikit-learn's GEMM-based distances decide it.
    # The other becomes the 14th seed instead: the same centres, in another order.
    from fractions import Fraction

    import conftest

    X, y = conftest.mixture((30, 80), spread=1.5, seed=2)
    X0 = X[y == 0]
    Z = np.ascontiguousarray(X0 - X0.mean(axis=0))
    from sklearn.cluster._kmeans import _kmeans_plusplus
    from sklearn.utils.extmath import row_norms

    seeds, _, _ = _kmeanspp(Z, 15, np.random.RandomState(0), Z.dtype, 0)
    _, ref = _kmeans_plusplus(Z, 15, row_norms(Z, squared=True), np.ones(len(Z)),
                              np.random.RandomState(0))
    assert sorted(seeds) == sorted(ref) and list(seeds) != list(ref)
    first = int(np.flatnonzero(seeds != ref)[0])
    assert {seeds[first], ref[first]} == {18, 29}
    Zf = [[Fraction(v) for v in row] for row in Z]

    def d2(a, b):
        return sum((p - q) ** 2 for p, q in zip(Zf[a], Zf[b]))

    closest = [min(d2(i, s) for s in seeds[:first]) for i in range(len(Z))]
    pots = [sum(min(closest[i], d2(i, c)) for i in range(len(Z))) for c in (18, 29)]
    assert pots[0] == pots[1]
    expected = KMeans(n_clusters=15, random_state=0).fit(X0).cluster_centers_
    got = kmeans_centers(X0, 15, random_state=0)
    assert_allclose(got[np.lexsort(got.T)], expected[np.lexsort(expected.T)], atol=1e-12)


def _kmeans_warnings(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return [(w.category, str(w.message), w.filename) for w in caught]


@pytest.mark.parametrize("distinct,k", [(3, 10), (12, 20), (40, 41), (40, 40), (40, 25)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fewer_distinct_clusters_warn_as_kmeans(distinct, k, seed):
    # Fewer distinct rows than clusters: scikit-learn's ConvergenceWarning, with the number of
    # centres that are some row's nearest after the last assignment (both counts in the
    # message), attributed to the caller; none where every centre keeps a row.
    from sklearn.exceptions import ConvergenceWarning

    rng = np.random.default_rng(seed)
    X = np.repeat(rng.normal(size=(distinct, 3)), rng.integers(4, 7, size=distinct), axis=0)
    X = X[rng.permutation(len(X))]
    expected = _kmeans_warnings(lambda: KMeans(n_clusters=k, random_state=seed).fit(X))
    got = _kmeans_warnings(lambda: kmeans_centers(X, k, random_state=seed))
    assert [m for _, m, _ in got] == [m for _, m, _ in expected]
    assert all(c is ConvergenceWarning and f == __file__ for c, _, f in got)
    assert bool(got) == (distinct < k)


@pytest.mark.parametrize("max_iter,tol", [(300, 1e-4), (300, 0.0), (1, 1e-4), (2, 0.0)])
def test_distinct_clusters_counted_on_the_final_assignment(max_iter, tol):
    # Stops by the tolerance or by max_iter (scikit-learn then assigns the rows once more and
    # counts on those labels) as well as by unchanged labels: the same count as scikit-learn.
    rng = np.random.default_rng(11)
    X = np.vstack([np.repeat(rng.normal(size=(30, 2)), 3, axis=0), rng.normal(size=(60, 2))])
    for k in (50, 89, 90, 95):
        expected = _kmeans_warnings(lambda: KMeans(n_clusters=k, random_state=3,
                                                   max_iter=max_iter, tol=tol).fit(X))
        got = _kmeans_warnings(lambda: kmeans_centers(X, k, random_state=3,
                                                      max_iter=max_iter, tol=tol))
        assert [m for _, m, _ in got] == [m for _, m, _ in expected], k
