"""The Core statements ``store/writer.py`` runs, built once (no ORM unit of work per row)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    DateTime,
    Dialect,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql.dml import Insert, Update

from anigraph.errors import StoreError
from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity

# Statements built once: Core statements on the session's connection (no ORM unit of work per row).
FIND_ARTICLE = select(Article.id, Article.sha256).where(
    (Article.sha256 == bindparam("sha")) | (Article.text_sha256 == bindparam("text_sha"))
)
INSERT_ARTICLE: Insert = insert(Article)  # every row the writer inserts is numbered by it (store/ids.py)
INSERT_ENTITY: Insert = insert(Entity)  # rows numbered by the writer (store/ids.py)
INSERT_ALIAS: Insert = insert(Alias)
INSERT_CLAIM: Insert = insert(Claim)  # rows numbered by the writer
INSERT_SOURCE: Insert = insert(ClaimSource)
INSERT_CHANGE: Insert = insert(Change)
UPDATE_CLAIM: Update = (
    update(Claim)
    .where(Claim.id == bindparam("cid"))
    .values(confidence=bindparam("conf"), last_seen=bindparam("seen"))
)
UPDATE_STATUS: Update = update(Claim).where(Claim.id == bindparam("cid")).values(status=bindparam("st"))
CLAIM_COLUMNS = (
    Claim.id,
    Claim.subject_id,
    Claim.predicate,
    Claim.object,
    Claim.object_key,
    Claim.object_id,
    Claim.qualifiers,
    Claim.qualifiers_key,
    Claim.status,
)
ENTITY_ROW = select(Entity.kind, Entity.name).where(Entity.id == bindparam("eid"))
ALIAS_NAMES = select(Alias.name).where(Alias.entity_id == bindparam("eid"))
SLUGS_SQLITE = select(Entity.slug).where(
    (Entity.slug == bindparam("base")) | ((Entity.slug > bindparam("lo")) & (Entity.slug < bindparam("hi")))
)
SLUGS_LIKE = select(Entity.slug).where(
    (Entity.slug == bindparam("base")) | Entity.slug.like(bindparam("pat"))
)
SUBJECTS: BindParameter[int] = bindparam("subjects", expanding=True)
PREDICATES: BindParameter[str] = bindparam("predicates", expanding=True)
IDS: BindParameter[int] = bindparam("ids", expanding=True)
CLAIMS_OF = select(*CLAIM_COLUMNS).where(Claim.subject_id.in_(SUBJECTS), Claim.predicate.in_(PREDICATES))
BEST_CONFIDENCES = (
    select(ClaimSource.claim_id, func.max(ClaimSource.confidence))
    .where(ClaimSource.claim_id.in_(IDS))
    .group_by(ClaimSource.claim_id, ClaimSource.origin, ClaimSource.article_id)
)
SOURCES_OF = select(
    ClaimSource.claim_id,
    ClaimSource.stated_on,
    ClaimSource.meta,
    ClaimSource.origin,
    ClaimSource.article_id,
    ClaimSource.text,
).where(ClaimSource.claim_id.in_(IDS))
CONFLICTS_OF = select(Conflict.id).where(
    Conflict.subject_id.in_(SUBJECTS), Conflict.predicate.in_(PREDICATES)
)
CONFLICTS = select(Conflict).where(Conflict.id.in_(IDS))
CHUNK = 500


def chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def insert_rows(conn: Connection, statement: Insert, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) with ``statement`` (a plain ``insert(table)``).

    On PostgreSQL one ``INSERT … SELECT … FROM json_populate_recordset(…)`` statement whose one
    parameter is the rows as a JSON array: one round trip, serialised by ``json.dumps`` (C) and
    parsed by the server, where an ``executemany`` binds and runs one insert per row (the client
    dumping every value in Python, the server starting an insert for each). Rows are inserted in
    list order (serial ids follow it); a JSON column's value is the text ``json.dumps`` gives it,
    as with SQLAlchemy's JSON type, and times travel in ISO 8601. Elsewhere (SQLite: in-process, no
    round trips) an executemany.
    """
    if not rows:
        return
    table = statement.table
    if conn.dialect.name != "postgresql" or len(rows) == 1 or not isinstance(table, Table):
        conn.execute(statement, rows)
        return
    sql, times = _recordset_insert(table, tuple(rows[0]), conn.dialect)
    if times:
        rows = [{**row, **{k: _iso(row[k]) for k in times}} for row in rows]
    try:
        payload = json.dumps(rows)
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot write rows of {table.name}: {e}") from e
    conn.exec_driver_sql(sql, {"rows": payload})


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


_RECORDSET: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}


def _recordset_insert(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    key = (table.name, names)
    found = _RECORDSET.get(key)
    if found is not None:
        return found
    missing = [c.name for c in table.columns if c.default is not None and c.name not in names]
    if missing:  # an executemany would fill them in; this statement would leave them NULL
        raise StoreError(f"rows for {table.name} lack the columns {missing} (which have defaults)")
    prepare = dialect.identifier_preparer
    columns = ", ".join(prepare.quote(n) for n in names)
    selected = ", ".join(f"r.{prepare.quote(n)}" for n in names)
    name = prepare.format_table(table)
    sql = (
        f"INSERT INTO {name} ({columns}) SELECT {selected} "
        f"FROM json_populate_recordset(NULL::{name}, %(rows)s::json) WITH ORDINALITY AS r "
        "ORDER BY r.ordinality"
    )
    times = tuple(n for n in names if isinstance(table.c[n].type, DateTime | Date))
    _RECORDSET[key] = found = (sql, times)
    return found
