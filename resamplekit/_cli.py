"""The ``methods`` and ``resample`` commands of the command line, and its progress bar.

``resamplekit/__main__.py`` builds the parser (``new_parser``, ``add_commands``) and runs a
command (``run``). ``resample`` reads a table (``_tables``), builds X and y, calls the method
with ``return_indices=True`` and writes the resampled table atomically (a temporary file in
OUT's directory, then ``os.replace``).

Exit status: 0 on success; 2 when the command cannot run as given (a bad option, an unknown
method, column or parameter, an unreadable input, columns the method cannot take, empty cells);
1 when the method rejects the data or a parameter value, or OUT cannot be written. Every error
is one line on stderr.
"""
import argparse
import contextlib
import difflib
import inspect
import json
import os
import re
import shutil
import sys
import tempfile
import time

import numpy as np

import resamplekit

from . import _tables
from ._strategy import RATIO_WORDS

# The kind of each public method, by the module that defines it.
KINDS = {
    "resamplekit.under_sampling": "under-sampling",
    "resamplekit.cleaning": "cleaning",
    "resamplekit.over_sampling": "over-sampling",
    "resamplekit.combine": "combination",
}
# Methods that only select or repeat rows: any column type, missing cells allowed.
ROW_SELECTING = ("random_under", "random_over")
# Methods over categorical columns (--categorical).
CATEGORICAL = ("smotenc", "smoten")
# Keywords the command line sets itself.
_RESERVED = {
    "return_indices": "it is always on (--indices FILE writes the indices)",
    "return_n_iter": "the command line does not report it",
    "categorical_features": "use --categorical COL[,COL...]",
    "sample_weight": "use --weights COLUMN",
}
_OPTION_OF = {"k": "--k", "random_state": "--seed", "ratio": "--ratio"}
_INTEGER = re.compile(r"[+-]?\d+\Z")


class UsageError(Exception):
    """The command cannot run as given (exit status 2)."""


class CommandError(Exception):
    """The resampling or the writing failed (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``resamplekit resample: error: ...`` and status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def new_parser():
    """The top-level parser (with ``--version``) and its sub-command registry.

    Examples
    --------
    >>> parser, commands = new_parser()
    >>> parser.prog
    'resamplekit'
    """
    parser = _Parser(
        prog="resamplekit",
        description="Resample class-imbalanced data: under-sampling, cleaning and "
        "SMOTE-family over-sampling.",
    )
    parser.add_argument("--version", action="version",
                        version=f"resamplekit {resamplekit.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    return parser, commands


def add_commands(commands):
    """Add ``methods`` and ``resample`` to the registry made by :func:`new_parser`."""
    commands.add_parser("methods", help="list every method: name, kind, what it does",
                        description="List every method: its name, its kind and what it does.")
    p = commands.add_parser(
        "resample", help="resample a CSV or Parquet file",
        description="Resample the rows of a CSV file (header row required) or a Parquet file "
        "(needs pyarrow: pip install 'resamplekit[parquet]') with any method, and write the "
        "result in the same layout: the target column under its name and position, the "
        "feature columns in order. Synthetic rows turn integer feature columns into float "
        "columns, as the library does.",
        epilog="RATIO is a float, one of " + ", ".join(repr(w) for w in RATIO_WORDS) + ", or "
        "counts per class as 'a:100,b:50' or as JSON '{\"a\": 100}'. VALUE of --param is "
        "read as an integer, a float, true/false, none, JSON ([...], {...}, \"...\") or else "
        "as text. The class counts before and after go to stdout (to stderr when OUT is -).",
    )
    p.add_argument("input", metavar="IN", help="CSV file, or Parquet file (.parquet, .pq)")
    p.add_argument("-t", "--target", required=True, metavar="COLUMN",
                   help="the column of class labels")
    p.add_argument("-m", "--method", required=True, help="a method (resamplekit methods)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file, written atomically, in IN's format unless its suffix "
                   "says .csv/.parquet/.pq; - writes CSV to stdout")
    p.add_argument("--ratio", metavar="RATIO", help="which classes to resample, to how many "
                   "rows (imbalanced-learn's sampling_strategy)")
    p.add_argument("--k", metavar="K", help="number of neighbours (the method's k)")
    p.add_argument("--seed", metavar="SEED", help="random_state: an integer")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="any other keyword of the method (repeatable), e.g. version=2")
    p.add_argument("--categorical", metavar="COL[,COL...]",
                   help="categorical feature columns (smotenc; smoten takes every column)")
    p.add_argument("--weights", metavar="COLUMN",
                   help="a numeric column of sample weights (>= 0): not a feature; the "
                        "output's column holds the weight of each output row (0 leaves a "
                        "row out)")
    p.add_argument("--indices", metavar="FILE",
                   help="write the input row (0-based, header excluded) of each output row, "
                   "one per line, -1 for a synthetic row")


def run(parser, args, stdout=None, stderr=None):
    """Run the ``methods`` or ``resample`` command; return the exit status."""
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    try:
        if args.command == "methods":
            print_methods(stdout)
        else:
            resample(args, stdout, stderr)
    except UsageError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=stderr)
        return 2
    except CommandError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{parser.prog} {args.command}: interrupted", file=stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (``... -o - | head``): stop quietly, and keep Python
        # from failing again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 1
    return 0


# --------------------------------------------------------------------------------------------
# methods


def public_methods():
    """``[(name, function, kind)]`` for every resampling function in ``resamplekit.__all__``.

    Examples
    --------
    >>> [(name, kind) for name, _, kind in public_methods()][:2]
    [('adasyn', 'over-sampling'), ('all_knn', 'cleaning')]
    """
    found = []
    for name in resamplekit.__all__:
        func = getattr(resamplekit, name, None)
        kind = KINDS.get(getattr(func, "__module__", None))
        if callable(func) and kind is not None:
            found.append((name, func, kind))
    return found


def summary(func):
    """The first line of a function's docstring."""
    lines = (func.__doc__ or "").strip().splitlines()
    return lines[0].strip() if lines else ""


