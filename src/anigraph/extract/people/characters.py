"""Characters (cue-based and from synopses), their affiliations, and people's known_for works."""

from __future__ import annotations

import re

from anigraph.extract.people.context import CharCandidate, PeopleContext, Unit, known_organisation
from anigraph.extract.people.lexicon import PeopleLexicon
from anigraph.extract.people.names import (
    CHAR_NAME,
    TOKEN,
    Run,
    edit_distance_le1,
    group_runs,
    looks_like_person,
    mask_spans,
    name_runs,
    paren_spans,
    quote_spans,
)
from anigraph.names import fold

PERSON = rf"(?<![\w.'’-]){TOKEN}(?: {TOKEN}){{0,3}}"
DETERMINERS = r"(?i:the|an?|his|her|their|its|our|your)"
REAL_ROLE_RE = re.compile(r"\b(?:head|member|chief|boss|manager|coach|player|officer|leader)\b")
REAL_WORLD_RE = re.compile(
    r"\b(?:studio|company|production|committee|publisher|magazine|network|channel|university|festival|"
    r"corporation|agency|label|band|group|association)\b",
    re.IGNORECASE,
)
STAFF_NOUN_RE = re.compile(
    r"\s*(?:designer|director|writer|artist|animator|composer|producer|illustrator|author|actor|actress)s?\b"
)
EPITHET_BEFORE_RE = re.compile(rf"{TOKEN} the $")
PERSONA_NOUNS = frozenset({"figure", "being", "entity", "stranger", "individual", "person"})
FOLLOWS_RE = re.compile(r"\bfollows\b")
STARS_RE = re.compile(r"\b(?:stars|starring)\b")
# "a spin-off (manga) that stars X": in print, the one starring is a character, not an actor
PRINT_SUBJECT_RE = re.compile(
    r"\b(?:manga|spin-?offs?|novels?|story|book|webtoon|comic|chapter|volume|one-shot)\b[^.;]{0,15}$"
)
STORY_SUBJECT_RE = re.compile(
    r"(?:\b(?:story|stories|series|anime|film|manga|show|plot|novels?|season|sequel|movie|tale|narrative|episodes?"
    r"|it|which|arc|adaptation|game|spinoff|spin-off|prequel|OVA|ONA|special)|§)"
    r"(?:\s+(?:also|now|still|again|once\s+again|then|will|mainly|largely|closely))*\s*$",
    re.IGNORECASE,
)
NAME_FOLLOWERS = frozenset(
    {"and", "or", "but", "with", "to", "in", "on", "at", "for", "from", "of", "as", "who", "whose", "while"}
    | {"when", "after", "before", "into", "again", "too", "also", "then", "by", "until", "since", "so"}
)
NOT_A_NAME_RE = re.compile(r"^(?:\S|[\d\W]+|[A-Z]\.?(?: [A-Z]\.?)*)$")  # one letter, a number, initials
LIVE_ACTION_RE = re.compile(r"\blive[- ]action\b|\bactors?\b|\bactress(?:es)?\b|\bdrama\b", re.IGNORECASE)
MAX_SYNOPSIS_UNITS = 40  # a synopsis is a paragraph, not the rest of a long document
PLACE_PREPS = frozenset(
    [
        "in",
        "on",
        "at",
        "to",
        "from",
        "into",
        "onto",
        "near",
        "across",
        "toward",
        "towards",
        "inside",
        "outside",
        "within",
        "through",
        "of",
        "via",
        "over",
        "under",
        "around",
        "behind",
        "beyond",
    ]
)
DET_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "their",
        "his",
        "her",
        "its",
        "our",
        "your",
        "this",
        "these",
        "those",
        "that",
        "every",
        "each",
    ]
)
SPLIT_TITLES_RE = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*")
TITLE_CUT_RE = re.compile(
    r"\s+(?:in|at|on|from|for|with|during|since|until|and)\s+(?=[A-Z0-9])|\s*[(;]|[.,](?:\s|$)"
)


