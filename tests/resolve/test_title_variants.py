"""Sequel markers, subtitles and edit explanations."""

from __future__ import annotations

import pytest

from anigraph.names import fold
from anigraph.resolve.variants import explain_edits, max_edits, numbers, parse_title, title_head


@pytest.mark.parametrize(
    ("title", "core", "sig"),
    [
        ("Sakamoto Days", "sakamoto days", ()),
        ("Sakamoto Days Season 2", "sakamoto days", ("season:2",)),
        ("Sakamoto Days 2nd Season", "sakamoto days", ("season:2",)),
        ("Sakamoto Days Second Season", "sakamoto days", ("season:2",)),
        ("Sakamoto Days II", "sakamoto days", ("season:2",)),
        ("Sakamoto Days 2", "sakamoto days", ("season:2",)),
        ("Sakamoto Days Season 1", "sakamoto days", ()),
        ("Sakamoto Days Part 2", "sakamoto days", ("part:2",)),
        ("Sakamoto Days 2nd Cour", "sakamoto days", ("part:2",)),
        ("Sakamoto Days Season 3 Part 2", "sakamoto days", ("part:2", "season:3")),
        ("Sakamoto Days: The Movie", "sakamoto days", ("movie",)),
        ("Gekijouban Sakamoto Days", "sakamoto days", ("movie",)),
        ("Sakamoto Days the Film", "sakamoto days", ("movie",)),
        ("Sakamoto Days: The Final Season", "sakamoto days", ("final",)),
        ("Sakamoto Days R", "sakamoto days", ("r",)),
        ("Sakamoto Days R2", "sakamoto days", ("n:2", "r")),
        ("Sakamoto Days OVA", "sakamoto days", ("ova",)),
        ("サカモトデイズ 第2期", fold("サカモトデイズ"), ("season:2",)),
        ("Sakamoto Days Fourth Season", "sakamoto days", ("season:4",)),
        ("Final Fantasy VII", "final fantasy", ("season:7",)),
        ("Mob Psycho 100", "mob psycho 100", ()),
        ("Steins;Gate 0", "steins gate", ("zero",)),
    ],
)
def test_sequel_signature(title: str, core: str, sig: tuple[str, ...]) -> None:
    form = parse_title(title)
    assert (form.core, form.sig) == (core, sig)


def test_trailing_year_is_a_hint_not_the_core() -> None:
    form = parse_title("Hunter x Hunter (2011)")
    assert form.core == "hunter x hunter" and form.year == 2011 and form.sig == ()


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Re:ZERO -Starting Life in Another World-", "Re:ZERO"),
        ("Dr. STONE: SCIENCE FUTURE", "Dr. STONE"),
        ("Kusuriya no Hitorigoto ~Maomao no Koukyuu~", "Kusuriya no Hitorigoto"),
        ("Re:Zero kara Hajimeru Isekai Seikatsu", None),
        ("RahXephon", None),
    ],
)
def test_title_head(title: str, head: str | None) -> None:
    assert title_head(title) == head


def test_key_ignores_punctuation_and_spacing() -> None:
    assert parse_title("Re:Zero").key == parse_title("ReZero").key == parse_title("RE ZERO").key
    assert parse_title("The Seven Deadly Sins").key == parse_title("Seven Deadly Sins").key


@pytest.mark.parametrize(
    ("query", "alias", "why"),
    [
        ("Metallic Rogue", "Metallic Rouge", "1 transposition in 'rouge'"),
        ("RahXephone", "RahXephon", "1 edit in 'rahxephon'"),
        ("Sakamoto Dyas", "SAKAMOTO DAYS", "1 transposition in 'days'"),
    ],
)
def test_explain_edits(query: str, alias: str, why: str) -> None:
    assert explain_edits(query, alias) == why


def test_short_keys_tolerate_no_edits() -> None:
    assert max_edits(4, kind="work") == 0
    assert max_edits(9, kind="work") == 1
    assert max_edits(12, kind="work") == 2
    assert max_edits(5, kind="person") == 0


@pytest.mark.parametrize(
    ("title", "nums"),
    [
        ("Mobile Suit Gundam 0083", ("0083",)),
        ("Evangelion 3.0", ("3", "0")),
        ("Galaxy Express 2nd Stop", ("2",)),
        ("Galaxy Express Second Stop", ("2",)),
        ("Lupin III: The First", ("3", "1")),
        ("Hunter x Hunter", ()),
        ("Fate/Zero", ()),
        ("Sakamoto Days Thrid Stop", ()),
    ],
)
def test_numbers(title: str, nums: tuple[str, ...]) -> None:
    assert numbers(fold(title)) == nums


def test_misspelt_ordinal_words_count_only_when_asked() -> None:
    assert numbers("lupin iii the firts") == ("3",)
    assert numbers("lupin iii the firts", misspelt_words=True) == ("3", "1")
    assert numbers("the tent", misspelt_words=True) == ()  # short words are left alone
