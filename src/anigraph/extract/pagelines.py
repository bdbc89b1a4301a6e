"""Which opening line of a page is its headline: a learned decision over the first lines.

Crawled pages open with whatever the site printed above the article: site names and taglines,
menus, "2 min read", breadcrumbs, image credits, bylines, a crawl dateline ("date 2021-07-10")
glued to the first paragraph, and sometimes no headline at all. Rules tuned on a few house
styles got this wrong on most new sites, so the choice is learned from the annotated corpus
(``training/``): each of the first ``SCAN_LINES`` lines becomes a small document of layout
feature tokens (position, length, closing punctuation, capitalisation, repetition, what
surrounds it) followed by its words, and a spaCy ``textcat`` (bag of words and bigrams) scores
it as the headline or not. The best line wins if its score passes ``THRESHOLD``; otherwise the
page has no headline and its first line is read as body text.

The model lives in ``extract/model/headline`` (built by ``make train``); ``featurize`` is the one
place both training and run time turn a line into the model's input.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from anigraph.extract.learned import TrainedTextcat

log = logging.getLogger(__name__)

SCAN_LINES = 8
THRESHOLD = 0.4
MODEL_DIR = Path(__file__).parent / "model" / "headline"

# the crawl's metadata dateline that some excerpts start with: " date 2021-07-10 The staff …"
CRAWL_DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+")
_DATEISH = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}:\d{2})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PageLine:
    """A non-empty line of the page: where it is and its text without a crawl dateline."""

    start: int  # offset of the first character after any crawl dateline
    end: int
    text: str


def opening_lines(text: str, *, limit: int = SCAN_LINES) -> list[PageLine]:
    """The first ``limit`` non-empty lines, stripped, a leading crawl dateline cut off."""
    out: list[PageLine] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        line_start = pos
        pos += len(raw)
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        start = line_start + (len(line) - len(line.lstrip()))
        m = CRAWL_DATELINE.match(line)
        if m and not out:
            start = line_start + m.end()
        end = line_start + len(line.rstrip())
        if start >= end:
            continue
        out.append(PageLine(start, end, text[start:end]))
        if len(out) >= limit:
            break
    return out


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    return next((i for i, e in enumerate(edges) if n <= e), len(edges))


def featurize(lines: list[PageLine], index: int, text: str) -> str:
    """The model's input for ``lines[index]``: layout tokens, then the line's lower-cased words."""
    line = lines[index].text
    words = line.split()
    alpha = [w for w in words if w[:1].isalpha()]
    caps = sum(1 for w in alpha if w[:1].isupper()) / len(alpha) if alpha else 0.0
    last = line.rstrip("\"'”’)] ")[-1:] if line.strip() else ""
    feats = [
        f"_pos{index}",
        f"_len{_bucket(len(words), (1, 3, 6, 10, 15, 22, 35))}",
        f"_cap{_bucket(round(caps * 10), (2, 5, 7, 9))}",
        "_end" + {".": "dot", "!": "bang", "?": "q", ":": "colon", ",": "comma"}.get(last, "none"),
    ]
    if line.isupper():
        feats.append("_upper")
    if line[:1].islower():
        feats.append("_lowerstart")
    if _DATEISH.search(line):
        feats.append("_date")
    if re.search(r"\s(?:\||>|»|›|/)\s|\s[|·•]\s", f" {line} "):
        feats.append("_sep")
    if re.match(r"(?i)(?:by|posted|written|author)\b", line):
        feats.append("_byline")
    if re.search(r"[©®]|\b(?:image|photo|source|credit)s?\s*:", line, re.IGNORECASE):
        feats.append("_credit")
    if text.count(line) > 1 and len(words) >= 3:
        feats.append("_repeated")  # a headline the page prints twice
    prev_lines = lines[:index]
    if prev_lines:
        above = prev_lines[-1].text
        if len(above.split()) <= 3 or re.search(r"\s(?:\||>|»|›)\s", f" {above} "):
            feats.append("_afterlabel")  # a site name, section label or breadcrumb just above
    if not any(len(p.text.split()) > 6 for p in prev_lines):
        feats.append("_beforelong")  # nothing longer than a label above it
    if index and CRAWL_DATELINE.match(text[: lines[0].start]):
        feats.append("_afterdateline")
    if index == 0 and CRAWL_DATELINE.match(text[: lines[0].start]):
        feats.append("_dateline")
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    if following:
        feats.append(f"_next{_bucket(len(following.split()), (3, 10, 25))}")
        if following.rstrip()[-1:] in '.!?"”':
            feats.append("_nextprose")
    blank_after = text[lines[index].end : lines[index].end + 3].count("\n") >= 2
    if blank_after:
        feats.append("_blankafter")
    tokens = [re.sub(r"\W", "_", w.casefold()) for w in _WORD.findall(line)[:40]]
    return " ".join(feats + tokens)


class HeadlineModel(TrainedTextcat):
    """The trained headline chooser (``extract/model/headline``)."""

    MODEL = MODEL_DIR
    WHAT = "headline"

    def scores(self, text: str) -> tuple[list[PageLine], list[float]]:
        lines = opening_lines(text)
        scores = self.score_documents([featurize(lines, i, text) for i in range(len(lines))])
        return lines, [s.get("HEADLINE", 0.0) for s in scores]

    def choose(self, text: str) -> PageLine | None:
        """The headline line, or None when no opening line looks like one."""
        lines, scores = self.scores(text)
        if not lines:
            return None
        best = max(range(len(lines)), key=lambda i: scores[i])
        if not text[lines[best].end :].strip():
            return None  # a headline heads something: the page's only (or last) line is its body
        return lines[best] if scores[best] >= THRESHOLD else None
