"""Over-sampling: new minority rows, appended after all original rows.

``random_over`` repeats (optionally jittered) rows; the SMOTE family synthesises rows between
neighbours.

Each function validates ``X, y`` once (``_validation.check_X_y``), resolves ``ratio`` into the
number of rows to generate per class (``_strategy.target_counts(..., "over")``), gets every
neighbour from ``_neighbors`` (``kneighbors``; SMOTE-NC's and SMOTE-N's metrics through
``kneighbors_mixed`` and ``kneighbors_vdm``), draws its random numbers in Python as whole arrays
(imbalanced-learn's ``RandomState`` call order, so an integer ``random_state`` gives
imbalanced-learn's rows), and hands the drawn indices and gaps to the one synthesis kernel
``_kernels._smote.interpolate`` (``interpolate_csr`` for sparse X: the same values, built
straight into CSR rows; both through ``_interpolate_rows``; the categorical votes of SMOTE-NC
and SMOTE-N to ``_kernels._smote_categorical``). SMOTE-NC and SMOTE-N read their tables of
mixed columns through ``_encoding``.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, Literal, overload

import numpy as np
from scipy import sparse

from ._encoding import (
    as_table,
    categorical_indices,
    continuous_block,
    ordinal_codes,
    sorts_its_values,
    sparse_ordinal_codes,
)
from ._kernels._smote import interpolate, interpolate_csr, interpolate_csr_counts
from ._kernels._smote_categorical import count_max_ties, mode_vote, mode_vote_csr, pick_max_tie
from ._neighbors import (
    kneighbors,
    kneighbors_mixed,
    kneighbors_vdm,
    kneighbors_vdm_csr,
    sum_pairwise_distances,
    vdm_class_probabilities,
    vdm_class_probabilities_csr,
)
from ._progress import start as _start_phase
from ._public import public
from ._strategy import target_counts
from ._provenance import (
    after_inputs as inputs_then,
    check_flag as check_provenance_flag,
    concat as concat_records,
    kept as kept_records,
    made as made_records,
)
from ._typing import (
    ArrayLike,
    Estimator,
    MatrixLike,
    OverRatio,
    RandomStateLike,
    Resampled,
    ResampledAny,
    ResampledIndexed,
    ResampledIndexedProvenance,
    ResampledProvenance,
    ResampledWeighted,
)
from ._validation import (
    canonical_csr,
    check_int,
    check_n_jobs,
    check_random_state,
    check_X_y,
    for_sklearn,
    require_sklearn,
    unit_scaled,
)

__all__ = [
    "random_over",
    "smote",
    "borderline_smote",
    "svm_smote",
    "adasyn",
    "kmeans_smote",
    "smotenc",
    "smoten",
]


# Rows of smoothed-bootstrap noise drawn at a time (bounds the float64 temporaries).
_BLOCK_ROWS = 1 << 15
# Sparse X: noisy values per block of new rows, and draws of the randn stream at a time.
_BLOCK_VALUES = 1 << 22
_BLOCK_DRAWS = 1 << 20


def _shrinkage_factors(shrinkage, targets, classes):
    """{code: factor} for every targeted class, checked as imbalanced-learn checks it."""

    def check_factor(value, label):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"shrinkage factors must be real numbers >= 0, got {value!r} for class {label!r}"
            )
        if not value >= 0:
            raise ValueError(
                f"shrinkage factors must be >= 0, got {value!r} for class {label!r}; use 0 for a "
                "plain bootstrap of that class"
            )
        return value

    if isinstance(shrinkage, Mapping):
        lookup = {}
        for key, value in shrinkage.items():
            check_factor(value, key)
            try:
                lookup[key.item() if hasattr(key, "item") else key] = value
            except TypeError:  # unhashable: cannot be a label of y
                pass
        out, missing = {}, []
        for code in targets:
            label = classes[code]
            key = label.item() if hasattr(label, "item") else label
            if key in lookup:
                out[code] = lookup[key]
            else:
                missing.append(key)
        if missing:
            raise ValueError(
                "shrinkage must give a factor for every class to over-sample (the classes "
                "ratio= selects); missing: "
                f"{missing!r}. Add them to the dict, or give one float for all classes"
            )
        return out
    if isinstance(shrinkage, numbers.Real) and not isinstance(shrinkage, (bool, np.bool_)):
        value = check_factor(shrinkage, "all")
        return {code: value for code in targets}
    raise TypeError(
        f"shrinkage must be None, a float >= 0 or a dict {{label: float >= 0}}, got {shrinkage!r}"
    )


@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = ...,
    shrinkage: float | Mapping[Any, float] | None = ..., random_state: RandomStateLike = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def random_over(
    X: MatrixLike, y: ArrayLike, *, ratio: OverRatio = "auto",
    shrinkage: float | Mapping[Any, float] | None = None, random_state: RandomStateLike = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Randomly repeat rows of the targeted classes (bootstrap), optionally smoothed.

    The same draws as imbalanced-learn 0.14's ``RandomOverSampler``: with an integer
    ``random_state`` the same rows come back, in the same order.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Without ``shrinkage`` any values (NaN, strings, datetimes, objects) pass through
        unchanged. With ``shrinkage`` X must be numeric and finite.
    y : array-like of shape (n_samples,)
        Class labels.
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy`` for over-samplers. 'auto' (= 'not majority'),
        'minority', 'not minority', 'not majority', 'all': the targeted classes grow to the
        majority count. A float ``a`` in (0, 1] (two classes only): the minority grows to
        ``int(a * n_majority)``. A dict ``{label: n}``: class ``label`` ends with ``n`` rows. A
        callable ``f(y) -> dict``.
    shrinkage : None, float or dict, default=None
        None: plain bootstrap (rows repeated exactly). A float >= 0, or a dict
        ``{label: float}`` with a factor for every resampled class: smoothed bootstrap, each new
        row is a drawn row plus Gaussian noise ``shrinkage * h * std_c`` per feature, with
        ``h = (4 / ((d + 2) * n)) ** (1 / (d + 4))`` (n the total row count) and ``std_c`` the
        class's per-feature standard deviation.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed; an int gives imbalanced-learn's result for that seed.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (for a smoothed row, the
        row drawn before the noise was added, as imbalanced-learn's ``sample_indices_``).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : same container as X
        All input rows in order, then the new rows class by class in sorted label order. A
        DataFrame gets a fresh RangeIndex.
    y_res : same container as y
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of intp, optional
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Notes
    -----
    Per targeted class, in label order, from one ``RandomState``: ``choice(n_c, size=n_new,
    replace=True)``, then (with shrinkage) ``randn(n_new, d)``. Without shrinkage the index
    vector is built first and X is gathered once.

    Differences from imbalanced-learn: ``len(X) != len(y)`` raises; with shrinkage float32 X
    gives float32 output (imbalanced-learn returns float64), integer DataFrame columns give
    float64 (imbalanced-learn truncates them back to integers). Sparse X stays sparse (in its
    format): with shrinkage, noise goes only to the columns where the class varies (elsewhere
    it is scaled by 0, as on dense X), and the standard deviations come from the stored values
    (equal to the dense ones to rounding).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit import over_sampling as os_
    >>> X = np.arange(20, dtype=float).reshape(10, 2)
    >>> y = np.array([0] * 7 + [1] * 3)
    >>> X_res, y_res, idx = os_.random_over(X, y, random_state=0, return_indices=True)
    >>> np.bincount(y_res).tolist()
    [7, 7]
    >>> idx[:10].tolist() == list(range(10)), bool((X_res == X[idx]).all())
    (True, True)
    >>> X_s, y_s = os_.random_over(X, y, shrinkage=0.5, random_state=0)
    >>> X_s.shape
    (14, 2)
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds = check_X_y(X, y, numeric=shrinkage is not None)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    factors = None if shrinkage is None else _shrinkage_factors(shrinkage, targets, ds.classes)
    rs = check_random_state(random_state)
    per_class = ds.class_indices()
    n = ds.n_samples

    if factors is None:
        new_rows = np.empty(sum(targets.values()), dtype=np.intp)
        pos = 0
        for code, n_new in targets.items():
            rows = per_class[code]
            new_rows[pos:pos + n_new] = rows[rs.choice(len(rows), size=n_new, replace=True)]
            pos += n_new
        out = ds.extend(new_rows, return_indices=return_indices)
        return out + (inputs_then(n, kept_records(new_rows)),) if return_provenance else out

    X_alg = ds.X
    d = X_alg.shape[1]
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    if sparse.issparse(X_alg):
        return _smoothed_sparse(ds, targets, factors, h, rs, return_indices, return_provenance)
    m = sum(targets.values())
    # The new rows written straight into the output (dense X), else made apart.
    buffer = ds.output_buffer(m)
    X_new = np.empty((m, d), dtype=X_alg.dtype) if buffer is None else buffer[n:]
    sources = np.empty(m, dtype=np.intp)
    y_new = np.empty(m, dtype=np.intp)
    pos = 0
    for code, n_new in targets.items():
        rows = per_class[code]
        boot = rows[rs.choice(len(rows), size=n_new, replace=True)]
        if n_new:
            # The same expression and dtypes as imbalanced-learn (std of the class in X's
            # dtype, noise in float64), so the rows match it to rounding. The noise is drawn
            # in blocks of rows: consecutive randn calls continue one stream, so the values
            # equal one randn(n_new, d) call, without an n_new x d float64 temporary.
            scale = factors[code] * h * np.std(X_alg[rows], axis=0)
            for start in range(0, n_new, _BLOCK_ROWS):
                stop = min(n_new, start + _BLOCK_ROWS)
                noise = rs.randn(stop - start, d)
                noise *= scale
                noise += X_alg[boot[start:stop]]
                X_new[pos + start:pos + stop] = noise
        sources[pos:pos + n_new] = boot
        y_new[pos:pos + n_new] = code
        pos += n_new
    out = ds.append(X_new, y_new, return_indices=return_indices, sources=sources,
                    filled=buffer)
    if return_provenance:
        out += (inputs_then(n, made_records(sources, step="smoothed")),)
    return out


def _smoothed_sparse(ds, targets, factors, h, rs, return_indices, return_provenance):
    """random_over's smoothed bootstrap on a CSR X, never densified.

    The same draws as on dense X (``choice``, then the ``randn(n_new, d)`` stream, read in
    bounded blocks of values), but only the columns where the class varies (standard
    deviation > 0, a subset of the columns it stores) get noise: elsewhere the noise is
    scaled by 0 and the new value is the bootstrapped row's, as on dense X. The standard
    deviations are computed from the stored values (:func:`_column_std`), equal to the dense
    ones to rounding. Memory: the output (every new row stores every column with noise, as
    imbalanced-learn's dense noise does), plus blocks of about 4M float64 noise values.
    """
    X = ds.X
    n, d = X.shape
    per_class = ds.class_indices()
    parts, sources, y_new = [], [], []
    for code, n_new in targets.items():
        rows = per_class[code]
        boot = rows[rs.choice(len(rows), size=n_new, replace=True)]
        sources.append(boot)
        y_new.append(np.full(n_new, code, dtype=np.intp))
        if not n_new:
            continue
        scale = factors[code] * h * _column_std(X[rows])
        support = np.flatnonzero(scale)
        keep = np.ones(d, dtype=bool)
        keep[support] = False
        # Blocks of new rows with at most ~4M noisy values each: the randn(n_new, d) stream is
        # read in order, block after block, 1M values at a time.
        step = max(1, _BLOCK_VALUES // max(1, support.size))
        for b0 in range(0, n_new, step):
            b1 = min(n_new, b0 + step)
            noise = np.empty((b1 - b0, support.size), dtype=np.float64)
            total = (b1 - b0) * d
            for start in range(0, total, _BLOCK_DRAWS):
                stop = min(total, start + _BLOCK_DRAWS)
                values = rs.randn(stop - start)
                for r in range(start // d, (stop - 1) // d + 1):
                    lo, hi = max(start, r * d) - r * d, min(stop, (r + 1) * d) - r * d
                    a, b = np.searchsorted(support, [lo, hi])
                    noise[r, a:b] = values[r * d + support[a:b] - start]
            base = X[boot[b0:b1]]
            noise *= scale[support]
            noise += base[:, support].toarray()
            rest = base.multiply(keep[None, :]).tocoo()
            r_nz, c_nz = np.nonzero(noise)
            parts.append(sparse.coo_matrix(
                (np.concatenate([rest.data, noise[r_nz, c_nz].astype(X.dtype)]),
                 (np.concatenate([rest.row, r_nz]), np.concatenate([rest.col, support[c_nz]]))),
                shape=(b1 - b0, d), dtype=X.dtype,
            ).tocsr())
    sources = np.concatenate(sources) if sources else np.empty(0, dtype=np.intp)
    y_new = np.concatenate(y_new) if y_new else np.empty(0, dtype=np.intp)
    X_new = sparse.vstack(parts, format="csr") if parts else _no_rows(X)
    out = ds.append(X_new, y_new, return_indices=return_indices, sources=sources)
    if return_provenance:
        out += (inputs_then(n, made_records(sources, step="smoothed")),)
    return out


# --- SMOTE family ---
#
# imbalanced-learn's random-number contract, copied exactly:
# - SMOTE, Borderline-SMOTE (and SVM-SMOTE's generation step) call
#   ``check_random_state(random_state)`` once per class (per generation call), so an integer
#   seed restarts the same stream for every class, while a RandomState instance is one stream
#   shared by all classes and None is NumPy's global stream.
# - Each generation call draws ``randint(0, n_base * k, n_new)`` then ``uniform(size=n_new)``;
#   base row = draw // k, neighbour column = draw % k.
# - Borderline-2 then calls ``check_random_state`` once more and draws ``uniform(0, 0.5)`` for
#   each new row whose neighbour is of another class.
# - ADASYN and SVM-SMOTE's ``beta(10, 10)`` draw use one state for the whole call.


_SMOTE_HINTS = {
    # imbalanced-learn's early SMOTE(kind=..., m_neighbors=..., svm_estimator=...) became
    # three samplers.
    "kind": (
        "smote has no kind: imbalanced-learn's old SMOTE(kind='regular') is smote itself (drop "
        "kind), kind='borderline1'/'borderline2' is borderline_smote(X, y, "
        "kind='borderline-1'/'borderline-2') and kind='svm' is svm_smote(X, y)."
    ),
    **dict.fromkeys(("m", "m_neighbors"), (
        "the danger-set neighbour count belongs to borderline_smote and svm_smote, as m= "
        "(imbalanced-learn's old SMOTE(kind=..., m_neighbors=...))."
    )),
    **dict.fromkeys(("svm_estimator", "out_step"), (
        "it belongs to svm_smote(X, y, ...) (imbalanced-learn's old SMOTE(kind='svm', ...))."
    )),
}


def _check_class_size(ds, code, k, method):
    """A class that interpolates between its own rows needs more than k of them."""
    n_c = int(ds.counts[code])
    if n_c > k:
        return
    label = ds.label(code)
    # Keywords appear as "k=..." and "ratio=...": the estimator classes rename those tokens.
    fix = f"use k={n_c - 1} or less, or " if n_c > 1 else ""
    raise ValueError(
        f"{method}: class {label!r} has {n_c} rows, but k={k} needs at least {k + 1} (each "
        f"row of the class and its {k} nearest neighbours in the class); {fix}leave class "
        f"{label!r} out (for example ratio={{label: count}} for the other classes only)."
    )


def _check_enough_rows(ds, value, name, method):
    """Neighbours searched over all of X need more than ``value`` rows in X."""
    n = ds.n_samples
    if n <= value:
        raise ValueError(
            f"{method}: {name}={value} needs at least {value + 1} rows in X (each row and its "
            f"{value} nearest neighbours), got {n}; use {name}={n - 1} or less."
        )


def _draw_segments(random_state, n_base, k, n_new, step_size=1.0):
    """imbalanced-learn's ``_make_samples`` draws: base rows, neighbour columns, steps."""
    rs = check_random_state(random_state)
    draws = rs.randint(low=0, high=n_base * k, size=n_new)
    steps = step_size * rs.uniform(size=n_new)
    return np.floor_divide(draws, k), np.mod(draws, k), steps


def _interpolate_rows(X, rows, nbrs, gaps, scales, n_jobs, out=None, head=None):
    """New rows ``X[rows] + gaps * (scales * (X[nbrs] - X[rows]))`` (scales None = 1).

    ``X`` is an ndarray (the rows come back as one of X's dtype, written into ``out`` when
    given: C-contiguous, len(rows) x d) or a canonical CSR matrix (the rows come back as a CSR
    matrix built straight from the parents' non-zeros: the union of their columns, entries
    that come out 0 not stored; never through dense rows), with the same values in both cases
    (``_kernels._smote``). For CSR X, ``head`` (a canonical CSR matrix of X's dtype and width)
    asks for the rows of ``head`` followed by the new rows, as one matrix whose arrays are
    allocated once (the new rows are not made apart and copied).
    """
    rows = np.ascontiguousarray(rows, dtype=np.intp)
    nbrs = np.ascontiguousarray(nbrs, dtype=np.intp)
    gaps = np.ascontiguousarray(gaps, dtype=np.float64)
    n_new = rows.shape[0]
    if sparse.issparse(X):
        if scales is None:
            scales = np.ones(n_new)
        scales = np.ascontiguousarray(scales, dtype=np.float64)
        counts = np.empty(n_new, dtype=np.int64)
        # A thread per ~250,000 parent entries merged (about 1 ms of work; the result does
        # not depend on the number of threads).
        work = int(X.nnz / max(1, X.shape[0]) * 2 * n_new)
        n_threads = min(check_n_jobs(n_jobs), max(1, work // 250_000))
        interpolate_csr_counts(X.data, X.indices, X.indptr, rows, nbrs, gaps, scales, counts,
                               n_threads)
        data, indices, indptr, n_head = _csr_arrays(head, counts, X.shape[1], X.dtype)
        interpolate_csr(X.data, X.indices, X.indptr, rows, nbrs, gaps, scales,
                        indptr[n_head:], data, indices, n_threads)
        return sparse.csr_matrix((data, indices, indptr), shape=(n_head + n_new, X.shape[1]),
                                 copy=False)
    if out is None:
        out = np.empty((n_new, X.shape[1]), dtype=X.dtype)
    # The kernel is memory-bound: a thread per ~2 million values written; more threads only
    # add start-up and barrier cost (the result does not depend on it).
    n_threads = min(check_n_jobs(n_jobs), max(1, out.size // 2_000_000))
    if scales is not None:
        scales = np.ascontiguousarray(scales, dtype=np.float64)
    interpolate(X, rows, X, nbrs, gaps, out, n_threads, scales)
    return out


def _csr_arrays(head, counts, n_columns, dtype):
    """The arrays of a CSR matrix holding the rows of ``head`` (a canonical CSR matrix, or
    None), then new rows of ``counts[i]`` entries each, allocated once: ``(data, indices,
    indptr, n_head)`` with the head's entries copied in and ``indptr`` complete; the caller
    writes new row i's entries at ``indptr[n_head + i]:indptr[n_head + i + 1]``. Index arrays
    are int32 where the entries and columns fit (as scipy would pick), else int64."""
    n_new = counts.shape[0]
    n_head = 0 if head is None else head.shape[0]
    nnz_head = 0 if head is None else int(head.indptr[n_head])
    nnz = nnz_head + int(counts.sum())
    wide = max(nnz, n_columns) > np.iinfo(np.int32).max
    index_dtype = np.int64 if wide else np.int32
    indptr = np.empty(n_head + n_new + 1, dtype=index_dtype)
    data = np.empty(nnz, dtype=dtype)
    indices = np.empty(nnz, dtype=index_dtype)
    if head is None:
        indptr[0] = 0
    else:
        indptr[:n_head + 1] = head.indptr
        data[:nnz_head] = head.data[:nnz_head]
        indices[:nnz_head] = head.indices[:nnz_head]
    np.cumsum(counts, out=indptr[n_head + 1:])
    indptr[n_head + 1:] += nnz_head
    return data, indices, indptr, n_head


def _no_rows(X):
    """No new rows, in the form ``_interpolate_rows`` gives them for ``X``."""
    if sparse.issparse(X):
        return sparse.csr_matrix((0, X.shape[1]), dtype=X.dtype)
    return np.empty((0, X.shape[1]), dtype=X.dtype)


def _synthesised(ds, blocks, n_jobs, return_indices, return_provenance):
    """Run the kernel once over all classes' blocks; the originals then the new rows, as the
    method's output (with indices and provenance when asked for).

    ``blocks`` is a list of ``(code, rows, nbrs, gaps, scales)`` with global row indices of
    ``ds.X``; ``scales`` is None where the difference is not scaled. For dense X the new rows
    are written straight into the output array (no second copy of them).
    """
    made = _segments(blocks)
    if made is None:
        return _nothing_new(ds, return_indices, return_provenance)
    rows, nbrs, gaps, scales, y_new = made
    if sparse.issparse(ds.X):
        # the original rows then the new ones, as one CSR matrix built once
        buffer = _interpolate_rows(ds.X, rows, nbrs, gaps, scales, n_jobs, head=ds.X)
        X_new = None
    else:
        buffer = ds.output_buffer(len(rows))
        tail = None if buffer is None else buffer[ds.n_samples:]
        X_new = _interpolate_rows(ds.X, rows, nbrs, gaps, scales, n_jobs, out=tail)
    return _appended(ds, X_new, y_new, (rows, nbrs, gaps, scales), return_indices,
                     return_provenance, filled=buffer)


def _segments(blocks):
    """All classes' ``(code, rows, nbrs, gaps, scales)`` blocks as one set of segments:
    ``(rows, nbrs, gaps, scales, codes)`` (scales None when no block scales), or None when no
    block has rows. The new rows are ``_interpolate_rows`` of them, in this order."""
    blocks = [b for b in blocks if len(b[1])]
    if not blocks:
        return None
    rows = np.concatenate([b[1] for b in blocks]).astype(np.intp, copy=False)
    nbrs = np.concatenate([b[2] for b in blocks]).astype(np.intp, copy=False)
    gaps = np.ascontiguousarray(np.concatenate([b[3] for b in blocks]), dtype=np.float64)
    scales = None
    if any(b[4] is not None for b in blocks):
        scales = np.concatenate(
            [np.ones(len(b[1])) if b[4] is None else b[4] for b in blocks]
        ).astype(np.float64, copy=False)
    codes = np.concatenate([np.full(len(b[1]), b[0], dtype=np.intp) for b in blocks])
    return rows, nbrs, gaps, scales, codes


def _appended(ds, X_new, y_new, made, return_indices, return_provenance, filled=None):
    """``ds.append`` of the new rows, with their records last when asked for.

    ``made`` is what the rows were made from: ``(rows, nbrs, gaps, scales)`` in global row
    indices, as given to the kernel; ``filled``: see ``Dataset.append``.
    """
    out = ds.append(X_new, y_new, return_indices=return_indices, filled=filled)
    if return_provenance:
        out += (inputs_then(ds.n_samples, made_records(*made)),)
    return out


def _nothing_new(ds, return_indices, return_provenance):
    return _appended(ds, _no_rows(ds.X), np.empty(0, dtype=np.intp), (np.empty(0, dtype=np.intp),),
                     return_indices, return_provenance)


def _resolve(X, y, ratio, k, n_jobs):
    ds = check_X_y(X, y)
    k = check_int(k, "k", minimum=1)
    check_n_jobs(n_jobs)
    counts = target_counts(ratio, ds.y, ds.classes, "over")
    return ds, k, {int(c): int(n) for c, n in counts.items() if n > 0}


@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public(_SMOTE_HINTS)
def smote(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with SMOTE: new rows on segments between a row and one of its k neighbours.

    For each class to over-sample, base rows are drawn uniformly with replacement among the
    class's rows, each with one of its ``k`` nearest neighbours in the class, and the new row is
    ``base + u * (neighbour - base)`` with ``u ~ U[0, 1)``.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels (any sortable labels).
    k : int, default=5
        Number of nearest neighbours (imbalanced-learn: ``k_neighbors``). Every over-sampled
        class needs more than ``k`` rows.
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``): "auto" (= "not majority"), "minority", "not minority",
        "not majority", "all", a float (binary only: minority / majority after resampling),
        a dict ``{label: final count}``, or a callable ``f(y) -> dict``.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``SMOTE(random_state=int)``
        (imbalanced-learn restarts the stream of an int seed for every class).
    n_jobs : int or None, default=None
        Threads for the neighbour search and synthesis (None: all cores). The result does not
        depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows in their order, then the new rows class by class (ascending label).
    y_res : ndarray or Series of shape (n_samples + n_new,)
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ValueError
        If a class to over-sample has ``k`` rows or fewer (the message says which class and
        what to change), or for an invalid ``k``, ``ratio`` or ``random_state``.

    Notes
    -----
    Differences from imbalanced-learn: a row's own index is excluded from its neighbours (not
    the first column of the search), so duplicated rows never count as their own neighbour;
    integer features give float64 output (imbalanced-learn truncates the new rows to
    integers).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import smote
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = smote(X, y, k=5, random_state=0)
    >>> X_res.shape, np.bincount(y_res).tolist()
    ((180, 2), [90, 90])
    >>> bool((X_res[:100] == X).all())
    True
    """
    return_provenance = check_provenance_flag(return_provenance)
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    for code in counts:
        _check_class_size(ds, code, k, "smote")
    blocks = []
    for code, n_new in counts.items():
        members = np.flatnonzero(ds.y == code)
        nns = kneighbors(ds.X[members], k, n_jobs=n_jobs)[1]
        rows, cols, steps = _draw_segments(random_state, members.shape[0], k, n_new)
        blocks.append((code, members[rows], members[nns[rows, cols]], steps, None))
    return _synthesised(ds, blocks, n_jobs, return_indices, return_provenance)


def _count_other(ds, rows, m, n_jobs):
    """How many of the m nearest rows of X (self excluded) of each ``X[rows]`` are of another
    class; also returns those neighbours."""
    nbrs = kneighbors(ds.X, m, rows=rows, n_jobs=n_jobs)[1]
    return np.count_nonzero(ds.y[nbrs] != ds.y[rows][:, None], axis=1), nbrs


def _in_danger(n_other, m):
    # imbalanced-learn: m / 2 <= n_other < m (the comparison is against the float m / 2)
    return (n_other >= m / 2) & (n_other < m)


def _borderline_segments(ds, counts, members, class_X, nbrs, nbr_codes, search_all, *, k, m,
                         kind, random_state, n_jobs):
    """Borderline-SMOTE's danger rows, neighbours and draws: ``_synthesised``'s blocks.

    ``members[code]``: the class's rows (ascending global row numbers), for each code of
    ``counts``; ``class_X(code)``: those rows of X; ``nbrs`` (n_queries, >= m), ``nbr_codes``:
    the nearest other rows of X (global) of the queries (the members, class after class in
    the order of ``counts``) and their class codes; ``search_all(bases, width)``: the
    ``width`` nearest other rows of X of the rows ``bases`` and their codes, called only when
    borderline-2's ``k`` exceeds the lists' width. ``ds`` gives ``counts`` and ``label``.
    Shared by :func:`borderline_smote` and ``resamplekit.dask.borderline_smote``.
    """
    method = "borderline_smote"
    blocks = []
    start = 0
    for code in counts:
        stop = start + members[code].shape[0]
        n_other = np.count_nonzero(nbr_codes[start:stop, :m] != code, axis=1)
        local = np.flatnonzero(_in_danger(n_other, m))
        if local.shape[0] == 0:
            start = stop
            continue
        bases = members[code][local]
        if kind == "borderline-1":
            _check_class_size(ds, code, k, method + " (kind='borderline-1')")
            nns = kneighbors(class_X(code), k, rows=local, n_jobs=n_jobs)[1]
            nns = members[code][nns]
        elif k <= nbrs.shape[1]:
            # The k nearest of X are the first k of the m nearest: same order, same ties.
            nns, nn_codes = nbrs[start + local, :k], nbr_codes[start + local, :k]
        else:
            nns, nn_codes = search_all(bases, k)
        rows, cols, steps = _draw_segments(random_state, bases.shape[0], k, counts[code])
        nbr = nns[rows, cols]
        scales = None
        if kind == "borderline-2":
            other = nn_codes[rows, cols] != code
            scales = np.ones(rows.shape[0])
            scales[other] = check_random_state(random_state).uniform(
                low=0.0, high=0.5, size=int(other.sum())
            )
        blocks.append((code, bases[rows], nbr, steps, scales))
        start = stop
    return blocks


def _adasyn_row_counts(ds, code, n_other, k, n_new):
    """ADASYN's number of new rows of each row of class ``code``, from ``n_other``: how many
    of each row's k nearest other rows of X are of another class. Shared by
    :func:`_adasyn_segments` and ``resamplekit.dask.adasyn`` (whose rows are searched
    block-wise)."""
    method = "adasyn"
    # imbalanced-learn's arithmetic, operation for operation, so the counts are its counts
    ratio_nn = n_other / k
    if not np.sum(ratio_nn):
        raise ValueError(
            f"{method}: no row of class {ds.label(code)!r} has a neighbour of another "
            f"class among its k={k} nearest, so ADASYN's weights are undefined (0 / 0); "
            f"use smote for this data, or k={k + 1} or more."
        )
    ratio_nn /= np.sum(ratio_nn)
    per_row = np.rint(ratio_nn * n_new).astype(int)
    if not int(np.sum(per_row)):
        raise ValueError(
            f"{method}: the rounded per-row counts of class {ds.label(code)!r} are all 0 "
            f"for {n_new} new rows; ask for more rows of this class with ratio=..."
        )
    return per_row


def _adasyn_segments(ds, counts, members, class_X, nbr_codes, *, k, random_state, n_jobs):
    """ADASYN's per-row counts, neighbours and draws: ``_synthesised``'s blocks.

    ``members``, ``class_X``, ``ds``: as :func:`_borderline_segments`; ``nbr_codes``
    (n_queries, k): the class codes of the k nearest other rows of X of the queries (the
    members, class after class in the order of ``counts``). Shared by :func:`adasyn` and
    ``resamplekit.dask.adasyn``.
    """
    rs = check_random_state(random_state)  # one state for the whole call
    blocks = []
    start = 0
    for code in counts:
        stop = start + members[code].shape[0]
        per_row = _adasyn_row_counts(
            ds, code, np.count_nonzero(nbr_codes[start:stop] != code, axis=1), k, counts[code])
        n_gen = int(np.sum(per_row))
        start = stop
        nns = kneighbors(class_X(code), k, n_jobs=n_jobs)[1]
        rows = np.repeat(np.arange(members[code].shape[0]), per_row)
        cols = rs.choice(k, size=n_gen)
        steps = rs.uniform(size=n_gen)
        blocks.append((code, members[code][rows], members[code][nns[rows, cols]], steps, None))
    return blocks


@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    kind: Literal["borderline-1", "borderline-2"] = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def borderline_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, m: int = 10,
    kind: Literal["borderline-1", "borderline-2"] = "borderline-1", ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with Borderline-SMOTE: SMOTE from the rows on the class border only.

    A row of a class to over-sample is *in danger* when at least half, but not all, of its
    ``m`` nearest neighbours in X are of another class (all of them: noise). New rows are made
    from the danger rows only. ``kind="borderline-1"`` interpolates towards one of the ``k``
    nearest neighbours in the row's class; ``kind="borderline-2"`` towards one of the ``k``
    nearest neighbours in all of X, and only up to half-way (a random fraction ``U[0, 0.5)`` of
    the way) when that neighbour is of another class.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours to interpolate towards (imbalanced-learn: ``k_neighbors``).
    m : int, default=10
        Neighbours in all of X that decide whether a row is in danger (imbalanced-learn:
        ``m_neighbors``).
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``BorderlineSMOTE(random_state=int)``.
    n_jobs : int or None, default=None
        Threads (None: all cores); the result does not depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices]
        All input rows, then the new rows class by class (ascending label).
        With ``sample_weight``, ``sample_weight_res`` (float64 ndarray, the weight of each
        output row) follows ``y_res``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ValueError
        For an invalid ``k``, ``m``, ``kind``, ``ratio`` or ``random_state``, if X has ``m``
        rows or fewer, or (borderline-1) if a class with danger rows has ``k`` rows or fewer.

    Notes
    -----
    Like imbalanced-learn, a class without danger rows is left as it is (no new rows, no
    warning), so the output can be less balanced than ``ratio`` asks. Differences from
    imbalanced-learn: self is excluded from the neighbours by index; integer features give
    float64 output (imbalanced-learn truncates with borderline-1 and fails with borderline-2).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import borderline_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(0.5, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = borderline_smote(X, y, k=3, m=5, random_state=0)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "borderline_smote"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    m = check_int(m, "m", minimum=1)
    if kind not in ("borderline-1", "borderline-2"):
        raise ValueError(f"kind must be 'borderline-1' or 'borderline-2', got {kind!r}")
    if not counts:
        return _nothing_new(ds, return_indices, return_provenance)
    _check_enough_rows(ds, m, "m", method)
    if kind == "borderline-2":
        _check_enough_rows(ds, k, "k", method)

    # One m-neighbour search over all of X for the rows of every class to over-sample.
    codes = list(counts)
    members = {c: np.flatnonzero(ds.y == c) for c in codes}
    queries = np.concatenate([members[c] for c in codes])
    m_nbrs = kneighbors(ds.X, m, rows=queries, n_jobs=n_jobs)[1]

    def search_all(bases, width):
        nns = kneighbors(ds.X, width, rows=bases, n_jobs=n_jobs)[1]
        return nns, ds.y[nns]

    blocks = _borderline_segments(
        ds, counts, members, lambda code: ds.X[members[code]], m_nbrs, ds.y[m_nbrs],
        search_all, k=k, m=m, kind=kind, random_state=random_state, n_jobs=n_jobs)
    return _synthesised(ds, blocks, n_jobs, return_indices, return_provenance)


def _check_out_step(out_step):
    if (
        isinstance(out_step, (bool, np.bool_))
        or not isinstance(out_step, numbers.Real)
        or not 0 <= out_step <= 1
    ):
        raise ValueError(f"out_step must be a real number in [0, 1], got {out_step!r}")
    return float(out_step)


@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., m: int = ...,
    svm_estimator: Estimator | None = ..., out_step: float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def svm_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, m: int = 10, svm_estimator: Estimator | None = None,
    out_step: float = 0.5, ratio: OverRatio = "auto", random_state: RandomStateLike = None,
    n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with SVM-SMOTE: SMOTE from the support vectors of an SVM.

    One SVM is fitted on all of ``(X, y)``. For each class to over-sample, its support vectors
    that are not noise (not all ``m`` nearest neighbours in X of another class) are the base
    rows: those in danger (at least half of the ``m`` neighbours of another class) interpolate
    towards one of their ``k`` nearest neighbours in the class, the safe ones extrapolate away
    from it (``base - out_step * u * (neighbour - base)``, ``u ~ U[0, 1)``). The share of
    danger-based rows is ``beta(10, 10)``.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours in the class to interpolate towards (imbalanced-learn: ``k_neighbors``).
    m : int, default=10
        Neighbours in all of X that classify a support vector as noise, danger or safe
        (imbalanced-learn: ``m_neighbors``).
    svm_estimator : estimator or None, default=None
        An unfitted estimator with ``fit`` that exposes ``support_`` once fitted (cloned before
        fitting). None: ``sklearn.svm.SVC(gamma="scale", random_state=random_state)``.
        scikit-learn (a dependency) is imported in both cases.
    out_step : float in [0, 1], default=0.5
        Largest step of an extrapolation away from the neighbour, as a fraction of the segment.
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        Seeds the SVM and the draws.
    n_jobs : int or None, default=None
        Threads for the neighbour searches and synthesis (None: all cores); the result does not
        depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices]
        All input rows, then the new rows class by class (ascending label), for each class
        first those made from danger support vectors, then those from safe ones.
        With ``sample_weight``, ``sample_weight_res`` (float64 ndarray, the weight of each
        output row) follows ``y_res``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ImportError
        If scikit-learn cannot be imported (a broken installation).
    TypeError
        If the fitted ``svm_estimator`` has no ``support_``.
    ValueError
        For invalid parameters, a class to over-sample with ``k`` rows or fewer, X with ``m``
        rows or fewer, or a class whose support vectors are all noise.

    Notes
    -----
    Differences from imbalanced-learn: the SVM is fitted once per call, not once per class
    (the fit on all of ``(X, y)`` does not depend on the class); every class gets exactly the
    number of rows ``ratio`` asks for, also when it has no danger or no safe support vectors
    (imbalanced-learn then generates only the other group's share); self is excluded from the
    neighbours by index; integer features give float64 output. For a binary target and an
    integer ``random_state``, when a class has both danger and safe support vectors, the rows
    equal imbalanced-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import svm_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(1.0, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = svm_smote(X, y, k=3, m=5, random_state=0)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "svm_smote"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    m = check_int(m, "m", minimum=1)
    out_step = _check_out_step(out_step)
    require_sklearn("svm_smote", "its support vector machine")
    from sklearn.base import clone

    if svm_estimator is None:
        from sklearn.svm import SVC

        svm_rs = random_state
        if isinstance(random_state, np.random.Generator):
            svm_rs = check_random_state(random_state)
        svm = SVC(gamma="scale", random_state=svm_rs)
    else:
        svm = clone(svm_estimator)
    if not counts:
        return _nothing_new(ds, return_indices, return_provenance)
    for code in counts:
        _check_class_size(ds, code, k, method)
    _check_enough_rows(ds, m, "m", method)
    rs = check_random_state(random_state)  # imbalanced-learn's per-call state (beta draws)

    # One SVM fit, on the caller's labels (imbalanced-learn fits on them too).
    # The default SVC (gamma='scale') is scale-invariant: fit it on X at unit scale, where its
    # kernel neither overflows nor underflows (a user's estimator gets X as it is).
    progress = _start_phase("estimator fit", 1)
    svm.fit(for_sklearn(unit_scaled(ds.X)[0] if svm_estimator is None else ds.X),
            ds.labels(ds.y))
    if progress is not None:
        progress.finish()
    support = getattr(svm, "support_", None)
    if support is None:
        raise TypeError(
            "svm_estimator must expose a fitted `support_` attribute (the indices of its "
            f"support vectors, as sklearn.svm.SVC does); got {svm_estimator!r}"
        )
    support = np.asarray(support, dtype=np.intp)
    codes = list(counts)
    sv = {c: support[ds.y[support] == c] for c in codes}

    # One m-neighbour search over X for the support vectors of every class to over-sample.
    queries = np.concatenate([sv[c] for c in codes])
    n_other = _count_other(ds, queries, m, n_jobs)[0]

    blocks = []
    start = 0
    for code in codes:
        n_new = counts[code]
        stop = start + sv[code].shape[0]
        cls_other = n_other[start:stop]
        start = stop
        keep = cls_other != m  # noise: all m neighbours of another class
        if not keep.any():
            raise ValueError(
                f"{method}: all {sv[code].shape[0]} support vectors of class "
                f"{ds.label(code)!r} are noise (all their m={m} nearest neighbours are of "
                "another class); SVM-SMOTE does not suit this data: try another SMOTE variant."
            )
        bases = sv[code][keep]
        danger = _in_danger(cls_other[keep], m)
        members = np.flatnonzero(ds.y == code)
        position = np.empty(ds.X.shape[0], dtype=np.intp)
        position[members] = np.arange(members.shape[0])
        nns = members[kneighbors(ds.X[members], k, rows=position[bases], n_jobs=n_jobs)[1]]

        n_danger_new = int(rs.beta(10, 10) * (n_new + 1))
        n_danger, n_safe = int(danger.sum()), int((~danger).sum())
        # imbalanced-learn drops the other group's share when a group is empty; we give it
        # all the rows, so the class gets exactly n_new.
        if n_danger == 0:
            n_danger_new = 0
        elif n_safe == 0:
            n_danger_new = n_new
        groups = ((danger, n_danger_new, 1.0), (~danger, n_new - n_danger_new, -out_step))
        for group, n_group, step in groups:
            if not group.any():
                continue
            g_bases, g_nns = bases[group], nns[group]
            rows, cols, steps = _draw_segments(random_state, g_bases.shape[0], k, n_group, step)
            blocks.append((code, g_bases[rows], g_nns[rows, cols], steps, None))
    return _synthesised(ds, blocks, n_jobs, return_indices, return_provenance)


@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def adasyn(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with ADASYN: SMOTE with more new rows around the rows that are hard to learn.

    For each class to over-sample, a row's weight is the share of its ``k`` nearest neighbours
    in X that are of another class; the row gets ``rint(weight / sum(weights) * n_new)`` new
    rows, each on the segment towards one of its ``k`` nearest neighbours in its class, chosen
    at random, at a ``U[0, 1)`` position.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours (imbalanced-learn: ``n_neighbors``), used both for the weights (in all of X)
        and for the interpolation (in the class).
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``ADASYN(random_state=int)``.
    n_jobs : int or None, default=None
        Threads (None: all cores); the result does not depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices]
        All input rows, then the new rows class by class (ascending label), grouped by base row
        in the class's row order.
        With ``sample_weight``, ``sample_weight_res`` (float64 ndarray, the weight of each
        output row) follows ``y_res``.
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ValueError
        For invalid parameters, a class to over-sample with ``k`` rows or fewer, a class none
        of whose rows has a neighbour of another class (use :func:`smote`), or a class whose
        rounded counts are all 0.

    Notes
    -----
    Like imbalanced-learn, the per-row counts are rounded (``np.rint``), so a class can get a
    few rows more or fewer than ``ratio`` asks; keeping that rounding keeps the rows equal to
    imbalanced-learn's. Differences: imbalanced-learn raises RuntimeError when no neighbour is
    of another class (ValueError here); self is excluded from the neighbours by index; integer
    features give float64 output.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import adasyn
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(1.0, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = adasyn(X, y, k=3, random_state=0)
    >>> X_res.shape[0] - X.shape[0] in range(78, 83)
    True
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "adasyn"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    if not counts:
        return _nothing_new(ds, return_indices, return_provenance)
    for code in counts:
        _check_class_size(ds, code, k, method)

    # One k-neighbour search over all of X for the rows of every class to over-sample.
    codes = list(counts)
    members = {c: np.flatnonzero(ds.y == c) for c in codes}
    queries = np.concatenate([members[c] for c in codes])
    nbr_codes = ds.y[kneighbors(ds.X, k, rows=queries, n_jobs=n_jobs)[1]]
    blocks = _adasyn_segments(ds, counts, members, lambda code: ds.X[members[code]],
                              nbr_codes, k=k, random_state=random_state, n_jobs=n_jobs)
    return _synthesised(ds, blocks, n_jobs, return_indices, return_provenance)


# --- KMeans-SMOTE, SMOTE-NC, SMOTE-N ---
#
# Random numbers, as imbalanced-learn draws them:
# - kmeans_smote: the clusterer gets ``random_state`` (an int seeds it afresh, as in imblearn);
#   every cluster's SMOTE step calls ``check_random_state(random_state)`` (imblearn's
#   ``_make_samples`` per cluster), so an int seed restarts the stream for every cluster.
# - smotenc: per class, ``randint`` then ``uniform`` (SMOTE's draws), then a second fresh
#   ``check_random_state(random_state)`` whose ``permutation`` breaks vote ties, feature by
#   feature in the order of ``categorical_features``.
# - smoten: per class, ``choice(n_class_rows, n_new)``; nothing random afterwards.
# A numpy.random.Generator is turned once per call into one RandomState shared by all steps
# (imbalanced-learn's behaviour for a RandomState instance).


def _shared_random_state(random_state):
    """Validate ``random_state``; a Generator becomes one RandomState for the whole call."""
    if isinstance(random_state, np.random.Generator):
        return check_random_state(random_state)
    check_random_state(random_state)  # raises for invalid values, draws nothing
    return random_state


# ---------------------------------------------------------------- KMeans-SMOTE

def _log_sparsity(X, density_exponent, n_threads=1):
    """imbalanced-learn's cluster sparsity ``mean_distance ** exponent / n``, in log parts.

    Returns ``(a, exponent, e)`` with ``log(sparsity) = a + exponent * e * log(2)``, where
    ``mean_distance = m * 2**e`` (``frexp``). Kept apart so that :func:`_cluster_log_weights`
    can drop what all clusters share: scaling X by a power of two then changes only ``e``, and
    with a fixed ``density_exponent`` the weights do not change at all (not even by rounding).
    In log space so that equal points (sparsity 0, where imbalanced-learn divides 0 by 0) and
    huge distances (overflow) still give usable weights.
    """
    n = X.shape[0]
    if sparse.issparse(X):
        mean_distance = _sum_pairwise_distances_sparse(X) / (n * n - n)
    else:
        mean_distance = sum_pairwise_distances(X, n_jobs=n_threads) / (n * n - n)
    if density_exponent == "auto":
        exponent = math.log(n, 1.6) ** 1.8 * 0.16
    else:
        exponent = float(density_exponent)
    if mean_distance <= 0.0:
        return (-math.inf if exponent > 0 else (math.inf if exponent < 0 else -math.log(n)),
                exponent, 0)
    m, e = math.frexp(mean_distance)
    return exponent * math.log(m) - math.log(n), exponent, e


def _sum_pairwise_distances_sparse(X, tile_values=1 << 22):
    """Sum of the Euclidean distances over all ordered pairs of rows of a CSR matrix.

    From row norms and sparse products, a block of rows at a time (a dense block x n float64
    tile of at most ``tile_values`` values, 32 MB, or one row; never X densified, never
    n x n). Equal to ``sum_pairwise_distances`` on the dense form to rounding (not bit for
    bit: that one centres dense rows first).
    """
    n = X.shape[0]
    if n < 2:
        return 0.0
    block = max(1, min(256, tile_values // n))
    X = X.astype(np.float64, copy=False)
    sq = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    total = 0.0
    for start in range(0, n, block):
        stop = min(n, start + block)
        tile = np.asarray((X[start:stop] @ X.T).todense())
        tile *= -2.0
        tile += sq[start:stop, None]
        tile += sq[None, :]
        np.maximum(tile, 0.0, out=tile)
        np.sqrt(tile, out=tile)
        tile[np.arange(stop - start), np.arange(start, stop)] = 0.0
        total += float(tile.sum())
    return total


def _cluster_log_weights(parts):
    """Log weights of clusters from :func:`_log_sparsity` parts, up to one shared constant.

    ``a + p * e * log 2`` less ``p_min * e_ref * log 2`` (the same for every cluster, so the
    normalised weights do not change): ``a + (p * (e - e_ref) + (p - p_min) * e_ref) * log 2``.
    Under X times 2**j every ``e`` and ``e_ref`` move by ``j``; with one exponent ``p`` for all
    clusters the result is then bit-for-bit the same. With ``density_exponent="auto"`` the
    exponent grows with the cluster's size, so the split depends on the scale of X (as in
    imbalanced-learn, by its definition).
    """
    finite = [(p, e) for a, p, e in parts if math.isfinite(a)]
    if not finite:
        return [a for a, _, _ in parts]
    e_ref = max(e for _, e in finite)
    p_min = min(p for p, _ in finite)
    ln2 = math.log(2.0)
    return [a + (p * (e - e_ref) + (p - p_min) * e_ref) * ln2 if math.isfinite(a) else a
            for a, p, e in parts]


def _split_exactly(n_new, log_weights):
    """Split n_new rows over clusters in proportion to exp(log_weights), summing to n_new.

    Largest remainder: each cluster gets floor(n_new * w), and the rows left over go one each
    to the largest fractional parts (ties to the lower cluster). imbalanced-learn takes
    ceil(n_new * w) per cluster and so over-generates.
    """
    lw = np.asarray(log_weights, dtype=np.float64)
    if np.all(np.isneginf(lw)):
        w = np.full(lw.shape, 1.0 / lw.size)  # all clusters degenerate: equal shares
    elif np.any(np.isposinf(lw)):
        w = np.isposinf(lw).astype(np.float64)
        w /= w.sum()
    else:
        w = np.exp(lw - lw.max())
        w /= w.sum()
    raw = n_new * w
    share = np.floor(raw).astype(np.intp)
    left = n_new - int(share.sum())
    if left > 0:
        order = np.argsort(-(raw - share), kind="stable")
        share[order[:left]] += 1
    elif left < 0:  # rounding pushed the floors above n_new (never in practice)
        order = np.argsort(raw - share, kind="stable")
        for i in order[: -left]:
            share[i] -= 1
    return share


def _kmeans_estimator(kmeans_estimator, random_state):
    require_sklearn("kmeans_smote", "its clustering")
    from sklearn.base import clone
    from sklearn.cluster import MiniBatchKMeans

    if kmeans_estimator is None:
        return MiniBatchKMeans(random_state=random_state)
    if isinstance(kmeans_estimator, numbers.Integral) and not isinstance(kmeans_estimator, bool):
        n_clusters = check_int(kmeans_estimator, "kmeans_estimator", minimum=1)
        return MiniBatchKMeans(n_clusters=n_clusters, random_state=random_state)
    if hasattr(kmeans_estimator, "fit") and (
        hasattr(kmeans_estimator, "fit_predict") or hasattr(kmeans_estimator, "predict")
    ):
        return clone(kmeans_estimator)
    raise TypeError(
        "kmeans_estimator must be None, an integer >= 1 (the number of clusters of a "
        "MiniBatchKMeans) or a clusterer with fit and predict (such as sklearn's KMeans), "
        f"got {kmeans_estimator!r}"
    )


def _check_auto_or_real(value, name):
    if isinstance(value, str):
        if value != "auto":
            raise ValueError(f"{name} must be 'auto' or a real number, got {value!r}")
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be 'auto' or a real number, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be 'auto' or a finite real number, got {value!r}")
    return float(value)


@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., kmeans_estimator: int | Estimator | None = ...,
    cluster_balance_threshold: Literal["auto"] | float = ...,
    density_exponent: Literal["auto"] | float = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def kmeans_smote(
    X: MatrixLike, y: ArrayLike, *, k: int = 2, kmeans_estimator: int | Estimator | None = None,
    cluster_balance_threshold: Literal["auto"] | float = "auto",
    density_exponent: Literal["auto"] | float = "auto", ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample with KMeans-SMOTE: cluster X, then run SMOTE inside the sparse minority clusters.

    X is clustered once (by default ``sklearn.cluster.MiniBatchKMeans``). For each class to
    over-sample, a cluster qualifies when its share of that class is at least
    ``cluster_balance_threshold`` and it holds more than ``k`` rows of the class. Each
    qualifying cluster gets a weight proportional to its sparsity (the mean pairwise distance of
    its class rows to the power ``density_exponent``, divided by their number); the rows to
    generate are split over the clusters in proportion to the weights, and SMOTE runs inside each
    cluster: ``base + u * (neighbour - base)`` with a neighbour among the base row's ``k``
    nearest rows of the same class in the same cluster, ``u ~ U[0, 1)``.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
        scipy.sparse input (CSR, CSC, sparse arrays; COO and others are read as CSR) is
        never densified, and the result comes back in its format.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=2
        Number of nearest neighbours inside a cluster (imbalanced-learn: ``k_neighbors``).
    kmeans_estimator : None, int or clusterer, default=None
        None: ``MiniBatchKMeans(random_state=random_state)`` (8 clusters); an int: a
        ``MiniBatchKMeans`` with that many clusters; otherwise a clusterer with ``fit`` and
        ``predict`` (and ``n_clusters``), cloned before use. It is fitted once per call.
    cluster_balance_threshold : "auto" or float, default="auto"
        Minimum share of the class in a cluster for the cluster to be used. "auto": the
        class's share of all rows to generate, divided by 2 (0.5 for binary problems). Ignored
        (every cluster qualifies) when there is one cluster.
    density_exponent : "auto" or float, default="auto"
        Exponent of the mean distance in the sparsity. "auto": ``log(n, 1.6) ** 1.8 * 0.16``
        with n the number of class rows in the cluster (imbalanced-learn's rule). As this
        exponent differs between clusters of different sizes, scaling X changes how the new
        rows are split over the clusters (in imbalanced-learn too); with a fixed exponent the
        split does not depend on the scale of X.
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        Seeds the default clusterer and the SMOTE draws (an int restarts the stream for every
        cluster, as imbalanced-learn does).
    n_jobs : int or None, default=None
        Threads for the neighbour search and synthesis (None: all cores). The result does not
        depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class (ascending label), cluster by cluster.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ValueError
        If a class to over-sample has ``k`` rows or fewer, if no cluster qualifies for a class
        (imbalanced-learn raises RuntimeError there), or for invalid parameters.
    ImportError
        If scikit-learn cannot be imported (a broken installation).

    Notes
    -----
    Differences from imbalanced-learn:

    - one clustering per call (imbalanced-learn refits the clusterer for every class; with an
      int ``random_state`` or a deterministic clusterer that gives the same clusters);
    - exactly the requested number of rows: the rows of a class are split over its clusters by
      largest remainder (imbalanced-learn takes ``ceil`` per cluster and over-generates,
      imbalanced-learn#1186), so the class counts equal imbalanced-learn's target counts and
      the per-cluster counts differ from imbalanced-learn's by at most one;
    - the mean pairwise distance is streamed over row chunks (no n x n matrix), and clusters
      whose rows are all equal get weight 0 (imbalanced-learn divides 0 by 0 and fails);
    - a row's own index is excluded from its neighbours.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import kmeans_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(6, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = kmeans_smote(X, y, kmeans_estimator=2, random_state=0)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "kmeans_smote"
    ds = check_X_y(X, y)
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    threshold = _check_auto_or_real(cluster_balance_threshold, "cluster_balance_threshold")
    exponent = _check_auto_or_real(density_exponent, "density_exponent")
    random_state = _shared_random_state(random_state)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    estimator = _kmeans_estimator(kmeans_estimator, random_state)
    total = sum(targets.values())
    active = {int(c): int(n) for c, n in targets.items() if n > 0}
    for code in active:
        _check_class_size(ds, code, k, method)
    Xf = ds.X
    if not active:
        return _nothing_new(ds, return_indices, return_provenance)

    # One clustering of all X: it does not depend on the class being over-sampled. The default
    # (MiniBatch)KMeans and the sparsities are scale-invariant: computed on X at unit scale,
    # where squared distances neither overflow nor underflow (a user's clusterer gets X as is).
    X_unit = unit_scaled(Xf)[0]
    X_fit = for_sklearn(X_unit if kmeans_estimator is None or isinstance(
        kmeans_estimator, numbers.Integral) else Xf)
    if hasattr(estimator, "fit_predict"):
        clusters = np.asarray(estimator.fit_predict(X_fit)).astype(np.intp, copy=False)
    else:
        clusters = np.asarray(estimator.fit(X_fit).predict(X_fit)).astype(np.intp, copy=False)
    n_clusters = getattr(estimator, "n_clusters", None)
    if n_clusters is None:
        n_clusters = int(clusters.max()) + 1 if clusters.size else 0
    if n_clusters == 1:
        threshold = -math.inf

    order = np.argsort(clusters, kind="stable")
    bounds = np.searchsorted(clusters[order], np.arange(n_clusters + 1))
    members = [order[bounds[c]:bounds[c + 1]] for c in range(n_clusters)]

    X_parts, y_parts, made_parts = [], [], []
    for code, n_new in active.items():
        chosen, log_weights = [], []
        for rows in members:
            if rows.size == 0:
                continue
            in_class = ds.y[rows] == code
            n_in = int(np.count_nonzero(in_class))
            share = n_in / rows.size
            balance = n_new / total / 2 if threshold == "auto" else threshold
            if share < balance or n_in < k + 1:
                continue
            rows_c = rows[in_class]
            chosen.append(rows_c)
            log_weights.append(_log_sparsity(X_unit[rows_c], exponent, n_threads))
        if not chosen:
            label = ds.label(code)
            raise ValueError(
                f"{method}: no cluster has a share of class {label!r} of at least the "
                f"cluster_balance_threshold and more than k={k} rows of it; lower "
                "cluster_balance_threshold, use more clusters (kmeans_estimator)"
                + (f", or k={k - 1} or less." if k > 1 else ".")
            )
        for rows_c, m in zip(chosen, _split_exactly(n_new, _cluster_log_weights(log_weights))):
            if m == 0:
                continue
            X_c = Xf[rows_c] if sparse.issparse(Xf) else np.ascontiguousarray(Xf[rows_c])
            nns = kneighbors(X_c, k, n_jobs=n_jobs)[1]
            base, cols, steps = _draw_segments(random_state, rows_c.shape[0], k, int(m))
            X_parts.append(_interpolate_rows(X_c, base, nns[base, cols], steps, None,
                                             n_threads))
            y_parts.append(np.full(int(m), code, dtype=np.intp))
            if return_provenance:
                made_parts.append(made_records(rows_c[base], rows_c[nns[base, cols]], steps))
    if not X_parts:
        X_new = _no_rows(Xf)
    elif sparse.issparse(Xf):
        X_new = sparse.vstack(X_parts, format="csr")
    else:
        X_new = np.concatenate(X_parts)
    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    out = ds.append(X_new, y_new, return_indices=return_indices)
    if return_provenance:
        out += (inputs_then(ds.n_samples, concat_records(made_parts)),)
    return out


# ---------------------------------------------------------------- SMOTE-NC

def _column_std(X):
    """Per-column standard deviation (ddof 0, float64) of a CSR matrix, in two passes over its
    stored values (the implicit zeros counted), as ``np.std(X.toarray(), axis=0)`` up to
    rounding; never densified."""
    n = X.shape[0]
    data = X.data.astype(np.float64, copy=False)
    mean = np.bincount(X.indices, weights=data, minlength=X.shape[1]) / n
    dev = data - mean[X.indices]
    stored = np.bincount(X.indices, minlength=X.shape[1])
    var = np.bincount(X.indices, weights=dev * dev, minlength=X.shape[1])
    var += (n - stored) * mean * mean
    return np.sqrt(var / n)


def _one_hot(codes, n_categories, value):
    """CSR one-hot block of integer codes (one column per category of each column), every
    active entry ``value`` (float64)."""
    n, f = codes.shape
    offsets = np.concatenate(([0], np.cumsum(n_categories)))[:-1].astype(np.int64)
    indices = (codes.astype(np.int64) + offsets[None, :]).reshape(-1)
    indptr = np.arange(0, n * f + 1, f, dtype=np.int64)
    data = np.full(n * f, value, dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, int(sum(n_categories))))


def _smotenc_plan(ds, X, categorical_features, n_features, ratio, k):
    """SMOTE-NC's columns and classes, for dense and sparse X alike: (categorical column
    indices, continuous column indices, {class code: rows to make} for the classes that get
    rows), after the checks (both kinds of columns present, each class large enough)."""
    cat_idx = categorical_indices(X, categorical_features, n_features)
    if cat_idx.size == n_features:
        raise ValueError(
            "SMOTE-NC is not designed to work only with categorical features. It requires "
            "some numerical features; use smoten for all-categorical data."
        )
    if cat_idx.size == 0:
        raise ValueError(
            "SMOTE-NC is not designed to work only with numerical features. It requires some "
            "categorical features; use smote for all-numerical data."
        )
    cont_idx = np.setdiff1d(np.arange(n_features), cat_idx)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    active = {int(c): int(n) for c, n in targets.items() if n > 0}
    for code in active:
        _check_class_size(ds, code, k, "smotenc")
    return cat_idx, cont_idx, active


def _smotenc_sparse(X, y, categorical_features, k, categorical_encoder, ratio, random_state,
                    n_jobs, return_indices, return_provenance):
    """SMOTE-NC on a sparse X, which stays sparse: only the categorical columns are densified
    (an n x n_categorical block, for their codes); the continuous columns are searched and
    interpolated as CSR rows. The neighbours are those of imbalanced-learn's search on sparse
    X: the continuous columns (at unit scale) next to the one-hot categorical columns scaled
    by ``median_std / sqrt(2)``, exact float64 distances (``kneighbors``). The result is CSR
    (a csr_array for a sparse array), also for CSC input, as imbalanced-learn's."""
    method = "smotenc"
    ds = check_X_y(X, y)
    Xf = ds.X
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    random_state = _shared_random_state(random_state)
    n_features = Xf.shape[1]
    cat_idx, cont_idx, active = _smotenc_plan(ds, X, categorical_features, n_features, ratio, k)
    X_cont = Xf[:, cont_idx].tocsr()
    X_cont.sort_indices()
    cat_block = Xf[:, cat_idx].toarray()  # n x n_categorical: the one dense block
    codes, categories = ordinal_codes(cat_block, range(cat_idx.size), categorical_encoder,
                                      method, one_hot=True)
    n_categories = [len(c) for c in categories]

    cont_parts, code_parts, y_parts, made_parts = [], [], [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        X_c = X_cont[rows_c]
        codes_c = np.ascontiguousarray(codes[rows_c])
        n_c = rows_c.shape[0]
        X_u = unit_scaled(X_c)[0]
        median_std = float(np.median(_column_std(X_u)))
        searched = sparse.hstack(
            [X_u.astype(np.float64), _one_hot(codes_c, n_categories, median_std / math.sqrt(2))],
            format="csr",
        )
        nns = kneighbors(searched, k, n_jobs=n_threads)[1]
        base, cols, steps = _draw_segments(random_state, n_c, k, n_new)
        base = np.ascontiguousarray(base, dtype=np.intp)
        cont_parts.append(_interpolate_rows(X_c, base, nns[base, cols], steps, None, n_threads))
        rng = check_random_state(random_state)  # imblearn's second state, for the ties
        code_parts.append(_vote_with_imblearn_ties(codes_c, nns, base, rng, n_threads))
        y_parts.append(np.full(n_new, code, dtype=np.intp))
        if return_provenance:
            made_parts.append(made_records(rows_c[base], rows_c[nns[base, cols]], steps))

    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    m = y_new.shape[0]
    if m:
        cont_new = sparse.vstack(cont_parts, format="coo")
        codes_new = np.concatenate(code_parts)
        values = np.column_stack([categories[j][codes_new[:, j]] for j in range(cat_idx.size)])
        r_cat, c_cat = np.nonzero(values)
        new_rows = sparse.coo_matrix(
            (np.concatenate([cont_new.data, values[r_cat, c_cat].astype(Xf.dtype)]),
             (np.concatenate([cont_new.row, r_cat]),
              np.concatenate([cont_idx[cont_new.col], cat_idx[c_cat]]))),
            shape=(m, n_features), dtype=Xf.dtype,
        ).tocsr()
    else:
        new_rows = _no_rows(Xf)
    X_out = sparse.vstack([Xf, new_rows], format="csr")
    if not isinstance(X, sparse.spmatrix):
        X_out = sparse.csr_array(X_out)
    out = (X_out, ds._y_out(None, X_out, labels=ds.labels(np.concatenate([ds.y, y_new]))))
    if return_indices:
        out += (np.concatenate([np.arange(ds.n_samples, dtype=np.intp),
                                np.full(m, -1, dtype=np.intp)]),)
    if return_provenance:
        out += (inputs_then(ds.n_samples, concat_records(made_parts)),)
    return out


def _vote_with_imblearn_ties(codes, nns, base, rng, n_threads):
    """Each new row's categories: the most frequent among its base row's k neighbours.

    Ties: imbalanced-learn's rule, replayed without its (n_new, k, n_one_hot) tensor: one
    ``rng.permutation`` per feature over the list of tied (row, category) pairs.
    """
    n_new = base.shape[0]
    out = np.empty((n_new, codes.shape[1]), dtype=np.int32)
    n_max = np.empty(n_new, dtype=np.intp)
    column = np.empty(n_new, dtype=np.int32)
    for f in range(codes.shape[1]):
        count_max_ties(codes, nns, base, f, n_max, n_threads)
        offsets = np.zeros(n_new + 1, dtype=np.intp)
        np.cumsum(n_max, out=offsets[1:])
        n_pairs = int(offsets[-1])
        perm = rng.permutation(n_pairs)
        position = np.empty(n_pairs, dtype=np.intp)
        position[perm] = np.arange(n_pairs, dtype=np.intp)
        pick_max_tie(codes, nns, base, f, offsets[:-1].copy(), position, column, n_threads)
        out[:, f] = column
    return out


@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = ...,
    categorical_encoder: Estimator | None = ..., ratio: OverRatio = ...,
    random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def smotenc(
    X: ArrayLike, y: ArrayLike, *, categorical_features: Literal["auto"] | ArrayLike, k: int = 5,
    categorical_encoder: Estimator | None = None, ratio: OverRatio = "auto",
    random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None, return_indices: bool = False,
    return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample mixed continuous and categorical data with SMOTE-NC.

    For each class to over-sample, each row's ``k`` nearest rows of the class are found under
    SMOTE-NC's metric: squared Euclidean distance on the continuous columns plus ``m**2`` for
    every categorical column whose values differ, with ``m`` the median of the standard
    deviations of the class's continuous columns (imbalanced-learn's one-hot columns scaled by
    ``m / sqrt(2)``). New rows are drawn like SMOTE's on the continuous columns, and each
    categorical column takes the most frequent value among the base row's ``k`` neighbours.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Continuous columns numeric and finite; categorical columns of any sortable values
        (strings, numbers, pandas categoricals), without missing values. scipy.sparse X stays
        sparse: only its categorical columns are densified (an n x n_categorical block, for
        their codes), the continuous ones are searched and interpolated as CSR rows, and the
        result is CSR (a csr_array for sparse arrays), also for CSC input, as
        imbalanced-learn's SMOTENC.
    y : array-like of shape (n_samples,)
        Class labels.
    categorical_features : "auto", array of int, array of bool or array of str
        The categorical columns: "auto" (pandas ``CategoricalDtype`` columns of a DataFrame),
        column indices, a boolean mask over the columns, or column names (DataFrame).
    k : int, default=5
        Number of nearest neighbours (imbalanced-learn: ``k_neighbors``).
    categorical_encoder : None or one-hot encoder, default=None
        None: the categories of a column are its sorted distinct values. Otherwise an unfitted
        encoder like ``sklearn.preprocessing.OneHotEncoder`` (cloned and fitted on the
        categorical columns; one output column per category) whose ``categories_`` give the
        categories and their order.
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        SMOTE's draws and the tie-breaks of the vote, in imbalanced-learn's order.
    n_jobs : int or None, default=None
        Threads (None: all cores). The result does not depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class. A DataFrame keeps its columns and
        dtypes (integer continuous columns become float64); an ndarray keeps a float dtype,
        other numeric arrays give float64 and text or mixed arrays give an object array.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    TypeError
        If a continuous column holds complex numbers (as every numeric method, rather than
        dropping the imaginary part).
    ValueError
        If all or none of the columns are categorical, a continuous column is not numeric or
        not finite, a categorical column has missing values, a class to over-sample has ``k``
        rows or fewer, or for invalid parameters.

    Notes
    -----
    Memory: O(n * (n_features + k) + n_new * n_features); no one-hot matrix and no
    ``(n_new, k, n_one_hot)`` tensor (which needs 135 GiB in imbalanced-learn#768). The
    neighbour search is a streamed brute force over the class's rows, O(n_c^2 * n_features).
    Sparse X: the search runs on the CSR continuous columns next to a one-hot block of the
    categories scaled by ``median_std / sqrt(2)`` (imbalanced-learn's metric, the same
    neighbours up to exact ties), memory O(nnz + n * n_categorical + output).

    Differences from imbalanced-learn: a row's own index is excluded from its neighbours; the
    vote counts integer occurrences (imbalanced-learn compares scaled counts with
    ``np.isclose``, which can tie a category that no neighbour has when the median standard
    deviation is below about 1e-8); integer continuous columns give float64 (imbalanced-learn
    truncates); missing categorical values are rejected. With an
    int ``random_state`` and no tied distances the rows equal imbalanced-learn's, including
    its random tie-breaks of the vote.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import smotenc
    >>> rng = np.random.default_rng(0)
    >>> X = np.empty((60, 2), dtype=object)
    >>> X[:, 0] = rng.normal(size=60)
    >>> X[:, 1] = rng.choice(["a", "b", "c"], size=60)
    >>> y = np.array([0] * 45 + [1] * 15)
    >>> X_res, y_res = smotenc(X, y, categorical_features=[1], random_state=0)
    >>> X_res.shape, np.bincount(y_res).tolist()
    ((90, 2), [45, 45])
    >>> set(X_res[60:, 1]) <= {"a", "b", "c"}
    True
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "smotenc"
    if sparse.issparse(X):
        return _smotenc_sparse(X, y, categorical_features, k, categorical_encoder, ratio,
                               random_state, n_jobs, return_indices, return_provenance)
    table = as_table(X, method)
    ds = check_X_y(table, y, numeric=False)
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    random_state = _shared_random_state(random_state)
    n_features = table.shape[1]
    cat_idx, cont_idx, active = _smotenc_plan(ds, table, categorical_features, n_features,
                                              ratio, k)
    X_cont = continuous_block(table, cont_idx)
    codes, categories = ordinal_codes(table, cat_idx, categorical_encoder, method, one_hot=True)

    cont_parts, code_parts, y_parts, made_parts = [], [], [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        X_c = np.ascontiguousarray(X_cont[rows_c])
        codes_c = np.ascontiguousarray(codes[rows_c])
        n_c = rows_c.shape[0]
        # The metric scales with X (the categorical weight is a standard deviation): search at
        # unit scale, where neither the variance nor the squared distances overflow/underflow.
        X_u = unit_scaled(X_c)[0]
        median_std = float(np.median(np.std(X_u, axis=0, dtype=np.float64)))
        nns = kneighbors_mixed(X_u, codes_c, k, cat_distance=median_std, n_jobs=n_threads)[1]
        base, cols, steps = _draw_segments(random_state, n_c, k, n_new)
        base = np.ascontiguousarray(base, dtype=np.intp)
        cont_new = np.empty((n_new, X_c.shape[1]), dtype=X_c.dtype)
        interpolate(X_c, base, X_c, np.ascontiguousarray(nns[base, cols], dtype=np.intp),
                    np.ascontiguousarray(steps, dtype=np.float64), cont_new, n_threads)
        rng = check_random_state(random_state)  # imblearn's second state, for the ties
        code_parts.append(_vote_with_imblearn_ties(codes_c, nns, base, rng, n_threads))
        cont_parts.append(cont_new)
        y_parts.append(np.full(n_new, code, dtype=np.intp))
        if return_provenance:
            made_parts.append(made_records(rows_c[base], rows_c[nns[base, cols]], steps))

    n_new_total = sum(active.values())
    cont_new = np.concatenate(cont_parts) if cont_parts else np.empty((0, cont_idx.size), X_cont.dtype)
    codes_new = np.concatenate(code_parts) if code_parts else np.empty((0, cat_idx.size), np.int32)
    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    new_columns = [None] * n_features
    for out_j, j in enumerate(cont_idx):
        new_columns[j] = cont_new[:, out_j]
    for out_j, j in enumerate(cat_idx):
        new_columns[j] = categories[out_j][codes_new[:, out_j]]
    assert y_new.shape[0] == n_new_total
    out = ds.append_columns(new_columns, y_new, return_indices=return_indices)
    if return_provenance:
        out += (inputs_then(ds.n_samples, concat_records(made_parts)),)
    return out


# ---------------------------------------------------------------- SMOTE-N

def _smoten_plan(ds, k, ratio, random_state, n_jobs):
    """smoten's checked k, threads, shared random state and classes to over-sample
    ({class code: new rows}), for dense and sparse X alike."""
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    random_state = _shared_random_state(random_state)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    active = {int(c): int(n) for c, n in targets.items() if n > 0}
    for code in active:
        _check_class_size(ds, code, k, "smoten")
    return k, n_threads, random_state, active


def _smoten_sparse(X, y, k, ratio, random_state, n_jobs, return_indices, return_provenance):
    """SMOTE-N on a sparse X (``categorical_encoder=None``), never densified.

    The same rows, labels, indices and provenance as smoten on X's dense form: codes per
    stored value plus a zero code per column (``sparse_ordinal_codes``), the VDM tables from
    counts (``vdm_class_probabilities_csr``), the search over the union of two rows' stored
    columns (``kneighbors_vdm_csr``) and the vote over the union of the voters' columns
    (``mode_vote_csr``), whose rows are written straight into the output CSR matrix after X's
    rows. The result has X's dtype and format (COO as CSR). Memory: X's canonical copy only
    when X is not canonical CSR, the codes (4 bytes per stored value, plus 8 during the
    sort that makes them), the output, O(n_features) tables and per class its rows' codes.
    """
    method = "smoten"
    ds = check_X_y(X, y, numeric=False)
    Xc = canonical_csr(ds.X)
    k, n_threads, random_state, active = _smoten_plan(ds, k, ratio, random_state, n_jobs)
    codes, zero_code, categories, offsets = sparse_ordinal_codes(Xc, method)
    proba = vdm_class_probabilities_csr(codes, zero_code, offsets, ds.y, ds.n_classes)

    parts, y_parts, made_parts = [], [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        codes_c = codes[rows_c]
        rs = check_random_state(random_state)
        base = rs.choice(rows_c.shape[0], size=n_new, replace=True)
        # A new row depends only on its base row: search the neighbours of distinct bases only.
        bases, which = np.unique(base, return_inverse=True)
        nns = kneighbors_vdm_csr(codes_c, k, proba=proba, zero_code=zero_code, offsets=offsets,
                                 rows=bases, n_jobs=n_threads)[1]
        voters = np.ascontiguousarray(np.hstack([bases[:, None], nns]), dtype=np.intp)
        index = np.int32 if codes_c.indptr.dtype == codes_c.indices.dtype == np.int32 \
            else np.int64
        args = (np.ascontiguousarray(codes_c.indptr, dtype=index),
                np.ascontiguousarray(codes_c.indices, dtype=index),
                np.ascontiguousarray(codes_c.data, dtype=np.int32), zero_code, voters)
        vote_ptr = np.zeros(bases.shape[0] + 1, dtype=np.int64)
        mode_vote_csr(*args, vote_ptr, np.empty(0, np.int64), np.empty(0, np.int32), False,
                      n_threads)
        np.cumsum(vote_ptr, out=vote_ptr)
        vote_cols = np.empty(int(vote_ptr[-1]), dtype=np.int64)
        vote_codes = np.empty(int(vote_ptr[-1]), dtype=np.int32)
        mode_vote_csr(*args, vote_ptr, vote_cols, vote_codes, True, n_threads)
        # the distinct bases' votes as values (a vote that is not the zero code is not 0)
        vote_values = categories[offsets[vote_cols] + vote_codes]
        parts.append((which.reshape(-1), vote_ptr, vote_cols, vote_values))
        y_parts.append(np.full(n_new, code, dtype=np.intp))
        if return_provenance:
            made_parts.append(made_records(rows_c[base], gaps=np.nan, step="vote"))

    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    counts = np.concatenate([np.diff(ptr)[which] for which, ptr, _, _ in parts]) if parts \
        else np.empty(0, np.int64)
    data, indices, indptr, n_head = _csr_arrays(Xc, counts, Xc.shape[1], Xc.dtype)
    row = n_head
    for which, ptr, cols, values in parts:
        # new row i of the class is its base's vote: entries ptr[which[i]]:ptr[which[i] + 1]
        sizes = np.diff(ptr)[which]
        start = int(indptr[row])
        source = np.repeat(ptr[:-1][which] - (indptr[row:row + which.shape[0]] - start), sizes)
        source += np.arange(source.shape[0])
        indices[start:start + source.shape[0]] = cols[source]
        data[start:start + source.shape[0]] = values[source]
        row += which.shape[0]
    filled = sparse.csr_matrix((data, indices, indptr), shape=(n_head + y_new.shape[0],
                                                               Xc.shape[1]), copy=False)
    out = ds.append(None, y_new, return_indices=return_indices, filled=filled)
    if return_provenance:
        out += (inputs_then(ds.n_samples, concat_records(made_parts)),)
    return out



@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[False] = ...,
) -> Resampled: ...
@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[False] = ...,
) -> ResampledIndexed: ...
@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[False] = ..., return_provenance: Literal[True],
) -> ResampledProvenance: ...
@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: Literal[True], return_provenance: Literal[True],
) -> ResampledIndexedProvenance: ...
@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: None = ...,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledAny: ...
@overload
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = ..., categorical_encoder: Estimator | None = ...,
    ratio: OverRatio = ..., random_state: RandomStateLike = ..., n_jobs: int | None = ...,
    sample_weight: ArrayLike,
    return_indices: bool = ..., return_provenance: bool = ...,
) -> ResampledWeighted: ...
@public()
def smoten(
    X: MatrixLike, y: ArrayLike, *, k: int = 5, categorical_encoder: Estimator | None = None,
    ratio: OverRatio = "auto", random_state: RandomStateLike = None, n_jobs: int | None = None,
    sample_weight: ArrayLike | None = None,
    return_indices: bool = False, return_provenance: bool = False,
) -> ResampledAny:
    """Over-sample all-categorical data with SMOTE-N.

    Distances are the value difference metric (VDM) of imbalanced-learn: for each feature, the
    L1 distance between the class-probability vectors P(class | category) of the two
    categories, squared, summed over the features. For each class to over-sample, base rows are
    drawn uniformly with replacement; each new row takes, feature by feature, the most frequent
    category among its base row and the base row's ``k`` nearest rows of the class (the
    smallest category on ties).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Categorical values of any sortable type (strings, numbers, pandas categoricals), no
        missing values. scipy.sparse X (CSR, CSC, sparse arrays, COO) is never densified: the
        categories of a column are its stored values and 0 (the entries not stored), the
        search and the vote run over the rows' stored columns, and the result, equal to that
        of X's dense form, comes back in X's format and dtype (COO as CSR). The one
        exception: a ``categorical_encoder`` other than None or a plain ``OrdinalEncoder()``
        (whose categories are the sorted values, as None's) is fitted on X's dense form, as
        imbalanced-learn does (scikit-learn's encoders take dense columns only).
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Number of nearest neighbours besides the base row (imbalanced-learn: ``k_neighbors``).
    categorical_encoder : None or ordinal encoder, default=None
        None: the categories of a column are its sorted distinct values. Otherwise an unfitted
        encoder like ``sklearn.preprocessing.OrdinalEncoder`` (cloned, fitted on X) whose
        codes and ``categories_`` are used.
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        The draw of base rows (``choice``, imbalanced-learn's draw per class).
    n_jobs : int or None, default=None
        Threads (None: all cores). The result does not depend on it.
    sample_weight : array-like of shape (n_samples,), default=None
        One weight >= 0 per row of X. With weights, the weight of each output row is returned
        right after ``y_res`` (kept rows keep theirs, new rows get a documented mix of their
        parents'; rows of weight 0 are left out, as if absent). See the user guide's "Sample
        weights" section and ``resamplekit._weights``.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).
    return_provenance : bool, default=False
        Also return, as the last output, one provenance record per output row: a NumPy
        structured array (fields ``row``, ``neighbor``, ``gap``, ``scale``, ``step``; see the
        user guide's "Provenance" section and ``resamplekit._provenance``).

    Returns
    -------
    X_res : ndarray, DataFrame or sparse matrix of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class; the input's container and dtypes.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    sample_weight_res : ndarray of float64, only with ``sample_weight``
        The weight of each output row (comes right after ``y_res``).
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``
    provenance : structured ndarray of shape (n_rows_out,), only with ``return_provenance=True``
        Where each output row comes from (``resamplekit._provenance.PROVENANCE_DTYPE``).

    Raises
    ------
    ValueError
        If a class to over-sample has ``k`` rows or fewer, X has missing values, or for
        invalid parameters.

    Notes
    -----
    Memory O(n * n_features + n_new * (k + n_features)) plus one n_c buffer per thread (never
    imbalanced-learn's n_c x n_c distance matrix); the neighbours of the distinct drawn base
    rows are found in one streamed pass, O(n_base * n_c * n_features) look-ups, in parallel.
    Sparse X: the input, the output, the codes (4 bytes per stored value; the sort that
    makes them takes about 35 more bytes per stored value for a moment), a class's rows'
    codes, O(n_features) per-column tables and O(k) per thread; no n x n_features block.
    The search merges two rows' stored columns: O(n_base * (nnz_c + n_c * nnz_per_row)).

    Differences from imbalanced-learn: the neighbour set is the base row plus its ``k`` nearest
    other rows, ties in distance going to the lower row index (imbalanced-learn takes the
    ``k + 1`` nearest rows from a precomputed matrix, which on tied distances, frequent with
    categorical data, may leave out the row itself or pick other tied rows). Without tied
    distances and with an int ``random_state`` the rows equal imbalanced-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import smoten
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> X_res, y_res = smoten(X, y, random_state=0)
    >>> np.bincount(y_res).tolist()
    [40, 40]
    """
    return_provenance = check_provenance_flag(return_provenance)
    method = "smoten"
    sparse_format = None
    table: Any = X  # a table (as_table); for sparse X with an encoder, its dense form
    if sparse.issparse(table):
        if categorical_encoder is None or sorts_its_values(categorical_encoder):
            return _smoten_sparse(X, y, k, ratio, random_state, n_jobs, return_indices,
                                  return_provenance)
        # A fitted encoder reads the dense columns (sklearn's encoders take no sparse input).
        if table.format not in ("csr", "csc"):  # COO and others come back as CSR
            table = table.tocsr()
        sparse_format = (type(table), table.format)
        table = table.toarray()
    table = as_table(table, method)
    ds = check_X_y(table, y, numeric=False)
    k, n_threads, random_state, active = _smoten_plan(ds, k, ratio, random_state, n_jobs)
    n_features = table.shape[1]
    codes, categories = ordinal_codes(table, range(n_features), categorical_encoder, method,
                                      one_hot=False)
    proba = vdm_class_probabilities(codes, ds.y, [len(c) for c in categories], ds.n_classes)

    code_parts, y_parts, made_parts = [], [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        codes_c = np.ascontiguousarray(codes[rows_c])
        rs = check_random_state(random_state)
        base = rs.choice(rows_c.shape[0], size=n_new, replace=True)
        # A new row depends only on its base row: search the neighbours of distinct bases only.
        bases, which = np.unique(base, return_inverse=True)
        nns = kneighbors_vdm(codes_c, k, proba=proba, rows=bases, n_jobs=n_threads)[1]
        voters = np.ascontiguousarray(np.hstack([bases[:, None], nns]), dtype=np.intp)
        modes = np.empty((bases.shape[0], n_features), dtype=np.int32)
        mode_vote(codes_c, voters, modes, n_threads)
        code_parts.append(modes[which.reshape(-1)])
        y_parts.append(np.full(n_new, code, dtype=np.intp))
        if return_provenance:
            made_parts.append(made_records(rows_c[base], gaps=np.nan, step="vote"))

    codes_new = np.concatenate(code_parts) if code_parts else np.empty((0, n_features), np.int32)
    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    new_columns = [categories[j][codes_new[:, j]] for j in range(n_features)]
    out = ds.append_columns(new_columns, y_new, return_indices=return_indices,
                            all_categorical=True)
    if sparse_format is not None:
        cls, fmt = sparse_format
        out = (cls(out[0]),) + out[1:]
    if return_provenance:
        out += (inputs_then(ds.n_samples, concat_records(made_parts)),)
    return out
