"""Time resamplekit's kneighbors side by side with scikit-learn and the bare GEMM.

    python asv_bench/compare_neighbors.py            # the four cases of the targets
    python asv_bench/compare_neighbors.py --scale 0.2  # smaller n, for a quick look
    python asv_bench/compare_neighbors.py --vs-gemm --cases all-vs-all,high-d  # float32 only

Cases (float64 input, Gaussian data, all threads for every contender):
  all-vs-all       n=100,000 d=20  k=4   target: >= 2x faster than scikit-learn (brute)
  minority         n=10,000  d=20  k=6   target: >= 2x faster than scikit-learn
  high-d           n=100,000 d=100 k=4   target: >= 2x faster, and <= 2x the bare GEMM
  low-d            n=200,000 d=4   k=4   target: no slower than scikit-learn's KD-tree
Self is excluded in every contender (scikit-learn: kneighbors() without X). "GEMM" is the
bare n x n x d product of the same data in cache-sized tiles (BLAS on all threads), in the
input precision (float64) and in float32. One run each: on a shared machine expect noise.

Last run (2026-11-28, 2 vCPU AMD EPYC shared with other jobs, load average ~4.5 on 2 cores, so
absolute times are inflated and ratios noisy), `python asv_bench/compare_neighbors.py`:

    case               n    d  k | resamplekit   sklearn speed-up | GEMM f64 GEMM f32 rk/GEMM64
    all-vs-all    100000   20  4 |      11.65s    44.75s    3.84x |   28.91s   22.89s      0.40
    minority       10000   20  6 |       0.28s     0.53s    1.90x |    1.07s    0.30s      0.26
    high-d        100000  100  4 |      34.24s    98.83s    2.89x |   72.52s   32.02s      0.47
    low-d         200000    4  4 |       1.40s     2.48s    1.78x |     nan      nan       nan

Indices identical to scikit-learn's in every case. The minority case repeated 7 times (median
wall time, both on 2 threads): 0.144 s against 0.344 s (2.4x). Single-thread CPU times, less sensitive to
the contention: minority 0.15 s against scikit-learn's 0.45 s (3x); n=20,000 d=20 k=4: 0.41 s
against 0.35 s for the bare float32 GEMM tiles and 0.54 s for the float64 ones; n=20,000 d=100:
1.1-1.2 s against 1.1 s (float32 GEMM) and 1.9 s (float64 GEMM); n=200,000 d=4 (KD-tree):
2.0-2.3 s against scikit-learn's KD-tree 3.4-4.4 s.

`python asv_bench/compare_neighbors.py --vs-gemm --cases all-vs-all,high-d` (2026-12-02, same
machine, load average 5-8, medians of 3 alternated runs; float32 input, 2 threads):

    case               n    d  k | resamplekit GEMM n x n GEMM half | rk/full rk/half
    all-vs-all    100000   20  4 |       6.66s     41.23s    21.96s |    0.16    0.30
    high-d        100000  100  4 |      22.27s     69.15s    33.22s |    0.32    0.67
"""
import argparse
import os
import time

import numpy as np
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from resamplekit._neighbors import kneighbors

CASES = [
    ("all-vs-all", 100_000, 20, 4, "brute"),
    ("minority", 10_000, 20, 6, "brute"),
    ("high-d", 100_000, 100, 4, "brute"),
    ("low-d", 200_000, 4, 4, "kd_tree"),
]


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def bare_gemm(X, tile_rows=2048, tile_cols=8192):
    """The n x n x d product in tiles, result discarded: the floor of any GEMM-trick kernel."""
    n = X.shape[0]
    buffers = {}
    for i in range(0, n, tile_rows):
        A = X[i:i + tile_rows]
        for j in range(0, n, tile_cols):
            B = X[j:j + tile_cols]
            shape = (len(A), len(B))
            if shape not in buffers:
                buffers[shape] = np.empty(shape, dtype=X.dtype)
            np.dot(A, B.T, out=buffers[shape])


