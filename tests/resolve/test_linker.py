"""Every linking case: typos, transpositions, other-language titles, punctuation and subtitles,
long vowels, name order, context, NIL for new shows and for sequels, the right season."""

from __future__ import annotations

import pytest

from anigraph.resolve import Candidate, Linker


def work(eid: int, name: str, *aliases: tuple[str, str], fmt: str | None = None, **kw: object) -> Candidate:
    return Candidate(eid, "work", name, aliases=list(aliases), slug=f"w{eid}", fmt=fmt, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def linker() -> Linker:
    cands = [
        work(1, "Metallic Rouge", ("メタリックルージュ", "anilist")),
        work(2, "RahXephon", ("ラーゼフォン", "anidb")),
        work(
            3,
            "Re:Zero kara Hajimeru Isekai Seikatsu",
            ("Re:ZERO -Starting Life in Another World-", "anilist"),
            ("Re:Zero", "anidb"),
        ),
        work(
            4,
            "Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season",
            ("Re:ZERO -Starting Life in Another World- Season 2", "anilist"),
        ),
        work(
            5,
            "Sousou no Frieren",
            ("Frieren: Beyond Journey's End", "anilist"),
            ("葬送のフリーレン", "anilist"),
        ),
        work(6, "Sousou no Frieren 2nd Season", ("Frieren: Beyond Journey's End Season 2", "anilist")),
        work(7, "Kyoukai no Kanata", ("Beyond the Boundary", "mal")),
        work(8, "Sakamoto Days", ("SAKAMOTO DAYS", "anilist")),
        work(9, "Blue Lock"),
        work(10, "Oshi no Ko", ("【推しの子】", "anilist")),
        work(11, "Hunter x Hunter", context={"nippon animation"}),
        work(12, "Hunter x Hunter", context={"madhouse"}, prior=0.0),
        work(13, "Shingeki no Kyojin", ("Attack on Titan", "anidb")),
        work(14, "Shingeki no Kyojin Season 2", ("Attack on Titan Season 2", "anidb")),
        work(15, "Shingeki no Kyojin Season 3", ("Attack on Titan Season 3", "anidb")),
        work(16, "Shingeki no Kyojin Season 3 Part 2", ("Attack on Titan Season 3 Part 2", "anidb")),
        work(17, "Shingeki no Kyojin: The Final Season", ("Attack on Titan Final Season", "anidb")),
        work(18, "Kusuriya no Hitorigoto: Bouhi no Hihou", fmt="movie"),
        work(19, "Jujutsu Kaisen 0 Movie", fmt="movie"),
        work(20, "Jujutsu Kaisen"),
        work(21, "Gintama: The Movie", fmt="movie"),
    ]
    people = [
        Candidate(101, "person", "Motonobu Hori", slug="motonobu-hori"),
        Candidate(102, "person", "Yuuto Suzuki", slug="yuuto-suzuki"),
        Candidate(103, "person", "Shouji Kawamori", slug="shoji-kawamori"),
    ]
    studios = [Candidate(201, "organization", "Studio Bones", slug="bones")]
    lk = Linker([*cands, *people, *studios])
    lk.build()
    return lk


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("Metallic Rogue", 1, "1 transposition in 'rouge'"),
        ("Metalic Rouge", 1, "1 edit"),
        ("RahXephone", 2, "1 edit in 'rahxephon'"),
        ("Sakamoto Dyas", 8, "transposition"),
    ],
)
def test_typos_and_transpositions(linker: Linker, query: str, expected: int, why: str) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == expected
    assert why in res.match.why
    assert 0.8 <= res.match.score < 1.0


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("Frieren: Beyond Journey's End", 5, "from AniList"),
        ("Beyond the Boundary", 7, "from MyAnimeList"),
        ("Attack on Titan", 13, "from AniDB"),
        ("葬送のフリーレン", 5, "exact"),
    ],
)
def test_romaji_and_english_titles_via_aliases(linker: Linker, query: str, expected: int, why: str) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == expected
    assert why in res.match.why


@pytest.mark.parametrize(
    "query", ["Re:Zero", "ReZero", "Re:ZERO -Starting Life in Another World-", "RE:ZERO", "Re Zero"]
)
def test_punctuation_and_subtitles(linker: Linker, query: str) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == 3


@pytest.mark.parametrize(
    "query", ["Kyōkai no Kanata", "Kyokai no Kanata", "Kyoukai no Kanata", "Kyohkai no Kanata"]
)
def test_long_vowels_and_macrons(linker: Linker, query: str) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == 7


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("Hori Motonobu", 101, "name order swapped"),
        ("Motonobu Hori", 101, "exact"),
        ("Suzuki Yuto", 102, "name order swapped"),
        ("Shōji Kawamori", 103, "same after folding"),
        ("Motonobu Hory", 101, "1 edit"),
    ],
)
def test_person_names(linker: Linker, query: str, expected: int, why: str) -> None:
    res = linker.link(query, kind="person")
    assert res.match is not None and res.match.entity_id == expected
    assert why in res.match.why


