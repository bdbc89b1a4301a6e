"""The learned headline decision and the crawl dateline, on invented pages."""

from __future__ import annotations

import pytest

from anigraph.extract import Extractor
from anigraph.extract.pagelines import HeadlineModel, featurize, opening_lines
from anigraph.models import Article, Source, sha256_text


def make_article(text: str) -> Article:
    return Article(text=text, source=Source(sha256=sha256_text(text), path="test.txt"))


@pytest.fixture(scope="module")
def model() -> HeadlineModel:
    return HeadlineModel.load()


def test_opening_lines_cut_the_crawl_dateline() -> None:
    text = " date 2026-03-01 Lantern Tide Academy gets a spring anime\n\nThe anime airs in April.\n"
    lines = opening_lines(text)
    assert [ln.text for ln in lines] == [
        "Lantern Tide Academy gets a spring anime",
        "The anime airs in April.",
    ]
    assert text[lines[0].start : lines[0].end] == lines[0].text


def test_features_describe_layout_then_words() -> None:
    text = "Home > Anime > News\nLantern Tide Academy Anime Sets April Premiere\n\nThe anime airs in April.\n"
    lines = opening_lines(text)
    feats = featurize(lines, 1, text).split()
    assert feats[0] == "_pos1"
    assert "_afterlabel" in feats and "_endnone" in feats
    assert feats[-3:] == ["sets", "april", "premiere"]


@pytest.mark.parametrize(
    ("chrome", "headline"),
    [
        ("News", "Lantern Tide Academy Anime Reveals Cast and April Premiere"),
        ("Home > Anime > News", "Kestrel Hollow Sets January Premiere"),
        ("FOR IMMEDIATE RELEASE", "Velvet Orbit Adds Two Cast Members"),
    ],
)
def test_headline_below_site_chrome(model: HeadlineModel, chrome: str, headline: str) -> None:
    text = f"{chrome}\n{headline}\n\nThe anime will premiere on TV Tokyo in April. It adapts a manga.\n"
    chosen = model.choose(text)
    assert chosen is not None and chosen.text == headline


def test_a_page_that_opens_with_prose_has_no_headline(model: HeadlineModel) -> None:
    text = (
        "The official website for the television anime of Mira Okada's Lantern Tide Academy manga revealed "
        "on Friday the main cast, the staff, and the April premiere of the show on TV Tokyo.\n"
        "Kana Mori will direct the anime at Studio Hearth, and Joji Tani is in charge of series scripts.\n"
    )
    assert model.choose(text) is None


def test_prose_first_line_keeps_its_facts(extractor: Extractor) -> None:
    """Without a headline the first paragraph is body text: its facts are read, not lost as a headline."""
    text = (
        " date 2026-03-01 The official website for the upcoming television anime Lantern Tide Academy "
        "announced on Friday that the show will premiere on TV Tokyo on April 9.\n"
        "Lantern Tide Academy is directed by Kana Mori.\n"
    )
    result = extractor.extract(make_article(text))
    facts = {(f.subject, f.predicate, f.object) for f in result.facts}
    assert ("Lantern Tide Academy", "premiere", "2026-04-09") in facts
    assert not any(f.predicate == "headline" for f in result.facts)
    published = [f.object for f in result.facts if f.predicate == "published"]
    assert published in ([], ["2026-03-01"])


def test_a_single_line_is_body_not_headline(model: HeadlineModel) -> None:
    assert model.choose("Velvet Orbit is a new television anime from director Kaito Senba.") is None


def test_a_sentence_that_opens_a_list_starts_a_new_section(extractor: Extractor) -> None:
    """A cast list introduced by a sentence ending in ':' is not read as the staff list above it."""
    text = (
        "Velvet Orbit Returns\n\nThe Velvet Orbit anime returns in April.\n\n"
        "The remaining staff includes:\n  • Director: Rin Aoba\n  • Music: Jun Ito\n\n"
        "Much of the original voice cast is returning for the series, including:\n\n"
        "  • Mira: Sora Mei\n  • Tobi: Kaito Senba\n"
    )
    facts = {
        (f.predicate, f.object, f.qualifiers.get("character"))
        for f in extractor.extract(make_article(text)).facts
    }
    assert ("director", "Rin Aoba", None) in facts
    assert {("cast", "Sora Mei", "Mira"), ("cast", "Kaito Senba", "Tobi")} <= facts
