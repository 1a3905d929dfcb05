"""An administrator's changes to reference data are in the audit trail; children's records are not in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.disagreements.models import Child, Disagreement
from resolve.partnerships.models import Agency, Person
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_adding_an_agency_in_the_admin_is_audited(administrator: Client) -> None:
    partnership = PartnershipFactory.create()
    response = administrator.post(
        "/admin/partnerships/agency/add/",
        {
            "partnership": partnership.pk,
            "name": "Northgate Academy",
            "matrix_agency": "education",
            "email": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northgate Academy")
    event = Event.objects.get(verb=Verb.REFERENCE_CHANGED)
    assert (event.data["model"], event.data["object"], event.data["action"]) == (
        "partnerships.Agency",
        str(agency.pk),
        "added",
    )
    assert verify().ok


def test_children_and_disagreements_are_not_in_the_admin() -> None:
    registered = admin.site._registry
    assert Child not in registered
    assert Disagreement not in registered
    assert Person in registered
