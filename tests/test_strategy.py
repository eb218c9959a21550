"""The ratio resolver against imbalanced-learn's own ``check_sampling_strategy``.

imbalanced-learn checks ``sampling_strategy`` twice: the sampler's parameter constraints
(sklearn ``_parameter_constraints``), then ``check_sampling_strategy``. The oracle below runs
both, so "imblearn raises" means what a user of RandomOverSampler, RandomUnderSampler or a
cleaning sampler (EditedNearestNeighbours) would see.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import EditedNearestNeighbours, RandomUnderSampler
from imblearn.utils import check_sampling_strategy
from sklearn.utils._param_validation import validate_parameter_constraints

from resamplekit._strategy import decode, sampling_strategy, target_counts
from resamplekit._validation import encode_labels

SAMPLING_TYPE = {"over": "over-sampling", "under": "under-sampling", "clean": "clean-sampling"}
CONSTRAINTS = {
    "over": RandomOverSampler._parameter_constraints["sampling_strategy"],
    "under": RandomUnderSampler._parameter_constraints["sampling_strategy"],
    "clean": EditedNearestNeighbours._parameter_constraints["sampling_strategy"],
}
STRINGS = ["auto", "minority", "majority", "not minority", "not majority", "all"]


def imblearn_targets(ratio, y, kind):
    """imbalanced-learn's ``sampling_strategy_`` for a sampler of ``kind`` (or its error)."""
    validate_parameter_constraints(
        {"sampling_strategy": CONSTRAINTS[kind]}, {"sampling_strategy": ratio}, caller_name="s"
    )
    with np.errstate(all="ignore"):  # imblearn divides by tiny floats
        out = check_sampling_strategy(ratio, y, SAMPLING_TYPE[kind])
    if out is None:  # a type check_sampling_strategy does not handle: the sampler fails later
        raise ValueError("imblearn returned None")
    return list(out.items())


def ours(ratio, y, kind):
    return list(sampling_strategy(ratio, y, kind).items())


def outcome(fn, *args):
    """("ok", result) or ("error", None); resamplekit must only raise ValueError/TypeError."""
    caught = (ValueError, TypeError) if fn is ours else Exception
    try:
        return "ok", fn(*args)
    except caught:
        return "error", None


@st.composite
def problems(draw):
    n_classes = draw(st.one_of(st.just(2), st.integers(2, 8)))  # binary often: floats
    counts = draw(st.lists(st.integers(1, 10_000), min_size=n_classes, max_size=n_classes))
    if draw(st.booleans()):
        labels = np.array(draw(st.lists(st.integers(-50, 50), min_size=n_classes,
                                        max_size=n_classes, unique=True)))
    else:
        labels = np.array([f"c{i}" for i in draw(st.permutations(range(n_classes)))])
    y = np.repeat(labels, counts)
    count_of = dict(zip(labels.tolist(), counts))
    unknown = 99 if labels.dtype.kind == "i" else "zz"

    def some_labels():
        chosen = draw(st.lists(st.sampled_from(labels.tolist()), max_size=n_classes))
        if draw(st.integers(0, 9)) == 0:
            chosen.append(unknown)
        return chosen

    def count_for(label):
        have = count_of.get(label, 5)
        return draw(st.sampled_from([have, have - 1, have + 1, 0, -1, 2 * have, have // 2]))

    form = draw(st.sampled_from(["str", "float", "dict", "list", "callable"]))
    if form == "str":
        ratio = draw(st.sampled_from(STRINGS + ["bogus"]))
    elif form == "float":
        ratio = draw(st.one_of(
            st.floats(-0.2, 1.3, allow_nan=False),
            st.sampled_from([0, 1, 0.0, 1.0, 0.5, min(counts) / max(counts)]),
        ))
    elif form == "dict":
        ratio = {label: count_for(label) for label in some_labels()}
    elif form == "list":
        ratio = some_labels()
    else:
        factor = draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0]))
        targeted = some_labels()

        def ratio(yy, targeted=targeted, factor=factor):
            return {lab: int(factor * np.count_nonzero(yy == lab)) for lab in targeted}

    return y, ratio, draw(st.sampled_from(["over", "under", "clean"]))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_same_targets_as_imblearn_or_both_raise(problem):
    y, ratio, kind = problem
    expected = outcome(imblearn_targets, ratio, y, kind)
    event(f"{kind} {type(ratio).__name__} {expected[0]}")
    got = outcome(ours, ratio, y, kind)
    if expected[0] == "error":
        assert got[0] == "error", f"imblearn raises, we return {got[1]}"
    else:
        assert got == expected


@pytest.mark.parametrize("kind", ["over", "under", "clean"])
@pytest.mark.parametrize("ratio", STRINGS)
def test_every_string_with_ties(kind, ratio):
    # Ties in class counts: the smallest label is both the minority and the majority.
    y = np.array([1] * 10 + [0] * 10 + [2] * 10 + [3] * 4 + [5] * 4)
    assert outcome(ours, ratio, y, kind) == outcome(imblearn_targets, ratio, y, kind)


