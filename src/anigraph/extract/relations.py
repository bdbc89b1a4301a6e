"""Learned relations: what a person, company, song or character mention is to the work it is about.

The credit, cast, song and studio rules read the shapes they know exactly ("Director: X", "X as Y",
"animated by Z"). Real prose says the same things in more ways than rules can list ("E is producing
the series with F serving as director, G overseeing series composition"; "K will be directing the
anime"; "M is credited for character designs"). Here each learned mention (``mentions.py``) that
no rule turned into a fact becomes a small document of evidence tokens (``featurize``): its label,
the words just before and after it with their distance, the label of a list line it sits on, the
section, and the words of its sentence; a spaCy ``textcat_multilabel`` trained on the annotated
corpus (``training/``) scores each predicate in ``PREDICATES``. A predicate whose score passes
``THRESHOLD`` becomes a fact about the work the sentence is about (``ArticleDoc.subject_at``), with
the sentence as evidence. A ``cast`` needs its character: the nearest character mention in the
same clause ("A as B", "B: A", "B (CV: A)").
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

from anigraph.extract.document import ArticleDoc, Segment
from anigraph.extract.learned import TrainedTextcat
from anigraph.extract.mentions import Mention, mentions
from anigraph.extract.people.lexicon import load_lexicon
from anigraph.extract.people.names import OWNER_OF_NAME_RE
from anigraph.models import STAFF_PREDICATES, Fact
from anigraph.names import fold, person_key, studio_key

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model" / "relations"
THRESHOLD = 0.6
# staff roles the relation model reads: the vocabulary's, less those the training pages rarely state
# in prose (they stay with the credit-line rules) and the company credit
_RULES_ONLY = {
    "action_director",
    "animation_production",
    "chief_supervisor",
    "creature_design",
    "planning",
    "prop_design",
    "supervisor",
}
STAFF = tuple(sorted(STAFF_PREDICATES - _RULES_ONLY))
PREDICATES = (
    *STAFF,
    "cast",
    "character",
    "studio",
    "broadcaster",
    "streaming",
    "opening_theme",
    "ending_theme",
    "insert_song",
)
# which mention labels a predicate may take as its object
OBJECT_LABELS = {
    **{p: ("PERSON",) for p in STAFF},
    "cast": ("PERSON",),
    "character": ("CHARACTER",),
    "studio": ("ORG",),
    "broadcaster": ("ORG",),
    "streaming": ("ORG",),
    "opening_theme": ("SONG",),
    "ending_theme": ("SONG",),
    "insert_song": ("SONG",),
}
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+|[:()\-–—/]")
_CLAUSE_BREAK = re.compile(r"[;.]|,\s+(?:and|while|with|but)\b|\band\b")
_LINE_LABEL = re.compile(
    r"[ \t]*(?:[-*•·–—▪►][ \t]*)?(?P<label>[^:：\n]{1,40}?)[ \t]*[:：]"
)  # used with .match


_PUNCT = {
    ":": "colon",
    "：": "colon",
    "(": "lparen",
    ")": "rparen",
    "-": "dash",
    "–": "dash",
    "—": "dash",
    "/": "slash",
}


def _tok(word: str) -> str:
    return _PUNCT.get(word) or re.sub(r"\W", "_", word.casefold())


def featurize(text: str, seg: Segment, mention: Mention, others: Sequence[Mention]) -> str:
    """The model's input for one mention in its segment: evidence tokens, then sentence words."""
    feats = [f"_lab_{mention.label}", f"_kind_{seg.kind}"]
    if seg.section:
        feats.append("_sec_" + _tok(seg.section.split()[0]))
    before = _WORD.findall(text[max(seg.start, mention.start - 80) : mention.start])
    after = _WORD.findall(text[mention.end : min(seg.end, mention.end + 80)])
    feats += [f"_l{k}_{_tok(w)}" for k, w in enumerate(reversed(before[-4:]), start=1)]
    feats += [f"_r{k}_{_tok(w)}" for k, w in enumerate(after[:4], start=1)]
    feats += [f"_lw_{_tok(w)}" for w in before[-12:]]
    feats += [f"_rw_{_tok(w)}" for w in after[:12]]
    line_start = text.rfind("\n", 0, mention.start) + 1
    label = _LINE_LABEL.match(text, line_start)
    if label and label.end() <= mention.start:
        feats += ["_inline"] + [f"_ll_{_tok(w)}" for w in _WORD.findall(label.group("label"))[:6]]
    if mention.start == seg.start or not text[seg.start : mention.start].strip(" -•*·"):
        feats.append("_first")
    near = [o for o in others if o is not mention and abs(o.start - mention.start) < 60]
    feats += sorted({f"_near_{o.label}" for o in near})
    if text[max(0, mention.start - 1) : mention.start] in "\"“‘'「『" and mention.start > 0:
        feats.append("_quoted")
    if text[mention.end : mention.end + 3].lstrip(" ")[:1] == "(":
        feats.append("_paren_after")
    return " ".join(feats)


