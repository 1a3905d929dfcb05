# ruff: noqa: T201 - a benchmark prints its figures
"""Benchmark: the oversight dashboard's figures over 1,000,000 disagreements in 150 partnerships.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolve PYTHONPATH=src .venv/bin/python bench/dashboard.py

The database is the server of DATABASE_URL, database ``resolve_bench_dashboard`` (``--database``
names another), dropped and made again from the migrations unless ``--reuse`` finds it already
built: never point it at data you keep. 150 partnerships on Enfield's procedure, each with four
agencies, a practitioner in each, someone at level 4 and one child; then, with INSERT ... SELECT
generate_series, ``--disagreements`` (default 1,000,000) raised over 2025 and 2026: one in ten in
partnership 0 (the large one: about 53,000 a year), the rest spread over the other 149. Each reached
1 to 4 of Enfield's stages (stage 1, 2, 3, Step 4), each stage run with its deadline (some met, some
missed), another agency in dispute, the raiser taking part, someone at level 4 in one in thirteen;
six in ten resolved, one in ten withdrawn, the rest open.

Then it times each figure of ``resolve.reports.figures.FIGURES``, three times each (the best is
printed, with the number of SQL queries), for:

1. the large partnership over one year (1 January to 31 December 2026);
2. all 150 partnerships over the two years (the whole installation).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep import database_url, recreate, setup

DEFAULT_DISAGREEMENTS = 1_000_000
PARTNERSHIPS = 150
CATEGORIES = ("threshold-referral", "course-of-action", "action-not-completed", "case-closure", "professional-conduct")
AGENCIES = (
    ("Met Police", "met-police"),
    ("Children's Social Care", "childrens-social-care"),
    ("Community Health", "community-health"),
    ("Education", "education"),
)
STAGES = (("stage-1", "Stage 1"), ("stage-2", "Stage 2"), ("stage-3", "Stage 3"), ("step-4", "Step 4"))

# The disagreements, from the series i = 1..n and the table of partnerships (bench_p). The hour it was
# raised is spread over 2025-2026 by a multiplicative hash; how far it went, and how it ended, by i.
SQL = {
    "disagreements": """
        INSERT INTO disagreements_disagreement (id, partnership_id, reference, procedure_version_id, pathway,
            category, child_id, raised_by_id, raising_agency_id, expected, why, what_needed, evidence,
            significant_harm, urgent, urgent_reason, child_protection, flags, conference_kind, status,
            raised_at, closed_at, closing_reason, working_days_taken)
        SELECT md5('d' || i)::uuid, p.partnership, 'B-' || lpad(i::text, 7, '0'), %(version)s, 'escalation',
            (%(categories)s::text[])[1 + i %% 5], p.child, p.people[1 + i %% 4], p.agencies[1 + i %% 4],
            '-', '-', '-', '', false, false, '', false, '[]', '',
            CASE WHEN i %% 10 < 6 THEN 'resolved' WHEN i %% 10 = 6 THEN 'withdrawn' ELSE 'open' END,
            %(start)s + ((i::bigint * 7919) %% (730 * 24)) * interval '1 hour',
            CASE WHEN i %% 10 <= 6 THEN %(start)s + ((i::bigint * 7919) %% (730 * 24)) * interval '1 hour'
                + (1 + i %% 15) * interval '1 day' END,
            '', CASE WHEN i %% 10 <= 6 THEN ((1 + i %% 15) * 5) / 7 END
        FROM generate_series(1, %(n)s) AS i
        JOIN bench_p AS p ON p.idx = CASE WHEN i %% 10 = 0 THEN 0 ELSE 1 + i %% 149 END""",
    "other agencies": """
        INSERT INTO disagreements_disagreement_other_agencies (disagreement_id, agency_id)
        SELECT md5('d' || i)::uuid, p.agencies[1 + (i + 1) %% 4]
        FROM generate_series(1, %(n)s) AS i
        JOIN bench_p AS p ON p.idx = CASE WHEN i %% 10 = 0 THEN 0 ELSE 1 + i %% 149 END""",
    # stage s (0-3) is reached when s < 1 + (i % 7 = 0) + (i % 3 = 0) + (i % 11 = 0); each lasts 1-5 days
    "stage runs": """
        INSERT INTO disagreements_stagerun (id, disagreement_id, stage, name, position, entry, started_at,
            ended_at, started_by_id, outcome, outcome_reason)
        SELECT md5('r' || i || '-' || s)::uuid, d.id, (%(stages)s::text[])[1 + s], (%(names)s::text[])[1 + s], s,
            CASE WHEN s = 0 THEN 'raised' ELSE 'escalated' END,
            d.raised_at + s * interval '2 days',
            CASE WHEN s < k - 1 THEN d.raised_at + s * interval '2 days' + (1 + (i + s) %% 5) * interval '1 day'
                 ELSE d.closed_at END,
            d.raised_by_id,
            CASE WHEN s < k - 1 THEN 'escalated' WHEN d.status = 'open' THEN '' ELSE d.status END, ''
        FROM generate_series(1, %(n)s) AS i
        JOIN disagreements_disagreement AS d ON d.id = md5('d' || i)::uuid
        CROSS JOIN LATERAL (SELECT 1 + (i %% 7 = 0)::int + (i %% 3 = 0)::int + (i %% 11 = 0)::int AS k) AS reach
        CROSS JOIN LATERAL generate_series(0, reach.k - 1) AS s""",
    "deadlines": """
        INSERT INTO disagreements_stagedeadline (stage_run_id, kind, timescale, what, due, rule, source,
            computed_at, reason)
        SELECT r.id, 'procedure', 'resolution', 'Resolved at this stage', r.started_at + interval '3 days',
            'within 3 days (benchmark)', 'bench', r.started_at, ''
        FROM disagreements_stagerun AS r""",
    "participants": """
        INSERT INTO disagreements_participant (disagreement_id, person_id, capacity, stage_run_id, added_at)
        SELECT d.id, d.raised_by_id, 'raiser', md5('r' || i || '-0')::uuid, d.raised_at
        FROM generate_series(1, %(n)s) AS i JOIN disagreements_disagreement AS d ON d.id = md5('d' || i)::uuid
        UNION ALL
        SELECT d.id, p.senior, 'handler', md5('r' || i || '-0')::uuid, d.raised_at + interval '1 day'
        FROM generate_series(13, %(n)s, 13) AS i JOIN disagreements_disagreement AS d ON d.id = md5('d' || i)::uuid
        JOIN bench_p AS p ON p.partnership = d.partnership_id""",
}


def build(n: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from resolve.disagreements.models import Child  # noqa: PLC0415
    from resolve.partnerships.models import Agency, Partnership, Person  # noqa: PLC0415
    from resolve.procedures.services import procedure_version_from_bundle  # noqa: PLC0415

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - t:.1f} s")
    t = time.monotonic()
    version = procedure_version_from_bundle("enfield")
    rows = []
    for idx in range(PARTNERSHIPS):
        partnership = Partnership.objects.create(
            slug=f"bench-{idx}", name=f"Bench {idx}", nation="ENG", procedure=version, reference_prefix=f"B{idx}"
        )
        agencies = [Agency.objects.create(partnership=partnership, name=n, matrix_agency=c) for n, c in AGENCIES]
        people = [
            Person.objects.create(
                partnership=partnership, agency=a, level=1, name=f"Practitioner {k}", job_title="Practitioner"
            )
            for k, a in enumerate(agencies)
        ]
        senior = Person.objects.create(
            partnership=partnership, agency=agencies[1], level=4, name="Head of Service", job_title="Head of Service"
        )
        child = Child.objects.create(partnership=partnership, reference=f"BENCH-{idx}")
        rows.append((idx, partnership.pk, [a.pk for a in agencies], [p.pk for p in people], senior.pk, child.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_p (idx int PRIMARY KEY, partnership uuid, agencies uuid[], people uuid[], "
            "senior uuid, child uuid)"
        )
        cursor.executemany("INSERT INTO bench_p VALUES (%s, %s, %s, %s, %s, %s)", rows)
    print(f"150 partnerships with their agencies and people: {time.monotonic() - t:.1f} s")
    params = {
        "version": version.pk,
        "n": n,
        "categories": list(CATEGORIES),
        "stages": [s for s, _ in STAGES],
        "names": [name for _, name in STAGES],
        "start": datetime(2025, 1, 1, tzinfo=UTC),
    }
    with connection.cursor() as cursor:
        for name, sql in SQL.items():
            t = time.monotonic()
            cursor.execute(sql, params)
            print(f"{name}: {cursor.rowcount:,} rows in {time.monotonic() - t:.1f} s")
        t = time.monotonic()
        cursor.execute("ANALYZE")
        print(f"analyze: {time.monotonic() - t:.1f} s")


def built() -> bool:
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_p') IS NOT NULL")
        return bool(cursor.fetchone()[0])


def measure(label: str, partnership_ids: tuple[object, ...], start: date, end: date) -> None:
    from django.db import connection, reset_queries  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from resolve.reports.figures import FIGURES, Scope  # noqa: PLC0415

    scope = Scope(partnership_ids=partnership_ids, start=start, end=end, now=datetime(2027, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]
    print(f"\n{label}")
    total = 0.0
    for name, figure in FIGURES.items():
        best, queries = float("inf"), 0
        for _ in range(3):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t = time.monotonic()
                figure(scope)
                best = min(best, time.monotonic() - t)
            queries = len(captured)
        total += best
        print(f"  {name:<22} {best * 1000:8.0f} ms  {queries:3d} queries")
    print(f"  {'all figures':<22} {total * 1000:8.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--disagreements", type=int, default=DEFAULT_DISAGREEMENTS)
    parser.add_argument("--database", default="resolve_bench_dashboard")
    parser.add_argument("--use-url", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is already built")
    parser.add_argument("--build-only", action="store_true", help="build the database, time nothing")
    args = parser.parse_args()
    url = database_url(args)
    if not args.reuse:
        recreate(url)
    setup(url)
    if not (args.reuse and built()):
        build(args.disagreements)
    if args.build_only:
        return

    from resolve.partnerships.models import Partnership  # noqa: PLC0415

    large = Partnership.objects.get(slug="bench-0").pk
    every = tuple(Partnership.objects.order_by("slug").values_list("pk", flat=True))
    measure("1. the large partnership (bench-0), one year: 2026", (large,), date(2026, 1, 1), date(2026, 12, 31))
    measure(f"2. all {len(every)} partnerships, two years: 2025-2026", every, date(2025, 1, 1), date(2026, 12, 31))


if __name__ == "__main__":
    main()
