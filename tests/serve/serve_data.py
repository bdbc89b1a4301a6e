"""Articles written for these tests (our own words; facts about real shows carry over) and
hand-built extractions of them, so page tests do not depend on the extractor's progress."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from anigraph.extract import Extractor
from anigraph.ingest import IngestFailure, read_sources
from anigraph.models import Article, EntityMention, Evidence, Extraction, Fact, Source, sha256_bytes
from anigraph.store import Store

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()
SEED = SHARED / "seeds" / "metallic-rouge-trailer.txt"
TOKEN = "test-token-0123456789"

METALLIC_ROUGE = """Metallic Rouge Premieres January 11 on Fuji TV

Studio Bones marks its 25th anniversary with Metallic Rouge, an original TV anime.
Motonobu Hori directs Metallic Rouge for Bones.
Metallic Rouge premieres on January 11, 2024 on Fuji TV.
Crunchyroll streams the series outside of Asia.
The opening theme is "Rouge" by Yu-ka, and the ending theme is "Scarlet" by Dazbee.
Yume Miyamoto voices Rouge Redstar, an android girl, and Tomoyo Kurosawa voices Naomi Orthmann.
The story is set on Mars, where humans and androids live side by side.
Some early posts misspelled the title as Metallic Rogue.
"""

HOSTILE = """Night Parade <script>alert(1)</script> Gets a Studio

Studio <b>Bold</b>Works animates Night Parade <script>alert(1)</script> for a spring premiere.
"""


def _span(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    return Evidence(start, start + len(needle), needle)


def _article(text: str, *, path: str, published: str) -> Article:
    data = text.encode("utf-8")
    source = Source(sha256=sha256_bytes(data), path=path, published=published, format="text")
    return Article(text=text, source=source, headline=text.split("\n", 1)[0], published=published)


def metallic_rouge_extraction() -> Extraction:
    """Every fact of ``METALLIC_ROUGE``, each with the clause that states it."""
    t = METALLIC_ROUGE
    w = "Metallic Rouge"

    def fact(predicate: str, obj: str, evidence: str, **qualifiers: str) -> Fact:
        return Fact(w, "work", predicate, obj, _span(t, evidence), 0.95, dict(qualifiers))

    facts = [
        fact("studio", "Bones", "Studio Bones marks its 25th anniversary with Metallic Rouge"),
        fact("based_on", "original", "Metallic Rouge, an original TV anime"),
        fact("format", "tv", "Metallic Rouge, an original TV anime"),
        fact("director", "Motonobu Hori", "Motonobu Hori directs Metallic Rouge"),
        fact(
            "premiere",
            "2024-01-11",
            "Metallic Rouge premieres on January 11, 2024 on Fuji TV",
            where="Fuji TV",
        ),
        fact("broadcaster", "Fuji TV", "Metallic Rouge premieres on January 11, 2024 on Fuji TV"),
        fact(
            "streaming",
            "Crunchyroll",
            "Crunchyroll streams the series outside of Asia",
            region="outside of Asia",
        ),
        fact("opening_theme", "Rouge", 'The opening theme is "Rouge" by Yu-ka', performer="Yu-ka"),
        fact("ending_theme", "Scarlet", 'the ending theme is "Scarlet" by Dazbee', performer="Dazbee"),
        fact("cast", "Yume Miyamoto", "Yume Miyamoto voices Rouge Redstar", character="Rouge Redstar"),
        fact("cast", "Tomoyo Kurosawa", "Tomoyo Kurosawa voices Naomi Orthmann", character="Naomi Orthmann"),
        fact("character", "Rouge Redstar", "Rouge Redstar, an android girl", description="an android girl"),
        fact("character", "Naomi Orthmann", "Tomoyo Kurosawa voices Naomi Orthmann"),
        fact("setting", "Mars", "The story is set on Mars"),
        fact("alias", "Metallic Rogue", "misspelled the title as Metallic Rogue"),
    ]
    headline = t.split("\n", 1)[0]
    facts.append(Fact(headline, "article", "headline", headline, _span(t, headline), 0.99))
    return Extraction(
        article=_article(t, path="tests/metallic-rouge.txt", published="2023-12-01"),
        facts=facts,
        entities=[EntityMention(w, "work", aliases=["Metallic Rogue"])],
    )


def hostile_extraction() -> Extraction:
    """An article whose text and names carry markup that must never reach a page unescaped."""
    t = HOSTILE
    w = "Night Parade <script>alert(1)</script>"
    facts = [
        Fact(
            w,
            "work",
            "studio",
            "<b>Bold</b>Works",
            _span(t, "Studio <b>Bold</b>Works animates Night Parade <script>alert(1)</script>"),
            0.9,
        ),
        Fact(
            w,
            "work",
            "premiere",
            "2025-spring",
            _span(t, "Night Parade <script>alert(1)</script> for a spring premiere"),
            0.8,
        ),
    ]
    article = _article(t, path="tests/hostile.txt", published="2025-01-05")
    article.source.url = "javascript:alert(3)"  # a page's canonical link can say anything
    return Extraction(article=article, facts=facts)


UPCOMING_TITLE = "Harbor Lights"


def upcoming_day() -> date:
    """A premiere date that is always ahead of the day the tests run."""
    return date.today() + timedelta(days=45)


def upcoming_extraction() -> Extraction:
    """A show that premieres after today (the home page's upcoming list, the upcoming status)."""
    day = upcoming_day()
    sentence = f"{UPCOMING_TITLE} premieres on {day:%B} {day.day}, {day.year} on TV Tokyo"
    t = f"{UPCOMING_TITLE} Dated\n\n{sentence}.\n"
    evidence = _span(t, sentence)
    facts = [
        Fact(UPCOMING_TITLE, "work", "premiere", day.isoformat(), evidence, 0.9, {"where": "TV Tokyo"}),
        Fact(UPCOMING_TITLE, "work", "broadcaster", "TV Tokyo", evidence, 0.9),
    ]
    return Extraction(
        article=_article(t, path="tests/upcoming.txt", published=date.today().isoformat()), facts=facts
    )


def populate(url: str, *, extractor: Extractor) -> None:
    """Hand-built extractions of our articles, plus the seed through the real extractor when present."""
    from season_data import season_extractions  # it builds on this module's helpers

    with Store.open(url) as store:
        store.add_extraction(metallic_rouge_extraction())
        store.add_extraction(hostile_extraction())
        store.add_extraction(upcoming_extraction())
        for extraction in season_extractions():
            store.add_extraction(extraction)
        if SEED.is_file():
            for item in read_sources([str(SEED)]):
                assert isinstance(item, Article), f"cannot read the seed: {item}"
                store.add_extraction(extractor.extract(item))


def read_seed() -> Article:
    if not SEED.is_file():
        pytest.skip(f"../shared not found at {SHARED} (set ANIGRAPH_SHARED); seed tests skipped")
    items = list(read_sources([str(SEED)]))
    if not items or isinstance(items[0], IngestFailure):
        pytest.fail(f"cannot read the seed {SEED}: {items}")
    first = items[0]
    assert isinstance(first, Article)
    return first
