"""The calendar pages: the nation, the working hours, closure days and extra working days.

Every change goes the same way, without JavaScript: the form, then (once it is valid) a preview of
the open deadlines it would move and to when, computed against the would-be calendar and writing
nothing, then the administrator's choice: save and recalculate those deadlines (one transaction),
save without moving any, or cancel. "Recalculate open deadlines now" shows the same preview against
the calendar as it stands, for a change saved without recalculating.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from resolve.calendar import NATIONS
from resolve.core.errors import ResolveError
from resolve.disagreements.recalculation import deadlines_moved
from resolve.disagreements.services.calendar import calendar_change_save
from resolve.partnerships.calendar_admin import (
    Action,
    CalendarChange,
    bank_holidays_ahead,
    calendar_after,
    calendar_change_check,
    calendar_days_of,
)
from resolve.partnerships.models import CalendarDay, Partnership
from resolve.web.forms import DateField, GovForm, Radios
from resolve.web.manage.base import administers, page

#: what the preview's buttons send
RECALCULATE, SAVE = "recalculate", "save"


class DayForm(GovForm):
    date = DateField(label=gettext_lazy("Date"), what=gettext_lazy("The date"))
    kind = forms.ChoiceField(
        label=gettext_lazy("What kind of day is it?"),
        choices=CalendarDay.Kind.choices,
        widget=Radios(),
        error_messages={
            "required": gettext_lazy("Select what kind of day it is"),
            "invalid_choice": gettext_lazy("Select closure day or extra working day"),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        strip=False,
        help_text=gettext_lazy("Shown on this page only. Do not name anyone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["kind"].widget
        assert isinstance(widget, Radios)
        widget.hints = {
            CalendarDay.Kind.CLOSURE.value: _("Not a working day, such as a staff training day"),
            CalendarDay.Kind.WORKING.value: _("A working day though it is a weekend, a bank holiday or a closure"),
        }

    def change(self) -> CalendarChange:
        data = self.cleaned_data
        return CalendarChange(Action.ADD_DAY, day=data["date"], kind=data["kind"], reason=data["reason"])


class RemoveForm(GovForm):
    date = forms.ChoiceField(
        label=gettext_lazy("Which day should be an ordinary day again?"),
        widget=Radios(),
        error_messages={
            "required": gettext_lazy("Select the day to remove"),
            "invalid_choice": gettext_lazy("Select one of the partnership's closure days or extra working days"),
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["date"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (d.date.isoformat(), f"{date_format(d.date, 'l j F Y')}: {d.get_kind_display()}")
            for d in calendar_days_of(partnership)
        ]
        self.has_days = bool(field.choices)

    def change(self) -> CalendarChange:
        return CalendarChange(Action.REMOVE_DAY, day=date.fromisoformat(self.cleaned_data["date"]))


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _hhmm(value: str, message: str) -> time:
    match = _HHMM.match((value or "").strip())
    if match is None:
        raise forms.ValidationError(message)
    return time(int(match[1]), int(match[2]))


class HoursForm(GovForm):
    day_starts = forms.CharField(
        label=gettext_lazy("The working day starts at"),
        help_text=gettext_lazy("On the 24-hour clock, such as 09:00"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter when the working day starts, such as 09:00")},
    )
    day_ends = forms.CharField(
        label=gettext_lazy("The working day ends at"),
        help_text=gettext_lazy("On the 24-hour clock, such as 17:00. Same-working-day deadlines end then."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter when the working day ends, such as 17:00")},
    )

    def clean_day_starts(self) -> time:
        return _hhmm(
            self.cleaned_data["day_starts"], _("Enter when the working day starts as hours and minutes, such as 09:00")
        )

    def clean_day_ends(self) -> time:
        return _hhmm(
            self.cleaned_data["day_ends"], _("Enter when the working day ends as hours and minutes, such as 17:00")
        )

    def change(self) -> CalendarChange:
        data = self.cleaned_data
        return CalendarChange(Action.HOURS, day_starts=data["day_starts"], day_ends=data["day_ends"])


class NationForm(GovForm):
    nation = forms.ChoiceField(
        label=gettext_lazy("Whose bank holidays does the partnership's calendar count?"),
        choices=list(NATIONS.items()),
        widget=Radios(),
        error_messages={
            "required": gettext_lazy("Select the nation"),
            "invalid_choice": gettext_lazy("Select England, Wales, Scotland or Northern Ireland"),
        },
    )

    def change(self) -> CalendarChange:
        return CalendarChange(Action.NATION, nation=self.cleaned_data["nation"])


class RecalculateForm(GovForm):
    def change(self) -> CalendarChange:
        return CalendarChange(Action.NONE)


def _calendar_url(partnership: Partnership) -> str:
    return reverse("manage:calendar", kwargs={"partnership": partnership.slug})


@administers
def calendar(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """The nation, the hours, the coming year's bank holidays, and the partnership's own days."""
    today = timezone.localdate()
    return page(
        request,
        partnership,
        "web/manage/calendar/index.html",
        {
            "nation": NATIONS[partnership.nation],
            "days": calendar_days_of(partnership),
            "bank_holidays": bank_holidays_ahead(partnership, today=today),
        },
    )


def _carried(request: HttpRequest) -> list[tuple[str, str]]:
    """The form's values, sent again as hidden fields by the preview's buttons."""
    return [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", "decision")
        for value in values
    ]


def _change_page(
    request: HttpRequest,
    partnership: Partnership,
    *,
    form: Any,
    title: str,
    submit: str,
    done: Callable[[int, bool], str],
    nothing_to_remove: bool = False,
) -> HttpResponse:
    """A calendar change: its form; once valid, the preview; once decided, one service call."""
    context: dict[str, Any] = {"form": form, "title": title, "submit": submit, "nothing_to_remove": nothing_to_remove}
    template = "web/manage/calendar/change.html"
    if request.method != "POST":
        return page(request, partnership, template, context)
    if not form.is_valid():
        return page(request, partnership, template, context, status=400)
    try:
        change = calendar_change_check(partnership=partnership, change=form.change())
        would_be = calendar_after(partnership=partnership, change=change)
    except ResolveError as error:
        form.refuse(error)
        return page(request, partnership, template, context, status=error.status)
    decision = request.POST.get("decision")
    if decision not in (RECALCULATE, SAVE):
        moves = deadlines_moved(partnership=partnership, calendar=would_be)
        return page(
            request,
            partnership,
            "web/manage/calendar/preview.html",
            {
                "title": title,
                "change": change,
                "description": change.describe(),
                "moves": moves,
                "carried": _carried(request),
                "only_recalculate": change.action == Action.NONE,
            },
        )
    try:
        moved = calendar_change_save(
            partnership=partnership, change=change, recalculate=decision == RECALCULATE, by=request.user
        )
    except ResolveError as error:
        form.refuse(error)
        return page(request, partnership, template, context, status=error.status)
    messages.success(request, done(moved, decision == RECALCULATE))
    return HttpResponseRedirect(_calendar_url(partnership), status=303)


def _saved(what: str) -> Callable[[int, bool], str]:
    def done(moved: int, recalculated: bool) -> str:
        if not recalculated:
            return _(
                "%(what)s. No deadline has moved: open deadlines stay as they were until they are recalculated."
            ) % {"what": what}
        return ngettext(
            "%(what)s, and %(n)s deadline recalculated.", "%(what)s, and %(n)s deadlines recalculated.", moved
        ) % {"what": what, "n": moved}

    return done


@administers
def day_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return _change_page(
        request,
        partnership,
        form=DayForm(request.POST or None),
        title=_("Add a closure day or extra working day"),
        submit=_("Continue"),
        done=_saved(_("Calendar day saved")),
    )


@administers
def day_remove(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = RemoveForm(request.POST or None, partnership=partnership)
    return _change_page(
        request,
        partnership,
        form=form,
        title=_("Remove a closure day or extra working day"),
        submit=_("Continue"),
        done=_saved(_("Calendar day removed")),
        nothing_to_remove=not form.has_days,
    )


@administers
def hours(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    initial = {
        "day_starts": partnership.day_starts.strftime("%H:%M"),
        "day_ends": partnership.day_ends.strftime("%H:%M"),
    }
    return _change_page(
        request,
        partnership,
        form=HoursForm(request.POST or None, initial=initial),
        title=_("Change the working hours"),
        submit=_("Continue"),
        done=_saved(_("Working hours saved")),
    )


@administers
def nation(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return _change_page(
        request,
        partnership,
        form=NationForm(request.POST or None, initial={"nation": partnership.nation}),
        title=_("Change the nation"),
        submit=_("Continue"),
        done=_saved(_("Nation saved")),
    )


@administers
def recalculate(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """The preview against the calendar as it stands, then the recorded recalculation."""
    if request.method != "POST":
        moves = deadlines_moved(partnership=partnership)
        return page(
            request,
            partnership,
            "web/manage/calendar/preview.html",
            {
                "title": _("Recalculate open deadlines now"),
                "description": CalendarChange(Action.NONE).describe(),
                "moves": moves,
                "carried": [],
                "only_recalculate": True,
            },
        )
    return _change_page(
        request,
        partnership,
        form=RecalculateForm(request.POST),
        title=_("Recalculate open deadlines now"),
        submit=_("Continue"),
        done=lambda moved, _recalculated: (
            ngettext("%(n)s deadline recalculated.", "%(n)s deadlines recalculated.", moved) % {"n": moved}
        ),
    )


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/days/add/", day_add, name="calendar_day_add"),
    path("calendar/days/remove/", day_remove, name="calendar_day_remove"),
    path("calendar/hours/", hours, name="calendar_hours"),
    path("calendar/nation/", nation, name="calendar_nation"),
    path("calendar/recalculate/", recalculate, name="calendar_recalculate"),
]
