"""The answer to ``notice_written``: the notice's delivery is queued in the transaction that wrote it."""

from __future__ import annotations

from typing import Any

from resolve.disagreements.models import Notice


def notice_queue(sender: object, *, notice: Notice, **kwargs: Any) -> None:
    """Queue ``deliver_notice`` for the notice, in the same transaction (the database backend's row).

    Held notices (``send_after`` in the future) are queued too; the task writes their messages, due
    at that time, and the sweep sends them when it comes.
    """
    from resolve.notifications.tasks import deliver_notice  # noqa: PLC0415 - the task module imports services

    deliver_notice.enqueue(notice.pk)
