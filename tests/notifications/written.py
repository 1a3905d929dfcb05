"""Messages written straight into the table, in any state, for the pages' tests (no task is queued)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from resolve.disagreements.models import Disagreement, Notice
from resolve.notifications.models import Message
from resolve.partnerships.models import Person


def notice_about(disagreement: Disagreement, *, what: str = "A disagreement was raised.") -> Notice:
    now = timezone.now()
    return Notice.objects.create(
        disagreement=disagreement, to="parties", what=what, source="test", created_at=now, dispatched_at=now
    )


def message_to(person: Person, notice: Notice | None, *, minutes_ago: int = 0, **fields: Any) -> Message:
    """A message to ``person`` about ``notice`` (None: a daily digest), written ``minutes_ago``."""
    written = timezone.now() - timedelta(minutes=minutes_ago)
    values: dict[str, Any] = {
        "key": f"test:{person.pk}:{Message.objects.count()}:{minutes_ago}",
        "partnership": person.partnership,
        "notice": notice,
        "person": person,
        "channel": Message.Channel.EMAIL,
        "address": person.email,
        "subject": "",
        "body": "",
        "status": Message.Status.PENDING,
        "created_at": written,
        "next_attempt_at": written,
    }
    values.update(fields)
    return Message.objects.create(**values)
