"""Cleaning methods: remove the rows that neighbour rules call noisy or borderline.

Each function selects rows of the input, so ``return_indices=True`` gives, for each output row,
the input row it is. The rules match imbalanced-learn 0.14 (``EditedNearestNeighbours``,
``RepeatedEditedNearestNeighbours``, ``AllKNN``, ``NeighbourhoodCleaningRule``) row for row and
in the same order, on data without duplicated rows or tied distances. Every neighbour comes from
the one search, :func:`resamplekit._neighbors.kneighbors`, with each row excluded from its own
neighbours by index (so duplicated rows are handled correctly); the votes are Cython loops in
``resamplekit._kernels._cleaning``.

``ratio`` picks the classes to clean: 'auto' (= 'not minority'), 'majority', 'not minority',
'not majority', 'all', or a list of labels. Cleaning methods decide themselves how many rows to
remove, so a float, a dict or a callable is an error.
"""
from __future__ import annotations

import itertools
from typing import Any, Literal, overload

import numpy as np
from scipy import sparse

from ._kernels import _cleaning
from ._neighbors import check_neighbors, kneighbors
from ._progress import start as _start_phase
from ._public import public
from ._strategy import target_counts
from ._provenance import (
    check_flag as check_provenance_flag,
    kept as kept_records,
    select as select_recorded,
)
from ._typing import (
    ArrayLike,
    CleanRatio,
    Indices,
    MatrixLike,
    Neighbors,
    Provenance,
    RandomStateLike,
    Resampled,
    ResampledAny,
    ResampledIndexed,
    ResampledIndexedProvenance,
    ResampledProvenance,
    ResampledRounds,
    ResampledWeighted,
)
from ._validation import (
    check_int,
    check_n_jobs,
    check_random_state,
    check_X_y,
    threads_for,
    unit_scaled,
)

__all__ = [
    "edited_nearest_neighbours",
    "repeated_edited_nearest_neighbours",
    "all_knn",
    "neighbourhood_cleaning_rule",
    "tomek_links",
    "condensed_nearest_neighbour",
    "one_sided_selection",
]

_KIND_SEL = ("all", "mode")


# --- shared pieces -------------------------------------------------------------------------


def _check_kind_sel(kind_sel):
    if not isinstance(kind_sel, str) or kind_sel not in _KIND_SEL:
        raise ValueError(f"kind_sel must be one of {_KIND_SEL}, got {kind_sel!r}")
    return kind_sel == "mode"


def _check_k_rows(k, n_rows, what="rows"):
    # Each row's k neighbours are other rows: k + 1 rows are needed (imblearn fits k + 1).
    if k >= n_rows:
        raise ValueError(
            f"k must be smaller than the number of {what} ({n_rows}), since each row needs {k} "
            f"other rows as neighbours; got k={k}"
        )


def _targeted_classes(ratio, y_codes, classes):
    """Class codes the ratio targets for cleaning, and a (K,) boolean mask of them."""
    codes = list(target_counts(ratio, y_codes, classes, "clean"))
    mask = np.zeros(len(classes), dtype=bool)
    mask[codes] = True
    return codes, mask


def _neighbour_ids(X, rows, k, n_threads, neighbors="exact"):
    """The k nearest other rows of X for each row in ``rows`` (global indices, (m, k) intp)."""
    return np.ascontiguousarray(
        kneighbors(X, k, rows=rows, n_jobs=n_threads, neighbors=neighbors)[1])


def _rows_of(y, mask):
    """Ascending indices of the rows whose class is set in ``mask``."""
    return np.flatnonzero(mask[y])


def _class_grouped(y, keep_rows):
    """imblearn's order for ENN-like output: class by class, ascending index inside a class."""
    return keep_rows[np.argsort(y[keep_rows], kind="stable")]


# --- ENN --------------------------------------------------------------------------------------


