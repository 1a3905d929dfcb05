"""Raising a disagreement, and registering the child it is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements.models import (
    Child,
    Disagreement,
    Participant,
    StageRun,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    require_member,
    required_text,
)
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.procedures.schema import Category, Pathway, Procedure

# Raising


@transaction.atomic
def child_register(
    *, partnership: Partnership, reference: str, name: str = "", date_of_birth: date | None = None
) -> Child:
    """The child with this reference in the partnership, created on first use."""
    reference = required_text(reference, "reference", "the child's reference (a case number, not a name)")
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ResolveError("The child's date of birth cannot be in the future.", field="date_of_birth")
    child, _ = Child.objects.get_or_create(
        partnership=partnership,
        reference=reference,
        defaults={"name": name.strip(), "date_of_birth": date_of_birth},
    )
    return child


@transaction.atomic
def disagreement_raise(
    *,
    by: Person,
    child: Child,
    other_agencies: Sequence[Agency],
    expected: str,
    why: str,
    what_needed: str,
    category: str = "",
    pathway: str | None = None,
    evidence: str = "",
    significant_harm: bool = False,
    urgent: bool = False,
    urgent_reason: str = "",
    start_stage: str | None = None,
    child_protection: bool = False,
    flags: Sequence[str] = (),
    conference_kind: str = "",
    counterparts: Sequence[Person] = (),
) -> Disagreement:
    """Raise a disagreement about ``child`` with ``other_agencies`` under the partnership's procedure.

    ``counterparts`` are the people in the other agencies the raiser has been dealing with; they
    (and their line managers) can then see the disagreement.

    A significant-harm disagreement is due the same working day. An urgent one may start at any
    later stage the procedure allows urgent cases to start at, with the reason recorded.
    """
    # Read afresh: the partnership may have adopted a new procedure version since ``by`` was loaded.
    partnership = Partnership.objects.select_related("procedure").get(pk=by.partnership_id)
    require_member(partnership, by, "The person raising it")
    if by.agency is None:
        raise ResolveError("Only someone in one of the partnership's agencies can raise a disagreement.")
    if partnership.procedure is None:
        raise Refused(f"{partnership.name} has not adopted a procedure yet; an administrator must adopt one.")
    if child.partnership_id != partnership.pk:
        raise ResolveError("That child is not known to this partnership.", field="child")
    version = partnership.procedure
    procedure = version.procedure

    others = _check_other_agencies(by, other_agencies)
    for person in counterparts:
        if person.agency_id not in {a.pk for a in others} or not person.is_active:
            raise ResolveError(
                f"{person.name} is not an active member of an agency you disagree with.", field="counterparts"
            )
    chosen_category, chosen = _choose_category_and_pathway(procedure, category, pathway)
    position = _choose_start(chosen, start_stage, urgent=urgent)
    if position > 0:
        urgent_reason = required_text(urgent_reason, "urgent_reason", "why this needs urgent resolution")
    _check_flags_and_conference(procedure, chosen, flags, conference_kind)

    now = timezone.now()
    disagreement = Disagreement.objects.create(
        partnership=partnership,
        procedure_version=version,
        pathway=chosen.slug,
        category=chosen_category.slug if chosen_category else "",
        child=child,
        raised_by=by,
        raising_agency=by.agency,
        expected=required_text(expected, "expected", "what you expect the other agency to do"),
        why=required_text(why, "why", "why you believe the arrangements are not being applied"),
        what_needed=required_text(what_needed, "what_needed", "what needs to be done"),
        evidence=evidence.strip(),
        significant_harm=significant_harm,
        urgent=urgent,
        urgent_reason=urgent_reason.strip(),
        child_protection=child_protection,
        flags=sorted(set(flags)),
        conference_kind=conference_kind,
        raised_at=now,
    )
    disagreement.other_agencies.set(others)
    event_record(
        verb=Verb.RAISED,
        partnership=partnership,
        actor=by,
        disagreement=disagreement,
        data={
            "procedure": version.slug,
            "version": version.version,
            "pathway": chosen.slug,
            "category": disagreement.category,
            "significant_harm": significant_harm,
            "urgent": urgent,
            "child_protection": child_protection,
            "flags": disagreement.flags,
            "other_agencies": [str(a.pk) for a in others],
            "conference_kind": conference_kind,
            "child_protection_plan": _plan_effect(chosen, conference_kind),
        },
        at=now,
    )
    stages.participant_ensure(
        disagreement=disagreement, person=by, capacity=Participant.Capacity.RAISER, run=None, by=by, at=now
    )
    for person in counterparts:
        stages.participant_ensure(
            disagreement=disagreement, person=person, capacity=Participant.Capacity.COUNTERPART, run=None, by=by, at=now
        )
    entry = StageRun.Entry.URGENT if position > 0 else StageRun.Entry.RAISED
    stages.stage_open(disagreement=disagreement, position=position, entry=entry, by=by, at=now)
    return disagreement


def _check_other_agencies(by: Person, other_agencies: Sequence[Agency]) -> list[Agency]:
    others = list({a.pk: a for a in other_agencies}.values())
    if not others:
        raise ResolveError("Choose the agency or agencies you disagree with.", field="other_agencies")
    for agency in others:
        if agency.partnership_id != by.partnership_id:
            raise ResolveError(f"{agency.name} is not an agency of this partnership.", field="other_agencies")
        if agency.pk == by.agency_id:
            raise ResolveError(
                "A disagreement is between agencies: choose an agency other than your own. "
                "Disagreements within one agency go through its own procedures.",
                field="other_agencies",
            )
    return others


def _choose_category_and_pathway(
    procedure: Procedure, category: str, pathway: str | None
) -> tuple[Category | None, Pathway]:
    """The category (refused if the procedure puts it out of scope) and the pathway it leads to."""
    chosen_category = None
    if procedure.categories or category:
        try:
            chosen_category = procedure.category(category)
        except KeyError:
            names = "; ".join(f"{c.slug} ({c.name})" for c in procedure.categories if not c.refuse_with)
            raise ResolveError(f"Choose a category of disagreement: {names}.", field="category") from None
        if chosen_category.refuse_with:
            raise Refused(chosen_category.refuse_with)
    slug = pathway or (chosen_category.pathway if chosen_category else None) or procedure.pathways[0].slug
    try:
        return chosen_category, procedure.pathway(slug)
    except KeyError:
        known = ", ".join(p.slug for p in procedure.pathways)
        raise ResolveError(f"The procedure has no pathway {slug!r}; choose one of {known}.", field="pathway") from None


def _choose_start(pathway: Pathway, start_stage: str | None, *, urgent: bool) -> int:
    """Where the disagreement starts: the first stage, or a later one the procedure lets urgent cases start at."""
    if start_stage is None or start_stage == pathway.stages[0].slug:
        return 0
    try:
        position = pathway.index(start_stage)
    except ValueError:
        known = ", ".join(s.slug for s in pathway.stages)
        raise ResolveError(
            f"{pathway.name} has no stage {start_stage!r}; its stages are {known}.", field="start_stage"
        ) from None
    if not urgent:
        raise ResolveError(
            "Only an urgent disagreement may start after the first stage: mark it urgent and say why.",
            field="start_stage",
        )
    if not pathway.stages[position].urgent_start:
        allowed = [s.name for s in pathway.stages if s.urgent_start]
        where = ", ".join(allowed) if allowed else "no later stage: it must start at the first stage"
        raise ResolveError(
            f"The procedure does not let an urgent case start at {pathway.stages[position].name}. "
            f"Urgent cases may start at: {where}.",
            field="start_stage",
        )
    return position


def _check_flags_and_conference(
    procedure: Procedure, pathway: Pathway, flags: Sequence[str], conference_kind: str
) -> None:
    unknown_flags = sorted(set(flags) - {f.slug for f in procedure.flags})
    if unknown_flags:
        known = ", ".join(f.slug for f in procedure.flags) or "none"
        raise ResolveError(f"Unknown flag {', '.join(unknown_flags)}; this procedure's flags: {known}.", field="flags")
    if pathway.conference and pathway.conference.view == "equally_divided":
        if conference_kind not in (Disagreement.ConferenceKind.INITIAL, Disagreement.ConferenceKind.REVIEW):
            raise ResolveError(
                "Say whether the adjourned conference was an initial or a review conference.", field="conference_kind"
            )
    elif conference_kind and not pathway.conference:
        raise ResolveError(f"{pathway.name} is not about a child protection conference.", field="conference_kind")


def _plan_effect(pathway: Pathway, conference_kind: str) -> str:
    """What an equally divided conference means for the child's plan while it is adjourned (NEL L167)."""
    rule = pathway.conference
    if rule is None or rule.plan_while_pending != "continues_or_made_subject":
        return ""
    if conference_kind == Disagreement.ConferenceKind.INITIAL:
        return "made subject of a child protection plan pending the reconvened conference"
    return "continues to be subject of a child protection plan until the conference is reconvened"
