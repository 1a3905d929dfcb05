"""Where the current request or command comes from, for the audit trail: set once, read by every entry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_origin: ContextVar[str] = ContextVar("resolve_audit_origin", default="")


def current_origin() -> str:
    return _origin.get()


@contextmanager
def origin(value: str) -> Iterator[None]:
    """Entries written inside this block say they came from ``value`` (an IP address, "command: ...")."""
    token = _origin.set(value[:64])
    try:
        yield
    finally:
        _origin.reset(token)
