"""The JSON API: search, filters, paging, ETags, changes and token-protected ingestion."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from serve_data import HOSTILE, METALLIC_ROUGE, TOKEN, UPCOMING_TITLE

from anigraph.names import slugify
from anigraph.serve import create_app

SLUG = slugify("Metallic Rouge")


@pytest.mark.parametrize(
    "q", ["metallic rogue", "Metallic Rouge", "metalic rouge", "METALLIC ROUGE!", "metallic"]
)
def test_search_finds_metallic_rouge_first(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200
    results = r.json()["results"]
    assert results, f"no result for {q!r}"
    first = results[0]
    assert (first["id"], first["type"], first["title"]) == (SLUG, "work", "Metallic Rouge")
    assert 0 < first["score"] <= 1
    assert [x["score"] for x in results] == sorted((x["score"] for x in results), reverse=True)


@pytest.mark.parametrize(
    ("q", "kind", "expected"),
    [
        ("motonobu hory", "person", slugify("Motonobu Hori")),
        ("Hori Motonobu", "person", slugify("Motonobu Hori")),
        ("bones", "organization", slugify("Bones")),
    ],
)
def test_search_people_and_studios(client: TestClient, q: str, kind: str, expected: str) -> None:
    results = client.get("/api/v1/search", params={"q": q, "type": kind}).json()["results"]
    assert results and results[0]["id"] == expected


def test_search_without_match_is_empty(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": "zzqxv wwkjh"}).json()["results"] == []


def _ids(client: TestClient, **params: Any) -> list[str]:
    r = client.get("/api/v1/works", params=params)
    assert r.status_code == 200, r.text
    return [w["id"] for w in r.json()["items"]]


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ({"season": "2024-winter"}, True),
        ({"season": "2023-fall"}, False),
        ({"studio": "Bones"}, True),
        ({"studio": "studio bones"}, True),
        ({"studio": "MAPPA"}, False),
        ({"platform": "crunchyroll"}, True),
        ({"platform": "Fuji TV"}, True),
        ({"platform": "Netflix"}, False),
        ({"status": "finished"}, True),
        ({"status": "upcoming"}, False),
        ({"season": "2024-winter", "studio": "Bones", "platform": "Crunchyroll"}, True),
    ],
)
def test_work_filters(client: TestClient, params: dict[str, str], included: bool) -> None:
    assert (SLUG in _ids(client, **params)) is included


def test_upcoming_status(client: TestClient) -> None:
    upcoming = client.get("/api/v1/works", params={"status": "upcoming"}).json()["items"]
    assert [w["name"] for w in upcoming] == [UPCOMING_TITLE]
    assert upcoming[0]["platforms"] == [{"kind": "broadcaster", "name": "TV Tokyo", "region": None}]


def test_work_list_pages(client: TestClient) -> None:
    everything = _ids(client, limit=500)
    assert len(everything) >= 2
    first = client.get("/api/v1/works", params={"limit": 1}).json()
    assert first["total"] == len(everything) and len(first["items"]) == 1 and "next" in first
    second = client.get(first["next"]).json()
    assert second["items"][0]["id"] == everything[1]
    assert client.get("/api/v1/works", params={"season": "2024-autumn"}).status_code == 422


def test_work_detail_has_facts_with_sources(client: TestClient) -> None:
    data = client.get(f"/api/v1/works/{SLUG}").json()
    assert data["id"] == SLUG and data["type"] == "work"
    by = {(f["predicate"], f["object"]): f for f in data["facts"]}
    assert by[("director", "Motonobu Hori")]["object_ref"]["id"] == slugify("Motonobu Hori")
    assert by[("opening_theme", "Rouge")]["qualifiers"] == {"performer": "Yu-ka"}
    premiere = by[("premiere", "2024-01-11")]
    assert premiere["sources"][0]["evidence"]["text"].startswith("Metallic Rouge premieres on January 11")
    assert all(f["sources"] for f in data["facts"])


@pytest.mark.parametrize(
    "path", [f"/api/v1/works/{SLUG}", f"/works/{SLUG}", "/api/v1/search?q=rouge", "/calendar.ics"]
)
def test_etag_and_304(client: TestClient, path: str) -> None:
    r = client.get(path)
    etag = r.headers["etag"]
    assert etag.startswith('"') and r.headers["last-modified"].endswith("GMT")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_after_a_write(fresh_client: TestClient) -> None:
    before = fresh_client.get("/api/v1/articles").headers["etag"]
    r = fresh_client.post(
        "/api/v1/articles", json={"text": METALLIC_ROUGE}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 201, r.text
    after = fresh_client.get("/api/v1/articles", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before
    assert after.json()["items"][0]["id"] == r.json()["articles"][0]["id"]


def test_changes_since(client: TestClient) -> None:
    everything = client.get("/api/v1/changes", params={"since": "2000-01-01T00:00:00Z"}).json()["changes"]
    assert any(
        c["kind"] == "claim_added" and c["fact"] and c["fact"]["object"] == "Motonobu Hori"
        for c in everything
    )
    with_source = [c for c in everything if c["source"]]
    assert with_source and all(c["source"]["evidence"]["text"] for c in with_source)
    assert client.get("/api/v1/changes", params={"since": "2999-01-01"}).json()["changes"] == []
    latest = everything[-1]["at"]
    assert all(
        c["at"] > latest for c in client.get("/api/v1/changes", params={"since": latest}).json()["changes"]
    )
    assert client.get("/api/v1/changes", params={"since": "last tuesday"}).status_code == 422


def test_changes_cursor_walks_every_change_once(client: TestClient) -> None:
    everything = client.get("/api/v1/changes", params={"limit": 1000}).json()["changes"]
    seen: list[int] = []
    page = client.get("/api/v1/changes", params={"limit": 7}).json()
    while True:
        seen.extend(c["id"] for c in page["changes"])
        if "next" not in page:
            break
        page = client.get(page["next"]).json()
    assert seen == [c["id"] for c in everything] and len(seen) > 7


@pytest.mark.parametrize("kind", ["people", "characters", "studios", "articles"])
def test_lists_and_details(client: TestClient, kind: str) -> None:
    items = client.get(f"/api/v1/{kind}").json()["items"]
    assert items
    detail = client.get(f"/api/v1/{kind}/{items[0]['id']}")
    assert detail.status_code == 200 and detail.json()["id"] == items[0]["id"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": TOKEN}, 401),
        ({"Authorization": f"Bearer {TOKEN}"}, 201),
    ],
)
def test_post_needs_the_token(fresh_client: TestClient, headers: dict[str, str], status: int) -> None:
    r = fresh_client.post("/api/v1/articles", json={"text": METALLIC_ROUGE}, headers=headers)
    assert r.status_code == status, r.text
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert fresh_client.get("/api/v1/articles").json()["items"] == []


def test_post_is_disabled_without_a_configured_token(tmp_path: Any) -> None:
    with TestClient(create_app(db_url=f"sqlite:///{tmp_path / 'ro.db'}", api_token="")) as c:
        r = c.post("/api/v1/articles", json={"text": METALLIC_ROUGE}, headers={"Authorization": "Bearer "})
        assert r.status_code == 503
        assert c.get("/api/v1/works").status_code == 200  # reads stay public


@pytest.mark.parametrize(
    "body", [{}, {"text": "a", "url": "https://example.org/"}, {"title": "only a title"}]
)
def test_post_needs_exactly_one_source(fresh_client: TestClient, body: dict[str, str]) -> None:
    r = fresh_client.post("/api/v1/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422


def test_post_ingests_through_the_pipeline_and_escapes_markup(fresh_client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = fresh_client.post("/api/v1/articles", json={"text": HOSTILE, "published": "2025-01-05"}, headers=auth)
    assert r.status_code == 201, r.text
    item = r.json()["articles"][0]
    assert item["created"] is True
    page = fresh_client.get(item["url"])
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    again = fresh_client.post("/api/v1/articles", json={"text": HOSTILE}, headers=auth).json()["articles"][0]
    assert again["created"] is False and again["id"] == item["id"]


def test_post_html(fresh_client: TestClient) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in METALLIC_ROUGE.splitlines()[2:] if line)
    html = (
        "<html><head><title>Metallic Rouge dated</title></head><body><article>"
        f"<h1>Metallic Rouge dated</h1>{paragraphs}</article></body></html>"
    )
    r = fresh_client.post(
        "/api/v1/articles",
        json={"html": html, "title": "Metallic Rouge dated"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 201, r.text
    article = fresh_client.get(f"/api/v1/articles/{r.json()['articles'][0]['id']}").json()
    assert article["title"] == "Metallic Rouge dated"
    assert "Motonobu Hori directs Metallic Rouge" in article["text"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/v1/works",
        "/api/v1/works/{slug}",
        "/api/v1/search",
        "/api/v1/changes",
        "/api/v1/articles",
    ):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/articles"]
    assert client.get("/docs").status_code == 200


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[str]:
    """A loopback HTTP server with one HTML article (no internet needed)."""
    paragraphs = "".join(f"<p>{line}</p>" for line in METALLIC_ROUGE.splitlines()[2:] if line)
    (tmp_path / "mr.html").write_text(
        "<html><head><meta charset='utf-8'><title>Metallic Rouge news</title></head><body><article>"
        f"<h1>Metallic Rouge news</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_post_url_fetches_the_page(
    fresh_client: TestClient, local_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    refused = fresh_client.post("/api/v1/articles", json={"url": f"{local_site}/mr.html"}, headers=auth)
    assert refused.status_code == 422 and "non-public" in refused.json()["detail"]  # SSRF guard
    monkeypatch.setenv("ANIGRAPH_FETCH_ALLOW", "127.0.0.0/8")  # an operator who trusts loopback
    r = fresh_client.post("/api/v1/articles", json={"url": f"{local_site}/mr.html"}, headers=auth)
    assert r.status_code == 201, r.text
    article = fresh_client.get(f"/api/v1/articles/{r.json()['articles'][0]['id']}").json()
    assert article["url"] == f"{local_site}/mr.html"
    assert "Motonobu Hori directs Metallic Rouge" in article["text"]
    missing = fresh_client.post("/api/v1/articles", json={"url": f"{local_site}/nope.html"}, headers=auth)
    assert missing.status_code == 422 and "404" in missing.json()["detail"]
    bad = fresh_client.post("/api/v1/articles", json={"url": "file:///etc/passwd"}, headers=auth)
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/articles/9223372036854775808", 404),
        ("/articles/99999999999999999999999", 404),
        ("/api/v1/articles/9223372036854775808", 404),
        ("/api/v1/articles?offset=9223372036854775808", 422),
        ("/api/v1/people?offset=9223372036854775808", 422),
        ("/api/v1/changes?after=9223372036854775808", 422),
    ],
)
def test_integers_past_the_database_range_are_not_found_or_invalid(
    client: TestClient, url: str, status: int
) -> None:
    """Ids and offsets ≥ 2^63 once raised OverflowError in the driver (a 500)."""
    assert client.get(url).status_code == status


def test_the_token_is_checked_before_the_body_is_read(fresh_client: TestClient) -> None:
    """Without a token a malformed body gets 401, not the 422 that shows it was parsed."""
    r = fresh_client.post(
        "/api/v1/articles", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 401


def test_bodies_over_max_bytes_are_refused(fresh_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANIGRAPH_MAX_BYTES", "1000")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {"text": "Velvet Orbit premieres in April. " * 100}
    assert fresh_client.post("/api/v1/articles", json=big, headers=auth).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap holds while streaming
        yield b'{"text": "'
        for _ in range(50):
            yield b"x" * 100
        yield b'"}'

    streamed = fresh_client.post(
        "/api/v1/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


def test_a_re_post_answers_200_and_a_bad_payload_422(fresh_client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": "Velvet Orbit, the new television anime, premieres on TV Tokyo on April 9, 2027."}
    assert fresh_client.post("/api/v1/articles", json=body, headers=auth).status_code == 201
    again = fresh_client.post("/api/v1/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["articles"][0]["created"] is False
    assert fresh_client.post("/api/v1/articles", json={"title": "x"}, headers=auth).status_code == 422
    assert fresh_client.post("/api/v1/articles", content=b"[1,", headers=auth).status_code == 422
