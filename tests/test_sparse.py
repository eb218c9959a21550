"""Sparse X end to end: every method on scipy.sparse input, never densified.

- Every public function and every estimator class, on CSR, CSC, csr_array, csc_array and COO
  input, float32 and float64, gives the result of the dense form of the same data
  (``.toarray()`` equal; indices, provenance and sample weights too), in the input's format
  (COO comes back as CSR; smotenc gives CSR, as imbalanced-learn's SMOTENC).
- The SMOTE family equals imbalanced-learn 0.14 on sparse input wherever it does on dense input.
- Malformed input (unsorted indices, duplicates, explicit zeros, int64 indices, empty rows, no
  stored values) works; NaN/inf among the stored values and sparse y are refused; the caller's
  matrix is never modified.
- The synthesis kernel on CSR rows equals the dense kernel bit for bit; its entries are the
  union of the parents' columns with zeros not stored.
- A call on a matrix whose dense form would not fit in memory (5,000 x 20,000,000) succeeds for
  smote and edited_nearest_neighbours, within a small peak memory.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy import sparse

import resamplekit as rk
from resamplekit import estimators as rke

from conftest import assert_sparse_unmodified, method_data, sparse_snapshot

FUNCTIONS = sorted(rk.__all__)
FORMATS = ["csr_matrix", "csc_matrix", "csr_array", "csc_array", "coo_matrix"]
DTYPES = [np.float32, np.float64]
# cluster_centroids' voting='auto' is 'hard' for sparse X and 'soft' for dense (as
# imbalanced-learn): the comparisons with the dense form name the voting.
EXTRA = {"cluster_centroids": {"voting": "soft"}}


def sparse_data(name, dtype=np.float64, seed=0):
    """method_data with about half of the values set to 0 (and row 5 all zeros)."""
    X, y, kwargs = method_data(name, dtype, seed=seed)
    if name not in ("smoten", "smotenc"):
        X = X.copy()
        X[np.abs(X) < 0.6] = 0
        X[5] = 0
    elif name == "smotenc":
        X = X.copy()
        X[:, 1:][np.abs(X[:, 1:]) < 0.6] = 0
    return X, y, {**kwargs, **EXTRA.get(name, {})}


def as_format(X, fmt):
    return getattr(sparse, fmt)(X)


def expected_type(name, fmt):
    """The class of the result for input of class ``fmt``."""
    is_array = fmt.endswith("_array")
    out_fmt = "csr" if fmt.startswith("coo") or name == "smotenc" else fmt[:3]
    return getattr(sparse, f"{out_fmt}_{'array' if is_array else 'matrix'}")


def assert_same_result(out_sparse, out_dense, name, fmt=None):
    Xs, Xd = out_sparse[0], out_dense[0]
    assert sparse.issparse(Xs), type(Xs)
    if fmt is not None:
        assert type(Xs) is expected_type(name, fmt), (type(Xs), fmt)
    assert Xs.dtype == np.asarray(Xd).dtype
    if name == "cluster_centroids":  # scikit-learn's KMeans on CSR: the same centres to rounding
        np.testing.assert_allclose(Xs.toarray(), Xd, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_array_equal(Xs.toarray(), Xd)
    for a, b in zip(out_sparse[1:], out_dense[1:]):
        np.testing.assert_array_equal(a, b)


# -------------------------------------------------------------- every public function


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_on_sparse_equals_dense(name, fmt, dtype):
    X, y, kwargs = sparse_data(name, dtype)
    Xs = as_format(X, fmt)
    before = sparse_snapshot(Xs)
    dense = getattr(rk, name)(X, y, **kwargs)
    out = getattr(rk, name)(Xs, y, **kwargs)
    assert_same_result(out, dense, name, fmt)
    assert_sparse_unmodified(Xs, before)


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_array"])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_indices_provenance_and_weights_on_sparse(name, fmt):
    X, y, kwargs = sparse_data(name)
    w = np.random.default_rng(1).uniform(0.25, 4.0, len(y))
    w[7] = 0.0  # a row left out
    flags = dict(sample_weight=w, return_indices=True, return_provenance=True)
    dense = getattr(rk, name)(X, y, **kwargs, **flags)
    out = getattr(rk, name)(as_format(X, fmt), y, **kwargs, **flags)
    assert len(out) == len(dense) == 5
    assert_same_result(out[:-1], dense[:-1], name, fmt)
    rec, rec_dense = out[-1], dense[-1]
    for field in ("row", "neighbor", "step"):
        np.testing.assert_array_equal(rec[field], rec_dense[field])
    np.testing.assert_array_equal(rec["gap"], rec_dense["gap"])


@pytest.mark.parametrize("name", ["cluster_centroids"])
def test_cluster_centroids_hard_voting_on_sparse(name):
    # 'auto' is 'hard' for sparse X: real rows of X, one per centroid, none twice
    X, y, kwargs = sparse_data(name)
    kwargs = {k: v for k, v in kwargs.items() if k != "voting"}
    X_res, y_res, idx = rk.cluster_centroids(sparse.csr_matrix(X), y, return_indices=True,
                                             **kwargs)
    assert X_res.format == "csr" and len(np.unique(idx)) == len(idx)
    np.testing.assert_array_equal(X_res.toarray(), X[idx])
    np.testing.assert_array_equal(np.bincount(y_res), np.bincount(
        rk.cluster_centroids(X, y, voting="hard", **kwargs)[1]))


# ------------------------------------------------------------------- estimator classes


def _estimator(name):
    from sklearn.ensemble import RandomForestClassifier

    params = {"SMOTENC": {"categorical_features": [0], "random_state": 0},
              "InstanceHardnessThreshold": {
                  "random_state": 0, "estimator": RandomForestClassifier(5, random_state=0)},
              "ClusterCentroids": {"random_state": 0, "voting": "soft"}}.get(name)
    cls = getattr(rke, name)
    if params is None:
        import inspect

        params = {"random_state": 0} if "random_state" in inspect.signature(cls).parameters \
            else {}
    return cls(**params)


def _function_name(name):
    return rke._PARAMETERS[name][1]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", rke.__all__)
def test_estimator_on_sparse_equals_dense(name, fmt, dtype):
    X, y, _ = sparse_data(_function_name(name), dtype)
    if name == "SMOTEN":
        X = X.astype(dtype)
    Xs = as_format(X, fmt)
    before = sparse_snapshot(Xs)
    dense = _estimator(name).fit_resample(X, y)
    out = _estimator(name).fit_resample(Xs, y)
    assert_same_result(out, dense, _function_name(name), fmt)
    assert_sparse_unmodified(Xs, before)


# ------------------------------------------------- imbalanced-learn on sparse input

imblearn_over = pytest.importorskip("imblearn.over_sampling")
imblearn_combine = pytest.importorskip("imblearn.combine")


def _imblearn_data(seed=0, n_classes=2):
    from conftest import classification

    weights = {2: [0.85], 3: [0.6, 0.3]}[n_classes]
    X, y = classification(n_classes, weights=weights, n=300, d=8, redundant=1, clusters=1,
                          flip_y=0.02, seed=seed)
    X = X.copy()
    X[np.abs(X) < 0.7] = 0
    return X, y


def _same_as_imblearn(ours, theirs):
    assert sparse.issparse(theirs[0]) and sparse.issparse(ours[0])
    assert type(ours[0]) is type(theirs[0])
    assert ours[0].dtype == theirs[0].dtype
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_allclose(ours[0].toarray(), theirs[0].toarray(), rtol=1e-12, atol=0)


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_matrix", "csr_array"])
@pytest.mark.parametrize("n_classes,k,seed", [(2, 5, 0), (2, 3, 42), (3, 5, 7)])
def test_smote_and_adasyn_equal_imblearn_on_sparse(fmt, n_classes, k, seed):
    X, y = _imblearn_data(seed, n_classes)
    Xs = as_format(X, fmt)
    theirs = imblearn_over.SMOTE(k_neighbors=k, random_state=seed).fit_resample(Xs, y)
    _same_as_imblearn(rk.smote(Xs, y, k=k, random_state=seed), theirs)
    theirs = imblearn_over.ADASYN(n_neighbors=k, random_state=seed).fit_resample(Xs, y)
    _same_as_imblearn(rk.adasyn(Xs, y, k=k, random_state=seed), theirs)


@pytest.mark.parametrize("kind,fmt", [("borderline-1", "csr_matrix"),
                                      ("borderline-1", "csc_matrix"),
                                      ("borderline-2", "csr_array"),
                                      ("borderline-2", "csc_array")])
@pytest.mark.parametrize("n_classes,m", [(2, 10), (3, 3)])
def test_borderline_smote_equals_imblearn_on_sparse(kind, fmt, n_classes, m):
    # imbalanced-learn's Borderline-2 crashes on csr_matrix/csc_matrix (a matrix product where
    # it means an element-wise one); its sparse arrays work.
    X, y = _imblearn_data(3, n_classes)
    Xs = as_format(X, fmt)
    theirs = imblearn_over.BorderlineSMOTE(kind=kind, m_neighbors=m, random_state=5)
    ours = rk.borderline_smote(Xs, y, kind=kind, m=m, random_state=5)
    _same_as_imblearn(ours, theirs.fit_resample(Xs, y))
    np.testing.assert_array_equal(
        ours[0].toarray(), rk.borderline_smote(X, y, kind=kind, m=m, random_state=5)[0])


def test_borderline_2_on_sparse_matrix_where_imblearn_crashes():
    X, y = _imblearn_data(3)
    ours = rk.borderline_smote(sparse.csr_matrix(X), y, kind="borderline-2", random_state=5)
    theirs = imblearn_over.BorderlineSMOTE(kind="borderline-2", random_state=5).fit_resample(
        sparse.csr_array(X), y)
    np.testing.assert_allclose(ours[0].toarray(), theirs[0].toarray(), rtol=1e-12, atol=0)


def test_svm_smote_equals_imblearn_on_sparse():
    from conftest import classification

    X, y = classification(2, weights=[0.85], n=300, d=5, redundant=2, clusters=1)
    X = X.copy()
    X[np.abs(X) < 0.3] = 0
    Xs = sparse.csr_matrix(X)
    theirs = imblearn_over.SVMSMOTE(k_neighbors=3, random_state=4).fit_resample(Xs, y)
    assert len(set(np.bincount(theirs[1]))) == 1  # both groups exist: imblearn's counts exact
    ours = rk.svm_smote(Xs, y, k=3, random_state=4)
    _same_as_imblearn(ours, theirs)
    np.testing.assert_array_equal(ours[0].toarray(), rk.svm_smote(X, y, k=3, random_state=4)[0])


@pytest.mark.parametrize("method,cls", [("smote_tomek", "SMOTETomek"),
                                        ("smote_enn", "SMOTEENN")])
def test_combinations_equal_imblearn_on_sparse(method, cls):
    X, y = _imblearn_data(0)
    Xs = sparse.csc_matrix(X)
    theirs = getattr(imblearn_combine, cls)(random_state=0).fit_resample(Xs, y)
    _same_as_imblearn(getattr(rk, method)(Xs, y, random_state=0), theirs)


def test_smotenc_equals_imblearn_on_sparse_and_returns_csr():
    X, y, kwargs = sparse_data("smotenc")
    for fmt in ("csr_matrix", "csc_matrix", "csr_array"):
        Xs = as_format(X, fmt)
        theirs = imblearn_over.SMOTENC(categorical_features=[0], random_state=0).fit_resample(
            Xs, y)
        ours = rk.smotenc(Xs, y, **kwargs)
        assert ours[0].format == "csr"
        _same_as_imblearn(ours, theirs)


# ---------------------------------------------------------------- the kernel itself


@pytest.mark.kernel
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("n_threads", [1, 2])
def test_interpolate_csr_equals_dense_kernel(index_dtype, dtype, scaled, n_threads):
    from resamplekit._validation import _numeric_sparse
    from resamplekit.over_sampling import _interpolate_rows

    rng = np.random.default_rng(3)
    A = sparse.random(300, 40, density=0.15, random_state=4, format="csr", dtype=dtype)
    A.data[::7] = -A.data[::7]
    A.indices = A.indices.astype(index_dtype)
    A.indptr = A.indptr.astype(index_dtype)
    X = _numeric_sparse(A)
    m = 2000
    rows, nbrs = rng.integers(0, 300, m), rng.integers(0, 300, m)
    nbrs[:50] = rows[:50]  # a row with itself: its own columns, unchanged values
    gaps = rng.uniform(-0.5, 1.0, m)
    gaps[50:60] = 0.0
    scales = rng.uniform(0, 0.5, m) if scaled else None
    new = _interpolate_rows(X, rows, nbrs, gaps, scales, n_threads)
    ref = _interpolate_rows(X.toarray(), rows, nbrs, gaps, scales, 1)
    assert isinstance(new, sparse.csr_matrix) and new.dtype == dtype
    np.testing.assert_array_equal(new.toarray(), ref)
    assert (new.data != 0).all() and new.has_sorted_indices
    # the entries lie in the union of the parents' columns
    for i in range(0, m, 97):
        cols = set(X[rows[i]].indices) | set(X[nbrs[i]].indices)
        assert set(new[i].indices) <= cols


# ----------------------------------------------------------------- malformed input


def _messy(X, *, int64=False, explicit_zeros=True, shuffle=True, duplicates=True):
    """CSR with the same values as X, but unsorted indices, split duplicate entries, explicit
    zeros and (optionally) int64 index arrays."""
    rng = np.random.default_rng(0)
    coo = sparse.coo_matrix(X)
    r, c, v = coo.row, coo.col, coo.data
    if duplicates:  # split every third entry in two halves
        pick = np.arange(len(v)) % 3 == 0
        r = np.concatenate([r, r[pick]])
        c = np.concatenate([c, c[pick]])
        v = np.concatenate([v, v[pick] / 2])
        v[:len(pick)][pick] /= 2
    if explicit_zeros:
        zr = rng.integers(0, X.shape[0], 20)
        zc = rng.integers(0, X.shape[1], 20)
        free = X[zr, zc] == 0
        r, c, v = (np.concatenate([r, zr[free]]), np.concatenate([c, zc[free]]),
                   np.concatenate([v, np.zeros(free.sum(), dtype=v.dtype)]))
    order = rng.permutation(len(v)) if shuffle else np.lexsort((c, r))
    r, c, v = r[order], c[order], v[order]
    # build CSR by hand: rows grouped, columns left in their shuffled order
    by_row = np.argsort(r, kind="stable")
    idx_dtype = np.int64 if int64 else np.int32
    indptr = np.zeros(X.shape[0] + 1, dtype=idx_dtype)
    np.cumsum(np.bincount(r, minlength=X.shape[0]), out=indptr[1:])
    Xs = sparse.csr_matrix((v[by_row], c[by_row].astype(idx_dtype), indptr), shape=X.shape)
    if int64:
        Xs.indices = Xs.indices.astype(np.int64)
        Xs.indptr = Xs.indptr.astype(np.int64)
    return Xs


@pytest.mark.parametrize("int64", [False, True])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_malformed_input_gives_the_dense_result_and_is_not_modified(name, int64):
    X, y, kwargs = sparse_data(name)
    Xs = _messy(X, int64=int64)
    assert not Xs.has_sorted_indices or Xs.nnz != sparse.csr_matrix(X).nnz
    if int64:
        assert Xs.indices.dtype == np.int64
    before = sparse_snapshot(Xs)
    dense = getattr(rk, name)(X.astype(Xs.dtype), y, **kwargs)  # split entries: float data
    out = getattr(rk, name)(Xs, y, **kwargs)
    if name in ("random_under", "random_over"):
        # row pickers return the caller's rows as they are (duplicates and all)
        np.testing.assert_array_equal(out[0].toarray(), dense[0])
    else:
        assert_same_result(out, dense, name)
    assert_sparse_unmodified(Xs, before)


def test_validation_canonical_csr_on_a_copy():
    from resamplekit._validation import check_X_y

    X, y, _ = sparse_data("smote")
    Xs = _messy(X, int64=True)
    before = sparse_snapshot(Xs)
    ds = check_X_y(Xs, y)
    assert isinstance(ds.X, sparse.csr_matrix) and ds.X.has_canonical_format
    assert ds.X.indices.dtype in (np.int32, np.int64)  # scipy may narrow them on its copy
    np.testing.assert_array_equal(ds.X.toarray(), X)
    assert_sparse_unmodified(Xs, before)
    # integer data becomes float64; float32 stays float32; canonical float CSR is not copied
    assert check_X_y(sparse.csr_matrix(X.astype(np.int64)), y).X.dtype == np.float64
    assert check_X_y(sparse.csc_matrix(X.astype(np.float32)), y).X.dtype == np.float32
    Xc = sparse.csr_matrix(X)
    assert check_X_y(Xc, y).X.data is Xc.data or np.shares_memory(check_X_y(Xc, y).X.data,
                                                                  Xc.data)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", ["smote", "edited_nearest_neighbours", "near_miss",
                                  "smotenc", "cluster_centroids"])
def test_nan_and_inf_among_stored_values_are_refused(name, bad):
    X, y, kwargs = sparse_data(name)
    Xs = sparse.csr_matrix(X)
    Xs.data[3] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        getattr(rk, name)(Xs, y, **kwargs)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_no_stored_values(name):
    if name in ("smoten", "smotenc", "svm_smote", "kmeans_smote", "adasyn", "cluster_centroids",
                "instance_hardness_threshold"):
        pytest.skip("needs varying data (a category, an SVM, clusters, a classifier)")
    X, y, kwargs = sparse_data(name)
    Z = np.zeros_like(X)
    dense = getattr(rk, name)(Z, y, **kwargs)
    out = getattr(rk, name)(sparse.csr_matrix(Z.shape, dtype=Z.dtype), y, **kwargs)
    assert out[0].nnz == 0
    assert_same_result(out, dense, name)


def test_sparse_y_is_refused():
    X, y, _ = sparse_data("smote")
    with pytest.raises(TypeError, match="sparse"):
        rk.smote(sparse.csr_matrix(X), sparse.csr_matrix(y[:, None]))


# ------------------------------------------------------------------ memory bound

_MEMORY_SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np
    from scipy import sparse
    import resamplekit as rk
    n, d, per_row = 5000, 20_000_000, 20  # dense: 800 GB of float64
    rng = np.random.default_rng(0)
    indices = rng.integers(0, d, size=n * per_row)
    common = rng.random(n * per_row) < 0.5  # a shared vocabulary of 2,000 columns
    indices[common] = rng.integers(0, 2000, size=int(common.sum()))
    X = sparse.csr_matrix((rng.random(n * per_row) + 0.1, indices,
                           np.arange(0, n * per_row + 1, per_row)), shape=(n, d))
    X.sum_duplicates()
    y = (rng.random(n) < 0.1).astype(int)
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    name = sys.argv[1]
    out = getattr(rk, name)(X, y, **({"random_state": 0} if name == "smote" else {}))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert sparse.issparse(out[0]) and out[0].shape[1] == d
    print(out[0].shape[0], out[0].nnz, start // 1024, peak // 1024)
""")


