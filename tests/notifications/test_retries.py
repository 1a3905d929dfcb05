"""A message the mail server will not take now is tried again later (BACKOFF), then shown as failed.

The mail server is real (aiosmtpd); the clock is moved with time-machine and the messages due are
sent by the ``send_due`` task on django-tasks-db's worker, as ``resolve worker`` would.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from resolve.notifications import channels
from resolve.notifications.models import Message
from resolve.notifications.services import BACKOFF, MAX_ATTEMPTS, messages_send_due
from resolve.notifications.tasks import send_due
from tests.disagreements.walker import at
from tests.notifications.conftest import Inbox, free_port
from tests.notifications.sending import ADDRESS, NAME, waiting_message

pytestmark = pytest.mark.django_db

START = at("2027-01-11T10:00")


def no_personal_data(caplog: pytest.LogCaptureFixture, *messages: Message) -> None:
    """Nothing Resolve logged, and no stored reason, names the person or their address.

    Not the test's mail server (aiosmtpd logs its conversation as ``mail.log``): it stands for
    the partnership's mail server, which is not Resolve's.
    """
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]
    assert logged, "the failures were logged"
    for text in logged + [m.last_error for m in messages]:
        assert ADDRESS not in text
        assert "bernadette" not in text.lower()
        assert NAME not in text


def send_due_at(time_machine: Any, work: Any, moment: datetime) -> None:
    time_machine.move_to(moment, tick=False)
    send_due.enqueue()
    work()


def test_a_451_is_tried_again_after_each_wait_then_failed_with_its_reason_kept(
    time_machine, smtp: Inbox, work, caplog
) -> None:
    caplog.set_level(logging.INFO)
    time_machine.move_to(START, tick=False)
    smtp.refuse_with = "451 Try again later"
    message = waiting_message()
    assert len(BACKOFF) == MAX_ATTEMPTS - 1, "a wait between each two attempts"
    moment = START
    send_due_at(time_machine, work, moment)
    for attempt, wait in enumerate(BACKOFF, start=1):
        message.refresh_from_db()
        assert message.status == Message.Status.PENDING
        assert message.attempts == attempt
        assert message.next_attempt_at == moment + wait
        assert message.last_error == "The mail server answered 451"
        # not a moment early
        send_due_at(time_machine, work, moment + wait - timedelta(seconds=1))
        message.refresh_from_db()
        assert message.attempts == attempt
        moment += wait
        send_due_at(time_machine, work, moment)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.last_error == "The mail server answered 451"
    assert smtp.received == []
    # failed is kept, never dropped, and not tried again
    send_due_at(time_machine, work, moment + timedelta(days=2))
    assert Message.objects.get(pk=message.pk).status == Message.Status.FAILED
    assert Message.objects.get(pk=message.pk).attempts == MAX_ATTEMPTS
    no_personal_data(caplog, message)


def test_a_message_that_goes_on_the_third_attempt_is_received_once(time_machine, smtp: Inbox, work) -> None:
    time_machine.move_to(START, tick=False)
    smtp.refuse_with = "451 Try again later"
    message = waiting_message()
    send_due_at(time_machine, work, START)
    send_due_at(time_machine, work, START + BACKOFF[0])
    smtp.refuse_with = None
    send_due_at(time_machine, work, START + BACKOFF[0] + BACKOFF[1])
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert message.last_error == ""
    assert message.sent_at == START + BACKOFF[0] + BACKOFF[1]
    assert [r.rcpt_tos for r in smtp.received] == [[ADDRESS]]
    send_due_at(time_machine, work, START + timedelta(days=1))
    assert len(smtp.received) == 1


def test_a_550_is_failed_at_once_and_not_tried_again(time_machine, smtp: Inbox, work, caplog) -> None:
    time_machine.move_to(START, tick=False)
    smtp.refuse_with = "550 Requested action not taken: mailbox unavailable"
    message = waiting_message()
    send_due_at(time_machine, work, START)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "The mail server answered 550"
    send_due_at(time_machine, work, START + timedelta(days=1))
    message.refresh_from_db()
    assert message.attempts == 1
    no_personal_data(caplog, message)


class RefusingRecipients(Inbox):
    """A server that answers RCPT TO with ``rcpt_answer`` (one that quotes the address, as many do)."""

    rcpt_answer: str = ""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        return self.rcpt_answer.format(address=address)


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ("550 5.1.1 <{address}>: Recipient address rejected", Message.Status.FAILED, "(550)"),
        ("450 4.2.0 <{address}>: Recipient address rejected: Greylisted", Message.Status.PENDING, "(450)"),
    ],
)
def test_an_address_refused_is_failed_for_good_or_tried_again_as_the_server_says(
    caplog, answer: str, status: str, reason: str
) -> None:
    inbox = RefusingRecipients()
    inbox.rcpt_answer = answer
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port
        ):
            message = waiting_message()
            messages_send_due(worker="test")
    finally:
        controller.stop()
    message.refresh_from_db()
    assert message.status == status
    assert message.last_error == f"The mail server refused the address {reason}"
    no_personal_data(caplog, message)


def test_a_fault_of_resolves_own_is_tried_again_and_logged_without_its_words(
    time_machine, smtp: Inbox, monkeypatch, caplog
) -> None:
    def broken(outgoing: channels.Outgoing) -> str:
        raise ValueError(f"cannot write to {outgoing.to} for {NAME}")

    time_machine.move_to(START, tick=False)
    monkeypatch.setitem(channels.SENDERS, "email", broken)
    message = waiting_message()
    assert messages_send_due(worker="test") == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.next_attempt_at == START + BACKOFF[0]
    assert message.last_error == "Resolve could not send it (ValueError)"
    [record] = [r for r in caplog.records if "could not be sent" in r.getMessage()]
    assert "ValueError at " in record.getMessage()
    assert "test_retries.py" in record.getMessage(), "where it went wrong, to find it by"
    assert record.exc_info is None
    no_personal_data(caplog, message)
