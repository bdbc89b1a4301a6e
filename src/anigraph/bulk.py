"""Bulk extraction on Dask: past one process, and past one machine.

``anigraph extract``/``ingest`` use worker processes for ``--jobs N`` on one machine. For
archives too big for that, :func:`extract_with_dask` partitions the articles into a
``dask.bag`` and extracts each partition where Dask schedules it: on local processes
(``scheduler="processes"``), threads, in-process (``"synchronous"``, for debugging), or on a
``dask.distributed`` cluster given its scheduler address (``"tcp://host:8786"``), whose
workers need anigraph installed. Each worker process loads the Extractor once and keeps it.
Results come back in input order; an article that breaks the extractor comes back as an
:class:`~anigraph.ingest.IngestFailure`, so the batch goes on. Storing stays in the calling
process (one writer), exactly as in :mod:`anigraph.pipeline`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from anigraph.errors import ConfigError
from anigraph.extract import Extractor
from anigraph.ingest import IngestFailure, ReadOptions, read_sources
from anigraph.models import Article, Extraction

log = logging.getLogger(__name__)

LOCAL_SCHEDULERS = ("processes", "threads", "synchronous")
_EXTRACTOR: Extractor | None = None


def _extractor() -> Extractor:
    """The Extractor of this worker process, loaded on first use."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor.load()
    return _EXTRACTOR


def _extract_partition(articles: list[Article]) -> list[Extraction | IngestFailure]:
    # imported here so that the worker-side import stays cheap for the scheduler process
    from anigraph.pipeline import extract_batch

    return extract_batch(_extractor(), list(articles), batch_size=32)


def _compute(bag: Any, scheduler: str) -> list[Extraction | IngestFailure]:
    if scheduler in LOCAL_SCHEDULERS:
        return list(bag.compute(scheduler=scheduler))
    if "://" not in scheduler:
        raise ConfigError(
            f"unknown Dask scheduler {scheduler!r}: use one of {', '.join(LOCAL_SCHEDULERS)} "
            "or a dask.distributed address such as tcp://127.0.0.1:8786"
        )
    from distributed import Client

    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        return list(client.compute(bag).result())


def extract_with_dask(
    sources: Sequence[str],
    *,
    scheduler: str = "processes",
    partition_size: int = 64,
    options: ReadOptions | None = None,
) -> Iterator[Extraction | IngestFailure]:
    """Extractions and failures for every article of ``sources``, in input order."""
    import dask.bag as db

    items = list(read_sources(sources, options=options or ReadOptions.from_settings(fetch=False)))
    articles = [i for i in items if isinstance(i, Article)]
    log.info("extracting %d articles with Dask (%s)", len(articles), scheduler)
    results: list[Extraction | IngestFailure] = []
    if articles:
        npartitions = max(1, -(-len(articles) // partition_size))
        bag = db.from_sequence(articles, npartitions=npartitions)  # type: ignore[no-untyped-call]
        bag = bag.map_partitions(_extract_partition)
        results = _compute(bag, scheduler)
    pending = iter(results)
    for item in items:
        yield item if isinstance(item, IngestFailure) else next(pending)
