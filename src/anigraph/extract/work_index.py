"""The spellings of an article's works while it is read (``WorkIndex``) and the title helpers the
work finder (``works.py``) applies: format words, season numbers, title shapes, cast-line guards."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from anigraph.extract.document import WorkRef
from anigraph.extract.headlines import SEASON_MARKER
from anigraph.names import fold

_INSIDE_LONGER = re.compile(
    r"(?:(?<![.!?:]\s)\b[A-Z][\w-]*(?<!['’]s)[ \t]+|\b[A-Z][\w-]*[ \t]+(?:no|of|to|wa|ga|na|de)[ \t]+)$"
)


@dataclass(slots=True)
class WorkGroup:
    forms: list[str]  # in the order first seen
    format: str | None = None
    section: bool = False  # heads a roundup's section (``_section_titles``): never a cast line
    from_headline: bool = False
    first_pos: int = 10**9
    learned_only: bool = False  # found by the mention model alone, no rule cue


@dataclass(slots=True)
class WorkIndex:
    """Union of spellings into works while an article is read."""

    groups: list[WorkGroup] = field(default_factory=list)
    by_key: dict[str, int] = field(default_factory=dict)
    learned: set[str] = field(default_factory=set)  # folded forms only the mention model found

    def find(self, form: str) -> int | None:
        return self.by_key.get(fold(form))

    def add(self, form: str, *, pos: int, same_as: str | None = None, fmt: str | None = None) -> int:
        form = strip_format_word(form.strip())
        if same_as:
            same_as = strip_format_word(same_as.strip())
        gi = self.find(form)
        other = self.find(same_as) if same_as else None
        if gi is None and other is None:
            self.groups.append(WorkGroup(forms=[form], first_pos=pos))
            gi = len(self.groups) - 1
        elif gi is None:
            assert other is not None
            gi = other
            self.groups[gi].forms.append(form)
        elif other is not None and other != gi:
            self._merge(gi, other)
            gi = min(gi, other)
        self.by_key[fold(form)] = gi
        group = self.groups[gi]
        group.first_pos = min(group.first_pos, pos)
        if same_as and self.find(same_as) is None:
            group.forms.append(same_as.strip())
            self.by_key[fold(same_as)] = gi
        if fmt and group.format is None:
            group.format = fmt
        return gi

    def _merge(self, a: int, b: int) -> None:
        keep, drop = min(a, b), max(a, b)
        for form in self.groups[drop].forms:
            if form not in self.groups[keep].forms:
                self.groups[keep].forms.append(form)
        self.groups[keep].format = self.groups[keep].format or self.groups[drop].format
        self.groups[keep].from_headline |= self.groups[drop].from_headline
        self.groups[keep].first_pos = min(self.groups[keep].first_pos, self.groups[drop].first_pos)
        for key, gi in list(self.by_key.items()):
            if gi == drop:
                self.by_key[key] = keep
        self.groups[drop].forms = []


_ORD = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}


def season_number(title: str) -> int | None:
    m = SEASON_MARKER.match(title)
    if not m:
        return None
    for key in ("n1", "n2", "n3"):
        if m.group(key):
            return int(m.group(key))
    if m.group("ord"):
        return _ORD.get(m.group("ord").casefold())
    return None


_DETERMINERS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "From",
    "With",
    "By",
    "And",
    "Or",
    "But",
    "As",
    "Of",
    "To",
}


THE_MOVIE_RE = re.compile(r"\bThe\s+Movie\b")


def title_shaped(name: str) -> bool:
    """Mostly capitalised words and no count, date or running time ("13 x 30-minute episodes",
    "June 24, 2010", "Japanese for “master”")."""
    if _NOT_A_TITLE.search(name):
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if len(w) > 3]
    return not long_words or sum(w[0].isupper() for w in long_words) > len(long_words) / 2


_NOT_A_TITLE = re.compile(
    r"\b\d+\s*x\s*\d+|\bepisodes?\b|\b(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+\d|\d{4}\s*[–-]\s*$|\s[—–]\s"
)


def person_after_colon(text: str, work: WorkRef, people: list[tuple[int, int]]) -> bool:
    """ "Kestrel: Mira Okada" in a cast list: a character and the actor the mention model reads as a
    person, which capitalised-run spans glue into one title. True when every mention is like that."""
    if not work.mentions:
        return False
    for s, e in work.mentions:
        colon = text.find(": ", s, e)
        if colon < 0 or not any(ps <= colon + 2 and pe >= e for ps, pe in people):
            return False
    return True


def article_mid_sentence(text: str, form: str) -> bool:
    """Whether ``form`` ("The X") is written with its capital article inside a sentence somewhere."""
    for m in re.finditer(re.escape(form), text):
        before = text[max(0, m.start() - 3) : m.start()]
        if m.start() > 0 and not re.search(r"(?:[.!?:\n\"“‘'—–-]\s*|^\s*)$", before):
            return True
    return False


def within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """``start:end`` lies inside one of the sorted, disjoint ``spans``."""
    k = bisect_right(spans, start, key=lambda span: span[0]) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


def inside_longer(text: str, seg_start: int, pos: int) -> bool:
    """True when the capitalised words right before ``pos`` continue a longer title ("Sousou no |Frieren")."""
    m = _INSIDE_LONGER.search(text[max(seg_start, pos - 40) : pos])
    if not m:
        return False
    word = m.group(0).split()[0]
    if word in _DETERMINERS:
        return False
    first_word = max(seg_start, pos - 40) + m.start() == seg_start
    connector = len(m.group(0).split()) > 1
    return connector or not first_word


_FORMAT_TAIL = re.compile(
    r"(?<![Tt]he)(?<!:)\s+(?:Anime|TV|Film|Movie|Manga|Series)$"
    r"|\s+in\s+(?:English|Japanese|Japan|the\s+West|North\s+America)$"  # "titled X in English"
)


def strip_format_word(title: str) -> str:
    """ "Shangri-La Frontier Anime" → "Shangri-La Frontier" (but "X: The Movie" stays)."""
    stripped = _FORMAT_TAIL.sub("", title)
    return stripped if len(stripped) >= 2 else title


def format_of(phrase: str) -> str | None:
    p = phrase.casefold()
    if "original video anime" in p or re.search(r"\bova\b", p):
        return "ova"
    if re.search(r"\bona\b", p):
        return "ona"
    if "special" in p:
        return "special"
    if re.search(r"\b(film|movie)\b", p):
        return "film"
    if re.search(r"\b(television|tv)\b", p):
        return "tv"
    return None


def looks_like_list(inner: str) -> bool:
    return inner.count(",") >= 2 or bool(re.search(r"\b(?:design|director|manga|novel)\s*$", inner))


def is_misspelling(cand: str, form: str) -> bool:
    a, b = cand.split(), form.split()
    if len(a) != len(b) or not any(x == y for x, y in zip(a, b, strict=True)):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if not diff or any(not x.isalpha() or not y.isalpha() or x[0] != y[0] for x, y in diff):
        return False
    if any(len(y) < 4 for _x, y in diff):
        return False
    dist = Levenshtein.distance(cand, form)
    return 0 < dist <= 2
