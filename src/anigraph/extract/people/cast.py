"""Voice cast: ``Character: Actor`` and ``Actor as Character`` lines, and cast stated in prose."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from anigraph.extract.document import WorkRef
from anigraph.extract.people.context import PeopleContext, Unit, known_organisation
from anigraph.extract.people.names import (
    CHAR_NAME,
    CHAR_NAME_RE,
    RUN_RE,
    TOKEN,
    group_runs,
    looks_like_person,
    mask_spans,
    name_runs,
    paren_spans,
    quote_spans,
)
from anigraph.extract.textgate import gate_of, lowered
from anigraph.names import fold

PERSON = rf"(?<![\w.'’-]){TOKEN}(?: [A-Z]\.)?(?: {TOKEN}){{1,3}}"  # a middle initial may sit inside
CHAR_EPITHET = rf"{CHAR_NAME}(?: the {TOKEN}(?! {TOKEN}))?"  # "Vash the Stampede"
CHAR_EPITHET_RE = re.compile(CHAR_EPITHET)
PAREN = r"(?:\s*\([^()]*(?:\([^()]*\)[^()]*)*\))*"
# a one-word stage name in capitals ("KENN", "LiSA" is not covered): only in cast lists next to full names
STAGE = r"(?<![\w.'’-])[A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)?(?![\w'’-])"
COLON_LINE_RE = re.compile(
    rf"^(?P<char>{CHAR_NAME}){PAREN}(?:\s*/\s*{CHAR_NAME})?(?:\s*[:：]|\s+[—–-]|\s*(?:\.{{2,}}|…))\s*"
    rf"(?P<actors>(?P<actor>{PERSON}|{CHAR_NAME}|{STAGE}){PAREN}"
    rf"(?:\s*(?:,|;|/|&|and)\s*(?:{PERSON}|{STAGE}){PAREN})*)\s*$"
)
ACTOR_RE = re.compile(PERSON)
ACTOR_OR_STAGE = rf"(?:{PERSON}|{STAGE})"
MULTI_AS_LINE_RE = re.compile(
    r"^(?:(?i:(?:main\s+|voice\s+|dub\s+)?cast)\s*[:：]\s*)?"
    rf"(?P<actors>{ACTOR_OR_STAGE}{PAREN}(?:\s*(?:,|/|&|and|,\s*and)\s*{ACTOR_OR_STAGE}{PAREN})+)\s+as\s+"
    rf"(?:the\s+)?(?P<char>{CHAR_NAME}){PAREN}\s*[.,;]?\s*$"
)
ACTOR_OR_STAGE_RE = re.compile(ACTOR_OR_STAGE)
ACTOR_PAREN_LINE_RE = re.compile(
    rf"^(?P<actor>{CHAR_NAME})\s*\((?:(?i:as)\s+)?(?P<char>{CHAR_NAME})\)\s*[,.;]?$"
)
AS_LINE_RE = re.compile(  # a one-word actor ("Lynn as X") is kept only if the gazetteer knows them
    rf"^(?P<actor>{PERSON}|{TOKEN}|{STAGE}){PAREN}\s+as\s+(?:the\s+)?(?P<char>{CHAR_NAME}){PAREN}"
    r"(?:\s*(?:,|—|–|\s-)\s+[^,;]{1,80})?\s*[.,;]?\s*$"
)
IS_LINE_RE = re.compile(  # "• Mira Okada is Kestrel" under a cast heading or a "… cast members:" line
    rf"^(?P<actor>{PERSON})\s+is\s+(?P<char>{CHAR_NAME})\s*[.,;]?\s*$"
)
CV_LINE_RE = re.compile(
    rf"^(?:(?i:(?:new|main|additional)\s+)?(?i:characters?|cast)\s*[:：]\s*)?"
    rf"(?P<char>{CHAR_NAME})\s*[(（]\s*(?:CV|VA|voiced by|voice)\s*[:：]?\s*(?P<actor>{PERSON})\s*[)）]"
)
LOWER_WORD = r"(?!(?:and|or|with|while|but|to|in|on|at|for|from|of|by)\b)[a-z][\w\-']*"
AS_PAIR_RE = re.compile(
    rf"(?P<actor>{PERSON})\s+(?:(?:again|also|will|once|now)\s+)*(?:(?:returns?|returning|reprises?|reprising|"
    r"joins?|joining|co-stars?|stars?|appears?|(?:is|was|has\s+been|have\s+been|are|were)\s+cast|comes\s+back)\s+"
    r"(?:(?:his|her|their)\s+role\s+)?(?:(?:the|this)\s+(?:cast|series|film|season|anime)\s+)?)?"
    rf"as\s+(?:(?:the|a|an|his|her|their)\s+)?(?:(?:new\s+)?voice\s+of\s+(?:the\s+)?)?"
    rf"(?:{LOWER_WORD}\s+){{0,3}}?(?P<char>{CHAR_EPITHET})"
)
PLAY_RE = re.compile(
    rf"(?P<actor>{PERSON})\s+"
    r"(?:(?:will|also|is|was|has|had|previously|now|to|be|been|again|once|still|returns\s+to)\s+)*"
    r"(?:play|plays|played|playing|voice|voices|voiced|voicing|portray|portrays|portrayed|portraying"
    r"|(?:lends?|lent|lending)\s+(?:his|her|their)\s+voices?\s+to|(?:takes?|took|taking)\s+on"
    r"|cast\s+in)\s+"
    rf"(?:(?:the|a|an)\s+)?(?:(?:role\s+of|{LOWER_WORD}),?\s+){{0,3}}?(?P<char>{CHAR_EPITHET})"
)
VOICE_OF_RE = re.compile(
    rf"(?P<actor>{PERSON})\s*,?\s+(?:is|will\s+be|becomes|was|has\s+become)\s+(?:the|its)\s+"
    r"(?:(?:new|official|main|lead)\s+)?(?:(?:Japanese|English|dub|singing|speaking)\s+)*voice\s+of\s+"
    rf"(?:the\s+)?(?P<char>{CHAR_EPITHET})"
)
# "the singer Avu of the rock band X voices Y": the band is not the actor, the singer is
MEMBER_OF_BAND_RE = re.compile(
    rf"(?P<person>{TOKEN}(?: {TOKEN}){{0,3}}|{STAGE})\s+(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?"
    r"(?:band|group|unit|duo|trio)\s+$"
)
# "Returning to voice X is A", "Reprising her role as X is A", "Voicing X is A"; "A, the voice of X,"
INVERTED_CAST_RE = re.compile(
    r"(?:^|[.;]\s+|,\s+(?:and|while)\s+)(?:(?:Also\s+)?(?:Returning|Back|Coming\s+back)\s+to\s+(?:voice|play)"
    r"|(?:Reprising|Returning\s+to)\s+(?:his|her|their)\s+role\s+as|Voicing|Playing|Joining\s+the\s+cast\s+as)"
    rf"\s+(?:the\s+)?(?P<char>{CHAR_EPITHET})\s+(?:is|are|will\s+be)\s+(?P<actor>{PERSON})"
)
VOICE_APPOS_RE = re.compile(
    rf"(?P<actor>{PERSON}),\s+(?:the\s+(?:(?:new|Japanese|English)\s+)*voice\s+of|who\s+(?:also\s+)?"
    rf"(?:plays|voices|will\s+play|will\s+voice|is\s+voicing|is\s+playing))\s+(?:the\s+)?(?P<char>{CHAR_EPITHET}),"
    rf"|(?:^|\b[Tt]he\s+)(?:(?:new|Japanese|English)\s+)*voice\s+of\s+(?P<char2>{CHAR_EPITHET}),\s+"
    rf"(?P<actor2>{PERSON}),"
)
# "… voiced by A in Japanese and by B in English"
AND_BY_RE = re.compile(
    rf"\s+(?:in\s+(?:Japanese|English|the\s+\w+\s+dub)\s+)?(?:and|,)\s+by\s+(?P<actor>{PERSON})"
)
# "A, who voiced X in the original anime's dub, returns to the role"
WHO_VOICED_RE = re.compile(
    rf"(?P<actor>{PERSON}),\s+who\s+(?:also\s+|previously\s+|originally\s+)?(?:voiced|played|portrayed)\s+"
    rf"(?:the\s+)?(?P<char>{CHAR_EPITHET})(?P<rest>[^,;]{{0,80}}),\s+(?:(?:will|also|now)\s+)*"
    r"(?:returns?|reprises?|is\s+back|comes\s+back|is\s+returning)\b"
)
VOICED_BY_RE = re.compile(
    rf"(?P<char>{CHAR_EPITHET})\s*,?\s+(?:is\s+|will\s+be\s+|was\s+)?(?:voiced|played)\s+by\s+(?P<actor>{PERSON})"
)
PAIRED_AS_RE = re.compile(
    rf"(?P<a1>{PERSON})\s+and\s+(?P<a2>{PERSON})\s+(?:(?:will|also|again|both)\s+)*"
    r"(?:star|stars|starred|starring|return|returns|returned|appear|appears|appeared|are\s+cast|were\s+cast"
    r"|voice|voices|voiced|play|plays|played)\s+(?:respectively\s+)?as\s+(?:the\s+)?"
    rf"(?P<c1>{CHAR_EPITHET})\s+and\s+(?:the\s+)?(?P<c2>{CHAR_EPITHET})"
)
AS_GROUP_RE = re.compile(r"\bas\s+(?:(?:the|a|an)\s+)?")


NICKNAME_RE = re.compile(r"(?<=\w)\s+[\"“][A-Z][^\"”]{0,20}[\"”]\s+(?=[A-Z])")
KNOWN_AS_RE = re.compile(rf"({PERSON})\s+as\s")


def _known_actor_as(ctx: PeopleContext, text: str) -> bool:
    """ "… are A as X, B as Y": a voice actor the gazetteer knows, followed by "as"."""
    if " as " not in text:  # most sentences: no regex scan at all
        return False
    return any(ctx.lex.known_actor(m.group(1)) for m in KNOWN_AS_RE.finditer(text))


def _clean_char(name: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", name.strip().rstrip(".,;:")).strip()


def _valid_char(name: str, ctx: PeopleContext, *, allow_title: bool = False) -> bool:
    if not name or not (CHAR_NAME_RE.fullmatch(name) or CHAR_EPITHET_RE.fullmatch(name)):
        return False
    first = name.split()[0].rstrip(".")
    if first in ctx.lex.stop_tokens and first not in ("Dr", "Mr", "Ms", "Mrs"):
        return False
    if len(name.split()) == 1 and first in ("Dr", "Mr", "Ms", "Mrs", "Prof", "St"):
        return False  # "A as Dr. Hedo" cut at the abbreviation's period
    if ctx.lex.label_predicates(name) is not None:
        return False
    tokens = name.split()
    if all(t in ctx.lex.genre_words for t in tokens) or known_organisation(name):
        return False  # "Isekai", "Crunchyroll": never a role
    if ctx.people.knows(name) and len(tokens) > 1 and not ctx.is_character_name(name):
        return False  # a person the article credits elsewhere
    if ctx.lex.known_actor(name) and not ctx.is_character_name(name):
        return False  # a voice actor, not a role
    return allow_title or ctx.work_by_title(name) is None


def _emit_cast(
    ctx: PeopleContext,
    unit: Unit,
    offset: int,
    actor: str,
    char: str,
    *,
    conf: float,
    allow_title: bool = True,
    sentence_chars: frozenset[str] = frozenset(),
    stage_ok: bool = False,
) -> None:
    char = _clean_char(char)
    if not _valid_char(char, ctx, allow_title=allow_title):
        return
    if (
        not looks_like_person(actor, org_heads=ctx.lex.org_heads)
        and not (stage_ok and _stage_name(ctx, actor))
        and not ctx.lex.known_actor(actor)  # "Lynn", "KENN", "Fairouz Ai": the gazetteer knows them
    ):
        return
    if ctx.work_by_title(actor) is not None:
        return
    char = _fuller_name(ctx, char, actor)
    work = ctx.subject(unit.start + offset)
    if work is not None and _misread_title(ctx, unit, work, actor, char, sentence_chars):
        # the "title" is the character's own name or the cast line itself: keep the surrounding subject
        earlier = ctx.subject(unit.start - 1) if unit.start > 0 else None
        work = (
            earlier
            if earlier is not None and not _misread_title(ctx, unit, earlier, actor, char, sentence_chars)
            else ctx.adoc.main_work
        )
    if work is None:
        return
    _cast(ctx, unit, work=work.name, actor=actor, char=char, confidence=conf, character_fact=True)


def _cast(
    ctx: PeopleContext,
    unit: Unit,
    *,
    work: str,
    actor: str,
    char: str,
    confidence: float,
    character_fact: bool,
) -> None:
    """A ``cast`` fact (actor voicing ``char`` in ``work``), and the ``character`` fact when asked."""
    person = ctx.people.add(actor)
    ctx.non_characters.add(person.casefold())
    ctx.add_character(work, char)
    ctx.emit(
        subject=work,
        predicate="cast",
        obj=person,
        start=unit.start,
        end=unit.end,
        qualifiers={"character": char},
        object_type="person",
        confidence=confidence,
    )
    if character_fact:
        ctx.emit(
            subject=work,
            predicate="character",
            obj=char,
            start=unit.start,
            end=unit.end,
            object_type="character",
            confidence=confidence,
        )


def _stage_name(ctx: PeopleContext, name: str) -> bool:
    """A one-word performer name ("KENN", "Avu-chan") that is no organisation, work or character."""
    if " " in name or len(name) < 3 or name.casefold() in ctx.lex.line_label_stop:
        return False
    if known_organisation(name) or ctx.is_character_name(name) or name in ctx.lex.stop_tokens:
        return False
    return ctx.work_by_title(name) is None


def _fuller_name(ctx: PeopleContext, char: str, actor: str) -> str:
    """A one-word character name completed from the article ("Ryota" -> "Ryota Miyagi" named earlier)."""
    if " " in char:
        return char
    known = {n for names in ctx.characters.values() for n in names if n.startswith(char + " ")}
    if len(known) == 1:  # "Vash" after "Vash the Stampede" was cast
        return known.pop()
    full = ctx.candidate_people().get(char.casefold())
    if full is None or fold(full) == fold(actor) or ctx.people.knows(full):
        return char
    tokens = full.split()
    if len(tokens) != 2 or char not in (tokens[0], tokens[-1]) or ctx.work_by_title(full) is not None:
        return char
    # named mid-sentence after a common word ("the point guard Ryota Miyagi"), not only in a heading or
    # as a sentence's first words, where a performer's or a headline's capitalised words also stand
    mid = rf"(?<![\w'’-])(?!(?:by|and|with|of)\b)[a-z][\w-]* {re.escape(full)}(?![\w'’-])"
    if not re.search(mid, ctx.text):
        return char
    return full


def _misread_title(
    ctx: PeopleContext, unit: Unit, work: WorkRef, actor: str, char: str, others: frozenset[str] = frozenset()
) -> bool:
    """The work is a misreading: a character's name (in this sentence) or a line naming a person."""
    names = {fold(n) for n in (work.name, *work.aliases)}
    if fold(char) in names or any(fold(c) in names for c in others):
        return True
    people = [fold(p) for p in (actor, *ctx.people.full.values())]
    if any(p and p in n for p in people for n in names):
        return True
    text = fold(unit.text)
    return any(fold(c) in names and fold(c) in text for cs in ctx.characters.values() for c in cs)


