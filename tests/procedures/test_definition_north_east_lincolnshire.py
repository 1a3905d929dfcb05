"""North East Lincolnshire's shipped definition says what the procedure says, as a partnership business manager
would check it.

No Django: the YAML file is read and validated against the procedure schema directly. Line numbers are those of
shared/seeds/000_200cfcacb64e301c.txt (North East Lincolnshire Safeguarding Children Partnership, Professional
Resolution and Escalation Procedure, revised June 2024).
"""

from __future__ import annotations

from typing import Any

import pytest

from resolve.procedures.schema import Handlers, Notification, Procedure, RecordRequirement, Stage, Timescale
from tests.procedures.definitions import raw_definition

PATHWAYS = {
    "individual-cases": [
        "a-practitioner",
        "b-line-manager",
        "c-senior-manager",
        "d-multi-agency-review",
        "e-safeguarding-partners",
    ],
    "convening-conference": [
        "a-service-manager",
        "b-deputy-service-director",
        "c-multi-agency-review",
        "d-safeguarding-partners",
    ],
    "conference-majority": [
        "majority-decision",
        "a-line-manager",
        "b-deputy-service-director",
        "c-multi-agency-review",
        "d-safeguarding-partners",
    ],
    "conference-equally-divided": [
        "adjournment",
        "reconvened",
        "a-deputy-service-director",
        "b-multi-agency-review",
        "c-safeguarding-partners",
    ],
    "serious-case": [
        "a-partners-representatives",
        "b-safeguarding-partners",
        "c-independent-scrutiny-officer",
    ],
}


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_definition("north-east-lincolnshire")


@pytest.fixture(scope="module")
def nel(raw: dict[str, Any]) -> Procedure:
    return Procedure.model_validate(raw)


def stage(procedure: Procedure, pathway: str, slug: str) -> Stage:
    return procedure.pathway(pathway).stage(slug)


def blocking(s: Stage, transition: str) -> set[str]:
    """The record kinds a stage requires before it can be escalated or resolved."""
    return {r.kind for r in s.records if transition in r.required_before}


# --- identity -------------------------------------------------------------------------------------


def test_the_definition_names_the_published_procedure_and_its_revision(nel: Procedure) -> None:
    assert nel.slug == "north-east-lincolnshire"
    assert nel.nation == "ENG"
    assert nel.version == "Revised June 2024"
    assert nel.document == (
        "shared/seeds/000_200cfcacb64e301c.txt — North East Lincolnshire Safeguarding Children Partnership, "
        "Professional Resolution and Escalation Procedure"
    )
    assert nel.partnership == "North East Lincolnshire Safeguarding Children Partnership"


# --- pathways and stages --------------------------------------------------------------------------


def test_the_four_categories_are_five_pathways_in_the_documents_order(nel: Procedure) -> None:
    assert [p.slug for p in nel.pathways] == list(PATHWAYS)


@pytest.mark.parametrize("pathway", list(PATHWAYS))
def test_each_pathways_stages_are_in_the_documents_order(nel: Procedure, pathway: str) -> None:
    assert [s.slug for s in nel.pathway(pathway).stages] == PATHWAYS[pathway]


def test_stage_names_are_the_documents_own_headings(nel: Procedure) -> None:
    assert [s.name for s in nel.pathway("individual-cases").stages] == [
        "A. Practitioner to Practitioner",
        "B. Line Manager to Line Manager",
        "C. Senior Manager to Senior Manager",
        "D. Multi agency review of the case",
        "E. Safeguarding Partners and Independent Scrutiny Officer",
    ]
    assert stage(nel, "convening-conference", "a-service-manager").name == "A. Service Manager to Service Manager"
    assert stage(nel, "serious-case", "a-partners-representatives").name == "A. Safeguarding Partners Representative"


