"""The Disagreements page: every disagreement the person may see, filtered by status, 50 a page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.services.transitions import disagreement_withdraw
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import at
from tests.factories import ChildFactory
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


# Filters, search and sort --------------------------------------------------------------------------


def listed(page: str) -> list[str]:
    """The child references in the list's rows, in their order."""
    return re.findall(r'href="/disagreements/[0-9a-f-]+/">[^<]*<br>([^<]+)</a>', page)


@pytest.fixture
def two_days(cast_for: Callable[[str], Cast], time_machine) -> tuple[Cast, Disagreement, Disagreement]:
    """Enfield: one raised on Monday 21 December 2026, one on Tuesday against the police; now noon Tuesday."""
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    monday = raise_one(cast, child=ChildFactory.create(partnership=cast.partnership, reference="ZZ-MONDAY"))
    time_machine.move_to(at("2026-12-22T10:00"), tick=False)
    tuesday = raise_one(
        cast,
        against=("police",),
        category="case-closure",
        child=ChildFactory.create(partnership=cast.partnership, reference="AA-TUESDAY"),
    )
    time_machine.move_to(at("2026-12-22T12:00"), tick=False)
    return cast, monday, tuesday


def test_the_due_filter_finds_overdue_today_and_this_week(two_days) -> None:
    cast, _monday, _tuesday = two_days
    client = signed_in(cast.at("school", 2))
    # Monday's same-working-day deadline (L60) has passed; Tuesday's is due at 17:00
    assert listed(client.get(reverse("disagreements"), {"due": "overdue"}).content.decode()) == ["ZZ-MONDAY"]
    assert listed(client.get(reverse("disagreements"), {"due": "today"}).content.decode()) == ["AA-TUESDAY"]
    # Monday's 5 working days run to Wednesday 30 December, after this week
    assert listed(client.get(reverse("disagreements"), {"due": "week"}).content.decode()) == ["AA-TUESDAY"]


def test_the_agency_filter_finds_disagreements_with_that_agency_on_either_side(two_days) -> None:
    cast, _monday, _tuesday = two_days
    client = signed_in(cast.at("school", 2))
    police = str(cast.agencies["police"].pk)
    assert listed(client.get(reverse("disagreements"), {"agency": police}).content.decode()) == ["AA-TUESDAY"]
    school = str(cast.agencies["school"].pk)
    assert sorted(listed(client.get(reverse("disagreements"), {"agency": school}).content.decode())) == [
        "AA-TUESDAY",
        "ZZ-MONDAY",
    ]


def test_the_category_and_stage_filters(two_days) -> None:
    cast, monday, tuesday = two_days
    client = signed_in(cast.at("school", 2))
    assert listed(client.get(reverse("disagreements"), {"category": "case-closure"}).content.decode()) == ["AA-TUESDAY"]
    services.discussion_record(
        disagreement=monday,
        by=cast.at("school", 2),
        held_at=at("2026-12-22T11:00"),
        method="telephone",
        with_people=[cast.at("csc", 2)],
        summary="Line managers did not agree.",
    )
    services.disagreement_escalate(disagreement=monday, by=cast.at("school", 2), reason="No agreement.")
    page = client.get(reverse("disagreements"), {"stage": "escalation.stage-2"}).content.decode()
    assert listed(page) == ["ZZ-MONDAY"]
    assert listed(client.get(reverse("disagreements"), {"stage": "escalation.stage-1"}).content.decode()) == [
        "AA-TUESDAY"
    ]
    assert tuesday.child.reference in client.get(reverse("disagreements")).content.decode()


def test_the_list_sorts_by_raised_date_deadline_and_reference(two_days) -> None:
    cast, _monday, _tuesday = two_days
    client = signed_in(cast.at("school", 2))
    assert listed(client.get(reverse("disagreements")).content.decode()) == ["AA-TUESDAY", "ZZ-MONDAY"]
    assert listed(client.get(reverse("disagreements"), {"sort": "raised-oldest"}).content.decode()) == [
        "ZZ-MONDAY",
        "AA-TUESDAY",
    ]
    assert listed(client.get(reverse("disagreements"), {"sort": "deadline"}).content.decode()) == [
        "ZZ-MONDAY",
        "AA-TUESDAY",
    ]
    # short references are numbered as raised: Monday's first
    assert listed(client.get(reverse("disagreements"), {"sort": "reference"}).content.decode()) == [
        "ZZ-MONDAY",
        "AA-TUESDAY",
    ]


