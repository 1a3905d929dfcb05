"""Peterborough's shipped definition says what the 2017 procedure says, and nothing it does not.

No Django: the YAML file is read and validated against the procedure schema directly. Line numbers are those
of shared/seeds/002_85dd27d4a10a8c28.txt.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolve.procedures.schema import Procedure
from tests.procedures.definitions import raw_definition


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_definition("peterborough")


@pytest.fixture(scope="module")
def peterborough(raw: dict[str, Any]) -> Procedure:
    return Procedure.model_validate(raw)


def test_identity(peterborough: Procedure) -> None:
    assert peterborough.slug == "peterborough"
    assert peterborough.nation == "ENG"
    assert peterborough.version == "Revised June 2017"
    assert peterborough.document.startswith("shared/seeds/002_85dd27d4a10a8c28.txt")
    assert peterborough.significant_harm is None


def test_one_pathway_of_four_stages_in_order(peterborough: Procedure) -> None:
    assert [(p.slug, [s.slug for s in p.stages]) for p in peterborough.pathways] == [
        ("escalation", ["practitioner", "line-manager", "senior-managers", "independent-chair"]),
    ]


def test_stage_handlers(peterborough: Procedure) -> None:
    pathway = peterborough.pathway("escalation")
    assert [pathway.stage(s).handlers.level for s in ("practitioner", "line-manager", "senior-managers")] == [1, 2, 3]
    chair = pathway.stage("independent-chair").handlers
    assert chair.roles == ("head-of-service-boards", "independent-chair")
    assert "may, as necessary, be required to intervene" in pathway.stage("senior-managers").summary


def test_no_computable_timescale_anywhere(peterborough: Procedure) -> None:
    timescales = [t for p in peterborough.pathways for s in p.stages for t in s.timescales]
    assert all(t.rule == "words" and not t.computable and t.n is None for t in timescales)
    assert peterborough.significant_harm is None
    # the only timescale is the seed's own words at L14
    assert [(t.words, t.source) for t in timescales] == [
        ("at the earliest possible stage, as swiftly as possible", "L14"),
    ]


def test_safeguarding_lead_advice_at_practitioner_level(peterborough: Procedure) -> None:
    stage = peterborough.pathway("escalation").stage("practitioner")
    (advice,) = stage.notifications
    assert (advice.to, advice.source) == ("safeguarding-lead", "L36")


def test_written_confirmation_between_the_parties(peterborough: Procedure) -> None:
    stage = peterborough.pathway("escalation").stage("line-manager")
    (confirmation,) = [r for r in stage.records if r.kind == "written_confirmation"]
    assert confirmation.title == (
        "Written confirmation between the parties about an agreed outcome of the disagreement and how any "
        "outstanding issues will be pursued"
    )
    assert confirmation.source == "L54"


APPENDIX_2 = "Appendix 2 — Pro-forma for recording inter-agency conflict and resolution on service user file"
APPENDIX_3 = (
    "Appendix 3 — Pro-forma for reporting conflicts which have been resolved at PSCB agency representative "
    "level to PSCB"
)


def forms_at(peterborough: Procedure, stage: str) -> dict[str | None, tuple[str, ...]]:
    records = peterborough.pathway("escalation").stage(stage).records
    return {r.form: r.required_before for r in records if r.kind == "form"}


def test_appendix_3_is_required_to_escalate_to_the_pscb_not_to_resolve(peterborough: Procedure) -> None:
    # L53: "The escalation to the PSCB should be made via the Head of Service for the Safeguarding Boards using
    # the appropriate form - Appendix 3": it goes with the escalation from the senior managers to the Chair
    assert forms_at(peterborough, "senior-managers")[APPENDIX_3] == ("escalate",)
    assert APPENDIX_3 not in forms_at(peterborough, "independent-chair")
    stage = peterborough.pathway("escalation").stage("independent-chair")
    assert any(n.to == "head-of-service-boards" and n.form == APPENDIX_3 for n in stage.notifications)


def test_appendix_2_is_a_record_on_the_service_users_file_made_when_the_process_ends(peterborough: Procedure) -> None:
    # L54: "When the escalation process has been used ... (Appendix 2) of the reason for the escalation and the
    # outcome"; L58: "recording inter-agency conflict and resolution on service user file"
    for stage in ("line-manager", "senior-managers", "independent-chair"):
        assert forms_at(peterborough, stage)[APPENDIX_2] == ("resolve",), stage
        (record,) = [r for r in peterborough.pathway("escalation").stage(stage).records if r.form == APPENDIX_2]
        assert "service user's file" in record.title
        assert "the reason for the escalation and the outcome" in record.title
        assert record.kept_by == ("the professional who instigated the process",)
        assert record.source == "L54, L58"
    # resolved at practitioner level, the escalation process was not used: no Appendix 2
    assert forms_at(peterborough, "practitioner") == {}


def test_appendix_2_notification_once_when_the_process_ends_after_escalation(peterborough: Procedure) -> None:
    # L54: "When the escalation process has been used": when the process ends, once, not at every stage
    (notice,) = peterborough.notifications
    assert (notice.to, notice.when, notice.once, notice.reached_stage) == (
        "partnership-board",
        "final",
        True,
        "line-manager",
    )
    assert notice.form == (
        "Appendix 2 — Pro-forma for recording inter-agency conflict and resolution on service user file"
    )
    assert "the reason for the escalation and the outcome" in notice.what
    assert "L54" in notice.source
    assert peterborough.role("partnership-board").name == "Peterborough Safeguarding Children Board (PSCB)"


def test_police_chain_of_five_roles(peterborough: Procedure) -> None:
    police = next(chain for chain in peterborough.line_management if chain.worker.startswith("Police"))
    assert "Detective Constable (DC)" in police.worker
    assert police.next == (
        "Detective Sergeant (DS)",
        "Detective Inspector",
        "Detective Chief Inspector",
        "Detective Superintendent, Public Protection",
    )
    assert 1 + len(police.next) == 5
    assert police.source == "L46"


def test_role_to_manager_map(peterborough: Procedure) -> None:
    chains = {c.worker: c.next for c in peterborough.line_management}
    assert chains["Social Worker"] == ("Team Manager",)
    assert chains["Teacher"] == ("School's Designated Safeguarding Lead", "Headteacher")
    assert chains["GP"] == ("Designated Nurse / Designated Doctor",)
    # alternatives are kept in the text, not split into a chain
    assert chains["Health Visitor"] == ("Team Leader / Service Manager Universal Services or Named Nurse / Doctor",)
    assert len(peterborough.line_management) == 11


def test_categories(peterborough: Procedure) -> None:
    assert [(c.slug, c.pathway) for c in peterborough.categories] == [
        ("thresholds", "escalation"),
        ("action-or-inaction", "escalation"),
        ("information-sharing", "escalation"),
        ("open-case-course", "escalation"),
    ]
    assert not any(c.refuse_with for c in peterborough.categories)


def test_generic_levels_and_no_invented_form_fields(peterborough: Procedure) -> None:
    matrix = peterborough.seniority
    assert matrix is not None
    assert [(lv.level, lv.name) for lv in matrix.levels] == [
        (1, "Practitioner / fieldworker"),
        (2, "Line manager"),
        (3, "Senior manager"),
    ]
    assert matrix.agencies == ()
    assert any("role-to-manager map" in note for note in matrix.notes)
    assert any(
        note.startswith("NOT IN SEED: the fields of Appendix 2") and "Appendix 3" in note for note in peterborough.notes
    )
    # the forms are named by their titles only: no record or notification lists fields of them
    forms = [r for p in peterborough.pathways for s in p.stages for r in s.records if r.kind == "form"]
    assert {f.form for f in forms} == {APPENDIX_2, APPENDIX_3}
