"""Responses to signed-in people are never stored: not by the browser, nor by a proxy on the way.

A page about a child left in a shared computer's cache, or in a proxy's, can be read by the next
person there. So every response to a signed-in request says ``Cache-Control: no-store`` (with
Django's ``add_never_cache_headers``: ``no-cache, no-store, must-revalidate, private`` and an
``Expires`` in the past). A middleware rather than ``never_cache`` on each view, because the admin's
and django-allauth's pages are not Resolve's views to decorate, and a page added later is covered
without anyone remembering to.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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
