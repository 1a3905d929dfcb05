"""The reports to the partnership board that a procedure names (``documents.reports``), for a chosen period.

A report covers the partnership's disagreements that, within the period, reached its stage (a
stage run of ``reached_stage`` started in it) or in which someone at ``min_level`` or above was
added as a participant (Enfield L84-86, "Level 4 or above"; READING 2.7). It says what it is for,
in the procedure's words and with the source line, who it goes to, the summary figures with small
numbers suppressed (``Partnership.suppress_below``) and the list of the disagreements covered.

It never carries a child's name or reference, nor the free text of the concern: either may
identify the child. Every figure is an aggregate query; the number of queries does not grow with
the data. Making one (PDF or Word) is an audit event (``document_made``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement, Participant, StageDeadline, StageRun
from resolve.documents import render
from resolve.partnerships.models import Partnership
from resolve.procedures.schema import BoardReport, Procedure
from resolve.reports.access import oversight_check
from resolve.reports.deadlines import MET, MISSED, PENDING, with_state
from resolve.reports.figures import quantile
from resolve.reports.suppression import is_suppressed, shown, suppress_row

#: the longest period a report may cover, in days (a year, a leap year included)
LONGEST_PERIOD = 366

#: what an empty cell shows
NONE = "\N{EN DASH}"

#: the document's name in the audit event
DOCUMENT = "board_report"


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Row:
    """One disagreement covered, as the report lists it: no child's name or reference, no concern text."""

    reference: str
    category: str
    raising_agency: str
    other_agencies: str
    raised_on: date
    reached_on: date | None
    stage_now: str
    status: str
    closed_on: date | None
    working_days: int | None


@dataclass(frozen=True)
class BoardReportData:
    report: BoardReport
    partnership: Partnership
    procedure_name: str
    start: date
    end: date
    to: tuple[str, ...]
    below: int
    covers: str
    total: int
    by_status: tuple[Figure, ...]
    by_agency: tuple[Figure, ...]
    by_category: tuple[Figure, ...]
    deadlines: tuple[Figure, ...]
    median_days: str
    rows: tuple[Row, ...]
    notes: tuple[str, ...]
    overseer_person: Any
    overseer_name: str
    overseer_user: Any

    @property
    def reference(self) -> str:
        return f"{self.report.slug} {self.start.isoformat()}\N{EN DASH}{self.end.isoformat()}"

    @property
    def title(self) -> str:
        return self.report.title


def last_full_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one ``today`` is in: the default period."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter = date(today.year, first_month, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def period_check(start: date | None, end: date | None, *, today: date) -> None:
    """Refused with a message naming the field unless the period is a real one a report can cover."""
    if start is None:
        raise ResolveError(_("Enter the start date of the period"), field="start")
    if end is None:
        raise ResolveError(_("Enter the end date of the period"), field="end")
    if start > today:
        raise ResolveError(_("The start date must be today or in the past"), field="start")
    if end > today:
        raise ResolveError(_("The end date must be today or in the past"), field="end")
    if end < start:
        raise ResolveError(_("The end date must be the same as or after the start date"), field="end")
    if (end - start).days + 1 > LONGEST_PERIOD:
        raise ResolveError(
            _("The period must be %(n)s days or shorter: choose an end date closer to the start date")
            % {"n": LONGEST_PERIOD},
            field="end",
        )


def reports_of(partnership: Partnership) -> tuple[BoardReport, ...]:
    """The reports the partnership's procedure names (none without a procedure)."""
    version = partnership.procedure
    return version.procedure.documents.reports if version is not None else ()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as UK times: from the start date's midnight to the midnight after the end date."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def _covered(partnership: Partnership, report: BoardReport, since: datetime, until: datetime) -> QuerySet[Disagreement]:
    reached = Q(pk__in=[])
    if report.reached_stage:
        reached |= Q(
            Exists(
                StageRun.objects.filter(
                    disagreement=OuterRef("pk"),
                    stage=report.reached_stage,
                    started_at__gte=since,
                    started_at__lt=until,
                )
            )
        )
    if report.min_level is not None:
        reached |= Q(
            Exists(
                Participant.objects.filter(
                    disagreement=OuterRef("pk"),
                    person__level__gte=report.min_level,
                    added_at__gte=since,
                    added_at__lt=until,
                )
            )
        )
    return Disagreement.objects.filter(reached, partnership=partnership)


