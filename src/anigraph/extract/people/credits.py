"""Staff credits: credit-list lines, prose credits, studios and original creators."""

from __future__ import annotations

import re

from anigraph.extract.document import OFFICE, WorkRef
from anigraph.extract.people.context import PeopleContext, Unit, known_organisation
from anigraph.extract.people.names import (
    OWNER_OF_NAME_RE,
    PERSON_NAME_RE,
    TOKEN,
    Run,
    group_runs,
    looks_like_person,
    mask_spans,
    name_runs,
    paren_spans,
)
from anigraph.extract.textgate import gate_of, lowered
from anigraph.names import fold, person_key

PERSON_RUN = rf"(?<![\w.'’-]){TOKEN}(?: {TOKEN}){{1,3}}"
LABEL_LINE_RE = re.compile(r"^(?P<label>[^:\n]{2,60}?)(?:\s*[:：]|\s+[-–—]\s)\s*(?P<value>\S.*)$")
VALUE_SPLIT_RE = re.compile(r"\s*(?:,|、|;|/|&|\band\b)\s*")
COMPANY_ROLES = frozenset({"studio", "animation_production"})
SOURCE_KIND = (
    r"(?:manga(?:\s+series)?|light\s+novels?|web\s+novels?|novel\s+series|novels?|webtoons?|visual\s+novels?"
    r"|graphic\s+novels?|comics?|picture\s+books?|original\s+story|games?)"
)


def _strip_studio(name: str) -> str:
    name = name.strip().rstrip(",;")
    # "Production I.G. Ando also…": a sentence ends inside (but not inside "J.C. Staff")
    cut = next(
        (m for m in re.finditer(r"\.\s+[A-Z]", name) if not _known_studio_across(name, m.start())), None
    )
    if cut:
        name = name[: cut.start() + 1]
    if name.endswith("."):
        name = name[:-1]
    return name.strip()


def _known_studio_across(name: str, dot: int) -> bool:
    """A studio of the gazetteer starts ``name`` and goes on past its character ``dot``."""
    from anigraph.extract.resources import Resources

    return any(s == 0 and e > dot + 1 for s, e, _canon in Resources.load().studios.find(name))


def _split_values(value: str) -> list[tuple[int, str]]:
    """Top-level items of a credit value with their offsets, parentheses removed; a studio of the
    gazetteer is one item whatever it holds ("E&H Production", "Yumeta Company and Graphinica")."""
    from anigraph.extract.resources import Resources

    masked = mask_spans(value, paren_spans(value), char="\0")
    known = [(s, e) for s, e, _canon in Resources.load().studios.find(value)] if value else []
    items: list[tuple[int, str]] = []
    pos = 0
    cuts = [m for m in VALUE_SPLIT_RE.finditer(masked) if not any(s <= m.start() < e for s, e in known)]
    for m in [*cuts, None]:
        end = m.start() if m else len(masked)
        piece = masked[pos:end]
        name = piece.replace("\0", " ")
        name = re.sub(r"\s+", " ", name).strip()
        if name:
            items.append((pos + (len(piece) - len(piece.lstrip())), name))
        if m:
            pos = m.end()
    return items


MULTI_LABEL_SPLIT_RE = re.compile(r"\s*(?:;|\s/\s|\s\|\s|·|•)\s*(?=[A-Z][^:;]{1,40}[:：])")


def credit_lines(ctx: PeopleContext) -> None:
    """``Director: X``, ``Original Creator, Script: X``, ``Chief Animation Director: X, Y (Work)``."""
    for unit in ctx.units:
        pieces = MULTI_LABEL_SPLIT_RE.split(unit.text)
        if len(pieces) > 1 and all(LABEL_LINE_RE.match(p) for p in pieces):
            for piece in pieces:  # "Director: X; Music: Y" on one line
                _credit_line(ctx, unit, piece)
            continue
        _credit_line(ctx, unit, unit.text)


