"""The demo's business unit opens the dashboard, chooses a period and downloads the figures as Excel."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resolve.demo.loader import load_demo
from resolve.disagreements.models import Disagreement
from tests.browser.conftest import Seen
from tests.browser.test_records_and_outcomes import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_business_unit_chooses_a_period_and_downloads_the_figures(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_as(page, live_server, seen, "business-unit", then="/oversight/demo-enfield/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    seen(page, "dashboard")
    today = timezone.localdate()
    start = page.get_by_role("group", name="From")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("1")
    start.get_by_label("Year").fill(str(today.year - 1))
    with page.expect_navigation():
        page.get_by_role("button", name="Show this period").click()
    seen(page, "dashboard-period")
    expect(page.get_by_text(f"Disagreements from 1 January {today.year - 1} to")).to_be_visible()
    expect(
        page.get_by_role("img", name="Chart: Raised and closed by month (the same figures as the table)")
    ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="The figures and the list of disagreements (Excel)").click()
    saved = Path(download.value.path())
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert book["Totals"]["A2"].value == "Raised in the period"
    since = timezone.make_aware(datetime(today.year - 1, 1, 1))
    raised = Disagreement.objects.filter(partnership__slug="demo-enfield", raised_at__gte=since).count()
    assert book["Totals"]["B2"].value == (raised if raised == 0 or raised >= 5 else "fewer than 5")
    assert book["Disagreements"]["A1"].value == "Reference"
