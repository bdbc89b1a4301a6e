"""Dates as articles write them, normalised to the fact contract's forms.

``find_dates`` returns every date expression in a span with its value resolved to
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY-<season>`` or ``YYYY``. Expressions without a year
("July 1", "this fall", "last year") are resolved against the article's publication date
when there is one, and left unresolved (``value is None``) otherwise: the contract has no
year-less form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from anigraph.extract.resources import Resources
from anigraph.extract.textgate import gate_of, lowered

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"


_MAYBE_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|fall|autumn|winter|today|tonight|"
    r"year)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: str | None  # normalised, or None when the year is unknown
    explicit_year: bool
    precision: str  # day | month | season | year


class DateFinder:
    def __init__(self, res: Resources) -> None:
        self.months: dict[str, int] = dict(res.vocab["months"])
        self.seasons: dict[str, str] = dict(res.vocab["seasons"])
        month = "|".join(sorted(self.months, key=len, reverse=True))
        season = "|".join(self.seasons)
        day = r"(\d{1,2})(?:st|nd|rd|th)?"
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            ("iso", re.compile(rf"\b({_YEAR})-(\d{{2}})-(\d{{2}})\b")),
            ("slash", re.compile(rf"\b({_YEAR})[/.](\d{{1,2}})[/.](\d{{1,2}})\b")),
            (
                "mdy",
                re.compile(rf"\b({month})\.?\s+{day}(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+({_YEAR}))?\b", re.I),
            ),
            ("dmy", re.compile(rf"\b{day}\s+(?:of\s+)?({month})\.?(?:,?\s+({_YEAR}))?\b", re.I)),
            ("my", re.compile(rf"\b({month})\.?,?\s+(?:of\s+)?({_YEAR})\b", re.I)),
            ("sy", re.compile(rf"\b({season})\s+(?:of\s+)?({_YEAR})\b", re.I)),
            ("ys", re.compile(rf"\b({_YEAR})\s+({season})\b", re.I)),
            (
                "rel",
                re.compile(
                    rf"\b(this|next|last|later this|early|late|earlier this)\s+({season}|year|{month})\b",
                    re.I,
                ),
            ),
            ("today", re.compile(r"\b(?:today|tonight)\b", re.I)),
            ("y", re.compile(rf"(?<![\d,.$-])\b({_YEAR})\b(?![\d,.]\d|-\d|\s*(?:yen|dollars|%))")),
            (
                "m",
                re.compile(
                    rf"\b(?:in|from|until|to|for|since|by)\s+(?:early\s+|late\s+|mid-)?({month})\b", re.I
                ),
            ),
            ("s", re.compile(rf"\b(?:in|this|by|for|until)\s+(?:the\s+)?({season})\b", re.I)),
        ]

    def find(self, text: str, start: int, end: int, *, ref: date | None) -> list[DateMention]:
        if not _MAYBE_DATE.search(text, start, end):
            return []
        taken: list[tuple[int, int]] = []
        out: list[DateMention] = []
        chunk = text[start:end]
        low = lowered(chunk)  # word gates: a pattern runs only where its literals are
        for kind, pattern in self.patterns:
            if not gate_of(pattern).admits(chunk, low):
                continue
            for m in pattern.finditer(text, start, end):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                mention = self._build(kind, m, ref)
                if mention is None:
                    continue
                taken.append((m.start(), m.end()))
                out.append(mention)
        out.sort(key=lambda d: d.start)
        return out

    def _month(self, word: str) -> int | None:
        return self.months.get(word.casefold().rstrip("."))

    def _build(self, kind: str, m: re.Match[str], ref: date | None) -> DateMention | None:
        s, e = m.start(), m.end()
        if kind in {"iso", "slash"}:
            y, mon_n, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if not (1 <= mon_n <= 12 and 1 <= d <= 31):
                return None
            return DateMention(s, e, f"{y:04d}-{mon_n:02d}-{d:02d}", True, "day")
        if kind in {"mdy", "dmy"}:
            if kind == "mdy":
                mon_word, day_s, year_s = m.group(1), m.group(2), m.group(3)
            else:
                day_s, mon_word, year_s = m.group(1), m.group(2), m.group(3)
            if mon_word == "May" and kind == "mdy" and not year_s and int(day_s) > 31:
                return None
            if mon_word.islower() and mon_word in {"may", "march", "mar", "jan", "dec", "oct"}:
                return None
            mo = self._month(mon_word)
            d = int(day_s)
            if mo is None or not 1 <= d <= 31:
                return None
            if year_s:
                return DateMention(s, e, f"{int(year_s):04d}-{mo:02d}-{d:02d}", True, "day")
            year = _year_for_month(mo, ref)
            return DateMention(s, e, None if year is None else f"{year:04d}-{mo:02d}-{d:02d}", False, "day")
        if kind == "my":
            mo = self._month(m.group(1))
            if mo is None or m.group(1).islower():
                return None
            return DateMention(s, e, f"{int(m.group(2)):04d}-{mo:02d}", True, "month")
        if kind in {"sy", "ys"}:
            sw, ys = (m.group(1), m.group(2)) if kind == "sy" else (m.group(2), m.group(1))
            return DateMention(s, e, f"{int(ys):04d}-{self.seasons[sw.casefold()]}", True, "season")
        if kind == "rel":
            which, what = m.group(1).casefold(), m.group(2)
            if ref is None:
                return DateMention(s, e, None, False, "year")
            offset = {"next": 1, "last": -1}.get(which, 0)
            if what.casefold() == "year":
                return DateMention(s, e, f"{ref.year + offset:04d}", False, "year")
            if what.casefold() in self.seasons:
                return DateMention(
                    s, e, f"{ref.year + offset:04d}-{self.seasons[what.casefold()]}", False, "season"
                )
            mo = self._month(what)
            if mo is None:
                return None
            if which == "last":
                year = ref.year if mo < ref.month else ref.year - 1
            elif which == "next":
                year = ref.year if mo > ref.month else ref.year + 1
            else:
                year = ref.year
            return DateMention(s, e, f"{year:04d}-{mo:02d}", False, "month")
        if kind == "today":
            if ref is None:
                return DateMention(s, e, None, False, "day")
            return DateMention(s, e, ref.isoformat(), False, "day")
        if kind == "y":
            return DateMention(s, e, m.group(1), True, "year")
        if kind == "m":
            if m.group(1)[0].islower():
                return None
            mo = self._month(m.group(1))
            if mo is None:
                return None
            year = _year_for_month(mo, ref)
            return DateMention(
                s + m.group(0).index(m.group(1)),
                e,
                None if year is None else f"{year:04d}-{mo:02d}",
                False,
                "month",
            )
        if kind == "s":
            sw = m.group(1).casefold()
            if ref is None:
                return DateMention(s, e, None, False, "season")
            return DateMention(s, e, f"{ref.year:04d}-{self.seasons[sw]}", False, "season")
        return None


def _year_for_month(month: int, ref: date | None) -> int | None:
    """The year of a year-less month: the reference year, or the next one when the month is long past."""
    if ref is None:
        return None
    if month < ref.month - 3:
        return ref.year + 1
    return ref.year


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
