"""Name shapes and within-article coreference for people and characters.

Works on plain strings: a *masked* copy of a sentence (parentheses, quotes and known
titles blanked out with the same length) keeps offsets while hiding text that is never
part of a name. A *run* is a sequence of capitalised name tokens; a *group* is runs
joined by commas/"and"/"&" ("A, B, and C").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from anigraph.names import fold, person_key

UP = "A-ZÀ-ÖØ-ÞĀĒĪŌŪŚŠŽ"
LO = "a-zß-öø-ÿāēīōūśšžô"
# "Shin'ichirō": an apostrophe inside a romanized name (never a possessive "'s")
# "McNeill", "MacLeod", "O'Malley", "DiCaprio", "LaShawn": a name prefix before an inner capital
NAME_PREFIX = rf"(?:(?:Mc|Mac|O['’]|Di|La|De)(?=[{UP}][{LO}]))?"
TOKEN = (
    rf"{NAME_PREFIX}[{UP}][{LO}]+(?:['’](?!(?:s|d|ll|re|ve|t)\b)[{LO}]{{2,}})?(?:-[{UP}{LO}][{LO}]*)*"
    rf"(?![{UP}{LO}\d])"
)
TOKEN_RE = re.compile(TOKEN)
# a run of tokens separated by single spaces; the optional number makes "Noid 262", "Gamma #1"
RUN_RE = re.compile(rf"(?<![\w.'’-]){TOKEN}(?: {TOKEN}){{0,3}}")
CHAR_TOKEN = rf"(?:{TOKEN}|Dr\.|Mr\.|Ms\.|Mrs\.|St\.|[{UP}]\.)"
CHAR_NAME = rf"{CHAR_TOKEN}(?: {CHAR_TOKEN}){{0,3}}(?: (?:#|No\. ?)?\d{{1,4}}\b)?"
CHAR_NAME_RE = re.compile(rf"(?<![\w.'’-]){CHAR_NAME}")
PERSON_NAME_RE = re.compile(rf"^{TOKEN}(?: [{UP}]\.)?(?: {TOKEN}){{0,3}}$")  # "William C. Stephens" too
MASK = " "
# "Lantern Hollow’s Mira Okada": the name before it owns the next name (a work she is known by)
OWNER_OF_NAME_RE = re.compile(r"['’‘]s\s+[A-Z][\w-]+\s+[A-Z]")
_WORD_RE = re.compile(r"\S+")
WORK_MASK = "§"


def mask_spans(text: str, spans: Iterable[tuple[int, int]], *, char: str = MASK) -> str:
    if len(char) == 1:  # the same as below, by slices (most texts have no span or one)
        n = len(text)
        for start, end in spans:
            s, e = max(0, start), min(n, end)
            if s < e:
                text = text[:s] + char * (e - s) + text[e:]
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = char
    return "".join(chars)


def paren_spans(text: str) -> list[tuple[int, int]]:
    """Top-level parenthesised spans (nested parentheses included), brackets too."""
    if "(" not in text and "[" not in text:
        return []
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = 0
    for i, ch in enumerate(text):
        if ch in "([":
            if depth == 0:
                begin = i
            depth += 1
        elif ch in ")]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((begin, i + 1))
    if depth > 0:
        spans.append((begin, len(text)))
    return spans


QUOTE_RE = re.compile(
    r"\"[^\"\n]{1,120}\"|“[^”\n]{1,120}”|‘[^’\n]{1,120}’|「[^」\n]{1,120}」|『[^』\n]{1,120}』"
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTE_RE.finditer(text)]


def titles_regex(titles: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive whole-word pattern for the known titles, longest first (None if none)."""
    ordered = sorted({t for t in titles if len(t) >= 3}, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


def title_spans(text: str, titles: Iterable[str] | re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of known titles (leftmost, longest first)."""
    pattern = titles if isinstance(titles, re.Pattern) or titles is None else titles_regex(titles)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text)]


@dataclass(slots=True)
class Run:
    start: int
    end: int
    text: str

    @property
    def tokens(self) -> list[str]:
        return self.text.split()


_RUNS_CACHE: dict[tuple[str, frozenset[str], bool], list[Run]] = {}


def name_runs(masked: str, *, stop: frozenset[str], allow_numbers: bool = False) -> list[Run]:
    """Capitalised token runs in ``masked``, split at stop words ("The", months, …).

    Several components ask for the runs of the same unit: the answer is cached (a fresh list of
    the same Run objects, which no caller changes)."""
    key = (masked, stop, allow_numbers)
    cached = _RUNS_CACHE.get(key)
    if cached is None:
        if len(_RUNS_CACHE) >= 4096:
            _RUNS_CACHE.clear()
        cached = _RUNS_CACHE[key] = _name_runs(masked, stop=stop, allow_numbers=allow_numbers)
    return list(cached)


def _name_runs(masked: str, *, stop: frozenset[str], allow_numbers: bool) -> list[Run]:
    runs: list[Run] = []
    pattern = CHAR_NAME_RE if allow_numbers else RUN_RE
    for m in pattern.finditer(masked):
        pieces: list[tuple[int, int]] = []
        cur: tuple[int, int] | None = None
        for tm in _WORD_RE.finditer(m.group()):
            s, e = m.start() + tm.start(), m.start() + tm.end()
            word = tm.group().rstrip(".")
            if word in stop:
                if cur is not None:
                    pieces.append(cur)
                cur = None
                continue
            cur = (cur[0], e) if cur is not None else (s, e)
        if cur is not None:
            pieces.append(cur)
        for s, e in pieces:
            runs.append(Run(s, e, masked[s:e]))
    return runs


GROUP_SEP_RE = re.compile(r"^(?:\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+as well as\s+)$")


def group_runs(masked: str, runs: list[Run]) -> list[list[Run]]:
    """Join runs separated only by commas/"and"/"&" (text between is checked in ``masked``)."""
    groups: list[list[Run]] = []
    for run in runs:
        if groups and GROUP_SEP_RE.match(masked[groups[-1][-1].end : run.start]):
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def looks_like_person(name: str, *, org_heads: frozenset[str]) -> bool:
    """A full personal name: 2–4 capitalised tokens and no organisation word."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 4 or not PERSON_NAME_RE.match(name):
        return False
    if tokens[0] in _NOT_A_GIVEN_NAME:  # "In Japanese, A voices X"
        return False
    return not any(t in org_heads for t in tokens)


# capitalised words that start a sentence, never a personal name
_NOT_A_GIVEN_NAME = frozenset(
    {"In", "On", "At", "For", "From", "With", "By", "As", "And", "But", "The", "This", "That", "Its", "Their"}
    | {"His", "Her", "Both", "Each", "Meanwhile", "Also", "While", "After", "Before", "During", "Since"}
)


@dataclass(slots=True)
class PersonIndex:
    """People named in one article; resolves a lone surname or given name to the full name."""

    full: dict[str, str] = field(default_factory=dict)  # person_key -> spelling
    by_token: dict[str, set[str]] = field(default_factory=dict)  # folded token -> person keys
    aliases: dict[str, list[str]] = field(default_factory=dict)  # person_key -> other spellings

    def add(self, name: str) -> str:
        key = person_key(name)
        if key not in self.full:
            self.full[key] = name
            for token in fold(name).split():
                self.by_token.setdefault(token, set()).add(key)
        return self.full[key]

    def resolve(self, token: str) -> str | None:
        """The full name a single token refers to, when exactly one known person has it."""
        keys = self.by_token.get(fold(token), set())
        if len(keys) == 1:
            return self.full[next(iter(keys))]
        return None

    def knows(self, name: str) -> bool:
        if person_key(name) in self.full:
            return True
        tokens = fold(name).split()
        return len(tokens) == 1 and bool(self.by_token.get(tokens[0]))

    def add_alias(self, name: str, alias: str) -> None:
        key = person_key(name)
        if alias not in self.aliases.setdefault(key, []) and person_key(alias) != key:
            self.aliases[key].append(alias)


def edit_distance_le1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
