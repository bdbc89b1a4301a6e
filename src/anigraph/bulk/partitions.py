"""Split sources into partitions that workers read, and read one partition (on a worker).

The driver only lists files and, for plain ``.jsonl`` files, finds line starts (a streamed count of
newlines): it never reads an article. A partition is one of

* ``archive``: a whole ``.warc``, ``.warc.gz`` or ``.jsonl.gz`` shard (compressed files cannot be
  entered in the middle; archives come as many shards);
* ``lines``: a range of ``partition_size`` lines of a plain ``.jsonl`` file (byte offsets and the
  number of its first line, so that articles are named ``file:line`` as a one-process read names them);
* ``files``: up to ``partition_size`` consecutive other files (text, HTML, feeds), read with
  :func:`~anigraph.ingest.read_sources` exactly as a one-process ingest reads them.

Partitions keep the order of a one-process read: the articles of partition 0, then of partition 1, …
Each has a stable key (its kind, files, their sizes and modification times, its range) so a re-run of
the same command knows which partitions are already stored.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from anigraph.bulk.relevance import FilterCounts, RelevanceFilter
from anigraph.errors import IngestError
from anigraph.ingest import IngestFailure, ReadOptions, read_sources
from anigraph.ingest.archives import Page, archive_kind, archive_pages, jsonl_pages, read_page
from anigraph.ingest.fetch import is_remote
from anigraph.ingest.readers import STDIN, directory_files
from anigraph.ingest.skip import skip_reason
from anigraph.models import Article

log = logging.getLogger(__name__)

PartitionKind = Literal["archive", "lines", "files"]
PLAIN_JSONL = (".jsonl", ".ndjson")
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Partition:
    index: int
    kind: PartitionKind
    paths: tuple[str, ...]
    key: str  # stable across runs of the same command on the same files
    start: int = 0  # lines: byte offset of the first line
    end: int | None = None  # lines: byte offset after the last line
    first_line: int = 1

    @property
    def label(self) -> str:
        """How progress and errors name the partition."""
        if self.kind == "lines":
            return f"{self.paths[0]} from line {self.first_line}"
        if len(self.paths) == 1:
            return self.paths[0]
        return f"{self.paths[0]} … {self.paths[-1]} ({len(self.paths)} files)"


def _key(kind: str, paths: Sequence[str], start: int, end: int | None) -> str:
    h = hashlib.sha256(f"{kind}\0{start}\0{end}".encode())
    for p in paths:
        st = os.stat(p)
        h.update(f"\0{os.path.abspath(p)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _line_ranges(path: str, size: int) -> Iterator[tuple[int, int | None, int]]:
    """(start, end, first line) of every run of ``size`` lines of a file, streamed by blocks."""
    start, first, lines, offset = 0, 1, 0, 0
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            pos = 0
            while (nl := block.find(b"\n", pos)) >= 0:
                lines += 1
                pos = nl + 1
                if lines == size:
                    yield start, offset + pos, first
                    start, first, lines = offset + pos, first + size, 0
            offset += len(block)
    if offset > start:
        yield start, None, first


def _files(raw: str) -> list[str] | IngestFailure:
    if raw == STDIN or is_remote(raw):
        return IngestFailure(raw, "a bulk run reads files and directories only (workers open them)")
    path = Path(raw)
    if path.is_dir():
        found = directory_files(path)
        if not found:
            return IngestFailure(raw, "directory contains no (non-hidden) files")
        kept: list[str] = []
        for file in found:  # as a one-process read: a directory walk passes over what is no article
            reason = skip_reason(file)
            if reason is None:
                kept.append(str(file))
            else:
                log.info("skipped %s: %s", file, reason)
        return kept
    if not path.exists():
        return IngestFailure(raw, "no such file or directory")
    return [raw]


def plan_partitions(sources: Sequence[str], *, partition_size: int) -> Iterator[Partition | IngestFailure]:
    """The partitions of ``sources`` in reading order (a source that cannot be read is a failure)."""
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    index = 0
    group: list[str] = []

    def make(
        kind: PartitionKind, paths: list[str], start: int = 0, end: int | None = None, first: int = 1
    ) -> Partition:
        nonlocal index
        part = Partition(index, kind, tuple(paths), _key(kind, paths, start, end), start, end, first)
        index += 1
        return part

    for raw in sources:
        files = _files(raw)
        if isinstance(files, IngestFailure):
            yield files
            continue
        for name in files:
            kind = archive_kind(name)
            plain_jsonl = name.lower().endswith(PLAIN_JSONL) and os.path.getsize(name) > 0
            if kind is None and not plain_jsonl:
                group.append(name)
                if len(group) >= partition_size:
                    yield make("files", group)
                    group = []
                continue
            if group:
                yield make("files", group)
                group = []
            if kind is not None:
                yield make("archive", [name])
            else:
                for start, end, first in _line_ranges(name, partition_size):
                    yield make("lines", [name], start, end, first)
    if group:
        yield make("files", group)


def _pages(part: Partition, path: str, *, max_bytes: int) -> Iterator[Page | IngestFailure]:
    if part.kind == "lines":
        return jsonl_pages(
            path, max_bytes=max_bytes, start=part.start, end=part.end, first_line=part.first_line
        )
    return archive_pages(path, max_bytes=max_bytes)


def _read_pages(
    part: Partition,
    path: str,
    *,
    options: ReadOptions,
    relevance: RelevanceFilter | None,
    counts: FilterCounts,
) -> Iterator[Article | IngestFailure]:
    try:
        for page in _pages(part, path, max_bytes=options.max_bytes):
            if isinstance(page, IngestFailure):
                yield page
                continue
            if relevance is not None:
                keep = (
                    relevance.keep_html(page.data)
                    if page.kind == "html"
                    else relevance.keep_json_line(page.data)
                )
                counts.add(FilterCounts(1, int(keep)))
                if not keep:
                    continue
            else:
                counts.add(FilterCounts(1, 1))
            try:
                yield read_page(page)
            except IngestError as e:
                yield IngestFailure(e.source, e.reason)
    except IngestError as e:
        yield IngestFailure(e.source, e.reason)
    except OSError as e:
        yield IngestFailure(path, e.strerror or str(e))


def read_partition(
    part: Partition, *, options: ReadOptions, relevance: RelevanceFilter | None, counts: FilterCounts
) -> Iterator[Article | IngestFailure]:
    """The articles of one partition the filter keeps (and the failures), in order; ``counts`` adds
    every page read and every page kept."""
    if part.kind in ("archive", "lines"):
        yield from _read_pages(part, part.paths[0], options=options, relevance=relevance, counts=counts)
        return
    for item in read_sources(list(part.paths), options=options):
        if isinstance(item, Article):
            keep = relevance is None or relevance.keep(item.text)
            counts.add(FilterCounts(1, int(keep)))
            if not keep:
                continue
        yield item
