"""An Enfield disagreement escalated stage by stage to Step 4 and resolved, through the pages, in a real browser.

The escalate page shows the next stage and its deadlines before each escalation; the records the
procedure requires at each stage (discussion notes, the executive summary, the written outcome) are
made through the services, as their pages are not these.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from tests.accounts.conftest import PASSWORD, give_account
from tests.browser.conftest import Seen
from tests.browser.test_signing_in import email_field, password_field
from tests.conftest import build_cast
from tests.disagreements.test_services import raise_one

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enfield_disagreement_is_escalated_to_step_4_and_resolved_through_the_pages(
    page: Page, live_server: object, seen: Seen
) -> None:
    cast = build_cast("enfield")
    d = raise_one(cast, pathway="escalation")
    head = give_account(cast.at("school", 5))  # the school's head acts at every stage (levels 2 to 4)
    other = cast.at("csc", 5)

    page.goto(f"{live_server}/sign-in/")
    seen(page, "sign-in")
    email_field(page).fill(head.email)
    password_field(page).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    seen(page, "dashboard")

    base = f"{live_server}/disagreements/{d.pk}"
    for stage, next_stage in (("Stage 1", "Stage 2"), ("Stage 2", "Stage 3"), ("Stage 3", "Step 4")):
        services.discussion_record(
            disagreement=d,
            by=head,
            held_at=datetime.now(LONDON),
            method="meeting",
            summary=f"Met at {stage}; still disputed.",
            with_people=[other],
        )
        page.goto(f"{base}/escalate/")
        seen(page, f"escalate-from-{stage}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Escalate to the next stage")
        main = page.get_by_role("main")
        expect(main).to_contain_text(f"Next stage: {next_stage}")
        expect(main).to_contain_text("Its deadlines, if it starts now")
        page.set_viewport_size({"width": 320, "height": 640})
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"the escalate page is {scroll_width} px wide on a {inner_width} px screen"
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_label("Why does this need to go to the next stage?").fill(f"Not resolved at {stage}.")
        with page.expect_navigation():
            page.get_by_role("button", name="Escalate the disagreement").click()
        seen(page, f"escalated-to-{next_stage}")
        expect(page.get_by_role("main")).to_contain_text("The disagreement has been escalated to the next stage.")
        expect(page.get_by_role("main")).to_contain_text(f"Current stage: {next_stage}")

    # Step 4 is the last: there is nowhere further to go
    page.goto(f"{base}/escalate/")
    seen(page, "escalate-at-step-4")
    expect(page.get_by_role("main")).to_contain_text("is the last stage of")

    # the resolve page names what is still required before the button
    page.goto(f"{base}/resolve/")
    seen(page, "resolve-missing")
    expect(page.get_by_role("main")).to_contain_text("Step 4 cannot be resolved yet. The procedure requires")
    services.record_add(
        disagreement=d,
        by=head,
        kind="executive_summary",
        occurred_at=datetime.now(LONDON),
        fields={"summary": "The concerns, and how they were resolved."},
    )
    outcome = services.outcome_propose(disagreement=d, by=head, text="An assessment starts on Monday.")
    services.outcome_confirm(outcome=outcome, by=other)
    page.goto(f"{base}/resolve/")
    seen(page, "resolve")
    with page.expect_navigation():
        page.get_by_role("button", name="Resolve the disagreement").click()
    seen(page, "resolved")
    expect(page.get_by_role("main")).to_contain_text("The disagreement has been resolved.")
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED
    assert [r.stage for r in d.stage_runs.order_by("position")] == ["stage-1", "stage-2", "stage-3", "step-4"]

    # feedback to the raiser is still possible once it is closed; a blank one shows the error summary
    page.goto(f"{base}/feedback/")
    seen(page, "feedback")
    with page.expect_navigation():
        page.get_by_role("button", name="Give feedback").click()
    seen(page, "feedback-error")
    expect(page).to_have_title(re.compile(r"^Error: Give feedback to the person who raised it"))
    page.get_by_label("What has been done in response to the disagreement?").fill("An assessment has started.")
    with page.expect_navigation():
        page.get_by_role("button", name="Give feedback").click()
    seen(page, "feedback-given")
    expect(page.get_by_role("main")).to_contain_text("Your feedback has been given")
