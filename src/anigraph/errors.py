"""One small hierarchy of errors; every message names the bad value and what to do.

The library raises these; only ``anigraph.cli`` turns them into exit codes.
"""

from __future__ import annotations


class AnigraphError(Exception):
    """Base class of every error anigraph raises on purpose."""


class IngestError(AnigraphError):
    """A source could not be turned into an Article (empty, binary, bad encoding, too big, broken)."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class ExtractError(AnigraphError):
    """The extraction pipeline could not process an article."""


class ExtractTimeout(ExtractError):
    """One article took longer than the per-article time limit (``ANIGRAPH_EXTRACT_TIMEOUT``)."""


class ResolveError(AnigraphError):
    """Catalog import or entity linking failed (bad catalog file, unknown format)."""


class StoreError(AnigraphError):
    """The database could not be opened, migrated or written."""


class ConfigError(AnigraphError):
    """A setting has a value anigraph cannot use."""


class NotFound(AnigraphError):
    """A requested work, person, article or other record does not exist."""

    def __init__(self, what: str, key: str, suggestions: list[str] | None = None) -> None:
        self.what = what
        self.key = key
        self.suggestions = suggestions or []
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no {what} matches {key!r}{hint}")