def _propose(
    ctx: PeopleContext,
    unit: Unit,
    offset: int,
    name: str,
    *,
    conf: float,
    allow_title: bool = True,
    description: str | None = None,
) -> bool:
    name = re.sub(r"(?:'s|’s|'|’)$", "", name.strip().rstrip(".,;:!?")).strip()
    tokens = name.split()
    while tokens and tokens[0].rstrip(".") in ctx.lex.stop_tokens and tokens[0] not in ("Dr.", "Mr.", "Ms."):
        tokens = tokens[1:]
    if len(tokens) >= 3 and tokens[0] in ctx.lex.ranks:  # "Captain Hana Ito" -> "Hana Ito"
        tokens = tokens[1:]
    name = " ".join(tokens)
    if not name or not _plausible_character(ctx, name, allow_title=allow_title):
        return False
    work = ctx.subject(unit.start + offset)
    if work is not None and fold(name) in {fold(n) for n in (work.name, *work.aliases)}:
        # the "title" found here is the character's own name: keep the surrounding subject
        earlier = ctx.subject(unit.start - 1) if unit.start > 0 else None
        work = earlier if earlier is not None and earlier is not work else ctx.adoc.main_work
    if work is None:
        return False
    ctx.char_candidates.append(CharCandidate(work.name, name, unit, conf, _short(description)))
    return True


def _short(description: str | None) -> str | None:
    """A description phrase cut at the first clause break, or None when it is not a short phrase."""
    if not description:
        return None
    text = re.split(r"[,;.:]\s|\s(?:who|which|that|and)\s", " ".join(description.split()) + " ")[0].strip()
    return text if 2 <= len(text) <= 60 else None


def _plausible_character(ctx: PeopleContext, name: str, *, allow_title: bool = False) -> bool:
    key = fold(name)
    if not key or key in ctx.non_characters or name.casefold() in ctx.non_characters:
        return False
    if ctx.people.knows(name) and not ctx.is_character_name(name):
        return False
    tokens = name.split()
    if tokens[-1] in ctx.lex.org_heads or any(t in ctx.lex.places for t in tokens):
        return False
    if NOT_A_NAME_RE.match(name) or known_organisation(name) or known_organisation(name.split()[0]):
        return False  # digits, one letter, initials; a studio, broadcaster, service or publisher
    if all(t in ctx.lex.genre_words for t in tokens):
        return False  # "Isekai", "Magical Girl": a genre
    if tokens[0] in ctx.lex.group_lead_words:
        return False  # "Team Velocity", "Class 1-A", "Act 2": a group or a part of the story
    if name in ctx.orgs or any(fold(o) == key for o in ctx.orgs):
        return False
    for title in [] if allow_title else ctx.titles():
        ft = fold(title)
        if key == ft or f" {key} " in f" {ft} ":
            return False
    return ctx.lex.label_predicates(name) is None


TITLE_LIST_END_RE = re.compile(r",\s+(?=[a-z])|;|\.\s+(?=[A-Z])|\.?\s*$")
TITLE_SPLIT_RE = re.compile(
    r"\s*,\s*(?:and\s+|&\s+)?(?=[A-Z0-9\"“])|\s+and\s+(?=[A-Z0-9\"“])|\s*&\s*(?=[A-Z0-9])"
)
ONE_TITLE = r"(?P<titles>[A-Z0-9\"“][^,;]*?)(?=,|;|\.\s|\.?$)"
ROLE_NOUN = (
    r"(?:original\s+)?(?:creator|author|mangaka|artist|director|writer|screenwriter|composer|designer)"
)


# A gate: words a text must hold for a pattern to match in it, one of each group (case-sensitive
# literals every match contains); the costly pattern runs only on texts that pass.
Gate = tuple[tuple[str, ...], ...]
_POSSESSIVE: Gate = (("'s", "’s"),)
_ROLE_WORDS = ("creator", "author", "mangaka", "artist", "director", "writer", "composer", "designer")


def passes(text: str, gate: Gate) -> bool:
    for group in gate:
        for word in group:
            if word in text:
                break
        else:
            return False
    return True


