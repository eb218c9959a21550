"""Tomek links, condensed nearest neighbour, one-sided selection, cluster centroids and
instance hardness threshold: time and peak memory, by rows n and features d.

Data: a seeded two-class Gaussian mixture (90/10, means 1 apart in every feature), built once
in setup_cache. A benchmark whose function is missing in the measured version is skipped
(NotImplementedError in setup), so the suite imports with any version of resamplekit.
"""
import numpy as np

try:
    from resamplekit import cleaning
except ImportError:  # an older version without the module
    cleaning = None
try:
    from resamplekit import under_sampling
except ImportError:
    under_sampling = None

N = [1000, 10000]
D = [4, 20]


def mixture(n, d, seed=0):
    rng = np.random.default_rng(seed)
    n_min = n // 10
    X = np.concatenate([rng.normal(0.0, 1.0, (n - n_min, d)), rng.normal(1.0, 1.0, (n_min, d))])
    y = np.repeat([0, 1], [n - n_min, n_min])
    perm = rng.permutation(n)
    return X[perm], y[perm]


class _Condensing:
    module = None
    name = None
    kwargs = {}
    params = [N, D]
    param_names = ["n", "d"]
    timeout = 600

    def setup_cache(self):
        return {(n, d): mixture(n, d) for n in N for d in D}

    def setup(self, data, n, d):
        module = globals()[self.module]
        self.func = getattr(module, self.name, None) if module is not None else None
        if self.func is None:
            raise NotImplementedError(f"resamplekit has no {self.module}.{self.name}")
        self.X, self.y = data[(n, d)]

    def time_resample(self, data, n, d):
        self.func(self.X, self.y, **self.kwargs)

    def peakmem_resample(self, data, n, d):
        self.func(self.X, self.y, **self.kwargs)


class TomekLinks(_Condensing):
    module, name = "cleaning", "tomek_links"


class CondensedNearestNeighbour(_Condensing):
    module, name = "cleaning", "condensed_nearest_neighbour"
    kwargs = {"random_state": 0}


class OneSidedSelection(_Condensing):
    module, name = "cleaning", "one_sided_selection"
    kwargs = {"random_state": 0}


class ClusterCentroids(_Condensing):
    module, name = "under_sampling", "cluster_centroids"
    kwargs = {"random_state": 0}


class ClusterCentroidsHard(_Condensing):
    module, name = "under_sampling", "cluster_centroids"
    kwargs = {"random_state": 0, "voting": "hard"}


class InstanceHardnessThreshold(_Condensing):
    module, name = "under_sampling", "instance_hardness_threshold"
    kwargs = {"random_state": 0}
