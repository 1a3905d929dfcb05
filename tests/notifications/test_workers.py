"""Several `resolve worker` processes share one database and send each message once, even when one is killed.

The workers here are real processes (``python -m resolve.cli worker``) on the test database (SQLite's is
a file: settings/test.py), sending to a real SMTP server (aiosmtpd) in this process. The tests are
transactional, so that the workers see the rows the test commits.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resolve.notifications.channels import message_id
from resolve.notifications.models import Message
from resolve.notifications.tasks import send_due, sweep
from resolve.notifications.worker import sweep_ensure, sweeps_join
from resolve.partnerships.models import Person
from tests.factories import PersonFactory
from tests.notifications.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2


@dataclass
class Mailbox:
    """What the SMTP server accepted, by Message-ID; it can hold the Nth message unanswered."""

    message_ids: list[str] = field(default_factory=list)
    #: the Nth message (1-based) is held, unanswered, until ``release`` is set
    hold: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    #: a short wait before each answer, so that two workers' sending overlaps
    pause: float = 0.0
    seen: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.seen += 1
        if self.seen == self.hold:
            # The whole message has arrived; the server has not answered it, so it is not accepted.
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 Not accepted"
        if self.pause:
            await asyncio.sleep(self.pause)
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        box.release.set()
        controller.stop()


def database_url() -> str:
    """The test database, as DATABASE_URL for another process."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def name(self) -> str:
        """As the worker names itself on the messages it claims (tasks.worker_name)."""
        return f"{socket.gethostname()}:{self.process.pid}"[:64]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def started(self) -> bool:
        return "Starting worker" in self.output()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=5)


@pytest.fixture
def workers(tmp_path: Path, mailbox: tuple[Mailbox, int]) -> Iterator[Callable[[], Worker]]:
    """Start `resolve worker` processes on the test database, sending to the mailbox; all stopped after."""
    started: list[Worker] = []
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "resolve.settings.local",
        "RESOLVE_DEBUG": "0",
        "DATABASE_URL": database_url(),
        "RESOLVE_DATA_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox[1]),
        "EMAIL_TIMEOUT": "10",
        "RESOLVE_NOTIFICATIONS_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    }

    def start() -> Worker:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "resolve.cli", "worker", "--no-reload", "--no-startup-delay", "--interval=0.1"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def wait_for(what: str, done: Callable[[], bool], *, seconds: float, workers: list[Worker]) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        for worker in workers:
            assert worker.process.poll() is None, f"a worker stopped:\n{worker.output()}"
        assert time.monotonic() < deadline, f"{what} within {seconds} seconds; the workers said:\n" + "\n".join(
            w.output() for w in workers
        )
        time.sleep(0.1)


def messages_due(count: int) -> list[Message]:
    """``count`` e-mails due now, to five people of one partnership (no notice: the words are written)."""
    first = PersonFactory.create()
    people: list[Person] = [first, *(PersonFactory.create(agency=first.agency) for _ in range(4))]
    now = timezone.now()
    return Message.objects.bulk_create(
        Message(
            key=f"test:{n}",
            partnership=first.partnership,
            person=people[n % len(people)],
            channel=Message.Channel.EMAIL,
            address=people[n % len(people)].email,
            subject=f"Message {n}",
            body="A disagreement you take part in has changed.",
            created_at=now,
            next_attempt_at=now,
        )
        for n in range(count)
    )


def sent() -> int:
    return Message.objects.filter(status=Message.Status.SENT).count()


