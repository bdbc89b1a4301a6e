"""iCalendar premieres and the Atom change feed parse with real parsers and carry their sources."""

from __future__ import annotations

from datetime import date

import feedparser
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from serve_data import UPCOMING_TITLE, upcoming_day

from anigraph.names import slugify

SLUG = slugify("Metallic Rouge")


def _events(client: TestClient, path: str, **params: str) -> list[dict[str, object]]:
    r = client.get(path, params=params)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
    return [
        {
            "uid": str(e["UID"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
            "description": str(e.get("DESCRIPTION", "")),
            "url": str(e.get("URL", "")),
        }
        for e in cal.walk("VEVENT")
    ]


def test_calendar_holds_the_premiere(client: TestClient) -> None:
    events = [e for e in _events(client, "/calendar.ics") if "Metallic Rouge" in str(e["summary"])]
    assert len(events) == 1
    event = events[0]
    assert event["start"] == date(2024, 1, 11) and event["end"] == date(2024, 1, 12)  # all-day
    assert "Fuji TV" in str(event["summary"])
    assert f"/works/{SLUG}" in str(event["url"])
    assert "/articles/" in str(event["description"]) and "#f-" in str(event["description"])


def test_calendar_holds_future_premieres(client: TestClient) -> None:
    starts = {str(e["summary"]): e["start"] for e in _events(client, "/calendar.ics", platform="TV Tokyo")}
    assert starts == {f"{UPCOMING_TITLE} premiere (TV Tokyo)": upcoming_day()}


def test_calendar_uids_are_stable(client: TestClient) -> None:
    everything = {e["uid"] for e in _events(client, "/calendar.ics")}
    one_work = {e["uid"] for e in _events(client, f"/works/{SLUG}/calendar.ics")}
    assert one_work and one_work <= everything
    assert one_work == {e["uid"] for e in _events(client, f"/works/{SLUG}/calendar.ics")}


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ({"platform": "Crunchyroll"}, True),
        ({"platform": "fuji tv"}, True),
        ({"platform": "Netflix"}, False),
        ({"region": "Asia"}, True),
        ({"region": "Europe"}, False),
        ({"platform": "Crunchyroll", "region": "Asia"}, True),
        ({"platform": "Crunchyroll", "region": "Europe"}, False),
    ],
)
def test_calendar_filters(client: TestClient, params: dict[str, str], included: bool) -> None:
    events = _events(client, "/calendar.ics", **params)
    assert any("Metallic Rouge" in str(e["summary"]) for e in events) is included


def test_partial_dates_are_not_events(client: TestClient) -> None:
    slug = slugify("Night Parade <script>alert(1)</script>")
    assert _events(client, f"/works/{slug}/calendar.ics") == []


def test_unknown_work_calendar_is_404(client: TestClient) -> None:
    assert client.get("/works/no-such-show/calendar.ics").status_code == 404


def test_atom_feed_parses_and_links_sources(client: TestClient) -> None:
    r = client.get("/changes.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert feed.entries
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))
    director = [e for e in feed.entries if "director: Motonobu Hori" in e.title]
    assert director, [e.title for e in feed.entries]
    related = [link.href for link in director[0].links if link.rel == "related"]
    assert related and "/articles/" in related[0] and "#f-" in related[0]
    assert "Source: “Motonobu Hori directs Metallic Ro" in director[0].summary
    assert all(e.updated for e in feed.entries)
    assert all(e.tags and e.tags[0].term for e in feed.entries)  # fact changes only: each names its predicate


def test_atom_escapes_markup(client: TestClient) -> None:
    body = client.get("/changes.atom").text
    assert "<script>" not in body
