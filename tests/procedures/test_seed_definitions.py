"""The five shipped procedures say what their seeds say: stages, timescales, rules, and a source for each."""

from __future__ import annotations

import re

import pytest

from resolve.procedures.loader import bundled
from resolve.procedures.schema import Procedure
from tests.procedures.definitions import SEEDS, raw_definition, walk

# The schema gives no source field to the procedure itself, nor to seniority levels and agencies (their cells
# are cited in YAML comments beside them; the matrix as a whole has its source), nor to the documents section
# (its record and each report have theirs).
NO_SOURCE_FIELD = (".seniority.levels[", ".seniority.agencies[")
LINE_REFERENCE = re.compile(r"\bL\d+|^Appendix B")


@pytest.mark.parametrize("slug", SEEDS)
def test_every_element_of_the_file_names_its_line_in_the_seed(slug: str) -> None:
    checked = 0
    for path, mapping in walk(raw_definition(slug)):
        if path in ("", ".documents") or path.startswith(NO_SOURCE_FIELD) or path.endswith(".handlers.levels"):
            continue  # a stage's levels per agency are cited by its handlers' source
        assert mapping.get("source"), f"{slug}{path} has no source"
        assert LINE_REFERENCE.search(str(mapping["source"])), f"{slug}{path}: {mapping['source']!r}"
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("slug", SEEDS)
def test_every_rule_names_where_in_the_seed_it_comes_from(slug: str) -> None:
    data = bundled(slug).model_dump(by_alias=True)
    for path, mapping in walk(data):
        if "source" in mapping:
            assert mapping["source"], f"{slug}{path} has an empty source"
    for pathway in data["pathways"]:
        for stage in pathway["stages"]:
            for item in (stage, stage["handlers"], *stage["timescales"], *stage["records"], *stage["notifications"]):
                assert item["source"]


def stages(procedure: Procedure, pathway: str) -> list[str]:
    return [s.slug for s in procedure.pathway(pathway).stages]


def test_nel_has_four_categories_as_five_stage_sequences() -> None:
    nel = bundled("north-east-lincolnshire")
    assert [p.slug for p in nel.pathways] == [
        "individual-cases",
        "convening-conference",
        "conference-majority",
        "conference-equally-divided",
        "serious-case",
    ]
    assert stages(nel, "individual-cases") == [
        "a-practitioner",
        "b-line-manager",
        "c-senior-manager",
        "d-multi-agency-review",
        "e-safeguarding-partners",
    ]
    assert stages(nel, "serious-case") == [
        "a-partners-representatives",
        "b-safeguarding-partners",
        "c-independent-scrutiny-officer",
    ]


def test_nel_urgent_cases_start_at_the_first_senior_stage() -> None:
    nel = bundled("north-east-lincolnshire")
    urgent = {p.slug: [s.slug for s in p.stages if s.urgent_start] for p in nel.pathways}
    assert urgent == {
        "individual-cases": ["c-senior-manager"],
        "convening-conference": ["b-deputy-service-director"],
        "conference-majority": ["b-deputy-service-director"],
        "conference-equally-divided": [],
        "serious-case": [],
    }


def test_nel_majority_decision_stands_and_the_minority_may_escalate() -> None:
    rule = bundled("north-east-lincolnshire").pathway("conference-majority").conference
    assert rule is not None
    assert (rule.view, rule.decision_stands, rule.minority_recorded, rule.minority_may_escalate) == (
        "majority",
        True,
        True,
        True,
    )


def test_nel_equally_divided_conference_adjourns_at_most_15_working_days_with_the_plan_kept() -> None:
    pathway = bundled("north-east-lincolnshire").pathway("conference-equally-divided")
    assert pathway.conference is not None
    assert pathway.conference.plan_while_pending == "continues_or_made_subject"
    assert "initial conference" in (pathway.conference.plan_words or "")
    (cap,) = pathway.stage("adjournment").timescales
    assert (cap.rule, cap.n, cap.from_, cap.source) == ("working_days", 15, "stage_start", "L159")


def test_nel_significant_harm_is_its_own_rule_at_l36() -> None:
    rule = bundled("north-east-lincolnshire").significant_harm
    assert rule is not None
    assert (rule.rule, rule.from_, rule.source) == ("same_working_day", "disagreement_start", "L36")


def test_nel_iso_is_optional_in_pathways_1_to_3_and_a_stage_of_its_own_in_pathway_4() -> None:
    nel = bundled("north-east-lincolnshire")
    for slug in ("individual-cases", "convening-conference", "conference-majority", "conference-equally-divided"):
        last = nel.pathway(slug).stages[-1]
        # "may be requested" (L85, L117, L155, L183): on request, so not among the roles that take part from the start
        assert last.handlers.on_request == ("independent-scrutiny-officer",)
        assert "independent-scrutiny-officer" not in last.handlers.roles
        assert "may be requested" in last.handlers.description
    assert stages(nel, "serious-case")[-1] == "c-independent-scrutiny-officer"
    # L205: "will be requested": automatic, the ISO takes part as the stage starts
    last = nel.pathway("serious-case").stages[-1]
    assert (last.handlers.roles, last.handlers.on_request) == (("independent-scrutiny-officer",), ())


def test_nel_stages_have_no_invented_timescales() -> None:
    nel = bundled("north-east-lincolnshire")
    computed = {(p.slug, s.slug, t.slug) for p in nel.pathways for s in p.stages for t in s.timescales if t.computable}
    assert computed == {("conference-equally-divided", "adjournment", "reconvene")}


def test_enfield_appendix_b_levels() -> None:
    matrix = bundled("enfield").seniority
    assert matrix is not None
    assert matrix.title("met-police", 2) == "Detective Sergeant"
    assert matrix.title("childrens-social-care", 3) == "Service Manager"
    assert matrix.title("childrens-social-care", 4) is None  # blank in the chart, to be confirmed
    assert matrix.title("education", 5) == "Executive Headteacher"
    assert matrix.above_top == "Executive Director for People"


def test_enfield_level_4_escalations_go_to_the_business_unit() -> None:
    enfield = bundled("enfield")
    (rule,) = [n for n in enfield.notifications if n.min_level]
    assert (rule.to, rule.min_level) == ("business-unit", 4)
    assert enfield.role("business-unit").contact == "safeguardingenfield@enfield.gov.uk"


def test_peterborough_has_no_computed_timescale_and_keeps_its_role_map() -> None:
    peterborough = bundled("peterborough")
    assert not [t for p in peterborough.pathways for s in p.stages for t in s.timescales if t.computable]
    police = next(chain for chain in peterborough.line_management if chain.worker.startswith("Police"))
    assert police.next[-1] == "Detective Superintendent, Public Protection"
    assert len(police.next) == 4


def test_pan_lancashire_each_stage_5_days_and_15_at_most() -> None:
    pathway = bundled("pan-lancashire").pathway("escalation")
    for slug in ("stage-1", "stage-2", "stage-3"):
        rules = {(t.n, t.from_) for t in pathway.stage(slug).timescales}
        assert rules == {(5, "stage_start"), (15, "stage_start:stage-1")}


def test_cumbria_formal_process_is_final_and_independent() -> None:
    stage = bundled("cumbria").pathway("escalation").stage("formal-process")
    assert stage.independent_reviewer
    assert stage.decision_final
    assert {(t.rule, t.n, t.applies) for t in stage.timescales} == {
        ("working_days", 7, "always"),
        ("hours", 24, "child_protection"),
    }
