"""Real parts for the sending tests: a local SMTP server (aiosmtpd) and the task worker, in-process.

``smtp`` starts an aiosmtpd server on a free port of 127.0.0.1 and points Django's SMTP backend at
it; its ``received`` list holds every message the server accepted, parsed (recipients, subject,
body, attachments). ``work`` runs the queued tasks with django-tasks-db's own worker, in this
process, until none is ready, as ``resolve worker`` would.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage as Parsed
from typing import Any
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: Parsed

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def attachments(self) -> list[tuple[str, bytes, str]]:
        """Each attachment's file name, content (as bytes) and content type."""
        found = []
        for a in self.message.iter_attachments():
            content = a.get_content()
            found.append(
                (
                    str(a.get_filename()),
                    content.encode() if isinstance(content, str) else bytes(content),
                    a.get_content_type(),
                )
            )
        return found


@dataclass
class Inbox:
    """What the local SMTP server accepted."""

    received: list[Received] = field(default_factory=list)
    #: set to an SMTP status line ("451 Try again later") to refuse every message
    refuse_with: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse_with:
            return self.refuse_with
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, Parsed)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=5,
        ):
            yield inbox
    finally:
        controller.stop()


def run_worker() -> None:
    """Run every task that is ready, as ``resolve worker`` does, then return.

    The worker closes the database connection between tasks, as a worker process must; here that
    connection holds the test's transaction (the SQLite test database is a file: settings/test.py),
    so it is kept open.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.fixture
def work() -> Any:
    return run_worker
