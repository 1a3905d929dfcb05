"""Who is told at each step, for every pathway of every seed: the people, and (by the lists being exact) nobody else.

Each pathway is walked as its people would (``Walker``): raised at its first stage, escalated through every
stage, then resolved. After each step the test names every notice created and exactly who it went to, so a
notice sent to someone the seed does not name, or at a step the seed does not give, fails the test. The
cast: in each agency one person at every level 1-5 ("school level 2" manages "school level 1"), one holder of
each partnership role ("<role> holder", in no agency), and where the seed has one, a safeguarding lead in
the school and in children's social care. The raiser is "school level 1"; the other agency is csc.
"""

from __future__ import annotations

import pytest

from resolve.disagreements.models import Notice
from tests.conftest import Cast
from tests.disagreements.test_notifications import lead
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db

Told = list[tuple[str, set[str]]]
MANAGERS = {"school level 2", "csc level 2"}
PARTIES = {"school level 1", "csc level 1"}


def holder(role: str) -> set[str]:
    return {f"{role} holder"}


def confirm(*levels: int) -> tuple[str, set[str]]:
    """The school proposed the outcome: csc's people at these levels, who can confirm it for csc, are asked to."""
    return (Notice.Kind.OUTCOME_PROPOSED, {f"csc level {n}" for n in levels})


def walk(cast: Cast, time_machine: object, pathway: str, **raising: object) -> list[tuple[str, Told]]:
    """Walk ``pathway`` end to end; for each step (each stage entered, then ``resolved``), who was told what.

    A notice the procedure names is shown by whom it is addressed to; one of the events every procedure
    needs, by its kind (an outcome proposed asks the other agency to confirm it).
    """
    walker = Walker(cast, time_machine)
    seen: set[int] = set()

    def new() -> Told:
        out: Told = []
        for notice in Notice.objects.filter(disagreement=walker.d).order_by("pk"):
            if notice.pk not in seen:
                seen.add(notice.pk)
                told = notice.to if notice.kind == Notice.Kind.PROCEDURE else notice.kind
                out.append((told, {p.name for p in notice.recipients.all()}))
        return out

    run = walker.raise_("2027-01-11T10:00", pathway=pathway, **raising)
    steps = [(run.stage, new())]
    stages = walker.d.procedure_version.procedure.pathway(pathway).stages
    for day, stage in enumerate(stages[run.position + 1 :], start=12):
        walker.escalate(Step(stage.slug, f"2027-01-{day}T10:00", {}))
        steps.append((stage.slug, new()))
    walker.resolve("2027-01-25T10:00")
    steps.append(("resolved", new()))
    return steps


# Cumbria (seed 004)


def test_cumbria_escalation_who_is_told_at_each_level(cast_for, time_machine) -> None:
    assert walk(cast_for("cumbria"), time_machine, "escalation") == [
        ("level-1", []),  # L19: not yet: only "if they are unable to do so"
        ("level-2", [("line_managers", MANAGERS)]),  # L19: escalated, so reported to their line managers
        ("level-3", []),
        ("executive-lead", []),  # L29: nothing agreed at Level 3, so nothing fed back
        (
            "formal-process",
            [("scp-chair", holder("scp-chair")), ("scp-business-manager", holder("scp-business-manager"))],
        ),  # L37
        ("resolved", [("partnership", holder("partnership"))]),  # L41: formal use reported to the Partnership
    ]


def test_cumbria_resolved_at_level_3_feeds_the_agreed_action_back_to_the_managers_involved_l29(
    cast_for, time_machine
) -> None:
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("level-2", "2027-01-12T10:00", {}))
    walker.escalate(Step("level-3", "2027-01-13T10:00", {}))
    d = walker.resolve("2027-01-14T10:00")
    notices = d.notices.filter(source="L29")
    assert [(n.stage_run and n.stage_run.stage, {p.name for p in n.recipients.all()}) for n in notices] == [
        ("level-3", MANAGERS)
    ]


# Enfield (seed 001)


