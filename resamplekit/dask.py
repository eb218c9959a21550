"""Resampling over Dask collections: data larger than one process's memory.

The same function names and keywords as the in-memory API, over a dask array ``X`` (chunked by
rows; column chunks are merged) and a dask or NumPy array ``y``, or a dask DataFrame and Series.
The results are lazy dask collections of the same kind (and, with ``return_indices=True``, a
dask array of global row numbers, -1 for a synthetic row). Install with
``pip install resamplekit[dask]``; ``import resamplekit`` never imports dask.

How each kind of method scales (see the user guide page "Scaling out with Dask"):

- ``random_under``, ``random_over``: each class's quota is split across the blocks
  (multivariate hypergeometric without replacement, multinomial with), and each block draws its
  rows with its own seed, spawned from ``random_state`` by ``numpy.random.SeedSequence``. Exact
  class counts; the rows depend on the seed and the chunking only, never on the scheduler or
  the number of workers. Only the labels are read eagerly (class counts per block; in this
  process, draws included, when y is a NumPy array).
- ``smote``: the rows of the classes to over-sample are gathered (within ``max_gather_bytes``),
  their neighbour search and random draws run exactly as in memory, and the new rows are
  synthesised block by block on the workers; a class over the budget is searched block-wise
  instead and its new rows fetch the rows they use from X's blocks. With an integer seed the
  new rows equal :func:`resamplekit.smote`'s.
- ``borderline_smote``, ``adasyn``: the search of the rows of the classes to over-sample
  against all of X (the danger test, the weights) is the block-wise search below. A class
  within ``max_gather_bytes`` is gathered with its lists and the rest is the in-memory
  functions' own code; a class over the budget brings back only small results per row (the
  count of neighbours of another class), and its in-class search, draws and synthesis run as
  ``smote``'s block-wise path. With an integer seed the new rows equal theirs.
- ``kneighbors``, ``edited_nearest_neighbours``, ``tomek_links``: a block-wise exact neighbour
  search (every pair of query block and row block, skipped when the blocks' bounding boxes prove
  it holds no neighbour, merged by (distance, global row) in a tree); the rules run on the
  merged lists with the in-memory kernels. Same neighbours, same rows, same order as in memory.
- ``neighbourhood_cleaning_rule``: one block-wise search, the in-memory rules on each block's
  lists. ``repeated_edited_nearest_neighbours``, ``all_knn``: the in-memory loop; each block
  keeps its rows' neighbour lists and repairs them as in memory (block-wise searches over the
  rows still kept). Same rows, same order as in memory.
- ``near_miss`` (1-3): the minority class gathered (its scores are distances to it), each block
  scores its own rows with the in-memory code and returns its best few; version 3's
  candidates come from a block-wise search of the targeted class's blocks. Same rows, same
  order as :func:`resamplekit.near_miss`.
- The other methods gather ``X`` and ``y`` and call the in-memory function when they fit
  ``max_gather_bytes``; otherwise they refuse with an error that names the reason.

Every function also takes the in-memory keywords ``sample_weight`` and ``return_provenance``:
the weights of the output rows (right after ``y_res``) and the provenance records (last) come
back as lazy dask arrays, equal to the in-memory function's (rows of weight 0 are left out
first, lazily; the row numbers are those of the whole X). The weights themselves, one float
per row, are read into this process, as a NumPy ``y`` is.

Nothing here computes all of ``X`` in one process unless it fits ``max_gather_bytes``.
"""
from __future__ import annotations

import functools
import itertools
import math
import numbers
import re
import warnings

import numpy as np

import dask
import dask.array as da
from dask import delayed

from . import _provenance as _prov
from . import _weights as _weights_mod
from . import cleaning as _cleaning_mod
from . import over_sampling as _over_mod
from . import under_sampling as _under_mod
from ._kernels import _cleaning, _nearmiss
from ._kernels._smote import interpolate
from ._neighbors import check_neighbors as _check_neighbors
from ._neighbors import kneighbors as _kneighbors
from ._strategy import target_counts
from ._validation import (
    _check_shape,
    _float_dtype,
    _numeric_dataframe,
    _numeric_dense,
    check_int,
    check_n_jobs,
    check_random_state,
    encode_labels,
)

__all__ = [
    "random_under",
    "random_over",
    "smote",
    "kneighbors",
    "edited_nearest_neighbours",
    "tomek_links",
    "smote_tomek",
    "smote_enn",
    "condensed_nearest_neighbour",
    "one_sided_selection",
    "cluster_centroids",
    "instance_hardness_threshold",
    "svm_smote",
    "kmeans_smote",
    "smotenc",
    "smoten",
    "borderline_smote",
    "adasyn",
    "near_miss",
    "repeated_edited_nearest_neighbours",
    "all_knn",
    "neighbourhood_cleaning_rule",
    "default_gather_bytes",
]

#: Fraction of the smallest worker's memory limit (or of the machine's memory when no
#: dask.distributed client is active) that ``max_gather_bytes=None`` allows.
GATHER_FRACTION = 0.25

_NO_INDEX = np.iinfo(np.intp).max


# --------------------------------------------------------------------------------------------
# Inputs


def _dd():
    import dask.dataframe as dd

    return dd


def _is_frame(obj):
    try:
        dd = _dd()
    except ImportError:
        return False
    return isinstance(obj, dd.DataFrame)


def _is_series(obj):
    try:
        dd = _dd()
    except ImportError:
        return False
    return isinstance(obj, dd.Series)


def _codes(labels, classes):
    return np.searchsorted(classes, np.asarray(labels)).astype(np.intp, copy=False)


def _label_summary(labels):
    """Distinct labels of one block and their counts (the in-memory label checks apply)."""
    arr = np.asarray(labels)
    if arr.shape[0] == 0:
        return arr[:0], np.zeros(0, dtype=np.intp)
    _, classes, codes = encode_labels(arr)
    return classes, np.bincount(codes, minlength=len(classes))


def _numeric_block(part, offset, frame):
    """A block as the in-memory path makes it (float32/float64, finite); row numbers in the
    error message are global."""
    try:
        return _numeric_dataframe(part) if frame else _numeric_dense(np.asarray(part))
    except ValueError as exc:
        message = re.sub(r"first at row (\d+)",
                         lambda m: f"first at row {int(m.group(1)) + offset}", str(exc))
        raise ValueError(message) from None


class _Data:
    """A dask X and its labels, as blocks of rows with known lengths.

    ``parts[b]``: delayed block b of the caller's X (ndarray or pandas DataFrame);
    ``y_parts[b]``: delayed labels of block b; ``y_local[b]``: the same labels as a NumPy
    array when the caller's y is one (None otherwise: then y is read on the workers);
    ``lengths``, ``offsets``; ``classes`` (sorted labels) and ``block_counts`` (B, K): rows of
    each class in each block (computed eagerly: one pass over y, in this process when y is a
    NumPy array).
    """

    def __init__(self, X, y, method, labels=True):
        self.method = method
        if _is_frame(X):
            self.kind = "dataframe"
            self.columns = X.columns
            self.meta = X._meta
            _check_shape((1, len(X.columns)))
            parts = list(X.to_delayed())
            lengths = [int(v) for v in X.map_partitions(len).compute()]
            self.dtype = None
        elif isinstance(X, da.Array):
            self.kind = "array"
            _check_shape(X.shape if X.ndim != 2 else (max(X.shape[0], 1), X.shape[1]))
            if any(math.isnan(c) for c in X.chunks[0]):
                # Unknown block lengths (after boolean indexing, from a DataFrame): one pass.
                X = X.compute_chunk_sizes()
            if X.numblocks[1] > 1:
                X = X.rechunk({1: -1})
            parts = list(X.to_delayed().ravel())
            lengths = [int(c) for c in X.chunks[0]]
            self.dtype = X.dtype
            self.meta = None
        else:
            name = method
            raise TypeError(
                f"X must be a dask array or a dask DataFrame, got {type(X).__name__}; for data "
                f"in memory use resamplekit.{name}(X, y, ...)"
            )
        self.n_features = int(X.shape[1])
        n = sum(lengths)
        _check_shape((n, self.n_features))
        self.y_name = None
        self.y_kind = "array"
        y_local = None  # y as a NumPy array, when the caller gave one: read in this process
        if not labels:  # a neighbour search: one class, no labels read
            y = np.zeros(n, dtype=np.int8)
        if _is_series(y):
            self.y_kind = "series"
            self.y_name = y.name
            self.y_meta = y._meta
            with warnings.catch_warnings():
                # string labels become an object array (the Series dtype comes back on output)
                warnings.simplefilter("ignore", UserWarning)
                y = y.to_dask_array(lengths=True)
        elif not isinstance(y, da.Array):
            y = np.asarray(y)
            if y.ndim != 1:
                encode_labels(y)  # the in-memory message
            if len(y) == n:
                y_local = y
            y = da.from_array(y, chunks=(tuple(lengths),) if len(y) == n else -1)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-dimensional (one label per row of X), got shape "
                             f"{y.shape}")
        if any(math.isnan(c) for c in y.chunks[0]):
            y = y.compute_chunk_sizes()
        if y.shape[0] != n:
            raise ValueError(
                f"X and y must have the same number of rows, got {n} rows in X and "
                f"{y.shape[0]} labels in y"
            )
        if tuple(y.chunks[0]) != tuple(lengths):
            y = y.rechunk((tuple(lengths),))  # misaligned chunks: y follows X
        y_parts = list(y.to_delayed())
        keep = [b for b, m in enumerate(lengths) if m > 0]
        self.parts = [parts[b] for b in keep]
        self.y_parts = [y_parts[b] for b in keep]
        self.lengths = np.array([lengths[b] for b in keep], dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.lengths)[:-1])).astype(np.int64)
        self.n_samples = n
        self.y_dtype = y.dtype
        self.y_local = None
        if y_local is not None and labels:
            self.y_local = [y_local[o:o + m] for o, m in zip(self.offsets, self.lengths)]
        if not labels:
            summaries = [(np.zeros(1, dtype=np.int8), np.array([m])) for m in self.lengths]
        elif self.y_local is not None:
            summaries = [_label_summary(part) for part in self.y_local]
        else:
            summaries = dask.compute(*[delayed(_label_summary)(p) for p in self.y_parts])
        classes = np.unique(np.concatenate([s[0] for s in summaries]))
        if len(classes) < 2 and labels:
            shown = classes[0].item() if hasattr(classes[0], "item") else classes[0]
            raise ValueError(
                f"y must contain at least 2 classes, got 1 class ({shown!r}); resampling needs "
                "an imbalance between classes"
            )
        counts = np.zeros((len(self.lengths), len(classes)), dtype=np.int64)
        for b, (cls, cnt) in enumerate(summaries):
            counts[b, np.searchsorted(classes, cls)] = cnt
        self.classes = classes
        self.block_counts = counts
        self.counts = counts.sum(axis=0)
        self._numeric = None
        self._codes = {}

    @property
    def n_blocks(self):
        return len(self.lengths)

    @property
    def n_classes(self):
        return len(self.classes)

    def targets(self, ratio, kind):
        """``target_counts`` from the class counts (a callable ratio sees the labels, sorted)."""
        return target_counts(ratio, None, self.classes, kind, counts=self.counts)

    def codes(self, b):
        """Delayed class codes of block b (one node per block)."""
        if b not in self._codes:
            self._codes[b] = delayed(_codes)(self.y_parts[b], self.classes)
        return self._codes[b]

    def label(self, code):
        value = self.classes[code]
        return value.item() if hasattr(value, "item") else value

    # ---- numeric view (distance-based methods)
    def numeric(self):
        """Delayed float blocks (float32 for float32 input, else float64), checked lazily as
        in memory (TypeError now for a non-numeric dtype, ValueError when a block with NaN or
        inf is computed)."""
        if self._numeric is None:
            frame = self.kind == "dataframe"
            if frame:
                _numeric_dataframe(self.meta)  # non-numeric columns: the in-memory TypeError
                all32 = all(np.dtype(getattr(t, "numpy_dtype", t)) == np.float32
                            for t in self.meta.dtypes)
                self.num_dtype = np.dtype(np.float32 if all32 else np.float64)
            else:
                self.num_dtype = _float_dtype(self.dtype)
            self._numeric = [
                delayed(_numeric_block)(p, int(o), frame)
                for p, o in zip(self.parts, self.offsets)
            ]
        return self._numeric

    def numeric_array(self):
        blocks = self.numeric()
        return da.concatenate([
            da.from_delayed(b, (int(m), self.n_features), dtype=self.num_dtype)
            for b, m in zip(blocks, self.lengths)
        ])

    # ---- outputs
    def _x_piece(self, block, n, *, numeric, start, keep_index):
        if self.kind == "array":
            dtype = self.num_dtype if numeric else self.dtype
            return da.from_delayed(block, (int(n), self.n_features), dtype=dtype)
        return delayed(_as_frame)(block, self.columns, start, keep_index)

    def output(self, pieces, *, return_indices, keep_index=False, return_provenance=False):
        """The result collections from ``pieces``: a list of
        ``(x_block, y_block, index_block, n_rows, numeric[, records])`` delayed blocks in
        output order. ``records`` (delayed or NumPy provenance records of the piece's rows,
        see ``resamplekit._provenance``) is needed for new rows only: a piece without it is
        made of input rows, its records made from its row numbers on the workers."""
        pieces = [p for p in pieces if p[3] > 0]
        starts = np.concatenate(([0], np.cumsum([p[3] for p in pieces]))).astype(np.int64)
        xs = [self._x_piece(p[0], p[3], numeric=p[4], start=int(s), keep_index=keep_index)
              for p, s in zip(pieces, starts)]
        numeric = bool(pieces) and pieces[0][4]
        if self.kind == "array":
            dtype = self.num_dtype if numeric else self.dtype
            X_out = (da.concatenate(xs) if xs
                     else da.zeros((0, self.n_features), dtype=dtype))
        else:
            meta = self.meta
            if numeric:
                meta = _as_frame(np.empty((0, self.n_features), dtype=self.num_dtype),
                                 self.columns, 0, False)
            divisions = None if keep_index else tuple(int(s) for s in starts[:-1]) + (
                max(int(starts[-1]) - 1, 0),)
            X_out = _dd().from_delayed(xs or [delayed(meta)], meta=meta,
                                       divisions=divisions if xs else None,
                                       verify_meta=False)
        y_out = _lazy_vectors([p[1] for p in pieces], [p[3] for p in pieces], self.y_dtype)
        if self.y_kind == "series":
            meta_y = self.y_meta.rename(self.y_name)
            series = [delayed(_as_series)(p[1], meta_y, int(s), p[3], x, keep_index)
                      for p, s, x in zip(pieces, starts, xs)]
            if keep_index:
                meta_y.index = self.meta.index[:0]
            y_out = _dd().from_delayed(series or [delayed(meta_y)], meta=meta_y,
                                       divisions=X_out.divisions if xs else None,
                                       verify_meta=False)
        out = (X_out, y_out)
        if return_indices:
            out += (_lazy_vectors([p[2] for p in pieces], [p[3] for p in pieces], np.intp),)
        if return_provenance:
            out += (_lazy_records(pieces),)
        return out

    def take(self, b, local, n, *, numeric=False):
        """A piece: rows ``local`` (positions: delayed, or a NumPy array) of block b. With
        NumPy positions and labels, the labels and row numbers are made here, not as tasks."""
        src = self.numeric()[b] if numeric else self.parts[b]
        if isinstance(local, np.ndarray) and self.y_local is not None:
            return (delayed(_take)(src, local), self.y_local[b][local],
                    local + int(self.offsets[b]), int(n), numeric)
        return (delayed(_take)(src, local), delayed(_take)(self.y_parts[b], local),
                delayed(_shift)(local, int(self.offsets[b])), int(n), numeric)

    def take_ordered(self, locals_, sizes, order, *, numeric=False):
        """A piece from several blocks: rows ``locals_[b]`` (delayed or not; ``sizes[b]`` of
        them) of every block b taken on the block's worker, then concatenated and put in
        ``order`` in one task (for a few rows)."""
        used = [b for b in range(self.n_blocks) if sizes[b]]
        parts = [self.take(b, locals_[b], sizes[b], numeric=numeric) for b in used]
        return tuple(delayed(_concat_ordered)([p[i] for p in parts], order) for i in range(3)) \
            + (len(order), numeric)

    def whole(self, b, *, numeric=False):
        """A piece: all of block b."""
        src = self.numeric()[b] if numeric else self.parts[b]
        m = int(self.lengths[b])
        start = int(self.offsets[b])
        if self.y_local is not None:
            return (src, self.y_local[b], np.arange(start, start + m, dtype=np.intp), m,
                    numeric)
        return (src, delayed(np.asarray)(self.y_parts[b]),
                delayed(np.arange)(start, start + m, dtype=np.intp), m, numeric)

    def labels(self, b):
        """Labels of block b: a NumPy array when y is local, else a delayed block."""
        return self.y_parts[b] if self.y_local is None else self.y_local[b]


