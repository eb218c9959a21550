"""The documentation's gallery scripts (docs/examples/plot_*.py) run and draw their figures.

Each script runs in a fresh interpreter with matplotlib's Agg backend, the way sphinx-gallery
runs it (in its own folder, without ``__file__``), and every figure it leaves open is saved, so
a drawing error fails here as it would fail the documentation build. The performance example's
markdown parser is also checked on a snippet of asv_bench/RESULTS.md's format.
"""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import resamplekit

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
SCRIPTS = sorted(EXAMPLES.glob("plot_*.py"))

# Figures each script draws (at least).
FIGURES = {
    "plot_tutorial.py": 3,
    "plot_under_sampling.py": 5,
    "plot_cleaning.py": 4,
    "plot_over_sampling.py": 7,
    "plot_combine.py": 1,
    "plot_decision_boundaries.py": 2,
    "plot_performance.py": 3,
}

# Run like sphinx-gallery: cwd = the script's folder, __name__ == "__main__", no __file__.
RUNNER = """
import sys
from pathlib import Path
import matplotlib.pyplot as plt
script, out = Path(sys.argv[1]), Path(sys.argv[2])
exec(compile(script.read_text(encoding="utf-8"), str(script), "exec"), {"__name__": "__main__"})
for number in plt.get_fignums():
    plt.figure(number).savefig(out / f"{script.stem}_{number}.png", dpi=40)
print("figures:", len(plt.get_fignums()))
"""


def child_env():
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def test_every_script_is_listed():
    assert [script.name for script in SCRIPTS] == sorted(FIGURES)
    assert (EXAMPLES / "README.rst").is_file()  # sphinx-gallery needs the gallery header


def test_every_public_method_is_shown():
    source = "\n".join(script.read_text(encoding="utf-8") for script in SCRIPTS)
    missing = [name for name in resamplekit.__all__ if f"rk.{name}" not in source]
    assert missing == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.stem)
def test_example_runs_and_draws(script, tmp_path):
    if script.name == "plot_tutorial.py":
        pytest.importorskip("imblearn")
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(script), str(tmp_path)],
                          cwd=EXAMPLES, env=child_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) >= FIGURES[script.name], proc.stdout
    assert all(png.stat().st_size > 1000 for png in pngs)


def test_performance_example_runs_standalone_from_elsewhere(tmp_path):
    # Run by hand, the script finds RESULTS.md from __file__, whatever the working directory.
    proc = subprocess.run([sys.executable, str(EXAMPLES / "plot_performance.py")],
                          cwd=tmp_path, env=child_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rows," in proc.stdout


def performance_parser():
    """The performance example's imports, constants and functions, without its figures."""
    script = EXAMPLES / "plot_performance.py"
    tree = ast.parse(script.read_text(encoding="utf-8"))
    keep = [node for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef))
            or isinstance(node, ast.Assign) and all(
                isinstance(target, ast.Name) and target.id.isupper() for target in node.targets)]
    namespace = {"__file__": str(script)}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(script), "exec"), namespace)
    return namespace


SNIPPET = """\
# Title

Intro text | with a pipe.

## Main run (2026-11-28)

Measured with `python asv_bench/compare.py`.

| method | workload | resamplekit | imblearn | speed-up | rk peak | imblearn peak | outputs |
|---|---|---:|---:|---:|---:|---:|---|
| `random_under` | 1,000 x 20 (90/10) | 0.5 ms | 2.1 ms | 4.2x | < 0.1 MB | 0.4 MB | identical rows |
| `near_miss(version=2)` | 100,000 x 20 (90/10) | 266.9 ms | 87.72 s | 328.7x | 32 MB | 13763 MB | identical rows |
| `near_miss(version=2)` | 200,000 x 4 (90/10) | 386.3 ms | out of memory |  | 25 MB |  | - |
| `condensed_nearest_neighbour` | 100,000 x 20 (90/10) | not run above n=10,000 |  |  |  |  |  |
| `instance_hardness_threshold` | 100,000 x 20 (90/10) | 123 s | 227 s | 1.8x | 107 MB | 74 MB | counts equal |
| `smote` | 1,000 x 20 (90/10) | 1.52 s | 1,695.5 s | 1,115.5x | 1.5 GB | 512 KB | counts equal |

## A section without a table

Text only.

### Earlier run

| method | workload | resamplekit | imblearn | speed-up | rk peak | imblearn peak | outputs |
|---|---|---:|---:|---:|---:|---:|---|
| `smote` | 10,000 x 20 (90/10) | 5.4 ms | 12.9 ms | 2.4x | 4.8 MB | 8.1 MB | identical rows |
"""


def test_performance_parser_reads_the_results_format():
    parser = performance_parser()
    sections = parser["parse_results"](SNIPPET)
    assert [section["title"] for section in sections] == ["Main run (2026-11-28)",
                                                          "Earlier run"]
    main, earlier = sections
    assert [row["method"] for row in main["rows"]] == [
        "random_under", "near_miss(version=2)", "near_miss(version=2)",
        "condensed_nearest_neighbour", "instance_hardness_threshold", "smote"]
    under, nm2, nm2_oom, cnn, iht, smote = main["rows"]
    assert under["workload"] == "1,000 x 20 (90/10)"
    assert under["resamplekit"] == pytest.approx(0.5e-3)
    assert under["imblearn"] == pytest.approx(2.1e-3)
    assert under["speedup"] == pytest.approx(4.2)
    assert under["rk_peak"] == (pytest.approx(0.1), True)
    assert under["imblearn_peak"] == (pytest.approx(0.4), False)
    assert under["outputs"] == "identical rows" and under["note"] == ""
    assert nm2["imblearn"] == pytest.approx(87.72)
    assert nm2["imblearn_peak"] == (pytest.approx(13763.0), False)
    assert nm2_oom["imblearn"] is None and nm2_oom["speedup"] is None
    assert nm2_oom["imblearn_peak"] is None and nm2_oom["note"] == "out of memory"
    assert cnn["resamplekit"] is None and cnn["note"] == "not run above n=10,000"
    assert cnn["rk_peak"] is None
    assert (iht["resamplekit"], iht["imblearn"]) == (pytest.approx(123.0), pytest.approx(227.0))
    assert smote["imblearn"] == pytest.approx(1695.5)
    assert smote["speedup"] == pytest.approx(1115.5)
    assert smote["rk_peak"] == (pytest.approx(1536.0), False)
    assert smote["imblearn_peak"] == (pytest.approx(0.5), False)
    assert any(line.startswith("Measured") for line in main["lines"])
    assert earlier["rows"][0]["resamplekit"] == pytest.approx(5.4e-3)


def test_performance_parser_units():
    parser = performance_parser()
    parse_time, parse_size, parse_ratio = (parser[name] for name in
                                           ("parse_time", "parse_size", "parse_ratio"))
    assert parse_time("2 min") == pytest.approx(120.0)
    assert parse_time("40 us") == pytest.approx(40e-6)
    assert parse_time("") is None and parse_time("-") is None
    assert parse_size("2 GB") == (pytest.approx(2048.0), False)
    assert parse_size("n/a") is None
    assert parse_ratio("0.9x") == pytest.approx(0.9) and parse_ratio("") is None


def test_the_results_file_parses():
    # The real file: its first section is the main run, with every standard workload.
    parser = performance_parser()
    sections = parser["parse_results"](parser["find_results"]().read_text(encoding="utf-8"))
    rows = sections[0]["rows"]
    assert any(row["workload"] == parser["WORKLOAD"] and row["speedup"] for row in rows)
    assert all(row["speedup"] or row["note"] for row in rows)
