"""Benchmarks of the exact k-nearest-neighbour search, resamplekit._neighbors.kneighbors.

Run, for instance: asv run --python=same -b KNeighbors (from asv_bench/). The side-by-side
comparison with scikit-learn and the bare GEMM is asv_bench/compare_neighbors.py.
"""
import numpy as np

try:
    from resamplekit._neighbors import kneighbors
except ImportError:  # the suite must import with any version of the package
    kneighbors = None


def _data(n, d, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype(dtype)


class KNeighbors:
    """All-vs-all search (the cleaning rules: ENN, Tomek, NCR, AllKNN)."""

    params = [[2_000, 20_000], [4, 20, 100], [1, 5], ["float32", "float64"], [1, 2]]
    param_names = ["n", "d", "k", "dtype", "n_jobs"]
    timeout = 300

    def setup(self, n, d, k, dtype, n_jobs):
        if kneighbors is None:
            raise NotImplementedError("resamplekit._neighbors.kneighbors is not available")
        self.X = _data(n, d, dtype)

    def time_kneighbors(self, n, d, k, dtype, n_jobs):
        kneighbors(self.X, k, n_jobs=n_jobs)

    def peakmem_kneighbors(self, n, d, k, dtype, n_jobs):
        kneighbors(self.X, k, n_jobs=n_jobs)


class KNeighborsFarthest:
    """k farthest rows of the majority for minority queries (NearMiss-2)."""

    params = [[20_000], [4, 20, 100], [3], ["float32", "float64"], [1, 2]]
    param_names = ["n", "d", "k", "dtype", "n_jobs"]
    timeout = 300

    def setup(self, n, d, k, dtype, n_jobs):
        if kneighbors is None:
            raise NotImplementedError("resamplekit._neighbors.kneighbors is not available")
        self.X = _data(n, d, dtype)
        self.Y = _data(n // 10, d, dtype, seed=1)

    def time_kneighbors_farthest(self, n, d, k, dtype, n_jobs):
        kneighbors(self.X, k, Y=self.Y, farthest=True, n_jobs=n_jobs)

    def peakmem_kneighbors_farthest(self, n, d, k, dtype, n_jobs):
        kneighbors(self.X, k, Y=self.Y, farthest=True, n_jobs=n_jobs)


class KNeighborsMinority:
    """Small query sets (SMOTE-family: minority vs minority and minority vs all)."""

    params = [[1_000, 10_000], [20], [6], ["float32", "float64"], [1, 2]]
    param_names = ["n_minority", "d", "k", "dtype", "n_jobs"]
    timeout = 300

    def setup(self, n_minority, d, k, dtype, n_jobs):
        if kneighbors is None:
            raise NotImplementedError("resamplekit._neighbors.kneighbors is not available")
        self.X = _data(n_minority, d, dtype)
        self.X_all = _data(10 * n_minority, d, dtype, seed=1)

    def time_minority_vs_minority(self, n_minority, d, k, dtype, n_jobs):
        kneighbors(self.X, k, n_jobs=n_jobs)

    def time_minority_vs_all(self, n_minority, d, k, dtype, n_jobs):
        kneighbors(self.X_all, k, Y=self.X, n_jobs=n_jobs)


class KNeighborsAlgorithm:
    """Brute force against the KD-tree over d x n, to place the 'auto' crossover."""

    params = [[10_000, 50_000], [2, 4, 6, 8, 12], ["brute", "kd_tree"]]
    param_names = ["n", "d", "algorithm"]
    timeout = 300

    def setup(self, n, d, algorithm):
        if kneighbors is None:
            raise NotImplementedError("resamplekit._neighbors.kneighbors is not available")
        self.X = _data(n, d, "float64")

    def time_kneighbors(self, n, d, algorithm):
        kneighbors(self.X, 5, algorithm=algorithm)
