"""Cut an article's text into plain and highlighted segments, one per evidence boundary.

Several facts often cite the same sentence, and spans may overlap. The text is cut at
every evidence start and end; each piece covered by at least one fact becomes a ``Mark``
listing the facts that cover it. The first piece of each fact carries that fact's anchor
(``f-<source id>``) so ``/articles/{id}#f-<source id>`` lands on it. Text stays plain
``str``: the template escapes it (article text is never trusted).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import pairwise

from anigraph.models import STAFF_PREDICATES
from anigraph.store.readapi import FactView, SourceView

log = logging.getLogger(__name__)

_KIND_OF = {
    "cast": "cast",
    "character": "cast",
    "studio": "studio",
    "animation_production": "studio",
    "premiere": "date",
    "episodes": "date",
    "broadcaster": "platform",
    "streaming": "platform",
    "opening_theme": "music",
    "ending_theme": "music",
    "insert_song": "music",
    "alias": "title",
    "format": "title",
    "synopsis": "story",
    "setting": "story",
    "genre": "story",
    "based_on": "story",
    "affiliation": "cast",
    "description": "cast",
    "headline": "meta",
    "author": "meta",
    "published": "meta",
    "category": "meta",
    "related_article": "meta",
}


def fact_kind(predicate: str) -> str:
    """A colour family for a predicate: staff, cast, studio, date, platform, music, title, story, meta."""
    if predicate in STAFF_PREDICATES and predicate != "animation_production":
        return "staff"
    return _KIND_OF.get(predicate, "other")


def describe(fact: FactView) -> str:
    """One line a reader understands: ``Metallic Rouge — director: Motonobu Hori``."""
    quals = ", ".join(f"{k}: {v}" for k, v in sorted(fact.qualifiers.items()) if v)
    label = fact.predicate.replace("_", " ")
    text = f"{fact.subject.name} — {label}: {fact.object}"
    return f"{text} ({quals})" if quals else text


@dataclass(slots=True)
class Mark:
    text: str
    anchors: list[str]  # f-<source id> of the facts that start here (first becomes the element id)
    facts: list[tuple[SourceView, FactView]]
    kind: str
    number: int  # 1-based, for the popup's id

    @property
    def title(self) -> str:
        return "\n".join(describe(f) for _s, f in self.facts)


Segment = str | Mark


def segments(text: str, facts: list[tuple[SourceView, FactView]]) -> list[Segment]:
    """Plain strings and ``Mark``s whose texts concatenate back to ``text``."""
    spans: list[tuple[int, int, SourceView, FactView]] = []
    for src, fact in facts:
        if not (0 <= src.start < src.end <= len(text)):
            log.warning(
                "source %d of claim %d has span %d-%d outside the article text (%d chars)",
                src.id,
                fact.claim_id,
                src.start,
                src.end,
                len(text),
            )
            continue
        spans.append((src.start, src.end, src, fact))
    cuts = sorted({0, len(text), *(s for s, _e, _a, _b in spans), *(e for _s, e, _a, _b in spans)})
    out: list[Segment] = []
    started: set[int] = set()
    number = 0
    for lo, hi in pairwise(cuts):
        piece = text[lo:hi]
        covering = [(src, fact, e - s) for s, e, src, fact in spans if s <= lo and e >= hi]
        if not covering:
            out.append(piece)
            continue
        covering.sort(key=lambda c: (c[2], c[0].id))  # the tightest span decides the colour
        anchors = [f"f-{src.id}" for src, _f, _len in covering if src.id not in started]
        started.update(src.id for src, _f, _len in covering)
        number += 1
        out.append(
            Mark(
                text=piece,
                anchors=anchors,
                facts=[(src, fact) for src, fact, _len in covering],
                kind=fact_kind(covering[0][1].predicate),
                number=number,
            )
        )
    return out
