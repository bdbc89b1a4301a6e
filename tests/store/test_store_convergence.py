"""Interrupted or split ingests end in the same store as one run: entities, aliases, claims, sources.

A store opened by a later process loads its linker candidates with their context (the works a
character or person belongs to); candidates created in the running process must carry the same
context, or the two paths link names differently (a second "Fern" of another show was merged into
the first in one run, and became "fern-2" when the run was split).
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_factories import ArticleBuilder, Dump, dump, work

from anigraph.extract import Extractor
from anigraph.models import Extraction
from anigraph.pipeline import ingest
from anigraph.store import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def run(url: str, batches: list[list[Path]], extractor: Extractor) -> None:
    for batch in batches:  # each batch through its own Store, as a new process would open it
        with Store.open(url) as store:
            ingest([str(p) for p in batch], store=store, extractor=extractor)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(scope="module")
def articles() -> list[Path]:
    paths = sorted(FIXTURES.glob("*.txt"))
    if len(paths) < 10:
        pytest.skip(f"fixtures not found in {FIXTURES}")
    return paths


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory, articles: list[Path], extractor: Extractor) -> Dump:
    url = f"sqlite:///{tmp_path_factory.mktemp('one') / 'one.db'}"
    run(url, [articles], extractor)
    return dump(url)


@pytest.mark.parametrize("split", ["halves", "thirds"])
def test_a_split_run_equals_one_run_on_sqlite(
    tmp_path: Path, articles: list[Path], one_run: Dump, extractor: Extractor, split: str
) -> None:
    parts = 2 if split == "halves" else 3
    batches = [articles[i::parts] for i in range(parts)]  # interleaved: the same shows in every batch
    url = f"sqlite:///{tmp_path / 'split.db'}"
    run(url, batches, extractor)
    assert dump(url) == one_run


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_order_of_the_articles_does_not_change_the_store(
    tmp_path: Path, articles: list[Path], one_run: Dump, extractor: Extractor, order: str
) -> None:
    """Two ingests of the same articles in opposite orders (or concurrent ones, interleaving either
    way) end in the same store: a title stored before or after its subtitled form is one work."""
    paths = articles[::-1] if order == "reversed" else random.Random(2).sample(articles, len(articles))
    url = f"sqlite:///{tmp_path / 'order.db'}"
    run(url, [paths], extractor)
    assert dump(url) == one_run


def _titles(title: str, other: str) -> list[Extraction]:
    first = ArticleBuilder(headline=f"{title} dated").say(
        f"{title} premieres in 2027.", work(title, "premiere", "2027")
    )
    second = ArticleBuilder(headline=f"{other} counted").say(
        f"{other} has twelve episodes.", work(other, "episodes", "12")
    )
    return [first.mention(title, "work").build(), second.mention(other, "work").build()]


@pytest.mark.parametrize(
    ("title", "head", "entities"),
    [("Kestrel Hollow: Night Run", "Kestrel Hollow", 1), ("Kestrel Hollow: The Movie", "Kestrel Hollow", 2)],
)
def test_a_title_and_its_subtitled_form_link_the_same_way_in_either_order(
    tmp_path: Path, title: str, head: str, entities: int
) -> None:
    """ "Kestrel Hollow" links to a stored "Kestrel Hollow: Night Run"; stored first, it takes the
    subtitled title too. A head that only names the franchise of a film stays its own work."""
    dumps = []
    for k, order in enumerate([(0, 1), (1, 0)]):
        url = f"sqlite:///{tmp_path / f'{k}.db'}"
        extractions = _titles(title, head)
        with Store.open(url) as store:
            for i in order:
                store.add_extraction(extractions[i])
        dumps.append(dump(url))
        assert len([e for e in dumps[-1]["entities"] if e[0] == "work"]) == entities
    assert dumps[0] == dumps[1]


@pytest.mark.postgres
def test_a_split_run_equals_one_run_on_postgresql(
    pg_url: str, articles: list[Path], one_run: Dump, extractor: Extractor
) -> None:
    run(pg_url, [articles[0::2], articles[1::2]], extractor)
    assert dump(pg_url) == one_run


ANIGRAPH = [sys.executable, "-m", "anigraph"]


def cli_ingest(url: str, *dirs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*ANIGRAPH, "ingest", "--db", url, "-q", *map(str, dirs)], stderr=subprocess.DEVNULL
    )


@pytest.mark.slow
def test_ingest_killed_at_random_points_then_resumed_equals_one_run(
    tmp_path: Path, articles: list[Path], one_run: Dump
) -> None:
    """SIGKILL (no cleanup, no rollback by the program) at random moments, then the same command again."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in articles:
        shutil.copy(p, folder / p.name)
    rng = random.Random(7)
    for _ in range(3):
        proc = cli_ingest(url, folder)
        time.sleep(rng.uniform(1.5, 4.0))  # model loading takes about 1.5 s: kill mid-ingest
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert cli_ingest(url, folder).wait(timeout=300) in (0, 1)
    assert dump(url) == one_run


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_ingests_at_once_in_opposite_orders_equal_one_run(
    request: pytest.FixtureRequest, tmp_path: Path, articles: list[Path], one_run: Dump, backend: str
) -> None:
    """Two `anigraph ingest` processes started together on a new database, one reading the articles
    forwards and one backwards: both finish, and the store equals one clean run."""
    url = (
        f"sqlite:///{tmp_path / 'both.db'}"
        if backend == "sqlite"
        else str(request.getfixturevalue("pg_new_url"))
    )
    procs = [cli_ingest(url, *articles), cli_ingest(url, *articles[::-1])]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert dump(url) == one_run
