"""The pages that move a disagreement on: escalate (the next stage shown before confirming), resolve,
feedback to the raiser and the raiser's answer. Each is one service call; bad input is a 400 that
changes nothing; someone who may see but not act gets a 403 saying why; an outsider the same 404 as
for a disagreement that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_action_pages import main_of, seen_value, text
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 21, 10, 0, tzinfo=LONDON)


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast], time_machine) -> Cast:
    time_machine.move_to(MONDAY, tick=False)
    return cast_for("enfield")


def talked(d: Disagreement, cast: Cast, by: Person | None = None) -> None:
    """Stage 1 asks for a discussion note before escalating (Enfield); discussion pages are not these."""
    services.discussion_record(
        disagreement=d,
        by=by or cast.at("school", 2),
        held_at=datetime.now(LONDON),
        method="telephone",
        summary="Views differ on the threshold.",
        with_people=[cast.at("csc", 2)],
    )


def send(client: Client, url: str, data: dict[str, str]) -> object:
    """Open the page, then send the form with the page's own ``seen`` value, as a browser would."""
    return client.post(url, {**data, "seen": seen_value(text(client.get(url)))})


def stage_of(d: Disagreement) -> str:
    return d.stage_runs.get(ended_at__isnull=True).stage


# --------------------------------------------------------------------------------------------- escalate


def test_the_escalate_page_shows_the_next_stage_who_handles_it_and_its_deadlines_before_confirming(
    enfield: Cast, time_machine
) -> None:
    d = raise_one(enfield)
    talked(d, enfield)
    time_machine.move_to(MONDAY.replace(hour=16), tick=False)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_escalate", args=[d.pk])
    views = Event.objects.filter(verb=Verb.VIEWED, disagreement=d)
    before = views.count()
    page = text(client.get(url))
    assert views.count() == before + 1  # one page view, one read logged, the counterparts' included
    assert "Next stage: Stage 2" in page
    assert "csc level 4" in page  # children's social care handles stage 2 at its own level 4 (Appendix B)
    # the referral is due the next working day, 22 December at 17:00, with its rule
    assert "Tue 22 Dec 2026 17:00" in page
    assert "next working day after the start of this stage" in page
    assert 'name="started_at_0"' not in page  # Enfield's stages begin when they are entered
    response = client.post(url, {"reason": "Still disputed after the call.", "seen": seen_value(page)}, follow=True)
    assert response.redirect_chain == [(reverse("disagreement", args=[d.pk]), 302)]
    assert "The disagreement has been escalated to the next stage." in text(response)
    run = d.stage_runs.get(ended_at__isnull=True)
    assert run.stage == "stage-2"
    referral = run.current_deadlines().get(timescale="referral")
    assert referral.due == datetime(2026, 12, 22, 17, 0, tzinfo=LONDON)  # what the page promised
    assert d.stage_runs.get(stage="stage-1").outcome_reason == "Still disputed after the call."


def test_escalating_without_a_reason_is_a_400_on_the_reason_and_changes_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    talked(d, enfield)
    response = send(signed_in(enfield.at("school", 2)), reverse("disagreement_escalate", args=[d.pk]), {"reason": " "})
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = text(response)  # type: ignore[arg-type]
    assert "<title>Error: Escalate to the next stage" in page
    assert '<a href="#id_reason">Enter why the disagreement is being escalated.</a>' in page
    assert stage_of(d) == "stage-1"


def test_the_records_still_missing_are_shown_and_the_services_refusal_changes_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_escalate", args=[d.pk])
    assert "Stage 1 cannot be escalated yet. The procedure requires" in text(client.get(url))
    response = send(client, url, {"reason": "Urgent."})
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert 'class="govuk-error-summary"' in text(response)  # type: ignore[arg-type]
    assert "Urgent." in text(response)  # type: ignore[arg-type]
    assert stage_of(d) == "stage-1"


