"""What someone with write access to the database could do to the trail, done with raw SQL.

On PostgreSQL the append-only trigger is bypassed for the statement first, as a database
superuser could (``session_replication_role = replica`` skips ordinary triggers); each helper
switches it back on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection

from resolve.audit.chain import hash_of
from resolve.audit.models import Event


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    """Run one statement on the audit tables as the database's owner would, bypassing Resolve."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def head_set(*, count: int, hash: str) -> None:
    tamper("UPDATE audit_chainhead SET count = %s, hash = %s WHERE id = 1", [count, hash])


def legacy_hash(
    *, prev_hash: str, at: str, verb: str, partnership_id: Any, actor_id: Any, disagreement_id: Any, data: Any
) -> str:
    """How entries were hashed before the chain was keyed (issue 3): SHA-256, the time as the caller gave it."""
    canonical = json.dumps(
        {
            "prev": prev_hash,
            "at": at,
            "verb": verb,
            "partnership": str(partnership_id),
            "actor": str(actor_id) if actor_id is not None else None,
            "disagreement": str(disagreement_id) if disagreement_id is not None else None,
            "data": data,
            "from": "",
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


Hasher = Callable[[Event, str], str]  # (entry, previous hash) -> its hash


def keyed(event: Event, prev: str) -> str:
    """The hash with whatever key settings.AUDIT_KEYS holds now (the real one, if it was stolen)."""
    return hash_of(event, prev)


def unkeyed(event: Event, prev: str) -> str:
    """Plain SHA-256, as someone without the key could compute it."""
    return legacy_hash(
        prev_hash=prev,
        at=event.at.isoformat(),
        verb=event.verb,
        partnership_id=event.partnership_id,
        actor_id=event.actor_id,
        disagreement_id=event.disagreement_id,
        data=event.data,
    )


def rechain_from(first_id: int, hasher: Hasher, *, key_id: str | None = None) -> None:
    """Recompute every hash from entry ``first_id`` on, and the head, so that the chain links up again."""
    events = list(Event.objects.order_by("id"))
    prev = "0" * 64
    for event in events:
        if event.pk >= first_id:
            if key_id is not None:
                event.key_id = key_id
            digest = hasher(event, prev)
            tamper(
                "UPDATE audit_event SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                [prev, digest, event.key_id, event.pk],
            )
            prev = digest
        else:
            prev = event.hash
    head_set(count=len(events), hash=prev)


def edit_data(event: Event, data: dict[str, Any]) -> None:
    tamper("UPDATE audit_event SET data = %s WHERE id = %s", [json.dumps(data), event.pk])


def insert_legacy(*, prev_hash: str, at: datetime, verb: str, partnership_id: Any, data: dict[str, Any]) -> str:
    """An entry as the unkeyed chain wrote it before this change (no key id column value of its own)."""
    digest = legacy_hash(
        prev_hash=prev_hash,
        at=at.isoformat(),
        verb=verb,
        partnership_id=partnership_id,
        actor_id=None,
        disagreement_id=None,
        data=data,
    )
    tamper(
        "INSERT INTO audit_event (at, verb, partnership_id, data, remote_addr, prev_hash, hash, key_id) "
        "VALUES (%s, %s, %s, %s, '', %s, %s, 'sha256')",
        [connection.ops.adapt_datetimefield_value(at), verb, partnership_id, json.dumps(data), prev_hash, digest],
    )
    return digest


def head_insert(*, count: int, hash: str) -> None:
    tamper("INSERT INTO audit_chainhead (id, count, hash) VALUES (1, %s, %s)", [count, hash])
