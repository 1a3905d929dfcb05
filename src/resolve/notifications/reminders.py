"""Deadline reminders and breach alerts: which deadlines fall due in the sweep's window, and when to tell.

Every moment here is measured from a stored ``StageDeadline.due``, so the sweep finds what it must
do with range queries on the ``due`` index only, and its cost grows with the deadlines falling due,
never with the number of open disagreements. The querysets are exposed (``missed_in``,
``clock_reminders_in``, ``working_reminders_in``) so that a test EXPLAINs the very queries the sweep runs.

When people are told (the rule the deadline was computed with is looked up in its procedure by the
deadline's ``timescale``; a date set for the case follows the rule of the cap it shortens):

- Working-day deadlines (``same_working_day``, ``next_working_day``, ``working_days``): a "deadline
  coming" reminder at the start of the working day it falls due (``day_starts``, 09:00 on the local
  clock, of the last working day that starts before it is due), and also at the start of the working
  day before that where the procedure allows more than a day (``working_days`` with n >= 2). Never
  at night, at a weekend or on a bank holiday: a reminder the sweep reaches only after its working
  day ended is dropped (the next reminder, or the breach alert, follows). They fall due at the end of
  the working day (17:00): the breach alert is written then; one that passes outside the working day
  (a date set for the case at 20:00) is held until the start of the next working day.
- Clock-hour deadlines (``hours``, Cumbria's 24 hours when the issue relates to child protection):
  by the clock, at any hour. Resolve reminds when a quarter of the time is left (``CLOCK_LEAD``: 6
  hours before a 24-hour deadline) and says it is Resolve's reminder, not the procedure's deadline;
  the breach alert goes the minute the deadline passes. Both are urgent: never held for a digest.
- A reminder whose moment had passed when the deadline was stored (``computed_at``) is not sent, nor
  one for a deadline already passed. A breach alert is written only for a deadline that still
  governs: not replaced, not given way to a date set for the case, its stage still open, the
  disagreement open.

Who is told: a reminder goes to the stage's handlers and the people who can act at the stage (the
stage's level in each agency in dispute, or its roles: ``access.policy.people_who_can_act``); a
breach alert to them and each one's line manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from resolve.calendar import WorkingCalendar
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Notice, Participant, StageDeadline
from resolve.partnerships.models import Agency, Person, RoleAssignment
from resolve.partnerships.selectors import managers_of
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure, Timescale

#: the rules that count working days (the others: ``hours`` by the clock, ``words`` with no date)
WORKING_DAY_RULES = frozenset({"same_working_day", "next_working_day", "working_days"})
#: a clock-hour deadline is reminded when this share of its time is left
CLOCK_LEAD_SHARE = 4
#: a working-day breach alert reached this late after a deadline that passed in working hours still goes at once
LATE_GRACE = timedelta(hours=1)
#: the longest run of days off looked across (a calendar with more is taken to be broken)
_SEARCH_LIMIT = 366
#: the suffix ``deadline_set_for_case`` gives the timescale of a date set for the case
FOR_CASE = "-for-case"


@dataclass(frozen=True)
class Window:
    """The moments a sweep looks at: after ``start``, up to and including ``end``."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start < moment <= self.end

    def shifted(self, by: timedelta) -> Window:
        return Window(self.start + by, self.end + by)


# -- the procedure's rule for a deadline ----------------------------------------------------------


def _timescales(procedure: Procedure) -> Iterable[tuple[str, str, Timescale]]:
    """Every timescale of the procedure with the pathway and stage it is in (the significant-harm one: any)."""
    for pathway in procedure.pathways:
        for stage in pathway.stages:
            for t in stage.timescales:
                yield pathway.slug, stage.slug, t
    if procedure.significant_harm is not None:
        yield "", "", procedure.significant_harm


