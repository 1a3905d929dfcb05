"""The disagreement lifecycle: what people can do, and what is refused with nothing changed."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from resolve.access.policy import Action as Can
from resolve.access.policy import allowed
from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import rules, services
from resolve.disagreements.models import (
    Action,
    Confirmation,
    Disagreement,
    Notice,
    Participant,
    RecordEntry,
    StageDeadline,
    StageRun,
    WrittenOutcome,
)
from resolve.disagreements.services import stages
from resolve.partnerships.models import Person, RoleAssignment
from resolve.partnerships.services import calendar_day_set, partnership_adopt_procedure
from resolve.procedures.services import procedure_version_store
from tests.conftest import Cast
from tests.disagreements.walker import Step, Walker
from tests.factories import ChildFactory, PersonFactory

OPERATOR = Operator(name="tests@localhost")  # reference-data changes are made by an administrator or operator

pytestmark = pytest.mark.django_db

TABLES: list[type[models.Model]] = [
    Disagreement,
    Disagreement.other_agencies.through,
    StageRun,
    StageDeadline,
    Participant,
    Event,
    RecordEntry,
    WrittenOutcome,
    Confirmation,
    Action,
    Notice,
    Notice.recipients.through,
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def local(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def snapshot() -> dict[type[models.Model], list[dict[str, object]]]:
    """Every row of every table a disagreement service writes, so that an update shows as well as an insert.

    An access refusal's own audit entry is left out: it is meant to stay (decision 0007).
    """
    found: dict[type[models.Model], list[dict[str, object]]] = {
        m: list(m._default_manager.order_by("pk").values()) for m in TABLES
    }
    found[Event] = [dict(row) for row in Event.objects.exclude(verb=Verb.ACCESS_REFUSED).order_by("pk").values()]
    return found


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


def written_request(
    d: Disagreement, by: Person, *, sent_to: str = "SCP Chair", summary: str = "The issue and steps."
) -> RecordEntry:
    """A written request recorded now at the current stage (Cumbria's formal process asks for one, L37)."""
    return services.record_add(
        disagreement=d,
        by=by,
        kind="written_request",
        occurred_at=datetime.now(LONDON),
        fields={"sent_to": sent_to, "summary": summary},
    )


def raise_one(
    cast: Cast, *, by: tuple[str, int] = ("school", 1), against: tuple[str, ...] = ("csc",), **kwargs: object
) -> Disagreement:
    procedure = cast.partnership.procedure.procedure  # type: ignore[union-attr]
    pathway = kwargs.get("pathway") or procedure.pathways[0].slug
    usable = [c.slug for c in procedure.categories if not c.refuse_with]
    category = next(
        (c.slug for c in procedure.categories if not c.refuse_with and c.pathway in (None, pathway)),
        usable[0] if usable else "",
    )
    defaults: dict[str, object] = {
        "category": category,
        "expected": "An assessment.",
        "why": "Threshold judged too high.",
        "what_needed": "A home visit.",
    }
    child = kwargs.pop("child", None) or ChildFactory(partnership=cast.partnership)
    # the raiser names the practitioner they have been dealing with in each other agency
    defaults["counterparts"] = [cast.at(a, 1) for a in against if a != by[0]]
    defaults.update(kwargs)
    return services.disagreement_raise(
        by=cast.at(*by),
        child=child,  # type: ignore[arg-type]
        other_agencies=[cast.agencies[a] for a in against],
        **defaults,  # type: ignore[arg-type]
    )


def deadlines(d: Disagreement) -> dict[str, str]:
    run = d.stage_runs.get(ended_at__isnull=True)
    return {x.timescale: local(x.due) if x.due else "no date" for x in run.current_deadlines()}


def confirm_outcome(d: Disagreement, cast: Cast, proposer: tuple[str, int], *others: tuple[str, int]) -> None:
    outcome = services.outcome_propose(disagreement=d, by=cast.at(*proposer), text="Agreed: a visit on Monday.")
    for other in others:
        services.outcome_confirm(outcome=outcome, by=cast.at(*other))


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


# --- raising ---------------------------------------------------------------------------------


def test_raising_starts_stage_one_due_the_same_working_day(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-24T16:30"), tick=False)
    d = raise_one(enfield)
    run = d.stage_runs.get()
    assert (run.stage, run.entry) == ("stage-1", StageRun.Entry.RAISED)
    # L60 same working day; L68's five-day overall deadline from stage 1: 29, 30, 31 Dec, 4, 5 Jan
    assert deadlines(d) == {"line-managers-informed": "2026-12-24 17:00", "resolution": "2027-01-05 17:00"}
    assert Event.objects.filter(disagreement=d, verb=Verb.RAISED).count() == 1


def test_raised_after_five_on_christmas_eve_is_due_after_the_christmas_holidays(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-24T17:30"), tick=False)
    d = raise_one(enfield)
    assert deadlines(d) == {"line-managers-informed": "2026-12-29 17:00", "resolution": "2027-01-05 17:00"}


def test_the_deadline_is_stored_with_the_rule_that_produced_it(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    deadline = d.stage_runs.get().deadlines.get(timescale="line-managers-informed")
    assert "same working day" in deadline.rule
    assert deadline.source.startswith("L60")


def test_significant_harm_where_the_seed_sets_no_timescale_gets_its_instruction_and_no_date_l22(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    """Peterborough states no significant-harm deadline: its own words (L22) are shown, undated."""
    cast = cast_for("peterborough")
    time_machine.move_to(at("2026-12-21T11:00"), tick=False)
    d = raise_one(cast, significant_harm=True)
    assert deadlines(d) == {"swiftly": "no date", "significant-harm": "no date"}
    instruction = d.stage_runs.get().deadlines.get(timescale="significant-harm")
    assert instruction.kind == StageDeadline.Kind.INSTRUCTION
    assert instruction.source == "L22"
    assert "must remain paramount" in instruction.rule


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expected": "  "}, "expected"),
        ({"why": ""}, "why"),
        ({"what_needed": ""}, "what_needed"),
        ({"against": ()}, "other_agencies"),
        ({"against": ("school",)}, "other_agencies"),
        ({"category": "not-a-category"}, "category"),
        ({"pathway": "nowhere"}, "pathway"),
        ({"flags": ["made-up"]}, "flags"),
    ],
)
def test_bad_input_when_raising_names_the_field_and_changes_nothing(enfield: Cast, change: dict, field: str) -> None:
    with nothing_changes(), pytest.raises(ResolveError) as caught:
        raise_one(enfield, **change)
    assert caught.value.field == field
    assert caught.value.message


def test_a_conduct_concern_is_refused_with_the_procedures_pointer(enfield: Cast) -> None:
    procedure = enfield.partnership.procedure.procedure  # type: ignore[union-attr]
    refused = next(c for c in procedure.categories if c.refuse_with)
    assert refused.refuse_with is not None
    with nothing_changes(), pytest.raises(Refused, match=refused.refuse_with[:40]):
        raise_one(enfield, category=refused.slug)


def test_a_child_from_another_partnership_is_refused(enfield: Cast, cast_for: Callable[[str], Cast]) -> None:
    other = cast_for("enfield")
    with nothing_changes(), pytest.raises(ResolveError, match="not known to this partnership"):
        raise_one(enfield, child=ChildFactory(partnership=other.partnership))


# --- urgent starts -----------------------------------------------------------------------------


@pytest.fixture
def nel(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("north-east-lincolnshire")


def test_urgent_case_may_start_at_senior_manager_level_with_the_reason(nel: Cast) -> None:
    d = raise_one(
        nel,
        pathway="individual-cases",
        urgent=True,
        start_stage="c-senior-manager",
        urgent_reason="Discharge from hospital tomorrow.",
    )
    run = d.stage_runs.get()
    assert (run.stage, run.entry) == ("c-senior-manager", StageRun.Entry.URGENT)
    assert d.urgent_reason == "Discharge from hospital tomorrow."


def test_urgent_case_cannot_start_where_the_procedure_does_not_allow(nel: Cast) -> None:
    with nothing_changes(), pytest.raises(ResolveError, match=r"Urgent cases may start at: C\. Senior Manager"):
        raise_one(
            nel, pathway="individual-cases", urgent=True, start_stage="d-multi-agency-review", urgent_reason="Now."
        )


def test_only_an_urgent_case_may_skip_stages(nel: Cast) -> None:
    with nothing_changes(), pytest.raises(ResolveError, match="Only an urgent disagreement"):
        raise_one(nel, pathway="individual-cases", start_stage="c-senior-manager")


def test_an_urgent_start_needs_a_reason(nel: Cast) -> None:
    with nothing_changes(), pytest.raises(ResolveError) as caught:
        raise_one(nel, pathway="individual-cases", urgent=True, start_stage="c-senior-manager")
    assert caught.value.field == "urgent_reason"


# --- escalating ----------------------------------------------------------------------------------


def test_escalating_moves_to_the_next_stage_with_new_deadlines(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    time_machine.move_to(at("2026-12-21T15:00"), tick=False)
    services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 2),
        held_at=at("2026-12-21T14:00"),
        method="telephone",
        with_people=[enfield.at("csc", 2)],
        summary="No agreement.",
    )
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="Line managers disagree.")
    first, second = d.stage_runs.order_by("position")
    assert (first.outcome, first.outcome_reason) == (StageRun.Outcome.ESCALATED, "Line managers disagree.")
    assert second.stage == "stage-2"
    assert deadlines(d) == {
        "referral": "2026-12-22 17:00",
        "professionals-meeting": "2026-12-24 17:00",
        "resolution": "2026-12-30 17:00",
    }


def test_escalating_needs_a_reason(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(ResolveError, match="Enter why"):
        services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason=" ")


def test_escalating_past_the_last_stage_is_refused(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("pan-lancashire")
    d = raise_one(cast, urgent=False)
    for _ in range(len(cast.partnership.procedure.procedure.pathways[0].stages) - 1):  # type: ignore[union-attr]
        run = d.stage_runs.get(ended_at__isnull=True)
        manager = cast.at("school", rules.acting_level(d, run) or 1)
        if run.stage != "practitioner":
            services.discussion_record(
                disagreement=d,
                by=manager,
                held_at=datetime.now(LONDON),
                method="telephone",
                summary="Talked; no agreement.",
            )
        services.disagreement_escalate(disagreement=d, by=manager, reason="Still unresolved.")
    with nothing_changes(), pytest.raises(Refused, match=r"is the last stage of .*nowhere further"):
        services.disagreement_escalate(disagreement=d, by=cast.at("school", 5), reason="Again.")


def test_a_second_escalation_from_the_same_stage_is_refused_not_skipped_ahead(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 2),
        held_at=d.raised_at,
        method="telephone",
        summary="No agreement.",
    )
    services.disagreement_escalate(
        disagreement=d, by=enfield.at("school", 2), reason="No agreement.", from_stage="stage-1"
    )
    # a senior manager (who may escalate Stage 2 too: level 4 in children's social care, Appendix B) acting
    # on the page they loaded at Stage 1
    with nothing_changes(), pytest.raises(Refused, match="already escalated this disagreement: it is now at Stage 2"):
        services.disagreement_escalate(
            disagreement=d, by=enfield.at("csc", 4), reason="No agreement.", from_stage="stage-1"
        )


def test_escalating_a_resolved_disagreement_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    confirm_outcome(d, enfield, ("school", 2), ("csc", 2))
    services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))
    with nothing_changes(), pytest.raises(Refused, match="a resolved disagreement cannot be escalated"):
        services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="More concerns.")


