"""The validation path: errors, conversions, label encoding, output containers."""
import numpy as np
import pandas as pd
import pytest
from conftest import readonly
from scipy import sparse

from resamplekit._encoding import as_table
from resamplekit._validation import (
    check_int,
    check_n_jobs,
    check_random_state,
    check_X_y,
    encode_labels,
)

X4 = np.arange(8, dtype=np.float64).reshape(4, 2)
Y4 = np.array([0, 1, 0, 1])


# ---------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "X, y, numeric, exc, match",
    [
        (np.arange(4.0), Y4, True, ValueError, r"X must be 2-dimensional .* got shape \(4,\).*reshape"),
        (np.zeros((4, 2, 1)), Y4, False, ValueError, r"X must be 2-dimensional .* got shape \(4, 2, 1\)"),
        (np.zeros((0, 2)), [], True, ValueError, r"at least 1 row and 1 column, got shape \(0, 2\)"),
        (np.zeros((4, 0)), Y4, False, ValueError, r"at least 1 row and 1 column, got shape \(4, 0\)"),
        (pd.DataFrame(index=range(4)), Y4, False, ValueError, r"got shape \(4, 0\)"),
        (sparse.csr_matrix((0, 3)), [], True, ValueError, r"got shape \(0, 3\)"),
        ([[1, 2], [3]], [0, 1], False, ValueError, "X must be a 2-d array-like"),
        (X4, Y4.reshape(-1, 1), True, ValueError, r"y must be 1-dimensional .* shape \(4, 1\); pass y.ravel\(\)"),
        (X4, pd.DataFrame({"a": Y4}), True, ValueError, r"y must be 1-dimensional .* DataFrame"),
        (X4, sparse.csr_matrix(Y4), True, TypeError, "y must be a 1-d array of class labels, got a sparse"),
        (X4, Y4[:3], False, ValueError, "same number of rows, got 4 rows in X and 3 labels in y"),
        (X4, np.r_[Y4, 0], True, ValueError, "same number of rows, got 4 rows in X and 5 labels"),
        (X4, [0.0, np.nan, 1.0, 1.0], False, ValueError, r"y contains missing labels \(NaN/None\) .* position 1"),
        (X4, np.array(["a", None, "b", "a"], dtype=object), False, ValueError, "missing labels"),
        (X4, pd.Series(["a", "b", None, "a"]), False, ValueError, "missing labels"),
        (X4, pd.Series([1, 2, pd.NA, 1], dtype="Int64"), False, ValueError, "missing labels"),
        (X4, pd.Categorical(["a", "b", None, "a"]), False, ValueError, "missing labels"),
        (X4, [0.5, 1.0, 0.5, 2.0], False, ValueError, r"looks continuous: .* such as 0.5"),
        (X4, np.array([1, "a", 1, "a"], dtype=object), False, TypeError, "mixes label types"),
        (X4, np.array([1j, 2j, 1j, 2j]), False, TypeError, "got complex values"),
        (X4, [1, 1, 1, 1], False, ValueError, r"at least 2 classes, got 1 class \(1\)"),
        (np.array([[0.0, np.nan]] * 4), Y4, True, ValueError, r"X contains NaN or infinity \(first at row 0, column 1"),
        (np.array([[0.0, 1.0], [np.inf, 0.0]] * 2), Y4, True, ValueError, "row 1, column 0: inf"),
        (np.array([[0.0, -np.inf]] * 4, dtype=np.float32), Y4, True, ValueError, "NaN or infinity"),
        (np.array([["a", "b"]] * 4), Y4, True, TypeError, "X has dtype <U1; distance-based methods need numeric X"),
        (np.array([[1, 2]] * 4, dtype=object), Y4, True, TypeError, "X has dtype object"),
        (np.ones((4, 2), dtype=complex), Y4, True, TypeError, "X has complex values"),
        (np.array([["2020-01-01"] * 2] * 4, dtype="M8[D]"), Y4, True, TypeError, r"X has dtype datetime64\[D\]"),
        (pd.DataFrame({"a": [1.0] * 4, "s": list("abcd")}), Y4, True, TypeError, r"X has non-numeric columns: 's'"),
        (pd.DataFrame({"a": [1.0, None, 2.0, 3.0]}), Y4, True, ValueError, "NaN or infinity"),
        (pd.DataFrame({"a": pd.array([1, None, 2, 3], dtype="Int64")}), Y4, True, ValueError, "NaN or infinity"),
        (sparse.csr_matrix(np.array([[0.0, np.nan]] * 4)), Y4, True, ValueError, "NaN or infinity"),
        (sparse.csr_matrix(np.ones((4, 2), dtype=complex)), Y4, True, TypeError, "complex"),
    ],
)
def test_errors(X, y, numeric, exc, match):
    with pytest.raises(exc, match=match):
        check_X_y(X, y, numeric=numeric)


