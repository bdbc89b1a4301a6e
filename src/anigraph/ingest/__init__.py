"""Sources → Articles. Plain text only for now; HTML, feeds, JSONL and stdin follow."""

from __future__ import annotations

from anigraph.ingest.readers import IngestFailure, read_sources

__all__ = ["IngestFailure", "read_sources"]