def _credit_line(ctx: PeopleContext, unit: Unit, text: str) -> None:
    lex = ctx.lex
    m = LABEL_LINE_RE.match(text)
    if not m or (unit.kind != "line" and len(unit.text.split()) > 16):
        return
    label = m.group("label").strip()
    if label.casefold() in lex.line_label_stop:
        return
    if label.casefold() in lex.staff_headings or label.casefold() in ("key staff", "staff members"):
        _role_name_pieces(ctx, unit, m.group("value"))  # "Staff: Director X, Music Y"
        return
    # "The film's character design — X", "Belle's character design — X": the role is after the possessive
    owner = re.match(r"^(?:[Tt]he\s+)?[\w-]+(?:\s+[\w-]+)?(?:'s|’s)\s+(?=\S)", label)
    if owner and lex.label_predicates(label) is None:
        label = label[owner.end() :]
    preds: list[str] = []
    known = False
    for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", re.sub(r"\((?:s|es)\)", "", label)):
        found = lex.label_predicates(part)
        if found is not None:
            known = True
            preds.extend(p for p in found if p not in preds)
    if not known or not preds:
        return
    work = ctx.subject(unit.start)
    if work is None:
        return
    for _, name in _split_values(m.group("value")):
        tokens = name.split()
        for pred in preds:
            if pred in COMPANY_ROLES:
                if 1 <= len(tokens) <= 5 and (
                    name[:1].isupper() or name[:1].isdigit() or known_organisation(name)
                ):
                    ctx.orgs.add(name)
                    ctx.emit(
                        subject=work.name,
                        predicate=pred,
                        obj=_strip_studio(name),
                        start=unit.start,
                        end=unit.end,
                        object_type="organization",
                        confidence=0.9,
                    )
                continue
            if not (1 <= len(tokens) <= 4) or not name[:1].isupper():
                continue
            if (
                len(tokens) == 1
                and not PERSON_NAME_RE.match(name)
                and not re.fullmatch(r"[A-Z][A-Z0-9]+", name)
            ):
                continue
            ctx.credit(
                subject=work.name,
                name=name,
                roles=[pred],
                start=unit.start,
                end=unit.end,
                confidence=0.92,
            )


def _role_name_pieces(ctx: PeopleContext, unit: Unit, value: str) -> None:
    """ "Director Hana Ito, Series Composition Aya Mori": each piece starts with a role label."""
    work = ctx.subject(unit.start)
    if work is None:
        return
    for _, piece in _split_values(value):
        words = piece.split()
        for cut in range(min(4, len(words) - 2), 0, -1):
            preds = ctx.lex.label_predicates(" ".join(words[:cut]))
            name = " ".join(words[cut:])
            if preds and looks_like_person(name, org_heads=ctx.lex.org_heads):
                person_roles = [p for p in preds if p not in COMPANY_ROLES]
                ctx.credit(
                    subject=work.name,
                    name=name,
                    roles=person_roles,
                    start=unit.start,
                    end=unit.end,
                    confidence=0.85,
                )
                break


def _chunk_is_predicate(chunk: str, ctx: PeopleContext) -> bool:
    words = re.findall(r"[\w'’-]+", chunk.casefold())
    saw_aux = False
    for word in words:
        if word in ctx.lex.aux:
            saw_aux = True
            continue
        return saw_aux or word in ctx.lex.verbs
    return False


CLAUSE_CUT_RE = re.compile(
    r";|\.\s|\.$|,?\s+(?:and|while|but|whereas)\s+(?=(?:the|a|an|this|its|his|her|their|it|they|he|she)\b)"
    r"|,\s+(?:while|whereas|but)\b"
)


AND_RE = re.compile(r",?\s+and\s+([\w'’-]+)")


def _cut_clause(chunk: str, ctx: PeopleContext | None = None) -> str:
    m = CLAUSE_CUT_RE.search(chunk)
    if m:
        chunk = chunk[: m.start()]
    if ctx is not None:  # ", and X…" starts a new clause unless X continues the verb phrase ("and was …")
        for am in AND_RE.finditer(chunk):
            word = am.group(1).casefold()
            verbish = word in ctx.lex.aux or word in ctx.lex.verbs or word.endswith(("ing", "ed"))
            if not verbish and am.group(0).startswith(",") and am.group(1)[:1].isupper():
                return chunk[: am.start()]
    return chunk


