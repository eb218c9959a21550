"""The one validation path at the public boundary of resamplekit.

``check_X_y`` turns the caller's ``X`` and ``y`` into what the algorithms need and returns a
:class:`Dataset` that knows how to put results back into the caller's containers.

What goes in, what the algorithms see, what comes out:

- ``y`` (any 1-d labels: ints, strings, bools, floats with integral values, pandas
  Series/Categorical, polars Series, lists) becomes ``Dataset.y``, intp class codes
  ``0..K-1`` in ``np.unique`` (sorted) label order, with ``Dataset.classes`` the original
  labels. Results get their labels back with the original values and dtype; a Series (pandas
  or polars) comes back a Series of its library with its name and dtype (a categorical stays
  categorical), a list comes back a list.
- ``numeric=True`` (distance-based methods): ``Dataset.X`` is a C-contiguous, finite float32
  array (float32 input, not copied when already C-contiguous) or float64 array (every other
  integer, bool or float input). DataFrames are converted column by column (pandas SparseDtype
  columns too, densified; a polars frame in one pass of ``to_numpy``, its nulls counting as
  NaN). Sparse input is never densified: ``Dataset.X`` is a canonical
  ``scipy.sparse.csr_matrix`` (CSC, sparse arrays, COO and other formats converted once;
  float32 kept, other dtypes float64; indices sorted and duplicates summed on a copy when
  needed; int32 or int64 index arrays; explicit zeros kept), and results go back out in the
  input's sparse format. NaN, inf (also among stored values), object, string, datetime and
  complex X are rejected.
- ``numeric=False`` (row-picking methods, i.e. random_under and random_over): ``Dataset.X`` is
  the caller's X itself (ndarray of any dtype, pandas or polars DataFrame, CSR/CSC), untouched
  and not copied; lists become an ndarray. NaN, inf, nulls, strings and datetimes pass through.
- Categorical methods (smotenc, smoten) first make X a table with ``_encoding.as_table`` (a list
  of mixed rows becomes an object ndarray, keeping each value's type), then use ``numeric=False``;
  their new rows go back with :meth:`Dataset.append_columns`, which keeps categorical and text
  columns as they are.
- Output containers follow the input: ndarray -> ndarray, DataFrame -> DataFrame with the same
  columns (rows picked keep every column dtype; arrays of new data keep float columns' dtypes and
  give float64 for integer and bool columns, never truncated; SparseDtype columns stay sparse,
  with those subtypes), sparse -> the same sparse format
  and class (COO and other formats are converted to CSR first, as in imbalanced-learn),
  list -> list. A DataFrame result has a fresh RangeIndex, except with ``keep_index=True``
  (random_under, as imbalanced-learn's RandomUnderSampler) where it keeps the index labels of
  the rows picked; when X is a DataFrame and y a Series, y gets the index of X's result, as in
  imbalanced-learn.
- polars follows the same rules: a polars DataFrame -> a polars DataFrame with the same
  column names (rows picked are gathered by polars, every dtype kept; new data keeps Float32
  and Float64 columns and gives Float64 for integer and bool ones; Categorical, Enum and
  String columns of smotenc/smoten keep their dtype), a polars Series -> a polars Series with
  its name and dtype. A polars frame has no index. As for pandas, polars is detected through
  ``sys.modules`` and never imported here; it does not need pandas.

Inputs are never modified.

Differences from imbalanced-learn, on purpose:

- ``len(X) != len(y)`` is always an error (RandomUnderSampler and RandomOverSampler do not
  check it and return mismatched output).
- ``y`` must be 1-d: an ``(n, 1)`` column and one-hot ``y`` are rejected with a hint
  (imbalanced-learn ravels the column with a warning and decodes one-hot targets).
- Labels may be any sortable values; float labels must be integral (imbalanced-learn rejects
  "continuous" targets the same way), and missing labels (NaN, None, pd.NA) are rejected.
- For distance-based methods, object arrays are rejected even when they hold numbers (convert
  them first), and float16 becomes float64.
"""
import functools
import inspect
import numbers
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np
from scipy import sparse

__all__ = [
    "keyword_hints",
    "unknown_keyword_message",
    "require_sklearn",
    "threads_for",
    "check_X_y",
    "Dataset",
    "encode_labels",
    "check_random_state",
    "check_n_jobs",
    "openmp_max_threads",
    "check_int",
    "unit_scaled",
    "for_sklearn",
    "is_polars_frame",
    "is_polars_series",
]


def _pandas():
    """pandas if the caller has imported it (then it may be in use), else None."""
    return sys.modules.get("pandas")


def _is_dataframe(obj):
    pd = _pandas()
    return pd is not None and isinstance(obj, pd.DataFrame)


def _is_series(obj):
    pd = _pandas()
    return pd is not None and isinstance(obj, pd.Series)


def _polars():
    """polars if the caller has imported it (then it may be in use), else None."""
    return sys.modules.get("polars")


def is_polars_frame(obj):
    """Whether ``obj`` is a polars DataFrame (False without importing polars)."""
    pl = _polars()
    return pl is not None and isinstance(obj, pl.DataFrame)


def is_polars_series(obj):
    """Whether ``obj`` is a polars Series (False without importing polars)."""
    pl = _polars()
    return pl is not None and isinstance(obj, pl.Series)


def _scalar(value):
    """A NumPy scalar as the Python scalar it holds (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _describe(value):
    """Short description of a value for error messages (type, and shape for arrays)."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        dtype = getattr(value, "dtype", None)
        extra = f", dtype {dtype}" if dtype is not None and not _is_dataframe(value) else ""
        return f"{type(value).__name__} of shape {tuple(shape)}{extra}"
    text = repr(value)
    return text if len(text) <= 60 else f"{type(value).__name__} ({text[:50]}...)"


# --------------------------------------------------------------------------------------------
# Scalars