def _gated_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    gate = gate_of(pattern)
    return pattern.match(text) if gate.admits(text, lowered(text) if gate.ignore_case else None) else None


def cast_lines(ctx: PeopleContext) -> None:
    """List lines: ``Character: Actor (work)`` (MAL style), ``Actor as Character``, ``Char (CV: Actor)``."""
    colon: list[tuple[Unit, re.Match[str]]] = []
    paren_lines: list[tuple[Unit, re.Match[str]]] = []
    for unit in ctx.units:
        if len(unit.text.split()) > 24:
            continue
        if NICKNAME_RE.search(unit.text):  # 'Hitori "Bocchi" Gotoh: Actor': the nickname is not matched
            unit = replace(unit, text=NICKNAME_RE.sub(" ", unit.text))
        # each pattern is tried only on lines holding a literal it needs (see ``textgate``)
        m = _gated_match(AS_LINE_RE, unit.text)
        if (m and unit.kind == "line") or (m and len(unit.text.split()) <= 10):
            _emit_cast(ctx, unit, 0, m.group("actor"), m.group("char"), conf=0.9)
            continue
        m = _gated_match(CV_LINE_RE, unit.text)
        if m:
            _emit_cast(ctx, unit, 0, m.group("actor"), m.group("char"), conf=0.9)
            continue
        m = _gated_match(IS_LINE_RE, unit.text) if _own_line(ctx.text, unit) else None
        if m and (unit.section == "cast" or _after_cast_intro(ctx, unit)):
            _emit_cast(ctx, unit, 0, m.group("actor"), m.group("char"), conf=0.85)
            continue
        m = _gated_match(MULTI_AS_LINE_RE, unit.text)
        if m and (unit.section == "cast" or unit.kind == "line"):  # "A and B as X": one role, two dubs
            actors = mask_spans(m.group("actors"), paren_spans(m.group("actors")))
            for am in ACTOR_OR_STAGE_RE.finditer(actors):
                _emit_cast(ctx, unit, 0, am.group(), m.group("char"), conf=0.85, stage_ok=True)
            continue
        m = _gated_match(ACTOR_PAREN_LINE_RE, unit.text)
        if m and (unit.section == "cast" or _after_cast_intro(ctx, unit)):  # "X (Y)" under a Cast heading
            paren_lines.append((unit, m))
            continue
        m = COLON_LINE_RE.match(unit.text)
        label_ok = m is not None and m.group("char").casefold() not in ctx.lex.line_label_stop
        if m and label_ok and ctx.lex.label_predicates(m.group("char")) is None:
            colon.append((unit, m))
    _paren_cast_lines(ctx, paren_lines)
    used = [(u, m) for u, m in colon if u.section == "cast" or (len(colon) >= 2 and u.section != "staff")]
    in_cast = [(u, m) for u, m in used if u.section == "cast"]
    actor_first = _actor_first_votes(ctx, in_cast or used) > 0
    for unit, m in colon:
        if unit.section == "cast" or (len(colon) >= 2 and unit.section != "staff"):
            char = m.group("char")
            actors_text = mask_spans(m.group("actors"), paren_spans(m.group("actors")))
            if actor_first and "/" not in unit.text[: m.end("char") + 3]:
                right = CHAR_EPITHET_RE.match(actors_text.strip())
                if right is not None:  # the list reads "Actor — Character"
                    _emit_cast(ctx, unit, 0, char, right.group(), conf=0.85)
                continue
            for am in ACTOR_OR_STAGE_RE.finditer(actors_text):
                actor = am.group()
                left_person = ctx.people.knows(char) or ctx.lex.known_actor(char)
                if left_person and not (ctx.people.knows(actor) or ctx.lex.known_actor(actor)):
                    _emit_cast(ctx, unit, 0, char, actor, conf=0.88)  # the article wrote "Actor: Character"
                else:  # a stage name in capitals ("KENN") only beside other names of the list
                    _emit_cast(ctx, unit, 0, actor, char, conf=0.88, stage_ok=True)


