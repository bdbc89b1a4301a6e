"""Store.add_extractions (a batch in one transaction, a savepoint per article), the ids the writer gives
new rows itself, and PostgreSQL's one-statement row inserts: each stores exactly what storing the
articles one by one stores, ids included, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select, text
from store_factories import ArticleBuilder, work

from anigraph.errors import StoreError
from anigraph.extract import Extractor
from anigraph.models import EntityMention, Evidence, Extraction, Fact
from anigraph.pipeline import extract_sources
from anigraph.store import AddResult, Store
from anigraph.store import statements as sql
from anigraph.store.tables import Base, Change, Entity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TIMES = {"at", "created_at", "updated_at", "ingested_at", "first_seen", "last_seen", "opened_at", "closed_at"}

Rows = dict[str, list[tuple[Any, ...]]]
Outcome = AddResult | Exception


def rows(url: str) -> Rows:
    """Every row of every table the writer fills, ids included, times left out."""
    engine = create_engine(url)
    out: Rows = {}
    try:
        with engine.connect() as conn:
            for table in (
                "articles",
                "entities",
                "aliases",
                "claims",
                "claim_sources",
                "changes",
                "conflicts",
            ):
                result = conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
                keep = [i for i, k in enumerate(result.keys()) if k not in TIMES]
                out[table] = [tuple(row[i] for i in keep) for row in result]
    finally:
        engine.dispose()
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Each call: the URL of an empty database (a new SQLite file; the test's PostgreSQL schema emptied)."""
    made: list[str] = []
    if request.param == "sqlite":

        def new_sqlite() -> str:
            made.append(f"sqlite:///{tmp_path / f'{len(made)}.db'}")
            return made[-1]

        return new_sqlite
    url: str = request.getfixturevalue("pg_new_url")

    def emptied_pg() -> str:
        Store.open(url).close()  # migrated
        engine = create_engine(url)
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return url

    return emptied_pg


@pytest.fixture(scope="module")
def extracted() -> list[Extraction]:
    paths = sorted(FIXTURES.glob("*.txt"))[:12]
    if len(paths) < 12:
        pytest.skip(f"fixtures not found in {FIXTURES}")
    out = list(extract_sources([str(p) for p in paths], extractor=Extractor.load()))
    assert all(isinstance(o, Extraction) for o in out)
    return [o for o in out if isinstance(o, Extraction)]


def lantern(headline: str, *, published: str = "2024-01-05") -> ArticleBuilder:
    return (
        ArticleBuilder(published=published, headline=headline)
        .say(
            "Studio Hoshizora animates the Lantern Road television anime.",
            work("Lantern Road", "studio", "Studio Hoshizora"),
            work("Lantern Road", "format", "tv"),
        )
        .say("Mika Sorano directs Lantern Road.", work("Lantern Road", "director", "Mika Sorano"))
        .say("Lantern Road premieres in 2024-04.", work("Lantern Road", "premiere", "2024-04"))
    )


def awkward(extracted: list[Extraction]) -> list[Extraction]:
    """Real extractions with, among them, every case a batch must keep apart: a repeated article, the
    same text under another source, a fact that fails validation after valid ones (its names already
    taught to the cached linker), an unknown mention kind, and articles linking to what came before."""
    first = lantern("Lantern Road gets a TV anime").build()
    copied = lantern("Lantern Road gets a TV anime").build()
    copied.article.source.sha256 = "0" * 64  # the same text, another source
    bad = (
        ArticleBuilder(published="2024-03-01", headline="Lantern Road news")
        .say("Kaito Mizuno composes the music.", work("Lantern Road", "music", "Kaito Mizuno"))
        .say("Lantern Road streams on Streamly.", work("Lantern Road", "streaming", "Streamly"))
        .build()
    )
    bad.facts.append(Fact("Lantern Road", "work", "genre", "drama", Evidence(0, 7, "Lanterns")))
    planet = lantern("Lantern Road on another world", published="2024-03-02").build()
    planet.entities.append(EntityMention(name="Orbis", kind="planet"))  # type: ignore[arg-type]
    later = (
        ArticleBuilder(published="2024-03-05", headline="Lantern Road date moves")
        .say("Lantern Road now premieres in 2024-07.", work("Lantern Road", "premiere", "2024-07"))
        .say("Kaito Mizuno composes the music.", work("Lantern Road", "music", "Kaito Mizuno"))
        .build()
    )
    items = [copy.deepcopy(e) for e in extracted]
    return [
        *items[:3],
        first,
        *items[3:4],
        bad,
        copied,
        first,
        *items[4:7],
        planet,
        later,
        *items[7:],
        *items[:1],
    ]


def one_by_one(url: str, items: list[Extraction]) -> list[Outcome]:
    out: list[Outcome] = []
    with Store.open(url) as store:
        for item in items:
            try:
                out.append(store.add_extraction(item))
            except Exception as e:  # as the drivers record it
                out.append(e)
    return out


def same(a: list[Outcome], b: list[Outcome]) -> bool:
    def key(o: Outcome) -> object:
        return (type(o).__name__, str(o)) if isinstance(o, Exception) else o

    return [key(o) for o in a] == [key(o) for o in b]


