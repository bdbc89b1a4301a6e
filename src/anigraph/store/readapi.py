"""Read queries for the web: entity cards, article highlights, premieres, changes, search entries.

``ReadAPI`` wraps an engine and returns plain dataclasses (never ORM objects), so the web
layer can cache and render them without a session. Every query loads what one page needs
in a fixed number of statements (no N+1): claims with their sources and the articles'
headlines are fetched with ``selectinload``; article texts are loaded only by ``article``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from anigraph.errors import NotFound
from anigraph.names import fold, person_key, studio_key
from anigraph.store.records import WorkRecord, build_work_record
from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity

log = logging.getLogger(__name__)

SEASONS = ("winter", "spring", "summer", "fall")
# Facts that say where a work can be watched, and the predicates the work list summarises.
PLATFORM_PREDICATES = ("broadcaster", "streaming")
_SUMMARY_PREDICATES = (
    "premiere",
    "studio",
    "animation_production",
    "format",
    "episodes",
    *PLATFORM_PREDICATES,
)
# Entities named in a qualifier rather than as the object: performers of songs, voiced characters.
_QUALIFIER_OF_KIND = {"person": "performer", "character": "character"}
_CATALOG_STATUS = {
    "finished": "finished",
    "finished_airing": "finished",
    "releasing": "airing",
    "currently_airing": "airing",
    "not_yet_released": "upcoming",
    "not_yet_aired": "upcoming",
    "cancelled": "cancelled",
    "hiatus": "hiatus",
}


def season_of(value: str | None) -> str | None:
    """``2024-01-11`` → ``2024-winter``; a season string is kept; a bare year has no season."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) >= 2 and parts[1] in SEASONS:
        return f"{parts[0]}-{parts[1]}"
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        month = int(parts[1])
        if 1 <= month <= 12:
            return f"{parts[0]}-{SEASONS[(month - 1) // 3]}"
    return None


