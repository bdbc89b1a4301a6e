"""Helpers for the ingest tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from anigraph.ingest import IngestFailure
from anigraph.models import Article

Items = list[Article | IngestFailure]


def articles(items: Items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def failures(items: Items) -> list[IngestFailure]:
    return [i for i in items if isinstance(i, IngestFailure)]
