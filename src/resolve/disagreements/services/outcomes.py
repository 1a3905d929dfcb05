"""Written outcomes confirmed by every agency in dispute, and the actions agreed.

Proposing an outcome asks the other agencies in dispute to confirm it: a notice (``OUTCOME_PROPOSED``)
goes to everyone who can confirm it for an agency that has not yet confirmed it (the access policy's
``allowed``: in that agency, at the stage's level, seeing the disagreement). The proposer, whose
proposal confirms it for their own agency, is not told.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import allowed, people_who_can_act, require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Action,
    Confirmation,
    Disagreement,
    Notice,
    OutcomeDispute,
    WrittenOutcome,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    current_run,
    due_date,
    lock,
    optional_text,
    person_given,
    require_member,
    require_open,
    required_text,
)
from resolve.partnerships.models import Agency, Person

#: what the notice asking the other agencies to confirm a proposed outcome says
OUTCOME_PROPOSED = "A written outcome was proposed: please confirm it for your agency, or say why it does not stand"

# Written outcomes


@service
def outcome_propose(*, disagreement: Disagreement, by: Person, text: str) -> WrittenOutcome:
    """Propose the written outcome of the current stage; proposing it confirms it for your agency."""
    disagreement = lock(disagreement)
    require(by, Can.PROPOSE_OUTCOME, disagreement)
    require_open(disagreement, _("given an outcome"))
    agency = _party_agency(by)
    text = required_text(text, "text", _("the agreed outcome and how any outstanding issues will be pursued"))
    run = current_run(disagreement)
    now = timezone.now()
    outcome = WrittenOutcome.objects.create(
        disagreement=disagreement, stage_run=run, text=text, proposed_by=by, proposed_at=now
    )
    Confirmation.objects.create(outcome=outcome, agency=agency, person=by, confirmed_at=now)
    disagreement_event(disagreement, Verb.OUTCOME_PROPOSED, by=by, at=now, outcome=str(outcome.pk), stage=run.stage)
    confirmers = outcome_confirmers(disagreement)
    if confirmers:
        stages.notice_send(
            disagreement=disagreement,
            run=run,
            to="parties",
            what=OUTCOME_PROPOSED,
            recipients=confirmers,
            source="outcome",
            kind=Notice.Kind.OUTCOME_PROPOSED,
            by=by,
            at=now,
            urgent=rules.is_urgent(disagreement),
        )
    return outcome


def outcome_confirmers(disagreement: Disagreement) -> list[Person]:
    """Everyone who may now confirm the current outcome for an agency in dispute that has not yet done so."""
    return [p for p in people_who_can_act(disagreement) if allowed(p, Can.CONFIRM_OUTCOME, disagreement)]


@service
def outcome_confirm(*, outcome: WrittenOutcome, by: Person) -> WrittenOutcome:
    """Confirm a proposed written outcome for your agency."""
    disagreement = lock(outcome.disagreement)
    require(by, Can.CONFIRM_OUTCOME, disagreement)
    require_open(disagreement, _("given an outcome"))
    agency = _party_agency(by)
    _require_current(outcome, disagreement)
    if outcome.confirmations.filter(agency=agency).exists():
        raise Refused(_("%(name)s has already confirmed this outcome.") % {"name": agency.name})
    _require_not_disputed(outcome, agency)
    now = timezone.now()
    Confirmation.objects.create(outcome=outcome, agency=agency, person=by, confirmed_at=now)
    disagreement_event(
        disagreement, Verb.OUTCOME_CONFIRMED, by=by, at=now, outcome=str(outcome.pk), agency=str(agency.pk)
    )
    return outcome


@service
def outcome_dispute(*, outcome: WrittenOutcome, by: Person, reason: str) -> OutcomeDispute:
    """Say, for your agency, that the proposed written outcome does not stand, and why.

    The same people as confirm it (an agency in dispute, at the stage's level) on the current outcome
    of an open disagreement. The agency cannot then confirm that outcome: a new proposal, or escalation
    to the next stage, is what the procedure allows next.
    """
    disagreement = lock(outcome.disagreement)
    require(by, Can.CONFIRM_OUTCOME, disagreement)
    require_open(disagreement, _("given an outcome"))
    agency = _party_agency(by)
    _require_current(outcome, disagreement)
    if outcome.confirmations.filter(agency=agency).exists():
        raise Refused(
            _(
                "%(name)s has already confirmed this outcome, so it cannot dispute it: propose a new "
                "outcome if this one no longer stands."
            )
            % {"name": agency.name}
        )
    _require_not_disputed(outcome, agency)
    reason = required_text(reason, "reason", _("why the outcome does not stand for your agency"))
    now = timezone.now()
    dispute = OutcomeDispute.objects.create(outcome=outcome, agency=agency, person=by, reason=reason, disputed_at=now)
    disagreement_event(
        disagreement, Verb.OUTCOME_DISPUTED, by=by, at=now, outcome=str(outcome.pk), agency=str(agency.pk)
    )
    return dispute


def _require_current(outcome: WrittenOutcome, disagreement: Disagreement) -> None:
    run = current_run(disagreement)
    if (
        outcome.disagreement_id != disagreement.pk
        or outcome.stage_run_id != run.pk
        or rules.latest_outcome(run) != outcome
    ):
        raise Refused(
            _("This is not the current proposed outcome: a newer one was proposed, or the stage has moved on.")
        )


def _require_not_disputed(outcome: WrittenOutcome, agency: Agency) -> None:
    disputed = outcome.disputes.filter(agency=agency).first()
    if disputed is not None:
        when = timezone.localtime(disputed.disputed_at).strftime("%d %B %Y")
        raise Refused(
            _(
                "%(name)s disputed this outcome on %(when)s, so it cannot confirm it now: a new outcome "
                "must be proposed, or the disagreement escalated to the next stage."
            )
            % {"name": agency.name, "when": when}
        )


def _party_agency(by: Person) -> Agency:
    """The agency of someone the access policy has allowed to propose or confirm an outcome."""
    assert by.agency is not None  # the policy allows only people in an agency in dispute
    return by.agency


# Actions


@service
def action_add(
    *,
    disagreement: Disagreement,
    by: Person,
    description: str,
    owner: Person | None = None,
    due_on: date | None = None,
) -> Action:
    disagreement = lock(disagreement)
    require(by, Can.RECORD, disagreement)
    require_open(disagreement, _("given new actions"))
    if owner is not None:
        owner = person_given(owner, "owner", _("who will do it"))
        require_member(disagreement.partnership, owner, _("The action's owner"))
    due_on = due_date(due_on, "due_on", _("an action's due date"))
    run = current_run(disagreement)
    now = timezone.now()
    action = Action.objects.create(
        disagreement=disagreement,
        stage_run=run,
        description=required_text(description, "description", _("what the action is")),
        owner=owner,
        due_on=due_on,
        created_by=by,
        created_at=now,
    )
    disagreement_event(
        disagreement, Verb.ACTION_ADDED, by=by, at=now, action=str(action.pk), owner=str(owner.pk) if owner else None
    )
    return action


@service
def action_complete(*, action: Action, by: Person, note: str = "") -> Action:
    disagreement = lock(action.disagreement)
    require(by, Can.RECORD, disagreement)
    require_open(disagreement, _("changed"))
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_at is not None:
        raise Refused(_("This action is already complete."))
    now = timezone.now()
    action.completed_at = now
    action.completed_by = by
    action.completion_note = optional_text(note, "note", _("the note on how it was completed"))
    action.save(update_fields=["completed_at", "completed_by", "completion_note"])
    disagreement_event(disagreement, Verb.ACTION_COMPLETED, by=by, at=now, action=str(action.pk))
    return action
