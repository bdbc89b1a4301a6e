"""Misspelt sequel markers: read "Seaso 2", "Pnrt 2", "Mvoie", "1th" as the markers they garble.

``parse_title`` knows sequel markers by their spelling, so one typo inside a marker word ("Suason 3")
hides the marker: the word stays in the core and the title no longer matches its season. The rest of a
title tolerates typos through edit distances on keys; a marker has to be read correctly first, because
its number decides the work ("Season 2" is not "Season 3").

:func:`respell_markers` gives a second reading of a mention with each word that is one edit from a
marker word (same first letter, ``data/sequel_markers.json``) put back, when the word stands where
that marker stands (a number beside "season", an ordinal before it, "movie" anywhere, …), and each
ordinal with the wrong suffix ("1th", "2rd") given the right one. The linker scores that reading
beside the mention as written, one edit's penalty per word put back. Numbers are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from anigraph.resolve.variants import MARKER_DATA, ORDINAL_WORDS

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_WORDS: dict[str, str] = MARKER_DATA["words"]  # marker word → where it counts as a marker
_NUMBERED = frozenset(w for w, where in _WORDS.items() if where == "numbered")
_NUMERALS = frozenset(MARKER_DATA["japanese_numerals"])
# ordinal words of five letters or more ("first"…"twentieth") may be misspelt before a numbered marker
_ORDINAL_WORDS = {w: "before_marker" for w in ORDINAL_WORDS if len(w) >= 5}
_VOCABULARY = {**_WORDS, **_ORDINAL_WORDS}
_BY_INITIAL: dict[str, tuple[str, ...]] = {}
for _word in _VOCABULARY:
    _BY_INITIAL[_word[0]] = (*_BY_INITIAL.get(_word[0], ()), _word)
_ROMAN = frozenset({"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})
_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_ENDINGS = frozenset({"s", "e", "es"})


@dataclass(frozen=True, slots=True)
class Respelt:
    """A mention with its misspelt markers put back."""

    text: str
    edits: int  # words put back (each one edit)
    fixes: tuple[tuple[str, str], ...]  # (as written, as meant)

    def describe(self) -> str:
        shown = ", ".join(f"{written!r} for {meant!r}" for written, meant in self.fixes)
        return f"sequel marker misspelt ({shown})"


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _nearest(token: str) -> str | None:
    """The marker word one edit from ``token`` with the same first letter, the one of the same length
    when two are ("speciasl": "specials", not "special"); None when there is none, or no one nearest.

    A marker word with an English ending is another word, not a typo: "Movies", "Finale", "Parts".
    """
    if token in _VOCABULARY or len(token) < 3:
        return None
    near = sorted(
        (abs(len(w) - len(token)), w)
        for w in _BY_INITIAL.get(token[0], ())
        if abs(len(w) - len(token)) <= 1 and OSA.distance(token, w, score_cutoff=1) <= 1
    )
    if not near or (len(near) > 1 and near[0][0] == near[1][0]):
        return None
    word = near[0][1]
    return None if token[len(word) :] in _ENDINGS and token.startswith(word) else word


def _is_number(token: str) -> bool:
    return (token.isdigit() and len(token) <= 2) or token in _ROMAN or token in ORDINAL_WORDS


@lru_cache(maxsize=4096)
def respell_markers(text: str) -> Respelt | None:
    """``text`` with its misspelt sequel markers put back (see module docstring); None when none is."""
    tokens = [(m.start(), m.end(), m.group(0).casefold()) for m in _TOKEN.finditer(text)]
    words = [t for _s, _e, t in tokens]

    def ordinal_at(i: int) -> bool:  # "2nd", "second", "secnod" before a marker
        if i < 0:
            return False
        if words[i] in ORDINAL_WORDS:
            return True
        return words[i] in _SUFFIXES and i > 0 and words[i - 1].isdigit() and tokens[i - 1][1] == tokens[i][0]

    fixes: list[tuple[int, int, str, tuple[str, str]]] = []  # (start, end, replacement, (written, meant))
    for i, (start, end, token) in enumerate(tokens):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if token in _SUFFIXES:  # an ordinal's suffix: "1th" → "1st"
            if prev.isdigit() and tokens[i - 1][1] == start:
                right = ordinal_suffix(int(prev))
                if token != right:
                    fixes.append((start, end, right, (f"{prev}{token}", f"{prev}{right}")))
            continue
        if not token.isascii() or token.isdigit():
            continue
        word = _nearest(token)
        if word is None:
            continue
        where = _VOCABULARY[word]
        if where == "numbered":
            fits = _is_number(nxt) or ordinal_at(i - 1) or prev == "final"
        elif where == "anywhere":
            fits = True
        elif where == "last_or_numbered":
            fits = i == len(tokens) - 1 or _is_number(nxt)
        elif where == "after_word":
            fits = i > 0 and nxt != "fantasy"
        elif where == "after_numeral_no":
            fits = (prev == "no" and i > 1 and words[i - 2] in _NUMERALS) or (
                prev.endswith("no") and prev[:-2] in _NUMERALS
            )
        else:  # before_marker: an ordinal word before "season", "part", …
            fits = nxt in _NUMBERED
        if fits:
            fixes.append((start, end, word, (text[start:end], word)))
    if not fixes:
        return None
    out: list[str] = []
    last = 0
    for start, end, replacement, _shown in fixes:
        out.append(text[last:start] + replacement)
        last = end
    out.append(text[last:])
    return Respelt("".join(out), len(fixes), tuple(shown for _s, _e, _r, shown in fixes))
