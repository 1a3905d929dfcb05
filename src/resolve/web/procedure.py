"""The procedure pages: the adopted procedure's pathways, one pathway step by step, and its what-if.

Thin faces over ``resolve.partnerships.procedure_page``: anyone with a person in the partnership may
read them (they hold no child's data). A pathway the adopted version does not have is a 404. The
what-if is a GET form on the pathway page (bookmarkable, and nothing changes): the pathway's page is
read first, because the form's choices are its stages and the procedure's flags; once the form is
valid, the what-if selector gives every deadline. Bad input is the error summary and a 400.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.procedure_page import (
    STAGES_LIST_ID,
    PathwayPage,
    pathway_page,
    pathway_what_if,
    procedure_overview,
)
from resolve.partnerships.selectors import person_of
from resolve.web.forms import DateTimeField, GovForm

CIRCUMSTANCES = {
    "significant_harm": _("A child is at risk of significant harm"),
    "urgent": _("Urgent: it starts at the first stage an urgent disagreement may start at"),
    "child_protection": _("The child is subject to child protection procedures"),
}


class WhatIfForm(GovForm):
    """When the disagreement is raised, what is true of it, and the stage it starts at."""

    start = DateTimeField(
        label=_("When the disagreement is raised"),
        what=_("The date the disagreement is raised"),
        help_text=_("For example, 24 12 2026 and 15:00. UK time."),
    )
    circumstances = forms.MultipleChoiceField(
        label=_("What is true of the disagreement"),
        help_text=_("Select all that apply."),
        choices=list(CIRCUMSTANCES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only the circumstances listed")},
    )
    flags = forms.MultipleChoiceField(
        label=_("The procedure's own conditions"),
        help_text=_("Select all that apply."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only the procedure's own conditions")},
    )
    from_stage = forms.ChoiceField(
        label=_("The stage it starts at"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a stage of this pathway to start from")},
    )

    def __init__(self, *args: Any, page: PathwayPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if page.flags:
            self.fields["flags"].choices = list(page.flags)  # type: ignore[attr-defined]
        else:
            del self.fields["flags"]
        self.fields["from_stage"].choices = [  # type: ignore[attr-defined]
            ("", _("Where the procedure starts (for an urgent one, the first stage it may start at)")),
            *((shown.stage.slug, shown.stage.name) for shown in page.stages),
        ]
        self.fields["from_stage"].initial = ""

    def asked(self) -> dict[str, Any]:
        """The what-if selector's keyword arguments, from the valid form."""
        data = self.cleaned_data
        chosen = set(data["circumstances"])
        return {
            "start": data["start"],
            "significant_harm": "significant_harm" in chosen,
            "urgent": "urgent" in chosen,
            "child_protection": "child_protection" in chosen,
            "flags": tuple(data.get("flags", ())),
            "from_stage": data["from_stage"] or None,
        }


@login_required
def procedure(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    overview = procedure_overview(person=person) if person else None
    return render(request, "web/procedure/list.html", {"person": person, "overview": overview})


@login_required
def procedure_pathway(request: HttpRequest, pathway: str) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        page = pathway_page(person=person, pathway=pathway)
    except NotFound:
        raise Http404 from None
    asked = any(key.startswith("start") for key in request.GET)
    form = WhatIfForm(request.GET if asked else None, page=page)
    what_if = None
    if asked and form.is_valid():
        try:
            what_if = pathway_what_if(person=person, pathway=pathway, **form.asked())
        except ResolveError as error:
            form.refuse(error)
    context = {"person": person, "page": page, "form": form, "what_if": what_if, "stages_list_id": STAGES_LIST_ID}
    return render(request, "web/procedure/pathway.html", context, status=400 if form.errors else 200)
