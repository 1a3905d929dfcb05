"""Cross-borough disagreements (Enfield section 9, L88-90): raising with another partnership's agency,
inviting its counterpart at the stage's level, and what the other partnership's people can then do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Notice, Participant
from resolve.disagreements.raise_choices import agencies_chosen, counterparts_choosable, raise_choices_for
from resolve.partnerships.models import Partnership, Person
from tests.conftest import Cast
from tests.disagreements.test_services import nothing_changes
from tests.factories import AgencyFactory, ChildFactory, PartnershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@dataclass
class Two:
    """Enfield (``a``, raising) and a neighbouring borough on the same protocol (``b``)."""

    a: Cast
    b: Cast


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> Two:
    return Two(cast_for("enfield"), cast_for("enfield"))


def raise_cross(two: Two, *, by: tuple[str, int] = ("school", 1), **kwargs: Any) -> Disagreement:
    arguments: dict[str, object] = {
        "category": "threshold-referral",
        "expected": "An assessment.",
        "why": "Threshold judged too high.",
        "what_needed": "A home visit.",
        "other_agencies": [two.b.agencies["csc"]],
        "pathway": "escalation",
    }
    arguments.update(kwargs)
    return services.disagreement_raise(
        by=two.a.at(*by),
        child=ChildFactory.create(partnership=two.a.partnership),
        **arguments,  # type: ignore[arg-type]
    )


def talk(d: Disagreement, by: Person) -> None:
    services.discussion_record(
        disagreement=d,
        by=by,
        held_at=datetime.now(LONDON) - timedelta(minutes=1),
        method="telephone",
        summary="Talked.",
    )


def to_step_4(cast: Cast, d: Disagreement) -> None:
    """Escalate through Enfield's stages 1-3 by the raising school's people at each stage's level."""
    for level in (2, 3, 4):
        talk(d, cast.at("school", level))
        services.disagreement_escalate(disagreement=d, by=cast.at("school", level), reason="Still unresolved.")
    d.refresh_from_db()


# Raising -----------------------------------------------------------------------------------------------


def test_the_raise_offers_other_partnerships_agencies_grouped_by_partnership(two: Two) -> None:
    no_procedure = PartnershipFactory.create(procedure=None, name="Not on Resolve yet")
    AgencyFactory.create(partnership=no_procedure, name="Elsewhere agency")
    retired = AgencyFactory.create(partnership=two.b.partnership, name="Closed agency", retired_at=timezone.now())
    choices = raise_choices_for(person=two.a.at("school", 1))
    assert [a.name for a in choices.agencies] == ["Children's Social Care", "Community Health", "Police"]
    [(partnership, agencies)] = choices.elsewhere
    assert partnership == two.b.partnership  # a partnership without a procedure is not offered
    assert [a.name for a in agencies] == sorted(a.name for a in two.b.agencies.values())
    assert retired not in agencies
    chosen = agencies_chosen(person=two.a.at("school", 1), ids=[str(two.b.agencies["csc"].pk), str(retired.pk)])
    assert chosen == [two.b.agencies["csc"]]
    # the other partnership's people are invited once it is raised, not named at raising
    assert counterparts_choosable(person=two.a.at("school", 1), agency_ids=[str(two.b.agencies["csc"].pk)]) == []


def test_raising_with_another_partnerships_agency_sets_enfields_cross_borough_flag(two: Two) -> None:
    d = raise_cross(two, other_agencies=[two.a.agencies["csc"], two.b.agencies["police"]])
    assert d.partnership == two.a.partnership
    assert d.flags == ["cross-borough"]
    assert set(d.other_agencies.all()) == {two.a.agencies["csc"], two.b.agencies["police"]}
    raised = Event.objects.get(disagreement=d, verb=Verb.RAISED)
    assert str(two.b.agencies["police"].pk) in raised.data["other_agencies"]
    # Enfield's section 9 instruction applies at stage 2, and its notice there (L88-90): see the escalation below


def test_a_procedure_without_a_cross_borough_flag_still_allows_it(cast_for: Callable[[str], Cast]) -> None:
    cumbria, enfield = cast_for("cumbria"), cast_for("enfield")
    d = services.disagreement_raise(
        by=cumbria.at("school", 1),
        child=ChildFactory.create(partnership=cumbria.partnership),
        other_agencies=[enfield.agencies["csc"]],
        category=cumbria.partnership.procedure.procedure.categories[0].slug,  # type: ignore[union-attr]
        expected="An assessment.",
        why="Threshold.",
        what_needed="A visit.",
    )
    assert d.flags == []
    assert list(d.other_agencies.all()) == [enfield.agencies["csc"]]


