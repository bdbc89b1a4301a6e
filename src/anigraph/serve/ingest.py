"""``POST /api/v1/articles``: bearer-token check and ingestion of text, HTML or a URL.

The work (fetch, spaCy, database write) runs in a worker thread so the event loop keeps
serving reads. Writes go through ``Store.add_extraction`` only; the extractor is loaded
once per app, on the first write.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from anigraph.errors import AnigraphError, IngestError
from anigraph.ingest import IngestFailure, ReadOptions, read_bytes, read_sources, read_text
from anigraph.ingest.dates import normalise_date
from anigraph.models import Article

if TYPE_CHECKING:
    from anigraph.extract import Extractor
    from anigraph.serve.state import ServeState

log = logging.getLogger(__name__)
API_SOURCE = "<api>"


class ArticleIn(BaseModel):
    """Exactly one of ``text``, ``html`` or ``url``; ``title``/``published`` override page metadata."""

    text: str | None = Field(default=None, description="plain text (offsets index it as given)")
    html: str | None = Field(default=None, description="an HTML page; the article text is extracted")
    url: str | None = Field(default=None, description="an http(s) URL to fetch (timeout and size limit)")
    title: str | None = Field(default=None, max_length=500)
    published: str | None = Field(default=None, description="YYYY-MM-DD (or partial)")

    @model_validator(mode="after")
    def _one_source(self) -> ArticleIn:
        given = [k for k in ("text", "html", "url") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self


class IngestedArticle(BaseModel):
    id: int
    created: bool
    duplicate_of: int | None = None
    title: str | None = None
    facts: int
    claims_added: int
    url: str


class IngestResult(BaseModel):
    articles: list[IngestedArticle]
    failures: list[dict[str, str]] = []


BODY_TIMEOUT = 30.0  # seconds a client may take to send a request body


async def read_body(request: Request, *, max_bytes: int, timeout: float) -> bytes:
    """The request body, read in chunks: 413 past ``max_bytes`` (declared or streamed), 408 when it
    takes longer than ``timeout`` seconds."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise HTTPException(413, f"request body over the {max_bytes} byte limit (ANIGRAPH_MAX_BYTES)")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise HTTPException(
                        413, f"request body over the {max_bytes} byte limit (ANIGRAPH_MAX_BYTES)"
                    )
                chunks.append(chunk)
    except TimeoutError as e:
        raise HTTPException(408, f"request body not received within {timeout:g} s") from e
    return b"".join(chunks)


def check_token(header: str | None, token: str) -> None:
    """401 without or with a wrong bearer token; 503 when the server has no token (writes disabled)."""
    if not token:
        raise HTTPException(503, "writes are disabled: set ANIGRAPH_API_TOKEN to allow POST")
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(
            401, "missing or wrong bearer token", headers={"WWW-Authenticate": 'Bearer realm="anigraph"'}
        )


def _articles(payload: ArticleIn) -> tuple[list[Article], list[IngestFailure]]:
    options = ReadOptions.from_settings(fetch=True)
    items: list[Article | IngestFailure]
    if payload.text is not None:
        data = payload.text.encode("utf-8")
        if len(data) > options.max_bytes:
            raise IngestError(API_SOURCE, f"text is larger than {options.max_bytes} bytes")
        items = [read_text(data, name=API_SOURCE, path=None)]
    elif payload.html is not None:
        data = payload.html.encode("utf-8")
        if len(data) > options.max_bytes:
            raise IngestError(API_SOURCE, f"html is larger than {options.max_bytes} bytes")
        items = list(read_bytes(data, name=API_SOURCE, path=None, fmt="html", options=options))
    else:
        url = payload.url or ""
        if not url.startswith(("http://", "https://")):
            raise IngestError(url, "only http(s) URLs can be fetched")
        items = list(read_sources([url], options=options))
    articles = [a for a in items if isinstance(a, Article)]
    failures = [f for f in items if isinstance(f, IngestFailure)]
    for article in articles:
        if payload.title:
            article.headline = payload.title
            article.source.title = payload.title
        if payload.published:
            day = normalise_date(payload.published)
            if day is None:
                raise IngestError(API_SOURCE, f"published={payload.published!r} is not a date")
            article.published = day
            article.source.published = day
    return articles, failures


class Writer:
    """The extractor (loaded once) and the serialised write path of one app."""

    def __init__(self) -> None:
        self._extractor: Extractor | None = None
        self._lock = threading.Lock()

    def write(self, state: ServeState, payload: ArticleIn) -> IngestResult:
        articles, failures = _articles(payload)
        if not articles and failures:
            raise IngestError(failures[0].source, failures[0].reason)
        out: list[IngestedArticle] = []
        with self._lock:
            if self._extractor is None:
                from anigraph.extract import Extractor  # spaCy loads on the first write, not at startup

                self._extractor = Extractor.load()
            for article in articles:
                extraction = self._extractor.extract(article)
                result = state.store.add_extraction(extraction)
                out.append(
                    IngestedArticle(
                        id=result.article_id,
                        created=result.created,
                        duplicate_of=result.duplicate_of,
                        title=article.headline,
                        facts=len(extraction.facts),
                        claims_added=result.claims_added,
                        url=f"/articles/{result.article_id}",
                    )
                )
        return IngestResult(
            articles=out, failures=[{"source": f.source, "reason": f.reason} for f in failures]
        )


async def ingest_payload(state: ServeState, payload: ArticleIn) -> IngestResult:
    try:
        return await run_in_threadpool(state.writer.write, state, payload)
    except IngestError as e:
        raise HTTPException(422, str(e)) from e
    except AnigraphError as e:
        log.error("ingest failed: %s", e)
        raise HTTPException(500, f"could not store the article: {e}") from e
