"""The command-line demo runs every public method on a small data set."""
import io

import pytest

import resamplekit
from resamplekit.__main__ import DEMO_METHODS, demo, main

pytest.importorskip("sklearn")


def test_demo_shows_every_public_method():
    out = io.StringIO()
    shown = demo(n=600, d=4, out=out)
    text = out.getvalue()
    names = [name for name, _ in DEMO_METHODS if hasattr(resamplekit, name)]
    assert shown == len(names) > 0
    for name in names:
        assert f"\n{name} " in text
    assert "not applicable" not in text


def test_demo_lists_only_public_functions():
    assert {name for name, _ in DEMO_METHODS} <= set(resamplekit.__all__)


def test_command_line(capsys):
    assert main(["demo", "--n", "400", "--d", "3"]) == 0
    assert "data: 400 rows x 3 features" in capsys.readouterr().out