@pytest.mark.parametrize(
    "value, exc, match",
    [
        ("a", TypeError, "random_state must be None, an integer in \\[0, 2\\*\\*32 - 1\\], a numpy"),
        (1.5, TypeError, "random_state must be None"),
        (True, TypeError, "random_state must be None"),
        (-1, ValueError, r"random_state as an integer must be in \[0, 2\*\*32 - 1\], got -1"),
        (2**32, ValueError, "got 4294967296"),
    ],
)
def test_random_state_errors(value, exc, match):
    with pytest.raises(exc, match=match):
        check_random_state(value)


@pytest.mark.parametrize(
    "value, exc, match",
    [(0, ValueError, "n_jobs must be None, a positive integer, or a negative integer .*got 0"),
     (1.5, TypeError, "n_jobs must be .* got 1.5"),
     ("2", TypeError, "got '2'"),
     (True, TypeError, "got True")],
)
def test_n_jobs_errors(value, exc, match):
    with pytest.raises(exc, match=match):
        check_n_jobs(value)


def test_n_jobs_values():
    import os

    n_cpu = os.cpu_count()
    assert check_n_jobs(None) == n_cpu
    assert check_n_jobs(-1) == n_cpu
    assert check_n_jobs(3) == 3
    assert check_n_jobs(np.int64(2)) == 2
    assert check_n_jobs(-1000) == 1


def test_check_int():
    assert check_int(np.int32(3), "k") == 3 and type(check_int(np.int32(3), "k")) is int
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        check_int(0, "k")
    with pytest.raises(TypeError, match=r"k must be an integer >= 1, got 5.0 \(float\)"):
        check_int(5.0, "k")
    with pytest.raises(TypeError, match="got True"):
        check_int(True, "k")
    with pytest.raises(ValueError, match=r"k must be an integer in \[0, 3\], got 4"):
        check_int(4, "k", minimum=0, maximum=3)


def test_random_state_values():
    a = check_random_state(7).randint(10**6, size=5)
    assert (a == np.random.RandomState(7).randint(10**6, size=5)).all()
    assert (check_random_state(np.uint32(7)).randint(10**6, size=5) == a).all()
    rs = np.random.RandomState(1)
    assert check_random_state(rs) is rs
    assert check_random_state(None) is np.random.mtrand._rand
    g1, g2 = np.random.default_rng(3), np.random.default_rng(3)
    assert (check_random_state(g1).rand(3) == check_random_state(g2).rand(3)).all()
    assert not (check_random_state(g1).rand(3) == check_random_state(np.random.default_rng(3)).rand(3)).all()


# ------------------------------------------------------------------------------ conversions


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_c_contiguous_not_copied(dtype):
    X = readonly(np.random.default_rng(0).normal(size=(6, 3)).astype(dtype))
    ds = check_X_y(X, readonly([0, 1] * 3))
    assert ds.X.dtype == dtype and np.shares_memory(ds.X, X)
    assert check_X_y(X, [0, 1] * 3, numeric=False).X is X


@pytest.mark.parametrize(
    "dtype, expected",
    [(np.int64, np.float64), (np.int8, np.float64), (np.uint16, np.float64),
     (bool, np.float64), (np.float16, np.float64), (np.float32, np.float32)],
)
def test_numeric_dtypes(dtype, expected):
    X = readonly(np.arange(12).reshape(6, 2).astype(dtype))
    ds = check_X_y(X, [0, 1] * 3)
    assert ds.X.dtype == expected and ds.X.flags.c_contiguous
    np.testing.assert_array_equal(ds.X, X.astype(expected))


def test_fortran_made_c_contiguous():
    X = np.asfortranarray(np.arange(12.0).reshape(6, 2))
    ds = check_X_y(X, [0, 1] * 3)
    assert ds.X.flags.c_contiguous and not np.shares_memory(ds.X, X)
    np.testing.assert_array_equal(ds.X, X)


