"""Deadlines as the seeds state them: set for the case under a cap, and counted from when events happened.

- Cumbria L35: the Executive Manager/Lead applies "an appropriate timescale lasting no longer than 7
  working days": a date for the case, earlier than the cap, stored beside it with who set it and why.
- NEL L159 (READING 1.6): the equally divided adjournment is "not exceeding 15 working days" from the
  adjourned conference; the reconvene date may be set earlier, never later.

Hand-computed against England's bank holidays: 25 and 28 December 2026, 1 January 2027.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, StageDeadline
from resolve.disagreements.selectors import work_for
from resolve.partnerships.services import calendar_day_set
from tests.conftest import Cast
from tests.disagreements.test_services import OPERATOR, nothing_changes, raise_one

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def local(moment: datetime | None) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") if moment else "no date"


def governing(d: Disagreement) -> dict[str, str]:
    run = d.stage_runs.get(ended_at__isnull=True)
    return {x.timescale: local(x.due) for x in run.governing_deadlines() if x.due is not None}


@pytest.fixture
def cumbria(cast_for: Callable[[str], Cast], time_machine) -> tuple[Cast, Disagreement]:
    cast = cast_for("cumbria")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection today.")
    return cast, d


# --- a deadline set for the case (Cumbria L35, NEL L159) ------------------------------------------


def test_executive_lead_sets_an_earlier_timescale_than_the_7_working_day_cap_l35(cumbria) -> None:
    cast, d = cumbria
    # the cap: 7 working days from Monday 21 Dec: 22, 23, 24, 29, 30, 31 Dec, 4 Jan
    assert governing(d) == {"decision": "2027-01-04 17:00"}
    lead = cast.at("school", 4)
    deadline = services.deadline_set_for_case(
        disagreement=d, by=lead, timescale="decision", due=at("2026-12-23T17:00"), reason="Discharge on the 24th."
    )
    assert (deadline.kind, deadline.set_by, deadline.reason) == (
        StageDeadline.Kind.SET_FOR_CASE,
        lead,
        "Discharge on the 24th.",
    )
    assert deadline.cap is not None
    assert local(deadline.cap.due) == "2027-01-04 17:00"  # the cap stays, beside it
    assert "at most: an earlier date may be set for the case" in deadline.cap.rule
    assert deadline.source == "L35"
    assert "earlier than the procedure's cap" in deadline.rule
    # the earlier one governs: the cap gives way to it
    assert governing(d) == {"decision-for-case": "2026-12-23 17:00"}
    event = Event.objects.get(disagreement=d, verb=Verb.DEADLINE_SET, data__timescale="decision-for-case")
    assert event.data["set_for_case"] is True
    assert event.data["due"] == at("2026-12-23T17:00").isoformat()
    assert lead.name not in str(event.data)


def test_the_dashboard_shows_the_case_deadline_not_the_cap_it_shortens_l35(cumbria, time_machine) -> None:
    cast, d = cumbria
    services.deadline_set_for_case(
        disagreement=d,
        by=cast.at("school", 4),
        timescale="decision",
        due=at("2026-12-22T12:00"),
        reason="The child moves on the 23rd.",
    )
    time_machine.move_to(at("2026-12-22T13:00"), tick=False)
    work = work_for(person=cast.at("school", 4))
    assert [local(item.deadline.due) for item in work.overdue if item.deadline] == ["2026-12-22 12:00"]


def test_setting_it_again_replaces_the_earlier_case_deadline_and_keeps_it_l35(cumbria) -> None:
    cast, d = cumbria
    lead = cast.at("csc", 4)
    first = services.deadline_set_for_case(
        disagreement=d, by=lead, timescale="decision", due=at("2026-12-30T17:00"), reason="Before the review."
    )
    services.deadline_set_for_case(
        disagreement=d, by=lead, timescale="decision", due=at("2026-12-24T12:00"), reason="Sooner: new concerns."
    )
    first.refresh_from_db()
    assert first.replaced_at is not None
    assert governing(d) == {"decision-for-case": "2026-12-24 12:00"}


def test_a_date_later_than_the_cap_is_refused_and_changes_nothing_l35(cumbria) -> None:
    cast, d = cumbria
    with nothing_changes(), pytest.raises(Refused, match="later than the procedure allows") as caught:
        services.deadline_set_for_case(
            disagreement=d, by=cast.at("school", 4), timescale="decision", due=at("2027-01-05T09:00"), reason="Later."
        )
    assert "17:00 on 04 January 2027" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timescale": "decision-child-protection"}, "timescale"),  # not marked case_may_set (or not current)
        ({"timescale": "nothing"}, "timescale"),
        ({"due": "2026-12-23"}, "due"),
        ({"due": datetime(2026, 12, 23, 17, 0)}, "due"),  # no time zone
        ({"due": at("2026-12-21T09:00")}, "due"),  # already past
        ({"reason": "  "}, "reason"),
    ],
)
def test_bad_input_for_a_case_deadline_names_the_field_and_changes_nothing(cumbria, change, field) -> None:
    cast, d = cumbria
    values: dict[str, object] = {"timescale": "decision", "due": at("2026-12-23T17:00"), "reason": "Sooner."}
    values.update(change)
    with nothing_changes(), pytest.raises(ResolveError) as caught:
        services.deadline_set_for_case(disagreement=d, by=cast.at("school", 4), **values)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_below_the_stages_authority_a_case_deadline_is_refused_l35(cumbria) -> None:
    cast, d = cumbria
    with pytest.raises(Refused, match="authority of the current stage"):
        services.deadline_set_for_case(
            disagreement=d, by=cast.at("school", 1), timescale="decision", due=at("2026-12-23T17:00"), reason="Now."
        )
    with pytest.raises(NotFound):
        services.deadline_set_for_case(
            disagreement=d, by=cast.at("police", 4), timescale="decision", due=at("2026-12-23T17:00"), reason="Now."
        )


def test_a_stage_whose_procedure_sets_no_cap_for_the_case_refuses_one(cast_for, time_machine) -> None:
    """Cumbria's Executive Lead stage has no timescale at all (READING 5): nothing to shorten."""
    cast = cast_for("cumbria")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(cast, urgent=True, start_stage="executive-lead", urgent_reason="Today.")
    with nothing_changes(), pytest.raises(Refused, match="sets no deadline"):
        services.deadline_set_for_case(
            disagreement=d, by=cast.at("school", 4), timescale="decision", due=at("2026-12-23T17:00"), reason="Now."
        )


