"""A fresh ``Store`` per test on SQLite (a new file) and PostgreSQL (one migrated schema per
module, emptied before each test, dropped after the module; migration tests get their own).

PostgreSQL comes from ``ANIGRAPH_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``);
its tests skip with a message when it is unreachable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from anigraph.store import Store
from anigraph.store.tables import Base

PG_URL = os.environ.get("ANIGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except (OperationalError, ImportError) as e:
        return str(e).splitlines()[0]
    return None


_PG_DOWN: list[str | None] = []


def pg_down() -> str | None:
    if not _PG_DOWN:
        _PG_DOWN.append(_pg_reachable())
    return _PG_DOWN[0]


def pg_schema_url(schema: str) -> str:
    """``PG_URL`` with the search_path pointing at ``schema`` only."""
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@contextmanager
def _new_pg_schema() -> Iterator[str]:
    reason = pg_down()
    if reason:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set ANIGRAPH_TEST_PG): {reason}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema (name returned), dropped after the test."""
    with _new_pg_schema() as schema:
        yield schema


@pytest.fixture
def pg_new_url(pg_schema: str) -> str:
    """The URL of a fresh, empty (not migrated) PostgreSQL schema."""
    return pg_schema_url(pg_schema)


@pytest.fixture(scope="module")
def pg_module_schema() -> Iterator[str]:
    """One migrated PostgreSQL schema per test module (migrating is the slow part)."""
    with _new_pg_schema() as schema:
        Store.open(pg_schema_url(schema)).close()
        yield schema


def _emptied(schema: str) -> str:
    """Empty every table of a migrated schema; return its URL."""
    engine = create_engine(pg_schema_url(schema))
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return pg_schema_url(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'anigraph.db'}"
    schema: str = request.getfixturevalue("pg_schema")
    return pg_schema_url(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database with no rows: a new SQLite file, or this module's PostgreSQL schema emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'anigraph.db'}"
    schema: str = request.getfixturevalue("pg_module_schema")
    return _emptied(schema)


@pytest.fixture
def store(empty_url: str) -> Iterator[Store]:
    """A migrated, empty store on SQLite and on PostgreSQL."""
    s = Store.open(empty_url)
    try:
        yield s
    finally:
        s.close()
