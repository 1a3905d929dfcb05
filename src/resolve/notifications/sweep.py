"""The deadline sweep: one task that looks at what has fallen due since it last looked, then queues itself.

Each run takes the window from where the last run stopped (``SweepState.swept_to``) to now, so its
cost grows with what falls due in the window, never with the number of open disagreements: the
deadlines it reads are found by range queries on ``StageDeadline.due`` (its index), see
``reminders``. In one transaction, holding the ``SweepState`` row, it:

1. gives back claims whose worker stopped mid-send (``services.leases_expire``);
2. writes the breach alerts of deadlines that passed in the window, and the reminders whose moment
   came (``reminders``), each a notice with a unique key, so that a re-run writes nothing twice;
3. at the start of a working day, writes each daily digest (``digests``);
4. moves ``swept_to`` to now.

Then, outside it, it writes the messages of notices whose delivery task was lost
(``services.notices_undispatched``) and sends what is due (first attempts, retries after their
backoff, held reminders whose hour came).

Two sweeps at once are harmless: the row is locked with SKIP LOCKED, so the second finds it taken
and does nothing (on SQLite the write lock of the IMMEDIATE transaction makes it wait, and it then
finds an empty window).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from resolve.calendar import LONDON, WorkingCalendar
from resolve.disagreements import rules
from resolve.disagreements.models import Notice, StageDeadline
from resolve.disagreements.services.stages import notice_send
from resolve.notifications import digests, reminders, services
from resolve.notifications.compose import when_text
from resolve.notifications.models import SweepState
from resolve.notifications.reminders import Tell, Window
from resolve.partnerships.models import Partnership
from resolve.partnerships.selectors import calendar_for

#: how often the sweep runs
INTERVAL = timedelta(minutes=1)
#: the sweep's row in SweepState
NAME = "deadlines"


class Calendars:
    """The partnerships' calendars, each read once in a run."""

    def __init__(self) -> None:
        self._found: dict[UUID, WorkingCalendar] = {}

    def of(self, partnership_id: UUID, partnership: Partnership | None = None) -> WorkingCalendar:
        found = self._found.get(partnership_id)
        if found is None:
            found = self._found[partnership_id] = calendar_for(
                partnership or Partnership.objects.get(pk=partnership_id)
            )
        return found

    def all(self) -> list[WorkingCalendar]:
        return [self.of(p.pk, p) for p in Partnership.objects.all()]


def day_starts_possible(window: Window) -> bool:
    """Whether any partnership's day start (its ``day_starts``, working day or not) falls in the window.

    If not, the window holds no working-day reminder and no digest, and no calendar is read: the
    distinct starting times are one small query (most partnerships share 09:00).
    """
    starts = set(Partnership.objects.values_list("day_starts", flat=True).distinct())
    d = window.start.astimezone(LONDON).date()
    while d <= window.end.astimezone(LONDON).date():
        for start in starts:
            if datetime.combine(d, start, tzinfo=LONDON).astimezone(UTC) in window:
                return True
        d += timedelta(days=1)
    return False


def deadlines_found(window: Window, calendars: Calendars) -> list[StageDeadline]:
    """The deadlines whose reminder or breach alert may fall in the window: indexed ranges of ``due``."""
    found: dict[int, StageDeadline] = {d.pk: d for d in reminders.missed_in(window)}
    for lead, slugs in reminders.clock_leads().items():
        for d in reminders.clock_reminders_in(window, lead, slugs):
            found.setdefault(d.pk, d)
    if day_starts_possible(window):
        for d in reminders.working_reminders_in(reminders.reminder_ranges(calendars.all(), window)):
            found.setdefault(d.pk, d)
    ordered = sorted(found.values(), key=lambda d: (d.due, d.pk))
    gave_way = reminders.shortened(ordered)
    return [d for d in ordered if d.pk not in gave_way]


