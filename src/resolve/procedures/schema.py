"""The procedure definition format: what a partnership's escalation procedure says, as data.

A definition is a YAML file (see docs/procedure-format.md) validated by these pydantic models.
Every field that carries a rule has a ``source``: where in the partnership's published
procedure the rule comes from (for the bundled seeds, line numbers of the seed text).

Timescales come in five forms (``rule``):

- ``same_working_day``: the end of the anchor's working day, or of the next working day when
  the anchor is not on one or is past the end of the working day;
- ``next_working_day``: the end of the first working day after the anchor's date;
- ``working_days``: the end of the Nth working day after the anchor's date;
- ``hours``: N elapsed clock hours, which do not stop for nights, weekends or holidays;
- ``words``: a timescale the procedure gives only in words ("straight away", "without delay").
  It is shown as written and no date is computed, because the procedure gives no measure.

A stage is due to be complete by the earliest of its timescales that are not marked ``step``
(Pan-Lancashire: 5 working days for the stage, 15 at most in all: the earlier wins). A ``step`` is
a deadline for something within the stage, such as a referral that must come before a meeting.

A timescale is measured ``from`` one of:

- ``stage_start``: when this stage began;
- ``disagreement_start``: when the disagreement was raised;
- ``stage_start:<stage>``: when an earlier stage of the same pathway began (Enfield's
  "within 5 working days from initial stage 1"); when the disagreement did not pass through
  that stage (an urgent case that started later), the disagreement's start is used instead;
- ``due:<timescale>``: the due time of an earlier timescale of the same stage (Enfield's
  professionals meeting, held within 2 working days of the referral to the Head of Service).

A timescale marked ``case_may_set`` is a cap the case may shorten (Cumbria's "no longer than 7
working days", L35). A deadline exists only where the procedure states one: what a procedure says
without a measure (NEL's telephone-first duty, L34; what to do when a child is at risk of
significant harm, where no deadline is stated) is an ``Instruction``, shown and never dated.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Nation = Literal["ENG", "WLS", "SCT", "NIR"]

TimescaleRule = Literal["same_working_day", "next_working_day", "working_days", "hours", "words"]
Applies = Literal["always", "significant_harm", "urgent", "child_protection"]
RecordKind = Literal[
    "discussion_note",
    "written_confirmation",
    "meeting_record",
    "reviewer_decision",
    "executive_summary",
    "conference_record",
    "written_request",
    "form",
]
Transition = Literal["escalate", "resolve"]
NotifyWhen = Literal["entry", "close"]
RoleKind = Literal[
    "business_unit",
    "chair",
    "independent_reviewer",
    "reviewer_appointer",
    "partners",
    "team",
    "service",
    "other",
]
# Who a notification goes to, besides a partnership role named in ``roles``.
PARTY_RECIPIENTS = ("line_managers", "handlers", "raiser", "parties")
# So no partnership role can be one of those: a role named "parties" would be told what the parties are told.
RESERVED_ROLE_SLUGS = frozenset(PARTY_RECIPIENTS)


def reserved_role_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a partnership role, or None when it can."""
    if slug in RESERVED_ROLE_SLUGS:
        return (
            f"role {slug!r} is a name Resolve keeps for the people a notification goes to "
            f"({', '.join(PARTY_RECIPIENTS)}): give the role another slug"
        )
    return None