def _actor_first_votes(ctx: PeopleContext, colon: list[tuple[Unit, re.Match[str]]]) -> int:
    """Evidence that ``Name — Name`` lines put the actor first (> 0) or the character first (< 0)."""
    votes = 0
    for _, m in colon:
        left = m.group("char")
        right_m = CHAR_EPITHET_RE.match(mask_spans(m.group("actors"), paren_spans(m.group("actors"))).strip())
        if right_m is None or right_m.end() < len(m.group("actors").split("(")[0].strip()):
            votes -= 1  # several names on the right: the actors of one character
            continue
        right = right_m.group()
        nl, nr = len(left.split()), len(right.split())
        actor_left, actor_right = ctx.lex.known_actor(left), ctx.lex.known_actor(right)
        if actor_left != actor_right:  # the gazetteer knows one side as a voice actor
            votes += 3 if actor_left else -3
        elif ctx.is_character_name(right) or (ctx.people.knows(left) and not ctx.people.knows(right)):
            votes += 2
        elif ctx.is_character_name(left) or (ctx.people.knows(right) and not ctx.people.knows(left)):
            votes -= 2
        elif nl == 2 and (nr == 1 or nr >= 3):
            votes += 1
        elif nr == 2 and (nl == 1 or nl >= 3):
            votes -= 1
    return votes


