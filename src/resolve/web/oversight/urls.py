"""The oversight pages' addresses: ``/oversight/<partnership>/<section>/...``."""

from __future__ import annotations

from django.urls import include, path

from resolve.web.oversight import board_reports, dashboard, learning

app_name = "oversight"

urlpatterns = [
    path(
        "<slug:partnership>/",
        include([*dashboard.urlpatterns, *board_reports.urlpatterns, *learning.urlpatterns]),
    ),
]
