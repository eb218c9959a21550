"""Over-sampling: add rows to the smaller classes."""
import numbers
from collections.abc import Mapping

import numpy as np

from ._strategy import target_counts
from ._validation import check_random_state, check_X_y

__all__ = ["random_over"]

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
