"""The Disagreements page: every disagreement the person may see, filtered by status, 50 a page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements.services.transitions import disagreement_withdraw
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_persons_open_disagreements_with_stage_agency_and_a_link(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 1)).get(reverse("disagreements"))
    page = response.content.decode()
    assert response.status_code == 200
    assert d.child.reference in page
    assert f'href="/disagreements/{d.pk}/"' in page
    assert d.stage_runs.get().name in page
    assert "Oakfield Primary School" in page
    assert "govuk-tag--blue" in page


def test_another_agencys_disagreement_is_never_listed(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)  # the school against children's social care: the police are not a party
    page = signed_in(cast.at("police", 3)).get(reverse("disagreements"), {"status": "all"}).content.decode()
    assert d.child.reference not in page
    assert "There are no disagreements to show." in page


def test_another_partnerships_disagreement_is_never_listed(cast_for: Callable[[str], Cast]) -> None:
    ours, theirs = cast_for("enfield"), cast_for("cumbria")
    d = raise_one(theirs)
    page = signed_in(ours.at("school", 1)).get(reverse("disagreements"), {"status": "all"}).content.decode()
    assert d.child.reference not in page


def test_the_status_filter_shows_open_by_default_and_withdrawn_ones_when_asked(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    kept, withdrawn = raise_one(cast), raise_one(cast)
    raiser = cast.at("school", 1)
    disagreement_withdraw(disagreement=withdrawn, by=raiser, reason="Agreed on the telephone.")
    client = signed_in(raiser)
    by_default = client.get(reverse("disagreements")).content.decode()
    assert kept.child.reference in by_default
    assert withdrawn.child.reference not in by_default
    only_withdrawn = client.get(reverse("disagreements"), {"status": "withdrawn"}).content.decode()
    assert withdrawn.child.reference in only_withdrawn
    assert kept.child.reference not in only_withdrawn
    every = client.get(reverse("disagreements"), {"status": "all"}).content.decode()
    assert kept.child.reference in every
    assert withdrawn.child.reference in every


def test_an_unknown_status_gets_a_400_page_saying_what_to_choose(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 1)).get(reverse("disagreements"), {"status": "closed'"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Disagreements" in page
    assert "govuk-error-summary" in page
    assert "Choose open, closed, resolved, withdrawn or all disagreements to show." in page
    assert d.child.reference not in page
    assert not Event.objects.filter(verb=Verb.VIEWED).exists()


def test_each_list_view_writes_one_viewed_entry_naming_the_rows_shown(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    first, second = raise_one(cast), raise_one(cast)
    viewer = cast.at("school", 1)
    client = signed_in(viewer)
    client.get(reverse("disagreements"))
    client.get(reverse("disagreements"))
    views = list(Event.objects.filter(verb=Verb.VIEWED).order_by("id"))
    assert len(views) == 2  # one per page view, not one per row
    entry = views[0]
    assert entry.actor == viewer
    assert entry.data["list"] == "disagreements"
    assert set(entry.data["disagreements"]) == {str(first.pk), str(second.pk)}
    assert set(entry.data["children"]) == {str(first.child_id), str(second.child_id)}
    assert first.child.reference not in str(entry.data)  # identifiers only


def test_the_list_shows_50_a_page_with_govuk_pagination_and_logs_only_the_page_shown(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    raised = [raise_one(cast) for _ in range(51)]
    client = signed_in(cast.at("school", 1))
    first = client.get(reverse("disagreements")).content.decode()
    assert "51 disagreements" in first
    assert "govuk-pagination" in first
    assert 'href="?page=2"' in first
    oldest = raised[0]  # newest first: the first raised is alone on page 2
    assert oldest.child.reference not in first
    second = client.get(reverse("disagreements"), {"page": "2"}).content.decode()
    assert oldest.child.reference in second
    entry = Event.objects.filter(verb=Verb.VIEWED).order_by("-id").first()
    assert entry is not None
    assert entry.data["disagreements"] == [str(oldest.pk)]


def test_the_number_of_queries_does_not_grow_with_the_rows(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    client = signed_in(cast.at("school", 1))
    raise_one(cast)
    client.get(reverse("disagreements"))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("disagreements"))
    for _ in range(5):
        raise_one(cast)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("disagreements"))
    assert len(six) == len(one)


def test_an_account_not_linked_to_a_person_is_told_what_to_do() -> None:
    user = get_user_model().objects.create_user(username="nobody@example.test", password="x" * 20)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("disagreements")).content.decode()
    assert "Ask your partnership administrator" in page


def test_the_service_navigation_links_to_the_disagreements_page(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    page = signed_in(cast.at("school", 1)).get(reverse("home")).content.decode()
    assert f'href="{reverse("disagreements")}"' in page
