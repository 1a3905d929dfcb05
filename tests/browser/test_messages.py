"""The messages pages in a browser: a practitioner's own messages and digest choice, an administrator's "Send again".

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo, username
from resolve.disagreements.models import Disagreement
from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in
from tests.notifications.written import message_to, notice_about

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_messages() -> tuple[Person, Disagreement, Message]:
    """The demo's teacher with a message sent, one being retried and one that failed; the business unit administers."""
    load_demo()
    first = Disagreement.objects.filter(child__reference="DEMO-CHILD-001").get()
    teacher = Person.objects.get(email=username("teacher"))
    now = timezone.now()
    body = (
        f"Disagreement {first.reference} was raised with your agency.\n\n"
        f"Open it: http://testserver/disagreements/{first.pk}/ (a long address, which must not widen the page)"
    )
    message_to(
        teacher,
        notice_about(first),
        minutes_ago=90,
        subject=f"{first.reference}: a disagreement was raised",
        body=body,
        status=Message.Status.SENT,
        sent_at=now - timedelta(minutes=89),
    )
    message_to(
        teacher,
        notice_about(first, what="A meeting was moved."),
        minutes_ago=30,
        attempts=2,
        next_attempt_at=now + timedelta(minutes=30),
        last_error="The mail server answered 451",
    )
    failed = message_to(
        teacher,
        notice_about(first, what="A deadline was missed."),
        minutes_ago=10,
        status=Message.Status.FAILED,
        attempts=6,
        last_error="The mail server refused the address",
    )
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    unit.partnership.administrators.add(unit.user)
    return teacher, first, failed


def test_a_practitioner_reads_their_messages_and_chooses_a_daily_digest(
    page: Page, live_server: object, seen: Seen
) -> None:
    teacher, first, _failed = demo_messages()
    sign_in(page, live_server, seen, "teacher")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages sent to you")
    seen(page, "messages")
    expect(page.get_by_role("main")).to_contain_text("Being retried: attempt 3 of 6")
    page.get_by_label("A daily digest at the start of each working day").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save your choice").click()
    expect(page.get_by_role("alert")).to_contain_text("You will get a daily digest")
    seen(page, "messages-digest-chosen")
    teacher.refresh_from_db()
    assert teacher.daily_digest is True
    page.get_by_role("link", name=f"{first.reference}: a disagreement was raised").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("a disagreement was raised")
    expect(page.get_by_role("main")).to_contain_text("was raised with your agency")
    seen(page, "message")


def test_an_administrator_sends_a_failed_message_again(page: Page, live_server: object, seen: Seen) -> None:
    _teacher, first, failed = demo_messages()
    sign_in(page, live_server, seen, "business-unit")
    page.get_by_role("link", name="Messages not sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages not sent")
    seen(page, "messages-not-sent")
    expect(page.get_by_role("main")).to_contain_text("The mail server refused the address")
    with page.expect_navigation():
        page.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("alert")).to_contain_text(f"The message about {first.reference} will be sent again now.")
    seen(page, "messages-not-sent-sent-again")
    failed.refresh_from_db()
    assert failed.status == Message.Status.PENDING
