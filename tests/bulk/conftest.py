"""Fixtures for the bulk tests: a small generated archive (benchmarks/archive.py) and one LocalCluster
of two worker processes shared by the tests of a pytest worker (starting one and loading the
extractor in each of its workers costs seconds)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from bulk_helpers import Archive, archive


@pytest.fixture(scope="session")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """30 pages, a third about anime, in 3 WARC and 3 JSON Lines shards (and the anime ones alone)."""
    root = tmp_path_factory.mktemp("archive")
    pages = archive.pages(30, anime_share=1 / 3, seed=5)
    archive.write_archive(root / "all", pages, shard=10)
    archive.write_archive(root / "anime", [p for p in pages if p.anime], shard=10**6)
    return Archive(
        pages,
        root / "all" / "warc",
        root / "all" / "jsonl",
        root / "anime" / "warc",
        root / "anime" / "jsonl",
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database: a new SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'anigraph.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """The scheduler address of a LocalCluster of 2 worker processes (1 thread each)."""
    distributed = pytest.importorskip("distributed")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        yield cluster.scheduler_address
