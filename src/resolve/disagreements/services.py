"""Everything that changes a disagreement. Each function is one transaction.

Each service checks its input and the disagreement's state before it writes anything, and raises
``ResolveError`` (bad input) or ``Refused`` (not allowed now) with a message saying what to fix,
so a refused call changes nothing. Every transition locks the disagreement's row first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Action,
    Child,
    Confirmation,
    Disagreement,
    Participant,
    RecordEntry,
    StageRun,
    WrittenOutcome,
)
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.procedures.schema import Category, Pathway, Procedure

DISCUSSION_METHODS = ("telephone", "meeting", "video call", "e-mail")

#: What each kind of record must say, beyond who wrote it and when it happened.
RECORD_FIELDS: Mapping[str, tuple[str, ...]] = {
    RecordEntry.Kind.DISCUSSION_NOTE: ("method", "summary"),
    RecordEntry.Kind.MEETING_RECORD: (
        "areas_of_discussion",
        "disagreement",
        "agreements",
        "actions",
    ),
    RecordEntry.Kind.EXECUTIVE_SUMMARY: ("summary",),
    RecordEntry.Kind.CONFERENCE_RECORD: ("view", "decision"),
    RecordEntry.Kind.WRITTEN_REQUEST: ("sent_to", "summary"),
    RecordEntry.Kind.FORM: ("form", "summary"),
}
CONFERENCE_VIEWS = ("unanimous", "majority", "equally_divided")
# A record may say a discussion happened a few minutes "from now" because clocks differ.
CLOCK_SLACK = timedelta(minutes=5)


# ---------------------------------------------------------------------------------------------
# Guards shared by the services


def _lock(disagreement: Disagreement) -> Disagreement:
    return (
        Disagreement.objects.select_for_update()
        .select_related("procedure_version", "partnership", "raising_agency", "raised_by")
        .get(pk=disagreement.pk)
    )


def _require_member(partnership: Partnership, person: Person, what: str = "This person") -> None:
    if person.partnership_id != partnership.pk or not person.is_active:
        raise ResolveError(f"{what} is not an active member of {partnership.name}.", field="person")


def _require_open(disagreement: Disagreement, doing: str) -> None:
    if not disagreement.is_open:
        when = timezone.localtime(disagreement.closed_at).strftime("%d %B %Y") if disagreement.closed_at else ""
        raise Refused(
            f"This disagreement was {disagreement.get_status_display().lower()} on {when}; "
            f"a {disagreement.get_status_display().lower()} disagreement cannot be {doing}. "
            f"If concerns remain, raise a new disagreement."
        )


def _current_run(disagreement: Disagreement) -> StageRun:
    return disagreement.stage_runs.select_related("disagreement__procedure_version").get(ended_at__isnull=True)


def _required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ResolveError(f"Enter {label}.", field=field)
    return text


def _past(moment: datetime, field: str, label: str) -> datetime:
    if timezone.is_naive(moment):
        raise ResolveError(f"{label} must include a time zone.", field=field)
    if moment > timezone.now() + CLOCK_SLACK:
        raise ResolveError(f"{label} cannot be in the future.", field=field)
    return moment


def _describe_missing(run: StageRun, transition: str) -> str | None:
    missing = rules.missing_records(run, transition)
    if not missing:
        return None
    needs = "; ".join(f"{r.title} [{r.source}]" for r in missing)
    verb = "escalated" if transition == "escalate" else "resolved"
    return f"{run.name} cannot be {verb} yet. The procedure requires: {needs}. Record it first."


# ---------------------------------------------------------------------------------------------
# Raising


@transaction.atomic
def child_register(
    *, partnership: Partnership, reference: str, name: str = "", date_of_birth: date | None = None
) -> Child:
    """The child with this reference in the partnership, created on first use."""
    reference = _required_text(reference, "reference", "the child's reference (a case number, not a name)")
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ResolveError("The child's date of birth cannot be in the future.", field="date_of_birth")
    child, _ = Child.objects.get_or_create(
        partnership=partnership,
        reference=reference,
        defaults={"name": name.strip(), "date_of_birth": date_of_birth},
    )
    return child


@transaction.atomic
def disagreement_raise(
    *,
    by: Person,
    child: Child,
    other_agencies: Sequence[Agency],
    expected: str,
    why: str,
    what_needed: str,
    category: str = "",
    pathway: str | None = None,
    evidence: str = "",
    significant_harm: bool = False,
    urgent: bool = False,
    urgent_reason: str = "",
    start_stage: str | None = None,
    child_protection: bool = False,
    flags: Sequence[str] = (),
    conference_kind: str = "",
    counterparts: Sequence[Person] = (),
) -> Disagreement:
    """Raise a disagreement about ``child`` with ``other_agencies`` under the partnership's procedure.

    ``counterparts`` are the people in the other agencies the raiser has been dealing with; they
    (and their line managers) can then see the disagreement.

    A significant-harm disagreement is due the same working day. An urgent one may start at any
    later stage the procedure allows urgent cases to start at, with the reason recorded.
    """
    # Read afresh: the partnership may have adopted a new procedure version since ``by`` was loaded.
    partnership = Partnership.objects.select_related("procedure").get(pk=by.partnership_id)
    _require_member(partnership, by, "The person raising it")
    if by.agency is None:
        raise ResolveError("Only someone in one of the partnership's agencies can raise a disagreement.")
    if partnership.procedure is None:
        raise Refused(f"{partnership.name} has not adopted a procedure yet; an administrator must adopt one.")
    if child.partnership_id != partnership.pk:
        raise ResolveError("That child is not known to this partnership.", field="child")
    version = partnership.procedure
    procedure = version.procedure

    others = _check_other_agencies(by, other_agencies)
    for person in counterparts:
        if person.agency_id not in {a.pk for a in others} or not person.is_active:
            raise ResolveError(
                f"{person.name} is not an active member of an agency you disagree with.", field="counterparts"
            )
    chosen_category, chosen = _choose_category_and_pathway(procedure, category, pathway)
    position = _choose_start(chosen, start_stage, urgent=urgent)
    if position > 0:
        urgent_reason = _required_text(urgent_reason, "urgent_reason", "why this needs urgent resolution")
    _check_flags_and_conference(procedure, chosen, flags, conference_kind)

    now = timezone.now()
    disagreement = Disagreement.objects.create(
        partnership=partnership,
        procedure_version=version,
        pathway=chosen.slug,
        category=chosen_category.slug if chosen_category else "",
        child=child,
        raised_by=by,
        raising_agency=by.agency,
        expected=_required_text(expected, "expected", "what you expect the other agency to do"),
        why=_required_text(why, "why", "why you believe the arrangements are not being applied"),
        what_needed=_required_text(what_needed, "what_needed", "what needs to be done"),
        evidence=evidence.strip(),
        significant_harm=significant_harm,
        urgent=urgent,
        urgent_reason=urgent_reason.strip(),
        child_protection=child_protection,
        flags=sorted(set(flags)),
        conference_kind=conference_kind,
        raised_at=now,
    )
    disagreement.other_agencies.set(others)
    event_record(
        verb=Verb.RAISED,
        partnership=partnership,
        actor=by,
        disagreement=disagreement,
        data={
            "procedure": version.slug,
            "version": version.version,
            "pathway": chosen.slug,
            "category": disagreement.category,
            "significant_harm": significant_harm,
            "urgent": urgent,
            "child_protection": child_protection,
            "flags": disagreement.flags,
            "other_agencies": [str(a.pk) for a in others],
            "conference_kind": conference_kind,
            "child_protection_plan": _plan_effect(chosen, conference_kind),
        },
        at=now,
    )
    rules.participant_ensure(
        disagreement=disagreement, person=by, capacity=Participant.Capacity.RAISER, run=None, by=by, at=now
    )
    for person in counterparts:
        rules.participant_ensure(
            disagreement=disagreement, person=person, capacity=Participant.Capacity.COUNTERPART, run=None, by=by, at=now
        )
    entry = StageRun.Entry.URGENT if position > 0 else StageRun.Entry.RAISED
    rules.open_stage(disagreement=disagreement, position=position, entry=entry, by=by, at=now)
    return disagreement


def _check_other_agencies(by: Person, other_agencies: Sequence[Agency]) -> list[Agency]:
    others = list({a.pk: a for a in other_agencies}.values())
    if not others:
        raise ResolveError("Choose the agency or agencies you disagree with.", field="other_agencies")
    for agency in others:
        if agency.partnership_id != by.partnership_id:
            raise ResolveError(f"{agency.name} is not an agency of this partnership.", field="other_agencies")
        if agency.pk == by.agency_id:
            raise ResolveError(
                "A disagreement is between agencies: choose an agency other than your own. "
                "Disagreements within one agency go through its own procedures.",
                field="other_agencies",
            )
    return others


def _choose_category_and_pathway(
    procedure: Procedure, category: str, pathway: str | None
) -> tuple[Category | None, Pathway]:
    """The category (refused if the procedure puts it out of scope) and the pathway it leads to."""
    chosen_category = None
    if procedure.categories or category:
        try:
            chosen_category = procedure.category(category)
        except KeyError:
            names = "; ".join(f"{c.slug} ({c.name})" for c in procedure.categories if not c.refuse_with)
            raise ResolveError(f"Choose a category of disagreement: {names}.", field="category") from None
        if chosen_category.refuse_with:
            raise Refused(chosen_category.refuse_with)
    slug = pathway or (chosen_category.pathway if chosen_category else None) or procedure.pathways[0].slug
    try:
        return chosen_category, procedure.pathway(slug)
    except KeyError:
        known = ", ".join(p.slug for p in procedure.pathways)
        raise ResolveError(f"The procedure has no pathway {slug!r}; choose one of {known}.", field="pathway") from None


def _choose_start(pathway: Pathway, start_stage: str | None, *, urgent: bool) -> int:
    """Where the disagreement starts: the first stage, or a later one the procedure lets urgent cases start at."""
    if start_stage is None or start_stage == pathway.stages[0].slug:
        return 0
    try:
        position = pathway.index(start_stage)
    except ValueError:
        known = ", ".join(s.slug for s in pathway.stages)
        raise ResolveError(
            f"{pathway.name} has no stage {start_stage!r}; its stages are {known}.", field="start_stage"
        ) from None
    if not urgent:
        raise ResolveError(
            "Only an urgent disagreement may start after the first stage: mark it urgent and say why.",
            field="start_stage",
        )
    if not pathway.stages[position].urgent_start:
        allowed = [s.name for s in pathway.stages if s.urgent_start]
        where = ", ".join(allowed) if allowed else "no later stage: it must start at the first stage"
        raise ResolveError(
            f"The procedure does not let an urgent case start at {pathway.stages[position].name}. "
            f"Urgent cases may start at: {where}.",
            field="start_stage",
        )
    return position


def _check_flags_and_conference(
    procedure: Procedure, pathway: Pathway, flags: Sequence[str], conference_kind: str
) -> None:
    unknown_flags = sorted(set(flags) - {f.slug for f in procedure.flags})
    if unknown_flags:
        known = ", ".join(f.slug for f in procedure.flags) or "none"
        raise ResolveError(f"Unknown flag {', '.join(unknown_flags)}; this procedure's flags: {known}.", field="flags")
    if pathway.conference and pathway.conference.view == "equally_divided":
        if conference_kind not in (Disagreement.ConferenceKind.INITIAL, Disagreement.ConferenceKind.REVIEW):
            raise ResolveError(
                "Say whether the adjourned conference was an initial or a review conference.", field="conference_kind"
            )
    elif conference_kind and not pathway.conference:
        raise ResolveError(f"{pathway.name} is not about a child protection conference.", field="conference_kind")


def _plan_effect(pathway: Pathway, conference_kind: str) -> str:
    """What an equally divided conference means for the child's plan while it is adjourned (NEL L167)."""
    rule = pathway.conference
    if rule is None or rule.plan_while_pending != "continues_or_made_subject":
        return ""
    if conference_kind == Disagreement.ConferenceKind.INITIAL:
        return "made subject of a child protection plan pending the reconvened conference"
    return "continues to be subject of a child protection plan until the conference is reconvened"


