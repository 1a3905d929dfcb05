# ruff: noqa: T201 - a benchmark prints its figures
"""Benchmark: adding people from a file, at the sizes a partnership sends (default 1,000 rows; the limit is 5,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolve PYTHONPATH=src .venv/bin/python bench/people_import.py

The database is the server of DATABASE_URL, database ``resolve_bench`` (``--database`` names another;
``--use-url`` uses the one in the URL as it is), dropped and made again from the migrations, as
``bench/sweep.py`` does: never point it at data you keep. One partnership on Enfield's procedure with
four agencies; then a CSV file of ``--rows`` people (default 1,000): one manager at level 3 for every
19 practitioners at level 1 managed by them, spread over the agencies, the managers after the people
they manage (so that the check must find line managers later in the file), each practitioner with a
telephone number and every 50th holding the business unit's role.

It times, as the administrator's two steps do (``resolve.partnerships.importing``):

1. reading and checking the whole file (``people_file_read`` and ``people_file_check``): what the
   "Check the file" button costs, which saves nothing;
2. saving it (``people_import``): every person in one transaction, each with its audit entry.

For each it prints the wall time and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep import database_url, recreate, setup

DEFAULT_ROWS = 1_000
AGENCIES = (
    ("Met Police", "met-police"),
    ("Children's Social Care", "childrens-social-care"),
    ("Community Health", "community-health"),
    ("Education", "education"),
)
HEADER = ["Name", "Email", "Agency", "Job title", "Level", "Line manager email", "Telephone", "Roles"]


def people_csv(rows: int) -> bytes:
    """``rows`` people: groups of 19 practitioners followed by their level 3 manager."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    group: list[list[str]] = []
    for i in range(1, rows + 1):
        agency = AGENCIES[(i // 20) % len(AGENCIES)][0]
        manager = f"manager-{(i - 1) // 20}@bench.example"
        if i % 20 == 0 or i == rows:
            writer.writerows(group)
            writer.writerow([f"Manager {i // 20}", manager, agency, "Service Manager", "3", "", "", ""])
            group = []
            continue
        role = "business-unit" if i % 50 == 0 else ""
        group.append(
            [f"Person {i}", f"person-{i}@bench.example", agency, "Practitioner", "1", manager, "020 7946 0000", role]
        )
    return out.getvalue().encode()


def run(rows: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from resolve.core.actors import Operator  # noqa: PLC0415
    from resolve.partnerships.importing import people_file_check, people_file_read, people_import  # noqa: PLC0415
    from resolve.partnerships.models import Agency, Partnership, Person  # noqa: PLC0415
    from resolve.procedures.services import procedure_version_from_bundle  # noqa: PLC0415

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - t:.1f} s")
    version = procedure_version_from_bundle("enfield")
    partnership = Partnership.objects.create(slug="bench", name="Bench", nation="ENG", procedure=version)
    for name, column in AGENCIES:
        Agency.objects.create(partnership=partnership, name=name, matrix_agency=column)
    content = people_csv(rows)
    print(f"file: {rows} rows, {len(content) / 1024:.0f} KiB of CSV")

    with CaptureQueriesContext(connection) as queries:
        t = time.monotonic()
        read = people_file_read(name="people.csv", content=content)
        people_file_check(partnership=partnership, rows=read.rows)
        took = time.monotonic() - t
    print(f"1. read and check the whole file: {took:.2f} s, {len(queries)} queries")

    with CaptureQueriesContext(connection) as queries:
        t = time.monotonic()
        added = people_import(partnership=partnership, rows=read.rows, by=Operator("bench@localhost"))
        took = time.monotonic() - t
    print(f"2. save them (one transaction, one audit entry each): {took:.2f} s, {len(queries)} queries")
    print(f"   {len(added)} people added; {took / max(len(added), 1) * 1000:.1f} ms a person")
    assert Person.objects.filter(partnership=partnership).count() == rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--database", default="resolve_bench")
    parser.add_argument("--use-url", action="store_true")
    args = parser.parse_args()
    url = database_url(args)
    recreate(url)
    setup(url)
    run(args.rows)


if __name__ == "__main__":
    main()
