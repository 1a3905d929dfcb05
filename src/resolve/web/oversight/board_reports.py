"""Oversight pages: the reports to the partnership board the procedure names, for a chosen period.

- ``reports/`` (``board_reports``): each report's title, what it is for and its source, and the
  period form (GET: the page works without JavaScript); a procedure that names none says so.
- ``reports/<report>/`` (``board_report``): the report on screen for the period in the query
  string (the last full quarter by default), with links to download it as PDF and Word.
- ``reports/<report>.<kind>`` (``board_report_download``): the PDF or Word document.

Bad dates show the form again with GOV.UK's error summary (HTTP 400). The service checks again
who asks (``resolve.documents.board_reports``).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.documents import board_reports, render
from resolve.partnerships.models import Partnership
from resolve.procedures.schema import BoardReport
from resolve.web.forms import DateField, GovForm
from resolve.web.oversight.base import oversees, page

PERIOD_FIELDS = ("start", "end")


class PeriodForm(GovForm):
    start = DateField(
        label=gettext_lazy("Start date"),
        what=gettext_lazy("The start date"),
        help_text=gettext_lazy("For example, 1 7 2026"),
    )
    end = DateField(
        label=gettext_lazy("End date"),
        what=gettext_lazy("The end date"),
        help_text=gettext_lazy("For example, 30 9 2026. The period can be up to 366 days."),
    )


class ChooseForm(PeriodForm):
    report = forms.ChoiceField(label=gettext_lazy("Report"), widget=forms.RadioSelect)

    field_order = ["report", "start", "end"]

    def __init__(self, *args: Any, reports: tuple[Any, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.slug, r.title) for r in reports]
        self.order_fields(self.field_order)


def _has_period(query: QueryDict) -> bool:
    return any(key.startswith(f"{name}_") for key in query for name in PERIOD_FIELDS)


def _initial() -> dict[str, date]:
    start, end = board_reports.last_full_quarter(timezone.localdate())
    return {"start": start, "end": end}


def _period_query(start: date, end: date) -> str:
    return urlencode(
        {
            **{f"start_{i}": v for i, v in enumerate((start.day, start.month, start.year))},
            **{f"end_{i}": v for i, v in enumerate((end.day, end.month, end.year))},
        }
    )


def _valid(form: PeriodForm) -> bool:
    """The form's dates are real, and make a period a report can cover."""
    if not form.is_valid():
        return False
    try:
        board_reports.period_check(form.cleaned_data["start"], form.cleaned_data["end"], today=timezone.localdate())
    except ResolveError as error:
        form.refuse(error)
        return False
    return True


@oversees
def index(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    reports = board_reports.reports_of(partnership)
    chosen = "report" in request.GET or _has_period(request.GET)
    initial = {**_initial(), **({"report": reports[0].slug} if reports else {})}
    form = ChooseForm(request.GET if chosen else None, initial=initial, reports=reports) if reports else None
    if form is not None and chosen:
        if _valid(form):
            url = reverse(
                "oversight:board_report",
                kwargs={"partnership": partnership.slug, "report": form.cleaned_data["report"]},
            )
            return redirect(f"{url}?{_period_query(form.cleaned_data['start'], form.cleaned_data['end'])}")
        return page(
            request, partnership, "web/oversight/board_reports.html", {"reports": reports, "form": form}, status=400
        )
    return page(request, partnership, "web/oversight/board_reports.html", {"reports": reports, "form": form})


@oversees
def report(request: HttpRequest, partnership: Partnership, report: str) -> HttpResponse:
    form = PeriodForm(request.GET if _has_period(request.GET) else _initial_data())
    if not _valid(form):
        return _refused(request, partnership, report, form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        data = board_reports.board_report(user=request.user, partnership=partnership, slug=report, start=start, end=end)
    except NotFound:
        raise Http404 from None
    query = _period_query(start, end)
    downloads = [
        (
            kind,
            label,
            reverse(
                "oversight:board_report_download",
                kwargs={"partnership": partnership.slug, "report": report, "kind": kind},
            )
            + f"?{query}",
        )
        for kind, label in ((render.PDF, "PDF"), (render.DOCX, "Word (DOCX)"))
    ]
    return page(
        request,
        partnership,
        "web/oversight/board_report.html",
        {"form": form, "slug": report, "downloads": downloads, **board_reports.context(data)},
    )


def _initial_data() -> QueryDict:
    """The default period (the last full quarter) as if typed into the form."""
    return QueryDict(_period_query(**_initial()))


def _known(partnership: Partnership, slug: str) -> BoardReport:
    """The report the procedure names by ``slug``; 404 if none."""
    found = next((r for r in board_reports.reports_of(partnership) if r.slug == slug), None)
    if found is None:
        raise Http404
    return found


def _refused(request: HttpRequest, partnership: Partnership, slug: str, form: PeriodForm) -> HttpResponse:
    """The report's page with the period form and its errors: HTTP 400."""
    chosen = _known(partnership, slug)
    context = {"form": form, "slug": slug, "title": chosen.title}
    return page(request, partnership, "web/oversight/board_report.html", context, status=400)


@oversees
def download(request: HttpRequest, partnership: Partnership, report: str, kind: str) -> HttpResponse:
    if kind not in render.FORMATS:
        raise Http404
    form = PeriodForm(request.GET if _has_period(request.GET) else _initial_data())
    if not _valid(form):
        return _refused(request, partnership, report, form)
    try:
        content, filename = board_reports.board_report_make(
            user=request.user,
            partnership=partnership,
            slug=report,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            kind=kind,
        )
    except NotFound:
        raise Http404 from None
    return render.download(content, filename=filename, kind=kind)


urlpatterns: list[URLPattern] = [
    path("reports/", index, name="board_reports"),
    path("reports/<slug:report>/", report, name="board_report"),
    path("reports/<slug:report>.<str:kind>", download, name="board_report_download"),
]
