"""The administration pages' front doors: which partnership, and how far its set-up has got."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from resolve.partnerships.models import Partnership
from resolve.partnerships.selectors import partnerships_administered_by, setup_of
from resolve.web.manage.base import administers, page


@login_required
def choose(request: HttpRequest) -> HttpResponse:
    """``/manage/``: straight to the one partnership someone administers, else a list to choose from."""
    administered = list(partnerships_administered_by(request.user).order_by("name"))
    if not administered and not request.user.is_superuser:
        return render(request, "web/manage/refused.html", status=403)
    if len(administered) == 1 and not request.user.is_superuser:
        return HttpResponseRedirect(reverse("manage:overview", kwargs={"partnership": administered[0].slug}))
    return render(request, "web/manage/choose.html", {"partnerships": administered})


@administers
def overview(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return page(request, partnership, "web/manage/overview.html", {"setup": setup_of(partnership)})
