"""The generated archive the bulk tests read (benchmarks/archive.py writes it, as for the benchmark)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests" / "store"))

from store_factories import Dump, dump  # noqa: E402  (the store as the convergence tests compare it)

import archive  # noqa: E402

__all__ = ["Archive", "Dump", "archive", "dump"]


@dataclass(frozen=True)
class Archive:
    pages: list[archive.GenPage]
    warc: Path  # directory of .warc.gz shards, every page
    jsonl: Path  # directory of .jsonl.gz shards, every page
    anime_warc: Path  # the anime pages only, in the same order: what the filter should keep
    anime_jsonl: Path

    @property
    def anime(self) -> int:
        return sum(p.anime for p in self.pages)
