"""Who receives an e-mail at each step of every pathway of every seed, through a real SMTP server.

Each pathway is walked as its people would (``Walker``): raised, escalated through every stage, then
resolved; after each step the task worker runs, and the test names everyone whose address the mail
server accepted a message for. The lists are exact (with one name per message), so an e-mail to
someone the seed does not name (the other agency's practitioner, a manager outside the chain, a role
holder the procedure does not tell, an agency not in dispute) fails the test, as does a message that
did not arrive. The cast is the one of ``tests/disagreements/test_scenario_notices.py``: the raiser
is "school level 1", the other agency csc, and each partnership role has one "<role> holder".

Besides the procedure's own notices, a proposed outcome asks the other agency's people who can
confirm it (``confirm``): the walker's school proposes and csc confirms, wherever the stage needs a
written confirmation and when the disagreement is resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from resolve.calendar import LONDON
from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_notifications import lead
from tests.disagreements.walker import Step, Walker
from tests.notifications.conftest import Inbox

pytestmark = pytest.mark.django_db

LINE_MANAGERS = ["csc level 2", "school level 2"]
PARTIES = ["csc level 1", "school level 1"]
RAISER = ["school level 1"]


def holder(*roles: str) -> list[str]:
    return [f"{role} holder" for role in roles]


def confirm(*levels: int) -> list[str]:
    """csc's people at these levels, asked to confirm the outcome the school proposed."""
    return [f"csc level {n}" for n in levels]


@dataclass(frozen=True)
class Scenario:
    seed: str
    pathway: str
    #: each step (the stage entered, then "resolved") and everyone e-mailed at it, once per message
    steps: list[tuple[str, list[str]]]
    raising: dict[str, Any] = field(default_factory=dict)
    leads: bool = False  # a safeguarding lead in the school and in csc (Peterborough, Pan-Lancashire)

    @property
    def name(self) -> str:
        return f"{self.seed}:{self.pathway}" + "".join(f":{f}" for f in self.raising.get("flags", ()))


