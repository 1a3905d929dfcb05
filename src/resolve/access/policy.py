"""Who may see a disagreement and what they may do to it: the one rule every page, API call and service uses.

Need to know (DESIGN.md): a person sees a disagreement when they take part in it, when someone
they line-manage (directly or further down the chain) takes part in it, or when they hold a
partnership role that the procedure makes a handler of a stage the disagreement has reached.
Being told is not taking part: a role that a notice is only addressed to (Enfield's business unit,
a Practice Improvement Group) does not see the child's record; it sees the notice itself
(``resolve.disagreements.selectors.notices_for``: the reference, the stage and what is due). A
role the procedure names "on request" (NEL's Independent Scrutiny Officer, L85) sees the record
only once someone with the stage's authority has requested it, which makes its holders handlers.

Where the procedure gives a stage's level per agency (Enfield stage 2's "Head of Service or
equivalent": level 3 in Early Help and YOT, 4 in children's social care, police and health,
Appendix B), each person acts at the level of their own agency's seniority-matrix column.

Authority follows the procedure (DESIGN.md): escalating, resolving, proposing and confirming the
written outcome at a stage need someone in an agency in dispute whose seniority level is at least
the stage's handler level (``stage.handlers.level``), or someone who holds, in this partnership, a
role the stage's handlers name. Below the level a person can still raise, record, add actions
and give feedback (the child's welfare never waits for a manager), and the page shows who can
act: their line manager at the stage's level.

Stages that name only partnership roles (Cumbria's formal process: the SCP Chair and the SCP
member; North East Lincolnshire's safeguarding partners and Independent Scrutiny Officer;
Peterborough's independent chair; Enfield's Step 4) are handled by the role holders, but the
agencies in dispute are still parties to them and each must still confirm a written outcome. The
seeds have the people who took the case there carry it on: Cumbria's Executive Lead writes to the
SCP Chair and the SCP member "speak[s] to the two Executive leads" (Cumbria L37-39); NEL's "senior
managers will refer it to the safeguarding partners" and the ISO mediates "with the relevant
senior managers" (NEL L83-85). So on such a stage each agency in dispute acts through someone at
the level of the nearest stage before it that names a level (``rules.acting_level``: Cumbria's
formal process, level 4; NEL's partners' stages, level 3); the role holders can escalate and
resolve, but, being in no agency in dispute, never confirm for one. Where no stage of the pathway
names a level (a pathway that starts with the conference chair), any member of an agency in
dispute acts for it.

A role assignment counts only in its own partnership: every lookup of roles below filters by the
disagreement's (or the person's) partnership.

Cross-borough disagreements (Enfield section 9, L88-90; decision 0015): a disagreement raised in one
partnership may name an agency of another partnership on the same installation. The raising
partnership's procedure governs it, and the other partnership's people see it only as its own
people would: those taking part (a counterpart invited at the stage's level, ``counterpart_invite``),
everyone above them in their line-management chain, and the holders of the other partnership's
roles that match a role the raising procedure makes a handler of a stage it reached
(``rules.matching_roles``: the same slug, else the same kind). Those matched roles count as the
raising procedure's role (``roles_counted``), so the other partnership's chair takes part in
Enfield's Step 4 with the ESCP Chair (READING 2.4: "both partnerships' chairs"). Naming a reviewer
and deciding stay with the raising partnership's own roles. Nobody else in the other partnership
sees it: not its other practitioners, not managers outside the chain, not its administrators.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, Refused
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Participant, StageRun
from resolve.partnerships.models import Agency, Person, RoleAssignment
from resolve.partnerships.selectors import managers_of
from resolve.procedures.models import ProcedureVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from resolve.procedures.schema import Procedure


class Action(StrEnum):
    """What someone can do to a disagreement; every service names the one it performs."""

    VIEW = "view"
    RECORD = "record"  # discussions, meeting records, summaries, actions, corrections, attendees
    ADD_HANDLER = "add_handler"
    PROPOSE_OUTCOME = "propose_outcome"
    CONFIRM_OUTCOME = "confirm_outcome"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    GIVE_FEEDBACK = "give_feedback"
    APPOINT_REVIEWER = "appoint_reviewer"
    DECIDE = "decide"
    SET_DEADLINE = "set_deadline"  # an earlier deadline for the case than the procedure's cap
    RESPOND = "respond"  # the raiser accepts the feedback or outcome, or asks for it to go further
    SCHEDULE_MEETING = "schedule_meeting"  # schedule or move a meeting, and invite people to it
    INVITE_COUNTERPART = "invite_counterpart"  # bring in another partnership's counterpart (cross-borough)
    RECORD_LEARNING = "record_learning"  # wider learning at resolution: gaps, training needs, themes


class AccessRefused(Refused):
    """The policy refused ``person`` this ``action``: carries what the audit trail records."""

    def __init__(self, message: str, *, person: Person, action: Action, disagreement: Disagreement) -> None:
        super().__init__(message)
        self.person = person
        self.action = action
        self.disagreement = disagreement


class AccessNotFound(NotFound):
    """The person may not see the disagreement at all: told "not found", and recorded as a refusal."""

    def __init__(self, message: str, *, person: Person, action: Action, disagreement: Disagreement) -> None:
        super().__init__(message)
        self.person = person
        self.action = action
        self.disagreement = disagreement


#: Actions that change a disagreement once it is closed (resolved or withdrawn).
AFTER_CLOSE = {Action.VIEW, Action.GIVE_FEEDBACK, Action.RESPOND, Action.RECORD_LEARNING}

#: Actions that need the authority of the current stage (its level, or one of its roles).
STAGE_AUTHORITY = {
    Action.PROPOSE_OUTCOME,
    Action.CONFIRM_OUTCOME,
    Action.ESCALATE,
    Action.RESOLVE,
    Action.SET_DEADLINE,
}


def people_managed_by(person: Person) -> set[UUID]:
    """Everyone below ``person`` in the line-management chain, at any depth."""
    below: set[UUID] = set()
    frontier = {person.pk}
    while frontier:
        reports = set(Person.objects.filter(line_manager__in=frontier).values_list("pk", flat=True))
        frontier = reports - below - {person.pk}
        below |= frontier
    return below


def roles_held(person: Person, partnership_id: UUID) -> set[str]:
    """The role slugs ``person`` holds in this partnership (an assignment elsewhere counts for nothing)."""
    if person.partnership_id != partnership_id:
        return set()
    return set(
        RoleAssignment.objects.filter(person=person, partnership_id=partnership_id).values_list("role", flat=True)
    )


def roles_counted(person: Person, disagreement: Disagreement) -> set[str]:
    """The raising procedure's role slugs that ``person`` holds for this disagreement.

    In the disagreement's own partnership, the roles held there. In another partnership whose agency
    is in dispute (cross-borough), the raising procedure's roles that a role held there matches
    (``rules.matching_roles``). Anywhere else, none.
    """
    if person.partnership_id == disagreement.partnership_id:
        return roles_held(person, disagreement.partnership_id)
    held = roles_held(person, person.partnership_id)
    if not held or person.partnership_id not in rules.other_partnership_ids(disagreement):
        return set()
    return _mapped(rules.procedure_of(disagreement), held, _own_procedure(person))


def _mapped(procedure: Procedure, held: set[str], own: Procedure | None) -> set[str]:
    """``procedure``'s roles matched by a role in ``held`` of another partnership's procedure ``own``."""
    return {r.slug for r in procedure.roles if rules.matching_roles(procedure, r.slug, own) & held}


#: The partnership roles that see the oversight dashboard, the board reports and the learning log
#: (besides the partnership's administrators): the business unit and the chair.
OVERSIGHT_ROLE_KINDS = frozenset({"business_unit", "chair"})


def oversees(person: Person, partnership_id: UUID) -> bool:
    """Does ``person`` hold one of the partnership's business-unit or chair roles (its own partnership only)?

    A partnership's administrators oversee it too: ``resolve.reports.access.oversight_check`` adds them.
    """
    if not person.is_active or person.partnership_id != partnership_id:
        return False
    procedure = _own_procedure(person)
    if procedure is None:
        return False
    kinds = {r.slug: r.kind for r in procedure.roles}
    return any(kinds.get(slug) in OVERSIGHT_ROLE_KINDS for slug in roles_held(person, partnership_id))


def may_register_child(person: Person) -> bool:
    """Registering or finding a child: someone active in one of the partnership's agencies, or
    holding (in their partnership) a role its procedure names. Nobody else has a case to raise."""
    if not person.is_active:
        return False
    if person.agency_id is not None:
        return True
    version = person.partnership.procedure
    if version is None:
        return False
    return bool(roles_held(person, person.partnership_id) & {r.slug for r in version.procedure.roles})


def stages_reached_by_roles_of(person: Person, *, on_request: bool = False) -> Q:
    """Disagreements that reached a stage the procedure has handled by a role this person holds.

    Only ``handlers.roles``: an on-request role takes part once requested (its holders are then
    participants), and a role a notice is merely addressed to takes no part at all. ``on_request``
    also counts the stages that name the role on request (the oversight list names them).

    In the person's partnership, by the roles held; in a cross-borough disagreement raised elsewhere
    that involves one of the person's partnership's agencies, by the raising procedure's roles those
    match (``roles_counted``).
    """
    held = roles_held(person, person.partnership_id)
    if not held:
        return Q(pk__in=[])
    mine = Disagreement.objects.filter(partnership=person.partnership_id)
    elsewhere = involving_partnership(person.partnership_id).exclude(partnership=person.partnership_id)
    reached = Q(pk__in=[])
    for scope, mapping in ((mine, False), (elsewhere, True)):
        versions = scope.values_list("procedure_version", flat=True).distinct()
        for version in ProcedureVersion.objects.filter(pk__in=versions):
            roles = _mapped(version.procedure, held, _own_procedure(person)) if mapping else held
            for pathway in version.procedure.pathways:
                stages = [
                    s.slug
                    for s in pathway.stages
                    if roles & (set(s.handlers.roles) | (set(s.handlers.on_request) if on_request else set()))
                ]
                if stages:
                    runs = StageRun.objects.filter(stage__in=stages).values("disagreement_id")
                    reached |= Q(
                        pk__in=scope.filter(procedure_version=version.pk, pathway=pathway.slug, pk__in=runs).values(
                            "pk"
                        )
                    )
    return reached


def _own_procedure(person: Person) -> Procedure | None:
    version = person.partnership.procedure
    return version.procedure if version is not None else None


def involving_partnership(partnership_id: UUID) -> QuerySet[Disagreement]:
    """The disagreements raised in the partnership, or naming one of its agencies (cross-borough)."""
    named = Disagreement.other_agencies.through.objects.filter(agency__partnership=partnership_id).values(
        "disagreement_id"
    )
    return Disagreement.objects.filter(Q(partnership=partnership_id) | Q(pk__in=named))


def disagreements_visible_to(person: Person) -> QuerySet[Disagreement]:
    """What ``person`` may see (the module's docstring is the rule).

    Only disagreements raised in the person's partnership or naming one of its agencies; of those,
    the ones someone taking part is the person or below them in their chain, and the ones at a stage
    the person's roles handle. Another partnership's people taking part in a cross-borough case were
    invited (``counterpart_invite``) or joined as its stage's matched role holders.
    """
    if not person.is_active:
        return Disagreement.objects.none()
    people = people_managed_by(person) | {person.pk}
    taking_part = Participant.objects.filter(person__in=people).values("disagreement_id")
    return involving_partnership(person.partnership_id).filter(
        Q(pk__in=taking_part) | stages_reached_by_roles_of(person)
    )


def can_see(person: Person, disagreement: Disagreement) -> bool:
    return disagreements_visible_to(person).filter(pk=disagreement.pk).exists()


def _in_party_agency(person: Person, disagreement: Disagreement) -> bool:
    return person.agency_id is not None and person.agency_id in rules.party_agency_ids(disagreement)


def _takes_part_as(person: Person, disagreement: Disagreement, *capacities: str) -> bool:
    return disagreement.participants.filter(person=person, capacity__in=capacities).exists()


def _role_kinds(person: Person, disagreement: Disagreement) -> set[str]:
    held = roles_held(person, disagreement.partnership_id)
    procedure = disagreement.procedure_version.procedure
    return {r.kind for r in procedure.roles if r.slug in held}


def _at_level(person: Person, level: int | None) -> bool:
    return level is None or (person.level is not None and person.level >= level)


def handles_stage(person: Person, run: StageRun) -> bool:
    """Does ``person`` have the authority of ``run``'s stage: one of its roles, or its level in an agency in dispute?

    The level is the one for the person's own agency (``handlers.levels``, by its seniority-matrix
    column); an on-request role counts only once requested at this run (``rules.requested_roles``).
    A handler added to the stage (``participant_add``) was checked for the same when added.
    """
    disagreement = run.disagreement
    stage = rules.stage_of(run)
    held = roles_counted(person, disagreement)
    if held & set(stage.handlers.roles):
        return True
    if held & set(stage.handlers.on_request) & rules.requested_roles(run):
        return True
    return _in_party_agency(person, disagreement) and _at_level(
        person, rules.acting_level(disagreement, run, person.agency)
    )


def may_be_handler(person: Person, run: StageRun) -> bool:
    """Can ``person`` be added as a handler of ``run``'s stage? The same authority, in an active membership."""
    return person.is_active and person.partnership_id == run.disagreement.partnership_id and handles_stage(person, run)


