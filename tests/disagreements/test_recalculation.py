"""What a calendar change would move, shown before saving; and saving it with or without the recorded recalculation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import ResolveError
from resolve.disagreements import services
from resolve.disagreements.recalculation import deadlines_moved
from resolve.disagreements.services.calendar import calendar_change_save
from resolve.partnerships.calendar_admin import Action, CalendarChange, calendar_after
from resolve.partnerships.models import CalendarDay, Partnership
from tests.conftest import Cast
from tests.disagreements.test_services import at, deadlines, local, nothing_changes, raise_one

pytestmark = pytest.mark.django_db

OPERATOR = Operator(name="ops@server")
CLOSURE_21 = CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure", reason="Staff training day")


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast], time_machine) -> Cast:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    return cast_for("enfield")


def preview(cast: Cast, change: CalendarChange) -> list[tuple[str, str, str, str]]:
    calendar = calendar_after(partnership=cast.partnership, change=change)
    return [
        (m.reference, m.due.timescale, local(m.was), local(m.becomes))
        for m in deadlines_moved(partnership=cast.partnership, calendar=calendar)
    ]


def test_the_preview_lists_exactly_the_deadlines_that_would_move_and_changes_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes():
        moves = preview(enfield, CLOSURE_21)
    # the same working day moves to the next; the five working days count from the 22nd either way
    assert moves == [(d.reference, "line-managers-informed", "2026-12-21 17:00", "2026-12-22 17:00")]
    assert not CalendarDay.objects.exists()
    calendar = calendar_after(partnership=enfield.partnership, change=CLOSURE_21)
    (move,) = deadlines_moved(partnership=enfield.partnership, calendar=calendar)
    assert move.stage == d.stage_runs.get().name
    assert move.stored is not None
    assert move.due.rule == move.stored.rule


def test_save_and_recalculate_moves_them_with_a_recorded_recalculation(enfield: Cast) -> None:
    d = raise_one(enfield)
    assert calendar_change_save(partnership=enfield.partnership, change=CLOSURE_21, recalculate=True, by=OPERATOR) == 1
    assert deadlines(d) == {"line-managers-informed": "2026-12-22 17:00", "resolution": "2026-12-30 17:00"}
    assert CalendarDay.objects.get().reason == "Staff training day"
    calendar = Event.objects.get(verb=Verb.CALENDAR_CHANGED)
    recalculated = Event.objects.get(verb=Verb.DEADLINES_RECALCULATED, disagreement=d)
    assert calendar.id < recalculated.id
    assert recalculated.data["was"] == at("2026-12-21T17:00").isoformat()
    assert recalculated.data["operator"] == "ops@server"
    assert "Staff training day" not in str(recalculated.data)  # free text stays out of the trail's data
    assert preview(enfield, CalendarChange(Action.NONE)) == []


def test_save_without_recalculating_moves_nothing_until_recalculated_now(enfield: Cast) -> None:
    d = raise_one(enfield)
    assert calendar_change_save(partnership=enfield.partnership, change=CLOSURE_21, recalculate=False, by=OPERATOR) == 0
    assert deadlines(d) == {"line-managers-informed": "2026-12-21 17:00", "resolution": "2026-12-30 17:00"}
    assert not Event.objects.filter(verb=Verb.DEADLINES_RECALCULATED).exists()
    # "Recalculate open deadlines now" shows the same move against the calendar as saved
    moves = [(m.due.timescale, local(m.becomes)) for m in deadlines_moved(partnership=enfield.partnership)]
    assert moves == [("line-managers-informed", "2026-12-22 17:00")]
    now = CalendarChange(Action.NONE)
    assert calendar_change_save(partnership=enfield.partnership, change=now, recalculate=True, by=OPERATOR) == 1
    assert deadlines(d)["line-managers-informed"] == "2026-12-22 17:00"


def test_changing_the_hours_moves_deadlines_that_end_with_the_working_day(enfield: Cast) -> None:
    d = raise_one(enfield)
    change = CalendarChange(Action.HOURS, day_starts=time(8, 0), day_ends=time(16, 0))
    assert sorted(m[1:] for m in preview(enfield, change)) == [
        ("line-managers-informed", "2026-12-21 17:00", "2026-12-21 16:00"),
        ("resolution", "2026-12-30 17:00", "2026-12-30 16:00"),
    ]
    assert calendar_change_save(partnership=enfield.partnership, change=change, recalculate=True, by=OPERATOR) == 2
    assert deadlines(d) == {"line-managers-informed": "2026-12-21 16:00", "resolution": "2026-12-30 16:00"}
    partnership = Partnership.objects.get(pk=enfield.partnership.pk)
    assert (partnership.day_starts, partnership.day_ends) == (time(8, 0), time(16, 0))


def test_an_extra_working_day_or_another_nation_is_previewed_too(enfield: Cast) -> None:
    d = raise_one(enfield)  # raised Monday 21 December, due Wednesday 30th
    extra = CalendarChange(Action.ADD_DAY, day=date(2026, 12, 28), kind="working")  # Boxing Day's day in lieu
    assert [m[1:] for m in preview(enfield, extra)] == [("resolution", "2026-12-30 17:00", "2026-12-29 17:00")]
    # Scotland has the same Christmas; its 2 January falls after the deadline, so nothing moves
    assert preview(enfield, CalendarChange(Action.NATION, nation="SCT")) == []
    assert d.is_open


def test_closed_disagreements_and_other_partnerships_are_not_listed(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    closed = raise_one(enfield)
    services.disagreement_withdraw(disagreement=closed, by=enfield.at("school", 1), reason="Sorted out.")
    other = cast_for("enfield")
    raise_one(other)
    assert preview(enfield, CLOSURE_21) == []


def test_a_bad_change_saves_nothing_and_recalculates_nothing(enfield: Cast) -> None:
    raise_one(enfield)
    bad = CalendarChange(Action.HOURS, day_starts=time(17, 0), day_ends=time(9, 0))
    with nothing_changes(), pytest.raises(ResolveError):
        calendar_change_save(partnership=enfield.partnership, change=bad, recalculate=True, by=OPERATOR)
