"""``Store``: the one object other stages use to read and write the database.

    store = Store.open()                      # ANIGRAPH_DB or sqlite:///anigraph.db, migrated to head
    result = store.add_extraction(extraction) # one article, one transaction
    outcomes = store.add_extractions(batch)   # several, one transaction, a savepoint per article
    work = store.find_work("Metallic Rouge")  # NotFound with suggestions when nothing matches
    record = store.work_record(work.id)       # everything known about the work, with sources

``Store.open``, ``Store.add_extraction`` and ``Store.add_extractions`` are the stable entry points
of the ingest pipeline; ``Store.session()`` gives other store modules (catalog import, read API) a
session on the same engine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from anigraph.errors import AnigraphError, NotFound, StoreError
from anigraph.models import Extraction
from anigraph.names import fold
from anigraph.resolve import Candidate, Linker
from anigraph.settings import database_url
from anigraph.store.characters import CharacterIndex
from anigraph.store.engine import SQLITE_BEGIN, make_engine, sqlite_file_missing, upgrade
from anigraph.store.ids import Ids
from anigraph.store.records import ConflictSummary, WorkRecord, build_work_record, open_conflicts
from anigraph.store.tables import Alias, BulkPartition, Claim, ClaimSource, Entity, ExternalId
from anigraph.store.tables import Article as ArticleRow
from anigraph.store.writer import AddResult, ExtractionWriter

log = logging.getLogger(__name__)

# what the cached linker was built from: entities, aliases and claims (claims give candidates their
# context); another writer's new row of any of them makes the cache be rebuilt
_STAMP = select(
    select(func.max(Entity.id)).scalar_subquery(),
    select(func.max(Alias.id)).scalar_subquery(),
    select(func.max(Claim.id)).scalar_subquery(),
)


class _ArticleFailed(Exception):
    """An article of a batch written without savepoints failed: the batch is written again with them."""


def _log_added(result: AddResult) -> None:
    log.info(
        "article %s: %s, %d entities, %d claims, %d sources",
        result.article_id,
        "stored" if result.created else "already stored",
        result.entities_created,
        result.claims_added,
        result.sources_added,
    )


def _store_error(e: Exception, extraction: Extraction) -> Exception:
    """What storing ``extraction`` raises for ``e``: database errors become ``StoreError``."""
    sha = extraction.article.source.sha256[:12]
    if isinstance(e, AnigraphError):
        return e
    if isinstance(e, IntegrityError):
        return StoreError(f"article {sha} conflicts with data written concurrently (retry it): {e.orig}")
    if isinstance(e, SQLAlchemyError):
        return StoreError(f"cannot store article {sha}: {e}")
    return e


def _without_article(folded: str) -> str:
    for article in ("the ", "a ", "an "):
        if folded.startswith(article):
            return folded[len(article) :]
    return folded


class Store:
    """A migrated database plus a cached entity linker over its entities."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._linker: Linker | None = None
        self._candidates: dict[int, Candidate] = {}
        self._slugs: set[str] = set()  # every stored slug, in step with the cached candidates
        self._characters = CharacterIndex()  # each work's characters, in step with the cached linker
        self._linker_stamp: tuple[int, int, int] | None = None
        self._write_lock = threading.RLock()  # the cached linker is shared by writers of this Store

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, create: bool = True) -> Store:
        """Open ``url`` (default ``ANIGRAPH_DB`` or ``sqlite:///anigraph.db``; a bare path is SQLite).

        Runs the packaged Alembic migrations to head unless ``migrate`` is False. SQLite
        connections use WAL, foreign keys and a 30 s busy timeout. With ``create=False`` a
        missing SQLite file is an error instead of a new empty database (for read-only
        commands). Raises ``StoreError`` when the database cannot be reached or migrated.
        """
        resolved = database_url(url)
        if not create:
            missing = sqlite_file_missing(resolved)
            if missing is not None:
                raise StoreError(f"database file {missing!r} does not exist (ingest some articles first)")
        engine = make_engine(resolved)
        try:
            if migrate:
                upgrade(engine)
            else:
                with engine.connect():
                    pass
        except (StoreError, SQLAlchemyError) as e:
            engine.dispose()
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"cannot open {resolved!r}: {e}") from e
        return cls(engine, url=resolved)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on this store's engine (objects stay usable after commit)."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one write transaction: committed on success, rolled back on any error.

        Writers are serialised across processes (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a
        transaction-level advisory lock per schema), so concurrent writers (``ingest`` while ``serve``
        accepts articles) wait instead of failing or creating the same entity twice.
        """
        with self._sessions() as session, session.begin():
            conn = session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('anigraph:' || current_schema()))"))
            yield session

    # -- linking ---------------------------------------------------------------------------------
    @staticmethod
    def _stamp(session: Session) -> tuple[int, int, int]:
        max_entity, max_alias, max_claim = session.connection().execute(_STAMP).one()  # Core: no ORM
        return (int(max_entity or 0), int(max_alias or 0), int(max_claim or 0))

    def _build_linker(self, session: Session) -> tuple[Linker, dict[int, Candidate]]:
        # the catalog module owns how stored entities become candidates (aliases, ids, context)
        from anigraph.store.catalog import candidates_from_session

        candidates = {c.entity_id: c for c in candidates_from_session(session)}
        linker = Linker(candidates.values())
        linker.build()
        log.debug("linker built over %d entities", len(candidates))
        return linker, candidates

    def linker(self) -> Linker:
        """The linker over every stored entity (rebuilt when another writer added entities)."""
        with self.session() as session:
            return self._current_linker(session)

    def _current_linker(self, session: Session, *, stamp: tuple[int, int, int] | None = None) -> Linker:
        if stamp is None:
            stamp = self._stamp(session)
        if self._linker is None or stamp != self._linker_stamp:
            self._linker, self._candidates = self._build_linker(session)
            self._slugs = {c.slug for c in self._candidates.values()}
            self._characters = CharacterIndex()
            self._linker_stamp = stamp
        return self._linker

    def invalidate_linker(self) -> None:
        """Forget the cached linker (after writing entities or aliases outside ``add_extraction``)."""
        self._linker = None
        self._candidates = {}
        self._slugs = set()
        self._characters = CharacterIndex()
        self._linker_stamp = None

    # -- writing ---------------------------------------------------------------------------------
    def add_extraction(self, extraction: Extraction, *, linker: Linker | None = None) -> AddResult:
        """Store one article and everything extracted from it, in one transaction.

        Idempotent by ``extraction.article.source.sha256`` (a second call returns
        ``created=False`` and changes nothing). Every fact is validated (known predicate,
        evidence equal to ``text[start:end]``, confidence in 0..1, known qualifiers); an
        invalid fact or any database error raises ``StoreError`` and rolls back the whole
        article. Names are linked to existing entities with ``linker`` (default: the store's
        cached linker, kept up to date); NIL names become new entities. Safe to call from
        several threads (writes through one ``Store`` are serialised); a ``linker`` passed in
        learns the new entities and must be discarded if the call fails.
        """
        with self._write_lock:
            result = self._add(extraction, linker=linker)
        _log_added(result)
        return result

    def add_extractions(self, extractions: Sequence[Extraction]) -> list[AddResult | Exception]:
        """Store several articles in order, in one transaction: what ``add_extraction`` of each in turn
        would store, with fewer round trips (one lock, one commit, the linker's stamp read once).

        An article that fails is rolled back alone and its place in the returned list holds the
        exception ``add_extraction`` would have raised (``StoreError`` for invalid facts and database
        errors); the others are stored. The batch is first written without savepoints; when an article
        fails, that attempt is rolled back and the batch written again with a savepoint per article
        (failures are rare: the common batch pays no savepoint round trips). Duplicates (same source
        ``sha256``, or the same text) are found among the batch's earlier articles as among stored ones.
        If the transaction cannot commit, nothing of the batch is stored and each article is stored
        again on its own (``add_extraction``), so a failure stays the failing article's.
        """
        if not extractions:
            return []
        with self._write_lock:
            try:
                try:
                    outcomes = self._add_batch(extractions, savepoints=False)
                except _ArticleFailed:  # rolled back whole: again, each article in a savepoint
                    outcomes = self._add_batch(extractions, savepoints=True)
            except SQLAlchemyError as e:  # the transaction as a whole failed: nothing of it was stored
                self.invalidate_linker()
                log.warning(
                    "a batch of %d articles could not commit (%s); storing them one by one",
                    len(extractions),
                    e,
                )
                outcomes = []
                for extraction in extractions:
                    try:
                        outcomes.append(self._add(extraction, linker=None))
                    except Exception as failure:  # reported in its place, as documented
                        outcomes.append(failure)
        for outcome in outcomes:
            if isinstance(outcome, AddResult):
                _log_added(outcome)
        return outcomes

    def _add_batch(
        self, extractions: Sequence[Extraction], *, savepoints: bool
    ) -> list[AddResult | Exception]:
        outcomes: list[AddResult | Exception] = []
        try:
            with self.transaction() as session:
                ids = Ids.read(session.connection())
                for extraction in extractions:
                    if not savepoints:
                        try:
                            outcomes.append(self._write(session, extraction, ids=ids, linker=None))
                        except Exception as e:
                            raise _ArticleFailed from e  # rolls the attempt back
                        self._linker_stamp = ids.stamp()  # the cached linker knows what was written
                        continue
                    mark = ids.mark()
                    try:
                        with session.begin_nested():
                            outcomes.append(self._write(session, extraction, ids=ids, linker=None))
                    except Exception as e:  # this article's savepoint is rolled back
                        ids.restore(mark)
                        self.invalidate_linker()  # it may have taught the cached linker rolled-back names
                        outcomes.append(_store_error(e, extraction))
                    else:
                        self._linker_stamp = ids.stamp()
                ids.sync_sequences(session.connection())
        except BaseException:
            self.invalidate_linker()
            raise
        return outcomes

    def _write(
        self, session: Session, extraction: Extraction, *, ids: Ids, linker: Linker | None
    ) -> AddResult:
        """One article through ``ExtractionWriter`` with the cached linker (or ``linker``)."""
        slugs: set[str] | None = None
        characters = CharacterIndex()
        if linker is None:
            use_linker = self._current_linker(session, stamp=ids.stamp())
            candidates, slugs, characters = self._candidates, self._slugs, self._characters
        else:
            use_linker, candidates = linker, {}
        writer = ExtractionWriter(
            session, linker=use_linker, candidates=candidates, ids=ids, slugs=slugs, characters=characters
        )
        return writer.write(extraction)

    def _add(self, extraction: Extraction, *, linker: Linker | None) -> AddResult:
        stamp: tuple[int, int, int] | None = None
        try:
            with self.transaction() as session:
                ids = Ids.read(session.connection())  # the linker cache's stamp and the next ids
                result = self._write(session, extraction, ids=ids, linker=linker)
                ids.sync_sequences(session.connection())
                if result.created and linker is None:
                    stamp = ids.stamp()  # the cached linker already knows these entities
        except Exception as e:
            self.invalidate_linker()
            error = _store_error(e, extraction)
            if error is e:
                raise
            raise error from e
        if stamp is not None:
            self._linker_stamp = stamp
        return result

    # -- bulk runs -------------------------------------------------------------------------------
    def finished_partitions(self, run: str) -> set[str]:
        """The partitions of the bulk run ``run`` whose articles are all stored."""
        with self.session() as session:
            return set(session.scalars(select(BulkPartition.partition).where(BulkPartition.run == run)))

    def finish_partition(
        self, run: str, partition: str, *, label: str, pages: int, kept: int, articles: int, failed: int
    ) -> None:
        """Record that every article of ``partition`` is stored (a second call changes nothing)."""
        with self.transaction() as session:
            if session.get(BulkPartition, (run, partition)) is None:
                session.add(
                    BulkPartition(
                        run=run,
                        partition=partition,
                        label=label,
                        pages=pages,
                        kept=kept,
                        articles=articles,
                        failed=failed,
                    )
                )

    def catalog_titles(self) -> list[str]:
        """Every spelling of every work a catalog was imported for (works with an external id)."""
        with self.session() as session:
            catalogued = select(ExternalId.entity_id)
            names = session.scalars(
                select(Alias.name)
                .join(Entity, Entity.id == Alias.entity_id)
                .where(Entity.kind == "work", Entity.id.in_(catalogued))
            )
            return sorted(set(names))

    # -- reading ---------------------------------------------------------------------------------
    def has_article(self, sha256: str) -> bool:
        """Whether an article with this source ``sha256`` is stored (lets ingest skip re-extracting it)."""
        with self.session() as session:
            found = session.scalar(select(ArticleRow.id).where(ArticleRow.sha256 == sha256).limit(1))
        return found is not None

    def find_work(self, title: str) -> Entity:
        """The work ``title`` names (by slug, title, alias or the linker's fuzzy match).

        Raises ``NotFound("work", title, suggestions)`` with up to five close titles.
        """
        key = title.strip()
        with self.session() as session:
            ent = session.scalar(select(Entity).where(Entity.kind == "work", Entity.slug == key))
            if ent is not None:
                return ent
            folded = fold(key)
            exact = list(
                session.execute(
                    select(Entity.id, Entity.name)
                    .join(Alias, Alias.entity_id == Entity.id)
                    .where(Entity.kind == "work", Alias.folded == folded)
                    .distinct()
                )
            )
            eid = self._best_exact(session, folded, [(i, n) for i, n in exact]) if exact else None
            if eid is None:  # "deer king" for "The Deer King": one work, without the article
                bare = _without_article(folded)
                ids = {
                    i
                    for i, f in session.execute(
                        select(Alias.entity_id, Alias.folded)
                        .join(Entity, Entity.id == Alias.entity_id)
                        .where(Entity.kind == "work", Alias.folded.like(f"%{bare}"))
                    )
                    if _without_article(f) == bare
                }
                eid = ids.pop() if len(ids) == 1 else None
            if eid is None:  # typos and variants: the linker (built once, then cached)
                hit = self._current_linker(session).link(key, kind="work").match
                eid = hit.entity_id if hit is not None else None
            if eid is not None:
                ent = session.get(Entity, eid)
                if ent is not None and ent.kind == "work":
                    return ent
            raise NotFound("work", title, self.suggest_works(title, session=session))

    def work_record(self, entity_id: int) -> WorkRecord:
        """Everything known about a work, each item with its sources (``NotFound`` if no such work)."""
        with self.session() as session:
            return build_work_record(session, entity_id)

    def open_conflicts(self, *, subject_id: int | None = None) -> list[ConflictSummary]:
        """Open conflicts (two values, no clear date order), optionally of one subject."""
        with self.session() as session:
            return open_conflicts(session, subject_id=subject_id)

    @staticmethod
    def _best_exact(session: Session, folded: str, hits: list[tuple[int, str]]) -> int:
        """Of works sharing a title: the one it is the main title of, else the best sourced."""
        named = [i for i, name in hits if fold(name) == folded]
        ids = named or [i for i, _ in hits]
        if len(ids) == 1:
            return ids[0]
        counts: dict[int, int] = dict(
            session.execute(
                select(Claim.subject_id, func.count(ClaimSource.id))
                .join(ClaimSource, ClaimSource.claim_id == Claim.id)
                .where(Claim.subject_id.in_(ids))
                .group_by(Claim.subject_id)
            ).all()
        )
        return max(ids, key=lambda i: (counts.get(i, 0), -i))

    def suggest_works(self, title: str, *, limit: int = 5, session: Session | None = None) -> list[str]:
        """Stored work titles closest to ``title`` (for did-you-mean messages), one per work.

        Each suggestion is the spelling that matched (an English alias of a romaji-named
        catalog entry, say), so it can be pasted back into ``anigraph show``.
        """
        if session is None:
            with self.session() as s:
                return self.suggest_works(title, limit=limit, session=s)
        names: dict[str, tuple[str, int]] = {}  # folded spelling -> (spelling, work id)
        for eid, canonical in session.execute(select(Entity.id, Entity.name).where(Entity.kind == "work")):
            names.setdefault(fold(canonical), (canonical, eid))
        for eid, name in session.execute(
            select(Alias.entity_id, Alias.name)
            .join(Entity, Entity.id == Alias.entity_id)
            .where(Entity.kind == "work")
        ):
            names.setdefault(fold(name), (name, eid))
        query = fold(title)
        choices = [f for f in names if len(f) >= max(3, len(query) // 2)]
        # whole-title similarity (typos), or the query's words inside a longer title ("kaiju 8")
        scores: dict[str, float] = {}
        for scorer, cutoff in ((fuzz.ratio, 60.0), (fuzz.token_set_ratio, 75.0)):
            for folded, score, _idx in process.extract(
                query, choices, scorer=scorer, limit=limit * 3, score_cutoff=cutoff
            ):
                scores[folded] = max(scores.get(folded, 0.0), float(score))
        out: list[str] = []
        seen: set[int] = set()
        for folded in sorted(scores, key=lambda f: (-scores[f], f)):
            spelling, eid = names[folded]
            if eid not in seen:
                seen.add(eid)
                out.append(spelling)
            if len(out) == limit:
                break
        return out
