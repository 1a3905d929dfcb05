"""A business manager adds an agency, then its people from a CSV file, in a browser.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo, username
from resolve.partnerships.models import Agency, Partnership, Person
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_administrator() -> Partnership:
    """The demo partnership, administered by its business-unit officer's account."""
    partnership = load_demo().partnership
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    partnership.administrators.add(unit.user)
    return partnership


def write_people(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Email", "Agency", "Job title", "Level", "Line manager email", "Telephone", "Roles"])
        writer.writerow(
            ["Priya Shah", "priya.shah@example.org", "Youth Justice Service", "Head of service", "4", "", "", ""]
        )
        writer.writerow(
            [
                "Owen Hart",
                "owen.hart@example.org",
                "Youth Justice Service",
                "Case manager",
                "1",
                "priya.shah@example.org",
                "020 7946 0101",
                "",
            ]
        )
    return path


def test_a_business_manager_adds_an_agency_and_its_people_from_a_csv_file(
    page: Page, live_server: object, seen: Seen, tmp_path: Path
) -> None:
    partnership = demo_administrator()
    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}/manage/{partnership.slug}/")
    seen(page, "manage-overview")
    page.get_by_role("navigation", name="Partnership administration").get_by_role("link", name="Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    seen(page, "agencies")
    page.get_by_role("link", name="Add an agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an agency")
    seen(page, "agency-add")
    with page.expect_navigation():
        page.get_by_role("button", name="Add agency").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the agency's name.")
    seen(page, "agency-add-error")
    page.get_by_label("Name").fill("Youth Justice Service")
    page.get_by_label("Column of the seniority matrix").select_option("yot")
    with page.expect_navigation():
        page.get_by_role("button", name="Add agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth Justice Service")
    expect(page.get_by_role("main")).to_contain_text("Youth Justice Service was added.")
    seen(page, "agency")
    assert Agency.objects.filter(partnership=partnership, name="Youth Justice Service", matrix_agency="yot").exists()

    page.get_by_role("navigation", name="Partnership administration").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    seen(page, "people")
    page.get_by_role("link", name="Add people from a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add people from a file")
    seen(page, "people-import")

    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,agency,job title\nNo Agency,x@example.org,Fire Service,Firefighter\n", encoding="utf-8")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2, agency: Fire Service is not one of the partnership")
    seen(page, "people-import-problems")

    page.get_by_label("Upload a file").set_input_files(str(write_people(tmp_path / "people.csv")))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the people before adding them")
    expect(page.get_by_role("main")).to_contain_text("Row 2 of this file")
    seen(page, "people-import-check")
    assert not Person.objects.filter(email="owen.hart@example.org").exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Add these 2 people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_role("main")).to_contain_text("2 people were added.")
    seen(page, "people-added")

    page.get_by_label("Search by name").fill("owen")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("main")).to_contain_text("1 person")
    seen(page, "people-search")
    page.get_by_role("link", name="Owen Hart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Owen Hart")
    expect(page.get_by_role("main")).to_contain_text("Priya Shah")
    seen(page, "person")
    owen = Person.objects.get(email="owen.hart@example.org")
    assert owen.line_manager == Person.objects.get(email="priya.shah@example.org")
    assert owen.agency is not None
    assert owen.agency.name == "Youth Justice Service"
