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
  the number of workers. Only the labels are read eagerly (class counts per block).
- ``smote``: the rows of the classes to over-sample are gathered (within ``max_gather_bytes``),
  their neighbour search and random draws run exactly as in memory, and the new rows are
  synthesised block by block on the workers. With an integer seed the new rows equal
  :func:`resamplekit.smote`'s.
- ``kneighbors``, ``edited_nearest_neighbours``, ``tomek_links``: a block-wise exact neighbour
  search (every pair of query block and row block, skipped when the blocks' bounding boxes prove
  it holds no neighbour, merged by (distance, global row) in a tree); the rules run on the
  merged lists with the in-memory kernels. Same neighbours, same rows, same order as in memory.
- The other methods gather ``X`` and ``y`` and call the in-memory function when they fit
  ``max_gather_bytes``; otherwise they refuse with an error that names the reason.

Nothing here computes all of ``X`` in one process unless it fits ``max_gather_bytes``.
"""
from __future__ import annotations

import math
import numbers
import re
from typing import Any

import numpy as np

import dask
import dask.array as da
from dask import delayed

from . import cleaning as _cleaning_mod
from . import over_sampling as _over_mod
from . import under_sampling as _under_mod
from ._kernels import _cleaning
from ._kernels._smote import interpolate
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
    ``y_parts[b]``: delayed labels of block b; ``lengths``, ``offsets``; ``classes`` (sorted
    labels) and ``block_counts`` (B, K): rows of each class in each block (computed eagerly:
    one pass over y).
    """

    def __init__(self, X, y, method):
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
        if _is_series(y):
            self.y_kind = "series"
            self.y_name = y.name
            y = y.to_dask_array(lengths=True)
        elif not isinstance(y, da.Array):
            y = np.asarray(y)
            if y.ndim != 1:
                encode_labels(y)  # the in-memory message
            y = da.from_array(y, chunks=(tuple(lengths),))
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
        summaries = dask.compute(*[delayed(_label_summary)(p) for p in self.y_parts])
        classes = np.unique(np.concatenate([s[0] for s in summaries]))
        if len(classes) < 2:
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
        return delayed(_codes)(self.y_parts[b], self.classes)

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

    def output(self, pieces, *, return_indices, keep_index=False):
        """The result collections from ``pieces``: a list of
        ``(x_block, y_block, index_block, n_rows, numeric)`` delayed blocks in output order."""
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
        ys = [da.from_delayed(p[1], (int(p[3]),), dtype=self.y_dtype) for p in pieces]
        y_out = da.concatenate(ys) if ys else da.zeros((0,), dtype=self.y_dtype)
        if self.y_kind == "series":
            series = [delayed(_as_series)(p[1], self.y_name, int(s), p[3], x, keep_index)
                      for p, s, x in zip(pieces, starts, xs)]
            import pandas as pd

            meta_y = pd.Series(np.empty(0, dtype=self.y_dtype), name=self.y_name)
            if keep_index:
                meta_y.index = self.meta.index[:0]
            y_out = _dd().from_delayed(series or [delayed(meta_y)], meta=meta_y,
                                       divisions=X_out.divisions if xs else None,
                                       verify_meta=False)
        out = (X_out, y_out)
        if return_indices:
            idx = [da.from_delayed(p[2], (int(p[3]),), dtype=np.intp) for p in pieces]
            out += (da.concatenate(idx) if idx else da.zeros((0,), dtype=np.intp),)
        return out

    def take(self, b, local, n, *, numeric=False):
        """A piece: rows ``local`` (delayed positions) of block b."""
        src = self.numeric()[b] if numeric else self.parts[b]
        return (delayed(_take)(src, local), delayed(_take)(self.y_parts[b], local),
                delayed(_shift)(local, int(self.offsets[b])), int(n), numeric)

    def whole(self, b, *, numeric=False):
        """A piece: all of block b."""
        src = self.numeric()[b] if numeric else self.parts[b]
        m = int(self.lengths[b])
        return (src, delayed(np.asarray)(self.y_parts[b]),
                delayed(np.arange)(int(self.offsets[b]), int(self.offsets[b]) + m,
                                   dtype=np.intp), m, numeric)


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


def _as_series(labels, name, start, n, x_block, keep_index):
    import pandas as pd

    index = x_block.index if keep_index else pd.RangeIndex(start, start + n)
    return pd.Series(np.asarray(labels), name=name, index=index)


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
            limits = [os_memory()]
        except (ValueError, OSError, AttributeError):
            limits = [8 << 30]
    return int(GATHER_FRACTION * min(limits))


def os_memory():
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
    """``obj`` as one graph node (scattered to every worker once under dask.distributed)."""
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        return delayed(obj, pure=True)
    return client.scatter(obj, broadcast=True, hash=False)


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


def random_under(X, y, *, ratio="auto", replacement=False, random_state=None,
                 return_indices=False):
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

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        The kept rows class by class in sorted label order; inside a class block by block, and
        inside a block in draw order (targeted classes) or input order (other classes). A
        DataFrame keeps the index labels of the rows kept.
    y_res : dask array or dask Series (lazy)
    indices : dask array of intp, only with ``return_indices=True``

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
    Eager work: one pass over y (class counts per block).

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
    draws = [delayed(_under_block, nout=None)(data.y_parts[b], data.classes, quotas[b],
                                              bool(replacement), children[b + 1])
             for b in range(data.n_blocks)]
    pieces = []
    for c in range(data.n_classes):
        for b in range(data.n_blocks):
            n = quotas[b, c] if quotas[b, c] >= 0 else data.block_counts[b, c]
            pieces.append(data.take(b, delayed(_pick)(draws[b], c), n))
    return data.output(pieces, return_indices=return_indices, keep_index=True)


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


def random_over(X, y, *, ratio="auto", shrinkage=None, random_state=None,
                return_indices=False):
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

    Returns
    -------
    X_res : dask array or dask DataFrame (lazy)
        All input rows in order, then the new rows class by class in sorted label order, block
        by block inside a class.
    y_res : dask array or dask Series (lazy)
    indices : dask array of intp, only with ``return_indices=True``

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
    draws = [delayed(_over_block)(data.y_parts[b], data.classes, quotas[b], children[b + 1])
             for b in range(data.n_blocks)]
    noise_seeds = [s.spawn(1)[0] for s in children[1:]] if numeric else None
    pieces = [data.whole(b, numeric=numeric) for b in range(data.n_blocks)]
    for c in targets:
        for b in range(data.n_blocks):
            local = delayed(_pick)(draws[b], c)
            piece = data.take(b, local, quotas[b, c], numeric=numeric)
            if numeric:
                seed = noise_seeds[b].spawn(1)[0]
                x = delayed(_smoothed_block)(data.numeric()[b], local, scales[c], seed)
                piece = (x,) + piece[1:]
            pieces.append(piece)
    return data.output(pieces, return_indices=return_indices)