def test_a_stage_that_requires_written_confirmation_cannot_be_escalated_without_it(nel: Cast) -> None:
    d = raise_one(nel, pathway="individual-cases")
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 1), reason="No agreement.")
    with nothing_changes(), pytest.raises(Refused, match=r"B\. Line Manager to Line Manager cannot be escalated yet"):
        services.disagreement_escalate(disagreement=d, by=nel.at("school", 2), reason="Still no agreement.")
    confirm_outcome(d, nel, ("school", 2), ("csc", 2))
    run = services.disagreement_escalate(disagreement=d, by=nel.at("school", 2), reason="Still no agreement.")
    assert run.stage == "c-senior-manager"


# --- written outcomes and resolving ---------------------------------------------------------------


def test_resolving_without_any_written_outcome_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(Refused, match="has no written outcome yet"):
        services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))


def test_resolving_needs_every_agency_in_dispute_to_confirm(enfield: Cast) -> None:
    d = raise_one(enfield, against=("csc", "police"))
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 2))
    with nothing_changes(), pytest.raises(Refused, match="still to confirm: Police"):
        services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))
    services.outcome_confirm(outcome=outcome, by=enfield.at("police", 2))
    services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED
    assert d.closed_at is not None
    assert d.stage_runs.get().outcome == StageRun.Outcome.RESOLVED


