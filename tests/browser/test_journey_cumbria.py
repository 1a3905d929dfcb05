"""Cumbria, end to end in a real browser: raised through the raise pages, walked through every stage by the
person the procedure names there, and resolved by the independent SCP member's decision; then feedback and
the raiser's answer.

Level 1 (the professionals involved, L19), Level 2 (line managers, L23), Level 3 (service leads, who record
the conflict on the child's file, L27-29), the Executive Manager/Lead (L31-33), then the formal process: the
Executive Lead's e-mail to the SCP Chair, the Chair names an SCP member from neither agency, whose decision
(within 7 working days, or 24 hours where it relates to child protection, L35) is final (L39). Every page is
reached by the links a person would follow, and looked at by axe-core (``seen``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, give_account
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import email_field, password_field
from tests.conftest import Cast, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# ---------------------------------------------------------------------------------------------- as a person does


def sign_in_as(page: Page, live_server: object, seen: Seen, person: Person, *, then: str, name: str) -> None:
    """Sign in as ``person`` (an account is made the first time), straight on to the page ``then``."""
    if person.user_id is None:
        give_account(person)
    page.context.clear_cookies()
    page.goto(f"{live_server}/sign-in/?next={quote(then)}")
    seen(page, f"sign-in-{name}")
    email_field(page).fill(person.email)
    password_field(page).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server}{then}")


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def follow(page: Page, seen: Seen, link: str, *, name: str, heading: str | None = None) -> None:
    """Follow a link from the disagreement's "What you can do" list to its action page."""
    with page.expect_navigation():
        page.locator("ul.actions").get_by_role("link", name=link, exact=True).click()
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    seen(page, name)


def send(page: Page, seen: Seen, button: str, *, name: str, banner: str) -> None:
    """Press the page's button and land on the disagreement's page with the success banner."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    seen(page, name)
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(banner)


def fill_when(page: Page, moment: datetime) -> None:
    """GOV.UK's date input with its time box."""
    local = timezone.localtime(moment)
    page.get_by_label("Day", exact=True).fill(str(local.day))
    page.get_by_label("Month", exact=True).fill(str(local.month))
    page.get_by_label("Year", exact=True).fill(str(local.year))
    page.get_by_label("Time", exact=True).fill(local.strftime("%H:%M"))


