"""What the procedure requires of a disagreement at a stage, read from its definition (reads only).

Used by the services (which refuse a transition whose requirements are unmet) and by selectors
(which show what is still needed). Nothing here writes: starting a stage, storing a deadline,
raising notices and adding a participant are services (``services/stages.py``).
"""

from __future__ import annotations

from uuid import UUID

from resolve.disagreements.models import (
    Disagreement,
    Participant,
    StageRun,
    WrittenOutcome,
)
from resolve.partnerships.models import Person, RoleAssignment
from resolve.partnerships.selectors import calendar_for, managers_of
from resolve.procedures.engine import Circumstances, Due, stage_deadlines
from resolve.procedures.schema import Pathway, Procedure, RecordRequirement, Stage


def procedure_of(disagreement: Disagreement) -> Procedure:
    return disagreement.procedure_version.procedure


def pathway_of(disagreement: Disagreement) -> Pathway:
    return procedure_of(disagreement).pathway(disagreement.pathway)


def stage_of(run: StageRun) -> Stage:
    return pathway_of(run.disagreement).stage(run.stage)


def circumstances_of(disagreement: Disagreement) -> Circumstances:
    return Circumstances(
        significant_harm=disagreement.significant_harm,
        urgent=disagreement.urgent,
        child_protection=disagreement.child_protection,
        flags=frozenset(disagreement.flags),
    )


def party_agency_ids(disagreement: Disagreement) -> set[UUID]:
    """The agencies in dispute: the raising agency and every agency it disagrees with."""
    ids = set(disagreement.other_agencies.values_list("pk", flat=True))
    ids.add(disagreement.raising_agency_id)
    return ids


def outcome_confirmed(outcome: WrittenOutcome, parties: set[UUID]) -> bool:
    confirmed = set(outcome.confirmations.values_list("agency_id", flat=True))
    return parties <= confirmed


def latest_outcome(run: StageRun) -> WrittenOutcome | None:
    return run.outcomes.order_by("-proposed_at").first()


def confirmed_outcome(run: StageRun) -> WrittenOutcome | None:
    """The stage's latest written outcome, if every party agency has confirmed it."""
    outcome = latest_outcome(run)
    if outcome is not None and outcome_confirmed(outcome, party_agency_ids(run.disagreement)):
        return outcome
    return None


def requirement_met(run: StageRun, requirement: RecordRequirement) -> bool:
    if requirement.kind == "written_confirmation":
        return confirmed_outcome(run) is not None
    return run.records.filter(kind=requirement.kind).exists()


def missing_records(run: StageRun, transition: str) -> list[RecordRequirement]:
    stage = stage_of(run)
    return [r for r in stage.records if transition in r.required_before and not requirement_met(run, r)]


def involved_level(disagreement: Disagreement, stage: Stage) -> int:
    """The most senior level involved: the stage's handlers and every person taking part."""
    levels = [stage.handlers.level or 0]
    levels += [
        lv
        for lv in Person.objects.filter(participations__disagreement=disagreement).values_list("level", flat=True)
        if lv is not None
    ]
    return max(levels)


def run_deadlines(run: StageRun, *, earlier: list[StageRun]) -> list[Due]:
    """The deadlines of a stage run from today's calendar: at its start, or on an explicit recalculation."""
    disagreement = run.disagreement
    procedure = procedure_of(disagreement)
    pathway = procedure.pathway(disagreement.pathway)
    stage_starts = {r.stage: r.started_at for r in earlier}
    stage_starts[run.stage] = run.started_at
    return stage_deadlines(
        procedure,
        pathway,
        pathway.stage(run.stage),
        calendar=calendar_for(disagreement.partnership),
        stage_start=run.started_at,
        disagreement_start=disagreement.raised_at,
        stage_starts=stage_starts,
        circumstances=circumstances_of(disagreement),
        entry_stage=not earlier,
    )


def recipients_for(disagreement: Disagreement, to: str) -> list[Person]:
    """The people a notice addressed to a role or to one of the parties goes to, as far as known."""
    if to == "raiser":
        return [disagreement.raised_by]
    parties = [
        p.person
        for p in disagreement.participants.select_related("person__line_manager")
        if p.capacity in (Participant.Capacity.RAISER, Participant.Capacity.COUNTERPART, Participant.Capacity.HANDLER)
    ]
    if to == "parties":
        return parties
    if to == "handlers":
        return [p.person for p in disagreement.participants.filter(capacity=Participant.Capacity.HANDLER)]
    if to == "line_managers":
        found: dict[object, Person] = {}
        for person in parties:
            for manager in managers_of(person)[:1]:
                found[manager.pk] = manager
        return list(found.values())
    return [
        a.person
        for a in RoleAssignment.objects.filter(
            partnership=disagreement.partnership, role=to, person__is_active=True
        ).select_related("person")
    ]
