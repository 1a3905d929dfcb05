"""The partnership dashboard's figures over a period: one aggregate query (or a fixed few) per figure.

A **scope** is the partnerships asked about and a period of whole local days (Europe/London), start
and end inclusive. What each figure counts:

- ``totals``: raised in the period; closed in the period (resolved, withdrawn); open at the period's end
  (raised before its end and not closed by then);
- ``by_stage``, ``by_raising_agency``, ``by_receiving_agency``, ``by_category``: the disagreements raised in
  the period, by the furthest stage each reached (its stage run with the highest position, named by the
  stage's name), the agency that raised it, each agency it was raised with (one disagreement may count
  for several), and its category (the procedure's name for it);
- ``time_to_resolution``: ``Disagreement.working_days_taken`` of those closed in the period: median, lower
  and upper quartile (linear interpolation between the closest ranks, as PostgreSQL's ``percentile_cont``),
  shortest, longest and count; the quartiles are read from the database by rank (``OFFSET``), so the
  queries are a fixed few whatever the number of disagreements;
- ``deadlines_by_stage``: the deadlines due in the period, met, missed and pending
  (``resolve.reports.deadlines.with_state``), by stage;
- ``escalations``: stage runs entered by escalation that started in the period, by stage;
- ``trend``: raised and closed per calendar month (Europe/London), every month of the period shown.

The exact figures are for the dashboard; whatever leaves it suppresses small numbers
(``resolve.reports.suppression``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.core.errors import ResolveError
from resolve.disagreements.models import Disagreement, StageDeadline, StageRun
from resolve.partnerships.models import Partnership
from resolve.procedures.models import ProcedureVersion
from resolve.reports.access import oversight_check
from resolve.reports.deadlines import MET, MISSED, PENDING, with_state

LONDON = ZoneInfo("Europe/London")
#: the longest period a dashboard covers
LONGEST = 5 * 366


@dataclass(frozen=True)
class Scope:
    """The partnerships asked about and the period: whole local days, ``start`` and ``end`` inclusive."""

    partnership_ids: tuple[UUID, ...]
    start: date
    end: date
    now: datetime

    @property
    def since(self) -> datetime:
        """The period's first instant: local midnight at the start of ``start``."""
        return datetime.combine(self.start, time.min, tzinfo=LONDON)

    @property
    def until(self) -> datetime:
        """The instant just after the period: local midnight at the end of ``end``."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON)


def default_period(now: datetime | None = None) -> tuple[date, date]:
    """The last 12 months to today: from the day after this day a year ago, to today."""
    today = timezone.localtime(now or timezone.now(), LONDON).date()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today


def check_period(start: date, end: date, *, now: datetime) -> None:
    """Refuse a period that ends before it starts, is longer than 5 years, or starts in the future."""
    today = timezone.localtime(now, LONDON).date()
    if start > today:
        raise ResolveError(_("The start date must be today or in the past"), field="start")
    if end < start:
        raise ResolveError(_("The end date must be the same as or after the start date"), field="end")
    if (end - start).days >= LONGEST:
        raise ResolveError(_("The period must be 5 years or shorter"), field="end")


def scope_for(*, user: Any, partnership: Partnership, start: date, end: date, now: datetime | None = None) -> Scope:
    """The scope of ``partnership``'s dashboard for ``user`` (who must oversee it) over a valid period."""
    oversight_check(user=user, partnership=partnership)
    now = now or timezone.now()
    check_period(start, end, now=now)
    return Scope(partnership_ids=(partnership.pk,), start=start, end=end, now=now)


# ---------------------------------------------------------------------------------------------- querysets


def _disagreements(scope: Scope) -> QuerySet[Disagreement]:
    return Disagreement.objects.filter(partnership__in=scope.partnership_ids).order_by()


def raised_in(scope: Scope) -> QuerySet[Disagreement]:
    """The disagreements raised in the period: those the breakdowns and the list count."""
    return _disagreements(scope).filter(raised_at__gte=scope.since, raised_at__lt=scope.until)


def closed_in(scope: Scope) -> QuerySet[Disagreement]:
    return _disagreements(scope).filter(
        status__in=(Disagreement.Status.RESOLVED, Disagreement.Status.WITHDRAWN),
        closed_at__gte=scope.since,
        closed_at__lt=scope.until,
    )


def _furthest(field_name: str) -> Subquery:
    """The ``field_name`` of the disagreement's stage run with the highest position."""
    runs = StageRun.objects.filter(disagreement=OuterRef("pk")).order_by("-position", "-started_at")
    return Subquery(runs.values(field_name)[:1])


# ---------------------------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Totals:
    raised: int
    resolved: int
    withdrawn: int
    open_at_end: int

    @property
    def closed(self) -> int:
        return self.resolved + self.withdrawn


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    """Counts by one thing; ``adds_up``: each disagreement is in exactly one row (so a total is shown)."""

    rows: tuple[Row, ...]
    adds_up: bool = True

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)


