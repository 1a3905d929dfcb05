"""The one way events are written, and the audit trail's own services: verifying and checkpointing it."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.audit.chain import GENESIS, Verification, entry_hash, verify
from resolve.audit.checkpoints import Checkpoint, checkpoint_append, checkpoint_path, checkpoint_sign
from resolve.audit.context import current_origin
from resolve.audit.keys import current_key_id
from resolve.audit.models import ChainHead, Event, Verb, chain_append
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError

if TYPE_CHECKING:
    from pathlib import Path

    from resolve.disagreements.models import Disagreement
    from resolve.partnerships.models import Partnership, Person

logger = logging.getLogger(__name__)


def event_record(
    *,
    verb: Verb,
    partnership: Partnership | None,
    actor: Person | Operator | None,
    disagreement: Disagreement | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event, chained to the one before. Called inside the transaction of the change it records.

    ``actor`` is the person who did it, or the operator who ran a command (recorded as
    ``data["operator"]``: their login and host), or nobody (the system itself).
    """
    verb = Verb(verb)  # the vocabulary is fixed: anything else is a programming error, refused here
    if at is not None and timezone.is_naive(at):
        raise ValueError("An audit entry's time must say its zone (an aware datetime).")
    data = dict(data or {})
    person = None
    if isinstance(actor, Operator):
        data["operator"] = actor.name
    else:
        person = actor
    key_id = current_key_id()
    with transaction.atomic(), chain_append():
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
        moment = at or timezone.now()
        remote_addr = current_origin()
        digest = entry_hash(
            key_id=key_id,
            prev_hash=head.hash,
            at=moment,
            verb=verb,
            partnership_id=partnership.pk if partnership else None,
            actor_id=person.pk if person else None,
            disagreement_id=disagreement.pk if disagreement else None,
            data=data,
            remote_addr=remote_addr,
        )
        event = Event.objects.create(
            verb=verb,
            partnership=partnership,
            actor=person,
            disagreement=disagreement,
            data=data,
            at=moment,
            remote_addr=remote_addr,
            prev_hash=head.hash,
            hash=digest,
            key_id=key_id,
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


def list_viewed(*, person: Person, listing: str, disagreements: Sequence[Disagreement]) -> Event | None:
    """One VIEWED entry for a page that lists disagreements: which ones, and which children, by identifier.

    Called once per page view by the selector that builds the list; a list showing nothing writes nothing.
    """
    if not disagreements:
        return None
    return event_record(
        verb=Verb.VIEWED,
        partnership=person.partnership,
        actor=person,
        data={
            "list": listing,
            "disagreements": [str(d.pk) for d in disagreements],
            "children": sorted({str(d.child_id) for d in disagreements}),
        },
    )


def _operator(by: object, doing: str) -> Operator:
    if not isinstance(by, Operator):
        raise Refused(
            _("Only an operator at the server's command line can %(doing)s (resolve audit ...).") % {"doing": doing}
        )
    return by


def trail_verify(*, by: Operator, also: Path | None = None) -> Verification:
    """Check the trail against its chain and checkpoints, and record who checked and what was found."""
    operator = _operator(by, _("verify the audit trail"))
    result = verify(also=also)
    event_record(
        verb=Verb.TRAIL_VERIFIED,
        partnership=None,
        actor=operator,
        data={"intact": result.ok, "entries": result.entries, "problems": len(result.problems)},
    )
    return result


def checkpoint_write(*, by: Operator) -> Checkpoint:
    """Sign the chain's head and write it outside the database: the checkpoint file, and e-mail if set.

    Refused when the trail does not verify (a checkpoint must never vouch for a tampered trail).
    The checkpoint covers every entry before the CHECKPOINT_WRITTEN entry that records it.
    """
    operator = _operator(by, _("write an audit checkpoint"))
    result = verify()
    if not result.ok:
        raise Refused(
            _(
                "The audit trail does not verify, so no checkpoint was written: %(problem)s "
                "Run `resolve audit verify` for every problem."
            )
            % {"problem": result.problems[0]}
        )
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        seq, head_hash = (head.count, head.hash) if head else (0, GENESIS)
        checkpoint = checkpoint_sign(seq=seq, head_hash=head_hash, at=timezone.now())
        try:
            path = checkpoint_append(checkpoint)
        except OSError as exc:
            raise ResolveError(
                _(
                    "Could not write the checkpoint to %(path)s: %(strerror)s. Check "
                    "RESOLVE_AUDIT_CHECKPOINT_DIR and its permissions."
                )
                % {"path": checkpoint_path(), "strerror": exc.strerror}
            ) from None
        event_record(
            verb=Verb.CHECKPOINT_WRITTEN,
            partnership=None,
            actor=operator,
            data={
                "entries": seq,
                "hash": head_hash,
                "file": str(path),
                "emailed": len(settings.AUDIT_CHECKPOINT_EMAIL),
            },
        )
    _checkpoint_email(checkpoint)
    return checkpoint


def _checkpoint_email(checkpoint: Checkpoint) -> None:
    recipients = list(settings.AUDIT_CHECKPOINT_EMAIL)
    if not recipients:
        return
    body = (
        "Resolve wrote a checkpoint of its audit trail. Keep this message: `resolve audit verify --checkpoint FILE`\n"
        "checks the trail against the line below, saved to a file.\n\n"
        f"Entries: {checkpoint.seq}\nNewest hash: {checkpoint.hash}\nAt: {checkpoint.when}\n\n"
        f"{checkpoint.as_line()}\n"
    )
    try:
        send_mail(f"Resolve audit checkpoint: {checkpoint.seq} entries", body, None, recipients, fail_silently=False)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("The audit checkpoint was written to its file but could not be e-mailed: %s", type(exc).__name__)
        raise ResolveError(
            _(
                "The checkpoint was written to its file, but the e-mail to "
                "RESOLVE_AUDIT_CHECKPOINT_EMAIL could not be sent: check the e-mail settings."
            )
        ) from None
