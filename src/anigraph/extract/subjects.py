"""Which work each sentence is about.

A sentence that names a title is about that title; "the film" is about the latest film the
article named; "the first season" / "the previous anime" is about the work the main one
continues; any other sentence keeps the subject of the sentence before it in the same
paragraph. A new paragraph starts again from the article's main work.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from anigraph.extract.document import ArticleDoc, Segment, WorkRef
from anigraph.extract.textgate import lowered, may_hold
from anigraph.names import fold

_FIRST = re.compile(
    r"\b(?:the|its|(?-i:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)['’]s)\s+(?:(?:anime|show|series|franchise)['’]s\s+)?(?:first|original|previous|earlier)\s+"
    r"(?:\d+-episode\s+)?(?:television\s+anime\s+|TV\s+anime\s+|anime\s+)?"
    r"(?:season|anime|series|television anime|part|cour)\b|\b(?:Part|Season|Cour)\s+(?:1|One)\b(?!\s*[-–])",
    re.IGNORECASE,
)
_FIRST_WORDS = ("first", "original", "previous", "earlier", "part", "season", "cour")
_FRANCHISE = re.compile(
    r"\b(?:the|its)\s+franchise['’]s\s+(?:\d+-episode\s+)?"
    r"(?:television anime|TV anime|anime series|TV series|television series|series)\b",
    re.IGNORECASE,
)
_SEQUEL = re.compile(
    r"\b(?:the|this)\s+(?:(?:anime|show|series)['’]s\s+)?(?:new|next|upcoming|latest|second|third|fourth|fifth|"
    r"sixth|seventh|\d+(?:st|nd|rd|th))\s+(?:television\s+anime\s+|TV\s+anime\s+|anime\s+)?season\b",
    re.IGNORECASE,
)
_SEASON_OF = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|new|next|final|latest|\d+(?:st|nd|rd|th))\s+(?:season|part|cour)\s+"
    r"of\s+(?:the\s+)?(?:(?:TV|television)\s+anime\s+)?['‘\"“]?$",
    re.IGNORECASE,
)
_NOMINAL_OPENER = re.compile(
    r"\s*(?:The|This|Its)\s+(?:[\w-]+\s+){0,2}(?:anime|series|show|film|movie|season|adaptation|sequel)\b"
)
_FILM = re.compile(r"\b(?:the|this)\s+(?:anime\s+|animated\s+)?(?:film|movie)(?!['’]s)\b", re.IGNORECASE)
_TV = re.compile(
    r"\b(?:the|this)\s+(?:television anime|TV anime|TV series|television series)\b", re.IGNORECASE
)


class SubjectTracker:
    def __init__(self, adoc: ArticleDoc) -> None:
        self.adoc = adoc
        self.mentions: list[tuple[int, int, WorkRef]] = sorted(
            (s, e, self._season_of(s, w)) for w in adoc.works for s, e in w.mentions
        )
        self.starts = [m[0] for m in self.mentions]
        self.seen: list[WorkRef] = []

    def _season_of(self, start: int, work: WorkRef) -> WorkRef:
        """ "the second season of X" names the main work when the main work is X's season."""
        main = self.adoc.main_work
        if main is None or main is work or main.base is None:
            return work
        if not fold(work.name).startswith(fold(main.base)):
            return work
        before = self.adoc.text[max(0, start - 60) : start]
        if _SEASON_OF.search(before):
            return main
        return work

    def base_of(self, work: WorkRef | None) -> WorkRef | None:
        """The work ``work`` continues: its season base, else the franchise title it extends."""
        if work is not None and work.base:
            return self.adoc.work_named(work.base) or work
        if work is not None:
            heads = [
                w
                for w in self.adoc.works
                if w is not work and len(w.name) < len(work.name) and work.name.startswith(w.name)
            ]
            if heads:
                return max(heads, key=lambda w: len(w.name))
            inside = [
                w
                for w in self.adoc.works
                if w is not work
                and len(w.name) < len(work.name)
                and f" {w.name}" in f" {work.name}"
                and w.mentions
            ]
            if inside:  # "The First Slam Dunk" continues "Slam Dunk"
                return max(inside, key=lambda w: len(w.name))
        return work

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, WorkRef]]:
        return self.mentions[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def topical(self, start: int, end: int) -> list[tuple[int, int, WorkRef]]:
        """Mentions that can be what a clause is about (not "X's 49th episode", not "the X franchise")."""
        text = self.adoc.text
        return [
            m
            for m in self.mentions_in(start, end)
            if not re.match(
                r"['’]s?\s+(?:\d+(?:st|nd|rd|th)|first|next|final|last)\b|\s+franchise\b", text[m[1] :]
            )
        ]

    def nominal(self, text: str, start: int, end: int) -> WorkRef | None:
        """The work a nominal reference in ``text[start:end]`` points to, if any."""
        chunk = text[start:end]
        low = lowered(chunk)  # word gates: each pattern below needs one of its words
        first = _FIRST.search(chunk) if may_hold(low, _FIRST_WORDS) else None
        if (
            first
            and re.match(r"[A-Z]", first.group(0))
            and any(s <= start + first.start() < e for s, e, _w in self.mentions)
        ):
            first = None  # "Blue Lock's first season": the possessor is a work the sentence names
        if first or (may_hold(low, ("franchise",)) and _FRANCHISE.search(chunk)):
            return self.base_of(self.adoc.main_work)
        if may_hold(low, ("season",)) and _SEQUEL.search(chunk):
            return self.adoc.main_work
        if may_hold(low, ("film", "movie")) and _FILM.search(chunk):
            films = [w for w in self.seen if w.format == "film"]
            if films:
                return films[-1]
            films = [w for w in self.adoc.works if w.format == "film"]
            if len(films) == 1:
                return films[0]
        main = self.adoc.main_work
        if (
            may_hold(low, ("television", "tv"))
            and _TV.search(chunk)
            and main is not None
            and main.format == "film"
        ):
            base = self.base_of(main)  # "the TV anime" in a film article: the series the film comes from
            if base is not None and base is not main:
                return base
        return None

    def assign(self) -> list[WorkRef | None]:
        """Subject of every segment (parallel to ``adoc.segments``)."""
        adoc = self.adoc
        text = adoc.text
        out: list[WorkRef | None] = []
        paragraph = -1
        section_work = adoc.main_work  # a sub-headline naming a work ("2. Sakamoto Days adds cast") sets it
        discourse = adoc.main_work
        for seg in adoc.segments:
            if seg.paragraph != paragraph:
                paragraph = seg.paragraph
                discourse = section_work
            if self._is_subheadline(seg):
                named = self.topical(seg.start, seg.end)
                if named:
                    section_work = discourse = named[0][2]
            if seg.boilerplate or seg.kind == "heading":
                out.append(discourse)
                continue
            found = self.topical(seg.start, seg.end)
            nominal = self.nominal(text, seg.start, seg.end)
            if found:
                subject: WorkRef | None = found[0][2]
                if found[0][0] - seg.start > 40 and _NOMINAL_OPENER.match(seg.text):
                    subject = nominal or discourse  # "The anime series, based on …, reunites the cast of X"
                discourse = found[-1][2]
                for _s, _e, w in found:
                    if w not in self.seen:
                        self.seen.append(w)
            elif nominal is not None:
                subject = nominal
                discourse = nominal
            else:
                subject = discourse
            out.append(subject)
        return out

    def _is_subheadline(self, seg: Segment) -> bool:
        """A heading (the segmenter's call: "Cast", "2. X adds cast") or a short capitalised line of
        its own with no closing punctuation inside the body ("Lycoris Recoil returns")."""
        if seg.boilerplate:
            return False
        if seg.kind == "heading":
            return True
        text = self.adoc.text
        if seg.kind not in {"sentence", "line"} or not (seg.start == 0 or text[seg.start - 1] == "\n"):
            return False
        stripped = seg.text.strip()
        if text[seg.end : seg.end + 1] not in {"", "\n"} or not stripped[:1].isupper():
            return False
        # a title alone on its line (a roundup's section): "Lantern Hollow", "Velvet Orbit!", "X: Y"
        if any(fold(text[s:e]) == fold(stripped) for s, e, _w in self.topical(seg.start, seg.end)):
            return True
        if seg.kind != "sentence" or re.search(r"[.!?:;,\"”]$", stripped):
            return False
        return 3 <= len(stripped.split()) <= 14

    def subject_for(self, seg: Segment, seg_subject: WorkRef | None, pos: int) -> WorkRef | None:
        """The work a cue at ``pos`` inside ``seg`` is about."""
        before = [m for m in self.topical(seg.start, pos) if m[1] <= pos]
        if before:
            # "… X (Y) announced that the second season will premiere": the nominal after the title wins
            later = self.nominal(self.adoc.text, before[-1][1], pos)
            if later is not None and _SEQUEL.search(self.adoc.text, before[-1][1], pos):
                return later
            return before[-1][2]
        nominal = self.nominal(self.adoc.text, seg.start, pos)
        if nominal is not None:
            return nominal
        if re.search(
            r"\b(?:the|this|its)\s+(?:anime|film|movie|series|show|season|special)\b",
            self.adoc.text[seg.start : pos],
            re.IGNORECASE,
        ):
            return seg_subject if not self.mentions_in(seg.start, seg.end) else self._discourse_before(seg)
        after = self.mentions_in(pos, seg.end)
        if after:
            between = self.adoc.text[pos : after[0][0]]
            if re.search(r",\s", between) and not re.search(
                r"\b(?:titled|called|named|entitled)\s+$", between
            ):
                return seg_subject  # "… a 26-episode anime in 1998, followed by the film X": not X
            return after[0][2]
        return seg_subject

    def _discourse_before(self, seg: Segment) -> WorkRef | None:
        index = self.adoc.segments.index(seg)
        for prev in range(index - 1, -1, -1):
            p = self.adoc.segments[prev]
            if p.paragraph != seg.paragraph:
                break
            found = self.mentions_in(p.start, p.end)
            if found:
                return found[-1][2]
        return self.adoc.main_work
