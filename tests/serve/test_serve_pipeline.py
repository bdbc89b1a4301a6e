"""End to end through the real extractor: POST our article, then read the facts back on the pages.

These assert what the spec requires of the extractor on plain statements, so they track the
extractor's progress (helpers improve it in parallel) as well as the web layer.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from serve_data import METALLIC_ROUGE, TOKEN, read_seed

from anigraph.names import slugify

WORK = "/works/" + slugify("Metallic Rouge")


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, int]:
    from anigraph.serve import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('pipeline') / 'p.db'}"
    client = TestClient(create_app(db_url=url, api_token=TOKEN))
    r = client.post(
        "/api/v1/articles",
        json={"text": METALLIC_ROUGE, "published": "2023-12-01"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 201, r.text
    return client, int(r.json()["articles"][0]["id"])


@pytest.mark.parametrize(
    "needles",
    [
        ("Studio", "Bones"),
        ("Director", "Motonobu Hori"),
        ("Premiere", "2024-01-11", "Fuji TV"),
        ("Streaming", "Crunchyroll"),
        ("Opening theme", "Rouge", "Yu-ka"),
        ("Ending theme", "Scarlet", "Dazbee"),
        ("Rouge Redstar", "Yume Miyamoto"),
    ],
)
def test_extracted_fact_is_on_the_work_page_with_its_sentence(
    posted: tuple[TestClient, int], needles: tuple[str, ...]
) -> None:
    client, article_id = posted
    html = client.get(WORK).text
    rows = [part for part in re.split(r"<tr[ >]|<dt>", html) if all(n in part for n in needles)]
    assert rows, f"the work page does not show {needles}"
    links = re.findall(rf'href="/articles/{article_id}#f-(\d+)"', rows[0])
    assert links, f"{needles} has no link to its sentence in article {article_id}"
    article = client.get(f"/articles/{article_id}").text
    mark = re.search(rf'<mark id="f-{links[0]}"[^>]*>(.*?)</mark>', article, re.S) or re.search(
        rf'<mark [^>]*>(?:(?!</mark>).)*id="f-{links[0]}"(.*?)</mark>', article, re.S
    )
    assert mark is not None, f"anchor f-{links[0]} is not inside a highlight"


def test_seed_article_sources_the_work_page(client: TestClient) -> None:
    seed = read_seed()
    articles = client.get("/api/v1/articles", params={"limit": 100}).json()["items"]
    seed_ids = [
        a["id"] for a in articles if client.get(f"/api/v1/articles/{a['id']}").json()["text"] == seed.text
    ]
    assert seed_ids, "the seed article is not stored"
    html = client.get(WORK).text
    assert re.search(rf'href="/articles/{seed_ids[0]}#f-\d+"', html), (
        "no fact on the work page cites the seed"
    )
    page = client.get(f"/articles/{seed_ids[0]}")
    assert page.status_code == 200 and page.text.count("<mark ") >= 5