def _covers(report: BoardReport, procedure: Procedure) -> str:
    stage = next(
        (s.name for p in procedure.pathways for s in p.stages if s.slug == report.reached_stage),
        report.reached_stage or "",
    )
    parts = []
    if report.reached_stage:
        parts.append(_("reached %(stage)s in the period") % {"stage": stage})
    if report.min_level is not None:
        parts.append(_("had someone at level %(level)s or above join it in the period") % {"level": report.min_level})
    return _("The disagreements raised in the partnership that %(what)s.") % {"what": _(", or ").join(parts)}


def _role_name(procedure: Procedure, slug: str) -> str:
    try:
        return procedure.role(slug).name
    except KeyError:
        return slug


def _category_name(procedure: Procedure, slug: str) -> str:
    if not slug:
        return _("No category")
    try:
        return procedure.category(slug).name
    except KeyError:
        return slug


def _figures(labels: list[str], counts: list[int], below: int) -> tuple[Figure, ...]:
    return tuple(Figure(label, value) for label, value in zip(labels, suppress_row(counts, below), strict=True))


def _median(covered: QuerySet[Disagreement], below: int) -> str:
    """The median working days to close (``figures.quantile``, as the dashboard's): two queries at any size."""
    closed = covered.filter(working_days_taken__isnull=False)
    n = closed.count()
    if n == 0:
        return _("None closed")
    if is_suppressed(n, below):
        return _("Not shown: %(n)s closed") % {"n": shown(n, below)}
    return f"{quantile(closed, n, 0.5):g}"


def board_report(
    *, user: Any, partnership: Partnership, slug: str, start: date | None, end: date | None, now: datetime | None = None
) -> BoardReportData:
    """The report ``slug`` of ``partnership``'s procedure for the period, for someone who oversees it."""
    overseer = oversight_check(user=user, partnership=partnership)
    version = partnership.procedure
    if version is None:
        raise NotFound(_("The partnership's procedure names no such report."))
    procedure = version.procedure
    try:
        report = procedure.report(slug)
    except KeyError:
        raise NotFound(_("The partnership's procedure names no such report.")) from None
    now = now or timezone.now()
    period_check(start, end, today=timezone.localdate(now))
    assert start is not None
    assert end is not None
    since, until = _bounds(start, end)
    below = partnership.suppress_below
    covered = _covered(partnership, report, since, until)

    statuses = list(Disagreement.Status)
    counts = covered.aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in statuses},
    )
    total = counts["total"]
    by_status = _figures([str(s.label) for s in statuses], [counts[s.value] for s in statuses], below)

    agencies = list(
        covered.order_by().values("raising_agency__name").annotate(n=Count("pk")).order_by("raising_agency__name")
    )
    by_agency = _figures([a["raising_agency__name"] for a in agencies], [a["n"] for a in agencies], below)

    categories = list(covered.order_by().values("category").annotate(n=Count("pk")).order_by("category"))
    by_category = _figures(
        [_category_name(procedure, c["category"]) for c in categories], [c["n"] for c in categories], below
    )

    deadlines: tuple[Figure, ...] = ()
    if report.reached_stage:
        states = with_state(
            StageDeadline.objects.filter(stage_run__disagreement__in=covered, stage_run__stage=report.reached_stage),
            now=now,
        ).aggregate(**{k: Count("pk", filter=Q(state=k)) for k in (MET, MISSED, PENDING)})
        deadlines = _figures(
            [_("Met"), _("Missed"), _("Still to come")], [states[MET], states[MISSED], states[PENDING]], below
        )

    rows = _rows(covered, report, procedure, since, until)
    notes: tuple[str, ...] = (
        _(
            "This report never shows a child's name or reference, nor what the concern was about: either could "
            "identify the child. Each disagreement is named by its Resolve reference only."
        ),
        _(
            "Figures from 1 to %(last)s are shown as \u201cfewer than %(below)s\u201d, and where one figure in a "
            "breakdown is hidden, the next smallest is hidden too (\u201csuppressed\u201d), so that no child can "
            "be identified from the report. Totals are shown as counted."
        )
        % {"last": below - 1, "below": below},
        _("Working days are counted on the partnership's calendar, from raising to closing."),
    )
    design = (
        _(
            "The procedure gives only the title of its Appendix 3 pro-forma, not its fields: the contents of "
            "this report are Resolve's own design, modelled on Appendix 3."
        )
        if "Appendix 3" in report.title
        else _(
            "The procedure names this report but not its contents: its figures and columns are Resolve's own design."
        )
    )
    notes = (design, *notes)
    return BoardReportData(
        report=report,
        partnership=partnership,
        procedure_name=procedure.name,
        start=start,
        end=end,
        to=tuple(_role_name(procedure, r) for r in report.to),
        below=below,
        covers=_covers(report, procedure),
        total=total,
        by_status=by_status,
        by_agency=by_agency,
        by_category=by_category,
        deadlines=deadlines,
        median_days=_median(covered, below),
        rows=rows,
        notes=notes,
        overseer_person=overseer.person,
        overseer_name=overseer.name,
        overseer_user=overseer.user_id,
    )


