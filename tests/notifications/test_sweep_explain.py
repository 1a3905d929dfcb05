"""The sweep's deadline queries are index range scans on ``StageDeadline.due``, never a scan of every deadline.

PostgreSQL only: its planner, given thousands of open disagreements' deadlines and fresh statistics
(ANALYZE), is asked to EXPLAIN the very querysets the sweep runs (``resolve.notifications.reminders``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from resolve.disagreements.models import Disagreement, StageDeadline, StageRun
from resolve.notifications import reminders
from resolve.notifications.reminders import Window
from resolve.partnerships.selectors import calendar_for
from tests.disagreements.walker import Step, Walker, at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's: run with DATABASE_URL=postgres://... (CI runs both databases)",
    ),
]

#: open disagreements made, each with a stage run and two deadlines spread over two years
MANY = 4000


def due_index() -> str:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, StageDeadline._meta.db_table)
    return next(name for name, c in constraints.items() if c["columns"] == ["due"] and c["index"])


@pytest.fixture
def many(cast_for, time_machine) -> Walker:
    walker = Walker(cast_for("pan-lancashire"), time_machine)
    walker.raise_("2026-12-07T09:30", pathway="escalation")
    walker.escalate(Step("stage-1", "2026-12-07T10:00", {}))
    d, run = walker.d, walker.current()
    start = at("2026-01-05T17:00")
    disagreements = Disagreement.objects.bulk_create(
        [
            Disagreement(
                partnership=d.partnership,
                reference=f"BULK-{i:06d}",
                procedure_version=d.procedure_version,
                pathway=d.pathway,
                child=d.child,
                raised_by=d.raised_by,
                raising_agency=d.raising_agency,
                expected="-",
                why="-",
                what_needed="-",
                raised_at=start,
            )
            for i in range(MANY)
        ]
    )
    runs = StageRun.objects.bulk_create(
        [
            StageRun(
                disagreement=x,
                stage=run.stage,
                name=run.name,
                position=run.position,
                entry=run.entry,
                started_at=start,
                started_by=run.started_by,
            )
            for x in disagreements
        ]
    )
    StageDeadline.objects.bulk_create(
        [
            StageDeadline(
                stage_run=r,
                timescale=slug,
                what="-",
                due=start + timedelta(hours=(i * 37 + k * 11) % (2 * 365 * 24)),
                rule="-",
                source="-",
                computed_at=start,
            )
            for i, r in enumerate(runs)
            for k, slug in enumerate(("stage-complete", "maximum"))
        ]
    )
    with connection.cursor() as cursor:
        for model in (Disagreement, StageRun, StageDeadline):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return walker


def assert_index_range_scan(plan: str, *, on_due: bool = True) -> None:
    assert "Seq Scan on disagreements_stagedeadline" not in plan, plan
    if on_due:
        assert due_index() in plan, plan
        assert "Index Scan" in plan or "Bitmap Index Scan" in plan, plan


def test_the_breach_alert_query_is_a_range_scan_of_the_due_index(many: Walker) -> None:
    window = Window(at("2026-12-14T16:59"), at("2026-12-14T17:00"))
    assert_index_range_scan(reminders.missed_in(window).explain())
    assert list(reminders.missed_in(window))  # it finds what fell due: the walker's own deadline at 17:00


def test_the_clock_hour_reminder_query_is_a_range_scan_of_the_due_index(many: Walker) -> None:
    window = Window(at("2026-12-14T05:00"), at("2026-12-14T05:01"))
    leads = reminders.clock_leads()
    assert leads == {} or all(isinstance(k, timedelta) for k in leads)
    query = reminders.clock_reminders_in(window, timedelta(hours=6), {"decision-child-protection"})
    assert_index_range_scan(query.explain())


def test_the_working_day_reminder_query_at_9_is_a_range_scan_of_the_due_index(many: Walker) -> None:
    window = Window(at("2026-12-14T08:59"), at("2026-12-14T09:00"))
    ranges = reminders.reminder_ranges([calendar_for(many.d.partnership)], window)
    # Monday 14 December: due after 09:00 that day and up to 09:00 on Wednesday (the day before's reminders too)
    assert ranges == [(at("2026-12-14T09:00"), at("2026-12-16T09:00"))]
    query = reminders.working_reminders_in(ranges)
    assert_index_range_scan(query.explain())
    assert many.d.pk in {d.stage_run.disagreement_id for d in query}


def test_the_set_for_case_check_reads_only_the_stage_runs_found(many: Walker) -> None:
    query = reminders.set_for_case_of([many.current().pk])
    assert_index_range_scan(query.explain(), on_due=False)
