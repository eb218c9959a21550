"""KMeans-SMOTE, SMOTE-NC and SMOTE-N over ``n`` x ``d`` x ``balance``.

- kmeans_smote: the numeric data sets, ``cluster_balance_threshold=0.1`` (as compare.py: the
  blobs overlap, so with the default of 0.5 some binary cases have no qualifying cluster); the
  five-class cases cluster once for all four minority classes.
- smotenc: the numeric data sets with their last ``max(1, d // 4)`` columns cut at quantiles
  into ``levels`` categories (4, or 1,000: memory must stay proportional to the output, where
  imbalanced-learn's dense one-hot tensor does not).
- smoten: every column cut into 5 categories (int64 codes).
"""
from .common import (BALANCES, N_FEATURES, N_ROWS, Dataset, ResamplerBenchmark, SlowCalls,
                     cache_datasets, module_datasets)


class _Variant(SlowCalls, ResamplerBenchmark):
    kwargs = {"random_state": 0}
    num_param_combinations = 5
    timeout = 300

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class KMeansSMOTE(_Variant):
    function_name = "kmeans_smote"
    kwargs = {"cluster_balance_threshold": 0.1, "random_state": 0}
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "binary_90_10"),
                  (100_000, 20, "five_class"), (10_000, 100, "binary_95_5")]


class SMOTEN(_Variant):
    function_name = "smoten"

    @classmethod
    def dataset(cls, n, d, balance):
        return Dataset(balance, n, d, "int64", n_categorical=d, levels=5)


class SMOTENC(_Variant):
    function_name = "smotenc"
    params = [N_ROWS, N_FEATURES, BALANCES, [4, 1_000]]
    param_names = ["n", "d", "balance", "levels"]
    always_run = [(1_000, 4, "binary_90_10", 4), (10_000, 20, "five_class", 4),
                  (100_000, 20, "binary_90_10", 4), (10_000, 20, "binary_90_10", 1_000)]

    @staticmethod
    def n_categorical(d):
        return max(1, d // 4)  # compare.py's SMOTENC columns

    @classmethod
    def dataset(cls, n, d, balance, levels):
        return Dataset(balance, n, d, n_categorical=cls.n_categorical(d), levels=levels)

    def call_kwargs(self, n, d, balance, levels):
        columns = list(range(d - self.n_categorical(d), d))
        return {**self.kwargs, "categorical_features": columns}
