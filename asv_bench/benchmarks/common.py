"""Shared pieces of the resamplekit asv suite.

- Seeded data generators (NumPy only; text-like sparse data are in ``sparse_data.py``):
  :func:`make_dataset` by kind (``"binary_90_10"``,
  ``"binary_95_5"``, ``"five_class"``) with a given ``n``, ``d`` and dtype, built in place so
  that generating ``X`` never needs more than about one extra copy of it; its last
  ``n_categorical`` columns can be cut into quantile levels (SMOTE-NC, SMOTE-N).
- :class:`Dataset`, :func:`cache_datasets` / :func:`load_dataset`: write data sets in
  ``setup_cache`` (asv runs the benchmarks in the directory where ``setup_cache`` ran) and read
  one back in ``setup``, so a ``peakmem_`` benchmark sees the input array and the method, not the
  generator's temporaries. :func:`module_datasets` lists every data set a benchmark file needs.
- :func:`get_function`: ``resamplekit.<name>``, or ``NotImplementedError`` (asv's "skip") on a
  commit that does not have it yet. The suite must import on every commit: never import a
  resamplekit function at module level.
- :func:`thread_limit`: caps BLAS and OpenMP threads (threadpoolctl) for one benchmark.
- :class:`LimitedParamBenchmark`: runs a fixed, seeded subset of a large parameter grid
  (scipy's pattern), all of it when ``RESAMPLEKIT_BENCH_FULL=1``.
- :class:`ResamplerBenchmark`: one public resampler over the standard grid ``N_ROWS`` x
  ``N_FEATURES`` x ``BALANCES``; :class:`SlowCalls`: asv timing attributes for calls of a second
  or more.

asv collects no benchmark from this module: ``ResamplerBenchmark``, the one class here with
``time_``/``peakmem_`` methods, is abstract until a benchmark file adds ``setup_cache``, in a
private base (asv skips abstract classes and module attributes whose names start with ``_``).
"""
import abc
import contextlib
import itertools
import os
import random
import sys
import zlib
from typing import NamedTuple

import numpy as np

__all__ = [
    "DATASET_WEIGHTS",
    "N_ROWS",
    "N_FEATURES",
    "BALANCES",
    "STANDARD_CASES",
    "make_dataset",
    "Dataset",
    "cache_datasets",
    "load_dataset",
    "module_datasets",
    "get_function",
    "thread_limit",
    "LimitedParamBenchmark",
    "ResamplerBenchmark",
    "SlowCalls",
]

# Class proportions of each data set kind; class 0 is the majority.
DATASET_WEIGHTS = {
    "binary_90_10": (0.90, 0.10),
    "binary_95_5": (0.95, 0.05),
    "five_class": (0.50, 0.20, 0.15, 0.10, 0.05),
}

# The standard grid of the resampler benchmarks (issue 7): rows, features, class balance.
N_ROWS = [1_000, 10_000, 100_000]
N_FEATURES = [4, 20, 100]
BALANCES = list(DATASET_WEIGHTS)
# The combinations every resampler runs unless its class says otherwise: the smallest case
# (the --quick smoke test), five classes, d = 100 at 95/5, and compare.py's 100k_x_20.
STANDARD_CASES = [(1_000, 4, "binary_90_10"), (10_000, 20, "five_class"),
                  (10_000, 100, "binary_95_5"), (100_000, 20, "binary_90_10")]

_CHUNK_ROWS = 65_536


