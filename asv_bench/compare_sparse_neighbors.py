"""Time resamplekit's kneighbors on sparse (CSR) text-like data against scikit-learn.

    python asv_bench/compare_sparse_neighbors.py                       # every case below
    python asv_bench/compare_sparse_neighbors.py --queries minority --threads 1 2

Data: ``sparse_data.make_sparse_dataset`` (100,000 x 200,000 by default, about 50 non-zeros a
row, Zipf-like row lengths and column frequencies, 90/10 labels). k = 5 neighbours, self
excluded. Cases (``--queries``):
  minority         the minority rows among themselves (SMOTE's search); scikit-learn:
                   NearestNeighbors(n_neighbors=6, algorithm='brute').fit(X_min).kneighbors(X_min)
                   (what imbalanced-learn does; its first column, the row itself, dropped)
  minority_vs_all  the minority rows against all rows (kneighbors(X, 5, rows=minority));
                   scikit-learn: .fit(X).kneighbors(X[minority])
  all              every row against all rows (the cleaning rules); .fit(X).kneighbors(X)
Each contender runs in a fresh process (``OMP_NUM_THREADS`` and ``n_jobs`` set to the thread
count, BLAS on one thread), which reports its wall time, CPU time and peak resident memory
above the resident memory just before the call (the loaded data; Linux's VmHWM, reset
just before the call); the parent checks that the neighbour lists agree (scikit-learn does not
break distance ties by index: rows whose lists differ only among equal distances count as
agreeing). ``--sample N`` times every contender on the first N queries only (for the slow
cases; say so when quoting the numbers).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

_CHILD = r"""
import json, os, sys, time
import numpy as np
from scipy import sparse
sys.path.insert(0, {here!r})
spec = json.loads(sys.argv[1])


def current_rss():  # resident memory now, in bytes; the peak (VmHWM) reset to it (Linux)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss():  # peak resident memory since the last current_rss(), in bytes
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024


X = sparse.load_npz(spec["X"]).tocsr()
minority = np.load(spec["y"]) == 1
queries, who, threads, sample = spec["queries"], spec["who"], spec["threads"], spec["sample"]
rows = np.flatnonzero(minority)
if queries == "minority":
    X = X[minority]
    rows = np.arange(X.shape[0])
elif queries == "all":
    rows = np.arange(X.shape[0])
if sample:
    rows = rows[:sample]
if who == "resamplekit":
    from resamplekit._neighbors import kneighbors
    kneighbors(X[:50], 2)  # imports
    start_rss = current_rss()
    t, c = time.perf_counter(), time.process_time()
    if rows.size == X.shape[0]:
        dist, ind = kneighbors(X, 5, n_jobs=threads)
    else:
        dist, ind = kneighbors(X, 5, rows=rows, n_jobs=threads)
else:
    from sklearn.neighbors import NearestNeighbors
    NearestNeighbors(n_neighbors=2, algorithm="brute").fit(X[:50]).kneighbors(X[:50])
    start_rss = current_rss()
    t, c = time.perf_counter(), time.process_time()
    nn = NearestNeighbors(n_neighbors=6, algorithm="brute", n_jobs=threads).fit(X)
    dist, ind = nn.kneighbors(X[rows])
    # drop each query's own row (imbalanced-learn drops column 0)
    own = ind == rows[:, None]
    keep = np.where(own.any(axis=1)[:, None], ~own, np.arange(6)[None, :] < 5)
    dist = dist[keep].reshape(-1, 5)
    ind = ind[keep].reshape(-1, 5)
wall, cpu = time.perf_counter() - t, time.process_time() - c
peak = peak_rss() - start_rss
np.save(spec["out"] + "_ind.npy", ind)
np.save(spec["out"] + "_dist.npy", dist)
print(json.dumps({{"wall": wall, "cpu": cpu, "peak": peak}}))
"""


def run(spec, threads):
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", _CHILD.format(here=HERE), json.dumps(spec)],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def agree(a_ind, a_dist, b_ind, b_dist, rtol=1e-9):
    """Share of queries whose lists agree (equal indices, or equal sorted distances)."""
    same = (a_ind == b_ind).all(axis=1)
    close = np.isclose(np.sort(a_dist, axis=1), np.sort(b_dist, axis=1), rtol=rtol,
                       atol=1e-12).all(axis=1)
    return float((same | close).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="100k_x_200k")
    parser.add_argument("--queries", nargs="+", default=["minority", "minority_vs_all", "all"])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--contenders", nargs="+", default=["resamplekit", "sklearn"])
    args = parser.parse_args()

    sys.path.insert(0, HERE)
    from benchmarks.sparse_data import SPARSE_SHAPES, make_sparse_dataset
    from scipy import sparse

    tmp = tempfile.mkdtemp(prefix="rk_sparse_")
    n, d, nnz = SPARSE_SHAPES[args.shape]
    X, y = make_sparse_dataset(n, d, nnz)
    sparse.save_npz(os.path.join(tmp, "X.npz"), X, compressed=False)
    np.save(os.path.join(tmp, "y.npy"), y)
    print(f"{args.shape}: {X.shape[0]} x {X.shape[1]}, {X.nnz} non-zeros "
          f"({(X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20:.0f} MB CSR), "
          f"{int((y == 1).sum())} minority rows; k=5" + (f"; first {args.sample} queries"
                                                         if args.sample else ""))
    print(f"{'queries':16} {'threads':>7} | {'contender':12} {'wall':>9} {'cpu':>9} "
          f"{'peak MB':>8} | agree")
    for queries in args.queries:
        for threads in args.threads:
            results = {}
            for who in args.contenders:
                out = os.path.join(tmp, f"{queries}_{threads}_{who}")
                spec = {"X": os.path.join(tmp, "X.npz"), "y": os.path.join(tmp, "y.npy"),
                        "queries": queries, "who": who, "threads": threads,
                        "sample": args.sample, "out": out}
                r = run(spec, threads)
                results[who] = (np.load(out + "_ind.npy"), np.load(out + "_dist.npy"))
                share = ""
                if who != args.contenders[0]:
                    share = f"{agree(*results[args.contenders[0]], *results[who]):.4f}"
                print(f"{queries:16} {threads:>7} | {who:12} {r['wall']:8.2f}s {r['cpu']:8.2f}s "
                      f"{r['peak'] / 2**20:8.0f} | {share}", flush=True)


if __name__ == "__main__":
    main()
