"""Properties: plain text is never altered, and no input makes a reader raise instead of reporting."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anigraph.errors import IngestError
from anigraph.ingest import IngestFailure, ReadOptions, read_bytes
from anigraph.ingest.dates import normalise_date
from anigraph.ingest.sniff import sniff
from anigraph.models import Article

OPTIONS = ReadOptions(max_bytes=1 << 20)
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), min_size=1))
def test_text_is_kept_exactly(text: str) -> None:
    data = text.encode("utf-8")
    try:
        [article] = read_bytes(data, name="t.txt", path="t.txt", fmt="text", options=OPTIONS)
    except IngestError as e:  # the only refusal of valid UTF-8 text: nothing but (Unicode) whitespace
        assert not text.strip(), e
        return
    assert isinstance(article, Article)
    assert article.text == text


@QUICK
@given(st.binary(max_size=400), st.sampled_from(["text", "html", "feed", "jsonl"]))
def test_any_bytes_give_articles_or_a_reason(data: bytes, fmt: str) -> None:
    try:
        items = list(read_bytes(data, name="x", path="x", fmt=fmt, options=OPTIONS))
    except IngestError as e:
        assert e.reason
        return
    for item in items:
        assert isinstance(item, Article | IngestFailure)
        if isinstance(item, Article):
            assert item.text.strip()


@QUICK
@given(st.binary(max_size=200))
def test_sniff_always_answers(data: bytes) -> None:
    assert sniff(data) in {"text", "html", "feed", "jsonl"}


@QUICK
@given(st.text(max_size=40))
def test_normalise_date_never_raises(value: str) -> None:
    out = normalise_date(value)
    assert out is None or out[:4].isdigit()
