"""`anigraph serve [--db URL] [--host H] [--port P]`: the web pages, JSON API, iCal and Atom."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from anigraph import settings
from anigraph.cli.options import DbOpt


def serve(
    db: DbOpt = None,
    host: Annotated[
        str | None,
        typer.Option("--host", envvar="ANIGRAPH_HOST", help="Address [default: 127.0.0.1]"),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", envvar="ANIGRAPH_PORT", min=1, max=65535, help="Port [default: 8000]"),
    ] = None,
) -> None:
    """Serve the knowledge base: pages, /api/v1 (docs at /docs), /calendar.ics and /changes.atom."""
    import uvicorn

    from anigraph.serve import create_app

    url = settings.database_url(db)
    # Writes by other processes (anigraph ingest) show up within a second; this server's own writes at once.
    app = create_app(db_url=url, version_ttl=1.0)
    bind_host = host or settings.get("host")
    bind_port = port or settings.get_int("port")
    Console(stderr=True).print(f"anigraph serving {url} on http://{bind_host}:{bind_port}/", highlight=False)
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", access_log=False)
