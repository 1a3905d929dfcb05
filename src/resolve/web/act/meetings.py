"""Pages that schedule a disagreement's meeting, move it and cancel it: each change goes to the invitees' calendars."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.core.errors import NotFound
from resolve.disagreements import choosing, rules
from resolve.disagreements.models import Meeting
from resolve.disagreements.services import meeting_cancel, meeting_kinds, meeting_move, meeting_schedule
from resolve.disagreements.services.meetings import meeting_in, when_words
from resolve.web.act.fields import WHEN_HINT, PeopleField, fields_renamed
from resolve.web.actions import ActionPage
from resolve.web.forms import DateTimeField, GovForm

#: how long a meeting lasts, in minutes, as the page offers it
DURATIONS = (
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
)
PLACE_HINT = _(
    "An address and room, or how to join a call (a link or a dial-in number). Everyone invited is sent this. "
    "Do not include the child's name or any details about the child or family."
)


class WhenWhereForm(GovForm):
    """When the meeting starts, how long it lasts, and where it is: the fields scheduling and moving share."""

    starts_at = DateTimeField(label=_("When does it start?"), what=_("The date of the meeting"), help_text=WHEN_HINT)
    duration = forms.TypedChoiceField(
        label=_("How long will it last?"),
        choices=[(str(minutes), words) for minutes, words in DURATIONS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how long the meeting will last"),
            "invalid_choice": _("Choose how long the meeting will last"),
        },
    )
    place = forms.CharField(
        label=_("Where is it, or how do people join?"),
        help_text=PLACE_HINT,
        max_length=500,
        error_messages={
            "required": _("Enter where the meeting is, or how to join it"),
            "max_length": _("Where the meeting is must be 500 characters or fewer"),
        },
    )


class ScheduleForm(WhenWhereForm):
    field_order = ("kind", "starts_at", "duration", "place", "invitees")

    kind = forms.ChoiceField(
        label=_("What kind of meeting is it?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of meeting it is"),
            "invalid_choice": _("Choose what kind of meeting it is"),
        },
    )
    invitees = PeopleField(
        label=_("Who is invited?"),
        help_text=_("Everyone chosen is sent an e-mail with a calendar invitation, and an update if it moves."),
        error_messages={
            "required": _("Choose who is invited to the meeting"),
            "invalid_choice": _("Choose people from the list"),
            "invalid_pk_value": _("Choose people from the list"),
        },
    )

    def __init__(self, *args: Any, kinds: Any = (), people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.slug, k.name) for k in kinds]
        if len(kind.choices) == 1 and not self.is_bound:
            self.initial.setdefault("kind", kind.choices[0][0])  # the only kind: nothing to choose
        kind.widget.hints = {
            k.slug: _("The procedure names it at this stage (%(source)s).") % {"source": k.source}
            for k in kinds
            if k.source
        }
        invitees = self.fields["invitees"]
        assert isinstance(invitees, forms.ModelMultipleChoiceField)
        invitees.queryset = people
        for name in ("kind", "invitees"):  # the choices are known only now: style them again
            self._style(name, self.fields[name])


#: a refusal of the service's ``ends_at`` lands on the page's duration
RENAMED = {"ends_at": "duration"}


class SchedulePage(ActionPage):
    action = Action.SCHEDULE_MEETING
    form_class = ScheduleForm
    title = _("Schedule a meeting")
    done = _("The meeting has been scheduled, and everyone invited has been sent an invitation.")
    submit = _("Schedule the meeting and send the invitations")

    def form_kwargs(self) -> dict[str, Any]:
        run = rules.latest_run(self.disagreement)
        kinds = meeting_kinds(run) if run is not None and run.ended_at is None else []
        return {"kinds": kinds, "people": choosing.people_to_name(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        with fields_renamed(RENAMED):
            return meeting_schedule(
                disagreement=self.disagreement,
                by=self.person,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["starts_at"] + timedelta(minutes=data["duration"]),
                place=data["place"],
                invitees=list(data["invitees"]),
            )


class _MeetingPage(ActionPage):
    """A page about one meeting of the disagreement (its id in the address), offered while it is still on."""

    meeting: Meeting

    def get(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.meeting = self._meeting(kwargs["meeting"])
        return super().get(request, pk, **kwargs)

    def post(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.meeting = self._meeting(kwargs["meeting"])
        return super().post(request, pk, **kwargs)

    def _meeting(self, pk: UUID) -> Meeting:
        try:
            return meeting_in(self.disagreement, pk)
        except NotFound:
            raise Http404 from None

    def may(self) -> bool:
        return super().may() and self.meeting.cancelled_at is None

    def why_not(self) -> str:
        if self.disagreement.is_open and self.meeting.cancelled_at is not None:
            when = timezone.localtime(self.meeting.cancelled_at).strftime("%d %B %Y")
            return str(_("This meeting was cancelled on %(when)s.") % {"when": when})
        return super().why_not()

    def extra_context(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting,
            "when": when_words(self.meeting.starts_at, self.meeting.ends_at),
            "invitees": list(self.meeting.invitees.select_related("agency").order_by("name", "pk")),
        }


class MovePage(_MeetingPage):
    action = Action.SCHEDULE_MEETING
    form_class = WhenWhereForm
    title = _("Move the meeting")
    done = _("The meeting has been moved, and everyone invited has been sent the update.")
    submit = _("Move the meeting and send the update")
    template_name = "web/act/meeting.html"

    def form_kwargs(self) -> dict[str, Any]:
        minutes = int((self.meeting.ends_at - self.meeting.starts_at).total_seconds() // 60)
        offered = {m for m, _words in DURATIONS}
        initial = {"starts_at": self.meeting.starts_at, "place": self.meeting.place}
        if minutes in offered:
            initial["duration"] = str(minutes)
        return {"initial": initial}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        with fields_renamed(RENAMED):
            return meeting_move(
                meeting=self.meeting,
                by=self.person,
                starts_at=data["starts_at"],
                ends_at=data["starts_at"] + timedelta(minutes=data["duration"]),
                place=data["place"],
            )


class CancelForm(GovForm):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        help_text=_(
            "This is kept on the disagreement. Everyone invited is told the meeting is cancelled, but not why. "
            "Do not include the child's name."
        ),
        widget=forms.Textarea,
        error_messages={"required": _("Enter why the meeting is cancelled")},
    )


class CancelPage(_MeetingPage):
    action = Action.SCHEDULE_MEETING
    form_class = CancelForm
    title = _("Cancel the meeting")
    done = _("The meeting has been cancelled, and everyone invited has been told.")
    submit = _("Cancel the meeting and tell everyone invited")
    template_name = "web/act/meeting.html"

    def extra_context(self) -> dict[str, Any]:
        return {**super().extra_context(), "cancelling": True}

    def perform(self, form: GovForm) -> object:
        return meeting_cancel(meeting=self.meeting, by=self.person, reason=form.cleaned_data["reason"])


urlpatterns = [
    path("meetings/schedule/", SchedulePage.as_view(), name="disagreement_meeting_schedule"),
    path("meetings/<uuid:meeting>/move/", MovePage.as_view(), name="disagreement_meeting_move"),
    path("meetings/<uuid:meeting>/cancel/", CancelPage.as_view(), name="disagreement_meeting_cancel"),
]
