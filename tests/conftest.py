"""The toy data sets of the test suite, built in one place.

Test files import the builders as plain functions (``from conftest import mixture``): pytest's
default import mode puts tests/ on sys.path, and the child interpreters of test_bad_input.py and
test_scale_invariance.py put it there themselves. scikit-learn is imported only by the builder
that needs it.

Every builder is seeded and returns the same arrays on every call: many tests assert exact rows
or counts on this data (and imbalanced-learn's answers on it), so a builder changes only
together with the expectations written against it.
"""
import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def readonly(a):
    """A read-only copy of a (as a memory-mapped file would be)."""
    a = np.array(a)
    a.setflags(write=False)
    return a


# --------------------------------------------------------------------------------------------
# Classes from scikit-learn's make_classification


def classification(n_classes=2, *, weights, n=240, d=4, seed=0, sep=1.0, informative=3,
                   redundant=0, clusters=2, flip_y=0.01, distinct_counts=False):
    """``make_classification(n_samples=n, n_features=d, ...)``: Gaussian clusters of classes.

    weights: the class weights (as make_classification takes them: the last one may be left
    out), or a dict giving them for each n_classes. flip_y is the share of labels assigned at
    random; distinct_counts asserts that no two classes have the same count, so that
    imbalanced-learn's minority/majority rules (which break count ties two ways) agree with
    resamplekit's.
    """
    from sklearn.datasets import make_classification

    if isinstance(weights, dict):
        weights = weights[n_classes]
    X, y = make_classification(
        n_samples=n, n_features=d, n_informative=informative, n_redundant=redundant,
        n_classes=n_classes, weights=weights, n_clusters_per_class=clusters, class_sep=sep,
        flip_y=flip_y, random_state=seed,
    )
    if distinct_counts:
        counts = np.bincount(y)
        assert len(set(counts)) == len(counts), counts
    return X, y


# Class 0 the smallest, the last class the largest.
SKEWED_WEIGHTS = {2: [0.2, 0.8], 3: [0.15, 0.3, 0.55]}


def skewed_classes(n_classes, n=240, d=4, seed=0, sep=0.8):
    """One cluster per class, 3 informative features, class 0 the minority, 1% flipped labels,
    distinct class counts (the data of the NearMiss and ENN-family tests)."""
    return classification(n_classes, weights=SKEWED_WEIGHTS, n=n, d=d, seed=seed, sep=sep,
                          clusters=1, distinct_counts=True)


# --------------------------------------------------------------------------------------------
# Classes drawn with NumPy (no scikit-learn)


def mixture(counts, d=3, seed=0, spread=1.2):
    """Overlapping Gaussian classes, class c centred at spread * c on every axis, rows shuffled:
    continuous values, so no duplicated rows and no tied distances."""
    rng = np.random.default_rng(seed)
    X = np.concatenate(
        [rng.normal(loc=spread * c, size=(n, d)) for c, n in enumerate(counts)]
    )
    y = np.repeat(np.arange(len(counts)), counts)
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def blobs(n_per_class=(150, 40, 30), seed=0, dtype=np.float64):
    """2-D unit Gaussian classes at the corners of a 6 x 6 square (up to 4 classes), rows
    grouped by class."""
    rng = np.random.default_rng(seed)
    centers = [(0.0, 0.0), (6.0, 0.0), (0.0, 6.0), (6.0, 6.0)]
    X = np.vstack([rng.normal(centers[c], 1.0, size=(m, 2)) for c, m in enumerate(n_per_class)])
    y = np.repeat(np.arange(len(n_per_class)), n_per_class)
    return X.astype(dtype), y


def noise_classes(n=300, d=4, weights=(0.6, 0.25, 0.1, 0.05), seed=0, dtype=np.float64):
    """Labels drawn independently with the class weights, features standard normal noise
    (independent of the labels): for the methods that only pick rows."""
    rng = np.random.default_rng(seed)
    y = rng.choice(len(weights), size=n, p=np.asarray(weights) / np.sum(weights))
    X = rng.normal(size=(n, d)).astype(dtype)
    return X, y


def sorted_by_first_column(rng, counts, top=0, lift=2.0):
    """Standard normal X with 3 features, rows sorted by column 0 (descending); labels with
    counts[c] rows of class c, shuffled, except that the first ``top`` rows are class 0 and
    lifted by ``lift`` in column 0.

    The order makes a far outlier decidable: row 0 pushed far out in column 0 has the other rows
    as neighbours in increasing index order. Draws from ``rng`` (which the caller may go on
    using).
    """
    X = rng.normal(size=(sum(counts), 3))
    X = X[np.argsort(-X[:, 0])]
    X[:top, 0] += lift
    rest = rng.permutation(np.repeat(np.arange(len(counts)), [counts[0] - top, *counts[1:]]))
    y = np.concatenate([np.zeros(top, dtype=int), rest])
    return X, y


