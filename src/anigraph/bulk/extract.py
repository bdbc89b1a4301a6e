"""Extraction on Dask without storing: :func:`extract_with_dask`, for scripts that want the facts.

Sources are split into the same partitions as a bulk ingest and each partition is read and extracted
where Dask schedules it: on local processes (``scheduler="processes"``), threads, in-process
(``"synchronous"``, for debugging), or on a ``dask.distributed`` cluster (``"tcp://host:8786"`` or
``"local:N"``), whose workers need anigraph installed. Results come back in input order, a few
partitions at a time (never the whole run in memory); an article that breaks the extractor comes
back as an :class:`~anigraph.ingest.IngestFailure`, so the batch goes on. No relevance filter:
every article is extracted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from anigraph.bulk.driver import BATCH_SIZE, _in_order, dask_client
from anigraph.bulk.partitions import Partition, plan_partitions
from anigraph.bulk.worker import BulkWorkerPlugin, PartitionResult, run_partition
from anigraph.errors import ConfigError
from anigraph.ingest import IngestFailure, ReadOptions
from anigraph.models import Extraction

log = logging.getLogger(__name__)

LOCAL_SCHEDULERS = ("processes", "threads", "synchronous")


def _flatten(out: Partition | PartitionResult | IngestFailure) -> Iterator[Extraction | IngestFailure]:
    if isinstance(out, PartitionResult):
        yield from out.results
    elif isinstance(out, IngestFailure):
        yield out


def _local(
    items: list[Partition | IngestFailure], *, scheduler: str, options: ReadOptions, window: int
) -> Iterator[Extraction | IngestFailure]:
    from dask.base import compute
    from dask.delayed import delayed

    for begin in range(0, len(items), window):
        chunk = items[begin : begin + window]
        tasks = [
            delayed(run_partition)(i, options=options, relevance=None, batch_size=BATCH_SIZE)
            for i in chunk
            if isinstance(i, Partition)
        ]
        results = iter(compute(*tasks, scheduler=scheduler))  # type: ignore[no-untyped-call]
        for item in chunk:
            yield from _flatten(next(results) if isinstance(item, Partition) else item)


def extract_with_dask(
    sources: Sequence[str],
    *,
    scheduler: str = "processes",
    partition_size: int = 64,
    options: ReadOptions | None = None,
) -> Iterator[Extraction | IngestFailure]:
    """Extractions and failures for every article of ``sources``, in input order."""
    opts = options or ReadOptions.from_settings(fetch=False)
    if scheduler not in LOCAL_SCHEDULERS and "://" not in scheduler and not scheduler.startswith("local:"):
        raise ConfigError(
            f"unknown Dask scheduler {scheduler!r}: use one of {', '.join(LOCAL_SCHEDULERS)}, local:N "
            "or a dask.distributed address such as tcp://127.0.0.1:8786"
        )
    items = list(plan_partitions(sources, partition_size=partition_size))
    if scheduler in LOCAL_SCHEDULERS:
        yield from _local(items, scheduler=scheduler, options=opts, window=8)
        return
    with dask_client(scheduler) as client:
        client.register_plugin(BulkWorkerPlugin(None), name=BulkWorkerPlugin.name)
        nthreads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
        window = 2 * (sum(nthreads.values()) or 1) + 1

        def submit(part: Partition) -> object:
            return client.submit(run_partition, part, options=opts, relevance=None, batch_size=BATCH_SIZE)

        for out in _in_order(client, items, submit=submit, window=window):
            yield from _flatten(out if isinstance(out, IngestFailure) else out[1])
