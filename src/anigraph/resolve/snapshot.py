"""A built :class:`~anigraph.resolve.linker.Linker` saved as bytes and read back in a fraction of a build.

Building the index over a whole catalog (about 20,000 works, 86,000 aliases) parses every title and
counts every trigram: seconds. A snapshot keeps what lookups read, as plain data: each string column
joined by NUL with where each value starts, numbers as raw machine arrays, the exact-key and trigram
tables as sorted keys. Reading builds nothing per alias: a value is cut from its column, a key found
by binary search, a candidate made, when a lookup asks for it (a lookup reads a few dozen). It is
pickled, and read back with an unpickler that refuses every class and function, so reading a
snapshot (a file beside the database) never runs code.

A linker read from a snapshot links exactly as the one saved; it is read-only (``Linker.add`` raises),
because the entities' own alias lists and raw context names are not kept.

:func:`code_digest` changes whenever the code or data that decide what an index holds change (this
package and ``anigraph.names``): a cache keyed by it is never read by another version of the linker.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import pickle
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, cast, overload

import numpy as np

from anigraph.errors import ResolveError
from anigraph.resolve.linker import Candidate, Linker, _Index

FORMAT = 3  # 2: string columns with offsets, read lazily; 3: exact keys and trigrams by binary search
_SEP = "\x00"
_CTX_SEP = "\x1f"
_KIND_SEP = "\x1e"


@cache
def code_digest() -> str:
    """A digest of the sources and data files that decide what an index holds."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    package = resources.files("anigraph.resolve")
    for folder in (package, package / "data"):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".json")):
                digest.update(entry.name.encode() + b"\n" + entry.read_bytes())
    digest.update((resources.files("anigraph") / "names.py").read_bytes())
    return digest.hexdigest()


def _join(values: list[str]) -> str:
    joined = _SEP.join(values)
    if values and joined.count(_SEP) != len(values) - 1:
        raise ResolveError("a name holds a NUL character; the linker cannot be saved as a snapshot")
    return joined


def _array(values: Any, dtype: type[np.generic]) -> bytes:
    return np.asarray(values, dtype=dtype).tobytes()


def _interned(values: list[Any]) -> tuple[list[Any], bytes]:
    """A column with few distinct values ("anidb", "subtitle dropped"): the table and an index per row."""
    table: dict[Any, int] = {}
    ids = [table.setdefault(v, len(table)) for v in values]
    return list(table), _array(ids, np.int32)


def _strings(values: list[str]) -> dict[str, Any]:
    """A string column: the values joined, and where each starts (read back one value at a time)."""
    ends = np.cumsum([len(v) + 1 for v in values], dtype=np.int64)
    return {"text": _join(values), "starts": np.concatenate([[0], ends]).astype(np.int64).tobytes()}


def _sorted_lookup(table: dict[str, list[int]]) -> dict[str, Any]:
    """A str → ints table as its keys in sorted order (a string column) and their values' runs."""
    keys = sorted(table)
    values = [v for k in keys for v in table[k]]
    starts = np.cumsum([0] + [len(table[k]) for k in keys], dtype=np.int64)
    return {
        "n": len(keys),
        "keys": _strings(keys),
        "values": _array(values, np.int32),
        "starts": starts.tobytes(),
    }


def _index_state(index: _Index) -> dict[str, Any]:
    if index.built != len(index.a_key):
        index.build()
    n = len(index.a_key)
    cands = index.entities
    sig_table, sig_ids = _interned(index.a_sig)
    origin_table, origin_ids = _interned(index.a_origin)
    note_table, note_ids = _interned(index.a_note)
    return {
        "kind": index.kind,
        "n_entities": len(cands),
        "e_id": _array([c.entity_id for c in cands], np.int64),
        "e_prior": _array([c.prior for c in cands], np.float64),
        "e_name": _strings([c.name for c in cands]),
        "e_slug": _strings([c.slug for c in cands]),
        "e_fmt": _strings([c.fmt or "" for c in cands]),
        # alias → kind ("English title from AniList"), only what explanations read
        "e_alias_kinds": [
            _CTX_SEP.join(f"{a}{_KIND_SEP}{k}" for a, k in c.alias_kinds.items()) if c.alias_kinds else None
            for c in cands
        ],
        "e_ctx": [
            _CTX_SEP.join(sorted(c)) if c else None for c in index.ctx
        ],  # folded: no control characters
        "n_aliases": n,
        "a_ent": _array(index.a_ent, np.int32),
        "a_key": _strings(index.a_key),
        "a_text": _strings(index.a_text),
        "a_folded": _strings(index.a_folded),
        "a_core": _strings(index.a_core),
        "a_year": _array(index.a_year, np.int32),
        "sigs": sig_table,
        "a_sig": sig_ids,
        "origins": origin_table,
        "a_origin": origin_ids,
        "notes": note_table,
        "a_note": note_ids,
        "exact": _sorted_lookup({k: list(v) for k, v in index.exact.items()}),
        "by_pkey": index.by_pkey,
        "vocab": _sorted_lookup({g: [i] for g, i in index.vocab.items()}),
        "offsets": index.offsets.astype(np.int64).tobytes(),
        "postings": index.postings.astype(np.int32).tobytes(),
        "ngrams": index.ngrams.astype(np.int32).tobytes(),
    }


