"""The extraction pipeline: Article → ArticleDoc → facts with evidence.

The mention model (``mentions.py``: anigraph's tokenizer + ``tok2vec`` + ``ner``) makes the ``Doc``
the components share; broadcasters, streaming services and studios are found in it by a spaCy
``PhraseMatcher`` loaded from the gazetteer files; segmentation, works and dates are rules over data
files (``extract/data``), helped by the learned headline, subject and relation models. The people components
(credits, cast, songs, characters) live in ``anigraph.extract.people`` and are called on the same ArticleDoc.
Everything heavy is loaded once in ``Extractor.load()``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice, pairwise

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from anigraph import settings
from anigraph.errors import ExtractError
from anigraph.extract.article_meta import ArticleMetaReader, reference_date
from anigraph.extract.document import ArticleDoc
from anigraph.extract.mentions import load_mention_nlp
from anigraph.extract.pagelines import HeadlineModel
from anigraph.extract.relations import RelationModel, taken_keys
from anigraph.extract.resources import Resources, make_nlp
from anigraph.extract.segment import Segmenter
from anigraph.extract.subject_choice import SubjectModel
from anigraph.extract.subjects import SubjectTracker
from anigraph.extract.workfacts import WorkFactReader
from anigraph.extract.works import WorkFinder
from anigraph.models import Article, EntityMention, Extraction, Fact
from anigraph.names import fold, person_key, studio_key

log = logging.getLogger(__name__)

PeopleFn = Callable[[ArticleDoc], list[Fact]]


def _people_component() -> PeopleFn | None:
    try:
        from anigraph.extract.people import extract_people
    except ImportError as e:  # the people package is optional while it is being built
        log.warning("people components unavailable (%s): no credit, cast or character facts", e)
        return None
    fn: PeopleFn = extract_people
    return fn


PIECE_CHARS = 20_000  # the mention model reads longer texts in pieces of about this size
LEARNED_CHARS = 200_000  # and tags mentions in the first this many characters of a text
LONG_RUN = 200  # characters without a space that are read as one token
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")


def _piece_starts(text: str) -> list[int]:
    """Where the pieces of a long text start: at a line break near every ``PIECE_CHARS`` characters
    (at a space, or anywhere, when a line is longer than that)."""
    starts = [0]
    while len(text) - starts[-1] > PIECE_CHARS:
        lo, hi = starts[-1] + PIECE_CHARS // 2, starts[-1] + PIECE_CHARS
        cut = text.rfind("\n", lo, hi)
        if cut < 0:
            cut = text.rfind(" ", lo, hi)
        starts.append(cut + 1 if cut >= 0 else hi)
    return starts


class Extractor:
    """Loads the tokenizer and pattern data once; extracts facts from articles."""

    def __init__(
        self,
        *,
        nlp: Language,
        res: Resources,
        people: PeopleFn | None,
        headlines: HeadlineModel | None = None,
        subjects: SubjectModel | None = None,
        relations: RelationModel | None = None,
    ) -> None:
        self.relations = relations
        self.nlp = nlp
        self.res = res
        self.segmenter = Segmenter(res, headlines=headlines)
        self.works = WorkFinder(res, subject_model=subjects)
        self.meta = ArticleMetaReader(res)
        self.work_facts = WorkFactReader(res)
        self.people = people

    @classmethod
    def load(cls) -> Extractor:
        """Load the mention and headline models, the pattern data and the people components once
        (``ANIGRAPH_LEARNED=off``: the plain tokenizer and the rules alone, for ablations)."""
        learned = settings.get("learned").strip().casefold() not in {"off", "0", "false", "no"}
        return cls(
            nlp=load_mention_nlp() if learned else make_nlp(),
            res=Resources.load(),
            people=_people_component(),
            headlines=HeadlineModel.load() if learned else None,
            subjects=SubjectModel.load() if learned else None,
            relations=RelationModel.load() if learned else None,
        )

    def extract(self, article: Article) -> Extraction:
        return self._run(article, self.doc(article.text))

    def doc(self, text: str) -> Doc:
        """The tokenized text with learned mentions, in time and memory near-linear in its length.

        A text longer than ``PIECE_CHARS`` is read in pieces cut at line breaks (the mention model's
        memory grows with its input), and a run of over ``LONG_RUN`` characters without a space
        ("<<<<…", a base64 blob) is one token of its own (spaCy's affix splitting is quadratic in
        such runs). The pieces are joined back into one Doc of the whole text, so offsets are
        those of the text; past ``LEARNED_CHARS`` pieces are only tokenized (the rules read them)."""
        runs = [m.span() for m in _LONG_RUN.finditer(text)]
        if len(text) <= PIECE_CHARS and not runs:
            return self.nlp(text)
        pieces: list[tuple[int, int, bool]] = []  # (start, end, is a long run)
        pos = 0
        for run_start, run_end in [*runs, (len(text), len(text))]:
            if run_start > pos:
                cuts = [pos + c for c in _piece_starts(text[pos:run_start])]
                pieces += [(a, b, False) for a, b in pairwise([*cuts, run_start])]
            if run_end > run_start:
                pieces.append((run_start, run_end, True))
            pos = run_end
        tagged = [text[a:b] for a, b, run in pieces if not run and a < LEARNED_CHARS]
        tagged_docs = iter(self.nlp.pipe(tagged, batch_size=2))
        docs: list[Doc] = []
        for a, b, run in pieces:
            if run:
                docs.append(Doc(self.nlp.vocab, words=[text[a:b]], spaces=[False]))
            else:
                docs.append(next(tagged_docs) if a < LEARNED_CHARS else self.nlp.tokenizer(text[a:b]))
        for d in docs:  # no component downstream reads the tok2vec tensors; drop them before joining
            d.tensor = numpy.zeros((0,), dtype="float32")
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        if doc.text != text:  # cannot happen with contiguous pieces; never hand out wrong offsets
            raise ExtractError("the pieces of a long text did not join back into the text")
        return doc

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[Extraction]:
        """Extract articles in batches: the spaCy Docs of a batch are made with ``nlp.pipe`` (long or
        space-free texts through ``doc``) and the gazetteers (outlets, studios) are looked up in them
        with spaCy's PhraseMatcher."""
        it = iter(articles)
        while True:
            batch = list(islice(it, batch_size))
            if not batch:
                return
            if any(len(a.text) > PIECE_CHARS or _LONG_RUN.search(a.text) for a in batch):
                docs: Iterable[Doc | None] = [self.doc(a.text) for a in batch]
            else:
                docs = self.nlp.pipe((a.text for a in batch), batch_size=batch_size)
            for article, doc in zip(batch, docs, strict=True):
                yield self._run(article, doc)

    def document(self, article: Article, doc: Doc | None = None) -> tuple[ArticleDoc, list[Fact]]:
        """The ArticleDoc of an article (segments, works, subjects) and its article facts."""
        seg_result = self.segmenter.segment(article.text, headline=article.headline)
        adoc = ArticleDoc(
            article=article,
            doc=doc,
            segments=seg_result.segments,
            published=article.published or article.source.published,
        )
        self.meta.prepare(adoc)
        self.works.find_works(adoc)
        meta_facts = self.meta.read(adoc, seg_result)
        return adoc, meta_facts

    def _run(self, article: Article, doc: Doc | None) -> Extraction:
        adoc, facts = self.read(article, doc)
        return Extraction(article=article, facts=facts, entities=entities(adoc, facts))

    def read(self, article: Article, doc: Doc | None) -> tuple[ArticleDoc, list[Fact]]:
        """The ArticleDoc and every fact: rules first, then learned relations for what they left."""
        adoc, facts = self.document(article, doc)
        tracker = SubjectTracker(adoc)
        adoc.segment_subjects = tracker.assign()
        facts.extend(self.work_facts.read(adoc, tracker, ref=reference_date(adoc.published)))
        if self.people is not None:
            try:
                facts.extend(self.people(adoc))
            except Exception:  # a failing component must not drop the article's other facts
                log.exception(
                    "people components failed on %s: its credit, cast and character facts are missing",
                    article.source.path or article.source.url,
                )
        if self.relations is not None:
            facts.extend(self.relations.read(adoc, taken=taken_keys(facts)))
        return adoc, dedupe(facts)