def test_individual_cases_are_handled_practitioner_then_line_manager_then_senior_manager(nel: Procedure) -> None:
    levels = [s.handlers.level for s in nel.pathway("individual-cases").stages]
    assert levels == [1, 2, 3, 3, None]
    last = stage(nel, "individual-cases", "e-safeguarding-partners")
    assert "safeguarding-partners" in last.handlers.roles


def test_the_convening_request_goes_to_the_service_manager_then_the_deputy_service_director(nel: Procedure) -> None:
    assert "service-manager-irs" in stage(nel, "convening-conference", "a-service-manager").handlers.roles
    b = stage(nel, "convening-conference", "b-deputy-service-director")
    assert "deputy-service-director" in b.handlers.roles
    assert [(n.to, n.source) for n in b.notifications] == [("deputy-service-director", "L103")]


def test_the_convening_request_is_in_writing_and_an_entry_condition(nel: Procedure) -> None:
    pathway = nel.pathway("convening-conference")
    assert any("section 47" in c for c in pathway.entry_conditions)
    assert any("in writing" in c for c in pathway.entry_conditions)
    a = pathway.stage("a-service-manager")
    (request,) = [r for r in a.records if r.kind == "written_request"]
    assert "Service Manager for the Independent Reviewing Service" in request.title
    assert request.source == "L91-93"


def test_serious_cases_start_with_the_three_named_partners_representatives(nel: Procedure) -> None:
    a = stage(nel, "serious-case", "a-partners-representatives")
    assert a.handlers.roles == ("partners-representatives",)
    role = nel.role("partners-representatives")
    for named in (
        "Designated Nurse Safeguarding Adults and Children",
        "Service Director Safeguarding, Youth Justice and Family Help",
        "Detective Superintendent (Humberside Police)",
    ):
        assert named in role.name


def test_serious_cases_tell_the_partnership_team_on_entry(nel: Procedure) -> None:
    a = stage(nel, "serious-case", "a-partners-representatives")
    team = [n for n in a.notifications if n.to == "partnership-team"]
    assert [(n.when, n.source) for n in team] == [("entry", "L193")]
    assert nel.role("partnership-team").name == "North East Lincolnshire Safeguarding Children Partnership Team"


# --- timescales -----------------------------------------------------------------------------------


def test_significant_harm_is_escalated_the_same_working_day_from_the_raise(nel: Procedure) -> None:
    rule = nel.significant_harm
    assert rule is not None
    assert (rule.slug, rule.rule, rule.from_, rule.n, rule.source) == (
        "significant-harm",
        "same_working_day",
        "disagreement_start",
        None,
        "L36",
    )
    assert rule.what == "Concerns escalated (significant harm)"


def test_the_equally_divided_adjournment_is_capped_at_15_working_days(nel: Procedure) -> None:
    (cap,) = stage(nel, "conference-equally-divided", "adjournment").timescales
    assert (cap.slug, cap.rule, cap.n, cap.from_, cap.applies, cap.step, cap.source) == (
        "reconvene",
        "working_days",
        15,
        "stage_start",
        "always",
        False,
        "L159",
    )
    assert cap.what == "Conference reconvened (adjournment not exceeding 15 working days)"


def test_no_stage_has_a_computed_deadline_the_document_does_not_state(nel: Procedure) -> None:
    computed = {(p.slug, s.slug, t.slug) for p in nel.pathways for s in p.stages for t in s.timescales if t.computable}
    assert computed == {("conference-equally-divided", "adjournment", "reconvene")}


def test_straight_away_is_kept_in_words_with_no_date(nel: Procedure) -> None:
    for pathway, slug, source in (
        ("individual-cases", "b-line-manager", "L65"),
        ("conference-majority", "a-line-manager", "L131"),
    ):
        (referral,) = [t for t in stage(nel, pathway, slug).timescales if t.slug == "referral"]
        assert (referral.rule, referral.words, referral.n, referral.source) == ("words", "straight away", None, source)
        assert not referral.computable


def test_practitioners_first_attempts_keep_the_documents_words(nel: Procedure) -> None:
    (first,) = stage(nel, "individual-cases", "a-practitioner").timescales
    assert first.rule == "words"
    assert first.words is not None
    assert first.words.startswith("within a timescale that safeguards the child")
    assert first.source == "L57"