# ---------------------------------------------------------------------------------------------
# People and records


@transaction.atomic
def participant_add(*, disagreement: Disagreement, by: Person, person: Person, capacity: str) -> None:
    disagreement = _lock(disagreement)
    require(by, Can.RECORD, disagreement)
    _require_open(disagreement, "changed")
    _require_member(disagreement.partnership, person)
    if capacity not in (Participant.Capacity.HANDLER, Participant.Capacity.COUNTERPART, Participant.Capacity.ATTENDEE):
        raise ResolveError("Add a person as a handler, a counterpart or an attendee.", field="capacity")
    run = _current_run(disagreement)
    rules.participant_ensure(
        disagreement=disagreement, person=person, capacity=capacity, run=run, by=by, at=timezone.now()
    )
    rules.raise_notices(disagreement=disagreement, run=run, when="entry", by=by, at=timezone.now())


@transaction.atomic
def discussion_record(
    *,
    disagreement: Disagreement,
    by: Person,
    held_at: datetime,
    method: str,
    summary: str,
    with_people: Sequence[Person] = (),
    others_present: str = "",
) -> RecordEntry:
    """Record a discussion held for the current stage: when, who took part, and how."""
    if method not in DISCUSSION_METHODS:
        raise ResolveError(f"Say how the discussion was held: {', '.join(DISCUSSION_METHODS)}.", field="method")
    return _record(
        disagreement=disagreement,
        by=by,
        kind=RecordEntry.Kind.DISCUSSION_NOTE,
        occurred_at=held_at,
        fields={"method": method, "summary": summary, "others_present": others_present},
        people={"with_people": list(with_people)},
    )


