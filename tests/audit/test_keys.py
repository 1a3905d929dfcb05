"""The chain is keyed: HMAC with a key from the environment, named on each entry so keys can rotate."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import resolve
from resolve.audit.chain import verify
from resolve.audit.keys import keys_from_text
from resolve.audit.models import ChainHead, Event, Verb
from resolve.audit.services import event_record
from tests.audit.tampering import edit_data, head_insert, insert_legacy, keyed, rechain_from, unkeyed
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

OTHER = b"another-audit-key-for-rotation-0000000"


def test_each_entry_names_the_key_that_signed_it(trail: Cast) -> None:
    assert set(Event.objects.values_list("key_id", flat=True)) == {"test"}


def test_an_edit_rehashed_without_the_key_is_found(trail: Cast) -> None:
    target = Event.objects.get(verb=Verb.ACTION_ADDED)
    edit_data(target, {"action": "forged"})
    rechain_from(target.pk, unkeyed)  # plain SHA-256: all that someone without the key can compute
    result = verify()
    assert not result.ok
    assert result.first_broken == target.pk
    assert f"Entry {target.pk} (action_added" in result.message
    assert "was changed after it was written" in result.message


def test_an_edit_rehashed_with_a_guessed_key_is_found(trail: Cast) -> None:
    target = Event.objects.get(verb=Verb.ACTION_ADDED)
    edit_data(target, {"action": "forged"})
    with override_settings(AUDIT_KEYS={"test": b"a-guess-at-the-key-that-is-wrong-000"}):
        rechain_from(target.pk, keyed)
    result = verify()
    assert not result.ok
    assert result.first_broken == target.pk
    assert "its contents do not match its hash (signed with the key 'test')" in result.message


def test_rewriting_keyed_entries_as_unkeyed_ones_is_found(trail: Cast) -> None:
    target = Event.objects.get(verb=Verb.ACTION_ADDED)
    edit_data(target, {"action": "forged"})
    rechain_from(target.pk, unkeyed, key_id="sha256")  # pretend they were written before keys existed
    result = verify()
    assert not result.ok
    assert result.first_broken == target.pk
    assert "carries no key although the entries before it were signed" in result.message


def test_an_old_key_still_verifies_what_it_signed_after_rotation(trail: Cast) -> None:
    with override_settings(AUDIT_KEYS={"2027": OTHER, "test": b"test-only-audit-key-not-secret-000000"}):
        event_record(verb=Verb.NOTICE_DUE, partnership=trail.partnership, actor=None, data={"n": 1})
        assert Event.objects.order_by("-id").values_list("key_id", flat=True)[0] == "2027"
        assert verify().ok
    with override_settings(AUDIT_KEYS={"2027": OTHER}):
        result = verify()
    assert not result.ok
    assert "is signed with the key 'test', which is not in RESOLVE_AUDIT_KEYS: add that key" in result.message


def test_entries_written_before_the_chain_was_keyed_still_verify(db: None) -> None:
    london = ZoneInfo("Europe/London")
    first = insert_legacy(
        prev_hash="0" * 64, at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC), verb="notice_due", partnership_id=None, data={}
    )
    # the old service hashed the time in whatever zone its caller gave: here London summer time
    second = insert_legacy(
        prev_hash=first, at=datetime(2026, 7, 1, 11, 0, tzinfo=london), verb="notice_due", partnership_id=None, data={}
    )
    head_insert(count=2, hash=second)
    event_record(verb=Verb.NOTICE_DUE, partnership=None, actor=None)
    assert list(Event.objects.order_by("id").values_list("key_id", flat=True)) == ["sha256", "sha256", "test"]
    result = verify()
    assert result.ok, result.message
    assert ChainHead.objects.get().count == 3


def test_an_entry_is_hashed_from_its_utc_time_whatever_zone_the_caller_used(trail: Cast) -> None:
    moment = datetime(2026, 7, 1, 11, 0, tzinfo=ZoneInfo("Europe/London"))
    event = event_record(verb=Verb.NOTICE_DUE, partnership=trail.partnership, actor=None, at=moment)
    assert event.hash == keyed(Event.objects.get(pk=event.pk), event.prev_hash)
    assert verify().ok


def test_an_entry_time_without_a_zone_is_refused(trail: Cast) -> None:
    before = Event.objects.count()
    with pytest.raises(ValueError, match="must say its zone"):
        event_record(verb=Verb.NOTICE_DUE, partnership=None, actor=None, at=datetime(2026, 7, 1, 11, 0))
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("current", "write it as id:base64secret"),
        ("a b:" + base64.b64encode(b"k" * 32).decode(), "write it as id:base64secret"),
        ("k1:not base64!", "is not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "is 5 bytes: use at least 32"),
        ("sha256:" + base64.b64encode(b"k" * 32).decode(), "is reserved"),
        ("k1:{0},k1:{0}".format(base64.b64encode(b"k" * 32).decode()), "names the key 'k1' twice"),
    ],
)
def test_a_malformed_key_setting_is_refused_with_what_to_fix(text: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        keys_from_text(text)


def test_the_key_setting_lists_keys_current_first() -> None:
    one, two = base64.b64encode(b"1" * 32).decode(), base64.b64encode(b"2" * 40).decode()
    assert keys_from_text(f" new:{one} , old:{two} ") == {"new": b"1" * 32, "old": b"2" * 40}


def production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("RESOLVE_AUDIT")}
    environment = {
        **base,
        "PYTHONPATH": str(Path(resolve.__file__).resolve().parent.parent),  # this checkout's code
        "DJANGO_SETTINGS_MODULE": "resolve.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "resolve.example.test",
        **env,
    }
    code = "import django; django.setup(); from django.conf import settings; print(sorted(settings.AUDIT_KEYS))"
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False)


def test_production_refuses_to_start_without_an_audit_key() -> None:
    refused = production_settings()
    assert refused.returncode != 0
    assert "ImproperlyConfigured: Set RESOLVE_AUDIT_KEYS" in refused.stderr


def test_production_refuses_a_short_audit_key() -> None:
    refused = production_settings(RESOLVE_AUDIT_KEYS="k1:" + base64.b64encode(b"x" * 16).decode())
    assert refused.returncode != 0
    assert "is 16 bytes: use at least 32" in refused.stderr


def test_production_starts_with_a_long_enough_audit_key() -> None:
    started = production_settings(RESOLVE_AUDIT_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode())
    assert started.returncode == 0, started.stderr
    assert "['k1']" in started.stdout
