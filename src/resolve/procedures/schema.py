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
NotifyWhen = Literal["entry", "close", "escalate", "final", "involved", "condition"]
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
# The active people at the stage's handler level in each agency in dispute (a stage whose handlers are a
# level, not named people: Enfield's Head of Service, Peterborough's senior managers). A slug cannot hold
# "_", so no role can be called this and it needs no reservation.
LEVEL_RECIPIENT = "stage_level"
RECIPIENTS = (*PARTY_RECIPIENTS, LEVEL_RECIPIENT)


def reserved_role_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a partnership role, or None when it can."""
    if slug in RESERVED_ROLE_SLUGS:
        return (
            f"role {slug!r} is a name Resolve keeps for the people a notification goes to "
            f"({', '.join(PARTY_RECIPIENTS)}): give the role another slug"
        )
    return None


# Where in a definition something is, as pydantic and the loader spell it: ("stages", 2, "from").
Loc = tuple[str | int, ...]


class ReferenceProblems(ValueError):
    """Problems where one part of a definition names another, each with where it is.

    A model's own check can only fail as a whole, at the model's line; each problem here carries
    its place relative to that model (``("notifications", 0, "to")``), so that the loader can name
    the line of the entry to fix.
    """

    def __init__(self, located: list[tuple[Loc, str]]) -> None:
        self.located = located
        super().__init__("; ".join(message for _, message in located))


def _raise_located(problems: list[str], located: dict[int, Loc]) -> None:
    """Raise the problems found, each at its place when known (else at the model's own line)."""
    if problems:
        raise ReferenceProblems([(located.get(i, ()), message) for i, message in enumerate(problems)])


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
    out_of_hours: bool = Field(
        False,
        description="the contact for outside working hours: before the working day starts or after it ends on a "
        "working day, or at any time on a day that is not one (Enfield's emergency duty team, L105)",
    )
    source: Text


class Reason(_Model):
    """A cause of disagreement the procedure names for every category (NEL L43), not a route.

    A category chooses the pathway a disagreement takes; a reason only says why such disagreements
    arise, so it routes nothing.
    """

    slug: Slug
    name: Text
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
    """Who handles a stage: the seniority level in each agency, and/or partnership roles.

    ``levels`` gives the level per seniority-matrix agency column where the agencies differ
    (Enfield stage 2's "Head of Service or equivalent" is level 3 in Early Help and YOT, level 4 in
    children's social care, police and health: Appendix B); ``level`` is the level of every agency
    not named there. ``on_request`` names roles that take part only when someone with the stage's
    authority requests them, with a reason (NEL's Independent Scrutiny Officer "may be requested",
    L85): until then they neither see the child nor act. The roles in ``roles`` take part as soon
    as the stage starts.
    """

    description: Text
    level: int | None = Field(None, ge=1, description="seniority level in each agency not named in levels")
    levels: dict[Slug, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="seniority-matrix agency column -> its level at this stage"
    )
    roles: tuple[Slug, ...] = ()
    on_request: tuple[Slug, ...] = Field((), description="roles that take part only once requested")
    source: Text

    @model_validator(mode="after")
    def _consistent(self) -> Handlers:
        if self.levels and self.level is None:
            raise ValueError("handlers with levels per agency need level too: the level of every other agency")
        both = sorted(set(self.roles) & set(self.on_request))
        if both:
            raise ValueError(
                f"a role takes part either from the stage's start (roles) or on request (on_request), "
                f"not both: {', '.join(both)}"
            )
        return self

    def level_for(self, matrix_agency: str | None) -> int | None:
        """The level an agency acts at here: its own column's, else the stage's ``level``."""
        if matrix_agency and matrix_agency in self.levels:
            return self.levels[matrix_agency]
        return self.level

    @property
    def all_levels(self) -> set[int]:
        return ({self.level} if self.level is not None else set()) | set(self.levels.values())


class RecordRequirement(_Model):
    kind: RecordKind
    title: Text
    required_before: tuple[Transition, ...] = ("escalate", "resolve")
    kept_by: tuple[Text, ...] = ()
    form: Text | None = None
    flag: Slug | None = Field(None, description="required only when the disagreement carries this flag")
    source: Text


class Condition(_Model):
    """Something a handler records as holding (Enfield L82: wider learning points, gaps in policy).

    A notification with ``when: condition`` is sent only once a handler has recorded it.
    """

    slug: Slug
    name: Text
    source: Text


class Notification(_Model):
    """Who is told what, and when.

    ``when``:

    - ``entry``: the stage starts;
    - ``close``: the stage ends, however (escalated, resolved or withdrawn);
    - ``escalate``: the stage ends by escalation only (Cumbria L19 "if they are unable to do so");
    - ``final``: the disagreement itself ends (resolved or withdrawn) at this stage;
    - ``involved``: someone at ``min_level`` or above takes part, at any time (Enfield L84-86),
      checked whenever anyone joins (a stage's start, a person added, a meeting's attendees);
    - ``condition``: a handler records that ``condition`` holds (Enfield L82).

    ``once``: sent once per disagreement, not at every stage (Pan-Lancashire's MASA alert, L27);
    ``involved`` and ``condition`` notices are always once.

    ``within: own_agency``: of the holders of the role ``to``, only those in the agency of the
    person it concerns (the raiser), not one partnership-wide post: "the safeguarding lead within
    their organisation" (Peterborough L36, Pan-Lancashire L23).

    ``offer``: the notice is not sent to the role's holders; it is offered to the raiser, who is
    shown whom they may ask ("professionals should seek the advice", Peterborough L36): the advice
    is sought by the worker, so nobody else is told.
    """

    to: str = Field(description="a role slug, or line_managers, handlers, raiser, parties or stage_level")
    what: Text
    when: NotifyWhen = "entry"
    min_level: int | None = Field(None, ge=1, description="only when someone at this level or above is involved")
    flag: Slug | None = Field(None, description="only when the disagreement carries this flag")
    reached_stage: Slug | None = Field(None, description="(on close) only if the disagreement reached this stage")
    condition: Slug | None = Field(None, description="(when: condition) the condition a handler records")
    once: bool = Field(False, description="once per disagreement, not at every stage")
    within: Literal["own_agency"] | None = Field(
        None, description="only the role's holders in the agency of the person raising it"
    )
    offer: bool = Field(False, description="offered to the raiser (whom they may ask), not sent to the role")
    timing: Text | None = Field(None, description="the procedure's words for how soon")
    form: Text | None = None
    meets: Slug | None = Field(
        None,
        description="the stage's timescale this notice fulfils once it is sent: Enfield L60, 'the line managers "
        "should be informed the same working day' is met when Resolve has told them; no reminder or breach "
        "alert follows then",
    )
    source: Text

    @model_validator(mode="after")
    def _consistent(self) -> Notification:
        if self.when == "condition" and self.condition is None:
            raise ValueError("a 'when: condition' notification needs condition: the condition a handler records")
        if self.condition is not None and self.when != "condition":
            raise ValueError("condition is only for a 'when: condition' notification")
        if self.when == "involved" and self.min_level is None:
            raise ValueError("a 'when: involved' notification needs min_level: the level whose taking part it awaits")
        if (self.within or self.offer) and self.to in RECIPIENTS:
            raise ValueError(f"within and offer are for a partnership role, not {self.to!r}")
        if self.offer and self.within is None:
            raise ValueError("an offer names the role's holders in the raiser's own agency: add within: own_agency")
        return self


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
        timescale_slugs = {t.slug for t in self.timescales}
        for n in self.notifications:
            if n.meets is not None and n.meets not in timescale_slugs:
                raise ValueError(
                    f"a notification's meets must name one of this stage's timescales "
                    f"({', '.join(sorted(timescale_slugs)) or 'it has none'}), not {n.meets!r}"
                )
        slugs = [t.slug for t in self.timescales] + [i.slug for i in self.instructions]
        dupes = sorted({s for s in slugs if slugs.count(s) > 1})
        if dupes:
            raise ValueError(f"timescale and instruction slugs must be unique in a stage; repeated: {', '.join(dupes)}")
        for i, t in enumerate(self.timescales):
            if t.from_.startswith("due:"):
                ref = t.from_.removeprefix("due:")
                if ref not in slugs[:i]:
                    raise ReferenceProblems(
                        [
                            (
                                ("timescales", i, "from"),
                                f"timescale {t.slug!r} is measured from due:{ref}, which is not a timescale "
                                f"listed before it in this stage",
                            )
                        ]
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
        problems: list[str] = []
        located: dict[int, Loc] = {}
        for i, stage in enumerate(self.stages):
            for j, t in enumerate(stage.timescales):
                if t.from_.startswith("stage_start:"):
                    ref = t.from_.removeprefix("stage_start:")
                    if ref not in slugs[: i + 1]:
                        located[len(problems)] = ("stages", i, "timescales", j, "from")
                        problems.append(
                            f"stage {stage.slug!r} timescale {t.slug!r} is measured from the start "
                            f"of {ref!r}, which is not this stage or one before it"
                        )
        _raise_located(problems, located)
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
    #: a warning every reader of the matrix must see first (Enfield's is reconstructed from a damaged chart)
    caveat: Text | None = Field(
        None, description="a warning shown above the matrix, such as that it is reconstructed from a damaged original"
    )
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


def _matrix_columns_problems(handlers: Handlers, seniority: Seniority | None) -> list[str]:
    """Handler levels per agency must name columns of the procedure's seniority matrix."""
    if not handlers.levels:
        return []
    columns = {a.slug for a in seniority.agencies} if seniority else set()
    unknown = sorted(set(handlers.levels) - columns)
    if not unknown:
        return []
    known = ", ".join(sorted(columns)) or "none: the procedure has no seniority matrix with agencies"
    return [
        f"handler levels name agencies that are not columns of the seniority matrix: {', '.join(unknown)} "
        f"(columns: {known})"
    ]


class ChildRecord(_Model):
    """The record made for the child's file and each agency's file (every seed asks for written records).

    ``modelled_on``: the procedure's own form, where it names one that the seed gives only a title for
    (Peterborough's Appendix 2): the fields are then Resolve's own design modelled on it, and the
    record says so; it is never presented as the partnership's form.
    """

    title: Text
    modelled_on: Text | None = Field(None, description="the procedure's form whose title this record follows")
    kept_by: tuple[Text, ...] = Field((), description="the files the procedure says keep it, in its words")
    source: Text


class BoardReport(_Model):
    """A report to the partnership board the procedure asks for, over a chosen period.

    It covers the disagreements that reached ``reached_stage`` in the period, or in which someone at
    ``min_level`` or above took part (Enfield L84-86: "Level 4 or above intervention"); either or both.
    """

    slug: Slug
    title: Text
    what: Text = Field(description="what the report is for, in the procedure's words")
    reached_stage: Slug | None = None
    min_level: int | None = Field(None, ge=1)
    to: tuple[Slug, ...] = Field((), description="the roles it goes to")
    source: Text

    @model_validator(mode="after")
    def _covers_something(self) -> BoardReport:
        if self.reached_stage is None and self.min_level is None:
            raise ValueError("a board report needs reached_stage or min_level: which disagreements it covers")
        return self


class Documents(_Model):
    """The documents the procedure asks for: the record for the files, and reports to the board."""

    record: ChildRecord | None = Field(None, description="none: Resolve's own record of the disagreement")
    reports: tuple[BoardReport, ...] = ()


def _documents_problems(
    documents: Documents, stages: set[str], levels: set[int] | None, roles: set[str]
) -> list[tuple[Loc, str]]:
    """What the board reports name that the procedure does not define."""
    found: list[tuple[Loc, str]] = []
    slugs = [r.slug for r in documents.reports]
    for k, report in enumerate(documents.reports):
        loc: Loc = ("documents", "reports", k)
        where = f"documents: report {report.slug!r}"
        if slugs.count(report.slug) > 1:
            found.append(((*loc, "slug"), f"documents: report slugs must be unique; repeated: {report.slug}"))
        if report.reached_stage and report.reached_stage not in stages:
            found.append(
                ((*loc, "reached_stage"), f"{where} reached_stage {report.reached_stage!r} is no stage of any pathway")
            )
        if report.min_level is not None and levels is not None and report.min_level not in levels:
            found.append(((*loc, "min_level"), f"{where} min_level {report.min_level} is not a seniority level"))
        found += [
            ((*loc, "to", j), f"{where} goes to {r!r}, which is not in roles")
            for j, r in enumerate(report.to)
            if r not in roles
        ]
    return found


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
    reasons: tuple[Reason, ...] = Field((), description="causes of disagreement in every category; they route nothing")
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
    conditions: tuple[Condition, ...] = Field((), description="what a handler may record as holding")
    seniority: Seniority | None = None
    line_management: tuple[RoleChain, ...] = ()
    contacts: tuple[Contact, ...] = ()
    out_of_scope: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    documents: Documents = Documents()
    pathways: tuple[Pathway, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Procedure:
        problems: list[str] = []
        located: dict[int, Loc] = {}  # where a problem is, by its index in problems

        def problem_at(loc: Loc, message: str) -> None:
            located[len(problems)] = loc
            problems.append(message)

        pathway_slugs = [p.slug for p in self.pathways]
        role_slugs = {r.slug for r in self.roles}
        flag_slugs = {f.slug for f in self.flags}
        condition_slugs = {c.slug for c in self.conditions}
        for kind, field, slugs in (
            ("pathway", "pathways", pathway_slugs),
            ("category", "categories", [c.slug for c in self.categories]),
            ("reason", "reasons", [r.slug for r in self.reasons]),
            ("role", "roles", [r.slug for r in self.roles]),
            ("flag", "flags", [f.slug for f in self.flags]),
            ("condition", "conditions", [c.slug for c in self.conditions]),
        ):
            dupes = sorted({s for s in slugs if slugs.count(s) > 1})
            if dupes:
                # at the first repeat: the line to change
                second = min(i for i, s in enumerate(slugs) if s in dupes and slugs.index(s) < i)
                problem_at((field, second, "slug"), f"{kind} slugs must be unique; repeated: {', '.join(dupes)}")
        for i, c in enumerate(self.categories):
            if c.pathway and c.pathway not in pathway_slugs:
                problem_at(
                    ("categories", i, "pathway"),
                    f"category {c.slug!r} names pathway {c.pathway!r}, which is not defined",
                )
        all_stage_slugs = {s.slug for p in self.pathways for s in p.stages}
        levels = {lv.level for lv in self.seniority.levels} if self.seniority else None

        def check_notification(n: Notification, where: str, loc: Loc) -> None:
            if n.to not in role_slugs and n.to not in RECIPIENTS:
                problem_at(
                    (*loc, "to"),
                    f"{where}: notification to {n.to!r} names no role in roles and is not one of "
                    f"{', '.join(RECIPIENTS)}",
                )
            if n.condition and n.condition not in condition_slugs:
                problem_at((*loc, "condition"), f"{where}: notification condition {n.condition!r} is not in conditions")
            if n.flag and n.flag not in flag_slugs:
                problem_at((*loc, "flag"), f"{where}: notification flag {n.flag!r} is not in flags")
            if n.reached_stage and n.reached_stage not in all_stage_slugs:
                problem_at(
                    (*loc, "reached_stage"),
                    f"{where}: reached_stage {n.reached_stage!r} is no stage of any pathway",
                )

        for k, n in enumerate(self.notifications):
            check_notification(n, "notifications", ("notifications", k))
        for i, p in enumerate(self.pathways):
            for j, s in enumerate(p.stages):
                where = f"pathway {p.slug!r} stage {s.slug!r}"
                stage_loc: Loc = ("pathways", i, "stages", j)
                for key in ("roles", "on_request"):
                    for k, r in enumerate(getattr(s.handlers, key)):
                        if r not in role_slugs:
                            problem_at((*stage_loc, "handlers", key, k), f"{where}: handler role {r!r} is not in roles")
                for lv in sorted(s.handlers.all_levels):
                    if levels is not None and lv not in levels:
                        problem_at(
                            (*stage_loc, "handlers", "level" if lv == s.handlers.level else "levels"),
                            f"{where}: handler level {lv} is not a seniority level",
                        )
                for problem in _matrix_columns_problems(s.handlers, self.seniority):
                    problem_at((*stage_loc, "handlers", "levels"), f"{where}: {problem}")
                for k, n in enumerate(s.notifications):
                    check_notification(n, where, (*stage_loc, "notifications", k))
                for k, t in enumerate(s.timescales):
                    if t.flag and t.flag not in flag_slugs:
                        problem_at(
                            (*stage_loc, "timescales", k, "flag"),
                            f"{where}: timescale {t.slug!r} flag {t.flag!r} is not in flags",
                        )
                for k, record in enumerate(s.records):
                    if record.flag and record.flag not in flag_slugs:
                        problem_at(
                            (*stage_loc, "records", k, "flag"),
                            f"{where}: record {record.title!r} flag {record.flag!r} is not in flags",
                        )
                for k, instruction in enumerate(s.instructions):
                    if instruction.flag and instruction.flag not in flag_slugs:
                        problem_at(
                            (*stage_loc, "instructions", k, "flag"),
                            f"{where}: instruction {instruction.slug!r} flag {instruction.flag!r} is not in flags",
                        )
        for k, instruction in enumerate(self.instructions):
            if instruction.flag and instruction.flag not in flag_slugs:
                problem_at(
                    ("instructions", k, "flag"),
                    f"instructions: instruction {instruction.slug!r} flag {instruction.flag!r} is not in flags",
                )
        for loc, message in _documents_problems(self.documents, all_stage_slugs, levels, role_slugs):
            problem_at(loc, message)
        if self.significant_harm is not None and self.significant_harm.applies != "significant_harm":
            problem_at(
                ("significant_harm", "applies"), "significant_harm: its timescale must say applies: significant_harm"
            )
        _raise_located(problems, located)
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

    def condition(self, slug: str) -> Condition:
        for c in self.conditions:
            if c.slug == slug:
                return c
        raise KeyError(slug)

    def report(self, slug: str) -> BoardReport:
        for r in self.documents.reports:
            if r.slug == slug:
                return r
        raise KeyError(slug)

    def role(self, slug: str) -> PartnershipRole:
        for r in self.roles:
            if r.slug == slug:
                return r
        raise KeyError(slug)