CAST_INTRO_RE = re.compile(r"\bcast\b.*:\s*$", re.IGNORECASE)


def _own_line(text: str, unit: Unit) -> bool:
    """The unit is a whole line of the page (a list item), bullets aside."""
    before = text[: unit.start].rstrip(" \t•*·▪►-–—")
    return (not before or before.endswith("\n")) and text[unit.end :].lstrip(" \t")[:1] in {"", "\n"}


def _after_cast_intro(ctx: PeopleContext, unit: Unit) -> bool:
    """The line follows (through other list lines) a line like "The Japanese voice cast is led by:"."""
    i = next(k for k, u in enumerate(ctx.units) if u.start == unit.start)  # unit may be a cleaned copy
    for prev in reversed(ctx.units[max(0, i - 12) : i]):
        if CAST_INTRO_RE.search(prev.text):
            return True
        if prev.kind != "line" or len(prev.text.split()) > 8:
            return False
    return False


def _paren_cast_lines(ctx: PeopleContext, lines: list[tuple[Unit, re.Match[str]]]) -> None:
    """ "Name (Name)" lines: which side is the actor is decided once for the whole list.

    Evidence for "Character (Actor)": an outer name of one word or of three and more words (characters
    have epithets and middle names, actors are given+family name) with a two-word name inside, or an
    outer name the article already knows as a character / an inner one it knows as a person. The
    reverse evidence counts for "Actor (Character)", which is the default.
    """
    if not lines:
        return
    char_first = 0
    for _, m in lines:
        outer, inner = m.group("actor"), m.group("char")
        no, ni = len(outer.split()), len(inner.split())
        if ctx.is_character_name(outer) or (ctx.people.knows(inner) and not ctx.people.knows(outer)):
            char_first += 2
        elif ctx.is_character_name(inner) or (ctx.people.knows(outer) and not ctx.people.knows(inner)):
            char_first -= 2
        elif ni == 2 and (no == 1 or no >= 3):
            char_first += 1
        elif no == 2 and (ni == 1 or ni >= 3):
            char_first -= 1
    for unit, m in lines:
        actor, char = m.group("actor"), m.group("char")
        if char_first > 0:
            actor, char = char, actor
        _emit_cast(ctx, unit, 0, actor, char, conf=0.85, allow_title=False)


