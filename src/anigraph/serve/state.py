"""Per-app state: the read API, the response cache, the search index and the templates.

Everything the pages show derives from the database, so a response is cached under the
database's version fingerprint (``ReadAPI.version``): any write (a new change, article,
source, entity or alias) changes the fingerprint and the cache starts over. ETags are the
hash of the cached body, so ``If-None-Match`` answers 304 without rendering anything.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from anigraph.serve import views
from anigraph.serve.highlight import describe, fact_kind
from anigraph.serve.ingest import Writer
from anigraph.serve.search import SearchIndex
from anigraph.store import Store
from anigraph.store.readapi import ReadAPI, WorkSummary
from anigraph.store.seasons import SeasonView, read_season

# Pages load only their own CSS and script: injected markup could not run even if escaping failed.
CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def is_web_url(value: object) -> bool:
    """Only http(s) links from article metadata become hrefs (never ``javascript:`` or ``data:``)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Cached:
    body: bytes
    media_type: str
    etag: str
    status: int = 200
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Redirect:
    """What a cached page builder returns to send the reader elsewhere (303)."""

    location: str


class ServeState:
    def __init__(
        self,
        store: Store,
        *,
        api_token: str,
        version_ttl: float = 0.0,
        cache_size: int = 4096,
    ) -> None:
        self.store = store
        self.read = ReadAPI(store.engine)
        self.writer = Writer()
        self.api_token = api_token
        self.version_ttl = version_ttl
        self.cache_size = cache_size
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,  # every template, whatever its extension: article text is untrusted
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals.update(
            ref_url=views.ref_url,
            label=views.label,
            partial_date=views.partial_date,
            describe=describe,
            fact_kind=fact_kind,
            quote=quote,
        )
        self.templates.tests["web_url"] = is_web_url
        self._lock = threading.Lock()
        self._version: tuple[int, ...] | None = None
        self._checked = 0.0
        self._last_modified: datetime | None = None
        self._last_modified_http = ""
        self._cache: OrderedDict[tuple[str, str], Cached] = OrderedDict()
        # the pages of the previous database version: served while their rebuild runs (once per
        # page and version, however many clients ask: see ``cached``)
        self._stale: OrderedDict[tuple[str, str], Cached] = OrderedDict()
        self._own_write = False
        self._inflight: dict[tuple[str, str], asyncio.Future[Cached]] = {}  # page -> its one build
        self._rebuilds: asyncio.Semaphore | None = None  # one background rebuild at a time
        self._search: SearchIndex | None = None
        self._summaries: list[WorkSummary] | None = None
        self._seasons: dict[tuple[int, str], SeasonView] = {}  # every filter of a season reads one
        self._search_lock = threading.Lock()

    # -- freshness ---------------------------------------------------------------------------------

    def version(self) -> tuple[int, ...]:
        now = time.monotonic()
        if self._version is not None and now - self._checked < self.version_ttl:
            return self._version
        current = self.read.version()
        with self._lock:
            self._checked = now
            if current != self._version:
                self._version = current
                if self._own_write:  # this process wrote: its client reads what it wrote
                    self._stale.clear()
                    self._cache.clear()
                self._own_write = False
                self._stale.update(self._cache)  # the last good pages, until each is rebuilt
                while len(self._stale) > self.cache_size:
                    self._stale.popitem(last=False)
                self._cache.clear()
                self._search = None
                self._summaries = None
                self._seasons = {}
                self._last_modified = self.read.last_modified()
                self._last_modified_http = (
                    format_datetime(self._last_modified.astimezone(UTC), usegmt=True)
                    if self._last_modified
                    else ""
                )
        return current

    def invalidate(self) -> None:
        """Forget the fingerprint: the next request re-reads it (after a write by this process)."""
        with self._lock:
            self._version = None
            self._checked = 0.0
            self._own_write = True

    @property
    def last_modified(self) -> datetime | None:
        return self._last_modified

    def work_summaries(self) -> list[WorkSummary]:
        """Every work's summary line (for list filters), read once per database version."""
        self.version()
        summaries = self._summaries
        if summaries is None:
            summaries = self._summaries = self.read.work_summaries()
        return summaries

    def season(self, year: int, season: str) -> SeasonView:
        """One season's chart, read once per database version (each filtered page shapes it)."""
        self.version()
        seasons = self._seasons
        view = seasons.get((year, season))
        if view is None:
            view = seasons[(year, season)] = read_season(self.read.engine, year=year, season=season)
        return view

    def search_index(self) -> SearchIndex:
        self.version()
        index = self._search
        if index is not None:
            return index
        with self._search_lock:
            if self._search is None:
                self._search = SearchIndex(self.read.search_entries())
            return self._search

    # -- rendering ---------------------------------------------------------------------------------

    def render(self, template: str, **context: object) -> str:
        return self.templates.get_template(template).render(**context)

    def lookup(self, path: str, query: str) -> Cached | None:
        """The cached response for a GET of ``path?query`` at the current database version."""
        self.version()
        return self._cache.get((path, query))

    def headers(self, entry: Cached) -> dict[str, str]:
        headers = {"ETag": entry.etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if entry.media_type.startswith("text/html"):
            headers["Content-Security-Policy"] = CSP
        if self._last_modified_http:
            headers["Last-Modified"] = self._last_modified_http
        if entry.location:
            headers["Location"] = entry.location
        return headers

    def not_modified(self, entry: Cached, *, inm: str | None, ims: str | None) -> bool:
        return entry.status == 200 and _not_modified(inm, ims, entry.etag, self._last_modified)

    async def cached(
        self,
        request: Request,
        build: Callable[[], str | bytes | Redirect],
        *,
        media_type: str,
    ) -> Response:
        """The response for ``request`` from the cache, or built now; 304 when the ETag matches.

        A miss is built in a worker thread so cached hits keep flowing meanwhile, once per page and
        database version however many requests ask for it (single flight): the others wait for that
        build, or, when the page of the previous version is at hand, get it at once while the
        rebuild runs. A result is kept only if the database did not change while it was built.
        """
        cache_key = (request.scope["path"], request.scope.get("query_string", b"").decode("latin-1"))
        entry = self.lookup(*cache_key)
        if entry is None:
            version = self._version
            stale = self._stale.get(cache_key)
            flight = self._inflight.get(cache_key)
            if flight is None:
                build_it = self._build(cache_key, version, build, media_type, background=stale is not None)
                flight = asyncio.ensure_future(build_it)
                self._inflight[cache_key] = flight
                flight.add_done_callback(partial(self._landed, cache_key))
            entry = stale if stale is not None else await asyncio.shield(flight)
        headers = self.headers(entry)
        if self.not_modified(
            entry,
            inm=request.headers.get("if-none-match"),
            ims=request.headers.get("if-modified-since"),
        ):
            return Response(status_code=304, headers=headers)
        return Response(entry.body, status_code=entry.status, media_type=entry.media_type, headers=headers)

    def _landed(self, key: tuple[str, str], _flight: object) -> None:
        self._inflight.pop(key, None)

    async def _build(
        self,
        cache_key: tuple[str, str],
        version: tuple[int, ...] | None,
        build: Callable[[], str | bytes | Redirect],
        media_type: str,
        background: bool,
    ) -> Cached:
        """Build a page; a rebuild of a page whose last good version is being served waits for the
        one background slot, so rebuilds after a burst of writes never starve the serving of pages."""
        if background:
            if self._rebuilds is None:
                self._rebuilds = asyncio.Semaphore(1)
            async with self._rebuilds:
                built = await run_in_threadpool(build)
        else:
            built = await run_in_threadpool(build)
        if isinstance(built, Redirect):
            entry = Cached(b"", "text/plain; charset=utf-8", '"redirect"', 303, built.location)
        else:
            data = built.encode("utf-8") if isinstance(built, str) else built
            etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
            entry = Cached(data, media_type, etag)
        with self._lock:
            if version == self._version:
                self._cache[cache_key] = entry
                self._stale.pop(cache_key, None)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            elif cache_key in self._stale:  # the database moved on meanwhile: still the newest good page
                self._stale[cache_key] = entry
        return entry


class CacheFastPath:
    """ASGI middleware answering cached GETs before routing (the common case under load)."""

    def __init__(self, app: ASGIApp, *, state: ServeState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        entry = self.state.lookup(scope["path"], scope.get("query_string", b"").decode("latin-1"))
        if entry is None:
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        headers = self.state.headers(entry)
        if self.state.not_modified(
            entry,
            inm=request_headers.get("if-none-match"),
            ims=request_headers.get("if-modified-since"),
        ):
            status, body = 304, b""
        else:
            status, body = entry.status, entry.body
            headers["Content-Type"] = entry.media_type
        headers["Content-Length"] = str(len(body))
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _not_modified(inm: str | None, ims: str | None, etag: str, last_modified: datetime | None) -> bool:
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False
