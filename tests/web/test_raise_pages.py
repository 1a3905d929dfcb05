"""Raising a disagreement through the question pages, check your answers and the confirmation."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from resolve.disagreements.models import Child, Disagreement
from resolve.web.raising import SESSION_KEY
from tests.conftest import Cast
from tests.factories import ChildFactory, PartnershipFactory
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def nel(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("north-east-lincolnshire")


def text(response: HttpResponseBase) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def main_of(response: HttpResponseBase) -> str:
    found = re.search(r"<main.*?</main>", text(response), re.DOTALL)
    assert found is not None
    return found.group(0)


def url(step: str) -> str:
    return reverse("raise_start" if step == "safe" else f"raise_{step}")


NO_DATE = {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}


def answers_for(cast: Cast, **changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every page's answers for a school practitioner raising an Enfield threshold disagreement with CSC."""
    answers: dict[str, dict[str, Any]] = {
        "safe": {"safe": "yes"},
        "child": {"reference": "ENF-0042", "name": "", **NO_DATE},
        "agencies": {"other_agencies": [str(cast.agencies["csc"].pk)]},
        "counterparts": {"counterparts": [str(cast.at("csc", 1).pk)]},
        "category": {"category": "threshold-referral"},
        "pathway": {"pathway": "escalation"},
        "details": {
            "expected": "An assessment by children's social care.",
            "why": "The referral was judged below threshold.",
            "what_needed": "A strategy discussion.",
            "evidence": "",
        },
        "urgency": {"significant_harm": "no", "urgent": "no", "child_protection": "no"},
    }
    for step, values in changes.items():
        answers[step] = {**answers[step], **values}
    return answers


def answer(client: Client, answers: dict[str, dict[str, Any]], *, until: str = "check") -> list[HttpResponseBase]:
    """Post each page's answers in turn, up to (not including) ``until``; every page must accept them."""
    responses: list[HttpResponseBase] = []
    for step, data in answers.items():
        if step == until:
            break
        response = client.post(url(step), data)
        assert response.status_code == 302, f"{step}: {response.status_code} {main_of(response)[:2000]}"
        responses.append(response)
    return responses


def test_a_full_raise_creates_exactly_one_disagreement_and_confirms_it(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield))
    check = client.get(url("check"))
    assert check.status_code == 200
    assert "ENF-0042" in text(check)
    response = client.post(url("check"))
    assert Disagreement.objects.count() == 1
    d = Disagreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("raise_done", kwargs={"pk": d.pk})
    assert d.raised_by == enfield.at("school", 1)
    assert list(d.other_agencies.all()) == [enfield.agencies["csc"]]
    assert d.category == "threshold-referral"
    assert d.pathway == "escalation"
    assert d.child.reference == "ENF-0042"
    assert d.child.partnership == enfield.partnership
    assert d.participants.filter(person=enfield.at("csc", 1), capacity="counterpart").exists()
    done = client.get(response["Location"])
    page = main_of(done)
    assert 'class="govuk-panel govuk-panel--confirmation"' in page
    assert d.reference in page
    run = d.stage_runs.get()
    deadline = run.governing_deadlines().filter(due__isnull=False).order_by("due").first()
    assert deadline is not None
    assert deadline.rule in page  # the first deadline, with its rule
    notice = d.notices.first()
    assert notice is not None
    for person in notice.recipients.all():  # who has been told, by name
        assert person.name in page
    assert "What happens next" in page
    assert run.name in page
    assert reverse("disagreement", args=[d.pk]) in page


def test_sending_the_check_page_twice_raises_one_disagreement(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield))
    first = client.post(url("check"))
    second = client.post(url("check"))
    assert Disagreement.objects.count() == 1
    assert first["Location"].startswith("/raise/done/")
    assert second["Location"] == url("safe")  # the answers were cleared: it starts again
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("safe", {}, "Select yes if the child is safe now"),
        (
            "child",
            {"reference": "  ", "name": "", **NO_DATE},
            "Enter the child's reference (a case number, not a name).",
        ),
        ("agencies", {}, "Select the agency or agencies you disagree with"),
        (
            "counterparts",
            {},
            "Select the people you have been dealing with, or that you have not dealt with anyone yet",
        ),
        ("category", {}, "Select what the disagreement is about"),
        ("pathway", {}, "Select the part of the procedure it follows"),
        ("details", {"expected": "", "why": "x", "what_needed": "y"}, "Enter what you expect the other agency to do."),
        (
            "urgency",
            {"urgent": "no", "child_protection": "no"},
            "Select yes if the child is at risk of significant harm",
        ),
    ],
)
def test_each_page_with_nothing_chosen_shows_the_error_summary_and_keeps_nothing(
    enfield: Cast, step: str, data: dict[str, Any], message: str
) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield), until=step)
    before = dict(client.session.get(SESSION_KEY, {}))
    response = client.post(url(step), data)
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert f">{message}</a>" in page  # in the summary, linked to the field
    assert 'class="govuk-error-message"' in page
    assert page.count("<h1") == 1
    assert dict(client.session.get(SESSION_KEY, {})) == before
    assert Disagreement.objects.count() == 0


