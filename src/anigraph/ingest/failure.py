"""The record of a source that could not be read: yielded in place of an Article so a batch goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class IngestFailure:
    source: str  # the file, file:line, feed item or URL that failed
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}
