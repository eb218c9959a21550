"""SMOTE family: smote, borderline_smote, svm_smote and adasyn over ``n`` x ``d`` x ``balance``,
float32 end to end, and the synthesis kernel alone.

``ratio="auto"`` balances the classes (at 90/10 the output has 1.8 n rows). SMOTE, Borderline
SMOTE and ADASYN take well under a second at 100,000 x 20 on 2 cores; SVM-SMOTE fits an SVC
on all rows (quadratic or worse in n), so it runs at most 10,000 rows.
"""
import numpy as np

from .common import (BALANCES, N_FEATURES, Dataset, ResamplerBenchmark, SlowCalls,
                     cache_datasets, module_datasets)


class _Oversampling(ResamplerBenchmark):
    kwargs = {"random_state": 0}
    num_param_combinations = 6

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class SMOTE(_Oversampling):
    function_name = "smote"


class BorderlineSMOTE(_Oversampling):
    function_name = "borderline_smote"


class ADASYN(_Oversampling):
    function_name = "adasyn"


class SVMSMOTE(SlowCalls, _Oversampling):
    function_name = "svm_smote"
    params = [[1_000, 10_000], N_FEATURES, BALANCES]
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "binary_90_10"),
                  (1_000, 100, "five_class")]
    num_param_combinations = 3
    timeout = 300


class SMOTEFloat32(_Oversampling):
    """float32 stays float32 end to end (half the memory of the synthetic rows)."""

    params = [["smote", "adasyn"], [10_000, 100_000], [20]]
    param_names = ["method", "n", "d"]
    always_run = [("smote", 10_000, 20), ("smote", 100_000, 20), ("adasyn", 10_000, 20)]
    num_param_combinations = 3

    @classmethod
    def dataset(cls, method, n, d):
        return Dataset("binary_90_10", n, d, "float32")

    def setup(self, files, method, n, d):
        self.function_name = method
        super().setup(files, method, n, d)


class SynthesisKernel:
    """The interpolation kernel alone: n_new new rows of d features."""

    params = [[100000, 1000000], [4, 20], ["float32", "float64"]]
    param_names = ["n_new", "d", "dtype"]

    def setup(self, n_new, d, dtype):
        try:
            from resamplekit._kernels._smote import interpolate
        except ImportError:
            raise NotImplementedError("resamplekit._kernels._smote is missing")
        self.interpolate = interpolate
        rng = np.random.default_rng(0)
        self.X = rng.standard_normal((10000, d)).astype(dtype)
        self.rows = rng.integers(0, 10000, n_new).astype(np.intp)
        self.nbrs = rng.integers(0, 10000, n_new).astype(np.intp)
        self.gaps = rng.uniform(size=n_new)
        self.out = np.ones((n_new, d), dtype=dtype)  # touched, so page faults are not timed

    def time_interpolate(self, n_new, d, dtype):
        self.interpolate(self.X, self.rows, self.X, self.nbrs, self.gaps, self.out, 1)
