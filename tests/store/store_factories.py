"""Hand-built extractions for store tests (our own sentences; no third-party text)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from anigraph.models import Article, EntityMention, Evidence, Extraction, Fact, Source
from anigraph.names import fold
from anigraph.store import Store, tables

Dump = dict[str, list[tuple[object, ...]]]


@dataclass
class ArticleBuilder:
    """Write an article sentence by sentence and attach facts to the sentence that states them."""

    published: str | None = None
    headline: str = "A news article"
    url: str | None = None
    text: str = ""
    facts: list[Fact] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.headline + "\n\n"

    def say(self, sentence: str, *facts: tuple[Any, ...]) -> ArticleBuilder:
        """Append ``sentence`` and facts (subject_type, subject, predicate, object[, quals[, extra]])."""
        start = len(self.text)
        self.text += sentence + " "
        ev = Evidence(start, start + len(sentence), sentence)
        for spec in facts:
            subject_type, subject, predicate, obj = spec[:4]
            quals: dict[str, str] = spec[4] if len(spec) > 4 else {}
            extra: dict[str, Any] = spec[5] if len(spec) > 5 else {}
            self.facts.append(
                Fact(
                    subject=subject,
                    subject_type=subject_type,
                    predicate=predicate,
                    object=obj,
                    evidence=ev,
                    confidence=0.8,
                    qualifiers=dict(quals),
                    extra=dict(extra),
                )
            )
        return self

    def mention(self, name: str, kind: str, *aliases: str) -> ArticleBuilder:
        self.entities.append(EntityMention(name=name, kind=kind, aliases=list(aliases)))  # type: ignore[arg-type]
        return self

    def build(self) -> Extraction:
        sha = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        source = Source(sha256=sha, url=self.url, title=self.headline, published=self.published)
        article = Article(text=self.text, source=source, headline=self.headline, published=self.published)
        return Extraction(article=article, facts=list(self.facts), entities=list(self.entities))


def work(
    title: str, predicate: str, obj: str, quals: dict[str, str] | None = None, **extra: Any
) -> tuple[Any, ...]:
    return ("work", title, predicate, obj, quals or {}, extra)


def dump(url: str) -> Dump:
    """The store's content without ids, timestamps or order. An entity is known by its kind and every
    spelling it has (its display name is the first spelling stored, which depends on the order of
    the articles; what it is does not), a character also by the work it belongs to."""
    with Store.open(url) as store, store.session() as s:
        spellings: dict[int, set[str]] = {}
        for a in s.scalars(select(tables.Alias)):
            spellings.setdefault(a.entity_id, set()).add(fold(a.name))
        entities = list(s.scalars(select(tables.Entity)))
        known = {e.id: (e.kind, *sorted(spellings.get(e.id, set()) | {fold(e.name)})) for e in entities}
        ent: dict[int, tuple[object, ...]] = {
            e.id: known[e.id] + ((("of", known[e.work_id]),) if e.work_id is not None else ())
            for e in entities
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
            "entities": sorted(ent.values(), key=repr),
            "claims": sorted(claims.values(), key=repr),
            "sources": sorted(
                (
                    (claims[c.claim_id], sha.get(c.article_id or 0), c.start, c.end)
                    for c in s.scalars(select(tables.ClaimSource))
                ),
                key=repr,
            ),
        }