def _ints(data: bytes, dtype: type[np.generic]) -> list[int]:
    return np.frombuffer(data, dtype=dtype).tolist()  # type: ignore[no-any-return]


class _LazyStrings(Sequence[str]):
    """A string column read from a snapshot: each value cut from the joined text when asked for."""

    def __init__(self, column: dict[str, Any], n: int) -> None:
        self._text: str = column["text"]
        self._starts: list[int] = _ints(column["starts"], np.int64)
        if len(self._starts) != n + 1 or (n and self._starts[-1] != len(self._text) + 1):
            raise ValueError(f"a string column of {len(self._starts) - 1} values where {n} were saved")

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._text[self._starts[i] : self._starts[i + 1] - 1]


class _LazyInterned(Sequence[Any]):
    """A column of few distinct values: the value table and an index per row."""

    def __init__(self, table: list[Any], ids: bytes, n: int) -> None:
        self._table = table
        self._ids = _ints(ids, np.int32)
        if len(self._ids) != n:
            raise ValueError(f"{len(self._ids)} values where {n} were saved")

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self._table[j] for j in self._ids[i]]
        return self._table[self._ids[i]]


class _LazyEntities(Sequence[Candidate]):
    """The candidates of an index, each made when first asked for (a lookup reads a few dozen)."""

    def __init__(self, state: dict[str, Any], kind: str) -> None:
        m = state["n_entities"]
        self._kind = kind
        self._ids = _ints(state["e_id"], np.int64)
        self._priors: list[float] = np.frombuffer(state["e_prior"], dtype=np.float64).tolist()
        self._names = _LazyStrings(state["e_name"], m)
        self._slugs = _LazyStrings(state["e_slug"], m)
        self._fmts = _LazyStrings(state["e_fmt"], m)
        self._alias_kinds: list[str | None] = state["e_alias_kinds"]
        if not len(self._ids) == len(self._priors) == len(self._alias_kinds) == m:
            raise ValueError(f"entity columns of unequal length ({m} entities saved)")
        self._made: dict[int, Candidate] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def _make(self, pos: int) -> Candidate:
        made = self._made.get(pos)
        if made is None:
            kinds = self._alias_kinds[pos]
            made = self._made[pos] = Candidate(
                self._ids[pos],
                self._kind,
                self._names[pos],
                slug=self._slugs[pos],
                prior=self._priors[pos],
                fmt=self._fmts[pos] or None,
                alias_kinds=dict(p.split(_KIND_SEP, 1) for p in kinds.split(_CTX_SEP)) if kinds else {},
            )
        return made

    @overload
    def __getitem__(self, i: int) -> Candidate: ...
    @overload
    def __getitem__(self, i: slice) -> list[Candidate]: ...
    def __getitem__(self, i: int | slice) -> Candidate | list[Candidate]:
        if isinstance(i, slice):
            return [self._make(j) for j in range(*i.indices(len(self)))]
        return self._make(range(len(self))[i])


class _LazyContexts(Sequence[frozenset[str] | None]):
    def __init__(self, raw: list[str | None]) -> None:
        self._raw = raw
        self._made: dict[int, frozenset[str] | None] = {}

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, i: int) -> frozenset[str] | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[frozenset[str] | None]: ...
    def __getitem__(self, i: int | slice) -> frozenset[str] | list[frozenset[str] | None] | None:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i not in self._made:
            raw = self._raw[i]
            self._made[i] = frozenset(raw.split(_CTX_SEP)) if raw is not None else None
        return self._made[i]


