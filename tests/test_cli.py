"""The command line: ``python -m resamplekit`` (and the ``resamplekit`` script).

The round trips and a few errors run the command line in a child interpreter, as a user does;
the many error cases and the progress bar run in-process (``main(argv)``), which is the same
code without the start-up cost of a process each.
"""
import contextlib
import csv
import importlib
import io
import os
import subprocess
import sys
import types

import numpy as np
import pytest

import resamplekit as rk
from resamplekit import _cli
from resamplekit.__main__ import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, cwd):
    """Run ``python -m resamplekit ARGS`` in a fresh interpreter; the CompletedProcess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    return subprocess.run([sys.executable, "-m", "resamplekit", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def run_main(argv, capsys):
    """``main(argv)`` in-process: (exit status, stdout, stderr)."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own errors and --version
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, err, expected_status, *words):
    assert status == expected_status, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error:" in lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def dataset(n=60, seed=0):
    """A numeric feature, the label (text, in the middle), an integer feature, a text one."""
    rng = np.random.default_rng(seed)
    label = np.where(np.arange(n) % 5 == 0, "pos", "neg")
    x1 = np.round(rng.normal(size=n) + (label == "pos"), 3)
    count = rng.integers(0, 10, size=n)
    colour = rng.choice(["red", "green", "blue"], size=n)
    return x1, label, count, colour


@pytest.fixture
def data_csv(tmp_path):
    x1, label, count, colour = dataset()
    path = tmp_path / "data.csv"
    write_csv(path, ["x1", "label", "count", "colour"], zip(x1, label, count, colour))
    return path


@pytest.fixture
def numeric_csv(tmp_path):
    x1, label, count, _ = dataset()
    path = tmp_path / "numeric.csv"
    write_csv(path, ["x1", "label", "count"], zip(x1, label, count))
    return path


# --------------------------------------------------------------------------------------------
# round trips (child processes)


