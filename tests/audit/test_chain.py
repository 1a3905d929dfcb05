"""The audit trail is chained by hash: an edit or a deletion in the database is found and named."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.audit.services import event_record
from tests.audit.tampering import tamper
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def verify_command() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_an_untouched_trail_verifies(trail: Cast) -> None:
    entries = Event.objects.count()
    code, text = verify_command()
    assert code == 0
    assert f"intact: {entries} entries" in text


def test_each_entry_records_where_it_came_from(trail: Cast) -> None:
    assert set(Event.objects.filter(verb=Verb.RAISED).values_list("remote_addr", flat=True)) == {"192.0.2.10"}


def test_an_edited_entry_is_named(trail: Cast) -> None:
    target = Event.objects.get(verb=Verb.ACTION_ADDED)
    tamper("UPDATE audit_event SET data = %s WHERE id = %s", ['{"action": "forged"}', target.pk])
    code, text = verify_command()
    assert code == 1
    assert f"Entry {target.pk} (action_added" in text
    assert "was changed after it was written" in text


def test_a_deleted_entry_is_found_at_the_entry_after_it(trail: Cast) -> None:
    events = list(Event.objects.order_by("id"))
    victim, follower = events[2], events[3]
    tamper("DELETE FROM audit_event WHERE id = %s", [victim.pk])
    result = verify()
    assert not result.ok
    assert result.first_broken == follower.pk
    assert "an entry before it was removed" in result.message


def test_removing_the_newest_entries_is_found(trail: Cast) -> None:
    newest = Event.objects.order_by("-id").first()
    assert newest is not None
    tamper("DELETE FROM audit_event WHERE id = %s", [newest.pk])
    result = verify()
    assert not result.ok
    assert "newest 1 entr(ies) were removed" in result.message


def test_the_orm_refuses_to_update_or_delete_entries(trail: Cast) -> None:
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.all().update(data={})
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.all().delete()


def test_export_for_a_disagreement_lists_its_entries_and_is_itself_logged(trail: Cast) -> None:
    event = Event.objects.filter(verb=Verb.RAISED).get()
    out = StringIO()
    call_command("audit", "export", "--disagreement", str(event.disagreement_id), stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["what"] == "raised"
    assert {r["disagreement"] for r in rows} == {str(event.disagreement_id)}
    assert Event.objects.filter(verb=Verb.EXPORTED).count() == 1
    assert verify().ok


def test_export_for_a_person_lists_what_they_did_and_what_names_them(trail: Cast) -> None:
    counterpart = trail.at("csc", 1)
    out = StringIO()
    call_command("audit", "export", "--person", str(counterpart.pk), "--format", "csv", stdout=out)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    whats = [r["what"] for r in rows]
    assert "participant_added" in whats  # named as the counterpart
    assert "action_added" in whats  # what they did


def test_export_of_an_unknown_identifier_says_so(trail: Cast) -> None:
    with pytest.raises(CommandError, match="No such person"):
        call_command("audit", "export", "--person", "not-an-id", stdout=StringIO())


def test_only_the_fixed_vocabulary_of_verbs_is_written(trail: Cast) -> None:
    before = Event.objects.count()
    with pytest.raises(ValueError, match="not a valid Verb"):
        event_record(verb="made_up", partnership=trail.partnership, actor=None)  # type: ignore[arg-type]
    assert Event.objects.count() == before
    assert Event.objects.get(verb=Verb.RAISED).description == "Disagreement raised"
