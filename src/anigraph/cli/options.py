"""Option sets shared by several commands, defined once."""

from __future__ import annotations

from typing import Annotated

import typer

DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="ANIGRAPH_DB", help="Database URL or SQLite path [default: anigraph.db]"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (Lines) instead of tables")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors")]
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", min=1, envvar="ANIGRAPH_JOBS", help="Worker processes for extraction")
]
FetchOpt = Annotated[
    bool, typer.Option("--fetch", help="Fetch remote links of feed items (with timeouts and a size limit)")
]
