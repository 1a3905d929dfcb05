"""What every oversight page shares: who may reach it, the section navigation, and the layout."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from resolve.partnerships.models import Partnership
from resolve.reports.access import may_oversee
from resolve.web.sections import Section, section_links

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Partnership, P], HttpResponse]


SECTIONS = (
    Section("dashboard", _("Dashboard"), "", also=("export/",)),
    Section("quarterly", _("Quarterly report"), "quarterly/"),
    Section("board_reports", _("Reports to the board"), "reports/"),
    Section("learning", _("Learning log"), "learning/"),
)


def sections(request: HttpRequest, partnership: Partnership) -> list[dict[str, Any]]:
    """The navigation: each section's address, and whether the page shown is in it."""
    return section_links(request, partnership, namespace="oversight", sections=SECTIONS)


def oversees(view: View[P]) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
    """The view runs only for someone who oversees the partnership named in the address.

    Signed out: the sign-in page. Anyone else, or no such partnership: the same 404, so that a page
    never says which partnerships exist. The view's service checks again (``oversight_check``).
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, partnership: str, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None or not may_oversee(request.user, found):
            raise Http404
        return view(request, found, *args, **kwargs)

    return wrapped


def page(
    request: HttpRequest, partnership: Partnership, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render an oversight page with the partnership and the section navigation."""
    return render(
        request,
        template,
        {"partnership": partnership, "sections": sections(request, partnership), **context},
        status=status,
    )