def test_enfield_escalation_who_is_told_at_each_stage(cast_for, time_machine) -> None:
    assert walk(cast_for("enfield"), time_machine, "escalation") == [
        ("stage-1", [("line_managers", MANAGERS)]),  # L60: line managers informed the same working day
        # L62: "a Head of Service or equivalent": level 3 in education, level 4 in children's social care (Appendix B)
        ("stage-2", [("stage_level", {"school level 3", "csc level 4"})]),
        (
            "stage-3",
            [
                ("business-unit", holder("business-unit")),  # L84-86: Level 4 now involved; once
                ("raiser", {"school level 1"}),  # L64: feedback as stage 2 closes
            ],
        ),
        (
            "step-4",
            [
                ("raiser", {"school level 1"}),  # L64
                ("partnership-manager", holder("partnership-manager")),  # L70
                ("escp-chair", holder("escp-chair")),  # L70
                ("business-unit", holder("business-unit")),  # L84: escalation to the partnership's chair
            ],
        ),
        # csc's Level 4 and 5 are asked to confirm the outcome; L64; no learning recorded: no L82 notice
        ("resolved", [confirm(4, 5), ("raiser", {"school level 1"})]),
    ]


def test_enfield_cross_borough_escalation_adds_the_other_authoritys_counterparts(cast_for, time_machine) -> None:
    steps = dict(walk(cast_for("enfield"), time_machine, "escalation", flags=["cross-borough"]))
    heads = {"school level 3", "csc level 4"}  # each agency's Head of Service or equivalent (Appendix B)
    assert steps["stage-2"] == [("stage_level", heads), ("stage_level", heads)]  # L62 and L88-90
    assert ("escp-chair", holder("escp-chair")) in steps["step-4"][4:]  # L88-90: the other partnership's chair too
    assert [to for to, _ in steps["step-4"]].count("business-unit") == 1


def test_enfield_conference_request_who_is_told(cast_for, time_machine) -> None:
    assert walk(cast_for("enfield"), time_machine, "conference-request") == [
        ("stage-1", [("line_managers", MANAGERS)]),  # L60
        ("formal-request", [("parties", PARTIES)]),  # L74: the formal request made
        ("resolved", [confirm(2, 3, 4, 5)]),
    ]


def test_enfield_short_notice_round_table_who_is_told(cast_for, time_machine) -> None:
    assert walk(cast_for("enfield"), time_machine, "short-notice-round-table") == [
        ("round-table", [("business-unit", holder("business-unit"))]),  # L84-86: senior staff at Level 4
        ("resolved", [confirm(4, 5), ("parties", PARTIES)]),  # L78: actions communicated to front line staff
    ]


# North East Lincolnshire (seed 000)


def test_north_east_lincolnshire_individual_cases_who_is_told(cast_for, time_machine) -> None:
    assert walk(cast_for("north-east-lincolnshire"), time_machine, "individual-cases") == [
        ("a-practitioner", []),
        ("b-line-manager", [("line_managers", MANAGERS)]),
        ("c-senior-manager", [confirm(2, 3, 4, 5)]),  # B's written confirmation, asked of csc's line managers up
        ("d-multi-agency-review", []),
        ("e-safeguarding-partners", [("safeguarding-partners", holder("safeguarding-partners"))]),
        ("resolved", [confirm(3, 4, 5)]),  # E acts through the senior managers (level 3)
    ]


def test_north_east_lincolnshire_convening_conference_who_is_told(cast_for, time_machine) -> None:
    assert walk(cast_for("north-east-lincolnshire"), time_machine, "convening-conference") == [
        ("a-service-manager", [("service-manager-irs", holder("service-manager-irs"))]),
        ("b-deputy-service-director", [("deputy-service-director", holder("deputy-service-director"))]),
        ("c-multi-agency-review", []),
        ("d-safeguarding-partners", [("safeguarding-partners", holder("safeguarding-partners"))]),
        ("resolved", [confirm(3, 4, 5)]),
    ]


def test_north_east_lincolnshire_conference_majority_who_is_told(cast_for, time_machine) -> None:
    assert walk(
        cast_for("north-east-lincolnshire"), time_machine, "conference-majority", conference_kind="initial"
    ) == [
        ("majority-decision", []),
        ("a-line-manager", [("line_managers", MANAGERS), ("service-manager-irs", holder("service-manager-irs"))]),
        ("b-deputy-service-director", [confirm(2, 3, 4, 5)]),
        ("c-multi-agency-review", []),
        ("d-safeguarding-partners", [("safeguarding-partners", holder("safeguarding-partners"))]),
        ("resolved", [confirm(3, 4, 5)]),
    ]


