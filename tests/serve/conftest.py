"""A populated SQLite database and the real app over it (session-scoped, built once per worker)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_data import hostile_extraction, metallic_rouge_extraction

from anigraph.extract import Extractor
from anigraph.ingest import IngestFailure, read_sources
from anigraph.models import Article
from anigraph.serve import create_app
from anigraph.store import Store

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()
SEED = SHARED / "seeds" / "metallic-rouge-trailer.txt"
TOKEN = "test-token-0123456789"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()


def populate(url: str, *, extractor: Extractor) -> None:
    """Hand-built extractions of our articles, plus the seed through the real extractor when present."""
    with Store.open(url) as store:
        store.add_extraction(metallic_rouge_extraction())
        store.add_extraction(hostile_extraction())
        if SEED.is_file():
            for item in read_sources([str(SEED)]):
                assert isinstance(item, Article), f"cannot read the seed: {item}"
                store.add_extraction(extractor.extract(item))


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


def read_seed() -> Article:
    if not SEED.is_file():
        pytest.skip(f"../shared not found at {SHARED} (set ANIGRAPH_SHARED); seed tests skipped")
    items = list(read_sources([str(SEED)]))
    if not items or isinstance(items[0], IngestFailure):
        pytest.fail(f"cannot read the seed {SEED}: {items}")
    first = items[0]
    assert isinstance(first, Article)
    return first
