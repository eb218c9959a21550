"""Benchmarks of the neighbour-rule resamplers: ENN, RENN, AllKNN, NCR and NearMiss 1-3.

Data: a seeded two-class Gaussian mix, 90 % / 10 %, made once per class in ``setup_cache``.
The file imports even where a function does not exist yet: such benchmarks are skipped
(``NotImplementedError`` in ``setup``).
"""
import numpy as np

try:
    from resamplekit import cleaning as _cleaning
except ImportError:  # an older resamplekit
    _cleaning = None
try:
    from resamplekit import under_sampling as _under_sampling
except ImportError:
    _under_sampling = None

SIZES = [1000, 10000]
DIMS = [4, 20]


def _two_class_mix(n, d, seed=0):
    """90/10 Gaussian mix, minority shifted by 1 in every feature, rows shuffled."""
    rng = np.random.RandomState(seed)
    n_min = n // 10
    X = np.vstack([rng.normal(0.0, 1.0, (n - n_min, d)), rng.normal(1.0, 1.0, (n_min, d))])
    y = np.concatenate([np.ones(n - n_min, dtype=np.int64), np.zeros(n_min, dtype=np.int64)])
    perm = rng.permutation(n)
    return X[perm], y[perm]


class _Resampler:
    """One resampler, timed and memory-profiled over n x d."""

    module = None
    function = None
    kwargs = {}
    params = [SIZES, DIMS]
    param_names = ["n", "d"]
    timeout = 600

    def setup_cache(self):
        return {(n, d): _two_class_mix(n, d) for n in SIZES for d in DIMS}

    def setup(self, data, n, d):
        module = {"cleaning": _cleaning, "under_sampling": _under_sampling}[self.module]
        self.func = getattr(module, self.function, None) if module is not None else None
        if self.func is None:
            raise NotImplementedError(f"resamplekit has no {self.module}.{self.function}")
        self.X, self.y = data[(n, d)]

    def time_resample(self, data, n, d):
        self.func(self.X, self.y, **self.kwargs)

    def peakmem_resample(self, data, n, d):
        self.func(self.X, self.y, **self.kwargs)


class EditedNearestNeighbours(_Resampler):
    module, function = "cleaning", "edited_nearest_neighbours"


class EditedNearestNeighboursMode(_Resampler):
    module, function, kwargs = "cleaning", "edited_nearest_neighbours", {"kind_sel": "mode"}


class RepeatedEditedNearestNeighbours(_Resampler):
    module, function = "cleaning", "repeated_edited_nearest_neighbours"


class AllKNN(_Resampler):
    module, function = "cleaning", "all_knn"


class NeighbourhoodCleaningRule(_Resampler):
    module, function = "cleaning", "neighbourhood_cleaning_rule"


class NearMiss1(_Resampler):
    module, function, kwargs = "under_sampling", "near_miss", {"version": 1}


class NearMiss2(_Resampler):
    module, function, kwargs = "under_sampling", "near_miss", {"version": 2}


class NearMiss3(_Resampler):
    module, function, kwargs = "under_sampling", "near_miss", {"version": 3}