@pytest.mark.parametrize("size", [1, 4, 100])
def test_a_batch_stores_exactly_what_one_call_per_article_stores(
    fresh: Callable[[], str], extracted: list[Extraction], size: int
) -> None:
    items = awkward(extracted)
    url = fresh()
    alone = one_by_one(url, items)
    expected = rows(url)
    assert [type(o) for o in alone].count(StoreError) == 2  # the invalid fact, the unknown kind
    assert sum(isinstance(o, AddResult) and not o.created for o in alone) == 3

    url = fresh()
    batched: list[Outcome] = []
    with Store.open(url) as store:
        for begin in range(0, len(items), size):
            batched += store.add_extractions(items[begin : begin + size])
    assert same(batched, alone)
    assert rows(url) == expected


def test_a_failed_article_leaves_nothing_and_the_batch_goes_on(fresh: Callable[[], str]) -> None:
    items = awkward([])
    with Store.open(fresh()) as store:
        outcomes = store.add_extractions(items)
        with store.session() as s:
            names = set(s.scalars(select(Entity.name)))
            articles = s.scalar(text("SELECT count(*) FROM articles"))
    failed = [i for i, o in enumerate(outcomes) if isinstance(o, Exception)]
    assert failed == [1, 4]  # the invalid fact, the unknown mention kind
    assert "fact #2" in str(outcomes[1])
    assert "Orbis" not in names and articles == 2  # first and later; the copy and the repeat are known
    assert "Kaito Mizuno" in names  # stored by the later article, linked after the rollback
    assert store.add_extractions([]) == []


def test_new_rows_take_the_ids_the_database_would_give(fresh: Callable[[], str]) -> None:
    """The writer numbers entities, aliases and claims itself; the database's own numbering (an
    insert that takes its id from the sequence) goes on after them, even after a failed article."""
    items = awkward([])
    url = fresh()
    with Store.open(url) as store:
        store.add_extractions(items[:2])  # the second fails after its entities were numbered
        with store.transaction() as session:
            before = session.scalar(text("SELECT max(id) FROM entities"))
            new = session.execute(
                insert(Entity).values(kind="person", name="Ayu Tanaka", slug="ayu-tanaka", attrs={})
            ).inserted_primary_key
        assert new is not None and new[0] == before + 1
        store.invalidate_linker()
        store.add_extraction(items[-1])
        with store.session() as s:
            ids = list(s.scalars(select(Entity.id).order_by(Entity.id)))
    assert ids == list(range(1, len(ids) + 1))  # no gap, no id given twice


@pytest.mark.postgres
def test_a_batch_that_cannot_commit_is_stored_one_article_at_a_time(pg_new_url: str) -> None:
    url = pg_new_url
    Store.open(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:  # a check PostgreSQL runs at commit: the batch's commit fails
        conn.execute(
            text(
                "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.headline LIKE '%Poison%' THEN RAISE EXCEPTION 'poisoned article'; END IF; "
                "RETURN NULL; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON articles "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
            )
        )
    engine.dispose()
    items = [
        lantern("Lantern Road gets a TV anime").build(),
        lantern("Poison in Lantern Road", published="2024-02-01").build(),
        lantern("Lantern Road again", published="2024-03-01").build(),
    ]
    with Store.open(url) as store:
        outcomes = store.add_extractions(items)
        with store.session() as s:
            headlines = set(s.scalars(text("SELECT headline FROM articles")))
    assert isinstance(outcomes[0], AddResult) and outcomes[0].created
    assert isinstance(outcomes[1], StoreError) and "poisoned article" in str(outcomes[1])
    assert isinstance(outcomes[2], AddResult) and outcomes[2].created
    assert headlines == {"Lantern Road gets a TV anime", "Lantern Road again"}


def test_rows_inserted_in_one_statement_read_back_as_executemany_writes_them(
    fresh: Callable[[], str],
) -> None:
    url = fresh()
    now = datetime(2026, 12, 8, 3, 4, 5, 678901, tzinfo=UTC)
    batch: list[dict[str, Any]] = [
        {
            "kind": "claim_added",
            "at": now,
            "subject_id": None,
            "predicate": p,
            "claim_id": None,
            "old_claim_id": None,
            "article_id": None,
            "detail": {"object": f'Ren {p} \u00e9 "q" \\ {{}}', "n": i, "x": [1.5, None]},
        }
        for i, p in enumerate(["director", "studio", "music"])
    ]
    engine = create_engine(url)
    Store.open(url).close()
    try:
        with engine.begin() as conn:
            sql.insert_rows(conn, insert(Change), batch)  # one statement on PostgreSQL
            conn.execute(insert(Change), copy.deepcopy(batch))  # SQLAlchemy's executemany
            got = conn.execute(
                text("SELECT id, predicate, at, CAST(detail AS TEXT) FROM changes ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    assert [r[0] for r in got] == [1, 2, 3, 4, 5, 6]
    assert [r[1] for r in got] == ["director", "studio", "music"] * 2  # in list order
    assert [r[2] for r in got[:3]] == [r[2] for r in got[3:]]
    assert [r[3] for r in got[:3]] == [r[3] for r in got[3:]] == [json.dumps(b["detail"]) for b in batch]
