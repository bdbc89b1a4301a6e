"""Entity linking interface (placeholder: exact folded-name match; the real linker replaces it).

The store builds a ``Linker`` from the entities it holds and asks it, for every name the
extractor found, which entity (if any) the name refers to. ``None`` as a match is the NIL
decision: the caller creates a new entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anigraph.names import fold, person_key


@dataclass(slots=True)
class Candidate:
    """An entity that mentions may link to."""

    entity_id: int
    kind: str  # work | person | character | organization
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, origin e.g. "anidb")
    context: set[str] = field(default_factory=set)  # folded names of related studios/staff


@dataclass(frozen=True, slots=True)
class Scored:
    entity_id: int
    name: str
    score: float
    why: str


@dataclass(frozen=True, slots=True)
class LinkResult:
    query: str
    match: Scored | None
    candidates: tuple[Scored, ...] = ()


class Linker:
    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        self._by_key: dict[tuple[str, str], Candidate] = {}
        for c in candidates:
            self.add(c)

    @staticmethod
    def _key(kind: str, name: str) -> tuple[str, str]:
        return (kind, person_key(name) if kind == "person" else fold(name))

    def add(self, candidate: Candidate) -> None:
        self._by_key[self._key(candidate.kind, candidate.name)] = candidate
        for alias, _origin in candidate.aliases:
            self._by_key.setdefault(self._key(candidate.kind, alias), candidate)

    def link(self, mention: str, *, kind: str, context: Sequence[str] = ()) -> LinkResult:
        hit = self._by_key.get(self._key(kind, mention))
        if hit is None:
            return LinkResult(query=mention, match=None)
        scored = Scored(hit.entity_id, hit.name, 1.0, "exact name or alias")
        return LinkResult(query=mention, match=scored, candidates=(scored,))
