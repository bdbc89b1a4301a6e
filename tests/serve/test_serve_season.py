"""The season chart (page, JSON twin, iCal), the person timeline and the offline /docs page."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from season_data import DIRECTOR, SEASON, YEAR
from sqlalchemy import event

from anigraph.names import slugify
from anigraph.serve import views
from anigraph.serve.state import ServeState
from anigraph.store import Store
from anigraph.store.readapi import EntityRef, FactView
from anigraph.store.seasons import SeasonWork, current_season

PAGE = f"/season/{YEAR}/{SEASON}"
API = f"/api/v1/seasons/{YEAR}/{SEASON}"
CARD = re.compile(r'<li class="season-card" data-work="([^"]+)">')


def _cards(html: str) -> list[str]:
    return CARD.findall(html)


def _weeks(html: str) -> list[tuple[str, list[str]]]:
    out = []
    for part in html.split('<section class="week"')[1:]:
        heading = re.search(r"<h2 [^>]*>([^<]+)</h2>", part)
        assert heading is not None
        out.append((heading.group(1), _cards(part)))
    return out


def test_season_page_groups_by_premiere_week(client: TestClient) -> None:
    r = client.get(PAGE)
    assert r.status_code == 200
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert _weeks(r.text) == [
        ("Week of Monday 28 March 2022", ["lantern-tide"]),  # Sunday 3 April closes that week
        ("Week of Monday 4 April 2022", ["copper-sparrow"]),
        ("Date to be announced within the season", ["glass-harbor"]),
    ]
    assert "tin-parade" not in r.text  # a bare year is in no season
    assert "paper-comet" not in r.text  # it premiered in winter; April is its streaming start
    assert "paper-comet" in client.get(f"/season/{YEAR}/winter").text


def test_a_card_shows_every_fact_with_its_source(client: TestClient) -> None:
    html = client.get(PAGE).text
    card = html.split('data-work="lantern-tide"')[1].split("</li>")[0]
    for needle in (
        '<time datetime="2022-04-03">Sunday 3 April 2022</time>',
        "on Tokai TV",
        "Studio Kumo",
        ">tv<",
        "Wavelet",
        "(North America)",
        "“Low Tide”",
        "by Mirei Sato",
        "1 source",
    ):
        assert needle in card, needle
    links = re.findall(r'href="(/articles/\d+#f-\d+)"', card)
    assert len(links) == 6  # premiere, studio, format, broadcaster, streaming, opening
    target = client.get(links[0].split("#")[0]).text
    assert f'id="{links[0].split("#")[1]}"' in target
    tba = html.split('data-work="glass-harbor"')[1].split("</li>")[0]
    assert "May 2022" in tba and "day to be announced" in tba


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("platform=Wavelet", ["lantern-tide", "copper-sparrow"]),
        ("platform=tokai+tv", ["lantern-tide"]),  # case-insensitive
        ("platform=Brightbox", ["copper-sparrow"]),
        ("region=Europe", ["copper-sparrow"]),
        ("platform=Wavelet&region=North+America", ["lantern-tide"]),
        ("platform=Brightbox&region=Europe", []),  # Europe is Wavelet's region, not Brightbox's
        ("studio=Studio+Kumo", ["lantern-tide", "glass-harbor"]),
        ("studio=kumo", ["lantern-tide", "glass-harbor"]),  # the studio key drops "Studio"
        ("format=movie", ["glass-harbor"]),
        ("format=ona&studio=Orchid+Frame", ["copper-sparrow"]),
        ("platform=&region=&studio=&format=", ["lantern-tide", "copper-sparrow", "glass-harbor"]),
    ],
)
def test_filters_on_the_page_and_the_json_twin(client: TestClient, query: str, expected: list[str]) -> None:
    html = client.get(f"{PAGE}?{query}").text
    assert _cards(html) == expected
    data = client.get(f"{API}?{query}").json()
    assert [w["id"] for w in data["items"]] == expected
    assert data["total"] == 3


def test_filtered_links_keep_the_filters(client: TestClient) -> None:
    html = client.get(f"{PAGE}?platform=Wavelet&format=tv").text
    assert 'href="/season/2022/winter?platform=Wavelet&amp;format=tv"' in html
    assert 'href="/season/2022/summer?platform=Wavelet&amp;format=tv"' in html
    assert f'href="{API}?platform=Wavelet&amp;format=tv"' in html
    assert '<option value="Wavelet" selected>' in html
    assert "1 of 3 works" in html


def test_json_twin_shape(client: TestClient) -> None:
    data = client.get(API).json()
    first = data["items"][0]
    assert first["id"] == "lantern-tide" and first["weekday"] == "Sunday" and first["week"] == "2022-03-28"
    assert first["premiere_precision"] == "day" and first["studios"] == ["Studio Kumo"]
    assert first["facts"]["streaming"][0]["qualifiers"] == {"region": "North America"}
    assert first["facts"]["opening_theme"][0]["sources"][0]["article"]["id"] > 0
    assert first["source_count"] == 1
    last = data["items"][-1]
    assert last["id"] == "glass-harbor" and last["week"] is None and last["premiere_precision"] == "month"
    assert data["previous"] == "/api/v1/seasons/2022/winter" and data["next"] == "/api/v1/seasons/2022/summer"


def test_season_calendar_follows_the_filters(client: TestClient) -> None:
    r = client.get(f"{PAGE}/calendar.ics")
    assert r.headers["content-type"].startswith("text/calendar")
    body = r.text
    assert "DTSTART;VALUE=DATE:20220403" in body and "DTSTART;VALUE=DATE:20220410" in body
    assert "glass-harbor" not in body  # no exact day, no event
    only = client.get(f"{PAGE}/calendar.ics?platform=Brightbox").text
    assert "20220410" in only and "20220403" not in only


def test_this_season_redirects_by_todays_date(client: TestClient) -> None:
    r = client.get("/season", follow_redirects=False)
    year, season = current_season(datetime.now(UTC).date())
    assert r.status_code == 302 and r.headers["location"] == f"/season/{year}/{season}"


@pytest.mark.parametrize(
    "path", ["/season/2022/autumn", "/season/1200/spring", f"{API.replace('spring', 'monsoon')}"]
)
def test_unknown_seasons_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_markup_in_names_stays_escaped_on_the_season_page(client: TestClient) -> None:
    html = client.get("/season/2025/spring").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;Works" in html


def test_a_season_is_read_once_per_version(tmp_path: Path) -> None:
    """Every filter of a season shapes one read of it (the read is memoised per database version)."""
    from season_data import season_extractions

    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        for extraction in season_extractions():
            store.add_extraction(extraction)
        state = ServeState(store, api_token="")
        seen: list[str] = []
        event.listen(store.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        first = state.season(YEAR, SEASON)
        reads = [s for s in seen if "claims.object >=" in s]
        assert state.season(YEAR, SEASON) is first
        assert [s for s in seen if "claims.object >=" in s] == reads and len(reads) == 1


def test_person_timeline_by_year_and_role(client: TestClient) -> None:
    html = client.get("/people/" + slugify(DIRECTOR)).text
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    years = re.findall(r'<li class="year" id="year-(\w+)">', timeline)
    assert years == ["2022", "2020"]
    y2022 = timeline.split('id="year-2022"')[1].split('id="year-2020"')[0]
    assert "(2 works)" in y2022
    assert re.search(r"<dt>Director</dt>\s*<dd>.*Lantern Tide", y2022, re.S)
    assert re.search(r"<dt>Storyboard</dt>\s*<dd>.*Copper Sparrow", y2022, re.S)
    assert "Iron Meadow" in timeline.split('id="year-2020"')[1]
    assert len(re.findall(r'href="/articles/\d+#f-\d+"', timeline)) == 3


def _fact(work: str, predicate: str, obj: str, claim_id: int, **quals: str) -> FactView:
    ref = EntityRef(slugify(work), work, "work")
    return FactView(claim_id, ref, predicate, obj, None, dict(quals), 0.9, "current", None)


def test_timeline_puts_unknown_years_last() -> None:
    from anigraph.store.readapi import EntityView

    mentions = [
        _fact("Old Show", "director", "X", 1),
        _fact("New Show", "director", "X", 2),
        _fact("New Show", "storyboard", "X", 3),
        _fact("Mystery Show", "director", "X", 4),
    ]
    view = EntityView(EntityRef("x", "X", "person"), {}, [], [], [], mentions, [], [], [], [])
    out = views.timeline(view, {"old-show": "2019", "new-show": "2023"})
    assert [y.year for y in out] == ["2023", "2019", None]
    assert [r.role for r in out[0].roles] == ["director", "storyboard"] and out[0].works == 1


def test_season_filters_query() -> None:
    f = views.SeasonFilters.of(platform=" Wavelet ", region="", studio=None, format="tv")
    assert f.items() == [("platform", "Wavelet"), ("format", "tv")]
    assert f.query() == "?platform=Wavelet&format=tv"
    assert views.SeasonFilters.of(platform="").query() == ""


@pytest.mark.parametrize(
    ("value", "label"), [("2022-05", "May 2022"), ("2022-spring", "Spring 2022"), ("2022", "2022")]
)
def test_partial_date_labels(value: str, label: str) -> None:
    assert views.partial_date(value) == label


def test_season_weeks_start_on_monday() -> None:
    def work(day: str) -> SeasonWork:
        from datetime import date

        d = date.fromisoformat(day) if len(day) == 10 else None
        return SeasonWork(EntityRef(day, day, "work"), day, d, None)

    weeks = views.season_weeks([work("2022-04-04"), work("2022-04"), work("2022-04-10"), work("2022-04-11")])
    assert [(g.anchor, [w.premiere for w in g.works]) for g in weeks] == [
        ("week-2022-04-04", ["2022-04-04", "2022-04-10"]),
        ("week-2022-04-11", ["2022-04-11"]),
        ("week-tba", ["2022-04"]),
    ]


def test_docs_are_served_from_the_app(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    html = r.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/swagger-ui/") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert client.get("/redoc").status_code == 404  # it would load its script from a CDN