def test_dataframe_numeric():
    df = pd.DataFrame({"a": np.arange(4, dtype=np.float32), "b": np.arange(4, dtype=np.float32)})
    assert check_X_y(df, Y4).X.dtype == np.float32
    df["c"] = [True, False, True, False]
    df["d"] = pd.array([1, 2, 3, 4], dtype="Int64")
    ds = check_X_y(df, Y4)
    assert ds.X.dtype == np.float64 and ds.X.flags.c_contiguous
    np.testing.assert_array_equal(ds.X[:, 2:], [[1, 1], [0, 2], [1, 3], [0, 4]])


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_matrix", "csr_array", "csc_array"])
def test_sparse_numeric_stays_sparse(fmt):
    dense = np.array([[0, 1], [2, 0], [0, 0], [3, 4]], dtype=np.float32)
    Xs = getattr(sparse, fmt)(dense)
    ds = check_X_y(Xs, Y4)
    assert isinstance(ds.X, sparse.csr_matrix) and ds.X.dtype == np.float32
    assert ds.X.has_canonical_format
    np.testing.assert_array_equal(ds.X.toarray(), dense)
    assert ds.is_sparse and check_X_y(Xs, Y4, numeric=False).X is Xs
    if fmt == "csr_matrix":  # already canonical float CSR: used as it is, nothing copied
        assert ds.X.data is Xs.data or np.shares_memory(ds.X.data, Xs.data)


def test_sparse_other_formats_become_csr():
    Xs = sparse.coo_matrix(X4)
    ds = check_X_y(Xs, Y4, numeric=False)
    assert ds.X.format == "csr"
    assert ds.select([1, 0])[0].format == "csr"


def test_non_numeric_passes_through_for_row_pickers():
    X = np.array([["a", "x"], ["b", "y"], ["c", "z"], ["d", "w"]], dtype=object)
    ds = check_X_y(X, Y4, numeric=False)
    assert ds.X is X
    Xn = np.array([[np.nan, np.inf]] * 4)
    assert check_X_y(Xn, Y4, numeric=False).X is Xn


def test_inputs_not_modified():
    X = readonly(np.arange(8, dtype=np.int64).reshape(4, 2))
    y = readonly(np.array([3, 1, 3, 1]))
    X0, y0 = X.copy(), y.copy()
    ds = check_X_y(X, y)
    ds.select([3, 0])
    ds.append(np.ones((2, 2)), [0, 1])
    ds.wrap(np.ones((2, 2)), [0, 1])
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


# ---------------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "y",
    [
        [3, -2, 3, 7],
        np.array([3, -2, 3, 7], dtype=np.int8),
        np.array([2**40, -(2**40), 2**40, 5]),
        np.array([3, 0, 3, 2**63 + 5], dtype=np.uint64),
        ["b", "a", "b", "c"],
        np.array([True, False, True, True]),
        [1.0, 2.0, 1.0, -3.0],
        np.array(["b", "a", "b", "c"], dtype=object),
        np.array(["2020-01-02", "2020-01-01", "2020-01-02", "2020-01-01"], dtype="M8[D]"),
    ],
)
def test_encode_like_np_unique(y):
    arr, classes, codes = encode_labels(y)
    exp_classes, exp_codes = np.unique(np.asarray(y), return_inverse=True)
    np.testing.assert_array_equal(classes, exp_classes)
    assert classes.dtype == exp_classes.dtype
    np.testing.assert_array_equal(codes, exp_codes)
    assert codes.dtype == np.intp


def test_encode_large_int_labels_fast_path():
    y = np.random.default_rng(0).integers(-5, 100, size=1000).astype(np.int32)
    _, classes, codes = encode_labels(y)
    exp_classes, exp_codes = np.unique(y, return_inverse=True)
    assert classes.dtype == np.int32
    np.testing.assert_array_equal(classes, exp_classes)
    np.testing.assert_array_equal(codes, exp_codes)


# ----------------------------------------------------------------------- output containers


