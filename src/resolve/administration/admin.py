"""Django's admin for every model: for active superusers only (issue 18).

A partnership's administrators keep their partnership in its own pages (``/manage/<partnership>/``,
resolve.web.manage); Django's admin is the installation's tool, for superusers. ``admin.site``
refuses every other account, staff or not, with 403, before any admin page runs. The scoping in
``scope`` stays as a second guard: a superuser sees everything through it, so it changes nothing
for them, and an account that somehow reached a page would still see only its own partnerships.

Django's admin discovers this module; the modules it imports register their pages. Installed
after django-allauth, so that allauth's own pages for accounts' addresses and authenticators are
replaced by scoped, audited ones.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from resolve.administration import accounts, audit, notifications, partnerships
from resolve.administration.scope import sees_everything

__all__ = ["accounts", "audit", "notifications", "partnerships"]


def superusers_only(request: HttpRequest) -> bool:
    """The admin site's own check (``AdminSite.has_permission``): an active superuser, nobody else."""
    return sees_everything(request)


def refusing_login(login: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The admin's sign-in page refuses (403) a signed-in account that is not a superuser.

    Django's admin would otherwise show its own sign-in form again to a partnership administrator
    (a staff account); they are told no instead, and their pages are at /manage/.
    """

    @wraps(login)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not sees_everything(request):
            raise PermissionDenied
        return login(request, *args, **kwargs)

    return wrapped


def refusing_view(admin_view: Callable[..., Any]) -> Callable[..., Any]:
    """Every admin page answers 403 to a signed-in account that is not a superuser (signed out: the sign-in page)."""

    @wraps(admin_view)
    def wrapped(view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        guarded = admin_view(view, cacheable)

        @wraps(guarded)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not sees_everything(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return checked

    return wrapped


admin.site.has_permission = superusers_only  # type: ignore[method-assign]
admin.site.admin_view = refusing_view(admin.site.admin_view)  # type: ignore[method-assign]
admin.site.login = refusing_login(admin.site.login)  # type: ignore[method-assign]
