"""Creators of the source material: "X and Y's Title manga", "X's fantasy manga Title", "the manga
by X", "Urasawa's manga, co-written with Y" → original_creator (and the source's kind)."""

from __future__ import annotations

import re

from anigraph.extract.people.context import PeopleContext, Unit, known_organisation
from anigraph.extract.people.credits import SOURCE_KIND, SOURCE_WORD_RE, _candidate_people
from anigraph.extract.people.names import PERSON_NAME_RE, looks_like_person, mask_spans, paren_spans
from anigraph.extract.resources import Resources

TITLE_WORDS_RE = re.compile(
    r"^\s*(?:[A-Z0-9À-ÖØ-ÞĀĒĪŌŪ][^\s]*\s+(?:(?:no|ga|wo|ni|to|wa|of|the|and|in|a|de|e|on|for|with)\s+){0,2}){1,10}"
)
POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)(?=\s)")
SOURCE_COMPOUND_RE = re.compile(
    r"\s+(?:market|industry|magazines?|apps?|adaptations?|fans|readers|sales|artists?|publishers?|labels?"
    r"|imprints?|history|awards?|rankings?|sections?|stores?|culture|scene|charts?|editors?|volumes?)\b"
)
ADJ_RUN_RE = re.compile(rf"^(?:[a-z][\w\-]*\s+){{0,4}}?{SOURCE_KIND}\b")

# kinds the based_on vocabulary has no word for, though they end like one ("graphic novel")
_NO_KIND = re.compile(r"\b(?:graphic\s+novels?|picture\s+books?)$")


def _source_kind(phrase: str) -> str | None:
    """The based_on word for the source named at the end of ``phrase`` ("fantasy cooking manga"),
    from the source vocabulary the work-fact rules use (``vocab.json``, ``source_words``)."""
    low = re.sub(r"\s+series$", "", " ".join(phrase.casefold().split()))
    if _NO_KIND.search(low):
        return None
    kinds = Resources.load().source_kind
    ends = [w for w in kinds if low == w or low.endswith(" " + w)]
    return kinds[max(ends, key=len)] if ends else None


def _creator_names(
    names_text: str, ctx: PeopleContext, candidates: dict[str, str], *, mononym: bool = False
) -> list[str]:
    """Full names of the creators in "A and B" (a lone surname resolved; ``mononym``: a pen name
    such as "Mokumokuren" in "Mokumokuren's manga" is a name of its own)."""
    pieces = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", names_text.strip()) if p]
    if (
        mononym
        and len(pieces) == 1
        and re.fullmatch(r"[A-Z][a-z]{3,}", pieces[0])
        and not known_organisation(pieces[0])
        and pieces[0] not in ctx.lex.places
        and ctx.work_by_title(pieces[0]) is None
        and pieces[0].casefold() not in ctx.lex.stop_tokens
        and not (ctx.people.resolve(pieces[0]) or candidates.get(pieces[0].casefold()))
    ):
        return [pieces[0]]
    out: list[str] = []
    has_full = any(looks_like_person(p, org_heads=ctx.lex.org_heads) for p in pieces)
    for piece in pieces:
        if looks_like_person(piece, org_heads=ctx.lex.org_heads):
            out.append(piece)
        elif len(piece.split()) == 1 and PERSON_NAME_RE.match(piece):
            full = ctx.people.resolve(piece) or candidates.get(piece.casefold())
            if full:
                out.append(full)
            elif has_full:
                out.append(piece)
            else:
                return []
        else:
            return []
    return out


_CAP_WORD = r"[A-ZÀ-ÖØ-ÞĀĒĪŌŪ](?:['’](?=[A-Z]))?[\w\-]+"  # "O'Malley" too
_CAP_WORDS = rf"{_CAP_WORD}(?: {_CAP_WORD}){{0,3}}"
NAMES_BEFORE_RE = re.compile(
    rf"((?:{_CAP_WORDS})(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s*,\s*and\s+){_CAP_WORDS})*)$"
)


SOURCE_BY_RE = re.compile(
    rf"\b{SOURCE_KIND}(?:\s+series)?\s*,?\s+(?:(?:written|created|drawn|illustrated|penned|co-written)\s+)?"
    r"(?:by|with)\s+(?P<name>[A-Z][\w-]+(?:\s+(?:na|no|de|van|von|da|di|le|la|del|bin)\s+[A-Z][\w-]+"
    r"|\s+[A-Z][\w-]+){0,3})"
)
CO_WRITTEN_RE = re.compile(
    r"\b(?:co-written|co-created|written|created)\s+with\s+(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){1,2})"
)


