"""resamplekit: fast, exact resampling of class-imbalanced data.

Map of the package (data flows down, never back up):

- ``over_sampling``, ``under_sampling``, ``cleaning``, ``combine``: the public functions, one
  per method, each ``f(X, y, *, k=..., ratio=..., ...) -> (X_res, y_res[, indices])``.
- ``estimators``: imbalanced-learn compatible classes (``fit_resample``) over those functions;
  imported on first use (it imports scikit-learn; the functions load scikit-learn only
  when they fit one of its estimators).
- ``_validation``: the one validation path: X and y in, contiguous arrays (a canonical CSR
  matrix for sparse X, never densified) and integer class codes out, and the wrapper that
  puts results back into the caller's containers.
- ``_strategy``: the one ``ratio`` resolver (imbalanced-learn's ``sampling_strategy``).
- ``_neighbors``: the one neighbour search, ``kneighbors``: validates, plans (``plan_search``)
  and runs a kernel; beside it the searches under the categorical methods' metrics
  (``kneighbors_mixed`` for SMOTE-NC, ``kneighbors_vdm`` for SMOTE-N) and
  ``sum_pairwise_distances`` (KMeans-SMOTE). The public modules reach neighbours only through it.
- ``_encoding``: tables of mixed columns for smotenc and smoten: ``as_table``, the categorical
  column selection, the continuous block, the categories as integer codes.
- ``_typing``: the aliases of the public annotations (``MatrixLike`` X, the ``ratio`` kinds,
  ``RandomStateLike``, the result tuples); the package ships ``py.typed``.
- ``_provenance``: the provenance record of ``return_provenance=True`` (one per output
  row: input or base row, neighbour, gap, scale, step), its dtype and builders.
- ``_progress``: progress reporting, ``report_progress(callback)`` and its ``Progress``
  events (exported here).
- ``_kernels``: typed Cython kernels (no validation, no Python objects in loops): ``_knn``
  (exact kNN: brute force by chunks of queries in plan, scan and finalise steps, the symmetric
  self-query, KD-tree re-ranking), ``_nearmiss``, ``_smote`` (interpolation, on dense and on
  CSR rows), ``_smote_categorical`` (SMOTE-NC/SMOTE-N searches and votes), ``_cleaning`` (the
  neighbour rules, CNN's store on dense and CSR rows); ``_common.pxd`` holds their shared
  types and helpers and ``knn_scan.h`` the plain-C filter loops and the AVX-512F fused scan.

Progress. Long calls can report how far they are: inside ``with
resamplekit.report_progress(callback):`` the neighbour searches, editing rounds, CNN passes
and estimator fits call ``callback(resamplekit.Progress(method, phase, done, total))`` at
their start (``done=0``), as they advance and at their end (``done == total``), in the calling
thread; a callback that raises cancels the call. The callback lives in a context variable, so
it sees only the calls of its own thread (or asyncio task), and with no callback the reporting
costs one ``ContextVar.get()`` per phase. The answers are the same with and without a callback.
"""
import importlib as _importlib

__version__ = "0.1.0.dev0"

from . import over_sampling as _over_sampling  # noqa: E402
from . import under_sampling as _under_sampling  # noqa: E402
from .over_sampling import *  # noqa: E402,F401,F403
from .under_sampling import *  # noqa: E402,F401,F403
from . import cleaning as _cleaning  # noqa: E402
from .cleaning import *  # noqa: E402,F401,F403
from . import combine as _combine  # noqa: E402
from .combine import *  # noqa: E402,F401,F403
# Progress reporting: public names of the package, kept out of __all__, which lists the
# resampling methods (tests and tools enumerate it as such).
from ._progress import Progress, report_progress  # noqa: E402,F401

__all__ = sorted(
    set(_over_sampling.__all__)
    | set(_under_sampling.__all__)
    | set(_cleaning.__all__)
    | set(_combine.__all__)
)


def __getattr__(name):
    # scikit-learn is imported only when the estimator classes are asked for.
    if name == "estimators":
        return _importlib.import_module(".estimators", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
