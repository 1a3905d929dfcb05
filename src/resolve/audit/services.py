"""The one way events are written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from resolve.audit.chain import GENESIS, entry_hash
from resolve.audit.context import current_origin
from resolve.audit.models import ChainHead, Event, Verb

if TYPE_CHECKING:
    from resolve.disagreements.models import Disagreement
    from resolve.partnerships.models import Partnership, Person


def event_record(
    *,
    verb: Verb,
    partnership: Partnership | None,
    actor: Person | None,
    disagreement: Disagreement | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event, chained to the one before. Called inside the transaction of the change it records."""
    verb = Verb(verb)  # the vocabulary is fixed: anything else is a programming error, refused here
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
        moment = at or timezone.now()
        data = data or {}
        remote_addr = current_origin()
        digest = entry_hash(
            prev_hash=head.hash,
            at=moment.isoformat(),
            verb=verb,
            partnership_id=partnership.pk if partnership else None,
            actor_id=actor.pk if actor else None,
            disagreement_id=disagreement.pk if disagreement else None,
            data=data,
            remote_addr=remote_addr,
        )
        event = Event.objects.create(
            verb=verb,
            partnership=partnership,
            actor=actor,
            disagreement=disagreement,
            data=data,
            at=moment,
            remote_addr=remote_addr,
            prev_hash=head.hash,
            hash=digest,
        )
        head.hash = digest
        head.count += 1
        head.save(update_fields=["hash", "count"])
    return event


def disagreement_event(
    disagreement: Disagreement, verb: Verb, *, by: Person | None, at: datetime | None = None, **data: Any
) -> Event:
    """Append one event about a disagreement: the usual case of ``event_record``."""
    return event_record(
        verb=verb, partnership=disagreement.partnership, actor=by, disagreement=disagreement, data=data, at=at
    )
