"""Benchmarks of cluster_centroids' default clusterer, resamplekit._kmeans: the k-means++
seeding alone and the whole k-means (seeding and Lloyd's iterations).

Inputs: the majority rows (90 %) of the suite's binary 90/10 data sets, as cluster_centroids
clusters them. The side-by-side comparison with scikit-learn's KMeans (the same seeds, the
same centres) is asv_bench/kmeans_seeding.py; cluster_centroids itself is in
bench_condensing.py. Run, for instance: asv run --python=same -b KMeans (from asv_bench/).
"""
import numpy as np

from .common import (Dataset, LimitedParamBenchmark, SlowCalls, cache_datasets, get_function,
                     load_dataset, module_datasets)


class _KMeans(SlowCalls, LimitedParamBenchmark):
    params = [[20_000, 100_000], [20, 100], [100, 1_000]]
    param_names = ["n", "d", "clusters"]
    # the smallest case, 100,000 x 20 with 1,000 clusters (about 0.7 s of seeding on 2 cores),
    # and the same with 100 features
    always_run = [(20_000, 20, 100), (100_000, 20, 1_000), (100_000, 100, 1_000)]
    num_param_combinations = 3
    timeout = 300

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))

    @classmethod
    def dataset(cls, n, d, clusters):
        return Dataset("binary_90_10", n, d)

    def setup(self, files, n, d, clusters):
        self.skip_unselected(n, d, clusters)
        self.kmeanspp = get_function("_kmeanspp", module="resamplekit._kmeans")
        self.kmeans_centers = get_function("kmeans_centers", module="resamplekit._kmeans")
        X, y = load_dataset(files, self.dataset(n, d, clusters))
        self.X = np.ascontiguousarray(X[y == 0])
        self.Xc = np.ascontiguousarray(self.X - self.X.mean(axis=0))


class KMeansSeeding(_KMeans):
    """k-means++ with scikit-learn's draws (2 + log k candidates per seed)."""

    def time_seeding(self, files, n, d, clusters):
        self.kmeanspp(self.Xc, clusters, np.random.RandomState(0), self.Xc.dtype, 0)

    def peakmem_seeding(self, files, n, d, clusters):
        self.kmeanspp(self.Xc, clusters, np.random.RandomState(0), self.Xc.dtype, 0)


class KMeansFit(_KMeans):
    """The whole k-means: the centres of KMeans(clusters, random_state=0)."""

    def time_fit(self, files, n, d, clusters):
        self.kmeans_centers(self.X, clusters, random_state=0)

    def peakmem_fit(self, files, n, d, clusters):
        self.kmeans_centers(self.X, clusters, random_state=0)
