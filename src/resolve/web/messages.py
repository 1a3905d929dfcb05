"""The messages pages: what Resolve sent the person signed in, and, for administrators, what it could not send.

- ``messages`` (``/messages/``): the person's own messages, newest first, 50 a page, each with how
  and when it was sent and its state in words; and their choice of one message each time or a
  daily digest (a POST to ``person_digest_choose``, with a success banner).
- ``message`` (``/messages/<id>/``): one of them, its words as sent. Anyone else's is the same 404 as
  a missing one, whatever the method.
- ``messages_not_sent`` (``/partnership/messages/``): for a partnership's administrators (others:
  403), the messages that failed and those being retried; "Send again" POSTs the message's id to
  ``message_send_again``. A refusal (already waiting, say) is shown with its 4xx and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from resolve.core.errors import NotFound, ResolveError
from resolve.notifications import selectors
from resolve.notifications.compose import when_text
from resolve.notifications.models import Message
from resolve.notifications.resend import message_send_again, person_digest_choose
from resolve.notifications.selectors import (
    about,
    administers_any,
    message_for,
    messages_for,
    reference_of,
    sent_by,
    status_of,
)
from resolve.notifications.services import MAX_ATTEMPTS
from resolve.partnerships.selectors import person_of
from resolve.web.forms import GovForm, Radios

EACH = "each"
DIGEST = "digest"


class DigestForm(GovForm):
    """One message each time, or a daily digest: the field is the service's keyword."""

    daily_digest = forms.ChoiceField(
        label=gettext_lazy("How would you like to get Resolve's messages?"),
        choices=[
            (EACH, gettext_lazy("One message each time")),
            (DIGEST, gettext_lazy("A daily digest at the start of each working day")),
        ],
        widget=Radios,
        error_messages={"required": gettext_lazy("Choose one message each time or a daily digest")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        radios = self.fields["daily_digest"].widget
        assert isinstance(radios, Radios)
        radios.hints = {DIGEST: _("Urgent matters are still sent to you at once.")}


@dataclass(frozen=True)
class Row:
    """One message as the pages show it."""

    message: Message
    about: str
    reference: str
    sent_by: str
    status: str
    written: str


def row(message: Message) -> Row:
    return Row(
        message,
        about(message),
        reference_of(message),
        sent_by(message),
        status_of(message),
        when_text(message.created_at),
    )


def _page(request: HttpRequest, person: Any, form: DigestForm, *, status: int = 200) -> HttpResponse:
    listing = messages_for(person=person, page=request.GET.get("page"))
    context = {
        "person": person,
        "form": form,
        "page": listing,
        "rows": [row(m) for m in listing.object_list],
        "administers": administers_any(request.user),
    }
    return render(request, "web/messages.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def messages(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        return render(request, "web/messages.html", {"person": None})
    if request.method != "POST":
        return _page(request, person, DigestForm(initial={"daily_digest": DIGEST if person.daily_digest else EACH}))
    form = DigestForm(data=request.POST)
    if not form.is_valid():
        return _page(request, person, form, status=400)
    chosen = form.cleaned_data["daily_digest"] == DIGEST
    person_digest_choose(person=person, daily_digest=chosen)
    if chosen:
        flash.success(request, _("You will get a daily digest at the start of each working day."))
    else:
        flash.success(request, _("You will get one message each time."))
    return HttpResponseRedirect(reverse("messages"), status=303)


@login_required
def message(request: HttpRequest, message: int) -> HttpResponse:
    """One of the person's own messages. The lookup comes first, so another's is a 404 for every method."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        found = message_for(person=person, message_id=message)
    except NotFound:
        raise Http404 from None
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, "web/message.html", {"person": person, "row": row(found)})


class SendAgainForm(forms.Form):
    message = forms.IntegerField(min_value=1, max_value=2**63 - 1)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def messages_not_sent(request: HttpRequest) -> HttpResponse:
    """For a partnership's administrators: what could not be sent, and "Send again"."""
    if not administers_any(request.user):
        return render(request, "web/messages_refused.html", status=403)
    if request.method != "POST":
        return _not_sent(request)
    form = SendAgainForm(data=request.POST)
    if not form.is_valid():
        return _not_sent(request, problem=_("Choose a message to send again."), status=400)
    try:
        sent = message_send_again(by=request.user, message_id=form.cleaned_data["message"])
    except ResolveError as error:
        return _not_sent(request, problem=error.message, status=error.status)
    reference = reference_of(sent)
    if reference:
        flash.success(request, _("The message about %(reference)s will be sent again now.") % {"reference": reference})
    else:
        flash.success(request, _("The daily digest will be sent again now."))
    return HttpResponseRedirect(reverse("messages_not_sent"), status=303)


def _not_sent(request: HttpRequest, *, problem: str = "", status: int = 200) -> HttpResponse:
    listing = selectors.messages_not_sent(user=request.user, page=request.GET.get("page"))
    context = {
        "page": listing,
        "rows": [row(m) for m in listing.object_list],
        "problem": problem,
        "most": MAX_ATTEMPTS,
    }
    return render(request, "web/messages_not_sent.html", context, status=status)
