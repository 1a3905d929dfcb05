"""A message waiting to be sent, without a disagreement behind it: for the channel and retry tests."""

from __future__ import annotations

from django.utils import timezone

from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.factories import PersonFactory

#: a person's name and address that must never reach a log or a stored reason
NAME = "Bernadette Quayle"
ADDRESS = "bernadette.quayle@school.example"


def waiting_message(
    *, channel: str = "email", key: str = "test:deadline-coming:1", person: Person | None = None
) -> Message:
    """A message due now to Bernadette Quayle (or ``person``), with its words already written."""
    person = person or PersonFactory.create(name=NAME, email=ADDRESS)
    now = timezone.now()
    return Message.objects.create(
        key=key,
        partnership=person.partnership,
        person=person,
        channel=channel,
        address=person.email,
        subject="Deadline coming: ESCP-2027-0001",
        body="The stage 1 response to ESCP-2027-0001 is due by 5:00pm on Friday 15 January 2027.",
        created_at=now,
        next_attempt_at=now,
    )
