"""The deadline sweep: one task that looks at what has fallen due since it last looked, then queues itself.

Each run takes the window from where the last run stopped (``SweepState.swept_to``) to now, so its
cost grows with what fell due in the window, never with the number of open disagreements. It:

1. gives back claims whose worker stopped mid-send (``services.leases_expire``);
2. writes the messages of notices whose delivery task was lost (``services.notices_undispatched``);
3. sends what is due (first attempts, retries after their backoff, held reminders whose hour came).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from resolve.notifications import services
from resolve.notifications.models import SweepState

#: how often the sweep runs
INTERVAL = timedelta(minutes=1)


def sweep(*, worker: str, now: datetime | None = None) -> dict[str, int]:
    """One run of the sweep at ``now``; what it did, counted."""
    now = now or timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        state, _ = SweepState.objects.select_for_update().get_or_create(name="deadlines", defaults={"swept_to": now})
        swept_from = state.swept_to
        found: dict[str, int] = {}
        found["leases_expired"] = services.leases_expire(now=now)
        state.swept_to = max(now, swept_from)
        state.last_run_at = now
        state.save()
    found["undispatched"] = services.notices_undispatched(now=now)
    found["sent"] = services.messages_send_due(worker=worker, now=now)
    SweepState.objects.filter(name="deadlines").update(
        last_run_seconds=time.monotonic() - started, last_run_found=sum(found.values())
    )
    return found


def sweep_and_reschedule(*, worker: str) -> dict[str, int]:
    """Run the sweep, then queue the next run ``INTERVAL`` from now."""
    from resolve.notifications.tasks import sweep as sweep_task  # noqa: PLC0415 - tasks imports this module

    try:
        return sweep(worker=worker)
    finally:
        sweep_task.using(run_after=timezone.now() + INTERVAL).enqueue()
