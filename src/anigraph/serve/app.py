"""The FastAPI application: pages, JSON API, iCal, Atom, static files and helpful 404s."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from anigraph import settings
from anigraph.errors import NotFound
from anigraph.serve import api, docs, feeds, pages, views
from anigraph.serve.state import CSP, STATIC_DIR, CacheFastPath, ServeState
from anigraph.store import Store

log = logging.getLogger(__name__)


def create_app(
    *,
    db_url: str | None = None,
    api_token: str | None = None,
    version_ttl: float = 0.0,
    migrate: bool = True,
) -> FastAPI:
    """The app over ``db_url`` (default: ``anigraph.settings.database_url()``).

    ``api_token`` (default: the ``api_token`` setting) allows ``POST /api/v1/articles``;
    empty disables writes. ``version_ttl`` lets the response cache trust the database
    fingerprint for that many seconds (0: check on every request).
    """
    store = Store.open(settings.database_url(db_url), migrate=migrate)
    token = settings.get("api_token") if api_token is None else api_token
    state = ServeState(store, api_token=token, version_ttl=version_ttl)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="anigraph",
        summary="An anime knowledge base that reads the news: every fact with its source sentence.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from the app's own copy of Swagger UI (no CDN)
        redoc_url=None,
    )
    app.state.serve = state
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(api.router)
    app.mount("/static/swagger-ui", StaticFiles(directory=docs.SWAGGER_DIR), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(docs.router)
    app.add_middleware(CacheFastPath, state=state)
    app.add_exception_handler(NotFound, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _suggestions(request: Request, key: str, *, kind: str | None) -> list[dict[str, Any]]:
    words = key.replace("-", " ").replace("_", " ").strip()
    if not words or words.isdigit():
        return []
    state: ServeState = request.app.state.serve
    hits = state.search_index().search(words, limit=5, kind=kind)
    if not hits and kind is not None:
        hits = state.search_index().search(words, limit=5)
    return [h.to_json() | {"url": views.ref_url(h.ref)} for h in hits]


def _kind_of(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "api":
        parts = parts[2:]
    return views.KIND_OF_PATH.get(parts[0]) if parts else None


async def _not_found(request: Request, exc: NotFound) -> Response:
    kind = exc.what if exc.what in views.PATH_OF_KIND else _kind_of(request.url.path)
    suggestions = _suggestions(request, exc.key, kind=kind)
    return _render_404(request, f"No {exc.what} matches “{exc.key}”.", suggestions, key=exc.key)


def _render_404(request: Request, message: str, suggestions: list[dict[str, Any]], *, key: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message, "suggestions": suggestions}, status_code=404)
    state: ServeState = request.app.state.serve
    body = pages.page(
        state,
        "not_found.html",
        title="Not found",
        message=message,
        suggestions=suggestions,
        q=key.replace("-", " "),
    )
    return HTMLResponse(body, status_code=404, headers={"Content-Security-Policy": CSP})


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404:
        last = [p for p in request.url.path.split("/") if p]
        key = last[-1] if last else ""
        suggestions = _suggestions(request, key, kind=_kind_of(request.url.path)) if key else []
        return _render_404(request, f"Nothing lives at {request.url.path}.", suggestions, key=key)
    headers = getattr(exc, "headers", None)
    if _wants_json(request) or request.method != "GET":
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    state: ServeState = request.app.state.serve
    body = pages.page(
        state, "error.html", title=f"Error {exc.status_code}", status=exc.status_code, message=str(exc.detail)
    )
    return HTMLResponse(
        body, status_code=exc.status_code, headers={**(headers or {}), "Content-Security-Policy": CSP}
    )


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    return JSONResponse({"detail": errors}, status_code=422)
