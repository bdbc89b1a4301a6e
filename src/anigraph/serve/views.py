"""Shape read models into the sections pages show (pure functions; no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from anigraph.store.readapi import EntityRef, EntityView, FactView, date_sort_key

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