def test_an_agency_not_in_dispute_cannot_confirm_or_even_tell_it_exists(enfield: Cast) -> None:
    d = raise_one(enfield)
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    with nothing_changes(), pytest.raises(NotFound, match="no such disagreement"):
        services.outcome_confirm(outcome=outcome, by=enfield.at("health", 2))


def test_a_partnership_role_that_can_see_it_cannot_confirm_for_an_agency(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.participant_add(
        disagreement=d, by=enfield.at("school", 2), person=enfield.role("business-unit"), capacity="attendee"
    )
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    with nothing_changes(), pytest.raises(Refused, match="Only someone in one of the agencies in dispute"):
        services.outcome_confirm(outcome=outcome, by=enfield.role("business-unit"))


def test_an_agency_confirms_once(enfield: Cast) -> None:
    d = raise_one(enfield)
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    with nothing_changes(), pytest.raises(Refused, match="already confirmed"):
        services.outcome_confirm(outcome=outcome, by=enfield.at("school", 3))


def test_a_newer_proposal_replaces_the_one_being_confirmed(enfield: Cast) -> None:
    d = raise_one(enfield)
    old = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    services.outcome_propose(disagreement=d, by=enfield.at("csc", 2), text="Visit on Tuesday.")
    with nothing_changes(), pytest.raises(Refused, match="not the current proposed outcome"):
        services.outcome_confirm(outcome=old, by=enfield.at("csc", 2))


# --- withdrawing, feedback, actions, records ----------------------------------------------------


def test_only_the_raising_agency_can_withdraw(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(Refused, match="Only the agency that raised this disagreement"):
        services.disagreement_withdraw(disagreement=d, by=enfield.at("csc", 2), reason="Not needed.")
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Resolved informally.")
    d.refresh_from_db()
    assert d.status == Disagreement.Status.WITHDRAWN
    assert d.stage_runs.get().outcome == StageRun.Outcome.WITHDRAWN


def test_feedback_goes_to_the_person_who_raised_it(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.feedback_give(disagreement=d, by=enfield.at("csc", 2), text="A visit is booked.")
    notice = d.notices.get(to="raiser")
    assert list(notice.recipients.all()) == [enfield.at("school", 1)]


def test_actions_are_added_and_completed_once(enfield: Cast) -> None:
    d = raise_one(enfield)
    action = services.action_add(
        disagreement=d, by=enfield.at("csc", 2), description="Book the visit.", owner=enfield.at("csc", 1)
    )
    services.action_complete(action=action, by=enfield.at("csc", 1), note="Booked.")
    action.refresh_from_db()
    assert action.completed_by == enfield.at("csc", 1)
    with nothing_changes(), pytest.raises(Refused, match="already complete"):
        services.action_complete(action=action, by=enfield.at("csc", 1))


def test_a_discussion_records_when_who_and_how(enfield: Cast) -> None:
    d = raise_one(enfield)
    held = d.raised_at
    entry = services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 1),
        held_at=held,
        method="telephone",
        with_people=[enfield.at("csc", 1)],
        summary="Discussed the threshold decision.",
    )
    assert entry.occurred_at == held
    assert entry.data["method"] == "telephone"
    assert entry.data["with_people"][0]["name"] == "csc level 1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "carrier pigeon"}, "Say how the discussion was held"),
        ({"summary": ""}, "Enter summary"),
        ({"held_at": datetime(2099, 1, 1, tzinfo=LONDON)}, "cannot be in the future"),
    ],
)
def test_a_bad_discussion_record_is_refused(enfield: Cast, change: dict, message: str) -> None:
    d = raise_one(enfield)
    args: dict[str, Any] = {"held_at": d.raised_at, "method": "meeting", "summary": "Talked."}
    args.update(change)
    with nothing_changes(), pytest.raises(ResolveError, match=message):
        services.discussion_record(disagreement=d, by=enfield.at("school", 1), **args)