def timescale_of(procedure: Procedure, pathway: str, stage: str, slug: str) -> Timescale | None:
    """The timescale ``slug`` of the stage (or the procedure's significant-harm one); a date set for
    the case is looked up by the slug of the cap it shortens."""
    slug = slug.removesuffix(FOR_CASE)
    for p, s, t in _timescales(procedure):
        if t.slug == slug and ((p, s) == (pathway, stage) or (p, s) == ("", "")):
            return t
    return None


def met_by_notice(deadline: StageDeadline, procedure: Procedure, pathway: str) -> bool:
    """Whether the deadline is one a notice of its stage fulfils, and that notice was sent in time.

    Enfield L60: "The line managers should be informed the same working day": the message that informs
    them meets it (the notification's ``meets``), so it is neither reminded nor alerted as missed.
    """
    run = deadline.stage_run
    try:
        stage = procedure.pathway(pathway).stage(run.stage)
    except KeyError:
        return False
    fulfilling = [n for n in stage.notifications if n.meets == deadline.timescale]
    if not fulfilling or deadline.due is None:
        return False
    return Notice.objects.filter(
        stage_run=run,
        kind=Notice.Kind.PROCEDURE,
        source__in=[n.source for n in fulfilling],
        what__in=[n.what for n in fulfilling],
        sent_at__isnull=False,
        sent_at__lte=deadline.due,
    ).exists()


def clock_leads() -> dict[timedelta, frozenset[str]]:
    """For each clock-hour reminder lead in the stored procedures, the timescale slugs it applies to."""
    leads: dict[timedelta, set[str]] = {}
    for pk, sha in ProcedureVersion.objects.values_list("pk", "sha256"):
        for _p, _s, t in _timescales(ProcedureVersion.procedure_of(pk, sha)):
            if t.rule == "hours" and t.n is not None:
                leads.setdefault(clock_lead(t.n), set()).update({t.slug, t.slug + FOR_CASE})
    return {lead: frozenset(slugs) for lead, slugs in leads.items()}


def clock_lead(hours: int) -> timedelta:
    """How long before a clock-hour deadline of ``hours`` Resolve reminds: when a quarter of it is left."""
    return timedelta(hours=hours) / CLOCK_LEAD_SHARE


# -- working days: the moments the calendar gives ------------------------------------------------


def day_start(calendar: WorkingCalendar, d: date) -> datetime:
    """The start of ``d``'s working day on the calendar's local clock (09:00), in UTC."""
    return datetime.combine(d, calendar.day_starts, tzinfo=calendar.timezone).astimezone(UTC)


def in_working_hours(calendar: WorkingCalendar, at: datetime) -> bool:
    """On a working day, from its start to its end (17:00 itself included: deadlines fall then)."""
    local = at.astimezone(calendar.timezone)
    return calendar.is_working_day(local.date()) and calendar.day_starts <= local.time() <= calendar.day_ends


def working_day_on_or_after(calendar: WorkingCalendar, d: date) -> date:
    for _step in range(_SEARCH_LIMIT):
        if calendar.is_working_day(d):
            return d
        d += timedelta(days=1)
    raise ValueError("No working day in a year: check the partnership's closures")


def working_day_before(calendar: WorkingCalendar, d: date) -> date:
    for _step in range(_SEARCH_LIMIT):
        d -= timedelta(days=1)
        if calendar.is_working_day(d):
            return d
    raise ValueError("No working day in a year: check the partnership's closures")


def next_start(calendar: WorkingCalendar, after: datetime) -> datetime:
    """The start of the first working day that starts after ``after``."""
    d = working_day_on_or_after(calendar, calendar.local_date(after))
    while day_start(calendar, d) <= after:
        d = working_day_on_or_after(calendar, d + timedelta(days=1))
    return day_start(calendar, d)


