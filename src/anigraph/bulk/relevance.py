"""A relevance filter cheap enough for web archives: keep pages about anime, drop the rest, count both.

Extraction costs tens of milliseconds an article and reading an HTML page a few more; a news archive
is mostly about other things. The filter looks at a page's raw text (tags, scripts and styles cut out
by two regular expressions, no HTML parsing) with two Aho-Corasick automata built once per process:

* vocabulary words (``bulk/data/relevance.json``), matched case-insensitively on word boundaries,
  in groups with a weight and a flag saying whether the word is specific to anime ("anime",
  "series composition", "opening theme") or only context ("episode", "premiere", "streaming");
* names matched as written: the studio and publisher gazetteers of the extractor and, when the store
  has a catalog imported, the titles of its works (names that are also everyday words are left out).

Each distinct term counts once. A page is kept when its specific score reaches ``keep_specific``,
or ``with_context_specific`` together with ``with_context`` points of context, so that a page on
a television drama ("season", "episode", "cast", "premiere") is not kept for its context words alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import ahocorasick

from anigraph.errors import ConfigError

_BLOCKS = (b"<script", b"<style", b"<noscript", b"<template")
_TAGS = re.compile(rb"<[^>]{0,2000}>")
# everything is done on bytes (bytes.find, bytes.translate, bytes.split are C loops; str.translate
# and regular expressions over kilobytes of text cost several times more): ASCII punctuation, the
# common Unicode quotes and dashes and HTML's named punctuation become spaces
_SPACE_TABLE = bytes(32 if i < 128 and not chr(i).isalnum() else i for i in range(256))
_SPACED = (
    *(c.encode() for c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u30fb\u00a0\u3000\u300c\u300d"),
    *(
        f"&{e};".encode()
        for e in ("nbsp", "amp", "quot", "rsquo", "lsquo", "rdquo", "ldquo", "mdash", "ndash")
    ),
    b"&#39;",
)


def _without_blocks(data: bytes) -> bytes:
    """``data`` without its script, style, noscript and template elements."""
    low = data.lower()
    out: list[bytes] = []
    pos = 0
    while True:
        starts = [(i, tag) for tag in _BLOCKS if (i := low.find(tag, pos)) >= 0]
        if not starts:
            out.append(data[pos:])
            return b" ".join(out)
        i, tag = min(starts)
        out.append(data[pos:i])
        close = low.find(b"</" + tag[1:], i)
        end = low.find(b">", close) if close >= 0 else -1
        if end < 0:
            return b" ".join(out)
        pos = end + 1


def html_words(data: bytes, *, max_bytes: int = 400_000) -> bytes:
    """The visible text of an HTML page, roughly: scripts, styles and tags removed, never parsed."""
    return _TAGS.sub(b" ", _without_blocks(data[:max_bytes]))


def words(data: bytes) -> str:
    """``data`` as its words between single spaces, with a space at each end: a term matched as
    `` term `` is matched on word boundaries, and the inside of a longer word is never a hit."""
    for mark in _SPACED:
        data = data.replace(mark, b" ")
    return " " + b" ".join(data.translate(_SPACE_TABLE).split()).decode("utf-8", errors="replace") + " "


def _term(term: str) -> str:
    return words(term.encode())


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the filter thinks of one page."""

    keep: bool
    specific: int
    context: int
    terms: tuple[str, ...]  # the distinct terms found, for explaining a decision


@dataclass(slots=True)
class FilterCounts:
    """How many pages a filter saw and kept."""

    pages: int = 0
    kept: int = 0

    @property
    def dropped(self) -> int:
        return self.pages - self.kept

    def add(self, other: FilterCounts) -> None:
        self.pages += other.pages
        self.kept += other.kept


