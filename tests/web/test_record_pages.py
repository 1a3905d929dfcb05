"""The record pages (resolve.web.act.records): a discussion, a meeting, another record, a procedure's condition."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import PersonFactory
from tests.web.test_action_pages import main_of, seen_value, text
from tests.web.test_home import signed_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def when(moment: datetime) -> dict[str, str]:
    """A moment as GOV.UK's date boxes and time box hold it, for a field named ``held_at`` and the like."""
    local = timezone.localtime(moment)
    return {"_0": str(local.day), "_1": str(local.month), "_2": str(local.year), "_3": local.strftime("%H:%M")}


def boxes(name: str, moment: datetime) -> dict[str, str]:
    return {f"{name}{part}": value for part, value in when(moment).items()}


def send(client: Client, url: str, data: Mapping[str, Any]) -> Response:
    return client.post(url, {**data, "seen": seen_value(text(client.get(url)))})


def records(d: Disagreement) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(disagreement=d))


# ---------------------------------------------------------------------------------------------- discussion


def test_a_discussion_is_recorded_with_when_who_and_how_and_the_page_says_so(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_discussion", args=[d.pk])
    form = text(client.get(url))
    assert "Record a discussion" in form
    assert "csc level 1, Level 1 in Children&#x27;s Social Care" in form or "csc level 1, Level 1 in Children's" in form
    assert "health level 1" not in form  # only the agencies in dispute and those taking part can be named
    held = timezone.now() - timedelta(hours=2)
    response = client.post(
        url,
        {
            **boxes("held_at", held),
            "method": "telephone",
            "with_people": [str(enfield.at("csc", 1).pk)],
            "others_present": "A family support worker",
            "summary": "We agreed a visit.",
            "seen": seen_value(form),
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "The discussion has been recorded." in text(response)
    (entry,) = records(d)
    assert entry.kind == RecordEntry.Kind.DISCUSSION_NOTE
    assert entry.author == enfield.at("school", 1)
    assert entry.occurred_at == held.replace(second=0, microsecond=0)
    assert entry.data["method"] == "telephone"
    assert entry.data["summary"] == "We agreed a visit."
    assert entry.data["others_present"] == "A family support worker"
    assert [p["id"] for p in entry.data["with_people"]] == [str(enfield.at("csc", 1).pk)]


def test_a_discussion_with_nothing_entered_shows_every_error_on_its_field(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    response = send(client, reverse("disagreement_discussion", args=[d.pk]), {})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: Record a discussion" in page
    assert '<a href="#id_held_at_0">Enter the date of the discussion</a>' in page
    assert '<a href="#id_summary">Enter what was discussed and agreed</a>' in page
    assert 'id="id_summary-error"' in page
    assert records(d) == []


def test_a_discussion_in_the_future_is_refused_on_its_date(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    response = send(
        client,
        reverse("disagreement_discussion", args=[d.pk]),
        {**boxes("held_at", timezone.now() + timedelta(days=2)), "method": "telephone", "summary": "We will talk."},
    )
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_held_at_0">When it happened cannot be in the future.</a>' in page
    assert 'id="id_held_at-error"' in page
    assert "We will talk." in page  # what was typed is kept
    assert records(d) == []


def test_a_discussion_without_how_it_was_held_gets_the_services_message_on_the_radios(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    response = send(
        client,
        reverse("disagreement_discussion", args=[d.pk]),
        {**boxes("held_at", timezone.now() - timedelta(hours=1)), "summary": "We spoke."},
    )
    assert response.status_code == 400
    assert '<a href="#id_method_0">Say how the discussion was held' in text(response)
    assert records(d) == []


@pytest.mark.parametrize(
    ("boxes_given", "message"),
    [
        ({"_0": "31", "_1": "2", "_2": "2026", "_3": "10:00"}, "The date of the discussion must be a real date"),
        ({"_0": "1", "_1": "2", "_2": "2026", "_3": ""}, "The date of the discussion must include a time"),
        ({"_0": "1", "_1": "2", "_2": "2026", "_3": "25:00"}, "Enter the time as hours and minutes"),
        ({"_0": "", "_1": "2", "_2": "2026", "_3": "10:00"}, "The date of the discussion must include a day"),
    ],
)
def test_a_discussion_date_that_is_not_a_date_says_what_to_fix(
    enfield: Cast, boxes_given: dict[str, str], message: str
) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    data = {f"held_at{k}": v for k, v in boxes_given.items()}
    response = send(
        client, reverse("disagreement_discussion", args=[d.pk]), {**data, "method": "telephone", "summary": "x"}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert records(d) == []


def test_naming_someone_who_may_not_be_named_is_refused(enfield: Cast, cast_for: Callable[[str], Cast]) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    elsewhere: Person = cast_for("enfield").at("csc", 1)
    not_involved = enfield.at("health", 1)
    for stranger in (elsewhere, not_involved):
        response = send(
            client,
            reverse("disagreement_discussion", args=[d.pk]),
            {
                **boxes("held_at", timezone.now() - timedelta(hours=1)),
                "method": "telephone",
                "summary": "We spoke.",
                "with_people": [str(stranger.pk)],
            },
        )
        assert response.status_code == 400
        assert '<a href="#id_with_people_0">Choose people from the list</a>' in text(response)
    assert records(d) == []


def test_a_stale_discussion_page_stops_the_send_and_keeps_what_was_typed(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_discussion", args=[d.pk])
    seen = seen_value(text(client.get(url)))
    services.action_add(disagreement=d, by=enfield.at("csc", 1), description="Visit.")
    data = {**boxes("held_at", timezone.now() - timedelta(hours=1)), "method": "telephone", "summary": "Kept words."}
    stale = client.post(url, {**data, "seen": seen})
    assert stale.status_code == 409
    page = text(stale)
    assert "Someone else changed this disagreement after you opened this page." in page
    assert "Action agreed, by csc level 1" in page
    assert "Kept words." in page
    assert records(d) == []


# ---------------------------------------------------------------------------------------------- meeting


def test_a_meeting_is_recorded_with_its_chair_attendees_and_what_was_said(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("csc", 2))
    held = timezone.now() - timedelta(days=1)
    response = send(
        client,
        reverse("disagreement_meeting", args=[d.pk]),
        {
            **boxes("held_at", held),
            "chair": str(enfield.at("csc", 2).pk),
            "attendees": [str(enfield.at("school", 2).pk), str(enfield.at("csc", 1).pk)],
            "areas_of_discussion": "The threshold.",
            "disagreement_text": "Whether a visit is needed.",
            "agreements": "A visit on Monday.",
            "actions": "Social worker to visit.",
        },
    )
    assert response.status_code == 302
    (entry,) = records(d)
    assert entry.kind == RecordEntry.Kind.MEETING_RECORD
    assert entry.data["chair"][0]["id"] == str(enfield.at("csc", 2).pk)
    assert {p["id"] for p in entry.data["attendees"]} == {str(enfield.at("school", 2).pk), str(enfield.at("csc", 1).pk)}
    assert entry.data["disagreement"] == "Whether a visit is needed."
    assert entry.data["agreements"] == "A visit on Monday."


def test_a_meeting_without_chair_attendees_or_its_text_shows_each_error_and_keeps_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("csc", 2))
    url = reverse("disagreement_meeting", args=[d.pk])
    response = send(client, url, {**boxes("held_at", timezone.now() - timedelta(days=1))})
    assert response.status_code == 400
    page = text(response)
    for target, message in [
        ("id_chair", "Choose who chaired the meeting"),
        ("id_areas_of_discussion", "Enter the areas the meeting discussed"),
        ("id_disagreement_text", "Enter what is still disagreed"),
        ("id_agreements", "Enter what the meeting agreed"),
        ("id_actions", "Enter the actions the meeting agreed"),
    ]:
        assert f'<a href="#{target}">{message}</a>' in page
    # with all the words but nobody attending, the service's own message lands on the attendees
    response = send(
        client,
        url,
        {
            **boxes("held_at", timezone.now() - timedelta(days=1)),
            "chair": str(enfield.at("csc", 2).pk),
            "areas_of_discussion": "a",
            "disagreement_text": "b",
            "agreements": "c",
            "actions": "d",
        },
    )
    assert response.status_code == 400
    assert '<a href="#id_attendees_0">List who attended the meeting.</a>' in text(response)
    assert records(d) == []


# ---------------------------------------------------------------------------------------------- other records


def test_an_executive_summary_is_added(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_record", args=[d.pk])
    assert "A pro-forma" not in text(client.get(url))  # Enfield's stage 1 requires no pro-forma
    response = send(
        client,
        url,
        {"kind": "executive_summary", **boxes("occurred_at", timezone.now()), "summary": "The concerns, resolved."},
    )
    assert response.status_code == 302
    (entry,) = records(d)
    assert (entry.kind, entry.data) == (RecordEntry.Kind.EXECUTIVE_SUMMARY, {"summary": "The concerns, resolved."})


def test_a_written_request_needs_who_it_was_sent_to(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_record", args=[d.pk])
    data = {"kind": "written_request", **boxes("occurred_at", timezone.now()), "summary": "Please convene."}
    refused = send(client, url, data)
    assert refused.status_code == 400
    assert '<a href="#id_sent_to">Enter who the written request was sent to</a>' in text(refused)
    assert records(d) == []
    assert send(client, url, {**data, "sent_to": "Head of Service, CSC"}).status_code == 302
    (entry,) = records(d)
    assert entry.data == {"sent_to": "Head of Service, CSC", "summary": "Please convene."}


def test_a_pro_forma_is_one_the_stage_requires(cast_for: Callable[[str], Cast]) -> None:
    peterborough = cast_for("peterborough")
    d = raise_one(peterborough)
    services.discussion_record(
        disagreement=d, by=peterborough.at("school", 1), held_at=d.raised_at, method="telephone", summary="Talked."
    )
    services.disagreement_escalate(disagreement=d, by=peterborough.at("school", 2), reason="No agreement.")
    client = signed_in(peterborough.at("school", 2))
    url = reverse("disagreement_record", args=[d.pk])
    page = text(client.get(url))
    appendix_2 = "Appendix 2 — Pro-forma for recording inter-agency conflict and resolution on service user file"
    assert appendix_2 in page
    data = {"kind": "form", **boxes("occurred_at", timezone.now()), "summary": "Reason and outcome."}
    missing = send(client, url, data)
    assert missing.status_code == 400
    assert '<a href="#id_form_0">Choose which pro-forma it is</a>' in text(missing)
    made_up = send(client, url, {**data, "form": "Appendix 9"})
    assert made_up.status_code == 400
    assert "Choose a pro-forma from the list" in text(made_up)
    assert not RecordEntry.objects.filter(disagreement=d, kind="form").exists()
    assert send(client, url, {**data, "form": appendix_2}).status_code == 302
    assert RecordEntry.objects.get(disagreement=d, kind="form").data["form"] == appendix_2


def test_a_record_without_a_kind_or_words_shows_both_errors(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    response = send(client, reverse("disagreement_record", args=[d.pk]), {"kind": "reviewer_decision"})
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_kind_0">Choose what you are adding</a>' in page
    assert '<a href="#id_occurred_at_0">Enter the date it was written or sent</a>' in page
    assert '<a href="#id_summary">Enter what it says</a>' in page
    assert records(d) == []


# ---------------------------------------------------------------------------------------------- condition


def test_a_handler_records_a_condition_and_the_procedures_notice_is_raised(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_condition", args=[d.pk])
    page = text(client.get(url))
    assert "The escalation process highlights gaps in policies and procedures" in page
    notices = Notice.objects.filter(disagreement=d).count()
    response = send(client, url, {"condition": "policy-gaps", "note": "No policy covers this."})
    assert response.status_code == 302
    entry = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.CONDITION)
    assert (entry.data["condition"], entry.data["note"]) == ("policy-gaps", "No policy covers this.")
    assert Notice.objects.filter(disagreement=d).count() > notices


def test_a_condition_without_a_note_or_not_the_procedures_is_refused_on_its_field(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_condition", args=[d.pk])
    no_note = send(client, url, {"condition": "policy-gaps", "note": " "})
    assert no_note.status_code == 400
    assert '<a href="#id_note">Enter what shows that it holds.</a>' in text(no_note)
    unknown = send(client, url, {"condition": "made-up", "note": "x"})
    assert unknown.status_code == 400
    assert '<a href="#id_condition_0">Choose one of the conditions listed</a>' in text(unknown)
    assert records(d) == []


def test_below_the_stages_level_a_condition_is_refused_with_who_can_record_it(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    response = send(client, reverse("disagreement_condition", args=[d.pk]), {"condition": "policy-gaps", "note": "x"})
    assert response.status_code == 409
    assert "Only a handler of Stage 1 can record that" in text(response)
    assert records(d) == []


def test_a_procedure_without_conditions_offers_no_condition_page(cast_for: Callable[[str], Cast]) -> None:
    cumbria = cast_for("cumbria")
    d = raise_one(cumbria)
    response = signed_in(cumbria.at("school", 2)).get(reverse("disagreement_condition", args=[d.pk]))
    assert response.status_code == 403
    assert "names no conditions to record" in text(response)


# ---------------------------------------------------------------------------------------------- who may


@pytest.mark.parametrize(
    "name", ["disagreement_discussion", "disagreement_meeting", "disagreement_record", "disagreement_condition"]
)
def test_someone_who_sees_it_but_may_not_add_to_it_is_told_why(enfield: Cast, name: str) -> None:
    d = raise_one(enfield)
    business_unit = enfield.role("business-unit")  # told about it at later stages, never a party
    services.participant_add(disagreement=d, by=enfield.at("school", 2), person=business_unit, capacity="attendee")
    client = signed_in(business_unit)
    url = reverse(name, args=[d.pk])
    for response in (client.get(url), client.post(url, {"summary": "x", "note": "x", "seen": "0"})):
        assert response.status_code == 403
        assert "Only the agencies in dispute and the people handling its stages can add to" in text(response)
    assert records(d) == []


@pytest.mark.parametrize(
    "name", ["disagreement_discussion", "disagreement_meeting", "disagreement_record", "disagreement_condition"]
)
def test_an_outsider_gets_the_same_404_as_for_a_missing_disagreement(enfield: Cast, name: str) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("health", 5))
    refused = client.post(reverse(name, args=[d.pk]), {"summary": "x", "seen": "0"})
    missing = client.get(reverse(name, args=["00000000-0000-0000-0000-000000000000"]))
    assert refused.status_code == missing.status_code == 404
    assert main_of(refused) == main_of(missing)
    assert records(d) == []


def test_a_closed_disagreement_offers_no_record_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Done.")
    response = signed_in(enfield.at("school", 1)).get(reverse("disagreement_discussion", args=[d.pk]))
    assert response.status_code == 403
    assert "This disagreement is closed" in text(response)


def test_an_inactive_person_cannot_be_chosen(enfield: Cast) -> None:
    d = raise_one(enfield)
    gone = PersonFactory.create(
        partnership=enfield.partnership, agency=enfield.agencies["csc"], name="Left the agency", is_active=False
    )
    page = text(signed_in(enfield.at("school", 1)).get(reverse("disagreement_discussion", args=[d.pk])))
    assert "Left the agency" not in page
    assert str(gone.pk) not in page
