"""The partnership's calendar as its administrators change it: closure days, extra working days, hours, nation.

A change is first described (:class:`CalendarChange`) and checked without writing anything, so that
the page can show, before it is saved, what it would do to open deadlines: the would-be calendar
(:func:`calendar_after`) goes to ``disagreements.recalculation.deadlines_moved``. Saving it
(:func:`calendar_change_apply`) is one audited service call; closure days and extra working days
go through ``calendar_day_set`` and ``calendar_day_remove`` (services.py), the working hours and the
nation through :func:`partnership_hours_set` and :func:`partnership_nation_set`. None of these moves
a stored deadline: only the recorded recalculation does (decision 0003).

Hours and nation are audited as ``Verb.CALENDAR_CHANGED``, like the calendar's days: they change the
working-day arithmetic in the same way, so the trail's calendar entries are every change that could
move a deadline, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.calendar import NATIONS, WorkingCalendar, bank_holiday
from resolve.core.errors import ResolveError
from resolve.partnerships.models import CalendarDay, Partnership
from resolve.partnerships.selectors import calendar_for
from resolve.partnerships.services import Asking, administrator_check, calendar_day_remove, calendar_day_set


class Action(StrEnum):
    ADD_DAY = "add_day"  # a closure day or an extra working day, added or changed
    REMOVE_DAY = "remove_day"
    HOURS = "hours"
    NATION = "nation"
    NONE = "none"  # no change: recalculate against the calendar as it is


@dataclass(frozen=True)
class CalendarChange:
    """One change an administrator asks of the calendar (not saved until :func:`calendar_change_apply`)."""

    action: Action
    day: date | None = None
    kind: str = ""
    reason: str = ""
    day_starts: time | None = None
    day_ends: time | None = None
    nation: str = ""

    def describe(self) -> str:
        """The change in words, as the reason given for the recalculation that follows it."""
        when = date_format(self.day, "j F Y") if self.day else ""
        if self.action == Action.ADD_DAY:
            if self.kind == CalendarDay.Kind.WORKING:
                return _("Extra working day added on %(day)s") % {"day": when}
            return _("Closure day added on %(day)s") % {"day": when}
        if self.action == Action.REMOVE_DAY:
            return _("Closure day or extra working day on %(day)s removed") % {"day": when}
        if self.action == Action.HOURS:
            return _("Working hours changed to %(starts)s to %(ends)s") % {
                "starts": hhmm(self.day_starts),
                "ends": hhmm(self.day_ends),
            }
        if self.action == Action.NATION:
            return _("Nation changed to %(nation)s") % {"nation": NATIONS.get(self.nation, self.nation)}
        return _("Open deadlines recalculated against the calendar as it stands")


def hhmm(moment: time | None) -> str:
    return moment.strftime("%H:%M") if moment is not None else ""


def _reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    limit = CalendarDay._meta.get_field("reason").max_length or 0
    if len(reason) > limit or "\x00" in reason:
        raise ResolveError(
            _("Give the reason in at most %(limit)s characters of plain text.") % {"limit": limit}, field="reason"
        )
    return reason


def calendar_change_check(*, partnership: Partnership, change: CalendarChange) -> CalendarChange:
    """The change, tidied (reason stripped), or a ResolveError naming the field to fix. Writes nothing.

    The same checks as the services that save it, made before anything is shown as its effect.
    """
    if change.action == Action.ADD_DAY:
        if not isinstance(change.day, date):
            raise ResolveError(_("Give the day as a date."), field="date")
        if change.kind not in CalendarDay.Kind.values:
            raise ResolveError(
                _("Choose closure or working, not %(kind)s.") % {"kind": repr(change.kind)}, field="kind"
            )
        return replace(change, reason=_reason_checked(change.reason))
    if change.action == Action.REMOVE_DAY:
        if not isinstance(change.day, date):
            raise ResolveError(_("Give the day as a date."), field="date")
        if not CalendarDay.objects.filter(partnership=partnership, date=change.day).exists():
            raise ResolveError(
                _("%(day)s is not a closure day or extra working day.") % {"day": change.day.isoformat()},
                field="date",
            )
        return change
    if change.action == Action.HOURS:
        _hours_checked(change.day_starts, change.day_ends)
        return change
    if change.action == Action.NATION:
        _nation_checked(change.nation)
        return change
    if change.action == Action.NONE:
        return change
    raise ResolveError(_("Choose a change to the calendar."))


def _hours_checked(day_starts: object, day_ends: object) -> tuple[time, time]:
    if not isinstance(day_starts, time):
        raise ResolveError(
            _("Enter when the working day starts, as hours and minutes such as 09:00."), field="day_starts"
        )
    if not isinstance(day_ends, time):
        raise ResolveError(_("Enter when the working day ends, as hours and minutes such as 17:00."), field="day_ends")
    if day_starts.tzinfo is not None or day_ends.tzinfo is not None:
        raise ResolveError(_("Give the hours on the local clock, without a time zone."), field="day_starts")
    if day_ends <= day_starts:
        raise ResolveError(
            _("The working day must end after it starts: %(ends)s is not after %(starts)s.")
            % {"ends": hhmm(day_ends), "starts": hhmm(day_starts)},
            field="day_ends",
        )
    return day_starts, day_ends


def _nation_checked(nation: object) -> str:
    if not isinstance(nation, str) or nation not in NATIONS:
        raise ResolveError(
            _("Choose the nation whose bank holidays count: %(nations)s.") % {"nations": ", ".join(NATIONS.values())},
            field="nation",
        )
    return nation


def calendar_after(*, partnership: Partnership, change: CalendarChange) -> WorkingCalendar:
    """The partnership's calendar as it would be with ``change`` saved. Writes nothing."""
    change = calendar_change_check(partnership=partnership, change=change)
    calendar = calendar_for(partnership)
    closures, extra = set(calendar.closures), set(calendar.extra_working_days)
    if change.action in (Action.ADD_DAY, Action.REMOVE_DAY):
        assert change.day is not None  # checked
        closures.discard(change.day)
        extra.discard(change.day)
        if change.action == Action.ADD_DAY:
            (extra if change.kind == CalendarDay.Kind.WORKING else closures).add(change.day)
        return replace(calendar, closures=frozenset(closures), extra_working_days=frozenset(extra))
    if change.action == Action.HOURS:
        assert change.day_starts is not None  # checked
        assert change.day_ends is not None
        return replace(calendar, day_starts=change.day_starts, day_ends=change.day_ends)
    if change.action == Action.NATION:
        return replace(calendar, nation=change.nation)
    return calendar