# Labels and row numbers made in this process go into the graph in chunks of this many
# values: a chunk is a task, and on a distributed cluster each costs milliseconds.
_LOCAL_CHUNK = 2**22


def _lazy_vectors(parts, lengths, dtype):
    """A 1-d dask array of the pieces ``parts`` (delayed blocks or NumPy arrays), in order.
    When every piece is a NumPy array they are joined here and chunked by _LOCAL_CHUNK,
    whatever the pieces' lengths."""
    if not parts:
        return da.zeros((0,), dtype=dtype)
    if all(isinstance(part, np.ndarray) for part in parts):
        whole = np.concatenate(parts).astype(dtype, copy=False)
        return da.from_array(whole, chunks=min(max(len(whole), 1), _LOCAL_CHUNK))
    return da.concatenate([
        da.from_array(part, chunks=-1) if isinstance(part, np.ndarray)
        else da.from_delayed(part, (int(n),), dtype=dtype)
        for part, n in zip(parts, lengths)])


def _lazy_records(pieces):
    """The provenance records of the output ``pieces`` as one lazy 1-d dask array of
    ``PROVENANCE_DTYPE``: a piece's own records when it has them, else the records of input
    rows made from its row numbers (on the workers)."""
    parts = []
    for p in (p for p in pieces if p[3] > 0):
        records = p[5] if len(p) > 5 and p[5] is not None else delayed(_prov.kept)(p[2])
        parts.append(da.from_delayed(records, (int(p[3]),), dtype=_prov.PROVENANCE_DTYPE))
    if not parts:
        return da.from_array(np.empty(0, dtype=_prov.PROVENANCE_DTYPE), chunks=-1)
    return da.concatenate(parts)


def _take(block, local):
    if hasattr(block, "iloc"):
        return block.iloc[local]
    return np.take(np.asarray(block), local, axis=0)


def _shift(local, offset):
    return np.asarray(local, dtype=np.intp) + offset


def _as_frame(block, columns, start, keep_index):
    import pandas as pd

    if isinstance(block, pd.DataFrame):
        out = block if keep_index else block.set_axis(
            pd.RangeIndex(start, start + len(block)), axis=0)
        return out
    return pd.DataFrame(block, columns=columns,
                        index=pd.RangeIndex(start, start + len(block)))


def _as_series(labels, meta, start, n, x_block, keep_index):
    import pandas as pd

    index = x_block.index if keep_index else pd.RangeIndex(start, start + n)
    return pd.Series(np.asarray(labels), name=meta.name, index=index).astype(meta.dtype)


# --------------------------------------------------------------------------------------------
# Randomness and the memory budget


