"""Someone leaving, in a browser: the administrator hands a teacher's open work to her line manager in one step,
the disagreement's timeline shows the handover, and the partnership roles page flags and fills an empty role.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import DEMO_SLUG, load_demo, username
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person, RoleAssignment
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_with_administrator() -> tuple[Person, Disagreement]:
    load_demo()
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    unit.partnership.administrators.add(unit.user)
    teacher = Person.objects.get(email=username("teacher"))
    first = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    return teacher, first


def test_a_teacher_leaves_and_her_line_manager_takes_over_her_open_work(
    page: Page, live_server: object, seen: Seen
) -> None:
    teacher, first = demo_with_administrator()
    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}/manage/{DEMO_SLUG}/people/{teacher.pk}/leave/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Shah is leaving")
    seen(page, "manage-person-leave")
    expect(page.locator("#open-disagreements")).to_contain_text(first.reference)
    expect(page.locator("#open-disagreements")).to_contain_text("Raised the disagreement")
    chosen = page.get_by_label("Who takes over their open work?")
    expect(chosen.locator("option:checked")).to_contain_text("Ben Okafor")  # her line manager, the default

    with page.expect_navigation():
        page.get_by_role("button", name="Hand over and deactivate them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that they are leaving")  # not yet
    seen(page, "manage-person-leave-error")
    page.get_by_label("Yes, hand over their open work and deactivate them").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Hand over and deactivate them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Shah has left")
    expect(page.get_by_role("main")).to_contain_text("handed to Ben Okafor")
    expect(page.get_by_role("button", name=re.compile("Restore"))).to_be_visible()
    seen(page, "manage-person-left")

    page.context.clear_cookies()
    sign_in(page, live_server, seen, "dsl")
    page.goto(f"{live_server}/disagreements/{first.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)
    seen(page, "disagreement-after-handover")
    timeline = page.get_by_role("main")
    expect(timeline).to_contain_text("Open work handed over from someone leaving")
    expect(timeline).to_contain_text("Taken over by")
    expect(timeline).to_contain_text("Ben Okafor, Designated Safeguarding Lead")


def test_the_roles_page_flags_an_empty_role_and_an_administrator_fills_it(
    page: Page, live_server: object, seen: Seen
) -> None:
    demo_with_administrator()
    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}/manage/{DEMO_SLUG}/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership roles")
    seen(page, "manage-roles")
    lado = page.locator("#role-lado")
    expect(lado).to_contain_text("Nobody in this role")
    lado.get_by_label("Add someone to this role").select_option(
        label="Hassan Ali, Head of Service, Children's Social Care"
    )
    with page.expect_navigation():
        lado.get_by_role("button", name=re.compile("Add to this role")).click()
    expect(page.get_by_role("main")).to_contain_text("Hassan Ali now holds the role")
    expect(page.locator("#role-lado")).not_to_contain_text("Nobody in this role")
    seen(page, "manage-roles-filled")
    held = RoleAssignment.objects.get(role="lado")
    page.locator("#role-lado").get_by_role("link", name=re.compile("Remove")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Take Hassan Ali out of")
    seen(page, "manage-role-remove")
    page.get_by_label("Yes, take them out of this role").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove from the role").click()
    expect(page.locator("#role-lado")).to_contain_text("Nobody in this role")
    seen(page, "manage-roles-emptied")
    assert not RoleAssignment.objects.filter(pk=held.pk).exists()