@transaction.atomic
def meeting_record(
    *,
    disagreement: Disagreement,
    by: Person,
    held_at: datetime,
    chair: Person,
    attendees: Sequence[Person],
    areas_of_discussion: str,
    disagreement_text: str,
    agreements: str,
    actions: str,
    others_present: str = "",
) -> RecordEntry:
    """Record a multi-agency meeting: its chair, who attended, and what was discussed, disputed and agreed."""
    if not attendees:
        raise ResolveError("List who attended the meeting.", field="attendees")
    return _record(
        disagreement=disagreement,
        by=by,
        kind=RecordEntry.Kind.MEETING_RECORD,
        occurred_at=held_at,
        fields={
            "areas_of_discussion": areas_of_discussion,
            "disagreement": disagreement_text,
            "agreements": agreements,
            "actions": actions,
            "others_present": others_present,
        },
        people={"chair": [chair], "attendees": list(attendees)},
    )


@transaction.atomic
def record_add(
    *,
    disagreement: Disagreement,
    by: Person,
    kind: str,
    occurred_at: datetime,
    fields: Mapping[str, str],
) -> RecordEntry:
    """Add an executive summary, conference record, written request or pro-forma to the current stage."""
    if kind not in (
        RecordEntry.Kind.EXECUTIVE_SUMMARY,
        RecordEntry.Kind.CONFERENCE_RECORD,
        RecordEntry.Kind.WRITTEN_REQUEST,
        RecordEntry.Kind.FORM,
    ):
        raise ResolveError(
            "Use this for an executive summary, conference record, written request or pro-forma; "
            "discussions, meetings, outcomes and reviewers' decisions have their own forms.",
            field="kind",
        )
    if kind == RecordEntry.Kind.CONFERENCE_RECORD:
        view = fields.get("view", "")
        if view not in CONFERENCE_VIEWS:
            raise ResolveError(f"Say the conference's view: {', '.join(CONFERENCE_VIEWS)}.", field="view")
        if view == "majority" and not (fields.get("minority_view") or "").strip():
            raise ResolveError(
                "Record the concerns and reasons of those who hold the minority view.", field="minority_view"
            )
    return _record(disagreement=disagreement, by=by, kind=kind, occurred_at=occurred_at, fields=fields, people={})