# --- events dated when they happened (NEL L159) -----------------------------------------------------


@pytest.fixture
def nel(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("north-east-lincolnshire")


def raise_adjourned(cast: Cast, *, started_at: object) -> Disagreement:
    return raise_one(cast, pathway="conference-equally-divided", conference_kind="initial", started_at=started_at)


def test_adjournment_counts_15_working_days_from_the_conference_not_from_its_entry_l159(nel, time_machine) -> None:
    # the conference was on Wednesday 16 December; it is typed in on Friday 18th
    time_machine.move_to(at("2026-12-18T10:00"), tick=False)
    d = raise_adjourned(nel, started_at=at("2026-12-16T14:00"))
    run = d.stage_runs.get()
    assert (local(d.raised_at), local(d.entered_at), local(run.started_at)) == (
        "2026-12-16 14:00",
        "2026-12-18 10:00",
        "2026-12-16 14:00",
    )
    reconvene = run.current_deadlines().get(timescale="reconvene")
    # 17, 18, 21, 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11 Jan: as if entered on the day
    assert local(reconvene.due) == "2027-01-11 17:00"
    assert "15 working days from the adjourned conference on 16 December 2026" in reconvene.rule
    raised = Event.objects.get(disagreement=d, verb=Verb.RAISED)
    assert raised.actor == nel.at("school", 1)  # who entered it
    assert raised.data["started_at"] == at("2026-12-16T14:00").isoformat()
    assert local(raised.at) == "2026-12-18 10:00"  # the trail records when it was entered
    started = Event.objects.get(disagreement=d, verb=Verb.STAGE_STARTED)
    assert started.data["started_at"] == at("2026-12-16T14:00").isoformat()


def test_entered_the_same_day_it_counts_from_the_conference_time_l159(nel, time_machine) -> None:
    time_machine.move_to(at("2026-12-16T16:30"), tick=False)
    d = raise_adjourned(nel, started_at=at("2026-12-16T11:00"))
    assert local(d.stage_runs.get().started_at) == "2026-12-16 11:00"


def test_the_conference_chair_sets_an_earlier_reconvene_date_l125_l159(nel, time_machine) -> None:
    """READING 1.6: "any earlier reconvene date the chair sets"; the chair handles the adjournment (L125)."""
    time_machine.move_to(at("2026-12-18T10:00"), tick=False)
    d = raise_adjourned(nel, started_at=at("2026-12-16T14:00"))
    deadline = services.deadline_set_for_case(
        disagreement=d,
        by=nel.role("conference-chair"),
        timescale="reconvene",
        due=at("2027-01-07T10:00"),
        reason="All agencies can attend on 7 January.",
    )
    assert deadline.set_by == nel.role("conference-chair")
    assert governing(d) == {"reconvene-for-case": "2027-01-07 10:00"}


def test_the_chair_or_line_manager_sets_an_earlier_reconvene_date_never_a_later_one_l159(nel, time_machine) -> None:
    time_machine.move_to(at("2026-12-18T10:00"), tick=False)
    d = raise_adjourned(nel, started_at=at("2026-12-16T14:00"))
    manager = nel.at("school", 2)  # the stage's handlers: each member of staff's line manager (L161-163)
    with pytest.raises(Refused, match="later than the procedure allows"):
        services.deadline_set_for_case(
            disagreement=d, by=manager, timescale="reconvene", due=at("2027-01-12T10:00"), reason="Holidays."
        )
    services.deadline_set_for_case(
        disagreement=d, by=manager, timescale="reconvene", due=at("2027-01-06T10:00"), reason="Report due then."
    )
    assert governing(d) == {"reconvene-for-case": "2027-01-06 10:00"}


@pytest.mark.parametrize(
    ("started_at", "message"),
    [
        (at("2026-12-18T10:05"), "cannot be in the future"),
        (at("2026-11-19T10:00"), "up to four weeks back"),
        (datetime(2026, 12, 16, 14, 0), "time zone"),
        ("2026-12-16", "time zone"),
    ],
)
def test_a_start_in_the_future_too_long_ago_or_without_a_time_zone_is_refused(
    nel, time_machine, started_at, message
) -> None:
    time_machine.move_to(at("2026-12-18T10:00"), tick=False)
    with nothing_changes(), pytest.raises(ResolveError, match=message) as caught:
        raise_adjourned(nel, started_at=started_at)
    assert caught.value.field == "started_at"


def enfield_stage_1_discussed(cast_for, time_machine) -> tuple[Cast, Disagreement]:
    """An Enfield disagreement raised on Monday 21 December 2026 at 10:00, its stage-1 discussion recorded."""
    cast = cast_for("enfield")
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(cast)
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", 2),
        held_at=at("2026-12-21T10:00"),
        method="telephone",
        with_people=[cast.at("csc", 2)],
        summary="No agreement.",
    )
    return cast, d


