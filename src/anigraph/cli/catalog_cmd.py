"""`anigraph catalog import FILE... [--format …] [--db URL]`: load title catalogs into the store.

Formats: AniList/Jikan/MAL CSV exports, the AniDB titles dump, manami anime-offline-database
JSON or JSON Lines (``auto`` guesses from the file). Re-importing a file updates the works it
created instead of duplicating them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from anigraph.cli.options import DbOpt, JsonOpt, QuietOpt
from anigraph.errors import AnigraphError
from anigraph.resolve.catalog import FORMATS

app = typer.Typer(help="Manage title catalogs (AniList, MyAnimeList, AniDB, manami).", no_args_is_help=True)

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help=f"File format: auto or one of {', '.join(FORMATS)}"),
]

if TYPE_CHECKING:
    from anigraph.store.catalog import ProgressHook


@contextmanager
def _progress(err: Console, *, enabled: bool) -> Iterator[ProgressHook | None]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as bar:

        def hook(label: str, total: int) -> Callable[[int], None]:
            task = bar.add_task(escape(label), total=total)
            return lambda n: bar.advance(task, n)

        yield hook


@app.command("import")
def import_(
    files: Annotated[list[str], typer.Argument(help="Catalog files to import")],
    fmt: FormatOpt = "auto",
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import catalog files: works with aliases, ids, attributes, studios and staff."""
    from anigraph.store import Store
    from anigraph.store.catalog import import_files

    err = Console(stderr=True)
    if fmt != "auto" and fmt not in FORMATS:
        err.print(f"[red]error[/red] unknown format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    try:
        with Store.open(db) as store, _progress(err, enabled=err.is_terminal and not quiet) as hook:
            results = import_files(store, files, fmt=fmt, progress=hook)
    except AnigraphError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    for path, stats in results:
        if json_out:
            sys.stdout.write(json.dumps({"file": path, **stats.to_json()}, ensure_ascii=False) + "\n")
        elif not quiet:
            err.print(
                f"{escape(path)}: {stats.records} records → {stats.works_created} new works, "
                f"{stats.works_merged} merged/updated, {stats.aliases_added} aliases, "
                f"{stats.entities_created} people/studios/characters, {stats.claims_added} claims "
                f"in {stats.seconds:.1f}s",
                highlight=False,
            )
