"""Working days and deadlines, pinned to real bank holidays in all four UK nations, 2026-2028.

Every expected date was worked out by hand from GOV.UK's bank holiday lists and a wall calendar,
then checked against what the installed ``holidays`` package says. Expected instants are written
as the London wall clock shows them ("Tue 2026-12-29 17:00 GMT"); the weekday in the string is
checked too, so a wrong date cannot hide behind a right time. Working days end at 17:00 local.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolve.calendar import CLOSURE_DAY, LONDON, NATIONS, WorkingCalendar, bank_holiday

ENG = WorkingCalendar("ENG")
WLS = WorkingCalendar("WLS")
SCT = WorkingCalendar("SCT")
NIR = WorkingCalendar("NIR")
CALENDARS = {"ENG": ENG, "WLS": WLS, "SCT": SCT, "NIR": NIR}


def at(text: str) -> datetime:
    """An instant: London wall-clock time unless the text carries its own offset."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)


def shown(moment: datetime) -> str:
    """How the instant reads on a London clock, weekday and zone included."""
    return moment.astimezone(LONDON).strftime("%a %Y-%m-%d %H:%M %Z")


def day(text: str) -> date:
    return date.fromisoformat(text)


def test_nations_are_the_four_uk_nations() -> None:
    assert NATIONS == {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
    assert ZoneInfo("Europe/London") == LONDON


def test_a_calendar_without_a_nation_is_refused_rather_than_counting_englands_holidays() -> None:
    with pytest.raises(TypeError, match="nation"):
        WorkingCalendar()  # type: ignore[call-arg]


# --- which days are worked -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "d", "worked"),
    [
        # England
        ("ENG", "2026-01-01", False),  # Thu, New Year's Day
        ("ENG", "2026-01-02", True),  # Fri, no 2 January holiday outside Scotland
        ("ENG", "2026-04-03", False),  # Good Friday 2026
        ("ENG", "2026-04-06", False),  # Easter Monday 2026: dropped if the subdivision is not passed
        ("ENG", "2026-05-04", False),  # early May
        ("ENG", "2026-05-25", False),  # spring
        ("ENG", "2026-08-03", True),  # first Monday in August is Scotland's, not England's
        ("ENG", "2026-08-31", False),  # summer: last Monday in August
        ("ENG", "2026-12-24", True),  # Christmas Eve is a working day
        ("ENG", "2026-12-25", False),  # Fri, Christmas Day
        ("ENG", "2026-12-26", False),  # Sat, Boxing Day (a weekend anyway)
        ("ENG", "2026-12-28", False),  # Mon, substitute for Boxing Day
        ("ENG", "2026-12-29", True),
        ("ENG", "2027-03-26", False),  # Good Friday 2027
        ("ENG", "2027-03-29", False),  # Easter Monday 2027
        ("ENG", "2027-05-03", False),  # early May
        ("ENG", "2027-05-31", False),  # spring
        ("ENG", "2027-08-02", True),
        ("ENG", "2027-08-30", False),  # summer
        ("ENG", "2027-12-27", False),  # Christmas Day is a Saturday: Monday in lieu
        ("ENG", "2027-12-28", False),  # Boxing Day is a Sunday: Tuesday in lieu
        ("ENG", "2028-01-03", False),  # New Year's Day 2028 is a Saturday: Monday in lieu
        ("ENG", "2028-01-04", True),
        ("ENG", "2026-03-17", True),  # St Patrick's Day is Northern Ireland's
        ("ENG", "2026-07-13", True),  # the Twelfth is Northern Ireland's
        ("ENG", "2026-11-30", True),  # St Andrew's Day is Scotland's
        ("ENG", "2026-06-15", True),  # Scotland's one-off World Cup holiday
        ("ENG", "2026-12-19", False),  # Saturday
        ("ENG", "2026-12-20", False),  # Sunday
        # Wales: England's bank holidays
        ("WLS", "2026-04-06", False),
        ("WLS", "2026-08-31", False),
        ("WLS", "2027-03-29", False),
        ("WLS", "2028-01-03", False),
        ("WLS", "2026-01-02", True),
        ("WLS", "2026-11-30", True),
        ("WLS", "2026-03-17", True),
        # Scotland
        ("SCT", "2026-01-02", False),  # Fri, 2 January
        ("SCT", "2027-01-01", False),  # Fri, New Year's Day
        ("SCT", "2027-01-04", False),  # 2 January 2027 is a Saturday: Monday 4th in lieu
        ("SCT", "2027-01-05", True),
        ("SCT", "2028-01-03", False),  # 1 and 2 January 2028 are a weekend: Monday and Tuesday in lieu
        ("SCT", "2028-01-04", False),
        ("SCT", "2028-01-05", True),
        ("SCT", "2026-04-03", False),  # Good Friday
        ("SCT", "2026-04-06", True),  # no Easter Monday in Scotland
        ("SCT", "2027-03-29", True),
        ("SCT", "2026-05-04", False),
        ("SCT", "2026-05-25", False),
        ("SCT", "2026-06-15", False),  # one-off: Scotland at the 2026 World Cup
        ("SCT", "2026-08-03", False),  # summer: first Monday in August
        ("SCT", "2026-08-31", True),
        ("SCT", "2027-08-02", False),
        ("SCT", "2027-08-30", True),
        ("SCT", "2026-11-30", False),  # St Andrew's Day, a Monday in 2026
        ("SCT", "2027-11-30", False),  # a Tuesday in 2027
        ("SCT", "2026-12-28", False),
        # Northern Ireland
        ("NIR", "2026-03-17", False),  # Tue, St Patrick's Day
        ("NIR", "2027-03-17", False),  # Wed
        ("NIR", "2026-04-06", False),  # Easter Monday
        ("NIR", "2027-03-29", False),
        ("NIR", "2026-07-13", False),  # 12 July 2026 is a Sunday: Monday 13th in lieu
        ("NIR", "2026-07-14", True),
        ("NIR", "2027-07-12", False),  # a Monday
        ("NIR", "2028-07-12", False),  # a Wednesday
        ("NIR", "2026-08-31", False),
        ("NIR", "2026-01-02", True),
        ("NIR", "2026-11-30", True),
        ("NIR", "2026-08-03", True),
    ],
)
def test_working_days_follow_the_nations_bank_holidays(nation: str, d: str, worked: bool) -> None:
    assert CALENDARS[nation].is_working_day(day(d)) is worked


