"""Checkpoints: the chain's head, signed and written where the database cannot change it.

A checkpoint is one line of JSON (entries so far, the newest hash, when, which key, signature)
appended to ``checkpoints.jsonl`` in ``settings.AUDIT_CHECKPOINT_DIR`` and, when
``settings.AUDIT_CHECKPOINT_EMAIL`` names addresses, e-mailed to them. ``resolve audit verify``
checks the chain against every checkpoint it can read: someone who can change the database, even
with the key, cannot move the trail away from a hash that was written down outside it.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from resolve.audit.keys import current_key_id, is_known, signature

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # how many entries the chain had
    hash: str  # the newest entry's hash
    at: str  # when, ISO 8601 in UTC
    key_id: str
    signature: str

    def as_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def when(self) -> str:
        return self.at[:19].replace("T", " ") + " UTC"


def _signed_part(*, seq: int, hash: str, at: str, key_id: str) -> bytes:
    fields = {"what": "resolve audit checkpoint", "seq": seq, "hash": hash, "at": at, "key_id": key_id}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_sign(*, seq: int, head_hash: str, at: datetime) -> Checkpoint:
    """A checkpoint of the chain's head, signed with the current key."""
    key_id = current_key_id()
    moment = at.astimezone(UTC).isoformat()
    mac = signature(key_id, _signed_part(seq=seq, hash=head_hash, at=moment, key_id=key_id))
    return Checkpoint(seq=seq, hash=head_hash, at=moment, key_id=key_id, signature=mac)


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def checkpoint_append(checkpoint: Checkpoint) -> Path:
    """Append the checkpoint to the file (created if need be), flushed to disk before returning."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: a writer can only add to the end (make the file append-only with `chattr +a` too)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(checkpoint.as_line() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return path


def checkpoints_read(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint whose signature holds, and a message for each line that is not one."""
    path = path or checkpoint_path()
    if not path.exists():
        return [], []
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"Checkpoint {number} in {path}"
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(
                seq=int(fields["seq"]),
                hash=str(fields["hash"]),
                at=str(fields["at"]),
                key_id=str(fields["key_id"]),
                signature=str(fields["signature"]),
            )
        except (ValueError, KeyError, TypeError):
            problems.append(f"{where} is not a checkpoint: the file was altered.")
            continue
        if not is_known(checkpoint.key_id):
            problems.append(
                f"{where} is signed with the key {checkpoint.key_id!r}, which is not in RESOLVE_AUDIT_KEYS: "
                "add that key to check it."
            )
            continue
        expected = signature(
            checkpoint.key_id,
            _signed_part(seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at, key_id=checkpoint.key_id),
        )
        if not hmac.compare_digest(expected, checkpoint.signature):
            problems.append(f"{where} does not match its signature: the file was altered.")
            continue
        found.append(checkpoint)
    return found, problems
