"""Whether a stage's deadline was met, missed or is still to come, as every record and figure reports it.

Enfield stage 1 (L60): the line managers informed the same working day (met by the notice that informs
them, when it is sent in time), and resolution within 5 working days of stage 1's start. Raised on
Monday 7 December 2026 at 10:00: the same working day ends at 17:00; 5 working days end on Monday
14 December at 17:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from resolve.calendar import LONDON
from resolve.disagreements.models import Notice, StageDeadline
from resolve.disagreements.services import deadlines_recalculate
from resolve.partnerships.services import calendar_day_set
from resolve.reports.deadlines import MET, MISSED, PENDING, with_state
from tests.conftest import Cast
from tests.disagreements.test_services import OPERATOR
from tests.disagreements.walker import Step, Walker, at

pytestmark = pytest.mark.django_db


def states(walker: Walker, now: str) -> dict[tuple[str, str], str]:
    found = with_state(StageDeadline.objects.filter(stage_run__disagreement=walker.d), now=at(now))
    return {(d.stage_run.stage, d.timescale): d.state for d in found.select_related("stage_run")}  # type: ignore[attr-defined]


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast], time_machine: object) -> Walker:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2026-12-07T10:00", pathway="escalation")
    return walker


def test_an_open_stage_has_its_deadlines_still_to_come_then_missed_once_they_pass(enfield: Walker) -> None:
    assert states(enfield, "2026-12-07T12:00") == {
        ("stage-1", "line-managers-informed"): PENDING,
        ("stage-1", "resolution"): PENDING,
    }
    assert states(enfield, "2026-12-10T12:00")[("stage-1", "line-managers-informed")] == MISSED
    assert states(enfield, "2026-12-15T09:00") == {
        ("stage-1", "line-managers-informed"): MISSED,
        ("stage-1", "resolution"): MISSED,
    }


def test_the_notice_that_informs_the_line_managers_in_time_meets_the_same_day_deadline_l60(enfield: Walker) -> None:
    notice = Notice.objects.get(stage_run=enfield.current(), to="line_managers")
    Notice.objects.filter(pk=notice.pk).update(sent_at=datetime(2026, 12, 7, 10, 5, tzinfo=LONDON))
    assert states(enfield, "2026-12-10T12:00") == {
        ("stage-1", "line-managers-informed"): MET,
        ("stage-1", "resolution"): PENDING,
    }


def test_a_notice_sent_after_the_deadline_does_not_meet_it(enfield: Walker) -> None:
    notice = Notice.objects.get(stage_run=enfield.current(), to="line_managers")
    Notice.objects.filter(pk=notice.pk).update(sent_at=datetime(2026, 12, 8, 9, 0, tzinfo=LONDON))
    assert states(enfield, "2026-12-10T12:00")[("stage-1", "line-managers-informed")] == MISSED


def test_a_stage_that_ended_by_its_deadline_met_it_and_one_that_ended_later_missed_it(enfield: Walker) -> None:
    # escalated on Thursday 10 December: after the same working day, before the 5 working days
    enfield.escalate(Step("stage-2", "2026-12-10T11:00", {}))
    found = states(enfield, "2026-12-11T09:00")
    assert found[("stage-1", "resolution")] == MET
    assert found[("stage-1", "line-managers-informed")] == MISSED
    assert {stage for stage, _ in found} == {"stage-1", "stage-2"}


def test_instructions_and_deadlines_replaced_by_a_recalculation_are_not_counted(enfield: Walker) -> None:
    run = enfield.current()
    counted = with_state(StageDeadline.objects.filter(stage_run=run), now=at("2026-12-07T12:00"))
    assert counted.count() == 2
    # a closure day on Friday 11 December moves the 5 working days to Tuesday 15 December: the old row stays,
    # replaced, and only the new one counts
    calendar_day_set(
        partnership=enfield.cast.partnership, day=date(2026, 12, 11), kind="closure", reason="Staff day.", by=OPERATOR
    )
    deadlines_recalculate(partnership=enfield.cast.partnership, by=OPERATOR, reason="Closure day added.")
    assert StageDeadline.objects.filter(stage_run=run, timescale="resolution").count() == 2
    counted = with_state(StageDeadline.objects.filter(stage_run=run), now=at("2026-12-07T12:00"))
    assert sorted((d.timescale, d.due.astimezone(LONDON).date()) for d in counted if d.due) == [
        ("line-managers-informed", date(2026, 12, 7)),
        ("resolution", date(2026, 12, 15)),
    ]
