"""The partnership's adopted procedure as a person reads it: its pathways, each stage in words, a
flowchart, and the what-if of every deadline (``resolve timeline``, in a page).

Read by anyone with a person in the partnership: these pages hold no child's data, so nothing here is
logged as a read. Everything is scoped by the person's own partnership; a pathway the adopted version
does not have is "not found". The words come from the definition (each rule with its source, the
place in the published procedure it comes from); this module only puts them in order for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resolve.calendar import NATIONS
from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.matrix import Titles, matrix_titles_for
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.selectors import calendar_for
from resolve.procedures.flowchart import Box, flowchart_svg
from resolve.procedures.schema import (
    Contact,
    Handlers,
    Instruction,
    Notification,
    Pathway,
    Procedure,
    RecordRequirement,
    Stage,
    Timescale,
)
from resolve.procedures.timeline import TimelineError, TimelineRow, what_if

if TYPE_CHECKING:
    from resolve.calendar import WorkingCalendar
    from resolve.procedures.models import ProcedureVersion

#: the id of the ordered list of stages on the pathway page: the flowchart's text alternative
STAGES_LIST_ID = "stages"


@dataclass(frozen=True)
class Said:
    """One rule of the procedure in words, with the place in the procedure it comes from."""

    text: str
    source: str
    #: when it applies, when not always ("Only when the child is at risk of significant harm")
    conditions: tuple[str, ...] = ()
    heading: str = ""


@dataclass(frozen=True)
class HandlerShown:
    """Who handles a stage in one agency column of the seniority matrix, or at one level."""

    agency: str
    level: int | None
    title: str


@dataclass(frozen=True)
class StageShown:
    number: int
    stage: Stage
    handlers: str
    handlers_source: str
    by_agency: tuple[HandlerShown, ...]
    roles: tuple[str, ...]
    on_request: tuple[str, ...]
    timescales: tuple[Said, ...]
    records: tuple[Said, ...]
    notifications: tuple[Said, ...]
    instructions: tuple[Said, ...]
    #: its timescales for completing it, in short: what its box in the flowchart says
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class PathwayShown:
    pathway: Pathway
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ProcedureOverview:
    """The list page: the adopted version and its pathways."""

    partnership: Partnership
    version: ProcedureVersion
    procedure: Procedure
    pathways: tuple[PathwayShown, ...]
    significant_harm: Said | None
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class PathwayPage:
    """One pathway, step by step, with its flowchart."""

    partnership: Partnership
    #: the adopted version shown; None for a definition not stored yet (a draft's preview)
    version: ProcedureVersion | None
    procedure: Procedure
    pathway: Pathway
    stages: tuple[StageShown, ...]
    flowchart: SafeString
    #: what applies at every stage, and at the stage a disagreement starts at
    every_stage: tuple[Said, ...]
    at_start: tuple[Said, ...]
    significant_harm: Said | None
    conditions: tuple[Said, ...]
    flags: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class WhatIfStage:
    slug: str
    name: str
    starts: datetime
    #: each with ``out_of_hours``: whom to call when the stage starts or the deadline falls outside working hours
    rows: tuple[TimelineRow, ...]


@dataclass(frozen=True)
class WhatIf:
    start: datetime
    stages: tuple[WhatIfStage, ...]
    calendar: WorkingCalendar
    #: whose bank holidays are counted, by name ("England")
    nation: str
    #: the partnership's own closure and extra working days counted
    own_days: int


# --- reading ---------------------------------------------------------------------------------------


def adopted_version(*, person: Person) -> ProcedureVersion | None:
    """The procedure version the person's partnership has adopted, or None when it has none yet."""
    return person.partnership.procedure


def procedure_overview(*, person: Person) -> ProcedureOverview | None:
    """The adopted procedure and its pathways; None when the partnership has adopted none."""
    version = adopted_version(person=person)
    if version is None:
        return None
    procedure = version.procedure
    pathways = tuple(
        PathwayShown(p, tuple(c.name for c in procedure.categories if c.pathway == p.slug and not c.refuse_with))
        for p in procedure.pathways
    )
    return ProcedureOverview(
        partnership=person.partnership,
        version=version,
        procedure=procedure,
        pathways=pathways,
        significant_harm=_timescale(procedure.significant_harm, None) if procedure.significant_harm else None,
        contacts=procedure.contacts,
    )


def _pathway_of(person: Person, slug: str) -> tuple[ProcedureVersion, Pathway]:
    version = adopted_version(person=person)
    if version is None:
        raise NotFound(_("Your partnership has not adopted a procedure."))
    return version, _pathway_in(version.procedure, slug)


def _pathway_in(procedure: Procedure, slug: str) -> Pathway:
    try:
        return procedure.pathway(slug)
    except KeyError:
        raise NotFound(_("The procedure has no such pathway.")) from None