@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = 3, kind_sel: Literal["all", "mode"] = "all",
    ratio: CleanRatio = "auto", n_jobs: int | None = None,
    neighbors: Neighbors = "exact",
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Edited nearest neighbours (ENN): remove rows that disagree with their neighbourhood.

    A row of a targeted class is removed when its ``k`` nearest other rows (over the whole
    dataset) do not all share its label (``kind_sel='all'``), or when its label is not their
    most common one (``kind_sel='mode'``; a tie goes to the smallest label, as
    ``scipy.stats.mode`` decides in imbalanced-learn). Rows of other classes are kept.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels (any sortable labels: integers, strings, ...).
    k : int, default=3
        Number of neighbours that vote (imblearn: ``n_neighbors``). Must be smaller than the
        number of rows.
    kind_sel : {'all', 'mode'}, default='all'
        Rule that keeps a row, see above.
    ratio : str or list, default='auto'
        Classes to clean: 'auto' (= 'not minority'), 'majority', 'not minority',
        'not majority', 'all', or a list of labels (imblearn: ``sampling_strategy``).
    n_jobs : int or None, default=None
        Threads for the neighbour search and the votes (None: all cores).
    neighbors : {'exact', 'approximate'}, default='exact'
        'exact': the exact search. 'approximate': each row's candidates come from an
        HNSW graph (faiss-cpu, the ``ann`` extra) and are re-ranked by their exact
        distances, so only a missed neighbour can differ from the exact answer (recall
        target 0.97; see the performance page's "Approximate neighbours"). It pays
        from about a million rows; dense X only; deterministic.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray or DataFrame
        The kept rows, class by class in label order, ascending row order inside a class (as
        imbalanced-learn's ``sample_indices_``).
    y_res : ndarray
        Their labels.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Equals ``imblearn.under_sampling.EditedNearestNeighbours(n_neighbors=k, kind_sel=...)``
    on data without duplicated rows, except that a row is never its own neighbour (imblearn
    drops the first neighbour, which is another row when there are exact duplicates), and
    ``kind_sel='mode'`` works with string labels. Cost: one k-nearest-neighbour search for the
    rows of the targeted classes, then an O(n k) vote.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import edited_nearest_neighbours
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [5.0], [5.1], [5.2], [5.3], [5.4], [0.15]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    >>> X_res, y_res, idx = edited_nearest_neighbours(X, y, k=3, return_indices=True)
    >>> idx  # row 9, a class-1 row among class-0 rows, is removed
    array([0, 1, 2, 3, 4, 5, 6, 7, 8])
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    mode = _check_kind_sel(kind_sel)
    n_threads = check_n_jobs(n_jobs)
    neighbors = check_neighbors(neighbors, "edited_nearest_neighbours")
    codes, mask = _targeted_classes(ratio, ds.y, ds.classes)
    _check_k_rows(k, len(ds.y))
    rows = _rows_of(ds.y, mask)
    nbr = _neighbour_ids(ds.X, rows, k, n_threads, neighbors)
    keep = _cleaning.enn_keep(nbr, rows, ds.y, k, mode, False,
                              threads_for(n_threads, nbr.size)).view(bool)
    removed = np.zeros(len(ds.y), dtype=bool)
    removed[rows[~keep]] = True
    indices = _class_grouped(ds.y, np.flatnonzero(~removed))
    return select_recorded(ds, indices, return_indices, return_provenance)


# --- RENN and AllKNN: rounds of ENN with repaired neighbour lists -----------------------------


class _EditingRounds:
    """Rounds of ENN over a shrinking set of rows, with one neighbour search plus repairs.

    imbalanced-learn refits its kNN on the surviving rows every round. Here each row keeps a
    list of its nearest other alive rows; ``nbr[i, :valid_len[i]]`` are exactly the
    ``valid_len[i]`` nearest, in (distance, index) order. When rows are removed, the lists are
    compacted (the surviving members are still the nearest: any closer alive row would have been
    listed), and only the rows left with fewer than the k neighbours a round needs are searched
    again, against the alive rows. So the lists are what a fresh search would give, and every
    round is exactly an ENN on the alive rows.

    A search keeps ``k_max + 1`` neighbours (one more than any round reads), so a row can lose
    one neighbour before it must be searched again. Repairs touch few rows (tens to hundreds at
    100,000 rows), while every extra neighbour slows the one big search (measured: k_max + 1 was
    the fastest of k_max, k_max + 1, k_max + 2 and k_max + min(k_max, 8)).
    """

    def __init__(self, X, y, k_max, n_threads, classes):
        n = X.shape[0]
        self.X, self.y, self.n_threads, self.classes = X, y, n_threads, classes
        self.width = k_max + 1
        self.alive = np.ones(n, dtype=np.uint8)
        self.nbr = np.zeros((n, self.width), dtype=np.intp)
        self.valid_len = np.zeros(n, dtype=np.intp)

    # The interface of _edit_in_rounds (also implemented by resamplekit.dask's rounds)
    def counts(self):
        return np.bincount(self.y[self.alive.view(bool)], minlength=len(self.classes))

    def targeted(self, ratio):
        return _targeted_classes(ratio, self.y[self.alive.view(bool)], self.classes)[1]

    def edit(self, mask, k, mode):
        alive_rows = np.flatnonzero(self.alive)
        return len(self.round(alive_rows[mask[self.y[alive_rows]]], k, mode))

    def round(self, rows, k, mode):
        """ENN on the alive rows, voting for the alive rows ``rows`` (ascending); returns the
        rows it removed."""
        _cleaning.compact_lists(self.nbr, self.valid_len, rows, self.alive,
                                threads_for(self.n_threads, self.nbr.size))
        stale = rows[self.valid_len[rows] < k]
        if len(stale):
            self._search(stale, k)
        keep = _cleaning.enn_keep(self.nbr, rows, self.y, k, mode, True,
                                  threads_for(self.n_threads, self.nbr.size)).view(bool)
        gone = rows[~keep]
        self.alive[gone] = 0
        return gone

    def _search(self, stale, k):
        alive_rows = np.flatnonzero(self.alive)
        n_alive = len(alive_rows)
        _check_k_rows(k, n_alive, what="rows left after the previous rounds")
        kq = min(self.width, n_alive - 1)
        if n_alive == len(self.y):
            local = _neighbour_ids(self.X, stale, kq, self.n_threads)
            self.nbr[stale, :kq] = local
        else:
            X_alive = self.X[alive_rows]
            self_local = np.searchsorted(alive_rows, stale)
            local = _neighbour_ids(X_alive, self_local, kq, self.n_threads)
            self.nbr[stale, :kq] = alive_rows[local]
        self.valid_len[stale] = kq


def _edit_in_rounds(rounds, ratio, ks, mode, minority, n_min, *, check_minority,
                    until_unchanged, total):
    """imbalanced-learn's loop of RENN (``ks``: k, max_iter times; it also stops when a round
    removes nothing) and AllKNN (``ks``: 1..k) over a rounds object: ``rounds.targeted(ratio)``
    the (K,) mask of the classes ``ratio`` targets among the alive rows, ``rounds.edit(mask, k,
    mode)`` one ENN on the alive rows voting for the alive rows of those classes (returns how
    many it removed), ``rounds.counts()`` the alive rows per class. Shared by the in-memory
    functions (:class:`_EditingRounds`) and ``resamplekit.dask`` (block-wise searches).
    Returns the number of rounds run."""
    progress = _start_phase("editing round", total)
    n_iter = 0
    for n_iter, k_round in enumerate(ks, 1):
        if progress is not None:
            progress.update(n_iter - 1)
        n_gone = rounds.edit(rounds.targeted(ratio), k_round, mode)
        if (until_unchanged and n_gone == 0) or _stop(rounds.counts(), minority, n_min,
                                                      check_minority):
            break
    if progress is not None:
        progress.finish(n_iter)  # the rounds run (fewer than planned when they stopped early)
    return n_iter


def _stop(counts_after, minority, n_min_orig, check_minority):
    """imblearn's stopping rules 2 and 3 (a non-minority class fell below the original minority
    count, or a class disappeared), checked after a round whose result is kept."""
    present = counts_after > 0
    if not present.all():
        return True
    if check_minority:
        others = np.delete(counts_after, minority)
        return bool((others < n_min_orig).any())
    return False


@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_n_iter: Literal[False] = ...,
    return_provenance: Literal[False] = ...,
) -> tuple[Any, Any]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_n_iter: Literal[False] = ...,
    return_provenance: Literal[False] = ...,
) -> tuple[Any, Any, Indices]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_n_iter: Literal[True],
    return_provenance: Literal[False] = ...,
) -> tuple[Any, Any, int]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_n_iter: Literal[True],
    return_provenance: Literal[False] = ...,
) -> tuple[Any, Any, Indices, int]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_n_iter: Literal[False] = ...,
    return_provenance: Literal[True],
) -> tuple[Any, Any, Provenance]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_n_iter: Literal[False] = ...,
    return_provenance: Literal[True],
) -> tuple[Any, Any, Indices, Provenance]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_n_iter: Literal[True],
    return_provenance: Literal[True],
) -> tuple[Any, Any, int, Provenance]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_n_iter: Literal[True], return_provenance: Literal[True],
) -> tuple[Any, Any, Indices, int, Provenance]: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_n_iter: bool = ..., return_provenance: bool = ...,
) -> ResampledRounds: ...
@overload
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., max_iter: int = ...,
    kind_sel: Literal["all", "mode"] = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_n_iter: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def repeated_edited_nearest_neighbours(
    X: MatrixLike, y: ArrayLike, *, k: int = 3, max_iter: int = 100,
    kind_sel: Literal["all", "mode"] = "all", ratio: CleanRatio = "auto", n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_n_iter: bool = False, return_provenance: bool = False,
) -> ResampledRounds:
    """Repeated edited nearest neighbours (RENN): ENN again on its own output until it settles.

    Each round is :func:`edited_nearest_neighbours` on the rows left by the previous round,
    with ``ratio`` resolved again on those rows (as imbalanced-learn does). The rounds stop
    after ``max_iter`` rounds, or after a round that removed nothing, made a class other than
    the (original) minority smaller than the original minority, or removed a class entirely;
    that round's result is kept.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=3
        Number of neighbours that vote (imblearn: ``n_neighbors``).
    max_iter : int, default=100
        Maximum number of rounds.
    kind_sel : {'all', 'mode'}, default='all'
        ENN's rule, see :func:`edited_nearest_neighbours`.
    ratio : str or list, default='auto'
        Classes to clean, as in :func:`edited_nearest_neighbours`.
    n_jobs : int or None, default=None
        Threads (None: all cores).
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.
    return_n_iter : bool, default=False
        Also return the number of rounds run (imblearn: ``n_iter_``), as the last result.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows and labels, class by class, ascending row order in a class.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]`` (always: imbalanced-learn's ``sample_indices_`` is wrong
        when the first round removes nothing and y is not grouped by class).
    n_iter : int, only if ``return_n_iter``
        Number of rounds run.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    imbalanced-learn refits its neighbour search on the surviving rows every round. Here one
    search is made, and after each round only the rows that lost a neighbour are searched
    again, against the surviving rows: the neighbour lists are exactly those of a fresh
    search, so each round equals imbalanced-learn's. The minority class is the one with the
    fewest rows, the smallest label on ties (imbalanced-learn takes the first to appear in y).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import repeated_edited_nearest_neighbours
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> X_res, y_res, n_iter = repeated_edited_nearest_neighbours(X, y, return_n_iter=True)
    >>> bool((y_res == 0).sum() < 60), n_iter >= 1
    (True, True)
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    max_iter = check_int(max_iter, "max_iter")
    mode = _check_kind_sel(kind_sel)
    n_threads = check_n_jobs(n_jobs)
    target_counts(ratio, ds.y, ds.classes, "clean")  # reject a bad ratio before any work
    _check_k_rows(k, len(ds.y))
    minority = int(np.argmin(ds.counts))
    n_min = int(ds.counts[minority])

    rounds = _EditingRounds(ds.X, ds.y, k, n_threads, ds.classes)
    n_iter = _edit_in_rounds(rounds, ratio, itertools.repeat(k, max_iter), mode, minority,
                             n_min, check_minority=True, until_unchanged=True, total=None)

    indices = _class_grouped(ds.y, np.flatnonzero(rounds.alive))
    out = ds.select(indices, return_indices=return_indices)
    out = out + (n_iter,) if return_n_iter else out
    return out + (kept_records(indices),) if return_provenance else out


@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kind_sel: Literal["all", "mode"] = ...,
    allow_minority: bool = ..., ratio: CleanRatio = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def all_knn(
    X: MatrixLike, y: ArrayLike, *, k: int = 3, kind_sel: Literal["all", "mode"] = "all",
    allow_minority: bool = False, ratio: CleanRatio = "auto", n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """AllKNN: ENN with 1, 2, ..., k neighbours, each round on the previous round's output.

    The rounds stop early after a round that made a class other than the (original) minority
    smaller than the original minority (unless ``allow_minority``), or that removed a class
    entirely; that round's result is kept. ``ratio`` is resolved again on each round's rows.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=3
        The largest neighbourhood (imblearn: ``n_neighbors``).
    kind_sel : {'all', 'mode'}, default='all'
        ENN's rule, see :func:`edited_nearest_neighbours`.
    allow_minority : bool, default=False
        Do not stop when a class becomes smaller than the original minority.
    ratio : str or list, default='auto'
        Classes to clean, as in :func:`edited_nearest_neighbours`.
    n_jobs : int or None, default=None
        Threads (None: all cores).
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows and labels, class by class, ascending row order in a class.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    One search for the ``k`` nearest other rows; round ``j`` reads the first ``j`` of each
    list. After removals only the rows whose lists became shorter than the round needs are
    searched again, against the surviving rows, so each round equals imbalanced-learn's ENN
    refitted on the surviving rows.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import all_knn
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> X_res, y_res = all_knn(X, y, k=3)
    >>> bool((y_res == 0).sum() < 60), int((y_res == 1).sum())
    (True, 20)
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    mode = _check_kind_sel(kind_sel)
    if not isinstance(allow_minority, (bool, np.bool_)):
        raise TypeError(f"allow_minority must be True or False, got {allow_minority!r}")
    n_threads = check_n_jobs(n_jobs)
    target_counts(ratio, ds.y, ds.classes, "clean")
    _check_k_rows(k, len(ds.y))
    minority = int(np.argmin(ds.counts))
    n_min = int(ds.counts[minority])

    rounds = _EditingRounds(ds.X, ds.y, k, n_threads, ds.classes)
    _edit_in_rounds(rounds, ratio, range(1, k + 1), mode, minority, n_min,
                    check_minority=not allow_minority, until_unchanged=False, total=k)

    indices = _class_grouped(ds.y, np.flatnonzero(rounds.alive))
    return select_recorded(ds, indices, return_indices, return_provenance)


