"""Who may do what to a disagreement: every role against every action.

The case: Cumbria's formal process, raised urgently by a teacher at the school against children's
social care, naming the social worker they have been dealing with. The SCP Chair and the SCP member
(the independent reviewer) handle the stage; the SCP Business Manager is copied in.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from resolve.access.policy import Action, allowed, require
from resolve.core.errors import NotFound, Refused
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

V, R, P, C, E, S, W, F, A, D = (
    Action.VIEW,
    Action.RECORD,
    Action.PROPOSE_OUTCOME,
    Action.CONFIRM_OUTCOME,
    Action.ESCALATE,
    Action.RESOLVE,
    Action.WITHDRAW,
    Action.GIVE_FEEDBACK,
    Action.APPOINT_REVIEWER,
    Action.DECIDE,
)
ALL = [V, R, P, C, E, S, W, F, A, D]

# role -> the actions it may do; every other action is refused
MATRIX: dict[str, set[Action]] = {
    "practitioner in the raising agency": {V, R, P, C, E, S, W, F},
    "practitioner in the other agency": {V, R, P, C, E, S, F},
    "practitioner in an uninvolved agency": set(),
    "line manager of the raiser": {V, R, P, C, E, S, W, F},
    "senior manager of the raiser": {V, R, P, C, E, S, W, F},
    "manager in the other agency": {V, R, P, C, E, S, F},
    "business unit": {V},
    "chair": {V, R, E, S, F, A},
    "independent reviewer": {V, R, E, S, F, D},
    "administrator": set(),
}


@pytest.fixture
def case(cast_for: Callable[[str], Cast]) -> tuple[Disagreement, dict[str, Person]]:
    cast = cast_for("cumbria")
    d = raise_one(cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection today.")
    people = {
        "practitioner in the raising agency": cast.at("school", 1),
        "practitioner in the other agency": cast.at("csc", 1),
        "practitioner in an uninvolved agency": cast.at("police", 1),
        "line manager of the raiser": cast.at("school", 2),
        "senior manager of the raiser": cast.at("school", 4),
        "manager in the other agency": cast.at("csc", 3),
        "business unit": cast.role("scp-business-manager"),
        "chair": cast.role("scp-chair"),
        "independent reviewer": cast.role("scp-member"),
        "administrator": PersonFactory.create(partnership=cast.partnership, agency=None, level=None, job_title="Admin"),
    }
    return d, people


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ALL)
def test_permission_matrix(case: tuple[Disagreement, dict[str, Person]], role: str, action: Action) -> None:
    d, people = case
    person = people[role]
    expected = action in MATRIX[role]
    assert allowed(person, action, d) is expected
    if expected:
        require(person, action, d)
    elif V in MATRIX[role]:
        with pytest.raises(Refused):
            require(person, action, d)
    else:
        with pytest.raises(NotFound):
            require(person, action, d)


@pytest.mark.parametrize("role", [r for r, actions in MATRIX.items() if V not in actions])
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
