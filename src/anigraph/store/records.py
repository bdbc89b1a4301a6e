"""Read models: everything the store knows about one work, each item with its sources.

``build_work_record(session, entity_id)`` gathers titles and aliases, the work's merged
claims (current and disputed; superseded ones appear in ``history``), its staff grouped by
role, cast, themes, characters with their descriptions and affiliations, related works,
open conflicts, and the articles it came from. ``WorkRecord.to_json()`` is what
``anigraph show --json`` prints.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from anigraph.errors import NotFound
from anigraph.models import STAFF_PREDICATES
from anigraph.names import fold
from anigraph.store import policy
from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity, ExternalId

THEME_PREDICATES: tuple[str, ...] = ("opening_theme", "ending_theme", "insert_song")
# Work predicates shown in their own section; anything else lands in ``WorkRecord.other``.
_SECTIONED = frozenset(
    {
        "alias", "studio", "format", "episodes", "based_on", "premiere", "broadcaster", "streaming",
        "genre", "setting", "synopsis", "trailer", "character", "cast", "sequel_of", "related",
        *THEME_PREDICATES, *STAFF_PREDICATES,
    }
)  # fmt: skip


@dataclass(slots=True)
class EntityRef:
    id: int
    kind: str
    name: str
    slug: str


@dataclass(slots=True)
class SourceRef:
    """One article's (or catalog's) statement of a claim."""

    article_id: int | None
    headline: str | None
    published: str | None
    url: str | None
    path: str | None
    evidence: str
    start: int
    end: int
    confidence: float
    origin: str = "article"
    source_id: int | None = None  # the claim_sources row: pages link to /articles/{id}#f-{source_id}


@dataclass(slots=True)
class FactItem:
    """One merged claim: its value, linked entity, qualifiers, aggregate confidence and sources."""

    claim_id: int
    predicate: str
    value: str
    entity: EntityRef | None
    qualifiers: dict[str, Any]
    confidence: float
    status: str
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def source_count(self) -> int:
        return len({(s.origin, s.article_id) for s in self.sources})

    def first_stated(self) -> str | None:
        dates = [s.published for s in self.sources if s.published]
        return min(dates) if dates else None


@dataclass(slots=True)
class AliasRef:
    name: str
    kind: str
    origin: str


@dataclass(slots=True)
class RoleGroup:
    role: str
    items: list[FactItem]


@dataclass(slots=True)
class CharacterInfo:
    name: str
    entity: EntityRef | None
    aliases: list[str] = field(default_factory=list)
    voiced_by: list[FactItem] = field(default_factory=list)  # cast claims naming this character
    descriptions: list[FactItem] = field(default_factory=list)
    affiliations: list[FactItem] = field(default_factory=list)
    mentions: list[FactItem] = field(default_factory=list)  # the work's `character` claims


@dataclass(slots=True)
class ConflictInfo:
    id: int
    predicate: str
    scope: str
    values: list[FactItem]
    opened_at: datetime | None = None


@dataclass(slots=True)
class HistoryItem:
    """A value replaced by a later one, or stated more precisely (``refined``: ``2026-01`` →
    ``2026-01-16``): old → new, with both sources and dates."""

    predicate: str
    scope: str
    old: FactItem
    new: FactItem
    at: datetime | None
    old_date: str | None
    new_date: str | None
    signal: bool = False
    refined: bool = False


@dataclass(slots=True)
class ArticleRef:
    id: int
    headline: str | None
    published: str | None
    url: str | None
    path: str | None


@dataclass(slots=True)
class WorkRecord:
    work: EntityRef
    titles: list[AliasRef]
    external_ids: dict[str, str]
    attrs: dict[str, Any]
    studios: list[FactItem]
    formats: list[FactItem]
    episodes: list[FactItem]
    based_on: list[FactItem]
    premieres: list[FactItem]
    broadcasters: list[FactItem]
    streaming: list[FactItem]
    staff: list[RoleGroup]
    cast: list[FactItem]
    themes: list[FactItem]
    characters: list[CharacterInfo]
    genres: list[FactItem]
    settings: list[FactItem]
    synopses: list[FactItem]
    trailers: list[FactItem]
    sequel_of: list[FactItem]
    related: list[FactItem]
    followed_by: list[FactItem]  # works stated to be sequels of this one
    other: list[FactItem]
    conflicts: list[ConflictInfo]
    history: list[HistoryItem]
    articles: list[ArticleRef]

    @property
    def source_count(self) -> int:
        return len(self.articles)

    def all_items(self) -> Iterable[FactItem]:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                for v in value:
                    if isinstance(v, FactItem):
                        yield v
                    elif isinstance(v, RoleGroup):
                        yield from v.items
        for ch in self.characters:
            yield from ch.descriptions
            yield from ch.affiliations

    def to_json(self) -> dict[str, Any]:
        out = _jsonable(self)
        assert isinstance(out, dict)
        out["source_count"] = self.source_count
        return out


@dataclass(slots=True)
class ConflictSummary:
    """An open conflict with the work (or other entity) it is about."""

    id: int
    subject: EntityRef
    predicate: str
    scope: str
    values: list[FactItem]
    opened_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        out = _jsonable(self)
        assert isinstance(out, dict)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, FactItem):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        out["source_count"] = value.source_count
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _ref(e: Entity) -> EntityRef:
    return EntityRef(id=e.id, kind=e.kind, name=e.name, slug=e.slug)


def _rank(items: list[FactItem]) -> list[FactItem]:
    """Best supported first: more sources, higher confidence, then first seen."""
    return sorted(items, key=lambda i: (-i.source_count, -i.confidence, i.claim_id))


class _Loader:
    """Turns claims into ``FactItem``s with sources and linked entities, in few queries."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.entities: dict[int, Entity] = {}
        self.articles: dict[int, ArticleRef] = {}

    def entity_refs(self, ids: Iterable[int]) -> None:
        missing = {i for i in ids if i not in self.entities}
        if missing:
            for e in self.s.scalars(select(Entity).where(Entity.id.in_(missing))):
                self.entities[e.id] = e

    def items(self, claims: list[Claim]) -> dict[int, FactItem]:
        self.entity_refs(c.object_id for c in claims if c.object_id is not None)
        sources: dict[int, list[SourceRef]] = defaultdict(list)
        ids = [c.id for c in claims]
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            rows = self.s.execute(
                select(ClaimSource, Article.headline, Article.url, Article.path, Article.published)
                .outerjoin(Article, Article.id == ClaimSource.article_id)
                .where(ClaimSource.claim_id.in_(chunk))
                .order_by(ClaimSource.stated_on, ClaimSource.id)
            )
            for src, headline, url, path, published in rows:
                sources[src.claim_id].append(
                    SourceRef(
                        article_id=src.article_id,
                        headline=headline,
                        published=src.stated_on or published,
                        url=url,
                        path=path,
                        evidence=src.text,
                        start=src.start,
                        end=src.end,
                        confidence=src.confidence,
                        origin=src.origin,
                        source_id=src.id,
                    )
                )
                if src.article_id is not None and src.article_id not in self.articles:
                    self.articles[src.article_id] = ArticleRef(
                        id=src.article_id, headline=headline, published=published, url=url, path=path
                    )
        out: dict[int, FactItem] = {}
        for c in claims:
            obj = self.entities.get(c.object_id) if c.object_id is not None else None
            out[c.id] = FactItem(
                claim_id=c.id,
                predicate=c.predicate,
                value=obj.name if obj is not None else c.object,
                entity=_ref(obj) if obj is not None else None,
                qualifiers=dict(c.qualifiers or {}),
                confidence=c.confidence,
                status=c.status,
                sources=sources.get(c.id, []),
            )
        return out


