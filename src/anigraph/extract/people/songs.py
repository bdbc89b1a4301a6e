"""Theme songs: opening/ending/insert songs with their performers."""

from __future__ import annotations

import re

from anigraph.extract.people.context import PeopleContext, Unit

KIND = r"(?P<kind>(?i:opening|ending|insert|closing)|OP|ED)"
THEME = rf"{KIND}(?i:\s+theme)?(?i:\s+song)?(?i:\s+theme)?"
QUOTED = r"(?:\"(?P<q1>[^\"]{1,80})\"|“(?P<q2>[^”]{1,80})”|「(?P<q3>[^」]{1,80})」)"
BARE_TITLE = r"(?P<bare>[A-Z0-9][^,.;:\"“”]{0,60}?)"
# "the first opening theme" (of a cour), "the new ending theme"
ORDINAL = r"(?:(?i:new|first|second|third|fourth|1st|2nd|3rd|4th|final|main)\s+)?"
SING_VERB = (
    r"(?i:perform(?:s|ed|ing)?|perform's|sings?|sang|sung|singing"
    r"|will\s+(?:perform|sing)|provid(?:es|ed|ing))"
)
# "Artist performs the (show's) opening theme song "Title"" / "Artist sings the ending theme, Title."
SEASONAL = r"(?:(?i:season|part|cour)\s+\d+\s+)?"  # "performs the Season 2 opening theme"
VERB_FIRST_RE = re.compile(
    rf"\b{SING_VERB}\s+(?:both\s+)?(?i:the\s+)?(?:(?:[\w\-]+\s+)?[\w'’]+(?:'s|’s|s'|s’)\s+)?{SEASONAL}{ORDINAL}{THEME}"
    rf"(?:\s*,?\s*(?:(?i:this\s+time\s+)?(?i:titled|called|named|entitled)\s+)?{QUOTED}"
    rf"|\s*,\s*{BARE_TITLE}\s*(?=[.,;]|$))?"
)
# "the four actresses perform as Kessoku Band on the opening theme song, "Title""
PERFORM_AS_RE = re.compile(
    rf"\b{SING_VERB}\s+as\s+(?P<perf>[^,.;()\"“”]{{1,60}}?)\s+(?i:on|for)\s+(?i:the\s+)?"
    rf"(?:[\w'’]+(?:'s|’s|s'|s’)\s+)?{THEME}\s*,?\s*{QUOTED}"
)
# "the opening theme, Rouge, by Yu-ka" / "the ending theme song "Title" by Artist"
TITLE_FIRST_RE = re.compile(
    rf"\b{THEME}\s*,?\s*(?:(?i:is|was|will\s+be)\s+)?(?:(?i:titled|called|named|entitled)\s+)?"
    rf"(?:{QUOTED}|(?P<bare>[A-Z0-9][^,.;:\"“”]{{0,60}}?))\s*,?\s*(?:\([^)]*\)\s*)?"
    r"(?:(?:is|was|will\s+be)\s+)?(?:(?:a\s+)?(?:duet|collaboration|song|track)\s+(?:between|by|from)\s+"
    r"|(?:performed\s+|sung\s+|provided\s+)?by\s+)(?P<perf>[^,.;()\"“”]{1,60})",
)
# "The opening theme is Aimer's "Title"" / "Opening Theme: Aimer "Title""
POSSESSIVE_PERF_RE = re.compile(
    rf"\b{THEME}\s+(?:(?i:is|will\s+be|was)\s+)(?P<perf>[^,.;\"“”]{{1,40}}?)(?:'s|’s)\s+(?:(?i:new)\s+)?"
    rf"(?:(?i:song|single|track)\s+)?{QUOTED}"
)
# "YOASOBI's opening "Idol" became a hit", "Kessoku Band's opening song "Title""
POSSESSIVE_THEME_RE = re.compile(
    rf"(?<![\w'’])(?P<perf>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){{0,3}})(?:'s|’s)\s+{ORDINAL}{THEME}\s*,?\s*{QUOTED}"
)
# "Aimer's new song "Title" will be the opening theme" / ""Title" by Aimer serves as the ending theme"
QUOTED_R = QUOTED.replace("q1", "r1").replace("q2", "r2").replace("q3", "r3")
SONG_FIRST_RE = re.compile(
    rf"(?:(?P<perf>[A-Z][^,.;\"“”]{{0,40}}?)(?:'s|’s)\s+(?:(?i:new|latest)\s+)?(?:(?i:song|single|track)\s+)?{QUOTED}"
    rf"|{QUOTED_R}\s+(?i:by)\s+(?P<perf2>[^,.;\"“”]{{1,40}}?))"
    r",?\s+(?i:will\s+be|is|was|serves\s+as|will\s+serve\s+as|becomes|will\s+become"
    r"|(?:will\s+be|is|was|has\s+been)\s+(?:used|chosen|selected)\s+as)\s+(?i:the)\s+"
    rf"(?:[\w'’]+(?:'s|’s|s'|s’)?\s+)?(?:(?i:new)\s+)?{THEME}"
)
# "For the second cour, Aimer took over the opening with "Title""
TOOK_OVER_RE = re.compile(
    rf"\b(?i:took\s+over|takes\s+over|will\s+take\s+over|handles|handled|will\s+handle)\s+(?i:the\s+)?"
    rf"{ORDINAL}{THEME}\s+(?i:with)\s+{QUOTED}"
)
# the song named in the next sentence: "Aimer returns to sing the opening theme. Her new song "Title" …"
NEXT_SONG_RE = re.compile(
    rf"^(?i:his|her|their|its|the)\s+(?:(?i:new|latest)\s+)?(?i:song|single|track|theme)\s*,?\s*{QUOTED}"
)
PERF_FIRST_LINE_RE = re.compile(rf"^{THEME}\s*[:：]\s*(?P<perf>[^\"“”:]{{1,50}}?)\s*[-–—]?\s*{QUOTED}\s*$")
# "…, and Yui Kaneko the ending theme "Title"" (the verb is left out)
GAPPED_RE = re.compile(
    rf"(?:,\s+|\s+)(?:and|while)\s+(?P<perf>[^,;\"“”]{{1,40}}?)\s+(?i:the)\s+(?:[\w'’]+\s+)?{THEME}\s*,?\s*{QUOTED}"
)
LABEL_LINE_RE = re.compile(
    rf"^{THEME}(?:\s*[:：]|\s+[—–-])\s*(?:{QUOTED}|(?P<bare>[^\"“”]{{1,60}}?))\s*(?:\([^)]*\)\s*)?"
    r"(?:(?:performed\s+|sung\s+)?by\s+|[-–—]\s*)(?P<perf>[^,;()]{1,60}?)\s*$",
    re.IGNORECASE,
)
PREDICATES = {
    "opening": "opening_theme",
    "op": "opening_theme",
    "ending": "ending_theme",
    "closing": "ending_theme",
    "ed": "ending_theme",
    "insert": "insert_song",
}
CLAUSE_START_RE = re.compile(
    r"(?:^|[.;!?][\"”']?\s+|,[\"”']?\s+(?:while|and|whereas|but)\s+|\bwhile\s+|\band\s+(?=[A-Z]))"
)


