"""The driver of a bulk run: plan partitions, keep a few in flight on Dask, store results in order.

Workers read, filter and extract partitions; the driver stores the results itself, partition after
partition in reading order, up to ``STORE_BATCH`` articles a transaction, each in a savepoint of its
own (:meth:`Store.add_extractions`: what storing them one by one would store). That is the
"workers emit per-partition results, one ordered load applies them" design: the store sees exactly
the sequence of articles a one-process ``anigraph ingest`` of the same articles would write, so the
result is the same (linking a name depends on what was stored before it), on SQLite as on
PostgreSQL, whatever the number of workers. Storing costs a few milliseconds an article against tens
for extraction, so one writer keeps up with a few workers.

Memory stays bounded: the driver holds the list of partitions (names and offsets, never articles) and
at most ``window`` results, which stay on the workers until the driver asks for the next one in order.
A finished partition (all its articles stored) is recorded in the store under the run's key, so the
same command after a crash or Ctrl-C skips it; a partition half stored when the run stopped is done
again, and its stored articles are recognised by their sha256 (``unchanged``). A worker killed mid-run
loses its tasks, which Dask reruns on the others; only a partition that kills workers again and again
(``distributed.scheduler.allowed-failures``) fails, as a recorded failure, and stays unfinished.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from anigraph.bulk.partitions import Partition, plan_partitions
from anigraph.bulk.relevance import RelevanceFilter
from anigraph.bulk.worker import BulkWorkerPlugin, PartitionResult, run_partition
from anigraph.errors import ConfigError
from anigraph.ingest import IngestFailure, ReadOptions
from anigraph.models import Extraction

if TYPE_CHECKING:
    from distributed import Client

    from anigraph.store import Store

log = logging.getLogger(__name__)

PARTITION_SIZE = 200  # lines of a .jsonl file, or files of a directory, per partition
BATCH_SIZE = 32
STORE_BATCH = 64  # articles stored in one transaction (Store.add_extractions)
_LOCAL = re.compile(r"local:(\d+)")


def parse_address(address: str) -> int | str:
    """``local:N`` → N (worker processes of a LocalCluster); ``tcp://host:port`` → the address."""
    m = _LOCAL.fullmatch(address.strip())
    if m:
        workers = int(m.group(1))
        if workers < 1:
            raise ConfigError(f"--dask {address!r}: a LocalCluster needs at least 1 worker")
        return workers
    if re.fullmatch(r"(tcp|tls|inproc|ucx)://\S+", address.strip()):
        return address.strip()
    raise ConfigError(
        f"--dask {address!r} is not a scheduler address: use tcp://host:8786 (a running dask "
        "scheduler whose workers have anigraph installed) or local:N (N local worker processes)"
    )


