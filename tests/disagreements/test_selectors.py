"""What a person sees: their open work, what is due and overdue, and who to talk to."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements import services
from resolve.disagreements.selectors import (
    counterparts_for,
    disagreement_get,
    disagreement_list_for,
    notices_for,
    work_for,
)
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def test_work_shows_overdue_and_due_deadlines(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    work = work_for(person=enfield.at("school", 1), now=at("2026-12-21T12:00"))
    assert [i.disagreement for i in work.open] == [d]
    assert [i.deadline.timescale if i.deadline else None for i in work.due_today] == ["line-managers-informed"]
    assert work.overdue == []
    later = work_for(person=enfield.at("school", 1), now=at("2026-12-22T09:00"))
    assert [i.deadline.timescale if i.deadline else None for i in later.overdue] == ["line-managers-informed"]


def test_line_managers_up_the_chain_see_their_reports_disagreements(enfield: Cast) -> None:
    d = raise_one(enfield)
    for level in (2, 3, 4, 5):
        assert d in disagreement_list_for(person=enfield.at("school", level))


def test_people_in_uninvolved_agencies_cannot_tell_it_exists(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("health", 5)
    assert d not in disagreement_list_for(person=outsider)
    with pytest.raises(NotFound) as caught:
        disagreement_get(person=outsider, pk=d.pk)
    with pytest.raises(NotFound) as missing:
        disagreement_get(person=outsider, pk="00000000-0000-0000-0000-000000000000")
    assert caught.value.message == missing.value.message


def test_the_counterpart_added_to_a_disagreement_sees_it(enfield: Cast) -> None:
    d = raise_one(enfield, counterparts=[])
    counterpart = enfield.at("csc", 1)
    assert d not in disagreement_list_for(person=counterpart)
    services.participant_add(disagreement=d, by=enfield.at("school", 1), person=counterpart, capacity="counterpart")
    assert d in disagreement_list_for(person=counterpart)
    assert d in disagreement_list_for(person=enfield.at("csc", 3))


def test_the_business_unit_is_told_of_level_4_escalations_but_does_not_see_the_child(enfield: Cast) -> None:
    """Enfield L84-86: the business unit is "included in the emails" of a Level 4 escalation: it is told
    (the notice's reference, stage and what is due), but being told is not taking part, so the child's
    record stays closed to it."""
    d = raise_one(enfield)
    business_unit = enfield.role("business-unit")
    assert d not in disagreement_list_for(person=business_unit)
    assert notices_for(person=business_unit) == []
    services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 2),
        held_at=d.raised_at,
        method="telephone",
        summary="Line managers talked.",
    )
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="No agreement.")
    services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 3),
        held_at=d.raised_at,
        method="meeting",
        summary="Professionals meeting.",
    )
    services.outcome_propose(disagreement=d, by=enfield.at("school", 3), text="Escalate to heads.")
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 3), reason="Still no agreement.")
    told = notices_for(person=business_unit)
    assert [(n.reference, n.source) for n in told] == [(d.reference, "L84-86")]
    assert told[0].stage == d.stage_runs.get(ended_at__isnull=True).name
    assert "Level 4" in told[0].what
    assert not {"child", "child_name", "name", "date_of_birth"} & set(vars(told[0]))
    assert d not in disagreement_list_for(person=business_unit)
    with pytest.raises(NotFound):
        disagreement_get(person=business_unit, pk=d.pk)
    assert notices_for(person=enfield.at("police", 5)) == []  # nobody else is shown the business unit's notice


def test_counterparts_at_the_stage_level_with_the_matrix_title(enfield: Cast) -> None:
    d = raise_one(enfield)
    (counterpart,) = counterparts_for(disagreement=d, person=enfield.at("school", 1))
    assert counterpart.agency == enfield.agencies["csc"]
    assert counterpart.level == 2
    assert counterpart.role_title == "Team Manager"
    assert [p.email for p in counterpart.people] == [enfield.at("csc", 2).email]


def test_counterparts_for_the_next_stage_are_at_the_other_agencys_own_level(enfield: Cast) -> None:
    """Enfield stage 2's "Head of Service or equivalent" (L62) is level 4 in children's social care
    (Appendix B, READING 2.7), where the matrix leaves the title blank: the counterpart is the level-4 person."""
    d = raise_one(enfield)
    (counterpart,) = counterparts_for(disagreement=d, person=enfield.at("school", 2), upcoming=True)
    assert (counterpart.level, counterpart.role_title) == (4, None)
    assert counterpart.people == [enfield.at("csc", 4)]


def test_no_one_at_the_level_falls_back_to_the_next_level_up(enfield: Cast) -> None:
    d = raise_one(enfield)
    team_manager = enfield.at("csc", 2)
    team_manager.is_active = False
    team_manager.save()
    (counterpart,) = counterparts_for(disagreement=d, person=enfield.at("school", 1))
    assert counterpart.level == 3
    assert counterpart.people == [enfield.at("csc", 3)]


def test_counterparts_named_when_raising_see_it_with_their_managers(enfield: Cast) -> None:
    d = raise_one(enfield, counterparts=[enfield.at("csc", 1)])
    assert d in disagreement_list_for(person=enfield.at("csc", 1))
    assert d in disagreement_list_for(person=enfield.at("csc", 4))
    assert d not in disagreement_list_for(person=enfield.at("police", 1))


def test_a_counterpart_must_be_in_an_agency_in_dispute(enfield: Cast) -> None:
    with pytest.raises(ResolveError, match="not an active member of an agency you disagree with"):
        raise_one(enfield, counterparts=[enfield.at("police", 1)])


def test_partnership_roles_handling_a_stage_see_it_once_it_gets_there(cast_for: Callable[[str], Cast]) -> None:
    nel = cast_for("north-east-lincolnshire")
    iso = nel.role("independent-scrutiny-officer")
    d = raise_one(nel, pathway="serious-case")
    assert d not in disagreement_list_for(person=iso)
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 3), reason="Unresolved.")
    assert d not in disagreement_list_for(person=iso)
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 3), reason="Still unresolved.")
    assert d in disagreement_list_for(person=iso)


def test_every_read_of_a_childs_record_is_logged(enfield: Cast) -> None:
    d = raise_one(enfield)
    reader = enfield.at("school", 3)
    disagreement_get(person=reader, pk=d.pk)
    read = Event.objects.get(verb=Verb.VIEWED)
    assert (read.actor, read.disagreement, read.data["child"]) == (reader, d, str(d.child_id))


def test_a_refused_read_is_logged_and_looks_like_a_missing_record(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("police", 1)
    with pytest.raises(NotFound):
        disagreement_get(person=outsider, pk=d.pk)
    refused = Event.objects.get(verb=Verb.ACCESS_REFUSED)
    assert (refused.actor, refused.disagreement, refused.data["requested"]) == (outsider, None, str(d.pk))