def _title(m: re.Match[str]) -> str | None:
    for key in ("q1", "q2", "q3", "r1", "r2", "r3", "bare"):
        value = m.groupdict().get(key)
        if value:
            value = value.strip().rstrip(".,").strip()
            return value or None
    return None


def _performer_before(text: str, ctx: PeopleContext) -> str | None:
    """The performer named in the clause before a singing verb."""
    # "GEMN, a unit formed by A and B, performs": the appositive before the verb is not the performer
    text = re.sub(r",\s+(?:a|an|the|who|which)\b[^,;]{1,120},\s*$", " ", text)
    starts = [m.end() for m in CLAUSE_START_RE.finditer(text)]
    clause = text[max(starts) if starts else 0 :]
    clause = re.sub(r"\([^)]*\)", " ", clause)
    clause = re.sub(r",\s*(?:who|which|that)\s*$", "", clause.rstrip())
    appositive = re.match(r"^(?P<name>[^,]+),\s+(?:the|a|an|who|which)\b", clause)
    if appositive:  # "Aina The End, the singer who …, performs"
        clause = appositive.group("name")
    clause = re.sub(r"^(?:For|In|On|With|During|Meanwhile|As\s+for)\b[^,]{0,40},\s*", "", clause.strip())
    clause = re.sub(  # "Aimer returns for a third time to sing": the performer is before the verb phrase
        r"\s+(?:returns?|returning|comes\s+back|is\s+back|steps\s+in|is\s+set|was\s+chosen|was\s+tapped)"
        r"(?:\s+for\s+(?:a|the)\s+\w+\s+time)?\s+to\s*$",
        "",
        clause,
    )
    clause = re.sub(r"\b(?:also|will|personally|again|is|are|was|were|both|then|now)\b", " ", clause)
    clause = re.sub(r"\s+", " ", clause).strip()
    described = ctx.lex.performer_descriptor_re.sub("", clause).strip()
    if described != clause and re.match(r"^The [A-Z0-9]", described):  # "the rock band The Birthday"
        return described if len(described.split()) <= 4 else None
    return _valid_performer(described, ctx)


