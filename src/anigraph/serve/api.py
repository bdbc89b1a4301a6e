"""The JSON API under ``/api/v1``: stable ids (entity slugs, article numbers), ETags, paging."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import Response

from anigraph import settings
from anigraph.names import fold, studio_key
from anigraph.serve import views
from anigraph.serve.ingest import (
    BODY_TIMEOUT,
    ArticleIn,
    IngestResult,
    check_token,
    ingest_payload,
    read_body,
)
from anigraph.serve.pages import state_of
from anigraph.store.readapi import MAX_ROW_ID, EntityView, WorkSummary
from anigraph.store.seasons import check_season, neighbour

router = APIRouter(prefix="/api/v1", tags=["api"])
JSON = "application/json"
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="items to skip")]


def dumps(data: Any) -> str:
    """Compact JSON with ``<``, ``>`` and ``&`` escaped, so article markup stays inert if sniffed as HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(items: list[Any], *, limit: int, offset: int, total: int, request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {"items": items, "limit": limit, "offset": offset, "total": total}
    if offset + limit < total:
        out["next"] = str(request.url.include_query_params(offset=offset + limit))
    return out


def _matches(
    summary: WorkSummary, *, season: str | None, studio: str | None, platform: str | None, status: str | None
) -> bool:
    if season and summary.season != season.lower():
        return False
    if status and summary.status != status.lower():
        return False
    if studio:
        key = studio_key(studio)
        if not any(studio_key(s) == key or fold(s) == fold(studio) for s in summary.studios):
            return False
    if platform:
        key = fold(platform)
        return any(fold(name) == key or key in fold(name) for _k, name, _r in summary.platforms)
    return True


def _example(value: Any) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": value}}}}


_WORK_ITEM = {
    "id": "metallic-rouge", "name": "Metallic Rouge", "type": "work", "format": "tv",
    "premiere": "2024-01-11", "season": "2024-winter", "status": "finished", "episodes": "13",
    "studios": ["Bones"],
    "platforms": [{"kind": "streaming", "name": "Crunchyroll", "region": "outside of Asia"}],
    "url": "/works/metallic-rouge",
}  # fmt: skip


@router.get(
    "/works",
    summary="List works (filter by season, studio, platform, status)",
    responses=_example({"items": [_WORK_ITEM], "limit": 50, "offset": 0, "total": 1}),
)
async def list_works(
    request: Request,
    season: Annotated[
        str | None, Query(description="e.g. 2024-winter", pattern=r"^\d{4}-(winter|spring|summer|fall)$")
    ] = None,
    studio: Annotated[str | None, Query(description="animation studio name, e.g. Bones")] = None,
    platform: Annotated[str | None, Query(description="broadcaster or streaming service")] = None,
    status: Annotated[str | None, Query(description="upcoming | airing | finished | unknown | …")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    state = state_of(request)

    def build() -> str:
        rows = [
            s
            for s in state.work_summaries()
            if _matches(s, season=season, studio=studio, platform=platform, status=status)
        ]
        items = [s.to_json() | {"url": views.ref_url(s.ref)} for s in rows[offset : offset + limit]]
        return dumps(_page(items, limit=limit, offset=offset, total=len(rows), request=request))

    return await state.cached(request, build, media_type=JSON)


SeasonFilter = Annotated[str | None, Query(max_length=200)]


@router.get(
    "/seasons/{year}/{season}",
    summary="Every work premiering in a season (winter = Jan-Mar, …), with its sourced facts",
    description=(
        "Works whose primary premiere falls in the season: exact days first (with their week), then "
        "works known only by month or season (`premiere_precision`). Filters as on "
        "`/season/{year}/{season}`: `platform` (channel, streaming service or premiere venue), "
        "`region` (of that platform), `studio`, `format`; names compare case- and accent-insensitively."
    ),
)
async def season(
    request: Request,
    year: int,
    season: str,
    platform: Annotated[str | None, Query(max_length=200, description="e.g. Crunchyroll")] = None,
    region: SeasonFilter = None,
    studio: SeasonFilter = None,
    format: Annotated[str | None, Query(max_length=200, description="tv, movie, ona, …")] = None,
) -> Response:
    state = state_of(request)
    check_season(year, season)
    filters = views.SeasonFilters.of(platform=platform, region=region, studio=studio, format=format)

    def build() -> str:
        chart = state.season(year, season)
        works = [w for w in chart.works if views.season_matches(w, filters)]
        items = []
        for group in views.season_weeks(works):
            week = group.start.isoformat() if group.start else None
            items += [w.to_json() | {"week": week, "url": views.ref_url(w.ref)} for w in group.works]
        prev, next_ = neighbour(year, season, step=-1), neighbour(year, season, step=1)
        return dumps(
            {
                "year": year,
                "season": season,
                "filters": dict(filters.items()),
                "total": len(chart.works),
                "items": items,
                "html": f"/season/{year}/{season}{filters.query()}",
                "calendar": f"/season/{year}/{season}/calendar.ics{filters.query()}",
                "previous": f"/api/v1/seasons/{prev[0]}/{prev[1]}{filters.query()}",
                "next": f"/api/v1/seasons/{next_[0]}/{next_[1]}{filters.query()}",
            }
        )

    return await state.cached(request, build, media_type=JSON)


def _entity_json(view: EntityView) -> dict[str, Any]:
    return {
        **view.ref.to_json(),
        "url": views.ref_url(view.ref),
        "aliases": [{"name": n, "kind": k, "origin": o} for n, k, o in view.aliases],
        "external_ids": [{"source": s, "value": v} for s, v in view.external_ids],
        "attrs": view.attrs,
        "facts": [f.to_json() for f in view.facts],
        "mentions": [f.to_json() for f in view.mentions],
        "related": [f.to_json() for f in view.related],
        "conflicts": [c.to_json() for c in view.conflicts],
        "history": [c.to_json() for c in view.history],
        "articles": [a.to_json() for a in view.articles],
    }


def _entity_route(kind: str, plural: str) -> None:
    async def list_entities(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
        state = state_of(request)

        def build() -> str:
            refs = state.read.entities(kind=kind, limit=limit, offset=offset)
            items = [r.to_json() | {"url": views.ref_url(r)} for r in refs]
            return dumps({"items": items, "limit": limit, "offset": offset})

        return await state.cached(request, build, media_type=JSON)

    async def get_entity(request: Request, slug: str) -> Response:
        state = state_of(request)
        return await state.cached(
            request, lambda: dumps(_entity_json(state.read.entity(slug, kind=kind))), media_type=JSON
        )

    router.add_api_route(f"/{plural}", list_entities, methods=["GET"], summary=f"List {plural}")
    router.add_api_route(
        f"/{plural}/{{slug}}",
        get_entity,
        methods=["GET"],
        summary=f"One {kind} with every fact and its sources",
    )


for _kind, _plural in (
    ("work", "works"),
    ("person", "people"),
    ("character", "characters"),
    ("organization", "studios"),
):
    if _plural != "works":
        _entity_route(_kind, _plural)


@router.get("/works/{slug}", summary="One work with every fact, its sources, conflicts and history")
async def get_work(request: Request, slug: str) -> Response:
    state = state_of(request)
    return await state.cached(
        request, lambda: dumps(_entity_json(state.read.entity(slug, kind="work"))), media_type=JSON
    )


@router.get("/articles", summary="Articles, newest first")
async def list_articles(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    state = state_of(request)

    def build() -> str:
        items = [
            a.to_json() | {"html": f"/articles/{a.id}"}
            for a in state.read.articles(limit=limit, offset=offset)
        ]
        return dumps({"items": items, "limit": limit, "offset": offset})

    return await state.cached(request, build, media_type=JSON)


@router.get("/articles/{article_id}", summary="One article: its text and every fact read from it")
async def get_article(request: Request, article_id: int) -> Response:
    state = state_of(request)

    def build() -> str:
        view = state.read.article(article_id)
        facts = []
        for src, fact in view.facts:
            item = fact.to_json(with_sources=False)
            item["evidence"] = {"source_id": src.id, "start": src.start, "end": src.end, "text": src.text}
            facts.append(item)
        return dumps(
            {
                **view.ref.to_json(),
                "author": view.author,
                "path": view.path,
                "format": view.format,
                "meta": view.meta,
                "text": view.text,
                "facts": facts,
            }
        )

    return await state.cached(request, build, media_type=JSON)


@router.get(
    "/search",
    summary="Typo-tolerant search over titles, aliases, people, characters, studios",
    responses=_example(
        {
            "query": "metallic rogue",
            "results": [
                {
                    "id": "metallic-rouge",
                    "type": "work",
                    "title": "Metallic Rouge",
                    "score": 1.0,
                    "matched": "Metallic Rogue",
                    "url": "/works/metallic-rouge",
                }
            ],
        }
    ),
)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="what to look for; typos are fine")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    type: Annotated[str | None, Query(pattern="^(work|person|character|organization)$")] = None,
) -> Response:
    state = state_of(request)

    def build() -> str:
        hits = state.search_index().search(q, limit=limit, kind=type)
        return dumps({"query": q, "results": [h.to_json() | {"url": views.ref_url(h.ref)} for h in hits]})

    return await state.cached(request, build, media_type=JSON)


def parse_since(value: str) -> datetime:
    try:
        since = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise HTTPException(422, f"since={value!r} is not an ISO 8601 date or date-time") from e
    return since if since.tzinfo else since.replace(tzinfo=UTC)


@router.get("/changes", summary="Fact changes after a moment or a cursor (oldest first), with their sources")
async def changes(
    request: Request,
    since: Annotated[str | None, Query(description="ISO 8601, e.g. 2024-01-01T00:00:00Z")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ROW_ID, description="cursor: the id of the last change already seen")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Response:
    state = state_of(request)
    moment = parse_since(since) if since else None

    def build() -> str:
        rows = state.read.changes(since=moment, after_id=after, limit=limit)
        out: dict[str, Any] = {"since": since, "after": after, "changes": [c.to_json() for c in rows]}
        if rows and len(rows) == limit:
            out["next"] = str(request.url.include_query_params(after=rows[-1].id))
        return dumps(out)

    return await state.cached(request, build, media_type=JSON)


@router.post(
    "/articles",
    status_code=201,
    summary="Ingest an article (text, HTML or URL); needs `Authorization: Bearer <api_token>`",
    responses={
        200: {"description": "already stored: nothing new was created"},
        401: {"description": "missing or wrong token"},
        408: {"description": "the body arrived too slowly"},
        413: {"description": "the body is over ANIGRAPH_MAX_BYTES"},
        503: {"description": "writes disabled"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
        }
    },
)
async def post_article(request: Request, response: Response) -> IngestResult:
    """The token is checked before a byte of the body is read; the body is read with a size cap and a
    time limit, then validated (the payload is never parsed for an unauthenticated caller)."""
    state = state_of(request)
    check_token(request.headers.get("authorization"), state.api_token)
    body = await read_body(request, max_bytes=settings.get_int("max_bytes"), timeout=BODY_TIMEOUT)
    try:
        payload = ArticleIn.model_validate_json(body)
    except ValidationError as e:
        raise RequestValidationError(e.errors(include_url=False)) from e
    result = await ingest_payload(state, payload)
    state.invalidate()
    if result.articles and not any(a.created for a in result.articles):
        response.status_code = 200  # a re-POST of stored articles creates nothing
    return result
