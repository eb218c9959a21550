"""kneighbors on scipy.sparse input against the dense search on the densified form.

The dense kernels are the oracle (they are themselves tested against a plain NumPy reference in
test_neighbors.py): the sparse search must return the same indices and the same float64
distances, bit for bit (both sum the squared differences in float64 in column order).
"""
import numpy as np
import pytest
import scipy.sparse as sp

import resamplekit._neighbors as nb

pytestmark = pytest.mark.kernel

# The sparse searches: the public dispatch and each implementation forced: the NumPy/scipy
# reference, the kernel on posting lists only, and the kernel with a GEMM over its most frequent
# columns (3 of them, or all that queries use: "dense").
METHODS = ["reference", "kernel", "heavy", "dense"]
_HEAVY = {"kernel": 0, "heavy": 3, "dense": 10**6, "reference": None}


@pytest.fixture(autouse=True)
def threaded(monkeypatch):
    """Small searches run on one thread; lift that limit, to test the threaded code paths."""
    monkeypatch.setattr(nb, "_SPARSE_WORK_PER_THREAD", 1)


def sparse_search(X, k, method=None, **kwargs):
    """kneighbors on sparse input: the public function, or one implementation forced."""
    if method is None:
        return nb.kneighbors(X, k, **kwargs)
    args = {key: kwargs.pop(key, None) for key in ("Y", "rows", "chunk_size")}
    return nb._sparse_kneighbors(
        X, k, args["Y"], args["rows"], kwargs.pop("farthest", False), kwargs.pop("n_jobs", None),
        args["chunk_size"], "auto", method="reference" if method == "reference" else "kernel",
        heavy=_HEAVY[method])


def dense(A):
    return A.toarray() if sp.issparse(A) else A


def dense_search(X, k, **kwargs):
    """The dense kernel on the densified form (queries too)."""
    kwargs = {key: dense(v) for key, v in kwargs.items()}
    return nb.kneighbors(dense(X), k, **kwargs)


def assert_same(got, expected):
    dist, ind = got
    assert dist.dtype == np.float64 and ind.dtype == np.intp
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_array_equal(dist, expected[0])


def random_sparse(rng, n, d, density, kind="ties", dtype=np.float64, fmt="csr"):
    """A random sparse matrix; 'ties': small integers (many equal distances), with duplicate
    rows and an empty row; 'normal': continuous values."""
    def values(size):
        if kind == "ties":
            return rng.integers(1, 3, size).astype(np.float64) * rng.choice([-1, 1], size)
        return rng.normal(size=size) * 3.0

    A = sp.random(n, d, density=density, format="csr", random_state=rng, data_rvs=values)
    A = A.tolil()
    if n >= 6:
        A[1] = A[4]  # a duplicated row: a neighbour at distance 0
        A[3] = 0  # an empty row
    return sp.csr_matrix(A, dtype=dtype).asformat(fmt)


def snapshot(A):
    """Copies of the stored arrays of a sparse matrix (to check it is not modified)."""
    if A.format in ("csr", "csc"):
        return [A.data.copy(), A.indices.copy(), A.indptr.copy()]
    if A.format == "coo":
        return [A.data.copy(), A.row.copy(), A.col.copy()]
    return [A.toarray()]


def assert_unchanged(A, before):
    after = snapshot(A)
    for a, b in zip(before, after):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