def check_int(value, name, *, minimum=1, maximum=None):
    """Return ``value`` as an int, or raise naming ``name``, the value and what is allowed.

    Parameters
    ----------
    value : object
        The value to check; Python and NumPy integers are accepted, bools are not.
    name : str
        The parameter name, used in the error message.
    minimum, maximum : int or None, default=1 and None
        Inclusive bounds.

    Returns
    -------
    int

    Examples
    --------
    >>> from resamplekit._validation import check_int
    >>> check_int(5, "k")
    5
    >>> check_int(0, "k")
    Traceback (most recent call last):
    ...
    ValueError: k must be an integer >= 1, got 0
    """
    allowed = f"an integer >= {minimum}" if minimum is not None else "an integer"
    if maximum is not None:
        allowed = f"an integer in [{minimum}, {maximum}]"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def _openmp_libraries():
    """threadpoolctl handles on the OpenMP runtimes loaded once the kernels are (cached).

    Built once: the kernels' own runtime is loaded when they are imported and stays loaded.
    Each handle's ``get_num_threads()`` is one ctypes call to ``omp_get_max_threads``, which
    reflects OMP_NUM_THREADS and any later ``threadpool_limits(..., user_api="openmp")``.
    """
    global _openmp_libs
    if _openmp_libs is None:
        from resamplekit._kernels import _knn  # noqa: F401  (loads the kernels' runtime)

        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl is a dependency
            _openmp_libs = []
        else:
            _openmp_libs = list(ThreadpoolController().select(user_api="openmp").lib_controllers)
    return _openmp_libs


_openmp_libs = None


def openmp_max_threads():
    """Threads an OpenMP region may use now: ``omp_get_max_threads()`` of the loaded runtimes.

    Honours OMP_NUM_THREADS and ``threadpoolctl.threadpool_limits(n, user_api="openmp")``, as
    scikit-learn's OpenMP kernels do; the number of cores when no OpenMP runtime is loaded (a
    serial build).
    """
    n_cpu = os.cpu_count() or 1
    limits = [lib.get_num_threads() for lib in _openmp_libraries()]
    limits = [n for n in limits if n is not None and n >= 1]
    return max(1, min([n_cpu] + limits))


def check_n_jobs(n_jobs):
    """Number of threads to use.

    None means what OpenMP allows now: the cores, or fewer under OMP_NUM_THREADS or a
    ``threadpoolctl.threadpool_limits(n, user_api="openmp")`` context (as in scikit-learn's
    kernels). -1 means all cores, -2 all but one, and so on; a positive integer is used as
    given.

    Examples
    --------
    >>> from resamplekit._validation import check_n_jobs
    >>> check_n_jobs(3)
    3
    >>> check_n_jobs(-1) >= 1
    True
    """
    n_cpu = os.cpu_count() or 1
    if n_jobs is None:
        return openmp_max_threads()
    allowed = "None, a positive integer, or a negative integer (-1 = all cores, -2 = all but one)"
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, numbers.Integral):
        raise TypeError(f"n_jobs must be {allowed}, got {n_jobs!r} ({type(n_jobs).__name__})")
    if n_jobs == 0:
        raise ValueError(f"n_jobs must be {allowed}, got 0")
    if n_jobs < 0:
        return max(1, n_cpu + 1 + int(n_jobs))
    return int(n_jobs)


# unit_scaled leaves X as it is when its typical magnitude is within 2**-64..2**64.
_UNIT_SCALE_SLACK = 64
# ... and measures that magnitude on at most this many rows.
_UNIT_SCALE_ROWS = 4096


def unit_scaled(X):
    """``(X * 2.0**-e, e)``, with ``e`` the binary exponent of the median row's largest |value|.

    The median is taken over at most 4,096 evenly spaced rows (every row of smaller X).

    For scale-invariant steps (scikit-learn's KMeans, SVC with ``gamma='scale'``, tree
    ensembles, which work in float32, and squared-distance kernels): scaling by a power of two
    only changes exponents, so ``X * 2.0**j`` gives the same scaled array for every ``j`` (while
    its values stay normal numbers) and the step gives the same answer at any scale of X. The
    typical row ends up with values of about 1, so the squares of the bulk of the data neither
    overflow nor underflow; a far outlier keeps its distance from them (scaling by the largest
    value instead would crush the bulk's differences to zero). X is returned as it is (no
    copy, ``e == 0``) when the median row's magnitude already lies within 2**-64..2**64:
    there the steps' arithmetic, float32 included, neither overflows nor underflows, so
    scaling by a power of two could only change exponents, never the answer.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._validation import unit_scaled
    >>> Xs, e = unit_scaled(np.array([[3.0, -1.0], [0.5, 0.25], [1.0, 1.0]]) * 2.0**600)
    >>> Xs.tolist(), e
    ([[1.5, -0.5], [0.25, 0.125], [0.5, 0.5]], 601)
    """
    if sparse.issparse(X):
        return _unit_scaled_sparse(X)
    if X.size == 0:
        return X, 0
    # The median over evenly spaced rows (at most _UNIT_SCALE_ROWS of them) is cheap and moves
    # with X's scale exactly as the median over all rows does, which is all the scaling needs.
    step = -(-X.shape[0] // _UNIT_SCALE_ROWS)
    row_top = np.abs(X[::step]).max(axis=1) if X.ndim == 2 else np.abs(X[::step])
    top = float(np.median(row_top))
    if not top > 0.0:  # mostly zero rows: the largest |value| of all (no temporary array)
        top = max(-float(X.min()), float(X.max()))
    if not (0.0 < top < np.inf):
        return X, 0
    e = int(np.frexp(top)[1])
    if -_UNIT_SCALE_SLACK <= e <= _UNIT_SCALE_SLACK:
        return X, 0
    return np.ldexp(X, -e).astype(X.dtype, copy=False), e


def for_sklearn(X):
    """``X`` as scikit-learn's estimators take it: a sparse matrix with int64 index arrays
    whose values fit in int32 gets int32 copies of them (the values shared), since KMeans,
    SVC and the tree ensembles refuse 64-bit sparse indices; anything else as it is."""
    if not sparse.issparse(X) or X.indices.dtype == np.int32:
        return X
    limit = np.iinfo(np.int32).max
    if X.nnz > limit or X.shape[1] > limit:
        return X  # scikit-learn raises its own error on 64-bit indices
    return sparse.csr_matrix((X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)),
                             shape=X.shape, copy=False)


