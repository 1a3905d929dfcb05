"""Scheduling and moving a disagreement's meetings: who may, what is checked, and who is told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from resolve.access.policy import Action, allowed
from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Meeting, Notice
from resolve.disagreements.services.meetings import meeting_kinds
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def at_stage_2(cast: Cast) -> Disagreement:
    """Enfield's stage 2, whose Head of Service holds a professionals meeting (L62)."""
    d = raise_one(cast)
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", 2),
        held_at=datetime.now(LONDON),
        method="telephone",
        summary="Views differ on the threshold.",
        with_people=[cast.at("csc", 2)],
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 2), reason="Still unresolved.")
    return d


def tomorrow(hour: int = 14) -> datetime:
    return (datetime.now(LONDON) + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def schedule(cast: Cast, d: Disagreement, **changes: object) -> Meeting:
    values: dict[str, object] = {
        "disagreement": d,
        "by": cast.at("school", 3),
        "kind": "meeting",
        "starts_at": tomorrow(),
        "ends_at": tomorrow() + timedelta(hours=1),
        "place": "Room 4, Civic Centre",
        "invitees": [cast.at("school", 3), cast.at("csc", 4)],
    }
    values.update(changes)
    return services.meeting_schedule(**values)  # type: ignore[arg-type]


def test_stage_2_offers_the_professionals_meeting_the_procedure_names_and_a_plain_meeting(enfield: Cast) -> None:
    d = at_stage_2(enfield)
    kinds = meeting_kinds(d.stage_runs.get(ended_at__isnull=True))
    assert [(k.slug, k.name, k.source) for k in kinds] == [
        ("professionals-meeting", "Professionals meeting", "L62-66"),
        ("meeting", "Meeting", ""),
    ]
    assert [k.slug for k in meeting_kinds(raise_one(enfield).stage_runs.get())] == ["meeting"]


def test_a_professionals_meeting_is_scheduled_with_its_invitees_told_and_the_timeline_says_so(enfield: Cast) -> None:
    d = at_stage_2(enfield)
    head = enfield.at("school", 3)
    meeting = schedule(enfield, d, kind="professionals-meeting", by=head)
    assert meeting.title == "Professionals meeting"
    assert meeting.source == "L62-66"
    assert meeting.sequence == 0
    assert meeting.uid
    assert set(meeting.invitees.all()) == {head, enfield.at("csc", 4)}
    (notice,) = Notice.objects.filter(kind=Notice.Kind.MEETING_SCHEDULED)
    assert notice.meeting == meeting
    assert set(notice.recipients.all()) == {head, enfield.at("csc", 4)}
    assert "Professionals meeting" in notice.what
    assert "2:00pm to 3:00pm" in notice.what
    assert "Room 4, Civic Centre" in notice.what
    event = Event.objects.get(verb=Verb.MEETING_SCHEDULED)
    assert event.data["meeting"] == str(meeting.pk)
    assert "Room 4" not in str(event.data)  # the trail keeps identifiers and times, not the free text


def test_moving_keeps_the_same_meeting_and_its_uid_one_sequence_higher_and_tells_the_invitees(enfield: Cast) -> None:
    d = at_stage_2(enfield)
    meeting = schedule(enfield, d)
    uid = meeting.uid
    later = tomorrow(16)
    moved = services.meeting_move(
        meeting=meeting, by=enfield.at("csc", 4), starts_at=later, ends_at=later + timedelta(minutes=90), place="Online"
    )
    assert moved.pk == meeting.pk
    assert Meeting.objects.count() == 1
    moved.refresh_from_db()
    assert (moved.uid, moved.sequence, moved.starts_at, moved.place) == (uid, 1, later, "Online")
    notice = Notice.objects.get(kind=Notice.Kind.MEETING_MOVED)
    assert notice.meeting == meeting
    assert "4:00pm to 5:30pm" in notice.what
    assert set(notice.recipients.all()) == set(meeting.invitees.all())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "tomorrow"}, "ends_at"),
        ({"starts_at": datetime(2030, 1, 1, 10)}, "starts_at"),  # no time zone
        ({"starts_at": datetime.now(LONDON) - timedelta(minutes=5)}, "starts_at"),
        ({"starts_at": datetime.now(LONDON) + timedelta(days=400)}, "starts_at"),
        ({"ends_at": tomorrow() - timedelta(minutes=30)}, "ends_at"),
        ({"ends_at": tomorrow()}, "ends_at"),
        ({"ends_at": tomorrow() + timedelta(hours=13)}, "ends_at"),
        ({"place": "   "}, "place"),
        ({"place": "x" * 501}, "place"),
        ({"place": "a\x00b"}, "place"),
        ({"kind": "tea-party"}, "kind"),
        ({"kind": "professionals-meeting"}, "kind"),  # stage 1 names none
        ({"invitees": []}, "invitees"),
        ({"invitees": "everyone"}, "invitees"),
    ],
)
def test_each_bad_value_is_refused_naming_its_field_and_changes_nothing(
    enfield: Cast, changes: dict[str, object], field: str
) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        schedule(enfield, d, **changes)
    assert refused.value.field == field
    assert not Meeting.objects.exists()


