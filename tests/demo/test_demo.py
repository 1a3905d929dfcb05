"""The demo partnership that the README's first command loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from resolve.audit.chain import verify
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
