"""The page cache under writes: one build per page and version (single flight), the last good page
served while it is rebuilt, and a client's own write read back at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from starlette.requests import Request

from anigraph.extract import Extractor
from anigraph.pipeline import ingest
from anigraph.serve.state import ServeState
from anigraph.store import Store

TEXT = "Velvet Orbit Sets April Premiere\n\nThe Velvet Orbit anime premieres on TV Tokyo on April 9, 2027.\n"


def get(path: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []})


class Build:
    def __init__(self, body: str, *, seconds: float) -> None:
        self.body, self.seconds, self.calls = body, seconds, 0

    def __call__(self) -> str:
        self.calls += 1
        time.sleep(self.seconds)
        return self.body


def test_many_clients_build_a_page_once(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        state = ServeState(store, api_token="")
        build = Build("<p>v1</p>", seconds=0.3)

        async def clients() -> list[bytes]:
            pages = [state.cached(get("/works/x"), build, media_type="text/html") for _ in range(32)]
            return [bytes(r.body) for r in await asyncio.gather(*pages)]

        assert asyncio.run(clients()) == [b"<p>v1</p>"] * 32
        assert build.calls == 1


def test_the_last_good_page_is_served_while_it_is_rebuilt(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        state = ServeState(store, api_token="")

        async def run() -> None:
            first = await state.cached(get("/works/x"), Build("<p>v1</p>", seconds=0), media_type="text/html")
            assert first.body == b"<p>v1</p>"
            article = tmp_path / "a.txt"
            article.write_text(TEXT, encoding="utf-8")
            ingest([str(article)], store=store, extractor=Extractor.load())  # another writer: a new version
            rebuild = Build("<p>v2</p>", seconds=0.5)
            began = time.monotonic()
            during = [await state.cached(get("/works/x"), rebuild, media_type="text/html") for _ in range(5)]
            assert time.monotonic() - began < 0.4  # nobody waited for the rebuild
            assert {bytes(r.body) for r in during} == {b"<p>v1</p>"}
            await asyncio.sleep(0.8)
            after = await state.cached(get("/works/x"), rebuild, media_type="text/html")
            assert after.body == b"<p>v2</p>" and rebuild.calls == 1

        asyncio.run(run())


def test_after_its_own_write_a_client_reads_the_new_page(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        state = ServeState(store, api_token="")

        async def run() -> None:
            await state.cached(get("/works/x"), Build("<p>v1</p>", seconds=0), media_type="text/html")
            article = tmp_path / "a.txt"
            article.write_text(TEXT, encoding="utf-8")
            ingest([str(article)], store=store, extractor=Extractor.load())
            state.invalidate()  # what POST /api/v1/articles does after its write
            fresh = await state.cached(
                get("/works/x"), Build("<p>v2</p>", seconds=0.1), media_type="text/html"
            )
            assert fresh.body == b"<p>v2</p>"

        asyncio.run(run())
