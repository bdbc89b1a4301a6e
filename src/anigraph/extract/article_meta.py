"""Article facts: headline, author, publication date, category line and related-article titles."""

from __future__ import annotations

import re
from datetime import date

from anigraph.extract.dates import DateFinder
from anigraph.extract.document import ArticleDoc, Segment
from anigraph.extract.pagelines import CRAWL_DATELINE
from anigraph.extract.resources import Resources
from anigraph.extract.segment import SegmentResult
from anigraph.models import Fact

_DATELINE = re.compile(
    r"^\s*(?:(?:posted|published|updated|date)\s*(?:on|:)?\s*)?(?P<date>.{6,40}?)\s*(?:[—–|-]|$)",
    re.IGNORECASE,
)
_DATELINE_TAIL = re.compile(
    r"(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4}\b)?)?"  # "Feb 25, 2023 1:47 PM"
    r"\s*\)?\s*(?:/[^/\n]{1,20}/\s*)?(?:[—–|·•-]+\s*|$|(?=\s*by\s)|(?=\s+[|·•]))"
    r"(?:by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}\s*)?(?:[|·•]\s*[^|·•\n]{0,30}\s*)*"
)
_SHOW_DATE_LABEL = re.compile(
    r"\b(?:release|premiere|air|broadcast|opening|start|debut|end)\w*(?:\s+date)?\s*:\s*$", re.IGNORECASE
)
_CATEGORY_WORD = re.compile(r"^(?:[A-Z][\w-]*|&|and|of)$")


