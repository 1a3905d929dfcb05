"""Signing in and out. The forms and flows are django-allauth's; these views only set what Resolve needs."""

from __future__ import annotations

from typing import Any

from allauth.account.views import EmailView, LoginView
from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from resolve.accounts.services import account_event
from resolve.audit.models import Verb
from resolve.partnerships.selectors import person_of


class SignInView(LoginView):
    """allauth's sign-in, answering a wrong password with 400 and a locked account with 429."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        locked = any(e.code == "too_many_login_attempts" for e in form.non_field_errors().as_data())
        response.status_code = 429 if locked else 400
        return response


class EmailAddressesView(EmailView):
    """allauth's e-mail page, where an address becomes the account's own only once it is verified.

    allauth lets an unverified address be made primary while the account has no verified one
    (every account made before addresses were verified); an unverified primary address would let
    anyone make their account look like the holder of someone else's address.
    """

    def _action_primary(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse | None:
        address = self._get_email_address(request)
        if address is not None and not address.verified:
            messages.error(
                request,
                _(
                    "Confirm this address first: follow the link in the e-mail sent to it, "
                    "then you can make it your account's address."
                ),
            )
            return None
        return super()._action_primary(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Sign this person out of every browser and device at once (a lost laptop, a shared computer)."""
    if request.method == "GET":
        return render(request, "accounts/sign_out_everywhere.html")
    person = person_of(request.user)
    sessions = list(UserSession.objects.filter(user_id=request.user.pk))
    if person is not None:
        account_event(Verb.SESSIONS_ENDED, person, sessions=len(sessions))
    end_sessions(request, sessions)
    if request.user.is_authenticated:  # the current session was not tracked: end it too
        logout(request)
    return redirect("login")
