"""The batch pipeline: sources → Articles → Extractions → the store, one article at a time.

:func:`extract_sources` reads every source and extracts facts in input order, batching articles
through ``Extractor.pipe``; with ``jobs > 1`` extraction runs in worker processes (each loads the
Extractor once) while results come back in order. :func:`ingest` writes the extractions to the
store from the main process (a single writer), a chunk's in one transaction with a savepoint per
article (``Store.add_extractions``), so one bad article never stops the batch and nothing is
half-written. Every article that is not stored has a recorded
reason (an :class:`~anigraph.ingest.IngestFailure`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from anigraph import settings
from anigraph.errors import ExtractError, ExtractTimeout
from anigraph.ingest import IngestFailure, ReadOptions, Skipped, read_sources
from anigraph.models import Article, Extraction

if TYPE_CHECKING:
    # worker processes import this module but never need the store; with jobs > 1 the main
    # process never needs spaCy, so the extractor is imported only where it runs
    from anigraph.extract import Extractor
    from anigraph.store import Store

log = logging.getLogger(__name__)

BATCH_SIZE = 32  # articles per Extractor.pipe batch and per worker chunk

Result = Extraction | IngestFailure


@dataclass(frozen=True, slots=True)
class Known:
    """An article the store already has (same source sha256): not extracted again."""

    article: Article


Item = Article | IngestFailure | Known  # what reading yields, with already-stored articles marked
Out = Result | Known


def source_label(article: Article) -> str:
    """How errors and progress name an article: its path, else its URL, else its sha256."""
    return article.source.path or article.source.url or f"article {article.source.sha256[:12]}"


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot after each article or failure, for progress bars."""

    done: int  # articles and failures handled so far
    articles: int  # articles read (extracted, or skipped as already stored)
    stored: int
    unchanged: int
    failed: int
    facts: int
    seconds: float
    last: str | None = None  # the source just handled
    failure: IngestFailure | None = None  # set when that source failed

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


@dataclass(slots=True)
class IngestSummary:
    """What one ``ingest`` run did."""

    articles: int = 0  # articles read (extracted, or skipped as already stored)
    stored: int = 0  # new articles written
    unchanged: int = 0  # already in the store (same source, or same text under another source)
    facts: int = 0  # facts extracted in this run
    seconds: float = 0.0
    failures: list[IngestFailure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # files a directory walk found not to be articles

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
            "failures": [f.to_json() for f in self.failures],
            "skipped": len(self.skipped),
            "skipped_files": [s.to_json() for s in self.skipped],
        }


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExtractTimeout in the block after ``seconds`` (a SIGALRM timer: in the main thread of a
    process only, as in ``anigraph ingest`` and its workers; elsewhere, and with 0, no limit)."""
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "SIGALRM")
    ):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise ExtractTimeout(f"extraction took longer than {seconds:g} s (ANIGRAPH_EXTRACT_TIMEOUT)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_batch(extractor: Extractor, articles: list[Article], *, batch_size: int) -> list[Result]:
    """Extract a batch through ``Extractor.pipe``; if the batch fails (or overruns its time), retry one
    by one so only the article that breaks the extractor, or takes longer than the per-article limit
    (``ANIGRAPH_EXTRACT_TIMEOUT``), is lost (as an IngestFailure saying why)."""
    if not articles:
        return []
    limit = settings.get_float("extract_timeout")
    try:
        with time_limit(limit * len(articles)):
            results: list[Result] = list(extractor.pipe(articles, batch_size=batch_size))
        if len(results) == len(articles):
            return results
        log.warning("Extractor.pipe returned %d results for %d articles", len(results), len(articles))
    except Exception:
        log.info("batch extraction failed; retrying its %d articles one by one", len(articles), exc_info=True)
    out: list[Result] = []
    for article in articles:
        try:
            with time_limit(limit):
                out.append(extractor.extract(article))
        except ExtractTimeout as e:
            out.append(IngestFailure(source_label(article), str(e)))
        except Exception as e:  # one article's failure is recorded, the batch goes on
            log.debug("extraction failed for %s", source_label(article), exc_info=True)
            out.append(IngestFailure(source_label(article), f"extraction failed ({type(e).__name__}: {e})"))
    return out


_T = TypeVar("_T")


def _runs(items: Iterable[_T], size: int, counted: type) -> Iterator[list[_T]]:
    """Consecutive runs of ``items`` holding at most ``size`` of the ``counted`` kind (others ride along)."""
    run: list[_T] = []
    n = 0
    for item in items:
        run.append(item)
        if isinstance(item, counted):
            n += 1
            if n >= size:
                yield run
                run, n = [], 0
    if run:
        yield run


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive runs of items holding at most ``size`` articles (failures ride along)."""
    return _runs(items, size, Article)