class ArticleMetaReader:
    def __init__(self, res: Resources, *, emit_optional: bool = False) -> None:
        self.res = res
        self.emit_optional = emit_optional
        self.dates = DateFinder(res)
        self.author_line = res.re("author_line")
        self.byline = res.re("byline")
        self.byline_inline = re.compile(res.vocab["byline_inline_re"])
        self.credit_line = re.compile(res.vocab["credit_line_re"], re.IGNORECASE)
        self.author_box_line = re.compile(res.vocab["author_box_line_re"])

    def prepare(self, adoc: ArticleDoc) -> None:
        """Mark the repeated headline and a category line under it; split off a dateline."""
        segs = adoc.segments
        if not segs:
            return
        for seg in segs[:2]:  # the crawl's " date 2021-07-10 " dateline, cut off by the segmenter
            crawl = CRAWL_DATELINE.match(seg.text) if seg.section == "dateline" else None
            if crawl and adoc.published is None:
                adoc.published = crawl.group(1)
        at = _headline_index(segs)
        head = segs[at].text.strip() if at is not None else (adoc.article.headline or "").strip()
        after = at + 1 if at is not None else 0
        self._split_dateline(adoc, first=after)
        for seg in segs[after : after + 5]:
            if seg.section == "dateline":
                continue
            if seg.text.strip() == head:
                seg.kind = "headline"
                seg.boilerplate = True
            elif self._is_category(seg, head):
                seg.boilerplate = True
                seg.section = "category"
            elif self.byline.match(seg.text):
                seg.boilerplate = True
                seg.section = "byline"
            else:
                d = self._dateline(adoc, seg)
                if d:
                    seg.boilerplate = True
                    seg.section = "dateline"
                    adoc.published = adoc.published or d

    def _split_dateline(self, adoc: ArticleDoc, *, first: int = 1) -> None:
        """ "SAN FRANCISCO — Sep 1, 2023 — Crunchyroll today…": the dateline becomes its own segment."""
        segs = adoc.segments
        text = adoc.text
        for i, seg in enumerate(segs[first:5], start=first):
            head_end = min(seg.end, seg.start + 90)
            for d in self.dates.find(text, seg.start, head_end, ref=None):
                if d.precision != "day" or not d.value or not d.explicit_year:
                    continue
                prefix = text[seg.start : d.start]
                if len(prefix.split()) > 6 or re.search(r"\b(?:will|has|have|was|is|are|the)\b", prefix):
                    continue
                if _SHOW_DATE_LABEL.search(prefix):
                    continue  # "Release date: …" is the show's date, not the article's
                tail = _DATELINE_TAIL.match(text, d.end, seg.end)
                if not tail:
                    continue
                cut = tail.end()
                dateline = Segment(
                    seg.start, cut, text[seg.start : cut], "line", True, "dateline", seg.paragraph
                )
                adoc.published = adoc.published or d.value
                rest = text[cut : seg.end]
                if rest.strip():
                    off = len(rest) - len(rest.lstrip())
                    seg.start = cut + off
                    seg.text = text[seg.start : seg.end]
                    segs.insert(i, dateline)
                else:
                    segs[i] = dateline
                return

    def _is_category(self, seg: Segment, head: str) -> bool:
        words = seg.text.split()
        return (
            seg.paragraph <= 1
            and 1 <= len(words) <= 6
            and not re.search(r"[.!?:,\d]", seg.text)
            and all(_CATEGORY_WORD.match(w) for w in words)
            and seg.text.strip() != head
        )

    def _dateline(self, adoc: ArticleDoc, seg: Segment) -> str | None:
        if len(seg.text) > 80:
            return None
        found = self.dates.find(adoc.text, seg.start, seg.end, ref=None)
        if len(found) == 1 and found[0].precision == "day" and found[0].value:
            if _SHOW_DATE_LABEL.search(adoc.text[seg.start : found[0].start]):
                return None  # "Release date: …" is the show's date, not the article's
            rest = (adoc.text[seg.start : found[0].start] + adoc.text[found[0].end : seg.end]).strip(
                " —–|-,:"
            )
            if len(rest.split()) <= 4:
                return found[0].value
        return None

    def read(self, adoc: ArticleDoc, seg_result: SegmentResult) -> list[Fact]:
        facts: list[Fact] = []
        segs = adoc.segments
        if not segs:
            return facts
        at = _headline_index(segs)
        first = segs[at] if at is not None else segs[0]
        headline = adoc.article.headline or (first.text.strip() if first.kind == "headline" else None)
        if headline is None:
            return facts
        hl_seg = first
        if adoc.article.headline and adoc.article.headline.strip() != first.text.strip():
            pos = adoc.text.find(adoc.article.headline.strip())
            if pos >= 0:
                hl_seg = Segment(
                    pos, pos + len(adoc.article.headline.strip()), adoc.article.headline.strip(), "headline"
                )
            # else: the page's text does not contain its headline; the fact cites the first line

        def add(predicate: str, obj: str, seg: Segment, conf: float, object_type: str = "value") -> None:
            facts.append(
                adoc.make_fact(
                    subject=headline,
                    subject_type="article",
                    predicate=predicate,
                    obj=obj,
                    start=seg.start,
                    end=seg.end,
                    confidence=conf,
                    object_type=object_type,
                )
            )

        add("headline", headline, hl_seg, 0.95)
        author = None
        for seg in seg_result.author_segments:
            m = self.author_line.match(seg.text) or self.author_box_line.match(seg.text)
            if m:
                author = (m.group("name"), seg)
                break
        if author is None:
            for seg in segs[1:8]:
                m = self.byline.match(seg.text) or (
                    self.byline_inline.search(seg.text) if seg.section in {"dateline", "byline"} else None
                )
                if m:
                    author = (m.group("name"), seg)
                    break
        if author is None and adoc.article.author:  # the page's metadata names who wrote it
            name = adoc.article.author.strip()
            for seg in segs[1:8]:
                if name and name in seg.text and len(seg.text.split()) <= 25:
                    author = (name, seg)
                    break
        if author is None:  # "Nov 14, 2023 — Jordan Pike": a dateline whose rest is a name
            for seg in segs[1:6]:
                if seg.section != "dateline":
                    continue
                line_end = adoc.text.find("\n", seg.start)
                line_end = len(adoc.text) if line_end < 0 else line_end
                found = self.dates.find(adoc.text, seg.start, line_end, ref=None)
                if len(found) != 1 or adoc.text[seg.start : found[0].start].strip():
                    continue  # the name follows the date ("LOS ANGELES, May 2 —" is a city)
                rest = adoc.text[found[0].end : line_end].strip(" —–|-,:·•")
                if _NAME_ONLY.fullmatch(rest) and rest.split()[0].casefold() not in _NOT_NAME_WORDS:
                    line = Segment(seg.start, line_end, adoc.text[seg.start : line_end], "line")
                    author = (rest, line)
                    break
        if author is None:  # "Reporting by X." at the end
            for seg in reversed(segs):
                cm = self.credit_line.match(seg.text)
                if cm:
                    author = (cm.group("name"), seg)
                    break
        if author is not None:
            add("author", author[0], author[1], 0.85, "person")
        for seg in segs[1:6]:
            if seg.section == "dateline" and adoc.published:
                add("published", adoc.published, seg, 0.85)
                break
        else:  # "Posted by A on April 27, 2025 in Movies": the byline shows the page's date
            if author is not None and adoc.published and len(author[1].text) <= 160:
                seg = author[1]
                found = self.dates.find(adoc.text, seg.start, seg.end, ref=None)
                if any(d.value == adoc.published for d in found):
                    add("published", adoc.published, seg, 0.8)
        if self.emit_optional:  # category lines and related links: off unless asked for
            for seg in segs[1:6]:
                if seg.section == "category":
                    add("category", seg.text.strip(), seg, 0.6)
            for seg in seg_result.related_titles:
                add("related_article", seg.text.strip().lstrip("-•* "), seg, 0.7)
        return facts


_NAME_ONLY = re.compile(r"[A-Z][a-z][\w'’.-]*(?: [A-Z][a-z][\w'’.-]*){1,2}")
_NOT_NAME_WORDS = frozenset({"posted", "updated", "published", "news", "anime", "staff", "editorial", "by"})


def reference_date(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _headline_index(segs: list[Segment]) -> int | None:
    """Index of the headline segment: the first, or the first after site chrome lines."""
    for i, seg in enumerate(segs[:8]):
        if seg.kind == "headline":
            return i
        if not seg.boilerplate:
            return None
    return None
