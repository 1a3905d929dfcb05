"""Two partnerships with a short audit trail each, and a staff account that administers only the first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from resolve.audit.context import origin
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person
from tests.accounts.conftest import give_account
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one

# What a partnership administrator is given: every permission on reference data, accounts and the trail.
ADMINISTRATOR_APPS = ("partnerships", "audit", "auth", "account", "mfa")


def with_trail(cast: Cast) -> Disagreement:
    with origin("192.0.2.10"):
        disagreement = raise_one(cast, counterparts=[cast.at("csc", 1)])
        services.action_add(disagreement=disagreement, by=cast.at("csc", 1), description="Book the visit.")
    return disagreement


@pytest.fixture
def trail(cast_for: Callable[[str], Cast]) -> Cast:
    cast = cast_for("enfield")
    with_trail(cast)
    return cast


@dataclass
class TwoPartnerships:
    a: Cast
    b: Cast
    a_case: Disagreement
    b_case: Disagreement
    staff: User  # the staff account administering A only
    client: Client  # signed in as that account


def account_of(person: Person) -> User:
    """The account a person signs in with (they have one in these tests)."""
    assert person.user is not None
    return person.user


def staff_account(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.test", "x" * 20, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
    return user


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> TwoPartnerships:
    a, b = cast_for("enfield"), cast_for("enfield")
    a_case, b_case = with_trail(a), with_trail(b)
    give_account(a.at("school", 1))
    give_account(b.at("school", 1))
    staff = staff_account("a-admin")
    a.partnership.administrators.add(staff)
    client = Client()
    client.force_login(staff)
    return TwoPartnerships(a=a, b=b, a_case=a_case, b_case=b_case, staff=staff, client=client)