def test_studio_names_ignore_studio_prefix(linker: Linker) -> None:
    res = linker.link("Bones", kind="organization")
    assert res.match is not None and res.match.entity_id == 201


@pytest.mark.parametrize(("context", "expected"), [(["Madhouse"], 12), (["Nippon Animation"], 11)])
def test_context_breaks_ties(linker: Linker, context: list[str], expected: int) -> None:
    res = linker.link("Hunter x Hunter", kind="work", context=context)
    assert res.match is not None and res.match.entity_id == expected
    assert "context supports it" in res.match.why
    assert {c.entity_id for c in res.candidates} >= {11, 12}


@pytest.mark.parametrize("query", ["Blue Box", "Kaiju No. 8", "Dandadan", "Frieren Academy"])
def test_new_show_is_nil(linker: Linker, query: str) -> None:
    assert linker.link(query, kind="work").match is None


@pytest.mark.parametrize(("query", "older"), [("Oshi no Ko", "Hoshi no Koe"), ("Super Hero", "Super Shiro")])
def test_short_new_title_is_not_glued_to_an_older_one(query: str, older: str) -> None:
    """Two edits are too many for a short title: a new show, not a misspelling."""
    lk = Linker([work(1, older), work(2, "Sakamoto Days")])
    assert lk.link(query, kind="work").match is None
    assert lk.link(older, kind="work").match is not None


@pytest.mark.parametrize(
    "query",
    [
        "Sakamoto Days Season 2",
        "Sakamoto Days 2nd Season",
        "Sakamoto Days II",
        "Sakamoto Days Part 2",
        "Sakamoto Days: The Movie",
        "Sakamoto Days R",
        "Sakamoto Days Final Season",
        "Sakamoto Days 3",
        "Sakamoto Dyas Season 2",
        "Blue Lock Season 2",
        "Frieren: Beyond Journey's End Season 3",
        "Attack on Titan Season 4",
        "Kusuriya no Hitorigoto",
        "Gintama",
    ],
)
def test_sequel_is_not_its_first_season(linker: Linker, query: str) -> None:
    res = linker.link(query, kind="work")
    assert res.match is None
    if res.candidates:  # the near miss is shown with the reason it was refused
        assert any("sequel markers differ" in c.why or "subtitle dropped" in c.why for c in res.candidates)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Attack on Titan", 13),
        ("Attack on Titan Season 2", 14),
        ("Attack on Titan 2nd Season", 14),
        ("Shingeki no Kyojin II", 14),
        ("Attack on Titan Season 3", 15),
        ("Attack on Titan Season 3 Part 2", 16),
        ("Shingeki no Kyojin Season 3 Part.2", 16),
        ("Attack on Titan: The Final Season", 17),
        ("Frieren Season 2", 6),
        ("Sousou no Frieren 2nd Season", 6),
        ("Re:Zero Season 2", 4),
        ("Kusuriya no Hitorigoto Movie", 18),
        ("Jujutsu Kaisen 0", 19),
        ("Jujutsu Kaisen 0 film", 19),
        ("Jujutsu Kaisen", 20),
    ],
)
def test_sequel_links_to_the_right_season(linker: Linker, query: str, expected: int) -> None:
    res = linker.link(query, kind="work")
    assert res.match is not None and res.match.entity_id == expected, res


def test_result_json_shape(linker: Linker) -> None:
    out = linker.link("Metallic Rogue", kind="work").to_json()
    assert out["query"] == "Metallic Rogue"
    assert out["match"] == {"id": "w1", "title": "Metallic Rouge", "score": pytest.approx(0.92, abs=0.02)}
    assert set(out["candidates"][0]) == {"id", "title", "score", "why"}
    assert linker.link("Totally Unknown Show", kind="work").to_json()["match"] is None


def test_film_without_catalog_format_keeps_its_franchise_name_apart() -> None:
    """No format from a catalog, but one title says "Movie": the franchise name alone is not the film."""
    lk = Linker(
        [work(1, "Kusuriya no Hitorigoto: Bouhi no Hihou", ("The Apothecary Diaries: The Movie", "x"))]
    )
    assert lk.link("Kusuriya no Hitorigoto", kind="work").match is None
    assert lk.link("Kusuriya no Hitorigoto Movie", kind="work").match is not None


def test_entities_added_after_build_are_found() -> None:
    lk = Linker([work(1, "Metallic Rouge")])
    lk.build()
    lk.add(work(2, "Kagami no Mori Tanteidan"))
    res = lk.link("Kagami no Mori Tantedan", kind="work")
    assert res.match is not None and res.match.entity_id == 2
    assert lk.link("Metallic Rouge", kind="work").match is not None


def test_unknown_kind_and_empty_mention_are_nil(linker: Linker) -> None:
    assert linker.link("Metallic Rouge", kind="character").match is None
    assert linker.link("   ", kind="work").match is None


def test_owners(linker: Linker) -> None:
    assert linker.owners("Attack on Titan Season 2") == {14}
    assert linker.owners("Hunter x Hunter") == {11, 12}
    assert linker.owners("Sakamoto Days Season 9") == set()
