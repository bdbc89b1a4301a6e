"""Shape read models into the sections pages show (pure functions; no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from anigraph.names import fold
from anigraph.store.readapi import EntityRef, EntityView, FactView, date_sort_key

PATH_OF_KIND = {"work": "works", "person": "people", "character": "characters", "organization": "studios"}
KIND_OF_PATH = {v: k for k, v in PATH_OF_KIND.items()}

ROLE_ORDER = (
    "original_creator",
    "chief_director",
    "director",
    "assistant_director",
    "series_composition",
    "screenplay",
    "storyboard",
    "character_design",
    "chief_animation_director",
    "animation_director",
    "mechanical_design",
    "creature_design",
    "prop_design",
    "art_director",
    "color_design",
    "director_of_photography",
    "cg_director",
    "action_director",
    "editing",
    "sound_director",
    "music",
    "chief_supervisor",
    "supervisor",
    "producer",
    "planning",
)
THEMES = ("opening_theme", "ending_theme", "insert_song")
OVERVIEW = ("format", "based_on", "episodes", "genre", "trailer", "sequel_of", "related")
STUDIO = ("studio", "animation_production")
WATCH = ("premiere", "broadcaster", "streaming")
STORY = ("character", "setting", "synopsis")
SHOWN = frozenset((*ROLE_ORDER, *THEMES, *OVERVIEW, *STUDIO, *WATCH, *STORY, "cast", "alias"))


def ref_url(ref: EntityRef) -> str:
    return f"/{PATH_OF_KIND.get(ref.kind, 'works')}/{ref.slug}"


def label(predicate: str) -> str:
    """``series_composition`` → ``Series composition``."""
    text = predicate.replace("_", " ")
    return text[:1].upper() + text[1:]


def _live(facts: list[FactView]) -> list[FactView]:
    """Current and disputed facts first; superseded ones stay (struck through) for the record."""
    return sorted(facts, key=lambda f: (f.status == "superseded", -f.confidence, f.claim_id))


@dataclass(slots=True)
class WorkPage:
    view: EntityView
    titles: list[tuple[str, str]]  # (name, how it is known: kind/origin)
    overview: list[tuple[str, list[FactView]]]
    studios: list[FactView]
    watch: list[FactView]
    staff: list[FactView]
    cast: list[FactView]
    themes: list[FactView]
    characters: list[tuple[FactView, list[FactView]]]  # character fact, facts about that character
    setting: list[FactView]
    synopsis: list[FactView]
    other: list[FactView]
    attrs: dict[str, Any] = field(default_factory=dict)


def work_page(view: EntityView) -> WorkPage:
    by = view.by_predicate()
    titles: list[tuple[str, str]] = [
        (n, k if o in ("article", "") else f"{k}, {o}") for n, k, o in view.aliases
    ]
    seen = {fold(view.ref.name), *(fold(n) for n, _k in titles)}
    for f in by.get("alias", []):
        if fold(f.object) not in seen:
            seen.add(fold(f.object))
            titles.append((f.object, "as written in an article"))
    role_rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    staff = sorted(
        (f for p in ROLE_ORDER for f in by.get(p, [])),
        key=lambda f: (role_rank[f.predicate], f.status == "superseded", f.claim_id),
    )
    about: dict[str, list[FactView]] = {}
    for f in view.related:
        about.setdefault(f.subject.slug, []).append(f)
    characters = [
        (f, about.get(f.object_ref.slug, []) if f.object_ref else []) for f in _live(by.get("character", []))
    ]
    watch = sorted(
        (f for p in WATCH for f in by.get(p, [])),
        key=lambda f: (WATCH.index(f.predicate), f.status == "superseded", f.claim_id),
    )
    return WorkPage(
        view=view,
        titles=titles,
        overview=[(p, _live(by[p])) for p in OVERVIEW if p in by],
        studios=_live([f for p in STUDIO for f in by.get(p, [])]),
        watch=watch,
        staff=staff,
        cast=sorted(by.get("cast", []), key=lambda f: (str(f.qualifiers.get("character", "")), f.claim_id)),
        themes=sorted(
            (f for p in THEMES for f in by.get(p, [])), key=lambda f: (THEMES.index(f.predicate), f.claim_id)
        ),
        characters=characters,
        setting=_live(by.get("setting", [])),
        synopsis=_live(by.get("synopsis", [])),
        other=[f for f in view.facts if f.predicate not in SHOWN],
        attrs=view.attrs,
    )


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