def _manages_someone_taking_part(person: Person, disagreement: Disagreement) -> bool:
    below = people_managed_by(person)
    return bool(below) and disagreement.participants.filter(person__in=below).exists()


def _authorised(person: Person, action: Action, disagreement: Disagreement) -> bool:
    """Who may do ``action``, whatever the disagreement's state (the person already sees it)."""
    run = rules.latest_run(disagreement)
    assert run is not None  # every disagreement starts with a stage run
    if action == Action.VIEW:
        return True
    if action in STAGE_AUTHORITY:
        if action in (Action.PROPOSE_OUTCOME, Action.CONFIRM_OUTCOME) and not _in_party_agency(person, disagreement):
            return False
        return handles_stage(person, run)
    if action == Action.ADD_HANDLER:
        return handles_stage(person, run) or _manages_someone_taking_part(person, disagreement)
    if action == Action.RECORD_LEARNING:
        # whoever handles its latest stage, or closed it (Enfield L82-86: learning identified at resolution)
        return person.pk == disagreement.closed_by_id or handles_stage(person, run)
    if action == Action.WITHDRAW:
        return person.agency_id is not None and person.agency_id == disagreement.raising_agency_id
    if action == Action.RESPOND:
        # the raiser, or once they have left, whoever took their part over (rules.raiser_of)
        return person.pk == rules.raiser_of(disagreement).pk
    if action == Action.INVITE_COUNTERPART:
        return person.pk == rules.raiser_of(disagreement).pk or handles_stage(person, run)
    if action == Action.APPOINT_REVIEWER:
        return bool(_role_kinds(person, disagreement) & {"chair", "reviewer_appointer"})
    if action == Action.DECIDE:
        # from none of the agencies in dispute; once the chair has named the reviewer, only them
        if _in_party_agency(person, disagreement):
            return False
        if disagreement.reviewer_id is not None:
            return person.pk == disagreement.reviewer_id
        return _takes_part_as(person, disagreement, "reviewer") or "independent_reviewer" in _role_kinds(
            person, disagreement
        )
    if action == Action.SCHEDULE_MEETING:
        # the stage's handlers (its level, its roles), and whoever may record at it
        return (
            handles_stage(person, run)
            or _in_party_agency(person, disagreement)
            or _takes_part_as(person, disagreement, "handler")
        )
    if action == Action.GIVE_FEEDBACK and person.pk == rules.raiser_of(disagreement).pk:
        return False  # feedback is for the person who raised it (Enfield L64), given by someone else
    # RECORD and GIVE_FEEDBACK: the agencies in dispute and the people handling its stages.
    return _in_party_agency(person, disagreement) or _takes_part_as(person, disagreement, "handler")


