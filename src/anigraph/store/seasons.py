"""Season reads: every work premiering in one anime season, with the facts a season chart shows.

Seasons follow the broadcast quarters: winter = January-March, spring = April-June,
summer = July-September, fall = October-December. A work belongs to the season of its
*primary* premiere: the most precise premiere it has (an exact day before a month, a month
before a season name), current facts before disputed ones, an article's fact before the
catalog's ``start_date``/``season`` at equal precision, and the earliest value among equals.
So a work that premiered in Japan in January and streams elsewhere from April is a winter
work only. A work whose primary premiere is a bare year is in no season.

``read_season`` loads a season in a fixed number of statements however many works it holds
(no N+1): the works whose premiere claim falls in the season (a range over the partial index
``ix_claims_premiere_object``) or whose catalog attributes say so, their entity rows, their
card facts and, apart, their sources with the articles' headlines (plain rows: building ORM
objects cost more than the queries), and the distinct sources (articles, catalogs) of each work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, literal, or_, select, union
from sqlalchemy.orm import Session, aliased

from anigraph.errors import NotFound
from anigraph.store.readapi import (
    SEASONS,
    ArticleRef,
    EntityRef,
    FactView,
    SourceView,
    _fact_order,
    exact_date,
    season_of,
)
from anigraph.store.tables import Article, Claim, ClaimSource, Entity

# What a season card shows besides the premiere.
CARD_PREDICATES = (
    "premiere",
    "studio",
    "animation_production",
    "format",
    "broadcaster",
    "streaming",
    "opening_theme",
    "ending_theme",
)
FIRST_YEAR, LAST_YEAR = 1900, 2200
_PRECISION = {"day": 0, "month": 1, "season": 2, "year": 3}


def current_season(today: date) -> tuple[int, str]:
    """``2026-12-08`` → ``(2026, "fall")``."""
    return today.year, SEASONS[(today.month - 1) // 3]


def neighbour(year: int, season: str, *, step: int) -> tuple[int, str]:
    """The season ``step`` quarters away: ``neighbour(2024, "winter", step=-1)`` → ``(2023, "fall")``."""
    index = year * 4 + SEASONS.index(season) + step
    return index // 4, SEASONS[index % 4]


def check_season(year: int, season: str) -> None:
    if season not in SEASONS:
        raise NotFound("season", f"{year}/{season}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound("season", f"{year}/{season}")


def precision(value: str | None) -> str | None:
    """``2024-01-11`` → day, ``2024-01`` → month, ``2024-winter`` → season, ``2024`` → year."""
    if not value:
        return None
    if exact_date(value) is not None:
        return "day"
    parts = value.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    if len(parts) == 1:
        return "year"
    if len(parts) == 2 and parts[1] in SEASONS:
        return "season"
    if len(parts) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return "month"
    return None


@dataclass(slots=True)
class SeasonWork:
    """One card of a season chart: the work, its primary premiere and the facts shown with it."""

    ref: EntityRef
    premiere: str  # the primary premiere: YYYY-MM-DD, YYYY-MM or YYYY-season
    day: date | None  # the premiere day when it is exact
    premiere_fact: FactView | None  # None when the premiere comes from a catalog
    premieres: list[FactView] = field(default_factory=list)
    studios: list[FactView] = field(default_factory=list)
    formats: list[FactView] = field(default_factory=list)
    broadcasters: list[FactView] = field(default_factory=list)
    streaming: list[FactView] = field(default_factory=list)
    openings: list[FactView] = field(default_factory=list)
    endings: list[FactView] = field(default_factory=list)
    catalog: dict[str, Any] = field(default_factory=dict)  # type, studios, episodes, start_date, season
    source_count: int = 0  # articles and catalogs stating anything about the work, each once

    @property
    def platforms(self) -> list[FactView]:
        return [*self.broadcasters, *self.streaming]

    @property
    def studio_names(self) -> list[str]:
        names = [f.object for f in self.studios]
        names += [str(s) for s in self.catalog.get("studios") or [] if str(s) not in names]
        return names

    @property
    def format_name(self) -> str | None:
        if self.formats:
            return self.formats[0].object
        kind = self.catalog.get("type")
        return str(kind).lower() if kind else None

    def to_json(self) -> dict[str, Any]:
        def facts(items: list[FactView]) -> list[dict[str, Any]]:
            return [f.to_json() for f in items]

        return {
            **self.ref.to_json(),
            "premiere": self.premiere,
            "premiere_precision": precision(self.premiere),
            "weekday": self.day.strftime("%A") if self.day else None,
            "premiere_fact": self.premiere_fact.to_json() if self.premiere_fact else None,
            "format": self.format_name,
            "studios": self.studio_names,
            "facts": {
                "premiere": facts(self.premieres),
                "studio": facts(self.studios),
                "format": facts(self.formats),
                "broadcaster": facts(self.broadcasters),
                "streaming": facts(self.streaming),
                "opening_theme": facts(self.openings),
                "ending_theme": facts(self.endings),
            },
            "catalog": self.catalog,
            "source_count": self.source_count,
        }


@dataclass(slots=True)
class SeasonView:
    year: int
    season: str
    works: list[SeasonWork]  # by premiere (exact days first, then month, then season), then title


def _bounds(year: int, season: str) -> tuple[str, str]:
    """The half-open string range of the season's months: winter 2024 → ("2024-01", "2024-04")."""
    first = SEASONS.index(season) * 3 + 1
    end_year, end_month = (year + 1, 1) if first == 10 else (year, first + 3)
    return f"{year:04d}-{first:02d}", f"{end_year:04d}-{end_month:02d}"