def _seed_sequence(random_state):
    """The SeedSequence every block's seed is spawned from (an int seeds it directly)."""
    rs = check_random_state(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.SeedSequence(int(random_state))
    return np.random.SeedSequence(rs.randint(0, 2**32, size=4, dtype=np.uint64))


def default_gather_bytes():
    """The budget ``max_gather_bytes=None`` stands for.

    ``GATHER_FRACTION`` (a quarter) of the smallest memory limit among the workers of the
    active dask.distributed client, or, without one, a quarter of this machine's memory.

    Returns
    -------
    int

    Examples
    --------
    >>> from resamplekit.dask import default_gather_bytes
    >>> default_gather_bytes() > 0
    True
    """
    limits = []
    try:
        from distributed import get_client

        client = get_client()
        limits = [w.get("memory_limit") or 0
                  for w in client.scheduler_info()["workers"].values()]
        limits = [v for v in limits if v > 0]
    except (ImportError, ValueError):
        pass
    if not limits:
        try:
            limits = [_machine_memory()]
        except (ValueError, OSError, AttributeError):
            limits = [8 << 30]
    return int(GATHER_FRACTION * min(limits))


def _machine_memory():
    import os

    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _budget(max_gather_bytes):
    if max_gather_bytes is None:
        return default_gather_bytes()
    if isinstance(max_gather_bytes, bool) or not isinstance(max_gather_bytes, numbers.Real) \
            or not max_gather_bytes >= 0:
        raise ValueError(
            f"max_gather_bytes must be None or a number of bytes >= 0, got {max_gather_bytes!r}"
        )
    return int(max_gather_bytes)


def _broadcast(obj):
    """``obj`` as one graph node: shipped once to each worker that needs it. (Not a scattered
    future: a lazy result must not depend on futures the caller may let go of.)"""
    return delayed(obj)


# --------------------------------------------------------------------------------------------
# Sample weights: one wrapper for every block-wise function (the in-memory rule of
# resamplekit._weights, applied to the lazy provenance records)


def _blockwise(fn, arr, dtype, *args):
    """``fn(block, *args)`` on each block of the 1-d dask array ``arr``: a lazy 1-d array of
    ``dtype`` with ``arr``'s chunks."""
    parts = [da.from_delayed(delayed(fn)(block, *args), (int(m),), dtype=dtype)
             for block, m in zip(arr.to_delayed().ravel(), arr.chunks[0])]
    return da.concatenate(parts) if parts else da.from_array(np.empty(0, dtype), chunks=-1)


def _weights_of(records, w):
    return _weights_mod.resampled_weights(w, records)


def _renumbered(values, keep):
    return _weights_mod._renumber(values, keep)


def _renumbered_records(records, keep):
    records = records.copy()
    records["row"] = _weights_mod._renumber(records["row"], keep)
    records["neighbor"] = _weights_mod._renumber(records["neighbor"], keep)
    return records


def _partition_where(part, mask, starts, partition_info=None):
    start = starts[partition_info["number"]]
    return part.iloc[np.flatnonzero(mask[start:start + len(part)])]


def _rows_where(obj, mask):
    """The rows of ``obj`` (dask array, DataFrame or Series, or NumPy array) where the NumPy
    ``mask`` is True, lazily and with known block lengths."""
    if isinstance(obj, np.ndarray):
        return obj[mask]
    if isinstance(obj, da.Array):
        if any(math.isnan(c) for c in obj.chunks[0]):
            obj = obj.compute_chunk_sizes()
        return obj[mask]
    lengths = [int(m) for m in obj.map_partitions(len).compute()]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return obj.map_partitions(_partition_where, _broadcast(mask), starts, meta=obj._meta,
                              align_dataframes=False)


def _labels_left(y):
    if isinstance(y, np.ndarray):
        return np.unique(y)
    if isinstance(y, da.Array):
        return np.unique(np.concatenate(dask.compute(
            *[delayed(np.unique)(b) for b in y.to_delayed().ravel()])))
    return np.unique(y.unique().compute().to_numpy())


def _call_weighted(function, X, y, sample_weight, args, kwargs):
    """A block-wise function called with weights: as ``resamplekit._weights`` does in
    memory (rows of weight 0 left out first, the output's weights from its provenance
    records, row numbers of the whole X), every step lazy but the weights' check."""
    name = function.__name__
    want_provenance = _prov.check_flag(kwargs.pop("return_provenance", False))
    with_indices = bool(kwargs.get("return_indices", False))
    if isinstance(sample_weight, da.Array) or _is_series(sample_weight):
        sample_weight = sample_weight.compute()  # one float per row, like a NumPy y
    w = _weights_mod.check_sample_weight(sample_weight, _n_input_rows(X))
    keep = None
    if not w.all():
        mask = w > 0
        keep = np.flatnonzero(mask)
        y_arr = y if isinstance(y, (da.Array,)) or _is_series(y) else np.asarray(y)
        if not isinstance(y_arr, np.ndarray) or len(y_arr) == len(w):
            y = _rows_where(y_arr, mask)
            left = _labels_left(y)
            if len(left) < 2:
                raise ValueError(
                    f"{name}: sample_weight leaves fewer than 2 classes: only class(es) "
                    f"{left.tolist()} have rows of positive weight, and rows of weight 0 "
                    "are left out before resampling"
                )
        X = _rows_where(X, mask)
        w = w[keep]
    out = function(X, y, *args, **kwargs, return_provenance=True)
    X_res, y_res, extras, records = out[0], out[1], list(out[2:-1]), out[-1]
    w_res = _blockwise(_weights_of, records, np.float64, _broadcast(w))
    if keep is not None:
        keep_node = _broadcast(keep)
        if with_indices:
            extras[0] = _blockwise(_renumbered, extras[0], np.intp, keep_node)
        if want_provenance:
            records = _blockwise(_renumbered_records, records, _prov.PROVENANCE_DTYPE,
                                 keep_node)
    result = (X_res, y_res, w_res, *extras)
    return result + (records,) if want_provenance else result


def _weighted(function):
    """The ``sample_weight`` keyword of a block-wise function (which declares it for its
    signature and never sees a value), as ``resamplekit._weights.weighted`` in memory."""
    @functools.wraps(function)
    def wrapper(X, y, *args, sample_weight=None, **kwargs):
        if sample_weight is None:
            if "return_provenance" in kwargs:
                kwargs["return_provenance"] = _prov.check_flag(kwargs["return_provenance"])
            return function(X, y, *args, **kwargs)
        return _call_weighted(function, X, y, sample_weight, args, kwargs)

    return wrapper


# --------------------------------------------------------------------------------------------
# random_under, random_over


def _under_block(labels, classes, quotas, replacement, seed):
    codes = _codes(labels, classes)
    rng = np.random.Generator(np.random.PCG64(seed))
    out = []
    for c, q in enumerate(quotas):
        rows = np.flatnonzero(codes == c)
        if q >= 0:
            rows = rows[rng.choice(len(rows), size=int(q), replace=bool(replacement))]
        out.append(rows)
    return out


def _pick(lists, c):
    return lists[c]


def _pick_from(lists, c):
    """lists[c] now (lists computed here) or as a task (lists delayed)."""
    return lists[c] if isinstance(lists, list) else delayed(_pick)(lists, c)


@_weighted
def random_under(X, y, *, ratio="auto", replacement=False, random_state=None,
                 return_indices=False, sample_weight=None, return_provenance=False):
    """Randomly keep a subset of the rows of each targeted class, block by block.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Any values (rows are only picked). Chunked by rows; column chunks are merged.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
        Class labels; rechunked to X's row chunks when they differ.
    ratio : str, float, dict or callable, default="auto"
        As :func:`resamplekit.random_under` (the number of rows to keep per class). A
        callable gets the labels sorted (the counts are what it can rely on).
    replacement : bool, default=False
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.random_under` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.random_under`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows class by class in sorted label order; inside a class block by block, and
        inside a block in draw order (targeted classes) or input order (other classes). A
        DataFrame keeps the index labels of the rows kept.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    Exactly :func:`resamplekit.random_under`'s class counts for every ``ratio``. Each targeted
    class's quota is split across the blocks by one multivariate hypergeometric draw (with
    ``replacement=True``: one multinomial draw, block weights proportional to the class's rows
    in the block), so every subset of the class is equally likely, as in memory. Block ``b``
    then draws its rows with ``numpy.random.Generator(PCG64(s_b))``, ``s_b`` the b-th child of
    ``SeedSequence(random_state)``. The result depends on the seed and the chunking only (not
    on the scheduler or the number of workers), but the rows differ from the in-memory
    function's for the same seed: that one makes one draw per class over all the class's rows
    with imbalanced-learn's ``RandomState`` stream, which cannot be split across blocks.
    Eager work: one pass over y (class counts per block); with y a NumPy array, the counts
    and the draws are made in this process and the graph only takes rows.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from resamplekit.dask import random_under
    >>> X = da.from_array(np.arange(40).reshape(20, 2), chunks=(7, 2))
    >>> y = np.array([0] * 14 + [1] * 6)
    >>> X_res, y_res = random_under(X, y, random_state=0)
    >>> np.bincount(y_res.compute()).tolist()
    [6, 6]
    """
    data = _Data(X, y, "random_under")
    if not isinstance(replacement, (bool, np.bool_)):
        raise TypeError(f"replacement must be True or False, got {replacement!r}")
    targets = data.targets(ratio, "under")
    seq = _seed_sequence(random_state)
    children = seq.spawn(data.n_blocks + 1)
    rng = np.random.Generator(np.random.PCG64(children[0]))
    quotas = -np.ones((data.n_blocks, data.n_classes), dtype=np.int64)
    for c in range(data.n_classes):
        col = data.block_counts[:, c]
        if c in targets:
            if replacement:
                quotas[:, c] = rng.multinomial(int(targets[c]), col / col.sum())
            else:
                quotas[:, c] = rng.multivariate_hypergeometric(col, int(targets[c]))
        else:
            quotas[:, c] = -1
    draw = _under_block if data.y_local is not None else delayed(_under_block, nout=None)
    draws = [draw(data.labels(b), data.classes, quotas[b], bool(replacement), children[b + 1])
             for b in range(data.n_blocks)]
    pieces = []
    for c in range(data.n_classes):
        for b in range(data.n_blocks):
            n = quotas[b, c] if quotas[b, c] >= 0 else data.block_counts[b, c]
            pieces.append(data.take(b, _pick_from(draws[b], c), n))
    return data.output(pieces, return_indices=return_indices, keep_index=True,
                       return_provenance=return_provenance)


def _over_block(labels, classes, quotas, seed):
    codes = _codes(labels, classes)
    rng = np.random.Generator(np.random.PCG64(seed))
    out = []
    for c, q in enumerate(quotas):
        rows = np.flatnonzero(codes == c) if q > 0 else np.empty(0, dtype=np.intp)
        out.append(rows[rng.integers(0, len(rows), size=int(q))] if q > 0 else rows)
    return out


def _smoothed_block(block, local, scale, seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    noise = rng.standard_normal((len(local), block.shape[1]))
    noise *= scale
    noise += block[local]
    return noise.astype(block.dtype, copy=False)


def _moments(block, codes, n_classes):
    """Per class: row count, sum and sum of squared deviations from the block mean."""
    out = []
    for c in range(n_classes):
        rows = block[codes == c].astype(np.float64)
        n = rows.shape[0]
        mean = rows.mean(axis=0) if n else np.zeros(block.shape[1])
        out.append((n, mean, ((rows - mean) ** 2).sum(axis=0)))
    return out


def _class_std(data, codes_needed):
    """Per class standard deviation of the numeric X (Chan's parallel merge of moments)."""
    blocks = data.numeric()
    parts = dask.compute(*[delayed(_moments)(blocks[b], data.codes(b), data.n_classes)
                           for b in range(data.n_blocks)])
    out = {}
    for c in codes_needed:
        n, mean, m2 = 0, np.zeros(data.n_features), np.zeros(data.n_features)
        for part in parts:
            nb, mb, m2b = part[c]
            if nb == 0:
                continue
            delta = mb - mean
            tot = n + nb
            mean = mean + delta * nb / tot
            m2 = m2 + m2b + delta ** 2 * n * nb / tot
            n = tot
        out[c] = np.sqrt(m2 / n).astype(data.num_dtype)
    return out


@_weighted
def random_over(X, y, *, ratio="auto", shrinkage=None, random_state=None,
                return_indices=False, sample_weight=None, return_provenance=False):
    """Randomly repeat rows of the targeted classes (bootstrap), block by block.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Without ``shrinkage`` any values; with it numeric and finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    ratio : str, float, dict or callable, default="auto"
        As :func:`resamplekit.random_over` (the final count per class).
    shrinkage : None, float or dict, default=None
        As :func:`resamplekit.random_over`: Gaussian noise ``shrinkage * h * std_c`` per
        feature (the class's standard deviation is computed block-wise, one pass over X).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
    return_indices : bool, default=False
        Also return the global row number each output row comes from.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.random_over` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.random_over`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        All input rows in order, then the new rows class by class in sorted label order, block
        by block inside a class.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    Exactly :func:`resamplekit.random_over`'s class counts. Each class's number of new rows is
    split across the blocks by one multinomial draw (block weights proportional to the class's
    rows in the block), and block ``b`` draws its rows uniformly with replacement (and its
    noise) from ``Generator(PCG64(s_b))``, ``s_b`` the b-th child of
    ``SeedSequence(random_state)``: together a uniform draw with replacement over the class, as
    in memory. The result depends on the seed and the chunking only; the rows differ from the
    in-memory function's for the same seed, which draws from one imbalanced-learn
    ``RandomState`` stream per call, a stream that cannot be split across blocks.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from resamplekit.dask import random_over
    >>> X = da.from_array(np.arange(40.0).reshape(20, 2), chunks=(7, 2))
    >>> y = np.array([0] * 14 + [1] * 6)
    >>> X_res, y_res, idx = random_over(X, y, random_state=0, return_indices=True)
    >>> X_res.shape, np.bincount(y_res.compute()).tolist()
    ((28, 2), [14, 14])
    >>> bool((X_res.compute() == X.compute()[idx.compute()]).all())
    True
    """
    data = _Data(X, y, "random_over")
    targets = data.targets(ratio, "over")
    factors = None if shrinkage is None else _over_mod._shrinkage_factors(
        shrinkage, targets, data.classes)
    seq = _seed_sequence(random_state)
    children = seq.spawn(data.n_blocks + 1)
    rng = np.random.Generator(np.random.PCG64(children[0]))
    quotas = np.zeros((data.n_blocks, data.n_classes), dtype=np.int64)
    for c, n_new in targets.items():
        col = data.block_counts[:, c]
        quotas[:, c] = rng.multinomial(int(n_new), col / col.sum())
    numeric = factors is not None
    scales = {}
    if numeric:
        data.numeric()
        d = data.n_features
        h = (4 / ((d + 2) * data.n_samples)) ** (1 / (d + 4))
        stds = _class_std(data, list(targets))
        scales = {c: factors[c] * h * stds[c] for c in targets}
    draw = _over_block if data.y_local is not None else delayed(_over_block)
    draws = [draw(data.labels(b), data.classes, quotas[b], children[b + 1])
             for b in range(data.n_blocks)]
    noise_seeds = [s.spawn(1)[0] for s in children[1:]] if numeric else None
    pieces = [data.whole(b, numeric=numeric) for b in range(data.n_blocks)]
    for c in targets:
        for b in range(data.n_blocks):
            local = _pick_from(draws[b], c)
            piece = data.take(b, local, quotas[b, c], numeric=numeric)
            if numeric:
                seed = noise_seeds[b].spawn(1)[0]
                x = delayed(_smoothed_block)(data.numeric()[b], local, scales[c], seed)
                piece = (x,) + piece[1:] + (delayed(_prov.kept)(piece[2], "smoothed"),)
            pieces.append(piece)
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# SMOTE: the classes gathered, the synthesis spread over blocks of new rows


def _class_rows(block, codes, offset, wanted):
    """Rows of each wanted class in a block, and their global row numbers."""
    return [(block[codes == c], np.flatnonzero(codes == c) + offset) for c in wanted]


def _smote_draws(n_c, k, state_int, state_uniform, n):
    """The in-memory ``_draw_segments`` draws of one piece of ``n`` new rows, from the
    RandomState states recorded at the piece's start: base rows (positions in the class),
    neighbour slots and steps."""
    rs = np.random.RandomState()
    rs.set_state(state_int)
    draws = rs.randint(low=0, high=n_c * k, size=n)
    rs.set_state(state_uniform)
    steps = np.ascontiguousarray(1.0 * rs.uniform(size=n), dtype=np.float64)
    return (np.floor_divide(draws, k).astype(np.intp, copy=False),
            np.mod(draws, k).astype(np.intp, copy=False), steps)


def _smote_piece(shared, k, state_int, state_uniform, n):
    """New rows ``n`` draws into the stream: the in-memory ``_draw_segments`` and
    ``interpolate``, from the RandomState states recorded at this piece's draws."""
    X_c, nns = shared
    rows, slots, steps = _smote_draws(X_c.shape[0], k, state_int, state_uniform, n)
    nbrs = np.ascontiguousarray(nns[rows, slots], dtype=np.intp)
    out = np.empty((n, X_c.shape[1]), dtype=X_c.dtype)
    interpolate(X_c, rows, X_c, nbrs, steps, out, 1)
    return out


def _smote_records(shared, k, state_int, state_uniform, n):
    """The provenance records of the piece ``_smote_piece`` makes from the same states:
    ``shared`` holds the class's global row numbers and its neighbour lists."""
    ids, nns = shared
    rows, slots, steps = _smote_draws(ids.shape[0], k, state_int, state_uniform, n)
    return _prov.made(ids[rows], ids[nns[rows, slots]], steps)


# SMOTE with a class searched block-wise (it does not fit one process): each piece of new
# rows redraws its base rows and slots, looks their neighbours up in the lists of the view
# blocks that hold the base rows, fetches base and neighbour rows from X's blocks and
# interpolates them: the same rows and arithmetic as the gathered path.

def _base_lookup(draws, lists, start, stop):
    """For the draws whose base row (a class position) lies in [start, stop) (one view
    block): their positions in the piece, base rows (block positions) and neighbours
    (global rows)."""
    rows, slots, _ = draws
    at = np.flatnonzero((rows >= start) & (rows < stop))
    local = rows[at] - start
    return at, local, lists[1][local, slots[at]]


def _rows_of_block(lookups, start, stop):
    """The neighbours (global rows) of a piece that lie in X's block [start, stop), unique
    and ascending, as block positions."""
    nbrs = np.concatenate([lk[2] for lk in lookups]) if lookups else np.empty(0, np.intp)
    inside = np.unique(nbrs[(nbrs >= start) & (nbrs < stop)])
    return inside - start


def _assemble_piece(draws, lookups, bases, block_rows, fetched, offsets, n_features, dtype):
    """The new rows of a piece: base rows from the view blocks, neighbour rows from X's
    blocks, then ``interpolate`` as in memory."""
    rows, _, steps = draws
    n = len(rows)
    A = np.empty((n, n_features), dtype=dtype)
    nbr_global = np.empty(n, dtype=np.intp)
    for (at, _, nbr), base in zip(lookups, bases):
        A[at] = base
        nbr_global[at] = nbr
    pool_ids = np.concatenate([loc + off for loc, off in zip(block_rows, offsets)])
    pool = (np.concatenate(fetched) if fetched else np.empty((0, n_features), dtype=dtype))
    order = np.argsort(pool_ids, kind="stable")
    pool_ids, pool = pool_ids[order], np.ascontiguousarray(pool[order])
    nbrs = np.searchsorted(pool_ids, nbr_global).astype(np.intp, copy=False)
    out = np.empty((n, n_features), dtype=dtype)
    interpolate(np.ascontiguousarray(A), np.arange(n, dtype=np.intp), pool, nbrs, steps, out,
                1)
    return out


def _blockwise_records(draws, lookups, base_ids):
    """The provenance records of a piece of ``_assemble_piece``: ``base_ids`` are the global
    row numbers of the base rows each view block holds."""
    rows, _, steps = draws
    base = np.empty(len(rows), dtype=np.intp)
    nbr = np.empty(len(rows), dtype=np.intp)
    for (at, _, nbr_global), ids in zip(lookups, base_ids):
        base[at] = ids
        nbr[at] = nbr_global
    return _prov.made(base, nbr, steps)


def _class_view(data, c):
    """The rows of class c as the blocks of an ``_AliveView`` (for a search inside the
    class; its block j holds the class positions ``view.offsets[j]`` onwards)."""
    counts = np.zeros_like(data.block_counts)
    counts[:, c] = data.block_counts[:, c]
    alive = [delayed(_class_local)(data.codes(b), c) for b in range(data.n_blocks)]
    return _AliveView(data, alive, counts)


def _smote_blockwise_pieces(data, c, k, n_new, piece, rs, n_jobs, records=False):
    """Output pieces of the new rows of class c with its neighbours searched block-wise
    (with their provenance records when ``records``)."""
    view = _class_view(data, c)
    lists, _, _ = _block_search(view, k, lazy=True, n_jobs=n_jobs)
    n_c = int(data.counts[c])
    high = n_c * k
    s_int = _stream_states(rs, n_new, piece, lambda m: rs.randint(low=0, high=high, size=m))
    s_uni = _stream_states(rs, n_new, piece, lambda m: rs.uniform(size=m))
    blocks = data.numeric()
    pieces = []
    for i, start in enumerate(range(0, n_new, piece)):
        m = min(piece, n_new - start)
        draws = delayed(_smote_draws)(n_c, k, s_int[i], s_uni[i], m)
        lookups, bases, base_ids = [], [], []
        for j in range(view.n_blocks):
            lo, hi = int(view.offsets[j]), int(view.offsets[j] + view.lengths[j])
            lk = delayed(_base_lookup)(draws, lists[j], lo, hi)
            lookups.append(lk)
            bases.append(delayed(_take)(view.numeric()[j], delayed(_pick)(lk, 1)))
            if records:
                base_ids.append(delayed(_take)(view.row_ids(j), delayed(_pick)(lk, 1)))
        block_rows, fetched = [], []
        for b in range(data.n_blocks):
            lo, hi = int(data.offsets[b]), int(data.offsets[b] + data.lengths[b])
            loc = delayed(_rows_of_block)(lookups, lo, hi)
            block_rows.append(loc)
            fetched.append(delayed(_take)(blocks[b], loc))
        x = delayed(_assemble_piece)(draws, lookups, bases, block_rows, fetched,
                                     [int(o) for o in data.offsets], data.n_features,
                                     data.num_dtype)
        label = delayed(np.full)(m, data.classes[c], dtype=data.y_dtype)
        made = delayed(_blockwise_records)(draws, lookups, base_ids) if records else None
        pieces.append((x, label, delayed(np.full)(m, -1, dtype=np.intp), m, True, made))
    return pieces


def _stream_states(rs, n_total, piece, draw):
    """The RandomState states at the start of each piece of ``n_total`` draws (advancing rs
    exactly as one call of ``n_total`` draws would)."""
    states = []
    for start in range(0, n_total, piece):
        states.append(rs.get_state())
        draw(min(piece, n_total - start))
    return states


def _exact_only(neighbors, method):
    """The block-wise searches are exact: ``neighbors='approximate'`` is refused."""
    if _check_neighbors(neighbors, method) != "exact":
        raise ValueError(
            f"{method}: neighbors='approximate' is not available over dask (the block-wise "
            "search is exact); use neighbors='exact', or the in-memory function on data that "
            "fits one process"
        )


def _gather_check(method, need, budget, what, alternative):
    if need > budget:
        raise ValueError(
            f"{method}: {what} needs {need:,} bytes in one process, more than "
            f"max_gather_bytes={budget:,}; raise max_gather_bytes (workers with more memory), "
            f"or {alternative}"
        )


@_weighted
def smote(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None, return_indices=False,
          sample_weight=None, return_provenance=False, max_gather_bytes=None,
          rows_per_block=None):
    """SMOTE over a dask array: the classes to over-sample gathered, the synthesis spread.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite (checked block by block when computed).
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, ratio, random_state, n_jobs
        As :func:`resamplekit.smote` (``n_jobs``: threads of the neighbour search of the
        gathered classes).
    return_indices : bool, default=False
        Also return the global row number of each output row (-1 for a new row).
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.smote` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.smote`'s provenance records, last.
    max_gather_bytes : int or None, default=None
        Most bytes the gathered classes (their rows and neighbour lists) may take in one
        process; None: :func:`default_gather_bytes` (a quarter of the smallest worker's
        memory). Classes are gathered smallest first while they fit; the others are
        searched block-wise (see Notes). 0 gathers nothing.
    rows_per_block : int or None, default=None
        New rows per output block (None: the largest block of X).

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        X's blocks (as float32/float64), then the new rows class by class.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    The rows of each class to over-sample are gathered (one pass over X and y), their
    neighbours found by :func:`resamplekit._neighbors.kneighbors` and the random draws made
    with the in-memory function's stream and call order; the driver only records the stream's
    state at the start of each block of new rows, and the workers redraw their block's values
    and interpolate (the gathered class broadcast once). So with an integer ``random_state``
    the new rows equal :func:`resamplekit.smote`'s, to the bit.

    A class that does not fit ``max_gather_bytes`` is not gathered: its neighbours are found
    by the block-wise search (:func:`kneighbors`, over the class's rows), kept on the
    workers, and each block of new rows redraws its base rows, looks their neighbours up and
    fetches the base and neighbour rows from X's blocks. The new rows are the same (same
    draws, same exact neighbours, same arithmetic); what changes is the cost: the search is
    block-wise (quadratic in the class's rows when its blocks cannot be pruned, as in memory)
    and every block of new rows reads from every block of X. No process holds more than one
    block of X, one block of new rows and their neighbour lists.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import smote
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = smote(da.from_array(X, chunks=30), y, random_state=0)
    >>> bool((X_res.compute() == resamplekit.smote(X, y, random_state=0)[0]).all())
    True
    """
    data = _Data(X, y, "smote")
    k = check_int(k, "k", minimum=1)
    n_jobs = check_n_jobs(n_jobs)
    budget = _budget(max_gather_bytes)
    targets = {int(c): int(n) for c, n in data.targets(ratio, "over").items() if n > 0}
    for c in targets:
        _over_mod._check_class_size(data, c, k, "smote")
    blocks = data.numeric()
    width = data.n_features * data.num_dtype.itemsize + 8 * (k + 1)
    # The classes gathered while they fit the budget (smallest first); the others searched
    # block-wise. Either way the same rows.
    gathered, used = [], 0
    for c in sorted(targets, key=lambda c: (data.counts[c], c)):
        need = int(data.counts[c]) * width
        if used + need <= budget:
            gathered.append(c)
            used += need
    if rows_per_block is not None:
        rows_per_block = check_int(rows_per_block, "rows_per_block", minimum=1)
    per_block = dask.compute(*[
        delayed(_class_rows)(blocks[b], data.codes(b), int(data.offsets[b]), gathered)
        for b in range(data.n_blocks)
    ]) if gathered else None
    piece = int(rows_per_block or max(data.lengths))
    pieces = [data.whole(b, numeric=True) for b in range(data.n_blocks)]
    for c, n_new in targets.items():
        if c not in gathered:
            rs = check_random_state(random_state)
            pieces += _smote_blockwise_pieces(data, c, k, n_new, piece, rs,
                                              _task_threads(n_jobs), records=return_provenance)
            continue
        j = gathered.index(c)
        X_c = np.concatenate([per_block[b][j][0] for b in range(data.n_blocks)])
        nns = np.ascontiguousarray(_kneighbors(X_c, k, n_jobs=n_jobs)[1])
        rs = check_random_state(random_state)
        high = X_c.shape[0] * k
        s_int = _stream_states(rs, n_new, piece,
                               lambda m: rs.randint(low=0, high=high, size=m))
        s_uni = _stream_states(rs, n_new, piece, lambda m: rs.uniform(size=m))
        shared = _broadcast((X_c, nns))
        if return_provenance:
            ids = _broadcast((np.concatenate([per_block[b][j][1] for b in range(data.n_blocks)]),
                              nns))
        for i, start in enumerate(range(0, n_new, piece)):
            m = min(piece, n_new - start)
            x = delayed(_smote_piece)(shared, k, s_int[i], s_uni[i], m)
            label = delayed(np.full)(m, data.classes[c], dtype=data.y_dtype)
            records = (delayed(_smote_records)(ids, k, s_int[i], s_uni[i], m)
                       if return_provenance else None)
            pieces.append((x, label, delayed(np.full)(m, -1, dtype=np.intp), m, True, records))
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# Block-wise exact neighbour search


def _global_rows(i, ids_r):
    """Block positions ``i`` as global row numbers: ``ids_r`` is the block's first row
    number, or the row number of each of its rows (increasing)."""
    return ids_r[i] if isinstance(ids_r, np.ndarray) else i + ids_r


def _search_pair(Xr, codes_r, k, ids_r, Q, inside, n_jobs=1):
    """The k nearest rows of block r for the query rows ``Q`` of a query group, in global row
    numbers (``ids_r``: see ``_global_rows``), with their class codes: ``kneighbors`` on the
    pair. ``inside`` is None, or ``(start, local)`` when the queries
    ``Q[start:start + len(local)]`` are the rows ``local`` of block r itself: those are
    searched with ``rows=local``, each excluded by index."""
    n_q = Q.shape[0]
    n_r = Xr.shape[0]
    dist = np.full((n_q, k), np.inf)
    ind = np.full((n_q, k), _NO_INDEX, dtype=np.intp)
    lab = np.full((n_q, k), -1, dtype=np.intp)
    own = np.zeros(n_q, dtype=bool)
    if inside is not None:
        start, local = inside
        own[start:start + len(local)] = True
        kk = min(k, n_r - 1)
        if len(local) and kk >= 1:
            d, i = _kneighbors(Xr, kk, rows=local, n_jobs=n_jobs)
            sl = slice(start, start + len(local))
            dist[sl, :kk], ind[sl, :kk], lab[sl, :kk] = d, _global_rows(i, ids_r), codes_r[i]
    others = np.flatnonzero(~own)
    kk = min(k, n_r)
    if len(others) and kk >= 1:
        d, i = _kneighbors(Xr, kk, Y=Q[others], n_jobs=n_jobs)
        dist[others, :kk], ind[others, :kk], lab[others, :kk] = (
            d, _global_rows(i, ids_r), codes_r[i])
    return dist, ind, lab


def _merge(a, b, k):
    """Two candidate lists merged by (distance, global row), the k first kept."""
    dist = np.hstack([a[0], b[0]])
    ind = np.hstack([a[1], b[1]])
    lab = np.hstack([a[2], b[2]])
    order = np.lexsort((ind, dist), axis=-1)[:, :k]
    return (np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1),
            np.take_along_axis(lab, order, 1))


def _tree(items, combine):
    while len(items) > 1:
        items = [combine(items[i], items[i + 1]) if i + 1 < len(items) else items[i]
                 for i in range(0, len(items), 2)]
    return items[0]


def _query_rows(blocks, rows):
    """The query rows of a group of blocks, concatenated (all rows of a block when None)."""
    return np.concatenate([X if r is None else X[r] for X, r in zip(blocks, rows)])


def _bounds(lists, Q, k):
    """The largest k-th distance so far among the group's queries (-inf without queries),
    and the bounding box of the queries."""
    if Q.shape[0] == 0:
        return -np.inf, None, None
    return (float(lists[0][:, k - 1].max()), Q.min(axis=0).astype(np.float64),
            Q.max(axis=0).astype(np.float64))


def _box(X):
    return X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)


