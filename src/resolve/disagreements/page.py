"""What one disagreement's page shows, read in one selector call (``disagreement_page``).

Built on ``disagreement_get``, so the read is logged once (VIEWED) and a disagreement the person may
not see is "not found", exactly as one that does not exist. Everything the page shows is decided
here: the stages of the pathway and where the case stands in them, the current deadlines with their
rules and clocks, who is involved in each agency now and at the next stage, the timeline of events
and records, the agreed actions, the written outcomes with their confirmations, and the action
pages the person may open (``offers``: one per action ``allowed()`` gives them now). The template
decides nothing; the web face maps each offered page to its address (``resolve_actions``).

The number of queries does not grow with the number of records, events, actions or outcomes: each
is read once, and whatever they name (people, stages, notices) is looked up in what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import F, Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action, allowed, people_who_can_act, who_can_act
from resolve.audit.models import Verb
from resolve.audit.selectors import READS, trail_for_disagreement
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Action as AgreedAction,
)
from resolve.disagreements.models import (
    Confirmation,
    Disagreement,
    Meeting,
    Notice,
    Participant,
    RecordEntry,
    StageDeadline,
    StageRun,
    WrittenOutcome,
)
from resolve.disagreements.selectors import disagreement_get
from resolve.disagreements.services.meetings import when_words
from resolve.partnerships.matrix import Titles, matrix_titles_for
from resolve.partnerships.models import Agency, Person, RoleAssignment
from resolve.partnerships.selectors import counterparts_in

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from resolve.procedures.schema import Pathway, Procedure, Stage, Timescale


class OfferedPage(StrEnum):
    """The action pages a disagreement's page can lead to (each one service call; addresses in ``web``)."""

    DISCUSSION = "discussion"
    MEETING = "meeting"
    RECORD = "record"
    CONDITION = "condition"
    CONFERENCE = "conference"
    ACTION_ADD = "action_add"
    ACTION_COMPLETE = "action_complete"
    OUTCOME = "outcome"
    OUTCOME_CONFIRM = "outcome_confirm"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    FEEDBACK = "feedback"
    REVIEWER = "reviewer"
    DECISION = "decision"
    HANDLER = "handler"
    DEADLINE = "deadline"
    RESPONSE = "response"
    MEETING_SCHEDULE = "meeting_schedule"
    MEETING_MOVE = "meeting_move"
    MEETING_CANCEL = "meeting_cancel"
    COUNTERPART_INVITE = "counterpart_invite"
    LEARNING = "learning"


#: the action pages each allowed action offers, in the order the page lists them
PAGES_FOR: dict[Action, tuple[OfferedPage, ...]] = {
    Action.RECORD: (OfferedPage.DISCUSSION, OfferedPage.MEETING, OfferedPage.RECORD, OfferedPage.ACTION_ADD),
    Action.PROPOSE_OUTCOME: (OfferedPage.OUTCOME,),
    Action.CONFIRM_OUTCOME: (OfferedPage.OUTCOME_CONFIRM,),
    Action.ESCALATE: (OfferedPage.ESCALATE,),
    Action.RESOLVE: (OfferedPage.RESOLVE,),
    Action.SET_DEADLINE: (OfferedPage.DEADLINE,),
    Action.ADD_HANDLER: (OfferedPage.HANDLER,),
    Action.APPOINT_REVIEWER: (OfferedPage.REVIEWER,),
    Action.DECIDE: (OfferedPage.DECISION,),
    Action.GIVE_FEEDBACK: (OfferedPage.FEEDBACK,),
    Action.WITHDRAW: (OfferedPage.WITHDRAW,),
    Action.RESPOND: (OfferedPage.RESPONSE,),
    Action.SCHEDULE_MEETING: (OfferedPage.MEETING_SCHEDULE,),
    Action.INVITE_COUNTERPART: (OfferedPage.COUNTERPART_INVITE,),
    Action.RECORD_LEARNING: (OfferedPage.LEARNING,),
}


