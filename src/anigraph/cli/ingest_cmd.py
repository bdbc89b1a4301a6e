"""`anigraph ingest PATH... [--db URL] [--jobs N] [--fetch] [--quiet] [--json]`: read, extract, store.

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
) -> None:
    """Read articles, extract their facts and store them (one transaction per article)."""
    from anigraph.pipeline import ExtractionWorkers
    from anigraph.pipeline import ingest as run_ingest
    from anigraph.store import Store

    err = Console(stderr=True, highlight=False)
    url = database_url(db)
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
