"""Seeded sparse data sets like text (TF-IDF) features, for the sparse benchmarks.

:func:`make_sparse_dataset` draws each row as a "document": its length in tokens from a
Zipf-like (discrete Pareto) law, each token's column from a Zipf law over the columns (a few
columns are very frequent, most are rare, as words), then the term counts become TF-IDF-like
values (``1 + log(count)``, rows scaled to unit norm, as scikit-learn's ``TfidfVectorizer``
with ``sublinear_tf=True`` does before the idf weights, which change nothing here). Labels are
90/10 (or as given) and independent of the rows. NumPy and scipy only; memory about 40 bytes
per token drawn (a few times the matrix), never a dense row block.

Example: ``X, y = make_sparse_dataset(100_000, 200_000)`` gives about 50 non-zeros a row
(5 million in all, 60 MB of CSR storage), the issue-14 workload.
"""
import numpy as np

__all__ = ["SPARSE_SHAPES", "make_sparse_dataset"]

# The sparse workloads of issue 14: (rows, columns, mean non-zeros per row).
SPARSE_SHAPES = {
    "100k_x_200k": (100_000, 200_000, 50),
    "20k_x_1M": (20_000, 1_000_000, 50),
}

# Tokens drawn per requested non-zero: repeated tokens of frequent columns become one entry
# (calibrated for the default Zipf exponent: about 50 non-zeros a row at nnz_per_row=50).
_TOKENS_PER_NONZERO = 1.35


def make_sparse_dataset(n, d, nnz_per_row=50, weights=(0.9, 0.1), dtype=np.float64, seed=0,
                        zipf_exponent=1.1, length_exponent=2.5):
    """A seeded, imbalanced, text-like sparse data set (see the module docstring).

    Parameters
    ----------
    n, d : int
        Rows and columns.
    nnz_per_row : float, default=50
        About the mean number of non-zeros a row (row lengths vary with a heavy tail).
    weights : tuple of float, default=(0.9, 0.1)
        Class proportions; class 0 is the majority, labels drawn independently of the rows.
    dtype : {np.float64, np.float32}, default=np.float64
    seed : int, default=0
    zipf_exponent : float, default=1.1
        Exponent of the columns' frequencies (rank r has probability proportional to
        ``(r + 1) ** -zipf_exponent``); columns are ranked in a random order.
    length_exponent : float, default=2.5
        Tail exponent of the row lengths (a discrete Pareto law, rescaled to the mean).

    Returns
    -------
    X : scipy.sparse.csr_matrix of shape (n, d)
        Canonical CSR (sorted indices, no duplicates), every row non-empty, unit-norm rows.
    y : ndarray of shape (n,), int64
    """
    from scipy import sparse

    rng = np.random.default_rng(seed)
    mean_tokens = nnz_per_row * _TOKENS_PER_NONZERO
    # Pareto (Lomax + 1) lengths with mean mean_tokens: x_m a / (a - 1) = mean
    a = length_exponent
    x_m = mean_tokens * (a - 1) / a
    lengths = np.maximum(1, np.round(x_m * (1.0 + rng.pareto(a, n)))).astype(np.int64)
    lengths = np.minimum(lengths, 20 * int(mean_tokens) + 1)
    p = (np.arange(1, d + 1, dtype=np.float64)) ** -zipf_exponent
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    rank_to_col = rng.permutation(d).astype(np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    ranks = np.searchsorted(cdf, rng.random(rows.size), side="right")
    ranks = np.minimum(ranks, d - 1)
    keys = rows * d + rank_to_col[ranks]
    del rows, ranks
    keys, counts = np.unique(keys, return_counts=True)
    rows, cols = np.divmod(keys, d)
    del keys
    values = 1.0 + np.log(counts)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    norms = np.sqrt(np.add.reduceat(values * values, indptr[:-1]))
    values /= np.repeat(norms, np.diff(indptr))
    X = sparse.csr_matrix((values.astype(dtype), cols, indptr), shape=(n, d))
    X.has_canonical_format = True
    labels = np.repeat(np.arange(len(weights)), np.round(np.asarray(weights) * n).astype(int))
    labels = np.resize(labels, n)
    y = rng.permutation(labels).astype(np.int64)
    return X, y
