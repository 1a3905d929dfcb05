"""Cumbria: levels 1-3, the Executive Manager/Lead, then the formal process decided by an
independent SCP member, due in 7 working days or 24 clock hours for child protection.

Hand-computed against England's bank holidays: 25 and 28 December 2026 and 1 January 2027.
"""

from __future__ import annotations

import pytest

from resolve.disagreements import services
from resolve.disagreements.models import Notice
from tests.disagreements.walker import Step, Walker, at, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(cast_for, time_machine) -> Walker:
    return Walker(cast_for("cumbria"), time_machine)


def test_every_level_to_the_final_decision_with_child_protection(walker: Walker) -> None:
    d = walker.walk(
        Step("level-1", "2026-12-23T10:00", {}),
        Step("level-2", "2026-12-23T12:00", {}),
        Step("level-3", "2026-12-24T10:00", {}),
        Step("executive-lead", "2026-12-29T10:00", {}),
        # 7 working days: 31 Dec, 4, 5, 6, 7, 8, 11 Jan; child protection: 24 clock hours
        Step(
            "formal-process",
            "2026-12-30T14:00",
            {"decision": "2027-01-11 17:00", "decision-child-protection": "2026-12-31 14:00"},
        ),
        resolve_at="2026-12-31T09:00",
        pathway="escalation",
        child_protection=True,
    )
    assert d.closing_reason == "The independent reviewer's decision is final."
    told = set(Notice.objects.filter(disagreement=d).values_list("to", flat=True))
    assert {"scp-chair", "scp-business-manager", "partnership"} <= told


def test_without_child_protection_only_the_7_working_days_apply(walker: Walker) -> None:
    walker.raise_(
        "2026-12-30T14:00",
        pathway="escalation",
        urgent=True,
        start_stage="formal-process",
        urgent_reason="The child is at risk now.",
    )
    assert walker.dated() == {"decision": "2027-01-11 17:00"}


def test_a_24_hour_clock_crosses_the_october_clock_change(walker: Walker) -> None:
    walker.raise_(
        "2026-10-24T12:00",
        pathway="escalation",
        urgent=True,
        start_stage="formal-process",
        urgent_reason="Child protection.",
        child_protection=True,
    )
    # 24 elapsed hours from 12:00 BST on Saturday: the clocks go back, so 11:00 GMT on Sunday
    assert walker.dated()["decision-child-protection"] == "2026-10-25 11:00"
    assert walker.dated()["decision"] == "2026-11-03 17:00"


def test_significant_harm_has_no_invented_deadline_only_the_procedures_words_l6_l43(walker: Walker) -> None:
    walker.raise_("2026-12-23T10:00", pathway="escalation", significant_harm=True)
    assert walker.dated() == {}
    assert "the safety of the child is not compromised" in walker.instructions()["L6, L43"]


def test_the_executive_lead_sets_the_formal_process_timescale_under_7_working_days_l35(walker: Walker) -> None:
    walker.raise_(
        "2026-12-29T10:00",
        pathway="escalation",
        urgent=True,
        start_stage="formal-process",
        urgent_reason="The placement ends this week.",
    )
    assert walker.dated() == {"decision": "2027-01-08 17:00"}  # 30, 31 Dec, 4, 5, 6, 7, 8 Jan
    services.deadline_set_for_case(
        disagreement=walker.d,
        by=walker.cast.at("school", 4),
        timescale="decision",
        due=at("2027-01-04T17:00"),
        reason="The placement ends on 5 January.",
    )
    assert {x.timescale: local(x.due) for x in walker.current().governing_deadlines() if x.due} == {
        "decision-for-case": "2027-01-04 17:00"
    }
