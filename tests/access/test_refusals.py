"""A call the access policy refuses leaves one ACCESS_REFUSED entry, written after the service's rollback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, Refused
from resolve.disagreements import services
from resolve.disagreements.models import Action, Disagreement
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("enfield")
    return cast, raise_one(cast)


def refusals() -> list[Event]:
    return list(Event.objects.filter(verb=Verb.ACCESS_REFUSED))


def test_an_outsiders_refused_call_leaves_its_access_refused_entry_and_no_other_change(
    enfield: tuple[Cast, Disagreement],
) -> None:
    cast, d = enfield
    outsider = cast.at("police", 1)
    with nothing_changes(), pytest.raises(NotFound):
        services.disagreement_escalate(disagreement=d, by=outsider, reason="Probing.")
    (entry,) = refusals()
    assert entry.actor == outsider
    assert entry.partnership == outsider.partnership
    assert entry.data == {"requested": str(d.pk), "action": "escalate"}


def test_a_refusal_of_someone_who_sees_it_is_on_the_disagreements_trail(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    practitioner = cast.at("school", 1)
    with nothing_changes(), pytest.raises(Refused):
        services.disagreement_escalate(disagreement=d, by=practitioner, reason="Still unresolved.")
    (entry,) = refusals()
    assert (entry.actor, entry.disagreement) == (practitioner, d)
    assert entry.data == {"action": "escalate", "stage": "stage-1"}
    assert practitioner.name not in str(entry.data)


def test_the_refusal_entry_survives_the_rollback_of_what_the_service_had_done(
    enfield: tuple[Cast, Disagreement],
) -> None:
    cast, d = enfield

    @service
    def writes_then_is_refused(*, disagreement: Disagreement, by: Person) -> None:
        Action.objects.create(
            disagreement=disagreement,
            stage_run=disagreement.stage_runs.get(),
            description="Written before the refusal.",
            created_by=cast.at("school", 2),
            created_at=timezone.now(),
        )
        require(by, Can.RECORD, disagreement)

    with pytest.raises(NotFound):
        writes_then_is_refused(disagreement=d, by=cast.at("health", 3))
    assert not Action.objects.exists()
    assert len(refusals()) == 1


@pytest.mark.parametrize("caught", [True, False])
def test_a_refusal_inside_a_service_that_calls_services_is_recorded_once(
    enfield: tuple[Cast, Disagreement], caught: bool
) -> None:
    cast, d = enfield

    @service
    def outer(*, disagreement: Disagreement, by: Person) -> None:
        try:
            services.feedback_give(disagreement=disagreement, by=by, text="Probing.")
        except NotFound:
            if not caught:
                raise

    if caught:
        outer(disagreement=d, by=cast.at("police", 2))
    else:
        with pytest.raises(NotFound):
            outer(disagreement=d, by=cast.at("police", 2))
    assert len(refusals()) == 1


def test_refusals_for_bad_input_or_state_are_not_access_refusals(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    with pytest.raises(Refused, match="has no written outcome yet"):
        services.disagreement_resolve(disagreement=d, by=cast.at("school", 2))
    assert refusals() == []