def continue_to(page: Page, seen: Seen, name: str, heading: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    seen(page, name)


def person_label(person: Person) -> str:
    """How a person reads in the record pages' choices: name, job title, agency."""
    assert person.agency is not None
    return f"{person.name}, {person.job_title}, {person.agency.name}"


def record_discussion(page: Page, seen: Seen, *, stage: str, with_person: Person, summary: str) -> None:
    follow(page, seen, "Record a discussion", name=f"discussion-{stage}", heading="Record a discussion")
    fill_when(page, timezone.now())
    page.get_by_label("By telephone").check()
    page.get_by_label(person_label(with_person)).check()
    page.get_by_label("What was discussed and agreed?").fill(summary)
    send(page, seen, "Save the discussion", name=f"discussed-{stage}", banner="The discussion has been recorded.")


def escalate(page: Page, seen: Seen, *, stage: str, next_stage: str, reason: str) -> None:
    follow(page, seen, "Escalate to the next stage", name=f"escalate-{stage}", heading="Escalate to the next stage")
    expect(main(page)).to_contain_text(f"Next stage: {next_stage}")
    page.get_by_label("Why does this need to go to the next stage?").fill(reason)
    send(
        page,
        seen,
        "Escalate the disagreement",
        name=f"escalated-to-{next_stage}",
        banner="The disagreement has been escalated to the next stage.",
    )
    expect(main(page)).to_contain_text(f"Current stage: {next_stage}")


def told(d: Disagreement) -> set[str]:
    return set(Notice.objects.filter(disagreement=d).values_list("to", flat=True))


def raise_cumbria(page: Page, live_server: object, seen: Seen, cast: Cast, *, child: str, urgent: bool) -> Disagreement:
    """The practitioner raises it through the raise pages, from My work to the confirmation."""
    practitioner = cast.at("school", 1)
    sign_in_as(page, live_server, seen, practitioner, then="/", name="practitioner")
    seen(page, "my-work")
    with page.expect_navigation():
        page.get_by_role("link", name="Raise a disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is the child safe now?")
    seen(page, "safe")
    page.get_by_label("Yes").check()
    continue_to(page, seen, "child", "What is the child's reference?")
    page.get_by_label("What is the child's reference?").fill(child)
    continue_to(page, seen, "agencies", "Which agency or agencies do you disagree with?")
    page.get_by_label("Children's Social Care").check()
    continue_to(page, seen, "people", "Who have you been dealing with there?")
    page.get_by_label(re.compile(r"^csc level 1,")).check()
    continue_to(page, seen, "category", "What is the disagreement about?")
    # Cumbria's policy does not cover the need for an initial conference: refused in its own words (L8)
    page.get_by_label("The need to convene an Initial Child Protection Conference").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("follow the child protection procedures")
    seen(page, "category-refused")
    category = (
        "There is disagreement as to whether the Child Protection Procedures should be invoked"
        if urgent
        else "A referral not considered to meet the threshold for assessment by Children's Social Care"
    )
    page.get_by_label(category).check()
    # Cumbria has one pathway: no question about which part of the procedure it follows
    continue_to(page, seen, "details", "About the disagreement")
    page.get_by_label("What do you expect the other agency to do?").fill("Assess the family.")
    page.get_by_label("Why do you believe").fill("The referral was judged below threshold.")
    page.get_by_label("What needs to be done?").fill("An assessment this week.")
    continue_to(page, seen, "urgency", "How urgent is it?")
    page.get_by_role("group", name="Is the child at risk of significant harm?").get_by_label("No").check()
    if urgent:
        page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("Yes").check()
        page.get_by_label("Formal process").check()
        page.get_by_label("Why does it need urgent resolution? (optional)").fill("Child protection enquiry today.")
        page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("Yes").check()
    else:
        page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("No").check()
        page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("No").check()
    continue_to(page, seen, "check", "Check your answers")
    expect(main(page)).to_contain_text(child)
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disagreement raised")
    seen(page, "raised")
    d = Disagreement.objects.get(child__reference=child)
    expect(page.locator(".govuk-panel")).to_contain_text(d.reference)
    expect(main(page)).to_contain_text("Who has been told")
    expect(main(page)).to_contain_text("What happens next")
    assert child not in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the disagreement").click()
    seen(page, "disagreement")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Disagreement {d.reference}")
    return d


# ---------------------------------------------------------------------------------------------- the journeys


def test_a_cumbria_disagreement_goes_through_every_level_to_the_scp_members_final_decision(
    page: Page, live_server: object, seen: Seen
) -> None:
    cast = build_cast("cumbria")
    d = raise_cumbria(page, live_server, seen, cast, child="CUM-CHILD-1", urgent=False)
    address = f"/disagreements/{d.pk}/"
    expect(main(page)).to_contain_text("Current stage: Level 1")
    expect(main(page)).to_contain_text("The procedure sets no timescale for this stage.")

    # Level 1: the professionals involved try discussion and negotiation; unable to agree, they report it (L19)
    record_discussion(
        page, seen, stage="level-1", with_person=cast.at("csc", 1), summary="We discussed the threshold; no agreement."
    )
    escalate(page, seen, stage="level-1", next_stage="Level 2", reason="We could not agree at front line level.")
    assert "line_managers" in told(d)  # "reported by them to their line managers" (L19)

    # Level 2: the school's line manager reviews it with the social worker's manager (L23)
    sign_in_as(page, live_server, seen, cast.at("school", 2), then=address, name="line-manager")
    seen(page, "disagreement-line-manager")
    expect(main(page)).to_contain_text("Current stage: Level 2")
    record_discussion(
        page, seen, stage="level-2", with_person=cast.at("csc", 2), summary="Reviewed the information; still disputed."
    )
    escalate(page, seen, stage="level-2", next_stage="Level 3", reason="Not resolved by the line managers.")

    # Level 3: the service lead; the procedure's "without delay" and "immediately" are shown in its words, and
    # the detail of the conflict must be on the child's file before it can go further (L27-29)
    sign_in_as(page, live_server, seen, cast.at("school", 3), then=address, name="service-lead")
    seen(page, "disagreement-service-lead")
    expect(main(page)).to_contain_text("Current stage: Level 3")
    expect(main(page)).to_contain_text("without delay")
    expect(main(page)).to_contain_text("immediately")
    follow(page, seen, "Escalate to the next stage", name="escalate-level-3-missing")
    expect(main(page).locator(".missing")).to_contain_text("The detail of the conflict and agreements reached")
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the disagreement").click()
    seen(page, "back-to-level-3")
    record_discussion(
        page,
        seen,
        stage="level-3",
        with_person=cast.at("csc", 3),
        summary="The conflict and what we agreed, recorded on the child's file.",
    )
    escalate(page, seen, stage="level-3", next_stage="Executive Manager/Lead", reason="The service leads disagree.")

    # The Executive Manager/Lead meets their equivalent in children's social care (L31-33)
    executive = cast.at("school", 4)
    sign_in_as(page, live_server, seen, executive, then=address, name="executive-lead")
    seen(page, "disagreement-executive-lead")
    expect(main(page)).to_contain_text("Current stage: Executive Manager/Lead")
    follow(page, seen, "Record a meeting", name="meeting", heading="Record a multi-agency meeting")
    fill_when(page, timezone.now())
    page.get_by_label("Who chaired it?").select_option(label=person_label(executive))
    page.get_by_role("group", name="Who attended?").get_by_label(person_label(cast.at("csc", 4))).check()
    page.get_by_label("Areas of discussion").fill("The threshold for assessment.")
    page.get_by_label("What is still disagreed").fill("Whether an assessment is needed.")
    page.get_by_label("What was agreed").fill("To activate the formal process.")
    page.get_by_label("Actions").fill("The Executive Lead e-mails the SCP Chair today.")
    send(page, seen, "Save the meeting record", name="met", banner="The meeting has been recorded.")
    follow(page, seen, "Escalate to the next stage", name="escalate-executive-lead")
    expect(main(page)).to_contain_text("Next stage: Formal process")
    expect(main(page).locator(".deadlines")).to_contain_text("7 working days")
    page.get_by_label("Why does this need to go to the next stage?").fill("No agreement between the executives.")
    send(
        page,
        seen,
        "Escalate the disagreement",
        name="escalated-to-formal-process",
        banner="The disagreement has been escalated to the next stage.",
    )
    expect(main(page)).to_contain_text("Current stage: Formal process")
    deadlines = main(page).locator("table.govuk-table")
    expect(deadlines).to_contain_text("Decision made by the SCP member")
    expect(deadlines).to_contain_text("7 working days")
    expect(deadlines).not_to_contain_text("24 hours")  # it does not relate to child protection
    assert {"scp-chair", "scp-business-manager"} <= told(d)  # the e-mail, copy the business manager (L37)

    # the Executive Lead's e-mail to the SCP Chair, copy the SCP Business Manager (L37)
    follow(page, seen, "Add another record (an executive summary, a written request or a pro-forma)", name="record")
    page.get_by_label("A written request").check()
    fill_when(page, timezone.now())
    page.get_by_label("Who was it sent to?").fill("The SCP Chair, copy the SCP Business Manager")
    page.get_by_label("What does it say?").fill("The issue, and what was done to resolve it at the informal stage.")
    send(page, seen, "Add the record", name="requested", banner="The record has been added.")

    # the Executive Manager/Lead applies a timescale no longer than 7 working days (L35)
    follow(
        page,
        seen,
        "Set an earlier deadline for this case",
        name="deadline",
        heading="Set an earlier deadline for this case",
    )
    expect(main(page)).to_contain_text("At the latest")
    due = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=17, minute=0, second=0, microsecond=0)
    fill_when(page, due)
    page.get_by_label("Why is this deadline right for the case?").fill("The assessment decision cannot wait a week.")
    send(page, seen, "Set the deadline", name="deadline-set", banner="The deadline for this case has been set.")
    deadlines = main(page).locator("table.govuk-table")
    expect(deadlines).to_contain_text(due.strftime("%a %-d %b %Y 17:00"))
    expect(deadlines).to_contain_text("The assessment decision cannot wait a week.")

    # the SCP Chair names an SCP member from neither agency (L39)
    chair = cast.role("scp-chair")
    reviewer = cast.at("police", 4)
    sign_in_as(page, live_server, seen, chair, then="/", name="scp-chair")
    seen(page, "my-work-scp-chair")
    notices = main(page).locator("table", has_text="Disagreement and stage")
    expect(notices).to_contain_text(d.reference)
    expect(notices).to_contain_text("By e-mail from the Executive Lead")
    with page.expect_navigation():
        main(page).get_by_role("link", name=re.compile(d.reference)).first.click()
    seen(page, "disagreement-scp-chair")
    expect(main(page)).to_contain_text("Current stage: Formal process")
    follow(page, seen, "Appoint an independent reviewer", name="reviewer", heading="Appoint an independent reviewer")
    chooser = page.get_by_label("Who is the independent reviewer?")
    expect(chooser.locator("option", has_text="(Children's Social Care)")).to_have_count(0)
    expect(chooser.locator("option", has_text="(Oakfield Primary School)")).to_have_count(0)
    chooser.select_option(label=f"{reviewer.name} (Police)")
    send(page, seen, "Appoint the reviewer", name="reviewer-named", banner="The independent reviewer has been named.")

    # the SCP member decides; the decision is final (L39)
    sign_in_as(page, live_server, seen, reviewer, then=address, name="scp-member")
    seen(page, "disagreement-scp-member")
    follow(
        page,
        seen,
        "Record the independent reviewer's decision",
        name="decision",
        heading="Record the independent reviewer's decision",
    )
    page.get_by_label("What is your decision?").fill("Children's Social Care assess the family this week.")
    page.get_by_label("What are the reasons for it?").fill("The referral meets the threshold.")
    send(page, seen, "Record the decision", name="decided", banner="The decision has been recorded.")
    # the decision is final: it closes the disagreement, with nothing more to press (L39)
    expect(main(page).locator(".summary")).to_contain_text("Resolved")
    expect(main(page).locator(".timeline")).to_contain_text("The independent reviewer's decision is final.")
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED
    assert d.closing_reason == "The independent reviewer's decision is final."
    assert [r.stage for r in d.stage_runs.order_by("position")] == [
        "level-1",
        "level-2",
        "level-3",
        "executive-lead",
        "formal-process",
    ]
    assert "partnership" in told(d)  # the business manager reports the formal use to the Partnership (L41)
    assert RecordEntry.objects.filter(disagreement=d, kind=RecordEntry.Kind.REVIEWER_DECISION).count() == 1

    # the Executive Lead gives the practitioner feedback; the practitioner accepts it
    sign_in_as(page, live_server, seen, executive, then=address, name="executive-lead-feedback")
    seen(page, "closed-executive-lead")
    follow(
        page,
        seen,
        "Give feedback to the person who raised it",
        name="feedback",
        heading="Give feedback to the person who raised it",
    )
    page.get_by_label("What has been done in response to the disagreement?").fill("An assessment has started.")
    send(
        page,
        seen,
        "Give feedback",
        name="feedback-given",
        banner="Your feedback has been given to the person who raised the disagreement.",
    )
    sign_in_as(page, live_server, seen, cast.at("school", 1), then=address, name="practitioner-answers")
    seen(page, "closed-practitioner")
    follow(
        page,
        seen,
        "Accept the outcome, or ask for it to go further",
        name="response",
        heading="Accept the outcome or ask for it to go further",
    )
    page.get_by_label("I accept it").check()
    send(page, seen, "Send your answer", name="answered", banner="Your answer has been recorded.")
    # answered, and feedback is not theirs to give: nothing is left for them to do here
    expect(page.get_by_role("link", name="Accept the outcome, or ask for it to go further")).to_have_count(0)
    expect(main(page).locator(".timeline")).to_contain_text("An assessment has started.")


