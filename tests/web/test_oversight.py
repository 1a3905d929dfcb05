"""The oversight page: for the partnership's role holders, what reached the stages their roles handle."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def test_a_role_holder_sees_what_reached_their_roles_stage_linked_from_my_work(cast_for: Callable[[str], Cast]) -> None:
    nel = cast_for("north-east-lincolnshire")
    iso = nel.role("independent-scrutiny-officer")
    reached, below = raise_one(nel, pathway="serious-case"), raise_one(nel, pathway="serious-case")
    for reason in ("Unresolved.", "Still unresolved."):
        services.disagreement_escalate(disagreement=reached, by=nel.at("school", 3), reason=reason)
    client = signed_in(iso)
    assert f'href="{reverse("oversight")}"' in client.get(reverse("home")).content.decode()
    response = client.get(reverse("oversight"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Oversight</h1>' in page
    assert f'href="/disagreements/{reached.pk}/"' in page
    assert below.child.reference not in page
    entry = Event.objects.filter(verb=Verb.VIEWED).order_by("-id").first()
    assert entry is not None
    assert entry.data["list"] == "oversight"
    assert entry.data["disagreements"] == [str(reached.pk)]


def test_with_nothing_reached_the_page_says_so_in_a_sentence(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    raise_one(cast)
    page = signed_in(cast.role("escp-chair")).get(reverse("oversight")).content.decode()
    assert "No disagreement has reached a stage your roles handle." in page
    assert "<table" not in page


def test_someone_holding_no_role_gets_page_not_found_and_no_link(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    client = signed_in(cast.at("school", 5))
    assert client.get(reverse("oversight")).status_code == 404
    assert reverse("oversight") not in client.get(reverse("home")).content.decode()
