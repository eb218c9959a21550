"""The public API's type hints: complete, resolvable, faithful to the signatures, and checked.

- Every public function (``resamplekit.__all__``) and every public method of the estimator
  classes annotates all its parameters and its return, and ``typing.get_type_hints`` resolves
  them at run time.
- The functions are overloaded on ``return_indices``, ``return_provenance`` (and RENN's
  ``return_n_iter``), and on ``sample_weight`` given or not; each overload has the
  implementation's parameters.
- The annotated signatures are the documented ones: names and order as in the numpydoc
  Parameters section, X and y positional and the rest keyword-only, defaults as documented.
- The package ships ``py.typed``.
- mypy passes on the package, accepts correct uses and rejects wrong ones (a snippet below).
"""
import ast
import inspect
import pathlib
import re
import subprocess
import sys
import textwrap
import typing

import pytest

import resamplekit
from resamplekit import _strategy, _typing

PACKAGE_DIR = pathlib.Path(resamplekit.__file__).parent
REPO_DIR = PACKAGE_DIR.parent
FUNCTIONS = sorted(resamplekit.__all__)

# Positional parameters of the estimator classes (imbalanced-learn's); all others keyword-only.
POSITIONAL = {"SMOTENC": ["categorical_features"], "SMOTEN": ["categorical_encoder"]}
# Defaults the whole API shares, also where a docstring does not repeat them.
SHARED_DEFAULTS = {"ratio": "auto", "sampling_strategy": "auto", "random_state": None,
                   "n_jobs": None, "return_indices": False,
                   "return_provenance": False}


def _estimators():
    pytest.importorskip("sklearn")
    from resamplekit import estimators

    return estimators


def _estimator_names():
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return []
    from resamplekit import estimators

    return sorted(estimators.__all__)


def _public_methods(cls):
    """The constructor and the public methods the class gets from resamplekit.estimators."""
    out = {}
    for name, fn in inspect.getmembers(cls, inspect.isfunction):
        if fn.__module__ == "resamplekit.estimators" and (
            not name.startswith("_") or name in ("__init__", "__sklearn_tags__")
        ):
            out[name] = fn
    return out


def _assert_annotated(fn, what):
    sig = inspect.signature(fn)
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        assert p.annotation is not inspect.Parameter.empty, f"{what}: {p.name} not annotated"
    assert sig.return_annotation is not inspect.Signature.empty, f"{what}: return not annotated"
    hints = typing.get_type_hints(fn)  # raises if an annotation does not resolve
    missing = {p for p in sig.parameters if p != "self"} - set(hints)
    assert not missing and "return" in hints, f"{what}: unresolved {missing}"


# --------------------------------------------------------------------------- annotations


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_is_annotated(name):
    _assert_annotated(getattr(resamplekit, name), name)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads is Python 3.11+")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_overloads_match_implementation(name):
    fn = getattr(resamplekit, name)
    overloads = typing.get_overloads(fn)
    params = inspect.signature(fn).parameters
    flags = [p for p in ("return_indices", "return_n_iter", "return_provenance") if p in params]
    assert flags == ["return_indices", "return_provenance"] or (
        name == "repeated_edited_nearest_neighbours")
    # one per combination of the flags without weights, one for any flags, one with weights
    assert len(overloads) == 2 ** len(flags) + 2, f"{name}: {len(overloads)} overloads"
    impl = [(p.name, p.kind) for p in params.values()]
    for ov in overloads:
        assert [(p.name, p.kind) for p in inspect.signature(ov).parameters.values()] == impl
        typing.get_type_hints(ov)


@pytest.mark.parametrize("name", _estimator_names())
def test_estimator_methods_are_annotated(name):
    cls = getattr(_estimators(), name)
    methods = _public_methods(cls)
    assert {"__init__", "fit", "fit_resample", "fit_sample"} <= set(methods)
    for method, fn in methods.items():
        _assert_annotated(fn, f"{name}.{method}")


