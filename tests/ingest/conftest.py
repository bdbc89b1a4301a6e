"""Fixtures for the ingest tests: the format fixtures we wrote and a reader that returns lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from anigraph.ingest import IngestFailure, ReadOptions, read_sources
from anigraph.models import Article

FORMATS = Path(__file__).resolve().parents[2] / "fixtures" / "formats"

Items = list[Article | IngestFailure]


@pytest.fixture(scope="session")
def formats() -> Path:
    return FORMATS


@pytest.fixture
def read() -> Callable[..., Items]:
    """``read(paths, **options)``: every item ``read_sources`` yields, as a list."""

    def _read(paths: list[str | Path], *, stdin: Any = None, **opts: Any) -> Items:
        options = ReadOptions(max_bytes=opts.pop("max_bytes", 20 * 1024 * 1024), **opts)
        return list(read_sources([str(p) for p in paths], options=options, stdin=stdin))

    return _read
