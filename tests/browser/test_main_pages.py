"""The main pages, as the demo partnership's people see them: axe-core on each, screenshots for a reviewer.

``python3 dev.py screenshots`` runs this file alone and says where the screenshots are
(``var/screenshots/``, at 1280 and 320 px wide; never committed). It is part of the suite too, so a
main page that breaks its accessibility or its layout fails CI.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo
from resolve.disagreements.models import Disagreement
from tests.browser.conftest import Seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server: object, seen: Seen, who: str) -> None:
    page.goto(f"{live_server}/sign-in/")
    seen(page, "sign-in")
    page.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(f"{who}@demo.resolve.test")
    page.get_by_label(re.compile(r"^password$", re.IGNORECASE)).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My work")
    seen(page, f"my-work-{who}")


def visit(page: Page, seen: Seen, address: str, name: str, heading: str) -> None:
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    seen(page, name)


def test_a_practitioner_sees_the_main_pages(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    first = Disagreement.objects.filter(child__reference="DEMO-CHILD-001").get()
    sign_in(page, live_server, seen, "teacher")
    visit(page, seen, f"{live_server}/disagreements/", "disagreements", "Disagreements")
    visit(page, seen, f"{live_server}/disagreements/{first.pk}/", "disagreement", first.reference)
    visit(page, seen, f"{live_server}/disagreements/{first.pk}/discussion/", "record-a-discussion", "discussion")
    visit(page, seen, f"{live_server}/disagreements/{first.pk}/withdraw/", "withdraw", "Withdraw")
    visit(page, seen, f"{live_server}/raise/", "raise", "Is the child safe now?")
    visit(page, seen, f"{live_server}/procedure/", "procedure", "Protocol")
    page.get_by_role("main").get_by_role("link").first.click()
    page.wait_for_load_state()
    seen(page, "pathway")
    visit(page, seen, f"{live_server}/accessibility/", "accessibility", "Accessibility")
    page.goto(f"{live_server}/disagreements/00000000-0000-0000-0000-000000000000/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page not found")
    seen(page, "not-found")


def test_a_manager_and_the_business_unit_see_theirs(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    second = Disagreement.objects.filter(child__reference="DEMO-CHILD-002").get()
    sign_in(page, live_server, seen, "team-manager")
    visit(page, seen, f"{live_server}/disagreements/{second.pk}/", "disagreement-at-stage-2", second.reference)
    visit(page, seen, f"{live_server}/disagreements/{second.pk}/discussion/", "record-a-discussion", "discussion")
    page.context.clear_cookies()
    sign_in(page, live_server, seen, "head-of-service")  # Stage 2's level (4) in children's social care
    visit(page, seen, f"{live_server}/disagreements/{second.pk}/escalate/", "escalate", "Escalate")
    page.context.clear_cookies()
    sign_in(page, live_server, seen, "business-unit")
    visit(page, seen, f"{live_server}/oversight/", "oversight", "")