SCENARIOS = [
    # Cumbria (seed 004)
    Scenario(
        "cumbria",
        "escalation",
        [
            ("level-1", []),  # L19: not until they are unable to resolve it
            ("level-2", LINE_MANAGERS),  # L19: reported to their line managers
            ("level-3", []),
            ("executive-lead", []),  # L29: nothing agreed at Level 3, nothing fed back
            ("formal-process", holder("scp-chair", "scp-business-manager")),  # L37: the SCP Chair, copy the BM
            ("resolved", holder("partnership")),  # L41: the formal use reported to the Partnership
        ],
    ),
    # Enfield (seed 001)
    Scenario(
        "enfield",
        "escalation",
        [
            ("stage-1", LINE_MANAGERS),  # L60: the same working day
            ("stage-2", ["csc level 4", "school level 3"]),  # L62: each agency's Head of Service or equivalent
            ("stage-3", holder("business-unit") + RAISER),  # L84-86: Level 4 involved; L64: feedback
            ("step-4", holder("business-unit", "escp-chair", "partnership-manager") + RAISER),  # L70, L84, L64
            ("resolved", confirm(4, 5) + RAISER),  # L64
        ],
    ),
    Scenario(
        "enfield",
        "conference-request",
        [
            ("stage-1", LINE_MANAGERS),  # L60
            ("formal-request", PARTIES),  # L74
            ("resolved", confirm(2, 3, 4, 5)),
        ],
    ),
    Scenario(
        "enfield",
        "short-notice-round-table",
        [
            ("round-table", holder("business-unit")),  # L84-86
            ("resolved", confirm(4, 5) + PARTIES),  # L78: the actions told to the front line staff
        ],
    ),
    # North East Lincolnshire (seed 000)
    Scenario(
        "north-east-lincolnshire",
        "individual-cases",
        [
            ("a-practitioner", []),
            ("b-line-manager", LINE_MANAGERS),  # L63-67: each worker tells their own line manager
            ("c-senior-manager", confirm(2, 3, 4, 5)),  # B's written confirmation
            ("d-multi-agency-review", []),
            ("e-safeguarding-partners", holder("safeguarding-partners")),  # L83
            ("resolved", confirm(3, 4, 5)),
        ],
    ),
    Scenario(
        "north-east-lincolnshire",
        "convening-conference",
        [
            ("a-service-manager", holder("service-manager-irs")),  # L89-93: the written request's addressee
            ("b-deputy-service-director", holder("deputy-service-director")),  # L101-105
            ("c-multi-agency-review", []),
            ("d-safeguarding-partners", holder("safeguarding-partners")),
            ("resolved", confirm(3, 4, 5)),
        ],
    ),
    Scenario(
        "north-east-lincolnshire",
        "conference-majority",
        [
            ("majority-decision", []),
            ("a-line-manager", LINE_MANAGERS + holder("service-manager-irs")),  # L131, L133
            ("b-deputy-service-director", confirm(2, 3, 4, 5)),
            ("c-multi-agency-review", []),
            ("d-safeguarding-partners", holder("safeguarding-partners")),
            ("resolved", confirm(3, 4, 5)),
        ],
        raising={"conference_kind": "initial"},
    ),
    Scenario(
        "north-east-lincolnshire",
        "conference-equally-divided",
        [
            ("adjournment", LINE_MANAGERS),  # L159: staff inform their line manager at the adjournment
            ("reconvened", confirm(2, 3, 4, 5) + PARTIES + holder("conference-chair")),  # L165
            ("a-deputy-service-director", holder("deputy-service-director")),  # L169
            ("b-multi-agency-review", []),
            ("c-safeguarding-partners", holder("safeguarding-partners")),
            ("resolved", confirm(3, 4, 5)),
        ],
        raising={"conference_kind": "review"},
    ),
    Scenario(
        "north-east-lincolnshire",
        "serious-case",
        [
            ("a-partners-representatives", holder("partners-representatives", "partnership-team")),  # L193
            ("b-safeguarding-partners", holder("safeguarding-partners")),  # L199
            ("c-independent-scrutiny-officer", holder("independent-scrutiny-officer")),  # L203
            ("resolved", confirm(1, 2, 3, 4, 5)),  # no stage names a level: anyone in csc confirms
        ],
    ),
    # Pan-Lancashire (seed 003)
    Scenario(
        "pan-lancashire",
        "escalation",
        [
            ("practitioner", []),
            ("stage-1", ["school safeguarding lead"]),  # L23: the lead in the raiser's own organisation only
            ("stage-2", []),
            ("stage-3", []),
            ("highest-management", holder("masa-team")),  # L44: senior officers involved
            ("formal-procedure", []),
            ("resolved", confirm(5)),
        ],
        leads=True,
    ),
    Scenario(
        "pan-lancashire",
        "escalation",
        [
            ("practitioner", holder("masa-team")),  # L27: at the earliest opportunity, and once only
            ("stage-1", ["school safeguarding lead"]),
            ("stage-2", []),
            ("stage-3", []),
            ("highest-management", holder("masa-team")),  # L44 is another duty than L27's
            ("formal-procedure", []),
            ("resolved", confirm(5)),
        ],
        raising={"flags": ["life-threatening-non-involvement"]},
        leads=True,
    ),
    # Peterborough (seed 002)
    Scenario(
        "peterborough",
        "escalation",
        [
            ("practitioner", RAISER),  # L36: the advice of their own safeguarding lead, offered to the worker
            ("line-manager", LINE_MANAGERS),  # L37
            ("senior-managers", [*confirm(2, 3, 4, 5), "csc level 3", "school level 3"]),  # L54's confirmation; L52
            ("independent-chair", confirm(3, 4, 5) + holder("head-of-service-boards", "independent-chair")),  # L53
            ("resolved", confirm(3, 4, 5) + holder("partnership-board")),  # L54: the PSCB, once, at the end
        ],
        leads=True,
    ),
]


