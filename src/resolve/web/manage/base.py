"""What every administration page shares: who may reach it, the section navigation, and the layout."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from resolve.partnerships.models import Partnership
from resolve.partnerships.selectors import partnerships_administered_by
from resolve.web.sections import Section, section_links

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Partnership, P], HttpResponse]


SECTIONS = (
    Section("overview", _("Overview"), ""),
    Section("administrators", _("Administrators"), "administrators/"),
    Section("agencies", _("Agencies"), "agencies/"),
    Section("people", _("People"), "people/"),
    Section("roles", _("Partnership roles"), "roles/"),
    Section("matrix", _("Seniority matrix"), "matrix/"),
    Section("themes", _("Learning themes"), "themes/"),
    Section("calendar", _("Calendar"), "calendar/"),
    Section("procedure", _("Procedure"), "procedure/"),
    Section("settings", _("Settings"), "settings/"),
    Section("audit", _("Audit trail"), "audit/"),
)


def sections(request: HttpRequest, partnership: Partnership) -> list[dict[str, Any]]:
    """The navigation: each section's address, and whether the page shown is in it."""
    return section_links(request, partnership, namespace="manage", sections=SECTIONS)


def administers(view: View[P]) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
    """The view runs only for an administrator of the partnership named in the address.

    Signed out: the sign-in page. Signed in but administering no partnership: 403. Administering
    others but not this one (or no such partnership): 404, the same for both, so that a page never
    says which partnerships exist.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, partnership: str, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        administered = partnerships_administered_by(request.user)
        found = administered.filter(slug=partnership).first()
        if found is None:
            if administered.exists():
                raise Http404
            return render(request, "web/manage/refused.html", status=403)
        return view(request, found, *args, **kwargs)

    return wrapped


def page(
    request: HttpRequest, partnership: Partnership, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render an administration page with the partnership and the section navigation."""
    return render(
        request,
        template,
        {"partnership": partnership, "sections": sections(request, partnership), **context},
        status=status,
    )
