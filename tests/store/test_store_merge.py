"""Single-valued predicates: later articles supersede, undated or same-day disagreement is a conflict."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from store_factories import ArticleBuilder, work

from anigraph.store import Store
from anigraph.store.tables import Change, Claim, Conflict

TITLE = "Paper Comet"


def premiere(
    date: str | None, value: str, *, where: str | None = None, change: bool = False
) -> ArticleBuilder:
    quals = {"where": where} if where else {}
    extra = {"change": True} if change else {}
    sentence = f"{TITLE} premieres on {value}" + (f" on {where}." if where else ".")
    return ArticleBuilder(published=date, headline=f"{TITLE} {value} {where or ''} {date}").say(
        sentence, work(TITLE, "premiere", value, quals, **extra)
    )


def statuses(store: Store, predicate: str = "premiere") -> dict[str, str]:
    with store.session() as s:
        return dict(s.execute(select(Claim.object, Claim.status).where(Claim.predicate == predicate)).all())


def open_conflicts(store: Store) -> list[Conflict]:
    with store.session() as s:
        return list(s.scalars(select(Conflict).where(Conflict.open.is_(True))))


@pytest.mark.parametrize("order", ["old_first", "new_first"])
def test_later_article_supersedes_whatever_the_ingest_order(store: Store, order: str) -> None:
    old = premiere("2024-01-10", "2024-04").build()
    new = premiere("2024-03-02", "2024-07", change=True).build()
    for extraction in [old, new] if order == "old_first" else [new, old]:
        store.add_extraction(extraction)
    assert statuses(store) == {"2024-04": "superseded", "2024-07": "current"}
    assert open_conflicts(store) == []
    with store.session() as s:
        changes = s.scalars(select(Change).where(Change.kind == "superseded")).all()
        assert len(changes) == 1
        old_claim = s.get(Claim, changes[0].old_claim_id)
        new_claim = s.get(Claim, changes[0].claim_id)
    assert old_claim is not None and new_claim is not None
    assert (old_claim.object, new_claim.object) == ("2024-04", "2024-07")
    assert changes[0].detail["old_date"] == "2024-01-10" and changes[0].detail["new_date"] == "2024-03-02"


def test_same_day_disagreement_opens_a_conflict_that_a_later_article_resolves(store: Store) -> None:
    store.add_extraction(premiere("2024-01-10", "2024-04").build())
    result = store.add_extraction(premiere("2024-01-10", "2024-05").build())
    assert result.conflicts_opened == 1
    assert statuses(store) == {"2024-04": "disputed", "2024-05": "disputed"}
    [conflict] = open_conflicts(store)
    assert conflict.predicate == "premiere" and conflict.scope == ""
    assert len(conflict.claim_ids) == 2

    store.add_extraction(premiere("2024-02-01", "2024-05").build())
    assert statuses(store) == {"2024-04": "superseded", "2024-05": "current"}
    assert open_conflicts(store) == []
    with store.session() as s:
        kinds = [c.kind for c in s.scalars(select(Change).order_by(Change.id))]
    assert "conflict_opened" in kinds and kinds[-1] == "conflict_resolved"


def test_undated_disagreement_is_a_conflict(store: Store) -> None:
    store.add_extraction(premiere("2024-01-10", "2024-04").build())
    store.add_extraction(premiere(None, "2025-01").build())
    assert statuses(store) == {"2024-04": "disputed", "2025-01": "disputed"}
    assert len(open_conflicts(store)) == 1


def test_change_signal_breaks_a_same_day_tie(store: Store) -> None:
    store.add_extraction(premiere("2024-01-10", "2024-04").build())
    store.add_extraction(premiere("2024-01-10", "2024-10", change=True).build())
    assert statuses(store) == {"2024-04": "superseded", "2024-10": "current"}
    assert open_conflicts(store) == []


@pytest.mark.parametrize("order", ["vague_first", "precise_first"])
@pytest.mark.parametrize(
    ("vague", "precise"),
    [
        ("2024-spring", "2024-04-12"),
        ("2024", "2024-10"),
        ("2024-04", "2024-04-07"),
        ("2026-01", "2026-01-16"),
        ("2026", "2026-01-16"),
    ],
)
def test_more_precise_date_refines_the_vaguer_one(store: Store, vague: str, precise: str, order: str) -> None:
    """One premiere, the more precise; the vaguer statement stays in the history as refined."""
    articles = [premiere("2024-01-10", vague).build(), premiere("2024-01-10", precise).build()]
    results = [store.add_extraction(a) for a in (articles if order == "vague_first" else articles[::-1])]
    assert statuses(store) == {vague: "superseded", precise: "current"}
    assert open_conflicts(store) == []
    assert sum(r.refined for r in results) == 1 and sum(r.superseded for r in results) == 0
    with store.session() as s:
        [change] = s.scalars(select(Change).where(Change.kind == "refined")).all()
        assert s.scalars(select(Change).where(Change.kind == "superseded")).all() == []
    assert (change.detail["old"], change.detail["new"]) == (vague, precise)
    work_id = store.find_work(TITLE).id
    record = store.work_record(work_id)
    assert [p.value for p in record.premieres] == [precise]
    [history] = record.history
    assert (history.old.value, history.new.value, history.refined) == (vague, precise, True)
    assert history.old.sources and history.new.sources  # both statements kept, with their articles


def test_a_later_vaguer_date_still_refines_into_the_earlier_precise_one(store: Store) -> None:
    store.add_extraction(premiere("2025-10-01", "2026-01-16").build())
    store.add_extraction(premiere("2025-12-01", "2026-01").build())
    assert statuses(store) == {"2026-01": "superseded", "2026-01-16": "current"}


def test_every_vaguer_date_refines_into_the_most_precise(store: Store) -> None:
    for value in ["2026", "2026-winter", "2026-01", "2026-01-16"]:
        store.add_extraction(premiere("2025-10-01", value).build())
    current = {v for v, st in statuses(store).items() if st == "current"}
    assert current == {"2026-01-16"}
    assert open_conflicts(store) == []


@pytest.mark.parametrize(("partial", "full"), [("2026-02", "2026-01-16"), ("2025", "2026-01-16")])
def test_a_partial_date_that_disagrees_is_still_a_conflict(store: Store, partial: str, full: str) -> None:
    store.add_extraction(premiere("2025-10-01", full).build())
    store.add_extraction(premiere("2025-10-01", partial).build())
    assert statuses(store) == {partial: "disputed", full: "disputed"}
    [conflict] = open_conflicts(store)
    assert len(conflict.claim_ids) == 2


def test_a_value_disputed_only_by_a_refined_one_is_not_in_conflict(store: Store) -> None:
    """An article gives two dates (they coexist); an undated "2026-01" disagrees with one of them
    but is the other, stated less precisely: no conflict is left."""
    store.add_extraction(
        ArticleBuilder(published="2025-10-01", headline=f"{TITLE} dates")
        .say(f"{TITLE} premieres on January 16, 2026.", work(TITLE, "premiere", "2026-01-16"))
        .say(f"{TITLE} reaches other countries in March 2026.", work(TITLE, "premiere", "2026-03"))
        .build()
    )
    store.add_extraction(premiere(None, "2026-01").build())
    assert statuses(store) == {"2026-01-16": "current", "2026-03": "current", "2026-01": "superseded"}
    assert open_conflicts(store) == []


def test_premiere_scopes_by_where(store: Store) -> None:
    store.add_extraction(premiere("2024-01-10", "2024-04-05", where="Tokyo MX").build())
    store.add_extraction(premiere("2024-01-10", "2024-04-09", where="Streamly").build())
    assert statuses(store) == {"2024-04-05": "current", "2024-04-09": "current"}
    store.add_extraction(premiere("2024-01-10", "2024-04-06", where="tokyo mx").build())
    assert statuses(store)["2024-04-09"] == "current"
    [conflict] = open_conflicts(store)
    assert conflict.scope == "tokyo mx"


def test_multi_valued_predicates_accumulate(store: Store) -> None:
    for day, service in [("2024-01-01", "Streamly"), ("2024-03-01", "Flixa")]:
        store.add_extraction(
            ArticleBuilder(published=day, headline=f"{TITLE} on {service}")
            .say(f"{TITLE} streams on {service}.", work(TITLE, "streaming", service))
            .say(f"Jun Oda directs {TITLE}.", work(TITLE, "director", f"Jun Oda {service}"))
            .build()
        )
    assert statuses(store, "streaming") == {"Streamly": "current", "Flixa": "current"}
    assert set(statuses(store, "director").values()) == {"current"}
    assert open_conflicts(store) == []


def test_format_is_single_valued(store: Store) -> None:
    for day, fmt in [("2024-01-01", "tv"), ("2024-06-01", "film")]:
        store.add_extraction(
            ArticleBuilder(published=day, headline=f"{TITLE} {fmt}")
            .say(f"{TITLE} is a {fmt} anime.", work(TITLE, "format", fmt))
            .build()
        )
    assert statuses(store, "format") == {"tv": "superseded", "film": "current"}


@pytest.mark.parametrize("signal", [False, True])
def test_one_article_stating_two_values(store: Store, signal: bool) -> None:
    """An article's own two values coexist, unless it marks one of them as the change."""
    extra = {"change": True} if signal else {}
    store.add_extraction(
        ArticleBuilder(published="2024-01-10", headline=f"{TITLE} dates")
        .say(f"{TITLE} first aired in Japan in April 2023.", work(TITLE, "premiere", "2023-04"))
        .say(f"{TITLE} now premieres abroad in May 2024.", work(TITLE, "premiere", "2024-05", **extra))
        .build()
    )
    expected = (
        {"2023-04": "superseded", "2024-05": "current"}
        if signal
        else {"2023-04": "current", "2024-05": "current"}
    )
    assert statuses(store) == expected
    assert open_conflicts(store) == []
    # a later article with a third value supersedes whatever is current
    store.add_extraction(premiere("2024-02-01", "2024-08").build())
    assert statuses(store)["2024-08"] == "current"
    assert statuses(store)["2024-05"] == "superseded"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (f"{TITLE} has been delayed to October 2024.", {"2024-04": "superseded", "2024-10": "current"}),
        (f"{TITLE} premieres in October 2024.", {"2024-04": "disputed", "2024-10": "disputed"}),
    ],
)
def test_change_words_in_the_sentence_break_a_tie(
    store: Store, sentence: str, expected: dict[str, str]
) -> None:
    store.add_extraction(premiere("2024-01-10", "2024-04").build())
    store.add_extraction(
        ArticleBuilder(published="2024-01-10", headline=f"{TITLE} news")
        .say(sentence, work(TITLE, "premiere", "2024-10"))
        .build()
    )
    assert statuses(store) == expected
