"""The seniority matrix page in a browser: the business unit corrects Enfield's damaged chart, and it shows.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``): the matrix is nine
agency columns wide, so it scrolls inside its own labelled region instead of the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo, username
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person, SeniorityTitle
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_administered() -> Person:
    """The demo partnership, administered by its business unit's account (a staff account)."""
    load_demo()
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    unit.partnership.administrators.add(unit.user)
    return unit


def test_the_business_unit_corrects_a_cell_of_the_reconstructed_matrix_and_sees_it(
    page: Page, live_server: object, seen: Seen
) -> None:
    unit = demo_administered()
    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}/manage/{unit.partnership.slug}/")
    seen(page, "manage-overview")
    page.get_by_role("navigation", name="Partnership administration").get_by_role(
        "link", name="Seniority matrix"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seniority matrix")
    seen(page, "matrix")
    main = page.get_by_role("main")
    expect(main).to_contain_text("reconstruction of Appendix B from a damaged copy")
    region = page.get_by_role("region", name="Role titles at each level, by agency column")
    expect(region).to_be_visible()
    cell = page.get_by_label("Met Police, Level 4", exact=True)
    expect(cell).to_have_value("Inspector")

    # too long: the error summary names the cell, and nothing is saved
    cell.fill("Detective Chief Inspector " * 10)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the matrix").click()
    expect(page.get_by_role("alert")).to_contain_text("The title for Met Police, Level 4 must be 200 characters")
    seen(page, "matrix-error")
    assert not SeniorityTitle.objects.exists()

    page.get_by_label("Met Police, Level 4", exact=True).fill("Detective Chief Inspector")
    page.get_by_label("Children's Social Care, Level 4", exact=True).fill("Head of Service")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the matrix").click()
    expect(page.get_by_role("alert")).to_contain_text("2 cells of the seniority matrix were saved.")
    seen(page, "matrix-saved")
    expect(page.get_by_label("Met Police, Level 4", exact=True)).to_have_value("Detective Chief Inspector")
    expect(main).to_contain_text("The procedure says: Inspector")
    expect(main).to_contain_text(f"by {unit.name}")

    # the teacher's disagreement page names who it would go to next with the partnership's title
    page.context.clear_cookies()
    sign_in(page, live_server, seen, "teacher")
    first = Disagreement.objects.filter(child__reference="DEMO-CHILD-001").get()
    page.goto(f"{live_server}/disagreements/{first.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)
    seen(page, "disagreement")
    expect(page.get_by_role("main")).to_contain_text("Level 4: Head of Service")
