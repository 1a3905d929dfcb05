"""Who sees and does what in a cross-borough disagreement: the permission matrix's cross-borough roles.

The case: raised in Enfield (``a``) by a teacher at the school, with children's social care of a
neighbouring partnership on the same protocol (``b``), whose first line manager (level 2, stage 1's
level) has been invited as the counterpart. At stage 1 and at Step 4 (the Chair of ESCP via the
Partnership Manager: "both partnerships' chairs", READING 2.4), every action is tried by the other
partnership's invited counterpart, their line manager, a colleague not invited, its business unit,
its chair and its administrator, with the raiser for comparison: the real service succeeds exactly
when ``allowed()`` says so, and a refused call changes nothing but its own ACCESS_REFUSED entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import transaction

from resolve.access.policy import Action, allowed, can_see, disagreements_visible_to, require
from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import disagreement_get, notices_for, oversight_for
from resolve.partnerships.models import Person
from resolve.reports.learning import learning_record
from tests.conftest import Cast
from tests.disagreements.test_cross_borough import Two, raise_cross, talk, to_step_4
from tests.disagreements.test_services import nothing_changes
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

V, R, H, P, C, E, S, W, F, A, D = (
    Action.VIEW,
    Action.RECORD,
    Action.ADD_HANDLER,
    Action.PROPOSE_OUTCOME,
    Action.CONFIRM_OUTCOME,
    Action.ESCALATE,
    Action.RESOLVE,
    Action.WITHDRAW,
    Action.GIVE_FEEDBACK,
    Action.APPOINT_REVIEWER,
    Action.DECIDE,
)
T, Q, M, I = Action.SET_DEADLINE, Action.RESPOND, Action.SCHEDULE_MEETING, Action.INVITE_COUNTERPART  # noqa: E741
L = Action.RECORD_LEARNING  # wider learning at resolution (resolve.reports.learning)
ALL = list(Action)

ROLES: dict[str, Callable[[Two], Person]] = {
    "the raiser": lambda two: two.a.at("school", 1),
    "the other partnership's invited counterpart": lambda two: two.b.at("csc", 2),
    "their line manager": lambda two: two.b.at("csc", 3),
    "a colleague in their agency, not invited": lambda two: two.b.at("csc", 1),
    "a practitioner in another of its agencies": lambda two: two.b.at("police", 3),
    "the other partnership's business unit": lambda two: two.b.role("business-unit"),
    "the other partnership's chair": lambda two: two.b.role("escp-chair"),
    "the other partnership's administrator": lambda two: PersonFactory.create(
        partnership=two.b.partnership, agency=None, level=None, job_title="Administrator"
    ),
}

MATRIX: dict[str, dict[str, set[Action]]] = {
    # Stage 1: level 2 in each agency. The counterpart and their manager act for b's agency as any agency
    # in dispute does; nobody else in b sees it (roles take no part yet).
    "stage-1": {
        "the raiser": {V, R, M, W, Q, I},
        "the other partnership's invited counterpart": {V, R, M, H, P, C, E, S, F, I},
        "their line manager": {V, R, M, H, P, C, E, S, F, I},
        "a colleague in their agency, not invited": set(),
        "a practitioner in another of its agencies": set(),
        "the other partnership's business unit": set(),
        "the other partnership's chair": set(),
        "the other partnership's administrator": set(),
    },
    # Step 4: roles only, the last stage; each agency acts at stage 3's level 4. The other partnership's
    # chair takes part with the ESCP Chair (its matching role), but names no reviewer and confirms nothing;
    # its business unit is told (L84-86), not taking part.
    "step-4": {
        "the raiser": {V, R, M, W, Q, I},
        "the other partnership's invited counterpart": {V, R, M, F},
        "their line manager": {V, R, M, H, F},
        "a colleague in their agency, not invited": set(),
        "a practitioner in another of its agencies": set(),
        "the other partnership's business unit": set(),
        "the other partnership's chair": {V, R, M, H, S, F, I},
        "the other partnership's administrator": set(),
    },
}

# Recording wider learning needs the latest stage's authority, as resolving does: the same people, at every stage.
for _by_role in MATRIX.values():
    for _actions in _by_role.values():
        if S in _actions:
            _actions.add(L)


#: actions nobody can do at the stage, whatever their authority
STATE_BOUND = {"stage-1": {A, D, T}, "step-4": {A, D, T, E}}


def case_at(two: Two, stage: str) -> Disagreement:
    d = raise_cross(two)
    services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("school", 1))
    if stage == "step-4":
        to_step_4(two.a, d)
    assert d.stage_runs.get(ended_at__isnull=True).stage == stage
    return d


def _prepare(action: Action, d: Disagreement, two: Two, person: Person) -> Callable[[], object]:
    now = datetime.now(LONDON)
    school, csc = two.a.at("school", 4), two.b.at("csc", 4)  # at every stage's level, seeing it
    step_4 = d.stage_runs.get(ended_at__isnull=True).stage == "step-4"
    if action == V:
        return lambda: disagreement_get(person=person, pk=d.pk)
    if action == R:
        return lambda: talk(d, person)
    if action == H:
        return lambda: services.participant_add(
            disagreement=d, by=person, person=two.a.at("school", 5), capacity="handler"
        )
    if action == P:
        return lambda: services.outcome_propose(disagreement=d, by=person, text="A visit on Monday.")
    if action == C:
        proposer = csc if person.agency_id == school.agency_id else school
        outcome = services.outcome_propose(disagreement=d, by=proposer, text="A visit on Monday.")
        return lambda: services.outcome_confirm(outcome=outcome, by=person)
    if action == E:
        talk(d, school)
        return lambda: services.disagreement_escalate(disagreement=d, by=person, reason="Still unresolved.")
    if action == S:
        if step_4:
            services.record_add(
                disagreement=d,
                by=school,
                kind="executive_summary",
                occurred_at=now - timedelta(minutes=1),
                fields={"summary": "Resolved."},
            )
        outcome = services.outcome_propose(disagreement=d, by=school, text="A visit on Monday.")
        services.outcome_confirm(outcome=outcome, by=csc)
        return lambda: services.disagreement_resolve(disagreement=d, by=person)
    if action == W:
        return lambda: services.disagreement_withdraw(disagreement=d, by=person, reason="Resolved informally.")
    if action == F:
        return lambda: services.feedback_give(disagreement=d, by=person, text="A visit is booked.")
    if action == T:
        return lambda: services.deadline_set_for_case(
            disagreement=d, by=person, timescale="resolution", due=now + timedelta(hours=1), reason="Urgent."
        )
    if action == Q:
        services.feedback_give(disagreement=d, by=csc, text="A visit is booked.")
        return lambda: services.raiser_respond(disagreement=d, by=person, accepts=True)
    if action == M:
        soon = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        return lambda: services.meeting_schedule(
            disagreement=d,
            by=person,
            kind="meeting",
            starts_at=soon,
            ends_at=soon + timedelta(hours=1),
            place="Room 4",
            invitees=[school],
        )
    if action == L:
        return lambda: learning_record(disagreement=d, by=person, note="Agencies read the threshold differently.")
    if action == I:
        return lambda: services.counterpart_invite(disagreement=d, by=person, person=two.b.at("csc", 5))
    if action == A:
        return lambda: services.reviewer_appoint(disagreement=d, by=person, reviewer=two.a.at("police", 4))
    assert action == D
    return lambda: services.reviewer_decision_record(disagreement=d, by=person, decision="A visit.", reasons="Why.")


class _Undo(Exception):
    """Rolls one action's savepoint back, so that every action starts from the same state."""


