"""The work an article's headline names, read against its body.

``HeadlineTitles.headline_title`` finds the title in a headline ("DAN DA DAN Anime Locks In
October Premiere" → "DAN DA DAN"), skipping rubrics, owners ("Netflix's X") and generic words,
preferring the spelling the body repeats; an all-capitals headline takes the body's letters
first. ``WorkFinder`` (works.py) mixes it in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeGuard

from anigraph.extract.titles import TitleSpans

if TYPE_CHECKING:
    from anigraph.extract.resources import Resources

SEASON_MARKER = re.compile(
    r"^(?P<base>.+?)(?::?\s+(?:Season\s+(?P<n1>\d+)|(?P<n2>\d+)(?:st|nd|rd|th)\s+Season|(?:Part|Cour)\s+(?P<n3>\d+)"
    r"|(?P<ord>Second|Third|Fourth|Fifth|Sixth|Final)\s+Season|(?P<r>R|II|III|IV|2|3|4|5)))$",
    re.IGNORECASE,
)
_ARTICLES = frozenset({"The", "A", "An"})  # a possessor never starts with an article


# words that introduce a title as a work of its own (a film, a screening, a spin-off) right before it
_NAMED_AS_OTHER = re.compile(
    r"\b(?:titled|entitled|called|named|film|movie|screening|compilation|recap|special|OVA|ONA|"
    r"shorts?|spin-?off|short\s+anime|short\s+series)\s*,?\s*$",
    re.IGNORECASE,
)


_CAPS_RUN = re.compile(r"(?<![\w'’-])[A-Z][A-Z0-9'’&-]+(?:\s+[A-Z][A-Z0-9'’&-]+)*(?![\w'’-])")


def recase_from_body(headline: str, body: str) -> str:
    """A headline's capitalised words in the body's spelling: each longest run of them that the body
    repeats (ignoring case) takes the body's letters. An all-capitals headline is read whole
    ("SOLO LEVELING -SEASON 2-" → "Solo Leveling -Season 2-"); in a mixed one, each run of
    capitalised words ("Rights to LOOK BACK" → "Look Back")."""
    letters = [c for c in headline if c.isalpha()]
    all_caps = len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
    runs = [(0, len(headline))] if all_caps else [m.span() for m in _CAPS_RUN.finditer(headline)]
    folded_body = body.casefold()
    out = list(headline)
    for run_start, run_end in runs:
        words = list(re.finditer(r"\S+", headline[run_start:run_end]))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start, end = run_start + words[i].start(), run_start + words[j - 1].end()
                piece = headline[start:end].rstrip(",:;")
                at = folded_body.find(piece.casefold()) if len(piece) >= 3 else -1
                if at >= 0 and len(body[at : at + len(piece)]) == len(piece):
                    out[start : start + len(piece)] = body[at : at + len(piece)]
                    i = j
                    break
            else:
                i += 1
    return "".join(out)


def _occurrences(text: str, needle: str, *, limit: int = 0) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``needle`` (no letter, digit or hyphen glued on either side)."""
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    pos = text.find(needle)
    n = len(needle)
    while pos >= 0:
        end = pos + n
        before = text[pos - 1] if pos > 0 else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            out.append((pos, end))
            if limit and len(out) >= limit:
                break
        pos = text.find(needle, pos + 1)
    return out


