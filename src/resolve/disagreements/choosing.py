"""What a page may choose from within one disagreement: people to name, its outcome, its actions, forms, conditions.

Every function takes a disagreement already read through ``disagreement_get`` (so the person may see
it and the read is logged) and looks only inside it and its partnership: an identifier from another
disagreement or partnership is "not found", exactly as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from resolve.core.errors import NotFound
from resolve.disagreements import rules
from resolve.disagreements.models import Action, Confirmation, Disagreement, OutcomeDispute, WrittenOutcome
from resolve.partnerships.models import Agency, Person
from resolve.procedures.schema import Condition


def people_to_name(disagreement: Disagreement) -> QuerySet[Person]:
    """People who may be named on a record of this disagreement (who took part, a chair, attendees, an owner).

    Those taking part in it and the active people of the agencies in dispute, in its partnership only.
    """
    return (
        Person.objects.filter(partnership=disagreement.partnership_id, is_active=True)
        .filter(Q(agency__in=rules.party_agency_ids(disagreement)) | Q(participations__disagreement=disagreement))
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "name", "pk")
    )


def outcome_in(disagreement: Disagreement, pk: UUID | str) -> WrittenOutcome:
    """One written outcome proposed in this disagreement; any other identifier is "not found"."""
    try:
        outcome = WrittenOutcome.objects.select_related("stage_run", "proposed_by").get(
            pk=pk, disagreement=disagreement
        )
    except (WrittenOutcome.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("There is no such outcome in this disagreement.")) from None
    outcome.disagreement = disagreement  # the one already read (and logged) for this person
    return outcome


def action_in(disagreement: Disagreement, pk: UUID | str) -> Action:
    """One agreed action of this disagreement; any other identifier is "not found"."""
    try:
        action = Action.objects.select_related("owner", "completed_by").get(pk=pk, disagreement=disagreement)
    except (Action.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("There is no such action in this disagreement.")) from None
    action.disagreement = disagreement
    return action


def forms_at_stage(disagreement: Disagreement) -> list[str]:
    """The pro-formas the procedure requires at the current stage, by their names (Peterborough's Appendix 2...)."""
    run = rules.latest_run(disagreement)
    if run is None or run.ended_at is not None:
        return []
    names: list[str] = []
    for requirement in rules.stage_of(run).records:
        name = requirement.form or requirement.title
        if requirement.kind == "form" and rules.record_applies(disagreement, requirement) and name not in names:
            names.append(name)
    return names


def conditions_of(disagreement: Disagreement) -> tuple[Condition, ...]:
    """The conditions the disagreement's procedure lets a handler record as holding (Enfield L82)."""
    return rules.procedure_of(disagreement).conditions


@dataclass(frozen=True)
class OutcomeStanding:
    """Where a proposed written outcome stands: who confirmed it, who disputed it and why, who has yet to answer."""

    outcome: WrittenOutcome
    #: the outcome the current stage is waiting on (a newer proposal, or a later stage, makes this one stale)
    is_current: bool
    confirmations: list[Confirmation]
    disputes: list[OutcomeDispute]
    #: the agencies in dispute that have neither confirmed nor disputed it
    waiting: list[Agency]
    #: the next stage's name, where escalating is what the procedure allows next; None at the last stage
    next_stage: str | None

    def answer_of(self, agency_id: UUID | None) -> Confirmation | OutcomeDispute | None:
        """The agency's answer to the outcome so far: its confirmation, its dispute, or None."""
        for confirmation in self.confirmations:
            if confirmation.agency_id == agency_id:
                return confirmation
        for dispute in self.disputes:
            if dispute.agency_id == agency_id:
                return dispute
        return None


def outcome_standing(outcome: WrittenOutcome) -> OutcomeStanding:
    disagreement = outcome.disagreement
    run = rules.latest_run(disagreement)
    assert run is not None  # every disagreement starts with a stage run
    confirmations = list(outcome.confirmations.select_related("agency", "person").order_by("confirmed_at", "pk"))
    disputes = list(outcome.disputes.select_related("agency", "person"))
    answered = {a.agency_id for a in confirmations} | {d.agency_id for d in disputes}
    waiting = list(Agency.objects.filter(pk__in=rules.party_agency_ids(disagreement) - answered).order_by("name", "pk"))
    stages = rules.pathway_of(disagreement).stages
    return OutcomeStanding(
        outcome=outcome,
        is_current=run.ended_at is None and outcome.stage_run_id == run.pk and rules.latest_outcome(run) == outcome,
        confirmations=confirmations,
        disputes=disputes,
        waiting=waiting,
        next_stage=stages[run.position + 1].name if run.position + 1 < len(stages) else None,
    )