@pytest.mark.parametrize(
    ("nation", "year", "working_days"),
    [
        # 2026 has 261 weekdays (it starts and ends on a Thursday); minus weekday bank holidays:
        ("ENG", 2026, 253),  # 1 Jan, 3 and 6 Apr, 4 and 25 May, 31 Aug, 25 and 28 Dec
        ("WLS", 2026, 253),
        ("SCT", 2026, 251),  # 1 and 2 Jan, 3 Apr, 4 and 25 May, 15 Jun, 3 Aug, 30 Nov, 25 and 28 Dec
        ("NIR", 2026, 251),  # England's eight, plus 17 Mar and 13 Jul
    ],
)
def test_a_years_working_days_per_nation(nation: str, year: int, working_days: int) -> None:
    calendar = CALENDARS[nation]
    assert calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == working_days


def test_england_and_wales_share_every_bank_holiday() -> None:
    d = date(2026, 1, 1)
    while d <= date(2028, 12, 31):
        assert ENG.holiday_name(d) == WLS.holiday_name(d), d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("nation", "d", "name"),
    [
        ("ENG", "2026-12-25", "Christmas Day"),
        ("ENG", "2026-12-28", "Boxing Day (observed)"),
        ("ENG", "2026-08-31", "Late Summer Bank Holiday"),
        ("ENG", "2028-01-03", "New Year's Day (observed)"),
        ("ENG", "2026-12-26", "Boxing Day"),  # a Saturday, still named
        ("ENG", "2026-12-29", None),
        ("ENG", "2026-12-19", None),  # an ordinary Saturday has no holiday name
        ("SCT", "2027-01-04", "New Year Holiday (observed)"),
        ("SCT", "2026-11-30", "Saint Andrew's Day"),
        ("SCT", "2026-08-03", "Summer Bank Holiday"),
        ("SCT", "2026-04-06", None),
        ("NIR", "2026-03-17", "Saint Patrick's Day"),
        ("NIR", "2026-07-13", "Battle of the Boyne (observed)"),
        ("WLS", "2027-03-29", "Easter Monday"),
    ],
)
def test_holiday_name_is_the_packages_name_for_the_nation(nation: str, d: str, name: str | None) -> None:
    assert CALENDARS[nation].holiday_name(day(d)) == name
    assert bank_holiday(nation, day(d)) == name


