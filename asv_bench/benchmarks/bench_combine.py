"""The combinations: smote_tomek and smote_enn over ``n`` x ``d`` x ``balance``.

SMOTE first, then an all-rows neighbour rule on its output (1.8 n rows at 90/10), so a call
costs a little more than Tomek links or ENN on 1.8 n rows.
"""
from .common import ResamplerBenchmark, SlowCalls, cache_datasets, module_datasets


class _Combination(SlowCalls, ResamplerBenchmark):
    kwargs = {"random_state": 0}
    num_param_combinations = 4

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class SMOTETomek(_Combination):
    function_name = "smote_tomek"


class SMOTEENN(_Combination):
    function_name = "smote_enn"