RETURNS_RE = re.compile(
    r"^\s*(?:(?:also|will|once\s+again)\s+)*(?:returns?|is\s+back|is\s+returning|comes\s+back|are\s+back)\b"
    r"(?!\s+(?:as|to)\b)"
)
# the verb that ends an appositive with commas inside ("X, known for A, B and C, is in charge of …")
_VERB_AFTER_COMMA = (
    r",\s*(?:(?:also|now|again|once\s+again)\s+)?(?:is|are|was|were|will|has|have|had|returns?|serves?|"
    r"joins?|handles?|takes?|oversees?|writes?|directs?|composes?|designs?|leads?|provides?)\b"
)
_APPOSITIVE_END = rf"(?={_VERB_AFTER_COMMA})"
_NOT_THE_END = rf"(?:(?!{_VERB_AFTER_COMMA})[^;.])*?"
REL_RE = re.compile(
    r"^\s*,\s*(?:(?:who|which|whose)\s+(?P<rel>[^,;]*?)"
    # "X, known for work on A, B, and C, is in charge of …": a list inside the appositive
    rf"|(?:(?:best|also|widely)\s+)?(?:known|renowned|famous)\s+for\s+(?P<known_list>{_NOT_THE_END}(?!{_VERB_AFTER_COMMA}),{_NOT_THE_END})"
    rf"{_APPOSITIVE_END}"
    # "X, a veteran writer, is in charge of …": a description to skip
    rf"|(?P<desc>(?:a|an|the)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,3}}){_APPOSITIVE_END}"
    # "X, known for founding Studio Durian and for The Wind Rises, wrote …": an appositive to skip
    r"|(?:(?:best|also|widely)\s+)?(?:known|renowned|famous)\s+for\s+(?P<known>[^,;]*?)"
    # "with X, co-founder of Madhouse and Studio M2, serving as …": so is a title of office
    rf"|(?P<office>(?:(?:a|an|the)\s+)?{OFFICE}"
    r"\s+of\s+[^,;]{1,60}?))(?:,|;|\.\s|\.?$)"
)
# "the music is once more a three-way collaboration between": read as "the music is by"
COLLAB_RE = re.compile(
    r"\s+(?:is|are|was|will\s+be)\s+(?:(?:once\s+more|again|also)\s+)?(?:an?\s+)?(?:[\w-]+\s+)?"
    r"(?:collaboration|joint\s+effort|team-up)\s+(?:between|of|by)\s+$"
)


def roles_in_chunk(chunk: str, ctx: PeopleContext) -> list[str]:
    """Predicates named in a verb phrase ("is handling the series composition")."""
    lex = ctx.lex
    low = chunk.replace("’", "'")
    lowest = lowered(low)  # word gates: a pattern runs only where its literals are
    allowed: frozenset[str] | None = None
    for neg in lex.chunk_negative:
        if gate_of(neg).admits(low, lowest) and neg.search(low):
            keep: frozenset[str] = frozenset()
            for pat, preds in lex.chunk_negative_keep:
                if pat.pattern == neg.pattern:
                    keep |= preds
            allowed = keep if allowed is None else allowed & keep
    found: list[tuple[int, str]] = []
    for m in lex.prose_role_re.finditer(low) if gate_of(lex.prose_role_re).admits(low, lowest) else ():
        if re.match(r"\s+by\b", low[m.end() :]):
            continue  # "directs from scripts by Y": the scripts are Y's
        for pred in lex.label_predicates(m.group(), prose=True) or ():
            found.append((m.start(), pred))
    for vpat, vpreds in lex.verb_roles:
        for m in vpat.finditer(low) if gate_of(vpat).admits(low, lowest) else ():
            if re.match(r"\s+(?:(?:and|&)\s+[\w-]+\s+)?by\b", low[m.end() :]):
                continue  # "written and directed by Y" credits Y, not the clause's subject
            found.extend((m.start(), p) for p in vpreds)
    out: list[str] = []
    for _, pred in sorted(found):
        if pred not in out and (allowed is None or pred in allowed):
            out.append(pred)
    return out


def _prefix_roles(pre: str, ctx: PeopleContext, *, before: str = "") -> list[str]:
    low = pre.replace("’", "'")
    m = ctx.lex.agent_tail_re.search(low)
    out: list[str] = []
    if m and re.search(r"\s$", low) is not None:
        # "Kadokawa producer X" is a job title at a company, not a credit on the work
        head = low[: m.start()]
        if not head.strip() and before.endswith(pre):  # the company was read as a name run of its own
            head = before[: len(before) - len(pre) + m.start()]
        company = re.search(r"(?:^|\s)[A-Z][\w.&-]*\s+$", head) is not None
        for part in re.split(r"\s*(?:,|\band\b|&|/)\s*", m.group(1)):
            for pred in ctx.lex.label_predicates(part) or ():
                if pred not in out and (not company or pred == "original_creator"):
                    out.append(pred)
    out.extend(p for p in _passive_roles(low, ctx, before=before) if p not in out)
    return out