# --- same working day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "when", "due"),
    [
        ("ENG", "2026-12-21T08:00", "Mon 2026-12-21 17:00 GMT"),  # before the day starts: that day
        ("ENG", "2026-12-21T12:00", "Mon 2026-12-21 17:00 GMT"),
        ("ENG", "2026-12-21T16:59", "Mon 2026-12-21 17:00 GMT"),
        ("ENG", "2026-12-21T16:59:59.999999", "Mon 2026-12-21 17:00 GMT"),
        ("ENG", "2026-12-21T17:00", "Tue 2026-12-22 17:00 GMT"),  # at 17:00 the working day has ended
        ("ENG", "2026-12-21T20:00", "Tue 2026-12-22 17:00 GMT"),
        ("ENG", "2026-12-21T23:59", "Tue 2026-12-22 17:00 GMT"),
        ("ENG", "2026-12-19T10:00", "Mon 2026-12-21 17:00 GMT"),  # a Saturday
        ("ENG", "2026-12-20T10:00", "Mon 2026-12-21 17:00 GMT"),  # a Sunday
        ("ENG", "2026-12-24T18:00", "Tue 2026-12-29 17:00 GMT"),  # after hours on Christmas Eve
        ("ENG", "2026-12-25T10:00", "Tue 2026-12-29 17:00 GMT"),  # a bank holiday
        ("ENG", "2026-12-28T08:00", "Tue 2026-12-29 17:00 GMT"),  # a substitute bank holiday
        ("ENG", "2026-06-15T16:30", "Mon 2026-06-15 17:00 BST"),  # summer time
        ("SCT", "2026-06-15T10:00", "Tue 2026-06-16 17:00 BST"),  # Scotland's World Cup holiday
        ("SCT", "2026-11-30T09:00", "Tue 2026-12-01 17:00 GMT"),  # St Andrew's Day
        ("NIR", "2026-07-13T11:00", "Tue 2026-07-14 17:00 BST"),  # the Twelfth, in lieu
        ("WLS", "2027-03-29T11:00", "Tue 2027-03-30 17:00 BST"),  # Easter Monday
        ("ENG", "2026-06-15T15:30+00:00", "Mon 2026-06-15 17:00 BST"),  # 16:30 in London
        ("ENG", "2026-06-15T16:30+00:00", "Tue 2026-06-16 17:00 BST"),  # 17:30 in London: ended
        ("ENG", "2026-06-15T23:30+00:00", "Tue 2026-06-16 17:00 BST"),  # already Tuesday in London
        ("ENG", "2026-12-21T11:00-05:00", "Mon 2026-12-21 17:00 GMT"),  # 16:00 in London
        ("ENG", "2026-12-21T12:00-05:00", "Tue 2026-12-22 17:00 GMT"),  # 17:00 in London
    ],
)
def test_same_working_day(nation: str, when: str, due: str) -> None:
    assert shown(CALENDARS[nation].same_working_day(at(when))) == due


def test_same_working_day_uses_the_calendars_own_hours() -> None:
    early = WorkingCalendar("ENG", day_starts=time(8, 0), day_ends=time(16, 0))
    assert shown(early.same_working_day(at("2026-12-21T15:59"))) == "Mon 2026-12-21 16:00 GMT"
    assert shown(early.same_working_day(at("2026-12-21T16:30"))) == "Tue 2026-12-22 16:00 GMT"


# --- next working day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "when", "due"),
    [
        ("ENG", "2026-12-23T09:30", "Thu 2026-12-24 17:00 GMT"),
        ("ENG", "2026-12-21T00:00", "Tue 2026-12-22 17:00 GMT"),  # the time of day does not matter
        ("ENG", "2026-12-21T23:59", "Tue 2026-12-22 17:00 GMT"),
        ("ENG", "2026-12-24T08:00", "Tue 2026-12-29 17:00 GMT"),
        ("ENG", "2026-12-18T23:59", "Mon 2026-12-21 17:00 GMT"),  # Friday night
        ("ENG", "2026-12-19T10:00", "Mon 2026-12-21 17:00 GMT"),  # Saturday
        ("ENG", "2026-12-31T10:00", "Mon 2027-01-04 17:00 GMT"),  # New Year's Day is a Friday
        ("SCT", "2026-12-31T10:00", "Tue 2027-01-05 17:00 GMT"),  # and Scotland also has Mon 4th
        ("ENG", "2026-04-02T10:00", "Tue 2026-04-07 17:00 BST"),  # over Good Friday and Easter Monday
        ("SCT", "2026-04-02T10:00", "Mon 2026-04-06 17:00 BST"),  # over Good Friday only
        ("ENG", "2026-07-10T10:00", "Mon 2026-07-13 17:00 BST"),
        ("NIR", "2026-07-10T10:00", "Tue 2026-07-14 17:00 BST"),  # over the Twelfth in lieu
        ("WLS", "2026-08-28T10:00", "Tue 2026-09-01 17:00 BST"),  # over the summer bank holiday
    ],
)
def test_next_working_day(nation: str, when: str, due: str) -> None:
    assert shown(CALENDARS[nation].next_working_day(at(when))) == due