def print_methods(out):
    methods = public_methods()
    width = max(len(name) for name, _, _ in methods)
    kind_width = max(len(kind) for kind in KINDS.values())
    for name, func, kind in methods:
        print(f"{name:<{width}}  {kind:<{kind_width}}  {summary(func)}", file=out)


# --------------------------------------------------------------------------------------------
# parsing option values


def parse_value(text):
    """Read a ``--param`` value: integer, float, true/false, none, JSON, or else the text.

    Examples
    --------
    >>> [parse_value(t) for t in ["3", "0.5", "True", "none", "[1, 2]", "all", '"3"']]
    [3, 0.5, True, None, [1, 2], 'all', '3']
    """
    t = text.strip()
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("none", "null"):
        return None
    if _INTEGER.match(t):
        return int(t)
    try:
        return float(t)
    except ValueError:
        pass
    if t[:1] in ("[", "{", '"'):
        try:
            return json.loads(t)
        except json.JSONDecodeError:
            pass
    return text


def parse_ratio(text):
    """Read ``--ratio``: a float, a word, or counts per class (``a:100,b:50`` or JSON).

    Class names stay text here; :func:`resolve_ratio` matches them with the labels.

    Examples
    --------
    >>> parse_ratio("0.5"), parse_ratio("not minority")
    (0.5, 'not minority')
    >>> parse_ratio("a:100,b:50"), parse_ratio('{"1": 30}')
    ({'a': 100, 'b': 50}, {'1': 30})
    """
    t = text.strip()
    if t.lower() in RATIO_WORDS:
        return t.lower()
    try:
        return float(t)
    except ValueError:
        pass
    wanted = (f"--ratio must be a float, one of {', '.join(map(repr, RATIO_WORDS))}, or "
              f"counts per class like 'a:100,b:50' or '{{\"a\": 100}}', got {text!r}")
    if t.startswith("{"):
        try:
            counts = json.loads(t)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{wanted} (invalid JSON: {exc.msg})") from None
        if not isinstance(counts, dict) or not counts:
            raise UsageError(wanted)
        return {str(k): v for k, v in counts.items()}
    if ":" in t:
        counts = {}
        for item in t.split(","):
            label, sep, count = item.rpartition(":")
            if not sep or not label.strip() or not _number(count.strip()):
                raise UsageError(f"{wanted} (bad item {item.strip()!r})")
            counts[label.strip()] = parse_value(count)
        return counts
    raise UsageError(wanted)


def _number(text):
    return isinstance(parse_value(text), (int, float)) and text.lower() not in ("true", "false")


