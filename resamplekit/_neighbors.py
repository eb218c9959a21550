"""The one neighbour search of resamplekit.

Every sampler gets its neighbours from :func:`kneighbors`, in three steps:

1. validate (``_validate``): the arrays, ``k``, the queries, the keywords; sparse input is
   refused; the data's largest magnitude is measured on the way (no copy);
2. plan (:func:`plan_search`, a pure function of shapes, dtype, threads and the keywords): a
   frozen :class:`SearchPlan` says which kernel runs, in which scan precision, with which
   chunks, threads and pruning limit. Every constant the planner uses lives in
   :class:`Tuning` (``TUNING``), each with the measurement that set it;
3. run (``_run``): the kernels, then the checks of the answer (indices in range, distances
   that float64 resolves).

The kernels:

- brute force (``resamplekit._kernels._knn.knn_brute``): candidates from chunked float32 GEMMs
  (for float64 data too) with the selection fused into the tile pass, inside a window that
  provably holds the exact answer, then exact float64 re-ranking. When a sample of queries
  shows it pays, rows and queries are ordered so that their chunks are compact boxes in the
  projections on the data's three principal axes, and the kernel skips, per query, the chunks
  of rows whose box is too far from it (same results). For the
  self-query of all rows otherwise, ``_knn.knn_brute_sym`` computes each tile of the symmetric
  matrix once and feeds it to both of its row blocks (half the GEMM work, same results);
- a KD-tree (``scipy.spatial.cKDTree``) for low-dimensional data with many rows, whose candidate
  lists are re-ranked exactly (``_knn.rerank_candidates``); rows whose ties reach the end of
  their candidate list go to the brute-force kernel.

Sparse input. scipy.sparse X or Y (matrices or arrays; CSR and CSC, other formats converted
once to CSR) take their own exact search, never a dense copy (``_sparse_kneighbors``): canonical
float64 CSR copies where needed (sorted, duplicates summed as scipy does; the caller's matrix
is never modified), then ``resamplekit._kernels._sparse_knn.kneighbors_csr``, OpenMP over
chunks of queries: per query, dot products over the column posting lists of X (the columns most
rows and queries share multiplied as a dense float32 block by SGEMM instead; a query using one
of them sums all its products in float32 and scans every row once), rows sharing no column with
the query walked in norm order, candidates in a provable window above the k-th
key re-ranked by their exact float64 distance (a merge of the two sorted rows). Same tie, self
and exactness rules, and the same answer as on the dense form, bit for bit. X's rows are
searched a block at a time (at most ``_SPARSE_BLOCK_VALUES`` = 2**21 stored values a block),
the queries a block at a time too, and the blocks' k-lists merged by (distance, index): the
caller's arrays are read as they are (int32 or int64 indices, any numeric dtype; a canonical
copy only for unsorted or duplicate entries) and only a block is converted to float64/intp.
Peak extra memory: about 100 bytes per stored value of a block (its copy and norms, its column
ids and column lists, the dense block of its frequent columns, the query block's copy): about
200 MB at most, whatever the size of X, plus the n_queries x k answer and, per thread, 33 bytes
per row of a block plus an 8 MB tile: nothing of size n_features, no n x n or n_queries x n
block. ``_sparse_kneighbors_reference`` (NumPy and
scipy, the tests' second implementation) gives the same answer.

Scale. The float32 scan holds data whose largest magnitude lies in [2**-60, 2**60] (and whose
squared norms stay far below float32's maximum): such data take that path as they are, without
a copy. Any other data are multiplied by a power of two (exact) in a float64 copy, near the top
of float64's range, scanned in float64, and their distances multiplied back: the answer does
not change when X is scaled by any power of two. There, rows far from the others (a few huge
outliers, which would move the scan's centre far from every other row) are searched as a block
of their own and the k-lists merged. An answer float64 cannot resolve (distances
whose squares underflow) is recomputed on rescaled data, or refused with a ValueError.

Forcing a kernel (tests, benchmarks). ``kneighbors(..., plan=...)`` takes a whole
:class:`SearchPlan`, a :class:`Tuning` to plan with, or a dict of SearchPlan fields to override
in the automatic plan (with an optional ``"tuning"`` entry: a Tuning or a dict of its fields).
:func:`plan_search` tells which plan a search gets. The environment variable
``RESAMPLEKIT_FUSED_SCAN=0`` switches the fused scan (AVX-512F, or AVX2 with FMA) off at run
time (GEMM tiles instead; same results).
"""
import contextvars
import dataclasses
import math
import numbers
import os
from dataclasses import dataclass

import numpy as np

from resamplekit import _progress
from resamplekit._kernels import _knn, _sparse_knn
from resamplekit._validation import check_int, check_n_jobs, threads_for

__all__ = ["kneighbors", "check_neighbors", "plan_for", "plan_search", "SearchPlan", "Tuning", "TUNING"]


@dataclass(frozen=True)
class Tuning:
    """The constants the planner decides with; each was set by the measurement beside it.

    Any value gives the same neighbours: these only choose among exact kernels.
    """

    # Default tile: 512 queries x 256 reference rows (512 KiB of float32 per thread). Measured
    # on one core at n=20,000 (d=20 and d=100) against 256 x 1024, 256 x 256, 128 x 512: 5-15%
    # faster.
    chunk_queries: int = 512
    chunk_refs: int = 256
    # 'auto' uses the KD-tree for (max features, min k, min reference rows, min query rows) in
    # this list. Measured against the pruned brute force (one core; make_classification and
    # Gaussian data, 20,000 and 200,000 rows, a quarter as many queries): the tree is 1.1-2.4x
    # faster at d = 2, and at d = 3-4 for k = 5 (1.3-2x); brute force wins at k = 1 from d = 3
    # and everywhere from d = 5 (up to 10x at d = 8).
    kd_tree_rules: tuple = ((2, 1, 10_000, 1_000), (4, 5, 10_000, 1_000))
    # Extra candidates asked from the KD-tree: the k-th distance must be clearly below the last
    # candidate's for the list to be provably complete (rows with ties there go to brute
    # force). One extra is enough for continuous data, and asking few keeps the tree query fast.
    kd_tree_extra: int = 1
    # The tiled kernel's float32 scan computes its keys in registers (_knn's rk_fused_scan, on
    # CPUs with AVX-512F, or AVX2 and FMA) instead of GEMM tiles: same candidates. Measured
    # per (query, row) pair on one core against sgemm alone (the GEMM path also has a filter
    # pass, 0.1-0.2 ns), AVX-512F: 0.12 vs 0.14 ns at d = 4, 0.41 vs 0.61 at d = 20, 1.8 vs 2.4
    # at d = 100. False: GEMM tiles.
    fused_scan: bool = True
    # The AVX2 scan (8 lanes, half the AVX-512F width) only up to fused_max_features_avx2
    # features. Measured on a 2-core AMD EPYC (AVX2, no AVX-512F), 2 threads, isotropic
    # float32, best of 3, whole kneighbors call, GEMM tiles -> fused: 20,000 queries against
    # 100,000 rows, k = 5: d = 8 0.31 -> 0.23 s, 20 1.19 -> 0.89, 32 1.52 -> 1.39, 48 1.90 ->
    # 1.66, 64 2.07 -> 2.03, 100 3.43 -> 3.63; every row of 60,000 (k = 4): d = 8 0.44 -> 0.35,
    # 20 1.44 -> 1.41, 32 1.64 -> 1.50, 48 2.05 -> 1.92; 100,000 x 100 9.7 -> 10.3;
    # k-means' assignment step (25,000 float64 rows against 2,500 centres, k = 2) 62 -> 49 ms.
    fused_max_features_avx2: int = 64
    # Scan float64 data with float64 GEMMs instead of float32 ones (same results, slower;
    # tests).
    float64_candidates: bool = False
    # The self-query (every row of X a query) computes each tile of the symmetric distance
    # matrix once (half the GEMM work) from symmetric_min_rows rows on, with square blocks of
    # chunk_symmetric rows, as long as its per-thread candidate lists (_symmetric_bytes) fit in
    # symmetric_max_bytes. With the fused scan, only from symmetric_min_features_fused features
    # on: below, the tiled kernel on every pair was faster (2 threads, 3,000-100,000 rows,
    # d = 6-20: 0.45-0.9x the symmetric kernel's time; d = 40: 0.95-1.15x; 50,000 x 100: 1.35x).
    # The lists grow as n and the threads (about 184 bytes per row and thread at k = 3): the
    # cap is scikit-learn's default working_memory, 1 GiB. Measured at 1,000,000 x 20
    # isotropic float32, k = 3, 2 threads: 276 s symmetric (its 368 MB of lists) against 424 s
    # for edited_nearest_neighbours on the tiled kernel under the former 256 MB cap.
    symmetric_min_rows: int = 2048
    symmetric_min_features_fused: int = 32
    chunk_symmetric: int = 256
    symmetric_max_bytes: int = 2**30
    # Fewer queries than few_queries per thread (and many_rows rows per thread): the threads
    # split the rows of X instead of the queries, and their k-lists are merged.
    few_queries: int = 32
    many_rows: int = 2048
    # Pairs x features of work below which a search runs on one thread (about 1 ms of work):
    # on small searches, starting and joining threads costs more than it saves (and much more
    # when another process holds a core).
    work_per_thread: int = 20_000_000
    # Nearest-neighbour searches with at least prune_min_rows rows, prune_min_queries queries
    # and prune_min_pairs (query, row) pairs estimate, from prune_sample queries and axis_sample
    # rows, the share of rows within a query's k-th neighbour distance in their projections on
    # prune_axes principal axes. Rows and queries are then ordered so that their chunks are
    # compact in those projections, and the kernel skips, per query, the chunks too far from
    # it. Measured (2 threads, 100,000 rows, 10,000-33,000 queries, d = 6 to 20, k = 4 and 11):
    # time about 0.55x the unpruned kernel's at an estimate of 0.1, 0.55-0.8x at 0.35-0.45, 0.9x
    # at 0.62, slower from about 0.75; its fixed cost (ordering all rows) makes small searches
    # slower. For the self-query of all rows the symmetric kernel (0.55-0.7x) is the one to
    # beat: the pruned kernel took 0.75x its time at 0.35-0.36 (100,000 x 20; 40,000 x 10) and
    # 1.1x at 0.77. Its fixed cost is small enough for self-queries from prune_min_pairs_self
    # pairs on (10,000 rows; d = 6-20, estimates 0.07-0.37: 0.6-0.83x the symmetric kernel's
    # time; 0.46-0.65x at 20,000 rows), not for query subsets below prune_min_pairs (5,000
    # queries among 20,000 rows: 0.77-1.08x; among 10,000: 1.2-1.5x).
    # With the fused scan (the figures above are for GEMM tiles) the fractions allowed are
    # prune_max_fraction*_fused. Measured on 100,000 rows (2 threads; make_classification
    # d = 20 and 40, Gaussian d = 6-20): queries (a tenth of the rows) took 0.6-0.85x the
    # unpruned time at estimates 0.1-0.74, 1.02x at 0.93; every row 0.3-0.8x at 0.06-0.71 and
    # 0.99x at 0.91.
    prune_min_rows: int = 2048
    prune_min_queries: int = 256
    prune_min_pairs: float = 500_000_000
    prune_min_pairs_self: float = 100_000_000
    prune_sample: int = 128
    prune_max_fraction: float = 0.65
    prune_max_fraction_self: float = 0.5
    prune_max_fraction_fused: float = 0.8
    prune_max_fraction_self_fused: float = 0.9
    # Axes (principal axes of a sample of axis_sample rows, from the scatter matrix up to
    # axes_max_features features, else one axis by axis_iterations power iterations).
    prune_axes: int = 3
    axis_sample: int = 4096
    axes_max_features: int = 256
    axis_iterations: int = 12


TUNING = Tuning()

KERNELS = ("kd_tree", "brute", "symmetric", "split_rows")
_NEIGHBORS = ("exact", "approximate")
_ALGORITHMS = ("auto", "brute", "kd_tree")
_SCAN_DTYPES = ("float32", "float64")

# Data whose largest magnitude lies in [2**-60, 2**60], with d * magnitude**2 <= 2**122, are
# searched as they are: their squared norms, keys and products stay in float32's normal range
# (keys are at most 16 d magnitude**2 < 2**127), with about 2**10 to spare below the scan's
# error margins. Other data are rescaled by 2**e into a float64 copy whose largest magnitude
# is just below 2**E (_rescaled_exponent): keys (16 d magnitude**2) stay below 2**1020, and
# differences down to 2**-511 still have normal squares.
_SCAN_MIN_MAGNITUDE = 2.0**-60
_SCAN_MAX_MAGNITUDE = 2.0**60
_SCAN_MAX_SQUARED_NORM = 2.0**122
# Distances below this (on the data as searched) have squares near float64's underflow: they
# are checked (see _check_resolution).
_TINY_DISTANCE = 2.0**-500


@dataclass(frozen=True)
class SearchPlan:
    """How :func:`kneighbors` runs one search (from :func:`plan_search`, or forced).

    Attributes
    ----------
    kernel : {'kd_tree', 'brute', 'symmetric', 'split_rows'}
        'kd_tree': scipy's cKDTree, re-ranked exactly (rows with ties at the end of their list
        go to 'brute'); 'brute': the tiled kernel (chunks of queries x chunks of rows);
        'symmetric': each tile of the self-query of all rows computed once; 'split_rows': the
        threads split the rows of X and merge their k-lists (few queries).
    scan_dtype : {'float32', 'float64'}
        Precision of the candidate scan (candidates are always re-ranked exactly in float64).
    fused : bool
        Whether the float32 scan computes its keys in registers (AVX-512F) instead of GEMM
        tiles.
    chunk_queries, chunk_refs : int
        Tile of the 'brute' kernel (queries x rows).
    symmetric_block : int
        Square block of the 'symmetric' kernel (rows).
    prune : bool
        Estimate (from a sample) the share of rows a query must scan once rows and queries are
        ordered along the principal axes, and prune the 'brute' scan (in place of the
        'symmetric' kernel, for that kernel) when the estimate is at most ``prune_limit``.
    prune_limit : float
        The largest estimated share at which the scan is pruned.
    n_threads : int
        Threads of the kernels.
    via_self_query : bool
        Queries that are most rows of X: search every row (the self-query) and return theirs.
    kd_tree_extra : int
        Extra candidates asked from the KD-tree.
    rescale : bool
        Rescale data outside the float32 scan's range (and check that float64 resolves the
        answer). False only to test the safety net that checks the returned indices.
    """

    kernel: str
    scan_dtype: str = "float32"
    fused: bool = False
    chunk_queries: int = TUNING.chunk_queries
    chunk_refs: int = TUNING.chunk_refs
    symmetric_block: int = TUNING.chunk_symmetric
    prune: bool = False
    prune_limit: float = 0.0
    n_threads: int = 1
    via_self_query: bool = False
    kd_tree_extra: int = TUNING.kd_tree_extra
    rescale: bool = True


def fused_scan_enabled(tuning=TUNING):
    """Whether the fused float32 scan can run: the CPU has AVX-512F (or AVX2 and FMA),
    ``tuning.fused_scan`` and the environment does not switch it off
    (``RESAMPLEKIT_FUSED_SCAN=0``)."""
    return tuning.fused_scan and not _fused_scan_switched_off() and _knn.fused_scan_available()


