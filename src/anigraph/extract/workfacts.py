"""Work facts the core reads: format, source, original creator, premiere, broadcaster,
streaming, episodes, studio, trailer, setting, aliases and sequels.

Every rule reads one segment (a sentence, a list line or the headline) and attaches the
fact to the work the cue is about (``SubjectTracker.subject_for``). Word lists and regular
expressions come from ``extract/data``.
"""

from __future__ import annotations

import re
from datetime import date

from anigraph.extract.dates import DateFinder, DateMention
from anigraph.extract.document import OFFICE_OF_RE, ArticleDoc, Segment, WorkRef
from anigraph.extract.mentions import mentions
from anigraph.extract.resources import Gazetteer, Resources
from anigraph.extract.sources import SourceFacts
from anigraph.extract.subjects import SubjectTracker
from anigraph.extract.textgate import LiteralGate, gate_of, lowered, may_hold
from anigraph.extract.titles import TitleSpans
from anigraph.models import Fact
from anigraph.names import fold

# every word some work-fact rule starts from; a segment with none of them (and no outlet) is skipped
_RELEVANT_WORD_LIST = (
    "anime|film|movie|special|original|series|season|manga|novel|comic|game|webtoon|manhwa|creator|author|"
    "premier|debut|broadcast|open|releas|hit|launch|start|begin|schedul|slated|coming|arriv|return|delay|"
    "postpon|moved|stream|episode|studio|animat|produc|helm|direct|trailer|teaser|promo|visual|video|poster|"
    "commercial|simulcast|licens|dub|exclusive|offer|rights|available|adapt|based|inspired|began|started|"
    "originated|sequel"
)
_RELEVANT_WORDS = tuple(_RELEVANT_WORD_LIST.split("|"))
_RELEVANT_REST = re.compile(r"\bOVA\b|\bONA\b|\bair|\bset\b|\bpv\b|\bcm\b|by\s+[A-Z]|\d", re.IGNORECASE)
_RELEVANT = re.compile("|".join(_RELEVANT_WORDS) + "|" + _RELEVANT_REST.pattern, re.IGNORECASE)


def _relevant(text: str, start: int, end: int) -> bool:
    """``_RELEVANT.search(text, start, end)``, faster: its plain words looked up in the lowered text."""
    low = lowered(text[start:end])
    if low is None:
        return _RELEVANT.search(text, start, end) is not None
    return may_hold(low, _RELEVANT_WORDS) or _RELEVANT_REST.search(text, start, end) is not None