def _rows(
    covered: QuerySet[Disagreement], report: BoardReport, procedure: Procedure, since: datetime, until: datetime
) -> tuple[Row, ...]:
    runs = StageRun.objects.filter(disagreement=OuterRef("pk"))
    annotations: dict[str, Any] = {
        "stage_now": Subquery(runs.order_by("-started_at", "-position").values("name")[:1]),
    }
    if report.reached_stage:
        annotations["stage_reached_at"] = Subquery(
            runs.filter(stage=report.reached_stage).order_by("started_at").values("started_at")[:1]
        )
    if report.min_level is not None:
        annotations["level_reached_at"] = Subquery(
            Participant.objects.filter(
                disagreement=OuterRef("pk"),
                person__level__gte=report.min_level,
                added_at__gte=since,
                added_at__lt=until,
            )
            .order_by()
            .values("disagreement")
            .annotate(first=Min("added_at"))
            .values("first")[:1]
        )
    found = (
        covered.select_related("raising_agency")
        .prefetch_related("other_agencies")
        .annotate(**annotations)
        .order_by("raised_at", "reference")
    )
    rows = []
    for d in found:
        reached = getattr(d, "stage_reached_at", None) or getattr(d, "level_reached_at", None)
        rows.append(
            Row(
                reference=d.reference,
                category=_category_name(procedure, d.category),
                raising_agency=d.raising_agency.name,
                other_agencies=", ".join(sorted(a.name for a in d.other_agencies.all())),
                raised_on=timezone.localdate(d.raised_at),
                reached_on=timezone.localdate(reached) if reached else None,
                stage_now=getattr(d, "stage_now", None) or "",
                status=str(d.get_status_display()),
                closed_on=timezone.localdate(d.closed_at) if d.closed_at else None,
                working_days=d.working_days_taken,
            )
        )
    return tuple(rows)


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else NONE


#: the list's columns, in the PDF, the Word document and the page
COLUMNS = (
    "Reference",
    "Category",
    "Raising agency",
    "Other agencies",
    "Raised",
    "Reached",
    "Stage now",
    "Status",
    "Closed",
    "Working days",
)


