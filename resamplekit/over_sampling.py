"""Over-sampling: new minority rows, appended after all original rows.

Each function validates ``X, y`` once (``_validation.check_X_y``), resolves ``ratio`` into the
number of rows to generate per class (``_strategy.target_counts(..., "over")``), gets every
neighbour from ``_neighbors.kneighbors`` (or, for the non-Euclidean metrics of SMOTE-NC and
SMOTE-N, from their streamed kernels in ``_kernels._smote_categorical``), draws its random
numbers in Python as whole arrays (imbalanced-learn's ``RandomState`` call order), and hands the
drawn indices and gaps to the one synthesis kernel ``_kernels._smote.interpolate``.
"""
import math
import numbers
import sys
import warnings

import numpy as np

from ._kernels._smote import interpolate
from ._kernels._smote_categorical import (
    count_max_ties,
    mixed_kneighbors,
    mode_vote,
    pick_max_tie,
    vdm_kneighbors,
)
from ._neighbors import kneighbors
from ._strategy import target_counts
from ._validation import check_int, check_n_jobs, check_random_state, check_X_y

__all__ = ["kmeans_smote", "smotenc", "smoten"]


# Helpers shared with the SMOTE family section (identical copies of branch `over`'s; keep one
# of each at integration).


def _label(ds, code):
    label = ds.classes[code]
    return label.item() if hasattr(label, "item") else label


def _check_class_size(ds, code, k, method):
    """A class that interpolates between its own rows needs more than k of them."""
    n_c = int(ds.counts[code])
    if n_c > k:
        return
    label = _label(ds, code)
    fix = f"lower k to at most {n_c - 1}, or " if n_c > 1 else ""
    raise ValueError(
        f"{method}: class {label!r} has {n_c} rows, but k={k} needs at least k + 1 = {k + 1} "
        f"(each row of the class and its k nearest neighbours in the class); {fix}leave class "
        f"{label!r} out of ratio (for example ratio={{label: count}} for the other classes)."
    )


def _draw_segments(random_state, n_base, k, n_new, step_size=1.0):
    """imbalanced-learn's ``_make_samples`` draws: base rows, neighbour columns, steps."""
    rs = check_random_state(random_state)
    draws = rs.randint(low=0, high=n_base * k, size=n_new)
    steps = step_size * rs.uniform(size=n_new)
    return np.floor_divide(draws, k), np.mod(draws, k), steps


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


def _pandas():
    return sys.modules.get("pandas")


def _is_frame(X):
    pd = _pandas()
    return pd is not None and isinstance(X, pd.DataFrame)


def _column_name(X, j):
    return repr(X.columns[j]) if _is_frame(X) else str(j)


def _column(X, j):
    """Column ``j`` of a DataFrame or 2-D ndarray as a 1-D ndarray (categoricals as values)."""
    if _is_frame(X):
        col = X.iloc[:, j]
        pd = _pandas()
        if isinstance(col.dtype, pd.CategoricalDtype):
            return np.asarray(col.astype(object))
        return col.to_numpy()
    return X[:, j]


def _as_2d_table(X, method):
    """Lists and other array-likes -> 2-D ndarray (object when mixed); DataFrames untouched."""
    if _is_frame(X):
        if X.ndim != 2:  # pragma: no cover - DataFrames are 2-D
            raise ValueError(f"{method}: X must be 2-dimensional")
        return X
    if not isinstance(X, np.ndarray):
        try:
            arr = np.asarray(X)
        except (ValueError, TypeError):
            arr = None
        if arr is None or arr.dtype.kind in "USO":
            # mixed rows such as [1.5, "a"]: keep each value's own type
            arr = np.empty((len(X), len(X[0]) if len(X) else 0), dtype=object)
            arr[...] = [list(row) for row in X]
        X = arr
    if X.ndim != 2:
        raise ValueError(f"{method}: X must be 2-dimensional, got an array of shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{method}: X must have at least one row and one column, got shape {X.shape}")
    return X


