"""The relevance filter: keeps pages about anime, drops the rest (near misses included), on word
boundaries, with names as written, and catalog titles when a catalog is imported."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from bulk_helpers import archive

from anigraph.bulk.relevance import RelevanceFilter, html_words

LABELLED = Path(__file__).resolve().parents[2] / "fixtures" / "relevance" / "labelled.jsonl"


@pytest.fixture(scope="module")
def relevance() -> RelevanceFilter:
    return RelevanceFilter.load()


def precision_recall(verdicts: list[tuple[bool, bool]]) -> tuple[float, float]:
    """(precision, recall) of (kept, is anime) pairs."""
    tp = sum(k and a for k, a in verdicts)
    kept, anime = sum(k for k, _ in verdicts), sum(a for _, a in verdicts)
    return tp / max(kept, 1), tp / max(anime, 1)


def test_hand_written_pages_near_misses_included(relevance: RelevanceFilter) -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()[1:]]
    assert sum(r["anime"] for r in rows) >= 10 and sum(not r["anime"] for r in rows) >= 10
    verdicts = [(relevance.judge(f"{r['title']}\n{r['text']}").keep, r["anime"]) for r in rows]
    precision, recall = precision_recall(verdicts)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_generated_html_pages(relevance: RelevanceFilter) -> None:
    pages = archive.pages(400, anime_share=0.2, seed=3)
    verdicts = [(relevance.keep_html(archive.html(p)), p.anime) for p in pages]
    precision, recall = precision_recall(verdicts)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    assert relevance.counts.pages >= 400 and relevance.counts.kept == sum(k for k, _ in verdicts)


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("The new anime from the studio premieres in April.", True),
        ("Nova Scotia's ferry season opens; the persona of the novel is over the top.", False),  # ova, ona
        ("The OVA ships with the manga's last volume.", True),
        ("The reanimated fossils of Animeworld Bay, the mangarine grove and the ovation.", False),
        ("Sunrise over the bay: the trigger for the bones of the story.", False),  # studios as words
    ],
)
def test_terms_match_whole_words(relevance: RelevanceFilter, text: str, keep: bool) -> None:
    assert relevance.judge(text).keep is keep


def test_scripts_and_tags_do_not_count() -> None:
    script = b"<script>var anime='manga seiyuu';</script><style>.anime{}</style>"
    page = b"<html>" + script + b"<p>Rain in Marlow.</p></html>"
    assert b"anime" not in html_words(page) and b"Rain in Marlow" in html_words(page)
    assert not RelevanceFilter.load().keep_html(page)


def test_catalog_titles_count_when_the_store_has_a_catalog() -> None:
    text = "Lanterns of Osu returns this season with a new trailer and the original cast."
    assert not RelevanceFilter.load().judge(text).keep
    with_catalog = RelevanceFilter.load(catalog_titles=["Lanterns of Osu", "Osu"])
    assert with_catalog.judge(text).keep
    assert "Osu" not in with_catalog.names  # one-word titles are everyday words too often


def test_pickled_filter_judges_the_same(relevance: RelevanceFilter) -> None:
    copy = pickle.loads(pickle.dumps(relevance))
    text = "The TV anime's opening theme is sung by the cast."
    assert copy.fingerprint == relevance.fingerprint and copy.judge(text) == relevance.judge(text)
    assert RelevanceFilter.load(catalog_titles=["Two Words"]).fingerprint != relevance.fingerprint