def test_records_are_never_rewritten_a_correction_points_at_the_original(enfield: Cast) -> None:
    d = raise_one(enfield)
    entry = services.discussion_record(
        disagreement=d,
        by=enfield.at("school", 1),
        held_at=d.raised_at,
        method="telephone",
        summary="Discussed on Thursday.",
    )
    with pytest.raises(TypeError, match="append-only"):
        RecordEntry.objects.filter(pk=entry.pk).update(data={})
    fixed = services.record_correct(
        record=entry, by=enfield.at("school", 1), fields={"summary": "Discussed on Friday."}, reason="Wrong day."
    )
    entry.refresh_from_db()
    assert entry.data["summary"] == "Discussed on Thursday."
    assert (fixed.corrects, fixed.data["summary"]) == (entry, "Discussed on Friday.")


# --- the independent reviewer --------------------------------------------------------------------


@pytest.fixture
def cumbria_formal(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("cumbria")
    d = raise_one(
        cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection, today.", child_protection=True
    )
    return cast, d


def test_a_reviewer_from_an_agency_in_dispute_is_refused(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    cast, d = cumbria_formal
    with nothing_changes(), pytest.raises(Refused, match="an agency in this dispute"):
        services.reviewer_appoint(disagreement=d, by=cast.role("scp-chair"), reviewer=cast.at("csc", 4))
    # even someone who holds the reviewer's role cannot decide a dispute their own agency is in
    RoleAssignment.objects.create(partnership=cast.partnership, person=cast.at("school", 4), role="scp-member")
    with nothing_changes(), pytest.raises(Refused, match="an agency in this dispute"):
        services.reviewer_decision_record(disagreement=d, by=cast.at("school", 4), decision="x", reasons="y")


def test_only_the_chair_names_the_reviewer(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    cast, d = cumbria_formal
    with nothing_changes(), pytest.raises(Refused, match="Only the partnership's chair"):
        services.reviewer_appoint(disagreement=d, by=cast.at("school", 5), reviewer=cast.at("police", 4))


def test_the_independent_reviewers_decision_is_final_and_resolves_it(
    cumbria_formal: tuple[Cast, Disagreement],
) -> None:
    cast, d = cumbria_formal
    written_request(
        d, cast.at("school", 4), sent_to="SCP Chair, copy SCP Business Manager", summary="The issue and steps."
    )
    services.reviewer_appoint(disagreement=d, by=cast.role("scp-chair"), reviewer=cast.at("police", 4))
    services.reviewer_decision_record(
        disagreement=d, by=cast.at("police", 4), decision="A conference is held.", reasons="The threshold is met."
    )
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED
    with pytest.raises(Refused, match="resolved disagreement cannot be escalated"):
        services.disagreement_escalate(disagreement=d, by=cast.at("school", 4), reason="Disagree.")


def test_cumbria_child_protection_formal_process_is_due_in_24_hours(cumbria_formal: tuple[Cast, Disagreement]) -> None:
    _, d = cumbria_formal
    run = d.stage_runs.get()
    due = {x.timescale: x.due for x in run.current_deadlines()}
    decision = due["decision-child-protection"]
    assert decision is not None
    assert decision - run.started_at == (datetime(2026, 1, 2, tzinfo=LONDON) - datetime(2026, 1, 1, tzinfo=LONDON))


# --- procedure versions ----------------------------------------------------------------------------


def test_a_disagreement_stays_on_the_procedure_version_it_started_on(enfield: Cast) -> None:
    d = raise_one(enfield)
    started_on = d.procedure_version
    current = started_on.procedure
    changed = current.model_copy(update={"name": current.name + " (revised)"})
    newer = procedure_version_store(
        procedure=changed, source_text=started_on.source_text + "\n# revised\n", origin="revised.yaml"
    )
    partnership_adopt_procedure(partnership=enfield.partnership, version=newer, by=OPERATOR)
    assert newer.version == started_on.version + 1
    d.refresh_from_db()
    assert d.procedure_version == started_on
    later = raise_one(enfield)
    assert later.procedure_version == newer


def test_storing_the_same_definition_twice_keeps_one_version(enfield: Cast) -> None:
    version = enfield.partnership.procedure
    assert version is not None
    again = procedure_version_store(procedure=version.procedure, source_text=version.source_text, origin="again")
    assert again == version


# --- the calendar changes later ---------------------------------------------------------------------


def test_a_new_closure_day_moves_no_deadline_until_recalculated(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    calendar_day_set(
        partnership=enfield.partnership,
        day=date(2026, 12, 21),
        kind="closure",
        reason="Staff training day",
        by=OPERATOR,
    )
    assert deadlines(d) == {"line-managers-informed": "2026-12-21 17:00", "resolution": "2026-12-30 17:00"}
    assert (
        services.deadlines_recalculate(partnership=enfield.partnership, by=OPERATOR, reason="Training day added") == 1
    )
    # the five days of L68 count the dates after the 21st, so the closure does not move them
    assert deadlines(d) == {"line-managers-informed": "2026-12-22 17:00", "resolution": "2026-12-30 17:00"}
    replaced = d.stage_runs.get().deadlines.exclude(replaced_at=None).get()
    assert local(replaced.due) == "2026-12-21 17:00"
    assert Event.objects.filter(disagreement=d, verb=Verb.DEADLINES_RECALCULATED).count() == 1


def test_recalculating_an_unchanged_calendar_changes_nothing(enfield: Cast) -> None:
    raise_one(enfield)
    with nothing_changes():
        assert services.deadlines_recalculate(partnership=enfield.partnership, by=OPERATOR, reason="Check") == 0


# --- structure -----------------------------------------------------------------------------------

WRITES = {"create", "save", "update", "delete", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
AUDIT_WRITES = {"disagreement_event", "event_record"}


def test_rules_only_reads_every_write_is_a_service_in_stages() -> None:
    tree = ast.parse(Path(rules.__file__).read_text())
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert calls & (WRITES | AUDIT_WRITES) == set()
    for name in ("stage_open", "notices_raise", "participant_ensure", "deadline_store"):
        assert callable(getattr(stages, name))


# --- authority at each stage ----------------------------------------------------------------------


def test_escalate_by_practitioner_below_stage_level_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    services.discussion_record(
        disagreement=d, by=enfield.at("school", 1), held_at=at("2026-11-20T10:00"), method="telephone", summary="No."
    )
    with nothing_changes(), pytest.raises(Refused, match="At Stage 1 that is someone at level 2 or above"):
        services.disagreement_escalate(disagreement=d, by=enfield.at("school", 1), reason="No agreement.")
    run = services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="No agreement.")
    assert run.stage == "stage-2"


def test_below_the_stage_level_a_practitioner_still_raises_records_and_gives_feedback(enfield: Cast) -> None:
    d = raise_one(enfield, by=("school", 1))
    services.discussion_record(
        disagreement=d, by=enfield.at("csc", 1), held_at=at("2026-11-20T10:00"), method="telephone", summary="Call."
    )
    services.action_add(disagreement=d, by=enfield.at("school", 1), description="Send the referral.")
    services.feedback_give(disagreement=d, by=enfield.at("csc", 1), text="A visit is booked.")
    assert d.records.count() == 2


def test_proposing_or_confirming_an_outcome_below_the_stage_level_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(Refused, match="at the stage's level, can propose"):
        services.outcome_propose(disagreement=d, by=enfield.at("school", 1), text="Visit on Monday.")
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Visit on Monday.")
    with nothing_changes(), pytest.raises(Refused, match="at the stage's level, can confirm"):
        services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 1))
    services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 2))
    with nothing_changes(), pytest.raises(Refused, match="can resolve it"):
        services.disagreement_resolve(disagreement=d, by=enfield.at("school", 1))
    services.disagreement_resolve(disagreement=d, by=enfield.at("school", 2))