def _check(action: Action, d: Disagreement, two: Two, person: Person, expected: set[Action], stage: str) -> None:
    call = _prepare(action, d, two, person)
    allow = action in expected
    assert allowed(person, action, d) is allow, f"allowed() says {not allow}"
    if allow:
        require(person, action, d)
        call()
        return
    sees = V in expected
    refusals = Event.objects.filter(verb=Verb.ACCESS_REFUSED).count()
    with nothing_changes(), pytest.raises(Refused if sees else NotFound):
        call()
    if sees and action in STATE_BOUND[stage]:
        return
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED).count() == refusals + 1, "no ACCESS_REFUSED entry"


@pytest.mark.parametrize("stage", list(MATRIX))
@pytest.mark.parametrize("role", list(ROLES))
def test_the_policy_and_the_services_agree_on_every_cross_borough_role_and_action(
    cast_for: Callable[[str], Cast], stage: str, role: str
) -> None:
    two = Two(cast_for("enfield"), cast_for("enfield"))
    d = case_at(two, stage)
    person = ROLES[role](two)
    problems: list[str] = []
    for action in ALL:
        try:
            with transaction.atomic():
                _check(action, d, two, person, MATRIX[stage][role], stage)
                raise _Undo
        except _Undo:
            pass
        except (AssertionError, pytest.fail.Exception, ResolveError) as problem:
            problems.append(f"{action}: {type(problem).__name__}: {problem}")
    assert problems == []


# Visibility in lists -----------------------------------------------------------------------------------


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> Two:
    return Two(cast_for("enfield"), cast_for("enfield"))


def test_before_the_invitation_nobody_in_the_other_partnership_sees_it(two: Two) -> None:
    d = raise_cross(two)
    everyone = [*two.b.people.values(), *two.b.role_holders.values()]
    assert [p for p in everyone if can_see(p, d)] == []


def test_the_invited_counterpart_and_their_chain_see_it_and_nobody_else_there(two: Two) -> None:
    d = raise_cross(two)
    services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("school", 1))
    everyone = [*two.b.people.values(), *two.b.role_holders.values()]
    assert {p for p in everyone if can_see(p, d)} == {two.b.at("csc", n) for n in (2, 3, 4, 5)}
    assert list(disagreements_visible_to(two.b.at("csc", 2))) == [d]


def test_the_other_partnerships_role_holders_see_it_in_oversight_once_it_reaches_their_stage(two: Two) -> None:
    d = raise_cross(two)
    chair, unit = two.b.role("escp-chair"), two.b.role("business-unit")
    assert list(oversight_for(person=chair).page.object_list) == []
    to_step_4(two.a, d)
    assert list(oversight_for(person=chair).page.object_list) == [d]
    assert list(oversight_for(person=two.a.role("escp-chair")).page.object_list) == [d]
    # the business unit is told (notices_for shows the reference, no child detail) but does not see the record
    assert list(oversight_for(person=unit).page.object_list) == []
    assert not can_see(unit, d)
    assert d.reference in {n.reference for n in notices_for(person=unit)}


def test_a_partnership_not_in_dispute_sees_nothing_of_it(two: Two, cast_for: Callable[[str], Cast]) -> None:
    d = raise_cross(two)
    to_step_4(two.a, d)
    third = cast_for("enfield")
    assert [p for p in [*third.people.values(), *third.role_holders.values()] if can_see(p, d)] == []
    assert notices_for(person=third.role("business-unit")) == []
