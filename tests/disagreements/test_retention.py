"""Retention: past the partnership's period, personal data goes and the anonymous figures stay."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, RecordEntry
from tests.conftest import Cast
from tests.disagreements.test_services import confirm_outcome, raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(cast_for: Callable[[str], Cast], time_machine) -> tuple[Cast, Disagreement]:
    cast = cast_for("enfield")
    cast.partnership.retention_days = 365
    cast.partnership.save()
    time_machine.move_to(at("2025-01-06T10:00"), tick=False)
    d = raise_one(cast, evidence="Bruising seen on Monday.")
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", 2),
        held_at=at("2025-01-06T10:00"),
        method="telephone",
        summary="Talked about the bruising.",
    )
    confirm_outcome(d, cast, ("school", 2), ("csc", 2))
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 2))
    d.child.name = "Child's name"
    d.child.save()
    return cast, d


def apply(*args: str) -> str:
    out = StringIO()
    call_command("retention", "apply", *args, stdout=out)
    return out.getvalue()


def test_nothing_is_removed_inside_the_retention_period(closed: tuple[Cast, Disagreement], time_machine) -> None:
    _, d = closed
    time_machine.move_to(at("2025-12-01T10:00"), tick=False)
    assert "of 0 closed disagreement(s)" in apply()
    d.refresh_from_db()
    assert d.evidence == "Bruising seen on Monday."


def test_past_the_period_personal_data_goes_and_the_figures_stay(
    closed: tuple[Cast, Disagreement], time_machine
) -> None:
    cast, d = closed
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    assert "Removed the personal data of 1 closed disagreement(s) (1 record(s); 1 child record(s)" in apply()
    d.refresh_from_db()
    assert (d.expected, d.why, d.what_needed, d.evidence) == ("", "", "", "")
    assert d.erased_at is not None
    assert RecordEntry.objects.get(disagreement=d).data == {"erased": True}
    assert d.outcomes.get().text == ""
    assert (d.child.name, d.child.date_of_birth) == ("", None)
    assert d.child.reference.startswith("erased-")
    # the figures the partnership reports on
    assert (d.status, d.pathway, d.category, d.raising_agency) == (
        "resolved",
        "escalation",
        d.category,
        cast.agencies["school"],
    )
    assert d.stage_runs.get().outcome == "resolved"
    assert Event.objects.filter(disagreement=d, verb=Verb.RETENTION_APPLIED).count() == 1
    assert verify().ok


def test_a_dry_run_changes_nothing(closed: tuple[Cast, Disagreement], time_machine) -> None:
    _, d = closed
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    assert "Would remove the personal data of 1" in apply("--dry-run")
    d.refresh_from_db()
    assert d.evidence == "Bruising seen on Monday."


def test_open_disagreements_are_never_erased(cast_for: Callable[[str], Cast], time_machine) -> None:
    cast = cast_for("enfield")
    time_machine.move_to(at("2020-01-06T10:00"), tick=False)
    d = raise_one(cast)
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    apply()
    d.refresh_from_db()
    assert d.expected


def test_a_child_with_a_disagreement_still_kept_keeps_their_reference(
    closed: tuple[Cast, Disagreement], time_machine
) -> None:
    cast, d = closed
    time_machine.move_to(at("2026-01-20T10:00"), tick=False)
    later = raise_one(cast, child=d.child)
    time_machine.move_to(at("2026-02-10T10:00"), tick=False)
    apply()
    d.child.refresh_from_db()
    assert d.child.reference == later.child.reference
    assert not d.child.reference.startswith("erased-")