def _fused_scan_switched_off():
    """RESAMPLEKIT_FUSED_SCAN=0 in the environment (read at every search; it overrides even a
    forced plan's fused=True)."""
    return os.environ.get("RESAMPLEKIT_FUSED_SCAN", "1").strip() == "0"


def plan_search(n_rows, n_queries, n_features, k, n_threads, *, self_query, all_rows=True,
                farthest=False, algorithm="auto", chunk_size=None, dtype="float64",
                rescaled=False, fused_available=None, tuning=TUNING):
    """The plan :func:`kneighbors` follows for a search of this shape (a pure function).

    Parameters
    ----------
    n_rows, n_queries, n_features : int
        Rows of X, queries (rows of Y, or the queried rows of X) and features.
    k : int
        Neighbours per query.
    n_threads : int
        Threads allowed (``n_jobs`` resolved); fewer run on small searches.
    self_query : bool
        The queries are rows of X (Y None), each excluded from its own list.
    all_rows : bool, default=True
        With ``self_query``: every row of X is a query, in order.
    farthest : bool, default=False
        Search the farthest rows.
    algorithm : {'auto', 'brute', 'kd_tree'}, default='auto'
        As in :func:`kneighbors`.
    chunk_size : int or None, default=None
        As in :func:`kneighbors`: tile side and symmetric block, else the tuning's.
    dtype : {'float32', 'float64'}, default='float64'
        Precision of the data searched.
    rescaled : bool, default=False
        The data are outside the float32 scan's range and were rescaled into float64: scan
        in float64, without pruning (its principal axes are not computed on such data).
    fused_available : bool or None, default=None
        Whether the fused scan can run; None asks :func:`fused_scan_enabled`.
    tuning : Tuning, default=TUNING
        The constants to decide with.

    Returns
    -------
    SearchPlan
    """
    t = tuning
    n, n_q, d = int(n_rows), int(n_queries), int(n_features)
    if fused_available is None:
        fused_available = fused_scan_enabled(t)
    wide = rescaled or (t.float64_candidates and np.dtype(dtype) == np.float64)
    scan_dtype = "float64" if wide else "float32"
    fused = bool(fused_available) and scan_dtype == "float32" and (
        d <= t.fused_max_features_avx2 or _knn.fused_scan_isa() != "avx2-fma")
    symmetric_ok = not fused or d >= t.symmetric_min_features_fused
    if self_query and not all_rows and 2 * n_q >= n >= t.symmetric_min_rows and symmetric_ok:
        # Most rows are queries: the self-query of every row (symmetric kernel, half the GEMM
        # work) is cheaper than the subset alone; the answers are the same.
        full = plan_search(n, n, d, k, n_threads, self_query=True, farthest=farthest,
                           algorithm=algorithm, chunk_size=chunk_size, dtype=dtype,
                           rescaled=rescaled, fused_available=fused_available, tuning=t)
        return dataclasses.replace(full, via_self_query=True)
    every_row = self_query and all_rows
    threads = threads_for(n_threads, n_q * n * d, t.work_per_thread)
    if chunk_size is None:
        chunk_q, chunk_r, block = t.chunk_queries, t.chunk_refs, t.chunk_symmetric
    else:
        chunk_q = chunk_r = block = int(chunk_size)
    common = dict(scan_dtype=scan_dtype, fused=fused, chunk_queries=chunk_q, chunk_refs=chunk_r,
                  symmetric_block=block, n_threads=threads, kd_tree_extra=t.kd_tree_extra)
    use_tree = algorithm == "kd_tree" or (
        algorithm == "auto"
        and not farthest
        and k + t.kd_tree_extra + 1 < n
        and any(d <= max_d and k >= min_k and n >= min_n and n_q >= min_q
                for max_d, min_k, min_n, min_q in t.kd_tree_rules)
    )
    if use_tree:
        return SearchPlan("kd_tree", **common)
    if threads > 1 and n_q < t.few_queries * threads and n >= t.many_rows * threads \
            and k < n // threads - 1:
        return SearchPlan("split_rows", **common)
    min_pairs = t.prune_min_pairs_self if every_row else t.prune_min_pairs
    prune = (not farthest and not rescaled and n >= t.prune_min_rows
             and n_q >= t.prune_min_queries and n * n_q >= min_pairs)
    if fused:
        limit = t.prune_max_fraction_self_fused if every_row else t.prune_max_fraction_fused
    else:
        limit = t.prune_max_fraction_self if every_row else t.prune_max_fraction
    symmetric = (every_row and n >= t.symmetric_min_rows and symmetric_ok
                 and _symmetric_bytes(n, k, threads, scan_dtype) <= t.symmetric_max_bytes)
    return SearchPlan("symmetric" if symmetric else "brute", prune=prune,
                      prune_limit=limit if prune else 0.0, **common)


def _single_threaded_blas():
    """Context manager keeping BLAS on one thread (the kernels are parallel themselves)."""
    global _blas_controller
    from threadpoolctl import ThreadpoolController

    if _blas_controller is None:
        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


_blas_controller = None


def _as_float_array(A, name):
    """(A as a 2-D float32 or float64 array, not copied when already one; its largest
    magnitude). Finite values only; sparse matrices are refused (kneighbors takes them by its
    own path, before this is called)."""
    if _is_sparse(A):
        raise TypeError(
            f"{name} is a scipy.sparse {type(A).__name__}: this function takes dense arrays "
            f"only (kneighbors takes sparse input); densify it explicitly ({name}.toarray())"
        )
    try:
        arr = np.asarray(A)
    except Exception as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be a 2-D numeric array, got {type(A).__name__}") from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a 2-D array of integers or floats, got dtype {arr.dtype}"
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows x features), got an array of shape {arr.shape}"
        )
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    arr = arr.astype(dtype, copy=False)
    magnitude = 0.0
    if arr.size:
        # min and max are NaN or infinite when any value is (two passes, no temporary array)
        low, high = float(arr.min()), float(arr.max())
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError(f"{name} must contain only finite values, got NaN or infinity")
        magnitude = max(-low, high)
    return arr, magnitude


def _is_sparse(A):
    try:
        from scipy import sparse
    except ImportError:  # pragma: no cover - scipy is a dependency
        return False
    return sparse.issparse(A)


def check_neighbors(neighbors, method=None):
    """``neighbors`` ('exact' or 'approximate'), or ValueError naming the value.

    Examples
    --------
    >>> from resamplekit._neighbors import check_neighbors
    >>> check_neighbors("approximate")
    'approximate'
    """
    if not isinstance(neighbors, str) or neighbors not in _NEIGHBORS:
        where = f"{method}: " if method else ""
        raise ValueError(f"{where}neighbors must be 'exact' or 'approximate', got "
                         f"{neighbors!r}")
    return neighbors


def kneighbors(
    X, k, *, Y=None, rows=None, farthest=False, n_jobs=None, chunk_size=None, algorithm="auto",
    plan=None, neighbors="exact",
):
    """Exact k nearest (or farthest) rows of ``X`` for each row of ``Y``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The rows searched. Integer, boolean and float data are accepted; float32 is computed in
        float32 (with exact re-ranking), anything else in float64. Any memory order, read-only
        or non-contiguous arrays are fine; the input is never modified. scipy.sparse matrices
        and arrays are searched as they are, never densified (see the user guide's "Sparse
        data"), with the same answer as on their dense form.
    k : int
        Number of neighbours per query, ``1 <= k <= n_samples`` (``n_samples - 1`` when ``Y``
        is None).
    Y : array-like of shape (n_queries, n_features), default=None
        The query rows. None means the rows of ``X`` themselves, each excluded from its own
        list *by index*: a duplicate of a row is its neighbour at distance 0.
    rows : array-like of int, default=None
        Query only the rows ``X[rows]`` (instead of every row when ``Y`` is None), each
        excluded from its own list by index as above. Cannot be combined with ``Y``.
    farthest : bool, default=False
        Return the k farthest rows instead, sorted by decreasing distance.
    n_jobs : int, default=None
        Number of threads: None or -1 for all cores, -2 for all but one, and so on. The result
        does not depend on it.
    chunk_size : int, default=None
        Rows per tile side for the brute-force kernel (default 512 queries x 256 rows, and
        blocks of 256 rows for the self-query of all rows). For tests and benchmarks; the
        result does not depend on it.
    algorithm : {'auto', 'brute', 'kd_tree'}, default='auto'
        'auto' uses a KD-tree for low-dimensional data with many rows (at least 10,000 rows
        and 1,000 queries, with at most 2 features, or at most 4 features and k >= 5) and
        brute force otherwise;
        'kd_tree' is not available with ``farthest=True``. The result does not depend on it.
    plan : SearchPlan, Tuning or dict, default=None
        Force how the search runs (tests and benchmarks; the result does not depend on it):
        a whole :class:`SearchPlan`; a :class:`Tuning` to plan with; or a dict of SearchPlan
        fields overriding the automatic plan, e.g. ``{"kernel": "brute", "prune": True,
        "prune_limit": float("inf")}``, optionally with ``"tuning"`` (a Tuning, or a dict of
        its fields). None: :func:`plan_search` decides.
    neighbors : {'exact', 'approximate'}, default='exact'
        'exact': the exact answer (everything below). 'approximate': candidates from a
        hierarchical navigable small-world graph (faiss-cpu's ``IndexHNSWFlat``; the ``ann``
        extra, ``pip install "resamplekit[ann]"``), re-ranked by their exact float64 distance,
        for dense X whose exact search is too slow (millions of rows without low-dimensional
        structure). Recall target: at least 0.97 of the exact k neighbours (measured 0.991 /
        0.986 / 0.980 for k=3 on isotropic Gaussian data, 100,000 / 300,000 / 1,000,000 rows x
        20, the hardest case). Each returned list is sorted by (exact distance, index) and never
        holds the query's own row; the answer depends neither on ``n_jobs`` nor on the run. It
        pays from about a million rows (d = 20): measured on two threads, 1,000,000 x 20 took
        364-374 s of CPU time (recall 0.980; edited_nearest_neighbours' rule on these lists
        differs from the exact one on 0.33% of the rows it keeps), and at 100,000 x 20 the exact
        search is faster. Not available for sparse X or ``farthest=True``; ``chunk_size``,
        ``algorithm`` and ``plan`` do not apply.

    Returns
    -------
    distances : ndarray of shape (n_queries, k), float64
        Euclidean distances, computed exactly in float64 from the input values (scaled by a
        power of two for data outside float32's comfortable range, and scaled back: a distance
        beyond float64's range is returned as inf).
    indices : ndarray of shape (n_queries, k), intp
        Row indices into ``X``.

    Raises
    ------
    TypeError
        X or Y is not a numeric array or scipy.sparse matrix; bad keyword types.
    ValueError
        Bad shapes or keyword values; NaN or infinite values; data whose range of magnitudes
        float64 cannot hold (some rows closer than float64 resolves at the scale the largest
        values need, about 2**-1000 of them).
    RuntimeError
        A kernel returned indices outside [0, n_samples) (a bug: reported, never returned).

    Notes
    -----
    Each row is sorted by (distance, index): increasing distance (decreasing with
    ``farthest=True``), and rows at exactly the same distance come in increasing index order,
    always. The answer is the one an exact float64 computation gives; float32 data is scanned in
    float32 (also float64 data) and its candidates re-ranked exactly in float64, within a window
    that provably holds every row of the exact answer, so the neighbours are the same as an
    exact float64 computation's (up to the rounding of float64 itself). No n x n matrix is ever
    built: peak extra memory is the output, a centred float32 copy of the data (and of the
    queries), a fixed tile per thread, and, when the search is pruned along the principal
    axes, about 40 bytes per row and per query for their order and projections. The symmetric
    kernel (the self-query of all rows, Y and rows None, at least 2,048 rows, when pruning does
    not pay) adds per-thread candidate lists of at most 36k + 136 bytes per row and thread
    (1 GiB in all at most, else it uses the tiled kernel), e.g. 40 MB for 100,000 rows, k=4
    and two threads, 368 MB for 1,000,000 rows, k=3 and two threads.

    Scale: the answer does not change when X (and Y) are multiplied by a power of two, as long
    as they stay finite; the distances are multiplied by it. Data whose largest magnitude is
    in [2**-60, 2**60] are searched as they are; other data are first multiplied by a power of
    two (exact) into a float64 copy near the top of float64's range and scanned in float64, so
    no precision ever decides on values it cannot represent; rows far from the others (more
    than 2**16 times the typical row's distance from the median row) are searched as a block of
    their own, so one far outlier neither changes the other rows' neighbours nor slows their
    search. Zero or near-underflow distances between different rows
    are recomputed on such a rescaled copy; if float64 cannot resolve them even there, a
    ValueError says so.

    Sparse X or Y (scipy.sparse matrices or arrays) are searched by a kernel of their own
    (see the module docstring), with the same answer, bit for bit, as on their dense form: the
    same exact float64 distances, ties and self rules; NaN or infinite stored values are
    refused as for dense input; unsorted indices, duplicate entries (summed, as scipy does),
    explicit zeros and int32 or int64 indices are read from a copy, the input is never
    modified. ``algorithm='kd_tree'`` and ``plan`` do not apply (``plan`` is ignored). No dense
    copy of X or Y and nothing of size n_features is built: peak extra memory is the output,
    about 16 bytes per stored value of X (its column lists), a float64/intp copy of X or Y
    when they have other dtypes or unsorted or duplicate entries, at most 6 bytes per stored
    value for the dense float32 block of the columns most rows share, and per thread 33 bytes
    per row of X plus a tile of at most 8 MB. Its time per query grows with the frequency of
    its columns in X: text data with very common columns (stop words) costs the most.

    Progress: inside ``resamplekit.report_progress(callback)``, the search reports a
    ``"neighbour search"`` phase in query rows (method ``"kneighbors"`` when called
    directly); over more than 50,000 queries it runs in slabs of queries and reports after
    each (same answer), except the symmetric self-query kernel and searches with far rows
    (start and end only).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import kneighbors
    >>> X = np.array([[0.0], [1.0], [1.0], [3.0]])
    >>> dist, ind = kneighbors(X, 2)
    >>> ind
    array([[1, 2],
           [2, 0],
           [1, 0],
           [1, 2]])
    >>> dist[1]
    array([0., 1.])
    >>> kneighbors(X, 1, Y=[[2.0]], farthest=True)[1]
    array([[0]])
    >>> kneighbors(X * 2.0**600, 2)[0][1] == dist[1] * 2.0**600
    array([ True,  True])

    Sparse input gets the same answer, without a dense copy:

    >>> from scipy import sparse
    >>> kneighbors(sparse.csr_matrix(X), 2)[1]
    array([[1, 2],
           [2, 0],
           [1, 0],
           [1, 2]])
    """
    if neighbors not in _NEIGHBORS:
        raise ValueError(f"neighbors must be one of {_NEIGHBORS}, got {neighbors!r}")
    if neighbors == "approximate" and (_is_sparse(X) or _is_sparse(Y)):
        raise ValueError("neighbors='approximate' cannot search sparse data; use "
                         "neighbors='exact'")
    if _is_sparse(X) or _is_sparse(Y):
        return _sparse_kneighbors(X, k, Y, rows, farthest, n_jobs, chunk_size, algorithm)
    s = _validate(X, k, Y, rows, farthest, n_jobs, chunk_size, algorithm)
    if neighbors == "approximate":
        if s.farthest:
            raise ValueError("neighbors='approximate' cannot search the farthest rows; use "
                             "neighbors='exact'")
        return _approximate_kneighbors(s)
    n_q = s.Y.shape[0] if s.Y is not None else (s.X.shape[0] if s.rows is None else s.rows.size)
    if n_q == 0:
        return np.empty((0, s.k), dtype=np.float64), np.empty((0, s.k), dtype=np.intp)
    forced = _forced_plan(plan)
    progress = _progress.start("neighbour search", n_q, "kneighbors")
    rescale = _wants_rescale(forced)
    if rescale and not _scan_holds(s.magnitude, s.X.shape[1]):
        dist, ind = _search_rescaled(s, forced, progress)
    else:
        dist, ind = _search(s, forced, rescaled=False, progress=progress)
        if rescale and s.X.dtype == np.float64 and not _check_resolution(s, dist, ind):
            # distances float64 resolves only once rescaled (progress: already counted)
            dist, ind = _search_rescaled(s, forced, None)
    if progress is not None:
        progress.finish()
    return dist, ind


