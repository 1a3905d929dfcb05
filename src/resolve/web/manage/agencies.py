"""Administration pages: the partnership's agencies (list, add, change, retire and restore).

Each page that changes something makes one service call (``resolve.partnerships.people``); bad input
is shown with GOV.UK's error summary and a 4xx, and a change is followed by a 303 to the agency's page.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import Agency, Partnership
from resolve.partnerships.people import (
    agencies_for,
    agency_add,
    agency_change,
    agency_of,
    agency_restore,
    agency_retire,
    matrix_columns_of,
)
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class AgencyForm(GovForm):
    name = forms.CharField(label=gettext_lazy("Name"), required=False)
    matrix_agency = forms.ChoiceField(
        label=gettext_lazy("Column of the seniority matrix"),
        help_text=gettext_lazy(
            "Which column of the adopted procedure's seniority matrix this agency's levels and role titles come "
            "from. Choose none if it has no column."
        ),
        required=False,
    )
    email = forms.CharField(
        label=gettext_lazy("E-mail address (optional)"),
        help_text=gettext_lazy("The agency's safeguarding contact, if it has one."),
        required=False,
    )
    phone = forms.CharField(label=gettext_lazy("Telephone (optional)"), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("None"))]
        choices += [(slug, f"{name} ({slug})") for slug, name in matrix_columns_of(partnership)]
        current = self.initial.get("matrix_agency")
        if current and current not in {c for c, _label in choices}:
            choices.append((current, _("%(slug)s (not in the adopted procedure's matrix)") % {"slug": current}))
        _choices(self, "matrix_agency", choices)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "class": "govuk-input--width-20"})


def _choices(form: GovForm, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _agency_url(partnership: Partnership, agency: Agency) -> str:
    return reverse("manage:agency", kwargs={"partnership": partnership.slug, "agency": agency.pk})


def _found(partnership: Partnership, agency: UUID) -> Agency:
    try:
        return agency_of(partnership, agency)
    except NotFound:
        raise Http404 from None


@administers
def agencies(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    rows = agencies_for(partnership)
    columns = dict(matrix_columns_of(partnership))
    return page(
        request,
        partnership,
        "web/manage/agencies/list.html",
        {
            "rows": [
                {
                    "agency": r.agency,
                    "active_people": r.active_people,
                    "column": columns.get(r.agency.matrix_agency, r.agency.matrix_agency),
                }
                for r in rows
            ],
            "active": sum(1 for r in rows if r.agency.retired_at is None),
        },
    )


@administers
def agency_add_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        form = AgencyForm(partnership=partnership)
        return page(request, partnership, "web/manage/agencies/form.html", {"form": form, "agency": None})
    form = AgencyForm(request.POST, partnership=partnership)
    status = 400
    if form.is_valid():
        try:
            agency = agency_add(partnership=partnership, by=request.user, **form.cleaned_data)
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s was added.") % {"name": agency.name})
            return HttpResponseRedirect(_agency_url(partnership, agency), status=303)
    return page(request, partnership, "web/manage/agencies/form.html", {"form": form, "agency": None}, status=status)


@administers
def agency_page(request: HttpRequest, partnership: Partnership, agency: UUID) -> HttpResponse:
    found = _found(partnership, agency)
    rows = {r.agency.pk: r for r in agencies_for(partnership)}
    return page(
        request,
        partnership,
        "web/manage/agencies/agency.html",
        {
            "agency": found,
            "active_people": rows[found.pk].active_people,
            "column_name": dict(matrix_columns_of(partnership)).get(found.matrix_agency, ""),
        },
    )


@administers
def agency_change_page(request: HttpRequest, partnership: Partnership, agency: UUID) -> HttpResponse:
    found = _found(partnership, agency)
    initial = {"name": found.name, "matrix_agency": found.matrix_agency, "email": found.email, "phone": found.phone}
    context: dict[str, Any] = {"agency": found}
    if request.method != "POST":
        context["form"] = AgencyForm(initial=initial, partnership=partnership)
        return page(request, partnership, "web/manage/agencies/form.html", context)
    form = AgencyForm(request.POST, initial=initial, partnership=partnership)
    context["form"] = form
    status = 400
    if form.is_valid():
        try:
            changed = agency_change(partnership=partnership, agency=found, by=request.user, **form.cleaned_data)
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": changed.name})
            return HttpResponseRedirect(_agency_url(partnership, changed), status=303)
    return page(request, partnership, "web/manage/agencies/form.html", context, status=status)


def _retire_or_restore(request: HttpRequest, partnership: Partnership, agency: UUID, *, retire: bool) -> HttpResponse:
    found = _found(partnership, agency)
    rows = {r.agency.pk: r for r in agencies_for(partnership)}
    context: dict[str, Any] = {"agency": found, "retire": retire, "active_people": rows[found.pk].active_people}
    if request.method == "POST":
        service = agency_retire if retire else agency_restore
        try:
            service(partnership=partnership, agency=found, by=request.user)
        except ResolveError as error:
            context["problem"] = error.message
            return page(request, partnership, "web/manage/agencies/retire.html", context, status=error.status)
        done = _("%(name)s was retired.") if retire else _("%(name)s was restored.")
        messages.success(request, done % {"name": found.name})
        return HttpResponseRedirect(_agency_url(partnership, found), status=303)
    return page(request, partnership, "web/manage/agencies/retire.html", context)


@administers
def agency_retire_page(request: HttpRequest, partnership: Partnership, agency: UUID) -> HttpResponse:
    return _retire_or_restore(request, partnership, agency, retire=True)


@administers
def agency_restore_page(request: HttpRequest, partnership: Partnership, agency: UUID) -> HttpResponse:
    return _retire_or_restore(request, partnership, agency, retire=False)


urlpatterns = [
    path("agencies/", agencies, name="agencies"),
    path("agencies/add/", agency_add_page, name="agency_add"),
    path("agencies/<uuid:agency>/", agency_page, name="agency"),
    path("agencies/<uuid:agency>/change/", agency_change_page, name="agency_change"),
    path("agencies/<uuid:agency>/retire/", agency_retire_page, name="agency_retire"),
    path("agencies/<uuid:agency>/restore/", agency_restore_page, name="agency_restore"),
]
