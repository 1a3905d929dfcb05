"""The pages for the people a stage brings in and what they decide: the independent reviewer (named by
the chair) and their decision, a handler the procedure makes "on request", the case's own deadline
under the procedure's cap, and North East Lincolnshire's conference view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Participant, RecordEntry, StageDeadline
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import Step, Walker
from tests.web.test_action_pages import main_of, seen_value, text
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def send(client: Client, url: str, data: dict[str, str]):
    return client.post(url, {**data, "seen": seen_value(text(client.get(url)))})


def boxes(name: str, moment: datetime) -> dict[str, str]:
    local = moment.astimezone(LONDON)
    return {
        f"{name}_0": str(local.day),
        f"{name}_1": str(local.month),
        f"{name}_2": str(local.year),
        f"{name}_3": local.strftime("%H:%M"),
    }


# --------------------------------------------------------------------------------------------- the reviewer


@pytest.fixture
def cumbria_formal(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("cumbria")
    d = raise_one(
        cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection, today.", child_protection=True
    )
    return cast, d


def test_the_chair_names_a_reviewer_from_none_of_the_agencies_in_dispute(
    cumbria_formal: tuple[Cast, Disagreement],
) -> None:
    cast, d = cumbria_formal
    client = signed_in(cast.role("scp-chair"))
    url = reverse("disagreement_reviewer", args=[d.pk])
    page = text(client.get(url))
    assert "police level 4 (Police)" in page
    assert "school level 4" not in page
    assert "csc level 4" not in page
    empty = send(client, url, {"reviewer": ""})
    assert empty.status_code == 400
    assert "Choose the independent reviewer" in text(empty)
    partisan = send(client, url, {"reviewer": str(cast.at("csc", 4).pk)})
    assert partisan.status_code == 400
    assert "Choose the independent reviewer from the list" in text(partisan)
    d.refresh_from_db()
    assert d.reviewer_id is None
    assert send(client, url, {"reviewer": str(cast.at("police", 4).pk)}).status_code == 302
    d.refresh_from_db()
    assert d.reviewer == cast.at("police", 4)


def test_someone_who_is_not_the_chair_is_told_who_names_the_reviewer(
    cumbria_formal: tuple[Cast, Disagreement],
) -> None:
    cast, d = cumbria_formal
    response = signed_in(cast.at("school", 5)).get(reverse("disagreement_reviewer", args=[d.pk]))
    assert response.status_code == 403
    assert "Only the partnership's chair can name the independent reviewer." in text(response)


def test_the_named_reviewer_records_the_decision_and_its_reasons(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    cast, d = cumbria_formal
    reviewer = cast.at("police", 4)
    services.reviewer_appoint(disagreement=d, by=cast.role("scp-chair"), reviewer=reviewer)
    client = signed_in(reviewer)
    url = reverse("disagreement_decision", args=[d.pk])
    empty = send(client, url, {"decision": "The request is upheld.", "reasons": ""})
    assert empty.status_code == 400
    assert '<a href="#id_reasons">Enter the reasons for the decision.</a>' in text(empty)
    assert "The request is upheld." in text(empty)  # what was typed is kept
    assert not RecordEntry.objects.filter(disagreement=d, kind=RecordEntry.Kind.REVIEWER_DECISION).exists()
    done = send(client, url, {"decision": "The request is upheld.", "reasons": "The evidence supports it."})
    assert done.status_code == 302
    decision = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.REVIEWER_DECISION)
    assert (decision.author, decision.data["reasons"]) == (reviewer, "The evidence supports it.")


def test_someone_in_an_agency_in_dispute_cannot_record_the_decision(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    cast, d = cumbria_formal
    response = signed_in(cast.at("school", 5)).get(reverse("disagreement_decision", args=[d.pk]))
    assert response.status_code == 403
    assert "The reviewer must come from none of the agencies in dispute" in text(response)


def test_a_stage_without_a_reviewer_offers_neither_page(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("cumbria")
    d = raise_one(cast)
    client = signed_in(cast.at("school", 5))
    for name in ("disagreement_reviewer", "disagreement_decision"):
        response = client.get(reverse(name, args=[d.pk]))
        assert response.status_code == 403
        assert "is not decided by an independent reviewer" in text(response)


# --------------------------------------------------------------------------------------------- on request


@pytest.fixture
def nel_partners(cast_for: Callable[[str], Cast], time_machine) -> tuple[Cast, Disagreement]:
    walker = Walker(cast_for("north-east-lincolnshire"), time_machine)
    walker.raise_("2026-12-21T10:00", pathway="convening-conference")
    walker.escalate(Step("b-deputy-service-director", "2026-12-22T10:00", {}))
    walker.escalate(Step("c-multi-agency-review", "2026-12-23T10:00", {}))
    walker.escalate(Step("d-safeguarding-partners", "2026-12-24T10:00", {}))
    return walker.cast, walker.d


def test_the_safeguarding_partners_request_the_independent_scrutiny_officer_with_a_reason(
    nel_partners: tuple[Cast, Disagreement],
) -> None:
    cast, d = nel_partners
    client = signed_in(cast.role("safeguarding-partners"))
    url = reverse("disagreement_handler", args=[d.pk])
    page = text(client.get(url))
    assert "Independent Scrutiny Officer" in page
    unchosen = send(client, url, {"reason": "Mediation."})
    assert unchosen.status_code == 400
    assert "Select the role to request" in text(unchosen)
    unknown = send(client, url, {"role": "conference-chair", "reason": "Mediation."})
    assert unknown.status_code == 400
    assert "Select one of the roles listed" in text(unknown)
    no_reason = send(client, url, {"role": "independent-scrutiny-officer", "reason": ""})
    assert no_reason.status_code == 400
    assert "Enter why the Independent Scrutiny Officer is requested." in text(no_reason)
    iso = cast.role("independent-scrutiny-officer")
    assert not Participant.objects.filter(disagreement=d, person=iso).exists()
    done = send(client, url, {"role": "independent-scrutiny-officer", "reason": "A mediation meeting is needed."})
    assert done.status_code == 302
    assert Participant.objects.filter(disagreement=d, person=iso, capacity="handler").exists()
    again = client.get(url)
    assert again.status_code == 403
    assert "has been requested" in text(again)


def test_a_stage_with_nothing_on_request_offers_no_handler_page(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 5)).get(reverse("disagreement_handler", args=[d.pk]))
    assert response.status_code == 403
    assert "names no role to request" in text(response)


# --------------------------------------------------------------------------------------------- the case's deadline


@pytest.fixture
def nel_adjourned(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("north-east-lincolnshire")
    adjourned = datetime.now(LONDON).replace(second=0, microsecond=0) - timedelta(hours=2)
    d = raise_one(cast, pathway="conference-equally-divided", conference_kind="initial", started_at=adjourned)
    return cast, d


def test_the_chair_sets_an_earlier_reconvene_date_under_the_15_working_day_cap(
    nel_adjourned: tuple[Cast, Disagreement],
) -> None:
    cast, d = nel_adjourned
    cap = d.stage_runs.get().current_deadlines().get(timescale="reconvene")
    assert cap.due is not None
    client = signed_in(cast.role("conference-chair"))
    url = reverse("disagreement_deadline", args=[d.pk])
    page = text(client.get(url))
    assert "Conference reconvened" in page
    assert "At the latest" in page
    later = send(
        client, url, {"timescale": "reconvene", "reason": "Reports due.", **boxes("due", cap.due + timedelta(days=1))}
    )
    assert later.status_code == 409
    assert "is later than the procedure allows" in text(later)
    past = send(
        client, url, {"timescale": "reconvene", "reason": "Reports due.", **boxes("due", cap.due - timedelta(days=30))}
    )
    assert past.status_code == 400
    assert "The deadline must be later than now" in text(past)
    nonsense = send(
        client,
        url,
        {
            "timescale": "reconvene",
            "reason": "Reports due.",
            "due_0": "31",
            "due_1": "2",
            "due_2": "2027",
            "due_3": "10:00",
        },
    )
    assert nonsense.status_code == 400
    assert "When it is due must be a real date" in text(nonsense)
    no_reason = send(client, url, {"timescale": "reconvene", "reason": "", **boxes("due", cap.due - timedelta(days=1))})
    assert no_reason.status_code == 400
    assert not StageDeadline.objects.filter(stage_run__disagreement=d, kind=StageDeadline.Kind.SET_FOR_CASE).exists()
    earlier = cap.due - timedelta(days=1)
    assert (
        send(client, url, {"timescale": "reconvene", "reason": "Reports due.", **boxes("due", earlier)}).status_code
        == 302
    )
    set_for_case = StageDeadline.objects.get(stage_run__disagreement=d, kind=StageDeadline.Kind.SET_FOR_CASE)
    assert set_for_case.due == earlier.replace(second=0, microsecond=0)


def test_a_stage_without_a_settable_deadline_offers_no_deadline_page(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 5)).get(reverse("disagreement_deadline", args=[d.pk]))
    assert response.status_code == 403
    assert "sets no deadline at Stage 1 that the case may set earlier" in text(response)


# --------------------------------------------------------------------------------------------- NEL's conference


def test_the_conference_page_shows_the_adjournment_and_the_childs_plan(
    nel_adjourned: tuple[Cast, Disagreement],
) -> None:
    cast, d = nel_adjourned
    page = text(signed_in(cast.role("conference-chair")).get(reverse("disagreement_conference", args=[d.pk])))
    run = d.stage_runs.get()
    reconvene = run.current_deadlines().get(timescale="reconvene")
    assert f"{run.started_at.astimezone(LONDON):%-d %B %Y %H:%M}" in page  # adjourned
    assert f"{reconvene.due.astimezone(LONDON):%a %-d %b %Y %H:%M}" in page  # type: ignore[union-attr]
    assert "Initial child protection conference" in page
    assert "the child will be made subject of a child protection plan pending a reconvened meeting" in page
    assert 'value="equally_divided"' in page
    assert 'value="majority"' not in page


def test_a_majority_view_needs_the_minoritys_concerns_and_reasons(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("north-east-lincolnshire")
    d = raise_one(cast, pathway="conference-majority")
    client = signed_in(cast.role("conference-chair"))
    url = reverse("disagreement_conference", args=[d.pk])
    met = datetime.now(LONDON) - timedelta(hours=1)
    missing_time = send(client, url, {"view": "majority", "decision": "No plan.", "minority_view": "Health disagree."})
    assert missing_time.status_code == 400
    assert "Enter when the conference met" in text(missing_time)
    no_minority = send(client, url, {"view": "majority", "decision": "No plan.", **boxes("occurred_at", met)})
    assert no_minority.status_code == 400
    assert (
        '<a href="#id_minority_view">Record the concerns and reasons of those who hold the minority view.</a>'
        in text(no_minority)
    )
    assert not RecordEntry.objects.filter(disagreement=d, kind=RecordEntry.Kind.CONFERENCE_RECORD).exists()
    done = send(
        client,
        url,
        {"view": "majority", "decision": "No plan.", "minority_view": "Health see risk.", **boxes("occurred_at", met)},
    )
    assert done.status_code == 302
    record = RecordEntry.objects.get(disagreement=d, kind=RecordEntry.Kind.CONFERENCE_RECORD)
    assert (record.data["view"], record.data["minority_view"]) == ("majority", "Health see risk.")


def test_a_stage_without_a_conference_offers_no_conference_page(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 1)).get(reverse("disagreement_conference", args=[d.pk]))
    assert response.status_code == 403
    assert "holds no child protection conference" in text(response)


def test_an_outsider_gets_the_same_404_on_every_review_page(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    cast, d = cumbria_formal
    client = signed_in(cast.at("health", 5))
    missing = client.get(reverse("disagreement_reviewer", args=["00000000-0000-0000-0000-000000000000"]))
    assert missing.status_code == 404
    for name in (
        "disagreement_reviewer",
        "disagreement_decision",
        "disagreement_handler",
        "disagreement_deadline",
        "disagreement_conference",
    ):
        refused = client.post(reverse(name, args=[d.pk]), {"seen": "0"})
        assert refused.status_code == 404
        assert main_of(refused) == main_of(missing)