def make_dataset(kind, n, d, dtype=np.float64, seed=0, n_categorical=0, levels=4):
    """Seeded imbalanced data: one Gaussian blob per class, classes shuffled.

    Parameters
    ----------
    kind : {"binary_90_10", "binary_95_5", "five_class"}
        Class proportions, see ``DATASET_WEIGHTS``.
    n, d : int
        Rows and features.
    dtype : numpy dtype, default float64
        float32 or float64; int64 when every column is categorical (``n_categorical == d``).
    seed : int, default 0
    n_categorical : int, default 0
        The last ``n_categorical`` columns are cut at their quantiles into ``levels`` levels,
        coded 0 .. levels-1 (the codes still depend on the class, through the blobs).
    levels : int, default 4
        Levels of each categorical column.

    Returns
    -------
    X : ndarray of shape (n, d), C-contiguous, ``dtype``
    y : ndarray of shape (n,), intp, labels 0..K-1 with exactly ``floor(w * n)`` rows per
        minority class (the rest in class 0)

    The blobs overlap at every d: the centres are drawn with scale ``3 / sqrt(d)`` against unit
    noise, so two centres are about 4.2 apart whatever d (scale 1.5 at d = 4). With a scale
    that does not shrink with d, the classes separate completely from d = 20 on: the cleaning
    rules would find nothing to remove and ADASYN would have no border rows. At n = 10,000, 16 %
    to 96 % of the minority rows (by kind and d) have a row of another class among their 5
    nearest.
    Continuous values: no duplicated rows, no tied distances.
    """
    weights = np.asarray(DATASET_WEIGHTS[kind], dtype=np.float64)
    dtype = np.dtype(dtype)
    if not 0 <= n_categorical <= d:
        raise ValueError(f"n_categorical must be in [0, {d}], got {n_categorical}")
    if dtype == np.int64 and n_categorical != d:
        raise ValueError("int64 data must have every column categorical (n_categorical == d)")
    if dtype not in (np.float32, np.float64, np.int64):
        raise ValueError(f"dtype must be float32, float64 or int64, got {dtype}")
    if n_categorical and levels < 2:
        raise ValueError(f"levels must be at least 2, got {levels}")
    rng = np.random.default_rng(seed)
    counts = np.floor(weights * n).astype(np.intp)
    counts[0] += n - counts.sum()
    y = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
    rng.shuffle(y)
    real = np.float64 if dtype == np.int64 else dtype
    centres = rng.normal(scale=3.0 / np.sqrt(d), size=(len(counts), d)).astype(real)
    X = np.empty((n, d), dtype=real)
    # Fill chunk by chunk: peak memory is X plus one chunk, not X three times over.
    for start in range(0, n, _CHUNK_ROWS):
        block = X[start:start + _CHUNK_ROWS]
        rng.standard_normal(out=block, dtype=real)
        block += centres[y[start:start + _CHUNK_ROWS]]
    if n_categorical:
        inner = np.linspace(0.0, 1.0, levels + 1)[1:-1]
        for j in range(d - n_categorical, d):
            X[:, j] = np.searchsorted(np.quantile(X[:, j], inner), X[:, j], side="right")
    return (X.astype(np.int64) if dtype == np.int64 else X), y


class Dataset(NamedTuple):
    """One cached data set: the arguments of :func:`make_dataset` (the seed aside)."""

    kind: str
    n: int
    d: int
    dtype: str = "float64"
    n_categorical: int = 0
    levels: int = 0

    @classmethod
    def of(cls, spec):
        """A ``Dataset`` from a ``(kind, n, d[, dtype[, n_categorical[, levels]]])`` tuple, the
        dtype normalised to its name."""
        spec = cls(*spec)
        return spec._replace(dtype=np.dtype(spec.dtype).name)

    @property
    def stem(self):
        cat = f"_cat{self.n_categorical}x{self.levels}" if self.n_categorical else ""
        return f"data_{self.kind}_{self.n}x{self.d}_{self.dtype}{cat}"


def cache_datasets(specs, seed=0):
    """Write each data set of ``specs`` (:class:`Dataset` or ``(kind, n, d, dtype)`` tuples) to
    ``.npy`` files in the current directory (call from ``setup_cache``) and return
    ``{Dataset: file stem}``."""
    files = {}
    for spec in map(Dataset.of, specs):
        if spec in files:
            continue
        if not os.path.exists(spec.stem + "_X.npy"):
            X, y = make_dataset(spec.kind, spec.n, spec.d, dtype=spec.dtype, seed=seed,
                                n_categorical=spec.n_categorical, levels=spec.levels)
            np.save(spec.stem + "_X.npy", X)
            np.save(spec.stem + "_y.npy", y)
            del X, y
        files[spec] = spec.stem
    return files


def load_dataset(files, *spec):
    """Read back one data set written by :func:`cache_datasets` (call from ``setup``):
    ``load_dataset(files, dataset)`` or ``load_dataset(files, kind, n, d[, dtype])``.

    ``np.load`` reads straight into the final array, so the process's peak memory before the
    benchmark is the data set itself.
    """
    stem = files[Dataset.of(spec[0] if len(spec) == 1 else spec)]
    return np.load(stem + "_X.npy"), np.load(stem + "_y.npy")


def _grid(cls):
    params = cls.params
    if params and isinstance(params[0], (list, tuple)):
        return list(itertools.product(*params))
    return [(p,) for p in params]


