"""Migration 0003 on a database built at the revision before: a character shared by two works becomes
one per work, its aliases, claims, sources and change log going with the work that states them."""

from __future__ import annotations

from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, insert, select, text
from store_factories import ArticleBuilder, work

from anigraph.store import Store
from anigraph.store.engine import alembic_config, make_engine, upgrade
from anigraph.store.tables import Alias, Change, Claim, ClaimSource, Entity

PREVIOUS, THIS = "0002_season_premiere_index", "0003_characters_per_work"
LAMP, GLASS = "Lamplight Carousel", "Glass Orchard"
TEXTS = {
    "a1": f"Aya Kuno voices Emma Vale in {LAMP}. Emma runs the carousel.",
    "a2": f"Rui Sato voices Emma in {GLASS}. Em grows glass apples. Emma runs the carousel too.",
    "a3": f"{LAMP} premieres in January 2026. Emma keeps a ledger.",
}


def _build_at_previous(engine: Engine) -> dict[str, int]:
    """What the writer before this revision stored for three articles: one "Emma" linked by name across
    two works (ids by label)."""
    upgrade(engine, revision=PREVIOUS)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    ids: dict[str, int] = {}
    with engine.begin() as conn:

        def add(table: str, label: str | None, **row: Any) -> int:
            new_id: int = conn.execute(insert(t[table]).returning(t[table].c.id), row).scalar_one()
            if label:
                ids[label] = new_id
            return new_id

        for label, kind, name in [
            ("lamp", "work", LAMP),
            ("glass", "work", GLASS),
            ("aya", "person", "Aya Kuno"),
            ("rui", "person", "Rui Sato"),
            ("emma", "character", "Emma"),
            ("noor", "character", "Noor"),
            ("ghost", "character", "Ghost"),
        ]:
            add("entities", label, kind=kind, name=name, slug=name.lower().replace(" ", "-"), attrs={})
            add(
                "aliases",
                None,
                entity_id=ids[label],
                name=name,
                folded=name.lower(),
                kind="name",
                origin="article",
            )
        for name in ("Emma Vale", "Em"):
            add(
                "aliases",
                None,
                entity_id=ids["emma"],
                name=name,
                folded=name.lower(),
                kind="name",
                origin="article",
            )
        for label, body in TEXTS.items():
            add(
                "articles",
                label,
                sha256=label * 20,
                text_sha256=label * 20,
                format="text",
                text=body,
                meta={},
                published={"a1": "2025-03-01", "a2": "2025-05-01", "a3": "2025-06-01"}[label],
            )

        def claim(
            label: str,
            subject: str,
            predicate: str,
            obj: str,
            *,
            object_label: str | None = None,
            qualifiers: dict[str, str] | None = None,
            sources: tuple[str, ...] = (),
        ) -> None:
            object_id = ids[object_label] if object_label else None
            quals = qualifiers or {}
            add(
                "claims",
                label,
                subject_id=ids[subject],
                predicate=predicate,
                object=obj,
                object_key=f"e:{object_id}" if object_id else f"v:{obj.lower()}",
                object_id=object_id,
                qualifiers=quals,
                qualifiers_key=";".join(f"{k}={v.lower()}" for k, v in quals.items()),
                confidence=0.8,
                status="current",
            )
            for article in sources:
                add(
                    "claim_sources",
                    None,
                    claim_id=ids[label],
                    article_id=ids[article],
                    origin="article",
                    start=0,
                    end=4,
                    text=TEXTS[article][:4],
                    confidence=0.8,
                    stated_on=None,
                    meta={},
                )
                kind = "claim_added" if article == sources[0] else "source_added"
                add(
                    "changes",
                    None,
                    kind=kind,
                    subject_id=ids[subject],
                    predicate=predicate,
                    claim_id=ids[label],
                    article_id=ids[article],
                    detail={},
                )

        claim("k1", "lamp", "character", "Emma Vale", object_label="emma", sources=("a1",))
        claim(
            "k2",
            "lamp",
            "cast",
            "Aya Kuno",
            object_label="aya",
            qualifiers={"character": "Emma Vale"},
            sources=("a1",),
        )
        claim(
            "k3",
            "glass",
            "cast",
            "Rui Sato",
            object_label="rui",
            qualifiers={"character": "Emma"},
            sources=("a2",),
        )
        claim("k4", "emma", "description", "runs the carousel", sources=("a1", "a2"))
        claim("k5", "emma", "description", "grows glass apples", sources=("a2",))
        claim("k6", "emma", "description", "keeps a ledger", sources=("a3",))
        claim("k7", "lamp", "premiere", "2026-01", sources=("a3",))
        claim("k8", "lamp", "character", "Noor", object_label="noor", sources=("a3",))
        add("changes", None, kind="entity_created", subject_id=ids["emma"], detail={"slug": "emma"})
    return ids


