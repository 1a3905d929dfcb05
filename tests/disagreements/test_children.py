"""Registering or finding a child: by a named person, audited, and never revealing what is stored about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pytest

from resolve.audit.models import Event, Verb
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Child
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_validation import raise_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def test_a_practitioner_registers_a_child_and_the_trail_names_who_by_the_childs_identifier(enfield: Cast) -> None:
    teacher = enfield.at("school", 1)
    registered = services.child_register(
        by=teacher, reference=" EN-4471 ", name="Sam Example", date_of_birth=date(2016, 3, 1)
    )
    child = Child.objects.get(pk=registered.id)
    assert (child.reference, child.name, child.date_of_birth) == ("EN-4471", "Sam Example", date(2016, 3, 1))
    assert registered.reference == "EN-4471"
    event = Event.objects.get(verb=Verb.CHILD_REGISTERED)
    assert (event.actor, event.partnership, event.data) == (teacher, enfield.partnership, {"child": str(child.pk)})


def test_finding_a_child_already_registered_shows_only_the_reference_and_changes_nothing_stored(
    enfield: Cast,
) -> None:
    first = services.child_register(
        by=enfield.at("csc", 1), reference="EN-4471", name="Sam Example", date_of_birth=date(2016, 3, 1)
    )
    other = enfield.at("police", 1)  # takes part in none of this child's disagreements
    found = services.child_register(by=other, reference="EN-4471", name="Someone Else", date_of_birth=date(2010, 1, 1))
    assert found.id == first.id
    # what the person is given back holds nothing but the identifier and the reference they typed
    assert {f.name for f in fields(found)} == {"id", "reference"}
    child = Child.objects.get(pk=first.id)
    assert (child.name, child.date_of_birth) == ("Sam Example", date(2016, 3, 1))
    event = Event.objects.get(verb=Verb.CHILD_FOUND)
    assert (event.actor, event.data) == (other, {"child": str(child.pk)})
    assert "Sam" not in str(event.data)


def test_the_same_reference_in_another_partnership_is_another_child(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    other = cast_for("peterborough")
    here = services.child_register(by=enfield.at("school", 1), reference="CASE-1")
    there = services.child_register(by=other.at("school", 1), reference="CASE-1")
    assert here.id != there.id


def test_a_role_the_procedure_names_may_register_a_child(enfield: Cast) -> None:
    business_unit = enfield.role("business-unit")
    assert business_unit.agency is None
    registered = services.child_register(by=business_unit, reference="EN-9")
    assert Child.objects.filter(pk=registered.id, partnership=enfield.partnership).exists()


def test_someone_in_no_agency_and_no_role_of_the_procedure_cannot_register_a_child(enfield: Cast) -> None:
    nobody = Person.objects.create(
        partnership=enfield.partnership, agency=None, name="A visitor", job_title="Visitor", email="v@example.test"
    )
    with pytest.raises(Refused, match="in one of the partnership's agencies, or holding a role"):
        services.child_register(by=nobody, reference="EN-9")
    assert not Child.objects.exists()
    refusal = Event.objects.get()
    assert (refusal.verb, refusal.actor, refusal.data) == (Verb.ACCESS_REFUSED, nobody, {"action": "register_child"})


def test_someone_who_has_left_cannot_register_a_child(enfield: Cast) -> None:
    leaver = enfield.at("school", 1)
    leaver.is_active = False
    leaver.save()
    with pytest.raises(Refused, match="in one of the partnership's agencies, or holding a role"):
        services.child_register(by=leaver, reference="EN-9")
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reference": " "}, "reference", "Enter the child's reference"),
        ({"reference": "R" * 61}, "reference", "Shorten the child's reference .* to 60 characters at most; it has 61"),
        ({"reference": "EN\x00-1"}, "reference", "Remove the NUL character"),
        ({"reference": ["EN-1"]}, "reference", "as text, not a list"),
        ({"name": "N" * 201}, "name", "Shorten the child's name to 200 characters at most"),
        ({"name": None}, "name", "Enter the child's name as text, not nothing"),
        ({"date_of_birth": date(1899, 12, 31)}, "date_of_birth", "cannot be before 01 January 1900: check the year"),
        ({"date_of_birth": date.today() + timedelta(days=1)}, "date_of_birth", "cannot be in the future"),  # noqa: DTZ011
        ({"date_of_birth": datetime(2016, 3, 1, tzinfo=UTC)}, "date_of_birth", "as a date .*, not a datetime"),
        ({"date_of_birth": "2016-03-01"}, "date_of_birth", "as a date .*, not text"),
    ],
)
def test_registering_a_child_with_a_bad_value_names_the_field_and_changes_nothing(
    enfield: Cast, change: dict[str, object], field: str, message: str
) -> None:
    given: dict[str, object] = {"reference": "EN-1", "name": "", "date_of_birth": None} | change
    with pytest.raises(ResolveError, match=message) as refused:
        services.child_register(by=enfield.at("school", 1), **given)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not Child.objects.exists()
    assert not Event.objects.exists()


def test_a_disagreement_is_raised_about_the_child_registered(enfield: Cast) -> None:
    registered = services.child_register(by=enfield.at("school", 1), reference="EN-4471")
    d = raise_about(enfield, registered)
    assert d.child_id == registered.id


def test_a_child_registered_in_another_partnership_cannot_be_raised_about(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    elsewhere = services.child_register(by=cast_for("peterborough").at("school", 1), reference="P-1")
    with pytest.raises(ResolveError, match="That child is not known to this partnership") as refused:
        raise_about(enfield, elsewhere)
    assert refused.value.field == "child"
