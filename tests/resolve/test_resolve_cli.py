"""`anigraph catalog import` and `anigraph resolve --json` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anigraph.cli import app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    data = Path(__file__).resolve().parent / "data"
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    files = [
        str(data / n)
        for n in ("anilist_sample.csv", "jikan_sample.csv", "mal_sample.csv", "anidb_sample.dat")
    ]
    result = CliRunner().invoke(app, ["catalog", "import", *files, "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["file"]).name for line in lines] == [Path(f).name for f in files]
    assert lines[0]["works_created"] == 3 and lines[1]["works_merged"] == 1
    return url


def test_resolve_json_shape(db: str) -> None:
    result = CliRunner().invoke(
        app, ["resolve", "Sakamoto Dyas", "Sakamoto Days Season 5", "--json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["query"] == "Sakamoto Dyas"
    assert set(first["match"]) == {"id", "title", "score"}
    assert first["match"]["id"] == "sakamoto-days" and 0.8 < first["match"]["score"] < 1
    assert all(set(c) == {"id", "title", "score", "why"} for c in first["candidates"])
    assert "transposition" in first["candidates"][0]["why"]
    assert second["match"] is None
    assert any("sequel markers differ" in c["why"] for c in second["candidates"])


def test_resolve_reads_stdin_and_types(db: str) -> None:
    result = CliRunner().invoke(
        app,
        ["resolve", "-", "--type", "person", "--json", "--db", db],
        input="Watanabe Masaki\n\nNobody Atall\n",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["Watanabe Masaki", "Nobody Atall"]
    assert rows[0]["match"]["title"] == "Masaki Watanabe" and rows[1]["match"] is None
    studio = CliRunner().invoke(
        app, ["resolve", "TMS Entertainment", "--type", "studio", "--json", "--db", db]
    )
    assert json.loads(studio.stdout)["match"]["title"] == "TMS Entertainment"


def test_resolve_table_output(db: str) -> None:
    result = CliRunner().invoke(app, ["resolve", "Steins;Gate", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Steins" in result.stdout and "exact" in result.stdout


def test_catalog_import_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "import", str(bad), "--db", url])
    assert result.exit_code == 1 and "unknown catalog format" in result.output
    result = CliRunner().invoke(app, ["catalog", "import", str(bad), "--format", "nope", "--db", url])
    assert result.exit_code == 2


def test_resolve_keeps_its_index_beside_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first call saves the index in a hidden file beside the database; the next reads it."""
    from sqlalchemy import create_engine, text

    monkeypatch.delenv("ANIGRAPH_LINKER_CACHE", raising=False)
    data = Path(__file__).resolve().parent / "data"
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    imported = CliRunner().invoke(app, ["catalog", "import", str(data / "anilist_sample.csv"), "--db", url])
    assert imported.exit_code == 0, imported.output
    engine = create_engine(url)  # imported a while ago: past the cache's freshness window
    with engine.begin() as conn:
        conn.execute(text("UPDATE entities SET updated_at = '2000-01-01 00:00:00'"))
    engine.dispose()
    cache = tmp_path / ".kb.db.linker-work"
    query = ["resolve", "Sakamoto Dyas", "Sakamoto Days Seaso 5", "--json", "--db", url]
    first = CliRunner().invoke(app, query)
    assert first.exit_code == 0, first.output
    assert cache.is_file()
    saved = cache.stat().st_mtime_ns
    second = CliRunner().invoke(app, query)
    assert second.exit_code == 0 and second.stdout == first.stdout
    assert cache.stat().st_mtime_ns == saved  # read, not rebuilt
    assert [json.loads(line)["match"] is None for line in second.stdout.splitlines()] == [False, True]
