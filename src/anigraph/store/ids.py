"""Ids the writer gives every row it inserts itself, so the rows wait for one batch insert per table.

Linking needs a new entity's id at once (later names of the same article link to it), which cost
one ``INSERT … RETURNING`` round trip per new entity; claims, sources and change log entries refer to
each other by id. A writer holds the store's write lock
(SQLite ``BEGIN IMMEDIATE``, the PostgreSQL advisory lock every writer takes), so no other writer
inserts meanwhile and the ids the database would give are known in advance: one past the highest
stored, and on PostgreSQL past the sequence's last value too (a rolled-back insert consumed it; the
database never gives an id twice). They are read in the query that reads the linker cache's stamp,
so knowing them costs nothing. On PostgreSQL the sequences are moved past the ids given before the
transaction commits, so an insert that takes its id from the sequence never collides with them, and
a rolled-back article consumes no id (as on SQLite): writing a batch again after a failed attempt,
or one article at a time, gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, literal_column, select, text
from sqlalchemy.sql import ColumnElement, Select

from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity

# the rows the writer numbers itself; the first three make the linker cache's stamp
TABLES = ("entities", "aliases", "claims", "articles", "claim_sources", "changes", "conflicts")
_ID = {
    "entities": Entity.id,
    "aliases": Alias.id,
    "claims": Claim.id,
    "articles": Article.id,
    "claim_sources": ClaimSource.id,
    "changes": Change.id,
    "conflicts": Conflict.id,
}


def state_query(dialect: str) -> Select[Any]:
    """The highest id of each of ``TABLES``; on PostgreSQL also each sequence's last value."""
    columns: list[ColumnElement[Any]] = [select(func.max(_ID[t])).scalar_subquery() for t in TABLES]
    if dialect == "postgresql":
        columns += [
            literal_column(f"pg_sequence_last_value(pg_get_serial_sequence('{t}', 'id')::regclass)")
            for t in TABLES
        ]
    return select(*columns)


@dataclass(slots=True)
class Ids:
    """The next id of each table, for one write transaction (see the module docstring)."""

    highest: dict[str, int]  # highest stored id per table when the transaction began
    after: dict[str, int]  # the next id to give is after this one
    given: dict[str, int] = field(default_factory=dict)  # the last id given per table

    @classmethod
    def read(cls, conn: Connection) -> Ids:
        row: tuple[Any, ...] = tuple(conn.execute(state_query(conn.dialect.name)).one())
        highest = {t: int(row[i] or 0) for i, t in enumerate(TABLES)}
        after = dict(highest)
        if len(row) > len(TABLES):
            after = {t: max(highest[t], int(row[len(TABLES) + i] or 0)) for i, t in enumerate(TABLES)}
        return cls(highest=highest, after=after)

    def take(self, table: str) -> int:
        """A new id for a row of ``table`` (one of ``TABLES``)."""
        new = self.given.get(table, self.after[table]) + 1
        self.given[table] = new
        return new

    def stamp(self) -> tuple[int, int, int]:
        """The highest id of each table once the rows given ids are stored (the linker cache's stamp)."""
        a, b, c = (self.given.get(t, self.highest[t]) for t in TABLES[:3])
        return (a, b, c)

    def sync_sequences(self, conn: Connection) -> None:
        """PostgreSQL: move each sequence past the ids given (a no-op elsewhere or when none was)."""
        if conn.dialect.name != "postgresql" or not self.given:
            return
        parts = [
            f"setval(pg_get_serial_sequence('{t}', 'id'), {int(v)})" for t, v in sorted(self.given.items())
        ]
        conn.execute(text("SELECT " + ", ".join(parts)))

    def mark(self) -> dict[str, int]:
        """Where numbering is now, for ``restore`` after a rolled-back savepoint."""
        return dict(self.given)

    def restore(self, mark: dict[str, int]) -> None:
        """Number again from ``mark`` (the rows given ids since were rolled back)."""
        self.given = dict(mark)
