"""Format detection (extension first, then content) and the checks every source goes through.

Formats: ``text``, ``html``, ``feed`` (RSS/Atom/RDF), ``jsonl``. Every function raises
:class:`~anigraph.errors.IngestError` with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from anigraph.errors import IngestError

Format = str  # "text" | "html" | "feed" | "jsonl"

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# Extensions whose content decides: ``.xml`` may be a feed or an XHTML page, ``.json`` may be JSON Lines.
SNIFFED_EXTENSIONS = frozenset({".xml", ".json", ""})

# Leading bytes of common binary formats, for a clearer message than "not UTF-8".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_FEED_MARK = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def megabytes(n: int) -> str:
    """A size for messages: ``50.0 MB``; small limits in ``KB`` or bytes so they do not read ``0.0 MB``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def check_size(size: int, *, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise IngestError(name, f"too large ({megabytes(size)} > {megabytes(max_bytes)} limit)")


def check_content(data: bytes, *, name: str) -> None:
    """Reject empty and binary input (NUL bytes or a known binary signature)."""
    if not data.strip():
        raise IngestError(name, "empty file" if data == b"" else "empty file (only whitespace)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(name, f"binary file ({what}), not an article")
    if data.startswith(_UTF16_BOMS):
        return  # UTF-16 has NUL bytes; each reader decides whether it accepts UTF-16
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(name, f"binary file (NUL byte at offset {nul}), not an article")


def decode_utf8(data: bytes, *, name: str, what: str = "text") -> str:
    """Decode strictly as UTF-8, keeping everything (a BOM stays as U+FEFF, newlines as they are)."""
    if data.startswith(_UTF16_BOMS):
        raise IngestError(name, f"{what} is UTF-16 (byte order mark); save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise IngestError(
            name,
            f"not UTF-8 {what} (invalid byte 0x{data[e.start]:02x} at offset {e.start}, line {line}); "
            "save it as UTF-8",
        ) from e


def sniff(data: bytes) -> Format:
    """The format of ``data`` judged by content alone."""
    head = data[:8192]
    stripped = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if stripped.startswith(b"{"):  # one JSON object per line
        return "jsonl"
    if stripped.startswith(b"<"):
        feed = _FEED_MARK.search(head)
        page = _HTML_MARK.search(head)
        if feed and (page is None or feed.start() < page.start()):
            return "feed"
        if page:
            return "html"
    return "text"


def detect(name: str, data: bytes) -> Format:
    """The format of a file: a known extension decides, otherwise the content does."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    found = sniff(data)
    if suffix == ".xml" and found == "text":
        raise IngestError(name, "XML file that is neither an RSS/Atom feed nor an HTML page")
    return found
