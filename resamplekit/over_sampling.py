"""Over-sampling: new minority rows, appended after all original rows.

``random_over`` repeats (optionally jittered) rows; the SMOTE family synthesises rows between
neighbours.

Each function validates ``X, y`` once (``_validation.check_X_y``), resolves ``ratio`` into the
number of rows to generate per class (``_strategy.target_counts(..., "over")``), gets every
neighbour from ``_neighbors.kneighbors``, draws its random numbers in Python as whole arrays
(imbalanced-learn's ``RandomState`` call order, so an integer ``random_state`` gives
imbalanced-learn's rows), and hands the drawn indices and gaps to the one synthesis kernel
``_kernels._smote.interpolate``.
"""
import numbers
from collections.abc import Mapping

import numpy as np

from ._kernels._smote import interpolate
from ._neighbors import kneighbors
from ._strategy import target_counts
from ._validation import check_int, check_n_jobs, check_random_state, check_X_y

__all__ = ["random_over", "smote", "borderline_smote", "svm_smote", "adasyn"]


# Rows of smoothed-bootstrap noise drawn at a time (bounds the float64 temporaries).
_BLOCK_ROWS = 1 << 15


def _shrinkage_factors(shrinkage, targets, classes):
    """{code: factor} for every targeted class, checked as imbalanced-learn checks it."""

    def check_factor(value, label):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"shrinkage factors must be real numbers >= 0, got {value!r} for class {label!r}"
            )
        if not value >= 0:
            raise ValueError(
                f"shrinkage factors must be >= 0, got {value!r} for class {label!r}; use 0 for a "
                "plain bootstrap of that class"
            )
        return value

    if isinstance(shrinkage, Mapping):
        lookup = {}
        for key, value in shrinkage.items():
            check_factor(value, key)
            try:
                lookup[key.item() if hasattr(key, "item") else key] = value
            except TypeError:  # unhashable: cannot be a label of y
                pass
        out, missing = {}, []
        for code in targets:
            label = classes[code]
            key = label.item() if hasattr(label, "item") else label
            if key in lookup:
                out[code] = lookup[key]
            else:
                missing.append(key)
        if missing:
            raise ValueError(
                "shrinkage must give a factor for every class that ratio resamples; missing: "
                f"{missing!r}. Add them to the dict, or give one float for all classes"
            )
        return out
    if isinstance(shrinkage, numbers.Real) and not isinstance(shrinkage, (bool, np.bool_)):
        value = check_factor(shrinkage, "all")
        return {code: value for code in targets}
    raise TypeError(
        f"shrinkage must be None, a float >= 0 or a dict {{label: float >= 0}}, got {shrinkage!r}"
    )


