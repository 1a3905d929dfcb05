"""Where the current request or command comes from, for the audit trail: set once, read by every entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

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


class AuditOriginMiddleware:
    """Every entry written while handling a request records the address it came from (no other detail)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin(request.META.get("REMOTE_ADDR", "")):
            return self.get_response(request)
