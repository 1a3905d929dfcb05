"""The record of a disagreement for the child's file and each agency's file: the page, and its PDF and Word copies.

Thin faces over ``resolve.documents.records``: the selector checks who asks; refused, unknown and
unlinked all get the same "Page not found".
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path

from resolve.core.errors import NotFound
from resolve.documents import render as documents
from resolve.documents.records import record_check, record_make, record_page
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import person_of

SAFE = ("GET", "HEAD")


def _not_allowed(person: Person, pk: UUID) -> HttpResponse:
    """Only reading: a 405 for someone who may see it, the same 404 as a missing one for anyone else."""
    try:
        record_check(person=person, pk=pk)
    except NotFound:
        raise Http404 from None
    return HttpResponseNotAllowed(SAFE)


@login_required
def record(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The record on screen, with the copies for each file to download as PDF or Word."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    if request.method not in SAFE:
        return _not_allowed(person, pk)
    try:
        shown = record_page(person=person, pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "web/records/record.html", {"person": person, "record": shown})


@login_required
def download(request: HttpRequest, pk: UUID, copy: str, kind: str) -> HttpResponse:
    """One copy of the record, as PDF or Word; an unknown copy or format is "Page not found"."""
    person = person_of(request.user)
    if person is None or kind not in documents.FORMATS:
        raise Http404
    if request.method not in SAFE:
        return _not_allowed(person, pk)
    try:
        content, filename = record_make(person=person, pk=pk, copy=copy, kind=kind)
    except NotFound:
        raise Http404 from None
    return documents.download(content, filename=filename, kind=kind)


# Not ``record/`` (the brief's address): ``resolve.web.act.records`` has ``record/`` (name
# ``disagreement_record``) for adding a record, and is included first, so that address is taken.
urlpatterns = [
    path("record-for-the-files/", record, name="disagreement_files_record"),
    path("record-for-the-files/<str:copy>.<str:kind>", download, name="disagreement_record_download"),
]
