"""`anigraph ingest`: stores the good sources, one error line per bad one, a summary, exit 1 on failures."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from anigraph.cli import app
from anigraph.store import tables

FORMATS = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "feeds").mkdir(parents=True)
    shutil.copy(FORMATS / "pluto-netflix.txt", root / "pluto.txt")
    shutil.copy(FORMATS / "chainsaw-man-staff.html", root / "chainsaw.html")
    shutil.copy(FORMATS / "studio-updates.atom", root / "feeds" / "studio.atom")
    (root / "notes.txt").write_bytes("Spy × Family".encode("utf-16-le"))  # not UTF-8: has NUL bytes
    return root


def _count(db: Path) -> int:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(tables.Article)) or 0)
    finally:
        engine.dispose()


def test_folder_with_one_bad_file(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["articles"], summary["stored"], summary["unchanged"], summary["failed"]) == (4, 4, 0, 1)
    assert summary["failures"] == [
        {"source": str(folder / "notes.txt"), "reason": "binary file (NUL byte at offset 1), not an article"}
    ]
    assert summary["db"] == f"sqlite:///{db}"
    assert result.stderr.count("error ") == 1
    assert f"error {folder / 'notes.txt'}: binary file (NUL byte at offset 1)" in result.stderr
    assert _count(db) == 4

    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert again.exit_code == 1
    assert (json.loads(again.stdout)["stored"], json.loads(again.stdout)["unchanged"]) == (0, 4)
    assert _count(db) == 4


def test_summary_table_no_progress_bar_off_a_terminal(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    (folder / "notes.txt").unlink()
    db = tmp_path / "kb.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.stderr
    assert "stored (new)" in result.stdout and "articles/s" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_quiet_prints_only_errors(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "kb.db"), "--quiet"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error {folder / 'notes.txt'}")


def test_default_db_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(
        app, ["ingest", str(FORMATS / "pluto-netflix.txt"), "--json"], env={"ANIGRAPH_DB": str(db)}
    )
    assert result.exit_code == 0, result.stderr
    assert _count(db) == 1


def test_unusable_database_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(FORMATS / "pluto-netflix.txt"), "--db", str(tmp_path / "no" / "x.db")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_on_a_terminal(runner: CliRunner, folder: Path, tmp_path: Path, quiet: bool) -> None:
    env = {"TTY_COMPATIBLE": "1", "COLUMNS": "200", "NO_COLOR": "1"}  # rich treats stderr as a terminal
    args = ["ingest", str(folder), "--db", str(tmp_path / "kb.db"), *(["--quiet"] if quiet else [])]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 1
    stderr = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr)  # drop terminal control codes
    assert f"error {folder / 'notes.txt'}: binary file" in stderr
    if quiet:
        assert "articles/s" not in stderr
    else:
        assert "articles/s" in stderr and "1 failed" in stderr


def test_ingest_dot_beside_its_own_database(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`anigraph ingest .` where the default anigraph.db lives: the database, its WAL files and the
    README are skipped and listed, the articles stored, and the run succeeds (twice over)."""
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copy(FORMATS / "pluto-netflix.txt", root / "pluto.txt")
    shutil.copy(FORMATS / "chainsaw-man-staff.html", root / "chainsaw.html")
    (root / "README.md").write_text("# My news folder\n\nArticles I keep.\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("ANIGRAPH_DB", raising=False)
    for run in range(2):  # the first run creates anigraph.db inside the folder it walks
        result = runner.invoke(app, ["ingest", ".", "--json"])
        assert result.exit_code == 0, result.stderr
        summary = json.loads(result.stdout)
        assert summary["failed"] == 0 and summary["failures"] == []
        assert (summary["stored"], summary["unchanged"]) == ((2, 0) if run == 0 else (0, 2))
        skipped = {Path(s["source"]).name: s["reason"] for s in summary["skipped_files"]}
        assert summary["skipped"] == len(skipped)
        assert skipped["anigraph.db"] == "SQLite database, not an article"
        assert skipped["README.md"].startswith("a project document")
        assert set(skipped) - {"anigraph.db", "README.md"} <= {"anigraph.db-wal", "anigraph.db-shm"}
        assert "skipped anigraph.db: SQLite database, not an article" in result.stderr
    table = runner.invoke(app, ["ingest", "."])
    assert table.exit_code == 0 and "skipped (not articles)" in table.stdout
    assert _count(root / "anigraph.db") == 2
