"""CSRF protection everywhere: the middleware is on and no page of Resolve's opts out of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver


def views(patterns: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_the_csrf_middleware_runs_on_every_request() -> None:
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_no_address_is_exempt_from_csrf_checks() -> None:
    every = list(views(get_resolver().url_patterns))
    assert len(every) > 50  # the admin's and allauth's pages are in the walk, not only ours
    exempt = [route for route, view in every if getattr(view, "csrf_exempt", False)]
    assert exempt == []