PASSIVE_AUX = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "will",
        "being",
        "also",
        "all",
        "both",
        "once",
        "again",
        "still",
    }
)
NEUTRAL_PASSIVE = frozenset({"handled", "overseen", "supervised", "done", "provided", "managed", "covered"})
SOURCE_WORD_RE = re.compile(r"\b(?:manga|novels?|webtoons?|comics?|light novels?|web novels?)\b")


_PASSIVE_BY = re.compile(r"((?:[\w'-]+,?\s+){1,8}?)by\s*$")


def _passive_roles(low: str, ctx: PeopleContext, *, before: str = "") -> list[str]:
    """Roles of "written and directed by", "character designs by", "the score is by" ending ``low``."""
    if not low.rstrip().endswith("by"):
        return []  # what the pattern below needs (str.rstrip strips what \s matches), checked cheaply
    pm = _PASSIVE_BY.search(low)
    if not pm:
        return []
    words = [w.strip(",") for w in pm.group(1).split()]
    while words and words[-1] in PASSIVE_AUX:
        words.pop()
    if (
        words and words[-1] in NEUTRAL_PASSIVE
    ):  # "series composition is handled by X": the subject is the role
        words.pop()
        while words and words[-1] in PASSIVE_AUX:
            words.pop()
    if not words:
        return []
    source = SOURCE_WORD_RE.search(before or low) is not None
    out: list[str] = []
    i = len(words) - 1
    while i >= 0 and (words[i] in ctx.lex.passive_roles or words[i] in ("and", "&")):
        for pred in ctx.lex.passive_roles.get(words[i], ()):
            if source and words[i] in ("written", "penned", "created"):
                pred = "original_creator"
            elif pred == "original_creator" and words[i] != "created" and not source:
                continue  # "the animation was drawn by X" is not the source's author
            if pred not in out and pred != "studio":
                out.append(pred)
        i -= 1
    if out:
        return out
    head = " ".join(words)
    if re.search(rf"\b{SOURCE_KIND}(?:\s+series)?$", head):
        return ["original_creator"]
    for rm in ctx.lex.role_re.finditer(head):
        if rm.end() == len(head):
            out.extend(p for p in ctx.lex.label_predicates(rm.group()) or () if p not in out)
    return [p for p in out if p not in COMPANY_ROLES]


ALLCAPS_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[.;]\s)|(?<=,\s))(?P<n>[A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)?)(?=\s+[a-z])"
)
# "the chiptune band X, which …, returns to compose the music": a one-word act named by its kind
ACT_NOUN_RE = re.compile(r"\b(?:band|group|unit|duo|trio|composer|musician|artist|singer|producer)\s*$")
_ALLCAPS_WORD = re.compile(r"[A-Z][A-Z0-9]{2}")  # what ALLCAPS_SUBJECT_RE needs, found fast
ALLCAPS_BY_RE = re.compile(r"\bby\s+(?P<n>[A-Z][A-Z0-9]+(?: [A-Z][A-Z0-9]+){0,2})(?![\w.])")


def _clause_start(pre: str) -> bool:
    """The text before a name ends a clause (sentence start, comma, "and"): the name is a subject."""
    return re.search(r"(?:^|[,;:]|\band)\s*$", pre) is not None


def _plausible_mononym(token: str, ctx: PeopleContext) -> bool:
    return (
        len(token) >= 4
        and token not in ctx.lex.stop_tokens
        and token not in ctx.lex.org_heads
        and token not in ctx.lex.places
        and not known_organisation(token)
        and ctx.work_by_title(token) is None
        and not ctx.is_character_name(token)
    )


def _resolve(run: Run, ctx: PeopleContext, candidates: dict[str, str]) -> str | None:
    tokens = run.tokens
    if run.text.isupper():
        bad = any(t in ctx.lex.org_heads or t in ctx.lex.stop_tokens for t in tokens)
        return None if bad else run.text
    if len(tokens) >= 2:
        return run.text if looks_like_person(run.text, org_heads=ctx.lex.org_heads) else None
    full = ctx.people.resolve(run.text) or candidates.get(run.text.casefold())
    if full:
        ctx.people.add_alias(ctx.people.add(full), run.text)  # "Ando" stands for "Masashi Ando" here
    return full


