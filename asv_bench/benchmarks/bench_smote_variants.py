"""KMeans-SMOTE, SMOTE-NC and SMOTE-N on seeded data.

- smoten: n rows x 10 categorical features of 5 levels (strings), 80/20 (the issue's
  40,000-row case: imbalanced-learn 25 s and 1.2 GB there).
- smotenc: n rows, 5 continuous features and 5 categorical columns of 1,000 categories, 90/10
  (memory must stay proportional to the output; imbalanced-learn's dense tensor does not).
- kmeans_smote: well separated Gaussian blobs, one per class, d=20: binary 90/10 at n rows, and
  the 5-class 50,000-row case (one clustering instead of one per class).
The suite imports with any version of resamplekit: a missing function skips its benchmarks.
"""
import numpy as np

try:
    from resamplekit import over_sampling as _over
except ImportError:  # an old commit without the module
    _over = None


def _function(name):
    func = getattr(_over, name, None) if _over is not None else None
    if func is None:
        raise NotImplementedError(f"resamplekit.over_sampling.{name} is missing")
    return func


def _nominal(n, n_features=10, levels=5, minority=0.2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, n_features)).astype(str)
    y = (np.arange(n) >= n - int(n * minority)).astype(np.intp)
    return X, y


def _mixed(n, n_cont=5, n_cat=5, levels=1000, minority=0.1, seed=0):
    rng = np.random.default_rng(seed)
    X = np.empty((n, n_cont + n_cat), dtype=object)
    X[:, :n_cont] = rng.standard_normal((n, n_cont))
    X[:, n_cont:] = rng.integers(0, levels, size=(n, n_cat))
    y = (np.arange(n) >= n - int(n * minority)).astype(np.intp)
    return X, y, list(range(n_cont, n_cont + n_cat))


def _blobs(n, d, weights, seed=0):
    rng = np.random.default_rng(seed)
    counts = (np.asarray(weights) * n).astype(int)
    counts[0] += n - counts.sum()
    centers = rng.standard_normal((len(counts), d)) * 6.0
    X = np.vstack([rng.standard_normal((m, d)) + centers[c] for c, m in enumerate(counts)])
    y = np.repeat(np.arange(len(counts)), counts).astype(np.intp)
    return X, y


class SMOTEN:
    params = [[4000, 40000]]
    param_names = ["n"]
    timeout = 300

    def setup_cache(self):
        return {n: _nominal(n) for n in self.params[0]}

    def setup(self, data, n):
        self.func = _function("smoten")
        self.X, self.y = data[n]

    def time_smoten(self, data, n):
        self.func(self.X, self.y, random_state=0)

    def peakmem_smoten(self, data, n):
        self.func(self.X, self.y, random_state=0)


class SMOTENC:
    params = [[10000, 100000]]
    param_names = ["n"]
    timeout = 600

    def setup_cache(self):
        return {n: _mixed(n) for n in self.params[0]}

    def setup(self, data, n):
        self.func = _function("smotenc")
        self.X, self.y, self.cat = data[n]

    def time_smotenc(self, data, n):
        self.func(self.X, self.y, categorical_features=self.cat, random_state=0)

    def peakmem_smotenc(self, data, n):
        self.func(self.X, self.y, categorical_features=self.cat, random_state=0)


class KMeansSMOTE:
    params = [[1000, 10000], [20]]
    param_names = ["n", "d"]
    timeout = 300

    def setup_cache(self):
        return {n: _blobs(n, 20, [0.9, 0.1]) for n in self.params[0]}

    def setup(self, data, n, d):
        self.func = _function("kmeans_smote")
        self.X, self.y = data[n]

    def time_kmeans_smote(self, data, n, d):
        self.func(self.X, self.y, random_state=0)

    def peakmem_kmeans_smote(self, data, n, d):
        self.func(self.X, self.y, random_state=0)


class KMeansSMOTEMulticlass:
    """The issue's 5-class 50,000-row case."""

    timeout = 600

    def setup_cache(self):
        return _blobs(50000, 20, [0.5, 0.2, 0.15, 0.1, 0.05])

    def setup(self, data):
        self.func = _function("kmeans_smote")
        self.X, self.y = data

    def time_kmeans_smote(self, data):
        self.func(self.X, self.y, random_state=0)

    def peakmem_kmeans_smote(self, data):
        self.func(self.X, self.y, random_state=0)