@transaction.atomic
def record_correct(*, record: RecordEntry, by: Person, fields: Mapping[str, str], reason: str) -> RecordEntry:
    """Correct a record: a new entry pointing at the one it corrects; the original stays as it was."""
    disagreement = _lock(record.disagreement)
    require(by, Can.RECORD, disagreement)
    reason = _required_text(reason, "reason", "why the record is being corrected")
    data = dict(record.data)
    for name, value in fields.items():
        if name not in data:
            raise ResolveError(f"A {record.get_kind_display().lower()} has no field {name!r}.", field=name)
        data[name] = value.strip() if isinstance(value, str) else value
    for name in RECORD_FIELDS.get(record.kind, ()):
        if not str(data.get(name, "")).strip():
            raise ResolveError(f"A correction cannot blank {name.replace('_', ' ')}.", field=name)
    data["correction_reason"] = reason
    now = timezone.now()
    correction = RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=record.stage_run,
        kind=record.kind,
        author=by,
        created_at=now,
        occurred_at=record.occurred_at,
        data=data,
        corrects=record,
    )
    disagreement_event(
        disagreement, Verb.RECORD_CORRECTED, by=by, at=now, record=str(correction.pk), corrects=str(record.pk)
    )
    return correction


def _record(
    *,
    disagreement: Disagreement,
    by: Person,
    kind: str,
    occurred_at: datetime,
    fields: Mapping[str, str],
    people: Mapping[str, Sequence[Person]],
) -> RecordEntry:
    disagreement = _lock(disagreement)
    require(by, Can.RECORD, disagreement)
    _require_open(disagreement, "added to")
    occurred_at = _past(occurred_at, "occurred_at", "When it happened")
    data: dict[str, Any] = {}
    for name in RECORD_FIELDS.get(kind, ()):
        data[name] = _required_text(fields.get(name, ""), name, name.replace("_", " "))
    for name, value in fields.items():
        data.setdefault(name, value.strip() if isinstance(value, str) else value)
    for name, persons in people.items():
        for person in persons:
            _require_member(disagreement.partnership, person, f"{person.name} ({name.replace('_', ' ')})")
        data[name] = [{"id": str(p.pk), "name": p.name, "job_title": p.job_title} for p in persons]
    run = _current_run(disagreement)
    now = timezone.now()
    entry = RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=kind,
        author=by,
        created_at=now,
        occurred_at=occurred_at,
        data=data,
    )
    for persons in people.values():
        for person in persons:
            rules.participant_ensure(
                disagreement=disagreement, person=person, capacity=Participant.Capacity.ATTENDEE, run=run, by=by, at=now
            )
    verb = Verb.DISCUSSION_RECORDED if kind == RecordEntry.Kind.DISCUSSION_NOTE else Verb.RECORD_ADDED
    disagreement_event(disagreement, verb, by=by, at=now, record=str(entry.pk), kind=kind, stage=run.stage)
    return entry


