"""A partnership's administrators export its audit trail for one disagreement or one person, and only its own."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.disagreements.models import Disagreement
from tests.administration.conftest import with_trail
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def admin_client(cast: Cast, username: str = "a-admin") -> tuple[Any, Client]:
    user = get_user_model().objects.create_user(username, f"{username}@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement, Cast, Disagreement]:
    a, b = cast_for("enfield"), cast_for("enfield")
    theirs = with_trail(b)
    Disagreement.objects.filter(pk=theirs.pk).update(reference="OTHER-2026-0001")  # not one of A's too
    theirs.refresh_from_db()
    return a, with_trail(a), b, theirs


def page(cast: Cast) -> str:
    return reverse("manage:audit", args=[cast.partnership.slug])


def test_a_disagreements_trail_downloads_by_its_reference_and_the_export_is_recorded(
    two: tuple[Cast, Disagreement, Cast, Disagreement],
) -> None:
    a, case, _b, _ = two
    user, client = admin_client(a)
    response = client.post(
        page(a),
        {
            "action": "disagreement",
            "disagreement-reference": f" {case.reference.lower()} ",
            "disagreement-format": "json",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="audit-trail-disagreement-{case.pk}.json"'
    rows = json.loads(response.content)
    assert rows[0]["what"] == "raised"
    assert {r["disagreement"] for r in rows} == {str(case.pk)}
    exported = Event.objects.get(verb=Verb.EXPORTED)
    assert exported.partnership == a.partnership
    assert exported.data == {"disagreement": str(case.pk), "entries": len(rows), "user": user.pk}
    assert verify().ok


def test_an_unknown_or_another_partnerships_reference_is_an_error_on_the_field_and_nothing_is_exported(
    two: tuple[Cast, Disagreement, Cast, Disagreement],
) -> None:
    a, _case, _b, theirs = two
    _user, client = admin_client(a)
    for reference in (theirs.reference, "NOPE-2026-0001", ""):
        response = client.post(
            page(a), {"action": "disagreement", "disagreement-reference": reference, "disagreement-format": "csv"}
        )
        assert response.status_code == 400, reference
        text = response.content.decode()
        assert 'class="govuk-error-summary"' in text
        assert 'href="#id_disagreement-reference"' in text
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_a_person_is_found_by_e_mail_and_their_trail_downloads_as_csv(
    two: tuple[Cast, Disagreement, Cast, Disagreement],
) -> None:
    a, _case, b, _ = two
    _user, client = admin_client(a)
    counterpart = a.at("csc", 1)
    found = client.post(page(a), {"action": "search", "person-email": counterpart.email.upper()})
    assert found.status_code == 200
    text = found.content.decode()
    assert counterpart.name in text
    assert f'value="{counterpart.pk}"' in text
    assert f'value="{b.at("csc", 1).pk}"' not in text  # only this partnership's people
    response = client.post(page(a), {"action": "person", "person": str(counterpart.pk), "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(StringIO(response.content.decode())))
    assert "participant_added" in [row["what"] for row in rows]
    assert Event.objects.filter(verb=Verb.EXPORTED, data__person=str(counterpart.pk)).exists()


def test_the_search_keeps_the_e_mail_address_out_of_the_pages_address(
    two: tuple[Cast, Disagreement, Cast, Disagreement],
) -> None:
    a, *_ = two
    _user, client = admin_client(a)
    form = client.get(page(a)).content.decode()
    assert 'method="get"' not in form.lower()
    empty = client.post(page(a), {"action": "search", "person-email": ""})
    assert empty.status_code == 400
    assert "Enter all or part of the person" in empty.content.decode()


def test_another_partnerships_person_cannot_be_exported(two: tuple[Cast, Disagreement, Cast, Disagreement]) -> None:
    a, _case, b, _ = two
    _user, client = admin_client(a)
    response = client.post(page(a), {"action": "person", "person": str(b.at("csc", 1).pk), "format": "json"})
    assert response.status_code == 404
    assert response.get("Content-Disposition") is None
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_even_a_superuser_exports_only_the_partnership_in_the_address(
    two: tuple[Cast, Disagreement, Cast, Disagreement], administrator: Client
) -> None:
    a, _case, _b, theirs = two
    response = administrator.post(
        page(a), {"action": "disagreement", "disagreement-reference": theirs.reference, "disagreement-format": "csv"}
    )
    assert response.status_code == 400
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()
