"""What the procedure requires of a disagreement at a stage, read from its definition.

Used by the services (which refuse a transition whose requirements are unmet) and by selectors
(which show what is still needed). The functions that write (``open_stage``, ``raise_notices``,
``participant_ensure``, ``store_deadline``) are called only by services, inside their transactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.disagreements.models import (
    Disagreement,
    Notice,
    Participant,
    StageDeadline,
    StageRun,
    WrittenOutcome,
)
from resolve.partnerships.models import Person, RoleAssignment
from resolve.partnerships.selectors import calendar_for, managers_of
from resolve.procedures.engine import Circumstances, Due, stage_deadlines
from resolve.procedures.schema import Notification, Pathway, Procedure, RecordRequirement, Stage


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


def open_stage(
    *,
    disagreement: Disagreement,
    position: int,
    entry: str,
    by: Person,
    at: datetime,
) -> StageRun:
    """Start the pathway's stage at ``position``: its run, its deadlines and its notices."""
    procedure = procedure_of(disagreement)
    pathway = procedure.pathway(disagreement.pathway)
    stage = pathway.stages[position]
    earlier = list(disagreement.stage_runs.all())
    run = StageRun.objects.create(
        disagreement=disagreement,
        stage=stage.slug,
        name=stage.name,
        position=position,
        entry=entry,
        started_at=at,
        started_by=by,
    )
    disagreement_event(disagreement, Verb.STAGE_STARTED, by=by, at=at, stage=stage.slug, position=position, entry=entry)
    # The people holding a partnership role that handles this stage (a chair, a reviewer...) take part from now.
    for holder in RoleAssignment.objects.filter(
        partnership=disagreement.partnership, role__in=stage.handlers.roles, person__is_active=True
    ).select_related("person"):
        participant_ensure(
            disagreement=disagreement,
            person=holder.person,
            capacity=Participant.Capacity.HANDLER,
            run=run,
            by=by,
            at=at,
        )
    dues = run_deadlines(run, earlier=earlier)
    for due in dues:
        store_deadline(run, due, by=by, at=at, verb=Verb.DEADLINE_SET)
    raise_notices(disagreement=disagreement, run=run, when="entry", by=by, at=at)
    return run


def store_deadline(run: StageRun, due: Due, *, by: Person | None, at: datetime, verb: Verb, **data: object) -> None:
    """Store one due time with the rule that produced it, and say so in the timeline."""
    StageDeadline.objects.create(
        stage_run=run,
        timescale=due.timescale,
        what=due.what,
        due=due.due,
        rule=due.rule,
        source=due.source,
        computed_at=at,
    )
    disagreement_event(
        run.disagreement,
        verb,
        by=by,
        at=at,
        stage=run.stage,
        timescale=due.timescale,
        due=due.due.isoformat() if due.due else None,
        **data,
    )


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


def raise_notices(*, disagreement: Disagreement, run: StageRun, when: str, by: Person, at: datetime) -> None:
    """Create the notices the stage and the procedure require at this moment (entry or close)."""
    procedure = procedure_of(disagreement)
    stage = stage_of(run)
    reached = set(disagreement.stage_runs.values_list("stage", flat=True))
    level = involved_level(disagreement, stage)
    candidates: Iterable[Notification] = (*stage.notifications, *procedure.notifications)
    for n in candidates:
        if n.when != when:
            continue
        if n.min_level is not None and level < n.min_level:
            continue
        if n.flag is not None and n.flag not in disagreement.flags:
            continue
        if n.reached_stage is not None and n.reached_stage not in reached:
            continue
        if disagreement.notices.filter(to=n.to, what=n.what, stage_run=run).exists():
            continue
        notice = Notice.objects.create(
            disagreement=disagreement,
            stage_run=run,
            to=n.to,
            what=n.what,
            timing=n.timing or "",
            form=n.form or "",
            source=n.source,
            created_at=at,
        )
        notice.recipients.set(recipients_for(disagreement, n.to))
        disagreement_event(disagreement, Verb.NOTICE_DUE, by=by, at=at, notice=notice.pk, to=n.to, stage=run.stage)


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


def participant_ensure(
    *, disagreement: Disagreement, person: Person, capacity: str, run: StageRun | None, by: Person, at: datetime
) -> None:
    _, created = Participant.objects.get_or_create(
        disagreement=disagreement,
        person=person,
        capacity=capacity,
        defaults={"stage_run": run, "added_at": at},
    )
    if created:
        disagreement_event(disagreement, Verb.PARTICIPANT_ADDED, by=by, at=at, person=str(person.pk), capacity=capacity)
