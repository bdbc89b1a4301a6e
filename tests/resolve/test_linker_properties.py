"""Properties of the linker over generated titles: its own titles link back; added seasons are NIL."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from anigraph.resolve import Candidate, Linker

WORD = st.text(alphabet="abcdefghijklmnoprstuwyz", min_size=3, max_size=9)
TITLE = st.lists(WORD, min_size=2, max_size=4).map(lambda ws: " ".join(w.capitalize() for w in ws))
BASE = [
    Candidate(1, "work", "Hoshi no Kagami"),
    Candidate(2, "work", "Tsuki no Michi Season 2"),
]


@settings(max_examples=60, deadline=None)
@given(title=TITLE)
def test_exact_title_links_back(title: str) -> None:
    linker = Linker([*BASE, Candidate(99, "work", title)])
    res = linker.link(title, kind="work")
    assert res.match is not None and res.match.entity_id == 99
    assert res.match.score >= 0.99


@settings(max_examples=60, deadline=None)
@given(title=TITLE, season=st.integers(min_value=2, max_value=12))
def test_unknown_season_is_nil(title: str, season: int) -> None:
    linker = Linker([*BASE, Candidate(99, "work", title)])
    assert linker.link(f"{title} Season {season}", kind="work").match is None
