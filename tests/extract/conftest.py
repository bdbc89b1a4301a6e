"""Fixtures for the extraction tests: one Extractor per session, articles built from short texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from anigraph.extract import Extractor

Tagger = Callable[[str, list[tuple[str, str]]], Doc]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(scope="session")
def tagged(extractor: Extractor) -> Tagger:
    """``tagged(text, [(phrase, label), …])``: the Doc of ``text`` with those learned mentions (the
    first occurrence of each phrase), as the mention model would tag them: tests of what the
    extractor does with mentions, whatever a retrained model tags."""

    def make(text: str, tags: list[tuple[str, str]]) -> Doc:
        doc = extractor.nlp.make_doc(text)
        spans = []
        for phrase, label in tags:
            at = text.index(phrase)
            span = doc.char_span(at, at + len(phrase), label=label)
            assert span is not None, phrase
            spans.append(span)
        doc.ents = spans
        return doc

    return make