CAST_LABEL_RE = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(?i:cast|voice\s+cast|cast\s+members)\s*[:：]\s*(?P<list>.+)$"
)
PAIR_IN_LIST_RE = re.compile(
    rf"(?P<actor>{PERSON})\s*\((?:(?i:as|voicing|cv)\s*:?\s*)?(?P<char>{CHAR_NAME})\)"
)


COLON_PAIR_IN_LIST_RE = re.compile(
    rf"(?:^|(?<=[,;]\s))(?P<char>{CHAR_NAME})\s*[:：]\s*(?P<actor>{PERSON})(?=\s*(?:[,;(]|$))"
)


def cast_label_lines(ctx: PeopleContext) -> None:
    """``Cast: Actor (Character), Actor (Character)``; ``Cast: Character: Actor, Character: Actor``."""
    for unit in ctx.units:
        m = CAST_LABEL_RE.match(unit.text)
        if not m:
            continue
        for pm in COLON_PAIR_IN_LIST_RE.finditer(m.group("list")):
            _emit_cast(
                ctx, unit, m.start("list") + pm.start(), pm.group("actor"), pm.group("char"), conf=0.85
            )
        for pm in PAIR_IN_LIST_RE.finditer(m.group("list")):
            _emit_cast(
                ctx, unit, m.start("list") + pm.start(), pm.group("actor"), pm.group("char"), conf=0.85
            )


