"""Who may do what to a disagreement: every role against every action, through the policy and the services.

The case: Cumbria, raised urgently by a teacher at the school against children's social care,
naming the social worker they have been dealing with, at two stages: the Executive Manager/Lead
(level 4 in each agency) and the formal process after it (the SCP Chair and the SCP member, the
independent reviewer, handle it; the SCP Business Manager is copied in, Cumbria L37, and being told
is not taking part: it sees the notice, never the child's record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from resolve.access.policy import Action, allowed, people_who_can_act, require
from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import Person
from resolve.reports.learning import learning_record
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one, written_request
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
T = Action.SET_DEADLINE  # an earlier deadline for the case than the cap (Cumbria L35)
Q = Action.RESPOND  # the raiser answers the feedback given to them
M = Action.SCHEDULE_MEETING  # whoever may record at the stage, and its handlers
I = Action.INVITE_COUNTERPART  # noqa: E741 - another partnership's counterpart (tests/access/test_cross_borough.py)
L = Action.RECORD_LEARNING  # wider learning at resolution (resolve.reports.learning)
ALL = list(Action)

ROLES: dict[str, Callable[[Cast], Person]] = {
    "practitioner in the raising agency": lambda cast: cast.at("school", 1),
    "practitioner in the other agency": lambda cast: cast.at("csc", 1),
    "practitioner in an uninvolved agency": lambda cast: cast.at("police", 1),
    "line manager of the raiser": lambda cast: cast.at("school", 2),
    "senior manager of the raiser": lambda cast: cast.at("school", 4),
    "manager in the other agency": lambda cast: cast.at("csc", 3),
    "senior manager in the other agency": lambda cast: cast.at("csc", 4),
    "business unit": lambda cast: cast.role("scp-business-manager"),
    "chair": lambda cast: cast.role("scp-chair"),
    "independent reviewer": lambda cast: cast.role("scp-member"),
    "administrator": lambda cast: PersonFactory.create(
        partnership=cast.partnership, agency=None, level=None, job_title="Admin"
    ),
}

# stage -> role -> the actions it may do there; every other action is refused.
MATRIX: dict[str, dict[str, set[Action]]] = {
    # Level 4 in each agency (the Executive Manager/Lead, Cumbria L31); the formal process comes next.
    # The chair and the reviewer are told nothing yet, so they do not see it.
    "executive-lead": {
        "practitioner in the raising agency": {V, R, M, W, Q},  # feedback is given to them, not by them
        "practitioner in the other agency": {V, R, M, F},
        "practitioner in an uninvolved agency": set(),
        "line manager of the raiser": {V, R, M, H, W, F},
        "senior manager of the raiser": {V, R, M, H, P, C, E, S, W, F},
        "manager in the other agency": {V, R, M, H, F},
        "senior manager in the other agency": {V, R, M, H, P, C, E, S, F},
        "business unit": set(),
        "chair": set(),
        "independent reviewer": set(),
        "administrator": set(),
    },
    # Roles only (SCP Chair, SCP member): the last stage, so nobody escalates; each agency acts at the
    # Executive Lead's level 4 (the policy's docstring says why); the role holders resolve but confirm nothing.
    "formal-process": {
        "practitioner in the raising agency": {V, R, M, W, Q},  # feedback is given to them, not by them
        "practitioner in the other agency": {V, R, M, F},
        "practitioner in an uninvolved agency": set(),
        "line manager of the raiser": {V, R, M, H, W, F},
        "senior manager of the raiser": {V, R, M, H, P, C, S, W, F, T},
        "manager in the other agency": {V, R, M, H, F},
        "senior manager in the other agency": {V, R, M, H, P, C, S, F, T},
        "business unit": set(),  # only copied in (L37): told, not taking part, so it does not see the child
        "chair": {V, R, M, H, S, F, A, T},
        "independent reviewer": {V, R, M, H, S, F, D, T},
        "administrator": set(),
    },
}


# Recording wider learning needs the latest stage's authority, as resolving does: the same people, at every stage.
for _by_role in MATRIX.values():
    for _actions in _by_role.values():
        if S in _actions:
            _actions.add(L)


def raise_at(cast: Cast, stage: str) -> Disagreement:
    return raise_one(cast, urgent=True, start_stage=stage, urgent_reason="Child protection today.")


@pytest.fixture
def case(cast_for: Callable[[str], Cast]) -> tuple[Disagreement, dict[str, Person]]:
    cast = cast_for("cumbria")
    d = raise_at(cast, "formal-process")
    return d, {role: person_of(cast) for role, person_of in ROLES.items()}


def _record_request(d: Disagreement, cast: Cast) -> None:
    written_request(
        d, cast.at("school", 4), sent_to="SCP Chair, copy SCP Business Manager", summary="The issue and steps taken."
    )


def _prepare(action: Action, d: Disagreement, cast: Cast, person: Person) -> Callable[[], object]:
    """Bring ``d`` to a state where ``action`` is otherwise possible; return the real service call for it."""
    now = datetime.now(LONDON)
    formal = d.stage_runs.get().stage == "formal-process"
    if action == V:
        return lambda: disagreement_get(person=person, pk=d.pk)
    if action == R:
        return lambda: services.discussion_record(
            disagreement=d, by=person, held_at=now, method="telephone", summary="Talked."
        )
    if action == H:
        return lambda: services.participant_add(
            disagreement=d, by=person, person=cast.at("school", 5), capacity="handler"
        )
    if action == P:
        return lambda: services.outcome_propose(disagreement=d, by=person, text="A conference is held.")
    if action == C:
        proposer = cast.at("school", 4) if person.agency_id == cast.agencies["csc"].pk else cast.at("csc", 4)
        outcome = services.outcome_propose(disagreement=d, by=proposer, text="A conference is held.")
        return lambda: services.outcome_confirm(outcome=outcome, by=person)
    if action == E:
        return lambda: services.disagreement_escalate(disagreement=d, by=person, reason="Still unresolved.")
    if action == S:
        if formal:  # the decision first (so it does not resolve it), then the request the stage requires
            services.reviewer_decision_record(
                disagreement=d, by=cast.role("scp-member"), decision="A conference.", reasons="The threshold is met."
            )
            _record_request(d, cast)
        else:
            outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 4), text="A conference.")
            services.outcome_confirm(outcome=outcome, by=cast.at("csc", 4))
        return lambda: services.disagreement_resolve(disagreement=d, by=person)
    if action == W:
        return lambda: services.disagreement_withdraw(disagreement=d, by=person, reason="Resolved informally.")
    if action == F:
        return lambda: services.feedback_give(disagreement=d, by=person, text="A visit is booked.")
    if action == T:
        return lambda: services.deadline_set_for_case(
            disagreement=d, by=person, timescale="decision", due=now + timedelta(hours=1), reason="Urgent."
        )
    if action == Q:
        services.feedback_give(disagreement=d, by=cast.at("csc", 4), text="A visit is booked.")
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
            invitees=[cast.at("csc", 4)],
        )
    if action == L:
        return lambda: learning_record(disagreement=d, by=person, note="Agencies read the threshold differently.")
    if action == I:  # nobody here: the case names no agency of another partnership (test_cross_borough.py)
        return lambda: services.counterpart_invite(disagreement=d, by=person, person=cast.at("police", 4))
    if action == A:
        return lambda: services.reviewer_appoint(disagreement=d, by=person, reviewer=cast.at("police", 4))
    assert action == D
    return lambda: services.reviewer_decision_record(
        disagreement=d, by=person, decision="A conference.", reasons="The threshold is met."
    )


class _Undo(Exception):
    """Raised to roll one action's savepoint back, so that every action starts from the same state."""


