"""The page where a handler records a disagreement's wider learning (``reports.learning.learning_record``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action, reason
from resolve.disagreements.models import Disagreement
from resolve.partnerships.themes import themes_offered
from resolve.reports.learning import learning_record
from resolve.web.actions import ActionPage
from resolve.web.forms import GovForm

# Required-ness is the service's ("at least one of"): it says what to enter, as every other face does.


class LearningForm(GovForm):
    policy_gap = forms.CharField(
        label=_("A gap in policies or procedures (optional)"),
        help_text=_("What a policy or procedure did not cover, or made unclear. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )
    training_need = forms.CharField(
        label=_("A training need (optional)"),
        help_text=_("For one agency or for several. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )
    note = forms.CharField(
        label=_("Any other wider learning (optional)"),
        help_text=_("Do not include the child's name."),
        widget=forms.Textarea,
        required=False,
    )
    theme_ids = forms.MultipleChoiceField(
        label=_("Themes (optional)"),
        help_text=_("Select all that apply, from the themes the partnership keeps."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose the themes from the list")},
    )

    def __init__(self, *args: Any, disagreement: Disagreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme_ids"]
        assert isinstance(field, forms.MultipleChoiceField)
        choices = [(str(t.pk), t.name) for t in themes_offered(disagreement.partnership_id)]
        field.choices = choices
        field.widget.choices = choices
        if not choices:
            del self.fields["theme_ids"]


class LearningPage(ActionPage):
    action = Action.RECORD_LEARNING
    form_class = LearningForm
    title = _("Record wider learning")
    done = _("The wider learning has been recorded.")
    submit = _("Record the learning")
    template_name = "web/act/learning.html"

    def form_kwargs(self) -> dict[str, Any]:
        return {"disagreement": self.disagreement}

    def why_not(self) -> str:
        if self.disagreement.status == Disagreement.Status.WITHDRAWN:
            return gettext("This disagreement was withdrawn: there is no resolution to record wider learning from.")
        return reason(self.person, self.action, self.disagreement)

    def perform(self, form: GovForm) -> object:
        data = form.cleaned_data
        return learning_record(
            disagreement=self.disagreement,
            by=self.person,
            policy_gap=data["policy_gap"],
            training_need=data["training_need"],
            note=data["note"],
            theme_ids=data.get("theme_ids", []),
        )


urlpatterns = [path("learning/", LearningPage.as_view(), name="disagreement_learning")]