def pathway_page(*, person: Person, pathway: str) -> PathwayPage:
    """One pathway of the adopted procedure, step by step; an unknown pathway is ``NotFound``."""
    version, _chosen = _pathway_of(person, pathway)
    return procedure_pathway_page(
        partnership=person.partnership, procedure=version.procedure, pathway=pathway, version=version
    )


def procedure_pathway_page(
    *, partnership: Partnership, procedure: Procedure, pathway: str, version: ProcedureVersion | None = None
) -> PathwayPage:
    """One pathway of ``procedure``, step by step: the adopted version's, or a definition not stored yet
    (an administrator's draft, in its preview). An unknown pathway is ``NotFound``."""
    chosen = _pathway_in(procedure, pathway)
    titles = matrix_titles_for(partnership=partnership, procedure=procedure)  # as the partnership corrected it
    stages = tuple(_stage(procedure, chosen, i, stage, titles) for i, stage in enumerate(chosen.stages, 1))
    return PathwayPage(
        partnership=partnership,
        version=version,
        procedure=procedure,
        pathway=chosen,
        stages=stages,
        flowchart=_flowchart(chosen, stages),
        every_stage=tuple(_notification(procedure, n) for n in procedure.notifications),
        at_start=tuple(_instruction(procedure, i) for i in procedure.instructions),
        significant_harm=_timescale(procedure.significant_harm, None) if procedure.significant_harm else None,
        conditions=tuple(Said(c.name, c.source) for c in procedure.conditions),
        flags=tuple((f.slug, f.name) for f in procedure.flags),
    )


def pathway_what_if(
    *,
    person: Person,
    pathway: str,
    start: datetime,
    significant_harm: bool = False,
    urgent: bool = False,
    child_protection: bool = False,
    flags: Iterable[str] = (),
    from_stage: str | None = None,
) -> WhatIf:
    """Every deadline of the pathway for a disagreement raised at ``start``, on the partnership's calendar.

    The same function as ``resolve timeline --partnership``; a stage or flag the procedure does not
    have is a ``ResolveError`` naming the field.
    """
    version, _chosen = _pathway_of(person, pathway)
    return procedure_what_if(
        partnership=person.partnership,
        procedure=version.procedure,
        pathway=pathway,
        start=start,
        significant_harm=significant_harm,
        urgent=urgent,
        child_protection=child_protection,
        flags=flags,
        from_stage=from_stage,
    )


def procedure_what_if(
    *,
    partnership: Partnership,
    procedure: Procedure,
    pathway: str,
    start: datetime,
    significant_harm: bool = False,
    urgent: bool = False,
    child_protection: bool = False,
    flags: Iterable[str] = (),
    from_stage: str | None = None,
) -> WhatIf:
    """The what-if of :func:`pathway_what_if` for any ``procedure`` (a draft's too), on the partnership's calendar."""
    chosen = _pathway_in(procedure, pathway)
    flags = tuple(flags)
    if from_stage is not None and from_stage not in {s.slug for s in chosen.stages}:
        raise ResolveError(_("Choose a stage of this pathway to start from."), field="from_stage")
    if set(flags) - {f.slug for f in procedure.flags}:
        raise ResolveError(_("Choose only the procedure's own flags."), field="flags")
    calendar = calendar_for(partnership)
    try:
        rows = what_if(
            procedure,
            start=start,
            calendar=calendar,
            significant_harm=significant_harm,
            urgent=urgent,
            child_protection=child_protection,
            flags=flags,
            pathway=chosen.slug,
            from_stage=from_stage,
        )
    except TimelineError as exc:  # checked above; kept so that a new kind of refusal is still a 400
        raise ResolveError(str(exc)) from None
    stages: list[WhatIfStage] = []
    for row in rows:
        if stages and stages[-1].slug == row.stage:
            last = stages[-1]
            stages[-1] = WhatIfStage(last.slug, last.name, last.starts, (*last.rows, row))
        else:
            stages.append(WhatIfStage(row.stage, row.stage_name, row.starts, (row,)))
    return WhatIf(
        start=start,
        stages=tuple(stages),
        calendar=calendar,
        nation=NATIONS[calendar.nation],
        own_days=len(calendar.closures) + len(calendar.extra_working_days),
    )


# --- the words -------------------------------------------------------------------------------------


def _applies(rule: Timescale | Instruction, procedure: Procedure | None) -> list[str]:
    words = []
    if rule.applies == "significant_harm":
        words.append(_("Only when a child is at risk of significant harm."))
    elif rule.applies == "urgent":
        words.append(_("Only when the disagreement is urgent."))
    elif rule.applies == "child_protection":
        words.append(_("Only when the child is subject to child protection procedures."))
    if rule.flag:
        name = next((f.name for f in procedure.flags if f.slug == rule.flag), rule.flag) if procedure else rule.flag
        words.append(_("Only when: %(flag)s.") % {"flag": name})
    return words