def module_datasets(module_name):
    """Every data set the benchmark classes of one module need, in a stable order: the union of
    ``cls.dataset(*params)`` over the parameter combinations each public class runs (its
    selected subset for a :class:`LimitedParamBenchmark`). Classes without ``dataset`` need
    none. Call from the ``setup_cache`` of the file's private base class."""
    specs = {}
    for name, cls in vars(sys.modules[module_name]).items():
        if (name.startswith("_") or not isinstance(cls, type) or cls.__module__ != module_name
                or not hasattr(cls, "dataset")):
            continue
        combos = cls.selected_params() if issubclass(cls, LimitedParamBenchmark) else _grid(cls)
        for params in combos:
            spec = cls.dataset(*params)
            if spec is not None:
                specs.setdefault(Dataset.of(spec), None)
    return list(specs)


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
    machine and commit, so results stay comparable; the seed is ``param_seed``, by default
    derived from the class name, so that classes sharing a grid draw different combinations.
    ``RESAMPLEKIT_BENCH_FULL=1`` runs the whole grid. Subclasses call
    ``self.skip_unselected(*params)`` first thing in ``setup``.
    """

    num_param_combinations = 0
    always_run = ()
    param_seed = None

    @classmethod
    def selected_params(cls):
        grid = _grid(cls)
        if _full_grid():
            return grid
        chosen = [tuple(p) for p in cls.always_run if tuple(p) in grid]
        rest = [p for p in grid if p not in chosen]
        seed = zlib.crc32(cls.__name__.encode()) if cls.param_seed is None else cls.param_seed
        random.Random(seed).shuffle(rest)
        chosen += rest[:max(0, cls.num_param_combinations - len(chosen))]
        return chosen

    def skip_unselected(self, *params):
        if tuple(params) not in self.selected_params():
            raise NotImplementedError("not in the selected parameter subset "
                                      "(RESAMPLEKIT_BENCH_FULL=1 runs all)")


class SlowCalls:
    """asv timing attributes for a class whose calls take about a second or more.

    One call per sample (``number = 1``), no warm-up calls (``setup`` has already made one
    call on a small slice, so imports are not timed), and per round samples until there are 3
    or they pass 5 s, at least one (``min_run_count = 1``); asv's 2 rounds give 2 to 6
    samples. A call of t seconds then costs about 2 x min(3 t, 5 s + t) for the timing plus t
    for ``peakmem_``. asv's defaults (a 0.1 s warm-up, then up to 5 samples or 10 s; with a
    ``setup``, asv times one call per sample) cost about 2 x min(6 t, 10 s + 2 t).
    """

    number = 1
    repeat = (1, 3, 5.0)
    warmup_time = 0
    min_run_count = 1


# Rows per class of the warm-up call made in setup (imports, thread pools, first-call caches).
_WARM_ROWS = 60
_warmed = set()


class ResamplerBenchmark(LimitedParamBenchmark, abc.ABC):
    """``time_resample`` and ``peakmem_resample`` of one public resampler,
    ``resamplekit.<function_name>(X, y, **kwargs)``, over the standard grid ``n`` x ``d`` x
    ``balance`` (``N_ROWS`` x ``N_FEATURES`` x ``BALANCES``; by default ``STANDARD_CASES`` and
    random draws up to ``num_param_combinations``).

    The class is abstract: ``setup_cache`` must be written in each benchmark file, because asv
    keys the cache by file and line (one written here would be one cache for the whole suite).
    A file derives a private base (a name starting with ``_``; asv skips those, and abstract
    classes) whose ``setup_cache`` is ``return cache_datasets(module_datasets(__name__))``, and
    public subclasses that set ``function_name`` and ``kwargs``, and ``dataset`` or
    ``call_kwargs`` when the input is not the float64 data set of ``(balance, n, d)``.

    ``setup`` skips unselected combinations and commits without the function
    (``NotImplementedError``), reads the cached data set, and calls the function once per
    process on at most ``_WARM_ROWS`` rows per class, so that neither the timing nor the peak
    memory counts first-call imports (scikit-learn, thread pools).
    """

    function_name = None
    kwargs = {}
    params = [N_ROWS, N_FEATURES, BALANCES]
    param_names = ["n", "d", "balance"]
    num_param_combinations = 5
    always_run = STANDARD_CASES
    timeout = 120

    @abc.abstractmethod
    def setup_cache(self):
        """``return cache_datasets(module_datasets(__name__))``, in the benchmark file."""

    @classmethod
    def dataset(cls, n, d, balance):
        """The data set of one parameter combination."""
        return Dataset(balance, n, d)

    def call_kwargs(self, *params):
        """Keyword arguments of the call; by default ``kwargs``."""
        return self.kwargs

    def setup(self, files, *params):
        self.skip_unselected(*params)
        self.func = get_function(self.function_name)
        self.X, self.y = load_dataset(files, self.dataset(*params))
        self.call = self.call_kwargs(*params)
        if type(self) not in _warmed:  # asv runs one combination per process
            _warmed.add(type(self))
            rows = np.concatenate([np.flatnonzero(self.y == c)[:_WARM_ROWS]
                                   for c in np.unique(self.y)])
            try:
                self.func(self.X[rows], self.y[rows], **self.call)
            except Exception:  # a method may reject so small a slice; the imports are done
                pass

    def time_resample(self, files, *params):
        self.func(self.X, self.y, **self.call)

    def peakmem_resample(self, files, *params):
        self.func(self.X, self.y, **self.call)
