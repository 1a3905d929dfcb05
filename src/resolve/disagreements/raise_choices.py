"""What the pages that raise a disagreement offer a person, and what they show once it is raised.

Selectors for the raise journey (the service is ``services.disagreement_raise``): who may raise at
all, the agencies and people that may be chosen (the person's own partnership's agencies, and the
active agencies of every other partnership on the installation that has adopted a procedure, for a
cross-borough disagreement, Enfield section 9: grouped by partnership; the people named at raising
are their own partnership's only, the other partnership's counterpart being invited once it is
raised, at the stage's level, ``counterpart_invite``), the procedure's urgent route (NEL's telephone-first duty, L34;
Enfield's duty team, L105), and the confirmation (the reference, the first deadline with its rule,
who has been told and who acts next). None of them reads a child's record, except the confirmation,
which reads the new disagreement through ``disagreement_get`` (so that read is logged as any other).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from resolve.access.policy import people_who_can_act, who_can_act
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements.models import Disagreement, Notice, StageDeadline
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.procedures.schema import Contact, Instruction, Procedure


def raise_refusal(person: Person | None) -> str:
    """Why ``person`` cannot raise a disagreement here, or "" when they can (the service checks again)."""
    if person is None or not person.is_active:
        return _(
            "Only someone in one of a partnership's agencies can raise a disagreement. Ask your partnership's "
            "administrator to add you to your agency."
        )
    if person.agency_id is None:
        return _(
            "Only someone in one of %(partnership)s's agencies can raise a disagreement, and you are not in one. "
            "If you should be, ask the partnership's administrator to add you to your agency."
        ) % {"partnership": person.partnership.name}
    if person.partnership.procedure_id is None:
        return _(
            "%(partnership)s has not adopted an escalation procedure yet, so no disagreement can be raised. "
            "Its administrator must adopt one first."
        ) % {"partnership": person.partnership.name}
    return ""


@dataclass(frozen=True)
class RaiseChoices:
    """The procedure a disagreement would be raised under, and the agencies it may be raised with."""

    procedure: Procedure
    #: the partnership's agencies other than the person's own, by name
    agencies: list[Agency]
    #: other partnerships using Resolve (a procedure adopted), each with its active agencies, by name
    elsewhere: list[tuple[Partnership, list[Agency]]] = field(default_factory=list)


def raise_choices_for(*, person: Person) -> RaiseChoices:
    """What ``person`` may choose from when raising; ``Refused`` (with why) if they cannot raise."""
    refusal = raise_refusal(person)
    if refusal:
        raise Refused(refusal)
    version = person.partnership.procedure
    assert version is not None  # raise_refusal said so
    agencies = list(_others_for(person).order_by("name"))
    grouped: dict[UUID, tuple[Partnership, list[Agency]]] = {}
    for agency in _elsewhere_for(person).select_related("partnership").order_by("partnership__name", "name", "pk"):
        grouped.setdefault(agency.partnership_id, (agency.partnership, []))[1].append(agency)
    return RaiseChoices(procedure=version.procedure, agencies=agencies, elsewhere=list(grouped.values()))


def agencies_chosen(*, person: Person, ids: Iterable[str]) -> list[Agency]:
    """The agencies of ``ids`` that ``person`` may raise a disagreement with: their partnership's (not
    their own) first, then other partnerships' (cross-borough), each by name."""
    wanted = _uuids(ids)
    mine = list(_others_for(person).filter(pk__in=wanted).order_by("name"))
    return mine + list(
        _elsewhere_for(person).filter(pk__in=wanted).select_related("partnership").order_by("partnership__name", "name")
    )


def _others_for(person: Person) -> QuerySet[Agency]:
    """The active agencies of ``person``'s partnership other than their own."""
    return Agency.objects.filter(partnership=person.partnership_id, retired_at__isnull=True).exclude(
        pk__in=[person.agency_id]
    )


def _elsewhere_for(person: Person) -> QuerySet[Agency]:
    """The active agencies of the other partnerships on the installation that have adopted a procedure."""
    return Agency.objects.filter(retired_at__isnull=True, partnership__procedure__isnull=False).exclude(
        partnership=person.partnership_id
    )


