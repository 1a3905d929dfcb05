"""A superuser invites people from the admin's list of people: one e-mail each. A partnership's administrator
invites from /manage/ (tests/web/test_manage_accounts.py) and is refused the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from tests.administration.conftest import TwoPartnerships

pytestmark = pytest.mark.django_db


def invite(client: Client, people: list[Person], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("admin:partnerships_person_changelist"),
            {"action": "invite_people", "_selected_action": [str(p.pk) for p in people]},
            follow=True,
        )


def test_a_superuser_invites_people_without_an_account_from_the_list(
    two: TwoPartnerships, administrator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    newcomers = [two.a.at("health", 2), two.a.at("police", 3)]
    response = invite(administrator, newcomers, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Invitations sent: 2." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in newcomers)
    for person in newcomers:
        person.refresh_from_db()
        assert person.user is not None
        assert not person.user.has_usable_password()
    assert Event.objects.filter(verb=Verb.ACCOUNT_INVITED, partnership=two.a.partnership).count() == 2


def test_someone_who_already_has_an_account_is_named_and_the_others_are_still_invited(
    two: TwoPartnerships, administrator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    has_one, newcomer = two.a.at("school", 1), two.a.at("health", 2)
    response = invite(administrator, [has_one, newcomer], django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert f"{has_one.name}: This person already has an account".lower() in page.lower()  # the admin capitalises
    assert "Invitations sent: 1." in page
    assert [m.to for m in mail.outbox] == [[newcomer.email]]


def test_a_partnership_administrator_cannot_invite_through_the_admin(
    two: TwoPartnerships, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = two.a.at("health", 2)
    assert invite(two.client, [outsider], django_capture_on_commit_callbacks).status_code == 403
    outsider.refresh_from_db()
    assert outsider.user is None
    assert mail.outbox == []
