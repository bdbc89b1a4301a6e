"""Numbers in names must agree: a different number is another work (or person), never a typo."""

from __future__ import annotations

import pytest

from anigraph.resolve import Candidate, Linker


def _linker(*titles: str, kind: str = "work") -> Linker:
    lk = Linker([Candidate(i, kind, t, slug=f"e{i}") for i, t in enumerate(titles, start=1)])
    lk.build()
    return lk


@pytest.mark.parametrize(
    ("known", "query"),
    [
        ("Last Knight 38", "Last Knight 43"),
        ("Mobile Suit Gundam 0080", "Mobile Suit Gundam 0083"),
        ("Evangelion 2.0", "Evangelion 3.0"),
        ("Mob Psycho 100", "Mob Psycho 101"),
        ("Galaxy Express 2nd Stop", "Galaxy Express 3rd Stop"),
        ("Lupin III: The First", "Lupin II: The First"),
        ("Kaiju Squad 12 Rising", "Kaiju Squad 21 Rising"),
        ("Kitchen Brigade!!3", "Kitchen Brigade4"),  # the alias's number is a sequel marker
    ],
)
def test_a_different_number_is_another_work(known: str, query: str) -> None:
    lk = _linker(known)
    res = lk.link(query, kind="work")
    assert res.match is None, res
    # the near miss is still shown, with the reason it was refused
    assert res.candidates and "numbers differ" in res.candidates[0].why


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Last Knight 43", 2),
        ("Last Knigth 43", 2),
        ("Last Knight 38", 1),
        ("Last Kinght 38", 1),
    ],
)
def test_the_work_with_the_same_number_still_wins(query: str, expected: int) -> None:
    lk = _linker("Last Knight 38", "Last Knight 43")
    res = lk.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == expected


def test_a_misspelt_marker_with_another_number_is_nil() -> None:
    lk = _linker("Sakamoto Days 2nd Season")
    assert lk.link("Sakamoto Days 2nd Seasqon", kind="work").match is not None
    assert lk.link("Sakamoto Days 3rd Seasqon", kind="work").match is None


@pytest.mark.parametrize(
    ("query", "matches"), [("Steel Harbor 38: Red Tide", True), ("Steel Harbor 43: Red Tide", False)]
)
def test_a_film_named_without_movie_keeps_its_number(query: str, matches: bool) -> None:
    lk = Linker([Candidate(1, "work", "Steel Harbor 38 Movie: Red Tide", fmt="movie")])
    assert (lk.link(query, kind="work").match is not None) is matches


@pytest.mark.parametrize(
    ("known", "query"),
    [
        ("Metallic Rouge", "Metallic Rogue"),
        ("RahXephon", "RahXephone"),
        ("Fate/Zero", "Fate/Zero"),
        ("Fate/Zero", "Fate Zero"),
        ("Fate/Zero", "Fate/Zeor"),
        ("Mobile Suit Gundam 0083", "Mobile Siut Gundam 0083"),
        ("Evangelion 3.0", "Evangelon 3.0"),
        ("Lupin III: The First", "Lupin III: The Firts"),  # a misspelt ordinal word is still a typo
        ("Sakamoto Days Second Season", "Sakamoto Days Secnod Season"),
        ("Kitchen Brigade!!3", "Kitchen Brigade3"),
    ],
)
def test_letter_typos_are_still_tolerated(known: str, query: str) -> None:
    res = _linker(known).link(query, kind="work")
    assert res.match is not None and res.match.entity_id == 1, res


@pytest.mark.parametrize(
    ("known", "query", "same"), [("Android 18", "Android 17", False), ("Andriod 18", "Android 18", True)]
)
def test_numbers_in_character_names(known: str, query: str, same: bool) -> None:
    res = _linker(known, kind="character").link(query, kind="character")
    assert (res.match is not None) is same, res