# --- N working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "when", "n", "due"),
    [
        ("ENG", "2026-12-24T10:00", 1, "Tue 2026-12-29 17:00 GMT"),  # over Christmas and Boxing Day in lieu
        ("ENG", "2026-12-21T10:00", 5, "Wed 2026-12-30 17:00 GMT"),  # 22, 23, 24, 29, 30
        ("ENG", "2026-12-16T14:00", 15, "Mon 2027-01-11 17:00 GMT"),
        ("ENG", "2026-12-29T10:00", 5, "Wed 2027-01-06 17:00 GMT"),  # 30, 31, 4, 5, 6
        ("SCT", "2026-12-29T10:00", 5, "Thu 2027-01-07 17:00 GMT"),  # 1 and 4 January are Scottish holidays
        ("ENG", "2026-03-27T10:00", 5, "Tue 2026-04-07 17:00 BST"),  # over Easter and into summer time
        ("WLS", "2026-03-27T10:00", 5, "Tue 2026-04-07 17:00 BST"),
        ("SCT", "2026-03-27T10:00", 5, "Mon 2026-04-06 17:00 BST"),  # no Easter Monday in Scotland
        ("NIR", "2026-03-27T10:00", 5, "Tue 2026-04-07 17:00 BST"),
        ("ENG", "2027-03-25T10:00", 2, "Wed 2027-03-31 17:00 BST"),  # Easter 2027: 26 and 29 March
        ("SCT", "2027-03-25T10:00", 2, "Tue 2027-03-30 17:00 BST"),
        ("ENG", "2026-07-10T10:00", 1, "Mon 2026-07-13 17:00 BST"),
        ("NIR", "2026-07-10T10:00", 1, "Tue 2026-07-14 17:00 BST"),  # over the Twelfth's substitute day
        ("ENG", "2026-03-16T10:00", 1, "Tue 2026-03-17 17:00 GMT"),
        ("NIR", "2026-03-16T10:00", 1, "Wed 2026-03-18 17:00 GMT"),  # over St Patrick's Day
        ("ENG", "2026-11-27T10:00", 1, "Mon 2026-11-30 17:00 GMT"),
        ("SCT", "2026-11-27T10:00", 1, "Tue 2026-12-01 17:00 GMT"),  # over St Andrew's Day
        ("ENG", "2026-07-31T10:00", 1, "Mon 2026-08-03 17:00 BST"),
        ("SCT", "2026-07-31T10:00", 1, "Tue 2026-08-04 17:00 BST"),  # Scotland's summer bank holiday
        ("ENG", "2026-08-28T10:00", 1, "Tue 2026-09-01 17:00 BST"),  # England's summer bank holiday
        ("SCT", "2026-08-28T10:00", 1, "Mon 2026-08-31 17:00 BST"),
        ("ENG", "2026-05-01T10:00", 1, "Tue 2026-05-05 17:00 BST"),  # early May 2026
        ("ENG", "2026-05-22T10:00", 1, "Tue 2026-05-26 17:00 BST"),  # spring 2026
        ("ENG", "2027-04-30T10:00", 1, "Tue 2027-05-04 17:00 BST"),  # early May 2027
        ("ENG", "2027-05-28T10:00", 1, "Tue 2027-06-01 17:00 BST"),  # spring 2027
        ("ENG", "2027-08-27T10:00", 1, "Tue 2027-08-31 17:00 BST"),  # summer 2027
        ("ENG", "2027-12-24T10:00", 1, "Wed 2027-12-29 17:00 GMT"),  # Christmas 2027 on a weekend: 27, 28 off
        ("ENG", "2027-12-31T10:00", 1, "Tue 2028-01-04 17:00 GMT"),  # New Year 2028 in lieu on Mon 3rd
        ("SCT", "2027-12-31T10:00", 1, "Wed 2028-01-05 17:00 GMT"),  # and Scotland's 2 January on Tue 4th
        ("ENG", "2026-10-23T16:00", 1, "Mon 2026-10-26 17:00 GMT"),  # over the October clock change
        ("ENG", "2026-03-27T16:00", 1, "Mon 2026-03-30 17:00 BST"),  # over the March clock change
        ("ENG", "2026-12-21T00:00", 1, "Tue 2026-12-22 17:00 GMT"),  # the time of day does not matter
        ("ENG", "2026-12-21T23:59", 1, "Tue 2026-12-22 17:00 GMT"),
        ("ENG", "2026-06-15T23:30+00:00", 1, "Wed 2026-06-17 17:00 BST"),  # Tuesday already in London
    ],
)
def test_working_days_after(nation: str, when: str, n: int, due: str) -> None:
    assert shown(CALENDARS[nation].working_days_after(at(when), n)) == due


