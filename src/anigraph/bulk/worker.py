"""What runs on a Dask worker: read one partition, filter it, extract what is kept.

A worker process loads the Extractor once (a few seconds for the spaCy models) and builds the
relevance filter once: :class:`BulkWorkerPlugin` does both when the worker starts (and again when a
nanny restarts a killed worker), and :func:`run_partition` falls back to loading them on first use.
The result of a partition is small next to its input (the filter drops most pages), and it travels
back to the driver only when the driver is ready to store it.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from anigraph.bulk.partitions import Partition, read_partition
from anigraph.bulk.relevance import FilterCounts, RelevanceFilter
from anigraph.errors import ExtractError
from anigraph.ingest import IngestFailure, ReadOptions
from anigraph.models import Article, Extraction

if TYPE_CHECKING:
    from anigraph.extract import Extractor

log = logging.getLogger(__name__)

Result = Extraction | IngestFailure
_STATE: dict[str, Any] = {}  # per worker process: "extractor", "filter" (keyed by its fingerprint)


@dataclass(slots=True)
class PartitionResult:
    """One partition read, filtered and extracted: counts and the results in reading order."""

    index: int
    key: str
    label: str
    pages: int = 0
    kept: int = 0
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    worker: str = ""

    @property
    def failed(self) -> int:
        return sum(isinstance(r, IngestFailure) for r in self.results)


def worker_extractor() -> Extractor:
    """This process's Extractor, loaded on first use."""
    if "extractor" not in _STATE:
        from anigraph.extract import Extractor

        began = time.perf_counter()
        _STATE["extractor"] = Extractor.load()
        log.info("extractor loaded in %.1f s (pid %d)", time.perf_counter() - began, os.getpid())
    extractor: Extractor = _STATE["extractor"]
    return extractor


def worker_filter(fingerprint: str | None) -> RelevanceFilter | None:
    """The relevance filter the worker plugin installed in this process (None: no filtering).

    Tasks name the filter by its fingerprint instead of carrying it: with a catalog imported it holds
    tens of thousands of titles, and building its automata once per worker is enough."""
    if fingerprint is None:
        return None
    installed = _STATE.get("filter")
    if not isinstance(installed, RelevanceFilter) or installed.fingerprint != fingerprint:
        raise ExtractError(
            f"this worker (pid {os.getpid()}) has no relevance filter {fingerprint}: "
            "the bulk worker plugin did not run here (is anigraph the same version on every worker?)"
        )
    return installed


class BulkWorkerPlugin(WorkerPlugin):
    """Runs on every worker when it starts (and when a nanny restarts it): installs the relevance
    filter and loads the extractor, so the first task does not wait for the models."""

    name = "anigraph-bulk"

    def __init__(self, relevance: RelevanceFilter | None = None) -> None:
        self.relevance = relevance

    def setup(self, worker: Any) -> None:
        if self.relevance is not None:
            _STATE["filter"] = self.relevance
        worker_extractor()


def run_partition(
    part: Partition, *, options: ReadOptions, relevance: str | None, batch_size: int
) -> PartitionResult:
    """Read, filter and extract one partition (runs on a worker); ``relevance`` is the fingerprint of
    the filter the plugin installed, or None to keep every page."""
    from anigraph.pipeline import extract_batch

    began = time.perf_counter()
    counts = FilterCounts()
    out = PartitionResult(part.index, part.key, part.label, worker=f"pid {os.getpid()}")
    active = worker_filter(relevance)
    pending: list[Article] = []
    order: list[Article | IngestFailure] = []

    def flush() -> None:
        results = iter(extract_batch(worker_extractor(), pending, batch_size=batch_size))
        out.results.extend(next(results) if isinstance(i, Article) else i for i in order)
        pending.clear()
        order.clear()

    for item in read_partition(part, options=options, relevance=active, counts=counts):
        order.append(item)
        if isinstance(item, Article):
            pending.append(item)
            if len(pending) >= batch_size:
                flush()
    flush()
    out.pages, out.kept = counts.pages, counts.kept
    out.seconds = time.perf_counter() - began
    return out
