"""Whom to call outside working hours: the procedure's out-of-hours contacts, for a given moment.

Enfield's protocol applies "at any time when disagreements occur" (seed line 56) and gives an
"Emergency out-of-hours duty team" for "between 5pm and 9am weekdays or anytime at the weekend"
(line 105). Its timescales stay in working days (READING 2.7), so a message or a page that shows a
deadline, or anything that happens, outside working hours shows these contacts beside it.

Working hours are the calendar's working day (09:00 to 17:00 on the local clock) on a working
day. A moment at the very end of the working day (17:00, when a working-day deadline falls) is
still in working hours; a day that is not a working day (a weekend, a bank holiday, a closure)
is out of hours all day.
"""

from __future__ import annotations

from datetime import datetime

from resolve.calendar import WorkingCalendar
from resolve.procedures.schema import Contact, Procedure


def is_out_of_hours(at: datetime, *, calendar: WorkingCalendar) -> bool:
    """Whether the aware moment ``at`` falls outside the calendar's working hours."""
    local = at.astimezone(calendar.timezone)
    if not calendar.is_working_day(local.date()):
        return True
    return not calendar.day_starts <= local.time() <= calendar.day_ends


def out_of_hours_contacts(procedure: Procedure, at: datetime, *, calendar: WorkingCalendar) -> tuple[Contact, ...]:
    """The procedure's out-of-hours contacts when ``at`` is outside working hours; else none."""
    if not is_out_of_hours(at, calendar=calendar):
        return ()
    return tuple(c for c in procedure.contacts if c.out_of_hours)
