"""Oversight pages: the partnership dashboard over a period, its exports, and the quarterly report.

Thin: each view reads the period (a GET form, so the page works without JavaScript), calls one
service in ``resolve.reports`` (which checks again who asks) and renders or downloads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from resolve.core.errors import NotFound, ResolveError
from resolve.documents.render import download
from resolve.partnerships.models import Partnership
from resolve.reports.charts import tables
from resolve.reports.exports import export_make
from resolve.reports.figures import dashboard, default_period, scope_for
from resolve.reports.quarterly import quarter_period, quarterly_make, recent_quarters
from resolve.web.forms import DateField, GovForm
from resolve.web.oversight import base

PERIOD_FIELDS = ("start_0", "start_1", "start_2", "end_0", "end_1", "end_2")


class PeriodForm(GovForm):
    start = DateField(label=_("From"), what=_("The start date"), help_text=_("For example, 1 4 2026"))
    end = DateField(label=_("To"), what=_("The end date"), help_text=_("For example, 31 3 2027"))


class QuarterForm(GovForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=9998,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[
            (1, _("Quarter 1: January to March")),
            (2, _("Quarter 2: April to June")),
            (3, _("Quarter 3: July to September")),
            (4, _("Quarter 4: October to December")),
        ],
        widget=forms.RadioSelect,
    )


def _period(request: HttpRequest) -> tuple[PeriodForm, date | None, date | None]:
    """The period asked for in the address, or the last 12 months when none is."""
    if any(request.GET.get(f) for f in PERIOD_FIELDS):
        form = PeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, None, None
    start, end = default_period()
    return PeriodForm(initial={"start": start, "end": end}), start, end


def _dashboard_page(request: HttpRequest, partnership: Partnership, form: PeriodForm, status: int) -> HttpResponse:
    return base.page(request, partnership, "web/oversight/dashboard.html", {"form": form, "tables": []}, status=status)


@base.oversees
def dashboard_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form, start, end = _period(request)
    if start is None or end is None:
        return _dashboard_page(request, partnership, form, 400)
    try:
        scope = scope_for(user=request.user, partnership=partnership, start=start, end=end)
    except NotFound:
        raise Http404 from None
    except ResolveError as error:
        form.refuse(error)
        return _dashboard_page(request, partnership, form, 400)
    dash = dashboard(scope)
    query = request.GET.urlencode() if any(request.GET.get(f) for f in PERIOD_FIELDS) else ""
    context: dict[str, Any] = {
        "form": form,
        "start": start,
        "end": end,
        "tables": tables(dash),
        "query": query,
        "below": partnership.suppress_below,
    }
    return base.page(request, partnership, "web/oversight/dashboard.html", context)


@base.oversees
def dashboard_export(request: HttpRequest, partnership: Partnership, what: str, kind: str) -> HttpResponse:
    if what not in ("figures", "list") or kind not in ("xlsx", "csv"):
        raise Http404
    form, start, end = _period(request)
    if start is None or end is None:
        return _dashboard_page(request, partnership, form, 400)
    try:
        content, filename = export_make(
            user=request.user, partnership=partnership, start=start, end=end, what=what, kind=kind
        )
    except NotFound:
        raise Http404 from None
    except ResolveError as error:
        form.refuse(error)
        return _dashboard_page(request, partnership, form, 400)
    return download(content, filename=filename, kind=kind)


def _quarterly_page(
    request: HttpRequest, partnership: Partnership, form: QuarterForm, status: int = 200
) -> HttpResponse:
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = (form.cleaned_data["year"], form.cleaned_data["quarter"])
    quarters = [{"year": y, "quarter": q, "period": quarter_period(y, q)} for y, q in recent_quarters()]
    context = {"form": form, "quarters": quarters, "chosen": chosen}
    if chosen:
        context["chosen_period"] = quarter_period(*chosen)
    return base.page(request, partnership, "web/oversight/quarterly.html", context, status=status)


@base.oversees
def quarterly(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if "year" in request.GET or "quarter" in request.GET:
        form = QuarterForm(request.GET)
        return _quarterly_page(request, partnership, form, 200 if form.is_valid() else 400)
    return _quarterly_page(request, partnership, QuarterForm())


@base.oversees
def quarterly_download(
    request: HttpRequest, partnership: Partnership, year: int, quarter: int, kind: str
) -> HttpResponse:
    if kind not in ("pdf", "docx"):
        raise Http404
    try:
        content, filename = quarterly_make(
            user=request.user, partnership=partnership, year=year, quarter=quarter, kind=kind
        )
    except NotFound:
        raise Http404 from None
    except ResolveError as error:
        form = QuarterForm({"year": year, "quarter": quarter if quarter in (1, 2, 3, 4) else ""})
        form.is_valid()
        form.refuse(error)
        return _quarterly_page(request, partnership, form, 400)
    return download(content, filename=filename, kind=kind)


urlpatterns: list[URLPattern] = [
    path("", dashboard_page, name="dashboard"),
    path("export/<str:what>.<str:kind>", dashboard_export, name="dashboard_export"),
    path("quarterly/", quarterly, name="quarterly"),
    path("quarterly/<int:year>-q<int:quarter>.<str:kind>", quarterly_download, name="quarterly_download"),
]
