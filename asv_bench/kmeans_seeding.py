"""cluster_centroids' k-means against scikit-learn's KMeans: the seeding and the whole fit.

    OMP_NUM_THREADS=2 python asv_bench/kmeans_seeding.py
    OMP_NUM_THREADS=2 python asv_bench/kmeans_seeding.py --clusters 1000 --no-fit

Data: the majority class (90,000 rows) of compare.py's 100k_x_20 workload, as
cluster_centroids clusters it. For each number of clusters, times the k-means++ seeding of
``resamplekit._kmeans`` and scikit-learn's ``_kmeans_plusplus`` (the same draws: the seeds
must be the same rows) on the rows centred by their mean, as KMeans seeds them; then, unless
``--no-fit``, the whole ``kmeans_centers(X, k, random_state=0)`` against
``KMeans(k, random_state=0).fit(X)`` for the largest k (the largest difference of the centres
is printed). One run each, in this process: the machine's noise applies (+-20% on 2 cores).
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _timed(f):
    start = time.perf_counter()
    result = f()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", default="1000,10000",
                        help="comma-separated numbers of clusters (default: 1000,10000)")
    parser.add_argument("--no-fit", action="store_true", help="time the seedings only")
    args = parser.parse_args(argv)

    from compare import WORKLOADS_BY_ID, make_workload
    from sklearn.cluster import KMeans
    from sklearn.cluster._kmeans import _kmeans_plusplus
    from sklearn.utils.extmath import row_norms

    from resamplekit._kmeans import _kmeanspp, kmeans_centers

    X, y = make_workload(WORKLOADS_BY_ID["100k_x_20"])
    X = X[y == 0]
    Xc = np.ascontiguousarray(X - X.mean(axis=0))
    norms = row_norms(Xc, squared=True)
    ks = [int(k) for k in args.clusters.split(",")]
    print(f"{X.shape[0]:,} x {X.shape[1]} rows (the majority of 100k_x_20)")
    for k in ks:
        ours_s, (ours, _, _) = _timed(
            lambda: _kmeanspp(Xc, k, np.random.RandomState(0), Xc.dtype, 0))
        theirs_s, (_, theirs) = _timed(lambda: _kmeans_plusplus(
            Xc, k, norms, np.ones(len(Xc)), np.random.RandomState(0)))
        print(f"seeding, {k:,} clusters: scikit-learn {theirs_s:.2f} s, resamplekit "
              f"{ours_s:.2f} s, the same seeds: {bool(np.array_equal(ours, theirs))}", flush=True)
    if not args.no_fit:
        k = max(ks)
        ours_s, centers = _timed(lambda: kmeans_centers(X, k, random_state=0))
        theirs_s, km = _timed(lambda: KMeans(k, random_state=0).fit(X))
        diff = float(np.max(np.abs(centers - km.cluster_centers_)))
        print(f"whole fit, {k:,} clusters: scikit-learn {theirs_s:.2f} s ({km.n_iter_} "
              f"iterations), resamplekit {ours_s:.2f} s, largest difference of the centres "
              f"{diff:.2g}")


if __name__ == "__main__":
    main()
