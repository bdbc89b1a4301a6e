"""Files a directory walk skips as not articles: the store's own files and a project's own documents.

``anigraph ingest .`` run beside its database would otherwise read ``anigraph.db`` (and its
``-wal``/``-shm`` files) and the folder's README as articles, and fail on them. A file found while
walking a directory is skipped, with a reason, when

- its first bytes are those of a SQLite database, write-ahead log or rollback journal, or of the
  linker cache anigraph keeps beside a database (``data/not_articles.json``: signatures);
- it is a SQLite sidecar (``<db>-wal``, ``<db>-shm``, ``<db>-journal``) of a database in the same
  directory;
- it is a README, LICENSE, CHANGELOG, … (names and extensions in the data file).

A file named on the command line is read whatever it is: only directory walks skip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

_DATA = json.loads(
    (resources.files("anigraph.ingest") / "data" / "not_articles.json").read_text(encoding="utf-8")
)
_DOCUMENTS = frozenset(_DATA["documents"])
_DOCUMENT_EXTENSIONS = frozenset(_DATA["document_extensions"])
_SIGNATURES = tuple((bytes.fromhex(h), what) for h, what in _DATA["signatures"].items())
_SIDECARS: dict[str, str] = _DATA["sidecars"]
_PEEK = max(len(sig) for sig, _what in _SIGNATURES)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file a directory walk passed over, and why (not an article: not a failure)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}


def _document(name: str) -> bool:
    """README.md, LICENSE, CHANGELOG.rst, readme.ja.md; LICENSE-MIT in capitals only (license-fees.txt
    may well be an article)."""
    written, dot, _rest = name.partition(".")
    stem = written.casefold()
    extension = name[name.rfind(".") :].casefold() if dot else ""
    if extension not in _DOCUMENT_EXTENSIONS:
        return False
    return stem in _DOCUMENTS or (written.isupper() and stem.split("-", 1)[0] in _DOCUMENTS)


def skip_reason(path: Path) -> str | None:
    """Why the file at ``path`` is not an article (see module docstring), or None to read it."""
    for suffix, what in _SIDECARS.items():
        if path.name.endswith(suffix) and (path.parent / path.name[: -len(suffix)]).is_file():
            return f"{what} of {path.name[: -len(suffix)]}, not an article"
    try:
        with path.open("rb") as fh:
            head = fh.read(_PEEK)
    except OSError:
        return None  # reading it fails again, and is reported as a failure with its reason
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return f"{what}, not an article"
    if _document(path.name):
        return "a project document (README, LICENSE, …), not an article"
    return None
