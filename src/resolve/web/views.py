"""Pages: thin faces over the selectors. No business rules here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from resolve.disagreements.selectors import notices_for, work_for
from resolve.partnerships.selectors import person_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    work = work_for(person=person) if person else None
    notices = notices_for(person=person) if person else []
    return render(request, "web/home.html", {"person": person, "work": work, "notices": notices})


# The pages the footer links to: anyone may read them, signed in or not.
accessibility = TemplateView.as_view(template_name="web/accessibility.html")
privacy = TemplateView.as_view(template_name="web/privacy.html")
cookies = TemplateView.as_view(template_name="web/cookies.html")
