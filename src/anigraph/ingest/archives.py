"""Web archives and compressed shards, read as a stream of pages: WARC (``.warc``, ``.warc.gz``) and
JSON Lines (``.jsonl.gz``; ``.jsonl`` ranges of lines for bulk partitions).

An archive may hold millions of pages, so it is never read whole: :func:`archive_pages` yields one
:class:`Page` (the raw bytes of one HTML response or one JSON line) at a time, and :func:`read_page`
turns a page into an Article with the same readers single files use (:func:`read_html` for WARC
bodies, the JSON Lines line reader). A relevance filter can look at a page's bytes between the two
and skip the costly HTML reading for pages it drops (see :mod:`anigraph.bulk.relevance`).

A WARC page is an HTTP ``response`` record with a 2xx status and an HTML content type; other
records (requests, metadata, images, redirects) are not pages and are skipped. Its path is
``file#offset`` (the record's byte offset in the file), its URL the ``WARC-Target-URI``.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, cast

from anigraph.errors import IngestError
from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.html import read_html
from anigraph.ingest.jsonl import article_from_line
from anigraph.ingest.sniff import megabytes
from anigraph.models import Article

log = logging.getLogger(__name__)

PageKind = Literal["html", "jsonl"]
ArchiveKind = Literal["warc", "jsonl.gz", "jsonl"]
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SUFFIXES: tuple[tuple[str, ArchiveKind], ...] = (
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".jsonl.gz", "jsonl.gz"),
    (".ndjson.gz", "jsonl.gz"),
)


def archive_kind(name: str) -> ArchiveKind | None:
    """``warc`` or ``jsonl.gz`` when ``name`` is a web archive or a compressed JSON Lines shard."""
    lower = name.lower()
    return next((kind for suffix, kind in _SUFFIXES if lower.endswith(suffix)), None)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an archive before it is read: what a relevance filter looks at."""

    label: str  # file#offset (WARC) or file:line (JSON Lines): how errors name it
    data: bytes  # the HTTP body, or the JSON line without its line break
    kind: PageKind
    path: str  # the archive file
    url: str | None = None
    charset: str | None = None
    number: int = 0  # the line number of a JSON Lines page


def _content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    kind, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return kind.strip().lower(), charset


def warc_pages(path: str, *, max_bytes: int) -> Iterator[Page | IngestFailure]:
    """The HTML response pages of a WARC file (gzipped per record or not), in file order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                kind, charset = _content_type(record.http_headers.get_header("Content-Type"))
                if not status.startswith("2") or kind not in HTML_TYPES:
                    continue
                data = record.content_stream().read(max_bytes + 1)
                label = f"{path}#{records.get_record_offset()}"  # after reading: it skips the rest
                if len(data) > max_bytes:
                    yield IngestFailure(label, f"too large (over the {megabytes(max_bytes)} limit)")
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                yield Page(label, data, "html", path, url=url or None, charset=charset)
        except ArchiveLoadFailed as e:
            raise IngestError(path, f"not a readable WARC file ({e})") from e


def _lines(stream: BinaryIO, *, end: int | None) -> Iterator[bytes]:
    while end is None or stream.tell() < end:
        line = stream.readline()
        if not line:
            return
        yield line


def jsonl_pages(
    path: str, *, max_bytes: int, start: int = 0, end: int | None = None, first_line: int = 1
) -> Iterator[Page | IngestFailure]:
    """The lines of a JSON Lines file (``.jsonl.gz`` decompressed as it is read) as pages, numbered
    from ``first_line``. ``start``/``end`` (byte offsets at line starts) read a range of a plain file."""
    opened: BinaryIO
    if archive_kind(path) == "jsonl.gz":
        opened = cast(BinaryIO, gzip.open(path, "rb"))  # noqa: SIM115 (closed below)
    else:
        opened = open(path, "rb")  # noqa: SIM115 (closed below)
    with opened as stream:
        if start:
            stream.seek(start)
        try:
            for number, line in enumerate(_lines(stream, end=end), start=first_line):
                raw = line.removesuffix(b"\n").removesuffix(b"\r")
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if not raw.strip():
                    continue
                label = f"{path}:{number}"
                if len(raw) > max_bytes:
                    yield IngestFailure(label, f"too large (over the {megabytes(max_bytes)} limit)")
                    continue
                yield Page(label, raw, "jsonl", path, number=number)
        except (gzip.BadGzipFile, EOFError) as e:
            raise IngestError(path, f"not a readable gzip file ({e})") from e


def archive_pages(path: str, *, max_bytes: int) -> Iterator[Page | IngestFailure]:
    """Every page of a ``.warc``, ``.warc.gz`` or ``.jsonl.gz`` file, in order."""
    kind = archive_kind(path)
    if kind == "warc":
        yield from warc_pages(path, max_bytes=max_bytes)
    elif kind is not None:
        yield from jsonl_pages(path, max_bytes=max_bytes)
    else:
        raise IngestError(path, "not a web archive (.warc, .warc.gz) or a .jsonl.gz shard")


def read_page(page: Page) -> Article:
    """The Article of one page, read as single files are (raises IngestError naming the page)."""
    if page.kind == "html":
        return read_html(
            page.data, name=page.label, path=page.label, url=page.url, header_charset=page.charset
        )
    return article_from_line(page.data, name=page.path, path=page.path, number=page.number)


def read_archive(path: Path, *, max_bytes: int) -> Iterator[Article | IngestFailure]:
    """Every page of an archive read into an Article (a page that cannot be read is a failure)."""
    for page in archive_pages(str(path), max_bytes=max_bytes):
        if isinstance(page, IngestFailure):
            yield page
            continue
        try:
            yield read_page(page)
        except IngestError as e:
            yield IngestFailure(e.source, e.reason)
