"""Bounded fuzzing of the whole extractor: whatever the text, no exception and every fact grounded."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anigraph.extract import Extractor
from anigraph.models import Article, Source, sha256_text

PIECES = [
    "Velvet Orbit Anime Sets April Premiere",
    " date 2026-03-01 ",
    "Director: Rin Aoba",
    "Mira: Sora Mei",
    "Kaito Senba as Tobi",
    "The anime premieres on TV Tokyo on April 9.",
    "Studio Lumen animates the series, with music by Jun Ito.",
    "(CV: Mei Sora)",
    "“Copper Hollow”",
    "known for Glass Harbor and Lantern Tide",
    "Home > Anime > News",
    "<<<<<<<<",
    "…",
    ":",
    "\t",
    "ō ū é 漢字 ﻿",
    "Season 2",
    "12 episodes",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(max_size=40)),
        min_size=1,
        max_size=25,
    ).map(lambda parts: "".join(p + ("\n" if i % 3 == 0 else " ") for i, p in enumerate(parts)))
)
def test_any_text_gives_grounded_facts(extractor: Extractor, text: str) -> None:
    article = Article(text=text, source=Source(sha256=sha256_text(text), path="fuzz.txt"))
    result = extractor.extract(article)
    for fact in result.facts:
        assert fact.subject.strip() and fact.predicate and fact.object.strip()
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
