"""Writing one extraction: article, entities, aliases, merged claims, sources, changes, conflicts.

``ExtractionWriter`` does the work of ``Store.add_extraction`` inside a session the caller
owns (one transaction). It never commits; any exception leaves the transaction to be
rolled back by the caller, so nothing is half-written.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from anigraph.errors import StoreError
from anigraph.models import Extraction, Fact
from anigraph.names import fold, slugify
from anigraph.resolve import Candidate, Linker
from anigraph.resolve.linker import Scored
from anigraph.resolve.scoring import context_key
from anigraph.resolve.variants import title_head
from anigraph.store import policy
from anigraph.store import statements as sql
from anigraph.store.characters import CharacterHomes, CharacterIndex
from anigraph.store.ids import Ids
from anigraph.store.rules import (
    ALIAS_KINDS,
    SourceInfo,
    alias_kind,
    article_row,
    context_names,
    decide_scope,
    group_titles,
    limited_key,
    name_key,
    qualifiers_key,
    same_title,
    validate_fact,
)
from anigraph.store.tables import Conflict

# qualifiers_key and same_title are used from here by the catalog import and tests
__all__ = ["AddResult", "ExtractionWriter", "qualifiers_key", "same_title"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AddResult:
    """What ``Store.add_extraction`` did with one article.

    ``created`` is False when the article was already stored (same source ``sha256``, or the
    same text under another source: then ``duplicate_of`` is that article's id) and nothing
    changed.
    """

    article_id: int
    created: bool
    duplicate_of: int | None = None
    entities_created: int = 0
    aliases_added: int = 0
    claims_added: int = 0
    sources_added: int = 0
    superseded: int = 0
    refined: int = 0  # vaguer values a more precise one states (``2026-01`` by ``2026-01-16``)
    conflicts_opened: int = 0
    subject_ids: list[int] = field(default_factory=list)  # entities the article's facts are about


@dataclass(slots=True, eq=False)
class _ClaimRow:
    """A claim this article touches (``id`` is 0 until the article's new claims are inserted)."""

    id: int
    subject_id: int
    predicate: str
    object: str
    object_key: str
    object_id: int | None
    qualifiers: dict[str, Any]
    qualifiers_key: str
    status: str = "current"

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (self.subject_id, self.predicate, self.object_key, self.qualifiers_key)


class _Prepared(NamedTuple):
    """A fact with its names resolved: what ``_store_fact`` needs to merge it into a claim."""

    fact: Fact
    subject_id: int
    obj: str
    object_id: int | None
    qualifiers: dict[str, str]
    key: tuple[int, str, str, str]


class _Home(Enum):
    """``resolve(work=HOME)``: a character of the work its article names it under."""

    ARTICLE = "article"


HOME = _Home.ARTICLE


class ExtractionWriter:
    """Writes one ``Extraction`` through ``session`` (see ``Store.add_extraction``)."""

    def __init__(
        self,
        session: Session,
        *,
        linker: Linker,
        candidates: dict[int, Candidate],
        ids: Ids,
        now: datetime | None = None,
        slugs: set[str] | None = None,
        characters: CharacterIndex | None = None,
    ) -> None:
        self.s = session
        self.conn: Connection = session.connection()
        self.linker = linker
        # entity id -> the Candidate the linker holds (updated in place). With ``slugs`` (every
        # stored slug, kept by the Store in step with the candidates) the candidates are taken to
        # be every stored entity with all its aliases, so names and aliases are not queried again.
        self.candidates = candidates
        self.slugs = slugs
        # new entities, aliases and claims are numbered here and inserted in batches (see store/ids.py)
        self.ids = ids
        self.new_slugs: set[str] = set()  # slugs of this article's entities (not inserted yet)
        self.now = now or datetime.now(UTC)
        self.local: dict[tuple[str, str], int] = {}  # (kind, name key) -> entity id, this article
        # characters belong to their work: (work id, folded name) -> character entity id, this article
        self.local_characters: dict[tuple[int | None, str], int] = {}
        self.characters = characters if characters is not None else CharacterIndex()
        self.character_work: dict[int, int | None] = {}  # character entity id -> its work
        self.homes: CharacterHomes | None = None
        # One article, distinct work titles, distinct works: titles the article ties together
        # (alias facts, mention aliases) share a group; a work entity linked from one group is
        # not given to another group of the same article (a different season or film).
        self.work_group: dict[str, str] = {}  # folded title -> group representative
        self.claimed: dict[int, str] = {}  # work entity id -> group that linked to it
        self.group_entity: dict[str, int] = {}  # group -> the work entity its titles link to
        self.claims: dict[tuple[int, str, str, str], _ClaimRow] = {}  # claims touched, by unique key
        self.stored_claims: dict[tuple[int, str, str, str], _ClaimRow] = {}  # looked up for this article
        self.stored_single: dict[
            tuple[int, str], list[_ClaimRow]
        ] = {}  # single-valued, by (subject, predicate)
        self.created_claims: set[tuple[int, str, str, str]] = set()
        self.new_claims: list[_ClaimRow] = []
        self.related: list[tuple[int, int]] = []  # (subject, object) entities of the new claims
        self.source_keys: set[tuple[tuple[int, str, str, str], int]] = set()  # (claim key, evidence start)
        self.touched_claims: dict[tuple[int, str, str, str], _ClaimRow] = {}
        self.pending_changes: list[tuple[str, _ClaimRow, dict[str, Any]]] = []
        self.alias_keys: dict[int, set[str]] = {}  # entity id -> folded aliases already stored
        self.entities: dict[int, _Ent] = {}
        self.created_ids: set[int] = set()  # entities created by this article (no stored claims)
        # rows inserted in batches (Core executemany), in the order the ORM used to add them
        self.entity_rows: list[dict[str, Any]] = []
        self.alias_rows: list[dict[str, Any]] = []
        self.source_rows: list[tuple[_ClaimRow, dict[str, Any]]] = []
        # sources of the article's new single-valued claims, as _resolve_scopes reads them
        self.new_sources: list[tuple[int, SourceInfo]] = []
        self.change_rows: list[dict[str, Any]] = []
        # context keys of the article's names, for the linker (see _context_keys)
        self._keyed = type(linker).link is Linker.link
        self._ctx_names: list[str] | None = None
        self._ctx_key_of: dict[str, str] = {}
        self._ctx_count: Counter[str] = Counter()
        self._ctx_all: frozenset[str] = frozenset()
        self._ctx_without: dict[str, frozenset[str]] = {}
        self.article_id: int | None = None
        self.article_date: str | None = None
        self.result = AddResult(article_id=0, created=True)

    # -- entry point ----------------------------------------------------------------------
    def write(self, extraction: Extraction) -> AddResult:
        art = extraction.article
        found = self.conn.execute(
            sql.FIND_ARTICLE, {"sha": art.source.sha256, "text_sha": art.text_sha256}
        ).all()
        existing = next((i for i, sha in found if sha == art.source.sha256), None)
        if existing is not None:
            return AddResult(article_id=existing, created=False)
        same_text = min((i for i, _sha in found), default=None)
        if same_text is not None:
            log.info(
                "article %s has the same text as article %s; not stored twice", art.source.sha256, same_text
            )
            return AddResult(article_id=same_text, created=False, duplicate_of=same_text)

        self._store_article(extraction)
        assert self.article_id is not None
        context = context_names(extraction)
        self._group_titles(extraction)
        self.homes = CharacterHomes(extraction, work_group=self.work_group)
        for mention in extraction.entities:
            if mention.kind not in policy.ENTITY_KINDS:
                raise StoreError(f"entity mention {mention.name!r}: unknown kind {mention.kind!r}")
            if not mention.name.strip():
                raise StoreError(f"entity mention of kind {mention.kind!r} has an empty name")
            eid = self.resolve(mention.name, mention.kind, context=context, aliases=mention.aliases)
            for alias in mention.aliases:
                if alias.strip():
                    self.add_alias(eid, alias)

        prepared: list[_Prepared] = []
        for index, fact in enumerate(extraction.facts):
            validate_fact(fact, index=index, text=art.text)
            if fact.subject_type == "article":
                continue  # article metadata, stored with the article
            prepared.append(self._prepare_fact(fact, context=context))
        self._flush_entities()
        self._load_claims([p.key for p in prepared])
        touched: set[tuple[int, str, str]] = set()
        for p in prepared:
            touched_scope = self._store_fact(p)
            if touched_scope is not None:
                touched.add(touched_scope)
        self._finish_claims()
        self._resolve_scopes(sorted(touched))
        self._flush_rows()
        self._learn_context()
        self.result.article_id = self.article_id
        return self.result

    def _learn_context(self) -> None:
        """Give the cached linker candidates the context the new claims add (a work's staff, studios and
        characters; the works of a person, studio or character), as a Store opened later would load it
        (``candidates_from_session``): linking then decides the same whether the entities were
        created in this process or read from the store, so interrupted, repeated and concurrent
        ingests end in the same entities as one run."""
        if self.slugs is None or not self.related:
            return  # not the Store's cache: nothing outlives this article
        touched: set[int] = set()
        for subject_id, object_id in self.related:
            work, other = self.candidates.get(subject_id), self.candidates.get(object_id)
            if work is None or other is None:
                continue
            work.context.add(fold(other.name))
            other.context.update(
                fold(t) for t in [work.name, *(a for a, _o in work.aliases[: policy.CONTEXT_TITLES])]
            )
            touched.update((subject_id, object_id))
        for eid in sorted(touched):
            self.linker.add(self.candidates[eid])  # the linker snapshots context when a candidate is added

    def _flush_entities(self) -> None:
        """Insert the article's new entities (before any row that refers to them)."""
        if self.entity_rows:
            sql.insert_rows(self.conn, sql.INSERT_ENTITY, self.entity_rows)
            self.entity_rows = []

    def _flush_rows(self) -> None:
        """Insert the article's aliases and change log entries (Core executemany)."""
        if self.alias_rows:
            sql.insert_rows(self.conn, sql.INSERT_ALIAS, self.alias_rows)
            self.alias_rows = []
        if self.change_rows:
            sql.insert_rows(self.conn, sql.INSERT_CHANGE, self.change_rows)
            self.change_rows = []

    # -- article ------------------------------------------------------------------------------
    def _store_article(self, extraction: Extraction) -> None:
        row, self.article_date = article_row(extraction)
        self.article_id = row["id"] = self.ids.take("articles")
        self.conn.execute(sql.INSERT_ARTICLE, row)

    # -- entities -----------------------------------------------------------------------------
    def _group_titles(self, extraction: Extraction) -> None:
        self.work_group = group_titles(extraction)

    def _group(self, title: str) -> str:
        key = fold(title)
        return self.work_group.get(key, key)

    def _link(self, mention: str, kind: str, name: str, context: list[str]) -> Scored | None:
        """The linker's match for ``mention``, with the article's other names (not ``name``) as context."""
        if self._keyed:
            return self.linker.link(mention, kind=kind, context_keys=self._context_keys(name, context)).match
        # a Linker subclass overriding link() may not take context_keys: the names, as before
        return self.linker.link(mention, kind=kind, context=[c for c in context if c != name]).match

    def _context_keys(self, name: str, context: list[str]) -> AbstractSet[str]:
        """The linker's context keys of ``context`` without ``name`` itself (computed once per article)."""
        if context is not self._ctx_names:
            self._ctx_names = context
            self._ctx_key_of = {c: context_key(c) for c in context if c.strip()}
            self._ctx_count = Counter(self._ctx_key_of.values())
            self._ctx_all = frozenset(self._ctx_count)
            self._ctx_without = {}
        key = self._ctx_key_of.get(name)
        if key is None or self._ctx_count[key] > 1:  # another context name has the same key
            return self._ctx_all
        keys = self._ctx_without.get(key)
        if keys is None:
            keys = self._ctx_without[key] = self._ctx_all - {key}
        return keys

    def resolve(
        self,
        name: str,
        kind: str,
        *,
        context: list[str],
        aliases: Sequence[str] = (),
        work: int | _Home | None = HOME,
    ) -> int:
        """The entity ``name`` (of ``kind``) refers to; links through the linker or creates one.

        A character is one of ``work`` (an entity id; None: of no work; ``HOME``: the work the article
        names it under, see ``CharacterHomes``) and links only among that work's characters."""
        name = name.strip()
        if kind == "character":
            home = self._home_work(name, aliases, context) if work is HOME else work
            return self._resolve_character(name, aliases=aliases, work=home)
        keys = [(kind, name_key(kind, n)) for n in [name, *aliases] if n.strip()]
        eid = next((self.local[k] for k in keys if k in self.local), None)
        if eid is None and kind == "work":
            eid = self.group_entity.get(self._group(name))
        if eid is None:
            for n in [name, *aliases]:
                if not n.strip():
                    continue
                hit = self._link(n, kind, name, context)
                if hit is None:
                    continue
                owner = self.claimed.get(hit.entity_id) if kind == "work" else None
                if owner is not None and owner != self._group(name):
                    log.debug("%r: not linked to %r, another title of this article has it", n, hit.name)
                    continue
                eid = hit.entity_id
                break
        if eid is None and kind == "work":
            eid = self._franchise_entity(name, context)
        if eid is None:
            eid = self._create_entity(name, kind)
        else:
            self.add_alias(eid, name)
        for k in keys:
            self.local.setdefault(k, eid)
        if kind == "work":
            self.claimed.setdefault(eid, self._group(name))
            self.group_entity.setdefault(self._group(name), eid)
        return eid

    def _franchise_entity(self, name: str, context: list[str]) -> int | None:
        """A stored work titled exactly as this title's head ("Kestrel" for "Kestrel: Night Run") that
        would have linked to this title had this title been stored first ("Kestrel" links to a stored
        "Kestrel: Night Run" by its subtitle-less head; the reverse is not a match on its own).
        Taking it keeps one entity whichever article comes first, so the store does not depend on
        the order of ingestion. A head that names a film or a season of this title never matches."""
        head = title_head(name)
        if not head:
            return None
        hit = self._link(head, "work", name, context)
        if hit is None or fold(hit.name) != fold(head):
            return None
        owner = self.claimed.get(hit.entity_id)
        if owner is not None and owner != self._group(name):
            return None
        probe = Linker([Candidate(entity_id=0, kind="work", name=name)])
        probe.build()
        return hit.entity_id if probe.link(head, kind="work").match is not None else None

    def _home_work(self, name: str, aliases: Sequence[str], context: list[str]) -> int | None:
        """The work entity the article names character ``name`` under (None: the article has no work)."""
        assert self.homes is not None
        titles = [self.homes.homes.get(fold(n)) for n in [name, *aliases] if n.strip()]
        title = next((t for t in titles if t), None) or self.homes.main
        return self.resolve(title, "work", context=context) if title else None

    def _resolve_character(self, name: str, *, aliases: Sequence[str], work: int | None) -> int:
        keys = [(work, fold(n)) for n in [name, *aliases] if n.strip()]
        eid = next((self.local_characters[k] for k in keys if k in self.local_characters), None)
        if eid is None:
            for n in [name, *aliases]:
                hit = self.characters.link(self.conn, n, work_id=work) if n.strip() else None
                if hit is not None:
                    eid = hit.entity_id
                    break
        if eid is None:
            eid = self._create_entity(name, "character", work=work)
        else:
            self.character_work.setdefault(eid, work)
            self.add_alias(eid, name)
        for k in keys:
            self.local_characters.setdefault(k, eid)
        return eid

    def _entity(self, eid: int) -> _Ent:
        ent = self.entities.get(eid)
        if ent is None:
            cand = self.candidates.get(eid) if self.slugs is not None else None
            if cand is not None:
                ent = self.entities[eid] = _Ent(eid, cand.kind, cand.name)
                return ent
            row = self.conn.execute(sql.ENTITY_ROW, {"eid": eid}).first()
            if row is None:
                raise StoreError(f"the linker returned entity id {eid}, which is not in the database")
            ent = self.entities[eid] = _Ent(eid, row[0], row[1])
        return ent

    def _unique_slug(self, name: str) -> str:
        base = slugify(name)[:180].strip("-") or "x"
        if self.slugs is not None:
            taken: set[str] = self.slugs
        elif self.conn.dialect.name == "sqlite":
            # slugs "base-…" as a byte range (uses the index; SQLite's LIKE ignores case so cannot)
            params = {"base": base, "lo": f"{base}-", "hi": f"{base}."}
            taken = set(self.conn.execute(sql.SLUGS_SQLITE, params).scalars()) | self.new_slugs
        else:  # PostgreSQL collations may ignore the hyphen when comparing; slugs hold no wildcards
            taken = set(self.conn.execute(sql.SLUGS_LIKE, {"base": base, "pat": f"{base}-%"}).scalars())
            taken |= self.new_slugs
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def _create_entity(self, name: str, kind: str, *, work: int | None = None) -> int:
        slug = self._unique_slug(name)
        # the id at once (the linker needs it), the row inserted with the article's others
        eid = self.ids.take("entities")
        self.entity_rows.append(
            {"id": eid, "kind": kind, "name": name, "slug": slug, "attrs": {}, "work_id": work}
        )
        self.new_slugs.add(slug)
        if self.slugs is not None:
            self.slugs.add(slug)
        self.created_ids.add(eid)
        ent = self.entities[eid] = _Ent(eid, kind, name)
        self.alias_keys[eid] = set()
        candidate = Candidate(entity_id=eid, kind=kind, name=name, aliases=[], slug=slug)
        self.candidates[eid] = candidate
        self.linker.add(candidate)
        if kind == "character":
            self.character_work[eid] = work
            self.characters.add(self.conn, candidate, work_id=work)
        elif kind == "work":
            self.characters.new_work(eid)  # a new work has no characters yet: nothing to read
        self._store_alias(ent, name)
        self._change("entity_created", subject_id=eid, detail={"kind": kind, "name": name, "slug": slug})
        self.result.entities_created += 1
        return eid

    def _known_alias_keys(self, eid: int) -> set[str]:
        keys = self.alias_keys.get(eid)
        if keys is None:
            cand = self.candidates.get(eid) if self.slugs is not None else None
            if cand is not None:  # the Store's candidates hold every stored alias
                keys = {fold(a) for a, _origin in cand.aliases}
            else:
                keys = {fold(a) for a in self.conn.execute(sql.ALIAS_NAMES, {"eid": eid}).scalars()}
            keys.add(fold(self._entity(eid).name))
            self.alias_keys[eid] = keys
        return keys

    def add_alias(self, eid: int, spelling: str, *, kind: str | None = None) -> None:
        """Record a spelling of an entity (once per folded form) and teach it to the linker."""
        spelling = spelling.strip()
        if not spelling or fold(spelling) in self._known_alias_keys(eid):
            return
        ent = self._entity(eid)
        self._store_alias(ent, spelling, kind=kind)
        candidate = self.candidates.get(eid)
        if candidate is None:
            candidate = Candidate(entity_id=eid, kind=ent.kind, name=ent.name, aliases=[])
            self.candidates[eid] = candidate
        candidate.aliases.append((spelling, "article"))
        self.linker.add(candidate)
        if ent.kind == "character" and eid in self.character_work:
            self.characters.add(self.conn, candidate, work_id=self.character_work[eid])

    def _store_alias(self, ent: _Ent, spelling: str, *, kind: str | None = None) -> None:
        if kind not in ALIAS_KINDS:
            kind = alias_kind(ent.kind, ent.name, spelling)
        self.alias_rows.append(
            {
                "id": self.ids.take("aliases"),
                "entity_id": ent.id,
                "name": spelling,
                "folded": fold(spelling),
                "kind": kind,
                "origin": "article",
            }
        )
        self.alias_keys.setdefault(ent.id, set()).add(fold(spelling))
        if spelling != ent.name:
            self.result.aliases_added += 1

    # -- facts ----------------------------------------------------------------------------------
    def _prepare_fact(self, fact: Fact, *, context: list[str]) -> _Prepared:
        """Resolve a fact's names (creating entities and aliases as needed) and its claim key."""
        subject_id = self.resolve(fact.subject, fact.subject_type, context=context)
        if subject_id not in self.result.subject_ids:
            self.result.subject_ids.append(subject_id)
        obj = str(fact.object).strip()
        if fact.predicate == "alias":
            requested = fact.extra.get("alias_kind")
            kind = requested if isinstance(requested, str) else None
            if kind is None and fact.extra.get("misspelling"):
                kind = "misspelling"
            self.add_alias(subject_id, obj, kind=kind)
            if fact.subject_type == "character":
                own_work = self.character_work.get(subject_id)
                self.local_characters.setdefault((own_work, fold(obj)), subject_id)
            else:
                self.local.setdefault((fact.subject_type, name_key(fact.subject_type, obj)), subject_id)

        if fact.object_type == "value":  # the extractor says: a plain value, not a name
            object_kind = None
        elif fact.object_type in policy.ENTITY_KINDS:
            object_kind = fact.object_type
        else:
            object_kind = policy.OBJECT_KINDS.get(fact.predicate)
        # a character a work's fact names is that work's (else the work the article names it under)
        work: int | _Home = subject_id if fact.subject_type == "work" else HOME
        object_id = self.resolve(obj, object_kind, context=context, work=work) if object_kind else None
        qualifiers = {k: str(v).strip() for k, v in fact.qualifiers.items() if str(v).strip()}
        for key, kind in policy.QUALIFIER_KINDS.items():
            if key in qualifiers:
                self.resolve(qualifiers[key], kind, context=context, work=work)

        object_key = f"e:{object_id}" if object_id is not None else "v:" + limited_key(fold(obj) or obj)
        ckey = (subject_id, fact.predicate, object_key, qualifiers_key(qualifiers))
        return _Prepared(fact, subject_id, obj, object_id, qualifiers, ckey)

    def _load_claims(self, keys: list[tuple[int, str, str, str]]) -> None:
        """Look up the stored claims with these keys in a few queries (entities new in this
        article have none)."""
        subjects = sorted({k[0] for k in keys if k[0] not in self.created_ids})
        if not subjects:
            return
        wanted = set(keys)
        predicates = sorted({k[1] for k in keys if k[0] not in self.created_ids})
        for chunk in sql.chunks(subjects):
            for row in self.conn.execute(sql.CLAIMS_OF, {"subjects": chunk, "predicates": predicates}):
                claim = _ClaimRow(*row[:9])
                if claim.key in wanted:
                    self.stored_claims[claim.key] = claim
                if claim.predicate in policy.SINGLE_VALUED:  # for _resolve_scopes (its own copy)
                    self.stored_single.setdefault((claim.subject_id, claim.predicate), []).append(
                        _ClaimRow(*row[:9])
                    )

    def _store_fact(self, p: _Prepared) -> tuple[int, str, str] | None:
        assert self.article_id is not None
        fact, ckey = p.fact, p.key
        claim = self.claims.get(ckey) or self.stored_claims.get(ckey)
        if claim is None:
            claim = _ClaimRow(
                0, p.subject_id, fact.predicate, p.obj, ckey[2], p.object_id, p.qualifiers, ckey[3]
            )
            self.new_claims.append(claim)  # inserted in one batch at the end of the article
            if p.object_id is not None:
                self.related.append((p.subject_id, p.object_id))
            self.created_claims.add(ckey)
            self.result.claims_added += 1
            detail = {"object": p.obj, "qualifiers": p.qualifiers}
            self.pending_changes.append(("claim_added", claim, detail))
        self.claims[ckey] = claim
        # the article is new (checked by sha256), so its sources are exactly those added here
        if (ckey, fact.evidence.start) not in self.source_keys:
            self.source_keys.add((ckey, fact.evidence.start))
            source = {
                "article_id": self.article_id,
                "origin": "article",
                "start": fact.evidence.start,
                "end": fact.evidence.end,
                "text": fact.evidence.text,
                "confidence": float(fact.confidence),
                "stated_on": self.article_date,
                "meta": dict(fact.extra),
            }
            self.source_rows.append((claim, source))
            if ckey not in self.created_claims:
                self.result.sources_added += 1
                detail = {"object": claim.object, "evidence": fact.evidence.text[:300]}
                self.pending_changes.append(("source_added", claim, detail))
            self.touched_claims[ckey] = claim
        if fact.predicate in policy.SINGLE_VALUED:
            return (p.subject_id, fact.predicate, policy.scope_of(fact.predicate, p.qualifiers)[:200])
        return None

    def _finish_claims(self) -> None:
        """Insert the article's claims and sources, log them, and aggregate confidences.

        Confidence is the noisy-or over a claim's sources, counting each article once (its best).
        """
        if self.new_claims:
            # a new claim's sources are this article's alone: its confidence is known before insert
            best_new: dict[tuple[int, str, str, str], float] = {}
            for claim, source in self.source_rows:
                if claim.id == 0:
                    best_new[claim.key] = max(best_new.get(claim.key, 0.0), source["confidence"])
            for c in self.new_claims:
                c.id = self.ids.take("claims")
            rows = [
                {
                    "id": c.id,
                    "subject_id": c.subject_id,
                    "predicate": c.predicate,
                    "object": c.object,
                    "object_key": c.object_key,
                    "object_id": c.object_id,
                    "qualifiers": c.qualifiers,
                    "qualifiers_key": c.qualifiers_key,
                    "confidence": policy.noisy_or([best_new[c.key]]),
                    "status": c.status,
                    "last_seen": self.now,
                }
                for c in self.new_claims
            ]
            sql.insert_rows(self.conn, sql.INSERT_CLAIM, rows)
        if self.source_rows:
            sources = [
                {"id": self.ids.take("claim_sources"), "claim_id": c.id, **row} for c, row in self.source_rows
            ]
            sql.insert_rows(self.conn, sql.INSERT_SOURCE, sources)
            self.new_sources = [
                (c.id, (row["stated_on"], row["meta"], row["origin"], row["article_id"], row["text"]))
                for c, row in self.source_rows
                if c.key in self.created_claims and c.predicate in policy.SINGLE_VALUED
            ]
            self.source_rows = []
        for kind, claim, detail in self.pending_changes:
            self._change(
                kind, subject_id=claim.subject_id, predicate=claim.predicate, claim_id=claim.id, detail=detail
            )
        self.pending_changes.clear()
        # stored claims with a new source: confidence recomputed over all their sources
        by_id = {c.id: c for key, c in self.touched_claims.items() if key not in self.created_claims}
        best: dict[int, list[float]] = {}
        for chunk in sql.chunks(list(by_id)):
            for claim_id, conf in self.conn.execute(sql.BEST_CONFIDENCES, {"ids": chunk}):
                best.setdefault(claim_id, []).append(float(conf))
        if by_id:
            updates = [
                {"cid": cid, "conf": policy.noisy_or(best.get(cid, [])), "seen": self.now} for cid in by_id
            ]
            self.conn.execute(sql.UPDATE_CLAIM, updates)

    # -- single-valued predicates: supersede or dispute ---------------------------------------
    def _resolve_scopes(self, scopes: list[tuple[int, str, str]]) -> None:
        """``resolve_scope`` for each (subject, predicate, scope), their claims, sources and conflicts
        read in a few queries; status changes written in one batch."""
        if not scopes:
            return
        subjects = sorted({s for s, _p, _sc in scopes})
        predicates = sorted({p for _s, p, _sc in scopes})
        wanted = {(s, p) for s, p, _sc in scopes}
        # the stored claims were read by _load_claims (statuses change only below); the rest are new
        claims = {sp: list(self.stored_single.get(sp, ())) for sp in wanted}
        for c in self.new_claims:
            if (c.subject_id, c.predicate) in wanted:
                claims[(c.subject_id, c.predicate)].append(replace(c))  # its own copy
        sources: dict[int, list[SourceInfo]] = {}
        for new_id, new_source in self.new_sources:  # a new claim's sources are this article's alone
            sources.setdefault(new_id, []).append(new_source)
        ids = sorted(c.id for group in claims.values() for c in group if c.key not in self.created_claims)
        for chunk in sql.chunks(ids):
            for cid, *source in self.conn.execute(sql.SOURCES_OF, {"ids": chunk}):
                sources.setdefault(cid, []).append((source[0], source[1], source[2], source[3], source[4]))
        conflicts: dict[tuple[int, str, str], Conflict] = {}
        for chunk in sql.chunks([s for s in subjects if s not in self.created_ids]):  # (new ones have none)
            # few subjects have conflicts: load ORM objects (updated in place) only for those
            params = {"subjects": chunk, "predicates": predicates}
            conflict_ids = list(self.conn.execute(sql.CONFLICTS_OF, params).scalars())
            if conflict_ids:
                for conflict in self.s.scalars(sql.CONFLICTS, {"ids": conflict_ids}):
                    conflicts[(conflict.subject_id, conflict.predicate, conflict.scope)] = conflict
        statuses: list[dict[str, Any]] = []
        for subject_id, predicate, scope in scopes:
            group = sorted(claims.get((subject_id, predicate), []), key=lambda c: c.id)
            self.resolve_scope(
                subject_id,
                predicate,
                scope,
                claims=[c for c in group if policy.scope_of(predicate, c.qualifiers)[:200] == scope],
                sources=sources,
                conflict=conflicts.get((subject_id, predicate, scope)),
                statuses=statuses,
            )
        if statuses:
            self.conn.execute(sql.UPDATE_STATUS, statuses)

    def resolve_scope(
        self,
        subject_id: int,
        predicate: str,
        scope: str,
        *,
        claims: list[_ClaimRow],
        sources: dict[int, list[SourceInfo]],
        conflict: Conflict | None,
        statuses: list[dict[str, Any]],
    ) -> None:
        """Recompute statuses of one single-valued (subject, predicate, scope) from all its sources
        (``rules.decide_scope``), log what was superseded or refined, and open or close its conflict."""
        decision = decide_scope(predicate, claims, sources)
        info, superseded_by, disputed, refined = (
            decision.info,
            decision.superseded_by,
            decision.disputed,
            decision.refined,
        )
        for c in claims:
            if c.id in superseded_by:
                new_status = "superseded"
            elif c.id in disputed:
                new_status = "disputed"
            else:
                new_status = "current"
            if new_status == c.status:
                continue
            if new_status == "superseded":
                winner = superseded_by[c.id]
                if c.id in refined:
                    self.result.refined += 1
                else:
                    self.result.superseded += 1
                self._change(
                    "refined" if c.id in refined else "superseded",
                    subject_id=subject_id,
                    predicate=predicate,
                    claim_id=winner.id,
                    old_claim_id=c.id,
                    detail={
                        "scope": scope,
                        "old": c.object,
                        "new": winner.object,
                        "old_date": info[c.id][0],
                        "new_date": info[winner.id][0],
                        "signal": info[winner.id][1],
                    },
                )
            c.status = new_status
            statuses.append({"cid": c.id, "st": new_status})
        self._update_conflict(subject_id, predicate, scope, sorted(disputed), claims, conflict=conflict)

    def _update_conflict(
        self,
        subject_id: int,
        predicate: str,
        scope: str,
        disputed: list[int],
        claims: list[_ClaimRow],
        *,
        conflict: Conflict | None,
    ) -> None:
        values = {c.id: c.object for c in claims if c.id in disputed}
        if disputed:
            created = conflict is None
            if conflict is None:
                conflict = Conflict(
                    id=self.ids.take("conflicts"),
                    subject_id=subject_id,
                    predicate=predicate,
                    scope=scope,
                    claim_ids=disputed,
                )
                self.s.add(conflict)
            elif conflict.open and list(conflict.claim_ids) == disputed:
                return
            reopened = created or not conflict.open
            conflict.open = True
            conflict.closed_at = None
            conflict.claim_ids = disputed
            self.s.flush()
            if reopened:
                self.result.conflicts_opened += 1
            self._change(
                "conflict_opened",
                subject_id=subject_id,
                predicate=predicate,
                claim_id=disputed[-1],
                detail={"conflict_id": conflict.id, "scope": scope, "values": list(values.values())},
            )
        elif conflict is not None and conflict.open:
            conflict.open = False
            conflict.closed_at = self.now
            self._change(
                "conflict_resolved",
                subject_id=subject_id,
                predicate=predicate,
                detail={"conflict_id": conflict.id, "scope": scope},
            )

    # -- change log -------------------------------------------------------------------------------
    def _change(
        self,
        kind: str,
        *,
        subject_id: int | None = None,
        predicate: str | None = None,
        claim_id: int | None = None,
        old_claim_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.change_rows.append(
            {
                "id": self.ids.take("changes"),
                "kind": kind,
                "at": self.now,
                "subject_id": subject_id,
                "predicate": predicate,
                "claim_id": claim_id,
                "old_claim_id": old_claim_id,
                "article_id": self.article_id,
                "detail": detail or {},
            }
        )


class _Ent(NamedTuple):
    id: int
    kind: str
    name: str
