"""Animation studios named in sentences: "directing at S", "animation studio S", "S is animating"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from anigraph.extract.document import OFFICE_OF_RE
from anigraph.extract.people.context import PeopleContext
from anigraph.extract.people.credits import _strip_studio
from anigraph.extract.textgate import gate_of, lowered

STUDIO_TOKEN = r"[A-Z0-9][\w.\-!'’]*"
STUDIO = rf"{STUDIO_TOKEN}(?: {STUDIO_TOKEN}){{0,3}}"
STUDIO_LIST = rf"{STUDIO}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){STUDIO})*"
STUDIO_PATTERNS = (
    re.compile(
        r"\b(?:directing|helming|directed|helmed|directs|helms|direct|helm|animated|animating"
        r"|handl(?:es|ed|ing)\s+(?:the\s+)?animation)\b"
        rf"[^.;:]{{0,90}}?\bat\s+(?P<st>{STUDIO_LIST})"
    ),
    re.compile(rf"\banimation\s+studio\s+(?P<st>{STUDIO})"),
    re.compile(rf"\b(?i:animation(?:\s+production)?)\s+(?:is\s+|will\s+be\s+)?by\s+(?P<st>{STUDIO_LIST})"),
    re.compile(rf"\bwith\s+(?P<st>{STUDIO})\s+animating\b"),
    re.compile(rf"\bstaff\s+at\s+(?P<st>{STUDIO_LIST})\s*:?\s*$"),
)
# "X is once again animating", "X and Y co-produce the animation", "X returns to animate the season"
STUDIO_VERB_RE = re.compile(
    r"\s*(?:(?:is|are|was|were|will|be|has|have|been)\s+)*(?:(?:once\s+again|again|also|still|now|back|currently|"
    r"once\s+more|this\s+time|both|jointly)\s+)*"
    r"(?:animating|animates|animate|animated\s+the|(?:co-)?produc(?:es|ing|ed|e)\s+the\s+(?:animation|anime)\b"
    r"|doing\s+the\s+animation|handl(?:es|ing)\s+(?:the\s+)?animation|in\s+charge\s+of\s+(?:the\s+)?animation"
    r"|(?:returns|returning|continues|continue|is\s+set|will\s+return|is\s+back|comes\s+back)\s+to\s+animate)\b"
)
STUDIO_TAIL_RE = re.compile(
    r"((?:[A-Z0-9][\w.\-!'’]*)(?:\s+(?:[A-Z0-9][\w.\-!'’]*|animation(?=\s+[A-Z])))*"
    r"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)[A-Z0-9][\w.\-!'’]*(?:\s+(?:[A-Z0-9][\w.\-!'’]*"
    r"|animation(?=\s+[A-Z])))*)*)\s*$"
)
# "S1 produced it together with S2", "S's adaptation of the manga": only names known as studios count
KNOWN_STUDIO_PATTERNS = (
    re.compile(
        rf"(?P<st>{STUDIO})\s+(?:co-)?(?:produced|animated|produces|animates)\s+(?:it|the\s+(?:film|anime|series|movie))"
        rf"\s+(?:together\s+|jointly\s+)?with\s+(?P<st2>{STUDIO})"
    ),
    re.compile(rf"(?P<st>{STUDIO})(?:'s|’s)\s+(?:(?:anime|TV|television|film)\s+)?adaptation\b"),
)
BY_STUDIO_RE = re.compile(rf"\b(?P<verb>animated|produced)\s+(?:[\w-]+\s+){{0,4}}?by\s+(?P<st>{STUDIO_LIST})")
STUDIO_HINT_RE = re.compile(r"animat|produc|studio|direct|helm|staff\s+at", re.IGNORECASE)
STUDIO_CAP_RE = re.compile(r"\b(?P<st>Studio\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)")
WORK_WORD_RE = re.compile(r"\b(?:anime|series|film|movie|show|season|§)", re.IGNORECASE)


def _pieces(text: str) -> list[str]:
    """A list of names cut at commas, "and" and "&", except inside a known studio ("E&H Production")."""
    from anigraph.extract.resources import Resources

    known = [(s, e) for s, e, _canon in Resources.load().studios.find(text)]
    out, pos = [], 0
    for m in _NAME_SEPARATOR.finditer(text):
        if any(s <= m.start() < e for s, e in known):
            continue
        out.append(text[pos : m.start()])
        pos = m.end()
    return [*out, text[pos:]]


_NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


def _studio_names(text: str, ctx: PeopleContext) -> list[str]:
    out: list[str] = []
    for piece in _pieces(text):
        name = _strip_studio(piece)
        words = name.split()
        while words and words[0] in ctx.lex.stop_tokens and words[0] != "Studio":
            words = words[1:]
        name = " ".join(words)
        owner = re.match(r"^[A-Z][\w-]*(?:'s|’s)\s+(?=[A-Z])", name)  # "Anno's Studio Khara"
        if owner:
            name = name[owner.end() :]
        if name and name not in out and not ctx.people.knows(name) and ctx.work_by_title(name) is None:
            out.append(name)
    return out


def _known_studio(name: str) -> bool:
    from anigraph.extract.resources import Resources

    return name.casefold() in Resources.load().studios.canonical or bool(
        re.search(r"\b(?:Studios?|Animation|Films|Pictures|Productions?)\b", name)
    )


def _add_studios(found: list[tuple[str, bool]], names: list[str], *, earlier: bool = False) -> None:
    for name in names:
        if all(n != name for n, _ in found):
            found.append((name, earlier))


def studios(ctx: PeopleContext) -> None:
    """Animation studios: "at STUDIO" after a directing verb, "animation studio X", "X is animating"."""
    for unit in ctx.units:
        text = unit.masked
        if not STUDIO_HINT_RE.search(text):
            continue
        found: list[tuple[str, bool]] = []  # (name, of an earlier season)
        add = partial(_add_studios, found)
        low = lowered(text)  # word gates: a pattern runs only where its literals are

        def scan(pat: re.Pattern[str], text: str = text, low: str | None = low) -> Iterator[re.Match[str]]:
            return pat.finditer(text) if gate_of(pat).admits(text, low) else iter(())

        for pat in STUDIO_PATTERNS:
            for m in scan(pat):
                add(_studio_names(m.group("st"), ctx))
        for pat in KNOWN_STUDIO_PATTERNS:
            for m in scan(pat):
                names = [m.group(g) for g in ("st", "st2") if g in pat.groupindex and m.group(g)]
                add([n for n in _studio_names(", ".join(names), ctx) if _known_studio(n)])
        for m in scan(STUDIO_VERB_RE):
            if m.start() == 0 or re.match(r"\s+(?:at|for)\s+[A-Z]", text[m.end() :]):
                continue  # "X handles the animation at STUDIO": X is an animator there
            before = re.split(r"[.;:]\s|,\s+(?:and|while|but)\s+|\band\s+this\s+time\s+", text[: m.start()])[
                -1
            ]
            before = re.sub(r",\s+(?:the|a|an)\b[^,]{0,80},\s*$", "", before)  # "X, the studio known for Y,"
            if re.search(r"\b(?:which|who|that)\s*$", before):
                continue
            tail = STUDIO_TAIL_RE.search(before)
            if tail:
                add(_studio_names(tail.group(1), ctx))
        for m in scan(BY_STUDIO_RE):
            names = _studio_names(m.group("st"), ctx)
            if m.group("verb") == "produced":
                names = [n for n in names if _known_studio(n)]
            earlier = ctx.lex.previous_work_re.search(text[: m.start()][-60:]) is not None
            add(names, earlier=earlier)
        if WORK_WORD_RE.search(text):
            for m in STUDIO_CAP_RE.finditer(text):
                if OFFICE_OF_RE.search(text[: m.start()]):
                    continue  # "B, co-founder of Madhouse and Studio M2,": not the work's studio
                add([_strip_studio(m.group("st"))])
        if not found:
            continue
        work = ctx.subject(unit.start)
        if work is None:
            continue
        for name, earlier in found:
            target = ctx.previous_work(work, first=True) if earlier else work
            if target is None:
                continue
            ctx.orgs.add(name)
            ctx.emit(
                subject=target.name,
                predicate="studio",
                obj=name,
                start=unit.start,
                end=unit.end,
                object_type="organization",
                confidence=0.85,
            )
