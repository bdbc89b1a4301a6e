"""A directory walk skips the store's own files and a project's documents, saying so; named files are read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from anigraph.ingest import IngestFailure, ReadOptions, Skipped, read_sources
from anigraph.ingest.skip import skip_reason
from anigraph.models import Article

ARTICLE = "Studio Amber announced on Monday that Kitsune Bakery returns for a second season in April.\n"


def sqlite_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "amber.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "sub" / "license-fees.txt").write_text(ARTICLE, encoding="utf-8")  # an article, not a licence
    sqlite_db(root / "anigraph.db")
    (root / "anigraph.db-wal").write_bytes(bytes.fromhex("377f0682") + b"\x00" * 28)
    (root / "anigraph.db-shm").write_bytes(b"\x00" * 64)
    (root / "anigraph.db-journal").write_bytes(b"")
    sqlite_db(root / "sub" / "notes.sqlite3")  # any SQLite file, whatever its name
    (root / "README.md").write_text("# News folder\n\nArticles for the knowledge base.\n", encoding="utf-8")
    (root / "LICENSE").write_text("Permission is granted to read these notes.\n", encoding="utf-8")
    (root / "sub" / "CHANGELOG.rst").write_text("1.0\n===\n\nFirst notes.\n", encoding="utf-8")
    (root / "sub" / "readme.ja.md").write_text("説明\n", encoding="utf-8")
    (root / "LICENSE-MIT").write_text("MIT\n", encoding="utf-8")
    (root / ".anigraph.db.linker-work").write_bytes(b"anigraph linker cache\nkey\n")  # hidden: never read
    return root


def walk(folder: Path) -> tuple[list[Article | IngestFailure], list[Skipped]]:
    skipped: list[Skipped] = []
    items = list(read_sources([str(folder)], options=ReadOptions(max_bytes=10**6), on_skip=skipped.append))
    return items, skipped


def test_a_walk_reads_only_articles(folder: Path) -> None:
    items, skipped = walk(folder)
    assert [i.source.path for i in items if isinstance(i, Article)] == [
        str(folder / "amber.txt"),
        str(folder / "sub" / "license-fees.txt"),
    ]
    assert not [i for i in items if isinstance(i, IngestFailure)]
    reasons = {Path(s.source).relative_to(folder).as_posix(): s.reason for s in skipped}
    assert reasons == {
        "anigraph.db": "SQLite database, not an article",
        "anigraph.db-journal": "SQLite rollback journal of anigraph.db, not an article",
        "anigraph.db-shm": "SQLite shared-memory index of anigraph.db, not an article",
        "anigraph.db-wal": "SQLite write-ahead log of anigraph.db, not an article",
        "LICENSE": "a project document (README, LICENSE, …), not an article",
        "LICENSE-MIT": "a project document (README, LICENSE, …), not an article",
        "README.md": "a project document (README, LICENSE, …), not an article",
        "sub/CHANGELOG.rst": "a project document (README, LICENSE, …), not an article",
        "sub/notes.sqlite3": "SQLite database, not an article",
        "sub/readme.ja.md": "a project document (README, LICENSE, …), not an article",
    }


def test_a_named_file_is_read_whatever_it_is(folder: Path) -> None:
    """Only walks skip: a database named on the command line still fails, saying why."""
    items = list(read_sources([str(folder / "anigraph.db"), str(folder / "README.md")]))
    assert isinstance(items[0], IngestFailure) and "SQLite database" in items[0].reason
    assert isinstance(items[1], Article)


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("README", True),
        ("Readme.markdown", True),
        ("COPYING.txt", True),
        ("CONTRIBUTING.md", True),
        ("readme.html", False),  # an HTML page: read it
        ("licensed-anime-2026.txt", False),
        ("license-fees.txt", False),
        ("authors-guild-strike.md", False),
        ("changelog-of-a-studio.txt", False),
    ],
)
def test_document_names(tmp_path: Path, name: str, skipped: bool) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    assert (skip_reason(path) is not None) is skipped


def test_a_sidecar_without_its_database_is_read(tmp_path: Path) -> None:
    path = tmp_path / "diary-wal"
    path.write_text(ARTICLE, encoding="utf-8")
    assert skip_reason(path) is None


def test_a_linker_cache_in_a_named_directory_is_skipped(tmp_path: Path) -> None:
    """ANIGRAPH_LINKER_CACHE may name a directory inside the folder: its files are not hidden there."""
    from anigraph.store.linker_cache import MAGIC

    path = tmp_path / "linker-0123456789abcdef-work"
    path.write_bytes(MAGIC + b"key\n" + b"payload")
    assert skip_reason(path) == "anigraph linker cache, not an article"
