"""Agencies and people as administrators keep them: each change checked and recorded; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements.raise_choices import raise_choices_for
from resolve.disagreements.services import child_register, disagreement_raise
from resolve.partnerships.models import Agency, Person, RoleAssignment
from resolve.partnerships.people import (
    agencies_for,
    agency_add,
    agency_change,
    agency_restore,
    agency_retire,
    levels_of,
    matrix_columns_of,
    people_list_for,
    person_add,
    person_change,
    roles_of,
)
from resolve.procedures.services import procedure_version_from_bundle
from tests.conftest import Cast
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin(a: Cast) -> Any:
    user = get_user_model().objects.create_user("a-admin", "a-admin@example.test", "x" * 20, is_staff=True)
    a.partnership.administrators.add(user)
    return user


def stored() -> str:
    """Agencies, people, roles and the trail, as stored."""
    return "".join(
        serializers.serialize("json", model.objects.order_by("pk")) for model in (Agency, Person, RoleAssignment, Event)
    )


def last_change() -> dict[str, Any]:
    event = Event.objects.filter(verb=Verb.REFERENCE_CHANGED).order_by("-pk").first()
    assert event is not None
    return event.data


def add(a: Cast, admin: Any, **given: Any) -> Person:
    values: dict[str, Any] = {
        "name": "Jo Bloggs",
        "email": "jo.bloggs@example.org",
        "agency": a.agencies["school"],
        "job_title": "Teacher",
        "level": 2,
        "line_manager": a.at("school", 3),
        "phone": "020 7946 0001",
        "roles": [],
    }
    return person_add(partnership=a.partnership, by=admin, **{**values, **given})


# --- agencies ----------------------------------------------------------------------------------------


def test_an_agency_is_added_with_a_matrix_column_and_recorded_without_its_details(a: Cast, admin: Any) -> None:
    agency = agency_add(
        partnership=a.partnership,
        name="  Youth Justice Service ",
        matrix_agency="yot",
        email="yjs@example.org",
        by=admin,
    )
    assert (agency.name, agency.matrix_agency, agency.email) == ("Youth Justice Service", "yot", "yjs@example.org")
    data = last_change()
    assert data == {
        "model": "partnerships.Agency",
        "object": str(agency.pk),
        "action": "added",
        "fields": ["name", "matrix_agency", "email"],
        "user": admin.pk,
    }


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the agency's name."),
        ({"name": "police"}, "name", "already has an agency called police"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"name": "Nul\x00"}, "name", "plain text"),
        ({"matrix_agency": "no-such-column"}, "matrix_agency", "Choose a column"),
        ({"email": "not an address"}, "email", "correct format"),
        ({"phone": "1" * 41}, "phone", "at most 40 characters"),
    ],
)
def test_a_bad_agency_is_refused_on_its_field_and_nothing_is_stored(
    a: Cast, admin: Any, given: dict[str, str], field: str, message: str
) -> None:
    before = stored()
    with pytest.raises(ResolveError, match=message) as caught:
        agency_add(partnership=a.partnership, **{"name": "New agency", **given}, by=admin)
    assert caught.value.field == field
    assert stored() == before


def test_an_agency_is_renamed_and_only_the_changed_fields_are_recorded(a: Cast, admin: Any) -> None:
    police = a.agencies["police"]
    agency_change(
        partnership=a.partnership,
        agency=police,
        name="Metropolitan Police",
        matrix_agency=police.matrix_agency,
        email=police.email,
        phone="020 1",
        by=admin,
    )
    police.refresh_from_db()
    assert police.name == "Metropolitan Police"
    assert last_change()["fields"] == ["name", "phone"]
    assert last_change()["action"] == "changed"


def test_renaming_an_agency_to_another_agencys_name_is_refused(a: Cast, admin: Any) -> None:
    before = stored()
    with pytest.raises(ResolveError, match="already has an agency called Community Health"):
        agency_change(
            partnership=a.partnership,
            agency=a.agencies["police"],
            name="Community Health",
            matrix_agency="",
            email="",
            phone="",
            by=admin,
        )
    assert stored() == before


def test_another_partnerships_agency_is_not_found(a: Cast, admin: Any, cast_for: Callable[[str], Cast]) -> None:
    b = cast_for("enfield")
    before = stored()
    with pytest.raises(NotFound):
        agency_retire(partnership=a.partnership, agency=b.agencies["police"], by=admin)
    assert stored() == before


def test_only_an_administrator_of_the_partnership_changes_its_agencies(
    a: Cast, cast_for: Callable[[str], Cast]
) -> None:
    b = cast_for("enfield")
    other = get_user_model().objects.create_user("b-admin", "b@example.test", "x" * 20, is_staff=True)
    b.partnership.administrators.add(other)
    before = stored()
    with pytest.raises(Refused):
        agency_add(partnership=a.partnership, name="Sneaky", by=other)
    with pytest.raises(Refused):
        add(a, other)
    assert stored() == before


def test_a_retired_agency_keeps_its_history_is_not_offered_for_raising_and_can_be_restored(a: Cast, admin: Any) -> None:
    police = a.agencies["police"]
    teacher = a.at("school", 1)
    agency_retire(partnership=a.partnership, agency=police, by=admin)
    police.refresh_from_db()
    assert police.retired_at is not None
    assert last_change()["action"] == "retired"
    assert police in [row.agency for row in agencies_for(a.partnership)]
    assert police not in raise_choices_for(person=teacher).agencies
    with pytest.raises(ResolveError, match="has left the partnership") as caught:
        disagreement_raise(
            by=teacher,
            child=child_register(by=teacher, reference="RETIRED-1"),
            other_agencies=[police],
            expected="Something.",
            why="Because.",
            what_needed="A meeting.",
        )
    assert caught.value.field == "other_agencies"
    with pytest.raises(Refused, match="already retired"):
        agency_retire(partnership=a.partnership, agency=police, by=admin)
    agency_restore(partnership=a.partnership, agency=police, by=admin)
    police.refresh_from_db()
    assert police.retired_at is None
    assert last_change()["action"] == "restored"
    assert police in raise_choices_for(person=teacher).agencies


# --- people ------------------------------------------------------------------------------------------


def test_a_person_is_added_with_roles_in_one_change_and_the_trail_has_no_personal_data(a: Cast, admin: Any) -> None:
    role = roles_of(a.partnership)[0][0]
    person = add(a, admin, roles=[role])
    assert (person.name, person.agency, person.level, person.line_manager) == (
        "Jo Bloggs",
        a.agencies["school"],
        2,
        a.at("school", 3),
    )
    assert list(RoleAssignment.objects.filter(person=person).values_list("role", flat=True)) == [role]
    added = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.Person").get()
    assert added.data["fields"] == ["name", "email", "agency", "job_title", "level", "line_manager", "phone"]
    trail = str(list(Event.objects.values_list("data", flat=True)))
    assert "Jo Bloggs" not in trail
    assert "jo.bloggs" not in trail
    assert "7946" not in trail


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the person's full name."),
        ({"email": "nobody"}, "email", "correct format"),
        ({"email": "SCHOOL-LEVEL-1@x.test"}, "email", None),  # replaced below by a taken address
        ({"job_title": " "}, "job_title", "Enter the job title."),
        ({"level": 6}, "level", "from 1 to 5"),
        ({"level": "two"}, "level", "from 1 to 5"),
        ({"roles": ["no-such-role"]}, "roles", "not a role the procedure names"),
        ({"agency": "00000000-0000-0000-0000-000000000007"}, "agency", "Choose one of"),
        ({"line_manager": "nonsense"}, "line_manager", "Choose a line manager"),
    ],
)
def test_a_bad_person_is_refused_on_its_field_and_nothing_is_stored(
    a: Cast, admin: Any, given: dict[str, Any], field: str, message: str | None
) -> None:
    if message is None:  # an e-mail address someone active already has, in another case
        given = {"email": a.at("school", 1).email.upper()}
        message = "already has this e-mail address"
    before = stored()
    with pytest.raises(ResolveError, match=message) as caught:
        add(a, admin, **given)
    assert caught.value.field == field
    assert stored() == before


def test_a_person_cannot_join_a_retired_agency_or_be_managed_by_someone_who_left(a: Cast, admin: Any) -> None:
    agency_retire(partnership=a.partnership, agency=a.agencies["police"], by=admin)
    left = a.at("csc", 4)
    Person.objects.filter(pk=left.pk).update(is_active=False)
    before = stored()
    with pytest.raises(ResolveError, match="is retired") as caught:
        add(a, admin, agency=a.agencies["police"], line_manager=None)
    assert caught.value.field == "agency"
    with pytest.raises(ResolveError, match="who has not left") as caught:
        add(a, admin, line_manager=str(left.pk))
    assert caught.value.field == "line_manager"
    assert stored() == before


def test_someone_in_another_partnership_is_neither_agency_nor_line_manager(
    a: Cast, admin: Any, cast_for: Callable[[str], Cast]
) -> None:
    b = cast_for("enfield")
    before = stored()
    with pytest.raises(NotFound):
        add(a, admin, agency=b.agencies["school"])
    with pytest.raises(NotFound):
        add(a, admin, line_manager=b.at("school", 3))
    assert stored() == before


def test_a_line_management_chain_that_goes_round_is_refused(a: Cast, admin: Any) -> None:
    head = a.at("school", 5)  # managed by nobody; manages level 4, who manages level 3...
    before = stored()
    with pytest.raises(ResolveError, match="the chain would go round") as caught:
        person_change(
            partnership=a.partnership,
            person=head,
            name=head.name,
            email=head.email,
            agency=head.agency,
            job_title=head.job_title,
            level=head.level,
            line_manager=a.at("school", 2),
            phone=head.phone,
            roles=[],
            by=admin,
        )
    assert caught.value.field == "line_manager"
    assert stored() == before


def test_a_persons_details_and_roles_change_and_each_change_is_recorded(a: Cast, admin: Any) -> None:
    person = add(a, admin)
    first, second = (slug for slug, _name in roles_of(a.partnership)[:2])
    person_change(
        partnership=a.partnership,
        person=person,
        name="Jo Bloggs-Smith",
        email=person.email,
        agency=str(a.agencies["health"].pk),
        job_title="School nurse",
        level="3",
        line_manager=None,
        phone="",
        roles=[first],
        by=admin,
    )
    person.refresh_from_db()
    assert (person.name, person.agency, person.level, person.line_manager) == (
        "Jo Bloggs-Smith",
        a.agencies["health"],
        3,
        None,
    )
    changed = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__action="changed").get()
    assert changed.data["fields"] == ["name", "agency", "job_title", "level", "line_manager", "phone"]
    person_change(
        partnership=a.partnership,
        person=person,
        name=person.name,
        email=person.email,
        agency=person.agency,
        job_title=person.job_title,
        level=person.level,
        line_manager=None,
        phone="",
        roles=[second],
        by=admin,
    )
    assert list(RoleAssignment.objects.filter(person=person).values_list("role", flat=True)) == [second]
    removed = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__action="removed").get()
    assert (removed.data["person"], removed.data["role"]) == (str(person.pk), first)


def test_a_role_the_procedure_no_longer_names_is_kept_when_the_details_change(a: Cast, admin: Any) -> None:
    person = add(a, admin)
    RoleAssignment.objects.create(partnership=a.partnership, person=person, role="old-role")
    person_change(
        partnership=a.partnership,
        person=person,
        name="Renamed",
        email=person.email,
        agency=person.agency,
        job_title=person.job_title,
        level=person.level,
        line_manager=person.line_manager,
        phone=person.phone,
        roles=[],
        by=admin,
    )
    assert RoleAssignment.objects.filter(person=person, role="old-role").exists()


def test_levels_columns_and_roles_come_from_the_adopted_procedure(a: Cast) -> None:
    assert [level for level, _name in levels_of(a.partnership)] == [1, 2, 3, 4, 5]
    assert "met-police" in dict(matrix_columns_of(a.partnership))
    assert roles_of(a.partnership)
    bare = PartnershipFactory.create(procedure=None)
    assert levels_of(bare) == [(1, ""), (2, ""), (3, ""), (4, ""), (5, "")]
    assert matrix_columns_of(bare) == []
    assert roles_of(bare) == []
    other = PartnershipFactory.create(procedure=procedure_version_from_bundle("north-east-lincolnshire"))
    assert levels_of(other)


def test_the_people_list_searches_by_name_and_filters_by_agency(a: Cast) -> None:
    found = people_list_for(a.partnership, q="SCHOOL level")
    assert {p.agency for p in found} == {a.agencies["school"]}
    assert len(found) == 5
    assert list(people_list_for(a.partnership, agency=a.agencies["police"], q="level 2")) == [a.at("police", 2)]
    assert all(p.agency is None for p in people_list_for(a.partnership, team_only=True))