def reminder_days(calendar: WorkingCalendar, due: datetime, timescale: Timescale) -> list[date]:
    """The working days at whose start a working-day deadline is reminded, latest first.

    The last working day that starts before it is due (the day it falls due), and the working day
    before that where the procedure allows more than a day (``working_days`` with n >= 2).
    """
    d = calendar.local_date(due)
    if not calendar.is_working_day(d) or day_start(calendar, d) >= due:
        d = working_day_before(calendar, d)
    days = [d]
    if timescale.rule == "working_days" and (timescale.n or 0) >= 2:
        days.append(working_day_before(calendar, d))
    return days


def day_starts_in(calendar: WorkingCalendar, window: Window) -> list[date]:
    """The working days whose start falls in the window, in order."""
    found = []
    d = calendar.local_date(window.start)
    last = calendar.local_date(window.end)
    while d <= last:
        if calendar.is_working_day(d) and day_start(calendar, d) in window:
            found.append(d)
        d += timedelta(days=1)
    return found


def reminder_ranges(calendars: Iterable[WorkingCalendar], window: Window) -> list[tuple[datetime, datetime]]:
    """The ranges of ``due`` (after, up to) whose working-day reminders may fall in the window.

    For a working day D starting in the window: deadlines due after D starts and up to the start of
    the next working day (reminded on D, the day they fall due), and those due up to the start of the
    working day after that (reminded on D, the working day before). Merged, so that each due time is
    read once; empty when no working day starts in the window (most runs).
    """
    ranges = []
    for calendar in set(calendars):
        for d in day_starts_in(calendar, window):
            following = working_day_on_or_after(calendar, d + timedelta(days=1))
            after_that = working_day_on_or_after(calendar, following + timedelta(days=1))
            ranges.append((day_start(calendar, d), day_start(calendar, after_that)))
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


# -- the sweep's queries: indexed ranges of due --------------------------------------------------


def governing(deadlines: QuerySet[StageDeadline]) -> QuerySet[StageDeadline]:
    """Those that still govern in SQL: not replaced, dated, their stage and disagreement open.

    (Whether a date set for the case shortens one is checked for the few found: ``shortened``.)
    """
    return (
        deadlines.filter(
            replaced_at__isnull=True,
            stage_run__ended_at__isnull=True,
            stage_run__disagreement__status=Disagreement.Status.OPEN,
        )
        .exclude(kind=StageDeadline.Kind.INSTRUCTION)
        .select_related("stage_run__disagreement__partnership", "stage_run__disagreement__procedure_version")
        .defer(
            "stage_run__disagreement__procedure_version__definition",
            "stage_run__disagreement__procedure_version__source_text",
        )
        .order_by("due", "id")
    )


def missed_in(window: Window) -> QuerySet[StageDeadline]:
    """Deadlines that pass in the window: their breach alerts (if they still govern)."""
    return governing(StageDeadline.objects.filter(due__gt=window.start, due__lte=window.end))


def clock_reminders_in(window: Window, lead: timedelta, slugs: Iterable[str]) -> QuerySet[StageDeadline]:
    """Clock-hour deadlines (``slugs``) whose reminder, ``lead`` before they are due, falls in the window."""
    moved = window.shifted(lead)
    return governing(StageDeadline.objects.filter(due__gt=moved.start, due__lte=moved.end, timescale__in=list(slugs)))


def working_reminders_in(ranges: list[tuple[datetime, datetime]]) -> QuerySet[StageDeadline]:
    """Deadlines due in ``ranges`` (``reminder_ranges``): those whose working-day reminder may fall now."""
    if not ranges:
        return StageDeadline.objects.none()
    q = Q()
    for lo, hi in ranges:
        q |= Q(due__gt=lo, due__lte=hi)
    return governing(StageDeadline.objects.filter(q))


def set_for_case_of(runs: Iterable[object]) -> QuerySet[StageDeadline]:
    """The standing dates set for the case at these stage runs (found by the stage-run index)."""
    return StageDeadline.objects.filter(
        stage_run__in=list(runs), kind=StageDeadline.Kind.SET_FOR_CASE, replaced_at__isnull=True
    )