def mail_walk(
    scenario: Scenario, cast: Cast, time_machine: object, smtp: Inbox, work: Any
) -> list[tuple[str, list[str]]]:
    """Walk the scenario's pathway; after each step, run the worker and name everyone e-mailed since the last."""
    if scenario.leads:
        lead(cast, "school")
        lead(cast, "csc")
    names = {p.email: p.name for p in Person.objects.filter(partnership=cast.partnership)}
    walker = Walker(cast, time_machine)
    seen = 0

    def received() -> list[str]:
        nonlocal seen
        work()
        new = smtp.received[seen:]
        seen = len(smtp.received)
        return sorted(names.get(a, f"someone outside the partnership <{a}>") for r in new for a in r.rcpt_tos)

    run = walker.raise_("2027-01-11T10:00", pathway=scenario.pathway, **scenario.raising)
    steps = [(run.stage, received())]
    stages = walker.d.procedure_version.procedure.pathway(scenario.pathway).stages
    for day, stage in enumerate(stages[run.position + 1 :], start=12):
        walker.escalate(Step(stage.slug, f"2027-01-{day}T10:00", {}))
        steps.append((stage.slug, received()))
    walker.resolve("2027-01-25T10:00")
    steps.append(("resolved", received()))
    for r in smtp.received:  # every one names the disagreement by its short reference, never the child
        assert walker.d.reference in r.subject
        assert walker.d.child.reference not in r.subject + r.body
    return steps


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_who_receives_an_email_at_each_step(cast_for, time_machine, smtp: Inbox, work: Any, scenario: Scenario) -> None:
    cast = cast_for(scenario.seed)
    expected = [(stage, sorted(people)) for stage, people in scenario.steps]
    assert mail_walk(scenario, cast, time_machine, smtp, work) == expected
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()  # nothing waiting, nothing failed


def test_enfield_line_managers_have_their_email_the_same_working_day_l60(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T16:50", pathway="escalation")  # ten minutes before the working day ends
    work()
    managers = {cast.at("school", 2).email, cast.at("csc", 2).email}
    assert {a for r in smtp.received for a in r.rcpt_tos} == managers
    sent = Message.objects.filter(address__in=managers)
    assert [m.sent_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") for m in sent if m.sent_at] == [
        "2027-01-11 16:50",
        "2027-01-11 16:50",
    ]


def test_cumbria_scp_chair_and_business_manager_each_get_the_executive_leads_email_l37(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("cumbria")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    for day, stage in enumerate(["level-2", "level-3", "executive-lead", "formal-process"], start=12):
        walker.escalate(Step(stage, f"2027-01-{day}T10:00", {}))
    work()
    chair, copy = smtp.to(cast.role("scp-chair").email), smtp.to(cast.role("scp-business-manager").email)
    assert len(chair) == len(copy) == 1
    assert "By e-mail from the Executive Lead" in chair[0].body
    assert "Copy of the Executive Lead's e-mail to the SCP Chair" in copy[0].body


def test_peterborough_pscb_is_told_once_with_the_appendix_2_form_l54(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("peterborough")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("line-manager", "2027-01-12T10:00", {}))
    walker.resolve("2027-01-13T10:00")
    work()
    pscb = smtp.to(cast.role("partnership-board").email)
    assert len(pscb) == 1
    assert "Form: Appendix 2" in pscb[0].body
    assert "the reason for the escalation and the outcome" in pscb[0].body


def test_pan_lancashire_masa_is_alerted_once_however_many_stages_pass_l27(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("pan-lancashire")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation", flags=["life-threatening-non-involvement"])
    for day, stage in enumerate(["stage-1", "stage-2", "stage-3"], start=12):
        walker.escalate(Step(stage, f"2027-01-{day}T10:00", {}))
        work()
    assert len(smtp.to(cast.role("masa-team").email)) == 1


# Out of hours: Enfield L105, "between 5pm and 9am weekdays or anytime at the weekend"

OUT_OF_HOURS = "Emergency out-of-hours duty team: 020 8379 1000"


@pytest.mark.parametrize(
    ("raised_at", "out_of_hours"),
    [
        ("2027-01-11T20:30", True),  # a Monday evening
        ("2027-01-16T11:00", True),  # a Saturday
        ("2027-01-11T08:45", True),  # before the working day starts
        ("2027-01-11T11:00", False),  # in working hours
    ],
)
def test_enfield_messages_go_at_once_and_out_of_hours_give_the_duty_teams_number_l105(
    cast_for, time_machine, smtp: Inbox, work, raised_at: str, out_of_hours: bool
) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_(raised_at, pathway="escalation")
    work()
    managers = {cast.at("school", 2).email, cast.at("csc", 2).email}
    assert {a for r in smtp.received for a in r.rcpt_tos} == managers  # sent now, not held for the morning
    assert {m.sent_at for m in Message.objects.all()} == {walker.d.raised_at}
    for r in smtp.received:
        assert (OUT_OF_HOURS in r.body) is out_of_hours
        assert ("This was sent outside working hours" in r.body) is out_of_hours
