"""The real extractor feeding the store: two short articles of our own about one show."""

from __future__ import annotations

import pytest

from anigraph.extract import Extractor
from anigraph.models import Article, Source, sha256_text
from anigraph.store import Store

FIRST = (
    "Moonlit Relay anime premieres in April\n\n"
    "The television anime of Moonlit Relay will premiere on Tokyo MX in April 2025. "
    "Studio Fuji is animating the series, and Kenji Aoki is directing. Yui Hara voices Sena.\n"
)
SECOND = (
    "Moonlit Relay reveals more cast\n\n"
    "Kenji Aoki directs the Moonlit Relay anime at Studio Fuji. "
    "Ryo Tamura voices Haru in the series.\n"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def _article(text: str, published: str) -> Article:
    return Article(
        text=text, source=Source(sha256=sha256_text(text), published=published), published=published
    )


def test_extracted_articles_merge_into_one_record(store: Store, extractor: Extractor) -> None:
    first = extractor.extract(_article(FIRST, "2025-01-10"))
    second = extractor.extract(_article(SECOND, "2025-02-01"))
    assert any(f.predicate == "director" for f in first.facts), "extractor found no director"
    store.add_extraction(first)
    store.add_extraction(second)
    record = store.work_record(store.find_work("Moonlit Relay").id)
    assert record.source_count == 2
    directors = {i.value: i for group in record.staff if group.role == "director" for i in group.items}
    assert directors["Kenji Aoki"].source_count == 2
    assert {s.published for s in directors["Kenji Aoki"].sources} == {"2025-01-10", "2025-02-01"}
    actors = {i.value for i in record.cast}
    assert {"Yui Hara", "Ryo Tamura"} <= actors
    for item in record.all_items():
        for src in item.sources:
            text = FIRST if src.published == "2025-01-10" else SECOND
            assert text[src.start : src.end] == src.evidence
