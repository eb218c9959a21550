"""Command line entry point: ``python -m resamplekit demo``.

The demo makes a seeded imbalanced data set and shows what every available method does to it:
the class counts before and after, and the time taken.
"""
import argparse
import sys
import time

import numpy as np

import resamplekit


def make_imbalanced(n=20_000, d=10, weights=(0.9, 0.1), seed=0):
    """Two or more Gaussian blobs with the given class weights (no scikit-learn needed)."""
    rng = np.random.default_rng(seed)
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    counts = np.floor(weights * n).astype(int)
    counts[0] += n - counts.sum()
    centres = rng.normal(scale=0.4, size=(len(counts), d))
    X = np.concatenate([rng.normal(loc=c, size=(m, d)) for c, m in zip(centres, counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    order = rng.permutation(n)
    return X[order], y[order]


# (function name, keyword arguments) in the order the demo shows them.
DEMO_METHODS = [
    ("random_under", {"random_state": 0}),
    ("random_over", {"random_state": 0}),
    ("near_miss", {"version": 1}),
    ("tomek_links", {}),
    ("edited_nearest_neighbours", {}),
    ("repeated_edited_nearest_neighbours", {}),
    ("all_knn", {}),
    ("neighbourhood_cleaning_rule", {}),
    ("condensed_nearest_neighbour", {"random_state": 0}),
    ("one_sided_selection", {"random_state": 0}),
    ("cluster_centroids", {"random_state": 0}),
    ("instance_hardness_threshold", {"random_state": 0}),
    ("smote", {"random_state": 0}),
    ("borderline_smote", {"random_state": 0}),
    ("svm_smote", {"random_state": 0}),
    ("kmeans_smote", {"random_state": 0, "cluster_balance_threshold": 0.1}),
    ("adasyn", {"random_state": 0}),
    ("smote_tomek", {"random_state": 0}),
    ("smote_enn", {"random_state": 0}),
]


def _counts(y):
    labels, counts = np.unique(y, return_counts=True)
    return ", ".join(f"{lab}: {c}" for lab, c in zip(labels, counts))


def demo(n=5_000, d=10, out=None):
    out = sys.stdout if out is None else out
    X, y = make_imbalanced(n=n, d=d)
    print(f"resamplekit {resamplekit.__version__} demo", file=out)
    print(f"data: {X.shape[0]} rows x {X.shape[1]} features, classes {{{_counts(y)}}}", file=out)
    print(file=out)
    width = max(len(name) for name, _ in DEMO_METHODS)
    shown = 0
    for name, kwargs in DEMO_METHODS:
        func = getattr(resamplekit, name, None)
        if func is None:
            continue
        t0 = time.perf_counter()
        try:
            X_res, y_res = func(X, y, **kwargs)[:2]
        except ImportError as exc:  # optional scikit-learn missing
            print(f"{name:<{width}}  skipped ({exc})", file=out)
            continue
        except ValueError as exc:  # the method does not apply to this data set
            print(f"{name:<{width}}  not applicable: {exc}", file=out)
            continue
        dt = time.perf_counter() - t0
        print(
            f"{name:<{width}}  {len(y_res):>7} rows  {{{_counts(y_res)}}}  {dt * 1e3:8.1f} ms",
            file=out,
        )
        shown += 1
    if shown == 0:
        print("no sampler is available yet", file=out)
    return shown


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m resamplekit")
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="resample a synthetic imbalanced data set")
    p_demo.add_argument("--n", type=int, default=5_000, help="number of rows")
    p_demo.add_argument("--d", type=int, default=10, help="number of features")
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo(n=args.n, d=args.d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
