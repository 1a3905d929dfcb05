"""The dashboard's exports read back: XLSX cells and formats, CSV lines, suppression, the audit event, queries."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Partnership
from resolve.reports.exports import export_make
from tests.factories import RoleAssignmentFactory
from tests.reports.test_figures import END, START, _grow, dataset, version, world

pytestmark = pytest.mark.django_db


def unit_of(p: Partnership) -> Any:
    existing = get_user_model().objects.filter(username=f"unit-{p.slug}").first()
    if existing is not None:
        return existing
    person = RoleAssignmentFactory.create(person__partnership=p, partnership=p, role="business-unit").person
    person.user = get_user_model().objects.create_user(username=f"unit-{p.slug}", password="x" * 20)
    person.save()
    return person.user


def make(p: Partnership, what: str, kind: str) -> bytes:
    content, _name = export_make(user=unit_of(p), partnership=p, start=START, end=END, what=what, kind=kind)
    return content


def test_the_figures_workbook_has_a_sheet_a_figure_and_the_list_small_numbers_suppressed() -> None:
    w = world()
    dataset(w)
    book = openpyxl.load_workbook(io.BytesIO(make(w.a, "figures", "xlsx")))
    assert book.sheetnames == [
        "Totals",
        "By stage",
        "By raising agency",
        "By receiving agency",
        "By category",
        "Time to resolution",
        "Deadlines by stage",
        "Escalations",
        "Trend by month",
        "Disagreements",
    ]
    totals = book["Totals"]
    assert [c.value for c in totals[1]] == ["Disagreements", "Number"]
    assert totals["A1"].font.bold
    assert totals.freeze_panes == "A2"
    assert [[c.value for c in row] for row in totals.iter_rows(min_row=2)] == [
        ["Raised in the period", 5],
        ["Resolved in the period", "fewer than 5"],
        ["Withdrawn in the period", "fewer than 5"],
        ["Open at the end of the period", "fewer than 5"],
    ]
    stage = book["By stage"]
    assert [[c.value for c in row] for row in stage.iter_rows(min_row=2)] == [
        ["Stage 1", "fewer than 5"],
        ["Stage 2", "fewer than 5"],
        ["Stage 3", "fewer than 5"],
        ["Total", 5],
    ]
    spread = book["Time to resolution"]
    assert [c.value for c in spread["B"]][1:3] == [5, 18]
    listed = book["Disagreements"]
    assert [c.value for c in listed[1]] == [
        "Reference",
        "Category",
        "Raising agency",
        "Other agencies",
        "Raised",
        "Stage reached",
        "Status",
        "Closed",
        "Working days taken",
    ]
    assert listed["A2"].value == "T-2025-0001"
    assert listed["E2"].value == datetime(2025, 1, 10)
    assert listed["E2"].is_date
    assert listed["E2"].number_format == "dd/mm/yyyy"
    assert listed.column_dimensions["B"].width > 20
    assert listed.max_row == 6


def test_without_suppression_the_exact_figures_leave() -> None:
    w = world()
    dataset(w)
    w.a.suppress_below = 1
    w.a.save()
    book = openpyxl.load_workbook(io.BytesIO(make(w.a, "figures", "xlsx")))
    assert [c.value for c in book["Totals"]["B"]][1:] == [5, 4, 1, 2]
    deadlines = book["Deadlines by stage"]
    assert [[c.value for c in row] for row in deadlines.iter_rows()] == [
        ["Stage", "Met", "Missed", "Still to come", "Total"],
        ["Stage 1", 1, 2, 0, 3],
        ["Stage 2", 1, 1, 0, 2],
        ["Stage 3", 0, 1, 0, 1],  # made today: Stage 3's due time of June 2025 has passed
    ]
    months = book["Trend by month"]
    assert [c.value for c in months[2]] == ["January 2025", 2, 2]


def test_the_csv_files_long_form_figures_and_the_list() -> None:
    w = world()
    dataset(w)
    figures = list(csv.reader(io.StringIO(make(w.a, "figures", "csv").decode("utf-8-sig"))))
    assert figures[0] == ["Figure", "Row", "Column", "Value"]
    assert ["Open and closed", "Raised in the period", "Number", "5"] in figures
    assert ["Open and closed", "Resolved in the period", "Number", "fewer than 5"] in figures
    assert ["By the agency that raised it", "Total", "Disagreements", "5"] in figures
    listed = list(csv.reader(io.StringIO(make(w.a, "list", "csv").decode("utf-8-sig"))))
    assert listed[0][0] == "Reference"
    assert listed[2] == [
        "T-2025-0002",
        version(w.a).procedure.category("course-of-action").name,
        "School",
        "Health; Police",
        "2025-01-15",
        "Stage 2",
        "Resolved",
        "2025-02-10",
        "18",
    ]
    assert len(listed) == 6
    text = "".join(map(str, listed))
    assert "CHILD-SECRET" not in text
    assert "never exported" not in text


def test_every_export_is_recorded_with_ids_only() -> None:
    w = world()
    dataset(w)
    make(w.a, "list", "xlsx")
    event = Event.objects.get(verb=Verb.DOCUMENT_MADE)
    assert event.data == {
        "document": "dashboard_list",
        "format": "xlsx",
        "reference": "dashboard 2025-01-01 to 2025-06-30",
        "start": "2025-01-01",
        "end": "2025-06-30",
    }
    assert event.partnership_id == w.a.pk


def test_the_exports_queries_do_not_grow_with_the_data(django_assert_max_num_queries: Any) -> None:
    w = world()
    dataset(w)
    user = unit_of(w.a)
    counts = {}
    for what, kind in (("figures", "xlsx"), ("figures", "csv"), ("list", "xlsx"), ("list", "csv")):
        export_make(user=user, partnership=w.a, start=START, end=END, what=what, kind=kind)
        with django_assert_max_num_queries(40) as small:
            export_make(user=user, partnership=w.a, start=START, end=END, what=what, kind=kind)
        counts[what, kind] = len(small.captured_queries)
    _grow(w, 30)
    for (what, kind), n in counts.items():
        with django_assert_max_num_queries(n):
            export_make(user=user, partnership=w.a, start=START, end=END, what=what, kind=kind)
