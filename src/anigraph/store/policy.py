"""Merge policy as data: which predicates hold one value, which entity kind an object is.

Kept apart from the SQL so the rules are easy to read and to test:

* ``SINGLE_VALUED`` predicates hold one value per *scope* (``premiere`` is scoped by its
  ``where`` qualifier: a TV premiere and a streaming premiere may differ). When articles
  disagree, the value stated by the later article supersedes the older one; when no article
  is clearly later (same or unknown dates), a conflict is opened and both values are kept.
  A more precise value that agrees with a vaguer one (``2024-01-10`` vs ``2024-winter``,
  ``2024-01``, ``2024``) is no disagreement: it is the same claim, refined (``refines``),
  and the vaguer value goes to the history. A partial value that disagrees (``2024-02`` vs
  ``2024-01-10``) is a contradiction like any other.
* Every other predicate is multi-valued (staff, cast, streaming, genres, …): values accumulate.
"""

from __future__ import annotations

import re

from anigraph.models import STAFF_PREDICATES
from anigraph.names import fold

# predicate -> qualifier that splits it into scopes ("" = one scope for the whole subject)
SINGLE_VALUED: dict[str, str] = {
    "premiere": "where",
    "format": "",
    "episodes": "",
    "based_on": "",
}

# Object entity kind by predicate; predicates not listed carry plain values.
OBJECT_KINDS: dict[str, str] = {
    **{p: "person" for p in STAFF_PREDICATES},
    "animation_production": "organization",
    "cast": "person",
    "studio": "organization",
    "broadcaster": "organization",
    "streaming": "organization",
    "affiliation": "organization",
    "character": "character",
    "sequel_of": "work",
    "related": "work",
    "known_for": "work",
}

# Qualifiers that name an entity, and that entity's kind.
QUALIFIER_KINDS: dict[str, str] = {"performer": "person", "character": "character"}

ENTITY_KINDS: frozenset[str] = frozenset({"work", "person", "character", "organization"})

# Order in which staff roles are shown.
ROLE_ORDER: tuple[str, ...] = (
    "original_creator", "chief_director", "director", "assistant_director", "series_composition",
    "screenplay", "storyboard", "character_design", "chief_animation_director", "animation_director",
    "mechanical_design", "creature_design", "prop_design", "art_director", "color_design",
    "director_of_photography", "cg_director", "action_director", "editing", "sound_director", "music",
    "chief_supervisor", "supervisor", "producer", "planning", "animation_production",
)  # fmt: skip

# Extra keys an extractor may set on a fact to say the text announces a change
# ("has been delayed to …", "now premieres …").
CHANGE_SIGNAL_KEYS: tuple[str, ...] = ("change", "changed", "update")

# Words in an evidence sentence that announce a changed value; used when the extractor did
# not mark the fact itself (see CHANGE_SIGNAL_KEYS).
CHANGE_WORDS: tuple[str, ...] = (
    r"delay(?:s|ed)?", r"postpone(?:s|d)?", r"push(?:es|ed)? back", r"reschedul\w*", r"moved? (?:up )?to",
    r"chang(?:e|es|ed) (?:to|its)", r"instead of", r"new (?:premiere |release |air )?date", r"no longer",
)  # fmt: skip
_CHANGE = re.compile(r"\b(?:" + "|".join(CHANGE_WORDS) + r")\b", re.IGNORECASE)


def signals_change(evidence: str) -> bool:
    """True when an evidence sentence announces that a value changed ("delayed to July")."""
    return bool(_CHANGE.search(evidence))


_SEASON_MONTHS = {"winter": (1, 3), "spring": (4, 6), "summer": (7, 9), "fall": (10, 12), "autumn": (10, 12)}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|winter|spring|summer|fall|autumn)(?:-(\d{2}))?)?$")


def noisy_or(confidences: list[float]) -> float:
    """Aggregate confidence of independent sources: 1 - Π(1 - c)."""
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - min(max(c, 0.0), 1.0)
    return round(1.0 - miss, 6)


def _month_range(value: str) -> tuple[int, int, int, int] | None:
    """(year, first month, last month, day or 0) for a date-like value, else None."""
    m = _DATE.match(value.strip().lower())
    if not m:
        return None
    year = int(m.group(1))
    part, day = m.group(2), m.group(3)
    if part is None:
        return (year, 1, 12, 0)
    if part in _SEASON_MONTHS:
        lo, hi = _SEASON_MONTHS[part]
        return (year, lo, hi, 0)
    month = int(part)
    return (year, month, month, int(day) if day else 0)


def compatible(predicate: str, a: str, b: str) -> bool:
    """True when two values of a single-valued predicate do not contradict each other."""
    if fold(a) == fold(b):
        return True
    if predicate != "premiere":
        return False
    ra, rb = _month_range(a), _month_range(b)
    if ra is None or rb is None or ra[0] != rb[0]:
        return False
    overlap = ra[1] <= rb[2] and rb[1] <= ra[2]
    if not overlap:
        return False
    if ra[3] and rb[3]:  # both have a day: same month range and same day needed
        return ra[1] == rb[1] and ra[3] == rb[3]
    return True


def precision(value: str) -> int:
    """How precise a date-like value is (day 3, month 2, season 1, year 0); others 0."""
    m = _DATE.match(value.strip().lower())
    if not m or m.group(2) is None:
        return 0
    if m.group(3):
        return 3
    return 2 if m.group(2).isdigit() else 1


def refines(predicate: str, finer: str, vaguer: str) -> bool:
    """True when ``finer`` states ``vaguer`` more precisely (``2026-01-16`` refines ``2026-01``, ``2026``
    and ``2026-winter``; not ``2026-02``): the same claim, not a second value."""
    return precision(finer) > precision(vaguer) and compatible(predicate, finer, vaguer)


def date_key(value: str | None) -> str | None:
    """A sortable form of an article date (YYYY[-MM[-DD]] prefix), or None when unknown."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    if not m:
        return None
    return "-".join(p for p in m.groups() if p)


def later(a: str | None, b: str | None) -> bool:
    """True when date ``a`` is clearly after date ``b`` (both known, not the same period)."""
    if a is None or b is None:
        return False
    common = min(len(a), len(b))
    return a[:common] > b[:common]


def scope_of(predicate: str, qualifiers: dict[str, str]) -> str:
    """The scope a single-valued predicate's value holds in (folded qualifier value or "")."""
    key = SINGLE_VALUED.get(predicate, "")
    return fold(qualifiers.get(key, "")) if key else ""


CONTEXT_TITLES = 8  # titles of a work given as linking context to the people and studios it credits
