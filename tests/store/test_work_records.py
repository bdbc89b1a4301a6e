"""Store.find_work / work_record / open_conflicts: the merged record with its sources."""

from __future__ import annotations

import json

import pytest
from store_factories import ArticleBuilder, work

from anigraph.errors import NotFound
from anigraph.names import fold
from anigraph.store import Store
from anigraph.store.tables import Alias, Claim, ClaimSource, Entity

T = "Harbor of Glass"


def announce() -> ArticleBuilder:
    return (
        ArticleBuilder(published="2024-01-05", headline="Harbor of Glass anime announced")
        .say("Studio Mizu animates the Harbor of Glass TV anime.", work(T, "studio", "Studio Mizu"))
        .say("It is based on the manga by Rin Kato.", work(T, "original_creator", "Rin Kato"))
        .say("Music is by Sho Ide.", work(T, "music", "Sho Ide"))
        .say("Nao Ueda directs.", work(T, "director", "Nao Ueda"))
        .say("Harbor of Glass premieres in April 2024.", work(T, "premiere", "2024-04"))
        .say(
            "Streamly streams it outside of Asia.",
            work(T, "streaming", "Streamly", {"region": "outside of Asia"}),
        )
        .say(
            "Emi Sato plays the diver Kaya.",
            work(T, "cast", "Emi Sato", {"character": "Kaya"}),
            work(T, "character", "Kaya", {"description": "a diver"}),
        )
        .say("Kaya works for the Lighthouse Guild.", ("character", "Kaya", "affiliation", "Lighthouse Guild"))
        .say(
            "The band Tidal sings the opening Glass Waves.",
            work(T, "opening_theme", "Glass Waves", {"performer": "Tidal"}),
        )
        .say("Fans misspell it as Harbour of Glas.", work(T, "alias", "Harbour of Glas"))
    )


def delay() -> ArticleBuilder:
    return (
        ArticleBuilder(published="2024-03-01", headline="Harbor of Glass delayed")
        .say("Harbor of Glass is delayed to July 2024.", work(T, "premiere", "2024-07", change=True))
        .say("Nao Ueda still directs Harbor of Glass.", work(T, "director", "Nao Ueda"))
        .say("Harbor of Glass II is a sequel to Harbor of Glass.", work("Harbor of Glass II", "sequel_of", T))
    )


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_extraction(announce().build())
    store.add_extraction(delay().build())
    return store


@pytest.mark.parametrize("query", [T, "harbor of glass", "Harbour of Glas", "harbor-of-glass"])
def test_find_work_by_title_alias_or_slug(filled: Store, query: str) -> None:
    assert filled.find_work(query).name == T


def test_find_work_not_found_suggests(filled: Store) -> None:
    with pytest.raises(NotFound) as err:
        filled.find_work("Harbor Glassy Zzz")
    assert T in err.value.suggestions
    assert "did you mean" in str(err.value)
    with pytest.raises(NotFound) as none:
        filled.find_work("Completely Different Thing")
    assert "Completely Different Thing" in str(none.value)


def test_find_work_on_empty_store(store: Store) -> None:
    with pytest.raises(NotFound) as err:
        store.find_work("Anything")
    assert err.value.suggestions == []


def test_work_record(filled: Store) -> None:
    record = filled.work_record(filled.find_work(T).id)
    assert record.work.slug == "harbor-of-glass"
    assert {(t.name, t.kind) for t in record.titles} >= {(T, "title"), ("Harbour of Glas", "misspelling")}
    assert [i.value for i in record.studios] == ["Studio Mizu"]
    assert [g.role for g in record.staff] == ["original_creator", "director", "music"]
    director = record.staff[1].items[0]
    assert director.source_count == 2 and director.entity is not None
    assert [s.published for s in director.sources] == ["2024-01-05", "2024-03-01"]
    assert director.sources[0].evidence == "Nao Ueda directs."
    assert [p.value for p in record.premieres] == ["2024-07"]
    [stream] = record.streaming
    assert stream.qualifiers == {"region": "outside of Asia"}
    [cast] = record.cast
    assert (cast.value, cast.qualifiers["character"]) == ("Emi Sato", "Kaya")
    [theme] = record.themes
    assert (theme.predicate, theme.value, theme.qualifiers["performer"]) == (
        "opening_theme",
        "Glass Waves",
        "Tidal",
    )
    [kaya] = record.characters
    assert kaya.name == "Kaya" and kaya.entity is not None
    assert [d.value for d in kaya.descriptions] == ["a diver"]
    assert [a.value for a in kaya.affiliations] == ["Lighthouse Guild"]
    assert [v.value for v in kaya.voiced_by] == ["Emi Sato"]
    [hist] = record.history
    assert (hist.old.value, hist.new.value) == ("2024-04", "2024-07")
    assert (hist.old_date, hist.new_date) == ("2024-01-05", "2024-03-01")
    assert hist.old.sources[0].headline == "Harbor of Glass anime announced"
    assert [f.value for f in record.followed_by] == ["Harbor of Glass II"]
    assert record.conflicts == []
    assert record.source_count == 2
    data = json.loads(json.dumps(record.to_json()))
    assert data["source_count"] == 2
    assert data["staff"][1]["items"][0]["source_count"] == 2


