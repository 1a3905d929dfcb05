"""The procedure pages: the adopted procedure's pathways, one pathway step by step, and its what-if.

Thin faces over ``resolve.partnerships.procedure_page``: anyone with a person in the partnership may
read them (they hold no child's data). A pathway the adopted version does not have is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from resolve.core.errors import NotFound
from resolve.partnerships.procedure_page import STAGES_LIST_ID, pathway_page, procedure_overview
from resolve.partnerships.selectors import person_of


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
    return render(
        request, "web/procedure/pathway.html", {"person": person, "page": page, "stages_list_id": STAGES_LIST_ID}
    )
