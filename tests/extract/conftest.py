"""Fixtures for the extraction tests: one Extractor per session, articles built from short texts."""

from __future__ import annotations

import pytest

from anigraph.extract import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()
