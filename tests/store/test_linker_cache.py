"""The linker cache of `anigraph resolve`: read back while the store is unchanged, rebuilt when a
catalog import or an article changes it, never trusted when damaged, off or elsewhere when asked."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from anigraph.errors import ResolveError
from anigraph.resolve import Candidate, Linker
from anigraph.store import Store
from anigraph.store.catalog import import_files
from anigraph.store.linker_cache import (
    MAGIC,
    cache_path,
    cached_linker,
    read_cached,
    resolve_names,
    sqlite_file,
    store_version,
)

WORKS = [
    {"title": "Lantern Ferry", "type": "TV", "synonyms": ["Chouchin Watashibune"]},
    {"title": "Lantern Ferry Season 2", "type": "TV", "synonyms": []},
    {"title": "Copper Orchard", "type": "Movie", "synonyms": ["Dou no Kajuen"]},
]


def catalog(path: Path, works: list[dict[str, object]], *, first_id: int = 900001) -> Path:
    lines = [
        json.dumps({"sources": [f"https://anidb.net/anime/{first_id + i}"], **w}) for i, w in enumerate(works)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cache_dir(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the cache goes: beside the SQLite file; for PostgreSQL the directory the setting names."""
    if store.url.startswith("sqlite"):
        monkeypatch.delenv("ANIGRAPH_LINKER_CACHE", raising=False)
        return Path(store.url.removeprefix("sqlite:///")).parent
    monkeypatch.setenv("ANIGRAPH_LINKER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def filled(store: Store, tmp_path: Path, cache_dir: Path) -> Store:
    import_files(store, [catalog(tmp_path / "works.jsonl", WORKS)])
    return store


def read_only(linker: Linker) -> bool:
    try:
        linker.add(Candidate(10**9, "work", "Probe"))
    except ResolveError:
        return True
    return False


def matched(linker: Linker, title: str) -> str | None:
    res = linker.link(title, kind="work")
    return res.match.name if res.match else None


def test_second_call_reads_the_cache(filled: Store, cache_dir: Path) -> None:
    path = cache_path(filled.url, kinds={"work"})
    assert path is not None and path.parent == cache_dir and not path.exists()
    built = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert path.exists() and path.read_bytes().startswith(MAGIC)
    cached = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert not read_only(built) and read_only(cached)  # the second came from the file
    for query in [
        "Lantern Fery",
        "Lantern Ferry Seaso 2",
        "Chouchin Watashibune",
        "Copper Orchard",
        "Nowhere",
    ]:
        assert built.link(query, kind="work").to_json() == cached.link(query, kind="work").to_json()
    assert matched(cached, "Lantern Ferry Seaso 2") == "Lantern Ferry Season 2"


def test_a_changed_store_rebuilds_the_cache(filled: Store, tmp_path: Path) -> None:
    first = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert matched(first, "Moss Lighthouse") is None
    import_files(
        filled, [catalog(tmp_path / "more.jsonl", [{"title": "Moss Lighthouse", "type": "TV"}], first_id=1)]
    )
    rebuilt = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert not read_only(rebuilt) and matched(rebuilt, "Moss Lighthouse") == "Moss Lighthouse"
    again = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert read_only(again) and matched(again, "Moss Lighthouse") == "Moss Lighthouse"


def test_a_new_alias_of_a_stored_work_rebuilds_the_cache(filled: Store, tmp_path: Path) -> None:
    cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    same_work = [{"title": "Copper Orchard", "type": "Movie", "synonyms": ["Akagane no Kajuen"]}]
    import_files(filled, [catalog(tmp_path / "alias.jsonl", same_work, first_id=900003)])
    linker = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert matched(linker, "Akagane no Kajuen") == "Copper Orchard"


def test_a_fresh_update_is_not_cached(filled: Store) -> None:
    """Within the second of an update a second update would leave the same newest time: not saved."""
    path = cache_path(filled.url, kinds={"work"})
    assert path is not None
    cached_linker(filled, kinds={"work"}, fresh_seconds=3600)
    assert not path.exists()
    with filled.session() as session:

        def execute(sql: str) -> list[tuple[object, ...]]:
            return [tuple(row) for row in session.execute(text(sql))]

        assert store_version(execute, fresh_seconds=3600)[1] is True
        assert store_version(execute, fresh_seconds=0)[1] is False


def test_each_kind_has_its_cache(filled: Store) -> None:
    works = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    people = cached_linker(filled, kinds={"person"}, fresh_seconds=0)
    assert matched(works, "Copper Orchard") == "Copper Orchard"
    assert people.link("Copper Orchard", kind="work").match is None
    assert cache_path(filled.url, kinds={"work"}) != cache_path(filled.url, kinds={"person"})


def test_a_damaged_cache_is_rebuilt(filled: Store, caplog: pytest.LogCaptureFixture) -> None:
    path = cache_path(filled.url, kinds={"work"})
    assert path is not None
    cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    header = b"".join(path.read_bytes().splitlines(keepends=True)[:2])
    path.write_bytes(header + b"not a pickle at all")
    with caplog.at_level(logging.WARNING, logger="anigraph.store.linker_cache"):
        linker = cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert matched(linker, "Copper Orchard") == "Copper Orchard"
    assert "not a linker snapshot" in caplog.text
    assert read_only(cached_linker(filled, kinds={"work"}, fresh_seconds=0))  # saved again, whole


def test_cache_off(filled: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANIGRAPH_LINKER_CACHE", "off")
    assert cache_path(filled.url, kinds={"work"}) is None
    cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert not read_only(cached_linker(filled, kinds={"work"}, fresh_seconds=0))


def test_no_cache_beside_a_memory_or_server_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ANIGRAPH_LINKER_CACHE", raising=False)
    assert cache_path("sqlite://", kinds={"work"}) is None
    assert cache_path("postgresql+psycopg://u:secret@db/x", kinds={"work"}) is None
    monkeypatch.setenv("ANIGRAPH_LINKER_CACHE", str(tmp_path))
    path = cache_path("postgresql+psycopg://u:secret@db/x", kinds={"work"})
    assert path is not None and path.parent == tmp_path and "secret" not in path.name


def test_an_unmigrated_store_is_migrated_on_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`anigraph resolve` opens the store without migrating; a cache miss migrates it first."""
    monkeypatch.delenv("ANIGRAPH_LINKER_CACHE", raising=False)
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with Store.open(url, migrate=False) as store:
        linker = cached_linker(store, kinds={"work"}, fresh_seconds=0)
        assert linker.link("Anything", kind="work").match is None
        with store.session() as session:
            assert session.execute(text("SELECT count(*) FROM entities")).scalar() == 0


def test_a_sqlite_cache_is_read_without_sqlalchemy(filled: Store) -> None:
    """The cached path of `anigraph resolve` loads neither SQLAlchemy nor Alembic (half its time)."""
    if sqlite_file(filled.url) is None:
        pytest.skip("the cached path without SQLAlchemy is for SQLite files")
    cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    probe = (
        "import sys; from anigraph.store.linker_cache import read_cached; "
        f"linker = read_cached({filled.url!r}, kinds={{'work'}}); "
        "print(linker.link('Lantern Ferry Seaso 2', kind='work').match.name); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["Lantern Ferry Season 2", "[]"]
    linker = read_cached(filled.url, kinds={"work"})
    assert linker is not None and read_only(linker)
    assert [
        r.match.name if r.match else None for r in resolve_names(filled.url, ["Copper Orchrad"], kind="work")
    ] == ["Copper Orchard"]


def test_read_cached_misses_when_the_store_changed(filled: Store, tmp_path: Path) -> None:
    if sqlite_file(filled.url) is None:
        pytest.skip("the cached path without SQLAlchemy is for SQLite files")
    cached_linker(filled, kinds={"work"}, fresh_seconds=0)
    assert read_cached(filled.url, kinds={"work"}) is not None
    import_files(
        filled, [catalog(tmp_path / "more.jsonl", [{"title": "Moss Lighthouse", "type": "TV"}], first_id=1)]
    )
    assert read_cached(filled.url, kinds={"work"}) is None


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///anigraph.db", "anigraph.db"),
        ("sqlite:////srv/kb/anigraph.db", "/srv/kb/anigraph.db"),
        ("sqlite+pysqlite:///kb.db", "kb.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///file:kb.db?mode=ro&uri=true", None),
        ("postgresql+psycopg://u@db/x", None),
    ],
)
def test_sqlite_file(url: str, path: str | None) -> None:
    assert sqlite_file(url) == (Path(path) if path else None)
