"""Fixtures for the resolve tests: sample catalogs (written by us) and a fresh store per test.

The store is a new SQLite file, or a fresh PostgreSQL schema (``ANIGRAPH_TEST_PG``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) that skips when unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from anigraph.store import Store

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


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
    s = Store.open(request.getfixturevalue("pg_url"))
    try:
        yield s
    finally:
        s.close()
