"""Who can see the child's record at each step of every seed's pathway, and who cannot.

Being told is not taking part: a role a notice is only addressed to (Enfield's business unit,
L84-86; Cumbria's SCP Business Manager, L37; Peterborough's safeguarding lead, L36, and its Board,
L48; Pan-Lancashire's MASA team, L27, and safeguarding lead, L23) never sees the record. A role
sees it from the stage the procedure makes it a handler of, and keeps it afterwards (it took
part). NEL's Independent Scrutiny Officer "may be requested" (L85): it sees nothing until someone
with the stage's authority requests it; in the serious-case pathway it "will be requested"
(L205) and takes part as its stage starts. The agencies in dispute (the raiser, the counterpart
and everyone above them) see it throughout; an uninvolved agency never does.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.access.policy import can_see
from resolve.core.errors import NotFound
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import disagreement_get, notices_for
from tests.conftest import Cast
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db

#: The agencies in dispute: the raiser, the counterpart named when raising, and their line managers.
PARTIES = {"school 1", "school 2", "school 5", "csc 1", "csc 5"}
#: People in agencies not in dispute, who never see it.
OUTSIDERS = {"police 1", "health 1", "health 5"}


def seeing(cast: Cast, d: Disagreement) -> set[str]:
    """Which of the observed people and role holders can see ``d`` now."""
    people = {label: cast.at(label.split()[0], int(label.split()[1])) for label in PARTIES | OUTSIDERS}
    people |= dict(cast.role_holders.items())
    return {label for label, person in people.items() if can_see(person, d)}


def walk_and_watch(
    cast: Cast, time_machine: object, *, pathway: str, steps: list[tuple[str, set[str]]], **kwargs: object
) -> tuple[Walker, list[tuple[str, set[str]]]]:
    """Raise at the first stage and escalate through the rest, noting who sees the child at each."""
    walker = Walker(cast, time_machine)
    seen: list[tuple[str, set[str]]] = []
    for day, (stage, _) in enumerate(steps, start=1):
        when = f"2026-12-{day:02d}T10:00"
        run = walker.raise_(when, pathway=pathway, **kwargs) if day == 1 else walker.escalate(Step(stage, when, {}))
        assert run.stage == stage
        now = seeing(cast, walker.d)
        assert now >= PARTIES, f"a party lost sight of the child at {stage}"
        seen.append((run.stage, now - PARTIES))
    return walker, seen


def test_nel_individual_case_roles_see_it_only_from_their_stage_and_the_iso_only_once_requested(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """NEL L55-85: practitioners, line managers, senior managers, the multi-agency review, then the
    safeguarding partners (L85), who see it from their stage; the ISO "may be requested" (L85)."""
    cast = cast_for("north-east-lincolnshire")
    steps: list[tuple[str, set[str]]] = [
        ("a-practitioner", set()),
        ("b-line-manager", set()),
        ("c-senior-manager", set()),
        ("d-multi-agency-review", set()),
        ("e-safeguarding-partners", {"safeguarding-partners"}),
    ]
    walker, seen = walk_and_watch(cast, time_machine, pathway="individual-cases", steps=steps)
    assert seen == steps
    iso = cast.role("independent-scrutiny-officer")
    with pytest.raises(NotFound):
        disagreement_get(person=iso, pk=walker.d.pk)
    services.handler_request(
        disagreement=walker.d,
        by=cast.role("safeguarding-partners"),
        role="independent-scrutiny-officer",
        reason="Mediation between the senior managers is needed.",
    )
    assert seeing(cast, walker.d) - PARTIES == {"safeguarding-partners", "independent-scrutiny-officer"}
    walker.resolve("2026-12-08T10:00")
    assert seeing(cast, walker.d) - PARTIES == {"safeguarding-partners", "independent-scrutiny-officer"}


def test_nel_serious_case_partners_representatives_then_partners_then_the_iso_who_will_be_requested(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """NEL L193-205: the partnership team is only liaised with (L193), never a handler; the ISO "will be
    requested" (L205), so takes part as its stage starts, with no request."""
    cast = cast_for("north-east-lincolnshire")
    steps: list[tuple[str, set[str]]] = [
        ("a-partners-representatives", {"partners-representatives"}),
        ("b-safeguarding-partners", {"partners-representatives", "safeguarding-partners"}),
        (
            "c-independent-scrutiny-officer",
            {"partners-representatives", "safeguarding-partners", "independent-scrutiny-officer"},
        ),
    ]
    walker, seen = walk_and_watch(cast, time_machine, pathway="serious-case", steps=steps)
    assert seen == steps
    assert notices_for(person=cast.role("partnership-team"))  # told (L193) ...
    assert "partnership-team" not in seeing(cast, walker.d)  # ... but it takes no part