@pytest.mark.parametrize(
    ("nation", "start", "end", "count"),
    [
        ("ENG", "2026-12-24", "2026-12-29", 1),  # only the 29th: the start is not counted
        ("ENG", "2026-12-21", "2026-12-31", 6),  # 22, 23, 24, 29, 30, 31
        ("ENG", "2026-12-31", "2027-01-08", 5),  # 4 to 8 January
        ("SCT", "2026-12-31", "2027-01-08", 4),  # 5 to 8 January
        ("ENG", "2026-04-02", "2026-04-07", 1),
        ("SCT", "2026-04-02", "2026-04-07", 2),
        ("NIR", "2026-07-10", "2026-07-14", 1),
        ("WLS", "2026-07-10", "2026-07-14", 2),
        ("ENG", "2026-12-21", "2026-12-21", 0),  # the same day
        ("ENG", "2026-12-29", "2026-12-21", 0),  # end before start
    ],
)
def test_working_days_between_counts_after_start_up_to_and_including_end(
    nation: str, start: str, end: str, count: int
) -> None:
    assert CALENDARS[nation].working_days_between(day(start), day(end)) == count


# --- clock hours and the clock changes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "n", "due_utc", "due_local"),
    [
        # Spring forward, Sun 29 March 2026 01:00 UTC: 24 real hours, the London clock shows 13:00.
        ("2026-03-28T12:00", 24, "2026-03-29T12:00+00:00", "Sun 2026-03-29 13:00 BST"),
        # Fall back, Sun 25 October 2026 01:00 UTC: 24 real hours, the London clock shows 11:00.
        ("2026-10-24T12:00", 24, "2026-10-25T11:00+00:00", "Sun 2026-10-25 11:00 GMT"),
        ("2026-03-28T23:30", 2, "2026-03-29T01:30+00:00", "Sun 2026-03-29 02:30 BST"),  # over the gap
        ("2026-10-25T00:30", 2, "2026-10-25T01:30+00:00", "Sun 2026-10-25 01:30 GMT"),  # through the fold
        ("2026-12-24T15:00", 24, "2026-12-25T15:00+00:00", "Fri 2026-12-25 15:00 GMT"),  # Christmas does not stop it
        ("2026-12-18T18:00", 72, "2026-12-21T18:00+00:00", "Mon 2026-12-21 18:00 GMT"),  # nor a weekend
        ("2027-03-27T09:00", 48, "2027-03-29T09:00+00:00", "Mon 2027-03-29 10:00 BST"),  # 2027's change
    ],
)
def test_hours_after_counts_elapsed_hours(when: str, n: int, due_utc: str, due_local: str) -> None:
    due = ENG.hours_after(at(when), n)
    assert due == datetime.fromisoformat(due_utc)
    assert due - at(when) == timedelta(hours=n)
    assert shown(due) == due_local


@pytest.mark.parametrize(
    ("d", "utc"),
    [
        ("2026-06-15", "2026-06-15T16:00+00:00"),  # BST: 17:00 local is 16:00 UTC
        ("2026-12-15", "2026-12-15T17:00+00:00"),  # GMT
        ("2026-03-28", "2026-03-28T17:00+00:00"),  # the day before summer time
        ("2026-03-29", "2026-03-29T16:00+00:00"),  # the day summer time starts
        ("2026-10-24", "2026-10-24T16:00+00:00"),  # the day before it ends
        ("2026-10-25", "2026-10-25T17:00+00:00"),  # the day it ends
    ],
)
def test_end_of_day_is_five_pm_local_returned_in_utc(d: str, utc: str) -> None:
    end = ENG.end_of_day(day(d))
    assert end == datetime.fromisoformat(utc)
    assert end.tzinfo is UTC


