"""``resolve procedures``, with ``adopt``: a partnership adopts a bundled procedure or its own file.

This extends the procedures app's own command (list, show, check, versions). Django runs the command
of the app listed first in ``INSTALLED_APPS``, so ``resolve.partnerships`` comes before
``resolve.procedures`` there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from resolve.core.actors import Operator
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import partnership_adopt_procedure
from resolve.procedures.cli_support import procedure_from_argument
from resolve.procedures.management.commands import procedures
from resolve.procedures.services import procedure_version_from_bundle, procedure_version_from_file


class Command(procedures.Command):
    help = "List, show or check procedure definitions, or have a partnership adopt one."

    def add_actions(self, sub: argparse._SubParsersAction[CommandParser]) -> None:
        super().add_actions(sub)
        adopt = sub.add_parser("adopt", help="a partnership adopts a bundled procedure or its own file")
        adopt.add_argument("partnership", help="the partnership's slug")
        adopt.add_argument("procedure", help="a bundled slug or a definition file")

    def actions(self) -> dict[str, procedures.Action]:
        return {**super().actions(), "adopt": self._adopt}

    def _adopt(self, options: dict[str, Any]) -> None:
        partnership_slug, value = options["partnership"], options["procedure"]
        try:
            partnership = Partnership.objects.get(slug=partnership_slug)
        except Partnership.DoesNotExist:
            raise CommandError(f"There is no partnership {partnership_slug!r}.") from None
        procedure_from_argument(value)  # a clear message for an unknown slug or a bad file
        is_file = value.endswith((".yaml", ".yml")) or Path(value).is_file()
        version = procedure_version_from_file(value) if is_file else procedure_version_from_bundle(value)
        partnership_adopt_procedure(partnership=partnership, version=version, by=Operator.current())
        self.stdout.write(
            f"{partnership.name} now uses {version.name}, version {version.version}. "
            f"Disagreements already open stay on the version they started on."
        )
