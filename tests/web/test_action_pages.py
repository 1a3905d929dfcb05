"""What every action page does (resolve.web.actions), shown on the withdraw page: one service call each."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.http import HttpResponseBase
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.web.actions import ActionPage
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def text(response: HttpResponseBase) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def main_of(response: HttpResponseBase) -> str:
    found = re.search(r"<main.*?</main>", response.content.decode(), re.DOTALL)  # type: ignore[attr-defined]
    assert found is not None
    return found.group(0)


def seen_value(page: str) -> str:
    return page.split('name="seen" value="', 1)[1].split('"', 1)[0]


def test_the_raiser_withdraws_with_a_reason_and_lands_on_the_disagreement_with_a_banner(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_withdraw", args=[d.pk])
    form = client.get(url)
    assert form.status_code == 200
    page = text(form)
    assert "<h1" in page
    assert "Withdraw the disagreement" in page
    assert d.reference in page
    response = client.post(url, {"reason": "  Resolved by telephone.  ", "seen": seen_value(page)}, follow=True)
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "The disagreement has been withdrawn." in text(response)
    d.refresh_from_db()
    assert d.status == Disagreement.Status.WITHDRAWN
    assert d.closing_reason == "Resolved by telephone."


def test_a_missing_reason_is_the_services_own_message_in_the_error_summary_and_changes_nothing(
    enfield: Cast,
) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_withdraw", args=[d.pk])
    response = client.post(url, {"reason": "   ", "seen": seen_value(text(client.get(url)))})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: Withdraw the disagreement" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_reason">Enter why the disagreement is being withdrawn.</a>' in page
    assert 'id="id_reason-error"' in page
    assert "govuk-textarea--error" in page
    d.refresh_from_db()
    assert d.status == Disagreement.Status.OPEN


def test_someone_elses_change_since_the_page_was_loaded_stops_the_send_and_says_what_changed(
    enfield: Cast,
) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_withdraw", args=[d.pk])
    seen = seen_value(text(client.get(url)))
    services.discussion_record(
        disagreement=d,
        by=enfield.at("csc", 1),
        held_at=d.raised_at,
        method="telephone",
        summary="We spoke.",
    )
    stale = client.post(url, {"reason": "No longer needed.", "seen": seen})
    assert stale.status_code == 409
    page = text(stale)
    assert "Someone else changed this disagreement after you opened this page. Nothing has been saved." in page
    assert "Discussion recorded, by csc level 1" in page
    assert "No longer needed." in page  # what was typed is kept
    d.refresh_from_db()
    assert d.status == Disagreement.Status.OPEN
    again = client.post(url, {"reason": "No longer needed.", "seen": seen_value(page)})
    assert again.status_code == 302
    d.refresh_from_db()
    assert d.status == Disagreement.Status.WITHDRAWN


def test_someone_who_may_see_it_but_not_withdraw_it_is_told_why_and_nothing_changes(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("csc", 1))
    url = reverse("disagreement_withdraw", args=[d.pk])
    for response in (client.get(url), client.post(url, {"reason": "Not ours to keep.", "seen": "0"})):
        assert response.status_code == 403
        assert "Only the agency that raised this disagreement can withdraw it." in text(response)
    d.refresh_from_db()
    assert d.status == Disagreement.Status.OPEN


def test_a_closed_disagreement_offers_no_withdraw_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Done.")
    response = signed_in(enfield.at("school", 1)).get(reverse("disagreement_withdraw", args=[d.pk]))
    assert response.status_code == 403
    assert "This disagreement is closed" in text(response)


def test_an_outsider_gets_the_same_404_as_for_a_disagreement_that_does_not_exist(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("health", 5))
    refused = client.post(reverse("disagreement_withdraw", args=[d.pk]), {"reason": "x", "seen": "0"})
    missing = client.get(reverse("disagreement_withdraw", args=["00000000-0000-0000-0000-000000000000"]))
    assert refused.status_code == missing.status_code == 404
    assert main_of(refused) == main_of(missing)  # nothing tells a refusal from a missing one
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=enfield.at("health", 5)).count() == 2
    d.refresh_from_db()
    assert d.status == Disagreement.Status.OPEN


def test_an_action_page_without_its_service_call_cannot_be_made() -> None:
    class Unfinished(ActionPage):
        pass

    with pytest.raises(TypeError, match="perform"):
        Unfinished()  # type: ignore[abstract]
