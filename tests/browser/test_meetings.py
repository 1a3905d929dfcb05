"""Scheduling a meeting in a real browser: the schedule page, then the disagreement's page listing it (axe on each).

The demo's DEMO-CHILD-001 is at Enfield's Stage 1: the teacher who raised it schedules a meeting with the
social worker (a mistake first, so the error summary shows once), and lands on the disagreement's page,
which lists the meeting with its time, place and who is invited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo
from resolve.disagreements.models import Disagreement, Meeting
from tests.browser.conftest import Seen
from tests.browser.test_records_and_outcomes import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_is_scheduled_and_listed_on_the_disagreements_page(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    d = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    base = f"/disagreements/{d.pk}"

    sign_in_as(page, live_server, seen, "teacher", then=f"{base}/meetings/schedule/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")
    seen(page, "schedule")
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=14, minute=0)
    page.get_by_label("Meeting", exact=True).check()
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Time").fill("14:00")
    page.get_by_label("1 hour", exact=True).check()
    page.get_by_label("Erin Walsh, Social Worker, Children's Social Care").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule the meeting and send the invitations").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter where the meeting is, or how to join it")
    seen(page, "schedule-errors")
    expect(page.get_by_label("Erin Walsh, Social Worker, Children's Social Care")).to_be_checked()  # kept
    summary.get_by_role("link", name="Enter where the meeting is, or how to join it").click()
    expect(page.get_by_label("Where is it, or how do people join?")).to_be_focused()
    page.get_by_label("Where is it, or how do people join?").fill("Video call: the link is in the invitation")
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule the meeting and send the invitations").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("The meeting has been scheduled")
    expect(page.locator(".meetings")).to_contain_text("2:00pm to 3:00pm")
    expect(page.locator(".meetings")).to_contain_text("Erin Walsh")
    seen(page, "disagreement-with-meeting")
    meeting = Meeting.objects.get(disagreement=d)
    assert meeting.place == "Video call: the link is in the invitation"
    assert timezone.localtime(meeting.starts_at).hour == 14
