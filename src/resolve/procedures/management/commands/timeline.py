"""``resolve timeline``: every deadline of a pathway against the calendar, for checking a procedure.

The bank holidays are those of the nation given (``--nation``) or else the one the procedure names.
A partnership's own calendar (``--partnership``) is the partnerships app's business: its own
``timeline`` command extends this one with that option, so that this app knows nothing of
partnerships.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resolve.calendar import LONDON, NATIONS, WorkingCalendar
from resolve.procedures.cli_support import procedure_from_argument
from resolve.procedures.schema import Contact, Procedure
from resolve.procedures.timeline import TimelineError, TimelineRow, what_if


def parse_start(value: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is UK local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--start {value!r} is not an ISO 8601 date-time; write it like 2026-12-21T10:00 "
            f"or 2026-12-21T10:00:00+00:00."
        ) from None
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment


def local(moment: datetime | None) -> str:
    return moment.astimezone(LONDON).strftime("%a %d %b %Y %H:%M %Z") if moment else "(no date)"


class Command(BaseCommand):
    help = "Print every deadline of a procedure's pathway from a start date, in working days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("procedure", help="a bundled slug (e.g. enfield) or a definition file")
        parser.add_argument("--pathway", help="pathway slug (default: the first)")
        parser.add_argument("--from-stage", help="stage slug to start at (default: the first)")
        parser.add_argument("--start", required=True, help="ISO 8601 date-time; no offset means UK time")
        parser.add_argument("--significant-harm", action="store_true")
        parser.add_argument("--urgent", action="store_true", help="start at the first stage urgent cases may")
        parser.add_argument("--child-protection", action="store_true")
        parser.add_argument("--flag", action="append", default=[], help="a procedure flag (repeatable)")
        parser.add_argument("--nation", choices=sorted(NATIONS), help="bank holidays (default: the procedure's)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        procedure = procedure_from_argument(options["procedure"])
        start = parse_start(options["start"])
        calendar = self.calendar(procedure, options)
        try:
            rows = what_if(
                procedure,
                start=start,
                calendar=calendar,
                significant_harm=options["significant_harm"],
                urgent=options["urgent"],
                child_protection=options["child_protection"],
                flags=options["flag"],
                pathway=options["pathway"],
                from_stage=options["from_stage"],
            )
        except TimelineError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps([self._json(r) for r in rows], indent=2))
        else:
            self._table(procedure, rows, calendar)

    def calendar(self, procedure: Procedure, options: dict[str, Any]) -> WorkingCalendar:
        """The nation's bank holidays: the one asked for, else the one the procedure names."""
        return WorkingCalendar(nation=options["nation"] or procedure.nation)

    @staticmethod
    def _json(row: TimelineRow) -> dict[str, Any]:
        return {
            "stage": row.stage,
            "stage_name": row.stage_name,
            "starts": row.starts.astimezone(LONDON).isoformat(),
            "what": row.what,
            "due": row.due.astimezone(LONDON).isoformat() if row.due else None,
            "rule": row.rule,
            "source": row.source,
            "stage_source": row.stage_source,
            "out_of_hours": [_contact(c) for c in row.out_of_hours],
            "instruction": row.instruction,
        }

    def _table(self, procedure: Procedure, rows: list[TimelineRow], calendar: WorkingCalendar) -> None:
        """Every line marked with the place in the procedure it comes from, in square brackets."""
        own_days = len(calendar.closures) + len(calendar.extra_working_days)
        extra = f", and {own_days} day(s) of the partnership's own" if own_days else ""
        self.stdout.write(f"Working days: the bank holidays of {NATIONS[calendar.nation]}{extra}.")
        for contact in procedure.contacts:
            if contact.out_of_hours:
                self.stdout.write(f"Out of hours: {_contact_text(contact)}")
        current = None
        for row in rows:
            if row.stage != current:
                current = row.stage
                self.stdout.write(f"\n{row.stage_name} [{row.stage}], from {local(row.starts)} [{row.stage_source}]")
            when = "(instruction)" if row.instruction else local(row.due)
            self.stdout.write(f"  {when:<24} {row.what} [{row.source}]")
            self.stdout.write(f"  {'':<24} rule: {row.rule} [{row.source}]")
            for contact in row.out_of_hours:
                self.stdout.write(f"  {'':<24} outside working hours: {_contact_text(contact)}")


def _contact(contact: Contact) -> dict[str, str | None]:
    return {"name": contact.name, "detail": contact.detail, "when": contact.when, "source": contact.source}


def _contact_text(contact: Contact) -> str:
    when = f" ({contact.when})" if contact.when else ""
    return f"{contact.name}, {contact.detail}{when} [{contact.source}]"