def test_north_east_lincolnshire_conference_equally_divided_who_is_told(cast_for, time_machine) -> None:
    steps = walk(
        cast_for("north-east-lincolnshire"), time_machine, "conference-equally-divided", conference_kind="review"
    )
    assert steps == [
        ("adjournment", [("line_managers", MANAGERS)]),
        # the adjournment's written confirmation, asked of csc's line managers and above
        ("reconvened", [confirm(2, 3, 4, 5), ("parties", PARTIES | holder("conference-chair"))]),
        ("a-deputy-service-director", [("deputy-service-director", holder("deputy-service-director"))]),
        ("b-multi-agency-review", []),
        ("c-safeguarding-partners", [("safeguarding-partners", holder("safeguarding-partners"))]),
        ("resolved", [confirm(3, 4, 5)]),
    ]


def test_north_east_lincolnshire_serious_case_who_is_told(cast_for, time_machine) -> None:
    assert walk(cast_for("north-east-lincolnshire"), time_machine, "serious-case") == [
        (
            "a-partners-representatives",
            [
                ("partnership-team", holder("partnership-team")),
                ("partners-representatives", holder("partners-representatives")),
            ],
        ),
        ("b-safeguarding-partners", [("safeguarding-partners", holder("safeguarding-partners"))]),
        ("c-independent-scrutiny-officer", [("independent-scrutiny-officer", holder("independent-scrutiny-officer"))]),
        ("resolved", [confirm(1, 2, 3, 4, 5)]),  # no stage of the pathway names a level: anyone in csc confirms
    ]


# Pan-Lancashire (seed 003)


def pan_lancashire(cast_for) -> Cast:
    cast = cast_for("pan-lancashire")
    lead(cast, "school")
    lead(cast, "csc")
    return cast


@pytest.mark.parametrize("life_threatening", [False, True])
def test_pan_lancashire_escalation_who_is_told_at_each_stage(cast_for, time_machine, life_threatening: bool) -> None:
    flags = ["life-threatening-non-involvement"] if life_threatening else []
    masa = [("masa-team", holder("masa-team"))]
    assert walk(pan_lancashire(cast_for), time_machine, "escalation", flags=flags) == [
        ("practitioner", masa if life_threatening else []),  # L27: at the earliest opportunity, once
        # L23: the Safeguarding Lead in the raiser's own organisation: not csc's, not a partnership-wide holder
        ("stage-1", [("safeguarding-lead", {"school safeguarding lead"})]),
        ("stage-2", []),  # L27's alert is not repeated
        ("stage-3", []),
        ("highest-management", masa),  # L44: senior officers involved
        ("formal-procedure", []),
        ("resolved", [confirm(5)]),  # acting at the highest management's level
    ]


# Peterborough (seed 002)


def test_peterborough_escalation_who_is_told_at_each_stage(cast_for, time_machine) -> None:
    cast = cast_for("peterborough")
    lead(cast, "school")
    lead(cast, "csc")
    assert walk(cast, time_machine, "escalation") == [
        # L36: the advice is offered to the worker (who is shown their own organisation's lead); no lead is told
        ("practitioner", [("raiser", {"school level 1"})]),
        ("line-manager", [("line_managers", MANAGERS)]),  # L37
        # the line managers' written confirmation (L54), then L52: the senior managers
        ("senior-managers", [confirm(2, 3, 4, 5), ("stage_level", {"school level 3", "csc level 3"})]),
        (
            "independent-chair",
            [
                confirm(3, 4, 5),  # the senior managers' written confirmation (L54)
                ("head-of-service-boards", holder("head-of-service-boards")),  # L53
                ("independent-chair", holder("independent-chair")),  # L53
            ],
        ),
        # acting through the senior managers; L54: the PSCB told once, when the process ends
        ("resolved", [confirm(3, 4, 5), ("partnership-board", holder("partnership-board"))]),
    ]
