"""What a bulk run records in the store: finished partitions (idempotently), and catalog titles for
the relevance filter."""

from __future__ import annotations

from anigraph.store import Store


def test_finished_partitions_are_recorded_once_per_run(store: Store) -> None:
    assert store.finished_partitions("run-a") == set()
    for _ in range(2):  # a partition finished twice (a re-run after a crash) is recorded once
        store.finish_partition("run-a", "p1", label="shard 1", pages=10, kept=2, articles=2, failed=0)
    store.finish_partition("run-b", "p2", label="shard 2", pages=5, kept=0, articles=0, failed=0)
    assert store.finished_partitions("run-a") == {"p1"}
    assert store.finished_partitions("run-b") == {"p2"}


def test_catalog_titles_are_works_with_an_external_id(store: Store) -> None:
    from anigraph.store.tables import Alias, Entity, ExternalId

    with store.transaction() as s:
        listed = Entity(kind="work", name="Lanterns of Osu", slug="lanterns-of-osu", attrs={})
        unlisted = Entity(kind="work", name="Paper Orbit", slug="paper-orbit", attrs={})
        person = Entity(kind="person", name="Rin Takaoka", slug="rin-takaoka", attrs={})
        s.add_all([listed, unlisted, person])
        s.flush()
        s.add_all(
            [
                Alias(entity_id=listed.id, name="Lanterns of Osu", folded="lanterns of osu"),
                Alias(entity_id=listed.id, name="Osu no Chouchin", folded="osu no chouchin"),
                Alias(entity_id=unlisted.id, name="Paper Orbit", folded="paper orbit"),
                Alias(entity_id=person.id, name="Rin Takaoka", folded="rin takaoka"),
                ExternalId(entity_id=listed.id, source="anilist", value="1"),
                ExternalId(entity_id=person.id, source="anilist", value="2"),
            ]
        )
    assert store.catalog_titles() == ["Lanterns of Osu", "Osu no Chouchin"]
