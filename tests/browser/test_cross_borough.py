"""A cross-borough disagreement in a real browser (Enfield section 9, L88-90), with axe-core on every page.

A teacher in Enfield raises a disagreement with the children's social care of a neighbouring
partnership on the same installation; her Designated Safeguarding Lead (stage 1's level 2) invites
that partnership's first line manager; the counterpart signs in, sees it and records a discussion.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.disagreements.models import Disagreement, Participant, RecordEntry
from resolve.partnerships.models import Person
from tests.browser.conftest import Seen
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "cross-borough-dispute-2026"  # a test account's


def sign_in(page: Page, live_server: object, seen: Seen, person: Person, name: str) -> None:
    page.context.clear_cookies()
    person.user = get_user_model().objects.create_user(username=person.email, email=person.email, password=PASSWORD)
    person.save()
    page.goto(f"{live_server}/sign-in/")
    seen(page, f"sign-in-{name}")
    page.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(person.email)
    page.get_by_label(re.compile(r"^password$", re.IGNORECASE)).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My work")
    seen(page, f"my-work-{name}")


def continue_to(page: Page, seen: Seen, name: str, heading: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    seen(page, name)


def test_a_practitioner_raises_with_another_partnership_whose_counterpart_is_invited_and_takes_part(
    page: Page, live_server: object, seen: Seen
) -> None:
    enfield, haringey = build_cast("enfield"), build_cast("enfield")
    haringey.partnership.name = "Haringey Safeguarding Children Partnership"
    haringey.partnership.save()
    their_csc = haringey.agencies["csc"]

    # the teacher raises it, choosing the other partnership's agency under its name
    sign_in(page, live_server, seen, enfield.at("school", 1), "teacher")
    page.goto(f"{live_server}/raise/")
    seen(page, "safe")
    page.get_by_label("Yes").check()
    continue_to(page, seen, "child", "What is the child's reference?")
    page.get_by_label("What is the child's reference?").fill("ENF-X-101")
    continue_to(page, seen, "agencies", "Which agency or agencies do you disagree with?")
    expect(page.get_by_role("heading", level=2, name=haringey.partnership.name)).to_be_visible()
    page.locator(f'input[value="{their_csc.pk}"]').check()
    continue_to(page, seen, "people", "Who have you been dealing with there?")
    page.get_by_label("I have not dealt with anyone there yet").check()
    continue_to(page, seen, "category", "What is the disagreement about?")
    page.get_by_label(re.compile(r"^The referral is judged not to meet the threshold")).check()
    continue_to(page, seen, "pathway", "Which part of the procedure does it follow?")
    continue_to(page, seen, "details", "About the disagreement")
    page.get_by_label("What do you expect the other agency to do?").fill("Assess the family.")
    page.get_by_label("Why do you believe").fill("The referral was judged below threshold.")
    page.get_by_label("What needs to be done?").fill("A strategy discussion.")
    continue_to(page, seen, "urgency", "How urgent is it?")
    page.get_by_role("group", name="Is the child at risk of significant harm?").get_by_label("No").check()
    page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("No").check()
    page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("No").check()
    continue_to(page, seen, "check", "Check your answers")
    expect(page.get_by_role("main")).to_contain_text(f"Children's Social Care ({haringey.partnership.name})")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disagreement raised")
    seen(page, "raised")
    d = Disagreement.objects.get()
    assert d.flags == ["cross-borough"]

    # her Designated Safeguarding Lead, at stage 1's level, invites the other partnership's line manager
    sign_in(page, live_server, seen, enfield.at("school", 2), "handler")
    page.goto(f"{live_server}/disagreements/{d.pk}/")
    seen(page, "disagreement-handler")
    with page.expect_navigation():
        page.get_by_role("link", name="Invite a counterpart from another partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a counterpart from another partnership")
    seen(page, "invite")
    counterpart = haringey.at("csc", 2)
    page.get_by_label("Who do you want to invite from the other partnership?").select_option(str(counterpart.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Invite them").click()
    expect(page.get_by_role("main")).to_contain_text("The counterpart has been invited")
    seen(page, "invited")
    assert d.participants.filter(person=counterpart, capacity=Participant.Capacity.COUNTERPART).exists()

    # the counterpart signs in: it is in their work, they open it and record their discussion
    sign_in(page, live_server, seen, counterpart, "counterpart")
    expect(page.get_by_role("main")).to_contain_text(d.reference)
    page.goto(f"{live_server}/disagreements/{d.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(d.reference)
    seen(page, "disagreement-counterpart")
    with page.expect_navigation():
        page.get_by_role("link", name="Record a discussion").click()
    seen(page, "discussion")
    held = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Time").fill(held.strftime("%H:%M"))
    page.get_by_label("By telephone").check()
    page.get_by_label("What was discussed and agreed?").fill("We will visit together this week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_role("main")).to_contain_text("The discussion has been recorded.")
    seen(page, "discussion-recorded")
    entry = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.DISCUSSION_NOTE)
    assert entry.author == counterpart
