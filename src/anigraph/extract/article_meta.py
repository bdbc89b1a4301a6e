"""Article facts: headline, author, publication date, category line and related-article titles."""

from __future__ import annotations

import re
from datetime import date

from anigraph.extract.dates import DateFinder
from anigraph.extract.document import ArticleDoc, Segment
from anigraph.extract.resources import Resources
from anigraph.extract.segment import SegmentResult
from anigraph.models import Fact

_DATELINE = re.compile(
    r"^\s*(?:(?:posted|published|updated|date)\s*(?:on|:)?\s*)?(?P<date>.{6,40}?)\s*(?:[—–|-]|$)",
    re.IGNORECASE,
)
_CATEGORY_WORD = re.compile(r"^(?:[A-Z][\w-]*|&|and|of)$")


class ArticleMetaReader:
    def __init__(self, res: Resources) -> None:
        self.res = res
        self.dates = DateFinder(res)
        self.author_line = res.re("author_line")
        self.byline = res.re("byline")

    def prepare(self, adoc: ArticleDoc) -> None:
        """Mark the repeated headline and a category line under it; find a dateline."""
        segs = adoc.segments
        if not segs or segs[0].kind != "headline":
            return
        head = segs[0].text.strip()
        for seg in segs[1:6]:
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
        first = segs[0]
        headline = adoc.article.headline or (first.text.strip() if first.kind == "headline" else None)
        if headline is None:
            return facts
        hl_seg = first
        if adoc.article.headline and adoc.article.headline.strip() != first.text.strip():
            pos = adoc.text.find(adoc.article.headline.strip())
            if pos < 0:
                return facts
            hl_seg = Segment(
                pos, pos + len(adoc.article.headline.strip()), adoc.article.headline.strip(), "headline"
            )

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
        for seg in seg_result.author_segments:
            m = self.author_line.match(seg.text)
            if m:
                add("author", m.group("name"), seg, 0.9, "person")
                break
        else:
            for seg in segs[1:8]:
                m = self.byline.match(seg.text)
                if m:
                    add("author", m.group("name"), seg, 0.85, "person")
                    break
        for seg in segs[1:6]:
            if seg.section == "category":
                add("category", seg.text.strip(), seg, 0.6)
            if seg.section == "dateline" and adoc.published:
                add("published", adoc.published, seg, 0.85)
        for seg in seg_result.related_titles:
            add("related_article", seg.text.strip(), seg, 0.7)
        return facts


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
