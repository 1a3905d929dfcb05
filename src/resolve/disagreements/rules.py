"""What the procedure requires of a disagreement at a stage, read from its definition (reads only).

Used by the services (which refuse a transition whose requirements are unmet) and by selectors
(which show what is still needed). Nothing here writes: starting a stage, storing a deadline,
raising notices and adding a participant are services (``services/stages.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext as _

from resolve.calendar import WorkingCalendar
from resolve.disagreements.models import (
    Disagreement,
    Participant,
    RecordEntry,
    StageRun,
    WrittenOutcome,
)
from resolve.partnerships.models import Agency, Partnership, Person, RoleAssignment
from resolve.partnerships.selectors import calendar_for, managers_of
from resolve.procedures.engine import Circumstances, Due, stage_deadlines
from resolve.procedures.schema import LEVEL_RECIPIENT, Notification, Pathway, Procedure, RecordRequirement, Stage


def procedure_of(disagreement: Disagreement) -> Procedure:
    return disagreement.procedure_version.procedure


def pathway_of(disagreement: Disagreement) -> Pathway:
    return procedure_of(disagreement).pathway(disagreement.pathway)


def stage_of(run: StageRun) -> Stage:
    return pathway_of(run.disagreement).stage(run.stage)


def circumstances_of(disagreement: Disagreement) -> Circumstances:
    return Circumstances(
        significant_harm=disagreement.significant_harm,
        urgent=disagreement.urgent,
        child_protection=disagreement.child_protection,
        flags=frozenset(disagreement.flags),
    )


def is_urgent(disagreement: Disagreement) -> bool:
    """Whether what is said of it goes at any hour and is never held for a digest.

    A risk of significant harm, an urgent start, or a child-protection matter (Cumbria's 24 hours, L37):
    the clock does not wait for the working day.
    """
    return disagreement.significant_harm or disagreement.urgent or disagreement.child_protection


def party_agency_ids(disagreement: Disagreement) -> set[UUID]:
    """The agencies in dispute: the raising agency and every agency it disagrees with."""
    ids = set(disagreement.other_agencies.values_list("pk", flat=True))
    ids.add(disagreement.raising_agency_id)
    return ids


def other_partnership_ids(disagreement: Disagreement) -> set[UUID]:
    """The partnerships, besides the raising one, whose agencies are in dispute (a cross-borough case,
    Enfield section 9, L88-90). Empty for a disagreement within one partnership."""
    return set(
        Agency.objects.filter(disputed=disagreement)
        .exclude(partnership=disagreement.partnership_id)
        .values_list("partnership_id", flat=True)
    )


#: Role kinds whose holders in every partnership involved are told what the raising procedure tells
#: its own holders: "both partnerships' business units" (issue 18) and, in Enfield's Step 4, "both
#: partnerships' chairs" (READING 2.4). Other roles are told in the raising partnership only.
TOLD_IN_EACH_PARTNERSHIP = frozenset({"business_unit", "chair"})


def matching_roles(procedure: Procedure, slug: str, other: Procedure | None) -> set[str]:
    """The roles of another partnership's procedure (``other``) that stand for ``procedure``'s role ``slug``.

    The same slug where the other procedure names it (two partnerships on one protocol, as London's
    boroughs are); otherwise the roles of the same kind (a chair is a chair), except kind ``other``,
    which says nothing about what the role is and so matches nothing. ``other`` None (no procedure
    adopted there): the same slug.
    """
    if other is None or any(r.slug == slug for r in other.roles):
        return {slug}
    kind = next((r.kind for r in procedure.roles if r.slug == slug), None)
    if kind is None or kind == "other":
        return set()
    return {r.slug for r in other.roles if r.kind == kind}


def outcome_confirmed(outcome: WrittenOutcome, parties: set[UUID]) -> bool:
    confirmed = set(outcome.confirmations.values_list("agency_id", flat=True))
    return parties <= confirmed


def latest_outcome(run: StageRun) -> WrittenOutcome | None:
    return run.outcomes.order_by("-proposed_at").first()


def confirmed_outcome(run: StageRun) -> WrittenOutcome | None:
    """The stage's latest written outcome, if every party agency has confirmed it."""
    outcome = latest_outcome(run)
    if outcome is not None and outcome_confirmed(outcome, party_agency_ids(run.disagreement)):
        return outcome
    return None


def standing_decision(run: StageRun) -> RecordEntry | None:
    """The independent reviewer's decision at this stage as it stands, if no one else rewrote it.

    A correction is a new entry pointing at the one it corrects, so a decision stands as its latest
    version; it counts only when every version is by the reviewer who made it (and who was named,
    where the chair named one). A decision someone else rewrote is no decision: the service refuses
    such a correction, and this refuses to count one however the rows came to say it.
    """
    decisions = list(run.records.filter(kind=RecordEntry.Kind.REVIEWER_DECISION).order_by("-created_at"))
    by_pk = {entry.pk: entry for entry in decisions}
    superseded = {entry.corrects_id for entry in decisions if entry.corrects_id is not None}
    named = run.disagreement.reviewer_id
    for entry in decisions:
        if entry.pk in superseded:
            continue
        authors = set()
        version: RecordEntry | None = entry
        while version is not None:
            authors.add(version.author_id)
            version = by_pk.get(version.corrects_id) if version.corrects_id is not None else None
        if len(authors) == 1 and (named is None or authors == {named}):
            return entry
    return None


def requirement_met(run: StageRun, requirement: RecordRequirement) -> bool:
    if requirement.kind == "written_confirmation":
        return confirmed_outcome(run) is not None
    if requirement.kind == "reviewer_decision":
        return standing_decision(run) is not None
    if requirement.kind == "form":
        # one pro-forma is not another (Peterborough's Appendix 2 and Appendix 3): the form named
        return run.records.filter(kind="form", data__form=requirement.form or requirement.title).exists()
    return run.records.filter(kind=requirement.kind).exists()


def record_applies(disagreement: Disagreement, requirement: RecordRequirement) -> bool:
    """Whether the case needs this record: always, or only when it carries the requirement's flag."""
    return requirement.flag is None or requirement.flag in disagreement.flags


def missing_records(run: StageRun, transition: str) -> list[RecordRequirement]:
    stage = stage_of(run)
    return [
        r
        for r in stage.records
        if transition in r.required_before and record_applies(run.disagreement, r) and not requirement_met(run, r)
    ]


def acting_level(disagreement: Disagreement, run: StageRun, agency: Agency | None = None) -> int | None:
    """The seniority level at which ``agency`` (an agency in dispute) acts at ``run``'s stage.

    The stage's handler level for the agency's seniority-matrix column (``handlers.levels``), else
    the stage's ``level`` (also what is returned without an agency); on a stage that names no level
    (only partnership roles, or none), the level of the nearest stage before it in the pathway that
    names one, since the people who took the case there carry it on (see ``resolve.access.policy``).
    ``None``: no level applies.
    """
    return level_at(disagreement, run.position, agency)


def level_at(disagreement: Disagreement, position: int, agency: Agency | None = None) -> int | None:
    """``acting_level`` at the pathway's stage at ``position``, reached or not (the next stage, say)."""
    pathway = pathway_of(disagreement)
    column = agency.matrix_agency if agency is not None else None
    for stage in reversed(pathway.stages[: position + 1]):
        if stage.handlers.level is not None:
            return stage.handlers.level_for(column)
    return None


def requested_roles(run: StageRun) -> set[str]:
    """The on-request roles someone with the stage's authority has requested at this run (``handler_request``).

    Only the request as first written counts: a correction of the record cannot request another role.
    """
    return {
        str(entry.data["requested_role"])
        for entry in run.records.filter(kind=RecordEntry.Kind.WRITTEN_REQUEST, corrects__isnull=True)
        if entry.data.get("requested_role")
    }


def answerable(disagreement: Disagreement) -> datetime | None:
    """When the latest feedback was given or outcome proposed, if there is one the raiser has not answered."""
    feedback = (
        RecordEntry.objects.filter(disagreement=disagreement, kind=RecordEntry.Kind.FEEDBACK)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    outcome = (
        WrittenOutcome.objects.filter(disagreement=disagreement)
        .order_by("-proposed_at")
        .values_list("proposed_at", flat=True)
        .first()
    )
    latest = max((t for t in (feedback, outcome) if t is not None), default=None)
    if latest is None:
        return None
    answered = RecordEntry.objects.filter(
        disagreement=disagreement, kind=RecordEntry.Kind.RAISER_RESPONSE, created_at__gte=latest
    ).exists()
    return None if answered else latest


def raiser_of(disagreement: Disagreement) -> Person:
    """Who answers for the person who raised it: that person while active; once they have left, whoever
    took their part over (``person_leave`` adds the successor as a participant in the raiser's capacity).

    ``raised_by`` never changes (it is history); this is who accepts the feedback or asks for it to go
    further, and who is told as "the raiser". The latest active successor wins: someone who took the
    part over and left in turn handed it on.
    """
    raiser = disagreement.raised_by
    if raiser.is_active:
        return raiser
    taken_over = (
        Participant.objects.filter(
            disagreement=disagreement, capacity=Participant.Capacity.RAISER, person__is_active=True
        )
        .exclude(person=raiser)
        .select_related("person")
        .order_by("-added_at", "-pk")
        .first()
    )
    return taken_over.person if taken_over is not None else raiser


def latest_run(disagreement: Disagreement) -> StageRun | None:
    """The stage run in progress, or (once closed) the last one it reached."""
    return disagreement.stage_runs.order_by("-position").first()


def is_last_stage(run: StageRun) -> bool:
    return run.position + 1 >= len(pathway_of(run.disagreement).stages)


def last_stage_message(run: StageRun) -> str | None:
    """Why ``run``'s stage cannot be escalated because it is the pathway's last, or None."""
    if not is_last_stage(run):
        return None
    pathway = pathway_of(run.disagreement)
    stage = pathway.stage(run.stage)
    if stage.decision_final:
        return _(
            "%(stage)s is the last stage of %(pathway)s; there is nowhere further to escalate it. Its decision "
            "is final. Record the outcome and resolve it."
        ) % {"stage": stage.name, "pathway": pathway.name}
    return _(
        "%(stage)s is the last stage of %(pathway)s; there is nowhere further to escalate it. Record the outcome "
        "and resolve it."
    ) % {"stage": stage.name, "pathway": pathway.name}


def involved_level(disagreement: Disagreement, stage: Stage) -> int:
    """The most senior level involved: the stage's handlers and every person taking part.

    The people actually involved, not the levels a stage could reach in some agency (READING 2.7 on
    Enfield L84: "trigger ... from the Appendix B level of the people actually involved")."""
    levels = [stage.handlers.level or 0]
    levels += [
        lv
        for lv in Person.objects.filter(participations__disagreement=disagreement).values_list("level", flat=True)
        if lv is not None
    ]
    return max(levels)


def run_deadlines(run: StageRun, *, earlier: list[StageRun], calendar: WorkingCalendar | None = None) -> list[Due]:
    """The deadlines of a stage run from today's calendar: at its start, or on an explicit recalculation.

    ``calendar``: a calendar to compute them against instead of the partnership's stored one (what a
    calendar change would do to them, shown before it is saved: ``recalculation.deadlines_moved``).
    """
    disagreement = run.disagreement
    procedure = procedure_of(disagreement)
    pathway = procedure.pathway(disagreement.pathway)
    stage_starts = {r.stage: r.started_at for r in earlier}
    stage_starts[run.stage] = run.started_at
    return stage_deadlines(
        procedure,
        pathway,
        pathway.stage(run.stage),
        calendar=calendar if calendar is not None else calendar_for(disagreement.partnership),
        stage_start=run.started_at,
        disagreement_start=disagreement.raised_at,
        stage_starts=stage_starts,
        circumstances=circumstances_of(disagreement),
        entry_stage=not earlier,
    )


def recipients_for(disagreement: Disagreement, to: str) -> list[Person]:
    """The people a notice addressed to a role or to one of the parties goes to, as far as known."""
    if to == "raiser":
        return [raiser_of(disagreement)]
    parties = [
        p.person
        for p in disagreement.participants.select_related("person__line_manager")
        if p.capacity in (Participant.Capacity.RAISER, Participant.Capacity.COUNTERPART, Participant.Capacity.HANDLER)
    ]
    if to == "parties":
        return parties
    if to == "handlers":
        return [p.person for p in disagreement.participants.filter(capacity=Participant.Capacity.HANDLER)]
    if to == "line_managers":
        found: dict[object, Person] = {}
        for person in parties:
            for manager in managers_of(person)[:1]:
                found[manager.pk] = manager
        return list(found.values())
    holders = [
        a.person
        for a in RoleAssignment.objects.filter(
            partnership=disagreement.partnership,
            person__partnership=disagreement.partnership,
            role=to,
            person__is_active=True,
        ).select_related("person")
    ]
    return holders + _holders_elsewhere(disagreement, to)


def role_holders(disagreement: Disagreement, roles: Iterable[str]) -> list[Person]:
    """The active holders of the raising procedure's ``roles``: in the raising partnership, and in a
    cross-borough case in every other partnership involved, of the roles there that match them
    (``matching_roles``). Those a stage's handlers name take part in it from its start."""
    roles = set(roles)
    found = [
        a.person
        for a in RoleAssignment.objects.filter(
            partnership=disagreement.partnership_id,
            person__partnership=disagreement.partnership_id,
            role__in=roles,
            person__is_active=True,
        ).select_related("person")
    ]
    if not roles:
        return found
    procedure = procedure_of(disagreement)
    for partnership in Partnership.objects.filter(pk__in=other_partnership_ids(disagreement)).select_related(
        "procedure"
    ):
        other = partnership.procedure.procedure if partnership.procedure is not None else None
        matched = set().union(*(matching_roles(procedure, r, other) for r in roles))
        found += [
            a.person
            for a in RoleAssignment.objects.filter(
                partnership=partnership, person__partnership=partnership, role__in=matched, person__is_active=True
            ).select_related("person")
        ]
    return found


def _holders_elsewhere(disagreement: Disagreement, role: str) -> list[Person]:
    """In a cross-borough case, the other partnerships' holders of the role (``TOLD_IN_EACH_PARTNERSHIP``).

    Told, not taking part: a notice opens no record (the access policy decides who sees it).
    """
    procedure = procedure_of(disagreement)
    kind = next((r.kind for r in procedure.roles if r.slug == role), None)
    if kind not in TOLD_IN_EACH_PARTNERSHIP:
        return []
    found: list[Person] = []
    for partnership in (
        Partnership.objects.filter(pk__in=other_partnership_ids(disagreement))
        .select_related("procedure")
        .order_by("name")
    ):
        other = partnership.procedure.procedure if partnership.procedure is not None else None
        found += [
            a.person
            for a in RoleAssignment.objects.filter(
                partnership=partnership,
                person__partnership=partnership,
                role__in=matching_roles(procedure, role, other),
                person__is_active=True,
            )
            .select_related("person")
            .order_by("person__name")
        ]
    return found


def recipients_of(disagreement: Disagreement, notification: Notification, run: StageRun) -> list[Person]:
    """The people ``notification`` goes to at ``run``'s stage, as far as known.

    ``stage_level``: the active people at the stage's handler level in each agency in dispute. A role
    ``within: own_agency``: its holders in the raising agency only. An ``offer`` goes to the raiser,
    who is offered the role's holders in their own agency (``offered_contacts``); they are not told.
    """
    if notification.offer:
        return [raiser_of(disagreement)]
    if notification.to == LEVEL_RECIPIENT:
        found: list[Person] = []
        for agency in Agency.objects.filter(pk__in=party_agency_ids(disagreement)).order_by("name"):
            level = acting_level(disagreement, run, agency)  # the agency's own level (handlers.levels)
            if level is not None:
                found += Person.objects.filter(agency=agency, level=level, is_active=True).order_by("name")
        return found
    people = recipients_for(disagreement, notification.to)
    if notification.within == "own_agency":
        return [p for p in people if p.agency_id == disagreement.raising_agency_id]
    return people


def offered_contacts(disagreement: Disagreement, run: StageRun) -> list[tuple[Notification, list[Person]]]:
    """The advice ``run``'s stage offers the raiser, each with whom they may ask in their own agency.

    Peterborough L36: "professionals should seek the advice and support of the safeguarding lead within
    their organisation": the worker seeks it, so the lead is named to them, never told.
    """
    stage = stage_of(run)
    offers = [n for n in (*stage.notifications, *procedure_of(disagreement).notifications) if n.offer]
    return [
        (
            n,
            [
                a.person
                for a in RoleAssignment.objects.filter(
                    partnership=disagreement.partnership,
                    role=n.to,
                    person__agency=disagreement.raising_agency_id,
                    person__is_active=True,
                ).select_related("person")
            ],
        )
        for n in offers
    ]
