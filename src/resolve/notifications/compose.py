"""The words of a message: what happened, what is due and when (with its rule), and a link.

No child's name, date of birth or reference goes into a message: only the disagreement's short
reference (ESCP-2026-0001), which means nothing outside Resolve. The link opens the disagreement for
someone who may see it; being told opens nothing (DESIGN.md), so anyone else's link is to the page
of the messages sent to them. Sent outside working hours, a message gives the procedure's
out-of-hours contacts (Enfield's emergency duty team, L105).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.access.policy import can_see
from resolve.disagreements import rules
from resolve.disagreements.models import Meeting, Notice, StageDeadline
from resolve.notifications import calendar_files
from resolve.notifications.channels import Attachment
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import calendar_for
from resolve.procedures.contacts import out_of_hours_contacts

#: the subject's opening words for each kind of notice
SUBJECTS: dict[str, str | Promise] = {
    Notice.Kind.PROCEDURE: "",
    Notice.Kind.DEADLINE_COMING: gettext_lazy("Deadline coming"),
    Notice.Kind.DEADLINE_MISSED: gettext_lazy("Deadline missed"),
    Notice.Kind.OUTCOME_PROPOSED: gettext_lazy("Outcome proposed: please confirm"),
    Notice.Kind.FEEDBACK_GIVEN: gettext_lazy("Feedback given"),
    Notice.Kind.MEETING_SCHEDULED: gettext_lazy("Meeting scheduled"),
    Notice.Kind.MEETING_MOVED: gettext_lazy("Meeting moved"),
    Notice.Kind.MEETING_CANCELLED: gettext_lazy("Meeting cancelled"),
    Notice.Kind.ASKED_FURTHER: gettext_lazy("Asked to go further"),
    Notice.Kind.HANDED_OVER: gettext_lazy("Handed over to you"),
}


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str


def _base_url() -> str:
    return str(settings.RESOLVE_BASE_URL).rstrip("/")


def link_for(notice: Notice, person: Person) -> str:
    """The disagreement's page for someone who may see it; otherwise the page of their messages."""
    if can_see(person, notice.disagreement):
        return _base_url() + reverse("disagreement", args=[notice.disagreement_id])
    return _base_url() + reverse("messages")


def due_for(notice: Notice) -> list[StageDeadline]:
    """What is due at the notice's stage as it stands (its own deadline first, for a reminder)."""
    if notice.deadline is not None:
        return [notice.deadline]
    if notice.stage_run is None or notice.stage_run.ended_at is not None:
        return []
    return list(notice.stage_run.governing_deadlines().filter(due__isnull=False).order_by("due", "id"))


def when_text(at: datetime) -> str:
    """A moment as people read it in the UK: "5:00pm on Tuesday 1 December 2026"."""
    local = timezone.localtime(at)
    hour = local.strftime("%I:%M%p").lstrip("0").lower()
    return f"{hour} on {local.strftime('%A')} {local.day} {local.strftime('%B %Y')}"


#: why someone is told, for the notices that are not the procedure's own
WHY: dict[str, str | Promise] = {
    Notice.Kind.DEADLINE_COMING: gettext_lazy("Resolve reminds the people who handle the stage before a deadline."),
    Notice.Kind.DEADLINE_MISSED: gettext_lazy(
        "Resolve tells the people who handle the stage, and their line managers, when a deadline is missed."
    ),
    Notice.Kind.OUTCOME_PROPOSED: gettext_lazy(
        "Your agency is asked to confirm the written outcome, or to say why not."
    ),
    Notice.Kind.FEEDBACK_GIVEN: gettext_lazy("You raised this disagreement."),
    Notice.Kind.MEETING_SCHEDULED: gettext_lazy("You are invited to the meeting."),
    Notice.Kind.MEETING_MOVED: gettext_lazy("You are invited to the meeting."),
    Notice.Kind.ASKED_FURTHER: gettext_lazy("The person who raised it asks for it to go further."),
    Notice.Kind.HANDED_OVER: gettext_lazy("Someone who took part in it left, and their part was handed to you."),
}


def why_told(notice: Notice, procedure_name: str) -> str:
    """Why this person is told: the procedure's line, or what Resolve does for every procedure."""
    if notice.kind == Notice.Kind.PROCEDURE:
        return _("%(procedure)s says who is told (%(source)s).") % {
            "procedure": procedure_name,
            "source": notice.source,
        }
    return str(WHY.get(notice.kind, ""))


def compose(notice: Notice, person: Person, *, now: datetime) -> Composed:
    """The subject and body of ``notice`` for ``person``, as sent at ``now``."""
    disagreement = notice.disagreement
    procedure = rules.procedure_of(disagreement)
    calendar = calendar_for(disagreement.partnership)
    opening = SUBJECTS.get(notice.kind, "")
    subject = f"{disagreement.reference}: {opening or notice.what}"[:300]
    context = {
        "notice": notice,
        "person": person,
        "reference": disagreement.reference,
        "partnership": disagreement.partnership.name,
        "stage": notice.stage_run.name if notice.stage_run is not None else "",
        "due": [(d.what, when_text(d.due), d.rule) for d in due_for(notice) if d.due is not None],
        "link": link_for(notice, person),
        "contacts": out_of_hours_contacts(procedure, now, calendar=calendar),
        "urgent": notice.urgent,
        "why": why_told(notice, procedure.name),
    }
    body = render_to_string("notifications/message.txt", context)
    return Composed(subject=subject, body=body)


def compose_digest(person: Person, items: list[tuple[str, str]], *, now: datetime) -> Composed:
    """One message carrying the day's held messages: ``items`` are their subjects and bodies."""
    subject = _("Resolve: your daily digest, %(n)d messages") % {"n": len(items)}
    body = render_to_string(
        "notifications/digest.txt",
        {"person": person, "items": items, "link": _base_url() + reverse("messages"), "when": when_text(now)},
    )
    return Composed(subject=subject[:300], body=body)


#: the notices whose message carries the meeting's calendar invitation
MEETING_NOTICES = (Notice.Kind.MEETING_SCHEDULED, Notice.Kind.MEETING_MOVED, Notice.Kind.MEETING_CANCELLED)


def attachments_for(notice: Notice, person: Person) -> list[Attachment]:
    """Files a message carries: a meeting's invitation (.ics) when scheduled or moved, its CANCEL when cancelled."""
    if notice.kind not in MEETING_NOTICES or notice.meeting_id is None:
        return []
    meeting = Meeting.objects.select_related("disagreement__partnership").get(pk=notice.meeting_id)
    return [Attachment(calendar_files.FILENAME, calendar_files.invitation(meeting), calendar_files.mimetype(meeting))]
