"""`anigraph show TITLE [--db URL] [--sources] [--json]`: one work's merged record as a card.

The card lists titles and aliases, studio, format, premiere and where to watch, staff by
role, cast, themes with performers, characters and world, conflicts and history, each
value with how many articles state it. ``--sources`` adds every fact's sentence and article.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from anigraph.cli.options import DbOpt, JsonOpt
from anigraph.errors import AnigraphError

SourcesOpt = Annotated[
    bool, typer.Option("--sources", help="Show the sentence and article behind every fact")
]

_CATALOG_KEYS = ("type", "episodes", "season", "year", "start_date", "end_date", "status")
_LABELS = {
    "opening_theme": "opening",
    "ending_theme": "ending",
    "insert_song": "insert song",
}

if TYPE_CHECKING:
    from anigraph.store import FactItem, WorkRecord
    from anigraph.store.records import CharacterInfo


def label(predicate: str) -> str:
    return _LABELS.get(predicate, predicate.replace("_", " "))


def _count(item: FactItem) -> str:
    n = item.source_count
    mark = " [red](disputed)[/red]" if item.status == "disputed" else ""
    return f" [dim]({n} source{'s' if n != 1 else ''})[/dim]{mark}"


def _sources(item: FactItem, *, indent: str = "  ") -> list[str]:
    lines = []
    for s in item.sources:
        where = s.headline or s.url or s.path or s.origin
        date = s.published or "undated"
        ref = f"#{s.article_id}" if s.article_id is not None else s.origin
        lines.append(f"{indent}[dim]“{escape(s.evidence)}” — {escape(where)} ({date}, {ref})[/dim]")
    return lines


def fmt_item(item: FactItem, *, sources: bool, quals: tuple[str, ...] = ()) -> str:
    """A value with the qualifiers named in ``quals``, its source count and optionally its sources."""
    text = f"[bold]{escape(item.value)}[/bold]"
    extras = [f"{k}: {escape(str(item.qualifiers[k]))}" for k in quals if item.qualifiers.get(k)]
    if extras:
        text += " (" + ", ".join(extras) + ")"
    text += _count(item)
    if sources:
        text = "\n".join([text, *_sources(item)])
    return text


def _items(items: list[FactItem], *, sources: bool, quals: tuple[str, ...] = ()) -> str:
    return "\n".join(fmt_item(i, sources=sources, quals=quals) for i in items)


def _facts_table(record: WorkRecord, *, sources: bool) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="cyan", no_wrap=True)
    table.add_column(overflow="fold")
    rows: list[tuple[str, list[FactItem], tuple[str, ...]]] = [
        ("studio", record.studios, ()),
        ("format", record.formats, ()),
        ("episodes", record.episodes, ()),
        ("based on", record.based_on, ("title",)),
        ("premiere", record.premieres, ("where",)),
        ("broadcast", record.broadcasters, ("region",)),
        ("streaming", record.streaming, ("region",)),
        ("genres", record.genres, ()),
        ("setting", record.settings, ()),
        ("trailers", record.trailers, ("url",)),
        ("sequel of", record.sequel_of, ()),
        ("related", record.related, ()),
        ("followed by", record.followed_by, ()),
    ]
    for name, items, quals in rows:
        if items:
            table.add_row(name, _items(items, sources=sources, quals=quals))
    for item in record.other:
        table.add_row(label(item.predicate), fmt_item(item, sources=sources, quals=tuple(item.qualifiers)))
    return table


def _staff_table(record: WorkRecord, *, sources: bool) -> Table:
    table = Table(title="Staff", title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for group in record.staff:
        table.add_row(label(group.role), _items(group.items, sources=sources, quals=("episodes",)))
    return table


def _cast_table(record: WorkRecord, *, sources: bool) -> Table:
    table = Table(title="Cast", title_justify="left", box=None, padding=(0, 2))
    table.add_column("character", style="cyan")
    table.add_column("voice", overflow="fold")
    for item in record.cast:
        table.add_row(escape(str(item.qualifiers.get("character", "?"))), fmt_item(item, sources=sources))
    return table


def _themes_table(record: WorkRecord, *, sources: bool) -> Table:
    table = Table(title="Theme songs", title_justify="left", box=None, padding=(0, 2))
    table.add_column("kind", style="cyan", no_wrap=True)
    table.add_column("song", overflow="fold")
    for item in record.themes:
        table.add_row(label(item.predicate), fmt_item(item, sources=sources, quals=("performer",)))
    return table


def _character_line(ch: CharacterInfo, *, sources: bool) -> str:
    parts = [f"[bold]{escape(ch.name)}[/bold]"]
    if ch.aliases:
        parts.append("[dim]aka " + escape(", ".join(ch.aliases)) + "[/dim]")
    lines = [" ".join(parts)]
    for d in ch.descriptions:
        lines.append("  " + escape(d.value) + _count(d))
        if sources:
            lines += _sources(d, indent="    ")
    for a in ch.affiliations:
        lines.append("  member of " + escape(a.value) + _count(a))
        if sources:
            lines += _sources(a, indent="    ")
    if ch.voiced_by:
        lines.append("  voiced by " + escape(", ".join(v.value for v in ch.voiced_by)))
    if sources:
        for m in ch.mentions:
            lines += _sources(m, indent="    ")
    return "\n".join(lines)


def _headline_dated(item: FactItem, date: str | None, *, last: bool) -> str | None:
    """The headline of the source dated ``date`` (else the first or last source), for history lines."""
    dated = [s for s in item.sources if date and s.published == date]
    pool = dated or item.sources
    if not pool:
        return None
    return (pool[-1] if last else pool[0]).headline


def render(record: WorkRecord, *, sources: bool = False) -> Panel:
    """The rich card for one work."""
    parts: list[object] = []
    others = [t for t in record.titles if t.name != record.work.name]
    if others:
        aka = ", ".join(f"{escape(t.name)} [dim]({t.kind})[/dim]" for t in others)
        parts.append(Text.from_markup(f"[dim]also:[/dim] {aka}"))
    if record.external_ids:
        ids = ", ".join(f"{k} {v}" for k, v in sorted(record.external_ids.items()))
        parts.append(Text.from_markup(f"[dim]ids:[/dim] {escape(ids)}"))
    catalog = [
        f"{key.replace('_', ' ')} {record.attrs[key]}"
        for key in _CATALOG_KEYS
        if record.attrs.get(key) not in (None, "")
    ]
    if catalog:
        parts.append(Text.from_markup("[dim]catalog:[/dim] " + escape(", ".join(catalog))))
    parts.append(_facts_table(record, sources=sources))
    if record.synopses:
        parts.append(
            Text.from_markup("\n[cyan]Synopsis[/cyan]\n" + _items(record.synopses[:1], sources=sources))
        )
    if record.staff:
        parts.append(_staff_table(record, sources=sources))
    if record.cast:
        parts.append(_cast_table(record, sources=sources))
    if record.themes:
        parts.append(_themes_table(record, sources=sources))
    # characters the cast table already shows completely are not repeated
    described = [
        ch for ch in record.characters if ch.descriptions or ch.affiliations or ch.aliases or not ch.voiced_by
    ]
    if described:
        chars = "\n".join(_character_line(ch, sources=sources) for ch in described)
        parts.append(Text.from_markup("\n[cyan]Characters[/cyan]\n" + chars))
    if record.conflicts:
        lines = ["\n[red]Open conflicts[/red]"]
        for cf in record.conflicts:
            scope = f" ({escape(cf.scope)})" if cf.scope else ""
            values = " vs ".join(
                f"[bold]{escape(v.value)}[/bold] [dim]({v.first_stated() or 'undated'})[/dim]"
                for v in cf.values
            )
            lines.append(f"{label(cf.predicate)}{scope}: {values}")
        parts.append(Text.from_markup("\n".join(lines)))
    if record.history:
        lines = ["\n[yellow]History[/yellow]"]
        for h in record.history:
            old_src = _headline_dated(h.old, h.old_date, last=False)
            new_src = _headline_dated(h.new, h.new_date, last=True)
            lines.append(
                f"{label(h.predicate)}: {escape(h.old.value)} [dim]({h.old_date or 'undated'}, "
                f"{escape(old_src or '?')})[/dim] → [bold]{escape(h.new.value)}[/bold] "
                f"[dim]({h.new_date or 'undated'}, {escape(new_src or '?')})[/dim]"
                + (" [dim](refined)[/dim]" if h.refined else "")
            )
            if sources:
                lines += _sources(h.old) + _sources(h.new)
        parts.append(Text.from_markup("\n".join(lines)))
    articles = [
        f"#{a.id} {a.published or 'undated'} {escape(a.headline or a.url or a.path or '')}"
        for a in record.articles
    ]
    n = record.source_count
    parts.append(
        Text.from_markup(f"\n[dim]{n} article{'s' if n != 1 else ''}:[/dim]\n" + "\n".join(articles))
    )
    return Panel(
        Group(*parts),  # type: ignore[arg-type]
        title=f"[bold]{escape(record.work.name)}[/bold] [dim]{record.work.slug}[/dim]",
        title_align="left",
    )


def show(
    title: Annotated[str, typer.Argument(help="A work's title, alias or slug (typos are tolerated)")],
    db: DbOpt = None,
    sources: SourcesOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Show everything known about one work, merged from every article (with --sources: the evidence)."""
    from anigraph.store import Store

    err = Console(stderr=True)
    try:
        with Store.open(db, create=False) as store:
            work = store.find_work(title)
            record = store.work_record(work.id)
    except AnigraphError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    if json_out:
        sys.stdout.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        return
    Console().print(render(record, sources=sources))
