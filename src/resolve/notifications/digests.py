"""The daily digest: one message at the start of each working day carrying a person's held messages.

A person who takes a daily digest (``Person.daily_digest``) has their non-urgent messages held
(``services.notice_dispatch``). When the sweep's window holds the start of a working day on their
partnership's calendar (09:00 local; never a weekend or a bank holiday, so held messages wait for
the next working day), it writes one digest message per person and channel (key
``digest:{person}:{date}:{channel}``: written once, whatever re-runs), gives each held message its
words as they stand now, marks them ``DIGESTED`` with the digest, and the digest is sent like any
message. Held messages not yet due (``next_attempt_at`` later) wait for a later digest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import groupby
from uuid import UUID

from django.db import transaction

from resolve.calendar import WorkingCalendar
from resolve.notifications.compose import compose, compose_digest
from resolve.notifications.models import Message
from resolve.notifications.reminders import Window, day_starts_in


def digest_key(person_id: UUID, day: object, channel: str) -> str:
    return f"digest:{person_id}:{day}:{channel}"


def digests_write(window: Window, *, now: datetime, calendar_of: Callable[[UUID], WorkingCalendar]) -> int:
    """Write the digests due in the window (one per person and channel); how many were written."""
    held = (
        Message.objects.filter(status=Message.Status.HELD, next_attempt_at__lte=now)
        .select_related("person", "notice__disagreement__partnership", "notice__stage_run", "notice__deadline")
        .order_by("person_id", "channel", "created_at", "id")
    )
    written = 0
    for (person_id, channel), group in groupby(held, key=lambda m: (m.person_id, m.channel)):
        messages = list(group)
        person = messages[0].person
        if not person.is_active or not person.email:
            continue  # kept held: never dropped, and shown on their page
        days = day_starts_in(calendar_of(messages[0].partnership_id), window)
        if not days:
            continue
        key = digest_key(person_id, days[-1], channel)
        if Message.objects.filter(key=key).exists():
            continue
        with transaction.atomic():
            items = []
            for m in messages:
                assert m.notice is not None  # only a notice's message is held
                words = compose(m.notice, person, now=now)
                m.subject, m.body = words.subject, words.body
                items.append((m.subject, m.body))
            composed = compose_digest(person, items, now=now)
            digest = Message.objects.create(
                key=key,
                partnership_id=messages[0].partnership_id,
                notice=None,
                person=person,
                channel=channel,
                address=person.email,
                subject=composed.subject,
                body=composed.body,
                status=Message.Status.PENDING,
                created_at=now,
                next_attempt_at=now,
            )
            for m in messages:
                Message.objects.filter(pk=m.pk, status=Message.Status.HELD).update(
                    status=Message.Status.DIGESTED, digest=digest, subject=m.subject, body=m.body
                )
        written += 1
    return written
