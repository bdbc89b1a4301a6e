"""HTML pages: main text via trafilatura, metadata from JSON-LD/OpenGraph, charsets, broken pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]
import pytest
from ingest_helpers import articles

from anigraph.ingest import IngestFailure
from anigraph.ingest.html import byline_of, unwrap_time_elements
from anigraph.models import sha256_bytes, sha256_text


def test_page_text_and_metadata(formats: Path, read) -> None:
    path = formats / "chainsaw-man-staff.html"
    [article] = read([path])
    assert not isinstance(article, IngestFailure)
    text = article.text
    # the credit list stays one credit per line
    for line in (
        "Director: Ryu Nakayama",
        "Series Composition: Hiroshi Seko",
        "Character Design: Kazutaka Sugiyama",
        "Music: Kensuke Ushio",
        "Animation Production: MAPPA",
    ):
        assert line in text.split("\n"), line
    # boilerplate is not article text
    for noise in ("Privacy policy", "Reviews", "Reader42", "window.analytics", "font-family"):
        assert noise not in text
    assert article.headline == "MAPPA names the staff behind the Chainsaw Man TV anime"
    assert article.author == "Mina Okabe"
    assert article.published == "2022-06-27"  # the date as the page states it (+09:00), not UTC
    assert article.categories == ["TV anime"]
    assert article.language == "en"
    source = article.source
    assert source.format == "html"
    assert source.sha256 == sha256_bytes(path.read_bytes())
    assert source.url == "https://news.example.org/2022/06/chainsaw-man-staff"  # canonical beats og:url
    assert (source.title, source.published, source.path) == (article.headline, "2022-06-27", str(path))
    assert article.text_sha256 == sha256_text(text)


def test_nothing_is_prepended_to_the_page_text(formats: Path, read) -> None:
    [article] = read([formats / "chainsaw-man-staff.html"])
    assert not isinstance(article, IngestFailure)
    # the page's own <h1> is page text; the <title> with its site suffix is not
    assert article.text.startswith("MAPPA names the staff behind the Chainsaw Man TV anime\nStudio MAPPA")
    assert "Sakuga Desk" not in article.text


def test_declared_charset_is_honoured(formats: Path, read) -> None:
    [article] = read([formats / "pokemon-horizons-latin1.html"])
    assert not isinstance(article, IngestFailure)
    assert "Pokémon Horizons: The Series, will premiere on TV Tokyo on April 14, 2023" in article.text
    assert "café" in article.text
    assert article.headline == "Pokémon Horizons: The Series sets its premiere"
    assert article.published == "2023-02-17"


PAGE = (
    "<html><head>{meta}<title>t</title></head><body><article><h1>Horizons</h1>"
    "<p>{body} The series follows two new protagonists, Liko and Roy, and their partner Pokémon.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    ("meta", "encoding", "reason"),
    [
        (
            "",
            "cp1252",
            "HTML is not UTF-8 and declares no charset (invalid byte 0xe9 at offset {offset})",
        ),
        ('<meta charset="klingon-8">', "utf-8", "HTML declares an unknown charset 'klingon-8'"),
        (
            '<meta charset="utf-8">',
            "cp1252",
            "HTML is not valid utf-8 as declared (byte 0xe9 at offset {offset})",
        ),
    ],
    ids=["undeclared-latin1", "unknown-charset", "wrong-declaration"],
)
def test_undecodable_pages(tmp_path: Path, read, meta: str, encoding: str, reason: str) -> None:
    path = tmp_path / "page.html"
    data = PAGE.format(meta=meta, body="Pokémon Horizons premiered on TV Tokyo.").encode(encoding)
    path.write_bytes(data)
    assert read([path]) == [IngestFailure(str(path), reason.format(offset=data.find(b"\xe9")))]


def test_utf8_page_without_declaration_and_declared_japanese_encodings(tmp_path: Path, read) -> None:
    plain = tmp_path / "plain.html"
    plain.write_bytes(PAGE.format(meta="", body="ポケットモンスター premiered on TV Tokyo.").encode())
    sjis = tmp_path / "sjis.html"
    sjis.write_bytes(
        PAGE.format(
            meta='<meta charset="Shift_JIS">', body="ポケットモンスター premiered on TV Tokyo."
        ).encode("shift_jis", errors="replace")
    )
    xhtml = tmp_path / "page.xhtml"
    xhtml.write_bytes(
        b'<?xml version="1.0" encoding="EUC-JP"?>\n'
        + PAGE.format(meta="", body="ポケットモンスター premiered on TV Tokyo.").encode("euc_jp")
    )
    got = articles(read([plain, sjis, xhtml]))
    assert len(got) == 3
    for article in got:
        assert "ポケットモンスター premiered on TV Tokyo." in article.text


@pytest.mark.parametrize(
    ("name", "reason_start"),
    [
        ("no-text.html", "no article text found in the HTML (only 1 word(s) outside menus: 'Home')"),
    ],
)
def test_page_without_article_text(formats: Path, read, name: str, reason_start: str) -> None:
    [failure] = read([formats / name])
    assert isinstance(failure, IngestFailure)
    assert failure.source == str(formats / name)
    assert failure.reason.startswith(reason_start)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body></body></html>", "no article text found in the HTML (trafilatura extracted nothing)"),
        (b"<html>\x00\x00<body>", "binary file (NUL byte at offset 6), not an article"),
        (b"", "empty file"),
    ],
    ids=["blank", "binary", "empty"],
)
def test_broken_pages(tmp_path: Path, read, data: bytes, reason: str) -> None:
    path = tmp_path / "broken.html"
    path.write_bytes(data)
    assert read([path]) == [IngestFailure(str(path), reason)]


def test_html_detected_by_content_without_extension(formats: Path, tmp_path: Path, read) -> None:
    path = tmp_path / "saved-page"
    shutil.copy(formats / "chainsaw-man-staff.html", path)
    [article] = read([path])
    assert not isinstance(article, IngestFailure)
    assert article.source.format == "html"
    assert "Director: Ryu Nakayama" in article.text


BYLINE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Pluto anime dated | Example News</title>
<meta name="author" content="Rei Tanaka">
<meta property="article:published_time" content="2023-08-01T09:00:00+09:00">
<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Rei Tanaka"}}</script>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>
<h1>Pluto anime dated</h1>
<div class="meta">by <a rel="author" href="/staff/rt">Rei Tanaka</a>
 &middot; <time datetime="2023-08-01">Aug 1, 2023</time> &middot; <a href="#c">12 comments</a></div>
<p>Netflix will stream the Pluto anime worldwide from October 26, 2023. Studio M2 animates the eight
episodes based on Naoki Urasawa's manga, and Toshio Kawaguchi directs the series.</p>
<p>The series adapts the manga in eight episodes of about one hour each, the streaming service said.</p>
</article></body></html>"""