def _known_for_patterns(ctx: PeopleContext) -> list[tuple[re.Pattern[str], str, Gate]]:
    """(pattern, title mode "list", "one" or "cut", gate): "known for …", "the creator of …", …"""
    nouns = ctx.lex.known_for_nouns_re
    person = rf"(?P<person>{PERSON}|[A-Z][A-Z0-9]+(?: [A-Z][A-Z0-9]+)?)"
    # a lone surname too ("Miyazaki, known for …"): _person() keeps it only if the article names them in full
    person_or_surname = rf"(?P<person>{PERSON}|[A-Z][A-Z0-9]+(?: [A-Z][A-Z0-9]+)?|(?<![\w.'’-])[A-Z][a-z]+)"
    return [
        (
            re.compile(
                rf"{person_or_surname}(?:,\s+(?:a|an|the)\s+[\w\s'-]{{0,40}}?)?\s*,?\s+(?:who\s+is\s+|is\s+)?"
                rf"(?:(?:best|also|widely|well)\s+)?known\s+for\s+"
                r"(?:(?:playing|voicing)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,3}in\s+)?"  # "playing X in T"
                r"(?:(?:directing|writing|creating|composing|scoring|designing|producing|animating|drawing)\s+)?"
                rf"(?:(?:his|her|their|the)\s+)?(?:(?:{nouns})\s+)?"
                r"(?:(?:like|such as|including)\s+)?(?P<titles>[^;]+)"
            ),
            "list",
            (("known",),),
        ),
        (  # "Director Yamashiro previously worked as an episode director on Devilman Crybaby"
            re.compile(
                rf"{person_or_surname}\s+(?:has\s+)?(?:previously|also|formerly|earlier)\s+(?:has\s+)?worked\s+"
                r"(?:as\s+(?:an?\s+|the\s+)?[a-z][\w\s-]{1,40}?\s+)?on\s+(?:the\s+)?(?P<titles>[A-Z][^;]+)"
            ),
            "list",
            (("worked",), ("on",)),
        ),
        (
            re.compile(
                rf"{person}\s+(?:is\s+)?(?:(?:best|also|widely|well)\s+)?known\s+as\s+the\s+{ROLE_NOUN}"
                rf"(?:\s+and\s+[\w-]+)?\s+of\s+(?:the\s+)?{ONE_TITLE}"
            ),
            "one",
            (("known",),),
        ),
        (
            re.compile(
                rf"{person},\s+(?:the|who\s+is\s+the)\s+{ROLE_NOUN}\s+of\s+(?:the\s+)?"
                rf"(?:(?:manga|anime|series|hit|novel|light\s+novel|film)\s+)?{ONE_TITLE}"
            ),
            "one",
            ((",",), ("of",), _ROLE_WORDS),
        ),
        (
            re.compile(
                rf"{person},\s+who\s+(?:also\s+|previously\s+|famously\s+)?(?:created|wrote|drew|made|penned)\s+"
                rf"{ONE_TITLE}"
            ),
            "one",
            (("who",),),
        ),
        (
            re.compile(
                rf"{person}(?:'s|’s)\s+(?:other|previous|earlier|prior|best-known|hit|popular|debut|famous|past|"
                rf"recent)\s+(?:{nouns})\s+(?:include|includes|included|are|were|such as)\s+(?P<titles>[^;]+)"
            ),
            "list",
            _POSSESSIVE,
        ),
        (
            re.compile(
                rf"{person}(?:'s|’s)\s+(?:other|previous|earlier|prior|best-known|hit|popular|debut|"
                rf"previous\s+hit|famous)\s+(?:{nouns})\s+(?P<titles>[A-Z0-9][^.;]*)"
            ),
            "cut",
            _POSSESSIVE,
        ),
    ]


KIND_TAIL_RE = re.compile(
    r"\s+(?:light\s+novels?|web\s+novels?|novels?|manga(?:\s+series)?|series|anime(?:\s+series)?|films?|movies?"
    r"|games?|franchise)$"
)
WORKED_ON_RE = re.compile(
    r",\s+who\s+(?:also\s+|previously\s+|have\s+|has\s+)*(?:worked|collaborated)\s+(?:together\s+)?"
    r"(?:with\s+\w+\s+)?on\s+(?P<titles>[^;]+)"
)


