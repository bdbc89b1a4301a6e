"""The work page shows the merged record: one premiere when a precise date refines a vague one, and
each work's own characters when two works have a character of the same name."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from anigraph.models import Article, Evidence, Extraction, Fact, Source, sha256_bytes
from anigraph.names import slugify
from anigraph.serve import create_app
from anigraph.store import Store

LAMP, GLASS = "Lamplight Carousel", "Glass Orchard"


def _extraction(published: str, sentence: str, *facts: tuple[str, str, str, dict[str, str]]) -> Extraction:
    text = f"{sentence[:40]}\n\n{sentence}\n"
    start = text.index(sentence, len(sentence[:40]))
    evidence = Evidence(start, start + len(sentence), sentence)
    source = Source(sha256=sha256_bytes(text.encode()), published=published, format="text")
    article = Article(text=text, source=source, headline=sentence[:40], published=published)
    return Extraction(
        article=article,
        facts=[Fact(s, "work", p, o, evidence, 0.9, dict(q)) for s, p, o, q in facts],
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('merge') / 'm.db'}"
    with Store.open(url) as store:
        store.add_extraction(
            _extraction("2025-10-01", f"{LAMP} premieres in January 2026.", (LAMP, "premiere", "2026-01", {}))
        )
        store.add_extraction(
            _extraction(
                "2025-11-01",
                f"{LAMP} premieres on January 16, 2026, with Aya Kuno as Emma.",
                (LAMP, "premiere", "2026-01-16", {}),
                (LAMP, "cast", "Aya Kuno", {"character": "Emma"}),
            )
        )
        store.add_extraction(
            _extraction(
                "2025-12-01",
                f"Rui Sato voices Emma in {GLASS}.",
                (GLASS, "cast", "Rui Sato", {"character": "Emma"}),
            )
        )
    with TestClient(create_app(db_url=url)) as c:
        yield c


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2 ", start)
    return html[start : end if end != -1 else len(html)]


def test_one_premiere_and_the_refinement_in_the_history(client: TestClient) -> None:
    html = client.get(f"/works/{slugify(LAMP)}").text
    watch = _section(html, "h-watch")
    assert "2026-01-16" in watch and not re.search(r">2026-01<", watch)
    history = _section(html, "h-conflicts")
    assert "2026-01" in history and "2026-01-16" in history and "(refined)" in history


def test_each_work_links_its_own_character(client: TestClient) -> None:
    links = {
        title: set(re.findall(r'href="(/characters/[^"#]+)"', client.get(f"/works/{slugify(title)}").text))
        for title in (LAMP, GLASS)
    }
    assert len(links[LAMP]) == 1 and len(links[GLASS]) == 1 and links[LAMP] != links[GLASS]
    glass_emma = client.get(next(iter(links[GLASS]))).text
    assert "Rui Sato" in glass_emma and "Aya Kuno" not in glass_emma
