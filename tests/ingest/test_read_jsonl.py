"""JSON Lines: one Article per line, a bad line is a failure naming file:line and the rest still come."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import articles, failures

from anigraph.ingest import IngestFailure
from anigraph.models import sha256_bytes


def test_records(formats: Path, read) -> None:
    path = formats / "announcements.jsonl"
    got = read([path])
    assert len(got) == 3 and not failures(got)
    kaiju, solo, apothecary = articles(got)
    lines = path.read_bytes().split(b"\n")
    record = json.loads(lines[0])
    assert kaiju.text == f"{record['title']}\n\n{record['text']}"  # the title leads, as in a feed item
    assert kaiju.headline == kaiju.source.title == "Kaiju No. 8 streams live around the world"
    assert kaiju.source.url == "https://jsonl.example.org/kaiju-no-8"
    assert kaiju.author == "Sora Mori"
    assert kaiju.published == "2024-04-13"
    assert kaiju.source.sha256 == sha256_bytes(lines[0])
    assert kaiju.source.path == f"{path}:1"
    assert kaiju.source.format == "jsonl"
    assert solo.published == "2023-11-20"  # a timestamp keeps the date as written
    assert (apothecary.headline, apothecary.source.url, apothecary.published) == (None, None, None)
    assert apothecary.text == json.loads(lines[2])["text"]  # no title: the text exactly as given


def test_bad_lines_are_failures_naming_file_and_line(formats: Path, read) -> None:
    path = formats / "mixed.jsonl"
    items = read([path])
    assert [a.headline for a in articles(items)] == [
        "Mob Psycho 100 III starts in October",
        "Vinland Saga Season 2 moves to MAPPA",
    ]
    assert articles(items)[1].published == "2023-01"
    assert failures(items) == [
        IngestFailure(f"{path}:3", "invalid JSON (Unterminated string starting at, column 36)"),
        IngestFailure(f"{path}:4", '"text" is missing'),
        IngestFailure(f"{path}:5", '"text" is a number, not a string'),
        IngestFailure(f"{path}:6", "expected a JSON object, got an array"),
    ]
    # order is the file's order: article, failures, article
    assert isinstance(items[0], type(items[-1])) and isinstance(items[1], IngestFailure)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "   "}', '"text" is empty'),
        (b'{"text": "Pluto streams on Netflix.", "url": 5}', '"url" must be a string or null, not a number'),
        (b'{"text": "Caf\xe9"}', "not UTF-8 (invalid byte 0xe9 at column 14)"),
        (b"{}", '"text" is missing'),
    ],
)
def test_line_errors(tmp_path: Path, read, line: bytes, reason: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"text": "Good line about Bocchi the Rock!."}\r\n' + line + b"\n")
    items = read([path])
    assert len(articles(items)) == 1
    assert articles(items)[0].text == "Good line about Bocchi the Rock!."  # CRLF line break is not text
    assert failures(items) == [IngestFailure(f"{path}:2", reason)]


def test_jsonl_detected_by_content(tmp_path: Path, read) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"text": "Dandadan starts in October 2024."}\n{"text": "Frieren returns."}\n')
    assert [a.text for a in articles(read([path]))] == [
        "Dandadan starts in October 2024.",
        "Frieren returns.",
    ]


@pytest.mark.parametrize(
    ("record", "text"),
    [
        ({"title": "Pluto on Netflix", "text": "Studio M2."}, "Pluto on Netflix\n\nStudio M2."),
        ({"title": "Pluto on Netflix", "text": "Pluto on Netflix\nby M2."}, "Pluto on Netflix\nby M2."),
        ({"title": None, "text": "  Studio M2 made it.\r\n"}, "  Studio M2 made it.\r\n"),
    ],
)
def test_title_leads_the_text_once(tmp_path: Path, read, record: dict[str, str | None], text: str) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    [article] = read([path])
    assert not isinstance(article, IngestFailure)
    assert article.text == text


def test_a_line_nested_too_deeply_fails_alone(tmp_path: Path, read) -> None:
    """A line nested 100,000 deep once failed the whole file with a traceback."""
    good = json.dumps({"text": "Velvet Orbit premieres in April."}).encode()
    deep = b'{"text": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(good + b"\n" + deep + b"\n" + good.replace(b"April", b"May") + b"\n")
    items = read([path])
    assert [a.text for a in articles(items)] == [
        "Velvet Orbit premieres in April.",
        "Velvet Orbit premieres in May.",
    ]
    assert failures(items) == [IngestFailure(f"{path}:2", "JSON nested too deeply to read")]
