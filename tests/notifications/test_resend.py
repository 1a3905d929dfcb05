"""Sending a failed message again (administrators only) and a person's choice of a daily digest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused
from resolve.disagreements.models import Disagreement
from resolve.notifications.models import Message
from resolve.notifications.resend import message_send_again, person_digest_choose
from resolve.notifications.services import messages_send_due
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.notifications.conftest import Inbox
from tests.notifications.written import message_to, notice_about

pytestmark = pytest.mark.django_db


# The worker (``work``) closes its database connection after a task, as a real worker does; on PostgreSQL
# that ends a test's wrapping transaction, so the tests that run it commit for real.
WORKS = pytest.mark.django_db(transaction=True)


def administrator_of(cast: Cast, name: str = "admin") -> User:
    user = get_user_model().objects.create_user(name, f"{name}@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(user)
    return user


def failed(cast: Cast, d: Disagreement, person: Person | None = None) -> Message:
    return message_to(
        person or cast.at("csc", 1),
        notice_about(d),
        status=Message.Status.FAILED,
        attempts=6,
        last_error="The mail server answered 451",
    )


@WORKS
def test_a_message_refused_by_the_mail_server_reaches_the_person_once_sent_again(
    cast_for: Callable[[str], Cast], smtp: Inbox, work: Any
) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    work()  # what raising queued
    smtp.received.clear()
    person = cast.at("csc", 2)
    one = message_to(person, notice_about(d))
    smtp.refuse_with = "550 No such mailbox here"
    messages_send_due(worker="test")
    one.refresh_from_db()
    assert (one.status, one.last_error) == (Message.Status.FAILED, "The mail server answered 550")
    assert not smtp.received

    smtp.refuse_with = None
    again = message_send_again(by=administrator_of(cast), message_id=one.pk)
    assert (again.status, again.attempts, again.last_error) == (Message.Status.PENDING, 0, "")
    entry = Event.objects.get(verb=Verb.MESSAGE_SENT_AGAIN)
    assert entry.partnership_id == cast.partnership.pk
    assert entry.disagreement_id == d.pk
    assert entry.data["reason"] == "The mail server answered 550"
    assert entry.data["message"] == one.pk
    work()  # the send_due task it queued
    one.refresh_from_db()
    assert one.status == Message.Status.SENT
    assert [r.rcpt_tos for r in smtp.received] == [[person.email]]
    assert d.reference in smtp.received[0].subject
    assert d.child.reference not in smtp.received[0].body


def test_a_second_send_again_of_a_message_already_waiting_changes_nothing_and_says_so(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    message = failed(cast, raise_one(cast))
    admin = administrator_of(cast)
    message_send_again(by=admin, message_id=message.pk)
    before = Message.objects.values().get(pk=message.pk)
    with pytest.raises(Refused, match="already waiting to be sent: nothing was changed"):
        message_send_again(by=admin, message_id=message.pk)
    assert Message.objects.values().get(pk=message.pk) == before
    assert Event.objects.filter(verb=Verb.MESSAGE_SENT_AGAIN).count() == 1


@pytest.mark.parametrize("status", [Message.Status.SENT, Message.Status.SENDING, Message.Status.HELD])
def test_only_a_message_that_failed_can_be_sent_again(cast_for: Callable[[str], Cast], status: str) -> None:
    cast = cast_for("enfield")
    message = message_to(cast.at("csc", 1), notice_about(raise_one(cast)), status=status)
    with pytest.raises(Refused, match="nothing was changed"):
        message_send_again(by=administrator_of(cast), message_id=message.pk)
    message.refresh_from_db()
    assert message.status == status


def test_another_partnerships_administrator_finds_no_such_message(cast_for: Callable[[str], Cast]) -> None:
    ours, theirs = cast_for("enfield"), cast_for("enfield")
    message = failed(ours, raise_one(ours))
    for account in (
        administrator_of(theirs, "their-admin"),
        get_user_model().objects.create_user("plain", "plain@example.test", "x" * 20),
        get_user_model().objects.create_user("staff", "staff@example.test", "x" * 20, is_staff=True),
    ):
        with pytest.raises(NotFound):
            message_send_again(by=account, message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert not Event.objects.filter(verb=Verb.MESSAGE_SENT_AGAIN).exists()


def test_a_superuser_sends_any_partnerships_message_again(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    message = failed(cast, raise_one(cast))
    root = get_user_model().objects.create_superuser("root", "root@example.test", "x" * 20)
    assert message_send_again(by=root, message_id=message.pk).status == Message.Status.PENDING


@WORKS
def test_sending_again_goes_to_the_address_the_person_has_now(
    cast_for: Callable[[str], Cast], smtp: Inbox, work: Any
) -> None:
    cast = cast_for("enfield")
    person = cast.at("csc", 1)
    message = failed(cast, raise_one(cast), person)
    work()  # what raising queued
    smtp.received.clear()
    person.email = "corrected@example.test"
    person.save()
    message_send_again(by=administrator_of(cast), message_id=message.pk)
    work()
    assert [r.rcpt_tos for r in smtp.received] == [["corrected@example.test"]]


def test_a_message_for_someone_no_longer_active_is_not_sent_again(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    person = cast.at("csc", 1)
    message = failed(cast, raise_one(cast), person)
    person.is_active = False
    person.save()
    with pytest.raises(Refused, match="no longer active"):
        message_send_again(by=administrator_of(cast), message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_choosing_a_daily_digest_changes_only_that_persons_choice_and_is_audited(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    person, other = cast.at("school", 1), cast.at("school", 2)
    person_digest_choose(person=person, daily_digest=True)
    person.refresh_from_db()
    other.refresh_from_db()
    assert (person.daily_digest, other.daily_digest) == (True, False)
    entry = Event.objects.get(verb=Verb.MESSAGES_CHOICE_CHANGED)
    assert (entry.actor_id, entry.data["daily_digest"]) == (person.pk, True)
    person_digest_choose(person=person, daily_digest=True)  # the same choice again: nothing to record
    assert Event.objects.filter(verb=Verb.MESSAGES_CHOICE_CHANGED).count() == 1


@WORKS
def test_going_back_to_one_message_each_time_sends_what_was_held_for_the_digest(
    cast_for: Callable[[str], Cast], smtp: Inbox, work: Any
) -> None:
    cast = cast_for("enfield")
    person = cast.at("csc", 1)
    person_digest_choose(person=person, daily_digest=True)
    d = raise_one(cast)
    work()
    smtp.received.clear()
    held = message_to(person, notice_about(d), status=Message.Status.HELD)
    person_digest_choose(person=person, daily_digest=False)
    work()
    held.refresh_from_db()
    assert held.status == Message.Status.SENT
    assert [r.rcpt_tos for r in smtp.received] == [[person.email]]