_ANCHOR = re.compile(r"^(stage_start|disagreement_start|stage_start:[a-z0-9-]+|due:[a-z0-9-]+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Category(_Model):
    """A kind of disagreement the procedure names."""

    slug: Slug
    name: Text
    pathway: Slug | None = Field(None, description="the pathway this category is handled by")
    refuse_with: Text | None = Field(
        None,
        description="out of the procedure's scope: raising it is refused with this message",
    )
    source: Text


class PartnershipRole(_Model):
    """A role the procedure names outside the agencies' own line management."""

    slug: Slug
    name: Text
    kind: RoleKind
    contact: Text | None = None
    source: Text

    @model_validator(mode="after")
    def _not_reserved(self) -> PartnershipRole:
        problem = reserved_role_problem(self.slug)
        if problem:
            raise ValueError(problem)
        return self


class Flag(_Model):
    """A condition of the case, set when raising, that a rule in the procedure turns on."""

    slug: Slug
    name: Text
    source: Text


class Contact(_Model):
    name: Text
    detail: Text
    when: Text | None = None
    source: Text


class Timescale(_Model):
    slug: Slug
    what: Text = Field(description="what must have happened by the deadline")
    rule: TimescaleRule
    n: int | None = Field(None, gt=0, description="the N of working_days or hours")
    words: Text | None = Field(None, description="the procedure's own words for this timescale")
    from_: str = Field("stage_start", alias="from")
    applies: Applies = "always"
    flag: Slug | None = Field(None, description="applies only when the disagreement carries this flag")
    step: bool = Field(
        False,
        description="a step within the stage (Enfield's referral to the Head of Service) rather than "
        "a deadline for completing the stage",
    )
    case_may_set: bool = Field(
        False,
        description="a cap the case may shorten: someone with the stage's authority may set an earlier "
        "date for this case (Cumbria's 'appropriate timescale lasting no longer than 7 working days')",
    )
    source: Text

    @model_validator(mode="after")
    def _consistent(self) -> Timescale:
        if self.rule in ("working_days", "hours") and self.n is None:
            raise ValueError(f"a '{self.rule}' timescale needs n (how many)")
        if self.rule not in ("working_days", "hours") and self.n is not None:
            raise ValueError(f"n is only for working_days or hours, not '{self.rule}'")
        if self.rule == "words" and not self.words:
            raise ValueError("a 'words' timescale needs words: the procedure's own wording")
        if self.case_may_set and self.rule == "words":
            raise ValueError("case_may_set needs a cap with a date: a 'words' timescale has none")
        if not _ANCHOR.match(self.from_):
            raise ValueError(
                f"from must be stage_start, disagreement_start, stage_start:<stage> or "
                f"due:<timescale>, not {self.from_!r}"
            )
        return self

    @property
    def computable(self) -> bool:
        return self.rule != "words"


class Instruction(_Model):
    """What the procedure tells people to do, in its own words, with no date to compute.

    Shown with the stage's deadlines (``resolve timeline``, the pages) when it ``applies``: NEL's
    telephone-first duty of an urgent start (L34); what a procedure that sets no significant-harm
    deadline says to do when a child is at risk (its own words, never a date of Resolve's).
    """

    slug: Slug
    what: Text = Field(description="what the instruction is about, as a heading")
    text: Text = Field(description="the procedure's own words")
    applies: Applies = "always"
    flag: Slug | None = Field(None, description="applies only when the disagreement carries this flag")
    source: Text


class Handlers(_Model):
    """Who handles a stage: the seniority level in each agency, and/or partnership roles."""

    description: Text
    level: int | None = Field(None, ge=1, description="seniority level in each agency")
    roles: tuple[Slug, ...] = ()
    source: Text


class RecordRequirement(_Model):
    kind: RecordKind
    title: Text
    required_before: tuple[Transition, ...] = ("escalate", "resolve")
    kept_by: tuple[Text, ...] = ()
    form: Text | None = None
    source: Text


class Notification(_Model):
    to: str = Field(description="a role slug, or line_managers, handlers, raiser or parties")
    what: Text
    when: NotifyWhen = "entry"
    min_level: int | None = Field(None, ge=1, description="only when someone at this level or above is involved")
    flag: Slug | None = Field(None, description="only when the disagreement carries this flag")
    reached_stage: Slug | None = Field(None, description="(on close) only if the disagreement reached this stage")
    timing: Text | None = Field(None, description="the procedure's words for how soon")
    form: Text | None = None
    source: Text


class ConferenceRule(_Model):
    """How a child protection conference's view shapes a pathway (NEL section 3)."""

    view: Literal["majority", "equally_divided"]
    decision: Text = Field(description="what happens to the conference decision")
    decision_stands: bool
    minority_recorded: bool = False
    minority_may_escalate: bool = False
    plan_while_pending: Literal["unchanged", "continues_or_made_subject"] = "unchanged"
    plan_words: Text | None = None
    source: Text


class Stage(_Model):
    slug: Slug
    name: Text
    summary: Text
    handlers: Handlers
    timescales: tuple[Timescale, ...] = ()
    instructions: tuple[Instruction, ...] = Field((), description="instructions shown at this stage")
    start_is: Text | None = Field(
        None,
        description="what the stage's start is, in the procedure's words (NEL's adjournment: 'the adjourned "
        "conference'), so a deadline from it reads 'from the adjourned conference on <date>'",
    )
    records: tuple[RecordRequirement, ...] = ()
    notifications: tuple[Notification, ...] = ()
    urgent_start: bool = Field(False, description="an urgent disagreement may start at this stage")
    independent_reviewer: bool = Field(
        False, description="its decision is made by a reviewer from none of the disputing agencies"
    )
    decision_final: bool = False
    conference: Literal["majority_decision", "adjournment", "reconvened"] | None = None
    source: Text

    @model_validator(mode="after")
    def _unique_timescales(self) -> Stage:
        slugs = [t.slug for t in self.timescales] + [i.slug for i in self.instructions]
        dupes = sorted({s for s in slugs if slugs.count(s) > 1})
        if dupes:
            raise ValueError(f"timescale and instruction slugs must be unique in a stage; repeated: {', '.join(dupes)}")
        for i, t in enumerate(self.timescales):
            if t.from_.startswith("due:"):
                ref = t.from_.removeprefix("due:")
                if ref not in slugs[:i]:
                    raise ValueError(
                        f"timescale {t.slug!r} is measured from due:{ref}, which is not a timescale "
                        f"listed before it in this stage"
                    )
        if self.independent_reviewer and not any(r.kind == "reviewer_decision" for r in self.records):
            raise ValueError("a stage with an independent reviewer must require a reviewer_decision record")
        return self


class Pathway(_Model):
    slug: Slug
    name: Text
    description: Text
    entry_conditions: tuple[Text, ...] = ()
    conference: ConferenceRule | None = None
    stages: tuple[Stage, ...] = Field(min_length=1)
    source: Text

    @model_validator(mode="after")
    def _stages(self) -> Pathway:
        slugs = [s.slug for s in self.stages]
        dupes = sorted({s for s in slugs if slugs.count(s) > 1})
        if dupes:
            raise ValueError(f"stage slugs must be unique in a pathway; repeated: {', '.join(dupes)}")
        for i, stage in enumerate(self.stages):
            for t in stage.timescales:
                if t.from_.startswith("stage_start:"):
                    ref = t.from_.removeprefix("stage_start:")
                    if ref not in slugs[: i + 1]:
                        raise ValueError(
                            f"stage {stage.slug!r} timescale {t.slug!r} is measured from the start "
                            f"of {ref!r}, which is not this stage or one before it"
                        )
        return self

    def stage(self, slug: str) -> Stage:
        for s in self.stages:
            if s.slug == slug:
                return s
        raise KeyError(slug)

    def index(self, slug: str) -> int:
        return [s.slug for s in self.stages].index(slug)


class SeniorityLevel(_Model):
    level: int = Field(ge=1)
    name: Text


class SeniorityAgency(_Model):
    slug: Slug
    name: Text
    roles: dict[int, Text] = Field(description="level -> role title; a level left out is blank in the source")
    notes: tuple[Text, ...] = ()


class Seniority(_Model):
    """Corresponding levels of seniority across agencies (Enfield's Appendix B is the model)."""

    levels: tuple[SeniorityLevel, ...] = Field(min_length=1)
    agencies: tuple[SeniorityAgency, ...] = ()
    above_top: Text | None = None
    notes: tuple[Text, ...] = ()
    source: Text

    @model_validator(mode="after")
    def _levels_known(self) -> Seniority:
        known = {lv.level for lv in self.levels}
        for agency in self.agencies:
            unknown = sorted(set(agency.roles) - known)
            if unknown:
                raise ValueError(f"agency {agency.slug!r} names levels not in levels: {unknown}")
        return self

    def title(self, agency: str, level: int) -> str | None:
        for a in self.agencies:
            if a.slug == agency:
                return a.roles.get(level)
        return None


class RoleChain(_Model):
    """A worker's role and who is next above it (Peterborough's role-to-manager map)."""

    worker: Text
    next: tuple[Text, ...] = Field(min_length=1, description="in order: line manager, then above")
    source: Text


class Procedure(_Model):
    slug: Slug
    name: Text
    partnership: Text
    version: Text = Field(description="the published document's own version or date")
    document: Text = Field(description="where the procedure text comes from")
    nation: Nation = "ENG"
    summary: Text
    categories: tuple[Category, ...] = ()
    roles: tuple[PartnershipRole, ...] = ()
    flags: tuple[Flag, ...] = ()
    significant_harm: Timescale | None = Field(
        None,
        description="the deadline a significant-harm case puts on the stage it starts at, only where the "
        "procedure states one (NEL L36); Resolve adds none of its own",
    )
    instructions: tuple[Instruction, ...] = Field(
        (), description="instructions shown at the stage a disagreement starts at, when they apply"
    )
    notifications: tuple[Notification, ...] = Field((), description="notifications for every stage")
    seniority: Seniority | None = None
    line_management: tuple[RoleChain, ...] = ()
    contacts: tuple[Contact, ...] = ()
    out_of_scope: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    pathways: tuple[Pathway, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Procedure:
        problems: list[str] = []
        pathway_slugs = [p.slug for p in self.pathways]
        role_slugs = {r.slug for r in self.roles}
        flag_slugs = {f.slug for f in self.flags}
        for kind, slugs in (
            ("pathway", pathway_slugs),
            ("category", [c.slug for c in self.categories]),
            ("role", [r.slug for r in self.roles]),
            ("flag", [f.slug for f in self.flags]),
        ):
            dupes = sorted({s for s in slugs if slugs.count(s) > 1})
            if dupes:
                problems.append(f"{kind} slugs must be unique; repeated: {', '.join(dupes)}")
        for c in self.categories:
            if c.pathway and c.pathway not in pathway_slugs:
                problems.append(f"category {c.slug!r} names pathway {c.pathway!r}, which is not defined")
        all_stage_slugs = {s.slug for p in self.pathways for s in p.stages}
        levels = {lv.level for lv in self.seniority.levels} if self.seniority else None

        def check_notification(n: Notification, where: str) -> None:
            if n.to not in role_slugs and n.to not in PARTY_RECIPIENTS:
                problems.append(
                    f"{where}: notification to {n.to!r} names no role in roles and is not one of "
                    f"{', '.join(PARTY_RECIPIENTS)}"
                )
            if n.flag and n.flag not in flag_slugs:
                problems.append(f"{where}: notification flag {n.flag!r} is not in flags")
            if n.reached_stage and n.reached_stage not in all_stage_slugs:
                problems.append(f"{where}: reached_stage {n.reached_stage!r} is no stage of any pathway")

        for n in self.notifications:
            check_notification(n, "notifications")
        for p in self.pathways:
            for s in p.stages:
                where = f"pathway {p.slug!r} stage {s.slug!r}"
                for r in s.handlers.roles:
                    if r not in role_slugs:
                        problems.append(f"{where}: handler role {r!r} is not in roles")
                if levels is not None and s.handlers.level is not None and s.handlers.level not in levels:
                    problems.append(f"{where}: handler level {s.handlers.level} is not a seniority level")
                for n in s.notifications:
                    check_notification(n, where)
                for t in s.timescales:
                    if t.flag and t.flag not in flag_slugs:
                        problems.append(f"{where}: timescale {t.slug!r} flag {t.flag!r} is not in flags")
                for i in s.instructions:
                    if i.flag and i.flag not in flag_slugs:
                        problems.append(f"{where}: instruction {i.slug!r} flag {i.flag!r} is not in flags")
        for i in self.instructions:
            if i.flag and i.flag not in flag_slugs:
                problems.append(f"instructions: instruction {i.slug!r} flag {i.flag!r} is not in flags")
        if self.significant_harm is not None and self.significant_harm.applies != "significant_harm":
            problems.append("significant_harm: its timescale must say applies: significant_harm")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def pathway(self, slug: str) -> Pathway:
        for p in self.pathways:
            if p.slug == slug:
                return p
        raise KeyError(slug)

    def category(self, slug: str) -> Category:
        for c in self.categories:
            if c.slug == slug:
                return c
        raise KeyError(slug)

    def role(self, slug: str) -> PartnershipRole:
        for r in self.roles:
            if r.slug == slug:
                return r
        raise KeyError(slug)
