"""SMOTE family: smote, borderline_smote, svm_smote, adasyn on a seeded two-class Gaussian mix.

Data: n rows, d features, 90 % class 0 ~ N(0, I), 10 % class 1 ~ N(0.75, I) (overlapping, so
Borderline-SMOTE and ADASYN have border rows). ``ratio="auto"`` balances the classes.
The suite imports with any version of resamplekit: a missing function skips its benchmarks.
"""
import numpy as np

try:
    from resamplekit import over_sampling as _over
except ImportError:  # an old commit without the module
    _over = None

METHODS = ["smote", "borderline_smote", "svm_smote", "adasyn"]
SIZES = [1000, 10000]
DIMS = [4, 20]


def _two_class_mix(n, d, seed=0):
    rng = np.random.default_rng(seed)
    n_min = n // 10
    X = rng.standard_normal((n, d))
    X[n - n_min:] += 0.75
    y = np.zeros(n, dtype=np.intp)
    y[n - n_min:] = 1
    return X, y


class SMOTEFamily:
    params = [METHODS, SIZES, DIMS]
    param_names = ["method", "n", "d"]
    timeout = 300

    def setup_cache(self):
        return {(n, d): _two_class_mix(n, d) for n in SIZES for d in DIMS}

    def setup(self, data, method, n, d):
        self.func = getattr(_over, method, None) if _over is not None else None
        if self.func is None:
            raise NotImplementedError(f"resamplekit.over_sampling.{method} is missing")
        self.X, self.y = data[(n, d)]

    def time_resample(self, data, method, n, d):
        self.func(self.X, self.y, random_state=0)

    def peakmem_resample(self, data, method, n, d):
        self.func(self.X, self.y, random_state=0)


class SMOTEFloat32:
    """float32 stays float32 end to end (half the memory of the synthetic rows)."""

    params = [["smote", "adasyn"], [10000], [20]]
    param_names = ["method", "n", "d"]
    timeout = 300

    def setup_cache(self):
        X, y = _two_class_mix(10000, 20)
        return X.astype(np.float32), y

    def setup(self, data, method, n, d):
        self.func = getattr(_over, method, None) if _over is not None else None
        if self.func is None:
            raise NotImplementedError(f"resamplekit.over_sampling.{method} is missing")
        self.X, self.y = data

    def time_resample(self, data, method, n, d):
        self.func(self.X, self.y, random_state=0)

    def peakmem_resample(self, data, method, n, d):
        self.func(self.X, self.y, random_state=0)


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
