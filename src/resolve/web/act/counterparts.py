"""Invite another partnership's counterpart to a cross-borough disagreement (Enfield section 9, L88-90).

One page, one service call (``counterpart_invite``): the person who raised it, or someone with the
current stage's authority, chooses a person of another partnership's agency in dispute, at the
stage's level for that agency. The page lists who may be chosen (``counterparts_invitable``); the
service checks everything again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action
from resolve.disagreements.services import counterpart_invite, counterparts_invitable
from resolve.partnerships.models import Person
from resolve.web.actions import ActionPage
from resolve.web.forms import GovForm


class CounterpartChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        agency = person.agency.name if person.agency else ""
        return f"{person.name}, {person.job_title} ({agency}, {person.partnership.name})"


class InviteForm(GovForm):
    person = CounterpartChoice(
        label=_("Who do you want to invite from the other partnership?"),
        help_text=_(
            "People at the current stage's level or above in each agency of another partnership that this "
            "disagreement is with. They, and their line managers, will see it and act for their agency."
        ),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the person to invite"),
            "invalid_choice": _("Choose the person to invite from the list"),
        },
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, CounterpartChoice)
        field.queryset = (
            Person.objects.filter(pk__in=[p.pk for p in people])
            .select_related("agency", "partnership")
            .order_by("partnership__name", "agency__name", "level", "name", "pk")
        )
        self._style("person", field)


class InvitePage(ActionPage):
    action = Action.INVITE_COUNTERPART
    form_class = InviteForm
    title = _("Invite a counterpart from another partnership")
    done = _("The counterpart has been invited and told. They, and their line managers, can now see it.")
    submit = _("Invite them")
    template_name = "web/act/counterpart_invite.html"

    def form_kwargs(self) -> dict[str, Any]:
        return {"people": [p for _agency, _level, people in self._invitable() for p in people]}

    def _invitable(self) -> list[tuple[Any, int | None, list[Person]]]:
        return counterparts_invitable(self.disagreement)

    def extra_context(self) -> dict[str, Any]:
        return {"invitable": self._invitable()}

    def perform(self, form: GovForm) -> object:
        return counterpart_invite(disagreement=self.disagreement, person=form.cleaned_data["person"], by=self.person)


urlpatterns = [
    path("counterparts/invite/", InvitePage.as_view(), name="disagreement_counterpart_invite"),
]
