"""Changes to reference data check who is asking: an administrator of that partnership, or an operator.

The entry in the audit trail names who it was: the account (and its person), or the operator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import Refused
from resolve.disagreements import services
from resolve.disagreements.models import StageDeadline
from resolve.disagreements.retention import retention_apply
from resolve.partnerships.models import CalendarDay, Partnership
from resolve.partnerships.services import calendar_day_set, partnership_adopt_procedure
from resolve.procedures.services import procedure_version_from_bundle
from tests.accounts.conftest import give_account
from tests.administration.conftest import staff_account
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def adopt(cast: Cast, by: Any) -> Partnership:
    return partnership_adopt_procedure(
        partnership=cast.partnership, version=procedure_version_from_bundle("cumbria"), by=by
    )


def close_a_day(cast: Cast, by: Any) -> CalendarDay:
    return calendar_day_set(partnership=cast.partnership, day=date(2026, 12, 21), kind="closure", reason="", by=by)


def recalculate(cast: Cast, by: Any) -> int:
    return services.deadlines_recalculate(partnership=cast.partnership, by=by, reason="Training day added")


CHANGES = {"adopt": adopt, "calendar": close_a_day, "recalculate": recalculate}


def not_allowed(cast: Cast, who: str) -> Any:
    if who == "a practitioner's account":
        return give_account(cast.at("school", 1)).user
    if who == "a staff account of another partnership":
        other = staff_account("elsewhere")
        Partnership.objects.create(slug="elsewhere", name="Elsewhere", nation="ENG").administrators.add(other)
        return other
    if who == "an inactive administrator":
        staff = staff_account("gone")
        staff.is_active = False
        staff.save()
        cast.partnership.administrators.add(staff)
        return staff
    return cast.at("school", 5)  # a person, however senior, is not an administrator


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(
    "who",
    [
        "a practitioner's account",
        "a staff account of another partnership",
        "an inactive administrator",
        "a person",
    ],
)
def test_reference_data_changes_by_anyone_but_an_administrator_or_operator_are_refused(
    enfield: Cast, change: str, who: str
) -> None:
    raise_one(enfield)
    before = (Event.objects.count(), CalendarDay.objects.count(), StageDeadline.objects.count())
    procedure = Partnership.objects.get(pk=enfield.partnership.pk).procedure_id
    with pytest.raises(Refused, match=f"Only an administrator of {enfield.partnership.name}, or an operator"):
        CHANGES[change](enfield, not_allowed(enfield, who))
    assert (Event.objects.count(), CalendarDay.objects.count(), StageDeadline.objects.count()) == before
    assert Partnership.objects.get(pk=enfield.partnership.pk).procedure_id == procedure


VERBS = {"adopt": Verb.PROCEDURE_ADOPTED, "calendar": Verb.CALENDAR_CHANGED}


@pytest.mark.parametrize("change", VERBS)
def test_an_administrator_of_the_partnership_changes_it_and_the_entry_names_their_account(
    enfield: Cast, change: str
) -> None:
    staff = staff_account("ours")
    enfield.partnership.administrators.add(staff)
    CHANGES[change](enfield, staff)
    entry = Event.objects.filter(verb=VERBS[change]).latest("id")
    assert entry.data["user"] == staff.pk
    assert entry.actor is None  # the account has no person


def test_a_superuser_changes_any_partnership(enfield: Cast) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.test", "x" * 20)
    close_a_day(enfield, root)
    assert Event.objects.get(verb=Verb.CALENDAR_CHANGED).data["user"] == root.pk


def test_recalculated_deadlines_name_the_operator_who_asked(enfield: Cast, time_machine) -> None:
    time_machine.move_to("2026-12-21T10:00:00+00:00", tick=False)
    raise_one(enfield)
    operator = Operator(name="ops@server")
    close_a_day(enfield, operator)
    assert recalculate(enfield, operator) == 1
    entry = Event.objects.get(verb=Verb.DEADLINES_RECALCULATED)
    assert entry.data["operator"] == "ops@server"


def test_the_adopt_command_is_recorded_as_the_operator_who_ran_it(enfield: Cast) -> None:
    call_command("procedures", "adopt", enfield.partnership.slug, "cumbria", stdout=StringIO())
    entry = Event.objects.filter(verb=Verb.PROCEDURE_ADOPTED).latest("id")
    assert entry.data["operator"] == Operator.current().name
    assert entry.actor is None


def test_retention_runs_only_for_an_operator_or_a_superuser(enfield: Cast) -> None:
    staff = staff_account("ours")
    enfield.partnership.administrators.add(staff)
    with pytest.raises(Refused, match="Only an administrator of every partnership, or an operator"):
        retention_apply(by=staff)
    assert retention_apply(by=Operator(name="ops@server"), dry_run=True).disagreements == 0


def test_the_retention_command_records_the_operator_who_ran_it(enfield: Cast, time_machine) -> None:
    time_machine.move_to("2020-01-06T10:00:00+00:00", tick=False)
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Sorted out by phone.")
    time_machine.move_to("2030-01-06T10:00:00+00:00", tick=False)
    call_command("retention", "apply", stdout=StringIO())
    entries = Event.objects.filter(verb=Verb.RETENTION_APPLIED)
    assert {e.disagreement_id for e in entries} == {d.pk, None}  # the disagreement, and the run
    assert {e.data["operator"] for e in entries} == {Operator.current().name}


def post_calendar(client: Client, partnership: Partnership, row: Mapping[str, object], day: CalendarDay | None) -> int:
    """Save the partnership's admin page with one calendar row (``day``: the row it changes, if any)."""
    existing = {"calendar_days-0-id": day.pk, "calendar_days-0-partnership": partnership.pk} if day else {}
    response = client.post(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        {
            "slug": partnership.slug,
            "name": partnership.name,
            "nation": partnership.nation,
            "retention_days": partnership.retention_days,
            "message_channel": partnership.message_channel,
            "day_starts": "09:00",
            "day_ends": "17:00",
            "suppress_below": partnership.suppress_below,
            "calendar_days-TOTAL_FORMS": 1,
            "calendar_days-INITIAL_FORMS": 1 if day else 0,
            **existing,
            **{f"calendar_days-0-{k}": v for k, v in row.items()},
        },
    )
    return response.status_code