def _box_gap(lo_a, hi_a, lo_b, hi_b):
    gap = np.maximum(0.0, np.maximum(lo_b - hi_a, lo_a - hi_b))
    return float(np.sqrt(np.sum(gap * gap)))


def _targeted_rows(codes, mask):
    return np.flatnonzero(mask[codes])


def _slice_lists(lists, start, stop):
    return tuple(a[start:stop] for a in lists)


def _query_groups(n_queries, limit):
    """Consecutive blocks grouped so that a group holds at most ``limit`` query rows (a block
    with more is a group of its own); blocks without queries are left out."""
    groups, current, size = [], [], 0
    for b, m in enumerate(n_queries):
        if m == 0:
            continue
        if current and size + m > limit:
            groups.append(current)
            current, size = [], 0
        current.append(b)
        size += int(m)
    if current:
        groups.append(current)
    return groups


def _ids(data, b):
    """Block b's row numbers for ``_search_pair``: its first row's number, or (a view of some
    rows, ``_AliveView``) the delayed row number of each of its rows."""
    return data.row_ids(b) if hasattr(data, "row_ids") else int(data.offsets[b])


def _block_search(data, k, query_mask=None, *, query_rows=None, lazy=False, n_jobs=1):
    """Per block, delayed (dist, global ind, class codes) of the k nearest other rows of its
    query rows (the rows of the classes set in ``query_mask``; or ``query_rows``:
    ``(rows, counts)``, each block's query rows, ascending positions, and their number; all
    rows when both are None), exactly kneighbors' lists over all of X; the query rows of each
    block; and the number of (query group, row block) pairs searched.

    Query rows are grouped over consecutive blocks (up to the largest block's length: a
    group of few queries, such as one small class, is searched against each block of rows
    once). First each group is searched against its own blocks (persisted on the workers),
    which bounds every query's k-th distance; then only the blocks whose bounding box can hold
    a nearer row are searched, and the lists are merged in a tree. With ``lazy=True`` the
    lists do not reuse the persisted first step (it is searched again when computed), so
    that a lazy result holds no future the caller could let go of."""
    blocks = data.numeric()
    B = data.n_blocks
    if query_rows is not None:
        rows, n_queries = list(query_rows[0]), np.asarray(query_rows[1], dtype=np.int64)
    elif query_mask is None:
        n_queries = data.lengths
        rows = [None] * B
    else:
        n_queries = data.block_counts[:, query_mask].sum(axis=1)
        rows = [delayed(_targeted_rows)(data.codes(b), query_mask) for b in range(B)]
    groups = _query_groups(n_queries, int(max(data.lengths)))
    queries, starts, firsts = [], [], []
    for g in groups:
        Q = delayed(_query_rows)([blocks[b] for b in g], [rows[b] for b in g])
        seg = np.concatenate(([0], np.cumsum([n_queries[b] for b in g]))).astype(np.int64)
        local = [delayed(np.arange)(int(data.lengths[b])) if rows[b] is None else rows[b]
                 for b in g]
        pairs = [delayed(_search_pair)(blocks[b], data.codes(b), k, _ids(data, b), Q,
                                       (int(seg[i]), local[i]), n_jobs)
                 for i, b in enumerate(g)]
        first = _tree(pairs, lambda a, c: delayed(_merge)(a, c, k))
        queries.append(Q)
        starts.append(seg)
        firsts.append(first)
    persisted = dask.persist(*queries, *firsts)
    queries_p, firsts_p = persisted[:len(groups)], persisted[len(groups):]
    small = dask.compute(
        [delayed(_bounds)(f, Q, k) for f, Q in zip(firsts_p, queries_p)],
        [delayed(_box)(blocks[b]) for b in range(B)],
    )
    bounds, boxes = small
    lists = [None] * B
    n_pairs = 0
    for j, g in enumerate(groups):
        kth, lo_q, hi_q = bounds[j]
        Q = queries[j] if lazy else queries_p[j]
        cands = [firsts[j] if lazy else firsts_p[j]]
        n_pairs += len(g)
        for r in range(B):
            if r in g or kth == -np.inf:
                continue
            # Prune only what provably holds no neighbour (a margin for rounding).
            if _box_gap(lo_q, hi_q, *boxes[r]) > kth * (1 + 1e-9):
                continue
            n_pairs += 1
            cands.append(delayed(_search_pair)(blocks[r], data.codes(r), k,
                                               _ids(data, r), Q, None, n_jobs))
        merged = _tree(cands, lambda a, c: delayed(_merge)(a, c, k))
        for i, b in enumerate(g):
            lists[b] = delayed(_slice_lists)(merged, int(starts[j][i]), int(starts[j][i + 1]))
    empty = (np.empty((0, k)), np.empty((0, k), dtype=np.intp), np.empty((0, k), dtype=np.intp))
    lists = [delayed(empty) if lst is None else lst for lst in lists]
    return lists, [delayed(np.empty)(0, dtype=np.intp) if r is None and n_queries[b] == 0
                   else r for b, r in enumerate(rows)], n_pairs


def _task_threads(n_jobs):
    return 1 if n_jobs is None else check_n_jobs(n_jobs)


def kneighbors(X, k, *, n_jobs=None):
    """Exact k nearest other rows of every row of a dask array, block by block.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    k : int
        Neighbours per row, ``1 <= k < n_samples``.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1; dask runs the tasks in
        parallel). The result does not depend on it.

    Returns
    -------
    distances : dask array of shape (n_samples, k), float64 (lazy)
    indices : dask array of shape (n_samples, k), intp (lazy)
        Global row numbers.

    Notes
    -----
    For each block of queries, :func:`resamplekit._neighbors.kneighbors` runs against every
    block of rows (itself excluded by index in its own block), and the lists are merged by
    (distance, global row) in a tree. The self pairs run first (eagerly); a block
    whose bounding box is farther from the query block's box than every query's k-th
    distance so far cannot hold a neighbour and is skipped (blocks of rows sorted or
    clustered in space prune well; blocks of random rows cannot be pruned). The distances
    are kneighbors' exact float64 distances, so the lists equal kneighbors(X, k) on the same
    data, ties (by lower row) and duplicates included. Eager work: the self pairs and the
    blocks' bounding boxes (the lazy result searches the self pairs again when computed).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from resamplekit._neighbors import kneighbors as kneighbors_in_memory
    >>> from resamplekit.dask import kneighbors
    >>> X = np.random.default_rng(0).normal(size=(50, 3))
    >>> dist, ind = kneighbors(da.from_array(X, chunks=12), 4)
    >>> bool((ind.compute() == kneighbors_in_memory(X, 4)[1]).all())
    True
    """
    data = _Data(X, None, "kneighbors", labels=False)
    k = check_int(k, "k", minimum=1)
    _cleaning_mod._check_k_rows(k, data.n_samples)
    lists, _, _ = _block_search(data, k, lazy=True, n_jobs=_task_threads(n_jobs))
    dist = da.concatenate([da.from_delayed(delayed(_pick)(lst, 0), (int(m), k), dtype=np.float64)
                           for lst, m in zip(lists, data.lengths)])
    ind = da.concatenate([da.from_delayed(delayed(_pick)(lst, 1), (int(m), k), dtype=np.intp)
                          for lst, m in zip(lists, data.lengths)])
    return dist, ind


# --------------------------------------------------------------------------------------------
# Cleaning on the block-wise lists


def _enn_removed(lists, codes, rows, k, mode):
    """The in-memory ENN vote (``_cleaning.enn_keep``) on one block's lists, whose neighbours'
    labels travel with them: the query rows ``rows`` (local, ascending) it removes."""
    m = len(rows)
    if not m:
        return np.asarray(rows, dtype=np.intp)
    y_local = np.ascontiguousarray(np.concatenate([codes[rows], lists[2].ravel()]),
                                   dtype=np.intp)
    nbr = np.ascontiguousarray((m + np.arange(m * k)).reshape(m, k), dtype=np.intp)
    vote = _cleaning.enn_keep(nbr, np.arange(m, dtype=np.intp), y_local, k, mode, False,
                              1).view(bool)
    return rows[~vote]


def _enn_block(lists, codes, rows, k, mode, n_classes):
    """ENN on one block's lists: the kept local rows, per class, ascending."""
    keep = np.ones(len(codes), dtype=bool)
    keep[_enn_removed(lists, codes, rows, k, mode)] = False
    return [np.flatnonzero(keep & (codes == c)) for c in range(n_classes)]


@_weighted
def edited_nearest_neighbours(X, y, *, k=3, kind_sel="all", ratio="auto", n_jobs=None,
                              neighbors="exact", return_indices=False, sample_weight=None,
                              return_provenance=False):
    """Edited nearest neighbours over a dask array, with the block-wise exact search.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, kind_sel, ratio
        As :func:`resamplekit.edited_nearest_neighbours`.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1).
    neighbors : {'exact'}, default='exact'
        The block-wise search is exact; 'approximate' (in memory only) is refused.
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.edited_nearest_neighbours` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.edited_nearest_neighbours`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows, class by class, ascending row number inside a class: the rows
        :func:`resamplekit.edited_nearest_neighbours` keeps, in its order.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    The neighbours of the targeted rows come from the block-wise search (see
    :func:`kneighbors`), each carrying its label, and the in-memory vote runs on each block's
    lists. Eager work: the search and the votes (one kept flag per row is brought back); the
    output rows are gathered lazily from X's blocks.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import edited_nearest_neighbours
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] + rng.normal(size=200) > 1).astype(int)
    >>> idx = edited_nearest_neighbours(da.from_array(X, chunks=64), y, return_indices=True)[2]
    >>> expected = resamplekit.edited_nearest_neighbours(X, y, return_indices=True)[2]
    >>> bool((idx.compute() == expected).all())
    True
    """
    _exact_only(neighbors, "edited_nearest_neighbours")
    data = _Data(X, y, "edited_nearest_neighbours")
    k = check_int(k, "k")
    mode = _cleaning_mod._check_kind_sel(kind_sel)
    codes, mask = _targeted(data, ratio)
    _cleaning_mod._check_k_rows(k, data.n_samples)
    lists, rows, _ = _block_search(data, k, mask, n_jobs=_task_threads(n_jobs))
    kept = dask.compute(*[delayed(_enn_block)(lists[b], data.codes(b), rows[b], k, mode,
                                              data.n_classes) for b in range(data.n_blocks)])
    pieces = [data.take(b, kept[b][c], len(kept[b][c]))
              for c in range(data.n_classes) for b in range(data.n_blocks)]
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


def _targeted(data, ratio):
    codes = list(data.targets(ratio, "clean"))
    mask = np.zeros(data.n_classes, dtype=bool)
    mask[codes] = True
    return codes, mask


def _nn_of(lists):
    return lists[1][:, 0], lists[2][:, 0]


def _nn_lookup(nn_q, nn_r, offset_r):
    """nn[nn_q] where nn_q falls in block r (its nearest rows' own nearest row), else -1."""
    out = np.full(len(nn_q), -1, dtype=np.intp)
    inside = (nn_q >= offset_r) & (nn_q < offset_r + len(nn_r))
    out[inside] = nn_r[nn_q[inside] - offset_r]
    return out


def _tomek_block(nn_pair, nnn, codes, offset, targeted):
    """The in-memory rule (``_cleaning.tomek_link_mask``) on one block: local rows 0..m-1,
    their nearest rows as m..2m-1 (pointing back at their row when the pair is mutual)."""
    nn, lab = nn_pair
    m = len(nn)
    own = np.arange(m, dtype=np.intp)
    back = np.where(nnn == offset + own, own, m + own)
    nn_local = np.ascontiguousarray(np.concatenate([m + own, back]), dtype=np.intp)
    y_local = np.ascontiguousarray(np.concatenate([codes, lab]), dtype=np.intp)
    remove = np.zeros(2 * m, dtype=np.uint8)
    _cleaning.tomek_link_mask(nn_local, y_local, targeted, remove)
    return np.flatnonzero(remove[:m] == 0)


