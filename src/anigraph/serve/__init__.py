"""Reads the store and serves it: web pages, the JSON API, iCal premieres and the Atom change feed."""

from __future__ import annotations

from anigraph.serve.app import create_app

__all__ = ["create_app"]
