"""One disagreement's page in a real browser: opened from the dashboard, checked by axe, on a phone too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import sign_in_with_the_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_opens_her_disagreement_from_the_dashboard_and_sees_its_stage_and_actions(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="DEMO-CHILD-001").first.click()
    # the short reference people read out on the telephone (the demo partnership's ESCP-2026-0001...)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Disagreement ESCP-\d{4}-\d{4}"))
    seen(page, "disagreement")
    main = page.get_by_role("main")
    expect(main).to_contain_text("DEMO-CHILD-001")  # the child's reference, in the summary
    sections = ("What you can do", "Stages", "Who is involved now", "Agreed actions", "Written outcomes", "Timeline")
    for heading in sections:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(main).to_contain_text("Current stage:")
    expect(main).to_contain_text("Who can act at this stage")
    expect(page.get_by_role("listitem").filter(has_text="Disagreement raised").first).to_be_visible()
    assert "DEMO-CHILD-001" not in page.url  # only the identifier is in the address
    page.set_viewport_size({"width": 320, "height": 640})
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"