def _possible(action: Action, disagreement: Disagreement) -> bool:
    """Can ``action`` be done at all in the disagreement's present state (whoever asks)?"""
    if not disagreement.is_open:
        if action == Action.RECORD_LEARNING:
            return disagreement.status == Disagreement.Status.RESOLVED  # a withdrawn one taught nothing recorded
        return action in AFTER_CLOSE
    run = rules.latest_run(disagreement)
    assert run is not None
    if action == Action.ESCALATE:
        return not rules.is_last_stage(run)
    if action in (Action.APPOINT_REVIEWER, Action.DECIDE):
        return rules.stage_of(run).independent_reviewer
    if action == Action.SET_DEADLINE:
        return any(t.case_may_set for t in rules.stage_of(run).timescales)
    if action == Action.INVITE_COUNTERPART:
        return bool(rules.other_partnership_ids(disagreement))
    return True


def allowed(person: Person, action: Action, disagreement: Disagreement) -> bool:
    """May ``person`` do ``action`` to ``disagreement`` now? Pages show a button exactly when this is true.

    Seeing it is the first condition of all; then who the person is (``require`` checks the same);
    then whether the action can be done at all in its present state (the services refuse that with
    their own message: closed, last stage, not a reviewer's stage, no outcome waiting for the
    person's agency to confirm). Records still missing are not checked here: the page offers the
    action and the service says what to record first.
    """
    if not can_see(person, disagreement):
        return False
    if not (_authorised(person, action, disagreement) and _possible(action, disagreement)):
        return False
    if action == Action.CONFIRM_OUTCOME:
        return _outcome_waiting_for(person, disagreement)
    if action == Action.RESPOND:
        return rules.answerable(disagreement) is not None
    return True


