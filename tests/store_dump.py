"""The store's content without ids, timestamps or order, to compare two ways of filling a store
(a split or interrupted ingest, a bulk run on Dask) with one plain run of the same articles."""

from __future__ import annotations

from sqlalchemy import select

from anigraph.names import fold
from anigraph.store import Store, tables

Dump = dict[str, list[tuple[object, ...]]]


def dump(url: str) -> Dump:
    """The store's content without ids, timestamps or order. An entity is known by its kind and every
    spelling it has (its display name is the first spelling stored, which depends on the order of
    the articles; what it is does not)."""
    with Store.open(url) as store, store.session() as s:
        spellings: dict[int, set[str]] = {}
        for a in s.scalars(select(tables.Alias)):
            spellings.setdefault(a.entity_id, set()).add(fold(a.name))
        ent = {
            e.id: (e.kind, *sorted(spellings.get(e.id, set()) | {fold(e.name)}))
            for e in s.scalars(select(tables.Entity))
        }
        sha = dict(s.execute(select(tables.Article.id, tables.Article.sha256)).all())
        claims = {  # an object that is an entity is that entity (its stored spelling, again, is the first)
            c.id: (
                ent[c.subject_id],
                c.predicate,
                ent.get(c.object_id or 0) or fold(c.object),
                c.qualifiers_key,
                c.status,
            )
            for c in s.scalars(select(tables.Claim))
        }
        return {
            "articles": sorted(sha.values()),
            "entities": sorted(ent.values()),
            "claims": sorted(claims.values(), key=repr),
            "sources": sorted(
                (
                    (claims[c.claim_id], sha.get(c.article_id or 0), c.start, c.end)
                    for c in s.scalars(select(tables.ClaimSource))
                ),
                key=repr,
            ),
        }
