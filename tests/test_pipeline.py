"""The batch pipeline on a real store: order, isolation of bad articles, idempotence, worker processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import func, select

from anigraph.errors import ExtractError
from anigraph.extract import Extractor
from anigraph.ingest import IngestFailure
from anigraph.models import Article, Evidence, Extraction, Fact, Source, sha256_text
from anigraph.pipeline import ExtractionWorkers, Progress, extract_batch, extract_sources, ingest
from anigraph.store import Store, tables

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
GOOD = ["announcements.jsonl", "chainsaw-man-staff.html", "pluto-netflix.txt", "studio-updates.atom"]
GOOD_ARTICLES = 3 + 1 + 1 + 2


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'pipeline.db'}") as s:
        yield s


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of good sources plus one binary file among them."""
    root = tmp_path / "corpus"
    root.mkdir()
    for name in GOOD:
        shutil.copy(FORMATS / name, root / name)
    (root / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    return root


def stored_shas(store: Store) -> list[str]:
    with store.session() as session:
        return sorted(session.scalars(select(tables.Article.sha256)))


def test_ingest_stores_the_good_articles_and_names_the_bad_file(
    store: Store, extractor: Extractor, corpus: Path
) -> None:
    summary = ingest([str(corpus)], store=store, extractor=extractor)
    assert (summary.articles, summary.stored, summary.unchanged) == (GOOD_ARTICLES, GOOD_ARTICLES, 0)
    assert summary.failures == [
        IngestFailure(str(corpus / "cover.jpg"), "binary file (JPEG image), not an article")
    ]
    expected = sorted(
        r.article.source.sha256
        for r in extract_sources([str(corpus)], extractor=extractor)
        if isinstance(r, Extraction)
    )
    assert stored_shas(store) == expected and len(expected) == GOOD_ARTICLES
    assert summary.seconds > 0 and summary.articles_per_second > 0
    assert summary.to_json()["failures"] == [
        {"source": str(corpus / "cover.jpg"), "reason": "binary file (JPEG image), not an article"}
    ]


class _Unused(Extractor):
    def __init__(self) -> None:
        pass

    def extract(self, article: Article) -> Extraction:
        raise AssertionError(f"{article.source.path} was extracted again")

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract(article)


def test_reingest_is_idempotent(store: Store, extractor: Extractor, corpus: Path) -> None:
    first = ingest([str(corpus)], store=store, extractor=extractor)
    before = stored_shas(store)
    with store.session() as session:
        claims = session.scalar(select(func.count()).select_from(tables.Claim))
    second = ingest([str(corpus)], store=store, extractor=_Unused())  # stored articles are not re-extracted
    assert (second.stored, second.unchanged, second.failed) == (0, first.stored, 1)
    assert second.articles == first.articles
    assert stored_shas(store) == before
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(tables.Claim)) == claims


def test_progress_is_reported_for_every_item_in_order(
    store: Store, extractor: Extractor, corpus: Path
) -> None:
    seen: list[Progress] = []
    summary = ingest([str(corpus)], store=store, extractor=extractor, on_progress=seen.append, batch_size=2)
    assert [p.done for p in seen] == list(range(1, GOOD_ARTICLES + 2))
    assert seen[-1].stored == summary.stored and seen[-1].failed == 1
    failed = [p for p in seen if p.failure is not None]
    assert len(failed) == 1 and failed[0].failure is not None and failed[0].last == str(corpus / "cover.jpg")


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_extract_sources_keeps_input_order(extractor: Extractor, corpus: Path, batch_size: int) -> None:
    sources = [str(FORMATS / "pluto-netflix.txt"), str(corpus / "cover.jpg"), str(FORMATS / "mixed.jsonl")]
    labels = [
        r.source if isinstance(r, IngestFailure) else r.article.source.path
        for r in extract_sources(sources, extractor=extractor, batch_size=batch_size)
    ]
    mixed = str(FORMATS / "mixed.jsonl")
    assert labels == [sources[0], sources[1], f"{mixed}:1", *(f"{mixed}:{n}" for n in (3, 4, 5, 6, 7))]


