"""Edit and adopt a new version of the procedure while a disagreement is open on the old one (issue 18).

The demo partnership's administrator copies the current version into a draft, renames a stage in the
text area, checks it (a broken key first, shown with its line and path, then fixed), previews the
pathway from the draft with its flowchart and what-if, and adopts it: the page says how many open
disagreements stay on the old version. The open disagreement stays on it; one raised afterwards
starts on the new one. Every page is checked by axe and at 320 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo, username
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Agency, Person
from tests.browser.conftest import Seen
from tests.browser.test_main_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_NAME = "        name: Stage 1\n"
BROKEN = "        nme: Stage 1, the line managers talk\n"
FIXED = "        name: Stage 1, the line managers talk\n"
#: filling the text area with a whole definition (about 1,000 lines) takes Chromium a few seconds
FILLING = 30_000


def test_edit_and_adopt_a_new_version_while_a_disagreement_is_open_on_the_old_one(
    page: Page, live_server: object, seen: Seen
) -> None:
    partnership = load_demo().partnership
    partnership.refresh_from_db()
    old = partnership.procedure
    assert old is not None
    open_before = Disagreement.objects.filter(partnership=partnership, status="open")
    waiting = list(open_before.values_list("pk", flat=True))
    assert waiting  # the demo has disagreements open on the version adopted now
    administrator = Person.objects.get(email=username("business-unit")).user
    assert administrator is not None
    administrator.is_staff = True
    administrator.save()
    partnership.administrators.add(administrator)

    sign_in(page, live_server, seen, "business-unit")
    page.goto(f"{live_server}/manage/{partnership.slug}/procedure/")
    seen(page, "manage-procedure")
    expect(page.locator("#current")).to_contain_text(f"Version {old.version} of enfield")

    with page.expect_navigation():
        page.get_by_role("link", name="Start from a copy of a procedure").click()
    seen(page, "manage-procedure-start")
    page.get_by_label("Your current version").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start the draft").click()
    seen(page, "manage-procedure-draft")
    box = page.get_by_label("The procedure's definition")
    text = box.input_value()
    assert OLD_NAME in text

    # a broken key first: the check names its line, its path in the file and the problem
    box.fill(text.replace(OLD_NAME, BROKEN, 1), timeout=FILLING)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    seen(page, "manage-procedure-draft-problems")
    line = text.splitlines().index(OLD_NAME.rstrip("\n")) + 1
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        f"Line {line}, pathways[escalation].stages[stage-1].nme: is not a field of the procedure format"
    )
    expect(summary).to_contain_text("pathways[escalation].stages[stage-1].name: is required but missing")
    expect(page.locator("#problems")).to_contain_text("nme: Stage 1, the line managers talk")
    summary.get_by_role("link").first.click()  # the summary links to the text area
    expect(box).to_be_focused()
    assert BROKEN in box.input_value()  # what was typed is kept

    box.fill(box.input_value().replace(BROKEN, FIXED, 1), timeout=FILLING)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    seen(page, "manage-procedure-draft-checked")
    expect(page.get_by_role("main")).to_contain_text("No problems found")

    with page.expect_navigation():
        page.get_by_role("link", name="Preview the draft").click()
    seen(page, "manage-procedure-preview")
    adopting = page.locator("#adopting")
    expect(adopting).to_contain_text(f"It becomes version {old.version + 1} of enfield")
    n = len(waiting)
    stays = "disagreement stays" if n == 1 else "disagreements stay"
    expect(adopting).to_contain_text(f"{n} {stays} on version {old.version} of enfield")
    with page.expect_navigation():
        page.get_by_role("link", name="The Escalation Process (§6)").click()
    seen(page, "manage-procedure-preview-pathway")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Escalation Process (§6)")
    expect(page.locator("#stages")).to_contain_text("Stage 1, the line managers talk")
    expect(page.get_by_role("img", name="Flowchart of The Escalation Process (§6)")).to_contain_text(
        "1. Stage 1, the line"
    )
    what_if = page.locator("#what-if")
    what_if.get_by_label("Day").fill("21")
    what_if.get_by_label("Month").fill("12")
    what_if.get_by_label("Year").fill("2026")
    what_if.get_by_label("Time").fill("10:00")
    with page.expect_navigation():
        what_if.get_by_role("button", name="Show the deadlines").click()
    seen(page, "manage-procedure-preview-what-if")
    expect(page.locator("#what-if")).to_contain_text("Stage 1, the line managers talk, from Monday 21 December 2026")

    with page.expect_navigation():
        page.get_by_role("link", name="Back to the preview").click()
    seen(page, "manage-procedure-preview")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue to adopt").click()
    seen(page, "manage-procedure-adopt")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Adopt version {old.version + 1}").click()
    seen(page, "manage-procedure-adopted")
    expect(page.get_by_role("alert")).to_contain_text(
        f"New disagreements start on it. {n} {stays} on version {old.version} of enfield"
    )
    expect(page.locator("#current")).to_contain_text(f"Version {old.version + 1} of enfield")

    # the open ones stay on the old version and its stage names; a new one starts on the new version
    partnership.refresh_from_db()
    new = partnership.procedure
    assert new is not None
    assert new.version == old.version + 1
    for d in Disagreement.objects.filter(pk__in=waiting):
        assert d.procedure_version == old
    assert old.procedure.pathway("escalation").stages[0].name == "Stage 1"
    teacher = Person.objects.get(email=username("teacher"))
    raised = services.disagreement_raise(
        by=teacher,
        child=services.child_register(by=teacher, reference="DEMO-CHILD-NEW"),
        other_agencies=[Agency.objects.get(partnership=partnership, name="Children's Social Care")],
        counterparts=[Person.objects.get(email=username("social-worker"))],
        category="threshold-referral",
        expected="An assessment.",
        why="Judged below the threshold.",
        what_needed="A home visit.",
    )
    assert raised.procedure_version == new
    assert raised.stage_runs.get().name == "Stage 1, the line managers talk"
