"""Tables of mixed columns for the categorical methods (smotenc, smoten).

``over_sampling.smotenc`` and ``over_sampling.smoten`` take tables whose columns may be text,
numbers, pandas categoricals or polars Categorical/Enum columns. This module turns such a
table into what their kernels need, and nothing here builds a one-hot matrix:

- :func:`as_table`: X as a 2-D ndarray or (pandas or polars) DataFrame of possibly mixed
  columns (a list of mixed rows becomes an object ndarray, each value keeping its type);
- :func:`categorical_indices`: ``categorical_features`` ("auto", indices, a mask or column
  names) as column indices, in the caller's order;
- :func:`continuous_block`: the continuous columns as one C-contiguous float32/float64 array,
  checked (real, finite);
- :func:`ordinal_codes`: the categorical columns as int32 codes ``0..n_categories-1`` per
  column (codes ordered like the sorted categories, or like a given encoder's
  ``categories_``), and the categories of each column, to map new codes back to values;
- :func:`sparse_ordinal_codes`: the same codes for a canonical CSR matrix (smoten on sparse
  X), one code per stored value plus each column's code of the value 0, never densified.

The new rows go back into the caller's container with ``Dataset.append_columns``
(``_validation``).
"""
import sys

import numpy as np
from scipy import sparse

from ._validation import is_polars_frame, require_sklearn

__all__ = ["as_table", "categorical_indices", "continuous_block", "ordinal_codes",
           "sorts_its_values", "sparse_ordinal_codes"]


def _pandas():
    return sys.modules.get("pandas")


def _is_frame(X):
    pd = _pandas()
    return pd is not None and isinstance(X, pd.DataFrame)


def _column_name(X, j):
    return repr(X.columns[j]) if _is_frame(X) or is_polars_frame(X) else str(j)


def _column(X, j):
    """Column ``j`` of a DataFrame or 2-D ndarray as a 1-D ndarray (categoricals as values)."""
    if _is_frame(X):
        col = X.iloc[:, j]
        pd = _pandas()
        if isinstance(col.dtype, pd.CategoricalDtype):
            return np.asarray(col.astype(object))
        return col.to_numpy()
    if is_polars_frame(X):  # text and categoricals come out as objects, nulls as None/NaN
        return X.to_series(j).to_numpy()
    return X[:, j]


def _sub_frame(X, columns):
    """The columns ``columns`` (indices) of a DataFrame, as a DataFrame of the same library."""
    if is_polars_frame(X):
        return X.select([X.columns[j] for j in columns])
    return X.iloc[:, list(columns)]


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


