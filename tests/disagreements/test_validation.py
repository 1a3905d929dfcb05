"""Bad input gets a clear message naming the field, and changes nothing; good input is stored exactly.

The property tests give the raise and record services arbitrary values where text is expected
(NUL characters, lone surrogates, text around the length limit, None, numbers, lists...) and
check that each call either succeeds with the text stored exactly as given (without the spaces
around it) or raises ``ResolveError`` having written nothing: never another exception, never a
500. CI runs them on SQLite and on PostgreSQL (``DATABASE_URL``), which refuses NUL characters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from resolve.audit.models import Event
from resolve.calendar import LONDON
from resolve.core.errors import ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import (
    Child,
    Disagreement,
    Notice,
    Participant,
    RecordEntry,
    StageDeadline,
    StageRun,
)
from resolve.disagreements.services.guards import TEXT_LIMIT
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

TABLES: list[type[models.Model]] = [
    Child,
    Disagreement,
    StageRun,
    StageDeadline,
    Participant,
    Notice,
    RecordEntry,
    Event,
]

#: Examples per property: enough to meet every kind of bad value, few enough for the suite's time.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    # CI runs the same examples every time, so that a submission's result is reproducible; a
    # developer's runs draw new ones and find what CI's do not.
    derandomize=bool(os.environ.get("CI")),
    # The cast is built once per test; each example runs in a transaction rolled back after it.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

#: Text a person could type: any printable or whitespace character, something besides spaces.
GOOD_TEXT = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=1, max_size=40
).filter(str.strip)  # text a database stores: no NUL, no lone surrogate


def anything(limit: int) -> st.SearchStrategy[object]:
    """Whatever a page or an API client could send where text is expected."""
    return st.one_of(
        st.text(max_size=30),
        GOOD_TEXT,
        st.text(st.characters(categories=["Cc", "Cs", "Zs", "Zl"]), max_size=8),  # NUL, controls, surrogates
        st.tuples(st.text(max_size=5), st.text(max_size=5)).map(lambda ab: f"{ab[0]}\x00{ab[1]}"),
        st.integers(limit - 1, limit + 1).map(lambda n: "é" * n),
        st.integers(limit - 1, limit + 1).map(lambda n: "  " + "x" * n + "\n"),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.binary(max_size=5),
        st.lists(st.text(max_size=3), max_size=2),
        st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=1),
    )


def acceptable(value: object, *, required: bool, limit: int = TEXT_LIMIT) -> bool:
    """The rule, stated apart from the code it checks: text that a database stores as given."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    text = value.strip()
    return len(text) <= limit and (bool(text) or not required)


def counts() -> dict[type[models.Model], int]:
    return {m: m._default_manager.count() for m in TABLES}


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes undone afterwards, so the next starts from the same partnership."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored_exactly_or_refused(
    call: Callable[[], models.Model], read: Callable[[models.Model], object], value: object, *, required: bool
) -> None:
    before = counts()
    if acceptable(value, required=required):
        event("stored")  # --hypothesis-show-statistics shows how often each way was taken
        assert isinstance(value, str)
        assert read(call()) == value.strip()
    else:
        event("refused")
        with pytest.raises(ResolveError) as refused:
            call()
        assert refused.value.field  # the message names the input to fix
        assert counts() == before


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def open_disagreement(enfield: Cast) -> Disagreement:
    return raise_one(enfield)


# --- raising --------------------------------------------------------------------------------------


def raise_about(cast: Cast, child: object, **change: object) -> Disagreement:
    """A school practitioner raises one with children's social care, with ``change`` made to what they give."""
    given_values: dict[str, Any] = {
        "by": cast.at("school", 1),
        "child": child,
        "other_agencies": [cast.agencies["csc"]],
        "counterparts": [cast.at("csc", 1)],
        "category": "threshold-referral",
        "expected": "An assessment.",
        "why": "Threshold judged too high.",
        "what_needed": "A home visit.",
    }
    return services.disagreement_raise(**given_values | change)


#: disagreement_raise's free text, and whether it must be given.
RAISE_TEXT = {"expected": True, "why": True, "what_needed": True, "evidence": False, "urgent_reason": False}


