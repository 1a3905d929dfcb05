"""Who handles a stage: a level per agency (Enfield stage 2, Appendix B) and roles on request (NEL's ISO)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

from resolve.access.policy import Action, allowed, handles_stage, people_who_can_act, who_can_act
from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import rules, services
from resolve.disagreements.models import Disagreement, Participant, RecordEntry
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import RoleAssignment
from resolve.procedures.loader import DefinitionError, load_text
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one
from tests.disagreements.walker import Step, Walker
from tests.factories import AgencyFactory, PersonFactory
from tests.procedures.definitions import raw_definition

pytestmark = pytest.mark.django_db

ISO = "independent-scrutiny-officer"


# --- a level per agency: Enfield stage 2 (L62; Appendix B L115-132; READING 2.7) ---------------------------


def at_enfield_stage_2(cast: Cast, against: tuple[str, ...] = ("csc",)) -> Disagreement:
    d = raise_one(cast, against=against)
    services.discussion_record(
        disagreement=d, by=cast.at("school", 2), held_at=d.raised_at, method="telephone", summary="No agreement."
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 2), reason="No agreement.")
    return d


def test_enfield_stage_2_head_of_service_is_level_4_in_social_care_police_and_health_and_3_elsewhere(
    cast_for: Callable[[str], Cast],
) -> None:
    """L62 "a Head of Service or equivalent": Level 3 in Early Help and YOT, Level 4 in children's social
    care, police and health (Appendix B, READING 2.7); Education, which Appendix B does not place, stays at 3."""
    cast = cast_for("enfield")
    early_help = AgencyFactory.create(partnership=cast.partnership, name="Early Help", matrix_agency="early-help")
    cast.agencies["early-help"] = early_help
    cast.people[("early-help", 1)] = PersonFactory.create(partnership=cast.partnership, agency=early_help, level=1)
    d = at_enfield_stage_2(cast, against=("csc", "police", "health", "early-help"))
    run = d.stage_runs.get(ended_at__isnull=True)
    assert run.stage == "stage-2"
    levels = {key: rules.acting_level(d, run, agency) for key, agency in cast.agencies.items()}
    assert levels == {"school": 3, "csc": 4, "police": 4, "health": 4, "early-help": 3}
    head_of_early_help = PersonFactory.create(partnership=cast.partnership, agency=early_help, level=3)
    assert handles_stage(head_of_early_help, run)
    assert handles_stage(cast.at("school", 3), run)
    for key in ("csc", "police", "health"):
        assert not handles_stage(cast.at(key, 3), run), key
        assert handles_stage(cast.at(key, 4), run), key


def test_a_level_3_service_manager_in_social_care_cannot_escalate_enfield_stage_2_and_is_told_who_can(
    cast_for: Callable[[str], Cast],
) -> None:
    """Enfield L62, Appendix B: children's social care's Head of Service is Level 4 (its Level 3 is a Service
    Manager), so its Level 3 cannot escalate or resolve stage 2; its Level 4 can."""
    cast = cast_for("enfield")
    d = at_enfield_stage_2(cast)
    assert not allowed(cast.at("csc", 3), Action.ESCALATE, d)
    with nothing_changes(), pytest.raises(Refused, match="level 4 or above in Children's Social Care"):
        services.disagreement_escalate(disagreement=d, by=cast.at("csc", 3), reason="Still no agreement.")
    assert allowed(cast.at("csc", 4), Action.ESCALATE, d)
    assert "someone at level 3 or above in an agency in dispute (level 4 or above in Children's Social Care)" in (
        who_can_act(d)
    )


def enfield_with(handlers: dict[str, object]) -> str:
    data = raw_definition("enfield")
    data["pathways"][0]["stages"][1]["handlers"] = handlers
    return yaml.safe_dump(data, allow_unicode=True)


def test_levels_per_agency_must_name_columns_of_the_seniority_matrix() -> None:
    """Appendix B's columns are the agencies a level can be given for: a misspelt one is refused."""
    text = enfield_with({"description": "x", "level": 3, "levels": {"social-care": 4}, "source": "L62"})
    with pytest.raises(DefinitionError, match="not columns of the seniority matrix: social-care"):
        load_text(text)


def test_levels_per_agency_must_be_seniority_levels_and_need_a_level_for_the_others() -> None:
    with pytest.raises(DefinitionError, match="handler level 7 is not a seniority level"):
        load_text(enfield_with({"description": "x", "level": 3, "levels": {"met-police": 7}, "source": "L62"}))
    with pytest.raises(DefinitionError, match="need level too"):
        load_text(enfield_with({"description": "x", "levels": {"met-police": 4}, "source": "L62"}))


# --- roles on request: NEL's Independent Scrutiny Officer (L85, L117, L155, L183; L205) -----------------------


@pytest.fixture
def at_partners(cast_for: Callable[[str], Cast], time_machine: object) -> tuple[Cast, Disagreement]:
    """NEL individual cases at E, the safeguarding partners (L83-85), started urgently at C (L39)."""
    cast = cast_for("north-east-lincolnshire")
    walker = Walker(cast, time_machine)
    walker.raise_(
        "2026-12-01T10:00",
        pathway="individual-cases",
        urgent=True,
        start_stage="c-senior-manager",
        urgent_reason="The child is at risk now.",
    )
    walker.escalate(Step("d-multi-agency-review", "2026-12-02T10:00", {}))
    walker.escalate(Step("e-safeguarding-partners", "2026-12-03T10:00", {}))
    return cast, walker.d


