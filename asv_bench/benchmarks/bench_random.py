"""Random under- and over-sampling: ``random_under`` and ``random_over``.

Both only select rows (O(n) draws plus one gather), so these benchmarks track the overhead of
validation, the ratio resolver and the output copy. Inputs are written in ``setup_cache`` and read
back in ``setup``, so ``peakmem_`` measures the input plus what the method allocates.
"""
from .common import cache_datasets, get_function, load_dataset

_N = [1_000, 100_000, 1_000_000]
_D = [4, 20]


class _RandomSampler:
    function_name = None
    params = [_N, _D]
    param_names = ["n", "d"]
    timeout = 120

    def setup_cache(self):
        # Defined once here, so both classes share one cache (asv keys it by source line).
        return cache_datasets([("binary_90_10", n, d, "float64") for n in _N for d in _D])

    def setup(self, files, n, d):
        self.func = get_function(self.function_name)
        self.X, self.y = load_dataset(files, "binary_90_10", n, d)

    def time_resample(self, files, n, d):
        self.func(self.X, self.y, random_state=0)

    def peakmem_resample(self, files, n, d):
        self.func(self.X, self.y, random_state=0)


class RandomUnder(_RandomSampler):
    """``random_under`` on binary 90/10 data: keeps 2 x 10 % of the rows."""

    function_name = "random_under"


class RandomOver(_RandomSampler):
    """``random_over`` on binary 90/10 data: draws 80 % of n new minority rows."""

    function_name = "random_over"
