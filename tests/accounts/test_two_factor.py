"""Two-factor authentication with an authenticator app (TOTP), which a partnership can require."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, sign_in, signed_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def code_for(secret: str, *, step: int = 0) -> str:
    """What the person's authenticator app shows now (or ``step`` periods from now)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def require_two_factor(person: Person) -> None:
    person.partnership.mfa_required = True
    person.partnership.save()


def set_up_app(client: Client) -> str:
    """Set up the authenticator app the way a person does: confirm the password, scan, type the code."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))  # changing security asks again
    confirmed = client.post(page["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing into the app, beside the QR code
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302
    return secret


def test_where_the_partnership_requires_it_nobody_works_until_they_set_up_the_app(practitioner: Person) -> None:
    require_two_factor(practitioner)
    client = Client()
    sign_in(client, practitioner.email)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("admin:index")).status_code == 302  # nor anywhere else

    set_up_app(client)
    assert signed_in(client)
    assert Authenticator.objects.filter(user=practitioner.user, type=Authenticator.Type.TOTP).exists()
    event = Event.objects.get(verb=Verb.TWO_FACTOR_CHANGED, data__type="totp")
    assert event.actor == practitioner
    assert event.data == {"change": "added", "type": "totp"}


def test_a_partnership_that_does_not_require_it_leaves_it_to_each_person(practitioner: Person) -> None:
    client = Client()
    sign_in(client, practitioner.email)
    assert signed_in(client)


def test_signing_in_asks_for_the_code_and_refuses_a_wrong_one(practitioner: Person, time_machine) -> None:
    time_machine.move_to("2026-11-23T09:00:00+00:00", tick=False)
    client = Client()
    sign_in(client, practitioner.email)
    secret = set_up_app(client)
    client.post(reverse("logout"))

    time_machine.move_to("2026-11-23T09:05:00+00:00", tick=False)
    client = Client()
    response = sign_in(client, practitioner.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if code_for(secret) != "000000" else "111111"})
    assert "The code is not correct." in wrong.content.decode()
    assert not signed_in(client)

    right = client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert right.status_code == 302
    assert signed_in(client)


def test_where_it_is_required_a_person_cannot_turn_it_off(practitioner: Person) -> None:
    require_two_factor(practitioner)
    client = Client()
    sign_in(client, practitioner.email)
    set_up_app(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert "You cannot turn off two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=practitioner.user, type=Authenticator.Type.TOTP).exists()


def test_where_it_is_optional_a_person_can_turn_it_off(practitioner: Person) -> None:
    client = Client()
    sign_in(client, practitioner.email)
    set_up_app(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=practitioner.user, type=Authenticator.Type.TOTP).exists()
    assert Event.objects.filter(verb=Verb.TWO_FACTOR_CHANGED, data__change="removed").exists()


def staff_account(email: str, *, superuser: bool = False) -> Any:
    users = get_user_model().objects
    make = users.create_superuser if superuser else users.create_user
    user = make(username=email, email=email, password=PASSWORD)
    if not superuser:
        user.is_staff = True
        user.save()
    return user


def sent_to_set_up_the_app(email: str) -> bool:
    client = Client()
    assert sign_in(client, email).status_code == 302
    response = client.get(reverse("admin:index"))
    return response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_staff_account_administering_a_partnership_that_requires_it_must_set_up_the_app(cast: Cast) -> None:
    admin = staff_account("admin@partnership.example")
    cast.partnership.administrators.add(admin)
    assert not sent_to_set_up_the_app(admin.email)
    require_two_factor(cast.at("school", 1))
    assert sent_to_set_up_the_app(admin.email)


def test_a_staff_account_is_not_held_to_a_partnership_it_does_not_administer(
    cast: Cast, cast_for: Callable[[str], Cast]
) -> None:
    admin = staff_account("admin@partnership.example")
    cast.partnership.administrators.add(admin)
    require_two_factor(cast_for("enfield").at("school", 1))  # another partnership requires it
    assert not sent_to_set_up_the_app(admin.email)


def test_a_superuser_must_set_up_the_app_when_any_partnership_requires_it(cast: Cast) -> None:
    superuser = staff_account("root@installation.example", superuser=True)
    assert not sent_to_set_up_the_app(superuser.email)
    require_two_factor(cast.at("school", 1))
    assert sent_to_set_up_the_app(superuser.email)


def test_a_staff_account_that_is_also_a_person_is_held_to_both(cast: Cast, practitioner: Person) -> None:
    practitioner_user = practitioner.user
    assert practitioner_user is not None
    practitioner_user.is_staff = True
    practitioner_user.save()
    require_two_factor(practitioner)
    assert sent_to_set_up_the_app(practitioner.email)


def test_a_password_reset_request_by_anyone_does_not_stop_the_person_setting_up_the_app(practitioner: Person) -> None:
    require_two_factor(practitioner)
    Client().post(reverse("account_reset_password"), {"email": practitioner.email})  # anyone can ask, for anyone
    assert len(mail.outbox) == 1
    client = Client()
    sign_in(client, practitioner.email)
    set_up_app(client)
    assert signed_in(client)


def test_a_person_with_an_unconfirmed_address_is_told_to_confirm_it_and_can_then_set_up_the_app(
    practitioner: Person,
) -> None:
    require_two_factor(practitioner)
    address = practitioner.email.lower()
    EmailAddress.objects.create(user=practitioner.user, email=address, primary=True, verified=False)
    client = Client()
    sign_in(client, practitioner.email)
    refused = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "Confirm your email address before you set up two-factor authentication" in refused.content.decode()

    assert client.get(reverse("account_email")).status_code == 200  # open before two-factor is set up
    client.post(reverse("account_email"), {"action_send": "", "email": address})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/account/confirm-email/\S+/)", str(message.body))
    assert link is not None
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=practitioner.user, email=address).verified
    set_up_app(client)
    assert signed_in(client)
