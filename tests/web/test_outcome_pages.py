"""The outcome and action pages (resolve.web.act.outcomes): propose, confirm or dispute; add and complete actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resolve.disagreements import services
from resolve.disagreements.models import Action, Confirmation, Disagreement, OutcomeDispute, WrittenOutcome
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_action_pages import main_of, seen_value, text
from tests.web.test_home import signed_in
from tests.web.test_record_pages import send

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def proposed(cast: Cast) -> tuple[Disagreement, WrittenOutcome]:
    d = raise_one(cast)
    return d, services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="A home visit on Monday.")


def confirm_url(outcome: WrittenOutcome) -> str:
    return reverse("disagreement_outcome_confirm", args=[outcome.disagreement_id, outcome.pk])


# ---------------------------------------------------------------------------------------------- propose


def test_proposing_an_outcome_keeps_it_confirmed_for_the_proposers_agency(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_outcome", args=[d.pk])
    response = client.post(
        url,
        {"text": "A visit on Monday; CSC to confirm by e-mail.", "seen": seen_value(text(client.get(url)))},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "The outcome has been proposed and confirmed for your agency." in text(response)
    outcome = WrittenOutcome.objects.get(disagreement=d)
    assert outcome.text == "A visit on Monday; CSC to confirm by e-mail."
    assert [c.agency for c in outcome.confirmations.all()] == [enfield.agencies["school"]]


def test_an_empty_outcome_is_the_services_message_on_the_field(enfield: Cast) -> None:
    d = raise_one(enfield)
    response = send(signed_in(enfield.at("school", 2)), reverse("disagreement_outcome", args=[d.pk]), {"text": "  "})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: Propose a written outcome" in page
    assert '<a href="#id_text">Enter the agreed outcome and how any outstanding issues will be pursued.</a>' in page
    assert not WrittenOutcome.objects.exists()


def test_below_the_stages_level_the_propose_page_says_who_can(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_outcome", args=[d.pk])
    for response in (client.get(url), client.post(url, {"text": "Agreed.", "seen": "0"})):
        assert response.status_code == 403
        page = text(response)
        assert "Only someone in one of the agencies in dispute, at the stage's level, can propose" in page
        assert "Ask your line manager to act." in page
    assert not WrittenOutcome.objects.exists()


def test_a_stale_propose_page_changes_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_outcome", args=[d.pk])
    seen = seen_value(text(client.get(url)))
    services.outcome_propose(disagreement=d, by=enfield.at("csc", 2), text="CSC's own outcome.")
    stale = client.post(url, {"text": "Mine.", "seen": seen})
    assert stale.status_code == 409
    assert "Written outcome proposed, by csc level 2" in text(stale)
    assert list(WrittenOutcome.objects.values_list("text", flat=True)) == ["CSC's own outcome."]


# ---------------------------------------------------------------------------------------------- confirm or dispute


def test_the_confirm_page_shows_the_outcome_and_who_has_confirmed_then_confirms(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    client = signed_in(enfield.at("csc", 2))
    form = text(client.get(confirm_url(outcome)))
    assert "Confirm or dispute the outcome" in form
    assert "A home visit on Monday." in form
    assert "Oakfield Primary School (school level 2," in form  # confirmed by the proposer's agency
    assert "Children's Social Care" in form.split("Not answered yet", 1)[1]
    assert "escalated to Stage 2" in form  # what the procedure allows after a dispute
    response = client.post(confirm_url(outcome), {"answer": "confirm", "seen": seen_value(form)}, follow=True)
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "Your agency's answer has been recorded." in text(response)
    assert set(Confirmation.objects.values_list("agency__name", flat=True)) == {
        "Oakfield Primary School",
        "Children's Social Care",
    }
    services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))  # every party has confirmed


def test_disputing_keeps_the_reason_and_the_page_then_says_what_is_next(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    client = signed_in(enfield.at("csc", 2))
    response = send(client, confirm_url(outcome), {"answer": "dispute", "reason": "No visit is possible on Monday."})
    assert response.status_code == 302
    dispute = OutcomeDispute.objects.get()
    assert (dispute.agency, dispute.reason) == (enfield.agencies["csc"], "No visit is possible on Monday.")
    assert not Confirmation.objects.filter(agency=enfield.agencies["csc"]).exists()
    again = client.get(confirm_url(outcome))
    assert again.status_code == 403
    page = text(again)
    assert (
        "Your agency disputed this outcome. A new outcome can be proposed, or the disagreement escalated to Stage 2."
        in page
    )
    # the other party, which has confirmed it, sees who disputed it, and why
    answered = signed_in(enfield.at("school", 3)).get(confirm_url(outcome))
    assert answered.status_code == 403
    school = text(answered)
    assert "Your agency has already confirmed this outcome." in school
    assert "Children's Social Care (csc level 2," in school
    assert "No visit is possible on Monday." in school


def test_a_dispute_without_a_reason_or_no_answer_at_all_shows_the_error_on_its_field(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    client = signed_in(enfield.at("csc", 2))
    no_reason = send(client, confirm_url(outcome), {"answer": "dispute", "reason": ""})
    assert no_reason.status_code == 400
    assert '<a href="#id_reason">Enter why the outcome does not stand for your agency.</a>' in text(no_reason)
    no_answer = send(client, confirm_url(outcome), {"reason": "Something."})
    assert no_answer.status_code == 400
    page = text(no_answer)
    assert '<a href="#id_answer_0">Choose whether you confirm or dispute the outcome</a>' in page
    assert "Something." in page
    assert not OutcomeDispute.objects.exists()
    assert Confirmation.objects.count() == 1


def test_an_outcome_that_was_replaced_is_refused_on_the_page(enfield: Cast) -> None:
    d = raise_one(enfield, against=("csc", "police"))
    old = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="A home visit on Monday.")
    client = signed_in(enfield.at("police", 2))
    services.outcome_propose(disagreement=d, by=enfield.at("csc", 2), text="A visit on Tuesday.")
    page = text(client.get(confirm_url(old)))
    assert "This is not the current proposed outcome" in page
    response = send(client, confirm_url(old), {"answer": "confirm"})
    assert response.status_code == 409
    assert not Confirmation.objects.filter(outcome=old, agency=enfield.agencies["police"]).exists()


def test_an_agency_that_confirmed_is_told_so(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    response = signed_in(enfield.at("school", 3)).get(confirm_url(outcome))
    assert response.status_code == 403
    assert "Your agency has already confirmed this outcome." in text(response)


def test_below_the_stages_level_confirming_is_refused(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    response = signed_in(enfield.at("csc", 1)).post(confirm_url(outcome), {"answer": "confirm", "seen": "0"})
    assert response.status_code == 403
    assert "can confirm its outcome" in text(response)
    assert Confirmation.objects.count() == 1


def test_an_outcome_of_another_disagreement_or_none_is_a_404(enfield: Cast) -> None:
    d, _ = proposed(enfield)
    _, elsewhere = proposed(enfield)
    client = signed_in(enfield.at("csc", 2))
    wrong = client.get(reverse("disagreement_outcome_confirm", args=[d.pk, elsewhere.pk]))
    missing = client.get(reverse("disagreement_outcome_confirm", args=[d.pk, MISSING]))
    assert wrong.status_code == missing.status_code == 404


# ---------------------------------------------------------------------------------------------- actions


def test_an_action_is_added_with_its_owner_and_due_date(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    due = timezone.localdate() + timedelta(days=3)
    response = send(
        client,
        reverse("disagreement_action_add", args=[d.pk]),
        {
            "description": "Visit the family.",
            "owner": str(enfield.at("csc", 1).pk),
            "due_on_0": str(due.day),
            "due_on_1": str(due.month),
            "due_on_2": str(due.year),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(disagreement=d)
    assert (action.description, action.owner, action.due_on) == ("Visit the family.", enfield.at("csc", 1), due)


def test_an_action_without_words_due_in_the_past_or_owned_by_a_stranger_is_refused(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_action_add", args=[d.pk])
    past = timezone.localdate() - timedelta(days=1)
    no_words = send(client, url, {"description": ""})
    assert no_words.status_code == 400
    assert '<a href="#id_description">Enter what the action is.</a>' in text(no_words)
    overdue = send(
        client,
        url,
        {"description": "Visit.", "due_on_0": str(past.day), "due_on_1": str(past.month), "due_on_2": str(past.year)},
    )
    assert overdue.status_code == 400
    assert (
        '<a href="#id_due_on_0">An action&#x27;s due date cannot be in the past.</a>' in overdue.content.decode()
        or ('<a href="#id_due_on_0">An action\'s due date cannot be in the past.</a>' in text(overdue))
    )
    stranger = send(client, url, {"description": "Visit.", "owner": str(cast_for("enfield").at("csc", 1).pk)})
    assert stranger.status_code == 400
    assert '<a href="#id_owner">Choose someone from the list</a>' in text(stranger)
    assert not Action.objects.exists()


def test_an_action_is_completed_with_a_note(enfield: Cast) -> None:
    d = raise_one(enfield)
    action = services.action_add(disagreement=d, by=enfield.at("school", 1), description="Visit the family.")
    client = signed_in(enfield.at("csc", 1))
    url = reverse("disagreement_action_complete", args=[d.pk, action.pk])
    assert "Visit the family." in text(client.get(url))
    response = send(client, url, {"note": "Visited on Monday."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completed_by == enfield.at("csc", 1)
    assert action.completion_note == "Visited on Monday."
    done = client.get(url)
    assert done.status_code == 403
    assert "This action was completed on" in text(done)


def test_a_completion_note_that_cannot_be_stored_is_refused_on_its_field(enfield: Cast) -> None:
    d = raise_one(enfield)
    action = services.action_add(disagreement=d, by=enfield.at("school", 1), description="Visit.")
    client = signed_in(enfield.at("csc", 1))
    response = send(client, reverse("disagreement_action_complete", args=[d.pk, action.pk]), {"note": "x" * 20_001})
    assert response.status_code == 400
    assert 'id="id_note-error"' in text(response)
    action.refresh_from_db()
    assert action.completed_at is None


def test_an_action_of_another_disagreement_is_a_404(enfield: Cast) -> None:
    d = raise_one(enfield)
    other = raise_one(enfield)
    action = services.action_add(disagreement=other, by=enfield.at("school", 1), description="Visit.")
    client = signed_in(enfield.at("school", 1))
    assert client.get(reverse("disagreement_action_complete", args=[d.pk, action.pk])).status_code == 404
    assert client.get(reverse("disagreement_action_complete", args=[d.pk, MISSING])).status_code == 404


# ---------------------------------------------------------------------------------------------- who may


def test_someone_who_sees_it_but_may_not_add_actions_is_told_why(enfield: Cast) -> None:
    d = raise_one(enfield)
    business_unit = enfield.role("business-unit")
    services.participant_add(disagreement=d, by=enfield.at("school", 2), person=business_unit, capacity="attendee")
    action = services.action_add(disagreement=d, by=enfield.at("school", 1), description="Visit.")
    client = signed_in(business_unit)
    for url in (
        reverse("disagreement_action_add", args=[d.pk]),
        reverse("disagreement_action_complete", args=[d.pk, action.pk]),
        reverse("disagreement_outcome", args=[d.pk]),
    ):
        response = client.post(url, {"description": "x", "text": "x", "seen": "0"})
        assert response.status_code == 403
    assert Action.objects.count() == 1
    assert not WrittenOutcome.objects.exists()


@pytest.mark.parametrize("name", ["disagreement_outcome", "disagreement_action_add"])
def test_an_outsider_gets_the_same_404_as_for_a_missing_disagreement(enfield: Cast, name: str) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("health", 5))
    refused = client.post(reverse(name, args=[d.pk]), {"text": "x", "description": "x", "seen": "0"})
    missing = client.get(reverse(name, args=[MISSING]))
    assert refused.status_code == missing.status_code == 404
    assert main_of(refused) == main_of(missing)


def test_an_outsider_gets_a_404_for_an_outcome_and_an_action_too(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    action = services.action_add(disagreement=d, by=enfield.at("school", 1), description="Visit.")
    client = signed_in(enfield.at("health", 5))
    assert client.get(confirm_url(outcome)).status_code == 404
    assert (
        client.post(reverse("disagreement_action_complete", args=[d.pk, action.pk]), {"seen": "0"}).status_code == 404
    )
    assert Confirmation.objects.count() == 1