@pytest.mark.parametrize("name", ["smote", "edited_nearest_neighbours"])
def test_matrix_whose_dense_form_does_not_fit_in_memory(name):
    env = {**os.environ, "OMP_NUM_THREADS": "2",
           "PYTHONPATH": os.pathsep.join(filter(None, [
               os.path.dirname(os.path.dirname(os.path.abspath(rk.__file__))),
               os.environ.get("PYTHONPATH")]))}
    res = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, name], capture_output=True,
                         text=True, timeout=600, env=env)
    assert res.returncode == 0, res.stderr
    n_rows, nnz, start_mb, peak_mb = map(int, res.stdout.split())
    assert n_rows > 0 and nnz > 0
    # The input is 1.2 MB of values and 0.4 MB of indices; the dense form 800 GB. A dense
    # block of even one row of 20M columns is 160 MB: the whole call stays well below that.
    assert peak_mb - start_mb < 150, (start_mb, peak_mb)


@pytest.mark.kernel
@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_condensed_nearest_neighbour_on_sparse_over_many_blocks(n_jobs, dtype):
    # more than one block of 256 candidates per class: the sparse scan's block pushes run
    rng = np.random.default_rng(5)
    X = rng.normal(size=(1400, 12)).astype(dtype)
    X[rng.random(X.shape) < 0.6] = 0
    y = np.repeat([0, 1, 2], [150, 550, 700])
    X[y == 1, :2] += 0.8
    X[y == 2, 2:4] += 0.8
    for name in ("condensed_nearest_neighbour", "one_sided_selection"):
        dense = getattr(rk, name)(X, y, random_state=1, return_indices=True, n_jobs=n_jobs)
        out = getattr(rk, name)(sparse.csr_matrix(X), y, random_state=1, return_indices=True,
                                n_jobs=n_jobs)
        assert len(dense[2]) > 160  # rows were added to the store
        assert_same_result(out, dense, name)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_array"])
