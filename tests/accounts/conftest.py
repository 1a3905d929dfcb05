"""People with accounts, and a browser-like client that signs in the way a person does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.partnerships.models import Person
from tests.conftest import Cast

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response  # the test client's response

PASSWORD = "correct horse battery staple"


def give_account(person: Person, password: str = PASSWORD, *, verified: bool = False) -> Person:
    """An account for the person. ``verified``: its address is proved (an invitation, a followed link)."""
    person.user = get_user_model().objects.create_user(username=person.email, email=person.email, password=password)
    person.save()
    if verified:
        EmailAddress.objects.create(user=person.user, email=person.email.lower(), primary=True, verified=True)
    return person


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Response:
    return client.post(reverse("login"), {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    """Whether the client's next request reaches a page only signed-in people see."""
    response = client.get(reverse("home"))
    return response.status_code == 200


@pytest.fixture
def cast(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def practitioner(cast: Cast) -> Person:
    return give_account(cast.at("school", 1))