def _check(action: Action, d: Disagreement, cast: Cast, person: Person, expected: set[Action], stage: str) -> None:
    call = _prepare(action, d, cast, person)
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
    if sees and action in STATE_BOUND.get(stage, set()):
        return  # refused by the state (nowhere to escalate, not a reviewer's stage), not by the policy
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED).count() == refusals + 1, "no ACCESS_REFUSED entry"
    with pytest.raises(Refused if sees else NotFound):
        require(person, action, d)


@pytest.mark.parametrize("stage", list(MATRIX))
@pytest.mark.parametrize("role", list(ROLES))
def test_the_policy_and_the_services_agree_on_every_role_and_action(
    cast_for: Callable[[str], Cast], stage: str, role: str
) -> None:
    """For each action, from the same fresh state: the real service succeeds exactly when ``allowed()``
    says so, and a refused call changes nothing but its own ACCESS_REFUSED entry."""
    cast = cast_for("cumbria")
    d = raise_at(cast, stage)
    person = ROLES[role](cast)
    disagreements: list[str] = []
    for action in ALL:
        try:
            with transaction.atomic():
                _check(action, d, cast, person, MATRIX[stage][role], stage)
                raise _Undo
        except _Undo:
            pass
        except (AssertionError, pytest.fail.Exception, ResolveError) as problem:
            disagreements.append(f"{action}: {type(problem).__name__}: {problem}")
    assert disagreements == []


