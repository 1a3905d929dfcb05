"""What was sent: to one person (their own messages), and what could not be sent (for administrators)."""

from __future__ import annotations

from django.db.models import QuerySet

from resolve.notifications.models import Message
from resolve.partnerships.models import Person

#: how many of a person's messages their page shows, newest first
MESSAGES_SHOWN = 100


def messages_for(*, person: Person) -> QuerySet[Message]:
    """The messages written to ``person``, newest first: only their own, in their partnership."""
    return (
        Message.objects.filter(person=person, partnership=person.partnership_id)
        .select_related("notice__disagreement")
        .order_by("-created_at", "-id")[:MESSAGES_SHOWN]
    )
