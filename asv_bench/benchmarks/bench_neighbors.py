"""Benchmarks of the exact k-nearest-neighbour search, resamplekit._neighbors.kneighbors.

Run, for instance: asv run --python=same -b KNeighbors (from asv_bench/). The side-by-side
comparison with scikit-learn and the bare GEMM is asv_bench/compare_neighbors.py.

Inputs are the suite's binary 90/10 data sets (``common.make_dataset``), written in
``setup_cache``: all rows, or the minority rows (10 %) as queries against all rows or against
the majority rows.
"""
from .common import Dataset, cache_datasets, get_function, load_dataset, module_datasets


class _Kernel:
    timeout = 300

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))

    def load(self, files, *params):
        """kneighbors (skip on commits without it), and X and the minority mask of the data
        set of ``params``."""
        self.kneighbors = get_function("kneighbors", module="resamplekit._neighbors")
        X, y = load_dataset(files, self.dataset(*params))
        return X, y == 1


class KNeighbors(_Kernel):
    """All-vs-all search (the cleaning rules: ENN, Tomek, NCR, AllKNN)."""

    params = [[2_000, 20_000], [4, 20, 100], [1, 5], ["float32", "float64"], [1, 2]]
    param_names = ["n", "d", "k", "dtype", "n_jobs"]

    @classmethod
    def dataset(cls, n, d, k, dtype, n_jobs):
        return Dataset("binary_90_10", n, d, dtype)

    def setup(self, files, n, d, k, dtype, n_jobs):
        self.X, _ = self.load(files, n, d, k, dtype, n_jobs)

    def time_kneighbors(self, files, n, d, k, dtype, n_jobs):
        self.kneighbors(self.X, k, n_jobs=n_jobs)

    def peakmem_kneighbors(self, files, n, d, k, dtype, n_jobs):
        self.kneighbors(self.X, k, n_jobs=n_jobs)


class KNeighborsFarthest(_Kernel):
    """k farthest majority rows for the minority rows as queries (NearMiss-2)."""

    params = [[20_000], [4, 20, 100], [3], ["float32", "float64"], [1, 2]]
    param_names = ["n", "d", "k", "dtype", "n_jobs"]
    dataset = KNeighbors.dataset

    def setup(self, files, n, d, k, dtype, n_jobs):
        X, minority = self.load(files, n, d, k, dtype, n_jobs)
        self.X, self.Y = X[~minority], X[minority]

    def time_kneighbors_farthest(self, files, n, d, k, dtype, n_jobs):
        self.kneighbors(self.X, k, Y=self.Y, farthest=True, n_jobs=n_jobs)

    def peakmem_kneighbors_farthest(self, files, n, d, k, dtype, n_jobs):
        self.kneighbors(self.X, k, Y=self.Y, farthest=True, n_jobs=n_jobs)


class KNeighborsMinority(_Kernel):
    """Small query sets (SMOTE family): the minority rows against themselves and against all
    10 x n_minority rows."""

    params = [[1_000, 10_000], [20], [6], ["float32", "float64"], [1, 2]]
    param_names = ["n_minority", "d", "k", "dtype", "n_jobs"]

    @classmethod
    def dataset(cls, n_minority, d, k, dtype, n_jobs):
        return Dataset("binary_90_10", 10 * n_minority, d, dtype)

    def setup(self, files, n_minority, d, k, dtype, n_jobs):
        self.X_all, minority = self.load(files, n_minority, d, k, dtype, n_jobs)
        self.X = self.X_all[minority]

    def time_minority_vs_minority(self, files, n_minority, d, k, dtype, n_jobs):
        self.kneighbors(self.X, k, n_jobs=n_jobs)

    def time_minority_vs_all(self, files, n_minority, d, k, dtype, n_jobs):
        self.kneighbors(self.X_all, k, Y=self.X, n_jobs=n_jobs)


class KNeighborsAlgorithm(_Kernel):
    """Brute force against the KD-tree over d x n, to place the 'auto' crossover."""

    params = [[10_000, 50_000], [2, 4, 6, 8, 12], ["brute", "kd_tree"]]
    param_names = ["n", "d", "algorithm"]

    @classmethod
    def dataset(cls, n, d, algorithm):
        return Dataset("binary_90_10", n, d)

    def setup(self, files, n, d, algorithm):
        self.X, _ = self.load(files, n, d, algorithm)

    def time_kneighbors(self, files, n, d, algorithm):
        self.kneighbors(self.X, 5, algorithm=algorithm)