def triangle_gemm(X, tile_rows=2048, tile_cols=8192):
    """bare_gemm on the upper triangle only (for rows i.., columns from i on), result
    discarded: the GEMM work of a search that uses the symmetry of the all-rows self-query, as
    resamplekit's does (each pair's product computed once)."""
    n = X.shape[0]
    buffers = {}
    for i in range(0, n, tile_rows):
        A = X[i:i + tile_rows]
        for j in range(i, n, tile_cols):
            B = X[j:j + tile_cols]
            shape = (len(A), len(B))
            if shape not in buffers:
                buffers[shape] = np.empty(shape, dtype=X.dtype)
            np.dot(A, B.T, out=buffers[shape])


def gemm_table(args, rng, n_cpu):
    """--vs-gemm: the all-rows search on float32 input against float32 GEMMs, one run."""
    print("all-rows self-query on float32 input (resamplekit computes in float32, exact "
          "float64 re-rank); bare float32 GEMMs of the same data; wall seconds, "
          f"{n_cpu} threads; median of {args.repeat}")
    header = (f"{'case':<11} {'n':>8} {'d':>4} {'k':>2} | {'resamplekit':>11} "
              f"{'GEMM n x n':>10} {'GEMM half':>9} | {'rk/full':>7} {'rk/half':>7}")
    print(header)
    print("-" * len(header))
    for name, n, d, k, sk_algo in CASES:
        if sk_algo != "brute" or (args.cases and name not in args.cases.split(",")):
            continue
        n = max(k + 2, int(n * args.scale))
        X = rng.normal(size=(n, d)).astype(np.float32)
        kneighbors(X[:1000], k)  # warm up (thread pools, imports)
        t_rk, t_full, t_half = [], [], []
        for _ in range(args.repeat):  # alternated, so load affects all three alike
            t_rk.append(timed(lambda: kneighbors(X, k, n_jobs=-1))[0])
            with threadpool_limits(n_cpu, "blas"):
                t_full.append(timed(lambda: bare_gemm(X))[0])
                t_half.append(timed(lambda: triangle_gemm(X))[0])
        rk, full, half = (float(np.median(t)) for t in (t_rk, t_full, t_half))
        print(f"{name:<11} {n:>8} {d:>4} {k:>2} | {rk:>10.2f}s {full:>9.2f}s {half:>8.2f}s "
              f"| {rk / full:>7.2f} {rk / half:>7.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n by this")
    parser.add_argument("--no-gemm", action="store_true", help="skip the bare GEMM timings")
    parser.add_argument("--vs-gemm", action="store_true",
                        help="only the all-rows search on float32 against float32 GEMMs")
    parser.add_argument("--cases", default="", help="comma-separated case names (--vs-gemm)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (--vs-gemm)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n_cpu = os.cpu_count()
    print(f"threads: {n_cpu}, scale {args.scale}")
    if args.vs_gemm:
        gemm_table(args, rng, n_cpu)
        return
    header = (f"{'case':<11} {'n':>8} {'d':>4} {'k':>2} | {'resamplekit':>11} {'sklearn':>9} "
              f"{'speed-up':>8} | {'GEMM f64':>8} {'GEMM f32':>8} {'rk/GEMM64':>9}")
    print(header)
    print("-" * len(header))
    for name, n, d, k, sk_algo in CASES:
        n = max(k + 2, int(n * args.scale))
        X = rng.normal(size=(n, d))
        kneighbors(X[:1000], k)  # warm up (thread pools, imports)
        t_rk, (dist, ind) = timed(lambda: kneighbors(X, k, n_jobs=-1))
        nn = NearestNeighbors(n_neighbors=k, algorithm=sk_algo, n_jobs=-1)
        t_sk, (sk_dist, sk_ind) = timed(lambda: nn.fit(X).kneighbors())
        agree = np.mean(ind == sk_ind)
        g64 = g32 = float("nan")
        if not args.no_gemm and sk_algo == "brute":
            with threadpool_limits(n_cpu, "blas"):
                g64, _ = timed(lambda: bare_gemm(X))
                X32 = X.astype(np.float32)
                g32, _ = timed(lambda: bare_gemm(X32))
        print(f"{name:<11} {n:>8} {d:>4} {k:>2} | {t_rk:>10.2f}s {t_sk:>8.2f}s "
              f"{t_sk / t_rk:>7.2f}x | {g64:>7.2f}s {g32:>7.2f}s {t_rk / g64:>9.2f}"
              f"   (same indices as sklearn: {agree:.4%})")


if __name__ == "__main__":
    main()
