"""Tomek links, condensed nearest neighbour, one-sided selection, cluster centroids and instance
hardness threshold: time and peak memory over ``n`` x ``d`` x ``balance``.

Tomek links and OSS search all rows against all rows (about 3.5 s at 100,000 x 20 on 2 cores).
CNN scans the majority against a growing store (25 ms at 10,000 x 20). The estimator-based
methods are slower and run at most 10,000 rows, in fixed subsets without random draws: cluster
centroids clusters each majority class into as many clusters as the minority has rows (KMeans
with 10,000 clusters at 100,000 rows), and instance hardness fits five random forests of 100
trees (7 s at 10,000 x 20 on 2 cores).
"""
from .common import (BALANCES, N_FEATURES, ResamplerBenchmark, SlowCalls, cache_datasets,
                     module_datasets)

class _Condensing(SlowCalls, ResamplerBenchmark):
    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class TomekLinks(_Condensing):
    function_name = "tomek_links"


class OneSidedSelection(_Condensing):
    function_name = "one_sided_selection"
    kwargs = {"random_state": 0}


class CondensedNearestNeighbour(_Condensing):
    function_name = "condensed_nearest_neighbour"
    kwargs = {"random_state": 0}
    timeout = 300


class ClusterCentroids(_Condensing):
    function_name = "cluster_centroids"
    kwargs = {"random_state": 0}
    params = [[1_000, 10_000], N_FEATURES, BALANCES]
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "binary_95_5"),
                  (1_000, 100, "five_class")]
    num_param_combinations = 3
    timeout = 300


class ClusterCentroidsHard(ClusterCentroids):
    kwargs = {"random_state": 0, "voting": "hard"}


class InstanceHardnessThreshold(_Condensing):
    function_name = "instance_hardness_threshold"
    kwargs = {"random_state": 0}
    params = ClusterCentroids.params
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "binary_90_10"),
                  (1_000, 100, "five_class")]
    num_param_combinations = 3
    timeout = 300
