"""``resolve audit verify|checkpoint|export``: check the trail, anchor it outside the database, export it.

Each is recorded in the trail as run by the operator at the command line (their login and host).
Run ``resolve audit checkpoint`` regularly from cron (docs/decisions/0004-audit-trail-hash-chain.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resolve.accounts.trail_export import FORMATS, trail_export
from resolve.audit.chain import entries
from resolve.audit.services import checkpoint_write, trail_verify
from resolve.core.actors import Operator
from resolve.core.errors import ResolveError


class Command(BaseCommand):
    help = "Verify the audit trail, write a checkpoint of it, or export the trail for a disagreement or a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint,export}")
        verify = sub.add_parser(
            "verify", help="check every entry against the chain and the checkpoints; exit status 1 naming each problem"
        )
        verify.add_argument(
            "--checkpoint", type=Path, help="also check against this checkpoint file (e.g. one received by e-mail)"
        )
        sub.add_parser("checkpoint", help="sign the chain's head and write it to the checkpoint file (and e-mail)")
        export = sub.add_parser("export", help="the entries about one disagreement or one person")
        whose = export.add_mutually_exclusive_group(required=True)
        whose.add_argument("--disagreement", help="the disagreement's identifier")
        whose.add_argument("--person", help="the person's identifier (a subject access request)")
        export.add_argument("--format", choices=FORMATS, default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = Operator.current()
        try:
            if options["action"] == "verify":
                also = options["checkpoint"]
                if also is not None and not also.is_file():
                    raise CommandError(f"No checkpoint file at {also}.")
                result = trail_verify(by=operator, also=also)
                self.stdout.write(result.message)
                if not result.ok:
                    raise SystemExit(1)
                return
            if options["action"] == "checkpoint":
                checkpoint = checkpoint_write(by=operator)
                newest = checkpoint.hash[:12]
                self.stdout.write(
                    f"Checkpoint written: {entries(checkpoint.seq)}, newest {newest}, at {checkpoint.when}."
                )
                return
            export = trail_export(
                disagreement_id=options["disagreement"] or "", person_id=options["person"] or "", by=operator
            )
        except ResolveError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(export.as_text(options["format"]))