def tells_for(deadline: StageDeadline, calendar: WorkingCalendar, window: Window, now: datetime) -> list[Tell]:
    """What the sweep says of one deadline in the window: its breach alert, its reminders."""
    disagreement = deadline.stage_run.disagreement
    version = disagreement.procedure_version
    procedure = version.procedure  # validated once per process (ProcedureVersion.procedure)
    timescale = reminders.timescale_of(procedure, disagreement.pathway, deadline.stage_run.stage, deadline.timescale)
    due = deadline.due
    if timescale is None or due is None or not timescale.computable:
        return []
    if reminders.met_by_notice(deadline, procedure, disagreement.pathway):
        return []  # Enfield L60: the line managers were informed, by Resolve's own message, in time
    clock = timescale.rule == "hours"
    urgent = clock or rules.is_urgent(disagreement)
    due_text = when_text(due)
    tells = []
    if due in window:
        late = not (
            reminders.in_working_hours(calendar, now)
            or (reminders.in_working_hours(calendar, due) and now <= due + reminders.LATE_GRACE)
        )
        tells.append(
            Tell(
                deadline=deadline,
                kind=Notice.Kind.DEADLINE_MISSED,
                key=f"missed:{deadline.pk}",
                what=reminders.what_missed(deadline, due_text),
                source=deadline.source,
                urgent=urgent,
                send_after=reminders.next_start(calendar, now) if late and not clock else None,
            )
        )
    if due <= now:
        return tells  # a reminder after the deadline is noise: its breach alert says it
    if clock:
        assert timescale.n is not None  # the schema requires n for hours
        moment = due - reminders.clock_lead(timescale.n)
        moments = [(calendar.local_date(moment), moment)]
    elif timescale.rule in reminders.WORKING_DAY_RULES:
        moments = [
            (day, reminders.day_start(calendar, day))
            for day in reminders.reminder_days(calendar, due, timescale)
            if now < calendar.end_of_day(day)  # never after its working day: the next reminder follows
        ]
    else:
        moments = []
    for day, moment in moments:
        if moment in window and moment > deadline.computed_at:
            tells.append(
                Tell(
                    deadline=deadline,
                    kind=Notice.Kind.DEADLINE_COMING,
                    key=f"coming:{deadline.pk}:{day.isoformat()}",
                    what=reminders.what_coming(deadline, timescale, due_text),
                    source=deadline.source,
                    urgent=urgent,
                    send_after=None,
                )
            )
    return tells


def deadlines_tell(window: Window, *, now: datetime, calendars: Calendars) -> dict[str, int]:
    """Write the window's breach alerts and reminders (once each); how many of each, and their messages."""
    tells: list[Tell] = []
    for deadline in deadlines_found(window, calendars):
        disagreement = deadline.stage_run.disagreement
        calendar = calendars.of(disagreement.partnership_id, disagreement.partnership)
        tells += tells_for(deadline, calendar, window, now)
    done = set(Notice.objects.filter(key__in=[t.key for t in tells]).values_list("key", flat=True))
    counts = {"missed": 0, "coming": 0, "messages": 0}
    for tell in tells:
        if tell.key in done:
            continue
        missed = tell.kind == Notice.Kind.DEADLINE_MISSED
        run = tell.deadline.stage_run
        notice = notice_send(
            disagreement=run.disagreement,
            run=run,
            to="handlers",
            what=tell.what,
            recipients=reminders.told_for_missed(tell.deadline) if missed else reminders.told_for_coming(tell.deadline),
            source=tell.source,
            by=None,
            at=now,
            kind=tell.kind,
            key=tell.key,
            deadline=tell.deadline,
            send_after=tell.send_after,
            urgent=tell.urgent,
        )
        if notice is None:
            continue
        counts["missed" if missed else "coming"] += 1
        # written now, so that this morning's digest carries this morning's reminders
        counts["messages"] += services.notice_dispatch(notice.pk, now=now)
    return counts


def sweep(*, worker: str, now: datetime | None = None) -> dict[str, int]:
    """One run of the sweep at ``now``; what it did, counted (``busy``: another sweep holds the row)."""
    now = now or timezone.now()
    started = time.monotonic()
    SweepState.objects.get_or_create(name=NAME, defaults={"swept_to": now})
    found: dict[str, int] = {}
    with transaction.atomic():
        state = SweepState.objects.select_for_update(skip_locked=True).filter(name=NAME).first()
        if state is None:
            return {"busy": 1}
        found["leases_expired"] = services.leases_expire(now=now)
        if now > state.swept_to:
            window = Window(state.swept_to, now)
            calendars = Calendars()
            found.update(deadlines_tell(window, now=now, calendars=calendars))
            if day_starts_possible(window):
                found["digests"] = digests.digests_write(window, now=now, calendar_of=calendars.of)
            state.swept_to = now
        state.last_run_at = now
        state.save()
    found["undispatched"] = services.notices_undispatched(now=now)
    found["sent"] = services.messages_send_due(worker=worker, now=now)
    SweepState.objects.filter(name=NAME).update(
        last_run_seconds=time.monotonic() - started, last_run_found=sum(found.values())
    )
    return found


def sweep_and_reschedule(*, worker: str) -> dict[str, int]:
    """Run the sweep, then queue the next run ``INTERVAL`` from now."""
    from resolve.notifications.tasks import sweep as sweep_task  # noqa: PLC0415 - tasks imports this module

    try:
        return sweep(worker=worker)
    finally:
        sweep_task.using(run_after=timezone.now() + INTERVAL).enqueue()
