"""Command line of resamplekit: ``python -m resamplekit`` or the ``resamplekit`` script.

Commands:

- ``demo``: makes a seeded imbalanced data set and shows what every public method does to it
  (the class counts before and after, and the time taken); ``smotenc`` and ``smoten`` run on
  a table with text categories derived from the same data.
- ``methods``: one line per public method: its name, its kind and what it does.
- ``resample``: resamples a CSV or Parquet file with any method (``resamplekit._cli``).

``--version`` prints ``resamplekit X.Y.Z``. Errors are one line on stderr and a non-zero exit
status: 2 when the command line cannot be used as given, 1 when the resampling itself fails.
"""
import sys
import time

import numpy as np

import resamplekit
from resamplekit._cli import add_commands, integer_option, new_parser, run

# The smallest data set on which every method of the demo runs: 100 rows give the minority
# class (10%) 10 rows, more than SMOTE's k + 1 = 6 and enough for the 5-fold cross-validation
# of instance_hardness_threshold. tests/test_demo.py runs the demo at these minimums.
DEMO_MIN_ROWS = 100
DEMO_MIN_FEATURES = 1


def make_imbalanced(n=20_000, d=10, weights=(0.9, 0.1), seed=0):
    """Gaussian blobs, one per class, with the given class weights (no scikit-learn needed).

    Parameters
    ----------
    n, d : int
        Rows and features.
    weights : sequence of float
        The share of each class (normalised); class ``i`` is label ``i``.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)

    Examples
    --------
    >>> X, y = make_imbalanced(n=100, d=2)
    >>> X.shape, np.bincount(y).tolist()
    ((100, 2), [90, 10])
    """
    rng = np.random.default_rng(seed)
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    counts = np.floor(weights * n).astype(int)
    counts[0] += n - counts.sum()
    centres = rng.normal(scale=0.4, size=(len(counts), d))
    X = np.concatenate([rng.normal(loc=c, size=(m, d)) for c, m in zip(centres, counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    order = rng.permutation(n)
    return X[order], y[order]


def categorical_table(X):
    """Two text columns derived from X: tertiles of the first feature, quartiles of the row sum.

    Both follow the classes (whose centres differ), so SMOTE-NC and SMOTE-N have categories to
    vote on.

    Examples
    --------
    >>> X, y = make_imbalanced(n=100, d=2)
    >>> C = categorical_table(X)
    >>> C.shape, C.dtype, sorted(set(C[:, 0]))
    ((100, 2), dtype('O'), ['hi', 'lo', 'mid'])
    """
    first = X[:, 0]
    total = X.sum(axis=1)
    C = np.empty((X.shape[0], 2), dtype=object)
    C[:, 0] = np.array(["lo", "mid", "hi"], dtype=object)[
        np.digitize(first, np.quantile(first, [1 / 3, 2 / 3]))
    ]
    C[:, 1] = np.array(["q1", "q2", "q3", "q4"], dtype=object)[
        np.digitize(total, np.quantile(total, [0.25, 0.5, 0.75]))
    ]
    return C


# (function name, keyword arguments, data) in the order the demo shows them. The data is
# "numeric" (X), "mixed" (X and the two text columns of categorical_table) or "categorical"
# (the text columns only).
DEMO_METHODS = [
    ("random_under", {"random_state": 0}, "numeric"),
    ("random_over", {"random_state": 0}, "numeric"),
    ("near_miss", {"version": 1}, "numeric"),
    ("tomek_links", {}, "numeric"),
    ("edited_nearest_neighbours", {}, "numeric"),
    ("repeated_edited_nearest_neighbours", {}, "numeric"),
    ("all_knn", {}, "numeric"),
    ("neighbourhood_cleaning_rule", {}, "numeric"),
    ("condensed_nearest_neighbour", {"random_state": 0}, "numeric"),
    ("one_sided_selection", {"random_state": 0}, "numeric"),
    ("cluster_centroids", {"random_state": 0}, "numeric"),
    ("instance_hardness_threshold", {"random_state": 0}, "numeric"),
    ("smote", {"random_state": 0}, "numeric"),
    ("borderline_smote", {"random_state": 0}, "numeric"),
    ("svm_smote", {"random_state": 0}, "numeric"),
    # Four clusters and a 5% minority share keep a cluster to over-sample down to 100 rows.
    ("kmeans_smote", {"random_state": 0, "kmeans_estimator": 4,
                      "cluster_balance_threshold": 0.05}, "numeric"),
    ("adasyn", {"random_state": 0}, "numeric"),
    ("smotenc", {"random_state": 0}, "mixed"),
    ("smoten", {"random_state": 0}, "categorical"),
    ("smote_tomek", {"random_state": 0}, "numeric"),
    ("smote_enn", {"random_state": 0}, "numeric"),
]


def _counts(y):
    labels, counts = np.unique(y, return_counts=True)
    return ", ".join(f"{lab}: {c}" for lab, c in zip(labels, counts))


def demo(n=5_000, d=10, out=None):
    """Run every method of ``DEMO_METHODS`` on ``make_imbalanced(n, d)`` and print a table.

    Parameters
    ----------
    n : int, default=5000
        Rows, at least ``DEMO_MIN_ROWS``.
    d : int, default=10
        Features, at least ``DEMO_MIN_FEATURES``.
    out : file-like, default=sys.stdout

    Returns
    -------
    int
        The number of methods shown.

    Raises
    ------
    ValueError
        If ``n`` or ``d`` is below its minimum.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> demo(n=100, d=2, out=out) == len(DEMO_METHODS)
    True
    >>> print(out.getvalue().splitlines()[1])
    data: 100 rows x 2 features, classes {0: 90, 1: 10}
    """
    out = sys.stdout if out is None else out
    for name, value, minimum in (("n", n, DEMO_MIN_ROWS), ("d", d, DEMO_MIN_FEATURES)):
        if not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    X, y = make_imbalanced(n=n, d=d)
    C = categorical_table(X)
    mixed = np.concatenate([X.astype(object), C], axis=1)
    data = {
        "numeric": (X, {}),
        "mixed": (mixed, {"categorical_features": [d, d + 1]}),
        "categorical": (C, {}),
    }
    print(f"resamplekit {resamplekit.__version__} demo", file=out)
    print(f"data: {X.shape[0]} rows x {X.shape[1]} features, classes {{{_counts(y)}}}", file=out)
    print("smotenc: the same features and two text columns; smoten: the text columns only",
          file=out)
    print(file=out)
    width = max(len(name) for name, _, _ in DEMO_METHODS)
    shown = 0
    for name, kwargs, kind in DEMO_METHODS:
        func = getattr(resamplekit, name, None)
        if func is None:
            continue
        X_in, extra = data[kind]
        t0 = time.perf_counter()
        try:
            X_res, y_res = func(X_in, y, **kwargs, **extra)[:2]
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
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Examples
    --------
    >>> main(["methods"])  # doctest: +ELLIPSIS
    adasyn ... over-sampling ...
    0
    """
    parser, commands = new_parser()
    p_demo = commands.add_parser("demo", help="resample a synthetic imbalanced data set",
                                 description="Resample a synthetic imbalanced data set with "
                                 "every method and show the class counts and times.")
    p_demo.add_argument("--n", default="5000", metavar="ROWS",
                        help=f"number of rows (default 5000, at least {DEMO_MIN_ROWS})")
    p_demo.add_argument("--d", default="10", metavar="FEATURES",
                        help=f"number of features (default 10, at least {DEMO_MIN_FEATURES})")
    add_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "demo":
        n = integer_option(p_demo, "--n", args.n, DEMO_MIN_ROWS)
        d = integer_option(p_demo, "--d", args.d, DEMO_MIN_FEATURES)
        demo(n=n, d=d)
        return 0
    return run(parser, args)


if __name__ == "__main__":
    sys.exit(main())