@transaction.atomic
def partnership_hours_set(*, partnership: Partnership, day_starts: time, day_ends: time, by: Asking) -> Partnership:
    """The partnership's working day runs from ``day_starts`` to ``day_ends`` on the local clock.

    Deadlines already stored do not move until they are recalculated (``deadlines_recalculate``).
    """
    asker = administrator_check(partnership=partnership, by=by)
    day_starts, day_ends = _hours_checked(day_starts, day_ends)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    was = {"day_starts": hhmm(partnership.day_starts), "day_ends": hhmm(partnership.day_ends)}
    partnership.day_starts, partnership.day_ends = day_starts, day_ends
    partnership.save(update_fields=["day_starts", "day_ends"])
    event_record(
        verb=Verb.CALENDAR_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "fields": ["day_starts", "day_ends"],
            "day_starts": hhmm(day_starts),
            "day_ends": hhmm(day_ends),
            "was": was,
            **asker.data,
        },
    )
    return partnership


@transaction.atomic
def partnership_nation_set(*, partnership: Partnership, nation: str, by: Asking) -> Partnership:
    """The partnership's working days count ``nation``'s bank holidays (one of ENG, WLS, SCT, NIR).

    Deadlines already stored do not move until they are recalculated (``deadlines_recalculate``).
    """
    asker = administrator_check(partnership=partnership, by=by)
    nation = _nation_checked(nation)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    was = partnership.nation
    partnership.nation = nation
    partnership.save(update_fields=["nation"])
    event_record(
        verb=Verb.CALENDAR_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={"fields": ["nation"], "nation": nation, "was": was, **asker.data},
    )
    return partnership


@transaction.atomic
def calendar_change_apply(*, partnership: Partnership, change: CalendarChange, by: Asking) -> None:
    """Save ``change`` (audited); stored deadlines stay as they are until recalculated."""
    administrator_check(partnership=partnership, by=by)
    change = calendar_change_check(partnership=partnership, change=change)
    if change.action == Action.ADD_DAY:
        assert change.day is not None  # checked
        calendar_day_set(partnership=partnership, day=change.day, kind=change.kind, reason=change.reason, by=by)
    elif change.action == Action.REMOVE_DAY:
        assert change.day is not None  # checked
        calendar_day_remove(partnership=partnership, day=change.day, by=by)
    elif change.action == Action.HOURS:
        assert change.day_starts is not None  # checked
        assert change.day_ends is not None
        partnership_hours_set(partnership=partnership, day_starts=change.day_starts, day_ends=change.day_ends, by=by)
    elif change.action == Action.NATION:
        partnership_nation_set(partnership=partnership, nation=change.nation, by=by)


def bank_holidays_ahead(partnership: Partnership, *, today: date, days: int = 366) -> list[tuple[date, str]]:
    """The bank holidays of the partnership's nation from ``today`` for the coming year (read-only)."""
    found = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        name = bank_holiday(partnership.nation, day)
        if name is not None:
            found.append((day, name))
    return found


def calendar_days_of(partnership: Partnership) -> list[CalendarDay]:
    """The partnership's closure days and extra working days, earliest first."""
    return list(CalendarDay.objects.filter(partnership=partnership).order_by("date"))
