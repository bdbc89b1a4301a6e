"""What a read may do: size limit, whether remote links are fetched, and how long a fetch may take."""

from __future__ import annotations

from dataclasses import dataclass

from anigraph import settings
from anigraph.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    max_bytes: int
    fetch: bool = False
    fetch_timeout: float = 10.0

    @classmethod
    def from_settings(cls, *, fetch: bool = False, max_bytes: int | None = None) -> ReadOptions:
        """Limits from ``ANIGRAPH_MAX_BYTES`` / ``ANIGRAPH_FETCH_TIMEOUT`` (or their defaults)."""
        return cls(
            max_bytes=max_bytes if max_bytes is not None else settings.get_int("max_bytes"),
            fetch=fetch,
            fetch_timeout=_seconds(settings.get("fetch_timeout")),
        )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError as e:
        raise ConfigError(f"ANIGRAPH_FETCH_TIMEOUT={value!r} is not a number of seconds") from e
    if seconds <= 0:
        raise ConfigError(f"ANIGRAPH_FETCH_TIMEOUT={value!r} must be more than 0 seconds")
    return seconds