def _unit_scaled_sparse(X):
    """:func:`unit_scaled` of a CSR matrix: the same exponent as for its dense form (a row's
    largest |value| is its largest stored |value|, or 0), the stored values scaled (a new
    matrix sharing X's index arrays), never densified."""
    if X.nnz == 0:
        return X, 0
    step = -(-X.shape[0] // _UNIT_SCALE_ROWS)
    picked = X[::step]
    row_top = np.zeros(picked.shape[0], dtype=np.float64)
    lengths = np.diff(picked.indptr)
    full = np.flatnonzero(lengths)
    if len(full):
        row_top[full] = np.maximum.reduceat(np.abs(picked.data), picked.indptr[full])
    top = float(np.median(row_top))
    if not top > 0.0:
        top = float(np.abs(X.data).max())
    if not (0.0 < top < np.inf):
        return X, 0
    e = int(np.frexp(top)[1])
    if -_UNIT_SCALE_SLACK <= e <= _UNIT_SCALE_SLACK:
        return X, 0
    data = np.ldexp(X.data, -e).astype(X.dtype, copy=False)
    return sparse.csr_matrix((data, X.indices, X.indptr), shape=X.shape, copy=False), e


# --------------------------------------------------------------------------------------------
# Keywords from imbalanced-learn (and its older releases)

# imbalanced-learn's name (current or old) -> resamplekit's keyword for the same thing.
IMBLEARN_KEYWORDS = {
    "sampling_strategy": "ratio",
    "k_neighbors": "k",
    "n_neighbors": "k",
    "size_ngh": "k",  # an early imbalanced-learn name
    "m_neighbors": "m",
    "n_neighbors_ver3": "k_ver3",
    "ver3_samp_ngh": "k_ver3",  # an early imbalanced-learn name
}


def unknown_keyword_message(owner, name, parameters, hints, renames):
    """The TypeError message for keyword ``name``, unknown to ``owner`` (a function or class
    name), or None when there is nothing to add to Python's own message.

    ``hints`` maps a name to a whole explanation; ``renames`` maps a name to the parameter
    of ``owner`` that stands for it (used when that parameter exists).
    """
    head = f"{owner}() got an unexpected keyword argument {name!r}"
    if name in hints:
        return f"{head}: {hints[name]}"
    new = renames.get(name)
    if new is not None and new in parameters:
        return f"{head}; resamplekit's name for it is {new}: {owner}(X, y, {new}=...)"
    if name == "random_state" and "random_state" not in parameters:
        return f"{head}: {owner} is deterministic and takes no random_state."
    return None


_Callable = TypeVar("_Callable", bound=Callable[..., Any])


def keyword_hints(
    hints: Mapping[str, str] | None = None, *, owner: str | None = None,
    renames: Mapping[str, str] = IMBLEARN_KEYWORDS,
) -> Callable[[_Callable], _Callable]:
    """Decorator: a call with a keyword the function does not take raises a TypeError that
    says what to use instead, when the keyword is one of imbalanced-learn's names.

    Python's own TypeError (unexpected keyword argument) is caught and, for a name found in
    ``hints`` or ``renames``, replaced; a correct call only pays one extra function call.
    ``inspect.signature`` and the annotations are those of the decorated function.

    Parameters
    ----------
    hints : dict or None
        {keyword: explanation} for names that need more than a rename.
    owner : str or None
        How the messages name the callable (a class for its ``__init__``); default the
        function's name.
    renames : dict
        {other name: this function's keyword}; used for the keywords the function has.

    Examples
    --------
    >>> from resamplekit._validation import keyword_hints
    >>> @keyword_hints()
    ... def resample(X, y, *, ratio="auto"):
    ...     return ratio
    >>> try:
    ...     resample(None, None, sampling_strategy="all")
    ... except TypeError as exc:
    ...     for part in str(exc).split("; "):
    ...         print(part)
    resample() got an unexpected keyword argument 'sampling_strategy'
    resamplekit's name for it is ratio: resample(X, y, ratio=...)
    """
    hints = dict(hints or {})

    def decorate(func: _Callable) -> _Callable:
        parameters = frozenset(inspect.signature(func).parameters)
        name = owner or func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except TypeError:
                # Only the call itself fails on a keyword the function does not take.
                unknown = [key for key in kwargs if key not in parameters]
                message = unknown and unknown_keyword_message(
                    name, unknown[0], parameters, hints, renames)
                if not message:
                    raise
                raise TypeError(message) from None

        return wrapper  # type: ignore[return-value]

    return decorate


def require_sklearn(method, purpose=None):
    """Fail with a clear ImportError when scikit-learn cannot be imported.

    scikit-learn is a dependency of resamplekit, imported only by the methods that fit one of
    its estimators; this error means a broken or partial installation.
    """
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        why = f" for {purpose}" if purpose else ""
        raise ImportError(
            f"{method} needs scikit-learn{why}, a dependency of resamplekit that could not be "
            f"imported ({exc}); reinstall it: pip install 'scikit-learn>=1.6'"
        ) from exc


def threads_for(n_threads, work, per_thread=1_000_000):
    """Threads worth starting for ``work`` elementary steps: at most one per ``per_thread``.

    Starting and joining threads costs more than small loops save (much more when another
    process holds a core); results never depend on the thread count.
    """
    return max(1, min(int(n_threads), int(work) // per_thread))


def check_random_state(random_state):
    """Return a ``numpy.random.RandomState`` (imbalanced-learn's generator) for ``random_state``.

    - None: NumPy's global RandomState (as scikit-learn and imbalanced-learn);
    - an int in [0, 2**32 - 1]: a fresh ``RandomState(seed)``, so results equal imbalanced-learn's
      with the same seed;
    - a ``RandomState``: used as it is (its state advances);
    - a ``numpy.random.Generator``: seeds a RandomState with one 32-bit draw from it (its state
      advances, so the same Generator object gives different results on each call).

    Examples
    --------
    >>> from resamplekit._validation import check_random_state
    >>> int(check_random_state(0).randint(100))
    44
    """
    if random_state is None:
        return np.random.mtrand._rand
    is_bool = isinstance(random_state, (bool, np.bool_))
    if isinstance(random_state, numbers.Integral) and not is_bool:
        if not 0 <= random_state < 2**32:
            raise ValueError(
                f"random_state as an integer must be in [0, 2**32 - 1], got {random_state!r}"
            )
        return np.random.RandomState(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(int(random_state.integers(2**32, dtype=np.uint64)))
    raise TypeError(
        "random_state must be None, an integer in [0, 2**32 - 1], a numpy.random.Generator or a "
        f"numpy.random.RandomState, got {_describe(random_state)}"
    )


# --------------------------------------------------------------------------------------------
# Labels


def _missing_label_mask(arr):
    """Boolean mask of missing labels (None, NaN, NaT, pd.NA) in a 1-d array, or None."""
    kind = arr.dtype.kind
    if kind == "f":
        return np.isnan(arr)
    if kind in "mM":
        return np.isnat(arr)
    if kind == "O":
        pd = _pandas()
        if pd is not None:
            return np.asarray(pd.isna(arr), dtype=bool)
        return np.fromiter((v is None or v != v for v in arr), dtype=bool, count=len(arr))
    return None


def _unique_codes(arr):
    """``np.unique(arr, return_inverse=True)``, in O(n) for integers and bools of small range."""
    kind = arr.dtype.kind
    if kind == "b":
        present = np.bincount(arr.view(np.uint8), minlength=2) > 0
        classes = np.flatnonzero(present).astype(bool)
        lookup = np.cumsum(present, dtype=np.intp) - 1
        return classes, lookup[arr.view(np.uint8)]
    if kind in "iu" and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        span = hi - lo + 1
        if span <= max(1 << 16, 2 * arr.size) and hi < 2**63:
            shifted = arr.astype(np.intp) - lo if lo != 0 or arr.dtype != np.intp else arr
            present = np.bincount(shifted, minlength=span) > 0
            classes = (np.flatnonzero(present) + lo).astype(arr.dtype)
            lookup = np.cumsum(present, dtype=np.intp) - 1
            return classes, lookup[shifted]
    classes, codes = np.unique(arr, return_inverse=True)
    return classes, codes.reshape(-1).astype(np.intp, copy=False)


def encode_labels(y, *, name="y"):
    """Check 1-d class labels and encode them.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels of any kind NumPy can sort: integers, strings, bools, integral floats; a pandas
        Series or Categorical, or a list.
    name : str, default="y"
        Parameter name for error messages.

    Returns
    -------
    labels : ndarray
        ``y`` as a 1-d NumPy array (a view when ``y`` already is one).
    classes : ndarray
        The distinct labels, sorted as ``np.unique`` sorts them, in ``y``'s dtype.
    codes : ndarray of intp
        ``classes[codes] == labels``.

    Examples
    --------
    >>> from resamplekit._validation import encode_labels
    >>> _, classes, codes = encode_labels(["b", "a", "b"])
    >>> classes.tolist(), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    if sparse.issparse(y):
        raise TypeError(f"{name} must be a 1-d array of class labels, got a sparse matrix")
    if _is_dataframe(y) or is_polars_frame(y):
        one = f"{name}.iloc[:, 0]" if _is_dataframe(y) else f"{name}.to_series(0)"
        raise ValueError(
            f"{name} must be 1-dimensional (one label per row of X), got a DataFrame of shape "
            f"{y.shape}; pass one column, e.g. {one}"
        )
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a 1-d array of class labels: {exc}") from exc
    if arr.ndim != 1:
        column = arr.ndim == 2 and arr.shape[1] == 1
        hint = f"; pass {name}.ravel() for a column vector" if column else ""
        raise ValueError(
            f"{name} must be 1-dimensional (one label per row of X), got an array of shape "
            f"{arr.shape}{hint}"
        )
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must hold class labels, got complex values (dtype {arr.dtype})")
    if kind == "V":
        raise TypeError(
            f"{name} must hold class labels, got a structured array (dtype {arr.dtype})"
        )
    missing = _missing_label_mask(arr)
    if missing is not None and missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{name} contains missing labels (NaN/None) ({int(missing.sum())} of them, the first "
            f"at position {first}); every row needs a class label: drop or fill those rows"
        )
    try:
        classes, codes = _unique_codes(arr)
    except TypeError as exc:
        raise TypeError(
            f"{name} mixes label types that cannot be sorted together ({exc}); give labels of "
            "one type (all strings or all numbers)"
        ) from exc
    if kind == "f" or kind == "O":
        floats = classes if kind == "f" else np.array(
            [c for c in classes if isinstance(c, (float, np.floating))], dtype=float
        )
        if floats.size and np.any(floats != np.floor(floats)):
            bad = floats[floats != np.floor(floats)][0].item()
            raise ValueError(
                f"{name} looks continuous: it has non-integer float labels such as {bad!r}. "
                "Resamplers need class labels (a classification target); bin a regression "
                "target into classes first"
            )
    return arr, classes, codes


# --------------------------------------------------------------------------------------------
# Features

_NUMERIC_HINT = (
    "distance-based methods need numeric X (float, integer or bool); encode strings and "
    "categories first (e.g. with sklearn's OneHotEncoder), or use random_under/random_over, "
    "which accept any column"
)


def _check_shape(shape, name="X"):
    if len(shape) != 2:
        hint = "; use X.reshape(-1, 1) for a single feature" if len(shape) == 1 else ""
        raise ValueError(
            f"{name} must be 2-dimensional (n_samples, n_features), got shape {tuple(shape)}{hint}"
        )
    if shape[0] == 0 or shape[1] == 0:
        raise ValueError(
            f"{name} must have at least 1 row and 1 column, got shape {tuple(shape)}"
        )


def _check_finite(arr, name="X", columns=None):
    """Raise if a float array holds NaN or inf (two reductions, no temporary array).

    ``columns``: the column names of a DataFrame, for the message.
    """
    if arr.size == 0 or (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        return
    bad = np.argwhere(~np.isfinite(arr))[0]
    where = f"row {bad[0]}, column {bad[1]}" if len(bad) == 2 else f"position {bad[0]}"
    if columns is not None and len(bad) == 2:
        where += f" {columns[bad[1]]!r}"
    raise ValueError(
        f"{name} contains NaN or infinity (first at {where}: {arr[tuple(bad)].item()!r}); "
        "distance-based methods need finite values: impute or drop those rows first "
        "(random_under and random_over accept them)"
    )


def _float_dtype(dtype, name="X"):
    """float32 for float32 input, float64 for other integer, bool and float input."""
    kind = dtype.kind
    if dtype == np.float32:
        return np.dtype(np.float32)
    if kind in "biuf":
        return np.dtype(np.float64)
    if kind == "c":
        raise TypeError(f"{name} has complex values (dtype {dtype}); {_NUMERIC_HINT}")
    raise TypeError(f"{name} has dtype {dtype}; {_NUMERIC_HINT}")


def _numeric_dense(arr):
    """C-contiguous finite float32/float64 version of a 2-d ndarray (no copy when possible)."""
    target = _float_dtype(arr.dtype)
    out = np.ascontiguousarray(arr, dtype=target)
    _check_finite(out)
    return out


def _numeric_dataframe(X):
    pd = _pandas()
    bad = [
        f"{col!r} ({dt})"
        for col, dt in X.dtypes.items()
        if not (pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt))
        or pd.api.types.is_complex_dtype(dt)
    ]
    if bad:
        shown = ", ".join(bad[:5]) + (", ..." if len(bad) > 5 else "")
        raise TypeError(f"X has non-numeric columns: {shown}; {_NUMERIC_HINT}")
    dtypes = [np.dtype(dt.subtype if isinstance(dt, pd.SparseDtype)
                       else getattr(dt, "numpy_dtype", dt)) for dt in X.dtypes]
    target = np.float32 if all(dt == np.float32 for dt in dtypes) else np.float64
    has_ext = any(not isinstance(dt, np.dtype) for dt in X.dtypes)
    arr = X.to_numpy(dtype=target, na_value=np.nan) if has_ext else X.to_numpy(dtype=target)
    out = np.ascontiguousarray(arr)
    _check_finite(out, columns=X.columns)
    return out


def _numeric_polars(X):
    """A polars DataFrame as a C-contiguous finite float array, under the pandas rules:
    float32 when every column is Float32, else float64 (integer, bool and float columns);
    nulls become NaN and are rejected with NaN and inf."""
    pl = _polars()
    schema = X.schema
    bad = [
        f"{col!r} ({dt})" for col, dt in schema.items()
        if not (dt == pl.Boolean or dt.is_integer() or dt.is_float())
    ]
    if bad:
        shown = ", ".join(bad[:5]) + (", ..." if len(bad) > 5 else "")
        raise TypeError(f"X has non-numeric columns: {shown}; {_NUMERIC_HINT}")
    target = pl.Float32 if all(dt == pl.Float32 for dt in schema.values()) else pl.Float64
    if any(dt != target for dt in schema.values()):
        X = X.cast(target)
    # One pass from polars' columns into a row-major array (zero-copy for a single column).
    out = X.to_numpy(order="c")
    if not out.flags.c_contiguous:
        out = np.ascontiguousarray(out)
    _check_finite(out, columns=X.columns)
    return out


def _numeric_sparse(X):
    """The canonical CSR matrix the algorithms see for a sparse ``X`` (never densified).

    A ``scipy.sparse.csr_matrix`` (also for csr_array, CSC, COO and other input) of float32
    (float32 input) or float64 (every other integer, bool or float input), with sorted column
    indices and no duplicate entries (duplicates summed, as scipy does), and int32 or int64
    index arrays as given. Conversions happen on a copy, at most once each: the caller's
    matrix is never modified, and a canonical float CSR matrix is used as it is (its arrays
    shared, not copied). Explicit zeros are kept (they are zeros to every method). NaN or
    infinity among the stored values is rejected, as for dense X.
    """
    X = canonical_csr(X, _float_dtype(X.dtype))
    _check_finite_sparse(X)
    return X


def canonical_csr(X, dtype=None):
    """A sparse ``X`` as a canonical ``csr_matrix``: sorted column indices, no duplicates.

    Duplicates are summed in X's dtype (as ``toarray()`` sums them), then the values are cast
    to ``dtype`` (None: X's dtype kept, for smoten, whose values are categories). Conversions
    happen on a copy, at most once each; the caller's matrix is never modified, and a
    canonical CSR matrix of that dtype is used as it is (its arrays shared). Explicit zeros
    and int32/int64 index arrays are kept.
    """
    fresh = False
    if X.format != "csr":
        X = X.tocsr()
        fresh = True
    if not X.has_canonical_format:
        if not fresh:
            X = X.copy()
            fresh = True
        X.sum_duplicates()  # in X's dtype, as toarray() sums them; sorts the indices too
    if dtype is not None and X.dtype != dtype:
        X = X.astype(dtype)
    if not isinstance(X, sparse.csr_matrix):  # csr_array: the same arrays, matrix semantics
        X = sparse.csr_matrix(X)
    return X


def _check_finite_sparse(X, name="X"):
    """Raise if the stored values of a CSR matrix hold NaN or inf (row and column named)."""
    data = X.data
    if data.size == 0 or (np.isfinite(data.min()) and np.isfinite(data.max())):
        return
    pos = int(np.flatnonzero(~np.isfinite(data))[0])
    row = int(np.searchsorted(X.indptr, pos, side="right")) - 1
    raise ValueError(
        f"{name} contains NaN or infinity (first at row {row}, column {int(X.indices[pos])}: "
        f"{data[pos].item()!r}); distance-based methods need finite values: impute or drop "
        "those rows first (random_under and random_over accept them)"
    )


def _stack_csr(top, bottom):
    """The rows of CSR matrix ``top``, then those of ``bottom`` (same dtype), as one
    ``csr_matrix``: three concatenations into arrays of the final index dtype (int32 where
    the entries and columns fit, as scipy would pick), nothing else allocated."""
    nnz = top.nnz + bottom.nnz
    wide = max(nnz, top.shape[1]) > np.iinfo(np.int32).max
    index = np.int64 if wide else np.int32
    data = np.concatenate([top.data[:top.nnz], bottom.data[:bottom.nnz]])
    indices = np.concatenate([top.indices[:top.nnz], bottom.indices[:bottom.nnz]], dtype=index)
    indptr = np.empty(top.shape[0] + bottom.shape[0] + 1, dtype=index)
    indptr[:top.shape[0] + 1] = top.indptr
    np.add(bottom.indptr[1:], top.nnz, out=indptr[top.shape[0] + 1:], casting="unsafe")
    shape = (top.shape[0] + bottom.shape[0], top.shape[1])
    return sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)


class Dataset:
    """Validated inputs and the way back to the caller's containers.

    Attributes
    ----------
    X : ndarray, DataFrame or sparse matrix
        ``numeric=True``: C-contiguous finite float32/float64 ndarray, or for sparse input a
        canonical finite float32/float64 ``csr_matrix`` (never densified). ``numeric=False``:
        the caller's X (a list becomes an ndarray).
    y : ndarray of intp
        Class codes ``0..K-1``.
    classes : ndarray
        Original labels, ``classes[code]``, sorted.
    counts : ndarray of intp
        Rows per class code.
    n_classes, n_samples, n_features : int
    is_sparse, is_dataframe : bool
        What the caller's X was.
    """

    def __init__(self, X, y, classes, X_orig, y_orig, *, x_kind, y_kind, numeric, labels=None):
        self.X = X
        # The caller's labels as a 1-d ndarray: output labels are gathered from it directly.
        self._label_array = np.take(classes, y) if labels is None else labels
        self.numeric = numeric
        self.y = y
        self.classes = classes
        self.counts = np.bincount(y, minlength=len(classes)).astype(np.intp, copy=False)
        self._X_orig = X_orig
        self._y_orig = y_orig
        self._x_kind = x_kind  # "ndarray", "list", "dataframe", "sparse"
        self._y_kind = y_kind  # "ndarray", "list", "series"
        self._class_indices = None

    @property
    def n_classes(self):
        return len(self.classes)

    @property
    def n_samples(self):
        return self._X_orig.shape[0]

    @property
    def n_features(self):
        return self._X_orig.shape[1]

    @property
    def is_sparse(self):
        return self._x_kind == "sparse"

    @property
    def is_dataframe(self):
        return self._x_kind == "dataframe"

    def class_indices(self):
        """Row indices of each class, ascending, as a list indexed by class code (cached).

        ``class_indices()[c]`` equals ``np.flatnonzero(y == c)``; computed with one pass per
        class for few classes, one stable radix/merge sort for many.
        """
        if self._class_indices is None:
            y = self.y
            if self.n_classes <= 16:
                self._class_indices = [np.flatnonzero(y == c) for c in range(self.n_classes)]
            else:
                small = y.astype(np.uint16) if self.n_classes <= 1 << 16 else y
                order = np.argsort(small, kind="stable")
                bounds = np.concatenate(([0], np.cumsum(self.counts)))
                self._class_indices = [
                    order[bounds[c]:bounds[c + 1]] for c in range(self.n_classes)
                ]
        return self._class_indices

    def labels(self, codes):
        """Original labels (ndarray, y's dtype) of class codes."""
        return np.take(self.classes, codes)

    def label(self, code):
        """The original label of one class code, as a plain value for messages (``1``, not
        ``np.int64(1)``)."""
        return _scalar(self.classes[code])

    # ---- output containers --------------------------------------------------------------
    def _y_out(self, codes, X_out, labels=None):
        if labels is None:
            labels = self.labels(codes)
        if self._y_kind == "list":
            return labels.tolist()
        if self._y_kind == "series":
            pd = _pandas()
            y0 = self._y_orig
            out = pd.Series(labels, dtype=y0.dtype, name=y0.name)
            if self.is_dataframe:
                out.index = X_out.index
            return out
        if self._y_kind == "polars":
            y0 = self._y_orig
            return _polars().Series(y0.name, labels).cast(y0.dtype)
        return labels

    def _frame(self, arr):
        """DataFrame of new data with X's columns; float columns keep their dtype, and sparse
        (pandas SparseDtype) columns stay sparse, with a float subtype."""
        pd = _pandas()
        X0 = self._X_orig
        out = pd.DataFrame(arr, columns=X0.columns, copy=False)
        keep = {}
        for col, dt in X0.dtypes.items():
            if isinstance(dt, pd.SparseDtype):
                if np.dtype(dt.subtype).kind != "f":  # new values are floats: never truncated
                    dt = pd.SparseDtype(arr.dtype, fill_value=float(dt.fill_value))
                keep[col] = dt
            elif isinstance(dt, np.dtype) and dt.kind == "f" and dt != arr.dtype:
                keep[col] = dt
        return out.astype(keep) if keep else out

    def _polars_schema(self, dtype):
        """The columns of a polars result of new data (float values of ``dtype``): float
        columns keep their dtype, integer and bool columns become Float64 (never truncated)."""
        pl = _polars()
        new = pl.Float32 if dtype == np.float32 else pl.Float64
        return {col: dt if dt.is_float() else new for col, dt in self._X_orig.schema.items()}

    def _polars_frame(self, arr):
        """polars DataFrame of new data with X's column names (see _polars_schema)."""
        pl = _polars()
        schema = self._polars_schema(arr.dtype)
        out = pl.from_numpy(arr, schema=list(schema), orient="row")
        return out.cast(schema) if out.schema != schema else out

    def _sparse_like(self, arr):
        X0 = self._X_orig
        out = type(X0)(arr).asformat(X0.format)
        return out if type(out) is type(X0) else type(X0)(out)

    def _new_X_out(self, arr):
        if self._x_kind == "dataframe":
            return self._frame(arr)
        if self._x_kind == "polars":
            return self._polars_frame(arr)
        if self._x_kind == "sparse":
            return self._sparse_like(arr)
        if self._x_kind == "list":
            return arr.tolist()
        return arr

    def select(self, indices, *, return_indices=False, keep_index=False):
        """Rows ``indices`` of the caller's X, in its container, with their labels.

        Rows come from the caller's X unchanged (every dtype kept). A DataFrame result gets a
        fresh RangeIndex, or with ``keep_index=True`` the index labels of the rows picked (a
        polars DataFrame has no index: its rows are gathered by polars).
        """
        indices = np.asarray(indices, dtype=np.intp)
        X0 = self._X_orig
        kind = self._x_kind
        if kind == "dataframe":
            X_out = X0.take(indices)
            if not keep_index:
                X_out.index = _pandas().RangeIndex(len(indices))
        elif kind == "polars":
            X_out = X0[indices]
        elif kind == "sparse":
            X_out = X0[indices]
            if X_out.format != X0.format:
                X_out = X_out.asformat(X0.format)
        else:
            X_out = np.take(X0, indices, axis=0)
            if kind == "list":
                X_out = X_out.tolist()
        out = (X_out, self._y_out(None, X_out, labels=np.take(self._label_array, indices)))
        return out + (indices,) if return_indices else out

    def extend(self, rows, *, return_indices=False):
        """All rows of the caller's X in order, then copies of rows ``rows``, with labels.

        The same result as ``select(concatenate([arange(n), rows]))``, built with one
        allocation of the output (over-sampling by repetition). A DataFrame result gets a fresh
        RangeIndex.
        """
        rows = np.asarray(rows, dtype=np.intp)
        X0 = self._X_orig
        n, m = X0.shape[0], len(rows)
        kind = self._x_kind
        if kind == "dataframe":
            pd = _pandas()
            X_out = pd.concat([X0, X0.take(rows)], ignore_index=True)
        elif kind == "polars":
            X_out = _polars().concat([X0, X0[rows]])
        elif kind == "sparse":
            X_out = sparse.vstack([X0, X0[rows]], format=X0.format)
            if type(X_out) is not type(X0):
                X_out = type(X0)(X_out)
        else:
            arr = np.empty((n + m,) + X0.shape[1:], dtype=X0.dtype)
            arr[:n] = X0
            # mode="wrap" (indices are valid) lets take write into `out` without a buffer.
            np.take(X0, rows, axis=0, out=arr[n:], mode="wrap")
            X_out = arr.tolist() if kind == "list" else arr
        labels = np.empty(n + m, dtype=self._label_array.dtype)
        labels[:n] = self._label_array
        np.take(self._label_array, rows, out=labels[n:], mode="wrap")
        out = (X_out, self._y_out(None, X_out, labels=labels))
        if return_indices:
            out = out + (np.concatenate([np.arange(n, dtype=np.intp), rows]),)
        return out

    def append(self, X_new, y_new, *, return_indices=False, sources=None, filled=None):
        """All original rows (as ``self.X``), then new rows ``X_new`` with class codes ``y_new``.

        Needs ``numeric=True``, except for sparse X with ``filled`` (smoten, whose values are
        categories of X's own dtype). The result has ``self.X``'s dtype. For sparse X, ``X_new`` may
        be a sparse matrix (the SMOTE family's CSR rows) or an array, and the result is in the
        caller's sparse format. Returned indices are
        ``0..n-1`` for the original rows, then ``sources`` (the input row each new row comes
        from), or -1 for every new row when ``sources`` is None.

        ``filled``: for dense X (not polars), an array from :meth:`output_buffer` whose first
        n rows hold ``self.X`` and whose last rows are ``X_new`` (written there by the caller);
        for sparse X, a CSR matrix of X's dtype holding ``self.X``'s rows then the new ones.
        Used as the output as it is, without a second copy of the new rows; ``X_new`` is then
        ignored (it may be None).
        """
        if not self.numeric and (filled is None or self._x_kind != "sparse"):
            raise TypeError("Dataset.append needs a Dataset made with numeric=True (or, for "
                            "sparse X, a filled CSR matrix of X's dtype)")
        X = self.X
        y_new = np.asarray(y_new, dtype=np.intp)
        n, m = X.shape[0], y_new.shape[0]
        if filled is not None:
            if filled.shape != (n + m, X.shape[1]) or filled.dtype != X.dtype or \
                    sparse.issparse(filled) != (self._x_kind == "sparse"):
                raise ValueError("Dataset.append: filled does not match X and y_new")
        elif not sparse.issparse(X_new):
            X_new = np.asarray(X_new)
        if self._x_kind == "sparse":
            # The original rows as the algorithm saw them (canonical CSR of X's float dtype),
            # then the new rows (CSR, or an array of new rows), in the caller's format.
            X0 = self._X_orig
            if filled is not None:
                X_out = filled
            else:
                if not sparse.issparse(X_new):
                    X_new = sparse.csr_matrix(X_new)
                X_new = X_new.tocsr().astype(X.dtype, copy=False)
                X_out = _stack_csr(X, X_new)
            if X0.format != "csr":
                X_out = X_out.asformat(X0.format)
            if type(X_out) is not type(X0):
                X_out = type(X0)(X_out)
        elif self._x_kind == "polars":
            # The original rows straight from the caller's columns (cast as the new ones are:
            # the same values as self.X's), then the new rows.
            pl = _polars()
            X0 = self._X_orig
            schema = self._polars_schema(X.dtype)
            head = X0.cast(schema) if X0.schema != schema else X0
            X_out = pl.concat([head, self._polars_frame(X_new.astype(X.dtype, copy=False))])
        elif filled is not None:
            X_out = self._new_X_out(filled)
        else:
            arr = np.empty((n + m, X.shape[1]), dtype=X.dtype)
            arr[:n] = X
            arr[n:] = X_new
            X_out = self._new_X_out(arr)
        labels = np.empty(n + m, dtype=self._label_array.dtype)
        labels[:n] = self._label_array
        np.take(self.classes, y_new, out=labels[n:])
        out = (X_out, self._y_out(None, X_out, labels=labels))
        if return_indices:
            if sources is None:
                tail = np.full(m, -1, dtype=np.intp)
            else:
                tail = np.asarray(sources, dtype=np.intp)
            out = out + (np.concatenate([np.arange(n, dtype=np.intp), tail]),)
        return out

    def output_buffer(self, m):
        """For :meth:`append` of ``m`` new rows to dense X (not sparse, not polars): the
        output array with ``self.X`` in its first n rows, the last m rows to be written by the
        caller (C-contiguous); None for other containers (append then copies)."""
        if not self.numeric or self._x_kind in ("sparse", "polars"):
            return None
        X = self.X
        arr = np.empty((X.shape[0] + m, X.shape[1]), dtype=X.dtype)
        arr[:X.shape[0]] = X
        return arr

    def append_columns(self, new_columns, y_new, *, return_indices=False,
                       all_categorical=False):
        """All rows of the caller's X, then new rows given column by column, with labels.

        For tables with categorical or text columns (smotenc, smoten), which :meth:`append`
        (numeric arrays only) does not handle. ``new_columns[j]`` holds the new values of
        column j (continuous columns as floats, categorical ones as values of the column), and
        ``y_new`` their class codes.

        - DataFrame X (pandas or polars): a DataFrame with the same columns (pandas: a fresh
          RangeIndex). A column whose new values are float and whose original dtype is integer
          or bool becomes float64; every other column keeps its dtype (categorical dtypes and
          their categories included, polars Enum too).
        - ndarray X: an ndarray of dtype X's dtype when ``all_categorical``, else float32 and
          float64 are kept, other numbers become float64 and anything else object.

        ``y`` comes back in its container (a Series keeps its name and dtype, a list is a
        list), as from every other method. Returned indices are ``0..n-1`` for the original
        rows, then -1 for every new row.
        """
        if self._x_kind == "sparse":
            raise TypeError("Dataset.append_columns needs a dense X (ndarray or DataFrame)")
        X = self._X_orig
        y_new = np.asarray(y_new, dtype=np.intp)
        n, m = X.shape[0], y_new.shape[0]
        if self._x_kind == "dataframe":
            pd = _pandas()
            parts = {}
            for j in range(X.shape[1]):
                orig = X.iloc[:, j].reset_index(drop=True)
                new = new_columns[j]
                if new.dtype.kind == "f" and orig.dtype.kind in "biu":
                    orig = orig.astype(np.float64)
                added = pd.Series(new, dtype=orig.dtype)
                parts[j] = pd.concat([orig, added], ignore_index=True)
            X_out = pd.DataFrame(parts)
            X_out.columns = X.columns
        elif self._x_kind == "polars":
            pl = _polars()
            parts = []
            for j, (name, dt) in enumerate(X.schema.items()):
                orig = X.to_series(j)
                new = new_columns[j]
                if new.dtype.kind == "f" and (dt.is_integer() or dt == pl.Boolean):
                    orig = orig.cast(pl.Float64)
                added = pl.Series(name, new)
                if isinstance(dt, pl.Categorical):
                    # through text: categoricals built apart may not share their encoding
                    column = pl.concat([orig.cast(pl.String), added.cast(pl.String)])
                    parts.append(column.cast(dt))
                else:
                    parts.append(pl.concat([orig, added.cast(orig.dtype)]))
            X_out = pl.DataFrame(parts)
        else:
            dtype = X.dtype
            if not all_categorical and dtype not in (np.float32, np.float64):
                dtype = np.dtype(np.float64 if dtype.kind in "biuf" else object)
            X_out = np.empty((n + m, X.shape[1]), dtype=dtype)
            X_out[:n] = X
            for j, col in enumerate(new_columns):
                X_out[n:, j] = col
        labels = self.labels(np.concatenate([self.y, y_new]))
        y_out = self._y_out(None, X_out, labels=labels)
        out = (X_out, y_out)
        if return_indices:
            out = out + (np.concatenate([np.arange(n, dtype=np.intp),
                                         np.full(m, -1, dtype=np.intp)]),)
        return out

    def wrap(self, X_res, y_res):
        """New data (no link to input rows, e.g. centroids) in the caller's containers."""
        dtype = self.X.dtype if self.numeric else None
        if sparse.issparse(X_res):
            X_out = self._sparse_like(X_res.astype(dtype or X_res.dtype, copy=False))
        else:
            X_out = self._new_X_out(np.ascontiguousarray(X_res, dtype=dtype))
        return X_out, self._y_out(np.asarray(y_res, dtype=np.intp), X_out)


def check_X_y(X, y, *, numeric=True):
    """Validate ``X`` and ``y`` for a sampler.

    Parameters
    ----------
    X : array-like, DataFrame or scipy.sparse matrix/array of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels (see :func:`encode_labels`).
    numeric : bool, default=True
        True for distance-based methods: ``Dataset.X`` is a C-contiguous finite float32
        (float32 input) or float64 ndarray (a canonical CSR matrix of those dtypes for sparse
        input). False for row-picking methods: X is kept as it is.

    Returns
    -------
    Dataset

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._validation import check_X_y
    >>> ds = check_X_y([[0, 1], [1, 0], [2, 2]], ["b", "a", "b"])
    >>> ds.X.dtype, ds.y.tolist(), ds.classes.tolist(), ds.counts.tolist()
    (dtype('float64'), [1, 0, 1], ['a', 'b'], [1, 2])
    >>> ds.select([2, 1])
    ([[2, 2], [1, 0]], ['b', 'a'])
    """
    # ---- X
    X_orig = X
    if sparse.issparse(X):
        x_kind = "sparse"
        if X.format not in ("csr", "csc"):
            X = X.tocsr()
        X_orig = X
        _check_shape(X.shape)
        X_alg = _numeric_sparse(X) if numeric else X
    elif _is_dataframe(X):
        x_kind = "dataframe"
        _check_shape(X.shape)
        X_alg = _numeric_dataframe(X) if numeric else X
    elif is_polars_frame(X):
        x_kind = "polars"
        _check_shape(X.shape)
        X_alg = _numeric_polars(X) if numeric else X
    else:
        x_kind = "ndarray" if isinstance(X, np.ndarray) else "list"
        if _is_series(X):
            x_kind = "ndarray"
        try:
            arr = np.asarray(X)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"X must be a 2-d array-like (n_samples, n_features), got {_describe(X)}: {exc}"
            ) from exc
        _check_shape(arr.shape)
        X_orig = arr
        X_alg = _numeric_dense(arr) if numeric else arr
    # ---- y
    if _is_series(y):
        y_kind = "series"
    elif is_polars_series(y):
        y_kind = "polars"
    else:
        y_kind = "list" if isinstance(y, list) else "ndarray"
    label_array, classes, codes = encode_labels(y)
    n = X_orig.shape[0]
    if n != len(codes):
        raise ValueError(
            f"X and y must have the same number of rows, got {n} rows in X and {len(codes)} "
            "labels in y"
        )
    if len(classes) < 2:
        raise ValueError(
            f"y must contain at least 2 classes, got 1 class ({_scalar(classes[0])!r}); "
            "resampling needs an imbalance between classes"
        )
    return Dataset(
        X_alg, codes, classes, X_orig, y, x_kind=x_kind, y_kind=y_kind, numeric=bool(numeric),
        labels=label_array,
    )
