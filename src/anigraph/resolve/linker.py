"""Entity linking: decide for a mention which known entity it names, or NIL (a new one).

The store builds a ``Linker`` from the entities it holds and asks it, for every name the
extractor found, which entity (if any) the name refers to. ``None`` as a match is the NIL
decision: the caller creates a new entity.

How a lookup works, per entity kind:

1. every alias is indexed by its *key*: the folded title with sequel markers removed and
   spaces dropped (``variants.parse_title``); works also index the title before its
   subtitle, people their name with the order swapped;
2. candidates are the aliases with the same key plus the nearest keys by character
   trigrams (a numpy CSR posting list, Jaccard overlap, top ``TRIGRAM_TOP``); aliases
   added after the last build are scanned with ``rapidfuzz.process.extract``;
3. each candidate alias is scored (``scoring``): edits on the key, sequel markers must
   agree, a trailing year must not contradict; the best alias per entity wins, context
   names (studios, staff) in the same article add a small bonus;
   a mention with a misspelt sequel marker ("Seaso 2", "Mvoie") is also read with the marker put
   back (``respell``), at one edit's cost per word;
4. the best entity at or above ``MATCH_THRESHOLD`` is the match, otherwise NIL.
"""

from __future__ import annotations

import logging
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from anigraph.errors import ResolveError
from anigraph.names import fold, person_key, studio_key
from anigraph.resolve.respell import Respelt, respell_markers
from anigraph.resolve.scoring import (
    HEAD_PENALTY,
    MARKER_TYPO_PENALTY,
    MATCH_THRESHOLD,
    ORIGIN_NAMES,
    QUERY_HEAD_PENALTY,
    PairScore,
    Reason,
    context_bonus,
    context_key,
    explain,
    score_name,
    score_title,
)
from anigraph.resolve.variants import TitleForm, compact, parse_title, title_head

log = logging.getLogger(__name__)

_FORMAT_MARKER = {"movie": "movie", "ova": "ova", "special": "special"}
_NO_HEAD_FORMATS = frozenset({"music", "cm"})
TRIGRAM_TOP = 40
_KIND_NAMES = {"studio": "organization", "company": "organization"}
STOP_GRAM_SHARE = 25  # a trigram in more than 1/25 of the aliases is "common"
STOP_GRAM_FLOOR = 500  # … and in more than 500 (small indexes keep every trigram)
MIN_GRAMS = 4  # the rarest trigrams always used
PENDING_LIMIT = 4000
PENDING_TOP = 10  # aliases not in the trigram index yet: the best 10 by whole-key similarity
MAX_CANDIDATES = 5


@dataclass(slots=True)
class Candidate:
    """An entity that mentions may link to."""

    entity_id: int
    kind: str  # work | person | character | organization
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, origin e.g. "anidb")
    context: set[str] = field(default_factory=set)  # folded names of related studios/staff
    slug: str = ""
    prior: float = 0.0  # tie-break between equal scores (e.g. number of catalogs that list it)
    alias_kinds: dict[str, str] = field(default_factory=dict)  # alias → english | romaji | short | …
    fmt: str | None = None  # works: tv | movie | ova | ona | special | music | cm (from a catalog)


@dataclass(frozen=True, slots=True)
class Scored:
    entity_id: int
    name: str
    score: float
    why: str
    slug: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slug or str(self.entity_id),
            "title": self.name,
            "score": self.score,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class LinkResult:
    query: str
    match: Scored | None
    candidates: tuple[Scored, ...] = ()

    def to_json(self) -> dict[str, Any]:
        match = None
        if self.match is not None:
            match = {k: v for k, v in self.match.to_json().items() if k != "why"}
        return {"query": self.query, "match": match, "candidates": [c.to_json() for c in self.candidates]}


