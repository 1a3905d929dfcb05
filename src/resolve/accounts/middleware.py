"""Where a partnership requires two-factor authentication, nobody works until they have set it up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from resolve.accounts.receivers import SINGLE_SIGN_ON_SESSION_KEY
from resolve.accounts.selectors import two_factor_required

# Pages a person may use before setting up two-factor authentication: their own account's pages,
# including their e-mail addresses (allauth sets up two-factor authentication only once every address
# of the account is confirmed, and that page is where a confirmation link is sent again).
OPEN_VIEWS = {"login", "logout", "sign_out_everywhere", "account_email"}


class RequireTwoFactorMiddleware:
    """Send a person signed in with a password to set up an authenticator app, if their partnership says so.

    The account pages (django-allauth's views: setting up the app, changing the password, signing
    out) stay open. A session signed in through the person's organisation (single sign-on) is left
    to that organisation's own two-factor policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.session.get(SINGLE_SIGN_ON_SESSION_KEY):
            return None
        match = request.resolver_match
        if (match and match.url_name in OPEN_VIEWS) or view_func.__module__.startswith("allauth."):
            return None
        if two_factor_required(user) and not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return redirect("mfa_activate_totp")
        return None


class BadFormIs400Middleware:
    """A django-allauth form sent back with errors answers 400 (Bad Request), as every Resolve form does.

    allauth's views answer 200 with the form and its errors; the page is the same, only the status
    says what happened (to a test, a monitor, a proxy's logs). Statuses allauth sets itself (429 for a
    paused account) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        request.resolve_account_page = view_func.__module__.startswith(("allauth.", "resolve.accounts."))  # type: ignore[attr-defined]
        return None

    def process_template_response(self, request: HttpRequest, response: TemplateResponse) -> TemplateResponse:
        if (
            request.method != "POST"
            or response.status_code != 200
            or not getattr(request, "resolve_account_page", False)
        ):
            return response
        form = (response.context_data or {}).get("form")
        if form is not None and getattr(form, "errors", None):
            response.status_code = 400
        return response