def test_random_over_shrinkage_on_sparse(fmt, dtype):
    # The same draws as on dense X; the class's standard deviations come from the stored
    # values (equal to the dense ones to rounding); a column where the class does not vary
    # gets no noise, as on dense X (its noise is scaled by 0).
    X, y, kwargs = sparse_data("random_over", dtype)
    X[:, 2][y == 1] = 0.0  # constant in the minority class
    dense = rk.random_over(X, y, shrinkage=0.5, **kwargs, return_indices=True)
    out = rk.random_over(as_format(X, fmt), y, shrinkage=0.5, **kwargs, return_indices=True)
    assert type(out[0]) is expected_type("random_over", fmt) and out[0].dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out[0].toarray(), dense[0], rtol=tol, atol=tol)
    np.testing.assert_array_equal(out[1], dense[1])
    np.testing.assert_array_equal(out[2], dense[2])
    new = out[0].toarray()[len(y):]
    assert (new[:, 2] == 0).all()


def test_random_over_shrinkage_on_sparse_in_small_blocks(monkeypatch):
    from resamplekit import over_sampling

    X, y, kwargs = sparse_data("random_over")
    Xs = sparse.csr_matrix(X)
    whole = rk.random_over(Xs, y, shrinkage=1.0, ratio={1: 57}, **kwargs)[0]
    monkeypatch.setattr(over_sampling, "_BLOCK_VALUES", 5)  # 1-row blocks
    monkeypatch.setattr(over_sampling, "_BLOCK_DRAWS", 2)  # a row's draws over 2 chunks
    blocks = rk.random_over(Xs, y, shrinkage=1.0, ratio={1: 57}, **kwargs)[0]
    np.testing.assert_array_equal(blocks.toarray(), whole.toarray())