def test_ndarray_and_list_round_trip():
    ds = check_X_y(X4.tolist(), ["b", "a", "b", "a"])
    X_res, y_res, idx = ds.select([3, 0], return_indices=True)
    assert X_res == [[6.0, 7.0], [0.0, 1.0]] and y_res == ["a", "b"]
    assert idx.dtype == np.intp
    X_res, y_res = ds.append(np.array([[9.0, 9.0]]), [0])
    assert X_res[-1] == [9.0, 9.0] and y_res == ["b", "a", "b", "a", "a"]
    ds = check_X_y(X4, np.array(["b", "a", "b", "a"]))
    X_res, y_res = ds.select([3, 0])
    assert isinstance(X_res, np.ndarray) and y_res.dtype == np.dtype("<U1")


def test_select_keeps_dtype_and_append_gives_float():
    X = np.arange(8, dtype=np.int32).reshape(4, 2)
    ds = check_X_y(X, Y4)
    assert ds.select([1])[0].dtype == np.int32
    X_res, y_res, idx = ds.append(np.array([[0.5, 0.25]]), [1], return_indices=True)
    assert X_res.dtype == np.float64 and X_res[-1].tolist() == [0.5, 0.25]
    assert idx.tolist() == [0, 1, 2, 3, -1]
    _, _, idx = ds.append(np.array([[0.5, 0.25]]), [1], return_indices=True, sources=[2])
    assert idx.tolist() == [0, 1, 2, 3, 2]
    X32 = check_X_y(X.astype(np.float32), Y4)
    assert X32.append(np.ones((1, 2)), [0])[0].dtype == np.float32
    assert X32.wrap(np.ones((2, 2)), [0, 1])[0].dtype == np.float32


def test_append_needs_numeric():
    with pytest.raises(TypeError, match="numeric=True"):
        check_X_y(X4, Y4, numeric=False).append(np.ones((1, 2)), [0])


def test_dataframe_round_trip_row_picking():
    df = pd.DataFrame(
        {
            "num": np.arange(4, dtype=np.int16),
            "s": ["a", "b", None, "d"],
            "t": pd.to_datetime(["2020-01-01", "2021-01-01", None, "2023-01-01"]),
            "c": pd.Categorical(["x", "y", "x", "y"]),
        },
        index=[10, 11, 12, 13],
    )
    y = pd.Series(["p", "q", "p", "q"], name="target", index=df.index)
    ds = check_X_y(df, y, numeric=False)
    X_res, y_res = ds.select([3, 1])
    pd.testing.assert_series_equal(X_res.dtypes, df.dtypes)
    assert list(X_res.index) == [0, 1] and list(y_res.index) == [0, 1]
    assert y_res.name == "target" and y_res.tolist() == ["q", "q"]
    X_res, y_res = ds.select([3, 1], keep_index=True)
    assert list(X_res.index) == [13, 11] and list(y_res.index) == [13, 11]
    pd.testing.assert_frame_equal(X_res, df.iloc[[3, 1]])
    X_res, y_res = ds.extend([2, 2])
    assert list(X_res.index) == list(range(6))
    pd.testing.assert_series_equal(X_res.dtypes, df.dtypes)
    assert X_res["t"].isna().tolist() == [False, False, True, False, True, True]


def test_dataframe_new_rows_dtypes():
    df = pd.DataFrame({"i": [1, 2, 3, 4], "f32": np.arange(4, dtype=np.float32),
                       "f": np.arange(4.0), "b": [True, False, True, False]})
    ds = check_X_y(df, Y4)
    X_res, _ = ds.append(np.full((1, 4), 0.5), [0])
    assert dict(X_res.dtypes) == {"i": np.float64, "f32": np.float32, "f": np.float64, "b": np.float64}
    assert X_res["i"].iloc[-1] == 0.5  # never truncated
    X_res, _ = ds.wrap(np.full((2, 4), 0.5), [0, 1])
    assert list(X_res.columns) == ["i", "f32", "f", "b"] and list(X_res.index) == [0, 1]
    X_res, _ = ds.select([0])
    pd.testing.assert_series_equal(X_res.dtypes, df.dtypes)


def test_series_y_without_dataframe_gets_range_index():
    y = pd.Series([1, 0, 1, 0], index=list("abcd"), name="lab", dtype=np.int32)
    X_res, y_res = check_X_y(X4, y).select([2, 0])
    assert list(y_res.index) == [0, 1] and y_res.dtype == np.int32 and y_res.name == "lab"