def test_a_practitioner_cannot_carry_a_case_alone_past_their_own_stage_their_line_manager_does(nel: Cast) -> None:
    d = raise_one(nel, pathway="individual-cases")
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 1), reason="No agreement.")  # A: level 1
    confirm_outcome(d, nel, ("school", 2), ("csc", 2))
    with (
        nothing_changes(),
        pytest.raises(Refused, match=r"At B\. Line Manager to Line Manager that is someone at level 2"),
    ):
        services.disagreement_escalate(disagreement=d, by=nel.at("school", 1), reason="Still no agreement.")
    assert (
        services.disagreement_escalate(disagreement=d, by=nel.at("school", 2), reason="Still no agreement.").stage
        == "c-senior-manager"
    )


def test_on_a_stage_of_roles_only_each_agency_acts_at_the_level_that_took_it_there(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    walker = Walker(cast_for("north-east-lincolnshire"), time_machine)
    walker.raise_(
        "2026-12-21T10:00",
        pathway="individual-cases",
        urgent=True,
        start_stage="c-senior-manager",
        urgent_reason="Discharge tomorrow.",
    )
    walker.escalate(Step("d-multi-agency-review", "2026-12-21T11:00", {}))
    run = walker.escalate(Step("e-safeguarding-partners", "2026-12-21T12:00", {}))
    assert run.stage == "e-safeguarding-partners"
    cast, d = walker.cast, walker.d
    partners = cast.role("safeguarding-partners")
    # the role holders handle it, but being in no agency in dispute they confirm for none
    with nothing_changes(), pytest.raises(Refused, match="Only someone in one of the agencies in dispute"):
        services.outcome_propose(disagreement=d, by=partners, text="Agreed by the partners.")
    with nothing_changes(), pytest.raises(Refused, match="someone at level 3 or above in an agency in dispute"):
        services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="Agreed.")
    confirm_outcome(d, cast, ("school", 3), ("csc", 3))
    services.disagreement_resolve(disagreement=d, by=partners)
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED


