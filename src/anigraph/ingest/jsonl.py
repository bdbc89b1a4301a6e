"""JSON Lines → one Article per line: ``{"text": ..., "url"?, "title"?, "published"?, "author"?}``.

A bad line is an IngestFailure naming ``file:line``; the other lines are still read. A line's
``Source.sha256`` is the sha256 of the line's bytes (without its line break). The article text
is the ``text`` value exactly as given, preceded by the title and a blank line when a title is
given and the text does not already start with it (as for a feed item: the first line is the
headline, which the extractor and headline facts rely on).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from anigraph.errors import IngestError
from anigraph.ingest.dates import normalise_date
from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.sniff import check_content
from anigraph.models import Article, Source, sha256_bytes

OPTIONAL_KEYS = ("url", "title", "published", "author")
_JSON_TYPES = {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean",
               "list": "an array", "dict": "an object", "NoneType": "null"}  # fmt: skip


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value).__name__, type(value).__name__)


def _record(raw: bytes, *, label: str) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(
            label, f"not UTF-8 (invalid byte 0x{raw[e.start]:02x} at column {e.start + 1})"
        ) from e
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        raise IngestError(label, f"invalid JSON ({e.msg}, column {e.colno})") from e
    except RecursionError as e:  # "[[[[…" a hundred thousand deep: this line fails, the file goes on
        raise IngestError(label, "JSON nested too deeply to read") from e
    if not isinstance(value, dict):
        raise IngestError(label, f"expected a JSON object, got {_json_type(value)}")
    text = value.get("text")
    if not isinstance(text, str):
        what = "missing" if text is None else f"{_json_type(text)}, not a string"
        raise IngestError(label, f'"text" is {what}')
    if not text.strip():
        raise IngestError(label, '"text" is empty')
    for key in OPTIONAL_KEYS:
        if value.get(key) is not None and not isinstance(value[key], str):
            raise IngestError(label, f'"{key}" must be a string or null, not {_json_type(value[key])}')
    return value


def article_from_line(raw: bytes, *, name: str, path: str | None, number: int) -> Article:
    """The Article of one JSON Lines line (its bytes without the line break); IngestError if it is bad."""
    record = _record(raw, label=f"{name}:{number}")
    title = " ".join(record["title"].split()) if record.get("title") else None
    text = record["text"]
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    published = normalise_date(record.get("published"))
    source = Source(
        sha256=sha256_bytes(raw),
        path=f"{path}:{number}" if path else None,
        url=record.get("url") or None,
        title=title,
        published=published,
        format="jsonl",
    )
    return Article(
        text=text,
        source=source,
        headline=title,
        author=record.get("author") or None,
        published=published,
    )


def read_jsonl_lines(
    lines: Iterable[bytes], *, name: str, path: str | None, first_line: int = 1
) -> Iterator[Article | IngestFailure]:
    """One Article per non-blank line of ``lines`` (numbered from ``first_line``), in order."""
    for number, raw in enumerate(lines, start=first_line):
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            yield article_from_line(raw, name=name, path=path, number=number)
        except IngestError as e:
            yield IngestFailure(e.source, e.reason)


def read_jsonl(data: bytes, *, name: str, path: str | None) -> Iterator[Article | IngestFailure]:
    """One Article per non-blank line, in file order."""
    check_content(data, name=name)
    yield from read_jsonl_lines(data.split(b"\n"), name=name, path=path)
