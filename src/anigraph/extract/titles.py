"""Capitalised title spans: the raw material of work titles.

A title span is a run of capitalised words (or digits) that may contain lower-case
connectors ("no", "of", "the", "to"), a subtitle colon, dash subtitles ("-piece-") and
exclamation marks ("Bastard!!"). Connectors come from ``vocab.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anigraph.extract.resources import Resources

_TOKEN = re.compile(r"\S+")
_YEAR = re.compile(r"\d{4}")
_LEAD = "\"“‘'([«「『"
_TRAIL_END = ",;)]\"”’'?»」』"
_POSSESSIVE_ENDS = ("'", "’", "'s", "’s")  # ['’]s?$ on a token (no newline in it)


@dataclass(slots=True)
class Tok:
    start: int  # core start (after leading punctuation)
    end: int  # core end (before trailing punctuation)
    text: str
    lead: bool  # had opening punctuation (quote, parenthesis)
    stop: bool  # a span cannot continue after this token (comma, closing punctuation, full stop)
    colon: bool  # ends with ':'
    possessive: bool


class TitleSpans:
    def __init__(self, res: Resources) -> None:
        self.connectors = set(res.words("title_connectors"))
        self.abbrev = {a.casefold() for a in res.words("abbreviations")}
        self._cache: dict[tuple[int, int, int, int], list[tuple[int, int]]] = {}
        self.breakers = {k.capitalize() for k in res.vocab["months"]} | {
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        }

    def tokens(self, text: str, start: int, end: int) -> list[Tok]:
        out: list[Tok] = []
        pos = start
        for word in text[start:end].split(" "):
            s = text.find(word, pos, end) if word else -1
            if s < 0:
                pos += len(word) + 1
                continue
            pos = s + len(word)
            if not word.strip():
                continue
            if "\n" in word or "\t" in word or "\r" in word:
                out.extend(self._slow_tokens(text, s, s + len(word)))
                continue
            first, last = word[0], word[-1]
            if first not in _LEAD and last not in _TRAIL_END and last not in ".:":
                # the common case: a bare word
                possessive = last in "s'’" and word.endswith(_POSSESSIVE_ENDS)
                out.append(Tok(s, s + len(word), word, False, False, False, possessive))
                continue
            out.extend(self._slow_tokens(text, s, s + len(word)))
        return out

    def _slow_tokens(self, text: str, start: int, end: int) -> list[Tok]:
        out: list[Tok] = []
        for m in _TOKEN.finditer(text, start, end):
            s, e = m.start(), m.end()
            lead = False
            while s < e and text[s] in _LEAD:
                s += 1
                lead = True
            stop = False
            colon = False
            while e > s and (text[e - 1] in _TRAIL_END or text[e - 1] in ".:"):
                ch = text[e - 1]
                if ch == ":":
                    colon = True
                elif ch == ".":
                    core = text[s : e - 1]
                    if core.casefold() in self.abbrev or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", core):
                        break  # "I.G." / "Mt." keep the dot
                    stop = True
                elif ch == "?":
                    if text[s : e - 1].endswith("!") or e - s <= 1:
                        break
                    stop = True
                elif ch in "'’" and self._plural_possessive(text, s, e):
                    break  # "The Ancient Magus' Bride": the apostrophe belongs to the title
                else:
                    stop = True
                e -= 1
            if e <= s:
                continue
            word = text[s:e]
            # "Magus' Bride" is one title, not an owner ("Magus'") and its thing ("Bride")
            possessive = word.endswith(_POSSESSIVE_ENDS) and not (
                word[-1] in "'’" and self._plural_possessive(text, s, e)
            )
            out.append(Tok(s, e, word, lead, stop, colon, possessive))
        return out

    @staticmethod
    def _plural_possessive(text: str, s: int, e: int) -> bool:
        """``Xs'`` before a capitalised word, with no opening quote earlier on the line to close."""
        if e - s < 3 or text[e - 2] != "s" or not re.match(r" [A-Z]", text[e : e + 2]):
            return False
        line_start = text.rfind("\n", 0, s) + 1
        return not re.search(r"(?:^|[\s(])['‘]\w", text[line_start:s])

    def is_cap(self, tok: Tok) -> bool:
        if tok.text in self.breakers:
            return False
        c = tok.text[0]
        return c.isupper() or c.isdigit() or (c in "-[#" and len(tok.text) > 1)

    def reset(self) -> None:
        """Forget cached spans (call once per article)."""
        self._cache.clear()

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Maximal title spans in ``text[start:end]`` as (start, end) offsets."""
        key = (id(text), len(text), start, end)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._spans(text, start, end)
            self._cache[key] = hit
        return hit

    def _spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        toks = self.tokens(text, start, end)
        caps = [self.is_cap(t) for t in toks]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(toks):
            if not caps[i]:
                i += 1
                continue
            j = i
            last_cap = i
            while True:
                tok = toks[j]
                if caps[j]:
                    last_cap = j
                if tok.stop or j + 1 >= len(toks):
                    break
                nxt = toks[j + 1]
                if nxt.lead:
                    break
                if nxt.text in self.connectors and j + 2 < len(toks) and _YEAR.fullmatch(toks[j + 2].text):
                    break  # "Badlands Rumble in 2010": a year is not part of the title
                if caps[j + 1] or (nxt.text in self.connectors and not tok.colon):
                    j += 1
                    continue
                break
            spans.append((toks[i].start, toks[last_cap].end))
            i = max(j, last_cap) + 1
        return spans

    def span_at(
        self, text: str, start: int, limit: int, *, seg_start: int | None = None
    ) -> tuple[int, int] | None:
        """The title span that starts at ``start`` (after spaces), if any, within ``limit``."""
        while start < limit and text[start].isspace():
            start += 1
        if seg_start is not None:  # reuse the segment's spans when one starts here
            for s, e in self.spans(text, seg_start, limit):
                if s in (start, start + 1):
                    return (s, e)
                if s > start + 1:
                    break
        for s, e in self.spans(text, start, limit):
            if s <= start + 1:
                return (s, e)
            break
        return None

    def span_ending_at(
        self, text: str, seg_start: int, end: int, *, seg_end: int | None = None
    ) -> tuple[int, int] | None:
        """The title span that ends at ``end`` (before spaces) inside ``text[seg_start:end]``."""
        while end > seg_start and text[end - 1].isspace():
            end -= 1
        if seg_end is not None:  # the segment's spans usually end exactly there already
            straddles = False
            for s, e in self.spans(text, seg_start, seg_end):
                if e == end:
                    return (s, e)
                if s < end < e:
                    straddles = True
                    break
                if s >= end:
                    return None
            if not straddles:
                return None
        best: tuple[int, int] | None = None
        for s, e in self.spans(text, seg_start, end):
            if e == end:
                best = (s, e)
        return best
