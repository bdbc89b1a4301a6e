"""People's earlier works from learned mentions: "A, known for work on X and Y", "A ... previous work on X".

The known_for patterns in ``characters.py`` need the titles to follow their cue in a fixed shape.
Real prose lists earlier works in many more ways ("joins to direct the series with previous work
on X", "a studio veteran who storyboarded films such as X and Y", "following his success with X"),
and which words are titles is what the mention model is good at. Here a sentence's learned PERSON
and WORK mentions are paired: a work mention belongs to the nearest person mention before it when
a prior-work cue (data: ``cues.json`` ``prior_work_cues``) stands between them and no other person
does, or when it sits in a parenthesis right after the person's name. The page's own works are
never someone's earlier work.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from anigraph.extract.mentions import Mention, mentions
from anigraph.extract.people.characters import emit_known_for
from anigraph.extract.people.context import PeopleContext, known_organisation
from anigraph.names import fold

_PAREN_AFTER = re.compile(r"\s*\((?P<inner>[^()]{2,200})\)")


def prior_works(ctx: PeopleContext) -> None:
    tags = mentions(ctx.adoc.doc)
    if not tags:
        return
    cue = ctx.lex.prior_work_re
    text = ctx.text
    own = {fold(n) for w in ctx.adoc.works for n in w.names()}
    starts = [m.start for m in tags]  # mentions come in text order
    for unit in ctx.units:
        inside = [
            m
            for m in tags[bisect_left(starts, unit.start) : bisect_left(starts, unit.end)]
            if m.end <= unit.end
        ]
        people = [m for m in inside if m.label == "PERSON"]
        works = [m for m in inside if m.label == "WORK" and fold(m.text) not in own]
        if not people or not works:
            continue
        listed: set[int] = set()  # people whose parenthesised list was read whole
        for work in works:
            person = (
                _owner(text, people, work, cue)
                or _possessed(text, people, work)
                or _role_named(text, people, work, ctx.lex.agent_tail_re)
            )
            if person is None:
                continue
            name = ctx.people.add(person.text) if len(person.text.split()) >= 2 else None
            if name is None:
                continue
            titles = [work.text.strip(" \"'“”‘’")]
            paren = _PAREN_AFTER.match(text, person.end)
            if paren and paren.start("inner") <= work.start and person.start not in listed:
                # "A (X, Y, Z)": one list, one kind; the model's reading of one item is the list's
                listed.add(person.start)
                titles += [t for t in _list_items(paren.group("inner")) if fold(t) not in own]
            for title in dict.fromkeys(titles):
                emit_known_for(ctx, name, title, unit, confidence=0.7)


def _role_named(
    text: str, people: list[Mention], work: Mention, agent_tail: re.Pattern[str]
) -> Mention | None:
    """ "the ‘Lantern Hollow’ director Mira Okada": a person named by their role on another work."""
    after = [p for p in people if p.start >= work.end]
    if not after:
        return None
    gap = text[work.end : after[0].start]
    if len(gap) > 40 or not re.match(r"[’'”\"]?\s", gap):
        return None
    tail = agent_tail.search(gap)
    if tail is None or gap[: tail.start()].strip(" ’'”\"") not in {"", "anime", "series", "film", "movie"}:
        return None
    return after[0]


def _list_items(inner: str) -> list[str]:
    """The items of "X, Y and Z" when every one looks like a title (capitalised, a few words), else none."""
    items = [
        i.strip(" \"'“”‘’") for i in re.split(r"\s*(?:,|、|;)\s*(?:and\s+)?|\s+and\s+", inner) if i.strip()
    ]
    if len(items) < 2 or not all(i[:1].isupper() or i[:1].isdigit() for i in items):
        return []
    if any(len(i.split()) > 8 or known_organisation(i) for i in items):
        return []
    return items


_POSSESSIVE_GAP = re.compile(r"['’‘]s\s+(?:(?:[a-z]+|co-[a-z]+)\s+){0,2}")


def _possessed(text: str, people: list[Mention], work: Mention) -> Mention | None:
    """ "X’s Mira Okada", "X's creator Mira Okada": a person named by another work they made."""
    after = [p for p in people if p.start >= work.end]
    if after and _POSSESSIVE_GAP.fullmatch(text, work.end, after[0].start):
        return after[0]
    return None


def prior_work_owner(text: str, people: list[Mention], start: int, end: int, cue: re.Pattern[str]) -> bool:
    """Whether the title at [start, end) is named as an earlier work of a person of its sentence."""
    k = bisect_left([p.end for p in people], start + 1)  # people (text order) ending before the title
    before = [p for p in people[max(0, k - 3) : k] if not _SENTENCE_BREAK.search(text, p.end, start)]
    work = Mention(start, end, "WORK", text[start:end])
    return bool(before) and (_owner(text, before, work, cue) or _possessed(text, people, work)) is not None


_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


def _owner(text: str, people: list[Mention], work: Mention, cue: re.Pattern[str]) -> Mention | None:
    """The person a work mention is an earlier work of, if the sentence says so."""
    before = [p for p in people if p.end <= work.start]
    if not before:
        return None
    for p in reversed(before):  # "A (X, Y)": A even when the model reads X as a name too
        paren = _PAREN_AFTER.match(text, p.end)
        if paren and paren.start("inner") <= work.start and work.end <= paren.end("inner"):
            return p
        if p.end <= text.rfind("(", 0, work.start):
            break
    person = before[-1]
    between = text[person.end : work.start]
    if "(" in between or ")" in between:
        return None
    if cue.search(between):
        return person
    return None
