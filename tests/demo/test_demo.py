"""The demo partnership that the README's first command loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from resolve.audit.chain import verify
from resolve.demo.loader import ADMINISTRATOR, DEMO_PASSWORD, load_demo, username
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--url", "http://127.0.0.1:8000/", stdout=out)
    return out.getvalue()


def test_the_demo_loads_people_at_every_level_and_disagreements_in_each_state() -> None:
    text = demo()
    assert "Open Resolve at http://127.0.0.1:8000/" in text
    assert "teacher@demo.resolve.test" in text
    statuses = sorted(Disagreement.objects.values_list("status", flat=True))
    assert statuses == ["open", "open", "open", "resolved", "withdrawn"]
    assert set(Person.objects.exclude(level=None).values_list("level", flat=True)) == {1, 2, 3, 4, 5}
    assert verify().ok


def test_loading_the_demo_twice_changes_nothing() -> None:
    demo()
    assert "Already loaded" in demo()
    assert Disagreement.objects.count() == 5


def test_the_demo_is_refused_outside_local_settings() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="for local use"):
        call_command("demo", stdout=StringIO())


def test_the_demo_has_an_administrator_who_signs_in_to_the_partnerships_own_pages() -> None:
    said = demo()
    assert username(ADMINISTRATOR) in said
    partnership = load_demo().partnership
    client = Client()
    signed_in = client.post(reverse("login"), {"login": username(ADMINISTRATOR), "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    overview = client.get(reverse("manage:overview", args=[partnership.slug]))
    assert overview.status_code == 200
    assert "Set up Enfield Safeguarding Children" in overview.content.decode()
    assert client.get("/admin/").status_code != 200  # Django's admin is for superusers only
