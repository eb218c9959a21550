"""Type aliases of the public API: what the functions and classes take and return.

The numpydoc docstrings stay the reference for what each parameter means; these aliases give
type checkers and editors the same facts. They are real objects at run time, so that
``typing.get_type_hints`` resolves every public annotation, and they import nothing that
``import resamplekit`` does not load already (numpy, scipy.sparse, and numpy.typing, which
scipy.sparse imports). scikit-learn and pandas are not imported: neither ships type
information, so an estimator is typed ``Any`` and a DataFrame is covered by ``ArrayLike``.

Results follow the caller's containers (ndarray, DataFrame/Series, sparse matrix), which a
signature cannot say, so ``X_res`` and ``y_res`` are ``Any``; the tuple's length and the
indices' dtype are exact: the functions are overloaded on ``return_indices`` and
``return_provenance``.
"""
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

__all__ = [
    "ArrayLike",
    "MatrixLike",
    "OverRatio",
    "UnderRatio",
    "CleanRatio",
    "Neighbors",
    "RandomStateLike",
    "SklearnRandomState",
    "Estimator",
    "Indices",
    "Resampled",
    "ResampledIndexed",
    "ResampledRounds",
    "Provenance",
    "ResampledProvenance",
    "ResampledIndexedProvenance",
    "ResampledAny",
    "Weights",
    "ResampledWeighted",
]

#: X: anything ``numpy.asarray`` takes (lists, ndarrays, DataFrames), or a scipy.sparse
#: matrix or array (where the method supports sparse input).
MatrixLike: TypeAlias = ArrayLike | sparse.spmatrix | sparse.sparray

#: ``ratio`` of a callable form: y (original labels) -> {label: final count}.
_RatioFunction: TypeAlias = Callable[[NDArray[Any]], Mapping[Any, int]]

#: ``ratio`` of an over-sampler (imbalanced-learn's ``sampling_strategy``): a strategy name, a
#: float in (0, 1] (binary targets), {label: final count}, or a callable returning such a dict.
OverRatio: TypeAlias = (
    Literal["auto", "minority", "not minority", "not majority", "all"]
    | float
    | Mapping[Any, int]
    | _RatioFunction
)

#: ``ratio`` of an under-sampler: as for over-sampling, with 'majority' instead of 'minority'.
UnderRatio: TypeAlias = (
    Literal["auto", "majority", "not minority", "not majority", "all"]
    | float
    | Mapping[Any, int]
    | _RatioFunction
)

#: ``ratio`` of a cleaning method: a strategy name or the list of labels to clean.
CleanRatio: TypeAlias = (
    Literal["auto", "majority", "not minority", "not majority", "all"] | list[Any]
)

#: ``neighbors`` of the neighbour-rule methods: the exact search (default) or candidates from
#: an approximate index re-ranked exactly (see the performance page).
Neighbors: TypeAlias = Literal["exact", "approximate"]

#: ``random_state`` of the functions: None (NumPy's global state), a seed in [0, 2**32 - 1],
#: a RandomState (used as it is) or a Generator (seeds one RandomState per call).
RandomStateLike: TypeAlias = int | np.random.RandomState | np.random.Generator | None

#: ``random_state`` of the estimator classes (scikit-learn's parameter validation: no Generator).
SklearnRandomState: TypeAlias = int | np.random.RandomState | None

#: A scikit-learn estimator (clusterer, classifier, encoder, nearest-neighbours object,
#: cross-validation splitter); scikit-learn ships no type information.
Estimator: TypeAlias = Any

#: For each output row, the input row it comes from (-1 for a synthetic row).
Indices: TypeAlias = NDArray[np.intp]

#: ``(X_res, y_res)``, in the containers of X and y.
Resampled: TypeAlias = tuple[Any, Any]

#: ``(X_res, y_res, indices)`` with ``return_indices=True``.
ResampledIndexed: TypeAlias = tuple[Any, Any, Indices]

#: One provenance record per output row: a structured array of dtype
#: ``resamplekit._provenance.PROVENANCE_DTYPE`` (fields row, neighbor, gap, scale, step).
Provenance: TypeAlias = NDArray[np.void]

#: ``(X_res, y_res, provenance)`` with ``return_provenance=True``.
ResampledProvenance: TypeAlias = tuple[Any, Any, Provenance]

#: ``(X_res, y_res, indices, provenance)`` with both flags.
ResampledIndexedProvenance: TypeAlias = tuple[Any, Any, Indices, Provenance]

#: Any of the four results of a function with ``return_indices`` and ``return_provenance``.
ResampledAny: TypeAlias = (
    Resampled | ResampledIndexed | ResampledProvenance | ResampledIndexedProvenance
)

#: What ``repeated_edited_nearest_neighbours`` returns: ``(X_res, y_res)``, then the indices with
#: ``return_indices=True``, then the number of rounds with ``return_n_iter=True``, then the
#: provenance with ``return_provenance=True``.
ResampledRounds: TypeAlias = (
    ResampledAny | tuple[Any, Any, int] | tuple[Any, Any, Indices, int]
    | tuple[Any, Any, int, Provenance] | tuple[Any, Any, Indices, int, Provenance]
)

#: The weight of each output row (``sample_weight_res``), float64.
Weights: TypeAlias = NDArray[np.float64]

#: What a function returns with ``sample_weight``: ``(X_res, y_res, sample_weight_res)``, then
#: the indices with ``return_indices=True`` (then RENN's rounds with ``return_n_iter=True``), then
#: the provenance with ``return_provenance=True``. Typed as a tuple of any length so that every
#: one of these unpacks.
ResampledWeighted: TypeAlias = tuple[Any, ...]