@dataclass(frozen=True)
class Offer:
    """One action page the person may open: ``target`` is the outcome or agreed action it is about."""

    action: Action
    page: OfferedPage
    target: UUID | None = None
    #: what the link is about, for a screen reader where several links read the same ("Mark as done")
    about: str = ""


class StageStatus(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TO_COME = "to_come"
    SKIPPED = "skipped"
    NOT_REACHED = "not_reached"


STAGE_STATUS_WORDS: dict[StageStatus, StrPromise] = {
    StageStatus.DONE: _("Done"),
    StageStatus.CURRENT: _("Current stage"),
    StageStatus.TO_COME: _("To come"),
    StageStatus.SKIPPED: _("Not used: started at a later stage"),
    StageStatus.NOT_REACHED: _("Not reached"),
}


@dataclass(frozen=True)
class StageShown:
    """One stage of the pathway, and how far the disagreement has gone through it."""

    name: str
    summary: str
    status: StageStatus
    words: StrPromise
    run: StageRun | None = None
    outcome: str = ""


class Clock(StrEnum):
    STAGE = "stage"  # from the start of this stage (or from another deadline of it)
    OVERALL = "overall"  # from the disagreement's start, or an earlier stage's


@dataclass(frozen=True)
class DeadlineShown:
    deadline: StageDeadline
    clock: Clock
    #: what the deadline is measured from, in words
    measured_from: str


@dataclass(frozen=True)
class Involvement:
    """An agency's people at the level a stage is handled at, with the seniority matrix's title for them."""

    agency: Agency
    raising: bool
    level: int | None
    role_title: str | None
    people: list[Person]


@dataclass(frozen=True)
class RoleHolders:
    """A partnership role that handles a stage, and who holds it in this partnership."""

    name: str
    people: list[Person]
    on_request: bool = False


@dataclass(frozen=True)
class StageInvolvement:
    stage: str
    agencies: list[Involvement]
    roles: list[RoleHolders]


@dataclass(frozen=True)
class TimelineItem:
    """One thing that happened, from the audit trail, with the record it wrote where it wrote one."""

    at: datetime
    title: str
    by: Person | None
    stage: str = ""
    #: what happened in detail, each as (label, text)
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AgreedActionShown:
    action: AgreedAction
    done: bool
    stage: str
    #: the "Mark as done" page, when the person may record and the action is still open
    complete: Offer | None = None


@dataclass(frozen=True)
class OutcomeShown:
    outcome: WrittenOutcome
    stage: str
    #: the stage's latest proposal while the stage is in progress: the one the agencies confirm
    current: bool
    confirmations: list[Confirmation]
    waiting_for: list[Agency]


@dataclass(frozen=True)
class MeetingShown:
    """A meeting scheduled for the disagreement: what, when and where, who is invited, and its "Move" page."""

    meeting: Meeting
    when: str
    stage: str
    invitees: list[Person]
    #: it has ended (whether or not it was held: its record says that)
    past: bool
    cancelled: bool = False
    #: the "Move the meeting" and "Cancel the meeting" pages, where the person may schedule and it is still on
    move: Offer | None = None
    cancel: Offer | None = None


@dataclass(frozen=True)
class EarlierStage:
    run: StageRun
    outcome: str


@dataclass(frozen=True)
class RecordShown:
    record: RecordEntry
    #: its text fields, each as (label, text), in the order they were recorded
    fields: list[tuple[str, str]]


def _text(value: object) -> str:
    """A recorded value as words: people recorded (attendees, a chair) by name and job title."""
    if isinstance(value, dict):
        return ", ".join(str(v) for v in (value.get("name"), value.get("job_title")) if v)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _fields(record: RecordEntry) -> list[tuple[str, str]]:
    shown = []
    for name, value in record.data.items():
        text = _text(value)
        if text and not name.endswith("_id") and name != "requested_role":
            shown.append((name.replace("_", " ").capitalize(), text))
    return shown


@dataclass(frozen=True)
class DisagreementPage:
    disagreement: Disagreement
    category: str
    pathway: str
    procedure: str
    #: the procedure's own flags that apply, by their names
    flags: list[str]
    other_agencies: list[Agency]
    current: StageRun | None
    #: the current stage's deadlines, soonest first, each with the clock it runs on; then those in words only
    deadlines: list[DeadlineShown]
    #: both clocks run at this stage: one from its own start, one from the disagreement's (or an earlier stage's)
    two_clocks: bool
    instructions: list[StageDeadline]
    who_can_act: str
    earlier: list[EarlierStage]
    records: list[RecordShown]
    #: the action pages the person may open now, in the policy's order (agreed actions' "Mark as done" aside)
    offers: list[Offer]
    #: every stage of the pathway, in order, marked done, current or to come
    stages: list[StageShown] = field(default_factory=list)
    #: who handles the current stage in each agency in dispute, and in the roles it names
    involved: StageInvolvement | None = None
    #: the people with the current stage's authority who see the case: who acts now
    can_act: list[Person] = field(default_factory=list)
    #: who it would go to if escalated: the next stage's handlers
    next_stage: StageInvolvement | None = None
    timeline: list[TimelineItem] = field(default_factory=list)
    agreed_actions: list[AgreedActionShown] = field(default_factory=list)
    outcomes: list[OutcomeShown] = field(default_factory=list)
    #: its meetings, soonest first
    meetings: list[MeetingShown] = field(default_factory=list)


def disagreement_page(*, person: Person, pk: UUID | str) -> DisagreementPage:
    """Everything one disagreement's page shows to ``person``; ``NotFound`` if they may not see it."""
    disagreement = disagreement_get(person=person, pk=pk)
    procedure = rules.procedure_of(disagreement)
    pathway = rules.pathway_of(disagreement)
    categories = {c.slug: c.name for c in procedure.categories}
    runs = list(disagreement.stage_runs.order_by("position"))
    current = next((r for r in runs if r.ended_at is None), None)
    deadlines: list[DeadlineShown] = []
    instructions: list[StageDeadline] = []
    if current is not None:
        stage = pathway.stage(current.stage)
        # dated first, soonest first; then the procedure's words with no date ("without delay", Cumbria L27)
        for deadline in current.governing_deadlines().order_by(F("due").asc(nulls_last=True), "id"):
            if deadline.kind == StageDeadline.Kind.INSTRUCTION:
                instructions.append(deadline)
            else:
                deadlines.append(_deadline_shown(deadline, procedure, pathway, stage))
    records = list(
        RecordEntry.objects.filter(disagreement=disagreement)
        .select_related("author__agency", "stage_run")
        .order_by("occurred_at", "created_at")
    )
    parties = list(Agency.objects.filter(pk__in=rules.party_agency_ids(disagreement)).order_by("name"))
    outcomes = list(
        WrittenOutcome.objects.filter(disagreement=disagreement)
        .select_related("proposed_by__agency", "stage_run")
        .prefetch_related("confirmations__agency", "confirmations__person__agency")
        .order_by("-proposed_at")
    )
    agreed = list(
        AgreedAction.objects.filter(disagreement=disagreement)
        .select_related("owner__agency", "created_by", "completed_by", "stage_run")
        .order_by("created_at")
    )
    meetings = list(
        Meeting.objects.filter(disagreement=disagreement)
        .select_related("stage_run", "scheduled_by", "cancelled_by")
        .prefetch_related(Prefetch("invitees", queryset=Person.objects.select_related("agency").order_by("name", "pk")))
        .order_by("starts_at", "id")
    )
    may = {action: allowed(person, action, disagreement) for action in PAGES_FOR}
    current_outcome = next(
        (o for o in outcomes if current is not None and o.stage_run_id == current.pk), None
    )  # newest first: the stage's latest proposal
    involved = next_stage = None
    if current is not None:
        # the disagreement's own version's matrix, as its partnership has corrected it: read once
        matrix = matrix_titles_for(partnership=disagreement.partnership_id, procedure=procedure)
        involved = _involvement(disagreement, parties, position=current.position, run=current, matrix=matrix)
        if current.position + 1 < len(pathway.stages):
            next_stage = _involvement(disagreement, parties, position=current.position + 1, run=None, matrix=matrix)
    return DisagreementPage(
        disagreement=disagreement,
        category=categories.get(disagreement.category, disagreement.category),
        pathway=pathway.name,
        procedure=f"{procedure.name}, version {disagreement.procedure_version.version}",
        flags=[f.name for f in procedure.flags if f.slug in disagreement.flags],
        other_agencies=[a for a in parties if a.pk != disagreement.raising_agency_id],
        current=current,
        deadlines=deadlines,
        two_clocks=len({d.clock for d in deadlines if d.deadline.due is not None}) > 1,
        instructions=instructions,
        who_can_act=who_can_act(disagreement) if current is not None else "",
        earlier=[EarlierStage(r, r.get_outcome_display() or r.outcome) for r in runs if r.ended_at is not None],
        records=[RecordShown(r, _fields(r)) for r in records],
        offers=_offers(may, procedure, pathway, current_outcome),
        stages=_stages(disagreement, pathway, runs),
        involved=involved,
        can_act=people_who_can_act(disagreement) if current is not None else [],
        next_stage=next_stage,
        timeline=_Timeline(
            disagreement=disagreement,
            pathway=pathway,
            runs=runs,
            records=records,
            outcomes=outcomes,
            agreed=agreed,
            meetings=meetings,
        ).items(),
        agreed_actions=[
            AgreedActionShown(
                action=a,
                done=a.completed_at is not None,
                stage=a.stage_run.name,
                complete=Offer(Action.RECORD, OfferedPage.ACTION_COMPLETE, a.pk, a.description)
                if may[Action.RECORD] and a.completed_at is None
                else None,
            )
            for a in agreed
        ],
        outcomes=[_outcome_shown(o, o is current_outcome, parties) for o in outcomes],
        meetings=[_meeting_shown(m, may[Action.SCHEDULE_MEETING]) for m in meetings],
    )


def _meeting_shown(meeting: Meeting, may_change: bool) -> MeetingShown:
    cancelled = meeting.cancelled_at is not None
    on = may_change and not cancelled
    return MeetingShown(
        meeting=meeting,
        when=when_words(meeting.starts_at, meeting.ends_at),
        stage=meeting.stage_run.name,
        invitees=list(meeting.invitees.all()),
        past=meeting.ends_at <= timezone.now(),
        cancelled=cancelled,
        move=Offer(Action.SCHEDULE_MEETING, OfferedPage.MEETING_MOVE, meeting.pk, meeting.title) if on else None,
        cancel=Offer(Action.SCHEDULE_MEETING, OfferedPage.MEETING_CANCEL, meeting.pk, meeting.title) if on else None,
    )


def _offers(
    may: dict[Action, bool],
    procedure: Procedure,
    pathway: Pathway,
    current_outcome: WrittenOutcome | None,
) -> list[Offer]:
    offers: list[Offer] = []
    for action, pages in PAGES_FOR.items():
        if not may[action]:
            continue
        for page in pages:
            if page == OfferedPage.OUTCOME_CONFIRM:
                if current_outcome is not None:  # allowed() said one waits for the person's agency
                    offers.append(Offer(action, page, current_outcome.pk))
                continue
            offers.append(Offer(action, page))
        if action == Action.RECORD:
            # what only some procedures have: conditions a handler records (Cumbria), NEL's conference pathway
            if procedure.conditions:
                offers.append(Offer(action, OfferedPage.CONDITION))
            if pathway.conference is not None:
                offers.append(Offer(action, OfferedPage.CONFERENCE))
    return offers


def _stages(disagreement: Disagreement, pathway: Pathway, runs: list[StageRun]) -> list[StageShown]:
    by_stage = {r.stage: r for r in runs}
    furthest = max(r.position for r in runs) if runs else -1
    shown = []
    for position, stage in enumerate(pathway.stages):
        run = by_stage.get(stage.slug)
        if run is not None:
            status = StageStatus.CURRENT if run.ended_at is None else StageStatus.DONE
            outcome = run.get_outcome_display() if run.ended_at is not None else ""
        elif position < furthest:
            status, outcome = StageStatus.SKIPPED, ""
        else:
            status = StageStatus.TO_COME if disagreement.is_open else StageStatus.NOT_REACHED
            outcome = ""
        shown.append(StageShown(stage.name, stage.summary, status, STAGE_STATUS_WORDS[status], run, outcome))
    return shown


def _timescale(procedure: Procedure, stage: Stage, slug: str) -> Timescale | None:
    for timescale in stage.timescales:
        if timescale.slug == slug:
            return timescale
    if procedure.significant_harm is not None and procedure.significant_harm.slug == slug:
        return procedure.significant_harm
    return None


def _deadline_shown(deadline: StageDeadline, procedure: Procedure, pathway: Pathway, stage: Stage) -> DeadlineShown:
    """Which clock a deadline runs on: this stage's own, or the disagreement's (Enfield's 5 working days, L68)."""
    timescale = _timescale(procedure, stage, deadline.timescale)
    anchor = timescale.from_ if timescale is not None else "stage_start"
    seen: set[str] = set()
    while anchor.startswith("due:") and timescale is not None and anchor not in seen:
        seen.add(anchor)  # a deadline after another runs on that one's clock
        timescale = _timescale(procedure, stage, anchor.partition(":")[2])
        anchor = timescale.from_ if timescale is not None else "stage_start"
    ref = anchor.partition(":")[2]
    if anchor == "stage_start" or ref == stage.slug:
        return DeadlineShown(deadline, Clock.STAGE, gettext("the start of this stage"))
    if anchor == "disagreement_start":
        return DeadlineShown(deadline, Clock.OVERALL, gettext("when the disagreement was raised"))
    name = next((s.name for s in pathway.stages if s.slug == ref), ref)
    return DeadlineShown(deadline, Clock.OVERALL, gettext("the start of %(stage)s") % {"stage": name})


def _involvement(
    disagreement: Disagreement, parties: list[Agency], *, position: int, run: StageRun | None, matrix: Titles
) -> StageInvolvement:
    """Who handles the stage at ``position`` in each agency in dispute (the seniority matrix), and in its roles.

    Each agency at its own level (``rules.level_at``: its matrix column's, carried on from the stage
    before on a stage that names only roles); the people at that level, or the nearest level above
    that has someone (``counterparts_in``), with what ``matrix`` (the partnership's, read once per
    page) calls that level in the agency's column. ``run``: the stage in progress, where an
    on-request role counts once it has been requested.
    """
    procedure = rules.procedure_of(disagreement)
    stage = rules.pathway_of(disagreement).stages[position]
    agencies = []
    for agency in parties:
        level = rules.level_at(disagreement, position, agency)
        if level is None:
            agencies.append(Involvement(agency, agency.pk == disagreement.raising_agency_id, None, None, []))
            continue
        found = counterparts_in(agency=agency, level=level, matrix=matrix)
        agencies.append(
            Involvement(
                agency, agency.pk == disagreement.raising_agency_id, found.level, found.role_title, found.people
            )
        )
    requested = rules.requested_roles(run) if run is not None else set()
    slugs = [*stage.handlers.roles, *stage.handlers.on_request]
    holders: dict[str, list[Person]] = {slug: [] for slug in slugs}
    for assignment in (
        RoleAssignment.objects.filter(
            partnership=disagreement.partnership_id,
            person__partnership=disagreement.partnership_id,
            person__is_active=True,
            role__in=slugs,
        )
        .select_related("person")
        .order_by("person__name")
    ):
        holders[assignment.role].append(assignment.person)
    roles = [
        RoleHolders(
            procedure.role(slug).name,
            holders[slug],
            on_request=slug in stage.handlers.on_request and slug not in requested,
        )
        for slug in slugs
    ]
    return StageInvolvement(stage.name, agencies, roles)


def _outcome_shown(outcome: WrittenOutcome, current: bool, parties: list[Agency]) -> OutcomeShown:
    confirmations = sorted(outcome.confirmations.all(), key=lambda c: c.confirmed_at)
    confirmed = {c.agency_id for c in confirmations}
    return OutcomeShown(
        outcome=outcome,
        stage=outcome.stage_run.name,
        current=current,
        confirmations=confirmations,
        waiting_for=[a for a in parties if a.pk not in confirmed],
    )


def _when(moment: object) -> str:
    """An instant (or one stored as ISO text in an entry's data) in London time, as the page writes it."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return ""
    if not isinstance(moment, datetime):
        return ""
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def _who(person: Person | None) -> str:
    if person is None:
        return ""
    return f"{person.name}, {person.job_title}"


class _Timeline:
    """The disagreement's timeline, from its audit trail and records, read in a fixed number of queries.

    The trail holds identifiers only (never free text about the child); what they name (records,
    outcomes, actions, people, notices, deadlines) is looked up in what the page has read already or
    in one query each, so the number of queries does not grow with the number of entries.
    """

    def __init__(
        self,
        *,
        disagreement: Disagreement,
        pathway: Pathway,
        runs: list[StageRun],
        records: list[RecordEntry],
        outcomes: list[WrittenOutcome],
        agreed: list[AgreedAction],
        meetings: list[Meeting],
    ) -> None:
        self.disagreement = disagreement
        # reads are not things that happened to it: not on its timeline
        self.events = list(trail_for_disagreement(disagreement).exclude(verb__in=READS).select_related("actor__agency"))
        self.records = records
        self.stage_names = {s.slug: s.name for s in pathway.stages}
        self.runs = {r.stage: r for r in runs}
        self.by_record = {str(r.pk): r for r in records}
        self.by_outcome = {str(o.pk): o for o in outcomes}
        self.by_action = {str(a.pk): a for a in agreed}
        self.by_meeting = {str(m.pk): m for m in meetings}
        named = {
            str(e.data.get(key)) for e in self.events for key in ("person", "reviewer", "successor") if e.data.get(key)
        }
        self.people = {str(p.pk): p for p in Person.objects.filter(pk__in=[_uuid(v) for v in named if _uuid(v)])}
        self.agencies = {str(a.pk): a for a in Agency.objects.filter(partnership=disagreement.partnership_id)}
        self.notices = {n.pk: n for n in Notice.objects.filter(disagreement=disagreement)}
        self.deadlines = {
            (d.stage_run.stage, d.timescale): d
            for d in StageDeadline.objects.filter(stage_run__disagreement=disagreement).select_related("stage_run")
        }

    def items(self) -> list[TimelineItem]:
        """Every event but the reads, newest first, each with the record it wrote."""
        items = []
        shown: set[str] = set()
        for event in self.events:
            data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
            title, details = event.description, []
            record = self.by_record.get(str(data.get("record", "")))
            if record is not None:
                shown.add(str(record.pk))
                title = f"{event.description}: {record.get_kind_display()}"
                details = [(gettext("When it took place"), _when(record.occurred_at)), *_fields(record)]
            details += self.details(event.verb, data)
            stage = self.stage_names.get(str(data.get("stage", "")), "")
            items.append(TimelineItem(event.at, title, event.actor, stage, [(k, v) for k, v in details if v]))
        for record in self.records:  # a record with no entry of its own in the trail (loaded data) still shows
            if str(record.pk) not in shown:
                details = [(gettext("When it took place"), _when(record.occurred_at)), *_fields(record)]
                items.append(
                    TimelineItem(
                        record.created_at, record.get_kind_display(), record.author, record.stage_run.name, details
                    )
                )
        items.reverse()  # entries written together (raised, stage started, deadlines set) share a time: last first
        return sorted(items, key=lambda i: i.at, reverse=True)

    def details(self, verb: str, data: dict[str, Any]) -> list[tuple[str, str]]:
        """What an event's identifiers name, in words: the reason, the deadline, the person, the outcome..."""
        if verb == Verb.STAGE_STARTED:
            return [(gettext("How"), str(dict(StageRun.Entry.choices).get(str(data.get("entry")), "")))]
        if verb == Verb.ESCALATED:
            run = self.runs.get(str(data.get("from_stage", "")))
            return [
                (gettext("To"), self.stage_names.get(str(data.get("to_stage", "")), "")),
                (gettext("Reason"), run.outcome_reason if run is not None else ""),
            ]
        if verb in (Verb.RESOLVED, Verb.WITHDRAWN):
            return [(gettext("Reason"), self.disagreement.closing_reason)]
        if verb == Verb.DEADLINE_SET:
            deadline = self.deadlines.get((str(data.get("stage", "")), str(data.get("timescale", ""))))
            return [
                (gettext("What is due"), deadline.what if deadline is not None else ""),
                (gettext("When"), _when(data.get("due")) or gettext("No date: the procedure gives it in words")),
            ]
        if verb == Verb.PARTICIPANT_ADDED:
            return [
                (gettext("Who"), _who(self.people.get(str(data.get("person", ""))))),
                (gettext("As"), str(dict(Participant.Capacity.choices).get(str(data.get("capacity")), ""))),
            ]
        if verb == Verb.HANDED_OVER:
            return [
                (gettext("Who left"), _who(self.people.get(str(data.get("person", ""))))),
                (gettext("Taken over by"), _who(self.people.get(str(data.get("successor", ""))))),
            ]
        if verb == Verb.REVIEWER_APPOINTED:
            return [(gettext("Reviewer"), _who(self.people.get(str(data.get("reviewer", "")))))]
        if verb in (Verb.OUTCOME_PROPOSED, Verb.OUTCOME_CONFIRMED):
            outcome = self.by_outcome.get(str(data.get("outcome", "")))
            agency = self.agencies.get(str(data.get("agency", "")))
            return [
                (gettext("For"), agency.name if agency is not None else ""),
                (gettext("Outcome"), outcome.text if outcome is not None else ""),
            ]
        if verb in (Verb.ACTION_ADDED, Verb.ACTION_COMPLETED):
            action = self.by_action.get(str(data.get("action", "")))
            if action is None:
                return []
            note = action.completion_note if verb == Verb.ACTION_COMPLETED else ""
            return [(gettext("Action"), action.description), (gettext("Note"), note)]
        if verb in (Verb.MEETING_SCHEDULED, Verb.MEETING_MOVED, Verb.MEETING_CANCELLED):
            meeting = self.by_meeting.get(str(data.get("meeting", "")))
            starts, ends = _moment(data.get("starts_at")), _moment(data.get("ends_at"))
            return [
                (gettext("Meeting"), meeting.title if meeting is not None else ""),
                (gettext("When"), when_words(starts, ends) if starts and ends else ""),
            ]
        if verb == Verb.NOTICE_DUE:
            notice = self.notices.get(data["notice"]) if isinstance(data.get("notice"), int) else None
            return [(gettext("What"), notice.what if notice is not None else "")]
        return []


def _moment(value: object) -> datetime | None:
    """An instant stored as ISO text in an entry's data."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
