"""Recording a discussion, proposing the outcome and confirming it, in a real browser, on an Enfield disagreement.

The demo's DEMO-CHILD-001 is at Enfield's Stage 1: the teacher who raised it records her discussion with the
social worker (a mistake first, so the error summary shows once), her Designated Safeguarding Lead (Stage 1's
level 2) proposes the written outcome, and the social worker's team manager confirms it for children's
social care.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo, username
from resolve.disagreements.models import Confirmation, Disagreement, RecordEntry, WrittenOutcome
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import email_field, password_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page: Page, live_server: object, seen: Seen, short: str, *, then: str) -> None:
    """Sign in as a demo person, straight on to the page ``then`` (an address on the site)."""
    page.context.clear_cookies()
    page.goto(f"{live_server}/sign-in/?next={quote(then)}")
    seen(page, f"sign-in-{short}")
    email_field(page).fill(username(short))
    password_field(page).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server}{then}")


def test_a_discussion_is_recorded_then_an_outcome_proposed_and_confirmed(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    d = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    base = f"/disagreements/{d.pk}"

    # the teacher records her telephone call, forgetting what was said at first
    sign_in_as(page, live_server, seen, "teacher", then=f"{base}/discussion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a discussion")
    seen(page, "discussion")
    held = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Time").fill(held.strftime("%H:%M"))
    page.get_by_label("By telephone").check()
    page.get_by_label("Erin Walsh, Social Worker, Children's Social Care").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the discussion").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what was discussed and agreed")
    assert page.title().startswith("Error: ")
    seen(page, "discussion-errors")
    expect(page.get_by_label("Erin Walsh, Social Worker, Children's Social Care")).to_be_checked()  # kept
    summary.get_by_role("link", name="Enter what was discussed and agreed").click()
    expect(page.get_by_label("What was discussed and agreed?")).to_be_focused()
    page.get_by_label("What was discussed and agreed?").fill("We agreed a home visit this week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_role("main")).to_contain_text("The discussion has been recorded.")
    seen(page, "disagreement-after-discussion")
    entry = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.DISCUSSION_NOTE)
    assert entry.data["summary"] == "We agreed a home visit this week."
    assert [p["name"] for p in entry.data["with_people"]] == ["Erin Walsh"]

    # her Designated Safeguarding Lead proposes the outcome
    sign_in_as(page, live_server, seen, "dsl", then=f"{base}/outcome/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a written outcome")
    seen(page, "propose")
    page.get_by_label("What has been agreed?").fill("A home visit on Monday; the team manager confirms by e-mail.")
    with page.expect_navigation():
        page.get_by_role("button", name="Propose the outcome").click()
    expect(page.get_by_role("main")).to_contain_text("The outcome has been proposed")
    seen(page, "disagreement-after-proposal")
    outcome = WrittenOutcome.objects.get(disagreement=d)

    # the social worker's team manager confirms it for children's social care
    sign_in_as(page, live_server, seen, "team-manager", then=f"{base}/outcome/{outcome.pk}/confirm/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm or dispute the outcome")
    main = page.get_by_role("main")
    expect(main).to_contain_text("A home visit on Monday; the team manager confirms by e-mail.")
    expect(main).to_contain_text("Oakfield Primary School (Ben Okafor")
    seen(page, "confirm")
    page.get_by_label("Yes, confirm it for my agency").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_role("main")).to_contain_text("Your agency's answer has been recorded.")
    seen(page, "disagreement-after-confirmation")
    assert set(Confirmation.objects.filter(outcome=outcome).values_list("agency__name", flat=True)) == {
        "Oakfield Primary School",
        "Children's Social Care",
    }
    assert "DEMO-CHILD-001" not in page.url