def sweeps_waiting() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep.module_path).count()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_message_exactly_once_and_both_take_part(mailbox, workers) -> None:
    box, _ = mailbox
    box.pause = 0.01
    first, second = workers(), workers()
    wait_for("both workers started", lambda: first.started() and second.started(), seconds=30, workers=[first, second])

    messages = messages_due(200)
    for _ in range(4):  # deliveries queued as notices are written: each sends whatever is due
        send_due.enqueue()
    wait_for("all 200 messages sent", lambda: sent() == 200, seconds=45, workers=[first, second])
    assert first.stop() == 0
    assert second.stop() == 0

    received = Counter(box.message_ids)
    assert sorted(received) == sorted(message_id(m.key) for m in messages)
    assert set(received.values()) == {1}, "a message was received twice"
    senders = Counter(Message.objects.values_list("claimed_by", flat=True))
    assert set(senders) == {first.name, second.name}, "both workers sent some"
    # two workers started at once, and one chain of deadline sweeps goes on
    assert sweeps_waiting() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_the_mail_server_has_a_message_unanswered_sends_it_once_after_restart(
    mailbox, workers
) -> None:
    box, _ = mailbox
    box.hold = 5
    messages = messages_due(20)
    send_due.enqueue()
    killed = workers()
    wait_for("the fifth message reached the mail server", box.holding.is_set, seconds=30, workers=[killed])

    killed.process.send_signal(signal.SIGKILL)
    killed.process.wait(timeout=10)
    box.release.set()
    assert len(box.message_ids) == 4
    held = Message.objects.get(status=Message.Status.SENDING)
    assert held.claimed_by == killed.name
    assert message_id(held.key) not in box.message_ids
    assert sent() == 4

    # the restarted worker gives the claim back once its lease is over, and sends what is left
    time.sleep(LEASE_SECONDS + 0.5)
    restarted = workers()
    wait_for("all 20 messages sent", lambda: sent() == 20, seconds=30, workers=[restarted])
    assert restarted.stop() == 0

    received = Counter(box.message_ids)
    assert sorted(received) == sorted(message_id(m.key) for m in messages)
    assert set(received.values()) == {1}, "a message was received twice"
    held.refresh_from_db()
    assert held.status == Message.Status.SENT
    assert held.attempts == 2
    assert "claimed by a stopped worker will be sent again" in restarted.output()


# sweep_ensure, in this process


@pytest.mark.django_db
def test_starting_workers_again_and_again_queues_one_sweep() -> None:
    assert sweep_ensure() is True
    assert sweep_ensure() is False
    assert sweep_ensure() is False
    assert sweeps_waiting() == 1


@pytest.mark.django_db
def test_a_sweep_left_running_by_a_killed_worker_does_not_stop_the_chain_starting_again() -> None:
    sweep_ensure()
    DBTaskResult.objects.filter(task_path=sweep.module_path).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["killed:1"]
    )
    assert sweep_ensure() is True
    assert sweeps_waiting() == 1


@pytest.mark.django_db
def test_a_sweep_waiting_far_ahead_is_not_the_chain_but_one_due_soon_is() -> None:
    sweep.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    assert sweep_ensure() is True
    assert sweep_ensure() is False
    assert sweeps_waiting() == 2


@pytest.mark.django_db
def test_a_sweep_queueing_its_next_run_joins_a_chain_already_waiting() -> None:
    soon = timezone.now() + timedelta(minutes=1)
    assert sweep_ensure(run_after=soon) is True
    assert sweep_ensure(run_after=soon + timedelta(seconds=5)) is False
    assert DBTaskResult.objects.get(task_path=sweep.module_path).run_after == soon


@pytest.mark.django_db
def test_a_worker_started_while_a_sweep_runs_makes_a_second_chain_which_the_sweeps_end_joins() -> None:
    sweep_ensure()
    running = DBTaskResult.objects.get(task_path=sweep.module_path)
    DBTaskResult.objects.filter(pk=running.pk).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    assert sweep_ensure() is True  # another worker starts: the running sweep is not waiting
    started_meanwhile = DBTaskResult.objects.get(task_path=sweep.module_path, status=TaskResultStatus.READY)
    # the running sweep queues its successor and finishes
    sweep.using(run_after=timezone.now() + timedelta(minutes=1)).enqueue()
    DBTaskResult.objects.filter(pk=running.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert sweeps_waiting() == 2

    assert sweeps_join() == 1
    assert list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list("pk", flat=True)) == [
        started_meanwhile.pk
    ]
    assert sweeps_join() == 0