def test_every_result_is_an_aware_utc_datetime() -> None:
    when = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    results = [
        ENG.end_of_day(date(2026, 6, 15)),
        ENG.same_working_day(when),
        ENG.next_working_day(when),
        ENG.working_days_after(when, 3),
        ENG.hours_after(when, 3),
    ]
    assert all(result.tzinfo is UTC for result in results)


# --- a partnership's own days ------------------------------------------------------------------


def test_a_friday_closure_pushes_the_deadline_to_monday() -> None:
    closed = WorkingCalendar("ENG", closures=frozenset({date(2026, 12, 18)}))
    assert shown(ENG.working_days_after(at("2026-12-17T10:00"), 1)) == "Fri 2026-12-18 17:00 GMT"
    assert shown(closed.working_days_after(at("2026-12-17T10:00"), 1)) == "Mon 2026-12-21 17:00 GMT"
    assert shown(closed.same_working_day(at("2026-12-18T10:00"))) == "Mon 2026-12-21 17:00 GMT"
    assert ENG.working_days_between(date(2026, 12, 14), date(2026, 12, 18)) == 4
    assert closed.working_days_between(date(2026, 12, 14), date(2026, 12, 18)) == 3
    assert closed.holiday_name(date(2026, 12, 18)) == CLOSURE_DAY == "Closure day"


def test_a_closure_on_christmas_eve_pushes_same_day_past_christmas() -> None:
    closed = WorkingCalendar("ENG", closures=frozenset({date(2026, 12, 24)}))
    assert shown(closed.same_working_day(at("2026-12-24T10:00"))) == "Tue 2026-12-29 17:00 GMT"
    assert shown(closed.next_working_day(at("2026-12-23T10:00"))) == "Tue 2026-12-29 17:00 GMT"


def test_a_saturday_extra_working_day_counts() -> None:
    extra = WorkingCalendar("ENG", extra_working_days=frozenset({date(2026, 12, 19)}))
    assert extra.is_working_day(date(2026, 12, 19))
    assert extra.holiday_name(date(2026, 12, 19)) is None
    assert shown(extra.working_days_after(at("2026-12-18T10:00"), 1)) == "Sat 2026-12-19 17:00 GMT"
    assert shown(extra.working_days_after(at("2026-12-18T10:00"), 2)) == "Mon 2026-12-21 17:00 GMT"
    assert shown(extra.same_working_day(at("2026-12-19T10:00"))) == "Sat 2026-12-19 17:00 GMT"
    assert extra.working_days_between(date(2026, 12, 18), date(2026, 12, 21)) == 2


def test_an_extra_working_day_wins_over_a_bank_holiday_and_a_closure() -> None:
    boxing_day_in_lieu = date(2026, 12, 28)
    calendar = WorkingCalendar(
        "ENG", closures=frozenset({boxing_day_in_lieu}), extra_working_days=frozenset({boxing_day_in_lieu})
    )
    assert calendar.is_working_day(boxing_day_in_lieu)
    assert calendar.holiday_name(boxing_day_in_lieu) is None
    assert shown(calendar.working_days_after(at("2026-12-24T10:00"), 1)) == "Mon 2026-12-28 17:00 GMT"


def test_a_closure_on_a_bank_holiday_keeps_the_bank_holidays_name() -> None:
    calendar = WorkingCalendar("ENG", closures=frozenset({date(2026, 12, 25)}))
    assert calendar.holiday_name(date(2026, 12, 25)) == "Christmas Day"


