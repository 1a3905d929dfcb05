# ruff: noqa: T201 - a benchmark prints its figures
"""Benchmark: the deadline sweep with 1,000,000 open disagreements, 1,000 of them falling due in its window.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolve PYTHONPATH=src .venv/bin/python bench/sweep.py

The database is the server of DATABASE_URL, database ``resolve_bench`` (``--database`` names
another; ``--use-url`` uses the one in the URL as it is). It is dropped and made again from the
migrations, so never point it at data you keep. The rows are the fewest that make a disagreement:
one partnership on Pan-Lancashire's procedure, two agencies, six people, one child; then, with
INSERT ... SELECT generate_series, ``--open`` open disagreements (default 1,000,000), each with a
stage run at stage 1 and its 5-working-day deadline. ``--due`` of them (default 1,000) fall due at
17:00 on Monday 14 December 2026 and have their raiser and counterpart taking part; the rest fall due
in 2027-2028, away from the window.

Then it times three runs of ``resolve.notifications.sweep.sweep`` (e-mail in memory: the sweep's own
work, and its first 200 sends, are what is measured):

1. an idle minute (nothing falls due): the cost that does not grow with the open disagreements;
2. 09:00 on Monday 14 December: the 1,000 "deadline coming" reminders (the day they fall due);
3. 17:00 the same day: the 1,000 breach alerts.

For each it prints the window, the wall time, the number of SQL queries, and what the sweep counted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

DEFAULT_OPEN = 1_000_000
DEFAULT_DUE = 1_000


def database_url(args: argparse.Namespace) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/resolve")
    if args.use_url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + args.database))


def recreate(url: str) -> None:
    """Drop and create the benchmark's database (connected to the server's ``postgres`` database)."""
    import psycopg  # noqa: PLC0415 - only the benchmark needs it directly

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resolve.settings.test")
    import django  # noqa: PLC0415

    django.setup()


def build(n_open: int, n_due: int) -> dict[str, float]:
    """Make the rows; how long each step took."""
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from resolve.disagreements.models import Child  # noqa: PLC0415
    from resolve.partnerships.models import Agency, Partnership, Person  # noqa: PLC0415
    from resolve.procedures.services import procedure_version_from_bundle  # noqa: PLC0415

    took: dict[str, float] = {}
    t = time.monotonic()
    call_command("migrate", verbosity=0)
    took["migrate"] = time.monotonic() - t

    t = time.monotonic()
    version = procedure_version_from_bundle("pan-lancashire")
    partnership = Partnership.objects.create(slug="bench", name="Bench", nation="ENG", procedure=version)
    school = Agency.objects.create(partnership=partnership, name="School", matrix_agency="education")
    csc = Agency.objects.create(partnership=partnership, name="Social Care", matrix_agency="childrens-social-care")
    people = {}
    for agency in (school, csc):
        manager = None
        for level in (3, 2, 1):
            manager = Person.objects.create(
                partnership=partnership,
                agency=agency,
                level=level,
                line_manager=manager,
                name=f"{agency.name} {level}",
                job_title=f"Level {level}",
                email=f"{agency.matrix_agency}-{level}@example.test",
            )
            people[(agency.pk, level)] = manager
    child = Child.objects.create(partnership=partnership, reference="BENCH-CHILD")
    raiser, counterpart = people[(school.pk, 1)], people[(csc.pk, 1)]
    took["base rows"] = time.monotonic() - t

    params = {
        "partnership": partnership.pk,
        "version": version.pk,
        "child": child.pk,
        "raiser": raiser.pk,
        "counterpart": counterpart.pk,
        "school": school.pk,
        "csc": csc.pk,
        "n": n_open,
        "due_n": n_due,
        "raised": datetime(2026, 12, 7, 10, tzinfo=UTC),
        "due": datetime(2026, 12, 14, 17, tzinfo=UTC),
        "far": datetime(2027, 1, 4, 17, tzinfo=UTC),
    }
    steps = {
        "disagreements": """
            INSERT INTO disagreements_disagreement (id, partnership_id, reference, procedure_version_id, pathway,
                category, child_id, raised_by_id, raising_agency_id, expected, why, what_needed, evidence,
                significant_harm, urgent, urgent_reason, child_protection, flags, conference_kind, status,
                raised_at, closing_reason)
            SELECT md5('d' || i)::uuid, %(partnership)s, 'B-' || lpad(i::text, 7, '0'), %(version)s, 'escalation',
                '', %(child)s, %(raiser)s, %(school)s, '-', '-', '-', '', false, false, '', false, '[]', '', 'open',
                %(raised)s, ''
            FROM generate_series(1, %(n)s) AS i""",
        "other agencies": """
            INSERT INTO disagreements_disagreement_other_agencies (disagreement_id, agency_id)
            SELECT md5('d' || i)::uuid, %(csc)s FROM generate_series(1, %(n)s) AS i""",
        "stage runs": """
            INSERT INTO disagreements_stagerun (id, disagreement_id, stage, name, position, entry, started_at,
                started_by_id, outcome, outcome_reason)
            SELECT md5('r' || i)::uuid, md5('d' || i)::uuid, 'stage-1', 'Stage 1', 1, 'escalated', %(raised)s,
                %(raiser)s, '', ''
            FROM generate_series(1, %(n)s) AS i""",
        "deadlines": """
            INSERT INTO disagreements_stagedeadline (stage_run_id, kind, timescale, what, due, rule, source,
                computed_at, reason)
            SELECT md5('r' || i)::uuid, 'procedure', 'stage-complete', 'Stage 1 complete',
                CASE WHEN i <= %(due_n)s THEN %(due)s
                     ELSE %(far)s + ((i::bigint * 7919) %% (2 * 365 * 24)) * interval '1 hour' END,
                '5 working days from the start of this stage', 'L25', %(raised)s, ''
            FROM generate_series(1, %(n)s) AS i""",
        "participants": """
            INSERT INTO disagreements_participant (disagreement_id, person_id, capacity, stage_run_id, added_at)
            SELECT md5('d' || i)::uuid, p.person, p.capacity, md5('r' || i)::uuid, %(raised)s
            FROM generate_series(1, %(due_n)s) AS i,
                (VALUES (%(raiser)s::uuid, 'raiser'), (%(counterpart)s::uuid, 'counterpart')) AS p(person, capacity)""",
    }
    with connection.cursor() as cursor:
        for name, sql in steps.items():
            t = time.monotonic()
            cursor.execute(sql, params)
            took[name] = time.monotonic() - t
        t = time.monotonic()
        cursor.execute("VACUUM ANALYZE") if connection.get_autocommit() else cursor.execute("ANALYZE")
        took["analyze"] = time.monotonic() - t
    return took


def measure(label: str, start: datetime, end: datetime) -> None:
    from django.db import connection  # noqa: PLC0415

    from resolve.notifications import services, sweep  # noqa: PLC0415
    from resolve.notifications.models import SweepState  # noqa: PLC0415

    sending = [0.0]
    send_due = services.messages_send_due

    def timed_send_due(**kwargs):  # type: ignore[no-untyped-def]
        t = time.monotonic()
        try:
            return send_due(**kwargs)
        finally:
            sending[0] += time.monotonic() - t

    services.messages_send_due = timed_send_due

    SweepState.objects.update_or_create(name=sweep.NAME, defaults={"swept_to": start})
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        t = time.monotonic()
        found = sweep.sweep(worker="bench", now=end)
        took = time.monotonic() - t
    services.messages_send_due = send_due
    shown = {k: v for k, v in found.items() if v}
    print(
        f"{label}: window ({start:%d %b %H:%M}, {end:%d %b %H:%M}] UTC\n"
        f"    {took:.2f} s in all ({took - sending[0]:.2f} s finding and writing, {sending[0]:.2f} s sending), "
        f"{len(queries)} queries; {shown}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=DEFAULT_OPEN, help="open disagreements (default 1,000,000)")
    parser.add_argument("--due", type=int, default=DEFAULT_DUE, help="of them due in the window (default 1,000)")
    parser.add_argument("--database", default="resolve_bench", help="the database made on DATABASE_URL's server")
    parser.add_argument("--use-url", action="store_true", help="use DATABASE_URL's own database (it is dropped)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures show as they come
    url = database_url(args)
    started = time.monotonic()
    recreate(url)
    setup(url)
    took = build(args.open, args.due)
    print(f"built {args.open:,} open disagreements ({args.due:,} due in the window) in {sum(took.values()):.0f} s:")
    print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
    monday_9 = datetime(2026, 12, 14, 9, tzinfo=UTC)  # 09:00 GMT
    monday_17 = datetime(2026, 12, 14, 17, tzinfo=UTC)
    measure("idle minute (nothing falls due)", monday_9 - timedelta(minutes=2), monday_9 - timedelta(minutes=1))
    measure("09:00: the day's reminders", monday_9 - timedelta(minutes=1), monday_9)
    measure("17:00: the breach alerts", monday_17 - timedelta(minutes=1), monday_17)
    measure("17:01: idle again", monday_17, monday_17 + timedelta(minutes=1))
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
