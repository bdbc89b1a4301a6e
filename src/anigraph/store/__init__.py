"""The only package that speaks SQL: schema, migrations, writing extractions, reading records.

Public entry points: ``Store.open(url)``, ``Store.add_extraction(extraction)`` (→ ``AddResult``),
``Store.add_extractions(batch)`` (one transaction, a savepoint per article),
``Store.find_work(title)``, ``Store.work_record(entity_id)`` (→ ``WorkRecord``),
``Store.open_conflicts()``.

The names below are imported when first used, so a module of this package that needs no
SQLAlchemy (``linker_cache``'s cached path of ``anigraph resolve``) loads without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anigraph.store.database import Store
    from anigraph.store.records import ConflictSummary, FactItem, SourceRef, WorkRecord
    from anigraph.store.writer import AddResult

__all__ = ["AddResult", "ConflictSummary", "FactItem", "SourceRef", "Store", "WorkRecord"]

_WHERE = {
    "AddResult": "anigraph.store.writer",
    "ConflictSummary": "anigraph.store.records",
    "FactItem": "anigraph.store.records",
    "SourceRef": "anigraph.store.records",
    "Store": "anigraph.store.database",
    "WorkRecord": "anigraph.store.records",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'anigraph.store' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
