"""``resolve retention apply [--dry-run]``: remove personal data past each partnership's retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from resolve.core.actors import Operator
from resolve.disagreements.retention import retention_apply


class Command(BaseCommand):
    help = "Remove personal data from disagreements closed longer ago than their partnership keeps them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{apply}")
        apply = sub.add_parser("apply", help="erase what is past the retention period")
        apply.add_argument("--dry-run", action="store_true", help="say what would be erased; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_apply(by=Operator.current(), dry_run=options["dry_run"])
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} the personal data of {report.disagreements} closed disagreement(s) "
            f"({report.records} record(s); {report.children} child record(s) made anonymous), "
            f"and {report.unused_children} child record(s) registered but never raised about. "
            "Dates, stages, agencies and outcomes are kept for the partnership's figures."
        )
