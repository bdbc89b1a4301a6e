"""`anigraph ingest PATH... [--db URL] [--jobs N] [--fetch] [--dask ADDRESS] [--quiet] [--json]`.

Read, extract, store. With ``--dask`` (``tcp://host:8786`` or ``local:N``) Dask workers read, filter
and extract partitions of the sources and this process stores their results in order
(:func:`anigraph.bulk.ingest_with_dask`); the bar then counts partitions, pages read and kept.

A progress bar (articles/s, failures so far) shows on a terminal; each bad source gets one error
line on standard error, each file a directory walk skips as not an article (the database itself, a
README) a dim "skipped" line; a summary table (or, with ``--json``, a JSON object on standard output)
ends the run. The exit status is 1 when any source failed, after all others were stored.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from anigraph.cli.extract_cmd import error_line
from anigraph.cli.options import DbOpt, FetchOpt, JobsOpt, JsonOpt, QuietOpt
from anigraph.errors import AnigraphError
from anigraph.settings import database_url

if TYPE_CHECKING:
    from anigraph.bulk import BulkProgress, BulkSummary
    from anigraph.pipeline import IngestSummary
    from anigraph.pipeline import Progress as IngestProgress


def masked(url: str) -> str:
    """A database URL fit to print: the password replaced by ``***``."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def summary_table(summary: IngestSummary, *, db: str) -> Table:
    table = Table(title="ingest summary", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right", overflow="fold")
    rows = (
        ("database", db),
        ("articles read", str(summary.articles)),
        ("stored (new)", str(summary.stored)),
        ("unchanged (already stored)", str(summary.unchanged)),
        ("failed", str(summary.failed)),
        ("skipped (not articles)", str(len(summary.skipped))),
        ("facts extracted", str(summary.facts)),
        ("seconds", f"{summary.seconds:.2f}"),
        ("articles/s", f"{summary.articles_per_second:.1f}"),
    )
    for name, value in rows:
        table.add_row(name, Text(value))
    return table


def _reporter(err: Console, bar: Progress | None) -> Callable[[IngestProgress], None]:
    task = bar.add_task("ingesting", total=None, rate=0.0, failed=0) if bar is not None else None

    def report(p: IngestProgress) -> None:
        if p.failure is not None:
            (bar.console if bar is not None else err).print(error_line(str(p.failure)), soft_wrap=True)
        if bar is not None and task is not None:
            bar.update(task, completed=p.articles, rate=p.articles_per_second, failed=p.failed)

    return report


def bulk_table(summary: BulkSummary, *, db: str) -> Table:
    table = Table(title="bulk ingest summary", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right", overflow="fold")
    rows = (
        ("database", db),
        ("run", summary.run),
        ("workers", str(summary.workers)),
        ("partitions", f"{summary.partitions} ({summary.skipped} finished before)"),
        ("pages read", str(summary.pages)),
        ("kept by the filter", f"{summary.kept} ({summary.dropped} dropped)"),
        ("articles extracted", str(summary.articles)),
        ("stored (new)", str(summary.stored)),
        ("unchanged (already stored)", str(summary.unchanged)),
        ("failed", str(summary.failed)),
        ("facts extracted", str(summary.facts)),
        ("seconds", f"{summary.seconds:.2f}"),
        ("pages/s", f"{summary.pages_per_second:.1f}"),
        ("articles/s", f"{summary.articles_per_second:.1f}"),
    )
    for name, value in rows:
        table.add_row(name, Text(value))
    return table


def _bulk_bar(err: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} partitions"),
        TextColumn("{task.fields[pages]} pages, {task.fields[kept]} kept"),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _bulk_reporter(err: Console, bar: Progress | None) -> Callable[[BulkProgress], None]:
    task = bar.add_task("bulk ingest", total=None, pages=0, kept=0, rate=0.0, failed=0) if bar else None

    def report(p: BulkProgress) -> None:
        for failure in p.failures:
            (bar.console if bar is not None else err).print(error_line(str(failure)), soft_wrap=True)
        if bar is not None and task is not None:
            bar.update(
                task,
                total=p.partitions,
                completed=p.done,
                pages=p.pages,
                kept=p.kept,
                rate=p.articles_per_second,
                failed=p.failed,
            )

    return report


def _ingest_bulk(
    paths: list[str],
    *,
    url: str,
    address: str,
    partition_size: int,
    relevance: bool,
    quiet: bool,
    json_out: bool,
) -> None:
    from anigraph.bulk import ingest_with_dask
    from anigraph.store import Store

    err = Console(stderr=True, highlight=False)
    bar = _bulk_bar(err) if err.is_terminal and not quiet else None
    try:
        with Store.open(url) as store, bar if bar is not None else nullcontext():
            summary = ingest_with_dask(
                paths,
                store=store,
                address=address,
                partition_size=partition_size,
                relevance=relevance,
                on_progress=_bulk_reporter(err, bar),
            )
    except AnigraphError as e:
        err.print(error_line(str(e)), soft_wrap=True)
        raise typer.Exit(1) from e
    if json_out:
        sys.stdout.write(json.dumps({"db": masked(url), **summary.to_json()}, ensure_ascii=False) + "\n")
    elif not quiet:
        Console(highlight=False).print(bulk_table(summary, db=masked(url)))
    if summary.failed:
        if not json_out:
            err.print(f"{summary.failed} source(s) failed", soft_wrap=True)
        raise typer.Exit(1)


def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, feeds, JSON Lines, URLs (with --fetch) or - for stdin"),
    ],
    db: DbOpt = None,
    jobs: JobsOpt = 1,
    fetch: FetchOpt = False,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Read, filter and extract on Dask workers: tcp://host:8786 or local:N (N local processes); "
            "sources are files and directories, including .warc(.gz) and .jsonl(.gz) shards",
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option("--partition-size", min=1, help="With --dask: .jsonl lines or files per partition")
    ] = 200,
    keep_all: Annotated[
        bool, typer.Option("--no-filter", help="With --dask: keep every page (no relevance filter)")
    ] = False,
) -> None:
    """Read articles, extract their facts and store them (a failing article is rolled back alone)."""
    from anigraph.pipeline import ExtractionWorkers
    from anigraph.pipeline import ingest as run_ingest
    from anigraph.store import Store

    err = Console(stderr=True, highlight=False)
    url = database_url(db)
    if dask is not None:
        if jobs > 1 or fetch:
            err.print(error_line("--dask cannot be combined with --jobs or --fetch"), soft_wrap=True)
            raise typer.Exit(2)
        _ingest_bulk(
            paths,
            url=url,
            address=dask,
            partition_size=partition_size,
            relevance=not keep_all,
            quiet=quiet,
            json_out=json_out,
        )
        return
    show_bar = err.is_terminal and not quiet
    bar = (
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} articles"),
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        if show_bar
        else None
    )
    # worker processes load their extractors while the store opens (and its catalog loads)
    workers = ExtractionWorkers(jobs) if jobs > 1 else None
    try:
        if workers is not None:
            workers.start(wait=False)
        with Store.open(url) as store, bar if bar is not None else nullcontext():
            summary = run_ingest(
                paths, store=store, jobs=jobs, fetch=fetch, workers=workers, on_progress=_reporter(err, bar)
            )
    except AnigraphError as e:
        err.print(error_line(str(e)), soft_wrap=True)
        raise typer.Exit(1) from e
    finally:
        if workers is not None:
            workers.close()
    if not quiet:
        for skipped in summary.skipped:
            err.print(Text(f"skipped {skipped}", style="dim"), soft_wrap=True)
    if json_out:
        sys.stdout.write(json.dumps({"db": masked(url), **summary.to_json()}, ensure_ascii=False) + "\n")
    elif not quiet:
        Console(highlight=False).print(summary_table(summary, db=masked(url)))
    if summary.failed:
        if not json_out:
            err.print(f"{summary.failed} source(s) failed", soft_wrap=True)
        raise typer.Exit(1)
