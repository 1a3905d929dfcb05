"""The record of a disagreement for the child's file and each agency's file: the page, and its PDF and Word copies.

Thin faces over ``resolve.documents.records``: the selector checks who asks; refused, unknown and
unlinked all get the same "Page not found".
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from resolve.core.errors import NotFound
from resolve.documents import render as documents
from resolve.documents.records import record_make, record_page
from resolve.partnerships.selectors import person_of


@login_required
@require_safe
def record(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The record on screen, with the copies for each file to download as PDF or Word."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        shown = record_page(person=person, pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "web/records/record.html", {"person": person, "record": shown})


@login_required
@require_safe
def download(request: HttpRequest, pk: UUID, copy: str, kind: str) -> HttpResponse:
    """One copy of the record, as PDF or Word; an unknown copy or format is "Page not found"."""
    person = person_of(request.user)
    if person is None or kind not in documents.FORMATS:
        raise Http404
    try:
        content, filename = record_make(person=person, pk=pk, copy=copy, kind=kind)
    except NotFound:
        raise Http404 from None
    return documents.download(content, filename=filename, kind=kind)


urlpatterns = [
    path("record/", record, name="disagreement_record"),
    path("record/<str:copy>.<str:kind>", download, name="disagreement_record_download"),
]
