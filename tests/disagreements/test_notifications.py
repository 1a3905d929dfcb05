"""Notices fire when the seed says, to the people it names: each test names the seed line it serves."""

from __future__ import annotations

import pytest

from resolve.access.policy import can_see
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules, services
from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from resolve.disagreements.selectors import notices_for
from resolve.partnerships.models import Person, RoleAssignment
from tests.conftest import Cast
from tests.disagreements.walker import Step, Walker, at
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def told(d: Disagreement, to: str) -> list[set[str]]:
    """For each notice addressed to ``to``, in order, the names of the people it went to."""
    return [{p.name for p in n.recipients.all()} for n in Notice.objects.filter(disagreement=d, to=to).order_by("pk")]


def lead(cast: Cast, agency: str) -> Person:
    """A safeguarding lead working in ``agency`` (each agency has its own)."""
    person = PersonFactory.create(
        partnership=cast.partnership, agency=cast.agencies[agency], level=None, name=f"{agency} safeguarding lead"
    )
    RoleAssignment.objects.create(partnership=cast.partnership, person=person, role="safeguarding-lead")
    return person


# Triggers


def test_cumbria_level_1_resolved_there_tells_no_line_manager_l19(cast_for, time_machine) -> None:
    # L19: "if they are unable to do so, their disagreement must be reported by them to their line managers"
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    d = walker.resolve("2027-01-11T15:00")
    assert d.status == Disagreement.Status.RESOLVED
    assert told(d, "line_managers") == []


def test_cumbria_level_1_escalated_reports_to_both_line_managers_l19(cast_for, time_machine) -> None:
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("level-2", "2027-01-11T15:00", {}))
    assert told(walker.d, "line_managers") == [{"school level 2", "csc level 2"}]


