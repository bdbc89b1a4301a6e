"""Mentions → entities: catalog import, candidate generation, scoring, NIL decisions."""

from __future__ import annotations

from anigraph.resolve.linker import Candidate, LinkResult, Linker, Scored

__all__ = ["Candidate", "LinkResult", "Linker", "Scored"]
