#!/usr/bin/env python
"""Time resamplekit against imbalanced-learn on the same data, in one run.

For every (method, workload) the script prints both times (median of several runs), the
speed-up (imblearn time / resamplekit time), both peak memories, and whether the outputs agree:
identical rows (``np.allclose`` at rtol 1e-12, labels equal) for the deterministic and
seed-compatible methods, equal class counts for the rest.

How it measures
---------------
- The parent process builds each workload once (scikit-learn's ``make_classification``,
  seeded, ``flip_y=0``: no duplicated rows) and saves it to a temporary directory.
- Each (library, method, workload) then runs in its own fresh child process: it loads the data,
  imports the library, and calls the method ``--repeats`` times (fewer for slow calls: 3 runs
  when the first takes over 1 s, one run over 10 s). The time is the median wall-clock time of
  the calls; all run times are in the JSON output.
- Peak memory is the growth of the child's resident set during its first call: the kernel's
  high-water mark (``VmHWM``) is reset through ``/proc/self/clear_refs`` just before the call and
  read right after it, minus the resident set before the call. It counts every page the call
  touched, from NumPy, Cython/C ``malloc``, BLAS or OpenMP buffers alike, including the output
  (which the caller keeps), but not the input or imported modules. Where ``clear_refs`` is
  missing (not Linux), ``ru_maxrss`` is used, which can only over-estimate.
- A call that does not finish within ``--timeout`` seconds (default 300) is killed and reported
  as a timeout, not skipped. Children run under an address-space limit (``--memory-limit``), so
  a method that needs more memory than the machine has is reported as out of memory instead of
  taking the machine down.
- A resamplekit function that does not exist (yet) is reported as "not available".
- Threads: both libraries run with their defaults (all cores for BLAS and OpenMP) unless
  ``--threads`` caps them through the usual environment variables.

Examples
--------
    python asv_bench/compare.py --quick                       # small workloads, a few minutes
    python asv_bench/compare.py --markdown --output compare.json   # README table, hours
    python asv_bench/compare.py --methods smote,tomek_links --workloads 100k_x_20
    python asv_bench/compare.py --self-test                   # checks this script's plumbing
    PYTHONPATH=. python asv_bench/compare.py --resamplekit-only --workloads 100k_x_20
                                                  # this checkout's times alone
"""
import argparse
import datetime
import gc
import json
import os
import platform
import queue
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import numpy as np

# ----------------------------------------------------------------------------- workloads


@dataclass(frozen=True)
class Workload:
    id: str
    n: int
    d: int
    weights: tuple
    kind: str = "numeric"  # "numeric", "categorical" or "sparse" (TF-IDF-like CSR)
    quick: bool = False  # part of the --quick set
    default: bool = True  # part of the default set

    @property
    def label(self):
        if self.kind == "sparse":
            balance = "/".join(f"{round(w * 100)}" for w in self.weights)
            return f"{self.n:,} x {self.d:,} sparse CSR ({balance})"
        if self.kind == "categorical":
            balance = "/".join(f"{round(w * 100)}" for w in self.weights)
            return f"{self.n:,} x {self.d} categorical ({balance})"
        if len(self.weights) > 2:
            return f"{self.n:,} x {self.d}, {len(self.weights)} classes"
        balance = "/".join(f"{round(w * 100)}" for w in self.weights)
        return f"{self.n:,} x {self.d} ({balance})"


WORKLOADS = [
    # small data, where fixed costs (validation, thread start-up) show
    Workload("1k_x_20", 1_000, 20, (0.9, 0.1), quick=True, default=False),
    Workload("10k_x_20", 10_000, 20, (0.9, 0.1), quick=True),
    Workload("100k_x_20", 100_000, 20, (0.9, 0.1)),
    Workload("100k_x_100", 100_000, 100, (0.95, 0.05)),
    Workload("50k_x_20_5cls", 50_000, 20, (0.5, 0.2, 0.15, 0.1, 0.05)),
    Workload("200k_x_4", 200_000, 4, (0.9, 0.1)),
    Workload("40k_x_10_cat", 40_000, 10, (0.8, 0.2), kind="categorical"),
    # --quick companions of the five-class and categorical workloads
    Workload("5k_x_20_5cls", 5_000, 20, (0.5, 0.2, 0.15, 0.1, 0.05), quick=True, default=False),
    Workload("4k_x_10_cat", 4_000, 10, (0.8, 0.2), kind="categorical", quick=True,
             default=False),
    # text-like scipy.sparse CSR (benchmarks/sparse_data.py: ~50 stored values a row, Zipf
    # columns), run on request (--workloads)
    Workload("100k_x_200k_sparse", 100_000, 200_000, (0.9, 0.1), kind="sparse", default=False),
    Workload("20k_x_1m_sparse", 20_000, 1_000_000, (0.9, 0.1), kind="sparse", default=False),
    Workload("5k_x_50k_sparse", 5_000, 50_000, (0.9, 0.1), kind="sparse", quick=False,
             default=False),
]
#: The methods timed on the sparse workloads (the others are not run there).
SPARSE_METHODS = ("smote", "borderline_smote(kind='borderline-1')",
                  "borderline_smote(kind='borderline-2')", "adasyn",
                  "edited_nearest_neighbours", "tomek_links", "near_miss(version=1)",
                  "neighbourhood_cleaning_rule")
