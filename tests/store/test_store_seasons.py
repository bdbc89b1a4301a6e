"""Season reads: which works a season holds, in a fixed number of statements, over the index."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event
from store_factories import ArticleBuilder

from anigraph.errors import NotFound
from anigraph.store import Store
from anigraph.store.seasons import current_season, neighbour, precision, premiere_years, read_season
from anigraph.store.tables import Claim, ClaimSource, Entity


def _show(
    store: Store, title: str, *facts: tuple[str, str, dict[str, str]], published: str = "2021-12-01"
) -> None:
    a = ArticleBuilder(published=published, headline=f"{title} news")
    for predicate, obj, quals in facts:
        a.say(f"{title}: {predicate} {obj}.", ("work", title, predicate, obj, quals))
    store.add_extraction(a.build())


def _catalog_work(store: Store, name: str, attrs: dict[str, Any]) -> None:
    with store.transaction() as s:
        s.add(Entity(kind="work", name=name, slug=name.lower().replace(" ", "-"), attrs=attrs))


def _names(store: Store, year: int, season: str) -> list[str]:
    return [w.ref.name for w in read_season(store.engine, year=year, season=season).works]


def test_a_season_holds_exact_and_month_premieres_not_bare_years(store: Store) -> None:
    _show(store, "Lantern Tide", ("premiere", "2022-04-03", {}), ("studio", "Studio Kumo", {}))
    _show(store, "Glass Harbor", ("premiere", "2022-05", {}))
    _show(store, "Autumn Bell", ("premiere", "2022-spring", {}))
    _show(store, "Tin Parade", ("premiere", "2022", {}))
    _show(store, "Late Frost", ("premiere", "2022-07-01", {}))  # the first day of summer
    _show(store, "Early Dew", ("premiere", "2022-03-31", {}))  # the last day of winter
    assert _names(store, 2022, "spring") == ["Lantern Tide", "Glass Harbor", "Autumn Bell"]
    assert _names(store, 2022, "summer") == ["Late Frost"]
    assert _names(store, 2022, "winter") == ["Early Dew"]
    spring = read_season(store.engine, year=2022, season="spring").works
    assert spring[0].day == date(2022, 4, 3) and spring[1].day is None
    assert [f.object for f in spring[0].studios] == ["Studio Kumo"]
    assert spring[0].source_count == 1


def test_the_primary_premiere_decides_the_season(store: Store) -> None:
    """A January broadcast with an April streaming start is a winter work only; an exact day
    beats a month."""
    _show(
        store,
        "Paper Comet",
        ("premiere", "2022-01-09", {"where": "Tokai TV"}),
        ("premiere", "2022-04-17", {"where": "Wavelet"}),
    )
    _show(
        store, "Copper Sparrow", ("premiere", "2022-06", {}), ("premiere", "2022-07-02", {"where": "Wavelet"})
    )
    assert _names(store, 2022, "winter") == ["Paper Comet"]
    assert _names(store, 2022, "spring") == []
    assert _names(store, 2022, "summer") == ["Copper Sparrow"]


def test_fall_reaches_into_the_next_year_boundary(store: Store) -> None:
    _show(store, "Year End", ("premiere", "2022-12-31", {}))
    _show(store, "New Year", ("premiere", "2023-01-01", {}))
    assert _names(store, 2022, "fall") == ["Year End"]
    assert _names(store, 2023, "winter") == ["New Year"]


def test_catalog_works_join_by_start_date_or_season(store: Store) -> None:
    _catalog_work(
        store, "Catalog Dated", {"start_date": "2022-04-08", "type": "TV", "studios": ["Orchid Frame"]}
    )
    _catalog_work(store, "Catalog Seasonal", {"season": "2022-spring"})
    _catalog_work(store, "Catalog Yearly", {"year": 2022, "start_date": "2022"})
    works = read_season(store.engine, year=2022, season="spring").works
    assert [w.ref.name for w in works] == ["Catalog Dated", "Catalog Seasonal"]
    assert works[0].premiere_fact is None and works[0].format_name == "tv"
    assert works[0].studio_names == ["Orchid Frame"]


def test_sources_count_each_article_and_each_catalog_once(store: Store) -> None:
    _show(store, "Lantern Tide", ("premiere", "2022-04-03", {}), ("studio", "Studio Kumo", {}))
    _show(store, "Lantern Tide", ("format", "tv", {}), published="2021-12-02")
    with store.transaction() as s:
        work_id = s.query(Entity.id).filter(Entity.slug == "lantern-tide").scalar()
        claim = Claim(
            subject_id=work_id,
            predicate="director",
            object="Haruto Kanzaki",
            object_key="v:haruto kanzaki",
            qualifiers={},
            qualifiers_key="",
            confidence=0.9,
            status="current",
        )
        s.add(claim)
        s.flush()
        for origin in ("anilist", "anilist", "mal"):
            s.add(ClaimSource(claim_id=claim.id, origin=origin, start=len(origin), text="", confidence=0.9))
    (work,) = read_season(store.engine, year=2022, season="spring").works
    assert work.source_count == 4  # two articles, two catalogs


def _count_statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_statements_do_not_grow_with_the_works(store: Store) -> None:
    def fill(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            _show(
                store,
                f"Show {i}",
                ("premiere", f"2022-04-{1 + i % 28:02d}", {}),
                ("studio", f"Studio {i}", {}),
                ("streaming", "Wavelet", {"region": "Europe"}),
                ("opening_theme", f"Song {i}", {"performer": f"Singer {i}"}),
            )

    fill(2, 0)
    seen = _count_statements(store.engine)
    assert len(read_season(store.engine, year=2022, season="spring").works) == 2
    few = len(seen)
    fill(20, 2)
    seen.clear()
    assert len(read_season(store.engine, year=2022, season="spring").works) == 22
    assert len(seen) == few <= 8, seen


def test_sqlite_searches_the_premiere_index(tmp_path: Any) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        _show(store, "Lantern Tide", ("premiere", "2022-04-03", {}))
        plans: list[str] = []

        def explain(conn: Any, cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
            if "UNION" in statement:
                raw = conn.connection.dbapi_connection
                plans.extend(str(row) for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params))

        event.listen(store.engine, "before_cursor_execute", explain)
        read_season(store.engine, year=2022, season="spring")
    assert sum("SEARCH claims USING INDEX ix_claims_premiere_object" in p for p in plans) == 2, plans


def test_premiere_years(store: Store) -> None:
    _show(store, "Iron Meadow", ("premiere", "2020-10-05", {}))
    _show(store, "Tin Parade", ("premiere", "2022", {}))
    _catalog_work(store, "Catalog Only", {"start_date": "2019-07-04"})
    _show(store, "Undated", ("studio", "Studio Kumo", {}))
    years = premiere_years(store.engine, work_slugs=["iron-meadow", "tin-parade", "catalog-only", "undated"])
    assert years == {"iron-meadow": "2020", "tin-parade": "2022", "catalog-only": "2019"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-04-03", "day"),
        ("2022-04", "month"),
        ("2022-spring", "season"),
        ("2022", "year"),
        ("2022-13", None),
        ("April 2022", None),
        ("", None),
    ],
)
def test_precision(value: str, expected: str | None) -> None:
    assert precision(value) == expected


@pytest.mark.parametrize(
    ("today", "season"),
    [
        (date(2026, 1, 1), (2026, "winter")),
        (date(2026, 3, 31), (2026, "winter")),
        (date(2026, 4, 1), (2026, "spring")),
        (date(2026, 9, 30), (2026, "summer")),
        (date(2026, 12, 8), (2026, "fall")),
    ],
)
def test_current_season(today: date, season: tuple[int, str]) -> None:
    assert current_season(today) == season


def test_neighbours_cross_years() -> None:
    assert neighbour(2024, "winter", step=-1) == (2023, "fall")
    assert neighbour(2023, "fall", step=1) == (2024, "winter")
    assert neighbour(2024, "spring", step=1) == (2024, "summer")


@pytest.mark.parametrize(("year", "season"), [(2024, "autumn"), (1800, "winter"), (99999, "fall")])
def test_unknown_seasons_are_not_found(store: Store, year: int, season: str) -> None:
    with pytest.raises(NotFound, match=season):
        read_season(store.engine, year=year, season=season)
