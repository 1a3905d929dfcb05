"""Pages that move a disagreement on: escalate, resolve, withdraw, feedback to the raiser, and the raiser's answer."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.disagreements import preview, rules
from resolve.disagreements.services import (
    disagreement_escalate,
    disagreement_resolve,
    disagreement_withdraw,
    feedback_give,
    raiser_respond,
)
from resolve.disagreements.services.responses import response_refusal
from resolve.web.actions import ActionPage
from resolve.web.forms import DateTimeField, GovForm

# Required-ness of the text fields is the service's: it says what to enter, in the same words as every other face.


class WithdrawForm(GovForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing this disagreement?"),
        help_text=_("Everyone taking part will see this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )


class WithdrawPage(ActionPage):
    action = Action.WITHDRAW
    form_class = WithdrawForm
    title = _("Withdraw the disagreement")
    done = _("The disagreement has been withdrawn.")
    submit = _("Withdraw the disagreement")

    def perform(self, form: GovForm) -> object:
        return disagreement_withdraw(disagreement=self.disagreement, by=self.person, reason=form.cleaned_data["reason"])


class EscalateForm(GovForm):
    reason = forms.CharField(
        label=_("Why does this need to go to the next stage?"),
        help_text=_(
            "Say what has been tried at this stage and what is still disputed. Do not include the child's name."
        ),
        widget=forms.Textarea,
        required=False,
    )
    #: the stage the person saw, so that a second escalation by someone else meanwhile is refused
    from_stage = forms.CharField(widget=forms.HiddenInput, required=False)
    started_at = DateTimeField(
        label=_("When did the next stage begin? (optional)"),
        what=_("When the next stage began"),
        help_text=_(
            "Only if it began before now, such as a conference that has already met. Leave it empty to start it now. "
            "For example, 27 3 2026 14:30"
        ),
        required=False,
    )

    def __init__(self, *args: Any, may_give_start: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_give_start:
            del self.fields["started_at"]


class EscalatePage(ActionPage):
    action = Action.ESCALATE
    form_class = EscalateForm
    title = _("Escalate to the next stage")
    done = _("The disagreement has been escalated to the next stage.")
    submit = _("Escalate the disagreement")
    template_name = "web/act/escalate.html"

    @cached_property
    def preview(self) -> preview.EscalationPreview:
        return preview.escalation_preview(person=self.person, disagreement=self.disagreement)

    def why_not(self) -> str:
        last = rules.last_stage_message(preview.current(self.disagreement)) if self.disagreement.is_open else None
        return last or super().why_not()

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"from_stage": self.preview.current.stage}, "may_give_start": self.preview.may_give_start}

    def extra_context(self) -> dict[str, Any]:
        return {"preview": self.preview}

    def perform(self, form: GovForm) -> object:
        return disagreement_escalate(
            disagreement=self.disagreement,
            by=self.person,
            reason=form.cleaned_data["reason"],
            from_stage=form.cleaned_data["from_stage"] or None,
            started_at=form.cleaned_data.get("started_at"),
        )


class ResolveForm(GovForm):
    """Nothing to type: the written outcome (or the reviewer's decision) is what resolves it."""


class ResolvePage(ActionPage):
    action = Action.RESOLVE
    form_class = ResolveForm
    title = _("Resolve the disagreement")
    done = _("The disagreement has been resolved.")
    submit = _("Resolve the disagreement")
    template_name = "web/act/resolve.html"

    def extra_context(self) -> dict[str, Any]:
        return {"missing": preview.resolution_missing(self.disagreement)}

    def perform(self, form: GovForm) -> object:
        return disagreement_resolve(disagreement=self.disagreement, by=self.person)


class FeedbackForm(GovForm):
    text = forms.CharField(
        label=_("What has been done in response to the disagreement?"),
        help_text=_("The person who raised it will read this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )


class FeedbackPage(ActionPage):
    action = Action.GIVE_FEEDBACK
    form_class = FeedbackForm
    title = _("Give feedback to the person who raised it")
    done = _("Your feedback has been given to the person who raised the disagreement.")
    submit = _("Give feedback")

    def perform(self, form: GovForm) -> object:
        return feedback_give(disagreement=self.disagreement, by=self.person, text=form.cleaned_data["text"])


ANSWERS = (("yes", _("I accept it")), ("no", _("I ask for it to go further")))


class ResponseForm(GovForm):
    accepts = forms.TypedChoiceField(
        label=_("Do you accept the feedback or outcome?"),
        choices=ANSWERS,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you accept it or ask for it to go further"),
            "invalid_choice": _("Select whether you accept it or ask for it to go further"),
        },
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        help_text=_(
            "Needed if you ask for it to go further: the people who can escalate it and your line manager are told. "
            "Do not include the child's name."
        ),
        widget=forms.Textarea,
        required=False,
    )


class ResponsePage(ActionPage):
    action = Action.RESPOND
    form_class = ResponseForm
    title = _("Accept the outcome or ask for it to go further")
    done = _("Your answer has been recorded.")
    submit = _("Send your answer")

    def why_not(self) -> str:
        """Not the raiser, or nothing (new) to answer: in the service's words."""
        return response_refusal(self.disagreement, self.person) or super().why_not()

    def perform(self, form: GovForm) -> object:
        return raiser_respond(
            disagreement=self.disagreement,
            by=self.person,
            accepts=form.cleaned_data["accepts"],
            reason=form.cleaned_data["reason"],
        )


urlpatterns = [
    path("escalate/", EscalatePage.as_view(), name="disagreement_escalate"),
    path("resolve/", ResolvePage.as_view(), name="disagreement_resolve"),
    path("withdraw/", WithdrawPage.as_view(), name="disagreement_withdraw"),
    path("feedback/", FeedbackPage.as_view(), name="disagreement_feedback"),
    path("response/", ResponsePage.as_view(), name="disagreement_response"),
]
