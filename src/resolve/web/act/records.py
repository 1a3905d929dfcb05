"""Pages that add a record to the current stage: a discussion, a meeting, another record, a condition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.disagreements import choosing
from resolve.disagreements.models import RecordEntry
from resolve.disagreements.services import (
    DISCUSSION_METHODS,
    condition_record,
    discussion_record,
    meeting_record,
    record_add,
)
from resolve.web.act.fields import WHEN_HINT, PeopleField, PersonField, fields_renamed
from resolve.web.actions import ActionPage
from resolve.web.forms import DateTimeField, GovForm

METHOD_WORDS = {
    "telephone": _("By telephone"),
    "meeting": _("In a meeting"),
    "video call": _("By video call"),
    "e-mail": _("By e-mail"),
}


class PeopleForm(GovForm):
    """A form with people fields, offered the people who may be named on this disagreement's records."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.people_fields:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
        for name in self.people_fields:  # the choices are known only now: style them again
            self._style(name, self.fields[name])


class DiscussionForm(PeopleForm):
    people_fields = ("with_people",)

    held_at = DateTimeField(
        label=_("When was the discussion?"), what=_("The date of the discussion"), help_text=WHEN_HINT
    )
    method = forms.ChoiceField(
        label=_("How was it held?"),
        choices=[(m, METHOD_WORDS.get(m, m)) for m in DISCUSSION_METHODS],
        widget=forms.RadioSelect,
        required=False,  # the service says what to choose, in the same words as every other face
    )
    with_people = PeopleField(
        label=_("Who took part?"),
        help_text=_("Select everyone who took part, from the agencies in dispute and the people involved."),
        required=False,
    )
    others_present = forms.CharField(
        label=_("Anyone else who took part (optional)"),
        help_text=_("Their names and roles, if they are not listed above."),
        required=False,
    )
    summary = forms.CharField(
        label=_("What was discussed and agreed?"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        error_messages={"required": _("Enter what was discussed and agreed")},
    )


class DiscussionPage(ActionPage):
    action = Action.RECORD
    form_class = DiscussionForm
    title = _("Record a discussion")
    done = _("The discussion has been recorded.")
    submit = _("Save the discussion")

    def form_kwargs(self) -> dict[str, Any]:
        return {"people": choosing.people_to_name(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        with fields_renamed({"occurred_at": "held_at", "person": "with_people"}):
            return discussion_record(
                disagreement=self.disagreement,
                by=self.person,
                held_at=data["held_at"],
                method=data["method"],
                summary=data["summary"],
                with_people=list(data["with_people"]),
                others_present=data["others_present"],
            )


def _text(label: Any, missing: Any, hint: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint or "", widget=forms.Textarea, error_messages={"required": missing}
    )


class MeetingForm(PeopleForm):
    people_fields = ("chair", "attendees")

    held_at = DateTimeField(label=_("When was the meeting?"), what=_("The date of the meeting"), help_text=WHEN_HINT)
    chair = PersonField(label=_("Who chaired it?"), error_messages={"required": _("Choose who chaired the meeting")})
    attendees = PeopleField(label=_("Who attended?"), required=False)
    others_present = forms.CharField(
        label=_("Anyone else who attended (optional)"),
        help_text=_("Their names and roles, if they are not listed above."),
        required=False,
    )
    areas_of_discussion = _text(_("Areas of discussion"), _("Enter the areas the meeting discussed"))
    disagreement_text = _text(_("What is still disagreed"), _("Enter what is still disagreed"))
    agreements = _text(_("What was agreed"), _("Enter what the meeting agreed"))
    actions = _text(
        _("Actions"),
        _("Enter the actions the meeting agreed"),
        _("Who will do what, and by when. You can add each action with its owner on the disagreement's page."),
    )


class MeetingPage(ActionPage):
    action = Action.RECORD
    form_class = MeetingForm
    title = _("Record a multi-agency meeting")
    done = _("The meeting has been recorded.")
    submit = _("Save the meeting record")

    def form_kwargs(self) -> dict[str, Any]:
        return {"people": choosing.people_to_name(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        with fields_renamed({"occurred_at": "held_at", "disagreement": "disagreement_text", "person": "attendees"}):
            return meeting_record(
                disagreement=self.disagreement,
                by=self.person,
                held_at=data["held_at"],
                chair=data["chair"],
                attendees=list(data["attendees"]),
                areas_of_discussion=data["areas_of_discussion"],
                disagreement_text=data["disagreement_text"],
                agreements=data["agreements"],
                actions=data["actions"],
                others_present=data["others_present"],
            )


#: the other records this page adds, in the words a person reads (conference records have their own page)
RECORD_KINDS = {
    RecordEntry.Kind.EXECUTIVE_SUMMARY: _("An executive summary"),
    RecordEntry.Kind.WRITTEN_REQUEST: _("A written request"),
    RecordEntry.Kind.FORM: _("A pro-forma"),
}


def _choices(field: forms.Field, choices: Sequence[tuple[str, Any]]) -> None:
    """Set a choice field's choices once the page knows them (its widget follows)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RecordForm(GovForm):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are adding"), "invalid_choice": _("Choose what you are adding")},
    )
    occurred_at = DateTimeField(
        label=_("When was it written or sent?"),
        what=_("The date it was written or sent"),
        help_text=WHEN_HINT,
    )
    form = forms.ChoiceField(
        label=_("Which pro-forma is it?"),
        help_text=_("For a pro-forma only: the forms the procedure requires at this stage."),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a pro-forma from the list")},
    )
    sent_to = forms.CharField(
        label=_("Who was it sent to?"),
        help_text=_("For a written request only: their role and agency."),
        required=False,
    )
    summary = forms.CharField(
        label=_("What does it say?"),
        help_text=_("A summary, or the text itself. Do not include the child's name."),
        widget=forms.Textarea,
        error_messages={"required": _("Enter what it says")},
    )

    def __init__(self, *args: Any, forms_required: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = list(forms_required or [])
        kinds = [(kind, words) for kind, words in RECORD_KINDS.items() if kind != RecordEntry.Kind.FORM or offered]
        _choices(self.fields["kind"], kinds)
        if offered:
            _choices(self.fields["form"], [(name, name) for name in offered])
        else:
            del self.fields["form"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == RecordEntry.Kind.FORM and "form" in self.fields and not data.get("form"):
            self.add_error("form", _("Choose which pro-forma it is"))
        if kind == RecordEntry.Kind.WRITTEN_REQUEST and not data.get("sent_to"):
            self.add_error("sent_to", _("Enter who the written request was sent to"))
        return data


class RecordPage(ActionPage):
    action = Action.RECORD
    form_class = RecordForm
    title = _("Add a record")
    done = _("The record has been added.")
    submit = _("Add the record")

    def form_kwargs(self) -> dict[str, Any]:
        return {"forms_required": choosing.forms_at_stage(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        kind = data["kind"]
        fields = {"summary": data["summary"]}
        if kind == RecordEntry.Kind.WRITTEN_REQUEST:
            fields["sent_to"] = data["sent_to"]
        if kind == RecordEntry.Kind.FORM:
            fields["form"] = data["form"]
        return record_add(
            disagreement=self.disagreement, by=self.person, kind=kind, occurred_at=data["occurred_at"], fields=fields
        )


class ConditionForm(GovForm):
    condition = forms.ChoiceField(
        label=_("What holds?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what holds"), "invalid_choice": _("Choose one of the conditions listed")},
    )
    note = forms.CharField(
        label=_("What shows that it holds?"),
        help_text=_("The people the procedure names are told once you save this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,  # the service says what to enter
    )

    def __init__(self, *args: Any, conditions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.slug, c.name) for c in conditions]
        hints = {c.slug: _("The procedure, %(source)s") % {"source": c.source} for c in conditions}
        _choices(self.fields["condition"], choices)
        self.fields["condition"].widget.hints = hints


class ConditionPage(ActionPage):
    action = Action.RECORD
    form_class = ConditionForm
    title = _("Record that a condition of the procedure holds")
    done = _("The condition has been recorded, and the people the procedure names have been told.")
    submit = _("Record it")

    def may(self) -> bool:
        return super().may() and bool(choosing.conditions_of(self.disagreement))

    def why_not(self) -> str:
        if self.disagreement.is_open and not choosing.conditions_of(self.disagreement):
            return str(_("This disagreement's procedure names no conditions to record."))
        return super().why_not()

    def form_kwargs(self) -> dict[str, Any]:
        return {"conditions": choosing.conditions_of(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        return condition_record(
            disagreement=self.disagreement, by=self.person, condition=data["condition"], note=data["note"]
        )


urlpatterns = [
    path("discussion/", DiscussionPage.as_view(), name="disagreement_discussion"),
    path("meeting/", MeetingPage.as_view(), name="disagreement_meeting"),
    path("record/", RecordPage.as_view(), name="disagreement_record"),
    path("condition/", ConditionPage.as_view(), name="disagreement_condition"),
]