def test_categorical_y_kept():
    cat = pd.CategoricalDtype(["lo", "hi", "unused"], ordered=True)
    y = pd.Series(["hi", "lo", "hi", "lo"], dtype=cat, name="y")
    ds = check_X_y(X4, y)
    assert ds.classes.tolist() == ["hi", "lo"]  # np.unique order, like imbalanced-learn
    _, y_res = ds.select([1, 0])
    assert y_res.dtype == cat and y_res.tolist() == ["lo", "hi"]
    _, y_res = ds.append(np.zeros((1, 2)), [1])
    assert y_res.dtype == cat and y_res.iloc[-1] == "lo"
    ds = check_X_y(X4, pd.Categorical(["hi", "lo", "hi", "lo"]))
    assert ds.select([1])[1].tolist() == ["lo"]


# ------------------------------------------------- tables of the categorical methods


def test_as_table():
    df = pd.DataFrame({"a": [1.5, 2.5], "c": ["x", "y"]})
    assert as_table(df, "smotenc") is df  # untouched
    arr = np.arange(6).reshape(3, 2)
    assert as_table(arr, "smotenc") is arr
    table = as_table([[1.5, "a", 3], [2.5, "b", 4]], "smotenc")  # mixed rows keep their types
    assert table.dtype == object and table.shape == (2, 3)
    assert [type(v) for v in table[0]] == [float, str, int] and table[1, 0] == 2.5
    assert as_table([[1, 2], [3, 4]], "smoten").dtype.kind == "i"
    ragged = as_table([[1.5, "a"], [2.5, "b"]], "smoten")
    assert ragged.dtype == object and ragged[0, 0] == 1.5
    with pytest.raises(ValueError, match=r"smoten: X must be 2-dimensional, got an array of "
                                         r"shape \(3,\)"):
        as_table([1, 2, 3], "smoten")
    with pytest.raises(ValueError, match=r"smotenc: X must have at least one row and one "
                                         r"column, got shape \(0, 2\)"):
        as_table(np.empty((0, 2)), "smotenc")


def test_append_columns_dataframe():
    color = pd.CategoricalDtype(["red", "green", "blue"])  # categories not sorted, one unused
    df = pd.DataFrame(
        {
            "f": [0.5, 1.5, 2.5, 3.5],
            "color": pd.Series(["red", "green", "red", "green"], dtype=color),
            "f32": np.arange(4, dtype=np.float32),
            "s": np.array(["p", "q", "p", "q"], dtype=object),
            "i": np.array([1, 2, 3, 4], dtype=np.int16),
            "ci": np.array([7, 8, 7, 8], dtype=np.int64),  # an integer categorical column
        },
        index=[10, 11, 12, 13],
    )
    y = pd.Series(["a", "b", "a", "b"], name="target", index=df.index)
    ds = check_X_y(df, y, numeric=False)
    new = [np.array([0.25, 0.75]), np.array(["blue", "red"], dtype=object),
           np.array([0.5, 1.5], dtype=np.float32), np.array(["q", "p"], dtype=object),
           np.array([1.25, 2.5]), np.array([8, 7])]
    X_res, y_res, idx = ds.append_columns(new, [1, 0], return_indices=True)
    assert list(X_res.columns) == list(df.columns)
    assert list(X_res.index) == list(range(6)) and list(y_res.index) == list(range(6))
    assert X_res["color"].dtype == color  # categorical dtype and its categories kept
    assert X_res["f"].dtype == np.float64 and X_res["f32"].dtype == np.float32
    assert X_res["i"].dtype == np.float64  # float new values in an integer column: float64
    assert X_res["i"].tolist() == [1.0, 2.0, 3.0, 4.0, 1.25, 2.5]  # never truncated
    assert X_res["ci"].dtype == np.int64  # integer new values keep the column's dtype
    assert X_res["s"].dtype == df["s"].dtype
    pd.testing.assert_frame_equal(X_res.iloc[:4].drop(columns="i"),
                                  df.drop(columns="i").reset_index(drop=True))
    assert X_res.iloc[4].tolist() == [0.25, "blue", 0.5, "q", 1.25, 8]
    assert X_res.iloc[5].tolist() == [0.75, "red", 1.5, "p", 2.5, 7]
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert y_res.tolist() == ["a", "b", "a", "b", "b", "a"]
    assert idx.dtype == np.intp and idx.tolist() == [0, 1, 2, 3, -1, -1]
    assert len(ds.append_columns(new, [1, 0])) == 2
    # a categorical y keeps its dtype
    ycat = y.astype(pd.CategoricalDtype(["b", "a"]))
    _, y_res = check_X_y(df, ycat, numeric=False).append_columns(new, [0, 0])
    assert y_res.dtype == ycat.dtype and y_res.tolist()[-2:] == ["a", "a"]


