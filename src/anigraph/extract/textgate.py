"""Cheap word gates in front of costly case-insensitive patterns.

A pattern compiled with ``re.IGNORECASE`` that must contain a word can only match a text whose
``lower()`` contains that word, except for the few characters ``lower()`` turns into an ASCII
letter or IGNORECASE matches with one (İ ı ſ K): texts holding one of them get no gate.
"""

from __future__ import annotations

import re

# the only characters that lower() turns into, or IGNORECASE matches with, an ASCII letter
_FOLD_RISK = re.compile("[\u0130\u0131\u017f\u212a]")


def lowered(text: str) -> str | None:
    """``text.lower()`` for word gates, None when no gate may be trusted on this text."""
    return None if _FOLD_RISK.search(text) else text.lower()


def may_hold(low: str | None, words: tuple[str, ...]) -> bool:
    """False only when the lowered text holds none of ``words`` (lowercase ASCII)."""
    if low is None:
        return True
    for word in words:  # noqa: SIM110 (a loop is faster than any() over a generator here)
        if word in low:
            return True
    return False