def build_work_record(session: Session, entity_id: int) -> WorkRecord:
    """Everything known about the work ``entity_id`` (raises ``NotFound`` if it is not a work)."""
    work = session.get(Entity, entity_id)
    if work is None or work.kind != "work":
        raise NotFound("work", str(entity_id))
    loader = _Loader(session)
    loader.entities[work.id] = work

    titles = [
        AliasRef(name=a.name, kind=a.kind, origin=a.origin)
        for a in session.scalars(select(Alias).where(Alias.entity_id == work.id).order_by(Alias.id))
    ]
    if not any(t.name == work.name for t in titles):
        titles.insert(0, AliasRef(name=work.name, kind="title", origin="store"))
    external = {
        x.source: x.value for x in session.scalars(select(ExternalId).where(ExternalId.entity_id == work.id))
    }

    claims = list(session.scalars(select(Claim).where(Claim.subject_id == work.id).order_by(Claim.id)))
    reverse = list(
        session.scalars(
            select(Claim)
            .where(Claim.object_id == work.id, Claim.predicate == "sequel_of", Claim.status != "superseded")
            .order_by(Claim.id)
        )
    )
    items = loader.items(claims)
    reverse_items = loader.items(reverse)
    loader.entity_refs(c.subject_id for c in reverse)
    followed_by: list[FactItem] = []
    for c in reverse:
        item = reverse_items[c.id]
        subj = loader.entities.get(c.subject_id)
        if subj is not None:
            item.value, item.entity = subj.name, _ref(subj)
        followed_by.append(item)

    live: dict[str, list[FactItem]] = defaultdict(list)
    for c in claims:
        if c.status != "superseded":
            live[c.predicate].append(items[c.id])

    def section(predicate: str) -> list[FactItem]:
        return _rank(live.get(predicate, []))

    staff = [RoleGroup(role, section(role)) for role in policy.ROLE_ORDER if live.get(role)]
    staff += [
        RoleGroup(role, section(role))
        for role in sorted(STAFF_PREDICATES - set(policy.ROLE_ORDER))
        if live.get(role)
    ]
    premieres = sorted(
        live.get("premiere", []),
        key=lambda i: (str(i.qualifiers.get("where", "")), -policy.precision(i.value), -i.source_count),
    )
    themes = sorted(
        (i for p in THEME_PREDICATES for i in live.get(p, [])),
        key=lambda i: (THEME_PREDICATES.index(i.predicate), -i.source_count, i.claim_id),
    )
    other = _rank([i for p, group in live.items() if p not in _SECTIONED for i in group])

    characters, renamed = _characters(session, loader, live, work_id=work.id)
    cast = _merge_cast(section("cast"), renamed)
    for ch in characters:
        ch.voiced_by = _merge_cast(ch.voiced_by, renamed)
    conflicts = [
        ConflictInfo(
            id=cf.id,
            predicate=cf.predicate,
            scope=cf.scope,
            values=[items[i] for i in cf.claim_ids if i in items],
            opened_at=cf.opened_at,
        )
        for cf in session.scalars(
            select(Conflict)
            .where(Conflict.subject_id == work.id, Conflict.open.is_(True))
            .order_by(Conflict.id)
        )
    ]
    history = _history(session, work.id, items)

    for ch in characters:
        for item in (*ch.descriptions, *ch.affiliations):
            for src in item.sources:
                if src.article_id is not None and src.article_id not in loader.articles:
                    loader.articles[src.article_id] = ArticleRef(
                        src.article_id, src.headline, src.published, src.url, src.path
                    )
    articles = sorted(loader.articles.values(), key=lambda a: (a.published is None, a.published or "", a.id))
    return WorkRecord(
        work=_ref(work),
        titles=titles,
        external_ids=external,
        attrs=dict(work.attrs or {}),
        studios=section("studio"),
        formats=section("format"),
        episodes=section("episodes"),
        based_on=section("based_on"),
        premieres=premieres,
        broadcasters=section("broadcaster"),
        streaming=section("streaming"),
        staff=staff,
        cast=cast,
        themes=themes,
        characters=characters,
        genres=section("genre"),
        settings=section("setting"),
        synopses=section("synopsis"),
        trailers=section("trailer"),
        sequel_of=section("sequel_of"),
        related=section("related"),
        followed_by=followed_by,
        other=other,
        conflicts=conflicts,
        history=history,
        articles=articles,
    )


