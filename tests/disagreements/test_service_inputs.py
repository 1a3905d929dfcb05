"""Every service a page calls refuses a value of the wrong kind with a ResolveError naming what to fix.

Not the database's error (PostgreSQL refuses a NUL character, a type error deep inside), and nothing
changed: the faces (pages, API) turn a ResolveError into a 4xx with its message, anything else is a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.apps import apps

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import AgencyFactory, PartnershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

TEXT = [None, 42, ["words"], "a\x00b", "x" * 100_000, "lone \ud800 surrogate"]
MOMENT = ["yesterday", 42, datetime(2026, 1, 1, 10, 0), date(2026, 1, 1), None]
CHOICE = [None, 42, "no-such-thing", "x" * 1000, "a\x00b"]


def state() -> dict[str, int]:
    counts = {
        model._meta.label: model._default_manager.count() for model in apps.get_app_config("disagreements").get_models()
    }
    counts["events"] = Event.objects.exclude(verb__in=(Verb.VIEWED, Verb.ACCESS_REFUSED)).count()
    return counts


def stranger() -> Person:
    return PersonFactory.create(agency=AgencyFactory.create(partnership=PartnershipFactory.create()), level=5)


def hour_ago() -> datetime:
    return datetime.now(LONDON) - timedelta(hours=1)


#: (service, good arguments given the cast and disagreement, {argument: bad values})
Case = tuple[Callable[..., Any], Callable[[Cast, Disagreement], dict[str, Any]], dict[str, list[Any]]]


def people() -> list[Any]:
    return [[stranger()], "everyone", [None], 42]


CASES: dict[str, Case] = {
    "discussion_record": (
        services.discussion_record,
        lambda c, d: {
            "disagreement": d,
            "by": c.at("school", 2),
            "held_at": hour_ago(),
            "method": "telephone",
            "summary": "We spoke.",
            "with_people": [c.at("csc", 2)],
            "others_present": "",
        },
        {"held_at": MOMENT, "method": CHOICE, "summary": TEXT, "others_present": TEXT, "with_people": []},
    ),
    "meeting_record": (
        services.meeting_record,
        lambda c, d: {
            "disagreement": d,
            "by": c.at("school", 2),
            "held_at": hour_ago(),
            "chair": c.at("school", 2),
            "attendees": [c.at("csc", 2)],
            "areas_of_discussion": "Thresholds.",
            "disagreement_text": "Whether to assess.",
            "agreements": "Assess.",
            "actions": "Visit.",
        },
        {
            "held_at": MOMENT,
            "chair": [None, "someone"],
            "attendees": [],
            "areas_of_discussion": TEXT,
            "disagreement_text": TEXT,
            "agreements": TEXT,
            "actions": TEXT,
        },
    ),
    "record_add": (
        services.record_add,
        lambda c, d: {
            "disagreement": d,
            "by": c.at("school", 2),
            "kind": "executive_summary",
            "occurred_at": hour_ago(),
            "fields": {"summary": "A summary."},
        },
        {
            "kind": CHOICE,
            "occurred_at": MOMENT,
            "fields": [None, "summary", {"summary": "a\x00b"}, {"summary": 42}, {"no-such-field": "x"}],
        },
    ),
    "condition_record": (
        services.condition_record,
        lambda c, d: {"disagreement": d, "by": c.at("school", 2), "condition": "policy-gaps", "note": "No policy."},
        {"condition": CHOICE, "note": TEXT},
    ),
    "outcome_propose": (
        services.outcome_propose,
        lambda c, d: {"disagreement": d, "by": c.at("school", 2), "text": "Agreed."},
        {"text": TEXT},
    ),
    "action_add": (
        services.action_add,
        lambda c, d: {"disagreement": d, "by": c.at("school", 2), "description": "Visit.", "owner": None},
        {"description": TEXT, "owner": [], "due_on": ["tomorrow", 42, datetime(2030, 1, 1), date(1, 1, 1)]},
    ),
    "disagreement_escalate": (
        services.disagreement_escalate,
        lambda c, d: {"disagreement": d, "by": c.at("school", 2), "reason": "Still disputed."},
        {"reason": TEXT, "from_stage": [42, "x" * 1000, "a\x00b"], "started_at": MOMENT[:-1]},
    ),
    "disagreement_withdraw": (
        services.disagreement_withdraw,
        lambda c, d: {"disagreement": d, "by": c.at("school", 1), "reason": "Sorted."},
        {"reason": TEXT},
    ),
    "feedback_give": (
        services.feedback_give,
        lambda c, d: {"disagreement": d, "by": c.at("csc", 1), "text": "Visited."},
        {"text": TEXT},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_value_of_the_wrong_kind_is_a_resolve_error_and_changes_nothing(
    name: str, cast_for: Callable[[str], Cast]
) -> None:
    service, good, bad = CASES[name]
    cast = cast_for("enfield")
    d = raise_one(cast)
    for argument, values in bad.items():
        for value in values or people():
            before = state()
            kwargs = {**good(cast, d), argument: value}
            with pytest.raises(ResolveError):
                service(**kwargs)
            assert state() == before, f"{argument}={value!r:.40}"
