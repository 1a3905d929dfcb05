"""Who may see a disagreement: the one rule every list, page and API call goes through.

Need to know (DESIGN.md): a person sees a disagreement when they take part in it, when someone
they line-manage (directly or further down the chain) takes part in it, or when they hold a
partnership role that the procedure names at a stage the disagreement has reached.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from resolve.core.errors import NotFound, Refused
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person, RoleAssignment


def people_managed_by(person: Person) -> set[object]:
    """Everyone below ``person`` in the line-management chain, at any depth."""
    below: set[object] = set()
    frontier = {person.pk}
    while frontier:
        reports = set(Person.objects.filter(line_manager__in=frontier).values_list("pk", flat=True))
        frontier = reports - below - {person.pk}
        below |= frontier
    return below


def _roles_reaching(person: Person) -> Q:
    """Disagreements that reached a stage handled by, or notifying, a role this person holds."""
    held = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    if not held:
        return Q(pk__in=[])
    return Q(notices__to__in=held) | Q(notices__recipients=person)


def disagreements_visible_to(person: Person) -> QuerySet[Disagreement]:
    if not person.is_active:
        return Disagreement.objects.none()
    people = people_managed_by(person) | {person.pk}
    return (
        Disagreement.objects.filter(partnership=person.partnership_id)
        .filter(Q(participants__person__in=people) | _roles_reaching(person))
        .distinct()
    )


def can_see(person: Person, disagreement: Disagreement) -> bool:
    return disagreements_visible_to(person).filter(pk=disagreement.pk).exists()


class Action(StrEnum):
    """What someone can do to a disagreement; every service names the one it performs."""

    VIEW = "view"
    RECORD = "record"  # discussions, meeting records, summaries, actions, corrections, people
    PROPOSE_OUTCOME = "propose_outcome"
    CONFIRM_OUTCOME = "confirm_outcome"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    GIVE_FEEDBACK = "give_feedback"
    APPOINT_REVIEWER = "appoint_reviewer"
    DECIDE = "decide"


#: Actions open to the agencies in dispute (their people who can see it) and to stage handlers.
_WORKING = {Action.RECORD, Action.ESCALATE, Action.RESOLVE, Action.GIVE_FEEDBACK}


def _in_party_agency(person: Person, disagreement: Disagreement) -> bool:
    if person.agency_id is None:
        return False
    return person.agency_id == disagreement.raising_agency_id or (
        disagreement.other_agencies.filter(pk=person.agency_id).exists()
    )


def _takes_part_as(person: Person, disagreement: Disagreement, *capacities: str) -> bool:
    return disagreement.participants.filter(person=person, capacity__in=capacities).exists()


def _role_kinds(person: Person, disagreement: Disagreement) -> set[str]:
    held = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    procedure = disagreement.procedure_version.procedure
    return {r.kind for r in procedure.roles if r.slug in held}


def allowed(person: Person, action: Action, disagreement: Disagreement) -> bool:
    """May ``person`` do ``action`` to ``disagreement``? Seeing it is the first condition of all."""
    if not can_see(person, disagreement):
        return False
    if action == Action.VIEW:
        return True
    if action in (Action.PROPOSE_OUTCOME, Action.CONFIRM_OUTCOME):
        return _in_party_agency(person, disagreement)
    if action == Action.WITHDRAW:
        return person.agency_id is not None and person.agency_id == disagreement.raising_agency_id
    if action == Action.APPOINT_REVIEWER:
        return bool(_role_kinds(person, disagreement) & {"chair", "reviewer_appointer"})
    if action == Action.DECIDE:
        return _takes_part_as(person, disagreement, "reviewer") or "independent_reviewer" in _role_kinds(
            person, disagreement
        )
    if action in _WORKING:
        return _in_party_agency(person, disagreement) or _takes_part_as(person, disagreement, "handler")
    return False


def require(person: Person, action: Action, disagreement: Disagreement) -> None:
    """Refuse with "not found" if the person cannot see it, else with a reason if they cannot do this."""
    if not can_see(person, disagreement):
        raise NotFound("There is no such disagreement, or you do not have access to it.")
    if not allowed(person, action, disagreement):
        raise Refused(REASONS[action])


REASONS = {
    Action.RECORD: "Only the agencies in dispute and the people handling its stages can add to this disagreement.",
    Action.PROPOSE_OUTCOME: "Only someone in one of the agencies in dispute can propose its outcome.",
    Action.CONFIRM_OUTCOME: "Only someone in one of the agencies in dispute can confirm its outcome.",
    Action.ESCALATE: "Only the agencies in dispute and the people handling its stages can escalate it.",
    Action.RESOLVE: "Only the agencies in dispute and the people handling its stages can resolve it.",
    Action.WITHDRAW: "Only the agency that raised this disagreement can withdraw it.",
    Action.GIVE_FEEDBACK: "Only the agencies in dispute and the people handling its stages can give feedback.",
    Action.APPOINT_REVIEWER: "Only the partnership's chair can name the independent reviewer.",
    Action.DECIDE: "Only the independent reviewer can record the decision.",
}
