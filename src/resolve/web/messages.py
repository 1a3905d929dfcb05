"""The messages Resolve sent to the person signed in: what, when, how, and whether it arrived."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from resolve.notifications.selectors import messages_for
from resolve.partnerships.selectors import person_of


@login_required
@require_http_methods(["GET", "HEAD"])
def messages(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    return render(request, "web/messages.html", {"person": person, "sent": list(messages_for(person=person))})