def _characters(
    session: Session, loader: _Loader, live: dict[str, list[FactItem]], *, work_id: int
) -> tuple[list[CharacterInfo], dict[str, str]]:
    """Characters from `character` claims and cast credits (the work's own characters), with their facts.

    Also returns the short names folded into a full name (folded short name → full name).
    """
    by_key: dict[str, CharacterInfo] = {}
    order: list[str] = []

    def info_for(name: str, entity: EntityRef | None) -> CharacterInfo:
        key = f"e:{entity.id}" if entity is not None else "n:" + fold(name)
        alt = "n:" + fold(name)
        found = by_key.get(key) or by_key.get(alt)
        if found is None:
            found = CharacterInfo(name=entity.name if entity else name, entity=entity)
            by_key[key] = found
            order.append(key)
        by_key.setdefault(alt, found)
        if found.entity is None and entity is not None:
            found.entity = entity
            by_key[key] = found
        return found

    for item in _rank(live.get("character", [])):
        ch = info_for(item.value, item.entity)
        ch.mentions.append(item)
        description = item.qualifiers.get("description")
        if description:
            ch.descriptions.append(dataclasses.replace(item, predicate="description", value=str(description)))

    # cast credits name characters by string; link them to the work's character entities by alias
    cast_names = {
        fold(str(i.qualifiers["character"])) for i in live.get("cast", []) if i.qualifiers.get("character")
    }
    known_ids = {ch.entity.id for ch in by_key.values() if ch.entity is not None}
    by_alias: dict[str, int] = {}
    if cast_names:
        rows = session.execute(
            select(Alias.folded, Alias.entity_id)
            .join(Entity, Entity.id == Alias.entity_id)
            .where(Entity.kind == "character", Entity.work_id == work_id, Alias.folded.in_(cast_names))
            .order_by(Alias.entity_id)
        )
        for folded, eid in rows:
            if folded not in by_alias or eid in known_ids:
                by_alias[folded] = eid
        loader.entity_refs(by_alias.values())
    for item in _rank(live.get("cast", [])):
        name = str(item.qualifiers.get("character", "")).strip()
        if not name:
            continue
        char_id = by_alias.get(fold(name))
        entity = loader.entities.get(char_id) if char_id is not None else None
        ch = info_for(name, _ref(entity) if entity is not None else None)
        ch.voiced_by.append(item)

    chars = [by_key[k] for k in order]
    char_ids = [ch.entity.id for ch in chars if ch.entity is not None]
    if char_ids:
        own = list(
            session.scalars(
                select(Claim)
                .where(
                    Claim.subject_id.in_(char_ids),
                    Claim.predicate.in_(("description", "affiliation")),
                    Claim.status != "superseded",
                )
                .order_by(Claim.id)
            )
        )
        own_items = loader.items(own)
        aliases: dict[int, list[str]] = defaultdict(list)
        for eid, name in session.execute(
            select(Alias.entity_id, Alias.name).where(Alias.entity_id.in_(char_ids)).order_by(Alias.id)
        ):
            aliases[eid].append(name)
        by_id = {ch.entity.id: ch for ch in chars if ch.entity is not None}
        for c in own:
            ch = by_id[c.subject_id]
            (ch.descriptions if c.predicate == "description" else ch.affiliations).append(own_items[c.id])
        for eid, ch in by_id.items():
            ch.aliases = [a for a in aliases.get(eid, []) if a != ch.name]
    return _merge_short_names(chars)


