"""The procedure's partnership roles and their holders (roles_for), and taking someone out of one (role_unassign)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused
from resolve.partnerships.models import Person, RoleAssignment
from resolve.partnerships.roles import assignment_of, role_unassign, roles_for
from resolve.partnerships.services import role_assign
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin(enfield: Cast) -> Any:
    user = get_user_model().objects.create_user("admin", "admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    return user


def test_every_role_the_procedure_names_is_listed_with_what_it_does_and_who_holds_it(enfield: Cast) -> None:
    shown = roles_for(enfield.partnership)
    procedure = enfield.partnership.procedure.procedure  # type: ignore[union-attr]
    assert [r.slug for r in shown.roles] == [r.slug for r in procedure.roles]
    chair = next(r for r in shown.roles if r.slug == "escp-chair")
    assert chair.kind.startswith("Chair")
    assert [a.person for a in chair.holders] == [enfield.role("escp-chair")]
    business_unit = next(r for r in shown.roles if r.slug == "business-unit")
    assert business_unit.told  # Enfield's business unit is told of level 4+ escalations (L84)
    assert not shown.empty
    assert shown.stale == []


def test_a_role_with_nobody_active_in_it_is_flagged(enfield: Cast) -> None:
    holder = enfield.role("lado")
    Person.objects.filter(pk=holder.pk).update(is_active=False)
    shown = roles_for(enfield.partnership)
    assert [r.slug for r in shown.empty] == ["lado"]
    lado = shown.empty[0]
    assert [a.person for a in lado.holders] == [holder]  # listed, so it can be removed
    assert lado.active_holders == []


def test_roles_held_that_the_procedure_no_longer_names_are_listed_apart(enfield: Cast) -> None:
    old = RoleAssignment.objects.create(partnership=enfield.partnership, person=enfield.at("csc", 5), role="old-role")
    assert roles_for(enfield.partnership).stale == [old]


def test_removing_a_holder_is_recorded_and_assigning_again_gives_it_back(enfield: Cast, admin: Any) -> None:
    holder = enfield.role("lado")
    assignment = RoleAssignment.objects.get(person=holder, role="lado")
    role_unassign(partnership=enfield.partnership, assignment=assignment, by=admin)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = Event.objects.get(verb=Verb.REFERENCE_CHANGED, data__action="removed")
    assert event.data == {
        "model": "partnerships.RoleAssignment",
        "object": str(assignment.pk),
        "action": "removed",
        "person": str(holder.pk),
        "role": "lado",
        "user": admin.pk,
    }
    assert [r.slug for r in roles_for(enfield.partnership).empty] == ["lado"]
    role_assign(person=holder, role="lado", by=admin)
    assert not roles_for(enfield.partnership).empty


def test_another_partnerships_holder_is_not_found_and_nothing_changes(
    enfield: Cast, admin: Any, cast_for: Callable[[str], Cast]
) -> None:
    other = cast_for("enfield")
    theirs = RoleAssignment.objects.get(person=other.role("lado"))
    with pytest.raises(NotFound):
        assignment_of(enfield.partnership, theirs.pk)
    with pytest.raises(NotFound):
        assignment_of(enfield.partnership, "7")
    with pytest.raises(NotFound):
        role_unassign(partnership=enfield.partnership, assignment=theirs, by=admin)
    assert RoleAssignment.objects.filter(pk=theirs.pk).exists()
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_only_an_administrator_removes_a_holder(enfield: Cast) -> None:
    assignment = RoleAssignment.objects.get(person=enfield.role("lado"))
    someone = get_user_model().objects.create_user("someone", "s@example.test", "x" * 20, is_staff=True)
    with pytest.raises(Refused):
        role_unassign(partnership=enfield.partnership, assignment=assignment, by=someone)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
