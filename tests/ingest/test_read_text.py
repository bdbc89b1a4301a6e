"""Plain text: kept byte-exact (BOM, CRLF), and every kind of bad file named with its reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_helpers import articles, failures

from anigraph.ingest import IngestFailure
from anigraph.models import sha256_bytes, sha256_text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Frieren premieres on Nippon TV.\n", "Frieren premieres on Nippon TV.\n"),
        (b"Line one\r\nLine two\r\n", "Line one\r\nLine two\r\n"),  # newlines kept as they are
        (b"\xef\xbb\xbfBocchi the Rock!\n", "\ufeffBocchi the Rock!\n"),  # BOM kept as U+FEFF
        ("Pokémon Horizons — OLM\n".encode(), "Pokémon Horizons — OLM\n"),
    ],
    ids=["lf", "crlf", "bom", "non-ascii"],
)
def test_text_is_the_file_decoded_as_utf8(tmp_path: Path, read, data: bytes, expected: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    [article] = articles(read([path]))
    assert article.text == expected
    # the text offsets index is exactly what a reader of the file gets (as the scorer reads it)
    assert article.text == path.read_bytes().decode("utf-8")
    assert article.text_sha256 == sha256_text(expected)
    assert article.source.sha256 == sha256_bytes(data)
    assert article.source.path == str(path)
    assert article.source.format == "text"


def _mb(n: int) -> int:
    return n * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "empty file (only whitespace)"),
        ("ideographic-space.txt", "\u3000\n\x1c".encode(), "empty file (only whitespace)"),
        ("nul.txt", b"Dandadan\x00\x01\x02", "binary file (NUL byte at offset 8), not an article"),
        ("cover.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image), not an article"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3", "binary file (PDF document), not an article"),
        (
            "latin1.txt",
            "Pokémon\n".encode("latin-1"),
            "not UTF-8 text (invalid byte 0xe9 at offset 3, line 1); save it as UTF-8",
        ),
        (
            "second-line.txt",
            b"ok\nCaf\xe9\n",
            "not UTF-8 text (invalid byte 0xe9 at offset 6, line 2); save it as UTF-8",
        ),
        ("utf16.txt", "Spy x Family".encode("utf-16"), "text is UTF-16 (byte order mark); save it as UTF-8"),
    ],
)
def test_bad_text_files_fail_with_a_reason(tmp_path: Path, read, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read([path]) == [IngestFailure(str(path), reason)]


def test_a_50_mb_file_is_too_large(tmp_path: Path, read) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(_mb(50))  # sparse: the size check must come before reading
    assert read([path]) == [IngestFailure(str(path), "too large (50.0 MB > 20.0 MB limit)")]


def test_size_limit_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from anigraph.ingest import read_sources

    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2048)
    monkeypatch.setenv("ANIGRAPH_MAX_BYTES", "1024")
    [failure] = list(read_sources([str(path)]))
    assert failure == IngestFailure(str(path), "too large (2.0 KB > 1.0 KB limit)")


def test_missing_path(tmp_path: Path, read) -> None:
    missing = tmp_path / "nope.txt"
    assert read([missing]) == [IngestFailure(str(missing), "no such file or directory")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files whatever their mode")
def test_unreadable_file(tmp_path: Path, read) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Kaiju No. 8\n")
    path.chmod(0)
    try:
        assert read([path]) == [IngestFailure(str(path), "Permission denied")]
    finally:
        path.chmod(0o644)


def test_directory_is_read_recursively_sorted_skipping_hidden(tmp_path: Path, read) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article about Dandadan.\n")
    (tmp_path / "a.txt").write_text("First article about Frieren.\n")
    (tmp_path / "b" / "10.txt").write_text("Third article about Pluto.\n")
    (tmp_path / ".hidden.txt").write_text("never read\n")
    (tmp_path / ".git" / "config.txt").write_text("never read\n")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    items = read([tmp_path])
    assert [a.source.path for a in articles(items)] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "10.txt"),
        str(tmp_path / "b" / "2.txt"),
    ]
    assert [f.source for f in failures(items)] == [str(tmp_path / "c.bin")]
    # input order is kept: the bad file comes after the ones sorted before it
    assert isinstance(items[-1], IngestFailure)


def test_empty_directory(tmp_path: Path, read) -> None:
    (tmp_path / ".only-hidden").write_text("x")
    assert read([tmp_path]) == [IngestFailure(str(tmp_path), "directory contains no (non-hidden) files")]


def test_sources_keep_their_order_and_bad_ones_do_not_stop_the_batch(tmp_path: Path, read) -> None:
    good1, bad, good2 = tmp_path / "1.txt", tmp_path / "2.txt", tmp_path / "3.txt"
    good1.write_text("Spy x Family premieres in April.\n")
    bad.write_bytes(b"")
    good2.write_text("Chainsaw Man premieres in October.\n")
    items = read([good2, bad, tmp_path / "missing.txt", good1])
    assert [getattr(i, "source", None) and (i.source if isinstance(i, IngestFailure) else i.source.path)
            for i in items] == [str(good2), str(bad), str(tmp_path / "missing.txt"), str(good1)]  # fmt: skip


def test_url_without_fetch_is_refused(read) -> None:
    assert read(["https://example.org/news/1"]) == [
        IngestFailure("https://example.org/news/1", "is a URL; pass --fetch to download it")
    ]


def test_a_file_that_cannot_be_opened_is_named_with_the_os_reason(tmp_path: Path, read) -> None:
    import socket

    path = tmp_path / "news.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        [failure] = read([path])
    assert isinstance(failure, IngestFailure)
    assert failure.source == str(path)
    assert failure.reason == "No such device or address"


@pytest.mark.parametrize(("value", "ok"), [("2.5", True), ("0", False), ("soon", False)])
def test_fetch_timeout_setting(monkeypatch: pytest.MonkeyPatch, value: str, ok: bool) -> None:
    from anigraph.errors import ConfigError
    from anigraph.ingest import ReadOptions

    monkeypatch.setenv("ANIGRAPH_FETCH_TIMEOUT", value)
    if ok:
        assert ReadOptions.from_settings(fetch=True).fetch_timeout == float(value)
    else:
        with pytest.raises(ConfigError, match="ANIGRAPH_FETCH_TIMEOUT"):
            ReadOptions.from_settings(fetch=True)