def _outcome_waiting_for(person: Person, disagreement: Disagreement) -> bool:
    """Is there a current written outcome that the person's agency has neither confirmed nor disputed?"""
    run = rules.latest_run(disagreement)
    outcome = rules.latest_outcome(run) if run is not None else None
    if outcome is None or person.agency_id is None:
        return False
    if outcome.disputes.filter(agency_id=person.agency_id).exists():
        return False  # disputed: only a new proposal asks the agency again
    return not outcome.confirmations.filter(agency_id=person.agency_id).exists()


def require(person: Person, action: Action, disagreement: Disagreement) -> None:
    """Refuse with "not found" if the person cannot see it, else with a reason if they may not do this.

    Both refusals carry who asked for what, so that the service's decorator (``resolve.access.audit``)
    records an ``ACCESS_REFUSED`` entry once the service's own changes have rolled back.
    """
    if not can_see(person, disagreement):
        raise AccessNotFound(
            _("There is no such disagreement, or you do not have access to it."),
            person=person,
            action=action,
            disagreement=disagreement,
        )
    if not _authorised(person, action, disagreement):
        raise AccessRefused(
            reason(person, action, disagreement), person=person, action=action, disagreement=disagreement
        )


def who_can_act(disagreement: Disagreement) -> str:
    """Who has the current stage's authority, in words for a page or a refusal."""
    run = rules.latest_run(disagreement)
    assert run is not None
    stage = rules.stage_of(run)
    level = rules.acting_level(disagreement, run)
    procedure = disagreement.procedure_version.procedure
    requested = rules.requested_roles(run) & set(stage.handlers.on_request)
    names = [r.name for r in procedure.roles if r.slug in stage.handlers.roles or r.slug in requested]
    names += [
        _("%(role)s (once requested)") % {"role": r.name}
        for r in procedure.roles
        if r.slug in stage.handlers.on_request and r.slug not in requested
    ]
    who = []
    if level is not None:
        others = [
            _("level %(level)s or above in %(agency)s") % {"level": own, "agency": agency.name}
            for agency in Agency.objects.filter(pk__in=rules.party_agency_ids(disagreement)).order_by("name")
            if (own := rules.acting_level(disagreement, run, agency)) != level
        ]
        anyone = _("someone at level %(level)s or above in an agency in dispute") % {"level": level}
        who.append(anyone + (f" ({'; '.join(others)})" if others else ""))
    else:
        who.append(_("someone in an agency in dispute"))
    if names:
        who.append(_("the %(roles)s") % {"roles": _(" or the ").join(names)})
    return _("At %(stage)s that is %(who)s (%(description)s [%(source)s]).") % {
        "stage": stage.name,
        "who": _(" or ").join(who),
        "description": stage.handlers.description.strip(),
        "source": stage.handlers.source,
    }


