"""Meetings scheduled for a disagreement, and moved: its invitees are told, with a calendar invitation.

What a stage calls its meeting comes from the procedure's own words at that stage (Enfield's
professionals meeting, L62; NEL's multi-agency review and mediation meeting, L79-85; a reconvened
conference, L165): ``meeting_kinds`` finds them, and every stage also offers a plain "Meeting".

``meeting_schedule`` and ``meeting_move`` are one transaction each, with the disagreement locked:
the policy first (``SCHEDULE_MEETING``: the stage's handlers and whoever may record at it), then an
open disagreement, then every value. Each writes an audit event (identifiers and times only: the
place is free text, kept on the meeting) and a notice to the invitees, which the sender turns into
an e-mail with the meeting's .ics (``resolve.notifications.calendar_files``). Moved, it is the same
meeting: the same iCalendar UID, its SEQUENCE one higher. ``meeting_cancel`` tells them it is off
(an iCalendar CANCEL); a cancelled meeting is neither moved nor cancelled again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Meeting, Notice, StageRun
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    current_run,
    lock,
    people_given,
    require_member,
    require_open,
    required_text,
)
from resolve.partnerships.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

#: how far in the past a start may be: the time it takes to fill in the page
PAST_SLACK = timedelta(minutes=1)
#: how far ahead a meeting may be scheduled: a later date is a mistyped year (an input bound, no timescale)
FURTHEST = timedelta(days=366)
#: the longest meeting: a full day's conference
LONGEST = timedelta(hours=12)
#: the kind every stage offers
PLAIN = "meeting"


@dataclass(frozen=True)
class MeetingKind:
    """What a stage calls one of its meetings, and where the procedure says so ("" for a plain meeting)."""

    slug: str
    name: str
    source: str = ""


#: meetings the seed procedures name, found in a stage's own words: (slug, pattern, name)
NAMED: tuple[tuple[str, re.Pattern[str], StrPromise], ...] = (
    (
        "professionals-meeting",
        re.compile(r"professionals'? meeting", re.IGNORECASE),
        gettext_lazy("Professionals meeting"),
    ),
    ("round-table", re.compile(r"round table discussion", re.IGNORECASE), gettext_lazy("Round table discussion")),
    (
        "multi-agency-review",
        re.compile(r"multi[- ]agency (review|discussion to review)", re.IGNORECASE),
        gettext_lazy("Multi-agency review meeting"),
    ),
    ("mediation-meeting", re.compile(r"mediation meeting", re.IGNORECASE), gettext_lazy("Mediation meeting")),
    (
        "child-protection-conference",
        re.compile(r"(child protection|reconvened) conference", re.IGNORECASE),
        gettext_lazy("Child protection conference"),
    ),
)


def meeting_kinds(run: StageRun) -> list[MeetingKind]:
    """The meetings ``run``'s stage names, in the procedure's words, then a plain "Meeting"."""
    stage = rules.stage_of(run)
    texts: list[tuple[str, str]] = [
        (stage.name, stage.source),
        (stage.summary, stage.source),
        (stage.handlers.description, stage.handlers.source),
        *((f"{t.what} {t.words or ''}", t.source) for t in stage.timescales),
        *((r.title, r.source) for r in stage.records),
        *((n.what, n.source) for n in stage.notifications),
    ]
    found: list[MeetingKind] = []
    for slug, pattern, name in NAMED:
        source = next((src for text, src in texts if pattern.search(text)), None)
        if source is not None:
            found.append(MeetingKind(slug, str(name), source))
    if not found:
        # a meeting record the stage requires, in words none of the above match: a multi-agency meeting
        record = next((r for r in stage.records if r.kind == "meeting_record"), None)
        if record is not None:
            found.append(MeetingKind("multi-agency-meeting", _("Multi-agency meeting"), record.source))
    found.append(MeetingKind(PLAIN, _("Meeting")))
    return found


def meeting_in(disagreement: Disagreement, pk: uuid.UUID | str) -> Meeting:
    """One meeting of this disagreement (read through ``disagreement_get``); any other id is "not found"."""
    try:
        meeting = Meeting.objects.select_related("stage_run").get(pk=pk, disagreement=disagreement)
    except (Meeting.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("There is no such meeting in this disagreement.")) from None
    meeting.disagreement = disagreement
    return meeting


def when_words(starts_at: datetime, ends_at: datetime) -> str:
    """A meeting's time as people read it in the UK: "2:00pm to 3:30pm on Tuesday 8 December 2026"."""

    def hour(moment: datetime) -> str:
        return moment.strftime("%I:%M%p").lstrip("0").lower()

    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = f"{start.strftime('%A')} {start.day} {start.strftime('%B %Y')}"
    if start.date() == end.date():
        return _("%(start)s to %(end)s on %(day)s") % {"start": hour(start), "end": hour(end), "day": day}
    last = f"{end.strftime('%A')} {end.day} {end.strftime('%B %Y')}"
    return _("%(start)s on %(day)s to %(end)s on %(last)s") % {
        "start": hour(start),
        "day": day,
        "end": hour(end),
        "last": last,
    }