def measure(t: Timescale) -> str:
    """How long, as a person says it: "5 working days", "the same working day", or the procedure's words."""
    if t.rule == "same_working_day":
        return _("the same working day")
    if t.rule == "next_working_day":
        return _("the next working day")
    if t.rule == "working_days":
        return ngettext("%(n)d working day", "%(n)d working days", t.n or 0) % {"n": t.n}
    if t.rule == "hours":
        return ngettext("%(n)d clock hour", "%(n)d clock hours", t.n or 0) % {"n": t.n}
    return f"\u201c{t.words}\u201d"


def _from(t: Timescale, stage: Stage | None, pathway: Pathway | None) -> str:
    if t.from_ == "stage_start":
        if stage is not None and stage.start_is:
            return _("from %(start)s") % {"start": stage.start_is}
        return _("from the start of this stage")
    if t.from_ == "disagreement_start":
        return _("from when the disagreement was raised")
    kind, _sep, ref = t.from_.partition(":")
    if kind == "stage_start":
        name = pathway.stage(ref).name if pathway is not None else ref
        return _("from the start of %(stage)s") % {"stage": name}
    earlier = next((x for x in stage.timescales if x.slug == ref), None) if stage is not None else None
    return _("from the deadline for \u201c%(what)s\u201d") % {"what": earlier.what if earlier else ref}


def _timescale(
    t: Timescale, stage: Stage | None, pathway: Pathway | None = None, procedure: Procedure | None = None
) -> Said:
    when = measure(t) if t.rule == "words" else f"{measure(t)} {_from(t, stage, pathway)}"
    conditions = _applies(t, procedure)
    if t.words and t.rule != "words":
        conditions.insert(0, _("In the procedure's words: “%(words)s”.") % {"words": t.words})
    if t.rule == "hours":
        conditions.append(_("Clock hours: nights, weekends and bank holidays count."))
    if t.rule == "words":
        conditions.append(_("The procedure gives no measure, so no date is worked out."))
    if t.step:
        conditions.append(_("A step within the stage, not the end of it."))
    if t.case_may_set:
        conditions.append(_("At most: an earlier date may be set for the case."))
    return Said(when, t.source, tuple(conditions), heading=t.what)


def _record(procedure: Procedure, r: RecordRequirement) -> Said:
    conditions = []
    before = {
        ("escalate", "resolve"): _("Needed before the stage is escalated or resolved."),
        ("escalate",): _("Needed before the stage is escalated."),
        ("resolve",): _("Needed before the stage is resolved."),
    }
    if r.required_before in before:
        conditions.append(before[r.required_before])
    if r.kept_by:
        conditions.append(_("Kept by: %(who)s.") % {"who": ", ".join(r.kept_by)})
    if r.form and r.form != r.title:
        conditions.append(_("Form: %(form)s.") % {"form": r.form})
    if r.flag:
        name = next((f.name for f in procedure.flags if f.slug == r.flag), r.flag)
        conditions.append(_("Only when: %(flag)s.") % {"flag": name})
    return Said(r.title, r.source, tuple(conditions))


def recipient(procedure: Procedure, to: str) -> str:
    words = {
        "line_managers": _("The line managers of the people taking part"),
        "handlers": _("The people handling the stage"),
        "raiser": _("The person who raised the disagreement"),
        "parties": _("Everyone taking part"),
        "stage_level": _("The people at this stage's level in each agency in the disagreement"),
    }
    if to in words:
        return words[to]
    try:
        return procedure.role(to).name
    except KeyError:
        return to


def _notification(procedure: Procedure, n: Notification) -> Said:
    when = {
        "entry": _("When the stage begins."),
        "close": _("When the stage ends."),
        "escalate": _("When the stage is escalated."),
        "final": _("When the disagreement ends at this stage."),
        "involved": _("When someone at level %(level)s or above takes part.") % {"level": n.min_level},
        "condition": _("When a handler records that this holds: %(condition)s.")
        % {"condition": procedure.condition(n.condition).name if n.condition else ""},
    }
    conditions = [when[n.when]]
    if n.min_level is not None and n.when != "involved":
        conditions.append(_("Only once someone at level %(level)s or above is involved.") % {"level": n.min_level})
    if n.once:
        conditions.append(_("Once for each disagreement."))
    if n.within == "own_agency":
        conditions.append(_("Only those in the raiser's own organisation."))
    if n.offer:
        conditions.append(_("Offered to the person who raised it, to ask if they wish: nobody else is told."))
    if n.flag:
        name = next((f.name for f in procedure.flags if f.slug == n.flag), n.flag)
        conditions.append(_("Only when: %(flag)s.") % {"flag": name})
    if n.reached_stage:
        conditions.append(_("Only if the disagreement reached %(stage)s.") % {"stage": n.reached_stage})
    if n.timing:
        conditions.append(_("How soon: %(timing)s.") % {"timing": n.timing})
    if n.form:
        conditions.append(_("Form: %(form)s.") % {"form": n.form})
    return Said(n.what, n.source, tuple(conditions), heading=recipient(procedure, n.to))