def _candidate_people(ctx: PeopleContext) -> dict[str, str]:
    return ctx.candidate_people()


def _without_role_word(run: Run, ctx: PeopleContext) -> Run:
    """ "Composer Kenji Kawai" at a sentence start: the capitalised role word is not part of the name."""
    tokens = run.tokens
    if len(tokens) >= 3 and ctx.lex.label_predicates(tokens[0]) is not None:
        cut = len(tokens[0]) + 1
        return Run(run.start + cut, run.end, run.text[cut:])
    return run


def _role_word_opening(run: Run, text: str, ctx: PeopleContext) -> bool:
    """ "Character designs are by X": a capitalised sentence opener that begins a role phrase."""
    if len(run.tokens) != 1 or run.start > 0:
        return False
    rm = ctx.lex.role_re.match(text)
    return rm is not None and rm.end() > run.end


def prose_credits(ctx: PeopleContext) -> None:
    """Credits stated in sentences: "X is directing the anime at S", "with Y as assistant director"."""
    lex = ctx.lex
    candidates = _candidate_people(ctx)
    for unit in ctx.units:
        if unit.kind == "line" and LABEL_LINE_RE.match(unit.text):
            continue
        m = unit.masked
        runs = [
            _without_role_word(r, ctx)
            for r in name_runs(m, stop=lex.stop_tokens)
            if not any(t in lex.org_heads for t in r.tokens)
            and not _role_word_opening(r, m, ctx)
            and not OWNER_OF_NAME_RE.match(m, r.end)  # "Lantern Hollow’s Mira Okada": a work naming her
        ]
        for cm in (
            ALLCAPS_BY_RE.finditer(m) if "by" in m else ()
        ):  # "the score is by RADWIMPS": all-caps names
            if not any(r.start <= cm.start("n") < r.end for r in runs):
                runs.append(Run(cm.start("n"), cm.end("n"), cm.group("n")))
        subjects = ALLCAPS_SUBJECT_RE.finditer(m) if _ALLCAPS_WORD.search(m) else ()
        for cm in subjects:  # "MAYA composed the music": an all-caps one-word name
            if not any(r.start <= cm.start("n") < r.end for r in runs) and not known_organisation(
                cm.group("n")
            ):
                runs.append(Run(cm.start("n"), cm.end("n"), cm.group("n")))
        runs.sort(key=lambda r: r.start)
        groups = group_runs(m, runs)
        prev_end = 0
        prev_roles: list[str] = []
        prev_with = False
        skip_until = 0
        for group in groups:
            if group[0].start < skip_until:  # inside a relative clause handled with its head
                continue
            pre = m[prev_end : group[0].start]
            rel = REL_RE.match(m[group[-1].end :])
            post_from = group[-1].end
            if rel and rel.group("rel") is None:  # "X, known for Y, wrote …": credits go to X
                post_from = skip_until = group[-1].end + rel.end()
                rel = None
            elif rel:  # "X, who directed the first season, is back as director"
                _relative_credit(ctx, unit, group, rel.group("rel"), candidates)
                post_from = skip_until = group[-1].end + rel.end()
            next_start = next((g[0].start for g in groups if g[0].start >= post_from), len(m))
            raw_post = m[post_from:next_start]
            post = _cut_clause(raw_post, ctx)
            roles: list[str] = []
            as_m = re.match(r"^\s*,?\s*as\s+(?:the\s+|an?\s+|its\s+)?(.*)$", post, re.DOTALL)
            if as_m:  # "with Y as assistant director"
                head = re.split(r"[,.;]|\s(?:and|while|with)\s", as_m.group(1))[0]
                for rm in lex.prose_role_re.finditer(head.replace("’", "'")):
                    found = lex.label_predicates(rm.group(), prose=True) or ()
                    roles.extend(p for p in found if p not in roles)
            post_roles: list[str] = []
            if not roles and rel and RETURNS_RE.match(post):
                # "X, who scored the TV series, returns for the film": the same job on this work
                roles = [r for r in roles_in_chunk(rel.group("rel"), ctx) if r not in COMPANY_ROLES]
                post_roles = list(roles)
            if not roles:
                post_is_verb = not as_m and _chunk_is_predicate(post, ctx)
                if post_is_verb:
                    post_roles = roles_in_chunk(post, ctx)
                    roles.extend(post_roles)
                verbish = re.match(r"^\s+(?:[a-z]+ly\s+)?[a-z]+(?:s|ed)\b", post) is not None
                comma_joined = len(group) > 1 and "and" not in m[group[-2].end : group[-1].start].split()
                if (post_is_verb or verbish) and not roles and comma_joined:
                    group = group[:-1]  # "by A, B follows …": B starts the next clause
                pre_roles = COLLAB_RE.sub(" is by ", pre)  # "the music is a collaboration between A and B"
                roles.extend(
                    p for p in _prefix_roles(pre_roles, ctx, before=m[: group[0].start]) if p not in roles
                )
                last = re.split(r"[;,]\s+|\s+and\s+(?=the\b)", pre)[-1]  # "the score is by A together with"
                if (
                    not roles
                    and re.search(r"\bby\b", last)
                    and re.search(r"\b(?:alongside|together with|and)\s*$", last)
                ):
                    roles = _passive_roles(last[: last.rindex("by") + 2], ctx)
                elif not roles and prev_roles and re.search(r"\b(?:alongside|together with)\s*$", pre):
                    roles = list(prev_roles)
                own_job = re.match(r"^\s*,?\s*(?:serving|acting|working|credited)\s+as\s", post)
                if not roles and prev_with and re.search(r"\bwith\s*$", pre) and not own_job:
                    roles = prev_roles[-1:]  # "A directs, with B" (B's own job, if named, is not A's)
            prev_end = group[-1].end
            prev_with = re.search(r"\bwith\s*$", raw_post) is not None
            prev_roles = roles
            roles = [r for r in roles if r not in COMPANY_ROLES]
            if not roles:
                continue
            work = ctx.subject(unit.start + group[0].start)
            if work is None:
                continue
            lone_ok = (
                len(group) == 1
                and bool(post_roles)
                and (_clause_start(pre) or ACT_NOUN_RE.search(pre) is not None)
            )
            for run in group:
                name = _resolve(run, ctx, candidates)
                person_roles = roles
                if name is None and lone_ok and _plausible_mononym(run.text, ctx):
                    name = run.text  # "Kerorira designs the characters": a one-word pen name
                    person_roles = [r for r in roles if r not in ("producer", "planning")]
                if name is None:
                    continue
                ctx.credit(
                    subject=work.name,
                    name=name,
                    roles=person_roles,
                    start=unit.start,
                    end=unit.end,
                    confidence=0.85,
                )