def _check_threshold_cleaning(threshold_cleaning):
    if isinstance(threshold_cleaning, (bool, np.bool_)) or not isinstance(
        threshold_cleaning, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"threshold_cleaning must be a finite number > 0, got {threshold_cleaning!r}"
        )
    if not 0.0 < float(threshold_cleaning) < np.inf:  # also rejects NaN
        raise ValueError(
            f"threshold_cleaning must be a finite number > 0, got {threshold_cleaning!r}"
        )


def _ncr_clean_classes(counts, codes, n_min, threshold_cleaning):
    """NCR step A2's (K,) uint8 mask: the targeted classes with more than
    ``threshold_cleaning`` times the minority's rows."""
    clean_class = np.zeros(len(counts), dtype=np.uint8)
    for c in codes:
        if counts[c] > n_min * float(threshold_cleaning):
            clean_class[c] = 1
    return clean_class


# --- NCR --------------------------------------------------------------------------------------


@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., threshold_cleaning: float = ...,
    ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def neighbourhood_cleaning_rule(
    X: MatrixLike, y: ArrayLike, *, k: int = 3, threshold_cleaning: float = 0.5,
    ratio: CleanRatio = "auto", n_jobs: int | None = None,
    neighbors: Neighbors = "exact",
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Neighbourhood cleaning rule (NCR): ENN, then clean around misclassified minority rows.

    Two sets of rows are removed:

    - A1: the rows :func:`edited_nearest_neighbours` with ``kind_sel='mode'`` removes;
    - A2: for each minority row that a k-nearest-neighbour vote (itself and its ``k - 1``
      nearest other rows; ties to the smallest label) assigns to another class, its ``k``
      nearest other rows that belong to a targeted class with more than
      ``threshold_cleaning`` times as many rows as the minority.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features (ndarray or pandas DataFrame). float32 stays float32.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=3
        Neighbourhood size (imblearn: ``n_neighbors``).
    threshold_cleaning : float, default=0.5
        A targeted class is cleaned in A2 only if it has more than
        ``threshold_cleaning * n_minority`` rows. Any finite number > 0, as in imbalanced-learn
        (>= 1 spares the minority class when it is targeted; larger values spare the classes
        that are not much larger than the minority).
    ratio : str or list, default='auto'
        Classes to clean, as in :func:`edited_nearest_neighbours`.
    n_jobs : int or None, default=None
        Threads (None: all cores).
    neighbors : {'exact', 'approximate'}, default='exact'
        'exact': the exact search. 'approximate': each row's candidates come from an
        HNSW graph (faiss-cpu, the ``ann`` extra) and are re-ranked by their exact
        distances, so only a missed neighbour can differ from the exact answer (recall
        target 0.97; see the performance page's "Approximate neighbours"). It pays
        from about a million rows; dense X only; deterministic.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, its row number in ``X``.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows and labels in ascending row order (as imbalanced-learn).
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only if ``return_indices``
        ``X_res`` is ``X[indices]``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    imbalanced-learn's ``NeighbourhoodCleaningRule`` also accepts an
    ``edited_nearest_neighbours`` object to replace step A1 and a neighbours object as
    ``n_neighbors``; this function does not (A1 is always ENN with ``kind_sel='mode'`` and the
    same ``k``; the metric is Euclidean). Both steps share one search of the ``k`` nearest
    other rows. The minority class is the one with the fewest rows, the smallest label on
    ties.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import neighbourhood_cleaning_rule
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> X_res, y_res, idx = neighbourhood_cleaning_rule(X, y, return_indices=True)
    >>> bool((y_res == 0).sum() < 60), bool((np.diff(idx) > 0).all())
    (True, True)
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    _check_threshold_cleaning(threshold_cleaning)
    n_threads = check_n_jobs(n_jobs)
    neighbors = check_neighbors(neighbors, "neighbourhood_cleaning_rule")
    codes, mask = _targeted_classes(ratio, ds.y, ds.classes)
    _check_k_rows(k, len(ds.y))
    minority = int(np.argmin(ds.counts))
    n_min = int(ds.counts[minority])

    # One search, for the targeted rows (A1) and the minority rows (A2).
    need = mask.copy()
    need[minority] = True
    rows = _rows_of(ds.y, need)
    nbr = _neighbour_ids(ds.X, rows, k, n_threads, neighbors)

    removed = np.zeros(len(ds.y), dtype=np.uint8)
    in_target = mask[ds.y[rows]]
    t_rows = rows[in_target]
    t_nbr = np.ascontiguousarray(nbr[in_target])
    keep = _cleaning.enn_keep(t_nbr, t_rows, ds.y, k, True, False,
                              threads_for(n_threads, t_nbr.size)).view(bool)
    removed[t_rows[~keep]] = 1  # A1

    clean_class = _ncr_clean_classes(ds.counts, codes, n_min, threshold_cleaning)
    is_min = ds.y[rows] == minority
    _cleaning.ncr_a2_mark(
        np.ascontiguousarray(nbr[is_min]), rows[is_min], ds.y, k, clean_class, removed
    )  # A2
    indices = np.flatnonzero(removed == 0)
    return select_recorded(ds, indices, return_indices, return_provenance)


# --- Tomek links, CNN, OSS ---


def _tomek_keep(X, y, n_classes, targeted, n_jobs, neighbors="exact"):
    """Positions of the rows of ``X`` that Tomek links keep, ascending.

    A row is removed when its class is in ``targeted`` and it and its nearest neighbour
    (itself excluded by index, so a duplicated row is its twin's neighbour) are each other's
    nearest neighbour with different labels.
    """
    n = X.shape[0]
    if n < 2:
        return np.arange(n, dtype=np.intp)
    _, nn = kneighbors(X, 1, n_jobs=n_jobs, neighbors=neighbors)
    is_targeted = np.zeros(n_classes, dtype=np.uint8)
    is_targeted[list(targeted)] = 1
    remove = np.zeros(n, dtype=np.uint8)
    _cleaning.tomek_link_mask(
        np.ascontiguousarray(nn[:, 0], dtype=np.intp),
        np.ascontiguousarray(y, dtype=np.intp),
        is_targeted,
        remove,
    )
    return np.flatnonzero(remove == 0)


@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = ..., n_jobs: int | None = ...,
    neighbors: Neighbors = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def tomek_links(
    X: MatrixLike, y: ArrayLike, *, ratio: CleanRatio = "auto", n_jobs: int | None = None,
    neighbors: Neighbors = "exact",
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Remove the targeted members of Tomek links.

    Two rows of different classes form a Tomek link when each is the other's nearest
    neighbour (Euclidean distance). Every link member whose class is targeted by ``ratio`` is
    removed; with the default ``'auto'`` (all classes but the minority) only the non-minority
    member of a link goes, with ``'all'`` both members go. The rows kept are those of
    imbalanced-learn's ``TomekLinks``, in ascending row order.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels (any hashable, sortable values).
    ratio : str or list, default="auto"
        Classes to clean: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    n_jobs : int, default=None
        Threads for the neighbour search; None means all cores.
    neighbors : {'exact', 'approximate'}, default='exact'
        'exact': the exact search. 'approximate': each row's candidates come from an
        HNSW graph (faiss-cpu, the ``ann`` extra) and are re-ranked by their exact
        distances, so only a missed neighbour can differ from the exact answer (recall
        target 0.97; see the performance page's "Approximate neighbours"). It pays
        from about a million rows; dense X only; deterministic.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows, in the caller's containers.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only with ``return_indices=True``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Differences from imbalanced-learn: a row is excluded from its own neighbours by index, so
    two identical rows with different labels form a link (imbalanced-learn drops the first
    neighbour column, which is not always the row itself, and misses such links). Ties in
    distance go to the lower row index.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import tomek_links
    >>> X = np.array([[0.0], [1.0], [2.0], [2.4], [5.0], [6.0], [7.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1])
    >>> X_res, y_res, idx = tomek_links(X, y, return_indices=True)
    >>> idx  # rows 2 and 3 form a link; 'auto' removes its non-minority member, row 3
    array([0, 1, 2, 4, 5, 6])
    >>> tomek_links(X, y, ratio="all", return_indices=True)[2]
    array([0, 1, 4, 5, 6])
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y)
    n_jobs = check_n_jobs(n_jobs)
    neighbors = check_neighbors(neighbors, "tomek_links")
    targeted = target_counts(ratio, ds.y, ds.classes, "clean")
    keep = _tomek_keep(ds.X, ds.y, ds.n_classes, targeted, n_jobs, neighbors)
    return select_recorded(ds, keep, return_indices, return_provenance)


def _check_store_size(k, n_minority, n_seeds):
    size = n_minority + n_seeds
    if k > size:
        raise ValueError(
            f"k must be at most {size}, the rows the classifier starts from (the "
            f"{n_minority} rows of the minority class plus n_seeds_S={n_seeds} seeds), "
            f"got k={k}"
        )


def _knn_vote_wrong(labels, target, minority):
    """Rows whose k-NN majority vote (over class codes ``labels``, shape (n, k)) is not
    ``target``. The store holds two classes at most (``minority`` and ``target``); a tied vote
    goes to the smaller code, as scikit-learn's KNeighborsClassifier does."""
    k = labels.shape[1]
    votes = 2 * np.count_nonzero(labels == target, axis=1)
    return (votes < k) | ((votes == k) & (minority < target))


def _seeds(rs, n_c, n_seeds):
    # imbalanced-learn's exact call, once per targeted class in label order: positions drawn
    # with replacement, so a seed can repeat (and then appears twice in the output).
    return rs.randint(low=0, high=n_c, size=n_seeds)


def _check_condensing(X, y, k, n_seeds_S, ratio, random_state, n_jobs):
    """The arguments of CNN and OSS, checked, and the class the store starts from."""
    ds = check_X_y(X, y)
    k = check_int(k, "k")
    n_seeds = check_int(n_seeds_S, "n_seeds_S")
    n_threads = check_n_jobs(n_jobs)
    targeted = target_counts(ratio, ds.y, ds.classes, "clean")
    rs = check_random_state(random_state)
    minority = int(np.argmin(ds.counts))
    _check_store_size(k, int(ds.counts[minority]), n_seeds)
    return ds, k, n_seeds, n_threads, targeted, rs, minority


@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def condensed_nearest_neighbour(
    X: MatrixLike, y: ArrayLike, *, k: int = 1, n_seeds_S: int = 1, ratio: CleanRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Condensed nearest neighbour rule (imbalanced-learn's one-pass variant).

    For each targeted class c, a store starts with all the minority rows and ``n_seeds_S``
    randomly drawn rows of c. The rows of c are then scanned once, in their order in ``X``;
    a row that is not a seed is classified by a majority vote of its ``k`` nearest store rows
    and joins the store when the vote is wrong. Class c is replaced by the seeds followed by
    the rows that joined, in scan order. Classes that are not targeted are kept whole.

    Each row's ``k`` nearest store rows are kept and updated when a row joins the store (the
    distance of every later row to the new one), instead of refitting and re-predicting a
    classifier: a pass costs O(n_c * d * additions).

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=1
        Neighbours in the vote (imbalanced-learn: ``n_neighbors``); at most the number of
        minority rows plus ``n_seeds_S``. A tied vote goes to the smaller label.
    n_seeds_S : int, default=1
        Rows of each targeted class that seed the store, drawn with replacement.
    ratio : str or list, default="auto"
        Classes to condense: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seeds of the draw. An integer draws the same seeds as imbalanced-learn.
    n_jobs : int, default=None
        Threads; None means all cores.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows, class by class in label order, in the caller's containers.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only with ``return_indices=True``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Differences from imbalanced-learn: imbalanced-learn compares the position of a row within
    its class with a list of row numbers in ``X``, so it skips the wrong rows of the scan
    unless the targeted class's rows come first in ``X``; resamplekit skips exactly the
    seeds. When the targeted class comes first in ``X`` both give the same rows. The minority
    class is the smallest count, ties going to the smallest label (imbalanced-learn: the
    label seen first in ``y``). Ties in distance go to the lower row index.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import condensed_nearest_neighbour
    >>> X = np.array([[0.0], [0.2], [0.4], [3.0], [3.2], [3.4], [3.6], [1.0], [1.2]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1])
    >>> X_res, y_res, idx = condensed_nearest_neighbour(X, y, random_state=0,
    ...                                                 return_indices=True)
    >>> idx  # seed 4, then row 0 (its nearest store row, 7, is a minority row)
    array([4, 0, 7, 8])
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds, k, n_seeds, n_threads, targeted, rs, minority = _check_condensing(
        X, y, k, n_seeds_S, ratio, random_state, n_jobs
    )
    minority_rows = np.flatnonzero(ds.y == minority)

    # 1-NN decisions do not depend on the scale of X: the store's kernels compare squared
    # distances, so they get X at unit scale, where those neither overflow nor underflow.
    X_unit = unit_scaled(ds.X)[0]
    parts = []
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c not in targeted:
            parts.append(rows_c)
            continue
        pos = _seeds(rs, len(rows_c), n_seeds)
        seeds = rows_c[pos]
        # Store rows in row order, so that ties in distance go to the lower row index.
        store = np.sort(np.concatenate([minority_rows, seeds]), kind="stable")
        progress = _start_phase("CNN pass", len(rows_c))  # start and end: one kernel call
        X_c = X_unit[rows_c]
        X_store = X_unit[store]
        _, nbr = kneighbors(X_store, k, Y=X_c, n_jobs=n_threads)
        heap_d2 = np.empty((len(rows_c), k), dtype=np.float64)
        heap_id = np.empty((len(rows_c), k), dtype=np.intp)
        nbr = np.ascontiguousarray(nbr, dtype=np.intp)
        skip = np.zeros(len(rows_c), dtype=np.uint8)
        skip[pos] = 1
        added = np.empty(len(rows_c), dtype=np.intp)
        if sparse.issparse(X_c):  # the same scan on CSR rows (same distances, same store)
            index = X_c.indices.dtype  # one index type for both (scipy may pick apart)
            _cleaning.store_init_csr(X_c.data, X_c.indices, X_c.indptr.astype(index, copy=False),
                                     X_store.data, X_store.indices.astype(index, copy=False),
                                     X_store.indptr.astype(index, copy=False), nbr, store,
                                     heap_d2, heap_id)
            n_added = _cleaning.cnn_scan_csr(
                X_c.data, X_c.indices, X_c.indptr.astype(index, copy=False), rows_c, skip,
                ds.y, c, minority, heap_d2,
                heap_id, added, n_threads
            )
        else:
            _cleaning.store_init(X_c, X_store, nbr, store, heap_d2, heap_id)
            n_added = _cleaning.cnn_scan(
                X_c, rows_c, skip, ds.y, c, minority, heap_d2, heap_id, added, n_threads
            )
        parts.append(np.concatenate([seeds, rows_c[added[:n_added]]]))
        if progress is not None:
            progress.finish()

    return select_recorded(ds, np.concatenate(parts), return_indices, return_provenance)


@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., n_seeds_S: int = ..., ratio: CleanRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def one_sided_selection(
    X: MatrixLike, y: ArrayLike, *, k: int = 1, n_seeds_S: int = 1, ratio: CleanRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """One-sided selection: keep the rows a seeded k-NN gets wrong, then remove Tomek links.

    For each targeted class c, ``n_seeds_S`` rows of c are drawn; every other row of c is
    classified by a majority vote of its ``k`` nearest rows among the minority rows and the
    seeds, and kept only when the vote is wrong. Class c becomes the seeds followed by the
    kept rows in row order; other classes are kept whole. Tomek links whose targeted members
    are then removed from that reduced set (:func:`tomek_links`, same targeted classes).

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric, finite features.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=1
        Neighbours in the vote (imbalanced-learn: ``n_neighbors``); at most the number of
        minority rows plus ``n_seeds_S``. A tied vote goes to the smaller label.
    n_seeds_S : int, default=1
        Rows of each targeted class drawn (with replacement) as seeds.
    ratio : str or list, default="auto"
        Classes to select from: ``'auto'`` (= ``'not minority'``), ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``, or a list of labels.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seeds of the draw. An integer draws the same seeds as imbalanced-learn.
    n_jobs : int, default=None
        Threads; None means all cores.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it came from.
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res : the kept rows, class by class in label order, in the caller's containers.
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of int, only with ``return_indices=True``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    The same rows as imbalanced-learn's ``OneSidedSelection`` for an integer
    ``random_state``, except that the minority class is the smallest count with ties going to
    the smallest label, and that duplicated rows are handled as in :func:`tomek_links`.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.cleaning import one_sided_selection
    >>> X = np.array([[0.0], [0.2], [0.4], [3.0], [3.2], [3.4], [3.6], [1.0], [1.2]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1])
    >>> one_sided_selection(X, y, random_state=0, return_indices=True)[2]
    array([4, 0, 1, 2, 7, 8])
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds, k, n_seeds, n_threads, targeted, rs, minority = _check_condensing(
        X, y, k, n_seeds_S, ratio, random_state, n_jobs
    )
    minority_rows = np.flatnonzero(ds.y == minority)

    parts = []
    for c in range(ds.n_classes):
        rows_c = np.flatnonzero(ds.y == c)
        if c not in targeted:
            parts.append(rows_c)
            continue
        pos = _seeds(rs, len(rows_c), n_seeds)
        seeds = rows_c[pos]
        rest = np.delete(rows_c, pos)
        parts.append(seeds)
        if len(rest):
            progress = _start_phase("CNN pass", len(rest))
            store = np.sort(np.concatenate([minority_rows, seeds]), kind="stable")
            _, nbr = kneighbors(ds.X[store], k, Y=ds.X[rest], n_jobs=n_threads)
            wrong = _knn_vote_wrong(ds.y[store][nbr], c, minority)
            parts.append(rest[wrong])
            if progress is not None:
                progress.finish()
    selected = np.concatenate(parts)

    keep = _tomek_keep(ds.X[selected], ds.y[selected], ds.n_classes, targeted, n_threads)
    return select_recorded(ds, selected[keep], return_indices, return_provenance)
