"""HTML pages → Articles: main text via trafilatura, metadata via JSON-LD, OpenGraph and trafilatura.

The article text is trafilatura's plain-text extraction (paragraphs and ``<br>`` lines kept one per
line, so credit lists stay one credit per line). The headline, author and date go into Article
fields. trafilatura drops the page's byline ("by A · Mar 22, 2025"); when the page shows one for
the author its metadata names, that line of the page is put back under the headline, so the
article's author and date can be cited from the text like any other fact. Evidence offsets index
exactly this text.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import lxml.html  # type: ignore[import-untyped]
import trafilatura
from lxml import etree

from anigraph.errors import IngestError
from anigraph.ingest.dates import normalise_date
from anigraph.ingest.sniff import check_content
from anigraph.models import Article, Source, sha256_bytes

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
# WHATWG: these labels mean windows-1252 in HTML
_CP1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"})
_ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "blogposting", "reportagenews", "analysisnewsarticle", "report"}
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
    }
)
MIN_WORDS = 5  # a page whose main text is shorter than this is a menu or a shell, not an article
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})


def declared_charset(data: bytes, *, header: str | None = None) -> str | None:
    """The encoding a page declares: byte order mark, HTTP header, ``<meta charset>``, XML declaration."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if header:
        return header.strip().strip("\"'").lower()
    m = _META_CHARSET.search(data[:4096]) or _XML_ENCODING.match(data[:200])
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(data: bytes, *, name: str, header_charset: str | None = None) -> str:
    """Decode a page with its declared charset, else as UTF-8; a clear error when neither works."""
    charset = declared_charset(data, header=header_charset)
    if charset is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise IngestError(
                name,
                f"HTML is not UTF-8 and declares no charset (invalid byte 0x{data[e.start]:02x} "
                f"at offset {e.start})",
            ) from e
    codec_name = "cp1252" if charset in _CP1252_LABELS else charset
    try:
        codec = codecs.lookup(codec_name)
    except LookupError as e:
        raise IngestError(name, f"HTML declares an unknown charset {charset!r}") from e
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as e:
        raise IngestError(
            name,
            f"HTML is not valid {charset} as declared (byte 0x{data[e.start]:02x} at offset {e.start})",
        ) from e
    return text.removeprefix("\ufeff")


@dataclass(slots=True)
class PageMeta:
    """Metadata a page states about itself; each list holds candidates, best first."""

    headlines: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    language: str | None = None


def _strings(value: Any) -> Iterator[str]:
    """Names from a JSON-LD value that may be a string, an object with ``name`` or a list of either."""
    if isinstance(value, str):
        if value.strip():
            yield value.strip()
    elif isinstance(value, dict):
        yield from _strings(value.get("name"))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            log.debug("ignoring unparseable JSON-LD block")
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                yield item


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower() for v in values if isinstance(v, str)}


def _meta(tree: Any, *keys: str) -> list[str]:
    found: list[str] = []
    for key in keys:
        for value in tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content'):
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
    return found


def page_meta(tree: Any, html: str) -> PageMeta:
    """Headline, author, date, canonical URL and categories from JSON-LD, OpenGraph and trafilatura."""
    meta = PageMeta()
    try:
        for obj in _json_ld_objects(tree):
            if not _types(obj) & _ARTICLE_TYPES:
                continue
            meta.headlines.extend(_strings(obj.get("headline")))
            meta.authors.extend(_strings(obj.get("author")))
            meta.dates.extend(_strings(obj.get("datePublished")))
            meta.urls.extend(_strings(obj.get("url")))
            meta.categories.extend(_strings(obj.get("articleSection")))
    except RecursionError:  # JSON-LD nested thousands deep: metadata that cannot be read is skipped
        log.warning("skipping JSON-LD nested too deeply to read; the article is kept")
        meta = PageMeta()
    meta.headlines.extend(_meta(tree, "og:title", "twitter:title"))
    meta.authors.extend(a for a in _meta(tree, "author", "article:author") if "://" not in a)
    meta.dates.extend(_meta(tree, "article:published_time", "datePublished", "pubdate", "date"))
    meta.urls[:0] = [u for u in tree.xpath('//link[@rel="canonical"]/@href') if isinstance(u, str)]
    meta.urls.extend(_meta(tree, "og:url"))
    meta.categories.extend(_meta(tree, "article:section"))
    meta.headlines.extend(h.text_content().strip() for h in tree.xpath("//h1")[:1])
    try:
        doc = trafilatura.extract_metadata(
            tree, extensive=False, date_config={"extensive_search": False, "original_date": True}
        )
    except RecursionError:
        log.warning("skipping page metadata nested too deeply to read; the article is kept")
        doc = None
    if doc is not None:
        meta.headlines.extend(v for v in [doc.title] if v)
        meta.authors.extend(v for v in [doc.author] if v)
        meta.dates.extend(v for v in [doc.date] if v)
        meta.urls.extend(v for v in [doc.url] if v)
        meta.categories.extend(doc.categories or [])
    lang = tree.xpath("/html/@lang")
    meta.language = lang[0].split("-")[0].lower() if lang and isinstance(lang[0], str) and lang[0] else None
    return meta


def _pick_headline(candidates: list[str], text: str) -> str | None:
    """The first candidate the article text contains (so a headline fact can cite it), else the first."""
    cleaned = [" ".join(c.split()) for c in candidates if c and c.strip()]
    for c in cleaned:
        if c in text:
            return c
    return cleaned[0] if cleaned else None


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(" ".join(v.split()), None)
    return list(seen)


