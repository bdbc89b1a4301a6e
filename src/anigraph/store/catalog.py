"""Write catalog records into the store, merging the same show across catalogs.

``import_catalog(session, records, origin=…)`` turns ``CatalogRecord`` values (from
``anigraph.resolve.catalog``) into work entities with aliases, external ids and attributes,
people/studios/characters as entities, and staff/studio/character claims sourced with
``origin`` = the catalog name. It is idempotent: a re-import finds every work again (by
external id, or by the record key stored in ``attrs["catalogs"][origin]["key"]``) and
updates it in place.

When is a record the same work as one already stored?

* an external id agrees (AniList, MAL, AniDB, …), and no id of the same site disagrees; or
* strong evidence: a shared folded title AND the same start year AND a compatible type, or
  a shared native title AND a shared romanised/English title — and exactly one stored work
  qualifies (two candidates means a remake or a repeat: better two records than a false merge).

Everything is planned in memory against a snapshot of the existing rows, then written with
batched executemany inserts (new ids read back by slug and by the claim's unique key).

A work's ``attrs``: ``type`` (tv, tv_short, movie, ova, ona, special, music, cm), ``episodes``,
``season`` ("2025-winter"), ``year``, ``start_date``/``end_date`` (YYYY[-MM[-DD]]), ``status``
(finished, releasing, not_yet_released), ``studios``, ``genres``, ``tags``, ``staff``
([{name, role}]), ``characters``, ``source`` — each from the first catalog in
``CATALOG_PRIORITY`` that has it — and ``catalogs``: the same fields per catalog, with the
record ``key`` and ``title``. Catalog imports write no ``changes`` rows (they are not news).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from anigraph.errors import StoreError
from anigraph.names import fold, person_key, slugify, studio_key
from anigraph.resolve.catalog import CatalogRecord, read_catalog, role_predicate
from anigraph.resolve.linker import Candidate, Linker
from anigraph.store.policy import CONTEXT_TITLES, noisy_or
from anigraph.store.tables import Alias, Claim, ClaimSource, Entity, ExternalId
from anigraph.store.writer import qualifiers_key

if TYPE_CHECKING:
    from anigraph.store.database import Store

log = logging.getLogger(__name__)

# Newest, richest first: top-level attributes come from the first catalog that has them.
CATALOG_PRIORITY = ("anilist", "jikan", "manami", "mal", "anidb")
CATALOG_ORIGINS = frozenset({*CATALOG_PRIORITY, "catalog"})
SOURCE_CONFIDENCE = 0.9
_TYPE_GROUP = {"tv_short": "tv", "tv": "tv", "special": "special", "cm": "cm"}
_ALIAS_KIND = {"official": "title", "title": "title"}
_ATTR_KEYS = (
    "type", "episodes", "season", "year", "start_date", "end_date", "status",
    "studios", "genres", "tags", "staff", "characters", "source",
)  # fmt: skip
BATCH = 2000
_ALIAS_LABEL = {
    "romaji": "romaji title",
    "english": "English title",
    "native": "native title",
    "synonym": "synonym",
    "short": "short title",
    "title": "title",
    "misspelling": "misspelling",
    "name": "name",
}


@dataclass(slots=True)
class ImportStats:
    records: int = 0
    works_created: int = 0
    works_merged: int = 0  # records that landed on an existing work
    aliases_added: int = 0
    ids_added: int = 0
    entities_created: int = 0  # people, studios, characters
    claims_added: int = 0
    sources_added: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class _Work:
    name: str
    slug: str
    attrs: dict[str, Any]
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: set[str] = field(default_factory=set)  # exact alias strings
    titles: set[str] = field(default_factory=set)  # folded non-native titles
    natives: set[str] = field(default_factory=set)  # folded native titles
    dirty: bool = False


def _org_key(name: str) -> str:
    return studio_key(name) or fold(name)


def _type_group(value: Any) -> str | None:
    return _TYPE_GROUP.get(str(value), str(value)) if value else None


def _is_native(name: str, kind: str, language: str | None) -> bool:
    return kind == "native" or language in {"ja", "zh-Hans", "zh-Hant", "ko"}


class _Plan:
    """The snapshot of stored rows plus everything this import will write."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.next_temp = -1
        self.works: dict[int, _Work] = {}
        self.by_ext: dict[tuple[str, str], int] = {}
        self.by_title: dict[str, set[int]] = defaultdict(set)
        self.by_native: dict[str, set[int]] = defaultdict(set)
        self.by_key: dict[str, int] = {}
        self.slugs: set[str] = set(session.scalars(select(Entity.slug)))
        self.people: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self.characters: dict[tuple[str, int], int] = {}
        self.character_work: dict[int, int] = {}  # new character (temporary id) -> its work
        self.claims: dict[tuple[int, str, str, str], int] = {}
        self.claim_conf: dict[int, float] = {}
        self.sourced: set[tuple[int, str]] = set()
        # rows to write
        self.new_entities: dict[int, dict[str, Any]] = {}
        self.new_aliases: list[dict[str, Any]] = []
        self.new_ids: list[dict[str, Any]] = []
        self.new_claims: dict[int, dict[str, Any]] = {}
        self.new_sources: list[dict[str, Any]] = []
        self.claimed: set[tuple[int, str]] = set()  # (work, origin) taken by a record of this run
        self.file_titles: dict[str, int] = {}  # folded title → records of this import that carry it
        self._load()

    def _temp(self) -> int:
        self.next_temp -= 1
        return self.next_temp

    # -- snapshot ---------------------------------------------------------------------------
    def _load(self) -> None:
        s = self.s
        kinds: dict[int, str] = {}
        for eid, kind, name, slug, attrs in s.execute(
            select(Entity.id, Entity.kind, Entity.name, Entity.slug, Entity.attrs)
        ):
            kinds[eid] = kind
            if kind == "work":
                self._index_work(eid, _Work(name=name, slug=slug, attrs=dict(attrs or {})))
            elif kind == "person":
                self.people.setdefault(person_key(name), eid)
            elif kind == "organization":
                self.orgs.setdefault(_org_key(name), eid)
        for eid, name, kind, language in s.execute(
            select(Alias.entity_id, Alias.name, Alias.kind, Alias.language)
        ):
            work = self.works.get(eid)
            if work is not None:
                self._index_title(eid, work, name, kind or "title", language)
            elif kinds.get(eid) == "person":
                self.people.setdefault(person_key(name), eid)
            elif kinds.get(eid) == "organization":
                self.orgs.setdefault(_org_key(name), eid)
        for eid, source, value in s.execute(
            select(ExternalId.entity_id, ExternalId.source, ExternalId.value)
        ):
            self.by_ext[(source, value)] = eid
            if eid in self.works:
                self.works[eid].ids[source].add(value)
        obj = Entity.__table__.alias("obj")
        for cid, subj, pred, okey, qkey, conf, oname in s.execute(
            select(
                Claim.id,
                Claim.subject_id,
                Claim.predicate,
                Claim.object_key,
                Claim.qualifiers_key,
                Claim.confidence,
                obj.c.name,
            ).outerjoin(obj, obj.c.id == Claim.object_id)
        ):
            self.claims[(subj, pred, okey, qkey)] = cid
            self.claim_conf[cid] = conf or 0.0
            if pred == "character" and oname and okey.startswith("e:"):
                self.characters.setdefault((fold(oname), subj), int(okey[2:]))
        for cid, origin in s.execute(
            select(ClaimSource.claim_id, ClaimSource.origin).where(ClaimSource.origin.in_(CATALOG_ORIGINS))
        ):
            self.sourced.add((cid, origin))

    def _index_work(self, eid: int, work: _Work) -> None:
        self.works[eid] = work
        for info in (work.attrs.get("catalogs") or {}).values():
            if isinstance(info, dict) and info.get("key"):
                self.by_key[str(info["key"])] = eid

    def _index_title(self, eid: int, work: _Work, name: str, kind: str, language: str | None) -> None:
        work.names.add(name)
        folded = fold(name)
        if not folded or kind == "short":
            return
        if _is_native(name, kind, language):
            work.natives.add(folded)
            self.by_native[folded].add(eid)
        else:
            work.titles.add(folded)
            self.by_title[folded].add(eid)

    # -- matching -----------------------------------------------------------------------------
    def find_work(self, rec: CatalogRecord, key: str) -> int | None:
        hits = [self.by_ext[(src, val)] for src, val in rec.ids.items() if (src, val) in self.by_ext]
        # AniList splits some shows into entries MAL keeps as one: a shared MAL id does not merge
        # two different AniList ids.
        hits = [eid for eid in hits if not self._conflicts(eid, rec)]
        if hits:
            if len(set(hits)) > 1:
                found = sorted(set(hits))
                log.warning(
                    "%s %r: ids %s point at different works %s", rec.origin, rec.title, rec.ids, found
                )
            return hits[0]
        if key in self.by_key:
            return self.by_key[key]
        all_titles = rec.all_titles()
        natives = {fold(a.name) for a in all_titles if _is_native(a.name, a.kind, a.language)}
        titles = {fold(a.name) for a in all_titles if a.kind != "short"} - natives
        titles.discard("")
        natives.discard("")
        pool: set[int] = set()
        for t in titles:
            pool |= self.by_title.get(t, set())
        strong: list[int] = []
        for eid in pool:
            if (eid, rec.origin) in self.claimed:
                continue
            work = self.works[eid]
            if self._conflicts(eid, rec):
                continue  # a different work on the same site
            year = work.attrs.get("year")
            same_year = rec.year is not None and year == rec.year
            types = (_type_group(rec.type), _type_group(work.attrs.get("type")))
            type_ok = None in types or types[0] == types[1]
            if (same_year and type_ok) or (natives & work.natives and type_ok):
                strong.append(eid)
            elif rec.year is None and rec.type is None and self._unique_title(titles, eid):
                strong.append(eid)  # a dateless catalog (AniDB): a title unique on both sides
        if len(strong) == 1:
            return strong[0]
        if len(strong) > 1:
            log.info("%s %r: %d stored works qualify; not merging", rec.origin, rec.title, len(strong))
        return None

    def _conflicts(self, eid: int, rec: CatalogRecord) -> bool:
        """The stored work has another id on a site that gives this record an id."""
        ids = self.works[eid].ids
        return any(src in ids and ids[src] and val not in ids[src] for src, val in rec.ids.items())

    def _unique_title(self, titles: set[str], eid: int) -> bool:
        """Some title (6+ characters) names only this stored work and only one record of the file."""
        return any(
            len(t) >= 6 and self.by_title.get(t) == {eid} and self.file_titles.get(t, 0) == 1 for t in titles
        )

    # -- planning -----------------------------------------------------------------------------
    def add_record(self, rec: CatalogRecord, key: str, stats: ImportStats) -> None:
        eid = self.find_work(rec, key)
        if eid is None:
            eid = self._new_work(rec)
            stats.works_created += 1
        else:
            stats.works_merged += 1
        self.claimed.add((eid, rec.origin))
        self.by_key[key] = eid
        work = self.works[eid]
        for alias in rec.all_titles():
            if alias.name in work.names:
                continue
            self.new_aliases.append(
                {
                    "entity_id": eid,
                    "name": alias.name,
                    "folded": fold(alias.name),
                    "kind": _ALIAS_KIND.get(alias.kind, alias.kind),
                    "language": alias.language,
                    "origin": rec.origin,
                }
            )
            self._index_title(eid, work, alias.name, alias.kind, alias.language)
            stats.aliases_added += 1
        for src, val in rec.ids.items():
            if (src, val) in self.by_ext:
                continue
            self.by_ext[(src, val)] = eid
            work.ids[src].add(val)
            self.new_ids.append({"entity_id": eid, "source": src, "value": val})
            stats.ids_added += 1
        self._update_attrs(eid, work, rec, key)
        for studio in rec.studios:
            self._claim(
                eid, "studio", studio, self._org(studio, rec.origin, stats), rec.origin, studio, stats
            )
        for name, role in rec.staff:
            predicate = role_predicate(role)
            if predicate and name:
                pid = self._person(name, rec.origin, stats)
                self._claim(eid, predicate, name, pid, rec.origin, f"{name} ({role})", stats)
        for name in rec.characters:
            cid = self._character(name, eid, rec.origin, stats)
            self._claim(eid, "character", name, cid, rec.origin, name, stats)

    def _new_work(self, rec: CatalogRecord) -> int:
        english = next((a.name for a in rec.aliases if a.kind == "english"), None)
        name = english or rec.title
        eid = self._temp()
        slug = self._slug(name, year=rec.year)
        self.new_entities[eid] = {"kind": "work", "name": name, "slug": slug, "attrs": {}}
        self.works[eid] = _Work(name=name, slug=slug, attrs={})
        return eid

    def _slug(self, name: str, *, year: int | None = None) -> str:
        base = slugify(name)[:180].strip("-") or "x"
        options = [base] + ([f"{base}-{year}"] if year else [])
        slug = next((o for o in options if o not in self.slugs), None)
        n = 2
        while slug is None:
            slug = f"{base}-{n}" if f"{base}-{n}" not in self.slugs else None
            n += 1
        self.slugs.add(slug)
        return slug

    def _update_attrs(self, eid: int, work: _Work, rec: CatalogRecord, key: str) -> None:
        info: dict[str, Any] = {
            "key": key,
            "title": rec.title,
            "type": rec.type,
            "episodes": rec.episodes,
            "season": rec.season,
            "year": rec.year,
            "start_date": rec.start_date,
            "end_date": rec.end_date,
            "status": rec.status,
            "studios": rec.studios,
            "genres": rec.genres,
            "tags": rec.tags,
            "staff": [{"name": n, "role": r} for n, r in rec.staff],
            "characters": rec.characters,
            "source": rec.extra.get("source"),
        }
        info = {k: v for k, v in info.items() if v not in (None, [], "")}
        catalogs = dict(work.attrs.get("catalogs") or {})
        if catalogs.get(rec.origin) == info:
            return
        catalogs[rec.origin] = info
        attrs = {k: v for k, v in work.attrs.items() if k not in _ATTR_KEYS}
        order = [o for o in CATALOG_PRIORITY if o in catalogs] + [
            o for o in catalogs if o not in CATALOG_PRIORITY
        ]
        for attr in _ATTR_KEYS:
            for origin in order:
                value = catalogs[origin].get(attr)
                if value not in (None, [], ""):
                    attrs[attr] = value
                    break
        attrs["catalogs"] = catalogs
        work.attrs = attrs
        work.dirty = True

    def _simple_entity(self, kind: str, name: str, origin: str) -> int:
        eid = self._temp()
        self.new_entities[eid] = {"kind": kind, "name": name, "slug": self._slug(name), "attrs": {}}
        self.new_aliases.append(
            {
                "entity_id": eid,
                "name": name,
                "folded": fold(name),
                "kind": "name",
                "language": None,
                "origin": origin,
            }
        )
        return eid

    def _person(self, name: str, origin: str, stats: ImportStats) -> int:
        key = person_key(name)
        if key not in self.people:
            self.people[key] = self._simple_entity("person", name, origin)
            stats.entities_created += 1
        return self.people[key]

    def _org(self, name: str, origin: str, stats: ImportStats) -> int:
        key = _org_key(name)
        if key not in self.orgs:
            self.orgs[key] = self._simple_entity("organization", name, origin)
            stats.entities_created += 1
        return self.orgs[key]

    def _character(self, name: str, work_id: int, origin: str, stats: ImportStats) -> int:
        key = (fold(name), work_id)
        if key not in self.characters:
            self.characters[key] = self._simple_entity("character", name, origin)
            self.character_work[self.characters[key]] = work_id  # characters belong to their work
            stats.entities_created += 1
        return self.characters[key]

    def _claim(
        self, subj: int, predicate: str, obj: str, obj_id: int, origin: str, text: str, stats: ImportStats
    ) -> None:
        key = (subj, predicate, f"e:{obj_id}", qualifiers_key({}))
        cid = self.claims.get(key)
        if cid is None:
            cid = self._temp()
            self.claims[key] = cid
            self.new_claims[cid] = {
                "subject_id": subj,
                "predicate": predicate,
                "object": obj,
                "object_key": key[2],
                "object_id": obj_id,
                "qualifiers": {},
                "qualifiers_key": key[3],
                "confidence": 0.0,
                "status": "current",
            }
            self.claim_conf[cid] = 0.0
            stats.claims_added += 1
        if (cid, origin) in self.sourced:
            return
        self.sourced.add((cid, origin))
        self.claim_conf[cid] = noisy_or([self.claim_conf[cid], SOURCE_CONFIDENCE])
        self.new_sources.append(
            {
                "claim_id": cid,
                "article_id": None,
                "origin": origin,
                "start": 0,
                "end": 0,
                "text": text[:500],
                "confidence": SOURCE_CONFIDENCE,
            }
        )
        stats.sources_added += 1

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> None:
        """Plain executemany inserts (fast on SQLite and psycopg), then ids read back by unique keys."""
        s = self.s
        real: dict[int, int] = {}
        temps = list(self.new_entities)
        ent = cast(Table, Entity.__table__)
        for start in range(0, len(temps), BATCH):
            chunk = temps[start : start + BATCH]
            for tid in chunk:
                if tid in self.works:
                    self.new_entities[tid]["attrs"] = self.works[tid].attrs
            rows = [self.new_entities[t] for t in chunk]
            s.execute(insert(ent), rows)
            slugs = [r["slug"] for r in rows]
            by_slug = {
                slug: eid
                for slug, eid in s.execute(select(ent.c.slug, ent.c.id).where(ent.c.slug.in_(slugs)))
            }
            real.update((t, by_slug[self.new_entities[t]["slug"]]) for t in chunk)

        def rid(value: int) -> int:
            return real[value] if value < 0 else value

        owners = [{"b_id": rid(c), "b_work": rid(w)} for c, w in self.character_work.items()]
        stmt = update(ent).where(ent.c.id == bindparam("b_id")).values(work_id=bindparam("b_work"))
        for start in range(0, len(owners), BATCH):
            s.execute(stmt, owners[start : start + BATCH])

        updates = [
            {"b_id": eid, "b_attrs": work.attrs} for eid, work in self.works.items() if eid > 0 and work.dirty
        ]
        stmt = update(ent).where(ent.c.id == bindparam("b_id")).values(attrs=bindparam("b_attrs"))
        for start in range(0, len(updates), BATCH):
            s.execute(stmt, updates[start : start + BATCH])
        self._insert(Alias, [{**a, "entity_id": rid(a["entity_id"])} for a in self.new_aliases])
        self._insert(ExternalId, [{**x, "entity_id": rid(x["entity_id"])} for x in self.new_ids])
        cl = cast(Table, Claim.__table__)
        temp_claims = list(self.new_claims)
        for start in range(0, len(temp_claims), BATCH):
            chunk = temp_claims[start : start + BATCH]
            rows = []
            for t in chunk:
                c = self.new_claims[t]
                oid = rid(c["object_id"])
                rows.append(
                    {
                        **c,
                        "subject_id": rid(c["subject_id"]),
                        "object_id": oid,
                        "object_key": f"e:{oid}",
                        "confidence": self.claim_conf[t],
                    }
                )
            s.execute(insert(cl), rows)
            subjects = sorted({r["subject_id"] for r in rows})
            found = {
                (subj, pred, okey, qkey): cid
                for cid, subj, pred, okey, qkey in s.execute(
                    select(
                        cl.c.id, cl.c.subject_id, cl.c.predicate, cl.c.object_key, cl.c.qualifiers_key
                    ).where(cl.c.subject_id.in_(subjects))
                )
            }
            for t, r in zip(chunk, rows, strict=True):
                real[t] = found[(r["subject_id"], r["predicate"], r["object_key"], r["qualifiers_key"])]
        old_claims = {src["claim_id"] for src in self.new_sources if src["claim_id"] > 0}
        conf_updates = [{"b_id": cid, "b_conf": self.claim_conf[cid]} for cid in old_claims]
        stmt = update(cl).where(cl.c.id == bindparam("b_id")).values(confidence=bindparam("b_conf"))
        for start in range(0, len(conf_updates), BATCH):
            s.execute(stmt, conf_updates[start : start + BATCH])
        self._insert(ClaimSource, [{**x, "claim_id": rid(x["claim_id"])} for x in self.new_sources])

    def _insert(self, table: type[Any], rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), BATCH):
            self.s.execute(insert(cast(Table, table.__table__)), rows[start : start + BATCH])


