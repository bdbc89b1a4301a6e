"""The HTML pages over a database populated with our hand-built Metallic Rouge extraction."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from serve_data import METALLIC_ROUGE, UPCOMING_TITLE, upcoming_day

from anigraph.names import slugify

WORK = "/works/" + slugify("Metallic Rouge")
SOURCE_LINK = re.compile(r'href="/articles/(\d+)#f-(\d+)"')


@pytest.fixture(scope="module")
def work_html(client: TestClient) -> str:
    r = client.get(WORK)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2 ", start)
    return html[start : end if end != -1 else len(html)]


def _row_with(section: str, *needles: str) -> str:
    """The table row (or list item / definition) holding every needle; fails when there is none."""
    for part in re.split(r"<tr[ >]|<dt>|<li[ >]", section):
        if all(n in part for n in needles):
            return part
    raise AssertionError(f"no row holds {needles!r} in:\n{section[:3000]}")


@pytest.mark.parametrize(
    ("section", "needles"),
    [
        ("h-overview", ("Studio", "Bones")),
        ("h-overview", ("Format", "tv")),
        ("h-watch", ("Premiere", "2024-01-11", "Fuji TV")),
        ("h-watch", ("Broadcaster", "Fuji TV")),
        ("h-watch", ("Streaming", "Crunchyroll", "outside of Asia")),
        ("h-staff", ("Director", "Motonobu Hori")),
        ("h-cast", ("Rouge Redstar", "Yume Miyamoto")),
        ("h-cast", ("Naomi Orthmann", "Tomoyo Kurosawa")),
        ("h-music", ("Opening theme", "Rouge", "Yu-ka")),
        ("h-music", ("Ending theme", "Scarlet", "Dazbee")),
        ("h-story", ("Rouge Redstar", "an android girl")),
        ("h-story", ("Setting", "Mars")),
    ],
)
def test_work_page_shows_fact_with_its_source(work_html: str, section: str, needles: tuple[str, ...]) -> None:
    row = _row_with(_section(work_html, section), *needles)
    assert SOURCE_LINK.search(row), f"fact {needles} has no link to its source sentence: {row[:400]}"


def test_work_page_titles_and_articles(work_html: str) -> None:
    assert '<h1 id="h-title">Metallic Rouge</h1>' in work_html
    assert "Metallic Rogue" in _section(work_html, "h-title")  # the misspelling is listed as an alias
    assert "Metallic Rouge Premieres January 11 on Fuji TV" in _section(work_html, "h-articles")


def test_every_source_link_lands_on_its_highlighted_sentence(client: TestClient, work_html: str) -> None:
    links = set(SOURCE_LINK.findall(work_html))
    assert len(links) >= 12
    pages: dict[str, str] = {}
    for article_id, source_id in sorted(links):
        html = pages.setdefault(article_id, client.get(f"/articles/{article_id}").text)
        assert f'id="f-{source_id}"' in html, f"article {article_id} has no anchor f-{source_id}"
    api = client.get(f"/api/v1{WORK}").json()
    for fact in api["facts"]:
        for src in fact["sources"]:
            article = client.get(f"/api/v1/articles/{src['article']['id']}").json()
            ev = src["evidence"]
            assert article["text"][ev["start"] : ev["end"]] == ev["text"]


@pytest.fixture(scope="module")
def our_article(client: TestClient) -> int:
    """The id of our own Metallic Rouge article (the seed may be stored too)."""
    items = client.get("/api/v1/articles", params={"limit": 100}).json()["items"]
    found = [a["id"] for a in items if a["title"] == METALLIC_ROUGE.split("\n", 1)[0]]
    assert len(found) == 1, items
    return int(found[0])


def test_article_marks_are_focusable_with_a_popup(client: TestClient, our_article: int) -> None:
    html = client.get(f"/articles/{our_article}").text
    marks = re.findall(r"<mark ([^>]*)>", html)
    assert len(marks) >= 8
    for attrs in marks:
        assert 'tabindex="0"' in attrs and 'title="' in attrs and re.search(r'id="(f|m)-\d+"', attrs)
        assert re.search(r'class="k-(staff|cast|studio|date|platform|music|title|story|meta|other)"', attrs)
    director = re.search(
        r'<mark [^>]*title="[^"]*director: Motonobu Hori[^"]*"[^>]*>(.*?)</mark>', html, re.S
    )
    assert director is not None
    assert "Motonobu Hori directs Metallic Rouge" in director.group(1)
    assert 'role="tooltip"' in director.group(1)


@pytest.mark.parametrize("which", ["ours", "every"])
def test_article_text_reads_back_exactly(client: TestClient, our_article: int, which: str) -> None:
    """Highlighting only wraps text: stripping the marks and popups gives the article text back."""
    ids = [our_article]
    if which == "every":
        ids = [a["id"] for a in client.get("/api/v1/articles", params={"limit": 100}).json()["items"]]
    for article_id in ids:
        _reads_back(client, article_id)


def _reads_back(client: TestClient, article_id: int) -> None:
    api = client.get(f"/api/v1/articles/{article_id}").json()
    html = client.get(f"/articles/{article_id}").text
    body = html[html.index('<div class="article-text"') :]
    body = body[body.index(">") + 1 : body.index("</div>")]
    body = re.sub(r'<span class="pop".*?</span></mark>', "</mark>", body, flags=re.S)
    body = re.sub(r"<[^>]+>", "", body)
    assert unescape(body) == api["text"]


@pytest.mark.parametrize("path", ["/articles/{hostile}", "/works/{slug}", "/", "/api/v1/works/{slug}"])
def test_markup_in_articles_is_escaped(client: TestClient, path: str) -> None:
    hostile = client.get("/api/v1/articles?limit=50").json()["items"]
    article_id = next(a["id"] for a in hostile if "<script>" in a["title"])
    slug = slugify("Night Parade <script>alert(1)</script>")
    r = client.get(path.format(hostile=article_id, slug=slug))
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "<b>Bold</b>" not in r.text
    if r.headers["content-type"].startswith("text/html"):
        assert "javascript:" not in r.text  # the article's bogus canonical link is not a link
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


@pytest.mark.parametrize(
    ("path", "needles"),
    [
        ("/people/" + slugify("Motonobu Hori"), ("Metallic Rouge", "Director")),
        ("/people/" + slugify("Yu-ka"), ("Metallic Rouge", "Opening theme")),
        ("/studios/" + slugify("Bones"), ("Metallic Rouge", "Studio")),
        ("/characters/" + slugify("Rouge Redstar"), ("Metallic Rouge", "Yume Miyamoto")),
    ],
)
def test_entity_pages_link_back_to_the_work(client: TestClient, path: str, needles: tuple[str, ...]) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    row = _row_with(r.text, *needles)
    assert f'href="{WORK}"' in row
    assert SOURCE_LINK.search(row)


def test_home_lists_premieres_articles_and_changes(client: TestClient) -> None:
    html = client.get("/").text
    assert "2024-01-11" in html and f'href="{WORK}"' in html
    assert "Metallic Rouge Premieres January 11 on Fuji TV" in html
    assert 'class="change"' in html


def test_home_lists_upcoming_premieres_first(client: TestClient) -> None:
    html = client.get("/").text
    upcoming = html[html.index('id="h-upcoming"') : html.index("Recent premieres")]
    assert UPCOMING_TITLE in upcoming and upcoming_day().isoformat() in upcoming
    assert "Metallic Rouge" not in upcoming  # 2024 is past
    assert "Metallic Rouge" in html[html.index("Recent premieres") : html.index('id="h-articles"')]


def test_search_page_goes_to_a_confident_match_and_lists_otherwise(client: TestClient) -> None:
    r = client.get("/search", params={"q": "metallic rogue"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == WORK
    listed = client.get("/search", params={"q": "metallic rogue", "all": "true"})
    assert listed.status_code == 200
    assert listed.text.index(f'href="{WORK}"') < listed.text.index("</ol>")


@pytest.mark.parametrize(
    "path", ["/works/metalic-rouge", "/works/metallic-rogue-tv", "/people/motonobu-horii"]
)
def test_not_found_suggests(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "Did you mean" in r.text
    assert 'href="/' in r.text[r.text.index("Did you mean") :]


@pytest.mark.parametrize("path", [WORK, "/", "/articles/1", "/search?q=zzz&all=true"])
def test_pages_forbid_inline_and_foreign_scripts(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text and '<script src="/static/app.js"' in r.text


def test_unknown_article_is_404(client: TestClient) -> None:
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/api/v1/articles/999999").json()["detail"].startswith("No article")