SHAPES = [
    # (n, d, density, k)
    (2, 1, 1.0, 1),
    (3, 4, 0.5, 2),
    (7, 3, 0.4, 6),
    (40, 30, 0.1, 39),
    (97, 50, 0.05, 5),
    (150, 200, 0.03, 10),
    (300, 20, 0.2, 1),
]


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("n, d, density, k", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["ties", "normal"])
def test_self_query_matches_dense(rng, method, n, d, density, k, dtype, kind):
    X = random_sparse(rng, n, d, density, kind, dtype)
    assert_same(sparse_search(X, k, method), dense_search(X, k))


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("n, d, density, k", SHAPES)
@pytest.mark.parametrize("kind", ["ties", "normal"])
def test_farthest_matches_dense(rng, method, n, d, density, k, kind):
    X = random_sparse(rng, n, d, density, kind)
    assert_same(sparse_search(X, k, method, farthest=True),
                dense_search(X, k, farthest=True, algorithm="brute"))


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("n, d, density, k", SHAPES)
@pytest.mark.parametrize("farthest", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_queries_y_match_dense(rng, method, n, d, density, k, farthest, dtype):
    X = random_sparse(rng, n, d, density, "ties", dtype)
    Y = random_sparse(rng, 13, d, density, "ties", dtype)
    Y = sp.vstack([Y, X[:3]]).tocsr()  # queries equal to rows of X: distance 0, not excluded
    assert_same(sparse_search(X, min(k + 1, n), method, Y=Y, farthest=farthest),
                dense_search(X, min(k + 1, n), Y=Y, farthest=farthest, algorithm="brute"))


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("n, d, density, k", SHAPES)
@pytest.mark.parametrize("farthest", [False, True])
def test_rows_match_dense(rng, method, n, d, density, k, farthest):
    X = random_sparse(rng, n, d, density, "ties")
    rows = rng.choice(n, size=min(n, 9), replace=False)
    rows = np.concatenate([rows, rows[:2]])  # a query twice
    assert_same(sparse_search(X, k, method, rows=rows, farthest=farthest),
                dense_search(X, k, rows=rows, farthest=farthest, algorithm="brute"))


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("chunk_size", [None, 1, 7, 64])
def test_threads_and_chunks_do_not_change_results(rng, method, n_jobs, chunk_size):
    X = random_sparse(rng, 301, 120, 0.04, "ties")
    expected = dense_search(X, 6)
    assert_same(sparse_search(X, 6, method, n_jobs=n_jobs, chunk_size=chunk_size), expected)
    Y = X[::5]
    assert_same(sparse_search(X, 4, method, Y=Y, n_jobs=n_jobs, chunk_size=chunk_size,
                              farthest=True),
                dense_search(X, 4, Y=Y, farthest=True, algorithm="brute"))


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil", "dok"])
@pytest.mark.parametrize("array", [False, True])
def test_formats_and_sparse_arrays(rng, method, fmt, array):
    X = random_sparse(rng, 60, 25, 0.1, "ties", fmt=fmt)
    if array:
        X = sp.csr_array(X).asformat(fmt)
    before = snapshot(X)
    assert_same(sparse_search(X, 5, method), dense_search(X, 5))
    Y = sp.csr_matrix(X.toarray()[:7]).asformat(fmt)
    assert_same(sparse_search(X, 3, method, Y=Y), dense_search(X, 3, Y=Y))
    assert_unchanged(X, before)


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["ties", "normal"])
def test_malformed_csr_is_read_not_modified(rng, method, index_dtype, dtype, kind):
    """Unsorted indices, duplicate entries (summed, as scipy does), explicit zeros, int32 and
    int64 indices: the answer of the dense form, the input untouched."""
    n, d = 40, 12
    rows, cols, vals = [], [], []
    for i in range(n):
        if i == 5:
            continue  # an empty row
        m = int(rng.integers(1, 6))
        c = rng.integers(0, d, m)  # duplicates among the columns
        rows += [i] * m
        cols += list(c)
        if kind == "ties":
            vals += list(rng.integers(-2, 3, m).astype(float))  # zeros: explicit zeros
        else:  # duplicates summed in the input's precision, as toarray() does
            vals += list(rng.normal(size=m) * np.where(rng.random(m) < 0.2, 0.0, 1.0))
    order = rng.permutation(len(rows))  # unsorted inside each row once grouped
    rows, cols, vals = np.array(rows)[order], np.array(cols)[order], np.array(vals)[order]
    by_row = np.argsort(rows, kind="stable")
    indptr = np.zeros(n + 1, dtype=index_dtype)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    X = sp.csr_matrix((vals[by_row].astype(dtype), cols[by_row].astype(index_dtype), indptr),
                      shape=(n, d))
    X.indices = X.indices.astype(index_dtype)  # scipy may have chosen int32
    X.indptr = X.indptr.astype(index_dtype)
    assert not X.has_sorted_indices or not X.has_canonical_format
    before = snapshot(X)
    dense_form = X.toarray()  # sums duplicates as scipy does
    assert_same(sparse_search(X, 7, method), nb.kneighbors(dense_form, 7))
    assert_same(sparse_search(X, 7, method, farthest=True),
                nb.kneighbors(dense_form, 7, farthest=True))
    assert_same(sparse_search(X, 3, method, Y=X[::3]), nb.kneighbors(dense_form, 3,
                                                                      Y=dense_form[::3]))
    assert_unchanged(X, before)
    assert X.indices.dtype == index_dtype


