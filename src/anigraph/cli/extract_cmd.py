"""`anigraph extract PATH... [--json] [--fetch] [--jobs N]`: read articles and print their facts.

With ``--json`` standard output carries exactly one JSON object per article (the public fact
contract, in input order) and nothing else; errors go to standard error. The exit status is 1
when any source failed, after every other source has been processed.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from anigraph.cli.options import FetchOpt, JobsOpt, JsonOpt
from anigraph.errors import AnigraphError

if TYPE_CHECKING:
    from anigraph.models import Extraction


def error_line(message: str) -> Text:
    """``error <message>`` with the message printed literally (no rich markup inside it)."""
    return Text.assemble(("error", "bold red"), " ", message)


def _table(result: Extraction) -> Table:
    from anigraph.pipeline import source_label

    table = Table(title=source_label(result.article), show_lines=False)
    for col in ("subject", "predicate", "object", "qualifiers", "evidence"):
        table.add_column(col, overflow="fold")
    for f in result.facts:
        quals = ", ".join(f"{k}={v}" for k, v in f.qualifiers.items())
        table.add_row(*(Text(v) for v in (f.subject, f.predicate, f.object, quals, f.evidence.text[:80])))
    return table


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, feeds, JSON Lines, URLs (with --fetch) or - for stdin"),
    ],
    json_out: JsonOpt = False,
    fetch: FetchOpt = False,
    jobs: JobsOpt = 1,
) -> None:
    """Extract grounded facts from articles (JSON Lines with --json, the public fact contract)."""
    from anigraph.ingest import IngestFailure
    from anigraph.pipeline import extract_sources

    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    failed = 0
    try:
        for result in extract_sources(paths, jobs=jobs, fetch=fetch):
            if isinstance(result, IngestFailure):
                err.print(error_line(str(result)), soft_wrap=True)
                failed += 1
            elif json_out:
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                out.print(_table(result))
    except AnigraphError as e:
        err.print(error_line(str(e)), soft_wrap=True)
        raise typer.Exit(1) from e
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    if failed:
        err.print(f"{failed} source(s) failed", soft_wrap=True)
        raise typer.Exit(1)
