"""Title variants: sequel markers, subtitles, year hints, compact keys and edit explanations.

A title is split into a *core* (what is left after removing sequel markers and a trailing
year) and a *signature* (the sorted sequel markers: ``season:2``, ``part:2``, ``movie``,
``final``, ``r``, ``ova``, …). Two titles may only name the same work when their signatures
agree: "Overlord II" and "Overlord Season 2" do (``season:2``), "Sakamoto Days" and
"Sakamoto Days Season 7" do not. Season 1 and Part 1 count as no marker.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

from anigraph.names import fold

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "forth": 4,  # "fourth" after fold (ou → o)
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_ORDINALS.update({fold(w): n for w, n in list(_ORDINALS.items())})  # "fourteenth" folds to "forteenth"
ORDINAL_WORDS = frozenset(_ORDINALS)
MARKER_DATA = json.loads(
    (resources.files("anigraph.resolve") / "data" / "sequel_markers.json").read_text(encoding="utf-8")
)
# "San no Shou" (chapter three) names a third season
_JAPANESE_NUMERALS: dict[str, int] = MARKER_DATA["japanese_numerals"]
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_NUM = r"(\d{1,2}|" + "|".join(_ORDINALS) + "|" + "|".join(_ROMAN) + ")"
_NTH = r"(\d{1,2})(?:st|nd|rd|th)"

# (pattern, marker name); the first group, when present, is the number.
_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), name)
    for p, name in (
        (rf"\b{_NTH} ?(?:season|stage)\b", "season"),
        (r"\b(" + "|".join(_ORDINALS) + r") ?(?:season|stage)\b", "season"),
        (rf"\b(?:season|stage) ?{_NUM}\b", "season"),
        (r"\bs(\d{1,2})\b", "season"),
        (r"第?(\d{1,2})期", "season"),
        (r"\bshiizun ?(\d{1,2})\b", "season"),
        (r"\b(" + "|".join(_JAPANESE_NUMERALS) + r") ?no sho\b", "season"),
        (rf"\b{_NTH} ?(?:cou?r|part|half)\b", "part"),
        (r"\b(" + "|".join(_ORDINALS) + r") ?(?:cou?r|part|half)\b", "part"),
        (rf"\b(?:part|cou?r|pt) ?{_NUM}\b", "part"),
        (r"第?(\d{1,2})クール", "part"),
        (r"(?<=\w )(?:the )?final(?! fantasy)(?: ?(?:season|chapter|series|part|arc))?\b", "final"),
        (r"\bkanketsu ?hen\b", "final"),
        (r"\b(?:the )?movie(?: (\d{1,2}))?\b", "movie"),
        (r"(?<=\w )(?:the )?film$", "movie"),
        (r"\bgekijo ?ban\b|劇場版", "movie"),
        (r"\b(?:ova|oav|oad)s?(?: (\d{1,2}))?\b", "ova"),
        (r"\b(?:specials?|sp)\b", "special"),
        (r"\brecap\b", "recap"),
        (r"\bzoku\b", "zoku"),
        (r"(?<=\w )r(\d?)$", "r"),
    )
)
# Cheap pre-check: every marker pattern needs a digit or one of these words to match.
_ANY_MARKER = re.compile(
    r"\d|season|stage|part|half|cou?r|pt|final|kanketsu|movie|film|gekijo|劇場版|ova|oav|oad|sp|recap|zoku|期|クール"
    r"|shiizun| r$|no ?sho\b"
)
_TRAILING_YEAR = re.compile(r"(?<=\w) ((?:19[5-9]|20[0-4])\d)$")
_TRAILING_ROMAN = re.compile(r"(?<=\w) (" + "|".join(_ROMAN) + r")$")
_TRAILING_NUMBER = re.compile(r"(?<=[^\d\s]) (0|[1-9]\d?)$")
_TV_SUFFIX = re.compile(r"\s*\((?:tv|tv series|ona|ova|movie)\)\s*$", re.IGNORECASE)
_HEAD_CUT = re.compile(r"\s*[:：]\s|\s[-–—~〜～]|\s\(|\s/\s|\s*[：]")
_SPACES = re.compile(r"\s+")


def _number(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return _ORDINALS.get(text) or _ROMAN.get(text) or _JAPANESE_NUMERALS.get(text)


@dataclass(frozen=True, slots=True)
class TitleForm:
    """A title taken apart for matching."""

    folded: str
    core: str  # folded, sequel markers and trailing year removed
    key: str  # core without spaces or a leading "the": "Re:Zero" and "ReZero" share it
    sig: tuple[str, ...]  # sorted sequel markers, () for a first season
    year: int | None  # a trailing year in the title ("Hunter x Hunter (2011)")


_NUMBER_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_LONG_ORDINALS = tuple((word, str(n)) for word, n in _ORDINALS.items() if len(word) >= 5)
_NUMBER_WORDS = {word: str(n) for word, n in (*_ORDINALS.items(), *_ROMAN.items())}


def numbers(text: str, *, misspelt_words: bool = False) -> tuple[str, ...]:
    """The numbers a folded title states, in order: digit runs ("0083", "2nd", "3.0" → 3, 0),
    ordinal words ("second" → 2) and roman numerals ("iii" → 3; not "x", which joins names).

    Two titles whose numbers differ name different works ("Gundam 0083", "Gundam 0080"), however
    few characters apart they are; "Fate/Zero" states none. With ``misspelt_words`` a word one
    edit from an ordinal of five letters or more counts as it ("Firts" → 1): letters may be typos.
    """
    out: list[str] = []
    for m in _NUMBER_TOKEN.finditer(text):
        token = m.group(0)
        if token.isdigit():
            out.append(token)
        elif token in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[token])
        elif misspelt_words and len(token) >= 5:
            near = [n for w, n in _LONG_ORDINALS if OSA.distance(token, w, score_cutoff=1) <= 1]
            if len(near) == 1:
                out.append(near[0])
    return tuple(out)


def describe_numbers(nums: tuple[str, ...]) -> str:
    return " ".join(nums) if nums else "none"


def compact(text: str) -> str:
    return text.replace(" ", "")


def parse_title(text: str) -> TitleForm:
    """Split a title into core, signature and year hint (see module docstring)."""
    folded = fold(_TV_SUFFIX.sub("", text))
    work = folded
    year: int | None = None
    if m := _TRAILING_YEAR.search(work):
        year = int(m.group(1))
        work = work[: m.start()]
    markers: set[str] = set()
    for pattern, name in _MARKERS if _ANY_MARKER.search(work) else ():
        m = pattern.search(work)
        if m is None:
            continue
        n = _number(m.group(1)) if m.groups() else None
        if name in {"season", "part"}:
            if n is not None and n > 1:
                markers.add(f"{name}:{n}")
        elif name in {"movie", "ova", "r"} and n:
            markers.update({name, f"n:{n}"})
        else:
            markers.add(name)
        work = work[: m.start()] + " " + work[m.end() :]
    work = _SPACES.sub(" ", work).strip()
    if not any(mk.startswith("season:") for mk in markers):
        if m := _TRAILING_ROMAN.search(work):
            markers.add(f"season:{_ROMAN[m.group(1)]}")
            work = work[: m.start()]
        elif (m := _TRAILING_NUMBER.search(work)) and int(m.group(1)) <= 30:
            n = int(m.group(1))
            if n != 1:
                markers.add(f"season:{n}" if n else "zero")
            work = work[: m.start()]
    core = work.strip() or folded
    key = compact(core[4:] if core.startswith("the ") and len(core) > 8 else core)  # "The" is optional
    return TitleForm(folded, core, key, tuple(sorted(markers)), year)


def title_head(text: str) -> str | None:
    """The title before its subtitle: "Re:ZERO -Starting Life in Another World-" → "Re:ZERO"."""
    m = _HEAD_CUT.search(text)
    if m is None or m.start() == 0:
        return None
    head = text[: m.start()].strip()
    return head if len(compact(fold(head))) >= 3 and head != text.strip() else None


def describe_sig(sig: tuple[str, ...]) -> str:
    return ", ".join(sig) if sig else "first season"


def max_edits(length: int, *, kind: str) -> int:
    """Edits tolerated between two keys, given the shorter one's length (short names tolerate none)."""
    steps: tuple[tuple[int, int], ...]
    if kind == "work":
        steps = ((4, 0), (10, 1), (17, 2), (25, 3))
    else:
        steps = ((5, 0), (12, 1), (20, 2))
    for limit, edits in steps:
        if length <= limit:
            return edits
    return max(steps[-1][1], length // 8)


@lru_cache(maxsize=16384)  # the same mention is compared with many aliases, aliases with many mentions
def light_fold(text: str) -> str:
    """Case, accents and punctuation folded but long vowels kept, for explanations ("rouge", not "roge")."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", text)).strip()


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b) or sorted(a) != sorted(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1


def explain_edits(query: str, alias: str) -> str:
    """Say where two titles differ: "1 transposition in 'rouge'", "1 edit in 'rahxephon'"."""
    query, alias = light_fold(query), light_fold(alias)
    q_tokens, a_tokens = query.split(), alias.split()
    if len(q_tokens) == len(a_tokens):
        parts: list[str] = []
        for q, a in zip(q_tokens, a_tokens, strict=True):
            if q == a:
                continue
            if _is_transposition(q, a):
                parts.append(f"1 transposition in {a!r}")
            else:
                d = OSA.distance(q, a)
                parts.append(f"{d} edit{'s' if d != 1 else ''} in {a!r}")
        if parts:
            return "; ".join(parts)
    if compact(query) == compact(alias):
        return "spacing differs"
    d = OSA.distance(compact(query), compact(alias))
    return f"{d} edit{'s' if d != 1 else ''} ({query!r} vs {alias!r})"