def test_a_role_held_in_another_partnership_counts_for_nothing_here(
    cumbria_formal: tuple[Cast, Disagreement], cast_for: Callable[[str], Cast]
) -> None:
    cast, d = cumbria_formal
    elsewhere = cast_for("cumbria").partnership
    outsider = PersonFactory.create(partnership=cast.partnership, agency=None, level=None, job_title="Officer")
    RoleAssignment.objects.create(partnership=elsewhere, person=outsider, role="scp-chair")
    assert not allowed(outsider, Can.VIEW, d)
    assert not allowed(outsider, Can.APPOINT_REVIEWER, d)
    with nothing_changes(), pytest.raises(NotFound):
        services.reviewer_appoint(disagreement=d, by=outsider, reviewer=cast.at("police", 4))


def test_a_role_assignment_naming_someone_from_another_partnership_makes_them_neither_handler_nor_told(
    cast_for: Callable[[str], Cast],
) -> None:
    cast, other = cast_for("cumbria"), cast_for("cumbria")
    stranger = other.at("police", 4)
    RoleAssignment.objects.create(partnership=cast.partnership, person=stranger, role="scp-chair")
    d = raise_one(cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection, today.")
    assert not d.participants.filter(person=stranger).exists()
    assert not d.notices.filter(recipients=stranger).exists()
    assert not allowed(stranger, Can.APPOINT_REVIEWER, d)


# --- adding a handler -------------------------------------------------------------------------------


def test_a_practitioner_who_manages_no_one_taking_part_cannot_add_a_handler(enfield: Cast) -> None:
    d = raise_one(enfield)
    with nothing_changes(), pytest.raises(Refused, match="Only the stage's handlers, or a manager"):
        services.participant_add(
            disagreement=d, by=enfield.at("csc", 1), person=enfield.at("csc", 2), capacity="handler"
        )
    # attendees are still added by anyone recording the case
    services.participant_add(disagreement=d, by=enfield.at("csc", 1), person=enfield.at("csc", 3), capacity="attendee")


def test_a_manager_in_the_chain_adds_a_handler_at_the_stages_level(enfield: Cast) -> None:
    d = raise_one(enfield)
    # school level 3 manages the raiser (school level 1) through level 2, and is above the stage's level
    services.participant_add(
        disagreement=d, by=enfield.at("school", 3), person=enfield.at("csc", 2), capacity="handler"
    )
    assert d.participants.filter(person=enfield.at("csc", 2), capacity="handler").exists()


@pytest.mark.parametrize("who", ["csc level 1", "business-unit"])
def test_the_handler_added_must_be_at_the_stages_level_or_hold_its_role(enfield: Cast, who: str) -> None:
    d = raise_one(enfield)
    person = enfield.at("csc", 1) if who == "csc level 1" else enfield.role("business-unit")
    with (
        nothing_changes(),
        pytest.raises(ResolveError, match=r"The person chosen cannot handle Stage 1\. At Stage 1 that is") as caught,
    ):
        services.participant_add(disagreement=d, by=enfield.at("school", 2), person=person, capacity="handler")
    assert caught.value.field == "person"


# --- correcting records -----------------------------------------------------------------------------


def _discussion(d: Disagreement, cast: Cast, by: tuple[str, int]) -> RecordEntry:
    return services.discussion_record(
        disagreement=d, by=cast.at(*by), held_at=at("2026-11-20T10:00"), method="telephone", summary="On Thursday."
    )


def test_a_record_is_corrected_only_by_its_author_or_a_handler_of_its_stage(enfield: Cast) -> None:
    d = raise_one(enfield)
    entry = _discussion(d, enfield, ("school", 1))
    with (
        nothing_changes(),
        pytest.raises(Refused, match="Only the person who wrote this record, or a handler of Stage 1"),
    ):
        services.record_correct(record=entry, by=enfield.at("csc", 1), fields={"summary": "Friday."}, reason="Day.")
    services.record_correct(record=entry, by=enfield.at("school", 1), fields={"summary": "Friday."}, reason="Day.")
    services.record_correct(record=entry, by=enfield.at("csc", 2), fields={"summary": "Friday."}, reason="Day.")
    assert entry.corrections.count() == 2


def test_a_record_of_an_earlier_stage_is_corrected_by_a_handler_of_that_stage(
    enfield: Cast,
) -> None:
    d = raise_one(enfield)
    entry = _discussion(d, enfield, ("school", 2))
    services.disagreement_escalate(disagreement=d, by=enfield.at("school", 2), reason="No agreement.")
    services.record_correct(record=entry, by=enfield.at("csc", 2), fields={"summary": "Friday."}, reason="Day.")
    assert entry.corrections.get().stage_run == entry.stage_run


def test_a_closed_disagreements_records_cannot_be_corrected(enfield: Cast) -> None:
    d = raise_one(enfield)
    entry = _discussion(d, enfield, ("school", 1))
    services.disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Resolved informally.")
    with nothing_changes(), pytest.raises(Refused, match="a withdrawn disagreement cannot be corrected"):
        services.record_correct(record=entry, by=enfield.at("school", 1), fields={"summary": "Friday."}, reason="Day.")


def _decided(cast: Cast, d: Disagreement) -> RecordEntry:
    services.reviewer_appoint(disagreement=d, by=cast.role("scp-chair"), reviewer=cast.at("police", 4))
    # no written request yet, so the decision does not close it
    return services.reviewer_decision_record(
        disagreement=d, by=cast.at("police", 4), decision="A conference is held.", reasons="The threshold is met."
    )


@pytest.mark.parametrize("who", ["the chair", "another holder of the reviewer's role", "a party"])
def test_a_reviewers_decision_is_corrected_only_by_that_reviewer(
    cumbria_formal: tuple[Cast, Disagreement], who: str
) -> None:
    cast, d = cumbria_formal
    decision = _decided(cast, d)
    other = {
        "the chair": cast.role("scp-chair"),
        "another holder of the reviewer's role": cast.role("scp-member"),
        "a party": cast.at("school", 4),
    }[who]
    with (
        nothing_changes(),
        pytest.raises(Refused, match=r"Only the (independent )?reviewer|none of the agencies in dispute"),
    ):
        services.record_correct(record=decision, by=other, fields={"decision": "No conference."}, reason="Rethink.")
    services.record_correct(
        record=decision, by=cast.at("police", 4), fields={"reasons": "The threshold is clearly met."}, reason="Clarity."
    )


def test_a_decision_someone_else_rewrote_does_not_resolve_the_disagreement(
    cumbria_formal: tuple[Cast, Disagreement],
) -> None:
    cast, d = cumbria_formal
    decision = _decided(cast, d)
    # a rewrite by someone other than the reviewer, however it came to be in the rows
    RecordEntry.objects.create(
        disagreement=d,
        stage_run=decision.stage_run,
        kind=decision.kind,
        author=cast.at("school", 4),
        created_at=decision.created_at,
        occurred_at=decision.occurred_at,
        data={**decision.data, "decision": "No conference."},
        corrects=decision,
    )
    written_request(d, cast.at("school", 4), sent_to="SCP Chair", summary="The issue and steps.")
    with nothing_changes(), pytest.raises(Refused, match="a decision someone else rewrote does not count"):
        services.disagreement_resolve(disagreement=d, by=cast.at("school", 4))


def test_the_reviewers_own_correction_is_the_decision_that_resolves_it(
    cumbria_formal: tuple[Cast, Disagreement],
) -> None:
    cast, d = cumbria_formal
    decision = _decided(cast, d)
    services.record_correct(
        record=decision, by=cast.at("police", 4), fields={"decision": "No conference."}, reason="On reflection."
    )
    written_request(d, cast.at("school", 4), sent_to="SCP Chair", summary="The issue and steps.")
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 4))
    d.refresh_from_db()
    assert d.status == Disagreement.Status.RESOLVED


