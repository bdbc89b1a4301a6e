"""Finished partitions of bulk (``ingest --dask``) runs, so that a re-run skips them.

Revision ID: 0004_bulk_partitions
Revises: 0003_characters_per_work
Create Date: 2026-12-08 01:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_bulk_partitions"
down_revision: str | None = "0003_characters_per_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulk_partitions",
        sa.Column("run", sa.String(length=32), nullable=False),
        sa.Column("partition", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("run", "partition", name=op.f("pk_bulk_partitions")),
    )


def downgrade() -> None:
    op.drop_table("bulk_partitions")