def test_choosing_nobody_and_someone_at_once_is_refused(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield), until="counterparts")
    response = client.post(url("counterparts"), {"counterparts": [str(enfield.at("csc", 1).pk), "nobody"]})
    assert response.status_code == 400
    assert "not both" in text(response)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2020", "The child's date of birth must be a real date"),
        ("1", "", "2020", "The child's date of birth must include a month"),
        ("1", "1", "2999", "The child's date of birth cannot be in the future."),
    ],
)
def test_a_bad_date_of_birth_is_refused_on_its_field(
    enfield: Cast, day: str, month: str, year: str, message: str
) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield), until="child")
    data = {"reference": "ENF-0042", "date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}
    response = client.post(url("child"), data)
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_date_of_birth_0">' + message in page
    assert 'id="id_date_of_birth-error"' in page
    assert not Child.objects.exists()


def test_a_category_the_procedure_excludes_is_refused_in_its_own_words(enfield: Cast) -> None:
    procedure = enfield.partnership.procedure.procedure  # type: ignore[union-attr]
    words = procedure.category("professional-conduct").refuse_with
    assert words is not None
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield), until="category")
    response = client.post(url("category"), {"category": "professional-conduct"})
    assert response.status_code == 409
    page = text(response)
    assert f'<a href="#id_category_0">{words}</a>' in page  # the summary
    assert 'id="id_category-error"' in page
    assert words in page.split('id="id_category-error"', 1)[1]
    assert "category" not in client.session[SESSION_KEY]


def test_the_answers_are_kept_in_the_session_and_never_in_an_address(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    secret = {"child": {"reference": "SECRET-REF-77", "name": "Jamie Example", **NO_DATE}}
    responses: list[HttpResponseBase] = answer(client, answers_for(enfield, **secret))
    check = client.get(url("check"))
    raised = client.post(url("check"))
    done = client.get(raised["Location"])
    addresses = [r["Location"] for r in [*responses, raised]]
    addresses += re.findall(r'(?:href|action)="([^"]*)"', text(check) + text(done))
    for address in addresses:
        assert "SECRET" not in address, address
        assert "Jamie" not in address, address
        assert "threshold" not in address, address
    assert Disagreement.objects.get().child.reference == "SECRET-REF-77"


def test_a_child_of_another_partnership_is_never_found(enfield: Cast) -> None:
    elsewhere = PartnershipFactory.create(procedure_slug="enfield")
    theirs = ChildFactory.create(partnership=elsewhere, reference="SHARED-1", name="Other Partnership Child")
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield, child={"reference": "SHARED-1"}))
    check = client.get(url("check"))
    assert "Other Partnership Child" not in text(check)
    client.post(url("check"))
    d = Disagreement.objects.get()
    assert d.child != theirs
    assert d.child.partnership == enfield.partnership
    assert d.child.name == ""
    theirs.refresh_from_db()
    assert theirs.name == "Other Partnership Child"


def test_not_safe_now_warns_of_the_urgent_route_with_the_counterparts_number(enfield: Cast) -> None:
    counterpart = enfield.at("csc", 1)
    counterpart.phone = "020 7946 0123"
    counterpart.save()
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield, safe={"safe": "no"}), until="child")
    child_page = main_of(client.get(url("child")))
    assert 'class="govuk-warning-text"' in child_page
    assert "The procedure's urgent route applies: telephone" in child_page
    assert "020 8379 1000" in child_page  # Enfield's emergency out-of-hours duty team (L105)
    assert "0208 379 5555" in child_page  # its significant-harm instruction: MASH (L103)
    answer(client, answers_for(enfield, safe={"safe": "no"}), until="details")
    details = main_of(client.get(url("details")))
    assert counterpart.name in details
    assert "020 7946 0123" in details
    # significant harm is suggested, and the person can still go on to record it
    answer(client, answers_for(enfield, safe={"safe": "no"}), until="urgency")
    urgency = text(client.get(url("urgency")))
    assert re.search(r'value="yes" id="id_significant_harm_0" checked', urgency)
    answer(client, answers_for(enfield, safe={"safe": "no"}, urgency={"significant_harm": "yes"}))
    assert "020 7946 0123" in main_of(client.get(url("check")))
    client.post(url("check"))
    assert Disagreement.objects.get().significant_harm is True


def test_significant_harm_alone_warns_of_nels_telephone_first_duty(nel: Cast) -> None:
    client = signed_in(nel.at("school", 1))
    steps = answers_for(
        nel,
        category={"category": "provision-of-help"},
        pathway={"pathway": "individual-cases"},
        urgency={"significant_harm": "yes"},
    )
    answer(client, steps)
    page = main_of(client.get(url("check")))
    assert "The procedure's urgent route applies" in page
    assert "by telephone rather than awaiting a response to an email" in page  # NEL L34
    assert nel.at("csc", 1).name in page
    assert nel.at("csc", 1).phone in page


