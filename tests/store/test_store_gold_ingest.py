"""Store the gold facts of the shared dev corpus (read from ../shared, never copied) and check merging.

Each gold fact becomes a Fact whose evidence is the line of the article that names its object,
so this exercises linking and merging on real titles without depending on the extractor:
works named in several articles become one record, sequels and seasons stay apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from anigraph.models import (
    ARTICLE_PREDICATES,
    CHARACTER_PREDICATES,
    Article,
    Evidence,
    Extraction,
    Fact,
    Source,
    sha256_text,
)
from anigraph.store import Store
from anigraph.store.tables import Article as ArticleRow
from anigraph.store.tables import ClaimSource, Entity


def _evidence(text: str, needle: str) -> Evidence:
    at = text.casefold().find(needle.casefold()) if needle else -1
    if at < 0:
        at = 0
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return Evidence(start, end, text[start:end])


def _subject_type(subject: str, predicate: str, works: dict[str, list[str]]) -> str:
    if subject == "@article" or predicate in ARTICLE_PREDICATES:
        return "article"
    if predicate == "known_for":
        return "person"
    if predicate in CHARACTER_PREDICATES - {"alias"}:
        return "character"
    if predicate == "alias" and subject not in works:
        return "character"
    return "work"


def gold_extraction(gold_path: Path, shared: Path) -> Extraction | None:
    gold: dict[str, Any] = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = shared.parent / gold["source"]
    if not text_path.is_file():
        return None
    text = text_path.read_text(encoding="utf-8")
    facts = []
    for raw in gold["required"] + gold["optional"]:
        subject, predicate, obj = raw[0], raw[1], raw[2]
        if isinstance(obj, list):
            if not obj:
                continue  # "any value" in the gold: nothing to store
            obj = obj[0]
        quals = {k: (v[0] if isinstance(v, list) else v) for k, v in (raw[3] if len(raw) > 3 else {}).items()}
        subject_type = _subject_type(subject, predicate, gold["works"])
        if subject_type == "article":
            subject = text.split("\n", 1)[0]
        facts.append(Fact(subject, subject_type, predicate, str(obj), _evidence(text, str(obj)), 0.9, quals))  # type: ignore[arg-type]
    source = Source(sha256=sha256_text(text), path=str(text_path))
    return Extraction(article=Article(text=text, source=source), facts=facts)


@pytest.fixture
def gold_extractions(shared_dir: Path) -> list[tuple[Path, Extraction]]:
    out = []
    for path in sorted((shared_dir / "eval" / "gold").glob("dev-*.json")):
        extraction = gold_extraction(path, shared_dir)
        if extraction is not None:
            out.append((path, extraction))
    if not out:
        pytest.skip(f"no gold articles with text under {shared_dir}")
    return out


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """SQLite only: this checks linking and merging on real titles, which do not depend on the
    database (every store rule runs on PostgreSQL in the other tests), and it is the slow one."""
    store = Store.open(f"sqlite:///{tmp_path / 'gold.db'}")
    yield store
    store.close()


def test_gold_facts_merge_into_one_record_per_work_idempotently(
    sqlite_store: Store, gold_extractions: list[tuple[Path, Extraction]]
) -> None:
    store = sqlite_store
    for _path, extraction in gold_extractions:
        assert store.add_extraction(extraction).created
    with store.session() as s:
        before = (s.scalar(select(func.count(ClaimSource.id))), s.scalar(select(func.count(Entity.id))))
    for _path, extraction in gold_extractions:  # a second run changes nothing
        assert not store.add_extraction(extraction).created
    with store.session() as s:
        after = (s.scalar(select(func.count(ClaimSource.id))), s.scalar(select(func.count(Entity.id))))
        assert s.scalar(select(func.count(ArticleRow.id))) == len(gold_extractions)
    assert before == after
    articles_of: dict[str, set[int]] = {}
    for path, _extraction in gold_extractions:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for title in gold["works"]:
            work = store.find_work(title)
            assert work.name == title, f"{title!r} was merged into {work.name!r}"
            articles_of.setdefault(title, set()).add(work.id)
            articles_of.setdefault(f"#{work.id}", set()).add(hash(path.name))
    # a title names one work across articles, and different titles stay different works
    for title, ids in articles_of.items():
        if not title.startswith("#"):
            assert len(ids) == 1, f"{title!r} became {len(ids)} works"
    titles = [t for t in articles_of if not t.startswith("#")]
    ids = {next(iter(articles_of[t])) for t in titles}
    assert len(ids) == len(titles), "two gold works were merged into one"
    # works named in two articles have sources from both
    multi = [t for t in titles if len(articles_of[f"#{next(iter(articles_of[t]))}"]) > 1]
    assert multi, "expected some work to appear in two dev articles"
    for title in multi:
        record = store.work_record(store.find_work(title).id)
        assert record.source_count >= 2, title
