"""The keyed hash chain over the audit trail: computing an entry's hash, and checking the whole chain.

Each entry's hash is HMAC-SHA256, with the key its ``key_id`` names, over a canonical form of its
contents (sorted keys, its time in UTC, ids as text) and the hash before it. Entries written before
the chain was keyed (``LEGACY_KEY_ID``) were hashed with plain SHA-256 and are checked that way,
only before the first keyed entry. ``verify`` also checks the chain against every checkpoint
written outside the database (``resolve.audit.checkpoints``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from resolve.audit.checkpoints import Checkpoint, checkpoints_read
from resolve.audit.keys import LEGACY_KEY_ID, is_known, signature
from resolve.audit.models import ChainHead, Event

GENESIS = "0" * 64
MESSAGE_PROBLEMS = 20  # the message names this many; Verification.problems has them all


def entries(n: int) -> str:
    """ "1 entry", "2 entries": for messages."""
    return f"{n} entry" if n == 1 else f"{n} entries"


def _canonical(
    *,
    prev_hash: str,
    at: str,
    verb: str,
    partnership_id: Any,
    actor_id: Any,
    disagreement_id: Any,
    data: Any,
    remote_addr: str,
    key_id: str | None,
) -> bytes:
    fields = {
        "prev": prev_hash,
        "at": at,
        "verb": verb,
        "partnership": str(partnership_id),
        "actor": str(actor_id) if actor_id is not None else None,
        "disagreement": str(disagreement_id) if disagreement_id is not None else None,
        "data": data,
        "from": remote_addr,
    }
    if key_id is not None:
        fields["key"] = key_id
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(
    *,
    key_id: str,
    prev_hash: str,
    at: datetime,
    verb: str,
    partnership_id: Any,
    actor_id: Any,
    disagreement_id: Any,
    data: Any,
    remote_addr: str,
) -> str:
    """The keyed hash of an entry's contents; its time counts in UTC, whatever zone it was given in."""
    canonical = _canonical(
        prev_hash=prev_hash,
        at=at.astimezone(UTC).isoformat(),
        verb=verb,
        partnership_id=partnership_id,
        actor_id=actor_id,
        disagreement_id=disagreement_id,
        data=data,
        remote_addr=remote_addr,
        key_id=key_id,
    )
    return signature(key_id, canonical)


def _legacy_hashes(event: Event) -> set[str]:
    """What an unkeyed entry's SHA-256 can be: its time was hashed in the zone its caller used (UTC or local)."""
    times = {event.at.astimezone(UTC).isoformat(), event.at.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat()}
    return {
        hashlib.sha256(
            _canonical(
                prev_hash=event.prev_hash,
                at=moment,
                verb=event.verb,
                partnership_id=event.partnership_id,
                actor_id=event.actor_id,
                disagreement_id=event.disagreement_id,
                data=event.data,
                remote_addr=event.remote_addr,
                key_id=None,
            )
        ).hexdigest()
        for moment in times
    }


