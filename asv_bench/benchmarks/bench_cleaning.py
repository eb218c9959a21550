"""The neighbour-rule resamplers: ENN, RENN, AllKNN, NCR and NearMiss 1-3.

Grid: ``n`` x ``d`` x ``balance`` (``common.N_ROWS``, ``N_FEATURES``, ``BALANCES``), a seeded
subset of it per class (``RESAMPLEKIT_BENCH_FULL=1`` runs all 27). The cleaning rules search
all rows against all rows (about 3.5 s at 100,000 x 20 on 2 cores, several times that at
d = 100), so they take ``SlowCalls`` timing, and RENN and AllKNN run 100,000 rows only at d = 4.
The ``Approximate`` classes run ENN and Tomek links with ``neighbors="approximate"`` (the
``ann`` extra; skipped without faiss-cpu or on commits without the keyword) on the 20- and
100-feature cases, where a graph index is meant to pay; the exact classes are their baseline.
"""
import importlib.util
import inspect

from .common import ResamplerBenchmark, SlowCalls, cache_datasets, module_datasets


class _NeighbourRule(ResamplerBenchmark):
    def setup_cache(self):  # here, not in common.py: asv keys the cache by file and line
        return cache_datasets(module_datasets(__name__))


class EditedNearestNeighbours(SlowCalls, _NeighbourRule):
    function_name = "edited_nearest_neighbours"


class EditedNearestNeighboursMode(SlowCalls, _NeighbourRule):
    function_name = "edited_nearest_neighbours"
    kwargs = {"kind_sel": "mode"}
    num_param_combinations = 4


class RepeatedEditedNearestNeighbours(SlowCalls, _NeighbourRule):
    function_name = "repeated_edited_nearest_neighbours"
    num_param_combinations = 4
    always_run = [(1_000, 4, "binary_90_10"), (10_000, 20, "five_class"),
                  (10_000, 100, "binary_95_5"), (100_000, 4, "binary_90_10")]


class AllKNN(SlowCalls, _NeighbourRule):
    function_name = "all_knn"
    num_param_combinations = 4
    always_run = RepeatedEditedNearestNeighbours.always_run


class NeighbourhoodCleaningRule(SlowCalls, _NeighbourRule):
    function_name = "neighbourhood_cleaning_rule"


class NearMiss1(_NeighbourRule):
    """Minority queries against the other classes: under a second at 100,000 x 20."""

    function_name = "near_miss"
    kwargs = {"version": 1}
    num_param_combinations = 6


class NearMiss2(NearMiss1):
    kwargs = {"version": 2}


class NearMiss3(NearMiss1):
    kwargs = {"version": 3}


class _Approximate(SlowCalls, _NeighbourRule):
    kwargs = {"neighbors": "approximate"}
    always_run = [(10_000, 20, "five_class"), (10_000, 100, "binary_95_5"),
                  (100_000, 20, "binary_90_10")]
    num_param_combinations = 3

    def setup(self, files, *params):
        if importlib.util.find_spec("faiss") is None:
            raise NotImplementedError("the ann extra (faiss-cpu) is absent")
        super().setup(files, *params)
        if "neighbors" not in inspect.signature(self.func).parameters:
            raise NotImplementedError("this commit has no neighbors='approximate'")


class EditedNearestNeighboursApproximate(_Approximate):
    function_name = "edited_nearest_neighbours"


class TomekLinksApproximate(_Approximate):
    function_name = "tomek_links"