def random_over(X, y, *, ratio="auto", shrinkage=None, random_state=None, return_indices=False):
    """Randomly repeat rows of the targeted classes (bootstrap), optionally smoothed.

    The same draws as imbalanced-learn 0.14's ``RandomOverSampler``: with an integer
    ``random_state`` the same rows come back, in the same order.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        Without ``shrinkage`` any values (NaN, strings, datetimes, objects) pass through
        unchanged. With ``shrinkage`` X must be numeric and finite.
    y : array-like of shape (n_samples,)
        Class labels.
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy`` for over-samplers. 'auto' (= 'not majority'),
        'minority', 'not minority', 'not majority', 'all': the targeted classes grow to the
        majority count. A float ``a`` in (0, 1] (two classes only): the minority grows to
        ``int(a * n_majority)``. A dict ``{label: n}``: class ``label`` ends with ``n`` rows. A
        callable ``f(y) -> dict``.
    shrinkage : None, float or dict, default=None
        None: plain bootstrap (rows repeated exactly). A float >= 0, or a dict
        ``{label: float}`` with a factor for every resampled class: smoothed bootstrap, each new
        row is a drawn row plus Gaussian noise ``shrinkage * h * std_c`` per feature, with
        ``h = (4 / ((d + 2) * n)) ** (1 / (d + 4))`` (n the total row count) and ``std_c`` the
        class's per-feature standard deviation.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed; an int gives imbalanced-learn's result for that seed.
    return_indices : bool, default=False
        Also return, for each output row, the input row it comes from (for a smoothed row, the
        row drawn before the noise was added, as imbalanced-learn's ``sample_indices_``).

    Returns
    -------
    X_res : same container as X
        All input rows in order, then the new rows class by class in sorted label order. A
        DataFrame gets a fresh RangeIndex.
    y_res : same container as y
    indices : ndarray of intp, optional

    Notes
    -----
    Per targeted class, in label order, from one ``RandomState``: ``choice(n_c, size=n_new,
    replace=True)``, then (with shrinkage) ``randn(n_new, d)``. Without shrinkage the index
    vector is built first and X is gathered once.

    Differences from imbalanced-learn: ``len(X) != len(y)`` raises; with shrinkage float32 X
    gives float32 output (imbalanced-learn returns float64), integer DataFrame columns give
    float64 (imbalanced-learn truncates them back to integers), and sparse X is densified for
    the computation and returned in its sparse format.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit import over_sampling as os_
    >>> X = np.arange(20, dtype=float).reshape(10, 2)
    >>> y = np.array([0] * 7 + [1] * 3)
    >>> X_res, y_res, idx = os_.random_over(X, y, random_state=0, return_indices=True)
    >>> np.bincount(y_res).tolist()
    [7, 7]
    >>> idx[:10].tolist() == list(range(10)), bool((X_res == X[idx]).all())
    (True, True)
    >>> X_s, y_s = os_.random_over(X, y, shrinkage=0.5, random_state=0)
    >>> X_s.shape
    (14, 2)
    """
    ds = check_X_y(X, y, numeric=shrinkage is not None)
    targets = target_counts(ratio, ds.y, ds.classes, "over")
    factors = None if shrinkage is None else _shrinkage_factors(shrinkage, targets, ds.classes)
    rs = check_random_state(random_state)
    per_class = ds.class_indices()
    n = ds.n_samples

    if factors is None:
        new_rows = np.empty(sum(targets.values()), dtype=np.intp)
        pos = 0
        for code, n_new in targets.items():
            rows = per_class[code]
            new_rows[pos:pos + n_new] = rows[rs.choice(len(rows), size=n_new, replace=True)]
            pos += n_new
        return ds.extend(new_rows, return_indices=return_indices)

    X_alg = ds.X
    d = X_alg.shape[1]
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    m = sum(targets.values())
    X_new = np.empty((m, d), dtype=X_alg.dtype)
    sources = np.empty(m, dtype=np.intp)
    y_new = np.empty(m, dtype=np.intp)
    pos = 0
    for code, n_new in targets.items():
        rows = per_class[code]
        boot = rows[rs.choice(len(rows), size=n_new, replace=True)]
        if n_new:
            # The same expression and dtypes as imbalanced-learn (std of the class in X's
            # dtype, noise in float64), so the rows match it to rounding. The noise is drawn
            # in blocks of rows: consecutive randn calls continue one stream, so the values
            # equal one randn(n_new, d) call, without an n_new x d float64 temporary.
            scale = factors[code] * h * np.std(X_alg[rows], axis=0)
            for start in range(0, n_new, _BLOCK_ROWS):
                stop = min(n_new, start + _BLOCK_ROWS)
                noise = rs.randn(stop - start, d)
                noise *= scale
                noise += X_alg[boot[start:stop]]
                X_new[pos + start:pos + stop] = noise
        sources[pos:pos + n_new] = boot
        y_new[pos:pos + n_new] = code
        pos += n_new
    return ds.append(X_new, y_new, return_indices=return_indices, sources=sources)


