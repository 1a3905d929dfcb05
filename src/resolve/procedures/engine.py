"""Deadlines from a procedure and a calendar: the one place a timescale becomes a due time.

Both the ``resolve timeline`` command and the disagreement lifecycle compute due times here, so
that what an administrator checks is what a live disagreement gets. Every due time comes with
the words of the rule that produced it.

A deadline exists only where the procedure states one (DESIGN.md): a significant-harm case gets a
same-working-day deadline only from a procedure that says so (NEL L36, its ``significant_harm``
timescale). Resolve adds no rule of its own. What a procedure tells people to do without a measure
(its ``instructions``: NEL's telephone-first duty of an urgent start, what to do when a child is at
risk of significant harm) comes back as a ``Due`` with no date and ``instruction`` set, so that the
timeline and the pages show it in the procedure's words beside the deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from resolve.calendar import LONDON, WorkingCalendar
from resolve.procedures.schema import Instruction, Pathway, Procedure, Stage, Timescale


@dataclass(frozen=True)
class Circumstances:
    """What is true of the disagreement that a timescale may turn on."""

    significant_harm: bool = False
    urgent: bool = False
    child_protection: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)

    def allows(self, rule: Timescale | Instruction) -> bool:
        if rule.flag and rule.flag not in self.flags:
            return False
        return rule.applies == "always" or bool(getattr(self, rule.applies))


@dataclass(frozen=True)
class Due:
    """One computed deadline: ``due`` is None for a timescale the procedure gives only in words.

    ``instruction``: not a deadline but what the procedure tells people to do, in its words; never dated.
    ``case_may_set``: a cap the case may shorten (``deadline_set_for_case``).
    """

    timescale: str
    what: str
    due: datetime | None
    rule: str
    source: str
    step: bool = False
    instruction: bool = False
    case_may_set: bool = False


def significant_harm_timescale(procedure: Procedure) -> Timescale | None:
    """The procedure's own significant-harm deadline, or None: Resolve has no rule of its own."""
    return procedure.significant_harm


def instruction_due(instruction: Instruction) -> Due:
    return Due(
        timescale=instruction.slug,
        what=instruction.what,
        due=None,
        rule=f'"{instruction.text}": the procedure\'s instruction, no date',
        source=instruction.source,
        instruction=True,
    )


def stage_deadlines(
    procedure: Procedure,
    pathway: Pathway,
    stage: Stage,
    *,
    calendar: WorkingCalendar,
    stage_start: datetime,
    disagreement_start: datetime,
    stage_starts: Mapping[str, datetime],
    circumstances: Circumstances,
    entry_stage: bool,
) -> list[Due]:
    """Every deadline of ``stage`` for a disagreement in these circumstances.

    ``stage_starts`` maps the slugs of the stages this disagreement has passed through to when
    each began; ``entry_stage`` is true for the stage the disagreement started at, which is where
    a significant-harm case carries the procedure's significant-harm deadline, if it states one,
    and where the procedure's own instructions are shown. The stage's instructions that apply come
    last, after its deadlines.
    """
    timescales = [t for t in stage.timescales if circumstances.allows(t)]
    harm = significant_harm_timescale(procedure)
    if entry_stage and circumstances.significant_harm and harm is not None:
        timescales.insert(0, harm)
    computed: dict[str, Due] = {}
    out: list[Due] = []
    for t in timescales:
        anchor, anchor_words = _anchor(
            t,
            stage=stage,
            pathway=pathway,
            stage_start=stage_start,
            disagreement_start=disagreement_start,
            stage_starts=stage_starts,
            computed=computed,
        )
        due = _apply(calendar, t, anchor)
        rule = _describe(t, anchor_words, has_anchor=anchor is not None)
        item = Due(
            timescale=t.slug,
            what=t.what,
            due=due,
            rule=rule,
            source=t.source,
            step=t.step,
            case_may_set=t.case_may_set,
        )
        computed[t.slug] = item
        out.append(item)
    instructions = (*(procedure.instructions if entry_stage else ()), *stage.instructions)
    out += [instruction_due(i) for i in instructions if circumstances.allows(i)]
    return out


def _anchor(
    t: Timescale,
    *,
    stage: Stage,
    pathway: Pathway,
    stage_start: datetime,
    disagreement_start: datetime,
    stage_starts: Mapping[str, datetime],
    computed: Mapping[str, Due],
) -> tuple[datetime | None, str]:
    if t.from_ == "stage_start":
        if stage.start_is:
            return stage_start, f"{stage.start_is} on {stage_start.astimezone(LONDON):%-d %B %Y}"
        return stage_start, "the start of this stage"
    if t.from_ == "disagreement_start":
        return disagreement_start, "when the disagreement was raised"
    kind, _, ref = t.from_.partition(":")
    if kind == "stage_start":
        name = pathway.stage(ref).name
        if ref in stage_starts:
            return stage_starts[ref], f"the start of {name}"
        return disagreement_start, f"when the disagreement was raised (it did not pass through {name})"
    earlier = computed[ref]
    return earlier.due, f"the deadline for '{earlier.what}'"


def _apply(calendar: WorkingCalendar, t: Timescale, anchor: datetime | None) -> datetime | None:
    if anchor is None:
        return None
    if t.rule == "same_working_day":
        return calendar.same_working_day(anchor)
    if t.rule == "next_working_day":
        return calendar.next_working_day(anchor)
    if t.rule == "working_days":
        assert t.n is not None  # the schema requires n for working_days
        return calendar.working_days_after(anchor, t.n)
    if t.rule == "hours":
        assert t.n is not None  # the schema requires n for hours
        return calendar.hours_after(anchor, t.n)
    return None


def _describe(t: Timescale, anchor_words: str, *, has_anchor: bool) -> str:
    if t.rule == "words":
        return f'"{t.words}": no date, the procedure gives no measure'
    if t.rule == "same_working_day":
        text = f"same working day as {anchor_words}"
    elif t.rule == "next_working_day":
        text = f"next working day after {anchor_words}"
    elif t.rule == "working_days":
        text = f"{t.n} working day{'s' if t.n != 1 else ''} from {anchor_words}"
    else:
        text = f"{t.n} clock hour{'s' if t.n != 1 else ''} from {anchor_words}, nights and holidays included"
    if t.applies != "always":
        text += f" ({t.applies.replace('_', ' ')})"
    if t.flag:
        text += f" (when {t.flag.replace('-', ' ')})"
    if t.case_may_set:
        text += " (at most: an earlier date may be set for the case)"
    if not has_anchor:
        text += ": no date, as that deadline has none"
    return text
