"""Tables for the command line: CSV and Parquet files as typed columns, read and written.

The command line (``resamplekit._cli``) reads a file into a :class:`Table` of :class:`Column`
objects, builds X and y from them, and writes the resampled columns back in the same layout.
pandas is not needed: CSV goes through the standard library's ``csv`` module (the same reader
whether or not pyarrow is installed, so a file always gets the same column types); Parquet
needs pyarrow (the ``parquet`` extra), imported only when a Parquet file is read or written.

Column kinds:

- ``"int"``: every cell an integer (int64 values);
- ``"float"``: every cell a number (float64 values, float32 kept from Parquet; missing cells
  are NaN: an integer CSV column with an empty cell is a float column);
- ``"bool"``: Parquet booleans without nulls;
- ``"text"``: anything else from CSV, and Parquet strings (object values, None where missing);
- ``"other"``: other Parquet types (dates, times, lists, ...): object values, kept as they are
  when rows are only selected.
"""
import csv
import os
import re

import numpy as np

__all__ = ["Column", "Table", "TableError", "read_table", "write_table", "table_format"]

NUMERIC_KINDS = ("int", "float", "bool")
PARQUET_SUFFIXES = (".parquet", ".pq")
_INTEGER = re.compile(r"[+-]?\d+\Z")
_PARQUET_EXTRA = "pip install 'resamplekit[parquet]'"


class TableError(ValueError):
    """A file that cannot be read or written as a table (the message is one line)."""


class Column:
    """One column: its name, kind, values and where it is missing.

    Parameters
    ----------
    name : str
    kind : {"int", "float", "bool", "text", "other"}
    values : ndarray of shape (n_rows,)
    missing : ndarray of bool or None
        None when no cell is missing.
    arrow : pyarrow.ChunkedArray or None
        The Parquet column as read, to write selected rows back with their exact type.
    arrow_type : pyarrow.DataType or None
        The Parquet type to write new values back as (int32 stays int32, float32 float32).

    Examples
    --------
    >>> c = Column("x", "int", np.array([1, 2, 3]))
    >>> c.numeric, c.take(np.array([2, 0])).values.tolist()
    (True, [3, 1])
    """

    def __init__(self, name, kind, values, missing=None, arrow=None, arrow_type=None):
        self.name = name
        self.kind = kind
        self.values = values
        self.missing = missing if missing is not None and missing.any() else None
        self.arrow = arrow
        self.arrow_type = arrow.type if arrow is not None else arrow_type

    @property
    def numeric(self):
        return self.kind in NUMERIC_KINDS

    def first_missing(self):
        """The first row with a missing cell, or None."""
        if self.missing is None:
            return None
        return int(np.flatnonzero(self.missing)[0])

    def take(self, rows):
        """The column at the given rows (a copy of the selected cells, same kind)."""
        missing = None if self.missing is None else self.missing[rows]
        arrow = None if self.arrow is None else self.arrow.take(rows)
        return Column(self.name, self.kind, self.values[rows], missing, arrow, self.arrow_type)


class Table:
    """Columns of equal length read from ``path``, and how to name a row in an error.

    Examples
    --------
    >>> t = Table("a.csv", "csv", [Column("x", "int", np.array([1, 2]))], lines=[2, 3])
    >>> t.n_rows, t.names, t.where(1)
    (2, ['x'], 'line 3 of a.csv (input row 1)')
    """

    def __init__(self, path, format, columns, lines=None):
        self.path = path
        self.format = format
        self.columns = columns
        self.lines = lines

    @property
    def n_rows(self):
        return len(self.columns[0].values) if self.columns else 0

    @property
    def names(self):
        return [c.name for c in self.columns]

    def where(self, row):
        """Where input row ``row`` (0-based, header excluded) is, for error messages."""
        if self.lines is not None:
            return f"line {self.lines[row]} of {self.path} (input row {row})"
        return f"input row {row} of {self.path}"


def table_format(path, default="csv"):
    """``"parquet"`` for a ``.parquet``/``.pq`` path, ``"csv"`` for ``.csv``, else ``default``.

    Examples
    --------
    >>> table_format("out.PQ"), table_format("in.csv", "parquet"), table_format("x", "parquet")
    ('parquet', 'csv', 'parquet')
    """
    low = str(path).lower()
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith((".csv", ".txt")):
        return "csv"
    return default


