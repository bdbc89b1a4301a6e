"""Find the works an article talks about, their spellings, formats and sequel links.

Titles come from general cues, never from a list of shows: the headline's leading title,
"Title (Other Title)" pairs, "titled X", "under the title X", "the X anime/film",
"X, the second television anime series", and misspellings of a known title (edit distance
≤ 2 on a capitalised span of the same length). Spellings of one work are grouped; the
headline's spelling (else the first one written) is the canonical name.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from anigraph.extract.document import ArticleDoc, Segment, WorkRef
from anigraph.extract.headlines import (
    _ARTICLES,
    SEASON_MARKER,
    HeadlineTitles,
    _occurrences,
    recase_from_body,
)
from anigraph.extract.mentions import mentions
from anigraph.extract.people.lexicon import load_lexicon
from anigraph.extract.people.names import looks_like_person
from anigraph.extract.resources import Resources
from anigraph.extract.subject_choice import Candidate, SubjectModel, choose_subject
from anigraph.extract.textgate import gate_of, lowered
from anigraph.extract.titles import TitleSpans
from anigraph.extract.work_index import (
    THE_MOVIE_RE,
    WorkGroup,
    WorkIndex,
    article_mid_sentence,
    format_of,
    inside_longer,
    is_misspelling,
    looks_like_list,
    person_after_colon,
    season_number,
    title_shaped,
    within,
)
from anigraph.names import fold

_PAREN = re.compile(r"\s*\(([^()]{2,120})\)")
# a title in Japanese (or another non-Latin) script before a comma inside the parentheses
_NATIVE_FIRST = re.compile(r"^[^\x00-\x7f,、]*[^\x00-\x7f][^,、]*[,、]\s*(?=[A-Z0-9])")
_FORMAT_NOUN = (
    r"(?:television anime series|television anime|TV anime series|TV anime|"
    r"anime television series|anime series|anime film|animated film|anime movie|film|movie|series|anime|"
    r"OVA|ONA|special|"
    r"original video anime|manga|light novel|novel|game)"
)
_NOT_DESCRIPTOR = (
    r"(?!(?:the|a|an|is|are|was|were|will|has|have|had|be|been|and|or|in|on|at|for|with|to|of|by|as|from|"
    r"who|which|that|also|directing|directed|handling|designing|composing|helming|writing|wrote|penning|"
    r"supervising|joining|playing|performing|voicing|producing|animating|stars|starring)\b)"
    r"(?![a-z]+[^s's]s\b)"  # "tackles", "directs": a verb, not a descriptor
)
_ALIAS_LABEL = re.compile(
    r"^(?:(?:original|Japanese|English|romani[sz]ed|r[oō]maji)\s+(?:title|name)\s*[:：]?"
    r"|(?:Japanese|JP|Jp\.|Japan)\s*[:：]|a\.?k\.?a\.?|also\s+known\s+as|lit\.|literally)\s*",
    re.IGNORECASE,
)
_AFTER_PAREN = re.compile(
    rf",?\s+(?:(?:the|an?|its)\s+)?(?:{_NOT_DESCRIPTOR}[a-z][\w'’-]*\s+){{0,4}}?{_FORMAT_NOUN}(?!['’]s)\b",
    re.IGNORECASE,
)
_CLAUSE_TITLE = re.compile(
    r"([A-Z0-9\[][^,.;()\n]{0,80}?)(?=\s*\(|[,.;()]\s|[,.;()]?$|\s+(?:in|on|at|last|this|next|from|for|with|and|"
    r"until|since|before|after)\s)"
)
_UNDER_TITLE = re.compile(
    r"\b(?:under the (?:title|name)|also known as|known (?:in \w+ )?as|a\.k\.a\.?|goes by|listed as|"
    r"also called|also titled)\s+$"
)
_SECTION_NOMINAL = re.compile(
    r"\b(?:the|this|its)\s+(?:new\s+|upcoming\s+|anime\s+|animated\s+|TV\s+|television\s+)?"
    r"(?P<noun>series|movie|film|anime|show|season|OVA|adaptation)\b",
    re.IGNORECASE,
)
_TITLE_BEFORE_PAREN = re.compile(
    r"\b([A-Z0-9][\w'’!&.-]*(?:[ \t]+(?:[A-Z0-9][\w'’!&.:-]*|of|the|no|to|a|and))*)[ \t]*"
    r"\(\s*(?:titled|entitled|called|named)\s+$"
)
_BEFORE_FORMAT = re.compile(
    r"\s+(?:television anime series|television anime|TV anime|anime film|anime movie|anime series|"
    r"anime|film|movie)(?!['’]s)\b"
)
_DET_BEFORE = re.compile(r"(?:^|\b(?:the|a|an|new|its|this|upcoming)\s+)$", re.IGNORECASE)
_FORMAT_THEN_TITLE = re.compile(
    r"\b(?:the|an?|new)\s+(?:[\w'’-]+\s+){0,2}?(?:television anime|TV anime|anime film|animated film|"
    r"film|movie|anime series|television series|special)\s+(?=[A-Z0-9])"
)
_APPOSITIVE = re.compile(
    r"(?:\s*\([^()]*\))?,\s+(?:the|an?)\s+"
    r"(?:(?!(?:of|for|in|on|at|by|with|from|to|and|who|which)\b)[\w'’-]+\s+){0,4}?"
    r"(?P<fmt>television anime series|television anime|TV anime|anime film|animated film|film|movie|"
    r"anime series|television series|special|original video anime|OVA|ONA)(?!['’]s)\b"
    r"(?=\s*(?:[,.;:)]|$)|\s+(?:of|in|from|by|for|that|which|based|adapted|about|set|is|was|will|has|"
    r"had|would|can|opened|premiered|hit|arrives|comes)\b)"  # the noun ends the appositive
)
_NTH_SEASON = re.compile(
    r"(?:\s*\([^()]*\))?,\s+(?:the|its)\s+(?P<n>second|third|fourth|fifth|sixth)\s+"
    r"(?:(?:television|TV)\s+)?(?:anime\s+)?season\b"
)
_ORD_N = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_LEAD_WORD = re.compile(
    r"(?:Titled|Entitled|Called|Named|Dubbed|Also|Then|However|Meanwhile|Set|Based|Starring|Directed|"
    r"Written|Produced|Following|Like|Unlike|Released|Featuring)\s+"
)
_TITLED = re.compile(
    r"\b(?:titled|entitled|called|named|under the (?:title|name)|also known as|known as|goes by|"
    r"listed as|also called|also titled)\s+",
    re.IGNORECASE,
)
_ORIGINAL_ANIME_COMMA = re.compile(
    r"\b(?:an?|the)\s+(?:new\s+)?original\s+(?:TV\s+|television\s+)?anime,\s+$"
)
# a title only the mention model found takes part in per-sentence subjects when the subject scorer
# rates it at least this likely to be a page's subject (a roundup's other shows); below, it is a
# candidate only (a character or song the model took for a work must not take facts)
# a learned-only title joins the works sentences are read about when the subject model's TOPIC score
# (the page states facts about it) reaches this; chosen on dev2 (0.3–0.9 tried: lower lets titles
# the page only mentions take facts)
LEARNED_WORK_MIN = 0.7
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
_STOP_TOKENS = {"the", "of", "a", "an", "no", "to", "and", "s", "wa", "ga", "ni", "de", "in", "on"}


class WorkFinder(HeadlineTitles):
    def __init__(self, res: Resources, *, subject_model: SubjectModel | None = None) -> None:
        self.res = res
        self.subject_model = subject_model  # the learned subject scorer; None: hand weights
        lexicon = load_lexicon()
        self.org_heads = lexicon.org_heads
        self.role_re = lexicon.role_re
        self.spans = TitleSpans(res)
        # (alias, its position, its segment's start, the title right before "(titled …") if any)
        self._pending_aliases: list[tuple[str, int, int, str | None]] = []
        # "Title (Other Title)" where neither name was known when the pair was read
        self._pending_pairs: list[tuple[str, int, str, int]] = []
        self.stop_words = {w.casefold() for w in res.words("headline_stop_words")}
        self.headings = {w.casefold() for w in res.words("headings")}
        numbers = res.vocab.get("number_words", {})
        # "One" opens titles ("One Piece"); the larger counts open headlines ("Two More Cast Members …")
        self.count_words = {str(w).casefold() for w in numbers if numbers[w] > 1}
        rubrics = "|".join(re.escape(r) for r in sorted(res.words("headline_rubrics"), key=len, reverse=True))
        # a section label before the title ("Review: X Episode 1", "First Impressions | X")
        pattern = rf"^\s*(?:{rubrics})\s*(?::|\||—|–|-)\s+"
        self.rubric = re.compile(pattern, re.IGNORECASE) if rubrics else None
        self.non_title = set(res.words("non_title_words"))
        self.publishers = res.publishers
        self.headline_short: str | None = None

    # -- body -----------------------------------------------------------------------------------
    def find_works(self, adoc: ArticleDoc) -> None:
        text = adoc.text
        self.spans.reset()
        index = WorkIndex()
        headline_seg = next((s for s in adoc.segments if s.kind == "headline"), None)
        body_start = headline_seg.end if headline_seg else 0
        body = "\n".join(s.text for s in adoc.segments if s.kind != "headline" and s.start >= body_start)
        main_title: str | None = None
        headline_text = headline_seg.text if headline_seg is not None else adoc.article.headline
        if headline_text:
            main_title = self.headline_title(recase_from_body(headline_text, body), body)
            hpos = headline_seg.start if headline_seg is not None else 0
            if main_title:
                gi = index.add(main_title, pos=hpos)
                index.groups[gi].from_headline = True
                if self.headline_short:
                    index.add(self.headline_short, pos=hpos, same_as=main_title)
        segs = [
            s
            for s in adoc.segments
            if not s.boilerplate and s.kind in {"sentence", "line", "headline", "heading"}
        ]
        self._pending_aliases = []
        self._pending_pairs = []
        for seg in segs:
            if seg.kind != "headline":
                self._scan_segment(text, seg, index)
        self._season_bases(text, index)
        self._misspellings(text, segs, index)
        self._spacing_variants(text, segs, index)
        self._movie_titles(text, segs, index)
        self._section_titles(text, segs, index)
        self._learned_titles(adoc, segs, index)  # after the rules: their spellings and variants come first
        self._resolve_pending_aliases(text, index)
        self._resolve_pending_pairs(adoc, index)
        for g in index.groups:  # a rule's spelling names the work before a learned one
            g.learned_only = bool(g.forms) and all(fold(f) in index.learned for f in g.forms)
            g.forms.sort(key=lambda f: fold(f) in index.learned)
        built = self._build(text, segs, index)
        people = [(m.start, m.end) for m in mentions(adoc.doc, label="PERSON")]
        built = [(w, g) for w, g in built if g.section or not person_after_colon(text, w, people)]
        adoc.main_work = choose_subject(
            adoc,
            [
                Candidate(w, from_headline=g.from_headline, cue_format=g.format, learned_only=g.learned_only)
                for w, g in built
            ],
            headline=(headline_seg.start, headline_seg.end) if headline_seg is not None else None,
            model=self.subject_model,
        )
        # a learned-only title is a candidate for the subject; the per-sentence tracker follows only
        # titles a rule cue confirms (a character or song the model took for a work must not take facts)
        keep = {
            id(c.work)
            for c in adoc.subject_candidates
            if not c.vetoed and (c.topic >= LEARNED_WORK_MIN or "_ownline" in c.features.split())
        }
        sections = {id(w) for w, g in built if g.section}  # a section heading is a title, whatever the tags
        people_named = {
            id(c.work)
            for c in adoc.subject_candidates
            if c.vetoed and c.person and id(c.work) not in sections
        }
        adoc.works = [
            w
            for w, g in built
            if id(w) not in people_named and (not g.learned_only or w is adoc.main_work or id(w) in keep)
        ]

    def _learned_titles(self, adoc: ArticleDoc, segs: list[Segment], index: WorkIndex) -> None:
        """WORK mentions the mention model found in content (or the headline) join the candidates."""
        starts = [seg.start for seg in segs]
        for m in mentions(adoc.doc, label="WORK"):
            k = bisect_right(starts, m.start) - 1
            if k < 0 or m.end > segs[k].end:
                continue  # in chrome or boilerplate
            form = m.text.strip(" \"'“”‘’「」『』«»()[]:,;.")
            if adoc.text[m.end : m.end + 1] == "-" and " " in form:
                form = form.rsplit(" ", 1)[0]  # "Ghost Cat 2D-animated film": the compound is not the title
            if len(form) < 2 or not self._valid_title(form) or index.find(form) is not None:
                continue
            dash = re.split(r"\s[-–—]\s|:\s+", form)
            if len(dash) == 2 and looks_like_person(dash[1], org_heads=self.org_heads):
                continue  # "Koinu - Mira Aoba", "Koinu: Mira Aoba": a cast line, not a title
            if form.casefold() in self.stop_words or form.casefold() in {"anime", "tv anime", "the anime"}:
                continue
            forms = [f for g in index.groups for f in g.forms]
            if any(form.startswith(f + " ") and form[len(f) + 1 :].islower() for f in forms):
                continue  # "X new": a known title with a word of the sentence glued on
            longer = [f for f in forms if f.endswith(" " + form)] if ":" in form else []
            if longer:  # "Code: Night" beside the rules' "Kestrel Code: Night": the title's short form
                index.add(form, pos=m.start, same_as=max(longer, key=len))
                continue
            bare = _LEADING_ARTICLE.sub("", form)
            gi = index.find(bare) if bare != form else None
            if gi is not None:  # "The X" where the rules know "X": one work; is the article part of it?
                if article_mid_sentence(adoc.text, form):
                    group = index.groups[gi]
                    index.add(form, pos=m.start, same_as=bare)
                    group.forms.remove(form)
                    group.forms.insert(0, form)  # "… in The X": the title has its article
                continue
            index.learned.add(fold(form))
            index.add(form, pos=m.start)

    def _valid_title(self, title: str) -> bool:
        words = title.split()
        if not words or not (words[0][0].isupper() or words[0][0].isdigit() or words[0][0] in "[\"“'‘"):
            return False
        if words and (words[-1] in self.spans.connectors or words[-1] in {"The", "A", "An"}):
            return False
        if not words or title in self.non_title or fold(title) in {"anime", "manga", "film"}:
            return False
        if title.casefold() in self.publishers or re.search(r"['’]s?$", words[-1]):
            return False  # "Production I.G's television anime": an owner, not a title
        if self._is_company(title) or (
            self.res.studios.find(title) and self.res.studios.find(title)[0][:2] == (0, len(title))
        ):
            return False
        if self._credit_after_colon(title):
            return False
        return not (len(words) == 1 and (len(title) < 3 or title.isdigit()))

    def _credit_after_colon(self, title: str) -> bool:
        """ "X: Director Mira Okada": a title glued to a credit ("Role Name"), not a subtitled title."""
        head, colon, tail = title.partition(": ")
        if not colon or not head:
            return False
        role = self.role_re.match(tail.casefold())
        rest = tail[role.end() :] if role else ""
        return bool(role) and rest[:1] == " " and looks_like_person(rest.strip(), org_heads=self.org_heads)

    def _title_before(
        self, text: str, seg: Segment, end: int, index: WorkIndex, hint: str | None
    ) -> str | None:
        """The title that ends at ``end``: a known title, else the part after a possessive."""
        span = self.spans.span_ending_at(text, seg.start, end, seg_end=seg.end)
        if span is None:
            return None
        s, e = span
        before = text[seg.start : end].rstrip()
        known_tail = [
            f
            for g in index.groups
            for f in (*g.forms, *[m.group("base") for m in map(SEASON_MARKER.match, g.forms) if m])
            if len(f) > e - s and before.endswith(f)
        ]
        if known_tail:  # "… Who Really, Really … Love You (Romaji)": a title with commas the article knows
            return max(known_tail, key=len)
        run = text[s:e]
        if run.startswith("The The "):
            run = run[4:]
        words = run.split()
        suffixes = [" ".join(words[k:]) for k in range(len(words)) if words[k] not in self.spans.connectors]
        for suf in suffixes:  # a title the article already knows
            if index.find(suf) is not None:
                return suf
        return self._strip_possessor(run, index)

    def _scan_segment(self, text: str, seg: Segment, index: WorkIndex) -> None:
        s0, e0 = seg.start, seg.end
        chunk = text[s0:e0]
        low = lowered(chunk)  # word gates: a pattern runs only where its literals are
        # "Title (Other Title)" pairs
        for m in _PAREN.finditer(text, s0, e0) if gate_of(_PAREN).admits(chunk, low) else ():
            inner = _ALIAS_LABEL.sub("", m.group(1).strip())  # "(Japanese: Rukku Bakku)"
            inner = _NATIVE_FIRST.sub("", inner)  # "(ルックバック, Rukku Bakku)": the Latin-script title
            if not re.match(r"[A-Z0-9\[]", inner) or re.fullmatch(r"[\d\s,.-]+", inner):
                continue
            title = self._title_before(text, seg, m.start(), index, inner)
            if not title or not self._valid_title(title):
                continue
            after = _AFTER_PAREN.match(text, m.end(), e0)
            before = text[max(s0, m.start() - len(title) - 40) : m.start() - len(title)]
            known = (
                index.find(title) is not None
                or index.find(inner) is not None
                or any(
                    g.from_headline and fold(g.forms[0]).startswith(fold(title) + " ")
                    for g in index.groups
                    if g.forms
                )
            )
            # "Takahiro Arai's X (Y)": a person's work (a one-word company's guidebook is not)
            possessive = bool(re.search(r"[A-Z][\w.-]*\s+[A-Z][\w.-]*['’]s\s*$", before))
            if not (known or after or possessive):
                # decided once the page is read: the mention model may know one of the two names
                self._pending_pairs.append((title, m.start() - len(title), inner, m.start() + 1))
                continue
            if (
                after
                and re.search(r"(?:manga|novel|game)$", after.group(0), re.I)
                and not known
                and not possessive
            ):
                continue
            fmt = format_of(after.group(0)) if after else None
            owner = None if index.find(title) is not None else self._longest_known_prefix(title, index)
            if owner and not re.match(
                r"\s*(?:[:\-–]|Season|Part|\d+(?:st|nd|rd|th)\b|R\b|II\b)", title[len(owner) :]
            ):
                index.add(title, pos=m.start() - len(title), same_as=owner)
            else:
                index.add(title, pos=m.start() - len(title), fmt=fmt)
            if self._valid_title(inner) and not looks_like_list(inner):
                index.add(inner, pos=m.start(), same_as=title)
        # "the anime film X" and "X anime film"
        for m in (
            _FORMAT_THEN_TITLE.finditer(text, s0, e0)
            if gate_of(_FORMAT_THEN_TITLE).admits(chunk, low)
            else ()
        ):
            span = self.spans.span_at(text, m.end(), e0, seg_start=s0)
            if span and span[0] == m.end():
                title = text[span[0] : span[1]]
                if len(title.split()) >= 2 and self._valid_title(title):
                    index.add(title, pos=span[0], fmt=format_of(m.group(0)))
        for m in _BEFORE_FORMAT.finditer(text, s0, e0) if gate_of(_BEFORE_FORMAT).admits(chunk, low) else ():
            span = self.spans.span_ending_at(text, s0, m.start(), seg_end=e0)
            if not span:
                continue
            title = text[span[0] : span[1]]
            title = re.sub(r"^(?:The|A|An)\s+(?=\S)", "", title) if span[0] > s0 else title
            if span[0] == s0 and re.match(r"(?:The|A|An)\s+\S+", title) and not index.find(title):
                title = re.sub(r"^(?:The|A|An)\s+", "", title)
            title = self._strip_possessor(title, index)
            start = span[1] - len(title)
            det = _DET_BEFORE.search(text[max(s0, start - 12) : start])
            if not det:
                continue
            fmt = None if re.search(r"\b(?:a|an|new)\s+$", det.group(0), re.I) else format_of(m.group(0))
            if (len(title.split()) >= 2 or index.find(title) is not None) and self._valid_title(title):
                index.add(title, pos=start, fmt=fmt)
        # "X, the second television anime series" and "an original anime, X"
        for span in self.spans.spans(text, s0, e0):
            title = text[span[0] : span[1]]
            same = self._same_season_main(title, index) if SEASON_MARKER.match(title) else None
            if same and index.find(title) is None and self._valid_title(title):
                index.add(title, pos=span[0], same_as=same)
                continue
            if title.startswith("The The "):
                title = title[4:]
                span = (span[0] + 4, span[1])
            if title.startswith("The ") and index.find(title[4:]) is not None:
                continue
            ftitle = fold(title)
            if any(fold(f).startswith(ftitle) and fold(f) != ftitle for g in index.groups for f in g.forms):
                continue
            if self._franchise_sibling(title, index):
                index.add(title, pos=span[0])
            am = _APPOSITIVE.match(text, span[1], e0)
            lead_word = _LEAD_WORD.match(title)
            if lead_word:
                title = title[lead_word.end() :]
                span = (span[0] + lead_word.end(), span[1])
            if am and (len(title.split()) >= 2 or index.find(title) is not None) and self._valid_title(title):
                title = self._strip_possessor(title, index)
                index.add(title, pos=span[0], fmt=format_of(am.group("fmt")))
            nth = _NTH_SEASON.match(text, span[1], e0)
            if nth and self._valid_title(title):
                main = self._same_season_main(
                    f"{title} Season {_ORD_N.get(nth.group('n').casefold(), 0)}", index
                )
                if main and index.find(title) != index.find(main):
                    index.add(title, pos=span[0], same_as=main)  # "X (Y), the second television season …"
            window = text[max(s0, span[0] - 60) : span[0]]
            if "original" in window and _ORIGINAL_ANIME_COMMA.search(window) and self._valid_title(title):
                index.add(title, pos=span[0])
        # "titled X" / "under the title X"
        for m in _TITLED.finditer(chunk) if gate_of(_TITLED).admits(chunk, low) else ():
            start = s0 + m.end()
            prefix = text[s0 : s0 + m.end()]
            if re.search(
                r"\b(?:song|songs|theme|single|track|album|band|group|unit|chapter|volume|episode)\b",
                prefix[-60:],
                re.IGNORECASE,
            ):
                continue  # a song, a band or an episode is named, not a work
            under = _UNDER_TITLE.search(prefix)
            # "X (titled Y in Japanese)": X's other name; X may be found later in the sentence's scan
            paren = _TITLE_BEFORE_PAREN.search(prefix)
            if not under and paren and index.find(paren.group(1)) is not None:
                under = paren
            if under:
                um = _CLAUSE_TITLE.match(text, start, e0)
                span = (start, start + len(um.group(1))) if um else None
            else:
                span = self.spans.span_at(text, start, e0, seg_start=s0)
            if not span or span[0] != start:
                continue
            title = text[span[0] : span[1]]
            if re.search(r",\s*$", prefix[: m.start()]) and ":" in title:
                # "The shorts, titled X: Friends are thieves of time., will …": the appositive is the title
                whole = re.match(r"([^,;\n]{1,100}?)(?=,\s)", text[start:e0])
                if whole and whole.group(1).startswith(title) and len(whole.group(1).split()) <= 12:
                    title = whole.group(1)
                    span = (start, start + len(title))
            if not (self._valid_title(title) or (under and title.split()[0] not in self.non_title)):
                continue
            if under:
                owner = (
                    self._same_season_main(title, index)
                    or self._longest_known_prefix(title, index)
                    or self._last_known_before(text, s0, start, index)
                )
                if owner:
                    index.add(title, pos=start, same_as=owner)
                else:  # the title it renames may be found by a later cue: decided once the page is read
                    self._pending_aliases.append((title, start, s0, None))
                continue
            clause = _CLAUSE_TITLE.match(text, start, e0) if paren else None
            if paren and clause:
                self._pending_aliases.append((clause.group(1), start, s0, paren.group(1)))
            fmt = None
            near = text[max(s0, start - 60) : start]
            for f, pat in self.res.format_words.items():
                if pat.search(near):
                    fmt = f
                    break
            # one word is a title after "titled"/"entitled" ("the film is titled Scarlet"), not after
            # "called"/"named", which name characters and places as often
            entitled = re.search(r"(?:titled|entitled)\s+$", prefix, re.IGNORECASE) is not None
            if len(title.split()) >= 2 or index.find(title) is not None or entitled:
                index.add(title, pos=start, fmt=fmt)

    def _resolve_pending_aliases(self, text: str, index: WorkIndex) -> None:
        """ "X, also known as Y" / "X (titled Y in Japanese)" where X was found after Y was read: Y joins
        X, which keeps its name."""
        for title, start, s0, before_paren in self._pending_aliases:
            owner = before_paren if before_paren and index.find(before_paren) is not None else None
            if owner is None and before_paren is None:
                owner = self._last_known_before(text, s0, start, index)
            if owner is None:
                continue
            if index.find(owner) not in (None, index.find(title)):
                _join_alias(index, owner, title, pos=start)

    def _resolve_pending_pairs(self, adoc: ArticleDoc, index: WorkIndex) -> None:
        """ "Zankyou no Terror (Terror in Resonance)" where the mention model found one of the names:
        the other is its alias (never a name the model reads as a person, never a list)."""
        names = [(m.start, m.end) for m in mentions(adoc.doc) if m.label in {"PERSON", "ORG"}]
        for title, tpos, inner, ipos in self._pending_pairs:
            if any(s < ipos + len(inner) and ipos < e for s, e in names) or any(
                s < tpos + len(title) and tpos < e for s, e in names
            ):
                continue  # "Mira Okada (Velvet Orbit)", "Velvet Orbit (Studio Lumen)"
            if not self._valid_title(inner) or looks_like_list(inner) or not title_shaped(inner):
                continue
            gt, gi = index.find(title), index.find(inner)
            if gt == gi:  # neither known, or already one work
                continue
            if gt is not None and gi is not None and not {fold(title), fold(inner)} & index.learned:
                continue  # two works the rules tell apart
            known, other, pos = (title, inner, ipos) if gt is not None else (inner, title, tpos)
            _join_alias(index, known, other, pos=pos)

    def _same_season_main(self, title: str, index: WorkIndex) -> str | None:
        """The headline's season work when ``title`` names the same season ("X 2nd Season" ~ "X Season 2")."""
        n = season_number(title)
        if n is None:
            return None
        m = SEASON_MARKER.match(title)
        base_words = set(fold(m.group("base")).split()) - _STOP_TOKENS if m else set()
        for group in index.groups:
            if group.from_headline and group.forms and season_number(group.forms[0]) == n:
                main_base = SEASON_MARKER.match(group.forms[0])
                main_words = set(fold(main_base.group("base")).split()) if main_base else set()
                if base_words & main_words:
                    return group.forms[0]
        return None

    def _franchise_sibling(self, title: str, index: WorkIndex) -> bool:
        """ "Pokémon Journeys: The Series" beside a known "Pokémon Ultimate Journeys: The Series"."""
        if index.find(title) is not None or not re.search(r"\S:\s+\S|\s-\S.*\S-$|\sthe Movie\b", title):
            return False
        words = [w for w in title.split() if w not in {"The", "A", "An"}]
        if len(words) < 2 or not self._valid_title(title):
            return False
        first = words[0].rstrip(":")
        for group in index.groups:
            for form in group.forms:
                fw = [w for w in form.split() if w not in {"The", "A", "An"}]
                if fw and fw[0].rstrip(":") == first and len(first) >= 3:
                    return True
        return False

    def _strip_possessor(self, title: str, index: WorkIndex) -> str:
        """ "Hazuki Takeoka and Tiv's Masamune-kun's Revenge" → "Masamune-kun's Revenge"."""
        if index.find(title) is not None:
            return title
        words = title.split()
        for k, w in enumerate(words[:-1]):
            if not re.search(r"['’]s?$", w):
                continue
            owner = words[: k + 1]
            rest = " ".join(words[k + 1 :])
            if (
                (len(owner) >= 2 or self._is_company(owner[0].rstrip("'’s")))  # "Hell's Paradise" is a title
                and owner[0] not in self.non_title
                and owner[0] not in _ARTICLES
                and not any(":" in o or o[0].isdigit() for o in owner)
                and all(o[0].isupper() or o in {"and", "&"} for o in owner)
                and rest.split()[0] not in self.spans.connectors
            ):
                return rest
            break
        return title

    def _longest_known_prefix(self, title: str, index: WorkIndex) -> str | None:
        words = title.split()
        for n in range(len(words) - 1, 0, -1):
            cand = " ".join(words[:n]).rstrip(":")
            if index.find(cand) is not None:
                return cand
        return None

    def _last_known_before(self, text: str, start: int, end: int, index: WorkIndex) -> str | None:
        best: tuple[int, str] | None = None
        for group in index.groups:
            for form in group.forms:
                pos = text.rfind(form, start, end)
                if pos >= 0 and (best is None or pos > best[0]):
                    best = (pos, form)
        if best:
            return best[1]
        heads = [g for g in index.groups if g.from_headline and g.forms]
        return heads[0].forms[0] if heads else None

    def _season_bases(self, text: str, index: WorkIndex) -> None:
        for group in list(index.groups):
            for form in list(group.forms):
                head = re.match(
                    r"^(?:The\s+)?(?P<base>[^:]+?)(?:\s+[–—-]\s+The Movie\b|\s+[Tt]he Movie\b|:\s|\s-\S)",
                    form,
                )
                long_enough = head and (
                    len(head.group("base").split()) >= 2 or (len(head.group("base")) >= 5 and "Movie" in form)
                )
                if head and long_enough and index.find(head.group("base")) is None:
                    base = head.group("base").strip()
                    alone = re.compile(rf"(?<![\w-]){re.escape(base)}(?![\w:-]|\s+(?:the Movie|-))")
                    full = re.compile(rf"(?<![\w-])(?:The\s+)?{re.escape(base)}(?![\w:-]|\s+(?:the Movie|-))")
                    m = full.search(text) if alone.search(text) else None
                    if m and index.find(m.group(0)) is None:
                        index.add(m.group(0), pos=m.start())
                m = SEASON_MARKER.match(form)
                if not m:
                    continue
                base = m.group("base").strip()
                standalone = _occurrences(text.replace(form, ""), base, limit=1)
                if len(base) >= 3 and standalone and index.find(base) is None:
                    index.add(base, pos=text.find(base))

    def _section_titles(self, text: str, segs: list[Segment], index: WorkIndex) -> None:
        """A roundup's section heading: a short title-like line of its own opening a paragraph, whose
        next line speaks of "the series" / "the movie" before naming any other work ("Velvet Orbit" /
        "A few staff members for the series have been announced")."""
        for k, seg in enumerate(segs[:-1]):
            title = seg.text.strip()
            words = title.split()
            if not 1 <= len(words) <= 8 or re.search(r"[.,;:?\"”]$", title) or not title[:1].isupper():
                continue
            line_start = text.rfind("\n", 0, seg.start) + 1
            line_end = text.find("\n", seg.end)
            line_end = len(text) if line_end < 0 else line_end
            if text[line_start : seg.start].strip() or text[seg.end : line_end].strip():
                continue  # not alone on its line
            if line_start > 0 and text[: line_start - 1].rstrip(" \t")[-1:] not in {"", "\n"}:
                continue  # not the first line of a paragraph
            nxt = segs[k + 1]
            if text[line_end : nxt.start].count("\n") > 1 or nxt.start < line_end:
                continue  # the next line must follow directly
            nominal = _SECTION_NOMINAL.search(nxt.text)
            if nominal is None or nominal.start() > 120:
                continue
            if (
                title.casefold() in self.headings
                or self.role_re.match(title.casefold())
                or not self._valid_title(title)
            ):
                continue
            fmt = "film" if nominal.group("noun").casefold() in {"movie", "film"} else None
            index.groups[index.add(title, pos=seg.start, fmt=fmt)].section = True

    def _movie_titles(self, text: str, segs: list[Segment], index: WorkIndex) -> None:
        """ "Laid-Back Camp The Movie", "X: The Movie": a film of its own, not its franchise's title."""
        if not THE_MOVIE_RE.search(text):
            return
        spans = [(seg.start, seg.end) for seg in segs]
        for form in [f for g in index.groups for f in g.forms if len(f) >= 3]:
            pattern = rf"(?<![\w-]){re.escape(form)}(?::\s*|\s+[-–—]\s+|\s+)The\s+Movie\b(?!\s*[:–—-]\s*\S)"
            for m in re.finditer(pattern, text):
                if within(spans, m.start(), m.end()) and index.find(m.group(0)) is None:
                    index.add(m.group(0), pos=m.start(), fmt="film")

    def _spacing_variants(self, text: str, segs: list[Segment], index: WorkIndex) -> None:
        """The same title spaced or hyphenated otherwise ("DAN DA DAN" / "Dandadan" / "Dan-Da-Dan")."""
        spans = [(seg.start, seg.end) for seg in segs if seg.kind != "headline"]
        for form in [f for g in index.groups for f in g.forms]:
            letters = re.sub(r"[^0-9a-z]", "", fold(form))
            if len(letters) < 6 or len(form.split()) > 4:
                continue
            pattern = r"(?<![\w-])" + r"[\s\-·]?".join(re.escape(c) for c in letters) + r"(?![\w-])"
            for m in re.finditer(pattern, text, re.IGNORECASE):
                cand = m.group(0)
                if not within(spans, m.start(), m.end()) or not cand[:1].isupper() or cand == form:
                    continue
                if index.find(cand) is None:
                    index.add(cand, pos=m.start(), same_as=form)

    def _misspellings(self, text: str, segs: list[Segment], index: WorkIndex) -> None:
        known = [(f, gi) for gi, g in enumerate(index.groups) for f in g.forms if len(f.split()) >= 2]
        if not known:
            return
        form_words = {form: set(form.split()) for form, _gi in known}
        for seg in segs:
            for s, e in self.spans.spans(text, seg.start, seg.end):
                words = text[s:e].split()
                if len(words) < 2:
                    continue
                word_set = set(words)
                for form, _gi in known:
                    if not word_set & form_words[form]:
                        continue  # a misspelling keeps at least one word of the title
                    n = len(form.split())
                    for k in range(0, len(words) - n + 1):
                        cand = " ".join(words[k : k + n])
                        if cand == form or index.find(cand) is not None:
                            continue
                        if is_misspelling(cand, form):
                            pos = text.find(cand, s)
                            index.add(cand, pos=pos, same_as=form)

    def _build(self, text: str, segs: list[Segment], index: WorkIndex) -> list[tuple[WorkRef, WorkGroup]]:
        out: list[tuple[WorkRef, WorkGroup]] = []
        live = [g for g in index.groups if g.forms]
        # every spelling's occurrences in content segments, longest spelling first
        forms = sorted({(f, i) for i, g in enumerate(live) for f in g.forms}, key=lambda x: -len(x[0]))
        taken: list[tuple[int, int]] = []
        mentions: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(live))}
        used_forms: dict[int, set[str]] = {i: set() for i in range(len(live))}
        starts = [seg.start for seg in segs]
        for form, i in forms:
            for ms, me in _occurrences(text, form):
                k = bisect_right(starts, ms) - 1
                if k < 0 or me > segs[k].end:
                    continue
                seg = segs[k]
                if re.match(r"['’]s\s+[A-Z]", text[me : me + 4]):
                    continue
                at = bisect_right(taken, (ms, me))  # taken spans never overlap: check the neighbours
                if (at and taken[at - 1][1] > ms) or (at < len(taken) and taken[at][0] < me):
                    continue
                if inside_longer(text, seg.start, ms):
                    continue  # "Sousou no Frieren …": part of a longer title
                taken.insert(at, (ms, me))
                mentions[i].append((ms, me))
                used_forms[i].add(form)
        for i, g in enumerate(live):
            name = g.forms[0]
            aliases = [f for f in g.forms[1:] if f in used_forms[i] or not used_forms[i]]
            fmt = g.format or ("film" if re.search(r"\b(?:[Tt]he Movie|Movie:|Film:)", name) else None)
            ref = WorkRef(name=name, aliases=aliases, format=fmt, mentions=sorted(mentions[i]))
            out.append((ref, g))
        by_fold = {fold(f): ref for ref, _g in out for f in ref.names()}
        for ref, _g in out:
            for form in ref.names():
                sm = SEASON_MARKER.match(form)
                if sm and fold(sm.group("base")) in by_fold and by_fold[fold(sm.group("base"))] is not ref:
                    ref.base = by_fold[fold(sm.group("base"))].name
                    break
        for ref, g in list(out):
            sm = SEASON_MARKER.match(ref.name)
            if g.from_headline and ref.base is None and sm and len(sm.group("base")) >= 3:
                # the headline names "X Part 2": "Part 1 of X" and "the first season" point to X
                base = WorkRef(name=sm.group("base").strip())
                out.append((base, WorkGroup(forms=[base.name])))
                ref.base = base.name
        return out


def _join_alias(index: WorkIndex, known: str, alias: str, *, pos: int) -> None:
    """``alias`` joins the work ``known`` names, which keeps its name: the alias outranks it neither when
    a merge keeps the alias's group nor when forms are sorted rules-first."""
    gi = index.find(known)
    assert gi is not None
    name = index.groups[gi].forms[0]
    if fold(name) in index.learned:
        index.learned.add(fold(alias))
    index.add(alias, pos=pos, same_as=known)
    kept = index.find(name)
    forms = index.groups[kept].forms if kept is not None else []
    if name in forms:
        forms.insert(0, forms.pop(forms.index(name)))
