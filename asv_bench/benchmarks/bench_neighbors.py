"""Benchmarks of the exact k-nearest-neighbour search, resamplekit._neighbors.kneighbors.

Run, for instance: asv run --python=same -b KNeighbors (from asv_bench/). The side-by-side
comparison with scikit-learn and the bare GEMM is asv_bench/compare_neighbors.py.

Inputs are the suite's binary 90/10 data sets (``common.make_dataset``), written in
``setup_cache``: all rows, or the minority rows (10 %) as queries against all rows or against
the majority rows.

Each class runs a fixed subset of its grid (``common.LimitedParamBenchmark``: the cases in
``always_run`` plus seeded draws up to ``num_param_combinations``; ``RESAMPLEKIT_BENCH_FULL=1``
runs all 98 combinations). The ``always_run`` cases pair the values of each parameter with
everything else equal (n, d, k, float32/float64, 1/2 threads, nearest/farthest, brute/KD-tree),
so every comparison the grid exists for is in the default run. CI's smoke run
(``.ci/run``) matches ``KNeighborsMinority``, whose selected cases include the smallest.
"""
import functools

from .common import (Dataset, LimitedParamBenchmark, SlowCalls, cache_datasets, get_function,
                     load_dataset, module_datasets)


class _Kernel(LimitedParamBenchmark):
    timeout = 300

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))

    def override(self, module, values):
        """Set module attributes for this benchmark; teardown puts the old values back."""
        self._saved = (module, {name: getattr(module, name) for name in values})
        for name, value in values.items():
            setattr(module, name, value)

    def teardown(self, *params):
        module, saved = getattr(self, "_saved", (None, {}))
        for name, value in saved.items():
            setattr(module, name, value)
        self._saved = (None, {})

    def load(self, files, *params):
        """kneighbors (skip on commits without it, and combinations outside the subset), and X
        and the minority mask of the data set of ``params``."""
        self.skip_unselected(*params)
        self.kneighbors = get_function("kneighbors", module="resamplekit._neighbors")
        X, y = load_dataset(files, self.dataset(*params))
        return X, y == 1


class KNeighbors(_Kernel):
    """All-vs-all search (the cleaning rules: ENN, Tomek, NCR, AllKNN)."""

    params = [[2_000, 20_000], [4, 20, 100], [1, 5], ["float32", "float64"], [1, 2]]
    param_names = ["n", "d", "k", "dtype", "n_jobs"]
    # 12 of 48: the smallest case, then cases around 20,000 x 20, k = 5, float64, one thread
    # that change one parameter each (threads, dtype, k, n; d = 4 and 100 with both thread
    # counts), and 2 seeded draws.
    always_run = [(2_000, 4, 5, "float64", 1),
                  (20_000, 20, 5, "float64", 1), (20_000, 20, 5, "float64", 2),
                  (20_000, 20, 5, "float32", 1), (20_000, 20, 1, "float64", 1),
                  (2_000, 20, 5, "float64", 1),
                  (20_000, 4, 5, "float64", 1), (20_000, 4, 5, "float64", 2),
                  (20_000, 100, 5, "float64", 1), (20_000, 100, 5, "float64", 2)]
    num_param_combinations = 12

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
    # 5 of 12: 20,000 x 20 float64 with 1 and 2 threads (KNeighbors has the nearest-row pair),
    # float32, and d = 4 and 100.
    always_run = [(20_000, 20, 3, "float64", 1), (20_000, 20, 3, "float64", 2),
                  (20_000, 20, 3, "float32", 1), (20_000, 4, 3, "float64", 1),
                  (20_000, 100, 3, "float64", 1)]
    num_param_combinations = 5
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
    # 4 of 8: the smoke case (CI's --bench matches this class), 10,000 with 1 and 2 threads,
    # and float32.
    always_run = [(1_000, 20, 6, "float64", 1), (10_000, 20, 6, "float64", 1),
                  (10_000, 20, 6, "float64", 2), (10_000, 20, 6, "float32", 1)]
    num_param_combinations = 4

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
    # 12 of 20, in brute/KD-tree pairs (a single side compares nothing): n = 50,000 at
    # d = 2, 4, 8, 12 (where the crossover lies) and n = 10,000 at d = 4 and 8.
    always_run = [(n, d, a) for n, ds in ((50_000, (2, 4, 8, 12)), (10_000, (4, 8)))
                  for d in ds for a in ("brute", "kd_tree")]
    num_param_combinations = 12

    @classmethod
    def dataset(cls, n, d, algorithm):
        return Dataset("binary_90_10", n, d)

    def setup(self, files, n, d, algorithm):
        self.X, _ = self.load(files, n, d, algorithm)

    def time_kneighbors(self, files, n, d, algorithm):
        self.kneighbors(self.X, 5, algorithm=algorithm)


