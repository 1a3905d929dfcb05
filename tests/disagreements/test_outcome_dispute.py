"""An agency in dispute disputes the proposed written outcome, with its reason: kept, audited, final for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from resolve.access.policy import Action, allowed
from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, OutcomeDispute, WrittenOutcome
from resolve.disagreements.retention import retention_apply
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def proposed(cast: Cast, **kwargs: object) -> tuple[Disagreement, WrittenOutcome]:
    d = raise_one(cast, **kwargs)  # type: ignore[arg-type]
    return d, services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="A home visit on Monday.")


@contextmanager
def no_dispute_kept() -> Iterator[None]:
    with nothing_changes():
        yield
    assert not OutcomeDispute.objects.exists()


def test_a_party_agency_disputes_the_outcome_with_its_reason_kept_and_in_the_audit_trail(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    dispute = services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="  No visit is possible.  ")
    assert (dispute.agency, dispute.person, dispute.reason) == (
        enfield.agencies["csc"],
        enfield.at("csc", 2),
        "No visit is possible.",
    )
    event = Event.objects.get(verb=Verb.OUTCOME_DISPUTED)
    assert event.disagreement_id == d.pk
    assert event.actor == enfield.at("csc", 2)
    assert event.data["outcome"] == str(outcome.pk)
    assert event.data["agency"] == str(enfield.agencies["csc"].pk)
    assert "No visit" not in str(event.data)  # the trail keeps identifiers, never the words


def test_the_disputing_agency_cannot_then_confirm_it_and_is_no_longer_asked_to(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="No visit is possible.")
    with nothing_changes(), pytest.raises(Refused, match=r"disputed this outcome .* escalated to the next stage"):
        services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 3))
    assert not allowed(enfield.at("csc", 2), Action.CONFIRM_OUTCOME, outcome.disagreement)


def test_a_new_proposal_asks_the_disputing_agency_again(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="No visit is possible.")
    newer = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="A visit on Tuesday.")
    assert allowed(enfield.at("csc", 2), Action.CONFIRM_OUTCOME, d)
    services.outcome_confirm(outcome=newer, by=enfield.at("csc", 2))
    services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))


def test_an_agency_disputes_once(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="No visit is possible.")
    with nothing_changes(), pytest.raises(Refused, match="disputed this outcome"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 4), reason="Again.")
    assert OutcomeDispute.objects.count() == 1


def test_an_agency_that_confirmed_it_cannot_dispute_it(enfield: Cast) -> None:
    _, outcome = proposed(enfield)  # proposing confirms it for the school
    with no_dispute_kept(), pytest.raises(Refused, match="already confirmed this outcome"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("school", 3), reason="Changed our mind.")


@pytest.mark.parametrize("reason", ["", "   ", None, ["a list"], "x" * 20_001])
def test_a_dispute_needs_a_reason_as_text(enfield: Cast, reason: object) -> None:
    _, outcome = proposed(enfield)
    with no_dispute_kept(), pytest.raises(ResolveError) as refused:
        services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason=reason)  # type: ignore[arg-type]
    assert refused.value.field == "reason"
    assert refused.value.status == 400


def test_only_the_current_outcome_can_be_disputed(enfield: Cast) -> None:
    d, old = proposed(enfield)
    services.outcome_propose(disagreement=d, by=enfield.at("csc", 2), text="A visit on Tuesday.")
    with no_dispute_kept(), pytest.raises(Refused, match="not the current proposed outcome"):
        services.outcome_dispute(outcome=old, by=enfield.at("school", 2), reason="Tuesday is better.")


def test_an_outcome_of_an_earlier_stage_cannot_be_disputed(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    services.discussion_record(
        disagreement=d, by=enfield.at("school", 2), held_at=d.raised_at, method="telephone", summary="We spoke."
    )
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="No agreement.")
    with no_dispute_kept(), pytest.raises(Refused, match="not the current proposed outcome"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 4), reason="Too late.")


# Hostile callers: each is refused, nothing is kept, and a refusal by the policy is audited.


def test_someone_in_another_partnership_is_told_it_does_not_exist(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    _, outcome = proposed(enfield)
    stranger = cast_for("enfield").at("csc", 5)
    with no_dispute_kept(), pytest.raises(NotFound, match="no such disagreement"):
        services.outcome_dispute(outcome=outcome, by=stranger, reason="Not ours.")
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=stranger).count() == 1


def test_an_outsider_in_the_partnership_is_told_it_does_not_exist(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    with no_dispute_kept(), pytest.raises(NotFound, match="no such disagreement"):
        services.outcome_dispute(outcome=outcome, by=enfield.role("business-unit"), reason="Not ours.")


def test_an_agency_not_in_dispute_that_takes_part_cannot_dispute(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    services.participant_add(
        disagreement=d, by=enfield.at("school", 2), person=enfield.at("health", 2), capacity="attendee"
    )
    with no_dispute_kept(), pytest.raises(Refused, match="Only someone in one of the agencies in dispute"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("health", 2), reason="We were there.")
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=enfield.at("health", 2)).count() == 1


def test_someone_below_the_stages_level_cannot_dispute(enfield: Cast) -> None:
    _, outcome = proposed(enfield)
    with no_dispute_kept(), pytest.raises(Refused, match="Ask your line manager to act"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 1), reason="I disagree.")


def test_a_closed_disagreement_cannot_be_disputed(enfield: Cast) -> None:
    d, outcome = proposed(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Sorted out.")
    with no_dispute_kept(), pytest.raises(Refused, match="withdrawn disagreement cannot be given an outcome"):
        services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="Too late.")


def test_the_reason_for_a_dispute_is_erased_with_the_rest_at_the_end_of_retention(enfield: Cast, time_machine) -> None:
    enfield.partnership.retention_days = 365
    enfield.partnership.save()
    time_machine.move_to(at("2025-01-06T10:00"), tick=False)
    d, outcome = proposed(enfield)
    services.outcome_dispute(outcome=outcome, by=enfield.at("csc", 2), reason="The child's name is Sam.")
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Sorted out.")
    time_machine.move_to(at("2026-02-01T10:00"), tick=False)
    retention_apply(by=Operator.current())
    dispute = OutcomeDispute.objects.get()
    assert dispute.reason == ""
    assert dispute.agency == enfield.agencies["csc"]  # who disputed stays, for the figures
