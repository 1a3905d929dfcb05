"""Short references: what professionals read out on the telephone, unique in the partnership."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound
from resolve.disagreements.selectors import disagreement_find
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def test_references_count_up_within_the_partnership_and_the_year(enfield: Cast, time_machine) -> None:
    enfield.partnership.reference_prefix = "ESCP"
    enfield.partnership.save()
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    first, second = raise_one(enfield), raise_one(enfield)
    time_machine.move_to(at("2027-01-04T10:00"), tick=False)
    next_year = raise_one(enfield)
    assert [first.reference, second.reference, next_year.reference] == [
        "ESCP-2026-0001",
        "ESCP-2026-0002",
        "ESCP-2027-0001",
    ]


def test_two_partnerships_number_separately_and_a_blank_prefix_uses_the_slugs_initials(
    cast_for: Callable[[str], Cast],
) -> None:
    one, other = cast_for("enfield"), cast_for("cumbria")
    other.partnership.slug = "north-east-lincolnshire"
    other.partnership.save()
    assert raise_one(one).reference.endswith("-0001")
    assert raise_one(other).reference.startswith("NEL-")
    assert raise_one(other).reference.endswith("-0002")


def test_a_changed_prefix_never_repeats_a_number(enfield: Cast) -> None:
    first = raise_one(enfield)
    enfield.partnership.reference_prefix = "EN"
    enfield.partnership.save()
    second = raise_one(enfield)
    assert second.reference.startswith("EN-")
    assert first.reference[-4:] != second.reference[-4:]


def test_a_prefix_must_be_capital_letters_or_digits(enfield: Cast) -> None:
    enfield.partnership.reference_prefix = "ne l"
    with pytest.raises(ValidationError) as caught:
        enfield.partnership.full_clean()
    assert "capital letters" in str(caught.value)


def test_a_disagreement_is_found_by_its_reference_in_any_case(enfield: Cast) -> None:
    d = raise_one(enfield)
    found = disagreement_find(person=enfield.at("school", 1), reference=f"  {d.reference.lower()} ")
    assert found == d
    assert Event.objects.filter(verb=Verb.VIEWED, disagreement=d, actor=enfield.at("school", 1)).exists()


def test_a_reference_the_person_may_not_see_is_not_found_like_a_missing_one(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("health", 3)
    with pytest.raises(NotFound) as refused:
        disagreement_find(person=outsider, reference=d.reference)
    with pytest.raises(NotFound) as missing:
        disagreement_find(person=outsider, reference="ZZZ-1999-0001")
    assert refused.value.message == missing.value.message
    refusals = Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider)
    assert refusals.count() == 2
    assert all(d.reference not in str(e.data) for e in refusals)
