"""Audit entries record where a request came from: the browser's address, also behind a reverse proxy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, give_account
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

PROXY, BROWSER = "10.0.0.2", "203.0.113.7"


@pytest.fixture
def practitioner(cast_for: Callable[[str], Cast]) -> Person:
    return give_account(cast_for("enfield").at("school", 1))


def sign_in_through_the_proxy(person: Person) -> Event:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=BROWSER)
    response = client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return Event.objects.get(verb=Verb.SIGNED_IN)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_trail_records_the_browsers_address(practitioner: Person) -> None:
    assert sign_in_through_the_proxy(practitioner).remote_addr == BROWSER


def test_with_no_proxy_configured_a_forwarded_address_is_not_believed(practitioner: Person) -> None:
    # Anyone can send X-Forwarded-For: unless a proxy is configured, the address that reached Resolve counts.
    assert sign_in_through_the_proxy(practitioner).remote_addr == PROXY