def _merge_short_names(chars: list[CharacterInfo]) -> tuple[list[CharacterInfo], dict[str, str]]:
    """Fold a one-word character name into the one longer name of this work it begins or ends.

    Articles call a character by a full name in one place and by a given or family name in
    another ("Rouge Redstar", "Rouge"); within one work they are the same character when
    exactly one longer name fits.
    """
    tokens = [fold(ch.name).split() for ch in chars]
    out: list[CharacterInfo] = []
    renamed: dict[str, str] = {}
    for i, ch in enumerate(chars):
        toks = tokens[i]
        fits = [
            j
            for j, other in enumerate(tokens)
            if j != i and len(toks) == 1 and len(other) > 1 and toks[0] in (other[0], other[-1])
        ]
        if len(fits) != 1:
            out.append(ch)
            continue
        target = chars[fits[0]]
        renamed[fold(ch.name)] = target.name
        if ch.name not in target.aliases:
            target.aliases.append(ch.name)
        target.aliases.extend(a for a in ch.aliases if a not in target.aliases and a != target.name)
        target.voiced_by.extend(ch.voiced_by)
        target.descriptions.extend(ch.descriptions)
        target.affiliations.extend(ch.affiliations)
        target.mentions.extend(ch.mentions)
        if target.entity is None:
            target.entity = ch.entity
    return out, renamed


