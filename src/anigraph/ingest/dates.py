"""Publication dates from page and feed metadata, normalised to ``YYYY-MM-DD`` (or a prefix of it).

A date is kept as the source wrote it: ``2024-03-05T23:30:00+09:00`` is the 5th, not the 4th in
UTC, because readers of the article saw the 5th. Unparseable values become ``None`` (logged).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from email.utils import parsedate_tz

log = logging.getLogger(__name__)

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]|\s*$)")
_ISO_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T|\s*$)")
_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%Y/%m/%d", "%d.%m.%Y")


def _valid(year: int, month: int | None, day: int | None) -> bool:
    try:
        datetime(year, month or 1, day or 1)
    except ValueError:
        return False
    return 1900 <= year <= 2200


def normalise_date(value: object) -> str | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` for an ISO 8601, RFC 822 or written-out date; else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    for pattern in (_ISO, _ISO_COMPACT):
        m = pattern.match(raw)
        if m:
            year = int(m.group(1))
            month = int(m.group(2)) if m.group(2) else None
            day = int(m.group(3)) if m.group(3) else None
            if not _valid(year, month, day):
                break
            if month is None:
                return f"{year:04d}"
            if day is None:
                return f"{year:04d}-{month:02d}"
            return f"{year:04d}-{month:02d}-{day:02d}"
    parsed = parsedate_tz(raw)
    if parsed is not None and _valid(parsed[0], parsed[1], parsed[2]):
        return f"{parsed[0]:04d}-{parsed[1]:02d}-{parsed[2]:02d}"
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw)
    for fmt in _FORMATS:
        try:
            d = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return d.strftime("%Y-%m") if fmt == "%B %Y" else d.strftime("%Y-%m-%d")
    log.debug("unrecognised date %r ignored", raw)
    return None
