"""A person's e-mail address: never one another account holds, and never an unproved one as the account's own."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from resolve.partnerships.models import Person
from tests.accounts.conftest import give_account, sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def signed_in_client(person: Person) -> Client:
    client = Client()
    assert sign_in(client, person.email).status_code == 302
    return client


def add_address(client: Client, email: str) -> str:
    return client.post(reverse("account_email"), {"action_add": "", "email": email}, follow=True).content.decode()


def account_email(person: Person) -> str:
    return get_user_model().objects.get(person=person).email


@pytest.mark.parametrize("colleague_verified", [True, False])
def test_a_person_cannot_add_an_address_another_account_holds(
    cast: Cast, practitioner: Person, colleague_verified: bool
) -> None:
    colleague = give_account(cast.at("school", 2), verified=colleague_verified)
    client = signed_in_client(practitioner)
    page = add_address(client, colleague.email.upper())
    assert "Another account already has this email address." in page
    assert not EmailAddress.objects.filter(user=practitioner.user, email__iexact=colleague.email).exists()
    assert account_email(practitioner) == practitioner.email
    assert not any(colleague.email in message.to for message in mail.outbox)


def test_an_unverified_address_cannot_be_made_the_accounts_own(practitioner: Person) -> None:
    client = signed_in_client(practitioner)  # an account from before addresses were verified: none is
    add_address(client, "someone.else@example.test")
    page = client.post(
        reverse("account_email"), {"action_primary": "", "email": "someone.else@example.test"}, follow=True
    ).content.decode()
    assert "Confirm this address first" in page
    assert account_email(practitioner) == practitioner.email
    assert not EmailAddress.objects.filter(email="someone.else@example.test", primary=True).exists()


def test_a_new_address_becomes_the_accounts_own_once_its_owner_follows_the_link(practitioner: Person) -> None:
    client = signed_in_client(practitioner)
    add_address(client, "new.address@example.test")
    assert account_email(practitioner) == practitioner.email  # not yet
    (message,) = [m for m in mail.outbox if m.to == ["new.address@example.test"]]
    link = re.search(r"http://testserver(/account/confirm-email/[^/\s]+/)", str(message.body))
    assert link is not None
    client.post(link.group(1))
    client.post(reverse("account_email"), {"action_primary": "", "email": "new.address@example.test"})
    assert account_email(practitioner) == "new.address@example.test"
    address = EmailAddress.objects.get(user=practitioner.user, email="new.address@example.test")
    assert address.verified
    assert address.primary