def _in_season(value: str | None, key: str) -> bool:
    return precision(value) in ("day", "month", "season") and season_of(value) == key


def _rank(value: str, *, status: str, catalog: bool) -> tuple[int, int, int, str]:
    return (
        _PRECISION.get(precision(value) or "", 9),
        0 if status == "current" else 1,
        1 if catalog else 0,
        value,
    )


def read_season(engine: Engine, *, year: int, season: str) -> SeasonView:
    """Every work whose primary premiere falls in ``season`` of ``year`` (see the module docstring)."""
    check_season(year, season)
    key = f"{year:04d}-{season}"
    low, high = _bounds(year, season)
    with Session(engine) as session:
        # literal_execute: the value is written into the SQL, so SQLite can use the partial index
        premiere = Claim.predicate == literal("premiere", literal_execute=True)
        current = Claim.status != "superseded"
        by_claim = union(  # two index searches (an OR of both would scan the index)
            select(Claim.subject_id).where(premiere, current, Claim.object >= low, Claim.object < high),
            select(Claim.subject_id).where(premiere, current, Claim.object == key),
        )
        start = Entity.attrs["start_date"].as_string()
        by_catalog = select(Entity.id).where(
            Entity.kind == "work",
            or_(Entity.attrs["season"].as_string() == key, and_(start >= low, start < high)),
        )
        ids = sorted(set(session.scalars(by_claim).all()) | set(session.scalars(by_catalog).all()))
        if not ids:
            return SeasonView(year, season, [])
        works = {
            eid: (EntityRef(slug, name, "work"), dict(attrs or {}))
            for eid, slug, name, attrs in session.execute(
                select(Entity.id, Entity.slug, Entity.name, Entity.attrs).where(
                    Entity.id.in_(ids), Entity.kind == "work"
                )
            )
        }
        facts = _card_facts(session, sorted(works))
        # sources as the work page counts them: each article, and each catalog, once
        counts: dict[int, int] = defaultdict(int)
        for subject_id, _origin, _article in session.execute(
            select(Claim.subject_id, ClaimSource.origin, ClaimSource.article_id)
            .join(ClaimSource, ClaimSource.claim_id == Claim.id)
            .where(Claim.subject_id.in_(sorted(works)))
            .distinct()
        ):
            counts[subject_id] += 1
    out: list[SeasonWork] = []
    for eid, (ref, attrs) in works.items():
        item = _card(ref, attrs, sorted(facts.get(eid, []), key=_fact_order), key)
        if item is not None:
            item.source_count = int(counts.get(eid, 0))
            out.append(item)
    out.sort(
        key=lambda w: (w.day is None, w.day or date.max, precision(w.premiere) or "", w.ref.name.casefold())
    )
    return SeasonView(year, season, out)


