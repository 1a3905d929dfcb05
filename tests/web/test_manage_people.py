"""The people pages: list (search, filter, pages), add, change, and adding many from a file in two steps."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from resolve.audit.models import Event
from resolve.partnerships.models import Person, RoleAssignment
from resolve.partnerships.people import roles_of
from tests.conftest import Cast
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def client(a: Cast) -> Client:
    user = get_user_model().objects.create_user("a-admin", "a-admin@example.test", "x" * 20, is_staff=True)
    a.partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client


def url(a: Cast, name: str, **kwargs: Any) -> str:
    return reverse(f"manage:{name}", kwargs={"partnership": a.partnership.slug, **kwargs})


def people_stored() -> str:
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in (Person, RoleAssignment, Event))


def person_data(a: Cast, **given: Any) -> dict[str, Any]:
    return {
        "name": "Jo Bloggs",
        "email": "jo@example.org",
        "agency": str(a.agencies["school"].pk),
        "job_title": "Teacher",
        "level": "2",
        "line_manager": str(a.at("school", 3).pk),
        "phone": "",
        **given,
    }


def csv_file(rows: list[list[str]], name: str = "people.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "agency", "job title", "level", "line manager email", "telephone", "roles"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


# --- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_agency_job_level_manager_status_and_account(a: Cast, client: Client) -> None:
    Person.objects.filter(pk=a.at("police", 2).pk).update(is_active=False)
    text = client.get(url(a, "people"), {"agency": str(a.agencies["police"].pk)}).content.decode()
    assert "5 people" in text
    assert "police level 1" in text
    assert "school level 1" not in text
    assert "Level 3 in Police" in text  # job title
    assert "Police, level 2</span>" in text
    assert "police level 2" in text
    assert "Left" in text
    assert "No account yet" in text


def test_the_list_searches_by_name_and_shows_the_partnerships_own_team(a: Cast, client: Client) -> None:
    text = client.get(url(a, "people"), {"q": "HOLDER"}).content.decode()
    assert "business-unit holder" in text
    assert "school level" not in text
    team = client.get(url(a, "people"), {"agency": "team"}).content.decode()
    assert "Partnership team" in team
    assert "school level" not in team
    nobody = client.get(url(a, "people"), {"q": "zzzz"}).content.decode()
    assert "Nobody matches that search." in nobody


def test_the_list_has_50_people_a_page(a: Cast, client: Client) -> None:
    PersonFactory.create_batch(40, partnership=a.partnership, agency=a.agencies["csc"])
    first = client.get(url(a, "people")).content.decode()
    assert first.count('href="/manage/' + a.partnership.slug + "/people/") >= 50
    assert "govuk-pagination" in first
    second = client.get(url(a, "people"), {"page": "2"}).content.decode()
    total = Person.objects.filter(partnership=a.partnership).count()
    assert second.count("govuk-table__row") - 1 == total - 50


def test_a_bad_agency_filter_is_a_400(a: Cast, client: Client) -> None:
    response = client.get(url(a, "people"), {"agency": "not-an-agency"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


# --- one person --------------------------------------------------------------------------------------


def test_adding_a_person_with_a_role_redirects_to_their_page(a: Cast, client: Client) -> None:
    form = client.get(url(a, "person_add")).content.decode()
    role_slug, role_name = roles_of(a.partnership)[0]
    assert role_name in form
    assert "5: " in form
    response = client.post(url(a, "person_add"), person_data(a, roles=[role_slug]))
    assert response.status_code == 303
    person = Person.objects.get(email="jo@example.org")
    assert response["Location"] == url(a, "person", person=person.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Jo Bloggs was added." in page
    assert role_name in page
    assert "school level 3" in page
    assert "No account yet" in page
    assert RoleAssignment.objects.filter(person=person, role=role_slug).exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"name": ""}, "Enter the person&#x27;s full name."),
        ({"email": "nope"}, "Enter an e-mail address in the correct format"),
        ({"email": "SCHOOL@example.org"}, "already has this e-mail address"),
        ({"level": "9"}, "Select a valid choice"),
        ({"roles": ["astronaut"]}, "Select a valid choice"),
        ({"agency": "f" * 32}, "Select a valid choice"),
    ],
)
def test_a_bad_person_is_a_400_naming_the_field_and_nothing_is_stored(
    a: Cast, client: Client, given: dict[str, Any], message: str
) -> None:
    Person.objects.filter(pk=a.at("school", 1).pk).update(email="school@example.org")
    before = people_stored()
    response = client.post(url(a, "person_add"), person_data(a, **given))
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert message in text
    assert people_stored() == before


def test_a_retired_agency_is_not_offered_to_a_new_person(a: Cast, client: Client) -> None:
    client.post(url(a, "agency_retire", agency=a.agencies["police"].pk))
    form = client.get(url(a, "person_add")).content.decode()
    assert f'value="{a.agencies["police"].pk}"' not in form
    changing = client.get(url(a, "person_change", person=a.at("police", 1).pk)).content.decode()
    assert f'value="{a.agencies["police"].pk}" selected' in changing  # they stay in it until moved


def test_changing_a_person_saves_and_a_loop_is_refused(a: Cast, client: Client) -> None:
    head = a.at("csc", 5)
    data = person_data(a, name=head.name, email=head.email, agency=str(head.agency_id), level="5", line_manager="")
    form = client.get(url(a, "person_change", person=head.pk)).content.decode()
    assert f'value="{head.pk}"' not in form  # nobody is offered as their own line manager
    response = client.post(url(a, "person_change", person=head.pk), {**data, "job_title": "Director"})
    assert response.status_code == 303
    head.refresh_from_db()
    assert head.job_title == "Director"
    before = people_stored()
    looping = client.post(url(a, "person_change", person=head.pk), {**data, "line_manager": str(a.at("csc", 1).pk)})
    assert looping.status_code == 400
    assert "the chain would go round" in looping.content.decode()
    assert people_stored() == before


def test_the_person_page_links_to_the_other_pages_only_when_they_exist(a: Cast, client: Client) -> None:
    text = client.get(url(a, "person", person=a.at("school", 1).pk)).content.decode()
    assert "Change the details" in text
    try:
        invite = url(a, "person_invite", person=a.at("school", 1).pk)
    except Exception:  # not merged yet
        assert "Invite to sign in" not in text
    else:
        assert invite in text


def test_another_partnerships_person_is_404(a: Cast, client: Client, cast_for: Callable[[str], Cast]) -> None:
    b = cast_for("enfield")
    before = people_stored()
    for name in ("person", "person_change"):
        target = url(a, name, person=b.at("school", 1).pk)
        assert client.get(target).status_code == 404
        assert client.post(target, person_data(a)).status_code == 404
    assert people_stored() == before


# --- many from a file ----------------------------------------------------------------------------------


def test_a_good_file_is_shown_before_it_is_added_and_then_added_at_once(a: Cast, client: Client) -> None:
    role_slug, role_name = roles_of(a.partnership)[0]
    upload = csv_file(
        [
            ["Ann Head", "ann@example.org", "Police", "Inspector", "3", "", "", ""],
            ["Bob Officer", "bob@example.org", "Police", "Constable", "1", "ann@example.org", "", role_slug],
        ]
    )
    before = people_stored()
    response = client.post(url(a, "people_import"), {"file": upload})
    assert response.status_code == 303
    assert response["Location"] == url(a, "people_import_check")
    assert people_stored() == before  # checked, not saved
    check = client.get(response["Location"])
    text = check.content.decode()
    assert check.status_code == 200
    assert "Add these 2 people" in text
    assert "Ann Head" in text
    assert "Row 2 of this file" in text
    assert role_name in text
    assert "ann@example.org" not in response["Location"]
    digest = client.session["manage_people_import"]["digest"]
    added = client.post(url(a, "people_import_check"), {"digest": digest})
    assert added.status_code == 303
    assert added["Location"] == url(a, "people")
    bob = Person.objects.get(email="bob@example.org")
    assert bob.line_manager == Person.objects.get(email="ann@example.org")
    assert "2 people were added." in client.get(added["Location"]).content.decode()
    assert "manage_people_import" not in client.session
    assert "There is no file waiting" in client.get(url(a, "people_import_check")).content.decode()


def test_a_file_with_bad_rows_is_a_400_naming_each_row_and_nothing_is_saved(a: Cast, client: Client) -> None:
    upload = csv_file(
        [
            ["Ok", "ok@example.org", "Police", "Constable", "1", "", "", ""],
            ["Bad", "bad", "Fire Service", "Firefighter", "7", "", "", ""],
            ["Also", "ok@example.org", "Police", "Constable", "1", "ghost@example.org", "", ""],
        ]
    )
    before = people_stored()
    response = client.post(url(a, "people_import"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "The file has 5 problems: nothing has been saved." in text
    assert "Row 3, agency: Fire Service is not one of the partnership" in text
    assert "Row 3, email:" in text
    assert "Row 3, level:" in text
    assert "Row 4, email: The same e-mail address is in row 2" in text
    assert "Row 4, line manager email: Nobody active" in text
    assert people_stored() == before
    assert "manage_people_import" not in client.session


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("people.xlsx", b"name,email\n"), "is not an Excel workbook"),
        (SimpleUploadedFile("people.csv", b""), "The selected file is empty."),
        (SimpleUploadedFile("people.csv", b"x" * (2 * 1024 * 1024 + 10)), "smaller than 2 MB"),
        (None, "Select a CSV or XLSX file"),
    ],
)
def test_a_file_that_cannot_be_used_is_a_400_on_the_file_field(
    a: Cast, client: Client, upload: SimpleUploadedFile | None, message: str
) -> None:
    response = client.post(url(a, "people_import"), {"file": upload} if upload else {})
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'href="#id_file"' in text
    assert "govuk-file-upload--error" in text


def test_a_person_added_meanwhile_stops_the_import_with_the_row_named(a: Cast, client: Client) -> None:
    client.post(
        url(a, "people_import"), {"file": csv_file([["Ann", "ann@example.org", "Police", "PC", "1", "", "", ""]])}
    )
    digest = client.session["manage_people_import"]["digest"]
    PersonFactory.create(partnership=a.partnership, agency=a.agencies["csc"], email="ANN@example.org")
    before = people_stored()
    response = client.post(url(a, "people_import_check"), {"digest": digest})
    assert response.status_code == 400
    assert "Row 2, email: Someone active in the partnership already has this e-mail address." in (
        response.content.decode()
    )
    assert people_stored() == before


def test_a_stale_check_page_adds_nothing(a: Cast, client: Client) -> None:
    client.post(
        url(a, "people_import"), {"file": csv_file([["Ann", "ann@example.org", "Police", "PC", "1", "", "", ""]])}
    )
    before = people_stored()
    response = client.post(url(a, "people_import_check"), {"digest": "0" * 64})
    assert response.status_code == 400
    assert "A different file was uploaded" in response.content.decode()
    assert people_stored() == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_downloads_with_the_header_and_an_example(a: Cast, client: Client, kind: str) -> None:
    response = client.get(url(a, "people_template"), {"format": kind})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{a.partnership.slug}-people.{kind}"'
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        rows = [[str(v or "") for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["name", "email", "agency", "job title", "level", "line manager email", "telephone", "roles"]
    assert rows[1][2] == "Children's Social Care"  # the first agency by name
    assert rows[1][7] == roles_of(a.partnership)[0][0]
    page = client.get(url(a, "people_template")).content.decode()
    assert "?format=xlsx" in page
    assert "?format=csv" in page
