"""Browser tests: Debian's Chromium driven by Playwright against the live server, with axe-core on every page.

Every page a test lands on must be looked at with ``seen(page, name)``: it runs axe-core (WCAG 2.2 A and
AA rules; any violation fails the test, listed by rule, impact and element), checks the page has one
``h1`` and one ``main`` and does not scroll sideways at 320 px wide, and saves screenshots at
desktop and mobile widths in ``var/screenshots/`` for a reviewer. A test that lands on a page it did not
look at fails at teardown, so no page escapes axe.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Frame, Page, ViewportSize, sync_playwright

CHROMIUM = Path(os.environ.get("RESOLVE_CHROMIUM", "/usr/bin/chromium"))
# Chromium as the CI runs it (root, no screen, no network beyond this machine).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = ViewportSize(width=1280, height=800)
MOBILE = ViewportSize(width=320, height=640)
#: what sticks out past the right edge of the screen (the innermost elements first), for a failure's message
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
  .slice(0, 5)
  .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(e.getBoundingClientRect().right)} px: `
    + (e.textContent || '').trim().slice(0, 60))"""
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}

Seen = Callable[[Page, str], None]


# One Chromium per test module, stopped when the module ends: Playwright's loop and the setting below must
# not outlive the browser tests (the deploy check refuses DJANGO_ALLOW_ASYNC_UNSAFE in a child process).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install Debian's (apt-get install -y chromium), as .ci/run does, "
            "or set RESOLVE_CHROMIUM to its path. Never a browser downloaded by Playwright."
        )
    # Playwright's sync API keeps an asyncio loop in this thread, so Django's check for database calls
    # made from async code would refuse the test's own set-up; the calls here are plain synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()  # axe-core 4.x, bundled in axe-playwright-python: nothing is fetched


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


class Navigations:
    """Counts the pages the tab landed on, and which of them were looked at."""

    def __init__(self, page: Page) -> None:
        self.landed: list[str] = []
        self.looked_at: set[int] = set()
        page.on("framenavigated", self._on_navigated)
        self._page = page

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self._page.main_frame:
            self.landed.append(frame.url)

    def unseen(self) -> list[str]:
        return [url for i, url in enumerate(self.landed) if i not in self.looked_at]


NAVIGATIONS: dict[Page, Navigations] = {}


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    NAVIGATIONS[tab] = Navigations(tab)
    yield tab
    unseen = NAVIGATIONS.pop(tab).unseen()
    context.close()
    assert not unseen, f"pages this test landed on but did not check with seen(): {unseen}"


def axe_report(violations: list[dict[str, object]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:  # type: ignore[attr-defined]
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '')!s}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture
def seen(axe: Axe, screenshots: Path, request: pytest.FixtureRequest) -> Seen:
    test = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)

    def look(tab: Page, name: str) -> None:
        tab.wait_for_load_state("load")
        results = axe.run(tab, options=AXE_OPTIONS)
        violations = results.response["violations"]
        assert not violations, f"axe-core found WCAG 2.2 A/AA violations on {name} ({tab.url}):\n" + axe_report(
            violations
        )
        assert tab.locator("h1").count() == 1, f"{name} ({tab.url}) must have exactly one h1"
        assert tab.locator("main").count() == 1, f"{name} ({tab.url}) must have one main landmark"
        viewport = tab.viewport_size or DESKTOP
        tab.screenshot(path=screenshots / f"{test}--{name}--desktop.png", full_page=True)
        tab.set_viewport_size(MOBILE)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        if wide > MOBILE["width"]:
            tab.screenshot(path=screenshots / f"{test}--{name}--320-too-wide.png", full_page=True)
        assert wide <= MOBILE["width"], (
            f"{name} ({tab.url}) scrolls sideways at 320 px: it is {wide} px wide; the widest: {tab.evaluate(WIDEST)}"
        )
        tab.screenshot(path=screenshots / f"{test}--{name}--320.png", full_page=True)
        tab.set_viewport_size(viewport)
        navigations = NAVIGATIONS[tab]
        navigations.looked_at.add(len(navigations.landed) - 1)

    return look
