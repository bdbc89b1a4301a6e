"""Bulk ingest on Dask: web archives and big shard sets, past one process and past one machine.

:func:`ingest_with_dask` (``anigraph ingest SOURCES --dask ADDRESS``) splits sources into partitions
(:mod:`~anigraph.bulk.partitions`), has Dask workers read, filter (:mod:`~anigraph.bulk.relevance`) and
extract them (:mod:`~anigraph.bulk.worker`), and stores the results on the driver in reading order
(:mod:`~anigraph.bulk.driver`). :func:`extract_with_dask` extracts without storing.
"""

from __future__ import annotations

from anigraph.bulk.driver import BulkProgress, BulkSummary, dask_client, ingest_with_dask, parse_address
from anigraph.bulk.extract import extract_with_dask
from anigraph.bulk.relevance import RelevanceFilter

__all__ = [
    "BulkProgress",
    "BulkSummary",
    "RelevanceFilter",
    "dask_client",
    "extract_with_dask",
    "ingest_with_dask",
    "parse_address",
]
