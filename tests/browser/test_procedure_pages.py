"""The procedure pages in a real browser: reached from the service navigation, a pathway step by step with its
flowchart, and the what-if of every deadline; checked by axe and on a 320 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import sign_in_with_the_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_practitioner_reads_the_procedure_and_a_pathway_with_its_flowchart(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Procedure").click()
    seen(page, "procedure")
    expect(page).to_have_url(f"{live_server}/procedure/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inter-agency Escalation and Resolution Protocol")
    fits_a_phone(page)
    with page.expect_navigation():
        page.get_by_role("link", name="The Escalation Process (§6)").click()
    seen(page, "procedure-pathway")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Escalation Process (§6)")
    chart = page.get_by_role("img", name="Flowchart of The Escalation Process (§6)")
    expect(chart).to_be_visible()
    expect(chart.locator("g.resolve-flowchart__stage")).to_have_count(4)
    expect(page.locator("#stages > li")).to_have_count(4)
    expect(page.get_by_role("main")).to_contain_text("Head of Service EH")
    fits_a_phone(page)
