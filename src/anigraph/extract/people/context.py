"""Per-article working state shared by the people extractors."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from anigraph.extract.document import ArticleDoc, WorkRef
from anigraph.extract.people.lexicon import PeopleLexicon
from anigraph.extract.people.names import (
    WORK_MASK,
    PersonIndex,
    looks_like_person,
    mask_spans,
    name_runs,
    paren_spans,
    quote_spans,
    title_spans,
    titles_regex,
)
from anigraph.models import EntityKind, Fact, SubjectType
from anigraph.names import fold

HEADING_MAX_WORDS = 5
MAX_UNIT_CHARS = 1500  # longer "sentences" are unsegmented blobs: reading them costs quadratic time
log = logging.getLogger(__name__)
BULLET_RE = re.compile(r"^\s*(?:[-*•·–—▪►]|\d{1,2}[.)])\s+")


@dataclass(slots=True)
class Unit:
    """One sentence or list line of the article with its place and masked copies."""

    start: int
    end: int
    text: str
    kind: str  # sentence | line
    section: str | None  # "cast" | "staff" | "synopsis" | None
    masked: str  # parentheses and quotes blanked, known titles replaced by WORK_MASK


@dataclass(slots=True)
class CharCandidate:
    """A character name proposed by a cue, emitted (merged) at the end."""

    work: str
    name: str
    unit: Unit
    confidence: float
    description: str | None = None  # "android girl", "the son of the Nairn creator"


@dataclass(slots=True)
class PeopleContext:
    adoc: ArticleDoc
    lex: PeopleLexicon
    units: list[Unit] = field(default_factory=list)
    people: PersonIndex = field(default_factory=PersonIndex)
    characters: dict[str, list[str]] = field(default_factory=dict)  # work -> character names in order
    orgs: set[str] = field(default_factory=set)
    non_characters: set[str] = field(default_factory=set)  # folded names known not to be characters
    facts: list[Fact] = field(default_factory=list)
    char_candidates: list[CharCandidate] = field(default_factory=list)
    _seen: set[tuple[str, str, str, str]] = field(default_factory=set)
    _candidates: dict[str, str] | None = None

    @property
    def text(self) -> str:
        return self.adoc.text

    def titles(self) -> list[str]:
        out: list[str] = []
        for work in self.adoc.works:
            out.append(work.name)
            out.extend(work.aliases)
        return out

    def subject(self, offset: int) -> WorkRef | None:
        return self.adoc.subject_at(offset)

    def work_by_title(self, title: str) -> WorkRef | None:
        """The work whose name or alias equals ``title`` (folded)."""
        key = fold(title)
        for work in self.adoc.works:
            if key == fold(work.name) or any(key == fold(a) for a in work.aliases):
                return work
        return None

    def work_title_at(self, text: str) -> WorkRef | None:
        """The work whose name or alias ``text`` starts with (longest wins)."""
        best: tuple[int, WorkRef] | None = None
        low = text.casefold()
        for work in self.adoc.works:
            for title in (work.name, *work.aliases):
                t = title.casefold()
                whole = (
                    len(t) >= 3 and low.startswith(t) and (len(low) == len(t) or not low[len(t)].isalnum())
                )
                if whole and (best is None or len(t) > best[0]):
                    best = (len(t), work)
        return best[1] if best else None

    def credit(
        self, *, subject: str, name: str, roles: list[str], start: int, end: int, confidence: float
    ) -> str:
        """Credit the person ``name`` with each staff role on ``subject``; returns their name."""
        person = self.people.add(name)
        self.non_characters.add(person.casefold())
        for pred in roles:
            self.emit(
                subject=subject,
                predicate=pred,
                obj=person,
                start=start,
                end=end,
                object_type="person",
                confidence=confidence,
            )
        return person

    def emit(
        self,
        *,
        subject: str,
        predicate: str,
        obj: str,
        start: int,
        end: int,
        subject_type: SubjectType = "work",
        qualifiers: dict[str, str] | None = None,
        object_type: str | None = None,
        confidence: float = 0.85,
    ) -> None:
        obj = obj.strip().strip(",;:").strip()
        if not obj or not subject:
            return
        quals = {k: v for k, v in (qualifiers or {}).items() if v}
        key = (
            fold(subject),
            predicate,
            fold(obj),
            ";".join(f"{k}={fold(v)}" for k, v in sorted(quals.items())),
        )
        if key in self._seen:
            return
        self._seen.add(key)
        self.facts.append(
            self.adoc.make_fact(
                subject=subject,
                subject_type=subject_type,
                predicate=predicate,
                obj=obj,
                start=start,
                end=end,
                confidence=confidence,
                qualifiers=quals,
                object_type=object_type,
            )
        )

    def previous_work(self, current: WorkRef, *, first: bool = False) -> WorkRef | None:
        """The earlier work a "previous season's …" mention refers to: the one title the current extends.

        When ``current`` is itself the earlier work (another work's title extends it), it is returned.
        """
        cur = fold(current.name)
        if any(
            w is not current and fold(w.name).startswith(cur) and fold(w.name) != cur for w in self.adoc.works
        ):
            return current
        found = [
            w
            for w in self.adoc.works
            if w is not current and cur.startswith(fold(w.name)) and fold(w.name) != cur
        ]
        if not found:
            return None
        return (min if first else max)(found, key=lambda w: len(w.name))

    def candidate_people(self) -> dict[str, str]:
        """Single token -> the one full person-like name in the article carrying it (cached)."""
        if self._candidates is None:
            seen: dict[str, set[str]] = {}
            for unit in self.units:
                for run in name_runs(unit.masked, stop=self.lex.stop_tokens):
                    if len(run.tokens) < 2 or not looks_like_person(run.text, org_heads=self.lex.org_heads):
                        continue
                    if any(known_organisation(t) for t in run.tokens):
                        continue
                    for tok in run.tokens:
                        seen.setdefault(tok.casefold(), set()).add(run.text)
            self._candidates = {tok: next(iter(n)) for tok, n in seen.items() if len(n) == 1}
        return self._candidates

    def add_character(self, work: str, name: str) -> None:
        names = self.characters.setdefault(work, [])
        if name not in names:
            names.append(name)

    def is_character_name(self, name: str) -> bool:
        key = fold(name)
        return any(key == fold(n) for names in self.characters.values() for n in names)

    def entity_kinds(self) -> list[tuple[str, EntityKind, list[str]]]:
        out: list[tuple[str, EntityKind, list[str]]] = []
        for key, name in self.people.full.items():
            out.append((name, "person", list(self.people.aliases.get(key, []))))
        seen: set[str] = set()
        for names in self.characters.values():
            for n in names:
                if fold(n) not in seen:
                    seen.add(fold(n))
                    out.append((n, "character", []))
        for org in sorted(self.orgs):
            out.append((org, "organization", []))
        return out


def known_organisation(name: str) -> bool:
    """A studio, broadcaster, streaming service or publisher the extraction core knows by name."""
    from anigraph.extract.resources import Resources

    res = Resources.load()
    key = name.casefold()
    return (
        key in res.studios.canonical
        or key in res.publishers
        or name in res.broadcasters.canonical
        or name in res.streaming.canonical
    )


def _line_sections(text: str, lex: PeopleLexicon) -> list[tuple[int, int, str]]:
    """(start, end, section) ranges from heading lines like "Cast" or "Staff"."""
    ranges: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = BULLET_RE.sub("", line).strip().rstrip(":").strip().casefold()
        begin, pos = pos, pos + len(line)
        if not stripped:
            continue
        section = None
        if len(stripped.split()) <= HEADING_MAX_WORDS:
            if stripped in lex.cast_headings:
                section = "cast"
            elif stripped in lex.staff_headings:
                section = "staff"
            elif stripped in lex.synopsis_headings:
                section = "synopsis"
        if section is not None:
            if current is not None:
                ranges.append((current[0], begin, current[1]))
            current = (pos, section)
            continue
        prose = len(stripped.split()) > 14 and stripped.endswith((".", "!", "?", '"', "”"))
        if current is not None and prose and current[1] != "synopsis":
            ranges.append((current[0], begin, current[1]))
            current = None
    if current is not None:
        ranges.append((current[0], len(text), current[1]))
    return ranges


def _section_for(section: str | None, start: int, ranges: list[tuple[int, int, str]]) -> str | None:
    if section:
        low = section.strip().rstrip(":").casefold()
        for name in ("cast", "staff", "synopsis"):
            if name in low or (name == "synopsis" and low in ("story", "plot")):
                return name
    for s, e, name in ranges:
        if s <= start < e:
            return name
    return None


def build_context(adoc: ArticleDoc, lex: PeopleLexicon) -> PeopleContext:
    ctx = PeopleContext(adoc=adoc, lex=lex)
    text = adoc.text
    ranges = _line_sections(text, lex)
    titles = titles_regex(ctx.titles())
    for seg in adoc.content_segments():
        seg_text = text[seg.start : seg.end]
        # a segment may hold several list lines: treat each line on its own
        offset = seg.start
        for piece in re.split(r"(\n)", seg_text):
            if piece == "\n":
                offset += 1
                continue
            if piece.strip() and len(piece) > MAX_UNIT_CHARS:
                log.debug("people: skipped a %d-character segment at %d (not a sentence)", len(piece), offset)
            elif piece.strip():
                bullet = BULLET_RE.match(piece)
                lead = bullet.end() if bullet else len(piece) - len(piece.lstrip())
                body = piece[lead:].strip()
                start = offset + lead
                kind = "line" if seg.kind == "line" or "\n" in seg_text else seg.kind
                masked = mask_spans(body, paren_spans(body) + quote_spans(body))
                masked = mask_spans(masked, title_spans(masked, titles), char=WORK_MASK)
                ctx.units.append(
                    Unit(
                        start=start,
                        end=start + len(body),
                        text=body,
                        kind=kind,
                        section=_section_for(seg.section, start, ranges),
                        masked=masked,
                    )
                )
            offset += len(piece)
    ctx.units = _table_rows(_merge_split_parentheses(ctx, _drop_bios(ctx.units, text), titles), titles)
    return ctx


CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+")
HEADER_CELLS = frozenset(
    {"character", "characters", "role", "roles", "name", "names", "japanese", "english", "voice actor"}
    | {"voice actress", "voice cast", "cast", "staff", "actor", "actress", "seiyuu", "position", "credit"}
    | {"japanese voice", "english voice", "japanese cast", "english cast", "english dub", "dub", "person"}
    | {"va", "job"}
)


def _table_rows(units: list[Unit], titles: re.Pattern[str] | None) -> list[Unit]:
    """Rows of a scraped table ("Director | X", "Tobi | Actor JP | Actor EN") read as "Label: value" lines.

    A header row ("Character | Japanese | English") is dropped; evidence stays the row as written.
    """
    out: list[Unit] = []
    for unit in units:
        piped = unit.text.count("|") >= 2  # "| A | B |": a table row even where no line break marks it
        if (unit.kind != "line" and not piped) or ("|" not in unit.text and "\t" not in unit.text):
            out.append(unit)
            continue
        cells = [c for c in CELL_SPLIT_RE.split(unit.text.strip().strip("|").strip()) if c]
        if len(cells) < 2 or len(cells) > 4:
            out.append(unit)
            continue
        if all(c.casefold().rstrip(":") in HEADER_CELLS for c in cells):
            continue
        body = f"{cells[0]}: {', '.join(cells[1:])}"
        masked = mask_spans(body, paren_spans(body) + quote_spans(body))
        masked = mask_spans(masked, title_spans(masked, titles), char=WORK_MASK)
        out.append(Unit(unit.start, unit.end, body, "line", unit.section, masked))
    return out


BIO_START_RE = re.compile(
    r"^(?:About\s+the\s+(?:author|writer|reviewer)|About\s+[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}\s*$)"
)


def _drop_bios(units: list[Unit], text: str) -> list[Unit]:
    """Units of an "About the author" / "About COMPANY" paragraph: no facts about the work live there."""
    out: list[Unit] = []
    bio_end = -1
    for unit in units:
        if unit.start < bio_end:
            continue
        if BIO_START_RE.match(unit.text) or re.match(r"^About\s+the\s+(?:author|writer)\b", unit.text):
            after = text.find("\n\n", unit.end)
            bio_end = len(text) if after < 0 else after
            if not unit.text.rstrip().endswith(":") and "\n" not in text[unit.start : unit.end]:
                bio_end = max(bio_end, unit.end)
            continue
        out.append(unit)
    return out


def _merge_split_parentheses(
    ctx: PeopleContext, units: list[Unit], titles: re.Pattern[str] | None
) -> list[Unit]:
    """Join a sentence cut inside parentheses ("X (Hibike! Work) is back…" split after the "!")."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == unit.kind == "sentence"
            and prev.text.count("(") > prev.text.count(")")
            and (")" in unit.text[:80] or len(unit.text.split()) <= 4)
            and len(prev.text) + len(unit.text) < 600
            and not ctx.text[prev.end : unit.start].strip()
            and "\n\n" not in ctx.text[prev.end : unit.start]
        ):
            body = ctx.text[prev.start : unit.end]
            masked = mask_spans(body, paren_spans(body) + quote_spans(body))
            masked = mask_spans(masked, title_spans(masked, titles), char=WORK_MASK)
            out[-1] = Unit(prev.start, unit.end, body, prev.kind, prev.section, masked)
            continue
        out.append(unit)
    return out
