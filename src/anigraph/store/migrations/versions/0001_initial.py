"""Initial schema: articles, entities, aliases, external ids, claims, sources, changes, conflicts.

Edited freely until the first release; must match ``anigraph.store.tables.Base.metadata``
(``tests/store/test_store_migrations.py`` checks it on SQLite and PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:43:15.865050
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("sha256", name=op.f("uq_articles_sha256")),
    )
    op.create_index(op.f("ix_articles_published"), "articles", ["published"], unique=False)
    op.create_index(op.f("ix_articles_text_sha256"), "articles", ["text_sha256"], unique=False)

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("slug", name=op.f("uq_entities_slug")),
    )
    op.create_index(op.f("ix_entities_kind"), "entities", ["kind"], unique=False)

    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_aliases_entity_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aliases")),
        sa.UniqueConstraint("entity_id", "name", name="uq_alias_entity_name"),
    )
    op.create_index(op.f("ix_aliases_entity_id"), "aliases", ["entity_id"], unique=False)
    op.create_index(op.f("ix_aliases_folded"), "aliases", ["folded"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("predicate", sa.String(length=40), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("object_key", sa.String(length=400), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("qualifiers", sa.JSON(), nullable=False),
        sa.Column("qualifiers_key", sa.String(length=400), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"], ["entities.id"], name=op.f("fk_claims_object_id_entities"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["entities.id"], name=op.f("fk_claims_subject_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("subject_id", "predicate", "object_key", "qualifiers_key", name="uq_claim"),
    )
    op.create_index(op.f("ix_claims_object_id"), "claims", ["object_id"], unique=False)
    op.create_index(op.f("ix_claims_status"), "claims", ["status"], unique=False)
    op.create_index("ix_claims_subject_predicate", "claims", ["subject_id", "predicate"], unique=False)

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("predicate", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["entities.id"], name=op.f("fk_conflicts_subject_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint("subject_id", "predicate", "scope", name="uq_conflict"),
    )
    op.create_index(op.f("ix_conflicts_open"), "conflicts", ["open"], unique=False)
    op.create_index(op.f("ix_conflicts_subject_id"), "conflicts", ["subject_id"], unique=False)

    op.create_table(
        "external_ids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_external_ids_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_ids")),
        sa.UniqueConstraint("source", "value", name="uq_external_source_value"),
    )
    op.create_index(op.f("ix_external_ids_entity_id"), "external_ids", ["entity_id"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("predicate", sa.String(length=40), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("old_claim_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_changes_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_changes_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["old_claim_id"], ["claims.id"], name=op.f("fk_changes_old_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["entities.id"], name=op.f("fk_changes_subject_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index(op.f("ix_changes_at"), "changes", ["at"], unique=False)
    op.create_index(op.f("ix_changes_subject_id"), "changes", ["subject_id"], unique=False)

    op.create_table(
        "claim_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("stated_on", sa.String(length=16), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_claim_sources_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_sources_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_sources")),
        sa.UniqueConstraint("claim_id", "article_id", "origin", "start", name="uq_claim_source"),
    )
    op.create_index(op.f("ix_claim_sources_article_id"), "claim_sources", ["article_id"], unique=False)
    op.create_index(op.f("ix_claim_sources_claim_id"), "claim_sources", ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_sources_claim_id"), table_name="claim_sources")
    op.drop_index(op.f("ix_claim_sources_article_id"), table_name="claim_sources")

    op.drop_table("claim_sources")
    op.drop_index(op.f("ix_changes_subject_id"), table_name="changes")
    op.drop_index(op.f("ix_changes_at"), table_name="changes")

    op.drop_table("changes")
    op.drop_index(op.f("ix_external_ids_entity_id"), table_name="external_ids")

    op.drop_table("external_ids")
    op.drop_index(op.f("ix_conflicts_subject_id"), table_name="conflicts")
    op.drop_index(op.f("ix_conflicts_open"), table_name="conflicts")

    op.drop_table("conflicts")
    op.drop_index("ix_claims_subject_predicate", table_name="claims")
    op.drop_index(op.f("ix_claims_status"), table_name="claims")
    op.drop_index(op.f("ix_claims_object_id"), table_name="claims")

    op.drop_table("claims")
    op.drop_index(op.f("ix_aliases_folded"), table_name="aliases")
    op.drop_index(op.f("ix_aliases_entity_id"), table_name="aliases")

    op.drop_table("aliases")
    op.drop_index(op.f("ix_entities_kind"), table_name="entities")

    op.drop_table("entities")
    op.drop_index(op.f("ix_articles_text_sha256"), table_name="articles")
    op.drop_index(op.f("ix_articles_published"), table_name="articles")

    op.drop_table("articles")
