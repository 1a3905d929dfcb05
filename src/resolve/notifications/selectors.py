"""What was sent: to one person (their own messages), and what could not be sent (for administrators).

- ``messages_for``: a person's own messages, newest first, 50 a page (never cut off silently).
- ``message_for``: one of them; anyone else's (or a missing one) is ``NotFound``, the same for both.
- ``messages_not_sent``: for a partnership's administrators, the messages that failed and those
  being retried, in the partnerships they administer (a superuser: every partnership).
- ``status_of`` and ``sent_by``: a message's state and channel in words, as both pages show them.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.core.errors import NotFound
from resolve.notifications.compose import when_text
from resolve.notifications.models import Message
from resolve.notifications.services import MAX_ATTEMPTS
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import partnerships_administered_by

#: how many messages a page shows; the rest are on the next pages
PAGE_SIZE = 50


def _own(person: Person) -> QuerySet[Message]:
    return Message.objects.filter(person=person, partnership=person.partnership_id)


def messages_for(*, person: Person, page: Any = 1) -> Page[Message]:
    """The messages written to ``person``, newest first, one page of ``PAGE_SIZE``: only their own."""
    rows = _own(person).select_related("notice__disagreement", "digest").order_by("-created_at", "-id")
    return Paginator(rows, PAGE_SIZE).get_page(page)


def message_for(*, person: Person, message_id: int) -> Message:
    """One of ``person``'s own messages; anyone else's is not found, exactly like one that does not exist."""
    found = _own(person).select_related("notice__disagreement", "digest").filter(pk=message_id).first()
    if found is None:
        raise NotFound(_("There is no such message."))
    return found


def administers_any(user: Any) -> bool:
    """Whether the account administers a partnership (a superuser: every one)."""
    return partnerships_administered_by(user).exists()


def messages_not_sent(*, user: Any, page: Any = 1) -> Page[Message]:
    """Messages that could not be sent, and those being retried, in the partnerships ``user`` administers.

    The failed ones first (they wait for an administrator), then the ones being retried, each newest first.
    """
    rows = (
        Message.objects.filter(partnership__in=partnerships_administered_by(user))
        .filter(Q(status=Message.Status.FAILED) | Q(status=Message.Status.PENDING, attempts__gt=0))
        .select_related("person", "partnership", "notice__disagreement")
        .order_by("status", "-created_at", "-id")  # "failed" sorts before "pending"
    )
    return Paginator(rows, PAGE_SIZE).get_page(page)


def reference_of(message: Message) -> str:
    """The disagreement's short reference, or "" for a daily digest (it is about several)."""
    return message.notice.disagreement.reference if message.notice is not None else ""


def about(message: Message) -> str:
    """The subject as sent, or, before it is written (at its first sending), what the notice is about."""
    if message.subject:
        return message.subject
    if message.notice is not None:
        return message.notice.what
    return _("Your daily digest")


def sent_by(message: Message) -> str:
    """How it went (or goes): by e-mail, through GOV.UK Notify, or in a day's digest."""
    if message.status == Message.Status.DIGESTED and message.digest is not None:
        return _("In your daily digest of %(day)s") % {"day": _day(message.digest)}
    if message.status == Message.Status.HELD:
        return _("In your next daily digest")
    return str(message.get_channel_display())


def _day(message: Message) -> str:
    """The digest's day, as people read it: "Tuesday 1 December 2026"."""
    local = timezone.localtime(message.sent_at or message.created_at)
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B %Y')}"


def status_of(message: Message) -> str:
    """The message's state in words: sent, waiting, being retried (attempt N of M, and when), not sent."""
    status = message.status
    if status == Message.Status.SENT and message.sent_at is not None:
        return _("Sent at %(when)s") % {"when": when_text(message.sent_at)}
    if status == Message.Status.DIGESTED:
        if message.digest is not None and message.digest.sent_at is not None:
            return _("Sent in the daily digest at %(when)s") % {"when": when_text(message.digest.sent_at)}
        return _("Waiting to be sent in the daily digest")
    if status == Message.Status.HELD:
        return _("Waiting for your next daily digest, at the start of the working day")
    if status == Message.Status.SENDING:
        return _("Being sent now")
    if status == Message.Status.FAILED:
        return _("Not sent. Your partnership's administrators can see why, and send it again.")
    if message.attempts:
        return _("Being retried: attempt %(next)s of %(most)s at %(when)s") % {
            "next": message.attempts + 1,
            "most": MAX_ATTEMPTS,
            "when": when_text(message.next_attempt_at),
        }
    if message.next_attempt_at > timezone.now():
        return _("Waiting to be sent at %(when)s") % {"when": when_text(message.next_attempt_at)}
    return _("Waiting to be sent")