# --- urgent cases ---------------------------------------------------------------------------------


def test_urgent_cases_may_start_only_at_the_first_senior_stage(nel: Procedure) -> None:
    urgent = {p.slug: [s.slug for s in p.stages if s.urgent_start] for p in nel.pathways}
    assert urgent == {
        "individual-cases": ["c-senior-manager"],
        "convening-conference": ["b-deputy-service-director"],
        "conference-majority": ["b-deputy-service-director"],
        "conference-equally-divided": [],
        "serious-case": [],
    }


def test_the_urgent_telephone_duty_and_paramountcy_are_kept(nel: Procedure) -> None:
    notes = " ".join(nel.notes)
    assert "by telephone rather than awaiting a response to an email" in notes
    assert "welfare and safety must remain paramount" in notes
    assert "recorded in the agency records and the child's record" in notes


# --- child protection conferences -----------------------------------------------------------------


def test_a_majority_decision_stands_and_the_minority_is_recorded_and_may_escalate(nel: Procedure) -> None:
    rule = nel.pathway("conference-majority").conference
    assert rule is not None
    assert (rule.view, rule.decision_stands, rule.minority_recorded, rule.minority_may_escalate) == (
        "majority",
        True,
        True,
        True,
    )
    first = stage(nel, "conference-majority", "majority-decision")
    assert first.conference == "majority_decision"
    assert first.handlers.roles == ("conference-chair",)
    assert nel.role("conference-chair").kind == "chair"


def test_the_minority_refers_to_their_line_manager_or_schools_dsl(nel: Procedure) -> None:
    a = stage(nel, "conference-majority", "a-line-manager")
    assert a.handlers.level == 2
    assert "designated safeguarding lead" in a.handlers.description
    assert ("line_managers", "straight away") in {(n.to, n.timing) for n in a.notifications}


def test_an_equally_divided_conference_does_not_decide_and_keeps_or_makes_the_plan(nel: Procedure) -> None:
    rule = nel.pathway("conference-equally-divided").conference
    assert rule is not None
    assert (rule.view, rule.decision_stands, rule.plan_while_pending) == (
        "equally_divided",
        False,
        "continues_or_made_subject",
    )
    assert rule.plan_words is not None
    assert "continue to be subject of a child protection plan" in rule.plan_words
    assert "initial conference" in rule.plan_words
    assert [s.conference for s in nel.pathway("conference-equally-divided").stages[:2]] == [
        "adjournment",
        "reconvened",
    ]


def test_staff_tell_their_line_manager_when_the_conference_is_adjourned(nel: Procedure) -> None:
    adjournment = stage(nel, "conference-equally-divided", "adjournment")
    assert [(n.to, n.source) for n in adjournment.notifications] == [("line_managers", "L161")]


# --- the Independent Scrutiny Officer -------------------------------------------------------------


@pytest.mark.parametrize("pathway", ["individual-cases", "convening-conference", "conference-majority"])
def test_the_iso_is_optional_within_the_last_stage_of_pathways_1_to_3(nel: Procedure, pathway: str) -> None:
    last = nel.pathway(pathway).stages[-1]
    assert last.slug.endswith("safeguarding-partners")
    assert "may be requested" in last.handlers.description
    assert "optional" in last.summary
    assert not last.independent_reviewer
    assert "independent-scrutiny-officer" not in [s.slug for s in nel.pathway(pathway).stages]


def test_the_iso_is_optional_after_an_equally_divided_conference_too(nel: Procedure) -> None:
    last = nel.pathway("conference-equally-divided").stages[-1]
    assert "may be requested" in last.handlers.description
    assert "optional" in last.summary