# ---------------------------------------------------------------------------------------------
# Written outcomes


@transaction.atomic
def outcome_propose(*, disagreement: Disagreement, by: Person, text: str) -> WrittenOutcome:
    """Propose the written outcome of the current stage; proposing it confirms it for your agency."""
    disagreement = _lock(disagreement)
    require(by, Can.PROPOSE_OUTCOME, disagreement)
    _require_open(disagreement, "given an outcome")
    agency = _party_agency(by)
    text = _required_text(text, "text", "the agreed outcome and how any outstanding issues will be pursued")
    run = _current_run(disagreement)
    now = timezone.now()
    outcome = WrittenOutcome.objects.create(
        disagreement=disagreement, stage_run=run, text=text, proposed_by=by, proposed_at=now
    )
    Confirmation.objects.create(outcome=outcome, agency=agency, person=by, confirmed_at=now)
    disagreement_event(disagreement, Verb.OUTCOME_PROPOSED, by=by, at=now, outcome=str(outcome.pk), stage=run.stage)
    return outcome


@transaction.atomic
def outcome_confirm(*, outcome: WrittenOutcome, by: Person) -> WrittenOutcome:
    """Confirm a proposed written outcome for your agency."""
    disagreement = _lock(outcome.disagreement)
    require(by, Can.CONFIRM_OUTCOME, disagreement)
    _require_open(disagreement, "given an outcome")
    agency = _party_agency(by)
    run = _current_run(disagreement)
    if outcome.stage_run_id != run.pk or rules.latest_outcome(run) != outcome:
        raise Refused("This is not the current proposed outcome: a newer one was proposed, or the stage has moved on.")
    if outcome.confirmations.filter(agency=agency).exists():
        raise Refused(f"{agency.name} has already confirmed this outcome.")
    now = timezone.now()
    Confirmation.objects.create(outcome=outcome, agency=agency, person=by, confirmed_at=now)
    disagreement_event(
        disagreement, Verb.OUTCOME_CONFIRMED, by=by, at=now, outcome=str(outcome.pk), agency=str(agency.pk)
    )
    return outcome