class RelationModel(TrainedTextcat):
    """The trained relation scorer (``extract/model/relations``)."""

    MODEL = MODEL_DIR
    WHAT = "relation"

    def read(self, adoc: ArticleDoc, *, taken: set[str]) -> list[Fact]:
        """Facts for the learned mentions whose folded name no rule fact has as its object."""
        items = list(candidates(adoc, taken=taken))
        if not items:
            return []
        scores = self.score_documents([features for _seg, _m, features in items])
        tags = mentions(adoc.doc)
        starts = [m.start for m in tags]  # in text order
        out: list[Fact] = []
        for (seg, mention, _features), cats in zip(items, scores, strict=True):
            in_seg = tags[bisect_left(starts, seg.start) : bisect_left(starts, seg.end)]
            for predicate, score in sorted(cats.items(), key=lambda kv: -kv[1]):
                if score < THRESHOLD or mention.label not in OBJECT_LABELS.get(predicate, ()):
                    continue
                fact = _fact(adoc, seg, mention, predicate, score, in_seg)
                if fact is not None:
                    out.append(fact)
        return out


def candidates(adoc: ArticleDoc, *, taken: set[str]) -> list[tuple[Segment, Mention, str]]:
    """(segment, mention, features) for every learned mention in content that rules left unread."""
    tags = [m for m in mentions(adoc.doc) if m.label != "WORK"]
    if not tags:
        return []
    text = adoc.text
    # a company the gazetteers know was read by the exact rules (who said yes, or said no for a reason)
    known = sorted(
        (s, e) for label in ("broadcaster", "streaming", "studio") for s, e, _f in adoc.phrases(label)
    )
    ends = list(accumulate((e for _s, e in known), max))  # the furthest end among hits starting up to here
    tags = [m for m in tags if not _overlaps(known, ends, m.start, m.end)]
    org_heads = load_lexicon().org_heads  # "Kino Press", "Studio Lumen": a company, whatever the tag says
    tags = [m for m in tags if m.label != "PERSON" or not org_heads.intersection(m.text.split())]
    # "Lantern Hollow’s Mira Okada": a name owning the next name is a work she is known by, not a credit
    tags = [m for m in tags if not OWNER_OF_NAME_RE.match(text, m.end)]
    segs = [s for s in adoc.segments if not s.boilerplate and s.kind != "headline"]
    starts = [m.start for m in tags]  # mentions come in text order
    out: list[tuple[Segment, Mention, str]] = []
    k = 0
    for m in tags:
        while k < len(segs) and segs[k].end <= m.start:
            k += 1
        if k >= len(segs) or not (segs[k].start <= m.start and m.end <= segs[k].end):
            continue
        if _key(m) in taken:
            continue
        inside = tags[bisect_left(starts, segs[k].start) : bisect_left(starts, segs[k].end)]
        out.append((segs[k], m, featurize(text, segs[k], m, inside)))
    return out


def _overlaps(spans: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted; ``ends`` their running maximum end)."""
    last = bisect_left(spans, (end, -1)) - 1  # the last span starting before ``end``
    return last >= 0 and ends[last] > start


def _key(m: Mention) -> str:
    return (
        studio_key(m.text)
        if m.label == "ORG"
        else person_key(m.text)
        if m.label == "PERSON"
        else fold(m.text)
    )


def taken_keys(facts: Sequence[Fact]) -> set[str]:
    """Folded objects (and cast characters) that rule facts already name."""
    keys: set[str] = set()
    for f in facts:
        keys.update({fold(f.object), person_key(f.object), studio_key(f.object)})
        if "character" in f.qualifiers:
            keys.add(fold(f.qualifiers["character"]))
        if "performer" in f.qualifiers:
            keys.add(person_key(f.qualifiers["performer"]))
    return keys


def _fact(
    adoc: ArticleDoc, seg: Segment, mention: Mention, predicate: str, score: float, tags: Sequence[Mention]
) -> Fact | None:
    work = adoc.subject_at(mention.start)
    if work is None:
        return None
    qualifiers: dict[str, str] = {}
    if predicate == "cast":
        character = _character_for(adoc.text, seg, mention, tags)
        if character is None:
            return None
        qualifiers["character"] = character.text
    object_type = {"PERSON": "person", "ORG": "organization", "CHARACTER": "character", "SONG": "value"}
    return adoc.make_fact(
        subject=work.name,
        subject_type="work",
        predicate=predicate,
        obj=mention.text.strip(" \"'“”‘’"),
        start=seg.start,
        end=seg.end,
        confidence=round(0.5 + 0.4 * score, 3),
        qualifiers=qualifiers,
        object_type=object_type.get(mention.label),
    )


def _character_for(text: str, seg: Segment, actor: Mention, tags: Sequence[Mention]) -> Mention | None:
    """The character an actor plays: the nearest character mention in the same clause."""
    best: tuple[int, Mention] | None = None
    for m in tags:
        if m.start >= seg.end:
            break  # mentions come in text order
        if m.label != "CHARACTER" or m.start < seg.start:
            continue
        lo, hi = (m.end, actor.start) if m.end <= actor.start else (actor.end, m.start)
        between = text[lo:hi]
        if len(between) > 40 or _CLAUSE_BREAK.search(between):
            continue
        if any(o.label == "PERSON" and lo <= o.start < hi for o in tags):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, m)
    return best[1] if best else None
