"""Two middlewares for every request: where it came from, for the audit trail; and no-store for signed-in people.

**Where it came from.** Every audit entry written while handling a request records the client's
address (no other detail), as django-allauth works it out: behind a reverse proxy with
``RESOLVE_PROXY_COUNT`` set, that is the browser's address from ``X-Forwarded-For``, not the
proxy's (the same address the sign-in limits count by). A request whose forwarded header does
not match the configured proxies is recorded with the address that reached Resolve.

**No-store.** Responses to signed-in people are never stored: not by the browser, nor by a proxy on the way.

A page about a child left in a shared computer's cache, or in a proxy's, can be read by the next
person there. So every response to a signed-in request says ``Cache-Control: no-store`` (with
Django's ``add_never_cache_headers``: ``no-cache, no-store, must-revalidate, private`` and an
``Expires`` in the past). A middleware rather than ``never_cache`` on each view, because the admin's
and django-allauth's pages are not Resolve's views to decorate, and a page added later is covered
without anyone remembering to.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from resolve.audit.context import origin


class AuditOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            address = get_adapter(request).get_client_ip(request)
        except PermissionDenied:  # a forwarded header that does not match the proxies configured
            address = request.META.get("REMOTE_ADDR", "")
        with origin(address):
            return self.get_response(request)


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Checked before and after the view: signing out ends the session during the request.
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if signed_in or _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
