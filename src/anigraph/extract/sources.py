"""Source material and its creators, as work facts: "based on Naoya Matsumoto's manga",
"adapts the web novel by X", "Yuji Kaku serialized the manga", "original creator X".

``SourceFacts`` is mixed into ``WorkFactReader`` (workfacts.py), which supplies the article
state these rules read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from anigraph.extract.document import WorkRef
from anigraph.extract.resources import Resources
from anigraph.extract.subjects import SubjectTracker
from anigraph.extract.textgate import LiteralGate, gate_of

if TYPE_CHECKING:
    from anigraph.extract.workfacts import _Ctx

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|da|del|di|le|la|bin|na)){0,3}"
_CREATORS_BEFORE = re.compile(
    rf"(?P<names>{_NAME}(?:\s*(?:,|,?\s+and|&)\s+{_NAME})*)['’]s?\s+(?:[Tt]he\s+)?$"
)
_BY_NAME = re.compile(
    rf"(?:\s+series)?,?\s+(?:and\s+)?(?:(?:written|drawn|illustrated|created|authored|penned)\s+(?:and\s+\w+\s+)?)?"
    rf"by\s+(?P<name>{_NAME})"
)
_OWNED_NAME = re.compile(rf"['’‘]s\s+(?P<name>{_NAME})")
_COMPANY_WORD = re.compile(
    r"\b(?:Jump|Magazine|Sunday|Champion|Comics?|Press|Books?|Bunko|Shoten|Shobo|Publishing|Media|"
    r"Entertainment|Works|Studios?|Animation|Pictures|Inc|Corp|Group|Plus|GIGA|Afternoon|Morning|Young|Weekly|"
    r"Monthly|Ace|Dragon|Kadokawa|Kodansha|Shueisha|Shogakukan)\b|\+$"
)
_CREATOR_LAUNCHED = re.compile(
    rf"(?<![\w'’])(?P<name>{_NAME})\s+(?:first\s+|originally\s+)?(?:launched|serialized|began serializing|"
    rf"started serializing|created|wrote and illustrated|wrote and drew)\s+the\s+(?:original\s+|ongoing\s+)?"
    rf"(?P<kind>manga|light novel|novel|web novel|webtoon)s?\b(?!\s+adaptation)"
)
_CREATOR_TITLE = re.compile(
    rf"\b(?:original\s+)?(?:manga|novel|light novel|series|story|original)\s+(?:creator|author)s?\s+"
    rf"(?P<name>{_NAME})"
)


class SourceFacts:
    """based_on and original_creator rules (mixed into WorkFactReader, which sets these)."""

    res: Resources
    adapt_cue: re.Pattern[str]
    gates: dict[str, LiteralGate]
    _text: str
    _tracker: SubjectTracker | None

    def _last_mention_end(self, start: int, end: int) -> int:
        raise NotImplementedError  # WorkFactReader's

    # -- source material and its creators -------------------------------------------------------
    def _source(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        sources = self.res.source_words.finditer(text, seg.start, seg.end)
        for m in sources if ctx.admits(self.gates["source_words"]) else ():
            kind = self.res.source_kind.get(m.group(0).casefold())
            if kind is None or re.match(
                r"['’]s\b|\s+(?:adaptation|magazine|volume|chapter|publisher)", text[m.end() :]
            ):
                continue
            cue = None
            for c in self.adapt_cue.finditer(text, seg.start, m.start()):
                cue = c
            if cue is None or not self._anime_adapts(text, seg.start, cue.start(), cue.group(0)):
                continue
            if re.match(r"\s+(?:in)?to\b", text[cue.end() : cue.end() + 6]):
                continue  # "adapted into a manga": the other direction
            between = text[cue.end() : m.start()]
            if re.search(r"[.;]|\b(?:and|but|while)\s+(?:the|a)\b", between) or len(between) > 160:
                continue
            work, title_span = self._source_title(ctx, cue.end(), m.start())
            if work is None:
                work = ctx.tracker.subject_for(seg, ctx.subject, cue.start())
            if work is None:
                continue
            ctx.add(work, "based_on", kind, 0.85)
            left = title_span[0] if title_span else self._descriptor_start(text, cue.end(), m.start())
            creators = _CREATORS_BEFORE.search(text, cue.end(), left)
            names = self._creator_names(creators.group("names")) if creators else []
            if not names:  # "a spinoff manga, Takahiro Arai's Title"
                tail = re.match(
                    rf",\s+(?P<names>{_NAME}(?:\s+and\s+{_NAME})?)['’]s\s+", text[m.end() : seg.end]
                )
                if tail:
                    names = self._creator_names(tail.group("names"))
                    after_pos = m.end() + tail.end()
                    later = ctx.tracker.mentions_in(after_pos, after_pos + 3)
                    if later:
                        work = later[0][2]
                        ctx.add(work, "based_on", kind, 0.85)
            if not names:
                names = self._creators_after(text, m.end(), seg.end)
            for name in names:
                ctx.add(work, "original_creator", name, 0.85, object_type="person")
        for m in (
            _CREATOR_LAUNCHED.finditer(text, seg.start, seg.end)
            if ctx.admits(gate_of(_CREATOR_LAUNCHED))
            else ()
        ):
            # "Yuji Kaku serialized the manga on …": the author of the source (a full name only)
            name = m.group("name")
            kind = self.res.source_kind.get(m.group("kind").casefold())
            if kind is None or name.casefold() in self.res.publishers or len(name.split()) < 2:
                continue
            if _COMPANY_WORD.search(name):
                continue  # "Ultra Jump began serializing the manga": a magazine
            work = ctx.tracker.subject_for(seg, ctx.subject, m.start())
            if work is not None:
                ctx.add(work, "based_on", kind, 0.7)
                ctx.add(work, "original_creator", name, 0.7, object_type="person")
        for m in (
            _CREATOR_TITLE.finditer(text, seg.start, seg.end) if ctx.admits(gate_of(_CREATOR_TITLE)) else ()
        ):
            work = ctx.tracker.subject_for(seg, ctx.subject, m.start())
            name = m.group("name")
            if work is not None and name.casefold() not in self.res.publishers:
                ctx.add(work, "original_creator", name, 0.8, object_type="person")

    def _creators_after(self, text: str, start: int, end: int) -> list[str]:
        """ "the manga written by A and drawn by B", "a web novel by A"."""
        out: list[str] = []
        pos = start
        for _ in range(3):
            m = _BY_NAME.match(text, pos, end)
            if not m:
                break
            name, pos = m.group("name"), m.end()
            owned = _OWNED_NAME.match(text, pos, end)
            if owned:  # "by Lantern Hollow‘s Mira Okada": the work she is known by, then her name
                name, pos = owned.group("name"), owned.end()
            out.extend(self._creator_names(name))
        return out

    def _anime_adapts(self, text: str, seg_start: int, cue_pos: int, cue: str) -> bool:
        """True when the thing doing the adapting is the anime, not a manga or novel."""
        if re.match(r"(?:anime|film|series|movie) of", cue, re.I):
            return True
        before = text[seg_start:cue_pos]
        if re.fullmatch(
            r"\s*(?:is|was|are|were|has been|had been)?\s*",
            before[self._last_mention_end(seg_start, cue_pos) - seg_start :],
        ):
            return True
        words = re.findall(r"[\w'’-]+", before)[-7:]
        for w in reversed(words):
            lw = w.casefold()
            if lw in {
                "anime",
                "film",
                "movie",
                "series",
                "season",
                "show",
                "adaptation",
                "it",
                "ova",
                "special",
                "franchise",
            }:
                return True
            if lw in {"manga", "novel", "novels", "magazine", "comic", "game", "volume", "chapter", "book"}:
                return False
        return False

    def _source_title(self, ctx: _Ctx, start: int, end: int) -> tuple[WorkRef | None, tuple[int, int] | None]:
        for s, e, w in reversed(ctx.tracker.mentions_in(start, end)):
            gap = ctx.text[e:end]
            if re.fullmatch(r"\)?(?:\s*\([^()]*\))?(?:\s+[a-z][\w'’-]*){0,5}\s*", gap):
                if gap.startswith(")"):
                    continue
                return w, (s, e)
            if re.fullmatch(r"\s*\([^()]*", ctx.text[e:end]) is None and not gap.startswith(")"):
                break
        return None, None

    def _descriptor_start(self, text: str, start: int, end: int) -> int:
        m = re.search(r"(?:\s+(?:[a-z][\w'’-]*|\d+-[a-z]+))*\s*$", text[start:end])
        return start + (m.start() if m else end - start)

    def _creator_names(self, raw: str) -> list[str]:
        parts = re.split(r"\s*(?:,\s*and|,|\band\b|&)\s*", raw)
        out: list[str] = []
        for p in parts:
            p = p.strip().rstrip(".")
            owner = re.match(r".+?['’‘]s\s+(?=[A-Z])", p)
            if owner:  # "Lantern Hollow’s Mira Okada": the creator, named by an earlier work
                p = p[owner.end() :]
            if not p or p.casefold() in self.res.publishers or p in {"The", "A", "An"}:
                continue
            if self.res.streaming.find(p) or self.res.broadcasters.find(p):
                continue
            if len(p.split()) > 4:
                continue
            out.append(p)
        return out
