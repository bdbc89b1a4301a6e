"""Typo-tolerant search over every name the store knows (titles, aliases, people, studios).

The index is built once per database version (the app caches it) from
``ReadAPI.search_entries``. A query is scored several ways and the best score wins: the
entity linker (``anigraph.resolve.Linker``, which knows romanization variants, word order
of people's names and typos), an exact or prefix match of the folded name (suggestions as
you type), a word or word prefix inside a name ("rouge" finds *Metallic Rouge*),
rapidfuzz's edit ratio against every folded name, and the same ratio against
each name cut to the query's length (a prefix typed with a typo).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from anigraph.names import fold
from anigraph.resolve.linker import Candidate, Linker
from anigraph.store.readapi import EntityRef, SearchEntry

log = logging.getLogger(__name__)

KINDS = ("work", "person", "character", "organization")
# Works are what people look for most; a tiny bonus orders ties.
_KIND_BONUS = {"work": 0.02, "person": 0.01, "organization": 0.005, "character": 0.0}
MIN_SCORE = 0.55


@dataclass(frozen=True, slots=True)
class Hit:
    ref: EntityRef
    score: float
    matched: str  # the name (or alias) that matched

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.ref.slug,
            "type": self.ref.kind,
            "title": self.ref.name,
            "score": round(self.score, 3),
            "matched": self.matched,
        }


_LATER_WORD = re.compile(r"(?<= )\S")
_SUBTITLE = re.compile(r"\s*(?::|\s-\s|\s–\s|\s—\s)\s*")


def short_titles(names: Sequence[str]) -> list[str]:
    """Main titles before a subtitle ("Frieren: Beyond Journey's End" → "Frieren"): people search by them."""
    out: list[str] = []
    for name in names:
        head = _SUBTITLE.split(name, maxsplit=1)[0].strip()
        if head != name.strip() and len(fold(head)) >= 3:
            out.append(head)
    return out


class SearchIndex:
    def __init__(self, entries: Sequence[SearchEntry]) -> None:
        self._entries = list(entries)
        self._by_id = {e.entity_id: e for e in self._entries}
        self._names: list[str] = []  # folded names, parallel to _owners
        self._owners: list[tuple[int, str]] = []  # (entry index, original name)
        for i, entry in enumerate(self._entries):
            names = list(entry.names)
            if entry.ref.kind == "work":
                names.extend(short_titles(entry.names))
            for name in dict.fromkeys(names):
                folded = fold(name)
                if folded:
                    self._names.append(folded)
                    self._owners.append((i, name))
        self._sorted = sorted((name, pos) for pos, name in enumerate(self._names))
        # every name from each of its later words on ("metallic rouge" → "rouge"): a title word
        self._tails = sorted(
            (name[m.start() :], pos)
            for pos, name in enumerate(self._names)
            for m in _LATER_WORD.finditer(name)
        )
        self._index_of = {e.entity_id: i for i, e in enumerate(self._entries)}
        self._linker = Linker(
            Candidate(
                entity_id=e.entity_id,
                kind=e.ref.kind,
                name=e.ref.name,
                aliases=[(n, "index") for n in e.names[1:]],
            )
            for e in self._entries
        )

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, *, limit: int = 10, kind: str | None = None) -> list[Hit]:
        """Best first; at most one hit per entity; only hits scoring at least ``MIN_SCORE``."""
        q = fold(query)
        if not q or limit <= 0:
            return []
        best: dict[int, Hit] = {}

        def offer(index: int, score: float, matched: str) -> None:
            entry = self._entries[index]
            if kind is not None and entry.ref.kind != kind:
                return
            score = min(1.0, score)
            old = best.get(index)
            if old is None or score > old.score:
                best[index] = Hit(entry.ref, score, matched)

        index_of = self._index_of
        for k in (kind,) if kind else KINDS:
            result = self._linker.link(query, kind=k)
            for cand in (result.match, *result.candidates):
                if cand is not None and cand.entity_id in index_of:
                    offer(index_of[cand.entity_id], float(cand.score), cand.name)
        start = bisect_left(self._sorted, (q, -1))
        for name, pos in self._sorted[start : start + 200]:
            if not name.startswith(q):
                break
            if name == q:
                offer(self._owners[pos][0], 1.0, self._owners[pos][1])
            elif len(q) >= 2:
                # a prefix typed so far: the more of the name typed, the better
                offer(self._owners[pos][0], 0.82 + 0.15 * len(q) / len(name), self._owners[pos][1])
        if len(q) >= 3:
            # a word (or the start of a word) inside a name: "rouge", "rou" find "Metallic Rouge"
            start = bisect_left(self._tails, (q, -1))
            for tail, pos in self._tails[start : start + 200]:
                if not tail.startswith(q):
                    break
                word = tail.split(" ", 1)[0]
                whole = 0.05 if len(q) >= len(word) else 0.0
                offer(
                    self._owners[pos][0],
                    0.7 + whole + 0.1 * len(q) / len(self._names[pos]),
                    self._owners[pos][1],
                )
        cutoff = MIN_SCORE * 100
        for _name, score, pos in process.extract(
            q, self._names, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=cutoff
        ):
            offer(self._owners[pos][0], score / 100.0, self._owners[pos][1])
        if len(q) >= 3:
            # a prefix typed with a typo: compare with each name cut to the query's length
            heads = [n[: len(q)] for n in self._names]
            for _name, score, pos in process.extract(
                q, heads, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=75
            ):
                name = self._names[pos]
                offer(
                    self._owners[pos][0],
                    0.78 * score / 100.0 + 0.1 * len(q) / len(name),
                    self._owners[pos][1],
                )
        hits = sorted(
            best.values(),
            key=lambda h: (
                -(h.score + _KIND_BONUS.get(h.ref.kind, 0.0)),
                len(h.ref.name),
                h.ref.name,
                h.ref.slug,
            ),
        )
        out: list[Hit] = []
        shown: set[tuple[str, str]] = set()
        for h in hits:
            key = (h.ref.kind, fold(h.ref.name))
            if h.score < MIN_SCORE or key in shown:
                continue  # one line per kind and name: same-named entities read as duplicates
            shown.add(key)
            out.append(h)
            if len(out) == limit:
                break
        return out
