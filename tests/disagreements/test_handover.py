"""Someone leaving (person_leave): their open work goes to a named successor, recorded on each timeline,
and they are deactivated with their account; refusals change nothing; person_restore brings them back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.access.policy import Action, allowed, can_see
from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import rules, services
from resolve.disagreements.models import Disagreement, Meeting, Notice, Participant
from resolve.disagreements.work import open_work_of
from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, give_account, sign_in, signed_in
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin(enfield: Cast) -> Any:
    user = get_user_model().objects.create_user("admin", "admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    return user


def tomorrow() -> datetime:
    return (datetime.now(LONDON) + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)


def with_open_work(cast: Cast) -> tuple[Disagreement, Disagreement, Any, Meeting]:
    """School level 1 raised two disagreements, owns an action on the first and is invited to a meeting on it."""
    raiser = cast.at("school", 1)
    first = raise_one(cast)
    second = raise_one(cast, against=("police",))
    action = services.action_add(disagreement=first, by=raiser, description="Send the referral.", owner=raiser)
    meeting = services.meeting_schedule(
        disagreement=first,
        by=raiser,
        kind="meeting",
        starts_at=tomorrow(),
        ends_at=tomorrow() + timedelta(hours=1),
        place="Room 4",
        invitees=[raiser, cast.at("csc", 1)],
    )
    return first, second, action, meeting


def test_open_work_shows_every_part_action_and_meeting(enfield: Cast) -> None:
    first, second, action, meeting = with_open_work(enfield)
    work = open_work_of(person=enfield.at("school", 1))
    assert [p.disagreement for p in work.parts] == sorted([first, second], key=lambda d: d.reference)
    part = next(p for p in work.parts if p.disagreement == first)
    assert part.capacities == [Participant.Capacity.RAISER]
    assert (part.actions, part.meetings) == (1, 1)
    assert work.actions == [action]
    assert work.meetings == [meeting]


def test_handing_over_moves_everything_and_records_it_on_each_timeline(enfield: Cast, admin: Any) -> None:
    first, second, action, meeting = with_open_work(enfield)
    leaving, manager = enfield.at("school", 1), enfield.at("school", 2)
    done = services.person_leave(person=leaving, successor=manager, by=admin)
    assert (done.disagreements, done.actions, done.meetings) == (2, 1, 1)
    for d in (first, second):
        assert Participant.objects.filter(disagreement=d, person=manager, capacity="raiser").exists()
        event = Event.objects.get(disagreement=d, verb=Verb.HANDED_OVER)
        assert event.data["person"] == str(leaving.pk)
        assert event.data["successor"] == str(manager.pk)
        assert event.data["user"] == admin.pk
        assert leaving.name not in str(event.data)  # ids only in the trail
        notice = Notice.objects.get(disagreement=d, kind=Notice.Kind.HANDED_OVER)
        assert list(notice.recipients.all()) == [manager]
    action.refresh_from_db()
    assert action.owner == manager
    assert set(meeting.invitees.all()) == {manager, enfield.at("csc", 1)}
    leaving.refresh_from_db()
    assert not leaving.is_active
    deactivated = Event.objects.get(verb=Verb.REFERENCE_CHANGED, data__action="deactivated")
    assert deactivated.data["object"] == str(leaving.pk)
    assert deactivated.data["successor"] == str(manager.pk)
    assert Participant.objects.filter(disagreement=first, person=leaving, capacity="raiser").exists()  # history stays
    assert Person.objects.filter(pk=leaving.pk).exists()  # deactivated, never deleted


def test_the_successor_answers_for_the_raiser_who_left(enfield: Cast, admin: Any) -> None:
    d = raise_one(enfield)
    leaving, manager = enfield.at("school", 1), enfield.at("school", 2)
    assert rules.raiser_of(d) == leaving
    services.person_leave(person=leaving, successor=manager, by=admin)
    d = Disagreement.objects.get(pk=d.pk)
    assert d.raised_by == leaving  # history: who raised it never changes
    assert rules.raiser_of(d) == manager
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="A social worker visits on Monday.")
    told = Notice.objects.get(disagreement=d, kind=Notice.Kind.FEEDBACK_GIVEN)
    assert list(told.recipients.all()) == [manager]  # the raiser's part is theirs now
    assert allowed(manager, Action.RESPOND, d)
    entry = services.raiser_respond(disagreement=d, by=manager, accepts=False, reason="The visit is too late.")
    assert entry.author == manager
    services.action_add(disagreement=d, by=manager, description="Chase the visit.", owner=manager)  # records on it
    assert Event.objects.filter(disagreement=d, verb=Verb.RAISER_ASKED_FURTHER, actor=manager).exists()


def test_a_successor_outside_the_dispute_sees_what_they_took_over(enfield: Cast, admin: Any) -> None:
    d = raise_one(enfield, against=("police",))
    successor = enfield.at("health", 3)  # in no agency of this dispute: sees it only by taking the part over
    assert not can_see(successor, d)
    services.person_leave(person=enfield.at("police", 1), successor=successor, by=admin)
    assert can_see(successor, d)
    assert not allowed(successor, Action.RECORD, d)  # a counterpart outside the agencies in dispute only sees it
    assert Participant.objects.filter(disagreement=d, person=successor, capacity="counterpart").exists()


def test_a_handler_at_the_current_stage_is_handed_only_to_someone_with_its_authority(enfield: Cast, admin: Any) -> None:
    d = raise_one(enfield)
    handler = enfield.at("csc", 2)
    services.participant_add(disagreement=d, by=handler, person=handler, capacity="handler")
    with nothing_changes(), pytest.raises(ResolveError, match=rf"{d.reference}: csc level 1 cannot handle") as caught:
        services.person_leave(person=handler, successor=enfield.at("csc", 1), by=admin)
    assert caught.value.field == "successor"
    services.person_leave(person=handler, successor=enfield.at("csc", 3), by=admin)
    assert Participant.objects.filter(disagreement=d, person=enfield.at("csc", 3), capacity="handler").exists()


def test_a_reviewers_part_is_not_handed_to_an_agency_in_dispute(enfield: Cast, admin: Any) -> None:
    d = raise_one(enfield)
    reviewer = enfield.at("health", 5)
    Participant.objects.create(
        disagreement=d, person=reviewer, capacity="reviewer", stage_run=d.stage_runs.get(), added_at=d.raised_at
    )
    with nothing_changes(), pytest.raises(ResolveError, match="an agency in this dispute"):
        services.person_leave(person=reviewer, successor=enfield.at("csc", 5), by=admin)


def test_a_named_reviewer_is_replaced_by_an_independent_successor(enfield: Cast, admin: Any) -> None:
    d = raise_one(enfield)
    reviewer, successor = enfield.at("health", 5), enfield.at("police", 5)
    Disagreement.objects.filter(pk=d.pk).update(reviewer=reviewer)
    work = open_work_of(person=reviewer)
    assert [p.disagreement for p in work.reviewing] == [d]
    services.person_leave(person=reviewer, successor=successor, by=admin)
    d.refresh_from_db()
    assert d.reviewer == successor
    assert Participant.objects.filter(disagreement=d, person=successor, capacity="reviewer").exists()
    assert Event.objects.get(disagreement=d, verb=Verb.HANDED_OVER).data["named_reviewer"] is True


@pytest.mark.parametrize("who", ["elsewhere", "inactive", "themself", "nobody", "not a person"])
def test_a_successor_who_cannot_take_over_is_refused_and_nothing_changes(
    enfield: Cast, admin: Any, cast_for: Callable[[str], Cast], who: str
) -> None:
    raise_one(enfield)
    leaving = enfield.at("school", 1)
    other = cast_for("enfield")
    gone = enfield.at("school", 3)
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    successor: Any = {
        "elsewhere": other.at("school", 2),
        "inactive": gone,
        "themself": leaving,
        "nobody": None,
        "not a person": "school level 2",
    }[who]
    error = NotFound if who == "elsewhere" else ResolveError
    with nothing_changes(), pytest.raises(error) as caught:
        services.person_leave(person=leaving, successor=successor, by=admin)
    assert caught.value.field == "successor"


def test_someone_with_no_open_work_is_simply_deactivated(enfield: Cast, admin: Any) -> None:
    quiet = enfield.at("health", 3)
    done = services.person_leave(person=quiet, successor=None, by=admin)
    assert done.disagreements == 0
    quiet.refresh_from_db()
    assert not quiet.is_active
    assert not Event.objects.filter(verb=Verb.HANDED_OVER).exists()


def test_only_the_partnerships_administrator_can_hand_over(enfield: Cast, cast_for: Callable[[str], Cast]) -> None:
    raise_one(enfield)
    other_admin = get_user_model().objects.create_user("other", "o@example.test", "x" * 20, is_staff=True)
    cast_for("enfield").partnership.administrators.add(other_admin)
    with nothing_changes(), pytest.raises(Refused, match="Only an administrator of"):
        services.person_leave(person=enfield.at("school", 1), successor=enfield.at("school", 2), by=other_admin)


def test_someone_who_left_cannot_sign_in_and_their_sessions_end(enfield: Cast, admin: Any) -> None:
    leaving = give_account(enfield.at("school", 1))
    d = raise_one(enfield)
    browser = Client()
    sign_in(browser, leaving.email)
    assert signed_in(browser)
    done = services.person_leave(person=leaving, successor=enfield.at("school", 2), by=admin)
    assert done.sessions_ended == 1
    assert not signed_in(browser)  # signed out where they were signed in
    assert browser.get(reverse("disagreement", args=[d.pk])).status_code == 302
    again = Client()
    sign_in(again, leaving.email, PASSWORD)
    assert not signed_in(again)
    assert leaving.user is not None
    leaving.user.refresh_from_db()
    assert not leaving.user.is_active
    leaving.refresh_from_db()
    assert not can_see(leaving, d)


def test_a_person_who_left_is_restored_with_their_account(enfield: Cast, admin: Any) -> None:
    person = give_account(enfield.at("health", 2))
    services.person_leave(person=person, successor=None, by=admin)
    with nothing_changes(), pytest.raises(Refused, match="already left"):
        services.person_leave(person=person, successor=None, by=admin)
    services.person_restore(person=person, by=admin)
    person.refresh_from_db()
    assert person.is_active
    assert person.user is not None
    assert person.user.is_active
    restored = Event.objects.get(verb=Verb.REFERENCE_CHANGED, data__action="restored")
    assert restored.data["object"] == str(person.pk)
    browser = Client()
    sign_in(browser, person.email)
    assert signed_in(browser)
    with nothing_changes(), pytest.raises(Refused, match="has not left"):
        services.person_restore(person=person, by=admin)