def test_check_your_answers_links_each_question_page_to_change_it(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield))
    page = text(client.get(url("check")))
    assert 'class="govuk-summary-list"' in page
    for step in ("safe", "child", "agencies", "counterparts", "category", "pathway", "details", "urgency"):
        assert f'href="{url(step)}?from=check"' in page, step
    # a change goes back to the check page, with the new answer
    changed = client.post(
        url("details") + "?from=check", {**answers_for(enfield)["details"], "what_needed": "A home visit this week."}
    )
    assert changed["Location"] == url("check")
    assert "A home visit this week." in text(client.get(url("check")))


def test_going_straight_to_a_later_page_leads_to_the_first_unanswered_one(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    assert client.get(url("urgency"))["Location"] == url("safe")
    assert client.get(url("check"))["Location"] == url("safe")
    answer(client, answers_for(enfield), until="agencies")
    assert client.get(url("details"))["Location"] == url("agencies")
    assert client.post(url("check"))["Location"] == url("agencies")
    assert Disagreement.objects.count() == 0


def test_a_refusal_by_the_service_goes_back_to_the_page_of_its_field(nel: Cast) -> None:
    client = signed_in(nel.at("school", 1))
    steps = answers_for(
        nel,
        category={"category": "provision-of-help"},
        pathway={"pathway": "individual-cases"},
        urgency={"urgent": "yes", "start_stage": "c-senior-manager", "urgent_reason": ""},
    )
    answer(client, steps)
    response = client.post(url("check"))
    assert response.status_code == 400
    page = text(response)
    assert "How urgent is it?" in page
    assert '<a href="#id_urgent_reason">Enter why this needs urgent resolution.</a>' in page
    assert f'action="{url("urgency")}?from=check"' in page
    assert Disagreement.objects.count() == 0
    fixed = client.post(url("urgency") + "?from=check", {**steps["urgency"], "urgent_reason": "Child at home alone."})
    assert fixed["Location"] == url("check")
    client.post(url("check"))
    d = Disagreement.objects.get()
    assert d.stage_runs.get().stage == "c-senior-manager"


def test_nels_equally_divided_conference_asks_which_conference_and_when_it_was_adjourned(nel: Cast) -> None:
    client = signed_in(nel.at("school", 1))
    steps = answers_for(
        nel,
        category={"category": "conference-equally-divided"},
        pathway={"pathway": "conference-equally-divided"},
    )
    answer(client, steps, until="urgency")
    page = text(client.get(url("urgency")))
    assert "Which child protection conference was it?" in page
    missing = client.post(url("urgency"), steps["urgency"])
    assert missing.status_code == 302  # the service says it is needed, on the check page's send
    refused = client.post(url("check"))
    assert refused.status_code == 400
    assert "initial or a review conference" in text(refused)
    client.post(url("urgency"), {**steps["urgency"], "conference_kind": "initial"})
    client.post(url("check"))
    d = Disagreement.objects.get()
    assert d.pathway == "conference-equally-divided"
    assert d.conference_kind == "initial"


def test_someone_outside_any_agency_gets_a_page_saying_why_and_no_form(enfield: Cast) -> None:
    holder = enfield.role("business-unit")
    client = signed_in(holder)
    for step in ("safe", "child", "check"):
        response = client.get(url(step))
        assert response.status_code == 403
        page = main_of(response)
        assert "You cannot raise a disagreement" in page
        assert "<form" not in page
    assert client.post(url("check")).status_code == 403
    assert "Raise a disagreement" not in text(client.get(reverse("home")))
    assert Disagreement.objects.count() == 0


def test_a_partnership_without_a_procedure_says_so(enfield: Cast) -> None:
    enfield.partnership.procedure = None
    enfield.partnership.save()
    response = signed_in(enfield.at("school", 1)).get(url("safe"))
    assert response.status_code == 403
    assert "has not adopted an escalation procedure" in text(response)


def test_raise_a_disagreement_is_in_the_service_navigation_for_someone_who_can_raise(enfield: Cast) -> None:
    page = text(signed_in(enfield.at("school", 1)).get(reverse("home")))
    nav = page.split('id="service-navigation"', 1)[1].split("</ul>", 1)[0]
    assert nav.index("Disagreements") < nav.index("Raise a disagreement")
    assert f'href="{url("safe")}"' in nav


def test_the_confirmation_of_a_disagreement_the_person_may_not_see_is_not_found(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 1))
    answer(client, answers_for(enfield))
    done = client.post(url("check"))["Location"]
    stranger = signed_in(enfield.at("police", 1))
    assert stranger.get(done).status_code == 404
    assert stranger.get(reverse("raise_done", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