_STRONG_FORMATS = {
    fmt: re.compile(rf"(?<![\w-])(?:{pat})(?!['’]s|\w)")
    for fmt, pat in {
        "tv": r"television anime(?: series)?|TV anime(?: series)?|anime television series|anime series",
        "film": r"anime film|animated film|anime movie|animated feature",
        "special": r"(?:television |TV )?anime special|TV special|television special",
        "ova": r"original video anime|OVA",
        "ona": r"original net animation|ONA|web anime|net anime",
    }.items()
}
_ORIGINAL = re.compile(
    r"\b(?:original|all-new original)\s+(?:\d+-episode\s+|two-episode\s+)?(?:TV\s+|television\s+)?anime"
    r"(?!\s+(?:DVD|Blu))(?:\s+(?:film|series|movie|project))?\b"
    r"|\b(?:original|all-new original)\s+animated\s+(?:TV\s+|television\s+)?(?:series|film|feature|movie)\b",
    re.IGNORECASE,
)
# "… and this will be an original anime", "It is an original TV anime": the sentence's work is the target
_COPULA_BEFORE = re.compile(
    r"\b(?:this|it)\s+(?:will\s+be|would\s+be|is|was|['’]s)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "X's manga is getting a much-awaited TV anime adaptation": the adaptation is the sentence's work
_GETS_BEFORE = re.compile(
    r"\b(?:gets?|getting|got|receives?|receiving|received|will\s+get)\s+(?:an?|its\s+(?:own|first))\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_SEQUEL_TO = re.compile(
    r"\bsequel(?:\s+(?:series|film|movie|anime|season))?\s+to\s+(?:the\s+|last\s+year['’]s\s+|\d{4}(?:['’]s)?\s+)?"
    r"(?:(?:classic|original|hit|popular|beloved|first)\s+)?(?:(?:TV\s+|television\s+)?(?:anime|film|movie|series|manga)"
    r"(?:\s+series)?\s+)?[‘“\"']?",
    re.IGNORECASE,
)
_NUMERIC_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")


def _numeric_days(value: str) -> list[str]:
    """ "10/25/2030" or "25/10/2030" in a lineup line; "04/05/2030" could be either, so it is no date."""
    out = []
    for m in _NUMERIC_DAY.finditer(value):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= a <= 12 < b <= 31:
            out.append(f"{y:04d}-{a:02d}-{b:02d}")
        elif 1 <= b <= 12 < a <= 31:
            out.append(f"{y:04d}-{b:02d}-{a:02d}")
    return out


_FILM_OPENER = re.compile(
    r"(?:The|This)\s+(?:(?:anime|animated|feature|new)\s+)?(?:film|movie)\s+(?!series\b)"
)
_EPISODES = [
    re.compile(
        r"\b(?:in|has|had|with|for|of|spanning|running|ran for|aired for|run for|runs for|consists of|"
        r"consisting of|lasts)\s+"
        r"(?P<n>\d{1,4}|[a-z-]+)\s+episodes\b"
    ),
    re.compile(r"\b(?P<n>\d{1,4}|[a-z]+(?:-[a-z]+)?)-episode\b"),
    re.compile(
        r"\b(?:all|its|all of its)\s+(?P<n>\d{1,4}|[a-z-]+)\s+(?:[\w-]+\s+){0,2}episodes\b", re.IGNORECASE
    ),
    re.compile(r"\bended with (?:its|the) (?P<ord>[a-z]+|\d+(?:st|nd|rd|th)) episode\b"),
    # "Twelve episodes are planned." / "… 8:00 p.m. 24 episodes in all" at a sentence start
    re.compile(r"^(?P<n>\d{1,4}|[A-Z][a-z]+(?:-[a-z]+)?)\s+episodes\b(?!\s+(?:of|from|into)\b)"),
]
_EPISODE_EXCLUDE = re.compile(
    r"\b(?:first|last|next|final|new|remaining|additional)\s+(?:\d+|[a-z]+)\s+episodes\b",
    re.IGNORECASE,
)
_STUDIO_CUE = re.compile(
    r"(?:\banimation studio\s+$|\bstudio\s+$|\b(?:at|by|from)\s+$|\bproduced by\s+$|\banimated by\s+$|"
    r"\banimation (?:production )?(?:is )?by\s+$|\bproduction by\s+$|\bwith\s+$)",
    re.IGNORECASE,
)
_STUDIO_HINT = re.compile(r"\b(?:studios?|animat\w*|produc\w*|helm\w*|direct\w*)\b", re.IGNORECASE)
_STUDIO_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)?\s+(?:also\s+)?(?:is\s+|are\s+)?(?:animating|animates|animate|"
    r"animated|producing the animation|in charge of the animation)\b"
)
_SETTING = re.compile(
    r"\b(?:story|series|anime|film|world|it|which|tale|manga)\s+(?:is\s+|was\s+)?set\s+in\s+(?!motion\b)"
    r"(?P<place>(?:the\s+)?"
    r"[A-Za-z0-9][\w' -]{1,40}?)(?=[,.;]|\s+(?:where|when|with|and|as|in which)\b|$)"
)
_TRAILER_VERB = re.compile(
    r"\b(?:unveil|reveal|release|debut|stream|post|drop|premier|launch|share|show|begin|began|introduc|preview|"
    r"publish|air|start|feature)\w*\b",
    re.IGNORECASE,
)


_FILM_NOUN = re.compile(r"(?<![\w-])(?:film|movie|special)(?!['’]s|\w)")


