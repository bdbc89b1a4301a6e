"""Article → facts with evidence."""

from __future__ import annotations

from anigraph.extract.pipeline import Extractor

__all__ = ["Extractor"]
