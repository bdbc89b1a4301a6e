"""Writing one extraction: article, entities, aliases, merged claims, sources, changes, conflicts.

``ExtractionWriter`` does the work of ``Store.add_extraction`` inside a session the caller
owns (one transaction). It never commits; any exception leaves the transaction to be
rolled back by the caller, so nothing is half-written.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

from anigraph.errors import StoreError
from anigraph.models import (
    ALL_PREDICATES,
    ARTICLE_PREDICATES,
    QUALIFIER_KEYS,
    Extraction,
    Fact,
)
from anigraph.names import fold, person_key, slugify
from anigraph.resolve import Candidate, Linker
from anigraph.store import policy
from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity

log = logging.getLogger(__name__)

_SUBJECT_TYPES = frozenset({"work", "person", "character", "organization", "article"})
_ALIAS_KINDS = frozenset({"title", "romaji", "english", "native", "synonym", "short", "misspelling", "name"})
_KEY_LIMIT = 380


@dataclass(slots=True)
class AddResult:
    """What ``Store.add_extraction`` did with one article.

    ``created`` is False when the article was already stored (same source ``sha256``, or the
    same text under another source: then ``duplicate_of`` is that article's id) and nothing
    changed.
    """

    article_id: int
    created: bool
    duplicate_of: int | None = None
    entities_created: int = 0
    aliases_added: int = 0
    claims_added: int = 0
    sources_added: int = 0
    superseded: int = 0
    conflicts_opened: int = 0
    subject_ids: list[int] = field(default_factory=list)  # entities the article's facts are about


def _limited_key(text: str) -> str:
    if len(text) <= _KEY_LIMIT:
        return text
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return f"{text[: _KEY_LIMIT - 41]}#{digest}"


def name_key(kind: str, name: str) -> str:
    """The comparison key of a name for an entity kind (order-free for people)."""
    return person_key(name) if kind == "person" else fold(name)


def qualifiers_key(qualifiers: dict[str, str]) -> str:
    return _limited_key(";".join(f"{k}={fold(str(v))}" for k, v in sorted(qualifiers.items())))


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
    if fact.subject_type not in _SUBJECT_TYPES:
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
    return any(bool(meta.get(k)) for k in policy.CHANGE_SIGNAL_KEYS)


class ExtractionWriter:
    """Writes one ``Extraction`` through ``session`` (see ``Store.add_extraction``)."""

    def __init__(
        self,
        session: Session,
        *,
        linker: Linker,
        candidates: dict[int, Candidate],
        now: datetime | None = None,
    ) -> None:
        self.s = session
        self.linker = linker
        self.candidates = candidates  # entity id -> the Candidate the linker holds (updated in place)
        self.now = now or datetime.now(UTC)
        self.local: dict[tuple[str, str], int] = {}  # (kind, name key) -> entity id, this article
        # One article, distinct work titles, distinct works: titles the article ties together
        # (alias facts, mention aliases) share a group; a work entity linked from one group is
        # not given to another group of the same article (a different season or film).
        self.work_group: dict[str, str] = {}  # folded title -> group representative
        self.claimed: dict[int, str] = {}  # work entity id -> group that linked to it
        self.group_entity: dict[str, int] = {}  # group -> the work entity its titles link to
        self.claims: dict[tuple[int, str, str, str], Claim] = {}  # claims touched, by unique key
        self.created_claims: set[tuple[int, str, str, str]] = set()
        self.source_keys: set[tuple[tuple[int, str, str, str], int]] = set()  # (claim key, evidence start)
        self.touched_claims: dict[tuple[int, str, str, str], Claim] = {}
        self.pending_changes: list[tuple[str, Claim, dict[str, Any]]] = []
        self.alias_keys: dict[int, set[str]] = {}  # entity id -> folded aliases already stored
        self.entities: dict[int, _Ent] = {}
        self.article: Article | None = None
        self.article_date: str | None = None
        self.result = AddResult(article_id=0, created=True)

    # -- entry point ----------------------------------------------------------------------
    def write(self, extraction: Extraction) -> AddResult:
        art = extraction.article
        existing = self.s.scalar(select(Article.id).where(Article.sha256 == art.source.sha256))
        if existing is not None:
            return AddResult(article_id=existing, created=False)
        same_text = self.s.scalar(select(Article.id).where(Article.text_sha256 == art.text_sha256).limit(1))
        if same_text is not None:
            log.info(
                "article %s has the same text as article %s; not stored twice", art.source.sha256, same_text
            )
            return AddResult(article_id=same_text, created=False, duplicate_of=same_text)

        self._store_article(extraction)
        assert self.article is not None
        context = self._context(extraction)
        self._group_titles(extraction)
        for mention in extraction.entities:
            if mention.kind not in policy.ENTITY_KINDS:
                raise StoreError(f"entity mention {mention.name!r}: unknown kind {mention.kind!r}")
            if not mention.name.strip():
                raise StoreError(f"entity mention of kind {mention.kind!r} has an empty name")
            eid = self.resolve(mention.name, mention.kind, context=context, aliases=mention.aliases)
            for alias in mention.aliases:
                if alias.strip():
                    self.add_alias(eid, alias)

        touched: set[tuple[int, str, str]] = set()
        for index, fact in enumerate(extraction.facts):
            validate_fact(fact, index=index, text=art.text)
            if fact.subject_type == "article":
                continue  # article metadata, stored with the article
            touched_scope = self._store_fact(fact, context=context)
            if touched_scope is not None:
                touched.add(touched_scope)
        self._finish_claims()
        for subject_id, predicate, scope in sorted(touched):
            self.resolve_scope(subject_id, predicate, scope)
        self.result.article_id = self.article.id
        return self.result

    # -- article ------------------------------------------------------------------------------
    def _store_article(self, extraction: Extraction) -> None:
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
        self.article_date = policy.date_key(published)
        meta: dict[str, Any] = {"categories": categories, "related": related}
        if art.source.title:
            meta["source_title"] = art.source.title
        if art.language:
            meta["language"] = art.language
        if published and self.article_date != published:
            meta["published_raw"] = published
        row = Article(
            sha256=art.source.sha256,
            text_sha256=art.text_sha256,
            path=art.source.path,
            url=art.source.url,
            format=(art.source.format or "text")[:16],
            headline=headline or art.source.title,
            author=author,
            published=self.article_date or (published[:16] if published else None),
            text=art.text,
            meta=meta,
        )
        self.s.add(row)
        self.s.flush()
        self.article = row

    @staticmethod
    def _context(extraction: Extraction) -> list[str]:
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

    # -- entities -----------------------------------------------------------------------------
    def _group_titles(self, extraction: Extraction) -> None:
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
        self.work_group = {key: find(key) for key in parent}

    def _group(self, title: str) -> str:
        key = fold(title)
        return self.work_group.get(key, key)

    def resolve(self, name: str, kind: str, *, context: list[str], aliases: Sequence[str] = ()) -> int:
        """The entity ``name`` (of ``kind``) refers to; links through the linker or creates one."""
        name = name.strip()
        keys = [(kind, name_key(kind, n)) for n in [name, *aliases] if n.strip()]
        eid = next((self.local[k] for k in keys if k in self.local), None)
        if eid is None and kind == "work":
            eid = self.group_entity.get(self._group(name))
        if eid is None:
            ctx = [c for c in context if c != name]
            for n in [name, *aliases]:
                if not n.strip():
                    continue
                hit = self.linker.link(n, kind=kind, context=ctx).match
                if hit is None:
                    continue
                owner = self.claimed.get(hit.entity_id) if kind == "work" else None
                if owner is not None and owner != self._group(name):
                    log.debug("%r: not linked to %r, another title of this article has it", n, hit.name)
                    continue
                eid = hit.entity_id
                break
        if eid is None:
            eid = self._create_entity(name, kind)
        else:
            self.add_alias(eid, name)
        for k in keys:
            self.local.setdefault(k, eid)
        if kind == "work":
            self.claimed.setdefault(eid, self._group(name))
            self.group_entity.setdefault(self._group(name), eid)
        return eid

    def _entity(self, eid: int) -> _Ent:
        ent = self.entities.get(eid)
        if ent is None:
            with self.s.no_autoflush:
                row = self.s.execute(select(Entity.kind, Entity.name).where(Entity.id == eid)).first()
            if row is None:
                raise StoreError(f"the linker returned entity id {eid}, which is not in the database")
            ent = self.entities[eid] = _Ent(eid, row[0], row[1])
        return ent

    def _unique_slug(self, name: str) -> str:
        base = slugify(name)[:180].strip("-") or "x"
        with self.s.no_autoflush:  # entities are flushed on creation; nothing else matters here
            taken = set(
                self.s.scalars(select(Entity.slug).where((Entity.slug == base) | self._slug_prefix(base)))
            )
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def _slug_prefix(self, base: str) -> ColumnElement[bool]:
        """Slugs ``base-…``: a byte range on SQLite (uses the index; SQLite's LIKE ignores case so
        cannot), LIKE elsewhere (PostgreSQL collations may ignore the hyphen when comparing)."""
        if self.s.get_bind().dialect.name == "sqlite":
            return (Entity.slug > f"{base}-") & (Entity.slug < f"{base}.")
        return Entity.slug.like(f"{base}-%")  # slugs hold only a-z, 0-9 and "-": no wildcards

    def _create_entity(self, name: str, kind: str) -> int:
        slug = self._unique_slug(name)
        # a Core insert on the session's connection: the id without flushing pending claims
        eid = (
            self.s.connection()
            .execute(insert(Entity).values(kind=kind, name=name, slug=slug, attrs={}).returning(Entity.id))
            .scalar_one()
        )
        ent = self.entities[eid] = _Ent(eid, kind, name)
        self.alias_keys[eid] = set()
        candidate = Candidate(entity_id=eid, kind=kind, name=name, aliases=[])
        self.candidates[eid] = candidate
        self.linker.add(candidate)
        self._store_alias(ent, name)
        self._change("entity_created", subject_id=eid, detail={"kind": kind, "name": name, "slug": slug})
        self.result.entities_created += 1
        return eid

    def _known_alias_keys(self, eid: int) -> set[str]:
        keys = self.alias_keys.get(eid)
        if keys is None:
            with self.s.no_autoflush:  # nothing is pending for an entity whose aliases are not loaded
                keys = {fold(a) for a in self.s.scalars(select(Alias.name).where(Alias.entity_id == eid))}
            keys.add(fold(self._entity(eid).name))
            self.alias_keys[eid] = keys
        return keys

    def add_alias(self, eid: int, spelling: str, *, kind: str | None = None) -> None:
        """Record a spelling of an entity (once per folded form) and teach it to the linker."""
        spelling = spelling.strip()
        if not spelling or fold(spelling) in self._known_alias_keys(eid):
            return
        ent = self._entity(eid)
        self._store_alias(ent, spelling, kind=kind)
        candidate = self.candidates.get(eid)
        if candidate is None:
            candidate = Candidate(entity_id=eid, kind=ent.kind, name=ent.name, aliases=[])
            self.candidates[eid] = candidate
        candidate.aliases.append((spelling, "article"))
        self.linker.add(candidate)

    def _store_alias(self, ent: _Ent, spelling: str, *, kind: str | None = None) -> None:
        if kind not in _ALIAS_KINDS:
            kind = alias_kind(ent.kind, ent.name, spelling)
        self.s.add(Alias(entity_id=ent.id, name=spelling, folded=fold(spelling), kind=kind, origin="article"))
        self.alias_keys.setdefault(ent.id, set()).add(fold(spelling))
        if spelling != ent.name:
            self.result.aliases_added += 1

    # -- facts ----------------------------------------------------------------------------------
    def _store_fact(self, fact: Fact, *, context: list[str]) -> tuple[int, str, str] | None:
        assert self.article is not None
        subject_id = self.resolve(fact.subject, fact.subject_type, context=context)
        if subject_id not in self.result.subject_ids:
            self.result.subject_ids.append(subject_id)
        obj = str(fact.object).strip()
        if fact.predicate == "alias":
            requested = fact.extra.get("alias_kind")
            kind = requested if isinstance(requested, str) else None
            if kind is None and fact.extra.get("misspelling"):
                kind = "misspelling"
            self.add_alias(subject_id, obj, kind=kind)
            self.local.setdefault((fact.subject_type, name_key(fact.subject_type, obj)), subject_id)

        if fact.object_type == "value":  # the extractor says: a plain value, not a name
            object_kind = None
        elif fact.object_type in policy.ENTITY_KINDS:
            object_kind = fact.object_type
        else:
            object_kind = policy.OBJECT_KINDS.get(fact.predicate)
        object_id = self.resolve(obj, object_kind, context=context) if object_kind else None
        qualifiers = {k: str(v).strip() for k, v in fact.qualifiers.items() if str(v).strip()}
        for key, kind in policy.QUALIFIER_KINDS.items():
            if key in qualifiers:
                self.resolve(qualifiers[key], kind, context=context)

        object_key = f"e:{object_id}" if object_id is not None else "v:" + _limited_key(fold(obj) or obj)
        qkey = qualifiers_key(qualifiers)
        ckey = (subject_id, fact.predicate, object_key, qkey)
        claim = self.claims.get(ckey)
        if claim is None:
            with self.s.no_autoflush:
                claim = self.s.scalar(
                    select(Claim).where(
                        Claim.subject_id == subject_id,
                        Claim.predicate == fact.predicate,
                        Claim.object_key == object_key,
                        Claim.qualifiers_key == qkey,
                    )
                )
        if claim is None:
            claim = Claim(
                subject_id=subject_id,
                predicate=fact.predicate,
                object=obj,
                object_key=object_key,
                object_id=object_id,
                qualifiers=qualifiers,
                qualifiers_key=qkey,
                confidence=0.0,
                status="current",
            )
            self.s.add(claim)  # inserted in one batch at the end of the article
            self.created_claims.add(ckey)
            self.result.claims_added += 1
            self.pending_changes.append(("claim_added", claim, {"object": obj, "qualifiers": qualifiers}))
        self.claims[ckey] = claim
        # the article is new (checked by sha256), so its sources are exactly those added here
        if (ckey, fact.evidence.start) not in self.source_keys:
            self.source_keys.add((ckey, fact.evidence.start))
            self.s.add(
                ClaimSource(
                    claim=claim,
                    article=self.article,
                    origin="article",
                    start=fact.evidence.start,
                    end=fact.evidence.end,
                    text=fact.evidence.text,
                    confidence=float(fact.confidence),
                    stated_on=self.article_date,
                    meta=dict(fact.extra),
                )
            )
            if ckey not in self.created_claims:
                self.result.sources_added += 1
                detail = {"object": claim.object, "evidence": fact.evidence.text[:300]}
                self.pending_changes.append(("source_added", claim, detail))
            self.touched_claims[ckey] = claim
            claim.last_seen = self.now
        if fact.predicate in policy.SINGLE_VALUED:
            return (subject_id, fact.predicate, policy.scope_of(fact.predicate, qualifiers)[:200])
        return None

    def _finish_claims(self) -> None:
        """Insert the article's claims and sources, log them, and aggregate confidences.

        Confidence is the noisy-or over a claim's sources, counting each article once (its best).
        """
        self.s.flush()
        for kind, claim, detail in self.pending_changes:
            self._change(
                kind, subject_id=claim.subject_id, predicate=claim.predicate, claim_id=claim.id, detail=detail
            )
        self.pending_changes.clear()
        by_id = {claim.id: claim for claim in self.touched_claims.values()}
        ids = list(by_id)
        best: dict[int, list[float]] = {}
        for start in range(0, len(ids), 500):
            rows = self.s.execute(
                select(ClaimSource.claim_id, func.max(ClaimSource.confidence))
                .where(ClaimSource.claim_id.in_(ids[start : start + 500]))
                .group_by(ClaimSource.claim_id, ClaimSource.origin, ClaimSource.article_id)
            )
            for claim_id, conf in rows:
                best.setdefault(claim_id, []).append(float(conf))
        for claim_id, claim in by_id.items():
            claim.confidence = policy.noisy_or(best.get(claim_id, []))

    # -- single-valued predicates: supersede or dispute ---------------------------------------
    def resolve_scope(self, subject_id: int, predicate: str, scope: str) -> None:
        """Recompute statuses of one single-valued (subject, predicate, scope) from all its sources.

        Claims are visited from the latest-dated to the undated. A value that contradicts a
        value stated clearly later is superseded by it; a contradiction without a clear date
        order is a conflict (both ``disputed``), unless exactly one side's text signals a change.
        Values stated by one same article do not contradict each other unless exactly one of
        them signals a change (the article gives both, e.g. a release and a later one abroad).
        """
        claims = [
            c
            for c in self.s.scalars(
                select(Claim).where(Claim.subject_id == subject_id, Claim.predicate == predicate)
            )
            if policy.scope_of(predicate, c.qualifiers)[:200] == scope
        ]
        info: dict[int, tuple[str | None, bool]] = {}
        articles: dict[int, set[tuple[str, int | None]]] = {}
        for c in claims:
            dates: list[str] = []
            signal = False
            articles[c.id] = set()
            for stated_on, meta, origin, article_id, text in self.s.execute(
                select(
                    ClaimSource.stated_on,
                    ClaimSource.meta,
                    ClaimSource.origin,
                    ClaimSource.article_id,
                    ClaimSource.text,
                ).where(ClaimSource.claim_id == c.id)
            ):
                key = policy.date_key(stated_on)
                if key:
                    dates.append(key)
                signal = signal or change_signal(meta or {}) or policy.signals_change(text or "")
                articles[c.id].add((origin, article_id))
            info[c.id] = (max(dates) if dates else None, signal)

        def contradicts(a: Claim, c: Claim) -> bool:
            if policy.compatible(predicate, a.object, c.object):
                return False
            same_article = bool(articles[a.id] & articles[c.id])
            return not same_article or info[a.id][1] != info[c.id][1]

        def order(c: Claim) -> tuple[int, str, int]:
            date = info[c.id][0]
            return (0 if date else 1, "" if date is None else _invert(date), c.id)

        alive: list[Claim] = []
        superseded_by: dict[int, Claim] = {}
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

        for c in claims:
            if c.id in superseded_by:
                new_status = "superseded"
            elif c.id in disputed:
                new_status = "disputed"
            else:
                new_status = "current"
            if new_status == c.status:
                continue
            if new_status == "superseded":
                winner = superseded_by[c.id]
                self.result.superseded += 1
                self._change(
                    "superseded",
                    subject_id=subject_id,
                    predicate=predicate,
                    claim_id=winner.id,
                    old_claim_id=c.id,
                    detail={
                        "scope": scope,
                        "old": c.object,
                        "new": winner.object,
                        "old_date": info[c.id][0],
                        "new_date": info[winner.id][0],
                        "signal": info[winner.id][1],
                    },
                )
            c.status = new_status
        self._update_conflict(subject_id, predicate, scope, sorted(disputed), claims)

    def _update_conflict(
        self, subject_id: int, predicate: str, scope: str, disputed: list[int], claims: list[Claim]
    ) -> None:
        conflict = self.s.scalar(
            select(Conflict).where(
                Conflict.subject_id == subject_id, Conflict.predicate == predicate, Conflict.scope == scope
            )
        )
        values = {c.id: c.object for c in claims if c.id in disputed}
        if disputed:
            if conflict is None:
                conflict = Conflict(
                    subject_id=subject_id, predicate=predicate, scope=scope, claim_ids=disputed
                )
                self.s.add(conflict)
            elif conflict.open and list(conflict.claim_ids) == disputed:
                return
            reopened = conflict.id is None or not conflict.open
            conflict.open = True
            conflict.closed_at = None
            conflict.claim_ids = disputed
            self.s.flush()
            if reopened:
                self.result.conflicts_opened += 1
            self._change(
                "conflict_opened",
                subject_id=subject_id,
                predicate=predicate,
                claim_id=disputed[-1],
                detail={"conflict_id": conflict.id, "scope": scope, "values": list(values.values())},
            )
        elif conflict is not None and conflict.open:
            conflict.open = False
            conflict.closed_at = self.now
            self._change(
                "conflict_resolved",
                subject_id=subject_id,
                predicate=predicate,
                detail={"conflict_id": conflict.id, "scope": scope},
            )

    # -- change log -------------------------------------------------------------------------------
    def _change(
        self,
        kind: str,
        *,
        subject_id: int | None = None,
        predicate: str | None = None,
        claim_id: int | None = None,
        old_claim_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.s.add(
            Change(
                kind=kind,
                at=self.now,
                subject_id=subject_id,
                predicate=predicate,
                claim_id=claim_id,
                old_claim_id=old_claim_id,
                article_id=self.article.id if self.article is not None else None,
                detail=detail or {},
            )
        )


class _Ent(NamedTuple):
    id: int
    kind: str
    name: str


def _invert(date: str) -> str:
    """A string that sorts in the reverse order of ``date`` (digits complemented)."""
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in date) + "~"
