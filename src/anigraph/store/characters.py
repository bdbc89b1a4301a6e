"""Characters belong to their work: which work an article names a character under, and a linker per work.

"Emma" of one show is not "Emma" of another, while the same character named in two articles
about one work is one entity. So a character entity carries the work it belongs to
(``entities.work_id``), and a character mention links only among the characters of its work:

* ``character_homes`` reads one article: a character named by a work's fact (``character``, a
  ``cast`` credit, any fact whose object is a character) is that work's; a character the article
  only describes or mentions is the one of the first work that names it, else of the article's
  main work (the subject of most facts), else of no work.
* ``CharacterIndex`` holds, per work, a ``Linker`` over that work's characters (read from the
  database the first time a work is asked for), so spelling variants still link within a work
  ("Rouge Redstar", "Redstar Rouge") and never across works.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping

from sqlalchemy import Connection, select

from anigraph.models import Extraction
from anigraph.names import fold
from anigraph.resolve import Candidate, Linker
from anigraph.resolve.linker import Scored
from anigraph.store import policy
from anigraph.store.tables import Alias, Entity

log = logging.getLogger(__name__)

_NO_CONTEXT: frozenset[str] = frozenset()


class CharacterHomes:
    """For one article: the work title each character name is stated under (see module docstring)."""

    def __init__(self, extraction: Extraction, *, work_group: Mapping[str, str]) -> None:
        self.homes: dict[str, str] = {}  # folded character name -> title of the first work naming it
        counts: Counter[str] = Counter()
        first_title: dict[str, str] = {}  # work group -> the first title the article gives it
        for fact in extraction.facts:
            if fact.subject_type != "work":
                continue
            group = work_group.get(fold(fact.subject), fold(fact.subject))
            counts[group] += 1
            first_title.setdefault(group, fact.subject)
            for name in _characters_named(fact.predicate, fact.object, fact.object_type, fact.qualifiers):
                self.homes.setdefault(fold(name), fact.subject)
        for mention in extraction.entities:  # every spelling of a mentioned character shares its home
            if mention.kind != "character":
                continue
            spellings = [fold(n) for n in [mention.name, *mention.aliases] if n.strip()]
            home = next((self.homes[s] for s in spellings if s in self.homes), None)
            if home is not None:
                for s in spellings:
                    self.homes.setdefault(s, home)
        # the main work: most facts; ties go to the first named
        order = list(first_title)
        main = max(order, key=lambda g: (counts[g], -order.index(g)), default=None)
        self.main: str | None = first_title[main] if main is not None else None

    def title_of(self, name: str) -> str | None:
        """The title of the work ``name`` is a character of in this article (None: no work at all)."""
        return self.homes.get(fold(name), self.main)


def _characters_named(
    predicate: str, obj: str, object_type: str | None, qualifiers: Mapping[str, str]
) -> list[str]:
    names: list[str] = []
    if object_type == "character" or (
        object_type in (None, "") and policy.OBJECT_KINDS.get(predicate) == "character"
    ):
        names.append(str(obj))
    names += [str(v) for k, v in qualifiers.items() if policy.QUALIFIER_KINDS.get(k) == "character"]
    return [n for n in names if n.strip()]


class CharacterIndex:
    """Character entities by work, each work's names in a ``Linker`` of its own (loaded on first use).

    The ``Store`` keeps one across articles (and drops it with its cached linker); a writer adds
    the characters and spellings it creates, so the index agrees with the database.
    """

    def __init__(self) -> None:
        self._by_work: dict[int | None, Linker] = {}

    def _linker(self, conn: Connection, work_id: int | None) -> Linker:
        linker = self._by_work.get(work_id)
        if linker is None:
            linker = self._by_work[work_id] = Linker(_load(conn, work_id))
        return linker

    def link(self, conn: Connection, name: str, *, work_id: int | None) -> Scored | None:
        """The character of work ``work_id`` that ``name`` names, or None (a new character)."""
        return self._linker(conn, work_id).link(name, kind="character", context_keys=_NO_CONTEXT).match

    def new_work(self, work_id: int) -> None:
        """A work created by this writer: it has no characters (none to read from the database)."""
        self._by_work.setdefault(work_id, Linker([]))

    def add(self, conn: Connection, candidate: Candidate, *, work_id: int | None) -> None:
        """Teach the index a character of ``work_id`` (new, or with a new spelling)."""
        self._linker(conn, work_id).add(candidate)


def _load(conn: Connection, work_id: int | None) -> list[Candidate]:
    owner = Entity.work_id.is_(None) if work_id is None else Entity.work_id == work_id
    cands = {
        eid: Candidate(entity_id=eid, kind="character", name=name, slug=slug)
        for eid, name, slug in conn.execute(
            select(Entity.id, Entity.name, Entity.slug).where(Entity.kind == "character", owner)
        )
    }
    if cands:
        for eid, name, origin in conn.execute(
            select(Alias.entity_id, Alias.name, Alias.origin)
            .join(Entity, Entity.id == Alias.entity_id)
            .where(Entity.kind == "character", owner)
            .order_by(Alias.id)
        ):
            cand = cands.get(eid)
            if cand is not None and name != cand.name:
                cand.aliases.append((name, origin))
    log.debug("characters of work %s: %d", work_id, len(cands))
    return list(cands.values())
