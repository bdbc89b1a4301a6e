"""Characters belong to their work: one entity per work and name, whatever order articles come in."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select
from store_factories import ArticleBuilder, dump, work

from anigraph.models import Extraction
from anigraph.names import fold
from anigraph.store import Store
from anigraph.store.readapi import ReadAPI
from anigraph.store.tables import Entity

LAMP, GLASS = "Lamplight Carousel", "Glass Orchard"


def characters(store: Store) -> dict[tuple[str, str | None], int]:
    """(character name, its work's name) -> how many such entities."""
    with store.session() as s:
        works = dict(s.execute(select(Entity.id, Entity.name).where(Entity.kind == "work")).all())
        out: dict[tuple[str, str | None], int] = {}
        for name, work_id in s.execute(select(Entity.name, Entity.work_id).where(Entity.kind == "character")):
            key = (name, works.get(work_id) if work_id is not None else None)
            out[key] = out.get(key, 0) + 1
    return out


def lamp_cast() -> ArticleBuilder:
    return (
        ArticleBuilder(published="2025-03-01", headline=f"{LAMP} cast")
        .say(f"Studio Wren makes {LAMP}.", work(LAMP, "studio", "Studio Wren"))
        .say(f"Aya Kuno voices Emma in {LAMP}.", work(LAMP, "cast", "Aya Kuno", {"character": "Emma"}))
        .say("Emma runs the carousel.", ("character", "Emma", "description", "runs the carousel"))
    )


def lamp_trailer() -> ArticleBuilder:
    return (
        ArticleBuilder(published="2025-04-01", headline=f"{LAMP} trailer")
        .say(
            f"The {LAMP} trailer shows Emma.",
            work(LAMP, "character", "Emma"),
            work(LAMP, "trailer", "trailer"),
        )
        .say("Emma keeps a ledger.", ("character", "Emma", "description", "keeps a ledger"))
    )


def glass_cast() -> ArticleBuilder:
    return (
        ArticleBuilder(published="2025-05-01", headline=f"{GLASS} cast")
        .say(f"Studio Pike makes {GLASS}.", work(GLASS, "studio", "Studio Pike"))
        .say(f"Rui Sato voices Emma in {GLASS}.", work(GLASS, "cast", "Rui Sato", {"character": "Emma"}))
        .say("Emma grows glass apples.", ("character", "Emma", "description", "grows glass apples"))
    )


def test_one_character_of_one_work_across_articles(store: Store) -> None:
    store.add_extraction(lamp_cast().build())
    store.add_extraction(lamp_trailer().build())
    assert characters(store) == {("Emma", LAMP): 1}
    record = store.work_record(store.find_work(LAMP).id)
    [emma] = record.characters
    assert sorted(d.value for d in emma.descriptions) == ["keeps a ledger", "runs the carousel"]
    assert [v.value for v in emma.voiced_by] == ["Aya Kuno"]


def test_the_same_name_in_two_works_is_two_characters(store: Store) -> None:
    store.add_extraction(lamp_cast().build())
    store.add_extraction(glass_cast().build())
    store.add_extraction(lamp_trailer().build())
    assert characters(store) == {("Emma", LAMP): 1, ("Emma", GLASS): 1}
    lamp = store.work_record(store.find_work(LAMP).id)
    glass = store.work_record(store.find_work(GLASS).id)
    [lamp_emma], [glass_emma] = lamp.characters, glass.characters
    assert lamp_emma.entity is not None and glass_emma.entity is not None
    assert lamp_emma.entity.id != glass_emma.entity.id
    assert sorted(d.value for d in lamp_emma.descriptions) == ["keeps a ledger", "runs the carousel"]
    assert [d.value for d in glass_emma.descriptions] == ["grows glass apples"]
    assert [v.value for v in glass_emma.voiced_by] == ["Rui Sato"]
    # the character's page lists the credits of its own work only
    view = ReadAPI(store.engine).entity(glass_emma.entity.slug, kind="character")
    assert {(m.subject.name, m.predicate, m.object) for m in view.mentions} == {(GLASS, "cast", "Rui Sato")}


def test_one_article_naming_the_same_name_in_two_works(store: Store) -> None:
    store.add_extraction(
        ArticleBuilder(published="2025-06-01", headline="Two casts")
        .say(f"Aya Kuno voices Emma in {LAMP}.", work(LAMP, "cast", "Aya Kuno", {"character": "Emma"}))
        .say(f"Rui Sato voices Emma in {GLASS}.", work(GLASS, "cast", "Rui Sato", {"character": "Emma"}))
        .build()
    )
    assert characters(store) == {("Emma", LAMP): 1, ("Emma", GLASS): 1}


def test_a_character_only_described_belongs_to_the_article_s_main_work(store: Store) -> None:
    store.add_extraction(lamp_cast().build())
    store.add_extraction(glass_cast().build())
    store.add_extraction(
        ArticleBuilder(published="2025-07-01", headline=f"{GLASS} preview")
        .say(f"{GLASS} premieres in July 2025.", work(GLASS, "premiere", "2025-07"))
        .say(f"Studio Pike animates {GLASS}.", work(GLASS, "studio", "Studio Pike"))
        .say(f"It shares a composer with {LAMP}.", work(LAMP, "music", "Kei Mori"))
        .say("Emma sells the apples at dawn.", ("character", "Emma", "description", "sells the apples"))
        .mention("Emma", "character")
        .build()
    )
    assert characters(store) == {("Emma", LAMP): 1, ("Emma", GLASS): 1}
    glass = store.work_record(store.find_work(GLASS).id)
    [emma] = glass.characters
    assert sorted(d.value for d in emma.descriptions) == ["grows glass apples", "sells the apples"]


def test_spellings_of_one_character_still_link_within_its_work(store: Store) -> None:
    store.add_extraction(
        ArticleBuilder(published="2025-03-01", headline=f"{LAMP} cast")
        .say("Aya Kuno voices Emma Vale.", work(LAMP, "cast", "Aya Kuno", {"character": "Emma Vale"}))
        .build()
    )
    store.add_extraction(
        ArticleBuilder(published="2025-03-02", headline=f"{LAMP} roles")
        .say(f"{LAMP} follows Vale Emma.", work(LAMP, "character", "Vale Emma"))
        .build()
    )
    assert characters(store) == {("Emma Vale", LAMP): 1}


ARTICLES = [lamp_cast, lamp_trailer, glass_cast]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=str)
def test_any_ingest_order_gives_the_same_store(
    empty_url: str, tmp_path_factory: pytest.TempPathFactory, order: tuple[int, ...]
) -> None:
    """Characters of two works and a premiere refined over three articles: every order of the
    articles (each through a new Store, as separate runs would) ends in the same canonical dump,
    on SQLite and PostgreSQL alike."""
    values = ["2026-01", "2026-01-16", "2026"]
    articles: list[Extraction] = []
    for builder, value in zip(ARTICLES, values, strict=True):
        article = builder().say(f"{LAMP} premieres {value}.", work(LAMP, "premiere", value))
        articles.append(article.build())
    for i in order:
        with Store.open(empty_url) as store:
            store.add_extraction(articles[i])
    got = dump(empty_url)
    reference_url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    with Store.open(reference_url) as reference:
        for extraction in articles:
            reference.add_extraction(extraction)
    assert got == dump(reference_url)
    premieres = {c[2]: c[4] for c in got["claims"] if c[1] == "premiere"}  # objects folded
    assert premieres == {"2026 01 16": "current", "2026 01": "superseded", "2026": "superseded"}
    owners = sorted(repr(e[-1]) for e in got["entities"] if e[0] == "character")
    assert owners == sorted(repr(("of", ("work", fold(title)))) for title in (LAMP, GLASS))