def _split_titles(text: str, *, mode: str) -> list[str]:
    if mode == "list":
        end = TITLE_LIST_END_RE.search(text)
        text = text[: end.start()] if end else text
        pieces = TITLE_SPLIT_RE.split(text.strip())
    elif mode == "cut":
        cut = TITLE_CUT_RE.search(text)
        pieces = [text[: cut.start()] if cut and cut.start() > 0 else text]
    else:
        pieces = [text]
    out = []
    for piece in pieces:
        title = piece.strip().strip("\"“”'").rstrip(".,").strip()
        if title and (title[0].isupper() or title[0].isdigit()) and len(title.split()) <= 10:
            out.append(title)
    return out


_KF_CACHE: dict[int, list[tuple[re.Pattern[str], str, Gate]]] = {}


def known_for(ctx: PeopleContext) -> None:
    """ "X, known for his works A and B"; "X, the creator of A"; "X's earlier films include A and B"."""
    patterns = _KF_CACHE.get(id(ctx.lex))
    if patterns is None:
        patterns = _KF_CACHE[id(ctx.lex)] = _known_for_patterns(ctx)
    for unit in ctx.units:
        found: list[tuple[str, list[str]]] = []
        for pat, mode, gate in patterns:
            if not passes(unit.text, gate):
                continue
            for m in pat.finditer(unit.text):
                person = _person(ctx, m.group("person"))
                if person is None:
                    continue
                titles_text = m.group("titles")
                work = None if mode == "list" else ctx.work_title_at(titles_text)
                if work is not None:
                    best = max(
                        (
                            t
                            for t in (work.name, *work.aliases)
                            if titles_text.casefold().startswith(t.casefold())
                        ),
                        key=len,
                    )
                    titles = [titles_text[: len(best)]]
                else:
                    titles = _split_titles(titles_text, mode=mode)
                found.append((person, titles))
        for m in (
            WORKED_ON_RE.finditer(unit.text) if "who" in unit.text else ()
        ):  # "A and B, who also worked with her on X and Y"
            head = re.split(r"[.;:]\s", unit.text[: m.start()])[-1]
            people = [p for p in (_person(ctx, r.text) for r in _person_runs(ctx, head)) if p]
            titles = _split_titles(m.group("titles"), mode="list")
            found.extend((p, titles) for p in people)
        for person, titles in found:
            for title in titles:
                title = KIND_TAIL_RE.sub("", title).strip() or title  # "X light novels" -> "X"
                emit_known_for(ctx, person, title, unit, confidence=0.8)


def emit_known_for(ctx: PeopleContext, person: str, title: str, unit: Unit, *, confidence: float) -> None:
    """``person`` is known for the work ``title`` (which is then no character), as ``unit`` states."""
    ctx.non_characters.add(fold(title))
    ctx.emit(
        subject=person,
        subject_type="person",
        predicate="known_for",
        obj=title,
        start=unit.start,
        end=unit.end,
        object_type="work",
        confidence=confidence,
    )


def _person_runs(ctx: PeopleContext, text: str) -> list[Run]:
    return [
        r
        for r in name_runs(text, stop=ctx.lex.stop_tokens)
        if len(r.tokens) >= 2 and looks_like_person(r.text, org_heads=ctx.lex.org_heads)
    ]


def _person(ctx: PeopleContext, text: str) -> str | None:
    tokens = text.split()
    while tokens and tokens[0] in ctx.lex.stop_tokens:
        tokens = tokens[1:]
    name = " ".join(tokens)
    if name.isupper():
        return name if ctx.people.knows(name) else None
    if len(tokens) >= 2 and looks_like_person(name, org_heads=ctx.lex.org_heads):
        return ctx.people.add(name)
    if len(tokens) == 1:
        return ctx.people.resolve(name) or ctx.candidate_people().get(name.casefold())
    return None


