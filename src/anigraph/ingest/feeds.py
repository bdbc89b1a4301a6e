"""RSS/Atom feeds → one Article per item (feedparser).

An item's text is its title, a blank line, then its content (or summary) converted from HTML to
lines of text: the title is part of the item, and as the first line it is the headline a headline
fact can cite, as in a plain-text article. With ``fetch`` the item's link is downloaded instead
and read as an HTML page. ``Source.sha256`` of
an item read from the feed is the sha256 of a stable JSON serialisation of the item, so
re-reading an unchanged feed finds the same articles; a fetched page's is that of its bytes.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import feedparser

from anigraph.errors import IngestError
from anigraph.ingest.dates import normalise_date
from anigraph.ingest.failure import IngestFailure
from anigraph.ingest.fetch import fetch
from anigraph.ingest.html import fragment_to_text, read_html
from anigraph.ingest.options import ReadOptions
from anigraph.ingest.sniff import check_content, sniff
from anigraph.models import Article, Source, sha256_bytes

log = logging.getLogger(__name__)


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def item_serialisation(entry: Any) -> bytes:
    """A stable byte form of one feed item: the fields that say what the item is, sorted."""
    content = [
        {"type": c.get("type"), "value": c.get("value")}
        for c in entry.get("content") or []
        if isinstance(c, dict)
    ]
    record = {
        "id": entry.get("id"),
        "link": entry.get("link"),
        "title": entry.get("title"),
        "published": entry.get("published") or entry.get("updated"),
        "author": entry.get("author"),
        "summary": entry.get("summary"),
        "content": content,
    }
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")


def item_text(entry: Any) -> str:
    """The longest of the item's content blocks and summary, as text (one line per paragraph)."""
    candidates: list[tuple[str, str]] = [
        (str(c.get("type") or "text/html"), str(c.get("value") or "")) for c in entry.get("content") or []
    ]
    summary = entry.get("summary_detail") or {}
    if entry.get("summary"):
        candidates.append((str(summary.get("type") or "text/html"), str(entry.get("summary"))))
    best = ""
    for media_type, value in candidates:
        text = value.strip() if media_type == "text/plain" else fragment_to_text(value)
        if len(text) > len(best):
            best = text
    return best


def _item_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        found = normalise_date(entry.get(key))
        if found:
            return found
    return None


def _item_tags(entry: Any) -> list[str]:
    tags = [_str(t.get("term")) for t in entry.get("tags") or [] if isinstance(t, dict)]
    return [t for t in tags if t]


def _fetched_item(entry: Any, link: str, *, options: ReadOptions) -> Article:
    page = fetch(link, timeout=options.fetch_timeout, max_bytes=options.max_bytes)
    check_content(page.data, name=link)
    if page.content_type not in {"text/html", "application/xhtml+xml"} and sniff(page.data) != "html":
        raise IngestError(link, f"the item's link is not an HTML page ({page.content_type or 'no type'})")
    article = read_html(page.data, name=link, path=None, url=page.url, header_charset=page.charset)
    title = _str(entry.get("title"))
    article.headline = article.headline or title
    article.source.title = article.source.title or title
    article.published = article.published or _item_date(entry)
    article.source.published = article.source.published or article.published
    article.author = article.author or _str(entry.get("author"))
    article.categories = article.categories or _item_tags(entry)
    return article


def read_feed(
    data: bytes, *, name: str, path: str | None, options: ReadOptions
) -> Iterator[Article | IngestFailure]:
    """Every item of a feed, in feed order; a bad item is an IngestFailure, the others still come."""
    check_content(data, name=name)
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            raise IngestError(name, f"malformed feed ({parsed.get('bozo_exception')})")
        raise IngestError(name, "feed has no items")
    if parsed.get("bozo"):
        log.warning(
            "%s: feed is not well-formed (%s); reading its items anyway", name, parsed.get("bozo_exception")
        )
    language = _str((parsed.get("feed") or {}).get("language"))
    for number, entry in enumerate(entries, start=1):
        link = _str(entry.get("link"))
        label = f"{name} item {number}" + (f" ({link})" if link else "")
        if options.fetch and link:
            try:
                yield _fetched_item(entry, link, options=options)
            except IngestError as e:
                yield IngestFailure(label, e.reason)
            continue
        text = item_text(entry)
        if not text:
            hint = " (pass --fetch to download its link)" if link else ""
            if parsed.get("bozo"):
                hint += f"; the feed is malformed ({parsed.get('bozo_exception')})"
            yield IngestFailure(label, f"feed item has no text{hint}")
            continue
        title = _str(entry.get("title"))
        if title:
            title = " ".join(title.split())
            if not text.startswith(title):
                text = f"{title}\n\n{text}"
        published = _item_date(entry)
        source = Source(
            sha256=sha256_bytes(item_serialisation(entry)),
            path=path,
            url=link,
            title=title,
            published=published,
            format="feed",
        )
        yield Article(
            text=text,
            source=source,
            headline=title,
            author=_str(entry.get("author")),
            published=published,
            categories=_item_tags(entry),
            language=language.split("-")[0].lower() if language else None,
        )
