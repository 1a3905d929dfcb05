"""The working-day conventions, pinned to real bank holidays across years and all four nations.

Dates were worked out by hand from GOV.UK's bank holiday lists. Working days end at 17:00 UK time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolve.calendar import LONDON, WorkingCalendar

ENG = WorkingCalendar("ENG")
SCT = WorkingCalendar("SCT")
NIR = WorkingCalendar("NIR")
WLS = WorkingCalendar("WLS")


def uk(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def shown(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("calendar", "day", "holiday"),
    [
        (ENG, date(2026, 12, 25), True),  # Christmas Day, Friday
        (ENG, date(2026, 12, 28), True),  # Boxing Day falls on Saturday: Monday substitute
        (ENG, date(2026, 12, 29), False),
        (ENG, date(2026, 4, 3), True),  # Good Friday 2026
        (ENG, date(2026, 4, 6), True),  # Easter Monday 2026
        (ENG, date(2027, 3, 26), True),  # Good Friday 2027
        (ENG, date(2027, 3, 29), True),  # Easter Monday 2027
        (ENG, date(2026, 5, 4), True),  # early May
        (ENG, date(2026, 5, 25), True),  # spring
        (ENG, date(2026, 8, 31), True),  # summer: last Monday in August
        (ENG, date(2026, 8, 3), False),
        (ENG, date(2027, 5, 3), True),
        (ENG, date(2027, 8, 30), True),
        (ENG, date(2028, 1, 3), True),  # 1 January 2028 is a Saturday: Monday substitute
        (ENG, date(2026, 11, 30), False),
        (ENG, date(2026, 3, 17), False),
        (WLS, date(2026, 4, 6), True),  # Wales shares England's bank holidays
        (SCT, date(2026, 4, 6), False),  # no Easter Monday in Scotland
        (SCT, date(2026, 4, 3), True),  # Good Friday
        (SCT, date(2027, 1, 1), True),
        (SCT, date(2027, 1, 4), True),  # 2 January 2027 is a Saturday: Monday 4th in lieu
        (SCT, date(2026, 8, 3), True),  # summer: first Monday in August
        (SCT, date(2026, 8, 31), False),
        (SCT, date(2026, 11, 30), True),  # St Andrew's Day, a Monday in 2026
        (NIR, date(2026, 3, 17), True),  # St Patrick's Day
        (NIR, date(2026, 7, 13), True),  # 12 July is a Sunday in 2026: Monday 13th
        (NIR, date(2026, 4, 6), True),
        (ENG, date(2026, 7, 13), False),
    ],
)
def test_bank_holidays_by_nation(calendar: WorkingCalendar, day: date, holiday: bool) -> None:
    assert calendar.is_working_day(day) is not holiday
    assert (calendar.holiday_name(day) is not None) is holiday


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2026-12-21T08:00", "Mon 2026-12-21 17:00 GMT"),  # before the working day starts
        ("2026-12-21T12:00", "Mon 2026-12-21 17:00 GMT"),
        ("2026-12-21T16:59", "Mon 2026-12-21 17:00 GMT"),
        ("2026-12-21T17:00", "Tue 2026-12-22 17:00 GMT"),  # the working day has ended
        ("2026-12-21T20:00", "Tue 2026-12-22 17:00 GMT"),
        ("2026-12-24T18:00", "Tue 2026-12-29 17:00 GMT"),  # over Christmas and the substitute day
        ("2026-12-26T10:00", "Tue 2026-12-29 17:00 GMT"),  # a Saturday
        ("2026-12-25T10:00", "Tue 2026-12-29 17:00 GMT"),  # a bank holiday
        ("2026-06-15T10:00", "Mon 2026-06-15 17:00 BST"),  # summer time
    ],
)
def test_same_working_day(at: str, due: str) -> None:
    assert shown(ENG.same_working_day(uk(at))) == due


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2026-12-23T09:30", "Thu 2026-12-24 17:00 GMT"),
        ("2026-12-24T10:00", "Tue 2026-12-29 17:00 GMT"),
        ("2026-12-31T23:00", "Mon 2027-01-04 17:00 GMT"),  # New Year's Day is a Friday
        ("2026-12-26T10:00", "Tue 2026-12-29 17:00 GMT"),
    ],
)
def test_next_working_day(at: str, due: str) -> None:
    assert shown(ENG.next_working_day(uk(at))) == due


@pytest.mark.parametrize(
    ("calendar", "at", "n", "due"),
    [
        (ENG, "2026-12-24T10:00", 1, "Tue 2026-12-29 17:00 GMT"),
        (ENG, "2026-12-21T10:00", 5, "Wed 2026-12-30 17:00 GMT"),
        (ENG, "2026-12-16T14:00", 15, "Mon 2027-01-11 17:00 GMT"),
        (ENG, "2026-03-27T10:00", 5, "Tue 2026-04-07 17:00 BST"),  # across Easter and into summer time
        (SCT, "2026-12-29T10:00", 5, "Thu 2027-01-07 17:00 GMT"),  # 1 and 4 January are Scottish holidays
        (ENG, "2026-12-29T10:00", 5, "Wed 2027-01-06 17:00 GMT"),
        (NIR, "2026-07-10T10:00", 1, "Tue 2026-07-14 17:00 BST"),  # over the Twelfth's substitute day
        (ENG, "2026-10-23T16:00", 1, "Mon 2026-10-26 17:00 GMT"),  # over the October clock change
    ],
)
def test_working_days_after(calendar: WorkingCalendar, at: str, n: int, due: str) -> None:
    assert shown(calendar.working_days_after(uk(at), n)) == due


def test_hours_are_elapsed_hours_across_the_spring_clock_change() -> None:
    due = ENG.hours_after(uk("2026-03-28T12:00"), 24)
    assert shown(due) == "Sun 2026-03-29 13:00 BST"
    assert due - uk("2026-03-28T12:00") == timedelta(hours=24)


def test_hours_are_elapsed_hours_across_the_autumn_clock_change() -> None:
    assert shown(ENG.hours_after(uk("2026-10-24T12:00"), 24)) == "Sun 2026-10-25 11:00 GMT"


def test_hours_do_not_stop_for_christmas() -> None:
    assert shown(ENG.hours_after(uk("2026-12-24T15:00"), 24)) == "Fri 2026-12-25 15:00 GMT"


def test_end_of_day_is_returned_in_utc() -> None:
    assert ENG.end_of_day(date(2026, 6, 15)) == datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
    assert ENG.end_of_day(date(2026, 12, 15)) == datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


def test_a_closure_day_pushes_the_deadline() -> None:
    closed = WorkingCalendar("ENG", closures=frozenset({date(2026, 12, 29)}))
    assert shown(closed.working_days_after(uk("2026-12-24T10:00"), 1)) == "Wed 2026-12-30 17:00 GMT"
    assert closed.holiday_name(date(2026, 12, 29)) == "Closure day"


def test_an_extra_working_day_counts_even_on_a_saturday() -> None:
    extra = WorkingCalendar("ENG", extra_working_days=frozenset({date(2026, 12, 26)}))
    assert shown(extra.working_days_after(uk("2026-12-24T10:00"), 1)) == "Sat 2026-12-26 17:00 GMT"


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ENG.same_working_day(datetime(2026, 12, 21, 10, 0))


def test_an_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="ENG, WLS, SCT, NIR"):
        WorkingCalendar("UK")


@pytest.mark.parametrize("n", [0, -1])
def test_n_must_be_at_least_one(n: int) -> None:
    with pytest.raises(ValueError, match="1 or more"):
        ENG.working_days_after(uk("2026-12-21T10:00"), n)
    with pytest.raises(ValueError, match="1 or more"):
        ENG.hours_after(uk("2026-12-21T10:00"), n)


@settings(max_examples=200, deadline=None)
@given(
    at=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(LONDON)),
    n=st.integers(min_value=1, max_value=30),
    nation=st.sampled_from(["ENG", "WLS", "SCT", "NIR"]),
)
def test_n_working_days_land_on_the_end_of_the_nth_working_day(at: datetime, n: int, nation: str) -> None:
    calendar = WorkingCalendar(nation)
    due = calendar.working_days_after(at, n)
    local = due.astimezone(LONDON)
    assert calendar.is_working_day(local.date())
    assert local.time().hour == 17
    assert due > at
    assert calendar.working_days_between(at.astimezone(LONDON).date(), local.date()) == n