def _object_key(predicate: str, obj: str) -> str:
    if predicate in {"studio", "animation_production"}:
        return studio_key(obj)
    if predicate in {"author", "cast", "original_creator", "director", "music"}:
        return person_key(obj)
    return fold(obj)


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (subject, predicate, object, qualifiers): keep the most confident, shortest evidence.

    A fact without qualifiers is dropped when the same statement with qualifiers exists.
    """
    best: dict[tuple[str, str, str, str], Fact] = {}
    order: list[tuple[str, str, str, str]] = []
    for f in facts:
        quals = ";".join(f"{k}={fold(v)}" for k, v in sorted(f.qualifiers.items()))
        key = (fold(f.subject), f.predicate, _object_key(f.predicate, f.object), quals)
        cur = best.get(key)
        if cur is None:
            best[key] = f
            order.append(key)
        elif (f.confidence, -(f.evidence.end - f.evidence.start)) > (
            cur.confidence,
            -(cur.evidence.end - cur.evidence.start),
        ):
            best[key] = f
    qualified = {k[:3] for k in order if k[3]}
    return [best[k] for k in order if k[3] or k[:3] not in qualified]


def entities(adoc: ArticleDoc, facts: list[Fact]) -> list[EntityMention]:
    """Works with their spellings, plus the people, characters and organisations the facts name."""
    out: list[EntityMention] = [
        EntityMention(name=w.name, kind="work", aliases=list(w.aliases)) for w in adoc.works
    ]
    seen: set[tuple[str, str]] = {(e.kind, fold(e.name)) for e in out}
    for e in adoc.entities:
        if (e.kind, fold(e.name)) not in seen:
            seen.add((e.kind, fold(e.name)))
            out.append(e)
    for f in facts:
        kind = {"person": "person", "character": "character", "organization": "organization"}.get(
            f.object_type or ""
        )
        if kind and (kind, fold(f.object)) not in seen:
            seen.add((kind, fold(f.object)))
            out.append(EntityMention(name=f.object, kind=kind))  # type: ignore[arg-type]
    return out