@_weighted
def tomek_links(X, y, *, ratio="auto", n_jobs=None, neighbors="exact", return_indices=False,
                sample_weight=None, return_provenance=False):
    """Remove Tomek links over a dask array, with the block-wise exact search.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    ratio : str or list, default="auto"
        As :func:`resamplekit.tomek_links`.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1).
    neighbors : {'exact'}, default='exact'
        The block-wise search is exact; 'approximate' (in memory only) is refused.
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.tomek_links` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.tomek_links`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows in input order: the rows :func:`resamplekit.tomek_links` keeps.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    Each row's nearest other row comes from the block-wise search; whether the pair is
    mutual is read block pair by block pair (the nearest rows' own nearest rows), and the
    in-memory rule marks the links. Eager work: the search and one kept flag per row.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from resamplekit.dask import tomek_links
    >>> X = np.array([[0.0], [1.0], [2.0], [2.4], [5.0], [6.0], [7.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1])
    >>> tomek_links(da.from_array(X, chunks=3), y, return_indices=True)[2].compute()
    array([0, 1, 2, 4, 5, 6])
    """
    _exact_only(neighbors, "tomek_links")
    data = _Data(X, y, "tomek_links")
    codes, mask = _targeted(data, ratio)
    lists, _, _ = _block_search(data, 1, n_jobs=_task_threads(n_jobs))
    nn = [delayed(_nn_of)(lst) for lst in lists]
    B = data.n_blocks
    nn_rows = [delayed(_pick)(pair, 0) for pair in nn]
    nnn = [_tree([delayed(_nn_lookup)(nn_rows[q], nn_rows[r], int(data.offsets[r]))
                  for r in range(B)], lambda a, b: delayed(np.maximum)(a, b))
           for q in range(B)]
    targeted = mask.astype(np.uint8)
    kept = dask.compute(*[delayed(_tomek_block)(nn[b], nnn[b], data.codes(b),
                                                int(data.offsets[b]), targeted)
                          for b in range(B)])
    pieces = [data.take(b, kept[b], len(kept[b])) for b in range(B)]
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# Borderline-SMOTE and ADASYN: the classes gathered (within the budget) or searched block-wise,
# their search over X block-wise either way


def _class_lists(block, codes, offset, wanted, rows, lists):
    """Per wanted class: its rows of the block, their global row numbers, and their lists
    from the block-wise search (global rows, class codes); ``rows`` are the block's query
    rows (ascending), ``lists`` their lists."""
    q_codes = codes[rows]
    out = []
    for c in wanted:
        sel = q_codes == c
        local = rows[sel]
        out.append((block[local], local + offset, lists[1][sel], lists[2][sel]))
    return out


def _class_tallies(codes, offset, tallied, rows, lists, n_count, n_bits):
    """Per class of ``tallied`` (not gathered): the global row numbers of its rows of the
    block, how many of each row's first ``n_count`` neighbours are of another class, and
    (``n_bits`` > 0) which of its first ``n_bits`` are, packed eight to a byte (little bit
    order). Small results per row; no value of X."""
    q_codes = codes[rows]
    out = []
    for c in tallied:
        sel = q_codes == c
        other = lists[2][sel] != c
        n_other = np.count_nonzero(other[:, :n_count], axis=1).astype(np.int32)
        bits = (np.packbits(other[:, :n_bits], axis=1, bitorder="little") if n_bits
                else None)
        out.append((rows[sel] + offset, n_other, bits))
    return out


def _gather_searched(data, wanted, width, n_jobs, tallied=(), n_count=0, n_bits=0):
    """One block-wise search of the ``width`` nearest other rows of all of X of the rows of
    the classes ``wanted`` and ``tallied``. The classes ``wanted`` are gathered with their
    lists: ``members`` {code: global rows, ascending}, ``X_of`` {code: their rows}, and the
    lists (global rows, class codes) of the members class after class, as the in-memory
    functions search them (None without such classes). The classes ``tallied`` only bring
    back ``tallies`` {code: (global rows, neighbours of another class among the first
    ``n_count``, packed flags of the first ``n_bits``)}: see ``_class_tallies``."""
    wanted, tallied = list(wanted), list(tallied)
    mask = np.zeros(data.n_classes, dtype=bool)
    mask[wanted + tallied] = True
    lists, rows, _ = _block_search(data, width, mask, n_jobs=n_jobs)
    blocks = data.numeric()
    per_block = dask.compute(*[(
        delayed(_class_lists)(blocks[b], data.codes(b), int(data.offsets[b]), wanted,
                              rows[b], lists[b]) if wanted else None,
        delayed(_class_tallies)(data.codes(b), int(data.offsets[b]), tallied, rows[b],
                                lists[b], n_count, n_bits) if tallied else None)
        for b in range(data.n_blocks)
    ])
    members, X_of, nbrs, nbr_codes = {}, {}, [], []
    for j, c in enumerate(wanted):
        parts = [per_block[b][0][j] for b in range(data.n_blocks)]
        X_of[c] = np.concatenate([p[0] for p in parts])
        members[c] = np.concatenate([p[1] for p in parts]).astype(np.intp, copy=False)
        nbrs.append(np.concatenate([p[2] for p in parts]))
        nbr_codes.append(np.concatenate([p[3] for p in parts]))
    tallies = {}
    for j, c in enumerate(tallied):
        parts = [per_block[b][1][j] for b in range(data.n_blocks)]
        tallies[c] = (np.concatenate([p[0] for p in parts]).astype(np.intp, copy=False),
                      np.concatenate([p[1] for p in parts]),
                      np.concatenate([p[2] for p in parts]) if n_bits else None)
    if not wanted:
        return members, X_of, None, None, tallies
    return members, X_of, np.concatenate(nbrs), np.concatenate(nbr_codes), tallies


def _fetch_rows(data, rows):
    """The rows ``rows`` (global, ascending) of the numeric X, computed (a few rows)."""
    blocks = data.numeric()
    ends = data.offsets + data.lengths
    parts = []
    for b in range(data.n_blocks):
        inside = rows[(rows >= data.offsets[b]) & (rows < ends[b])]
        if len(inside):
            parts.append(delayed(_take)(blocks[b], inside - int(data.offsets[b])))
    got = dask.compute(*parts)
    return (np.concatenate(got) if got
            else np.empty((0, data.n_features), dtype=data.num_dtype))


def _interpolate_piece(pool, rows, nbrs, gaps, scales):
    return _over_mod._interpolate_rows(pool, rows, nbrs, gaps, scales, 1)


def _synthesis_pieces(data, segment_blocks, members, X_of, piece):
    """The new rows of ``segment_blocks`` (``(code, rows, nbrs, gaps, scales)`` in global rows,
    the in-memory helpers' output) as output pieces of ``piece`` rows, interpolated on the
    workers from one broadcast pool: the rows the segments use (from the gathered classes,
    else fetched from X's blocks), each with its provenance records."""
    made = _over_mod._segments(segment_blocks)
    if made is None:
        return []
    rows, nbrs, gaps, scales, codes = made
    used = np.unique(np.concatenate([rows, nbrs]))
    pool = np.empty((len(used), data.n_features), dtype=data.num_dtype)
    found = np.zeros(len(used), dtype=bool)
    for c, rows_c in members.items():
        at = np.minimum(np.searchsorted(rows_c, used), len(rows_c) - 1)
        hit = rows_c[at] == used
        pool[hit] = X_of[c][at[hit]]
        found |= hit
    if not found.all():
        pool[~found] = _fetch_rows(data, used[~found])
    shared = _broadcast(pool)
    rows, nbrs = np.searchsorted(used, rows), np.searchsorted(used, nbrs)
    pieces = []
    for start in range(0, len(rows), piece):
        sl = slice(start, start + piece)
        m = len(rows[sl])
        x = delayed(_interpolate_piece)(shared, rows[sl], nbrs[sl], gaps[sl],
                                        None if scales is None else scales[sl])
        label = delayed(np.asarray)(data.classes[codes[sl]], dtype=data.y_dtype)
        # (a task computed only when the provenance is asked for)
        recs = delayed(_prov.made)(used[rows[sl]], used[nbrs[sl]], gaps[sl],
                                   None if scales is None else scales[sl])
        pieces.append((x, label, delayed(np.full)(m, -1, dtype=np.intp), m, True, recs))
    return pieces


# A class that does not fit the budget: its per-row results (danger flags, ADASYN's counts)
# come from the search's lists on the workers, its in-class search (or Borderline-2's search
# of the danger rows) runs block-wise, and each piece of new rows redraws its draws from the
# RandomState states recorded here, looks its neighbours up in the lists of the blocks that
# hold its base rows, fetches base and neighbour rows from X's blocks and interpolates: the
# in-memory rows, draws and arithmetic.

def _slot_lookup(draws, lists, start, stop, code):
    """For the draws whose base (a query of the search, numbered across its blocks) lies in
    [start, stop), the queries of one block's ``lists``: their positions in the piece, their
    neighbours (global rows) and whether these are of another class than ``code``."""
    rows, slots, _ = draws
    at = np.flatnonzero((rows >= start) & (rows < stop))
    local = rows[at] - start
    return at, lists[1][local, slots[at]], lists[2][local, slots[at]] != code


def _piece_plan(draws, lookups, bases, scale_state):
    """A piece's new rows as the in-memory segments: base rows and neighbours (global rows),
    gaps, and (``scale_state``: Borderline-2) the scales, ``U[0, 0.5)`` draws towards the
    neighbours of another class, from the state recorded at the piece's first such draw."""
    rows, _, steps = draws
    n = len(rows)
    nbrs = np.empty(n, dtype=np.intp)
    other = np.zeros(n, dtype=bool)
    for at, nbr, oth in lookups:
        nbrs[at] = nbr
        other[at] = oth
    scales = None
    if scale_state is not None:
        rs = np.random.RandomState()
        rs.set_state(scale_state)
        scales = np.ones(n)
        scales[other] = rs.uniform(low=0.0, high=0.5, size=int(other.sum()))
    return np.ascontiguousarray(bases[rows], dtype=np.intp), nbrs, steps, scales


def _plan_rows_in(plan, start, stop):
    """The rows (global) a piece uses that lie in X's block [start, stop), unique and
    ascending, as block positions."""
    used = np.concatenate([plan[0], plan[1]])
    return np.unique(used[(used >= start) & (used < stop)]) - start


def _interpolate_fetched(plan, block_rows, fetched, offsets):
    """A piece's new rows from the rows it fetched from X's blocks (each block's ascending,
    the blocks in order): ``_interpolate_rows`` as in memory."""
    base, nbrs, steps, scales = plan
    pool_ids = np.concatenate([loc + off for loc, off in zip(block_rows, offsets)])
    pool = np.ascontiguousarray(np.concatenate(fetched))
    return _over_mod._interpolate_rows(pool, np.searchsorted(pool_ids, base),
                                       np.searchsorted(pool_ids, nbrs), steps, scales, 1)


def _plan_records(plan):
    return _prov.made(*plan)


def _fetched_piece(data, c, plan, n, nbrs_in_class):
    """The output piece of ``n`` new rows of class c made from ``plan`` (see
    ``_piece_plan``), with their provenance records; the rows are read from the blocks of X
    that hold rows of class c (``nbrs_in_class``) or from all of them."""
    blocks = data.numeric()
    used = [b for b in range(data.n_blocks) if not nbrs_in_class or data.block_counts[b, c]]
    block_rows = [delayed(_plan_rows_in)(plan, int(data.offsets[b]),
                                         int(data.offsets[b] + data.lengths[b])) for b in used]
    fetched = [delayed(_take)(blocks[b], loc) for b, loc in zip(used, block_rows)]
    x = delayed(_interpolate_fetched)(plan, block_rows, fetched,
                                      [int(data.offsets[b]) for b in used])
    label = delayed(np.full)(n, data.classes[c], dtype=data.y_dtype)
    return (x, label, delayed(np.full)(n, -1, dtype=np.intp), n, True,
            delayed(_plan_records)(plan))