def _merge_cast(items: list[FactItem], renamed: dict[str, str]) -> list[FactItem]:
    """One cast line per actor and character (short character names resolved), sources combined."""
    merged: dict[tuple[str, str], FactItem] = {}
    for item in items:
        character = str(item.qualifiers.get("character", ""))
        character = renamed.get(fold(character), character)
        actor = f"e:{item.entity.id}" if item.entity is not None else fold(item.value)
        key = (actor, fold(character))
        found = merged.get(key)
        if found is None:
            quals = {**item.qualifiers, "character": character} if character else dict(item.qualifiers)
            merged[key] = dataclasses.replace(item, qualifiers=quals, sources=list(item.sources))
        else:
            found.sources.extend(item.sources)
            found.confidence = max(found.confidence, item.confidence)
    return _rank(list(merged.values()))


def _history(session: Session, work_id: int, items: dict[int, FactItem]) -> list[HistoryItem]:
    out: list[HistoryItem] = []
    seen: set[tuple[int, int]] = set()
    changes = session.scalars(
        select(Change)
        .where(Change.subject_id == work_id, Change.kind.in_(("superseded", "refined")))
        .order_by(Change.id)
    )
    for ch in changes:
        if ch.old_claim_id is None or ch.claim_id is None:
            continue
        old, new = items.get(ch.old_claim_id), items.get(ch.claim_id)
        if old is None or new is None or (old.claim_id, new.claim_id) in seen:
            continue
        seen.add((old.claim_id, new.claim_id))
        detail = ch.detail or {}
        out.append(
            HistoryItem(
                predicate=ch.predicate or old.predicate,
                scope=str(detail.get("scope", "")),
                old=old,
                new=new,
                at=ch.at,
                old_date=detail.get("old_date"),
                new_date=detail.get("new_date"),
                signal=bool(detail.get("signal")),
                refined=ch.kind == "refined",
            )
        )
    return out


def open_conflicts(session: Session, *, subject_id: int | None = None) -> list[ConflictSummary]:
    """Every open conflict (optionally of one subject), oldest first, with the disputed values."""
    query = select(Conflict).where(Conflict.open.is_(True)).order_by(Conflict.id)
    if subject_id is not None:
        query = query.where(Conflict.subject_id == subject_id)
    conflicts = list(session.scalars(query))
    if not conflicts:
        return []
    loader = _Loader(session)
    loader.entity_refs(cf.subject_id for cf in conflicts)
    claim_ids = sorted({int(i) for cf in conflicts for i in cf.claim_ids})
    claims = list(session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))) if claim_ids else []
    items = loader.items(claims)
    return [
        ConflictSummary(
            id=cf.id,
            subject=_ref(loader.entities[cf.subject_id]),
            predicate=cf.predicate,
            scope=cf.scope,
            values=[items[int(i)] for i in cf.claim_ids if int(i) in items],
            opened_at=cf.opened_at,
        )
        for cf in conflicts
        if cf.subject_id in loader.entities
    ]