def _merge(chunk: list[Item], results: list[Result]) -> Iterator[Out]:
    """The chunk in order, each Article replaced by its extraction result."""
    pending = iter(results)
    for item in chunk:
        yield next(pending) if isinstance(item, Article) else item


# --- worker processes -------------------------------------------------------------------------

ExtractorFactory = Callable[[], "Extractor"]
_WORKER_EXTRACTOR: Extractor | None = None
_WORKER_LOAD_ERROR: str | None = None
WORKER_DIED = "extraction worker died (a crash in native code or out of memory?)"
READY_PING_SECONDS = 0.05  # how long a readiness ping keeps its worker busy (so each worker gets one)


def load_extractor() -> Extractor:
    """The default extractor factory (a module-level function, so worker processes can unpickle it)."""
    from anigraph.extract import Extractor

    return Extractor.load()


PARENT_POLL_SECONDS = 1.0


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with SIGKILL, say): a worker
    never outlives its ingest. Its parent changes to init (or a subreaper) when the parent dies."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="anigraph-parent-watch", daemon=True).start()


def _init_worker(level: int, factory: ExtractorFactory, parent: int | None = None) -> None:
    global _WORKER_EXTRACTOR, _WORKER_LOAD_ERROR
    if parent is not None:
        _exit_with_parent(parent)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s[worker]: %(message)s")
    try:
        _WORKER_EXTRACTOR = factory()
    except Exception as e:  # reported by _work as an ExtractError, which stops the run
        _WORKER_LOAD_ERROR = f"{type(e).__name__}: {e}"


def _loaded() -> Extractor:
    if _WORKER_EXTRACTOR is None:
        raise ExtractError(f"a worker process could not load the extractor ({_WORKER_LOAD_ERROR})")
    return _WORKER_EXTRACTOR


def _work(articles: list[Article], batch_size: int) -> list[Result]:
    return extract_batch(_loaded(), articles, batch_size=batch_size)


def _ping(seconds: float) -> int:
    """Runs in a worker once its extractor is loaded: which worker answered."""
    _loaded()
    time.sleep(seconds)
    return os.getpid()


class _Workers:
    """A spawn-based process pool whose workers each load one Extractor; replaced when it breaks."""

    def __init__(self, jobs: int, factory: ExtractorFactory) -> None:
        self.jobs = jobs
        self.factory = factory
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn: workers start clean (no inherited threads, locks or database connections)
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(logging.getLogger("anigraph").getEffectiveLevel(), self.factory, os.getpid()),
        )

    def submit(self, articles: list[Article], batch_size: int) -> Future[list[Result]]:
        try:
            return self.pool.submit(_work, articles, batch_size)
        except BrokenProcessPool as e:  # broke since the last result: report it where results are read
            failed: Future[list[Result]] = Future()
            failed.set_exception(e)
            return failed

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def launch(self) -> list[Future[int]]:
        """Spawn every worker now (each loads its extractor) without waiting for them."""
        return [self.pool.submit(_ping, READY_PING_SECONDS) for _ in range(self.jobs)]

    def wait_ready(self, pings: list[Future[int]], *, timeout: float) -> None:
        """Block until every worker has loaded its extractor (an ExtractError if one could not)."""
        deadline = time.monotonic() + timeout
        ready: set[int] = set()
        while True:
            for ping in pings:
                try:
                    ready.add(ping.result(timeout=max(deadline - time.monotonic(), 0.0)))
                except FutureTimeout as e:
                    raise ExtractError(f"extraction workers not ready after {timeout:.0f} s") from e
                except BrokenProcessPool as e:
                    raise ExtractError(WORKER_DIED) from e
            if len(ready) >= self.jobs:
                return
            # a quick worker answered several pings while another was still loading: ask again
            pings = [self.pool.submit(_ping, READY_PING_SECONDS) for _ in range(self.jobs)]

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _isolate(chunks: list[list[Item]], *, factory: ExtractorFactory, batch_size: int) -> Iterator[Out]:
    """After a worker died: extract the lost chunks one article at a time in a one-worker pool, so
    only the article that kills its worker is lost (as an IngestFailure), not its whole chunk."""
    single = _Workers(1, factory)
    try:
        for chunk in chunks:
            out: list[Result] = []
            for article in (i for i in chunk if isinstance(i, Article)):
                try:
                    out.extend(single.submit([article], batch_size).result())
                except BrokenProcessPool:
                    log.error("%s: %s", source_label(article), WORKER_DIED)
                    out.append(IngestFailure(source_label(article), WORKER_DIED))
                    single.restart()
            yield from _merge(chunk, out)
    finally:
        single.shutdown()