def record_key(rec: CatalogRecord, *, seen: dict[str, int]) -> str:
    """A stable key for a record within its catalog: its ids, else title|start|type (+ repeat count)."""
    if rec.ids:
        base = ",".join(f"{k}={v}" for k, v in sorted(rec.ids.items()))
    else:
        base = f"{fold(rec.title)}|{rec.start_date or ''}|{rec.type or ''}"
    key = f"{rec.origin}:{base}"
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}#{seen[key]}"


def import_catalog(
    session: Session,
    records: Iterable[CatalogRecord],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportStats:
    """Plan and write ``records`` through ``session`` (the caller commits). See module docstring."""
    started = time.perf_counter()
    stats = ImportStats()
    plan = _Plan(session)
    batch = list(records)
    counts: dict[str, int] = defaultdict(int)
    for rec in batch:
        for t in {fold(a.name) for a in rec.all_titles() if a.kind != "short"}:
            counts[t] += 1
    plan.file_titles = counts
    seen: dict[str, int] = {}
    for rec in batch:
        plan.add_record(rec, record_key(rec, seen=seen), stats)
        stats.records += 1
        if progress is not None:
            progress(1)
    plan.write()
    session.flush()
    stats.seconds = round(time.perf_counter() - started, 2)
    log.info("catalog import: %s", stats.to_json())
    return stats


def candidates_from_session(session: Session, *, kinds: Collection[str] | None = None) -> list[Candidate]:
    """Linker candidates for the stored entities (of ``kinds``, default all): aliases with origin
    and kind, slug, format, context (studios, staff, works credited), prior (number of external ids)."""
    cands: dict[int, Candidate] = {}
    for eid, kind, name, slug, fmt in session.execute(
        select(Entity.id, Entity.kind, Entity.name, Entity.slug, Entity.attrs["type"].as_string())
    ):
        cands[eid] = Candidate(entity_id=eid, kind=kind, name=name, slug=slug, fmt=fmt or None)
    for eid, name, origin, kind in session.execute(
        select(Alias.entity_id, Alias.name, Alias.origin, Alias.kind)
    ):
        cand = cands.get(eid)
        if cand is None:
            continue
        if name != cand.name:
            cand.aliases.append((name, origin))
        cand.alias_kinds.setdefault(name, _ALIAS_LABEL.get(kind or "", "alias"))
    for eid, _source in session.execute(select(ExternalId.entity_id, ExternalId.source)):
        if eid in cands:
            cands[eid].prior += 1.0
    obj = Entity.__table__.alias("obj")
    for subj, oid, oname in session.execute(
        select(Claim.subject_id, Claim.object_id, obj.c.name).join(obj, obj.c.id == Claim.object_id)
    ):
        if subj in cands:
            cands[subj].context.add(fold(oname))  # a work's studios, staff and characters
            if oid in cands:  # the works of a person, studio or character, by any of their titles
                work = cands[subj]
                cands[oid].context.update(
                    fold(t) for t in [work.name, *(a for a, _o in work.aliases[:CONTEXT_TITLES])]
                )
    return [c for c in cands.values() if kinds is None or c.kind in kinds]


def build_linker(session: Session, *, kinds: Collection[str] | None = None) -> Linker:
    """A ``Linker`` over the stored entities (of ``kinds``, default all), trigram index built."""
    linker = Linker(candidates_from_session(session, kinds=kinds))
    linker.build()
    return linker


ProgressHook = Callable[[str, int], Callable[[int], None]]


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    fmt: str = "auto",
    progress: ProgressHook | None = None,
) -> list[tuple[str, ImportStats]]:
    """Import catalog files, one transaction each; ``progress(label, total)`` returns an advance callback."""
    results: list[tuple[str, ImportStats]] = []
    for path in paths:
        records = list(read_catalog(path, fmt=fmt))
        advance = progress(Path(path).name, len(records)) if progress is not None else None
        try:
            with store.transaction() as session:
                stats = import_catalog(session, records, progress=advance)
        except SQLAlchemyError as e:
            raise StoreError(f"cannot import catalog {path}: {e}") from e
        store.invalidate_linker()
        results.append((str(path), stats))
    return results