@contextmanager
def dask_client(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a LocalCluster for ``local:N``."""
    from distributed import Client, LocalCluster

    target = parse_address(address)
    if isinstance(target, int):
        # a LocalCluster logs every worker start and stop at INFO; the run's own progress is enough
        logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.getLogger().level))
        with (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=target,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    try:
        client = Client(target, timeout="20s")  # type: ignore[no-untyped-call]
    except OSError as e:
        raise ConfigError(f"cannot reach the Dask scheduler at {target!r}: {e}") from e
    with client:
        yield client


@dataclass(frozen=True, slots=True)
class BulkProgress:
    """A snapshot after each partition is stored (or fails), for progress bars."""

    partitions: int  # partitions of the run
    done: int  # stored, failed or skipped as finished by an earlier run
    pages: int
    kept: int
    articles: int
    stored: int
    failed: int
    seconds: float
    last: str | None = None
    failures: tuple[IngestFailure, ...] = ()  # new since the last snapshot

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


@dataclass(slots=True)
class BulkSummary:
    """What one bulk run did."""

    run: str = ""
    workers: int = 0
    partitions: int = 0
    skipped: int = 0  # partitions finished by an earlier run of the same command
    pages: int = 0  # pages read by the workers (before the filter)
    kept: int = 0  # pages the relevance filter kept
    articles: int = 0  # articles extracted (kept pages that could be read)
    stored: int = 0
    unchanged: int = 0
    facts: int = 0
    seconds: float = 0.0
    ready_seconds: float = 0.0  # until every worker had its extractor loaded (part of ``seconds``)
    store_seconds: float = 0.0  # spent storing on the driver (the rest is waiting for workers)
    worker_seconds: float = 0.0  # spent by workers on the partitions stored (reading to extraction)
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def dropped(self) -> int:
        return self.pages - self.kept

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "workers": self.workers,
            "partitions": self.partitions,
            "skipped_partitions": self.skipped,
            "pages": self.pages,
            "kept": self.kept,
            "dropped": self.dropped,
            "articles": self.articles,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
            "ready_seconds": round(self.ready_seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "worker_seconds": round(self.worker_seconds, 3),
            "pages_per_second": round(self.pages_per_second, 2),
            "articles_per_second": round(self.articles_per_second, 2),
            "failures": [f.to_json() for f in self.failures],
        }


def run_key(parts: Sequence[Partition], relevance: RelevanceFilter | None) -> str:
    """The name of a run: its partitions and its filter (the same command on the same files)."""
    h = hashlib.sha256((relevance.fingerprint if relevance is not None else "all pages").encode())
    for part in parts:
        h.update(part.key.encode())
    return h.hexdigest()[:32]


Ordered = tuple[Partition, PartitionResult | IngestFailure] | IngestFailure


def _in_order(
    client: Client,
    items: Sequence[Partition | IngestFailure],
    *,
    submit: Callable[[Partition], Any],
    window: int,
) -> Iterator[Ordered]:
    """Each partition's result (or why it failed) in order, at most ``window`` submitted at once."""
    from distributed import KilledWorker

    inflight: deque[tuple[Partition | IngestFailure, Any]] = deque()  # (failure, None) or (partition, future)
    pending = iter(items)
    running = 0

    def refill() -> None:
        nonlocal running
        while running < window:
            item = next(pending, None)
            if item is None:
                return
            if isinstance(item, IngestFailure):
                inflight.append((item, None))
            else:
                inflight.append((item, submit(item)))
                running += 1

    refill()
    while inflight:
        item, future = inflight.popleft()
        if isinstance(item, IngestFailure):
            yield item
            refill()
            continue
        try:
            result: PartitionResult | IngestFailure = future.result()
        except KilledWorker as e:
            result = IngestFailure(item.label, f"partition killed its Dask worker again and again ({e})")
        except Exception as e:  # the task raised: the partition fails, the run goes on
            result = IngestFailure(item.label, f"partition failed on its worker ({type(e).__name__}: {e})")
        finally:
            future.release()
            running -= 1
        refill()
        yield item, result


def ingest_with_dask(
    sources: Sequence[str],
    *,
    store: Store,
    address: str | None = None,
    client: Client | None = None,
    partition_size: int = PARTITION_SIZE,
    relevance: bool = True,
    batch_size: int = BATCH_SIZE,
    options: ReadOptions | None = None,
    on_progress: Callable[[BulkProgress], None] | None = None,
    window: int | None = None,
) -> BulkSummary:
    """Read, filter and extract ``sources`` on Dask workers; store the results here, in order.

    Give ``client`` (a connected ``distributed.Client``) or ``address`` (``tcp://host:port`` or
    ``local:N``). ``relevance=False`` keeps every page. Partitions a previous run of the same sources
    finished are skipped. Failures (unreadable pages, articles the extractor or the store refused,
    partitions whose task failed) are counted and listed, never fatal.
    """
    if client is None and address is not None:
        parse_address(address)  # a bad address is an error even when every partition is finished
    start = time.perf_counter()
    summary = BulkSummary()
    items = list(plan_partitions(sources, partition_size=partition_size))
    parts = [p for p in items if isinstance(p, Partition)]
    filt = RelevanceFilter.load(catalog_titles=store.catalog_titles()) if relevance else None
    summary.run, summary.partitions = run_key(parts, filt), len(parts)
    finished = store.finished_partitions(summary.run)
    todo = [p for p in items if not (isinstance(p, Partition) and p.key in finished)]
    summary.skipped = len(parts) - sum(isinstance(p, Partition) for p in todo)
    log.info("bulk run %s: %d partitions, %d already finished", summary.run, len(parts), summary.skipped)
    if not any(isinstance(p, Partition) for p in todo):  # nothing for workers: no cluster needed
        summary.failures.extend(f for f in todo if isinstance(f, IngestFailure))
    elif client is None and address is None:
        raise ConfigError("ingest_with_dask needs a Dask client or a scheduler address")
    else:
        with nullcontext(client) if client is not None else dask_client(str(address)) as active:
            _run(
                active,
                todo,
                store=store,
                summary=summary,
                filt=filt,
                batch_size=batch_size,
                options=options,
                on_progress=on_progress,
                window=window,
                start=start,
            )
    summary.seconds = time.perf_counter() - start
    return summary


def _run(
    client: Client,
    todo: list[Partition | IngestFailure],
    *,
    store: Store,
    summary: BulkSummary,
    filt: RelevanceFilter | None,
    batch_size: int,
    options: ReadOptions | None,
    on_progress: Callable[[BulkProgress], None] | None,
    window: int | None,
    start: float,
) -> None:
    client.register_plugin(BulkWorkerPlugin(filt), name=BulkWorkerPlugin.name)  # returns when all loaded
    summary.ready_seconds = time.perf_counter() - start
    nthreads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
    threads = sum(nthreads.values()) or 1
    summary.workers = len(nthreads)
    opts = options or ReadOptions.from_settings()
    fingerprint = filt.fingerprint if filt is not None else None

    def submit(part: Partition) -> Any:
        return client.submit(
            run_partition,
            part,
            options=opts,
            relevance=fingerprint,
            batch_size=batch_size,
            key=f"anigraph-{summary.run[:12]}-{part.index}",
        )

    done = summary.skipped
    for out in _in_order(client, todo, submit=submit, window=window or 2 * threads + 1):
        began = time.perf_counter()
        new = _store(out, store=store, summary=summary)
        summary.store_seconds += time.perf_counter() - began
        done += not isinstance(out, IngestFailure)
        if on_progress is not None:
            on_progress(
                BulkProgress(
                    partitions=summary.partitions,
                    done=done,
                    pages=summary.pages,
                    kept=summary.kept,
                    articles=summary.articles,
                    stored=summary.stored,
                    failed=summary.failed,
                    seconds=time.perf_counter() - start,
                    last=out.source if isinstance(out, IngestFailure) else out[0].label,
                    failures=tuple(new),
                )
            )


def _store(out: Ordered, *, store: Store, summary: BulkSummary) -> list[IngestFailure]:
    """Store one partition's results in order; record it as finished when nothing failed to store."""
    if isinstance(out, IngestFailure):
        summary.failures.append(out)
        return [out]
    part, result = out
    if isinstance(result, IngestFailure):
        summary.failures.append(result)
        return [result]
    summary.pages += result.pages
    summary.kept += result.kept
    summary.worker_seconds += result.seconds
    failures: list[IngestFailure] = []
    unstored = 0
    extractions = [item for item in result.results if isinstance(item, Extraction)]
    outcomes = iter(
        outcome
        for begin in range(0, len(extractions), STORE_BATCH)
        for outcome in store.add_extractions(extractions[begin : begin + STORE_BATCH])
    )
    for item in result.results:
        if isinstance(item, IngestFailure):
            failures.append(item)
            continue
        summary.articles += 1
        added = next(outcomes)
        if isinstance(added, Exception):  # the store rolled this article back; record why and go on
            label = item.article.source.path or item.article.source.sha256[:12]
            failures.append(IngestFailure(label, f"could not store ({type(added).__name__}: {added})"))
            unstored += 1
            continue
        if added.created:
            summary.stored += 1
            summary.facts += len(item.facts)
        else:
            summary.unchanged += 1
    summary.failures.extend(failures)
    if not unstored:  # an article the store refused is tried again by the next run
        store.finish_partition(
            summary.run,
            part.key,
            label=part.label,
            pages=result.pages,
            kept=result.kept,
            articles=sum(isinstance(r, Extraction) for r in result.results),
            failed=len(failures),
        )
    return failures
