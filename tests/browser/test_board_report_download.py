"""The demo's business unit chooses a period for Enfield's log of escalations at level 4 or above and
downloads it as a PDF, in a real browser, with axe-core on every page."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.audit.models import Event, Verb
from resolve.demo.loader import load_demo
from resolve.disagreements.models import Disagreement, Participant
from resolve.partnerships.models import Person
from tests.browser.conftest import Seen
from tests.browser.test_records_and_outcomes import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_business_unit_downloads_the_level_4_log_for_a_period(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    # a head of service (level 4) joined an open disagreement just now: the log covers it
    d = Disagreement.objects.get(partnership__slug="demo-enfield", reference="ESCP-2026-0004")
    head = Person.objects.get(partnership__slug="demo-enfield", name="Hassan Ali")
    assert head.level == 4
    Participant.objects.create(
        disagreement=d, person=head, capacity=Participant.Capacity.HANDLER, added_at=timezone.now()
    )
    sign_in_as(page, live_server, seen, "business-unit", then="/oversight/demo-enfield/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports to the board")
    seen(page, "board-reports")

    today = timezone.localdate()
    start = today - timedelta(days=90)
    for legend, day in (("Start date", start), ("End date", today)):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    with page.expect_navigation():
        page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log of escalations at Level 4 or above")
    expect(page.get_by_role("main")).to_contain_text("Disagreements covered")
    expect(page.get_by_role("region", name="Disagreements covered")).to_contain_text("ESCP-2026-0004")
    seen(page, "board-report")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == f"level-4-log-{start.isoformat()}-{today.isoformat()}.pdf"
    path = download.value.path()
    with open(path, "rb") as f:
        reader = pypdf.PdfReader(io.BytesIO(f.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Log of escalations at Level 4 or above" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Sam Taylor" in text  # who made it, in the footer
    assert "ESCP-2026-0004" in text
    assert "DEMO-CHILD" not in text
    event = Event.objects.get(verb=Verb.DOCUMENT_MADE)
    assert event.data["report"] == "level-4-log"
    assert event.data["start"] == start.isoformat()
