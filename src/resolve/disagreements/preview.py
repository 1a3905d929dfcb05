"""What an action page shows before the person confirms: read from the definition, never decided here.

The next stage's deadlines are computed by the engine the service uses (``rules.run_deadlines`` on the
stage as it would start now), so that what the escalate page promises is what escalating gives. The
choices the other pages offer (roles on request, deadlines a case may set, the conference's views)
are the definition's; the services check them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.audit.models import Event, Verb
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, StageDeadline, StageRun
from resolve.disagreements.selectors import counterparts_at
from resolve.disagreements.services.guards import describe_missing
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import Counterpart
from resolve.procedures.engine import Due
from resolve.procedures.schema import ConferenceRule, Stage


def current(disagreement: Disagreement) -> StageRun:
    """The stage in progress, or the last one reached once the disagreement is closed."""
    run = rules.latest_run(disagreement)
    assert run is not None  # every disagreement starts with a stage run
    return run


@dataclass(frozen=True)
class EscalationPreview:
    current: StageRun
    stage: Stage
    #: who handles the next stage in each of the other agencies, from the seniority matrix
    counterparts: list[Counterpart]
    #: the partnership roles that handle the next stage, by name
    roles: list[str]
    #: the next stage's deadlines and instructions, counted from now
    deadlines: list[Due]
    #: the records the procedure requires before escalating, still missing (the service's words)
    missing: str | None
    #: whether the next stage may be given an earlier start (a conference that met before it was entered)
    may_give_start: bool


def escalation_preview(*, person: Person, disagreement: Disagreement, now: datetime | None = None) -> EscalationPreview:
    """The next stage as escalating now would start it (``disagreement`` is one ``person`` may see).

    Only for a disagreement that is not at its last stage (``allowed(ESCALATE)`` says so).
    """
    now = now or timezone.now()
    run = current(disagreement)
    pathway = rules.pathway_of(disagreement)
    stage = pathway.stages[run.position + 1]
    earlier = list(disagreement.stage_runs.order_by("position"))
    upcoming = StageRun(
        disagreement=disagreement, stage=stage.slug, name=stage.name, position=run.position + 1, started_at=now
    )
    roles = {r.slug: r.name for r in rules.procedure_of(disagreement).roles}
    return EscalationPreview(
        current=run,
        stage=stage,
        counterparts=counterparts_at(disagreement=disagreement, person=person, upcoming=True),
        roles=[roles.get(slug, slug) for slug in stage.handlers.roles],
        deadlines=rules.run_deadlines(upcoming, earlier=earlier),
        missing=describe_missing(run, "escalate"),
        # NEL's reconvened conference (L165) and a stage whose start is an event (``start_is``)
        may_give_start=stage.conference is not None or stage.start_is is not None,
    )


def resolution_missing(disagreement: Disagreement) -> str | None:
    """The records the procedure requires before resolving, still missing (the service's words)."""
    return describe_missing(current(disagreement), "resolve")


def roles_on_request(disagreement: Disagreement) -> list[tuple[str, str]]:
    """The roles the current stage makes "on request" that have not been requested yet: (slug, name)."""
    run = current(disagreement)
    stage = rules.stage_of(run)
    procedure = rules.procedure_of(disagreement)
    requested = rules.requested_roles(run)
    return [(slug, procedure.role(slug).name) for slug in stage.handlers.on_request if slug not in requested]


def deadlines_case_may_set(disagreement: Disagreement) -> list[StageDeadline]:
    """The current stage's dated caps that the procedure lets a case set earlier (``case_may_set``)."""
    run = current(disagreement)
    settable = {t.slug for t in rules.stage_of(run).timescales if t.case_may_set}
    return [
        d
        for d in run.current_deadlines().filter(kind=StageDeadline.Kind.PROCEDURE).order_by("due")
        if d.timescale in settable and d.due is not None
    ]


#: the views a conference record may give at each conference stage of a pathway (NEL section 3)
CONFERENCE_STAGE_VIEWS = {
    "majority_decision": ("majority",),  # L129: there is a majority view
    "adjournment": ("equally_divided",),  # L159: an equally divided view adjourns the conference
    "reconvened": ("unanimous", "majority", "equally_divided"),  # L171: a unanimous or majority view, or neither
}


@dataclass(frozen=True)
class ConferencePreview:
    stage: Stage
    rule: ConferenceRule | None
    views: tuple[str, ...]
    #: when the conference was adjourned (the adjournment stage's start) and its reconvene deadline
    adjourned_at: datetime | None
    reconvene: StageDeadline | None
    #: what the adjournment means for this child's plan, as recorded when it was raised (NEL L167), or ""
    plan: str = ""


def conference_preview(disagreement: Disagreement) -> ConferencePreview | None:
    """What the conference page shows at the current stage; None where the stage holds no conference."""
    run = current(disagreement)
    stage = rules.stage_of(run)
    if stage.conference is None:
        return None
    adjournment = next(
        (
            r
            for r in disagreement.stage_runs.order_by("position")
            if rules.pathway_of(disagreement).stage(r.stage).conference == "adjournment"
        ),
        None,
    )
    reconvene = None
    if adjournment is not None:
        dated = [d for d in adjournment.governing_deadlines().order_by("due") if d.due is not None]
        reconvene = dated[0] if dated else None
    return ConferencePreview(
        stage=stage,
        rule=rules.pathway_of(disagreement).conference,
        views=CONFERENCE_STAGE_VIEWS[stage.conference],
        adjourned_at=adjournment.started_at if adjournment is not None else None,
        reconvene=reconvene,
        plan=_plan_recorded(disagreement),
    )


def _plan_recorded(disagreement: Disagreement) -> str:
    """The child's plan while the conference is adjourned: initial (made subject of one) or review (continues)."""
    raised = Event.objects.filter(disagreement=disagreement, verb=Verb.RAISED).values_list("data", flat=True).first()
    return str(raised.get("child_protection_plan") or "") if isinstance(raised, dict) else ""


def reviewer_candidates(disagreement: Disagreement) -> list[Person]:
    """The partnership's active people from none of the agencies in dispute: whom the chair may name."""
    return list(
        Person.objects.filter(partnership=disagreement.partnership_id, is_active=True)
        .exclude(agency_id__in=rules.party_agency_ids(disagreement))
        .select_related("agency")
        .order_by("name", "pk")
    )


def not_offered(disagreement: Disagreement, page: str) -> str | None:
    """Why the current stage offers no ``page`` at all, in the words the service refuses with, or None.

    ``page``: ``reviewer`` (the reviewer and the decision), ``handler``, ``deadline`` or ``conference``.
    """
    if not disagreement.is_open:
        return None
    run = current(disagreement)
    stage = rules.stage_of(run)
    if page == "reviewer" and not stage.independent_reviewer:
        return _("%(name)s is not decided by an independent reviewer.") % {"name": run.name}
    if page == "handler" and not roles_on_request(disagreement):
        if stage.handlers.on_request:
            return _("Every role %(name)s makes available on request has been requested.") % {"name": run.name}
        return _("%(name)s names no role to request: its handlers take part from the stage's start.") % {
            "name": run.name
        }
    if page == "deadline" and not deadlines_case_may_set(disagreement):
        return _("The procedure sets no deadline at %(name)s that the case may set earlier.") % {"name": run.name}
    if page == "conference" and stage.conference is None:
        return _("%(name)s holds no child protection conference, so there is no conference view to record.") % {
            "name": run.name
        }
    return None