def test_smote_csv_round_trip_matches_the_library(tmp_path, numeric_csv):
    proc = cli("resample", numeric_csv, "--target", "label", "--method", "smote", "--k", 3,
               "--seed", 0, "--indices", "idx.txt", "-o", "out.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # the class counts before and after go to stdout
    assert "neg" in proc.stdout and "48     48" in proc.stdout and "12     48" in proc.stdout

    x1, label, count, _ = dataset()
    X = np.column_stack([x1, count]).astype(float)
    X_ref, y_ref, idx_ref = rk.smote(X, label, k=3, random_state=0, return_indices=True)
    header, rows = read_csv(tmp_path / "out.csv")
    assert header == ["x1", "label", "count"]  # the target keeps its name and position
    assert [r[1] for r in rows] == list(y_ref)
    np.testing.assert_array_equal(np.array([[float(r[0]), float(r[2])] for r in rows]), X_ref)
    # synthetic rows make the integer column a float column, as the library does
    assert [r[2] for r in rows[:60]] == [repr(float(v)) for v in count]
    assert [r[0] for r in rows[:60]] == [repr(float(v)) for v in x1]
    indices = [int(line) for line in (tmp_path / "idx.txt").read_text().splitlines()]
    assert indices == idx_ref.tolist()
    assert indices.count(-1) == 36


def test_random_under_keeps_text_and_integer_columns(tmp_path, data_csv):
    proc = cli("resample", data_csv, "-t", "label", "-m", "random_under", "--seed", 0,
               "--indices", "rows.txt", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # OUT is stdout: the table is on stdout, the counts on stderr
    assert "total      60     24" in proc.stderr
    reader = list(csv.reader(io.StringIO(proc.stdout)))
    header, rows = reader[0], reader[1:]
    assert header == ["x1", "label", "count", "colour"]

    x1, label, count, colour = dataset()
    X = np.empty((60, 3), dtype=object)
    X[:, 0], X[:, 1], X[:, 2] = x1, count, colour
    _, _, idx_ref = rk.random_under(X, label, random_state=0, return_indices=True)
    indices = [int(v) for v in (tmp_path / "rows.txt").read_text().split()]
    assert indices == idx_ref.tolist()
    _, source = read_csv(data_csv)
    assert rows == [source[i] for i in indices]  # every cell exactly as in the input


def test_smotenc_with_categorical_columns(tmp_path, data_csv):
    proc = cli("resample", data_csv, "-t", "label", "-m", "smotenc", "--categorical", "colour",
               "--seed", 0, "--k", 4, "-o", "out.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    x1, label, count, colour = dataset()
    X = np.empty((60, 3), dtype=object)
    X[:, 0], X[:, 1], X[:, 2] = x1, count.astype(float), colour
    X_ref, y_ref = rk.smotenc(X, label, categorical_features=[2], k=4, random_state=0)
    header, rows = read_csv(tmp_path / "out.csv")
    assert header == ["x1", "label", "count", "colour"]
    assert len(rows) == len(y_ref) == 96
    assert [r[1] for r in rows] == list(y_ref)
    assert [r[3] for r in rows] == list(X_ref[:, 2])
    np.testing.assert_allclose([float(r[0]) for r in rows], X_ref[:, 0].astype(float))
    np.testing.assert_allclose([float(r[2]) for r in rows], X_ref[:, 1].astype(float))


def test_parquet_round_trip_keeps_types(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    x1, label, count, colour = dataset()
    y = (label == "pos").astype(np.int32)
    table = pa.table({
        "f32": pa.array(x1.astype(np.float32)),
        "n": pa.array(count.astype(np.int32)),
        "y": pa.array(y),
    })
    pq.write_table(table, tmp_path / "in.parquet")
    proc = cli("resample", "in.parquet", "-t", "y", "-m", "smote", "--seed", 1, "--ratio",
               "1:30", "-o", "out.parquet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column_names == ["f32", "n", "y"]
    # float32 stays float32, the target keeps int32; the integer feature becomes float
    assert out.schema.field("f32").type == pa.float32()
    assert out.schema.field("y").type == pa.int32()
    assert out.schema.field("n").type == pa.float64()
    assert np.bincount(out.column("y").to_numpy()).tolist() == [48, 30]
    X = np.column_stack([x1.astype(np.float32), count]).astype(np.float64)
    X_ref, y_ref = rk.smote(X, y, ratio={1: 30}, random_state=1)
    np.testing.assert_array_equal(out.column("y").to_numpy(), y_ref)
    np.testing.assert_allclose(out.column("n").to_numpy(), X_ref[:, 1])
    np.testing.assert_allclose(out.column("f32").to_numpy(), X_ref[:, 0], rtol=1e-6)

    # a text column and only selected rows: every column comes back with its own type
    pq.write_table(table.append_column("colour", pa.array(colour)), tmp_path / "in2.pq")
    proc = cli("resample", "in2.pq", "-t", "y", "-m", "random_over", "--seed", 0,
               "-o", "out2.pq", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = pq.read_table(tmp_path / "out2.pq")
    assert out.schema == table.append_column("colour", pa.array(colour)).schema
    assert out.num_rows == 96


def test_atomic_write_a_failing_method_leaves_out_untouched(tmp_path, numeric_csv):
    (tmp_path / "out.csv").write_text("old content\n")
    before = sorted(os.listdir(tmp_path))
    # k=20 needs 21 rows in the minority class, which has 12: the method fails
    proc = cli("resample", numeric_csv, "-t", "label", "-m", "smote", "--k", 20, "-o",
               "out.csv", "--indices", "idx.txt", cwd=tmp_path)
    assert_one_line_error(proc.returncode, proc.stderr, 1, "smote", "k=20")
    assert (tmp_path / "out.csv").read_text() == "old content\n"
    assert sorted(os.listdir(tmp_path)) == before  # no temporary file, no indices file


def test_write_atomic_removes_its_temporary_file_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def half_written(tmp):
        with open(tmp, "w") as f:
            f.write("partial")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        _cli.write_atomic(str(target), half_written)
    assert os.listdir(tmp_path) == ["out.csv"]
    assert target.read_text() == "old\n"


def test_version_and_errors_in_a_child_process(tmp_path, numeric_csv):
    proc = cli("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"resamplekit {rk.__version__}"
    proc = cli("resample", "missing.csv", "-t", "label", "-m", "smote", "-o", "o.csv",
               cwd=tmp_path)
    assert_one_line_error(proc.returncode, proc.stderr, 2, "missing.csv")
    proc = cli("resample", numeric_csv, "-t", "label", "-m", "smoot", "-o", "o.csv",
               cwd=tmp_path)
    assert_one_line_error(proc.returncode, proc.stderr, 2, "'smoot'", "smote")
    assert not (tmp_path / "o.csv").exists()


# --------------------------------------------------------------------------------------------
# the console script, --version, methods


def test_console_script_is_declared_and_importable():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    target = project["scripts"]["resamplekit"]
    module, _, attr = target.partition(":")
    func = getattr(importlib.import_module(module), attr)
    assert func is main
    extras = project["optional-dependencies"]
    assert any(req.startswith("pyarrow") for req in extras["parquet"])
    assert any(req.startswith("pyarrow") for req in extras["test"])


def test_version_in_process(capsys):
    status, out, _ = run_main(["--version"], capsys)
    assert status == 0
    assert out == f"resamplekit {rk.__version__}\n"


def test_methods_lists_every_public_method(capsys):
    status, out, _ = run_main(["methods"], capsys)
    assert status == 0
    lines = out.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == sorted(rk.__all__)  # every function of __all__ resamples
    kinds = {line.split()[0]: line.split()[1] for line in lines}
    assert kinds["tomek_links"] == "cleaning"
    assert kinds["near_miss"] == "under-sampling"
    assert kinds["smotenc"] == "over-sampling"
    assert kinds["smote_enn"] == "combination"
    assert "Over-sample with SMOTE: new rows" in lines[names.index("smote")]


# --------------------------------------------------------------------------------------------
# errors (in-process): exit status, one line on stderr


@pytest.mark.parametrize("args, status, words", [
    (["--target", "lable", "--method", "smote"], 2, ["'lable'", "did you mean label"]),
    (["--target", "label", "--method", "smot"], 2, ["'smot'", "smote"]),
    (["--target", "label", "--method", "smote", "--ratio", "lots"], 2, ["--ratio", "'lots'"]),
    (["--target", "label", "--method", "smote", "--ratio", "{bad"], 2, ["--ratio", "JSON"]),
    (["--target", "label", "--method", "smote", "--ratio", "maybe:3"], 2,
     ["'maybe'", "neg, pos"]),
    (["--target", "label", "--method", "smote", "--param", "k"], 2, ["NAME=VALUE", "'k'"]),
    (["--target", "label", "--method", "smote", "--param", "kk=3"], 2,
     ["'kk'", "did you mean k", "random_state"]),
    (["--target", "label", "--method", "smote", "--param", "return_indices=true"], 2,
     ["return_indices"]),
    (["--target", "label", "--method", "smote", "--k", "3", "--param", "k=4"], 2,
     ["--param k", "--k"]),
    (["--target", "label", "--method", "smote", "--k", "three"], 2, ["--k", "'three'"]),
    (["--target", "label", "--method", "tomek_links", "--k", "3"], 2,
     ["tomek_links has no parameter k"]),
    (["--target", "label", "--method", "smote", "--categorical", "colour"], 2,
     ["--categorical", "smotenc"]),
    (["--target", "label", "--method", "smote"], 2, ["not numeric", "'colour'"]),
    (["--target", "label", "--method", "smotenc"], 2, ["--categorical", "'colour'"]),
    (["--target", "label", "--method", "smotenc", "--categorical", "nope"], 2, ["'nope'"]),
    (["--target", "label", "--method", "near_miss", "--categorical", "colour"], 2,
     ["--categorical"]),
    # validated by the method itself: exit status 1
    (["--target", "label", "--method", "random_under", "--ratio", "2.5"], 1, ["ratio"]),
    (["--target", "label", "--method", "random_under", "--param", "replacement=maybe"], 1,
     ["replacement"]),
])
def test_errors_are_one_line(capsys, data_csv, tmp_path, args, status, words):
    out = tmp_path / "out.csv"
    got, _, err = run_main(["resample", data_csv, *args, "-o", out], capsys)
    assert_one_line_error(got, err, status, *words)
    assert not out.exists()


@pytest.mark.parametrize("method", ["smote", "tomek_links", "random_under"])
def test_weights_column_carries_the_libraries_weights(capsys, tmp_path, method):
    x1, label, count, _ = dataset()
    weight = np.round(np.linspace(0.5, 2.0, len(x1)), 3)
    weight[7] = 0.0  # left out
    path = tmp_path / "weighted.csv"
    write_csv(path, ["x1", "w", "label", "count"], zip(x1, weight, label, count))
    out = tmp_path / "out.csv"
    seed = {} if method == "tomek_links" else {"random_state": 0}
    status, _, err = run_main(["resample", path, "-t", "label", "-m", method,
                               *(["--seed", 0] if seed else []), "--weights", "w",
                               "--indices", tmp_path / "idx.txt", "-o", out], capsys)
    assert status == 0, err
    X = np.column_stack([x1, count]).astype(float)
    X_ref, y_ref, w_ref, idx_ref = getattr(rk, method)(X, label, sample_weight=weight,
                                                      return_indices=True, **seed)
    header, rows = read_csv(out)
    assert header == ["x1", "w", "label", "count"]
    np.testing.assert_array_equal([float(r[1]) for r in rows], w_ref)
    np.testing.assert_array_equal([[float(r[0]), float(r[3])] for r in rows], X_ref)
    assert [r[2] for r in rows] == list(y_ref)
    indices = [int(line) for line in (tmp_path / "idx.txt").read_text().splitlines()]
    assert indices == idx_ref.tolist() and 7 not in indices


@pytest.mark.parametrize("args, words", [
    (["--weights", "label"], ["--weights", "target"]),
    (["--weights", "colour"], ["--weights", "'colour'", "numbers"]),
    (["--weights", "nope"], ["'nope'"]),
    (["--param", "sample_weight=1"], ["--weights COLUMN"]),
])
def test_weights_errors_are_one_line(capsys, data_csv, tmp_path, args, words):
    out = tmp_path / "out.csv"
    got, _, err = run_main(["resample", data_csv, "-t", "label", "-m", "random_under", *args,
                            "-o", out], capsys)
    assert_one_line_error(got, err, 2, *words)
    assert not out.exists()


def test_negative_weights_are_refused_by_the_method(capsys, tmp_path):
    x1, label, count, _ = dataset()
    path = tmp_path / "weighted.csv"
    write_csv(path, ["x1", "w", "label"], zip(x1, -np.ones(len(x1)), label))
    got, _, err = run_main(["resample", path, "-t", "label", "-m", "smote", "--weights", "w",
                            "-o", tmp_path / "o.csv"], capsys)
    assert_one_line_error(got, err, 1, "sample_weight must be >= 0")


def test_method_rejects_a_parameter_value(capsys, numeric_csv, tmp_path):
    got, _, err = run_main(["resample", numeric_csv, "-t", "label", "-m", "near_miss",
                            "--param", "version=7", "-o", tmp_path / "o.csv"], capsys)
    assert_one_line_error(got, err, 1, "near_miss", "version", "7")


def test_empty_cells_are_named_for_distance_methods(capsys, tmp_path):
    x1, label, count, _ = dataset()
    rows = [list(r) for r in zip(x1, label, count)]
    rows[6][2] = ""
    path = tmp_path / "holes.csv"
    write_csv(path, ["x1", "label", "count"], rows)
    got, _, err = run_main(["resample", path, "-t", "label", "-m", "smote", "-o",
                            tmp_path / "o.csv"], capsys)
    assert_one_line_error(got, err, 2, "'count'", "line 8", "input row 6")
    # selecting rows does not need every cell: the empty cell stays empty
    got, _, err = run_main(["resample", path, "-t", "label", "-m", "random_over", "--seed", 0,
                            "--indices", tmp_path / "i.txt", "-o", tmp_path / "o.csv"], capsys)
    assert got == 0, err
    _, out_rows = read_csv(tmp_path / "o.csv")
    indices = [int(v) for v in (tmp_path / "i.txt").read_text().split()]
    assert [r[2] == "" for r in out_rows] == [i == 6 for i in indices]


@pytest.mark.parametrize("content, words", [
    ("", ["header"]),
    ("a,b\n1,2\n3\n", ["line 3", "1 fields"]),
    ("a,a\n1,2\n", ["duplicated", "'a'"]),
    ("a,b\n", ["no data rows"]),
])
def test_malformed_csv(capsys, tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    got, _, err = run_main(["resample", path, "-t", "a", "-m", "random_under", "-o",
                            tmp_path / "o.csv"], capsys)
    assert_one_line_error(got, err, 2, *words)


def test_parquet_without_pyarrow_names_the_extra(capsys, tmp_path, monkeypatch, numeric_csv):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    got, _, err = run_main(["resample", numeric_csv, "-t", "label", "-m", "smote", "-o",
                            tmp_path / "o.parquet"], capsys)
    assert_one_line_error(got, err, 2, "pip install 'resamplekit[parquet]'")
    (tmp_path / "x.parquet").write_bytes(b"PAR1")
    got, _, err = run_main(["resample", tmp_path / "x.parquet", "-t", "label", "-m", "smote",
                            "-o", tmp_path / "o.csv"], capsys)
    assert_one_line_error(got, err, 2, "resamplekit[parquet]")


def test_ratio_forms(numeric_csv, tmp_path, capsys):
    for ratio in ["pos:30", '{"pos": 30}', "0.625"]:
        got, out, err = run_main(["resample", numeric_csv, "-t", "label", "-m", "random_over",
                                  "--ratio", ratio, "-o", tmp_path / "o.csv"], capsys)
        assert got == 0, err
        assert "pos        12     30" in out
    assert _cli.parse_ratio("not majority") == "not majority"
    assert _cli.resolve_ratio({"1.0": 5}, np.array([0.0, 1.0]), "y") == {1.0: 5}
    assert _cli.resolve_ratio({"1": 5}, np.array([0.0, 1.0]), "y") == {1.0: 5}


# --------------------------------------------------------------------------------------------
# the progress bar


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def event(done, total, phase="neighbour search", method="smote"):
    return types.SimpleNamespace(method=method, phase=phase, done=done, total=total)


def test_progress_bar_throttles_and_clears():
    now = [0.0]
    out = FakeTerminal()
    bar = _cli.ProgressBar(out, interval=0.5, width=70, clock=lambda: now[0])
    bar(event(1, 10))
    assert out.getvalue().count("\r") == 1
    assert "smote: neighbour search [" in out.getvalue()
    assert "10% (1/10)" in out.getvalue()
    now[0] = 0.1
    bar(event(2, 10))  # within the interval: not drawn
    assert out.getvalue().count("\r") == 1
    now[0] = 0.7
    bar(event(5, 10))
    assert out.getvalue().count("\r") == 2 and "50% (5/10)" in out.getvalue()
    now[0] = 0.8
    bar(event(10, 10))  # the end of a phase is always drawn
    assert "100% (10/10)" in out.getvalue()
    now[0] = 0.85
    bar(event(0, None, phase="synthesis"))  # a new phase is always drawn
    last = out.getvalue().rsplit("\r", 1)[1]
    assert last.startswith("smote: synthesis ")
    assert all(len(line) < 70 for line in out.getvalue().split("\r"))
    bar.close()
    tail = out.getvalue().rsplit("\r", 2)
    assert tail[-1] == "" and tail[-2].strip() == ""  # the line is blanked out
    size = len(out.getvalue())
    bar.close()  # nothing more to clear
    assert len(out.getvalue()) == size


def test_progress_bar_counts_without_a_total():
    now = [0.0]
    out = FakeTerminal()
    bar = _cli.ProgressBar(out, interval=0.0, width=40, clock=lambda: now[0])
    for done in (10, 20, 30):
        now[0] += 1
        bar(event(done, None, method="tomek_links"))
    frames = [f for f in out.getvalue().split("\r") if f]
    assert [f.split()[-1] for f in frames] == ["10", "20", "30"]
    assert len({f.split()[-2] for f in frames}) == 3  # the spinner turns


@pytest.fixture
def fake_report_progress(monkeypatch):
    calls = []

    @contextlib.contextmanager
    def report_progress(callback):
        calls.append(callback)
        yield

    monkeypatch.setattr(rk, "report_progress", report_progress)
    return calls


def test_progress_is_drawn_only_on_a_terminal(fake_report_progress):
    terminal = FakeTerminal()
    with _cli.resample_progress(terminal) as bar:
        assert fake_report_progress == [bar]
        fake_report_progress[0](event(3, 4))
    assert "75% (3/4)" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # cleared at the end

    pipe = io.StringIO()  # not a terminal: no bar, the library is not asked for events
    with _cli.resample_progress(pipe) as bar:
        assert bar is None
    assert pipe.getvalue() == "" and len(fake_report_progress) == 1


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_real_terminal(tmp_path, numeric_csv):
    """The command line under a pseudo-terminal draws the library's real events on stderr;
    with stderr a pipe (every other test here) it draws nothing."""
    import pty  # noqa: F401  (POSIX only, like os.openpty)

    controller, terminal = os.openpty()
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    try:
        process = subprocess.run(
            [sys.executable, "-m", "resamplekit", "resample", str(numeric_csv), "--target",
             "label", "--method", "repeated_edited_nearest_neighbours", "-o",
             str(tmp_path / "out.csv")],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal, env=env,
            timeout=300, text=True)
        os.close(terminal)
        terminal = None
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other side is closed: all read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if terminal is not None:
            os.close(terminal)
        os.close(controller)
    assert process.returncode == 0, drawn
    text = drawn.decode()
    assert "repeated_edited_nearest_neighbours: editing round" in text
    assert "repeated_edited_nearest_neighbours: neighbour search" in text
    assert text.rstrip(" ").endswith("\r")  # the line is cleared at the end
    assert "Traceback" not in text

    piped = cli("resample", numeric_csv, "--target", "label", "--method",
                "repeated_edited_nearest_neighbours", "-o", tmp_path / "piped.csv",
                cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
