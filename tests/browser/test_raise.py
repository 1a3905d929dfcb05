"""Raising a disagreement in a real browser, page by page, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person
from tests.browser.conftest import Seen
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "raise-a-disagreement-2026"  # a test account's


def sign_in(page: Page, live_server: object, seen: Seen, person: Person) -> None:
    person.user = get_user_model().objects.create_user(username=person.email, email=person.email, password=PASSWORD)
    person.save()
    page.goto(f"{live_server}/sign-in/")
    seen(page, "sign-in")
    page.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(person.email)
    page.get_by_label(re.compile(r"^password$", re.IGNORECASE)).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    seen(page, "my-work")


def continue_to(page: Page, seen: Seen, name: str, heading: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    seen(page, name)


def test_a_teacher_raises_an_enfield_disagreement_from_the_first_question_to_the_confirmation(
    page: Page, live_server: object, seen: Seen
) -> None:
    cast = build_cast("enfield")
    counterpart = cast.at("csc", 1)
    counterpart.phone = "020 7946 0456"
    counterpart.save()
    sign_in(page, live_server, seen, cast.at("school", 1))
    with page.expect_navigation():
        page.get_by_role("link", name="Raise a disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is the child safe now?")
    seen(page, "safe")
    # nothing chosen: the error summary, and the title says so
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Select yes if the child is safe now")
    seen(page, "safe-error")
    page.get_by_label("No").check()
    continue_to(page, seen, "child", "What is the child's reference?")
    expect(page.get_by_role("main")).to_contain_text("The procedure's urgent route applies")
    expect(page.get_by_role("main")).to_contain_text("020 8379 1000")  # Enfield's duty team (L105)
    page.get_by_label("What is the child's reference?").fill("ENF-2026-777")
    continue_to(page, seen, "agencies", "Which agency or agencies do you disagree with?")
    page.get_by_label("Children's Social Care").check()
    continue_to(page, seen, "people", "Who have you been dealing with there?")
    page.get_by_label(re.compile(r"^csc level 1,")).check()
    continue_to(page, seen, "category", "What is the disagreement about?")
    # a category the procedure excludes is refused in its own words
    page.get_by_label(re.compile(r"^Concerns about the behaviour or conduct")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Whistleblowing Policy")
    seen(page, "category-refused")
    page.get_by_label(re.compile(r"^The referral is judged not to meet the threshold")).check()
    continue_to(page, seen, "pathway", "Which part of the procedure does it follow?")
    expect(page.get_by_label(re.compile(r"escalation", re.IGNORECASE)).first).to_be_checked()
    continue_to(page, seen, "details", "About the disagreement")
    expect(page.get_by_role("main")).to_contain_text("020 7946 0456")  # the counterpart's number
    page.get_by_label("What do you expect the other agency to do?").fill("Assess the family.")
    page.get_by_label("Why do you believe").fill("The referral was judged below threshold.")
    page.get_by_label("What needs to be done?").fill("A strategy discussion today.")
    continue_to(page, seen, "urgency", "How urgent is it?")
    page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("No").check()
    page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("No").check()
    continue_to(page, seen, "check", "Check your answers")
    main = page.get_by_role("main")
    expect(main).to_contain_text("ENF-2026-777")
    expect(main).to_contain_text("020 7946 0456")
    assert "ENF-2026-777" not in page.url
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Change what needs to be done")).click()
    seen(page, "change-details")
    page.get_by_label("What needs to be done?").fill("A strategy discussion this afternoon.")
    continue_to(page, seen, "check-again", "Check your answers")
    expect(main).to_contain_text("A strategy discussion this afternoon.")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the disagreement").click()
    d = Disagreement.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disagreement raised")
    seen(page, "raised")
    expect(page.locator(".govuk-panel")).to_contain_text(d.reference)
    expect(main).to_contain_text("Who has been told")
    expect(main).to_contain_text("What happens next")
    assert d.significant_harm is True  # suggested by "not safe now", and kept
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the disagreement").click()
    seen(page, "disagreement")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Disagreement {d.reference}")
    expect(page.get_by_role("main")).to_contain_text("ENF-2026-777")  # the child's reference, in the summary


def test_a_practitioner_raises_nels_equally_divided_conference(page: Page, live_server: object, seen: Seen) -> None:
    cast = build_cast("north-east-lincolnshire")
    sign_in(page, live_server, seen, cast.at("health", 1))
    page.goto(f"{live_server}/raise/")
    seen(page, "safe")
    page.get_by_label("Yes").check()
    continue_to(page, seen, "child", "What is the child's reference?")
    page.get_by_label("What is the child's reference?").fill("NEL-CHILD-9")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2019")
    continue_to(page, seen, "agencies", "Which agency or agencies do you disagree with?")
    page.get_by_label("Children's Social Care").check()
    continue_to(page, seen, "people", "Who have you been dealing with there?")
    page.get_by_label("I have not dealt with anyone there yet").check()
    continue_to(page, seen, "category", "What is the disagreement about?")
    page.get_by_label(re.compile(r"equally divided", re.IGNORECASE)).check()
    continue_to(page, seen, "pathway", "Which part of the procedure does it follow?")
    expect(page.get_by_label(re.compile(r"equally divided view", re.IGNORECASE))).to_be_checked()
    continue_to(page, seen, "details", "About the disagreement")
    page.get_by_label("What do you expect the other agency to do?").fill("Reconvene the conference.")
    page.get_by_label("Why do you believe").fill("The conference was equally divided.")
    page.get_by_label("What needs to be done?").fill("Re-evaluate the evidence.")
    continue_to(page, seen, "urgency", "How urgent is it?")
    page.get_by_role("group", name="Is the child at risk of significant harm?").get_by_label("No").check()
    page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("No").check()
    page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("Yes").check()
    page.get_by_label("Initial child protection conference").check()
    continue_to(page, seen, "check", "Check your answers")
    expect(page.get_by_role("main")).to_contain_text("Initial child protection conference")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disagreement raised")
    seen(page, "raised")
    d = Disagreement.objects.get()
    assert d.pathway == "conference-equally-divided"
    assert d.conference_kind == "initial"
    assert d.reference.startswith(cast.partnership.reference_letters)
    main = page.get_by_role("main")
    expect(main).to_contain_text(d.reference)
    expect(main).to_contain_text("15 working days")  # the adjournment's cap, with its rule (L159)
