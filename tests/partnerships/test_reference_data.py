"""Reference data holds together: roles and line managers stay inside the person's own partnership."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import ResolveError
from resolve.partnerships.models import Partnership, Person, RoleAssignment
from resolve.partnerships.services import person_line_manager_set, role_assign
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

OPERATOR = Operator(name="tests@localhost")


@pytest.fixture
def a(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def b(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.mark.parametrize("reserved", ["line_managers", "parties", "handlers", "raiser"])
def test_assigning_a_reserved_recipient_name_as_a_role_is_refused(a: Cast, reserved: str) -> None:
    person = a.at("school", 3)
    with pytest.raises(ResolveError, match="a name Resolve keeps for the people a notification goes to"):
        role_assign(person=person, role=reserved, by=OPERATOR)
    assert not RoleAssignment.objects.filter(role=reserved).exists()


def test_a_role_is_assigned_in_the_persons_own_partnership_and_recorded(a: Cast) -> None:
    person = a.at("school", 3)
    assignment = role_assign(person=person, role="business-unit", by=OPERATOR)
    assert assignment.partnership == a.partnership
    event = Event.objects.get(verb=Verb.REFERENCE_CHANGED)
    assert (event.data["person"], event.data["role"], event.data["operator"]) == (
        str(person.pk),
        "business-unit",
        "tests@localhost",
    )


def test_a_role_assignment_in_another_partnership_than_the_persons_is_invalid(a: Cast, b: Cast) -> None:
    assignment = RoleAssignment(partnership=b.partnership, person=a.at("school", 3), role="business-unit")
    with pytest.raises(ValidationError) as caught:
        assignment.full_clean()
    assert caught.value.message_dict["partnership"] == [
        "A role is held in the person's own partnership: choose that partnership."
    ]


def test_the_admin_refuses_a_role_in_another_partnership_even_for_a_superuser(
    a: Cast, b: Cast, administrator: Client
) -> None:
    response = administrator.post(
        reverse("admin:partnerships_roleassignment_add"),
        {"partnership": b.partnership.pk, "person": a.at("school", 3).pk, "role": "business-unit"},
    )
    assert response.status_code == 200
    assert "the person&#x27;s own partnership" in response.content.decode()
    assert not RoleAssignment.objects.filter(person=a.at("school", 3)).exists()


def test_the_admin_refuses_a_reserved_role_slug(a: Cast, administrator: Client) -> None:
    response = administrator.post(
        reverse("admin:partnerships_roleassignment_add"),
        {"partnership": a.partnership.pk, "person": a.at("school", 3).pk, "role": "parties"},
    )
    assert response.status_code == 200
    assert "give the role another slug" in response.content.decode()
    assert not RoleAssignment.objects.filter(role="parties").exists()


def test_a_line_manager_in_another_partnership_is_refused(a: Cast, b: Cast) -> None:
    person = a.at("school", 1)
    with pytest.raises(ResolveError, match="same partnership as the person they manage") as caught:
        person_line_manager_set(person=person, line_manager=b.at("school", 2), by=OPERATOR)
    assert caught.value.field == "line_manager"
    person.refresh_from_db()
    assert person.line_manager == a.at("school", 2)
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_a_line_manager_chain_that_would_go_round_is_refused(a: Cast) -> None:
    top = a.at("school", 5)
    with pytest.raises(ResolveError, match="the chain would go round"):
        person_line_manager_set(person=top, line_manager=a.at("school", 1), by=OPERATOR)
    top.refresh_from_db()
    assert top.line_manager is None


def test_a_line_manager_in_the_same_partnership_is_set_and_recorded(a: Cast) -> None:
    person = a.at("school", 1)
    person_line_manager_set(person=person, line_manager=a.at("school", 4), by=OPERATOR)
    person.refresh_from_db()
    assert person.line_manager == a.at("school", 4)
    event = Event.objects.get(verb=Verb.REFERENCE_CHANGED)
    assert event.data["line_manager"] == str(a.at("school", 4).pk)


def test_the_admin_refuses_a_line_manager_from_another_partnership_even_for_a_superuser(
    a: Cast, b: Cast, administrator: Client
) -> None:
    person = a.at("school", 1)
    response = administrator.post(
        reverse("admin:partnerships_person_change", args=[person.pk]),
        {
            "partnership": a.partnership.pk,
            "agency": person.agency_id,
            "name": person.name,
            "job_title": person.job_title,
            "email": person.email,
            "phone": person.phone,
            "level": person.level,
            "line_manager": b.at("school", 2).pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Choose a line manager in the same partnership as the person they manage." in response.content.decode()
    assert Person.objects.get(pk=person.pk).line_manager == a.at("school", 2)


# --- the partnership's nation -------------------------------------------------------------------


def test_a_partnership_made_without_a_nation_is_refused_not_counted_as_englands() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(slug="somewhere", name="Somewhere")
    assert not Partnership.objects.filter(slug="somewhere").exists()


def test_the_admin_asks_for_the_nation_and_assumes_none(administrator: Client) -> None:
    page = administrator.get(reverse("admin:partnerships_partnership_add")).content.decode()
    assert '<option value="" selected>---------</option>' in page
    response = administrator.post(
        reverse("admin:partnerships_partnership_add"), {"slug": "somewhere", "name": "Somewhere", "nation": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Partnership.objects.filter(slug="somewhere").exists()