def _grams(key: str) -> set[str]:
    padded = f"^{key}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _Index:
    """The aliases of one entity kind, with exact and trigram lookups."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.entities: list[Candidate] = []
        self.ctx: list[frozenset[str] | None] = []
        self.by_id: dict[int, int] = {}
        # parallel alias arrays
        self.a_ent: list[int] = []
        self.a_key: list[str] = []
        self.a_text: list[str] = []
        # works: folded title and core per alias (TitleForm rebuilt per lookup: fewer GC-tracked objects)
        self.a_folded: list[str] = []
        self.a_core: list[str] = []
        self.a_year: list[int] = []  # 0 = none
        self.a_sig: list[tuple[str, ...]] = []
        self._sigs: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.a_origin: list[str] = []
        self.a_note: list[str] = []  # "subtitle dropped", "name order swapped", ""
        # tuples of ints, which the garbage collector stops tracking (lists it would scan forever)
        self.exact: dict[str, tuple[int, ...]] = {}
        self.by_pkey: dict[str, tuple[int, ...]] = {}  # order-free person key → entity positions
        self._seen: set[str] = set()
        # trigram CSR over aliases [0, built)
        self.built = 0
        self.vocab: dict[str, int] = {}
        self.offsets = np.zeros(1, dtype=np.int64)
        self.postings = np.zeros(0, dtype=np.int32)
        self.ngrams = np.zeros(0, dtype=np.int32)
        self._bounds: list[int] = [0]

    # -- building -----------------------------------------------------------------------
    def add(self, cand: Candidate) -> None:
        if cand.entity_id in self.by_id:  # re-adding replaces context, keeps aliases growing
            pos = self.by_id[cand.entity_id]
        else:
            pos = len(self.entities)
            self.by_id[cand.entity_id] = pos
            self.entities.append(cand)
            self.ctx.append(None)
        self.entities[pos] = cand
        self.ctx[pos] = frozenset(context_key(c) for c in cand.context) or None
        names = [(cand.name, "name")] + [(a, o) for a, o in cand.aliases]
        if self.kind == "work":
            forms = [(text, origin, parse_title(text)) for text, origin in names]
            primary_sig = forms[0][2].sig
            # The title before a subtitle names the franchise: for a film or an OVA it only
            # names this work together with its kind ("<franchise> Movie"). The kind comes from
            # the catalog, or from a title that says it ("… The Movie").
            extra = _FORMAT_MARKER.get(cand.fmt or "")
            if extra is None and cand.fmt is None:
                said = {m for _t, _o, f in forms for m in f.sig} & set(_FORMAT_MARKER.values())
                extra = min(said) if len(said) == 1 else None
            for text, origin, form in forms:
                sig = form.sig or primary_sig
                self._add_alias(pos, form.key, text, form, sig, origin, "")
                head = title_head(text)
                if head and cand.fmt not in _NO_HEAD_FORMATS:
                    hform = parse_title(head)
                    hsig = hform.sig or sig
                    if extra and extra not in hsig:
                        hsig = tuple(sorted({*hsig, extra}))
                    self._add_alias(pos, hform.key, text, hform, hsig, origin, "subtitle dropped")
        else:
            for text, origin in names:
                key = compact(studio_key(text) if self.kind == "organization" else fold(text))
                self._add_alias(pos, key, text, None, (), origin, "")
                tokens = fold(text).split()
                if self.kind in {"person", "character"} and len(tokens) >= 2:
                    swapped = compact(" ".join(reversed(tokens)))
                    self._add_alias(pos, swapped, text, None, (), origin, "name order swapped")
                    holders = self.by_pkey.get(person_key(text), ())
                    if pos not in holders:
                        self.by_pkey[person_key(text)] = (*holders, pos)

    def _add_alias(
        self,
        pos: int,
        key: str,
        text: str,
        form: TitleForm | None,
        sig: tuple[str, ...],
        origin: str,
        note: str,
    ) -> None:
        if not key:
            return
        marker = f"{pos}\x00{key}\x00{'|'.join(sig)}\x00{note}"
        if marker in self._seen:
            return
        self._seen.add(marker)
        idx = len(self.a_ent)
        self.a_ent.append(pos)
        self.a_key.append(key)
        self.a_text.append(text)
        self.a_folded.append(form.folded if form else "")
        self.a_core.append(form.core if form else "")
        self.a_year.append(form.year or 0 if form else 0)
        self.a_sig.append(self._sigs.setdefault(sig, sig))
        self.a_origin.append(origin)
        self.a_note.append(note)
        self.exact[key] = (*self.exact.get(key, ()), idx)

    def build(self) -> None:
        """(Re)build the trigram posting lists over every alias added so far."""
        n = len(self.a_key)
        gram_ids = array("i")  # machine ints: no Python int object per posting
        alias_ids = array("i")
        counts = np.zeros(n, dtype=np.int32)
        vocab = self.vocab
        for i, key in enumerate(self.a_key):
            grams = _grams(key)
            counts[i] = len(grams)
            for g in grams:
                gid = vocab.get(g)
                if gid is None:
                    gid = vocab[g] = len(vocab)
                gram_ids.append(gid)
            alias_ids.extend(array("i", [i]) * len(grams))
        g_arr = np.frombuffer(gram_ids, dtype=np.int32) if gram_ids else np.zeros(0, dtype=np.int32)
        a_arr = np.frombuffer(alias_ids, dtype=np.int32) if alias_ids else np.zeros(0, dtype=np.int32)
        order = np.argsort(g_arr, kind="stable")
        self.postings = a_arr[order]
        self.offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(g_arr, minlength=len(vocab)), out=self.offsets[1:])
        self.ngrams = counts
        self._bounds = self.offsets.tolist()  # plain ints: cheaper to index per lookup than numpy scalars
        self.built = n
        log.debug("built %s trigram index: %d aliases, %d trigrams", self.kind, n, len(vocab))

    def form(self, i: int) -> TitleForm:
        return TitleForm(
            self.a_folded[i], self.a_core[i], self.a_key[i], self.a_sig[i], self.a_year[i] or None
        )

    # -- lookup -------------------------------------------------------------------------
    def nearby(self, key: str) -> set[int]:
        """Alias indexes with the same key or a similar one (trigram Jaccard, then pending scan)."""
        found: set[int] = set(self.exact.get(key, ()))
        if len(self.a_key) - self.built > PENDING_LIMIT:
            self.build()
        if self.built:
            grams = _grams(key)
            bounds = self._bounds
            spans = sorted(
                (bounds[g + 1] - bounds[g], g) for g in (self.vocab.get(x) for x in grams) if g is not None
            )
            # very common trigrams ("ion", "no$") add work but little evidence: skip them when others exist
            common = max(self.built // STOP_GRAM_SHARE, STOP_GRAM_FLOOR)
            if len(spans) > MIN_GRAMS:
                spans = spans[:MIN_GRAMS] + [sp for sp in spans[MIN_GRAMS:] if sp[0] <= common]
            if spans:
                hits = np.concatenate([self.postings[bounds[g] : bounds[g + 1]] for _n, g in spans])
                if hits.size * 4 > self.built:  # many hits: count into a dense array
                    counted = np.bincount(hits, minlength=self.built)
                    ids = np.flatnonzero(counted)
                    inter = counted[ids]
                else:  # few hits: sort and count runs
                    hits.sort()
                    first = np.empty(hits.size, dtype=bool)
                    first[0] = True
                    np.not_equal(hits[1:], hits[:-1], out=first[1:])
                    starts = np.flatnonzero(first)
                    ids = hits[starts]
                    inter = np.diff(np.append(starts, hits.size))
                jac = inter / (len(grams) + self.ngrams[ids] - inter)
                close = jac >= 0.2
                # the TRIGRAM_TOP nearest hold every close one when there are no more than that
                if ids.size > TRIGRAM_TOP and np.count_nonzero(close) > TRIGRAM_TOP:
                    top = np.argpartition(-jac, TRIGRAM_TOP)[:TRIGRAM_TOP]
                    ids, jac = ids[top], jac[top]
                    close = jac >= 0.2
                found.update(ids[close].tolist())
        if self.built < len(self.a_key):
            # the 10 best at or above 60 (ties: the first added), as process.extract(limit=10) gives
            # them, but scored by cdist (about twice as fast over one query)
            pending = self.a_key[self.built :]
            scores = process.cdist([key], pending, scorer=fuzz.ratio, score_cutoff=60, dtype=np.float64)[0]
            near = np.flatnonzero(scores >= 60)
            if near.size > PENDING_TOP:
                near = near[np.lexsort((near, -scores[near]))[:PENDING_TOP]]
            found.update((near + self.built).tolist())
        return found


class Linker:
    """Links mentions to candidates (see module docstring)."""

    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        self._indexes: dict[str, _Index] = {}
        self._read_only = False
        for c in candidates:
            self.add(c)

    @classmethod
    def from_indexes(cls, indexes: Iterable[_Index]) -> Linker:
        """A read-only linker over indexes read back from a snapshot (``resolve.snapshot``)."""
        linker = cls()
        linker._indexes = {i.kind: i for i in indexes}
        linker._read_only = True
        return linker

    def add(self, candidate: Candidate) -> None:
        if self._read_only:
            raise ResolveError(
                f"cannot add {candidate.name!r}: this linker was read from a snapshot and only links"
            )
        index = self._indexes.get(candidate.kind)
        if index is None:
            index = self._indexes[candidate.kind] = _Index(candidate.kind)
        index.add(candidate)

    def build(self) -> None:
        """Build every trigram index now (otherwise done on the first lookups that need it)."""
        for index in self._indexes.values():
            index.build()

    def __len__(self) -> int:
        return sum(len(i.entities) for i in self._indexes.values())

    def alias_count(self) -> int:
        return sum(len(i.a_key) for i in self._indexes.values())

    def owners(self, title: str, *, kind: str = "work") -> set[int]:
        """Entities with an alias (or, for works, a franchise name) equal to ``title`` after folding.

        Same key and same sequel signature: the mentions the linker cannot tell apart.
        """
        index = self._indexes.get(kind)
        if index is None:
            return set()
        if kind != "work":
            key = compact(studio_key(title) if kind == "organization" else fold(title))
            return {index.entities[index.a_ent[i]].entity_id for i in index.exact.get(key, ())}
        form = parse_title(title)
        return {
            index.entities[index.a_ent[i]].entity_id
            for i in index.exact.get(form.key, ())
            if index.a_sig[i] == form.sig
        }

    def link(
        self,
        mention: str,
        *,
        kind: str,
        context: Sequence[str] = (),
        context_keys: AbstractSet[str] | None = None,
    ) -> LinkResult:
        """Link ``mention`` (of ``kind``; "studio" means organization) to an entity, or NIL.

        ``context`` are the other names of the article (studios, staff, works); a caller that
        links many names of one article may pass their ``context_key``s as ``context_keys``
        instead (computed once; they replace ``context``).
        """
        kind = _KIND_NAMES.get(kind, kind)
        index = self._indexes.get(kind)
        if index is None or not mention.strip():
            return LinkResult(query=mention, match=None)
        best: dict[int, tuple[float, tuple[Reason, ...]]] = {}
        rejected: dict[int, tuple[float, tuple[Reason, ...]]] = {}
        via_head: set[int] = set()

        def keep(
            pos: int, ps: PairScore, note: str, origin: str, alias: str, *, query_head: bool = False
        ) -> None:
            score = ps.score - (HEAD_PENALTY if note == "subtitle dropped" else 0.0)
            target = rejected if ps.rejected else best
            if score <= target.get(pos, (-1.0, ()))[0]:
                return
            parts: tuple[Reason, ...] = ps.reason + ((note,) if note else ())
            cand = index.entities[pos]
            if alias != cand.name:
                alias_kind = cand.alias_kinds.get(alias, "alias")
                parts += (f"{alias_kind} from {ORIGIN_NAMES.get(origin, origin)}",)
            target[pos] = (score, parts)
            if not ps.rejected:
                if note == "subtitle dropped" or query_head:
                    via_head.add(pos)
                else:
                    via_head.discard(pos)

        if kind == "work":
            self._link_work(index, mention, keep, best)
        else:
            self._link_name(index, mention, keep)
        if context_keys is None:
            context_keys = {context_key(c) for c in context if c.strip()}
        return self._decide(index, mention, best, rejected, context_keys, via_head)

    def _link_work(self, index: _Index, mention: str, keep: Any, best: dict[int, Any]) -> None:
        self._link_reading(index, mention, keep, best)
        respelt = respell_markers(mention)
        if respelt is not None:  # "Seaso 2" also read as "season 2", one edit's cost per word put back
            self._link_reading(index, respelt.text, keep, best, respelt=respelt)

    @staticmethod
    def _link_reading(
        index: _Index, text: str, keep: Any, best: dict[int, Any], *, respelt: Respelt | None = None
    ) -> None:
        forms: list[tuple[TitleForm, str]] = [(parse_title(text), "")]
        head = title_head(text)
        if head:
            hform = parse_title(head)
            full_sig = forms[0][0].sig
            forms.append(
                (TitleForm(hform.folded, hform.core, hform.key, hform.sig or full_sig, hform.year), head)
            )
        penalty = 0.0
        if respelt is not None:
            penalty = MARKER_TYPO_PENALTY + 0.5 * respelt.edits / max(len(compact(forms[0][0].folded)), 1)
        for qform, qhead in forms:
            if qhead and any(v[0] >= MATCH_THRESHOLD for v in best.values()):
                break  # the whole title matched: the franchise alone adds nothing
            for i in index.nearby(qform.key):
                aform = index.form(i)
                ps = score_title(
                    qform,
                    aform,
                    alias_sig=index.a_sig[i],
                    query_text=qhead or text,
                    alias_text=index.a_text[i],
                    kind="work",
                )
                if ps is None:
                    continue
                note = index.a_note[i]
                if qhead:
                    reason = (*ps.reason, "subtitle dropped from the query")
                    ps = PairScore(ps.score - QUERY_HEAD_PENALTY, reason, ps.rejected)
                if respelt is not None:
                    ps = PairScore(ps.score - penalty, (*ps.reason, respelt.describe), ps.rejected)
                keep(index.a_ent[i], ps, note, index.a_origin[i], index.a_text[i], query_head=bool(qhead))

    def _link_name(self, index: _Index, mention: str, keep: Any) -> None:
        key = compact(studio_key(mention) if index.kind == "organization" else fold(mention))
        for i in index.nearby(key):
            ps = score_name(
                key, index.a_key[i], query_text=mention, alias_text=index.a_text[i], kind=index.kind
            )
            if ps is not None:
                keep(index.a_ent[i], ps, index.a_note[i], index.a_origin[i], index.a_text[i])
        if index.kind in {"person", "character"}:
            for pos in index.by_pkey.get(person_key(mention), ()):
                name = index.entities[pos].name
                keep(pos, PairScore(0.98, ("same name tokens",)), "name order differs", "name", name)

    @staticmethod
    def _decide(
        index: _Index,
        mention: str,
        best: dict[int, tuple[float, tuple[Reason, ...]]],
        rejected: dict[int, tuple[float, tuple[Reason, ...]]],
        q_ctx: AbstractSet[str],
        via_head: set[int],
    ) -> LinkResult:
        scored: list[tuple[float, float, int, tuple[Reason, ...]]] = []
        for pos, (score, why) in best.items():
            cand_ctx = index.ctx[pos]
            if q_ctx and cand_ctx:
                bonus, note = context_bonus(q_ctx, cand_ctx)
                if bonus:
                    score, why = score + bonus, (*why, note)
                elif index.kind == "character":  # the same character name recurs across shows
                    score = min(score, MATCH_THRESHOLD - 0.01)
                    why = (*why, "none of its works is in the context")
            scored.append((score, index.entities[pos].prior, pos, why))  # may exceed 1 before clipping
        scored.sort(key=lambda t: (-t[0], -t[1], index.entities[t[2]].entity_id))
        out = [
            Scored(
                index.entities[p].entity_id,
                index.entities[p].name,
                round(min(s, 1.0), 3),
                explain(w),
                index.entities[p].slug,
            )
            for s, _prior, p, w in scored[:MAX_CANDIDATES]
        ]
        for pos, (score, why) in sorted(rejected.items(), key=lambda kv: -kv[1][0]):
            if len(out) >= MAX_CANDIDATES:
                break
            if pos not in best:
                c = index.entities[pos]
                out.append(Scored(c.entity_id, c.name, round(score, 3), explain(why), c.slug))
        match = out[0] if scored and scored[0][0] >= MATCH_THRESHOLD else None
        # Two works reached only through a shared franchise name (subtitle dropped): ambiguous.
        if (
            match is not None
            and len(scored) > 1
            and {scored[0][2], scored[1][2]} <= via_head
            and scored[0][0] - scored[1][0] < 0.01
        ):
            match = None
        return LinkResult(query=mention, match=match, candidates=tuple(out))

    def stats(self) -> dict[str, int]:
        return dict(Counter({k: len(i.entities) for k, i in self._indexes.items()}))
