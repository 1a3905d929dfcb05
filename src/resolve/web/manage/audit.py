"""Administration pages: the audit trail of one disagreement or one person, downloaded as JSON or CSV.

What the admin's export does, for a partnership's own administrators and only for its own trail: a
disagreement by its short reference, or a person (a subject access request) found by their e-mail
address. Every export is itself an entry in the trail (``trail_export`` records ``Verb.EXPORTED``).
The search is a POST, so that an e-mail address never appears in an address or a server's log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.accounts.trail_export import FORMATS, disagreement_id_for_reference, trail_export
from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import Partnership, Person
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page

FORMAT_CHOICES = [("csv", gettext_lazy("CSV (opens in a spreadsheet)")), ("json", gettext_lazy("JSON"))]
assert {f for f, _label in FORMAT_CHOICES} == set(FORMATS)
SEARCH_LIMIT = 50


class DisagreementExportForm(GovForm):
    reference = forms.CharField(
        label=gettext_lazy("Disagreement's reference"),
        max_length=40,
        help_text=gettext_lazy("Its short reference, such as NEL-2026-0042."),
        error_messages={"required": gettext_lazy("Enter the disagreement's reference.")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMAT_CHOICES, initial="csv", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="disagreement", **kwargs)


class PersonSearchForm(GovForm):
    email = forms.CharField(
        label=gettext_lazy("Person's e-mail address"),
        max_length=254,
        help_text=gettext_lazy("All or part of it. People who have left the partnership are found too."),
        error_messages={"required": gettext_lazy("Enter all or part of the person's e-mail address.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="person", **kwargs)

    def clean_email(self) -> str:
        text = str(self.cleaned_data["email"]).strip()
        if "\x00" in text:
            raise forms.ValidationError(_("The e-mail address must not contain a NUL character."))
        return text


class PersonExportForm(forms.Form):
    """One found person's download buttons (not shown as fields: the buttons carry the values)."""

    person = forms.UUIDField()
    format = forms.ChoiceField(choices=FORMAT_CHOICES)


def _download(export: Any, fmt: str) -> HttpResponse:
    response = HttpResponse(export.as_text(fmt), content_type=export.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{export.filename(fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@administers
def audit(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    disagreement_form = DisagreementExportForm(request.POST if action == "disagreement" else None)
    search_form = PersonSearchForm(request.POST if action == "search" else None)
    found: list[Person] | None = None
    status = 200
    if action == "disagreement":
        if disagreement_form.is_valid():
            data = disagreement_form.cleaned_data
            pk = disagreement_id_for_reference(partnership=partnership, reference=data["reference"])
            try:
                if not pk:
                    raise NotFound(
                        _("No disagreement of %(name)s has this reference: check it.") % {"name": partnership.name},
                        field="reference",
                    )
                export = trail_export(disagreement_id=pk, by=request.user, partnership=partnership)
            except ResolveError as error:
                disagreement_form.refuse(
                    ResolveError(error.message, field="reference") if error.field == "disagreement" else error
                )
                status = 400
            else:
                return _download(export, data["format"])
        else:
            status = 400
    elif action == "search":
        if search_form.is_valid():
            text = search_form.cleaned_data["email"]
            found = list(
                Person.objects.filter(partnership=partnership)
                .filter(Q(email__iexact=text) | Q(email__icontains=text))
                .select_related("agency")
                .order_by("name", "pk")[:SEARCH_LIMIT]
            )
        else:
            status = 400
    elif action == "person":
        chosen = PersonExportForm(request.POST)
        if not chosen.is_valid():
            raise Http404
        try:
            export = trail_export(
                person_id=str(chosen.cleaned_data["person"]), by=request.user, partnership=partnership
            )
        except ResolveError:
            raise Http404 from None
        return _download(export, chosen.cleaned_data["format"])
    context = {
        "disagreement_form": disagreement_form,
        "search_form": search_form,
        "found": found,
        "limit": SEARCH_LIMIT,
        "formats": FORMAT_CHOICES,
    }
    return page(request, partnership, "web/manage/audit/export.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("audit/", audit, name="audit"),
]
