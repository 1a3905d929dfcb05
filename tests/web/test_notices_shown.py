"""The dashboard shows a notified role its notices, and never the child: being told is not taking part."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from resolve.disagreements import services
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def test_the_business_unit_sees_the_level_4_notice_on_its_dashboard_but_not_the_childs_reference(
    cast_for: Callable[[str], Cast],
) -> None:
    """Enfield L84-86: the business unit is "included in the emails" of a Level 4 escalation."""
    cast = cast_for("enfield")
    d = raise_one(cast)
    services.discussion_record(
        disagreement=d, by=cast.at("school", 2), held_at=d.raised_at, method="telephone", summary="Talked."
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 2), reason="No agreement.")
    services.discussion_record(
        disagreement=d, by=cast.at("school", 3), held_at=d.raised_at, method="meeting", summary="Met."
    )
    services.record_add(
        disagreement=d,
        by=cast.at("school", 3),
        kind="executive_summary",
        occurred_at=d.raised_at,
        fields={"summary": "Concerns and how they were handled."},
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 3), reason="Still no agreement.")
    page = signed_in(cast.role("business-unit")).get(reverse("home")).content.decode()
    assert "Notices for you (1)" in page
    assert d.reference in page  # the short reference, to quote on the telephone
    assert str(d.pk) not in page  # and no link: being told does not open the record
    assert "Level 4" in page
    assert d.child.reference not in page
    assert "You have no open disagreements." in page
