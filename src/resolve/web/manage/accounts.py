"""Administration pages: administrators, invitations and new partnerships (to be built)."""

from __future__ import annotations

from django.urls import URLPattern

#: addresses under /manage/ itself (adding a partnership: superusers only)
installation_patterns: list[URLPattern] = []
#: addresses under /manage/<partnership>/
urlpatterns: list[URLPattern] = []