def row_cells(row: Row) -> list[str]:
    return [
        row.reference,
        row.category,
        row.raising_agency,
        row.other_agencies or NONE,
        _day(row.raised_on),
        _day(row.reached_on),
        row.stage_now,
        row.status,
        _day(row.closed_on),
        NONE if row.working_days is None else str(row.working_days),
    ]


def context(data: BoardReportData) -> dict[str, Any]:
    """What the page and the print template show (the shared body, ``documents/board_report_body.html``)."""
    return {
        "report": data,
        "title": data.title,
        "columns": [_(c) for c in COLUMNS],
        "table": [row_cells(r) for r in data.rows],
        "breakdowns": [(caption, figures, what) for caption, what, figures in _breakdowns(data)],
    }


def _breakdowns(data: BoardReportData) -> list[tuple[str, str, tuple[Figure, ...]]]:
    """The summary's breakdowns: (caption, what the rows are, the figures)."""
    return [
        (_("By raising agency"), _("Raising agency"), data.by_agency),
        (_("By category"), _("Category"), data.by_category),
        (_("Deadlines at the stage reached"), _("Deadline"), data.deadlines),
    ]


def board_report_pdf(data: BoardReportData, made: render.Made) -> bytes:
    return render.pdf("documents/board_report.html", context(data), made=made)


def board_report_docx(data: BoardReportData, made: render.Made) -> bytes:
    doc = render.docx_document(title=data.title, made=made)
    doc.add_paragraph(data.report.what)
    doc.add_paragraph(
        _("Source: %(procedure)s, %(source)s") % {"procedure": data.procedure_name, "source": data.report.source}
    )
    facts = [
        [_("Partnership"), data.partnership.name],
        [_("Period"), f"{data.start:%d/%m/%Y} to {data.end:%d/%m/%Y}"],
        [_("Goes to"), "; ".join(data.to) or NONE],
        [_("Covers"), data.covers],
    ]
    render.docx_table(doc, [_("About this report"), ""], facts)
    doc.add_heading(_("Summary"), level=2)
    summary = [[_("Disagreements covered"), str(data.total)]]
    summary += [[f.label, f.value] for f in data.by_status]
    summary.append([_("Median working days to close"), data.median_days])
    render.docx_table(doc, [_("Figure"), _("Number")], summary)
    for heading, what, figures in _breakdowns(data):
        if figures:
            doc.add_heading(heading, level=3)
            render.docx_table(doc, [what, _("Number")], [[f.label, f.value] for f in figures])
    doc.add_heading(_("Disagreements covered"), level=2)
    if data.rows:
        render.docx_table(doc, [_(c) for c in COLUMNS], [row_cells(r) for r in data.rows])
    else:
        doc.add_paragraph(_("No disagreement is covered in this period."))
    doc.add_heading(_("Notes"), level=2)
    for note in data.notes:
        doc.add_paragraph(note)
    return render.docx_bytes(doc)


def board_report_make(
    *, user: Any, partnership: Partnership, slug: str, start: date | None, end: date | None, kind: str
) -> tuple[bytes, str]:
    """The report as a PDF or Word document, and its file name; the audit event that it was made."""
    if kind not in render.FORMATS:
        raise NotFound(_("There is no such format."))
    data = board_report(user=user, partnership=partnership, slug=slug, start=start, end=end)
    made = render.made_now(data.reference, data.overseer_person, by_name=data.overseer_name)
    content = board_report_pdf(data, made) if kind == render.PDF else board_report_docx(data, made)
    extra: dict[str, Any] = {} if data.overseer_person is not None else {"user": data.overseer_user}
    render.document_made(
        document=DOCUMENT,
        kind=kind,
        partnership=partnership,
        by=data.overseer_person,
        made=made,
        report=data.report.slug,
        start=data.start.isoformat(),
        end=data.end.isoformat(),
        **extra,
    )
    return content, f"{data.report.slug}-{data.start.isoformat()}-{data.end.isoformat()}.{kind}"
