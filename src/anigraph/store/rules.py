"""The pure rules of writing an extraction: keys, fact validation, alias kinds, title variants.

No SQL here; ``store/writer.py`` applies these while it writes, and they are easy to test alone.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from rapidfuzz import fuzz

from anigraph.errors import StoreError
from anigraph.models import ALL_PREDICATES, ARTICLE_PREDICATES, QUALIFIER_KEYS, Extraction, Fact
from anigraph.names import fold, person_key
from anigraph.store import policy

SUBJECT_TYPES = frozenset({"work", "person", "character", "organization", "article"})
ALIAS_KINDS = frozenset({"title", "romaji", "english", "native", "synonym", "short", "misspelling", "name"})
_KEY_LIMIT = 380


def limited_key(text: str) -> str:
    if len(text) <= _KEY_LIMIT:
        return text
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return f"{text[: _KEY_LIMIT - 41]}#{digest}"


def name_key(kind: str, name: str) -> str:
    """The comparison key of a name for an entity kind (order-free for people)."""
    return person_key(name) if kind == "person" else fold(name)


def qualifiers_key(qualifiers: dict[str, str]) -> str:
    return limited_key(";".join(f"{k}={fold(str(v))}" for k, v in sorted(qualifiers.items())))


def alias_kind(entity_kind: str, canonical: str, alias: str) -> str:
    """Classify a spelling of an entity: short form, misspelling, or another name/title."""
    a, b = fold(canonical), fold(alias)
    default = "title" if entity_kind == "work" else "name"
    if a.replace(" ", "") == b.replace(" ", "") or (
        entity_kind == "person" and person_key(canonical) == person_key(alias)
    ):
        return default  # the same name spaced, cased or ordered differently
    if b and (f" {b} " in f" {a} "):
        return "short"
    if fuzz.ratio(a, b) >= 80:
        return "misspelling"
    return default


def validate_fact(fact: Fact, *, index: int, text: str) -> None:
    """Raise ``StoreError`` naming the fact when it cannot be stored as stated."""
    where = f"fact #{index} ({fact.subject!r} {fact.predicate} {fact.object!r})"
    if fact.predicate not in ALL_PREDICATES:
        raise StoreError(f"{where}: unknown predicate {fact.predicate!r}")
    if fact.subject_type not in SUBJECT_TYPES:
        raise StoreError(f"{where}: unknown subject_type {fact.subject_type!r}")
    if fact.subject_type == "article" and fact.predicate not in ARTICLE_PREDICATES:
        raise StoreError(f"{where}: predicate {fact.predicate!r} cannot have an article as subject")
    if not str(fact.subject).strip() or not str(fact.object).strip():
        raise StoreError(f"{where}: empty subject or object")
    ev = fact.evidence
    if not (0 <= ev.start <= ev.end <= len(text)):
        raise StoreError(f"{where}: evidence offsets {ev.start}..{ev.end} outside the text (0..{len(text)})")
    if text[ev.start : ev.end] != ev.text:
        raise StoreError(f"{where}: evidence text {ev.text[:60]!r} is not text[{ev.start}:{ev.end}]")
    if not (isinstance(fact.confidence, int | float) and math.isfinite(fact.confidence)):
        raise StoreError(f"{where}: confidence {fact.confidence!r} is not a number")
    if not 0.0 <= fact.confidence <= 1.0:
        raise StoreError(f"{where}: confidence {fact.confidence!r} is outside 0..1")
    for key, value in fact.qualifiers.items():
        if key not in QUALIFIER_KEYS:
            raise StoreError(f"{where}: unknown qualifier {key!r}")
        if not isinstance(value, str):
            raise StoreError(f"{where}: qualifier {key!r} value {value!r} is not a string")


_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$")


def _numbers(folded: str) -> list[str]:
    return _DIGITS.findall(folded) + [t for t in folded.split() if _ROMAN.match(t)]


def same_title(a: str, b: str) -> bool:
    """Two spellings of one title: equal but for spacing/punctuation, or one word misspelt.

    Titles that differ by a word ("R", "Season 2", "Master" vs "Ultimate") or a number are
    different works.
    """
    fa, fb = fold(a), fold(b)
    if fa.replace(" ", "") == fb.replace(" ", ""):
        return True
    ta, tb = fa.split(), fb.split()
    if len(ta) != len(tb) or _numbers(fa) != _numbers(fb):
        return False
    differ = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(differ) == 1 and min(map(len, differ[0])) >= 4 and fuzz.ratio(*differ[0]) >= 80


def change_signal(meta: dict[str, Any]) -> bool:
    """True when the extractor marked a fact as announcing a change (``"change": true``)."""
    return any(bool(meta.get(k)) for k in policy.CHANGE_SIGNAL_KEYS)


def group_titles(extraction: Extraction) -> dict[str, str]:
    """Folded work title -> its group: the titles one article ties together as one work.

    Alias facts and mention aliases tie titles, and so do spelling variants
    (``same_title``); an alias given for two different titles ties nothing.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(fold(a)), find(fold(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for m in extraction.entities:
        if m.kind == "work":
            for alias in m.aliases:
                union(m.name, alias)
    titles: set[str] = set()
    alias_of: dict[str, set[str]] = {}  # folded alias -> titles it is given for
    for fact in extraction.facts:
        if fact.subject_type == "work":
            titles.add(fact.subject)
            if fact.predicate == "alias":
                alias_of.setdefault(fold(str(fact.object)), set()).add(fact.subject)
        if policy.OBJECT_KINDS.get(fact.predicate) == "work":
            titles.add(str(fact.object))
    titles.update(m.name for m in extraction.entities if m.kind == "work")
    ordered = sorted(titles)
    for i, a in enumerate(ordered):  # spelling variants of one title are one title
        for b in ordered[i + 1 :]:
            if same_title(a, b):
                union(a, b)
    for alias, owners in alias_of.items():
        # an alias given for two different titles (a franchise's native name) ties nothing
        if len({find(fold(t)) for t in owners}) == 1:
            union(next(iter(owners)), alias)
    return {key: find(key) for key in parent}


def invert_date(date: str) -> str:
    """A string that sorts in the reverse order of ``date`` (digits complemented)."""
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in date) + "~"