class ExtractionWorkers:
    """Extraction worker processes started ahead of the articles and reusable across runs.

    Each worker loads the extractor once (about a second of CPU). :meth:`start` spawns them and,
    by default, waits until every one is ready, so a run that follows spends its time on articles;
    a long-lived process (a server, a benchmark, several ``ingest`` calls) pays the start-up once::

        with ExtractionWorkers(jobs=2) as workers:
            ingest(paths, store=store, workers=workers)
    """

    def __init__(self, jobs: int, *, extractor_factory: ExtractorFactory | None = None) -> None:
        if jobs < 2:
            raise ValueError(f"ExtractionWorkers needs jobs >= 2, not {jobs} (jobs=1 extracts in-process)")
        self.jobs = jobs
        self._workers = _Workers(jobs, extractor_factory or load_extractor)
        self._pings: list[Future[int]] | None = None

    def start(self, *, wait: bool = True, timeout: float = 300.0) -> float:
        """Spawn the workers; with ``wait`` block until all have loaded. Returns the seconds spent."""
        began = time.perf_counter()
        if self._pings is None:
            self._pings = self._workers.launch()
        if wait:
            self._workers.wait_ready(self._pings, timeout=timeout)
        return time.perf_counter() - began

    def close(self) -> None:
        self._workers.shutdown()

    def __enter__(self) -> ExtractionWorkers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _extract_parallel(items: Iterable[Item], *, batch_size: int, pool: ExtractionWorkers) -> Iterator[Out]:
    pool.start(wait=False)  # no-op when already started
    workers, jobs = pool._workers, pool.jobs
    inflight: deque[tuple[list[Item], Future[list[Result]]]] = deque()
    chunks = _chunks(items, batch_size)

    def submit(chunk: list[Item]) -> None:
        inflight.append((chunk, workers.submit([i for i in chunk if isinstance(i, Article)], batch_size)))

    for chunk in chunks:
        submit(chunk)
        if len(inflight) >= jobs * 2:
            break
    while inflight:
        chunk, future = inflight[0]
        try:
            results = future.result()
        except BrokenProcessPool:
            # every chunk in flight is lost with the pool; redo them one article at a time
            log.warning("an extraction worker died; isolating the article that killed it")
            lost = [c for c, _ in inflight]
            inflight.clear()
            yield from _isolate(lost, factory=workers.factory, batch_size=batch_size)
            workers.restart()
        else:
            inflight.popleft()
            yield from _merge(chunk, results)
        while len(inflight) < jobs * 2:
            nxt = next(chunks, None)
            if nxt is None:
                break
            submit(nxt)


def _results(
    sources: Sequence[str],
    *,
    extractor: Extractor | None,
    jobs: int,
    batch_size: int,
    options: ReadOptions,
    stdin: BinaryIO | None,
    extractor_factory: ExtractorFactory | None,
    known: Callable[[str], bool] | None,
    workers: ExtractionWorkers | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Out]:
    items: Iterable[Item] = read_sources(sources, options=options, stdin=stdin, on_skip=on_skip)
    if known is not None:
        check = known
        items = (Known(i) if isinstance(i, Article) and check(i.source.sha256) else i for i in items)
    if workers is not None:  # started by the caller, kept for its next run
        yield from _extract_parallel(items, batch_size=batch_size, pool=workers)
        return
    if jobs > 1:  # workers for this run only
        with ExtractionWorkers(jobs, extractor_factory=extractor_factory) as own:
            yield from _extract_parallel(items, batch_size=batch_size, pool=own)
        return
    ext = extractor or load_extractor()
    for chunk in _chunks(items, batch_size):
        articles = [i for i in chunk if isinstance(i, Article)]
        yield from _merge(chunk, extract_batch(ext, articles, batch_size=batch_size))