def exact_date(value: str | None) -> date | None:
    """The date of a ``YYYY-MM-DD`` string, else ``None`` (partial dates are not days)."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_sort_key(value: str | None) -> str:
    """Sort partial dates roughly where they fall: seasons by their first month."""
    if not value:
        return "9999"
    parts = value.split("-")
    if len(parts) >= 2 and parts[1] in SEASONS:
        return f"{parts[0]}-{SEASONS.index(parts[1]) * 3 + 1:02d}"
    return value


# the largest id or offset a database integer holds (SQLite and PostgreSQL BIGINT)
MAX_ROW_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class EntityRef:
    slug: str
    name: str
    kind: str  # work | person | character | organization

    def to_json(self) -> dict[str, Any]:
        return {"id": self.slug, "name": self.name, "type": self.kind}


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: int
    title: str
    published: str | None
    url: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "published": self.published, "url": self.url}


@dataclass(frozen=True, slots=True)
class SourceView:
    """One article's (or catalog's) statement of a fact: the evidence span."""

    id: int
    article: ArticleRef | None
    origin: str
    start: int
    end: int
    text: str
    stated_on: str | None
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article.to_json() if self.article else None,
            "origin": self.origin,
            "evidence": {"start": self.start, "end": self.end, "text": self.text},
            "stated_on": self.stated_on,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class FactView:
    claim_id: int
    subject: EntityRef
    predicate: str
    object: str
    object_ref: EntityRef | None
    qualifiers: dict[str, Any]
    confidence: float
    status: str  # current | superseded | disputed
    first_seen: datetime | None
    sources: list[SourceView] = field(default_factory=list)

    def to_json(self, *, with_sources: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.claim_id,
            "subject": self.subject.to_json(),
            "predicate": self.predicate,
            "object": self.object,
            "object_ref": self.object_ref.to_json() if self.object_ref else None,
            "qualifiers": dict(self.qualifiers),
            "confidence": round(self.confidence, 3),
            "status": self.status,
        }
        if with_sources:
            out["sources"] = [s.to_json() for s in self.sources]
        return out


@dataclass(slots=True)
class ConflictView:
    predicate: str
    scope: str
    open: bool
    facts: list[FactView]
    opened_at: datetime | None
    closed_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "predicate": self.predicate,
            "scope": self.scope,
            "open": self.open,
            "values": [f.to_json(with_sources=True) for f in self.facts],
            "opened_at": _iso(self.opened_at),
            "closed_at": _iso(self.closed_at),
        }


@dataclass(slots=True)
class ChangeView:
    id: int
    at: datetime
    kind: str
    subject: EntityRef | None
    predicate: str | None
    fact: FactView | None
    old_fact: FactView | None
    article: ArticleRef | None
    source: SourceView | None  # the evidence the change's article gave for the fact
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": _iso(self.at),
            "kind": self.kind,
            "subject": self.subject.to_json() if self.subject else None,
            "predicate": self.predicate,
            "fact": self.fact.to_json(with_sources=False) if self.fact else None,
            "old_fact": self.old_fact.to_json(with_sources=False) if self.old_fact else None,
            "article": self.article.to_json() if self.article else None,
            "source": self.source.to_json() if self.source else None,
            "detail": self.detail,
        }


@dataclass(slots=True)
class EntityView:
    """Everything one entity page shows."""

    ref: EntityRef
    attrs: dict[str, Any]
    aliases: list[tuple[str, str, str]]  # (name, kind, origin)
    external_ids: list[tuple[str, str]]
    facts: list[FactView]  # the entity is the subject
    mentions: list[FactView]  # the entity is the object (credits, studio of, character of)
    related: list[FactView]  # facts about entities this one links to (e.g. characters' descriptions)
    conflicts: list[ConflictView]
    history: list[ChangeView]
    articles: list[ArticleRef]

    def by_predicate(self) -> dict[str, list[FactView]]:
        out: dict[str, list[FactView]] = defaultdict(list)
        for f in self.facts:
            out[f.predicate].append(f)
        return dict(out)


@dataclass(slots=True)
class WorkCard:
    """What the work page shows: the store's merged record and the work's change log."""

    record: WorkRecord
    changes: list[ChangeView]


@dataclass(slots=True)
class ArticleView:
    ref: ArticleRef
    text: str
    author: str | None
    path: str | None
    format: str
    meta: dict[str, Any]
    ingested_at: datetime | None
    facts: list[tuple[SourceView, FactView]]


@dataclass(slots=True)
class WorkSummary:
    ref: EntityRef
    format: str | None
    premiere: str | None
    season: str | None
    status: str
    episodes: str | None
    studios: list[str]
    platforms: list[tuple[str, str, str]]  # (predicate, name, region)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.ref.to_json(),
            "format": self.format,
            "premiere": self.premiere,
            "season": self.season,
            "status": self.status,
            "episodes": self.episodes,
            "studios": self.studios,
            "platforms": [{"kind": k, "name": n, "region": r or None} for k, n, r in self.platforms],
        }


@dataclass(frozen=True, slots=True)
class SearchEntry:
    entity_id: int
    ref: EntityRef
    names: tuple[str, ...]  # canonical name first, then aliases


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _ref(entity: Entity) -> EntityRef:
    return EntityRef(entity.slug, entity.name, entity.kind)


def _article_ref(article: Article) -> ArticleRef:
    title = article.headline or article.path or article.url or f"Article {article.id}"
    return ArticleRef(article.id, title, article.published, article.url)


_ARTICLE_REF_COLUMNS = (Article.id, Article.headline, Article.path, Article.url, Article.published)


def _source(src: ClaimSource) -> SourceView:
    return SourceView(
        id=src.id,
        article=_article_ref(src.article) if src.article is not None else None,
        origin=src.origin,
        start=src.start,
        end=src.end,
        text=src.text,
        stated_on=src.stated_on,
        confidence=src.confidence,
    )


def _fact(claim: Claim, *, with_sources: bool = True) -> FactView:
    sources = sorted((_source(s) for s in claim.sources), key=lambda s: s.id) if with_sources else []
    return FactView(
        claim_id=claim.id,
        subject=_ref(claim.subject),
        predicate=claim.predicate,
        object=claim.object,
        object_ref=_ref(claim.object_entity) if claim.object_entity is not None else None,
        qualifiers=dict(claim.qualifiers or {}),
        confidence=claim.confidence,
        status=claim.status,
        first_seen=claim.first_seen,
        sources=sources,
    )


def _claim_options(*, with_sources: bool = True) -> list[Any]:
    opts: list[Any] = [joinedload(Claim.subject), joinedload(Claim.object_entity)]
    if with_sources:
        opts.append(
            selectinload(Claim.sources)
            .joinedload(ClaimSource.article)
            .options(load_only(*_ARTICLE_REF_COLUMNS))
        )
    return opts


def _fact_order(f: FactView) -> tuple[int, str, int]:
    status_rank = {"current": 0, "disputed": 1}.get(f.status, 2)
    return (status_rank, f.predicate, f.claim_id)


class ReadAPI:
    """Read-only queries over one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- freshness --------------------------------------------------------------------------------

    def version(self) -> tuple[int, ...]:
        """A cheap fingerprint that changes whenever anything a page shows may have changed."""
        stmt = select(
            select(func.max(Change.id)).scalar_subquery(),
            select(func.max(Article.id)).scalar_subquery(),
            select(func.max(ClaimSource.id)).scalar_subquery(),
            select(func.max(Entity.id)).scalar_subquery(),
            select(func.max(Alias.id)).scalar_subquery(),
            select(func.max(Claim.id)).scalar_subquery(),
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).one()
        return tuple(int(v or 0) for v in row)

    def last_modified(self) -> datetime | None:
        with self.engine.connect() as conn:
            changed = conn.execute(select(func.max(Change.at))).scalar()
            ingested = conn.execute(select(func.max(Article.ingested_at))).scalar()
        stamps = [s if s.tzinfo else s.replace(tzinfo=UTC) for s in (changed, ingested) if s is not None]
        return max(stamps) if stamps else None

    # -- entities -----------------------------------------------------------------------------------

    def entity(self, slug: str, *, kind: str | None = None) -> EntityView:
        """The card of one entity; raises ``NotFound`` (without suggestions: search adds them)."""
        with Session(self.engine) as session:
            stmt = (
                select(Entity)
                .where(Entity.slug == slug)
                .options(selectinload(Entity.aliases), selectinload(Entity.external_ids))
            )
            entity = session.scalars(stmt).first()
            if entity is None or (kind is not None and entity.kind != kind):
                raise NotFound(kind or "entity", slug)
            claims = session.scalars(
                select(Claim).where(Claim.subject_id == entity.id).options(*_claim_options())
            ).all()
            facts = sorted((_fact(c) for c in claims), key=_fact_order)
            mentions = self._mentions(session, entity)
            related = self._related(session, entity, facts, mentions)
            conflicts = self._conflicts(session, entity.id)
            history = self._changes(session, subject_id=entity.id, limit=100, newest_first=True)
            articles: dict[int, ArticleRef] = {}
            for f in (*facts, *mentions):
                for s in f.sources:
                    if s.article is not None:
                        articles.setdefault(s.article.id, s.article)
            aliases = sorted(
                {(a.name, a.kind, a.origin) for a in entity.aliases if a.name != entity.name},
                key=lambda a: (a[1] == "misspelling", fold(a[0])),
            )
            return EntityView(
                ref=_ref(entity),
                attrs=dict(entity.attrs or {}),
                aliases=aliases,
                external_ids=sorted((e.source, e.value) for e in entity.external_ids),
                facts=facts,
                mentions=mentions,
                related=related,
                conflicts=conflicts,
                history=history,
                articles=sorted(articles.values(), key=lambda a: (a.published or "", a.id), reverse=True),
            )

    def work_card(self, slug: str) -> WorkCard:
        """The store's ``WorkRecord`` of a work (by slug) plus its change log; raises ``NotFound``."""
        with Session(self.engine) as session:
            entity_id = session.scalar(select(Entity.id).where(Entity.slug == slug, Entity.kind == "work"))
            if entity_id is None:
                raise NotFound("work", slug)
            record = build_work_record(session, entity_id)
            changes = self._changes(session, subject_id=entity_id, limit=100, newest_first=True)
            return WorkCard(record=record, changes=changes)

    @staticmethod
    def _names(entity: Entity) -> set[str]:
        return {n for n in (entity.name, *(a.name for a in entity.aliases)) if n.strip()}

    @classmethod
    def _keys(cls, entity: Entity) -> set[str]:
        """Object keys an unlinked claim would carry for this entity's names (``v:`` + folded)."""
        keys: set[str] = set()
        for n in cls._names(entity):
            for key in {
                fold(n),
                person_key(n) if entity.kind == "person" else "",
                studio_key(n) if entity.kind == "organization" else "",
            }:
                if key:
                    keys.update({key[:400], f"v:{key}"[:400]})
        return keys

    def _mentions(self, session: Session, entity: Entity) -> list[FactView]:
        """Facts whose object is this entity (by id, or unlinked by name) or that name it in a qualifier."""
        cond = Claim.object_id == entity.id
        keys = self._keys(entity)
        if keys:
            cond = or_(cond, (Claim.object_id.is_(None)) & Claim.object_key.in_(sorted(keys)))
        claims = list(
            session.scalars(
                select(Claim).where(cond, Claim.subject_id != entity.id).options(*_claim_options())
            ).all()
        )
        qualifier = _QUALIFIER_OF_KIND.get(entity.kind)
        if qualifier:
            folded = {fold(n) for n in self._names(entity)}
            pkeys = {person_key(n) for n in self._names(entity)} if entity.kind == "person" else set()
            likes = [Claim.qualifiers_key.like(f"%{qualifier}={f}%") for f in sorted(folded) if f]
            seen = {c.id for c in claims}
            if likes:
                named = or_(*likes)
                if entity.kind == "character" and entity.work_id is not None:  # credits of its own work
                    named = named & (Claim.subject_id == entity.work_id)
                for c in session.scalars(select(Claim).where(named).options(*_claim_options())).all():
                    value = str((c.qualifiers or {}).get(qualifier, ""))
                    if c.id not in seen and (fold(value) in folded or person_key(value) in pkeys):
                        claims.append(c)
                        seen.add(c.id)
        return sorted((_fact(c) for c in claims), key=_fact_order)

    def _related(
        self, session: Session, entity: Entity, facts: list[FactView], mentions: list[FactView]
    ) -> list[FactView]:
        """Facts about the characters of a work (descriptions, affiliations) or a character's works."""
        slugs = {f.object_ref.slug for f in facts if f.object_ref is not None and f.predicate == "character"}
        if not slugs:
            return []
        ids = set(session.scalars(select(Entity.id).where(Entity.slug.in_(sorted(slugs)))).all())
        claims = session.scalars(
            select(Claim).where(Claim.subject_id.in_(sorted(ids))).options(*_claim_options())
        ).all()
        return sorted((_fact(c) for c in claims), key=_fact_order)

    def _conflicts(self, session: Session, subject_id: int) -> list[ConflictView]:
        rows = session.scalars(
            select(Conflict).where(Conflict.subject_id == subject_id).order_by(Conflict.id)
        ).all()
        claim_ids = sorted({int(i) for r in rows for i in (r.claim_ids or [])})
        by_id: dict[int, FactView] = {}
        if claim_ids:
            claims = session.scalars(
                select(Claim).where(Claim.id.in_(claim_ids)).options(*_claim_options())
            ).all()
            by_id = {c.id: _fact(c) for c in claims}
        return [
            ConflictView(
                predicate=r.predicate,
                scope=r.scope,
                open=r.open,
                facts=[by_id[int(i)] for i in (r.claim_ids or []) if int(i) in by_id],
                opened_at=r.opened_at,
                closed_at=r.closed_at,
            )
            for r in rows
        ]

    # -- changes ------------------------------------------------------------------------------------

    def changes(
        self,
        *,
        since: datetime | None = None,
        after_id: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
        facts_only: bool = False,
    ) -> list[ChangeView]:
        """Changes after ``since`` and/or after the change ``after_id`` (a cursor); oldest first."""
        with Session(self.engine) as session:
            return self._changes(
                session,
                since=since,
                after_id=after_id,
                limit=limit,
                newest_first=newest_first,
                facts_only=facts_only,
            )

    def _changes(
        self,
        session: Session,
        *,
        subject_id: int | None = None,
        since: datetime | None = None,
        after_id: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
        facts_only: bool = False,
    ) -> list[ChangeView]:
        stmt = select(Change)
        if facts_only:
            stmt = stmt.where(Change.claim_id.is_not(None))
        if after_id is not None:
            stmt = stmt.where(Change.id > after_id)
        if subject_id is not None:
            stmt = stmt.where(Change.subject_id == subject_id)
        if since is not None:
            stmt = stmt.where(Change.at > since)
        stmt = stmt.order_by(Change.id.desc() if newest_first else Change.id).limit(limit)
        rows = session.scalars(stmt).all()
        if not rows:
            return []
        claim_ids = sorted({i for r in rows for i in (r.claim_id, r.old_claim_id) if i is not None})
        entity_ids = sorted({r.subject_id for r in rows if r.subject_id is not None})
        article_ids = sorted({r.article_id for r in rows if r.article_id is not None})
        claims = {
            c.id: c
            for c in session.scalars(
                select(Claim).where(Claim.id.in_(claim_ids)).options(*_claim_options(with_sources=False))
            ).all()
        }
        entities = {
            e.id: _ref(e)
            for e in session.scalars(
                select(Entity)
                .where(Entity.id.in_(entity_ids))
                .options(load_only(Entity.id, Entity.slug, Entity.name, Entity.kind))
            ).all()
        }
        articles = {
            a.id: _article_ref(a)
            for a in session.scalars(
                select(Article).where(Article.id.in_(article_ids)).options(load_only(*_ARTICLE_REF_COLUMNS))
            ).all()
        }
        sources: dict[tuple[int, int], ClaimSource] = {}
        if claim_ids and article_ids:
            for s in session.scalars(
                select(ClaimSource).where(
                    ClaimSource.claim_id.in_(claim_ids), ClaimSource.article_id.in_(article_ids)
                )
            ).all():
                if s.article_id is not None:
                    sources.setdefault((s.claim_id, s.article_id), s)
        out: list[ChangeView] = []
        for r in rows:
            claim = claims.get(r.claim_id) if r.claim_id is not None else None
            old = claims.get(r.old_claim_id) if r.old_claim_id is not None else None
            article = articles.get(r.article_id) if r.article_id is not None else None
            src = sources.get((r.claim_id, r.article_id)) if r.claim_id and r.article_id else None
            out.append(
                ChangeView(
                    id=r.id,
                    at=r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC),
                    kind=r.kind,
                    subject=entities.get(r.subject_id) if r.subject_id is not None else None,
                    predicate=r.predicate,
                    fact=_fact(claim, with_sources=False) if claim is not None else None,
                    old_fact=_fact(old, with_sources=False) if old is not None else None,
                    article=article,
                    source=(
                        SourceView(
                            src.id,
                            article,
                            src.origin,
                            src.start,
                            src.end,
                            src.text,
                            src.stated_on,
                            src.confidence,
                        )
                        if src is not None
                        else None
                    ),
                    detail=dict(r.detail or {}),
                )
            )
        return out

    # -- articles -----------------------------------------------------------------------------------

    def article(self, article_id: int) -> ArticleView:
        if not 0 < article_id <= MAX_ROW_ID:  # no row has it, and the driver cannot bind it (≥ 2^63)
            raise NotFound("article", str(article_id))
        with Session(self.engine) as session:
            article = session.get(Article, article_id)
            if article is None:
                raise NotFound("article", str(article_id))
            sources = session.scalars(
                select(ClaimSource)
                .where(ClaimSource.article_id == article_id)
                .options(joinedload(ClaimSource.claim).options(*_claim_options(with_sources=False)))
                .order_by(ClaimSource.start, ClaimSource.id)
            ).all()
            ref = _article_ref(article)
            facts = [
                (
                    SourceView(s.id, ref, s.origin, s.start, s.end, s.text, s.stated_on, s.confidence),
                    _fact(s.claim, with_sources=False),
                )
                for s in sources
            ]
            return ArticleView(
                ref=ref,
                text=article.text,
                author=article.author,
                path=article.path,
                format=article.format,
                meta=dict(article.meta or {}),
                ingested_at=article.ingested_at,
                facts=facts,
            )

    def articles(self, *, limit: int = 20, offset: int = 0) -> list[ArticleRef]:
        """Newest first: by the article's date, then by when it was ingested."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(Article)
                .options(load_only(*_ARTICLE_REF_COLUMNS))
                .order_by(Article.published.desc().nulls_last(), Article.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            return [_article_ref(a) for a in rows]

    # -- lists ---------------------------------------------------------------------------------------

    def entities(self, *, kind: str, limit: int = 50, offset: int = 0) -> list[EntityRef]:
        with Session(self.engine) as session:
            rows = session.scalars(
                select(Entity)
                .where(Entity.kind == kind)
                .options(load_only(Entity.id, Entity.slug, Entity.name, Entity.kind))
                .order_by(Entity.slug)
                .limit(limit)
                .offset(offset)
            ).all()
            return [_ref(e) for e in rows]

    def work_summaries(self, *, today: date | None = None) -> list[WorkSummary]:
        """One line per work: premiere, season, status, studios and platforms (two queries)."""
        today = today or datetime.now(UTC).date()
        with Session(self.engine) as session:
            works = session.execute(
                select(Entity.id, Entity.slug, Entity.name, Entity.attrs)
                .where(Entity.kind == "work")
                .order_by(Entity.slug)
            ).all()
            rows = session.execute(
                select(Claim.subject_id, Claim.predicate, Claim.object, Claim.qualifiers, Claim.confidence)
                .join(Entity, Claim.subject_id == Entity.id)
                .where(
                    Entity.kind == "work",
                    Claim.predicate.in_(_SUMMARY_PREDICATES),
                    Claim.status != "superseded",
                )
                .order_by(Claim.confidence.desc(), Claim.id)
            ).all()
        by_work: dict[int, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for subject_id, predicate, obj, quals, _conf in rows:
            by_work[subject_id].append((predicate, obj, dict(quals or {})))
        return [
            self._summary(EntityRef(slug, name, "work"), dict(attrs or {}), by_work.get(eid, []), today)
            for eid, slug, name, attrs in works
        ]

    @staticmethod
    def _summary(
        ref: EntityRef, attrs: dict[str, Any], facts: Sequence[tuple[str, str, dict[str, Any]]], today: date
    ) -> WorkSummary:
        first: dict[str, str] = {}
        studios: list[str] = []
        platforms: list[tuple[str, str, str]] = []
        for predicate, obj, quals in facts:
            first.setdefault(predicate, obj)
            if predicate in ("studio", "animation_production") and obj not in studios:
                studios.append(obj)
            elif predicate in PLATFORM_PREDICATES:
                item = (predicate, obj, str(quals.get("region", "")))
                if item not in platforms:
                    platforms.append(item)
        premieres = sorted(
            (obj for p, obj, _q in facts if p == "premiere"), key=lambda v: (exact_date(v) is None, v)
        )
        premiere = premieres[0] if premieres else attrs.get("start_date") or attrs.get("season")
        premiere = str(premiere) if premiere else None
        season = season_of(premiere) or season_of(str(attrs.get("season") or ""))
        episodes = first.get("episodes") or (str(attrs["episodes"]) if attrs.get("episodes") else None)
        fmt = first.get("format") or (str(attrs["type"]).lower() if attrs.get("type") else None)
        return WorkSummary(
            ref=ref,
            format=fmt,
            premiere=premiere,
            season=season,
            status=_status(attrs.get("status"), premiere, episodes, today),
            episodes=episodes,
            studios=studios,
            platforms=platforms,
        )

    def premieres(self) -> list[FactView]:
        """Every premiere fact that is not superseded, with its sources."""
        with Session(self.engine) as session:
            claims = session.scalars(
                select(Claim)
                .where(Claim.predicate == "premiere", Claim.status != "superseded")
                .options(*_claim_options())
            ).all()
            return sorted((_fact(c) for c in claims), key=lambda f: (date_sort_key(f.object), f.claim_id))

    def platform_facts(self, *, work_slugs: Iterable[str] | None = None) -> list[FactView]:
        """Broadcaster and streaming facts (for calendar filters and where-to-watch)."""
        with Session(self.engine) as session:
            stmt = select(Claim).where(Claim.predicate.in_(PLATFORM_PREDICATES), Claim.status != "superseded")
            if work_slugs is not None:
                stmt = stmt.join(Entity, Claim.subject_id == Entity.id).where(
                    Entity.slug.in_(sorted(set(work_slugs)))
                )
            claims = session.scalars(stmt.options(*_claim_options(with_sources=False))).all()
            return [_fact(c, with_sources=False) for c in claims]

    def search_entries(self) -> list[SearchEntry]:
        """Every entity with every name it is known by (for the search index)."""
        with Session(self.engine) as session:
            entities = session.execute(select(Entity.id, Entity.slug, Entity.name, Entity.kind)).all()
            aliases: dict[int, list[str]] = defaultdict(list)
            for entity_id, name in session.execute(select(Alias.entity_id, Alias.name).order_by(Alias.id)):
                aliases[entity_id].append(name)
        out: list[SearchEntry] = []
        for entity_id, slug, name, kind in entities:
            names = [name, *(a for a in aliases.get(entity_id, []) if a != name)]
            out.append(SearchEntry(entity_id, EntityRef(slug, name, kind), tuple(dict.fromkeys(names))))
        return out


def _status(catalog: Any, premiere: str | None, episodes: str | None, today: date) -> str:
    """Catalog status when known; else derived from the premiere date and episode count."""
    if catalog:
        key = fold(str(catalog)).replace(" ", "_")
        if key in _CATALOG_STATUS:
            return _CATALOG_STATUS[key]
    if not premiere:
        return "unknown"
    day = exact_date(premiere)
    if day is None:
        return "upcoming" if date_sort_key(premiere) > today.isoformat() else "unknown"
    if day > today:
        return "upcoming"
    weeks = int(episodes) if episodes and episodes.isdigit() else 13
    return "airing" if (today - day).days <= weeks * 7 else "finished"
