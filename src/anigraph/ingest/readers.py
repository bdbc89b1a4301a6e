"""Read sources into Articles; one bad source yields an IngestFailure and the batch goes on."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from anigraph.errors import IngestError
from anigraph.models import Article, Source, sha256_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestFailure:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def read_text_file(path: Path) -> Article:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(str(path), "empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(str(path), f"not UTF-8 text (byte {e.start})") from e
    source = Source(sha256=sha256_bytes(data), path=str(path), format="text")
    return Article(text=text, source=source)


def read_sources(paths: Sequence[str]) -> Iterator[Article | IngestFailure]:
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                yield read_text_file(file)
            except IngestError as e:
                yield IngestFailure(e.source, e.reason)
            except OSError as e:
                yield IngestFailure(str(file), e.strerror or str(e))