class _SortedLookup:
    """``dict.get`` over a :func:`_sorted_lookup` table by binary search: nothing built on loading."""

    def __init__(self, state: dict[str, Any]) -> None:
        self._keys = _LazyStrings(state["keys"], state["n"])
        self._values = np.frombuffer(state["values"], dtype=np.int32)
        self._starts = _ints(state["starts"], np.int64)
        if len(self._starts) != state["n"] + 1 or self._starts[-1] != len(self._values):
            raise ValueError("a lookup table's keys and values disagree")

    def _find(self, key: str) -> int | None:
        i = bisect.bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def ints(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        i = self._find(key)
        return default if i is None else tuple(self._values[self._starts[i] : self._starts[i + 1]].tolist())

    def first(self, key: str, default: int | None = None) -> int | None:
        i = self._find(key)
        return default if i is None else int(self._values[self._starts[i]])


class _ExactLookup(_SortedLookup):
    def get(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        return self.ints(key, default)


class _VocabLookup(_SortedLookup):
    def get(self, key: str, default: int | None = None) -> int | None:
        return self.first(key, default)


def _index_from_state(state: dict[str, Any]) -> _Index:
    """An index over the snapshot's columns, read lazily: ``Linker.add`` refuses to add to it, so the
    index only ever indexes these columns and asks their length, which is all they answer."""
    index = _Index(state["kind"])
    n = state["n_aliases"]
    index.entities = cast(list[Candidate], _LazyEntities(state, index.kind))
    index.ctx = cast(list[frozenset[str] | None], _LazyContexts(state["e_ctx"]))
    if len(index.ctx) != len(index.entities):
        raise ValueError("contexts and entities of unequal length")
    index.a_ent = _ints(state["a_ent"], np.int32)
    index.a_key = cast(list[str], _LazyStrings(state["a_key"], n))
    index.a_text = cast(list[str], _LazyStrings(state["a_text"], n))
    index.a_folded = cast(list[str], _LazyStrings(state["a_folded"], n))
    index.a_core = cast(list[str], _LazyStrings(state["a_core"], n))
    index.a_year = _ints(state["a_year"], np.int32)
    index.a_sig = cast(
        list[tuple[str, ...]], _LazyInterned([tuple(s) for s in state["sigs"]], state["a_sig"], n)
    )
    index.a_origin = cast(list[str], _LazyInterned(state["origins"], state["a_origin"], n))
    index.a_note = cast(list[str], _LazyInterned(state["notes"], state["a_note"], n))
    if not len(index.a_ent) == len(index.a_year) == n:
        raise ValueError(f"alias columns of unequal length ({n} aliases saved)")
    index.exact = cast(dict[str, tuple[int, ...]], _ExactLookup(state["exact"]))
    index.by_pkey = state["by_pkey"]
    index.vocab = cast(dict[str, int], _VocabLookup(state["vocab"]))
    index.offsets = np.frombuffer(state["offsets"], dtype=np.int64)
    index.postings = np.frombuffer(state["postings"], dtype=np.int32)
    index.ngrams = np.frombuffer(state["ngrams"], dtype=np.int32)
    index._bounds = index.offsets.tolist()
    index.built = n
    return index


def dumps(linker: Linker) -> bytes:
    """The linker as snapshot bytes (builds any index that has aliases added since its last build)."""
    state = {"format": FORMAT, "indexes": [_index_state(i) for i in linker._indexes.values()]}
    return pickle.dumps(state, protocol=5)


class _PlainUnpickler(pickle.Unpickler):
    """Builtin values only: a snapshot that names any class or function is refused, never run."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a linker snapshot holds plain data only, not {module}.{name}")


def loads(data: bytes) -> Linker:
    """A read-only linker from :func:`dumps` bytes; ResolveError when they are not a snapshot."""
    try:
        state = _PlainUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as e:
        raise ResolveError(f"not a linker snapshot ({e})") from e
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        found = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise ResolveError(f"linker snapshot format {found!r} is not {FORMAT}; rebuild it")
    try:
        indexes = [_index_from_state(s) for s in state["indexes"]]
    except (KeyError, TypeError, ValueError) as e:
        raise ResolveError(f"linker snapshot is damaged ({type(e).__name__}: {e})") from e
    return Linker.from_indexes(indexes)