@pytest.mark.parametrize("method", [None] + METHODS)
def test_all_zero_matrix(method):
    X = sp.csr_matrix((20, 1000))
    dist, ind = sparse_search(X, 4, method)
    assert_same((dist, ind), nb.kneighbors(np.zeros((20, 1000)), 4))
    assert (dist == 0).all()
    X.data = np.zeros(0)
    Xz = sp.csr_matrix((np.zeros(3), np.array([0, 5, 9]), np.array([0, 1, 2, 3] + [3] * 17)),
                       shape=(20, 1000))  # explicit zeros only
    assert_same(sparse_search(Xz, 4, method), nb.kneighbors(np.zeros((20, 1000)), 4))


@pytest.mark.parametrize("method", [None] + METHODS)
def test_mixed_dense_and_sparse(rng, method):
    X = random_sparse(rng, 50, 10, 0.3, "ties")
    Y = random_sparse(rng, 8, 10, 0.3, "normal", np.float32)
    expected = nb.kneighbors(X.toarray(), 3, Y=Y.toarray())
    assert_same(sparse_search(X, 3, method, Y=Y.toarray()), expected)
    assert_same(sparse_search(X.toarray(), 3, method, Y=Y), expected)


@pytest.mark.parametrize("method", [None] + METHODS)
@pytest.mark.parametrize("scale, kind", [
    (2.0**-300, "normal"), (2.0**-70, "normal"), (2.0**70, "normal"), (2.0**500, "normal"),
    # near the ends of float64's range (rescaled by up to 2**1500 inside the search): small
    # integers, which stay exact there
    (2.0**-1000, "ties"), (2.0**1000, "ties"),
])
def test_scale_by_power_of_two(rng, method, scale, kind):
    X = random_sparse(rng, 80, 30, 0.1, kind)
    dist, ind = sparse_search(X, 5, method)
    dist2, ind2 = sparse_search(X * scale, 5, method)
    np.testing.assert_array_equal(ind2, ind)
    np.testing.assert_array_equal(dist2, dist * scale)