WORKLOADS_BY_ID = {w.id: w for w in WORKLOADS}


def make_workload(w, seed=0):
    """The workload's (X, y): make_classification, seeded, flip_y=0; categorical workloads are
    its features cut into 3 to 6 quantile bins each (int64 codes); sparse workloads are
    benchmarks/sparse_data.py's make_sparse_dataset (text-like CSR, about 50 stored values a
    row)."""
    if w.kind == "sparse":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from benchmarks.sparse_data import make_sparse_dataset

        return make_sparse_dataset(w.n, w.d, nnz_per_row=50, weights=w.weights, seed=seed)
    from sklearn.datasets import make_classification

    n_classes = len(w.weights)
    n_informative = min(w.d, max(3, w.d // 2))
    X, y = make_classification(
        n_samples=w.n, n_features=w.d, n_informative=n_informative, n_redundant=0,
        n_repeated=0, n_classes=n_classes, n_clusters_per_class=2 if n_classes <= 3 else 1,
        weights=list(w.weights), flip_y=0.0, class_sep=1.0, random_state=seed)
    if w.kind == "categorical":
        codes = np.empty(X.shape, dtype=np.int64)
        for j in range(w.d):
            n_bins = 3 + j % 4
            edges = np.quantile(X[:, j], np.linspace(0, 1, n_bins + 1)[1:-1])
            codes[:, j] = np.digitize(X[:, j], edges)
        X = codes
    return np.ascontiguousarray(X), y


def mixed_variant(X, n_cat):
    """The last ``n_cat`` columns of X cut into 4 quantile bins (codes kept as floats), for
    SMOTENC."""
    X = X.copy()
    for j in range(X.shape[1] - n_cat, X.shape[1]):
        edges = np.quantile(X[:, j], [0.25, 0.5, 0.75])
        X[:, j] = np.digitize(X[:, j], edges)
    return X


# ----------------------------------------------------------------------------- methods


@dataclass(frozen=True)
class Method:
    label: str
    rk_name: str
    rk_kwargs: dict
    imb_class: str  # "module:Class"
    imb_kwargs: dict
    # "rows" (identical output), "counts" (equal class counts) or "kept" (the share of
    # imbalanced-learn's output rows that resamplekit's output holds: approximate modes)
    check: str
    data: str = "numeric"  # "numeric", "categorical" (SMOTEN) or "mixed" (SMOTENC)
    max_n: int = None  # skip larger workloads (reported as such)
    rk_library: str = "resamplekit"  # "selftest" for the --self-test fakes
    known_difference: str = None  # why the class counts may differ on purpose
    default: bool = True  # part of the default set (else run only when named by its label)


_US = "imblearn.under_sampling:"
_OS = "imblearn.over_sampling:"
_CB = "imblearn.combine:"

METHODS = [
    Method("random_under", "random_under", {"random_state": 0},
           _US + "RandomUnderSampler", {"random_state": 0}, "rows"),
    Method("random_over", "random_over", {"random_state": 0},
           _OS + "RandomOverSampler", {"random_state": 0}, "rows"),
    *[Method(f"near_miss(version={v})", "near_miss", {"version": v, "k": 3},
             _US + "NearMiss", {"version": v, "n_neighbors": 3}, "rows") for v in (1, 2, 3)],
    Method("tomek_links", "tomek_links", {}, _US + "TomekLinks", {}, "rows"),
    Method("edited_nearest_neighbours", "edited_nearest_neighbours", {"k": 3},
           _US + "EditedNearestNeighbours", {"n_neighbors": 3}, "rows"),
    Method("repeated_edited_nearest_neighbours", "repeated_edited_nearest_neighbours", {"k": 3},
           _US + "RepeatedEditedNearestNeighbours", {"n_neighbors": 3}, "rows"),
    Method("all_knn", "all_knn", {"k": 3}, _US + "AllKNN", {"n_neighbors": 3}, "rows"),
    Method("neighbourhood_cleaning_rule", "neighbourhood_cleaning_rule", {"k": 3},
           _US + "NeighbourhoodCleaningRule", {"n_neighbors": 3}, "rows"),
    Method("condensed_nearest_neighbour", "condensed_nearest_neighbour", {"random_state": 0},
           _US + "CondensedNearestNeighbour", {"random_state": 0}, "counts", max_n=10_000),
    Method("one_sided_selection", "one_sided_selection", {"random_state": 0},
           _US + "OneSidedSelection", {"random_state": 0}, "counts"),
    Method("cluster_centroids", "cluster_centroids", {"random_state": 0},
           _US + "ClusterCentroids", {"random_state": 0}, "rows"),
    Method("instance_hardness_threshold", "instance_hardness_threshold", {"random_state": 0},
           _US + "InstanceHardnessThreshold", {"random_state": 0}, "counts"),
    Method("smote", "smote", {"k": 5, "random_state": 0},
           _OS + "SMOTE", {"k_neighbors": 5, "random_state": 0}, "rows"),
    *[Method(f"borderline_smote(kind='{kind}')", "borderline_smote",
             {"kind": kind, "random_state": 0}, _OS + "BorderlineSMOTE",
             {"kind": kind, "random_state": 0}, "rows")
      for kind in ("borderline-1", "borderline-2")],
    Method("svm_smote", "svm_smote", {"random_state": 0},
           _OS + "SVMSMOTE", {"random_state": 0}, "counts",
           known_difference="imblearn may under-generate"),
    # imblearn's default threshold (0.5 for binary data) finds no cluster on these workloads
    # (RuntimeError, imbalanced-learn#967); 0.1 works on all of them.
    Method("kmeans_smote", "kmeans_smote", {"cluster_balance_threshold": 0.1, "random_state": 0},
           _OS + "KMeansSMOTE", {"cluster_balance_threshold": 0.1, "random_state": 0}, "counts",
           known_difference="imblearn over-generates"),
    Method("adasyn", "adasyn", {"k": 5, "random_state": 0},
           _OS + "ADASYN", {"n_neighbors": 5, "random_state": 0}, "rows"),
    Method("smotenc", "smotenc", {"random_state": 0},
           _OS + "SMOTENC", {"random_state": 0}, "counts", data="mixed"),
    Method("smoten", "smoten", {"random_state": 0},
           _OS + "SMOTEN", {"random_state": 0}, "counts", data="categorical"),
    Method("smote_tomek", "smote_tomek", {"random_state": 0},
           _CB + "SMOTETomek", {"random_state": 0}, "counts"),
    Method("smote_enn", "smote_enn", {"random_state": 0},
           _CB + "SMOTEENN", {"random_state": 0}, "counts"),
    # The approximate neighbour mode (the ann extra) against imbalanced-learn's exact rule:
    # not in the default set; name them by label, e.g.
    # --methods "edited_nearest_neighbours(neighbors='approximate')".
    *[Method(f"{name}({extra}neighbors='approximate')", name,
             {**kw, "neighbors": "approximate"}, _US + cls, imb_kw, "kept", default=False)
      for name, extra, kw, cls, imb_kw in (
          ("edited_nearest_neighbours", "", {"k": 3}, "EditedNearestNeighbours",
           {"n_neighbors": 3}),
          ("tomek_links", "", {}, "TomekLinks", {}),
          ("neighbourhood_cleaning_rule", "", {"k": 3}, "NeighbourhoodCleaningRule",
           {"n_neighbors": 3}),
          ("near_miss", "version=1, ", {"version": 1, "k": 3}, "NearMiss",
           {"version": 1, "n_neighbors": 3}))],
]


def applies(method, workload):
    """Whether ``method`` runs on ``workload`` (None) or why not (a note)."""
    if (method.data == "categorical") != (workload.kind == "categorical"):
        return "not run: other data kind"
    if workload.kind == "sparse" and method.label not in SPARSE_METHODS:
        return "not run: other data kind"
    if method.max_n is not None and workload.n > method.max_n:
        return f"not run above n={method.max_n:,}"
    return None


def mixed_columns(d):
    """Indices of the categorical columns of the SMOTENC variant of a d-column workload."""
    n_cat = max(1, d // 4)
    return list(range(d - n_cat, d))


# ----------------------------------------------------------------------------- self-test fakes


def _selftest_random_under(X, y, *, random_state=0):
    """imblearn's RandomUnderSampler ('auto' ratio) in a few lines of NumPy: one RandomState,
    classes in label order, each majority class cut to the minority count."""
    rs = np.random.RandomState(random_state)
    classes, counts = np.unique(y, return_counts=True)
    n_min = counts.min()
    minority = classes[np.argmin(counts)]
    keep = []
    for c, n_c in zip(classes, counts):
        idx = np.flatnonzero(y == c)
        if c != minority:
            idx = idx[rs.choice(range(n_c), size=n_min, replace=False)]
        keep.append(idx)
    keep = np.concatenate(keep)
    return X[keep], y[keep]


def _selftest_slow(X, y, **kwargs):
    time.sleep(3600)


def _selftest_error(X, y, **kwargs):
    raise ValueError("selftest: this method always fails")


def _selftest_wrong_rows(X, y, **kwargs):
    X_res, y_res = _selftest_random_under(X, y, **kwargs)
    return X_res[::-1] * 1.0000001, y_res[::-1]


def _selftest_other_seed(X, y, **kwargs):
    return _selftest_random_under(X, y, random_state=12345)


def _selftest_allocates(X, y, **kwargs):
    # 200 MB written by NumPy, freed, then 300 MB from C malloc (invisible to tracemalloc):
    # the measured peak must show the larger, C-level one.
    import ctypes

    a = np.ones(25_000_000)
    a.sum()
    del a
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    size = 300 * 1024**2
    p = libc.malloc(size)
    ctypes.memset(p, 1, size)
    libc.free(p)
    return _selftest_random_under(X, y, **kwargs)


def _selftest_over_memory(X, y, **kwargs):
    # Asks for twice the child's address-space limit: must be reported as out of memory.
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        np.empty(2 * soft, dtype=np.uint8)
    return _selftest_random_under(X, y, **kwargs)


def _selftest_crash(X, y, **kwargs):
    os.abort()


_RUS = _US + "RandomUnderSampler"
SELFTEST_METHODS = [
    # (method, expected resamplekit status, expected agreement prefix)
    (Method("selftest_random_under", "_selftest_random_under", {"random_state": 0}, _RUS,
            {"random_state": 0}, "rows", rk_library="selftest"), "ok", "identical rows"),
    (Method("selftest_counts", "_selftest_other_seed", {}, _RUS, {"random_state": 0}, "counts",
            rk_library="selftest"), "ok", "counts equal"),
    (Method("selftest_wrong_rows", "_selftest_wrong_rows", {"random_state": 0}, _RUS,
            {"random_state": 0}, "rows", rk_library="selftest"), "ok", "rows differ"),
    (Method("selftest_not_available", "no_such_method_in_resamplekit", {}, _RUS,
            {"random_state": 0}, "rows"), "not available", "-"),
    (Method("selftest_error", "_selftest_error", {}, _RUS, {"random_state": 0}, "rows",
            rk_library="selftest"), "error", "-"),
    (Method("selftest_timeout", "_selftest_slow", {}, _RUS, {"random_state": 0}, "rows",
            rk_library="selftest"), "timeout", "-"),
    (Method("selftest_out_of_memory", "_selftest_over_memory", {}, _RUS, {"random_state": 0},
            "rows", rk_library="selftest"), "out of memory", "-"),
    (Method("selftest_crash", "_selftest_crash", {}, _RUS, {"random_state": 0}, "rows",
            rk_library="selftest"), "crashed", "-"),
    (Method("selftest_memory", "_selftest_allocates", {"random_state": 0}, _RUS,
            {"random_state": 0}, "rows", rk_library="selftest"), "ok", "identical rows"),
]
SELFTEST_WORKLOAD = Workload("selftest_2k_x_5", 2_000, 5, (0.9, 0.1), default=False)

ALL_METHODS = {m.label: m for m in METHODS + [m for m, _, _ in SELFTEST_METHODS]}

# ----------------------------------------------------------------------------- memory


def _proc_status_kb(field_name):
    try:
        with open("/proc/self/status") as f:
            m = re.search(rf"^{field_name}:\s+(\d+) kB", f.read(), re.M)
        return int(m.group(1)) if m else None
    except OSError:
        return None


def _maxrss_kb():
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r // 1024 if sys.platform == "darwin" else r


def _reset_peak():
    """Reset the kernel's resident high-water mark (Linux >= 4.0); False where impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# ----------------------------------------------------------------------------- child process


def _resolve(library, name, kwargs):
    """The callable ``f(X, y) -> (X_res, y_res, ...)`` of one library's method, or None when
    resamplekit does not have it."""
    if library == "resamplekit":
        try:
            import resamplekit
        except ImportError:
            return None
        func = getattr(resamplekit, name, None)
        return None if func is None else (lambda X, y: func(X, y, **kwargs))
    if library == "selftest":
        func = globals()[name]
        return lambda X, y: func(X, y, **kwargs)
    module_name, cls_name = name.split(":")
    cls = getattr(__import__(module_name, fromlist=[cls_name]), cls_name)
    return lambda X, y: cls(**kwargs).fit_resample(X, y)


def _is_sparse(A):
    return "scipy.sparse" in sys.modules and sys.modules["scipy.sparse"].issparse(A)


def _save_matrix(stem, A):
    """``stem``.npz (scipy.sparse, as CSR) or ``stem``.npy; the path written."""
    if _is_sparse(A):
        import scipy.sparse as sp

        sp.save_npz(stem + ".npz", sp.csr_matrix(A), compressed=False)
        return stem + ".npz"
    np.save(stem + ".npy", A, allow_pickle=False)
    return stem + ".npy"


def _load_matrix(path):
    if path.endswith(".npz"):
        import scipy.sparse as sp

        return sp.load_npz(path)
    return np.load(path, allow_pickle=False)


def _stored(stem):
    return stem + ".npz" if os.path.exists(stem + ".npz") else stem + ".npy"


def child_main(spec):
    """Run one (library, method, workload) and report JSON lines on the original stdout."""
    report_fd = os.dup(1)
    os.dup2(2, 1)  # whatever the libraries print goes to stderr, not into the report
    report = os.fdopen(report_fd, "w", buffering=1)

    def emit(**event):
        report.write(json.dumps(event) + "\n")

    if spec.get("memory_limit"):
        limit = int(spec["memory_limit"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    X = _load_matrix(spec["X"])
    y = np.load(spec["y"], allow_pickle=False)
    try:
        call = _resolve(spec["library"], spec["name"], spec["kwargs"])
    except Exception as exc:  # e.g. imblearn missing
        emit(event="error", status="error", message=f"{type(exc).__name__}: {exc}")
        return
    if call is None:
        emit(event="error", status="not available", message="")
        return
    # Warm-up on a small slice (up to 300 rows per class): lazy imports, code pages and
    # first-call caches are then not counted in the first measured call. Failures are ignored
    # here: the measured call reports them.
    warm = np.concatenate([np.flatnonzero(y == c)[:300] for c in np.unique(y)])
    warm.sort()
    emit(event="start", run=-1)  # the warm-up call is under the timeout too
    try:
        call(X[warm], y[warm])
    except Exception:
        pass
    repeats = max(1, int(spec["repeats"]))
    n_runs = repeats
    for i in range(repeats):
        if i >= n_runs:
            break
        gc.collect()
        rss_before = _proc_status_kb("VmRSS")
        exact_peak = _reset_peak() if i == 0 else False
        maxrss_before = _maxrss_kb()
        emit(event="start", run=i)
        try:
            t0 = time.perf_counter()
            out = call(X, y)
            elapsed = time.perf_counter() - t0
        except MemoryError as exc:
            emit(event="error", status="out of memory", message=str(exc)[:200])
            return
        except Exception as exc:
            first_line = (str(exc).splitlines() or [""])[0][:200]
            emit(event="error", status="error", message=f"{type(exc).__name__}: {first_line}")
            return
        event = {"event": "run", "run": i, "time": elapsed}
        if i == 0:
            if exact_peak and rss_before is not None:
                event["peak_kb"] = max(0, _proc_status_kb("VmHWM") - rss_before)
                event["peak_method"] = "VmHWM"
            else:
                event["peak_kb"] = max(0, _maxrss_kb() - (rss_before or maxrss_before))
                event["peak_method"] = "ru_maxrss"
            X_res = out[0] if _is_sparse(out[0]) else np.asarray(out[0])
            y_res = np.asarray(out[1])
            labels, counts = np.unique(y_res, return_counts=True)
            event["counts"] = {str(k): int(v) for k, v in zip(labels, counts)}
            event["shape"] = list(X_res.shape)
            if spec.get("save"):
                _save_matrix(spec["save"] + "_X", X_res)
                np.save(spec["save"] + "_y.npy", y_res, allow_pickle=False)
            del X_res, y_res
            # fewer runs for slow calls
            n_runs = 1 if elapsed >= 10 else (min(repeats, 3) if elapsed >= 1 else repeats)
        del out
        emit(**event)
    emit(event="done")


# ----------------------------------------------------------------------------- parent side


@dataclass
class Outcome:
    status: str = "ok"  # ok, not available, timeout, error, out of memory, crashed, not run
    times: list = field(default_factory=list)
    peak_mb: float = None
    peak_method: str = None
    counts: dict = None
    shape: list = None
    message: str = ""

    @property
    def time(self):
        return float(np.median(self.times)) if self.times else None


def run_child(spec, timeout, env, startup_timeout=300):
    """Run one child; enforce ``timeout`` seconds per call; kill it (by its own process group)
    when a call overruns."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    events = queue.Queue()
    stderr_tail = []

    def pump_stdout():
        for line in proc.stdout:
            events.put(line)
        events.put(None)

    def pump_stderr():
        for line in proc.stderr:
            stderr_tail.append(line)
            del stderr_tail[:-20]

    threads = [threading.Thread(target=pump_stdout, daemon=True),
               threading.Thread(target=pump_stderr, daemon=True)]
    for t in threads:
        t.start()
    out = Outcome()
    deadline = time.monotonic() + startup_timeout
    finished = False
    while True:
        try:
            line = events.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            _kill(proc)
            if not out.times:
                out.status = "timeout"
                out.message = f"did not finish in {timeout:g} s"
            else:  # a later repeat overran: keep the finished runs
                out.message = f"a repeat did not finish in {timeout:g} s"
            break
        if line is None:
            break
        ev = json.loads(line)
        kind = ev["event"]
        if kind == "start":
            deadline = time.monotonic() + timeout
        elif kind == "run":
            out.times.append(ev["time"])
            if "peak_kb" in ev:
                out.peak_mb = ev["peak_kb"] / 1024
                out.peak_method = ev["peak_method"]
                out.counts = ev["counts"]
                out.shape = ev["shape"]
            deadline = time.monotonic() + timeout
        elif kind == "error":
            out.status = ev["status"]
            out.message = ev["message"]
            finished = True
        elif kind == "done":
            finished = True
    rc = proc.wait()
    for t in threads:
        t.join(timeout=5)
    if not finished and out.status == "ok" and not out.message:
        out.status = "crashed"
        sig = -rc if rc < 0 else None
        out.message = (f"killed by signal {signal.Signals(sig).name}" if sig
                       else f"exit code {rc}") + (" (out of memory?)" if sig == 9 else "")
        tail = "".join(stderr_tail).strip().splitlines()
        if tail:
            out.message += ": " + tail[-1][:200]
    return out


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the child leads its own session
    except ProcessLookupError:
        pass


def agreement(method, rk, imb, rk_file, imb_file):
    if rk.status != "ok" or imb.status != "ok":
        return "-"
    if method.check == "counts":
        if rk.counts == imb.counts:
            return "counts equal"
        return "counts differ" + (f" ({method.known_difference})" if method.known_difference
                                  else "")
    Xa, ya = _load_matrix(_stored(rk_file + "_X")), np.load(rk_file + "_y.npy")
    Xb, yb = _load_matrix(_stored(imb_file + "_X")), np.load(imb_file + "_y.npy")
    if method.check == "kept":
        return kept_share(Xa, ya, Xb, yb)
    if Xa.shape != Xb.shape or ya.shape != yb.shape:
        return f"rows differ (shape {Xa.shape} vs {Xb.shape})"
    if not np.array_equal(ya, yb):
        return f"rows differ ({int(np.sum(ya != yb))} labels)"
    if _is_sparse(Xa) or _is_sparse(Xb):
        if not (_is_sparse(Xa) and _is_sparse(Xb)):
            return "rows differ (one result is sparse, the other dense)"
        diff = abs(Xa.astype(np.float64) - Xb.astype(np.float64))
        top = abs(Xb).max() if Xb.nnz else 0.0
        worst = diff.max() if diff.nnz else 0.0
        if worst <= 1e-12 * max(1.0, float(top)):
            return "identical rows"
        return f"rows differ (max |diff| {float(worst):.3g})"
    Xa, Xb = Xa.astype(np.float64), Xb.astype(np.float64)
    scale = max(1.0, float(np.max(np.abs(Xb)))) if Xb.size else 1.0
    if np.allclose(Xa, Xb, rtol=1e-12, atol=1e-12 * scale):
        return "identical rows"
    return f"rows differ (max |diff| {float(np.max(np.abs(Xa - Xb))):.3g})"


def _row_keys(X, y):
    """One opaque key per (row, label): equal keys for bit-identical rows with equal labels."""
    A = np.ascontiguousarray(np.column_stack([np.asarray(X, dtype=np.float64),
                                              np.asarray(y, dtype=np.float64)]))
    return A.view(np.dtype((np.void, A.dtype.itemsize * A.shape[1]))).ravel()


def kept_share(Xa, ya, Xb, yb):
    """How many of the rows b kept (imbalanced-learn's) a kept too (resamplekit's approximate
    mode): both are subsets of the same workload, whose rows are distinct."""
    if _is_sparse(Xa) or _is_sparse(Xb):
        return "not compared (sparse)"
    if Xb.shape[0] == 0:
        return "no rows kept by imblearn"
    both = np.isin(_row_keys(Xb, yb), _row_keys(Xa, ya)).sum()
    return f"{both / Xb.shape[0]:.2%} of imblearn's rows ({Xa.shape[0]:,} vs {Xb.shape[0]:,})"


def fmt_time(o, timeout):
    if o is None:
        return ""
    if o.status == "ok":
        t = o.time
        s = f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s" if t < 100 else f"{t:.0f} s"
        return s
    if o.status == "timeout":
        return f"> {timeout:g} s (timeout)"
    return o.status


def fmt_mem(o):
    if o is None or o.status != "ok" or o.peak_mb is None:
        return ""
    if o.peak_mb < 0.1:
        return "< 0.1 MB"
    return f"{o.peak_mb:.0f} MB" if o.peak_mb >= 10 else f"{o.peak_mb:.1f} MB"


def fmt_ratio(rk, imb, timeout):
    if rk is None or imb is None or rk.status != "ok" or not rk.time:
        return ""
    if imb.status == "ok":
        return f"{imb.time / rk.time:.1f}x"
    if imb.status == "timeout":
        return f"> {timeout / rk.time:.0f}x"
    return ""


def machine_info():
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": platform.processor() or platform.machine(),
        "memory_gb": None,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
        if m:
            info["cpu"] = m.group(1).strip()
        with open("/proc/meminfo") as f:
            m = re.search(r"^MemTotal:\s+(\d+) kB", f.read(), re.M)
        info["memory_gb"] = round(int(m.group(1)) / 1024**2, 1)
    except (OSError, AttributeError):
        pass
    versions = {}
    for mod in ("numpy", "scipy", "sklearn", "imblearn", "resamplekit", "threadpoolctl"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:
            versions[mod] = "not installed"
    try:
        import resamplekit

        versions["resamplekit_path"] = os.path.dirname(resamplekit.__file__)
        commit = subprocess.run(["git", "-C", versions["resamplekit_path"], "rev-parse",
                                 "--short", "HEAD"], capture_output=True, text=True)
        if commit.returncode == 0:
            versions["resamplekit_commit"] = commit.stdout.strip()
    except Exception:
        pass
    info["versions"] = versions
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {k: p.get(k) for k in ("user_api", "internal_api", "version", "num_threads",
                                   "threading_layer", "architecture", "filepath")}
            for p in threadpool_info()]
    except Exception:
        info["threadpools"] = []
    return info


def describe_machine(info):
    blas = ", ".join(f"{p['internal_api']} {p.get('version') or ''} ({p['num_threads']} threads)"
                     .replace("  ", " ") for p in info["threadpools"]) or "unknown"
    v = info["versions"]
    rk = v["resamplekit"] + (f" ({v['resamplekit_commit']})" if "resamplekit_commit" in v else "")
    return (f"{info['cores']} cores ({info['usable_cores']} usable), "
            f"{info['cpu']}, {info['memory_gb']} GB; thread pools: {blas}; Python "
            f"{info['python']}, numpy {v['numpy']}, scipy {v['scipy']}, scikit-learn "
            f"{v['sklearn']}, imbalanced-learn {v['imblearn']}, resamplekit {rk}")


COLUMNS = ["method", "workload", "resamplekit", "imblearn", "speed-up", "rk peak",
           "imblearn peak", "outputs"]


def row_cells(r, timeout):
    rk, imb = r["rk_outcome"], r["imb_outcome"]
    if r.get("note"):
        return [r["method"], r["workload_label"], r["note"], "", "", "", "", ""]
    return [r["method"], r["workload_label"], fmt_time(rk, timeout), fmt_time(imb, timeout),
            fmt_ratio(rk, imb, timeout), fmt_mem(rk), fmt_mem(imb), r["agree"]]


def print_table(rows, timeout, markdown, file=sys.stdout):
    order = {m: i for i, m in enumerate(ALL_METHODS)}
    rows = sorted(rows, key=lambda r: order.get(r["method"], len(order)))  # stable: workloads
    cells = [row_cells(r, timeout) for r in rows]
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |", file=file)
        print("|" + "|".join("---" if i < 2 else "---:" if i < 7 else "---"
                             for i in range(len(COLUMNS))) + "|", file=file)
        for c in cells:
            c = [f"`{c[0]}`"] + c[1:]
            print("| " + " | ".join(c) + " |", file=file)
        return
    widths = [max(len(str(x)) for x in col) for col in zip(COLUMNS, *cells)]
    print("  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths)), file=file)
    for c in cells:
        print("  ".join(str(x).ljust(w) for x, w in zip(c, widths)), file=file)


def select(args):
    if args.workloads:
        ids = [s.strip() for s in args.workloads.split(",") if s.strip()]
        unknown = [i for i in ids if i not in WORKLOADS_BY_ID]
        if unknown:
            sys.exit(f"unknown workload(s) {unknown}; known: {sorted(WORKLOADS_BY_ID)}")
        workloads = [WORKLOADS_BY_ID[i] for i in ids]
    else:
        workloads = [w for w in WORKLOADS if (w.quick if args.quick else w.default)]
    if args.methods:
        # commas inside a label's parentheses do not separate methods
        wanted = [s.strip() for s in re.split(r",(?![^()]*\))", args.methods) if s.strip()]
        methods = [m for m in METHODS
                   if m.label in wanted or (m.default and m.rk_name in wanted)]
        unknown = [s for s in wanted if not any(s in (m.label, m.rk_name) for m in METHODS)]
        if unknown:
            known = sorted({m.rk_name for m in METHODS} | {m.label for m in METHODS
                                                            if not m.default})
            sys.exit(f"unknown method(s) {unknown}; known: {known}")
    else:
        methods = [m for m in METHODS if m.default]
    return methods, workloads


def child_env(threads):
    env = dict(os.environ)
    if threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "BLIS_NUM_THREADS"):
            env[var] = str(threads)
    return env


def default_memory_limit_gb():
    try:
        with open("/proc/meminfo") as f:
            total_kb = int(re.search(r"^MemTotal:\s+(\d+) kB", f.read(), re.M).group(1))
        return round(0.75 * total_kb / 1024**2, 1)
    except (OSError, AttributeError):
        return 0


def run_plan(plan, workloads, args, tmp, log=sys.stdout):
    """Run every (method, workload) pair of ``plan``; returns the result rows."""
    env = child_env(args.threads)
    mem_limit = int(args.memory_limit * 1024**3) if args.memory_limit else None
    rows = []
    data_files = {}
    for w in workloads:
        print(f"# building {w.id}: {w.label}", file=log, flush=True)
        X, y = make_workload(w)
        stem = os.path.join(tmp, w.id)
        x_stored = _save_matrix(stem + "_X", X)
        np.save(stem + "_y.npy", y)
        data_files[w.id] = (stem, X.shape[1])
        del X, y
        for method in plan:
            row = {"method": method.label, "workload": w.id, "workload_label": w.label,
                   "rk_outcome": None, "imb_outcome": None, "agree": "-", "note": None}
            note = applies(method, w)
            if note:
                if note != "not run: other data kind":
                    row["note"] = note
                    rows.append(row)
                continue
            x_file = x_stored
            rk_kwargs, imb_kwargs = dict(method.rk_kwargs), dict(method.imb_kwargs)
            if method.data == "mixed":
                x_file = stem + "_mixed_X.npy"
                if not os.path.exists(x_file):
                    np.save(x_file, mixed_variant(np.load(stem + "_X.npy"),
                                                  len(mixed_columns(w.d))))
                rk_kwargs["categorical_features"] = mixed_columns(w.d)
                imb_kwargs["categorical_features"] = mixed_columns(w.d)
            outcomes = {}
            for side, library, name, kwargs in (
                    ("rk", method.rk_library, method.rk_name, rk_kwargs),
                    ("imb", "imblearn", method.imb_class, imb_kwargs)):
                if side == "imb" and (args.resamplekit_only or (
                        args.skip_missing and outcomes["rk"].status == "not available")):
                    outcomes[side] = Outcome(status="not run")
                    continue
                spec = {"library": library, "name": name, "kwargs": kwargs, "X": x_file,
                        "y": stem + "_y.npy", "repeats": args.repeats,
                        "memory_limit": mem_limit,
                        "save": os.path.join(tmp, f"out_{side}")
                        if method.check in ("rows", "kept") else None}
                outcomes[side] = run_child(spec, args.timeout, env)
            rk, imb = outcomes["rk"], outcomes["imb"]
            row["rk_outcome"], row["imb_outcome"] = rk, imb
            row["agree"] = agreement(method, rk, imb, os.path.join(tmp, "out_rk"),
                                     os.path.join(tmp, "out_imb"))
            for side in ("rk", "imb"):
                for suffix in ("_X.npy", "_X.npz", "_y.npy"):
                    p = os.path.join(tmp, f"out_{side}{suffix}")
                    if os.path.exists(p):
                        os.remove(p)
            rows.append(row)
            cells = row_cells(row, args.timeout)
            msgs = "; ".join(f"{s}: {o.message}" for s, o in (("resamplekit", rk),
                             ("imblearn", imb)) if o.message)
            print("  ".join(cells) + (f"  [{msgs}]" if msgs else ""), file=log, flush=True)
        for f in os.listdir(tmp):
            if f.startswith(w.id + "_"):
                os.remove(os.path.join(tmp, f))
    return rows


def rows_to_json(rows):
    out = []
    for r in rows:
        r = dict(r)
        for k in ("rk_outcome", "imb_outcome"):
            o = r[k]
            r[k] = None if o is None else {**o.__dict__, "median_time": o.time}
        out.append(r)
    return out


def self_test(args, tmp):
    """Run the fake method pairs and check every status and agreement the script reports."""
    args.timeout = 3.0
    args.repeats = 3
    args.memory_limit = args.memory_limit or 4.0  # the out-of-memory case needs a limit
    plan = [m for m, _, _ in SELFTEST_METHODS]
    rows = run_plan(plan, [SELFTEST_WORKLOAD], args, tmp, log=sys.stderr)
    failures = []
    for (method, want_status, want_agree), row in zip(SELFTEST_METHODS, rows):
        rk, imb = row["rk_outcome"], row["imb_outcome"]
        checks = [
            (rk.status == want_status, f"resamplekit status {rk.status!r} != {want_status!r}"),
            (imb.status == "ok", f"imblearn status {imb.status!r} ({imb.message})"),
            (row["agree"].startswith(want_agree), f"agreement {row['agree']!r} != {want_agree!r}"),
        ]
        if imb.status == "ok":
            checks.append((1 <= len(imb.times) <= 3 and imb.peak_mb is not None,
                           f"imblearn runs {imb.times}, peak {imb.peak_mb}"))
        if method.label == "selftest_memory" and rk.status == "ok":
            checks.append((290 <= rk.peak_mb < 400, f"peak {rk.peak_mb:.0f} MB, expected about "
                                                    "300 MB (C malloc after 200 MB NumPy)"))
        if method.label == "selftest_random_under" and rk.status == "ok":
            checks.append((rk.peak_mb < 2, f"peak {rk.peak_mb:.1f} MB for a 400-row copy"))
        bad = [msg for ok, msg in checks if not ok]
        print(f"{'PASS' if not bad else 'FAIL'}  {method.label}: resamplekit "
              f"{fmt_time(rk, args.timeout)}, {fmt_mem(rk) or '-'}; imblearn "
              f"{fmt_time(imb, args.timeout)}, {fmt_mem(imb) or '-'}; {row['agree']}"
              + (f"  <- {'; '.join(bad)}" if bad else ""))
        failures += bad
    print(f"self-test: {len(failures)} problem(s)")
    return 1 if failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Time resamplekit against imbalanced-learn on the same data.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="workloads: " + ", ".join(f"{w.id} ({w.label})" for w in WORKLOADS)
        + "\nmethods: " + ", ".join(m.label for m in METHODS))
    parser.add_argument("--methods", help="comma-separated method names or labels "
                        "(default: all); 'near_miss' selects all three versions")
    parser.add_argument("--workloads", help="comma-separated workload ids (default: the six "
                        "standard workloads; with --quick the small ones)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="runs per call when it is fast (3 when a run takes > 1 s, 1 when "
                        "> 10 s); the time is the median (default 5)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds one call may take before it is killed (default 300)")
    parser.add_argument("--quick", action="store_true",
                        help="small workloads only (1,000 and 10,000 x 20; 5,000 x 20 five classes; "
                        "4,000 x 10 categorical)")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--output", help="write machine info and every result to this JSON file")
    parser.add_argument("--threads", type=int, default=None,
                        help="cap BLAS/OpenMP threads in both libraries (default: no cap)")
    parser.add_argument("--memory-limit", type=float, default=default_memory_limit_gb(),
                        help="address-space limit per child in GB, 0 for none (default: 75%% "
                        "of physical memory)")
    parser.add_argument("--skip-missing", action="store_true",
                        help="do not time imblearn where resamplekit lacks the method")
    parser.add_argument("--resamplekit-only", action="store_true",
                        help="time resamplekit alone (imblearn not run): to compare two versions "
                        "of resamplekit, e.g. before and after a change, by PYTHONPATH")
    parser.add_argument("--self-test", action="store_true",
                        help="check this script's machinery with fake method pairs and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0

    tmp = tempfile.mkdtemp(prefix="resamplekit-compare-")
    try:
        if args.self_test:
            return self_test(args, tmp)
        methods, workloads = select(args)
        info = machine_info()
        command = "python asv_bench/compare.py " + " ".join(
            a for a in (argv if argv is not None else sys.argv[1:]))
        log = sys.stderr if args.markdown else sys.stdout
        print(f"# {info['date']}; machine: {describe_machine(info)}", file=log, flush=True)
        print(f"# command: {command.strip()}", file=log, flush=True)
        rows = run_plan(methods, workloads, args, tmp, log=log)
        print(file=log)
        if args.markdown:
            print(f"Measured {info['date']} with `{command.strip()}`.\n")
            print(f"Machine: {describe_machine(info)}.\n")
            print("Times are medians of repeated runs in a fresh process per library; "
                  "speed-up = imblearn time / resamplekit time; peak = growth of the "
                  "resident set during the call (output included, input excluded).\n")
        print_table(rows, args.timeout, args.markdown)
        if args.output:
            with open(args.output, "w") as f:
                json.dump({"machine": info, "command": command.strip(),
                           "timeout": args.timeout, "repeats": args.repeats,
                           "results": rows_to_json(rows)}, f, indent=1)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