def test_a_start_a_few_seconds_ago_is_taken_the_time_it_takes_to_fill_in_the_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    start = datetime.now(LONDON) - timedelta(seconds=30)
    assert schedule(enfield, d, starts_at=start, ends_at=start + timedelta(hours=1)).starts_at == start


@pytest.mark.parametrize("who", ["inactive", "another partnership"])
def test_an_invitee_must_be_active_and_in_the_partnership(enfield: Cast, who: str) -> None:
    d = raise_one(enfield)
    if who == "inactive":
        invitee = PersonFactory.create(partnership=enfield.partnership, agency=enfield.agencies["csc"], is_active=False)
    else:
        invitee = PersonFactory.create()
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        schedule(enfield, d, invitees=[enfield.at("csc", 1), invitee])
    assert refused.value.field == "invitees"
    assert invitee.name in refused.value.message


def test_the_stage_handlers_and_the_agencies_in_dispute_may_schedule_others_may_not(enfield: Cast) -> None:
    d = raise_one(enfield)
    for person in (enfield.at("school", 1), enfield.at("csc", 1), enfield.at("school", 2)):
        assert allowed(person, Action.SCHEDULE_MEETING, d)
    outsider = enfield.at("health", 5)  # an uninvolved agency does not even see it
    assert not allowed(outsider, Action.SCHEDULE_MEETING, d)
    with nothing_changes(), pytest.raises(NotFound):
        schedule(enfield, d, by=outsider)
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider).count() == 1


def test_a_closed_disagreements_meetings_cannot_be_scheduled_or_moved(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule(enfield, d)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Resolved informally.")
    d.refresh_from_db()
    assert not allowed(enfield.at("school", 3), Action.SCHEDULE_MEETING, d)
    with nothing_changes(), pytest.raises(Refused):
        schedule(enfield, d)
    with nothing_changes(), pytest.raises(Refused):
        services.meeting_move(
            meeting=meeting, by=enfield.at("school", 3), starts_at=tomorrow(9), ends_at=tomorrow(10), place="Online"
        )


def test_moving_to_the_same_time_and_place_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule(enfield, d)
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        services.meeting_move(
            meeting=meeting,
            by=enfield.at("school", 3),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
        )
    assert refused.value.field == "starts_at"


def test_cancelling_keeps_the_reason_tells_the_invitees_and_the_meeting_can_then_neither_move_nor_cancel(
    enfield: Cast,
) -> None:
    d = raise_one(enfield)
    meeting = schedule(enfield, d)
    cancelled = services.meeting_cancel(meeting=meeting, by=enfield.at("csc", 1), reason="Agreed by phone instead.")
    assert cancelled.cancelled_at is not None
    assert (cancelled.cancelled_by, cancelled.cancel_reason, cancelled.sequence) == (
        enfield.at("csc", 1),
        "Agreed by phone instead.",
        1,
    )
    notice = Notice.objects.get(kind=Notice.Kind.MEETING_CANCELLED)
    assert notice.meeting == meeting
    assert set(notice.recipients.all()) == set(meeting.invitees.all())
    assert "Agreed by phone" not in notice.what  # the reason is kept, never sent
    assert Event.objects.filter(verb=Verb.MEETING_CANCELLED).count() == 1
    with nothing_changes(), pytest.raises(Refused, match="was cancelled"):
        services.meeting_move(
            meeting=meeting, by=enfield.at("school", 3), starts_at=tomorrow(9), ends_at=tomorrow(10), place="Online"
        )
    with nothing_changes(), pytest.raises(Refused, match="was cancelled"):
        services.meeting_cancel(meeting=meeting, by=enfield.at("school", 3), reason="Again.")


def test_cancelling_needs_a_reason(enfield: Cast) -> None:
    d = raise_one(enfield)
    meeting = schedule(enfield, d)
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        services.meeting_cancel(meeting=meeting, by=enfield.at("school", 3), reason="  ")
    assert refused.value.field == "reason"
