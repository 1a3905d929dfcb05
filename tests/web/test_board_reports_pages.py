"""The board reports' pages: the list with the period form, a report on screen, its downloads, bad
periods (HTTP 400 with GOV.UK's error summary), and who may reach them (everyone else: 404)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.procedures.schema import PartnershipRole
from tests.conftest import Cast
from tests.documents.test_board_reports import CHILD_NAME, NOW, make, pdf_text
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


PERIOD = {"start_0": "1", "start_1": "7", "start_2": "2026", "end_0": "30", "end_1": "9", "end_2": "2026"}


def url(cast: Cast, name: str = "board_reports", **kwargs: str) -> str:
    return reverse(f"oversight:{name}", kwargs={"partnership": cast.partnership.slug, **kwargs})


def test_the_list_shows_the_procedures_report_and_the_period_form_defaulting_to_the_last_quarter(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    response = signed_in(cast.role("business-unit")).get(url(cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Log of escalations at Level 4 or above" in page
    assert "All escalations of Level 4 or above" in page
    assert "L84-86" in page
    assert '<form method="get"' in page
    # the last full quarter before 20 November 2026: July to September
    assert re.search(r'name="start_0"[^>]* value="1"', page)
    assert re.search(r'name="start_1"[^>]* value="7"', page)
    assert re.search(r'name="end_0"[^>]* value="30"', page)
    assert re.search(r'name="end_1"[^>]* value="9"', page)


def test_choosing_a_report_and_a_period_opens_it(cast_for: Callable[[str], Cast], time_machine) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    response = signed_in(cast.role("business-unit")).get(url(cast), {"report": "level-4-log", **PERIOD})
    assert response.status_code == 302
    assert response["Location"].startswith(url(cast, "board_report", report="level-4-log") + "?")


def test_a_procedure_naming_no_report_says_so(cast_for: Callable[[str], Cast], time_machine) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("north-east-lincolnshire")
    holder = next(p for slug, p in cast.role_holders.items() if slug in {r.slug for r in _overseeing_roles(cast)})
    response = signed_in(holder).get(url(cast))
    assert response.status_code == 200
    assert "names no report to the board" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def _overseeing_roles(cast: Cast) -> list[PartnershipRole]:
    procedure = cast.partnership.procedure.procedure  # type: ignore[union-attr]
    return [r for r in procedure.roles if r.kind in ("business_unit", "chair")]


def test_the_report_on_screen_lists_the_covered_and_links_to_its_downloads(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    covered = make(cast, reached=date(2026, 8, 10))
    outside = make(cast, reached=date(2026, 10, 10))
    client = signed_in(cast.role("escp-chair"))
    response = client.get(url(cast, "board_report", report="level-4-log"), PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert covered.reference in page
    assert outside.reference not in page
    assert CHILD_NAME not in page
    assert covered.child.reference not in page
    pdf_link = url(cast, "board_report_download", report="level-4-log", kind="pdf")
    assert f'href="{pdf_link}?start_0=1&amp;start_1=7&amp;start_2=2026&amp;end_0=30&amp;end_1=9&amp;end_2=2026"' in page

    download = client.get(pdf_link, PERIOD)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert 'filename="level-4-log-2026-07-01-2026-09-30.pdf"' in download["Content-Disposition"]
    assert covered.reference in pdf_text(download.content)
    word = client.get(url(cast, "board_report_download", report="level-4-log", kind="docx"), PERIOD)
    assert word.status_code == 200
    tables = docx.Document(io.BytesIO(word.content)).tables
    assert any(row.cells[0].text == covered.reference for t in tables for row in t.rows)
    assert Event.objects.filter(verb=Verb.DOCUMENT_MADE).count() == 2
    assert client.get(url(cast, "board_report_download", report="level-4-log", kind="xlsx"), PERIOD).status_code == 404
    assert client.get(url(cast, "board_report", report="formal-use"), PERIOD).status_code == 404


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({**PERIOD, "end_0": "30", "end_1": "6"}, "The end date must be the same as or after the start date"),
        ({**PERIOD, "start_2": "2025", "start_1": "1"}, "The period must be 366 days or shorter"),
        ({**PERIOD, "end_1": "13"}, "The end date must be a real date"),
        ({**PERIOD, "start_1": ""}, "The start date must include a month"),
        ({**PERIOD, "end_1": "12", "end_0": "25"}, "The end date must be today or in the past"),
    ],
)
def test_a_bad_period_shows_the_form_again_with_the_message_and_http_400(
    cast_for: Callable[[str], Cast], time_machine, period: dict[str, str], message: str
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    client = signed_in(cast.role("business-unit"))
    for address in (
        url(cast, "board_report", report="level-4-log"),
        url(cast, "board_report_download", report="level-4-log", kind="pdf"),
    ):
        response = client.get(address, period)
        page = response.content.decode()
        assert response.status_code == 400
        assert "govuk-error-summary" in page
        assert message in page
        assert "<title>Error:" in page
    response = client.get(url(cast), {"report": "level-4-log", **period})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_who_may_reach_the_pages(cast_for: Callable[[str], Cast], time_machine) -> None:
    time_machine.move_to(NOW)
    cast, other = cast_for("enfield"), cast_for("enfield")
    report = url(cast, "board_report", report="level-4-log")
    for person in (cast.at("school", 1), cast.at("csc", 5), other.role("business-unit")):
        client = signed_in(person)
        assert client.get(url(cast)).status_code == 404
        assert client.get(report).status_code == 404
    for person in (cast.role("business-unit"), cast.role("escp-chair")):
        assert signed_in(person).get(report).status_code == 200
    admin = get_user_model().objects.create_user("partnership-admin", "a@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(admin)
    client = Client()
    client.force_login(admin)
    assert client.get(url(cast)).status_code == 200
    assert client.get(report).status_code == 200
    assert Client().get(report).status_code == 302  # signed out: the sign-in page


def test_the_page_makes_a_bounded_number_of_queries(
    cast_for: Callable[[str], Cast], time_machine, django_assert_max_num_queries
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    cast.partnership.suppress_below = 1
    cast.partnership.save()
    client = signed_in(cast.role("business-unit"))
    report = url(cast, "board_report", report="level-4-log")
    make(cast, reached=date(2026, 8, 1), status="resolved", closed=date(2026, 9, 1), days=3)
    client.get(report, PERIOD)  # warm the procedure cache and the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(report, PERIOD).status_code == 200
    for k in range(10):
        make(
            cast,
            reached=date(2026, 8, 2 + k),
            agency=("police", "health")[k % 2],
            status="resolved",
            closed=date(2026, 9, 1),
            days=k,
        )
    with django_assert_max_num_queries(len(small)):
        page = client.get(report, PERIOD).content.decode()
    assert page.count("TST-2026-") == 11
