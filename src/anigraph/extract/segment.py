"""Split an article's plain text into segments: headline, headings, list lines and sentences.

Boilerplate (author boxes, related-link lists, image credits, source and share lines) is
marked, not removed, so offsets stay those of the text; the article-level readers
(``article_meta``) still use it for the author and related article titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anigraph.extract.document import Segment
from anigraph.extract.pagelines import CRAWL_DATELINE, HeadlineModel
from anigraph.extract.resources import Resources
from anigraph.extract.textgate import any_search

_LIST_LINE = re.compile(r"^\s*(?P<label>[^:.!?]{1,60}?)\s*:\s*\S")
# "Kafka Hibino ... Masaya Fukunishi": a list line whose separator is an ellipsis
_ELLIPSIS_LINE = re.compile(r"^\s*[^.!?…]{2,60}?\s*(?:\.{2,}|…)\s*[A-Z][^.!?]{1,60}$")
_AS_LINE = re.compile(r"^\s*[A-Z][^.!?]{0,60}\s+as\s+(?:the\s+)?[A-Z#\w][^.!?]{0,60}$")
_SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9À-Þ])|[.!?…]+[\"”’')\]]*(?=\s*$)")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
# site chrome a scraper may leave above the headline: breadcrumbs, section and site names
_BREADCRUMB = re.compile(r"\s(?:>|»|\||/|›)\s")
_DATE_OR_BYLINE = re.compile(
    r"^(?:by\s|posted\b|published\b|updated\b|\d{1,4}[/.-]\d|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.IGNORECASE,
)
HEADLINE_SCAN_LINES = 6


@dataclass(slots=True)
class SegmentResult:
    segments: list[Segment]
    related_titles: list[Segment] = field(default_factory=list)
    author_segments: list[Segment] = field(default_factory=list)


_NUMBERED_SUBHEAD = re.compile(r"^\d{1,2}[.)]\s+[A-Z][^.!?]*$")
# a prose line that ends a sentence ends its paragraph, even without a blank line after it
_PARAGRAPH_END = re.compile(r"[.!?][\"'”’)]?$")


class Segmenter:
    """Rule-based segmenter; abbreviations, headings and boilerplate markers come from the data."""

    def __init__(self, res: Resources, *, headlines: HeadlineModel | None = None) -> None:
        self.res = res
        self.headlines = headlines  # the learned headline chooser; None: the chrome rules below
        self.abbrev = {a.casefold() for a in res.words("abbreviations")}
        self.headings = {h.casefold() for h in res.words("headings")}
        self.related_heading = res.re("related_heading")
        self.author_box = res.re("author_box_start")
        self.boilerplate_start, self.boilerplate_any = any_search(res.boilerplate)

    def split_sentences(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Sentence spans in ``text[start:end]``; no split after abbreviations or initials."""
        spans: list[tuple[int, int]] = []
        cur = start
        for m in _SENT_END.finditer(text, start, end):
            stop = m.end()
            if m.group(0).startswith(".") and not self._real_stop(text, cur, m.start()):
                continue
            if m.group(0)[0] in "!?" and self._title_bang(text, cur, m.start(), stop):
                continue
            if stop > cur:
                spans.append((cur, stop))
            cur = stop
            while cur < end and text[cur].isspace():
                cur += 1
        if cur < end and text[cur:end].strip():
            spans.append((cur, end))
        return [(s, e) for s, e in spans if text[s:e].strip()]

    def _title_bang(self, text: str, sent_start: int, bang: int, after: int) -> bool:
        """ "HAIKYU!! The …", "Naritakute! 2nd Season": an exclamation mark inside a title."""
        m = _WORD_BEFORE.search(text, sent_start, bang)
        word = m.group(1) if m else ""
        nxt = text[after : after + 20].lstrip()
        if re.match(r"\d+(?:st|nd|rd|th)\b|Season\b|Part\b|The Movie\b|\(", nxt):
            return True
        return len(word) >= 3 and word.isupper() and word.isalpha()

    def _real_stop(self, text: str, sent_start: int, dot: int) -> bool:
        m = _WORD_BEFORE.search(text, sent_start, dot)
        if not m:
            return True
        word = m.group(1).strip("'’")
        if word.casefold() in self.abbrev or word.rstrip(".").casefold() in self.abbrev:
            return False
        if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
            return False
        if "." in word and len(word) <= 5 and word.replace(".", "").isalpha():
            # a dotted acronym ("I.G.") ends the sentence only before "Name verb…", and never inside
            # a studio's or an outlet's name ("J.C. Staff and …")
            if self._inside_known_name(text, dot):
                return False
            return bool(re.match(r"\s+[A-Z][\w'’-]*\s+[a-z]", text[dot + 1 : dot + 40]))
        return True

    def _inside_known_name(self, text: str, dot: int) -> bool:
        lo, hi = max(0, dot - 40), min(len(text), dot + 40)
        return any(
            s <= dot < e - 1
            for gaz in (self.res.studios, self.res.broadcasters, self.res.streaming)
            for s, e, _name in gaz.find(text, lo, hi)
        )

    def _is_boilerplate_line(self, line: str) -> bool:
        start, anywhere = self.boilerplate_start, self.boilerplate_any  # any(p.search(line) for p in …)
        return bool((start and start.match(line)) or (anywhere and anywhere.search(line)))

    def _is_heading(self, line: str) -> bool:
        bare = line.strip().rstrip(":").strip()
        if not bare:
            return False
        if bare.casefold() in self.headings:
            return True
        words = bare.split()
        return (
            line.strip().endswith(":") and len(words) <= 8 and not _LIST_LINE.match(line.strip()[:-1] + " x")
        )

    def _is_chrome_line(self, line: str) -> bool:
        """A line above the headline that is site chrome, not the headline itself.

        Breadcrumbs ("Home > Anime > News", "ANIME | MOVIES"), section or site names of at most
        three words ("News", "Anime News Network"), all-capital labels ("FOR IMMEDIATE RELEASE"),
        bylines and datelines.
        """
        words = line.split()
        if _BREADCRUMB.search(f" {line} ") and all(len(p.split()) <= 3 for p in re.split(r"[>»|/›]", line)):
            return True
        if len(words) <= 3 and not re.search(r"[.!?:,]$", line):
            return True
        if line.isupper() and len(words) <= 4:
            return True
        if line[:1].islower() and not re.search(r"[.!?]$", line):
            return True  # a site's tagline ("anime notes from a cold apartment"): headlines start capitalised
        if re.match(r"(?i)menu\b\s*:?", line) or line.count("|") >= 2:
            return True  # "Menu: Home | Seasonal | Reviews"
        return bool(_DATE_OR_BYLINE.match(line)) or self._is_boilerplate_line(line)

    def _headline_line(self, text: str) -> str | None:
        """The first of the opening lines that is not site chrome (None: keep the first line)."""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:HEADLINE_SCAN_LINES]
        if not lines or not self._is_chrome_line(lines[0]):
            return None
        for line in lines[1:]:
            if not self._is_chrome_line(line):
                return " ".join(line.split())
        return None

    def segment(self, text: str, *, headline: str | None = None) -> SegmentResult:
        """Segments of ``text``; ``headline`` (page metadata) when the text may not start with it."""
        segments: list[Segment] = []
        out = SegmentResult(segments=segments)
        paragraph = 0
        section: str | None = None
        in_author_box = False
        in_related = False
        headline_done = False
        headline_text: str | None = None
        headline_at: int | None = None  # offset of the headline line the model chose
        if headline and headline.strip():
            first_lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:5]
            wanted = " ".join(headline.split())
            # a page whose text does not carry its headline: no line of the text is the headline
            headline_done = not any(" ".join(ln.split()) == wanted for ln in first_lines)
            headline_text = wanted
        elif self.headlines is not None:
            chosen = self.headlines.choose(text)
            headline_done = chosen is None  # no opening line is a headline: the page starts with its body
            headline_at = chosen.start if chosen is not None else None
        else:
            headline_text = self._headline_line(text)
        chrome = (headline_text is not None or headline_at is not None) and not headline
        pos = 0
        first_line = True
        for raw in text.splitlines(keepends=True):
            line_start = pos
            pos += len(raw)
            line = raw.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                paragraph += 1
                continue
            lstart = line_start + (len(line) - len(line.lstrip()))
            lend = line_start + len(line.rstrip())
            dateline = CRAWL_DATELINE.match(line) if first_line else None
            first_line = False
            if dateline:  # " date 2021-07-10 The staff …": the crawl's dateline, then the line itself
                cut = line_start + len(dateline.group(0).rstrip())
                segments.append(Segment(lstart, cut, text[lstart:cut], "line", True, "dateline", paragraph))
                lstart = line_start + dateline.end()
                stripped = text[lstart:lend]
                if lstart >= lend:
                    continue
            if not headline_done and (
                (
                    headline_at is None
                    and (headline_text is None or " ".join(stripped.split()) == headline_text)
                )
                or lstart == headline_at
            ):
                headline_done = True
                segments.append(Segment(lstart, lend, text[lstart:lend], "headline", paragraph=paragraph))
                continue
            if chrome and not headline_done:  # site chrome above the headline carries no facts
                segments.append(Segment(lstart, lend, text[lstart:lend], "line", True, paragraph=paragraph))
                continue
            if self.author_box.search(stripped):
                in_author_box = True
            if in_author_box:
                seg = Segment(lstart, lend, text[lstart:lend], "line", boilerplate=True, paragraph=paragraph)
                segments.append(seg)
                out.author_segments.append(seg)
                continue
            if self.related_heading.search(stripped):
                in_related = True
                segments.append(
                    Segment(lstart, lend, text[lstart:lend], "heading", True, "related", paragraph=paragraph)
                )
                continue
            if in_related:
                if len(stripped.split()) <= 25 and not re.search(r"[.!?]$", stripped):
                    seg = Segment(
                        lstart, lend, text[lstart:lend], "line", True, "related", paragraph=paragraph
                    )
                    segments.append(seg)
                    out.related_titles.append(seg)
                    continue
                in_related = False
            if self._is_boilerplate_line(stripped):
                segments.append(Segment(lstart, lend, text[lstart:lend], "line", True, section, paragraph))
                continue
            if _NUMBERED_SUBHEAD.match(stripped) and len(stripped.split()) <= 14:
                paragraph += 1  # "2. Sakamoto Days anime adds cast": a roundup's sub-headline
                segments.append(
                    Segment(lstart, lend, text[lstart:lend], "heading", False, section, paragraph)
                )
                continue
            if self._is_heading(stripped):
                paragraph += 1  # a heading opens a new block ("Staff", "Cast")
                section = stripped.rstrip(":").strip().casefold()
                segments.append(
                    Segment(lstart, lend, text[lstart:lend], "heading", False, section, paragraph)
                )
                continue
            if self._is_list_line(stripped):
                segments.append(Segment(lstart, lend, text[lstart:lend], "line", False, section, paragraph))
                continue
            for s, e in self.split_sentences(text, lstart, lend):
                segments.append(Segment(s, e, text[s:e], "sentence", False, section, paragraph))
            if stripped.endswith(":"):  # "Much of the voice cast returns, including:" opens a new list
                section = stripped.rstrip(":").strip().casefold()
            if _PARAGRAPH_END.search(stripped):
                paragraph += 1  # one paragraph per line (HTML blocks, unwrapped text) ends here
        return out

    def _is_list_line(self, line: str) -> bool:
        if re.search(r"[.!?]$", line) and len(line.split()) > 12:
            return False
        m = _LIST_LINE.match(line)
        if m and len(m.group("label").split()) <= 6:
            return True
        if _ELLIPSIS_LINE.match(line):
            return True
        return bool(_AS_LINE.match(line)) and len(line.split()) <= 14
