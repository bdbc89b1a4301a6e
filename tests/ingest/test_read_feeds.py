"""RSS/Atom feeds: one Article per item, stable item sha256, malformed feeds, --fetch from a local server."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import articles, failures

from anigraph.ingest import IngestFailure


def test_rss_items(formats: Path, read) -> None:
    path = formats / "season-news.rss"
    items = read([path])
    got = articles(items)
    assert [a.headline for a in got] == [
        "Bocchi the Rock! anime starts in October",
        "Dandadan gets an October premiere and an opening song by Creepy Nuts",
        "Frieren: Beyond Journey's End opens with a two-hour special",
    ]
    bocchi, dandadan, frieren = got
    # the item's title is its first line (a headline fact can cite it), then a blank line, then the body
    assert bocchi.text.startswith("Bocchi the Rock! anime starts in October\n\nCloverWorks will premiere")
    assert bocchi.text.split("\n")[3:6] == [
        "Director: Keiichiro Saito",
        "Series Composition: Erika Yoshida",
        "Animation Production: CloverWorks",
    ]
    assert "<p>" not in bocchi.text and "<em>" not in bocchi.text
    assert bocchi.author == "Haru Sato"
    assert bocchi.categories == ["TV anime", "Music"]
    assert bocchi.published == "2022-08-15"
    assert bocchi.language == "en"
    # content:encoded (the full text) wins over the shorter description
    assert "Director: Fuga Yamashiro" in dandadan.text.split("\n")
    assert dandadan.source.url == "https://feeds.example.org/news/dandadan-opening"
    assert "Music: Evan Call" in frieren.text.split("\n")
    assert frieren.published == "2023-09-29"
    assert all(a.source.format == "feed" and a.source.path == str(path) for a in got)
    assert len({a.source.sha256 for a in got}) == 3
    assert failures(items) == [
        IngestFailure(
            f"{path} item 4 (https://feeds.example.org/news/link-only)",
            "feed item has no text (pass --fetch to download its link)",
        )
    ]


def test_atom_entries(formats: Path, read) -> None:
    edgerunners, spy = read([formats / "studio-updates.atom"])
    assert not isinstance(edgerunners, IngestFailure) and not isinstance(spy, IngestFailure)
    assert edgerunners.headline == "Cyberpunk: Edgerunners arrives on Netflix"
    assert edgerunners.author == "Rei Tanaka"
    assert edgerunners.published == "2022-09-13"  # <published>, not <updated>
    assert edgerunners.text.split("\n")[3:] == [
        "Director: Hiroyuki Imaishi",
        "Character Design: Yoh Yoshinari",
        "Music: Akira Yamaoka",
    ]
    # a type="text" entry keeps its own line breaks
    assert spy.text.split("\n")[4] == 'Official Hige Dandism perform the opening theme "Mixed Nuts".'
    assert spy.source.url == "https://atom.example.org/spy-family"


def test_item_sha256_is_stable_and_per_item(formats: Path, tmp_path: Path, read) -> None:
    first = [a.source.sha256 for a in articles(read([formats / "season-news.rss"]))]
    # the same items in a re-serialised feed (different whitespace, another channel title) keep their sha
    text = (formats / "season-news.rss").read_text(encoding="utf-8")
    copy = tmp_path / "copy.rss"
    copy.write_text(text.replace("<title>Cel Shading Weekly</title>", "<title>Renamed</title>\n\n"))
    assert [a.source.sha256 for a in articles(read([copy]))] == first
    # editing one item changes only that item's sha
    edited = tmp_path / "edited.rss"
    edited.write_text(text.replace("Music: Evan Call", "Music: Evan Call (composer)"))
    second = [a.source.sha256 for a in articles(read([edited]))]
    assert second[:2] == first[:2] and second[2] != first[2]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "malformed feed (<unknown>:3:41: not well-formed (invalid token))"),
        (b'<rss version="2.0"><channel><title>Quiet week</title></channel></rss>', "feed has no items"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title></feed>', "feed has no items"),
    ],
    ids=["malformed", "rss-no-items", "atom-no-entries"],
)
def test_feeds_without_items_fail(
    formats: Path, tmp_path: Path, read, data: bytes | None, reason: str
) -> None:
    path = tmp_path / "feed.rss"
    if data is None:
        shutil.copy(formats / "broken-feed.rss", path)
    else:
        path.write_bytes(data)
    assert read([path]) == [IngestFailure(str(path), reason)]


def test_feed_detected_by_content(formats: Path, tmp_path: Path, read) -> None:
    path = tmp_path / "feed.xml"
    shutil.copy(formats / "studio-updates.atom", path)
    assert len(articles(read([path]))) == 2
    other = tmp_path / "config.xml"
    other.write_text('<?xml version="1.0"?><settings><theme>dark</theme></settings>')
    assert read([other]) == [
        IngestFailure(str(other), "XML file that is neither an RSS/Atom feed nor an HTML page")
    ]


# --- --fetch, against a server on 127.0.0.1 that this test starts ---------------------------------

PAGE = (
    b"<html><head><meta charset='utf-8'><title>Full story</title>"
    b"<meta property='article:published_time' content='2022-08-16'></head><body><article>"
    b"<h1>Bocchi the Rock! full story</h1>"
    b"<p>CloverWorks animates the TV anime of Aki Hamaji's manga, which premieres on October 9, 2022.</p>"
    b"<p>Director: Keiichiro Saito<br>Character Design: Kerorira</p></article></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1)
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        body = PAGE if self.path != "/big" else b"<html><body><p>" + b"word " * 5000 + b"</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _feed(tmp_path: Path, links: list[str]) -> Path:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link><description>Short summary {i} of the news."
        f"</description></item>"
        for i, link in enumerate(links, start=1)
    )
    path = tmp_path / "remote.rss"
    path.write_text(f'<rss version="2.0"><channel><title>Remote</title>{items}</channel></rss>')
    return path


def test_fetch_downloads_item_links(
    server: str, tmp_path: Path, read, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANIGRAPH_FETCH_ALLOW", "127.0.0.1")  # the test server is on loopback
    feed = _feed(tmp_path, [f"{server}/bocchi", f"{server}/missing", f"{server}/slow", f"{server}/big"])
    items = read([feed], fetch=True, fetch_timeout=0.3, max_bytes=20_000)
    first = items[0]
    assert not isinstance(first, IngestFailure)
    assert "Director: Keiichiro Saito" in first.text.split("\n")
    assert first.source.url == f"{server}/bocchi"
    assert first.source.format == "html"
    assert first.published == "2022-08-16"
    assert first.headline == "Bocchi the Rock! full story"
    assert items[1:] == [
        IngestFailure(f"{feed} item 2 ({server}/missing)", "HTTP 404 Not Found"),
        IngestFailure(f"{feed} item 3 ({server}/slow)", "fetch timed out after 0.3 s"),
        IngestFailure(f"{feed} item 4 ({server}/big)", "too large (24.4 KB > 19.5 KB limit)"),
    ]


def test_without_fetch_nothing_is_downloaded(server: str, tmp_path: Path, read) -> None:
    feed = _feed(tmp_path, [f"{server}/bocchi"])
    [article] = read([feed])
    assert not isinstance(article, IngestFailure)
    assert article.text == "Item 1\n\nShort summary 1 of the news."
    assert article.source.format == "feed"


def test_fetch_a_page_url_given_as_a_source(server: str, read, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANIGRAPH_FETCH_ALLOW", "127.0.0.1")  # the test server is on loopback
    [article] = read([f"{server}/bocchi"], fetch=True)
    assert not isinstance(article, IngestFailure)
    assert article.source.url == f"{server}/bocchi"
    assert "Character Design: Kerorira" in article.text


def test_only_http_links_are_fetched(tmp_path: Path, read) -> None:
    feed = _feed(tmp_path, ["ftp://example.org/news.html"])
    [failure] = read([feed], fetch=True)
    assert failure == IngestFailure(
        f"{feed} item 1 (ftp://example.org/news.html)", "only http and https links are fetched, not 'ftp'"
    )


M2 = "Studio M2 made it."


@pytest.mark.parametrize(
    ("title", "body", "text"),
    [
        ("Pluto streams in October", f"<p>{M2}</p>", f"Pluto streams in October\n\n{M2}"),
        ("Pluto  streams\n in October", M2, f"Pluto streams in October\n\n{M2}"),
        ("Pluto streams", "<p>Pluto streams on Netflix.</p>", "Pluto streams on Netflix."),  # already first
        ("", f"<p>{M2}</p>", M2),
    ],
)
def test_item_title_leads_the_text_once(tmp_path: Path, read, title: str, body: str, text: str) -> None:
    path = tmp_path / "one.rss"
    path.write_text(
        f'<rss version="2.0"><channel><title>x</title><item><title>{title}</title>'
        f"<description><![CDATA[{body}]]></description></item></channel></rss>"
    )
    [article] = read([path])
    assert not isinstance(article, IngestFailure)
    assert article.text == text
    assert article.headline == (" ".join(title.split()) or None)
