"""The fast write path keeps the database the same: the Store's caches (linker candidates, slugs,
alias keys) are hints that must agree with what the database holds.

One scenario of hand-built articles (new entities, a typo linked by the linker, aliases, merged
claims, a conflict a later article resolves, a name shared by a person and a character) is written
three ways on the same backend: through one Store article by article (warm caches), with a linker
rebuilt from the database for every article (no caches), and alternating between two Store objects
on one database (another writer adds entities and aliases the first did not see). The rows, keyed by
slugs and hashes rather than ids, must be the same each time, and match the golden counts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from store_factories import ArticleBuilder, work

from anigraph.errors import StoreError
from anigraph.models import Extraction
from anigraph.store import Store
from anigraph.store.catalog import build_linker
from anigraph.store.tables import Alias, Article, Base, Change, Claim, ClaimSource, Conflict, Entity


def _articles() -> list[Extraction]:
    a1 = (
        ArticleBuilder(published="2024-01-10", headline="Starfall Academy gets an anime")
        .say(
            "Studio Kestrel animates Starfall Academy, premiering in April 2024.",
            work("Starfall Academy", "studio", "Studio Kestrel"),
            work("Starfall Academy", "premiere", "2024-04"),
        )
        .say(
            "Mika Torii directs; Rin Hoshino voices the heroine Rin Hoshino.",
            work("Starfall Academy", "director", "Mika Torii"),
            work("Starfall Academy", "character", "Rin Hoshino", {"performer": "Rin Hoshino"}),
        )
        .mention("Starfall Academy", "work", "Starfall Gakuen")
    )
    a2 = (
        ArticleBuilder(published="2024-01-10", headline="Starfall Gakuen date")
        .say(
            "Starfall Gakuen premieres in May 2024 from Studio Kestrel.",
            work("Starfall Gakuen", "premiere", "2024-05"),
            work("Starfall Gakuen", "studio", "Studio Kestrel"),
        )
        .say("The show is also called Hoshifuri.", work("Starfall Gakuen", "alias", "Hoshifuri"))
    )
    a3 = (
        ArticleBuilder(published="2024-03-02", headline="Starfal Academy delayed")
        .say(
            "Starfal Academy has been delayed to July 2024.",
            work("Starfal Academy", "premiere", "2024-07", {}, change=True),
        )
        .say(
            "Studio Kestrel also makes Moonlit Harbor, directed by Mika Torii.",
            work("Moonlit Harbor", "studio", "Studio Kestrel"),
            work("Moonlit Harbor", "director", "Mika Torii"),
        )
    )
    a4 = ArticleBuilder(published="2024-03-05", headline="Moonlit Harbor cast").say(
        "Hoshifuri star Rin Hoshino joins Moonlit Harbor as Sora.",
        work("Moonlit Harbor", "cast", "Rin Hoshino", {"character": "Sora"}),
        work("Hoshifuri", "episodes", "12"),
    )
    return [a.build() for a in (a1, a2, a3, a4)]


def _dump(store: Store) -> dict[str, list[Any]]:
    """Every written row, ids replaced by slugs, claim keys and article hashes (sorted)."""
    with store.session() as s:
        slug = {i: sl for i, sl in s.execute(select(Entity.id, Entity.slug))}
        sha = {i: h for i, h in s.execute(select(Article.id, Article.sha256))}
        claim_key: dict[int, tuple[Any, ...]] = {}
        claims = []
        for c in s.scalars(select(Claim)):
            okey = f"e:{slug[c.object_id]}" if c.object_id is not None else c.object_key
            claim_key[c.id] = (slug[c.subject_id], c.predicate, okey, c.qualifiers_key)
            claims.append((*claim_key[c.id], c.object, round(c.confidence, 9), c.status))

        def key(cid: int | None) -> tuple[Any, ...] | None:
            return None if cid is None else claim_key[cid]

        out: dict[str, list[Any]] = {
            "entities": [(e.kind, e.name, e.slug) for e in s.scalars(select(Entity))],
            "aliases": [
                (slug[a.entity_id], a.name, a.folded, a.kind, a.origin) for a in s.scalars(select(Alias))
            ],
            "claims": claims,
            "sources": [
                (key(cs.claim_id), sha.get(cs.article_id or 0), cs.start, cs.end, cs.confidence, cs.stated_on)
                for cs in s.scalars(select(ClaimSource))
            ],
            "changes": [
                (
                    ch.kind,
                    slug.get(ch.subject_id or 0),
                    ch.predicate,
                    key(ch.claim_id),
                    key(ch.old_claim_id),
                    sha.get(ch.article_id or 0),
                    sorted((k, str(v)) for k, v in ch.detail.items() if k != "conflict_id"),
                )
                for ch in s.scalars(select(Change))
            ],
            "conflicts": [
                (slug[c.subject_id], c.predicate, c.scope, c.open, sorted(map(str, map(key, c.claim_ids))))
                for c in s.scalars(select(Conflict))
            ],
        }
    return {name: sorted(rows, key=repr) for name, rows in out.items()}


def _clear(store: Store) -> None:
    with store.transaction() as s:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "alembic_version":
                s.execute(table.delete())
    store.invalidate_linker()


def _write(url: str, store: Store, mode: str) -> dict[str, list[Any]]:
    _clear(store)
    other = Store.open(url, migrate=False)
    try:
        for i, extraction in enumerate(_articles()):
            if mode == "cached":
                store.add_extraction(extraction)
            elif mode == "uncached":
                with store.session() as s:
                    linker = build_linker(s)
                store.add_extraction(extraction, linker=linker)
            else:  # two writers on one database, alternating
                (other if i % 2 else store).add_extraction(extraction)
        return _dump(store)
    finally:
        other.close()


def test_cached_write_path_writes_the_same_rows(empty_url: str) -> None:
    with Store.open(empty_url) as store:
        cached = _write(empty_url, store, "cached")
        assert _write(empty_url, store, "uncached") == cached
        assert _write(empty_url, store, "two_writers") == cached
        assert _write(empty_url, store, "cached") == cached  # after a clear: nothing stale survives

    counts = {name: len(rows) for name, rows in cached.items()}
    assert counts == {
        "entities": 7,
        "aliases": 10,
        "claims": 11,
        "sources": 12,
        "changes": 23,
        "conflicts": 1,
    }
    assert [e[2] for e in cached["entities"]] == [
        "rin-hoshino",  # the character, then the person who voices her: one name, two slugs
        "sora",
        "studio-kestrel",
        "mika-torii",
        "rin-hoshino-2",
        "moonlit-harbor",
        "starfall-academy",  # "Starfall Gakuen", "Hoshifuri" and the typo "Starfal Academy" link here
    ]
    assert ("starfall-academy", "Starfal Academy", "starfal academy", "misspelling", "article") in cached[
        "aliases"
    ]
    premiere = {c[4]: c[6] for c in cached["claims"] if c[1] == "premiere"}
    assert premiere == {"2024-04": "superseded", "2024-05": "superseded", "2024-07": "current"}
    assert Counter(ch[0] for ch in cached["changes"])["conflict_opened"] == 1


@pytest.mark.parametrize("cached", [True, False])
def test_failed_article_leaves_caches_usable(store: Store, cached: bool) -> None:
    """An article that fails half-way is rolled back; the next write still sees the true database."""
    first, second, *_ = _articles()
    store.add_extraction(first)
    bad = ArticleBuilder(headline="Broken").say(
        "Quill Tower premieres soon, says Ada Quill.",
        work("Quill Tower", "premiere", "2025-01"),
        work("Quill Tower", "director", "Ada Quill", {"nonsense": "x"}),  # refused after Quill Tower exists
    )
    with pytest.raises(StoreError, match="unknown qualifier"):
        store.add_extraction(bad.build())
    if not cached:
        store.invalidate_linker()
    bad.facts.pop()
    result = store.add_extraction(bad.build())
    assert result.entities_created == 1  # Quill Tower again: its first creation was rolled back
    with store.session() as s:
        assert s.scalars(select(Entity.slug).where(Entity.name == "Quill Tower")).all() == ["quill-tower"]
    store.add_extraction(second)
    assert len(_dump(store)["entities"]) == 6  # five from the first article, and Quill Tower