def test_closure_and_extra_days_given_as_sets_are_frozen_so_the_calendar_stays_hashable() -> None:
    closures: object = {date(2026, 12, 18)}
    extra: object = [date(2026, 12, 19)]
    calendar = WorkingCalendar("ENG", closures=closures, extra_working_days=extra)  # type: ignore[arg-type]
    assert calendar.closures == frozenset({date(2026, 12, 18)})
    assert calendar.extra_working_days == frozenset({date(2026, 12, 19)})
    assert hash(calendar) == hash(
        WorkingCalendar(
            "ENG", closures=frozenset({date(2026, 12, 18)}), extra_working_days=frozenset({date(2026, 12, 19)})
        )
    )


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        ENG.same_working_day,
        ENG.next_working_day,
        partial(ENG.working_days_after, n=1),
        partial(ENG.hours_after, n=1),
        ENG.local_date,
    ],
    ids=["same_working_day", "next_working_day", "working_days_after", "hours_after", "local_date"],
)
def test_a_naive_datetime_is_refused(call: Callable[[datetime], object]) -> None:
    with pytest.raises(ValueError, match="must be timezone-aware"):
        call(datetime(2026, 12, 21, 10, 0))


@pytest.mark.parametrize("nation", ["UK", "GB", "eng", "England", ""])
def test_an_unknown_nation_is_refused_naming_the_allowed_codes(nation: str) -> None:
    with pytest.raises(ValueError, match="use one of ENG, WLS, SCT, NIR"):
        WorkingCalendar(nation)
    with pytest.raises(ValueError, match="use one of ENG, WLS, SCT, NIR"):
        bank_holiday(nation, date(2026, 12, 25))


@pytest.mark.parametrize("n", [0, -1])
def test_n_must_be_at_least_one(n: int) -> None:
    with pytest.raises(ValueError, match="1 or more"):
        ENG.working_days_after(at("2026-12-21T10:00"), n)
    with pytest.raises(ValueError, match="1 or more"):
        ENG.hours_after(at("2026-12-21T10:00"), n)


@pytest.mark.parametrize(("starts", "ends"), [(time(9, 0), time(9, 0)), (time(17, 0), time(9, 0))])
def test_the_working_day_must_end_after_it_starts(starts: time, ends: time) -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        WorkingCalendar("ENG", day_starts=starts, day_ends=ends)


def test_a_calendar_closed_for_over_a_year_is_refused_rather_than_searched_forever() -> None:
    closed = WorkingCalendar("ENG", closures=frozenset(date(2027, 1, 1) + timedelta(days=i) for i in range(400)))
    with pytest.raises(ValueError, match="No working day"):
        closed.next_working_day(at("2026-12-31T10:00"))


# --- properties --------------------------------------------------------------------------------

ZONES = [
    UTC,
    LONDON,
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Kiritimati"),  # UTC+14: often a day ahead of London
    ZoneInfo("Pacific/Pago_Pago"),  # UTC-11: often a day behind
    timezone(timedelta(hours=5, minutes=30)),
]
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.sampled_from(ZONES)
)
nations = st.sampled_from(sorted(NATIONS))
own_days = st.frozensets(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(when=instants, n=st.integers(min_value=1, max_value=30), nation=nations, closures=own_days, extra=own_days)
def test_n_working_days_land_at_the_end_of_the_nth_working_day(
    when: datetime, n: int, nation: str, closures: frozenset[date], extra: frozenset[date]
) -> None:
    calendar = WorkingCalendar(nation, closures=closures, extra_working_days=extra)
    due = calendar.working_days_after(when, n)
    local = due.astimezone(LONDON)
    assert due.tzinfo is UTC
    assert calendar.is_working_day(local.date())
    assert local.time() == time(17, 0)
    assert due > when
    assert calendar.working_days_between(calendar.local_date(when), local.date()) == n
    assert calendar.working_days_after(when, 1) == calendar.next_working_day(when)


@settings(max_examples=200, deadline=None)
@given(when=instants, nation=nations)
def test_same_working_day_is_the_first_working_day_end_still_ahead(when: datetime, nation: str) -> None:
    calendar = WorkingCalendar(nation)
    due = calendar.same_working_day(when)
    local = due.astimezone(LONDON)
    assert calendar.is_working_day(local.date())
    assert local.time() == time(17, 0)
    assert due > when
    # No working day ends between the instant and the deadline.
    assert calendar.working_days_between(calendar.local_date(when), local.date()) <= 1
    assert due <= calendar.next_working_day(when)


@settings(max_examples=200, deadline=None)
@given(when=instants, n=st.integers(min_value=1, max_value=24 * 30))
def test_hours_after_is_exactly_n_elapsed_hours(when: datetime, n: int) -> None:
    due = ENG.hours_after(when, n)
    assert due.tzinfo is UTC
    assert due - when == timedelta(hours=n)