def shortened(deadlines: list[StageDeadline]) -> set[int]:
    """Which of ``deadlines`` give way to a standing, no later date set for the case (by their stage runs)."""
    runs = {d.stage_run_id for d in deadlines if d.kind == StageDeadline.Kind.PROCEDURE}
    if not runs:
        return set()
    set_for_case: dict[tuple[object, str], list[datetime]] = {}
    for run, slug, due in set_for_case_of(runs).values_list("stage_run_id", "cap__timescale", "due"):
        if due is not None:
            set_for_case.setdefault((run, slug), []).append(due)
    return {
        d.pk
        for d in deadlines
        if d.due is not None and any(x <= d.due for x in set_for_case.get((d.stage_run_id, d.timescale), []))
    }


# -- what is said, and to whom -------------------------------------------------------------------


@dataclass(frozen=True)
class Tell:
    """One notice the sweep writes: a reminder (``coming``) or a breach alert (``missed``)."""

    deadline: StageDeadline
    kind: str  # Notice.Kind.DEADLINE_COMING or DEADLINE_MISSED
    key: str
    what: str
    source: str
    urgent: bool
    send_after: datetime | None


def what_coming(deadline: StageDeadline, timescale: Timescale, due_text: str) -> str:
    if timescale.rule == "hours":
        return _(
            "Resolve's reminder, not the procedure's deadline: a quarter of the time is left. "
            "'%(what)s' is due by %(when)s (%(rule)s). Act now: the clock does not stop at night or at a weekend."
        ) % {"what": deadline.what, "when": due_text, "rule": deadline.rule}
    return _("Resolve's reminder at the start of the working day: '%(what)s' is due by %(when)s (%(rule)s).") % {
        "what": deadline.what,
        "when": due_text,
        "rule": deadline.rule,
    }


def what_missed(deadline: StageDeadline, due_text: str) -> str:
    return _(
        "A deadline was missed: '%(what)s' was due by %(when)s (%(rule)s) and the stage is still open. "
        "The people handling it, and their line managers, are told."
    ) % {"what": deadline.what, "when": due_text, "rule": deadline.rule}


def told_for_coming(deadline: StageDeadline) -> list[Person]:
    """The stage's handlers, and the people who can act at it at its own level (not everyone above).

    As ``access.policy.people_who_can_act`` finds them, in a few queries whatever the chains: those
    taking part and the managers in their chains who are at the stage's level in an agency in dispute
    (the level for their own agency), and the holders of the stage's roles. Each of them sees the
    disagreement (they, or someone they manage, take part; or they hold a role of its stage).
    """
    run = deadline.stage_run
    disagreement = run.disagreement
    stage = rules.stage_of(run)
    parties = {a.pk: a for a in Agency.objects.filter(pk__in=rules.party_agency_ids(disagreement))}
    levels = {pk: rules.acting_level(disagreement, run, agency) for pk, agency in parties.items()}
    found: dict[object, Person] = {}
    for p in Participant.objects.filter(disagreement=disagreement).select_related("person__line_manager"):
        if p.capacity == Participant.Capacity.HANDLER and p.stage_run_id == run.pk:
            found.setdefault(p.person.pk, p.person)
        for person in (p.person, *managers_of(p.person)):
            if person.agency_id in levels and person.level is not None and person.level == levels[person.agency_id]:
                found.setdefault(person.pk, person)
    for assignment in RoleAssignment.objects.filter(
        partnership=disagreement.partnership_id,
        person__partnership=disagreement.partnership_id,
        role__in=stage.handlers.roles,
    ).select_related("person__line_manager"):
        found.setdefault(assignment.person.pk, assignment.person)
    return [p for p in found.values() if p.is_active]


def told_for_missed(deadline: StageDeadline) -> list[Person]:
    """The reminder's people and each one's line manager."""
    people = told_for_coming(deadline)
    found = {p.pk: p for p in people}
    for person in people:
        manager = person.line_manager
        if manager is not None and manager.is_active:
            found.setdefault(manager.pk, manager)
    return list(found.values())
