"""The agencies pages: list, add, change, retire, restore; bad input is a 400 naming the field and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Agency
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def client(a: Cast) -> Client:
    user = get_user_model().objects.create_user("a-admin", "a-admin@example.test", "x" * 20, is_staff=True)
    a.partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client


def url(a: Cast, name: str, agency: Agency | None = None) -> str:
    kwargs = {"partnership": a.partnership.slug}
    return reverse(f"manage:{name}", kwargs={**kwargs, "agency": agency.pk} if agency else kwargs)


def agencies_stored() -> str:
    return serializers.serialize("json", Agency.objects.order_by("pk"))


def test_the_list_shows_each_agency_with_its_column_contact_and_active_people(a: Cast, client: Client) -> None:
    Agency.objects.filter(pk=a.agencies["police"].pk).update(phone="020 7946 0999")
    text = client.get(url(a, "agencies")).content.decode()
    assert "4 agencies are in the partnership." in text
    assert "Met Police" in text  # the name of the matrix column met-police
    assert "020 7946 0999" in text
    assert "5 active people" in text


def test_adding_an_agency_redirects_to_it_with_a_message(a: Cast, client: Client) -> None:
    response = client.post(
        url(a, "agency_add"), {"name": "Youth Offending Team", "matrix_agency": "yot", "email": "", "phone": ""}
    )
    assert response.status_code == 303
    agency = Agency.objects.get(partnership=a.partnership, name="Youth Offending Team")
    assert response["Location"] == url(a, "agency", agency)
    page = client.get(response["Location"]).content.decode()
    assert "Youth Offending Team was added." in page
    assert Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__object=str(agency.pk)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the agency&#x27;s name."),
        ({"name": "Police"}, "already has an agency called Police"),
        ({"name": "New", "email": "nope"}, "Enter an e-mail address in the correct format"),
        ({"name": "New", "matrix_agency": "mars"}, "Select a valid choice"),
    ],
)
def test_a_bad_agency_is_a_400_with_the_error_summary_and_nothing_stored(
    a: Cast, client: Client, data: dict[str, str], message: str
) -> None:
    before = agencies_stored()
    response = client.post(url(a, "agency_add"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert message in text
    assert agencies_stored() == before


def test_changing_an_agency_offers_the_matrix_columns_and_saves(a: Cast, client: Client) -> None:
    police = a.agencies["police"]
    form = client.get(url(a, "agency_change", police)).content.decode()
    assert 'value="met-police" selected' in form
    assert "Early Help" in form  # another column of Enfield's matrix
    response = client.post(
        url(a, "agency_change", police),
        {"name": "Met Police", "matrix_agency": "met-police", "email": "met@example.org", "phone": ""},
    )
    assert response.status_code == 303
    police.refresh_from_db()
    assert (police.name, police.email) == ("Met Police", "met@example.org")


def test_retiring_and_restoring_an_agency_is_confirmed_first(a: Cast, client: Client) -> None:
    police = a.agencies["police"]
    confirm = client.get(url(a, "agency_retire", police)).content.decode()
    assert "5 people in this agency are still active." in confirm
    police.refresh_from_db()
    assert police.retired_at is None
    response = client.post(url(a, "agency_retire", police))
    assert response.status_code == 303
    police.refresh_from_db()
    assert police.retired_at is not None
    page = client.get(url(a, "agency", police)).content.decode()
    assert "Police was retired." in page
    assert "Restore this agency" in page
    listing = client.get(url(a, "agencies")).content.decode()
    assert "Retired" in listing
    assert "3 agencies are in the partnership." in listing
    again = client.post(url(a, "agency_retire", police))
    assert again.status_code == 409
    assert "already retired" in again.content.decode()
    assert client.post(url(a, "agency_restore", police)).status_code == 303
    police.refresh_from_db()
    assert police.retired_at is None


def test_another_partnerships_agency_is_404(a: Cast, client: Client, cast_for: Callable[[str], Cast]) -> None:
    b = cast_for("enfield")
    before = agencies_stored()
    for name in ("agency", "agency_change", "agency_retire", "agency_restore"):
        kwargs = {"partnership": a.partnership.slug, "agency": b.agencies["police"].pk}
        assert client.get(reverse(f"manage:{name}", kwargs=kwargs)).status_code == 404
        assert client.post(reverse(f"manage:{name}", kwargs=kwargs), {"name": "X"}).status_code == 404
    assert agencies_stored() == before
