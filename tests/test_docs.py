"""The documentation's pages: every public name has an API entry, and the pages' examples run.

The Sphinx build itself (and the gallery) runs in CI's docs step, not here: these checks read
the .rst sources only, and run their ``>>>`` examples with the standard doctest module.
"""
import doctest
import importlib.util
import re
import sys
from pathlib import Path

import pytest

import resamplekit

DOCS = Path(__file__).resolve().parent.parent / "docs"

# Names another part of the package adds to the top level beside the methods; listed on the
# API page once they exist.
EXTRA_PUBLIC = ["report_progress", "Progress"]


def autosummary_entries(page):
    """{current module: [names]} listed by the live (uncommented) autosummary directives of
    an .rst page."""
    entries = {}
    module = None
    in_summary = False
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        directive = re.match(r"\.\. (\S+)::\s*(\S*)", line)
        if directive:
            in_summary = directive.group(1) == "autosummary"
            if directive.group(1) == "currentmodule":
                module = directive.group(2)
            continue
        if in_summary:
            if not line.strip() or line.lstrip().startswith(":"):
                continue
            if not line.startswith((" ", "\t")):
                in_summary = False
                continue
            entries.setdefault(module, []).append(line.strip())
    return entries


def test_autosummary_parser_reads_only_live_directives(tmp_path, monkeypatch):
    page = tmp_path / "page.rst"
    page.write_text(
        ".. currentmodule:: pkg\n\n.. autosummary::\n   :toctree: generated/\n\n   one\n   two\n\n"
        "Text\n\n..\n   .. autosummary::\n\n      hidden\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "DOCS", tmp_path)
    assert autosummary_entries("page.rst") == {"pkg": ["one", "two"]}


def expected_functions():
    names = set(resamplekit.__all__)
    names.update(name for name in EXTRA_PUBLIC if hasattr(resamplekit, name))
    return names


def test_api_page_lists_every_public_function():
    listed = autosummary_entries("api.rst").get("resamplekit", [])
    missing = sorted(expected_functions() - set(listed))
    assert not missing, f"docs/api.rst has no autosummary entry for: {', '.join(missing)}"
    unknown = sorted(name for name in listed if not hasattr(resamplekit, name))
    assert not unknown, f"docs/api.rst lists names resamplekit does not have: {unknown}"
    assert len(listed) == len(set(listed)), "docs/api.rst lists a name twice"


def test_estimators_page_lists_every_class():
    estimators = pytest.importorskip("resamplekit.estimators")
    listed = autosummary_entries("estimators.rst").get("resamplekit.estimators", [])
    missing = sorted(set(estimators.__all__) - set(listed))
    assert not missing, f"docs/estimators.rst has no autosummary entry for: {', '.join(missing)}"
    assert len(listed) == len(set(listed)), "docs/estimators.rst lists a class twice"


def test_every_page_is_in_the_toctree():
    index = (DOCS / "index.rst").read_text(encoding="utf-8")
    toctree = {line.strip() for line in index.split(".. toctree::", 1)[1].splitlines()
               if line.startswith("   ") and not line.strip().startswith(":")}
    # sg_execution_times.rst: written by the gallery build, which lists it itself
    pages = {path.stem for path in DOCS.glob("*.rst")} - {"index", "sg_execution_times"}
    assert pages <= toctree, f"pages missing from index.rst's toctree: {sorted(pages - toctree)}"
    assert "auto_examples/index" in toctree


# page -> modules its examples need (skipped when one is not installed)
PAGES_WITH_EXAMPLES = {
    "user_guide.rst": ["sklearn", "scipy", "polars"],
    "migrating.rst": ["sklearn", "imblearn"],
}


@pytest.mark.parametrize("page", sorted(PAGES_WITH_EXAMPLES))
def test_page_examples(page):
    for module in PAGES_WITH_EXAMPLES[page]:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{page}'s examples need {module}")
    text = (DOCS / page).read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page, str(DOCS / page), 0)
    assert test.examples, f"{page} has no >>> examples"
    report = []
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)