# --- SMOTE family ---
#
# imbalanced-learn's random-number contract, copied exactly:
# - SMOTE, Borderline-SMOTE (and SVM-SMOTE's generation step) call
#   ``check_random_state(random_state)`` once per class (per generation call), so an integer
#   seed restarts the same stream for every class, while a RandomState instance is one stream
#   shared by all classes and None is NumPy's global stream.
# - Each generation call draws ``randint(0, n_base * k, n_new)`` then ``uniform(size=n_new)``;
#   base row = draw // k, neighbour column = draw % k.
# - Borderline-2 then calls ``check_random_state`` once more and draws ``uniform(0, 0.5)`` for
#   each new row whose neighbour is of another class.
# - ADASYN and SVM-SMOTE's ``beta(10, 10)`` draw use one state for the whole call.


def _label(ds, code):
    label = ds.classes[code]
    return label.item() if hasattr(label, "item") else label


def _check_class_size(ds, code, k, method):
    """A class that interpolates between its own rows needs more than k of them."""
    n_c = int(ds.counts[code])
    if n_c > k:
        return
    label = _label(ds, code)
    fix = f"lower k to at most {n_c - 1}, or " if n_c > 1 else ""
    raise ValueError(
        f"{method}: class {label!r} has {n_c} rows, but k={k} needs at least k + 1 = {k + 1} "
        f"(each row of the class and its k nearest neighbours in the class); {fix}leave class "
        f"{label!r} out of ratio (for example ratio={{label: count}} for the other classes)."
    )


def _check_enough_rows(ds, value, name, method):
    """Neighbours searched over all of X need more than ``value`` rows in X."""
    n = ds.X.shape[0]
    if n <= value:
        raise ValueError(
            f"{method}: {name}={value} needs at least {name} + 1 = {value + 1} rows in X, "
            f"got {n}; lower {name}."
        )


def _kneighbors_of_rows(X, rows, k, n_jobs):
    """Indices of the k nearest rows of ``X`` to each ``X[rows]``, the row itself excluded.

    Self is excluded by index (not by dropping the first column), so duplicated rows are
    handled like everywhere else in resamplekit; needs ``len(X) > k``.
    """
    rows = np.asarray(rows, dtype=np.intp)
    if rows.shape[0] == X.shape[0] and np.array_equal(rows, np.arange(X.shape[0])):
        return kneighbors(X, k, n_jobs=n_jobs)[1]
    if rows.shape[0] == 0:
        return np.empty((0, k), dtype=np.intp)
    ind = kneighbors(X, k + 1, Y=X[rows], n_jobs=n_jobs)[1]
    drop = ind == rows[:, None]
    # Self is among the k + 1 nearest unless k + 1 duplicates of lower index hide it: then the
    # last column goes and self is not in the list either.
    drop[~drop.any(axis=1), -1] = True
    return ind[~drop].reshape(rows.shape[0], k)


def _draw_segments(random_state, n_base, k, n_new, step_size=1.0):
    """imbalanced-learn's ``_make_samples`` draws: base rows, neighbour columns, steps."""
    rs = check_random_state(random_state)
    draws = rs.randint(low=0, high=n_base * k, size=n_new)
    steps = step_size * rs.uniform(size=n_new)
    return np.floor_divide(draws, k), np.mod(draws, k), steps