def test_the_iso_is_a_compulsory_stage_of_its_own_for_serious_cases(nel: Procedure) -> None:
    last = nel.pathway("serious-case").stages[-1]
    assert last.slug == "c-independent-scrutiny-officer"
    assert last.handlers.roles == ("independent-scrutiny-officer",)
    assert "will be requested" in last.handlers.description
    assert [(n.to, n.source) for n in last.notifications] == [("independent-scrutiny-officer", "L205")]
    assert nel.role("independent-scrutiny-officer").kind == "independent_reviewer"


def test_no_stage_claims_a_final_decision_the_document_does_not_give(nel: Procedure) -> None:
    assert not [s.slug for p in nel.pathways for s in p.stages if s.decision_final]


# --- records --------------------------------------------------------------------------------------


def test_which_stages_hold_up_escalation_until_a_record_is_made(nel: Procedure) -> None:
    required = {
        (p.slug, s.slug): blocking(s, "escalate") for p in nel.pathways for s in p.stages if blocking(s, "escalate")
    }
    assert required == {
        ("individual-cases", "b-line-manager"): {"written_confirmation"},
        ("individual-cases", "d-multi-agency-review"): {"meeting_record"},
        ("convening-conference", "a-service-manager"): {"written_request"},
        ("convening-conference", "c-multi-agency-review"): {"meeting_record"},
        ("conference-majority", "majority-decision"): {"conference_record"},
        ("conference-majority", "a-line-manager"): {"written_confirmation"},
        ("conference-majority", "c-multi-agency-review"): {"meeting_record"},
        ("conference-equally-divided", "adjournment"): {"written_confirmation"},
        ("conference-equally-divided", "reconvened"): {"conference_record"},
        ("conference-equally-divided", "b-multi-agency-review"): {"meeting_record"},
    }


def test_practitioners_record_the_agreed_outcome_before_resolving_but_are_not_held_up_escalating(
    nel: Procedure,
) -> None:
    a = stage(nel, "individual-cases", "a-practitioner")
    assert blocking(a, "escalate") == set()
    assert blocking(a, "resolve") == {"discussion_note", "written_confirmation"}
    (note,) = [r for r in a.records if r.kind == "discussion_note"]
    assert "what is expected" in note.title.lower()
    assert "what needs to be done" in note.title
    (outcome,) = [r for r in a.records if r.kind == "written_confirmation"]
    assert outcome.kept_by == ("each agency's case record",)
    assert outcome.source == "L61"


def test_convening_stage_a_keeps_the_agreed_outcome_before_resolving(nel: Procedure) -> None:
    a = stage(nel, "convening-conference", "a-service-manager")
    (outcome,) = [r for r in a.records if r.kind == "written_confirmation"]
    assert (outcome.required_before, outcome.source) == (("resolve",), "L99")


def test_line_managers_confirm_in_writing_the_nature_of_the_disagreement(nel: Procedure) -> None:
    for pathway, slug, source in (
        ("individual-cases", "b-line-manager", "L67"),
        ("conference-majority", "a-line-manager", "L137"),
        ("conference-equally-divided", "adjournment", "L163"),
    ):
        (confirmation,) = [r for r in stage(nel, pathway, slug).records if r.kind == "written_confirmation"]
        assert confirmation.title == (
            "Written confirmation between the parties about the nature of the disagreement(s) and how any "
            "outstanding issues will be pursued"
        )
        assert confirmation.source == source


def test_the_minoritys_reasons_go_in_the_full_conference_record(nel: Procedure) -> None:
    (record,) = [
        r for r in stage(nel, "conference-majority", "majority-decision").records if r.kind == "conference_record"
    ]
    assert "full conference record" in record.title
    assert record.source == "L131"