# --- nothing changes a closed disagreement but feedback ----------------------------------------------


@dataclass(frozen=True)
class Made:
    """What existed before the disagreement closed."""

    action: Action
    record: RecordEntry
    outcome: WrittenOutcome


CLOSED_CALLS: dict[str, Callable[[Cast, Disagreement, Made], object]] = {
    "action_add": lambda c, d, x: services.action_add(disagreement=d, by=c.at("school", 4), description="More."),
    "action_complete": lambda c, d, x: services.action_complete(action=x.action, by=c.at("school", 4)),
    "participant_add": lambda c, d, x: services.participant_add(
        disagreement=d, by=c.at("school", 4), person=c.at("csc", 4), capacity="handler"
    ),
    "record_correct": lambda c, d, x: services.record_correct(
        record=x.record, by=c.at("school", 4), fields={"summary": "Fixed."}, reason="Typo."
    ),
    "discussion_record": lambda c, d, x: services.discussion_record(
        disagreement=d, by=c.at("school", 4), held_at=datetime.now(LONDON), method="telephone", summary="Again."
    ),
    "record_add": lambda c, d, x: services.record_add(
        disagreement=d,
        by=c.at("school", 4),
        kind="written_request",
        occurred_at=datetime.now(LONDON),
        fields={"sent_to": "Chair", "summary": "Again."},
    ),
    "outcome_propose": lambda c, d, x: services.outcome_propose(disagreement=d, by=c.at("school", 4), text="New."),
    "outcome_confirm": lambda c, d, x: services.outcome_confirm(outcome=x.outcome, by=c.at("csc", 4)),
    "disagreement_escalate": lambda c, d, x: services.disagreement_escalate(
        disagreement=d, by=c.at("school", 4), reason="Again."
    ),
    "disagreement_resolve": lambda c, d, x: services.disagreement_resolve(disagreement=d, by=c.at("school", 4)),
    "disagreement_withdraw": lambda c, d, x: services.disagreement_withdraw(
        disagreement=d, by=c.at("school", 4), reason="Again."
    ),
    "reviewer_appoint": lambda c, d, x: services.reviewer_appoint(
        disagreement=d, by=c.role("scp-chair"), reviewer=c.at("police", 4)
    ),
    "reviewer_decision_record": lambda c, d, x: services.reviewer_decision_record(
        disagreement=d, by=d.reviewer or c.role("scp-member"), decision="Late.", reasons="Late."
    ),
}


@pytest.mark.parametrize("close", ["withdrawn", "resolved"])
@pytest.mark.parametrize("service", list(CLOSED_CALLS))
def test_nothing_changes_a_closed_disagreement_but_feedback(
    cumbria_formal: tuple[Cast, Disagreement], service: str, close: str
) -> None:
    cast, d = cumbria_formal
    made = Made(
        action=services.action_add(disagreement=d, by=cast.at("school", 4), description="Visit."),
        record=_discussion(d, cast, ("school", 4)),
        outcome=services.outcome_propose(disagreement=d, by=cast.at("school", 4), text="A conference."),
    )
    if close == "withdrawn":
        services.disagreement_withdraw(disagreement=d, by=cast.at("school", 4), reason="Resolved informally.")
    else:
        written_request(d, cast.at("school", 4), sent_to="SCP Chair", summary="The issue.")
        _decided(cast, d)  # final: it resolves the disagreement
    d.refresh_from_db()
    assert d.status == close
    with nothing_changes(), pytest.raises(Refused, match=f"a {close} disagreement cannot be"):
        CLOSED_CALLS[service](cast, d, made)
    services.feedback_give(disagreement=d, by=cast.at("school", 4), text="What was done.")
