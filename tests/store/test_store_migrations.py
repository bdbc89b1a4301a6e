"""The migrated schema equals ``Base.metadata`` on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from anigraph.errors import StoreError
from anigraph.store import Store
from anigraph.store.engine import alembic_config
from anigraph.store.tables import Base


def test_migrated_schema_matches_metadata(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(ctx, Base.metadata)
            tables = set(inspect(conn).get_table_names())
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        store.close()
    assert diffs == [], f"migration and tables.py differ: {diffs}"
    assert set(Base.metadata.tables) <= tables
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_open_twice_keeps_data(db_url: str) -> None:
    """Re-opening an up-to-date database runs no migration and loses nothing."""
    first = Store.open(db_url)
    with first.transaction() as s:
        s.execute(text("INSERT INTO entities (kind, name, slug, attrs) VALUES ('work', 'W', 'w', '{}')"))
    first.close()
    second = Store.open(db_url)
    try:
        with second.session() as s:
            assert s.execute(text("SELECT slug FROM entities")).scalars().all() == ["w"]
    finally:
        second.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2", "cannot"),
        ("nosuchdialect://x/y", "nosuchdialect"),
        ("/no/such/directory/anigraph.db", "does not exist"),
    ],
)
def test_open_errors_name_the_database(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Store.open(url)


def test_read_only_open_does_not_create(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(str(path), create=False)
    assert not path.exists()


def _open_and_close(url: str) -> None:
    Store.open(url).close()


def test_processes_opening_a_new_database_at_once_all_succeed(db_url: str) -> None:
    """Several processes migrating a new database at once take turns: none fails with "database is
    locked" (SQLite) or a duplicate table (PostgreSQL), and the schema ends at head once."""
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_open_and_close, args=(db_url,)) for _ in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    store = Store.open(db_url)
    try:
        with store.session() as s:
            assert len(s.execute(text("SELECT version_num FROM alembic_version")).all()) == 1
    finally:
        store.close()
