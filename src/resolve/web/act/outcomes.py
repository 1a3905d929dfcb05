"""Pages for the written outcome (propose it; confirm or dispute it) and the agreed actions (add; complete)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.core.errors import NotFound
from resolve.disagreements import choosing
from resolve.disagreements.models import Action as AgreedAction
from resolve.disagreements.models import OutcomeDispute, WrittenOutcome
from resolve.disagreements.services import (
    action_add,
    action_complete,
    outcome_confirm,
    outcome_dispute,
    outcome_propose,
)
from resolve.web.act.fields import PersonField
from resolve.web.actions import ActionPage
from resolve.web.forms import DateField, GovForm


class OutcomeForm(GovForm):
    text = forms.CharField(
        label=_("What has been agreed?"),
        help_text=_(
            "The agreed outcome, and how any outstanding issues will be pursued. Proposing it confirms it for "
            "your agency; each other agency in dispute is then asked to confirm it."
        ),
        widget=forms.Textarea,
        required=False,  # the service says what to enter
    )


class OutcomePage(ActionPage):
    action = Action.PROPOSE_OUTCOME
    form_class = OutcomeForm
    title = _("Propose a written outcome")
    done = _("The outcome has been proposed and confirmed for your agency. The other agencies are asked to confirm it.")
    submit = _("Propose the outcome")

    def perform(self, form: GovForm) -> object:
        return outcome_propose(disagreement=self.disagreement, by=self.person, text=form.cleaned_data["text"])


CONFIRM, DISPUTE = "confirm", "dispute"


class ConfirmForm(GovForm):
    answer = forms.ChoiceField(
        label=_("Does your agency confirm this outcome?"),
        choices=[
            (CONFIRM, _("Yes, confirm it for my agency")),
            (DISPUTE, _("No, dispute it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you confirm or dispute the outcome"),
            "invalid_choice": _("Choose whether you confirm or dispute the outcome"),
        },
    )
    reason = forms.CharField(
        label=_("If you dispute it, why does it not stand for your agency?"),
        help_text=_("Everyone taking part will see this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,  # the dispute service says what to enter
    )


class ConfirmPage(ActionPage):
    action = Action.CONFIRM_OUTCOME
    form_class = ConfirmForm
    title = _("Confirm or dispute the outcome")
    done = _("Your agency's answer has been recorded.")
    submit = _("Send your answer")
    template_name = "web/act/outcome_confirm.html"

    outcome: WrittenOutcome

    def get(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.outcome = self._outcome(kwargs["outcome"])
        return super().get(request, pk, **kwargs)

    def post(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.outcome = self._outcome(kwargs["outcome"])
        return super().post(request, pk, **kwargs)

    def _outcome(self, pk: UUID) -> WrittenOutcome:
        try:
            return choosing.outcome_in(self.disagreement, pk)
        except NotFound:
            raise Http404 from None

    def why_not(self) -> str:
        answer = choosing.outcome_standing(self.outcome).answer_of(self.person.agency_id)
        if self.disagreement.is_open and isinstance(answer, OutcomeDispute):
            return str(_("Your agency disputed this outcome. %(next)s") % {"next": self._next()})
        if self.disagreement.is_open and answer is not None:
            return str(_("Your agency has already confirmed this outcome."))
        return super().why_not()

    def _next(self) -> str:
        next_stage = choosing.outcome_standing(self.outcome).next_stage
        if next_stage:
            return str(
                _("A new outcome can be proposed, or the disagreement escalated to %(stage)s.") % {"stage": next_stage}
            )
        return str(_("A new outcome can be proposed."))

    def extra_context(self) -> dict[str, Any]:
        return {"standing": choosing.outcome_standing(self.outcome), "next": self._next()}

    def refused(self) -> HttpResponse:
        """Why not, with where the outcome stands: who confirmed it, who disputed it and why."""
        context = {
            "person": self.person,
            "disagreement": self.disagreement,
            "title": self.title,
            "why": self.why_not(),
            **self.extra_context(),
        }
        return render(self.request, "web/act/outcome_answered.html", context, status=403)

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        if data["answer"] == CONFIRM:
            return outcome_confirm(outcome=self.outcome, by=self.person)
        return outcome_dispute(outcome=self.outcome, by=self.person, reason=data["reason"])


class ActionAddForm(GovForm):
    description = forms.CharField(
        label=_("What is the action?"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,  # the service says what to enter
    )
    owner = PersonField(label=_("Who will do it? (optional)"), required=False, empty_label=_("Not decided yet"))
    due_on = DateField(
        label=_("When is it due? (optional)"),
        what=_("The due date"),
        help_text=_("For example, 27 3 2026"),
        required=False,
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self._style("owner", self.fields["owner"])


class ActionAddPage(ActionPage):
    action = Action.RECORD
    form_class = ActionAddForm
    title = _("Add an agreed action")
    done = _("The action has been added.")
    submit = _("Add the action")

    def form_kwargs(self) -> dict[str, Any]:
        return {"people": choosing.people_to_name(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        return action_add(
            disagreement=self.disagreement,
            by=self.person,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
        )


class ActionCompleteForm(GovForm):
    note = forms.CharField(
        label=_("How was it done? (optional)"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )


class ActionCompletePage(ActionPage):
    action = Action.RECORD
    form_class = ActionCompleteForm
    title = _("Complete an action")
    done = _("The action has been marked as complete.")
    submit = _("Mark it as complete")
    template_name = "web/act/action_complete.html"

    agreed: AgreedAction

    def get(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.agreed = self._action(kwargs["action"])
        return super().get(request, pk, **kwargs)

    def post(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        self.agreed = self._action(kwargs["action"])
        return super().post(request, pk, **kwargs)

    def _action(self, pk: UUID) -> AgreedAction:
        try:
            return choosing.action_in(self.disagreement, pk)
        except NotFound:
            raise Http404 from None

    def may(self) -> bool:
        return super().may() and self.agreed.completed_at is None

    def why_not(self) -> str:
        if self.disagreement.is_open and self.agreed.completed_at is not None:
            when = timezone.localtime(self.agreed.completed_at).strftime("%d %B %Y")
            return str(_("This action was completed on %(when)s.") % {"when": when})
        return super().why_not()

    def extra_context(self) -> dict[str, Any]:
        return {"agreed": self.agreed}

    def perform(self, form: GovForm) -> object:
        return action_complete(action=self.agreed, by=self.person, note=form.cleaned_data["note"])


urlpatterns = [
    path("outcome/", OutcomePage.as_view(), name="disagreement_outcome"),
    path("outcome/<uuid:outcome>/confirm/", ConfirmPage.as_view(), name="disagreement_outcome_confirm"),
    path("actions/add/", ActionAddPage.as_view(), name="disagreement_action_add"),
    path("actions/<uuid:action>/complete/", ActionCompletePage.as_view(), name="disagreement_action_complete"),
]