def _party_agency(by: Person) -> Agency:
    """The agency of someone the access policy has allowed to propose or confirm an outcome."""
    assert by.agency is not None  # the policy allows only people in an agency in dispute
    return by.agency


# ---------------------------------------------------------------------------------------------
# Actions


@transaction.atomic
def action_add(
    *,
    disagreement: Disagreement,
    by: Person,
    description: str,
    owner: Person | None = None,
    due_on: date | None = None,
) -> Action:
    disagreement = _lock(disagreement)
    require(by, Can.RECORD, disagreement)
    _require_open(disagreement, "given new actions")
    if owner is not None:
        _require_member(disagreement.partnership, owner, "The action's owner")
    if due_on is not None and due_on < timezone.localdate():
        raise ResolveError("An action's due date cannot be in the past.", field="due_on")
    run = _current_run(disagreement)
    now = timezone.now()
    action = Action.objects.create(
        disagreement=disagreement,
        stage_run=run,
        description=_required_text(description, "description", "what the action is"),
        owner=owner,
        due_on=due_on,
        created_by=by,
        created_at=now,
    )
    disagreement_event(
        disagreement, Verb.ACTION_ADDED, by=by, at=now, action=str(action.pk), owner=str(owner.pk) if owner else None
    )
    return action


@transaction.atomic
def action_complete(*, action: Action, by: Person, note: str = "") -> Action:
    disagreement = _lock(action.disagreement)
    require(by, Can.RECORD, disagreement)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_at is not None:
        raise Refused("This action is already complete.")
    now = timezone.now()
    action.completed_at = now
    action.completed_by = by
    action.completion_note = note.strip()
    action.save(update_fields=["completed_at", "completed_by", "completion_note"])
    disagreement_event(disagreement, Verb.ACTION_COMPLETED, by=by, at=now, action=str(action.pk))
    return action


# ---------------------------------------------------------------------------------------------
# Transitions


@transaction.atomic
def disagreement_escalate(
    *, disagreement: Disagreement, by: Person, reason: str, from_stage: str | None = None
) -> StageRun:
    """Close the current stage as escalated and start the next one, with the reason recorded.

    ``from_stage`` is the stage the person saw when they chose to escalate: if someone else
    escalated it meanwhile, this one is refused rather than skipping a stage.
    """
    disagreement = _lock(disagreement)
    require(by, Can.ESCALATE, disagreement)
    _require_open(disagreement, "escalated")
    reason = _required_text(reason, "reason", "why the disagreement is being escalated")
    run = _current_run(disagreement)
    if from_stage is not None and from_stage != run.stage:
        raise Refused(f"Someone has already escalated this disagreement: it is now at {run.name}.")
    pathway = rules.pathway_of(disagreement)
    stage = pathway.stage(run.stage)
    if run.position + 1 >= len(pathway.stages):
        final = " Its decision is final." if stage.decision_final else ""
        raise Refused(
            f"{stage.name} is the last stage of {pathway.name}; there is nowhere further to escalate it.{final} "
            f"Record the outcome and resolve it."
        )
    problem = _describe_missing(run, "escalate")
    if problem:
        raise Refused(problem)
    now = timezone.now()
    _close_run(run, StageRun.Outcome.ESCALATED, reason, now)
    disagreement_event(
        disagreement,
        Verb.ESCALATED,
        by=by,
        at=now,
        from_stage=run.stage,
        to_stage=pathway.stages[run.position + 1].slug,
    )
    rules.raise_notices(disagreement=disagreement, run=run, when="close", by=by, at=now)
    return rules.open_stage(
        disagreement=disagreement, position=run.position + 1, entry=StageRun.Entry.ESCALATED, by=by, at=now
    )