def test_append_columns_ndarray():
    X = as_table([[0.5, "x", 1], [1.5, "y", 2], [2.5, "x", 3]], "smotenc")
    ds = check_X_y(X, np.array([0, 1, 1]), numeric=False)
    new = [np.array([0.75]), np.array(["y"], dtype=object), np.array([1.5])]
    X_res, y_res, idx = ds.append_columns(new, [1], return_indices=True)
    assert X_res.dtype == object and X_res.shape == (4, 3)
    assert X_res[:3].tolist() == X.tolist() and X_res[3].tolist() == [0.75, "y", 1.5]
    assert y_res.tolist() == [0, 1, 1, 1] and isinstance(y_res, np.ndarray)
    assert idx.dtype == np.intp and idx.tolist() == [0, 1, 2, -1]
    # numeric tables: float32/float64 kept, other numbers -> float64 (unless all categorical)
    Xi = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.int32)
    ds = check_X_y(Xi, ["b", "a", "b"], numeric=False)
    X_res, y_res = ds.append_columns([np.array([1.5]), np.array([4])], [0])
    assert X_res.dtype == np.float64 and X_res[-1].tolist() == [1.5, 4.0]
    assert y_res == ["b", "a", "b", "a"]  # a list y, a list back
    X_res, _ = ds.append_columns([np.array([3]), np.array([4])], [0], all_categorical=True)
    assert X_res.dtype == np.int32 and X_res[-1].tolist() == [3, 4]
    X32 = check_X_y(Xi.astype(np.float32), [0, 1, 0], numeric=False)
    assert X32.append_columns([np.array([1.5]), np.array([4.0])], [1])[0].dtype == np.float32
    Xs = np.array([["u", "v"], ["w", "u"]])
    X_res, _ = check_X_y(Xs, [0, 1], numeric=False).append_columns(
        [np.array(["w"]), np.array(["v"])], [1], all_categorical=True)
    assert X_res.dtype == Xs.dtype and X_res[-1].tolist() == ["w", "v"]
    # a list y comes back a list (the table made of a list X is an ndarray)
    _, y_res = check_X_y(X, [0, 1, 1], numeric=False).append_columns(new, [0])
    assert y_res == [0, 1, 1, 0]


def test_append_columns_needs_dense_X():
    with pytest.raises(TypeError, match="dense"):
        check_X_y(sparse.csr_matrix(X4), Y4, numeric=False).append_columns(
            [np.ones(1), np.ones(1)], [0])


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_matrix", "csr_array", "csc_array"])
def test_sparse_round_trip(fmt):
    dense = np.array([[0, 1], [2, 0], [0, 0], [3, 4]], dtype=np.float64)
    Xs = getattr(sparse, fmt)(dense)
    for numeric in (False, True):
        ds = check_X_y(Xs, Y4, numeric=numeric)
        X_res, _ = ds.select([3, 0])
        assert type(X_res) is type(Xs) and X_res.format == Xs.format
        np.testing.assert_array_equal(X_res.toarray(), dense[[3, 0]])
        X_res, _ = ds.extend([1])
        assert type(X_res) is type(Xs)
        np.testing.assert_array_equal(X_res.toarray(), dense[[0, 1, 2, 3, 1]])
    X_res, _ = ds.append(np.array([[5.0, 6.0]]), [1])
    assert type(X_res) is type(Xs) and X_res.format == Xs.format
    np.testing.assert_array_equal(X_res.toarray(), np.vstack([dense, [[5, 6]]]))
    X_res, _ = ds.wrap(np.array([[5.0, 6.0]]), [1])
    assert type(X_res) is type(Xs) and X_res.format == Xs.format


def test_class_indices_many_classes():
    y = np.random.default_rng(0).integers(0, 40, size=500)
    ds = check_X_y(np.zeros((500, 1)), y)
    for c, rows in enumerate(ds.class_indices()):
        np.testing.assert_array_equal(rows, np.flatnonzero(ds.y == c))


