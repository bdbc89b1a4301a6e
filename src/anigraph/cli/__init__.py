"""Thin Typer CLI: each command parses options and calls one library function.

Domain errors (``AnigraphError``) become a one-line message and exit status 1 here and
only here. Command modules are registered explicitly below, not by import side effects.
"""

from __future__ import annotations

import logging
import sys

import typer

from anigraph.cli import catalog_cmd, conflicts_cmd, extract_cmd, ingest_cmd, resolve_cmd, serve_cmd, show_cmd

app = typer.Typer(
    name="anigraph",
    help="anigraph: an anime knowledge base that reads the news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("extract")(extract_cmd.extract)
app.command("show")(show_cmd.show)
app.command("conflicts")(conflicts_cmd.conflicts)
app.command("ingest")(ingest_cmd.ingest)
app.command("serve")(serve_cmd.serve)
app.add_typer(catalog_cmd.app, name="catalog")
app.command("resolve")(resolve_cmd.resolve)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details to standard error"),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    """Entry point: a domain error that a command did not handle becomes one line and exit 1."""
    from anigraph.errors import AnigraphError

    try:
        app()
    except AnigraphError as e:
        print(f"error {e}", file=sys.stderr)
        sys.exit(1)
