"""Misspelt sequel markers: "Seaso 2" links to season 2, never to another season, and an unknown
season stays NIL however its marker is spelt."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anigraph.resolve import Candidate, Linker
from anigraph.resolve.respell import respell_markers
from anigraph.resolve.variants import parse_title


def work(eid: int, name: str, *aliases: str) -> Candidate:
    return Candidate(eid, "work", name, aliases=[(a, "anidb") for a in aliases], slug=f"w{eid}")


@pytest.fixture(scope="module")
def linker() -> Linker:
    lk = Linker(
        [
            work(1, "Kitsune Bakery"),
            work(2, "Kitsune Bakery Season 2"),
            work(3, "Kitsune Bakery 3rd Season"),
            work(4, "Kitsune Bakery Season 3 Part 2"),
            work(5, "Kitsune Bakery: The Movie"),
            work(6, "Kitsune Bakery Specials"),
            work(7, "Harbor Lanterns"),
            work(8, "Harbor Lanterns: Ni no Shou", "Harbor Lanterns Season 2"),
            work(9, "Harbor Lanterns: San no Shou", "Harbor Lanterns Season 3"),
            work(10, "Velvet Orbit 1st Anniversary Special"),
            work(11, "Velvet Orbit: The Final Season"),
            work(12, "Velvet Orbit"),
            work(13, "Paper Comet Stage 2"),
            work(14, "Paper Comet"),
        ]
    )
    lk.build()
    return lk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kitsune Bakery Seaso 2", 2),  # deletion
        ("Kitsune Bakery Suason 3", 3),  # substitution
        ("Kitsune Bakery Saeson 3", 3),  # transposition
        ("Kitsune Bakery Sesaon 2", 2),  # transposition
        ("Kitsune Bakery Searson 2", 2),  # insertion
        ("Kitsune Bakery 3rd Seasn", 3),  # an ordinal before the marker
        ("Kitsune Bakery Thrid Season", 3),  # a misspelt ordinal word
        ("Kitsune Bakery Season 3 Pnrt 2", 4),
        ("Kitsune Bakery Seaosn 3 Part 2", 4),
        ("Kitsune Bakery: The Mvoie", 5),
        ("Kitsune Bakery Specails", 6),
        ("Harbor Lanterns: Sanno Shou", 9),  # a space dropped inside the marker
        ("Harbor Lanterns: San no Shuo", 9),
        ("Harbor Lanterns: Ni no Sohu", 8),
        ("Velvet Orbit 1th Anniversary Special", 10),  # an ordinal slip
        ("Velvet Orbit: The Fianl Season", 11),
        ("Velvet Orbit: The FinalSeason", 11),
        ("Paper Comet Satge 2", 13),
    ],
)
def test_misspelt_marker_links_to_its_season(linker: Linker, query: str, expected: int) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == expected, res
    if "Sanno" not in query and "FinalSeason" not in query:  # spacing alone costs nothing
        assert res.match.score < 0.99  # a typo costs what an edit costs


def test_the_reason_names_the_marker(linker: Linker) -> None:
    res = linker.link("Kitsune Bakery Seaso 2", kind="work")
    assert res.match is not None
    assert "sequel marker misspelt ('Seaso' for 'season')" in res.match.why


@pytest.mark.parametrize(
    "query",
    [
        "Kitsune Bakery Seaso 5",  # a season the catalog lacks
        "Kitsune Bakery Suason 4",
        "Kitsune Bakery 4th Seasn",
        "Kitsune Bakery Season 3 Pnrt 3",
        "Kitsune Bakery Seaosn 2 Part 2",
        "Harbor Lanterns: Yon no Shuo",
        "Harbor Lanterns Sesaon 4",
        "Velvet Orbit 2th Anniversary Special",  # the slip is read as 2nd: another anniversary
        "Paper Comet Satge 3",
        "Moonlit Garage Seaso 2",  # an unknown show
        "Moonlit Garage Mvoie",
    ],
)
def test_misspelt_marker_with_another_number_is_nil(linker: Linker, query: str) -> None:
    assert linker.link(query, kind="work").match is None


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("Seaso 2", "season 2"),
        ("2nd Seasn", "2nd season"),
        ("Pnrt 2", "part 2"),
        ("The Mvoie", "The movie"),
        ("Flim 15", "film 15"),
        ("San no Shuo", "San no shou"),
        ("1th Anniversary", "1st Anniversary"),
        ("12st Stop", "12th Stop"),
        ("Secnod Season", "second Season"),
        ("Speciasl", "specials"),  # one edit from "special" and "specials": the one of its length
        ("Short Movies Saeson 2", "Short Movies season 2"),  # "Movies" is another word, not a typo
        ("Das Finale Pbart 5", "Das Finale part 5"),
    ],
)
def test_respelt_reading(query: str, meant: str) -> None:
    respelt = respell_markers(query)
    assert respelt is not None and respelt.text == meant and respelt.edits == 1


@pytest.mark.parametrize(
    "text",
    [
        "Kitsune Bakery",
        "Kitsune Bakery Season 2",  # spelt right: nothing to put back
        "Treason 2",  # another first letter
        "Seasonal Bakery",  # two edits away
        "Porto Pasta",  # "Part" only counts beside a number
        "Final Fantasy",
        "Filmy Days",  # "film" only at the end or before a number
        "Dai Go no Shuos",  # two edits
        "2nd Stop",
        "Night Movies",
        "Grand Finale",
        "Four Seasons 2",
    ],
)
def test_words_that_are_not_misspelt_markers(text: str) -> None:
    assert respell_markers(text) is None


@settings(max_examples=60, deadline=None)
@given(
    title=st.lists(st.text(alphabet="bcdfghjklmnprstvwz", min_size=3, max_size=8), min_size=2, max_size=3),
    typo=st.sampled_from(["Seaso", "Sesaon", "Searson", "Saeson", "Seasn"]),
    known=st.integers(min_value=2, max_value=6),
    asked=st.integers(min_value=2, max_value=12),
)
def test_a_misspelt_season_never_links_to_another_season(
    title: list[str], typo: str, known: int, asked: int
) -> None:
    name = " ".join(w.capitalize() for w in title)
    linker = Linker([work(1, name), work(2, f"{name} Season {known}")])
    res = linker.link(f"{name} {typo} {asked}", kind="work")
    got = res.match.entity_id if res.match else None
    assert got == (2 if asked == known else None), res


@pytest.mark.parametrize(
    ("title", "sig"),
    [
        ("Harbor Lanterns: San no Shou", ("season:3",)),
        ("Harbor Lanterns: Sanno Shou", ("season:3",)),
        ("Harbor Lanterns: Ichi no Shou", ()),
        ("Harbor Lanterns: Kaze no Shou", ()),  # not a numeral: part of the title
        ("Kitsune Bakery 6thSeason", ("season:6",)),
        ("Kitsune Bakery Fourteenth Season", ("season:14",)),
        ("Velvet Orbit: The FinalSeason", ("final",)),
    ],
)
def test_marker_spellings(title: str, sig: tuple[str, ...]) -> None:
    assert parse_title(title).sig == sig