def plan_for(X, k, *, Y=None, rows=None, farthest=False, n_jobs=None, chunk_size=None,
             algorithm="auto", plan=None):
    """The :class:`SearchPlan` :func:`kneighbors` follows for these arguments (same keywords).

    For data outside the float32 scan's range it is the plan of the rescaled float64 search.
    (A float64 answer float64 cannot resolve is searched again, rescaled; that is decided after
    the search.)

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import plan_for
    >>> plan_for(np.zeros((20_000, 2)), 3, Y=np.zeros((2_000, 2))).kernel
    'kd_tree'
    """
    s = _validate(X, k, Y, rows, farthest, n_jobs, chunk_size, algorithm)
    forced = _forced_plan(plan)
    rescaled = _wants_rescale(forced) and not _scan_holds(s.magnitude, s.X.shape[1])
    return _plan_for(s, forced, rescaled)


def _wants_rescale(forced):
    """Whether a forced plan (kneighbors' plan=, checked) leaves rescaling on."""
    return forced.get("rescale", True) if isinstance(forced, dict) \
        else getattr(forced, "rescale", True)


class _Search:
    """A validated search: X, Y (None: the rows of X), rows (None: all), k, farthest, n_threads
    (allowed), chunk_size, algorithm and the data's largest magnitude."""

    __slots__ = ("X", "Y", "rows", "k", "farthest", "n_threads", "chunk_size", "algorithm",
                 "magnitude")

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    def replace(self, **values):
        return _Search(**{**{a: getattr(self, a) for a in self.__slots__}, **values})


def _check_rows(rows, n):
    """kneighbors' rows= checked against n rows of X: an intp array of indices in [0, n)."""
    rows = np.asarray(rows)
    if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
        raise TypeError(f"rows must be a 1-d array of row indices, got {rows!r}")
    rows = rows.astype(np.intp, copy=False)
    if rows.size and (rows.min() < 0 or rows.max() >= n):
        raise ValueError(f"rows must be indices in [0, {n - 1}]")
    return rows


def _check_search_keywords(n, k, self_query, farthest, n_jobs, chunk_size, algorithm, *,
                           sparse):
    """kneighbors' k, farthest, n_jobs, chunk_size and algorithm checked, the same for dense
    and sparse X (which differ only in what kd_tree can do): (k, farthest, n_threads,
    chunk_size) as plain Python values."""
    available = n - 1 if self_query else n
    k = check_int(k, "k", minimum=1)
    if k > available:
        what = "the number of rows of X minus one (each row is excluded from its own list)" \
            if self_query else "the number of rows of X"
        raise ValueError(f"k must be <= {available}, {what}, got {k!r}")
    if not isinstance(farthest, (bool, np.bool_)):
        raise TypeError(f"farthest must be True or False, got {farthest!r}")
    n_threads = check_n_jobs(n_jobs)
    if chunk_size is not None and (
        isinstance(chunk_size, (bool, np.bool_))
        or not isinstance(chunk_size, numbers.Integral)
        or chunk_size < 1
    ):
        raise ValueError(f"chunk_size must be None or an integer >= 1, got {chunk_size!r}")
    if algorithm not in _ALGORITHMS:
        raise ValueError(f"algorithm must be one of {_ALGORITHMS}, got {algorithm!r}")
    if algorithm == "kd_tree" and sparse:
        raise ValueError("algorithm='kd_tree' cannot search sparse data; use 'auto' or 'brute'")
    if algorithm == "kd_tree" and farthest:
        raise ValueError("algorithm='kd_tree' cannot search the farthest rows; use 'brute'")
    return k, bool(farthest), n_threads, None if chunk_size is None else int(chunk_size)


def _validate(X, k, Y, rows, farthest, n_jobs, chunk_size, algorithm):
    """Check every argument of kneighbors; the arrays as float32 or float64 (not copied when
    already one)."""
    Xo, magnitude = _as_float_array(X, "X")
    n, d = Xo.shape
    if n == 0:
        raise ValueError(f"X must have at least one row, got an array of shape {Xo.shape}")
    if d == 0:
        raise ValueError(f"X must have at least one feature, got an array of shape {Xo.shape}")
    self_query = Y is None
    if rows is not None:
        if not self_query:
            raise ValueError("rows and Y cannot both be given: rows queries rows of X itself")
        rows = _check_rows(rows, n)
        if rows.size == n and np.array_equal(rows, np.arange(n)):
            rows = None  # every row, in order: the self-query
    Yo = None
    if not self_query:
        Yo, y_magnitude = _as_float_array(Y, "Y")
        magnitude = max(magnitude, y_magnitude)
        if Yo.shape[1] != d:
            raise ValueError(
                f"Y must have the same number of features as X ({d}), got {Yo.shape[1]}"
            )
        if Yo.dtype != Xo.dtype:  # mixed precisions: compute in float64
            Xo = Xo.astype(np.float64)
            Yo = Yo.astype(np.float64)
    k, farthest, n_threads, chunk_size = _check_search_keywords(
        n, k, self_query, farthest, n_jobs, chunk_size, algorithm, sparse=False)
    return _Search(X=Xo, Y=Yo, rows=rows, k=k, farthest=farthest, n_threads=n_threads,
                   chunk_size=chunk_size, algorithm=algorithm, magnitude=magnitude)


_PLAN_FIELDS = tuple(f.name for f in dataclasses.fields(SearchPlan))
_TUNING_FIELDS = tuple(f.name for f in dataclasses.fields(Tuning))


def _forced_plan(plan):
    """plan= of kneighbors checked: None, a SearchPlan, a Tuning or a dict of overrides (its
    "tuning" entry made a Tuning)."""
    if plan is None or isinstance(plan, (SearchPlan, Tuning)):
        return plan
    if not isinstance(plan, dict):
        raise TypeError(
            f"plan must be None, a SearchPlan, a Tuning or a dict, got {type(plan).__name__}")
    unknown = sorted(set(plan) - set(_PLAN_FIELDS) - {"tuning"})
    if unknown:
        raise ValueError(f"plan has unknown keys {unknown}; allowed: {_PLAN_FIELDS + ('tuning',)}")
    tuning = plan.get("tuning", TUNING)
    if isinstance(tuning, dict):
        unknown = sorted(set(tuning) - set(_TUNING_FIELDS))
        if unknown:
            raise ValueError(f"plan['tuning'] has unknown keys {unknown}; "
                             f"allowed: {_TUNING_FIELDS}")
        tuning = dataclasses.replace(TUNING, **tuning)
    elif not isinstance(tuning, Tuning):
        raise TypeError(f"plan['tuning'] must be a Tuning or a dict, got {tuning!r}")
    return {**plan, "tuning": tuning}


def _plan_for(s, forced, rescaled):
    """The plan of search s: plan_search's, with forced (kneighbors' plan=) applied, checked."""
    if isinstance(forced, SearchPlan):
        plan = forced
    else:
        tuning = forced if isinstance(forced, Tuning) else \
            forced["tuning"] if isinstance(forced, dict) else TUNING
        n, d = s.X.shape
        n_q = s.Y.shape[0] if s.Y is not None else (n if s.rows is None else s.rows.size)
        plan = plan_search(n, n_q, d, s.k, s.n_threads, self_query=s.Y is None,
                           all_rows=s.rows is None, farthest=s.farthest, algorithm=s.algorithm,
                           chunk_size=s.chunk_size, dtype=s.X.dtype, rescaled=rescaled,
                           tuning=tuning)
        if isinstance(forced, dict):
            overrides = {key: v for key, v in forced.items() if key != "tuning"}
            plan = dataclasses.replace(plan, **overrides)
    _check_plan(plan, s)
    return plan


def _check_plan(plan, s):
    """A forced plan must be one the kernels can run on search s."""
    n = s.X.shape[0]
    every_row = s.Y is None and (s.rows is None or plan.via_self_query)
    problems = []
    if plan.kernel not in KERNELS:
        problems.append(f"kernel must be one of {KERNELS}, got {plan.kernel!r}")
    if plan.kernel == "kd_tree" and s.farthest:
        problems.append("kernel 'kd_tree' cannot search the farthest rows")
    if plan.kernel == "symmetric" and not every_row:
        problems.append("kernel 'symmetric' needs the self-query of every row (Y and rows None,"
                        " or via_self_query)")
    if plan.via_self_query and (s.Y is not None or s.rows is None):
        problems.append("via_self_query needs rows (a subset of the rows of X as queries)")
    if plan.scan_dtype not in _SCAN_DTYPES:
        problems.append(f"scan_dtype must be one of {_SCAN_DTYPES}, got {plan.scan_dtype!r}")
    for name in ("chunk_queries", "chunk_refs", "symmetric_block", "n_threads"):
        value = getattr(plan, name)
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
            problems.append(f"{name} must be an integer >= 1, got {value!r}")
    if plan.kernel == "split_rows" and not problems and not s.k < n // plan.n_threads - 1:
        problems.append(f"kernel 'split_rows' needs k < n_rows // n_threads - 1, got k={s.k},"
                        f" {n} rows, {plan.n_threads} threads")
    if plan.fused and plan.scan_dtype == "float32" and not _knn.fused_scan_available():
        problems.append("fused=True needs a CPU with AVX-512F or AVX2 and FMA, which this one "
                        "lacks")
    if problems:
        raise ValueError(f"plan {plan!r} cannot run this search: " + "; ".join(problems))


def _scan_holds(magnitude, d):
    """Whether data of this largest magnitude and d features are searched as they are."""
    return magnitude == 0 or (
        _SCAN_MIN_MAGNITUDE <= magnitude <= _SCAN_MAX_MAGNITUDE
        and d * magnitude * magnitude <= _SCAN_MAX_SQUARED_NORM
    )


def _rescaled_exponent(magnitude, d):
    """e such that magnitude * 2**e is just below 2**E, E the largest with 16 d 2**(2E) <=
    2**1020 (the float64 scan's keys stay finite; differences down to 2**-511 keep normal
    squares)."""
    top = (1016 - int(np.ceil(np.log2(d)))) // 2
    return top - int(np.frexp(magnitude)[1])  # magnitude < 2**frexp exponent


def _search_rescaled(s, forced, progress=None):
    """Search s on a float64 copy scaled by a power of two (exact), its distances scaled back.

    A ValueError when float64 cannot resolve the answer even there.
    """
    if s.magnitude == 0:  # all zeros: nothing to rescale; float64 resolves it
        return _search(s, forced, rescaled=False, progress=progress)
    e = _rescaled_exponent(s.magnitude, s.X.shape[1])
    scaled = s.replace(
        X=np.ldexp(s.X, e, dtype=np.float64),
        Y=None if s.Y is None else np.ldexp(s.Y, e, dtype=np.float64),
        magnitude=float(np.ldexp(s.magnitude, e)),
    )
    far = None if isinstance(forced, SearchPlan) else _far_rows(scaled.X, scaled.k)
    if far is None:
        dist, ind = _search(scaled, forced, rescaled=True, progress=progress)
    else:  # (progress: each block searches every query; reported at the end only)
        dist, ind = _search_blocks(scaled, forced, [np.flatnonzero(~far), np.flatnonzero(far)])
    if not _check_resolution(s, dist, ind):  # equal rows: on the data given, not the copy
        name = "X" if s.Y is None else "X (with Y)"
        raise ValueError(
            f"{name} spans a range of magnitudes float64 cannot hold: its largest magnitude is "
            f"{s.magnitude:.3g}, and some rows differ by less than about 2**-1000 times that, "
            "so their distances underflow; rescale or drop the tiny differences (or the huge "
            "values) first"
        )
    return np.ldexp(dist, -e), ind


# Rows farther than this many times the typical row's deviation from the median row are
# searched as a block of their own (_far_rows).
_FAR_FACTOR = 2.0**16


