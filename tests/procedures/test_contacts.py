"""Out-of-hours contacts: shown with a deadline or a message outside 09:00-17:00 on a working day.

Enfield's protocol applies at any time (seed line 56) and gives its Emergency out-of-hours duty team for
"between 5pm and 9am weekdays or anytime at the weekend" (line 105). Dates are in 2026 in England:
Monday 21 December is a working day, Friday 25 December is Christmas Day, Saturday 26 is a weekend day.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from resolve.calendar import LONDON, WorkingCalendar
from resolve.procedures.contacts import is_out_of_hours, out_of_hours_contacts
from resolve.procedures.loader import bundled

ENGLAND = WorkingCalendar(nation="ENG")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "outside"),
    [
        ("2026-12-21T08:59", True),  # before 9am on a weekday
        ("2026-12-21T09:00", False),
        ("2026-12-21T13:00", False),
        ("2026-12-21T17:00", False),  # a working-day deadline, at the day's very end
        ("2026-12-21T17:01", True),  # after 5pm
        ("2026-12-21T23:30", True),
        ("2026-12-26T12:00", True),  # "anytime at the weekend"
        ("2026-12-25T12:00", True),  # a bank holiday is not a working day either
        ("2026-07-01T16:30", False),  # British Summer Time: still in hours on the local clock
        ("2026-07-01T17:30", True),
    ],
)
def test_working_hours_are_nine_to_five_on_a_working_day(moment: str, outside: bool) -> None:
    assert is_out_of_hours(at(moment), calendar=ENGLAND) is outside


def test_enfield_gives_its_duty_team_after_5pm_on_a_weekday() -> None:
    (duty,) = out_of_hours_contacts(bundled("enfield"), at("2026-12-21T18:00"), calendar=ENGLAND)
    assert (duty.name, duty.detail) == ("Emergency out-of-hours duty team", "020 8379 1000")
    assert duty.source == "L105, L56"


def test_enfield_gives_its_duty_team_at_any_time_at_the_weekend() -> None:
    assert [c.detail for c in out_of_hours_contacts(bundled("enfield"), at("2026-12-26T11:00"), calendar=ENGLAND)] == [
        "020 8379 1000"
    ]


def test_no_out_of_hours_contact_in_working_hours() -> None:
    assert out_of_hours_contacts(bundled("enfield"), at("2026-12-21T11:00"), calendar=ENGLAND) == ()


def test_a_procedure_with_no_out_of_hours_contact_gives_none() -> None:
    assert out_of_hours_contacts(bundled("north-east-lincolnshire"), at("2026-12-26T11:00"), calendar=ENGLAND) == ()
