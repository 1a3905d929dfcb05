"""Enfield's shipped definition says what the protocol says, as a partnership business manager would check it.

No Django: the YAML file is read and validated against the procedure schema directly. Line numbers are those
of shared/seeds/001_c4333947cb7e0dcc.txt.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolve.procedures.schema import Procedure, Timescale
from tests.procedures.definitions import raw_definition


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_definition("enfield")


@pytest.fixture(scope="module")
def enfield(raw: dict[str, Any]) -> Procedure:
    return Procedure.model_validate(raw)


def timescale(procedure: Procedure, pathway: str, stage: str, slug: str) -> Timescale:
    (found,) = [t for t in procedure.pathway(pathway).stage(stage).timescales if t.slug == slug]
    return found


def test_identity(enfield: Procedure) -> None:
    assert enfield.slug == "enfield"
    assert enfield.nation == "ENG"
    assert enfield.version == "Undated (cites Working Together 2023)"
    assert enfield.document.startswith("shared/seeds/001_c4333947cb7e0dcc.txt")
    # the seed states no significant-harm deadline: none is computed, its own words are shown (instructions)
    assert enfield.significant_harm is None


def test_pathways_and_stages_in_order(enfield: Procedure) -> None:
    assert [(p.slug, [s.slug for s in p.stages]) for p in enfield.pathways] == [
        ("escalation", ["stage-1", "stage-2", "stage-3", "step-4"]),
        ("conference-request", ["stage-1", "formal-request"]),
        ("short-notice-round-table", ["round-table"]),
    ]
    assert [s.name for s in enfield.pathway("escalation").stages] == ["Stage 1", "Stage 2", "Stage 3", "Step 4"]


def test_stage_handlers(enfield: Procedure) -> None:
    escalation = enfield.pathway("escalation")
    assert escalation.stage("stage-1").handlers.level == 2
    assert escalation.stage("stage-2").handlers.level == 3
    assert "Head of Service or equivalent" in escalation.stage("stage-2").handlers.description
    assert escalation.stage("stage-3").handlers.level == 4
    assert "next senior person" in escalation.stage("stage-3").handlers.description
    assert escalation.stage("step-4").handlers.roles == ("partnership-manager", "escp-chair")
    round_table = enfield.pathway("short-notice-round-table").stage("round-table")
    assert round_table.handlers.description == "Heads of Service/ DCI/ Designated leads"
    assert round_table.handlers.level == 4
    assert round_table.urgent_start


def test_stage_1_line_managers_informed_the_same_working_day(enfield: Procedure) -> None:
    for pathway in ("escalation", "conference-request"):
        t = timescale(enfield, pathway, "stage-1", "line-managers-informed")
        assert (t.rule, t.n, t.from_) == ("same_working_day", None, "stage_start")
        assert "L60" in t.source


def test_stage_2_referral_next_working_day_and_meeting_2_working_days_after_it(enfield: Procedure) -> None:
    referral = timescale(enfield, "escalation", "stage-2", "referral")
    assert (referral.rule, referral.n, referral.from_, referral.source) == (
        "next_working_day",
        None,
        "stage_start",
        "L62",
    )
    assert referral.words == "without delay, but no later than the next working day"
    meeting = timescale(enfield, "escalation", "stage-2", "professionals-meeting")
    assert (meeting.rule, meeting.n, meeting.from_, meeting.source) == ("working_days", 2, "due:referral", "L62")


@pytest.mark.parametrize("stage", ["stage-3", "step-4"])
def test_one_five_working_day_clock_from_the_start_of_stage_1(enfield: Procedure, stage: str) -> None:
    t = timescale(enfield, "escalation", stage, "resolution")
    assert (t.rule, t.n, t.from_, t.source) == ("working_days", 5, "stage_start:stage-1", "L68")


def test_only_the_four_stated_timescales_are_computed(enfield: Procedure) -> None:
    computed = {
        (p.slug, s.slug, t.slug, t.rule, t.n, t.from_)
        for p in enfield.pathways
        for s in p.stages
        for t in s.timescales
        if t.computable
    }
    assert computed == {
        ("escalation", "stage-1", "line-managers-informed", "same_working_day", None, "stage_start"),
        ("conference-request", "stage-1", "line-managers-informed", "same_working_day", None, "stage_start"),
        ("escalation", "stage-2", "referral", "next_working_day", None, "stage_start"),
        ("escalation", "stage-2", "professionals-meeting", "working_days", 2, "due:referral"),
        # L68's overall deadline, shown from stage 1 onwards (READING 2.7)
        ("escalation", "stage-1", "resolution", "working_days", 5, "stage_start:stage-1"),
        ("escalation", "stage-2", "resolution", "working_days", 5, "stage_start:stage-1"),
        ("escalation", "stage-3", "resolution", "working_days", 5, "stage_start:stage-1"),
        ("escalation", "step-4", "resolution", "working_days", 5, "stage_start:stage-1"),
    }


def test_words_only_timescales_keep_the_seeds_words(enfield: Procedure) -> None:
    cross = timescale(enfield, "escalation", "stage-2", "cross-borough-escalation")
    assert (cross.rule, cross.flag) == ("words", "cross-borough")
    assert cross.words == "immediately escalated through the agency management structure"
    round_table = timescale(enfield, "short-notice-round-table", "round-table", "round-table")
    assert round_table.rule == "words"
    assert "timely" in (round_table.words or "")
    assert "short notice" in (round_table.words or "")


def test_stage_2_records_and_feedback(enfield: Procedure) -> None:
    stage = enfield.pathway("escalation").stage("stage-2")
    kinds = {r.kind: r for r in stage.records}
    assert set(kinds) == {"discussion_note", "executive_summary"}
    summary = kinds["executive_summary"]
    assert summary.title == "An executive summary of the concerns and how they were resolved"
    assert summary.required_before == ("resolve",)
    assert summary.kept_by == ("the child's case file", "the agency raising the concern")
    (feedback,) = [n for n in stage.notifications if n.to == "raiser"]
    assert (feedback.when, feedback.timing, feedback.source) == ("close", "timely", "L64")


def test_conference_request_needs_a_written_request(enfield: Procedure) -> None:
    stage = enfield.pathway("conference-request").stage("formal-request")
    assert [r.kind for r in stage.records] == ["written_request"]
    assert "Children's Social Care should convene a conference" in stage.summary


def test_round_table_actions_go_to_front_line_staff_for_case_files(enfield: Procedure) -> None:
    (record,) = enfield.pathway("short-notice-round-table").stage("round-table").records
    assert "front line staff" in record.title
    assert "case files" in record.title


def test_level_4_escalations_go_to_the_business_unit_once_anyone_at_level_4_takes_part(enfield: Procedure) -> None:
    # L84-86: keyed to the level of the people involved, at any time, not to a stage's entry
    (rule,) = [n for n in enfield.notifications if n.min_level is not None]
    assert (rule.to, rule.min_level, rule.when, rule.source) == ("business-unit", 4, "involved", "L84-86")
    unit = enfield.role("business-unit")
    assert (unit.kind, unit.contact) == ("business_unit", "safeguardingenfield@enfield.gov.uk")
    # and Step 4 (escalation to the partnership's chair) tells the business unit on entry
    step_4 = enfield.pathway("escalation").stage("step-4")
    assert any(n.to == "business-unit" and n.when == "entry" for n in step_4.notifications)


def test_learning_goes_to_the_practice_improvement_group_only_when_recorded(enfield: Procedure) -> None:
    # L82: wider learning points or gaps in policies go to the Practice Improvement Group; gaps in policies
    # also to the Independent Chair; each only once a handler records that it holds
    learning = [n for n in enfield.notifications if n.to == "practice-improvement-group"]
    assert {(n.when, n.condition, n.source) for n in learning} == {
        ("condition", "wider-learning", "L82"),
        ("condition", "policy-gaps", "L82"),
    }
    (chair,) = [n for n in enfield.notifications if n.to == "escp-chair"]
    assert (chair.when, chair.condition) == ("condition", "policy-gaps")
    assert {c.slug: c.source for c in enfield.conditions} == {"wider-learning": "L82", "policy-gaps": "L82"}
    assert enfield.role("practice-improvement-group").kind == "other"


def test_partnership_roles(enfield: Procedure) -> None:
    assert {r.slug: r.kind for r in enfield.roles} == {
        "business-unit": "business_unit",
        "partnership-manager": "team",
        "escp-chair": "chair",
        "practice-improvement-group": "other",
        "lado": "other",
    }


def test_appendix_b_matrix(enfield: Procedure) -> None:
    matrix = enfield.seniority
    assert matrix is not None
    assert [lv.name for lv in matrix.levels] == ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]
    assert [a.slug for a in matrix.agencies] == [
        "met-police",
        "childrens-social-care",
        "early-help",
        "yot",
        "commissioning-primary-care",
        "community-health",
        "acute-hospital",
        "mental-health",
        "education",
    ]
    assert matrix.above_top == "Executive Director for People"
    assert matrix.title("met-police", 1) == "PC / DC (investigating officer)"
    assert matrix.title("met-police", 2) == "Detective Sergeant"
    assert matrix.title("met-police", 3) == "Detective Inspector"
    assert matrix.title("met-police", 4) == "Inspector"
    assert matrix.title("childrens-social-care", 2) == "Team Manager"
    assert matrix.title("childrens-social-care", 3) == "Service Manager"
    assert matrix.title("childrens-social-care", 5) == "Director of Children and Family Services"
    assert matrix.title("yot", 3) == "Head of Service YOT"
    assert matrix.title("education", 5) == "Executive Headteacher"


def test_blank_cells_are_left_out_and_flagged(enfield: Procedure) -> None:
    matrix = enfield.seniority
    assert matrix is not None
    assert matrix.title("childrens-social-care", 4) is None
    assert matrix.title("early-help", 5) is None
    assert matrix.title("yot", 5) is None
    csc = next(a for a in matrix.agencies if a.slug == "childrens-social-care")
    assert any("Head of Service" in note and "confirm" in note for note in csc.notes)
    police = next(a for a in matrix.agencies if a.slug == "met-police")
    assert any("Detective Chief Inspector" in note for note in police.notes)
    early_help = next(a for a in matrix.agencies if a.slug == "early-help")
    assert any("Touthand" in note and "Youth and" in note for note in early_help.notes)
    # no OCR arrows or markup survive in a title
    for agency in matrix.agencies:
        for title in agency.roles.values():
            assert not any(mark in title for mark in ("\\uparrow", "↑", "←", "→", "<u>", "••", "Touthand")), title


def test_conduct_concerns_and_single_agency_disagreements_are_refused(enfield: Procedure) -> None:
    conduct = enfield.category("professional-conduct")
    assert conduct.pathway is None
    assert conduct.refuse_with is not None
    assert "Whistleblowing Policy" in conduct.refuse_with
    assert "LADO" in conduct.refuse_with
    assert conduct.source == "L21"
    single = enfield.category("single-agency")
    assert single.refuse_with is not None
    assert single.source == "L21"


def test_practice_situations_route_to_their_pathways(enfield: Procedure) -> None:
    routes = {c.slug: c.pathway for c in enfield.categories if not c.refuse_with}
    assert routes == {
        "threshold-referral": "escalation",
        "course-of-action": "escalation",
        "action-not-completed": "escalation",
        "case-closure": "escalation",
        "conference-refused": "conference-request",
        "lado-risk-management": "short-notice-round-table",
        "complex-high-risk": "short-notice-round-table",
    }


def test_cross_borough_flag(enfield: Procedure) -> None:
    assert [f.slug for f in enfield.flags] == ["cross-borough"]
    assert any("counterpart" in n.what for n in enfield.pathway("escalation").stage("stage-2").notifications if n.flag)


def test_contacts(enfield: Procedure) -> None:
    details = {c.detail: c for c in enfield.contacts}
    assert set(details) == {
        "safeguardingenfield@enfield.gov.uk",
        "https://cp.childrensportal.enfield.gov.uk/web/portal/pages/home",
        "0208 379 5555",
        "020 8379 1000",
        "999",
    }
    assert details["020 8379 1000"].when == "between 5pm and 9am weekdays or anytime at the weekend"


def test_the_emergency_duty_team_is_the_one_out_of_hours_contact(enfield: Procedure) -> None:
    # L105: "between 5pm and 9am weekdays or anytime at the weekend, call the Emergency out-of-hours duty team";
    # L56: disagreements "can occur at any time, not just during office hours"
    (duty,) = [c for c in enfield.contacts if c.out_of_hours]
    assert (duty.name, duty.detail, duty.source) == ("Emergency out-of-hours duty team", "020 8379 1000", "L105, L56")
