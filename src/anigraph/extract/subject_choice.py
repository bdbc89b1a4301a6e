"""One subject decision per article: which of the candidate works the page is about.

Candidates are the works the finder built (rule cues and learned WORK mentions). Each becomes a
small document of evidence tokens (``candidate_features``): whether the headline names it, how
often and how early the page names it, in which order it first appears among the candidates,
whether the mention model reads its mentions as a work or as a person, company, character or
song, whether a rule cue announced it (``titled X``, ``the X anime``), quotation marks, the
words just before and after its mentions ("known for X", "X anime"), its shape. A spaCy
``textcat`` trained on the annotated corpus (``training/``, ``make train``) scores the documents,
and the best candidate is the subject. With the learned parts off, a hand-weighted score over the
same evidence decides.

Never a subject: a candidate that is a date or a season word, a gazetteer broadcaster, service or
studio, or one the mention model reads only as something other than a work.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from anigraph.extract.document import ArticleDoc, WorkRef
from anigraph.extract.learned import TrainedTextcat
from anigraph.extract.mentions import Mention, mentions
from anigraph.extract.people.lexicon import load_lexicon
from anigraph.extract.people.prior_works import prior_work_owner
from anigraph.names import fold

MODEL_DIR = Path(__file__).parent / "model" / "subject"

_NOT_A_SUBJECT = re.compile(
    r"^(?:(?:the\s+)?(?:winter|spring|summer|fall|autumn)(?:\s+\d{4})?(?:\s+(?:anime|season))?|\d{4}|"
    r"anime|animation|news|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{1,2})?)$",
    re.IGNORECASE,
)
_NOMINAL_AFTER = re.compile(
    r"(?:['’]s\s+)?(?:new\s+)?(?:TV\s+|television\s+)?(?:anime|series|film|movie|season|adaptation|OVA|project)\b",
    re.IGNORECASE,
)
_QUOTES = "\"'“”‘’「」『』«»"
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+")
_SEASONISH = re.compile(r"\b(?:season|part|cour|movie|film|the animation)\b|\b\d+\b|\b[IVX]+$", re.IGNORECASE)


@dataclass(slots=True)
class Candidate:
    """A work that may be the page's subject, with what the finder knew about it."""

    work: WorkRef
    from_headline: bool = False  # the headline's leading title (rules)
    cue_format: str | None = None  # a rule cue gave its format ("the X anime", "X, the film")
    learned_only: bool = False  # only the mention model found it
    features: str = ""
    score: float = 0.0  # how likely it is the page's main work
    topic: float = 0.0  # how likely the page states facts about it (roundups: several works)
    vetoed: bool = field(default=False)
    person: bool = False  # the mention model reads its mentions as a person's name, never as a work


def _bucket(n: float, edges: Sequence[float]) -> int:
    return next((i for i, e in enumerate(edges) if n <= e), len(edges))


def _overlap_labels(spans: Sequence[tuple[int, int]], tags: Sequence[Mention]) -> dict[str, int]:
    """How often each learned label overlaps the spans (``tags`` in text order)."""
    out: dict[str, int] = {}
    ends = [m.end for m in tags]
    for s, e in spans:
        for m in tags[bisect_right(ends, s) :]:  # the first mention that ends after s, onwards
            if m.start >= e:
                break
            out[m.label] = out.get(m.label, 0) + 1
    return out


def _token(word: str) -> str:
    return re.sub(r"\W", "_", word.casefold())


_LINE_PUNCT = " \t\"'“”‘’「」『』«»*#:-–—|()[]0123456789."


def _line_roles(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """Layout of a candidate's mentions: a title alone on its line (a roundup's section heading) or
    opening a line ("X: studio …", "X (2024) …")."""
    out: set[str] = set()
    for s, e in spans:
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:s].strip(_LINE_PUNCT)
        after = text[e:line_end].strip(_LINE_PUNCT)
        if not before and not after:
            out.add("_ownline")
        elif not before:
            out.add("_linestart")
    return sorted(out)


