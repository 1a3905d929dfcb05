"""The one way events are written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from resolve.audit.models import Event, Verb

if TYPE_CHECKING:
    from resolve.disagreements.models import Disagreement
    from resolve.partnerships.models import Partnership, Person


def event_record(
    *,
    verb: Verb,
    partnership: Partnership,
    actor: Person | None,
    disagreement: Disagreement | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event. Called inside the transaction of the change it records."""
    return Event.objects.create(
        verb=verb,
        partnership=partnership,
        actor=actor,
        disagreement=disagreement,
        data=data or {},
        at=at or timezone.now(),
    )


def disagreement_event(
    disagreement: Disagreement, verb: Verb, *, by: Person | None, at: datetime | None = None, **data: Any
) -> Event:
    """Append one event about a disagreement: the usual case of ``event_record``."""
    return event_record(
        verb=verb, partnership=disagreement.partnership, actor=by, disagreement=disagreement, data=data, at=at
    )
