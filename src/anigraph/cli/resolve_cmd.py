"""`anigraph resolve QUERY... [--type work|person|studio|character] [--json] [--db URL]`.

Links each query (or each line of standard input with ``-``) to a stored entity the way
ingest does, and prints the match, the candidates and why each scored as it did.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from anigraph.cli.options import DbOpt, JsonOpt
from anigraph.errors import AnigraphError


class EntityType(StrEnum):
    work = "work"
    person = "person"
    studio = "studio"
    character = "character"


_KIND = {"work": "work", "person": "person", "studio": "organization", "character": "character"}


def _queries(args: list[str]) -> Iterator[str]:
    for arg in args:
        if arg == "-":
            for line in sys.stdin:
                if line.strip():
                    yield line.strip()
        else:
            yield arg


def resolve(
    queries: Annotated[list[str], typer.Argument(help="Names to link, or - to read one per line")],
    type_: Annotated[EntityType, typer.Option("--type", "-t", help="Entity type")] = EntityType.work,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Link names to stored works, people, studios or characters (NIL when nothing fits)."""
    from anigraph.settings import database_url
    from anigraph.store.linker_cache import resolve_names

    err = Console(stderr=True)
    out = Console()
    try:
        # the index is kept between calls beside the database (anigraph.store.linker_cache): a call it
        # answers loads neither SQLAlchemy nor Alembic; a miss opens the store and migrates it first
        for result in resolve_names(database_url(db), _queries(queries), kind=_KIND[type_.value]):
            if json_out:
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
                continue
            title = f"{result.query} → " + (
                f"{result.match.name} ({result.match.slug})" if result.match else "NIL (new entity)"
            )
            table = Table(title=escape(title), title_justify="left")
            for col in ("id", "title", "score", "why"):
                table.add_column(col, overflow="fold")
            for c in result.candidates:
                table.add_row(escape(c.slug), escape(c.name), f"{c.score:.3f}", escape(c.why))
            out.print(table)
    except AnigraphError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