def resolve_ratio(ratio, labels, target):
    """Map the class names of a ratio dict to the labels of the target column.

    Examples
    --------
    >>> resolve_ratio({"1": 30}, np.array([0, 1]), "label")
    {1: 30}
    """
    if not isinstance(ratio, dict):
        return ratio
    by_text = {str(label): label for label in labels.tolist()}
    resolved = {}
    for key, count in ratio.items():
        label = by_text.get(key)
        if label is None and labels.dtype.kind in "iuf" and _number(key):
            matches = [lab for lab in labels.tolist() if lab == parse_value(key)]
            label = matches[0] if matches else None
        if label is None:
            shown = ", ".join(map(str, labels.tolist()[:20]))
            raise UsageError(f"--ratio names class {key!r}, which is not in column "
                             f"{target!r} (classes: {shown})")
        resolved[label] = count
    return resolved


def integer_option(parser, option, text, minimum=None):
    """``int(text)``, or a one-line usage error naming the option (exit status 2).

    Examples
    --------
    >>> integer_option(new_parser()[0], "--n", "12", 1)
    12
    """
    value = parse_value(text) if isinstance(text, str) else text
    if isinstance(value, bool) or not isinstance(value, int) or (
            minimum is not None and value < minimum):
        shown = value if isinstance(value, int) and not isinstance(value, bool) else repr(text)
        allowed = "an integer" if minimum is None else f"an integer >= {minimum}"
        parser.error(f"{option} must be {allowed}, got {shown}")
    return value


def _close(word, choices):
    matches = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if not matches:
        return ""
    shown = matches[0] if len(matches) == 1 else f"{', '.join(matches[:-1])} or {matches[-1]}"
    return f" (did you mean {shown}?)"


def resolve_method(name):
    """The public function called ``name`` (hyphens allowed), or a UsageError with close
    matches."""
    methods = {m: f for m, f, _ in public_methods()}
    key = name.strip().replace("-", "_")
    if key in methods:
        return key, methods[key]
    raise UsageError(f"unknown method {name!r}{_close(key, list(methods))}; "
                     "'resamplekit methods' lists them")


def method_keywords(name, func, args):
    """The keyword arguments of ``func`` from --ratio, --k, --seed and --param."""
    params = inspect.signature(func).parameters
    names = [p for p, v in params.items() if v.kind is inspect.Parameter.KEYWORD_ONLY]
    kwargs = {}
    given = {}
    for option, key, text, parse in (("--ratio", "ratio", args.ratio, parse_ratio),
                                     ("--k", "k", args.k, None),
                                     ("--seed", "random_state", args.seed, None)):
        if text is None:
            continue
        if key not in params:
            raise UsageError(f"{option}: {name} has no parameter {key}")
        if parse is None:
            value = parse_value(text)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise UsageError(f"{option} must be an integer, got {text!r}")
        else:
            value = parse(text)
        kwargs[key] = value
        given[key] = option
    for item in args.param:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--param must be NAME=VALUE, got {item!r}")
        if key in _RESERVED and key in params:
            raise UsageError(f"--param {key}: {_RESERVED[key]}")
        if key not in names or key in _RESERVED:
            usable = [n for n in names if n not in _RESERVED]
            raise UsageError(f"--param: {name} has no parameter {key!r}{_close(key, usable)}; "
                             f"its parameters: {', '.join(usable)}")
        if key in given:
            raise UsageError(f"--param {key} repeats {given[key]}")
        kwargs[key] = parse_ratio(text) if key == "ratio" else parse_value(text)
        given[key] = f"--param {key}"
    return kwargs


# --------------------------------------------------------------------------------------------
# resample


def _column_named(table, name, what):
    if name not in table.names:
        raise UsageError(f"{what} {name!r} is not a column of {table.path}"
                         f"{_close(name, table.names)}; its columns: "
                         f"{', '.join(table.names[:30])}")
    return table.columns[table.names.index(name)]