def test_an_urgent_child_protection_cumbria_case_starts_at_the_formal_process_with_its_24_hour_clock(
    page: Page, live_server: object, seen: Seen
) -> None:
    """The pathway is the same; what differs is the clock: 24 hours where it relates to child protection, beside
    the 7 working days, and the earlier wins (L35). An urgent case may start at the formal process (L43)."""
    cast = build_cast("cumbria")
    d = raise_cumbria(page, live_server, seen, cast, child="CUM-CHILD-2", urgent=True)
    summary = main(page).locator(".summary")
    expect(summary).to_contain_text("Urgent")
    expect(summary).to_contain_text("Child protection")
    expect(summary).to_contain_text("Child protection enquiry today.")
    expect(main(page)).to_contain_text("Current stage: Formal process")
    run = d.stage_runs.get()
    assert run.stage == "formal-process"
    deadlines = main(page).locator("table.govuk-table")
    for timescale, rule in (("decision-child-protection", "24 clock hours"), ("decision", "7 working days")):
        due = run.governing_deadlines().get(timescale=timescale).due
        assert due is not None
        expect(deadlines).to_contain_text(timezone.localtime(due).strftime("%a %-d %b %Y %H:%M"))
        expect(deadlines).to_contain_text(rule)
    assert {"scp-chair", "scp-business-manager"} <= told(d)
    expect(page.locator(".stages")).to_contain_text("Not used: started at a later stage")