def hash_of(event: Event, prev_hash: str | None = None) -> str:
    """The hash the entry's contents give now, with the key it names (which must be configured),
    chained to ``prev_hash`` (by default the one it records)."""
    return entry_hash(
        key_id=event.key_id,
        prev_hash=event.prev_hash if prev_hash is None else prev_hash,
        at=event.at,
        verb=event.verb,
        partnership_id=event.partnership_id,
        actor_id=event.actor_id,
        disagreement_id=event.disagreement_id,
        data=event.data,
        remote_addr=event.remote_addr,
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    message: str
    first_broken: int | None = None
    problems: tuple[str, ...] = field(default=())
    checkpoint: Checkpoint | None = None  # the latest one checked against


def _described(event: Event) -> str:
    return f"Entry {event.pk} ({event.verb}, {event.at:%Y-%m-%d %H:%M})"


def _contents_problem(event: Event, *, keyed_before: bool) -> str | None:
    if event.key_id == LEGACY_KEY_ID:
        if keyed_before:
            return (
                f"{_described(event)} carries no key although the entries before it were signed: "
                "it was rewritten by someone without the key."
            )
        if event.hash not in _legacy_hashes(event):
            return f"{_described(event)} was changed after it was written: its contents do not match its hash."
        return None
    if not is_known(event.key_id):
        return (
            f"{_described(event)} is signed with the key {event.key_id!r}, which is not in RESOLVE_AUDIT_KEYS: "
            "add that key to check it."
        )
    if not hmac.compare_digest(hash_of(event), event.hash):
        return (
            f"{_described(event)} was changed after it was written: its contents do not match its hash "
            f"(signed with the key {event.key_id!r})."
        )
    return None


def _link_problem(event: Event) -> str:
    earlier = Event.objects.filter(hash=event.prev_hash).values_list("pk", flat=True).first()
    if earlier is not None:
        return (
            f"Entry {event.pk} is out of order: it was written after entry {earlier}, "
            "not after the entry before it: entries were reordered."
        )
    return f"Entry {event.pk} does not follow the entry before it: an entry before it was removed or altered."


def _end_problems(count: int, last_hash: str, latest: Checkpoint | None) -> list[str]:
    problems = []
    head = ChainHead.objects.filter(pk=1).first()
    head_hash, head_count = (head.hash, head.count) if head else (GENESIS, 0)
    if head_count > count:
        problems.append(
            f"The newest {head_count - count} entr(ies) were removed: the chain "
            f"records {entries(head_count)} ending {head_hash[:12]}, the table has {count}."
        )
    elif head_count < count:
        problems.append(
            f"The table has {count - head_count} entr(ies) more than the chain's head records "
            f"({head_count}): entries were added, or the head was wound back, outside Resolve."
        )
    elif head_hash != last_hash:
        problems.append(
            f"The chain's head ({head_hash[:12]}) is not the newest entry's hash ({last_hash[:12]}): "
            "the head or the newest entry was altered."
        )
    if latest is not None and latest.seq > count and head_count <= count:
        if count == 0:
            problems.append(
                f"The trail is empty, but the checkpoint of {latest.when} records {entries(latest.seq)} "
                f"ending {latest.hash[:12]}: every entry and the chain's head were deleted."
            )
        else:
            problems.append(
                f"The newest {latest.seq - count} entr(ies) were removed and the chain's head wound back: "
                f"the checkpoint of {latest.when} records {entries(latest.seq)} ending {latest.hash[:12]}, "
                f"the table has {count}."
            )
    return problems


def verify(*, also: Path | None = None) -> Verification:
    """Walk the chain from the first entry and name every entry that is not what was written.

    Checks each entry's hash with its key, that each follows the one before, that the head matches
    the table, and that the chain passes through every checkpoint (in the configured directory,
    and in ``also``: a checkpoint file kept elsewhere, such as one received by e-mail).
    """
    checkpoints, problems = checkpoints_read()
    if also is not None:
        more, more_problems = checkpoints_read(also)
        checkpoints += more
        problems += more_problems
    at_seq: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        at_seq.setdefault(checkpoint.seq, []).append(checkpoint)
    latest = max(checkpoints, key=lambda c: (c.seq, c.at), default=None)

    first_broken: int | None = None
    expected_prev, count, keyed_before = GENESIS, 0, False
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        found = []
        if event.prev_hash != expected_prev:
            found.append(_link_problem(event))
        contents = _contents_problem(event, keyed_before=keyed_before)
        if contents:
            found.append(contents)
        found.extend(
            f"Entry {event.pk}, number {count} in the chain, is not the entry the checkpoint of {checkpoint.when} "
            f"records ({checkpoint.hash[:12]}): entries up to it were changed and the hashes after them recomputed."
            for checkpoint in at_seq.get(count, [])
            if not hmac.compare_digest(checkpoint.hash, event.hash)
        )
        if found and first_broken is None:
            first_broken = event.pk
        problems += found
        keyed_before = keyed_before or event.key_id != LEGACY_KEY_ID
        expected_prev = event.hash
    problems += _end_problems(count, expected_prev, latest)

    if problems:
        shown = problems[:MESSAGE_PROBLEMS]
        if len(problems) > MESSAGE_PROBLEMS:
            shown.append(f"... and {len(problems) - MESSAGE_PROBLEMS} more problem(s) after these.")
        return Verification(False, count, "\n".join(shown), first_broken, tuple(problems), latest)
    message = f"The audit trail is intact: {entries(count)}, newest {expected_prev[:12]}."
    if latest is None:
        message += (
            " No checkpoint has been written yet: run `resolve audit checkpoint` so that the trail can be "
            "proved from outside the database."
        )
    else:
        message += f" It matches the checkpoint of {latest.when} ({entries(latest.seq)})."
    return Verification(True, count, message, None, (), latest)