def test_ratio_aliases_name_the_resolver_strategies():
    """The Literal strings of each ratio alias are exactly what _strategy accepts."""
    for alias, kind in ((_typing.OverRatio, "over"), (_typing.UnderRatio, "under"),
                        (_typing.CleanRatio, "clean")):
        literals = [a for a in typing.get_args(alias) if typing.get_origin(a) is typing.Literal]
        assert len(literals) == 1
        assert set(typing.get_args(literals[0])) == set(_strategy._STRINGS[kind])


# ----------------------------------------------------- signatures equal the documented ones


def _documented_parameters(doc):
    """[(name, default source or None)] of a numpydoc Parameters section."""
    doc = inspect.cleandoc(doc)
    section = re.search(r"^Parameters\n-+\n(.*?)(?=^\w[\w ]*\n-+\n|\Z)", doc, re.S | re.M)
    assert section, "no Parameters section"
    out = []
    for line in section.group(1).splitlines():
        m = re.match(r"^(\w+)\s*:\s*(.*)$", line)
        if m:
            default = re.search(r",\s*default\s*=\s*(.+?)\s*$", m.group(2))
            out.append((m.group(1), default.group(1) if default else None))
    return out


def _check_against_doc(sig, doc, positional, what):
    params = [p for p in sig.parameters.values() if p.name != "self"]
    documented = _documented_parameters(doc)
    assert [p.name for p in params] == [n for n, _ in documented], what
    for p, (_, default) in zip(params, documented):
        expected = (inspect.Parameter.POSITIONAL_OR_KEYWORD if p.name in positional
                    else inspect.Parameter.KEYWORD_ONLY)
        assert p.kind == expected, f"{what}: {p.name} is {p.kind}"
        if default is not None:
            assert p.default == ast.literal_eval(default), f"{what}: {p.name}={p.default!r}"
        if p.name in SHARED_DEFAULTS:
            assert p.default == SHARED_DEFAULTS[p.name], f"{what}: {p.name}={p.default!r}"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_signature_is_the_documented_one(name):
    fn = getattr(resamplekit, name)
    _check_against_doc(inspect.signature(fn), fn.__doc__, {"X", "y"}, name)


@pytest.mark.parametrize("name", _estimator_names())
def test_estimator_signature_is_the_documented_one(name):
    cls = getattr(_estimators(), name)
    _check_against_doc(inspect.signature(cls), cls.__doc__, set(POSITIONAL.get(name, [])), name)
    expected = {"fit": ["self", "X", "y"],
                "fit_resample": ["self", "X", "y", "sample_weight"],
                "fit_sample": ["self", "X", "y", "sample_weight"]}
    for method, names in expected.items():
        params = list(inspect.signature(getattr(cls, method)).parameters)
        assert params == names, f"{name}.{method}: {params}"


# ------------------------------------------------------------------------------ packaging


def test_package_ships_py_typed():
    assert (PACKAGE_DIR / "py.typed").is_file()
    pyproject = REPO_DIR / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("not run from a source tree")
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads(pyproject.read_text())
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["resamplekit"]