def extract_sources(
    sources: Sequence[str],
    *,
    extractor: Extractor | None = None,
    jobs: int = 1,
    fetch: bool = False,
    batch_size: int = BATCH_SIZE,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    extractor_factory: ExtractorFactory | None = None,
    workers: ExtractionWorkers | None = None,
) -> Iterator[Result]:
    """Extractions (and failures) for every article of every source, in input order.

    With ``jobs == 1`` the given ``extractor`` (or ``Extractor.load()``) runs here; with
    ``jobs > 1`` each worker process calls ``extractor_factory`` (a picklable callable,
    default ``Extractor.load``) once. A worker that dies costs only the article that killed it.
    ``workers`` (already started :class:`ExtractionWorkers`) replaces ``jobs`` and the factory.
    """
    results = _results(
        sources,
        extractor=extractor,
        jobs=jobs,
        batch_size=batch_size,
        options=options or ReadOptions.from_settings(fetch=fetch),
        stdin=stdin,
        extractor_factory=extractor_factory,
        known=None,
        workers=workers,
    )
    for result in results:
        if not isinstance(result, Known):  # only ingest marks articles as known
            yield result


def _groups(results: Iterable[Out], size: int) -> Iterator[list[Out]]:
    """``results`` in runs holding ``size`` extractions (the last fewer), stored one run a transaction.

    Reading and extraction go by chunks of ``size`` articles, so a run ends where a chunk does (when
    none of its articles failed to extract) and the next chunk is read (and checked against the
    store) after the run is stored, as when results were stored one by one."""
    return _runs(results, size, Extraction)


def ingest(
    sources: Sequence[str],
    *,
    store: Store,
    extractor: Extractor | None = None,
    jobs: int = 1,
    fetch: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    batch_size: int = BATCH_SIZE,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    extractor_factory: ExtractorFactory | None = None,
    workers: ExtractionWorkers | None = None,
) -> IngestSummary:
    """Read, extract and store every article of ``sources``; failures are counted, never fatal.

    Articles whose source sha256 the store already has are counted as unchanged without being
    extracted again, so re-ingesting a folder costs little more than reading it. Files a directory
    walk skips as not articles (the store's database, a README) are listed in ``summary.skipped``.
    """
    summary = IngestSummary()
    start = time.perf_counter()
    results = _results(
        sources,
        extractor=extractor,
        jobs=jobs,
        batch_size=batch_size,
        options=options or ReadOptions.from_settings(fetch=fetch),
        stdin=stdin,
        extractor_factory=extractor_factory,
        known=store.has_article,
        workers=workers,
        on_skip=summary.skipped.append,
    )
    done = 0
    for group in _groups(results, batch_size):  # an extraction chunk's results: stored in one batch
        stored = iter(store.add_extractions([r for r in group if isinstance(r, Extraction)]))
        for result in group:
            done += 1
            failure: IngestFailure | None = None
            if isinstance(result, IngestFailure):
                log.info("%s", result)
                failure = result
                last = result.source
            elif isinstance(result, Known):  # already stored: not extracted or written again
                last = source_label(result.article)
                summary.articles += 1
                summary.unchanged += 1
            else:
                last = source_label(result.article)
                summary.articles += 1
                added = next(stored)
                if isinstance(added, Exception):  # the store rolled this article back; record why, go on
                    log.debug("could not store %s", last, exc_info=added)
                    failure = IngestFailure(last, f"could not store ({type(added).__name__}: {added})")
                elif added.created:
                    summary.stored += 1
                    summary.facts += len(result.facts)  # only what was stored counts
                else:
                    summary.unchanged += 1
            if failure is not None:
                summary.failures.append(failure)
            if on_progress is not None:
                on_progress(
                    Progress(
                        done=done,
                        articles=summary.articles,
                        stored=summary.stored,
                        unchanged=summary.unchanged,
                        failed=summary.failed,
                        facts=summary.facts,
                        seconds=time.perf_counter() - start,
                        last=last,
                        failure=failure,
                    )
                )
    summary.seconds = time.perf_counter() - start
    return summary