def pyarrow_modules():
    """``(pyarrow, pyarrow.parquet)``, or a TableError naming the extra that installs them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise TableError(f"Parquet files need pyarrow: {_PARQUET_EXTRA}") from None
    return pyarrow, pyarrow.parquet


def read_table(path):
    """Read a CSV file (header row required) or a Parquet file (by its suffix) into a Table.

    Raises
    ------
    OSError
        If the file cannot be opened.
    TableError
        If it is not a table: no header, a row with the wrong number of fields, duplicated
        column names, no data rows; or a Parquet file without pyarrow installed.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("x,y,label\\n1,0.5,a\\n2,,b\\n")
    >>> t = read_table(path)
    >>> [(c.name, c.kind) for c in t.columns]
    [('x', 'int'), ('y', 'float'), ('label', 'text')]
    >>> t.columns[1].first_missing()
    1
    """
    if table_format(path) == "parquet":
        table = _read_parquet(path)
    else:
        table = _read_csv(path)
    names = table.names
    if not names:
        raise TableError(f"{path} has no columns")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise TableError(f"{path}: duplicated column names {', '.join(map(repr, duplicated))}")
    if table.n_rows == 0:
        raise TableError(f"{path} has no data rows")
    return table


def _read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        try:
            header = next(reader, None)
            if header is None:
                raise TableError(f"{path} is empty; a header row with the column names is "
                                 "required")
            rows, lines = [], []
            for row in reader:
                if not row:  # a blank line
                    continue
                if len(row) != len(header):
                    raise TableError(
                        f"line {reader.line_num} of {path} has {len(row)} fields, "
                        f"the header has {len(header)}"
                    )
                rows.append(row)
                lines.append(reader.line_num)
        except csv.Error as exc:
            raise TableError(f"line {reader.line_num} of {path}: {exc}") from None
        except UnicodeDecodeError as exc:
            raise TableError(f"{path} is not UTF-8 text ({exc.reason})") from None
    cells = list(zip(*rows)) if rows else [() for _ in header]
    columns = [_csv_column(name, list(col)) for name, col in zip(header, cells)]
    return Table(path, "csv", columns, lines)


def _csv_column(name, cells):
    """Infer a CSV column's kind: int if every non-empty cell is an integer, else float if
    every one is a number, else text. Whitespace-only cells count as empty."""
    stripped = [c.strip() for c in cells]
    missing = np.array([c == "" for c in stripped], dtype=bool)
    present = [c for c in stripped if c != ""]
    if present and all(_INTEGER.match(c) for c in present) and not missing.any():
        try:
            return Column(name, "int", np.array([int(c) for c in stripped], dtype=np.int64))
        except OverflowError:
            pass  # beyond int64: a float column
    if present:
        try:
            values = np.array([float(c) if c else np.nan for c in stripped], dtype=np.float64)
        except ValueError:
            pass
        else:
            if not any("_" in c for c in present):  # float() takes "1_0"; a CSV means text
                return Column(name, "float", values, missing)
    values = np.array([None if m else c for c, m in zip(cells, missing)], dtype=object)
    return Column(name, "text", values, missing)


def _read_parquet(path):
    pa, pq = pyarrow_modules()
    if not os.path.exists(path):
        raise FileNotFoundError(2, "No such file or directory", path)
    try:
        arrow_table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise TableError(f"{path} is not a readable Parquet file ({_one_line(exc)})") from None
    columns = []
    for name, col in zip(arrow_table.column_names, arrow_table.columns):
        columns.append(_arrow_column(pa, name, col))
    return Table(path, "parquet", columns)


def _arrow_column(pa, name, col):
    t = col.type
    missing = np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool) \
        if col.null_count else None
    if pa.types.is_integer(t) and missing is None:
        return Column(name, "int", col.to_numpy().astype(np.int64, copy=False), arrow=col)
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        target = pa.float32() if t in (pa.float16(), pa.float32()) else pa.float64()
        values = col.cast(target).fill_null(float("nan")).to_numpy()
        return Column(name, "float", values, missing, arrow=col)
    if pa.types.is_boolean(t) and missing is None:
        return Column(name, "bool", col.to_numpy(zero_copy_only=False).astype(bool), arrow=col)
    values = np.empty(len(col), dtype=object)
    values[:] = col.to_pylist()
    text = pa.types.is_string(t) or pa.types.is_large_string(t) or (
        pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type)
                                       or pa.types.is_large_string(t.value_type)))
    return Column(name, "text" if text else "other", values, missing, arrow=col)


def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


def write_table(columns, stream_or_path, format):
    """Write columns as CSV (to a path or a text stream) or Parquet (to a path).

    CSV cells: integers and text as they are, floats in their shortest exact form (float32 as
    float32), missing values (None, NaN) as empty cells.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_table([Column("x", "float", np.array([0.1, np.nan])),
    ...              Column("c", "text", np.array(["a", None], dtype=object))], out, "csv")
    >>> out.getvalue().splitlines()
    ['x,c', '0.1,a', ',']
    """
    if format == "parquet":
        _write_parquet(columns, stream_or_path)
    elif isinstance(stream_or_path, (str, os.PathLike)):
        with open(stream_or_path, "w", newline="", encoding="utf-8") as f:
            _write_csv(columns, f)
    else:
        _write_csv(columns, stream_or_path)


def _csv_cells(column):
    values = column.values
    if values.dtype.kind == "f":
        if values.dtype == np.float64:
            cells = [repr(v) for v in values.tolist()]
        else:
            cells = [str(v) for v in values]
        nan = np.isnan(values)
        if nan.any():
            for i in np.flatnonzero(nan):
                cells[i] = ""
        return cells
    if values.dtype.kind in "iub":
        return [str(v) for v in values.tolist()]
    return ["" if (v is None or (isinstance(v, float) and v != v)) else str(v)
            for v in values.tolist()]


def _write_csv(columns, f):
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    writer.writerows(zip(*[_csv_cells(c) for c in columns]))


def _write_parquet(columns, path):
    pa, pq = pyarrow_modules()
    arrays = []
    for c in columns:
        if c.arrow is not None:
            arrays.append(c.arrow)
        elif c.kind in NUMERIC_KINDS:
            array = pa.array(c.values, mask=c.missing)
            t = c.arrow_type
            if t is not None and t != array.type and (
                    (pa.types.is_integer(t) and pa.types.is_integer(array.type))
                    or (pa.types.is_floating(t) and pa.types.is_floating(array.type))):
                array = array.cast(t, safe=False)  # the column's own width (int32, float32)
            arrays.append(array)
        elif c.kind == "text":
            arrays.append(pa.array(c.values.tolist(), type=pa.string()))
        else:
            arrays.append(pa.array(c.values.tolist(), type=c.arrow_type))
    pq.write_table(pa.table(arrays, names=[c.name for c in columns]), path)
