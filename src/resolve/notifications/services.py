"""Writing messages from notices, and sending them exactly once, as far as a mail server allows.

- ``notice_dispatch`` writes one message per recipient and channel, each with its unique key, in
  one transaction; a second call (a re-run, a restarted worker) writes nothing.
- ``message_claim`` takes the next message due, locking its row with SKIP LOCKED, so that several
  workers sharing PostgreSQL never take the same one; it marks it ``SENDING`` and commits.
- ``message_send`` sends the claimed message and marks it ``SENT``; a failure goes back to
  ``PENDING`` with a later ``next_attempt_at`` (backoff), and after ``MAX_ATTEMPTS`` to ``FAILED``,
  shown to the partnership's administrators.
- ``leases_expire`` gives back a claim older than ``LEASE`` (its worker was killed mid-send): the
  one window in which a message may go twice is a worker killed after the mail server accepted the
  message and before its row was marked sent (decision 0014).
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from resolve.disagreements.models import Notice
from resolve.notifications.channels import SENDERS, Attachment, Outgoing, SendFailed
from resolve.notifications.compose import attachments_for, compose
from resolve.notifications.models import Message
from resolve.partnerships.models import Person

logger = logging.getLogger(__name__)

#: how many times a message is tried before it is shown to administrators as not sent
MAX_ATTEMPTS = 6
#: the waits between attempts: 1, 5, 30 minutes, 2 and 6 hours
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))


def lease() -> timedelta:
    """How long a claim lasts before another worker may take the message again."""
    return timedelta(seconds=float(getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 600)))


def message_key(notice: Notice, person: Person, channel: str) -> str:
    """What happened, to whom, through which channel: unique, so written once."""
    return f"notice:{notice.pk}:person:{person.pk}:{channel}"


def notice_dispatch(notice_id: int, *, now: datetime | None = None) -> int:
    """Write the notice's messages (once); how many were written now.

    A person who takes a daily digest has the message held for it, unless the notice is urgent.
    Inactive people and people without an address are not sent anything.
    """
    now = now or timezone.now()
    written = 0
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer-joined rows
            .select_related("disagreement__partnership", "stage_run", "deadline")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.dispatched_at is not None:
            return 0
        partnership = notice.disagreement.partnership
        channel = partnership.message_channel
        due_at = max(notice.send_after or now, now)
        for person in notice.recipients.filter(is_active=True).exclude(email="").order_by("pk"):
            key = message_key(notice, person, channel)
            if Message.objects.filter(key=key).exists():
                continue
            held = person.daily_digest and not notice.urgent
            Message.objects.create(
                key=key,
                partnership=partnership,
                notice=notice,
                person=person,
                channel=channel,
                address=person.email,
                subject="",
                body="",
                status=Message.Status.HELD if held else Message.Status.PENDING,
                created_at=now,
                next_attempt_at=due_at,
            )
            written += 1
        notice.dispatched_at = now
        notice.save(update_fields=["dispatched_at"])
    return written


def message_claim(*, worker: str, now: datetime | None = None) -> Message | None:
    """Take the next message due and mark it being sent; None when nothing is due.

    The row is locked with SKIP LOCKED (PostgreSQL), so that two workers never take the same one;
    on SQLite the write lock of the IMMEDIATE transaction does the same. The claim is committed
    before anything is sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return None
        message.status = Message.Status.SENDING
        message.claimed_at = max(now, timezone.now())  # a long sweep passes its start: the lease counts from now
        message.claimed_by = worker[:64]
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "claimed_by", "attempts"])
    return message


def _outgoing(message: Message, now: datetime) -> Outgoing:
    """The message's words, written when it is first sent (so that out-of-hours contacts fit the hour)."""
    attachments: tuple[Attachment, ...] = ()
    if message.notice is not None:
        if not message.body:
            words = compose(message.notice, message.person, now=now)
            message.subject, message.body = words.subject, words.body
            Message.objects.filter(pk=message.pk).update(subject=message.subject, body=message.body)
        attachments = tuple(attachments_for(message.notice, message.person))
    return Outgoing(
        key=message.key, to=message.address, subject=message.subject, body=message.body, attachments=attachments
    )


def message_send(message: Message, *, now: datetime | None = None) -> bool:
    """Send a claimed message; True when the provider took it."""
    now = now or timezone.now()
    try:
        outgoing = _outgoing(message, now)
        reference = SENDERS[message.channel](outgoing)
    except SendFailed as exc:
        _failed(message, exc.reason, permanent=exc.permanent, now=now)
        return False
    except Exception as exc:  # a fault of Resolve's own: kept as failed, never dropped silently
        # where it went wrong, not what it said: an exception's text may quote an address or a name
        logger.error("Message %s could not be sent: %s at %s", message.pk, type(exc).__name__, _raised_at(exc))
        _failed(message, f"Resolve could not send it ({type(exc).__name__})", permanent=False, now=now)
        return False
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.SENT, sent_at=timezone.now(), provider_reference=reference[:200], last_error=""
    )
    if message.notice_id is not None:
        Notice.objects.filter(pk=message.notice_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def _raised_at(exc: BaseException) -> str:
    """The file and line an exception was raised at (the innermost frame), to find it by."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def _failed(message: Message, reason: str, *, permanent: bool, now: datetime) -> None:
    last = permanent or message.attempts >= MAX_ATTEMPTS
    wait = BACKOFF[min(message.attempts, len(BACKOFF)) - 1] if message.attempts else BACKOFF[0]
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED if last else Message.Status.PENDING,
        next_attempt_at=now if last else now + wait,
        last_error=reason[:300],
        claimed_at=None,
        claimed_by="",
    )
    logger.warning("Message %s not sent (attempt %s): %s", message.pk, message.attempts, reason)


def messages_send_due(*, worker: str, limit: int = 200, now: datetime | None = None) -> int:
    """Claim and send messages due, one at a time, until none is due or ``limit`` were tried."""
    tried = 0
    while tried < limit:
        message = message_claim(worker=worker, now=now)
        if message is None:
            break
        message_send(message, now=now)
        tried += 1
    return tried


def leases_expire(*, now: datetime | None = None) -> int:
    """Give back claims older than the lease: their worker stopped mid-send. How many."""
    now = now or timezone.now()
    return Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - lease()).update(
        status=Message.Status.PENDING, next_attempt_at=now, claimed_at=None, claimed_by=""
    )


def notices_undispatched(*, now: datetime | None = None, limit: int = 500) -> int:
    """The safety net: write the messages of notices whose delivery task was lost. How many notices."""
    ids = list(
        Notice.objects.filter(dispatched_at__isnull=True).order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        notice_dispatch(pk, now=now)
    return len(ids)
