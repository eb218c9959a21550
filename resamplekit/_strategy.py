"""The one ``ratio`` resolver: imbalanced-learn's ``sampling_strategy`` semantics.

``target_counts(ratio, y, classes, kind)`` turns a user's ``ratio`` into an ordered
``{class_code: count}`` dict, for ``kind`` in ``{"over", "under", "clean"}``:

- over-sampling: the number of rows to **generate** for each targeted class;
- under-sampling: the number of rows to **keep** for each targeted class;
- cleaning: only the keys matter (the targeted classes); values are the minority count.

Ties between class counts go to the smallest label (resamplekit's one rule, and the rule of
imbalanced-learn's ``check_sampling_strategy``). ``sampling_strategy(ratio, y, kind)`` gives the
same answer keyed by the original labels (imbalanced-learn's ``sampling_strategy_``).

Every value imbalanced-learn rejects (through its samplers' parameter constraints or
``check_sampling_strategy``) raises here too; the messages say what to do instead. Stricter
than imbalanced-learn: bools are not read as 1.0/0.0, dict counts must be integers, and for
cleaning methods the classes must be given as a list (as imbalanced-learn's constraints ask).
"""
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["target_counts", "sampling_strategy", "decode", "KINDS", "RATIO_WORDS"]

KINDS = ("over", "under", "clean")

_STRINGS = {
    "over": ("auto", "minority", "not minority", "not majority", "all"),
    "under": ("auto", "majority", "not minority", "not majority", "all"),
    "clean": ("auto", "majority", "not minority", "not majority", "all"),
}
# Every word a ratio can be, for any kind of method (the command line's --ratio).
RATIO_WORDS = tuple(dict.fromkeys(("auto", "minority", "majority") + _STRINGS["clean"]))


def _plain(label):
    """A NumPy scalar label as the Python value it holds (no ``np.int64(1)`` in messages)."""
    return label.item() if isinstance(label, np.generic) else label


def _label_list(labels):
    return "{" + ", ".join(repr(_plain(v)) for v in labels) + "}"


def _codes_for(keys, classes):
    """Map original labels to class codes; raise naming the labels that are not in y."""
    lookup = {}
    for code, label in enumerate(classes):
        lookup[label.item() if hasattr(label, "item") else label] = code
    codes, missing = [], []
    for key in keys:
        k = key.item() if hasattr(key, "item") else key
        try:
            codes.append(lookup[k])
        except (KeyError, TypeError):
            missing.append(key)
    if missing:
        raise ValueError(
            f"ratio names classes that are not in y: {_label_list(missing)}; "
            f"the classes of y are {_label_list(classes)}."
        )
    return codes