def _respectively(ctx: PeopleContext, unit: Unit) -> None:
    """ "A and B are joining the cast as X and Y, respectively"; "A joins the cast as X, Y's father"."""
    masked = unit.masked
    runs = name_runs(masked, stop=ctx.lex.stop_tokens, allow_numbers=True)
    groups = group_runs(masked, runs)
    for m in AS_GROUP_RE.finditer(masked):
        after = [g for g in groups if g[0].start == m.end()]
        if not after:
            continue
        chars = after[0]
        before = [g for g in groups if g[-1].end <= m.start()]
        if not before:
            continue
        actors = before[-1]
        between = masked[actors[-1].end : m.start()]
        if not re.search(r"\bcast\b|\broles?\b", between) or len(" ".join(between.split())) > 80:
            continue
        respectively = re.match(r"^[\s,]*respectively", masked[chars[-1].end :]) is not None
        if len(actors) == len(chars) and (respectively or len(actors) == 1):
            pairs = list(zip(actors, chars, strict=True))
        elif len(actors) == 1:
            pairs = [(actors[0], chars[0])]
        else:
            continue
        for actor, char in pairs:
            full = actor.text if len(actor.tokens) >= 2 else ctx.people.resolve(actor.text)
            if full:
                _emit_cast(ctx, unit, actor.start, full, char.text, conf=0.85)


