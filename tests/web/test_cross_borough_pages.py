"""The pages of a cross-borough disagreement: choosing another partnership's agency, inviting its counterpart,
and what the other partnership's people see (only what the access policy gives them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Participant
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_cross_borough import Two, raise_cross
from tests.web.test_home import signed_in
from tests.web.test_raise_pages import answer, answers_for, main_of, text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> Two:
    return Two(cast_for("enfield"), cast_for("enfield"))


def invite_url(d: Disagreement) -> str:
    return reverse("disagreement_counterpart_invite", kwargs={"pk": d.pk})


def seen_value(client: Client, d: Disagreement) -> str:
    page = text(client.get(invite_url(d)))
    start = page.index('name="seen" value="') + len('name="seen" value="')
    return page[start : page.index('"', start)]


def test_the_agencies_question_groups_other_partnerships_agencies_and_the_raise_sets_the_flag(two: Two) -> None:
    client = signed_in(two.a.at("school", 1))
    answers = answers_for(
        two.a,
        agencies={"other_agencies": [str(two.b.agencies["csc"].pk)]},
        counterparts={"counterparts": ["nobody"]},
    )
    answer(client, answers, until="agencies")
    page = main_of(client.get(url("agencies")))
    assert (
        f'<h2 class="govuk-heading-s govuk-!-margin-top-4 govuk-!-margin-bottom-2">{two.b.partnership.name}</h2>'
        in page
    )
    assert page.index(two.a.partnership.name) < page.index(two.b.partnership.name)
    assert f'value="{two.b.agencies["csc"].pk}"' in page
    answer(client, {k: v for k, v in answers.items() if k not in ("safe", "child")})
    counterparts = main_of(client.get(url("counterparts")))
    assert two.b.at("csc", 1).name not in counterparts  # invited once raised, at the stage's level
    check = main_of(client.get(url("check")))
    assert f"Children's Social Care ({two.b.partnership.name})" in check
    response = client.post(url("check"))
    assert response.status_code == 302
    d = Disagreement.objects.get()
    assert (d.partnership, d.flags, list(d.other_agencies.all())) == (
        two.a.partnership,
        ["cross-borough"],
        [two.b.agencies["csc"]],
    )


def test_the_raiser_invites_the_counterpart_through_the_disagreements_page(two: Two) -> None:
    d = raise_cross(two)
    client = signed_in(two.a.at("school", 1))
    page = main_of(client.get(reverse("disagreement", kwargs={"pk": d.pk})))
    assert invite_url(d) in page
    assert "Invite a counterpart from another partnership" in page
    form = client.get(invite_url(d))
    assert form.status_code == 200
    shown = main_of(form)
    assert "Acts at level 2 or above at this stage" in shown
    assert two.b.at("csc", 2).name in shown
    assert two.b.at("csc", 1).name not in shown  # below the level
    response = client.post(invite_url(d), {"person": str(two.b.at("csc", 2).pk), "seen": seen_value(client, d)})
    assert response.status_code == 302
    assert response["Location"] == reverse("disagreement", kwargs={"pk": d.pk})
    assert d.participants.filter(person=two.b.at("csc", 2), capacity=Participant.Capacity.COUNTERPART).exists()
    assert "The counterpart has been invited" in text(client.get(response["Location"]))
    assert Event.objects.filter(disagreement=d, verb=Verb.COUNTERPART_INVITED).count() == 1


@pytest.mark.parametrize("chosen", ["", "own partnership", "below the level", "not an id"])
def test_bad_input_on_the_invite_page_is_a_400_with_the_error_summary_and_changes_nothing(
    two: Two, chosen: str
) -> None:
    d = raise_cross(two)
    client = signed_in(two.a.at("school", 1))
    value = {
        "": "",
        "own partnership": str(two.a.at("csc", 2).pk),
        "below the level": str(two.b.at("csc", 1).pk),
        "not an id": "<script>",
    }[chosen]
    seen = seen_value(client, d)
    before = (d.participants.count(), d.notices.count(), Event.objects.exclude(verb=Verb.VIEWED).count())
    response = client.post(invite_url(d), {"person": value, "seen": seen})
    assert response.status_code == 400
    assert "govuk-error-summary" in text(response)
    assert (d.participants.count(), d.notices.count(), Event.objects.exclude(verb=Verb.VIEWED).count()) == before


def test_the_invite_page_is_not_offered_where_no_other_partnership_is_in_dispute(two: Two) -> None:
    d = raise_cross(two, other_agencies=[two.a.agencies["csc"]], counterparts=[two.a.at("csc", 1)])
    client = signed_in(two.a.at("school", 1))
    assert invite_url(d) not in text(client.get(reverse("disagreement", kwargs={"pk": d.pk})))
    assert client.get(invite_url(d)).status_code == 403
    assert signed_in(two.a.at("csc", 1)).get(invite_url(raise_cross(two))).status_code == 404


def administrator_of(two: Two) -> Client:
    """A staff account administering the other partnership, with a person there in no agency."""
    user = get_user_model().objects.create_user("b-admin", "b-admin@example.test", "x" * 20, is_staff=True)
    two.b.partnership.administrators.add(user)
    Person.objects.create(
        partnership=two.b.partnership,
        name="B administrator",
        email="b-admin@example.test",
        job_title="Admin",
        user=user,
    )
    client = Client()
    client.force_login(user)
    return client


def test_the_counterpart_sees_it_and_nobody_else_in_their_partnership_does(two: Two) -> None:
    d = raise_cross(two)
    page = reverse("disagreement", kwargs={"pk": d.pk})
    outsiders = [signed_in(two.b.at("csc", 1)), signed_in(two.b.role("escp-chair")), administrator_of(two)]
    for client in outsiders:
        assert client.get(page).status_code == 404
    services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("school", 1))
    counterpart = signed_in(two.b.at("csc", 2))
    shown = counterpart.get(page)
    assert shown.status_code == 200
    assert d.reference in text(shown)
    assert d.reference in text(counterpart.get(reverse("home")))
    assert d.reference in text(counterpart.get(reverse("disagreements")))
    for client in outsiders:
        assert client.get(page).status_code == 404
        listed = client.get(reverse("disagreements"), {"status": "all"})
        assert d.reference not in text(listed)
    assert outsiders[2].get(reverse("oversight")).status_code == 404  # an administrator holds no role
