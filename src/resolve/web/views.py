"""Pages: thin faces over the selectors. No business rules here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from resolve.disagreements.selectors import work_for
from resolve.partnerships.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = (
        Person.objects.filter(user__pk=request.user.pk, is_active=True).select_related("partnership").first()
        if request.user.pk is not None
        else None
    )
    work = work_for(person=person) if person else None
    return render(request, "web/home.html", {"person": person, "work": work})