def _synthesise(ds, blocks, n_jobs):
    """Run the kernel once over all classes' blocks and append the new rows to the originals.

    ``blocks`` is a list of ``(code, rows, nbrs, gaps, scales)`` with global row indices of
    ``ds.X``; ``scales`` is None where the difference is not scaled.
    """
    blocks = [b for b in blocks if len(b[1])]
    X = ds.X
    if not blocks:
        X_new = np.empty((0, X.shape[1]), dtype=X.dtype)
        return X_new, np.empty(0, dtype=np.intp)
    rows = np.concatenate([b[1] for b in blocks]).astype(np.intp, copy=False)
    nbrs = np.concatenate([b[2] for b in blocks]).astype(np.intp, copy=False)
    gaps = np.ascontiguousarray(np.concatenate([b[3] for b in blocks]), dtype=np.float64)
    scales = None
    if any(b[4] is not None for b in blocks):
        scales = np.concatenate(
            [np.ones(len(b[1])) if b[4] is None else b[4] for b in blocks]
        ).astype(np.float64, copy=False)
    y_new = np.concatenate([np.full(len(b[1]), b[0], dtype=np.intp) for b in blocks])
    X_new = np.empty((rows.shape[0], X.shape[1]), dtype=X.dtype)
    # The kernel is memory-bound: a thread per ~2 million values written; more threads only
    # add start-up and barrier cost (the result does not depend on it).
    n_threads = min(check_n_jobs(n_jobs), max(1, X_new.size // 2_000_000))
    interpolate(X, rows, X, nbrs, gaps, X_new, n_threads, scales)
    return X_new, y_new


def _nothing_new(ds, return_indices):
    X_new = np.empty((0, ds.X.shape[1]), dtype=ds.X.dtype)
    return ds.append(X_new, np.empty(0, dtype=np.intp), return_indices=return_indices)


def _resolve(X, y, ratio, k, n_jobs):
    ds = check_X_y(X, y)
    k = check_int(k, "k", minimum=1)
    check_n_jobs(n_jobs)
    counts = target_counts(ratio, ds.y, ds.classes, "over")
    return ds, k, {int(c): int(n) for c, n in counts.items() if n > 0}


def smote(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None, return_indices=False):
    """Over-sample with SMOTE: new rows on segments between a row and one of its k neighbours.

    For each class to over-sample, base rows are drawn uniformly with replacement among the
    class's rows, each with one of its ``k`` nearest neighbours in the class, and the new row is
    ``base + u * (neighbour - base)`` with ``u ~ U[0, 1)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
    y : array-like of shape (n_samples,)
        Class labels (any sortable labels).
    k : int, default=5
        Number of nearest neighbours (imbalanced-learn: ``k_neighbors``). Every over-sampled
        class needs more than ``k`` rows.
    ratio : str, float, dict or callable, default="auto"
        Which classes to over-sample and to how many rows (imbalanced-learn's
        ``sampling_strategy``): "auto" (= "not majority"), "minority", "not minority",
        "not majority", "all", a float (binary only: minority / majority after resampling),
        a dict ``{label: final count}``, or a callable ``f(y) -> dict``.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``SMOTE(random_state=int)``
        (imbalanced-learn restarts the stream of an int seed for every class).
    n_jobs : int or None, default=None
        Threads for the neighbour search and synthesis (None: all cores). The result does not
        depend on it.
    return_indices : bool, default=False
        Also return, for each output row, the input row it is (-1 for a synthetic row).

    Returns
    -------
    X_res : ndarray or DataFrame of shape (n_samples + n_new, n_features)
        All input rows in their order, then the new rows class by class (ascending label).
    y_res : ndarray or Series of shape (n_samples + n_new,)
    indices : ndarray of shape (n_samples + n_new,), only with ``return_indices=True``

    Raises
    ------
    ValueError
        If a class to over-sample has ``k`` rows or fewer (the message says which class and
        what to change), or for an invalid ``k``, ``ratio`` or ``random_state``.

    Notes
    -----
    Differences from imbalanced-learn: a row's own index is excluded from its neighbours (not
    the first column of the search), so duplicated rows never count as their own neighbour;
    integer features give float64 output (imbalanced-learn truncates the new rows to
    integers).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import smote
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = smote(X, y, k=5, random_state=0)
    >>> X_res.shape, np.bincount(y_res).tolist()
    ((180, 2), [90, 90])
    >>> bool((X_res[:100] == X).all())
    True
    """
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    for code in counts:
        _check_class_size(ds, code, k, "smote")
    blocks = []
    for code, n_new in counts.items():
        members = np.flatnonzero(ds.y == code)
        nns = kneighbors(ds.X[members], k, n_jobs=n_jobs)[1]
        rows, cols, steps = _draw_segments(random_state, members.shape[0], k, n_new)
        blocks.append((code, members[rows], members[nns[rows, cols]], steps, None))
    X_new, y_new = _synthesise(ds, blocks, n_jobs)
    return ds.append(X_new, y_new, return_indices=return_indices)


def _count_other(ds, rows, m, n_jobs):
    """How many of the m nearest rows of X (self excluded) of each ``X[rows]`` are of another
    class; also returns those neighbours."""
    nbrs = _kneighbors_of_rows(ds.X, rows, m, n_jobs)
    return np.count_nonzero(ds.y[nbrs] != ds.y[rows][:, None], axis=1), nbrs


def _in_danger(n_other, m):
    # imbalanced-learn: m / 2 <= n_other < m (the comparison is against the float m / 2)
    return (n_other >= m / 2) & (n_other < m)


def borderline_smote(
    X,
    y,
    *,
    k=5,
    m=10,
    kind="borderline-1",
    ratio="auto",
    random_state=None,
    n_jobs=None,
    return_indices=False,
):
    """Over-sample with Borderline-SMOTE: SMOTE from the rows on the class border only.

    A row of a class to over-sample is *in danger* when at least half, but not all, of its
    ``m`` nearest neighbours in X are of another class (all of them: noise). New rows are made
    from the danger rows only. ``kind="borderline-1"`` interpolates towards one of the ``k``
    nearest neighbours in the row's class; ``kind="borderline-2"`` towards one of the ``k``
    nearest neighbours in all of X, and only up to half-way (a random fraction ``U[0, 0.5)`` of
    the way) when that neighbour is of another class.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours to interpolate towards (imbalanced-learn: ``k_neighbors``).
    m : int, default=10
        Neighbours in all of X that decide whether a row is in danger (imbalanced-learn:
        ``m_neighbors``).
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``BorderlineSMOTE(random_state=int)``.
    n_jobs : int or None, default=None
        Threads (None: all cores); the result does not depend on it.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).

    Returns
    -------
    X_res, y_res[, indices]
        All input rows, then the new rows class by class (ascending label).

    Raises
    ------
    ValueError
        For an invalid ``k``, ``m``, ``kind``, ``ratio`` or ``random_state``, if X has ``m``
        rows or fewer, or (borderline-1) if a class with danger rows has ``k`` rows or fewer.

    Notes
    -----
    Like imbalanced-learn, a class without danger rows is left as it is (no new rows, no
    warning), so the output can be less balanced than ``ratio`` asks. Differences from
    imbalanced-learn: self is excluded from the neighbours by index; integer features give
    float64 output (imbalanced-learn truncates with borderline-1 and fails with borderline-2).

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import borderline_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(0.5, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = borderline_smote(X, y, k=3, m=5, random_state=0)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """
    method = "borderline_smote"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    m = check_int(m, "m", minimum=1)
    if kind not in ("borderline-1", "borderline-2"):
        raise ValueError(f"kind must be 'borderline-1' or 'borderline-2', got {kind!r}")
    if not counts:
        return _nothing_new(ds, return_indices)
    _check_enough_rows(ds, m, "m", method)
    if kind == "borderline-2":
        _check_enough_rows(ds, k, "k", method)

    # One m-neighbour search over all of X for the rows of every class to over-sample.
    codes = list(counts)
    members = {c: np.flatnonzero(ds.y == c) for c in codes}
    queries = np.concatenate([members[c] for c in codes])
    n_other, m_nbrs = _count_other(ds, queries, m, n_jobs)
    danger = _in_danger(n_other, m)

    blocks = []
    start = 0
    for code in codes:
        stop = start + members[code].shape[0]
        local = np.flatnonzero(danger[start:stop])
        if local.shape[0] == 0:
            start = stop
            continue
        bases = members[code][local]
        if kind == "borderline-1":
            _check_class_size(ds, code, k, method + " (kind='borderline-1')")
            nns = members[code][_kneighbors_of_rows(ds.X[members[code]], local, k, n_jobs)]
        elif k <= m:
            # The k nearest of X are the first k of the m nearest: same order, same ties.
            nns = m_nbrs[start + local, :k]
        else:
            nns = _kneighbors_of_rows(ds.X, bases, k, n_jobs)
        rows, cols, steps = _draw_segments(random_state, bases.shape[0], k, counts[code])
        nbrs = nns[rows, cols]
        scales = None
        if kind == "borderline-2":
            other = ds.y[nbrs] != code
            scales = np.ones(rows.shape[0])
            scales[other] = check_random_state(random_state).uniform(
                low=0.0, high=0.5, size=int(other.sum())
            )
        blocks.append((code, bases[rows], nbrs, steps, scales))
        start = stop
    X_new, y_new = _synthesise(ds, blocks, n_jobs)
    return ds.append(X_new, y_new, return_indices=return_indices)


def _check_out_step(out_step):
    if (
        isinstance(out_step, (bool, np.bool_))
        or not isinstance(out_step, numbers.Real)
        or not 0 <= out_step <= 1
    ):
        raise ValueError(f"out_step must be a real number in [0, 1], got {out_step!r}")
    return float(out_step)


def svm_smote(
    X,
    y,
    *,
    k=5,
    m=10,
    svm_estimator=None,
    out_step=0.5,
    ratio="auto",
    random_state=None,
    n_jobs=None,
    return_indices=False,
):
    """Over-sample with SVM-SMOTE: SMOTE from the support vectors of an SVM.

    One SVM is fitted on all of ``(X, y)``. For each class to over-sample, its support vectors
    that are not noise (not all ``m`` nearest neighbours in X of another class) are the base
    rows: those in danger (at least half of the ``m`` neighbours of another class) interpolate
    towards one of their ``k`` nearest neighbours in the class, the safe ones extrapolate away
    from it (``base - out_step * u * (neighbour - base)``, ``u ~ U[0, 1)``). The share of
    danger-based rows is ``beta(10, 10)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours in the class to interpolate towards (imbalanced-learn: ``k_neighbors``).
    m : int, default=10
        Neighbours in all of X that classify a support vector as noise, danger or safe
        (imbalanced-learn: ``m_neighbors``).
    svm_estimator : estimator or None, default=None
        An unfitted estimator with ``fit`` that exposes ``support_`` once fitted (cloned before
        fitting). None: ``sklearn.svm.SVC(gamma="scale", random_state=random_state)``.
        scikit-learn is needed in both cases.
    out_step : float in [0, 1], default=0.5
        Largest step of an extrapolation away from the neighbour, as a fraction of the segment.
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        Seeds the SVM and the draws.
    n_jobs : int or None, default=None
        Threads for the neighbour searches and synthesis (None: all cores); the result does not
        depend on it.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).

    Returns
    -------
    X_res, y_res[, indices]
        All input rows, then the new rows class by class (ascending label), for each class
        first those made from danger support vectors, then those from safe ones.

    Raises
    ------
    ImportError
        If scikit-learn is not installed.
    TypeError
        If the fitted ``svm_estimator`` has no ``support_``.
    ValueError
        For invalid parameters, a class to over-sample with ``k`` rows or fewer, X with ``m``
        rows or fewer, or a class whose support vectors are all noise.

    Notes
    -----
    Differences from imbalanced-learn: the SVM is fitted once per call, not once per class
    (the fit on all of ``(X, y)`` does not depend on the class); every class gets exactly the
    number of rows ``ratio`` asks for, also when it has no danger or no safe support vectors
    (imbalanced-learn then generates only the other group's share); self is excluded from the
    neighbours by index; integer features give float64 output. For a binary target and an
    integer ``random_state``, when a class has both danger and safe support vectors, the rows
    equal imbalanced-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import svm_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(1.0, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = svm_smote(X, y, k=3, m=5, random_state=0)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """
    method = "svm_smote"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    m = check_int(m, "m", minimum=1)
    out_step = _check_out_step(out_step)
    try:
        from sklearn.base import clone
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "svm_smote needs scikit-learn for its support vector machine; install it with "
            "`pip install scikit-learn`."
        ) from exc
    if svm_estimator is None:
        from sklearn.svm import SVC

        svm_rs = random_state
        if isinstance(random_state, np.random.Generator):
            svm_rs = check_random_state(random_state)
        svm = SVC(gamma="scale", random_state=svm_rs)
    else:
        svm = clone(svm_estimator)
    if not counts:
        return _nothing_new(ds, return_indices)
    for code in counts:
        _check_class_size(ds, code, k, method)
    _check_enough_rows(ds, m, "m", method)
    rs = check_random_state(random_state)  # imbalanced-learn's per-call state (beta draws)

    # One SVM fit, on the caller's labels (imbalanced-learn fits on them too).
    svm.fit(ds.X, ds.labels(ds.y))
    support = getattr(svm, "support_", None)
    if support is None:
        raise TypeError(
            "svm_estimator must expose a fitted `support_` attribute (the indices of its "
            f"support vectors, as sklearn.svm.SVC does); got {svm_estimator!r}"
        )
    support = np.asarray(support, dtype=np.intp)
    codes = list(counts)
    sv = {c: support[ds.y[support] == c] for c in codes}

    # One m-neighbour search over X for the support vectors of every class to over-sample.
    queries = np.concatenate([sv[c] for c in codes])
    n_other = _count_other(ds, queries, m, n_jobs)[0]

    blocks = []
    start = 0
    for code in codes:
        n_new = counts[code]
        stop = start + sv[code].shape[0]
        cls_other = n_other[start:stop]
        start = stop
        keep = cls_other != m  # noise: all m neighbours of another class
        if not keep.any():
            raise ValueError(
                f"{method}: all {sv[code].shape[0]} support vectors of class "
                f"{_label(ds, code)!r} are noise (all their m={m} nearest neighbours are of "
                "another class); SVM-SMOTE does not suit this data: try another SMOTE variant."
            )
        bases = sv[code][keep]
        danger = _in_danger(cls_other[keep], m)
        members = np.flatnonzero(ds.y == code)
        position = np.empty(ds.X.shape[0], dtype=np.intp)
        position[members] = np.arange(members.shape[0])
        nns = members[_kneighbors_of_rows(ds.X[members], position[bases], k, n_jobs)]

        n_danger_new = int(rs.beta(10, 10) * (n_new + 1))
        n_danger, n_safe = int(danger.sum()), int((~danger).sum())
        # imbalanced-learn drops the other group's share when a group is empty; we give it
        # all the rows, so the class gets exactly n_new.
        if n_danger == 0:
            n_danger_new = 0
        elif n_safe == 0:
            n_danger_new = n_new
        groups = ((danger, n_danger_new, 1.0), (~danger, n_new - n_danger_new, -out_step))
        for group, n_group, step in groups:
            if not group.any():
                continue
            g_bases, g_nns = bases[group], nns[group]
            rows, cols, steps = _draw_segments(random_state, g_bases.shape[0], k, n_group, step)
            blocks.append((code, g_bases[rows], g_nns[rows, cols], steps, None))
    X_new, y_new = _synthesise(ds, blocks, n_jobs)
    return ds.append(X_new, y_new, return_indices=return_indices)


def adasyn(X, y, *, k=5, ratio="auto", random_state=None, n_jobs=None, return_indices=False):
    """Over-sample with ADASYN: SMOTE with more new rows around the rows that are hard to learn.

    For each class to over-sample, a row's weight is the share of its ``k`` nearest neighbours
    in X that are of another class; the row gets ``rint(weight / sum(weights) * n_new)`` new
    rows, each on the segment towards one of its ``k`` nearest neighbours in its class, chosen
    at random, at a ``U[0, 1)`` position.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, finite. float32 stays float32; other numeric types give float64.
    y : array-like of shape (n_samples,)
        Class labels.
    k : int, default=5
        Neighbours (imbalanced-learn: ``n_neighbors``), used both for the weights (in all of X)
        and for the interpolation (in the class).
    ratio : str, float, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``; see :func:`smote`.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, default=None
        With an int, the rows equal imbalanced-learn's ``ADASYN(random_state=int)``.
    n_jobs : int or None, default=None
        Threads (None: all cores); the result does not depend on it.
    return_indices : bool, default=False
        Also return the input row of each output row (-1 for a synthetic row).

    Returns
    -------
    X_res, y_res[, indices]
        All input rows, then the new rows class by class (ascending label), grouped by base row
        in the class's row order.

    Raises
    ------
    ValueError
        For invalid parameters, a class to over-sample with ``k`` rows or fewer, a class none
        of whose rows has a neighbour of another class (use :func:`smote`), or a class whose
        rounded counts are all 0.

    Notes
    -----
    Like imbalanced-learn, the per-row counts are rounded (``np.rint``), so a class can get a
    few rows more or fewer than ``ratio`` asks; keeping that rounding keeps the rows equal to
    imbalanced-learn's. Differences: imbalanced-learn raises RuntimeError when no neighbour is
    of another class (ValueError here); self is excluded from the neighbours by index; integer
    features give float64 output.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit.over_sampling import adasyn
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(90, 2)), rng.normal(1.0, 1.0, size=(10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = adasyn(X, y, k=3, random_state=0)
    >>> X_res.shape[0] - X.shape[0] in range(78, 83)
    True
    """
    method = "adasyn"
    ds, k, counts = _resolve(X, y, ratio, k, n_jobs)
    if not counts:
        return _nothing_new(ds, return_indices)
    for code in counts:
        _check_class_size(ds, code, k, method)
    rs = check_random_state(random_state)  # one state for the whole call

    # One k-neighbour search over all of X for the rows of every class to over-sample.
    codes = list(counts)
    members = {c: np.flatnonzero(ds.y == c) for c in codes}
    queries = np.concatenate([members[c] for c in codes])
    n_other = _count_other(ds, queries, k, n_jobs)[0]

    blocks = []
    start = 0
    for code in codes:
        n_new = counts[code]
        stop = start + members[code].shape[0]
        # imbalanced-learn's arithmetic, operation for operation, so the counts are its counts
        ratio_nn = n_other[start:stop] / k
        start = stop
        if not np.sum(ratio_nn):
            raise ValueError(
                f"{method}: no row of class {_label(ds, code)!r} has a neighbour of another "
                f"class among its k={k} nearest, so ADASYN's weights are undefined (0 / 0); "
                "use smote for this data, or a larger k."
            )
        ratio_nn /= np.sum(ratio_nn)
        per_row = np.rint(ratio_nn * n_new).astype(int)
        n_gen = int(np.sum(per_row))
        if not n_gen:
            raise ValueError(
                f"{method}: the rounded per-row counts of class {_label(ds, code)!r} are all 0 "
                f"for {n_new} new rows; ask ratio for more rows of this class."
            )
        nns = kneighbors(ds.X[members[code]], k, n_jobs=n_jobs)[1]
        rows = np.repeat(np.arange(members[code].shape[0]), per_row)
        cols = rs.choice(k, size=n_gen)
        steps = rs.uniform(size=n_gen)
        blocks.append((code, members[code][rows], members[code][nns[rows, cols]], steps, None))
    X_new, y_new = _synthesise(ds, blocks, n_jobs)
    return ds.append(X_new, y_new, return_indices=return_indices)
