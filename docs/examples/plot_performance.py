"""
Speed and memory against imbalanced-learn
=========================================

The figures below are drawn from ``asv_bench/RESULTS.md``, the measurements of
``asv_bench/compare.py``: each method timed with resamplekit and with imbalanced-learn 0.14
one after the other in the same run, on the same data, in fresh processes. This script reads the
file's markdown tables when the documentation is built, so the figures always show the numbers
the file holds (nothing is measured or retyped here). The file records each run's date,
machine, commit and command; the first section is the main run.
"""

# %%
# Reading the tables
# ------------------
# Each section of RESULTS.md has a heading and a table with one row per method and workload:
# ``method | workload | resamplekit | imblearn | speed-up | rk peak | imblearn peak | outputs``.
# Times read like ``5.7 ms`` or ``1.52 s``, peaks like ``4.5 MB`` or ``< 0.1 MB``; a time cell
# may hold a note instead (``out of memory``, ``not run above n=10,000``).
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

TIME_UNITS = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0}
SIZE_UNITS = {"KB": 1 / 1024, "MB": 1.0, "GB": 1024.0}


def parse_time(cell):
    """'5.7 ms' -> 0.0057 (seconds); a note such as 'out of memory' or '' -> None."""
    match = re.fullmatch(r"([\d,.]+)\s*(us|µs|ms|s|min)", cell.strip())
    return float(match[1].replace(",", "")) * TIME_UNITS[match[2]] if match else None


def parse_size(cell):
    """'4.5 MB' -> (4.5, False); '< 0.1 MB' -> (0.1, True) (an upper bound); '' -> None."""
    match = re.fullmatch(r"(<\s*)?([\d,.]+)\s*(KB|MB|GB)", cell.strip())
    if match is None:
        return None
    return float(match[2].replace(",", "")) * SIZE_UNITS[match[3]], bool(match[1])


def parse_ratio(cell):
    """'4.2x' -> 4.2; '' -> None."""
    match = re.fullmatch(r"([\d,.]+)x", cell.strip())
    return float(match[1].replace(",", "")) if match else None


def parse_results(text):
    """The sections of RESULTS.md that hold a results table, in file order.

    Returns a list of ``{"title": heading, "lines": the section's text lines, "rows": [...]}``,
    each row a dict with the method (without backticks), workload, the two times in seconds,
    the speed-up, the two peaks in MB (``(value, is_upper_bound)``), the outputs column, and
    ``note``: a time cell that is not a time (``out of memory``, ``not run above n=10,000``).
    """
    sections, current = [], None
    for line in text.splitlines():
        heading = re.match(r"#{2,}\s+(.*)", line)
        if heading:
            current = {"title": heading[1].strip(), "lines": [], "rows": []}
            sections.append(current)
            continue
        if current is None:
            continue
        current["lines"].append(line)
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 8:
            continue
        if cells[0] == "method" or set(cells[0]) <= set("-: "):
            continue  # the header and the alignment row
        notes = [cell for cell in cells[2:4] if cell and parse_time(cell) is None]
        current["rows"].append({
            "method": cells[0].strip("`"),
            "workload": cells[1],
            "resamplekit": parse_time(cells[2]),
            "imblearn": parse_time(cells[3]),
            "speedup": parse_ratio(cells[4]),
            "rk_peak": parse_size(cells[5]),
            "imblearn_peak": parse_size(cells[6]),
            "outputs": cells[7],
            "note": notes[0] if notes else "",
        })
    return [section for section in sections if section["rows"]]


def find_results():
    """asv_bench/RESULTS.md, looked for above this script's folder.

    sphinx-gallery runs an example in its own folder without setting ``__file__``; run by hand,
    the script has ``__file__`` and may be started from anywhere.
    """
    try:
        start = Path(__file__).resolve().parent
    except NameError:
        start = Path.cwd()
    for folder in [start, *start.parents]:
        candidate = folder / "asv_bench" / "RESULTS.md"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"asv_bench/RESULTS.md not found above {start}")


sections = parse_results(find_results().read_text(encoding="utf-8"))
main = sections[0]
rows = main["rows"]
print(main["title"])
for line in main["lines"]:
    if line.startswith(("Measured", "Machine")):
        print(line)
print(f"{len(rows)} rows, {len({row['method'] for row in rows})} methods")

# %%
# Speed-up at 100,000 rows x 20 features
# --------------------------------------
# imbalanced-learn's time divided by resamplekit's, on 100,000 rows of 20 features with 10%
# in the minority class, on a logarithmic scale. The neighbour-based methods gain the most:
# resamplekit runs one exact neighbour search with threads and never builds a distance
# matrix. The methods whose time is a scikit-learn model's fit (``cluster_centroids``'s
# k-means, ``svm_smote``'s SVM, ``instance_hardness_threshold``'s classifier) gain little.
WORKLOAD = "100,000 x 20 (90/10)"
at_workload = [row for row in rows if row["workload"] == WORKLOAD]
timed = sorted((row for row in at_workload if row["speedup"]), key=lambda row: row["speedup"])
untimed = [row for row in at_workload if not row["speedup"]]

