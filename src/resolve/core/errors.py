"""Errors every face (pages, API, commands) turns into a clear message and a 4xx."""

from __future__ import annotations


class ResolveError(Exception):
    """Bad input or a refused action. ``message`` says what to fix; ``field`` names the input.

    A service raises it before changing anything, inside the transaction, so nothing changes.
    """

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Refused(ResolveError):
    """The action is understood but not allowed in the disagreement's present state (HTTP 409)."""

    status = 409


class NotFound(ResolveError):
    """No such record, or one the person may not see: the two are indistinguishable (HTTP 404)."""

    status = 404
