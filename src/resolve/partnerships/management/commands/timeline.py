"""``resolve timeline``, with ``--partnership``: deadlines on a partnership's own calendar.

This extends the procedures app's own command, which knows only the nations' bank holidays. Django
runs the command of the app listed first in ``INSTALLED_APPS``, so ``resolve.partnerships`` comes
before ``resolve.procedures`` there.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from resolve.calendar import WorkingCalendar
from resolve.partnerships.models import Partnership
from resolve.partnerships.selectors import calendar_for
from resolve.procedures.management.commands import timeline
from resolve.procedures.schema import Procedure


class Command(timeline.Command):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--partnership", help="use this partnership's calendar: its nation and closure days")

    def calendar(self, procedure: Procedure, options: dict[str, Any]) -> WorkingCalendar:
        slug = options["partnership"]
        if not slug:
            return super().calendar(procedure, options)
        if options["nation"]:
            raise CommandError("Give --partnership or --nation, not both: a partnership's calendar has its own nation.")
        try:
            partnership = Partnership.objects.get(slug=slug)
        except Partnership.DoesNotExist:
            raise CommandError(f"There is no partnership {slug!r}.") from None
        return calendar_for(partnership)
