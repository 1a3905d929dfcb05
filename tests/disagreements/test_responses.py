"""The raiser's answer to feedback or an outcome (raiser_respond): only the raiser, only when there is
something to answer, and asking for it to go further tells those who can escalate it; it escalates nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def with_feedback(cast: Cast) -> Disagreement:
    d = raise_one(cast)
    services.feedback_give(disagreement=d, by=cast.at("csc", 1), text="A social worker visits on Monday.")
    return d


def test_the_raiser_accepts_the_feedback_and_it_is_recorded(enfield: Cast) -> None:
    d = with_feedback(enfield)
    entry = services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=True, reason="")
    assert entry.kind == RecordEntry.Kind.RAISER_RESPONSE
    assert entry.data["answer"] == "accepted"
    assert Event.objects.filter(disagreement=d, verb=Verb.RAISER_ACCEPTED).count() == 1
    assert not Notice.objects.filter(disagreement=d, source="raiser_response").exists()
    d.refresh_from_db()
    assert d.is_open  # accepting closes nothing: resolving is the stage's handlers'


def test_asking_for_it_to_go_further_tells_the_stages_authority_and_the_raisers_line_manager(enfield: Cast) -> None:
    d = with_feedback(enfield)
    runs_before = d.stage_runs.count()
    services.raiser_respond(
        disagreement=d, by=enfield.at("school", 1), accepts=False, reason="The visit does not answer the concern."
    )
    notice = Notice.objects.get(disagreement=d, source="raiser_response")
    told = set(notice.recipients.all())
    assert enfield.at("school", 2) in told  # her line manager, who holds the authority to escalate
    assert enfield.at("school", 1) not in told
    assert notice.timing == ""  # no invented timescale
    assert Event.objects.filter(disagreement=d, verb=Verb.RAISER_ASKED_FURTHER).count() == 1
    assert d.stage_runs.count() == runs_before  # the raiser cannot escalate by themself


def test_an_outcome_proposed_can_be_answered_too(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Assessment starts on Monday.")
    entry = services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=True, reason="Thank you.")
    assert entry.data["reason"] == "Thank you."


def test_someone_else_in_the_raising_agency_cannot_answer_for_the_raiser(enfield: Cast) -> None:
    d = with_feedback(enfield)
    with nothing_changes(), pytest.raises(Refused, match="Only the person who raised this disagreement"):
        services.raiser_respond(disagreement=d, by=enfield.at("school", 2), accepts=True, reason="")


def test_the_other_agency_cannot_answer(enfield: Cast) -> None:
    d = with_feedback(enfield)
    with nothing_changes(), pytest.raises(Refused, match="Only the person who raised"):
        services.raiser_respond(disagreement=d, by=enfield.at("csc", 1), accepts=False, reason="Push it.")


def test_an_outsider_is_told_there_is_no_such_disagreement_and_it_is_logged(enfield: Cast) -> None:
    d = with_feedback(enfield)
    outsider = enfield.at("health", 5)
    with pytest.raises(NotFound):
        services.raiser_respond(disagreement=d, by=outsider, accepts=True, reason="")
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider).count() == 1
    assert not RecordEntry.objects.filter(disagreement=d, kind=RecordEntry.Kind.RAISER_RESPONSE).exists()


def test_there_is_nothing_to_answer_before_feedback_or_an_outcome(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(Refused, match="There is nothing to answer yet"):
        services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=True, reason="")


def test_the_same_feedback_is_answered_once_and_new_feedback_can_be_answered_again(enfield: Cast) -> None:
    d = with_feedback(enfield)
    raiser = enfield.at("school", 1)
    services.raiser_respond(disagreement=d, by=raiser, accepts=True, reason="")
    with nothing_changes(), pytest.raises(Refused, match="already answered"):
        services.raiser_respond(disagreement=d, by=raiser, accepts=False, reason="Changed my mind.")
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="The visit has been moved.")
    services.raiser_respond(disagreement=d, by=raiser, accepts=False, reason="Too late for the child.")


def test_asking_for_it_to_go_further_needs_a_reason(enfield: Cast) -> None:
    d = with_feedback(enfield)
    with nothing_changes(), pytest.raises(ResolveError, match="Enter why you ask for it to go further") as refusal:
        services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=False, reason="   ")
    assert refusal.value.field == "reason"


@pytest.mark.parametrize("accepts", ["no", 0, None, "false"])
def test_an_answer_that_is_not_yes_or_no_is_refused(enfield: Cast, accepts: object) -> None:
    d = with_feedback(enfield)
    with nothing_changes(), pytest.raises(ResolveError) as refusal:
        services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=accepts, reason="x")  # type: ignore[arg-type]
    assert refusal.value.field == "accepts"


@pytest.mark.parametrize("reason", [["a list"], 42, "nul\x00here", "x" * 20_001])
def test_a_reason_that_cannot_be_stored_is_refused(enfield: Cast, reason: object) -> None:
    d = with_feedback(enfield)
    with nothing_changes(), pytest.raises(ResolveError) as refusal:
        services.raiser_respond(disagreement=d, by=enfield.at("school", 1), accepts=True, reason=reason)  # type: ignore[arg-type]
    assert refusal.value.field == "reason"


def test_after_it_closes_the_raiser_may_accept_the_feedback_but_not_ask_for_more_on_it(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Sorted by phone.")
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="We have visited.")
    raiser = enfield.at("school", 1)
    with nothing_changes(), pytest.raises(Refused, match="raise a new disagreement"):
        services.raiser_respond(disagreement=d, by=raiser, accepts=False, reason="Not enough.")
    services.raiser_respond(disagreement=d, by=raiser, accepts=True, reason="")