class _Fragile(Extractor):
    """The real extractor, except that it breaks on articles containing a marker word."""

    def __init__(self, inner: Extractor, *, marker: str, broken_fact: bool) -> None:
        self.inner = inner
        self.marker = marker
        self.broken_fact = broken_fact

    def extract(self, article: Article) -> Extraction:
        if self.marker in article.text and not self.broken_fact:
            raise ValueError(f"cannot parse {self.marker}")
        result = self.inner.extract(article)
        if self.marker in article.text:
            start = article.text.index(self.marker)
            ev = Evidence(start, start + len(self.marker), self.marker)
            result.facts.append(Fact("X", "work", "not_a_predicate", "Y", ev))
        return result

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract(article)


@pytest.mark.parametrize(
    ("broken_fact", "reason_start"),
    [
        (False, "extraction failed (ValueError: cannot parse Pochita)"),
        (True, "could not store (StoreError: "),
    ],
    ids=["extractor-raises", "store-rejects"],
)
def test_one_bad_article_does_not_stop_the_batch(
    store: Store, extractor: Extractor, corpus: Path, broken_fact: bool, reason_start: str
) -> None:
    fragile = _Fragile(extractor, marker="Pochita", broken_fact=broken_fact)
    summary = ingest([str(corpus)], store=store, extractor=fragile)
    bad = [f for f in summary.failures if f.source == str(corpus / "chainsaw-man-staff.html")]
    assert len(bad) == 1 and bad[0].reason.startswith(reason_start)
    assert summary.stored == GOOD_ARTICLES - 1
    # nothing of the rejected article was half-written
    with store.session() as session:
        paths = list(session.scalars(select(tables.Article.path)))
    assert str(corpus / "chainsaw-man-staff.html") not in paths and len(paths) == GOOD_ARTICLES - 1


def test_worker_processes_give_the_same_result_in_order(extractor: Extractor, corpus: Path) -> None:
    sources = [str(corpus), str(FORMATS / "season-news.rss"), str(FORMATS / "mixed.jsonl")]

    def run(jobs: int) -> list[object]:
        return [
            r.to_json() if isinstance(r, Extraction) else r
            for r in extract_sources(
                sources, extractor=extractor if jobs == 1 else None, jobs=jobs, batch_size=2
            )
        ]

    serial = run(1)
    assert run(2) == serial
    assert len([r for r in serial if isinstance(r, dict)]) == GOOD_ARTICLES + 3 + 2


class _Crashing(Extractor):
    """Finds no facts (cheap to load in each worker) and kills its worker process on articles that
    mention a marker word, as a crash in native code would."""

    def __init__(self) -> None:
        pass

    def extract(self, article: Article) -> Extraction:
        if "Pochita" in article.text:
            os._exit(3)
        return Extraction(article=article, facts=[])

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract(article)


def crashing_extractor() -> Extractor:
    return _Crashing()


def test_a_dying_worker_costs_only_the_article_that_killed_it(corpus: Path) -> None:
    sources = [str(corpus / "chainsaw-man-staff.html"), str(corpus / "pluto-netflix.txt")]
    results = list(extract_sources(sources, jobs=2, batch_size=1, extractor_factory=crashing_extractor))
    assert len(results) == 2
    died, survived = results
    assert isinstance(died, IngestFailure) and died.source == sources[0]
    assert died.reason.startswith("extraction worker died")
    assert isinstance(survived, Extraction) and survived.article.source.path == sources[1]


def broken_extractor() -> Extractor:
    raise OSError("model files missing")


def test_a_worker_that_cannot_load_the_extractor_stops_the_run(corpus: Path) -> None:
    with pytest.raises(ExtractError, match=r"could not load the extractor \(OSError: model files missing\)"):
        list(extract_sources([str(corpus)], jobs=2, extractor_factory=broken_extractor))


