"""Raising a disagreement, and registering the child it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.access.policy import may_register_child
from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements.models import (
    Child,
    Disagreement,
    Participant,
    ReferenceCounter,
    StageRun,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    birth_date,
    optional_text,
    require_member,
    required_text,
    yes_or_no,
)
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.procedures.schema import Category, Pathway, Procedure

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

M = TypeVar("M", bound=Model)

#: How far back a disagreement's start may be given (``started_at``). Not a timescale of any
#: procedure: an input check, so a mistyped year is refused rather than dating a stage years back.
EARLIEST_START = timedelta(days=28)

# Raising


@dataclass(frozen=True)
class RegisteredChild:
    """The child as the person who registered or found them is shown: an identifier and the reference.

    Never the name or date of birth: a child already registered may be one whose disagreements the
    person cannot see, and the reference they typed is all they knew.
    """

    id: UUID
    reference: str


def child_register(*, by: Person, reference: str, name: str = "", date_of_birth: date | None = None) -> RegisteredChild:
    """The child with this reference in ``by``'s partnership, registered on first use.

    ``by`` is an active member in one of the partnership's agencies, or holds a role its procedure
    names (the access policy's ``may_register_child``); anyone else is refused, and the refusal is
    in the audit trail. A child already registered is found, not changed: a name or date of birth
    given now is kept only for a new child, so nobody can overwrite (or, from the answer, learn)
    what is stored. Both registering and finding are in the audit trail, by the child's identifier.
    """
    if not may_register_child(by):
        # Written before any transaction of this service begins, so no rollback removes it.
        event_record(verb=Verb.ACCESS_REFUSED, partnership=by.partnership, actor=by, data={"action": "register_child"})
        raise Refused(
            _(
                "Only someone in one of the partnership's agencies, or holding a role its procedure "
                "names, can register a child."
            )
        )
    return _child_register(by=by, reference=reference, name=name, date_of_birth=date_of_birth)


@transaction.atomic
def _child_register(*, by: Person, reference: str, name: str, date_of_birth: date | None) -> RegisteredChild:
    partnership = Partnership.objects.get(pk=by.partnership_id)
    reference = required_text(
        reference,
        "reference",
        _("the child's reference (a case number, not a name)"),
        limit=Child._meta.get_field("reference"),
    )
    name = optional_text(name, "name", _("the child's name"), limit=Child._meta.get_field("name"))
    date_of_birth = birth_date(date_of_birth)
    child, created = Child.objects.get_or_create(
        partnership=partnership,
        reference=reference,
        defaults={"name": name, "date_of_birth": date_of_birth},
    )
    event_record(
        verb=Verb.CHILD_REGISTERED if created else Verb.CHILD_FOUND,
        partnership=partnership,
        actor=by,
        data={"child": str(child.pk)},
    )
    return RegisteredChild(id=child.pk, reference=child.reference)


@transaction.atomic
def disagreement_raise(
    *,
    by: Person,
    child: Child | RegisteredChild,
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
    started_at: datetime | None = None,
) -> Disagreement:
    """Raise a disagreement about ``child`` with ``other_agencies`` under the partnership's procedure.

    ``counterparts`` are the people in the other agencies the raiser has been dealing with; they
    (and their line managers) can then see the disagreement.

    A significant-harm disagreement is due the same working day where the procedure says so (NEL
    L36); elsewhere it shows the procedure's own instruction, with no date. An urgent one may start
    at any later stage the procedure allows urgent cases to start at, with the reason recorded.

    ``started_at``: when it really began, if earlier than now (NEL's equally divided conference,
    whose adjournment counts 15 working days from the conference, L159): not in the future, and
    within the last four weeks. Its deadlines count from then; the disagreement keeps when it was
    entered, and the audit trail that ``by`` entered it then with the earlier start.

    Every value is checked before anything is written; text is stored as given, without the spaces
    around it.
    """
    # Read afresh: the partnership may have adopted a new procedure version since ``by`` was loaded.
    partnership = Partnership.objects.select_related("procedure").get(pk=by.partnership_id)
    require_member(partnership, by, _("The person raising it"))
    if by.agency is None:
        raise ResolveError(_("Only someone in one of the partnership's agencies can raise a disagreement."))
    if partnership.procedure is None:
        raise Refused(
            _("%(name)s has not adopted a procedure yet; an administrator must adopt one.") % {"name": partnership.name}
        )
    found = _child_in(partnership, child)
    version = partnership.procedure
    procedure = version.procedure
    text = _checked_text(expected=expected, why=why, what_needed=what_needed, evidence=evidence)
    urgent_reason = raise_text_checked(urgent_reason=urgent_reason)["urgent_reason"]
    field = Disagreement._meta.get_field
    category = optional_text(category, "category", _("the category"), limit=field("category"))
    if pathway is not None:
        pathway = required_text(pathway, "pathway", _("the pathway"), limit=field("pathway"))
    if start_stage is not None:
        start_stage = required_text(start_stage, "start_stage", _("the stage to start at"), limit=80)
    conference_kind = optional_text(conference_kind, "conference_kind", _("the conference"), limit=10)
    significant_harm = yes_or_no(significant_harm, "significant_harm", _("whether there is risk of significant harm"))
    urgent = yes_or_no(urgent, "urgent", _("whether it is urgent"))
    child_protection = yes_or_no(child_protection, "child_protection", _("whether there is a child protection plan"))
    flags = _checked_flags(flags)
    now = timezone.now()
    start = start_checked(started_at, now=now, not_before=now - EARLIEST_START)
    counterparts = _instances(counterparts, Person, "counterparts", "the people you have been dealing with")

    others = _check_other_agencies(by, _instances(other_agencies, Agency, "other_agencies", "the agencies"))
    for person in counterparts:
        if person.agency_id not in {a.pk for a in others} or not person.is_active:
            raise ResolveError(
                _("%(name)s is not an active member of an agency you disagree with.") % {"name": person.name},
                field="counterparts",
            )
        if person.partnership_id != partnership.pk:
            raise ResolveError(
                _(
                    "%(name)s is in another partnership: invite them once the disagreement is raised, at the "
                    "level of its stage (Invite a counterpart from another partnership)."
                )
                % {"name": person.name},
                field="counterparts",
            )
    if any(a.partnership_id != partnership.pk for a in others) and CROSS_BOROUGH_FLAG in {
        f.slug for f in procedure.flags
    }:
        flags = [*flags, CROSS_BOROUGH_FLAG]  # Enfield section 9 (L88-90) applies: its words and notices
    chosen_category, chosen = _choose_category_and_pathway(procedure, category, pathway)
    position = _choose_start(chosen, start_stage, urgent=urgent)
    if position > 0 and not urgent_reason:
        raise ResolveError(_("Enter why this needs urgent resolution."), field="urgent_reason")
    _check_flags_and_conference(procedure, chosen, flags, conference_kind)

    disagreement = Disagreement.objects.create(
        partnership=partnership,
        reference=_next_reference(partnership, now),
        procedure_version=version,
        pathway=chosen.slug,
        category=chosen_category.slug if chosen_category else "",
        child=found,
        raised_by=by,
        raising_agency=by.agency,
        **text,
        significant_harm=significant_harm,
        urgent=urgent,
        urgent_reason=urgent_reason,
        child_protection=child_protection,
        flags=sorted(set(flags)),
        conference_kind=conference_kind,
        raised_at=start,
        entered_at=now,
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
            **({"started_at": start.isoformat()} if start != now else {}),
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
    stages.stage_open(disagreement=disagreement, position=position, entry=entry, by=by, at=now, started_at=start)
    return disagreement


def _next_reference(partnership: Partnership, now: datetime) -> str:
    """The partnership's next short reference for the year, such as NEL-2026-0042.

    The year's counter row is locked until the raise commits, so two people raising at once get two
    numbers; the number never repeats in a year, whatever the partnership's letters become.
    """
    year = timezone.localtime(now).year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(partnership=partnership, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{partnership.reference_letters}-{year}-{counter.last:04d}"


def start_checked(started_at: object, *, now: datetime, not_before: datetime, after: str = "") -> datetime:
    """When something began: ``now``, or an earlier moment given with its time zone, not before ``not_before``.

    ``after`` names what it cannot come before (the stage before it); otherwise the bound is four weeks.
    """
    if started_at is None:
        return now
    if not isinstance(started_at, datetime) or timezone.is_naive(started_at):
        raise ResolveError(
            _("Give when it started as a date and time with its time zone, or leave it out to start it now."),
            field="started_at",
        )
    if started_at > now:
        raise ResolveError(
            _(
                "When it started cannot be in the future: give the time it began (the conference's date "
                "and time), or leave it out to start it now."
            ),
            field="started_at",
        )
    if started_at < not_before:
        earliest = timezone.localtime(not_before).strftime("%H:%M on %d %B %Y")
        limit = f"after {after} began ({earliest})" if after else f"up to four weeks back (not before {earliest})"
        raise ResolveError(
            _("When it started can be given %(limit)s: check the date.") % {"limit": limit}, field="started_at"
        )
    return started_at


def _child_in(partnership: Partnership, child: object) -> Child:
    """The child's row, locked: the retention run removes a child registered and never used, and
    waits for (or is refused by) a disagreement being raised about them."""
    if not isinstance(child, Child | RegisteredChild):
        raise ResolveError(_("Choose the child the disagreement is about: register them first."), field="child")
    found = Child.objects.select_for_update().filter(pk=child.id, partnership=partnership).first()
    if found is None:
        raise ResolveError(_("That child is not known to this partnership."), field="child")
    return found


def _checked_text(*, expected: object, why: object, what_needed: object, evidence: object) -> dict[str, str]:
    return raise_text_checked(expected=expected, why=why, what_needed=what_needed, evidence=evidence)


#: the raise's free-text answers: (their name in messages, whether one must be given)
RAISE_TEXT: dict[str, tuple[StrPromise, bool]] = {
    "expected": (gettext_lazy("what you expect the other agency to do"), True),
    "why": (gettext_lazy("why you believe the arrangements are not being applied"), True),
    "what_needed": (gettext_lazy("what needs to be done"), True),
    "evidence": (gettext_lazy("the evidence"), False),
    "urgent_reason": (gettext_lazy("why this needs urgent resolution"), False),
}


def raise_text_checked(**answers: object) -> dict[str, str]:
    """The free-text answers given (any of ``RAISE_TEXT``), as ``disagreement_raise`` keeps them.

    Refused as the service refuses them (too long, a NUL character, not text, a required one empty),
    so that a question page can say so when the answer is given rather than on the check page.
    """
    checked = {}
    for name, value in answers.items():
        label, required = RAISE_TEXT[name]
        check = required_text if required else optional_text
        checked[name] = check(value, name, str(label))
    return checked


def _checked_flags(flags: object) -> list[str]:
    if isinstance(flags, str) or not isinstance(flags, Sequence | set | frozenset):
        raise ResolveError(_("Give the flags that apply as a list of the procedure's flags."), field="flags")
    return [required_text(f, "flags", _("each flag"), limit=80) for f in flags]


def _instances(values: object, model: type[M], field: str, what: str) -> list[M]:
    """``values`` as a list of ``model`` rows: refused if it is not a list of them."""
    if isinstance(values, str) or not isinstance(values, Sequence | set | frozenset | QuerySet):
        raise ResolveError(_("Choose %(what)s from the lists given.") % {"what": what}, field=field)
    rows = list(values)
    if not all(isinstance(v, model) for v in rows):
        raise ResolveError(_("Choose %(what)s from the lists given.") % {"what": what}, field=field)
    return rows


#: The flag a procedure names for a disagreement with an agency of another local authority (Enfield
#: section 9, L88-90): set whenever one of the agencies chosen belongs to another partnership.
CROSS_BOROUGH_FLAG = "cross-borough"


def _check_other_agencies(by: Person, other_agencies: Sequence[Agency]) -> list[Agency]:
    """The agencies chosen: active ones of the raiser's partnership other than their own, or of another
    partnership on the installation that has adopted a procedure (a cross-borough disagreement, decision 0015)."""
    others = list({a.pk: a for a in other_agencies}.values())
    if not others:
        raise ResolveError(_("Choose the agency or agencies you disagree with."), field="other_agencies")
    fresh = {a.pk: a for a in Agency.objects.select_related("partnership").filter(pk__in=[a.pk for a in others])}
    for agency in others:
        found = fresh.get(agency.pk)
        if found is None:
            raise ResolveError(_("Choose the agencies from the lists given."), field="other_agencies")
        if found.partnership_id != by.partnership_id and found.partnership.procedure_id is None:
            raise ResolveError(
                _(
                    "%(name)s is in %(partnership)s, which has not adopted a procedure in Resolve: choose an "
                    "agency of a partnership that uses Resolve."
                )
                % {"name": found.name, "partnership": found.partnership.name},
                field="other_agencies",
            )
        if found.retired_at is not None:
            raise ResolveError(
                _("%(name)s has left the partnership: nothing new is raised with it.") % {"name": found.name},
                field="other_agencies",
            )
        if found.pk == by.agency_id:
            raise ResolveError(
                _(
                    "A disagreement is between agencies: choose an agency other than your own. Disagreements "
                    "within one agency go through its own procedures."
                ),
                field="other_agencies",
            )
    return [fresh[a.pk] for a in others]


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
            raise ResolveError(
                _("Choose a category of disagreement: %(names)s.") % {"names": names}, field="category"
            ) from None
        if chosen_category.refuse_with:
            raise Refused(chosen_category.refuse_with, field="category")
    slug = pathway or (chosen_category.pathway if chosen_category else None) or procedure.pathways[0].slug
    try:
        return chosen_category, procedure.pathway(slug)
    except KeyError:
        known = ", ".join(p.slug for p in procedure.pathways)
        raise ResolveError(
            _("The procedure has no pathway %(slug)s; choose one of %(known)s.") % {"slug": repr(slug), "known": known},
            field="pathway",
        ) from None


def _choose_start(pathway: Pathway, start_stage: str | None, *, urgent: bool) -> int:
    """Where the disagreement starts: the first stage, or a later one the procedure lets urgent cases start at."""
    if start_stage is None or start_stage == pathway.stages[0].slug:
        return 0
    try:
        position = pathway.index(start_stage)
    except ValueError:
        known = ", ".join(s.slug for s in pathway.stages)
        raise ResolveError(
            _("%(name)s has no stage %(start_stage)s; its stages are %(known)s.")
            % {"name": pathway.name, "start_stage": repr(start_stage), "known": known},
            field="start_stage",
        ) from None
    if not urgent:
        raise ResolveError(
            _("Only an urgent disagreement may start after the first stage: mark it urgent and say why."),
            field="start_stage",
        )
    if not pathway.stages[position].urgent_start:
        allowed = [s.name for s in pathway.stages if s.urgent_start]
        where = ", ".join(allowed) if allowed else "no later stage: it must start at the first stage"
        raise ResolveError(
            _("The procedure does not let an urgent case start at %(name)s. Urgent cases may start at: %(where)s.")
            % {"name": pathway.stages[position].name, "where": where},
            field="start_stage",
        )
    return position


def _check_flags_and_conference(
    procedure: Procedure, pathway: Pathway, flags: Sequence[str], conference_kind: str
) -> None:
    unknown_flags = sorted(set(flags) - {f.slug for f in procedure.flags})
    if unknown_flags:
        known = ", ".join(f.slug for f in procedure.flags) or "none"
        raise ResolveError(
            _("Unknown flag %(unknown)s; this procedure's flags: %(known)s.")
            % {"unknown": ", ".join(unknown_flags), "known": known},
            field="flags",
        )
    if pathway.conference and pathway.conference.view == "equally_divided":
        if conference_kind not in (Disagreement.ConferenceKind.INITIAL, Disagreement.ConferenceKind.REVIEW):
            raise ResolveError(
                _("Say whether the adjourned conference was an initial or a review conference."),
                field="conference_kind",
            )
    elif conference_kind and not pathway.conference:
        raise ResolveError(
            _("%(name)s is not about a child protection conference.") % {"name": pathway.name}, field="conference_kind"
        )


def _plan_effect(pathway: Pathway, conference_kind: str) -> str:
    """What an equally divided conference means for the child's plan while it is adjourned (NEL L167)."""
    rule = pathway.conference
    if rule is None or rule.plan_while_pending != "continues_or_made_subject":
        return ""
    if conference_kind == Disagreement.ConferenceKind.INITIAL:
        return "made subject of a child protection plan pending the reconvened conference"
    return "continues to be subject of a child protection plan until the conference is reconvened"
