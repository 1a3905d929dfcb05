"""A partnership on GOV.UK Notify: its messages go through Notify's client to a stub that checks them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from resolve.disagreements.models import Child, Notice
from resolve.notifications.channels import provider_key
from resolve.notifications.models import Message
from resolve.notifications.services import BACKOFF
from resolve.notifications.tasks import send_due
from tests.conftest import Cast
from tests.disagreements.walker import Walker
from tests.notifications.notify_stub import NotifyStub, running_notify

pytestmark = pytest.mark.django_db

CHILD_NAME = "Amara Okafor"


@pytest.fixture
def notify() -> Iterator[NotifyStub]:
    with running_notify() as stub:
        yield stub


def raised_on_notify(cast_for: Any, time_machine: Any, work: Any) -> tuple[Walker, set[str]]:
    """Enfield on Notify, a disagreement raised at 10:00 on a Monday and the worker run; who was told."""
    cast: Cast = cast_for("enfield")
    cast.partnership.message_channel = "notify"
    cast.partnership.save(update_fields=["message_channel"])
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    Child.objects.filter(pk=walker.d.child_id).update(name=CHILD_NAME, date_of_birth=date(2015, 3, 9))
    work()
    told = {p.email for n in Notice.objects.filter(disagreement=walker.d) for p in n.recipients.all()}
    assert told, "the procedure tells someone when a disagreement is raised"
    return walker, told


def test_raising_on_notify_sends_each_message_through_notify(cast_for, time_machine, work, notify) -> None:
    walker, told = raised_on_notify(cast_for, time_machine, work)
    assert notify.problems == []
    assert {s.email_address for s in notify.sent} == told
    assert len(notify.sent) == len(told)
    assert mail.outbox == [], "nothing went by SMTP"
    for message in Message.objects.filter(notice__disagreement=walker.d):
        [sent] = notify.to(message.address)
        assert message.channel == Message.Channel.NOTIFY
        assert message.status == Message.Status.SENT
        assert message.provider_reference == sent.id, "Notify's notification id is kept"
        assert sent.reference == provider_key(message.key)
        assert sent.subject == message.subject
        assert walker.d.reference in sent.subject
        assert sent.text == message.body
        assert walker.d.child.reference not in sent.text
        assert CHILD_NAME not in sent.text
        assert "2015" not in sent.text
    # the worker run again sends nothing more
    work()
    assert len(notify.sent) == len(told)


def test_notify_not_set_up_fails_every_message_naming_the_two_settings(cast_for, time_machine, work) -> None:
    with override_settings(NOTIFY_API_KEY="", NOTIFY_EMAIL_TEMPLATE_ID=""):
        walker, _told = raised_on_notify(cast_for, time_machine, work)
    messages = Message.objects.filter(notice__disagreement=walker.d)
    assert messages.exists()
    for message in messages:
        assert message.status == Message.Status.FAILED
        assert message.attempts == 1
        assert "RESOLVE_NOTIFY_API_KEY" in message.last_error
        assert "RESOLVE_NOTIFY_EMAIL_TEMPLATE_ID" in message.last_error


def test_a_key_not_in_notifys_format_fails_saying_so(cast_for, time_machine, work, notify) -> None:
    with override_settings(NOTIFY_API_KEY="not-a-key"):
        walker, _told = raised_on_notify(cast_for, time_machine, work)
    assert notify.requests == 0
    for message in Message.objects.filter(notice__disagreement=walker.d):
        assert message.status == Message.Status.FAILED
        assert "RESOLVE_NOTIFY_API_KEY" in message.last_error


def test_a_key_with_the_wrong_secret_is_refused_by_notify_and_not_tried_again(
    cast_for, time_machine, work, notify
) -> None:
    wrong = f"resolve_test-{notify.service_id}-{'0' * 8}-0000-4000-8000-{'0' * 12}"
    with override_settings(NOTIFY_API_KEY=wrong):
        walker, _told = raised_on_notify(cast_for, time_machine, work)
    assert notify.sent == []
    assert notify.problems, "the stub checked the token's signature"
    assert all("InvalidSignatureError" in p for p in notify.problems)
    for message in Message.objects.filter(notice__disagreement=walker.d):
        assert message.status == Message.Status.FAILED
        assert message.last_error == "GOV.UK Notify answered 403 (AuthError)"


@pytest.mark.parametrize("status", [400, 403])
def test_a_400_or_403_from_notify_fails_at_once(cast_for, time_machine, work, notify, status: int) -> None:
    notify.answer_with = status
    walker, told = raised_on_notify(cast_for, time_machine, work)
    assert notify.problems == [], "the requests were right: Notify refused them as asked"
    assert notify.requests == len(told)
    messages = Message.objects.filter(notice__disagreement=walker.d)
    for message in messages:
        assert message.status == Message.Status.FAILED
        assert message.attempts == 1
        assert message.last_error.startswith(f"GOV.UK Notify answered {status}")
    # time moving on sends nothing: a permanent refusal is not tried again
    time_machine.move_to(walker.d.raised_at + timedelta(days=1), tick=False)
    send_due.enqueue()
    work()
    assert notify.requests == len(told)


@pytest.mark.parametrize("status", [429, 500])
def test_a_429_or_500_from_notify_is_tried_again_later(cast_for, time_machine, work, notify, status: int) -> None:
    notify.answer_with = status
    walker, told = raised_on_notify(cast_for, time_machine, work)
    raised_at = walker.d.raised_at
    messages = Message.objects.filter(notice__disagreement=walker.d)
    for message in messages:
        assert message.status == Message.Status.PENDING
        assert message.attempts == 1
        assert message.next_attempt_at == raised_at + BACKOFF[0]
        assert message.last_error.startswith(f"GOV.UK Notify answered {status}")
    notify.answer_with = None
    time_machine.move_to(raised_at + BACKOFF[0], tick=False)
    send_due.enqueue()
    work()
    assert {s.email_address for s in notify.sent} == told
    assert len(notify.sent) == len(told)
    for message in messages.all():
        assert message.status == Message.Status.SENT
        assert message.attempts == 2
        assert message.last_error == ""
        assert message.provider_reference == notify.to(message.address)[0].id


def test_notify_not_answering_is_tried_again(cast_for, time_machine, work) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    with running_notify(), override_settings(NOTIFY_BASE_URL=closed):
        walker, _told = raised_on_notify(cast_for, time_machine, work)
    for message in Message.objects.filter(notice__disagreement=walker.d):
        assert message.status == Message.Status.PENDING
        assert message.last_error == "Could not reach GOV.UK Notify (no answer)"


def test_a_template_id_notify_does_not_know_is_refused_and_not_tried_again(
    cast_for, time_machine, work, notify
) -> None:
    with override_settings(NOTIFY_EMAIL_TEMPLATE_ID="f1b6a0b2-0000-4000-8000-000000000000"):
        walker, told = raised_on_notify(cast_for, time_machine, work)
    assert notify.sent == []
    assert len(notify.problems) == len(told)
    assert all("template_id" in p for p in notify.problems)
    for message in Message.objects.filter(notice__disagreement=walker.d):
        assert message.status == Message.Status.FAILED
        assert message.last_error == "GOV.UK Notify answered 400 (BadRequestError)"