def counterparts_choosable(*, person: Person, agency_ids: Iterable[str]) -> list[Person]:
    """The active people in those of ``agency_ids`` that ``person`` may raise with, by agency and name.

    Only in the person's own partnership: another partnership's counterpart is invited once the
    disagreement is raised, at the level of its stage (``counterpart_invite``).
    """
    agencies = [a for a in agencies_chosen(person=person, ids=agency_ids) if a.partnership_id == person.partnership_id]
    return list(
        Person.objects.filter(agency__in=agencies, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "name", "pk")
    )


def counterparts_chosen(*, person: Person, agency_ids: Iterable[str], ids: Iterable[str]) -> list[Person]:
    """Of ``ids``, the people ``person`` may name as counterparts (active, in an agency chosen)."""
    wanted = set(_uuids(ids))
    return [p for p in counterparts_choosable(person=person, agency_ids=agency_ids) if p.pk in wanted]


def category_check(*, person: Person, category: str) -> None:
    """Refuse, in the procedure's own words, a category the procedure puts out of its scope (``refuse_with``).

    The service refuses it again when the disagreement is raised; this lets the page say so at once.
    """
    procedure = raise_choices_for(person=person).procedure
    try:
        chosen = procedure.category(category)
    except KeyError:
        raise ResolveError(_("Select the category of disagreement"), field="category") from None
    if chosen.refuse_with:
        raise Refused(chosen.refuse_with, field="category")


@dataclass(frozen=True)
class UrgentRoute:
    """Whom to telephone today when the child is not safe now or is at risk of significant harm.

    ``counterparts``: the people the raiser has been dealing with in the other agencies, with their
    numbers; ``instructions``: the procedure's own words for an urgent or significant-harm case
    (NEL L34 telephone first, L36 same working day; Enfield L103 MASH, L107 999); ``contacts``: the
    procedure's out-of-hours contacts with when they apply (Enfield's duty team, L105).
    """

    counterparts: list[Person]
    instructions: list[Instruction]
    contacts: list[Contact]


def urgent_route_for(*, person: Person, agency_ids: Iterable[str], counterpart_ids: Iterable[str]) -> UrgentRoute:
    procedure = raise_choices_for(person=person).procedure
    return UrgentRoute(
        counterparts=counterparts_chosen(person=person, agency_ids=agency_ids, ids=counterpart_ids),
        instructions=[i for i in procedure.instructions if i.applies in ("urgent", "significant_harm")],
        contacts=[c for c in procedure.contacts if c.out_of_hours],
    )


@dataclass(frozen=True)
class RaisedConfirmation:
    disagreement: Disagreement
    stage: str
    #: the first dated deadline of the stage it started at, with its rule; None where the procedure sets none
    deadline: StageDeadline | None
    #: what the procedure says to do there without a date (NEL's telephone-first duty...)
    instructions: list[StageDeadline]
    #: who has been told, each notice's words with its recipients' names
    told: list[tuple[str, list[str]]]
    who_can_act: str
    #: the people who can act at the stage now, by name
    acting: list[Person]


def raise_confirmation(*, person: Person, pk: UUID | str) -> RaisedConfirmation:
    """What the confirmation page shows of a disagreement ``person`` may see; ``NotFound`` otherwise."""
    disagreement = disagreement_get(person=person, pk=pk)
    run = disagreement.stage_runs.order_by("-position").first()
    assert run is not None  # every disagreement starts with a stage run
    governing = list(run.governing_deadlines().order_by("due", "id"))
    dated = [d for d in governing if d.kind != StageDeadline.Kind.INSTRUCTION and d.due is not None]
    notices = (
        Notice.objects.filter(disagreement=disagreement).prefetch_related("recipients").order_by("created_at", "id")
    )
    return RaisedConfirmation(
        disagreement=disagreement,
        stage=run.name,
        deadline=dated[0] if dated else None,
        instructions=[d for d in governing if d.kind == StageDeadline.Kind.INSTRUCTION],
        told=[(n.what, sorted(p.name for p in n.recipients.all())) for n in notices],
        who_can_act=who_can_act(disagreement),
        acting=people_who_can_act(disagreement),
    )


def _uuids(values: Iterable[str]) -> list[UUID]:
    found = []
    for value in values:
        try:
            found.append(UUID(str(value)))
        except ValueError:
            continue
    return found