def _moment(value: object, field: str, label: str) -> datetime:
    if not isinstance(value, datetime):
        raise ResolveError(_("%(label)s must be a date and a time.") % {"label": label}, field=field)
    if timezone.is_naive(value):
        raise ResolveError(_("%(label)s must include a time zone.") % {"label": label}, field=field)
    return value


def _times(starts: object, ends: object, *, now: datetime) -> tuple[datetime, datetime]:
    starts_at = _moment(starts, "starts_at", _("When it starts"))
    ends_at = _moment(ends, "ends_at", _("When it ends"))
    if starts_at < now - PAST_SLACK:
        raise ResolveError(_("The meeting cannot start in the past: give a time from now on."), field="starts_at")
    if starts_at > now + FURTHEST:
        raise ResolveError(
            _("The meeting cannot be more than a year ahead: check the year."),
            field="starts_at",
        )
    if ends_at <= starts_at:
        raise ResolveError(_("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > LONGEST:
        raise ResolveError(_("A meeting cannot last more than 12 hours: check the end."), field="ends_at")
    return starts_at, ends_at


def _place(place: object) -> str:
    return required_text(
        place, "place", _("where the meeting is, or how to join it"), limit=Meeting._meta.get_field("place")
    )


def _invitees(disagreement: Disagreement, invitees: object) -> list[Person]:
    people = people_given(invitees, "invitees", _("who is invited"))
    if not people:
        raise ResolveError(_("Choose who is invited to the meeting."), field="invitees")
    for person in people:
        try:
            require_member(disagreement.partnership, person, person.name)
        except ResolveError as error:
            error.field = "invitees"
            raise
    return list({p.pk: p for p in people}.values())


def _tell(meeting: Meeting, *, kind: str, what: str, by: Person, at: datetime) -> None:
    """The notice to the invitees; its e-mail carries the meeting's .ics (never held for a digest, which cannot)."""
    source = _("You were invited to this meeting.")
    if meeting.source:
        source = _("You were invited to this meeting, which the procedure names (%(source)s).") % {
            "source": meeting.source
        }
    notice = stages.notice_send(
        disagreement=meeting.disagreement,
        run=meeting.stage_run,
        to="invitees",
        what=what,
        recipients=list(meeting.invitees.all()),
        source=source,
        by=by,
        at=at,
        kind=kind,
        urgent=True,
    )
    assert notice is not None  # no key: always written
    # in the transaction that wrote it, before any worker can read it (its delivery waits for the commit)
    Notice.objects.filter(pk=notice.pk).update(meeting=meeting)


def _what(meeting: Meeting, opening: str) -> str:
    return _("%(opening)s: %(title)s, %(when)s. Where: %(place)s") % {
        "opening": opening,
        "title": meeting.title,
        "when": when_words(meeting.starts_at, meeting.ends_at),
        "place": meeting.place,
    }


@service
def meeting_schedule(
    *,
    disagreement: Disagreement,
    by: Person,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    invitees: Sequence[Person],
) -> Meeting:
    """Schedule a meeting at the current stage and invite people to it: they are sent a calendar invitation."""
    disagreement = lock(disagreement)
    require(by, Can.SCHEDULE_MEETING, disagreement)
    require_open(disagreement, _("changed"))
    run = current_run(disagreement)
    kinds = {k.slug: k for k in meeting_kinds(run)}
    if not isinstance(kind, str) or kind not in kinds:
        raise ResolveError(
            _("Choose what kind of meeting it is: %(kinds)s.") % {"kinds": ", ".join(k.name for k in kinds.values())},
            field="kind",
        )
    now = timezone.now()
    starts_at, ends_at = _times(starts_at, ends_at, now=now)
    place = _place(place)
    people = _invitees(disagreement, invitees)
    chosen = kinds[kind]
    meeting = Meeting.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=chosen.slug,
        title=chosen.name[:120],
        source=chosen.source[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        uid=f"{uuid.uuid4()}@resolve",
        sequence=0,
        scheduled_by=by,
        scheduled_at=now,
    )
    meeting.invitees.set(people)
    disagreement_event(
        disagreement,
        Verb.MEETING_SCHEDULED,
        by=by,
        at=now,
        meeting=str(meeting.pk),
        stage=run.stage,
        kind=meeting.kind,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
        invitees=[str(p.pk) for p in people],
    )
    _tell(meeting, kind=Notice.Kind.MEETING_SCHEDULED, what=_what(meeting, _("Meeting scheduled")), by=by, at=now)
    return meeting


def _still_on(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        when = timezone.localtime(meeting.cancelled_at).strftime("%d %B %Y")
        raise Refused(_("This meeting was cancelled on %(when)s: schedule a new one instead.") % {"when": when})


@service
def meeting_move(*, meeting: Meeting, by: Person, starts_at: datetime, ends_at: datetime, place: str) -> Meeting:
    """Move a meeting to a new time or place: the same meeting, its invitees sent the update."""
    disagreement = lock(meeting.disagreement)
    require(by, Can.SCHEDULE_MEETING, disagreement)
    require_open(disagreement, _("changed"))
    meeting = Meeting.objects.select_for_update().select_related("stage_run").get(pk=meeting.pk)
    meeting.disagreement = disagreement
    _still_on(meeting)
    now = timezone.now()
    starts_at, ends_at = _times(starts_at, ends_at, now=now)
    place = _place(place)
    if (starts_at, ends_at, place) == (meeting.starts_at, meeting.ends_at, meeting.place):
        raise ResolveError(
            _("Give a new time or a new place: this is when and where the meeting already is."), field="starts_at"
        )
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    meeting.sequence += 1
    meeting.moved_at = now
    meeting.save(update_fields=["starts_at", "ends_at", "place", "sequence", "moved_at"])
    disagreement_event(
        disagreement,
        Verb.MEETING_MOVED,
        by=by,
        at=now,
        meeting=str(meeting.pk),
        stage=meeting.stage_run.stage,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
        sequence=meeting.sequence,
    )
    _tell(meeting, kind=Notice.Kind.MEETING_MOVED, what=_what(meeting, _("Meeting moved")), by=by, at=now)
    return meeting


@service
def meeting_cancel(*, meeting: Meeting, by: Person, reason: str) -> Meeting:
    """Cancel a meeting: its invitees are told it is off (their calendars drop it); the reason is kept, not sent."""
    disagreement = lock(meeting.disagreement)
    require(by, Can.SCHEDULE_MEETING, disagreement)
    require_open(disagreement, _("changed"))
    meeting = Meeting.objects.select_for_update().select_related("stage_run").get(pk=meeting.pk)
    meeting.disagreement = disagreement
    _still_on(meeting)
    reason = required_text(reason, "reason", _("why the meeting is cancelled"))
    now = timezone.now()
    meeting.cancelled_at, meeting.cancelled_by, meeting.cancel_reason = now, by, reason
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "sequence"])
    disagreement_event(
        disagreement,
        Verb.MEETING_CANCELLED,
        by=by,
        at=now,
        meeting=str(meeting.pk),
        stage=meeting.stage_run.stage,
        starts_at=meeting.starts_at.isoformat(),
        ends_at=meeting.ends_at.isoformat(),
        sequence=meeting.sequence,
    )
    what = _("Meeting cancelled: %(title)s, %(when)s, will not take place.") % {
        "title": meeting.title,
        "when": when_words(meeting.starts_at, meeting.ends_at),
    }
    _tell(meeting, kind=Notice.Kind.MEETING_CANCELLED, what=what, by=by, at=now)
    return meeting
