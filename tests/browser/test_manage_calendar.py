"""The calendar in a browser (a closure day over an open deadline, previewed, saved, recalculated) and version history.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from resolve.calendar import LONDON
from resolve.core.actors import Operator
from resolve.demo.loader import load_demo, username
from resolve.disagreements.models import Disagreement, StageDeadline
from resolve.partnerships.models import Person
from resolve.partnerships.services import partnership_adopt_procedure
from resolve.procedures.loader import load_text
from resolve.procedures.services import procedure_version_store
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resolution_of(disagreement: Disagreement) -> StageDeadline:
    run = disagreement.stage_runs.get(ended_at__isnull=True)
    return run.current_deadlines().get(timescale="resolution")


def test_a_closure_day_over_an_open_deadline_is_previewed_saved_and_recalculated(
    page: Page, live_server: object, seen: Seen
) -> None:
    demo = load_demo()
    first = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    before = resolution_of(first)
    assert before.due is not None
    day = before.due.astimezone(LONDON).date()  # the working day it falls due: closed now
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    demo.partnership.administrators.add(unit.user)

    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}{reverse('manage:calendar', args=[demo.partnership.slug])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    seen(page, "manage-calendar")
    page.get_by_role("button", name="Add a closure day or extra working day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a closure day or extra working day")
    seen(page, "manage-calendar-add")
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Closure day (not a working day)").check()
    page.get_by_label("Reason (optional)").fill("Staff training day")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check which deadlines would move")
    seen(page, "manage-calendar-preview")
    moves = page.locator("#moves")
    expect(moves).to_contain_text(first.reference)
    expect(moves).to_contain_text(f"{before.due.astimezone(LONDON):%-d %b %Y %H:%M}")
    expect(page.get_by_role("main")).not_to_contain_text(first.child.reference)
    assert resolution_of(first).pk == before.pk  # nothing saved yet
    with page.expect_navigation():
        page.get_by_role("button", name="Save and recalculate").click()
    expect(page.get_by_role("alert")).to_contain_text("Calendar day saved, and")
    seen(page, "manage-calendar-recalculated")
    expect(page.get_by_role("main")).to_contain_text("Staff training day")

    after = resolution_of(first)
    assert after.due is not None
    assert after.due > before.due
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    seen(page, "signed-out")
    sign_in(page, live_server, seen, "teacher")
    page.goto(f"{live_server}{reverse('disagreement', args=[first.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)
    seen(page, "disagreement-after-recalculation")
    expect(page.get_by_role("main")).to_contain_text(f"{after.due.astimezone(LONDON):%a %-d %b %Y %H:%M}")


def test_the_version_history_shows_the_difference_and_downloads_the_yaml(
    page: Page, live_server: object, seen: Seen
) -> None:
    demo = load_demo()
    demo.partnership.refresh_from_db()
    first = demo.partnership.procedure
    assert first is not None
    text = first.source_text.replace("n: 5", "n: 7", 1)
    second = procedure_version_store(procedure=load_text(text), source_text=text, origin="edited.yaml")
    partnership_adopt_procedure(partnership=demo.partnership, version=second, by=Operator(name="ops@server"))
    unit = Person.objects.get(email=username("business-unit"))
    assert unit.user is not None
    unit.user.is_staff = True
    unit.user.save()
    demo.partnership.administrators.add(unit.user)

    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}{reverse('manage:versions', args=[demo.partnership.slug])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Version history")
    seen(page, "manage-versions")
    expect(page.locator("#versions")).to_contain_text("by ops@server")
    expect(page.locator("#difference-summary")).to_have_text("1 line added, 1 line removed.")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the YAML of version {second.version}").click()
    assert download.value.suggested_filename == f"{second.slug}-v{second.version}.yaml"
    assert Path(download.value.path()).read_text(encoding="utf-8") == text