def _card_facts(session: Session, work_ids: list[int]) -> dict[int, list[FactView]]:
    """The works' card facts with their sources, by work id (two statements, rows not ORM objects)."""
    where = (
        Claim.subject_id.in_(work_ids),
        Claim.predicate.in_(CARD_PREDICATES),
        Claim.status != "superseded",
    )
    sources = _card_sources(session, where)
    target = aliased(Entity)
    facts: dict[int, list[FactView]] = defaultdict(list)
    for row in session.execute(
        select(
            Claim.id, Claim.subject_id, Claim.predicate, Claim.object, Claim.qualifiers, Claim.confidence,
            Claim.status, Claim.first_seen, Entity.slug, Entity.name, target.slug, target.name, target.kind,
        )
        .join(Entity, Entity.id == Claim.subject_id)
        .outerjoin(target, target.id == Claim.object_id)
        .where(*where)
    ):  # fmt: skip
        cid, subject_id, predicate, obj, quals, conf, status, first_seen = row[:8]
        slug, name, oslug, oname, okind = row[8:]
        facts[subject_id].append(
            FactView(
                claim_id=cid,
                subject=EntityRef(slug, name, "work"),
                predicate=predicate,
                object=obj,
                object_ref=EntityRef(oslug, oname, okind) if oslug is not None else None,
                qualifiers=dict(quals or {}),
                confidence=conf,
                status=status,
                first_seen=first_seen,
                sources=sources.get(cid, []),
            )
        )
    return facts


def _card_sources(session: Session, where: tuple[Any, ...]) -> dict[int, list[SourceView]]:
    """The sources of the claims ``where`` selects, by claim id, oldest first."""
    sources: dict[int, list[SourceView]] = defaultdict(list)
    for row in session.execute(
        select(
            ClaimSource.claim_id, ClaimSource.id, ClaimSource.origin, ClaimSource.start, ClaimSource.end,
            ClaimSource.text, ClaimSource.stated_on, ClaimSource.confidence,
            Article.id, Article.headline, Article.path, Article.url, Article.published,
        )
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .outerjoin(Article, Article.id == ClaimSource.article_id)
        .where(*where)
        .order_by(ClaimSource.id)
    ):  # fmt: skip
        claim_id, sid, origin, start, end, text, stated_on, conf, aid, headline, path, url, published = row
        article = None
        if aid is not None:
            article = ArticleRef(aid, headline or path or url or f"Article {aid}", published, url)
        sources[claim_id].append(SourceView(sid, article, origin, start, end, text, stated_on, conf))
    return sources


def _card(ref: EntityRef, attrs: dict[str, Any], facts: list[FactView], key: str) -> SeasonWork | None:
    """The work's card when its primary premiere is in the season ``key``, else ``None``."""
    premieres = [f for f in facts if f.predicate == "premiere"]
    options: list[tuple[tuple[int, int, int, str], FactView | None, str]] = [
        (_rank(f.object, status=f.status, catalog=False), f, f.object)
        for f in premieres
        if precision(f.object)
    ]
    for attr in ("start_date", "season"):
        value = str(attrs.get(attr) or "")
        if precision(value):
            options.append((_rank(value, status="current", catalog=True), None, value))
    if not options:
        return None
    _r, fact, value = min(options, key=lambda o: o[0])
    if not _in_season(value, key):
        return None
    by: dict[str, list[FactView]] = defaultdict(list)
    for f in facts:
        by[f.predicate].append(f)
    catalog = {k: attrs[k] for k in ("type", "studios", "episodes", "start_date", "season") if attrs.get(k)}
    return SeasonWork(
        ref=ref,
        premiere=value,
        day=exact_date(value),
        premiere_fact=fact,
        premieres=premieres,
        studios=by["studio"] + by["animation_production"],
        formats=by["format"],
        broadcasters=by["broadcaster"],
        streaming=by["streaming"],
        openings=by["opening_theme"],
        endings=by["ending_theme"],
        catalog=catalog,
    )


def premiere_years(engine: Engine, *, work_slugs: list[str]) -> dict[str, str]:
    """The year of each work's primary premiere (claims, else catalog), by slug (two statements)."""
    slugs = sorted(set(work_slugs))
    if not slugs:
        return {}
    with Session(engine) as session:
        works = session.execute(
            select(Entity.id, Entity.slug, Entity.attrs).where(Entity.slug.in_(slugs), Entity.kind == "work")
        ).all()
        rows = session.execute(
            select(Claim.subject_id, Claim.object, Claim.status).where(
                Claim.subject_id.in_(sorted(w.id for w in works)),
                Claim.predicate == literal("premiere", literal_execute=True),
                Claim.status != "superseded",
            )
        ).all()
    options: dict[int, list[tuple[tuple[int, int, int, str], str]]] = defaultdict(list)
    for subject_id, value, status in rows:
        if precision(value):
            options[subject_id].append((_rank(value, status=status, catalog=False), value))
    out: dict[str, str] = {}
    for eid, slug, attrs in works:
        found = list(options.get(eid, []))
        for attr in ("start_date", "season", "year"):
            value = str((attrs or {}).get(attr) or "")
            if precision(value):
                found.append((_rank(value, status="current", catalog=True), value))
        if found:
            out[slug] = min(found)[1][:4]
    return out