@pytest.mark.parametrize(
    ("pathway", "slug", "kept_by"),
    [
        ("individual-cases", "d-multi-agency-review", ("Children's Services", "the agency")),
        ("convening-conference", "c-multi-agency-review", ("Children's Services", "the agency")),
        ("conference-majority", "c-multi-agency-review", ("Children's Services",)),
        ("conference-equally-divided", "b-multi-agency-review", ("Children's Services",)),
    ],
)
def test_who_keeps_the_multi_agency_review_record_on_the_childs_file(
    nel: Procedure, pathway: str, slug: str, kept_by: tuple[str, ...]
) -> None:
    (record,) = [r for r in stage(nel, pathway, slug).records if r.kind == "meeting_record"]
    assert record.kept_by == kept_by
    assert record.title.startswith(
        "A written record of the key areas of discussion, disagreement, agreements and actions"
    )


def test_the_serious_case_iso_stage_requires_no_record_the_document_does_not_name(nel: Procedure) -> None:
    assert stage(nel, "serious-case", "c-independent-scrutiny-officer").records == ()


# --- partnership-wide -----------------------------------------------------------------------------


def test_every_category_is_handled_by_a_pathway(nel: Procedure) -> None:
    by_pathway: dict[str, set[str]] = {}
    for c in nel.categories:
        assert c.pathway is not None
        assert c.refuse_with is None
        by_pathway.setdefault(c.pathway, set()).add(c.slug)
    assert set(by_pathway) == set(PATHWAYS)


def test_the_causes_in_line_43_are_reasons_for_every_category_not_categories(nel: Procedure) -> None:
    # L43: "most likely to arise as a result of differing views of thresholds, a lack of understanding of roles
    # and responsibilities, requirements for multi-agency meetings, and the need for action and communication.
    # They fall into the four following categories": causes of all four, routing none of them to pathway 1
    causes = ["thresholds", "roles-and-responsibilities", "multi-agency-meetings", "action-and-communication"]
    assert [r.slug for r in nel.reasons] == causes
    assert all(r.source == "L43" for r in nel.reasons)
    assert not {c.slug for c in nel.categories} & set(causes)
    assert all(c.source != "L43" for c in nel.categories)


def test_the_partnership_roles_the_document_names(nel: Procedure) -> None:
    assert {(r.slug, r.kind) for r in nel.roles} == {
        ("conference-chair", "chair"),
        ("service-manager-irs", "service"),
        ("deputy-service-director", "service"),
        ("safeguarding-partners", "partners"),
        ("partners-representatives", "partners"),
        ("partnership-team", "team"),
        ("partnership-board", "other"),
        ("independent-scrutiny-officer", "independent_reviewer"),
    }
    assert all(r.contact is None for r in nel.roles)  # the document gives no contact details


def test_generic_seniority_levels_and_no_invented_matrix(nel: Procedure) -> None:
    assert nel.seniority is not None
    assert [lv.level for lv in nel.seniority.levels] == [1, 2, 3]
    assert nel.seniority.agencies == ()
    assert any("no cross-agency" in n for n in nel.seniority.notes)


def test_contacts_are_the_two_linked_documents_with_no_invented_numbers(nel: Procedure) -> None:
    assert [c.source for c in nel.contacts] == ["L38", "L39"]
    for contact in nel.contacts:
        assert not any(ch.isdigit() for ch in contact.detail.replace("Threshold-Document-1", ""))


def test_the_document_requires_no_procedure_wide_notification(nel: Procedure) -> None:
    assert nel.notifications == ()


def test_every_element_carries_a_source(raw: dict[str, Any], nel: Procedure) -> None:
    missing: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            names_a_rule = any(key in value for key in ("slug", "kind", "to", "rule", "view"))
            if names_a_rule and not value.get("source"):
                missing.append(path)
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    for key in ("categories", "reasons", "roles", "significant_harm", "contacts", "pathways", "seniority"):
        walk(raw[key], key)
    assert missing == []
    for pathway in nel.pathways:
        assert pathway.source.startswith("L")
        for s in pathway.stages:
            items: list[Stage | Handlers | Timescale | RecordRequirement | Notification]
            items = [s, s.handlers, *s.timescales, *s.records, *s.notifications]
            for item in items:
                assert item.source.startswith("L"), (pathway.slug, s.slug, item)
    for c in nel.contacts:
        assert c.source.startswith("L")
