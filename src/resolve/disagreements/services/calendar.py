"""Saving a change to a partnership's calendar, with or without the recorded recalculation of deadlines."""

from __future__ import annotations

from django.db import transaction

from resolve.disagreements.services.transitions import deadlines_recalculate
from resolve.partnerships.calendar_admin import CalendarChange, calendar_change_apply
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import Asking, administrator_check


@transaction.atomic
def calendar_change_save(*, partnership: Partnership, change: CalendarChange, recalculate: bool, by: Asking) -> int:
    """Save ``change``; with ``recalculate``, then recalculate open deadlines, in the same transaction.

    Returns how many deadlines moved (0 without ``recalculate``: the stored deadlines stay until
    someone asks for the recalculation, decision 0003). The recalculation's reason names the change.
    """
    administrator_check(partnership=partnership, by=by)
    calendar_change_apply(partnership=partnership, change=change, by=by)
    if not recalculate:
        return 0
    return deadlines_recalculate(partnership=partnership, by=by, reason=change.describe())