def test_until_requested_the_iso_neither_sees_the_child_nor_acts(at_partners: tuple[Cast, Disagreement]) -> None:
    """NEL L85: an ISO "may be requested": the stage's start does not make them a handler."""
    cast, d = at_partners
    iso = cast.role(ISO)
    assert not d.participants.filter(person=iso).exists()
    with pytest.raises(NotFound):
        disagreement_get(person=iso, pk=d.pk)
    assert not handles_stage(iso, d.stage_runs.get(ended_at__isnull=True))
    with pytest.raises(NotFound):
        services.disagreement_resolve(disagreement=d, by=iso)
    assert "Independent Scrutiny Officer (once requested)" in who_can_act(d)
    assert iso not in people_who_can_act(d)


def test_the_safeguarding_partners_request_the_iso_with_a_reason_and_the_iso_then_takes_part(
    at_partners: tuple[Cast, Disagreement],
) -> None:
    """NEL L85: requested "by the ... Partnership Board / safeguarding partners to facilitate a mediation
    meeting": the request is kept with who asked and why, in the record and the audit trail."""
    cast, d = at_partners
    partner, iso = cast.role("safeguarding-partners"), cast.role(ISO)
    entry = services.handler_request(
        disagreement=d, by=partner, role=ISO, reason="Mediation with the senior managers is needed."
    )
    assert (entry.kind, entry.author, entry.data["requested_role"], entry.data["summary"]) == (
        RecordEntry.Kind.WRITTEN_REQUEST,
        partner,
        ISO,
        "Mediation with the senior managers is needed.",
    )
    assert d.participants.filter(person=iso, capacity=Participant.Capacity.HANDLER).exists()
    assert disagreement_get(person=iso, pk=d.pk) == d
    assert handles_stage(iso, d.stage_runs.get(ended_at__isnull=True))
    assert allowed(iso, Action.RESOLVE, d)
    recorded = Event.objects.filter(verb=Verb.RECORD_ADDED, data__requested_role=ISO).get()
    assert recorded.data["record"] == str(entry.pk)
    assert "Mediation" not in str(recorded.data)  # the reason stays in the record, not in the trail
    assert Event.objects.filter(verb=Verb.PARTICIPANT_ADDED, data__person=str(iso.pk)).exists()
    with nothing_changes(), pytest.raises(Refused, match="already been requested"):
        services.handler_request(disagreement=d, by=partner, role=ISO, reason="Again.")
    assert iso in people_who_can_act(d)
    # the reason can be corrected, the role requested cannot (a correction would grant another role)
    services.record_correct(record=entry, by=partner, fields={"summary": "Mediation is needed."}, reason="Typo.")
    with nothing_changes(), pytest.raises(ResolveError, match="cannot be corrected") as changed:
        services.record_correct(record=entry, by=partner, fields={"requested_role": "partnership-board"}, reason="x")
    assert changed.value.field == "requested_role"


def test_a_practitioner_cannot_request_the_iso_and_the_refusal_is_recorded(
    at_partners: tuple[Cast, Disagreement],
) -> None:
    """NEL L85: the request is the partnership's (the stage's authority), not any practitioner's."""
    cast, d = at_partners
    refusals = Event.objects.filter(verb=Verb.ACCESS_REFUSED).count()
    with nothing_changes(), pytest.raises(Refused, match="Only the people with the authority of E"):
        services.handler_request(disagreement=d, by=cast.at("school", 1), role=ISO, reason="Please.")
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED).count() == refusals + 1
    assert not d.participants.filter(person=cast.role(ISO)).exists()


def test_a_request_names_a_role_the_stage_offers_on_request_and_says_why(
    at_partners: tuple[Cast, Disagreement],
) -> None:
    cast, d = at_partners
    partner = cast.role("safeguarding-partners")
    with nothing_changes(), pytest.raises(ResolveError, match="choose one of Independent Scrutiny Officer") as bad:
        services.handler_request(disagreement=d, by=partner, role="partnership-board", reason="Mediation.")
    assert bad.value.field == "role"
    with nothing_changes(), pytest.raises(ResolveError) as blank:
        services.handler_request(disagreement=d, by=partner, role=ISO, reason="   ")
    assert blank.value.field == "reason"


def test_a_request_with_nobody_holding_the_role_is_refused_before_anything_is_written(
    at_partners: tuple[Cast, Disagreement],
) -> None:
    cast, d = at_partners
    RoleAssignment.objects.filter(partnership=cast.partnership, role=ISO).delete()
    with nothing_changes(), pytest.raises(Refused, match="Nobody in this partnership holds the role"):
        services.handler_request(disagreement=d, by=cast.role("safeguarding-partners"), role=ISO, reason="Mediation.")


def test_a_stage_with_no_role_on_request_offers_none(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("north-east-lincolnshire")
    d = raise_one(cast, pathway="individual-cases")
    with nothing_changes(), pytest.raises(ResolveError, match="names no role to request"):
        services.handler_request(disagreement=d, by=cast.at("school", 1), role=ISO, reason="Mediation.")


def test_in_a_serious_case_the_iso_will_be_requested_so_takes_part_as_the_stage_starts(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    """NEL L205: "an Independent Scrutiny Officer will be requested": automatic, no request needed."""
    cast = cast_for("north-east-lincolnshire")
    walker = Walker(cast, time_machine)
    walker.raise_("2026-12-01T10:00", pathway="serious-case")
    walker.escalate(Step("b-safeguarding-partners", "2026-12-02T10:00", {}))
    assert not can_see_now(cast, walker.d)
    walker.escalate(Step("c-independent-scrutiny-officer", "2026-12-03T10:00", {}))
    assert can_see_now(cast, walker.d)
    assert handles_stage(cast.role(ISO), walker.current())


def can_see_now(cast: Cast, d: Disagreement) -> bool:
    try:
        disagreement_get(person=cast.role(ISO), pk=d.pk)
    except NotFound:
        return False
    return True
