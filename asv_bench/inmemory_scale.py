"""The in-memory functions on the size of dask_scale.py's largest workload, for comparison.

    OMP_NUM_THREADS=2 python asv_bench/inmemory_scale.py smote    # or random_under, random_over

X: 50,000,000 x 20 float32 (4 GB) from numpy's seeded generator, labels with a 1% minority,
all in this process; the call and a reduction of its output (column sums). Prints the time,
the rows out and the peak resident size (above X and y). Needs about 20 GB for smote.
"""
import resource
import sys
import time

import numpy as np

import resamplekit as rk


def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(method):
    n, d = 50_000_000, 20
    t = time.perf_counter()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d), dtype=np.float32)
    y = (rng.random(n) < 0.01).astype(np.int8)
    base = rss()
    print(f"making X {time.perf_counter() - t:.1f} s, {X.nbytes / 1e9:.1f} GB, rss {base:.0f} MB",
          flush=True)
    t = time.perf_counter()
    out = getattr(rk, method)(X, y, random_state=0)
    out[0].sum(axis=0)
    print(f"{method}: {time.perf_counter() - t:.1f} s, {out[0].shape[0]:,} rows out, peak RSS "
          f"{rss():.0f} MB ({rss() - base:.0f} MB above X and y)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
