"""The Disagreements page in a real browser: reached from the service navigation, filtered, checked by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import sign_in_with_the_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_finds_their_disagreements_from_the_navigation_and_filters_them(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Disagreements").click()
    seen(page, "disagreements")
    expect(page).to_have_url(f"{live_server}/disagreements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disagreements")
    expect(page.get_by_role("table")).to_contain_text("DEMO-CHILD-001")
    expect(page.get_by_role("main")).not_to_contain_text("DEMO-CHILD-004")  # not hers to see
    page.set_viewport_size({"width": 320, "height": 640})
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("All", exact=True).check()
    page.get_by_label("Sort by").select_option(label="Reference")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    seen(page, "disagreements-all")
    expect(page).to_have_url(re.compile(r"/disagreements/\?status=all&.*sort=reference"))
    expect(page.get_by_role("table")).to_contain_text("DEMO-CHILD-001")
    page.get_by_label("Reference or child's reference").fill("demo-child-001")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    seen(page, "disagreements-searched")
    assert "demo-child" not in page.url.lower()  # a child's reference is never put in the address
    expect(page.get_by_role("table")).to_contain_text("DEMO-CHILD-001")
    page.get_by_label("Category").select_option(value="case-closure")  # DEMO-CHILD-002: not hers
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    seen(page, "disagreements-case-closure")
    expect(page.get_by_role("main")).to_contain_text("There are no disagreements to show.")


def test_my_work_lists_the_practitioners_disagreement_under_raised_by_her(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("My work")
    expect(main.get_by_role("heading", name="Raised by you (1)")).to_be_visible()
    expect(main.get_by_role("table", name="Raised by you")).to_contain_text("DEMO-CHILD-001")
    expect(main.get_by_role("heading", name="Recently closed (0)")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_navigation():
        main.get_by_role("table", name="Raised by you").get_by_role("link", name="DEMO-CHILD-001").click()
    seen(page, "disagreement")
    expect(page.get_by_role("main")).to_contain_text("DEMO-CHILD-001")


def test_an_unknown_status_in_the_address_shows_the_error_summary(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    page.goto(f"{live_server}/disagreements/?status=shut")
    seen(page, "disagreements-bad-status")
    expect(page).to_have_title(re.compile(r"^Error: Disagreements"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose open, closed, resolved, withdrawn or all disagreements to show."
    )
