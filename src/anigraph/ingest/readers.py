"""Read sources into Articles; one bad source yields an IngestFailure and the batch goes on.

A source is a file (web archives, ``.warc``/``.warc.gz``, and ``.jsonl.gz`` shards are streamed
page by page, see :mod:`anigraph.ingest.archives`), a directory (read recursively in sorted order,
hidden files skipped, and files that are not articles skipped with a reason: the store's own
database files, README/LICENSE-like documents; see :mod:`anigraph.ingest.skip`), ``-`` for standard
input, or an http(s) URL (downloaded only when fetching is allowed). The format comes from the
extension, else from the content (see :mod:`anigraph.ingest.sniff`).

Plain text is kept exactly: the Article's text is the file's bytes decoded as UTF-8, newlines as
they are and a leading byte order mark kept as U+FEFF, so evidence offsets index the same string
a reader gets from ``Path.read_text(encoding="utf-8")``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from anigraph.errors import IngestError
from anigraph.ingest.archives import archive_kind, read_archive
from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.feeds import read_feed
from anigraph.ingest.fetch import fetch, is_remote
from anigraph.ingest.html import read_html
from anigraph.ingest.jsonl import read_jsonl
from anigraph.ingest.options import ReadOptions
from anigraph.ingest.skip import Skipped, skip_reason
from anigraph.ingest.sniff import check_content, check_size, decode_utf8, detect, megabytes, sniff
from anigraph.models import Article, Source, sha256_bytes

log = logging.getLogger(__name__)

STDIN = "-"
STDIN_NAME = "<stdin>"

__all__ = ["IngestFailure", "Skipped", "read_bytes", "read_sources", "read_text"]


def read_text(data: bytes, *, name: str, path: str | None) -> Article:
    """A plain-text article: the bytes decoded as UTF-8 and nothing else changed."""
    check_content(data, name=name)
    text = decode_utf8(data, name=name)
    if not text.strip():  # Unicode whitespace (U+3000, U+2028, …) that bytes.strip() keeps
        raise IngestError(name, "empty file (only whitespace)")
    return Article(text=text, source=Source(sha256=sha256_bytes(data), path=path, format="text"))


def read_bytes(
    data: bytes,
    *,
    name: str,
    path: str | None,
    fmt: str,
    options: ReadOptions,
    url: str | None = None,
    charset: str | None = None,
) -> Iterator[Article | IngestFailure]:
    """Articles from one source's bytes in a known format (raises IngestError for the whole source)."""
    if fmt == "text":
        article = read_text(data, name=name, path=path)
        article.source.url = url
        yield article
    elif fmt == "html":
        yield read_html(data, name=name, path=path, url=url, header_charset=charset)
    elif fmt == "feed":
        yield from read_feed(data, name=name, path=path, options=options)
    elif fmt == "jsonl":
        yield from read_jsonl(data, name=name, path=path)
    else:
        raise IngestError(name, f"unknown format {fmt!r}")


def _read_limited(stream: BinaryIO, *, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError(name, f"too large (over the {megabytes(max_bytes)} limit)")
    return data


def _read_file(path: Path, *, options: ReadOptions) -> Iterator[Article | IngestFailure]:
    name = str(path)
    if archive_kind(name) is not None:  # streamed page by page: the size limit is per page
        yield from read_archive(path, max_bytes=options.max_bytes)
        return
    with path.open("rb") as stream:
        if path.is_file():
            check_size(os.fstat(stream.fileno()).st_size, name=name, max_bytes=options.max_bytes)
        data = _read_limited(stream, name=name, max_bytes=options.max_bytes)
    check_content(data, name=name)
    yield from read_bytes(data, name=name, path=name, fmt=detect(name, data), options=options)


def _read_stdin(stream: BinaryIO, *, options: ReadOptions) -> Iterator[Article | IngestFailure]:
    data = _read_limited(stream, name=STDIN_NAME, max_bytes=options.max_bytes)
    check_content(data, name=STDIN_NAME)
    yield from read_bytes(data, name=STDIN_NAME, path=STDIN_NAME, fmt=sniff(data), options=options)


def _read_url(url: str, *, options: ReadOptions) -> Iterator[Article | IngestFailure]:
    if not options.fetch:
        raise IngestError(url, "is a URL; pass --fetch to download it")
    page = fetch(url, timeout=options.fetch_timeout, max_bytes=options.max_bytes)
    check_content(page.data, name=url)
    if page.content_type in {"text/html", "application/xhtml+xml"}:
        fmt = "html"
    elif page.content_type in {"application/rss+xml", "application/atom+xml"}:
        fmt = "feed"
    else:
        fmt = sniff(page.data)
    yield from read_bytes(
        page.data, name=url, path=None, fmt=fmt, options=options, url=page.url, charset=page.charset
    )


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def directory_files(root: Path) -> list[Path]:
    """Every non-hidden file under ``root``, sorted by path (hidden directories are not entered)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        found.extend(base / f for f in filenames if not f.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _guarded(source: str, items: Iterable[Article | IngestFailure]) -> Iterator[Article | IngestFailure]:
    """Turn whatever goes wrong while reading one source into an IngestFailure for that source."""
    try:
        yield from items
    except IngestError as e:
        yield IngestFailure(e.source, e.reason)
    except OSError as e:
        yield IngestFailure(e.filename if isinstance(e.filename, str) else source, e.strerror or str(e))
    except Exception as e:  # a parser bug must not stop the batch; the reason is recorded
        log.exception("unexpected error reading %s", source)
        yield IngestFailure(source, f"unexpected error ({type(e).__name__}: {e})")


def read_sources(
    sources: Sequence[str],
    *,
    fetch: bool = False,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article | IngestFailure]:
    """Articles (and failures) from every source, in the order given.

    ``options`` default to the settings (``ANIGRAPH_MAX_BYTES``, ``ANIGRAPH_FETCH_TIMEOUT``);
    ``fetch=True`` allows downloads either way. Files a directory walk skips as not articles are
    logged and passed to ``on_skip``.
    """
    opts = options or ReadOptions.from_settings(fetch=fetch)
    if fetch and not opts.fetch:
        opts = replace(opts, fetch=True)
    for raw in sources:
        if raw == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded(STDIN_NAME, _read_stdin(stream, options=opts))
            continue
        if is_remote(raw):
            yield from _guarded(raw, _read_url(raw, options=opts))
            continue
        path = Path(raw)
        if path.is_dir():
            files = directory_files(path)
            if not files:
                yield IngestFailure(raw, "directory contains no (non-hidden) files")
            for file in files:
                reason = skip_reason(file)
                if reason is not None:
                    log.info("skipped %s: %s", file, reason)
                    if on_skip is not None:
                        on_skip(Skipped(str(file), reason))
                    continue
                yield from _guarded(str(file), _read_file(file, options=opts))
        elif not path.exists():
            yield IngestFailure(raw, "no such file or directory")
        else:
            yield from _guarded(raw, _read_file(path, options=opts))
