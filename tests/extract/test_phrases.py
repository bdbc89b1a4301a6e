"""The gazetteer lookup: spaCy PhraseMatcher over the shared tokenizer's Doc (``ArticleDoc.phrases``)."""

from __future__ import annotations

import pytest

from anigraph.extract import Extractor
from anigraph.extract.document import ArticleDoc
from anigraph.extract.resources import Resources, make_nlp
from anigraph.models import Article, Source


def _adoc(text: str) -> ArticleDoc:
    article = Article(text=text, source=Source(sha256="0", path="t.txt"))
    return ArticleDoc(article=article, doc=None, segments=[])


def _names(adoc: ArticleDoc, label: str) -> list[str]:
    return [name for _s, _e, name in adoc.phrases(label)]


@pytest.mark.parametrize(
    ("text", "label", "names"),
    [
        ("The show airs on Tokyo MX and BS11 from April.", "broadcaster", ["Tokyo MX", "BS11"]),
        ("It will stream on Crunchyroll and Netflix.", "streaming", ["Crunchyroll", "Netflix"]),
        ("Simulcast on Disney+ starts Friday.", "streaming", ["Disney+"]),
        ("The series premieres on AT-X.", "broadcaster", ["AT-X"]),  # a final period is split off
        ("Crunchyroll-exclusive episodes and HIDIVE's dub.", "streaming", ["Crunchyroll", "HIDIVE"]),
        ("Netflix/Hulu both carry it.", "streaming", ["Netflix", "Hulu"]),
        ("tokyo mx is lowercase here, so it is not the channel.", "broadcaster", []),
        ("The anime is animated at MAPPA and bones.", "studio", ["MAPPA", "bones"]),  # studios ignore case
        ("It was produced at Production I.G.", "studio", ["Production I.G"]),
        ("Nothing to see in this sentence.", "studio", []),
    ],
)
def test_phrases(text: str, label: str, names: list[str]) -> None:
    untokenized = _adoc(text)
    assert _names(untokenized, label) == names  # the character trie
    assert untokenized.doc is None
    adoc = _adoc(text)
    adoc.tokens()
    assert _names(adoc, label) == names  # the PhraseMatcher
    assert adoc.gazetteer_hits is not None
    for s, e, name in adoc.phrases(label):
        assert text[s:e] == name  # char offsets into the article text


def test_phrases_in_range_and_same_as_trie() -> None:
    text = "Netflix has it. Later it moves to Hulu."
    adoc = _adoc(text)
    adoc.tokens()
    second = text.index("Later")
    assert [n for *_, n in adoc.phrases("streaming", second, len(text))] == ["Hulu"]
    res = Resources.load()
    assert adoc.phrases("streaming") == res.streaming.find(text)


def test_longest_phrase_wins() -> None:
    adoc = _adoc("Catch it on BS TV Tokyo tonight.")
    adoc.tokens()
    assert _names(adoc, "broadcaster") == ["BS TV Tokyo"]


def test_lookup_labels() -> None:
    text = "Tokyo MX, Netflix and Studio Bind."
    hits = Resources.load().lookup().find(make_nlp().make_doc(text), text)
    assert {label: [h[2] for h in found] for label, found in hits.items()} == {
        "broadcaster": ["Tokyo MX"],
        "streaming": ["Netflix"],
        "studio": ["Studio Bind"],
    }


def test_tokenizer_keeps_offsets() -> None:
    text = "Studio・Name / A.B.C. Inc. and AT-X."
    doc = make_nlp().make_doc(text)
    assert doc.text == text
    assert [t.text for t in doc][-2:] == ["X", "."]


def test_pipe_uses_matcher() -> None:
    extractor = Extractor.load()
    text = "Anime Title will premiere on Tokyo MX on April 5, 2026. Crunchyroll will stream the anime."
    source = Source(sha256="0", path="x.txt")
    art = Article(text=text, source=source, headline="Anime Title premieres in April")
    (piped,) = list(extractor.pipe([art]))
    single = Extractor.load().extract(art)  # no Doc: the character tries
    assert piped.facts == single.facts
    preds = {(f.predicate, f.object) for f in piped.facts}
    assert ("broadcaster", "Tokyo MX") in preds
    assert ("streaming", "Crunchyroll") in preds