def test_the_list_shows_each_rows_next_deadline_with_its_rule(two_days) -> None:
    cast, _monday, _tuesday = two_days
    page = signed_in(cast.at("school", 2)).get(reverse("disagreements")).content.decode()
    assert "The line managers informed: Tue 22 Dec 2026 17:00" in page
    assert "same working day as the start of this stage" in page


def test_a_search_is_posted_and_finds_a_child_reference_whatever_its_case(two_days) -> None:
    cast, _monday, _tuesday = two_days
    client = signed_in(cast.at("school", 2))
    form = client.get(reverse("disagreements")).content.decode()
    assert re.search(r'<form method="post"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', form)
    found = client.post(reverse("disagreements"), {"q": "aa-tues"})
    assert found.status_code == 200
    assert listed(found.content.decode()) == ["AA-TUESDAY"]
    assert listed(client.post(reverse("disagreements"), {"q": "nobody"}).content.decode()) == []


def test_a_search_finds_a_short_reference_whatever_its_case(two_days) -> None:
    cast, monday, _tuesday = two_days
    assert monday.reference
    page = signed_in(cast.at("school", 2)).post(reverse("disagreements"), {"q": f" {monday.reference.lower()} "})
    assert listed(page.content.decode()) == ["ZZ-MONDAY"]


def test_a_search_in_the_address_is_ignored(two_days) -> None:
    """Search words are never read from a page address, so a child's reference is never put in one."""
    cast, _monday, _tuesday = two_days
    page = signed_in(cast.at("school", 2)).get(reverse("disagreements"), {"q": "AA-TUESDAY"}).content.decode()
    assert sorted(listed(page)) == ["AA-TUESDAY", "ZZ-MONDAY"]


def test_a_search_finds_only_what_the_person_may_see(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    page = signed_in(cast.at("police", 3)).post(reverse("disagreements"), {"q": d.child.reference}).content.decode()
    assert listed(page) == []
    assert "There are no disagreements to show." in page


def test_the_closed_status_shows_resolved_and_withdrawn_ones(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    kept, withdrawn = raise_one(cast), raise_one(cast)
    disagreement_withdraw(disagreement=withdrawn, by=cast.at("school", 1), reason="Agreed on the telephone.")
    page = signed_in(cast.at("school", 1)).get(reverse("disagreements"), {"status": "closed"}).content.decode()
    assert listed(page) == [withdrawn.child.reference]
    assert kept.child.reference not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"agency": "not-an-agency"}, "Choose an agency from the list."),
        ({"stage": "escalation.stage-9"}, "Choose a stage from the list."),
        ({"category": "made-up"}, "Choose a category from the list."),
        ({"due": "tomorrow"}, "Choose overdue, due today or due this week, or any time."),
        ({"sort": "child-name"}, "Choose how to sort the disagreements."),
    ],
)
def test_a_bad_filter_is_a_400_with_the_error_summary_and_nothing_listed(
    cast_for: Callable[[str], Cast], query: dict[str, str], message: str
) -> None:
    cast = cast_for("enfield")
    d = raise_one(cast)
    response = signed_in(cast.at("school", 1)).get(reverse("disagreements"), query)
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Disagreements" in page
    assert "govuk-error-summary" in page
    assert message in page
    assert d.child.reference not in page
    assert not Event.objects.filter(verb=Verb.VIEWED).exists()


def test_another_partnerships_agency_is_not_a_choice(cast_for: Callable[[str], Cast]) -> None:
    ours, theirs = cast_for("enfield"), cast_for("enfield")
    raise_one(ours)
    response = signed_in(ours.at("school", 1)).get(
        reverse("disagreements"), {"agency": str(theirs.agencies["school"].pk)}
    )
    assert response.status_code == 400
    assert "Choose an agency from the list." in response.content.decode()


def test_a_search_too_long_is_a_400_saying_how_long_it_may_be(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    response = signed_in(cast.at("school", 1)).post(reverse("disagreements"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "Enter a reference of 100 characters or fewer." in response.content.decode()


def test_pagination_keeps_the_filters(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    for _ in range(51):
        raise_one(cast)
    page = signed_in(cast.at("school", 1)).get(reverse("disagreements"), {"status": "all", "sort": "reference"})
    assert 'href="?status=all&amp;sort=reference&amp;page=2"' in page.content.decode()
