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
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from anigraph import settings
from anigraph.errors import ResolveError
from anigraph.resolve import Linker, snapshot
from anigraph.store.engine import MIGRATIONS_DIR, upgrade
from anigraph.store.tables import Alias, Claim, Entity, ExternalId

if TYPE_CHECKING:
    from anigraph.store.database import Store

log = logging.getLogger(__name__)

MAGIC = b"anigraph linker cache\n"
FRESH_SECONDS = 2.0  # an entity updated this recently may be updated again within the same second


def store_version(session: Session, *, fresh_seconds: float = FRESH_SECONDS) -> tuple[str, bool]:
    """The store's version as a string, and whether its newest entity update is too recent to key a cache
    (less than ``fresh_seconds`` old).

    Timestamps have a one-second resolution on SQLite: two updates in one second leave the same
    newest time, so an index built in the second of an update is not saved.
    """
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    parts: list[str] = [f"revision:{','.join(sorted(revision))}"]
    for table in (Entity, Alias, ExternalId, Claim):
        count, newest = session.execute(select(func.count(), func.max(table.id))).one()
        parts.append(f"{table.__tablename__}:{count}:{newest or 0}")
    updated, now = session.execute(select(func.max(Entity.updated_at), func.current_timestamp())).one()
    parts.append(f"updated:{updated}")
    return ";".join(parts), _recent(updated, now, fresh_seconds=fresh_seconds)


def _recent(updated: object, now: object, *, fresh_seconds: float) -> bool:
    if updated is None or fresh_seconds <= 0:
        return False
    if not isinstance(updated, datetime) or not isinstance(now, datetime):
        return True  # cannot tell: do not trust the key
    if (updated.tzinfo is None) != (now.tzinfo is None):
        updated, now = updated.replace(tzinfo=None), now.replace(tzinfo=None)
    return (now - updated).total_seconds() < fresh_seconds


def cache_path(url: str, *, kinds: Collection[str]) -> Path | None:
    """Where the cache of ``kinds`` for the database at ``url`` lives (None: not cached)."""
    where = settings.get("linker_cache").strip()
    if where == "off":
        return None
    label = "-".join(sorted(kinds))
    parsed = make_url(url)
    if where:
        digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:16]
        return Path(where).expanduser() / f"linker-{digest}-{label}"
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    path = Path(database).expanduser().resolve()
    return path.with_name(f".{path.name}.linker-{label}")


def _cache_key(version: str, *, kinds: Collection[str]) -> bytes:
    migrations = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
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


def cached_linker(store: Store, *, kinds: Collection[str], fresh_seconds: float = FRESH_SECONDS) -> Linker:
    """A linker over the stored entities of ``kinds``: read from the cache when the store has not
    changed since it was saved, else built (and saved); a linker read from the cache is read-only.

    The store may be opened without migrating (``Store.open(url, migrate=False)``: a call answered
    from the cache never loads Alembic): the cache is only ever saved from a migrated store, and its
    key holds the schema revision, so a store that needs migrating misses it and is migrated here.
    An index built less than ``fresh_seconds`` after the newest entity update is not saved.
    """
    from anigraph.store.catalog import build_linker

    path = cache_path(store.url, kinds=kinds)
    if path is not None:
        try:
            with store.session() as session:
                version, _recent = store_version(session)
        except SQLAlchemyError as e:  # not migrated yet (a new or an older database)
            log.debug("no store version to check the linker cache against: %s", e)
        else:
            cached = _read(path, _cache_key(version, kinds=kinds))
            if cached is not None:
                log.debug("linker read from the cache %s", path)
                return cached
    upgrade(store.engine)  # a no-op at head
    with store.session() as session:  # one read transaction: the version and the build agree
        version, recent = store_version(session, fresh_seconds=fresh_seconds)
        linker = build_linker(session, kinds=kinds)
    if path is not None and not recent:
        _write(path, _cache_key(version, kinds=kinds), linker)
    return linker