def _missing(values):
    """Boolean mask of missing values (None, NaN, pandas NA) in a 1-D array."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        pd = _pandas()
        if pd is not None:
            return np.asarray(pd.isna(values), dtype=bool)
        return np.asarray((values != values) | (values == None), dtype=bool)  # noqa: E711
    return np.zeros(values.shape[0], dtype=bool)


def _ordinal_codes(X, columns, encoder, method, one_hot):
    """Integer codes (n, len(columns)) int32 and the categories of each column.

    Default: the categories of each column are its sorted distinct values (sklearn's
    OneHotEncoder / OrdinalEncoder order). With ``encoder`` (an unfitted sklearn-like
    encoder, cloned and fitted here), its ``categories_`` define the codes: for SMOTE-NC a
    one-hot encoder (one column per category, codes = the active column of each block), for
    SMOTE-N an ordinal encoder.
    """
    n = X.shape[0]
    codes = np.empty((n, len(columns)), dtype=np.int32)
    if encoder is None:
        categories = []
        for out_j, j in enumerate(columns):
            values = _column(X, j)
            if _missing(values).any():
                raise ValueError(
                    f"{method}: categorical column {_column_name(X, j)} contains missing values "
                    "(None or NaN); encode them as a category of their own first."
                )
            if values.dtype == object and values.size:
                kinds = set(map(type, values.tolist()))
                if len(kinds) == 1 and next(iter(kinds)) in (str, int):
                    # one Python type: sort a typed copy (object sorts are much slower); the
                    # categories go back to Python objects
                    typed = np.array(values.tolist())
                    if typed.dtype.kind in "iuU":
                        cats, inverse = np.unique(typed, return_inverse=True)
                        codes[:, out_j] = inverse.reshape(-1)
                        categories.append(cats.astype(object))
                        continue
            try:
                cats, inverse = np.unique(values, return_inverse=True)
            except TypeError as exc:
                raise TypeError(
                    f"{method}: the values of categorical column {_column_name(X, j)} cannot "
                    f"be sorted ({exc}); give the column values of one type."
                ) from exc
            codes[:, out_j] = inverse.reshape(-1)
            categories.append(cats)
        return codes, categories

    try:
        from sklearn.base import clone
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"{method}: categorical_encoder needs scikit-learn; install it with "
            "`pip install scikit-learn`, or pass categorical_encoder=None."
        ) from exc
    if not (hasattr(encoder, "fit_transform") and hasattr(encoder, "inverse_transform")):
        raise TypeError(
            f"{method}: categorical_encoder must be None or an encoder with fit_transform and "
            f"inverse_transform (such as sklearn's {'OneHotEncoder' if one_hot else 'OrdinalEncoder'}), "
            f"got {encoder!r}"
        )
    enc = clone(encoder)
    block = X.iloc[:, list(columns)] if _is_frame(X) else X[:, list(columns)]
    encoded = enc.fit_transform(block)
    categories = [np.asarray(c) for c in enc.categories_]
    if one_hot:
        n_categories = sum(c.size for c in categories)
        if encoded.shape[1] != n_categories:
            raise ValueError(
                "smotenc requires a one-hot encoding with one column per category "
                "for the categorical features. The provided `categorical_encoder` "
                f"produced {encoded.shape[1]} columns for {n_categories} categories. "
                "This happens when the encoder drops columns (e.g. "
                "`OneHotEncoder(drop=...)`) or merges infrequent categories, which "
                "is not supported. Pass an encoder that keeps all categories, such "
                "as `OneHotEncoder(handle_unknown='ignore')`."
            )
        start = 0
        for out_j, cats in enumerate(categories):
            part = encoded[:, start:start + cats.size]
            codes[:, out_j] = np.asarray(part.argmax(axis=1)).reshape(-1)
            start += cats.size
    else:
        encoded = np.asarray(encoded)
        if encoded.shape != codes.shape or not np.all(np.isfinite(encoded.astype(float))):
            raise ValueError(
                f"{method}: categorical_encoder must map X to one finite ordinal code per "
                f"column, got an output of shape {encoded.shape}"
            )
        codes[...] = encoded.astype(np.int64)
        if (codes < 0).any() or any(
            codes[:, j].max() >= len(categories[j]) for j in range(len(categories))
        ):
            raise ValueError(
                f"{method}: categorical_encoder must give codes 0..n_categories-1 per column"
            )
    return codes, categories


def _output_dtype(dtype, all_categorical):
    """ndarray output dtype: floats kept, other numbers -> float64, text/objects -> object."""
    if all_categorical:
        return dtype
    if dtype in (np.float32, np.float64):
        return dtype
    if dtype.kind in "biuf":
        return np.dtype(np.float64)
    return np.dtype(object)


def _append_rows(ds, X, new_columns, y_new, return_indices, all_categorical):
    """Original rows of ``X`` then the new rows given column by column (``new_columns[j]``).

    Builds the caller's container itself (``Dataset.append`` handles numeric arrays only):
    DataFrame -> DataFrame with the same columns, categorical dtypes kept, continuous columns
    float (integer ones become float64), new RangeIndex; ndarray -> ndarray.
    """
    n = X.shape[0]
    n_new = y_new.shape[0]
    if _is_frame(X):
        pd = _pandas()
        parts = {}
        for j in range(X.shape[1]):
            orig = X.iloc[:, j].reset_index(drop=True)
            new = new_columns[j]
            if new.dtype.kind == "f" and orig.dtype.kind in "biu":
                orig = orig.astype(np.float64)
                added = pd.Series(new, dtype=np.float64)
            elif new.dtype.kind == "f" and orig.dtype.kind == "f":
                added = pd.Series(new, dtype=orig.dtype)
            else:
                added = pd.Series(new, dtype=orig.dtype)
            parts[j] = pd.concat([orig, added], ignore_index=True)
        X_res = pd.DataFrame(parts)
        X_res.columns = X.columns
    else:
        X_res = np.empty((n + n_new, X.shape[1]), dtype=_output_dtype(X.dtype, all_categorical))
        X_res[:n] = X
        for j, col in enumerate(new_columns):
            X_res[n:, j] = col
    y_codes = np.concatenate([ds.y, np.asarray(y_new, dtype=np.intp)])
    labels = ds.labels(y_codes)
    pd = _pandas()
    y_orig = ds._y_orig
    if pd is not None and isinstance(y_orig, pd.Series):
        labels = pd.Series(labels, name=y_orig.name, dtype=y_orig.dtype)
    out = (X_res, labels)
    if return_indices:
        out = out + (np.concatenate([np.arange(n), np.full(n_new, -1)]).astype(np.intp),)
    return out


# ---------------------------------------------------------------- KMeans-SMOTE

def _sum_pairwise_distances(X):
    """Sum of the Euclidean distances over all ordered pairs of rows of X (diagonal excluded).

    Streamed over row chunks with the GEMM trick (as sklearn's ``pairwise_distances``), each
    chunk against the rows from its own start on (the distance is symmetric, so pairs with a
    later chunk count twice); the buffer is bounded (about 2**20 doubles = 8 MB), never n x n.
    Time O(n^2 d / 2).
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    sq = np.einsum("ij,ij->i", X, X)
    step = max(1, min(n, (1 << 20) // max(n, 1)))
    total = 0.0
    for s in range(0, n, step):
        e = min(n, s + step)
        d2 = X[s:e] @ X[s:].T
        d2 *= -2.0
        d2 += sq[s:e, None]
        d2 += sq[None, s:]
        np.maximum(d2, 0.0, out=d2)
        d2[np.arange(e - s), np.arange(e - s)] = 0.0
        np.sqrt(d2, out=d2)
        total += float(d2[:, : e - s].sum()) + 2.0 * float(d2[:, e - s:].sum())
    return total


def _log_sparsity(X, density_exponent):
    """log of imbalanced-learn's cluster sparsity ``mean_distance ** exponent / n``.

    In log space so that equal points (sparsity 0, where imbalanced-learn divides 0 by 0) and
    huge distances (overflow) still give usable weights.
    """
    n = X.shape[0]
    mean_distance = _sum_pairwise_distances(X) / (n * n - n)
    if density_exponent == "auto":
        exponent = math.log(n, 1.6) ** 1.8 * 0.16
    else:
        exponent = float(density_exponent)
    if mean_distance <= 0.0:
        return -math.inf if exponent > 0 else (math.inf if exponent < 0 else -math.log(n))
    return exponent * math.log(mean_distance) - math.log(n)


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
    try:
        from sklearn.base import clone
        from sklearn.cluster import MiniBatchKMeans
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "kmeans_smote needs scikit-learn for its clustering; install it with "
            "`pip install scikit-learn`."
        ) from exc
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


def kmeans_smote(X, y, *, k=2, kmeans_estimator=None, cluster_balance_threshold="auto",
                 density_exponent="auto", ratio="auto", random_state=None, n_jobs=None,
                 return_indices=False):
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
    X : array-like of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
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
        with n the number of class rows in the cluster (imbalanced-learn's rule).
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        Seeds the default clusterer and the SMOTE draws (an int restarts the stream for every
        cluster, as imbalanced-learn does).
    n_jobs : int or None, default=None
        Threads for the neighbour search and synthesis (None: all cores). The result does not
        depend on it.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class (ascending label), cluster by cluster.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``

    Raises
    ------
    ValueError
        If a class to over-sample has ``k`` rows or fewer, if no cluster qualifies for a class
        (imbalanced-learn raises RuntimeError there), or for invalid parameters.
    ImportError
        If scikit-learn is not installed (needed for the default clusterer).

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
        return ds.append(np.empty((0, Xf.shape[1]), Xf.dtype), [], return_indices=return_indices)

    # One clustering of all X: it does not depend on the class being over-sampled.
    if hasattr(estimator, "fit_predict"):
        clusters = np.asarray(estimator.fit_predict(Xf)).astype(np.intp, copy=False)
    else:
        clusters = np.asarray(estimator.fit(Xf).predict(Xf)).astype(np.intp, copy=False)
    n_clusters = getattr(estimator, "n_clusters", None)
    if n_clusters is None:
        n_clusters = int(clusters.max()) + 1 if clusters.size else 0
    if n_clusters == 1:
        threshold = -math.inf

    order = np.argsort(clusters, kind="stable")
    bounds = np.searchsorted(clusters[order], np.arange(n_clusters + 1))
    members = [order[bounds[c]:bounds[c + 1]] for c in range(n_clusters)]

    X_parts, y_parts = [], []
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
            log_weights.append(_log_sparsity(Xf[rows_c], exponent))
        if not chosen:
            label = _label(ds, code)
            raise ValueError(
                f"{method}: no cluster has a share of class {label!r} of at least the "
                f"cluster_balance_threshold and more than k={k} rows of it; lower "
                "cluster_balance_threshold, use more clusters (kmeans_estimator), or lower k."
            )
        for rows_c, m in zip(chosen, _split_exactly(n_new, log_weights)):
            if m == 0:
                continue
            X_c = np.ascontiguousarray(Xf[rows_c])
            nns = kneighbors(X_c, k, n_jobs=n_jobs)[1]
            base, cols, steps = _draw_segments(random_state, rows_c.shape[0], k, int(m))
            out = np.empty((int(m), Xf.shape[1]), dtype=Xf.dtype)
            interpolate(X_c, np.ascontiguousarray(base, dtype=np.intp), X_c,
                        np.ascontiguousarray(nns[base, cols], dtype=np.intp),
                        np.ascontiguousarray(steps, dtype=np.float64), out, n_threads)
            X_parts.append(out)
            y_parts.append(np.full(int(m), code, dtype=np.intp))
    X_new = np.concatenate(X_parts) if X_parts else np.empty((0, Xf.shape[1]), Xf.dtype)
    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    return ds.append(X_new, y_new, return_indices=return_indices)


# ---------------------------------------------------------------- SMOTE-NC

def _categorical_indices(X, categorical_features, n_features):
    """Indices of the categorical columns, in the caller's order (imbalanced-learn's)."""
    if isinstance(categorical_features, str):
        if categorical_features != "auto":
            raise ValueError(
                "categorical_features must be 'auto', column indices, a boolean mask or "
                f"column names, got {categorical_features!r}"
            )
        if not _is_frame(X):
            raise ValueError(
                "When `categorical_features='auto'`, the input data should be a "
                f"pandas.DataFrame. Got {type(X)} instead."
            )
        pd = _pandas()
        return np.flatnonzero([isinstance(t, pd.CategoricalDtype) for t in X.dtypes])
    values = np.asarray(categorical_features)
    if values.ndim != 1:
        raise ValueError(
            "categorical_features must be a 1-D list of indices, a boolean mask or column "
            f"names, got an array of shape {values.shape}"
        )
    if values.size == 0:
        return np.empty(0, dtype=np.intp)
    if values.dtype == bool:
        if values.size != n_features:
            raise ValueError(
                f"categorical_features as a boolean mask must have one entry per column "
                f"({n_features}), got {values.size}"
            )
        return np.flatnonzero(values)
    if values.dtype.kind in "iu":
        bad = values[(values < -n_features) | (values >= n_features)]
        if bad.size:
            raise ValueError(
                f"categorical_features has column indices out of range for {n_features} "
                f"columns: {bad.tolist()}"
            )
        idx = np.where(values < 0, values + n_features, values).astype(np.intp)
        _, first = np.unique(idx, return_index=True)
        return idx[np.sort(first)]
    if values.dtype.kind in "UO":
        if not _is_frame(X):
            raise ValueError(
                "categorical_features as column names needs X to be a pandas.DataFrame, got "
                f"{type(X).__name__}; give column indices or a boolean mask instead."
            )
        columns = list(X.columns)
        missing = [v for v in values.tolist() if v not in columns]
        if missing:
            raise ValueError(
                f"categorical_features names columns that are not in X: {missing}; the "
                f"columns of X are {columns}"
            )
        idx = np.array([columns.index(v) for v in values.tolist()], dtype=np.intp)
        _, first = np.unique(idx, return_index=True)
        return idx[np.sort(first)]
    raise TypeError(
        "categorical_features must be 'auto', integer indices, a boolean mask or column "
        f"names, got {categorical_features!r}"
    )


def _continuous_block(X, columns):
    """The continuous columns as a C-contiguous float32 (if all float32) or float64 array."""
    if _is_frame(X):
        part = X.iloc[:, list(columns)]
        dtypes = set(part.dtypes)
        all32 = dtypes == {np.dtype(np.float32)}
        raw = [part.iloc[:, j].to_numpy() for j in range(part.shape[1])]
    else:
        all32 = X.dtype == np.float32
        raw = [X[:, j] for j in columns]
    dtype = np.float32 if all32 else np.float64
    out = np.empty((X.shape[0], len(columns)), dtype=dtype)
    for out_j, (j, values) in enumerate(zip(columns, raw)):
        try:
            out[:, out_j] = np.asarray(values, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"smotenc: continuous column {_column_name(X, j)} must be numeric ({exc}); "
                "list it in categorical_features if it is categorical."
            ) from exc
        if not np.isfinite(out[:, out_j]).all():
            raise ValueError(
                f"smotenc: continuous column {_column_name(X, j)} contains NaN or infinity; "
                "SMOTE-NC needs finite continuous values."
            )
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


def smotenc(X, y, *, categorical_features, k=5, categorical_encoder=None, ratio="auto",
            random_state=None, n_jobs=None, return_indices=False):
    """Over-sample mixed continuous and categorical data with SMOTE-NC.

    For each class to over-sample, each row's ``k`` nearest rows of the class are found under
    SMOTE-NC's metric: squared Euclidean distance on the continuous columns plus ``m**2`` for
    every categorical column whose values differ, with ``m`` the median of the standard
    deviations of the class's continuous columns (imbalanced-learn's one-hot columns scaled by
    ``m / sqrt(2)``). New rows are drawn like SMOTE's on the continuous columns, and each
    categorical column takes the most frequent value among the base row's ``k`` neighbours.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Continuous columns numeric and finite; categorical columns of any sortable values
        (strings, numbers, pandas categoricals), without missing values.
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
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class. A DataFrame keeps its columns and
        dtypes (integer continuous columns become float64); an ndarray keeps a float dtype,
        other numeric arrays give float64 and text or mixed arrays give an object array.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``

    Raises
    ------
    ValueError
        If all or none of the columns are categorical, a continuous column is not numeric or
        not finite, a categorical column has missing values, a class to over-sample has ``k``
        rows or fewer, or for invalid parameters.

    Notes
    -----
    Memory: O(n * (n_features + k) + n_new * n_features); no one-hot matrix and no
    ``(n_new, k, n_one_hot)`` tensor (which needs 135 GiB in imbalanced-learn#768). The
    neighbour search is a streamed brute force over the class's rows, O(n_c^2 * n_features).

    Differences from imbalanced-learn: a row's own index is excluded from its neighbours; the
    vote counts integer occurrences (imbalanced-learn compares scaled counts with
    ``np.isclose``, which can tie a category that no neighbour has when the median standard
    deviation is below about 1e-8); integer continuous columns give float64 (imbalanced-learn
    truncates); sparse X is not supported; missing categorical values are rejected. With an
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
    method = "smotenc"
    if "scipy.sparse" in sys.modules and sys.modules["scipy.sparse"].issparse(X):
        raise TypeError(
            "smotenc does not accept sparse X; give a dense array or a DataFrame."
        )
    X = _as_2d_table(X, method)
    ds = check_X_y(X, y, numeric=False)
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    random_state = _shared_random_state(random_state)
    n_features = X.shape[1]
    cat_idx = _categorical_indices(X, categorical_features, n_features)
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
        _check_class_size(ds, code, k, method)
    X_cont = _continuous_block(X, cont_idx)
    codes, categories = _ordinal_codes(X, cat_idx, categorical_encoder, method, one_hot=True)

    cont_parts, code_parts, y_parts = [], [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        X_c = np.ascontiguousarray(X_cont[rows_c])
        codes_c = np.ascontiguousarray(codes[rows_c])
        n_c = rows_c.shape[0]
        median_std = float(np.median(np.std(X_c, axis=0, dtype=np.float64)))
        nn_dist = np.empty((n_c, k), dtype=np.float64)
        nns = np.empty((n_c, k), dtype=np.intp)
        mixed_kneighbors(X_c, codes_c, median_std * median_std, k, nn_dist, nns, n_threads)
        base, cols, steps = _draw_segments(random_state, n_c, k, n_new)
        base = np.ascontiguousarray(base, dtype=np.intp)
        cont_new = np.empty((n_new, X_c.shape[1]), dtype=X_c.dtype)
        interpolate(X_c, base, X_c, np.ascontiguousarray(nns[base, cols], dtype=np.intp),
                    np.ascontiguousarray(steps, dtype=np.float64), cont_new, n_threads)
        rng = check_random_state(random_state)  # imblearn's second state, for the ties
        code_parts.append(_vote_with_imblearn_ties(codes_c, nns, base, rng, n_threads))
        cont_parts.append(cont_new)
        y_parts.append(np.full(n_new, code, dtype=np.intp))

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
    return _append_rows(ds, X, new_columns, y_new, return_indices, all_categorical=False)


# ---------------------------------------------------------------- SMOTE-N

def _vdm_class_probabilities(codes, y, n_categories, n_classes):
    """Per feature, P(class | category): imbalanced-learn's ValueDifferenceMetric statistics.

    Returns a list of (n_categories[f], n_classes) float64 arrays; a category with no row gets
    probability 0 for every class.
    """
    proba = []
    for f in range(codes.shape[1]):
        counts = np.zeros((n_categories[f], n_classes), dtype=np.float64)
        np.add.at(counts, (codes[:, f], y), 1.0)
        with np.errstate(invalid="ignore"):
            p = counts / counts.sum(axis=1, keepdims=True)
        proba.append(np.nan_to_num(p, copy=False))
    return proba


def _vdm_neighbours(codes_c, queries, proba, k, n_threads):
    """k nearest rows of codes_c (VDM) for each query row, self excluded, ties to lower index.

    Categories are re-coded per class, so the per-query rows of category distances only cover
    the categories the class uses.
    """
    n_features = codes_c.shape[1]
    local_t = np.empty((n_features, codes_c.shape[0]), dtype=np.int32)
    n_local, probas, offsets = [], [], []
    off = 0
    for f in range(n_features):
        used, inverse = np.unique(codes_c[:, f], return_inverse=True)
        local_t[f] = inverse.reshape(-1)
        P = np.ascontiguousarray(proba[f][used], dtype=np.float64)
        n_local.append(used.size)
        probas.append(P.ravel())
        offsets.append(off)
        off += P.size
    n_q = queries.shape[0]
    dist = np.empty((n_q, k), dtype=np.float64)
    ind = np.empty((n_q, k), dtype=np.intp)
    vdm_kneighbors(local_t, np.ascontiguousarray(queries, dtype=np.intp), np.concatenate(probas),
                   np.asarray(offsets, dtype=np.intp), np.asarray(n_local, dtype=np.intp),
                   proba[0].shape[1], k, dist, ind, n_threads)
    return dist, ind


def smoten(X, y, *, k=5, categorical_encoder=None, ratio="auto", random_state=None, n_jobs=None,
           return_indices=False):
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
        missing values. Sparse input is densified (with a warning) and returned sparse.
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
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).

    Returns
    -------
    X_res : ndarray, DataFrame or sparse matrix of shape (n_samples + n_new, n_features)
        All input rows, then the new rows class by class; the input's container and dtypes.
    y_res : ndarray or Series of shape (n_samples + n_new,)
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``

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
    method = "smoten"
    sparse_format = None
    sp = sys.modules.get("scipy.sparse")
    if sp is not None and sp.issparse(X):
        warnings.warn(
            "smoten converts a sparse X to a dense array internally (categorical data); "
            "memory is that of the dense array.",
            UserWarning,
            stacklevel=2,
        )
        sparse_format = (type(X), X.format)
        X = X.toarray()
    X = _as_2d_table(X, method)
    ds = check_X_y(X, y, numeric=False)
    k = check_int(k, "k", minimum=1)
    n_threads = check_n_jobs(n_jobs)
    random_state = _shared_random_state(random_state)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    active = {int(c): int(n) for c, n in targets.items() if n > 0}
    for code in active:
        _check_class_size(ds, code, k, method)
    n_features = X.shape[1]
    codes, categories = _ordinal_codes(X, range(n_features), categorical_encoder, method,
                                       one_hot=False)
    proba = _vdm_class_probabilities(codes, ds.y, [len(c) for c in categories], ds.n_classes)

    code_parts, y_parts = [], []
    for code, n_new in active.items():
        rows_c = np.flatnonzero(ds.y == code)
        codes_c = np.ascontiguousarray(codes[rows_c])
        rs = check_random_state(random_state)
        base = rs.choice(rows_c.shape[0], size=n_new, replace=True)
        # A new row depends only on its base row: search the neighbours of distinct bases only.
        bases, which = np.unique(base, return_inverse=True)
        _, nns = _vdm_neighbours(codes_c, bases, proba, k, n_threads)
        voters = np.ascontiguousarray(np.hstack([bases[:, None], nns]), dtype=np.intp)
        modes = np.empty((bases.shape[0], n_features), dtype=np.int32)
        mode_vote(codes_c, voters, modes, n_threads)
        code_parts.append(modes[which.reshape(-1)])
        y_parts.append(np.full(n_new, code, dtype=np.intp))

    codes_new = np.concatenate(code_parts) if code_parts else np.empty((0, n_features), np.int32)
    y_new = np.concatenate(y_parts) if y_parts else np.empty(0, np.intp)
    new_columns = [categories[j][codes_new[:, j]] for j in range(n_features)]
    out = _append_rows(ds, X, new_columns, y_new, return_indices, all_categorical=True)
    if sparse_format is not None:
        cls, fmt = sparse_format
        out = (cls(out[0]),) + out[1:]
    return out
