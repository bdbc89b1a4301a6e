"""iCalendar (RFC 5545) premieres and the Atom 1.0 feed of fact changes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from icalendar import Calendar, Event
from starlette.responses import Response

from anigraph.names import fold
from anigraph.serve import views
from anigraph.serve.highlight import describe
from anigraph.serve.pages import state_of
from anigraph.store.readapi import ChangeView, EntityRef, FactView, exact_date
from anigraph.store.seasons import SeasonWork, check_season

router = APIRouter(include_in_schema=True, tags=["feeds"])
ICS = "text/calendar; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
ATOM_NS = "http://www.w3.org/2005/Atom"
PRODID = "-//anigraph//premieres//EN"


@dataclass(slots=True)
class Premiere:
    work: EntityRef
    day: date
    where: list[str] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return f"{self.work.slug}-premiere-{self.day.isoformat()}@anigraph"


def premieres_by_day(facts: list[FactView]) -> list[Premiere]:
    """One event per work and exact day; the channels/services the facts name are merged."""
    out: dict[tuple[str, date], Premiere] = {}
    for f in facts:
        day = exact_date(f.object)
        if day is None:
            continue
        item = out.setdefault((f.subject.slug, day), Premiere(f.subject, day))
        item.facts.append(f)
        where = str(f.qualifiers.get("where", "")).strip()
        if where and where not in item.where:
            item.where.append(where)
    return sorted(out.values(), key=lambda p: (p.day, p.work.name))


def _matches(value: str, wanted: str) -> bool:
    a, b = fold(value), fold(wanted)
    return bool(a and b) and (a == b or b in a)


def filter_premieres(
    items: list[Premiere], platforms: list[FactView], *, platform: str | None, region: str | None
) -> list[Premiere]:
    """Keep premieres on ``platform`` (the fact's channel or the work's services) in ``region``."""
    if not platform and not region:
        return items
    by_work: dict[str, list[FactView]] = {}
    for f in platforms:
        by_work.setdefault(f.subject.slug, []).append(f)
    kept: list[Premiere] = []
    for p in items:
        services = by_work.get(p.work.slug, [])
        if platform and not (
            any(_matches(w, platform) for w in p.where) or any(_matches(f.object, platform) for f in services)
        ):
            continue
        if region:
            pool = [f for f in services if not platform or _matches(f.object, platform)]
            if not any(_matches(str(f.qualifiers.get("region", "")), region) for f in pool):
                continue
        kept.append(p)
    return kept


def calendar_bytes(items: list[Premiere], *, base: str, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for p in items:
        event = Event()
        event.add("uid", p.uid)
        stamp = min((f.first_seen for f in p.facts if f.first_seen), default=None)
        event.add("dtstamp", (stamp or datetime(2000, 1, 1)).replace(tzinfo=UTC))
        event.add("dtstart", p.day)
        event.add("dtend", p.day + timedelta(days=1))
        where = f" ({', '.join(p.where)})" if p.where else ""
        event.add("summary", f"{p.work.name} premiere{where}")
        lines = [f"{p.work.name} premieres on {p.day.isoformat()}{where}.", "Sources:"]
        for f in p.facts:
            for s in f.sources:
                if s.article is not None:
                    lines.append(f"- {s.text.strip()} ({base}/articles/{s.article.id}#f-{s.id})")
        event.add("description", "\n".join(lines))
        event.add("url", f"{base}{views.ref_url(p.work)}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/calendar.ics", summary="Premieres with exact dates as all-day iCalendar events")
async def calendar(
    request: Request,
    platform: Annotated[
        str | None, Query(description="channel or streaming service, e.g. Crunchyroll")
    ] = None,
    region: Annotated[str | None, Query(description="region of the service, e.g. Asia")] = None,
) -> Response:
    state = state_of(request)

    def build() -> bytes:
        items = premieres_by_day(state.read.premieres())
        if platform or region:
            items = filter_premieres(items, state.read.platform_facts(), platform=platform, region=region)
        return calendar_bytes(items, base=_base(request), name="anigraph premieres")

    return await state.cached(request, build, media_type=ICS)


@router.get("/works/{slug}/calendar.ics", summary="One work's premieres as all-day iCalendar events")
async def work_calendar(request: Request, slug: str) -> Response:
    state = state_of(request)

    def build() -> bytes:
        view = state.read.entity(slug, kind="work")
        items = premieres_by_day(
            [f for f in view.facts if f.predicate == "premiere" and f.status != "superseded"]
        )
        return calendar_bytes(items, base=_base(request), name=f"{view.ref.name} premieres")

    return await state.cached(request, build, media_type=ICS)


def season_premieres(works: list[SeasonWork]) -> list[Premiere]:
    """The exact-day premieres of a season's works (a catalog's day when no article gives one)."""
    items: list[Premiere] = []
    for w in works:
        if w.day is None:
            continue
        facts = [f for f in w.premieres if exact_date(f.object) == w.day]
        found = premieres_by_day(facts)
        items.extend(found or [Premiere(w.ref, w.day)])
    return sorted(items, key=lambda p: (p.day, p.work.name))


@router.get(
    "/season/{year}/{season}/calendar.ics",
    summary="A season's premieres with exact dates as all-day iCalendar events (same filters as the page)",
)
async def season_calendar(
    request: Request,
    year: int,
    season: str,
    platform: Annotated[str | None, Query(max_length=200)] = None,
    region: Annotated[str | None, Query(max_length=200)] = None,
    studio: Annotated[str | None, Query(max_length=200)] = None,
    format: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    state = state_of(request)
    check_season(year, season)
    filters = views.SeasonFilters.of(platform=platform, region=region, studio=studio, format=format)

    def build() -> bytes:
        works = [w for w in state.season(year, season).works if views.season_matches(w, filters)]
        name = f"anigraph: {views.season_title(year, season)} premieres"
        return calendar_bytes(season_premieres(works), base=_base(request), name=name)

    return await state.cached(request, build, media_type=ICS)


_CHANGE_WORDS = {
    "claim_added": "new fact",
    "source_added": "another source",
    "superseded": "changed",
    "conflict_opened": "conflict",
    "conflict_resolved": "conflict resolved",
    "entity_created": "new entry",
}


def change_title(change: ChangeView) -> str:
    what = _CHANGE_WORDS.get(change.kind, change.kind.replace("_", " "))
    if change.fact is not None:
        return f"{describe(change.fact)} [{what}]"
    subject = change.subject.name if change.subject else "anigraph"
    return f"{subject}: {change.predicate or ''} [{what}]".replace(":  [", " [")


def atom_bytes(changes: list[ChangeView], *, base: str, updated: datetime | None) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", "urn:anigraph:changes")
    sub(feed, "title", "anigraph: fact changes")
    sub(feed, "subtitle", "What the news changed, with the sentence that says so")
    stamp = updated or (changes[0].at if changes else datetime(2000, 1, 1, tzinfo=UTC))
    sub(feed, "updated", stamp.astimezone(UTC).isoformat())
    sub(feed, "link", rel="self", href=f"{base}/changes.atom", type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=f"{base}/", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", "anigraph")
    sub(feed, "generator", "anigraph")
    for c in changes:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:anigraph:change:{c.id}")
        sub(entry, "title", change_title(c))
        sub(entry, "updated", c.at.astimezone(UTC).isoformat())
        if c.subject is not None:
            sub(entry, "link", rel="alternate", href=f"{base}{views.ref_url(c.subject)}", type="text/html")
        lines: list[str] = []
        if c.old_fact is not None:
            lines.append(f"Was: {describe(c.old_fact)}")
        if c.source is not None and c.article is not None:
            href = f"{base}/articles/{c.article.id}#f-{c.source.id}"
            sub(entry, "link", rel="related", href=href, type="text/html", title=c.article.title)
            lines.append(f"Source: “{c.source.text.strip()}” — {c.article.title} ({href})")
        elif c.article is not None:
            href = f"{base}/articles/{c.article.id}"
            sub(entry, "link", rel="related", href=href, type="text/html", title=c.article.title)
            lines.append(f"Article: {c.article.title} ({href})")
        sub(entry, "summary", "\n".join(lines) or change_title(c), type="text")
        if c.predicate:
            sub(entry, "category", term=c.predicate)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data


@router.get("/changes.atom", summary="Atom 1.0 feed of the latest fact changes with their sources")
async def changes_atom(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    state = state_of(request)

    def build() -> bytes:
        rows = state.read.changes(limit=limit, newest_first=True, facts_only=True)
        return atom_bytes(rows, base=_base(request), updated=state.last_modified)

    return await state.cached(request, build, media_type=ATOM)
