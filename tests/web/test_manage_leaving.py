"""The page for someone leaving: their open work, who takes it over, one confirmed step; and Restore."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Participant
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    content = response.content.decode()
    found = re.search(r"<main.*?</main>", content, re.DOTALL)
    assert found is not None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def client(enfield: Cast) -> Client:
    user = get_user_model().objects.create_user("admin", "admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    browser = Client()
    browser.force_login(user)
    return browser


def leave_url(cast: Cast, person: Person | uuid.UUID) -> str:
    pk = person.pk if isinstance(person, Person) else person
    return reverse("manage:person_leave", kwargs={"partnership": cast.partnership.slug, "person": pk})


def test_the_page_shows_their_open_work_by_reference_and_offers_their_line_manager(
    enfield: Cast, client: Client
) -> None:
    d = raise_one(enfield)
    response = client.get(leave_url(enfield, enfield.at("school", 1)))
    assert response.status_code == 200
    shown = text(response)
    assert "school level 1 is leaving" in shown
    assert d.reference in shown
    assert "Stage 1" in shown
    assert "Raised the disagreement" in shown
    assert d.child.reference not in shown  # the child is not needed here
    assert "line-manages" not in shown
    page = response.content.decode()
    manager = enfield.at("school", 2)
    assert re.search(rf'<option value="{manager.pk}" selected>', page)
    assert f'value="{enfield.at("school", 1).pk}"' not in page  # not the person leaving


def test_someone_with_no_open_work_and_people_they_manage_is_told_so(enfield: Cast, client: Client) -> None:
    shown = text(client.get(leave_url(enfield, enfield.at("health", 3))))
    assert "has no open work" in shown
    assert "line-manages 1 person" in shown


def test_handing_over_is_one_confirmed_step_and_the_page_then_offers_restore(enfield: Cast, client: Client) -> None:
    d = raise_one(enfield)
    leaving, manager = enfield.at("school", 1), enfield.at("school", 2)
    response = client.post(leave_url(enfield, leaving), {"successor": str(manager.pk), "confirm": "on"})
    assert response.status_code == 303
    assert response["Location"] == leave_url(enfield, leaving)
    leaving.refresh_from_db()
    assert not leaving.is_active
    assert Participant.objects.filter(disagreement=d, person=manager, capacity="raiser").exists()
    after = client.get(response["Location"])
    shown = text(after)
    assert "school level 1 has left" in shown
    assert "handed to school level 2" in shown  # the success message
    assert "Restore" in shown
    restore = reverse("manage:person_restore", kwargs={"partnership": enfield.partnership.slug, "person": leaving.pk})
    assert client.post(restore).status_code == 303
    leaving.refresh_from_db()
    assert leaving.is_active
    assert "is leaving" in text(client.get(leave_url(enfield, leaving)))


def test_without_the_confirmation_nothing_changes(enfield: Cast, client: Client) -> None:
    raise_one(enfield)
    leaving = enfield.at("school", 1)
    response = client.post(leave_url(enfield, leaving), {"successor": str(enfield.at("school", 2).pk)})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "Confirm that they are leaving" in text(response)
    leaving.refresh_from_db()
    assert leaving.is_active
    assert not Event.objects.filter(verb=Verb.HANDED_OVER).exists()


@pytest.mark.parametrize("successor", ["", "not-a-uuid", "other partnership", "themself"])
def test_a_bad_successor_is_a_400_with_the_error_summary_and_nothing_changes(
    enfield: Cast, client: Client, cast_for: Callable[[str], Cast], successor: str
) -> None:
    raise_one(enfield)
    leaving = enfield.at("school", 1)
    value = {
        "other partnership": str(cast_for("enfield").at("school", 2).pk),
        "themself": str(leaving.pk),
    }.get(successor, successor)
    response = client.post(leave_url(enfield, leaving), {"successor": value, "confirm": "on"})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert 'href="#id_successor"' in response.content.decode()
    leaving.refresh_from_db()
    assert leaving.is_active


def test_a_successor_without_the_stages_authority_is_refused_naming_the_disagreement(
    enfield: Cast, client: Client
) -> None:
    d: Disagreement = raise_one(enfield)
    handler = enfield.at("csc", 2)
    services.participant_add(disagreement=d, by=handler, person=handler, capacity="handler")
    response = client.post(leave_url(enfield, handler), {"successor": str(enfield.at("csc", 1).pk), "confirm": "on"})
    assert response.status_code == 400
    assert f"{d.reference}: csc level 1 cannot handle Stage 1" in text(response)
    handler.refresh_from_db()
    assert handler.is_active


def test_an_unknown_or_another_partnerships_person_is_404(
    enfield: Cast, client: Client, cast_for: Callable[[str], Cast]
) -> None:
    other = cast_for("enfield").at("school", 1)
    for target in (uuid.uuid4(), other.pk):
        assert client.get(leave_url(enfield, target)).status_code == 404
        assert client.post(leave_url(enfield, target), {"confirm": "on"}).status_code == 404
        restore = reverse("manage:person_restore", kwargs={"partnership": enfield.partnership.slug, "person": target})
        assert client.post(restore).status_code == 404
    other.refresh_from_db()
    assert other.is_active
