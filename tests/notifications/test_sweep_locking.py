"""Two sweeps at once are harmless: the second finds the sweep's row locked and does nothing.

PostgreSQL only: SQLite has no row locks (its IMMEDIATE transactions queue whole writes instead, so
a second sweep there waits and then finds an empty window). Committed rows and real threads, each
with its own connection, as two workers would be.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from resolve.disagreements.models import Notice
from resolve.notifications import sweep
from resolve.notifications.models import SweepState
from tests.disagreements.walker import Step, Walker, at
from tests.notifications.conftest import Inbox

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks with SKIP LOCKED are PostgreSQL's: run with DATABASE_URL=postgres://...",
    ),
]


@pytest.fixture
def lancashire(cast_for, time_machine) -> Walker:
    walker = Walker(cast_for("pan-lancashire"), time_machine)
    walker.raise_("2026-12-07T09:30", pathway="escalation")
    walker.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    SweepState.objects.create(name=sweep.NAME, swept_to=at("2026-12-11T08:00"))
    walker.clock.move_to(at("2026-12-11T09:00"), tick=False)  # type: ignore[attr-defined]
    return walker


def test_a_sweep_finding_the_row_locked_does_nothing(lancashire: Walker, smtp: Inbox) -> None:
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                SweepState.objects.select_for_update().get(name=sweep.NAME)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(30)
    try:
        assert sweep.sweep(worker="second") == {"busy": 1}
        assert not Notice.objects.filter(kind=Notice.Kind.DEADLINE_COMING).exists()
        assert SweepState.objects.get().swept_to == at("2026-12-11T08:00")
    finally:
        release.set()
        holder.join(30)
    # once the first lets go, the next run does the work, once
    found = sweep.sweep(worker="third")
    assert found["coming"] == 1  # stage 1's 5 working days, due on Monday: reminded on Friday, the day before
    assert Notice.objects.filter(kind=Notice.Kind.DEADLINE_COMING).count() == 1


def test_two_sweeps_started_together_write_and_send_each_reminder_once(lancashire: Walker, smtp: Inbox) -> None:
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def run(name: str) -> None:
        try:
            start.wait(30)
            results.append(sweep.sweep(worker=name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    assert sum(r.get("coming", 0) for r in results) == 1
    assert Notice.objects.filter(kind=Notice.Kind.DEADLINE_COMING).count() == 1
    reminders = [r for r in smtp.received if "Deadline coming" in r.subject]
    assert len(reminders) == len({(r.subject, tuple(r.rcpt_tos)) for r in reminders}) > 0
