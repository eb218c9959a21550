"""Random under- and over-sampling: ``random_under`` and ``random_over``.

Both only select rows (O(n) draws plus one gather), so these benchmarks track the overhead of
validation, the ratio resolver and the output copy: milliseconds even at 100,000 x 100, so
asv's default timing and 10 of the 27 combinations of ``n`` x ``d`` x ``balance``.
"""
from .common import ResamplerBenchmark, cache_datasets, module_datasets


class _RandomSampler(ResamplerBenchmark):
    kwargs = {"random_state": 0}
    num_param_combinations = 10
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "five_class"),
                  (100_000, 20, "binary_90_10"), (100_000, 100, "binary_95_5")]
    timeout = 60

    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class RandomUnder(_RandomSampler):
    """``random_under``: at 90/10 keeps 2 x 10 % of the rows."""

    function_name = "random_under"


class RandomOver(_RandomSampler):
    """``random_over``: at 90/10 draws 80 % of n new minority rows."""

    function_name = "random_over"