def _relative_credit(
    ctx: PeopleContext, unit: Unit, group: list[Run], rel: str, cands: dict[str, str]
) -> None:
    """A credit in a relative clause counts only for an earlier work ("who directed the first season")."""
    cue = ctx.lex.previous_work_re.search(rel)
    if not _chunk_is_predicate(rel, ctx):
        return
    roles = [r for r in roles_in_chunk(rel, ctx) if r not in COMPANY_ROLES]
    work = ctx.subject(unit.start + group[0].start)
    if work is None:
        return
    target: WorkRef | None = work
    if cue is None:
        # "X, who is also chief director": the same work, unless the clause names another title
        if not re.search(r"\balso\b", rel) or re.search(r"[A-Z§]", rel):
            return
    else:
        target = ctx.previous_work(work, first="first" in cue.group().casefold())
        if target is None or target is work:
            return
    if target is None:
        return
    for run in group:
        name = _resolve(run, ctx, cands)
        if name is None:
            continue
        ctx.credit(
            subject=target.name, name=name, roles=roles, start=unit.start, end=unit.end, confidence=0.75
        )


PAREN_ROLE_RE = re.compile(
    r"(?<![\w.'’-])(?P<name>[A-ZÀ-ÖØ-ÞĀĒĪŌŪ][\w'’-]+(?: [A-ZÀ-ÖØ-ÞĀĒĪŌŪ][\w'’-]+){1,3})"
    r"\s*\((?P<roles>[^()]{3,80})\)"
)


def paren_role_credits(ctx: PeopleContext) -> None:
    """ "Kenji Nagasaki (director), Yuki Ono (series composition)": a role named in parentheses."""
    for unit in ctx.units:
        for m in PAREN_ROLE_RE.finditer(unit.text):
            preds: list[str] = []
            for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", m.group("roles")):
                found = ctx.lex.label_predicates(part)
                if found is None:
                    preds = []
                    break
                preds.extend(p for p in found if p not in preds and p not in COMPANY_ROLES)
            name = m.group("name")
            if not preds or not looks_like_person(name, org_heads=ctx.lex.org_heads):
                continue
            work = ctx.subject(unit.start + m.start())
            if work is None:
                continue
            ctx.credit(
                subject=work.name,
                name=name,
                roles=list(preds),
                start=unit.start,
                end=unit.end,
                confidence=0.8,
            )