NAME_PARTICLES = frozenset({"na", "no", "de", "van", "von", "da", "di", "le", "la", "del", "bin"})


def _source_by(ctx: PeopleContext, unit: Unit) -> None:
    """ "the web novel by Rifujin na Magonote", "Urasawa's manga, co-written with X" → original_creator."""
    text = unit.text
    found: list[tuple[int, str]] = []
    for m in SOURCE_BY_RE.finditer(text):
        found.append((m.start(), m.group("name")))
    if SOURCE_WORD_RE.search(text.casefold()):
        found.extend((m.start(), m.group("name")) for m in CO_WRITTEN_RE.finditer(text))
    for offset, name in found:
        words = name.split()
        while words and words[-1] in ctx.lex.stop_tokens:
            words.pop()
        name = " ".join(words)
        if not name or words[0] in ctx.lex.stop_tokens or known_organisation(name) or ctx.work_by_title(name):
            continue
        if len(words) == 1:
            name = ctx.people.resolve(name) or ctx.candidate_people().get(name.casefold()) or name
        elif not any(w in NAME_PARTICLES for w in words) and not looks_like_person(
            name, org_heads=ctx.lex.org_heads
        ):
            continue
        if any(w in ctx.lex.org_heads for w in words):
            continue
        work = ctx.subject(unit.start + offset)
        if work is None:
            continue
        ctx.credit(
            subject=work.name,
            name=name,
            roles=["original_creator"],
            start=unit.start,
            end=unit.end,
            confidence=0.8,
        )


def original_creators(ctx: PeopleContext) -> None:
    """ "X and Y's Title manga", "X's novel", "the manga by X" → original_creator."""
    candidates = _candidate_people(ctx)
    for unit in ctx.units:
        _source_by(ctx, unit)
        text = unit.text
        parens = paren_spans(text)
        for pm in POSSESSIVE_RE.finditer(text):
            if any(s <= pm.start() < e for s, e in parens):
                continue
            before = NAMES_BEFORE_RE.search(text[: pm.start()])
            if not before:
                continue
            rest = text[pm.end() :].lstrip()
            rest_off = len(text) - len(rest)
            work = ctx.work_title_at(rest)
            tail = rest
            if work is not None:
                title_len = next(
                    len(t)
                    for t in sorted((work.name, *work.aliases), key=len, reverse=True)
                    if rest.casefold().startswith(t.casefold())
                )
                tail = rest[title_len:]
            tail = mask_spans(tail, paren_spans(tail))
            cap = TITLE_WORDS_RE.match(tail)
            tail = (tail[cap.end() :] if cap else tail).lstrip()
            appositive = re.search(rf"\b{SOURCE_KIND}\s*,\s*$", text[: before.start()]) is not None
            if not ADJ_RUN_RE.match(tail) and not (work is not None and appositive):
                continue
            kind_m = ADJ_RUN_RE.match(tail)
            if kind_m is not None and SOURCE_COMPOUND_RE.match(tail, kind_m.end()):
                continue  # "Japan's manga market", "Shueisha's manga magazine": not a source work
            direct = work is None and re.match(rf"{SOURCE_KIND}\b", tail) is not None  # "X's manga"
            names = _creator_names(before.group(1), ctx, candidates, mononym=direct)
            if not names:
                continue
            subject = work or ctx.subject(unit.start + rest_off)
            if subject is None:
                continue
            kind = _source_kind(kind_m.group(0)) if kind_m else None
            source_subject = re.search(  # "The manga is itself an adaptation of X's novel": not the anime
                rf"\b(?:the|its)\s+(?:original\s+)?{SOURCE_KIND}\s+(?:is|was|itself)\b",
                text[: pm.start()],
                re.I,
            )
            if kind is not None and source_subject is None:
                # "Naoya Matsumoto's Kaiju No. 8 manga", "Kui's fantasy cooking manga X": the source's kind
                ctx.emit(
                    subject=subject.name,
                    predicate="based_on",
                    obj=kind,
                    start=unit.start,
                    end=unit.end,
                    confidence=0.8,
                )
            for name in names:
                ctx.credit(
                    subject=subject.name,
                    name=name,
                    roles=["original_creator"],
                    start=unit.start,
                    end=unit.end,
                    confidence=0.85,
                )
