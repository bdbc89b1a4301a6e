"""`anigraph show` and `anigraph conflicts` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_factories import ArticleBuilder, work
from typer.testing import CliRunner

from anigraph.cli import app
from anigraph.store import Store

T = "Moonlit Relay"
runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that no sentence wraps


@pytest.fixture
def db(store: Store) -> str:
    store.add_extraction(
        ArticleBuilder(published="2024-05-01", headline="Moonlit Relay cast")
        .say(
            "Moonlit Relay is a TV anime by Studio Fuji.",
            work(T, "studio", "Studio Fuji"),
            work(T, "format", "tv"),
        )
        .say("Yui Hara voices Sena.", work(T, "cast", "Yui Hara", {"character": "Sena"}))
        .say("Moonlit Relay has 12 episodes.", work(T, "episodes", "12"))
        .build()
    )
    store.add_extraction(
        ArticleBuilder(published="2024-05-01", headline="Moonlit Relay count")
        .say("Moonlit Relay has 24 episodes.", work(T, "episodes", "24"))
        .build()
    )
    return store.url


def test_show_card(db: str) -> None:
    result = runner.invoke(app, ["show", "moonlit relay", "--db", db])
    assert result.exit_code == 0, result.output
    for expected in (T, "Studio Fuji", "Yui Hara", "Sena", "episodes", "conflict"):
        assert expected in result.output
    assert "Yui Hara voices Sena." not in result.output


def test_show_sources(db: str) -> None:
    result = runner.invoke(app, ["show", T, "--db", db, "--sources"])
    assert result.exit_code == 0, result.output
    assert "Yui Hara voices Sena." in result.output
    assert "Moonlit Relay cast" in result.output


def test_show_json(db: str) -> None:
    result = runner.invoke(app, ["show", T, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["work"]["name"] == T
    assert data["cast"][0]["qualifiers"] == {"character": "Sena"}
    assert data["source_count"] == 2


def test_show_not_found(db: str) -> None:
    result = runner.invoke(app, ["show", "Moonlet Relai Zz", "--db", db])
    assert result.exit_code == 1
    assert "did you mean" in result.stderr and T in result.stderr
    assert result.stderr.count("\n") == 1


def test_show_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = runner.invoke(app, ["show", T, "--db", str(missing)])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not missing.exists()


def test_conflicts(db: str) -> None:
    result = runner.invoke(app, ["conflicts", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    data = json.loads(line)
    assert data["predicate"] == "episodes"
    assert sorted(v["value"] for v in data["values"]) == ["12", "24"]
    table = runner.invoke(app, ["conflicts", "--db", db])
    assert table.exit_code == 0 and "1 open conflict" in table.output and T in table.output


def test_no_conflicts(store: Store) -> None:
    result = runner.invoke(app, ["conflicts", "--db", store.url])
    assert result.exit_code == 0 and "no open conflicts" in result.output


def test_show_history_with_sources(store: Store) -> None:
    for day, value, word in [("2024-01-01", "2024-04", "April"), ("2024-03-01", "2024-07", "July")]:
        store.add_extraction(
            ArticleBuilder(published=day, headline=f"Moonlit Relay in {word}")
            .say(f"Moonlit Relay premieres in {word} 2024.", work(T, "premiere", value))
            .build()
        )
    result = runner.invoke(app, ["show", T, "--db", store.url, "--sources"])
    assert result.exit_code == 0, result.output
    history = result.output[result.output.index("History") :]
    assert "2024-04" in history and "2024-07" in history
    assert "Moonlit Relay premieres in April 2024." in history
    assert "Moonlit Relay premieres in July 2024." in history


def test_show_prints_one_refined_premiere_and_its_history(store: Store) -> None:
    for day, value in [("2025-10-01", "2026-01"), ("2025-11-01", "2026-01-16")]:
        store.add_extraction(
            ArticleBuilder(published=day, headline=f"Paper Lantern date {day}")
            .say(f"Paper Lantern premieres {value}.", work("Paper Lantern", "premiere", value))
            .build()
        )
    result = runner.invoke(app, ["show", "Paper Lantern", "--db", store.url])
    assert result.exit_code == 0, result.output
    premiere_lines = [line for line in result.output.splitlines() if line.strip("│ ").startswith("premiere ")]
    assert len(premiere_lines) == 1 and "2026-01-16" in premiere_lines[0]
    [history] = [line for line in result.output.splitlines() if "→" in line]
    assert "2026-01 " in history and "2026-01-16" in history and "(refined)" in history
