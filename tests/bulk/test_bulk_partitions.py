"""Partitions: planned in reading order without reading articles, read on a worker into the same
Articles a one-process read gives (names file:line and file#offset included)."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
from bulk_helpers import archive

from anigraph.bulk.partitions import Partition, plan_partitions, read_partition
from anigraph.bulk.relevance import FilterCounts
from anigraph.ingest import IngestFailure, ReadOptions, read_sources
from anigraph.models import Article

OPTIONS = ReadOptions(max_bytes=1024 * 1024)


def read_all(parts: list[Partition | IngestFailure]) -> list[Article | IngestFailure]:
    out: list[Article | IngestFailure] = []
    for part in parts:
        if isinstance(part, IngestFailure):
            out.append(part)
        else:
            out.extend(read_partition(part, options=OPTIONS, relevance=None, counts=FilterCounts()))
    return out


def same(items: list[Article | IngestFailure]) -> list[object]:
    return [i if isinstance(i, IngestFailure) else (i.source.sha256, i.source.path, i.text) for i in items]


@pytest.fixture()
def jsonl(tmp_path: Path) -> Path:
    pages = archive.pages(10, anime_share=0.3, seed=1)
    lines = [archive.jsonl_line(p) for p in pages]
    lines.insert(3, b"")  # a blank line keeps its number
    lines.insert(6, b'{"text": 5}')  # a bad line is a failure named file:line
    path = tmp_path / "news.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))  # BOM, CRLF, no final line break
    return path


@pytest.mark.parametrize("size", [1, 3, 5, 100])
def test_line_ranges_read_like_one_process(jsonl: Path, size: int) -> None:
    parts = list(plan_partitions([str(jsonl)], partition_size=size))
    assert all(isinstance(p, Partition) and p.kind == "lines" for p in parts)
    assert len(parts) == -(-12 // size)
    assert same(read_all(parts)) == same(list(read_sources([str(jsonl)], options=OPTIONS)))


def test_jsonl_gz_and_warc_shards_read_like_one_process(tmp_path: Path) -> None:
    pages = archive.pages(6, anime_share=0.5, seed=2)
    warc, lines = tmp_path / "a.warc.gz", tmp_path / "b.jsonl.gz"
    archive.write_warc(warc, pages)
    archive.write_jsonl(lines, pages)
    parts = list(plan_partitions([str(warc), str(lines)], partition_size=2))
    assert [p.kind for p in parts if isinstance(p, Partition)] == ["archive", "archive"]
    got = read_all(parts)
    assert same(got) == same(list(read_sources([str(warc), str(lines)], options=OPTIONS)))
    assert len(got) == 12 and all(isinstance(a, Article) for a in got)
    first = got[0]
    assert (
        isinstance(first, Article) and first.source.path == f"{warc}#0" and first.source.url == pages[0].url
    )


def test_warc_keeps_html_responses_only(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = archive.pages(1, anime_share=1.0, seed=4)[0]
    path = tmp_path / "mixed.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)

        def record(kind: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(page.url, kind, payload=io.BytesIO(body), http_headers=headers)
            )

        record("response", "200 OK", "image/png", b"\x89PNG....")
        record("response", "404 Not Found", "text/html", b"<html><body>gone</body></html>")
        record("response", "200 OK", "text/html; charset=utf-8", archive.html(page))
        record("response", "200 OK", "text/html", b"<html>" + b"x" * 2_000_000 + b"</html>")
    items = list(read_sources([str(path)], options=OPTIONS))
    assert [type(i).__name__ for i in items] == ["Article", "IngestFailure"]
    assert isinstance(items[1], IngestFailure) and "too large" in items[1].reason


def test_a_broken_archive_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl.gz"
    bad.write_bytes(gzip.compress(b'{"text": "one"}\n')[:-12])
    items = list(read_sources([str(bad)], options=OPTIONS))
    assert isinstance(items[-1], IngestFailure) and str(bad) in items[-1].source


def test_plan_keeps_reading_order_and_groups_single_files(tmp_path: Path, jsonl: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"{name} is about a new anime.\n", encoding="utf-8")
    archive.write_jsonl(folder / "d.jsonl.gz", archive.pages(2, anime_share=1.0, seed=6))
    (folder / "e.txt").write_text("last\n", encoding="utf-8")
    (folder / "README.md").write_text(
        "# notes\n", encoding="utf-8"
    )  # not an article: skipped, as in read_sources
    items = list(
        plan_partitions([str(folder), "-", "https://example.org/x", str(tmp_path / "nope")], partition_size=2)
    )
    parts = [p for p in items if isinstance(p, Partition)]
    assert [(p.kind, [Path(x).name for x in p.paths]) for p in parts] == [
        ("files", ["a.txt", "b.txt"]),
        ("files", ["c.txt"]),
        ("archive", ["d.jsonl.gz"]),
        ("files", ["e.txt"]),
    ]
    assert [p.index for p in parts] == [0, 1, 2, 3]
    assert [f.source for f in items if isinstance(f, IngestFailure)] == [
        "-",
        "https://example.org/x",
        str(tmp_path / "nope"),
    ]


def test_partition_keys_are_stable_until_a_file_changes(jsonl: Path) -> None:
    first = [p.key for p in plan_partitions([str(jsonl)], partition_size=4) if isinstance(p, Partition)]
    assert first == [
        p.key for p in plan_partitions([str(jsonl)], partition_size=4) if isinstance(p, Partition)
    ]
    os.utime(jsonl, ns=(1, 1))
    assert not set(first) & {
        p.key for p in plan_partitions([str(jsonl)], partition_size=4) if isinstance(p, Partition)
    }
