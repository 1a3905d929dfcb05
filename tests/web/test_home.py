"""The dashboard: a signed-in person sees their own work, with each deadline and its rule."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db


def signed_in(person: Person) -> Client:
    user = get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    person.user = user
    person.save()
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_lists_a_persons_open_work_with_its_deadline_rule(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(cast, significant_harm=True)
    page = signed_in(cast.at("school", 2)).get(reverse("home")).content.decode()
    assert d.child.reference in page
    assert "Significant harm" in page
    assert "same working day as the start of this stage" in page
    # Enfield states no significant-harm deadline (none is invented): only L60's same working day is due,
    # today; nothing is due by the end of the next working day beyond it
    assert "Due today (1)" in page
    assert "Due by the end of the next working day (0)" in page


def test_the_dashboard_shows_the_procedures_instruction_at_an_urgent_start_l34(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    """NEL L34: an urgent start at senior manager level carries the telephone-first duty, shown undated."""
    cast = cast_for("north-east-lincolnshire")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    raise_one(
        cast,
        pathway="individual-cases",
        urgent=True,
        start_stage="c-senior-manager",
        urgent_reason="The child is discharged today.",
    )
    page = signed_in(cast.at("school", 1)).get(reverse("home")).content.decode()
    assert "Urgent resolution: telephone the other agency" in page
    assert "by telephone rather than awaiting a response to an email" in page
    assert "[L34]" in page


def test_the_dashboard_shows_nothing_the_person_may_not_see(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    page = signed_in(cast.at("police", 3)).get(reverse("home")).content.decode()
    assert d.child.reference not in page
    assert "You have no open disagreements." in page


def test_an_account_not_linked_to_a_person_is_told_what_to_do() -> None:
    user = get_user_model().objects.create_user(username="nobody@example.test", password="x" * 20)
    client = Client()
    client.force_login(user)
    assert "Ask your partnership administrator" in client.get(reverse("home")).content.decode()


def test_each_dashboard_view_writes_one_viewed_entry_naming_what_was_shown(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    first, second = raise_one(cast), raise_one(cast)
    viewer = cast.at("school", 2)
    client = signed_in(viewer)
    client.get(reverse("home"))
    client.get(reverse("home"))
    views = list(Event.objects.filter(verb=Verb.VIEWED).order_by("id"))
    assert len(views) == 2  # one per page view, not one per row
    entry = views[0]
    assert entry.actor == viewer
    assert entry.partnership == cast.partnership
    assert entry.data["list"] == "dashboard"
    assert set(entry.data["disagreements"]) == {str(first.pk), str(second.pk)}
    assert set(entry.data["children"]) == {str(first.child_id), str(second.child_id)}
    assert first.child.reference not in str(entry.data)  # identifiers only
    assert viewer.name not in str(entry.data)


def test_a_dashboard_showing_no_child_writes_no_viewed_entry(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    raise_one(cast)
    signed_in(cast.at("police", 3)).get(reverse("home"))
    assert not Event.objects.filter(verb=Verb.VIEWED).exists()


def test_read_outside_working_hours_the_dashboard_gives_enfields_duty_team_l105(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    """Enfield L105, L56: "between 5pm and 9am weekdays or anytime at the weekend" the duty team's number is shown."""
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    raise_one(cast)
    manager = cast.at("school", 2)
    client = signed_in(manager)
    assert "020 8379 1000" not in client.get(reverse("home")).content.decode()  # Monday 10:00: in working hours
    time_machine.move_to(at("2026-12-21T19:30"), tick=False)
    assert manager.user is not None
    client.force_login(manager.user)  # the morning's session ended after 30 idle minutes
    page = client.get(reverse("home")).content.decode()
    assert "Outside working hours:" in page
    assert "020 8379 1000" in page
    assert "[L105, L56]" in page


def test_a_procedure_with_no_out_of_hours_contact_shows_none_at_night(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    cast = cast_for("cumbria")
    time_machine.move_to(at("2026-12-21T22:00"), tick=False)
    raise_one(cast)
    assert "Outside working hours" not in signed_in(cast.at("school", 2)).get(reverse("home")).content.decode()


def sections(page: str) -> dict[str, tuple[int, list[str]]]:
    """Each heading of My work: the count it gives, and the disagreements linked below it (up to the next)."""
    parts = re.split(r'<h2 class="govuk-heading-m">([^<]+) \((\d+)\)</h2>', page)
    return {
        title: (int(count), re.findall(r'href="/disagreements/([0-9a-f-]+)/"', body))
        for title, count, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True)
    }


def test_each_list_counts_its_rows_and_lists_each_disagreement_once(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    first, second, closed = raise_one(cast), raise_one(cast), raise_one(cast)
    services.disagreement_withdraw(disagreement=closed, by=cast.at("school", 1), reason="Agreed on the telephone.")
    services.outcome_propose(disagreement=first, by=cast.at("csc", 2), text="Agreed: a visit on Monday.")
    time_machine.move_to(at("2026-12-21T18:00"), tick=False)  # the same-working-day deadlines have passed
    found = sections(signed_in(cast.at("school", 2)).get(reverse("home")).content.decode())
    found.pop("Notices for you")  # notices name no child and link nowhere
    for title, (count, rows) in found.items():
        assert count == len(rows), title
        assert len(set(rows)) == len(rows), title
    both = sorted([str(first.pk), str(second.pk)])
    assert sorted(found["Overdue"][1]) == both
    assert found["Due today"][1] == []
    assert found["Waiting for your agency's confirmation"][1] == [str(first.pk)]
    assert sorted(found["Handled by you"][1]) == both
    assert found["Raised by you"][1] == []
    assert sorted(found["Visible to you as a manager"][1]) == both
    assert found["Recently closed"][1] == [str(closed.pk)]


def test_closed_ones_stay_findable_from_my_work(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    services.disagreement_withdraw(disagreement=d, by=cast.at("school", 1), reason="Agreed on the telephone.")
    page = signed_in(cast.at("school", 1)).get(reverse("home")).content.decode()
    assert f'href="/disagreements/{d.pk}/"' in page
    assert 'href="/disagreements/?status=closed"' in page
    assert "Withdrawn" in page
