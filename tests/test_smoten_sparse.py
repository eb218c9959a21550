"""smoten on scipy.sparse X: never densified, the dense path's answer exactly.

- Equal to ``smoten`` on the dense form of the same data (``X_res.toarray()``, y, indices,
  provenance, sample weights), for random categorical sparse data with negative values (0 not
  the smallest category), columns every row stores, explicit zeros, unsorted indices,
  duplicates (summed), empty rows, int64 index arrays; float32, float64 and int64 values;
  every sparse format (COO comes back as CSR); 1 and 2 threads; several seeds, k and ratios.
- The pieces against their dense counterparts: ``sparse_ordinal_codes`` vs ``ordinal_codes``,
  ``vdm_class_probabilities_csr`` vs ``vdm_class_probabilities`` (bit for bit),
  ``kneighbors_vdm_csr`` vs ``kneighbors_vdm`` (distances bit for bit), ``mode_vote_csr`` vs
  ``mode_vote``.
- The caller's matrix is never modified; NaN among the stored values and too small classes
  are refused as for dense X.
- No dense copy: a 200,000 x 2,000,000 matrix (dense: 1.6 TB of float32) resamples within a
  small peak memory, and tracemalloc's peak on a mid-sized matrix stays far below its dense
  size.
"""
import os
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest
from scipy import sparse

import resamplekit as rk
from resamplekit._encoding import ordinal_codes, sparse_ordinal_codes
from resamplekit._kernels._smote_categorical import mode_vote, mode_vote_csr
from resamplekit._neighbors import (
    kneighbors_vdm,
    kneighbors_vdm_csr,
    vdm_class_probabilities,
    vdm_class_probabilities_csr,
)
from resamplekit._validation import canonical_csr

from conftest import assert_sparse_unmodified, sparse_snapshot

FORMATS = ["csr_matrix", "csc_matrix", "csr_array", "csc_array", "coo_matrix", "coo_array"]