def _instruction(procedure: Procedure, i: Instruction) -> Said:
    return Said(i.text, i.source, tuple(_applies(i, procedure)), heading=i.what)


def _by_agency(procedure: Procedure, handlers: Handlers, titles: Titles | None = None) -> tuple[HandlerShown, ...]:
    """Who handles the stage in each column of the seniority matrix, or at each level named.

    ``titles``: the matrix as the partnership has corrected it (``matrix_titles_for``); without it,
    the procedure's chart as printed.
    """
    seniority = procedure.seniority
    if seniority is None:
        return ()
    names = {lv.level: lv.name for lv in seniority.levels}
    if seniority.agencies:
        shown = []
        for agency in seniority.agencies:
            level = handlers.level_for(agency.slug)
            if level is None:
                continue
            title = (titles.title(agency.slug, level) if titles is not None else agency.roles.get(level)) or _(
                "No role is named at this level in the procedure's chart"
            )
            shown.append(HandlerShown(agency.name, level, title))
        return tuple(shown)
    return tuple(
        HandlerShown(_("Each agency"), level, names.get(level, str(level))) for level in sorted(handlers.all_levels)
    )


def _stage(
    procedure: Procedure, pathway: Pathway, number: int, stage: Stage, titles: Titles | None = None
) -> StageShown:
    handlers = stage.handlers
    return StageShown(
        number=number,
        stage=stage,
        handlers=handlers.description,
        handlers_source=handlers.source,
        by_agency=_by_agency(procedure, handlers, titles),
        roles=tuple(recipient(procedure, r) for r in handlers.roles),
        on_request=tuple(recipient(procedure, r) for r in handlers.on_request),
        timescales=tuple(_timescale(t, stage, pathway, procedure) for t in stage.timescales),
        records=tuple(_record(procedure, r) for r in stage.records),
        notifications=tuple(_notification(procedure, n) for n in stage.notifications),
        instructions=tuple(_instruction(procedure, i) for i in stage.instructions),
        labels=_labels(procedure, pathway, stage),
    )


def _labels(procedure: Procedure, pathway: Pathway, stage: Stage) -> tuple[str, ...]:
    """The stage's timescales in short: those for completing it, else its steps, else that it has none."""
    completes = [t for t in stage.timescales if not t.step]
    chosen = completes or list(stage.timescales)
    return tuple(_label(procedure, t, pathway, stage) for t in chosen) or (_("No timescale of its own"),)


def _label(procedure: Procedure, t: Timescale, pathway: Pathway, stage: Stage) -> str:
    """A timescale in short, for the flowchart's box and the list of stages."""
    text = f"{t.what}: {measure(t)}" if t.rule == "words" else f"{measure(t)} {_from(t, stage, pathway)}"
    only = []
    if t.applies == "significant_harm":
        only.append(_("significant harm"))
    elif t.applies == "urgent":
        only.append(_("urgent"))
    elif t.applies == "child_protection":
        only.append(_("child protection"))
    if t.flag:
        only.append(next((f.name for f in procedure.flags if f.slug == t.flag), t.flag))
    if only:
        text += " " + _("(only when %(when)s)") % {"when": ", ".join(only)}
    return text


def _flowchart(pathway: Pathway, stages: tuple[StageShown, ...]) -> SafeString:
    boxes = [
        Box(
            slug=shown.stage.slug,
            name=f"{shown.number}. {shown.stage.name}",
            labels=shown.labels,
            urgent_start=shown.stage.urgent_start,
            note=_("An urgent disagreement may start here."),
        )
        for shown in stages
    ]
    svg = flowchart_svg(
        boxes,
        title=_("Flowchart of %(pathway)s") % {"pathway": pathway.name},
        description=ngettext(
            "%(n)d stage, from %(first)s to %(last)s; each box gives the stage's timescales. "
            "The steps are listed in words on this page.",
            "%(n)d stages, from %(first)s to %(last)s, each escalating to the next; each box gives the stage's "
            "timescales. The steps are listed in words on this page.",
            len(boxes),
        )
        % {"n": len(boxes), "first": pathway.stages[0].name, "last": pathway.stages[-1].name},
        escalate_label=_("Escalate"),
        described_by=STAGES_LIST_ID,
    )
    return mark_safe(svg)  # noqa: S308 - flowchart_svg escapes every piece of text it draws