@pytest.mark.kernel
@pytest.mark.parametrize("name", FUNCTIONS)
def test_canonical_int64_indices_reach_the_kernels(name):
    # (scikit-learn's KMeans, SVC and forests refuse 64-bit sparse indices: they get int32
    # copies of the index arrays)
    from resamplekit._validation import check_X_y

    X, y, kwargs = sparse_data(name)
    Xs = sparse.csr_matrix(X)
    Xs.indices = Xs.indices.astype(np.int64)
    Xs.indptr = Xs.indptr.astype(np.int64)
    if X.dtype.kind == "f":  # float data: the matrix is used as it is
        assert check_X_y(Xs, y).X.indices.dtype == np.int64
    before = sparse_snapshot(Xs)
    assert_same_result(getattr(rk, name)(Xs, y, **kwargs), getattr(rk, name)(X, y, **kwargs),
                       name)
    assert_sparse_unmodified(Xs, before)


@pytest.mark.parametrize("name,cls,kw", [
    ("edited_nearest_neighbours", "EditedNearestNeighbours", {}),
    ("tomek_links", "TomekLinks", {}),
    ("near_miss", "NearMiss", {"version": 1}),
    ("near_miss", "NearMiss", {"version": 2}),
    ("neighbourhood_cleaning_rule", "NeighbourhoodCleaningRule", {}),
    ("all_knn", "AllKNN", {}),
])
def test_deterministic_methods_select_imblearns_rows_on_sparse(name, cls, kw):
    imblearn_under = pytest.importorskip("imblearn.under_sampling")
    X, y = _imblearn_data(2, 3)
    Xs = sparse.csr_matrix(X)
    theirs = getattr(imblearn_under, cls)(**kw)
    X_ref, y_ref = theirs.fit_resample(Xs, y)
    X_res, y_res, idx = getattr(rk, name)(Xs, y, return_indices=True, **kw)
    np.testing.assert_array_equal(idx, theirs.sample_indices_)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(X_res.toarray(), X_ref.toarray())
