"""Sessions end after 30 minutes without activity, when the browser closes, and everywhere on request."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from tests.accounts.conftest import give_account, sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_thirty_minutes_without_activity_signs_a_person_out(practitioner: Person, time_machine) -> None:
    time_machine.move_to("2026-11-23T09:00:00+00:00", tick=False)
    client = Client()
    sign_in(client, practitioner.email)
    time_machine.move_to("2026-11-23T09:31:00+00:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_a_session_alive_past_thirty_minutes(practitioner: Person, time_machine) -> None:
    time_machine.move_to("2026-11-23T09:00:00+00:00", tick=False)
    client = Client()
    sign_in(client, practitioner.email)
    for minute in (20, 40, 59):
        time_machine.move_to(f"2026-11-23T09:{minute}:00+00:00", tick=False)
        assert signed_in(client), f"signed out at 09:{minute} though active 20 minutes before"


def test_the_session_cookie_ends_with_the_browser(practitioner: Person) -> None:
    client = Client()
    sign_in(client, practitioner.email)
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_sign_out_everywhere_ends_every_session_of_that_person_only(cast, practitioner: Person) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, practitioner.email)
    sign_in(phone, practitioner.email)
    colleague = give_account(cast.at("school", 2))
    colleagues_browser = Client()
    sign_in(colleagues_browser, colleague.email)

    assert "Sign out everywhere" in phone.get(reverse("sign_out_everywhere")).content.decode()
    response = phone.post(reverse("sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")

    assert not signed_in(phone)
    assert not signed_in(laptop)
    assert signed_in(colleagues_browser)
    ended = Event.objects.get(verb=Verb.SESSIONS_ENDED)
    assert ended.actor == practitioner
    assert ended.data == {"sessions": 2}


def test_sign_out_everywhere_needs_the_csrf_token(practitioner: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    client.post(
        reverse("login"),
        {"login": practitioner.email, "password": "correct horse battery staple", "csrfmiddlewaretoken": token},
    )
    assert client.post(reverse("sign_out_everywhere")).status_code == 403
    assert signed_in(client)


def test_the_sessions_page_lists_where_a_person_is_signed_in(practitioner: Person) -> None:
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    sign_in(laptop, practitioner.email)
    sign_in(phone, practitioner.email)
    page = phone.get(reverse("usersessions_list")).content.decode()
    assert "Laptop browser" in page
    assert "Phone browser" in page