def test_characters_shared_by_two_works_are_split_on_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        ids = _build_at_previous(engine)
    finally:
        engine.dispose()
    with Store.open(db_url) as store:
        with store.session() as s:
            version = s.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            chars = {e.id: e for e in s.scalars(select(Entity).where(Entity.kind == "character"))}
            emma, noor, ghost = chars[ids["emma"]], chars[ids["noor"]], chars[ids["ghost"]]
            [split] = [e for i, e in chars.items() if i not in {emma.id, noor.id, ghost.id}]
            aliases = {
                eid: sorted(a.name for a in s.scalars(select(Alias).where(Alias.entity_id == eid)))
                for eid in (emma.id, split.id)
            }
            claims = {c.id: c for c in s.scalars(select(Claim))}
            of = {
                c.id: sorted(
                    s.scalars(select(ClaimSource.article_id).where(ClaimSource.claim_id == c.id)).all()
                )
                for c in claims.values()
            }
            changes = list(s.scalars(select(Change).order_by(Change.id)))
        assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()  # THIS, and after
        assert (emma.work_id, noor.work_id, ghost.work_id) == (ids["lamp"], ids["lamp"], None)
        assert (split.name, split.kind, split.work_id) == ("Emma", "character", ids["glass"])
        assert split.slug not in {"emma", "noor", "ghost"}
        # "Em" is written only in the article about the second work; "Emma Vale" only in the first's
        assert aliases == {emma.id: ["Emma", "Emma Vale"], split.id: ["Em", "Emma"]}
        # the claims of the first work keep the entity; the second work's statements go to its own
        assert claims[ids["k1"]].object_id == emma.id
        assert claims[ids["k5"]].subject_id == split.id  # stated only about the second work
        assert claims[ids["k6"]].subject_id == emma.id  # the article is about the first work
        assert claims[ids["k4"]].subject_id == emma.id and of[ids["k4"]] == [ids["a1"]]
        [copy] = [c for c in claims.values() if c.subject_id == split.id and c.object == "runs the carousel"]
        assert of[copy.id] == [ids["a2"]] and copy.object_key == claims[ids["k4"]].object_key
        assert len(claims) == 9  # eight, one of them stated for both works and copied
        # the change log follows the claims
        moved = {(c.kind, c.claim_id) for c in changes if c.subject_id == split.id}
        assert moved == {("claim_added", ids["k5"]), ("source_added", copy.id), ("entity_created", None)}
        assert changes[-1].detail["split_from"] == "emma"

        # each work's card shows its own Emma, with its own descriptions and voice
        lamp, glass = store.work_record(ids["lamp"]), store.work_record(ids["glass"])
        lamp_emma = next(ch for ch in lamp.characters if ch.entity and ch.entity.id == emma.id)
        [glass_emma] = glass.characters
        assert sorted(d.value for d in lamp_emma.descriptions) == ["keeps a ledger", "runs the carousel"]
        assert sorted(d.value for d in glass_emma.descriptions) == ["grows glass apples", "runs the carousel"]
        assert [v.value for v in glass_emma.voiced_by] == ["Rui Sato"]

        # a new article about the second work links its "Emma" to that work's character
        store.add_extraction(
            ArticleBuilder(published="2025-08-01", headline=f"{GLASS} news")
            .say(f"{GLASS} stars Emma.", work(GLASS, "character", "Emma"))
            .build()
        )
        with store.session() as s:
            n_chars = len(s.scalars(select(Entity.id).where(Entity.kind == "character")).all())
            linked = s.scalar(
                select(Claim.object_id).where(
                    Claim.subject_id == ids["glass"], Claim.predicate == "character"
                )
            )
        assert n_chars == 4 and linked == split.id


def test_migrating_a_database_without_characters_changes_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision=PREVIOUS)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO entities (kind, name, slug, attrs) VALUES ('work', 'W', 'w', '{}')")
            )
    finally:
        engine.dispose()
    with Store.open(db_url) as store, store.session() as s:
        assert [(e.slug, e.work_id) for e in s.scalars(select(Entity))] == [("w", None)]