@dataclass(frozen=True)
class Spread:
    """Working days taken, of the disagreements closed in the period (None where there are none)."""

    count: int
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    shortest: int | None
    longest: int | None


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    met: int
    missed: int
    pending: int

    @property
    def total(self) -> int:
        return self.met + self.missed + self.pending


@dataclass(frozen=True)
class Deadlines:
    rows: tuple[DeadlineRow, ...]


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    raised: int
    closed: int


@dataclass(frozen=True)
class Trend:
    months: tuple[Month, ...]


def totals(scope: Scope) -> Totals:
    """One query: conditional counts over the partnerships' disagreements."""
    since, until = scope.since, scope.until
    closed = Q(status__in=(Disagreement.Status.RESOLVED, Disagreement.Status.WITHDRAWN))
    found = _disagreements(scope).aggregate(
        raised=Count("pk", filter=Q(raised_at__gte=since, raised_at__lt=until)),
        resolved=Count("pk", filter=Q(status=Disagreement.Status.RESOLVED, closed_at__gte=since, closed_at__lt=until)),
        withdrawn=Count(
            "pk", filter=Q(status=Disagreement.Status.WITHDRAWN, closed_at__gte=since, closed_at__lt=until)
        ),
        open_at_end=Count(
            "pk",
            filter=Q(raised_at__lt=until) & (~closed | Q(closed_at__isnull=True) | Q(closed_at__gte=until)),
        ),
    )
    return Totals(**found)


def by_stage(scope: Scope) -> Breakdown:
    """Raised in the period, by the furthest stage reached (ordered by the stage's position).

    Counted over the stage runs that no later run of the same disagreement follows (an anti-join),
    not by a subquery per disagreement: one pass however many there are.
    """
    later = StageRun.objects.filter(disagreement=OuterRef("disagreement"), position__gt=OuterRef("position"))
    rows = (
        StageRun.objects.filter(disagreement__in=raised_in(scope).values("pk"))
        .exclude(Exists(later))
        .values("name")
        .annotate(n=Count("disagreement", distinct=True), at=Min("position"))
        .order_by("at", "name")
    )
    return Breakdown(tuple(Row(r["name"], r["n"]) for r in rows))


def by_raising_agency(scope: Scope) -> Breakdown:
    rows = (
        raised_in(scope).values("raising_agency__name").annotate(n=Count("pk")).order_by("-n", "raising_agency__name")
    )
    return Breakdown(tuple(Row(r["raising_agency__name"], r["n"]) for r in rows))


def by_receiving_agency(scope: Scope) -> Breakdown:
    """Each agency a disagreement raised in the period was raised with; one disagreement may name several."""
    through = Disagreement.other_agencies.through
    rows = (
        through.objects.filter(disagreement__in=raised_in(scope).values("pk"))
        .values("agency__name")
        .annotate(n=Count("disagreement", distinct=True))
        .order_by("-n", "agency__name")
    )
    return Breakdown(tuple(Row(r["agency__name"], r["n"]) for r in rows), adds_up=False)


def _category_names(scope: Scope, raised: QuerySet[Disagreement]) -> dict[str, str]:
    names: dict[str, str] = {}
    versions = ProcedureVersion.objects.filter(pk__in=raised.values("procedure_version")).values_list("pk", "sha256")
    for pk, sha in versions:
        for c in ProcedureVersion.procedure_of(pk, sha).categories:
            names.setdefault(c.slug, c.name)
    return names


def by_category(scope: Scope) -> Breakdown:
    raised = raised_in(scope)
    rows = list(raised.values("category").annotate(n=Count("pk")).order_by("-n", "category"))
    names = _category_names(scope, raised) if rows else {}
    return Breakdown(tuple(Row(names.get(r["category"], r["category"]) or _("No category"), r["n"]) for r in rows))


def quantile(values: QuerySet[Disagreement], count: int, p: float) -> float:
    """The ``p`` quantile of ``values``' working days taken (``count`` of them, at least 1), by linear
    interpolation between ranks as ``percentile_cont`` does; the ranks either side read with OFFSET (one
    query on either database). The board reports' median uses it too."""
    position = p * (count - 1)
    low, high = math.floor(position), math.ceil(position)
    ordered = values.order_by("working_days_taken").values_list("working_days_taken", flat=True)
    pair = [int(v or 0) for v in ordered[low : high + 1]]  # one query: the one or two ranks either side
    a, b = pair[0], pair[-1]
    return float(a + (b - a) * (position - low))


def time_to_resolution(scope: Scope) -> Spread:
    taken = closed_in(scope).filter(working_days_taken__isnull=False)
    found = taken.aggregate(count=Count("pk"), shortest=Min("working_days_taken"), longest=Max("working_days_taken"))
    n = found["count"]
    if not n:
        return Spread(0, None, None, None, None, None)
    return Spread(
        count=n,
        median=quantile(taken, n, 0.5),
        lower_quartile=quantile(taken, n, 0.25),
        upper_quartile=quantile(taken, n, 0.75),
        shortest=found["shortest"],
        longest=found["longest"],
    )