class WorkFactReader(SourceFacts):
    def __init__(self, res: Resources) -> None:
        self.res = res
        self.dates = DateFinder(res)
        self.spans = TitleSpans(res)
        self.premiere_cue = res.re("premiere_cues")
        self.non_premiere = res.re("non_premiere_cues")
        self.guess = res.re("guess_cues")
        self.gates = {
            "premiere_cues": LiteralGate(self.premiere_cue),
            "guess_cues": LiteralGate(self.guess),
            "source_words": LiteralGate(res.source_words),
            "trailer_words": LiteralGate(res.trailer_words),
        }
        self.stream_cue = res.re("streaming_cues")
        self.broadcast_cue = res.re("broadcast_cues")
        self.not_work_stream = res.re("not_work_stream")
        self.screening = res.re("screening_only")
        self.adapt_cue = res.re("adaptation_cues")
        self.region = res.re("region")
        self.numbers: dict[str, int] = dict(res.vocab["number_words"])
        self._tracker: SubjectTracker | None = None
        self._outlet_hits: dict[int, list[tuple[int, int, str]]] = {}
        self._text = ""
        self.info_labels: dict[str, str] = {
            label: kind for kind, labels in res.vocab["info_labels"].items() for label in labels
        }
        self.ordinals: dict[str, int] = dict(res.vocab["ordinals"])

    # -- driver ---------------------------------------------------------------------------------
    def read(self, adoc: ArticleDoc, tracker: SubjectTracker, *, ref: date | None) -> list[Fact]:
        facts: list[Fact] = []
        self._tracker = tracker
        self._text = adoc.text
        # outlet names found once per article; rules look them up by range
        self._outlet_hits = {
            id(self.res.broadcasters): adoc.phrases("broadcaster"),
            id(self.res.streaming): adoc.phrases("streaming"),
        }
        for i, seg in enumerate(adoc.segments):
            if seg.boilerplate or seg.kind == "heading":
                continue
            if not _relevant(adoc.text, seg.start, seg.end) and not any(
                self._hits(g, seg.start, seg.end) for g in (self.res.broadcasters, self.res.streaming)
            ):
                continue  # no cue any rule below looks for (story summaries, quotes, …)
            subj = adoc.segment_subjects[i] if i < len(adoc.segment_subjects) else adoc.main_work
            ctx = _Ctx(adoc, tracker, seg, subj, facts)
            self._format_and_original(ctx)
            self._source(ctx)
            if seg.kind == "headline":
                self._premiere(ctx, ref=ref, headline=True)
                continue
            if seg.kind == "line" and self._info_line(ctx, ref=ref):
                continue
            self._premiere(ctx, ref=ref, headline=False)
            self._outlets(ctx)
            self._episodes(ctx)
            self._studio(ctx)
            self._trailer(ctx)
            self._setting(ctx)
            self._sequel_to(ctx)
        facts.extend(self._aliases_and_sequels(adoc))
        return facts

    def _sequel_to(self, ctx: _Ctx) -> None:
        """ "X, a sequel to the classic anime Y", "the sequel series to Y": X continues Y (a work the
        page names there)."""
        text, seg = ctx.text, ctx.seg
        for m in _SEQUEL_TO.finditer(text, seg.start, seg.end) if ctx.admits(gate_of(_SEQUEL_TO)) else ():
            at = m.end()
            named = [w.name for s, _e, w in ctx.tracker.mentions_in(at, min(seg.end, at + 2)) if s <= at + 1]
            named += [t.text for t in mentions(ctx.adoc.doc, label="WORK") if at <= t.start <= at + 1]
            if not named:
                continue
            work = ctx.tracker.subject_for(seg, ctx.subject, m.start())
            if work is None or fold(work.name) == fold(named[0]):
                continue
            ctx.add(work, "sequel_of", named[0].strip(" ’'”\""), 0.75, object_type="work")

    # -- "Label: value" info lines ("Broadcast: Tokyo MX", "Release date: April 2026") -----------
    def _info_line(self, ctx: _Ctx, *, ref: date | None) -> bool:
        m = re.match(r"\s*(?P<label>[^:]{1,30}?)\s*:\s*(?P<value>\S.*?)\s*$", ctx.seg.text)
        if not m:
            return False
        label = m.group("label").casefold()
        kind = self.info_labels.get(label)
        if kind is None and ctx.subject is not None:
            return self._outlet_line(ctx, m, ref=ref)
        if kind is None or ctx.subject is None:
            return False
        work = ctx.subject
        text = ctx.text
        vstart = ctx.seg.start + m.start("value")
        vend = ctx.seg.start + m.end("value")
        if kind in {"broadcaster", "streaming"}:
            gaz = self.res.broadcasters if kind == "broadcaster" else self.res.streaming
            for _s, _e, name in self._hits(gaz, vstart, vend):
                ctx.add(work, kind, name, 0.8, object_type="organization")
        elif kind == "premiere":
            for d in self.dates.find(text, vstart, vend, ref=ref)[:1]:
                if d.value:
                    ctx.add(work, "premiere", d.value, 0.75)
        elif kind == "episodes":
            n = re.match(r"(\d{1,4})\b", m.group("value"))
            if n:
                ctx.add(work, "episodes", str(int(n.group(1))), 0.8)
        elif kind == "format":
            fmt = {
                "tv": "tv",
                "tv series": "tv",
                "movie": "film",
                "film": "film",
                "ova": "ova",
                "ona": "ona",
                "special": "special",
                "tv special": "special",
                "short": "short",
            }.get(m.group("value").casefold())
            if fmt:
                ctx.add(work, "format", fmt, 0.8)
        return True

    def _outlet_line(self, ctx: _Ctx, m: re.Match[str], *, ref: date | None) -> bool:
        """A broadcast lineup line, "Tokyo MX: 10/25/2027 at 22:00": the channel, and the first date of
        the lineup as the premiere."""
        assert ctx.subject is not None
        label_start = ctx.seg.start + m.start("label")
        label_end = ctx.seg.start + m.end("label")
        for gaz, kind in ((self.res.broadcasters, "broadcaster"), (self.res.streaming, "streaming")):
            hits = self._hits(gaz, label_start, label_end)
            if (
                len(hits) != 1
                or hits[0][1] != label_end
                or ctx.text[label_start : hits[0][0]].strip(" •*·▪►-–")
            ):
                continue  # the whole label is one channel (a bullet before it aside)
            vstart, vend = ctx.seg.start + m.start("value"), ctx.seg.start + m.end("value")
            found = [
                d.value for d in self.dates.find(ctx.text, vstart, vend, ref=ref) if d.precision == "day"
            ]
            days = [d for d in found if d] or _numeric_days(ctx.text[vstart:vend])
            if not days:
                return False  # "Netflix: the streamer said …" is not a lineup
            ctx.add(ctx.subject, kind, hits[0][2], 0.8, object_type="organization")
            if not any(f.predicate == "premiere" and f.subject == ctx.subject.name for f in ctx.facts):
                ctx.add(ctx.subject, "premiere", days[0], 0.7)
            return True
        return False

    # -- format and "original" ------------------------------------------------------------------
    def _format_and_original(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        for fmt, pat in _STRONG_FORMATS.items():
            if not ctx.admits(gate_of(pat)):
                continue
            for m in pat.finditer(text[seg.start : seg.end]):
                pos = seg.start + m.start()
                end = seg.start + m.end()
                if fmt == "tv" and re.match(r"\s+special", text[end : seg.end]):
                    continue
                work = self._format_target(ctx, pos, end)
                if work is not None:
                    ctx.add(work, "format", fmt, 0.85)
        # "the X film", "X, the film", "the film X" with a title right beside the plain noun
        for m in _FILM_NOUN.finditer(text[seg.start : seg.end]) if ctx.admits(gate_of(_FILM_NOUN)) else ():
            pos, end = seg.start + m.start(), seg.start + m.end()
            if re.search(r"(?:anime|animated|TV|television)\s+$", text[max(seg.start, pos - 12) : pos]):
                continue
            work = self._adjacent_work(ctx, pos, end)
            if work is not None:
                ctx.add(work, "format", "special" if m.group(0) == "special" else "film", 0.8)
        opener = _FILM_OPENER.match(text, seg.start, seg.end)
        if opener is not None and not any(w.format == "tv" for w in ctx.adoc.works):
            # "The film will play in IMAX": a sentence about the article's work calls it a film
            work = ctx.tracker.subject_for(seg, ctx.subject, opener.end())
            if (
                work is not None
                and work.format in (None, "film")
                and not ctx.tracker.mentions_in(seg.start, seg.end)
            ):
                ctx.add(work, "format", "film", 0.7)
        for m in _ORIGINAL.finditer(text, seg.start, seg.end) if ctx.admits(gate_of(_ORIGINAL)) else ():
            work = self._format_target(ctx, m.start(), m.end())
            if work is not None:
                ctx.add(work, "based_on", "original", 0.8)
                if re.search(r"(?:film|movie)$", m.group(0), re.I):
                    ctx.add(work, "format", "film", 0.8)

    def _adjacent_work(self, ctx: _Ctx, pos: int, end: int) -> WorkRef | None:
        text, seg = ctx.text, ctx.seg
        for s, e, w in ctx.tracker.mentions_in(seg.start, seg.end):
            gap_before = text[e:pos]
            indefinite = re.search(
                r"\b(?:a|an|new|another)\s+$", text[max(seg.start, s - 8) : s], re.IGNORECASE
            )
            if e <= pos and not indefinite and re.fullmatch(r"(?:\s*\([^()]*\))?\s*['’‘\"”]?\s*", gap_before):
                return w  # "X film", "X (Y) anime film"
            if e <= pos and re.fullmatch(
                r"\)?(?:\s*\([^()]*\))?(?:\s+anime)?,\s+(?:the|an?)\s+"
                r"(?:(?!(?:of|for|in|on|at|by|with|from|to|and|who|which|that)\b)[\w'’-]+\s+){0,5}?",
                gap_before,
            ):
                return w  # "X, the second anime film", "X (Y) anime, the third television anime series"
            gap_after = text[end:s]
            if s >= end and re.fullmatch(r"\s*,?\s*['‘\"“]?", gap_after):
                return w  # "the anime film X", "the film “X”", "the upcoming film, X"
            if s >= end and re.fullmatch(
                r"\s+(?:special\s+)?(?:titled|called|named|entitled)\s+['‘\"“]?", gap_after
            ):
                return w
        return None

    def _format_target(self, ctx: _Ctx, pos: int, end: int) -> WorkRef | None:
        work = self._adjacent_work(ctx, pos, end)
        if work is not None:
            return work
        text, seg = ctx.text, ctx.seg
        after = text[end : seg.end]
        if re.match(r"\s+(?:adaptation\s+)?(?:of|adapting|based on)\b", after):
            nxt = ctx.tracker.mentions_in(end, seg.end)
            return nxt[0][2] if nxt else ctx.tracker.subject_for(seg, ctx.subject, pos)
        before = text[max(seg.start, pos - 40) : pos]
        opener = re.fullmatch(r"\s*(?:The|This|Its|An?)\s+(?:[\w-]+\s+){0,2}", text[seg.start : pos])
        copula = _COPULA_BEFORE.search(before) or _GETS_BEFORE.search(before)
        if (opener or copula or re.search(r"\bits\s+(?:[\w-]+\s+){0,2}$", before)) and not re.search(
            r"\b(?:another|other|previous|first|second|third|fourth|fifth|sixth|latest)\b",
            before,
            re.IGNORECASE,
        ):
            return ctx.tracker.subject_for(seg, ctx.subject, pos)
        return None

    def _hits(self, gaz: Gazetteer, start: int, end: int) -> list[tuple[int, int, str]]:
        """Names of ``gaz`` inside [start, end) (from the per-article scan)."""
        hits = self._outlet_hits.get(id(gaz))
        if hits is None:
            return gaz.find(self._text, start, end)
        return [h for h in hits if start <= h[0] and h[1] <= end]

    def _last_mention_end(self, start: int, end: int) -> int:
        if self._tracker is None:
            return start
        found = [m for m in self._tracker.mentions_in(start, end) if m[1] <= end]
        return found[-1][1] if found else start

    # -- premiere -------------------------------------------------------------------------------
    def _premiere(self, ctx: _Ctx, *, ref: date | None, headline: bool) -> None:
        text, seg = ctx.text, ctx.seg
        chunk = text[seg.start : seg.end]
        if not ctx.admits(self.gates["premiere_cues"]):
            return
        if ctx.admits(self.gates["guess_cues"]) and self.guess.search(chunk):
            return
        cues = list(self.premiere_cue.finditer(text, seg.start, seg.end))
        if not cues:
            return
        dates = self.dates.find(text, seg.start, seg.end, ref=ref)
        used: set[int] = set()
        for cue in cues:
            if re.match(r"delay|postpon|moved", cue.group(0), re.I):
                self._delay(ctx, cue, dates)
                continue
            clause_end = _clause_end(text, cue.end(), seg.end)
            candidates = [d for d in dates if cue.end() <= d.start < clause_end and d.start not in used]
            if not candidates:
                continue
            d = candidates[0]
            between = text[cue.end() : d.start]
            if self.non_premiere.search(between):
                continue  # "aired from 1981 to 1986": the run starts at the first date, which d already is
            lead = text[max(seg.start, cue.start() - 60) : cue.start()]
            if _OLD_PLAN.search(lead):
                continue  # "was first scheduled for April": the old plan, not the premiere
            subj_noun = re.search(
                r"\b(?:manga|novels?|light novels?|volumes?|chapters?|books?|game|magazine|"
                r"albums?|singles?|soundtracks?|CDs?|Blu-rays?|DVDs?|box sets?|artbooks?|"
                r"series' (?:first|final) volume)\b,?(?:\s+\w+){0,3}\s*,?\s*$",
                lead,
                re.IGNORECASE,
            )
            if subj_noun:
                head = text[seg.start : cue.start() - len(lead) + subj_noun.start()]
                complement = re.search(r"\b(?:of|adapting|adapts|based on|from)\s+(?:\S+\s+){0,6}$", head)
                anime_first = re.search(r"\b(?:anime|film|movie|season|show)\b", head)
                if not (complement and anime_first):
                    continue
            if self.non_premiere.search(lead + cue.group(0)) and not re.search(
                r"premier|debut|air", cue.group(0), re.I
            ):
                continue
            used.add(d.start)
            if d.value is None:
                continue
            work = ctx.tracker.subject_for(seg, ctx.subject, cue.start())
            main = ctx.adoc.main_work
            if (
                main is not None
                and main.base
                and re.search(
                    r"\b(?:a|its|the)\s+(?:second|third|fourth|fifth|sixth|new|\d+(?:st|nd|rd|th))\s+season\b",
                    text[cue.start() : d.start],
                )
            ):
                work = main
            if work is None:
                continue
            quals = {}
            where = self._where(text, d.end, clause_end) or self._where_before(text, seg.start, cue, d)
            if where:
                quals["where"] = where
            ctx.add(work, "premiere", d.value, 0.8 if d.explicit_year else 0.6, qualifiers=quals)

    def _delay(self, ctx: _Ctx, cue: re.Match[str], dates: list[DateMention]) -> None:
        """ "postponed from July to October 2021": the new date is the premiere."""
        text = ctx.text
        after = [d for d in dates if d.start >= cue.end()]
        for d in after:
            if re.search(r"\bto\s+$", text[max(cue.end(), d.start - 6) : d.start]) and d.value:
                if re.search(r"\bfrom\b", text[cue.end() : d.start]):
                    work = ctx.tracker.subject_for(ctx.seg, ctx.subject, cue.start())
                    if work is not None:
                        ctx.add(work, "premiere", d.value, 0.75)
                return

    def _where_before(self, text: str, seg_start: int, cue: re.Match[str], d: DateMention) -> str | None:
        """ "premiered on Netflix on April 23", "arrives on Netflix today", "Netflix released X today"."""
        for gaz in (self.res.broadcasters, self.res.streaming):
            for s, e, name in self._hits(gaz, cue.end(), d.start):
                if re.fullmatch(r"(?:'s\s+[^,.;]{0,40}?)?\s+(?:on|in)?\s*", text[e : d.start]) and re.search(
                    r"\b(?:on|in)\s+(?:the\s+)?$", text[cue.end() : s]
                ):
                    return name
            for _s, e, name in self._hits(gaz, max(seg_start, cue.start() - 40), cue.start()):
                if re.fullmatch(
                    r"\s+(?:(?:then|will|has|also|officially|finally)\s+)*", text[e : cue.start()]
                ):
                    return name
        return None

    def _where(self, text: str, start: int, end: int) -> str | None:
        m = re.match(r",?\s+(?:at\s+[\d:.apm ]+\s+)?(?:on|in)\s+(?:the\s+)?", text[start:end])
        if not m:
            return None
        pos = start + m.end()
        for gaz in (self.res.broadcasters, self.res.streaming):
            hits = self._hits(gaz, pos, min(end, pos + 40))
            if hits and hits[0][0] == pos:
                return hits[0][2]
        return None

    # -- broadcasters and streaming services ----------------------------------------------------
    def _outlets(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        for gaz, predicate in ((self.res.broadcasters, "broadcaster"), (self.res.streaming, "streaming")):
            for s, e, name in self._hits(gaz, seg.start, seg.end):
                c0 = _clause_start(text, s, seg.start)
                c1 = _clause_end(text, e, seg.end)
                clause = text[c0:c1]
                cue_re = self.broadcast_cue if predicate == "broadcaster" else self.stream_cue
                cue = cue_re.search(clause)
                if cue is None:
                    cue = cue_re.search(text, seg.start, s)
                    if cue is None:
                        continue
                    c0 = seg.start
                    clause = text[c0:c1]
                    cue = cue_re.search(clause)
                    if cue is None:
                        continue
                if predicate == "streaming":
                    obj_text = text[c0 + cue.end() : c1][:60]
                    other = self.not_work_stream.search(obj_text)
                    work_word = re.search(r"\b(?:anime|series|film|season|show|episodes?)\b", obj_text)
                    if other and (work_word is None or work_word.start() > other.start()):
                        continue
                    if self.screening.search(clause) and not re.search(
                        r"\bstream|simulcast|rights", clause, re.I
                    ):
                        continue
                    if re.search(r"home video|blu-ray|dvd", clause, re.I):
                        continue
                work = ctx.tracker.subject_for(seg, ctx.subject, c0 + cue.start())
                if work is None:
                    continue
                quals = {}
                region = self._region_near(text, s, e, c0, c1, same=gaz)
                if region:
                    quals["region"] = region
                ctx.add(work, predicate, name, 0.85, object_type="organization", qualifiers=quals)

    def _region_near(self, text: str, s: int, e: int, c0: int, c1: int, *, same: Gazetteer) -> str | None:
        """ "X will stream it in North America", "worldwide on X", "X … outside of Asia"."""
        window_end = min(c1, e + 80)
        nxt = [
            (h, g is same)
            for g in (self.res.streaming, self.res.broadcasters)
            for h in self._hits(g, e, window_end)
        ]
        for (ns, ne, _name), kin in sorted(nxt):
            if kin and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", text[e:ns]):
                e = ne  # "Netflix and Crunchyroll will stream it worldwide": the list shares the region
                continue
            # a different kind of outlet next ("on Fuji TV and Crunchyroll outside of Asia"): the
            # region that follows is the streamer's, not the channel's
            window_end = ns  # stop at the next outlet: its region is its own
            break
        for r in self.region.finditer(text, e, window_end):
            return _region_text(r.group(0))
        before = text[c0:s]
        for r in self.region.finditer(before):
            if re.fullmatch(r"\s+on\s+", before[r.end() :]) or re.fullmatch(
                r"\s+(?:in\s+\d+\s+episodes\s+)?", before[r.end() :]
            ):
                return _region_text(r.group(0))
        return None

    # -- episodes, studio, trailer, setting -----------------------------------------------------
    def _episodes(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        chunk = text[seg.start : seg.end]
        for pat in _EPISODES:
            if not ctx.admits(gate_of(pat)):
                continue
            for m in pat.finditer(chunk):
                if _EPISODE_EXCLUDE.search(chunk[max(0, m.start() - 12) : m.end() + 4]):
                    continue
                if "ord" in pat.groupindex and m.group("ord"):
                    raw = m.group("ord").casefold()
                    n = self.ordinals.get(raw) or (int(raw[:-2]) if raw[:-2].isdigit() else 0)
                else:
                    raw = m.group("n").casefold()
                    n = int(raw) if raw.isdigit() else self.numbers.get(raw, 0)
                if not 0 < n < 3000:
                    continue
                if re.match(r"\s*(?:season|arc|cour)\b", chunk[m.end() :]) and "-episode" not in m.group(0):
                    continue
                pos = seg.start + m.start()
                work = self._adjacent_work(ctx, pos, seg.start + m.end()) or ctx.tracker.subject_for(
                    seg, ctx.subject, pos
                )
                if work is not None:
                    ctx.add(work, "episodes", str(n), 0.8)

    def _studio(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        if not ctx.admits(gate_of(_STUDIO_HINT)) or not _STUDIO_HINT.search(
            text, seg.start, seg.end
        ):  # the gazetteer scan is the costly part
            return
        for s, e, name in ctx.adoc.phrases("studio", seg.start, seg.end):
            if self.res.streaming.find(name) or name.casefold() in self.res.publishers:
                continue
            before = text[max(seg.start, s - 30) : s]
            if OFFICE_OF_RE.search(text[max(seg.start, s - 80) : s]):
                continue  # "B, co-founder of Madhouse and Studio M2,": a person's company, not the work's
            cue = _STUDIO_CUE.search(before)
            after_cue = _STUDIO_AFTER.match(text, e, seg.end)
            if text[max(seg.start, s - 7) : s].casefold() == "studio " or text[s:e].casefold().startswith(
                "studio "
            ):
                cue = cue or re.search(r"$", before)
            if cue is None and after_cue is None:
                m = re.search(r"\bat\s+(?:[A-Z][\w.-]*\s+(?:and|&)\s+)$", before)
                if not m:
                    continue
            if cue is not None and re.search(r"\bwith\s+$", before) and after_cue is None:
                continue
            if (
                cue is not None
                and re.search(r"\b(?:by|from)\s+$", before)
                and not re.search(
                    r"\b(?:anime|animat|produc|studio|series|film)\w*", text[seg.start : s], re.IGNORECASE
                )
            ):
                continue
            work = ctx.tracker.subject_for(seg, ctx.subject, s)
            if work is not None:
                name = text[s:e] if not text[s:e].casefold().startswith("studio ") else text[s + 7 : e]
                ctx.add(work, "studio", name, 0.85, object_type="organization")

    def _trailer(self, ctx: _Ctx) -> None:
        text, seg = ctx.text, ctx.seg
        chunk = text[seg.start : seg.end]
        if not ctx.admits(gate_of(_TRAILER_VERB)) or not _TRAILER_VERB.search(chunk):
            return
        if not ctx.admits(self.gates["trailer_words"]):
            return
        for m in self.res.trailer_words.finditer(chunk):
            kind = self.res.trailer_kind.get(m.group(0).casefold())
            if kind is None or kind == "commercial":
                continue
            end = seg.start + m.end()
            target = re.match(
                r"\s+(?:for|of)\s+(?:the\s+(?P<noun>film|movie|anime|series|show|season))?", text[end:]
            )
            work = None
            if target:
                if target.group("noun"):
                    work = ctx.tracker.nominal(text, end, end + target.end())
                else:
                    nxt = ctx.tracker.mentions_in(end + target.end(), end + target.end() + 2)
                    work = nxt[0][2] if nxt else None
            work = work or ctx.tracker.subject_for(seg, ctx.subject, seg.start + m.start())
            if work is not None:
                ctx.add(work, "trailer", kind, 0.6)

    def _setting(self, ctx: _Ctx) -> None:
        for m in (
            _SETTING.finditer(ctx.text, ctx.seg.start, ctx.seg.end) if ctx.admits(gate_of(_SETTING)) else ()
        ):
            place = m.group("place").strip()
            if len(place.split()) > 5:
                continue
            work = ctx.tracker.subject_for(ctx.seg, ctx.subject, m.start())
            if work is not None:
                ctx.add(work, "setting", place, 0.6)

    # -- aliases and sequels --------------------------------------------------------------------
    def _aliases_and_sequels(self, adoc: ArticleDoc) -> list[Fact]:
        """Facts of the work's names, cited by the segment of the mention that shows them: aliases,
        "X: The Movie" as a film, "X Season 2" as the sequel of X."""
        out: list[Fact] = []
        text = adoc.text

        def at_mention(
            work: WorkRef, pos: int, predicate: str, obj: str, conf: float, kind: str | None
        ) -> None:
            seg = adoc.segment_at(pos)
            if seg is None:
                return
            sg = adoc.segments[seg]
            out.append(
                adoc.make_fact(
                    subject=work.name,
                    subject_type="work",
                    predicate=predicate,
                    obj=obj,
                    start=sg.start,
                    end=sg.end,
                    confidence=conf,
                    object_type=kind,
                )
            )

        for work in adoc.works:
            for alias in work.aliases:
                span = next(((s, e) for s, e in work.mentions if text[s:e] == alias), None)
                if span is not None and fold(alias) != fold(work.name):
                    at_mention(work, span[0], "alias", alias, 0.85, "work")
            if not work.mentions:
                continue
            if work.format == "film" and re.search(r"\b(?:[Tt]he Movie|Movie:|Film:)", work.name):
                at_mention(work, work.mentions[0][0], "format", "film", 0.8, None)
            if work.base:
                at_mention(work, work.mentions[0][0], "sequel_of", work.base, 0.7, "work")
        return out


class _Ctx:
    __slots__ = ("adoc", "chunk", "facts", "low", "seg", "subject", "text", "tracker")

    def __init__(
        self,
        adoc: ArticleDoc,
        tracker: SubjectTracker,
        seg: Segment,
        subject: WorkRef | None,
        facts: list[Fact],
    ) -> None:
        self.adoc = adoc
        self.tracker = tracker
        self.seg = seg
        self.subject = subject
        self.text = adoc.text
        self.facts = facts
        self.chunk = adoc.text[seg.start : seg.end]
        self.low = lowered(self.chunk)  # for the word gates in front of the patterns

    def admits(self, gate: LiteralGate) -> bool:
        """False when the segment holds no literal the gate's pattern needs (it cannot match)."""
        return gate.admits(self.chunk, self.low)

    def add(
        self,
        work: WorkRef,
        predicate: str,
        obj: str,
        confidence: float,
        *,
        qualifiers: dict[str, str] | None = None,
        object_type: str | None = None,
    ) -> None:
        self.facts.append(
            self.adoc.make_fact(
                subject=work.name,
                subject_type="work",
                predicate=predicate,
                obj=obj,
                start=self.seg.start,
                end=self.seg.end,
                confidence=confidence,
                qualifiers=qualifiers,
                object_type=object_type or "value",
            )
        )


_CLAUSE_END = re.compile(
    r";|,\s+(?:and|but|while|which|after|before)\s+(?!(?:then\s+)?(?:on|in|at|from|starting)\b)"
    r"|\s+and\s+(?:it|the|has|had|was|will)\s"
)
_CLAUSE_START = re.compile(r";\s|,\s+(?:and|but|while|which)\s+(?!(?:then\s+)?(?:on|in|at|from|starting)\b)")


_OLD_PLAN = re.compile(
    r"\b(?:first|originally|initially|previously|once)\s+$|\b(?:first|originally|initially|previously)\s+"
    r"(?:scheduled|slated|set|planned|announced|supposed|meant|expected)\b[^.;]*$",
    re.IGNORECASE,
)


def _region_text(raw: str) -> str:
    """ "in the U.S." → "U.S."; "outside of Asia" and "worldwide …" stay as written."""
    return re.sub(r"^in\s+(?:the\s+)?", "", raw.strip())


def _clause_end(text: str, pos: int, limit: int) -> int:
    m = _CLAUSE_END.search(text, pos, limit)
    return m.start() if m else limit


def _clause_start(text: str, pos: int, limit: int) -> int:
    best = limit
    for m in _CLAUSE_START.finditer(text, limit, pos):
        best = m.end()
    return best