def _read(path):
    try:
        return _tables.read_table(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except _tables.TableError as exc:
        raise UsageError(str(exc)) from None


def _check_complete(table, columns, name):
    for col in columns:
        row = col.first_missing()
        if row is not None:
            raise UsageError(f"{name} needs every cell: column {col.name!r} is empty at "
                             f"{table.where(row)}")


def build_X(name, table, features, categorical):
    """X for method ``name`` from the feature columns, or a UsageError naming the columns it
    cannot take; also the extra keywords (SMOTE-NC's ``categorical_features``)."""
    numeric = [c for c in features if c.numeric]
    if name in ROW_SELECTING:
        if len(numeric) == len(features):
            return _numeric_block(features), {}
        return _object_block(features), {}
    _check_complete(table, features, name)
    if name == "smoten":
        return _object_block(features), {}
    if name == "smotenc":
        if not categorical:
            text = [c.name for c in features if not c.numeric]
            hint = f"; not numeric here: {', '.join(map(repr, text))}" if text else ""
            raise UsageError(f"smotenc needs --categorical COL[,COL...] naming its categorical "
                             f"feature columns{hint}")
        undeclared = [c.name for c in features if not c.numeric and c.name not in categorical]
        if undeclared:
            raise UsageError(f"smotenc: columns {', '.join(map(repr, undeclared))} are not "
                             "numeric; add them to --categorical")
        X = _object_block(features, numeric_as_float=[c.name not in categorical
                                                       for c in features])
        positions = [j for j, c in enumerate(features) if c.name in categorical]
        return X, {"categorical_features": positions}
    other = [c.name for c in features if not c.numeric]
    if other:
        raise UsageError(
            f"{name} needs numeric feature columns; not numeric: {', '.join(map(repr, other))} "
            "(smotenc and smoten take categorical columns, random_under and random_over any "
            "column)"
        )
    return _numeric_block(features), {}


def _numeric_block(columns):
    dtype = np.float32 if all(c.values.dtype == np.float32 for c in columns) else np.float64
    X = np.empty((len(columns[0].values), len(columns)), dtype=dtype)
    for j, c in enumerate(columns):
        X[:, j] = c.values
    return X


def _object_block(columns, numeric_as_float=None):
    X = np.empty((len(columns[0].values), len(columns)), dtype=object)
    for j, c in enumerate(columns):
        if numeric_as_float is not None and numeric_as_float[j]:
            X[:, j] = c.values.astype(np.float64).tolist()
        else:
            X[:, j] = c.values.tolist()
    return X


def output_columns(table, target_pos, X, X_res, y_res, indices, categorical=(),
                   weights_pos=None, weights=None):
    """The output table's columns: the input's layout, the resampled rows.

    When every output row is an unchanged input row, the input columns are taken at those rows
    (types exact); otherwise numeric feature columns come from X_res (integer columns become
    float, as the library makes them) and the other columns (``categorical`` named ones too)
    keep their kind. The column at ``weights_pos`` (``--weights``) holds ``weights``, the
    weight of each output row (an unchanged row's weight is its input weight).
    """
    copied = bool((indices >= 0).all())
    if copied and X.dtype != object:
        copied = np.array_equal(X_res, X[indices], equal_nan=True)
    out = []
    j = 0
    for pos, col in enumerate(table.columns):
        if pos == weights_pos:
            out.append(col.take(indices) if copied else
                       _resampled(col, weights, numeric_to_float=True))
            continue
        if pos == target_pos:
            if copied:
                out.append(col.take(indices))
            else:
                out.append(_resampled(col, np.asarray(y_res), numeric_to_float=False))
            continue
        if copied:
            out.append(col.take(indices))
        else:
            out.append(_resampled(col, X_res[:, j],
                                  numeric_to_float=col.name not in categorical))
        j += 1
    return out


def _resampled(col, values, numeric_to_float):
    values = np.asarray(values)
    if col.numeric and (numeric_to_float or col.kind == "float"):
        # float32 columns stay float32; integer and bool columns become float64.
        dtype = np.float32 if col.values.dtype == np.float32 else np.float64
        arrow_type = col.arrow_type if col.kind == "float" else None
        return _tables.Column(col.name, "float", values.astype(dtype), arrow_type=arrow_type)
    if col.numeric:
        return _tables.Column(col.name, col.kind, values.astype(col.values.dtype),
                              arrow_type=col.arrow_type)
    obj = np.empty(len(values), dtype=object)
    obj[:] = values.tolist()
    return _tables.Column(col.name, col.kind, obj, arrow_type=col.arrow_type)


def write_atomic(path, write):
    """Call ``write(temporary_path)`` then move the file to ``path``; on failure remove it.

    The temporary file is in ``path``'s directory, so ``os.replace`` is atomic: ``path`` is
    either untouched or the complete new file.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> write_atomic(path, lambda tmp: open(tmp, "w").close())
    >>> os.listdir(os.path.dirname(path))
    ['out.txt']
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                               dir=directory)
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a new file gets the usual mode
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_output(path, write):
    try:
        write_atomic(path, write)
    except _tables.TableError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None


def class_counts(before, after):
    """Lines of a table of class counts before and after.

    Examples
    --------
    >>> print("\\n".join(class_counts(np.array(["a", "a", "b"]), np.array(["a", "b"]))))
    class  before  after
    a           2      1
    b           1      1
    total       3      2
    """
    labels = np.unique(np.concatenate([np.asarray(before), np.asarray(after)]))
    b_labels, b_counts = np.unique(before, return_counts=True)
    a_labels, a_counts = np.unique(after, return_counts=True)
    b = dict(zip(b_labels.tolist(), b_counts.tolist()))
    a = dict(zip(a_labels.tolist(), a_counts.tolist()))
    names = [str(label) for label in labels.tolist()] + ["total"]
    width = max(5, *(len(n) for n in names))
    lines = [f"{'class':<{width}}  before  after"]
    for label, shown in zip(labels.tolist(), names):
        lines.append(f"{shown:<{width}}  {b.get(label, 0):>6}  {a.get(label, 0):>5}")
    lines.append(f"{'total':<{width}}  {len(before):>6}  {len(after):>5}")
    return lines


def resample(args, stdout, stderr):
    """The ``resample`` command (see ``resamplekit resample --help``)."""
    name, func = resolve_method(args.method)
    kwargs = method_keywords(name, func, args)
    categorical = None
    if args.categorical is not None:
        if name not in CATEGORICAL:
            raise UsageError(f"--categorical applies to smotenc and smoten, not {name}")
        categorical = [c.strip() for c in args.categorical.split(",") if c.strip()]
        if not categorical:
            raise UsageError("--categorical needs column names, got an empty list")
    to_stdout = args.output == "-"
    out_format = "csv" if to_stdout else _tables.table_format(
        args.output, _tables.table_format(args.input))
    if out_format == "parquet":
        try:
            _tables.pyarrow_modules()
        except _tables.TableError as exc:
            raise UsageError(str(exc)) from None

    table = _read(args.input)
    target = _column_named(table, args.target, "--target")
    target_pos = table.names.index(args.target)
    features = [c for c in table.columns if c is not target]
    if not features:
        raise UsageError(f"{table.path} has no feature columns besides the target "
                         f"{args.target!r}")
    if target.missing is not None:
        raise UsageError(f"target column {args.target!r} is empty at "
                         f"{table.where(target.first_missing())}")
    for col in categorical or []:
        if _column_named(table, col, "--categorical column") is target:
            raise UsageError(f"--categorical names the target column {col!r}")
    if name == "smoten" and categorical is not None:
        left = [c.name for c in features if c.name not in categorical]
        if left:
            raise UsageError("smoten takes every feature column as categorical; --categorical "
                             f"leaves out {', '.join(map(repr, left))}")
    weights_pos = None
    if args.weights is not None:
        weights = _column_named(table, args.weights, "--weights")
        if weights is target:
            raise UsageError(f"--weights names the target column {args.weights!r}")
        if args.weights in (categorical or []):
            raise UsageError(f"--weights column {args.weights!r} is also in --categorical")
        if not weights.numeric or weights.kind == "bool":
            raise UsageError(f"--weights column {args.weights!r} must hold numbers, got "
                             f"{weights.kind} values")
        if weights.missing is not None:
            raise UsageError(f"--weights column {args.weights!r} is empty at "
                             f"{table.where(weights.first_missing())}")
        weights_pos = table.names.index(args.weights)
        features = [c for c in features if c is not weights]
        if not features:
            raise UsageError(f"{table.path} has no feature columns besides the target and "
                             "the weights")
        kwargs["sample_weight"] = weights.values
    y = target.values
    if "ratio" in kwargs:
        kwargs["ratio"] = resolve_ratio(kwargs["ratio"], np.unique(y), args.target)
    X, extra = build_X(name, table, features, categorical)

    with resample_progress(stderr):
        try:
            out = func(X, y, **kwargs, **extra, return_indices=True)
            if weights_pos is None:
                (X_res, y_res, indices), w_res = out[:3], None
            else:
                X_res, y_res, w_res, indices = out[:4]
        except (ValueError, TypeError, ImportError, MemoryError) as exc:
            message = _tables._one_line(exc)
            if not message.startswith(name):
                message = f"{name}: {message}"
            raise CommandError(message) from None
    indices = np.asarray(indices, dtype=np.int64)

    if name == "smoten":
        categorical = [c.name for c in features]
    columns = output_columns(table, target_pos, X, X_res, y_res, indices, categorical or (),
                             weights_pos, w_res)
    if to_stdout:
        _tables.write_table(columns, stdout, "csv")
        stdout.flush()
    else:
        _write_output(args.output, lambda tmp: _tables.write_table(columns, tmp, out_format))
    if args.indices is not None:
        _write_output(args.indices, lambda tmp: _write_indices(tmp, indices))
    report = stderr if to_stdout else stdout
    destination = "stdout" if to_stdout else args.output
    print(f"{name}: {table.n_rows} rows of {args.input} -> {len(indices)} rows in "
          f"{destination}", file=report)
    for line in class_counts(y, np.asarray(y_res)):
        print(f"  {line}", file=report)


def _write_indices(path, indices):
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(f"{i}\n" for i in indices.tolist()))


# --------------------------------------------------------------------------------------------
# progress


class ProgressBar:
    """Progress events drawn as one ``\\r``-rewritten line on a terminal.

    Call it with events that have ``method``, ``phase``, ``done`` and ``total`` (None when
    unknown: a spinner and a counter). Redraws are throttled to one per ``interval`` seconds,
    except on a new phase and at its end; :meth:`close` clears the line.

    Parameters
    ----------
    stream : text stream
        Where to draw (the command line passes stderr, only when it is a terminal).
    interval : float, default=0.1
        Least time between two redraws of the same phase, in seconds.
    width : int or None, default=None
        Line width; None: the terminal's width (80 when unknown).
    clock : callable, default=time.monotonic

    Examples
    --------
    >>> import io, types
    >>> out = io.StringIO()
    >>> bar = ProgressBar(out, width=60)
    >>> bar(types.SimpleNamespace(method="smote", phase="neighbour search", done=5, total=10))
    >>> out.getvalue().strip()
    'smote: neighbour search [##########...........]  50% (5/10)'
    >>> bar.close()
    >>> out.getvalue().endswith("\\r")
    True
    """

    _SPINNER = "|/-\\"

    def __init__(self, stream, *, interval=0.1, width=None, clock=time.monotonic):
        self.stream = stream
        self.interval = interval
        self.width = width if width is not None else shutil.get_terminal_size((80, 24)).columns
        self.clock = clock
        self._phase = None
        self._last = None
        self._shown = 0
        self._turns = 0

    def __call__(self, event):
        now = self.clock()
        phase = (event.method, event.phase)
        total = event.total
        finished = total is not None and event.done >= total
        if (phase == self._phase and not finished and self._last is not None
                and now - self._last < self.interval):
            return
        self._phase = phase
        self._last = now
        self._draw(self.format(event))

    def format(self, event):
        """The line for one event, at most ``width - 1`` characters."""
        head = f"{event.method}: {event.phase} "
        done, total = event.done, event.total
        if total:
            fraction = min(max(done / total, 0.0), 1.0)
            tail = f" {fraction:4.0%} ({done}/{total})"
            room = min(self.width - 1 - len(head) - len(tail) - 2, 40)
            if room >= 5:
                filled = int(fraction * room)
                line = f"{head}[{'#' * filled}{'.' * (room - filled)}]{tail}"
            else:
                line = head + tail.lstrip()
        else:
            self._turns += 1
            line = f"{head}{self._SPINNER[self._turns % len(self._SPINNER)]} {done}"
            if total == 0:
                line = f"{head}{done}"
        return line[: max(self.width - 1, 1)]

    def _draw(self, line):
        pad = max(self._shown - len(line), 0)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()
        self._shown = len(line)

    def close(self):
        """Clear the line (nothing when nothing was drawn)."""
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
        self._phase = self._last = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@contextlib.contextmanager
def resample_progress(stream):
    """Draw the library's progress events on ``stream`` while in the block, only when
    ``stream`` is a terminal (nothing at all otherwise)."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        yield None
        return
    with ProgressBar(stream) as bar, resamplekit.report_progress(bar):
        yield bar
