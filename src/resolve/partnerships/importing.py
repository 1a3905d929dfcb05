"""Many people at once from a CSV or XLSX file: read it, check every row, and add them all or none.

:func:`people_file_read` turns the file's bytes into rows of stripped cells by column, refusing a
file that is empty, too big, too long, not what its name says (an XLSX file is a zip: its first
bytes say so), or without a column it needs. :func:`people_file_check` checks every row against the
partnership (and against the other rows), and names each problem with its row number and column;
:func:`people_import` checks again inside its transaction and adds everyone, or nothing.
:func:`people_template` is the file a business manager fills in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from resolve.core.errors import ResolveError
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.partnerships.people import (
    email_checked,
    level_checked,
    levels_of,
    record_change,
    roles_checked,
    roles_of,
    text_checked,
)
from resolve.partnerships.services import Asking, administrator_check, role_assign

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: the columns a file may have: (key, the header in the template, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "name", True),
    ("email", "email", True),
    ("agency", "agency", True),
    ("job_title", "job title", True),
    ("level", "level", False),
    ("line_manager_email", "line manager email", False),
    ("phone", "telephone", False),
    ("roles", "roles", False),
)
HEADERS = {key: header for key, header, _required in COLUMNS}
#: other headers people write for the same columns (after lower case, and "_" or "-" as a space)
ALIASES = {
    "e mail": "email",
    "email address": "email",
    "e mail address": "email",
    "full name": "name",
    "job": "job_title",
    "title": "job_title",
    "seniority": "level",
    "seniority level": "level",
    "line manager": "line_manager_email",
    "line manager e mail": "line_manager_email",
    "manager email": "line_manager_email",
    "phone": "phone",
    "telephone number": "phone",
    "phone number": "phone",
    "role": "roles",
}
ZIP_SIGNATURE = b"PK\x03\x04"
FORMULA_START = ("=", "+", "-", "@")
#: the widest row read from a spreadsheet: more columns than this are not looked at
MAX_COLUMNS = 40


@dataclass(frozen=True)
class FileRow:
    number: int  # the row's number in the file, counting the header row as 1
    cells: dict[str, str]  # column key -> the cell's text, stripped


@dataclass(frozen=True)
class PeopleFile:
    rows: list[FileRow]
    ignored: list[str]  # headers of columns that are not used


def _refuse(message: str) -> ResolveError:
    return ResolveError(message, field="file")


def _key_of(header: str) -> str | None:
    text = " ".join(header.replace("_", " ").replace("-", " ").lower().split())
    for key, name, _required in COLUMNS:
        if text in (name, key.replace("_", " ")):
            return key
    return ALIASES.get(text)


def _cell_text(value: Any) -> str:
    """A cell as text: a whole number without ``.0``, a date as its ISO form, a quoted formula without its quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]  # written safely by a spreadsheet (or our template): the apostrophe is not part of it
    return text


def _xlsx_records(content: bytes) -> list[list[str]]:
    records: list[list[str]] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS) if sheet is not None else ():
                records.append([_cell_text(v) for v in values])
                if len(records) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
    except Exception:  # whatever a damaged or hostile workbook raises is the same answer: 400
        raise _refuse(
            _(
                "The selected file could not be read as an XLSX file: save it again from your spreadsheet as an "
                "Excel workbook (.xlsx) or as CSV."
            )
        ) from None
    return records


