"""The dashboard pages: who may open them, the period form (GET, 400 on a bad one), exports, the quarterly report."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Partnership, Person
from tests.factories import PersonFactory, RoleAssignmentFactory
from tests.reports.test_figures import dataset, world
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def url(p: Partnership, name: str = "dashboard", **kwargs: object) -> str:
    return reverse(f"oversight:{name}", kwargs={"partnership": p.slug, **kwargs})


def role(p: Partnership, slug: str) -> Person:
    return RoleAssignmentFactory.create(person__partnership=p, partnership=p, role=slug).person


def admin_of(p: Partnership) -> Client:
    user = get_user_model().objects.create_user(username="admin-a", password="x" * 20, is_staff=True)
    p.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client


PERIOD = "?start_0=1&start_1=1&start_2=2025&end_0=30&end_1=6&end_2=2025"


def test_the_business_unit_chair_and_administrators_open_it_others_get_page_not_found() -> None:
    w = world()
    dataset(w)
    for client in (signed_in(role(w.a, "business-unit")), signed_in(role(w.a, "escp-chair")), admin_of(w.a)):
        response = client.get(url(w.a) + PERIOD)
        assert response.status_code == 200
        page = response.content.decode()
        assert '<h1 class="govuk-heading-l">Dashboard</h1>' in page
        assert f'href="{url(w.a)}"' in page  # "Oversight" in the service navigation
    practitioner = signed_in(PersonFactory.create(agency=w.agencies["School"]))
    assert practitioner.get(url(w.a)).status_code == 404
    assert url(w.a) not in practitioner.get(reverse("home")).content.decode()
    other = signed_in(role(w.b, "business-unit"))
    assert other.get(url(w.a)).status_code == 404
    assert other.get(url(w.a, "dashboard_export", what="figures", kind="xlsx") + PERIOD).status_code == 404
    assert Client().get(url(w.a)).status_code == 302


def test_the_page_shows_each_figure_as_a_table_with_its_chart_and_no_childs_details() -> None:
    w = world()
    dataset(w)
    page = signed_in(role(w.a, "business-unit")).get(url(w.a) + PERIOD).content.decode()
    assert "Disagreements from 1 January 2025 to 30 June 2025." in page
    cell = '</th><td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f'<th scope="row" class="govuk-table__header">Raised in the period{cell}5</td>' in page
    assert f'<th scope="row" class="govuk-table__header">Median{cell}18</td>' in page
    assert page.count('<svg role="img" aria-labelledby="chart-') == 9
    assert 'id="chart-trend-caption"' in page
    assert "CHILD-SECRET" not in page
    assert "fewer than" not in page.split("Download</h2>")[1]  # exact figures on the page
    assert url(w.a, "dashboard_export", what="figures", kind="xlsx") + PERIOD.replace("&", "&amp;") in page


def test_the_default_period_is_the_last_12_months() -> None:
    w = world()
    response = signed_in(role(w.a, "business-unit")).get(url(w.a))
    assert response.status_code == 200
    assert "Disagreements from" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?start_0=1&start_1=6&start_2=2025&end_0=1&end_1=5&end_2=2025",
            "The end date must be the same as or after the start date",
        ),
        ("?start_0=1&start_1=1&start_2=2015&end_0=1&end_1=5&end_2=2025", "The period must be 5 years or shorter"),
        ("?start_0=1&start_1=1&start_2=2999&end_0=1&end_1=5&end_2=2999", "The start date must be today or in the past"),
        ("?start_0=31&start_1=2&start_2=2025&end_0=1&end_1=5&end_2=2025", "The start date must be a real date"),
    ],
)
def test_a_bad_period_is_refused_with_400_and_a_message(query: str, message: str) -> None:
    w = world()
    client = signed_in(role(w.a, "business-unit"))
    response = client.get(url(w.a) + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    exported = client.get(url(w.a, "dashboard_export", what="list", kind="csv") + query)
    assert exported.status_code == 400
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_exports_download_and_are_recorded_an_unknown_one_is_not_found() -> None:
    w = world()
    dataset(w)
    unit = role(w.a, "business-unit")
    client = signed_in(unit)
    response = client.get(url(w.a, "dashboard_export", what="figures", kind="xlsx") + PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="alpha-figures-2025-01-01-to-2025-06-30.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Totals"]["B2"].value == 5
    listed = client.get(url(w.a, "dashboard_export", what="list", kind="csv") + PERIOD)
    assert listed.content.decode("utf-8-sig").splitlines()[1].startswith("T-2025-0001,")
    events = Event.objects.filter(verb=Verb.DOCUMENT_MADE).order_by("id")
    assert [(e.data["document"], e.data["format"]) for e in events] == [
        ("dashboard_export", "xlsx"),
        ("dashboard_list", "csv"),
    ]
    assert events[0].actor_id == unit.pk
    for what, kind in (("figures", "pdf"), ("people", "csv")):
        assert client.get(url(w.a, "dashboard_export", what=what, kind=kind) + PERIOD).status_code == 404


def test_the_quarterly_page_offers_quarters_and_downloads_a_report() -> None:
    w = world()
    dataset(w)
    client = signed_in(role(w.a, "escp-chair"))
    page = client.get(url(w.a, "quarterly"))
    assert page.status_code == 200
    chosen = client.get(url(w.a, "quarterly") + "?year=2025&quarter=1").content.decode()
    href = url(w.a, "quarterly_download", year=2025, quarter=1, kind="docx")
    assert f'href="{href}"' in chosen
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="alpha-quarterly-2025-q1.docx"'
    assert client.get(url(w.a, "quarterly") + "?year=2025&quarter=7").status_code == 400
    assert client.get(url(w.a, "quarterly_download", year=2025, quarter=5, kind="pdf")).status_code == 400
    assert client.get(url(w.a, "quarterly_download", year=2999, quarter=1, kind="pdf")).status_code == 400
    assert client.get(url(w.a, "quarterly_download", year=2025, quarter=1, kind="xlsx")).status_code == 404
    assert signed_in(role(w.b, "business-unit")).get(href).status_code == 404


def test_the_oversight_list_links_to_the_dashboard_for_someone_who_oversees() -> None:
    w = world()
    chair = role(w.a, "escp-chair")
    page = signed_in(chair).get(reverse("oversight")).content.decode()
    assert f'<a class="govuk-link" href="{url(w.a)}">' in page
    # an administrator with no person: "Oversight" in the navigation all the same
    assert f'href="{url(w.a)}"' in admin_of(w.a).get(reverse("manage:choose"), follow=True).content.decode()
