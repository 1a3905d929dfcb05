"""Cumbria's shipped definition says what its Escalation Policy (v9) says, as a business manager would check it.

No Django: the YAML file is read and validated against the procedure schema directly. Line numbers are those
of shared/seeds/004_9b3c276dd4cd4e8f.txt.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolve.procedures.schema import Procedure
from tests.procedures.definitions import raw_definition, stage, timescale


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_definition("cumbria")


@pytest.fixture(scope="module")
def cumbria(raw: dict[str, Any]) -> Procedure:
    return Procedure.model_validate(raw)


def test_identity(cumbria: Procedure) -> None:
    assert cumbria.slug == "cumbria"
    assert cumbria.nation == "ENG"
    assert cumbria.partnership == "Cumberland and Westmorland and Furness Safeguarding Children Partnership"
    assert cumbria.version == "v9, last updated 5 February 2024"
    assert cumbria.document.startswith("shared/seeds/004_9b3c276dd4cd4e8f.txt")
    # the seed states no significant-harm deadline: none is computed, its own words are shown (instructions)
    assert cumbria.significant_harm is None


def test_one_pathway_with_the_stages_in_order(cumbria: Procedure) -> None:
    assert [(p.slug, [s.slug for s in p.stages]) for p in cumbria.pathways] == [
        ("escalation", ["level-1", "level-2", "level-3", "executive-lead", "formal-process"])
    ]
    assert [s.handlers.level for s in cumbria.pathway("escalation").stages] == [1, 2, 3, 4, None]


def test_level_1_reports_to_line_managers(cumbria: Procedure) -> None:
    (notice,) = stage(cumbria, "level-1").notifications
    assert (notice.to, notice.source) == ("line_managers", "L19")
    assert "line managers or equivalent" in notice.what


def test_level_2_line_managers_or_the_designated_or_named_professional(cumbria: Procedure) -> None:
    handlers = stage(cumbria, "level-2").handlers
    assert handlers.level == 2
    assert "line managers" in handlers.description
    assert "designated or named professional" in handlers.description


def test_level_3_without_delay_immediately_and_recorded_on_the_childs_file(cumbria: Procedure) -> None:
    referral = timescale(cumbria, "level-3", "referral")
    feedback = timescale(cumbria, "level-3", "feedback")
    assert (referral.rule, referral.words, referral.computable, referral.source) == (
        "words",
        "without delay",
        False,
        "L27",
    )
    assert (feedback.rule, feedback.words, feedback.computable, feedback.source) == (
        "words",
        "immediately",
        False,
        "L29",
    )
    (record,) = stage(cumbria, "level-3").records
    assert "detail of the conflict and agreements reached" in record.title
    assert record.kept_by == ("the child's file",)
    assert record.source == "L29"
    (fed_back,) = stage(cumbria, "level-3").notifications
    assert (fed_back.to, fed_back.when, fed_back.timing, fed_back.source) == (
        "line_managers",
        "final",
        "immediately",
        "L29",
    )
    assert "Head teachers" in stage(cumbria, "level-3").handlers.description


def test_executive_lead(cumbria: Procedure) -> None:
    handlers = stage(cumbria, "executive-lead").handlers
    assert handlers.level == 4
    assert "Assistant Director - Children and Families" in handlers.description
    assert stage(cumbria, "executive-lead").timescales == ()


def test_no_invented_clock_before_the_formal_process(cumbria: Procedure) -> None:
    computed = {(s.slug, t.slug) for s in cumbria.pathway("escalation").stages for t in s.timescales if t.computable}
    assert computed == {("formal-process", "decision"), ("formal-process", "decision-child-protection")}


def test_formal_process_decided_within_7_working_days(cumbria: Procedure) -> None:
    t = timescale(cumbria, "formal-process", "decision")
    assert (t.rule, t.n, t.from_, t.applies, t.step, t.source) == (
        "working_days",
        7,
        "stage_start",
        "always",
        False,
        "L35",
    )


def test_formal_process_decided_within_24_clock_hours_for_child_protection(cumbria: Procedure) -> None:
    t = timescale(cumbria, "formal-process", "decision-child-protection")
    assert (t.rule, t.n, t.from_, t.applies, t.step, t.source) == (
        "hours",
        24,
        "stage_start",
        "child_protection",
        False,
        "L35",
    )
    # both clocks are stage deadlines, so the earlier (24 hours) wins for child protection
    assert {x.slug for x in stage(cumbria, "formal-process").timescales if not x.step} == {
        "decision",
        "decision-child-protection",
    }


def test_formal_process_needs_an_independent_reviewers_decision_which_is_final(cumbria: Procedure) -> None:
    formal = stage(cumbria, "formal-process")
    assert formal.independent_reviewer
    assert formal.decision_final
    assert formal.handlers.roles == ("scp-chair", "scp-member")
    records = {r.kind: r for r in formal.records}
    assert set(records) == {"written_request", "reviewer_decision"}
    assert records["reviewer_decision"].required_before == ("resolve",)
    assert records["reviewer_decision"].source == "L39"
    assert records["written_request"].required_before == ("resolve",)
    assert "what has been done to try and resolve it at an informal stage" in records["written_request"].title
    assert records["written_request"].source == "L37"
    # it is the last stage: nothing to escalate to after the decision
    assert cumbria.pathway("escalation").stages[-1] is formal


def test_roles(cumbria: Procedure) -> None:
    assert {r.slug: r.kind for r in cumbria.roles} == {
        "scp-chair": "chair",
        "scp-member": "independent_reviewer",
        "scp-business-manager": "business_unit",
        "partnership": "partners",
    }


def test_the_chair_is_e_mailed_and_the_business_manager_copied_on_the_formal_process(cumbria: Procedure) -> None:
    notices = stage(cumbria, "formal-process").notifications
    assert [(n.to, n.when, n.source) for n in notices] == [
        ("scp-chair", "entry", "L37"),
        ("scp-business-manager", "entry", "L37"),
    ]


def test_formal_use_reported_to_the_partnership(cumbria: Procedure) -> None:
    (notice,) = cumbria.notifications
    assert (notice.to, notice.when, notice.reached_stage, notice.source) == (
        "partnership",
        "close",
        "formal-process",
        "L41",
    )
    assert "learning" in notice.what


def test_urgent_cases_may_start_at_level_3_or_above(cumbria: Procedure) -> None:
    urgent = [s.slug for s in cumbria.pathway("escalation").stages if s.urgent_start]
    assert urgent == ["level-3", "executive-lead", "formal-process"]


def test_six_categories_and_the_two_refused_by_l8(cumbria: Procedure) -> None:
    taken = [(c.slug, c.source) for c in cumbria.categories if not c.refuse_with]
    assert taken == [
        ("referral-threshold", "L10"),
        ("further-information", "L11"),
        ("child-protection-procedures", "L12"),
        ("child-protection-enquiry", "L13"),
        ("information-or-services", "L14"),
        ("assessment-outcome", "L15"),
    ]
    assert all(c.pathway == "escalation" for c in cumbria.categories if not c.refuse_with)
    refused = {c.slug: c for c in cumbria.categories if c.refuse_with}
    assert set(refused) == {"initial-conference", "plan-implementation"}
    for category in refused.values():
        assert category.source == "L8"
        assert category.pathway is None
        assert "child protection procedures" in (category.refuse_with or "")
    assert "Initial Child Protection Conference" in refused["initial-conference"].name
    assert "Child Protection Plan" in refused["plan-implementation"].name


def test_out_of_scope_and_notes(cumbria: Procedure) -> None:
    (scope,) = cumbria.out_of_scope
    assert "Initial Child Protection Conference" in scope
    assert "Child Protection Plan" in scope
    notes = " ".join(cumbria.notes)
    assert "paramount" in notes
    assert "'tow'" in notes or "tow Executive leads" in notes
