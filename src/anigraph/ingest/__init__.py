"""Sources → Articles: plain text, HTML pages, RSS/Atom feeds, JSON Lines, directories and stdin.

One bad source never stops a batch: :func:`read_sources` yields an :class:`IngestFailure`
(source and reason) in its place and goes on. Files a directory walk finds that are not
articles (the store's database, a README) are skipped with a reason (:class:`Skipped`).
"""

from __future__ import annotations

from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.options import ReadOptions
from anigraph.ingest.readers import read_bytes, read_sources, read_text
from anigraph.ingest.skip import Skipped

__all__ = ["IngestFailure", "ReadOptions", "Skipped", "read_bytes", "read_sources", "read_text"]
