"""`anigraph conflicts [--db URL] [--json]`: open conflicts (values no article clearly settles)."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from anigraph.cli.options import DbOpt, JsonOpt
from anigraph.errors import AnigraphError


def conflicts(db: DbOpt = None, json_out: JsonOpt = False) -> None:
    """List open conflicts: a one-value fact (premiere, format, …) stated twice, no clear date order."""
    from anigraph.store import Store

    err = Console(stderr=True)
    try:
        with Store.open(db, create=False) as store:
            found = store.open_conflicts()
    except AnigraphError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    if json_out:
        for c in found:
            sys.stdout.write(json.dumps(c.to_json(), ensure_ascii=False) + "\n")
        return
    out = Console()
    if not found:
        out.print("no open conflicts")
        return
    table = Table(title=f"{len(found)} open conflict{'s' if len(found) != 1 else ''}")
    for col in ("#", "work", "fact", "values (first stated, sources)"):
        table.add_column(col, overflow="fold")
    for c in found:
        fact = c.predicate.replace("_", " ") + (f" ({escape(c.scope)})" if c.scope else "")
        values = "\n".join(
            f"[bold]{escape(v.value)}[/bold] [dim]({v.first_stated() or 'undated'}, "
            f"{v.source_count} source{'s' if v.source_count != 1 else ''}: "
            f"{escape('; '.join(s.headline or s.url or s.path or '?' for s in v.sources))})[/dim]"
            for v in c.values
        )
        table.add_row(str(c.id), f"{escape(c.subject.name)} [dim]{c.subject.slug}[/dim]", fact, values)
    out.print(table)
