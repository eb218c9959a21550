"""How the cost of edited_nearest_neighbours grows with n: exact, approximate, imbalanced-learn.

    OMP_NUM_THREADS=2 python asv_bench/cost_growth.py
    OMP_NUM_THREADS=2 python asv_bench/cost_growth.py --sizes 10000,100000 --cap 60

Data: ann_eval.py's (isotropic Gaussian float32, d=20, labels from a noisy linear rule, 90/10):
no low-dimensional structure, the hard case for the exact search's pruning. For each n, each
of three runs in a subprocess of its own (so a peak is its own, and a run past ``--cap``
seconds is stopped): resamplekit's ``edited_nearest_neighbours`` with ``neighbors="exact"``
and with ``neighbors="approximate"`` (the ``ann`` extra), and imbalanced-learn's
``EditedNearestNeighbours().fit_resample`` (its default: k=3, kind_sel='all'). A kind whose
run was stopped at one size is not run at larger sizes (its cost only grows). Prints one
Markdown table: wall seconds, peak resident memory above the data (MB), and for the
approximate run the share of the exact run's kept rows it keeps; whether imbalanced-learn
kept exactly the exact run's rows. Above ``--exact-max`` rows the exact run is replaced by the
exact rule on a sample of ``--sample`` rows (their exact neighbours, searched against all n
rows), and the agreement is the share of the sample's kept rows that the approximate run keeps;
where both are run, the table says whether the sample's rule matches the exact run's.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

KINDS = ("exact", "approximate", "imblearn")
SAMPLE_SEED = 12345


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run(kind, n, out):
    from ann_eval import make_data

    if kind == "imblearn":
        from imblearn.under_sampling import EditedNearestNeighbours
    else:
        import resamplekit as rk

        if kind == "approximate":
            import faiss  # noqa: F401  (imported before the baseline, as the others' modules)
    X, y = make_data(n)
    base = _rss_mb()
    t0 = time.perf_counter()
    if kind == "imblearn":
        sampler = EditedNearestNeighbours()
        sampler.fit_resample(X, y)
        kept = sampler.sample_indices_
    else:
        kept = rk.edited_nearest_neighbours(X, y, neighbors=kind, return_indices=True)[2]
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    np.save(out, np.sort(kept))
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "kept": int(len(kept))}))


def _run_sample(n, size, out):
    """ENN's exact rule (k=3, kind_sel='all', the majority cleaned) on `size` random rows: the
    sorted sample rows it keeps, and the sample."""
    from ann_eval import make_data
    from resamplekit._neighbors import kneighbors

    X, y = make_data(n)
    rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n, min(size, n), replace=False))
    t0 = time.perf_counter()
    _, ind = kneighbors(X, 3, rows=rows)
    keep = (y[rows] == 1) | (y[ind] == y[rows, None]).all(axis=1)
    seconds = time.perf_counter() - t0
    np.savez(out, kept=rows[keep], rows=rows)
    print(json.dumps({"seconds": seconds, "kept": int(keep.sum())}))


def _measure(kind, n, cap, cache, sample=0):
    out = os.path.join(cache, f"cost_growth_{kind}_{n}.npy")
    extra = []
    if kind == "sample":
        out = os.path.join(cache, f"cost_growth_sample{sample}_{n}.npz")
        extra = ["--sample", str(sample)]
    try:
        proc = subprocess.run([sys.executable, __file__, "--worker", kind, "--n", str(n),
                               "--out", out] + extra, capture_output=True, text=True,
                              timeout=cap)
    except subprocess.TimeoutExpired:
        return None, None
    if proc.returncode:
        raise RuntimeError(f"{kind} at n={n} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,30000,100000,300000,1000000")
    ap.add_argument("--cap", type=float, default=900.0, help="seconds per run before stopping it")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--cache", default=os.environ.get("ANN_EVAL_CACHE", "/tmp"))
    ap.add_argument("--exact-max", type=int, default=None,
                    help="largest n with a full exact run (above: the exact rule on a sample)")
    ap.add_argument("--sample", type=int, default=20000,
                    help="rows of the sample above --exact-max (and at --check-sample sizes)")
    ap.add_argument("--check-sample", action="store_true",
                    help="also run the sample where the full exact run is made, and compare")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker == "sample":
        return _run_sample(a.n, a.sample, a.out)
    if a.worker:
        return _run(a.worker, a.n, a.out)
    kinds = a.kinds.split(",")
    stopped = set()
    print(f"# edited_nearest_neighbours (k=3) on isotropic n x 20 float32, 90/10; wall s / peak "
          f"MB above the data; runs stopped after {a.cap:.0f} s; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}", flush=True)
    print("| n | exact | approximate | exact kept rows kept | imbalanced-learn | same rows |")
    print("|---:|---:|---:|---:|---:|:---:|", flush=True)
    for n in (int(s) for s in a.sizes.split(",")):
        cells, files = {}, {}
        sampled = a.exact_max is not None and n > a.exact_max
        for kind in kinds:
            if kind == "exact" and sampled:
                cells[kind] = "not run"
                continue
            if kind in stopped:
                cells[kind] = "not run"
                continue
            res, path = _measure(kind, n, a.cap, a.cache)
            if res is None:
                stopped.add(kind)
                cells[kind] = f"> {a.cap:.0f} s (stopped)"
                continue
            cells[kind] = f"{res['seconds']:.2f} s / {res['peak_mb']:.0f} MB"
            files[kind] = path
        agree = "-"
        if "exact" in files and "approximate" in files:
            exact, approx = np.load(files["exact"]), np.load(files["approximate"])
            agree = f"{np.intersect1d(exact, approx).size / exact.size:.4%}"
        if "approximate" in files and (sampled or a.check_sample):
            res, path = _measure("sample", n, a.cap, a.cache, a.sample)
            if res is not None:
                kept = np.load(path)["kept"]
                approx = np.load(files["approximate"])
                part = (f"{np.intersect1d(kept, approx).size / kept.size:.4%} "
                        f"(sample of {a.sample:,}, exact rule {res['seconds']:.0f} s)")
                if "exact" in files:
                    rows = np.load(path)["rows"]
                    same = np.array_equal(np.intersect1d(np.load(files["exact"]), rows), kept)
                    part += f"; sample rule {'matches' if same else 'DIFFERS FROM'} exact run"
                agree = part if agree == "-" else f"{agree}; {part}"
        same = "-"
        if "exact" in files and "imblearn" in files:
            same = "yes" if np.array_equal(np.load(files["exact"]),
                                           np.load(files["imblearn"])) else "NO"
        print(f"| {n:,} | {cells.get('exact', '-')} | {cells.get('approximate', '-')} | "
              f"{agree} | {cells.get('imblearn', '-')} | {same} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
