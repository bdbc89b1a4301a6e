"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material beside the repo (gold sets, dev corpus, catalog); skip when absent."""
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip(f"../shared not found at {SHARED} (set ANIGRAPH_SHARED); shared-data tests skipped")
    return SHARED