def test_started_workers_serve_several_runs_and_a_crash(corpus: Path, tmp_path: Path) -> None:
    """Workers started once (as a server or a benchmark keeps them) run two ingests and survive a
    worker crash in between: the pool is replaced and the next run still works."""
    with ExtractionWorkers(2, extractor_factory=crashing_extractor) as workers:
        assert workers.start() >= 0.0
        assert workers.start() < 1.0  # already started: returns at once
        with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as a:
            first = ingest([str(corpus / "pluto-netflix.txt")], store=a, workers=workers)
            crashed = ingest(
                [str(corpus / "chainsaw-man-staff.html")], store=a, workers=workers, batch_size=1
            )
            after = ingest([str(corpus / "announcements.jsonl")], store=a, workers=workers)
    assert (first.stored, first.failed) == (1, 0)
    assert crashed.failed == 1 and crashed.failures[0].reason.startswith("extraction worker died")
    assert (after.stored, after.failed) == (3, 0)


def test_workers_that_cannot_load_fail_at_start() -> None:
    with (
        ExtractionWorkers(2, extractor_factory=broken_extractor) as workers,
        pytest.raises(ExtractError, match=r"could not load the extractor \(OSError: model files missing\)"),
    ):
        workers.start()
    with pytest.raises(ValueError, match="jobs >= 2, not 1"):
        ExtractionWorkers(1)


def test_ingest_into_postgresql(pg_url: str, extractor: Extractor, corpus: Path) -> None:
    with Store.open(pg_url) as pg:
        summary = ingest([str(corpus)], store=pg, extractor=extractor)
        again = ingest([str(corpus)], store=pg, extractor=extractor)
        assert (summary.stored, summary.failed) == (GOOD_ARTICLES, 1)
        assert (again.stored, again.unchanged) == (0, GOOD_ARTICLES)
        assert len(stored_shas(pg)) == GOOD_ARTICLES


def light_extractor() -> Extractor:
    """A stand-in extractor for tests of the worker processes themselves (loads in no time)."""
    return cast(Extractor, object())


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in {"Z", "X"}  # a zombie has exited, whoever reaps it


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc (Linux)")
def test_workers_exit_when_their_parent_is_killed() -> None:
    """kill -9 of an 'ingest --jobs 2' once left both workers running (about 120 MB each)."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from anigraph.pipeline import ExtractionWorkers\n"
        "from test_pipeline import light_extractor\n"
        "workers = ExtractionWorkers(2, extractor_factory=light_extractor)\n"
        "workers.start()\n"
        "print(' '.join(str(p) for p in workers._workers.pool._processes), flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in pids), "workers outlived their killed parent"
    finally:
        parent.kill()


class _Slow:
    """An extractor that takes far too long on one article (the one whose text says so)."""

    def pipe(self, articles: Iterable[Article], *, batch_size: int) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract(article)

    def extract(self, article: Article) -> Extraction:
        if "slow" in article.text:
            time.sleep(30)
        return Extraction(article=article, facts=[], entities=[])


def test_an_article_over_the_time_limit_fails_alone(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANIGRAPH_EXTRACT_TIMEOUT", "0.5")
    articles = [
        Article(text=t, source=Source(sha256=sha256_text(t), path=t))
        for t in ("fast one", "slow one", "fast two")
    ]
    began = time.monotonic()
    results = extract_batch(cast(Extractor, _Slow()), articles, batch_size=8)
    assert time.monotonic() - began < 10
    assert [type(r).__name__ for r in results] == ["Extraction", "IngestFailure", "Extraction"]
    failure = results[1]
    assert isinstance(failure, IngestFailure)
    assert failure.reason == "extraction took longer than 0.5 s (ANIGRAPH_EXTRACT_TIMEOUT)"


def test_the_summary_counts_only_the_facts_it_stored(
    store: Store, extractor: Extractor, tmp_path: Path
) -> None:
    """Two copies of one article in one run: the second is extracted but not stored, nor counted."""
    text = (
        "Velvet Orbit Sets April Premiere\n\nThe Velvet Orbit anime premieres on TV Tokyo on April 9, 2027.\n"
    )
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'one.db'}") as alone:
        one = ingest([str(tmp_path / "a.txt")], store=alone, extractor=extractor)
    both = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store=store, extractor=extractor)
    assert (both.stored, both.unchanged) == (1, 1)
    assert both.facts == one.facts > 0
