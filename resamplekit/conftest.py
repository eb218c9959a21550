"""pytest configuration of the docstring examples (``python -m pytest`` runs them with
``--doctest-modules``: see ``[tool.pytest.ini_options]`` in pyproject.toml).

An example that stops on an ImportError of an optional dependency that is not installed
(pandas) is reported as skipped, not failed. scikit-learn is a dependency of resamplekit, so an
example that fails without it fails.
"""
import doctest
import importlib

import pytest

# import name -> what to install
OPTIONAL = {"pandas": "pandas", "dask": "resamplekit[dask]", "distributed": "resamplekit[dask]"}


def _importable(module):
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


MISSING = {module for module in OPTIONAL if not _importable(module)}

# resamplekit.dask imports dask at the top: without it the module (and its examples) is skipped.
collect_ignore = ["dask.py"] if "dask" in MISSING else []


def _missing_dependency(exc):
    """The optional dependency, not installed, whose import raised exc (or caused it)."""
    while exc is not None:
        name = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
        if name and name.partition(".")[0] in MISSING:
            return OPTIONAL[name.partition(".")[0]]
        exc = exc.__cause__ or exc.__context__
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (MISSING and report.failed and call.when == "call" and hasattr(item, "dtest")):
        return
    # the first failing example (later ones fail because it did)
    failure = getattr(call.excinfo.value, "failures", [call.excinfo.value])[0]
    if isinstance(failure, doctest.UnexpectedException):
        missing = _missing_dependency(failure.exc_info[1])
        if missing:
            report.outcome = "skipped"
            line = failure.test.lineno + failure.example.lineno + 1
            report.longrepr = (str(item.path), line, f"Skipped: needs {missing}")