# --------------------------------------------------------------------------------------------
# Categorical features


def mixed_data(n_per_class=(120, 40), n_cont=3, n_cat=2, n_levels=3, seed=0, as_str=True):
    """Object array: continuous floats in columns 0, 2, ...; categorical in 1, 3, ...
    (strings, or integers when as_str is False); rows grouped by class.

    Returns X, y and the lists of continuous and categorical column indices.
    """
    rng = np.random.default_rng(seed)
    n = sum(n_per_class)
    d = n_cont + n_cat
    X = np.empty((n, d), dtype=object)
    cat_cols = [2 * i + 1 for i in range(n_cat)]
    cont_cols = [j for j in range(d) if j not in cat_cols]
    X[:, cont_cols] = rng.normal(size=(n, n_cont))
    cats = rng.integers(0, n_levels, size=(n, n_cat))
    X[:, cat_cols] = cats.astype(str) if as_str else cats
    y = np.repeat(np.arange(len(n_per_class)), n_per_class)
    return X, y, cont_cols, cat_cols


def nominal_data(n_per_class=(120, 40), n_features=3, n_levels=4, seed=0):
    """Object array of string categories '0'..'n_levels - 1' only; rows grouped by class."""
    rng = np.random.default_rng(seed)
    n = sum(n_per_class)
    X = rng.integers(0, n_levels, size=(n, n_features)).astype(str).astype(object)
    y = np.repeat(np.arange(len(n_per_class)), n_per_class)
    return X, y


def run_child(module, todo, tmpdir, tag, timeout=900):
    """Run ``module.child_main(todo_path, out_path)`` (a test module in tests/) in a fresh
    interpreter, one OpenMP thread unless OMP_NUM_THREADS is set, so that a crash (segfault)
    ends the child, not the test run. ``todo`` is written as JSON for the child, which appends
    one JSON record a line to out_path as it goes. Returns the CompletedProcess and the records
    written (those before a crash, if it crashed)."""
    import json
    import os
    import subprocess
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    todo_path = os.path.join(tmpdir, f"{tag}.todo.json")
    out_path = os.path.join(tmpdir, f"{tag}.jsonl")
    with open(todo_path, "w") as f:
        json.dump(todo, f)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(here) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")  # children run side by side
    code = (f"import sys; sys.path.insert(0, sys.argv[1]); import {module} as t; "
            "t.child_main(sys.argv[2], sys.argv[3])")
    proc = subprocess.run([sys.executable, "-c", code, here, todo_path, out_path], env=env,
                          capture_output=True, text=True, timeout=timeout)
    records = []
    if os.path.exists(out_path):
        with open(out_path) as f:
            records = [json.loads(line) for line in f.read().splitlines()]
    return proc, records


#: The public functions that take random_state (method_data seeds them with 0).
SEEDED_METHODS = frozenset({
    "random_under", "random_over", "smote", "borderline_smote", "svm_smote", "kmeans_smote",
    "adasyn", "smotenc", "smoten", "smote_tomek", "smote_enn", "cluster_centroids",
    "instance_hardness_threshold", "condensed_nearest_neighbour", "one_sided_selection"})


def method_data(name, dtype=np.float64, *, n_major=60, n_minor=20, seed=0):
    """(X, y, keywords) that suit public function ``name``: two Gaussian classes in 3-d
    (``n_major`` at 0, ``n_minor`` at 1.2), random_state 0 for a seeded method; smotenc gets
    a categorical column 0, smoten integer codes 0..2."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, (n_major, 3)), rng.normal(1.2, 1, (n_minor, 3))])
    X = X.astype(dtype)
    y = np.array([0] * n_major + [1] * n_minor)
    kwargs = {"random_state": 0} if name in SEEDED_METHODS else {}
    if name == "smotenc":
        cat = (X[:, 0] > 0).astype(np.float64)
        X = np.column_stack([cat, X[:, 1:]]).astype(dtype)
        kwargs["categorical_features"] = [0]
    elif name == "smoten":
        X = np.digitize(X, [-0.5, 0.5]).astype(np.int64)
    return X, y, kwargs


def traced_peak(call):
    """``call()``'s result and the peak memory tracemalloc saw during it (NumPy reports its
    buffers to tracemalloc), in bytes."""
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def sparse_snapshot(Xs):
    """Copies of the arrays that define a sparse matrix (to check it is not modified)."""
    if Xs.format == "coo":
        return [Xs.data.copy(), Xs.row.copy(), Xs.col.copy()]
    return [Xs.data.copy(), Xs.indices.copy(), Xs.indptr.copy()]


def assert_sparse_unmodified(Xs, before):
    """``Xs``'s arrays equal (values and dtypes) the ``sparse_snapshot`` taken before."""
    for a, b in zip(sparse_snapshot(Xs), before):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
