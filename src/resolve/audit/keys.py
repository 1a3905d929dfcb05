"""The keys that sign the audit trail: read from the environment, never stored in the database.

``RESOLVE_AUDIT_KEYS`` lists them as ``id:base64secret,id2:base64secret``; the first is the current
key, which signs new entries and checkpoints; the others still verify what they signed, so that a
key can be rotated without rewriting history. Entries written before keys existed carry
``LEGACY_KEY_ID`` and are checked as they were written (plain SHA-256).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY_KEY_ID = "sha256"  # entries written before the chain was keyed: hashed without a key
MIN_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


def keys_from_text(text: str) -> dict[str, bytes]:
    """Parse ``id:base64secret,...`` (first = current); refuse a malformed, short or repeated key.

    Raises ImproperlyConfigured with a message naming what to fix; never echoes a secret.
    """
    keys: dict[str, bytes] = {}
    for number, item in enumerate((part.strip() for part in text.split(",") if part.strip()), start=1):
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"RESOLVE_AUDIT_KEYS item {number}: write it as id:base64secret, "
                "the id 1-32 letters, digits, '.', '_' or '-'."
            )
        if key_id == LEGACY_KEY_ID:
            raise ImproperlyConfigured(f"RESOLVE_AUDIT_KEYS item {number}: the id {LEGACY_KEY_ID!r} is reserved.")
        if key_id in keys:
            raise ImproperlyConfigured(f"RESOLVE_AUDIT_KEYS names the key {key_id!r} twice.")
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"RESOLVE_AUDIT_KEYS key {key_id!r} is not valid base64.") from None
        if len(secret) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(
                f"RESOLVE_AUDIT_KEYS key {key_id!r} is {len(secret)} bytes: use at least {MIN_KEY_BYTES} random "
                "bytes (python -c 'import secrets,base64; print(base64.b64encode(secrets.token_bytes(32)).decode())')."
            )
        keys[key_id] = secret
    return keys


def current_key_id() -> str:
    """The id of the key that signs new entries and checkpoints: the first of ``settings.AUDIT_KEYS``."""
    keys: dict[str, bytes] = settings.AUDIT_KEYS
    if not keys:
        raise ImproperlyConfigured("Set RESOLVE_AUDIT_KEYS: the audit trail cannot be written without a key.")
    return next(iter(keys))


def is_known(key_id: str) -> bool:
    return key_id in settings.AUDIT_KEYS


def signature(key_id: str, message: bytes) -> str:
    """HMAC-SHA256 of ``message`` with the named key, as hex. KeyError for a key that is not configured."""
    return hmac.new(settings.AUDIT_KEYS[key_id], message, hashlib.sha256).hexdigest()
