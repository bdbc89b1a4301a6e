"""Scoring feature documents with a trained spaCy ``textcat``, without the pipeline's per-call costs.

The headline, subject and relation models read documents of space-separated feature tokens made by
their featurizers (``pagelines``, ``subject_choice``, ``relations``). At run time they are tokenized
by the model's own tokenizer, as in training, and its one component predicts them in one batch (not
through ``nlp.pipe``, whose generator machinery costs more than the prediction on such small Docs).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Self

import spacy
from spacy.language import Language

from anigraph.errors import ExtractError


def textcat_scores(nlp: Language, inputs: Sequence[str]) -> list[dict[str, float]]:
    """Label scores of every feature document, in order (one batch through the last component)."""
    if not inputs:
        return []
    name = nlp.pipe_names[-1]
    component = nlp.get_pipe(name)
    docs = [nlp.make_doc(text) for text in inputs]
    scores = component.predict(docs)  # type: ignore[attr-defined]
    labels: tuple[str, ...] = tuple(component.labels)  # type: ignore[attr-defined]
    return [{label: float(row[i]) for i, label in enumerate(labels)} for row in scores]


def load_pipeline(path: Path, *, what: str) -> Language:
    """A trained pipeline shipped in ``extract/model`` (loaded once per path); a clear error saying how
    to rebuild it when it is missing, never a silent fallback."""
    return _load(str(path), what)


@lru_cache(maxsize=8)
def _load(path: str, what: str) -> Language:
    if not (Path(path) / "meta.json").is_file():
        raise ExtractError(f"{path}: the {what} model is missing; rebuild it with 'make train'")
    # The tokenizer is the one the model's config names, built from its rules as they are now (the
    # mention model's: ``extract/data/tokenizer.json``), not read back from the copy saved beside the
    # weights: tokenizer fixes reach the model, and reading the copy's nine thousand special cases
    # again cost 0.2 s a model at start-up.
    return spacy.load(path, exclude=["tokenizer"])


class TrainedTextcat:
    """A trained feature-document classifier shipped in ``extract/model`` (headline, subject,
    relations): loads once, scores feature documents in one batch."""

    MODEL: ClassVar[Path]
    WHAT: ClassVar[str]

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def load(cls, path: Path | None = None) -> Self:
        return cls(load_pipeline(path or cls.MODEL, what=cls.WHAT))

    def score_documents(self, inputs: Sequence[str]) -> list[dict[str, float]]:
        return textcat_scores(self.nlp, inputs)