def people_who_can_act(disagreement: Disagreement) -> list[Person]:
    """The people who have the current stage's authority and see the disagreement, for the page to name.

    Those taking part and everyone above them in their line-management chain, and the holders of the
    stage's roles in this partnership, who are at the stage's level in an agency in dispute or hold
    one of its roles: a practitioner below the level sees here the line manager who acts.
    """
    run = rules.latest_run(disagreement)
    assert run is not None
    candidates: dict[UUID, Person] = {}
    for participant in disagreement.participants.select_related("person__line_manager"):
        for person in (participant.person, *managers_of(participant.person)):
            candidates[person.pk] = person
    for assignment in RoleAssignment.objects.filter(
        partnership=disagreement.partnership_id,
        person__partnership=disagreement.partnership_id,
        role__in=rules.stage_of(run).handlers.roles,
    ).select_related("person"):
        candidates[assignment.person.pk] = assignment.person
    able = [p for p in candidates.values() if p.is_active and handles_stage(p, run) and can_see(p, disagreement)]
    return sorted(able, key=lambda p: (p.name, str(p.pk)))


def reason(person: Person, action: Action, disagreement: Disagreement) -> str:
    """Why ``person`` may not do ``action``: what the procedure asks, and who can."""
    if action in (Action.PROPOSE_OUTCOME, Action.CONFIRM_OUTCOME) and not _in_party_agency(person, disagreement):
        return str(REASONS[action])
    if action == Action.DECIDE and _in_party_agency(person, disagreement):
        return _(
            "The reviewer must come from none of the agencies in dispute: someone in an agency in "
            "this dispute cannot record the decision."
        )
    if action == Action.DECIDE and disagreement.reviewer_id is not None:
        return _("Only the reviewer the chair named can record the decision.")
    if action == Action.GIVE_FEEDBACK and person.pk == rules.raiser_of(disagreement).pk:
        return _("Feedback is for you, as the person who raised it: someone else in the agencies in dispute gives it.")
    if action in STAGE_AUTHORITY or action in (Action.ADD_HANDLER, Action.INVITE_COUNTERPART, Action.RECORD_LEARNING):
        return _("%(reason)s %(who)s Ask your line manager to act.") % {
            "reason": REASONS[action],
            "who": who_can_act(disagreement),
        }
    return str(REASONS[action])