def _cue_patterns(lex: PeopleLexicon) -> dict[str, re.Pattern[str]]:
    """The character cue patterns for one lexicon (compiled once)."""
    cached = _CUE_CACHE.get(id(lex))
    if cached is not None:
        return cached
    nouns, relations = lex.char_nouns_re, lex.relation_nouns_re
    named_re = re.compile(
        rf"\b(?P<noun>[a-z][\w\-]*|AI|A\.I\.),?\s+(?P<verb>named|called|known\s+as)\s+(?:the\s+)?(?P<char>{CHAR_NAME})"
    )
    descr_re = re.compile(
        rf"(?:\b{DETERMINERS}|(?:{PERSON})(?:'s|’s|'|’))\s+(?:[a-z][\w\-]*\s+){{0,2}}?(?:{nouns})\s*,?\s+"
        rf"(?:(?:is|was)\s+)?(?P<char>{CHAR_NAME})"
    )
    # "main character Tobi Ren", "new characters Rin Aoba and Drake Holt", "Characters: A, B, C"
    group = rf"{CHAR_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){CHAR_NAME})*"
    new_chars_re = re.compile(
        rf"(?:\b(?:new|main|lead|key|supporting|title|titular)\s+characters?\s*,?\s+|^(?i:(?:new\s+|main\s+)?"
        rf"characters?)\s*[:：]\s*)(?P<chars>{group})(?=\s*(?:[,.;:(]|$|\s+[a-z]))"
    )
    relation_of_re = re.compile(  # "the firstborn son of King Bosse"
        rf"\b(?:{relations})\s+of\s+(?:the\s+)?(?P<char>{CHAR_NAME})"
        r"(?=\s*(?:[,.;:!?]|$|\s(?:and|who|whose|in|from|to|at|as|is|was|has|had|but|while)\b))"
    )
    appos_re = re.compile(
        rf"(?P<char>{CHAR_NAME}),\s+(?i:the|an?)\s+(?P<desc>(?:[\w\-]+\s+){{0,4}}?)(?P<noun>{nouns})\b"
    )
    stars_re = re.compile(
        r"\b(?:stars|starring|centers?\s+on|centres?\s+on|centering\s+on|centred\s+on|centered\s+on|follows|"
        rf"focuses\s+on|revolves\s+around)\s+(?:(?:{PERSON})(?:'s|’s|'|’)\s+(?:{relations})\s+"
        rf"|(?:the\s+)?(?:[\w]+-)?(?:{nouns})\s+)?"
        rf"(?P<char>{CHAR_NAME})(?!\s*\(|\s+as\b|\s[A-Z]|['’]s\b|\s+(?:x|in|of|no|to|wa|ga|na)\s+[A-Z0-9])"
    )
    org_member_re = re.compile(
        r"(?P<org>(?:[A-Z][\w-]+\s+){1,3})(?:investigator|agent|officer|detective|captain|soldier|operative|"
        rf"pilot|commander|lieutenant|sergeant)\s+(?P<char>{CHAR_NAME})"
    )
    designs_re = re.compile(r"\bcharacter\s+designs?\s+(?:for|of)\s+")
    appear_re = re.compile(
        r"\s+(?:will\s+|also\s+|both\s+|then\s+)*(?:appear|appears|appearing|return|returns)\s+in\s+the\s+"
        r"(?:new\s+)?(?:film|anime|movie|series|show|episode|season|sequel|story|game)\b"
    )
    out = {
        "named": named_re,
        "descr": descr_re,
        "appos": appos_re,
        "stars": stars_re,
        "org_member": org_member_re,
        "designs": designs_re,
        "appear": appear_re,
        "relation_of": relation_of_re,
        "new_chars": new_chars_re,
    }
    _CUE_CACHE[id(lex)] = out
    return out


_CUE_CACHE: dict[int, dict[str, re.Pattern[str]]] = {}
_ORG_MEMBER_GATE: Gate = (
    (
        "investigator",
        "agent",
        "officer",
        "detective",
        "captain",
        "soldier",
        "operative",
        "pilot",
        "commander",
        "lieutenant",
        "sergeant",
    ),
)
_APPOS_CUE = re.compile(r",\s+(?i:the|an?)\s")  # what every "X, the …" apposition holds, found fast
_NAMED_GATE: Gate = (("named", "called", "known"),)
_STARS_GATE: Gate = (("star", "cent", "follows", "focuses", "revolves"),)


