"""The administration pages' addresses: ``/manage/`` and ``/manage/<partnership>/<section>/...``."""

from __future__ import annotations

from django.urls import include, path

from resolve.web.manage import (
    accounts,
    agencies,
    audit,
    calendar,
    history,
    leaving,
    matrix,
    overview,
    partnership_settings,
    people,
    procedure,
    roles,
    themes,
)

app_name = "manage"

urlpatterns = [
    path("", overview.choose, name="choose"),
    *accounts.installation_patterns,
    path(
        "<slug:partnership>/",
        include(
            [
                path("", overview.overview, name="overview"),
                *accounts.urlpatterns,
                *agencies.urlpatterns,
                *people.urlpatterns,
                *leaving.urlpatterns,
                *roles.urlpatterns,
                *themes.urlpatterns,
                *matrix.urlpatterns,
                *calendar.urlpatterns,
                *procedure.urlpatterns,
                *history.urlpatterns,
                *partnership_settings.urlpatterns,
                *audit.urlpatterns,
            ]
        ),
    ),
]