def test_a_second_escalation_from_a_page_loaded_before_the_first_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    talked(d, enfield)
    ours, theirs = signed_in(enfield.at("school", 5)), signed_in(enfield.at("csc", 5))
    url = reverse("disagreement_escalate", args=[d.pk])
    their_page = text(theirs.get(url))
    assert send(ours, url, {"reason": "Needs heads of service."}).status_code == 302  # type: ignore[attr-defined]
    stale = theirs.post(url, {"reason": "Also escalating.", "from_stage": "stage-1", "seen": seen_value(their_page)})
    assert stale.status_code == 409  # the page says someone else changed it
    again = theirs.post(url, {"reason": "Also escalating.", "from_stage": "stage-1", "seen": seen_value(text(stale))})
    assert again.status_code == 409
    assert "Someone has already escalated this disagreement: it is now at Stage 2." in text(again)
    assert stage_of(d) == "stage-2"  # not skipped to stage 3
    assert d.stage_runs.count() == 2


def test_someone_below_the_stages_level_sees_why_they_cannot_escalate(enfield: Cast) -> None:
    d = raise_one(enfield)
    talked(d, enfield)
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_escalate", args=[d.pk])
    for response in (client.get(url), client.post(url, {"reason": "Please.", "seen": "0"})):
        assert response.status_code == 403
        assert "Only the people with the authority of the current stage can escalate it." in text(response)
    assert stage_of(d) == "stage-1"


def test_at_the_last_stage_the_escalate_page_says_so(enfield: Cast) -> None:
    d = raise_one(enfield, pathway="escalation")
    boss = enfield.at("school", 5)
    for _ in range(3):
        talked(d, enfield, by=boss)
        services.disagreement_escalate(disagreement=d, by=boss, reason="Unresolved.")
    assert stage_of(d) == "step-4"
    response = signed_in(boss).get(reverse("disagreement_escalate", args=[d.pk]))
    assert response.status_code == 403
    assert "Step 4" in text(response)
    assert "is the last stage of" in text(response)


def test_an_outsider_gets_the_same_404_on_every_page_here(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("health", 5))
    missing = client.get(reverse("disagreement_escalate", args=["00000000-0000-0000-0000-000000000000"]))
    assert missing.status_code == 404
    for name in ("disagreement_escalate", "disagreement_resolve", "disagreement_feedback", "disagreement_response"):
        refused = client.post(reverse(name, args=[d.pk]), {"reason": "x", "text": "x", "seen": "0"})
        assert refused.status_code == 404
        assert main_of(refused) == main_of(missing)


def test_nels_reconvened_conference_can_be_given_the_time_it_met(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("north-east-lincolnshire")
    adjourned = datetime.now(LONDON).replace(second=0, microsecond=0) - timedelta(days=3)
    d = raise_one(cast, pathway="conference-equally-divided", conference_kind="initial", started_at=adjourned)
    chair = cast.role("conference-chair")
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="The conference reconvenes.")
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 2))
    client = signed_in(chair)
    url = reverse("disagreement_escalate", args=[d.pk])
    page = text(client.get(url))
    assert "Next stage: Reconvened conference" in page
    assert 'name="started_at_0"' in page
    met = adjourned + timedelta(days=2)
    local = met.astimezone(LONDON)
    fields = {
        "started_at_0": str(local.day),
        "started_at_1": str(local.month),
        "started_at_2": str(local.year),
        "started_at_3": local.strftime("%H:%M"),
    }
    future = {**fields, "started_at_2": str(local.year + 1)}
    refused = client.post(
        url, {"reason": "Reconvened.", "from_stage": "adjournment", "seen": seen_value(page), **future}
    )
    assert refused.status_code == 400
    assert "When it started cannot be in the future" in text(refused)
    assert stage_of(d) == "adjournment"
    done = client.post(url, {"reason": "Reconvened.", "from_stage": "adjournment", "seen": seen_value(page), **fields})
    assert done.status_code == 302
    run = d.stage_runs.get(ended_at__isnull=True)
    assert (run.stage, run.started_at) == ("reconvened", met)


# --------------------------------------------------------------------------------------------- resolve


