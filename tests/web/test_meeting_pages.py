"""The meeting pages (resolve.web.act.meetings): scheduling and moving, and the meetings on the disagreement's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Meeting, Notice
from tests.conftest import Cast
from tests.disagreements.test_meetings import at_stage_2
from tests.disagreements.test_services import raise_one
from tests.web.test_action_pages import main_of, seen_value, text
from tests.web.test_home import signed_in
from tests.web.test_record_pages import boxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def tomorrow(hour: int) -> datetime:
    return (datetime.now(LONDON) + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def schedule_one(cast: Cast, d: Disagreement) -> Meeting:
    return services.meeting_schedule(
        disagreement=d,
        by=cast.at("school", 2),
        kind="meeting",
        starts_at=tomorrow(10),
        ends_at=tomorrow(11),
        place="Room 4, Civic Centre",
        invitees=[cast.at("school", 2), cast.at("csc", 1)],
    )


def test_the_head_of_service_schedules_the_professionals_meeting_and_the_page_lists_it(enfield: Cast) -> None:
    d = at_stage_2(enfield)
    head = enfield.at("school", 3)
    client = signed_in(head)
    page = text(client.get(reverse("disagreement", args=[d.pk])))
    url = reverse("disagreement_meeting_schedule", args=[d.pk])
    assert f'href="{url}"' in page
    assert "No meetings have been scheduled." in page
    form = text(client.get(url))
    assert "Schedule a meeting" in form
    assert "Professionals meeting" in form
    assert "The procedure names it at this stage (L62-66)." in form
    assert "Do not include the child's name" in form
    assert "health level 1" not in form  # only the agencies in dispute and those taking part can be invited
    response = client.post(
        url,
        {
            "kind": "professionals-meeting",
            **boxes("starts_at", tomorrow(14)),
            "duration": "90",
            "place": "Room 4, Civic Centre",
            "invitees": [str(head.pk), str(enfield.at("csc", 4).pk)],
            "seen": seen_value(form),
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    shown = text(response)
    assert "The meeting has been scheduled, and everyone invited has been sent an invitation." in shown
    meeting = Meeting.objects.get()
    assert (meeting.starts_at, meeting.ends_at) == (tomorrow(14), tomorrow(14) + timedelta(minutes=90))
    assert Notice.objects.filter(meeting=meeting, kind=Notice.Kind.MEETING_SCHEDULED).count() == 1
    listed = main_of(response).split(">Meetings<", 1)[1].split(">Agreed actions<", 1)[0]
    assert "Professionals meeting" in listed
    assert "2:00pm to 3:30pm" in listed
    assert "Where: Room 4, Civic Centre" in listed
    assert "csc level 4" in listed
    assert "school level 3" in listed
    assert reverse("disagreement_meeting_move", args=[d.pk, meeting.pk]) in listed
    assert "Meeting scheduled" in shown  # the timeline


def test_moving_keeps_the_meeting_and_says_so_on_the_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule_one(enfield, d)
    client = signed_in(enfield.at("csc", 1))
    url = reverse("disagreement_meeting_move", args=[d.pk, meeting.pk])
    form = text(client.get(url))
    assert "Move the meeting" in form
    assert "10:00am to 11:00am" in form  # when it is now
    assert 'value="Room 4, Civic Centre"' in form  # what is there now, to change
    response = client.post(
        url,
        {**boxes("starts_at", tomorrow(15)), "duration": "60", "place": "Video call", "seen": seen_value(form)},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "The meeting has been moved" in text(response)
    assert "moved once" in text(response)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place, meeting.sequence) == (tomorrow(15), "Video call", 1)
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose what kind of meeting it is"),
        ({"kind": "professionals-meeting"}, "kind", "Choose what kind of meeting it is"),  # not at stage 1
        ({"starts_at_3": ""}, "starts_at", "The date of the meeting must include a time"),
        ({"starts_at_2": "2020"}, "starts_at", "The meeting cannot start in the past"),
        ({"duration": "7"}, "duration", "Choose how long the meeting will last"),
        ({"place": ""}, "place", "Enter where the meeting is, or how to join it"),
        ({"invitees": []}, "invitees", "Choose who is invited to the meeting"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_schedules_nothing(
    enfield: Cast, change: dict[str, object], field: str, message: str
) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_meeting_schedule", args=[d.pk])
    form = text(client.get(url))
    data: dict[str, object] = {
        "kind": "meeting",
        **boxes("starts_at", tomorrow(10)),
        "duration": "60",
        "place": "Room 4",
        "invitees": [str(enfield.at("csc", 1).pk)],
        "seen": seen_value(form),
    }
    data.update(change)
    response = client.post(url, data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert f'href="#id_{field}' in page  # the error summary links to the field
    assert not Meeting.objects.exists()
    assert not Notice.objects.filter(kind=Notice.Kind.MEETING_SCHEDULED).exists()


def test_moving_it_into_the_past_is_a_400_and_the_meeting_stays_where_it_was(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule_one(enfield, d)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_meeting_move", args=[d.pk, meeting.pk])
    form = text(client.get(url))
    past = datetime.now(LONDON) - timedelta(days=1)
    response = client.post(
        url, {**boxes("starts_at", past), "duration": "60", "place": "Video call", "seen": seen_value(form)}
    )
    assert response.status_code == 400
    assert "The meeting cannot start in the past" in text(response)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place, meeting.sequence) == (tomorrow(10), "Room 4, Civic Centre", 0)


def test_someone_who_sees_it_but_may_not_schedule_gets_a_403_and_no_link(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule_one(enfield, d)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Resolved informally.")
    client = signed_in(enfield.at("school", 2))
    page = text(client.get(reverse("disagreement", args=[d.pk])))
    assert "Room 4, Civic Centre" in page  # still listed
    assert reverse("disagreement_meeting_move", args=[d.pk, meeting.pk]) not in page
    assert reverse("disagreement_meeting_schedule", args=[d.pk]) not in page
    for url in (
        reverse("disagreement_meeting_schedule", args=[d.pk]),
        reverse("disagreement_meeting_move", args=[d.pk, meeting.pk]),
    ):
        refused = client.get(url)
        assert refused.status_code == 403
        assert "This disagreement is closed" in text(refused)
        assert client.post(url, {"seen": "0", "place": "Online"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_a_disagreement_the_person_cannot_see_and_a_meeting_of_another_are_404(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule_one(enfield, d)
    outsider = signed_in(enfield.at("health", 2))
    assert outsider.get(reverse("disagreement_meeting_schedule", args=[d.pk])).status_code == 404
    assert outsider.get(reverse("disagreement_meeting_move", args=[d.pk, meeting.pk])).status_code == 404
    other = raise_one(enfield, by=("police", 1))
    raiser = signed_in(enfield.at("police", 1))
    assert raiser.get(reverse("disagreement_meeting_move", args=[other.pk, meeting.pk])).status_code == 404
    assert not Notice.objects.filter(kind=Notice.Kind.MEETING_MOVED).exists()


def test_cancelling_from_the_page_needs_a_reason_then_tells_everyone_and_offers_nothing_more(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule_one(enfield, d)
    client = signed_in(enfield.at("school", 2))
    page = text(client.get(reverse("disagreement", args=[d.pk])))
    url = reverse("disagreement_meeting_cancel", args=[d.pk, meeting.pk])
    assert f'href="{url}"' in page
    form = text(client.get(url))
    assert "Cancel the meeting" in form
    assert "told it is cancelled" in form
    empty = client.post(url, {"reason": "", "seen": seen_value(form)})
    assert empty.status_code == 400
    assert "Enter why the meeting is cancelled" in text(empty)
    assert 'href="#id_reason"' in text(empty)
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None
    response = client.post(url, {"reason": "Agreed by telephone.", "seen": seen_value(form)}, follow=True)
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    shown = text(response)
    assert "The meeting has been cancelled, and everyone invited has been told." in shown
    listed = main_of(response).split(">Meetings<", 1)[1].split(">Agreed actions<", 1)[0]
    assert "Cancelled" in listed
    assert url not in listed
    assert reverse("disagreement_meeting_move", args=[d.pk, meeting.pk]) not in listed
    for again in (url, reverse("disagreement_meeting_move", args=[d.pk, meeting.pk])):
        refused = client.get(again)
        assert refused.status_code == 403
        assert "This meeting was cancelled on" in text(refused)
    assert Notice.objects.filter(kind=Notice.Kind.MEETING_CANCELLED).count() == 1
