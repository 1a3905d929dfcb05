"""The background work, on Django's task interface (django-tasks, its database backend).

- ``deliver_notice``: queued in the transaction that wrote a notice; writes its messages and sends
  what is due.
- ``send_due``: sends messages due (several run at once on several workers: each message is claimed
  with SKIP LOCKED).
- ``sweep``: the deadline sweep (``resolve.notifications.sweep``); it queues itself again.
"""

from __future__ import annotations

import os
import socket

from django_tasks import task

from resolve.notifications import services


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@task()
def deliver_notice(notice_id: int) -> int:
    """Write the notice's messages (once) and send those due now; how many were sent."""
    services.notice_dispatch(notice_id)
    return services.messages_send_due(worker=worker_name())


@task()
def send_due() -> int:
    """Send the messages due; how many were tried."""
    return services.messages_send_due(worker=worker_name())


@task()
def sweep() -> dict[str, int]:
    """The deadline sweep: reminders, breach alerts, digests, retries; then it queues itself again."""
    from resolve.notifications import sweep as sweeping  # noqa: PLC0415 - the sweep imports this module

    return sweeping.sweep_and_reschedule(worker=worker_name())
