"""Signing in with an e-mail address and a password: argon2, lockout, no sign-up, CSRF, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from resolve.settings import base
from tests.accounts.conftest import PASSWORD, give_account, sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_their_email_address_and_lands_on_their_work(practitioner: Person) -> None:
    client = Client()
    response = sign_in(client, practitioner.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert practitioner.name in page
    event = Event.objects.get(verb=Verb.SIGNED_IN)
    assert event.actor == practitioner
    assert event.data == {"through": "password"}


def test_a_wrong_password_is_refused_with_a_message_and_recorded_without_the_address(practitioner: Person) -> None:
    client = Client()
    response = sign_in(client, practitioner.email, "not the password")
    assert response.status_code == 400
    assert "The email address or password is not correct. Check them and try again." in response.content.decode()
    assert 'href="#id_login"' in response.content.decode()
    assert not signed_in(client)
    failed = Event.objects.get(verb=Verb.SIGN_IN_FAILED)
    assert failed.data == {"account_of": str(practitioner.pk)}
    assert failed.actor is None
    assert practitioner.email not in str(failed.data)


def test_an_empty_form_names_the_fields_to_fill_in() -> None:
    response = Client().post(reverse("login"), {"login": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(practitioner: Person, time_machine) -> None:
    time_machine.move_to("2026-11-23T10:00:00+00:00", tick=False)
    attacker = Client()
    for _ in range(5):
        assert sign_in(attacker, practitioner.email, "guess").status_code == 400

    # Even the right password is refused while the account is locked, from any browser.
    locked = sign_in(Client(), practitioner.email)
    assert locked.status_code == 429
    assert "Signing in to this account is paused after too many wrong passwords." in locked.content.decode()
    assert Event.objects.filter(verb=Verb.SIGN_IN_LOCKED, data={"account_of": str(practitioner.pk)}).exists()

    time_machine.move_to("2026-11-23T10:14:00+00:00", tick=False)
    assert sign_in(Client(), practitioner.email).status_code == 429
    time_machine.move_to("2026-11-23T10:16:00+00:00", tick=False)
    client = Client()
    assert sign_in(client, practitioner.email).status_code == 302
    assert signed_in(client)


def test_a_lockout_of_one_account_leaves_colleagues_free_to_sign_in(cast, practitioner: Person) -> None:
    colleague = give_account(cast.at("school", 2))
    for _ in range(5):
        sign_in(Client(REMOTE_ADDR="10.0.0.1"), practitioner.email, "guess")
    assert sign_in(Client(REMOTE_ADDR="10.0.0.2"), colleague.email).status_code == 302


def test_nobody_can_sign_up_accounts_come_from_the_partnership() -> None:
    users_before = get_user_model().objects.count()
    response = Client().post(
        reverse("account_signup"),
        {"email": "new.person@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "Sign Up Closed" in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_passwords_are_stored_as_argon2_hashes() -> None:
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = get_user_model().objects.create_user(
            username="a@example.test", email="a@example.test", password=PASSWORD
        )
    assert user.password.startswith("argon2$argon2id$")


def test_allauths_own_sign_in_address_leads_to_resolves(practitioner: Person) -> None:
    response = Client().get("/account/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"


def test_the_admin_signs_in_through_the_same_page_so_lockout_applies_there_too() -> None:
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_signing_in_without_the_csrf_token_is_refused(practitioner: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, practitioner.email)
    assert response.status_code == 403
    assert not signed_in(client)


def test_signing_out_needs_a_post_with_the_csrf_token(practitioner: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    assert client.post(
        reverse("login"), {"login": practitioner.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert signed_in(client)

    client.get(reverse("logout"))  # a link or an image cannot sign anyone out
    assert signed_in(client)
    assert client.post(reverse("logout")).status_code == 403
    assert signed_in(client)

    token = client.cookies["csrftoken"].value
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not signed_in(client)
    assert Event.objects.filter(verb=Verb.SIGNED_OUT, actor=practitioner).count() == 1


def test_a_person_whose_partnership_removed_them_cannot_sign_in(practitioner: Person) -> None:
    assert practitioner.user is not None
    get_user_model().objects.filter(pk=practitioner.user.pk).update(is_active=False)
    client = Client()
    response = sign_in(client, practitioner.email)
    assert response["Location"] == reverse("account_inactive")
    assert "This account has been closed" in client.get(response["Location"]).content.decode()
    assert not signed_in(client)


def test_the_audit_trail_still_verifies_after_signing_in_and_out(practitioner: Person) -> None:
    client = Client()
    sign_in(client, practitioner.email, "wrong")
    sign_in(client, practitioner.email)
    client.post(reverse("logout"))
    result = verify()
    assert result.ok, result
    assert Event.objects.filter(verb__in=[Verb.SIGN_IN_FAILED, Verb.SIGNED_IN, Verb.SIGNED_OUT]).count() == 3
