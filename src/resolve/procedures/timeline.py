"""A pathway's deadlines laid out against the calendar, for checking a procedure.

Each stage is assumed to run to its deadline before the next begins: a stage ends at the earliest
of its computable deadlines for completing it (steps within the stage do not end it; a stage with
only steps ends at the last of them). A stage with no computable timescale is shown as such and does not
move the clock, so later stages are measured from the same start. The procedure's instructions that
apply (``instruction`` rows) are shown with no date and never move the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from resolve.calendar import WorkingCalendar
from resolve.procedures.contacts import out_of_hours_contacts
from resolve.procedures.engine import Circumstances, stage_deadlines
from resolve.procedures.schema import Contact, Pathway, Procedure


class TimelineError(ValueError):
    """A pathway, stage or flag that the procedure does not have."""


@dataclass(frozen=True)
class TimelineRow:
    stage: str
    stage_name: str
    starts: datetime
    what: str
    due: datetime | None
    rule: str
    source: str
    stage_source: str = ""
    # whom to call when the stage starts, or the deadline falls, outside working hours (Enfield L105)
    out_of_hours: tuple[Contact, ...] = ()
    instruction: bool = False


def choose_pathway(procedure: Procedure, slug: str | None) -> Pathway:
    if slug is None:
        return procedure.pathways[0]
    try:
        return procedure.pathway(slug)
    except KeyError:
        known = ", ".join(p.slug for p in procedure.pathways)
        raise TimelineError(f"{procedure.slug} has no pathway {slug!r}. Its pathways: {known}.") from None


def choose_first_stage(pathway: Pathway, slug: str | None, *, urgent: bool) -> int:
    if slug is not None:
        try:
            return pathway.index(slug)
        except ValueError:
            known = ", ".join(s.slug for s in pathway.stages)
            raise TimelineError(f"Pathway {pathway.slug} has no stage {slug!r}. Its stages: {known}.") from None
    if urgent:
        for i, stage in enumerate(pathway.stages):
            if stage.urgent_start:
                return i
    return 0


def pathway_timeline(
    procedure: Procedure,
    *,
    start: datetime,
    calendar: WorkingCalendar,
    circumstances: Circumstances,
    pathway: str | None = None,
    from_stage: str | None = None,
) -> list[TimelineRow]:
    chosen = choose_pathway(procedure, pathway)
    first = choose_first_stage(chosen, from_stage, urgent=circumstances.urgent)
    rows: list[TimelineRow] = []
    clock = start
    stage_starts: dict[str, datetime] = {}

    def after_hours(*moments: datetime | None) -> tuple[Contact, ...]:
        for moment in moments:
            if moment is not None and (found := out_of_hours_contacts(procedure, moment, calendar=calendar)):
                return found
        return ()

    for i, stage in enumerate(chosen.stages[first:]):
        stage_starts[stage.slug] = clock
        dues = stage_deadlines(
            procedure,
            chosen,
            stage,
            calendar=calendar,
            stage_start=clock,
            disagreement_start=start,
            stage_starts=stage_starts,
            circumstances=circumstances,
            entry_stage=i == 0,
        )
        if not [d for d in dues if not d.instruction]:
            rows.append(
                TimelineRow(
                    stage.slug,
                    stage.name,
                    clock,
                    "No timescale",
                    None,
                    "the procedure sets no timescale for this stage",
                    stage.source,
                    stage.source,
                    after_hours(clock),
                )
            )
        for d in dues:
            rows.append(
                TimelineRow(
                    stage.slug,
                    stage.name,
                    clock,
                    d.what,
                    d.due,
                    d.rule,
                    d.source,
                    stage.source,
                    after_hours(clock, d.due),
                    instruction=d.instruction,
                )
            )
        completes = [d.due for d in dues if d.due is not None and not d.step]
        steps = [d.due for d in dues if d.due is not None and d.step]
        if completes:
            clock = min(completes)
        elif steps:
            clock = max(steps)
    return rows


def circumstances_for(
    procedure: Procedure,
    *,
    significant_harm: bool = False,
    urgent: bool = False,
    child_protection: bool = False,
    flags: Iterable[str] = (),
) -> Circumstances:
    """The circumstances asked about, refusing a flag the procedure does not have."""
    chosen = frozenset(flags)
    unknown = sorted(chosen - {f.slug for f in procedure.flags})
    if unknown:
        known = ", ".join(f.slug for f in procedure.flags) or "none"
        raise TimelineError(f"{procedure.slug} has no flag {', '.join(unknown)}; its flags: {known}.")
    return Circumstances(
        significant_harm=significant_harm, urgent=urgent, child_protection=child_protection, flags=chosen
    )


def what_if(
    procedure: Procedure,
    *,
    start: datetime,
    calendar: WorkingCalendar,
    significant_harm: bool = False,
    urgent: bool = False,
    child_protection: bool = False,
    flags: Iterable[str] = (),
    pathway: str | None = None,
    from_stage: str | None = None,
) -> list[TimelineRow]:
    """Every deadline of a pathway for a disagreement started at ``start`` in these circumstances.

    What ``resolve timeline`` prints and the procedure page's what-if shows: one function, so the two
    agree. An unknown pathway, stage or flag is a ``TimelineError`` saying which ones there are.
    """
    circumstances = circumstances_for(
        procedure, significant_harm=significant_harm, urgent=urgent, child_protection=child_protection, flags=flags
    )
    return pathway_timeline(
        procedure,
        start=start,
        calendar=calendar,
        circumstances=circumstances,
        pathway=pathway,
        from_stage=from_stage,
    )
