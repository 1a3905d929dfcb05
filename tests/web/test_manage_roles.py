"""The partnership roles page: every role the procedure names, who holds it, empty ones flagged; add and remove."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person, RoleAssignment
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    content = response.content.decode()
    found = re.search(r"<main.*?</main>", content, re.DOTALL)
    assert found is not None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def client(enfield: Cast) -> Client:
    user = get_user_model().objects.create_user("admin", "admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    browser = Client()
    browser.force_login(user)
    return browser


def roles_url(cast: Cast) -> str:
    return reverse("manage:roles", kwargs={"partnership": cast.partnership.slug})


def add_url(cast: Cast, role: str) -> str:
    return reverse("manage:role_add", kwargs={"partnership": cast.partnership.slug, "role": role})


def remove_url(cast: Cast, pk: int) -> str:
    return reverse("manage:role_remove", kwargs={"partnership": cast.partnership.slug, "assignment": pk})


def test_the_page_lists_every_role_the_procedure_names_with_its_holders(enfield: Cast, client: Client) -> None:
    shown = text(client.get(roles_url(enfield)))
    for role in enfield.partnership.procedure.procedure.roles:  # type: ignore[union-attr]
        assert role.name in shown
    assert "escp-chair holder" in shown
    assert "Every role the procedure names has someone in it." in shown
    assert "Nobody in this role" not in shown


def test_a_role_with_nobody_active_in_it_is_flagged_with_a_count(enfield: Cast, client: Client) -> None:
    Person.objects.filter(pk=enfield.role("lado").pk).update(is_active=False)
    RoleAssignment.objects.filter(role="practice-improvement-group").delete()
    shown = text(client.get(roles_url(enfield)))
    assert "2 roles have nobody in them" in shown
    assert shown.count("Nobody in this role") == 2
    assert "lado holder" in shown
    assert "Left" in shown


def test_adding_a_holder_assigns_the_role_and_records_it(enfield: Cast, client: Client) -> None:
    person = enfield.at("csc", 5)
    response = client.post(add_url(enfield, "lado"), {"lado-person": str(person.pk)})
    assert response.status_code == 303
    assert RoleAssignment.objects.filter(person=person, role="lado").exists()
    assert Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__action="added", data__role="lado").exists()
    assert "csc level 5 now holds the role" in text(client.get(response["Location"]))


@pytest.mark.parametrize("value", ["", "7", "someone else's", "inactive", "already holds it"])
def test_a_bad_choice_is_a_400_with_the_error_summary_and_nothing_changes(
    enfield: Cast, client: Client, cast_for: Callable[[str], Cast], value: str
) -> None:
    gone = enfield.at("school", 4)
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    chosen = {
        "someone else's": str(cast_for("enfield").at("csc", 5).pk),
        "inactive": str(gone.pk),
        "already holds it": str(enfield.role("lado").pk),
    }.get(value, value)
    before = RoleAssignment.objects.count()
    response = client.post(add_url(enfield, "lado"), {"lado-person": chosen})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert 'href="#id_lado-person"' in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_a_role_the_procedure_does_not_name_is_404(enfield: Cast, client: Client) -> None:
    response = client.post(add_url(enfield, "no-such-role"), {"no-such-role-person": str(enfield.at("csc", 5).pk)})
    assert response.status_code == 404
    assert not RoleAssignment.objects.filter(role="no-such-role").exists()


def test_removing_a_holder_asks_first_then_removes_and_records_it(enfield: Cast, client: Client) -> None:
    held = RoleAssignment.objects.get(person=enfield.role("lado"), role="lado")
    confirm = client.get(remove_url(enfield, held.pk))
    assert confirm.status_code == 200
    assert "Take lado holder out of" in text(confirm)
    unconfirmed = client.post(remove_url(enfield, held.pk), {})
    assert unconfirmed.status_code == 400
    assert RoleAssignment.objects.filter(pk=held.pk).exists()
    response = client.post(remove_url(enfield, held.pk), {"confirm": "on"})
    assert response.status_code == 303
    assert not RoleAssignment.objects.filter(pk=held.pk).exists()
    assert Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__action="removed").count() == 1
    shown = text(client.get(response["Location"]))
    assert "no longer holds the role" in shown
    assert "1 role has nobody in it" in shown


def test_roles_no_longer_in_the_procedure_are_listed_apart_and_can_be_removed(enfield: Cast, client: Client) -> None:
    old = RoleAssignment.objects.create(partnership=enfield.partnership, person=enfield.at("csc", 5), role="old-role")
    shown = text(client.get(roles_url(enfield)))
    assert "Roles no longer in the procedure" in shown
    assert "old-role" in shown
    assert client.post(remove_url(enfield, old.pk), {"confirm": "on"}).status_code == 303
    assert not RoleAssignment.objects.filter(pk=old.pk).exists()


def test_a_bad_or_another_partnerships_holder_is_404(
    enfield: Cast, client: Client, cast_for: Callable[[str], Cast]
) -> None:
    theirs = RoleAssignment.objects.get(person=cast_for("enfield").role("lado"))
    for pk in (theirs.pk, 999999):
        assert client.get(remove_url(enfield, pk)).status_code == 404
        assert client.post(remove_url(enfield, pk), {"confirm": "on"}).status_code == 404
    assert RoleAssignment.objects.filter(pk=theirs.pk).exists()
