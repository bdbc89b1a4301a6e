"""`ingest --dask` on a LocalCluster: WARC and JSON Lines shards end in the same store as a one-process
ingest of the articles the filter keeps; a re-run skips finished partitions; a killed worker costs
nothing. Each run uses the session's cluster of two worker processes."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from bulk_helpers import Archive, Dump, archive, dump
from sqlalchemy import select
from typer.testing import CliRunner

from anigraph.bulk import BulkProgress, ingest_with_dask
from anigraph.cli import app
from anigraph.errors import ConfigError
from anigraph.extract import Extractor
from anigraph.pipeline import ingest
from anigraph.store import Store, tables

pytestmark = pytest.mark.xdist_group("dask")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture
def client(dask_cluster: str) -> Iterator[object]:
    with distributed.Client(dask_cluster) as c:
        yield c


def one_process(url: str, sources: list[str], extractor: Extractor) -> Dump:
    with Store.open(url) as store:
        summary = ingest(sources, store=store, extractor=extractor)
    assert summary.failed == 0
    return content(url)


def content(url: str) -> Dump:
    """The store's entities, claims and sources (``dump``) and its articles (their sha256)."""
    with Store.open(url) as store, store.session() as s:
        articles = [(sha,) for sha in sorted(s.scalars(select(tables.Article.sha256)))]
    return {**dump(url), "articles": articles}


def paths(url: str) -> list[tuple[str, str | None]]:
    with Store.open(url) as store, store.session() as s:
        return sorted((a.sha256, a.path) for a in s.scalars(select(tables.Article)))


@pytest.fixture(scope="module")
def kept_reference(
    tmp_path_factory: pytest.TempPathFactory, small_archive: Archive, extractor: Extractor
) -> Dump:
    """A one-process ingest of the anime pages alone (WARC, then JSON Lines), in the archive's order."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    return one_process(url, [str(small_archive.anime_warc), str(small_archive.anime_jsonl)], extractor)


def test_warc_and_jsonl_shards_equal_a_one_process_ingest_of_the_kept_pages(
    any_url: str, small_archive: Archive, client: object, kept_reference: Dump
) -> None:
    with Store.open(any_url) as store:
        summary = ingest_with_dask(
            [str(small_archive.warc), str(small_archive.jsonl)], store=store, client=client
        )
    assert summary.failed == 0, summary.failures
    assert summary.partitions == 6 and summary.workers == 2
    assert summary.pages == 2 * len(small_archive.pages)
    assert summary.kept == summary.articles == 2 * small_archive.anime
    assert summary.stored + summary.unchanged == summary.articles
    assert content(any_url) == kept_reference


def test_without_the_filter_jsonl_lines_and_files_equal_a_one_process_ingest(
    tmp_path: Path, small_archive: Archive, client: object, extractor: Extractor
) -> None:
    """Line ranges of a plain .jsonl file name articles file:line as a one-process read does, and a
    directory of single files is read the same way."""
    lines = tmp_path / "news.jsonl"
    lines.write_bytes(b"".join(archive.jsonl_line(p) + b"\n" for p in small_archive.pages[:11]))
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, page in enumerate(small_archive.pages[11:16]):
        (folder / f"{i:02d}.txt").write_text(f"{page.title}\n\n{page.text}\n", encoding="utf-8")
    sources = [str(lines), str(folder)]
    ref = f"sqlite:///{tmp_path / 'ref.db'}"
    expected = one_process(ref, sources, extractor)
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    with Store.open(url) as store:
        summary = ingest_with_dask(sources, store=store, client=client, relevance=False, partition_size=3)
    assert summary.partitions == 4 + 2  # 11 lines in runs of 3, 5 files in groups of 3
    assert summary.pages == summary.kept == 16
    assert content(url) == expected
    assert paths(url) == paths(ref)


def test_a_run_stopped_midway_resumes_where_it_stopped(
    tmp_path: Path, small_archive: Archive, client: object, kept_reference: Dump
) -> None:
    url = f"sqlite:///{tmp_path / 'resume.db'}"
    sources = [str(small_archive.warc), str(small_archive.jsonl)]

    def stop_after_two(p: BulkProgress) -> None:
        if p.done >= 2:
            raise KeyboardInterrupt

    with Store.open(url) as store, pytest.raises(KeyboardInterrupt):
        ingest_with_dask(sources, store=store, client=client, on_progress=stop_after_two)
    with Store.open(url) as store:
        again = ingest_with_dask(sources, store=store, client=client)
        assert again.skipped == 2 and again.failed == 0
        assert again.pages == 4 * 10  # only the four partitions left were read
        assert content(url) == kept_reference
        last = ingest_with_dask(sources, store=store, client=client)
    assert last.skipped == 6 and last.pages == 0 and last.stored == 0


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    tmp_path: Path, small_archive: Archive, client: object, kept_reference: Dump
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    killed: list[int] = []

    def kill_a_busy_worker(p: BulkProgress) -> None:
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks]  # type: ignore[attr-defined]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with Store.open(url) as store:
        summary = ingest_with_dask(
            [str(small_archive.warc), str(small_archive.jsonl)],
            store=store,
            client=client,
            on_progress=kill_a_busy_worker,
            partition_size=1,
        )
    assert killed, "no worker was busy after the first partition"
    assert summary.failed == 0 and summary.skipped == 0
    assert summary.pages == 2 * len(small_archive.pages)
    assert content(url) == kept_reference
    client.wait_for_workers(2, timeout=120)  # type: ignore[attr-defined]  # the nanny restarts it


def test_cli_dask_prints_a_json_summary(tmp_path: Path, small_archive: Archive, dask_cluster: str) -> None:
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(
        app, ["ingest", str(small_archive.jsonl), "--dask", dask_cluster, "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["partitions"] == 3 and out["pages"] == len(small_archive.pages)
    assert out["kept"] == out["stored"] == small_archive.anime
    assert out["dropped"] == len(small_archive.pages) - small_archive.anime


@pytest.mark.parametrize("address", ["gpu-farm", "local:0", "http://host:8786"])
def test_a_bad_address_is_named(tmp_path: Path, small_archive: Archive, address: str) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store, pytest.raises(ConfigError, match=address):
        ingest_with_dask([str(small_archive.jsonl)], store=store, address=address)


def test_dask_with_jobs_is_refused(tmp_path: Path, small_archive: Archive) -> None:
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(small_archive.jsonl),
            "--dask",
            "local:1",
            "--jobs",
            "2",
            "--db",
            str(tmp_path / "x.db"),
        ],
    )
    assert result.exit_code == 2 and "--dask cannot be combined" in result.output
