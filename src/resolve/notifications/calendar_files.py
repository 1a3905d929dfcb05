"""A meeting's calendar invitation (.ics, RFC 5545 with iTIP's METHOD:REQUEST or CANCEL), made by ``icalendar``.

One VEVENT per meeting: its stored UID, the same in every update, and its SEQUENCE, one higher at
each move, so that a calendar replaces the meeting rather than adding another; DTSTART and DTEND in
UTC; a SUMMARY with the disagreement's short reference and the meeting's kind only (never anything
about the child); the place as LOCATION; the partnership as ORGANIZER (with Resolve's From address);
an ATTENDEE per invitee. The invitation is made from the meeting as it stands when the message is
sent: a message sent late (a retry after a move) carries the latest time, never an older one. A
cancelled meeting's file is iTIP's CANCEL (STATUS:CANCELLED, its SEQUENCE one higher again), which
takes it out of the invitees' calendars.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from resolve.disagreements.models import Meeting

PRODID = "-//Resolve//Professional resolution and escalation//EN"
FILENAME = "meeting.ics"


def organizer_address() -> str:
    """Resolve's From address (RESOLVE_EMAIL_FROM), without its display name."""
    return parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or "resolve@localhost"


def method_of(meeting: Meeting) -> str:
    return "CANCEL" if meeting.cancelled_at is not None else "REQUEST"


def mimetype(meeting: Meeting) -> str:
    """The attachment's content type, with the iTIP method that mail programs look for."""
    return f"text/calendar; method={method_of(meeting)}"


def summary_of(meeting: Meeting) -> str:
    return _("%(reference)s: %(title)s") % {"reference": meeting.disagreement.reference, "title": meeting.title}


def invitation(meeting: Meeting, *, now: datetime | None = None) -> bytes:
    """The meeting's invitation as it stands, as the bytes of a .ics file."""
    stamp = (now or timezone.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method_of(meeting))
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", summary_of(meeting))
    event.add("location", meeting.place)
    event.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = vText(meeting.disagreement.partnership.name)
    event.add("organizer", organizer)
    for person in meeting.invitees.filter(is_active=True).exclude(email="").order_by("name", "pk"):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()
