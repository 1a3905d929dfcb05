"""The learning pages: recording wider learning on a disagreement, and the business unit's learning log."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resolve.audit.selectors import last_change
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import LearningTheme, Person
from resolve.reports.models import LearningEntry, LearningResponse
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one

pytestmark = pytest.mark.django_db


def signed_in(person: Person) -> Client:
    user = get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    person.user = user
    person.save()
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def words(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    cast = cast_for("enfield")
    for name in ("Information sharing", "Thresholds and referral", "Attendance at meetings"):
        LearningTheme.objects.create(partnership=cast.partnership, name=name)
    return cast


def resolved(cast: Cast) -> Disagreement:
    d = raise_one(cast)
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="Agreed: an assessment.")
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 2))
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 2))
    d.refresh_from_db()
    return d


def learning_url(d: Disagreement) -> str:
    return reverse("disagreement_learning", kwargs={"pk": d.pk})


def theme(cast: Cast, name: str) -> LearningTheme:
    return LearningTheme.objects.get(partnership=cast.partnership, name=name)


# --- the action page -----------------------------------------------------------------------------------


def test_the_handler_who_resolved_it_records_learning_with_two_themes_and_everyone_sees_it(enfield: Cast) -> None:
    d = resolved(enfield)
    client = signed_in(enfield.at("school", 2))
    page = text(client.get(reverse("disagreement", args=[d.pk])))
    assert f'href="{learning_url(d)}">Record wider learning' in page
    form = text(client.get(learning_url(d)))
    assert "Information sharing" in form
    assert "Attendance at meetings" in form
    sharing, thresholds = theme(enfield, "Information sharing"), theme(enfield, "Thresholds and referral")
    response = client.post(
        learning_url(d),
        {
            "seen": str(last_change(d)),
            "policy_gap": "The threshold guidance is silent on repeated disclosures.",
            "training_need": "Joint training on thresholds for schools and the front door.",
            "note": "",
            "theme_ids": [str(sharing.pk), str(thresholds.pk)],
        },
        follow=True,
    )
    assert response.status_code == 200
    page = text(response)
    assert "The wider learning has been recorded." in page
    section = words(page[page.index('id="learning"') :])
    assert "Gap in policies or procedures The threshold guidance is silent on repeated disclosures." in section
    assert "Training need Joint training on thresholds" in section
    assert "Themes Information sharing Thresholds and referral" in section
    entry = LearningEntry.objects.get(disagreement=d)
    assert set(entry.themes.all()) == {sharing, thresholds}
    # the raiser sees it too, but is not offered recording it
    raiser = text(signed_in(enfield.at("school", 1)).get(reverse("disagreement", args=[d.pk])))
    assert "Wider learning recorded" in raiser
    assert learning_url(d) not in raiser


def test_someone_who_does_not_handle_it_is_not_offered_the_page_and_is_refused(enfield: Cast) -> None:
    d = resolved(enfield)
    raiser = signed_in(enfield.at("school", 1))
    refused = raiser.get(learning_url(d))
    assert refused.status_code == 403
    assert "can record its wider learning" in text(refused)
    assert raiser.post(learning_url(d), {"seen": str(last_change(d)), "note": "x"}).status_code == 403
    outsider = signed_in(enfield.at("police", 5))
    assert outsider.get(learning_url(d)).status_code == 404
    assert outsider.post(learning_url(d), {"seen": str(last_change(d)), "note": "x"}).status_code == 404
    assert not LearningEntry.objects.exists()


@pytest.mark.parametrize("which", ["retired", "another partnership's"])
def test_a_theme_not_offered_is_refused_naming_the_field(
    enfield: Cast, cast_for: Callable[[str], Cast], which: str
) -> None:
    d = resolved(enfield)
    if which == "retired":
        chosen = theme(enfield, "Information sharing")
        chosen.retired_at = timezone.now()
        chosen.save()
    else:
        chosen = LearningTheme.objects.create(partnership=cast_for("enfield").partnership, name="Theirs")
    client = signed_in(enfield.at("school", 2))
    assert chosen.name not in text(client.get(learning_url(d)))
    response = client.post(
        learning_url(d), {"seen": str(last_change(d)), "note": "Words.", "theme_ids": [str(chosen.pk)]}
    )
    assert response.status_code == 400
    page = text(response)
    assert "govuk-error-summary" in page
    assert 'href="#id_theme_ids_0"' in page
    assert "Choose the themes from the list" in page
    assert not LearningEntry.objects.exists()


def test_nothing_at_all_is_refused_with_what_to_record(enfield: Cast) -> None:
    d = resolved(enfield)
    response = signed_in(enfield.at("school", 2)).post(learning_url(d), {"seen": str(last_change(d))})
    assert response.status_code == 400
    assert "Record at least one of" in text(response)
    assert not LearningEntry.objects.exists()


def test_a_withdrawn_disagreement_offers_no_learning(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 2), reason="Sorted out.")
    client = signed_in(enfield.at("school", 2))
    assert learning_url(d) not in text(client.get(reverse("disagreement", args=[d.pk])))
    refused = client.get(learning_url(d))
    assert refused.status_code == 403
    assert "withdrawn" in text(refused)


# --- the learning log ----------------------------------------------------------------------------------


def log_url(cast: Cast, **query: str) -> str:
    address = reverse("oversight:learning", kwargs={"partnership": cast.partnership.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def period(start: tuple[int, int, int], end: tuple[int, int, int]) -> dict[str, str]:
    return {
        "start_0": str(start[0]),
        "start_1": str(start[1]),
        "start_2": str(start[2]),
        "end_0": str(end[0]),
        "end_1": str(end[1]),
        "end_2": str(end[2]),
    }


def test_the_business_unit_sees_the_themes_counted_and_the_gaps_recorded(enfield: Cast) -> None:
    d = resolved(enfield)
    sharing = theme(enfield, "Information sharing")
    LearningEntry.objects.create(
        partnership=enfield.partnership,
        disagreement=d,
        recorded_by=enfield.at("school", 2),
        recorded_at=timezone.now(),
        policy_gap="No protocol for sharing with schools.",
    ).themes.set([sharing])
    client = signed_in(enfield.role("business-unit"))
    page = text(client.get(log_url(enfield)))
    table = page[page.index("themes-over-time") : page.index("</table>")]
    row = re.search(r"<tr[^>]*>\s*<th[^>]*>Information sharing.*?</tr>", table, re.DOTALL)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(\d+)</td>", row.group(0))
    assert cells[-1] == "1"  # in the period
    assert cells.count("1") == 2  # this quarter, and the period
    assert "No protocol for sharing with schools." in page
    assert d.reference in page
    assert reverse("disagreement", args=[d.pk]) not in page  # the business unit does not see the case
    assert d.child.reference not in page
    # a period chosen: nothing in 2020
    earlier = text(client.get(log_url(enfield, **period((1, 1, 2020), (31, 12, 2020)))))
    assert "No gap in policy, training need or other learning was recorded in this period." in earlier


def test_a_wrong_period_is_named_with_a_400(enfield: Cast) -> None:
    client = signed_in(enfield.role("business-unit"))
    response = client.get(log_url(enfield, **period((1, 6, 2026), (1, 1, 2026))))
    assert response.status_code == 400
    page = text(response)
    assert "govuk-error-summary" in page
    assert "The end of the period must be the same as or after its start" in page
    response = client.get(log_url(enfield, start_0="31", start_1="2", start_2="2026"))
    assert response.status_code == 400


def test_a_practitioner_gets_404_for_the_learning_log(enfield: Cast) -> None:
    client = signed_in(enfield.at("school", 5))
    assert client.get(log_url(enfield)).status_code == 404
    respond = reverse(
        "oversight:learning_respond",
        kwargs={"partnership": enfield.partnership.slug, "theme": theme(enfield, "Information sharing").pk},
    )
    assert client.post(respond, {"kind": "action", "text": "x"}).status_code == 404
    assert not LearningResponse.objects.exists()


def respond_url(cast: Cast, pk: int) -> str:
    return reverse("oversight:learning_respond", kwargs={"partnership": cast.partnership.slug, "theme": pk})


def test_the_business_unit_records_what_the_group_did(enfield: Cast) -> None:
    sharing = theme(enfield, "Information sharing")
    client = signed_in(enfield.role("business-unit"))
    assert respond_url(enfield, sharing.pk) in text(client.get(log_url(enfield)))
    assert "What did the group do?" in text(client.get(respond_url(enfield, sharing.pk)))
    bad = client.post(respond_url(enfield, sharing.pk), {"kind": "training", "text": ""})
    assert bad.status_code == 400
    assert "Enter what the group did or decided" in text(bad)
    done = client.post(
        respond_url(enfield, sharing.pk), {"kind": "training", "text": "Joint training booked for June."}, follow=True
    )
    page = text(done)
    assert "What the group did about Information sharing was recorded." in page
    assert "Training arranged" in page
    assert "Joint training booked for June." in page
    assert LearningResponse.objects.get().recorded_by == enfield.role("business-unit")
    assert client.get(respond_url(enfield, 2**31 - 1)).status_code == 404


def test_an_administrator_with_no_person_reads_but_is_told_it_cannot_record(enfield: Cast) -> None:
    admin = get_user_model().objects.create_user("admin", "a@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(admin)
    client = Client()
    client.force_login(admin)
    sharing = theme(enfield, "Information sharing")
    page = text(client.get(log_url(enfield)))
    assert "you can read what was done but not record it" in page
    assert respond_url(enfield, sharing.pk) not in page
    assert "can read the learning log but not record" in text(client.get(respond_url(enfield, sharing.pk)))
    refused = client.post(respond_url(enfield, sharing.pk), {"kind": "action", "text": "Agreed."})
    assert refused.status_code == 409
    assert not LearningResponse.objects.exists()
