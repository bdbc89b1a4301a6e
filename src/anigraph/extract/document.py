"""ArticleDoc: the shared view of one article that every extraction component works on.

Owned by the extraction core (segmentation, boilerplate, works and subject tracking);
the people components (credits, cast, songs, characters, known_for) read it and call
``make_fact``. Offsets are always character offsets into ``article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span

from anigraph.models import Article, EntityMention, Evidence, Fact, SubjectType

SegmentKind = Literal["headline", "sentence", "line", "heading"]


@dataclass(slots=True)
class Segment:
    """A sentence, a list line (``Director: X``) or a heading, with its place in the text."""

    start: int
    end: int
    text: str
    kind: SegmentKind
    boilerplate: bool = False  # author box, related links, image credits, source lines, …
    section: str | None = None  # heading the segment sits under ("Cast", "Staff", …) if any


@dataclass(slots=True)
class WorkRef:
    """A work the article talks about, with every spelling it used."""

    name: str  # canonical title chosen for output
    aliases: list[str] = field(default_factory=list)
    format: str | None = None


@dataclass(slots=True)
class ArticleDoc:
    article: Article
    doc: Doc  # tokenized full text (char offsets match article.text)
    segments: list[Segment]
    works: list[WorkRef] = field(default_factory=list)
    main_work: WorkRef | None = None
    entities: list[EntityMention] = field(default_factory=list)  # people, characters, orgs seen

    @property
    def text(self) -> str:
        return self.article.text

    def content_segments(self) -> list[Segment]:
        """Segments that may carry show facts (boilerplate removed)."""
        return [s for s in self.segments if not s.boilerplate and s.kind != "headline"]

    def span(self, start: int, end: int) -> Span | None:
        """The token span covering [start, end), expanded to token boundaries."""
        return self.doc.char_span(start, end, alignment_mode="expand")

    def subject_at(self, offset: int) -> WorkRef | None:
        """The work a statement at ``offset`` is about (the main work unless context says otherwise)."""
        return self.main_work

    def make_fact(
        self,
        *,
        subject: str,
        subject_type: SubjectType,
        predicate: str,
        obj: str,
        start: int,
        end: int,
        confidence: float = 0.9,
        qualifiers: dict[str, str] | None = None,
        object_type: str | None = None,
    ) -> Fact:
        """A fact whose evidence is ``text[start:end]`` with surrounding whitespace trimmed."""
        text = self.article.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Fact(
            subject=subject,
            subject_type=subject_type,
            predicate=predicate,
            object=obj,
            evidence=Evidence(start, end, text[start:end]),
            confidence=confidence,
            qualifiers=dict(qualifiers or {}),
            object_type=object_type,
        )
