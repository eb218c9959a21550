"""The one decorator every public resampling function wears.

``@public(hints)`` is, from the outside in: :func:`resamplekit._validation.keyword_hints` (a
keyword the function does not take, such as imbalanced-learn's ``sampling_strategy``, raises a
TypeError that names the right one), :func:`resamplekit._progress.named` (progress events carry
the function's name) and :func:`resamplekit._weights.weighted` (the ``sample_weight`` keyword).
A correct call without weights pays three Python calls (well under a microsecond).
"""
from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any, TypeVar

from ._progress import named
from ._validation import keyword_hints
from ._weights import weighted

__all__ = ["public", "warn_caller"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

_F = TypeVar("_F", bound=Callable[..., Any])


def public(hints: Mapping[str, str] | None = None) -> Callable[[_F], _F]:
    """Decorate a public resampling function (see the module docstring).

    Parameters
    ----------
    hints : dict or None
        {keyword: explanation} for keywords that need more than a rename (keyword_hints).
    """
    def decorate(function: _F) -> _F:
        return keyword_hints(hints)(named(weighted(function)))

    return decorate


def warn_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """warnings.warn, attributed to the first frame outside resamplekit: the user's call of
    a public function, however many wrappers and helpers stand between (what
    ``skip_file_prefixes`` does from Python 3.12 on)."""
    level = 2  # the caller of warn_caller
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level)
