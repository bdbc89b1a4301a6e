"""A built :class:`~anigraph.resolve.linker.Linker` saved as bytes and read back in a fraction of a build.

Building the index over a whole catalog (about 20,000 works, 86,000 aliases) parses every title and
counts every trigram: seconds. A snapshot keeps what lookups read, as plain data: the aliases' strings
joined by NUL (one string per column, split on load), numbers as raw machine arrays, small tables as
builtin dicts and lists. It is pickled, and read back with an unpickler that refuses every class and
function, so reading a snapshot (a file beside the database) never runs code.

A linker read from a snapshot links exactly as the one saved; it is read-only (``Linker.add`` raises),
because the entities' own alias lists and raw context names are not kept.

:data:`CODE_DIGEST` changes whenever the code or data that decide what an index holds change (this
package and ``anigraph.names``): a cache keyed by it is never read by another version of the linker.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from anigraph.errors import ResolveError
from anigraph.resolve.linker import Candidate, Linker, _Index

FORMAT = 1
_SEP = "\x00"
_CTX_SEP = "\x1f"


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


def _split(text: str, n: int) -> list[str]:
    values = text.split(_SEP) if n else []
    if len(values) != n:
        raise ValueError(f"{len(values)} values where {n} were saved")
    return values


def _array(values: Any, dtype: type[np.generic]) -> bytes:
    return np.asarray(values, dtype=dtype).tobytes()


def _interned(values: list[Any]) -> tuple[list[Any], bytes]:
    """A column with few distinct values ("anidb", "subtitle dropped"): the table and an index per row."""
    table: dict[Any, int] = {}
    ids = [table.setdefault(v, len(table)) for v in values]
    return list(table), _array(ids, np.int32)


def _index_state(index: _Index) -> dict[str, Any]:
    if index.built != len(index.a_key):
        index.build()
    n = len(index.a_key)
    cands = index.entities
    labels = [cands[index.a_ent[i]].alias_kinds.get(index.a_text[i], "") for i in range(n)]
    sig_table, sig_ids = _interned(index.a_sig)
    origin_table, origin_ids = _interned(index.a_origin)
    note_table, note_ids = _interned(index.a_note)
    label_table, label_ids = _interned(labels)
    return {
        "kind": index.kind,
        "n_entities": len(cands),
        "e_id": _array([c.entity_id for c in cands], np.int64),
        "e_prior": _array([c.prior for c in cands], np.float64),
        "e_name": _join([c.name for c in cands]),
        "e_slug": _join([c.slug for c in cands]),
        "e_fmt": _join([c.fmt or "" for c in cands]),
        "e_ctx": [
            _CTX_SEP.join(sorted(c)) if c else None for c in index.ctx
        ],  # folded: no control characters
        "n_aliases": n,
        "a_ent": _array(index.a_ent, np.int32),
        "a_key": _join(index.a_key),
        "a_text": _join(index.a_text),
        "a_folded": _join(index.a_folded),
        "a_core": _join(index.a_core),
        "a_year": _array(index.a_year, np.int32),
        "sigs": sig_table,
        "a_sig": sig_ids,
        "origins": origin_table,
        "a_origin": origin_ids,
        "notes": note_table,
        "a_note": note_ids,
        "labels": label_table,
        "a_label": label_ids,
        "exact": index.exact,
        "by_pkey": index.by_pkey,
        "n_grams": len(index.vocab),
        "grams": _join(sorted(index.vocab, key=index.vocab.__getitem__)),
        "offsets": index.offsets.astype(np.int64).tobytes(),
        "postings": index.postings.astype(np.int32).tobytes(),
        "ngrams": index.ngrams.astype(np.int32).tobytes(),
    }


def _ints(data: bytes, dtype: type[np.generic]) -> list[int]:
    return np.frombuffer(data, dtype=dtype).tolist()  # type: ignore[no-any-return]


def _column(table: list[Any], ids: bytes) -> list[Any]:
    return [table[i] for i in np.frombuffer(ids, dtype=np.int32).tolist()]


def _index_from_state(state: dict[str, Any]) -> _Index:
    index = _Index(state["kind"])
    m, n = state["n_entities"], state["n_aliases"]
    kind = index.kind
    ids = _ints(state["e_id"], np.int64)
    priors = np.frombuffer(state["e_prior"], dtype=np.float64).tolist()
    fmts = _split(state["e_fmt"], m)
    index.entities = [
        Candidate(eid, kind, name, slug=slug, prior=prior, fmt=fmt or None)
        for eid, name, slug, prior, fmt in zip(
            ids, _split(state["e_name"], m), _split(state["e_slug"], m), priors, fmts, strict=True
        )
    ]
    index.ctx = [frozenset(c.split(_CTX_SEP)) if c is not None else None for c in state["e_ctx"]]
    index.by_id = {eid: pos for pos, eid in enumerate(ids)}
    index.a_ent = _ints(state["a_ent"], np.int32)
    index.a_key = _split(state["a_key"], n)
    index.a_text = _split(state["a_text"], n)
    index.a_folded = _split(state["a_folded"], n)
    index.a_core = _split(state["a_core"], n)
    index.a_year = _ints(state["a_year"], np.int32)
    index.a_sig = _column([tuple(s) for s in state["sigs"]], state["a_sig"])
    index.a_origin = _column(state["origins"], state["a_origin"])
    index.a_note = _column(state["notes"], state["a_note"])
    for pos, text, label in zip(
        index.a_ent, index.a_text, _column(state["labels"], state["a_label"]), strict=True
    ):
        if label:
            index.entities[pos].alias_kinds[text] = label
    index.exact = state["exact"]
    index.by_pkey = state["by_pkey"]
    index.vocab = {g: i for i, g in enumerate(_split(state["grams"], state["n_grams"]))}
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
