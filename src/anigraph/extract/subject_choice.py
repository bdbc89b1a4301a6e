"""One subject decision per article: which of the candidate works the page is about.

Candidates are the works the finder built (rule cues and learned WORK mentions). Each is scored on
what a reader uses: the headline names it, how often the body names it, how early it first appears,
whether the mention model reads it as a work, and whether a nominal reference ("the anime", "the
series") follows its mentions. A candidate that the mention model or a gazetteer reads as a person,
a company, a broadcaster or a streaming service, or that is a date or a season word, is never the
subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from anigraph.extract.document import ArticleDoc, WorkRef
from anigraph.extract.mentions import Mention, mentions
from anigraph.names import fold

_NOT_A_SUBJECT = re.compile(
    r"^(?:(?:winter|spring|summer|fall|autumn)(?:\s+\d{4})?|\d{4}|anime|animation|news|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{1,2})?)$",
    re.IGNORECASE,
)
_NOMINAL_AFTER = re.compile(r"\b(?:anime|series|film|movie|season|adaptation|TV anime|television anime)\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    work: WorkRef
    from_headline: bool
    score: float


def _overlap_labels(spans: Sequence[tuple[int, int]], tags: Sequence[Mention]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s, e in spans:
        for m in tags:
            if m.start < e and s < m.end:
                out[m.label] = out.get(m.label, 0) + 1
    return out


def score_candidates(
    adoc: ArticleDoc, works: Sequence[tuple[WorkRef, bool]], *, headline: tuple[int, int] | None
) -> list[Candidate]:
    """Every candidate work with its score (higher is more likely the page's subject)."""
    tags = mentions(adoc.doc)
    text = adoc.text
    length = max(len(text), 1)
    gazetteer_names = {
        fold(form) for label in ("broadcaster", "streaming", "studio") for _s, _e, form in adoc.phrases(label)
    }
    out: list[Candidate] = []
    for work, from_headline in works:
        names = {fold(n) for n in work.names()}
        if any(_NOT_A_SUBJECT.match(n) for n in names) or names & gazetteer_names:
            out.append(Candidate(work, from_headline, float("-inf")))
            continue
        spans = list(work.mentions)
        labels = _overlap_labels(spans, tags)
        as_work = labels.get("WORK", 0)
        as_other = sum(labels.get(k, 0) for k in ("PERSON", "ORG", "CHARACTER", "SONG"))
        if not from_headline and as_work == 0 and as_other >= max(1, len(spans) // 2):
            out.append(Candidate(work, from_headline, float("-inf")))
            continue  # the model reads every mention as a person, company, character or song
        score = float(len(spans)) - 1.0 * as_other
        score += 1.5 * as_work
        if from_headline:
            score += 4.0
        if headline is not None and any(headline[0] <= s < headline[1] for s, _e in spans):
            score += 2.0
        first = min((s for s, _e in spans), default=length)
        score += 2.0 * max(0.0, 1.0 - first / min(length, 1500))
        score += 0.5 * sum(1 for _s, e in spans if _NOMINAL_AFTER.match(text[e : e + 25].lstrip(" ’'\"”)")))
        out.append(Candidate(work, from_headline, score))
    return out


def choose_subject(
    adoc: ArticleDoc, works: Sequence[tuple[WorkRef, bool]], *, headline: tuple[int, int] | None
) -> WorkRef | None:
    """The page's main work, or None when no candidate can be a subject."""
    scored = [c for c in score_candidates(adoc, works, headline=headline) if c.score != float("-inf")]
    if not scored:
        return None
    return max(scored, key=lambda c: c.score).work
