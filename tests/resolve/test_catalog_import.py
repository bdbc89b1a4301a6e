"""Catalog import into a real store: merge by ids or strong evidence, never falsely; idempotent."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from anigraph.store import Store
from anigraph.store.catalog import build_linker, import_files
from anigraph.store.tables import Alias, Claim, ClaimSource, Entity, ExternalId

ALL = [
    "anilist_sample.csv",
    "jikan_sample.csv",
    "mal_sample.csv",
    "anidb_sample.dat",
    "manami_sample.json",
]


def counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Entity, Alias, ExternalId, Claim, ClaimSource)
        }


def works_with(store: Store, source: str, value: str) -> list[Entity]:
    with store.session() as s:
        return list(
            s.scalars(
                select(Entity).join(ExternalId).where(ExternalId.source == source, ExternalId.value == value)
            )
        )


def ids_of(store: Store, eid: int) -> dict[str, str]:
    with store.session() as s:
        return {x.source: x.value for x in s.scalars(select(ExternalId).where(ExternalId.entity_id == eid))}


def work_named(store: Store, title: str) -> list[Entity]:
    with store.session() as s:
        return list(
            s.scalars(
                select(Entity).where(
                    Entity.kind == "work", Entity.id.in_(select(Alias.entity_id).where(Alias.name == title))
                )
            )
        )


def test_import_merges_by_ids_and_is_idempotent(store: Store, data_dir: Path) -> None:
    results = import_files(store, [data_dir / n for n in ALL])
    assert [Path(p).name for p, _s in results] == ALL
    first = counts(store)
    # AniList and Jikan share MAL id 58939; manami links both: one work with every id.
    (sakamoto,) = works_with(store, "mal", "58939")
    assert ids_of(store, sakamoto.id) == {"anilist": "177709", "mal": "58939"}
    assert sakamoto.slug == "sakamoto-days"
    catalogs = sakamoto.attrs["catalogs"]
    assert set(catalogs) == {"anilist", "jikan", "manami"}
    assert sakamoto.attrs["type"] == "ona" and sakamoto.attrs["episodes"] == 11  # AniList first
    assert sakamoto.attrs["season"] == "2025-winter" and sakamoto.attrs["status"] == "finished"
    # Steins;Gate: MAL (no ids, semicolon lost) + AniDB + manami (anidb/anilist/mal urls)
    (steins,) = works_with(store, "anidb", "7729")
    assert ids_of(store, steins.id) == {"anidb": "7729", "anilist": "9253", "mal": "9253", "kitsu": "5646"}
    assert {"mal", "anidb", "manami"} <= set(steins.attrs["catalogs"])
    # the sequel stays its own work
    (part2,) = works_with(store, "anilist", "180745")
    assert part2.id != sakamoto.id

    import_files(store, [data_dir / n for n in ALL])
    assert counts(store) == first  # idempotent


def test_no_false_merge(store: Store, data_dir: Path) -> None:
    import_files(store, [data_dir / "jikan_sample.csv", data_dir / "mal_sample.csv"])
    attack = work_named(store, "Attack No.1")
    # Jikan TV + MAL TV (same title, year, type) merge; the MAL film of the same title does not.
    assert len(attack) == 2
    kinds = sorted(str(w.attrs.get("type")) for w in attack)
    assert kinds == ["movie", "tv"]
    tv = next(w for w in attack if w.attrs.get("type") == "tv")
    assert set(tv.attrs["catalogs"]) == {"jikan", "mal"}


def test_same_title_without_ids_or_year_stays_apart(store: Store, tmp_path: Path, data_dir: Path) -> None:
    """Two AniDB entries titled alike cannot be told apart: neither merges into the stored work."""
    import_files(store, [data_dir / "mal_sample.csv"])
    dump = tmp_path / "titles.dat"
    dump.write_text("501|1|x-jat|Ginga Sample Gekijou\n502|1|x-jat|Ginga Sample Gekijou\n", encoding="utf-8")
    import_files(store, [dump])
    assert len(work_named(store, "Ginga Sample Gekijou")) == 3


def test_staff_studios_and_characters_become_claims(store: Store, data_dir: Path) -> None:
    import_files(store, [data_dir / "anilist_sample.csv"])
    with store.session() as s:
        rows = s.execute(
            select(Claim.predicate, Claim.object, ClaimSource.origin, ClaimSource.text)
            .join(ClaimSource, ClaimSource.claim_id == Claim.id)
            .join(Entity, Entity.id == Claim.subject_id)
            .where(Entity.slug == "sakamoto-days")
        ).all()
        person = s.scalar(select(Entity).where(Entity.kind == "person", Entity.name == "Yuuto Suzuki"))
    got = {(p, o, origin) for p, o, origin, _t in rows}
    assert ("director", "Masaki Watanabe", "anilist") in got
    assert ("original_creator", "Yuuto Suzuki", "anilist") in got
    assert ("studio", "TMS Entertainment", "anilist") in got
    assert ("character", "Shin Asakura", "anilist") in got
    assert not any(o == "AIMYON" for _p, o, _origin in got)  # theme song performance: not a staff role
    assert person is not None
    # one person entity reused by both works that credit the director
    with store.session() as s:
        directors = s.scalars(
            select(Entity).where(Entity.kind == "person", Entity.name == "Masaki Watanabe")
        ).all()
    assert len(directors) == 1


def _rewrite(src: Path, dst: Path, change: dict[str, str]) -> None:
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows: list[dict[str, Any]] = list(reader)
        fields = reader.fieldnames or []
    for row in rows:
        if row["anime_id"] == change["anime_id"]:
            row.update(change)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_reimport_updates(store: Store, data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "anilist.csv"
    shutil.copy(data_dir / "anilist_sample.csv", path)
    import_files(store, [path])
    before = counts(store)
    _rewrite(
        data_dir / "anilist_sample.csv",
        path,
        {"anime_id": "180745", "episodes": "12.0", "synonyms": "Sakaday 2"},
    )
    (stats,) = [s for _p, s in import_files(store, [path])]
    assert stats.works_created == 0 and stats.aliases_added == 1
    (part2,) = works_with(store, "anilist", "180745")
    assert part2.attrs["episodes"] == 12
    assert counts(store)["entities"] == before["entities"]


def test_linker_from_store(store: Store, data_dir: Path) -> None:
    import_files(store, [data_dir / n for n in ALL])
    with store.session() as s:
        linker = build_linker(s)
    res = linker.link("Sakamoto Dyas", kind="work")
    assert res.match is not None and res.match.slug == "sakamoto-days"
    assert linker.link("Sakamoto Days Season 2", kind="work").match is None
    steins = linker.link("STEINS;GATE", kind="work").match
    assert steins is not None and steins.score == 1.0
    person = linker.link("Watanabe Masaki", kind="person").match
    assert person is not None and "name order" in person.why
    studio = linker.link("TMS Entertainment Co., Ltd.", kind="organization").match
    assert studio is not None


@pytest.mark.slow
def test_import_shared_catalog(shared_dir: Path, tmp_path: Path) -> None:
    """The real AniList and Jikan files: merged by MAL id, re-import changes nothing.

    (All four files are imported by ``benchmarks/linking.py``; two keep this test quick.)
    """
    catalog = shared_dir / "data" / "catalog"
    files = [catalog / "anilist-seasonal-2025-2026.csv", catalog / "jikan-seasonal-sample.csv"]
    if not all(f.is_file() for f in files):
        pytest.skip(f"../shared catalog files not found in {catalog}")
    with Store.open(f"sqlite:///{tmp_path / 'shared.db'}") as store:
        (_a, anilist), (_j, jikan) = import_files(store, files)
        assert anilist.records == 908 and jikan.records == 3204
        assert jikan.works_merged > 100  # 2025-26 shows both files list, joined by MAL id
        before = counts(store)
        import_files(store, files)
        assert counts(store) == before
        with store.session() as s:
            linker = build_linker(s)
        match = linker.link("Sakamoto Dyas", kind="work").match
        assert match is not None and match.slug == "sakamoto-days"
        assert linker.link("SAKAMOTO DAYS Season 7", kind="work").match is None


def test_shared_mal_id_does_not_merge_two_anilist_entries(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    """AniList splits some shows into parts that MAL lists once: two AniList ids stay two works."""
    src = data_dir / "anilist_sample.csv"
    path = tmp_path / "split.csv"
    _rewrite(src, path, {"anime_id": "180745", "mal_id": "58939.0"})
    import_files(store, [path])
    (by_mal,) = works_with(store, "mal", "58939")
    (part2,) = works_with(store, "anilist", "180745")
    assert by_mal.id != part2.id
    assert ids_of(store, part2.id) == {"anilist": "180745"}


def test_store_linker_uses_credits_as_context(store: Store, data_dir: Path) -> None:
    import_files(store, [data_dir / "anilist_sample.csv"])
    with store.session() as s:
        linker = build_linker(s)
    res = linker.link("Masaki Watanabe", kind="person", context=["SAKAMOTO DAYS"])
    assert res.match is not None and "context supports it" in res.match.why
    work = linker.link("SAKAMOTO DAYS", kind="work", context=["Taku Kishimoto", "TMS Entertainment"])
    assert work.match is not None and "context supports it" in work.match.why


def test_characters_are_told_apart_by_their_work(store: Store, tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "chars.csv"
    _rewrite(data_dir / "anilist_sample.csv", path, {"anime_id": "999001", "main_characters": "Shin Asakura"})
    import_files(store, [path])
    with store.session() as s:
        linker = build_linker(s)
    a = linker.link("Shin Asakura", kind="character", context=["SAKAMOTO DAYS"]).match
    b = linker.link("Shin Asakura", kind="character", context=["Kagami no Mori Tanteidan"]).match
    assert a is not None and b is not None and a.entity_id != b.entity_id
    # an article about another show: a namesake, not one of these two
    assert linker.link("Shin Asakura", kind="character", context=["Blue Lock"]).match is None
    assert linker.link("TMS Entertainment", kind="studio").match is not None


def test_imported_characters_belong_to_their_work(store: Store, data_dir: Path) -> None:
    import_files(store, [data_dir / "anilist_sample.csv"])
    with store.session() as s:
        owners = s.execute(
            select(Claim.subject_id, Entity.work_id)
            .join(Entity, Entity.id == Claim.object_id)
            .where(Claim.predicate == "character")
        ).all()
    assert owners and all(work == character_work for work, character_work in owners)