@pytest.mark.parametrize("method", [None] + METHODS)
def test_cancellation_far_from_origin(rng, method):
    """Rows sharing a large common column: the norm expansion cancels; the exact re-rank
    decides."""
    n = 200
    X = sp.random(n, 40, density=0.1, random_state=rng, format="lil")
    X[:, 0] = 1e8
    X = X.tocsr()
    assert_same(sparse_search(X, 5, method), dense_search(X, 5, algorithm="brute"))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_refused(bad):
    X = sp.csr_matrix(np.eye(5))
    X.data[2] = bad
    with pytest.raises(ValueError, match="X must contain only finite values"):
        nb.kneighbors(X, 2)
    with pytest.raises(ValueError, match="Y must contain only finite values"):
        nb.kneighbors(sp.csr_matrix(np.eye(5)), 2, Y=X)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(k=5), ValueError, r"k must be <= 4"),
        (dict(k=0), ValueError, r"k must be an integer >= 1"),
        (dict(k=2, Y=sp.csr_matrix((2, 3))), ValueError, r"Y must have the same number"),
        (dict(k=2, rows=[7]), ValueError, r"rows must be indices in \[0, 4\]"),
        (dict(k=2, rows=[0], Y=sp.csr_matrix((2, 4))), ValueError, r"rows and Y cannot"),
        (dict(k=2, algorithm="kd_tree"), ValueError, r"kd_tree.*sparse"),
        (dict(k=2, chunk_size=0), ValueError, r"chunk_size must be None"),
        (dict(k=2, farthest=1), TypeError, r"farthest must be True or False"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    X = sp.csr_matrix(np.eye(5, 4))
    with pytest.raises(error, match=match):
        nb.kneighbors(X, **kwargs)


def test_sparse_y_with_string_dtype_refused():
    X = sp.csr_matrix(np.eye(5, 4))
    with pytest.raises(TypeError, match="integers or floats"):
        nb.kneighbors(X.astype(np.complex128), 2)


def test_empty_queries(rng):
    X = random_sparse(rng, 10, 5, 0.3)
    dist, ind = nb.kneighbors(X, 2, rows=np.array([], dtype=np.intp))
    assert dist.shape == (0, 2) and ind.shape == (0, 2)


def _sparse_rows_without_dense_form(rng, n, d, per_row):
    """n x d CSR with per_row random non-zeros a row (its dense form: 8 n d bytes)."""
    cols = np.sort(rng.choice(d, size=(n, per_row)), axis=1)
    cols[:, 1:] += np.cumsum(np.diff(cols, axis=1) == 0, axis=1)  # distinct inside a row
    cols = np.minimum(cols, d - 1)
    indptr = np.arange(0, n * per_row + 1, per_row)
    X = sp.csr_matrix((rng.normal(size=n * per_row), cols.ravel(), indptr), shape=(n, d))
    X.sum_duplicates()
    return X


@pytest.mark.slow
@pytest.mark.parametrize("method", [None, "reference", "kernel", "heavy"])
def test_huge_shape_in_bounded_memory(rng, method):
    """2,000 x 50,000,000 (dense form: 800 GB): the search's extra memory stays a few MB."""
    import tracemalloc

    n, d = 2_000, 50_000_000
    X = _sparse_rows_without_dense_form(rng, n, d, 4)
    # a few shared columns, so that some rows are touched by others' columns
    X = sp.csr_matrix(X + sp.csr_matrix((np.ones(n), (np.arange(n), np.arange(n) % 7)),
                                        shape=(n, d)))
    tracemalloc.start()
    dist, ind = sparse_search(X, 5, method, n_jobs=2)
    Y = X[::10]
    dist_y, ind_y = sparse_search(X, 3, method, Y=Y, farthest=True, n_jobs=2)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 2**20, peak  # NumPy buffers; far below one dense row block
    # check a sample of queries by brute force on their few columns
    used = np.unique(X.indices)
    small = sp.csr_matrix(X[:, used])  # same distances: only the used columns
    sample = np.arange(0, n, 97)
    assert_same((dist[sample], ind[sample]), nb.kneighbors(small.toarray(), 5, rows=sample))
    assert_same((dist_y, ind_y), nb.kneighbors(small.toarray(), 3, Y=small[::10].toarray(),
                                               farthest=True))


@pytest.mark.parametrize("block", [1, 7, 40, 333])
@pytest.mark.parametrize("method", ["kernel", "heavy", "dense"])
def test_rows_searched_in_blocks_give_the_same_answer(rng, monkeypatch, method, block):
    """X's rows and the queries cut into blocks of a few stored values (the k-lists merged):
    the same neighbours and distances as the dense search, ties and duplicates included."""
    monkeypatch.setattr(nb, "_SPARSE_BLOCK_VALUES", block)
    X = random_sparse(rng, 120, 30, 0.1, "ties")
    X = sp.vstack([X, X[:9]], format="csr")  # duplicated rows in other blocks
    for k in (1, 4, 11):
        assert_same(sparse_search(X, k, method), dense_search(X, k))
        assert_same(sparse_search(X, k, method, farthest=True),
                    dense_search(X, k, farthest=True))
    rows = rng.permutation(X.shape[0])[:50]
    assert_same(sparse_search(X, 5, method, rows=rows), dense_search(X, 5, rows=rows))
    Y = random_sparse(rng, 23, 30, 0.2, "ties")
    assert_same(sparse_search(X, 6, method, Y=Y), dense_search(X, 6, Y=Y))
    assert_same(sparse_search(X, X.shape[0], method, Y=Y, farthest=True),
                dense_search(X, X.shape[0], Y=Y, farthest=True))
    assert_same(sparse_search(X, X.shape[0] - 1, method), dense_search(X, X.shape[0] - 1))


@pytest.mark.parametrize("max_values, min_rows", [(1, 1), (5, 1), (5, 4), (10**6, 3)])
def test_value_blocks_cover_rows_within_the_bound(rng, max_values, min_rows):
    lengths = rng.integers(0, 7, 60)
    lengths[10] = 40  # one row above the bound
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    for rows_of in (None, rng.permutation(60)[:45]):
        blocks = nb._value_blocks(indptr, max_values, min_rows, rows_of)
        n = 60 if rows_of is None else rows_of.size
        assert blocks[0][0] == 0 and blocks[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
        sizes = lengths if rows_of is None else lengths[rows_of]
        for lo, hi in blocks:
            assert hi - lo >= min(min_rows, n)
            if hi - lo > max(min_rows, 1):
                assert sizes[lo:hi].sum() <= max_values or len(blocks) == 1 or \
                    hi == n  # the last block takes a short rest
                assert hi - lo <= max(max_values, min_rows) or hi == n


def _search_peak(X, rows, Y):
    """(answers, peak of NumPy's traced memory) of two searches of X."""
    import tracemalloc

    tracemalloc.start()
    got = nb.kneighbors(X, 3, rows=rows, n_jobs=2), nb.kneighbors(X, 2, Y=Y, n_jobs=2)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return got, peak


@pytest.mark.slow
def test_working_memory_bounded_by_the_block_not_the_input(rng, monkeypatch):
    """The search's NumPy buffers are bounded by the block size, not by the size of X: with
    blocks of 2**19 stored values, 200,000 rows x 41 values (8.2 million stored values, 98 MB
    as float64 with int32 indices) take no more working memory than its first 100,000 rows,
    well below the input's size; the answers equal the one-block search's."""
    n, d = 200_000, 10_000_000
    X = _sparse_rows_without_dense_form(rng, n, d, 40)
    X = sp.csr_matrix(X + sp.csr_matrix((np.ones(n), (np.arange(n), np.arange(n) % 5)),
                                        shape=(n, d)))
    assert X.indices.dtype == np.int32
    input_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    rows, Y = np.arange(0, 100_000, 20), X[100_000:103_000]
    half = X[:100_000]
    expected = nb.kneighbors(X, 3, rows=rows, n_jobs=2), nb.kneighbors(X, 2, Y=Y, n_jobs=2)
    monkeypatch.setattr(nb, "_SPARSE_BLOCK_VALUES", 2**19)
    got, peak = _search_peak(X, rows, Y)
    _, peak_half = _search_peak(half, rows, Y)
    for answer, truth in zip(got, expected):
        assert_same(answer, truth)
    # per block about 100 bytes a value (its float64/intp copy and norms, column ids and
    # lists, the sort of its columns, the query block's copy): ~50 MB here, the same for
    # both sizes; the whole input is 98 MB
    assert peak < 1.15 * peak_half, (peak, peak_half)
    assert peak < 0.6 * input_bytes, (peak, input_bytes)


_RSS_SCRIPT = """
import resource, sys
import numpy as np
import scipy.sparse as sp
sys.path.insert(0, {tests!r})
from test_neighbors_sparse import _sparse_rows_without_dense_form
import resamplekit._neighbors as nb

rng = np.random.default_rng(0)
X = _sparse_rows_without_dense_form(rng, 20_000, 1_000_000_000, 5)
X = sp.csr_matrix(X + sp.csr_matrix((np.ones(20_000), (np.arange(20_000),
                                     np.arange(20_000) % 3)), shape=X.shape))
nb.kneighbors(X[:50], 2)  # imports and first calls
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
dist, ind = nb.kneighbors(X, 5, n_jobs=2)
dist, ind = nb.kneighbors(X, 5, Y=X[::7], farthest=True, n_jobs=2)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024)
"""


@pytest.mark.slow
def test_peak_rss_of_a_search_whose_dense_form_would_not_fit():
    """20,000 x 10**9 (dense form: 160 TB), about 6 non-zeros a row: the peak resident memory
    of the search (C buffers included) grows by less than 100 MB."""
    import os
    import subprocess
    import sys

    tests = os.path.dirname(os.path.abspath(__file__))
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT.format(tests=tests)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    grown = int(out.stdout.split()[-1])
    assert grown < 100 * 2**20, grown


@pytest.mark.parametrize("method", [None] + METHODS)
def test_values_below_float32_range(rng, method):
    """Values that float32 (the dense block of frequent columns) flushes to zero or subnormals,
    beside ordinary ones: the window covers their rounding."""
    X = random_sparse(rng, 120, 15, 0.3, "normal").tolil()
    X[:, 0] = 1.0  # a column every row uses: dense in the heavy kernels
    X[::3, 1] = 1e-42
    X[1::3, 1] = 3e-44
    X[5:40, 2] = 1e-39
    X = X.tocsr()
    assert_same(sparse_search(X, 4, method), dense_search(X, 4, algorithm="brute"))
    assert_same(sparse_search(X, 4, method, farthest=True),
                dense_search(X, 4, farthest=True, algorithm="brute"))
    Z = X.copy()
    Z.data = Z.data * 1e-40  # every value tiny (rescaled)
    assert_same(sparse_search(Z, 4, method), dense_search(Z, 4, algorithm="brute"))



@pytest.mark.parametrize("method", METHODS)
def test_differences_below_float32_resolution(rng, method):
    """Near copies of rows (differences of about 1e-4, distances of 1e-8, against float32's
    errors of about 1e-7 in a dot product of rows of norm near 3): the float32 keys cannot
    order them, the dense mode's window must hold them all for the exact re-rank."""
    base = sp.random(30, 40, density=0.3, random_state=rng, format="lil")
    base[:, 0] = 1.0  # a column every row uses: dense in the heavy kernels
    base = base.tocsr()
    copies = [base + sp.random(30, 40, density=0.2, random_state=rng, format="csr") * 1e-4
              for _ in range(4)]
    X = sp.vstack([base] + copies).tocsr()
    for k in (1, 2, 4):
        assert_same(sparse_search(X, k, method), dense_search(X, k, algorithm="brute"))


@pytest.mark.parametrize("method", METHODS)
def test_tiny_differences_beside_unit_values(rng, method):
    """Rows equal but for values far below float32's normal range (no rescaling: the largest
    values are near 1): float32 products lose them, the dense mode's slack covers that and the
    exact re-rank orders them."""
    base = sp.random(40, 30, density=0.3, random_state=rng, format="lil")
    base[:, 0] = 1.0  # a column every row uses: dense in the heavy kernels
    base = base.tocsr()
    tiny = sp.random(40, 30, density=0.1, random_state=rng, format="csr")
    X = sp.vstack([base, base + tiny * 2.0**-80, base + tiny * 2.0**-140, base]).tocsr()
    assert_same(sparse_search(X, 4, method), dense_search(X, 4, algorithm="brute"))
    assert_same(sparse_search(X, 3, method, farthest=True),
                dense_search(X, 3, algorithm="brute", farthest=True))
