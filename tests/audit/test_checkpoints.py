"""The chain's head is anchored outside the database, and verify checks the trail against it.

Each way of tampering that the database alone cannot show is done here with raw SQL, after a
checkpoint, and `resolve audit verify` names it.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from resolve.audit.chain import verify
from resolve.audit.checkpoints import checkpoint_path
from resolve.audit.models import ChainHead, Event, Verb
from resolve.audit.services import checkpoint_write, trail_verify
from resolve.core.actors import Operator
from resolve.core.errors import Refused
from tests.audit.tampering import edit_data, head_set, keyed, rechain_from, tamper
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_checkpoints(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def checkpointed(trail: Cast) -> int:
    """Write a checkpoint now; the number of entries it covers."""
    code, text = run("checkpoint")
    assert code == 0, text
    return json.loads(checkpoint_path().read_text().splitlines()[-1])["seq"]


def test_a_checkpoint_is_a_signed_line_appended_to_the_file_and_is_itself_recorded(trail: Cast) -> None:
    entries = Event.objects.count()
    head = ChainHead.objects.get()
    code, text = run("checkpoint")
    assert code == 0
    assert f"Checkpoint written: {entries} entries, newest {head.hash[:12]}" in text
    line = json.loads(checkpoint_path().read_text().splitlines()[-1])
    assert (line["seq"], line["hash"], line["key_id"]) == (entries, head.hash, "test")
    assert len(line["signature"]) == 64
    recorded = Event.objects.get(verb=Verb.CHECKPOINT_WRITTEN)
    assert recorded.partnership is None
    assert recorded.actor is None
    assert recorded.data["operator"] == Operator.current().name
    assert recorded.data["entries"] == entries
    run("checkpoint")
    assert len(checkpoint_path().read_text().splitlines()) == 2  # appended, never rewritten


def test_a_checkpoint_is_emailed_when_addresses_are_set(trail: Cast, settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_EMAIL = ["business.unit@example.test"]
    checkpoint = checkpoint_write(by=Operator.current())
    (message,) = mail.outbox
    assert message.to == ["business.unit@example.test"]
    assert f"{checkpoint.seq} entries" in message.subject
    assert checkpoint.as_line() in message.body


def test_verify_checks_against_the_latest_checkpoint(trail: Cast) -> None:
    seq = checkpointed(trail)
    code, text = run("verify")
    assert code == 0
    assert "It matches the checkpoint of" in text
    assert f"({seq} entries)" in text


def test_an_edit_rehashed_with_the_stolen_key_is_caught_by_the_checkpoint(trail: Cast) -> None:
    seq = checkpointed(trail)
    target = Event.objects.get(verb=Verb.ACTION_ADDED)
    edit_data(target, {"action": "forged"})
    rechain_from(target.pk, keyed)  # the real key: the chain itself links up again
    code, text = run("verify")
    assert code == 1
    assert f"number {seq} in the chain, is not the entry the checkpoint of" in text
    assert "entries up to it were changed and the hashes after them recomputed" in text


def test_the_newest_entries_removed_and_the_head_wound_back_are_found(trail: Cast) -> None:
    seq = checkpointed(trail)
    events = list(Event.objects.order_by("id"))
    kept = events[: seq - 2]
    tamper("DELETE FROM audit_event WHERE id > %s", [kept[-1].pk])
    head_set(count=len(kept), hash=kept[-1].hash)
    code, text = run("verify")
    assert code == 1
    assert "The newest 2 entr(ies) were removed and the chain's head wound back" in text
    assert f"records {seq} entries" in text


def test_every_entry_and_the_head_deleted_is_found(trail: Cast) -> None:
    seq = checkpointed(trail)
    tamper("DELETE FROM audit_event")
    tamper("DELETE FROM audit_chainhead")
    result = verify()
    assert not result.ok
    assert "The trail is empty, but the checkpoint of" in result.message
    assert f"records {seq} entries" in result.message
    assert "every entry and the chain's head were deleted" in result.message


def test_reordered_entries_are_found_and_named(trail: Cast) -> None:
    checkpointed(trail)
    events = list(Event.objects.order_by("id"))
    first, second = events[2], events[3]
    tamper("UPDATE audit_event SET id = %s WHERE id = %s", [-1, first.pk])
    tamper("UPDATE audit_event SET id = %s WHERE id = %s", [first.pk, second.pk])
    tamper("UPDATE audit_event SET id = %s WHERE id = %s", [second.pk, -1])
    result = verify()
    assert not result.ok
    assert result.first_broken == first.pk
    assert f"Entry {first.pk} is out of order: it was written after entry {second.pk}" in result.message
    assert "entries were reordered" in result.message


def test_an_altered_checkpoint_file_is_found(trail: Cast) -> None:
    checkpointed(trail)
    path = checkpoint_path()
    line = json.loads(path.read_text())
    path.write_text(json.dumps({**line, "seq": line["seq"] - 1}) + "\n")
    result = verify()
    assert not result.ok
    assert "Checkpoint 1 in" in result.message
    assert "does not match its signature: the file was altered" in result.message


def test_verify_also_checks_a_checkpoint_kept_elsewhere(trail: Cast, tmp_path: Path) -> None:
    seq = checkpointed(trail)
    kept = tmp_path / "from-the-email.jsonl"
    kept.write_text(checkpoint_path().read_text())
    checkpoint_path().unlink()  # the server's copy is lost
    tamper("DELETE FROM audit_event")
    tamper("DELETE FROM audit_chainhead")
    code, text = run("verify", "--checkpoint", str(kept))
    assert code == 1
    assert f"records {seq} entries" in text
    with pytest.raises(CommandError, match="No checkpoint file at"):
        run("verify", "--checkpoint", str(tmp_path / "missing.jsonl"))


def test_no_checkpoint_is_written_for_a_trail_that_does_not_verify(trail: Cast) -> None:
    edit_data(Event.objects.get(verb=Verb.ACTION_ADDED), {"action": "forged"})
    with pytest.raises(CommandError, match="does not verify, so no checkpoint was written"):
        run("checkpoint")
    assert not checkpoint_path().exists()


def test_a_checkpoint_that_cannot_be_written_says_where(trail: Cast, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"
    before = Event.objects.count()
    with pytest.raises(CommandError, match=r"Could not write the checkpoint to .*RESOLVE_AUDIT_CHECKPOINT_DIR"):
        run("checkpoint")
    assert Event.objects.count() == before


def test_verify_is_recorded_with_the_operator_and_what_it_found(trail: Cast) -> None:
    entries = Event.objects.count()
    run("verify")
    recorded = Event.objects.get(verb=Verb.TRAIL_VERIFIED)
    assert recorded.data == {"intact": True, "entries": entries, "problems": 0, "operator": Operator.current().name}


def test_the_export_command_is_recorded_with_the_operator(trail: Cast) -> None:
    raised = Event.objects.get(verb=Verb.RAISED)
    run("export", "--disagreement", str(raised.disagreement_id))
    exported = Event.objects.get(verb=Verb.EXPORTED)
    assert exported.data["operator"] == Operator.current().name
    assert exported.actor is None


def test_verifying_and_checkpointing_as_a_service_need_an_operator(trail: Cast) -> None:
    person = trail.at("school", 1)
    with pytest.raises(Refused, match="Only an operator at the server's command line"):
        trail_verify(by=person)  # type: ignore[arg-type]
    with pytest.raises(Refused, match="Only an operator at the server's command line"):
        checkpoint_write(by=person)  # type: ignore[arg-type]
    assert not Event.objects.filter(verb__in=[Verb.TRAIL_VERIFIED, Verb.CHECKPOINT_WRITTEN]).exists()
