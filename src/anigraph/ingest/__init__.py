"""Sources → Articles: plain text, HTML pages, RSS/Atom feeds, JSON Lines, directories and stdin.

One bad source never stops a batch: :func:`read_sources` yields an :class:`IngestFailure`
(source and reason) in its place and goes on.
"""

from __future__ import annotations

from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.options import ReadOptions
from anigraph.ingest.readers import read_bytes, read_sources, read_text

__all__ = ["IngestFailure", "ReadOptions", "read_bytes", "read_sources", "read_text"]
