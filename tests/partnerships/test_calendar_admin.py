"""Changing a partnership's working hours and nation, and checking a calendar change before it is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest
from django.contrib.auth import get_user_model

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.calendar_admin import (
    Action,
    CalendarChange,
    bank_holidays_ahead,
    calendar_after,
    calendar_change_apply,
    calendar_change_check,
    partnership_hours_set,
    partnership_nation_set,
)
from resolve.partnerships.models import CalendarDay, Partnership
from resolve.partnerships.selectors import calendar_for
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

OPERATOR = Operator(name="ops@server")


@pytest.fixture
def cast(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def stored(partnership: Partnership) -> tuple[str, time, time, list[tuple[date, str, str]]]:
    partnership.refresh_from_db()
    days = list(CalendarDay.objects.filter(partnership=partnership).values_list("date", "kind", "reason"))
    return partnership.nation, partnership.day_starts, partnership.day_ends, days


def test_the_hours_change_and_say_so_in_the_trail(cast: Cast) -> None:
    admin = get_user_model().objects.create_user("cal", "cal@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(admin)
    partnership_hours_set(partnership=cast.partnership, day_starts=time(8, 30), day_ends=time(16, 30), by=admin)
    calendar = calendar_for(Partnership.objects.get(pk=cast.partnership.pk))
    assert (calendar.day_starts, calendar.day_ends) == (time(8, 30), time(16, 30))
    event = Event.objects.filter(verb=Verb.CALENDAR_CHANGED).latest("id")
    assert event.data == {
        "fields": ["day_starts", "day_ends"],
        "day_starts": "08:30",
        "day_ends": "16:30",
        "was": {"day_starts": "09:00", "day_ends": "17:00"},
        "user": admin.pk,
    }


def test_the_nation_changes_and_its_bank_holidays_count(cast: Cast) -> None:
    assert calendar_for(cast.partnership).is_working_day(date(2027, 1, 4))  # England works on 4 January 2027
    partnership_nation_set(partnership=cast.partnership, nation="SCT", by=OPERATOR)
    calendar = calendar_for(Partnership.objects.get(pk=cast.partnership.pk))
    assert not calendar.is_working_day(date(2027, 1, 4))  # Scotland: 2 January's day in lieu
    event = Event.objects.filter(verb=Verb.CALENDAR_CHANGED).latest("id")
    assert event.data == {"fields": ["nation"], "nation": "SCT", "was": "ENG", "operator": "ops@server"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (CalendarChange(Action.HOURS, day_starts=time(17, 0), day_ends=time(9, 0)), "day_ends"),
        (CalendarChange(Action.HOURS, day_starts=time(9, 0), day_ends=time(9, 0)), "day_ends"),
        (CalendarChange(Action.HOURS, day_starts=None, day_ends=time(9, 0)), "day_starts"),
        (CalendarChange(Action.NATION, nation="UK"), "nation"),
        (CalendarChange(Action.NATION, nation=""), "nation"),
        (CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="holiday"), "kind"),
        (CalendarChange(Action.ADD_DAY, day=None, kind="closure"), "date"),
        (CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure", reason="x" * 201), "reason"),
        (CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure", reason="a\x00b"), "reason"),
        (CalendarChange(Action.REMOVE_DAY, day=date(2026, 12, 21)), "date"),
    ],
)
def test_bad_changes_name_the_field_and_change_nothing(cast: Cast, change: CalendarChange, field: str) -> None:
    before = stored(cast.partnership)
    events = Event.objects.count()
    with pytest.raises(ResolveError) as raised:
        calendar_change_check(partnership=cast.partnership, change=change)
    assert raised.value.field == field
    with pytest.raises(ResolveError):
        calendar_change_apply(partnership=cast.partnership, change=change, by=OPERATOR)
    assert stored(cast.partnership) == before
    assert Event.objects.count() == events


def test_someone_who_does_not_administer_the_partnership_is_refused(cast: Cast) -> None:
    user = get_user_model().objects.create_user("nobody", "nobody@example.test", "x" * 20, is_staff=True)
    before = stored(cast.partnership)
    for change in (
        CalendarChange(Action.HOURS, day_starts=time(8, 0), day_ends=time(16, 0)),
        CalendarChange(Action.NATION, nation="WLS"),
        CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure"),
    ):
        with pytest.raises(Refused):
            calendar_change_apply(partnership=cast.partnership, change=change, by=user)
    assert stored(cast.partnership) == before


def test_the_would_be_calendar_is_computed_without_writing(cast: Cast) -> None:
    CalendarDay.objects.create(partnership=cast.partnership, date=date(2026, 12, 22), kind="working", reason="")
    before = stored(cast.partnership)
    closure = calendar_after(
        partnership=cast.partnership, change=CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure")
    )
    assert closure.closures == {date(2026, 12, 21)}
    assert closure.extra_working_days == {date(2026, 12, 22)}
    # a closure over an extra working day replaces it, as calendar_day_set would
    over = calendar_after(
        partnership=cast.partnership, change=CalendarChange(Action.ADD_DAY, day=date(2026, 12, 22), kind="closure")
    )
    assert over.closures == {date(2026, 12, 22)}
    assert not over.extra_working_days
    removed = calendar_after(
        partnership=cast.partnership, change=CalendarChange(Action.REMOVE_DAY, day=date(2026, 12, 22))
    )
    assert not removed.extra_working_days
    hours = calendar_after(
        partnership=cast.partnership,
        change=CalendarChange(Action.HOURS, day_starts=time(8, 0), day_ends=time(16, 0)),
    )
    assert (hours.day_starts, hours.day_ends) == (time(8, 0), time(16, 0))
    assert (
        calendar_after(partnership=cast.partnership, change=CalendarChange(Action.NATION, nation="NIR")).nation == "NIR"
    )
    assert stored(cast.partnership) == before


def test_a_change_is_described_in_words_for_the_recalculations_reason() -> None:
    assert CalendarChange(Action.ADD_DAY, day=date(2026, 12, 21), kind="closure").describe() == (
        "Closure day added on 21 December 2026"
    )
    assert CalendarChange(Action.HOURS, day_starts=time(8, 30), day_ends=time(17, 0)).describe() == (
        "Working hours changed to 08:30 to 17:00"
    )
    assert CalendarChange(Action.NATION, nation="WLS").describe() == "Nation changed to Wales"


def test_the_coming_years_bank_holidays_are_the_nations_own(cast: Cast) -> None:
    england = dict(bank_holidays_ahead(cast.partnership, today=date(2026, 12, 1)))
    assert england[date(2026, 12, 28)] == "Boxing Day (observed)"
    assert date(2027, 3, 29) in england  # Easter Monday: asked for by nation, never without one
    assert date(2027, 1, 4) not in england
    assert max(england) < date(2027, 12, 2)
    cast.partnership.nation = "SCT"
    scotland = dict(bank_holidays_ahead(cast.partnership, today=date(2026, 12, 1)))
    assert date(2027, 1, 4) in scotland  # 2 January's day in lieu
    assert date(2027, 11, 30) in scotland
    assert date(2026, 11, 30) not in scotland
