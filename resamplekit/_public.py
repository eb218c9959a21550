"""The one decorator every public resampling function wears.

``@public(hints)`` is, from the outside in: :func:`resamplekit._validation.keyword_hints` (a
keyword the function does not take, such as imbalanced-learn's ``sampling_strategy``, raises a
TypeError that names the right one), :func:`resamplekit._progress.named` (progress events carry
the function's name) and :func:`resamplekit._weights.weighted` (the ``sample_weight`` keyword).
A correct call without weights pays three Python calls (well under a microsecond).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._progress import named
from ._validation import keyword_hints
from ._weights import weighted

__all__ = ["public"]

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