fig, ax = plt.subplots(figsize=(8, 0.32 * len(at_workload) + 1.5), layout="constrained")
labels = [row["method"] for row in untimed + timed]
speedups = [row["speedup"] for row in timed]
positions = np.arange(len(untimed), len(labels))
bars = ax.barh(positions, speedups,
               color=["#1b9e77" if value >= 1 else "#d95f02" for value in speedups])
ax.bar_label(bars, labels=[f"{value:g}x" for value in speedups], padding=3, fontsize=8)
for position, row in enumerate(untimed):
    ax.text(1.1, position, f"{row['note'] or 'no ratio'}", va="center", fontsize=8,
            color="0.4")
ax.axvline(1, color="0.3", lw=1)
ax.set_xscale("log")
ax.set_xlim(0.5, max(speedups) * 4)
ax.set(yticks=range(len(labels)), yticklabels=labels,
       xlabel="speed-up: imbalanced-learn time / resamplekit time (log scale)",
       title=f"{WORKLOAD}")

# %%
# Peak memory at 100,000 rows x 20 features
# -----------------------------------------
# The growth of the process's resident memory during the call, output included, input
# excluded. imbalanced-learn's NearMiss-2 and SMOTE-NC build matrices of all pairs of rows
# (gigabytes here); resamplekit builds no such matrix. For the other methods the two
# libraries need similar amounts, within a factor of about two either way (an over-sampler's
# output alone is about 30 MB here).
# Peaks below the resolution of the measurement (``< 0.1 MB``) are drawn at 0.1 MB.
with_peaks = [row for row in at_workload if row["rk_peak"] and row["imblearn_peak"]]
with_peaks.sort(key=lambda row: row["imblearn_peak"][0])
positions = np.arange(len(with_peaks))
fig, ax = plt.subplots(figsize=(8, 0.36 * len(with_peaks) + 1.5), layout="constrained")
for offset, key, color, label in [(0.2, "rk_peak", "#1b9e77", "resamplekit"),
                                  (-0.2, "imblearn_peak", "0.6", "imbalanced-learn")]:
    peaks = [row[key][0] for row in with_peaks]
    bars = ax.barh(positions + offset, peaks, height=0.4, color=color, label=label)
    ax.bar_label(bars, labels=[f"{'< ' if row[key][1] else ''}{row[key][0]:g} MB"
                               for row in with_peaks], padding=2, fontsize=7)
ax.set_xscale("log")
ax.set_xlim(right=max(row["imblearn_peak"][0] for row in with_peaks) * 8)
ax.set(yticks=positions, yticklabels=[row["method"] for row in with_peaks],
       xlabel="peak memory growth during the call (MB, log scale)", title=WORKLOAD)
ax.legend(loc="lower right")

# %%
# Speed-up on every workload
# --------------------------
# The same ratio for every method and workload of the main run. At 1,000 rows both
# libraries take milliseconds, mostly fixed costs of a call, so those ratios vary widely;
# from 10,000 rows on, the ratios of the neighbour-based methods grow with the data. Grey
# cells have no ratio: a method not run at that size, or imbalanced-learn out of memory.
methods = list(dict.fromkeys(row["method"] for row in rows))
workloads = list(dict.fromkeys(row["workload"] for row in rows))
table = np.full((len(methods), len(workloads)), np.nan)
notes = {}
for row in rows:
    cell = methods.index(row["method"]), workloads.index(row["workload"])
    if row["speedup"]:
        table[cell] = row["speedup"]
    elif row["note"]:
        notes[cell] = "out of memory" if "memory" in row["note"] else "not run"
# Leave out the workloads that only one method ran (smoten's categorical data), then the
# methods left with no ratio.
columns = [j for j in range(len(workloads)) if np.isfinite(table[:, j]).sum() > 1]
lines = [i for i in range(len(methods)) if np.isfinite(table[i, columns]).any()]
table = table[np.ix_(lines, columns)]
notes = {(lines.index(i), columns.index(j)): note for (i, j), note in notes.items()
         if i in lines and j in columns}
methods, workloads = [methods[i] for i in lines], [workloads[j] for j in columns]

fig, ax = plt.subplots(figsize=(9, 0.33 * len(methods) + 2), layout="constrained")
image = ax.imshow(np.log10(table), cmap="viridis", aspect="auto", vmin=0)
image.cmap.set_bad("0.85")
for (i, j), value in np.ndenumerate(table):
    text = f"{value:.3g}x" if value < 100 else f"{value:.0f}x"
    text = text if np.isfinite(value) else notes.get((i, j), "")
    ax.text(j, i, text, ha="center", va="center", fontsize=7,
            color="w" if np.isfinite(value) and np.log10(value) < 1.2 else "k")
ax.set(xticks=range(len(workloads)), yticks=range(len(methods)), yticklabels=methods)
ax.set_xticklabels(workloads, rotation=20, ha="right", fontsize=8)
colorbar = fig.colorbar(image, ax=ax, shrink=0.6)
colorbar.set_label("speed-up (log10)")
ax.set_title("speed-up over imbalanced-learn, every workload of the main run")

# sphinx_gallery_thumbnail_number = 1
plt.show()
