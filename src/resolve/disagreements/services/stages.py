"""The writes every transition shares: a stage's start, its deadlines, its notices, its people.

These are services by name and place (``rules`` only reads): each is called by another service
inside that service's transaction and lock, never by a face, so they check nothing of who is
asking themselves; the calling service has already done so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Disagreement,
    Notice,
    Participant,
    StageDeadline,
    StageRun,
)
from resolve.disagreements.signals import notice_written
from resolve.partnerships.models import Person
from resolve.procedures.engine import Due
from resolve.procedures.schema import Notification


def stage_open(
    *,
    disagreement: Disagreement,
    position: int,
    entry: str,
    by: Person,
    at: datetime,
    started_at: datetime | None = None,
) -> StageRun:
    """Start the pathway's stage at ``position``: its run, its deadlines and its notices.

    ``at`` is when this is entered; ``started_at``, when the stage really began if that was earlier
    (NEL's adjourned conference, L159): its deadlines count from then, and the event says so.
    """
    pathway = rules.pathway_of(disagreement)
    stage = pathway.stages[position]
    earlier = list(disagreement.stage_runs.all())
    run = StageRun.objects.create(
        disagreement=disagreement,
        stage=stage.slug,
        name=stage.name,
        position=position,
        entry=entry,
        started_at=started_at or at,
        started_by=by,
    )
    earlier_start = {"started_at": started_at.isoformat()} if started_at is not None and started_at != at else {}
    disagreement_event(
        disagreement,
        Verb.STAGE_STARTED,
        by=by,
        at=at,
        stage=stage.slug,
        position=position,
        entry=entry,
        **earlier_start,
    )
    # The people holding a partnership role that handles this stage (a chair, a reviewer...) take part from now;
    # in a cross-borough case, the other partnership's holders of the matching roles too (READING 2.4).
    for holder in rules.role_holders(disagreement, stage.handlers.roles):
        participant_ensure(
            disagreement=disagreement,
            person=holder,
            capacity=Participant.Capacity.HANDLER,
            run=run,
            by=by,
            at=at,
        )
    for due in rules.run_deadlines(run, earlier=earlier):
        deadline_store(run=run, due=due, by=by, at=at, verb=Verb.DEADLINE_SET)
    notices_raise(disagreement=disagreement, run=run, when="entry", by=by, at=at)
    return run


def deadline_store(
    *, run: StageRun, due: Due, by: Person | None, at: datetime, verb: Verb, **data: object
) -> StageDeadline:
    """Store one due time with the rule that produced it, and say so in the timeline."""
    deadline = StageDeadline.objects.create(
        stage_run=run,
        kind=StageDeadline.Kind.INSTRUCTION if due.instruction else StageDeadline.Kind.PROCEDURE,
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
    return deadline


#: Which of a definition's ``when`` values each moment fires (``Notification``'s docstring says what each means).
MOMENTS: dict[str, frozenset[str]] = {
    "entry": frozenset({"entry", "involved"}),
    "escalate": frozenset({"close", "escalate"}),
    "final": frozenset({"close", "final"}),
    "involved": frozenset({"involved"}),
    "condition": frozenset({"condition"}),
}


def notices_raise(
    *,
    disagreement: Disagreement,
    run: StageRun,
    when: str,
    by: Person | None,
    at: datetime,
    condition: str | None = None,
) -> None:
    """Create the notices the stage and the procedure require at this moment.

    ``when`` is the moment: ``entry`` (the stage starts), ``escalate`` (it closes by escalation),
    ``final`` (the disagreement closes at it), ``involved`` (someone joined) or ``condition`` (a
    handler recorded ``condition``). A notice already created for this stage, or for the whole
    disagreement when it is sent once, is not created again.
    """
    procedure = rules.procedure_of(disagreement)
    stage = rules.stage_of(run)
    reached = set(disagreement.stage_runs.values_list("stage", flat=True))
    level = rules.involved_level(disagreement, stage)
    fired = MOMENTS[when]
    candidates: Iterable[Notification] = (*stage.notifications, *procedure.notifications)
    for n in candidates:
        if n.when not in fired:
            continue
        if n.when == "condition" and n.condition != condition:
            continue
        if n.min_level is not None and level < n.min_level:
            continue
        if n.flag is not None and n.flag not in disagreement.flags:
            continue
        if n.reached_stage is not None and n.reached_stage not in reached:
            continue
        once = n.once or n.when in ("involved", "condition")
        to = "raiser" if n.offer else n.to
        earlier = disagreement.notices.filter(to=to, what=n.what, source=n.source)
        if earlier.filter(**({} if once else {"stage_run": run})).exists():
            continue
        notice_send(
            disagreement=disagreement,
            run=run,
            to=to,
            what=n.what,
            recipients=rules.recipients_of(disagreement, n, run),
            source=n.source,
            by=by,
            at=at,
            timing=n.timing or "",
            form=n.form or "",
            urgent=rules.is_urgent(disagreement),
        )


def notice_send(
    *,
    disagreement: Disagreement,
    run: StageRun | None,
    to: str,
    what: str,
    recipients: Iterable[Person],
    source: str,
    by: Person | None,
    at: datetime,
    kind: str = Notice.Kind.PROCEDURE,
    timing: str = "",
    form: str = "",
    key: str | None = None,
    deadline: StageDeadline | None = None,
    send_after: datetime | None = None,
    urgent: bool = False,
) -> Notice | None:
    """Write one notice and its recipients, say so in the timeline, and hand it to the sender.

    With a ``key`` the notice is written once only: a second call with the same key (a re-run sweep)
    writes nothing and returns None. Inactive people are never told.
    """
    if key is not None and Notice.objects.filter(key=key).exists():
        return None
    notice = Notice.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=kind,
        key=key,
        deadline=deadline,
        to=to,
        what=what,
        timing=timing,
        form=form,
        source=source,
        urgent=urgent,
        created_at=at,
        send_after=send_after,
    )
    notice.recipients.set([p for p in recipients if p.is_active])
    disagreement_event(
        disagreement,
        Verb.NOTICE_DUE,
        by=by,
        at=at,
        notice=notice.pk,
        to=to,
        kind=kind,
        **({"stage": run.stage} if run is not None else {}),
    )
    notice_written.send(sender=Notice, notice=notice)
    return notice


def participant_ensure(
    *,
    disagreement: Disagreement,
    person: Person,
    capacity: str,
    run: StageRun | None,
    by: Person | None,
    at: datetime,
) -> None:
    """``person`` takes part in ``capacity`` from now (once: a second call changes nothing).

    Whoever joins a stage in progress may be someone a notice waits for (``when: involved``: Enfield
    L84-86's business unit, once anyone at Level 4 or above is involved), so that is checked here, for
    every way of joining: a handler or attendee added, a meeting's chair and attendees, a reviewer.
    """
    _, created = Participant.objects.get_or_create(
        disagreement=disagreement,
        person=person,
        capacity=capacity,
        defaults={"stage_run": run, "added_at": at},
    )
    if created:
        disagreement_event(disagreement, Verb.PARTICIPANT_ADDED, by=by, at=at, person=str(person.pk), capacity=capacity)
        if run is not None and run.ended_at is None:
            notices_raise(disagreement=disagreement, run=run, when="involved", by=by, at=at)
