"""Enfield: every pathway walked stage by stage over Christmas 2026.

Hand-computed against England's 2026 bank holidays: Friday 25 and Monday 28 December (Boxing Day's
substitute) are not working days; a working day ends at 17:00.
"""

from __future__ import annotations

import pytest

from resolve.disagreements.models import Notice
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(cast_for, time_machine) -> Walker:
    return Walker(cast_for("enfield"), time_machine)


def test_escalation_to_step_4_keeps_one_five_day_clock_from_stage_1(walker: Walker) -> None:
    # L68's "within 5 working days from initial stage 1" is shown from stage 1 onwards (READING 2.7):
    # 22, 23, 24, 29, 30 December.
    d = walker.walk(
        # line managers informed the same working day
        Step(
            "stage-1",
            "2026-12-21T10:00",
            {"line-managers-informed": "2026-12-21 17:00", "resolution": "2026-12-30 17:00"},
        ),
        # referral to Head of Service by the next working day; the meeting within 2 working days of it
        Step(
            "stage-2",
            "2026-12-21T16:00",
            {
                "referral": "2026-12-22 17:00",
                "professionals-meeting": "2026-12-24 17:00",
                "resolution": "2026-12-30 17:00",
            },
        ),
        # resolution within 5 working days of stage 1's start: 22, 23, 24, 29, 30 December
        Step("stage-3", "2026-12-24T12:00", {"resolution": "2026-12-30 17:00"}),
        Step("step-4", "2026-12-30T11:00", {"resolution": "2026-12-30 17:00"}),
        resolve_at="2026-12-31T10:00",
        pathway="escalation",
    )
    told = set(Notice.objects.filter(disagreement=d).values_list("to", flat=True))
    assert "business-unit" in told  # Level 4 and above: the business unit is in the e-mails
    assert "raiser" in told  # timely feedback to the person who raised it, when it closes


def test_stage_2_started_on_christmas_eve_afternoon(walker: Walker) -> None:
    walker.walk(
        # L68: 5 working days from stage 1 (23rd): 24, 29, 30, 31 December and 4 January, from stage 1 on
        Step(
            "stage-1",
            "2026-12-23T09:00",
            {"line-managers-informed": "2026-12-23 17:00", "resolution": "2027-01-04 17:00"},
        ),
        # next working day after Thursday 24th is Tuesday 29th; then 30th and 31st
        Step(
            "stage-2",
            "2026-12-24T15:00",
            {
                "referral": "2026-12-29 17:00",
                "professionals-meeting": "2026-12-31 17:00",
                "resolution": "2027-01-04 17:00",
            },
        ),
        # 5 working days from stage 1 (23rd): 24, 29, 30, 31 December and 4 January
        Step("stage-3", "2026-12-31T09:00", {"resolution": "2027-01-04 17:00"}),
        resolve_at="2027-01-04T12:00",
        pathway="escalation",
    )


def test_conference_request_after_stage_1(walker: Walker) -> None:
    walker.walk(
        # raised after 17:00 on Christmas Eve: the same working day rolls to Tuesday 29th
        # (L68's five-day clock belongs to the escalation pathway, section 6, not to this one, section 7)
        Step("stage-1", "2026-12-24T18:00", {"line-managers-informed": "2026-12-29 17:00"}),
        Step("formal-request", "2026-12-29T09:30", {}),
        resolve_at="2026-12-30T10:00",
        pathway="conference-request",
    )


def test_short_notice_round_table_has_only_words_for_its_timescale(walker: Walker) -> None:
    walker.raise_("2027-01-01T10:00", pathway="short-notice-round-table")
    assert walker.dated() == {}
    assert walker.undated(), "the round table's 'timely' timescale is shown in words"
    assert walker.resolve("2027-01-04T10:00").status == "resolved"


def test_cross_borough_escalation_is_immediate_in_words(walker: Walker) -> None:
    walker.raise_("2026-12-21T10:00", pathway="escalation", flags=["cross-borough"])
    walker.escalate(Step("stage-2", "2026-12-21T12:00", {}))
    assert any("immediately" in rule for rule in walker.undated())


def test_five_working_day_overall_deadline_is_shown_at_stage_1_l68(walker: Walker) -> None:
    """L68: "within 5 working days from initial stage 1 to resolution": due on the stage 1 run itself."""
    run = walker.raise_("2026-12-21T10:00", pathway="escalation")
    deadline = run.current_deadlines().get(timescale="resolution")
    assert walker.dated()["resolution"] == "2026-12-30 17:00"
    assert deadline.source == "L68"
    assert "5 working days from the start of Stage 1" in deadline.rule


def test_significant_harm_has_no_invented_deadline_only_the_procedures_words_l103_l107(walker: Walker) -> None:
    """Enfield states no significant-harm deadline: its stage 1 dates are unchanged, its own words shown."""
    walker.raise_("2026-12-21T10:00", pathway="escalation", significant_harm=True)
    assert walker.dated() == {"line-managers-informed": "2026-12-21 17:00", "resolution": "2026-12-30 17:00"}
    assert "always phone 999" in walker.instructions()["L103, L107"]
