"""`anigraph extract`: JSON Lines on stdout in input order and nothing else; errors on stderr; exit 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anigraph.cli import app
from anigraph.models import sha256_bytes, sha256_text

FORMATS = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _records(stdout: str) -> list[dict[str, object]]:
    lines = stdout.splitlines()
    assert lines, "nothing on stdout"
    return [json.loads(line) for line in lines]  # every line is JSON: nothing else was printed


def test_json_lines_in_input_order(runner: CliRunner) -> None:
    sources = ["pluto-netflix.txt", "studio-updates.atom", "chainsaw-man-staff.html", "announcements.jsonl"]
    result = runner.invoke(app, ["extract", "--json", *(str(FORMATS / s) for s in sources)])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    paths = [r["source"]["path"] for r in records]  # type: ignore[index]
    atom, jsonl = str(FORMATS / sources[1]), str(FORMATS / sources[3])
    html, txt_path = str(FORMATS / sources[2]), str(FORMATS / sources[0])
    assert paths == [txt_path, atom, atom, html, f"{jsonl}:1", f"{jsonl}:2", f"{jsonl}:3"]
    for record in records:
        assert set(record) >= {"source", "text_sha256", "facts"}
        assert set(record["source"]) >= {"path", "sha256", "url", "title", "published"}  # type: ignore[arg-type]
    txt = records[0]
    data = (FORMATS / sources[0]).read_bytes()
    assert txt["source"]["sha256"] == sha256_bytes(data)  # type: ignore[index]
    assert txt["text_sha256"] == sha256_text(data.decode("utf-8"))
    for fact in txt["facts"]:  # type: ignore[attr-defined]
        ev = fact["evidence"]
        assert data.decode("utf-8")[ev["start"] : ev["end"]] == ev["text"]
    assert records[3]["source"]["url"] == "https://news.example.org/2022/06/chainsaw-man-staff"  # type: ignore[index]


def test_bad_sources_go_to_stderr_and_exit_1_after_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "good.txt"
    shutil.copy(FORMATS / "pluto-netflix.txt", good)
    result = runner.invoke(
        app, ["extract", "--json", str(empty), str(FORMATS / "broken-feed.rss"), str(good), "missing.html"]
    )
    assert result.exit_code == 1
    assert [r["source"]["path"] for r in _records(result.stdout)] == [str(good)]  # type: ignore[index]
    assert f"error {empty}: empty file" in result.stderr
    assert f"error {FORMATS / 'broken-feed.rss'}: malformed feed" in result.stderr
    assert "error missing.html: no such file or directory" in result.stderr
    assert "3 source(s) failed" in result.stderr


def test_stdin(runner: CliRunner) -> None:
    data = (FORMATS / "season-news.rss").read_bytes()
    result = runner.invoke(app, ["extract", "--json", "-"], input=data)
    assert result.exit_code == 1  # the feed's fourth item has no text
    records = _records(result.stdout)
    assert [r["source"]["url"] for r in records] == [  # type: ignore[index]
        "https://feeds.example.org/news/bocchi-the-rock-october",
        "https://feeds.example.org/news/dandadan-opening",
        "https://feeds.example.org/news/frieren-special",
    ]
    assert (
        "error <stdin> item 4 (https://feeds.example.org/news/link-only): feed item has no text"
        in result.stderr
    )


def test_table_output_without_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(FORMATS / "pluto-netflix.txt")])
    assert result.exit_code == 0, result.stderr
    assert "pluto-netflix.txt" in result.stdout and "predicate" in result.stdout
