"""The password rules (12 characters at least, AUTH_PASSWORD_VALIDATORS) hold on every path that sets one."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from resolve.accounts.services import account_invite
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

SHORT = "kq7#Lm2v$x"  # 10 characters, and nothing else wrong with it
LONG = "kq7#Lm2v$x-w9pT"
TOO_SHORT = "This password is too short. It must contain at least 12 characters."
LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


def accepts(user: Any, password: str) -> bool:
    user.refresh_from_db()
    return bool(user.check_password(password))


def reset_form(client: Client, link: str) -> str:
    """Follow an e-mailed link to the form that sets the password (allauth moves the key into the session)."""
    page = client.get(link, follow=True)
    assert page.status_code == 200
    return str(page.redirect_chain[-1][0])


def test_a_reset_from_an_e_mailed_link_refuses_a_short_password(practitioner: Person) -> None:
    Client().post(reverse("account_reset_password"), {"email": practitioner.email})
    link = LINK.search(str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    form = reset_form(client, link.group(1))
    refused = client.post(form, {"password1": SHORT, "password2": SHORT})
    assert refused.status_code == 400
    assert TOO_SHORT in refused.content.decode()
    assert not accepts(practitioner.user, SHORT)
    assert client.post(form, {"password1": LONG, "password2": LONG}).status_code == 302
    assert accepts(practitioner.user, LONG)


def test_an_invitation_link_refuses_a_short_password(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    admin = get_user_model().objects.create_user(
        username="admin", email="a@p.example", password=PASSWORD, is_staff=True
    )
    cast.partnership.administrators.add(admin)
    with django_capture_on_commit_callbacks(execute=True):
        user = account_invite(person=cast.at("health", 2), by=admin)
    link = LINK.search(str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    refused = client.post(reset_form(client, link.group(1)), {"password1": SHORT, "password2": SHORT})
    assert TOO_SHORT in refused.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_changing_a_password_refuses_a_short_one(practitioner: Person) -> None:
    client = Client()
    sign_in(client, practitioner.email)
    refused = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": SHORT, "password2": SHORT}
    )
    assert TOO_SHORT in refused.content.decode()
    assert accepts(practitioner.user, PASSWORD)


def test_setting_a_first_password_refuses_a_short_one(practitioner: Person) -> None:
    user = practitioner.user
    assert user is not None
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    refused = client.post(reverse("account_set_password"), {"password1": SHORT, "password2": SHORT})
    assert TOO_SHORT in refused.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_admins_set_password_and_add_account_pages_refuse_a_short_one(practitioner: Person) -> None:
    root = get_user_model().objects.create_superuser(username="root", email="root@example.test", password=LONG)
    client = Client()
    client.force_login(root, backend="allauth.account.auth_backends.AuthenticationBackend")
    user = practitioner.user
    assert user is not None
    page = reverse("admin:auth_user_password_change", args=[user.pk])
    refused = client.post(page, {"password1": SHORT, "password2": SHORT, "usable_password": "true"})
    assert refused.status_code == 200
    assert TOO_SHORT in refused.content.decode()
    assert accepts(user, PASSWORD)

    added = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": SHORT, "password2": SHORT, "usable_password": "true"},
    )
    assert TOO_SHORT in added.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_createsuperuser_without_prompts_refuses_a_short_password_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", SHORT)
    with pytest.raises(CommandError, match="too short"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.test", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="root").exists()

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", LONG)
    call_command("createsuperuser", "--noinput", username="root", email="root@example.test", stdout=io.StringIO())
    assert accepts(get_user_model().objects.get(username="root"), LONG)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_createsuperuser_asking_for_the_password_offers_no_way_round_the_rules(monkeypatch: Any) -> None:
    typed = iter([SHORT, SHORT, LONG, LONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": next(typed))
    answers = iter(["y"])  # were the bypass question asked, this would take it
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    errors = io.StringIO()
    call_command(
        "createsuperuser",
        username="root",
        email="root@example.test",
        stdin=Terminal(),
        stdout=io.StringIO(),
        stderr=errors,
    )
    assert TOO_SHORT in errors.getvalue()
    assert "does not let a superuser's password break the password rules" in errors.getvalue()
    root = get_user_model().objects.get(username="root")
    assert accepts(root, LONG)
    assert not root.check_password(SHORT)


def test_changepassword_refuses_a_short_password(practitioner: Person, monkeypatch: Any) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": SHORT)
    user = practitioner.user
    assert user is not None
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", user.username, stdout=io.StringIO(), stderr=io.StringIO())
    assert accepts(user, PASSWORD)
