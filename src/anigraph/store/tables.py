"""The schema: SQLAlchemy 2 declarative tables, portable across SQLite and PostgreSQL.

Alembic migrations in ``store/migrations`` create exactly these tables; a test compares
the migrated schema with this metadata so the two cannot drift.

Data model in one paragraph: an ``Article`` is stored once (unique ``sha256`` of its source
bytes). ``Entity`` rows are works, people, characters (each of one work: ``work_id``) and
organizations, each with ``Alias`` rows (every spelling seen, from articles or catalogs) and
``ExternalId`` rows (AniList, MAL, AniDB ids). A ``Claim`` is one merged statement about a subject entity
(subject, predicate, object, qualifiers); every article (or catalog) that states it adds a
``ClaimSource`` with the exact evidence span. ``Change`` rows are an append-only log of
what changed when (new claim, new source, value superseded, conflict opened), which
feeds history, ``/changes.atom`` and ``/api/v1/changes``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Deterministic constraint names so SQLite and PostgreSQL (and the migration) agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the source bytes
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16), default="text")
    headline: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(16), index=True)  # YYYY[-MM[-DD]]
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # categories, related, …
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    sources: Mapped[list[ClaimSource]] = relationship(back_populates="article")


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # work|person|character|organization
    name: Mapped[str] = mapped_column(Text)  # canonical display name
    slug: Mapped[str] = mapped_column(String(200), unique=True)  # stable public id, e.g. "metallic-rouge"
    # catalog attributes of works: type, episodes, season, start_date, genres, status, synopsis, …
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # characters: the work they belong to ("Emma" of one show is not "Emma" of another); else NULL
    work_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    aliases: Mapped[list[Alias]] = relationship(back_populates="entity", cascade="all, delete-orphan")
    external_ids: Mapped[list[ExternalId]] = relationship(
        back_populates="entity", cascade="all, delete-orphan"
    )


class Alias(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("entity_id", "name", name="uq_alias_entity_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, index=True)  # anigraph.names.fold(name)
    # title | romaji | english | native | synonym | short | misspelling | name
    kind: Mapped[str] = mapped_column(String(16), default="name")
    language: Mapped[str | None] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(32), default="article")  # article | anilist | mal | anidb | …

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class ExternalId(Base):
    __tablename__ = "external_ids"
    __table_args__ = (UniqueConstraint("source", "value", name="uq_external_source_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # anilist | mal | anidb
    value: Mapped[str] = mapped_column(String(32))

    entity: Mapped[Entity] = relationship(back_populates="external_ids")


class Claim(Base):
    """A merged statement: (subject, predicate, object, qualifiers), sourced by one or more articles."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("subject_id", "predicate", "object_key", "qualifiers_key", name="uq_claim"),
        Index("ix_claims_subject_predicate", "subject_id", "predicate"),
        # season charts read premieres by date range (``store.seasons``); partial, so long
        # objects of other predicates (synopses) never enter a B-tree
        Index(
            "ix_claims_premiere_object",
            "object",
            sqlite_where=sql_text("predicate = 'premiere'"),
            postgresql_where=sql_text("predicate = 'premiere'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    predicate: Mapped[str] = mapped_column(String(40))
    object: Mapped[str] = mapped_column(Text)
    object_key: Mapped[str] = mapped_column(String(400))  # folded object for uniqueness
    object_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"), index=True)
    qualifiers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    qualifiers_key: Mapped[str] = mapped_column(String(400), default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)  # aggregated over sources
    # current | superseded (a later article changed it, or a more precise value refined it) |
    # disputed (an open conflict)
    status: Mapped[str] = mapped_column(String(16), default="current", index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    subject: Mapped[Entity] = relationship(foreign_keys=[subject_id])
    object_entity: Mapped[Entity | None] = relationship(foreign_keys=[object_id])
    sources: Mapped[list[ClaimSource]] = relationship(back_populates="claim", cascade="all, delete-orphan")


class ClaimSource(Base):
    """One article's (or catalog's) statement of a claim, with its evidence span."""

    __tablename__ = "claim_sources"
    __table_args__ = (UniqueConstraint("claim_id", "article_id", "origin", "start", name="uq_claim_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(32), default="article")  # article | anilist | mal | …
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    stated_on: Mapped[str | None] = mapped_column(String(16))  # the article's date, when known
    # the fact's extra keys (subject_id, catalog_id, "change": true when the text signals a change, …)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    claim: Mapped[Claim] = relationship(back_populates="sources")
    article: Mapped[Article | None] = relationship(back_populates="sources")


class Change(Base):
    """Append-only log: what changed, when, because of which article."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    # claim_added | source_added | superseded | refined | conflict_opened | conflict_resolved | entity_created
    kind: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    predicate: Mapped[str | None] = mapped_column(String(40))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    old_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Conflict(Base):
    """Two or more current values for a predicate that holds one value (premiere, director, …)."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("subject_id", "predicate", "scope", name="uq_conflict"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    predicate: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(200), default="")  # e.g. qualifier "where"
    open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    claim_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BulkPartition(Base):
    """A partition of a bulk (``ingest --dask``) run whose articles are all stored: a re-run skips it.

    ``run`` names the run (its partitions and filter, hashed), ``partition`` the partition (its files,
    their sizes and times, its byte range, hashed); ``label`` says which in words.
    """

    __tablename__ = "bulk_partitions"

    run: Mapped[str] = mapped_column(String(32), primary_key=True)
    partition: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
