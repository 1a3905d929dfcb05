"""The procedure pages in a real browser: reached from the service navigation, a pathway step by step with its
flowchart, and the what-if of every deadline; checked by axe and on a 320 px screen."""

from __future__ import annotations

import re

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


def test_the_what_if_gives_every_deadline_and_bad_input_shows_the_error_summary(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    page.goto(f"{live_server}/procedure/escalation/")
    seen(page, "procedure-pathway")
    form = page.locator("#what-if")
    form.get_by_label("Day").fill("21")
    form.get_by_label("Month").fill("12")
    form.get_by_label("Year").fill("2026")
    form.get_by_label("Time").fill("25:00")
    with page.expect_navigation():
        form.get_by_role("button", name="Show the deadlines").click()
    seen(page, "procedure-what-if-error")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter the time as hours and minutes")
    form.get_by_label("Time").fill("10:00")
    form.get_by_label("The child is subject to child protection procedures").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Show the deadlines").click()
    seen(page, "procedure-what-if")
    results = page.locator("#what-if")
    expect(results).to_contain_text("Deadlines for a disagreement raised on Monday 21 December 2026, 10:00")
    # Enfield L68: 5 working days from stage 1, over Christmas: 22, 23, 24, 29, 30 December
    expect(results).to_contain_text("Wednesday 30 December 2026, 17:00")
    expect(results).to_contain_text("5 working days from the start of Stage 1")
    fits_a_phone(page)
