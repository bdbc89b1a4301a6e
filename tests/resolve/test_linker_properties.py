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


def test_pending_aliases_found_as_process_extract_finds_them() -> None:
    """Aliases added after the last build are scanned whole: the best 10 at or above 60, ties to
    the first added, exactly as ``rapidfuzz.process.extract(limit=10)`` picks them."""
    import random

    from rapidfuzz import fuzz, process

    from anigraph.resolve.linker import _Index

    rng = random.Random(7)
    names = ["kana hanazawa", "kana hanazwa", "hana kanazawa", "kanae ito", "kenji nojima", "kaito ishikawa"]
    names += ["".join(rng.choice("aeiknorst ") for _ in range(rng.randint(6, 14))) for _ in range(60)]
    index = _Index("person")
    for eid, name in enumerate(names * 3):  # repeated keys: many ties
        index.add(Candidate(eid, "person", name))
    assert index.built == 0
    for query in ["kanahanazawa", "kanaeito", "kaitoishikawa", "nojima", *rng.sample(index.a_key, 20)]:
        expected = {
            int(i)
            for _k, _s, i in process.extract(query, index.a_key, scorer=fuzz.ratio, limit=10, score_cutoff=60)
        }
        assert index.nearby(query) == expected | set(index.exact.get(query, ()))
