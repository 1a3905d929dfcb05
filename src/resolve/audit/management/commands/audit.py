"""``resolve audit verify|export``: check the audit trail's chain; export it for a case or a person."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from resolve.audit.chain import verify
from resolve.audit.models import Verb
from resolve.audit.selectors import as_row, trail_for_disagreement, trail_for_person
from resolve.audit.services import event_record
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or export the trail for a disagreement or a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,export}")
        sub.add_parser("verify", help="check every entry; exit status 1 and the first broken entry if any")
        export = sub.add_parser("export", help="the entries about one disagreement or one person")
        whose = export.add_mutually_exclusive_group(required=True)
        whose.add_argument("--disagreement", help="the disagreement's identifier")
        whose.add_argument("--person", help="the person's identifier (a subject access request)")
        export.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = verify()
            self.stdout.write(result.message)
            if not result.ok:
                raise SystemExit(1)
            return
        rows = self._export(options["disagreement"], options["person"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]) if rows else ["entry"])
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "details": json.dumps(row["details"], sort_keys=True)})

    def _export(self, disagreement_id: str | None, person_id: str | None) -> list[dict[str, Any]]:
        try:
            if disagreement_id:
                disagreement = Disagreement.objects.get(pk=disagreement_id)
                rows = [as_row(e) for e in trail_for_disagreement(disagreement)]
                partnership, subject = disagreement.partnership, {"disagreement": disagreement_id}
            else:
                person = Person.objects.get(pk=str(person_id))
                rows = [as_row(e) for e in trail_for_person(person)]
                partnership, subject = person.partnership, {"person": str(person_id)}
        except (Disagreement.DoesNotExist, Person.DoesNotExist, ValidationError, ValueError):
            raise CommandError(
                f"No such {'disagreement' if disagreement_id else 'person'}: check the identifier."
            ) from None
        event_record(verb=Verb.EXPORTED, partnership=partnership, actor=None, data={**subject, "entries": len(rows)})
        return rows
