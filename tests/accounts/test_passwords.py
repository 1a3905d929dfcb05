"""'Forgotten your password?': a local password for accounts that have one, never for single sign-on accounts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")


@pytest.fixture
def organisation_only(cast: Cast) -> Person:
    """A person who has only ever signed in through their organisation: no password, a linked identity."""
    person = cast.at("police", 1)
    person.user = get_user_model().objects.create_user(username="officer", email=person.email, password=None)
    person.save()
    SocialAccount.objects.create(user=person.user, provider="police-entra", uid="sub-police-1")
    return person


def account_of(person: Person) -> Any:
    person.refresh_from_db()
    assert person.user is not None
    return person.user


def ask_for_reset(email: str) -> Any:
    return Client().post(reverse("account_reset_password"), {"email": email})


def test_forgotten_password_for_a_single_sign_on_account_sends_no_link_and_says_so_only_by_e_mail(
    organisation_only: Person,
) -> None:
    response = ask_for_reset(organisation_only.email)
    unknown = ask_for_reset("nobody.here@example.test")
    # The page answers exactly as it does for any address: it reveals nothing about the account.
    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == unknown["Location"] == reverse("account_reset_password_done")

    (message,) = [m for m in mail.outbox if m.to == [organisation_only.email]]
    assert not RESET_LINK.search(str(message.body))
    assert "password/reset/key" not in message.body
    assert "you sign in to Resolve through your organisation" in message.body
    assert not account_of(organisation_only).has_usable_password()


def test_forgotten_password_for_an_unknown_address_says_to_ask_the_business_unit_not_to_sign_up() -> None:
    ask_for_reset("nobody.here@example.test")
    (message,) = mail.outbox
    assert message.to == ["nobody.here@example.test"]
    assert "ask them" in message.body
    assert "sign up for an account" not in message.body
    assert "signup" not in message.body


def test_forgotten_password_for_an_account_with_a_password_sends_the_link(practitioner: Person) -> None:
    ask_for_reset(practitioner.email)
    (message,) = mail.outbox
    link = RESET_LINK.search(str(message.body))
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    new = "a brand new long password"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert sign_in(Client(), practitioner.email, new).status_code == 302


def test_a_reset_link_made_for_a_single_sign_on_account_does_not_work(organisation_only: Person) -> None:
    user = account_of(organisation_only)
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}).replace("UID-KEY", key)
    client = Client()
    page = client.get(path, follow=True)
    assert "This link has expired or has already been used" in page.content.decode()
    assert "Bad Token" not in page.content.decode()
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path, {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert not account_of(organisation_only).has_usable_password()


def test_a_single_sign_on_account_cannot_set_itself_a_password(organisation_only: Person) -> None:
    client = Client()
    client.force_login(account_of(organisation_only), backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.post(reverse("account_set_password"), {"password1": PASSWORD, "password2": PASSWORD})
    assert "Your account signs in through your organisation" in page.content.decode()
    assert not account_of(organisation_only).has_usable_password()
