"""Mentions → entities: catalog import, candidate generation, scoring, NIL decisions."""

from __future__ import annotations

from anigraph.resolve.linker import Candidate, Linker, LinkResult, Scored

__all__ = ["Candidate", "LinkResult", "Linker", "Scored"]
