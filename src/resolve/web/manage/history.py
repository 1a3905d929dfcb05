"""The procedure's version history: who adopted each version and when, the difference between two, each one's YAML."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from resolve.partnerships.models import Partnership
from resolve.partnerships.versions import VersionEntry, adopted_versions, versions_for
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.versions import version_difference
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class CompareForm(GovForm):
    """Which two of the partnership's versions to compare (a GET form: the address says what is shown)."""

    def __init__(self, *args: Any, versions: list[ProcedureVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slugs = {v.slug for v in versions}
        choices = [
            (str(v.pk), _("Version %(n)s") % {"n": v.version} + (f" ({v.slug})" if len(slugs) > 1 else ""))
            for v in versions
        ]
        invalid = _("Choose one of the versions this partnership has adopted")
        self.fields["from"] = forms.ChoiceField(
            label=_("From"), choices=choices, error_messages={"invalid_choice": invalid, "required": invalid}
        )
        self.fields["to"] = forms.ChoiceField(
            label=_("To"), choices=choices, error_messages={"invalid_choice": invalid, "required": invalid}
        )
        for name in ("from", "to"):
            self._style(name, self.fields[name])


def _defaults(entries: list[VersionEntry]) -> dict[str, str]:
    """The previous version and the current one (newest first in ``entries``)."""
    current = next((e.version for e in entries if e.current), entries[0].version if entries else None)
    previous = next((e.version for e in entries if current is not None and e.version.pk != current.pk), None)
    if current is None or previous is None:
        return {}
    return {"from": str(previous.pk), "to": str(current.pk)}


@administers
def versions(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    entries = versions_for(partnership)
    adopted = list(adopted_versions(partnership))
    by_pk = {str(v.pk): v for v in adopted}
    asked = "from" in request.GET or "to" in request.GET
    form = CompareForm(request.GET if asked else _defaults(entries) or None, versions=adopted)
    difference = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            difference = version_difference(by_pk[form.cleaned_data["from"]], by_pk[form.cleaned_data["to"]])
        else:
            status = 400
    return page(
        request,
        partnership,
        "web/manage/versions/index.html",
        {"entries": entries, "form": form, "difference": difference, "comparable": len(adopted) > 1},
        status=status,
    )


@administers
def version_download(request: HttpRequest, partnership: Partnership, version: int) -> HttpResponse:
    """The version's YAML exactly as stored, for a version this partnership adopted (else 404)."""
    found = adopted_versions(partnership).filter(pk=version).first()
    if found is None:
        raise Http404
    response = HttpResponse(found.source_text.encode("utf-8"), content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-v{found.version}.yaml"'
    return response


urlpatterns = [
    path("procedure/versions/", versions, name="versions"),
    path("procedure/versions/<int:version>/yaml/", version_download, name="version_download"),
]
