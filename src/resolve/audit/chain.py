"""The hash chain over the audit trail: computing an entry's hash, and checking the whole chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from resolve.audit.models import ChainHead, Event

GENESIS = "0" * 64


def entry_hash(
    *,
    prev_hash: str,
    at: str,
    verb: str,
    partnership_id: Any,
    actor_id: Any,
    disagreement_id: Any,
    data: Any,
    remote_addr: str,
) -> str:
    """SHA-256 over an entry's contents in a canonical form (sorted keys, ISO times, ids as text)."""
    canonical = json.dumps(
        {
            "prev": prev_hash,
            "at": at,
            "verb": verb,
            "partnership": str(partnership_id),
            "actor": str(actor_id) if actor_id is not None else None,
            "disagreement": str(disagreement_id) if disagreement_id is not None else None,
            "data": data,
            "from": remote_addr,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def hash_of(event: Event) -> str:
    return entry_hash(
        prev_hash=event.prev_hash,
        at=event.at.isoformat(),
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


def verify() -> Verification:
    """Walk the chain from the first entry; name the first entry that is not what was written."""
    expected_prev = GENESIS
    count = 0
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != expected_prev:
            return Verification(
                False,
                count,
                f"Entry {event.pk} does not follow the entry before it: an entry before it was removed or altered.",
                event.pk,
            )
        if hash_of(event) != event.hash:
            return Verification(
                False,
                count,
                f"Entry {event.pk} ({event.verb}, {event.at:%Y-%m-%d %H:%M}) "
                "was changed after it was written: its contents do not match its hash.",
                event.pk,
            )
        expected_prev = event.hash
    head = ChainHead.objects.filter(pk=1).first()
    head_hash, head_count = (head.hash, head.count) if head else (GENESIS, 0)
    if head_hash != expected_prev or head_count != count:
        return Verification(
            False,
            count,
            f"The newest {head_count - count} entr(ies) were removed: the chain "
            f"records {head_count} entries ending {head_hash[:12]}, the table has {count}.",
            None,
        )
    return Verification(True, count, f"The audit trail is intact: {count} entries, newest {expected_prev[:12]}.")