REASONS: dict[Action, StrPromise] = {
    Action.RECORD: gettext_lazy(
        "Only the agencies in dispute and the people handling its stages can add to this disagreement."
    ),
    Action.ADD_HANDLER: gettext_lazy(
        "Only the stage's handlers, or a manager of someone taking part, can add a handler."
    ),
    Action.PROPOSE_OUTCOME: gettext_lazy(
        "Only someone in one of the agencies in dispute, at the stage's level, can propose its outcome."
    ),
    Action.CONFIRM_OUTCOME: gettext_lazy(
        "Only someone in one of the agencies in dispute, at the stage's level, can confirm its outcome."
    ),
    Action.ESCALATE: gettext_lazy("Only the people with the authority of the current stage can escalate it."),
    Action.RESOLVE: gettext_lazy("Only the people with the authority of the current stage can resolve it."),
    Action.WITHDRAW: gettext_lazy("Only the agency that raised this disagreement can withdraw it."),
    Action.GIVE_FEEDBACK: gettext_lazy(
        "Only the agencies in dispute and the people handling its stages can give feedback."
    ),
    Action.APPOINT_REVIEWER: gettext_lazy("Only the partnership's chair can name the independent reviewer."),
    Action.DECIDE: gettext_lazy("Only the independent reviewer can record the decision."),
    Action.SET_DEADLINE: gettext_lazy(
        "Only the people with the authority of the current stage can set its deadline for the case."
    ),
    Action.RESPOND: gettext_lazy(
        "Only the person who raised this disagreement can accept its outcome or ask for it to go further."
    ),
    Action.SCHEDULE_MEETING: gettext_lazy(
        "Only the agencies in dispute and the people handling its stages can schedule or move its meetings."
    ),
    Action.INVITE_COUNTERPART: gettext_lazy(
        "Only the person who raised it, or someone with the authority of the current stage, can invite a "
        "counterpart from another partnership."
    ),
    Action.RECORD_LEARNING: gettext_lazy(
        "Only the people with the authority of the current stage, or the person who resolved it, can record its "
        "wider learning."
    ),
}
