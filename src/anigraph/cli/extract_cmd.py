"""`anigraph extract PATH... [--json]`: read articles and print their facts."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from anigraph.cli.options import JsonOpt
from anigraph.extract import Extractor
from anigraph.ingest import IngestFailure, read_sources


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, feeds or - for standard input")],
    json_out: JsonOpt = False,
) -> None:
    """Extract grounded facts from articles (JSON Lines with --json, the public fact contract)."""
    err = Console(stderr=True)
    out = Console()
    extractor = Extractor.load()
    failed = 0
    for item in read_sources(paths):
        if isinstance(item, IngestFailure):
            err.print(f"[red]error[/red] {item}", highlight=False)
            failed += 1
            continue
        result = extractor.extract(item)
        if json_out:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            continue
        table = Table(title=item.source.path or item.source.url or "article", show_lines=False)
        for col in ("subject", "predicate", "object", "qualifiers", "evidence"):
            table.add_column(col, overflow="fold")
        for f in result.facts:
            quals = ", ".join(f"{k}={v}" for k, v in f.qualifiers.items())
            table.add_row(f.subject, f.predicate, f.object, quals, f.evidence.text[:80])
        out.print(table)
    if failed:
        raise typer.Exit(1)
