"""Each catalog format parses our small samples, quirks included."""

from __future__ import annotations

from pathlib import Path

import pytest

from anigraph.errors import ResolveError
from anigraph.resolve.catalog import (
    CatalogRecord,
    detect_format,
    ids_from_urls,
    parse_mal_aired,
    parse_mal_date,
    read_catalog,
    role_predicate,
    split_list,
    split_staff,
    to_int,
    trim_padded_date,
    undouble,
)


def _read(path: Path, fmt: str = "auto") -> list[CatalogRecord]:
    return list(read_catalog(path, fmt=fmt))


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("anilist_sample.csv", "anilist-csv"),
        ("jikan_sample.csv", "jikan-csv"),
        ("mal_sample.csv", "mal-csv"),
        ("anidb_sample.dat", "anidb-titles"),
        ("manami_sample.json", "manami-json"),
        ("manami_sample.jsonl", "manami-json"),
    ],
)
def test_detect_format(data_dir: Path, name: str, fmt: str) -> None:
    assert detect_format(data_dir / name) == fmt


def test_unknown_format_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ResolveError, match=r"notes\.csv.*unknown catalog format"):
        _read(bad)
    with pytest.raises(ResolveError, match="not found"):
        _read(tmp_path / "missing.csv")


def test_anilist_quirks(data_dir: Path) -> None:
    recs = {r.title: r for r in _read(data_dir / "anilist_sample.csv")}
    sakamoto = recs["SAKAMOTO DAYS"]
    assert sakamoto.ids == {"anilist": "177709", "mal": "58939"}  # float mal_id in text
    assert sakamoto.episodes == 11 and sakamoto.type == "ona" and sakamoto.season == "2025-winter"
    assert sakamoto.companies == ["TMS Entertainment", "Shueisha"]  # repeated entries removed
    assert sakamoto.studios == ["TMS Entertainment"]
    assert sakamoto.tags == ["Assassins", "Urban"]
    assert ("Masaki Watanabe", "Director") in sakamoto.staff  # trailing space in the role
    assert ("Yuuto Suzuki", "Original Creator") in sakamoto.staff  # double space in the name
    assert ("AIMYON", "Theme Song Performance (ED)") in sakamoto.staff  # nested parentheses
    assert sakamoto.characters == ["Tarou Sakamoto", "Shin Asakura"]  # \r\n inside a name
    kinds = {(a.name, a.kind) for a in sakamoto.aliases}
    assert ("サカモトデイズ", "native") in kinds and ("サカデイ", "synonym") in kinds
    part2 = recs["SAKAMOTO DAYS Part 2"]
    assert part2.ids == {"anilist": "180745"}  # empty mal_id
    assert part2.start_date == "2025-07"  # padded day of an unaired title dropped
    assert recs["Kagami no Mori Tanteidan"].start_date == "2026-10"
    assert sakamoto.start_date == "2025-01-11"


def test_jikan_quirks(data_dir: Path) -> None:
    recs = {r.title: r for r in _read(data_dir / "jikan_sample.csv")}
    assert recs["Attack No.1"].season == "1970-winter" and recs["Attack No.1"].episodes == 104
    assert recs["Attack No.1"].year == 1969  # the start date wins over the listing season
    assert recs["The Bathroom"].season is None  # "None None"
    assert recs["The Bathroom"].type == "movie"
    assert recs["Sakamoto Days"].tags == ["Urban Fantasy", "Shounen"]


def test_mal_quirks(data_dir: Path) -> None:
    recs = _read(data_dir / "mal_sample.csv")
    steins = recs[0]
    assert steins.genres == ["Drama", "Sci-Fi", "Suspense"] and steins.tags == ["Time Travel"]
    assert steins.start_date == "2011-04-06" and steins.end_date == "2011-09-14"
    attack_tv, attack_movie = recs[1], recs[2]
    assert attack_tv.studios == [] and attack_tv.companies == []  # "add some" placeholders
    assert attack_tv.tags == []  # "None"
    assert attack_movie.start_date == "1970-10"  # "Oct-70": month and two-digit year
    special = recs[3]
    assert special.start_date == "2014-06-26" and special.episodes is None  # "Unknown"
    assert [a.kind for a in special.aliases] == ["romaji"]  # Japanese "none" dropped
    assert recs[4].start_date is None and recs[4].year is None  # "Not available"