@transaction.atomic
def disagreement_resolve(*, disagreement: Disagreement, by: Person) -> Disagreement:
    """Close the disagreement as resolved on the current stage's written outcome, confirmed by every party."""
    disagreement = _lock(disagreement)
    require(by, Can.RESOLVE, disagreement)
    _require_open(disagreement, "resolved")
    run = _current_run(disagreement)
    stage = rules.stage_of(run)
    if stage.independent_reviewer:
        if not run.records.filter(kind=RecordEntry.Kind.REVIEWER_DECISION).exists():
            raise Refused(f"{stage.name} is decided by the independent reviewer: record their decision first.")
    else:
        outcome = rules.latest_outcome(run)
        if outcome is None:
            raise Refused(
                f"{run.name} has no written outcome yet: propose one, and every agency in dispute "
                "must confirm it before the disagreement can be resolved."
            )
        parties = rules.party_agency_ids(disagreement)
        if not rules.outcome_confirmed(outcome, parties):
            confirmed = set(outcome.confirmations.values_list("agency_id", flat=True))
            waiting = ", ".join(a.name for a in Agency.objects.filter(pk__in=parties - confirmed).order_by("name"))
            raise Refused(
                f"The written outcome has not been confirmed by every agency in dispute; still to confirm: {waiting}."
            )
    problem = _describe_missing(run, "resolve")
    if problem:
        raise Refused(problem)
    return _close(
        disagreement,
        run,
        by=by,
        status=Disagreement.Status.RESOLVED,
        outcome=StageRun.Outcome.RESOLVED,
        reason="",
        verb=Verb.RESOLVED,
    )


@transaction.atomic
def disagreement_withdraw(*, disagreement: Disagreement, by: Person, reason: str) -> Disagreement:
    """Withdraw the disagreement: for the raising agency only, with the reason recorded."""
    disagreement = _lock(disagreement)
    require(by, Can.WITHDRAW, disagreement)
    _require_open(disagreement, "withdrawn")
    reason = _required_text(reason, "reason", "why the disagreement is being withdrawn")
    run = _current_run(disagreement)
    return _close(
        disagreement,
        run,
        by=by,
        status=Disagreement.Status.WITHDRAWN,
        outcome=StageRun.Outcome.WITHDRAWN,
        reason=reason,
        verb=Verb.WITHDRAWN,
    )


def _close_run(run: StageRun, outcome: str, reason: str, at: datetime) -> None:
    run.ended_at = at
    run.outcome = outcome
    run.outcome_reason = reason
    run.save(update_fields=["ended_at", "outcome", "outcome_reason"])


def _close(
    disagreement: Disagreement, run: StageRun, *, by: Person, status: str, outcome: str, reason: str, verb: Verb
) -> Disagreement:
    now = timezone.now()
    _close_run(run, outcome, reason, now)
    disagreement.status = status
    disagreement.closed_at = now
    disagreement.closed_by = by
    disagreement.closing_reason = reason
    disagreement.save(update_fields=["status", "closed_at", "closed_by", "closing_reason"])
    disagreement_event(disagreement, verb, by=by, at=now, stage=run.stage)
    rules.raise_notices(disagreement=disagreement, run=run, when="close", by=by, at=now)
    return disagreement


@transaction.atomic
def feedback_give(*, disagreement: Disagreement, by: Person, text: str) -> RecordEntry:
    """Tell the person who raised the disagreement what action has been taken."""
    disagreement = _lock(disagreement)
    require(by, Can.GIVE_FEEDBACK, disagreement)
    text = _required_text(text, "text", "the feedback: what action has been taken in response")
    run = disagreement.stage_runs.order_by("-position").first()
    assert run is not None  # every disagreement starts with a stage run
    now = timezone.now()
    entry = RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=RecordEntry.Kind.FEEDBACK,
        author=by,
        created_at=now,
        occurred_at=now,
        data={"text": text, "to": str(disagreement.raised_by_id)},
    )
    disagreement_event(disagreement, Verb.FEEDBACK_GIVEN, by=by, at=now, record=str(entry.pk))
    notice = disagreement.notices.create(
        stage_run=run,
        to="raiser",
        what="Feedback on the disagreement you raised",
        source="feedback",
        created_at=now,
    )
    notice.recipients.set([disagreement.raised_by])
    return entry


# ---------------------------------------------------------------------------------------------
# The independent reviewer


def _require_reviewer_stage(disagreement: Disagreement) -> StageRun:
    run = _current_run(disagreement)
    if not rules.stage_of(run).independent_reviewer:
        raise Refused(f"{run.name} is not decided by an independent reviewer.")
    return run


