"""The learning log's services and selectors: recording learning at resolution, themes over time, responses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import LearningTheme, Person
from resolve.reports.learning import (
    default_period,
    learning_entries,
    learning_record,
    learning_response_record,
    quarters_between,
    responses_by_theme,
    themes_over_time,
)
from resolve.reports.models import LearningEntry, LearningResponse
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one

pytestmark = pytest.mark.django_db


def user_of(person: Person) -> Any:
    user = get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    person.user = user
    person.save()
    return user


def resolved(cast: Cast) -> Disagreement:
    """Enfield stage 1, resolved by the school's level 2 (the stage's level) on a confirmed outcome."""
    d = raise_one(cast)
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="Agreed: an assessment.")
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 2))
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 2))
    d.refresh_from_db()
    return d


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    cast = cast_for("enfield")
    for name in ("Information sharing", "Thresholds and referral", "Attendance at meetings"):
        LearningTheme.objects.create(partnership=cast.partnership, name=name)
    return cast


def theme(cast: Cast, name: str) -> LearningTheme:
    return LearningTheme.objects.get(partnership=cast.partnership, name=name)


# --- recording -----------------------------------------------------------------------------------------


def test_the_handler_records_learning_with_two_themes_and_a_second_entry_adds(enfield: Cast) -> None:
    d = resolved(enfield)
    sharing, thresholds = theme(enfield, "Information sharing"), theme(enfield, "Thresholds and referral")
    entry = learning_record(
        disagreement=d,
        by=enfield.at("school", 2),
        policy_gap="The threshold document says nothing about repeated disclosures.",
        training_need="",
        note="",
        theme_ids=[sharing.pk, str(thresholds.pk)],
    )
    assert set(entry.themes.all()) == {sharing, thresholds}
    assert entry.partnership_id == enfield.partnership.pk
    assert entry.recorded_by == enfield.at("school", 2)
    event = Event.objects.get(verb=Verb.LEARNING_RECORDED)
    assert event.disagreement_id == d.pk
    assert event.data["themes"] == sorted([sharing.pk, thresholds.pk])
    assert event.data["fields"] == ["policy_gap"]
    assert "threshold document" not in str(event.data)  # ids and field names only, never the words
    learning_record(disagreement=d, by=enfield.at("school", 2), training_need="Joint training on thresholds.")
    assert LearningEntry.objects.filter(disagreement=d).count() == 2  # added, not overwritten
    assert LearningEntry.objects.get(pk=entry.pk).policy_gap.startswith("The threshold document")


def test_learning_can_be_recorded_while_open_by_the_stages_handler(enfield: Cast) -> None:
    d = raise_one(enfield)
    learning_record(disagreement=d, by=enfield.at("csc", 2), note="Roles were not clear.")
    assert LearningEntry.objects.filter(disagreement=d).count() == 1


def test_someone_who_does_not_handle_the_stage_is_refused_with_a_message(enfield: Cast) -> None:
    d = resolved(enfield)
    refusals = Event.objects.filter(verb=Verb.ACCESS_REFUSED).count()
    with nothing_changes(), pytest.raises(Refused, match="record its wider learning"):
        learning_record(disagreement=d, by=enfield.at("school", 1), note="Anything.")
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED).count() == refusals + 1
    with pytest.raises(NotFound):  # someone who does not see it: "not found"
        learning_record(disagreement=d, by=enfield.at("police", 5), note="Anything.")
    assert not LearningEntry.objects.exists()


@pytest.mark.parametrize("which", ["retired", "another partnership's", "made up"])
def test_a_theme_not_offered_is_refused_naming_the_field_and_nothing_is_written(
    enfield: Cast, cast_for: Callable[[str], Cast], which: str
) -> None:
    d = resolved(enfield)
    if which == "retired":
        chosen = theme(enfield, "Information sharing")
        chosen.retired_at = timezone.now()
        chosen.save()
        pk = chosen.pk
    elif which == "another partnership's":
        pk = LearningTheme.objects.create(partnership=cast_for("enfield").partnership, name="Information sharing").pk
    else:
        pk = 2**31 - 1
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        learning_record(disagreement=d, by=enfield.at("school", 2), note="Words.", theme_ids=[pk])
    assert refused.value.field == "theme_ids"
    assert refused.value.status == 400
    assert "partnership's list" in refused.value.message


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({}, "policy_gap"),  # nothing at all
        ({"policy_gap": "   "}, "policy_gap"),
        ({"training_need": "x" * 5001}, "training_need"),
        ({"note": "a\x00b"}, "note"),
        ({"note": 42}, "note"),
        ({"theme_ids": "1"}, "theme_ids"),
        ({"theme_ids": [True]}, "theme_ids"),
    ],
)
def test_bad_learning_is_refused_with_the_field_named(enfield: Cast, given: dict[str, Any], field: str) -> None:
    d = resolved(enfield)
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        learning_record(disagreement=d, by=enfield.at("school", 2), **given)
    assert refused.value.field == field
    assert refused.value.status == 400


def test_a_withdrawn_disagreement_takes_no_learning(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 2), reason="Sorted out.")
    d.refresh_from_db()
    with nothing_changes(), pytest.raises(Refused, match="withdrawn"):
        learning_record(disagreement=d, by=enfield.at("school", 2), note="Words.")


# --- themes over time ----------------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def entry(d: Disagreement, by: Person, when: str, *themes: LearningTheme, **texts: str) -> LearningEntry:
    made = LearningEntry.objects.create(
        partnership=d.partnership, disagreement=d, recorded_by=by, recorded_at=at(when), **texts
    )
    made.themes.set(themes)
    return made


def dataset(cast: Cast, disagreements: list[Disagreement], copies: int = 1) -> None:
    """Learning in 2026: Q1 two cases name information sharing (one twice), Q2 one names both themes, one none."""
    sharing, thresholds = theme(cast, "Information sharing"), theme(cast, "Thresholds and referral")
    by = cast.at("school", 2)
    one, two, three = disagreements[:3]
    for _copy in range(copies):
        entry(one, by, "2026-01-15T10:00", sharing, policy_gap="No protocol for sharing with schools.")
        entry(one, by, "2026-03-31T23:30", sharing)  # the same case again, still Q1 (UK time): counted once
        entry(two, by, "2026-02-01T09:00", sharing, training_need="Information-sharing training.")
        entry(three, by, "2026-04-01T00:30", sharing, thresholds, note="Thresholds read differently.")
        entry(two, by, "2026-05-01T09:00", note="Meetings were arranged late.")
        entry(three, by, "2025-12-31T23:59", thresholds)  # before the period
        entry(three, by, "2026-07-01T00:00", thresholds)  # after it


def test_themes_over_time_counts_cases_per_theme_per_quarter(enfield: Cast) -> None:
    overseer = user_of(enfield.role("business-unit"))
    cases = [raise_one(enfield) for _ in range(3)]
    dataset(enfield, cases)
    found = themes_over_time(
        user=overseer, partnership=enfield.partnership, start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
    assert found.quarters == [(2026, 1), (2026, 2)]
    assert found.labels == ["Jan to Mar 2026", "Apr to Jun 2026"]
    rows = {r.theme.name: (r.counts, r.total) for r in found.rows}
    assert rows == {
        "Attendance at meetings": ([0, 0], 0),
        "Information sharing": ([2, 1], 3),
        "Thresholds and referral": ([0, 1], 1),
    }
    assert found.disagreements == [2, 2]  # cases with any learning, themed or not


def test_a_retired_theme_keeps_its_row_only_where_it_was_used(enfield: Cast) -> None:
    overseer = user_of(enfield.role("business-unit"))
    cases = [raise_one(enfield) for _ in range(3)]
    dataset(enfield, cases)
    LearningTheme.objects.filter(partnership=enfield.partnership).update(retired_at=timezone.now())
    found = themes_over_time(
        user=overseer, partnership=enfield.partnership, start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
    assert [r.theme.name for r in found.rows] == ["Information sharing", "Thresholds and referral"]


def test_the_queries_do_not_grow_with_the_data(enfield: Cast, django_assert_max_num_queries: Any) -> None:
    overseer = user_of(enfield.role("business-unit"))
    cases = [raise_one(enfield) for _ in range(3)]
    period = {
        "user": overseer,
        "partnership": enfield.partnership,
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
    }
    dataset(enfield, cases)
    counts = []
    for size in (1, 2):
        if size == 2:
            dataset(enfield, cases, copies=4)
            for name in ("Understanding of roles", "Escalation"):
                LearningTheme.objects.create(partnership=enfield.partnership, name=name)
        with django_assert_max_num_queries(26):
            themes_over_time(**period)
            shown = learning_entries(**period)
            responses_by_theme(user=overseer, partnership=enfield.partnership)
        counts.append(len(shown))
    assert counts == [4, 20]


def test_only_overseers_read_the_log(enfield: Cast) -> None:
    practitioner = user_of(enfield.at("school", 2))
    period: dict[str, Any] = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}
    for read in (themes_over_time, learning_entries):
        with pytest.raises(NotFound):
            read(user=practitioner, partnership=enfield.partnership, **period)
    with pytest.raises(NotFound):
        responses_by_theme(user=practitioner, partnership=enfield.partnership)


def test_a_bad_period_is_refused_with_the_field_named(enfield: Cast) -> None:
    overseer = user_of(enfield.role("business-unit"))
    with pytest.raises(ResolveError) as refused:
        themes_over_time(user=overseer, partnership=enfield.partnership, start=date(2026, 3, 1), end=date(2026, 1, 1))
    assert refused.value.field == "end"
    with pytest.raises(ResolveError) as refused:
        themes_over_time(user=overseer, partnership=enfield.partnership, start=date(2000, 1, 1), end=date(2026, 1, 1))
    assert refused.value.field == "start"


def test_quarters_and_the_default_period() -> None:
    assert quarters_between(date(2025, 11, 5), date(2026, 2, 1)) == [(2025, 4), (2026, 1)]
    assert default_period(date(2026, 5, 20)) == (date(2025, 7, 1), date(2026, 5, 20))
    assert default_period(date(2026, 1, 1)) == (date(2025, 4, 1), date(2026, 1, 1))


def test_the_entries_link_a_case_only_for_someone_who_sees_it(enfield: Cast) -> None:
    cases = [raise_one(enfield) for _ in range(3)]
    dataset(enfield, cases)
    period: dict[str, Any] = {"partnership": enfield.partnership, "start": date(2026, 1, 1), "end": date(2026, 6, 30)}
    bu = learning_entries(user=user_of(enfield.role("business-unit")), **period)
    assert [e.reference for e in bu] == [cases[1].reference, cases[2].reference, cases[1].reference, cases[0].reference]
    assert not any(e.may_open for e in bu)  # Enfield's business unit is told at step 4, does not take part before
    admin = get_user_model().objects.create_user("admin", "a@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(admin)
    assert not any(e.may_open for e in learning_entries(user=admin, **period))
    chair = enfield.role("escp-chair")
    services.participant_add(disagreement=cases[0], by=enfield.at("school", 2), person=chair, capacity="attendee")
    shown = {e.disagreement_id: e.may_open for e in learning_entries(user=user_of(chair), **period)}
    assert shown == {cases[0].pk: True, cases[1].pk: False, cases[2].pk: False}


# --- responses -----------------------------------------------------------------------------------------


def test_the_business_unit_records_what_the_group_did(enfield: Cast) -> None:
    bu = enfield.role("business-unit")
    sharing = theme(enfield, "Information sharing")
    response = learning_response_record(
        user=user_of(bu), partnership=enfield.partnership, theme_id=sharing.pk, kind="training", text="Joint training."
    )
    assert (response.recorded_by, response.theme, response.kind) == (bu, sharing, "training")
    event = Event.objects.get(verb=Verb.LEARNING_RESPONSE_RECORDED)
    assert event.data == {"response": str(response.pk), "theme": sharing.pk, "kind": "training"}
    assert event.actor_id == bu.pk
    found = {
        r.theme.name: [x.text for x in r.responses]
        for r in responses_by_theme(user=bu.user, partnership=enfield.partnership)
    }
    assert found["Information sharing"] == ["Joint training."]


def test_a_response_needs_an_overseer_who_is_a_person_a_known_theme_and_words(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    sharing = theme(enfield, "Information sharing")
    admin = get_user_model().objects.create_user("admin", "a@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(admin)
    with pytest.raises(Refused, match="can read the learning log but not record"):
        learning_response_record(
            user=admin, partnership=enfield.partnership, theme_id=sharing.pk, kind="action", text="x"
        )
    with pytest.raises(NotFound):
        learning_response_record(
            user=user_of(enfield.at("school", 5)),
            partnership=enfield.partnership,
            theme_id=sharing.pk,
            kind="action",
            text="x",
        )
    bu = user_of(enfield.role("business-unit"))
    theirs = LearningTheme.objects.create(partnership=cast_for("enfield").partnership, name="Theirs")
    with pytest.raises(NotFound):
        learning_response_record(user=bu, partnership=enfield.partnership, theme_id=theirs.pk, kind="action", text="x")
    with pytest.raises(ResolveError) as refused:
        learning_response_record(user=bu, partnership=enfield.partnership, theme_id=sharing.pk, kind="shrug", text="x")
    assert refused.value.field == "kind"
    with pytest.raises(ResolveError) as refused:
        learning_response_record(user=bu, partnership=enfield.partnership, theme_id=sharing.pk, kind="action", text=" ")
    assert refused.value.field == "text"
    assert not LearningResponse.objects.exists()
    assert not Event.objects.filter(verb=Verb.LEARNING_RESPONSE_RECORDED).exists()
