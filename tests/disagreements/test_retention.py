"""Retention: past the partnership's period, personal data goes and the anonymous figures stay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, Refused
from resolve.disagreements import services
from resolve.disagreements.models import Child, Disagreement, RecordEntry
from resolve.disagreements.retention import retention_apply
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.services import calendar_day_set
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
    services.meeting_schedule(
        disagreement=d,
        by=cast.at("school", 2),
        kind="meeting",
        starts_at=at("2025-01-07T10:00"),
        ends_at=at("2025-01-07T11:00"),
        place="The family's home",
        invitees=[cast.at("csc", 2)],
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
    assert d.meetings.get().place == ""
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


def test_a_dry_run_reports_the_children_it_would_make_anonymous_and_remove(
    closed: tuple[Cast, Disagreement], time_machine
) -> None:
    cast, d = closed
    services.child_register(by=cast.at("school", 1), reference="NEVER-RAISED")  # on 6 January 2025
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    events = Event.objects.count()
    assert (
        "Would remove the personal data of 1 closed disagreement(s) (1 record(s); 1 child record(s) made anonymous), "
        "and 1 child record(s) registered but never raised about." in apply("--dry-run")
    )
    assert Event.objects.count() == events
    assert Child.objects.filter(reference="NEVER-RAISED").exists()
    d.child.refresh_from_db()
    assert d.child.name == "Child's name"


def test_a_dry_run_counts_what_the_run_then_removes(closed: tuple[Cast, Disagreement], time_machine) -> None:
    cast, d = closed
    services.child_register(by=cast.at("school", 1), reference="NEVER-RAISED")
    time_machine.move_to(at("2026-01-20T10:00"), tick=False)
    raise_one(cast, child=d.child)  # the child is still in a disagreement that is kept
    time_machine.move_to(at("2026-02-10T10:00"), tick=False)
    operator = Operator.current()
    expected = retention_apply(by=operator, dry_run=True)
    assert (expected.disagreements, expected.records, expected.children, expected.unused_children) == (1, 1, 0, 1)
    assert retention_apply(by=operator) == expected


def test_a_child_registered_and_never_raised_about_is_removed_thirty_days_later(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-03-02T10:00"), tick=False)
    unused = services.child_register(by=cast.at("school", 1), reference="NEVER-RAISED")
    used = services.child_register(by=cast.at("school", 1), reference="RAISED")
    raise_one(cast, child=used)
    time_machine.move_to(at("2026-03-31T10:00"), tick=False)  # 29 days on
    apply()
    assert Child.objects.filter(pk=unused.id).exists()
    time_machine.move_to(at("2026-04-02T10:00"), tick=False)
    assert "and 1 child record(s) registered but never raised about" in apply()
    assert not Child.objects.filter(pk=unused.id).exists()
    assert Child.objects.filter(pk=used.id).exists()
    removal = Event.objects.get(verb=Verb.RETENTION_APPLIED, data__child=str(unused.id))
    assert removal.partnership == cast.partnership
    assert removal.data["operator"] == Operator.current().name
    assert verify().ok


def test_the_trail_names_the_operator_who_applied_retention(closed: tuple[Cast, Disagreement], time_machine) -> None:
    _, d = closed
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    apply()
    operator = Operator.current().name
    erased = Event.objects.get(disagreement=d, verb=Verb.RETENTION_APPLIED)
    assert erased.data["operator"] == operator
    run = Event.objects.get(verb=Verb.RETENTION_APPLIED, partnership=None)
    assert run.data == {"operator": operator, "disagreements": 1, "records": 1, "children": 1, "unused_children": 0}


def test_retention_is_applied_by_an_operator_not_by_someone_signed_in(closed: tuple[Cast, Disagreement]) -> None:
    cast, d = closed
    with pytest.raises(Refused, match="or an operator at the server's command line, can do this"):
        retention_apply(by=cast.role("business-unit"))  # type: ignore[arg-type]
    d.refresh_from_db()
    assert d.erased_at is None


def test_once_erased_no_free_text_about_the_disagreement_is_left_in_the_trail(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    cast = cast_for("enfield")
    cast.partnership.retention_days = 30
    cast.partnership.save()
    time_machine.move_to(at("2025-01-06T10:00"), tick=False)
    d = raise_one(
        cast,
        expected="An assessment for Sam.",
        why="Sam's bruises were not looked at.",
        what_needed="A visit to Sam's home.",
        evidence="Bruising on Sam's arm.",
    )
    services.discussion_record(
        disagreement=d, by=cast.at("school", 2), held_at=d.raised_at, method="telephone", summary="Talked about Sam."
    )
    operator = Operator(name="ops@server")
    calendar_day_set(partnership=cast.partnership, day=date(2025, 1, 6), kind="closure", reason="Closed", by=operator)
    services.deadlines_recalculate(partnership=cast.partnership, by=operator, reason="Sam's school was closed today.")
    services.disagreement_withdraw(disagreement=d, by=cast.at("school", 2), reason="Sam moved away.")
    services.feedback_give(disagreement=d, by=cast.at("csc", 2), text="Sam's new area was told.")
    with pytest.raises(NotFound):  # someone typing into the address bar
        disagreement_get(person=cast.at("police", 1), pk="Sam Example, born 1 March 2016")
    time_machine.move_to(at("2025-03-01T10:00"), tick=False)
    apply()
    assert Event.objects.filter(verb=Verb.DEADLINES_RECALCULATED, disagreement=d).exists()
    trail = [str(e.data) for e in Event.objects.all()]
    assert not [entry for entry in trail if "Sam" in entry]
    assert verify().ok