class KNeighborsPruning(SlowCalls, _Kernel):
    """The search with pruning by principal projections ('auto') against the same search with
    pruning switched off, on 100,000 rows: every row's 4 nearest (AllKNN, ENN) and the 10,000
    minority rows' 11 nearest among all rows (Borderline-SMOTE, ADASYN)."""

    params = [[6, 20], ["auto", "off"]]
    param_names = ["d", "pruning"]
    always_run = [(6, "auto"), (6, "off"), (20, "auto"), (20, "off")]
    num_param_combinations = 4

    @classmethod
    def dataset(cls, d, pruning):
        return Dataset("binary_90_10", 100_000, d)

    def setup(self, files, d, pruning):
        self.X, minority = self.load(files, d, pruning)
        self.Y = self.X[minority]
        if pruning == "off":
            import resamplekit._neighbors as nb

            if hasattr(nb, "SearchPlan"):  # a plan= keyword: switch pruning off through it
                self.kneighbors = functools.partial(self.kneighbors, plan={"prune": False})
                return
            if not hasattr(nb, "_PRUNE_MIN_PAIRS"):
                raise NotImplementedError("this commit does not prune")
            names = [n for n in ("_PRUNE_MIN_PAIRS", "_PRUNE_MIN_PAIRS_SELF") if hasattr(nb, n)]
            self.override(nb, dict.fromkeys(names, float("inf")))

    def time_all_rows(self, files, d, pruning):
        self.kneighbors(self.X, 4)

    def time_minority_vs_all(self, files, d, pruning):
        self.kneighbors(self.X, 11, Y=self.Y)


class KNeighborsScan(_Kernel):
    """The float32 candidate scan of the tiled kernel: fused (registers, AVX-512F or AVX2 with
    FMA) against GEMM
    tiles (sgemm), on 20,000 rows, pruning and the symmetric kernel switched off so that both
    sides scan every pair: every row's 5 nearest, and the minority rows among all rows."""

    params = [[4, 20, 100], ["fused", "gemm"]]
    param_names = ["d", "scan"]
    always_run = [(d, s) for d in (4, 20, 100) for s in ("fused", "gemm")]
    num_param_combinations = 6

    @classmethod
    def dataset(cls, d, scan):
        return Dataset("binary_90_10", 20_000, d)

    def setup(self, files, d, scan):
        self.X, minority = self.load(files, d, scan)
        self.Y = self.X[minority]
        import resamplekit._neighbors as nb

        if scan == "fused" and not nb._knn.fused_scan_available():
            raise NotImplementedError("this CPU has no fused scan (AVX-512F, or AVX2 and FMA)")
        if hasattr(nb, "SearchPlan"):  # a plan= keyword: the tiled kernel, unpruned
            self.kneighbors = functools.partial(
                self.kneighbors,
                plan={"kernel": "brute", "prune": False, "fused": scan == "fused"})
            return
        if not hasattr(nb, "_FUSED_SCAN"):
            raise NotImplementedError("this commit has no fused scan")
        self.override(nb, {"_FUSED_SCAN": scan == "fused", "_SYMMETRIC_MIN_ROWS": 10**12,
                           "_PRUNE_MIN_ROWS": 10**12, "_KD_TREE_RULES": ()})

    def time_all_rows(self, files, d, scan):
        self.kneighbors(self.X, 5)

    def time_minority_vs_all(self, files, d, scan):
        self.kneighbors(self.X, 5, Y=self.Y)
