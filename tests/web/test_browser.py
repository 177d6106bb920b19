"""Real-browser tests: Playwright driving Debian's Chromium against the app served from this process.

Every page is checked with axe-core (WCAG 2.1 A/AA), must make no request outside 127.0.0.1 and must log no
console error (a CSP violation would be one). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from .conftest import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


class Checked:
    """A page that records every request and console error, and runs axe on demand."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self, name: str) -> None:
        """axe (WCAG 2.1 A/AA), no foreign request, no console error; then a screenshot."""
        self.page.wait_for_load_state("networkidle")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # evaluated by DevTools: not subject to CSP
        result = self.page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert result == [], f"{name}: {result}"
        foreign = [u for u in self.requests if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))]
        assert foreign == [], foreign
        expected = "the server responded with a status of 422"  # a form with errors is answered with 422 on purpose
        assert [e for e in self.errors if expected not in e] == [], self.errors

    def login(self, username: str) -> None:
        self.page.goto("/inloggen")
        self.page.fill("#username", username)
        self.page.fill("#password", "vangnet-demo-2026")
        self.page.click("button[type=submit] >> text=Inloggen")


@pytest.fixture
def checked(browser: Any, base_url: str) -> Iterator[Checked]:
    page = Checked(browser, base_url)
    yield page
    page.context.close()


def test_main_flow(checked: Checked) -> None:
    page = checked.page
    page.goto("/inloggen")
    checked.check("01-inloggen")
    checked.login("coordinator")
    page.click("a.vn-tab >> text=Teamtaken")
    page.wait_for_selector("table.vn-inbox")
    checked.check("02-teamtaken")
    first_row = page.locator("table.vn-inbox tbody tr").first
    reference = first_row.locator("td").nth(1).inner_text().strip()
    first_row.locator("button", has_text="Oppakken").click()
    page.wait_for_selector("text=Taak opgepakt.")
    page.click("a.vn-tab >> text=Mijn taken")
    page.locator("table.vn-inbox tbody tr").first.locator("td").nth(3).locator("a").click()
    page.wait_for_selector("text=Werkinstructie")
    checked.check("03-taak")
    page.check("#veld-prioriteit-1")
    page.click("button >> text=Afronden")
    page.wait_for_selector("#foutoverzicht:focus")  # the summary takes the focus once its script ran
    checked.check("04-taak-fouten")
    page.check("#veld-bekend_bij_coordinatiepunt-2")
    page.check("#veld-lopende_hulp-2")
    page.fill("#veld-aantal_minderjarigen", "2")
    page.fill("#veld-casemanager", "casemanager")
    page.click("button >> text=Afronden")
    page.wait_for_selector("text=afgerond")
    assert reference in page.title()
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator("#diagram .djs-element.vn-current").count() >= 1
    assert page.locator("#diagram .djs-element.vn-path").count() >= 1
    watermark = page.locator(".bjs-powered-by")
    assert watermark.is_visible()
    box = watermark.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    assert page.locator("h2#kop-taken + ul li").count() >= 1  # the next task is there
    checked.check("05-zaak")


def test_coordinator_reassigns(checked: Checked) -> None:
    page = checked.page
    checked.login("coordinator")
    page.goto("/taken?weergave=team")
    row = page.locator("table.vn-inbox tbody tr").first
    row.locator("select").select_option("casemanager")
    row.locator("button", has_text="Toewijzen").click()
    page.wait_for_selector("text=Taak toegewezen aan casemanager.")
    row = page.locator("table.vn-inbox tbody tr").first
    row.locator("select").select_option("coordinator")
    row.locator("button", has_text="Toewijzen").click()
    page.wait_for_selector("text=Taak toegewezen aan coordinator.")
    checked.check("06-toegewezen")


def _tab_to(page: Any, text: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate("document.activeElement.textContent || document.activeElement.value || ''"):
            return
    raise AssertionError(f"no focusable element with {text!r} reached by Tab")


def test_keyboard_only_flow(checked: Checked) -> None:
    page = checked.page
    page.goto("/inloggen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("utrecht-skip-link")
    for _ in range(5):  # past the brand link and the language switch
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    page.keyboard.type("vangnet-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/taken")
    _tab_to(page, "Teamtaken")
    page.keyboard.press("Enter")
    page.wait_for_url("**weergave=team")
    _tab_to(page, "Oppakken")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Taak opgepakt.")
    _tab_to(page, "Mijn taken")
    page.keyboard.press("Enter")
    page.wait_for_url("**weergave=mijn")
    _tab_to(page, "Triage")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Werkinstructie")
    _tab_to(page, "Afronden")
    page.keyboard.press("Enter")
    page.wait_for_selector("#foutoverzicht:focus")  # the summary takes the focus once its script ran
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
