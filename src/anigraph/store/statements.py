"""The Core statements ``store/writer.py`` runs, built once (no ORM unit of work per row)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, insert, select, update
from sqlalchemy.sql.dml import Insert, Update

from anigraph.store.tables import Alias, Article, Change, Claim, ClaimSource, Conflict, Entity

# Statements built once: Core statements on the session's connection (no ORM unit of work per row).
FIND_ARTICLE = select(Article.id, Article.sha256).where(
    (Article.sha256 == bindparam("sha")) | (Article.text_sha256 == bindparam("text_sha"))
)
INSERT_ARTICLE: Insert = insert(Article).returning(Article.id)
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