def test_a_stage_entered_late_counts_from_when_it_began_l62(cast_for, time_machine) -> None:
    """Enfield L62: the referral by the next working day counts from stage 2's real start, not its entry."""
    cast, d = enfield_stage_1_discussed(cast_for, time_machine)
    # stage 2 began on Monday at 16:00 (the concern continued); it is entered on Tuesday morning
    time_machine.move_to(at("2026-12-22T09:30"), tick=False)
    run = services.disagreement_escalate(
        disagreement=d, by=cast.at("school", 2), reason="Still unresolved.", started_at=at("2026-12-21T16:00")
    )
    assert local(run.started_at) == "2026-12-21 16:00"
    referral = run.current_deadlines().get(timescale="referral")
    assert local(referral.due) == "2026-12-22 17:00"  # the next working day after Monday, not after Tuesday
    first = d.stage_runs.get(stage="stage-1")
    assert local(first.ended_at) == "2026-12-21 16:00"
    started = Event.objects.get(disagreement=d, verb=Verb.STAGE_STARTED, data__stage="stage-2")
    assert started.actor == cast.at("school", 2)
    assert started.data["started_at"] == at("2026-12-21T16:00").isoformat()


def test_a_stage_cannot_be_dated_before_the_stage_it_follows(cast_for, time_machine) -> None:
    cast, d = enfield_stage_1_discussed(cast_for, time_machine)
    time_machine.move_to(at("2026-12-22T09:30"), tick=False)
    with nothing_changes(), pytest.raises(ResolveError, match="after Stage 1 began") as caught:
        services.disagreement_escalate(
            disagreement=d, by=cast.at("school", 2), reason="Still unresolved.", started_at=at("2026-12-21T09:00")
        )
    assert caught.value.field == "started_at"


def test_after_a_recalculation_moves_the_cap_the_case_deadline_still_governs_l35(cumbria) -> None:
    cast, d = cumbria
    services.deadline_set_for_case(
        disagreement=d, by=cast.at("school", 4), timescale="decision", due=at("2026-12-23T17:00"), reason="Sooner."
    )
    calendar_day_set(
        partnership=cast.partnership, day=date(2026, 12, 22), kind="closure", reason="Training day", by=OPERATOR
    )
    assert services.deadlines_recalculate(partnership=cast.partnership, by=OPERATOR, reason="Training day") == 1
    run = d.stage_runs.get()
    assert local(run.current_deadlines().get(timescale="decision").due) == "2027-01-05 17:00"  # the new cap
    assert governing(d) == {"decision-for-case": "2026-12-23 17:00"}
