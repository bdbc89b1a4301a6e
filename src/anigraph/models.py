"""Domain types shared by every stage: Article, Evidence, Fact, Extraction.

These are plain dataclasses with no behaviour beyond (de)serialisation, so every stage
(ingest → extract → resolve → store → serve) can depend on them without depending on
each other. ``Fact.to_json`` is the public contract of ``anigraph extract --json``
(see ``docs/facts.md`` and the shared spec); extend it only by adding keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

SubjectType = Literal["work", "person", "character", "organization", "article"]
EntityKind = Literal["work", "person", "character", "organization"]

WORK_PREDICATES: frozenset[str] = frozenset(
    {
        "alias",
        "format",
        "studio",
        "based_on",
        "premiere",
        "broadcaster",
        "streaming",
        "episodes",
        "genre",
        "setting",
        "synopsis",
        "trailer",
        "character",
        "cast",
        "opening_theme",
        "ending_theme",
        "insert_song",
        "sequel_of",
        "related",
    }
)
STAFF_PREDICATES: frozenset[str] = frozenset(
    {
        "director",
        "chief_director",
        "assistant_director",
        "series_composition",
        "screenplay",
        "storyboard",
        "character_design",
        "chief_animation_director",
        "animation_director",
        "art_director",
        "color_design",
        "director_of_photography",
        "editing",
        "sound_director",
        "music",
        "original_creator",
        "chief_supervisor",
        "supervisor",
        "mechanical_design",
        "creature_design",
        "prop_design",
        "cg_director",
        "action_director",
        "producer",
        "planning",
        "animation_production",
    }
)
PERSON_PREDICATES: frozenset[str] = frozenset({"known_for"})
CHARACTER_PREDICATES: frozenset[str] = frozenset({"affiliation", "description", "alias"})
ARTICLE_PREDICATES: frozenset[str] = frozenset(
    {"headline", "author", "published", "category", "related_article"}
)
ALL_PREDICATES: frozenset[str] = (
    WORK_PREDICATES | STAFF_PREDICATES | PERSON_PREDICATES | CHARACTER_PREDICATES | ARTICLE_PREDICATES
)
QUALIFIER_KEYS: frozenset[str] = frozenset(
    {"performer", "title", "where", "region", "url", "description", "character", "episodes"}
)


def sha256_text(text: str) -> str:
    """sha256 of a text encoded as UTF-8: the ``text_sha256`` evidence offsets refer to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Source:
    """Where an article came from. ``sha256`` is of the source bytes (file, page or feed item)."""

    sha256: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD (or partial) when known
    format: str = "text"  # text | html | feed | jsonl | stdin

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "url": self.url,
            "title": self.title,
            "published": self.published,
        }


@dataclass(slots=True)
class Article:
    """A news article reduced to plain text plus the metadata the page or feed gave.

    ``text`` is what evidence offsets index. ``headline``/``author``/``published`` come
    from page metadata when the source had it; the extractor may also read them from
    the text itself (first line, "About the author" boxes, datelines).
    """

    text: str
    source: Source
    headline: str | None = None
    author: str | None = None
    published: str | None = None
    categories: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    language: str | None = None

    @property
    def text_sha256(self) -> str:
        return sha256_text(self.text)


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Fact:
    """One statement an article makes, with the exact span that states it."""

    subject: str
    subject_type: SubjectType
    predicate: str
    object: str
    evidence: Evidence
    confidence: float = 0.9
    qualifiers: dict[str, str] = field(default_factory=dict)
    object_type: str | None = None  # person | character | organization | work | value
    extra: dict[str, Any] = field(default_factory=dict)  # subject_id, object_id, catalog_id, …

    def key(self) -> tuple[str, str, str, str]:
        quals = ";".join(f"{k}={v}" for k, v in sorted(self.qualifiers.items()))
        return (self.subject, self.predicate, self.object, quals)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject,
            "subject_type": self.subject_type,
            "predicate": self.predicate,
            "object": self.object,
        }
        if self.qualifiers:
            out["qualifiers"] = dict(self.qualifiers)
        out["evidence"] = self.evidence.to_json()
        out["confidence"] = round(self.confidence, 3)
        if self.object_type:
            out["object_type"] = self.object_type
        out.update(self.extra)
        return out


@dataclass(slots=True)
class EntityMention:
    """An entity the extractor found in one article, with every spelling the article used."""

    name: str
    kind: EntityKind
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    facts: list[Fact]
    entities: list[EntityMention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.article.source.to_json(),
            "text_sha256": self.article.text_sha256,
            "facts": [f.to_json() for f in self.facts],
        }
