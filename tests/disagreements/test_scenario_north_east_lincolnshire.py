"""North East Lincolnshire: all four categories (five stage sequences) walked stage by stage.

NEL sets no timescale for its stages; its two computable rules are significant harm (escalated the
same working day, L36) and the equally divided conference's adjournment of at most 15 working days
(L159). Its urgent start carries the telephone-first duty (L34) as an instruction, never a date.
Hand-computed against England's bank holidays: 25 and 28 December 2026, 1 January 2027.
"""

from __future__ import annotations

import pytest

from resolve.audit.models import Event, Verb
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(cast_for, time_machine) -> Walker:
    return Walker(cast_for("north-east-lincolnshire"), time_machine)


def test_individual_case_with_significant_harm_raised_on_boxing_day(walker: Walker) -> None:
    # L36: the only significant-harm deadline any seed states; the walk checks it on the first stage
    walker.walk(
        Step("a-practitioner", "2026-12-26T09:00", {"significant-harm": "2026-12-29 17:00"}),
        Step("b-line-manager", "2026-12-29T11:00", {}),
        Step("c-senior-manager", "2026-12-30T11:00", {}),
        Step("d-multi-agency-review", "2027-01-04T11:00", {}),
        Step("e-safeguarding-partners", "2027-01-05T11:00", {}),
        resolve_at="2027-01-06T11:00",
        pathway="individual-cases",
        significant_harm=True,
    )


def test_significant_harm_shows_how_to_escalate_beside_its_same_working_day_deadline_l36(walker: Walker) -> None:
    walker.raise_("2026-12-26T09:00", pathway="individual-cases", significant_harm=True)
    assert walker.dated() == {"significant-harm": "2026-12-29 17:00"}
    assert "using their own agency's safeguarding procedures" in walker.instructions()["L36-39"]


def test_urgent_start_at_senior_manager_level_tells_the_raiser_to_telephone_first_l34(walker: Walker) -> None:
    run = walker.raise_(
        "2026-12-21T10:00",
        pathway="individual-cases",
        urgent=True,
        start_stage="c-senior-manager",
        urgent_reason="The child is to be discharged today.",
    )
    assert run.stage == "c-senior-manager"
    assert walker.dated() == {}  # NEL gives the stage no timescale: the duty is an instruction, not a date
    assert "by telephone rather than awaiting a response to an email" in walker.instructions()["L34"]
    walker.escalate(Step("d-multi-agency-review", "2026-12-22T10:00", {}))
    assert walker.instructions() == {}  # shown where the urgent start is, not on every later stage


def test_convening_a_child_protection_conference(walker: Walker) -> None:
    walker.walk(
        Step("a-service-manager", "2026-12-21T10:00", {}),
        Step("b-deputy-service-director", "2026-12-22T10:00", {}),
        Step("c-multi-agency-review", "2026-12-23T10:00", {}),
        Step("d-safeguarding-partners", "2026-12-24T10:00", {}),
        resolve_at="2026-12-29T10:00",
        pathway="convening-conference",
    )


def test_conference_majority_view_stands_while_the_minority_escalates(walker: Walker) -> None:
    walker.walk(
        Step("majority-decision", "2026-12-21T10:00", {}),
        Step("a-line-manager", "2026-12-21T14:00", {}),
        Step("b-deputy-service-director", "2026-12-22T10:00", {}),
        Step("c-multi-agency-review", "2026-12-23T10:00", {}),
        Step("d-safeguarding-partners", "2026-12-24T10:00", {}),
        resolve_at="2026-12-29T10:00",
        pathway="conference-majority",
    )


def test_equally_divided_initial_conference_adjourned_for_at_most_15_working_days(walker: Walker) -> None:
    d = walker.walk(
        # 17, 18, 21, 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11 Jan
        Step("adjournment", "2026-12-16T14:00", {"reconvene": "2027-01-11 17:00"}),
        Step("reconvened", "2027-01-11T10:00", {}),
        Step("a-deputy-service-director", "2027-01-11T15:00", {}),
        Step("b-multi-agency-review", "2027-01-12T10:00", {}),
        Step("c-safeguarding-partners", "2027-01-13T10:00", {}),
        resolve_at="2027-01-14T10:00",
        pathway="conference-equally-divided",
        conference_kind="initial",
    )
    raised = Event.objects.get(disagreement=d, verb=Verb.RAISED)
    assert (
        raised.data["child_protection_plan"]
        == "made subject of a child protection plan pending the reconvened conference"
    )


def test_equally_divided_review_conference_keeps_the_plan(walker: Walker) -> None:
    walker.raise_("2026-12-16T14:00", pathway="conference-equally-divided", conference_kind="review")
    raised = Event.objects.get(disagreement=walker.d, verb=Verb.RAISED)
    assert raised.data["child_protection_plan"].startswith("continues to be subject")


def test_serious_child_safeguarding_case(walker: Walker) -> None:
    walker.walk(
        Step("a-partners-representatives", "2026-12-21T10:00", {}),
        Step("b-safeguarding-partners", "2026-12-22T10:00", {}),
        Step("c-independent-scrutiny-officer", "2026-12-23T10:00", {}),
        resolve_at="2026-12-24T10:00",
        pathway="serious-case",
    )