def target_counts(ratio, y, classes, kind, *, counts=None):
    """Resolve ``ratio`` for a sampler of the given ``kind``.

    Parameters
    ----------
    ratio : str, float, dict, list or callable
        imbalanced-learn's ``sampling_strategy``.
    y : ndarray of int
        Class codes ``0..K-1`` (codes follow the sorted order of the original labels).
    classes : ndarray
        Original labels; ``classes[code]`` is the label of ``code``.
    kind : {"over", "under", "clean"}
    counts : ndarray of int, default=None
        Rows per class code, when ``y`` is not at hand (``resamplekit.dask``: ``y`` may then
        be None; a callable ``ratio`` gets the labels in sorted order, each repeated as often
        as it occurs).

    Returns
    -------
    dict
        ``{code: count}`` sorted by code.

    Examples
    --------
    >>> import numpy as np
    >>> from resamplekit._strategy import target_counts
    >>> y = np.array([0, 0, 0, 0, 1, 1, 2])
    >>> target_counts("auto", y, np.array(["a", "b", "c"]), "over")
    {1: 2, 2: 3}
    >>> target_counts(0.5, np.array([0, 0, 0, 0, 1]), np.array([0, 1]), "under")
    {0: 2}
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if counts is None:
        counts = np.bincount(y, minlength=len(classes))
    else:
        counts = np.asarray(counts, dtype=np.intp)
    n_classes = len(classes)
    if n_classes < 2:
        raise ValueError(
            f"y must contain at least 2 classes, got 1 class ({_label_list(classes)})."
        )
    # argmin/argmax return the first occurrence: ties go to the smallest label.
    minority = int(np.argmin(counts))
    majority = int(np.argmax(counts))
    n_min, n_max = int(counts[minority]), int(counts[majority])
    all_codes = range(n_classes)

    if isinstance(ratio, str):
        allowed = _STRINGS[kind]
        if ratio not in allowed:
            hint = ""
            if ratio == "majority" and kind == "over":
                hint = (
                    " Over-sampling cannot grow the largest class; use 'minority' or "
                    "'not majority'."
                )
            elif ratio == "minority" and kind != "over":
                hint = (
                    " Removing rows from the smallest class is not allowed; use 'majority' or "
                    "'not minority'."
                )
            raise ValueError(
                f"ratio must be one of {allowed} for {kind}-sampling methods, got {ratio!r}.{hint}"
            )
        name = "not majority" if (ratio == "auto" and kind == "over") else ratio
        if name == "auto":
            name = "not minority"
        if name == "minority":
            targeted = [minority]
        elif name == "majority":
            targeted = [majority]
        elif name == "not minority":
            targeted = [c for c in all_codes if c != minority]
        elif name == "not majority":
            targeted = [c for c in all_codes if c != majority]
        else:  # "all"
            targeted = list(all_codes)
        if kind == "over":
            return {c: n_max - int(counts[c]) for c in targeted}
        return {c: n_min for c in targeted}

    if isinstance(ratio, (numbers.Real, np.floating, np.integer)) and not isinstance(
        ratio, (bool, np.bool_)
    ):
        if kind == "clean":
            raise ValueError(
                "ratio cannot be a float for cleaning methods, which choose how many rows to "
                f"remove themselves; got {ratio!r}. Give a list of the classes to clean, or a "
                "string such as 'auto'."
            )
        ratio = float(ratio)
        if not (0.0 < ratio <= 1.0):
            raise ValueError(
                f"ratio as a float must be in the range (0, 1], got {ratio!r}."
            )
        if n_classes != 2:
            raise ValueError(
                f"ratio can be a float only for binary targets; y has {n_classes} classes "
                f"(got ratio={ratio!r}). "
                "For multiclass targets give a dict {label: count}."
            )
        if kind == "over":
            out = {c: int(n_max * ratio - counts[c]) for c in all_codes if c != majority}
            if any(v <= 0 for v in out.values()):
                raise ValueError(
                    f"ratio={ratio!r} asks an over-sampler to remove minority rows: the minority "
                    f"has {n_min} rows and the majority {n_max}, so the ratio must be greater "
                    f"than {n_min / n_max:.6g}. Increase it."
                )
            return out
        wanted = n_min / ratio
        out = {c: int(wanted) if wanted < 2**62 else 2**62 for c in all_codes if c != minority}
        if any(v > counts[c] for c, v in out.items()):
            raise ValueError(
                f"ratio={ratio!r} asks an under-sampler to add majority rows: the minority "
                f"has {n_min} rows and the majority {n_max}, so the ratio must be at least "
                f"{n_min / n_max:.6g}. Increase it."
            )
        return out

    if callable(ratio) and not isinstance(ratio, (Mapping, list)):
        if kind == "clean":
            raise ValueError(
                "ratio cannot be a callable for cleaning methods; give a list of the classes "
                "to clean."
            )
        result = ratio(classes[y] if y is not None else np.repeat(classes, counts))
        if not isinstance(result, Mapping):
            raise TypeError(
                f"ratio as a callable must return a dict {{label: count}}, got "
                f"{type(result).__name__}."
            )
        ratio = result

    if isinstance(ratio, Mapping):
        if kind == "clean":
            raise ValueError(
                f"ratio cannot be a dict for cleaning methods, got {ratio!r}; give a list of "
                "the classes to clean."
            )
        codes = _codes_for(list(ratio), classes)
        for label, n in ratio.items():
            if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
                raise TypeError(
                    f"ratio counts must be integers (the number of rows wanted for the class), "
                    f"got {n!r} for class {_plain(label)!r}."
                )
        negative = {k: v for k, v in ratio.items() if v < 0}
        if negative:
            raise ValueError(
                f"ratio must not contain negative counts, got {negative}; give each class the "
                "number of rows it should have after resampling (>= 0)."
            )
        out = {}
        for code, (label, n) in zip(codes, ratio.items()):
            n, have = int(n), int(counts[code])
            if kind == "over":
                if n < have:
                    raise ValueError(
                        f"ratio asks an over-sampler for {n} rows of class {_plain(label)!r}, "
                        f"which already has {have}; over-sampling cannot remove rows. Ask for "
                        f"at least {have}, or use an under-sampler."
                    )
                out[code] = n - have
            else:
                if n > have:
                    raise ValueError(
                        f"ratio asks an under-sampler for {n} rows of class {_plain(label)!r}, "
                        f"which has only {have}; under-sampling cannot add rows. Ask for at "
                        f"most {have}, or use an over-sampler."
                    )
                out[code] = n
        return dict(sorted(out.items()))

    if isinstance(ratio, list):
        if kind != "clean":
            raise ValueError(
                f"ratio cannot be a list for {kind}-sampling methods; give a dict "
                "{label: count} instead."
            )
        codes = _codes_for(list(ratio), classes)
        return {c: n_min for c in sorted(set(codes))}

    if kind == "clean":
        allowed = "a str such as 'auto' or a list of the labels to clean"
    else:
        allowed = (
            "a str, a float in (0, 1], a dict {label: count} or a callable returning such a dict"
        )
    raise TypeError(f"ratio must be {allowed}; got {ratio!r} ({type(ratio).__name__}).")


def sampling_strategy(ratio, y, kind):
    """imbalanced-learn's ``sampling_strategy_``: ``{label: count}`` sorted by label.

    The same result as ``imblearn.utils.check_sampling_strategy(ratio, y, sampling_type)``
    (with the sampler's parameter constraints applied first); for the estimator adapters.

    Parameters
    ----------
    ratio : str, float, dict, list or callable
        As for :func:`target_counts`.
    y : array-like of shape (n_samples,)
        The original class labels.
    kind : {"over", "under", "clean"}

    Returns
    -------
    dict
        ``{label: count}``, labels as NumPy scalars of ``y``'s dtype, sorted.

    Examples
    --------
    >>> from resamplekit._strategy import sampling_strategy
    >>> y = ["a"] * 5 + ["b"] * 2 + ["c"] * 3
    >>> {str(k): v for k, v in sampling_strategy("auto", y, "over").items()}
    {'b': 3, 'c': 2}
    >>> {str(k): v for k, v in sampling_strategy({"a": 3}, y, "under").items()}
    {'a': 3}
    """
    from ._validation import encode_labels

    _, classes, codes = encode_labels(y)
    return decode(target_counts(ratio, codes, classes, kind), classes)


def decode(targets, classes):
    """``{code: count}`` -> ``{label: count}`` (labels as NumPy scalars, in code order)."""
    return {classes[code]: count for code, count in targets.items()}
