"""Shape read models into the sections pages show (pure functions; no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from anigraph.names import fold, studio_key
from anigraph.store.readapi import EntityRef, EntityView, FactView, date_sort_key
from anigraph.store.seasons import SeasonWork

PATH_OF_KIND = {"work": "works", "person": "people", "character": "characters", "organization": "studios"}
KIND_OF_PATH = {v: k for k, v in PATH_OF_KIND.items()}


def ref_url(ref: EntityRef) -> str:
    return f"/{PATH_OF_KIND.get(ref.kind, 'works')}/{ref.slug}"


def label(predicate: str) -> str:
    """``series_composition`` → ``Series composition``."""
    text = predicate.replace("_", " ")
    return text[:1].upper() + text[1:]


@dataclass(slots=True)
class Credit:
    work: EntityRef
    roles: list[FactView]


def credits(view: EntityView) -> list[Credit]:
    """A person's (or studio's) mentions grouped by work, most credited first."""
    by_work: dict[str, Credit] = {}
    for f in view.mentions:
        by_work.setdefault(f.subject.slug, Credit(f.subject, [])).roles.append(f)
    return sorted(by_work.values(), key=lambda c: (-len(c.roles), c.work.name))


def premiere_split(
    premieres: list[FactView], *, today: date, limit: int = 12
) -> tuple[list[FactView], list[FactView]]:
    """(upcoming soonest first, recent latest first) by the premiere date; partial dates by their start."""
    upcoming: list[FactView] = []
    past: list[FactView] = []
    for f in premieres:
        key = date_sort_key(f.object)
        (upcoming if key >= today.isoformat()[: len(key)] else past).append(f)
    return upcoming[:limit], list(reversed(past))[:limit]


# -- season charts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeasonFilters:
    """The season chart's filters (query parameters, so a filtered chart is a link)."""

    platform: str | None = None
    region: str | None = None
    studio: str | None = None
    format: str | None = None

    @classmethod
    def of(cls, **values: str | None) -> SeasonFilters:
        return cls(**{k: (v.strip() or None) if v else None for k, v in values.items()})

    def items(self) -> list[tuple[str, str]]:
        pairs = (("platform", self.platform), ("region", self.region), ("studio", self.studio))
        return [(k, v) for k, v in (*pairs, ("format", self.format)) if v]

    def query(self) -> str:
        """``?platform=…&format=…`` for the filters that are set, else ``""``."""
        items = self.items()
        return "?" + urlencode(items) if items else ""


def _same(value: str, wanted: str) -> bool:
    return bool(fold(value)) and fold(value) == fold(wanted)


def _same_studio(value: str, wanted: str) -> bool:
    return _same(value, wanted) or (bool(studio_key(value)) and studio_key(value) == studio_key(wanted))


def season_matches(work: SeasonWork, filters: SeasonFilters) -> bool:
    """Platform: a channel, service or premiere venue; region: of the platform (of any when no
    platform is asked); studio and format: the work's. Names compare folded (case, accents)."""
    if filters.studio and not any(_same_studio(s, filters.studio) for s in work.studio_names):
        return False
    if filters.format and not (work.format_name and _same(work.format_name, filters.format)):
        return False
    platforms = work.platforms
    if filters.platform:
        wanted = filters.platform
        venues = [str(f.qualifiers.get("where", "")) for f in work.premieres]
        if not any(_same(f.object, wanted) for f in platforms) and not any(_same(v, wanted) for v in venues):
            return False
        platforms = [f for f in platforms if _same(f.object, wanted)]
    if filters.region:
        return any(_same(str(f.qualifiers.get("region", "")), filters.region) for f in platforms)
    return True


def season_options(works: list[SeasonWork]) -> dict[str, list[str]]:
    """The values each filter can take in this season (for the filter form), sorted."""
    seen: dict[str, dict[str, str]] = {"platform": {}, "region": {}, "studio": {}, "format": {}}
    for w in works:
        for f in w.platforms:
            seen["platform"].setdefault(fold(f.object), f.object)
            region = str(f.qualifiers.get("region", "")).strip()
            if region:
                seen["region"].setdefault(fold(region), region)
        for s in w.studio_names:
            seen["studio"].setdefault(studio_key(s) or fold(s), s)
        if w.format_name:
            seen["format"].setdefault(fold(w.format_name), w.format_name)
    return {k: sorted(v.values(), key=fold) for k, v in seen.items()}


@dataclass(slots=True)
class WeekGroup:
    """The works premiering in one week (Monday to Sunday); ``start`` None: date to be announced."""

    start: date | None
    works: list[SeasonWork]

    @property
    def label(self) -> str:
        if self.start is None:
            return "Date to be announced within the season"
        return f"Week of Monday {self.start.day} {self.start:%B %Y}"

    @property
    def anchor(self) -> str:
        return f"week-{self.start.isoformat()}" if self.start else "week-tba"


def season_weeks(works: list[SeasonWork]) -> list[WeekGroup]:
    """Works grouped by the week of their premiere day, weeks in order; month- or season-only
    premieres last, in one "to be announced" group."""
    weeks: dict[date | None, WeekGroup] = {}
    for w in works:
        start = w.day - timedelta(days=w.day.weekday()) if w.day else None
        weeks.setdefault(start, WeekGroup(start, [])).works.append(w)
    return sorted(weeks.values(), key=lambda g: (g.start is None, g.start or date.max))


def season_title(year: int, season: str) -> str:
    return f"{season.capitalize()} {year}"


def partial_date(value: str) -> str:
    """``2031-05`` → ``May 2031``, ``2031-spring`` → ``Spring 2031``; anything else as it is."""
    parts = value.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{date(int(parts[0]), int(parts[1]), 1):%B} {parts[0]}"
    if len(parts) == 2 and parts[0].isdigit() and parts[1] in ("winter", "spring", "summer", "fall"):
        return season_title(int(parts[0]), parts[1])
    return value


# -- person timelines ---------------------------------------------------------------------------------


@dataclass(slots=True)
class RoleCredits:
    role: str  # a predicate: director, cast, opening_theme, …
    facts: list[FactView]


@dataclass(slots=True)
class YearCredits:
    year: str | None  # None: the works' premiere year is not known
    roles: list[RoleCredits]

    @property
    def works(self) -> int:
        return len({f.subject.slug for r in self.roles for f in r.facts})


def timeline(view: EntityView, years: dict[str, str]) -> list[YearCredits]:
    """A person's (or studio's) credits by the year their works premiered (newest first), then by
    role (most credited first), works by name; works of unknown year last."""
    by_year: dict[str | None, dict[str, list[FactView]]] = {}
    for f in view.mentions:
        if f.status == "superseded":
            continue
        year = years.get(f.subject.slug)
        by_year.setdefault(year, {}).setdefault(f.predicate, []).append(f)
    out: list[YearCredits] = []
    for year, by_role in by_year.items():
        roles = [
            RoleCredits(role, sorted(facts, key=lambda f: (f.subject.name.casefold(), f.claim_id)))
            for role, facts in by_role.items()
        ]
        roles.sort(key=lambda r: (-len(r.facts), r.role))
        out.append(YearCredits(year, roles))
    known = sorted((y for y in out if y.year is not None), key=lambda y: y.year or "", reverse=True)
    return known + [y for y in out if y.year is None]
