"""A meeting's invitation arrives by e-mail with its .ics; a move sends an update to the same calendar entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Meeting
from resolve.notifications.models import Message
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.notifications.conftest import Inbox, Received

pytestmark = pytest.mark.django_db


def start(hour: int) -> datetime:
    return (datetime.now(LONDON) + timedelta(days=2)).replace(hour=hour, minute=30, second=0, microsecond=0)


def invitation(received: Received) -> Calendar:
    (ics,) = [(content, kind) for name, content, kind in received.attachments() if name == "meeting.ics"]
    content, kind = ics
    assert kind == "text/calendar"
    assert received.message.get_body(preferencelist=("plain",)) is not None
    return Calendar.from_ical(content)


def event_of(calendar: Calendar) -> dict[str, Any]:
    (event,) = calendar.walk("VEVENT")
    return {
        "uid": str(event["UID"]),
        "sequence": int(str(event["SEQUENCE"])),
        "start": event.decoded("DTSTART"),
        "end": event.decoded("DTEND"),
        "summary": str(event["SUMMARY"]),
        "location": str(event["LOCATION"]),
        "organizer": str(event["ORGANIZER"]),
        "attendees": sorted(str(a) for a in event.get("ATTENDEE", [])),
        "stamped": "DTSTAMP" in event,
    }


def scheduled(cast: Cast, d: Disagreement) -> Meeting:
    return services.meeting_schedule(
        disagreement=d,
        by=cast.at("school", 2),
        kind="meeting",
        starts_at=start(10),
        ends_at=start(11),
        place="Room 4, Civic Centre",
        invitees=[cast.at("school", 2), cast.at("csc", 2)],
    )


def test_the_invitation_arrives_with_its_ics_a_move_updates_the_same_entry_and_a_cancel_removes_it(
    cast_for: Callable[[str], Cast], smtp: Inbox, work: Callable[[], None]
) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    work()
    smtp.received.clear()  # the procedure's own notices of the raising
    meeting = scheduled(cast, d)
    work()
    invitees = {cast.at("school", 2).email, cast.at("csc", 2).email}
    assert {a for r in smtp.received for a in r.rcpt_tos} == invitees
    first = smtp.to(cast.at("csc", 2).email)[0]
    assert d.reference in first.subject
    assert "Meeting scheduled" in first.subject
    assert "Room 4, Civic Centre" in first.body  # Notify cannot attach a file: the words say when and where too
    sent = event_of(invitation(first))
    assert sent["uid"] == meeting.uid
    assert sent["sequence"] == 0
    assert sent["start"] == start(10).astimezone(UTC)
    assert sent["end"] == start(11).astimezone(UTC)
    assert sent["summary"] == f"{d.reference}: Meeting"
    assert d.child.reference not in sent["summary"]
    assert sent["location"] == "Room 4, Civic Centre"
    assert sent["organizer"].startswith("mailto:")
    assert sent["attendees"] == sorted(f"mailto:{a}" for a in invitees)
    assert sent["stamped"]
    raw = b"".join(content for _n, content, _k in first.attachments())
    assert b"METHOD:REQUEST" in raw
    assert b"DTSTART:" in raw
    assert b"Z\r\n" in raw

    smtp.received.clear()
    services.meeting_move(
        meeting=meeting, by=cast.at("csc", 2), starts_at=start(14), ends_at=start(15), place="Video call"
    )
    work()
    assert {a for r in smtp.received for a in r.rcpt_tos} == invitees
    update = smtp.to(cast.at("school", 2).email)[0]
    assert "Meeting moved" in update.subject
    moved = event_of(invitation(update))
    assert moved["uid"] == meeting.uid  # the same calendar entry
    assert moved["sequence"] == 1  # which replaces the one before
    assert moved["start"] == start(14).astimezone(UTC)
    assert moved["location"] == "Video call"

    smtp.received.clear()
    services.meeting_cancel(meeting=meeting, by=cast.at("school", 2), reason="Agreed by telephone instead.")
    work()
    assert {a for r in smtp.received for a in r.rcpt_tos} == invitees
    off = smtp.to(cast.at("csc", 2).email)[0]
    assert "Meeting cancelled" in off.subject
    assert "Agreed by telephone" not in off.body
    calendar = invitation(off)
    assert str(calendar["METHOD"]) == "CANCEL"
    cancelled = event_of(calendar)
    assert (cancelled["uid"], cancelled["sequence"]) == (meeting.uid, 2)
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    (_name, _content, kind) = off.attachments()[0]
    assert kind == "text/calendar"


def test_someone_who_takes_a_daily_digest_still_gets_the_invitation_with_its_calendar_file_at_once(
    cast_for: Callable[[str], Cast], smtp: Inbox, work: Callable[[], None]
) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    reader = cast.at("csc", 2)
    reader.daily_digest = True
    reader.save()
    work()
    smtp.received.clear()
    scheduled(cast, d)
    work()
    (got,) = smtp.to(reader.email)
    assert invitation(got)
    assert not Message.objects.filter(person=reader, status=Message.Status.HELD, notice__meeting__isnull=False).exists()
