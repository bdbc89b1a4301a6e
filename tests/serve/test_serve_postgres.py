"""The same app over PostgreSQL (a fresh schema, dropped afterwards); skips when PG is unreachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from serve_data import TOKEN, populate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from anigraph.extract import Extractor
from anigraph.names import slugify
from anigraph.serve import create_app

pytestmark = pytest.mark.postgres
PG_URL = os.environ.get("ANIGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WORK = "/works/" + slugify("Metallic Rouge")


@pytest.fixture(scope="module")
def pg_client(extractor: Extractor) -> Iterator[TestClient]:
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    schema = f"serve_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except (OperationalError, ImportError) as e:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set ANIGRAPH_TEST_PG): {str(e).splitlines()[0]}")
    url = (
        make_url(PG_URL)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        populate(url, extractor=extractor)
        with TestClient(create_app(db_url=url, api_token=TOKEN)) as client:
            yield client
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_work_page_and_sources_on_postgres(pg_client: TestClient) -> None:
    html = pg_client.get(WORK).text
    for needle in ("Motonobu Hori", "2024-01-11", "Crunchyroll", "Yu-ka", "Dazbee"):
        assert needle in html
    assert 'href="/articles/' in html and "#f-" in html


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/api/v1/search?q=metallic%20rogue", lambda r: r.json()["results"][0]["title"] == "Metallic Rouge"),
        (
            "/api/v1/works?season=2024-winter&studio=Bones",
            lambda r: any(w["name"] == "Metallic Rouge" for w in r.json()["items"]),
        ),
        ("/calendar.ics", lambda r: b"DTSTART;VALUE=DATE:20240111" in r.content),
        ("/changes.atom", lambda r: b"<feed" in r.content),
        ("/people/" + slugify("Yu-ka"), lambda r: "Opening theme" in r.text),
        ("/characters/" + slugify("Rouge Redstar"), lambda r: "Yume Miyamoto" in r.text),
    ],
)
def test_reads_on_postgres(pg_client: TestClient, path: str, check: object) -> None:
    r = pg_client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert callable(check) and check(r)
