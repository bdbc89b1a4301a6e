"""Learned mention detection: works, people, characters, organisations and songs in running text.

Rules find titles only where a cue announces them ("titled X", "the X anime", a headline's leading
title); real pages name their show in ways no cue list covers ("Hoods Entertainment's upcoming
original TV anime Gekidol", a title in curly quotes, a title glued to a site's chrome). A spaCy
``tok2vec`` + ``ner`` pipeline, trained on the annotated corpus (``training/``: gold names located in
their texts), tags mentions with the labels in ``LABELS``. Its tokenizer is anigraph's own
(``anigraph.en_tokenizer.v1``), so the same Doc serves the gazetteer PhraseMatcher and every rule.

The rules stay in charge where they are exact (credit lines, "Role: Name", dates, gazetteers); the
work finder (``works.py``) adds learned WORK mentions to its candidates and the subject decision
(``subject_choice.py``) weighs them, and learned PERSON/ORG tags keep people and companies from
being taken for a show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

import anigraph.extract.resources  # noqa: F401  (registers anigraph.en_tokenizer.v1 before loading)
from anigraph.extract.learned import load_pipeline

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model" / "mentions"
LABELS = ("WORK", "PERSON", "CHARACTER", "ORG", "SONG")
_CACHE = "anigraph.mentions"  # Doc.user_data key: the mentions, read once per Doc


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    label: str
    text: str


def load_mention_nlp(path: Path = MODEL_DIR) -> Language:
    """The trained mention pipeline (tokenizer + tok2vec + ner); fails when it was never built. Its
    tokenizer is built from the project's rules, so the rules and the model always split text alike."""
    return load_pipeline(path, what="mention")


def mentions(doc: Doc | None, *, label: str | None = None) -> list[Mention]:
    """The learned mentions of a Doc in text order (none when the Doc did not go through the model).
    Callers must not change the list (it is shared)."""
    if doc is None:
        return []
    cached: dict[str | None, list[Mention]] | None = doc.user_data.get(_CACHE)
    if cached is None:
        every = (
            [Mention(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
            if doc.has_annotation("ENT_IOB")
            else []
        )
        cached = doc.user_data[_CACHE] = {None: every}
    found = cached.get(label)
    if found is None:
        found = cached[label] = [m for m in cached[None] if m.label == label]
    return found