def _csv_records(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        raise _refuse(
            _("The selected file is not a CSV file: save it from your spreadsheet as CSV (comma separated values).")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    records: list[list[str]] = []
    try:
        for values in csv.reader(io.StringIO(text, newline="")):
            records.append([_cell_text(v) for v in values[:MAX_COLUMNS]])
            if len(records) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise _refuse(
            _("The selected file could not be read as CSV: save it again from your spreadsheet as CSV.")
        ) from None
    return records


def people_file_read(*, name: str, content: bytes) -> PeopleFile:
    """The file's rows, by column; refused (``field="file"``) when the file as a whole cannot be used."""
    lowered = (name or "").lower()
    if not content:
        raise _refuse(_("The selected file is empty."))
    if len(content) > MAX_BYTES:
        raise _refuse(_("The selected file must be smaller than 2 MB: split it into several files."))
    is_zip = content.startswith(ZIP_SIGNATURE)
    if lowered.endswith(".xlsx"):
        if not is_zip:
            raise _refuse(
                _("The selected file is named .xlsx but is not an Excel workbook: save it again as .xlsx or as CSV.")
            )
        records = _xlsx_records(content)
    elif lowered.endswith(".csv"):
        if is_zip:
            raise _refuse(_("The selected file is named .csv but is a workbook: name it .xlsx, or save it as CSV."))
        records = _csv_records(content)
    else:
        raise _refuse(_("The selected file must be a CSV or XLSX file."))
    return _rows_of(records)


def _rows_of(records: list[list[str]]) -> PeopleFile:
    numbered = [(n, values) for n, values in enumerate(records, 1) if any(values)]
    if not numbered:
        raise _refuse(_("The selected file is empty."))
    header_number, header = numbered[0]
    keys: list[str | None] = []
    ignored: list[str] = []
    for title in header:
        key = _key_of(title) if title else None
        if key is not None and key in keys:
            raise _refuse(_("The file has two columns called %(name)s: keep one.") % {"name": HEADERS[key]})
        if key is None and title:
            ignored.append(title)
        keys.append(key)
    missing = [header for key, header, required in COLUMNS if required and key not in keys]
    if missing:
        raise _refuse(
            _("The file's first row must name its columns, and it has no column called %(missing)s (columns: %(all)s).")
            % {"missing": _(" or ").join(missing), "all": ", ".join(HEADERS.values())}
        )
    rows = [
        FileRow(number=n, cells={key: (values[i] if i < len(values) else "") for i, key in enumerate(keys) if key})
        for n, values in numbered[1:]
        if n > header_number
    ]
    if not rows:
        raise _refuse(_("The file has its header row but nobody in it: add a row for each person."))
    if len(rows) > MAX_ROWS:
        raise _refuse(_("The file has more than %(limit)s people: split it into several files.") % {"limit": MAX_ROWS})
    return PeopleFile(rows=rows, ignored=ignored)


# --- checking the rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the column's header, as in the template
    message: str


class ImportProblems(ResolveError):
    """The file's rows have problems: each named; nothing was saved."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            _("The file has %(n)s problems: nothing has been saved. Correct them and upload it again.")
            % {"n": len(problems)}
            if len(problems) != 1
            else _("The file has 1 problem: nothing has been saved. Correct it and upload it again."),
            field="file",
        )
        self.problems = problems


@dataclass
class Planned:
    """One row as it will be saved."""

    row: int
    name: str
    email: str
    agency: Agency | None
    job_title: str
    level: int | None
    phone: str
    roles: list[str]
    manager: Person | None = None  # someone already in the partnership
    manager_row: int | None = None  # or a row of the file
    manager_email: str = ""
    problems: list[RowProblem] = field(default_factory=list)


def _checked(plan: Planned, column: str, check: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return check(*args, **kwargs)
    except ResolveError as error:
        plan.problems.append(RowProblem(plan.row, HEADERS[column], error.message))
        return None


def people_file_check(*, partnership: Partnership, rows: Sequence[FileRow]) -> list[Planned]:
    """Every row checked, as it would be saved; ``ImportProblems`` naming every bad row and column."""
    agencies = {a.name.strip().lower(): a for a in Agency.objects.filter(partnership=partnership)}
    active = {p.email.lower(): p for p in Person.objects.filter(partnership=partnership, is_active=True).order_by("pk")}
    plans: list[Planned] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        plan = Planned(row=row.number, name="", email="", agency=None, job_title="", level=None, phone="", roles=[])
        plan.name = (
            _checked(
                plan,
                "name",
                text_checked,
                cells.get("name"),
                model=Person,
                name="name",
                what=_("the person's full name"),
                required=True,
            )
            or ""
        )
        plan.email = _checked(plan, "email", email_checked, cells.get("email"), model=Person, required=True) or ""
        key = plan.email.lower()
        if key and key in first_row_of:
            plan.problems.append(
                RowProblem(
                    row.number,
                    HEADERS["email"],
                    _("The same e-mail address is in row %(row)s: each person needs their own.")
                    % {"row": first_row_of[key]},
                )
            )
        elif key and key in active:
            plan.problems.append(
                RowProblem(
                    row.number,
                    HEADERS["email"],
                    _("Someone active in the partnership already has this e-mail address."),
                )
            )
        if key:
            first_row_of.setdefault(key, row.number)
        agency_name = cells.get("agency", "")
        if agency_name:
            agency = agencies.get(agency_name.lower())
            if agency is None:
                known = ", ".join(a.name for a in agencies.values() if a.retired_at is None)
                plan.problems.append(
                    RowProblem(
                        row.number,
                        HEADERS["agency"],
                        _("%(name)s is not one of the partnership's agencies (they are: %(known)s).")
                        % {"name": agency_name, "known": known or _("none yet")},
                    )
                )
            elif agency.retired_at is not None:
                plan.problems.append(
                    RowProblem(
                        row.number,
                        HEADERS["agency"],
                        _("%(name)s is retired: choose an agency still in the partnership.") % {"name": agency.name},
                    )
                )
            else:
                plan.agency = agency
        plan.job_title = (
            _checked(
                plan,
                "job_title",
                text_checked,
                cells.get("job_title"),
                model=Person,
                name="job_title",
                what=_("the job title"),
                required=True,
            )
            or ""
        )
        plan.level = _checked(plan, "level", level_checked, partnership, cells.get("level"))
        plan.phone = (
            _checked(
                plan,
                "phone",
                text_checked,
                cells.get("phone"),
                model=Person,
                name="phone",
                what=_("the telephone number"),
                required=False,
            )
            or ""
        )
        plan.roles = _checked(plan, "roles", roles_checked, partnership, (cells.get("roles") or "").split(";")) or []
        plan.manager_email = cells.get("line_manager_email", "").strip()
        plans.append(plan)
    _managers_found(plans, first_row_of, active)
    _loops_found(plans)
    problems = [problem for plan in plans for problem in plan.problems]
    if problems:
        raise ImportProblems(sorted(problems, key=lambda p: (p.row, list(HEADERS.values()).index(p.column))))
    return plans


def _managers_found(plans: list[Planned], rows_by_email: dict[str, int], active: dict[str, Person]) -> None:
    column = HEADERS["line_manager_email"]
    for plan in plans:
        wanted = plan.manager_email.lower()
        if not wanted:
            continue
        if wanted == plan.email.lower():
            plan.problems.append(RowProblem(plan.row, column, _("A person cannot be their own line manager.")))
        elif wanted in rows_by_email:
            plan.manager_row = rows_by_email[wanted]
        elif wanted in active:
            plan.manager = active[wanted]
        else:
            plan.problems.append(
                RowProblem(
                    plan.row,
                    column,
                    _("Nobody active in the partnership or in this file has the e-mail address %(email)s.")
                    % {"email": plan.manager_email},
                )
            )


def _loops_found(plans: list[Planned]) -> None:
    """Line management inside the file that goes round (row 3 manages 5, 5 manages 3) is named on each of its rows.

    Each row is walked once (a path is followed until a row already walked), so a long chain costs
    no more than its length.
    """
    by_row = {plan.row: plan for plan in plans}
    walked: dict[int, bool] = {}  # row -> True while on the path being followed, False once done
    for plan in plans:
        path: list[int] = []
        current: int | None = plan.row
        while current is not None and current in by_row and current not in walked:
            walked[current] = True
            path.append(current)
            current = by_row[current].manager_row
        if current is not None and walked.get(current):
            cycle = path[path.index(current) :]
            for at, row in enumerate(cycle):
                chain = ", ".join(str(n) for n in [*cycle[at:], *cycle[:at], row])
                by_row[row].problems.append(
                    RowProblem(
                        row,
                        HEADERS["line_manager_email"],
                        _("The line management goes round: rows %(chain)s.") % {"chain": chain},
                    )
                )
        for row in path:
            walked[row] = False


@transaction.atomic
def people_import(*, partnership: Partnership, rows: Sequence[FileRow], by: Asking) -> list[Person]:
    """Everyone in the file, with their line managers and roles, or nobody (``ImportProblems``)."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # nobody adds people meanwhile
    plans = people_file_check(partnership=partnership, rows=rows)
    made = {
        plan.row: Person(
            partnership=partnership,
            name=plan.name,
            email=plan.email,
            agency=plan.agency,
            job_title=plan.job_title,
            level=plan.level,
            phone=plan.phone,
        )
        for plan in plans
    }
    for plan in plans:  # ids are made in Python, so a row may be managed by a later row
        made[plan.row].line_manager = made[plan.manager_row] if plan.manager_row is not None else plan.manager
    Person.objects.bulk_create(made.values())
    for plan in plans:
        person = made[plan.row]
        fields = [
            name
            for name in ("name", "email", "agency", "job_title", "level", "line_manager", "phone")
            if getattr(person, name) not in ("", None)
        ]
        record_change(partnership, asker, person, "imported", fields)
        for role in plan.roles:
            role_assign(person=person, role=role, by=by)
    return list(made.values())


# --- the template ------------------------------------------------------------------------------------


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def template_row(partnership: Partnership) -> list[str]:
    """An example person: the partnership's first agency, its lowest level and the procedure's first role."""
    agency = Agency.objects.filter(partnership=partnership, retired_at__isnull=True).order_by("name").first()
    levels = levels_of(partnership)
    roles = roles_of(partnership)
    example = {
        "name": "Sam Example",
        "email": "sam.example@example.org",
        "agency": agency.name if agency else "",
        "job_title": "Social worker",
        "level": str(levels[0][0]) if levels else "",
        "line_manager_email": "",
        "phone": "020 7946 0000",
        "roles": "; ".join(slug for slug, _name in roles[:1]),
    }
    return [example[key] for key, _header, _required in COLUMNS]


def people_template(*, partnership: Partnership, kind: str) -> bytes:
    """The template file (``kind`` "csv" or "xlsx"): the header row and one example row."""
    header = [header for _key, header, _required in COLUMNS]
    example = template_row(partnership)
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerow([_safe(cell) for cell in example])
        return out.getvalue().encode("utf-8-sig")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "People"
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[2]:
        cell.data_type = "s"  # text, never a formula
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue()