def test_pan_lancashire_masa_is_told_once_not_at_every_stage_l27(cast_for, time_machine) -> None:
    # L27: "the MASA Team should be informed at the earliest opportunity"
    walker = Walker(cast_for("pan-lancashire"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation", flags=["life-threatening-non-involvement"])
    for when, stage in (("12", "stage-1"), ("13", "stage-2"), ("14", "stage-3")):
        walker.escalate(Step(stage, f"2027-01-{when}T10:00", {}))
    notices = Notice.objects.filter(disagreement=walker.d, to="masa-team", source="L27")
    assert list(notices.values_list("stage_run__stage", flat=True)) == ["practitioner"]


def test_enfield_business_unit_is_copied_once_a_level_4_person_attends_a_stage_2_meeting_l84(
    cast_for, time_machine
) -> None:
    # L84-86: the business unit is in the e-mails once anyone at Level 4 or above is involved
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("stage-2", "2027-01-11T15:00", {}))
    assert told(walker.d, "business-unit") == []
    head_of_service = cast.at("school", 3)
    services.meeting_record(
        disagreement=walker.d,
        by=head_of_service,
        held_at=at("2027-01-11T14:00"),
        chair=head_of_service,
        attendees=[cast.at("csc", 3), cast.at("csc", 4)],
        areas_of_discussion="Threshold.",
        disagreement_text="Whether to assess.",
        agreements="None yet.",
        actions="Meet again.",
    )
    assert told(walker.d, "business-unit") == [{"business-unit holder"}]
    services.participant_add(disagreement=walker.d, by=head_of_service, person=cast.at("csc", 5), capacity="attendee")
    walker.escalate(Step("stage-3", "2027-01-13T10:00", {}))
    assert told(walker.d, "business-unit") == [{"business-unit holder"}], "told once, not again at stage 3"


def test_enfield_business_unit_is_copied_when_a_level_4_person_is_added_at_stage_1_l84(cast_for, time_machine) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    assert told(walker.d, "business-unit") == []
    services.participant_add(
        disagreement=walker.d, by=cast.at("school", 2), person=cast.at("police", 4), capacity="attendee"
    )
    assert told(walker.d, "business-unit") == [{"business-unit holder"}]


def test_enfield_closing_without_recorded_learning_tells_neither_the_group_nor_the_chair_l82(
    cast_for, time_machine
) -> None:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    d = walker.resolve("2027-01-11T15:00")
    assert told(d, "practice-improvement-group") == []
    assert told(d, "escp-chair") == []


def test_enfield_wider_learning_recorded_tells_the_practice_improvement_group_only_l82(cast_for, time_machine) -> None:
    # L82: wider learning points "referred to the agency's representative on the ESCP for consideration by the
    # Practice Improvement group"
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    entry = services.condition_record(
        disagreement=walker.d, by=cast.at("school", 2), condition="wider-learning", note="Thresholds misunderstood."
    )
    assert (entry.kind, entry.data["condition"], entry.data["source"]) == (
        RecordEntry.Kind.CONDITION,
        "wider-learning",
        "L82",
    )
    assert told(walker.d, "practice-improvement-group") == [{"practice-improvement-group holder"}]
    assert told(walker.d, "escp-chair") == []


def test_enfield_gaps_in_policy_recorded_tell_the_independent_chair_and_the_group_once_l82(
    cast_for, time_machine
) -> None:
    # L82: "If the process highlights any gaps in policies and procedures this will be brought to the attention
    # of the Independent Chair of the ESCP"
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    for condition in ("wider-learning", "policy-gaps", "policy-gaps"):
        services.condition_record(
            disagreement=walker.d, by=cast.at("csc", 2), condition=condition, note="The protocol is silent."
        )
    assert told(walker.d, "escp-chair") == [{"escp-chair holder"}]
    assert told(walker.d, "practice-improvement-group") == [{"practice-improvement-group holder"}]
    assert walker.d.records.filter(kind=RecordEntry.Kind.CONDITION).count() == 3


def test_condition_record_refuses_a_condition_the_procedure_does_not_name_l82(cast_for, time_machine) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    with pytest.raises(ResolveError, match="wider-learning, policy-gaps"):
        services.condition_record(disagreement=walker.d, by=cast.at("school", 2), condition="learning", note="x")
    with pytest.raises(ResolveError, match="what shows that it holds"):
        services.condition_record(disagreement=walker.d, by=cast.at("school", 2), condition="policy-gaps", note=" ")
    assert not walker.d.records.filter(kind=RecordEntry.Kind.CONDITION).exists()
    assert not Notice.objects.filter(disagreement=walker.d, source="L82").exists()


def test_condition_record_by_someone_below_the_stage_level_is_refused_l82(cast_for, time_machine) -> None:
    # "when a handler records": the practitioner is not a handler of stage 1 (Level 2)
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    with pytest.raises(Refused, match="Only a handler of Stage 1"):
        services.condition_record(disagreement=walker.d, by=cast.at("school", 1), condition="policy-gaps", note="x")
    assert told(walker.d, "escp-chair") == []


def test_condition_record_in_a_procedure_without_conditions_is_refused(cast_for, time_machine) -> None:
    cast = cast_for("cumbria")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    with pytest.raises(ResolveError, match="its conditions: none"):
        services.condition_record(disagreement=walker.d, by=cast.at("school", 1), condition="policy-gaps", note="x")


# Recipients


def test_enfield_stage_2_referral_goes_to_the_head_of_service_level_in_each_agency_in_dispute_l62(
    cast_for, time_machine
) -> None:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("stage-2", "2027-01-11T15:00", {}))
    (notice,) = Notice.objects.filter(disagreement=walker.d, to="stage_level", source="L62")
    # each agency's own level (Appendix B, READING 2.7): education 3, children's social care 4; not police or health
    assert {p.name for p in notice.recipients.all()} == {"school level 3", "csc level 4"}