def deadlines_by_stage(scope: Scope) -> Deadlines:
    """The deadlines due in the period, met, missed or pending, by stage (one query, after the procedure's)."""
    due = StageDeadline.objects.filter(
        stage_run__disagreement__partnership__in=scope.partnership_ids, due__gte=scope.since, due__lt=scope.until
    )
    rows = (
        with_state(due, now=scope.now)
        .values("stage_run__name")
        .annotate(
            at=Min("stage_run__position"),
            met=Count("pk", filter=Q(state=MET)),
            missed=Count("pk", filter=Q(state=MISSED)),
            pending=Count("pk", filter=Q(state=PENDING)),
        )
        .order_by("at", "stage_run__name")
    )
    return Deadlines(tuple(DeadlineRow(r["stage_run__name"], r["met"], r["missed"], r["pending"]) for r in rows))


def escalations(scope: Scope) -> Breakdown:
    """Stage runs entered by escalation that started in the period, by the stage escalated to."""
    rows = (
        StageRun.objects.filter(
            disagreement__partnership__in=scope.partnership_ids,
            entry=StageRun.Entry.ESCALATED,
            started_at__gte=scope.since,
            started_at__lt=scope.until,
        )
        .values("name")
        .annotate(at=Min("position"), n=Count("pk"))
        .order_by("at", "name")
    )
    return Breakdown(tuple(Row(r["name"], r["n"]) for r in rows))


def _months(start: date, end: date) -> list[date]:
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def _per_month(qs: QuerySet[Disagreement], field_name: str) -> dict[date, int]:
    rows = qs.annotate(m=TruncMonth(field_name, tzinfo=LONDON)).values("m").annotate(n=Count("pk")).order_by("m")
    found: dict[date, int] = {}
    for r in rows:  # one row a month
        m = r["m"]
        day = timezone.localtime(m, LONDON).date() if isinstance(m, datetime) else m
        found[day] = found.get(day, 0) + r["n"]
    return found


def trend(scope: Scope) -> Trend:
    """Raised and closed in each calendar month of the period (two queries)."""
    raised = _per_month(raised_in(scope), "raised_at")
    closed = _per_month(closed_in(scope), "closed_at")
    return Trend(tuple(Month(m, raised.get(m, 0), closed.get(m, 0)) for m in _months(scope.start, scope.end)))


FIGURES: dict[str, Callable[[Scope], object]] = {
    "totals": totals,
    "by_stage": by_stage,
    "by_raising_agency": by_raising_agency,
    "by_receiving_agency": by_receiving_agency,
    "by_category": by_category,
    "time_to_resolution": time_to_resolution,
    "deadlines_by_stage": deadlines_by_stage,
    "escalations": escalations,
    "trend": trend,
}


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    totals: Totals
    by_stage: Breakdown
    by_raising_agency: Breakdown
    by_receiving_agency: Breakdown
    by_category: Breakdown
    time_to_resolution: Spread
    deadlines_by_stage: Deadlines
    escalations: Breakdown
    trend: Trend


def dashboard(scope: Scope) -> Dashboard:
    """Every figure of ``FIGURES`` for the scope."""
    return Dashboard(scope=scope, **{key: figure(scope) for key, figure in FIGURES.items()})  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- the list


LIST_FIELDS = (
    "reference",
    "category",
    "raising_agency",
    "other_agencies",
    "raised",
    "stage_reached",
    "status",
    "closed",
    "working_days_taken",
)


def disagreement_rows(scope: Scope) -> list[dict[str, Any]]:
    """Each disagreement raised in the period, oldest first: never a child's name or reference, nor the concern.

    Two queries whatever the number: the disagreements with their furthest stage, and the agencies
    they were raised with (plus the procedure versions, for the category names).
    """
    raised = raised_in(scope)
    rows = list(
        raised.annotate(stage_reached=_furthest("name"))
        .values(
            "pk",
            "reference",
            "category",
            "raising_agency__name",
            "raised_at",
            "stage_reached",
            "status",
            "closed_at",
            "working_days_taken",
        )
        .order_by("raised_at", "reference")
    )
    if not rows:
        return []
    others: dict[Any, list[str]] = {}
    through = Disagreement.other_agencies.through
    pairs = (
        through.objects.filter(disagreement__in=raised.values("pk"))
        .values_list("disagreement_id", "agency__name")
        .order_by("agency__name")
    )
    for pk, name in pairs:
        others.setdefault(pk, []).append(name)
    names = _category_names(scope, raised)
    statuses = dict(Disagreement.Status.choices)
    return [
        {
            "reference": r["reference"],
            "category": names.get(r["category"], r["category"]),
            "raising_agency": r["raising_agency__name"],
            "other_agencies": "; ".join(others.get(r["pk"], [])),
            "raised": timezone.localtime(r["raised_at"], LONDON).date(),
            "stage_reached": r["stage_reached"] or "",
            "status": str(statuses.get(r["status"], r["status"])),
            "closed": timezone.localtime(r["closed_at"], LONDON).date() if r["closed_at"] else None,
            "working_days_taken": r["working_days_taken"],
        }
        for r in rows
    ]
