"""Pages for the people a stage brings in and the decisions they record: the independent reviewer and
their decision, a handler the procedure makes "on request", the case's own deadline, and NEL's conference."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.disagreements import preview
from resolve.disagreements.models import RecordEntry, StageDeadline
from resolve.disagreements.services import (
    deadline_set_for_case,
    handler_request,
    record_add,
    reviewer_appoint,
    reviewer_decision_record,
)
from resolve.partnerships.models import Person
from resolve.web.actions import ActionPage
from resolve.web.forms import DateTimeField, GovForm

# Required-ness of the text fields is the service's: it says what to enter, in the same words as every other face.


class OfferedByStage(ActionPage):
    """An action page the current stage must offer (``preview.not_offered``) as well as the policy."""

    offered_by: str

    def may(self) -> bool:
        return super().may() and preview.not_offered(self.disagreement, self.offered_by) is None

    def why_not(self) -> str:
        return preview.not_offered(self.disagreement, self.offered_by) or super().why_not()


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        where = person.agency.name if person.agency else person.job_title
        return f"{person.name} ({where})" if where else person.name


class ReviewerForm(GovForm):
    reviewer = PersonChoice(
        label=_("Who is the independent reviewer?"),
        help_text=_("Someone from none of the agencies in dispute."),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the independent reviewer"),
            "invalid_choice": _("Choose the independent reviewer from the list"),
        },
    )

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, PersonChoice)
        field.queryset = (
            Person.objects.filter(pk__in=[p.pk for p in candidates]).select_related("agency").order_by("name", "pk")
        )


class ReviewerPage(OfferedByStage):
    action = Action.APPOINT_REVIEWER
    offered_by = "reviewer"
    form_class = ReviewerForm
    title = _("Appoint an independent reviewer")
    done = _("The independent reviewer has been named.")
    submit = _("Appoint the reviewer")

    def form_kwargs(self) -> dict[str, Any]:
        return {"candidates": preview.reviewer_candidates(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        return reviewer_appoint(disagreement=self.disagreement, by=self.person, reviewer=form.cleaned_data["reviewer"])


class DecisionForm(GovForm):
    decision = forms.CharField(label=_("What is your decision?"), widget=forms.Textarea, required=False)
    reasons = forms.CharField(
        label=_("What are the reasons for it?"),
        help_text=_("Everyone taking part will read this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )


class DecisionPage(OfferedByStage):
    action = Action.DECIDE
    offered_by = "reviewer"
    form_class = DecisionForm
    title = _("Record the independent reviewer's decision")
    done = _("The decision has been recorded.")
    submit = _("Record the decision")

    def perform(self, form: GovForm) -> object:
        return reviewer_decision_record(
            disagreement=self.disagreement,
            by=self.person,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
        )


class HandlerForm(GovForm):
    role = forms.ChoiceField(
        label=_("Who do you want to bring in?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the role to request"),
            "invalid_choice": _("Select one of the roles listed"),
        },
    )
    reason = forms.CharField(
        label=_("Why are they needed?"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = roles


class HandlerPage(OfferedByStage):
    action = Action.ADD_HANDLER
    offered_by = "handler"
    form_class = HandlerForm
    title = _("Request a handler the procedure names on request")
    done = _("The request has been recorded and the role's holders now take part.")
    submit = _("Send the request")

    def form_kwargs(self) -> dict[str, Any]:
        return {"roles": preview.roles_on_request(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        return handler_request(
            disagreement=self.disagreement,
            by=self.person,
            role=form.cleaned_data["role"],
            reason=form.cleaned_data["reason"],
        )


def _at_the_latest(deadline: StageDeadline) -> str:
    assert deadline.due is not None
    due = timezone.localtime(deadline.due).strftime("%H:%M on %-d %B %Y")
    return str(_("At the latest %(due)s (%(rule)s [%(source)s])")) % {
        "due": due,
        "rule": deadline.rule,
        "source": deadline.source,
    }


class DeadlineForm(GovForm):
    timescale = forms.ChoiceField(
        label=_("Which deadline are you setting for this case?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the deadline to set"),
            "invalid_choice": _("Select one of the deadlines listed"),
        },
    )
    due = DateTimeField(
        label=_("When is it due?"),
        what=_("When it is due"),
        help_text=_("No later than the procedure's date. For example, 27 3 2026 14:30"),
    )
    reason = forms.CharField(
        label=_("Why is this deadline right for the case?"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, caps: list[StageDeadline], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timescale"]
        assert isinstance(field, forms.ChoiceField)
        choices = [(cap.timescale, cap.what) for cap in caps]
        field.choices = choices
        field.widget.hints = {cap.timescale: _at_the_latest(cap) for cap in caps}
        if len(caps) == 1:
            field.initial = caps[0].timescale


class DeadlinePage(OfferedByStage):
    action = Action.SET_DEADLINE
    offered_by = "deadline"
    form_class = DeadlineForm
    title = _("Set an earlier deadline for this case")
    done = _("The deadline for this case has been set.")
    submit = _("Set the deadline")

    def form_kwargs(self) -> dict[str, Any]:
        return {"caps": preview.deadlines_case_may_set(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        return deadline_set_for_case(
            disagreement=self.disagreement,
            by=self.person,
            timescale=form.cleaned_data["timescale"],
            due=form.cleaned_data["due"],
            reason=form.cleaned_data["reason"],
        )


VIEW_WORDS = {
    "unanimous": (_("Unanimous"), _("Every agency agrees.")),
    "majority": (_("A majority view"), _("The decision is made on the majority view.")),
    "equally_divided": (_("Equally divided"), _("The conference is adjourned, or cannot reach a view.")),
}


class ConferenceForm(GovForm):
    occurred_at = DateTimeField(
        label=_("When did the conference meet?"),
        what=_("When the conference met"),
        help_text=_("For example, 27 3 2026 14:30"),
    )
    view = forms.ChoiceField(
        label=_("What was the conference's view?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the conference's view"),
            "invalid_choice": _("Select one of the views listed"),
        },
    )
    decision = forms.CharField(
        label=_("What did the conference decide?"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )
    minority_view = forms.CharField(
        label=_("The concerns and reasons of those who hold the minority view"),
        help_text=_("Needed for a majority view: they are kept in the full conference record."),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, views: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["view"]
        assert isinstance(field, forms.ChoiceField)
        choices = [(view, VIEW_WORDS[view][0]) for view in views]
        field.choices = choices
        field.widget.hints = {view: str(VIEW_WORDS[view][1]) for view in views}
        if len(views) == 1:
            field.initial = views[0]


class ConferencePage(OfferedByStage):
    action = Action.RECORD
    offered_by = "conference"
    form_class = ConferenceForm
    title = _("Record the conference's view")
    done = _("The conference's view has been recorded.")
    submit = _("Record the conference's view")
    template_name = "web/act/conference.html"

    @cached_property
    def conference(self) -> preview.ConferencePreview | None:
        return preview.conference_preview(self.disagreement)

    def form_kwargs(self) -> dict[str, Any]:
        return {"views": self.conference.views if self.conference else ()}

    def extra_context(self) -> dict[str, Any]:
        return {"conference": self.conference}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        return record_add(
            disagreement=self.disagreement,
            by=self.person,
            kind=RecordEntry.Kind.CONFERENCE_RECORD,
            occurred_at=data["occurred_at"],
            fields={"view": data["view"], "decision": data["decision"], "minority_view": data["minority_view"]},
        )


urlpatterns = [
    path("reviewer/", ReviewerPage.as_view(), name="disagreement_reviewer"),
    path("decision/", DecisionPage.as_view(), name="disagreement_decision"),
    path("handler/", HandlerPage.as_view(), name="disagreement_handler"),
    path("deadline/", DeadlinePage.as_view(), name="disagreement_deadline"),
    path("conference/", ConferencePage.as_view(), name="disagreement_conference"),
]
