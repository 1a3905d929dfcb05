"""What responses to signed-in people carry: nothing a browser or proxy may store, no personal data in cookies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, give_account
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

NO_STORE = "no-store"


@pytest.fixture
def practitioner(cast_for: Callable[[str], Cast]) -> Person:
    return give_account(cast_for("enfield").at("school", 1))


def signed_in_client(person: Person) -> Client:
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client


@pytest.mark.parametrize("page", [reverse("home"), "/account/password/change/", "/account/sessions/"])
def test_signed_in_pages_tell_browsers_and_proxies_not_to_store_them(practitioner: Person, page: str) -> None:
    response = signed_in_client(practitioner).get(page)
    assert response.status_code == 200
    assert NO_STORE in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_admin_is_not_stored_either() -> None:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.test", "x" * 20))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert NO_STORE in response["Cache-Control"]


def test_the_response_that_signs_someone_out_is_not_stored(practitioner: Person) -> None:
    client = signed_in_client(practitioner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert NO_STORE in response["Cache-Control"]


def test_the_signed_in_message_naming_the_account_stays_on_the_server_not_in_a_cookie(practitioner: Person) -> None:
    client = Client()
    response = client.post(reverse("login"), {"login": practitioner.email, "password": PASSWORD})
    assert response.status_code == 302
    # Django's default message storage would put "Successfully signed in as <address>" in a `messages` cookie.
    assert set(response.cookies) <= {"sessionid", "csrftoken"}
    page = client.get(reverse("home"))
    assert practitioner.email not in page.content.decode()  # no "Signed in as <address>" banner at all
    assert "messages" not in page.cookies
    assert all(practitioner.email not in morsel.value for morsel in client.cookies.values())