Y3 = np.array([0] * 10 + [1] * 5 + [2] * 3)


@pytest.mark.parametrize(
    "ratio, kind, exc, match",
    [
        ("majority", "over", ValueError, "Over-sampling cannot grow the largest class"),
        ("minority", "under", ValueError, "use 'majority' or 'not minority'"),
        ("minority", "clean", ValueError, "use 'majority' or 'not minority'"),
        ("bogus", "over", ValueError, r"ratio must be one of .* got 'bogus'"),
        (0.5, "over", ValueError, "only for binary targets; y has 3 classes"),
        (0.5, "clean", ValueError, "cannot be a float for cleaning methods"),
        ({0: 5}, "clean", ValueError, "cannot be a dict for cleaning methods"),
        (lambda y: {0: 5}, "clean", ValueError, "cannot be a callable for cleaning methods"),
        ([0], "over", ValueError, "cannot be a list for over-sampling"),
        ([0], "under", ValueError, "cannot be a list for under-sampling"),
        ({7: 5}, "under", ValueError, r"classes that are not in y: \{7\}"),
        ([7], "clean", ValueError, r"classes that are not in y: \{7\}"),
        ({1: -1}, "under", ValueError, "must not contain negative counts"),
        ({1: 2.5}, "under", TypeError, "ratio counts must be integers"),
        ({1: 4}, "over", ValueError, "cannot remove rows. Ask for at least 5"),
        ({1: 6}, "under", ValueError, "cannot add rows. Ask for at most 5"),
        (lambda y: [0], "over", TypeError, "must return a dict"),
        ((0, 1), "clean", TypeError, "ratio must be a str such as 'auto' or a list"),
        (None, "over", TypeError, "ratio must be a str, a float"),
        (True, "under", TypeError, "ratio must be a str, a float"),
    ],
)
def test_errors(ratio, kind, exc, match):
    with pytest.raises(exc, match=match):
        sampling_strategy(ratio, Y3, kind)
    # Every one of these is an error in imbalanced-learn too, except True (read as 1.0 there)
    # and a float count (returned as a float target, the sampler fails on it later).
    if ratio is not True and ratio != {1: 2.5}:
        assert outcome(imblearn_targets, ratio, Y3, kind)[0] == "error"


@pytest.mark.parametrize(
    "ratio, kind, match",
    [
        (1.5, "over", r"range \(0, 1\], got 1.5"),
        (0.0, "under", r"range \(0, 1\], got 0.0"),
        (float("nan"), "over", r"range \(0, 1\], got nan"),
        (0.1, "over", "asks an over-sampler to remove minority rows"),
        (0.1, "under", "asks an under-sampler to add majority rows"),
    ],
)
def test_float_errors_binary(ratio, kind, match):
    y = np.array([0] * 10 + [1] * 5)
    with pytest.raises(ValueError, match=match):
        sampling_strategy(ratio, y, kind)
    assert outcome(imblearn_targets, ratio, y, kind)[0] == "error"


def test_one_class():
    with pytest.raises(ValueError, match="at least 2 classes, got 1 class"):
        target_counts("auto", np.zeros(5, dtype=np.intp), np.array([3]), "over")


def test_bad_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        target_counts("auto", np.array([0, 1]), np.array([0, 1]), "sideways")


def test_codes_and_labels():
    y = np.array(["b"] * 6 + ["a"] * 2 + ["c"] * 3)
    _, classes, codes = encode_labels(y)
    targets = target_counts("auto", codes, classes, "over")
    assert targets == {0: 4, 2: 3}
    assert decode(targets, classes) == {"a": 4, "c": 3}
    assert list(sampling_strategy({"c": 1, "a": 2}, y, "under")) == ["a", "c"]


def test_dict_keys_match_labels_across_types():
    # As in imbalanced-learn, a key matches a label that is equal to it (1.0 == 1 == True).
    y = np.array([0] * 5 + [1] * 3)
    assert sampling_strategy({1.0: 2}, y, "under") == {1: 2}
    assert sampling_strategy({np.int64(1): 2}, y, "under") == {1: 2}
    assert ours({1.0: 2}, y, "under") == imblearn_targets({1.0: 2}, y, "under")


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    st.floats(0.0, 1.0, exclude_min=True),
    st.sampled_from(["over", "under"]),
)
def test_binary_float_as_imblearn(n0, n1, ratio, kind):
    y = np.repeat(np.array([0, 1]), [n0, n1])
    event(f"{kind} {outcome(imblearn_targets, ratio, y, kind)[0]}")
    assert outcome(ours, ratio, y, kind) == outcome(imblearn_targets, ratio, y, kind)