#: Actions no one can do at the stage, whatever their authority: the service refuses them by state.
STATE_BOUND = {"executive-lead": {A, D, T, I}, "formal-process": {E, I}}


@pytest.mark.parametrize("role", [r for r, actions in MATRIX["formal-process"].items() if V not in actions])
def test_refused_reads_look_exactly_like_records_that_do_not_exist(
    case: tuple[Disagreement, dict[str, Person]], role: str
) -> None:
    d, people = case
    with pytest.raises(NotFound) as refused:
        disagreement_get(person=people[role], pk=d.pk)
    with pytest.raises(NotFound) as missing:
        disagreement_get(person=people[role], pk="3f1b8c9e-0000-4000-8000-000000000000")
    assert (refused.value.status, refused.value.message) == (missing.value.status, missing.value.message)


def test_a_person_who_has_left_sees_nothing(case: tuple[Disagreement, dict[str, Person]]) -> None:
    d, people = case
    leaver = people["practitioner in the raising agency"]
    leaver.is_active = False
    leaver.save()
    assert not any(allowed(leaver, action, d) for action in ALL)


def test_signed_out_visitors_are_sent_to_sign_in(case: tuple[Disagreement, dict[str, Person]]) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_the_page_can_name_who_acts_at_the_stage_a_practitioner_below_it_sees_their_managers(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("cumbria")
    d = raise_at(cast, "executive-lead")
    assert people_who_can_act(d) == [cast.at("csc", 4), cast.at("csc", 5), cast.at("school", 4), cast.at("school", 5)]
    d = raise_at(cast, "formal-process")
    assert people_who_can_act(d) == [
        cast.at("csc", 4),
        cast.at("csc", 5),
        cast.at("school", 4),
        cast.at("school", 5),
        cast.role("scp-chair"),
        cast.role("scp-member"),
    ]


def test_a_closed_disagreement_offers_nobody_anything_but_viewing_and_feedback(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("cumbria")
    d = raise_at(cast, "executive-lead")
    services.disagreement_withdraw(disagreement=d, by=cast.at("school", 4), reason="Resolved informally.")
    d.refresh_from_db()
    for role, person_of in ROLES.items():
        person = person_of(cast)
        offered = {action for action in ALL if allowed(person, action, d)}
        assert offered == MATRIX["executive-lead"][role] & {V, F}, role


def test_once_the_chair_names_the_reviewer_only_they_are_offered_the_decision_and_only_they_can_make_it(
    case: tuple[Disagreement, dict[str, Person]],
) -> None:
    d, people = case
    named = PersonFactory.create(partnership=d.partnership, agency=None, level=None, job_title="SCP member")
    services.reviewer_appoint(disagreement=d, by=people["chair"], reviewer=named)
    d.refresh_from_db()
    role_holder = people["independent reviewer"]
    assert not allowed(role_holder, D, d)
    with nothing_changes(), pytest.raises(Refused, match="Only the reviewer the chair named"):
        services.reviewer_decision_record(disagreement=d, by=role_holder, decision="x", reasons="y")
    assert allowed(named, D, d)
    services.reviewer_decision_record(disagreement=d, by=named, decision="A conference.", reasons="The threshold.")


def test_confirming_is_offered_only_while_an_outcome_waits_for_the_persons_agency(
    case: tuple[Disagreement, dict[str, Person]],
) -> None:
    d, people = case
    school, csc = people["senior manager of the raiser"], people["senior manager in the other agency"]
    assert not allowed(csc, C, d)  # nothing proposed yet
    outcome = services.outcome_propose(disagreement=d, by=school, text="A conference is held.")
    assert not allowed(school, C, d)  # proposing confirmed it for the school
    assert allowed(csc, C, d)
    services.outcome_confirm(outcome=outcome, by=csc)
    assert not allowed(csc, C, d)
