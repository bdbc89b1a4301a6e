"""The pure rules of writing an extraction: keys, fact validation, alias kinds, title variants.

No SQL here; ``store/writer.py`` applies these while it writes, and they are easy to test alone.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

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


# one source of a claim, as decide_scope reads it: (stated_on, meta, origin, article_id, evidence text)
SourceInfo = tuple[str | None, dict[str, Any] | None, str, int | None, str | None]


class ScopeClaim(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def object(self) -> str: ...


C = TypeVar("C", bound=ScopeClaim)


@dataclass(slots=True)
class ScopeDecision(Generic[C]):
    """The statuses of one single-valued (subject, predicate, scope): what replaced what."""

    info: dict[int, tuple[str | None, bool]]  # claim id -> (latest date stated, a source signals a change)
    superseded_by: dict[int, C]  # claim id -> the claim that replaced it (later, signalled, or finer)
    disputed: set[int]
    refined: set[int]  # of superseded_by: replaced by a more precise statement of the same value


def decide_scope(predicate: str, claims: list[C], sources: dict[int, list[SourceInfo]]) -> ScopeDecision[C]:
    """Decide which values of one single-valued (subject, predicate, scope) hold, from all their sources.

    Claims are visited from the latest-dated to the undated. A value that contradicts a
    value stated clearly later is superseded by it; a contradiction without a clear date
    order is a conflict (both ``disputed``), unless exactly one side's text signals a change.
    Values stated by one same article do not contradict each other unless exactly one of
    them signals a change (the article gives both, e.g. a release and a later one abroad).
    A live value that a more precise live value refines (``policy.refines``) is superseded by
    it and marked ``refined``: one premiere, the vaguer statement kept for the history.
    """
    info: dict[int, tuple[str | None, bool]] = {}
    articles: dict[int, set[tuple[str, int | None]]] = {}
    for c in claims:
        dates: list[str] = []
        signal = False
        articles[c.id] = set()
        for stated_on, meta, origin, article_id, text in sources.get(c.id, []):
            key = policy.date_key(stated_on)
            if key:
                dates.append(key)
            signal = signal or change_signal(meta or {}) or policy.signals_change(text or "")
            articles[c.id].add((origin, article_id))
        info[c.id] = (max(dates) if dates else None, signal)

    def contradicts(a: C, c: C) -> bool:
        if policy.compatible(predicate, a.object, c.object):
            return False
        same_article = bool(articles[a.id] & articles[c.id])
        return not same_article or info[a.id][1] != info[c.id][1]

    def order(c: C) -> tuple[int, str, int]:
        date = info[c.id][0]
        return (0 if date else 1, "" if date is None else invert_date(date), c.id)

    alive: list[C] = []
    superseded_by: dict[int, C] = {}
    disputed: set[int] = set()
    for c in sorted(claims, key=order):
        c_date, c_signal = info[c.id]
        rivals = [a for a in alive if contradicts(a, c)]
        if not rivals:
            alive.append(c)
            continue
        if all(policy.later(info[a.id][0], c_date) for a in rivals):
            superseded_by[c.id] = max(rivals, key=lambda a: info[a.id][0] or "")
            continue
        rival_signals = [info[a.id][1] for a in rivals]
        if all(rival_signals) and not c_signal:
            superseded_by[c.id] = rivals[0]
            continue
        if c_signal and not any(rival_signals):
            for a in rivals:
                alive.remove(a)
                disputed.discard(a.id)
                superseded_by[a.id] = c
            alive.append(c)
            continue
        disputed.update(a.id for a in rivals)
        disputed.add(c.id)
        alive.append(c)

    # A vaguer value that a more precise live one states ("2026-01" and "2026-01-16") is the same
    # claim, refined: the vaguer one leaves the record for the history, whatever the dates say.
    refined: set[int] = set()
    for c in list(alive):
        finer = [a for a in alive if policy.refines(predicate, a.object, c.object)]
        if finer:
            refined.add(c.id)
            superseded_by[c.id] = max(finer, key=lambda a: (policy.precision(a.object), -a.id))
    if refined:
        alive = [c for c in alive if c.id not in refined]
        by_id = {c.id: c for c in alive}
        # a value disputed only by a refined one is disputed no longer
        disputed = {
            d
            for d in disputed
            if d in by_id and any(e != d and e in by_id and contradicts(by_id[d], by_id[e]) for e in disputed)
        }

    return ScopeDecision(info=info, superseded_by=superseded_by, disputed=disputed, refined=refined)


def article_row(extraction: Extraction) -> tuple[dict[str, Any], str | None]:
    """The ``articles`` row of an extraction (headline, author, date and categories completed from
    its article facts, which are validated) and the article's sortable date."""
    art = extraction.article
    headline, author, published = art.headline, art.author, art.published or art.source.published
    categories = list(art.categories)
    related = list(art.related)
    for index, fact in enumerate(extraction.facts):
        if fact.subject_type != "article":
            continue
        validate_fact(fact, index=index, text=art.text)
        if fact.predicate == "headline" and not headline:
            headline = fact.object
        elif fact.predicate == "author" and not author:
            author = fact.object
        elif fact.predicate == "published" and not published:
            published = fact.object
        elif fact.predicate == "category" and fact.object not in categories:
            categories.append(fact.object)
        elif fact.predicate == "related_article" and fact.object not in related:
            related.append(fact.object)
    date = policy.date_key(published)
    meta: dict[str, Any] = {"categories": categories, "related": related}
    if art.source.title:
        meta["source_title"] = art.source.title
    if art.language:
        meta["language"] = art.language
    if published and date != published:
        meta["published_raw"] = published
    row = {
        "sha256": art.source.sha256,
        "text_sha256": art.text_sha256,
        "path": art.source.path,
        "url": art.source.url,
        "format": (art.source.format or "text")[:16],
        "headline": headline or art.source.title,
        "author": author,
        "published": date or (published[:16] if published else None),
        "text": art.text,
        "meta": meta,
    }
    return row, date


def context_names(extraction: Extraction) -> list[str]:
    """The names an article gives (subjects, entity objects, mentions), in order: linking context."""
    names: list[str] = []
    seen: set[str] = set()
    for fact in extraction.facts:
        if fact.subject_type == "article":
            continue
        for name in (fact.subject, fact.object if fact.predicate in policy.OBJECT_KINDS else ""):
            if name and name not in seen:
                seen.add(name)
                names.append(name)
    for m in extraction.entities:
        if m.name not in seen:
            seen.add(m.name)
            names.append(m.name)
    return names
