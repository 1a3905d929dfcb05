"""Pan-Lancashire's shipped definition says what Blackpool's briefing says, as a business manager would check it.

No Django: the YAML file is read and validated against the procedure schema directly. Line numbers are those
of shared/seeds/003_7e5a23bf1e0c6812.txt.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolve.procedures.schema import Procedure
from tests.procedures.definitions import raw_definition, stage, timescale

STAGES_1_TO_3 = ("stage-1", "stage-2", "stage-3")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_definition("pan-lancashire")


@pytest.fixture(scope="module")
def pan(raw: dict[str, Any]) -> Procedure:
    return Procedure.model_validate(raw)


def test_identity(pan: Procedure) -> None:
    assert pan.slug == "pan-lancashire"
    assert pan.nation == "ENG"
    assert pan.partnership == (
        "Blackpool Safeguarding Partnership (Pan-Lancashire Resolving Professional Disagreements / Escalation Policy)"
    )
    assert pan.version == "Undated briefing (cites Working Together 2023)"
    assert pan.document.startswith("shared/seeds/003_7e5a23bf1e0c6812.txt")
    # the seed states no significant-harm deadline: none is computed, its own words are shown (instructions)
    assert pan.significant_harm is None


def test_one_pathway_with_the_stages_in_order(pan: Procedure) -> None:
    assert [(p.slug, [s.slug for s in p.stages]) for p in pan.pathways] == [
        (
            "escalation",
            ["practitioner", "stage-1", "stage-2", "stage-3", "highest-management", "formal-procedure"],
        )
    ]


def test_handlers_climb_one_tier_of_line_management_a_stage(pan: Procedure) -> None:
    levels = [s.handlers.level for s in pan.pathway("escalation").stages]
    assert levels == [1, 2, 3, 4, 5, 5]
    assert "Safeguarding Lead" in stage(pan, "practitioner").handlers.description
    assert "first line managers" in stage(pan, "stage-1").handlers.description
    assert "senior or service managers" in stage(pan, "stage-3").handlers.description
    top = stage(pan, "highest-management").handlers.description
    assert "highest level of management within each organisation" in top


def test_practitioner_level_is_swiftly_with_no_date(pan: Procedure) -> None:
    (swiftly,) = stage(pan, "practitioner").timescales
    assert (swiftly.rule, swiftly.words, swiftly.computable, swiftly.source) == ("words", "swiftly", False, "L23")


@pytest.mark.parametrize("slug", STAGES_1_TO_3)
def test_each_of_stages_1_to_3_within_5_working_days_of_its_own_start(pan: Procedure, slug: str) -> None:
    t = timescale(pan, slug, "stage-complete")
    assert (t.rule, t.n, t.from_, t.applies, t.step, t.source) == (
        "working_days",
        5,
        "stage_start",
        "always",
        False,
        "L27",
    )


@pytest.mark.parametrize("slug", STAGES_1_TO_3)
def test_stages_1_to_3_capped_at_15_working_days_from_stage_1s_start(pan: Procedure, slug: str) -> None:
    t = timescale(pan, slug, "maximum")
    assert (t.rule, t.n, t.from_, t.applies, t.step, t.source) == (
        "working_days",
        15,
        "stage_start:stage-1",
        "always",
        False,
        "L27",
    )
    # both are stage deadlines (neither a step), so the earlier wins
    assert {x.slug for x in stage(pan, slug).timescales if not x.step} == {"stage-complete", "maximum"}


def test_no_invented_clock_outside_stages_1_to_3(pan: Procedure) -> None:
    computed = {(s.slug, t.slug) for s in pan.pathway("escalation").stages for t in s.timescales if t.computable}
    assert computed == {(s, t) for s in STAGES_1_TO_3 for t in ("stage-complete", "maximum")}
    assert stage(pan, "formal-procedure").timescales == ()
    (swiftly,) = stage(pan, "highest-management").timescales
    assert swiftly.rule == "words"
    assert "swiftly" in (swiftly.words or "")


@pytest.mark.parametrize("slug", [*STAGES_1_TO_3, "highest-management"])
def test_written_records_of_all_discussions(pan: Procedure, slug: str) -> None:
    (record,) = stage(pan, slug).records
    assert record.kind == "discussion_note"
    assert record.title == "Written records of all these discussions"
    assert "escalate" in record.required_before
    assert record.source == "L42"


def test_masa_told_at_the_earliest_opportunity_when_an_agency_keeps_out_of_a_life_threatening_case(
    pan: Procedure,
) -> None:
    assert [f.slug for f in pan.flags] == ["life-threatening-non-involvement"]
    (notice,) = [n for n in pan.notifications if n.to == "masa-team"]
    assert (notice.when, notice.flag, notice.timing, notice.source) == (
        "entry",
        "life-threatening-non-involvement",
        "at the earliest opportunity",
        "L27",
    )
    # the flag changes no stage clock: no timescale turns on it
    assert not [t for s in pan.pathway("escalation").stages for t in s.timescales if t.flag]
    assert any("immediate action to reduce the risk of harm" in note for note in pan.notes)


def test_masa_made_aware_when_the_highest_level_of_management_is_involved(pan: Procedure) -> None:
    (notice,) = stage(pan, "highest-management").notifications
    assert (notice.to, notice.when, notice.flag, notice.source) == ("masa-team", "entry", None, "L44")
    # nowhere else in the pathway does a stage tell MASA
    others = [s.slug for s in pan.pathway("escalation").stages if any(n.to == "masa-team" for n in s.notifications)]
    assert others == ["highest-management"]


def test_masa_team_is_a_team_with_no_contact_in_the_seed(pan: Procedure) -> None:
    masa = pan.role("masa-team")
    assert (masa.kind, masa.contact) == ("team", None)


def test_formal_procedure_is_not_described_in_the_seed(pan: Procedure) -> None:
    formal = stage(pan, "formal-procedure")
    assert "per the Pan-Lancashire policy; not described in the seed" in formal.summary
    assert formal.records == ()
    assert formal.notifications == ()
    assert not formal.urgent_start
    assert not formal.decision_final


def test_no_urgent_start_the_briefing_does_not_state(pan: Procedure) -> None:
    assert not [s.slug for s in pan.pathway("escalation").stages if s.urgent_start]


def test_the_four_categories_of_l19(pan: Procedure) -> None:
    assert [(c.slug, c.source, c.refuse_with) for c in pan.categories] == [
        ("front-door-referral", "L19", None),
        ("threshold", "L19", None),
        ("provision-of-services", "L19", None),
        ("information-sharing", "L19", None),
    ]
    assert "Request for Support Hub" in pan.category("front-door-referral").name


def test_notes_carry_the_checklist_and_the_framing(pan: Procedure) -> None:
    notes = " ".join(pan.notes)
    for question in (
        "Have I read the policy in full?",
        "Is my team aware of and confident to use this procedure?",
        "Have I followed all stages of the policy appropriately?",
        "Have I made written records of all these discussions?",
    ):
        assert question in notes
    assert "'resolving professional differences' rather than 'escalation'" in notes


def test_the_life_threatening_flag_requires_a_record_of_the_immediate_action_taken(pan: Procedure) -> None:
    # L27: "Where there is a need for intervention to prevent a life threatening episode immediate action to
    # reduce the risk of harm will be required by all relevant parties whilst the dispute is ongoing."
    flagged = [(s.slug, r) for s in pan.pathway("escalation").stages for r in s.records if r.flag]
    assert [slug for slug, _ in flagged] == ["practitioner"]  # where the flag is set: the case is raised there
    ((_, record),) = flagged
    assert record.flag == "life-threatening-non-involvement"
    assert record.required_before == ("escalate", "resolve")
    assert "immediate action" in record.title
    assert "reduce the risk of harm" in record.title
    assert record.source == "L27"
    # the flag changes no clock (READING 4.2): no timescale turns on it
    assert not any(t.flag for s in pan.pathway("escalation").stages for t in s.timescales)