def test_the_admins_calendar_goes_through_the_calendar_service_and_is_audited_as_a_calendar_change(
    enfield: Cast, administrator: Client
) -> None:
    staff = get_user_model().objects.get(username="admin")  # the admin is for superusers only (issue 18)
    client = administrator
    partnership = enfield.partnership
    closure = {"date": "2026-12-21", "kind": "closure", "reason": "Staff training day"}

    assert post_calendar(client, partnership, closure, None) == 302
    day = CalendarDay.objects.get(partnership=partnership)
    assert day.date == date(2026, 12, 21)
    entry = Event.objects.get(verb=Verb.CALENDAR_CHANGED)
    assert (entry.data["date"], entry.data["kind"], entry.data["user"]) == ("2026-12-21", "closure", staff.pk)

    assert post_calendar(client, partnership, {**closure, "date": "2026-12-22"}, day) == 302
    assert list(CalendarDay.objects.filter(partnership=partnership).values_list("date", flat=True)) == [
        date(2026, 12, 22)
    ]
    moved = Event.objects.filter(verb=Verb.CALENDAR_CHANGED).order_by("id")[1:]
    assert [(e.data["date"], e.data["kind"]) for e in moved] == [("2026-12-21", "removed"), ("2026-12-22", "closure")]

    day = CalendarDay.objects.get(partnership=partnership)
    assert post_calendar(client, partnership, {**closure, "date": "2026-12-22", "DELETE": "on"}, day) == 302
    assert not CalendarDay.objects.filter(partnership=partnership).exists()
    removed = Event.objects.filter(verb=Verb.CALENDAR_CHANGED).latest("id")
    assert (removed.data["date"], removed.data["kind"]) == ("2026-12-22", "removed")
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()  # not a generic reference change
