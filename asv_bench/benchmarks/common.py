"""Shared pieces of the resamplekit asv suite.

- Seeded data generators (NumPy only): :func:`make_dataset` by kind (``"binary_90_10"``,
  ``"binary_95_5"``, ``"five_class"``) with a given ``n``, ``d`` and dtype, built in place so
  that generating ``X`` never needs more than about one extra copy of it.
- :func:`cache_datasets` / :func:`load_dataset`: write data sets in ``setup_cache`` (asv runs the
  benchmarks in the directory where ``setup_cache`` ran) and read one back in ``setup``, so a
  ``peakmem_`` benchmark sees the input array and the method, not the generator's temporaries.
- :func:`get_function`: ``resamplekit.<name>``, or ``NotImplementedError`` (asv's "skip") on a
  commit that does not have it yet. The suite must import on every commit: never import a
  resamplekit function at module level.
- :func:`thread_limit`: caps BLAS and OpenMP threads (threadpoolctl) for one benchmark.
- :class:`LimitedParamBenchmark`: runs a fixed, seeded subset of a large parameter grid
  (scipy's pattern), all of it when ``RESAMPLEKIT_BENCH_FULL=1``.
"""
import contextlib
import itertools
import os
import random

import numpy as np

__all__ = [
    "DATASET_WEIGHTS",
    "make_dataset",
    "cache_datasets",
    "load_dataset",
    "get_function",
    "thread_limit",
    "LimitedParamBenchmark",
]

# Class proportions of each data set kind; class 0 is the majority.
DATASET_WEIGHTS = {
    "binary_90_10": (0.90, 0.10),
    "binary_95_5": (0.95, 0.05),
    "five_class": (0.50, 0.20, 0.15, 0.10, 0.05),
}

_CHUNK_ROWS = 65_536


def make_dataset(kind, n, d, dtype=np.float64, seed=0):
    """Seeded imbalanced data: one Gaussian blob per class, classes shuffled.

    Parameters
    ----------
    kind : {"binary_90_10", "binary_95_5", "five_class"}
        Class proportions, see ``DATASET_WEIGHTS``.
    n, d : int
        Rows and features.
    dtype : numpy dtype, default float64
        float32 or float64.
    seed : int, default 0

    Returns
    -------
    X : ndarray of shape (n, d), C-contiguous, ``dtype``
    y : ndarray of shape (n,), intp, labels 0..K-1 with exactly ``floor(w * n)`` rows per
        minority class (the rest in class 0)

    The blobs overlap (centres drawn with scale 1.5 against unit noise), so the cleaning rules
    have borders to work on. Continuous values: no duplicated rows, no tied distances.
    """
    weights = np.asarray(DATASET_WEIGHTS[kind], dtype=np.float64)
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    rng = np.random.default_rng(seed)
    counts = np.floor(weights * n).astype(np.intp)
    counts[0] += n - counts.sum()
    y = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
    rng.shuffle(y)
    centres = rng.normal(scale=1.5, size=(len(counts), d)).astype(dtype)
    X = np.empty((n, d), dtype=dtype)
    # Fill chunk by chunk: peak memory is X plus one chunk, not X three times over.
    for start in range(0, n, _CHUNK_ROWS):
        block = X[start:start + _CHUNK_ROWS]
        rng.standard_normal(out=block, dtype=dtype)
        block += centres[y[start:start + _CHUNK_ROWS]]
    return X, y


def _dataset_file(kind, n, d, dtype):
    return f"data_{kind}_{n}x{d}_{np.dtype(dtype).name}"


def cache_datasets(specs, seed=0):
    """Write each ``(kind, n, d, dtype)`` of ``specs`` to ``.npy`` files in the current
    directory (call from ``setup_cache``) and return ``{spec: file stem}``."""
    files = {}
    for kind, n, d, dtype in specs:
        stem = _dataset_file(kind, n, d, dtype)
        if not os.path.exists(stem + "_X.npy"):
            X, y = make_dataset(kind, n, d, dtype=dtype, seed=seed)
            np.save(stem + "_X.npy", X)
            np.save(stem + "_y.npy", y)
            del X, y
        files[(kind, n, d, np.dtype(dtype).name)] = stem
    return files


def load_dataset(files, kind, n, d, dtype=np.float64):
    """Read back one data set written by :func:`cache_datasets` (call from ``setup``).

    ``np.load`` reads straight into the final array, so the process's peak memory before the
    benchmark is the data set itself.
    """
    stem = files[(kind, n, d, np.dtype(dtype).name)]
    return np.load(stem + "_X.npy"), np.load(stem + "_y.npy")


def get_function(name, module="resamplekit"):
    """Return ``resamplekit.<name>`` (or ``<module>.<name>``).

    Raises ``NotImplementedError``, which asv reports as a skipped benchmark, when the package
    or the function does not exist on the commit being measured.
    """
    try:
        mod = __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise NotImplementedError(f"{module} cannot be imported: {exc}") from None
    func = getattr(mod, name, None)
    if func is None:
        raise NotImplementedError(f"{module}.{name} does not exist in this version")
    return func


def thread_limit(n_threads):
    """Context manager that caps BLAS and OpenMP thread pools at ``n_threads``
    (``None``: no cap). Without threadpoolctl it does nothing."""
    if n_threads is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n_threads)


def _full_grid():
    return os.environ.get("RESAMPLEKIT_BENCH_FULL", "") not in ("", "0")


class LimitedParamBenchmark:
    """Base class for benchmarks whose full parameter grid is too large to run every time.

    Set ``num_param_combinations`` (how many combinations run) and optionally
    ``always_run`` (combinations that always run, e.g. the smallest, so ``--quick`` smoke tests
    exercise the code). The rest of the subset is a seeded random draw, the same on every
    machine and commit, so results stay comparable. ``RESAMPLEKIT_BENCH_FULL=1`` runs the whole
    grid. Subclasses call ``self.skip_unselected(*params)`` first thing in ``setup``.
    """

    num_param_combinations = 0
    always_run = ()
    param_seed = 1

    @classmethod
    def selected_params(cls):
        grid = list(itertools.product(*cls.params)) if isinstance(cls.params[0], (list, tuple)) \
            else [(p,) for p in cls.params]
        if _full_grid():
            return grid
        chosen = [tuple(p) for p in cls.always_run if tuple(p) in grid]
        rest = [p for p in grid if p not in chosen]
        random.Random(cls.param_seed).shuffle(rest)
        chosen += rest[:max(0, cls.num_param_combinations - len(chosen))]
        return chosen

    def skip_unselected(self, *params):
        if tuple(params) not in self.selected_params():
            raise NotImplementedError("not in the selected parameter subset "
                                      "(RESAMPLEKIT_BENCH_FULL=1 runs all)")