class HeadlineTitles:
    """Headline → title (mixed into WorkFinder, which sets these attributes)."""

    res: Resources
    spans: TitleSpans
    stop_words: set[str]
    count_words: set[str]  # "Two More Cast Members …": a count opening a headline is not a title
    rubric: re.Pattern[str] | None
    non_title: set[str]
    publishers: frozenset[str] | set[str]
    headline_short: str | None

    def headline_title(self, headline: str, body: str) -> str | None:
        self.headline_short = None
        if self.rubric is not None:
            headline = self.rubric.sub("", headline, count=1)
        quoted = re.search(r"['‘“\"]([A-Z0-9][^'’”\"]{1,80}?)['’”\"](?!\w)", headline)
        song = quoted and re.search(
            r"\b(?:theme|song|single|opening|ending|track|album|ED|OP)\s*$", headline[: quoted.start()], re.I
        )
        if quoted and not song:
            inner = quoted.group(1).strip()
            marker = re.match(
                r"\s+(?:Season\s+\d+|\d+(?:st|nd|rd|th)\s+Season|(?:Second|Third|Fourth|Fifth|Final)\s+Season|"
                r"Part\s+\d+)\b",
                headline[quoted.end() :],
            )
            if inner in body and marker:
                return inner + marker.group(0)
            if inner in body:
                return inner
            at = body.casefold().find(inner.casefold())  # an all-caps headline: take the body's spelling
            if at >= 0:
                return body[at : at + len(inner)]
        pieces: list[str] = []
        for s, e in self.spans.spans(headline, 0, len(headline)):
            words = headline[s:e].split()
            cur: list[str] = []
            for w in words:
                if w.casefold().rstrip(":") in self.stop_words:
                    if cur:
                        pieces.append(" ".join(cur))
                    cur = []
                else:
                    cur.append(w)
            if cur:
                pieces.append(" ".join(cur))
        candidates: list[tuple[int, str]] = []
        fallback: list[tuple[int, str]] = []
        for k, piece in enumerate(pieces):
            piece = piece.strip(" :-")
            while piece.split() and piece.split()[0] in self.spans.connectors:
                piece = piece.split(maxsplit=1)[1] if len(piece.split()) > 1 else ""
            piece = self._strip_owner(piece)
            words = piece.split()
            while words and (
                words[0].casefold() in self.stop_words
                or words[0] in self.spans.connectors
                or re.fullmatch(r"\d+(?:st|nd|rd|th)?", words[0])
                or words[0].casefold() in self.count_words
            ):
                words = words[1:]
            while words and words[-1] in self.spans.connectors:
                words = words[:-1]
            best = self._longest_in_body(words, body)
            if words and words[0] in self.non_title and (best is None or len(best.split()) < 2):
                best = self._longest_in_body(words[1:], body)
            if not self._headline_candidate_ok(best):
                # "GKIDS Acquires North American Rights to Look Back": the title ends the piece
                tails = (" ".join(words[k:]) for k in range(1, len(words)) if words[k][:1].isupper())
                best = next(
                    (
                        t
                        for t in tails
                        if len(t) >= 4 and _occurrences(body, t, limit=1) and self._headline_candidate_ok(t)
                    ),
                    None,
                )
                if best is not None:  # only when no piece of the headline gives a title outright
                    fallback.append((len(_occurrences(body, best)), best))
                continue
            rest = " ".join(words)[len(best) :]
            marker = re.match(
                r"\s+(?:Season\s+\d+|Part\s+\d+|\d+(?:st|nd|rd|th)\s+Season|Final Season)\b", rest
            )
            count = len(_occurrences(body, best)) + (1 if k == 0 else 0)
            if marker:
                best += marker.group(0)
            candidates.append((count, best))
        candidates = candidates or fallback
        if not candidates:
            return None
        first = max(candidates, key=lambda c: c[0])[1]
        # a title with commas ("Who Really, Really … Love You"): the longest headline prefix the body repeats
        words = headline.split()
        sm = SEASON_MARKER.match(first)
        first_base = sm.group("base") if sm else first
        for n in range(len(words), 1, -1):
            prefix = " ".join(words[:n]).rstrip(":,")
            if len(prefix) <= len(first_base) or "," not in prefix or prefix not in body:
                continue
            if prefix.startswith(first_base) or prefix.endswith(first_base):
                first = prefix + first[len(first_base) :] if not prefix.startswith(first) else prefix
                break
        for _n, other in candidates:  # "Pokémon Anime's 25th Season Pokémon Ultimate Journeys"
            if other.startswith(first) and len(other) > len(first):
                first = other
        at = headline.find(first)
        if at >= 0:  # a stop word inside the title ("Chainsaw Man – The Movie: Reze Arc Opens …")
            tail = headline[at + len(first) :].split(" ")
            for n in range(len(tail), 1 if tail and tail[0] == "" else len(tail) + 1, -1):
                longer = (first + " ".join(tail[:n])).rstrip(" :,")
                if not (longer[-1].isalnum() or longer[-1] in "!?" or (longer[-1] == "-" and " -" in longer)):
                    continue
                if longer.split()[-1].lstrip("([\"'“‘")[:1].islower():  # "Spy Classroom as": ends capitalised
                    continue
                if longer.count("(") != longer.count(")"):  # "X Season 3 first impressions (and"
                    continue
                if longer != first and _occurrences(body, longer, limit=1):
                    first = longer
                    break
        # extend with a subtitle the body gives ("X" in the headline, "X: Subtitle" in the body)
        m = re.search(rf"(?<![\w(]){re.escape(first)}(:\s+[A-Z][^.,;()\n]{{1,60}})", body)
        standalone = any(not body[e:].startswith(":") for _s, e in _occurrences(body, first))
        # "a pre-screening titled X: First Encounter", "the compilation film X: Recap": another work
        introduced = m is not None and _NAMED_AS_OTHER.search(body[max(0, m.start() - 40) : m.start()])
        if m and ":" not in first and not standalone and not introduced:
            span = self.spans.span_at(body, m.start(), min(len(body), m.end() + 1))
            if span and body[span[0] : span[1]].startswith(first + ":"):
                self.headline_short = first
                return body[span[0] : span[1]]
        return first

    def _headline_candidate_ok(self, best: str | None) -> TypeGuard[str]:
        return not (
            not best
            or not any(w[:1].isupper() or w[:1].isdigit() for w in best.split())  # "of" alone
            or best in self.non_title
            or any(self._is_company(p) for p in re.split(r" and | & ", best))
            or (self.res.studios.find(best) and self.res.studios.find(best)[0][:2] == (0, len(best)))
        )

    def _longest_in_body(self, words: list[str], body: str) -> str | None:
        for n in range(len(words), 0, -1):
            if n > 1 and words[n - 1] in self.spans.connectors:
                continue  # a title does not end with a connector ("Spy Classroom as")
            cand = " ".join(words[:n]).rstrip(":")
            if len(cand) >= 2 and _occurrences(body, cand, limit=1):
                return cand
        return None

    def _strip_owner(self, piece: str) -> str:
        """Drop a possessor in front of a headline title ("Hayao Miyazaki's X", "Netflix's X")."""
        m = re.match(r"^(?P<owner>(?:\S+\s+){0,3}?\S+?)['’]s?\s+(?P<rest>[A-Z0-9\[].*)$", piece)
        if not m:
            return piece
        owner = m.group("owner")
        if owner.split()[0] in _ARTICLES:  # "The Ancient Magus' Bride": a title, not an owner
            return piece
        name_like = ":" not in owner and all(w[0].isupper() for w in owner.split())
        if (len(owner.split()) >= 2 and name_like) or self._is_company(owner) or self.res.studios.find(owner):
            return m.group("rest")
        return piece

    def _is_company(self, name: str) -> bool:
        return name.casefold() in self.publishers or (
            bool(self.res.streaming.find(name)) and self.res.streaming.find(name)[0][:2] == (0, len(name))
        )