def test_resolve_shows_the_services_refusal_until_the_outcome_is_confirmed_then_resolves(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 2))
    url = reverse("disagreement_resolve", args=[d.pk])
    refused = send(client, url, {})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert "Stage 1 has no written outcome yet" in text(refused)  # type: ignore[arg-type]
    d.refresh_from_db()
    assert d.is_open
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Assessment on Monday.")
    services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 2))
    assert send(client, url, {}).status_code == 302  # type: ignore[attr-defined]
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED


def test_resolve_names_the_records_the_procedure_still_requires_before_the_button(enfield: Cast) -> None:
    d = raise_one(enfield)
    talked(d, enfield)
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 5), reason="Unresolved.")
    page = text(signed_in(enfield.at("school", 5)).get(reverse("disagreement_resolve", args=[d.pk])))
    assert "Stage 2 cannot be resolved yet. The procedure requires:" in page
    assert page.index("cannot be resolved yet") < page.index("Resolve the disagreement</button>")


def test_someone_below_the_level_cannot_resolve(enfield: Cast) -> None:
    d = raise_one(enfield)
    response = signed_in(enfield.at("school", 1)).get(reverse("disagreement_resolve", args=[d.pk]))
    assert response.status_code == 403
    assert "Only the people with the authority of the current stage can resolve it." in text(response)


# --------------------------------------------------------------------------------------------- feedback


def test_feedback_is_given_to_the_raiser_even_after_the_disagreement_closed(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Sorted by phone.")
    client = signed_in(enfield.at("csc", 1))
    url = reverse("disagreement_feedback", args=[d.pk])
    empty = send(client, url, {"text": ""})
    assert empty.status_code == 400  # type: ignore[attr-defined]
    assert "Enter the feedback: what action has been taken in response." in text(empty)  # type: ignore[arg-type]
    assert not RecordEntry.objects.filter(disagreement=d, kind=RecordEntry.Kind.FEEDBACK).exists()
    assert send(client, url, {"text": "We visited on Monday."}).status_code == 302  # type: ignore[attr-defined]
    entry = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.FEEDBACK)
    assert entry.data["text"] == "We visited on Monday."


# --------------------------------------------------------------------------------------------- the raiser's answer


def test_the_raiser_asks_for_it_to_go_further_and_those_who_can_escalate_are_told(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="A visit is booked.")
    client = signed_in(enfield.at("school", 1))
    url = reverse("disagreement_response", args=[d.pk])
    nothing = send(client, url, {"reason": ""})
    assert nothing.status_code == 400  # type: ignore[attr-defined]
    assert "Select whether you accept it or ask for it to go further" in text(nothing)  # type: ignore[arg-type]
    no_reason = send(client, url, {"accepts": "no", "reason": ""})
    assert no_reason.status_code == 400  # type: ignore[attr-defined]
    assert '<a href="#id_reason">Enter why you ask for it to go further.</a>' in text(no_reason)  # type: ignore[arg-type]
    assert not Notice.objects.filter(disagreement=d, source="raiser_response").exists()
    assert send(client, url, {"accepts": "no", "reason": "A visit is not enough."}).status_code == 302  # type: ignore[attr-defined]
    notice = Notice.objects.get(disagreement=d, source="raiser_response")
    assert enfield.at("school", 2) in notice.recipients.all()
    assert stage_of(d) == "stage-1"  # told, not escalated
    answered = client.get(url)
    assert answered.status_code == 403
    assert "You have already answered" in text(answered)


def test_only_the_raiser_is_offered_the_answer_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="A visit is booked.")
    for person in (enfield.at("csc", 1), enfield.at("school", 2)):
        response = signed_in(person).get(reverse("disagreement_response", args=[d.pk]))
        assert response.status_code == 403
        assert "Only the person who raised this disagreement" in text(response)


def test_before_feedback_or_an_outcome_there_is_nothing_to_answer(enfield: Cast) -> None:
    d = raise_one(enfield)
    response = signed_in(enfield.at("school", 1)).get(reverse("disagreement_response", args=[d.pk]))
    assert response.status_code == 403
    assert "There is nothing to answer yet" in text(response)
