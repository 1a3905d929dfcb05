"""Wider learning in a real browser: a demo handler records it on a resolved disagreement, then the demo
business unit sees the theme counted on the learning log and records what the practice-improvement group did.

The demo's DEMO-CHILD-003 was resolved at Enfield's Stage 1 by the police's Detective Sergeant (Kemi Bello),
who records the learning; Sam Taylor is the demo's business unit.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_SLUG, load_demo
from resolve.disagreements.models import Disagreement
from resolve.reports.models import LearningEntry, LearningResponse
from tests.browser.conftest import Seen
from tests.browser.test_records_and_outcomes import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_handler_records_wider_learning_and_the_business_unit_sees_it_and_records_what_was_done(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    d = Disagreement.objects.get(child__reference="DEMO-CHILD-003")
    sign_in_as(page, live_server, seen, "ds", then=f"/disagreements/{d.pk}/")
    seen(page, "learning-disagreement")
    with page.expect_navigation():
        page.get_by_role("link", name="Record wider learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record wider learning")
    seen(page, "learning-form")
    # nothing filled in: told what to record
    with page.expect_navigation():
        page.get_by_role("button", name="Record the learning").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record at least one of")
    seen(page, "learning-form-error")
    page.get_by_label("A training need (optional)").fill("Joint visits: who books them, and by when.")
    page.get_by_label("Information sharing").check()
    page.get_by_label("Understanding of roles").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the learning").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The wider learning has been recorded.")
    expect(page.locator(".learning-entry")).to_contain_text("Joint visits: who books them")
    seen(page, "learning-recorded")
    assert LearningEntry.objects.get(disagreement=d).themes.count() == 2

    # the business unit sees it counted, and records what the group did about information sharing
    log = f"/oversight/{DEMO_SLUG}/learning/"
    sign_in_as(page, live_server, seen, "business-unit", then=log)
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning log")
    row = page.locator("table.themes-over-time tr", has_text="Information sharing")
    expect(row.locator("td").last).to_have_text("1")
    expect(page.locator("table.learning-entries")).to_contain_text(d.reference)
    seen(page, "learning-log")
    with page.expect_navigation():
        page.locator(".theme-responses", has_text="Information sharing").get_by_role(
            "link", name="Record what was done"
        ).click()
    seen(page, "learning-respond")
    page.get_by_label("Training arranged").check()
    page.get_by_label("What was done or decided").fill("A joint-visits briefing for police and social care, in June.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record what was done").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("What the group did about Information sharing")
    expect(page.locator(".theme-responses", has_text="Information sharing")).to_contain_text("joint-visits briefing")
    seen(page, "learning-log-responded")
    assert LearningResponse.objects.get().kind == "training"
