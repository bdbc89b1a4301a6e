"""Several processes writing one database at once: no errors, no duplicate entities."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select
from store_factories import ArticleBuilder, work

from anigraph.store import Store
from anigraph.store.tables import Article, Entity

ARTICLES_PER_WRITER = 8


def _write(url: str, writer: int) -> None:
    store = Store.open(url)
    try:
        for i in range(ARTICLES_PER_WRITER):
            show = f"Relay Show {i % 4}"
            store.add_extraction(
                ArticleBuilder(published=f"2024-02-{i + 1:02d}", headline=f"writer {writer} article {i}")
                .say(f"{show} is animated by Studio Lark.", work(show, "studio", "Studio Lark"))
                .say(f"Writer {writer} says {show} runs {i} episodes.", work(show, "episodes", str(i)))
                .build()
            )
    finally:
        store.close()


def test_concurrent_writers(empty_url: str) -> None:
    Store.open(empty_url).close()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_write, args=(empty_url, w)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = Store.open(empty_url)
    try:
        with store.session() as s:
            assert s.scalar(select(func.count(Article.id))) == 3 * ARTICLES_PER_WRITER
            works = s.scalars(select(Entity.name).where(Entity.kind == "work")).all()
            studios = s.scalars(select(Entity.name).where(Entity.kind == "organization")).all()
        assert sorted(works) == [f"Relay Show {i}" for i in range(4)]
        assert studios == ["Studio Lark"]
    finally:
        store.close()
