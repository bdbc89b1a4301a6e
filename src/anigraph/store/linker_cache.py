"""The linker of ``anigraph resolve``, kept between calls in a file beside the database.

Building the index over a whole catalog takes seconds; every ``anigraph resolve`` would pay it.
:func:`cached_linker` saves the built index as a snapshot (``anigraph.resolve.snapshot``) and
reads it back while the store's version is unchanged. The version is the row count and newest id
of every table a candidate is read from (entities, aliases, external ids, claims), the newest
entity update and the schema revision: adding, merging or deleting entities, aliases, ids or
claims, changing a work's attributes or migrating changes it. The cache key adds the linker's
code digest, the store's migrations and the entity kinds indexed, so another version of anigraph
never reads an index it did not build.

Where (setting ``linker_cache``): by default a hidden file beside a SQLite database file
(``.anigraph.db.linker-work`` for ``anigraph.db``; directory ingest skips hidden files); no cache
for other databases unless the setting names a directory; ``off`` disables it. A cache that cannot
be read is rebuilt, one that cannot be written is skipped, with a warning in the log either way.

A call answered from the cache of a SQLite file (:func:`read_cached`) reads the version with the
standard library's ``sqlite3`` and loads neither SQLAlchemy nor Alembic: about half of what a call
costs. The version is the same plain SQL on both paths, so both compute the same key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anigraph import settings
from anigraph.errors import ResolveError
from anigraph.resolve import snapshot
from anigraph.resolve.linker import Linker, LinkResult
from anigraph.store.policy import ENTITY_KINDS

if TYPE_CHECKING:
    from anigraph.store.database import Store

log = logging.getLogger(__name__)

MAGIC = b"anigraph linker cache\n"
FRESH_SECONDS = 2.0  # an entity updated this recently may be updated again within the same second
MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "versions"
# The store's version, as plain SQL that SQLite (through sqlite3 or SQLAlchemy) and PostgreSQL run alike.
_VERSION_SQL = (
    "SELECT version_num FROM alembic_version",
    "SELECT count(*), max(id) FROM entities",
    "SELECT count(*), max(id) FROM aliases",
    "SELECT count(*), max(id) FROM external_ids",
    "SELECT count(*), max(id) FROM claims",
    "SELECT max(updated_at), CURRENT_TIMESTAMP FROM entities",
)
_SQLITE_FILE = re.compile(r"^sqlite(?:\+\w+)?:///(?P<path>[^?]+)$")
_PASSWORD = re.compile(r"//([^:/@]+):[^@/]*@")

Execute = Callable[[str], list[tuple[Any, ...]]]


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain SQLite URL (``sqlite:///anigraph.db``); None for anything else
    (in memory, ``file:`` URIs, query options, other databases)."""
    m = _SQLITE_FILE.match(url)
    if m is None or m["path"] == ":memory:" or m["path"].startswith("file:"):
        return None
    return Path(m["path"]).expanduser()


def store_version(execute: Execute, *, fresh_seconds: float = FRESH_SECONDS) -> tuple[str, bool]:
    """The store's version as a string, and whether its newest entity update is too recent to key a
    cache (less than ``fresh_seconds`` old). ``execute`` runs one SQL statement and returns its rows.

    Timestamps have a one-second resolution on SQLite: two updates in one second leave the same
    newest time, so an index built in the second of an update is not saved.
    """
    revision, *counts, times = (execute(sql) for sql in _VERSION_SQL)
    parts = [f"revision:{','.join(sorted(str(r[0]) for r in revision))}"]
    parts += [f"{count}:{newest or 0}" for ((count, newest),) in counts]
    ((updated, now),) = times
    parts.append(f"updated:{updated}")
    return ";".join(parts), _recent(updated, now, fresh_seconds=fresh_seconds)


def _when(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))  # SQLite: "2026-12-08 01:02:03"
    except ValueError:
        return None


def _recent(updated: object, now: object, *, fresh_seconds: float) -> bool:
    if updated is None or fresh_seconds <= 0:
        return False
    last, current = _when(updated), _when(now)
    if last is None or current is None:
        return True  # cannot tell: do not trust the key
    if (last.tzinfo is None) != (current.tzinfo is None):
        last, current = last.replace(tzinfo=None), current.replace(tzinfo=None)
    return (current - last).total_seconds() < fresh_seconds


def cache_path(url: str, *, kinds: Collection[str]) -> Path | None:
    """Where the cache of ``kinds`` for the database at ``url`` lives (None: not cached)."""
    where = settings.get("linker_cache").strip()
    if where == "off":
        return None
    label = "-".join(sorted(kinds))
    if where:
        digest = hashlib.sha256(_PASSWORD.sub(r"//\1:***@", url).encode()).hexdigest()[:16]
        return Path(where).expanduser() / f"linker-{digest}-{label}"
    database = sqlite_file(url)
    if database is None:
        return None
    path = database.resolve()
    return path.with_name(f".{path.name}.linker-{label}")