def _who_voiced(ctx: PeopleContext, unit: Unit, m: re.Match[str]) -> None:
    """The returning actor plays the role in the new work and, if the clause names it, in the earlier one."""
    _emit_cast(ctx, unit, m.start(), m.group("actor"), m.group("char"), conf=0.8)
    work = ctx.subject(unit.start + m.start())
    if work is None or not ctx.lex.previous_work_re.search(m.group("rest")):
        return
    earlier = ctx.previous_work(work, first=True)
    if earlier is None or earlier is work:
        return
    char = _fuller_name(ctx, _clean_char(m.group("char")), m.group("actor"))
    if not _valid_char(char, ctx) or not looks_like_person(m.group("actor"), org_heads=ctx.lex.org_heads):
        return
    _cast(
        ctx, unit, work=earlier.name, actor=m.group("actor"), char=char, confidence=0.75, character_fact=False
    )


VOICE_LABEL = r"(?i:c\.?v\.?|va|voice(?:d\s+by|\s+actor|\s+actress)?|japanese|english|jp|en|ja|seiyuu?)"
CV_ANY_RE = re.compile(
    rf"(?P<char>{CHAR_EPITHET})\s*(?:[(\[（]\s*(?P<inner>{VOICE_LABEL}\s*[:：.]?\s*[^()\[\]（）]{{3,90}}?)\s*[)\]）]"
    rf"|[—–-]\s*(?P<dash>{VOICE_LABEL}\s*[:：.]\s*{PERSON})\s*$)"
)
BARE_PAIR_RE = re.compile(rf"(?P<char>{CHAR_EPITHET})\s*\((?P<inner>{PERSON})\)")
LANGUAGE_LABEL_RE = re.compile(r"(?i:japanese|english|jp|en|ja)\b")
LABEL_PREFIX_RE = re.compile(rf"^{VOICE_LABEL}\s*[:：.]?\s*")


def cv_mentions(ctx: PeopleContext) -> set[int]:
    """ "Char (CV: A)", "Char [CV. A]", "Char (Japanese: A / English: B)", "Char – CV: A", anywhere in a unit.

    When a unit has such a labelled pair, its unlabelled "Char (A)" pairs read the same way round.
    Returns the starts of the units read, so the prose fallback leaves them alone.
    """
    done: set[int] = set()
    for unit in ctx.units:
        if "(" not in unit.text and "[" not in unit.text and "（" not in unit.text and "CV" not in unit.text:
            continue
        labelled = list(CV_ANY_RE.finditer(unit.text))
        if not labelled:
            continue
        castish = unit.section == "cast" or ctx.lex.cast_cue_re.search(unit.text) is not None
        labelled = [m for m in labelled if castish or not LANGUAGE_LABEL_RE.match(m.group("inner") or "")]
        if not labelled:
            continue  # "Title (Japanese: Romaji Title)" is an alias, not a voice credit
        done.add(unit.start)
        for m in labelled:
            inner = m.group("inner") or m.group("dash") or ""
            for piece in re.split(r"\s*[/;,、]\s*|\s+and\s+", inner):
                name = LABEL_PREFIX_RE.sub("", piece.strip()).strip()
                if name and ACTOR_OR_STAGE_RE.fullmatch(name):
                    _emit_cast(ctx, unit, m.start(), name, m.group("char"), conf=0.88, stage_ok=True)
        for m in BARE_PAIR_RE.finditer(unit.text):
            if not any(lm.start() <= m.start() < lm.end() for lm in labelled):
                _emit_cast(ctx, unit, m.start(), m.group("inner"), m.group("char"), conf=0.8)
    return done