def _next_sentence_song(ctx: PeopleContext, unit: Unit, m: re.Match[str]) -> str | None:
    """The title the next sentence names when this one ends with the theme ("… sing the opening theme.")."""
    if unit.text[m.end() :].strip(" .!") or unit.kind != "sentence":
        return None
    i = ctx.units.index(unit)
    if i + 1 >= len(ctx.units):
        return None
    nxt = ctx.units[i + 1]
    if nxt.start - unit.end > 3:
        return None
    sm = NEXT_SONG_RE.match(nxt.text)
    return _title(sm) if sm else None


def _valid_performer(name: str, ctx: PeopleContext) -> str | None:
    name = name.strip().strip(",.;:").strip()
    name = re.sub(r"\s+(?:plays|play|playing|in the background|in|on|for)\b.*$", "", name).strip()
    name = re.sub(r"\s+and\s+(?:the|its|their|his|her|a)\b.*$", "", name).strip()
    name = ctx.lex.performer_descriptor_re.sub("", name).strip()
    if not name or len(name.split()) > 5 or not re.search(r"\w", name):
        return None
    first = name.split()[0]
    if first in ctx.lex.stop_tokens or first.casefold() in ("the", "a", "an", "it", "they", "he", "she"):
        return None
    if len(name.split()) == 1:
        return ctx.people.resolve(name) or ctx.candidate_people().get(name.casefold()) or name
    return name


def _emit(ctx: PeopleContext, unit: Unit, offset: int, kind: str, title: str, perf: str | None) -> None:
    pred = PREDICATES.get(kind.casefold())
    work = ctx.subject(unit.start + offset)
    if pred is None or work is None:
        return
    window = unit.text[max(0, offset - 40) : offset + 40]
    if ctx.lex.previous_work_re.search(window):
        prev = ctx.previous_work(work, first="first" in window.casefold())
        if prev is None:
            return
        work = prev
    quals = {"performer": perf} if perf else None
    if perf:
        ctx.non_characters.add(perf.casefold())
    ctx.emit(
        subject=work.name,
        predicate=pred,
        obj=title,
        start=unit.start,
        end=unit.end,
        qualifiers=quals,
        object_type="song",
        confidence=0.88,
    )


def theme_songs(ctx: PeopleContext) -> None:
    for unit in ctx.units:
        text = unit.text
        if not re.search(r"\b(?:opening|ending|insert|closing|OP|ED)\b", text, re.IGNORECASE):
            continue
        lm = PERF_FIRST_LINE_RE.match(text) or LABEL_LINE_RE.match(text)
        if lm:
            title = _title(lm)
            if title:
                _emit(ctx, unit, 0, lm.group("kind"), title, _valid_performer(lm.group("perf"), ctx))
            continue
        for m in VERB_FIRST_RE.finditer(text):
            title = _title(m)
            if not title:
                title = _next_sentence_song(ctx, unit, m)
            if not title:
                continue
            _emit(ctx, unit, m.start(), m.group("kind"), title, _performer_before(text[: m.start()], ctx))
        for m in TOOK_OVER_RE.finditer(text):
            title = _title(m)
            if title:
                _emit(ctx, unit, m.start(), m.group("kind"), title, _performer_before(text[: m.start()], ctx))
        verb_first = list(VERB_FIRST_RE.finditer(text))
        for m in GAPPED_RE.finditer(text):
            if any(v.end() <= m.start() for v in verb_first) and not re.search(
                rf"\b{SING_VERB}\b|\b(?:is|are|will|was)\b", m.group("perf")
            ):
                title = _title(m)
                if title:
                    _emit(
                        ctx, unit, m.start(), m.group("kind"), title, _valid_performer(m.group("perf"), ctx)
                    )
        for m in SONG_FIRST_RE.finditer(text):
            title = _title(m)
            perf = m.group("perf") or m.group("perf2")
            if title and perf:
                _emit(ctx, unit, m.start(), m.group("kind"), title, _valid_performer(perf, ctx))
        for m in POSSESSIVE_THEME_RE.finditer(text):
            title = _title(m)
            perf = m.group("perf")
            if title and ctx.work_by_title(perf) is None:  # "Frieren's opening": a show, not a singer
                _emit(ctx, unit, m.start(), m.group("kind"), title, _valid_performer(perf, ctx))
        for m in POSSESSIVE_PERF_RE.finditer(text):
            title = _title(m)
            if title:
                _emit(ctx, unit, m.start(), m.group("kind"), title, _valid_performer(m.group("perf"), ctx))
        for m in PERFORM_AS_RE.finditer(text):
            title = _title(m)
            if title:
                _emit(ctx, unit, m.start(), m.group("kind"), title, _valid_performer(m.group("perf"), ctx))
        for m in TITLE_FIRST_RE.finditer(text):
            title = _title(m)
            if title:
                _emit(ctx, unit, m.start(), m.group("kind"), title, _valid_performer(m.group("perf"), ctx))
