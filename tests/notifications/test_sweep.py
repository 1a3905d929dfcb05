"""The deadline sweep moves with the clock: reminders at 09:00 on working days, breach alerts, digests.

The clock (time-machine) moves in steps across a weekend, Christmas 2026 (England: Friday 25 and
Monday 28 December off, the substitute day for Boxing Day) and the October clock change; the sweep
runs at each step, and the local SMTP server says what each person received, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest

from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Notice, StageRun
from resolve.notifications import sweep
from resolve.notifications.models import Message, SweepState
from resolve.partnerships.models import Person
from tests.disagreements.walker import Step, Walker, at, local
from tests.notifications.conftest import Inbox, Received

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Landed:
    when: str  # local time, "2026-12-24 09:00"
    received: Received

    @property
    def subject(self) -> str:
        return self.received.subject


def sweep_every(clock: object, smtp: Inbox, start: str, end: str, step: timedelta = timedelta(hours=1)) -> list[Landed]:
    """Run the sweep at every ``step`` from ``start`` to ``end`` (local times); what arrived at each."""
    landed: list[Landed] = []
    moment, last = at(start), at(end)
    while moment <= last:
        clock.move_to(moment, tick=False)  # type: ignore[attr-defined]
        seen = len(smtp.received)
        sweep.sweep(worker="t")
        when = moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
        landed += [Landed(when, r) for r in smtp.received[seen:]]
        moment = (moment.astimezone(LONDON).replace(tzinfo=None) + step).replace(tzinfo=LONDON)
    return landed


def about_deadlines(landed: list[Landed]) -> list[Landed]:
    return [x for x in landed if "Deadline" in x.subject or "digest" in x.subject]


def times_to(landed: list[Landed], person: Person, word: str) -> list[str]:
    return [x.when for x in landed if person.email in x.received.rcpt_tos and word in x.subject]


def stage_people(walker: Walker, run: StageRun) -> tuple[Person, Person]:
    return walker.person("school", run), walker.person("csc", run)


@pytest.fixture
def lancashire(cast_for, time_machine) -> Walker:
    return Walker(cast_for("pan-lancashire"), time_machine)


def test_a_weekend_passes_in_silence_reminders_on_friday_and_monday_at_9(lancashire: Walker, smtp: Inbox) -> None:
    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    # 5 working days: 8, 9, 10, 11, 14 December
    assert lancashire.dated()["stage-complete"] == "2026-12-14 17:00"
    ours, theirs = stage_people(lancashire, run)
    landed = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-07T10:00", "2026-12-15T10:00"))
    for person in (ours, theirs):
        # the day before (Friday: the procedure allows more than a day) and the day it falls due
        assert times_to(landed, person, "Deadline coming") == ["2026-12-11 09:00", "2026-12-14 09:00"]
        assert times_to(landed, person, "Deadline missed") == ["2026-12-14 17:00"]
    assert not [x for x in landed if x.when.startswith(("2026-12-12", "2026-12-13"))], "nothing at the weekend"
    reminder = next(x for x in landed if "Deadline coming" in x.subject)
    assert lancashire.d.reference in reminder.subject
    assert "5:00pm on Monday 14 December 2026" in reminder.received.body
    assert "5 working days from" in reminder.received.body
    assert lancashire.d.child.reference not in reminder.received.body


def test_a_missed_deadline_alerts_the_handlers_and_their_line_managers_not_before(
    lancashire: Walker, smtp: Inbox
) -> None:
    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    ours, theirs = stage_people(lancashire, run)
    managers = [p.line_manager for p in (ours, theirs)]
    assert all(m is not None for m in managers)
    landed = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-07T10:00", "2026-12-14T18:00"))
    for manager in managers:
        assert manager is not None
        assert times_to(landed, manager, "Deadline coming") == []
        assert times_to(landed, manager, "Deadline missed") == ["2026-12-14 17:00"]
    alert = next(x for x in landed if "Deadline missed" in x.subject)
    assert "was due by 5:00pm on Monday 14 December 2026" in alert.received.body
    notice = Notice.objects.get(kind=Notice.Kind.DEADLINE_MISSED, disagreement=lancashire.d)
    assert {ours, theirs, *managers} <= set(notice.recipients.all())
    assert notice.key == f"missed:{notice.deadline_id}"


def test_christmas_2026_the_day_before_is_christmas_eve_and_nothing_is_sent_on_the_bank_holidays(
    lancashire: Walker, smtp: Inbox
) -> None:
    lancashire.raise_("2026-12-18T11:00", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-18T15:00", {}))
    # 5 working days: 21, 22, 23, 24, 29 December (25 and 28 are bank holidays, 26 and 27 a weekend)
    assert lancashire.dated()["stage-complete"] == "2026-12-29 17:00"
    ours, _theirs = stage_people(lancashire, run)
    landed = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-23T18:00", "2026-12-30T12:00"))
    assert times_to(landed, ours, "Deadline coming") == ["2026-12-24 09:00", "2026-12-29 09:00"]
    assert times_to(landed, ours, "Deadline missed") == ["2026-12-29 17:00"]
    assert not [x for x in landed if x.when[:10] in ("2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28")]


def test_reminders_stay_at_9_local_across_the_october_clock_change(lancashire: Walker, smtp: Inbox) -> None:
    lancashire.raise_("2026-10-19T09:30", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-10-19T10:00", {}))
    # 20, 21, 22, 23, 26 October; the clocks go back on Sunday 25 October
    assert lancashire.dated()["stage-complete"] == "2026-10-26 17:00"
    ours, _theirs = stage_people(lancashire, run)
    landed = about_deadlines(
        sweep_every(lancashire.clock, smtp, "2026-10-22T18:00", "2026-10-26T18:00", step=timedelta(minutes=30))
    )
    assert times_to(landed, ours, "Deadline coming") == ["2026-10-23 09:00", "2026-10-26 09:00"]
    assert times_to(landed, ours, "Deadline missed") == ["2026-10-26 17:00"]
    coming = Notice.objects.filter(kind=Notice.Kind.DEADLINE_COMING, deadline__timescale="stage-complete")
    # 09:00 BST is 08:00 UTC; 09:00 GMT is 09:00 UTC
    assert sorted(n.created_at.astimezone(LONDON).hour for n in coming) == [9, 9]
    assert sorted(n.created_at.hour for n in coming) == [8, 9]


def test_a_child_protection_clock_is_reminded_and_escalated_by_the_clock_on_a_sunday_across_the_clock_change(
    cast_for, time_machine, smtp: Inbox
) -> None:
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_(
        "2026-10-24T12:00",
        pathway="escalation",
        urgent=True,
        start_stage="formal-process",
        urgent_reason="Child protection.",
        child_protection=True,
    )
    # 24 elapsed hours from 12:00 BST on Saturday: 11:00 GMT on Sunday
    assert walker.dated()["decision-child-protection"] == "2026-10-25 11:00"
    chair = walker.cast.role("scp-chair")
    landed = about_deadlines(
        sweep_every(walker.clock, smtp, "2026-10-24T12:00", "2026-10-25T12:00", step=timedelta(minutes=15))
    )
    # a quarter of the time left: 6 hours before, at 05:00 on a Sunday
    assert times_to(landed, chair, "Deadline coming") == ["2026-10-25 05:00"]
    assert times_to(landed, chair, "Deadline missed") == ["2026-10-25 11:00"]
    reminder = next(x for x in landed if "Deadline coming" in x.subject)
    assert "Resolve's reminder, not the procedure's deadline" in reminder.received.body
    assert "24 clock hours" in reminder.received.body
    assert Notice.objects.filter(kind=Notice.Kind.DEADLINE_COMING).get().urgent


def test_a_reminder_whose_moment_had_passed_when_the_deadline_was_stored_is_not_sent(
    cast_for, time_machine, smtp: Inbox
) -> None:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    # line managers informed the same working day: due at 17:00, stored at 10:00, after 09:00
    assert walker.dated()["line-managers-informed"] == "2027-01-11 17:00"
    landed = about_deadlines(sweep_every(walker.clock, smtp, "2027-01-11T10:00", "2027-01-11T18:00"))
    assert [x for x in landed if "Deadline coming" in x.subject] == []
    # nor missed: the message that informed the line managers met it (L60; the two tests below)
    assert [x for x in landed if "Deadline missed" in x.subject] == []


def test_a_stage_closed_before_its_deadline_is_neither_reminded_nor_alerted(lancashire: Walker, smtp: Inbox) -> None:
    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    sweep_every(lancashire.clock, smtp, "2026-12-07T10:00", "2026-12-07T10:00")
    lancashire.resolve("2026-12-10T12:00")
    landed = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-10T12:00", "2026-12-15T10:00"))
    assert landed == []


def test_a_date_set_for_the_case_governs_its_cap_gives_way(cast_for, time_machine, smtp: Inbox) -> None:
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_(
        "2026-12-29T10:00",
        pathway="escalation",
        urgent=True,
        start_stage="formal-process",
        urgent_reason="The placement ends this week.",
    )
    assert walker.dated() == {"decision": "2027-01-08 17:00"}  # 30, 31 Dec, 4, 5, 6, 7, 8 Jan
    sweep.sweep(worker="t")
    services.deadline_set_for_case(
        disagreement=walker.d,
        by=walker.cast.at("school", 4),
        timescale="decision",
        due=at("2027-01-04T17:00"),
        reason="The placement ends on 5 January.",
    )
    landed = about_deadlines(sweep_every(walker.clock, smtp, "2026-12-29T11:00", "2027-01-08T18:00"))
    said = Notice.objects.filter(
        disagreement=walker.d, kind__in=(Notice.Kind.DEADLINE_COMING, Notice.Kind.DEADLINE_MISSED)
    )
    told = {(local(n.created_at), n.deadline.timescale) for n in said if n.deadline is not None}
    # the date set for the case follows the cap's rule (7 working days: reminded the working day before too)
    assert told == {
        ("2026-12-31 09:00", "decision-for-case"),
        ("2027-01-04 09:00", "decision-for-case"),
        ("2027-01-04 17:00", "decision-for-case"),
    }
    # 1 January is a bank holiday: the working day before Monday 4 January is Thursday 31 December
    assert sorted({x.when for x in landed}) == ["2026-12-31 09:00", "2027-01-04 09:00", "2027-01-04 17:00"]
    assert not Notice.objects.filter(deadline__timescale="decision").exists(), "the cap gave way: never told"


def test_a_rerun_sweep_sends_nothing_twice(lancashire: Walker, smtp: Inbox) -> None:
    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    first = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-10T18:00", "2026-12-14T18:00"))
    assert first
    notices, messages = Notice.objects.count(), Message.objects.count()
    # as if the sweep had never run: the same window again, twice
    SweepState.objects.update(swept_to=at("2026-12-10T18:00"))
    again = sweep_every(lancashire.clock, smtp, "2026-12-14T18:00", "2026-12-14T18:00")
    SweepState.objects.update(swept_to=at("2026-12-10T18:00"))
    again += sweep_every(lancashire.clock, smtp, "2026-12-14T18:00", "2026-12-14T18:00")
    assert again == []
    assert (Notice.objects.count(), Message.objects.count()) == (notices, messages)


def test_a_daily_digest_carries_held_reminders_at_9_on_working_days_only(lancashire: Walker, smtp: Inbox) -> None:
    lancashire.raise_("2026-12-18T11:00", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-18T15:00", {}))
    ours, theirs = stage_people(lancashire, run)
    Person.objects.filter(pk=theirs.pk).update(daily_digest=True)
    landed = about_deadlines(sweep_every(lancashire.clock, smtp, "2026-12-23T18:00", "2026-12-30T12:00"))
    # the one who takes single messages
    assert times_to(landed, ours, "Deadline") == ["2026-12-24 09:00", "2026-12-29 09:00", "2026-12-29 17:00"]
    # the one who takes a digest: no single message, one digest each working morning with something held
    assert times_to(landed, theirs, "Deadline") == []
    digests = [x for x in landed if theirs.email in x.received.rcpt_tos and "digest" in x.subject]
    assert [x.when for x in digests] == ["2026-12-24 09:00", "2026-12-29 09:00", "2026-12-30 09:00"]
    assert "Deadline coming" in digests[0].received.body
    assert "Deadline missed" in digests[2].received.body
    assert lancashire.d.child.reference not in digests[0].received.body
    held = Message.objects.filter(person=theirs, notice__kind=Notice.Kind.DEADLINE_COMING)
    assert {m.status for m in held} == {Message.Status.DIGESTED}
    assert all(m.digest is not None and m.digest.status == Message.Status.SENT for m in held)


def test_the_sweep_task_runs_on_the_worker_and_queues_itself(
    lancashire: Walker, smtp: Inbox, work, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resolve.notifications.tasks import sweep as sweep_task  # noqa: PLC0415 - the task under test

    # the worker closes "old" connections as it wakes: on PostgreSQL that would close the test's own
    # transaction (SQLite's in-memory database is never closed), so it keeps the test's connection here
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    ours, _theirs = stage_people(lancashire, run)
    sweep.sweep(worker="t")
    lancashire.clock.move_to(at("2026-12-11T09:00"), tick=False)  # type: ignore[attr-defined]
    sweep_task.enqueue()
    work()
    assert [r.subject for r in smtp.to(ours.email) if "Deadline coming" in r.subject] == [
        f"{lancashire.d.reference}: Deadline coming"
    ]
    assert SweepState.objects.get().swept_to == at("2026-12-11T09:00")
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    queued = DBTaskResult.objects.filter(task_path__endswith="tasks.sweep", status="READY")
    assert [t.run_after for t in queued] == [at("2026-12-11T09:00") + sweep.INTERVAL]


def test_enfields_line_managers_informed_by_resolves_message_is_met_not_alerted(
    cast_for, time_machine, smtp: Inbox
) -> None:
    """L60: "The line managers should be informed the same working day": the message that informs them meets it."""
    enfield = Walker(cast_for("enfield"), time_machine)
    run = enfield.raise_("2026-12-07T09:30", pathway="escalation")  # stage 1, the line managers' stage
    assert enfield.dated()["line-managers-informed"] == "2026-12-07 17:00"
    landed = sweep_every(enfield.clock, smtp, "2026-12-07T10:00", "2026-12-08T10:00")
    informed = [x for x in landed if "line managers informed of the disagreement" in x.received.body]
    assert informed
    assert all(x.when == "2026-12-07 10:00" for x in informed)
    assert not Notice.objects.filter(stage_run=run, deadline__timescale="line-managers-informed").exists()
    assert not [x for x in landed if "Deadline missed" in x.subject]
    # the 5-working-day resolution deadline (L68: 14 December) is still reminded, the working day before
    assert enfield.dated()["resolution"] == "2026-12-14 17:00"
    later = sweep_every(enfield.clock, smtp, "2026-12-11T08:00", "2026-12-11T10:00")
    assert {x.when for x in later if "Deadline coming" in x.subject} == {"2026-12-11 09:00"}


def test_enfields_line_managers_not_informed_in_time_is_a_missed_deadline(cast_for, time_machine, smtp: Inbox) -> None:
    enfield = Walker(cast_for("enfield"), time_machine)
    smtp.refuse_with = "451 Try again later"  # the mail server is down all day: nobody was informed
    run = enfield.raise_("2026-12-07T09:30", pathway="escalation")
    sweep_every(enfield.clock, smtp, "2026-12-07T10:00", "2026-12-07T17:00")
    missed = Notice.objects.get(
        stage_run=run, kind=Notice.Kind.DEADLINE_MISSED, deadline__timescale="line-managers-informed"
    )
    assert {p.pk for p in missed.recipients.all()} >= {enfield.person("school", run).pk, enfield.person("csc", run).pk}


def test_reminders_come_at_the_partnerships_own_start_of_the_working_day(lancashire: Walker, smtp: Inbox) -> None:
    partnership = lancashire.cast.partnership
    partnership.day_starts = time(8, 30)
    partnership.save(update_fields=["day_starts"])
    lancashire.raise_("2026-12-07T09:30", pathway="escalation")
    run = lancashire.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    assert lancashire.dated()["stage-complete"] == "2026-12-14 17:00"
    ours, _theirs = stage_people(lancashire, run)
    landed = about_deadlines(
        sweep_every(lancashire.clock, smtp, "2026-12-07T10:00", "2026-12-15T10:00", step=timedelta(minutes=30))
    )
    assert times_to(landed, ours, "Deadline coming") == ["2026-12-11 08:30", "2026-12-14 08:30"]