def test_pandas_sparse_columns_stay_sparse():
    import resamplekit as rk

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    X[X < 0] = 0.0
    X[:, 2] = np.round(X[:, 2] * 3)  # an integer column
    df = pd.DataFrame({"a": pd.arrays.SparseArray(X[:, 0], fill_value=0.0),
                       "b": pd.arrays.SparseArray(X[:, 1].astype(np.float32),
                                                  fill_value=np.float32(0)),
                       "c": pd.arrays.SparseArray(X[:, 2].astype(np.int64), fill_value=0)})
    y = np.array([0] * 45 + [1] * 15)
    # new rows: sparse columns; float ones keep their dtype, integer ones become float64
    # (never truncated), as dense columns do
    X_res, y_res = rk.smote(df, y, k=3, random_state=0)
    assert list(X_res.columns) == ["a", "b", "c"]
    assert X_res.dtypes.tolist() == [df.dtypes["a"], df.dtypes["b"],
                                     pd.SparseDtype(np.float64, 0.0)]
    dense_res = rk.smote(df.sparse.to_dense(), y, k=3, random_state=0)[0]
    np.testing.assert_array_equal(X_res.to_numpy(dtype=np.float64), dense_res.to_numpy())
    # selected rows: the columns unchanged
    X_sel, _ = rk.edited_nearest_neighbours(df, y)
    assert X_sel.dtypes.tolist() == df.dtypes.tolist()
    # a missing value stored as the fill value NaN is still rejected
    with pytest.raises(ValueError, match="NaN"):
        rk.smote(pd.DataFrame({"a": pd.arrays.SparseArray(np.r_[np.nan, X[1:, 0]])}), y, k=3)


def test_unit_scaled_is_a_power_of_two_and_the_same_at_every_far_scale():
    from resamplekit._validation import unit_scaled

    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 4))
    # within 2**-64..2**64 the data comes back as it is, without a copy
    for e in (-60, -1, 0, 1, 60):
        Xs = X * 2.0**e
        scaled, e1 = unit_scaled(Xs)
        assert scaled is Xs and e1 == 0
    # beyond, every scale gives the same array at unit scale (only exponents change)
    base = None
    for e in (-1000, -300, -70, 70, 300, 1000):
        Xs = X * 2.0**e
        scaled, e1 = unit_scaled(Xs)
        assert np.array_equal(np.ldexp(scaled, e1), Xs)  # exact
        assert 0.25 <= np.median(np.abs(scaled).max(axis=1)) < 1.0
        if base is None:
            base, e0 = scaled, e1 - e
        assert e1 == e0 + e
        assert np.array_equal(scaled, base)
    # a far outlier does not set the scale (the median row does)
    X_out = X.copy() * 2.0**200
    X_out[0, 0] = 1e300
    assert unit_scaled(X_out)[1] == e0 + 200
    # float32 stays float32; zeros and empty arrays come back as they are
    assert unit_scaled(X.astype(np.float32) * np.float32(2.0**-100))[0].dtype == np.float32
    Z = np.zeros((3, 2))
    assert unit_scaled(Z)[0] is Z and unit_scaled(Z)[1] == 0
    assert unit_scaled(np.empty((0, 2)))[1] == 0


def test_unit_scaled_on_many_rows_measures_a_sample_and_stays_exact():
    from resamplekit._validation import unit_scaled

    rng = np.random.default_rng(4)
    X = rng.normal(size=(50_001, 3)) * np.exp(rng.normal(size=(50_001, 1)))  # rows of all sizes
    e_all = int(np.frexp(np.median(np.abs(X).max(axis=1)))[1])
    for j in (-700, -90, 90, 700):
        scaled, e = unit_scaled(X * 2.0**j)
        assert np.array_equal(np.ldexp(scaled, e), X * 2.0**j)  # exact
        assert e == unit_scaled(X * 2.0**-300)[1] + 300 + j  # moves with the scale
        assert abs(e - (e_all + j)) <= 1  # the sample's median is the rows' median, nearly
    # mostly zero rows (a sample of zeros): scaled by the largest value
    Z = np.zeros((20_000, 2))
    Z[1, 0] = 2.0**500
    assert unit_scaled(Z)[1] == 501


def test_validation_doctests():
    import doctest

    from resamplekit import _validation

    assert doctest.testmod(_validation, optionflags=doctest.ELLIPSIS).failed == 0
