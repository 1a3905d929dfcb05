"""``resolve audit verify|export``: check the audit trail's chain; export it for a case or a person."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resolve.administration.exports import FORMATS, trail_export
from resolve.audit.chain import verify
from resolve.core.actors import Operator
from resolve.core.errors import ResolveError


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or export the trail for a disagreement or a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,export}")
        sub.add_parser("verify", help="check every entry; exit status 1 and the first broken entry if any")
        export = sub.add_parser("export", help="the entries about one disagreement or one person")
        whose = export.add_mutually_exclusive_group(required=True)
        whose.add_argument("--disagreement", help="the disagreement's identifier")
        whose.add_argument("--person", help="the person's identifier (a subject access request)")
        export.add_argument("--format", choices=FORMATS, default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = verify()
            self.stdout.write(result.message)
            if not result.ok:
                raise SystemExit(1)
            return
        try:
            export = trail_export(
                disagreement_id=options["disagreement"] or "", person_id=options["person"] or "", by=Operator.current()
            )
        except ResolveError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(export.as_text(options["format"]))
