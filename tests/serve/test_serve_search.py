"""The search index on its own: typos, prefixes, main titles, word order, duplicates."""

from __future__ import annotations

import pytest

from anigraph.serve.search import SearchIndex, short_titles
from anigraph.store.readapi import EntityRef, SearchEntry

ENTRIES = [
    ("work", "Frieren: Beyond Journey's End", ("Sousou no Frieren",)),
    ("character", "Frieren", ()),
    ("character", "Frieren", ()),  # a second entity with the same name
    ("work", "Metallic Rouge", ("Metallic Rogue",)),
    ("work", "Jujutsu Kaisen", ()),
    ("work", "Jujutsu Kaisen 0", ()),
    ("work", "Jujutsu Kaisen Season 2: Shibuya Incident", ()),
    ("person", "Motonobu Hori", ()),
    ("organization", "Bones", ()),
    ("work", "Blue Lock", ()),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    entries = [
        SearchEntry(i, EntityRef(f"e{i}", name, kind), (name, *aliases))
        for i, (kind, name, aliases) in enumerate(ENTRIES)
    ]
    return SearchIndex(entries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("frieren", "Frieren: Beyond Journey's End"),  # the main title before the subtitle
        ("sousou no frieren", "Frieren: Beyond Journey's End"),  # an alias
        ("metallic rogue", "Metallic Rouge"),
        ("metalic rouge", "Metallic Rouge"),  # a typo
        ("metall", "Metallic Rouge"),  # typed so far
        ("metalic", "Metallic Rouge"),  # typed so far, with a typo
        ("jujutsu", "Jujutsu Kaisen"),  # the shortest of equal prefixes
        ("Hori Motonobu", "Motonobu Hori"),  # family name first
        ("BONES", "Bones"),
        ("blue  lock!", "Blue Lock"),
        ("rouge", "Metallic Rouge"),  # one word of a title
        ("roug", "Metallic Rouge"),  # the start of a word of a title
        ("shibuya incident", "Jujutsu Kaisen Season 2: Shibuya Incident"),
    ],
)
def test_best_hit(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.search(query)
    assert hits, f"nothing for {query!r}"
    assert hits[0].ref.name == expected, [(h.ref.name, h.score) for h in hits]
    assert all(0 < h.score <= 1 for h in hits)


def test_same_named_entities_are_listed_once(index: SearchIndex) -> None:
    names = [(h.ref.kind, h.ref.name) for h in index.search("frieren")]
    assert names.count(("character", "Frieren")) == 1


@pytest.mark.parametrize("query", ["", "   ", "zzqx wvvk", "!!"])
def test_nothing_for_noise(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_kind_filter_and_limit(index: SearchIndex) -> None:
    assert [h.ref.kind for h in index.search("frieren", kind="character")] == ["character"]
    assert len(index.search("jujutsu kaisen", limit=2)) == 2


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Frieren: Beyond Journey's End"], ["Frieren"]),
        (["Free! - Iwatobi Swim Club"], ["Free!"]),
        (["Re:ZERO"], []),  # too short to be a title of its own
        (["Blue Lock"], []),
    ],
)
def test_short_titles(names: list[str], expected: list[str]) -> None:
    assert short_titles(names) == expected