def _affiliation(ctx: PeopleContext, unit: Unit, org: str, *, conf: float) -> None:
    """The character just proposed belongs to ``org`` ("Europol investigator X", "X, Section 9")."""
    ctx.orgs.add(org)
    ctx.emit(
        subject=ctx.char_candidates[-1].name,
        subject_type="character",
        predicate="affiliation",
        obj=org,
        start=unit.start,
        end=unit.end,
        object_type="organization",
        confidence=conf,
    )


def cued_characters(ctx: PeopleContext) -> None:
    """Characters introduced by cues: "named X", "the android girl X", "X, the son of…", "stars X"."""
    lex = ctx.lex
    pats = _cue_patterns(lex)
    named_re, descr_re, appos_re, stars_re = pats["named"], pats["descr"], pats["appos"], pats["stars"]
    org_member_re, designs_re, appear_re = pats["org_member"], pats["designs"], pats["appear"]
    for unit in ctx.units:
        # titles stay visible: a character may share the show's name ("the elf mage Frieren")
        masked = mask_spans(unit.text, paren_spans(unit.text) + quote_spans(unit.text))
        for m in org_member_re.finditer(masked) if passes(masked, _ORG_MEMBER_GATE) else ():
            # "Europol investigator Gesicht"
            org = m.group("org").strip()
            if org.split()[0] in lex.stop_tokens or ctx.people.knows(org) or ctx.work_by_title(org):
                continue
            if _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.75):
                _affiliation(ctx, unit, org, conf=0.7)
        for m in named_re.finditer(masked) if passes(masked, _NAMED_GATE) else ():
            noun = m.group("noun").casefold()
            if (
                m.group("verb") != "named"
                and noun not in PERSONA_NOUNS
                and not re.fullmatch(lex.char_nouns_re, noun)
            ):
                continue  # "a drug called Nectar", "the power known as the Evil Eye": not a person
            if noun not in lex.not_character_nouns:
                adjective = [
                    w
                    for w in re.findall(r"\b[a-z][\w-]*", masked[max(0, m.start() - 30) : m.start()])[-1:]
                    if w not in DET_WORDS
                ]
                desc = " ".join([*adjective, m.group("noun")])
                _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.85, description=desc)
        for m in pats["new_chars"].finditer(masked) if "character" in masked.lower() else ():
            for cm in re.finditer(CHAR_NAME, m.group("chars")):
                _propose(ctx, unit, m.start("chars") + cm.start(), cm.group(), conf=0.75)
        for m in pats["relation_of"].finditer(masked) if "of" in masked else ():
            _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.7, allow_title=False)
        for m in descr_re.finditer(masked):
            if not REAL_ROLE_RE.search(m.group(0)):
                phrase = masked[m.start() : m.start("char")]
                desc = " ".join(
                    w
                    for w in re.findall(r"\b[a-z][\w-]*", phrase)
                    if w not in DET_WORDS and w not in ("is", "was")
                )
                _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.8, description=desc)
        for m in appos_re.finditer(masked) if _APPOS_CUE.search(masked) else ():
            if REAL_WORLD_RE.search(masked[m.end() : m.end() + 50]) or REAL_ROLE_RE.search(m.group("noun")):
                continue  # "X, the head of the studio": a real person
            if STAFF_NOUN_RE.match(masked[m.end() :]):
                continue  # "X, a veteran character designer": a member of the staff
            if EPITHET_BEFORE_RE.search(masked[: m.start("char")]):
                continue  # "Vash the Stampede, the outlaw": the epithet is not a second character
            tail = unit.text[m.end("char") :].lstrip(", ")
            if _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.8, description=tail[:80]):
                desc = m.group("desc").strip()
                words = desc.split()
                if words and all(w[:1].isupper() for w in words):
                    _affiliation(ctx, unit, desc, conf=0.75)
        live_action = LIVE_ACTION_RE.search(unit.text) is not None
        for m in stars_re.finditer(masked) if passes(masked, _STARS_GATE) else ():
            if FOLLOWS_RE.match(m.group()) and not STORY_SUBJECT_RE.search(masked[: m.start()]):
                continue  # "the news follows X's success": comes after, not a story about X
            if STARS_RE.match(m.group()) and looks_like_person(m.group("char"), org_heads=lex.org_heads):
                # "the anime stars Kana Ito and …": a full name a film stars is an actor unless described
                tail = masked[m.end() :]
                described = re.match(r"\s*,\s+(?:a|an|the)\s+(?!voice|actor|actress|singer|star)", tail)
                printed = PRINT_SUBJECT_RE.search(masked[max(0, m.start() - 40) : m.start() + 1])
                if described is None and printed is None:
                    continue
            if not live_action:  # "the live-action film stars X": X is an actor
                _propose(ctx, unit, m.start("char"), m.group("char"), conf=0.75)
        runs = name_runs(masked, stop=lex.stop_tokens, allow_numbers=True)
        for group in group_runs(masked, runs):
            before = masked[: group[0].start]
            after = masked[group[-1].end :]
            design = designs_re.search(before[-40:])
            if design is not None and design.end() == len(before[-40:]):
                for run in group:
                    _propose(ctx, unit, run.start, run.text, conf=0.75)
            elif appear_re.match(after):
                for run in group:
                    if len(run.tokens) == 1 or not looks_like_person(run.text, org_heads=lex.org_heads):
                        _propose(ctx, unit, run.start, run.text, conf=0.7)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _synopsis_regions(ctx: PeopleContext) -> list[tuple[int, int]]:
    text = ctx.text
    paragraphs = _paragraph_spans(text)
    regions: list[tuple[int, int]] = []
    units = ctx.units
    for i, unit in enumerate(units):
        start: int | None = None
        if unit.section == "synopsis":
            start = unit.start
        else:
            cue = ctx.lex.synopsis_cue_re.search(unit.text)
            if cue:
                colon = unit.text.find(":", cue.end())
                start = unit.start + colon + 1 if colon >= 0 else unit.start + cue.start()
        if start is None:
            continue
        para_end = next((e for s, e in paragraphs if s <= start < e), len(text))
        if unit.text.rstrip().endswith(":"):
            para_end = next((e for s, e in paragraphs if s > start), para_end)
        end = para_end
        for later in units[i + 1 : i + 1 + MAX_SYNOPSIS_UNITS]:
            if later.start >= end:
                break
            if ctx.lex.news_re.search(later.text):
                end = later.start
                break
        if unit.section != "synopsis" and ctx.lex.news_re.search(text[start : unit.end]):
            continue
        if end > start:
            regions.append((start, end))
    return regions


