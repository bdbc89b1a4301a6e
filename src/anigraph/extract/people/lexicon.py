"""Data for people-centric extraction: role vocabulary and cue words, loaded once.

Everything rule-like lives in ``extract/data/people/*.json``, and the gazetteers of voice actors and
theme-song artists in ``extract/data/people/*.txt``; this module only compiles them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from anigraph.errors import ExtractError
from anigraph.names import person_key

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "people"


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, with flexible inner whitespace."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _word_set(words: list[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words)


@dataclass(frozen=True, slots=True)
class PeopleLexicon:
    """Compiled role vocabulary and cue lists."""

    labels: dict[str, tuple[str, ...]]  # lower-cased label -> predicates ("" entries map to ())
    list_only: frozenset[str]
    role_re: re.Pattern[str]  # any label, longest first, on lower-cased text
    prose_role_re: re.Pattern[str]
    agent_tail_re: re.Pattern[str]  # agent nouns ending a prefix ("... director ")
    verb_roles: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    passive_roles: dict[str, tuple[str, ...]]
    aux: frozenset[str]
    verbs: frozenset[str]
    chunk_negative: tuple[re.Pattern[str], ...]
    chunk_negative_keep: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    studio_verb_re: re.Pattern[str]
    stop_tokens: frozenset[str]
    org_heads: frozenset[str]
    places: frozenset[str]
    cast_cue_re: re.Pattern[str]
    char_descriptor_re: str  # regex source (no groups)
    char_nouns_re: str
    relation_nouns_re: str
    not_character_nouns: frozenset[str]
    synopsis_cue_re: re.Pattern[str]
    synopsis_headings: frozenset[str]
    news_re: re.Pattern[str]
    cast_headings: frozenset[str]
    staff_headings: frozenset[str]
    line_label_stop: frozenset[str]
    performer_descriptor_re: re.Pattern[str]
    previous_work_re: re.Pattern[str]
    known_for_nouns_re: str
    prior_work_re: re.Pattern[str]  # a cue that the works after a person are their earlier works
    ranks: frozenset[str]  # "Captain" in "Captain Hana Ito"
    synopsis_act_verbs: frozenset[str]  # "Tobi trains …": a name acting in a synopsis
    synopsis_link_words: frozenset[str]  # "… meets Mira", "… with Kage": a name acted upon
    genre_words: frozenset[str]  # "Isekai", "Mecha", "Magical Girl": kinds of stories, not characters
    group_lead_words: frozenset[str]  # "Team Velocity", "Class 1-A": groups, not characters
    voice_actors: frozenset[str] = frozenset()  # person keys of well-known voice actors (a gazetteer)
    music_artists: frozenset[str] = frozenset()  # person keys of theme-song artists and composers

    def known_actor(self, name: str) -> bool:
        """``name`` is in the voice-actor gazetteer (any name order, macrons and long vowels folded)."""
        return person_key(name) in self.voice_actors

    def known_artist(self, name: str) -> bool:
        return person_key(name) in self.music_artists

    def label_predicates(self, label: str, *, prose: bool = False) -> tuple[str, ...] | None:
        """Predicates for a credit label; None when the label is unknown."""
        key = re.sub(r"\s+", " ", label.replace("’", "'").strip().casefold())
        if prose and key in self.list_only:
            return None
        return self.labels.get(key)


def _load_json(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(f"cannot read people data file {path}: {exc}") from exc
    return data


def _load_names(name: str) -> frozenset[str]:
    """Person keys of a one-name-per-line gazetteer (``#`` starts a comment line)."""
    path = DATA_DIR / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise ExtractError(f"cannot read people data file {path}: {exc}") from exc
    return frozenset(person_key(ln) for ln in (raw.strip() for raw in lines) if ln and not ln.startswith("#"))


@lru_cache(maxsize=1)
def load_lexicon() -> PeopleLexicon:
    """Read and compile ``data/people/roles.json`` and ``cues.json`` (cached)."""
    roles = _load_json("roles.json")
    cues = _load_json("cues.json")
    labels = {k.casefold(): tuple(v) for k, v in roles["labels"].items()}
    list_only = _word_set(roles["list_only"])
    prose_labels = [k for k in labels if k not in list_only]
    flags = re.IGNORECASE
    return PeopleLexicon(
        labels=labels,
        list_only=list_only,
        role_re=re.compile(rf"(?<![\w-])(?:{_alternation(list(labels))})(?![\w-])", flags),
        prose_role_re=re.compile(rf"(?<![\w-])(?:{_alternation(prose_labels)})(?![\w-])", flags),
        agent_tail_re=re.compile(
            rf"(?<![\w-])((?:{_alternation(roles['agents'])})"
            rf"(?:\s*(?:,|and|&|/)\s*(?:{_alternation(roles['agents'])}))*)\s*$",
            flags,
        ),
        verb_roles=tuple((re.compile(v["re"], flags), tuple(v["predicates"])) for v in cues["verb_roles"]),
        passive_roles={k: tuple(v) for k, v in cues["passive_roles"].items()},
        aux=_word_set(cues["aux"]),
        verbs=_word_set(cues["verbs"]),
        chunk_negative=tuple(re.compile(p, flags) for p in cues["chunk_negative"]),
        chunk_negative_keep=tuple(
            (re.compile(p, flags), frozenset(v)) for p, v in cues["chunk_negative_keep"].items()
        ),
        studio_verb_re=re.compile(rf"^\s*(?:{_alternation(cues['studio_verbs'])})\b", flags),
        stop_tokens=frozenset(cues["stop_tokens"]),
        org_heads=frozenset(cues["org_heads"]),
        places=frozenset(cues["places"]),
        cast_cue_re=re.compile("|".join(cues["cast_cues"]), flags),
        char_descriptor_re=_alternation(cues["char_descriptors"]),
        char_nouns_re=_alternation(cues["char_nouns"]),
        relation_nouns_re=_alternation(cues["relation_nouns"]),
        not_character_nouns=_word_set(cues["not_character_nouns"]),
        synopsis_cue_re=re.compile("|".join(cues["synopsis_cues"]), flags),
        synopsis_headings=_word_set(cues["synopsis_headings"]),
        news_re=re.compile("|".join(cues["news_words"]), flags),
        cast_headings=_word_set(cues["character_heading_words"]),
        staff_headings=_word_set(cues["staff_heading_words"]),
        line_label_stop=_word_set(cues["line_label_stop"]),
        performer_descriptor_re=re.compile(
            rf"^(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:{_alternation(cues['performer_descriptors'])})\s+",
            flags,
        ),
        previous_work_re=re.compile(rf"\b(?:{_alternation(cues['previous_work_cues'])})", flags),
        known_for_nouns_re=_alternation(cues["known_for_nouns"]),
        prior_work_re=re.compile(rf"\b(?:{_alternation(cues['prior_work_cues'])})\b", re.IGNORECASE),
        ranks=frozenset(cues["ranks"]),
        group_lead_words=frozenset(cues["group_lead_words"]),
        genre_words=frozenset(cues["genre_words"]),
        synopsis_act_verbs=frozenset(cues["synopsis_act_verbs"]),
        synopsis_link_words=frozenset(cues["synopsis_link_words"]),
        voice_actors=_load_names("voice_actors.txt"),
        music_artists=_load_names("music_artists.txt"),
    )