def test_enfield_the_business_unit_is_told_but_only_step_4s_handlers_see_the_child(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """Enfield L58-70, L84-86: stages 1-3 in the agencies; Step 4 the ESCP Strategic Safeguarding
    Partnership Manager and the Chair of ESCP (L70). The business unit is included in the emails (L84)
    and the Practice Improvement Group is referred general issues (L82): told, never shown the child."""
    cast = cast_for("enfield")
    steps: list[tuple[str, set[str]]] = [
        ("stage-1", set()),
        ("stage-2", set()),
        ("stage-3", set()),
        ("step-4", {"partnership-manager", "escp-chair"}),
    ]
    walker, seen = walk_and_watch(cast, time_machine, pathway="escalation", steps=steps)
    assert seen == steps
    assert notices_for(person=cast.role("business-unit"))
    walker.resolve("2026-12-08T10:00")
    assert seeing(cast, walker.d) - PARTIES == {"partnership-manager", "escp-chair"}


def test_peterborough_only_the_head_of_service_and_the_independent_chair_see_it_at_their_stage(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """Peterborough L36-48: the safeguarding lead's advice (L36) and the Board's report (L48) take no
    part; the Head of Service for the Safeguarding Boards and the Independent Chair handle the last stage."""
    cast = cast_for("peterborough")
    steps: list[tuple[str, set[str]]] = [
        ("practitioner", set()),
        ("line-manager", set()),
        ("senior-managers", set()),
        ("independent-chair", {"head-of-service-boards", "independent-chair"}),
    ]
    walker, seen = walk_and_watch(cast, time_machine, pathway="escalation", steps=steps)
    assert seen == steps
    walker.resolve("2026-12-08T10:00")
    assert seeing(cast, walker.d) - PARTIES == {"head-of-service-boards", "independent-chair"}


def test_pan_lancashire_no_partnership_role_sees_the_child_at_any_stage(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """Pan-Lancashire: every stage is handled in the agencies (L13-35); the safeguarding lead (L23) and the
    MASA team (L27, L33) are told, never handlers, even with the life-threatening flag that alerts MASA."""
    cast = cast_for("pan-lancashire")
    steps: list[tuple[str, set[str]]] = [
        ("practitioner", set()),
        ("stage-1", set()),
        ("stage-2", set()),
        ("stage-3", set()),
        ("highest-management", set()),
        ("formal-procedure", set()),
    ]
    _walker, seen = walk_and_watch(
        cast, time_machine, pathway="escalation", steps=steps, flags=["life-threatening-non-involvement"]
    )
    assert seen == steps
    assert notices_for(person=cast.role("masa-team"))


def test_cumbria_the_scp_chair_and_member_see_it_from_the_formal_process_and_the_business_manager_never(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """Cumbria L17-41: levels 1-3 and the Executive Lead in the agencies; the SCP Chair and the SCP member
    handle the formal process (L37-39); the SCP Business Manager is copied in (L37) and the partnership
    told of its use (L41): neither sees the child."""
    cast = cast_for("cumbria")
    steps: list[tuple[str, set[str]]] = [
        ("level-1", set()),
        ("level-2", set()),
        ("level-3", set()),
        ("executive-lead", set()),
        ("formal-process", {"scp-chair", "scp-member"}),
    ]
    walker, seen = walk_and_watch(cast, time_machine, pathway="escalation", steps=steps)
    assert seen == steps
    assert notices_for(person=cast.role("scp-business-manager"))
    walker.resolve("2026-12-08T10:00")
    assert seeing(cast, walker.d) - PARTIES == {"scp-chair", "scp-member"}