def synopsis_characters(ctx: PeopleContext) -> None:
    """Capitalised names acting in a synopsis ("Percival has always lived…")."""
    regions = _synopsis_regions(ctx)
    if not regions:
        return
    text = ctx.text
    quoted = {fold(text[s + 1 : e - 1]) for s, e in quote_spans(text)}
    for unit in ctx.units:
        for rs, re_ in regions:
            if unit.end <= rs or unit.start >= re_:
                continue
            lo, hi = max(rs, unit.start) - unit.start, min(re_, unit.end) - unit.start
            masked = unit.masked[:hi]
            accepted_end: int | None = None
            for run in name_runs(masked, stop=ctx.lex.stop_tokens, allow_numbers=True):
                if run.start < lo:
                    continue
                before = masked[: run.start].rstrip(" \"“'‘")
                prev_words = re.findall(r"[\w'’-]+", before[-40:])
                prev = prev_words[-1].casefold() if prev_words else ""
                prev2 = prev_words[-2].casefold() if len(prev_words) > 1 else ""
                after = masked[run.end :]
                nxt = re.match(r"\s+([a-z][\w'’-]*)", after)
                acts = nxt is not None and nxt.group(1) in ctx.lex.synopsis_act_verbs
                described = re.match(r"\s*,\s+(?:a|an|the|who|whose)\b", after) is not None
                if not before or before.endswith((":", ".", "!", "?", "…")) or before[-1:] in "§":
                    # sentence-initial: too often a place, org or common word, unless a name acts
                    full = looks_like_person(run.text, org_heads=ctx.lex.org_heads)
                    if not ((acts or described) and (full or len(run.tokens) == 1)):
                        continue
                    if fold(run.text) not in quoted:
                        _propose(ctx, unit, run.start, run.text, conf=0.6, allow_title=False)
                    continue
                if (
                    prev in PLACE_PREPS
                    or prev in DET_WORDS
                    or (
                        prev2 in DET_WORDS
                        and prev.islower()
                        and not re.fullmatch(ctx.lex.char_nouns_re, prev)
                    )
                ):
                    continue
                if (
                    re.match(r"^[\w-]*-(?:led|based|like|style|born|made)\b", masked[run.end - 0 :])
                    or masked[run.end : run.end + 1] == "-"
                ):
                    continue
                if re.search(r"\w(?:'s|’s|'|’)\s*$", masked[: run.start]):
                    continue  # "God's Finger": part of a longer proper name
                if fold(run.text) in quoted:
                    continue
                if re.match(r"(?:'s|’s)\s", after):
                    continue  # "follows Hero Academia's formula": an owner, often a title or a company
                if nxt is not None and not acts and nxt.group(1) not in NAME_FOLLOWERS:
                    continue  # a modifier of the next noun: "Imperial soldiers", "Sky Guard recruits"
                linked = (
                    prev in ctx.lex.synopsis_link_words
                    or (prev.endswith("ing") and len(prev) > 5)  # "attacking X", "chasing X"
                    or (prev == "and" and accepted_end is not None and run.start - accepted_end < 8)
                    or (  # "one of Ai's children, Aquamarine Hoshino"
                        before.endswith(",")
                        and re.fullmatch(ctx.lex.char_nouns_re, re.sub(r"(?<=child)ren$|s$", "", prev))
                        is not None
                    )
                )
                if not (acts or described or linked):
                    continue  # no positive cue: "raid Harbor Town", "headed for Zion"
                if _propose(ctx, unit, run.start, run.text, conf=0.65, allow_title=False):
                    accepted_end = run.end


