"""Fixtures for the resolve tests: sample catalogs (written by us) and a fresh store per test.

The store is a new SQLite file, or a fresh PostgreSQL schema (``ANIGRAPH_TEST_PG``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) that skips when unreachable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from anigraph.store import Store

DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("ANIGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def _pg_schema() -> Iterator[str]:
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            schema = f"r_{uuid.uuid4().hex[:12]}"
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except (OperationalError, ImportError) as e:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set ANIGRAPH_TEST_PG): {str(e).splitlines()[0]}")
    try:
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store on SQLite (and on PostgreSQL when reachable)."""
    if request.param == "sqlite":
        s = Store.open(f"sqlite:///{tmp_path / 'catalog.db'}")
        try:
            yield s
        finally:
            s.close()
        return
    for url in _pg_schema():
        s = Store.open(url)
        try:
            yield s
        finally:
            s.close()
