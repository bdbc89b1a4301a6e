"""Cheap word gates in front of costly case-insensitive patterns.

A pattern compiled with ``re.IGNORECASE`` that must contain a word can only match a text whose
``lower()`` contains that word, except for the few characters ``lower()`` turns into an ASCII
letter or IGNORECASE matches with one (İ ı ſ K): texts holding one of them get no gate.
"""

from __future__ import annotations

import re
import re._constants as _c  # type: ignore[import-not-found]
import re._parser as _parser  # type: ignore[import-not-found]
from typing import Any

MAX_LITERALS = 40
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


class LiteralGate:
    """The literals one of which every match of a pattern contains, read from its parse tree.

    ``may_match`` is False only when the text holds none of them, so ``pattern.search`` there
    would find nothing; with no such literals (``required`` is None) it is always True.
    Literals stop at the first non-ASCII character (its other cases are not all ``lower()``'s).
    """

    __slots__ = ("ignore_case", "pattern", "required")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        found = _required(_parser.parse(pattern.pattern, pattern.flags).data, fold=self.ignore_case)
        # past a few dozen literals, looking each up costs about what the pattern's own scan does
        self.required = tuple(sorted(found)) if found and len(found) <= MAX_LITERALS else None

    def admits(self, chunk: str, low: str | None) -> bool:
        """``may_match(chunk)`` given ``low = lowered(chunk)``, computed once for several gates."""
        if self.required is None:
            return True
        return may_hold(low, self.required) if self.ignore_case else may_hold(chunk, self.required)

    def may_match(self, text: str, start: int = 0, end: int | None = None) -> bool:
        if self.required is None:
            return True
        chunk = text[start:end]
        if self.ignore_case:
            low = lowered(chunk)
            return may_hold(low, self.required)
        return may_hold(chunk, self.required)


def _required(items: Any, *, fold: bool) -> set[str] | None:
    """A set of literals every match of the sequence ``items`` contains one of (None: unknown).

    Each literal run and each element with such a set is necessary on its own; the most
    selective one (longest shortest literal) is kept."""
    found: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL and arg < 128:
            run.append(chr(arg).lower() if fold else chr(arg))
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the literals around it stay adjacent
        if run:
            found.append({"".join(run)})
            run = []
        sub: set[str] | None = None
        if op is _c.SUBPATTERN and not arg[1] and not arg[2]:  # a group without inline flags
            sub = _required(arg[3], fold=fold)
        elif op is _c.BRANCH:
            alts = [_required(alt, fold=fold) for alt in arg[1]]
            if all(a for a in alts):
                sub = set().union(*alts)  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            sub = _required(arg[2], fold=fold)
        if sub:
            found.append(sub)
    if run:
        found.append({"".join(run)})
    if not found:
        return None
    return max(found, key=lambda lits: (min(len(w) for w in lits), -len(lits)))


def any_search(patterns: list[re.Pattern[str]]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Two patterns, ``(anchored, free)``, with ``anchored.match(s) or free.search(s)`` exactly when
    ``any(p.search(s) for p in patterns)``: the patterns that start with ``^`` (and have no top-level
    alternative) can only match at the start, so one ``match`` of their alternation does; the
    others are searched as one alternation. All patterns must share the same flags."""
    flags = {p.flags for p in patterns}
    if len(flags) > 1:
        raise ValueError("patterns with different flags")
    anchored = [p.pattern for p in patterns if _starts_anchored(p)]
    free = [p.pattern for p in patterns if not _starts_anchored(p)]
    flag = next(iter(flags), 0)

    def alternation(bodies: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{b})" for b in bodies), flag) if bodies else None

    return alternation(anchored), alternation(free)


def _starts_anchored(pattern: re.Pattern[str]) -> bool:
    if pattern.flags & re.MULTILINE:
        return False
    items = _parser.parse(pattern.pattern, pattern.flags).data
    return bool(items) and items[0] == (_c.AT, _c.AT_BEGINNING)


# by id(): hashing a Pattern hashes its compiled code; the entry keeps the pattern alive, so its id
# cannot be reused for another one while it is cached
_GATES: dict[int, tuple[re.Pattern[str], LiteralGate]] = {}


def gate_of(pattern: re.Pattern[str]) -> LiteralGate:
    """The (cached) gate of a pattern."""
    entry = _GATES.get(id(pattern))
    if entry is None or entry[0] is not pattern:
        entry = _GATES[id(pattern)] = (pattern, LiteralGate(pattern))
    return entry[1]
