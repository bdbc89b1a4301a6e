"""Format detection and date normalisation."""

from __future__ import annotations

import pytest

from anigraph.ingest.dates import normalise_date
from anigraph.ingest.sniff import detect, sniff


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"Frieren returns in January.\n", "text"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"<html lang='en'><body></body></html>", "html"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "feed"),
        (b'\n{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"<b>bold claim</b> in a text file", "text"),
        (b"< 5 episodes left", "text"),
    ],
)
def test_sniff(data: bytes, fmt: str) -> None:
    assert sniff(data) == fmt


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("a.txt", b"<html><body>kept as text</body></html>", "text"),  # the extension decides
        ("a.HTM", b"plain words", "html"),
        ("a.rss", b"x", "feed"),
        ("a.ndjson", b"x", "jsonl"),
        ("a.xml", b"<rss><channel></channel></rss>", "feed"),
        ("noext", b'{"text": "x"}', "jsonl"),
    ],
)
def test_detect(name: str, data: bytes, fmt: str) -> None:
    assert detect(name, data) == fmt


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-09-29", "2023-09-29"),
        ("2023-09-29T23:30:00+09:00", "2023-09-29"),
        ("2023-09-29 10:00", "2023-09-29"),
        ("20230929", "2023-09-29"),
        ("2024-10", "2024-10"),
        ("2024", "2024"),
        ("Fri, 29 Sep 2023 23:00:00 +0900", "2023-09-29"),
        ("September 29, 2023", "2023-09-29"),
        ("Sept 29th, 2023", None),
        ("29 September 2023", "2023-09-29"),
        ("January 2023", "2023-01"),
        ("2023-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20230929, None),
    ],
)
def test_normalise_date(raw: object, expected: str | None) -> None:
    assert normalise_date(raw) == expected
