"""Earlier works from learned mentions: a prior-work cue or a parenthesis ties works to a person."""

from __future__ import annotations

from anigraph.extract import Extractor
from anigraph.models import Article, Source, sha256_text
from conftest import Tagger


def known_for(
    extractor: Extractor, tagged: Tagger, text: str, tags: list[tuple[str, str]]
) -> set[tuple[str, str]]:
    article = Article(text=text, source=Source(sha256=sha256_text(text), path="t.txt"))
    result = extractor._run(article, tagged(text, tags))
    return {(f.subject, f.object) for f in result.facts if f.predicate == "known_for"}


def test_a_cue_between_person_and_works(extractor: Extractor, tagged: Tagger) -> None:
    text = (
        "Velvet Orbit is a new television anime. Rin Aoba joins to direct the series with previous work on "
        "Lantern Tide and Copper Hollow."
    )
    tags = [
        ("Velvet Orbit", "WORK"),
        ("Rin Aoba", "PERSON"),
        ("Lantern Tide", "WORK"),
        ("Copper Hollow", "WORK"),
    ]
    assert known_for(extractor, tagged, text, tags) == {
        ("Rin Aoba", "Lantern Tide"),
        ("Rin Aoba", "Copper Hollow"),
    }


def test_a_parenthesis_after_the_name(extractor: Extractor, tagged: Tagger) -> None:
    text = "Velvet Orbit is a new television anime from director Kaito Senba (Copper Hollow, Glass Harbor)."
    tags = [
        ("Velvet Orbit", "WORK"),
        ("Kaito Senba", "PERSON"),
        ("Copper Hollow", "WORK"),
        ("Glass Harbor", "WORK"),
    ]
    assert known_for(extractor, tagged, text, tags) == {
        ("Kaito Senba", "Copper Hollow"),
        ("Kaito Senba", "Glass Harbor"),
    }


def test_no_cue_no_fact_and_the_page_work_is_never_an_earlier_work(
    extractor: Extractor, tagged: Tagger
) -> None:
    text = "Velvet Orbit is a new television anime. Rin Aoba directs it, and Mei Sora adapts Copper Hollow."
    tags = [
        ("Velvet Orbit", "WORK"),
        ("Rin Aoba", "PERSON"),
        ("Mei Sora", "PERSON"),
        ("Copper Hollow", "WORK"),
    ]
    assert known_for(extractor, tagged, text, tags) == set()
