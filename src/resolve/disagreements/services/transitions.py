"""Escalating, resolving, withdrawing, feedback, and the explicit recalculation of deadlines."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused
from resolve.disagreements import recalculation, rules
from resolve.disagreements.models import (
    Disagreement,
    Notice,
    RecordEntry,
    StageRun,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    current_run,
    describe_missing,
    entry_write,
    lock,
    require_open,
    required_text,
)
from resolve.disagreements.services.raising import start_checked
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.partnerships.selectors import calendar_for
from resolve.partnerships.services import Asking, administrator_check

# Transitions


@service
def disagreement_escalate(
    *,
    disagreement: Disagreement,
    by: Person,
    reason: str,
    from_stage: str | None = None,
    started_at: datetime | None = None,
) -> StageRun:
    """Close the current stage as escalated and start the next one, with the reason recorded.

    ``from_stage`` is the stage the person saw when they chose to escalate: if someone else
    escalated it meanwhile, this one is refused rather than skipping a stage. ``started_at``: when
    the next stage really began, if earlier than now (NEL's reconvened conference, L165), not before
    the current stage began; its deadlines count from then and the trail says who entered it when.
    """
    disagreement = lock(disagreement)
    require(by, Can.ESCALATE, disagreement)
    require_open(disagreement, _("escalated"))
    reason = required_text(reason, "reason", _("why the disagreement is being escalated"))
    run = current_run(disagreement)
    now = timezone.now()
    start = start_checked(started_at, now=now, not_before=run.started_at, after=run.name)
    if from_stage is not None and from_stage != run.stage:
        raise Refused(_("Someone has already escalated this disagreement: it is now at %(name)s.") % {"name": run.name})
    pathway = rules.pathway_of(disagreement)
    last = rules.last_stage_message(run)
    if last:
        raise Refused(last)
    problem = describe_missing(run, "escalate")
    if problem:
        raise Refused(problem)
    close_run(run, StageRun.Outcome.ESCALATED, reason, start)
    disagreement_event(
        disagreement,
        Verb.ESCALATED,
        by=by,
        at=now,
        from_stage=run.stage,
        to_stage=pathway.stages[run.position + 1].slug,
    )
    stages.notices_raise(disagreement=disagreement, run=run, when="escalate", by=by, at=now)
    return stages.stage_open(
        disagreement=disagreement,
        position=run.position + 1,
        entry=StageRun.Entry.ESCALATED,
        by=by,
        at=now,
        started_at=start,
    )


@service
def disagreement_resolve(*, disagreement: Disagreement, by: Person) -> Disagreement:
    """Close the disagreement as resolved on the current stage's written outcome, confirmed by every party."""
    disagreement = lock(disagreement)
    require(by, Can.RESOLVE, disagreement)
    require_open(disagreement, _("resolved"))
    run = current_run(disagreement)
    stage = rules.stage_of(run)
    if stage.independent_reviewer:
        if rules.standing_decision(run) is None:
            raise Refused(
                _(
                    "%(name)s is decided by the independent reviewer: record their decision first (a "
                    "decision someone else rewrote does not count)."
                )
                % {"name": stage.name}
            )
    else:
        outcome = rules.latest_outcome(run)
        if outcome is None:
            raise Refused(
                _(
                    "%(name)s has no written outcome yet: propose one, and every agency in dispute must "
                    "confirm it before the disagreement can be resolved."
                )
                % {"name": run.name}
            )
        parties = rules.party_agency_ids(disagreement)
        if not rules.outcome_confirmed(outcome, parties):
            confirmed = set(outcome.confirmations.values_list("agency_id", flat=True))
            waiting = ", ".join(a.name for a in Agency.objects.filter(pk__in=parties - confirmed).order_by("name"))
            raise Refused(
                _(
                    "The written outcome has not been confirmed by every agency in dispute; still to "
                    "confirm: %(waiting)s."
                )
                % {"waiting": waiting}
            )
    problem = describe_missing(run, "resolve")
    if problem:
        raise Refused(problem)
    return close(
        disagreement,
        run,
        by=by,
        status=Disagreement.Status.RESOLVED,
        outcome=StageRun.Outcome.RESOLVED,
        reason="",
        verb=Verb.RESOLVED,
    )


@service
def disagreement_withdraw(*, disagreement: Disagreement, by: Person, reason: str) -> Disagreement:
    """Withdraw the disagreement: for the raising agency only, with the reason recorded."""
    disagreement = lock(disagreement)
    require(by, Can.WITHDRAW, disagreement)
    require_open(disagreement, _("withdrawn"))
    reason = required_text(reason, "reason", _("why the disagreement is being withdrawn"))
    run = current_run(disagreement)
    return close(
        disagreement,
        run,
        by=by,
        status=Disagreement.Status.WITHDRAWN,
        outcome=StageRun.Outcome.WITHDRAWN,
        reason=reason,
        verb=Verb.WITHDRAWN,
    )


def close_run(run: StageRun, outcome: str, reason: str, at: datetime) -> None:
    run.ended_at = at
    run.outcome = outcome
    run.outcome_reason = reason
    run.save(update_fields=["ended_at", "outcome", "outcome_reason"])


def working_days_taken(disagreement: Disagreement, closed_at: datetime) -> int:
    """Working days from raising to closing on the partnership's calendar (0 when closed the day it was raised)."""
    calendar = calendar_for(disagreement.partnership)
    return calendar.working_days_between(calendar.local_date(disagreement.raised_at), calendar.local_date(closed_at))


def close(
    disagreement: Disagreement, run: StageRun, *, by: Person, status: str, outcome: str, reason: str, verb: Verb
) -> Disagreement:
    now = timezone.now()
    close_run(run, outcome, reason, now)
    disagreement.status = status
    disagreement.closed_at = now
    disagreement.closed_by = by
    disagreement.closing_reason = reason
    disagreement.working_days_taken = working_days_taken(disagreement, now)
    disagreement.save(update_fields=["status", "closed_at", "closed_by", "closing_reason", "working_days_taken"])
    disagreement_event(disagreement, verb, by=by, at=now, stage=run.stage)
    stages.notices_raise(disagreement=disagreement, run=run, when="final", by=by, at=now)
    return disagreement


@service
def feedback_give(*, disagreement: Disagreement, by: Person, text: str) -> RecordEntry:
    """Tell the person who raised the disagreement what action has been taken."""
    disagreement = lock(disagreement)
    require(by, Can.GIVE_FEEDBACK, disagreement)
    text = required_text(text, "text", _("the feedback: what action has been taken in response"))
    run = disagreement.stage_runs.order_by("-position").first()
    assert run is not None  # every disagreement starts with a stage run
    raiser = rules.raiser_of(disagreement)  # the raiser, or whoever took their part over when they left
    now = timezone.now()
    entry = entry_write(
        disagreement=disagreement,
        run=run,
        kind=RecordEntry.Kind.FEEDBACK,
        by=by,
        now=now,
        data={"text": text, "to": str(raiser.pk)},
    )
    disagreement_event(disagreement, Verb.FEEDBACK_GIVEN, by=by, at=now, record=str(entry.pk))
    if raiser.pk != by.pk:  # the policy lets only others give it; never told of one's own
        stages.notice_send(
            disagreement=disagreement,
            run=run,
            to="raiser",
            what="Feedback on the disagreement you raised",
            recipients=[raiser],
            source="feedback",
            kind=Notice.Kind.FEEDBACK_GIVEN,
            by=by,
            at=now,
        )
    return entry


@transaction.atomic
def deadlines_recalculate(*, partnership: Partnership, by: Asking, reason: str) -> int:
    """Recompute the current deadlines of every open disagreement from today's calendar.

    Only this changes a stored due time. A due time that comes out different is replaced by a
    new row (the old one kept, marked replaced) and an event; returns how many changed. What it
    would change is what ``recalculation.deadlines_moved`` shows beforehand. Only an administrator
    of the partnership or an operator may ask (``administrator_check``).
    """
    asker = administrator_check(partnership=partnership, by=by)
    reason = required_text(reason, "reason", _("why the deadlines are being recalculated"))
    now = timezone.now()
    changed = 0
    for run in recalculation.open_runs(partnership):
        Disagreement.objects.select_for_update().get(pk=run.disagreement_id)
        for move in recalculation.run_moves(run):
            old = move.stored
            if old is not None:
                old.replaced_at = now
                old.save(update_fields=["replaced_at"])
            stages.deadline_store(
                run=run,
                due=move.due,
                by=asker.actor,
                at=now,
                verb=Verb.DEADLINES_RECALCULATED,
                was=old.due.isoformat() if old and old.due else None,
                **asker.data,
            )
            changed += 1
    return changed
