"""The partnership roles an adopted procedure names, who holds them, and taking someone out of one.

A role (business unit, chair, independent reviewer, MASA team...) is named by the procedure and held
by people of the partnership (``RoleAssignment``). ``role_assign`` (services.py) adds a holder;
``role_unassign`` here removes one, recorded the same way. A role with nobody active in it is
flagged, since the stages it handles and the notices addressed to it then reach nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound
from resolve.partnerships.models import Partnership, RoleAssignment
from resolve.partnerships.services import Asking, administrator_check
from resolve.procedures.schema import PartnershipRole, Procedure

#: what each kind of role is, in words for the roles page
KINDS = {
    "business_unit": gettext_lazy("The partnership's business unit"),
    "chair": gettext_lazy("Chair: names the independent reviewer where a stage needs one"),
    "independent_reviewer": gettext_lazy("Independent reviewer: decides a stage that needs one"),
    "reviewer_appointer": gettext_lazy("Names the independent reviewer"),
    "partners": gettext_lazy("The safeguarding partners"),
    "team": gettext_lazy("A partnership team"),
    "service": gettext_lazy("A service the procedure names"),
    "other": gettext_lazy("Another role the procedure names"),
}


@dataclass
class RoleShown:
    """One role: what the procedure says it is and does, and who holds it."""

    slug: str
    name: str
    kind: str
    source: str
    handles: list[str] = field(default_factory=list)  # stage names it handles
    on_request: list[str] = field(default_factory=list)  # stage names it handles once requested
    told: bool = False  # a notice of the procedure is addressed to it
    holders: list[RoleAssignment] = field(default_factory=list)

    @property
    def active_holders(self) -> list[RoleAssignment]:
        return [a for a in self.holders if a.person.is_active]

    @property
    def empty(self) -> bool:
        return not self.active_holders


@dataclass
class RolesPage:
    roles: list[RoleShown]
    stale: list[RoleAssignment]  # roles held that the adopted procedure no longer names

    @property
    def empty(self) -> list[RoleShown]:
        return [r for r in self.roles if r.empty]


def _shown(procedure: Procedure, role: PartnershipRole) -> RoleShown:
    shown = RoleShown(slug=role.slug, name=role.name, kind=str(KINDS.get(role.kind, role.kind)), source=role.source)
    notifications = list(procedure.notifications)
    for pathway in procedure.pathways:
        for stage in pathway.stages:
            label = stage.name if len(procedure.pathways) == 1 else f"{pathway.name}: {stage.name}"
            if role.slug in stage.handlers.roles and label not in shown.handles:
                shown.handles.append(label)
            if role.slug in stage.handlers.on_request and label not in shown.on_request:
                shown.on_request.append(label)
            notifications += stage.notifications
    shown.told = any(n.to == role.slug for n in notifications)
    return shown


def roles_for(partnership: Partnership) -> RolesPage:
    """Every role the adopted procedure names, in its order, with its holders; and roles held it no longer names."""
    version = partnership.procedure
    procedure = version.procedure if version is not None else None
    roles = [_shown(procedure, r) for r in procedure.roles] if procedure is not None else []
    by_slug = {r.slug: r for r in roles}
    stale = []
    for assignment in (
        RoleAssignment.objects.filter(partnership=partnership, person__partnership=partnership)
        .select_related("person__agency")
        .order_by("role", "person__name", "pk")
    ):
        if assignment.role in by_slug:
            by_slug[assignment.role].holders.append(assignment)
        else:
            stale.append(assignment)
    return RolesPage(roles=roles, stale=stale)


def assignment_of(partnership: Partnership, pk: object) -> RoleAssignment:
    """One of the partnership's role assignments; another partnership's, or none, is NotFound."""
    found = (
        RoleAssignment.objects.filter(partnership=partnership, pk=pk).select_related("person__agency").first()
        if isinstance(pk, int)
        else None
    )
    if found is None:
        raise NotFound(_("There is no such role holder in this partnership."))
    return found


@transaction.atomic
def role_unassign(*, partnership: Partnership, assignment: RoleAssignment, by: Asking) -> None:
    """The person no longer holds the role (recorded; ``role_assign`` gives it back, recorded too)."""
    asker = administrator_check(partnership=partnership, by=by)
    locked = RoleAssignment.objects.select_for_update().filter(partnership=partnership, pk=assignment.pk).first()
    if locked is None:
        raise NotFound(_("There is no such role holder in this partnership."))
    person_id, role, pk = locked.person_id, locked.role, locked.pk
    locked.delete()
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "model": RoleAssignment._meta.label,
            "object": str(pk),
            "action": "removed",
            "person": str(person_id),
            "role": role,
            **asker.data,
        },
    )