def test_peterborough_senior_managers_are_told_l52(cast_for, time_machine) -> None:
    walker = Walker(cast_for("peterborough"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("line-manager", "2027-01-12T10:00", {}))
    walker.escalate(Step("senior-managers", "2027-01-13T10:00", {}))
    assert told(walker.d, "stage_level") == [{"school level 3", "csc level 3"}]


def test_pan_lancashire_advice_goes_to_the_raisers_own_safeguarding_lead_only_l23(cast_for, time_machine) -> None:
    # L23: "advice should be sought from the Safeguarding Lead in your organisation"
    cast = cast_for("pan-lancashire")
    lead(cast, "school")
    lead(cast, "csc")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("stage-1", "2027-01-12T10:00", {}))
    assert told(walker.d, "safeguarding-lead") == [{"school safeguarding lead"}]


def test_only_the_lead_who_was_told_sees_the_notice_on_their_dashboard_l23(cast_for, time_machine) -> None:
    # L23: the lead "in your organisation"; the other agency's lead holds the same role but was not told
    cast = cast_for("pan-lancashire")
    ours, theirs = lead(cast, "school"), lead(cast, "csc")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("stage-1", "2027-01-12T10:00", {}))
    assert [n.source for n in notices_for(person=ours)] == ["L23"]
    assert notices_for(person=theirs) == []


def test_peterborough_safeguarding_lead_advice_is_offered_to_the_worker_not_sent_to_the_lead_l36(
    cast_for, time_machine
) -> None:
    # L36: "professionals should seek the advice and support of the safeguarding lead within their organisation"
    cast = cast_for("peterborough")
    ours = lead(cast, "school")
    theirs = lead(cast, "csc")
    walker = Walker(cast, time_machine)
    run = walker.raise_("2027-01-11T10:00", pathway="escalation")
    assert told(walker.d, "safeguarding-lead") == []
    assert told(walker.d, "raiser") == [{"school level 1"}]
    assert not Notice.objects.filter(recipients__in=[ours, theirs, cast.role("safeguarding-lead")]).exists()
    ((offer, contacts),) = rules.offered_contacts(walker.d, run)
    assert (offer.source, contacts) == ("L36", [ours])


def test_peterborough_pscb_is_told_once_when_the_process_ends_l54(cast_for, time_machine) -> None:
    # L54: "When the escalation process has been used ... notify the PSCB ... of the reason and the outcome"
    walker = Walker(cast_for("peterborough"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("line-manager", "2027-01-12T10:00", {}))
    walker.escalate(Step("senior-managers", "2027-01-13T10:00", {}))
    assert told(walker.d, "partnership-board") == [], "not at each stage's escalation"
    d = walker.resolve("2027-01-14T10:00")
    notices = Notice.objects.filter(disagreement=d, to="partnership-board")
    assert list(notices.values_list("stage_run__stage", "recipients__name")) == [
        ("senior-managers", "partnership-board holder")
    ]


def test_peterborough_pscb_is_told_when_the_process_is_withdrawn_after_escalation_l54(cast_for, time_machine) -> None:
    cast = cast_for("peterborough")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    walker.escalate(Step("line-manager", "2027-01-12T10:00", {}))
    services.disagreement_withdraw(
        disagreement=walker.d, by=cast.at("school", 1), reason="Resolved by the family moving."
    )
    assert told(walker.d, "partnership-board") == [{"partnership-board holder"}]


def test_peterborough_offered_advice_opens_the_child_to_no_safeguarding_lead_l36(cast_for, time_machine) -> None:
    # L36: the worker seeks the advice; no lead is told, so none of them (their own included) sees the child yet
    cast = cast_for("peterborough")
    leads = [lead(cast, "school"), lead(cast, "csc"), cast.role("safeguarding-lead")]
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    assert [can_see(person, walker.d) for person in leads] == [False, False, False]
    assert [notices_for(person=person) for person in leads] == [[], [], []]  # nor is any of them shown it
    assert can_see(cast.at("school", 1), walker.d)
