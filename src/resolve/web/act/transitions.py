"""Pages that move a disagreement on: withdraw (and, with them, escalate and resolve)."""

from __future__ import annotations

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.disagreements.services import disagreement_withdraw
from resolve.web.actions import ActionPage
from resolve.web.forms import GovForm


class WithdrawForm(GovForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing this disagreement?"),
        help_text=_("Everyone taking part will see this. Do not include the child's name."),
        widget=forms.Textarea,
        required=False,  # the service says what to enter, in the same words as every other face
    )


class WithdrawPage(ActionPage):
    action = Action.WITHDRAW
    form_class = WithdrawForm
    title = _("Withdraw the disagreement")
    done = _("The disagreement has been withdrawn.")
    submit = _("Withdraw the disagreement")

    def perform(self, form: GovForm) -> object:
        return disagreement_withdraw(disagreement=self.disagreement, by=self.person, reason=form.cleaned_data["reason"])


urlpatterns = [
    path("withdraw/", WithdrawPage.as_view(), name="disagreement_withdraw"),
]