@pytest.mark.parametrize("problem", ["no procedure", "retired", "named counterpart"])
def test_raising_refuses_what_cannot_be_chosen_and_changes_nothing(two: Two, problem: str) -> None:
    if problem == "no procedure":
        elsewhere = PartnershipFactory.create(procedure=None)
        kwargs: dict[str, Any] = {"other_agencies": [AgencyFactory.create(partnership=elsewhere)]}
        field, words = "other_agencies", "has not adopted a procedure"
    elif problem == "retired":
        kwargs = {"other_agencies": [AgencyFactory.create(partnership=two.b.partnership, retired_at=timezone.now())]}
        field, words = "other_agencies", "has left the partnership"
    else:
        kwargs = {"counterparts": [two.b.at("csc", 2)]}
        field, words = "counterparts", "invite them once the disagreement is raised"
    with nothing_changes(), pytest.raises(ResolveError, match=words) as refused:
        raise_cross(two, **kwargs)
    assert refused.value.field == field


# Inviting the counterpart ------------------------------------------------------------------------------


def test_the_raiser_invites_the_other_partnerships_counterpart_at_the_stages_level(two: Two) -> None:
    d = raise_cross(two)
    counterpart = two.b.at("csc", 2)  # Enfield stage 1: the first line manager, Appendix B Level 2
    assert [(a, level, people) for a, level, people in services.counterparts_invitable(d)] == [
        (two.b.agencies["csc"], 2, [two.b.at("csc", 2), two.b.at("csc", 3), two.b.at("csc", 4), two.b.at("csc", 5)])
    ]
    participant = services.counterpart_invite(disagreement=d, person=counterpart, by=two.a.at("school", 1))
    assert (participant.person, participant.capacity) == (counterpart, Participant.Capacity.COUNTERPART)
    invited = Event.objects.get(disagreement=d, verb=Verb.COUNTERPART_INVITED)
    assert invited.actor == two.a.at("school", 1)
    assert invited.data == {
        "person": str(counterpart.pk),
        "agency": str(two.b.agencies["csc"].pk),
        "partnership": str(two.b.partnership.pk),
        "stage": "stage-1",
        "level": 2,
    }
    assert counterpart.name not in str(invited.data)  # identifiers only in the trail
    notice = Notice.objects.get(disagreement=d, kind=Notice.Kind.COUNTERPART_INVITED)
    assert list(notice.recipients.all()) == [counterpart]
    assert two.a.partnership.name in notice.what
    assert notice.source == "L88-90"
    assert counterpart not in [p for _a, _l, people in services.counterparts_invitable(d) for p in people]


@pytest.mark.parametrize(
    "who",
    ["below the level", "own partnership", "agency not in dispute", "inactive", "twice", "not a person"],
)
def test_an_invitation_that_cannot_be_made_is_refused_and_changes_nothing(two: Two, who: str) -> None:
    d = raise_cross(two, other_agencies=[two.a.agencies["csc"], two.b.agencies["csc"]])
    raiser = two.a.at("school", 1)
    person: object = {
        "below the level": two.b.at("csc", 1),
        "own partnership": two.a.at("csc", 2),
        "agency not in dispute": two.b.at("police", 3),
        "inactive": two.b.at("csc", 3),
        "twice": two.b.at("csc", 4),
        "not a person": "someone",
    }[who]
    if who == "inactive":
        two.b.at("csc", 3).is_active = False
        two.b.at("csc", 3).save()
    if who == "twice":
        services.counterpart_invite(disagreement=d, person=two.b.at("csc", 4), by=raiser)
    with nothing_changes(), pytest.raises(Refused if who == "twice" else ResolveError) as refused:
        services.counterpart_invite(disagreement=d, person=person, by=raiser)  # type: ignore[arg-type]
    assert refused.value.field == "person"


def test_only_the_raiser_or_the_stages_authority_invites_and_only_where_another_partnership_is_in_dispute(
    two: Two,
) -> None:
    d = raise_cross(
        two, other_agencies=[two.a.agencies["csc"], two.b.agencies["csc"]], counterparts=[two.a.at("csc", 1)]
    )
    with nothing_changes(), pytest.raises(Refused, match="Only the person who raised it"):
        services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("csc", 1))
    with nothing_changes(), pytest.raises(NotFound):  # cannot see it
        services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.b.at("csc", 5))
    services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("school", 2))  # the level
    within = raise_cross(two, other_agencies=[two.a.agencies["csc"]])
    with nothing_changes(), pytest.raises(Refused, match="names no agency of another partnership"):
        services.counterpart_invite(disagreement=within, person=two.b.at("csc", 2), by=two.a.at("school", 1))


def test_a_closed_disagreement_takes_no_invitation(two: Two) -> None:
    d = raise_cross(two)
    services.disagreement_withdraw(disagreement=d, by=two.a.at("school", 1), reason="Agreed.")
    with nothing_changes(), pytest.raises(Refused, match="withdrawn"):
        services.counterpart_invite(disagreement=d, person=two.b.at("csc", 2), by=two.a.at("school", 1))


# Taking part -------------------------------------------------------------------------------------------