def test_anidb_groups_by_aid_and_keeps_pipes(data_dir: Path) -> None:
    recs = {r.ids["anidb"]: r for r in _read(data_dir / "anidb_sample.dat")}
    assert set(recs) == {"17", "7729", "14444"}
    fmp = recs["17"]
    assert fmp.title == "Fullmetal Panic!"
    assert {(a.name, a.kind, a.language) for a in fmp.aliases} >= {
        ("FMP", "short", "x-jat"),
        ("Full Metal Panic!", "english", "en"),
        ("フルメタル・パニック!", "native", "ja"),
    }
    assert recs["14444"].title == "Shin Evangelion Gekijouban:||"
    assert recs["14444"].year is None and recs["14444"].type is None


def test_anidb_rejects_malformed_lines(tmp_path: Path) -> None:
    bad = tmp_path / "titles.dat"
    bad.write_text("1|1|x-jat|Fine\nthis is not a title line\n", encoding="utf-8")
    with pytest.raises(ResolveError, match=r"titles\.dat:2"):
        _read(bad, "anidb-titles")


@pytest.mark.parametrize("name", ["manami_sample.json", "manami_sample.jsonl"])
def test_manami_json_and_jsonl(data_dir: Path, name: str) -> None:
    recs = _read(data_dir / name)
    assert [r.title for r in recs] == ["Steins;Gate", "SAKAMOTO DAYS"]  # header object skipped
    steins = recs[0]
    assert steins.ids == {"anidb": "7729", "anilist": "9253", "mal": "9253", "kitsu": "5646"}
    assert steins.season == "2011-spring" and steins.year == 2011 and steins.episodes == 24
    assert "シュタインズ・ゲート" in [a.name for a in steins.aliases]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apr 5, 2009", "2009-04-05"),
        ("26-Jun-14", "2014-06-26"),
        ("Oct-54", "1954-10"),
        ("2008", "2008"),
        ("Apr 2009", "2009-04"),
        ("?", None),
    ],
)
def test_parse_mal_date(text: str, expected: str | None) -> None:
    assert parse_mal_date(text) == expected


def test_parse_mal_aired_ranges() -> None:
    assert parse_mal_aired("Nov 17, 2019 to ?") == ("2019-11-17", None)
    assert parse_mal_aired("1986 to 1987") == ("1986", "1987")
    assert parse_mal_aired("Not available") == (None, None)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Kiyotaka Suzuki (Director )", ("Kiyotaka Suzuki", "Director")),
        (
            "Daniel Simões (ADR Director (Brazilian Portuguese))",
            ("Daniel Simões", "ADR Director (Brazilian Portuguese)"),
        ),
        ("Kogitsunemaru  (Original Story)", ("Kogitsunemaru", "Original Story")),
        ("Boichi", ("Boichi", "")),
        ("  ", None),
    ],
)
def test_split_staff(entry: str, expected: tuple[str, str] | None) -> None:
    assert split_staff(entry) == expected


@pytest.mark.parametrize(
    ("role", "predicate"),
    [("Director ", "director"), ("Original Story", "original_creator"), ("Script", "screenplay"),
     ("Theme Song Performance (ED)", None)],
)  # fmt: skip
def test_role_predicate(role: str, predicate: str | None) -> None:
    assert role_predicate(role) == predicate


def test_small_parsers() -> None:
    assert to_int("58567.0") == 58567 and to_int("") is None and to_int("Unknown") is None
    assert to_int("2,893,578") == 2893578
    assert undouble("Slice of LifeSlice of Life") == "Slice of Life" and undouble("Action") == "Action"
    assert split_list("None found,add some", sep=",") == []
    assert trim_padded_date("2026-01-01", aired=False) == "2026"
    assert trim_padded_date("2026-01-01", aired=True) == "2026-01-01"
    long_slug = "https://www.anime-planet.com/anime/" + "a-very-long-anime-planet-slug" * 2
    assert ids_from_urls([long_slug, "https://www.anime-planet.com/anime/short"]) == {"animeplanet": "short"}
    assert ids_from_urls(["https://myanimelist.net/anime/1", "https://anidb.net/anime/23"]) == {
        "mal": "1",
        "anidb": "23",
    }
