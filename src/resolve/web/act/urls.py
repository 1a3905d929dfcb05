"""Every action page, under /disagreements/<uuid:pk>/ (see resolve.urls); one include per module."""

from __future__ import annotations

from resolve.web.act import counterparts, learning, meetings, outcomes, records, review, transitions

urlpatterns = [
    *transitions.urlpatterns,
    *review.urlpatterns,
    *records.urlpatterns,
    *outcomes.urlpatterns,
    *meetings.urlpatterns,
    *counterparts.urlpatterns,
    *learning.urlpatterns,
]
