"""Server-rendered HTML pages (Jinja2, autoescaped; usable without JavaScript)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from anigraph.serve import views
from anigraph.serve.highlight import fact_kind, segments
from anigraph.serve.search import Hit
from anigraph.serve.state import Redirect, ServeState
from anigraph.store.seasons import check_season, current_season, neighbour, premiere_years

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"
# A search whose best hit scores this much, clearly ahead of the next, goes straight to it.
CONFIDENT = 0.85
MARGIN = 0.08


def state_of(request: Request) -> ServeState:
    state: ServeState = request.app.state.serve
    return state


def page(state: ServeState, template: str, **context: object) -> str:
    return state.render(template, **context)


@router.get("/")
async def home(request: Request) -> Response:
    state = state_of(request)

    def build() -> str:
        today = datetime.now(UTC).date()
        upcoming, recent = views.premiere_split(state.read.premieres(), today=today)
        return page(
            state,
            "home.html",
            title="anigraph",
            upcoming=upcoming,
            recent=recent,
            articles=state.read.articles(limit=12),
            changes=state.read.changes(limit=15, newest_first=True, facts_only=True),
            today=today.isoformat(),
        )

    return await state.cached(request, build, media_type=HTML)


@router.get("/works/{slug}")
async def work(request: Request, slug: str) -> Response:
    state = state_of(request)

    def build() -> str:
        card = state.read.work_card(slug)
        return page(state, "work.html", title=card.record.work.name, card=card)

    return await state.cached(request, build, media_type=HTML)


@router.get("/people/{slug}")
async def person(request: Request, slug: str) -> Response:
    state = state_of(request)

    def build() -> str:
        view = state.read.entity(slug, kind="person")
        years = premiere_years(state.read.engine, work_slugs=[f.subject.slug for f in view.mentions])
        return page(
            state,
            "person.html",
            title=view.ref.name,
            e=view,
            credits=views.credits(view),
            timeline=views.timeline(view, years),
        )

    return await state.cached(request, build, media_type=HTML)


@router.get("/characters/{slug}")
async def character(request: Request, slug: str) -> Response:
    return await _entity_page(request, slug, kind="character", template="character.html")


@router.get("/studios/{slug}")
async def studio(request: Request, slug: str) -> Response:
    return await _entity_page(request, slug, kind="organization", template="studio.html")


async def _entity_page(request: Request, slug: str, *, kind: str, template: str) -> Response:
    state = state_of(request)

    def build() -> str:
        view = state.read.entity(slug, kind=kind)
        return page(state, template, title=view.ref.name, e=view, credits=views.credits(view))

    return await state.cached(request, build, media_type=HTML)


@router.get("/articles/{article_id}")
async def article(request: Request, article_id: int) -> Response:
    state = state_of(request)

    def build() -> str:
        view = state.read.article(article_id)
        return page(
            state,
            "article.html",
            title=view.ref.title,
            a=view,
            segments=segments(view.text, view.facts),
            kinds=sorted({fact_kind(f.predicate) for _s, f in view.facts}),
        )

    return await state.cached(request, build, media_type=HTML)


@router.get("/search")
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    all: Annotated[bool, Query(description="list results even when one is a confident match")] = False,
) -> Response:
    state = state_of(request)

    def build() -> str | Redirect:
        hits = state.search_index().search(q, limit=20) if q.strip() else []
        if not all and is_confident(hits):
            return Redirect(views.ref_url(hits[0].ref))
        return page(state, "search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits)

    return await state.cached(request, build, media_type=HTML)


def is_confident(hits: list[Hit]) -> bool:
    if not hits or hits[0].score < CONFIDENT:
        return False
    return len(hits) == 1 or hits[0].score - hits[1].score >= MARGIN


# -- season charts ---------------------------------------------------------------------------------

FilterParam = Annotated[str | None, Query(max_length=200)]


@router.get("/season")
async def this_season() -> Response:
    """The current season, by today's date (not cached: the day moves on without a write)."""
    year, season = current_season(datetime.now(UTC).date())
    return RedirectResponse(f"/season/{year}/{season}", status_code=302)


@router.get("/season/{year}/{season}")
async def season_page(
    request: Request,
    year: int,
    season: str,
    platform: FilterParam = None,
    region: FilterParam = None,
    studio: FilterParam = None,
    format: FilterParam = None,
) -> Response:
    state = state_of(request)
    check_season(year, season)
    filters = views.SeasonFilters.of(platform=platform, region=region, studio=studio, format=format)

    def build() -> str:
        chart = state.season(year, season)
        works = [w for w in chart.works if views.season_matches(w, filters)]
        prev, next_ = neighbour(year, season, step=-1), neighbour(year, season, step=1)
        return page(
            state,
            "season.html",
            title=views.season_title(year, season),
            year=year,
            season=season,
            total=len(chart.works),
            shown=len(works),
            weeks=views.season_weeks(works),
            options=views.season_options(chart.works),
            filters=filters,
            prev=(prev, views.season_title(*prev)),
            next=(next_, views.season_title(*next_)),
        )

    return await state.cached(request, build, media_type=HTML)