@PROPERTY
@given(field=st.sampled_from(sorted(RAISE_TEXT)), value=anything(TEXT_LIMIT), good=GOOD_TEXT)
def test_raising_with_any_text_stores_it_exactly_or_says_what_to_fix(
    enfield: Cast, field: str, value: object, good: str
) -> None:
    with rolled_back():
        child = ChildFactory(partnership=enfield.partnership)
        given_text = dict.fromkeys(RAISE_TEXT, good) | {field: value}
        stored_exactly_or_refused(
            lambda: raise_about(enfield, child, **given_text),
            lambda d: getattr(d, field),
            value,
            required=RAISE_TEXT[field],
        )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"why": None}, "why", "Enter why you believe"),
        ({"why": ["a", "list"]}, "why", "Enter why you believe the arrangements .* as text, not a list"),
        ({"evidence": None}, "evidence", "Enter the evidence as text, not nothing"),
        ({"evidence": "Seen\x00 on Monday"}, "evidence", r"Remove the NUL character \(\\x00\) from the evidence"),
        ({"expected": "x" * (TEXT_LIMIT + 1)}, "expected", "Shorten what you expect .* to 20,000 characters at most"),
        ({"urgent": "no"}, "urgent", "Answer whether it is urgent with yes or no"),
        ({"flags": "child-in-care"}, "flags", "Give the flags that apply as a list"),
        ({"category": 7}, "category", "Enter the category as text, not a number"),
        ({"other_agencies": ["csc"]}, "other_agencies", "Choose the agencies from the lists given"),
        ({"counterparts": None}, "counterparts", "Choose the people you have been dealing with"),
        ({"child": "CHILD-1"}, "child", "Choose the child the disagreement is about"),
    ],
)
def test_raising_with_a_value_of_the_wrong_kind_names_the_field_and_changes_nothing(
    enfield: Cast, change: dict[str, Any], field: str, message: str
) -> None:
    child = ChildFactory(partnership=enfield.partnership)
    before = counts()
    with pytest.raises(ResolveError, match=message) as refused:
        raise_about(enfield, change.pop("child", child), **change)
    assert refused.value.field == field
    assert counts() == before


# --- the records kept at a stage ----------------------------------------------------------------

#: discussion_record's free text, and whether it must be given.
DISCUSSION_TEXT = {"summary": True, "others_present": False}


@PROPERTY
@given(field=st.sampled_from(sorted(DISCUSSION_TEXT)), value=anything(TEXT_LIMIT), good=GOOD_TEXT)
def test_a_discussion_with_any_text_is_stored_exactly_or_refused_with_nothing_written(
    enfield: Cast, open_disagreement: Disagreement, field: str, value: object, good: str
) -> None:
    with rolled_back():
        given_text = dict.fromkeys(DISCUSSION_TEXT, good) | {field: value}
        stored_exactly_or_refused(
            lambda: services.discussion_record(
                disagreement=open_disagreement,
                by=enfield.at("school", 1),
                held_at=open_disagreement.raised_at,
                method="telephone",
                **given_text,  # type: ignore[arg-type]
            ),
            lambda entry: entry.data[field],  # type: ignore[attr-defined]
            value,
            required=DISCUSSION_TEXT[field],
        )


#: record_add's fields for a written request (sent_to and summary required; anything else kept).
REQUEST_TEXT = {"sent_to": True, "summary": True, "copied_to": False}


@PROPERTY
@given(field=st.sampled_from(sorted(REQUEST_TEXT)), value=anything(TEXT_LIMIT), good=GOOD_TEXT)
def test_a_written_request_with_any_text_is_stored_exactly_or_refused_with_nothing_written(
    enfield: Cast, open_disagreement: Disagreement, field: str, value: object, good: str
) -> None:
    with rolled_back():
        fields = dict.fromkeys(REQUEST_TEXT, good) | {field: value}
        stored_exactly_or_refused(
            lambda: services.record_add(
                disagreement=open_disagreement,
                by=enfield.at("school", 1),
                kind=RecordEntry.Kind.WRITTEN_REQUEST,
                occurred_at=timezone.now(),
                fields=fields,  # type: ignore[arg-type]
            ),
            lambda entry: entry.data[field],  # type: ignore[attr-defined]
            value,
            required=REQUEST_TEXT[field],
        )


#: meeting_record's free text (argument name, key in the record's data, whether it must be given).
MEETING_TEXT = {
    "areas_of_discussion": ("areas_of_discussion", True),
    "disagreement_text": ("disagreement", True),
    "agreements": ("agreements", True),
    "actions": ("actions", True),
    "others_present": ("others_present", False),
}


@PROPERTY
@given(field=st.sampled_from(sorted(MEETING_TEXT)), value=anything(TEXT_LIMIT), good=GOOD_TEXT)
def test_a_meeting_record_with_any_text_is_stored_exactly_or_refused_with_nothing_written(
    enfield: Cast, open_disagreement: Disagreement, field: str, value: object, good: str
) -> None:
    key, required = MEETING_TEXT[field]
    with rolled_back():
        given_text = dict.fromkeys(MEETING_TEXT, good) | {field: value}
        stored_exactly_or_refused(
            lambda: services.meeting_record(
                disagreement=open_disagreement,
                by=enfield.at("school", 1),
                held_at=timezone.now(),
                chair=enfield.at("csc", 2),
                attendees=[enfield.at("school", 2), enfield.at("csc", 2)],
                **given_text,  # type: ignore[arg-type]
            ),
            lambda entry: entry.data[key],  # type: ignore[attr-defined]
            value,
            required=required,
        )