def _scaled_draws(bits, danger, k, draws):
    """How many of Borderline-2's draws ``draws`` (``randint`` values) pick a neighbour of
    another class (``bits``: ``_class_tallies``'s packed flags, ``danger``: the rows)."""
    rows, slots = np.floor_divide(draws, k), np.mod(draws, k)
    return int(((bits[danger[rows], slots // 8] >> (slots % 8)) & 1).sum())


def _borderline_blockwise_pieces(data, c, n_new, tally, *, k, m, kind, random_state, piece,
                                 n_jobs):
    """Output pieces of Borderline-SMOTE's new rows of class c, not gathered: ``tally`` is
    its ``_class_tallies`` (global rows, other-class counts among the m nearest, packed
    flags of the k nearest for borderline-2)."""
    rows_c, n_other, bits = tally
    danger = np.flatnonzero(_over_mod._in_danger(n_other, m))
    if danger.shape[0] == 0:
        return []
    bases = rows_c[danger]
    if kind == "borderline-1":
        # The k nearest rows of the class of each danger row, block-wise over the class.
        _over_mod._check_class_size(data, c, k, "borderline_smote (kind='borderline-1')")
        view = _class_view(data, c)
        bounds = np.searchsorted(danger, np.append(view.offsets, data.counts[c]))
        positions = [danger[bounds[j]:bounds[j + 1]] - view.offsets[j]
                     for j in range(view.n_blocks)]
        lists, _, _ = _block_search(view, k, query_rows=(positions, np.diff(bounds)),
                                    lazy=True, n_jobs=n_jobs)
    else:
        # The k nearest rows of X of each danger row (the first k of the m nearest).
        bounds = np.searchsorted(bases, np.append(data.offsets, data.n_samples))
        positions = [bases[bounds[b]:bounds[b + 1]] - data.offsets[b]
                     for b in range(data.n_blocks)]
        lists, _, _ = _block_search(data, k, query_rows=(positions, np.diff(bounds)),
                                    lazy=True, n_jobs=n_jobs)
    n_d = danger.shape[0]
    high = n_d * k
    # The in-memory draws: randint then uniform (_draw_segments), then for borderline-2 a
    # second check_random_state's uniform(0, 0.5) for the draws towards another class.
    rs = check_random_state(random_state)
    n_scaled = []

    def draw_int(size):
        drawn = rs.randint(low=0, high=high, size=size)
        if bits is not None:
            n_scaled.append(_scaled_draws(bits, danger, k, drawn))

    s_int = _stream_states(rs, n_new, piece, draw_int)
    s_uni = _stream_states(rs, n_new, piece, lambda size: rs.uniform(size=size))
    s_scale = [None] * len(s_int)
    if kind == "borderline-2":
        rs_scale = check_random_state(random_state)
        for i, count in enumerate(n_scaled):
            s_scale[i] = rs_scale.get_state()
            rs_scale.uniform(low=0.0, high=0.5, size=count)
    shared = _broadcast(bases)
    pieces = []
    for i, start in enumerate(range(0, n_new, piece)):
        size = min(piece, n_new - start)
        draws = delayed(_smote_draws)(n_d, k, s_int[i], s_uni[i], size)
        lookups = [delayed(_slot_lookup)(draws, lists[j], int(bounds[j]), int(bounds[j + 1]),
                                         c)
                   for j in range(len(bounds) - 1) if bounds[j + 1] > bounds[j]]
        plan = delayed(_piece_plan)(draws, lookups, shared, s_scale[i])
        pieces.append(_fetched_piece(data, c, plan, size, kind == "borderline-1"))
    return pieces


def _adasyn_draws(ends, k, state_choice, state_uniform, start, n):
    """ADASYN's draws of the new rows ``start`` to ``start + n`` of a class: base rows (class
    positions: row i makes the new rows ``ends[i - 1]`` to ``ends[i]``), neighbour slots
    (``choice``) and steps (``uniform``), from the RandomState states recorded at the
    piece's start."""
    rs = np.random.RandomState()
    rs.set_state(state_choice)
    slots = rs.choice(k, size=n)
    rs.set_state(state_uniform)
    steps = rs.uniform(size=n)
    rows = np.searchsorted(ends, np.arange(start, start + n), side="right")
    return rows.astype(np.intp, copy=False), slots.astype(np.intp, copy=False), steps


def _adasyn_blockwise_pieces(data, c, n_new, tally, rs, *, k, piece, n_jobs):
    """Output pieces of ADASYN's new rows of class c, not gathered: ``tally`` is its
    ``_class_tallies`` (global rows, other-class counts among the k nearest); ``rs`` the
    call's RandomState."""
    rows_c, n_other, _ = tally
    per_row = _over_mod._adasyn_row_counts(data, c, n_other, k, n_new)
    n_gen = int(np.sum(per_row))
    view = _class_view(data, c)
    lists, _, _ = _block_search(view, k, lazy=True, n_jobs=n_jobs)
    s_choice = _stream_states(rs, n_gen, piece, lambda size: rs.choice(k, size=size))
    s_uni = _stream_states(rs, n_gen, piece, lambda size: rs.uniform(size=size))
    ends = np.cumsum(per_row)
    bounds = np.append(view.offsets, data.counts[c])
    shared_ends, shared_rows = _broadcast(ends), _broadcast(rows_c)
    pieces = []
    for i, start in enumerate(range(0, n_gen, piece)):
        size = min(piece, n_gen - start)
        # the class positions of this piece's base rows: a range, in few of the view's blocks
        first, last = np.searchsorted(ends, [start, start + size - 1], side="right")
        draws = delayed(_adasyn_draws)(shared_ends, k, s_choice[i], s_uni[i], start, size)
        lookups = [delayed(_slot_lookup)(draws, lists[j], int(bounds[j]), int(bounds[j + 1]),
                                         c)
                   for j in range(view.n_blocks) if bounds[j] <= last and bounds[j + 1] > first]
        plan = delayed(_piece_plan)(draws, lookups, shared_rows, None)
        pieces.append(_fetched_piece(data, c, plan, size, True))
    return pieces


def _over_setup(data, ratio, k, width, max_gather_bytes):
    """Targets of an over-sampler that gathers its classes with lists of ``width``
    neighbours, and the classes gathered (smallest first while they fit the budget; in the
    order of the targets): the others run block-wise."""
    targets = {int(c): int(n) for c, n in data.targets(ratio, "over").items() if n > 0}
    budget = _budget(max_gather_bytes)
    row_bytes = data.n_features * data.num_dtype.itemsize
    gathered, used = set(), 0
    for c in sorted(targets, key=lambda c: (data.counts[c], c)):
        # the class rows and their lists; the draws; the pool and the new rows' segments
        need = (int(data.counts[c]) * (row_bytes + 8 + 16 * width + 8 * (k + 1))
                + targets[c] * (40 + row_bytes))
        if used + need <= budget:
            gathered.add(c)
            used += need
    return targets, [c for c in targets if c in gathered]


def _over_pieces(data, targets, gathered, segments_of, blockwise_of, members, X_of, piece):
    """The new rows' pieces class by class in the order of the targets: the gathered classes'
    segments (``segments_of(c)``) interpolated by ``_synthesis_pieces`` (one pool per run of
    gathered classes), the other classes' pieces from ``blockwise_of(c)``."""
    pieces, pending = [], []
    for c in targets:
        if c in gathered:
            pending += segments_of(c)
            continue
        pieces += _synthesis_pieces(data, pending, members, X_of, piece)
        pending = []
        pieces += blockwise_of(c)
    return pieces + _synthesis_pieces(data, pending, members, X_of, piece)


@_weighted
def borderline_smote(X, y, *, k=5, m=10, kind="borderline-1", ratio="auto",
                     random_state=None, n_jobs=None, return_indices=False,
                     sample_weight=None, return_provenance=False, max_gather_bytes=None,
                     rows_per_block=None):
    """Borderline-SMOTE over a dask array: the danger test searched block-wise against all of
    X, the classes to over-sample gathered when they fit, else run block-wise.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite (checked block by block when computed).
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, m, kind, ratio, random_state
        As :func:`resamplekit.borderline_smote`.
    n_jobs : int or None, default=None
        Threads of the in-class neighbour search of the gathered classes (None: all cores)
        and of each block-pair search inside its task (None: 1).
    return_indices : bool, default=False
        Also return the global row number of each output row (-1 for a new row).
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.borderline_smote` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.borderline_smote`'s provenance records, last.
    max_gather_bytes : int or None, default=None
        Most bytes the gathered classes (their rows, neighbour lists and draws) may take in
        one process; None: :func:`default_gather_bytes`. Classes are gathered smallest first
        while they fit; the others run block-wise (see Notes). 0 gathers nothing.
    rows_per_block : int or None, default=None
        New rows per output block (None: the largest block of X).

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        X's blocks (as float32/float64), then the new rows class by class.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    The ``m`` nearest other rows of all of X (``max(m, k)`` for borderline-2) of the rows of
    each class to over-sample come from the block-wise exact search (see
    :func:`kneighbors`), each with its label. The rows of a class that fits
    ``max_gather_bytes`` are gathered with their lists: the danger test, the in-class search
    (borderline-1), the draws (the in-memory function's stream and call order) and the
    interpolation are the in-memory function's own code; the new rows are interpolated on
    the workers, block by block, from the rows they use (borderline-2's neighbours of other
    classes are fetched from X's blocks). The draws (four numbers per new row) are made in
    this process.

    A class that does not fit ``max_gather_bytes`` is not gathered: only its danger test
    comes to this process (the number of neighbours of another class of each row, and for
    borderline-2 one bit per row and neighbour; no value of X). Its danger rows' ``k``
    nearest rows of the class (borderline-1) or of X (borderline-2) are searched block-wise
    and kept on the workers; this process records the random stream's states at the start
    of each block of new rows (for borderline-2 it also counts the draws towards another
    class, to place the stream of their scales), and each block of new rows redraws its
    draws, looks its neighbours up and fetches its base and neighbour rows from X's blocks.
    The new rows are the same (same danger rows, same exact neighbours, same draws, same
    arithmetic); what changes is the cost: the search of the danger rows is block-wise (in
    memory it is one search too: against the class for borderline-1, all of X for
    borderline-2; every pair of blocks when their bounding boxes cannot be pruned), and every
    block of new rows reads from the blocks of X that may hold the rows it uses. No process
    holds more than one block of X, one block of new rows and their neighbour lists.

    With an integer ``random_state`` the new rows equal
    :func:`resamplekit.borderline_smote`'s, to the bit, gathered or not.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import borderline_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(0.5, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> expected = resamplekit.borderline_smote(X, y, k=3, m=5, random_state=0)[0]
    >>> for budget in (None, 0):  # gathered; block-wise
    ...     X_res, y_res = borderline_smote(da.from_array(X, chunks=30), y, k=3, m=5,
    ...                                     random_state=0, max_gather_bytes=budget)
    ...     print(bool((X_res.compute() == expected).all()))
    True
    True
    """
    method = "borderline_smote"
    data = _Data(X, y, method)
    k = check_int(k, "k", minimum=1)
    m = check_int(m, "m", minimum=1)
    check_n_jobs(n_jobs)
    if rows_per_block is not None:
        rows_per_block = check_int(rows_per_block, "rows_per_block", minimum=1)
    if kind not in ("borderline-1", "borderline-2"):
        raise ValueError(f"kind must be 'borderline-1' or 'borderline-2', got {kind!r}")
    data.numeric()
    width = max(m, k) if kind == "borderline-2" else m
    targets, gathered = _over_setup(data, ratio, k, width, max_gather_bytes)
    pieces = [data.whole(b, numeric=True) for b in range(data.n_blocks)]
    if not targets:
        return data.output(pieces, return_indices=return_indices,
                           return_provenance=return_provenance)
    _over_mod._check_enough_rows(data, m, "m", method)
    if kind == "borderline-2":
        _over_mod._check_enough_rows(data, k, "k", method)
    threads = _task_threads(n_jobs)
    members, X_of, nbrs, nbr_codes, tallies = _gather_searched(
        data, gathered, width, threads, tallied=[c for c in targets if c not in gathered],
        n_count=m, n_bits=k if kind == "borderline-2" else 0)
    piece = int(rows_per_block or max(data.lengths))
    starts = dict(zip(gathered, np.cumsum([0] + [len(members[c]) for c in gathered])))

    def segments_of(c):
        sl = slice(int(starts[c]), int(starts[c]) + len(members[c]))
        return _over_mod._borderline_segments(
            data, {c: targets[c]}, members, X_of.__getitem__, nbrs[sl], nbr_codes[sl], None,
            k=k, m=m, kind=kind, random_state=random_state, n_jobs=n_jobs)

    def blockwise_of(c):
        return _borderline_blockwise_pieces(data, c, targets[c], tallies[c], k=k, m=m,
                                            kind=kind, random_state=random_state,
                                            piece=piece, n_jobs=threads)

    pieces += _over_pieces(data, targets, gathered, segments_of, blockwise_of, members, X_of,
                           piece)
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


@_weighted
def adasyn(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None, return_indices=False,
           sample_weight=None, return_provenance=False, max_gather_bytes=None,
           rows_per_block=None):
    """ADASYN over a dask array: the weights from a block-wise search against all of X, the
    classes to over-sample gathered when they fit, else run block-wise.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite (checked block by block when computed).
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, ratio, random_state
        As :func:`resamplekit.adasyn`.
    n_jobs : int or None, default=None
        Threads of the in-class neighbour search of the gathered classes (None: all cores)
        and of each block-pair search inside its task (None: 1).
    return_indices : bool, default=False
        Also return the global row number of each output row (-1 for a new row).
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.adasyn` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.adasyn`'s provenance records, last.
    max_gather_bytes : int or None, default=None
        As :func:`borderline_smote`: classes gathered smallest first while they fit, the
        others block-wise; 0 gathers nothing.
    rows_per_block : int or None, default=None
        New rows per output block (None: the largest block of X).

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        X's blocks (as float32/float64), then the new rows class by class.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    The labels of the ``k`` nearest other rows of all of X of the rows of each class to
    over-sample (the weights) come from the block-wise exact search (see
    :func:`kneighbors`). The rows of a class that fits ``max_gather_bytes`` are gathered:
    the weights, their rounding, the in-class search, the draws and the interpolation are
    the in-memory function's own code; the new rows are interpolated on the workers, block
    by block.

    A class that does not fit ``max_gather_bytes`` is not gathered: only the number of
    neighbours of another class of each row comes to this process, where the in-memory code
    turns them into each row's number of new rows (one integer per row of the class). The
    class's in-class search runs block-wise (lists kept on the workers), this process
    records the random stream's states at the start of each block of new rows, and each
    block of new rows redraws its draws, looks its neighbours up and fetches its base and
    neighbour rows from X's blocks. The new rows are the same (same weights, same exact
    neighbours, same draws, same arithmetic); what changes is the cost: the in-class search
    is block-wise (quadratic in the class's rows when its blocks cannot be pruned, as in
    memory), and every block of new rows reads from the blocks of X that hold the class.

    With an integer ``random_state`` the new rows equal :func:`resamplekit.adasyn`'s, to
    the bit, gathered or not.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import adasyn
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(1.0, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> expected = resamplekit.adasyn(X, y, k=3, random_state=0)[0]
    >>> for budget in (None, 0):  # gathered; block-wise
    ...     X_res, y_res = adasyn(da.from_array(X, chunks=30), y, k=3, random_state=0,
    ...                           max_gather_bytes=budget)
    ...     print(bool((X_res.compute() == expected).all()))
    True
    True
    """
    method = "adasyn"
    data = _Data(X, y, method)
    k = check_int(k, "k", minimum=1)
    check_n_jobs(n_jobs)
    if rows_per_block is not None:
        rows_per_block = check_int(rows_per_block, "rows_per_block", minimum=1)
    data.numeric()
    targets, gathered = _over_setup(data, ratio, k, k, max_gather_bytes)
    pieces = [data.whole(b, numeric=True) for b in range(data.n_blocks)]
    if not targets:
        return data.output(pieces, return_indices=return_indices,
                           return_provenance=return_provenance)
    for c in targets:
        _over_mod._check_class_size(data, c, k, method)
    threads = _task_threads(n_jobs)
    members, X_of, _, nbr_codes, tallies = _gather_searched(
        data, gathered, k, threads, tallied=[c for c in targets if c not in gathered],
        n_count=k)
    piece = int(rows_per_block or max(data.lengths))
    starts = dict(zip(gathered, np.cumsum([0] + [len(members[c]) for c in gathered])))
    rs = check_random_state(random_state)  # one stream for the whole call, as in memory

    def segments_of(c):
        sl = slice(int(starts[c]), int(starts[c]) + len(members[c]))
        return _over_mod._adasyn_segments(data, {c: targets[c]}, members, X_of.__getitem__,
                                          nbr_codes[sl], k=k, random_state=rs, n_jobs=n_jobs)

    def blockwise_of(c):
        return _adasyn_blockwise_pieces(data, c, targets[c], tallies[c], rs, k=k, piece=piece,
                                        n_jobs=threads)

    pieces += _over_pieces(data, targets, gathered, segments_of, blockwise_of, members, X_of,
                           piece)
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# NearMiss: the minority gathered, the targeted classes scored block by block


def _class_local(codes, c):
    return np.flatnonzero(codes == c)


def _concat_ordered(parts, order):
    """Blocks of rows (arrays or pandas objects) concatenated, then put in ``order``."""
    if parts and hasattr(parts[0], "iloc"):
        import pandas as pd

        return pd.concat(parts).iloc[order]
    if not parts:
        return np.empty(0, dtype=np.intp)
    return np.concatenate(parts)[order]


def _near_miss_scores(block, codes, c, offset, X_min, k, farthest, n_keep, n_threads):
    """The block's rows of class c (global, ascending) with their NearMiss scores: only its
    ``n_keep`` best (the only ones that can be among the class's ``n_keep`` best: a stable
    order restricted to some of the rows is their own stable order)."""
    local = np.flatnonzero(codes == c)
    score = (_under_mod._minority_distance_sums(X_min, block[local], k, farthest, n_threads)
             if len(local) else np.empty(0))
    return _best_of((local + offset, score), None, n_keep)


def _best_of(a, b, n_keep):
    """The ``n_keep`` best of two (global rows, scores) sets whose rows are in order, a's
    before b's (``_first_by_score``'s stable order), in row order."""
    rows, score = a if b is None else (np.concatenate([a[0], b[0]]),
                                       np.concatenate([a[1], b[1]]))
    best = np.sort(_under_mod._first_by_score(score, n_keep))
    return rows[best], score[best]


def _class_search(block, codes, c, class_offset, k, Q, n_threads):
    """The k nearest rows of class c in the block of each row of ``Q``, as class positions
    (``class_offset`` + rank in the block), padded with (inf, _NO_INDEX): ``_merge``'s lists."""
    X_c = block[codes == c]
    dist = np.full((Q.shape[0], k), np.inf)
    ind = np.full((Q.shape[0], k), _NO_INDEX, dtype=np.intp)
    kk = min(k, X_c.shape[0])
    if kk:
        d, i = _kneighbors(X_c, kk, Y=Q, n_jobs=n_threads)
        dist[:, :kk], ind[:, :kk] = d, i + class_offset
    return dist, ind, ind


def _candidate_scores(block, codes, c, ranks, X_min, k, n_threads):
    """Version 3: the scores of the block's candidates (their ranks in the block's class c)."""
    local = np.flatnonzero(codes == c)[ranks]
    return _under_mod._minority_distance_sums(X_min, block[local], k, False, n_threads)


@_weighted
def near_miss(X, y, *, version=1, k=3, k_ver3=3, ratio="auto", n_jobs=None,
              neighbors="exact", return_indices=False, sample_weight=None,
              return_provenance=False, max_gather_bytes=None):
    """NearMiss over a dask array: the minority class gathered, the other classes scored
    block by block.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite (checked block by block when computed).
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    version, k, k_ver3, ratio
        As :func:`resamplekit.near_miss`.
    n_jobs : int or None, default=None
        Threads of each block's search inside its task (None: 1).
    neighbors : {'exact'}, default='exact'
        The block-wise search is exact; 'approximate' (in memory only) is refused.
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.near_miss` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.near_miss`'s provenance records, last.
    max_gather_bytes : int or None, default=None
        Most bytes the minority class's rows may take in one process; None:
        :func:`default_gather_bytes`. A larger need raises ValueError.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The rows :func:`resamplekit.near_miss` keeps, in its order: class by class, a
        targeted class in score order, the other classes in row order.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    Every score is a sum of distances from one row to the minority class, so the minority is
    gathered (broadcast once) and each block scores its own rows with the in-memory code
    (versions 1 and 2) and keeps its best ``t`` (``t`` rows to keep); these are merged in a
    tree on the workers, the best ``t`` of each pair (the class's best ``t`` are always
    among them), and the in-memory stable selection of the last ``t`` gives the same rows in
    the same order. Version 3's candidates (the ``k_ver3`` nearest rows of the class of
    every minority row) come from each block's search merged by (distance, row), then the
    blocks score their candidates. The kept rows of a targeted class are assembled in one
    task from the blocks holding them. Eager work: the minority's rows, ``t`` scores per
    targeted class (version 3: the candidates' lists and scores).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import near_miss
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(120, 2)); y = np.array([0] * 100 + [1] * 20)
    >>> idx = near_miss(da.from_array(X, chunks=50), y, version=3, return_indices=True)[2]
    >>> expected = resamplekit.near_miss(X, y, version=3, return_indices=True)[2]
    >>> bool((idx.compute() == expected).all())
    True
    """
    _exact_only(neighbors, "near_miss")
    data = _Data(X, y, "near_miss")
    version = _under_mod._check_version(version)
    k = check_int(k, "k")
    k_ver3 = check_int(k_ver3, "k_ver3")
    n_threads = _task_threads(n_jobs)
    targets = data.targets(ratio, "under")
    minority = _under_mod._near_miss_minority(data, targets, version, k, k_ver3)
    blocks = data.numeric()
    need = int(data.counts[minority]) * (data.n_features * data.num_dtype.itemsize + 8)
    _gather_check("near_miss", need, _budget(max_gather_bytes),
                  "gathering the minority class",
                  "random_under (block-wise), or random_under first to bring the data within "
                  "the budget")
    B = data.n_blocks
    per_block = dask.compute(*[
        delayed(_class_rows)(blocks[b], data.codes(b), int(data.offsets[b]), [minority])
        for b in range(B)
    ])
    X_min = np.concatenate([per_block[b][0][0] for b in range(B)])
    shared = _broadcast(X_min)
    wanted = [c for c in range(data.n_classes) if c in targets]
    # Per targeted class: versions 1-2, the best rows (ascending) and their scores;
    # version 3, the candidates and the picked ones.
    if version in (1, 2):
        # Each block's t best, merged in a tree (t best of each pair): t scores come back.
        found = dask.compute(*[_tree([
            delayed(_near_miss_scores)(blocks[b], data.codes(b), c, int(data.offsets[b]),
                                       shared, k, version == 2, int(targets[c]), n_threads)
            for b in range(B)], lambda a, o, t=int(targets[c]): delayed(_best_of)(a, o, t))
            for c in wanted])
    else:
        found = []
        class_offsets = np.vstack([np.zeros((1, data.n_classes), dtype=np.int64),
                                   np.cumsum(data.block_counts, axis=0)])
        merged = dask.compute(*[_tree([
            delayed(_class_search)(blocks[b], data.codes(b), c, int(class_offsets[b, c]),
                                   k_ver3, shared, n_threads)
            for b in range(B) if data.block_counts[b, c]],
            lambda a, o: delayed(_merge)(a, o, k_ver3)) for c in wanted])
        cands = [_nearmiss.candidate_rows(np.ascontiguousarray(lists[1], dtype=np.intp),
                                          int(data.counts[c]))
                 for c, lists in zip(wanted, merged)]
        ranks = [[cand[(cand >= class_offsets[b, c]) & (cand < class_offsets[b + 1, c])]
                  - class_offsets[b, c] for b in range(B)] for c, cand in zip(wanted, cands)]
        scores = dask.compute(*[[
            delayed(_candidate_scores)(blocks[b], data.codes(b), c, r[b], shared, k, n_threads)
            for b in range(B)] for c, r in zip(wanted, ranks)])
        for c, cand, sc in zip(wanted, cands, scores):
            picked = _under_mod._best_candidates(cand, np.concatenate(sc), int(targets[c]))
            found.append((cand, picked))
    pieces = []
    for c in range(data.n_classes):
        if c not in targets:
            for b in range(B):
                local = delayed(_class_local)(data.codes(b), c)
                pieces.append(data.take(b, local, int(data.block_counts[b, c])))
            continue
        j = wanted.index(c)
        if version in (1, 2):
            rows, score = found[j]  # ascending rows
            ends = np.searchsorted(rows, np.append(data.offsets, data.n_samples))
            locals_ = [rows[ends[b]:ends[b + 1]] - int(data.offsets[b]) for b in range(B)]
            sizes = [len(loc) for loc in locals_]
            order = _under_mod._first_by_score(score, int(targets[c]))
        else:
            cand, picked = found[j]
            pos = np.empty(int(data.counts[c]), dtype=np.intp)
            pos[cand] = np.arange(len(cand))  # candidate -> its place among the candidates
            locals_ = [delayed(_class_local)(data.codes(b), c) for b in range(B)]
            locals_ = [delayed(_pick)(loc, r) for loc, r in zip(locals_, ranks[j])]
            sizes = [len(r) for r in ranks[j]]
            order = pos[picked]
        pieces.append(data.take_ordered(locals_, sizes, order))
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# Neighbourhood cleaning rule: one block-wise search, two rules


def _ncr_block(lists, codes, rows, offset, k, mask, minority, clean_class):
    """The in-memory NCR rules on one block's lists (whose neighbours' labels travel with
    them): the global rows A1 removes (ENN, kind_sel='mode', of the targeted rows), and the
    global rows A2 marks (the neighbours of misclassified minority rows, any block)."""
    m = len(rows)
    if not m:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    q_codes = codes[rows]
    y_local = np.ascontiguousarray(np.concatenate([q_codes, lists[2].ravel()]), dtype=np.intp)
    nbr = np.ascontiguousarray((m + np.arange(m * k)).reshape(m, k), dtype=np.intp)
    t = np.flatnonzero(mask[q_codes])
    keep = _cleaning.enn_keep(np.ascontiguousarray(nbr[t]), t, y_local, k, True, False,
                              1).view(bool)
    a1 = rows[t[~keep]] + offset
    is_min = np.flatnonzero(q_codes == minority)
    marked = np.zeros(m + m * k, dtype=np.uint8)
    _cleaning.ncr_a2_mark(np.ascontiguousarray(nbr[is_min]), is_min, y_local, k, clean_class,
                          marked)
    a2 = lists[1].ravel()[np.flatnonzero(marked[m:])]
    return a1.astype(np.intp, copy=False), a2.astype(np.intp, copy=False)


def _kept_local(n, removed_local):
    keep = np.ones(n, dtype=bool)
    keep[removed_local] = False
    return np.flatnonzero(keep)


@_weighted
def neighbourhood_cleaning_rule(X, y, *, k=3, threshold_cleaning=0.5, ratio="auto",
                                n_jobs=None, neighbors="exact", return_indices=False,
                                sample_weight=None, return_provenance=False):
    """Neighbourhood cleaning rule over a dask array, with the block-wise exact search.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, threshold_cleaning, ratio
        As :func:`resamplekit.neighbourhood_cleaning_rule`.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1).
    neighbors : {'exact'}, default='exact'
        The block-wise search is exact; 'approximate' (in memory only) is refused.
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.neighbourhood_cleaning_rule` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.neighbourhood_cleaning_rule`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows in input order: the rows
        :func:`resamplekit.neighbourhood_cleaning_rule` keeps.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    One block-wise search (see :func:`kneighbors`) gives the ``k`` nearest other rows of the
    targeted and minority rows, each with its label; each block runs the in-memory rules on
    its lists: A1 (ENN with ``kind_sel='mode'``) removes rows of its own, A2 marks neighbours
    anywhere in X. Eager work: the search, and the removed and marked row numbers (a few);
    the kept rows are taken lazily from X's blocks.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import neighbourhood_cleaning_rule
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> idx = neighbourhood_cleaning_rule(da.from_array(X, chunks=25), y,
    ...                                   return_indices=True)[2]
    >>> expected = resamplekit.neighbourhood_cleaning_rule(X, y, return_indices=True)[2]
    >>> bool((idx.compute() == expected).all())
    True
    """
    _exact_only(neighbors, "neighbourhood_cleaning_rule")
    data = _Data(X, y, "neighbourhood_cleaning_rule")
    k = check_int(k, "k")
    _cleaning_mod._check_threshold_cleaning(threshold_cleaning)
    codes, mask = _targeted(data, ratio)
    _cleaning_mod._check_k_rows(k, data.n_samples)
    minority = int(np.argmin(data.counts))
    n_min = int(data.counts[minority])
    need = mask.copy()
    need[minority] = True
    lists, rows, _ = _block_search(data, k, need, n_jobs=_task_threads(n_jobs))
    clean_class = _cleaning_mod._ncr_clean_classes(data.counts, codes, n_min,
                                                   threshold_cleaning)
    found = dask.compute(*[delayed(_ncr_block)(lists[b], data.codes(b), rows[b],
                                               int(data.offsets[b]), k, mask, minority,
                                               clean_class)
                           for b in range(data.n_blocks)])
    removed = np.unique(np.concatenate([f[0] for f in found] + [f[1] for f in found]))
    pieces = []
    for b in range(data.n_blocks):
        start, m = int(data.offsets[b]), int(data.lengths[b])
        local = removed[(removed >= start) & (removed < start + m)] - start
        pieces.append(data.take(b, delayed(_kept_local)(m, local), m - len(local)))
    return data.output(pieces, return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# RENN and AllKNN: rounds of ENN, each a block-wise search over the rows still kept


class _AliveView:
    """The rows of a :class:`_Data` not removed yet, as blocks for :func:`_block_search`.

    Block j holds the alive rows ``alive_local[j]`` of the data's block ``src[j]`` (blocks
    left empty are dropped), numbered by their global row numbers (``row_ids``), so ties
    break as the in-memory search over the alive rows breaks them.
    """

    def __init__(self, data, alive_local, alive_counts):
        self.src = [b for b in range(data.n_blocks) if alive_counts[b].sum() > 0]
        self.alive_local = [alive_local[b] for b in self.src]
        self.block_counts = alive_counts[self.src]
        self.lengths = self.block_counts.sum(axis=1)
        self.offsets = np.concatenate(([0], np.cumsum(self.lengths)[:-1])).astype(np.int64)
        self.n_classes = data.n_classes
        self._blocks = [delayed(_take)(data.numeric()[b], loc)
                        for b, loc in zip(self.src, self.alive_local)]
        self._code_blocks = [delayed(_take)(data.codes(b), loc)
                             for b, loc in zip(self.src, self.alive_local)]
        self._ids = [delayed(_shift)(loc, int(data.offsets[b]))
                     for b, loc in zip(self.src, self.alive_local)]

    @property
    def n_blocks(self):
        return len(self.src)

    def numeric(self):
        return self._blocks

    def codes(self, j):
        return self._code_blocks[j]

    def row_ids(self, j):
        return self._ids[j]


def _no_lists(n, width):
    """A block's neighbour lists before any search: (global rows, class codes, valid)."""
    return (np.zeros((n, width), dtype=np.intp), np.zeros((n, width), dtype=np.intp),
            np.zeros(n, dtype=np.intp))


def _compacted(state, removed):
    """The lists without the rows ``removed`` (global, sorted), order kept: the survivors
    are still the nearest alive rows (the invariant of ``cleaning._EditingRounds``)."""
    nbr, lab, valid = state
    if not len(removed) or not valid.any():
        return state
    keep = (np.arange(nbr.shape[1]) < valid[:, None]) & ~np.isin(nbr, removed)
    order = np.argsort(~keep, axis=1, kind="stable")
    return (np.take_along_axis(nbr, order, 1), np.take_along_axis(lab, order, 1),
            keep.sum(axis=1))


def _stale_rows(state, codes, removed_local, mask, k):
    """The block's alive rows of the targeted classes whose lists hold fewer than k rows."""
    alive = mask[codes]
    alive[removed_local] = False
    return np.flatnonzero(alive & (state[2] < k))


def _repaired(state, stale, lists, width):
    nbr, lab, valid = (a.copy() for a in state)
    nbr[stale, :width], lab[stale, :width], valid[stale] = lists[1], lists[2], width
    return nbr, lab, valid


def _round_vote(state, codes, removed_local, mask, k, mode):
    """The in-memory ENN vote of the block's alive targeted rows on their lists' first k
    rows: the block positions it removes and their class codes."""
    alive = mask[codes]
    alive[removed_local] = False
    rows = np.flatnonzero(alive)
    gone = _enn_removed((None, None, state[1][rows, :k]), codes, rows, k, mode)
    return gone, codes[gone]


class _BlockRounds:
    """The rounds object of ``cleaning._edit_in_rounds`` over a dask X, repairing lists as
    ``cleaning._EditingRounds`` does: each block keeps, on the workers, the ``k_max + 1``
    nearest alive rows of its rows (and their labels); after removals the lists are
    compacted, and only the rows left with fewer than a round's k are searched again,
    block-wise over the alive rows. Held in this process: the removed rows of each block and
    the alive rows per block and class."""

    def __init__(self, data, k_max, n_jobs):
        self.data = data
        self.n_jobs = n_jobs
        self.width = k_max + 1
        self.removed = [np.empty(0, dtype=np.intp) for _ in range(data.n_blocks)]
        self.alive_counts = data.block_counts.copy()
        self.lists = [delayed(_no_lists)(int(m), self.width) for m in data.lengths]

    def counts(self):
        return self.alive_counts.sum(axis=0)

    def targeted(self, ratio):
        codes = list(target_counts(ratio, None, self.data.classes, "clean",
                                   counts=self.counts()))
        mask = np.zeros(self.data.n_classes, dtype=bool)
        mask[codes] = True
        return mask

    def alive_local(self, b):
        return delayed(_kept_local)(int(self.data.lengths[b]), self.removed[b])

    def edit(self, mask, k, mode):
        data = self.data
        B = data.n_blocks
        removed = _broadcast(np.sort(np.concatenate(
            [r + int(o) for r, o in zip(self.removed, data.offsets)])))
        lists = dask.persist(*[delayed(_compacted)(self.lists[b], removed) for b in range(B)])
        stale = dask.compute(*[delayed(_stale_rows)(lists[b], data.codes(b), self.removed[b],
                                                    mask, k) for b in range(B)])
        if sum(len(s) for s in stale):
            n_alive = int(self.alive_counts.sum())
            _cleaning_mod._check_k_rows(k, n_alive,
                                        what="rows left after the previous rounds")
            width = min(self.width, n_alive - 1)
            alive = [self.alive_local(b) for b in range(B)]
            view = _AliveView(data, alive, self.alive_counts)
            positions = [delayed(np.searchsorted)(alive[b], stale[b]) for b in view.src]
            found, _, _ = _block_search(view, width, query_rows=(
                positions, [len(stale[b]) for b in view.src]), n_jobs=self.n_jobs)
            lists = list(lists)
            for j, b in enumerate(view.src):
                if len(stale[b]):
                    lists[b] = delayed(_repaired)(lists[b], stale[b], found[j], width)
        self.lists = list(dask.persist(*lists))
        votes = dask.compute(*[delayed(_round_vote)(self.lists[b], data.codes(b),
                                                    self.removed[b], mask, k, mode)
                               for b in range(B)])
        n_gone = 0
        for b, (gone, codes) in enumerate(votes):
            if len(gone):
                self.removed[b] = np.union1d(self.removed[b], gone)
                self.alive_counts[b] -= np.bincount(codes, minlength=data.n_classes)
                n_gone += len(gone)
        return n_gone

    def pieces(self):
        """The alive rows, class by class, ascending row number inside a class."""
        data = self.data
        return [data.take(b, delayed(_alive_of_class)(data.codes(b), self.removed[b], c),
                          int(self.alive_counts[b, c]))
                for c in range(data.n_classes) for b in range(data.n_blocks)]


def _alive_of_class(codes, removed_local, c):
    keep = codes == c
    keep[removed_local] = False
    return np.flatnonzero(keep)


@_weighted
def repeated_edited_nearest_neighbours(X, y, *, k=3, max_iter=100, kind_sel="all",
                                       ratio="auto", n_jobs=None, return_indices=False,
                                       sample_weight=None, return_provenance=False,
                                       return_n_iter=False):
    """Repeated edited nearest neighbours over a dask array: rounds of block-wise ENN.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, max_iter, kind_sel, ratio
        As :func:`resamplekit.repeated_edited_nearest_neighbours`.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1).
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.repeated_edited_nearest_neighbours` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.repeated_edited_nearest_neighbours`'s provenance
        records, last (after ``n_iter``).
    return_n_iter : bool, default=False
        Also return the number of rounds run.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows, class by class, ascending row number inside a class: the rows
        :func:`resamplekit.repeated_edited_nearest_neighbours` keeps, in its order.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    n_iter : int, only with ``return_n_iter=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    The in-memory loop and stopping rules (imbalanced-learn's) run here, and the in-memory
    repair of the neighbour lists: each block keeps, on the workers, the ``k + 1`` nearest
    rows still kept of each of its rows and their labels (``16 (k + 1)`` bytes per row); after
    a round the removed rows are dropped from the lists, and only the rows left with fewer
    than ``k`` are searched again, block-wise over the rows still kept (see
    :func:`kneighbors`; the removed rows are left out of every block, and X's blocks are
    read again). The in-memory vote runs on each block's lists, so every round removes the
    rows the in-memory round removes. Eager work: the searches, the rows to search again and
    the removed row numbers.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import repeated_edited_nearest_neighbours
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> idx = repeated_edited_nearest_neighbours(da.from_array(X, chunks=25), y,
    ...                                          return_indices=True)[2]
    >>> expected = resamplekit.repeated_edited_nearest_neighbours(X, y, return_indices=True)[2]
    >>> bool((idx.compute() == expected).all())
    True
    """
    data = _Data(X, y, "repeated_edited_nearest_neighbours")
    k = check_int(k, "k")
    max_iter = check_int(max_iter, "max_iter")
    mode = _cleaning_mod._check_kind_sel(kind_sel)
    data.targets(ratio, "clean")  # reject a bad ratio before any work
    _cleaning_mod._check_k_rows(k, data.n_samples)
    minority = int(np.argmin(data.counts))
    rounds = _BlockRounds(data, k, _task_threads(n_jobs))
    n_iter = _cleaning_mod._edit_in_rounds(
        rounds, ratio, itertools.repeat(k, max_iter), mode, minority,
        int(data.counts[minority]), check_minority=True, until_unchanged=True, total=None)
    pieces = rounds.pieces()
    out = data.output(pieces, return_indices=return_indices)
    out += (n_iter,) if return_n_iter else ()
    if return_provenance:  # last, after n_iter, as in memory
        out += (_lazy_records(pieces),)
    return out


@_weighted
def all_knn(X, y, *, k=3, kind_sel="all", allow_minority=False, ratio="auto", n_jobs=None,
            return_indices=False, sample_weight=None, return_provenance=False):
    """AllKNN over a dask array: ENN with 1, 2, ..., k neighbours, each round block-wise.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
        Numeric, finite.
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    k, kind_sel, allow_minority, ratio
        As :func:`resamplekit.all_knn`.
    n_jobs : int or None, default=None
        Threads of each block-pair search inside its task (None: 1).
    return_indices : bool, default=False
        Also return the global row number of each output row.
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.all_knn` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.all_knn`'s provenance records, last.

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows, class by class, ascending row number inside a class: the rows
        :func:`resamplekit.all_knn` keeps, in its order.
    y_res : dask array or dask Series (lazy)
    sample_weight_res : dask array of float64, only with ``sample_weight``
        The weight of each output row (right after ``y_res``).
    indices : dask array of intp, only with ``return_indices=True``
    provenance : dask array of records, only with ``return_provenance=True``

    Notes
    -----
    As :func:`repeated_edited_nearest_neighbours`: the in-memory loop and list repairs
    (block-wise searches over the rows still kept) and the in-memory vote.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import all_knn
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 60 + [1] * 20)
    >>> idx = all_knn(da.from_array(X, chunks=25), y, return_indices=True)[2]
    >>> bool((idx.compute() == resamplekit.all_knn(X, y, return_indices=True)[2]).all())
    True
    """
    data = _Data(X, y, "all_knn")
    k = check_int(k, "k")
    mode = _cleaning_mod._check_kind_sel(kind_sel)
    if not isinstance(allow_minority, (bool, np.bool_)):
        raise TypeError(f"allow_minority must be True or False, got {allow_minority!r}")
    data.targets(ratio, "clean")
    _cleaning_mod._check_k_rows(k, data.n_samples)
    minority = int(np.argmin(data.counts))
    rounds = _BlockRounds(data, k, _task_threads(n_jobs))
    _cleaning_mod._edit_in_rounds(
        rounds, ratio, range(1, k + 1), mode, minority, int(data.counts[minority]),
        check_minority=not allow_minority, until_unchanged=False, total=k)
    return data.output(rounds.pieces(), return_indices=return_indices,
                       return_provenance=return_provenance)


# --------------------------------------------------------------------------------------------
# Combinations: smote, then a block-wise cleaning of its result


def _composed_indices(idx_res, n):
    # the smote step's index of output row j is j for an input row, -1 for a new row
    return da.where(idx_res < n, idx_res, -1)


def _records_of_fields(idx, n, row, neighbor, gap, scale):
    records = _prov.made(row, neighbor, gap, scale, step="over-sampling")
    records["step"][idx < n] = "input"
    return records


def _composed_records(records_mid, idx_res, n):
    """The records of the rows ``idx_res`` of the SMOTE step's output (whose records are
    ``records_mid``): its input rows stay ``'input'``, its new rows become
    ``'over-sampling'`` (as in memory)."""
    with warnings.catch_warnings():
        # dask warns that a lookup by an index array multiplies its chunks (they are merged
        # back to the index's chunks right away)
        warnings.simplefilter("ignore", da.PerformanceWarning)
        fields = [records_mid[f][idx_res].rechunk(idx_res.chunks).to_delayed().ravel()
                  for f in ("row", "neighbor", "gap", "scale")]
    parts = [
        da.from_delayed(delayed(_records_of_fields)(i, n, *(f[j] for f in fields)), (int(m),),
                        dtype=_prov.PROVENANCE_DTYPE)
        for j, (i, m) in enumerate(zip(idx_res.to_delayed().ravel(), idx_res.chunks[0]))]
    return (da.concatenate(parts) if parts
            else da.from_array(np.empty(0, dtype=_prov.PROVENANCE_DTYPE), chunks=-1))


def _composed(out, rest, n, return_indices, return_provenance):
    """smote_tomek / smote_enn's outputs from the cleaning step's ``out`` (X, y, indices
    into the SMOTE step's output) and the SMOTE step's ``rest`` (indices[, records])."""
    result = out[:2] + ((_composed_indices(out[2], n),) if return_indices else ())
    if return_provenance:
        result += (_composed_records(rest[-1], out[2], n),)
    return result


@_weighted
def smote_tomek(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None,
                return_indices=False, sample_weight=None,
                return_provenance=False, max_gather_bytes=None):
    """SMOTE, then Tomek links over all classes: :func:`smote` then :func:`tomek_links`.

    Parameters
    ----------
    X, y, k, ratio, random_state, n_jobs, max_gather_bytes
        As :func:`smote` (``n_jobs`` also for the cleaning step's searches).
    return_indices : bool, default=False
        Also return the global input row of each output row (-1 for a new row).
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.smote_tomek` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.smote_tomek`'s provenance records, last.

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices][, provenance] : lazy dask collections;
        with an integer seed the rows of :func:`resamplekit.smote_tomek`, in its order (its
        provenance records: ``'input'`` rows kept by the cleaning step, ``'over-sampling'``
        rows made by the SMOTE step).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import smote_tomek
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(120, 2)); y = np.array([0] * 100 + [1] * 20)
    >>> got = smote_tomek(da.from_array(X, chunks=50), y, random_state=0)[0].compute()
    >>> bool((got == resamplekit.smote_tomek(X, y, random_state=0)[0]).all())
    True
    """
    X_mid, y_mid, *rest = smote(X, y, k=k, ratio=ratio, random_state=random_state,
                                n_jobs=n_jobs, return_indices=True,
                                return_provenance=return_provenance,
                                max_gather_bytes=max_gather_bytes)
    out = tomek_links(X_mid, y_mid, ratio="all", n_jobs=n_jobs, return_indices=True)
    return _composed(out, rest, _n_input_rows(X), return_indices, return_provenance)


@_weighted
def smote_enn(X, y, *, k=5, enn_k=3, ratio="auto", random_state=None, n_jobs=None,
              return_indices=False, sample_weight=None,
              return_provenance=False, max_gather_bytes=None):
    """SMOTE, then ENN over all classes: :func:`smote` then :func:`edited_nearest_neighbours`.

    Parameters
    ----------
    X, y, k, ratio, random_state, n_jobs, max_gather_bytes
        As :func:`smote` (``n_jobs`` also for the cleaning step's searches).
    enn_k : int, default=3
        The editing step's neighbour count (``kind_sel='all'``, all classes cleaned).
    return_indices : bool, default=False
        Also return the global input row of each output row (-1 for a new row).
    sample_weight : array-like of shape (n_samples,), default=None
        As :func:`resamplekit.smote_enn` (see the module docstring).
    return_provenance : bool, default=False
        Also return :func:`resamplekit.smote_enn`'s provenance records, last.

    Returns
    -------
    X_res, y_res[, sample_weight_res][, indices][, provenance] : lazy dask collections;
        with an integer seed the rows of :func:`resamplekit.smote_enn`, in its order (its
        provenance records: ``'input'`` rows kept by the cleaning step, ``'over-sampling'``
        rows made by the SMOTE step).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> import resamplekit
    >>> from resamplekit.dask import smote_enn
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(120, 2)); y = np.array([0] * 100 + [1] * 20)
    >>> got = smote_enn(da.from_array(X, chunks=50), y, random_state=0)[0].compute()
    >>> bool((got == resamplekit.smote_enn(X, y, random_state=0)[0]).all())
    True
    """
    enn_k = check_int(enn_k, "enn_k", minimum=1)
    X_mid, y_mid, *rest = smote(X, y, k=k, ratio=ratio, random_state=random_state,
                                n_jobs=n_jobs, return_indices=True,
                                return_provenance=return_provenance,
                                max_gather_bytes=max_gather_bytes)
    n_mid = int(X_mid.shape[0]) if not _is_frame(X_mid) else None
    if n_mid is not None and enn_k >= n_mid:
        raise ValueError(
            f"smote_enn: enn_k must be smaller than the number of rows after over-sampling "
            f"({n_mid}), since each row needs {enn_k} other rows as neighbours; got "
            f"enn_k={enn_k}"
        )
    out = edited_nearest_neighbours(X_mid, y_mid, k=enn_k, kind_sel="all", ratio="all",
                                    n_jobs=n_jobs, return_indices=True)
    return _composed(out, rest, _n_input_rows(X), return_indices, return_provenance)


def _n_input_rows(X):
    if isinstance(X, da.Array) and not math.isnan(X.shape[0]):
        return int(X.shape[0])
    if isinstance(X, da.Array):
        return int(X.compute_chunk_sizes().shape[0])
    return int(X.map_partitions(len).compute().sum())


# --------------------------------------------------------------------------------------------
# Methods that run in one process: gathered within the budget, else refused


def _wrap_gathered(data, out, n_rows):
    """The in-memory results as dask collections of the caller's kind."""
    chunk = max(1, int(max(data.lengths)))
    wrapped = []
    n_out = len(out[0])
    for value in out:
        # the per-row outputs (X, y, weights, indices, provenance) as dask collections
        if not hasattr(value, "shape") or not value.shape or len(value) != n_out:
            wrapped.append(value)
        elif hasattr(value, "iloc"):
            wrapped.append(_dd().from_pandas(value, chunksize=chunk, sort=False))
        else:
            value = np.asarray(value)
            wrapped.append(da.from_array(value, chunks=(chunk,) + value.shape[1:]))
    return tuple(wrapped)


def _gathering(name, module, reason, alternative):
    in_memory = getattr(module, name)

    def method(X, y, *, max_gather_bytes=None, **kwargs):
        data = _Data(X, y, name)
        budget = _budget(max_gather_bytes)
        width = data.n_features * max(8, data.dtype.itemsize if data.dtype is not None else 8)
        need = int(data.n_samples) * (width + 16)
        _gather_check(name, need, budget, f"{reason}; gathering X and y", alternative)
        w = kwargs.get("sample_weight")
        if isinstance(w, da.Array) or _is_series(w):
            kwargs["sample_weight"] = w.compute()
        if isinstance(y, da.Array) or _is_series(y):
            X_mem, y_mem = dask.compute(X, y)
        else:
            X_mem, y_mem = X.compute(), y
        out = in_memory(X_mem, y_mem, **kwargs)
        return _wrap_gathered(data, out, data.n_samples)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"""{name} over dask collections, gathered into one process.

    {reason[0].upper() + reason[1:]}. So X and y are computed into this process when they fit
    ``max_gather_bytes`` (about ``n_samples * (n_features * 8 + 16)`` bytes), and
    :func:`resamplekit.{name}` runs on them: the result is exactly the in-memory one. Larger
    data is refused with a ValueError that says why; the alternative: {alternative}.

    Parameters
    ----------
    X : dask array of shape (n_samples, n_features) or dask DataFrame
    y : dask array, dask Series or NumPy array of shape (n_samples,)
    max_gather_bytes : int or None, default=None
        Most bytes X and y may take in one process; None: :func:`default_gather_bytes`.
    **kwargs
        The keywords of :func:`resamplekit.{name}`.

    Returns
    -------
    X_res, y_res[, ...] : dask collections of the caller's kind, then any further outputs of
        :func:`resamplekit.{name}` (the per-row ones, weights, indices and provenance, as
        dask arrays).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from resamplekit.dask import {name}
    >>> X = da.from_array(np.random.default_rng(0).normal(size=(60, 2)), chunks=20)
    >>> y = np.array([0] * 40 + [1] * 20)
    >>> try:
    ...     {name}(X, y, max_gather_bytes=0)
    ... except ValueError as exc:
    ...     print(str(exc).split(" needs ")[0])
    {name}: {reason}; gathering X and y
    """
    return method


_ONE_FIT = "it fits one {} on all the rows"
_SEQUENTIAL = ("it is sequential by nature (each row's fate depends on the store built from "
               "the rows before it)")
_SEARCH_ALTERNATIVE = ("edited_nearest_neighbours or tomek_links (block-wise, exact), or "
                       "random_under first to bring the data within the budget")
_OVER_ALTERNATIVE = ("smote, borderline_smote or adasyn (the classes to over-sample gathered "
                     "within the budget, the rest block-wise), or random_under first to bring "
                     "the data within the budget")

condensed_nearest_neighbour = _gathering(
    "condensed_nearest_neighbour", _cleaning_mod, _SEQUENTIAL, _SEARCH_ALTERNATIVE)
one_sided_selection = _gathering(
    "one_sided_selection", _cleaning_mod, _SEQUENTIAL, _SEARCH_ALTERNATIVE)
cluster_centroids = _gathering(
    "cluster_centroids", _under_mod, _ONE_FIT.format("KMeans per class"),
    "random_under (block-wise), or random_under first to bring the data within the budget")
instance_hardness_threshold = _gathering(
    "instance_hardness_threshold", _under_mod,
    _ONE_FIT.format("cross-validated classifier"),
    "random_under or edited_nearest_neighbours (block-wise)")
svm_smote = _gathering("svm_smote", _over_mod, _ONE_FIT.format("SVM"), _OVER_ALTERNATIVE)
kmeans_smote = _gathering("kmeans_smote", _over_mod, _ONE_FIT.format("KMeans"),
                          _OVER_ALTERNATIVE)
smotenc = _gathering(
    "smotenc", _over_mod,
    "its mixed metric and categorical votes are not block-wise yet", _OVER_ALTERNATIVE)
smoten = _gathering(
    "smoten", _over_mod,
    "its value-difference metric and votes are not block-wise yet", _OVER_ALTERNATIVE)