def prose_cast(ctx: PeopleContext) -> None:
    """Cast in sentences: "A as X", "A will play the idol X", "X is voiced by A", "A (X)" in cast lists."""
    cv_units = cv_mentions(ctx)
    for unit in ctx.units:
        if unit.kind == "line" and (AS_LINE_RE.match(unit.text) or COLON_LINE_RE.match(unit.text)):
            continue
        if not ctx.lex.cast_cue_re.search(unit.text) and not _known_actor_as(ctx, unit.text):
            continue
        # titles stay visible: a character may share the show's name ("X again voices Frieren")
        masked = mask_spans(unit.text, paren_spans(unit.text) + quote_spans(unit.text))
        pairs: list[tuple[int, str, str, bool]] = []
        low = lowered(masked)  # word gates: each pattern runs only where its literals are

        def scan(
            pat: re.Pattern[str], masked: str = masked, low: str | None = low
        ) -> Iterator[re.Match[str]]:
            return pat.finditer(masked) if gate_of(pat).admits(masked, low) else iter(())

        for wm in scan(WHO_VOICED_RE):
            _who_voiced(ctx, unit, wm)
        for im in scan(INVERTED_CAST_RE):
            pairs.append((im.start("actor"), im.group("actor"), im.group("char"), False))
        for vm in scan(VOICE_APPOS_RE):
            actor, char = vm.group("actor") or vm.group("actor2"), vm.group("char") or vm.group("char2")
            pairs.append((vm.start(), actor, char, False))
        paired: list[tuple[int, int]] = []  # "A and B starred as X and Y": one pair each, in order
        for pm in scan(PAIRED_AS_RE):
            pairs.append((pm.start("a1"), pm.group("a1"), pm.group("c1"), False))
            pairs.append((pm.start("a2"), pm.group("a2"), pm.group("c2"), False))
            paired.append((pm.start(), pm.end()))
        for pat in (AS_PAIR_RE, PLAY_RE, VOICED_BY_RE, VOICE_OF_RE):
            for m in scan(pat):
                if any(s <= m.start("actor") < e for s, e in paired):
                    continue
                band = MEMBER_OF_BAND_RE.search(masked[: m.start("actor")])
                if band is not None:  # the named band is an organisation; its singer is the actor
                    pairs.append((band.start("person"), band.group("person"), m.group("char"), True))
                    continue
                if pat is AS_PAIR_RE and masked[: m.start()].rstrip().endswith(("with", "With")):
                    continue
                if pat is PLAY_RE:  # "A and B will voice X and Y"
                    more_actors = re.search(
                        rf"({PERSON})\s*(?:,\s*(?:and\s+)?|\s+and\s+)$", masked[: m.start()]
                    )
                    if more_actors and any(
                        c.start("char") <= more_actors.start(1) < c.end("char")
                        for c in PLAY_RE.finditer(masked)
                    ):
                        more_actors = None  # that name is the previous clause's character
                    more_chars = re.match(
                        rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)({CHAR_NAME})", masked[m.end() :]
                    )
                    if more_actors and more_chars:
                        pairs.append((more_actors.start(1), more_actors.group(1), m.group("char"), False))
                        pairs.append((m.start(), m.group("actor"), more_chars.group(1), False))
                        continue
                    if more_actors:
                        continue  # several actors, one character: ambiguous
                pairs.append((m.start(), m.group("actor"), m.group("char"), False))
                if pat is VOICED_BY_RE:
                    more = AND_BY_RE.match(masked, m.end())
                    if more is not None:  # "voiced by A in Japanese and by B in English"
                        pairs.append((more.start("actor"), more.group("actor"), m.group("char"), False))
        sentence_chars = frozenset(_clean_char(c) for _, _, c, _ in pairs)
        for offset, actor, char, stage in pairs:
            _emit_cast(
                ctx, unit, offset, actor, char, conf=0.85, sentence_chars=sentence_chars, stage_ok=stage
            )
        found = len(pairs)
        _respectively(ctx, unit)
        if found or unit.start in cv_units or not re.search(r"\bcast\b|\bvoice", unit.text, re.IGNORECASE):
            continue
        if re.search(r"\bas\b", masked):
            continue
        for span in paren_spans(unit.text):
            inner = unit.text[span[0] + 1 : span[1] - 1].strip()
            inner = re.sub(r"\s+[\"“][^\"”]{1,30}[\"”]\s+", " ", inner)  # Shigeo "Mob" Kageyama
            before = mask_spans(unit.text[: span[0]], paren_spans(unit.text[: span[0]])).rstrip()
            am = re.search(rf"({RUN_RE.pattern})$", before)
            if not am or not CHAR_NAME_RE.fullmatch(inner):
                continue
            if any(t[:1].islower() for t in inner.split()) or inner in ctx.lex.places:
                continue
            _emit_cast(ctx, unit, am.start(), am.group(1), inner, conf=0.8, allow_title=False)
