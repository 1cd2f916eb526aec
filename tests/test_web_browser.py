"""The web UI in a real headless Chromium (Debian's chromium + chromium-driver).

Skipped cleanly where /usr/bin/chromium or /usr/bin/chromedriver is missing; CI
installs both (``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from diplograph.web import create_app
from test_web import (
    EVIL_OUTLET,
    EVIL_TEXT,
    EVIL_TITLE,
    EVIL_URL,
    TOKEN,
    _Server,
    build_store,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,1600",
]  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("browser") / "b.duckdb"
    ids = build_store(path)
    app = create_app(path, allow_ingest=True, token=TOKEN, refresh_interval=0.5,
                     snapshot_dir=path.parent / "snaps")  # fmt: skip
    with _Server(app) as srv:
        srv.ids = ids  # type: ignore[attr-defined]
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium / chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="diplograph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def assert_nothing_ran(driver: Any) -> None:
    assert driver.execute_script("return window.__pwned === undefined") is True
    assert driver.title.endswith("· diplograph")  # the payloads would set it to "pwned"
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert opened: {text!r}")
    except NoAlertPresentException:
        pass
    bad = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'))"
        ".map(a => a.getAttribute('href')).filter(h => /^\\s*javascript:/i.test(h))"
    )
    assert bad == []
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0


def test_click_actor_to_relation_to_article(server: Any, browser: Any) -> None:
    browser.get(f"{server.url}/actors/NATO")
    assert browser.find_element(By.TAG_NAME, "h1").text == "NATO"
    browser.find_element(By.CSS_SELECTOR, 'a.relation[href="/relations/NATO/AZE"]').click()
    WebDriverWait(browser, 10).until(ec.url_contains("/relations/NATO/AZE"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "NATO – Azerbaijan"
    assert "2 events" in browser.find_element(By.CSS_SELECTOR, "p.sub").text
    link = browser.find_element(By.CSS_SELECTOR, "table.rows a.article")
    title = link.text
    link.click()
    WebDriverWait(browser, 10).until(ec.url_contains("/articles/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    mention = browser.find_element(By.CSS_SELECTOR, "article.text span.ann-mention a")
    assert mention.get_attribute("href").startswith(f"{server.url}/actors/")
    mention.click()  # back to an actor from the highlighted text
    WebDriverWait(browser, 10).until(ec.url_contains("/actors/"))
    assert browser.find_element(By.CSS_SELECTOR, "h2").text == "Roles over time"


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, decompressed scanlines) of a PNG, checking its structure."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_screenshot_is_a_real_page(server: Any, browser: Any, tmp_path: Path) -> None:
    browser.get(f"{server.url}/relations/ARM/AZE")
    svg = browser.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert svg.size["width"] > 300 and svg.size["height"] > 50  # the SVG chart is laid out
    shot = tmp_path / "relation.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    width, height, pixels = _png_pixels(data)
    assert width >= 800 and height >= 600
    assert len(data) > 20_000
    assert len(set(pixels[: 4 * width * 200])) > 20  # not a blank page: text, colours, chart


def test_hostile_content_never_executes(server: Any, browser: Any) -> None:
    import httpx

    line = json.dumps({"title": EVIL_TITLE + " (uploaded)", "url": EVIL_URL,
                       "outlet": EVIL_OUTLET, "published": "2024-03-01",
                       "text": EVIL_TEXT + " This copy was uploaded through the API."})  # fmt: skip
    r = httpx.post(f"{server.url}/api/ingest", content=line.encode(), timeout=60,
                   headers={"authorization": f"Bearer {TOKEN}",
                            "content-type": "application/x-ndjson"})  # fmt: skip
    assert r.status_code == 200, r.text
    uploaded = r.json()["articles"][0]
    pages = [f"/articles/{server.ids['evil']}", f"/articles/{uploaded}", "/articles",
             "/search?q=delegation", "/actors/AZE", "/", "/sources", "/network?actor=AZE",
             "/actors?kind=unresolved"]  # fmt: skip
    for path in pages:
        browser.get(server.url + path)
        assert_nothing_ran(browser)
    browser.get(f"{server.url}/articles/{uploaded}")
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("<script>window.__pwned=1")  # shown, as text
    body = browser.find_element(By.CSS_SELECTOR, "article.text").text
    assert '<img src=x onerror="window.__pwned=7">' in body
    for el in browser.find_elements(By.CSS_SELECTOR, "dd, article.text span"):
        ActionChains(browser).move_to_element(el).perform()  # would fire onmouseover
    assert_nothing_ran(browser)
    browser.get(f"{server.url}/actors?kind=unresolved")
    browser.find_element(By.CSS_SELECTOR, "a.actor").click()  # the hostile actor id
    WebDriverWait(browser, 10).until(ec.url_contains("/actors/%3Fevil"))
    assert browser.find_element(By.CSS_SELECTOR, "p.sub code").text.startswith('?evil">')
    assert_nothing_ran(browser)


def test_ingest_form_in_the_browser(server: Any, browser: Any, tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text(
        "Ministers from Georgia and Azerbaijan met in Tbilisi on Tuesday to discuss the "
        "pipeline, the railway and new border crossings, officials said after the talks.\n",
        "utf-8",
    )
    browser.get(f"{server.url}/ingest")
    browser.find_element(By.NAME, "file").send_keys(str(doc))
    browser.find_element(By.NAME, "token").send_keys(TOKEN)
    browser.find_element(By.CSS_SELECTOR, "form.upload button").click()
    link = WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "section.result a.article")))
    assert "1 new article" in browser.find_element(By.CSS_SELECTOR, "section.result").text
    link.click()
    WebDriverWait(browser, 10).until(ec.url_contains("/articles/"))
    assert "Tbilisi" in browser.find_element(By.CSS_SELECTOR, "article.text").text
    browser.get(f"{server.url}/ingest")
    browser.find_element(By.NAME, "file").send_keys(str(doc))
    browser.find_element(By.NAME, "token").send_keys("wrong-token-wrong-token")
    browser.find_element(By.CSS_SELECTOR, "form.upload button").click()
    error = WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert "401" in error.text and "invalid or missing token" in error.text
