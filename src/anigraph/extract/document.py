"""ArticleDoc: the shared view of one article that every extraction component works on.

Owned by the extraction core (segmentation, boilerplate, works and subject tracking);
the people components (credits, cast, songs, characters, known_for) read it and call
``make_fact``. Offsets are always character offsets into ``article.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Doc, Span

from anigraph.extract.resources import Hit, Resources, make_nlp
from anigraph.models import Article, EntityMention, Evidence, Fact, SubjectType

if TYPE_CHECKING:
    from anigraph.extract.subject_choice import Candidate

SegmentKind = Literal["headline", "sentence", "line", "heading"]


@lru_cache(maxsize=1)
def _blank_tokenizer() -> Callable[[str], Doc]:
    tokenizer: Callable[[str], Doc] = make_nlp().make_doc
    return tokenizer


# "B, co-founder of Madhouse and Studio M2,": a company named as a person's office is not the
# work's studio (ends where the company names start)
OFFICE = r"(?:co-?)?(?:founder|president|chairman|CEO|head|veteran|member|alumnus|formerly)"
OFFICE_OF_RE = re.compile(
    rf"\b{OFFICE}\s+(?:of|at)\s+"
    r"(?:[A-Z][\w.&'’-]*\s*(?:,|and|&)?\s*){0,6}$"
)


@dataclass(slots=True)
class Segment:
    """A sentence, a list line (``Director: X``) or a heading, with its place in the text."""

    start: int
    end: int
    text: str
    kind: SegmentKind
    boilerplate: bool = False  # author box, related links, image credits, source lines, …
    section: str | None = None  # heading the segment sits under ("Cast", "Staff", …) if any
    paragraph: int = 0  # index of the blank-line separated block the segment belongs to


@dataclass(slots=True)
class WorkRef:
    """A work the article talks about, with every spelling it used."""

    name: str  # canonical title chosen for output
    aliases: list[str] = field(default_factory=list)
    format: str | None = None
    base: str | None = None  # the earlier work this one continues (season, sequel), if known
    mentions: list[tuple[int, int]] = field(default_factory=list)  # spans naming the work

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass(slots=True)
class ArticleDoc:
    article: Article
    # Tokenized full text (char offsets match article.text), made by ``Extractor.pipe`` with ``nlp.pipe``
    # when tokenizing, else on the first ``tokens()`` call; the gazetteer PhraseMatcher runs over it.
    doc: Doc | None
    segments: list[Segment]
    works: list[WorkRef] = field(default_factory=list)
    main_work: WorkRef | None = None
    entities: list[EntityMention] = field(default_factory=list)  # people, characters, orgs seen
    published: str | None = None  # YYYY-MM-DD the article was published (metadata or dateline)
    segment_subjects: list[WorkRef | None] = field(default_factory=list)  # parallel to segments
    gazetteer_hits: dict[str, list[Hit]] | None = None  # PhraseMatcher hits by label, see ``phrases``
    subject_candidates: list[Candidate] = field(default_factory=list)  # scored by ``subject_choice``
    _mentions_key: tuple[tuple[int, int], ...] | None = None
    _mentions: tuple[list[int], list[tuple[int, int, WorkRef]]] = ([], [])

    @property
    def text(self) -> str:
        return self.article.text

    def content_segments(self) -> list[Segment]:
        """Segments that may carry show facts (boilerplate removed)."""
        return [s for s in self.segments if not s.boilerplate and s.kind != "headline"]

    def tokens(self) -> Doc:
        """The spaCy Doc of the text (rule-based English tokenizer), made on first use."""
        if self.doc is None:
            self.doc = _blank_tokenizer()(self.article.text)
        return self.doc

    def phrases(self, label: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Gazetteer names (``broadcaster``, ``streaming``, ``studio``) inside [start, end).

        When the article was tokenized (``Extractor`` always does; or an earlier ``tokens()`` call)
        they are found once per article by spaCy's PhraseMatcher over the Doc; otherwise the gazetteer's
        character trie scans the range. Both give the same hits (tests/extract/test_phrases.py)."""
        if self.doc is None and self.gazetteer_hits is None:
            res = Resources.load()
            gaz = {"broadcaster": res.broadcasters, "streaming": res.streaming, "studio": res.studios}[label]
            return gaz.find(self.article.text, start, end)
        if self.gazetteer_hits is None:
            self.gazetteer_hits = Resources.load().lookup().find(self.tokens(), self.article.text)
        hits = self.gazetteer_hits.get(label, [])
        stop = len(self.article.text) if end is None else end
        if start == 0 and stop >= len(self.article.text):
            return hits
        first = bisect_left(hits, start, key=lambda h: h[0])  # hits come in text order
        last = bisect_left(hits, stop, lo=first, key=lambda h: h[0])
        return [h for h in hits[first:last] if h[1] <= stop]

    def span(self, start: int, end: int) -> Span | None:
        """The token span covering [start, end), expanded to token boundaries."""
        return self.tokens().char_span(start, end, alignment_mode="expand")

    def segment_at(self, offset: int) -> int | None:
        """Index of the segment containing ``offset`` (None when it falls between segments)."""
        lo, hi = 0, len(self.segments) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            seg = self.segments[mid]
            if offset < seg.start:
                hi = mid - 1
            elif offset >= seg.end:
                lo = mid + 1
            else:
                return mid
        return None

    def subject_at(self, offset: int) -> WorkRef | None:
        """The work a statement at ``offset`` is about.

        A title named in the same sentence before ``offset`` wins; otherwise the work the
        sentence is about (see ``anigraph.extract.subjects``); otherwise the main work.
        """
        starts, index_ = self._mention_index()
        at = bisect_right(starts, offset)  # mentions starting at or before offset: index_[:at]
        if at and offset < index_[at - 1][1]:
            return index_[at - 1][2]
        index = self.segment_at(offset)
        if index is not None and index < len(self.segment_subjects):
            seg = self.segments[index]
            if at and index_[at - 1][0] >= seg.start:  # the latest title named in the sentence before
                return index_[at - 1][2]
            subject = self.segment_subjects[index]
            if subject is not None:
                return subject
        return self.main_work

    def _mention_index(self) -> tuple[list[int], list[tuple[int, int, WorkRef]]]:
        """Every work mention sorted by start (built once per set of works)."""
        key = tuple((id(w), len(w.mentions)) for w in self.works)
        if self._mentions_key != key:
            spans = sorted(
                ((s, e, w) for w in self.works for s, e in w.mentions), key=lambda m: (m[0], -m[1])
            )
            self._mentions = ([m[0] for m in spans], spans)
            self._mentions_key = key
        return self._mentions

    def work_named(self, name: str) -> WorkRef | None:
        for work in self.works:
            if name == work.name or name in work.aliases:
                return work
        return None

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
