"""The quarterly report to the partnership: the dashboard's figures over one quarter, as PDF or DOCX.

The figures leave the dashboard, so small numbers are suppressed (``Partnership.suppress_below``).
The PDF comes from ``documents/quarterly.html``, which includes the same figure partial as the
dashboard page; the DOCX has the same tables. Its footer: OFFICIAL-SENSITIVE, "quarterly <yyyy> Q<n>",
when and by whom it was made. Writes DOCUMENT_MADE.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.core.errors import NotFound, ResolveError
from resolve.documents.render import document_made, docx_bytes, docx_document, docx_table, made_now, pdf
from resolve.partnerships.models import Partnership
from resolve.reports.access import oversight_check
from resolve.reports.charts import tables
from resolve.reports.figures import LONDON, dashboard, scope_for

KINDS = ("pdf", "docx")


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of calendar quarter ``quarter`` (1 to 4) of ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ResolveError(_("The quarter must be 1, 2, 3 or 4"), field="quarter")
    if not 2000 <= year <= 9998:
        raise ResolveError(_("Enter a year such as 2026"), field="year")
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])


def recent_quarters(count: int = 8, *, today: date | None = None) -> list[tuple[int, int]]:
    """The quarter we are in and the ones before it, newest first."""
    today = today or timezone.localtime(timezone.now(), LONDON).date()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _i in range(count):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found


def quarterly_context(*, user: Any, partnership: Partnership, year: int, quarter: int) -> dict[str, Any]:
    start, end = quarter_period(year, quarter)
    scope = scope_for(user=user, partnership=partnership, start=start, end=end)
    dash = dashboard(scope)
    context: dict[str, Any] = {
        "partnership": partnership,
        "title": _("Quarterly report: %(year)s Q%(quarter)s") % {"year": year, "quarter": quarter},
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "below": partnership.suppress_below,
        "tables": tables(dash, below=partnership.suppress_below),
    }
    context["intro"] = _intro(context)
    return context


def quarterly_make(*, user: Any, partnership: Partnership, year: int, quarter: int, kind: str) -> tuple[bytes, str]:
    """The quarterly report of ``partnership`` for ``user`` (who must oversee it), as ``kind`` (pdf or docx)."""
    if kind not in KINDS:
        raise NotFound(_("There is no such document."))
    overseer = oversight_check(user=user, partnership=partnership)
    context = quarterly_context(user=user, partnership=partnership, year=year, quarter=quarter)
    made = made_now(f"quarterly {year} Q{quarter}", overseer.person, by_name=overseer.name)
    if kind == "pdf":
        content = pdf("documents/quarterly.html", context, made=made)
    else:
        doc = docx_document(title=context["title"], made=made)
        doc.add_paragraph(context["intro"])
        for table in context["tables"]:
            doc.add_heading(table.title, level=2)
            if table.note:
                doc.add_paragraph(table.note)
            if table.rows:
                docx_table(doc, list(table.header), table.text)
            else:
                doc.add_paragraph(_("None in this period."))
        content = docx_bytes(doc)
    document_made(
        document="quarterly_report",
        kind=kind,
        partnership=partnership,
        by=overseer.person,
        made=made,
        year=year,
        quarter=quarter,
    )
    return content, f"{partnership.slug}-quarterly-{year}-q{quarter}.{kind}"


def _intro(context: dict[str, Any]) -> str:
    if context["below"] <= 1:
        return _(
            "%(partnership)s: disagreements between agencies from %(start)s to %(end)s. Every number is exact."
        ) % {
            "partnership": context["partnership"].name,
            "start": context["start"].strftime("%d/%m/%Y"),
            "end": context["end"].strftime("%d/%m/%Y"),
        }
    return _(
        "%(partnership)s: disagreements between agencies from %(start)s to %(end)s. "
        "Numbers from 1 to %(last)s are shown as \u201cfewer than %(below)s\u201d."
    ) % {
        "partnership": context["partnership"].name,
        "start": context["start"].strftime("%d/%m/%Y"),
        "end": context["end"].strftime("%d/%m/%Y"),
        "last": context["below"] - 1,
        "below": context["below"],
    }
