"""An administrator invites a person: an account with their address verified, and a link to choose a password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from resolve.accounts.services import account_invite
from resolve.audit.models import Event, Verb
from resolve.core.errors import Refused
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, give_account, sign_in, signed_in
from tests.accounts.test_two_factor import require_two_factor, set_up_app
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


@pytest.fixture
def administrator_of(cast: Cast) -> Any:
    user = get_user_model().objects.create_user(
        username="admin", email="admin@partnership.example", password=PASSWORD, is_staff=True
    )
    cast.partnership.administrators.add(user)
    return user


@pytest.fixture
def newcomer(cast: Cast) -> Person:
    return cast.at("health", 2)


def invite(person: Person, by: Any, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return account_invite(person=person, by=by)


def test_an_invited_person_sets_a_password_and_sets_up_two_factor_at_once(
    newcomer: Person, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    require_two_factor(newcomer)
    user = invite(newcomer, administrator_of, django_capture_on_commit_callbacks)
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == [newcomer.email]
    link = LINK.search(str(message.body))
    assert link is not None

    client = Client()
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    chosen = client.post(form.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    assert chosen.status_code == 302
    assert sign_in(client, newcomer.email).status_code == 302
    # No e-mail loop before two-factor: the invitation proved the address.
    set_up_app(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert signed_in(client)
    assert EmailAddress.objects.get(user=user).verified


def test_the_invitation_link_works_once(
    newcomer: Person, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invite(newcomer, administrator_of, django_capture_on_commit_callbacks)
    link = LINK.search(str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    again = Client().get(link.group(1), follow=True)
    assert "This link has expired or has already been used" in again.content.decode()


def test_the_invitation_is_audited_by_identifier_only(
    newcomer: Person, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invite(newcomer, administrator_of, django_capture_on_commit_callbacks)
    event = Event.objects.get(verb=Verb.ACCOUNT_INVITED)
    assert event.partnership == newcomer.partnership
    assert event.data == {"account_of": str(newcomer.pk), "by_account": administrator_of.pk}
    assert newcomer.email not in str(event.data)


def test_an_administrator_of_another_partnership_cannot_invite(
    newcomer: Person, cast_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = get_user_model().objects.create_user(username="other", email="o@x.example", is_staff=True)
    cast_for("enfield").partnership.administrators.add(outsider)
    with pytest.raises(Refused, match="Only an administrator of the person's partnership"):
        invite(newcomer, outsider, django_capture_on_commit_callbacks)
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert mail.outbox == []
    assert not Event.objects.filter(verb=Verb.ACCOUNT_INVITED).exists()


def test_a_person_cannot_invite_themselves_or_anyone(cast: Cast, newcomer: Person) -> None:
    colleague = give_account(cast.at("health", 3))
    with pytest.raises(Refused):
        account_invite(person=newcomer, by=colleague.user)


def test_a_superuser_can_invite_anyone(newcomer: Person, django_capture_on_commit_callbacks: Any) -> None:
    root = get_user_model().objects.create_superuser("root", "root@installation.example", PASSWORD)
    invite(newcomer, root, django_capture_on_commit_callbacks)
    newcomer.refresh_from_db()
    assert newcomer.user is not None


def test_a_person_with_an_account_is_not_invited_again(
    cast: Cast, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = give_account(cast.at("health", 1))
    with pytest.raises(Refused, match="already has an account"):
        invite(person, administrator_of, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_address_another_account_holds_is_not_given_to_the_invited_person(
    newcomer: Person, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    get_user_model().objects.create_user(username="squatter", email=newcomer.email.upper(), password=PASSWORD)
    users_before = get_user_model().objects.count()
    with pytest.raises(Refused, match="Another account already holds"):
        invite(newcomer, administrator_of, django_capture_on_commit_callbacks)
    assert get_user_model().objects.count() == users_before
    assert mail.outbox == []


def test_someone_removed_from_the_partnership_is_not_invited(
    newcomer: Person, administrator_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(Refused, match="removed from the partnership"):
        invite(newcomer, administrator_of, django_capture_on_commit_callbacks)
