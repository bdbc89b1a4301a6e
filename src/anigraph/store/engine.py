"""Engines and migrations: open a database URL, tune SQLite, run Alembic to head.

Migrations ship inside the package (``anigraph/store/migrations``) and are configured in
code, so ``Store.open`` works from any working directory. ``store/alembic.ini`` exists only
for developers who want the ``alembic`` command line (``alembic -c src/anigraph/store/alembic.ini``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from anigraph.errors import StoreError

if TYPE_CHECKING:  # Alembic is imported when migrating: a read that skips migrations need not load it
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# Execution option naming how a SQLite transaction begins: "IMMEDIATE" takes the write lock
# at once (writers wait for each other instead of failing on a stale read snapshot).
SQLITE_BEGIN = "anigraph_sqlite_begin"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see _sqlite_begin)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, no fsync per commit
        cursor.execute("PRAGMA temp_store=MEMORY")  # sorts and GROUP BYs of a write stay in memory
        cursor.execute("PRAGMA cache_size=-16000")  # 16 MB page cache (default 2 MB) as the database grows
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys, a busy timeout and a 16 MB cache."""
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(f"{url!r} is not a database URL or SQLite path: {e}") from e
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{url!r}: directory {str(parent)!r} does not exist")
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(parsed, future=True, **kwargs)
    except (ArgumentError, ImportError, SQLAlchemyError) as e:
        raise StoreError(f"cannot create an engine for {url!r}: {e}") from e
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
        raise StoreError(f"unknown SQLite transaction mode {mode!r}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def sqlite_file_missing(url: str) -> str | None:
    """The path of a SQLite database file that does not exist yet, else None."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return None if Path(database).expanduser().exists() else database


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations (no ini file needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('anigraph:migrate:' || current_schema()))"


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # on the DBAPI connection, outside any transaction (inside one SQLite ignores the pragma)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()


def upgrade(engine: Engine, *, revision: str = "head") -> None:
    """Run the packaged Alembic migrations on ``engine`` up to ``revision``.

    Processes that open a new database at once (two ``ingest`` commands, a worker pool) migrate one
    after the other: the migration transaction takes the write lock before it reads the schema
    version (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so the later ones wait and find
    the schema at head instead of failing with "database is locked" or creating tables twice.

    On SQLite foreign keys are off while migrating: a migration that changes a table copies it
    (Alembic's batch mode), and dropping the old copy with foreign keys on would delete every row
    that points at it. The keys are checked before a migration of existing data commits.
    """
    from alembic import command
    from alembic.migration import MigrationContext

    cfg = alembic_config()
    try:
        with engine.connect() as raw:
            connection = raw.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:
                _sqlite_foreign_keys(connection, on=False)
            try:
                with connection.begin():
                    if engine.dialect.name == "postgresql":
                        connection.execute(text(_PG_MIGRATION_LOCK))
                    before = MigrationContext.configure(connection).get_current_revision()
                    cfg.attributes["connection"] = connection
                    command.upgrade(cfg, revision)
                    after = MigrationContext.configure(connection).get_current_revision()
                    if sqlite and before not in (None, after):  # (a new database has no rows to check)
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise StoreError(f"migrating to {revision} broke foreign keys: {broken[:5]}")
            finally:
                if sqlite:
                    _sqlite_foreign_keys(connection, on=True)
    except SQLAlchemyError as e:
        raise StoreError(f"cannot migrate {engine.url.render_as_string(hide_password=True)!r}: {e}") from e
    log.debug("migrated %s to %s", engine.url.render_as_string(hide_password=True), revision)
