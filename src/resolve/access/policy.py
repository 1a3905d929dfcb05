"""Who may see a disagreement: the one rule every list, page and API call goes through.

Need to know (DESIGN.md): a person sees a disagreement when they take part in it, when someone
they line-manage (directly or further down the chain) takes part in it, or when they hold a
partnership role that the procedure names at a stage the disagreement has reached.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

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
