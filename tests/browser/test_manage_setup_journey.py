"""Setting up a new partnership from nothing, in a browser, in the order a business manager does it.

The installation's superuser adds the partnership and its first administrator; the administrator
follows the e-mailed link, chooses a password and signs in; adds the agencies, then the people from
a CSV file; looks at the seniority matrix; adopts Enfield's bundled procedure; puts each agency in
its column of the matrix; and corrects a cell of Enfield's reconstructed Appendix B. Each change is
in the audit trail under the administrator's account.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Agency, Partnership, Person, SeniorityTitle
from tests.browser.conftest import Seen
from tests.browser.test_manage_accounts import LINK, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT_EMAIL = "root@installation.example"
ROOT_PASSWORD = "the installation's own long password"
ADA = "ada@harbour.example"
ADA_PASSWORD = "a long password nobody guesses 2026"


def people_file(path: Path) -> Path:
    """Three people in the two agencies: a manager in each, and a practitioner managed by one of them."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Email", "Agency", "Job title", "Level", "Line manager email", "Telephone", "Roles"])
        writer.writerow(["Sam Okafor", "sam.okafor@harbour.example", "Harbour Police", "Detective Sergeant", "2"])
        writer.writerow(
            [
                "Jo Reyes",
                "jo.reyes@harbour.example",
                "Harbour Police",
                "Detective Constable",
                "1",
                "sam.okafor@harbour.example",
                "020 7946 0102",
                "",
            ]
        )
        writer.writerow(["Ann Lee", "ann.lee@harbour.example", "Harbour Children's Social Care", "Team Manager", "2"])
    return path