@contextmanager
def _quiet_trafilatura() -> Iterator[None]:
    """trafilatura warns on stderr about pages it cannot use; we report those ourselves, once."""
    logger = logging.getLogger("trafilatura")
    if log.isEnabledFor(logging.DEBUG):
        yield
        return
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def flatten_definition_lists(tree: Any) -> bool:
    """Rewrite ``<dl>`` lists in place as ``<ul>`` of "term: definition" items, so a cast or staff
    list written as ``<dt>Character</dt><dd>Actor</dd>`` keeps each pair on one line (trafilatura
    would split it). True when the tree changed."""
    changed = False
    for dl in list(tree.iter("dl")):
        items: list[str] = []
        defined = False  # the current term has a definition already
        for child in dl:
            if not isinstance(child.tag, str):
                continue
            value = " ".join(child.text_content().split())
            if child.tag == "dt":
                items.append(value.rstrip(":"))
                defined = False
            elif child.tag == "dd" and items and value:
                items[-1] = f"{items[-1]}{', ' if defined else ': '}{value}"
                defined = True
        if not items:
            continue
        ul = lxml.html.Element("ul")
        for item in items:
            li = lxml.html.Element("li")
            li.text = item
            ul.append(li)
        ul.tail = dl.tail
        dl.getparent().replace(dl, ul)
        changed = True
    return changed


def html_to_text(html: str, *, name: str) -> str:
    """trafilatura's plain-text extraction of the main content; an error when it finds none."""
    html = unwrap_time_elements(html)
    with _quiet_trafilatura():
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_recall=True,
            deduplicate=False,
            with_metadata=False,
        )
    if not text or not text.strip():
        raise IngestError(name, "no article text found in the HTML (trafilatura extracted nothing)")
    words = len(text.split())
    if words < MIN_WORDS:
        raise IngestError(
            name, f"no article text found in the HTML (only {words} word(s) outside menus: {text.strip()!r})"
        )
    return str(text)


_TIME_TAG = re.compile(r"</?time\b[^>]*>", re.IGNORECASE)


def unwrap_time_elements(html: str) -> str:
    """trafilatura drops ``<time>`` elements with their text ("Published <time>May 25</time> |");
    unwrapped, the date a reader sees stays in the line as plain text."""
    return _TIME_TAG.sub("", html)


BYLINE_MAX_CHARS = 160
_NOT_SHOWN = {"script", "style", "head", "title", "meta", "noscript", "template"}


def byline_of(tree: Any, authors: list[str]) -> str | None:
    """The page's shortest visible block that names an author and says something more (a date,
    "by", "Posted on"), as one line; None when the page shows no such line.

    From each text node naming the author, the nearest enclosing block that says more is taken
    (a walk up the tree, not a scan of every element)."""
    best: str | None = None
    for author in authors:
        if len(author) < 3:
            continue
        for node in tree.xpath("//text()[contains(., $a)]", a=author):
            el = node.getparent()
            if el is not None and node.is_tail:
                el = el.getparent()  # text after a child element belongs to that child's parent
            chain = [el, *el.iterancestors()] if el is not None else []
            if any(isinstance(a.tag, str) and a.tag in _NOT_SHOWN for a in chain):
                continue
            for block in chain:
                line = " ".join(block.text_content().split())
                if len(line) > BYLINE_MAX_CHARS:
                    break
                if len(line) >= len(author) + 5:
                    if best is None or len(line) < len(best):
                        best = line
                    break
    return best


def with_byline(text: str, tree: Any, authors: list[str]) -> str:
    """``text`` with the page's byline line after its first line (the headline) when the text lacks it."""
    if not authors or any(a in text for a in authors):
        return text
    line = byline_of(tree, authors)
    if line is None or line in text:
        return text
    head, sep, rest = text.partition("\n")
    return f"{head}\n{line}\n{rest}" if sep else f"{line}\n{text}"


def read_html(
    data: bytes,
    *,
    name: str,
    path: str | None,
    url: str | None = None,
    header_charset: str | None = None,
    sha256: str | None = None,
) -> Article:
    """One HTML page → Article. ``sha256`` defaults to the sha256 of ``data``."""
    check_content(data, name=name)
    # lxml refuses a decoded string that still carries an XML declaration; it says nothing of the text
    html = _XML_DECLARATION.sub("", decode_html(data, name=name, header_charset=header_charset), count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as e:
        raise IngestError(name, f"unparseable HTML ({e})") from e
    flattened = flatten_definition_lists(tree)
    text = html_to_text(str(lxml.html.tostring(tree, encoding="unicode")) if flattened else html, name=name)
    meta = page_meta(tree, html)
    text = with_byline(text, tree, _unique(meta.authors))
    headline = _pick_headline(meta.headlines, text)
    published = next((d for d in map(normalise_date, meta.dates) if d), None)
    canonical = next((u for u in meta.urls if u.startswith(("http://", "https://"))), None) or url
    authors = _unique(meta.authors)
    source = Source(
        sha256=sha256 or sha256_bytes(data),
        path=path,
        url=canonical,
        title=headline,
        published=published,
        format="html",
    )
    return Article(
        text=text,
        source=source,
        headline=headline,
        author=authors[0] if authors else None,
        published=published,
        categories=_unique(meta.categories),
        language=meta.language,
    )


def _walk_text(element: Any, out: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS:
        if element.tail:
            out.append(element.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n")
    if tag == "br":
        out.append("\n")
    if element.text:
        out.append(element.text)
    for child in element:
        _walk_text(child, out)
    if block:
        out.append("\n")
    if element.tail:
        out.append(element.tail)


def fragment_to_text(html: str) -> str:
    """Text of an HTML fragment (a feed item's content): one line per block or ``<br>``, spaces collapsed."""
    if "<" not in html and "&" not in html:
        raw = html
    else:
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            return ""
        parts: list[str] = []
        _walk_text(root, parts)
        raw = "".join(parts)
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)
