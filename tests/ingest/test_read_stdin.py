"""``-`` reads standard input and sniffs its format."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ingest_helpers import articles

from anigraph.ingest import IngestFailure


@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [
        ("pluto-netflix.txt", "text", 1),
        ("chainsaw-man-staff.html", "html", 1),
        ("season-news.rss", "feed", 3),
        ("studio-updates.atom", "feed", 2),
        ("announcements.jsonl", "jsonl", 3),
    ],
)
def test_stdin_formats_are_sniffed(formats: Path, read, name: str, fmt: str, count: int) -> None:
    data = (formats / name).read_bytes()
    got = articles(read(["-"], stdin=io.BytesIO(data)))
    assert len(got) == count
    assert {a.source.format for a in got} == {fmt}
    if fmt == "text":
        assert got[0].text == data.decode("utf-8")
        assert got[0].source.path == "<stdin>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x00\x00", "binary file (NUL byte at offset 0), not an article"),
        (b"x" * 2048, "too large (over the 1.0 KB limit)"),
    ],
)
def test_bad_stdin(read, data: bytes, reason: str) -> None:
    assert read(["-"], stdin=io.BytesIO(data), max_bytes=1024) == [IngestFailure("<stdin>", reason)]
