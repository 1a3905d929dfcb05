"""What a worker does when it starts, before it takes tasks (``resolve worker``; decision 0014).

- ``sweep_ensure`` keeps exactly one chain of deadline sweeps going, however many workers start
  and however often: it queues the ``sweep`` task unless one is already waiting (READY) and due
  within ``SWEEP_SLACK``. A sweep left RUNNING by a killed worker is not counted, so a worker
  started after the kill starts the chain again. Workers starting at the same moment take turns
  (a PostgreSQL advisory lock; SQLite's IMMEDIATE transactions hold its write lock), so two of
  them never both find no sweep waiting and both queue one.
- ``sweeps_join``, run when a sweep finishes, makes one chain of two: a worker started while a sweep
  was running queued one, and the running sweep queued its successor; the first to fall due stays.
- ``claims_recover`` gives back the messages a killed worker had claimed and not sent, once their
  lease is over, and queues their sending at once rather than at the next sweep.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from resolve.notifications import services
from resolve.notifications.tasks import send_due, sweep

logger = logging.getLogger(__name__)

#: a sweep already waiting and due within this long counts as the chain going on
SWEEP_SLACK = timedelta(minutes=2)
#: the PostgreSQL advisory lock that workers starting together take turns on ("resolve sweep")
SWEEP_LOCK = 0x7265736F6C7665


def _take_turns() -> None:
    """Wait for any other worker inside ``sweep_ensure``; released when the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
    # SQLite: the IMMEDIATE transaction (settings.base) took the database's write lock when it began.


def sweeps_waiting(*, by: datetime) -> int:
    """How many sweep tasks are waiting (READY) to run at or before ``by``."""
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep.module_path)
        .filter(Q(run_after__lte=by) | Q(run_after=get_date_max()))
        .count()
    )


def sweep_ensure(*, run_after: datetime | None = None) -> bool:
    """Queue the sweep (at ``run_after``, or now) unless one is waiting to run by then; True if queued.

    ``run_after`` lets a sweep queue its successor the same way, so that two chains (two workers
    that started while a sweep was running) become one again at their next run.
    """
    now = timezone.now()
    due = max(run_after or now, now)
    with transaction.atomic():
        _take_turns()
        if sweeps_waiting(by=due + SWEEP_SLACK):
            return False
        if run_after is None:
            sweep.enqueue()
        else:
            sweep.using(run_after=due).enqueue()
    return True


def sweeps_join() -> int:
    """Make two chains of sweeps one again: of the sweeps waiting, the first to fall due stays and the
    others are removed; how many were removed.

    A worker that starts while a sweep is running finds none waiting and queues one, and the running
    sweep then queues its successor: two chains. Run when a sweep finishes (``resolve worker`` does),
    this joins them at once.
    """
    now = timezone.now()
    with transaction.atomic():
        _take_turns()
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep.module_path)
        # in the order they fall due; one without a run_after (stored as the year 9999) is due now
        runs = sorted(waiting.values_list("run_after", "enqueued_at", "pk"), key=lambda r: (min(r[0], now), r[1]))
        if len(runs) < 2:
            return 0
        removed, _ = waiting.filter(pk__in=[pk for _, _, pk in runs[1:]]).delete()
    return removed


def sweep_finished(sender: object, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' ``task_finished``: after a sweep, join the chains of sweeps if there are two."""
    if task_result.task.module_path != sweep.module_path:
        return
    try:
        sweeps_join()
    except DatabaseError:  # the chains join after the next sweep instead; the sweep that ran stays done
        logger.exception("The waiting sweeps could not be joined")


def claims_recover() -> int:
    """Give back claims whose lease is over (their worker was killed mid-send), and queue their
    sending now rather than at the next sweep; how many."""
    with transaction.atomic():
        recovered = services.leases_expire()
        if recovered:
            send_due.enqueue()
    return recovered
