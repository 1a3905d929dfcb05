"""The partnership's settings page: its name, reference letters, two-factor rule, channel and retention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import partnership_settings_set
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(cast_for: Callable[[str], Cast]) -> tuple[Partnership, Client, Any]:
    partnership = cast_for("enfield").partnership
    admin = get_user_model().objects.create_user("ours", "ours@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(admin)
    client = Client()
    client.force_login(admin)
    return partnership, client, admin


def form(partnership: Partnership, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": partnership.name,
        "reference_prefix": partnership.reference_prefix,
        "message_channel": partnership.message_channel,
        "retention_days": partnership.retention_days,
        "suppress_below": partnership.suppress_below,
    }
    if partnership.mfa_required:
        values["mfa_required"] = "on"
    values.update(changes)
    return values


def url(partnership: Partnership) -> str:
    return reverse("manage:settings", kwargs={"partnership": partnership.slug})


def test_the_page_shows_the_settings_and_saving_changes_them_with_one_entry_in_the_trail(
    ours: tuple[Partnership, Client, Any],
) -> None:
    partnership, client, admin = ours
    shown = client.get(url(partnership)).content.decode()
    assert "Everyone must use two-factor authentication" in shown
    assert 'value="2190"' in shown
    response = client.post(
        url(partnership),
        form(partnership, reference_prefix="esc", mfa_required="on", message_channel="notify", retention_days="3000"),
    )
    assert response.status_code == 303
    partnership.refresh_from_db()
    assert (partnership.reference_prefix, partnership.mfa_required) == ("ESC", True)
    assert (partnership.message_channel, partnership.retention_days) == ("notify", 3000)
    entry = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.Partnership").get()
    assert entry.data["fields"] == ["reference_prefix", "mfa_required", "message_channel", "retention_days"]
    assert entry.data["user"] == admin.pk
    # two-factor is now required of everyone in it, its administrators too: set it up before going on
    assert client.get(url(partnership))["Location"] == reverse("mfa_activate_totp")


def test_a_saved_change_is_confirmed_on_the_page(ours: tuple[Partnership, Client, Any]) -> None:
    partnership, client, _admin = ours
    response = client.post(url(partnership), form(partnership, name="Enfield SCP"), follow=True)
    assert "The partnership&#x27;s settings were saved." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.name == "Enfield SCP"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the partnership&#x27;s name"),
        ({"reference_prefix": "1AB"}, "Use 1 to 8 capital letters or digits, starting with a letter"),
        ({"retention_days": "30"}, "Keep personal data for at least 365 days"),
        ({"retention_days": "six years"}, "Enter the days to keep personal data as a whole number"),
        ({"message_channel": "pigeon"}, "Choose how Resolve sends the partnership&#x27;s messages"),
        ({"name": "x\x00y"}, "Null characters are not allowed"),
    ],
)
def test_bad_settings_are_named_and_change_nothing(
    ours: tuple[Partnership, Client, Any], changes: dict[str, object], message: str
) -> None:
    partnership, client, _admin = ours
    before = Partnership.objects.filter(pk=partnership.pk).values().get()
    response = client.post(url(partnership), form(partnership, **changes))
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert message in text
    assert Partnership.objects.filter(pk=partnership.pk).values().get() == before
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_saving_what_is_already_there_writes_nothing(ours: tuple[Partnership, Client, Any]) -> None:
    partnership, client, _admin = ours
    assert client.post(url(partnership), form(partnership)).status_code == 303
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()
    assert "Nothing was changed." in client.get(url(partnership)).content.decode()


def test_the_service_refuses_anyone_but_the_partnerships_administrators(cast_for: Callable[[str], Cast]) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    theirs = get_user_model().objects.create_user("theirs", "theirs@example.test", "x" * 20, is_staff=True)
    b.partnership.administrators.add(theirs)
    values = {
        "name": "Taken over",
        "reference_prefix": "",
        "mfa_required": False,
        "message_channel": "email",
        "retention_days": 2190,
    }
    with pytest.raises(Refused):
        partnership_settings_set(partnership=a.partnership, **values, by=theirs)  # type: ignore[arg-type]
    a.partnership.refresh_from_db()
    assert a.partnership.name != "Taken over"
    changed = partnership_settings_set(partnership=a.partnership, **values, by=Operator("ops@host"))  # type: ignore[arg-type]
    assert changed == ["name"]


def test_the_small_number_threshold_is_saved_and_audited(ours: tuple[Partnership, Client, Any]) -> None:
    partnership, client, admin = ours
    assert 'value="5"' in client.get(url(partnership)).content.decode()
    assert client.post(url(partnership), form(partnership, suppress_below="10")).status_code == 303
    partnership.refresh_from_db()
    assert partnership.suppress_below == 10
    entry = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.Partnership").get()
    assert entry.data["fields"] == ["suppress_below"]
    assert entry.data["user"] == admin.pk


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "The smallest count shown must be 1 or more"),
        ("51", "The smallest count shown must be 50 or fewer"),
        ("five", "Enter the smallest count shown as a whole number"),
        ("", "Enter the smallest count shown in reports and exports"),
    ],
)
def test_a_threshold_out_of_range_is_named_and_changes_nothing(
    ours: tuple[Partnership, Client, Any], value: str, message: str
) -> None:
    partnership, client, _admin = ours
    response = client.post(url(partnership), form(partnership, suppress_below=value))
    assert response.status_code == 400
    assert message in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.suppress_below == 5
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


@pytest.mark.parametrize("value", [0, 51, True, "5"])
def test_the_service_refuses_a_threshold_out_of_range(ours: tuple[Partnership, Client, Any], value: object) -> None:
    partnership, _client, admin = ours
    with pytest.raises(ResolveError) as refused:
        partnership_settings_set(
            partnership=partnership,
            name=partnership.name,
            reference_prefix=partnership.reference_prefix,
            mfa_required=partnership.mfa_required,
            message_channel=partnership.message_channel,
            retention_days=partnership.retention_days,
            suppress_below=value,  # type: ignore[arg-type]
            by=admin,
        )
    assert refused.value.field == "suppress_below"
    partnership.refresh_from_db()
    assert partnership.suppress_below == 5