def ordinal_codes(X, columns, encoder, method, one_hot):
    """The categorical columns as int32 codes, and the categories of each column.

    Parameters
    ----------
    X : ndarray or DataFrame of shape (n_samples, n_features)
        A table from :func:`as_table`.
    columns : sequence of int
        The categorical columns, in the order of the codes' columns.
    encoder : None or unfitted encoder
        None: the categories of each column are its sorted distinct values (sklearn's
        OneHotEncoder / OrdinalEncoder order); missing values are rejected. Otherwise an
        sklearn-like encoder, cloned and fitted here, whose ``categories_`` define the codes:
        for SMOTE-NC a one-hot encoder (one output column per category; a row's code is the
        active column of its block), for SMOTE-N an ordinal encoder.
    method : str
        The public function's name, for error messages.
    one_hot : bool
        Whether ``encoder`` is a one-hot (True) or an ordinal (False) encoder.

    Returns
    -------
    codes : ndarray of shape (n_samples, len(columns)), int32
        ``codes[i, j]`` indexes ``categories[j]``.
    categories : list of ndarray
        The categories of each column, in code order.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._encoding import ordinal_codes
    >>> X = np.array([["b", 1.0], ["a", 2.0], ["b", 3.0]], dtype=object)
    >>> codes, categories = ordinal_codes(X, [0], None, "smotenc", one_hot=True)
    >>> codes[:, 0].tolist(), categories[0].tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    n = X.shape[0]
    codes = np.empty((n, len(columns)), dtype=np.int32)
    if encoder is None:
        categories = []
        for out_j, j in enumerate(columns):
            values = _column(X, j)
            missing = _missing(values)
            if missing.any():
                row = int(np.flatnonzero(missing)[0])
                raise ValueError(
                    f"{method}: X's categorical column {_column_name(X, j)} contains missing "
                    f"values (None or NaN) (first at row {row}: {values[row]!r}); encode them "
                    "as a category of their own first."
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

    require_sklearn(method, "a categorical_encoder (or pass categorical_encoder=None)")
    from sklearn.base import clone

    if not (hasattr(encoder, "fit_transform") and hasattr(encoder, "inverse_transform")):
        raise TypeError(
            f"{method}: categorical_encoder must be None or an encoder with fit_transform and "
            f"inverse_transform (such as sklearn's {'OneHotEncoder' if one_hot else 'OrdinalEncoder'}), "
            f"got {encoder!r}"
        )
    enc = clone(encoder)
    is_frame = _is_frame(X) or is_polars_frame(X)
    block = _sub_frame(X, columns) if is_frame else X[:, list(columns)]
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


def sorts_its_values(encoder):
    """Whether ``encoder`` is scikit-learn's ``OrdinalEncoder`` with the settings under which
    its categories are each column's sorted distinct values (``categories="auto"``, no
    ``min_frequency``, no ``max_categories``): fitted on X it gives the codes of
    ``encoder=None``, so the sparse path needs no dense form of X.

    Examples
    --------
    >>> from sklearn.preprocessing import OrdinalEncoder
    >>> from resamplekit._encoding import sorts_its_values
    >>> sorts_its_values(OrdinalEncoder()), sorts_its_values(OrdinalEncoder(max_categories=3))
    (True, False)
    """
    module = sys.modules.get("sklearn.preprocessing")
    if module is None or type(encoder) is not module.OrdinalEncoder:
        return False
    params = encoder.get_params()
    return (isinstance(params["categories"], str) and params["categories"] == "auto"
            and params["min_frequency"] is None and params["max_categories"] is None)


def sparse_ordinal_codes(X, method):
    """The codes of :func:`ordinal_codes` (``encoder=None``) for a sparse X, never densified.

    The categories of a column are the sorted distinct values of its dense form: its stored
    values, and 0 when some row does not store the column (an explicit stored 0 is the same
    category as the implicit ones). Each stored value gets its code; every entry that is not
    stored has its column's zero code.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix of shape (n_samples, n_features)
        Canonical (sorted indices, no duplicates; ``_validation.canonical_csr``), any numeric
        dtype. NaN among the stored values is rejected, as :func:`ordinal_codes` rejects it.
    method : str
        The public function's name, for error messages.

    Returns
    -------
    codes : scipy.sparse.csr_matrix of int32
        X's structure (its ``indices`` and ``indptr`` shared), one code per stored value
        (explicit zeros included).
    zero_code : ndarray of int32 of shape (n_features,)
        Per column, the code of the value 0 (that of every entry not stored), or -1 when 0 is
        not a category of the column (every row stores a non-zero value there).
    categories : ndarray of shape (n_categories_total,), X's dtype
        The categories of all columns, column after column, each column's sorted.
    offsets : ndarray of intp of shape (n_features + 1,)
        Column j's categories are ``categories[offsets[j]:offsets[j + 1]]`` (``codes`` index
        them); one flat array rather than a list of ``n_features`` arrays, for the wide
        matrices of text pipelines.

    Notes
    -----
    One sort of the stored values by (column, value): O(nnz log nnz) time, O(nnz +
    n_features) memory.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from resamplekit._encoding import sparse_ordinal_codes
    >>> X = sparse.csr_matrix(np.array([[0, 5], [-1, 5], [2, 5]]))
    >>> codes, zero_code, categories, offsets = sparse_ordinal_codes(X, "smoten")
    >>> X.data.tolist(), codes.data.tolist()  # column 0: -1, 0, 2; column 1: 5
    ([5, -1, 5, 2, 5], [0, 0, 0, 2, 0])
    >>> zero_code.tolist()  # row 0's column 0 (not stored) has code 1; column 1 has no 0
    [1, -1]
    >>> categories.tolist(), offsets.tolist()
    ([-1, 0, 2, 5], [0, 3, 4])
    """
    n, d = X.shape
    data, cols = X.data, X.indices
    nnz = data.shape[0]
    if data.dtype.kind in "fc" and nnz:
        nan = np.flatnonzero(np.isnan(data))
        if nan.size:
            rows = np.searchsorted(X.indptr, nan, side="right") - 1
            first = np.lexsort((rows, cols[nan]))[0]  # ordinal_codes' order: column, then row
            col, row = int(cols[nan[first]]), int(rows[first])
            raise ValueError(
                f"{method}: X's categorical column {col} contains missing values (None or "
                f"NaN) (first at row {row}: {data[nan[first]]!r}); encode them as a category "
                "of their own first."
            )
    # every distinct (column, value) pair, the implicit zeros as one pseudo-entry per column
    implicit = np.flatnonzero(np.bincount(cols, minlength=d) < n)
    all_cols = np.concatenate([cols.astype(np.intp, copy=False), implicit])
    all_vals = np.concatenate([data, np.zeros(implicit.size, dtype=data.dtype)])
    order = np.lexsort((all_vals, all_cols))
    s_cols = all_cols[order]
    del all_cols
    s_vals = all_vals[order]
    del all_vals
    first = np.empty(order.size, dtype=bool)  # the first entry of each category
    first[:1] = True
    np.not_equal(s_cols[1:], s_cols[:-1], out=first[1:])
    first[1:] |= s_vals[1:] != s_vals[:-1]
    categories = s_vals[first]
    del s_vals
    offsets = np.zeros(d + 1, dtype=np.intp)
    np.cumsum(np.bincount(s_cols[first], minlength=d), out=offsets[1:])
    sorted_codes = np.cumsum(first, dtype=np.intp)
    del first
    sorted_codes -= 1
    sorted_codes -= offsets[s_cols]
    del s_cols
    all_codes = np.empty(order.size, dtype=np.int32)
    all_codes[order] = sorted_codes
    del order, sorted_codes
    zero_code = np.full(d, -1, dtype=np.int32)
    zero_at = np.flatnonzero(categories == 0)
    zero_cols = np.searchsorted(offsets, zero_at, side="right") - 1
    zero_code[zero_cols] = zero_at - offsets[zero_cols]
    codes = sparse.csr_matrix((all_codes[:nnz], X.indices, X.indptr), shape=(n, d), copy=False)
    return codes, zero_code, categories, offsets


def as_table(X, method):
    """``X`` as a 2-D table of possibly mixed columns, for the categorical methods.

    A DataFrame is returned untouched; an ndarray is checked; a list or other array-like
    becomes an ndarray, an object one when its rows mix types (such as ``[1.5, "a"]``), so
    each value keeps its own type (``np.asarray`` would make them all strings).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    method : str
        The public function's name, for error messages.

    Returns
    -------
    ndarray or DataFrame

    Examples
    --------
    >>> from resamplekit._encoding import as_table
    >>> table = as_table([[1.5, "a"], [2.5, "b"]], "smotenc")
    >>> table.dtype, table[0, 0]
    (dtype('O'), 1.5)
    """
    if _is_frame(X) or is_polars_frame(X):
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
        raise ValueError(
            f"{method}: X must have at least one row and one column, got shape {X.shape}"
        )
    return X


def categorical_indices(X, categorical_features, n_features):
    """Indices of the categorical columns, in the caller's order (imbalanced-learn's).

    Parameters
    ----------
    X : ndarray or DataFrame
        The table (its columns' names and dtypes serve "auto" and column names).
    categorical_features : "auto", array of int, array of bool or array of str
        "auto" (the pandas ``CategoricalDtype`` columns of a DataFrame, the Categorical and
        Enum columns of a polars DataFrame), column indices
        (negative ones count from the end; repeats are dropped), a boolean mask over the
        columns, or column names of a DataFrame.
    n_features : int
        The number of columns of X.

    Returns
    -------
    ndarray of intp

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._encoding import categorical_indices
    >>> X = np.zeros((2, 4))
    >>> categorical_indices(X, [3, -4, 3], 4).tolist()
    [3, 0]
    >>> categorical_indices(X, [False, True, True, False], 4).tolist()
    [1, 2]
    """
    if isinstance(categorical_features, str):
        if categorical_features != "auto":
            raise ValueError(
                "categorical_features must be 'auto', column indices, a boolean mask or "
                f"column names, got {categorical_features!r}"
            )
        if is_polars_frame(X):
            pl = sys.modules["polars"]
            return np.flatnonzero([isinstance(t, (pl.Categorical, pl.Enum)) for t in X.dtypes])
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
        if not (_is_frame(X) or is_polars_frame(X)):
            raise ValueError(
                "categorical_features as column names needs X to be a pandas or polars "
                f"DataFrame, got {type(X).__name__}; give column indices or a boolean mask "
                "instead."
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


def continuous_block(X, columns):
    """The continuous columns as one C-contiguous float32 (if all float32) or float64 array.

    Parameters
    ----------
    X : ndarray or DataFrame of shape (n_samples, n_features)
        A table from :func:`as_table`.
    columns : sequence of int
        The continuous columns.

    Returns
    -------
    ndarray of shape (n_samples, len(columns))

    Raises
    ------
    TypeError
        If a column holds complex numbers (its imaginary part would be lost).
    ValueError
        If a column is not numeric, or holds NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._encoding import continuous_block
    >>> X = np.array([[1, "a", 2.5], [2, "b", 3.5]], dtype=object)
    >>> continuous_block(X, [0, 2])
    array([[1. , 2.5],
           [2. , 3.5]])
    """
    if _is_frame(X):
        part = X.iloc[:, list(columns)]
        dtypes = set(part.dtypes)
        all32 = dtypes == {np.dtype(np.float32)}
        raw = [part.iloc[:, j].to_numpy() for j in range(part.shape[1])]
    elif is_polars_frame(X):
        pl = sys.modules["polars"]
        all32 = all(X.dtypes[j] == pl.Float32 for j in columns)
        raw = [X.to_series(j).to_numpy() for j in columns]
    else:
        all32 = X.dtype == np.float32
        raw = [X[:, j] for j in columns]
    dtype = np.float32 if all32 else np.float64
    out = np.empty((X.shape[0], len(columns)), dtype=dtype)
    for out_j, (j, values) in enumerate(zip(columns, raw)):
        if values.dtype.kind == "c":
            _complex_column(X, j, values.dtype)
        try:
            if values.dtype.kind in "USVmM":  # text, dates: never silently cast to float
                raise TypeError(f"got dtype {values.dtype}")
            out[:, out_j] = np.asarray(values, dtype=dtype)
        except (TypeError, ValueError) as exc:
            if values.dtype == object and any(
                isinstance(v, (complex, np.complexfloating)) for v in values.tolist()
            ):
                _complex_column(X, j, "object, holding complex numbers")
            raise ValueError(
                f"smotenc: X's continuous column {_column_name(X, j)} must be numeric ({exc}); "
                "list it in categorical_features if it is categorical."
            ) from exc
        finite = np.isfinite(out[:, out_j])
        if not finite.all():
            row = int(np.flatnonzero(~finite)[0])
            raise ValueError(
                f"smotenc: X's continuous column {_column_name(X, j)} contains NaN or infinity "
                f"(first at row {row}: {out[row, out_j]!r}); SMOTE-NC needs finite continuous "
                "values."
            )
    return out


def _complex_column(X, j, dtype):
    raise TypeError(
        f"smotenc: X has complex values in continuous column {_column_name(X, j)} (dtype "
        f"{dtype}); continuous columns must be real numbers (float, integer or bool): take the "
        "real part or the modulus first, or list the column in categorical_features if it is "
        "categorical."
    )
