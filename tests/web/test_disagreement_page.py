"""One disagreement's page: who may see it, what it shows, and the actions the policy allows the person."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from resolve.access.policy import Action, allowed, who_can_act
from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.page import ACTION_WORDS
from resolve.partnerships.models import Person
from tests.conftest import Cast, build_cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def page_of(person: Person, d: Disagreement) -> str:
    response = signed_in(person).get(reverse("disagreement", args=[d.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def main_of(page: str) -> str:
    found = re.search(r"<main.*?</main>", page, re.DOTALL)
    assert found is not None
    return found.group(0)


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def test_a_party_sees_the_summary_the_current_deadline_with_its_rule_and_who_can_act(enfield: Cast) -> None:
    d = raise_one(enfield, significant_harm=True)
    page = page_of(enfield.at("school", 1), d)
    assert f"Disagreement about {d.child.reference}" in page
    assert "Significant harm" in page
    assert enfield.agencies["csc"].name in page
    run = d.stage_runs.get()
    assert f"Current stage: {run.name}" in page
    deadline = run.governing_deadlines().exclude(due=None).first()
    assert deadline is not None
    assert deadline.rule in page  # Enfield L60: the same working day as the start of this stage
    assert f"[{deadline.source}]" in page
    assert "Who can act at this stage" in page
    assert who_can_act(d) in page


def test_the_records_kept_are_shown_in_the_order_they_happened_with_who_recorded_them(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.discussion_record(
        disagreement=d, by=enfield.at("school", 2), held_at=d.raised_at, method="telephone", summary="Talked first."
    )
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="No agreement.")
    page = page_of(enfield.at("school", 1), d)
    assert "Talked first." in page
    assert "school level 2" in page  # who recorded it
    assert "Earlier stages" in page
    assert "No agreement." in page  # the first stage's outcome, with its reason


@pytest.mark.parametrize("who", ["outsider", "other partnership", "bad id"])
def test_a_disagreement_the_person_may_not_see_gets_the_same_page_not_found_as_a_missing_one(
    enfield: Cast, who: str
) -> None:
    d = raise_one(enfield)
    viewer = {
        "outsider": enfield.at("police", 3),  # an agency not in dispute
        "other partnership": build_cast("enfield").at("school", 5),
        "bad id": enfield.at("school", 1),
    }[who]
    client = signed_in(viewer)
    missing = client.get(reverse("disagreement", args=[uuid.uuid4()]))
    address = "/disagreements/not-a-uuid/" if who == "bad id" else reverse("disagreement", args=[d.pk])
    response = client.get(address)
    assert response.status_code == missing.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert d.child.reference not in body
    assert main_of(body) == main_of(missing.content.decode())  # nothing tells a refusal from a missing one


def test_opening_the_page_logs_one_viewed_entry_for_the_disagreement(enfield: Cast) -> None:
    d = raise_one(enfield)
    viewer = enfield.at("school", 1)
    page_of(viewer, d)
    views = list(Event.objects.filter(verb=Verb.VIEWED, disagreement=d))
    assert len(views) == 1
    assert views[0].actor == viewer
    assert d.child.reference not in str(views[0].data)  # identifiers only


def test_a_refused_read_is_logged_as_refused_and_not_as_viewed(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("police", 3)
    signed_in(outsider).get(reverse("disagreement", args=[d.pk]))
    assert not Event.objects.filter(verb=Verb.VIEWED, disagreement=d).exists()
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider).count() == 1


def test_the_actions_listed_are_those_the_policy_allows_a_practitioner_and_their_line_manager(enfield: Cast) -> None:
    d = raise_one(enfield)
    practitioner, manager = enfield.at("school", 1), enfield.at("school", 2)
    shown = {}
    for person in (practitioner, manager):
        page = page_of(person, d)
        for action, words in ACTION_WORDS.items():
            assert (str(words) in page) == allowed(person, action, d), (person.name, action)
        shown[person.name] = {a for a in ACTION_WORDS if allowed(person, a, d)}
    # the line manager may do more here than the practitioner who raised it (Enfield's stage authority)
    assert shown[practitioner.name] != shown[manager.name]
    assert Action.VIEW not in ACTION_WORDS  # the page itself, not an action listed


def test_each_child_reference_on_the_dashboard_links_to_the_disagreements_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    page = signed_in(enfield.at("school", 1)).get(reverse("home")).content.decode()
    assert f'href="{reverse("disagreement", args=[d.pk])}"' in page


def test_the_page_address_carries_only_the_identifier(enfield: Cast) -> None:
    d = raise_one(enfield)
    address = reverse("disagreement", args=[d.pk])
    assert address == f"/disagreements/{d.pk}/"
    assert d.child.reference not in address


def test_someone_signed_in_without_a_person_record_gets_page_not_found(enfield: Cast, django_user_model) -> None:
    d = raise_one(enfield)
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x" * 20))
    assert client.get(reverse("disagreement", args=[d.pk])).status_code == 404