def finish(ctx: PeopleContext) -> None:
    """Merge spelling variants and partial names, then emit one ``character`` fact per character."""
    cands = ctx.char_candidates
    text = ctx.text
    by_work: dict[str, list[CharCandidate]] = {}
    for c in cands:
        by_work.setdefault(c.work, []).append(c)
    for work, items in by_work.items():
        known = list(ctx.characters.get(work, []))

        def count(name: str) -> int:
            return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))

        chosen: dict[str, CharCandidate] = {}
        for c in items:
            name = c.name
            if fold(name) in ctx.non_characters or (ctx.people.knows(name) and name not in known):
                continue
            if len(name.split()) == 1:
                fuller = [k for k in [*known, *chosen] if len(k.split()) > 1 and name in k.split()]
                if fuller:
                    continue
            variant = next(
                (
                    k
                    for k in chosen
                    if len(k) >= 4
                    and len(name) >= 4
                    and " " not in k + name
                    and edit_distance_le1(fold(k), fold(name))
                    and fold(k) != fold(name)
                ),
                None,
            )
            if variant is not None:
                if count(name) > count(variant):
                    chosen[name] = chosen.pop(variant)
                    chosen[name].name = name
                continue
            if any(fold(k) == fold(name) for k in [*known, *chosen]):
                continue
            chosen[name] = c
        # drop single names that a fuller name chosen later covers
        for name in [n for n in chosen if len(n.split()) == 1]:
            if any(name in k.split() for k in chosen if k != name):
                chosen.pop(name)
        for name, c in chosen.items():
            ctx.add_character(work, name)
            ctx.emit(
                subject=work,
                predicate="character",
                obj=name,
                start=c.unit.start,
                end=c.unit.end,
                qualifiers={"description": c.description} if c.description else None,
                object_type="character",
                confidence=c.confidence,
            )