def _far_rows(X, k, sample=4096, block=65536):
    """A mask of the rows of X far from the others (None when there are none, or too many).

    The scan centres the rows on their mean: one row 1e21 away moves it by 1e21 / n, and the
    other rows' keys, relative to their distances from that mean, lose every digit (their
    queries then fall back to exact scans of all rows, O(n) each). Rows farther from the
    median row (of a sample) than _FAR_FACTOR times the typical row's (the sample's median)
    are searched as a block of their own. O(n d).
    """
    n = X.shape[0]
    S = X[::max(1, n // sample)]
    centre = np.median(S, axis=0)
    typical = np.median(np.abs(S - centre).max(axis=1))
    if not typical > 0:
        return None
    deviation = np.empty(n)
    for start in range(0, n, block):
        deviation[start:start + block] = np.abs(X[start:start + block] - centre).max(axis=1)
    far = deviation > _FAR_FACTOR * typical
    if not far.any() or n - np.count_nonzero(far) < k + 1:
        return None
    return far


def _search_blocks(s, forced, blocks):
    """Search s with the rows of X split into blocks, each searched alone, their k-lists
    merged by (distance, index): the same answer (exact distances are computed the same way
    in every block). A query that is a row of X drops that row from the lists."""
    n = s.X.shape[0]
    if s.Y is not None:
        queries, own = s.Y, np.full(s.Y.shape[0], -1, np.intp)
    else:
        own = np.arange(n, dtype=np.intp) if s.rows is None else s.rows
        queries = s.X[own]
    lists_d, lists_i = [], []
    for rows in blocks:
        kb = min(s.k + int(s.Y is None), rows.size)
        if kb == 0:
            continue
        sub = s.replace(X=s.X[rows], Y=queries, rows=None, k=kb)
        d, i = _search(sub, forced, rescaled=True)
        i = rows[i]
        d[i == own[:, None]] = np.nan  # a query's own row: never its neighbour
        lists_d.append(d)
        lists_i.append(i)
    dist, ind = np.concatenate(lists_d, axis=1), np.concatenate(lists_i, axis=1)
    key = -dist if s.farthest else dist
    key = np.where(np.isnan(key), np.inf, key)
    order = np.lexsort((ind, key), axis=1)[:, :s.k]
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(ind, order, axis=1)


def _check_resolution(s, dist, ind):
    """Whether float64 resolved every returned distance (dist: on the data as searched, maybe
    rescaled) of search s: none below _TINY_DISTANCE unless exactly 0 between rows equal in
    s (O(n_q k), plus O(d) per such pair)."""
    small = dist < _TINY_DISTANCE
    if not small.any():
        return True
    if (dist[small] > 0).any():
        return False
    q = np.nonzero(small)[0]  # the query of each small distance, in ind[small]'s order
    queries = s.X if s.Y is None else s.Y
    if s.Y is None and s.rows is not None:
        q = s.rows[q]
    neighbours = ind[small]
    for start in range(0, q.size, 65536):  # by blocks: a bounded temporary copy
        pairs = slice(start, start + 65536)
        if not np.array_equal(queries[q[pairs]], s.X[neighbours[pairs]]):
            return False
    return True


def _search(s, forced, rescaled, progress=None):
    """Plan search s and run it; the indices are checked. progress: the search's phase (see
    _run), or None."""
    plan = _plan_for(s, forced, rescaled)
    n = s.X.shape[0]
    if plan.via_self_query:
        dist, ind = _run(plan, s.X, None, None, s.k, s.farthest, progress)
        dist, ind = dist[s.rows], ind[s.rows]
    else:
        dist, ind = _run(plan, s.X, s.Y, s.rows, s.k, s.farthest, progress)
    if ind.size and (ind.min() < 0 or ind.max() >= n):
        raise RuntimeError(
            f"kneighbors: the {plan.kernel!r} kernel returned row indices outside [0, {n}) "
            f"(min {ind.min()}, max {ind.max()}) for X of shape {s.X.shape}; this is a bug "
            "in resamplekit, please report it with the data's shape, dtype and range")
    return dist, ind


# The fused-scan switch of the running plan, read by _fused_scan (inside _brute_pass).
_RUN_FUSED = contextvars.ContextVar("resamplekit_run_fused", default=None)


# With a progress callback listening (resamplekit.report_progress), searches over more query
# rows than _PROGRESS_MIN_QUERIES run in _PROGRESS_SLABS slabs of query rows and report after
# each one. Every query's answer is computed alone (the kernels share only the rows' data
# between queries), so the slabs give the same answer, bit for bit. The rows' side of the
# kernel passes (centred copy, keys, order and packed blocks) is prepared once for all slabs
# (_brute_pass' prepared); the pruning axes are chosen once, from all the queries. The symmetric kernel shares each tile between two blocks of
# rows: it is not split (start and end only).
_PROGRESS_MIN_QUERIES = 50_000
_PROGRESS_SLABS = 16


def _slabs(n_q, progress):
    """Query bounds [(start, stop), ...] of a search: one slab, unless progress is reported
    and the queries are many."""
    if progress is None or n_q <= _PROGRESS_MIN_QUERIES:
        return [(0, n_q)]
    bounds = np.linspace(0, n_q, _PROGRESS_SLABS + 1).astype(np.intp).tolist()
    return list(zip(bounds[:-1], bounds[1:]))


def _run(plan, Xo, Yo, rows, k, farthest, progress=None):
    """Run plan: the queries are Yo, or the rows of Xo (``rows`` of them, None for all), each
    excluded from its own list by index. Returns (dist, ind).

    progress (a _progress._Phase, or None): told the share of queries done after each slab
    of queries (see _PROGRESS_MIN_QUERIES)."""
    Xo = np.ascontiguousarray(Xo)
    self_query = Yo is None and rows is None  # every row of X, in order
    if Yo is not None:
        Yo = np.ascontiguousarray(Yo)
        exclude = np.full(Yo.shape[0], -1, np.intp)
    elif rows is not None:  # a subset of the rows as queries: each excludes itself by index
        Yo, exclude = Xo[rows], rows.copy()
    else:
        exclude = np.arange(Xo.shape[0], dtype=np.intp)
    n_q = Xo.shape[0] if self_query else Yo.shape[0]
    dist = np.empty((n_q, k), dtype=np.float64)
    ind = np.full((n_q, k), -1, dtype=np.intp)  # an entry left unwritten fails _search's check
    scan = np.dtype(plan.scan_dtype)
    chunk_q, chunk_r, n_threads = plan.chunk_queries, plan.chunk_refs, plan.n_threads
    slabs = _slabs(n_q, progress)

    def report(stop):  # after a slab (not the last: the search's end is reported by its caller)
        if stop < n_q:
            progress.update_fraction(stop, n_q)

    token = _RUN_FUSED.set(plan.fused and not _fused_scan_switched_off())
    try:
        with _single_threaded_blas():
            if plan.kernel == "kd_tree":
                queries = Xo if self_query else Yo
                tree = _kd_tree_of(Xo)
                prepared = {}
                for start, stop in slabs:
                    part = slice(start, stop)
                    redo = _kd_tree(Xo, queries[part], exclude[part], k, Yo is None, n_threads,
                                    dist[part], ind[part], plan.kd_tree_extra, tree)
                    if redo.size:
                        redo += start
                        sub_d = np.empty((redo.size, k), dtype=np.float64)
                        sub_i = np.empty((redo.size, k), dtype=np.intp)
                        _brute(Xo, queries[redo], exclude[redo], k, False, n_threads, chunk_q,
                               chunk_r, sub_d, sub_i, scan, prepared=prepared)
                        dist[redo] = sub_d
                        ind[redo] = sub_i
                    report(stop)
            elif plan.kernel == "split_rows":
                _brute_split_rows(Xo, None if self_query else Yo, exclude, k, farthest,
                                  n_threads, chunk_q, chunk_r, dist, ind, scan)
            else:
                axis = None
                if plan.prune and not farthest:
                    axis, fraction = _pruning_axis(Xo, None if self_query else Yo, exclude, k,
                                                   scan)
                    if fraction > plan.prune_limit:
                        axis = None
                block = plan.symmetric_block if plan.kernel == "symmetric" and axis is None \
                    else None
                if block is not None or len(slabs) == 1:
                    _brute(Xo, None if self_query else Yo, exclude, k, farthest, n_threads,
                           chunk_q, chunk_r, dist, ind, scan, block=block, axis=axis)
                else:
                    prepared = {}  # the rows' side of the passes, prepared once
                    for start, stop in slabs:
                        part = slice(start, stop)
                        _brute(Xo, Xo[part] if self_query else Yo[part], exclude[part], k,
                               farthest, n_threads, chunk_q, chunk_r, dist[part], ind[part],
                               scan, axis=axis, prepared=prepared)
                        report(stop)
    finally:
        _RUN_FUSED.reset(token)
    return dist, ind


def _fused_scan(scan_dtype):
    """Whether the tiled kernel scans in registers (rk_fused_scan) rather than GEMM tiles: the
    running plan's choice, for a float32 scan."""
    fused = _RUN_FUSED.get()
    if fused is None:  # outside a run (tests of a kernel pass alone)
        fused = fused_scan_enabled()
    return bool(fused) and np.dtype(scan_dtype) == np.float32


def _pruning_axis(Xo, Yo, exclude, k, scan_dtype=np.float32, tuning=TUNING):
    """The axes to prune along, and the estimated share of rows a query must scan.

    Returns ((axes, mean): the data's principal axes (d x m) and a float64 centre), share.
    Both come from a sample of about axis_sample evenly spaced rows: a sample of prune_sample
    queries (Yo, or the rows of Xo; exclude marks a query's own row) gets its k-th neighbour
    distance r among the sampled rows, and the share of sampled rows whose projections lie
    within r of the query's estimates the part of the GEMM work the pruned kernel cannot skip
    (only an indicator: r is larger among fewer rows and chunks are coarser than rows; the
    limits on it were set from measured times, see Tuning.prune_max_fraction). O(axis_sample
    d) time.
    """
    n = Xo.shape[0]
    axes, rows, step, mean = _principal_axes(Xo, tuning)
    if 2 * k >= rows.shape[0]:
        return (axes, mean), 1.0
    n_q = n if Yo is None else Yo.shape[0]
    sample = np.unique(np.linspace(0, n_q - 1, tuning.prune_sample).astype(np.intp))
    queries = (Xo[sample] if Yo is None else Yo[sample]).astype(np.float64) - mean
    own = sample if Yo is None else exclude[sample]  # a query's row in Xo, or -1
    own = np.where((own >= 0) & (own % step == 0), own // step, -1).astype(np.intp)
    dist = np.empty((sample.size, k))
    _brute(rows, queries, own, k, False, 1, tuning.chunk_queries, tuning.chunk_refs, dist,
           np.empty((sample.size, k), dtype=np.intp), scan_dtype)
    radius = dist[:, -1]
    q_proj = queries @ axes
    r_proj = rows @ axes
    # sampled rows within the radius in projection (squared distances by the GEMM trick: an
    # estimate, the rounding does not matter)
    sq = (np.einsum("ij,ij->i", q_proj, q_proj)[:, None] - 2.0 * (q_proj @ r_proj.T)
          + np.einsum("ij,ij->i", r_proj, r_proj)[None, :])
    inside = np.count_nonzero(sq <= (radius ** 2)[:, None])
    return (axes, mean), inside / (q_proj.shape[0] * r_proj.shape[0])


def _symmetric_bytes(n, k, n_threads, scan_dtype):
    """Extra memory of the symmetric kernel's per-thread candidate lists (see _knn.pyx)."""
    size = np.dtype(scan_dtype).itemsize
    return n_threads * n * ((k + max(k, 8)) * (size + 8) + k * size + 40)


def _brute(Xo, Yo, exclude, k, farthest, n_threads, chunk_q, chunk_r, dist, ind,
           scan_dtype=np.float32, block=None, axis=None, prepared=None):
    """Run the brute-force kernel; Yo None means the queries are the rows of Xo.

    With Yo None and block given, the first pass is the symmetric self-query kernel (square
    blocks of that many rows; same results).

    Candidates are scanned in scan_dtype (float32 unless the plan says otherwise: twice the
    GEMM speed of float64) whatever the input precision: the candidate window accounts for its
    rounding and the winners are re-ranked exactly from the original rows. The few queries
    whose window overflows (near-ties at float32 resolution, e.g. tight clusters far from the
    mean) are redone with a float64 scan, and queries that overflow that too (massive exact
    ties) get an exact scan of all rows.

    prepared: a dict keeping the preparation of the rows of Xo between calls on the same Xo
    (slabs of queries), or None.
    """
    scan_dtype = np.dtype(scan_dtype)
    overflowed = _brute_pass(Xo, Yo, exclude, k, farthest, n_threads, chunk_q, chunk_r,
                             scan_dtype, scan_dtype == np.float64, dist, ind, block, axis,
                             prepared)
    redo = np.flatnonzero(overflowed)
    if redo.size:
        Yq = Xo[redo] if Yo is None else Yo[redo]
        sub_d = np.empty((redo.size, k), dtype=np.float64)
        sub_i = np.empty((redo.size, k), dtype=np.intp)
        _brute_pass(Xo, Yq, exclude[redo], k, farthest, n_threads, chunk_q, chunk_r,
                    np.float64, True, sub_d, sub_i, prepared=prepared)
        dist[redo] = sub_d
        ind[redo] = sub_i


def _brute_split_rows(Xo, Yo, exclude, k, farthest, n_threads, chunk_q, chunk_r, dist, ind,
                      scan_dtype=np.float32):
    """Brute force with the rows of X split among the threads (for a few queries).

    Each thread finds the k best of its block of rows; the merged lists are ordered by
    (distance, index) again. Exact distances are computed the same way in every block, so the
    result is the same as a single pass.
    """
    from concurrent.futures import ThreadPoolExecutor

    n = Xo.shape[0]
    Yq = Xo if Yo is None else Yo
    n_q = Yq.shape[0]
    bounds = np.linspace(0, n, n_threads + 1).astype(np.intp)
    block_dist = np.empty((n_q, n_threads * k), dtype=np.float64)
    block_ind = np.empty((n_q, n_threads * k), dtype=np.intp)

    def run(b):
        start, stop = bounds[b], bounds[b + 1]
        inside = (exclude >= start) & (exclude < stop)
        sub_exclude = np.where(inside, exclude - start, -1).astype(np.intp)
        cols = slice(b * k, (b + 1) * k)
        sub_d = np.empty((n_q, k), dtype=np.float64)
        sub_i = np.empty((n_q, k), dtype=np.intp)
        _brute(Xo[start:stop], Yq, sub_exclude, k, farthest, 1, chunk_q, chunk_r, sub_d, sub_i,
               scan_dtype)
        block_dist[:, cols] = sub_d
        block_ind[:, cols] = sub_i + start

    # each worker runs in a copy of this context: the plan's fused-scan switch
    contexts = [contextvars.copy_context() for _ in range(n_threads)]
    with ThreadPoolExecutor(n_threads) as pool:
        list(pool.map(lambda b: contexts[b].run(run, b), range(n_threads)))
    key = -block_dist if farthest else block_dist
    order = np.lexsort((block_ind, key), axis=1)[:, :k]
    dist[...] = np.take_along_axis(block_dist, order, axis=1)
    ind[...] = np.take_along_axis(block_ind, order, axis=1)


def _centred(A, mean, dtype, order, n_threads):
    """(A[order] - mean, computed in A's precision and stored in dtype; the float64 squared norms
    of its rows). order None: the rows of A in place. One parallel pass, no copy of A."""
    out = np.empty(A.shape, dtype=dtype)
    norms = np.empty(A.shape[0])
    _knn.centre_rows(A, mean, order, out, norms, n_threads)
    return out, norms


def _principal_axes(Xo, tuning=TUNING):
    """Up to tuning.prune_axes orthonormal axes (d x m) along which the rows of Xo spread most
    (their principal axes), the centred float64 sample of rows they come from, the sample's step
    (Xo[::step]) and its mean.

    From at most tuning.axis_sample evenly spaced rows, in float64; deterministic. Any orthonormal
    axes give exact results; long ones only make the pruning of _brute_pass skip more.
    """
    n, d = Xo.shape
    step = max(1, n // tuning.axis_sample)
    S = np.array(Xo[::step], dtype=np.float64)
    mean = S.mean(axis=0)
    S -= mean
    if d <= tuning.axes_max_features:
        # eigenvectors of the d x d scatter matrix, largest eigenvalues first
        axes = np.linalg.eigh(S.T @ S)[1][:, ::-1][:, :min(tuning.prune_axes, d)]
    else:  # one axis by power iteration
        v = S[np.argmax(np.einsum("ij,ij->i", S, S))].copy()  # the farthest row: a good start
        for _ in range(tuning.axis_iterations):
            w = S.T @ (S @ v)
            norm = np.sqrt(w @ w)
            if not norm > 0:
                break
            v = w / norm
        norm = np.sqrt(v @ v)
        if not norm > 0:  # all sampled rows equal the mean: any axis will do
            v = np.zeros(d)
            v[0] = norm = 1.0
        axes = (v / norm)[:, None]
    return np.ascontiguousarray(axes), S, step, mean


def _project(A, mean, axes, block=16384):
    """(A - mean) @ axes in float64, by blocks (no float64 copy of float32 data)."""
    out = np.empty((A.shape[0], axes.shape[1]))
    for start in range(0, A.shape[0], block):
        out[start:start + block] = (A[start:start + block].astype(np.float64) - mean) @ axes
    return out


def _box_order(P, chunk):
    """An order of the rows such that consecutive chunks of ``chunk`` rows are compact in the
    projections P (n x m): slabs along the first axis (whole chunks each), sub-slabs along the
    second inside each slab, and so on, the last axis cut into single chunks. About
    n_chunks ** (1/m) slabs per axis. Rows are only partitioned (numpy.argpartition at the
    slab boundaries), never fully sorted: O(m n) expected time, about 1 + n_chunks ** (1 - 1/m)
    partition calls. Any order gives the same neighbours; compact chunks only let the pruned
    kernel skip more.
    """
    n, m = P.shape
    order = np.arange(n, dtype=np.intp)
    per_axis = max(1, int(np.ceil((-(-n // chunk)) ** (1.0 / m)))) if n else 1
    segments = [(0, n)]
    for a in range(m):
        column = np.ascontiguousarray(P[:, a])
        last = a == m - 1
        inner = []
        for start, stop in segments:
            size = stop - start
            if size <= chunk:  # a single chunk: nothing left to split
                continue
            width = chunk if last else chunk * max(1, -(-(-(-size // chunk)) // per_axis))
            cuts = list(range(width, size, width))
            if not cuts:
                inner.append((start, stop))
                continue
            rows = order[start:stop]
            order[start:stop] = rows[np.argpartition(column[rows], cuts)]
            inner.extend((start + c, min(start + c + width, stop)) for c in [0] + cuts)
        segments = inner
    return order


def _prepared_rows(Xo, dtype, farthest, n_threads, chunk_r, fused, axis):
    """The rows' side of a kernel pass (independent of the queries): (mean, chunk_r, r_order,
    r_proj, inverse, Xc, x_norms, lkey, ukey, c), see _brute_pass."""
    n, d = Xo.shape
    # Centring leaves distances unchanged and shrinks the norms, hence the GEMM's cancellation.
    mean = Xo.mean(axis=0, dtype=np.float64).astype(Xo.dtype)
    if fused:  # whole blocks of 16 rows per chunk
        chunk_r = -(-chunk_r // 16) * 16
    r_order = r_proj = inverse = None
    if axis is not None:
        axes, axes_mean = axis
        x_proj = _project(Xo, axes_mean, axes)
        r_order = _box_order(x_proj, chunk_r)
        r_proj = x_proj[r_order]
        inverse = np.empty(n, dtype=np.intp)  # positions in the sorted rows
        inverse[r_order] = np.arange(n, dtype=np.intp)
    Xc, x_norms = _centred(Xo, mean, dtype, r_order, n_threads)
    # Worst-case bound, relative to ||q||^2 + ||r||^2, of the rounding error of one GEMM-trick
    # key (dot product of d terms, norms, additions, centring and rounding of the rows to the
    # scan precision: about (d + 7) u) plus that of the float64 recomputation which decides
    # the ranking ((d + 1) u D with D <= 2 (||q||^2 + ||r||^2)); eps = 2u.
    c = (2 * d + 16) * float(np.finfo(dtype).eps)
    sign = -1.0 if farthest else 1.0
    lkey = (sign * x_norms - c * x_norms).astype(dtype)
    ukey = (sign * x_norms + c * x_norms).astype(dtype)
    return mean, chunk_r, r_order, r_proj, inverse, Xc, x_norms, lkey, ukey, c


def _brute_pass(Xo, Yo, exclude, k, farthest, n_threads, chunk_q, chunk_r, dtype,
                scan_overflow, dist, ind, block=None, axis=None, prepared=None):
    """One kernel pass with candidates scanned in dtype; returns the overflow flags.

    Yo None and block given: the self-query (exclude = arange(n)) by the symmetric kernel.
    axis given (nearest neighbours, tiled kernel; (axes, centre) from _pruning_axis): rows and
    queries are ordered so that their chunks are compact in their projections on the axes, and
    the kernel skips, per query, the chunks of rows too far from it in those projections.
    prepared: a dict in which the rows' side of the pass (_prepared_rows: centred copy, keys,
    order, packed blocks) is kept for the next pass over the same Xo, or None.
    """
    n, d = Xo.shape
    n_q = n if Yo is None else Yo.shape[0]
    symmetric = Yo is None and block is not None
    prune = axis is not None and not symmetric and not farthest
    fused = not symmetric and _fused_scan(np.dtype(dtype))
    key = (np.dtype(dtype), fused, prune, bool(farthest))
    rows = None if prepared is None else prepared.get(key)
    if rows is None:
        rows = _prepared_rows(Xo, dtype, farthest, n_threads, chunk_r, fused,
                              axis if prune else None)
        if fused:
            rows += (_pack_blocks(rows[5], rows[7]),)
        if prepared is not None:
            prepared[key] = rows
    mean, chunk_r, r_order, r_proj, inverse, Xc, x_norms, lkey, ukey, c = rows[:10]
    # Enough query chunks to keep every thread busy when the queries are few.
    chunk_q = min(chunk_q, max(16, -(-n_q // (4 * n_threads))))
    q_order = q_proj = None
    if prune:
        if Yo is None:
            q_order, q_proj = r_order, r_proj
        else:
            axes, axes_mean = axis
            y_proj = _project(Yo, axes_mean, axes)
            q_order = _box_order(y_proj, chunk_q)
            q_proj = y_proj[q_order]
        if exclude.size:  # positions in the sorted rows
            exclude = exclude[q_order]
            exclude = np.where(exclude >= 0, inverse[np.maximum(exclude, 0)], -1)
    if Yo is None:
        Yc, y_norms = Xc, x_norms
    else:
        Yc, y_norms = _centred(Yo, mean, dtype, q_order, n_threads)
    Yo = Xo if Yo is None else Yo
    qbound = (2.0 * c * y_norms).astype(dtype)
    if symmetric:
        overflowed = np.zeros(n_q, dtype=np.uint8)
        _knn.knn_brute_sym(Xc, Xo, lkey, ukey, qbound, k, bool(farthest), block, n_threads,
                           bool(scan_overflow), overflowed, dist, ind)
        return overflowed
    overflowed = np.zeros(n_q, dtype=np.uint8)
    packed = rows[10] if fused else (None, None)
    if not prune:
        identity = np.arange(max(n, n_q), dtype=np.intp)
        q_order, r_order = identity[:n_q], identity[:n]
    _knn.knn_brute(Yc, Xc, Yo, Xo, lkey, ukey, qbound, exclude, k, bool(farthest), chunk_q,
                   chunk_r, n_threads, bool(scan_overflow), overflowed, dist, ind, q_order,
                   r_order, q_proj, r_proj, y_norms if prune else None, *packed)
    return overflowed


def _pack_blocks(Xc, lkey):
    """The rows of Xc in blocks of 16 for the fused scan: Rp[b, j, e] = Xc[16 b + e, j] (zeros
    past the last row), and lkey padded with NaN (a padding row never passes the filter)."""
    n, d = Xc.shape
    full, rest = divmod(n, 16)
    Rp = np.zeros((full + (rest > 0), d, 16), dtype=Xc.dtype)
    Rp[:full] = Xc[:16 * full].reshape(full, 16, d).transpose(0, 2, 1)
    if rest:
        Rp[full, :, :rest] = Xc[16 * full:].T
    lkp = np.full(16 * Rp.shape[0], np.nan, dtype=lkey.dtype)
    lkp[:n] = lkey
    return Rp, lkp


def _kd_tree_of(Xo):
    """scipy's cKDTree over the rows of Xo."""
    from scipy.spatial import cKDTree

    return cKDTree(Xo)


def _kd_tree(Xo, Yo, exclude, k, excludes_self, n_threads, dist, ind,
             extra=TUNING.kd_tree_extra, tree=None):
    """KD-tree search with exact re-ranking; returns the query rows left for brute force.
    tree: _kd_tree_of(Xo), built when None."""
    n = Xo.shape[0]
    m = min(n, k + extra + int(excludes_self))
    if tree is None:
        tree = _kd_tree_of(Xo)
    cand_dist, cand = tree.query(Yo, k=m, workers=n_threads)
    cand = np.ascontiguousarray(cand.reshape(len(Yo), m), dtype=np.intp)
    cand_dist = np.ascontiguousarray(cand_dist.reshape(len(Yo), m), dtype=np.float64)
    ok = np.zeros(len(Yo), dtype=np.uint8)
    _knn.rerank_candidates(Yo, Xo, cand, cand_dist, exclude, k, n_threads, dist, ind, ok)
    return np.flatnonzero(ok == 0)


# ---------------------------------------------------------------------------------------------
# Approximate search (kneighbors(neighbors="approximate")): faiss-cpu's HNSW graph for the
# candidates, the exact kernel's re-ranking for the answer.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApproximateTuning:
    """Parameters of the approximate search; each was set by the measurement beside it.

    Measured with asv_bench/ann_eval.py (isotropic Gaussian float32, d = 20, self-query of all
    rows, k = 3; CPU time of one thread).
    """

    # Graph degree and build beam. 100,000 rows (build / query CPU seconds, recall@3):
    # M = 32, efConstruction = 80: build 10 s; efSearch 16 / 32 / 64: query 2.1 / 3.9 / 7.2 s,
    # recall 0.978 / 0.991 / 0.998. Cheaper graphs reach 0.97 at about the same total cost,
    # without the margin that larger data need (recall falls as n grows):
    # M = 16, efConstruction = 40: build 4.1 s, recall 0.933 / 0.968 at efSearch 32 / 64
    # (query 3.1 / 5.6 s); M = 16, efConstruction = 64: 8.9 s, 0.972 at 32 (4.8 s); M = 24,
    # efConstruction = 48: 8.4 s, 0.971 at 32 (5.6 s). (Shared machine: +-30% on CPU times.)
    # At 1,000,000 rows (end to end, two threads): the default 0.980 in 374 s; M = 16,
    # efConstruction = 40, efSearch = 32 only 0.844 in 172 s (ENN's rule then differs on 2.3%
    # of the rows it keeps, against 0.33%).
    m: int = 32
    ef_construction: int = 80
    # Search beam: at least ef_search, and at least twice the candidates asked for.
    ef_search: int = 32
    # Candidates asked per query beyond k (and the query's own row): the graph ranks them in
    # float32, the exact float64 re-ranking settles near-ties at the k-th place.
    extra: int = 2
    # Queries per search-and-re-rank pass (bounds the candidate buffers to a few MB).
    slab: int = 65536


APPROXIMATE_TUNING = ApproximateTuning()


def _import_faiss():
    """faiss, or an ImportError naming the extra that installs it."""
    try:
        import faiss
    except ImportError as e:
        raise ImportError(
            "neighbors='approximate' needs faiss-cpu (the 'ann' extra): "
            "pip install \"resamplekit[ann]\"") from e
    return faiss


def _faiss_deterministic_build(faiss):
    """Whether this faiss builds HNSW graphs the same on any number of threads (faiss >= 1.15
    inserts in fixed batches and merges reverse links in a fixed order); older versions insert
    concurrently, in an order threads decide, and build on one thread here."""
    return hasattr(faiss, "hnsw_add_vertices_deterministic")


def _float32_copy(A, e):
    """A * 2**e as C-contiguous float32 (A itself when it already is and e == 0)."""
    if e:
        A = np.ldexp(A, e)
    return np.ascontiguousarray(A, dtype=np.float32)


def _approximate_kneighbors(s, tuning=APPROXIMATE_TUNING):
    """kneighbors(neighbors='approximate') of the validated search s.

    The HNSW graph is built over a float32 copy of X scaled by a power of two (none when X is
    float32 with magnitudes in float32's comfortable range); each query asks it for k + 1 +
    extra candidates, and their exact float64 distances decide the list (_knn.rerank_candidates;
    on X as given, or on X scaled by the same power of two, whose distances are scaled back,
    when X lies outside that range). A query whose candidates hold fewer than k rows other than
    itself gets the exact search. Deterministic: the graph's levels come from faiss's fixed
    seed, its build does not depend on the threads (see _faiss_deterministic_build), and queries
    are independent of each other.
    Time: about n log n distance evaluations times M * efConstruction for the build, log n times
    M * efSearch per query; measured (d = 20, two threads) the CPU time grows as n**1.35-1.42
    from 100,000 to 1,000,000 rows, as the graph outgrows the caches. Memory: the index, 4 d
    bytes per row (faiss's copy of the float32 data) plus about 8 M bytes per row (the level-0
    links; the upper levels add a few percent): 336 bytes per row for d = 20, M = 32; a float32
    copy of X when it is not float32 (4 d bytes per row), a scaled copy of X in its dtype
    outside float32's comfortable range, the queries X[rows] when rows is given, and per slab of
    queries 28 m bytes of candidates per query.
    """
    faiss = _import_faiss()
    Xo, k = np.ascontiguousarray(s.X), s.k
    n, d = Xo.shape
    if s.Y is not None:
        Qo = np.ascontiguousarray(s.Y, dtype=Xo.dtype)
        exclude = np.full(Qo.shape[0], -1, np.intp)
    elif s.rows is not None:
        Qo, exclude = Xo[s.rows], s.rows.copy()
    else:
        Qo, exclude = Xo, np.arange(n, dtype=np.intp)
    n_q = Qo.shape[0]
    m = min(n, k + tuning.extra + int(s.Y is None))
    # Data float32 holds comfortably are searched as float32 (a copy unless they are float32);
    # others are scaled by the power of two that brings their largest magnitude near 1 (its
    # rounding only affects which candidates are found, never their order).
    e = 0 if _scan_holds(s.magnitude, d) else -int(np.frexp(s.magnitude)[1])
    X32 = _float32_copy(Xo, e)
    if s.Y is None:
        Q32 = X32 if s.rows is None else X32[s.rows]
    else:
        Q32 = _float32_copy(Qo, e)
    threads = int(s.n_threads)
    dist = np.empty((n_q, k), dtype=np.float64)
    ind = np.full((n_q, k), -1, dtype=np.intp)
    ok = np.zeros(n_q, dtype=np.uint8)
    # Re-ranked on the data the graph saw, scaled (squares of huge or tiny values stay normal).
    Xr = np.ldexp(Xo, e) if e else Xo
    if not e:
        Qr = Qo
    elif s.Y is None:
        Qr = Xr if s.rows is None else Xr[s.rows]
    else:
        Qr = np.ldexp(Qo, e)
    slab = tuning.slab
    # rerank_candidates reads the last column only (the exactness proof of the KD-tree's
    # lists): inf accepts every list of at least k candidates as it is.
    cand_dist = np.full((min(slab, n_q), m), np.inf)
    saved = faiss.omp_get_max_threads()
    try:
        faiss.omp_set_num_threads(threads if _faiss_deterministic_build(faiss) else 1)
        index = faiss.IndexHNSWFlat(d, tuning.m)
        index.hnsw.efConstruction = tuning.ef_construction
        index.add(X32)
        faiss.omp_set_num_threads(threads)
        index.hnsw.efSearch = max(tuning.ef_search, 2 * m)
        for q0 in range(0, n_q, slab):
            q1 = min(n_q, q0 + slab)
            _, cand = index.search(Q32[q0:q1], m)
            cand = np.ascontiguousarray(cand, dtype=np.intp)
            cand[cand < 0] = n  # faiss marks missing candidates -1; the re-ranking skips n
            _knn.rerank_candidates(Qr[q0:q1], Xr, cand, cand_dist[:q1 - q0], exclude[q0:q1],
                                   k, threads, dist[q0:q1], ind[q0:q1], ok[q0:q1])
    finally:
        faiss.omp_set_num_threads(saved)
    del index, Xr, Qr
    if e:
        dist = np.ldexp(dist, -e)
    short = np.flatnonzero(ok == 0)
    if short.size:  # too few candidates (many duplicates): the exact answer for those rows
        if s.Y is None:
            rows = exclude[short]
            dist[short], ind[short] = kneighbors(Xo, k, rows=rows, n_jobs=threads)
        else:
            dist[short], ind[short] = kneighbors(Xo, k, Y=Qo[short], n_jobs=threads)
    return dist, ind


# ---------------------------------------------------------------------------------------------
# Other metrics and sums: SMOTE-NC's mixed metric, SMOTE-N's value difference metric, and the
# sum of all pairwise Euclidean distances (KMeans-SMOTE's cluster sparsity). Same rules as
# kneighbors: lists sorted by (distance, index), ties to the lower index, self excluded by
# index, results independent of the thread count, never an n x n matrix. The searches run the
# streamed kernels of _kernels._smote_categorical (the metrics are not Euclidean on the data).
# ---------------------------------------------------------------------------------------------
from resamplekit._kernels import _smote_categorical  # noqa: E402  (kept with its section)

__all__ += ["kneighbors_mixed", "kneighbors_vdm", "vdm_class_probabilities",
            "sum_pairwise_distances", "kneighbors_vdm_csr", "vdm_class_probabilities_csr"]


# ---------------------------------------------------------------------------------------------
# Sparse input (scipy.sparse): one exact search over CSR rows, never a dense copy of X.
#
# Keys. The approximate squared distance of query q and row r is |q|^2 + |r|^2 - 2 q.r (row
# norms and sparse dot products, in float64). Its rounding error, and that of the exact
# distance (the sum of squared differences over the union of the two rows' columns, in float64
# in column order: the dense kernels' exact_sqdist, which skips only exact zeros), are both
# below c (|q|^2 + |r|^2) + tiny, c = (4 (nnz(q) + max nnz(r)) + 16) eps (see
# _sparse_error_factor). So every row whose key minus that bound is at most the k-th smallest
# key plus the bound is a candidate, and the candidates re-ranked by their exact distance (ties
# by index) give the exact answer.

# Absolute slack of the bound, for sums that underflow (far below any normal distance).
_SPARSE_TINY = 2.0**-1000
# Posting-list entries a thread must have to visit before a search starts another (about
# 1 ms of work; small searches run on one thread).
_SPARSE_WORK_PER_THREAD = 500_000


class _SparseRows:
    """Rows of a sparse matrix in canonical CSR form: sorted, duplicate-free column indices
    (intp), float64 values; with the squared norms of the rows, the largest row length and the
    largest magnitude (of the whole matrix the rows come from: _CSRSource). Built from the
    caller's matrix without modifying it."""

    __slots__ = ("data", "indices", "indptr", "shape", "norms", "max_nnz", "magnitude")

    def __init__(self, data, indices, indptr, shape, magnitude):
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape
        lengths = np.diff(indptr)
        self.max_nnz = int(lengths.max()) if lengths.size else 0
        self.magnitude = magnitude
        # Squared norms (sequential float64 sums per row): only used in the keys.
        row_of = np.repeat(np.arange(shape[0], dtype=np.intp), lengths)
        self.norms = np.bincount(row_of, weights=data * data, minlength=shape[0]).astype(
            np.float64, copy=False)  # (int64 when there is no stored value)

    def row(self, i):
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.indices[lo:hi], self.data[lo:hi]


# Stored values per block of the sparse search: X's rows are searched a block at a time (and
# the queries taken a block at a time), so that its working memory stays bounded whatever the
# input's size (see _sparse_kneighbors). About 100 bytes per value of a block at the peak (the
# block's float64/intp copy and norms, its column ids and lists, the sort of its columns when
# X is very wide, the dense block of its frequent columns, the query block's copy and column
# ids): 2**21 values, about 200 MB. The k-lists of the blocks are merged by (distance, index),
# the same answer as one block. Measured on 100,000 x 200,000 text-like rows (4.9 million
# values, 3 x 3 blocks): the same time as one block.
_SPARSE_BLOCK_VALUES = 2**21
# Values validated (finite, magnitude, canonical order) at a time: temporaries of a few MB.
_SPARSE_CHECK_VALUES = 2**20


class _CSRSource:
    """A scipy.sparse matrix's CSR arrays as given (any float or integer dtype, int32 or int64
    indices), validated without a copy of the same size: canonical (sorted, duplicate-free
    columns; a canonical copy otherwise, summed as scipy sums), finite; with the largest
    magnitude and row length. Blocks of rows come out as _SparseRows (float64, intp), so that
    only a block at a time is converted. The caller's matrix is never modified."""

    __slots__ = ("data", "indices", "indptr", "shape", "max_nnz", "magnitude")

    def __init__(self, A, name):
        from scipy import sparse

        if A.ndim != 2:
            raise ValueError(
                f"{name} must be a 2-D matrix (rows x features), got shape {A.shape}")
        if A.dtype.kind not in "biuf":
            raise TypeError(
                f"{name} must be a sparse matrix of integers or floats, got dtype {A.dtype}")
        if A.format != "csr":
            A = A.tocsr()  # CSC, COO, ...: converted once (a new matrix)
        data, indices, indptr = np.asarray(A.data), np.asarray(A.indices), np.asarray(A.indptr)
        shape = (int(A.shape[0]), int(A.shape[1]))
        nnz = int(indptr[-1]) if indptr.size else 0
        data, indices = data[:nnz], indices[:nnz]
        magnitude, canonical = 0.0, True
        for lo, hi in _value_blocks(indptr, _SPARSE_CHECK_VALUES):
            part = data[indptr[lo]:indptr[hi]]
            if part.size == 0:
                continue
            if part.dtype.kind == "f" and not np.isfinite(part).all():
                raise ValueError(
                    f"{name} must contain only finite values, got NaN or infinity")
            magnitude = max(magnitude, float(part.max()), -float(part.min()))
            if canonical:
                canonical = _csr_is_canonical(indices[indptr[lo]:indptr[hi]],
                                              indptr[lo:hi + 1] - indptr[lo])
        if not canonical:
            # sorted and summed on a copy (scipy's sum_duplicates works in place), in the
            # input's dtype as toarray() sums
            B = sparse.csr_matrix((data.copy(), indices.copy(), indptr.copy()), shape=shape)
            B.sum_duplicates()
            data, indices, indptr = B.data, B.indices, B.indptr
            magnitude = float(np.abs(data).max()) if data.size else 0.0
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape
        self.max_nnz = int(np.diff(indptr).max()) if shape[0] else 0
        self.magnitude = magnitude

    def rows_range(self, lo, hi, e=0):
        """Rows lo..hi-1 as _SparseRows, multiplied by 2**e (exact)."""
        a, b = int(self.indptr[lo]), int(self.indptr[hi])
        data = self.data[a:b].astype(np.float64)  # a copy, scaled in place
        if e:
            np.ldexp(data, e, out=data)
        indptr = self.indptr[lo:hi + 1].astype(np.intp)
        indptr -= a
        return _SparseRows(data, self.indices[a:b].astype(np.intp), indptr,
                           (hi - lo, self.shape[1]), magnitude=math.ldexp(self.magnitude, e))

    def take(self, rows, e=0):
        """The rows ``rows`` (intp array) as _SparseRows, multiplied by 2**e."""
        starts = self.indptr[rows].astype(np.intp)
        lengths = self.indptr[rows + 1].astype(np.intp) - starts
        indptr = np.zeros(rows.size + 1, dtype=np.intp)
        np.cumsum(lengths, out=indptr[1:])
        pick = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1], dtype=np.intp)
        data = self.data[pick].astype(np.float64, copy=False)
        if e:
            data = np.ldexp(data, e)
        return _SparseRows(data, self.indices[pick].astype(np.intp, copy=False), indptr,
                           (rows.size, self.shape[1]), magnitude=math.ldexp(self.magnitude, e))


def _value_blocks(indptr, max_values, min_rows=1, rows_of=None):
    """Consecutive ranges (lo, hi) of rows (of ``rows_of``, an intp array of row numbers, when
    given: positions in it) holding at most ``max_values`` stored values and ``max_values``
    rows each, or a single row when that row alone holds more; every range but a lone one has
    at least ``min_rows`` rows (the last takes the rest when fewer would remain)."""
    if rows_of is None:
        ends = np.asarray(indptr, dtype=np.int64)
    else:
        ends = np.zeros(rows_of.size + 1, dtype=np.int64)
        np.cumsum(indptr[rows_of + 1] - indptr[rows_of], out=ends[1:])
    n = ends.size - 1
    blocks, lo = [], 0
    max_values = max(1, int(max_values))
    while lo < n:
        hi = int(np.searchsorted(ends, ends[lo] + max_values, side="right")) - 1
        hi = min(max(hi, lo + 1, lo + min_rows), lo + max(max_values, min_rows), n)
        if n - hi < min_rows:
            hi = n
        blocks.append((lo, hi))
        lo = hi
    return blocks


def _csr_is_canonical(indices, indptr):
    """Whether the column indices increase strictly inside every row (O(nnz))."""
    if indices.size < 2:
        return True
    rising = np.diff(indices) > 0
    # positions where a new row starts are exempt
    starts = indptr[1:-1]
    starts = starts[(starts > 0) & (starts < indices.size)]
    rising[starts - 1] = True
    return bool(rising.all())


def _sparse_error_factor(q_nnz, max_nnz):
    """c of the key bound (see above), per query."""
    return (4.0 * (np.asarray(q_nnz, dtype=np.float64) + max_nnz) + 16.0) \
        * float(np.finfo(np.float64).eps)


def _sparse_exact_sqdist(qi, qv, ri, rv):
    """The exact squared distance of two sorted sparse rows: sum over the union of their
    columns, in column order, of the float64 squared differences (as the dense exact_sqdist,
    whose zero terms do not change a sum)."""
    cols = np.concatenate((qi, ri))
    if cols.size == 0:
        return 0.0
    union, inverse = np.unique(cols, return_inverse=True)
    t = np.zeros(union.size)
    np.add.at(t, inverse[:qi.size], qv)
    np.add.at(t, inverse[qi.size:], -rv)  # q - r in each column (0 + q - r: exact)
    return float(np.cumsum(t * t)[-1])  # sequential, in column order


def _sparse_kneighbors_reference(Xs, Qs, own, k, farthest, chunk=None):
    """The sparse search in NumPy/scipy (reference for the kernel, and its tests).

    Xs, Qs: _SparseRows of the rows and the queries; own[i]: the row of X that query i is
    (excluded by index), or -1. Queries by chunks of B rows: dense B x n blocks of keys (B n <=
    2**19 values: about 8 such arrays of 4 MB), the sparse products over the columns X uses.
    Returns (squared exact distances, indices).
    """
    from scipy import sparse

    n, n_q = Xs.shape[0], Qs.shape[0]
    used, x_cols = np.unique(Xs.indices, return_inverse=True)
    Xc = sparse.csr_matrix((Xs.data, x_cols.reshape(-1), Xs.indptr), shape=(n, used.size))
    pos = np.searchsorted(used, Qs.indices)
    inside = pos < used.size
    inside[inside] = used[pos[inside]] == Qs.indices[inside]
    row_of = np.repeat(np.arange(n_q, dtype=np.intp), np.diff(Qs.indptr))
    Qc = sparse.csr_matrix((Qs.data[inside], (row_of[inside], pos[inside])),
                           shape=(n_q, used.size))
    XcT = Xc.T.tocsr()  # O(nnz + number of used columns)
    c = _sparse_error_factor(np.diff(Qs.indptr), Xs.max_nnz)
    sign = -1.0 if farthest else 1.0
    B = chunk or max(1, min(n_q, 2**19 // max(n, 1)))
    dist = np.empty((n_q, k))
    ind = np.empty((n_q, k), dtype=np.intp)
    for start in range(0, n_q, B):
        stop = min(start + B, n_q)
        G = (Qc[start:stop] @ XcT).toarray()
        total = Qs.norms[start:stop, None] + Xs.norms[None, :]
        key = sign * (total - 2.0 * G)
        bound = c[start:stop, None] * total + _SPARSE_TINY
        upper, lower = key + bound, key - bound
        q_rows = np.arange(stop - start)
        mine = own[start:stop]
        selfq = mine >= 0
        upper[q_rows[selfq], mine[selfq]] = np.inf
        lower[q_rows[selfq], mine[selfq]] = np.inf
        kth = np.partition(upper, k - 1, axis=1)[:, k - 1]
        for i in range(stop - start):
            cand = np.flatnonzero(lower[i] <= kth[i])
            qi, qv = Qs.row(start + i)
            exact = np.array([_sparse_exact_sqdist(qi, qv, *Xs.row(r)) for r in cand])
            order = np.lexsort((cand, sign * exact))[:k]
            dist[start + i] = exact[order]
            ind[start + i] = cand[order]
    return dist, ind


def _sparse_kneighbors_kernel(Xs, Qs, own, k, farthest, n_threads, chunk=None, heavy=None):
    """The sparse search by the Cython kernel (``_sparse_knn.kneighbors_csr``).

    Xs, Qs: _SparseRows of the rows and the queries; own[i]: the row of X that query i is
    (excluded by index), or -1. heavy: the most heavy columns (None: _heavy_columns decides;
    tests force 0 or more). Returns (squared exact distances, indices).

    Extra memory: the column lists of X over the u columns it uses (16 nnz(X) + 8 u bytes),
    the queries' column ids (8 nnz(Q); on the way, a table of 8 d bytes when d <= 4 nnz(X) +
    2**20, as _used_columns), the rows' norm order (8 n), the dense float32 block of X's h heavy
    columns (4 n h <= 6 nnz(X) bytes, plus 8 n for the rows' norms |r|) and, per thread,
    33 n + 8 k bytes plus, with heavy columns, a chunk x n float32 tile (4 chunk n <= 8 MB).
    """
    n, n_q = Xs.shape[0], Qs.shape[0]
    used, x_cols = _used_columns(Xs.indices, Xs.shape[1])
    col_ptr, col_rows, col_vals = _sparse_knn.column_lists(x_cols, Xs.indptr, Xs.data,
                                                           used.size)
    if Qs is Xs:
        q_cols = x_cols
    elif Xs.shape[1] <= 4 * Xs.indices.size + 2**20:  # a position per column (as _used_columns)
        del x_cols
        position = np.full(Xs.shape[1], -1, dtype=np.intp)
        position[used] = np.arange(used.size, dtype=np.intp)
        q_cols = position[Qs.indices]
        del position
    else:
        del x_cols
        q_cols = np.searchsorted(used, Qs.indices).astype(np.intp, copy=False)
        absent = q_cols >= used.size
        q_cols[absent] = 0
        absent |= used[q_cols] != Qs.indices
        q_cols[absent] = -1
        del absent
    magnitude = max(Xs.magnitude, Qs.magnitude)
    if magnitude > _HEAVY_MAX_MAGNITUDE or \
            magnitude * magnitude * max(Xs.max_nnz, Qs.max_nnz, 1) > 2.0**120:
        heavy = 0  # float32 products or their sums could overflow: posting lists only
    heavy_cols = _heavy_columns(np.diff(col_ptr), q_cols, n, n_q, Xs.indptr[-1], heavy)
    h = heavy_cols.size
    heavy_slot = np.full(used.size, -1, dtype=np.intp)
    heavy_slot[heavy_cols] = np.arange(h, dtype=np.intp)
    xh = np.zeros((n, h), dtype=np.float32)
    for slot, col in enumerate(heavy_cols):
        members = col_rows[col_ptr[col]:col_ptr[col + 1]]
        xh[members, slot] = col_vals[col_ptr[col]:col_ptr[col + 1]]
    x_rnorms = np.sqrt(Xs.norms) if h else np.zeros(0)
    # Values and products below float32's normal range lose their digits: at most 2**-150
    # each, hence, per term of a float32 dot product, this absolute error (_sparse_knn._query
    # multiplies it by the terms' count).
    slack_unit = 8.0 * (magnitude + 1.0) * 2.0**-149
    norm_order = np.argsort(Xs.norms, kind="stable").astype(np.intp, copy=False)
    sq = np.empty((n_q, k), dtype=np.float64)
    ind = np.full((n_q, k), -1, dtype=np.intp)
    # Queries per chunk: enough chunks to balance the threads (query costs vary with their
    # columns' frequencies); with heavy columns, a chunk x n tile of at most 2**21 values.
    if chunk is None:
        chunk = int(min(64, max(1, n_q // (16 * n_threads))))
    if h:
        chunk = int(min(chunk, max(1, 2**21 // n)))  # float32 tile: 8 MB at most
    # work: the posting-list entries the queries visit (estimated from the mean list length)
    work = Qs.indptr[-1] * (Xs.indptr[-1] / max(used.size, 1)) + 16 * n_q + n_q * n * (h > 0)
    threads = threads_for(n_threads, work, _SPARSE_WORK_PER_THREAD)
    with _single_threaded_blas():
        _sparse_knn.kneighbors_csr(
            Xs.data, Xs.indices, Xs.indptr, Xs.norms, col_ptr, col_rows, col_vals, norm_order,
            xh, x_rnorms, heavy_slot, slack_unit, Qs.data, Qs.indices, q_cols, Qs.indptr,
            Qs.norms,
            np.ascontiguousarray(own, np.intp), k, Xs.max_nnz, farthest, sq, ind, threads,
            chunk)
    return sq, ind


def _used_columns(indices, d):
    """(the sorted distinct column indices, each entry's position among them): a count per
    column when d is at most a few times the entries (O(nnz + d)), else a sort (O(nnz log
    nnz), never O(d))."""
    if d <= 4 * indices.size + 2**20:
        present = np.zeros(d, dtype=bool)
        present[indices] = True
        used = np.flatnonzero(present)
        del present
        position = np.zeros(d, dtype=np.intp)
        position[used] = np.arange(used.size, dtype=np.intp)
        return used, position[indices]
    used, x_cols = np.unique(indices, return_inverse=True)
    return used, x_cols.reshape(-1).astype(np.intp, copy=False)


# Heavy columns (frequent in X and in the queries, as a text's most common words) are
# multiplied as a dense float32 block by SGEMM (about 0.02 ns a multiply-add; its rounding is
# inside the candidate window) instead of their posting lists (several ns an entry): a column
# goes dense when the share of rows and of queries using it, multiplied, is at least
# _HEAVY_MIN_SHARE (posting lists then visit at least that share of all query-row pairs), the
# most shared first; the dense block (4 n h bytes) stays below _HEAVY_BYTES_PER_NONZERO bytes
# per stored value of X and _HEAVY_MAX_COLUMNS columns. Measured on 100,000 x 200,000 text-like
# data (sparse_data.py), 2,000 queries, one thread: 3.6-4 s of CPU with the float64 block
# (44 columns) against 7-8 s with posting lists only; chunks of 4 queries instead of 20: 6 s.
# With the float32 dense mode (light columns added to the tile, one scan), minority queries
# against all rows, one thread: 4,000 queries with 16 to 44 heavy columns within the noise
# (about 2.1 s of CPU with the setup), 8 columns slower (2.6 s); 3,000 queries in chunks of
# 41 (a 16 MB tile) instead of 20: no gain.
_HEAVY_MIN_SHARE = 1.0 / 64
_HEAVY_BYTES_PER_NONZERO = 6
_HEAVY_MAX_COLUMNS = 128
# Data of larger magnitude (after the sparse search's scaling) use posting lists only: float32
# products and sums of the heavy block stay far below float32's overflow.
_HEAVY_MAX_MAGNITUDE = 2.0**56


def _heavy_columns(x_counts, q_cols, n, n_q, nnz, heavy=None):
    """Compressed ids of the columns the kernel multiplies densely (see _HEAVY_MIN_SHARE).
    heavy: None (decide), or the number of the most shared columns to take (tests)."""
    q_counts = np.bincount(q_cols[q_cols >= 0], minlength=x_counts.size)
    share = (x_counts / max(n, 1)) * (q_counts / max(n_q, 1))
    order = np.argsort(-share, kind="stable")
    if heavy is not None:
        return np.sort(order[:int(heavy)][share[order[:int(heavy)]] > 0])
    limit = min(_HEAVY_MAX_COLUMNS, int(_HEAVY_BYTES_PER_NONZERO * nnz // (4 * max(n, 1))))
    order = order[:limit]
    return np.sort(order[share[order] >= _HEAVY_MIN_SHARE])

def _sparse_kneighbors(X, k, Y, rows, farthest, n_jobs, chunk_size, algorithm,
                       method="kernel", heavy=None):
    """kneighbors for scipy.sparse X or Y (the other, if dense, is taken as CSR): validated
    like the dense search, same answer as on the dense form. method: "kernel" (heavy: see
    _sparse_kneighbors_kernel) or "reference" (_sparse_kneighbors_reference; tests).

    The rows of X are searched a block at a time (at most _SPARSE_BLOCK_VALUES stored values
    and at least k + 1 rows a block), each against the queries a block at a time, and the
    k-lists merged by (distance, index): the working memory is bounded by the block size, and
    the answer is that of one block (exact distances do not depend on the blocks)."""
    from scipy import sparse

    src = _CSRSource(X if _is_sparse(X) else sparse.csr_matrix(
        _as_float_array(X, "X")[0]), "X")
    n, d = src.shape
    if n == 0:
        raise ValueError(f"X must have at least one row, got a matrix of shape {src.shape}")
    if d == 0:
        raise ValueError(f"X must have at least one feature, got a matrix of shape {src.shape}")
    self_query = Y is None
    if rows is not None:
        if not self_query:
            raise ValueError("rows and Y cannot both be given: rows queries rows of X itself")
        rows = _check_rows(rows, n)
    qsrc = src
    if not self_query:
        qsrc = _CSRSource(Y if _is_sparse(Y) else sparse.csr_matrix(
            _as_float_array(Y, "Y")[0]), "Y")
        if qsrc.shape[1] != d:
            raise ValueError(
                f"Y must have the same number of features as X ({d}), got {qsrc.shape[1]}")
    k, farthest, n_threads, chunk_size = _check_search_keywords(
        n, k, self_query, farthest, n_jobs, chunk_size, algorithm, sparse=True)
    farthest = bool(farthest)
    if self_query:
        own = np.arange(n, dtype=np.intp) if rows is None else rows
    else:
        own = np.full(qsrc.shape[0], -1, dtype=np.intp)
    if own.size == 0:
        return np.empty((0, k), dtype=np.float64), np.empty((0, k), dtype=np.intp)
    # Scale (exact, by a power of two) data outside [2**-60, 2**60] so that no square over- or
    # underflows; the distances are scaled back.
    e = 0
    magnitude = max(src.magnitude, qsrc.magnitude)
    max_nnz = max(src.max_nnz, qsrc.max_nnz, 1)
    if not _scan_holds(magnitude, 2 * max_nnz):
        e = _rescaled_exponent(magnitude, 2 * max_nnz)

    def queries(lo, hi):
        if not self_query:
            return qsrc.rows_range(lo, hi, e)
        if rows is None:
            return src.rows_range(lo, hi, e)
        return src.take(own[lo:hi], e)

    if method == "reference":
        Xs, Qs = src.rows_range(0, n, e), queries(0, own.size)
        sq, ind = _sparse_kneighbors_reference(Xs, Qs, own, k, farthest, chunk_size)
    else:
        x_blocks = _value_blocks(src.indptr, _SPARSE_BLOCK_VALUES, min_rows=k + 1)
        q_blocks = _value_blocks(qsrc.indptr, _SPARSE_BLOCK_VALUES,
                                 rows_of=None if rows is None else own)
        sq = np.empty((own.size, k), dtype=np.float64)
        ind = np.empty((own.size, k), dtype=np.intp)
        for i, (r0, r1) in enumerate(x_blocks):
            Xs = src.rows_range(r0, r1, e)
            for a, b in q_blocks:
                whole = self_query and rows is None and (a, b) == (r0, r1)
                Qs = Xs if whole else queries(a, b)
                mine = own[a:b] - r0
                mine[(mine < 0) | (mine >= r1 - r0)] = -1
                s_b, i_b = _sparse_kneighbors_kernel(Xs, Qs, mine, k, farthest, n_threads,
                                                     chunk_size, heavy)
                i_b += r0
                if i == 0:
                    sq[a:b], ind[a:b] = s_b, i_b
                else:
                    sq[a:b], ind[a:b] = _merged_lists(sq[a:b], ind[a:b], s_b, i_b, farthest)
                del Qs, s_b, i_b
            del Xs
    dist = np.sqrt(sq, out=sq)
    if e:
        dist = np.ldexp(dist, -e, out=dist)
    return dist, ind


def _merged_lists(sq_a, ind_a, sq_b, ind_b, farthest):
    """Two k-lists of the same queries (squared distances, indices) merged by (distance,
    index), the k first kept."""
    k = sq_a.shape[1]
    sq = np.concatenate([sq_a, sq_b], axis=1)
    ind = np.concatenate([ind_a, ind_b], axis=1)
    order = np.lexsort((ind, -sq if farthest else sq), axis=1)[:, :k]
    return np.take_along_axis(sq, order, axis=1), np.take_along_axis(ind, order, axis=1)


def _check_codes(codes, name="codes"):
    """A 2-D int32 C-contiguous array of non-negative category codes."""
    arr = np.asarray(codes)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows x features), got an array of shape {arr.shape}"
        )
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer category codes, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() > np.iinfo(np.int32).max):
        raise ValueError(
            f"{name} must hold category codes in [0, 2**31 - 1], got values in "
            f"[{arr.min()}, {arr.max()}]"
        )
    return np.ascontiguousarray(arr, dtype=np.int32)


def _check_self_k(k, n):
    k = check_int(k, "k", minimum=1)
    if k > n - 1:
        raise ValueError(
            f"k must be <= {n - 1}, the number of rows minus one (each row is excluded from its "
            f"own list), got {k!r}"
        )
    return k


def kneighbors_mixed(X, codes, k, *, cat_distance, n_jobs=None):
    """k nearest other rows under SMOTE-NC's metric: continuous plus categorical columns.

    The distance between rows i and j is
    ``sqrt(sum_l (X[i, l] - X[j, l]) ** 2 + cat_distance ** 2 * #{f : codes[i, f] != codes[j, f]})``:
    the Euclidean distance of imbalanced-learn's SMOTE-NC on the continuous columns next to
    the one-hot encoded categorical columns scaled by ``cat_distance / sqrt(2)`` (SMOTE-NC's
    ``cat_distance`` is the median of the continuous columns' standard deviations), computed
    without the one-hot matrix.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_continuous)
        The continuous columns, finite. float32 is read as float32; the sums are in float64.
    codes : array-like of int of shape (n_samples, n_categorical)
        The categorical columns as integer codes (only equality of codes matters).
    k : int
        Neighbours per row, ``1 <= k <= n_samples - 1``.
    cat_distance : float
        Distance added (in quadrature) by each categorical column whose codes differ; finite
        and >= 0.
    n_jobs : int, default=None
        Threads (None or -1: all cores); the result does not depend on it.

    Returns
    -------
    distances : ndarray of shape (n_samples, k), float64
    indices : ndarray of shape (n_samples, k), intp
        For every row, its k nearest other rows, sorted by (squared distance, index): ties go
        to the lower row index, and a row is excluded from its own list by index (a duplicate
        is a neighbour at distance 0).

    Notes
    -----
    Streamed brute force over all pairs, O(n^2 (n_continuous + n_categorical)) time; the
    categorical columns are compared only for rows whose continuous part alone is closer than
    the current k-th neighbour. Memory: the outputs.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import kneighbors_mixed
    >>> X = np.array([[0.0], [0.5], [1.0], [3.0]])
    >>> codes = np.array([[0], [1], [0], [0]])
    >>> dist, ind = kneighbors_mixed(X, codes, 2, cat_distance=1.0)
    >>> ind
    array([[2, 1],
           [0, 2],
           [0, 1],
           [2, 1]])
    >>> dist[0]
    array([1.        , 1.11803399])
    """
    Xo, _ = _as_float_array(X, "X")
    codes = _check_codes(codes)
    n = Xo.shape[0]
    if codes.shape[0] != n:
        raise ValueError(
            f"X and codes must have the same number of rows, got {n} and {codes.shape[0]}"
        )
    if n == 0:
        raise ValueError(f"X must have at least one row, got an array of shape {Xo.shape}")
    if isinstance(cat_distance, (bool, np.bool_)) or not isinstance(cat_distance, numbers.Real) \
            or not (np.isfinite(cat_distance) and cat_distance >= 0):
        raise ValueError(f"cat_distance must be a finite real number >= 0, got {cat_distance!r}")
    k = _check_self_k(k, n)
    n_threads = check_n_jobs(n_jobs)
    cat_weight = float(cat_distance) * float(cat_distance)
    dist = np.empty((n, k), dtype=np.float64)
    ind = np.empty((n, k), dtype=np.intp)
    _smote_categorical.mixed_kneighbors(np.ascontiguousarray(Xo), codes, cat_weight, k, dist,
                                        ind, n_threads)
    np.sqrt(dist, out=dist)
    return dist, ind


def vdm_class_probabilities(codes, y, n_categories, n_classes):
    """The statistics of the value difference metric: per feature, P(class | category).

    Parameters
    ----------
    codes : array-like of int of shape (n_samples, n_features)
        Category codes, ``0 <= codes[:, f] < n_categories[f]``.
    y : array-like of int of shape (n_samples,)
        Class codes, ``0 <= y < n_classes``.
    n_categories : sequence of int
        The number of categories of each feature.
    n_classes : int

    Returns
    -------
    list of ndarray
        One (n_categories[f], n_classes) float64 array per feature (imbalanced-learn's
        ``ValueDifferenceMetric.proba_per_class_``); a category no row has gets probability 0
        for every class.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import vdm_class_probabilities
    >>> codes = np.array([[0], [0], [1], [1]])
    >>> vdm_class_probabilities(codes, np.array([0, 1, 1, 1]), [3], 2)[0]
    array([[0.5, 0.5],
           [0. , 1. ],
           [0. , 0. ]])
    """
    codes = _check_codes(codes)
    y = np.asarray(y)
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    if y.shape != (codes.shape[0],) or (y.size and y.dtype.kind not in "iu"):
        raise ValueError(
            f"y must be a 1-D array of {codes.shape[0]} class codes, got {y.dtype} of shape "
            f"{y.shape}"
        )
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"y must hold class codes in [0, {n_classes - 1}]")
    n_categories = [check_int(m, "n_categories", minimum=1) for m in n_categories]
    if len(n_categories) != codes.shape[1]:
        raise ValueError(
            f"n_categories must give one count per feature ({codes.shape[1]}), got "
            f"{len(n_categories)}"
        )
    proba = []
    for f in range(codes.shape[1]):
        if codes.shape[0] and codes[:, f].max() >= n_categories[f]:
            raise ValueError(
                f"codes of feature {f} must be < n_categories[{f}] = {n_categories[f]}, got "
                f"{codes[:, f].max()}"
            )
        counts = np.zeros((n_categories[f], n_classes), dtype=np.float64)
        np.add.at(counts, (codes[:, f], y), 1.0)
        with np.errstate(invalid="ignore"):
            p = counts / counts.sum(axis=1, keepdims=True)
        proba.append(np.nan_to_num(p, copy=False))
    return proba


def _vdm_queries(rows, n):
    """The query rows of kneighbors_vdm(_csr) as intp indices (None: every row)."""
    if rows is None:
        return np.arange(n, dtype=np.intp)
    queries = np.asarray(rows)
    if queries.ndim != 1 or (queries.size and queries.dtype.kind not in "iu"):
        raise TypeError(f"rows must be a 1-d array of row indices, got {rows!r}")
    queries = np.ascontiguousarray(queries, dtype=np.intp)
    if queries.size and (queries.min() < 0 or queries.max() >= n):
        raise ValueError(f"rows must be indices in [0, {n - 1}]")
    return queries


def kneighbors_vdm(codes, k, *, proba, rows=None, n_jobs=None):
    """k nearest other rows of categorical data under the value difference metric (VDM).

    The distance between rows i and j is imbalanced-learn's ``ValueDifferenceMetric`` with
    ``k=1, r=2``: ``sum_f (sum_c |P_f(c | codes[i, f]) - P_f(c | codes[j, f])|) ** 2``, the sum
    over features of the squared L1 distance between the class-probability vectors of the two
    categories (no square root, as imbalanced-learn).

    Parameters
    ----------
    codes : array-like of int of shape (n_samples, n_features)
        The rows searched, as category codes.
    k : int
        Neighbours per query, ``1 <= k <= n_samples - 1``.
    proba : list of array-like
        Per feature, the (n_categories[f], n_classes) table P(class | category), e.g. from
        :func:`vdm_class_probabilities` (it may be fitted on more rows than ``codes``).
    rows : array-like of int, default=None
        Query only the rows ``codes[rows]`` (None: every row).
    n_jobs : int, default=None
        Threads (None or -1: all cores); the result does not depend on it.

    Returns
    -------
    distances : ndarray of shape (n_queries, k), float64
    indices : ndarray of shape (n_queries, k), intp
        Sorted by (distance, index): ties, frequent with categorical data, go to the lower row
        index; a query row is excluded from its own list by index.

    Notes
    -----
    Streamed query by query, O(n_queries * n_features * (n_samples + n_categories *
    n_classes)) time; memory: the outputs and one n_samples buffer per thread. The categories
    are re-coded over the categories ``codes`` uses, so the per-query tables cover only those.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import kneighbors_vdm, vdm_class_probabilities
    >>> codes = np.array([[0], [1], [2], [0]])
    >>> proba = vdm_class_probabilities(codes, np.array([0, 1, 1, 0]), [3], 2)
    >>> dist, ind = kneighbors_vdm(codes, 2, proba=proba)
    >>> ind
    array([[3, 1],
           [2, 0],
           [1, 0],
           [0, 1]])
    >>> dist[0]
    array([0., 4.])
    """
    codes = _check_codes(codes)
    n, n_features = codes.shape
    if n == 0 or n_features == 0:
        raise ValueError(
            f"codes must have at least one row and one feature, got shape {codes.shape}"
        )
    if len(proba) != n_features:
        raise ValueError(
            f"proba must hold one table per feature ({n_features}), got {len(proba)}"
        )
    tables = [np.asarray(P, dtype=np.float64) for P in proba]
    n_classes = tables[0].shape[1] if tables[0].ndim == 2 else -1
    for f, P in enumerate(tables):
        if P.ndim != 2 or P.shape[1] != n_classes or codes[:, f].max() >= P.shape[0]:
            raise ValueError(
                f"proba[{f}] must be a 2-D (n_categories, n_classes) table with a row for every "
                f"code of feature {f} (max {codes[:, f].max()}) and as many classes as "
                f"proba[0], got shape {P.shape}"
            )
    k = _check_self_k(k, n)
    queries = _vdm_queries(rows, n)
    n_threads = check_n_jobs(n_jobs)
    # Re-code each feature over the categories present (the kernel's per-query table of
    # category distances then has one entry per present category), feature-major so that the
    # kernel streams each feature's codes contiguously.
    local_t = np.empty((n_features, n), dtype=np.int32)
    n_local, flat, offsets = [], [], []
    off = 0
    for f in range(n_features):
        used, inverse = np.unique(codes[:, f], return_inverse=True)
        local_t[f] = inverse.reshape(-1)
        P = np.ascontiguousarray(tables[f][used])
        n_local.append(used.size)
        flat.append(P.ravel())
        offsets.append(off)
        off += P.size
    dist = np.empty((queries.size, k), dtype=np.float64)
    ind = np.empty((queries.size, k), dtype=np.intp)
    _smote_categorical.vdm_kneighbors(
        local_t, queries, np.concatenate(flat), np.asarray(offsets, dtype=np.intp),
        np.asarray(n_local, dtype=np.intp), n_classes, k, dist, ind, n_threads,
    )
    return dist, ind


def _check_csr_codes(codes, zero_code, offsets):
    """Validate CSR category codes (``_encoding.sparse_ordinal_codes``' form); return
    ``(indptr, indices, data, zero_code, offsets)`` as the CSR kernels take them."""
    if not (_is_sparse(codes) and codes.format == "csr"):
        raise TypeError(f"codes must be a scipy.sparse CSR matrix of category codes, got "
                        f"{type(codes).__name__}")
    if not codes.has_canonical_format:
        raise ValueError("codes must have sorted column indices and no duplicate entries "
                         "(a canonical CSR matrix)")
    n, d = codes.shape
    data = codes.data
    if data.size and data.dtype.kind not in "iu":
        raise TypeError(f"codes must hold integer category codes, got dtype {data.dtype}")
    offsets = np.asarray(offsets)
    if offsets.shape != (d + 1,) or offsets.dtype.kind not in "iu" or offsets[0] != 0 or \
            (d and np.diff(offsets).min() < 1):
        shown = offsets if offsets.size < 20 else f"an array of shape {offsets.shape}"
        raise ValueError(
            f"offsets must be {d + 1} increasing integers from 0 (each feature's first "
            f"category in the stacked tables), got {shown!r}"
        )
    n_categories = np.diff(offsets)
    zero_code = np.asarray(zero_code)
    if zero_code.shape != (d,) or zero_code.dtype.kind not in "iu":
        raise ValueError(f"zero_code must be {d} integer codes, one per feature, got "
                         f"{zero_code.dtype} of shape {zero_code.shape}")
    if d and (zero_code.min() < -1 or (zero_code - n_categories).max() >= 0):
        raise ValueError("zero_code must hold, per feature, a code < n_categories or -1")
    cols = codes.indices
    if data.size and (data.min() < 0 or (data - n_categories[cols]).max() >= 0):
        raise ValueError("codes must be >= 0 and < their feature's number of categories")
    implicit = np.bincount(cols, minlength=d) < n
    if (zero_code[implicit] < 0).any():
        f = int(np.flatnonzero(implicit & (zero_code < 0))[0])
        raise ValueError(f"zero_code[{f}] is -1 but some row does not store feature {f}")
    index = np.int32 if codes.indptr.dtype == cols.dtype == np.int32 else np.int64
    return (np.ascontiguousarray(codes.indptr, dtype=index),
            np.ascontiguousarray(cols, dtype=index),
            np.ascontiguousarray(data, dtype=np.int32),
            np.ascontiguousarray(zero_code, dtype=np.int32),
            np.ascontiguousarray(offsets, dtype=np.intp))


def vdm_class_probabilities_csr(codes, zero_code, offsets, y, n_classes):
    """:func:`vdm_class_probabilities` for CSR category codes, as one stacked table.

    Parameters
    ----------
    codes : scipy.sparse.csr_matrix of shape (n_samples, n_features)
        Canonical, one category code per stored value (``_encoding.sparse_ordinal_codes``);
        an entry that is not stored has its feature's ``zero_code``.
    zero_code : array-like of int of shape (n_features,)
        Per feature, the code of the entries not stored (-1 where every row stores one).
    offsets : array-like of int of shape (n_features + 1,)
        Feature f's categories are rows ``offsets[f]:offsets[f + 1]`` of the tables.
    y : array-like of int of shape (n_samples,)
        Class codes, ``0 <= y < n_classes``.
    n_classes : int

    Returns
    -------
    ndarray of shape (offsets[-1], n_classes), float64
        P(class | category), feature after feature: rows ``offsets[f]:offsets[f + 1]`` equal
        ``vdm_class_probabilities`` of the dense codes' feature f, bit for bit (the counts are
        the same integers: stored entries counted, the entries not stored of a class being its
        size minus its stored entries, and divided by the same row sums).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from resamplekit._neighbors import vdm_class_probabilities_csr
    >>> codes = sparse.csr_matrix((np.array([1, 1], np.int32), [0, 0], [0, 0, 0, 1, 2]),
    ...                           shape=(4, 1))
    >>> vdm_class_probabilities_csr(codes, [0], [0, 2], np.array([0, 1, 1, 1]), 2)
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    indptr, cols, data, zero_code, offsets = _check_csr_codes(codes, zero_code, offsets)
    n, d = codes.shape
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    y = np.asarray(y)
    if y.shape != (n,) or (y.size and y.dtype.kind not in "iu"):
        raise ValueError(f"y must be a 1-D array of {n} class codes, got {y.dtype} of shape "
                         f"{y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"y must hold class codes in [0, {n_classes - 1}]")
    y = y.astype(np.intp, copy=False)
    y_entry = np.repeat(y, np.diff(indptr))
    cols = cols.astype(np.intp, copy=False)
    counts = np.bincount((offsets[cols] + data) * n_classes + y_entry,
                         minlength=int(offsets[-1]) * n_classes)
    stored = np.bincount(cols * n_classes + y_entry, minlength=d * n_classes)
    del y_entry
    not_stored = np.bincount(y, minlength=n_classes)[None, :] - stored.reshape(d, n_classes)
    has = zero_code >= 0
    at = (offsets[:-1][has] + zero_code[has])[:, None] * n_classes + np.arange(n_classes)
    counts[at] += not_stored[has]
    counts = counts.astype(np.float64).reshape(-1, n_classes)
    with np.errstate(invalid="ignore"):
        p = counts / counts.sum(axis=1, keepdims=True)
    return np.nan_to_num(p, copy=False)


def kneighbors_vdm_csr(codes, k, *, proba, zero_code, offsets, rows=None, n_jobs=None):
    """:func:`kneighbors_vdm` for CSR category codes (SMOTE-N on sparse X), never densified.

    The same distance, neighbours and order as ``kneighbors_vdm`` on the dense codes (an
    entry not stored having its feature's ``zero_code``), the distances bit for bit.

    Parameters
    ----------
    codes : scipy.sparse.csr_matrix of shape (n_samples, n_features)
        The rows searched: canonical, one category code per stored value
        (``_encoding.sparse_ordinal_codes``).
    k : int
        Neighbours per query, ``1 <= k <= n_samples - 1``.
    proba : array-like of shape (offsets[-1], n_classes)
        P(class | category), feature after feature (:func:`vdm_class_probabilities_csr`; it
        may be fitted on more rows than ``codes``).
    zero_code : array-like of int of shape (n_features,)
        Per feature, the code of the entries not stored (-1 where every row stores one).
    offsets : array-like of int of shape (n_features + 1,)
        Feature f's categories are rows ``offsets[f]:offsets[f + 1]`` of ``proba``.
    rows : array-like of int, default=None
        Query only the rows ``codes[rows]`` (None: every row).
    n_jobs : int, default=None
        Threads (None or -1: all cores); the result does not depend on it.

    Returns
    -------
    distances : ndarray of shape (n_queries, k), float64
    indices : ndarray of shape (n_queries, k), intp
        Sorted by (distance, index), ties to the lower row index; a query row is excluded
        from its own list by index.

    Notes
    -----
    A query's distance to a row sums the features over the union of the two rows' stored
    columns only (a feature neither stores adds exactly 0): O(n_queries * (nnz +
    n_samples * nnz_per_row)) merge steps, a row abandoned once its partial sum reaches the
    k-th distance. Memory: the outputs and one float64 per stored value.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from resamplekit._encoding import sparse_ordinal_codes
    >>> from resamplekit._neighbors import kneighbors_vdm_csr, vdm_class_probabilities_csr
    >>> X = sparse.csr_matrix(np.array([[0], [1], [2], [0]]))
    >>> codes, zero_code, _, offsets = sparse_ordinal_codes(X, "smoten")
    >>> proba = vdm_class_probabilities_csr(codes, zero_code, offsets, np.array([0, 1, 1, 0]), 2)
    >>> dist, ind = kneighbors_vdm_csr(codes, 2, proba=proba, zero_code=zero_code,
    ...                                offsets=offsets)
    >>> ind
    array([[3, 1],
           [2, 0],
           [1, 0],
           [0, 1]])
    >>> dist[0]
    array([0., 4.])
    """
    indptr, cols, data, zero_code, offsets = _check_csr_codes(codes, zero_code, offsets)
    n, d = codes.shape
    if n == 0 or d == 0:
        raise ValueError(
            f"codes must have at least one row and one feature, got shape {codes.shape}"
        )
    table = np.ascontiguousarray(proba, dtype=np.float64)
    if table.ndim != 2 or table.shape[0] != offsets[-1] or table.shape[1] < 1:
        raise ValueError(
            f"proba must be a 2-D (n_categories_total={offsets[-1]}, n_classes) table, got "
            f"shape {table.shape}"
        )
    k = _check_self_k(k, n)
    queries = _vdm_queries(rows, n)
    n_threads = check_n_jobs(n_jobs)
    dist = np.empty((queries.size, k), dtype=np.float64)
    ind = np.empty((queries.size, k), dtype=np.intp)
    _smote_categorical.vdm_kneighbors_csr(indptr, cols, data, zero_code, offsets,
                                          table.reshape(-1), table.shape[1], queries, k, dist,
                                          ind, n_threads)
    return dist, ind


def sum_pairwise_distances(X, *, n_jobs=1, tuning=TUNING):
    """Sum of the Euclidean distances over all ordered pairs of rows of X (i != j).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric, finite.
    n_jobs : int, default=1
        Threads (None or -1: all cores); the result does not depend on it, bit for bit.
    tuning : Tuning, default=TUNING
        Its ``work_per_thread`` sets how much work a thread needs (tests lower it to run
        threads on small data).

    Returns
    -------
    float
        0.0 for fewer than two rows.

    Notes
    -----
    Rows centred in float64, then blocks of 256 rows, one GEMM tile per block pair (half of
    them, the distance being symmetric), square roots summed in a fixed order. Never an n x n
    matrix. Time O(n^2 d / 2).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._neighbors import sum_pairwise_distances
    >>> sum_pairwise_distances(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]]))
    20.0
    """
    X = _as_float_array(X, "X")[0].astype(np.float64, copy=False)
    if X.shape[0] < 2:
        return 0.0
    Xc = X - X.mean(axis=0)
    sq = np.einsum("ij,ij->i", Xc, Xc)
    n_threads = threads_for(check_n_jobs(n_jobs), X.shape[0] ** 2 * X.shape[1] // 2,
                            tuning.work_per_thread)
    with _single_threaded_blas():
        return float(_knn.sum_pairwise_distances(Xc, sq, 256, n_threads))