def _require_independent(disagreement: Disagreement, person: Person) -> None:
    if person.agency_id is not None and person.agency_id in rules.party_agency_ids(disagreement):
        raise Refused(
            f"{person.name} belongs to {person.agency.name if person.agency else ''}, an agency in this dispute. "
            f"The reviewer must come from none of the agencies in dispute."
        )


@transaction.atomic
def reviewer_appoint(*, disagreement: Disagreement, by: Person, reviewer: Person) -> Disagreement:
    """The partnership's chair names the reviewer, who must come from none of the agencies in dispute."""
    disagreement = _lock(disagreement)
    require(by, Can.APPOINT_REVIEWER, disagreement)
    _require_open(disagreement, "given a reviewer")
    _require_member(disagreement.partnership, reviewer, "The reviewer")
    run = _require_reviewer_stage(disagreement)
    _require_independent(disagreement, reviewer)
    now = timezone.now()
    disagreement.reviewer = reviewer
    disagreement.save(update_fields=["reviewer"])
    rules.participant_ensure(
        disagreement=disagreement, person=reviewer, capacity=Participant.Capacity.REVIEWER, run=run, by=by, at=now
    )
    disagreement_event(disagreement, Verb.REVIEWER_APPOINTED, by=by, at=now, reviewer=str(reviewer.pk), stage=run.stage)
    return disagreement


@transaction.atomic
def reviewer_decision_record(*, disagreement: Disagreement, by: Person, decision: str, reasons: str) -> RecordEntry:
    """Record the independent reviewer's decision. Where the procedure makes it final, it resolves the case."""
    disagreement = _lock(disagreement)
    require(by, Can.VIEW, disagreement)
    _require_open(disagreement, "decided")
    run = _require_reviewer_stage(disagreement)
    _require_independent(disagreement, by)
    if disagreement.reviewer_id is not None and disagreement.reviewer_id != by.pk:
        raise Refused("Only the reviewer the chair named can record the decision.")
    require(by, Can.DECIDE, disagreement)
    now = timezone.now()
    entry = RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=RecordEntry.Kind.REVIEWER_DECISION,
        author=by,
        created_at=now,
        occurred_at=now,
        data={
            "decision": _required_text(decision, "decision", "the decision"),
            "reasons": _required_text(reasons, "reasons", "the reasons for the decision"),
        },
    )
    rules.participant_ensure(
        disagreement=disagreement, person=by, capacity=Participant.Capacity.REVIEWER, run=run, by=by, at=now
    )
    disagreement_event(disagreement, Verb.REVIEWER_DECIDED, by=by, at=now, record=str(entry.pk), stage=run.stage)
    if rules.stage_of(run).decision_final and not rules.missing_records(run, "resolve"):
        _close(
            disagreement,
            run,
            by=by,
            status=Disagreement.Status.RESOLVED,
            outcome=StageRun.Outcome.RESOLVED,
            reason="The independent reviewer's decision is final.",
            verb=Verb.RESOLVED,
        )
    return entry


@transaction.atomic
def deadlines_recalculate(*, partnership: Partnership, by: Person | None, reason: str) -> int:
    """Recompute the current deadlines of every open disagreement from today's calendar.

    Only this changes a stored due time. A due time that comes out different is replaced by a
    new row (the old one kept, marked replaced) and an event; returns how many changed.
    """
    reason = _required_text(reason, "reason", "why the deadlines are being recalculated")
    now = timezone.now()
    changed = 0
    runs = StageRun.objects.filter(
        disagreement__partnership=partnership, disagreement__status=Disagreement.Status.OPEN, ended_at__isnull=True
    ).select_related("disagreement__procedure_version", "disagreement__partnership")
    for run in runs:
        Disagreement.objects.select_for_update().get(pk=run.disagreement_id)
        earlier = list(run.disagreement.stage_runs.filter(position__lt=run.position))
        stored = {d.timescale: d for d in run.current_deadlines()}
        for due in rules.run_deadlines(run, earlier=earlier):
            old = stored.get(due.timescale)
            if old is not None and old.due == due.due:
                continue
            if old is not None:
                old.replaced_at = now
                old.save(update_fields=["replaced_at"])
            rules.store_deadline(
                run,
                due,
                by=by,
                at=now,
                verb=Verb.DEADLINES_RECALCULATED,
                was=old.due.isoformat() if old and old.due else None,
                reason=reason,
            )
            changed += 1
    return changed