def _neighbour_words(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The words around a candidate's first mentions ("known for X", "X anime"), as feature tokens."""
    out: list[str] = []
    for s, e in spans[:6]:
        before = _WORD.findall(text[max(0, s - 30) : s])
        after = _WORD.findall(text[e : e + 30])
        if before:
            out.append("_pre_" + _token(before[-1]))
        if len(before) >= 2:
            out.append("_pre2_" + _token(before[-2]) + "_" + _token(before[-1]))
        if after:
            out.append("_post_" + _token(after[0]))
    return out


def prepare(adoc: ArticleDoc, candidates: list[Candidate], *, headline: tuple[int, int] | None) -> None:
    """Veto impossible candidates and write every candidate's evidence document."""
    tags = mentions(adoc.doc)
    text = adoc.text
    gazetteer_names = {
        fold(form) for label in ("broadcaster", "streaming", "studio") for _s, _e, form in adoc.phrases(label)
    }
    content = [s for s in adoc.segments if not s.boilerplate and s.kind != "headline"]
    first_content = content[0].start if content else 0
    firsts = sorted(
        (min((s for s, _e in c.work.mentions if s >= first_content), default=len(text)), i)
        for i, c in enumerate(candidates)
    )
    rank = {i: r for r, (_pos, i) in enumerate(firsts)}
    most = max((len(c.work.mentions) for c in candidates), default=0)
    by_name = {fold(c.work.name): c for c in candidates}
    people = [m for m in tags if m.label == "PERSON"]
    prior_cue = load_lexicon().prior_work_re
    bases = {fold(c.work.base) for c in candidates if c.work.base}
    for i, c in enumerate(candidates):
        names = {fold(n) for n in c.work.names()}
        spans = list(c.work.mentions)
        labels = _overlap_labels(spans, tags)
        as_work = labels.get("WORK", 0)
        as_other = sum(labels.get(k, 0) for k in ("PERSON", "ORG", "CHARACTER", "SONG"))
        as_person = labels.get("PERSON", 0)
        # a person is never a work, even when a rule took the name for one ("X's new anime", a headline
        # opening with a director's name); one PERSON reading among many mentions is not enough
        c.person = as_work == 0 and bool(spans) and as_person >= max(1, (len(spans) + 1) // 2)
        not_a_work = bool(names & gazetteer_names) or any(_NOT_A_SUBJECT.match(n) for n in names)
        if not_a_work or (c.person and not c.cue_format and (not c.from_headline or as_person >= 2)):
            c.vetoed = True
        elif (
            not c.from_headline
            and not c.cue_format
            and as_work == 0
            and spans
            and as_other >= max(1, len(spans) // 2)
        ):  # the model reads every mention as a person, company, character or song (a rule cue such as
            c.vetoed = True  # "a series called X" outweighs it)
        if (
            c.learned_only
            and not c.from_headline
            and spans
            and all(prior_work_owner(text, people, s, e, prior_cue) for s, e in spans)
        ):  # named only as someone's earlier work ("the director behind X, Y and Z")
            c.vetoed = True
        in_headline = headline is not None and any(headline[0] <= s < headline[1] for s, _e in spans)
        body = [(s, e) for s, e in spans if s >= first_content]
        if c.from_headline and not body and as_work == 0 and tags:
            c.vetoed = True  # a headline phrase the body never names and the model never reads as a work
        first = min((s for s, _e in body), default=len(text))
        seg_index = next((k for k, seg in enumerate(content) if seg.start <= first < seg.end), 99)
        quoted = sum(1 for s, e in spans if text[max(0, s - 1) : s] in _QUOTES and text[e : e + 1] in _QUOTES)
        nominal = sum(1 for _s, e in spans if _NOMINAL_AFTER.match(text[e : e + 30].lstrip(" ’'\"”)")))
        name = c.work.name
        feats = [
            f"_n{_bucket(len(body), (0, 1, 2, 3, 5, 8))}",
            f"_work{_bucket(as_work, (0, 1, 2, 4))}",
            f"_other{_bucket(as_other, (0, 1, 3))}",
            f"_rank{min(rank[i], 4)}",
            f"_seg{_bucket(seg_index, (0, 1, 2, 4, 8))}",
            f"_words{_bucket(len(name.split()), (1, 2, 4, 7))}",
            f"_quoted{_bucket(quoted, (0, 1))}",
            f"_nominal{_bucket(nominal, (0, 1, 2))}",
        ]
        if c.from_headline:
            feats.append("_hlrule")
        if in_headline:
            feats.append("_inheadline")
            if not body:
                feats.append("_headlineonly")
        if headline is None:
            feats.append("_noheadline")
        if c.learned_only:
            feats.append("_learnedonly")
        if c.cue_format:
            feats.append(f"_cue_{c.cue_format}")
        if len(spans) == most and most:
            feats.append("_most")
        if name.isupper():
            feats.append("_caps")
        if ":" in name:
            feats.append("_colon")
        if _SEASONISH.search(name):
            feats.append("_seasonish")
        if c.work.base:  # a season or part: the body often names only the show it continues
            base = by_name.get(fold(c.work.base))
            base_body = [m for m in base.work.mentions if m[0] >= first_content] if base else []
            feats += ["_hasbase", f"_basen{_bucket(len(base_body), (0, 1, 2, 4))}"]
        if fold(name) in bases:
            feats.append("_isbase")
        c.features = " ".join(feats + _line_roles(text, spans) + _neighbour_words(text, spans))
        c.score = _hand_score(
            body=len(body),
            as_work=as_work,
            as_other=as_other,
            from_headline=c.from_headline,
            in_headline=in_headline,
            first=first,
            length=len(text),
            nominal=nominal,
        )


def _hand_score(
    *,
    body: int,
    as_work: int,
    as_other: int,
    from_headline: bool,
    in_headline: bool,
    first: int,
    length: int,
    nominal: int,
) -> float:
    """The fallback score when the learned parts are off (weights set by hand, not fitted)."""
    score = float(body) + 1.5 * as_work - 1.0 * as_other + 0.5 * nominal
    score += 4.0 if from_headline else 0.0
    score += 2.0 if in_headline else 0.0
    return score + 2.0 * max(0.0, 1.0 - first / max(1, min(length, 1500)))


class SubjectModel(TrainedTextcat):
    """The trained candidate scorer (``extract/model/subject``)."""

    MODEL = MODEL_DIR
    WHAT = "subject"

    def score(self, candidates: Sequence[Candidate]) -> None:
        scores = self.score_documents([c.features for c in candidates])
        for c, cats in zip(candidates, scores, strict=True):
            c.score = cats.get("SUBJECT", 0.0)
            c.topic = max(c.score, cats.get("TOPIC", 0.0))


def choose_subject(
    adoc: ArticleDoc,
    candidates: list[Candidate],
    *,
    headline: tuple[int, int] | None,
    model: SubjectModel | None = None,
) -> WorkRef | None:
    """The page's main work, or None when no candidate can be a subject."""
    if not candidates:
        return None
    prepare(adoc, candidates, headline=headline)
    if model is not None:
        model.score(candidates)
    live = [c for c in candidates if not c.vetoed]
    adoc.subject_candidates = candidates
    if not live:
        return None
    return max(live, key=lambda c: c.score).work
