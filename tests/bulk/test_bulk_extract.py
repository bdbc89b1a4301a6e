"""Dask bulk extraction gives the same facts as the in-process pipeline, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest

from anigraph.bulk import extract_with_dask
from anigraph.errors import ConfigError
from anigraph.ingest import IngestFailure
from anigraph.models import Extraction
from anigraph.pipeline import extract_sources

ARTICLE = (
    "Studio Example Announces New Anime\n\n"
    "Motonobu Hori directs the new anime at Bones. Taisei Iwasaki is composing the music.\n"
)


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Hori", "Horie"), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    return [str(tmp_path / n) for n in ("a.txt", "empty.txt", "b.txt")]


def _facts(results: list[Extraction | IngestFailure]) -> list[object]:
    return [r.reason if isinstance(r, IngestFailure) else [f.to_json() for f in r.facts] for r in results]


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_dask_matches_pipeline(sources: list[str], scheduler: str) -> None:
    expected = list(extract_sources(sources))
    got = list(extract_with_dask(sources, scheduler=scheduler, partition_size=1))
    assert _facts(got) == _facts(expected)
    assert isinstance(got[1], IngestFailure) and "empty" in got[1].reason


def test_dask_distributed_local_cluster(sources: list[str]) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        got = list(extract_with_dask(sources, scheduler=cluster.scheduler_address))
    assert _facts(got) == _facts(list(extract_sources(sources)))


def test_unknown_scheduler_is_named(sources: list[str]) -> None:
    with pytest.raises(ConfigError, match="'gpu-farm'"):
        list(extract_with_dask(sources, scheduler="gpu-farm"))
