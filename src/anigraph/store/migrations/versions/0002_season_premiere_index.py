"""Season charts: a partial index on premiere claims' objects (dates), for season range reads.

``anigraph.store.seasons.read_season`` selects premiere claims whose object (``YYYY-MM-DD``,
``YYYY-MM`` or ``YYYY-season``) falls in a season's months; the index holds premiere rows only.

Revision ID: 0002_season_premiere_index
Revises: 0001
Create Date: 2026-12-08 00:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_season_premiere_index"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = sa.text("predicate = 'premiere'")


def upgrade() -> None:
    op.create_index(
        "ix_claims_premiere_object",
        "claims",
        ["object"],
        unique=False,
        sqlite_where=_WHERE,
        postgresql_where=_WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_claims_premiere_object", table_name="claims")
