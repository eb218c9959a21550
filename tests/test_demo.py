"""The command-line demo runs every public method on a small data set."""
import io

import pytest

import resamplekit
from resamplekit import _cli
from resamplekit.__main__ import (DEMO_METHODS, DEMO_MIN_FEATURES, DEMO_MIN_ROWS, demo,
                                  main)


def test_demo_shows_every_public_method_at_the_minimum_size():
    out = io.StringIO()
    shown = demo(n=DEMO_MIN_ROWS, d=DEMO_MIN_FEATURES, out=out)
    text = out.getvalue()
    assert shown == len(DEMO_METHODS)
    for name, _, _ in DEMO_METHODS:
        assert f"\n{name} " in text
    assert "not applicable" not in text
    assert "skipped" not in text


def test_demo_covers_every_public_method():
    names = [name for name, _, _ in DEMO_METHODS]
    assert len(names) == len(set(names))
    assert set(names) == {name for name, _, _ in _cli.public_methods()}
    assert set(names) <= set(resamplekit.__all__)


def test_command_line(capsys):
    assert main(["demo", "--n", "400", "--d", "3"]) == 0
    out = capsys.readouterr().out
    assert "data: 400 rows x 3 features" in out
    assert "\nsmotenc " in out and "\nsmoten " in out


@pytest.mark.parametrize("args, message", [
    (["--n", "-5"], f"--n must be an integer >= {DEMO_MIN_ROWS}, got -5"),
    (["--n", "0"], f"--n must be an integer >= {DEMO_MIN_ROWS}, got 0"),
    (["--n", str(DEMO_MIN_ROWS - 1)],
     f"--n must be an integer >= {DEMO_MIN_ROWS}, got {DEMO_MIN_ROWS - 1}"),
    (["--n", "abc"], f"--n must be an integer >= {DEMO_MIN_ROWS}, got 'abc'"),
    (["--d", "0"], f"--d must be an integer >= {DEMO_MIN_FEATURES}, got 0"),
])
def test_bad_arguments_are_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        main(["demo", *args])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"resamplekit demo: error: {message}\n"


def test_demo_function_checks_its_arguments():
    with pytest.raises(ValueError, match="n must be an integer >= 100, got 99"):
        demo(n=99, out=io.StringIO())