def test_a_majority_conference_view_with_a_minority_view_that_is_not_text_is_refused(
    enfield: Cast, open_disagreement: Disagreement
) -> None:
    before = counts()
    with pytest.raises(ResolveError, match="Enter minority view as text, not a list") as refused:
        services.record_add(
            disagreement=open_disagreement,
            by=enfield.at("school", 1),
            kind=RecordEntry.Kind.CONFERENCE_RECORD,
            occurred_at=timezone.now(),
            fields={"view": "majority", "decision": "A plan.", "minority_view": ["Health"]},  # type: ignore[dict-item]
        )
    assert refused.value.field == "minority_view"
    assert counts() == before


def test_a_correction_that_is_not_text_is_refused(enfield: Cast, open_disagreement: Disagreement) -> None:
    entry = services.discussion_record(
        disagreement=open_disagreement,
        by=enfield.at("school", 1),
        held_at=open_disagreement.raised_at,
        method="telephone",
        summary="Talked.",
    )
    before = counts()
    with pytest.raises(ResolveError, match="Enter summary as text, not a number"):
        services.record_correct(record=entry, by=enfield.at("school", 1), fields={"summary": 3}, reason="Typo.")  # type: ignore[dict-item]
    assert counts() == before


# --- when things happened -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_at", "message"),
    [
        (lambda d: d.raised_at - timedelta(days=400), "more than a year before the disagreement was raised, on "),
        (lambda d: timezone.now() + timedelta(days=1), "cannot be in the future"),
        (lambda d: datetime(2026, 11, 20, 14, 0), "must include a time zone"),
        (lambda d: "2026-11-20 14:00", "must be a date and a time, not text"),
        (lambda d: date.today(), "must be a date and a time, not a date"),  # noqa: DTZ011 - the point
    ],
)
def test_a_discussion_held_at_a_time_that_cannot_be_is_refused(
    enfield: Cast, open_disagreement: Disagreement, held_at: Callable[[Disagreement], object], message: str
) -> None:
    before = counts()
    with pytest.raises(ResolveError, match=message) as refused:
        services.discussion_record(
            disagreement=open_disagreement,
            by=enfield.at("school", 1),
            held_at=held_at(open_disagreement),  # type: ignore[arg-type]
            method="telephone",
            summary="Talked.",
        )
    assert refused.value.field == "occurred_at"
    assert counts() == before


def test_a_discussion_held_days_before_it_was_raised_is_accepted(
    enfield: Cast, open_disagreement: Disagreement
) -> None:
    # Stage 1 is often the call to the counterpart that made the practitioner raise it.
    entry = services.discussion_record(
        disagreement=open_disagreement,
        by=enfield.at("school", 1),
        held_at=open_disagreement.raised_at - timedelta(days=3),
        method="telephone",
        summary="Talked before raising it.",
    )
    assert entry.occurred_at == open_disagreement.raised_at - timedelta(days=3)


def test_a_discussion_held_just_as_it_was_raised_is_accepted(enfield: Cast, open_disagreement: Disagreement) -> None:
    # A page gives the time to the minute: a call at 10:00 recorded as the case was raised at 10:00:40.
    held = open_disagreement.raised_at.astimezone(LONDON).replace(second=0, microsecond=0)
    entry = services.discussion_record(
        disagreement=open_disagreement, by=enfield.at("school", 1), held_at=held, method="telephone", summary="Talked."
    )
    assert entry.occurred_at == held


# --- actions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("2027-01-04", "Enter an action's due date as a date .*, not text"),
        (datetime(2027, 1, 4, 9, 0, tzinfo=LONDON), "Enter an action's due date as a date .*, not a datetime"),
        (date(2020, 1, 6), "An action's due date cannot be in the past"),
    ],
)
def test_an_action_due_on_something_that_is_not_a_coming_date_is_refused(
    enfield: Cast, open_disagreement: Disagreement, due_on: object, message: str
) -> None:
    before = counts()
    with pytest.raises(ResolveError, match=message) as refused:
        services.action_add(
            disagreement=open_disagreement,
            by=enfield.at("school", 1),
            description="A home visit.",
            due_on=due_on,  # type: ignore[arg-type]
        )
    assert refused.value.field == "due_on"
    assert counts() == before


def test_completing_an_action_with_a_note_that_is_not_text_is_refused(
    enfield: Cast, open_disagreement: Disagreement
) -> None:
    action = services.action_add(disagreement=open_disagreement, by=enfield.at("school", 1), description="A visit.")
    with pytest.raises(ResolveError, match="Enter the note on how it was completed as text, not a list"):
        services.action_complete(action=action, by=enfield.at("school", 1), note=["done"])  # type: ignore[arg-type]
    action.refresh_from_db()
    assert action.completed_at is None
