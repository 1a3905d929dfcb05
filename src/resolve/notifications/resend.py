"""What people change about their messages: an administrator sends a failed one again; a person chooses a digest.

- ``message_send_again``: a partnership's administrator (or a superuser) puts a message that could not
  be sent back in the queue: waiting, with its attempts counted from nought, due now, to the
  person's address as it is now (the usual fix for a failure is a corrected address), and queues
  the ``send_due`` task. Only a ``FAILED`` message: one already waiting, being sent or sent is left
  as it is and the refusal says so, so a second click changes nothing.
- ``person_digest_choose``: the person's own choice of one message each time or a daily digest.
  Choosing one message each time releases what was held for the next digest, to be sent now.

Each is one transaction with its audit entry; the entry holds identifiers, never names or addresses.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused
from resolve.notifications.models import Message
from resolve.notifications.tasks import send_due
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import partnerships_administered_by
from resolve.partnerships.services import administrator_check

#: why a message that is not ``FAILED`` is not sent again
ALREADY: dict[str, Any] = {
    Message.Status.PENDING: gettext_lazy("This message is already waiting to be sent: nothing was changed."),
    Message.Status.SENDING: gettext_lazy("This message is being sent now: nothing was changed."),
    Message.Status.SENT: gettext_lazy("This message has been sent: nothing was changed."),
    Message.Status.HELD: gettext_lazy("This message is waiting for the person's daily digest: nothing was changed."),
    Message.Status.DIGESTED: gettext_lazy("This message went in the person's daily digest: nothing was changed."),
}


@transaction.atomic
def message_send_again(*, by: Any, message_id: int) -> Message:
    """Send a message that could not be sent again; ``by`` must administer its partnership.

    A message outside the partnerships ``by`` administers is not found, the same as a missing one.
    """
    message = (
        Message.objects.select_for_update(of=("self",))
        .filter(pk=message_id, partnership__in=partnerships_administered_by(by))
        .select_related("partnership", "person", "notice")
        .first()
    )
    if message is None:
        raise NotFound(_("There is no such message among your partnership's messages."), field="message")
    asker = administrator_check(partnership=message.partnership, by=by)
    if message.status != Message.Status.FAILED:
        raise Refused(str(ALREADY[message.status]), field="message")
    person = message.person
    if not person.is_active:
        raise Refused(
            _("The person this message is for is no longer active in Resolve, so it cannot be sent again."),
            field="message",
        )
    if not person.email:
        raise Refused(
            _("The person this message is for has no e-mail address: add one to their record, then send it again."),
            field="message",
        )
    previous = {"attempts": message.attempts, "reason": message.last_error}
    now = timezone.now()
    message.status = Message.Status.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = ""
    message.claimed_at = None
    message.claimed_by = ""
    message.address = person.email
    message.save(
        update_fields=["status", "attempts", "next_attempt_at", "last_error", "claimed_at", "claimed_by", "address"]
    )
    event_record(
        verb=Verb.MESSAGE_SENT_AGAIN,
        partnership=message.partnership,
        actor=asker.actor,
        disagreement=message.notice.disagreement if message.notice is not None else None,
        data={"message": message.pk, "person": str(person.pk), **previous, **asker.data},
    )
    send_due.enqueue()
    return message


@transaction.atomic
def person_digest_choose(*, person: Person, daily_digest: bool) -> Person:
    """``person`` takes one message each time (False) or a daily digest (True); only their own choice.

    Urgent matters are never held for a digest (``notice_dispatch``). Choosing one message each time
    sends what was being held for the next digest now.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.daily_digest == daily_digest:
        return person
    person.daily_digest = daily_digest
    person.save(update_fields=["daily_digest"])
    released = 0
    if not daily_digest:
        released = Message.objects.filter(person=person, status=Message.Status.HELD).update(
            status=Message.Status.PENDING, next_attempt_at=timezone.now()
        )
    event_record(
        verb=Verb.MESSAGES_CHOICE_CHANGED,
        partnership=person.partnership,
        actor=person,
        data={"person": str(person.pk), "daily_digest": daily_digest, "released": released},
    )
    if released:
        send_due.enqueue()
    return person
