"""A populated SQLite database and the real app over it (session-scoped, built once per worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_data import TOKEN, populate

from anigraph.extract import Extractor
from anigraph.serve import create_app


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'anigraph.db'}"
    populate(url, extractor=extractor)
    return url


@pytest.fixture(scope="session")
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url=db_url, api_token=TOKEN)) as c:
        yield c


@pytest.fixture
def fresh_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over an empty database (for writes)."""
    with TestClient(create_app(db_url=f"sqlite:///{tmp_path / 'w.db'}", api_token=TOKEN)) as c:
        yield c