def categorical_data(seed, n=90, d=14, dtype=np.float64, density=0.4):
    """Small categorical data: values in -2..3 (0 not the smallest category), about
    ``1 - density`` zeros; column 1 stored by every row (values 1..2), column 2 all zeros,
    row 4 empty; three classes 50/25/15."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-2, 4, size=(n, d)).astype(dtype)
    X[rng.random((n, d)) > density] = 0
    X[:, 1] = rng.integers(1, 3, size=n)
    X[:, 2] = 0
    X[4] = 0
    X[4, 1] = 1
    y = np.repeat([0, 1, 2], [50, 25, 15])[:n]
    return X, y


def as_format(X, fmt):
    return getattr(sparse, fmt)(X)


def expected_type(fmt):
    kind = "csr" if fmt.startswith("coo") else fmt[:3]
    return getattr(sparse, f"{kind}_{'array' if fmt.endswith('_array') else 'matrix'}")


def assert_same(out, dense):
    Xs, Xd = out[0], dense[0]
    assert sparse.issparse(Xs)
    assert Xs.dtype == Xd.dtype, (Xs.dtype, Xd.dtype)
    np.testing.assert_array_equal(Xs.toarray(), Xd)
    assert len(out) == len(dense)
    for a, b in zip(out[1:], dense[1:]):
        if getattr(a, "dtype", None) is not None and a.dtype.names:
            for field in a.dtype.names:
                np.testing.assert_array_equal(a[field], b[field])
        else:
            np.testing.assert_array_equal(a, b)


def messy_csr(X, rng):
    """X as a CSR matrix with unsorted indices, duplicate entries (summing to X's values),
    explicit zeros and int64 index arrays."""
    coo = sparse.coo_matrix(X)
    rows, cols, vals = coo.row, coo.col, coo.data
    # split every third value into two duplicates, add explicit zeros, shuffle each row
    split = np.arange(vals.size) % 3 == 0
    half = np.where(split, vals // 2 if X.dtype.kind in "iu" else vals / 2, 0).astype(X.dtype)
    zr, zc = np.nonzero(X == 0)
    pick = rng.random(zr.size) < 0.05
    rows = np.concatenate([rows, rows[split], zr[pick]])
    cols = np.concatenate([cols, cols[split], zc[pick]])
    vals = np.concatenate([vals - half, half[split], np.zeros(pick.sum(), X.dtype)])
    order = np.lexsort((rng.random(rows.size), rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=X.shape[0]))])
    M = sparse.csr_matrix((vals, cols.astype(np.int64), indptr.astype(np.int64)),
                          shape=X.shape)
    assert not M.has_canonical_format
    np.testing.assert_array_equal(M.toarray(), X)
    return M


# ----------------------------------------------------------------- end to end


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64],
                         ids=["float32", "float64", "int64"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_smoten_sparse_equals_dense_every_format(fmt, dtype):
    X, y = categorical_data(0, dtype=dtype)
    Xs = as_format(X, fmt)
    before = sparse_snapshot(Xs)
    flags = dict(k=3, random_state=0, return_indices=True, return_provenance=True)
    out = rk.smoten(Xs, y, **flags)
    assert type(out[0]) is expected_type(fmt), (type(out[0]), fmt)
    assert_same(out, rk.smoten(X, y, **flags))
    assert_sparse_unmodified(Xs, before)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 4, 9])
def test_smoten_sparse_equals_dense_seeds_and_k(seed, k):
    X, y = categorical_data(seed, density=[0.1, 0.4, 0.8][seed % 3])
    ratio = [
        "auto", "all", "not majority", {1: 60, 2: 40}, {2: 30}, 0.9,
    ][seed]
    if ratio == 0.9:  # a float ratio needs two classes
        X, y = X[y < 2], y[y < 2]
    flags = dict(k=k, ratio=ratio, random_state=seed, return_indices=True)
    dense = rk.smoten(X, y, n_jobs=1, **flags)
    for n_jobs in (1, 2):
        assert_same(rk.smoten(sparse.csr_matrix(X), y, n_jobs=n_jobs, **flags), dense)


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_smoten_sparse_malformed_input(dtype):
    rng = np.random.default_rng(3)
    X, y = categorical_data(3, dtype=dtype)
    M = messy_csr(X, rng)
    before = sparse_snapshot(M)
    flags = dict(k=5, random_state=1, return_indices=True, return_provenance=True)
    for n_jobs in (1, 2):
        assert_same(rk.smoten(M, y, n_jobs=n_jobs, **flags), rk.smoten(X, y, **flags))
    assert_sparse_unmodified(M, before)


def test_smoten_sparse_wide_indices_and_string_labels():
    X, y = categorical_data(4)
    labels = np.array(["a", "b", "c"])[y]
    M = sparse.csr_matrix(X)
    M.indices = M.indices.astype(np.int64)
    M.indptr = M.indptr.astype(np.int64)
    flags = dict(k=2, random_state=5, return_indices=True)
    assert_same(rk.smoten(M, labels, **flags), rk.smoten(X, labels, **flags))


def test_smoten_sparse_sample_weight():
    X, y = categorical_data(5)
    w = np.random.default_rng(1).uniform(0.25, 4.0, len(y))
    w[[7, 60]] = 0.0  # rows left out
    flags = dict(k=3, random_state=2, sample_weight=w, return_indices=True,
                 return_provenance=True)
    for fmt in ("csr_matrix", "csc_array", "coo_matrix"):
        out = rk.smoten(as_format(X, fmt), y, **flags)
        assert len(out) == 5
        assert_same(out, rk.smoten(X, y, **flags))


def test_smoten_sparse_only_zeros_in_class_columns():
    # The minority class stores nothing in most columns; its new rows come out (nearly) empty.
    X, y = categorical_data(6, density=0.5)
    X[y == 2, 3:] = 0
    flags = dict(k=4, random_state=0, return_indices=True)
    out = rk.smoten(sparse.csr_matrix(X), y, **flags)
    assert_same(out, rk.smoten(X, y, **flags))
    # zeros are not stored in the new rows
    new = out[0][X.shape[0]:]
    assert (new.data != 0).all()


def test_smoten_sparse_errors_match_dense():
    X, y = categorical_data(7)
    Xs = sparse.csr_matrix(X)
    Xs.data[Xs.indptr[9] + 1] = np.nan
    Xd = Xs.toarray()
    with pytest.raises(ValueError) as dense_error:
        rk.smoten(Xd, y, k=3)
    with pytest.raises(ValueError) as sparse_error:
        rk.smoten(Xs, y, k=3)
    assert "missing values" in str(sparse_error.value)
    assert str(sparse_error.value) == str(dense_error.value)
    with pytest.raises(ValueError, match="has 15 rows, but k=15"):
        rk.smoten(sparse.csr_matrix(X), y, k=15)


@pytest.mark.parametrize("encoder", ["plain", "max_categories"])
def test_smoten_sparse_with_encoder(encoder, monkeypatch):
    pytest.importorskip("sklearn")
    from sklearn.preprocessing import OrdinalEncoder

    X, y = categorical_data(8)
    flags = dict(k=3, random_state=0, categorical_encoder=OrdinalEncoder() if encoder == "plain"
                 else OrdinalEncoder(max_categories=3))
    expected = rk.smoten(X, y, **flags)
    densified = []
    real = sparse.csc_matrix.toarray
    monkeypatch.setattr(sparse.csc_matrix, "toarray",
                        lambda self, *a, **kw: densified.append(self.shape) or real(self, *a, **kw))
    out = rk.smoten(sparse.csc_matrix(X), y, **flags)
    monkeypatch.undo()
    assert isinstance(out[0], sparse.csc_matrix)
    assert_same(out, expected)
    # a plain OrdinalEncoder sorts the values, as no encoder: the sparse path, no dense X;
    # another encoder is fitted on the dense form (as imbalanced-learn does)
    assert (densified == []) == (encoder == "plain")


# ----------------------------------------------------------------- the pieces


def dense_codes(codes, zero_code):
    out = np.tile(np.asarray(zero_code, dtype=np.int32), (codes.shape[0], 1))
    coo = codes.tocoo()
    out[coo.row, coo.col] = coo.data
    return out


@pytest.mark.parametrize("seed", range(5))
def test_sparse_ordinal_codes_equal_ordinal_codes(seed):
    X, _ = categorical_data(seed, dtype=[np.float32, np.float64, np.int64][seed % 3])
    rng = np.random.default_rng(seed)
    Xc = canonical_csr(messy_csr(X, rng))
    codes, zero_code, categories, offsets = sparse_ordinal_codes(Xc, "smoten")
    codes_d, categories_d = ordinal_codes(X, range(X.shape[1]), None, "smoten", one_hot=False)
    np.testing.assert_array_equal(dense_codes(codes, zero_code), codes_d)
    assert codes.indices is Xc.indices or np.shares_memory(codes.indices, Xc.indices)
    for j, cats in enumerate(categories_d):
        part = categories[offsets[j]:offsets[j + 1]]
        assert part.dtype == cats.dtype
        np.testing.assert_array_equal(part, cats)
        assert zero_code[j] == (np.flatnonzero(cats == 0)[0] if (cats == 0).any() else -1)
    assert zero_code[1] == -1  # every row stores column 1, never 0


@pytest.mark.parametrize("seed", range(5))
def test_vdm_tables_and_neighbours_equal_dense(seed):
    X, _ = categorical_data(seed, density=[0.1, 0.3, 0.6, 0.9, 0.5][seed])
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, X.shape[0])
    codes, zero_code, categories, offsets = sparse_ordinal_codes(sparse.csr_matrix(X),
                                                                 "smoten")
    codes_d, categories_d = ordinal_codes(X, range(X.shape[1]), None, "smoten", one_hot=False)
    proba = vdm_class_probabilities_csr(codes, zero_code, offsets, y, 4)
    proba_d = vdm_class_probabilities(codes_d, y, [c.size for c in categories_d], 4)
    for j, P in enumerate(proba_d):  # bit for bit
        assert proba[offsets[j]:offsets[j + 1]].tobytes() == P.tobytes()
    # the search in a subset of rows (a class), as smoten does it
    rows_c = np.flatnonzero(y != 0)
    for k in (1, 5, len(rows_c) - 1):
        queries = rng.choice(len(rows_c), 25)
        dist_d, ind_d = kneighbors_vdm(codes_d[rows_c], k, proba=proba_d, rows=queries,
                                       n_jobs=1)
        for n_jobs in (1, 2):
            dist, ind = kneighbors_vdm_csr(codes[rows_c], k, proba=proba, zero_code=zero_code,
                                           offsets=offsets, rows=queries, n_jobs=n_jobs)
            np.testing.assert_array_equal(ind, ind_d)
            assert dist.tobytes() == dist_d.tobytes()


def test_kneighbors_vdm_csr_ties_go_to_the_lower_index():
    # duplicated rows: distance 0 to each other, ties by index; self excluded
    base = np.array([[0, 1, 0], [2, 0, 0], [0, 0, 0], [1, 1, 1]])
    X = np.vstack([base, base, base])
    y = np.array([0, 1, 0, 1] * 3)
    codes, zero_code, _, offsets = sparse_ordinal_codes(sparse.csr_matrix(X), "smoten")
    codes_d, cats = ordinal_codes(X, range(3), None, "smoten", one_hot=False)
    proba = vdm_class_probabilities_csr(codes, zero_code, offsets, y, 2)
    proba_d = vdm_class_probabilities(codes_d, y, [c.size for c in cats], 2)
    dist, ind = kneighbors_vdm_csr(codes, 4, proba=proba, zero_code=zero_code, offsets=offsets)
    dist_d, ind_d = kneighbors_vdm(codes_d, 4, proba=proba_d)
    np.testing.assert_array_equal(ind, ind_d)
    np.testing.assert_array_equal(dist, dist_d)
    for i in range(X.shape[0]):
        pairs = list(zip(dist[i], ind[i]))
        assert pairs == sorted(pairs) and i not in ind[i]
        assert dist[i, 0] == 0  # a duplicate (or a row VDM cannot tell apart) comes first
    # equal distances: lower index first (rows 0 and 2 have the same VDM statistics here)
    assert ind[0].tolist() == [2, 4, 6, 8]


@pytest.mark.parametrize("seed", range(4))
def test_mode_vote_csr_equals_mode_vote(seed):
    rng = np.random.default_rng(seed)
    X, _ = categorical_data(seed, density=[0.05, 0.3, 0.7, 0.95][seed])
    M = canonical_csr(messy_csr(X, rng))
    codes, zero_code, _, _ = sparse_ordinal_codes(M, "smoten")
    codes_d = dense_codes(codes, zero_code)
    m = [2, 3, 6, 11][seed]
    voters = np.ascontiguousarray(
        np.stack([rng.choice(X.shape[0], m, replace=False) for _ in range(40)]), dtype=np.intp)
    expected = np.empty((voters.shape[0], X.shape[1]), dtype=np.int32)
    mode_vote(np.ascontiguousarray(codes_d), voters, expected, 1)
    args = (codes.indptr, codes.indices.astype(codes.indptr.dtype), codes.data, zero_code,
            voters)
    for n_jobs in (1, 2):
        ptr = np.zeros(voters.shape[0] + 1, dtype=np.int64)
        mode_vote_csr(*args, ptr, np.empty(0, np.int64), np.empty(0, np.int32), False, n_jobs)
        np.cumsum(ptr, out=ptr)
        cols = np.empty(ptr[-1], dtype=np.int64)
        out_codes = np.empty(ptr[-1], dtype=np.int32)
        mode_vote_csr(*args, ptr, cols, out_codes, True, n_jobs)
        got = sparse.csr_matrix((out_codes, cols, ptr), shape=expected.shape)
        assert got.has_canonical_format
        assert (out_codes != zero_code[cols]).all()  # the zero code is never written
        np.testing.assert_array_equal(dense_codes(got, zero_code), expected)


def test_kneighbors_vdm_csr_validates():
    codes, zero_code, _, offsets = sparse_ordinal_codes(
        sparse.csr_matrix(np.array([[0, 1], [1, 0], [2, 2]])), "smoten")
    proba = vdm_class_probabilities_csr(codes, zero_code, offsets, np.array([0, 1, 1]), 2)
    with pytest.raises(ValueError, match="k must be <= 2"):
        kneighbors_vdm_csr(codes, 3, proba=proba, zero_code=zero_code, offsets=offsets)
    with pytest.raises(ValueError, match="zero_code"):
        kneighbors_vdm_csr(codes, 1, proba=proba, zero_code=[-1, -1], offsets=offsets)
    with pytest.raises(ValueError, match="proba"):
        kneighbors_vdm_csr(codes, 1, proba=proba[1:], zero_code=zero_code, offsets=offsets)
    with pytest.raises(TypeError, match="CSR"):
        kneighbors_vdm_csr(codes.toarray(), 1, proba=proba, zero_code=zero_code,
                           offsets=offsets)


# ----------------------------------------------------------------- never densified


def test_smoten_sparse_tracemalloc_peak_far_below_dense():
    rng = np.random.default_rng(0)
    n, d = 6000, 3000  # dense: 144 MB of float64
    X = sparse.random(n, d, density=0.003, format="csr", random_state=0,
                      data_rvs=lambda m: rng.integers(1, 4, m).astype(np.float64))
    y = (np.arange(n) % 10 == 0).astype(int)
    stored = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    tracemalloc.start()
    try:
        X_res, y_res = rk.smoten(X, y, k=3, random_state=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert X_res.shape == (2 * (n - n // 10), d)
    out = X_res.data.nbytes + X_res.indices.nbytes + X_res.indptr.nbytes
    dense = n * d * 8
    assert peak < dense / 10, (peak, dense)
    assert peak < 12 * stored + 2 * out + 4 * d * 8, (peak, stored, out)


_HUGE_SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    from scipy import sparse
    import resamplekit as rk
    n, d, nnz = 200_000, 2_000_000, 400_000  # dense: 1.6 TB of float32
    rng = np.random.default_rng(0)
    X = sparse.csr_matrix((rng.integers(1, 4, nnz).astype(np.float32),
                           (rng.integers(0, n, nnz), rng.integers(0, 2000, nnz))), shape=(n, d))
    y = (np.arange(n) % 50 == 0).astype(int)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    X_res, y_res, idx = rk.smoten(X, y, k=5, random_state=0, ratio={1: 20_000},
                                  return_indices=True)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
    assert X_res.shape == (n + 16_000, d) and X_res.format == "csr", X_res.shape
    assert (X_res[:n] != X).nnz == 0 and (idx[n:] == -1).all()
    print(grown // 1024)
""")


def test_smoten_on_a_matrix_whose_dense_form_would_not_fit():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(rk.__file__))),
         os.environ.get("PYTHONPATH", "")]))
    res = subprocess.run([sys.executable, "-c", _HUGE_SCRIPT], capture_output=True, text=True,
                         env=env, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    grown_mb = int(res.stdout.split()[-1])
    assert grown_mb < 600, grown_mb  # the dense float32 form: 1,600,000 MB
