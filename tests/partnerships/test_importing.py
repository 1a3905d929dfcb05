"""Many people from a CSV or XLSX file: the whole file is checked, every bad row named, and all or nobody added."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from openpyxl import Workbook, load_workbook

from resolve.audit.models import Event, Verb
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.importing import (
    ImportProblems,
    RowProblem,
    people_file_check,
    people_file_read,
    people_import,
    people_template,
)
from resolve.partnerships.models import Agency, Person, RoleAssignment
from resolve.partnerships.people import agency_retire, roles_of
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

HEADER = ["Name", "E-mail", "Agency", "Job title", "Level", "Line manager email", "Telephone", "Roles"]


@pytest.fixture
def a(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin(a: Cast) -> Any:
    user = get_user_model().objects.create_user("a-admin", "a-admin@example.test", "x" * 20, is_staff=True)
    a.partnership.administrators.add(user)
    return user


def as_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue()


def good_rows(a: Cast) -> list[list[str]]:
    """A head of service managed by someone already in the partnership, and two people they manage."""
    role = roles_of(a.partnership)[0]
    return [
        [
            "Ann Head",
            "ann@example.org",
            "Oakfield Primary School",
            "Head teacher",
            "4",
            a.at("school", 5).email,
            "",
            "",
        ],
        ["Bob Teacher", "bob@example.org", "oakfield primary school", "Teacher", "1", "ann@example.org", "020 1", ""],
        ["Cat Nurse", "cat@example.org", "Community Health", "School nurse", "2", "ANN@example.org", "", role[1]],
        ["Dee Unit", "dee@example.org", "", "Business manager", "", "", "", f"{role[0]}; "],
    ]


def stored() -> str:
    return "".join(
        serializers.serialize("json", model.objects.order_by("pk")) for model in (Agency, Person, RoleAssignment, Event)
    )


def test_a_good_csv_file_adds_everyone_with_their_line_managers_and_roles(a: Cast, admin: Any) -> None:
    read = people_file_read(name="people.CSV", content=as_csv(good_rows(a)))
    assert [row.number for row in read.rows] == [2, 3, 4, 5]
    made = people_import(partnership=a.partnership, rows=read.rows, by=admin)
    assert [p.name for p in made] == ["Ann Head", "Bob Teacher", "Cat Nurse", "Dee Unit"]
    ann, bob, cat, dee = (Person.objects.get(pk=p.pk) for p in made)
    assert ann.line_manager == a.at("school", 5)
    assert bob.line_manager == ann
    assert cat.line_manager == ann
    assert dee.line_manager is None
    assert bob.agency == a.agencies["school"]
    assert dee.agency is None
    assert dee.level is None
    role = roles_of(a.partnership)[0][0]
    assert set(RoleAssignment.objects.filter(person__in=[cat, dee]).values_list("person__name", "role")) == {
        ("Cat Nurse", role),
        ("Dee Unit", role),
    }
    imported = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__action="imported")
    assert sorted(e.data["object"] for e in imported) == sorted(str(p.pk) for p in made)
    assert "line_manager" in imported.get(data__object=str(bob.pk)).data["fields"]
    assert "ann@example.org" not in str(list(Event.objects.values_list("data", flat=True)))


def test_a_good_xlsx_file_is_read_by_its_content_with_numbers_as_numbers(a: Cast, admin: Any) -> None:
    rows: list[list[Any]] = [
        ["Eve Officer", "eve@example.org", "Police", "Constable", 1, None, "'+44 20 7946 0000", None]
    ]
    read = people_file_read(name="staff.xlsx", content=as_xlsx(rows))
    assert read.rows[0].cells["level"] == "1"
    assert read.rows[0].cells["phone"] == "+44 20 7946 0000"
    (eve,) = people_import(partnership=a.partnership, rows=read.rows, by=admin)
    assert (eve.agency, eve.level, eve.phone) == (a.agencies["police"], 1, "+44 20 7946 0000")


def test_every_bad_row_is_named_with_its_column_and_nothing_is_saved(a: Cast, admin: Any) -> None:
    agency_retire(partnership=a.partnership, agency=a.agencies["police"], by=admin)
    taken = a.at("csc", 1).email
    rows = [
        ["Ok Person", "ok@example.org", "Community Health", "Nurse", "1", "", "", ""],  # row 2
        ["No Agency", "na@example.org", "Fire Service", "Firefighter", "1", "", "", ""],  # 3
        ["Bad Mail", "not-an-address", "Community Health", "Nurse", "1", "", "", ""],  # 4
        ["High", "high@example.org", "Community Health", "Nurse", "9", "", "", ""],  # 5
        ["Lost", "lost@example.org", "Community Health", "Nurse", "1", "nobody@example.org", "", ""],  # 6
        ["Twice", "ok@example.org", "Community Health", "Nurse", "1", "", "", ""],  # 7
        ["Taken", taken, "Community Health", "Nurse", "1", "", "", ""],  # 8
        ["Loop A", "loop-a@example.org", "Community Health", "Nurse", "2", "loop-b@example.org", "", ""],  # 9
        ["Loop B", "loop-b@example.org", "Community Health", "Nurse", "2", "loop-a@example.org", "", ""],  # 10
        ["Roles", "roles@example.org", "Community Health", "Nurse", "1", "", "", "astronaut"],  # 11
        ["Retired", "ret@example.org", "Police", "Constable", "1", "", "", ""],  # 12
        ["", "noname@example.org", "Community Health", "", "1", "", "", ""],  # 13
        ["Self", "self@example.org", "Community Health", "Nurse", "1", "self@example.org", "", ""],  # 14
    ]
    read = people_file_read(name="people.csv", content=as_csv(rows))
    before = stored()
    with pytest.raises(ImportProblems) as caught:
        people_import(partnership=a.partnership, rows=read.rows, by=admin)
    assert stored() == before
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "agency"),
        (4, "email"),
        (5, "level"),
        (6, "line manager email"),
        (7, "email"),
        (8, "email"),
        (9, "line manager email"),
        (10, "line manager email"),
        (11, "roles"),
        (12, "agency"),
        (13, "name"),
        (13, "job title"),
        (14, "line manager email"),
    }
    said = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "Fire Service is not one of the partnership's agencies" in said[(3, "agency")]
    assert "from 1 to 5" in said[(5, "level")]
    assert "nobody@example.org" in said[(6, "line manager email")]
    assert "row 2" in said[(7, "email")]
    assert "already has this e-mail address" in said[(8, "email")]
    assert "goes round: rows 9, 10, 9" in said[(9, "line manager email")]
    assert "astronaut is not a role" in said[(11, "roles")]
    assert "retired" in said[(12, "agency")]
    assert "own line manager" in said[(14, "line manager email")]
    assert caught.value.message.startswith("The file has 13 problems: nothing has been saved.")
    assert caught.value.problems[0] == RowProblem(3, "agency", said[(3, "agency")])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xlsx", b"name,email\nnot,a zip\n", "named .xlsx but is not an Excel workbook"),
        ("people.xlsx", b"PK\x03\x04 but not really a zip", "could not be read as an XLSX file"),
        ("people.csv", b"", "The selected file is empty."),
        ("people.csv", b"\n , ,\n", "The selected file is empty."),
        ("people.csv", b"x" * (2 * 1024 * 1024 + 1), "smaller than 2 MB"),
        ("people.txt", b"name,email\n", "must be a CSV or XLSX file"),
        ("people.csv", b"PK\x03\x04rest", "named .csv but is a workbook"),
        ("people.csv", b"name,email\x00\n", "not a CSV file"),
        ("people.csv", b"name,email,agency\nA,a@example.org,X\n", "no column called job title"),
        ("people.csv", b"name,email,agency,job title\n", "nobody in it"),
        ("people.csv", b"name,email,email,agency,job title\nA,b,c,d,e\n", "two columns called email"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_what_to_do(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ResolveError, match=message) as caught:
        people_file_read(name=name, content=content)
    assert caught.value.field == "file"


def test_a_file_with_more_than_5000_people_is_refused() -> None:
    rows = [[f"P{n}", f"p{n}@example.org", "", "Job"] for n in range(5001)]
    with pytest.raises(ResolveError, match="more than 5000 people"):
        people_file_read(name="many.csv", content=as_csv(rows, header=["name", "email", "agency", "job title"]))


def test_an_xlsx_workbook_that_is_a_zip_of_something_else_is_refused() -> None:
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ResolveError, match="could not be read as an XLSX file"):
        people_file_read(name="people.xlsx", content=other.getvalue())


def test_checking_changes_nothing_and_only_the_partnerships_administrator_imports(
    a: Cast, cast_for: Callable[[str], Cast]
) -> None:
    read = people_file_read(name="people.csv", content=as_csv(good_rows(a)))
    b = cast_for("enfield")
    other = get_user_model().objects.create_user("b-admin", "b@example.test", "x" * 20, is_staff=True)
    b.partnership.administrators.add(other)
    before = stored()
    plans = people_file_check(partnership=a.partnership, rows=read.rows)
    assert [p.manager_row for p in plans] == [None, 2, 2, None]
    with pytest.raises(Refused):
        people_import(partnership=a.partnership, rows=read.rows, by=other)
    assert stored() == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_has_the_columns_and_an_example_it_reads_back(a: Cast, kind: str) -> None:
    content = people_template(partnership=a.partnership, kind=kind)
    read = people_file_read(name=f"template.{kind}", content=content)
    (example,) = read.rows
    first_agency = Agency.objects.filter(partnership=a.partnership).order_by("name").first()
    assert first_agency is not None
    assert example.cells["agency"] == first_agency.name
    assert example.cells["roles"] == roles_of(a.partnership)[0][0]
    assert people_file_check(partnership=a.partnership, rows=read.rows)[0].agency == first_agency


def test_the_template_writes_a_formula_looking_agency_name_as_text(a: Cast) -> None:
    for n, agency in enumerate(Agency.objects.filter(partnership=a.partnership)):
        Agency.objects.filter(pk=agency.pk).update(name=f"zz {n}")
    Agency.objects.create(partnership=a.partnership, name="=HYPERLINK(1)")
    csv_text = people_template(partnership=a.partnership, kind="csv").decode("utf-8-sig")
    assert ",'=HYPERLINK(1)," in csv_text
    workbook = load_workbook(io.BytesIO(people_template(partnership=a.partnership, kind="xlsx")))
    sheet = workbook.active
    assert sheet is not None
    cell = sheet["C2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    read = people_file_read(name="t.csv", content=csv_text.encode())
    assert read.rows[0].cells["agency"] == "=HYPERLINK(1)"