def test_import_loads_no_typing_only_dependency():
    """The annotations import nothing that ``import resamplekit`` did not load before them."""
    code = ("import sys, resamplekit; print(sorted(m for m in "
            "('sklearn', 'pandas', 'imblearn', 'mypy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO_DIR, check=True).stdout.strip()
    assert out == "[]"


# ----------------------------------------------------------------------------------- mypy

# Each line marked "# error" must be rejected, every other line accepted.
USAGE = '''
import numpy as np
import numpy.typing as npt

import resamplekit as rk
from resamplekit.estimators import SMOTE, SMOTEENN, EditedNearestNeighbours, RandomOverSampler

X = np.zeros((20, 2))
y = np.array([0] * 15 + [1] * 5)

X_res, y_res = rk.smote(X, y, k=3, ratio="minority", random_state=0, n_jobs=2)
X_res, y_res, idx = rk.smote(X, y, return_indices=True)
rows: npt.NDArray[np.intp] = idx
X_res, y_res, record = rk.smote(X, y, return_provenance=True)
X_res, y_res, idx, record = rk.tomek_links(X, y, return_indices=True, return_provenance=True)
X_res, y_res, idx, n_iter, record = rk.repeated_edited_nearest_neighbours(
    X, y, return_indices=True, return_n_iter=True, return_provenance=True)
flag: bool = bool(len(y) % 2)
out = rk.tomek_links(X, y, ratio=[0], return_indices=flag)
X_res, y_res = rk.random_under(X.tolist(), list(y), ratio={0: 5},
                               random_state=np.random.default_rng(0))
X_res, y_res = rk.random_over(X, y, ratio=lambda labels: {1: 15}, shrinkage=0.5)
counts = {0: 5, 1: 5}
factors = {1: 2}
X_res, y_res = rk.random_under(X, y, ratio=counts)
X_res, y_res = rk.random_over(X, y, shrinkage=factors)
X_res, y_res, idx, n_iter = rk.repeated_edited_nearest_neighbours(
    X, y, return_indices=True, return_n_iter=True)
rounds: int = n_iter
weights = np.ones(20)
X_res, y_res, w_res = rk.smote(X, y, sample_weight=weights)
X_res, y_res, w_res, idx, record = rk.tomek_links(
    X, y, sample_weight=list(weights), return_indices=True, return_provenance=True)
X_res, y_res, n_iter = rk.repeated_edited_nearest_neighbours(X, y, return_n_iter=True)
X_res, y_res = rk.near_miss(X, y, version=2, k=1)
X_res, y_res = rk.kmeans_smote(X, y, kmeans_estimator=2, density_exponent="auto")
X_res, y_res = rk.smotenc(X, y, categorical_features=[1])

sampler: SMOTE = SMOTE(k_neighbors=3, random_state=0).fit(X, y)
combined = SMOTEENN(smote=SMOTE(), enn=EditedNearestNeighbours(n_neighbors=3))
X_res, y_res = combined.fit_resample(X, y)
X_res, y_res = RandomOverSampler(sampling_strategy=counts, shrinkage=factors).fit_resample(X, y)

X_res, y_res = rk.smote(X, y, return_indices=True)  # error: three results
X_res, y_res, idx = rk.smote(X, y)  # error: two results
X_res, y_res = rk.smote(X, y, return_provenance=True)  # error: three results
rk.smote(X, y, ratio="majority")  # error: not an over-sampling strategy
rk.random_under(X, y, ratio="minority")  # error: not an under-sampling strategy
rk.tomek_links(X, y, ratio=0.5)  # error: cleaning takes a name or a list
rk.smote(X, y, k="5")  # error: k is an int
rk.smote(X, y, 5)  # error: keyword-only
rk.smote(X, y, k_neighbors=5)  # error: imbalanced-learn's name, not the function's
rk.edited_nearest_neighbours(X, y, kind_sel="any")  # error: 'all' or 'mode'
rk.random_over(X, y, random_state="0")  # error: not a seed
SMOTE(random_state=np.random.default_rng(0))  # error: scikit-learn takes no Generator
'''


def test_mypy_accepts_the_package_and_correct_use_and_rejects_misuse(tmp_path):
    pytest.importorskip("mypy")
    pytest.importorskip("sklearn")
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent(USAGE))
    expected = {i for i, line in enumerate(usage.read_text().splitlines(), 1)
                if "# error" in line}
    config = REPO_DIR / "pyproject.toml"
    args = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"),
            "--no-error-summary", "--hide-error-context", "--show-error-codes"]
    if config.exists():
        args += ["--config-file", str(config)]
    else:
        args += ["--python-version", "3.10", "--ignore-missing-imports"]
    res = subprocess.run(args + [str(PACKAGE_DIR), str(usage)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=300)
    errors = [line for line in res.stdout.splitlines() if ": error:" in line]
    outside = [e for e in errors if not e.startswith(f"{usage.name}:")]
    assert not outside, "\n".join(outside)
    reported = {int(e.split(":")[1]) for e in errors if e.startswith(f"{usage.name}:")}
    assert reported == expected, (
        f"wrongly rejected lines: {sorted(reported - expected)}; "
        f"wrongly accepted lines: {sorted(expected - reported)}\n{res.stdout}{res.stderr}"
    )
    assert res.returncode == 1