def test_a_new_partnership_is_set_up_from_nothing_in_its_own_pages(
    page: Page, live_server: object, seen: Seen, tmp_path: Path
) -> None:
    root = get_user_model().objects.create_superuser("root", ROOT_EMAIL, ROOT_PASSWORD)
    EmailAddress.objects.create(user=root, email=ROOT_EMAIL, primary=True, verified=True)

    # 1. the first administrator: the superuser adds the partnership and names them
    sign_in(page, live_server, seen, ROOT_EMAIL, ROOT_PASSWORD, "superuser")
    seen(page, "choose")
    page.get_by_role("link", name="Add a partnership").click()
    seen(page, "add-a-partnership")
    page.get_by_label("Partnership's name").fill("Harbour Safeguarding Children Partnership")
    page.get_by_label("Short name for addresses").fill("harbour")
    page.get_by_label("England").check()
    page.get_by_label("First administrator's full name").fill("Ada Lovelace")
    page.get_by_label("First administrator's e-mail address").fill(ADA)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the partnership").click()
    expect(page).to_have_url(f"{live_server}/manage/harbour/")
    seen(page, "partnership-added")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()
    seen(page, "superuser-signed-out")

    (invitation,) = mail.outbox
    link = LINK.search(str(invitation.body))
    assert invitation.to == [ADA]
    assert link is not None
    page.goto(f"{live_server}{link.group(1)}")
    seen(page, "choose-a-password")
    page.get_by_label("New password", exact=True).fill(ADA_PASSWORD)
    page.get_by_label("Confirm your new password").fill(ADA_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save your new password").click()
    seen(page, "password-chosen")
    sign_in(page, live_server, seen, ADA, ADA_PASSWORD, "first-administrator")
    expect(page).to_have_url(f"{live_server}/manage/harbour/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("0 agencies")
    expect(main).to_contain_text("None adopted")
    seen(page, "overview-empty")
    navigation = page.get_by_role("navigation", name="Partnership administration")

    # 2. agencies
    for name in ("Harbour Police", "Harbour Children's Social Care"):
        navigation.get_by_role("link", name="Agencies").click()
        seen(page, f"agencies-before-{name}")
        page.get_by_role("link", name="Add an agency").click()
        seen(page, f"agency-add-{name}")
        page.get_by_label("Name").fill(name)
        with page.expect_navigation():
            page.get_by_role("button", name="Add agency").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        seen(page, f"agency-{name}")
    partnership = Partnership.objects.get(slug="harbour")
    assert set(Agency.objects.filter(partnership=partnership).values_list("name", flat=True)) == {
        "Harbour Police",
        "Harbour Children's Social Care",
    }

    # 3. people from a CSV file: checked first, then added all at once
    navigation.get_by_role("link", name="People").click()
    seen(page, "people-empty")
    page.get_by_role("link", name="Add people from a file").click()
    seen(page, "people-import")
    page.get_by_label("Upload a file").set_input_files(str(people_file(tmp_path / "people.csv")))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the people before adding them")
    seen(page, "people-import-check")
    assert not Person.objects.filter(partnership=partnership).exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Add these 3 people").click()
    expect(main).to_contain_text("3 people were added.")
    seen(page, "people-added")
    jo = Person.objects.get(partnership=partnership, email="jo.reyes@harbour.example")
    assert jo.line_manager is not None
    assert jo.line_manager.name == "Sam Okafor"

    # 4. the matrix, before any procedure: it says where its columns come from
    navigation.get_by_role("link", name="Seniority matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seniority matrix")
    seen(page, "matrix-without-a-procedure")

    # 5. adopt Enfield's bundled procedure
    navigation.get_by_role("link", name="Procedure").click()
    seen(page, "procedure-none")
    page.get_by_role("link", name=re.compile(r"^Adopt Inter-agency Escalation and Resolution Protocol")).click()
    seen(page, "adopt-enfield")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Adopt Inter-agency Escalation")).click()
    seen(page, "enfield-adopted")
    partnership.refresh_from_db()
    assert partnership.procedure is not None
    assert partnership.procedure.slug == "enfield"

    # 6. each agency in its column of Enfield's matrix
    for name, column in (("Harbour Police", "met-police"), ("Harbour Children's Social Care", "childrens-social-care")):
        navigation.get_by_role("link", name="Agencies").click()
        seen(page, f"agencies-{column}")
        page.get_by_role("link", name=name, exact=True).click()
        seen(page, f"agency-before-{column}")
        page.get_by_role("link", name="Change the details").click()
        seen(page, f"agency-change-{column}")
        page.get_by_label("Column of the seniority matrix").select_option(column)
        with page.expect_navigation():
            page.get_by_role("button", name="Save changes").click()
        seen(page, f"agency-in-{column}")
    assert Agency.objects.get(partnership=partnership, name="Harbour Police").matrix_agency == "met-police"

    # 7. correct a cell of the reconstructed Appendix B
    navigation.get_by_role("link", name="Seniority matrix").click()
    expect(main).to_contain_text("reconstruction of Appendix B from a damaged copy")
    seen(page, "matrix-enfield")
    cell = page.get_by_label("Met Police, Level 4", exact=True)
    expect(cell).to_have_value("Inspector")
    cell.fill("Detective Chief Inspector")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the matrix").click()
    expect(page.get_by_role("alert")).to_contain_text("1 cell of the seniority matrix was saved.")
    seen(page, "matrix-corrected")
    assert SeniorityTitle.objects.get(partnership=partnership, column="met-police", level=4).title == (
        "Detective Chief Inspector"
    )

    # the overview now shows how far it has got, and the trail holds each change as Ada's
    navigation.get_by_role("link", name="Overview").click()
    expect(main).to_contain_text("2 agencies")
    expect(main).to_contain_text("3 people")
    expect(main).to_contain_text("version")
    seen(page, "overview-set-up")
    ada = get_user_model().objects.get(email=ADA)
    by_ada = Event.objects.filter(partnership=partnership, data__user=ada.pk)
    changed = {event.data.get("model") for event in by_ada.filter(verb=Verb.REFERENCE_CHANGED)}
    assert {"partnerships.Agency", "partnerships.Person", "partnerships.SeniorityTitle"} <= changed
    assert by_ada.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.Person").count() == 3
    assert by_ada.filter(verb=Verb.PROCEDURE_ADOPTED).count() == 1