def test_sequel_record_points_back(filled: Store) -> None:
    record = filled.work_record(filled.find_work("Harbor of Glass II").id)
    assert [(i.value, i.entity.slug if i.entity else None) for i in record.sequel_of] == [
        (T, "harbor-of-glass")
    ]


def test_work_record_of_a_person_is_not_found(filled: Store) -> None:
    record = filled.work_record(filled.find_work(T).id)
    person_id = record.staff[0].items[0].entity
    assert person_id is not None
    with pytest.raises(NotFound):
        filled.work_record(person_id.id)


def test_open_conflicts_listed_and_in_record(filled: Store) -> None:
    for n in ("12", "13"):
        filled.add_extraction(
            ArticleBuilder(published="2024-04-01", headline=f"Harbor of Glass {n}")
            .say(f"Harbor of Glass has {n} episodes.", work(T, "episodes", n))
            .build()
        )
    [summary] = filled.open_conflicts()
    assert summary.subject.name == T and summary.predicate == "episodes"
    assert sorted(v.value for v in summary.values) == ["12", "13"]
    assert json.loads(json.dumps(summary.to_json()))["subject"]["slug"] == "harbor-of-glass"
    record = filled.work_record(summary.subject.id)
    [conflict] = record.conflicts
    assert sorted(v.value for v in conflict.values) == ["12", "13"]
    assert all(v.status == "disputed" for v in record.episodes)


def test_short_character_name_folds_into_full_name(filled: Store) -> None:
    filled.add_extraction(
        ArticleBuilder(published="2024-04-02", headline="Harbor of Glass cast")
        .say("Emi Sato stars as Kaya Mori.", work(T, "cast", "Emi Sato", {"character": "Kaya Mori"}))
        .say("Jo Ito plays Mori's rival Ren Aoi.", work(T, "cast", "Jo Ito", {"character": "Ren Aoi"}))
        .build()
    )
    record = filled.work_record(filled.find_work(T).id)
    names = [ch.name for ch in record.characters]
    assert sorted(names) == ["Kaya Mori", "Ren Aoi"]
    kaya = next(ch for ch in record.characters if ch.name == "Kaya Mori")
    assert "Kaya" in kaya.aliases
    assert [d.value for d in kaya.descriptions] == ["a diver"]
    assert [a.value for a in kaya.affiliations] == ["Lighthouse Guild"]
    [voice] = kaya.voiced_by
    assert voice.value == "Emi Sato" and voice.source_count == 2
    assert [(c.value, c.qualifiers["character"], c.source_count) for c in record.cast] == [
        ("Emi Sato", "Kaya Mori", 2),
        ("Jo Ito", "Ren Aoi", 1),
    ]


@pytest.mark.parametrize("query", ["salt crown", "The Salt Crown", "the salt crown"])
def test_find_work_without_leading_article(store: Store, query: str) -> None:
    store.add_extraction(
        ArticleBuilder(published="2024-01-01", headline="The Salt Crown")
        .say("The Salt Crown is a film.", work("The Salt Crown", "format", "film"))
        .build()
    )
    assert store.find_work(query).name == "The Salt Crown"


def test_find_work_prefers_main_title_then_best_sourced(store: Store) -> None:
    with store.transaction() as s:
        ids = {}
        for name, slug in [
            ("Harbor Saga Movie", "hsm"),
            ("Harbor Saga", "hs"),
            ("Tide A", "ta"),
            ("Tide B", "tb"),
        ]:
            ent = Entity(kind="work", name=name, slug=slug, attrs={})
            s.add(ent)
            s.flush()
            ids[name] = ent.id
        for name, alias in [("Harbor Saga Movie", "Harbor Saga"), ("Harbor Saga", "Harbor Saga")]:
            s.add(Alias(entity_id=ids[name], name=alias, folded=fold(alias), kind="title", origin="test"))
        for name in ("Tide A", "Tide B"):
            s.add(Alias(entity_id=ids[name], name="Tide", folded="tide", kind="synonym", origin="test"))
        claim = Claim(
            subject_id=ids["Tide B"], predicate="genre", object="drama", object_key="v:drama", qualifiers={}
        )
        s.add(claim)
        s.flush()
        s.add(ClaimSource(claim_id=claim.id, origin="test", text="", meta={}))
    store.invalidate_linker()
    assert store.find_work("harbor saga").name == "Harbor Saga"
    assert store.find_work("Tide").name == "Tide B"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Harbr of Glass", T),
        ("Harbor Glass", T),
        ("Harbour of Glas II", "Harbour of Glas"),
        ("zzzz qqq", None),
    ],
)
def test_suggestions_name_the_matching_spelling(filled: Store, query: str, expected: str | None) -> None:
    suggestions = filled.suggest_works(query)
    if expected is None:
        assert suggestions == []
    else:
        assert suggestions[0] == expected
        assert len(suggestions) == len(set(suggestions))