def test_the_invited_counterpart_acts_for_their_agency_at_their_level_under_the_raising_procedure(two: Two) -> None:
    d = raise_cross(two)
    counterpart = two.b.at("csc", 2)
    services.counterpart_invite(disagreement=d, person=counterpart, by=two.a.at("school", 1))
    talk(d, counterpart)  # records, at stage 1
    outcome = services.outcome_propose(disagreement=d, by=two.a.at("school", 2), text="A visit on Monday.")
    services.outcome_dispute(outcome=outcome, by=counterpart, reason="Not enough.")
    services.disagreement_escalate(disagreement=d, by=counterpart, reason="Still unresolved.")
    d.refresh_from_db()
    run = d.stage_runs.get(ended_at__isnull=True)
    assert run.stage == "stage-2"
    # stage 2 is a Head of Service: level 4 in children's social care (Appendix B), read from b's agency's
    # column against Enfield's matrix; Enfield's section 9 words and notice apply (the flag was set)
    assert run.deadlines.filter(timescale="cross-borough-escalation").exists()
    told = Notice.objects.get(disagreement=d, stage_run=run, what__startswith="Cross boroughs dispute")
    assert two.b.at("csc", 4) in told.recipients.all()
    # the counterpart's line manager at level 4 sees it through the chain, and acts at the level
    head = two.b.at("csc", 4)
    talk(d, head)
    with pytest.raises(Refused):
        services.disagreement_escalate(disagreement=d, by=counterpart, reason="Below the level now.")
    services.disagreement_escalate(disagreement=d, by=head, reason="Still unresolved.")
    d.refresh_from_db()
    assert d.stage_runs.get(ended_at__isnull=True).stage == "stage-3"


def test_step_4_involves_both_partnerships_chairs_and_tells_both_business_units(two: Two) -> None:
    d = raise_cross(two)
    to_step_4(two.a, d)
    step = d.stage_runs.get(ended_at__isnull=True)
    assert step.stage == "step-4"
    handlers = set(d.participants.filter(capacity=Participant.Capacity.HANDLER).values_list("person", flat=True))
    ours, theirs = two.a.role("escp-chair"), two.b.role("escp-chair")
    assert {ours.pk, theirs.pk, two.a.role("partnership-manager").pk, two.b.role("partnership-manager").pk} <= handlers
    # the other partnership's chair takes part: sees, records, and resolves at Step 4 (the last stage)
    talk(d, theirs)
    services.record_add(
        disagreement=d,
        by=theirs,
        kind="executive_summary",
        occurred_at=datetime.now(LONDON) - timedelta(minutes=1),
        fields={"summary": "Resolved between the boroughs."},
    )
    unit = {n.to: set(n.recipients.all()) for n in Notice.objects.filter(disagreement=d, stage_run=step)}
    assert {two.a.role("business-unit"), two.b.role("business-unit")} <= unit["business-unit"]
    assert {ours, theirs} <= unit["escp-chair"]
    # being told is not taking part: neither business unit is a participant
    assert not d.participants.filter(person__in=[two.a.role("business-unit"), two.b.role("business-unit")]).exists()
    # naming a reviewer and deciding stay with the raising partnership's roles: Step 4 names none, so
    # the chair's resolution needs the agencies' confirmations like any other stage
    outcome = services.outcome_propose(disagreement=d, by=two.a.at("school", 4), text="Agreed.")
    services.counterpart_invite(disagreement=d, person=two.b.at("csc", 4), by=two.a.at("school", 4))
    services.outcome_confirm(outcome=outcome, by=two.b.at("csc", 4))
    services.disagreement_resolve(disagreement=d, by=theirs)
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED


def test_a_different_procedure_next_door_matches_roles_by_kind(cast_for: Callable[[str], Cast]) -> None:
    enfield, cumbria = cast_for("enfield"), cast_for("cumbria")
    d = services.disagreement_raise(
        by=enfield.at("school", 1),
        child=ChildFactory.create(partnership=enfield.partnership),
        other_agencies=[cumbria.agencies["csc"]],
        category="threshold-referral",
        pathway="escalation",
        expected="An assessment.",
        why="Threshold.",
        what_needed="A visit.",
    )
    to_step_4(enfield, d)
    handlers = set(d.participants.filter(capacity=Participant.Capacity.HANDLER).values_list("person", flat=True))
    assert cumbria.role("scp-chair").pk in handlers  # a chair is a chair (kind: chair)
    told = {n.to: set(n.recipients.all()) for n in Notice.objects.filter(disagreement=d)}
    assert cumbria.role("scp-business-manager") in told["business-unit"]  # kind: business_unit
    assert cumbria.role("scp-member").pk not in handlers  # an independent reviewer is no chair
    assert Partnership.objects.count() == 2
    bystander = PersonFactory.create(partnership=cumbria.partnership, agency=cumbria.agencies["csc"], level=5)
    assert not d.participants.filter(person=bystander).exists()
