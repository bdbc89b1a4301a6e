"""Pattern data of the extraction core, loaded once from ``extract/data/`` (JSON and text files).

Every word list, gazetteer and regular expression the core components use lives in a data
file; this module only reads and compiles them. ``Resources.load()`` is called by
``Extractor.load()``; components receive the loaded object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from anigraph.errors import ExtractError

DATA_PACKAGE = "anigraph.extract"


def read_data(name: str) -> str:
    """Text of ``extract/data/<name>``."""
    try:
        return (importlib_resources.files(DATA_PACKAGE) / "data" / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as e:
        raise ExtractError(f"extract data file {name!r} is missing: reinstall anigraph") from e


def read_json(name: str) -> Any:
    try:
        return json.loads(read_data(name))
    except json.JSONDecodeError as e:
        raise ExtractError(f"extract data file {name!r} is not valid JSON: {e}") from e


def read_lines(name: str) -> list[str]:
    return [ln.strip() for ln in read_data(name).splitlines() if ln.strip() and not ln.startswith("#")]


def phrase_regex(phrases: list[str], *, ignore_case: bool = True) -> re.Pattern[str]:
    """One regex matching any of ``phrases`` as whole words (a character trie: fast on long lists).

    Like an alternation sorted longest first, a longer phrase wins when a shorter one is its prefix.
    """
    words = {p.casefold() if ignore_case else p for p in phrases if p}
    body = _trie_pattern(sorted(words)) if words else r"(?!x)x"
    return re.compile(rf"(?<![\w+])(?:{body})(?![\w+])", re.IGNORECASE if ignore_case else 0)


def _trie_pattern(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # longer continuations first; the word may also end here (then the group is optional)
        return f"(?:{inner})?" if end else inner

    return build(trie)


Hit = tuple[int, int, str]  # (start char, end char, surface form as written)
_MEMO_LEN = 120
_MEMO_SIZE = 20_000
_WORD = re.compile(r"[^\s,;:()\"“”]+")


def _word_key(word: str, ignore_case: bool) -> str:
    word = word.strip(".'’!?")
    return word.casefold() if ignore_case else word


_DOT_WORD = re.compile(r"(?<=\w\.)(?=[A-Za-z]{2})")
_DOT_SPACE_WORD = re.compile(r"(?<=\w\.) (?=[A-Za-z]{2})")


def dotted_spacings(form: str) -> list[str]:
    """Both spacings of a name whose initials run into a word: "J.C.Staff" / "J.C. Staff"."""
    out = []
    spaced = _DOT_WORD.sub(" ", form)
    if spaced != form:
        out.append(spaced)
    tight = _DOT_SPACE_WORD.sub("", form)
    if tight != form:
        out.append(tight)
    return out


@dataclass(slots=True)
class Gazetteer:
    """Names of one kind (broadcasters, services, studios) with their canonical spelling."""

    canonical: dict[str, str]  # surface form → canonical name
    pattern: re.Pattern[str]
    ignore_case: bool = False
    first_words: frozenset[str] = frozenset()  # a cheap pre-check before the big alternation
    memo: dict[str, list[Hit]] = field(default_factory=dict)  # whole short strings already looked up

    @classmethod
    def build(cls, entries: list[tuple[str, list[str]]], *, ignore_case: bool) -> Gazetteer:
        canonical: dict[str, str] = {}
        for name, aliases in entries:
            for form in (name, *aliases):
                for variant in (form, *dotted_spacings(form)):
                    canonical.setdefault(variant.casefold() if ignore_case else variant, name)
        firsts = frozenset(_word_key(f.split()[0], ignore_case) for f in canonical if f.split())
        return cls(
            canonical=canonical,
            pattern=phrase_regex(list(canonical), ignore_case=ignore_case),
            ignore_case=ignore_case,
            first_words=firsts,
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, surface form) of every name in ``text[start:end]``."""
        if start == 0 and end is None and len(text) <= _MEMO_LEN:  # names and titles asked about again
            hits = self.memo.get(text)
            if hits is None:
                hits = self.memo[text] = self._find(text, 0, len(text))
                if len(self.memo) > _MEMO_SIZE:
                    self.memo.clear()
            return list(hits)
        return self._find(text, start, len(text) if end is None else end)

    def _find(self, text: str, start: int, stop: int) -> list[Hit]:
        out: list[Hit] = []
        chunk = text[start:stop]
        if self.ignore_case:
            words = {_word_key(w, True) for w in _WORD.findall(chunk)}
            if not words & self.first_words:
                return out
        elif not any(w in chunk for w in self.first_words):
            return out
        for m in self.pattern.finditer(text, start, stop):
            key = m.group(0)
            if self.canonical.get(key) or self.canonical.get(key.casefold()):
                out.append(
                    (m.start(), m.end(), key)
                )  # as written: gold and readers use the article's spelling
        return out


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The shared tokenizer: spaCy's rule-based English one, splitting a little more so that gazetteer
    phrases line up with tokens: a final period is its own token ("AT-X." → "AT-X" "."; abbreviation
    exceptions like "Inc." are dropped for the same reason) and "・" or "/" between words splits them."""
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}})


_TOKENIZER = "anigraph.en_tokenizer.v1"


def _create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's default tokenizer factory (``spacy.language.create_tokenizer``) with the changes
    ``make_nlp`` describes, built once: changing the settings of a built tokenizer re-validates its
    five thousand special cases each time (most of the load time)."""

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        extra = read_json("tokenizer.json")
        defaults = nlp.Defaults
        rules = defaults.tokenizer_exceptions or {}
        return Tokenizer(
            nlp.vocab,
            rules={k: v for k, v in rules.items() if not (k.endswith(".") and any(c.isalpha() for c in k))},
            prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            suffix_search=compile_suffix_regex([*(defaults.suffixes or ()), *extra["suffixes"]]).search,
            infix_finditer=compile_infix_regex([*(defaults.infixes or ()), *extra["infixes"]]).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return tokenizer_factory


registry.tokenizers.register(_TOKENIZER, func=_create_tokenizer)


class PhraseLookup:
    """Gazetteer phrases found in a tokenized Doc with spaCy ``PhraseMatcher`` (one label per gazetteer).

    Case-sensitive gazetteers match on ``ORTH``, case-insensitive ones on ``LOWER``. Per label, hits are
    leftmost first and then longest, never overlapping (what a regex scan of the text would give).
    """

    def __init__(self, nlp: Language, gazetteers: dict[str, Gazetteer]) -> None:
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, gaz in gazetteers.items():
            matcher = self._lower if gaz.ignore_case else self._exact
            matcher.add(label, [nlp.make_doc(p) for p in sorted(gaz.canonical)])

    def find(self, doc: Doc, text: str) -> dict[str, list[Hit]]:
        """Label → hits (char offsets into ``text``, the text ``doc`` was made from) sorted by start."""
        found: dict[str, list[tuple[int, int]]] = {}
        vocab_strings = doc.vocab.strings
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                found.setdefault(vocab_strings[match_id], []).append((start, end))
        out: dict[str, list[Hit]] = {}
        for label, spans in found.items():
            hits: list[Hit] = []
            last_end = -1
            for start, end in sorted(spans, key=lambda se: (se[0], -se[1])):
                if start < last_end:
                    continue
                last_end = end
                s = doc[start].idx
                e = doc[end - 1].idx + len(doc[end - 1])
                hits.append((s, e, text[s:e]))
            out[label] = hits
        return out


@dataclass(slots=True)
class Resources:
    vocab: dict[str, Any]
    broadcasters: Gazetteer
    streaming: Gazetteer
    studios: Gazetteer
    publishers: frozenset[str]
    regex: dict[str, re.Pattern[str]] = field(default_factory=dict)
    boilerplate: list[re.Pattern[str]] = field(default_factory=list)
    format_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    source_words: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    source_kind: dict[str, str] = field(default_factory=dict)
    trailer_words: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    trailer_kind: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Resources:
        return _load()

    def lookup(self) -> PhraseLookup:
        """The PhraseMatcher of the outlet and studio gazetteers (labels ``broadcaster``, ``streaming``,
        ``studio``) on the vocab of ``make_nlp()``."""
        return _lookup()

    def re(self, name: str) -> re.Pattern[str]:
        return self.regex[name]

    def words(self, name: str) -> list[str]:
        value = self.vocab.get(name, [])
        return list(value) if isinstance(value, list) else []


@lru_cache(maxsize=1)
def _load() -> Resources:
    vocab: dict[str, Any] = read_json("vocab.json")
    outlets: dict[str, Any] = read_json("outlets.json")
    broadcasters = Gazetteer.build(
        [(e["name"], list(e.get("aliases", []))) for e in outlets["broadcasters"]], ignore_case=False
    )
    streaming = Gazetteer.build(
        [(e["name"], list(e.get("aliases", []))) for e in outlets["streaming"]], ignore_case=False
    )
    studio_names = read_lines("studios.txt")
    studios = Gazetteer.build([(n, []) for n in studio_names], ignore_case=True)
    publishers = frozenset(n.casefold() for n in read_lines("publishers.txt"))
    res = Resources(
        vocab=vocab, broadcasters=broadcasters, streaming=streaming, studios=studios, publishers=publishers
    )
    for key, value in vocab.items():
        if key.endswith("_re") and isinstance(value, str):
            res.regex[key[:-3]] = re.compile(value, re.IGNORECASE | re.MULTILINE)
    res.regex["region"] = re.compile(vocab["region_re"])  # case matters for place names
    res.boilerplate = [re.compile(p, re.IGNORECASE) for p in vocab["boilerplate_line_re"]]
    for fmt, phrases in vocab["format_words"].items():
        res.format_words[fmt] = phrase_regex(phrases, ignore_case=fmt not in {"ova", "ona"})
    kinds: dict[str, str] = {}
    for kind, phrases in vocab["source_words"].items():
        for p in phrases:
            kinds[p.casefold()] = kind
    res.source_kind = kinds
    res.source_words = phrase_regex(list(kinds))
    tkinds: dict[str, str] = {}
    for kind, phrases in vocab["trailer_words"].items():
        for p in phrases:
            tkinds.setdefault(p.casefold(), kind)
    res.trailer_kind = tkinds
    res.trailer_words = phrase_regex(list(tkinds))
    return res


@lru_cache(maxsize=1)
def _lookup() -> PhraseLookup:
    res = _load()
    return PhraseLookup(
        make_nlp(), {"broadcaster": res.broadcasters, "streaming": res.streaming, "studio": res.studios}
    )