def test_the_pages_byline_is_put_back_under_the_headline(tmp_path: Path, read) -> None:
    """trafilatura drops the byline; the page shows it, so its line is kept to cite author and date."""
    page = tmp_path / "pluto.html"
    page.write_text(BYLINE_PAGE, encoding="utf-8")
    [article] = read([page])
    assert not isinstance(article, IngestFailure)
    lines = article.text.split("\n")
    assert lines[:2] == ["Pluto anime dated", "by Rei Tanaka · Aug 1, 2023 · 12 comments"]
    assert article.author == "Rei Tanaka" and article.published == "2023-08-01"


def test_definition_lists_keep_each_pair_on_one_line(tmp_path: Path, read) -> None:
    page = tmp_path / "bocchi.html"
    page.write_text(
        "<html><body><article><h1>Bocchi the Rock! gets two recap films</h1>"
        "<p>Aniplex will release two compilation films of the TV anime in 2024, with new footage and "
        "songs, and the four members of the band return for them.</p><p>The band is voiced by:</p><dl>"
        "<dt>Hitori Gotoh</dt><dd>Yoshino Aoyama</dd><dt>Nijika Ijichi:</dt><dd>Sayumi Suzushiro</dd>"
        "<dt>Music</dt><dd>Kessoku Band</dd><dd>Ryo Yamada</dd></dl></article></body></html>",
        encoding="utf-8",
    )
    [article] = read([page])
    assert not isinstance(article, IngestFailure)
    lines = [ln.lstrip("- ") for ln in article.text.split("\n")]
    for pair in (
        "Hitori Gotoh: Yoshino Aoyama",
        "Nijika Ijichi: Sayumi Suzushiro",
        "Music: Kessoku Band, Ryo Yamada",
    ):
        assert pair in lines, (pair, lines)


def test_time_elements_are_unwrapped_before_trafilatura() -> None:
    """trafilatura drops <time> with its text; unwrapped, "Published May 25, 2024" survives."""
    html = '<div class="byline">By A | Published <time datetime="2024-05-25">May 25, 2024</time> | B</div>'
    assert unwrap_time_elements(html) == '<div class="byline">By A | Published May 25, 2024 | B</div>'
    assert unwrap_time_elements("<TIME>x</TIME><timeline>y</timeline>") == "x<timeline>y</timeline>"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            '<div class="m">by <a href="/rt">Rei Tanaka</a> · <time>Aug 1, 2023</time></div>',
            "by Rei Tanaka · Aug 1, 2023",
        ),
        (
            '<p class="m"><span>Posted</span> by Rei Tanaka on Aug 1, 2023</p>',
            "Posted by Rei Tanaka on Aug 1, 2023",
        ),
        ("<p>Rei Tanaka</p>", None),  # the name alone says nothing more
        ("<script>var author = 'Rei Tanaka, 2023';</script>", None),  # not shown on the page
    ],
)
def test_byline_of_takes_the_nearest_block_that_says_more(body: str, line: str | None) -> None:
    page = f"<html><body><article>{body}<p>{'text ' * 60}</p></article></body></html>"
    tree = lxml.html.document_fromstring(page)
    assert byline_of(tree, ["Rei Tanaka"]) == line


def test_json_ld_nested_too_deeply_is_skipped_and_the_article_kept(tmp_path: Path, read) -> None:
    deep = "[" * 5000 + "]" * 5000
    page = (
        "<html><head><title>Velvet Orbit Sets April Premiere</title>"
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "about": {deep}}}</script></head>'
        "<body><article><h1>Velvet Orbit Sets April Premiere</h1>"
        "<p>The Velvet Orbit television anime will premiere on TV Tokyo in April 2027, the studio said.</p>"
        "<p>Rin Aoba directs the series at Studio Lumen, and Kaito Senba composes the music.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    [article] = read([path])
    assert not isinstance(article, IngestFailure)
    assert "premiere on TV Tokyo" in article.text
