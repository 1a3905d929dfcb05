"""The independent reviewer: named by the chair, from none of the agencies in dispute."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Disagreement,
    Participant,
    RecordEntry,
    StageRun,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    current_run,
    entry_write,
    lock,
    require_member,
    require_open,
    required_text,
)
from resolve.disagreements.services.transitions import close
from resolve.partnerships.models import Person

# The independent reviewer


def _require_reviewer_stage(disagreement: Disagreement) -> StageRun:
    run = current_run(disagreement)
    if not rules.stage_of(run).independent_reviewer:
        raise Refused(_("%(name)s is not decided by an independent reviewer.") % {"name": run.name})
    return run


def _require_independent(disagreement: Disagreement, person: Person) -> None:
    if person.agency_id is not None and person.agency_id in rules.party_agency_ids(disagreement):
        raise Refused(
            _(
                "%(name)s belongs to %(agency)s, an agency in this dispute. The reviewer must come from none "
                "of the agencies in dispute."
            )
            % {"name": person.name, "agency": person.agency.name if person.agency else ""}
        )


@service
def reviewer_appoint(*, disagreement: Disagreement, by: Person, reviewer: Person) -> Disagreement:
    """The partnership's chair names the reviewer, who must come from none of the agencies in dispute."""
    disagreement = lock(disagreement)
    require(by, Can.APPOINT_REVIEWER, disagreement)
    require_open(disagreement, _("given a reviewer"))
    require_member(disagreement.partnership, reviewer, _("The reviewer"))
    run = _require_reviewer_stage(disagreement)
    _require_independent(disagreement, reviewer)
    now = timezone.now()
    disagreement.reviewer = reviewer
    disagreement.save(update_fields=["reviewer"])
    stages.participant_ensure(
        disagreement=disagreement, person=reviewer, capacity=Participant.Capacity.REVIEWER, run=run, by=by, at=now
    )
    disagreement_event(disagreement, Verb.REVIEWER_APPOINTED, by=by, at=now, reviewer=str(reviewer.pk), stage=run.stage)
    return disagreement


@service
def reviewer_decision_record(*, disagreement: Disagreement, by: Person, decision: str, reasons: str) -> RecordEntry:
    """Record the independent reviewer's decision. Where the procedure makes it final, it resolves the case.

    The policy's ``DECIDE`` holds who: from none of the agencies in dispute, and the named reviewer once there is one.
    """
    disagreement = lock(disagreement)
    require(by, Can.DECIDE, disagreement)
    require_open(disagreement, _("decided"))
    run = _require_reviewer_stage(disagreement)
    now = timezone.now()
    entry = entry_write(
        disagreement=disagreement,
        run=run,
        kind=RecordEntry.Kind.REVIEWER_DECISION,
        by=by,
        now=now,
        data={
            "decision": required_text(decision, "decision", _("the decision")),
            "reasons": required_text(reasons, "reasons", _("the reasons for the decision")),
        },
    )
    stages.participant_ensure(
        disagreement=disagreement, person=by, capacity=Participant.Capacity.REVIEWER, run=run, by=by, at=now
    )
    disagreement_event(disagreement, Verb.REVIEWER_DECIDED, by=by, at=now, record=str(entry.pk), stage=run.stage)
    if rules.stage_of(run).decision_final and not rules.missing_records(run, "resolve"):
        close(
            disagreement,
            run,
            by=by,
            status=Disagreement.Status.RESOLVED,
            outcome=StageRun.Outcome.RESOLVED,
            reason="The independent reviewer's decision is final.",
            verb=Verb.RESOLVED,
        )
    return entry
