"""The dashboard's exports: its figures and the list behind them, as XLSX and CSV.

Every figure that leaves the dashboard suppresses small numbers (``Partnership.suppress_below``:
"fewer than 5"); the list has one row a disagreement raised in the period, never a child's name or
reference, nor what the concern was. Every export made writes ``DOCUMENT_MADE`` (ids only).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from resolve.core.errors import NotFound
from resolve.documents.render import document_made, made_now
from resolve.partnerships.models import Partnership
from resolve.reports.access import oversight_check
from resolve.reports.charts import FigureTable, tables
from resolve.reports.figures import Dashboard, Scope, dashboard, disagreement_rows, scope_for

WHATS = ("figures", "list")
KINDS = ("xlsx", "csv")
DATE_FORMAT = "dd/mm/yyyy"


def sheet_names() -> dict[str, str]:
    """Each figure's sheet (a sheet's name has at most 31 characters)."""
    return {
        "totals": _("Totals"),
        "by_stage": _("By stage"),
        "by_raising_agency": _("By raising agency"),
        "by_receiving_agency": _("By receiving agency"),
        "by_category": _("By category"),
        "time_to_resolution": _("Time to resolution"),
        "deadlines_by_stage": _("Deadlines by stage"),
        "escalations": _("Escalations"),
        "trend": _("Trend by month"),
    }


def list_header() -> list[str]:
    return [
        _("Reference"),
        _("Category"),
        _("Raising agency"),
        _("Other agencies"),
        _("Raised"),
        _("Stage reached"),
        _("Status"),
        _("Closed"),
        _("Working days taken"),
    ]


def _list_values(rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    keys = (
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
    return [[r[k] for k in keys] for r in rows]


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(h)) for h in header]
    for row in rows:
        sheet.append(list(row))
        for i, value in enumerate(row):
            widths[i] = max(widths[i], 10 if isinstance(value, date) else len(str(value if value is not None else "")))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)


def _figure_tables(dash: Dashboard, below: int) -> list[FigureTable]:
    return tables(dash, below=below)


def _xlsx(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figures_xlsx(dash: Dashboard, *, below: int, rows: Iterable[dict[str, Any]] | None = None) -> bytes:
    """One sheet a figure, small numbers suppressed, then "Disagreements" (the list) when ``rows`` is given."""
    book = Workbook()
    book.remove(book.active)
    names = sheet_names()
    for table in _figure_tables(dash, below):
        _sheet(book, names.get(table.key, table.title), table.header, table.rows)
    if rows is not None:
        _sheet(book, _("Disagreements"), list_header(), _list_values(rows))
    return _xlsx(book)


def list_xlsx(rows: Iterable[dict[str, Any]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Disagreements"), list_header(), _list_values(rows))
    return _xlsx(book)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _csv(lines: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in lines:
        # a cell a spreadsheet would read as a formula is quoted as text
        writer.writerow(["'" + t if t[:1] in ("=", "+", "-", "@") else t for t in map(_csv_text, line)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def figures_csv(dash: Dashboard, *, below: int) -> bytes:
    """Long form, one line a cell: figure, row, column, value (small numbers suppressed)."""
    lines: list[Sequence[Any]] = [(_("Figure"), _("Row"), _("Column"), _("Value"))]
    for table in _figure_tables(dash, below):
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=True):
                lines.append((table.title, row[0], column, value))
    return _csv(lines)


def list_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    return _csv([list_header(), *_list_values(rows)])


def export_make(
    *, user: Any, partnership: Partnership, start: date, end: date, what: str, kind: str
) -> tuple[bytes, str]:
    """An export of ``partnership``'s dashboard over the period, for ``user`` who must oversee it.

    ``what``: figures or list; ``kind``: xlsx or csv (anything else: not found). Writes DOCUMENT_MADE.
    """
    if what not in WHATS or kind not in KINDS:
        raise NotFound(_("There is no such export."))
    overseer = oversight_check(user=user, partnership=partnership)
    scope: Scope = scope_for(user=user, partnership=partnership, start=start, end=end)
    below = partnership.suppress_below
    if what == "figures":
        dash = dashboard(scope)
        content = (
            figures_xlsx(dash, below=below, rows=disagreement_rows(scope))
            if kind == "xlsx"
            else figures_csv(dash, below=below)
        )
        document = "dashboard_export"
    else:
        rows = disagreement_rows(scope)
        content = list_xlsx(rows) if kind == "xlsx" else list_csv(rows)
        document = "dashboard_list"
    reference = f"dashboard {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    made = made_now(reference, overseer.person, by_name=overseer.name)
    document_made(
        document=document,
        kind=kind,
        partnership=partnership,
        by=overseer.person,
        made=made,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    name = "disagreements" if what == "list" else "figures"
    return content, f"{partnership.slug}-{name}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.{kind}"