def copyright_aliases(ctx: PeopleContext) -> None:
    """A name in a © line sharing a credited person's surname is that person's alias (no facts)."""
    text = ctx.text
    for seg in ctx.adoc.segments:
        body = text[seg.start : seg.end]
        if "©" not in body and "(C)" not in body:
            continue
        for run in name_runs(body, stop=ctx.lex.stop_tokens):
            if len(run.tokens) < 2 or not looks_like_person(run.text, org_heads=ctx.lex.org_heads):
                continue
            if ctx.people.knows(run.text) and person_key(run.text) in ctx.people.full:
                continue
            owners = {
                key
                for tok in (run.tokens[0], run.tokens[-1])
                for key in ctx.people.by_token.get(fold(tok), set())
                if len(fold(tok)) > 2
            }
            if len(owners) == 1:
                ctx.people.add_alias(ctx.people.full[next(iter(owners))], run.text)


INVERTED_CREDIT_RE = re.compile(
    r"(?:^|[.;]\s+|,\s+(?:and|while)\s+)(?P<chunk>(?:Directing|Helming|Handling|Composing|Writing|Overseeing"
    r"|Providing|Designing|Scoring|Scripting|Penning|Also\s+returning\s+to\s+\w+|Returning\s+to\s+\w+)"
    r"\s+[^,;.]{0,60}?)\s+(?:is|are|will\s+be|was)\s+(?:(?:once\s+again|again|also|back)\s+)?"
    rf"(?P<names>{PERSON_RUN}(?:\s*(?:,|and|&)\s*{PERSON_RUN})*)"
)
MUSIC_FROM_RE = re.compile(
    rf"\b(?:music|score|soundtrack)\s+(?:from|courtesy\s+of)\s+(?P<names>{PERSON_RUN})"
)


# "The music is by haruka nakamura.": a stylised all-lowercase name right after "music is by"
LOWERCASE_MUSIC_RE = re.compile(
    r"\b(?:music|score|soundtrack)\s+(?:is|was|will\s+be)\s+(?:(?:once\s+again|again|also)\s+)?by\s+"
    r"(?P<name>(?!(?:the|a|an|this|that|far|no|all|some|its|their|his|her|our|my|now|then|way)\b)"
    r"[a-z][a-z'-]{1,20}(?: [a-z][a-z'-]{1,20}){1,2})(?=\s*(?P<end>[.;,]|$))"
)


def inverted_credits(ctx: PeopleContext) -> None:
    """ "Directing the series is X", "Handling the music is Y"; "with music from Z"."""
    for unit in ctx.units:
        for m in LOWERCASE_MUSIC_RE.finditer(unit.masked):
            if m.group("end") == "," and not ctx.lex.known_artist(m.group("name")):
                continue  # "by haruka nakamura, who …": a comma ends the name only for a known composer
            work = ctx.subject(unit.start + m.start())
            if work is not None:
                ctx.credit(
                    subject=work.name,
                    name=m.group("name"),
                    roles=["music"],
                    start=unit.start,
                    end=unit.end,
                    confidence=0.75,
                )
        for m in INVERTED_CREDIT_RE.finditer(unit.masked):
            roles = [r for r in roles_in_chunk(m.group("chunk"), ctx) if r not in COMPANY_ROLES]
            _credit_names(ctx, unit, m.start("names"), m.group("names"), roles)
        for m in MUSIC_FROM_RE.finditer(unit.masked):
            _credit_names(ctx, unit, m.start("names"), m.group("names"), ["music"])


def _credit_names(ctx: PeopleContext, unit: Unit, offset: int, names: str, roles: list[str]) -> None:
    if not roles:
        return
    work = ctx.subject(unit.start + offset)
    if work is None:
        return
    for nm in re.finditer(PERSON_RUN, names):
        if not looks_like_person(nm.group(), org_heads=ctx.lex.org_heads):
            continue
        ctx.credit(
            subject=work.name,
            name=nm.group(),
            roles=list(roles),
            start=unit.start,
            end=unit.end,
            confidence=0.8,
        )
