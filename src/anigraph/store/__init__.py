"""The only package that speaks SQL: schema, migrations, writing extractions, reading records.

Public entry points: ``Store.open(url)``, ``Store.add_extraction(extraction)`` (→ ``AddResult``),
``Store.find_work(title)``, ``Store.work_record(entity_id)`` (→ ``WorkRecord``),
``Store.open_conflicts()``.
"""

from __future__ import annotations

from anigraph.store.database import Store
from anigraph.store.records import ConflictSummary, FactItem, SourceRef, WorkRecord
from anigraph.store.writer import AddResult

__all__ = ["AddResult", "ConflictSummary", "FactItem", "SourceRef", "Store", "WorkRecord"]
