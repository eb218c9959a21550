"""Benchmarks of the exact neighbour search on sparse (CSR) input, kneighbors (issue 14).

Run, for instance: asv run --python=same -b SparseKNeighbors (from asv_bench/). The side-by-side
comparison with scikit-learn is asv_bench/compare_sparse_neighbors.py.

Inputs: the text-like data sets of ``sparse_data.make_sparse_dataset`` (``SPARSE_SHAPES``:
100,000 x 200,000 and 20,000 x 1,000,000, about 50 non-zeros a row, Zipf-like row lengths and
column frequencies, 90/10 labels), written as .npz in ``setup_cache``. Queries: the minority
rows among themselves (SMOTE's search), the minority rows against all rows (``rows=``), or every
row (the cleaning rules; slow: minutes on 100,000 rows).
"""
import os

import numpy as np

from .common import SlowCalls, get_function, thread_limit
from .sparse_data import SPARSE_SHAPES, make_sparse_dataset


class _Sparse(SlowCalls):
    timeout = 1800

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        from scipy import sparse

        files = {}
        for name, (n, d, nnz) in SPARSE_SHAPES.items():
            stem = f"sparse_{name}"
            if not os.path.exists(stem + "_X.npz"):
                X, y = make_sparse_dataset(n, d, nnz)
                sparse.save_npz(stem + "_X.npz", X, compressed=False)
                np.save(stem + "_y.npy", y)
            files[name] = stem
        return files

    def load(self, files, shape):
        from scipy import sparse

        self.kneighbors = get_function("kneighbors", module="resamplekit._neighbors")
        X = sparse.load_npz(files[shape] + "_X.npz").tocsr()
        y = np.load(files[shape] + "_y.npy")
        return X, y == 1


class SparseKNeighbors(_Sparse):
    """k = 5 nearest rows of sparse data, 1 and 2 threads."""

    params = [list(SPARSE_SHAPES), ["minority", "minority_vs_all", "all"], [1, 2]]
    param_names = ["shape", "queries", "n_jobs"]

    def setup(self, files, shape, queries, n_jobs):
        X, minority = self.load(files, shape)
        if queries == "minority":
            self.args = (X[minority],)
            self.kwargs = {}
        elif queries == "minority_vs_all":
            self.args = (X,)
            self.kwargs = {"rows": np.flatnonzero(minority)}
        else:
            self.args = (X,)
            self.kwargs = {}
        try:
            self.kneighbors(X[:50], 2)  # imports and first call, untimed
        except TypeError:  # a commit whose kneighbors refuses sparse input
            raise NotImplementedError("kneighbors does not take sparse input") from None

    def time_kneighbors(self, files, shape, queries, n_jobs):
        with thread_limit(n_jobs):
            self.kneighbors(*self.args, 5, n_jobs=n_jobs, **self.kwargs)

    def peakmem_kneighbors(self, files, shape, queries, n_jobs):
        with thread_limit(n_jobs):
            self.kneighbors(*self.args, 5, n_jobs=n_jobs, **self.kwargs)