def _cache_key(version: str, *, kinds: Collection[str]) -> bytes:
    migrations = sorted(p.name for p in MIGRATIONS.glob("*.py"))
    catalog = (Path(__file__).parent / "catalog.py").read_bytes()  # how entities become candidates
    digest = hashlib.sha256()
    for part in (snapshot.code_digest(), hashlib.sha256(catalog).hexdigest(), *migrations, *sorted(kinds)):
        digest.update(part.encode() + b"\n")
    digest.update(version.encode())
    return digest.hexdigest().encode()


def _read(path: Path, key: bytes) -> Linker | None:
    try:
        with path.open("rb") as fh:
            if fh.readline() != MAGIC or fh.readline().rstrip(b"\n") != key:
                log.info("linker cache %s is from another version of the store; rebuilding", path)
                return None
            data = fh.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        log.warning("cannot read the linker cache %s (%s); rebuilding", path, e)
        return None
    try:
        return snapshot.loads(data)
    except ResolveError as e:
        log.warning("linker cache %s: %s; rebuilding", path, e)
        return None


def _write(path: Path, key: bytes, linker: Linker) -> None:
    tmp: str | None = None
    try:
        data = snapshot.dumps(linker)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + key + b"\n" + data)
        os.replace(tmp, path)  # readers see the old cache or the new one, never half of one
        tmp = None
        log.info("saved the linker cache %s (%d bytes)", path, len(data))
    except (OSError, ResolveError) as e:
        log.warning("cannot save the linker cache %s (%s); the next call builds the index again", path, e)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def read_cached(url: str, *, kinds: Collection[str]) -> Linker | None:
    """The cached linker of the SQLite database file at ``url`` when it is current, read without
    SQLAlchemy; None otherwise (no cache, another version, not a SQLite file, not migrated)."""
    path, database = cache_path(url, kinds=kinds), sqlite_file(url)
    if path is None or database is None or not path.is_file() or not database.is_file():
        return None
    try:
        conn = sqlite3.connect(database, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN")  # one read transaction: every count from the same state
            version, _recent = store_version(lambda sql: conn.execute(sql).fetchall())
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.Error as e:
        log.debug("cannot read the version of %s without SQLAlchemy: %s", database, e)
        return None
    linker = _read(path, _cache_key(version, kinds=kinds))
    if linker is not None:
        log.debug("linker read from the cache %s", path)
    return linker


def cached_linker(store: Store, *, kinds: Collection[str], fresh_seconds: float = FRESH_SECONDS) -> Linker:
    """A linker over the stored entities of ``kinds``: read from the cache when the store has not
    changed since it was saved, else built (and saved); a linker read from the cache is read-only.

    The store may be opened without migrating (``Store.open(url, migrate=False)``): the cache is only
    ever saved from a migrated store, and its key holds the schema revision, so a store that needs
    migrating misses it and is migrated here. An index built less than ``fresh_seconds`` after the
    newest entity update is not saved.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from anigraph.store.catalog import build_linker
    from anigraph.store.engine import upgrade

    path = cache_path(store.url, kinds=kinds)
    if path is not None:
        try:
            with store.session() as session:
                version, _recent = store_version(
                    lambda sql: [tuple(row) for row in session.execute(text(sql))]
                )
        except SQLAlchemyError as e:  # not migrated yet (a new or an older database)
            log.debug("no store version to check the linker cache against: %s", e)
        else:
            cached = _read(path, _cache_key(version, kinds=kinds))
            if cached is not None:
                log.debug("linker read from the cache %s", path)
                return cached
    upgrade(store.engine)  # a no-op at head
    with store.session() as session:  # one read transaction: the version and the build agree
        version, recent = store_version(
            lambda sql: [tuple(row) for row in session.execute(text(sql))], fresh_seconds=fresh_seconds
        )
        linker = build_linker(session, kinds=kinds)
    if path is not None and not recent:
        _write(path, _cache_key(version, kinds=kinds), linker)
    return linker


def resolve_names(url: str, queries: Iterable[str], *, kind: str) -> Iterator[LinkResult]:
    """Link each query against everything stored in the database at ``url``, with one linker for
    all queries: read from the cache when it is current (a SQLite file's without loading SQLAlchemy),
    else built and saved (the store migrated first when it needs it)."""
    if kind not in ENTITY_KINDS:
        raise ResolveError(f"unknown entity type {kind!r}; choose one of {', '.join(sorted(ENTITY_KINDS))}")
    linker = read_cached(url, kinds={kind})
    if linker is None:
        from anigraph.store.database import Store

        with Store.open(url, migrate=False) as store:
            linker = cached_linker(store, kinds={kind})
    for query in queries:
        yield linker.link(query, kind=kind)
