"""Drive Debian's chromium through Playwright against the real app served by uvicorn.

Without chromium these tests skip with a message, except under ``CI=true`` where they fail.
The work-page and season-page screenshots are saved to ``docs/screenshots/`` (shown in the README).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from season_data import DIRECTOR, SEASON, YEAR

from anigraph.names import slugify
from anigraph.serve import create_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOT = SCREENSHOTS / "work-page.png"
SEASON_SCREENSHOT = SCREENSHOTS / "season-page.png"
WORK = "/works/" + slugify("Metallic Rouge")
SEASON_PAGE = f"/season/{YEAR}/{SEASON}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_url(db_url: str) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(db_url=db_url, api_token=""),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message.replace("skipped", "required under CI=true"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def test_work_page_staff_table_and_screenshot(page: Any, live_url: str) -> None:
    page.goto(live_url + WORK)
    assert page.locator("h1").inner_text() == "Metallic Rouge"
    director = page.locator("table.staff tbody tr", has_text="Director")
    assert director.count() >= 1
    assert "Motonobu Hori" in director.first.inner_text()
    source = director.first.locator("a.src").first
    href = source.get_attribute("href")
    assert href is not None and "#f-" in href
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    source.click()
    page.wait_for_url("**/articles/**")
    anchor = href.split("#", 1)[1]
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    assert "Motonobu Hori" in target.evaluate("el => (el.closest('mark') || el).textContent")


def test_focusing_a_highlight_shows_its_fact(page: Any, live_url: str) -> None:
    page.goto(live_url + WORK)
    href = page.locator("table.staff a.src").first.get_attribute("href")
    assert href is not None
    page.goto(live_url + href.split("#", 1)[0])
    mark = page.locator("mark", has_text="Motonobu Hori directs").first
    popup = mark.locator(".pop")
    assert not popup.is_visible()
    mark.focus()
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert "Motonobu Hori" in text and "Director" in text.title()
    page.keyboard.press("Tab")  # focus moves on to the next highlight; this popup hides
    popup.wait_for(state="hidden")


def test_typing_metallic_rogue_lands_on_metallic_rouge(page: Any, live_url: str) -> None:
    page.goto(live_url + "/")
    box = page.get_by_label("Search works, people, characters and studios")
    box.click()
    box.press_sequentially("metallic rogue", delay=20)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#site-suggest option')].some(o => o.value === 'Metallic Rouge')"
    )
    box.press("Enter")
    page.wait_for_url("**" + WORK)
    assert page.locator("h1").inner_text() == "Metallic Rouge"


def test_dark_mode_follows_the_system(browser: Any, live_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        pg = context.new_page()
        pg.goto(live_url + WORK)
        bg = pg.evaluate("getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(18, 18, 20)", bg
    finally:
        context.close()


def _card_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("li.season-card", "els => els.map(e => e.dataset.work)")
    return ids


def test_season_page_filters_and_screenshot(page: Any, live_url: str) -> None:
    page.goto(live_url + SEASON_PAGE)
    assert page.locator("h1").inner_text() == "Spring 2022"
    assert _card_ids(page) == ["lantern-tide", "copper-sparrow", "glass-harbor"]
    headings = page.locator("section.week h2").all_inner_texts()
    assert headings[-1] == "Date to be announced within the season"
    SEASON_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SEASON_SCREENSHOT), full_page=True)
    assert SEASON_SCREENSHOT.stat().st_size > 10_000
    # with scripts on, a choice applies at once and only the chosen filters enter the link
    page.get_by_label("Platform").select_option("Wavelet")
    page.wait_for_url("**platform=Wavelet")
    assert page.url.endswith(SEASON_PAGE + "?platform=Wavelet")
    assert _card_ids(page) == ["lantern-tide", "copper-sparrow"]
    page.get_by_label("Region").select_option("Europe")
    page.wait_for_url("**region=Europe")
    assert _card_ids(page) == ["copper-sparrow"]
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url("**" + SEASON_PAGE)
    assert len(_card_ids(page)) == 3
    # every fact on a card links to the sentence that states it
    card = page.locator("li.season-card", has_text="Lantern Tide")
    source = card.locator("dd.studio a.src").first
    href = source.get_attribute("href")
    assert href is not None and "#f-" in href
    source.click()
    page.wait_for_url("**/articles/**")
    target = page.locator(f"[id='{href.split('#', 1)[1]}']")
    assert "Studio Kumo" in target.evaluate("el => (el.closest('mark') || el).textContent")


def test_season_filters_work_without_javascript(browser: Any, live_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(live_url + SEASON_PAGE)
        pg.locator("select[name=studio]").select_option("Studio Kumo")
        assert len(_card_ids(pg)) == 3  # nothing happens until the form is sent
        pg.get_by_role("button", name="Filter").click()
        pg.wait_for_url("**studio=Studio+Kumo**")
        assert _card_ids(pg) == ["lantern-tide", "glass-harbor"]
        pg.get_by_role("link", name="Summer 2022 →").click()
        pg.wait_for_url("**/season/2022/summer?**studio=Studio+Kumo**")
    finally:
        context.close()


def test_person_timeline(page: Any, live_url: str) -> None:
    page.goto(live_url + "/people/" + slugify(DIRECTOR))
    years = page.locator("ol.timeline > li h3").all_inner_texts()
    assert [y.split()[0] for y in years] == ["2022", "2020"]
    latest = page.locator("ol.timeline > li").first
    assert latest.locator("dt").all_inner_texts() == ["Director", "Storyboard"]
    latest.get_by_role("link", name="Copper Sparrow").click()
    page.wait_for_url("**/works/copper-sparrow")


def test_docs_work_offline(page: Any, live_url: str) -> None:
    """/docs renders Swagger UI with no request leaving the machine and no CSP violation."""
    requested: list[str] = []
    problems: list[str] = []

    def route(r: Any) -> None:
        requested.append(r.request.url)
        if r.request.url.startswith(live_url + "/"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live_url + "/docs")
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/v1/seasons/{year}/{season}").wait_for()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("anigraph")
    outside = [u for u in requested if not u.startswith(live_url + "/")]
    assert not outside, outside
    assert any(u.endswith("/openapi.json") for u in requested)
    assert not problems, problems
