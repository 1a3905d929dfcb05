"""What a worker does when it starts, before it takes tasks (``resolve worker``; decision 0014).

- ``sweep_ensure`` keeps exactly one chain of deadline sweeps going, however many workers start
  and however often: it queues the ``sweep`` task unless one is already waiting (READY) and due
  within ``SWEEP_SLACK``. A sweep left RUNNING by a killed worker is not counted, so a worker
  started after the kill starts the chain again. Workers starting at the same moment take turns
  (a PostgreSQL advisory lock; SQLite's IMMEDIATE transactions hold its write lock), so two of
  them never both find no sweep waiting and both queue one.
- ``claims_recover`` gives back the messages a killed worker had claimed and not sent, once their
  lease is over, and queues their sending at once rather than at the next sweep.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from resolve.notifications import services
from resolve.notifications.tasks import send_due, sweep

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


def claims_recover() -> int:
    """Give back claims whose lease is over (their worker was killed mid-send), and queue their
    sending now rather than at the next sweep; how many."""
    with transaction.atomic():
        recovered = services.leases_expire()
        if recovered:
            send_due.enqueue()
    return recovered