@dataclass
class RelevanceFilter:
    """Built from the vocabulary data file plus names; picklable (it rebuilds its automata on load)."""

    config: dict[str, Any]
    names: tuple[str, ...] = ()
    counts: FilterCounts = field(default_factory=FilterCounts)
    _words: Any = field(default=None, repr=False)
    _names: Any = field(default=None, repr=False)

    @classmethod
    def load(cls, *, catalog_titles: Iterable[str] = ()) -> RelevanceFilter:
        """The packaged vocabulary, the extractor's studio and publisher names, and ``catalog_titles``."""
        root = resources.files("anigraph")
        config = json.loads((root / "bulk" / "data" / "relevance.json").read_text(encoding="utf-8"))
        names: list[str] = []
        for rel in config["name_files"].values():
            lines = (root / rel).read_text(encoding="utf-8").splitlines()
            names.extend(line.strip() for line in lines if line.strip() and not line.startswith("#"))
        titles = [t for t in catalog_titles if len(t.split()) >= 2]  # one-word titles are everyday words
        return cls(config=config, names=tuple(dict.fromkeys([*names, *titles])))

    def __post_init__(self) -> None:
        self._build()

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self.config, "names": self.names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.config, self.names, self.counts = state["config"], state["names"], FilterCounts()
        self._build()

    @property
    def fingerprint(self) -> str:
        """Changes when the vocabulary or the names change (a bulk run records it with its partitions)."""
        blob = json.dumps([self.config, sorted(self.names)], sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def _build(self) -> None:
        words = ahocorasick.Automaton()
        try:
            for group in self.config["groups"].values():
                weight, specific = int(group["weight"]), bool(group["specific"])
                for term in group["terms"]:
                    words.add_word(_term(term.lower()), (term.lower(), weight, specific))
            common = {w.lower() for w in self.config["common_words"]}
            min_chars = int(self.config["min_name_chars"])
            name_weight = int(self.config["name_weight"])
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"relevance vocabulary is malformed ({type(e).__name__}: {e})") from e
        names = ahocorasick.Automaton()
        for name in self.names:
            if len(name) >= min_chars and name.lower() not in common:
                names.add_word(_term(name), (name, name_weight, True))
        words.make_automaton()
        if len(names):
            names.make_automaton()
        self._words, self._names = words, (names if len(names) else None)

    def judge(self, text: str) -> Verdict:
        """Whether ``text`` is about anime, with its scores and the terms found."""
        return self.judge_bytes(text.encode("utf-8", errors="replace"))

    def judge_bytes(self, data: bytes) -> Verdict:
        """:meth:`judge` for UTF-8 text (or text that is mostly UTF-8: bad bytes are replaced)."""
        spaced = words(data[: int(self.config["max_chars"])])
        found: dict[str, tuple[int, bool]] = {}
        for _end, (term, weight, specific) in self._words.iter(spaced.lower()):
            found[term] = (weight, specific)
        if self._names is not None:
            for _end, (term, weight, specific) in self._names.iter(spaced):
                found[term] = (weight, specific)
        specific = sum(w for w, s in found.values() if s)
        context = sum(w for w, s in found.values() if not s)
        keep = specific >= self.config["keep_specific"] or (
            specific >= self.config["with_context_specific"] and context >= self.config["with_context"]
        )
        return Verdict(keep=keep, specific=specific, context=context, terms=tuple(found))

    def _count(self, verdict: Verdict) -> bool:
        self.counts.pages += 1
        self.counts.kept += verdict.keep
        return verdict.keep

    def keep(self, text: str) -> bool:
        """Judge ``text`` and count it."""
        return self._count(self.judge(text))

    def keep_html(self, data: bytes) -> bool:
        """Judge a raw HTML page (without reading it) and count it."""
        return self._count(self.judge_bytes(html_words(data)))

    def keep_json_line(self, data: bytes) -> bool:
        """Judge one JSON Lines record by its title and text; a line that is not a JSON object is kept
        (the reader records why it is bad)."""
        try:
            record = json.loads(data)
        except (ValueError, RecursionError):
            record = None
        if not isinstance(record, dict):
            self.counts.pages += 1
            self.counts.kept += 1
            return True
        parts = (record.get("title"), record.get("text"))
        return self.keep("\n".join(p for p in parts if isinstance(p, str)))
