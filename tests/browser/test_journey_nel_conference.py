"""North East Lincolnshire's differences during a child protection conference, equally divided, end to end in a
real browser (section 3, L157-183).

A health visitor raises it through the raise pages on the conference pathway, giving when the initial conference
was adjourned. The conference chair records the equally divided view on the conference page, which shows the
adjournment, the reconvene date with its rule (at most 15 working days, L159) and the child's plan meanwhile (made
subject of a plan pending the reconvened conference, L167). The line managers confirm in writing the nature of the
disagreement (L163); the reconvened conference cannot reach a unanimous or majority view, so it passes to the
Deputy Service Director (A, L171), then the multi-agency review (B, L173-179), then the safeguarding partners (C,
L181-183), who resolve it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.disagreements.models import Disagreement, RecordEntry
from resolve.partnerships.models import Person
from tests.browser.conftest import Seen
from tests.browser.test_journey_cumbria import (
    continue_to,
    escalate,
    fill_when,
    follow,
    main,
    person_label,
    send,
    sign_in_as,
    told,
)
from tests.conftest import Cast, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGE_ADJOURNMENT = "Equally divided view in a child protection conference (adjournment)"
STAGE_A = "A. Deputy Service Director Practice Standards and Principal Social Worker to Senior Manager"


def propose_and_confirm(
    page: Page, live_server: object, seen: Seen, *, ours: Person, theirs: Person, text: str, stage: str
) -> None:
    """Written confirmation between the parties: one proposes it, the other agency confirms it."""
    address = page.url.removeprefix(str(live_server))
    follow(page, seen, "Propose a written outcome", name=f"propose-{stage}", heading="Propose a written outcome")
    page.get_by_label("What has been agreed?").fill(text)
    send(page, seen, "Propose the outcome", name=f"proposed-{stage}", banner="The outcome has been proposed")
    sign_in_as(page, live_server, seen, theirs, then=address, name=f"confirm-{stage}")
    seen(page, f"disagreement-confirm-{stage}")
    follow(
        page,
        seen,
        "Confirm or dispute the proposed outcome for your agency",
        name=f"confirm-{stage}",
        heading="Confirm or dispute the outcome",
    )
    expect(main(page)).to_contain_text(text)
    page.get_by_label("Yes, confirm it for my agency").check()
    send(page, seen, "Send your answer", name=f"confirmed-{stage}", banner="Your agency's answer has been recorded.")
    del ours  # named for the reader: the page shows who proposed it


def raise_on_the_conference_pathway(page: Page, live_server: object, seen: Seen, cast: Cast) -> Disagreement:
    sign_in_as(page, live_server, seen, cast.at("health", 1), then="/raise/", name="health-visitor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is the child safe now?")
    seen(page, "safe")
    page.get_by_label("Yes").check()
    continue_to(page, seen, "child", "What is the child's reference?")
    page.get_by_label("What is the child's reference?").fill("NEL-CONF-7")
    continue_to(page, seen, "agencies", "Which agency or agencies do you disagree with?")
    page.get_by_label("Children's Social Care").check()
    continue_to(page, seen, "people", "Who have you been dealing with there?")
    page.get_by_label(re.compile(r"^csc level 1,")).check()
    continue_to(page, seen, "category", "What is the disagreement about?")
    page.get_by_label(re.compile(r"equally divided view", re.IGNORECASE)).check()
    continue_to(page, seen, "pathway", "Which part of the procedure does it follow?")
    expect(page.get_by_label(re.compile(r"equally divided view", re.IGNORECASE))).to_be_checked()
    continue_to(page, seen, "details", "About the disagreement")
    page.get_by_label("What do you expect the other agency to do?").fill("Reassess the evidence before reconvening.")
    page.get_by_label("Why do you believe").fill("Half the conference saw no need for a plan.")
    page.get_by_label("What needs to be done?").fill("A plan, and the conference reconvened.")
    continue_to(page, seen, "urgency", "How urgent is it?")
    page.get_by_role("group", name="Is the child at risk of significant harm?").get_by_label("No").check()
    page.get_by_role("group", name="Does it need urgent resolution?").get_by_label("No").check()
    page.get_by_role("group", name="Is the child subject of a child protection plan?").get_by_label("Yes").check()
    page.get_by_label("Initial child protection conference").check()
    # the conference was adjourned yesterday afternoon: the 15 working days count from then (L159)
    adjourned = timezone.localtime(timezone.now() - timedelta(days=1)).replace(hour=14, minute=0)
    fill_when(page, adjourned)
    continue_to(page, seen, "check", "Check your answers")
    expect(main(page)).to_contain_text("Initial child protection conference")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disagreement raised")
    seen(page, "raised")
    d = Disagreement.objects.get(child__reference="NEL-CONF-7")
    expect(page.locator(".govuk-panel")).to_contain_text(d.reference)
    expect(main(page)).to_contain_text("15 working days")
    expect(main(page)).to_contain_text("Who has been told")
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the disagreement").click()
    seen(page, "disagreement")
    run = d.stage_runs.get()
    assert timezone.localtime(run.started_at).strftime("%d %m %H:%M") == adjourned.strftime("%d %m %H:%M")
    return d


def test_nels_equally_divided_conference_is_adjourned_reconvened_and_goes_on_to_the_safeguarding_partners(
    page: Page, live_server: object, seen: Seen
) -> None:
    cast = build_cast("north-east-lincolnshire")
    d = raise_on_the_conference_pathway(page, live_server, seen, cast)
    address = f"/disagreements/{d.pk}/"
    expect(main(page)).to_contain_text(f"Current stage: {STAGE_ADJOURNMENT}")
    reconvene = d.stage_runs.get().governing_deadlines().get(timescale="reconvene")
    assert reconvene.due is not None
    due = timezone.localtime(reconvene.due).strftime("%a %-d %b %Y %H:%M")
    deadlines = main(page).locator("table.govuk-table")
    expect(deadlines).to_contain_text("Conference reconvened (adjournment not exceeding 15 working days)")
    expect(deadlines).to_contain_text(due)
    expect(deadlines).to_contain_text("15 working days")
    assert "line_managers" in told(d)  # "Staff will inform their line manager" (L161)

    # the conference chair records the equally divided view on the conference page
    chair = cast.role("conference-chair")
    sign_in_as(page, live_server, seen, chair, then=address, name="conference-chair")
    seen(page, "disagreement-conference-chair")
    follow(page, seen, "Record the conference's view", name="conference", heading="Record the conference's view")
    shown = main(page).locator("dl.conference")
    expect(shown).to_contain_text("Initial child protection conference")
    expect(shown.locator(".adjourned")).to_contain_text(
        timezone.localtime(d.stage_runs.get().started_at).strftime("%-d %B %Y 14:00")
    )
    expect(shown.locator(".reconvene")).to_contain_text(due)
    expect(shown.locator(".reconvene")).to_contain_text("15 working days")
    expect(shown.locator(".plan-for-child")).to_have_text(
        "For this child: made subject of a child protection plan pending the reconvened conference."
    )
    expect(shown.locator(".plan")).to_contain_text("will be made subject of a child protection plan")
    expect(page.get_by_label("Equally divided")).to_be_checked()  # the only view an adjournment has (L159)
    fill_when(page, d.stage_runs.get().started_at)
    page.get_by_label("What did the conference decide?").fill("Adjourned, equally divided; to reconvene.")
    send(
        page,
        seen,
        "Record the conference's view",
        name="conference-recorded",
        banner="The conference's view has been recorded.",
    )
    record = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.CONFERENCE_RECORD)
    assert record.data["view"] == "equally_divided"

    # the line managers confirm in writing the nature of the disagreement and how it will be pursued (L163)
    health_manager, csc_manager = cast.at("health", 2), cast.at("csc", 2)
    sign_in_as(page, live_server, seen, health_manager, then=address, name="health-line-manager")
    seen(page, "disagreement-health-line-manager")
    propose_and_confirm(
        page,
        live_server,
        seen,
        ours=health_manager,
        theirs=csc_manager,
        text="We disagree on the need for a plan; the evidence is re-evaluated before the reconvened conference.",
        stage="adjournment",
    )
    # the chair reconvenes the conference, which met this morning at 09:30 (or a few minutes ago, when the
    # test runs before then: a start in the future is refused)
    sign_in_as(page, live_server, seen, chair, then=address, name="chair-reconvenes")
    seen(page, "disagreement-chair-reconvenes")
    follow(page, seen, "Escalate to the next stage", name="escalate-adjournment")
    expect(main(page)).to_contain_text("Next stage: Reconvened conference")
    now = timezone.localtime(timezone.now())
    met = min(now.replace(hour=9, minute=30), now - timedelta(minutes=5))
    fill_when(page, met)
    page.get_by_label("Why does this need to go to the next stage?").fill("The conference is reconvened.")
    send(
        page,
        seen,
        "Escalate the disagreement",
        name="reconvened",
        banner="The disagreement has been escalated to the next stage.",
    )
    expect(main(page)).to_contain_text("Current stage: Reconvened conference")
    assert "parties" in told(d)  # "each agency consulted to reach a consensus" (L165)

    # the reconvened conference cannot reach a unanimous or majority view (L171)
    follow(
        page, seen, "Record the conference's view", name="reconvened-conference", heading="Record the conference's view"
    )
    expect(main(page).locator("dl.conference .adjourned")).to_be_visible()
    page.get_by_label("Equally divided").check()
    fill_when(page, met)
    page.get_by_label("What did the conference decide?").fill("Still equally divided; the plan continues.")
    send(
        page,
        seen,
        "Record the conference's view",
        name="reconvened-recorded",
        banner="The conference's view has been recorded.",
    )
    escalate(page, seen, stage="reconvened", next_stage=STAGE_A, reason="No unanimous or majority view.")
    assert "deputy-service-director" in told(d)  # "passed to the Deputy Service Director" (L171)

    # A: the Deputy Service Director considers it with the senior managers; unresolved, a multi-agency review (B)
    deputy = cast.role("deputy-service-director")
    sign_in_as(page, live_server, seen, deputy, then=address, name="deputy-service-director")
    seen(page, "disagreement-deputy-service-director")
    expect(main(page)).to_contain_text(f"Current stage: {STAGE_A}")
    escalate(
        page,
        seen,
        stage="a",
        next_stage="B. Multi agency review of the case",
        reason="The senior managers still disagree.",
    )
    senior_health, senior_csc = cast.at("health", 3), cast.at("csc", 3)
    follow(page, seen, "Record a meeting", name="meeting", heading="Record a multi-agency meeting")
    fill_when(page, timezone.now())
    page.get_by_label("Who chaired it?").select_option(label=person_label(senior_csc))
    attended = page.get_by_role("group", name="Who attended?")
    attended.get_by_label(person_label(senior_health)).check()
    attended.get_by_label(person_label(senior_csc)).check()
    page.get_by_label("Areas of discussion").fill("The evidence for a plan.")
    page.get_by_label("What is still disagreed").fill("Whether the plan should continue.")
    page.get_by_label("What was agreed").fill("To refer it to the safeguarding partners.")
    page.get_by_label("Actions").fill("The senior managers refer it today.")
    send(page, seen, "Save the meeting record", name="met", banner="The meeting has been recorded.")
    escalate(
        page,
        seen,
        stage="b",
        next_stage="C. Safeguarding Partners and Independent Scrutiny Officer",
        reason="Unresolved after the multi-agency review.",
    )
    assert "safeguarding-partners" in told(d)  # for their discussion and resolution (L183)

    # C: the safeguarding partners decide; both agencies confirm it in writing, and the partners resolve it
    sign_in_as(page, live_server, seen, senior_health, then=address, name="senior-health")
    seen(page, "disagreement-senior-health")
    propose_and_confirm(
        page,
        live_server,
        seen,
        ours=senior_health,
        theirs=senior_csc,
        text="The safeguarding partners decided: the plan continues for three months, then a review conference.",
        stage="c",
    )
    partners = cast.role("safeguarding-partners")
    sign_in_as(page, live_server, seen, partners, then=address, name="safeguarding-partners")
    seen(page, "disagreement-safeguarding-partners")
    follow(page, seen, "Resolve the disagreement", name="resolve", heading="Resolve the disagreement")
    send(page, seen, "Resolve the disagreement", name="resolved", banner="The disagreement has been resolved.")
    expect(main(page).locator(".summary")).to_contain_text("Resolved")
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED
    assert [r.stage for r in d.stage_runs.order_by("position")] == [
        "adjournment",
        "reconvened",
        "a-deputy-service-director",
        "b-multi-agency-review",
        "c-safeguarding-partners",
    ]
